//! What screens and scripts are shown: read-only views assembled by the
//! core (and the shell's own status values), serialised as they are.

use crate::assessment::ScoreResult;
use crate::records::*;
use crate::vocab::{
    Agency, AppointmentOutcome, ContactType, ErasureRule, ErasureState, FlagKind, NeedArea,
    ReferralStatus, Relation, Role, SignOffSubject,
};
use crate::Invalid;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct CaseloadFilter {
    pub risk_level: Option<String>,
    pub overdue_review: bool,
    /// Only cases with no contact in at least this many days.
    pub no_contact_days: Option<i64>,
    pub flagged: bool,
    pub keyworker: Option<String>,
    /// Only the unlocked person's cases (they are the keyworker).
    pub mine: bool,
    /// Name starts-with match, for search as you type.
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseloadEntry {
    pub case_id: Uuid,
    pub full_name: String,
    pub preferred_name: Option<String>,
    pub keyworker: Option<String>,
    pub episode_status: Option<String>,
    pub risk_level: Option<String>,
    pub open_flags: i64,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub days_since_contact: Option<i64>,
    pub next_appointment_at: Option<DateTime<Utc>>,
    pub next_review_on: Option<NaiveDate>,
    pub review_overdue: bool,
    pub attention: i64,
}

/// A case a volunteer is allocated to, as their list shows it: who, how to
/// reach them safely, and the next appointment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllocatedCase {
    pub brief: ContactBrief,
    pub next_appointment: Option<Appointment>,
    /// Notes this person wrote on it.
    pub own_notes: i64,
}

/// An allocated case as a volunteer sees it: the brief, the case's
/// appointments in time order, and the notes they wrote, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllocatedCaseView {
    pub brief: ContactBrief,
    pub appointments: Vec<Appointment>,
    pub own_notes: Vec<Note>,
}

/// The header of a case page: who, how to contact them safely, what to watch for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    pub person: Person,
    /// "restricted" in place of a restricted address; reveal it on purpose.
    pub address_shown: Option<String>,
    pub open_flags: Vec<Flag>,
    pub episodes: Vec<Episode>,
    pub risk_level: Option<String>,
    /// Every stage move of the case's episodes, oldest first
    /// (`StageMove::current` says where each episode stands).
    #[serde(default)]
    pub stage_moves: Vec<StageMove>,
    /// A diversion's conditions, by due day.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
    /// The latest level of each kind of assessment the case has had (each
    /// template, all its versions): a needs assessment beside the risk
    /// level, never over it.
    #[serde(default)]
    pub levels: Vec<LatestLevel>,
    /// Domestic-abuse incidents, the latest first.
    #[serde(default)]
    pub incidents: Vec<Incident>,
    /// Of those, the last twelve months' (the header's count).
    #[serde(default)]
    pub incidents_last_year: IncidentCount,
    /// What a supervisor signed off on this case, oldest first.
    #[serde(default)]
    pub sign_offs: Vec<SignedOff>,
    /// MARAC meetings that heard the case, the latest first, and the
    /// actions they agreed (by due day).
    #[serde(default)]
    pub marac_meetings: Vec<MaracMeeting>,
    #[serde(default)]
    pub marac_actions: Vec<MaracAction>,
    #[serde(default)]
    pub safety_plan: Option<SafetyPlan>,
    /// People linked to the case, the other party masked
    /// (`LinkedPerson::masked`).
    #[serde(default)]
    pub linked: Vec<LinkedPerson>,
    /// The cases this one was opened from, as a linked person of theirs.
    #[serde(default)]
    pub linked_from: Vec<LinkedFrom>,
    /// Supervision notes, the latest first: on the devices of the case's
    /// keyworker and its team's supervisors only (nobody else receives them).
    #[serde(default)]
    pub supervision: Vec<SupervisionEntry>,
}

/// A group session and its register as this device knows it: the people
/// on it whose cases it holds (attendance lives on each case).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupRegister {
    pub session: GroupSession,
    pub register: Vec<RegisterEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegisterEntry {
    pub case_id: Uuid,
    pub person_name: String,
    pub attended: bool,
}

/// A change this person made in a case taken from them longer ago than
/// the server takes a late write: kept on this device, never sent, so it
/// can be passed on by another route. `fields` are what it wrote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetAsideChange {
    pub change_id: Uuid,
    pub case_id: Option<Uuid>,
    pub kind: String,
    pub record_id: Uuid,
    pub set_aside_at: DateTime<Utc>,
    pub fields: serde_json::Map<String, Value>,
}

/// A case this one was opened from: the person there it is linked to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkedFrom {
    pub case_id: Uuid,
    pub person_name: String,
    pub relation: Relation,
}

/// A supervision note and who wrote it (the confirmed identity that signed it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupervisionEntry {
    pub note: SupervisionNote,
    pub by: Option<String>,
    /// Its actions recorded done, with who recorded each.
    #[serde(default)]
    pub done: Vec<ActionDoneBy>,
}

/// An agreed action recorded done, and by whom.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionDoneBy {
    pub done: SupervisionActionDone,
    pub by: Option<String>,
}

/// A sign-off and who made it (as `written_by` knows: the confirmed
/// identity that signed it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignedOff {
    pub sign_off: SignOff,
    pub by: Option<String>,
}

/// A case's incidents, the latest first, and the last twelve months' count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseIncidents {
    pub last_year: IncidentCount,
    pub incidents: Vec<Incident>,
}

/// The latest assessment of one template (all its versions) on a case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatestLevel {
    pub template_key: String,
    /// The template's name, as its newest version held here names it.
    pub template_name: String,
    pub level: String,
    /// The level's words ("High risk"), as the assessment's template says.
    pub label: String,
    /// Whether this is a risk assessment (`TemplateDefinition::assesses_risk`).
    pub risk: bool,
    pub completed_at: DateTime<Utc>,
}

impl LatestLevel {
    /// Each template's latest assessment among `assessments`, risk
    /// assessments first, then by name. A template not held here is shown
    /// by its key, its level as recorded, and counted as risk (as the
    /// caseload's risk level counts it).
    pub fn of_each(
        assessments: &[Assessment],
        templates: &[AssessmentTemplate],
    ) -> Vec<LatestLevel> {
        let mut latest: std::collections::BTreeMap<&str, &Assessment> = Default::default();
        for a in assessments {
            let newer = latest
                .get(a.template_key.as_str())
                .is_none_or(|b| (a.completed_at, a.id) > (b.completed_at, b.id));
            if newer {
                latest.insert(&a.template_key, a);
            }
        }
        let mut out: Vec<LatestLevel> = latest
            .into_values()
            .map(|a| {
                let own = templates.iter().find(|t| t.id == a.template_id);
                let newest = templates
                    .iter()
                    .filter(|t| t.key == a.template_key)
                    .max_by_key(|t| t.template_version);
                LatestLevel {
                    template_key: a.template_key.clone(),
                    template_name: newest
                        .map_or_else(|| a.template_key.clone(), |t| t.name.clone()),
                    level: a.level.clone(),
                    label: own
                        .and_then(|t| {
                            t.definition
                                .thresholds
                                .iter()
                                .find(|th| th.level == a.level)
                        })
                        .map_or_else(|| a.level.clone(), |th| th.label.clone()),
                    risk: own.is_none_or(|t| t.definition.assesses_risk()),
                    completed_at: a.completed_at,
                }
            })
            .collect();
        out.sort_by(|a, b| (!a.risk, &a.template_name).cmp(&(!b.risk, &b.template_name)));
        out
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoteHistory {
    pub note: Note,
    /// Oldest first; the last is the note's current text.
    pub amendments: Vec<NoteAmendment>,
    pub current_body: String,
    /// Who wrote the note, and each amendment (`written_by`).
    pub written_by: Option<String>,
    pub amended_by: Vec<Option<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalView {
    pub goal: Goal,
    pub actions: Vec<PlanAction>,
    /// Oldest first: the points of the outcome chart.
    pub ratings: Vec<OutcomeRating>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgendaEntry {
    pub appointment: Appointment,
    pub person_name: String,
}

/// A case's outcomes over time: status records and area ratings oldest
/// first, practical support given, feedback, and equality monitoring.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseOutcomes {
    pub statuses: Vec<StatusRecord>,
    pub area_ratings: Vec<AreaRating>,
    pub support: Vec<SupportGiven>,
    pub feedback: Vec<Feedback>,
    pub equality: Option<Equality>,
}

/// Something a case needs done by a day: on the list of the case's
/// keyworker and of the supervisors who hold the case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DueItem {
    pub case_id: Uuid,
    pub person_name: String,
    /// The case's keyworker (its latest episode's).
    pub keyworker: Option<String>,
    pub due_on: NaiveDate,
    pub due: Due,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Due {
    /// Past its day and not yet recorded met or missed, on an open
    /// episode: the worker records which.
    ConditionOverdue { condition: Condition },
    /// Missed while the episode is still open: met later, varied no more;
    /// the supervisor decides on a breach.
    ConditionMissed { condition: Condition },
    /// A follow-up after closure, not yet recorded.
    FollowUp {
        episode_id: Uuid,
        programme: String,
        months: i64,
    },
    /// An action a risk assessment's level prompted (a MARAC referral),
    /// not yet decided: make it, or say why not now.
    AssessmentPrompt {
        assessment_id: Uuid,
        prompt: crate::assessment::Prompt,
    },
    /// The MARAC referral an incident's police call-out prompted (the
    /// escalation criterion), not yet decided.
    EscalationPrompt {
        incident_id: Uuid,
        prompt: crate::assessment::Prompt,
        /// Police call-outs counted, and the criterion they met (the
        /// prompt's words in the reader's language).
        police_call_outs: u32,
        criterion: crate::assessment::Escalation,
    },
    /// An action a MARAC meeting agreed, past its day and not done.
    MaracActionOverdue { action: MaracAction },
    /// An action agreed in supervision, fallen due and not done (for the
    /// keyworker and the team's supervisors, who alone hold it).
    SupervisionAction {
        note_id: Uuid,
        action_index: i64,
        action: AgreedAction,
    },
    /// A safety plan past its review date.
    SafetyPlanReview { review_on: NaiveDate },
    /// For a supervisor: a risk assessment, a MARAC decision or a closure
    /// not yet signed off as reviewed (`what` says which, in words).
    SignOff {
        subject: SignOffSubject,
        subject_id: Uuid,
        what: String,
    },
}

/// One keyworker's line in a supervisor's team view, over the cases this
/// device holds (a supervisor's device holds their team's).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamMember {
    /// `None`: cases whose episode names no keyworker.
    pub keyworker: Option<String>,
    pub open_cases: i64,
    /// Open cases whose risk level is high.
    pub high_risk: i64,
    /// Open cases with a support plan review past its date, and safety
    /// plans past theirs.
    pub overdue_reviews: i64,
    /// Actions a MARAC agreed, past their day and not done.
    #[serde(default)]
    pub marac_actions_overdue: i64,
    /// Actions agreed in supervision, fallen due and not done.
    #[serde(default)]
    pub supervision_actions_due: i64,
    /// Follow-ups after closure past their date and not recorded.
    pub overdue_follow_ups: i64,
    /// A diversion's conditions overdue or missed on open episodes.
    pub conditions_due: i64,
    /// Referral prompts (an assessment's, an incident's) not yet decided.
    pub undecided_prompts: i64,
    /// Risk assessments, MARAC decisions and closures not yet signed off.
    #[serde(default)]
    pub sign_offs_pending: i64,
    /// Open cases with no contact for [`TeamMember::NO_CONTACT_DAYS`] days
    /// or more, or none recorded.
    pub no_recent_contact: i64,
}

impl TeamMember {
    pub const NO_CONTACT_DAYS: i64 = 28;
}

/// The team view: each keyworker's figures from the caseload (every case,
/// open or not) and what is due; keyworkers by name, the unnamed last.
/// Pure: the core gathers both and calls this.
pub fn team_view(caseload: &[CaseloadEntry], due: &[DueItem]) -> Vec<TeamMember> {
    let mut rows: std::collections::BTreeMap<(bool, Option<String>), TeamMember> =
        Default::default();
    fn get<'a>(
        rows: &'a mut std::collections::BTreeMap<(bool, Option<String>), TeamMember>,
        keyworker: &Option<String>,
    ) -> &'a mut TeamMember {
        rows.entry((keyworker.is_none(), keyworker.clone()))
            .or_insert_with(|| TeamMember {
                keyworker: keyworker.clone(),
                ..TeamMember::default()
            })
    }
    for case in caseload {
        if case.episode_status.as_deref() != Some("open") {
            continue;
        }
        let r = get(&mut rows, &case.keyworker);
        r.open_cases += 1;
        r.high_risk += i64::from(case.risk_level.as_deref() == Some("high"));
        r.overdue_reviews += i64::from(case.review_overdue);
        r.no_recent_contact += i64::from(
            case.days_since_contact
                .is_none_or(|d| d >= TeamMember::NO_CONTACT_DAYS),
        );
    }
    for item in due {
        let r = get(&mut rows, &item.keyworker);
        match item.due {
            Due::FollowUp { .. } => r.overdue_follow_ups += 1,
            Due::ConditionOverdue { .. } | Due::ConditionMissed { .. } => r.conditions_due += 1,
            Due::AssessmentPrompt { .. } | Due::EscalationPrompt { .. } => r.undecided_prompts += 1,
            Due::SignOff { .. } => r.sign_offs_pending += 1,
            Due::MaracActionOverdue { .. } => r.marac_actions_overdue += 1,
            Due::SupervisionAction { .. } => r.supervision_actions_due += 1,
            Due::SafetyPlanReview { .. } => r.overdue_reviews += 1,
        }
    }
    rows.into_values().collect()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineItem {
    pub at: DateTime<Utc>,
    /// The kind of record it is (`TimelineEvent::record_kind`).
    pub kind: String,
    pub id: Uuid,
    /// What happened, as values: each screen says it in its own language.
    pub event: TimelineEvent,
    pub detail: Option<String>,
    /// Who wrote it (notes), as `written_by` knows.
    pub by: Option<String>,
}

/// What a timeline entry records. The words are the reader's
/// (`waymark_l10n::Texts::timeline_event`); what people wrote (a session's
/// title, a programme's or a file's name) stays as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum TimelineEvent {
    Note {
        contact_type: ContactType,
        amended: bool,
    },
    Appointment {
        agency: Agency,
        outcome: Option<AppointmentOutcome>,
    },
    Attendance {
        title: String,
        attended: bool,
    },
    Assessment {
        template_key: String,
        score: i64,
        level: String,
    },
    Referral {
        agency: Agency,
        status: ReferralStatus,
    },
    Goal {
        need_area: NeedArea,
    },
    OutcomeRating {
        rating: i64,
    },
    FlagRaised {
        kind: FlagKind,
    },
    FlagResolved {
        kind: FlagKind,
    },
    EpisodeOpened {
        programme: String,
    },
    EpisodeClosed {
        programme: String,
    },
    Attachment {
        file_name: String,
    },
}

impl TimelineEvent {
    /// The kind of record the entry is about (a flag raised or resolved:
    /// a flag), as the core names it.
    pub fn record_kind(&self) -> &'static str {
        match self {
            TimelineEvent::Note { .. } => "note",
            TimelineEvent::Appointment { .. } => "appointment",
            TimelineEvent::Attendance { .. } => "attendance",
            TimelineEvent::Assessment { .. } => "assessment",
            TimelineEvent::Referral { .. } => "referral",
            TimelineEvent::Goal { .. } => "goal",
            TimelineEvent::OutcomeRating { .. } => "outcome_rating",
            TimelineEvent::FlagRaised { .. } | TimelineEvent::FlagResolved { .. } => "flag",
            TimelineEvent::EpisodeOpened { .. } | TimelineEvent::EpisodeClosed { .. } => "episode",
            TimelineEvent::Attachment { .. } => "attachment",
        }
    }
}

/// A case due for review under a retention rule: every episode closed, the
/// last of them at least the rule's days ago.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RetentionItem {
    pub case_id: Uuid,
    pub person_name: String,
    pub closed_on: NaiveDate,
    pub days_closed: i64,
    pub closure_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub kind: String,
    pub case_id: Uuid,
    pub record_id: Uuid,
    pub person_name: String,
    /// The matching text with matches between « and ».
    pub snippet: String,
    pub at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseExport {
    pub format: String,
    pub exported_at: DateTime<Utc>,
    pub person: Person,
    pub episodes: Vec<Episode>,
    pub notes: Vec<NoteHistory>,
    pub support_plan: Vec<GoalView>,
    pub appointments: Vec<Appointment>,
    pub assessments: Vec<Assessment>,
    pub referrals: Vec<Referral>,
    pub flags: Vec<Flag>,
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub stage_moves: Vec<StageMove>,
    #[serde(default)]
    pub conditions: Vec<Condition>,
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
    #[serde(default)]
    pub outcomes: CaseOutcomes,
    #[serde(default)]
    pub incidents: Vec<Incident>,
    /// A supervisor's sign-offs.
    #[serde(default)]
    pub sign_offs: Vec<SignOff>,
    #[serde(default)]
    pub marac_meetings: Vec<MaracMeeting>,
    #[serde(default)]
    pub marac_actions: Vec<MaracAction>,
    #[serde(default)]
    pub safety_plan: Option<SafetyPlan>,
    /// Children and household members: never the other party, whose
    /// details are not the person's to receive.
    #[serde(default)]
    pub linked_people: Vec<LinkedPerson>,
    /// Group sessions they were on the register of (not the group's note).
    #[serde(default)]
    pub attendance: Vec<Attendance>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub user_id: Uuid,
    pub user_name: Option<String>,
    pub action: String,
    pub kind: String,
    pub record_id: Option<Uuid>,
    pub case_id: Option<Uuid>,
}

/// The form of a note being written, saved as the person types.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoteDraft {
    pub body: String,
    pub contact_type: Option<ContactType>,
    pub duration_minutes: Option<i64>,
    pub location: Option<String>,
    /// When it was last saved (set by the store).
    pub saved_at: Option<DateTime<Utc>>,
}

/// Per-person preferences.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Lock after this many minutes without input.
    pub lock_minutes: u32,
    /// The app's language: "en" or "cy" (`LANGUAGES`).
    pub language: String,
}

/// One page of the caseload, most in need of attention first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseloadPage {
    /// Cases matching the filter, all pages together.
    pub total: usize,
    pub offset: usize,
    pub entries: Vec<CaseloadEntry>,
}

/// An assessment's score while it is being filled in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveScore {
    pub result: ScoreResult,
    /// Question ids still to answer before it can be saved.
    pub unanswered: Vec<String>,
}

/// A conflict as the review screen shows it: both values, when each was
/// written and whether by this device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConflictView {
    pub conflict: Conflict,
    pub case_name: Option<String>,
    pub kept: Side,
    pub other: Side,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Side {
    pub written_at: Option<DateTime<Utc>>,
    pub by_this_device: bool,
    /// The writing device, shortened for people to compare.
    pub device: String,
    /// The person (user name) whose confirmed identity signed what that
    /// device sent; several joined by " or " (a shared laptop); `None`:
    /// not known here.
    pub by: Option<String>,
}

/// Which value of a conflict to keep, in the words of the front end that
/// asks: the CLI speaks of this device's value and the other device's, the
/// review screen of the value shown and the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// The value this device wrote (if it wrote neither: the one shown).
    Mine,
    /// The value the other device wrote.
    Theirs,
    /// The value shown now (the later stamp).
    Shown,
    /// The value not shown.
    Other,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub id: Uuid,
    pub kind: String,
    pub record_id: Uuid,
    pub case_id: Option<Uuid>,
    pub field: String,
    pub kept_value: Value,
    pub kept_clock: String,
    pub lost_value: Value,
    pub lost_clock: String,
    pub detected_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// A person's identity as they show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    pub user: String,
    /// Six groups of five digits: compared, side by side or read aloud,
    /// with what an admin's device shows before the admin certifies it.
    pub fingerprint_phrase: String,
    /// The public key, in hex.
    pub public_key: String,
    /// The role an admin certified this identity as (as verified at the
    /// last sync); `None`: waiting for an admin to confirm, and until then
    /// colleagues' devices seal this person no case keys.
    pub confirmed_as: Option<Role>,
}

/// A device the server lists, as this device makes it out: the identity's
/// fingerprint phrase (computed here, not taken from the server) and whether
/// that identity's signature over the device's key holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListedDevice {
    pub device_id: Uuid,
    pub user: String,
    pub user_id: Uuid,
    /// The role the server holds for the person (what it lets them do).
    pub role: Role,
    pub label: String,
    pub last_seen_at_ms: i64,
    pub revoked: bool,
    /// The first 16 hex digits of the SHA-256 of the person's public key
    /// there, as the server reports it.
    pub key_fingerprint: Option<String>,
    /// The keys as the server relayed them (base64): the person's X25519
    /// key there, their identity key and its signature over the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_signature: Option<String>,
    /// The identity's fingerprint phrase, computed here from the key the
    /// server relayed (not taken from the server's word).
    pub fingerprint_phrase: Option<String>,
    /// The identity signed this device's key: a recipient traced to it.
    pub key_vouched: bool,
    /// The role an admin confirmed the identity as, as verified on this
    /// device at its last sync; `None`: waiting for an admin.
    pub confirmed_as: Option<Role>,
}

/// A refused change, for the report (no contents).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefusedChange {
    pub log_id: Uuid,
    pub seq: i64,
    pub change_id: Uuid,
    pub reason: String,
    /// When this device refused it.
    pub refused_at: DateTime<Utc>,
    /// The size of the change as it came (kept: `refused_change_body`).
    pub bytes: i64,
}

/// A sealed key this device did not keep, for the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefusedKey {
    pub log_id: Uuid,
    pub epoch: u32,
    pub reason: String,
    pub refused_at: DateTime<Utc>,
}

/// Where this person stands, for the CLI and the app.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrustState {
    /// The organisation key this device pinned (its fingerprint phrase).
    pub org_key_phrase: Option<String>,
    /// The role an admin certified this person's identity as; `None`:
    /// waiting for an admin to confirm.
    pub confirmed_as: Option<Role>,
    /// This device holds the organisation's signing key (the admin's device
    /// that made it).
    pub holds_org_key: bool,
    /// People whose identity verified here.
    pub certified_identities: i64,
}

/// A recipient the server listed that this device refused to seal to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefusedRecipient {
    /// The recipient key, in hex.
    pub recipient_key: String,
    pub reason: String,
    pub first_refused_at: DateTime<Utc>,
    pub last_refused_at: DateTime<Utc>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lock_minutes: DEFAULT_LOCK_MINUTES,
            language: "en".into(),
        }
    }
}

pub const DEFAULT_LOCK_MINUTES: u32 = 5;
pub const LOCK_MINUTES_RANGE: std::ops::RangeInclusive<u32> = 1..=60;
/// Languages a person can choose (the app's words: `waymark_l10n`).
pub const LANGUAGES: &[&str] = &["en", "cy"];

impl Settings {
    pub fn check(&self) -> Result<(), Invalid> {
        if !LOCK_MINUTES_RANGE.contains(&self.lock_minutes) {
            return Err(Invalid::new(
                "lock_minutes",
                format!(
                    "must be between {} and {} minutes",
                    LOCK_MINUTES_RANGE.start(),
                    LOCK_MINUTES_RANGE.end()
                ),
            ));
        }
        if !LANGUAGES.contains(&self.language.as_str()) {
            return Err(Invalid::new(
                "language",
                "is not one of: en (English), cy (Cymraeg)",
            ));
        }
        Ok(())
    }
}

/// Whether this laptop has a store and who is unlocked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreStatus {
    pub exists: bool,
    pub unlocked_as: Option<String>,
    pub role: Option<Role>,
    /// The local demo server's details, when the run command started one.
    pub demo: Option<DemoHint>,
    /// Why the app locked itself last (idle, the laptop slept, the screen
    /// locked), said once.
    pub why_locked: Option<String>,
}

/// Who holds a case, as the server decides access (its answer to
/// `POST /v1/cases/{log_id}/access`, a share or a reassignment, passed
/// through to the app).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct CaseAccess {
    pub log_id: Uuid,
    pub keyworker: Option<String>,
    /// The keyworker's team: its supervisors hold the case too.
    pub team: Option<String>,
    /// Colleagues it is shared with, by user name, in order.
    pub shared_with: Vec<String>,
    /// Which of them are volunteers, allocated the case's allocation log
    /// alone (its contact brief, appointments and their own notes).
    #[serde(default)]
    pub volunteers: Vec<String>,
}

/// What asking to erase a case did (the server's answer, passed through to
/// the app): erased, or asked and waiting until `due_at_ms` for a second
/// supervisor or admin (`ErasureRule::SecondPerson`) or for its time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Erasure {
    pub log_id: Uuid,
    pub state: ErasureState,
    pub rule: ErasureRule,
    /// With `requested`: when the request lapses (second person) or runs
    /// (grace).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at_ms: Option<i64>,
    /// With `erased`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erased_at_ms: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemoHint {
    pub server: String,
    pub worker: String,
    pub supervisor: String,
    pub passphrase: String,
}

/// A case as its screen opens it: the case and its timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CasePage {
    pub view: CaseView,
    pub timeline: Vec<TimelineItem>,
}

/// An attachment's contents, for showing inside the app only: nothing is
/// written to a temporary file the OS could keep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenedAttachment {
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: u64,
    pub data_base64: String,
}

/// The recovery key just made: shown once, never kept by the app.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecoveryKeyMade {
    pub fingerprint: String,
    pub text: String,
}

/// A person an admin confirmed, as the server took it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Confirmed {
    pub user: String,
    pub role: Role,
    /// The team the certificate names, if any.
    #[serde(default)]
    pub team: Option<String>,
    pub fingerprint_phrase: String,
}

/// The closed vocabularies the forms offer (contact types, agencies, ...),
/// by name, from the lists in `vocab`.
pub type Vocabularies = std::collections::BTreeMap<String, Vec<String>>;

/// Which half of a sync is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Push,
    Pull,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Phase::Push => "push",
            Phase::Pull => "pull",
        })
    }
}

/// The status bar: always visible while unlocked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncState {
    pub connected: bool,
    pub server: Option<String>,
    pub running: bool,
    pub phase: Option<Phase>,
    pub done: u64,
    pub total: u64,
    pub offline: bool,
    pub last_error: Option<String>,
    pub last_synced_ms: Option<i64>,
    pub unsynced_changes: i64,
    pub open_conflicts: usize,
    /// Changes pulled before their case key reached this laptop.
    pub awaiting_key: i64,
    /// Changes refused on arrival (tampered with, or breaking a rule).
    pub refused_changes: i64,
    /// No admin has confirmed this person's identity yet: colleagues'
    /// devices seal them no case keys.
    pub waiting_for_confirmation: bool,
}

/// Text another device chose (a device label), as it may be shown: without
/// the bidirectional controls that could make it read as something else
/// ("\u{202E}" turns "gpj.exe" around).
pub fn without_bidi_controls(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(
        keyworker: Option<&str>,
        open: bool,
        risk: Option<&str>,
        overdue: bool,
        days: Option<i64>,
    ) -> CaseloadEntry {
        CaseloadEntry {
            case_id: Uuid::nil(),
            full_name: "Test Person".into(),
            preferred_name: None,
            keyworker: keyworker.map(str::to_owned),
            episode_status: Some(if open { "open" } else { "closed" }.into()),
            risk_level: risk.map(str::to_owned),
            open_flags: 0,
            last_contact_at: None,
            days_since_contact: days,
            next_appointment_at: None,
            next_review_on: None,
            review_overdue: overdue,
            attention: 0,
        }
    }

    fn follow_up(keyworker: Option<&str>) -> DueItem {
        DueItem {
            case_id: Uuid::nil(),
            person_name: "Test Person".into(),
            keyworker: keyworker.map(str::to_owned),
            due_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            due: Due::FollowUp {
                episode_id: Uuid::nil(),
                programme: "Keywork".into(),
                months: 6,
            },
        }
    }

    #[test]
    fn the_team_view_counts_each_keyworkers_open_cases() {
        let cases = [
            entry(Some("bea"), true, Some("high"), true, Some(40)),
            entry(Some("amira"), true, Some("medium"), false, Some(2)),
            entry(Some("amira"), true, Some("high"), false, None),
            entry(Some("amira"), false, Some("high"), true, None),
            entry(None, true, None, false, Some(28)),
        ];
        let due = [follow_up(Some("amira")), follow_up(Some("cal"))];
        let rows = team_view(&cases, &due);
        let names: Vec<_> = rows.iter().map(|r| r.keyworker.as_deref()).collect();
        assert_eq!(names, [Some("amira"), Some("bea"), Some("cal"), None]);
        assert_eq!(
            rows[0],
            TeamMember {
                keyworker: Some("amira".into()),
                open_cases: 2,
                high_risk: 1,
                overdue_reviews: 0,
                marac_actions_overdue: 0,
                supervision_actions_due: 0,
                overdue_follow_ups: 1,
                conditions_due: 0,
                undecided_prompts: 0,
                sign_offs_pending: 0,
                no_recent_contact: 1,
            },
            "the closed case counts nowhere; no contact ever is no recent contact"
        );
        assert_eq!(
            (
                rows[1].high_risk,
                rows[1].overdue_reviews,
                rows[1].no_recent_contact
            ),
            (1, 1, 1)
        );
        assert_eq!(
            (rows[2].open_cases, rows[2].overdue_follow_ups),
            (0, 1),
            "a closed caseload's follow-up"
        );
        assert_eq!(
            (rows[3].open_cases, rows[3].no_recent_contact),
            (1, 1),
            "28 days is not recent"
        );
    }

    proptest! {
        /// Every open case and every due item is counted once, under its
        /// own keyworker, whatever the order.
        #[test]
        fn the_team_view_adds_up(
            cases in prop::collection::vec(
                (prop::option::of(0..4usize), any::<bool>(), prop::option::of(prop::sample::select(vec!["standard", "medium", "high"])), any::<bool>(), prop::option::of(0..60i64)),
                0..60,
            ),
            follow_ups in prop::collection::vec(prop::option::of(0..4usize), 0..20),
        ) {
            let names = ["amira", "bea", "cal", "dee"];
            let cases: Vec<_> = cases.iter().map(|(k, open, risk, overdue, days)| {
                entry(k.map(|i| names[i]), *open, *risk, *overdue, *days)
            }).collect();
            let due: Vec<_> = follow_ups.iter().map(|k| follow_up(k.map(|i| names[i]))).collect();
            let rows = team_view(&cases, &due);
            let open = cases.iter().filter(|c| c.episode_status.as_deref() == Some("open"));
            prop_assert_eq!(rows.iter().map(|r| r.open_cases).sum::<i64>(), open.clone().count() as i64);
            prop_assert_eq!(rows.iter().map(|r| r.overdue_follow_ups).sum::<i64>(), due.len() as i64);
            for r in &rows {
                let mine = open.clone().filter(|c| c.keyworker == r.keyworker);
                prop_assert_eq!(r.open_cases, mine.clone().count() as i64);
                prop_assert_eq!(r.high_risk, mine.clone().filter(|c| c.risk_level.as_deref() == Some("high")).count() as i64);
                prop_assert_eq!(r.overdue_reviews, mine.filter(|c| c.review_overdue).count() as i64);
            }
            let mut keys: Vec<_> = rows.iter().map(|r| (r.keyworker.is_none(), r.keyworker.clone())).collect();
            let sorted = { let mut k = keys.clone(); k.sort(); k };
            prop_assert_eq!(&keys, &sorted);
            keys.dedup();
            prop_assert_eq!(keys.len(), rows.len());
        }
    }

    #[test]
    fn a_label_shows_without_bidirectional_controls() {
        assert_eq!(
            without_bidi_controls("Amira\u{202E}s laptop\u{2066}\u{200F}"),
            "Amiras laptop"
        );
        assert_eq!(
            without_bidi_controls("Van 2 — Llandrindod"),
            "Van 2 — Llandrindod"
        );
    }
}
