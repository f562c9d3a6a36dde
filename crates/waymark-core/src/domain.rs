//! The domain: what is recorded about a person supported, as plain values
//! with validation that names the field and the problem. No IO here.

use crate::error::{Error, Result};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Closed sets of values stored as snake_case text. `ALL` feeds help texts and
/// error messages ("must be one of ...").
macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }
        impl $name {
            pub const ALL: &'static [&'static str] = &[$($text),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text),+ } }
            /// Parses the text form, naming `field` and the allowed values on error.
            pub fn parse(field: &str, text: &str) -> Result<Self> {
                match text { $($text => Ok($name::$variant),)+
                    _ => Err(Error::invalid(field, format!("{text:?} is not one of: {}", Self::ALL.join(", ")))) }
            }
        }
        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> std::result::Result<Self, String> {
                match text { $($text => Ok($name::$variant),)+
                    _ => Err(format!("{text:?} is not one of: {}", Self::ALL.join(", "))) }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

text_enum!(ContactType {
    FaceToFace = "face_to_face", Phone = "phone", Visit = "visit", Outreach = "outreach",
    Text = "text", Email = "email", Video = "video", Letter = "letter", Other = "other",
});
text_enum!(ReferralSource {
    Police = "police", Probation = "probation", Court = "court", LiaisonAndDiversion = "liaison_and_diversion",
    SelfReferral = "self", Health = "health", Housing = "housing", SocialCare = "social_care",
    VoluntarySector = "voluntary_sector", Other = "other",
});
text_enum!(EpisodeStatus { Open = "open", Closed = "closed" });
text_enum!(NeedArea {
    MentalHealth = "mental_health", SubstanceUse = "substance_use", Housing = "housing",
    DomesticAbuse = "domestic_abuse", Offending = "offending", Finance = "finance",
    PhysicalHealth = "physical_health", Education = "education_training_employment",
    FamilyAndChildren = "family_and_children", Other = "other",
});
text_enum!(GoalStatus { Active = "active", Achieved = "achieved", Dropped = "dropped" });
text_enum!(Agency {
    Probation = "probation", Court = "court", Gp = "gp", Housing = "housing", Police = "police",
    MentalHealth = "mental_health", SubstanceUse = "substance_use_service", SocialCare = "social_care",
    Marac = "marac", Idva = "idva", JobCentre = "job_centre", Solicitor = "solicitor",
    Refuge = "refuge", Other = "other",
});
text_enum!(AppointmentOutcome {
    Attended = "attended", DidNotAttend = "did_not_attend", Cancelled = "cancelled", Rescheduled = "rescheduled",
});
text_enum!(ReferralStatus { Made = "made", Accepted = "accepted", Declined = "declined", Closed = "closed" });
text_enum!(FlagKind {
    RiskFromOthers = "risk_from_others", RiskToSelf = "risk_to_self", RiskToOthers = "risk_to_others",
    ChildrenAtRisk = "children_at_risk", Stalking = "stalking", NoPhoneContact = "no_phone_contact",
    RefugeAddress = "refuge_address", Other = "other",
});

/// Largest attachment we accept: letters, ID scans and photos fit easily.
pub const ATTACHMENT_LIMIT_BYTES: u64 = 10 * 1024 * 1024;
const MAX_TEXT: usize = 200;
const MAX_BODY: usize = 100_000;

/// The kinds of record that sync; each maps to one table.
pub trait Record: Serialize + serde::de::DeserializeOwned {
    const KIND: &'static str;
    fn id(&self) -> Uuid;
    fn case_id(&self) -> Option<Uuid>;
    /// Rules each field obeys on its own (lengths, formats, dates not in the
    /// future). A change arriving through sync is held to them as well.
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()>;
    /// Rules between fields (a closed episode has a date and a reason). A
    /// local write obeys them; an arriving creation too. A later arriving
    /// change is not held to them: two devices may each change one side, and
    /// a rule that refused one of them would depend on the order they came in,
    /// so devices would no longer agree.
    fn validate_whole(&self, _now: DateTime<Utc>) -> Result<()> {
        Ok(())
    }
    fn validate(&self, now: DateTime<Utc>) -> Result<()> {
        self.validate_fields(now)?;
        self.validate_whole(now)
    }
}

fn required(field: &str, text: &str, max: usize) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    longest(field, text, max)
}

fn longest(field: &str, text: &str, max: usize) -> Result<()> {
    if text.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    Ok(())
}

fn optional(field: &str, text: &Option<String>, max: usize) -> Result<()> {
    text.as_deref().map_or(Ok(()), |t| longest(field, t, max))
}

fn not_after(field: &str, date: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    if date > now.date_naive() {
        return Err(Error::invalid(field, format!("{date} is in the future")));
    }
    Ok(())
}

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

impl Record for Person {
    const KIND: &'static str = "person";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        required("full_name", &self.full_name, MAX_TEXT)?;
        optional("preferred_name", &self.preferred_name, MAX_TEXT)?;
        optional("pronouns", &self.pronouns, 40)?;
        optional("address", &self.address, 500)?;
        if let Some(dob) = self.date_of_birth {
            not_after("date_of_birth", dob, now)?;
            if dob < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() {
                return Err(Error::invalid(
                    "date_of_birth",
                    format!("{dob} is before 1900"),
                ));
            }
        }
        if let Some(phone) = &self.phone {
            let ok = phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +()-".contains(c))
                && phone.chars().filter(char::is_ascii_digit).count() >= 6;
            if !ok {
                return Err(Error::invalid(
                    "phone",
                    "must be a phone number (digits, spaces, + ( ) -)",
                ));
            }
        }
        if let Some(email) = &self.email {
            if !email.contains('@') || email.contains(char::is_whitespace) || email.len() > MAX_TEXT
            {
                return Err(Error::invalid("email", "must be an email address"));
            }
        }
        let sc = &self.safe_contact;
        optional("safe_contact.safe_times", &sc.safe_times, MAX_TEXT)?;
        optional("safe_contact.code_word", &sc.code_word, 60)?;
        optional("safe_contact.instructions", &sc.instructions, 1000)?;
        for (i, need) in self.needs.iter().enumerate() {
            if self.needs[..i].contains(need) {
                return Err(Error::invalid("needs", format!("{need} is listed twice")));
            }
        }
        for c in &self.consents {
            required("consents.topic", &c.topic, MAX_TEXT)?;
            not_after("consents.decided_on", c.decided_on, now)?;
        }
        Ok(())
    }
    fn validate_whole(&self, _now: DateTime<Utc>) -> Result<()> {
        if self.address_restricted && self.address.is_none() {
            return Err(Error::invalid(
                "address_restricted",
                "is set but there is no address",
            ));
        }
        Ok(())
    }
}

/// An episode of support: one referral in, one programme, one keyworker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Episode {
    pub id: Uuid,
    pub case_id: Uuid,
    pub referral_source: ReferralSource,
    pub programme: String,
    pub keyworker: String,
    pub status: EpisodeStatus,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub closure_reason: Option<String>,
}

impl Record for Episode {
    const KIND: &'static str = "episode";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        Some(self.case_id)
    }
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        required("programme", &self.programme, MAX_TEXT)?;
        required("keyworker", &self.keyworker, MAX_TEXT)?;
        not_after("opened_on", self.opened_on, now)?;
        optional("closure_reason", &self.closure_reason, 500)?;
        if let Some(closed) = self.closed_on {
            not_after("closed_on", closed, now)?;
        }
        Ok(())
    }
    fn validate_whole(&self, _now: DateTime<Utc>) -> Result<()> {
        match (self.status, self.closed_on, &self.closure_reason) {
            (EpisodeStatus::Open, Some(_), _) => Err(Error::invalid(
                "closed_on",
                "an open episode has no closing date",
            )),
            (EpisodeStatus::Closed, None, _) => Err(Error::invalid(
                "closed_on",
                "is required to close an episode",
            )),
            (EpisodeStatus::Closed, Some(_), None) => Err(Error::invalid(
                "closure_reason",
                "is required to close an episode",
            )),
            (EpisodeStatus::Closed, Some(closed), Some(reason)) => {
                required("closure_reason", reason, 500)?;
                if closed < self.opened_on {
                    return Err(Error::invalid(
                        "closed_on",
                        format!("{closed} is before the episode opened ({})", self.opened_on),
                    ));
                }
                Ok(())
            }
            (EpisodeStatus::Open, None, _) => Ok(()),
        }
    }
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

impl Record for Note {
    const KIND: &'static str = "note";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        Some(self.case_id)
    }
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        required("body", &self.body, MAX_BODY)?;
        optional("location", &self.location, MAX_TEXT)?;
        if let Some(d) = self.duration_minutes {
            if !(0..=24 * 60).contains(&d) {
                return Err(Error::invalid(
                    "duration_minutes",
                    "must be between 0 and 1440",
                ));
            }
        }
        if self.occurred_at > now + Duration::hours(1) {
            return Err(Error::invalid("occurred_at", "is in the future"));
        }
        Ok(())
    }
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

impl Record for NoteAmendment {
    const KIND: &'static str = "note_amendment";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        Some(self.case_id)
    }
    fn validate_fields(&self, _now: DateTime<Utc>) -> Result<()> {
        required("body", &self.body, MAX_BODY)?;
        required("reason", &self.reason, 500)
    }
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

impl Record for Goal {
    const KIND: &'static str = "goal";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        Some(self.case_id)
    }
    fn validate_fields(&self, _now: DateTime<Utc>) -> Result<()> {
        required("description", &self.description, 1000)
    }
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

impl Record for PlanAction {
    const KIND: &'static str = "plan_action";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        Some(self.case_id)
    }
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        required("description", &self.description, 1000)?;
        required("owner", &self.owner, MAX_TEXT)?;
        if let Some(done) = self.done_on {
            not_after("done_on", done, now)?;
        }
        Ok(())
    }
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

impl Record for OutcomeRating {
    const KIND: &'static str = "outcome_rating";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        Some(self.case_id)
    }
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        if !RATING_SCALE.contains(&self.rating) {
            return Err(Error::invalid(
                "rating",
                format!(
                    "must be from {} to {}",
                    RATING_SCALE.start(),
                    RATING_SCALE.end()
                ),
            ));
        }
        not_after("rated_on", self.rated_on, now)?;
        optional("comment", &self.comment, 1000)
    }
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

impl Record for Appointment {
    const KIND: &'static str = "appointment";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        Some(self.case_id)
    }
    fn validate_fields(&self, _now: DateTime<Utc>) -> Result<()> {
        optional("place", &self.place, MAX_TEXT)?;
        optional("with_whom", &self.with_whom, MAX_TEXT)?;
        optional("outcome_note", &self.outcome_note, 1000)?;
        if let Some(r) = self.reminder_minutes {
            if !(0..=7 * 24 * 60).contains(&r) {
                return Err(Error::invalid(
                    "reminder_minutes",
                    "must be between 0 and 10080 (a week)",
                ));
            }
        }
        Ok(())
    }
    fn validate_whole(&self, now: DateTime<Utc>) -> Result<()> {
        if self.ends_at <= self.starts_at {
            return Err(Error::invalid(
                "ends_at",
                "the appointment ends before it starts",
            ));
        }
        if self.ends_at - self.starts_at > Duration::hours(24) {
            return Err(Error::invalid(
                "ends_at",
                "an appointment lasts at most 24 hours",
            ));
        }
        if matches!(
            self.outcome,
            Some(AppointmentOutcome::Attended | AppointmentOutcome::DidNotAttend)
        ) && self.starts_at > now
        {
            return Err(Error::invalid(
                "outcome",
                "attendance cannot be recorded before the appointment starts",
            ));
        }
        Ok(())
    }
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

impl Record for Referral {
    const KIND: &'static str = "referral";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        Some(self.case_id)
    }
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        required("reason", &self.reason, 1000)?;
        optional("outcome", &self.outcome, 1000)?;
        not_after("made_on", self.made_on, now)
    }
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

impl Record for Flag {
    const KIND: &'static str = "flag";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        Some(self.case_id)
    }
    fn validate_fields(&self, _now: DateTime<Utc>) -> Result<()> {
        optional("detail", &self.detail, 1000)
    }
    fn validate_whole(&self, _now: DateTime<Utc>) -> Result<()> {
        if self.resolved_at.is_some_and(|r| r < self.raised_at) {
            return Err(Error::invalid(
                "resolved_at",
                "is before the flag was raised",
            ));
        }
        Ok(())
    }
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

impl Record for Attachment {
    const KIND: &'static str = "attachment";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        Some(self.case_id)
    }
    fn validate_fields(&self, _now: DateTime<Utc>) -> Result<()> {
        required("file_name", &self.file_name, MAX_TEXT)?;
        if self.file_name.contains(['/', '\\', '\0']) {
            return Err(Error::invalid(
                "file_name",
                "must be a file name, not a path",
            ));
        }
        check_attachment_size(self.size_bytes as u64)?;
        required("media_type", &self.media_type, 100)
    }
}

pub fn check_attachment_size(size: u64) -> Result<()> {
    if size > ATTACHMENT_LIMIT_BYTES {
        return Err(Error::invalid(
            "attachment",
            format!(
                "is {:.1} MiB; the limit is {} MiB",
                size as f64 / (1024.0 * 1024.0),
                ATTACHMENT_LIMIT_BYTES / (1024 * 1024)
            ),
        ));
    }
    if size == 0 {
        return Err(Error::invalid("attachment", "is empty"));
    }
    Ok(())
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

impl Record for AssessmentTemplate {
    const KIND: &'static str = "assessment_template";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        None
    }
    fn validate_fields(&self, _now: DateTime<Utc>) -> Result<()> {
        self.definition.check()
    }
    fn validate_whole(&self, _now: DateTime<Utc>) -> Result<()> {
        if self.definition.key != self.key || self.definition.version != self.template_version {
            return Err(Error::invalid(
                "template",
                "key and version must match its definition",
            ));
        }
        Ok(())
    }
}

text_enum!(DecisionKind { Made = "made", Declined = "declined" });

/// What the worker decided about an action a threshold prompted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PromptDecision {
    pub prompt_index: usize,
    pub decision: DecisionKind,
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

impl Record for Assessment {
    const KIND: &'static str = "assessment";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        Some(self.case_id)
    }
    fn validate_fields(&self, _now: DateTime<Utc>) -> Result<()> {
        for d in &self.decisions {
            if d.decision == DecisionKind::Declined
                && d.reason.as_deref().is_none_or(|r| r.trim().is_empty())
            {
                return Err(Error::invalid(
                    "reason",
                    "say why the prompted action was not taken",
                ));
            }
        }
        Ok(())
    }
    fn validate_whole(&self, _now: DateTime<Utc>) -> Result<()> {
        if let Some(d) = self
            .decisions
            .iter()
            .find(|d| d.prompt_index >= self.prompts.len())
        {
            return Err(Error::invalid(
                "prompt",
                format!("this assessment has no prompt {}", d.prompt_index),
            ));
        }
        Ok(())
    }
}
