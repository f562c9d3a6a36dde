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
    pub needs: Vec<Need>,
    pub consents: Vec<ConsentDecision>,
}

/// A person's details as an edit form holds them. Saving sends what the
/// form showed beside what it holds now, and only what the person changed
/// is written (`applied_to`): an edit a colleague synced meanwhile is kept.
/// A restricted address is never shown to the form (`address: None`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct PersonEdit {
    pub full_name: String,
    pub preferred_name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub pronouns: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub safe_contact: SafeContact,
    pub address: Option<String>,
    pub address_restricted: bool,
    pub needs: Vec<Need>,
}

impl PersonEdit {
    /// The form's starting values for `person` as a case view shows it
    /// (a restricted address already masked out).
    pub fn of(person: &Person) -> PersonEdit {
        PersonEdit {
            full_name: person.full_name.clone(),
            preferred_name: person.preferred_name.clone(),
            date_of_birth: person.date_of_birth,
            pronouns: person.pronouns.clone(),
            phone: person.phone.clone(),
            email: person.email.clone(),
            safe_contact: person.safe_contact.clone(),
            address: if person.address_restricted {
                None
            } else {
                person.address.clone()
            },
            address_restricted: person.address_restricted,
            needs: person.needs.clone(),
        }
    }

    /// The stored person with what the form changed from `shown` (pure):
    /// a field left as it was shown keeps the stored value. Who created the
    /// case, when, and the consents are never the form's.
    pub fn applied_to(self, shown: &PersonEdit, mut person: Person) -> Person {
        macro_rules! changed {
            ($from:expr, $to:expr, $was:expr; $($field:ident),*) => {
                $(if $from.$field != $was.$field { $to.$field = $from.$field; })*
            };
        }
        let address_changed = self.address != shown.address;
        let restriction_changed = self.address_restricted != shown.address_restricted;
        changed!(self.safe_contact, person.safe_contact, shown.safe_contact;
            calls_safe, texts_safe, voicemail_safe, safe_times, code_word, instructions);
        changed!(self, person, shown; full_name, preferred_name, date_of_birth, pronouns, phone, email, needs, address);
        if address_changed || restriction_changed {
            // Taking the restriction off an address the form never showed
            // would show it: only a new address comes unrestricted.
            let unseen = shown.address_restricted && shown.address.is_none() && !address_changed;
            person.address_restricted =
                self.address_restricted || (unseen && person.address_restricted);
        }
        person
    }
}

impl From<PersonEdit> for NewPerson {
    /// A new person from the same fields (no consents yet).
    fn from(p: PersonEdit) -> NewPerson {
        NewPerson {
            full_name: p.full_name,
            preferred_name: p.preferred_name,
            date_of_birth: p.date_of_birth,
            pronouns: p.pronouns,
            phone: p.phone,
            email: p.email,
            safe_contact: p.safe_contact,
            address: p.address,
            address_restricted: p.address_restricted,
            needs: p.needs,
            consents: vec![],
        }
    }
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
    /// The topic of the person's agreed consent that covers it.
    #[serde(default)]
    pub consent_topic: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct NewAssessment {
    pub case_id: Uuid,
    pub template_key: String,
    /// The latest version if not given.
    pub template_version: Option<i64>,
    pub answers: BTreeMap<String, Answer>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stored(address: Option<&str>, restricted: bool) -> Person {
        Person {
            id: Uuid::from_u128(7),
            full_name: "Orla Testcase".into(),
            preferred_name: None,
            date_of_birth: None,
            pronouns: Some("she/her".into()),
            phone: Some("07700 900123".into()),
            email: None,
            safe_contact: SafeContact::default(),
            address: address.map(str::to_owned),
            address_restricted: restricted,
            needs: vec![Need::new(NeedArea::Housing, None)],
            consents: vec![ConsentDecision {
                topic: "share with GP".into(),
                agreed: true,
                decided_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
                note: None,
            }],
            created_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            created_by: Uuid::from_u128(9),
        }
    }

    /// The form as the app opens it: from the case view, address masked.
    fn shown(person: &Person) -> PersonEdit {
        let mut view = person.clone();
        if view.address_restricted {
            view.address = None;
        }
        PersonEdit::of(&view)
    }

    #[test]
    fn an_unchanged_form_changes_nothing() {
        for (address, restricted) in [
            (Some("1 Refuge Lane"), true),
            (Some("2 High St"), false),
            (None, false),
        ] {
            let person = stored(address, restricted);
            let form = shown(&person);
            assert_eq!(form.clone().applied_to(&form, person.clone()), person);
        }
    }

    #[test]
    fn an_emptied_field_is_cleared_but_who_made_the_case_stays() {
        let person = stored(Some("2 High St"), false);
        let form = shown(&person);
        let mut edit = form.clone();
        edit.phone = None;
        edit.address = None;
        edit.full_name = "Orla T".into();
        let after = edit.applied_to(&form, person.clone());
        assert_eq!(
            (after.phone, after.address, after.full_name.as_str()),
            (None, None, "Orla T")
        );
        assert_eq!(
            (after.created_by, after.created_at, after.consents),
            (person.created_by, person.created_at, person.consents)
        );
    }

    #[test]
    fn a_colleagues_edit_synced_while_the_form_was_open_is_kept() {
        let person = stored(Some("2 High St"), false);
        let form = shown(&person);
        // Meanwhile a colleague's change arrives: a new phone, a code word.
        let mut synced = person.clone();
        synced.phone = Some("07700 900999".into());
        synced.safe_contact.code_word = Some("harbour".into());
        // This form changes the pronouns only.
        let mut edit = form.clone();
        edit.pronouns = Some("she/they".into());
        let after = edit.applied_to(&form, synced);
        assert_eq!(after.phone.as_deref(), Some("07700 900999"));
        assert_eq!(after.safe_contact.code_word.as_deref(), Some("harbour"));
        assert_eq!(after.pronouns.as_deref(), Some("she/they"));
    }

    proptest! {
        /// A restricted address is never shown to the form, so no edit
        /// without a new address clears it or takes its restriction off.
        #[test]
        fn a_restricted_address_stays_unless_replaced(unrestrict in any::<bool>(), name in "[A-Za-z ]{1,20}", new in proptest::option::of("[0-9a-z ]{1,30}")) {
            let person = stored(Some("1 Refuge Lane"), true);
            let form = shown(&person);
            let mut edit = form.clone();
            edit.full_name = name;
            edit.address_restricted = !unrestrict;
            edit.address = new.clone();
            let after = edit.applied_to(&form, person);
            match new {
                None => prop_assert_eq!((after.address.as_deref(), after.address_restricted), (Some("1 Refuge Lane"), true)),
                Some(n) => prop_assert_eq!((after.address, after.address_restricted), (Some(n), !unrestrict)),
            }
        }
    }
}
