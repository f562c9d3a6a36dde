//! What front ends send in: the inputs of the writing commands.

use crate::assessment::Answer;
use crate::records::*;
use crate::vocab::*;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct NewPerson {
    pub full_name: String,
    pub preferred_name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub pronouns: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub safe_contact: SafeContact,
    pub address: Option<String>,
    pub address_restricted: bool,
    pub needs: Vec<NeedArea>,
    pub consents: Vec<ConsentDecision>,
}

/// A new case from the app: the person and how they came to us.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewCase {
    pub person: NewPerson,
    pub referral_source: ReferralSource,
    pub programme: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewEpisode {
    pub case_id: Uuid,
    pub referral_source: ReferralSource,
    pub programme: String,
    pub keyworker: String,
    pub opened_on: NaiveDate,
    /// For a diversion programme: the disposal that brought the person.
    #[serde(default)]
    pub route: Option<DisposalRoute>,
}

/// A condition set on a diversion episode (see `Condition`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewCondition {
    pub episode_id: Uuid,
    pub kind: ConditionKind,
    #[serde(default)]
    pub detail: Option<String>,
    pub due_on: NaiveDate,
}

/// A condition met, missed or varied on a day; a varied one names its new
/// due day, and why.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct ConditionChange {
    pub condition_id: Uuid,
    pub status: ConditionStatus,
    pub on: NaiveDate,
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A follow-up recorded (see `FollowUp`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewFollowUp {
    pub episode_id: Uuid,
    pub months: i64,
    pub result: FollowUpResult,
    pub checked_on: NaiveDate,
    #[serde(default)]
    pub offence_on: Option<NaiveDate>,
    #[serde(default)]
    pub offence: Option<String>,
}

/// A status taken (see `StatusRecord`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewStatus {
    pub case_id: Uuid,
    pub area: StatusArea,
    pub value: String,
    pub point: StatusPoint,
    pub recorded_on: NaiveDate,
}

/// A programme outcome area rated (see `AreaRating`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewAreaRating {
    pub episode_id: Uuid,
    pub area: String,
    pub rating: i64,
    pub rated_on: NaiveDate,
}

/// Practical help given (see `SupportGiven`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewSupport {
    pub case_id: Uuid,
    pub kind: SupportKind,
    pub given_on: NaiveDate,
    #[serde(default)]
    pub amount_pence: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A MARAC meeting heard the case (see `MaracMeeting`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewMaracMeeting {
    pub case_id: Uuid,
    pub meeting_on: NaiveDate,
    #[serde(default)]
    pub referral_id: Option<Uuid>,
    #[serde(default)]
    pub outcome: Option<String>,
}

/// An action a MARAC meeting agreed (see `MaracAction`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewMaracAction {
    pub meeting_id: Uuid,
    pub agency: Agency,
    pub owner: String,
    pub action: String,
    pub due_on: NaiveDate,
}

/// A case's safety plan as it now stands (see `SafetyPlan`): each part in
/// words, empty for none, and the day to review it by.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct SafetyPlanInput {
    pub case_id: Uuid,
    #[serde(default)]
    pub safe_places: Option<String>,
    #[serde(default)]
    pub trusted_people: Option<String>,
    #[serde(default)]
    pub code_words: Option<String>,
    #[serde(default)]
    pub escape_bag: Option<String>,
    #[serde(default)]
    pub tech_safety: Option<String>,
    #[serde(default)]
    pub child_arrangements: Option<String>,
    pub review_on: Option<NaiveDate>,
}

/// A supervisor's sign-off (see `SignOff`): of the assessment, incident or
/// episode `subject_id`, as `subject` says.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewSignOff {
    pub subject: SignOffSubject,
    pub subject_id: Uuid,
    #[serde(default)]
    pub comment: Option<String>,
}

/// A group session (see `GroupSession`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewGroupSession {
    pub title: String,
    #[serde(default)]
    pub programme: Option<String>,
    pub place: String,
    pub held_on: NaiveDate,
    pub facilitators: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// An outreach tally (see `OutreachTally`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewOutreachTally {
    pub counted_on: NaiveDate,
    pub site: String,
    pub count: u32,
    #[serde(default)]
    pub help: Vec<HelpKind>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Someone linked to a case (see `LinkedPerson`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewLinkedPerson {
    pub case_id: Uuid,
    pub relation: Relation,
    pub name: String,
    #[serde(default)]
    pub date_of_birth: Option<NaiveDate>,
    #[serde(default)]
    pub lives: Option<String>,
    #[serde(default)]
    pub known_to_childrens_services: Option<bool>,
    #[serde(default)]
    pub details: Option<String>,
}

/// A supervision note (see `SupervisionNote`); held today unless a day is
/// given.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewSupervisionNote {
    pub case_id: Uuid,
    #[serde(default)]
    pub held_on: Option<NaiveDate>,
    pub discussion: String,
    #[serde(default)]
    pub decision: Option<String>,
    #[serde(default)]
    pub actions: Vec<AgreedAction>,
}

/// A domestic-abuse incident (see `Incident`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewIncident {
    pub case_id: Uuid,
    pub occurred_on: NaiveDate,
    pub kind: IncidentKind,
    #[serde(default)]
    pub police_called: bool,
    #[serde(default)]
    pub injuries: bool,
    #[serde(default)]
    pub children_present: bool,
    #[serde(default)]
    pub detail: Option<String>,
}

/// Feedback at closure (see `Feedback`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewFeedback {
    pub episode_id: Uuid,
    #[serde(default)]
    pub satisfaction: Option<i64>,
    #[serde(default)]
    pub words: Option<String>,
    pub given_on: NaiveDate,
}

/// A programme an admin adds (see `Programme`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewProgramme {
    pub name: String,
    pub kind: ProgrammeKind,
    pub planned_weeks: Option<i64>,
    #[serde(default)]
    pub outcome_areas: Vec<String>,
    #[serde(default)]
    pub follow_up_months: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewNote {
    pub case_id: Uuid,
    pub body: String,
    pub contact_type: ContactType,
    /// When the contact happened; now if not given.
    pub occurred_at: Option<DateTime<Utc>>,
    pub duration_minutes: Option<i64>,
    pub location: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewGoal {
    pub case_id: Uuid,
    pub need_area: NeedArea,
    pub description: String,
    pub review_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewPlanAction {
    pub goal_id: Uuid,
    pub description: String,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewAppointment {
    pub case_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<String>,
    pub agency: Agency,
    pub with_whom: Option<String>,
    pub reminder_minutes: Option<i64>,
    #[serde(default)]
    pub accompany: bool,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewReferral {
    pub case_id: Uuid,
    pub agency: Agency,
    pub reason: String,
    pub made_on: Option<NaiveDate>,
    pub assessment_id: Option<Uuid>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewAssessment {
    pub case_id: Uuid,
    pub template_key: String,
    /// The latest version if not given.
    pub template_version: Option<i64>,
    pub answers: BTreeMap<String, Answer>,
}
