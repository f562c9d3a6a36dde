//! The records a case holds, as plain values. Each syncs as one kind of
//! change; the rules each obeys live with the store (`waymark_core::domain`).

use crate::vocab::*;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Largest attachment we accept: letters, ID scans and photos fit easily.
pub const ATTACHMENT_LIMIT_BYTES: u64 = 10 * 1024 * 1024;

/// Whether calls, texts and voicemail are safe, when, and the code word: shown
/// wherever the case is, because the wrong call can put someone in danger.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SafeContact {
    pub calls_safe: Option<bool>,
    pub texts_safe: Option<bool>,
    pub voicemail_safe: Option<bool>,
    pub safe_times: Option<String>,
    pub code_word: Option<String>,
    pub instructions: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsentDecision {
    /// What was agreed or refused, e.g. "share with GP".
    pub topic: String,
    pub agreed: bool,
    pub decided_on: NaiveDate,
    pub note: Option<String>,
}

/// A person supported. Their id is the case id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: Uuid,
    pub full_name: String,
    pub preferred_name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub pronouns: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub safe_contact: SafeContact,
    pub address: Option<String>,
    /// A refuge or otherwise secret address: shown masked until revealed on purpose.
    pub address_restricted: bool,
    pub needs: Vec<NeedArea>,
    pub consents: Vec<ConsentDecision>,
    pub created_at: DateTime<Utc>,
    pub created_by: Uuid,
}

/// An episode of support: one referral in, one programme, one keyworker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Episode {
    pub id: Uuid,
    pub case_id: Uuid,
    pub referral_source: ReferralSource,
    /// The programme's name (free text before programmes existed).
    pub programme: String,
    pub keyworker: String,
    pub status: EpisodeStatus,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub closure_reason: Option<String>,
    /// The organisation's programme it belongs to; none for an episode
    /// opened before programmes, or where the organisation has none.
    #[serde(default)]
    pub programme_id: Option<Uuid>,
    /// For diversion: the disposal that brought the person here.
    #[serde(default)]
    pub route: Option<DisposalRoute>,
}

/// An episode's move to a stage, on a date. Append-only: where an episode
/// stands is its latest move (`Stage::Referred` on its opening day before
/// any), and every move stays for the report's "stages reached".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageMove {
    pub id: Uuid,
    pub case_id: Uuid,
    pub episode_id: Uuid,
    pub stage: Stage,
    pub moved_on: NaiveDate,
    pub recorded_by: Uuid,
    pub recorded_at: DateTime<Utc>,
}

impl StageMove {
    /// Where `episode` stands after `moves` (any
    /// order, any episode's: only `episode`'s count): the latest by date,
    /// then by when it was recorded.
    pub fn current(episode: Uuid, moves: &[StageMove]) -> Stage {
        moves
            .iter()
            .filter(|m| m.episode_id == episode)
            .max_by_key(|m| (m.moved_on, m.recorded_at, m.id))
            .map_or(Stage::Referred, |m| m.stage)
    }
}

/// A condition of a diversion (a conditional caution, a deferred
/// prosecution's contract): what, by when, and whether it was met.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub id: Uuid,
    pub case_id: Uuid,
    pub episode_id: Uuid,
    pub kind: ConditionKind,
    /// E.g. "Women's group, 6 sessions", "Letter of apology", "12 hours".
    pub detail: Option<String>,
    pub due_on: NaiveDate,
    pub status: ConditionStatus,
    /// The day it was met, missed or varied.
    pub status_on: Option<NaiveDate>,
    /// Why it was varied or missed.
    pub note: Option<String>,
    pub set_at: DateTime<Utc>,
}

impl Condition {
    /// Still to be met and past its due day: the worker is prompted.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        !self.status.settled() && self.due_on < today
    }
}

/// A follow-up some months after an episode closed (at the months its
/// programme names): whether a further offence is known. One per episode
/// and month: its id is derived from them, so two devices recording it
/// meet in one record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: Uuid,
    pub case_id: Uuid,
    pub episode_id: Uuid,
    pub months: i64,
    pub result: FollowUpResult,
    /// With a further offence: when, and what kind.
    pub offence_on: Option<NaiveDate>,
    pub offence: Option<String>,
    pub checked_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
}

/// The day each of a programme's follow-ups falls due after an episode
/// closed on `closed_on`, as `(months, due_on)`.
pub fn follow_ups_due(closed_on: NaiveDate, months: &[i64]) -> Vec<(i64, NaiveDate)> {
    months
        .iter()
        .filter_map(|&m| {
            let due = closed_on.checked_add_months(chrono::Months::new(u32::try_from(m).ok()?))?;
            Some((m, due))
        })
        .collect()
}

/// A dated state of one part of a person's life (accommodation, work,
/// treatment, support, money), taken at the start, at reviews and at
/// closure. Append-only: a later record is the later state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusRecord {
    pub id: Uuid,
    pub case_id: Uuid,
    pub area: StatusArea,
    /// One of `area.values()`.
    pub value: String,
    pub point: StatusPoint,
    pub recorded_on: NaiveDate,
    pub recorded_by: Uuid,
}

/// A rating of one of the programme's outcome areas (1-10), so distance
/// travelled compares across its cases. Append-only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaRating {
    pub id: Uuid,
    pub case_id: Uuid,
    pub episode_id: Uuid,
    /// One of the programme's `outcome_areas`.
    pub area: String,
    pub rating: i64,
    pub rated_on: NaiveDate,
    pub rated_by: Uuid,
}

/// Practical help given: a quick entry. Append-only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupportGiven {
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: SupportKind,
    pub given_on: NaiveDate,
    /// A grant's or a voucher's value, in pence.
    pub amount_pence: Option<i64>,
    pub note: Option<String>,
    pub given_by: Uuid,
}

/// What the person thought of the service, at closure; optional.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub id: Uuid,
    pub case_id: Uuid,
    pub episode_id: Uuid,
    /// 1 (very unhappy) to 5 (very happy).
    pub satisfaction: Option<i64>,
    pub words: Option<String>,
    pub given_on: NaiveDate,
}

/// Equality monitoring answers: one record per case, each question
/// optional (`None`: not asked). Recorded and reported only, never shown on
/// the case header.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Equality {
    pub id: Uuid,
    pub case_id: Uuid,
    pub ethnicity: Option<String>,
    pub sex: Option<String>,
    pub gender_identity: Option<String>,
    pub sexual_orientation: Option<String>,
    pub disability: Option<String>,
    pub religion: Option<String>,
    pub care_experience: Option<String>,
    pub first_language: Option<String>,
    pub interpreter: Option<String>,
}

impl Equality {
    pub fn answer(&self, q: EqualityQuestion) -> &Option<String> {
        use EqualityQuestion::*;
        match q {
            Ethnicity => &self.ethnicity,
            Sex => &self.sex,
            GenderIdentity => &self.gender_identity,
            SexualOrientation => &self.sexual_orientation,
            Disability => &self.disability,
            Religion => &self.religion,
            CareExperience => &self.care_experience,
            FirstLanguage => &self.first_language,
            Interpreter => &self.interpreter,
        }
    }

    pub fn answer_mut(&mut self, q: EqualityQuestion) -> &mut Option<String> {
        use EqualityQuestion::*;
        match q {
            Ethnicity => &mut self.ethnicity,
            Sex => &mut self.sex,
            GenderIdentity => &mut self.gender_identity,
            SexualOrientation => &mut self.sexual_orientation,
            Disability => &mut self.disability,
            Religion => &mut self.religion,
            CareExperience => &mut self.care_experience,
            FirstLanguage => &mut self.first_language,
            Interpreter => &mut self.interpreter,
        }
    }
}

/// A programme the organisation runs, as its admins define it: organisation
/// data, signed and synced like templates. Retired, not removed, so old
/// episodes still name it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Programme {
    pub id: Uuid,
    pub name: String,
    pub kind: ProgrammeKind,
    /// How long an episode is planned to last (e.g. 16 for a four-month
    /// deferred-prosecution contract).
    pub planned_weeks: Option<i64>,
    /// The 1-10 scales rated across its cases, so distance travelled compares.
    pub outcome_areas: Vec<String>,
    /// Months after closure at which a follow-up falls due (e.g. 6 and 12).
    pub follow_up_months: Vec<i64>,
    pub retired: bool,
}

/// A case note. Never changed once saved: later corrections are amendments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: Uuid,
    pub case_id: Uuid,
    pub author: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub contact_type: ContactType,
    pub duration_minutes: Option<i64>,
    pub location: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A later correction of a note, with the reason; the original stays readable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoteAmendment {
    pub id: Uuid,
    pub case_id: Uuid,
    pub note_id: Uuid,
    pub body: String,
    pub reason: String,
    pub author: Uuid,
    pub amended_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub id: Uuid,
    pub case_id: Uuid,
    pub need_area: NeedArea,
    pub description: String,
    pub review_on: Option<NaiveDate>,
    pub status: GoalStatus,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanAction {
    pub id: Uuid,
    pub case_id: Uuid,
    pub goal_id: Uuid,
    pub description: String,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
}

/// Lowest and highest point of the outcome scale for a goal.
pub const RATING_SCALE: std::ops::RangeInclusive<i64> = 1..=10;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeRating {
    pub id: Uuid,
    pub case_id: Uuid,
    pub goal_id: Uuid,
    pub rating: i64,
    pub rated_on: NaiveDate,
    pub comment: Option<String>,
    pub rated_by: Uuid,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Appointment {
    pub id: Uuid,
    pub case_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<String>,
    pub agency: Agency,
    pub with_whom: Option<String>,
    pub reminder_minutes: Option<i64>,
    /// Whether the worker goes along with the person.
    pub accompany: bool,
    pub outcome: Option<AppointmentOutcome>,
    pub outcome_note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    pub id: Uuid,
    pub case_id: Uuid,
    pub agency: Agency,
    pub reason: String,
    pub status: ReferralStatus,
    pub outcome: Option<String>,
    pub made_on: NaiveDate,
    /// The assessment whose threshold prompted this referral, if any.
    pub assessment_id: Option<Uuid>,
}

/// A safeguarding flag, shown wherever the case is until resolved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: FlagKind,
    pub detail: Option<String>,
    pub raised_at: DateTime<Utc>,
    pub raised_by: Uuid,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_by: Option<Uuid>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: Uuid,
    pub case_id: Uuid,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub added_at: DateTime<Utc>,
    pub added_by: Uuid,
}

/// A versioned assessment template, stored as a record so it syncs like data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssessmentTemplate {
    pub id: Uuid,
    pub key: String,
    pub template_version: i64,
    pub name: String,
    pub definition: crate::assessment::TemplateDefinition,
}

/// What the worker decided about an action a threshold prompted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PromptDecision {
    pub prompt_index: usize,
    pub decision: DecisionKind,
    /// Why not, for a declined one (absent in decisions made before it
    /// was asked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub because: Option<DeclineReason>,
    pub reason: Option<String>,
    pub referral_id: Option<Uuid>,
    pub decided_at: DateTime<Utc>,
    pub decided_by: Uuid,
}

/// A completed assessment with the score computed from its template.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub id: Uuid,
    pub case_id: Uuid,
    pub template_id: Uuid,
    pub template_key: String,
    pub template_version: i64,
    pub answers: std::collections::BTreeMap<String, crate::assessment::Answer>,
    pub score: i64,
    pub level: String,
    pub prompts: Vec<crate::assessment::Prompt>,
    pub decisions: Vec<PromptDecision>,
    pub completed_at: DateTime<Utc>,
    pub completed_by: Uuid,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn moved(episode: Uuid, stage: Stage, day: u32, at: i64) -> StageMove {
        StageMove {
            id: Uuid::from_u128(u128::from(day) << 32 | at as u128),
            case_id: Uuid::nil(),
            episode_id: episode,
            stage,
            moved_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(day.into()),
            recorded_by: Uuid::nil(),
            recorded_at: DateTime::from_timestamp_millis(at).unwrap(),
        }
    }

    #[test]
    fn the_stages_lead_on_and_the_ends_end() {
        use Stage::*;
        assert_eq!(StageMove::current(Uuid::nil(), &[]), Referred);
        for s in Stage::ALL.iter().map(|s| s.parse::<Stage>().unwrap()) {
            assert!(
                !s.next().contains(&Referred),
                "nothing goes back to referred"
            );
            assert!(!s.next().contains(&s), "{s} does not move to itself");
            assert_eq!(s.ends(), s != Referred && s != Engaged);
            if s.ends() {
                assert!(s.next().iter().all(|n| *n == ReturnedToCourt), "{s}");
            }
        }
        assert!(Referred.next().contains(&Engaged) && Engaged.next().contains(&Completed));
        assert!(
            !Referred.next().contains(&Completed),
            "completing needs engaging"
        );
        assert_eq!(ReturnedToCourt.label(), "returned to court");
    }

    proptest! {
        /// Wherever the moves came from and in whatever order they arrived,
        /// every device says the episode stands at the same stage: the
        /// latest by day, then by when it was recorded. Other episodes'
        /// moves do not count.
        #[test]
        fn where_an_episode_stands_does_not_depend_on_arrival_order(
            moves in proptest::collection::vec((0usize..8, 0u32..30, 0i64..1000, any::<bool>()), 0..12),
            seed in any::<u64>(),
        ) {
            let (ours, theirs) = (Uuid::from_u128(1), Uuid::from_u128(2));
            let all: Vec<StageMove> = moves
                .iter()
                .map(|&(s, day, at, mine)| {
                    let stage = Stage::ALL[s].parse().unwrap();
                    moved(if mine { ours } else { theirs }, stage, day, at)
                })
                .collect();
            let mut shuffled = all.clone();
            let n = shuffled.len();
            for i in 0..n {
                shuffled.swap(i, (seed as usize).wrapping_mul(i + 7) % n);
            }
            let stands = StageMove::current(ours, &all);
            prop_assert_eq!(stands, StageMove::current(ours, &shuffled));
            let latest = all
                .iter()
                .filter(|m| m.episode_id == ours)
                .map(|m| (m.moved_on, m.recorded_at))
                .max();
            match latest {
                None => prop_assert_eq!(stands, Stage::Referred),
                Some(last) => prop_assert!(all.iter().any(|m| m.episode_id == ours
                    && (m.moved_on, m.recorded_at) == last
                    && m.stage == stands)),
            }
        }
    }
}
