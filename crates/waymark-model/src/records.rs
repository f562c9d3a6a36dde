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

impl Person {
    /// Whether the person's latest decision on `topic` agreed to it.
    pub fn has_agreed_to(&self, topic: &str) -> bool {
        self.consents
            .iter()
            .filter(|c| c.topic == topic)
            .max_by_key(|c| c.decided_on)
            .is_some_and(|c| c.agreed)
    }

    /// The topics the person has agreed to, as their latest decisions stand.
    pub fn agreed_topics(&self) -> Vec<String> {
        let mut topics: Vec<&str> = self.consents.iter().map(|c| c.topic.as_str()).collect();
        topics.sort_unstable();
        topics.dedup();
        topics
            .into_iter()
            .filter(|t| self.has_agreed_to(t))
            .map(str::to_owned)
            .collect()
    }
}

/// A need the person has, and the day it was known. A need recorded before
/// needs carried a day has none, and is stored as its bare name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "NeedAsStored")]
pub struct Need {
    pub area: NeedArea,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<NaiveDate>,
}

impl Need {
    pub fn new(area: NeedArea, since: Option<NaiveDate>) -> Need {
        Need { area, since }
    }

    /// `wanted`, each need given its day: the one it was given, else the
    /// day already held for its area, else `today` for a need new to the
    /// person. (A need held without a day keeps none: it is not known.)
    pub fn dated(wanted: Vec<Need>, held: &[Need], today: NaiveDate) -> Vec<Need> {
        wanted
            .into_iter()
            .map(|n| {
                let since = n
                    .since
                    .or_else(|| match held.iter().find(|h| h.area == n.area) {
                        Some(h) => h.since,
                        None => Some(today),
                    });
                Need { since, ..n }
            })
            .collect()
    }
}

/// Both ways a need has been written: `"housing"` (records before 29) and
/// `{"area": "housing", "since": "2026-02-03"}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum NeedAsStored {
    Bare(NeedArea),
    Dated {
        area: NeedArea,
        #[serde(default)]
        since: Option<NaiveDate>,
    },
}

impl From<NeedAsStored> for Need {
    fn from(stored: NeedAsStored) -> Need {
        match stored {
            NeedAsStored::Bare(area) => Need { area, since: None },
            NeedAsStored::Dated { area, since } => Need { area, since },
        }
    }
}

/// What a volunteer allocated to a case is told of the person: what to call
/// them and how to reach them safely, kept in step with the case by whoever
/// holds it. Never the address, the code word, or anything else of the case.
/// One per case; it travels in the case's allocation log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactBrief {
    pub id: Uuid,
    pub case_id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    /// The case's safe-contact arrangements, without the code word.
    pub safe_contact: SafeContact,
}

impl ContactBrief {
    /// A case's one brief's id (every device agrees on it).
    pub fn id_of(case: Uuid) -> Uuid {
        Uuid::new_v5(&case, b"waymark contact brief")
    }

    /// The brief of a person's case: their preferred name (or full name),
    /// phone and safe-contact arrangements, the code word left out.
    pub fn of(person: &Person) -> ContactBrief {
        ContactBrief {
            id: ContactBrief::id_of(person.id),
            case_id: person.id,
            name: person
                .preferred_name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| person.full_name.clone()),
            phone: person.phone.clone(),
            safe_contact: SafeContact {
                code_word: None,
                ..person.safe_contact.clone()
            },
        }
    }
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
    pub needs: Vec<Need>,
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
    /// The topic of the person's consent that covers it, if one does (a
    /// MARAC referral may go without).
    #[serde(default)]
    pub consent_topic: Option<String>,
}

/// A MARAC meeting that heard the case: when, which referral brought it,
/// and what it decided (the outcome, in words, recorded after).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaracMeeting {
    pub id: Uuid,
    pub case_id: Uuid,
    /// The MARAC referral it heard, if recorded.
    pub referral_id: Option<Uuid>,
    pub meeting_on: NaiveDate,
    pub outcome: Option<String>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: Uuid,
}

/// An action a MARAC meeting agreed: which agency, who owns it, by when,
/// and when it was done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaracAction {
    pub id: Uuid,
    pub case_id: Uuid,
    pub meeting_id: Uuid,
    pub agency: Agency,
    /// Who in that agency owns it (a name or a role).
    pub owner: String,
    pub action: String,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

/// A case's safety plan, one per case (its id is the case's
/// `SafetyPlan::id_of`): what keeps the person safe, reviewed by a date.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SafetyPlan {
    pub id: Uuid,
    pub case_id: Uuid,
    pub safe_places: Option<String>,
    pub trusted_people: Option<String>,
    pub code_words: Option<String>,
    pub escape_bag: Option<String>,
    pub tech_safety: Option<String>,
    pub child_arrangements: Option<String>,
    pub review_on: NaiveDate,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Uuid,
}

impl SafetyPlan {
    /// One plan per case on every device: its id follows from the case's,
    /// so two devices writing a first plan offline edit one record.
    pub fn id_of(case_id: Uuid) -> Uuid {
        Uuid::new_v5(&case_id, b"safety-plan")
    }
}

/// A supervisor's sign-off that something on a case was reviewed: never
/// changed or removed once made. Who made it is whoever's confirmed
/// identity signed it (`signed_by` names the person on the device that
/// wrote it); only a supervisor's or an admin's is taken.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignOff {
    pub id: Uuid,
    pub case_id: Uuid,
    pub subject: SignOffSubject,
    /// The assessment, incident or episode signed off.
    pub subject_id: Uuid,
    pub comment: Option<String>,
    pub signed_at: DateTime<Utc>,
    pub signed_by: Uuid,
}

/// A group session or drop-in: its title, programme, place, day and
/// facilitators, and a note about the group. The session is a log of its
/// own (its id), held as a case is: by the worker who made it, their team's
/// supervisors, managers and whoever it is shared with (a co-facilitator).
/// Who attended is on each attendee's case (`Attendance`), never here: the
/// group note is not copied into anyone's case, and the session lists no one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupSession {
    pub id: Uuid,
    pub title: String,
    pub programme: Option<String>,
    pub place: String,
    pub held_on: NaiveDate,
    pub facilitators: String,
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: Uuid,
}

/// One person's place on a group session's register, on their case (their
/// timeline shows it): the session's title and day as they were, whether
/// they came. One per person per session (`Attendance::id_of`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attendance {
    pub id: Uuid,
    pub case_id: Uuid,
    pub session_id: Uuid,
    pub title: String,
    pub held_on: NaiveDate,
    pub attended: bool,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: Uuid,
}

impl Attendance {
    /// Two devices marking the same person on the same register edit one record.
    pub fn id_of(case_id: Uuid, session_id: Uuid) -> Uuid {
        Uuid::new_v5(&session_id, case_id.as_bytes())
    }
}

/// A quick count of outreach contacts with people who have no case (the
/// van, a drop-in): when, where, how many, what help; a short note and
/// nothing that names anyone. Travels in its writer's tally log for the
/// month (`OutreachTally::log_of`), held as a case is by them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutreachTally {
    pub id: Uuid,
    pub log_id: Uuid,
    pub counted_on: NaiveDate,
    /// The site or area (e.g. "Market car park, Llanidloes").
    pub site: String,
    pub count: u32,
    #[serde(default)]
    pub help: Vec<HelpKind>,
    pub note: Option<String>,
    /// The writer's team when they wrote it (reports by team).
    pub team: Option<String>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: Uuid,
}

impl OutreachTally {
    /// Its writer's tally log for the month of `on`: one log a month each,
    /// whatever the number of tallies.
    pub fn log_of(writer: Uuid, on: NaiveDate) -> Uuid {
        Uuid::new_v5(
            &writer,
            on.format("waymark tallies %Y-%m").to_string().as_bytes(),
        )
    }
}

/// Someone linked to a case: a child, a household member, or the other
/// party in a domestic-abuse case. The other party's details are restricted
/// like an address: masked on every screen until an audited reveal, and
/// never in the case's export or its MARAC referral form. A child or a
/// household member can be opened as a case of their own and stays linked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkedPerson {
    pub id: Uuid,
    pub case_id: Uuid,
    pub relation: Relation,
    pub name: String,
    pub date_of_birth: Option<NaiveDate>,
    /// Where they live (for a child: with whom, or where).
    pub lives: Option<String>,
    /// Whether children's services know them (asked of a child).
    pub known_to_childrens_services: Option<bool>,
    pub details: Option<String>,
    /// Their own case, once one was opened for them.
    pub own_case_id: Option<Uuid>,
    pub added_at: DateTime<Utc>,
    pub added_by: Uuid,
}

impl LinkedPerson {
    /// As every screen first shows it: the other party's name and details
    /// hidden (`Session::reveal_linked_person` shows them, audited).
    pub fn masked(mut self) -> LinkedPerson {
        if self.relation == Relation::OtherParty {
            self.name = "Other party (hidden)".into();
            self.date_of_birth = None;
            self.lives = None;
            self.details = None;
        }
        self
    }
}

/// A supervisor's note on a case: what was discussed, what was decided and
/// the actions agreed. It travels in the case's supervision log, so only the
/// case's keyworker and its team's supervisors ever receive it (not a
/// colleague it is shared with, a manager or an admin). Never changed once
/// made; only a supervisor's or an admin's is taken.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupervisionNote {
    pub id: Uuid,
    pub case_id: Uuid,
    /// The day the case was discussed in supervision.
    pub held_on: NaiveDate,
    pub discussion: String,
    pub decision: Option<String>,
    #[serde(default)]
    pub actions: Vec<AgreedAction>,
    pub written_at: DateTime<Utc>,
    pub written_by: Uuid,
}

/// An action agreed in supervision: what, who does it, by when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreedAction {
    pub action: String,
    pub owner: String,
    pub due_on: NaiveDate,
}

/// That an action agreed in supervision was done: by whom and on which
/// day. One per action (its id follows from the note's and the action's
/// place), in the case's supervision log; never changed once made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupervisionActionDone {
    pub id: Uuid,
    pub case_id: Uuid,
    pub note_id: Uuid,
    /// The action's place in the note's list, from 0.
    pub action_index: i64,
    pub done_on: NaiveDate,
    pub done_at: DateTime<Utc>,
    pub done_by: Uuid,
}

impl SupervisionActionDone {
    /// The one record of a note's `index`th action being done.
    pub fn id_of(note: Uuid, index: i64) -> Uuid {
        Uuid::new_v5(&note, format!("action done/{index}").as_bytes())
    }
}

/// A domestic-abuse incident as the person or the police told it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub id: Uuid,
    pub case_id: Uuid,
    pub occurred_on: NaiveDate,
    pub kind: IncidentKind,
    pub police_called: bool,
    pub injuries: bool,
    pub children_present: bool,
    pub detail: Option<String>,
    /// Set when this incident's police call-out met the escalation
    /// criterion: the MARAC referral it prompts, and what was decided.
    pub escalation: Option<EscalationPrompt>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: Uuid,
}

/// The MARAC referral an incident prompted (`Escalation::prompt`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EscalationPrompt {
    /// Police call-outs counted in the window, this one included.
    pub police_call_outs: u32,
    pub criterion: crate::assessment::Escalation,
    pub prompt: crate::assessment::Prompt,
    pub decision: Option<PromptDecision>,
}

/// A case's incidents over the last twelve months (the case header's
/// count) or any window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentCount {
    pub incidents: u32,
    pub police_call_outs: u32,
}

impl IncidentCount {
    /// The incidents of `incidents` on the days `from` to `to`, both
    /// included.
    pub fn between(incidents: &[Incident], from: NaiveDate, to: NaiveDate) -> IncidentCount {
        let within = incidents
            .iter()
            .filter(|i| (from..=to).contains(&i.occurred_on));
        let (mut count, mut police) = (0, 0);
        for i in within {
            count += 1;
            police += u32::from(i.police_called);
        }
        IncidentCount {
            incidents: count,
            police_call_outs: police,
        }
    }

    /// The last twelve months to `today`, as the header shows them.
    pub fn last_year(incidents: &[Incident], today: NaiveDate) -> IncidentCount {
        let from = today
            .checked_sub_months(chrono::Months::new(12))
            .and_then(|d| d.succ_opt())
            .unwrap_or(NaiveDate::MIN);
        IncidentCount::between(incidents, from, today)
    }
}

/// Whether a new incident (with a police call-out) on `day`, beside the
/// case's `earlier` ones, meets `criterion`: the prompt it then carries.
pub fn escalation_of(
    earlier: &[Incident],
    day: NaiveDate,
    police_called: bool,
    criterion: Option<crate::assessment::Escalation>,
) -> Option<EscalationPrompt> {
    let criterion = criterion.filter(|_| police_called)?;
    let counted =
        IncidentCount::between(earlier, criterion.window_start(day), day).police_call_outs + 1;
    (counted >= criterion.police_call_outs).then(|| EscalationPrompt {
        police_call_outs: counted,
        criterion,
        prompt: criterion.prompt(counted),
        decision: None,
    })
}

/// Whether each MARAC referral of a case is a repeat: made within twelve
/// months of the one before it. By the referrals' ids.
/// A MARAC referral made on `on` repeats the one made on `last` if it is
/// within twelve months of it.
pub fn is_repeat_marac(last: NaiveDate, on: NaiveDate) -> bool {
    last.checked_add_months(chrono::Months::new(12))
        .is_some_and(|year_on| on <= year_on)
}

pub fn repeat_maracs(referrals: &[Referral]) -> Vec<Uuid> {
    let mut marac: Vec<&Referral> = referrals
        .iter()
        .filter(|r| r.agency == Agency::Marac)
        .collect();
    marac.sort_by_key(|r| (r.made_on, r.id));
    marac
        .windows(2)
        .filter(|w| is_repeat_marac(w[0].made_on, w[1].made_on))
        .map(|w| w[1].id)
        .collect()
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

    #[test]
    fn a_need_reads_as_written_before_and_after_it_carried_a_day() {
        let day = NaiveDate::from_ymd_opt(2026, 2, 3).unwrap();
        let needs: Vec<Need> = serde_json::from_str(
            r#"["housing", {"area": "finance", "since": "2026-02-03"}, {"area": "other"}]"#,
        )
        .unwrap();
        assert_eq!(
            needs,
            [
                Need::new(NeedArea::Housing, None),
                Need::new(NeedArea::Finance, Some(day)),
                Need::new(NeedArea::Other, None),
            ]
        );
        // Written as an object; with no day, exactly as the migration writes it.
        assert_eq!(
            serde_json::to_string(&needs).unwrap(),
            r#"[{"area":"housing"},{"area":"finance","since":"2026-02-03"},{"area":"other"}]"#
        );
        assert!(serde_json::from_str::<Need>(r#""nonsense""#).is_err());
        assert!(serde_json::from_str::<Need>(r#"{"area":"housing","since":"3 Feb"}"#).is_err());
    }

    proptest! {
        /// Dating needs keeps every need wanted, in order, and only fills
        /// days: a day given stays, a held one carries over, a new need is
        /// known from today, and a need held without a day keeps none.
        #[test]
        fn dating_needs_only_fills_in_days(
            wanted in proptest::collection::vec((0usize..10, proptest::option::of(0u32..400)), 0..6),
            held in proptest::collection::vec((0usize..10, proptest::option::of(0u32..400)), 0..6),
        ) {
            let base = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
            let need = |(a, d): (usize, Option<u32>)| Need::new(NeedArea::ALL[a].parse().unwrap(), d.map(|d| base + chrono::Days::new(d.into())));
            let wanted: Vec<Need> = wanted.into_iter().map(need).collect();
            let held: Vec<Need> = held.into_iter().map(need).collect();
            let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
            let dated = Need::dated(wanted.clone(), &held, today);
            prop_assert_eq!(dated.len(), wanted.len());
            for (w, d) in wanted.iter().zip(&dated) {
                prop_assert_eq!(w.area, d.area);
                let expected = match (w.since, held.iter().find(|h| h.area == w.area)) {
                    (Some(day), _) => Some(day),
                    (None, Some(h)) => h.since,
                    (None, None) => Some(today),
                };
                prop_assert_eq!(d.since, expected);
            }
        }
    }

    #[test]
    fn a_consent_agreed_is_the_latest_decision_on_its_topic() {
        let on = |d: u32| NaiveDate::from_ymd_opt(2026, 1, d).unwrap();
        let decision = |topic: &str, agreed: bool, d: u32| ConsentDecision {
            topic: topic.into(),
            agreed,
            decided_on: on(d),
            note: None,
        };
        let person = Person {
            id: Uuid::nil(),
            full_name: "Orla Testcase".into(),
            preferred_name: None,
            date_of_birth: None,
            pronouns: None,
            phone: None,
            email: None,
            safe_contact: SafeContact::default(),
            address: None,
            address_restricted: false,
            needs: vec![],
            created_at: DateTime::from_timestamp_millis(0).unwrap(),
            created_by: Uuid::nil(),
            consents: vec![
                decision("share with GP", true, 5),
                decision("share with GP", false, 9), // withdrawn later
                decision("share with housing", false, 2),
                decision("share with housing", true, 3),
                decision("share with refuge", true, 4),
                decision("share with refuge", false, 4), // the same day: recorded last, stands
            ],
        };
        assert!(!person.has_agreed_to("share with GP"));
        assert!(person.has_agreed_to("share with housing"));
        assert!(!person.has_agreed_to("share with refuge"));
        assert!(!person.has_agreed_to("never asked"));
        assert_eq!(person.agreed_topics(), ["share with housing"]);
    }

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

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(n.into())
    }

    fn incident(on: NaiveDate, police_called: bool) -> Incident {
        Incident {
            id: Uuid::from_u128(on.to_epoch_days() as u128),
            case_id: Uuid::nil(),
            occurred_on: on,
            kind: IncidentKind::Physical,
            police_called,
            injuries: false,
            children_present: false,
            detail: None,
            escalation: None,
            recorded_at: DateTime::from_timestamp_millis(0).unwrap(),
            recorded_by: Uuid::nil(),
        }
    }

    use crate::assessment::Escalation;

    #[test]
    fn the_third_police_call_out_in_twelve_months_prompts_a_marac_referral() {
        let standard = Some(Escalation::STANDARD);
        let on = |d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let earlier = [
            incident(on("2025-03-01"), true),
            incident(on("2025-06-01"), true),
        ];
        let third = escalation_of(&earlier, on("2026-02-28"), true, standard)
            .expect("three in twelve months");
        assert_eq!(third.police_call_outs, 3);
        assert!(third
            .prompt
            .text
            .starts_with("3 police call-outs in 12 months"));
        assert_eq!(third.prompt.agency, Agency::Marac);
        assert!(third.decision.is_none());
        // Twelve months back from 2026-03-01 starts on 2025-03-02: the first
        // call-out has left the window.
        assert_eq!(
            escalation_of(&earlier, on("2026-03-01"), true, standard),
            None
        );
        // Not a call-out; no criterion held (no risk template); an incident
        // without the police counted for nothing.
        assert_eq!(
            escalation_of(&earlier, on("2025-07-01"), false, standard),
            None
        );
        assert_eq!(escalation_of(&earlier, on("2025-07-01"), true, None), None);
        let quiet = [
            incident(on("2025-03-01"), true),
            incident(on("2025-06-01"), false),
        ];
        assert_eq!(
            escalation_of(&quiet, on("2025-07-01"), true, standard),
            None
        );
        // A stricter organisation's criterion.
        let two = Some(Escalation {
            police_call_outs: 2,
            within_months: 6,
        });
        assert!(escalation_of(&earlier[1..], on("2025-11-30"), true, two).is_some());
        assert!(escalation_of(&earlier[1..], on("2025-12-01"), true, two).is_none());

        let count = IncidentCount::last_year(&quiet, on("2026-02-28"));
        assert_eq!(
            count,
            IncidentCount {
                incidents: 2,
                police_call_outs: 1
            }
        );
        assert_eq!(
            IncidentCount::last_year(&quiet, on("2026-03-01")).incidents,
            1
        );
    }

    #[test]
    fn a_marac_referral_within_twelve_months_of_the_last_is_a_repeat() {
        let referral = |n: u128, on: &str, agency: Agency| Referral {
            id: Uuid::from_u128(n),
            case_id: Uuid::nil(),
            agency,
            reason: String::new(),
            status: ReferralStatus::Made,
            outcome: None,
            made_on: NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap(),
            assessment_id: None,
            consent_topic: None,
        };
        let list = [
            referral(1, "2025-01-10", Agency::Marac),
            referral(2, "2025-06-01", Agency::Idva),
            referral(3, "2026-01-10", Agency::Marac),
            referral(4, "2027-02-01", Agency::Marac),
            referral(5, "2027-05-01", Agency::Marac),
        ];
        assert_eq!(
            repeat_maracs(&list),
            [Uuid::from_u128(3), Uuid::from_u128(5)]
        );
    }

    proptest! {
        /// A new call-out carries the prompt exactly when the call-outs in
        /// its window (itself included), counted one by one, reach the
        /// criterion.
        #[test]
        fn the_prompt_follows_the_count(
            days in proptest::collection::vec((0u32..900, any::<bool>()), 0..12),
            new_day in 0u32..900,
            needed in 1u32..5,
            months in 1u32..13,
        ) {
            let criterion = Escalation { police_call_outs: needed, within_months: months };
            let earlier: Vec<Incident> = days.iter().map(|&(d, p)| incident(day(d), p)).collect();
            let on = day(new_day);
            let start = on.checked_sub_months(chrono::Months::new(months)).unwrap();
            let counted = 1 + earlier
                .iter()
                .filter(|i| i.police_called && i.occurred_on > start && i.occurred_on <= on)
                .count() as u32;
            let prompt = escalation_of(&earlier, on, true, Some(criterion));
            prop_assert_eq!(prompt.is_some(), counted >= needed);
            if let Some(p) = prompt {
                prop_assert_eq!(p.police_call_outs, counted);
            }
        }
    }

    #[test]
    fn the_criterion_in_force_is_the_newest_risk_templates_soonest() {
        let risk = crate::assessment::builtin_templates().remove(0);
        assert!(risk.assesses_risk());
        assert_eq!(Escalation::in_force([&risk]), Some(Escalation::STANDARD));
        let mut needs = risk.clone();
        needs.key = "needs".into();
        for t in &mut needs.thresholds {
            t.prompt = None;
        }
        needs.escalation = Some(Escalation {
            police_call_outs: 1,
            within_months: 12,
        });
        assert_eq!(
            Escalation::in_force([&needs]),
            None,
            "a needs template sets no criterion"
        );
        let mut stricter = risk.clone();
        stricter.version += 1;
        stricter.escalation = Some(Escalation {
            police_call_outs: 2,
            within_months: 12,
        });
        assert_eq!(
            Escalation::in_force([&risk, &needs, &stricter]).map(|e| e.police_call_outs),
            Some(2)
        );
        // Only the newest version of a template counts.
        let mut older = risk.clone();
        older.version = 0;
        older.escalation = Some(Escalation {
            police_call_outs: 1,
            within_months: 12,
        });
        assert_eq!(
            Escalation::in_force([&older, &risk]),
            Some(Escalation::STANDARD)
        );
        let mut bad = risk;
        bad.escalation = Some(Escalation {
            police_call_outs: 0,
            within_months: 12,
        });
        assert_eq!(bad.check().unwrap_err().field, "template.escalation");
    }
}
