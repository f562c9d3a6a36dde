//! The domain: what is recorded about a person supported, as plain values
//! with validation that names the field and the problem. No IO here.

use crate::error::{Error, Result};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use waymark_model::Reason;

pub use waymark_model::records::*;
pub use waymark_model::vocab::*;

const MAX_TEXT: usize = 200;
const MAX_BODY: usize = 100_000;
/// A safety plan's part, a MARAC outcome or action: a few sentences.
const MAX_PLAN_TEXT: usize = 2_000;

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
        return Err(Error::because(field, Reason::Empty));
    }
    longest(field, text, max)
}

fn longest(field: &str, text: &str, max: usize) -> Result<()> {
    if text.chars().count() > max {
        return Err(Error::because(field, Reason::TooLong { max }));
    }
    Ok(())
}

fn optional(field: &str, text: &Option<String>, max: usize) -> Result<()> {
    text.as_deref().map_or(Ok(()), |t| longest(field, t, max))
}

fn not_after(field: &str, date: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    if date > now.date_naive() {
        return Err(Error::because(field, Reason::DateInFuture { date }));
    }
    Ok(())
}

/// A day of a person's life: not after today, not before 1900.
fn a_day_we_can_know(field: &str, day: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    not_after(field, day, now)?;
    if day < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() {
        return Err(Error::because(field, Reason::Before1900 { date: day }));
    }
    Ok(())
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
            a_day_we_can_know("date_of_birth", dob, now)?;
        }
        if let Some(phone) = &self.phone {
            let ok = phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +()-".contains(c))
                && phone.chars().filter(char::is_ascii_digit).count() >= 6;
            if !ok {
                return Err(Error::because("phone", Reason::NotPhoneNumber));
            }
        }
        if let Some(email) = &self.email {
            if !email.contains('@') || email.contains(char::is_whitespace) || email.len() > MAX_TEXT
            {
                return Err(Error::because("email", Reason::NotEmailAddress));
            }
        }
        let sc = &self.safe_contact;
        optional("safe_contact.safe_times", &sc.safe_times, MAX_TEXT)?;
        optional("safe_contact.code_word", &sc.code_word, 60)?;
        optional("safe_contact.instructions", &sc.instructions, 1000)?;
        for (i, need) in self.needs.iter().enumerate() {
            if self.needs[..i].iter().any(|n| n.area == need.area) {
                return Err(Error::because(
                    "needs",
                    Reason::NeedListedTwice {
                        need: need.area.to_string(),
                    },
                ));
            }
            if let Some(since) = need.since {
                a_day_we_can_know("needs.since", since, now)?;
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
            return Err(Error::because(
                "address_restricted",
                waymark_model::Reason::RestrictedWithoutAddress,
            ));
        }
        Ok(())
    }
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
            (EpisodeStatus::Closed, None, _) => {
                Err(Error::because("closed_on", Reason::RequiredToClose))
            }
            (EpisodeStatus::Closed, Some(_), None) => {
                Err(Error::because("closure_reason", Reason::RequiredToClose))
            }
            (EpisodeStatus::Closed, Some(closed), Some(reason)) => {
                required("closure_reason", reason, 500)?;
                if closed < self.opened_on {
                    return Err(Error::because(
                        "closed_on",
                        Reason::BeforeEpisodeOpened {
                            date: closed,
                            opened: self.opened_on,
                        },
                    ));
                }
                Ok(())
            }
            (EpisodeStatus::Open, None, _) => Ok(()),
        }
    }
}

impl Record for StageMove {
    const KIND: &'static str = "stage_move";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        Some(self.case_id)
    }
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        not_after("moved_on", self.moved_on, now)
    }
    fn validate_whole(&self, _now: DateTime<Utc>) -> Result<()> {
        if self.stage == Stage::Referred {
            return Err(Error::invalid(
                "stage",
                "every episode starts referred; a move goes on from there",
            ));
        }
        Ok(())
    }
}

impl Record for Condition {
    const KIND: &'static str = "condition";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        Some(self.case_id)
    }
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        optional("detail", &self.detail, MAX_TEXT)?;
        optional("note", &self.note, 500)?;
        if let Some(on) = self.status_on {
            not_after("status_on", on, now)?;
        }
        Ok(())
    }
    fn validate_whole(&self, _now: DateTime<Utc>) -> Result<()> {
        match (self.status, self.status_on) {
            (ConditionStatus::Pending, Some(_)) => Err(Error::invalid(
                "status_on",
                "a pending condition has no day it was met, missed or varied",
            )),
            // Met, missed or varied: on which day.
            (status, None) if status != ConditionStatus::Pending => {
                Err(Error::because("status_on", Reason::Required))
            }
            _ => Ok(()),
        }
    }
}

impl Record for FollowUp {
    const KIND: &'static str = "follow_up";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        Some(self.case_id)
    }
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        not_after("checked_on", self.checked_on, now)?;
        if let Some(on) = self.offence_on {
            not_after("offence_on", on, now)?;
        }
        optional("offence", &self.offence, MAX_TEXT)?;
        if !(1..=60).contains(&self.months) {
            return Err(Error::because("months", Reason::FromTo { min: 1, max: 60 }));
        }
        Ok(())
    }
    fn validate_whole(&self, _now: DateTime<Utc>) -> Result<()> {
        let further = self.result == FollowUpResult::FurtherOffence;
        match (further, self.offence_on, &self.offence) {
            // A further offence needs its date and its kind.
            (true, None, _) => Err(Error::because("offence_on", Reason::Required)),
            (true, _, None) => Err(Error::because("offence", Reason::Required)),
            (false, Some(_), _) | (false, _, Some(_)) => Err(Error::invalid(
                "offence",
                format!(
                    "only a further offence has a date and kind, not {}",
                    self.result
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// The kind, id and case of a record that belongs to one case.
macro_rules! case_record {
    ($kind:literal) => {
        const KIND: &'static str = $kind;
        fn id(&self) -> Uuid {
            self.id
        }
        fn case_id(&self) -> Option<Uuid> {
            Some(self.case_id)
        }
    };
}

impl Record for StatusRecord {
    case_record!("status_record");
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        not_after("recorded_on", self.recorded_on, now)?;
        if !self.area.values().contains(&self.value.as_str()) {
            return Err(Error::invalid(
                "value",
                format!(
                    "{:?} is not a state of {}: one of {}",
                    self.value,
                    self.area,
                    self.area.values().join(", ")
                ),
            ));
        }
        Ok(())
    }
}

impl Record for AreaRating {
    case_record!("area_rating");
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        not_after("rated_on", self.rated_on, now)?;
        required("area", &self.area, MAX_NAME)?;
        if !RATING_SCALE.contains(&self.rating) {
            return Err(Error::because(
                "rating",
                Reason::FromTo {
                    min: *RATING_SCALE.start(),
                    max: *RATING_SCALE.end(),
                },
            ));
        }
        Ok(())
    }
}

impl Record for SupportGiven {
    case_record!("support_given");
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        not_after("given_on", self.given_on, now)?;
        optional("note", &self.note, MAX_TEXT)?;
        if let Some(p) = self.amount_pence {
            if !(1..=10_000_000).contains(&p) {
                return Err(Error::because(
                    "amount",
                    Reason::PoundsFromTo {
                        min_pence: 1,
                        max_pence: 10_000_000,
                    },
                ));
            }
        }
        Ok(())
    }
}

impl Record for Feedback {
    case_record!("feedback");
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        not_after("given_on", self.given_on, now)?;
        optional("words", &self.words, 2_000)?;
        if let Some(s) = self.satisfaction {
            if !(1..=5).contains(&s) {
                return Err(Error::because(
                    "satisfaction",
                    Reason::FromTo { min: 1, max: 5 },
                ));
            }
        }
        Ok(())
    }
    fn validate_whole(&self, _now: DateTime<Utc>) -> Result<()> {
        if self.satisfaction.is_none() && self.words.is_none() {
            return Err(Error::because(
                "satisfaction",
                Reason::ScoreOrWords { min: 1, max: 5 },
            ));
        }
        Ok(())
    }
}

impl Record for Equality {
    case_record!("equality");
    fn validate_fields(&self, _now: DateTime<Utc>) -> Result<()> {
        for q in EqualityQuestion::ALL
            .iter()
            .map(|q| q.parse::<EqualityQuestion>().expect("listed"))
        {
            let Some(answer) = self.answer(q) else {
                continue;
            };
            match q.answers() {
                Some(allowed) if !allowed.contains(&answer.as_str()) => {
                    return Err(Error::invalid(
                        q.as_str(),
                        format!("{answer:?} is not one of: {}", allowed.join(", ")),
                    ))
                }
                Some(_) => {}
                None => required(q.as_str(), answer, MAX_NAME)?,
            }
        }
        Ok(())
    }
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
                return Err(Error::because(
                    "duration_minutes",
                    Reason::FromTo {
                        min: 0,
                        max: 24 * 60,
                    },
                ));
            }
        }
        if self.occurred_at > now + Duration::hours(1) {
            return Err(Error::because("occurred_at", Reason::InFuture));
        }
        Ok(())
    }
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
            return Err(Error::because(
                "rating",
                Reason::FromTo {
                    min: *RATING_SCALE.start(),
                    max: *RATING_SCALE.end(),
                },
            ));
        }
        not_after("rated_on", self.rated_on, now)?;
        optional("comment", &self.comment, 1000)
    }
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
                return Err(Error::because(
                    "reminder_minutes",
                    Reason::FromTo {
                        min: 0,
                        max: 7 * 24 * 60,
                    },
                ));
            }
        }
        Ok(())
    }
    fn validate_whole(&self, now: DateTime<Utc>) -> Result<()> {
        if self.ends_at <= self.starts_at {
            return Err(Error::because("ends_at", Reason::EndsBeforeStart));
        }
        if self.ends_at - self.starts_at > Duration::hours(24) {
            return Err(Error::because("ends_at", Reason::LongerThanADay));
        }
        if matches!(
            self.outcome,
            Some(AppointmentOutcome::Attended | AppointmentOutcome::DidNotAttend)
        ) && self.starts_at > now
        {
            return Err(Error::because("outcome", Reason::BeforeAppointmentStarts));
        }
        Ok(())
    }
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
        optional("consent_topic", &self.consent_topic, MAX_TEXT)?;
        not_after("made_on", self.made_on, now)
    }
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
            return Err(Error::because("resolved_at", Reason::BeforeFlagRaised));
        }
        Ok(())
    }
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
            return Err(Error::because("file_name", Reason::NotAFileName));
        }
        check_attachment_size(self.size_bytes as u64)?;
        required("media_type", &self.media_type, 100)
    }
}

pub fn check_attachment_size(size: u64) -> Result<()> {
    if size > ATTACHMENT_LIMIT_BYTES {
        return Err(Error::because(
            "attachment",
            Reason::FileTooLarge {
                tenths_of_mib: (size as f64 / (1024.0 * 1024.0) * 10.0).round() as u64,
                limit_mib: ATTACHMENT_LIMIT_BYTES / (1024 * 1024),
            },
        ));
    }
    if size == 0 {
        return Err(Error::because("attachment", Reason::Empty));
    }
    Ok(())
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
        Ok(self.definition.check()?)
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

/// Longest programme or outcome-area name.
const MAX_NAME: usize = 80;

impl Record for Programme {
    const KIND: &'static str = "programme";
    fn id(&self) -> Uuid {
        self.id
    }
    fn case_id(&self) -> Option<Uuid> {
        None
    }
    fn validate_fields(&self, _now: DateTime<Utc>) -> Result<()> {
        required("name", &self.name, MAX_NAME)?;
        if let Some(weeks) = self.planned_weeks {
            if !(1..=520).contains(&weeks) {
                return Err(Error::because(
                    "planned_weeks",
                    Reason::FromTo { min: 1, max: 520 },
                ));
            }
        }
        if self.outcome_areas.len() > 20 {
            return Err(Error::because("outcome_areas", Reason::AtMost { max: 20 }));
        }
        let mut seen = std::collections::HashSet::new();
        for area in &self.outcome_areas {
            required("outcome_areas", area, MAX_NAME)?;
            if !seen.insert(area.trim().to_lowercase()) {
                return Err(Error::because(
                    "outcome_areas",
                    Reason::NamedTwice {
                        name: area.trim().to_owned(),
                    },
                ));
            }
        }
        if self.follow_up_months.len() > 4 {
            return Err(Error::because(
                "follow_up_months",
                Reason::AtMost { max: 4 },
            ));
        }
        for (i, months) in self.follow_up_months.iter().enumerate() {
            if !(1..=60).contains(months) {
                return Err(Error::because(
                    "follow_up_months",
                    Reason::FromTo { min: 1, max: 60 },
                ));
            }
            if self.follow_up_months[..i].contains(months) {
                return Err(Error::because(
                    "follow_up_months",
                    Reason::NamedTwice {
                        name: months.to_string(),
                    },
                ));
            }
        }
        Ok(())
    }
}

/// A prompt not acted on says why: from the reported list, `other` in
/// words too (a decision made before the list had words only).
fn check_decision(d: &PromptDecision) -> Result<()> {
    let words = d.reason.as_deref().is_some_and(|r| !r.trim().is_empty());
    match (d.decision, d.because) {
        (DecisionKind::Made, Some(_)) => Err(Error::because(
            "because",
            waymark_model::Reason::DeclinedOnly,
        )),
        (DecisionKind::Declined, None) if !words => {
            Err(Error::because("because", Reason::SayWhyNotMade))
        }
        (DecisionKind::Declined, Some(DeclineReason::Other)) if !words => {
            Err(Error::because("reason", Reason::OtherNeedsWords))
        }
        _ => Ok(()),
    }
}

impl Record for MaracMeeting {
    case_record!("marac_meeting");
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        optional("outcome", &self.outcome, MAX_PLAN_TEXT)?;
        // A meeting is booked ahead: up to a year on.
        if self.meeting_on > now.date_naive() + Duration::days(366) {
            return Err(Error::because("meeting_on", Reason::MoreThanAYearAhead));
        }
        Ok(())
    }
}

impl Record for MaracAction {
    case_record!("marac_action");
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        required("owner", &self.owner, 200)?;
        required("action", &self.action, MAX_PLAN_TEXT)?;
        if let Some(done) = self.done_on {
            not_after("done_on", done, now)?;
        }
        Ok(())
    }
}

impl Record for SafetyPlan {
    case_record!("safety_plan");
    fn validate_fields(&self, _now: DateTime<Utc>) -> Result<()> {
        for (field, value) in [
            ("safe_places", &self.safe_places),
            ("trusted_people", &self.trusted_people),
            ("code_words", &self.code_words),
            ("escape_bag", &self.escape_bag),
            ("tech_safety", &self.tech_safety),
            ("child_arrangements", &self.child_arrangements),
        ] {
            optional(field, value, MAX_PLAN_TEXT)?;
        }
        Ok(())
    }
}

impl Record for SignOff {
    case_record!("sign_off");
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        optional("comment", &self.comment, MAX_TEXT)?;
        if self.signed_at > now {
            return Err(Error::because("signed_at", Reason::InFuture));
        }
        Ok(())
    }
}

impl Record for GroupSession {
    const KIND: &'static str = "group_session";
    fn id(&self) -> Uuid {
        self.id
    }
    /// A session is a log of its own: its id.
    fn case_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
    fn validate_fields(&self, _now: DateTime<Utc>) -> Result<()> {
        required("title", &self.title, 200)?;
        optional("programme", &self.programme, 200)?;
        required("place", &self.place, 200)?;
        required("facilitators", &self.facilitators, 500)?;
        optional("note", &self.note, MAX_TEXT)
    }
}

impl Record for Attendance {
    case_record!("attendance");
    fn validate_fields(&self, _now: DateTime<Utc>) -> Result<()> {
        required("title", &self.title, 200)
    }
}

/// The longest note an outreach tally keeps: a few words, never a story.
pub const MAX_TALLY_NOTE: usize = 200;
/// The largest count one tally records.
pub const MAX_TALLY_COUNT: u32 = 1000;

impl Record for OutreachTally {
    const KIND: &'static str = "outreach_tally";
    fn id(&self) -> Uuid {
        self.id
    }
    /// A tally travels in its writer's tally log for the month.
    fn case_id(&self) -> Option<Uuid> {
        Some(self.log_id)
    }
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        not_after("counted_on", self.counted_on, now)?;
        required("site", &self.site, 200)?;
        if !(1..=MAX_TALLY_COUNT).contains(&self.count) {
            return Err(Error::because(
                "count",
                Reason::FromTo {
                    min: 1,
                    max: i64::from(MAX_TALLY_COUNT),
                },
            ));
        }
        optional("note", &self.note, MAX_TALLY_NOTE)
    }
}

impl Record for LinkedPerson {
    case_record!("linked_person");
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        required("name", &self.name, 200)?;
        if let Some(born) = self.date_of_birth {
            not_after("date_of_birth", born, now)?;
        }
        optional("lives", &self.lives, 500)?;
        optional("details", &self.details, MAX_TEXT)?;
        Ok(())
    }
}

/// Most actions one supervision note agrees.
pub const MAX_AGREED_ACTIONS: usize = 20;

impl Record for SupervisionActionDone {
    case_record!("supervision_action_done");
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        not_after("done_on", self.done_on, now)?;
        if !(0..MAX_AGREED_ACTIONS as i64).contains(&self.action_index) {
            return Err(Error::invalid("action_index", "is not an action's place"));
        }
        Ok(())
    }
    fn validate_whole(&self, _now: DateTime<Utc>) -> Result<()> {
        match self.id == SupervisionActionDone::id_of(self.note_id, self.action_index) {
            true => Ok(()),
            false => Err(Error::invalid("id", "is not its action's record")),
        }
    }
}

impl Record for ContactBrief {
    case_record!("contact_brief");
    fn validate_fields(&self, _now: DateTime<Utc>) -> Result<()> {
        required("name", &self.name, MAX_NAME)?;
        optional("phone", &self.phone, MAX_TEXT)?;
        if self.safe_contact.code_word.is_some() {
            return Err(Error::invalid(
                "safe_contact.code_word",
                "a volunteer's brief never carries the code word",
            ));
        }
        Ok(())
    }
    fn validate_whole(&self, _now: DateTime<Utc>) -> Result<()> {
        match self.id == ContactBrief::id_of(self.case_id) {
            true => Ok(()),
            false => Err(Error::invalid("id", "is not its case's brief")),
        }
    }
}

impl Record for SupervisionNote {
    case_record!("supervision_note");
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        not_after("held_on", self.held_on, now)?;
        required("discussion", &self.discussion, MAX_TEXT)?;
        optional("decision", &self.decision, MAX_TEXT)?;
        if self.actions.len() > MAX_AGREED_ACTIONS {
            return Err(Error::because(
                "actions",
                Reason::AtMost {
                    max: MAX_AGREED_ACTIONS as i64,
                },
            ));
        }
        for (i, a) in self.actions.iter().enumerate() {
            required(&format!("actions[{i}].action"), &a.action, MAX_PLAN_TEXT)?;
            required(&format!("actions[{i}].owner"), &a.owner, 200)?;
        }
        if self.written_at > now + chrono::Duration::minutes(5) {
            return Err(Error::because("written_at", Reason::InFuture));
        }
        Ok(())
    }
}

impl Record for Incident {
    case_record!("incident");
    fn validate_fields(&self, now: DateTime<Utc>) -> Result<()> {
        not_after("occurred_on", self.occurred_on, now)?;
        optional("detail", &self.detail, MAX_TEXT)?;
        if let Some(e) = &self.escalation {
            if !self.police_called || e.police_call_outs < e.criterion.police_call_outs {
                return Err(Error::invalid(
                    "escalation",
                    "only a police call-out that meets the criterion prompts a referral",
                ));
            }
            if let Some(d) = &e.decision {
                check_decision(d)?;
            }
        }
        Ok(())
    }
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
        self.decisions.iter().try_for_each(check_decision)
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
