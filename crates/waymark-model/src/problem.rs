//! What an error becomes at the app's boundary: plain words, beside the form
//! field it concerns when there is one, and a code when a screen acts on the
//! kind of error. Never case data: it may be shown, logged or screenshotted.

use crate::vocab::{
    AdminTask, ConditionKind, ConditionStatus, GuessAdvice, GuessWarning, NetworkFailure, Stage,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The kinds of error a screen tells apart. A field's problem has `field`
/// set and needs no code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// No one is unlocked: the screen goes back to the unlock form.
    Locked,
    /// The passphrase given does not open the store.
    WrongPassphrase,
    /// The organisation withdrew this laptop; its store is erased.
    DeviceRevoked,
    /// The server could not be reached; the work is kept for later.
    Offline,
    /// The person is not connected to a server yet.
    NotConnected,
    /// The server (or this laptop) refused what was asked.
    Refused,
    /// The thing asked for is not here (erased, or never held here).
    NotFound,
}

/// Why a field was refused, for the screens to say in the person's
/// language (`Texts::reason`, each its own message `reason-…`). The core's
/// English words for it are its `Display`, what the CLI and logs show.
/// A field's problem without one is said in English everywhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    Empty,
    TooLong {
        max: usize,
    },
    /// A day after today.
    DateInFuture {
        date: NaiveDate,
    },
    /// A moment later than now.
    InFuture,
    /// A day before today, where only today or later will do.
    DateInPast {
        date: NaiveDate,
    },
    Before1900 {
        date: NaiveDate,
    },
    /// A day before the episode it belongs to opened.
    BeforeEpisodeOpened {
        date: NaiveDate,
        opened: NaiveDate,
    },
    /// A move of an episode dated before its last move (or its opening).
    BeforeLastMove {
        date: NaiveDate,
        last: NaiveDate,
    },
    /// A number outside a range.
    FromTo {
        min: i64,
        max: i64,
    },
    /// A number under its least.
    AtLeast {
        min: i64,
    },
    /// A number, or a list's length, over its most.
    AtMost {
        max: i64,
    },
    /// A name given twice in one list.
    NamedTwice {
        name: String,
    },
    /// An end at or before its start.
    EndsBeforeStart,
    /// An appointment of more than 24 hours.
    LongerThanADay,
    /// A day booked more than a year on.
    MoreThanAYearAhead,
    /// Left out, where it must be given.
    Required,
    /// A MARAC action due before the meeting that agreed it.
    BeforeMeeting {
        date: NaiveDate,
        meeting: NaiveDate,
    },
    /// A follow-up's offence on or before the day its episode closed.
    NotAfterEpisodeClosed {
        date: NaiveDate,
        closed: NaiveDate,
    },
    AlreadyDone,
    AlreadyClosed,
    /// An episode closed, where an open one is needed.
    EpisodeClosed,
    NotPhoneNumber,
    NotEmailAddress,
    NeedListedTwice {
        need: String,
    },
    RequiredToClose,
    AlreadyResolved,
    /// A referral naming a consent the person has not agreed to (or whose
    /// latest decision refused it).
    NotAgreedConsent,
    /// Taking off a need the person does not have.
    NotANeed,
    /// An amount of money outside its range.
    PoundsFromTo {
        min_pence: i64,
        max_pence: i64,
    },
    /// Feedback with neither a score nor the person's words.
    ScoreOrWords {
        min: i64,
        max: i64,
    },
    /// Attendance recorded before the appointment starts.
    BeforeAppointmentStarts,
    /// A flag resolved before it was raised.
    BeforeFlagRaised,
    /// A file over the size limit (its size in tenths of a MiB).
    FileTooLarge {
        tenths_of_mib: u64,
        limit_mib: u64,
    },
    /// A path where only a file's name will do.
    NotAFileName,
    /// "Other" chosen as the reason, without the reason in words.
    OtherNeedsWords,
    /// An amended note's text unchanged.
    SameAsNoteText,
    /// A search of punctuation only.
    NoLetterOrDigit,
    /// A user name outside what a person may be called here.
    NotAUserName,
    /// Unlocking without a user name, where the laptop cannot tell who.
    GiveUserName {
        /// More than one person uses Waymark on this laptop.
        shared_laptop: bool,
    },
    /// Unlocking with the passphrase from before a change.
    PassphraseChanged,
    /// A person removed from this device trying to unlock it.
    RemovedFromDevice {
        name: String,
    },
    AlreadySignedOff,
    /// A prompt (or a prompted referral) decided before.
    AlreadyDecided,
    /// An erasure asked for without its reason.
    SayWhyErased,
    /// A report's period starting after it ends.
    AfterPeriodEnd {
        from: NaiveDate,
        to: NaiveDate,
    },
    /// A new passphrase under the least length.
    PassphraseTooShort {
        min: usize,
    },
    /// A user name this device holds no store for.
    NotEnrolledHere {
        name: String,
    },
    /// A manager's write: they read and change nothing.
    ManagerReadsOnly,
    /// A volunteer's write of anything but their notes and outcomes.
    VolunteerNotesOnly,
    OnlySupervisorSignsOff,
    OnlySupervisorWritesNotes,
    OnlySupervisorErases,
    /// A condition met, missed or varied before: that stands.
    ConditionSettled {
        status: ConditionStatus,
        on: NaiveDate,
    },
    OnlyVariedChangesDue,
    /// A follow-up of an episode still open.
    EpisodeStillOpen,
    /// A follow-up checked before it falls due.
    FollowUpNotDue {
        months: i64,
        due: NaiveDate,
    },
    FollowUpRecorded {
        months: i64,
        on: NaiveDate,
    },
    ProgrammeNameTaken {
        name: String,
    },
    ProgrammeRetired {
        name: String,
    },
    OtherPartyNotACase,
    HasOwnCase,
    NoEscalation,
    /// An attachment whose contents have not been fetched.
    NotOnDeviceYet,
    Removed,
    /// An address marked restricted, with no address.
    RestrictedWithoutAddress,
    FeedbackGiven {
        on: NaiveDate,
    },
    TemplateVersionExists {
        key: String,
        version: i64,
    },
    RecoveryKeyFirst,
    OnlyConfirmedAdmin,
    LogInFirst,
    /// A reason for not acting, given with a decision to act.
    DeclinedOnly,
    /// The server could not be reached (the work stays on the laptop).
    Unreachable {
        failure: NetworkFailure,
    },
    NotConnectedYet,
    NotAServerAddress,
    UnknownCredentials,
    EnrolmentCodeRefused,
    ChooseOwnPassphrase,
    AccountDisabled,
    AccessWithdrawn,
    /// Completing an episode whose conditions are not all met: each one's
    /// kind, due day and where it stands.
    ConditionsNotMet {
        unmet: Vec<(ConditionKind, NaiveDate, ConditionStatus)>,
    },
    /// A stage move from an episode that has ended.
    EpisodeEnded {
        stage: Stage,
    },
    /// A stage move to a stage the episode cannot reach from where it is.
    NotOnward {
        stage: Stage,
        onward: Vec<Stage>,
        to: Stage,
    },
    /// Conditions for an episode without a disposal route.
    NoDisposalRoute,
    /// Organisation data written by someone not a confirmed admin.
    OnlyAdmin {
        task: AdminTask,
    },
    /// A programme by a name none has (`open`: the organisation's).
    NoSuchProgramme {
        name: String,
        open: Vec<String>,
    },
    /// A new passphrase zxcvbn finds easy to guess: what it found, if it
    /// says, and how to do better.
    EasyToGuess {
        warning: Option<GuessWarning>,
        advice: GuessAdvice,
    },
    /// A follow-up at months the episode's programme does not follow up at
    /// (`months` empty: it sets none).
    FollowUpMonths {
        programme: String,
        months: Vec<i64>,
        asked: i64,
    },
    /// An outcome area the episode's programme does not rate (`areas`
    /// empty: it names none).
    NotAnOutcomeArea {
        programme: String,
        areas: Vec<String>,
        asked: String,
    },
    /// A follow-up or an outcome of an episode in none of the
    /// organisation's programmes, which say what those are.
    InNoProgramme {
        for_follow_ups: bool,
    },
    OnlyReportRoles,
    /// A team no certificate on this device names (`teams`: those that do).
    NoSuchTeam {
        asked: String,
        teams: Vec<String>,
    },
    /// One name for several programmes (two admins offline each added it).
    ProgrammeNamedMoreThanOnce {
        name: String,
        count: usize,
    },
    /// A disposal route for a programme that is not a diversion scheme.
    RouteOnlyForDiversion {
        programme: String,
    },
    NotAMaracReferral,
    /// A MARAC form asked of an assessment that prompts no referral.
    NotARiskAssessment {
        template: String,
    },
    /// A supervision note's action by a number it does not have.
    NoSuchAction {
        count: usize,
    },
    /// An assessment's prompt by a number it does not have.
    NoSuchPrompt {
        number: usize,
    },
    NoSuchTemplate {
        key: String,
        version: Option<i64>,
    },
    /// A condition's outcome that is not one of the three.
    MetMissedOrVaried,
    /// A passphrase the CLI cannot ask for (no terminal) and the
    /// environment does not give.
    SetOrAskInTerminal {
        var: String,
    },
    PassphrasesDiffer,
    /// A prompted referral declined without saying why (from the list).
    SayWhyNotMade,
}

/// An amount in pence as people write it: "£1,250.00".
pub fn pounds(pence: i64) -> String {
    let (sign, pence) = if pence < 0 {
        ("-", -pence)
    } else {
        ("", pence)
    };
    let whole = (pence / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}£{grouped}.{:02}", pence % 100)
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Empty => f.write_str("must not be empty"),
            Reason::TooLong { max } => write!(f, "is longer than {max} characters"),
            Reason::DateInFuture { date } => write!(f, "{date} is in the future"),
            Reason::InFuture => f.write_str("is in the future"),
            Reason::DateInPast { date } => write!(f, "{date} is in the past"),
            Reason::Before1900 { date } => write!(f, "{date} is before 1900"),
            Reason::BeforeEpisodeOpened { date, opened } => {
                write!(f, "{date} is before the episode opened ({opened})")
            }
            Reason::BeforeLastMove { date, last } => write!(
                f,
                "{date} is before the episode's last move or its opening ({last})"
            ),
            Reason::FromTo { min, max } => write!(f, "must be from {min} to {max}"),
            Reason::AtLeast { min } => write!(f, "must be {min} or more"),
            Reason::AtMost { max } => write!(f, "must be {max} or fewer"),
            Reason::NamedTwice { name } => write!(f, "{name:?} is named twice"),
            Reason::EndsBeforeStart => f.write_str("ends before it starts"),
            Reason::LongerThanADay => f.write_str("is more than 24 hours after the start"),
            Reason::MoreThanAYearAhead => f.write_str("is more than a year ahead"),
            Reason::Required => f.write_str("is required"),
            Reason::BeforeMeeting { date, meeting } => {
                write!(f, "{date} is before the meeting ({meeting})")
            }
            Reason::NotAfterEpisodeClosed { date, closed } => {
                write!(f, "{date} is not after the episode closed ({closed})")
            }
            Reason::AlreadyDone => f.write_str("is done already"),
            Reason::AlreadyClosed => f.write_str("is already closed"),
            Reason::EpisodeClosed => f.write_str("is closed"),
            Reason::NotPhoneNumber => {
                f.write_str("must be a phone number (digits, spaces, + ( ) -)")
            }
            Reason::NotEmailAddress => f.write_str("must be an email address"),
            Reason::NeedListedTwice { need } => write!(f, "{need} is listed twice"),
            Reason::RequiredToClose => f.write_str("is required to close an episode"),
            Reason::AlreadyResolved => f.write_str("is already resolved"),
            Reason::NotAgreedConsent => f.write_str("is not a consent the person has agreed to"),
            Reason::NotANeed => f.write_str("is not one of the person's needs"),
            Reason::PoundsFromTo {
                min_pence,
                max_pence,
            } => write!(
                f,
                "must be from {} to {}",
                pounds(*min_pence),
                pounds(*max_pence)
            ),
            Reason::ScoreOrWords { min, max } => {
                write!(f, "needs a score from {min} to {max}, or their words")
            }
            Reason::BeforeAppointmentStarts => {
                f.write_str("cannot be recorded before the appointment starts")
            }
            Reason::BeforeFlagRaised => f.write_str("is before the flag was raised"),
            Reason::FileTooLarge {
                tenths_of_mib,
                limit_mib,
            } => write!(
                f,
                "is {}.{} MiB; the limit is {limit_mib} MiB",
                tenths_of_mib / 10,
                tenths_of_mib % 10
            ),
            Reason::NotAFileName => f.write_str("must be a file name, not a path"),
            Reason::OtherNeedsWords => f.write_str("\"other\" needs the reason in words"),
            Reason::SameAsNoteText => f.write_str("is the same as the note's current text"),
            Reason::NoLetterOrDigit => f.write_str("must contain at least one letter or digit"),
            Reason::NotAUserName => {
                f.write_str("must be 1 to 64 letters, digits, spaces or . _ - ' @")
            }
            Reason::GiveUserName { shared_laptop } => {
                if *shared_laptop {
                    f.write_str("more than one person uses Waymark on this laptop: ")?;
                }
                f.write_str("give your user name")
            }
            Reason::PassphraseChanged => {
                f.write_str("your passphrase was changed: unlock with the new one")
            }
            Reason::RemovedFromDevice { name } => {
                write!(f, "{name:?} has been removed from this device")
            }
            Reason::AlreadySignedOff => f.write_str("is signed off already"),
            Reason::AlreadyDecided => f.write_str("has been decided already"),
            Reason::SayWhyErased => f.write_str("say why the case is erased"),
            Reason::AfterPeriodEnd { from, to } => write!(f, "{from} is after the end of the period ({to})"),
            Reason::PassphraseTooShort { min } => write!(f, "must be at least {min} characters; a few unrelated words work well"),
            Reason::NotEnrolledHere { name } => write!(f, "{name:?} is not enrolled on this device"),
            Reason::ManagerReadsOnly => f.write_str("a manager reads the organisation's cases and changes none"),
            Reason::VolunteerNotesOnly => f.write_str("a volunteer records notes and appointments' outcomes only"),
            Reason::OnlySupervisorSignsOff => f.write_str("only a supervisor or an admin the organisation confirmed signs off"),
            Reason::OnlySupervisorWritesNotes => f.write_str("only a supervisor the organisation confirmed writes supervision notes"),
            Reason::OnlySupervisorErases => f.write_str("only a supervisor or an admin may erase a case"),
            Reason::ConditionSettled { status, on } => write!(f, "was recorded {status} on {on}: that stands"),
            Reason::OnlyVariedChangesDue => f.write_str("only a varied condition changes its due day"),
            Reason::EpisodeStillOpen => f.write_str("is open: a follow-up comes after it closes"),
            Reason::FollowUpNotDue { months, due } => write!(f, "the {months}-month follow-up falls due on {due}"),
            Reason::FollowUpRecorded { months, on } => write!(f, "the {months}-month follow-up was recorded on {on}"),
            Reason::ProgrammeNameTaken { name } => write!(f, "there is a programme named {name:?} already"),
            Reason::ProgrammeRetired { name } => write!(f, "{name} is retired: no new episodes join it"),
            Reason::OtherPartyNotACase => f.write_str("is the other party: not opened as a case from the person's"),
            Reason::HasOwnCase => f.write_str("has a case of their own already"),
            Reason::NoEscalation => f.write_str("this incident prompted no referral (it did not meet the escalation criterion)"),
            Reason::NotOnDeviceYet => f.write_str("its contents are not on this device yet; sync to fetch them"),
            Reason::Removed => f.write_str("was removed and cannot be changed"),
            Reason::RestrictedWithoutAddress => f.write_str("is set but there is no address"),
            Reason::FeedbackGiven { on } => write!(f, "its feedback was given on {on}"),
            Reason::TemplateVersionExists { key, version } => write!(f, "{key} version {version} exists already; give the changed template a new version"),
            Reason::RecoveryKeyFirst => f.write_str("the organisation has no recovery key yet to keep the reason sealed to: an admin makes it first (Settings, or waymark recovery-key create)"),
            Reason::OnlyConfirmedAdmin => f.write_str("only an admin whose own identity is confirmed can confirm people or vouch for keys; sync, or ask another admin to confirm you"),
            Reason::LogInFirst => f.write_str("log in to the organisation's server first"),
            Reason::DeclinedOnly => f.write_str("a reason for not making it goes with a declined decision only"),
            Reason::Unreachable { failure } => write!(f, "{}; your work is kept", failure.sentence()),
            Reason::NotConnectedYet => f.write_str("this person is not connected to a server yet (Sync → Connect)"),
            Reason::NotAServerAddress => f.write_str("must start with https:// (or http:// on this computer)"),
            Reason::UnknownCredentials => f.write_str("the server does not know this user name with this passphrase"),
            Reason::EnrolmentCodeRefused => f.write_str("this code is wrong, used already or expired: ask your administrator for a new one"),
            Reason::ChooseOwnPassphrase => f.write_str("your passphrase was set by an administrator: choose your own (Settings → Change passphrase) before you sync"),
            Reason::AccountDisabled => f.write_str("your account is disabled: ask your administrator"),
            Reason::AccessWithdrawn => f.write_str("this laptop's access was withdrawn by your administrator"),
            Reason::ConditionsNotMet { unmet } => {
                write!(f, "{} condition(s) not met: ", unmet.len())?;
                for (i, (kind, due, status)) in unmet.iter().enumerate() {
                    let comma = if i > 0 { ", " } else { "" };
                    write!(f, "{comma}{kind} due {due} ({status})")?;
                }
                f.write_str("; record each met, or the breach")
            }
            Reason::EpisodeEnded { stage } => write!(
                f,
                "the episode is {}: it has ended, and a new referral is a new episode",
                stage.label()
            ),
            Reason::NotOnward { stage, onward, to } => {
                let onward: Vec<&str> = onward.iter().map(|s| s.as_str()).collect();
                write!(
                    f,
                    "the episode is {}: it can move to {}, not {to}",
                    stage.label(),
                    onward.join(", ")
                )
            }
            Reason::NoDisposalRoute => f.write_str(
                "has no disposal route: conditions come with a conditional caution, a community resolution or a deferred prosecution",
            ),
            Reason::OnlyAdmin { task } => write!(
                f,
                "only an admin the organisation confirmed can {}: it goes to every device",
                task.words()
            ),
            Reason::NoSuchProgramme { name, open } => {
                write!(f, "no programme named {name:?}")?;
                if !open.is_empty() {
                    write!(f, ": the organisation's are {}", open.join(", "))?;
                }
                Ok(())
            }
            Reason::EasyToGuess { warning, advice } => {
                f.write_str("is too easy to guess")?;
                if let Some(warning) = warning {
                    write!(f, " ({})", warning.sentence())?;
                }
                write!(f, ": {}", advice.sentence())
            }
            Reason::FollowUpMonths {
                programme,
                months,
                asked,
            } => match months.is_empty() {
                true => write!(f, "{programme} sets no follow-ups"),
                false => {
                    let (last, first) = months.split_last().expect("not empty");
                    let first: Vec<String> = first.iter().map(|m| m.to_string()).collect();
                    match first.is_empty() {
                        true => write!(f, "{programme} follows up at {last} months, not {asked}"),
                        false => write!(
                            f,
                            "{programme} follows up at {} and {last} months, not {asked}",
                            first.join(", ")
                        ),
                    }
                }
            },
            Reason::NotAnOutcomeArea {
                programme,
                areas,
                asked,
            } => match areas.is_empty() {
                true => write!(f, "{programme} names no outcome areas"),
                false => write!(f, "{programme} rates {}, not {asked:?}", areas.join(", ")),
            },
            Reason::InNoProgramme { for_follow_ups } => write!(
                f,
                "is in none of the organisation's programmes, so none {}",
                match for_follow_ups {
                    true => "sets its follow-ups",
                    false => "names its outcome areas",
                }
            ),
            Reason::OnlyReportRoles => f.write_str(
                "only a supervisor, a manager or an admin the organisation confirmed runs reports",
            ),
            Reason::NoSuchTeam { asked, teams } => match teams.is_empty() {
                true => write!(
                    f,
                    "no team named {asked:?}: no one's certificate on this device names a team yet (an admin confirms people again to certify their teams)"
                ),
                false => write!(f, "no team named {asked:?}: the teams are {}", teams.join(", ")),
            },
            Reason::ProgrammeNamedMoreThanOnce { name, count } => write!(
                f,
                "{count} programmes are named {name:?}: an admin retires one"
            ),
            Reason::RouteOnlyForDiversion { programme } => write!(
                f,
                "{programme} is not a diversion programme: only diversion takes a disposal route"
            ),
            Reason::NotAMaracReferral => f.write_str("is not a MARAC referral of this case"),
            Reason::NotARiskAssessment { template } => write!(
                f,
                "{template} is not a risk assessment (it prompts no MARAC referral)"
            ),
            Reason::NoSuchAction { count } => write!(
                f,
                "the note agreed {count} action{}: give 1 to {count}",
                if *count == 1 { "" } else { "s" }
            ),
            Reason::NoSuchPrompt { number } => {
                write!(f, "this assessment has no prompt {number}")
            }
            Reason::NoSuchTemplate { key, version } => {
                write!(f, "no assessment template {key:?}")?;
                match version {
                    Some(v) => write!(f, " version {v}"),
                    None => Ok(()),
                }
            }
            Reason::MetMissedOrVaried => f.write_str("met, missed or varied"),
            Reason::SetOrAskInTerminal { var } => {
                write!(f, "set {var} or run in a terminal to be asked")
            }
            Reason::PassphrasesDiffer => f.write_str("the two passphrases differ"),
            Reason::SayWhyNotMade => write!(
                f,
                "say why it is not being made: one of {}",
                crate::vocab::DeclineReason::ALL.join(", ")
            ),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(default)]
    pub code: Option<ProblemCode>,
    #[serde(default)]
    pub field: Option<String>,
    /// The message in English (the CLI's and the logs' words).
    pub message: String,
    /// Why the field was refused, when the screens can say it in Welsh too
    /// (boxed: most problems have none, and every `Result` carries room).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Box<Reason>>,
}

impl Problem {
    pub fn plain(message: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            ..Default::default()
        }
    }

    pub fn of_kind(code: ProblemCode, message: impl Into<String>) -> Self {
        Problem {
            code: Some(code),
            message: message.into(),
            ..Default::default()
        }
    }

    pub fn at(field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            field: Some(field.into()),
            message: message.into(),
            ..Default::default()
        }
    }

    /// A field refused for a reason the screens can say in either language.
    /// A problem of a kind a screen acts on, not about a field, said in
    /// either language.
    pub fn of_kind_because(code: ProblemCode, reason: Reason) -> Self {
        Problem {
            code: Some(code),
            message: reason.to_string(),
            reason: Some(Box::new(reason)),
            ..Default::default()
        }
    }

    pub fn because(field: impl Into<String>, reason: Reason) -> Self {
        Problem {
            field: Some(field.into()),
            message: reason.to_string(),
            reason: Some(Box::new(reason)),
            ..Default::default()
        }
    }

    /// The same problem for a form repeated on a screen, whose field ids
    /// end in `-{suffix}` so each stays unique.
    pub fn scoped(&self, suffix: &str) -> Problem {
        Problem {
            field: self.field.as_ref().map(|f| format!("{f}-{suffix}")),
            ..self.clone()
        }
    }

    /// Whether this problem is about `field`.
    pub fn is_about(&self, field: &str) -> bool {
        self.field.as_deref() == Some(field)
    }
}

impl From<crate::Invalid> for Problem {
    fn from(e: crate::Invalid) -> Self {
        Problem {
            field: Some(e.field),
            message: e.problem,
            reason: e.reason,
            ..Default::default()
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}: {}", field.replace('_', " "), self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reason crosses from the shell to the UI as JSON and back whole;
    /// a problem without one (an older shell's) still reads.
    #[test]
    fn a_problem_with_its_reason_crosses_the_boundary_whole() {
        let date = NaiveDate::from_ymd_opt(2999, 1, 1).unwrap();
        let problem = Problem::because("on", Reason::DateInFuture { date });
        assert_eq!(problem.message, "2999-01-01 is in the future");
        let json = serde_json::to_string(&problem).unwrap();
        assert_eq!(serde_json::from_str::<Problem>(&json).unwrap(), problem);
        let scoped = problem.scoped("2");
        assert_eq!(scoped.field.as_deref(), Some("on-2"));
        assert_eq!(scoped.reason, problem.reason);
        let older: Problem =
            serde_json::from_str(r#"{"field":"on","message":"is wrong"}"#).unwrap();
        assert_eq!((older.reason, older.message.as_str()), (None, "is wrong"));
    }

    /// Amounts read as people write them, whatever their size.
    #[test]
    fn pounds_are_written_with_pence_and_thousands() {
        for (pence, written) in [
            (0, "£0.00"),
            (1, "£0.01"),
            (99_999, "£999.99"),
            (125_000, "£1,250.00"),
            (10_000_000, "£100,000.00"),
            (123_456_789, "£1,234,567.89"),
            (-1_250, "-£12.50"),
        ] {
            assert_eq!(pounds(pence), written);
        }
    }
}
