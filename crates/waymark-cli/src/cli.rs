//! The command line as clap reads it: every command, its arguments and
//! their help. What each command does is in `commands/`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use uuid::Uuid;
use waymark_core::domain::*;
use waymark_core::queries;

pub(crate) const ZONE: chrono_tz::Tz = queries::LOCAL_ZONE;

#[derive(Parser)]
#[command(
    name = "waymark",
    version,
    about = "Waymark: offline-first case management for frontline caseworkers"
)]
pub(crate) struct Cli {
    /// The store directory [default: the platform's data directory for Waymark]
    #[arg(long, global = true, env = "WAYMARK_STORE")]
    pub(crate) store: Option<PathBuf>,
    /// Who is unlocking, when several people use Waymark on this laptop
    #[arg(long, global = true, env = "WAYMARK_USER")]
    pub(crate) user: Option<String>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Create your own encrypted store on this laptop (others' stay apart)
    Init {
        #[arg(long)]
        user: String,
    },
    /// Join your organisation with the one-time code your administrator gave
    /// you: choose your passphrase (WAYMARK_NEW_PASSPHRASE, else a prompt);
    /// your store is made on this laptop and logged in to the server
    Join {
        /// The server, e.g. https://sync.example.org
        #[arg(long)]
        server: String,
        /// Your user name, as your administrator added you
        #[arg(long)]
        user: String,
        /// The enrolment code (works once, for a few days)
        #[arg(long)]
        code: String,
        /// How administrators see this device [default: the host name]
        #[arg(long)]
        device_label: Option<String>,
    },
    /// Store facts: schema version, device, changes waiting to sync
    Status(Json),
    /// People on this (shared) laptop: each has a store of their own
    #[command(subcommand)]
    User(UserCmd),
    /// Change your passphrase (new one from WAYMARK_NEW_PASSPHRASE, else a prompt)
    #[command(subcommand)]
    Passphrase(PassphraseCmd),
    /// People supported: each person is a case
    #[command(subcommand)]
    Person(PersonCmd),
    /// Episodes of support
    #[command(subcommand)]
    Episode(EpisodeCmd),
    /// Case notes (never changed: amend with a reason)
    #[command(subcommand)]
    Note(NoteCmd),
    /// Support-plan goals
    #[command(subcommand)]
    Goal(GoalCmd),
    /// Support-plan actions
    #[command(subcommand)]
    Action(ActionCmd),
    /// Outcome ratings of a goal
    #[command(subcommand)]
    Rating(RatingCmd),
    /// A case's support plan: goals, actions and ratings
    Plan {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
    /// Appointments, with reminders and outcomes
    #[command(subcommand)]
    Appointment(AppointmentCmd),
    /// Appointments for a day (default today) or its week, Europe/London time
    Agenda {
        #[arg(long)]
        date: Option<NaiveDate>,
        #[arg(long)]
        week: bool,
        #[command(flatten)]
        json: Json,
    },
    /// Programmes the organisation runs (admins add and retire them)
    #[command(subcommand)]
    Programme(ProgrammeCmd),
    /// A diversion's conditions: set, then met, missed or varied
    #[command(subcommand)]
    Condition(ConditionCmd),
    /// Follow-ups of closed episodes: whether a further offence is known
    #[command(subcommand)]
    Followup(FollowupCmd),
    /// Move an episode to its next stage (referred, engaged, then completed
    /// or disengaged, declined, deselected, breached, returned_to_court);
    /// an end closes it that day
    Stage {
        episode_id: Uuid,
        #[arg(long)]
        to: Stage,
        /// The day it happened (default today)
        #[arg(long)]
        on: Option<NaiveDate>,
        #[command(flatten)]
        json: Json,
    },
    /// Outcomes over time: statuses, outcome-area ratings, practical
    /// support, feedback
    #[command(subcommand)]
    Outcome(OutcomeCmd),
    /// The commissioner's report for a period, computed from the cases this
    /// device holds (supervisors and admins); counts of 1-4 show as "<5",
    /// and any that would give one away as "*"
    Report {
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: NaiveDate,
        /// One programme (by name) rather than all
        #[arg(long)]
        programme: Option<String>,
        /// One team (by name): the episodes whose keyworker the
        /// organisation certified in it
        #[arg(long)]
        team: Option<String>,
        /// The whole report as JSON, with the cases behind each figure (for
        /// this device only: it names cases)
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Write each table as published, one CSV file per table, into DIR
        #[arg(long, value_name = "DIR", conflicts_with = "html")]
        csv: Option<PathBuf>,
        /// Write the report as published, one self-contained HTML file with
        /// charts, to FILE
        #[arg(long, value_name = "FILE", conflicts_with = "json")]
        html: Option<PathBuf>,
    },
    /// The team view: each keyworker's open cases, high-risk cases, overdue
    /// reviews and follow-ups, conditions due and undecided referral
    /// prompts, over the cases this device holds (a supervisor's: the team's)
    Team(Json),
    /// What is due: overdue and missed conditions, follow-ups fallen due
    Due {
        /// Only cases you are keyworker of
        #[arg(long)]
        mine: bool,
        #[command(flatten)]
        json: Json,
    },
    /// Assessment templates
    #[command(subcommand)]
    Template(TemplateCmd),
    /// Assessments scored from a template, and the actions they prompt
    #[command(subcommand)]
    Assessment(AssessmentCmd),
    /// Referrals to other services
    #[command(subcommand)]
    Referral(ReferralCmd),
    /// Safeguarding flags
    #[command(subcommand)]
    Flag(FlagCmd),
    /// Domestic-abuse incidents; police call-outs meeting the escalation
    /// criterion prompt a MARAC referral
    #[command(subcommand)]
    Incident(IncidentCmd),
    /// The MARAC process after a referral: the meeting, the actions it
    /// agreed, its outcome
    #[command(subcommand)]
    Marac(MaracCmd),
    /// A case's safety plan: show it, or set its parts and review date (a
    /// part not named stays as it is; "" clears it)
    SafetyPlan {
        case_id: Uuid,
        /// Safe places to go
        #[arg(long)]
        safe_places: Option<String>,
        /// Trusted people to call
        #[arg(long)]
        trusted_people: Option<String>,
        /// Code words agreed, and what each means
        #[arg(long)]
        code_words: Option<String>,
        /// The escape bag: what is packed, where it is kept
        #[arg(long)]
        escape_bag: Option<String>,
        /// Phones, accounts, location sharing, trackers
        #[arg(long)]
        tech_safety: Option<String>,
        /// Arrangements for children
        #[arg(long)]
        child_arrangements: Option<String>,
        /// The day to review it by (needed for a first plan)
        #[arg(long)]
        review_on: Option<NaiveDate>,
        #[command(flatten)]
        json: Json,
    },
    /// A supervisor's sign-offs that a risk assessment, a MARAC decision or
    /// a closure was reviewed
    #[command(subcommand)]
    Signoff(SignoffCmd),
    /// Supervision notes on a case: read by its keyworker and its team's
    /// supervisors only
    #[command(subcommand)]
    Supervision(SupervisionCmd),
    /// People linked to a case: children, household members, the other
    /// party (whose details stay hidden until revealed, recorded)
    #[command(subcommand)]
    Link(LinkCmd),
    /// Group sessions and drop-ins, and their registers
    #[command(subcommand)]
    Group(GroupCmd),
    /// Outreach tallies: counts of contacts with people who have no case
    #[command(subcommand)]
    Tally(TallyCmd),
    /// Letters, photos and documents kept encrypted with the case
    #[command(subcommand)]
    Attachment(AttachmentCmd),
    /// Log in to a sync server as --user (the passphrase that unlocks the
    /// store; only a key derived from it is sent) and enrol this device
    Login {
        /// The server, e.g. https://sync.example.org
        #[arg(long)]
        server: String,
        /// How administrators see this device [default: the host name]
        #[arg(long)]
        device_label: Option<String>,
    },
    /// Push this device's changes and pull everything new; prints what moved
    Sync(Json),
    /// Changes refused on arrival (tampered with, or breaking a rule a local
    /// write obeys), newest first, with the reason; each is kept as it came.
    /// And recipients the server listed that were never sealed to
    Refused(Json),
    /// Changes you made in cases taken from you longer ago than the server
    /// takes them (30 days): kept here, never sent, with what they wrote
    SetAside(Json),
    /// Confirm a person's identity (an admin), after comparing the
    /// fingerprint phrase their own device shows (`waymark identity`):
    /// colleagues' devices then seal them case keys
    Confirm {
        /// Their user name on the server
        #[arg(value_name = "USER")]
        person: String,
        /// The phrase as their device shows it (six groups of five digits)
        #[arg(long)]
        fingerprint: String,
        /// Needed to confirm an admin, who may then confirm others
        #[arg(long)]
        admin: bool,
        #[command(flatten)]
        json: Json,
    },
    /// Your identity on this device: the fingerprint phrase to compare with
    /// what an admin's device shows for you
    Identity(Json),
    /// The organisation's devices (an admin): each person's identity phrase,
    /// computed on this device, and whether it vouches for the device's key
    Devices(Json),
    /// Edits made on two devices without seeing each other, for a person to settle
    Conflicts {
        #[command(subcommand)]
        cmd: Option<ConflictsCmd>,
        /// Include settled ones
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        json: Json,
    },
    /// Full-text search over notes and names
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[command(flatten)]
        json: Json,
    },
    /// Cases, most in need of attention first
    Caseload {
        #[arg(long)]
        risk: Option<String>,
        #[arg(long)]
        overdue_review: bool,
        #[arg(long)]
        no_contact_days: Option<i64>,
        #[arg(long)]
        flagged: bool,
        #[arg(long)]
        keyworker: Option<String>,
        /// Only the cases you are keyworker of
        #[arg(long)]
        mine: bool,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        json: Json,
    },
    /// Everything recorded on a case, newest first
    Timeline {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
    /// The whole case as JSON (audited); with --subject-access, the zip for
    /// a subject access request (a readable summary, the JSON, the files)
    /// written to --out
    Export {
        case_id: Uuid,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, requires = "out")]
        subject_access: bool,
        /// Accepted for a script's sake: the export is always JSON.
        #[command(flatten)]
        json: Json,
    },
    /// Cases closed for at least N days, for review and erasure (retention)
    Retention {
        #[arg(long)]
        closed_for_days: i64,
        #[command(flatten)]
        json: Json,
    },
    /// Erase a case for good, everywhere (a supervisor or an admin; needs
    /// the server): its records, notes and attachments on the server and
    /// every device, and its keys, so nothing of it can be read again. As
    /// the organisation's rule has it, this asks, and a second supervisor or
    /// admin confirms the same way, or it runs after a grace period
    EraseCase {
        case_id: Uuid,
        /// Why, for the record (name no one in it); kept sealed to the
        /// organisation's recovery key
        #[arg(long, required_unless_present = "cancel")]
        reason: Option<String>,
        /// Withdraw an erasure that waits
        #[arg(long, conflicts_with = "reason")]
        cancel: bool,
        #[command(flatten)]
        json: Json,
    },
    /// Who holds a case: its keyworker, team and the colleagues it is shared
    /// with (needs the server)
    Access {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
    /// Share a case with a colleague (a co-worker, a covering worker, or a
    /// volunteer: allocated the case's contact brief, appointments and
    /// their own notes only): the case's keyworker, a supervisor of its
    /// team or an admin; their devices receive it at their next sync, once
    /// this one has synced (needs the server)
    Share {
        case_id: Uuid,
        /// The colleague's user name
        #[arg(long = "with")]
        colleague: String,
        #[command(flatten)]
        json: Json,
    },
    /// Stop sharing a case with a colleague: their devices drop it at their
    /// next sync, and the case takes a new key they never receive (needs the
    /// server)
    Unshare {
        case_id: Uuid,
        /// The colleague's user name
        #[arg(long = "with")]
        colleague: String,
        #[command(flatten)]
        json: Json,
    },
    /// Give a case to another keyworker (a supervisor of its team, or an
    /// admin): the keyworker and who holds the case change together; the
    /// keyworker before loses it unless it is shared with them (needs the
    /// server; sync afterwards to send the change)
    Reassign {
        case_id: Uuid,
        /// The new keyworker's user name
        #[arg(long)]
        to: String,
        #[command(flatten)]
        json: Json,
    },
    /// Cases allocated to a volunteer: who, how to reach them safely, the
    /// next appointment; with a case, its appointments and the notes you
    /// wrote (a volunteer's caseload)
    Allocated {
        case_id: Option<Uuid>,
        #[command(flatten)]
        json: Json,
    },
    /// Erasures waiting for a second person or their time (a supervisor or
    /// an admin; needs the server)
    Erasures(Json),
    /// The organisation's recovery key (an admin; needs the server)
    RecoveryKey {
        #[command(subcommand)]
        cmd: RecoveryKeyCmd,
    },
    /// Restore a person's access to their cases with the organisation's
    /// recovery key, after a lost laptop or a forgotten passphrase (an admin;
    /// their new device must have logged in first)
    RecoverUser {
        /// Whose access to restore (their user name on the server)
        #[arg(long)]
        person: String,
        /// The recovery key file made by `recovery-key create`
        #[arg(long)]
        recovery_key: PathBuf,
    },
    /// The audit trail: who viewed, created, changed or exported what
    Audit {
        #[arg(long)]
        case: Option<Uuid>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        json: Json,
    },
    /// Fill the store with plainly fictional demo data
    DemoData {
        #[arg(long, default_value_t = 40)]
        cases: u64,
        #[arg(long, default_value_t = 10)]
        notes_per_case: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value = "Demo Worker")]
        keyworker: String,
        /// Weekly group sessions with registers, and outreach tallies, too
        #[arg(long)]
        groups: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum ConflictsCmd {
    /// Settle a conflict: keep the value shown on this device (mine) or the
    /// other one (theirs). The choice syncs like any edit.
    Resolve {
        id: Uuid,
        #[arg(long, value_enum)]
        keep: KeepArg,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum KeepArg {
    Mine,
    Theirs,
}

#[derive(Args, Clone, Copy)]
pub(crate) struct Json {
    /// Print JSON instead of text
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Subcommand)]
pub(crate) enum UserCmd {
    /// Add a person to this laptop with a store of their own (their
    /// passphrase from WAYMARK_NEW_PASSPHRASE, else a prompt); no one
    /// else's passphrase is needed
    Add {
        #[arg(long)]
        name: String,
    },
    /// Take a person off this laptop, erasing their store (their own
    /// passphrase from WAYMARK_PASSPHRASE, else a prompt)
    Remove { name: String },
}

#[derive(Subcommand)]
pub(crate) enum PassphraseCmd {
    Change,
}

#[derive(Args)]
pub(crate) struct PersonFields {
    /// Equality monitoring (recorded and reported, never on the header)
    #[command(flatten)]
    pub(crate) equality: Box<EqualityArgs>,
    #[arg(long)]
    pub(crate) preferred: Option<String>,
    #[arg(long)]
    pub(crate) dob: Option<NaiveDate>,
    #[arg(long)]
    pub(crate) pronouns: Option<String>,
    #[arg(long)]
    pub(crate) phone: Option<String>,
    #[arg(long)]
    pub(crate) email: Option<String>,
    #[arg(long)]
    pub(crate) address: Option<String>,
    /// The address is a refuge or otherwise secret: shown masked
    #[arg(long)]
    pub(crate) restricted_address: bool,
    /// A need area; repeat for several (update: the whole list; a need
    /// held keeps its day, a new one is known from today)
    #[arg(long = "need")]
    pub(crate) needs: Vec<NeedArea>,
    #[arg(long)]
    pub(crate) calls_safe: Option<bool>,
    #[arg(long)]
    pub(crate) texts_safe: Option<bool>,
    #[arg(long)]
    pub(crate) voicemail_safe: Option<bool>,
    #[arg(long)]
    pub(crate) safe_times: Option<String>,
    #[arg(long)]
    pub(crate) code_word: Option<String>,
    #[arg(long)]
    pub(crate) safe_contact_notes: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum PersonCmd {
    /// Open a new case; prints its id
    Add {
        #[arg(long)]
        name: String,
        #[command(flatten)]
        fields: PersonFields,
    },
    /// Change a person's details (only the options given change)
    Update {
        case_id: Uuid,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        fields: PersonFields,
    },
    /// The case header (audited view); a restricted address stays masked
    Show {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
    /// Show a restricted address on purpose (audited)
    RevealAddress {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
    /// Add a need (known since --since, else today), or take one off with
    /// --remove
    Need {
        case_id: Uuid,
        area: NeedArea,
        #[arg(long, conflicts_with = "remove")]
        since: Option<NaiveDate>,
        #[arg(long)]
        remove: bool,
    },
    /// Record a consent or information-sharing decision (refused unless
    /// --agreed)
    Consent {
        case_id: Uuid,
        #[arg(long)]
        topic: String,
        #[arg(long)]
        agreed: bool,
        #[arg(long)]
        on: Option<NaiveDate>,
        /// Who with, and anything else
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum EpisodeCmd {
    /// Open an episode (a referral) in one of the organisation's programmes;
    /// prints its id
    Add {
        case_id: Uuid,
        #[arg(long)]
        source: ReferralSource,
        /// The programme's name (`waymark programme list`)
        #[arg(long)]
        programme: String,
        #[arg(long)]
        keyworker: String,
        #[arg(long)]
        opened: Option<NaiveDate>,
        /// For diversion, the disposal: conditional_caution,
        /// community_resolution, deferred_prosecution or voluntary
        #[arg(long)]
        route: Option<DisposalRoute>,
    },
    Close {
        episode_id: Uuid,
        #[arg(long)]
        on: Option<NaiveDate>,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum NoteCmd {
    /// Write a case note; prints its id
    Add {
        case_id: Uuid,
        #[arg(long)]
        body: String,
        #[arg(long = "type", default_value = "face_to_face")]
        contact_type: ContactType,
        /// When it happened, "YYYY-MM-DD HH:MM" Europe/London [default: now]
        #[arg(long, value_parser = parse_local_time)]
        at: Option<DateTime<Utc>>,
        #[arg(long)]
        duration: Option<i64>,
        #[arg(long)]
        location: Option<String>,
    },
    /// Correct a saved note; the original stays in its history
    Amend {
        note_id: Uuid,
        #[arg(long)]
        body: String,
        #[arg(long)]
        reason: String,
    },
    History {
        note_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
}

#[derive(Subcommand)]
pub(crate) enum GoalCmd {
    Add {
        case_id: Uuid,
        #[arg(long)]
        need: NeedArea,
        #[arg(long)]
        description: String,
        #[arg(long)]
        review: Option<NaiveDate>,
    },
    Status {
        goal_id: Uuid,
        status: GoalStatus,
    },
    Review {
        goal_id: Uuid,
        date: NaiveDate,
    },
}

#[derive(Subcommand)]
pub(crate) enum ActionCmd {
    Add {
        goal_id: Uuid,
        #[arg(long)]
        description: String,
        #[arg(long)]
        owner: String,
        #[arg(long)]
        due: Option<NaiveDate>,
    },
    Done {
        action_id: Uuid,
        #[arg(long)]
        on: Option<NaiveDate>,
    },
}

#[derive(Subcommand)]
pub(crate) enum RatingCmd {
    Add {
        goal_id: Uuid,
        #[arg(long)]
        rating: i64,
        #[arg(long)]
        on: Option<NaiveDate>,
        #[arg(long)]
        comment: Option<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum AppointmentCmd {
    Add {
        case_id: Uuid,
        /// Start, "YYYY-MM-DD HH:MM" Europe/London
        #[arg(long, value_parser = parse_local_time)]
        at: DateTime<Utc>,
        /// End, "YYYY-MM-DD HH:MM" [default: an hour after the start]
        #[arg(long, value_parser = parse_local_time)]
        until: Option<DateTime<Utc>>,
        #[arg(long)]
        agency: Agency,
        #[arg(long)]
        place: Option<String>,
        #[arg(long)]
        with: Option<String>,
        /// Minutes before the start to remind
        #[arg(long)]
        reminder: Option<i64>,
        /// The worker goes along
        #[arg(long)]
        accompany: bool,
    },
    Outcome {
        appointment_id: Uuid,
        outcome: AppointmentOutcome,
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum ProgrammeCmd {
    List(Json),
    /// Add a programme (an admin): it goes to every device
    Add {
        #[arg(long)]
        name: String,
        /// diversion, womens_centre, liaison_and_diversion, iom,
        /// domestic_abuse, outreach or other
        #[arg(long)]
        kind: ProgrammeKind,
        /// How long an episode is planned to last
        #[arg(long)]
        weeks: Option<i64>,
        /// A 1-10 scale rated across its cases (repeat for each)
        #[arg(long = "outcome-area")]
        outcome_areas: Vec<String>,
        /// Months after closure a follow-up falls due, e.g. 6,12
        #[arg(long, value_delimiter = ',')]
        follow_up_months: Vec<i64>,
        #[command(flatten)]
        json: Json,
    },
    /// Retire a programme (an admin): no new episodes join it; its
    /// episodes and figures stay
    Retire {
        name: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum FollowupCmd {
    /// Record a follow-up at one of the programme's months, once due
    Record {
        episode_id: Uuid,
        #[arg(long)]
        months: i64,
        /// none_known, further_offence or could_not_check
        #[arg(long)]
        result: FollowUpResult,
        /// The day it was checked (default today)
        #[arg(long)]
        checked: Option<NaiveDate>,
        /// With further_offence: when it happened
        #[arg(long)]
        offence_on: Option<NaiveDate>,
        /// With further_offence: what kind of offence
        #[arg(long)]
        offence: Option<String>,
        #[command(flatten)]
        json: Json,
    },
    /// A case's follow-ups
    List {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
}

#[derive(Subcommand)]
pub(crate) enum OutcomeCmd {
    /// Record the state of one area on a day: accommodation,
    /// employment_education_training, substance_use_treatment,
    /// mental_health_support or finances
    Status {
        case_id: Uuid,
        #[arg(long)]
        area: StatusArea,
        /// One of the area's states, e.g. settled, refuge, sofa_surfing
        #[arg(long)]
        value: String,
        /// start, review or closure
        #[arg(long)]
        point: StatusPoint,
        #[arg(long)]
        on: Option<NaiveDate>,
        #[command(flatten)]
        json: Json,
    },
    /// Rate one of the episode's programme's outcome areas, 1 to 10
    Rate {
        episode_id: Uuid,
        #[arg(long)]
        area: String,
        #[arg(long)]
        rating: i64,
        #[arg(long)]
        on: Option<NaiveDate>,
        #[command(flatten)]
        json: Json,
    },
    /// Practical help given: food_parcel, phone, travel, grant, clothing or
    /// other
    Support {
        case_id: Uuid,
        #[arg(long)]
        kind: SupportKind,
        /// Its value in pounds, e.g. 12.50
        #[arg(long, value_parser = parse_pounds)]
        amount: Option<i64>,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        on: Option<NaiveDate>,
        #[command(flatten)]
        json: Json,
    },
    /// The person's feedback on an episode: a score from 1 to 5, their
    /// words, or both
    Feedback {
        episode_id: Uuid,
        #[arg(long)]
        satisfaction: Option<i64>,
        #[arg(long)]
        words: Option<String>,
        #[arg(long)]
        on: Option<NaiveDate>,
        #[command(flatten)]
        json: Json,
    },
    /// A case's outcomes over time
    Show {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
}

/// Each answer is one of the question's values (the 2021 census groups for
/// ethnicity), "prefer_not_to_say", or "not_asked" to clear it.
#[derive(Args)]
pub(crate) struct EqualityArgs {
    #[arg(long)]
    pub(crate) ethnicity: Option<String>,
    #[arg(long)]
    pub(crate) sex: Option<String>,
    #[arg(long)]
    pub(crate) gender_identity: Option<String>,
    #[arg(long)]
    pub(crate) sexual_orientation: Option<String>,
    #[arg(long)]
    pub(crate) disability: Option<String>,
    #[arg(long)]
    pub(crate) religion: Option<String>,
    #[arg(long)]
    pub(crate) care_experience: Option<String>,
    #[arg(long)]
    pub(crate) first_language: Option<String>,
    #[arg(long)]
    pub(crate) interpreter: Option<String>,
}

impl EqualityArgs {
    /// The answers given, `None` where "not_asked" clears one.
    pub(crate) fn answers(self) -> Vec<(EqualityQuestion, Option<String>)> {
        use EqualityQuestion::*;
        [
            (Ethnicity, self.ethnicity),
            (Sex, self.sex),
            (GenderIdentity, self.gender_identity),
            (SexualOrientation, self.sexual_orientation),
            (Disability, self.disability),
            (Religion, self.religion),
            (CareExperience, self.care_experience),
            (FirstLanguage, self.first_language),
            (Interpreter, self.interpreter),
        ]
        .into_iter()
        .filter_map(|(q, a)| a.map(|a| (q, (a.trim() != "not_asked").then_some(a))))
        .collect()
    }
}

/// An amount in pounds ("12", "12.5", "£12.50") as pence.
pub(crate) fn parse_pounds(s: &str) -> Result<i64, String> {
    let bad = || format!("{s:?} is not an amount in pounds, e.g. 12.50");
    let t = s.trim().trim_start_matches('£');
    let (whole, pence) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || pence.len() > 2
        || !(whole.chars().chain(pence.chars())).all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let pence: i64 = format!("{pence:0<2}").parse().map_err(|_| bad())?;
    whole
        .checked_mul(100)
        .and_then(|p| p.checked_add(pence))
        .ok_or_else(bad)
}

#[derive(Subcommand)]
pub(crate) enum ConditionCmd {
    /// Set a condition on a diversion episode; prints its id
    Add {
        episode_id: Uuid,
        /// no_further_offence, restorative, apology, compensation, pathway
        /// or unpaid_hours
        #[arg(long)]
        kind: ConditionKind,
        #[arg(long)]
        due: NaiveDate,
        /// What it is, e.g. "Women's group, 6 sessions"
        #[arg(long)]
        detail: Option<String>,
    },
    /// Record a condition met, missed or varied (with --due, its new day)
    Set {
        condition_id: Uuid,
        #[arg(long)]
        status: ConditionStatus,
        /// The day (default today)
        #[arg(long)]
        on: Option<NaiveDate>,
        #[arg(long)]
        due: Option<NaiveDate>,
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        json: Json,
    },
    /// A case's conditions
    List {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
}

#[derive(Subcommand)]
pub(crate) enum TemplateCmd {
    List(Json),
    /// Add a template, or a new version of one, from a JSON file
    Import {
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum AssessmentCmd {
    /// Complete an assessment: every question answered, by --answer ID=yes|no|N|TEXT|unknown
    Add {
        case_id: Uuid,
        #[arg(long)]
        template: String,
        #[arg(long)]
        version: Option<i64>,
        #[arg(long = "answer")]
        answers: Vec<String>,
        /// Answers as a JSON object {question id: answer}
        #[arg(long)]
        answers_file: Option<PathBuf>,
        #[command(flatten)]
        json: Json,
    },
    /// Record the decision on a prompted action (a made referral is created)
    Decide {
        assessment_id: Uuid,
        #[arg(long, default_value_t = 0)]
        prompt: usize,
        #[command(flatten)]
        decided: Decided,
    },
    List {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
}

#[derive(Subcommand)]
pub(crate) enum ReferralCmd {
    Add {
        case_id: Uuid,
        #[arg(long)]
        agency: Agency,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        on: Option<NaiveDate>,
        /// The topic of the person's agreed consent that covers it
        #[arg(long)]
        consent: Option<String>,
    },
    Update {
        referral_id: Uuid,
        #[arg(long)]
        status: ReferralStatus,
        #[arg(long)]
        outcome: Option<String>,
    },
    List {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
}

#[derive(Subcommand)]
pub(crate) enum FlagCmd {
    Raise {
        case_id: Uuid,
        #[arg(long)]
        kind: FlagKind,
        #[arg(long)]
        detail: Option<String>,
    },
    Resolve {
        flag_id: Uuid,
    },
    List {
        case_id: Uuid,
        /// Include resolved flags
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        json: Json,
    },
}

/// A decision on a prompted referral (an assessment's or an incident's).
#[derive(Args)]
pub(crate) struct Decided {
    pub decision: DecisionKind,
    /// Why it is not being made (declined only): reported
    #[arg(long)]
    pub because: Option<DeclineReason>,
    /// In words: needed with --because other
    #[arg(long)]
    pub reason: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum IncidentCmd {
    /// Record an incident (prints its id, and a MARAC prompt if it meets
    /// the escalation criterion)
    Add {
        case_id: Uuid,
        /// The day it happened
        #[arg(long)]
        on: NaiveDate,
        #[arg(long)]
        kind: IncidentKind,
        #[arg(long)]
        police_called: bool,
        #[arg(long)]
        injuries: bool,
        #[arg(long)]
        children_present: bool,
        #[arg(long)]
        detail: Option<String>,
    },
    /// Record the decision on the MARAC referral an incident prompted (a
    /// made referral is created)
    Decide {
        incident_id: Uuid,
        #[command(flatten)]
        decided: Decided,
    },
    /// A case's incidents, the latest first, with the last twelve months' count
    List {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
}

#[derive(Subcommand)]
pub(crate) enum MaracCmd {
    /// Record the MARAC meeting that heard a case (prints its id)
    Meeting {
        case_id: Uuid,
        #[arg(long)]
        on: NaiveDate,
        /// The MARAC referral it heard
        #[arg(long)]
        referral: Option<Uuid>,
        #[arg(long)]
        outcome: Option<String>,
    },
    /// Record what a meeting decided
    Outcome {
        meeting_id: Uuid,
        #[arg(long)]
        outcome: String,
    },
    /// Record an action a meeting agreed (prints its id)
    Action {
        meeting_id: Uuid,
        #[arg(long)]
        agency: Agency,
        /// Who owns it (a name or a role)
        #[arg(long)]
        owner: String,
        /// What is to be done
        #[arg(long = "do")]
        action: String,
        #[arg(long)]
        due: NaiveDate,
    },
    /// Mark an action done
    Done {
        action_id: Uuid,
        /// The day it was done [default: today]
        #[arg(long)]
        on: Option<NaiveDate>,
    },
    /// Write the MARAC referral form of a risk assessment, filled from its
    /// answers and the case, to FILE (HTML, readable by you alone; it
    /// leaves the encrypted store: send it by your MARAC's secure route)
    Form {
        assessment_id: Uuid,
        #[arg(long)]
        out: PathBuf,
    },
    /// A case's MARAC meetings, the latest first, with their actions
    List {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
}

#[derive(Subcommand)]
pub(crate) enum SignoffCmd {
    /// Sign off, as reviewed, one thing named by its id (a supervisor or
    /// an admin); prints the sign-off's id
    Add {
        /// A risk assessment's id
        #[arg(long, group = "subject")]
        risk_assessment: Option<Uuid>,
        /// The assessment or incident whose MARAC prompt was decided
        #[arg(long, group = "subject")]
        marac_decision: Option<Uuid>,
        /// A closed episode's id
        #[arg(long, group = "subject")]
        closure: Option<Uuid>,
        #[arg(long)]
        comment: Option<String>,
    },
    /// What waits for a sign-off on the cases this device holds, oldest first
    Pending(Json),
    /// A case's sign-offs, with who made each and when
    List {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
}

#[derive(Subcommand)]
pub(crate) enum GroupCmd {
    /// Record a group session or drop-in; prints its id
    Add {
        #[arg(long)]
        title: String,
        #[arg(long)]
        place: String,
        /// The day it met
        #[arg(long)]
        on: NaiveDate,
        /// Who ran it
        #[arg(long)]
        facilitators: String,
        #[arg(long)]
        programme: Option<String>,
        /// A note about the group (never copied into anyone's case)
        #[arg(long)]
        note: Option<String>,
    },
    /// The sessions this device holds, the latest first
    List(Json),
    /// A session and its register (the cases this device holds)
    Show {
        session_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
    /// Put people (by their cases) on a session's register
    Attend {
        session_id: Uuid,
        #[arg(required = true)]
        case_ids: Vec<Uuid>,
        /// They were expected but did not come
        #[arg(long)]
        absent: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum TallyCmd {
    /// Record a count of contacts with people who have no case; prints its id
    Add {
        /// The day [default: today]
        #[arg(long)]
        on: Option<NaiveDate>,
        /// The site or area
        #[arg(long)]
        site: String,
        #[arg(long)]
        count: u32,
        /// Help given (repeat): information, food, clothing, hygiene,
        /// harm_reduction, signposting, emotional_support, other
        #[arg(long, value_name = "KIND")]
        help_given: Vec<HelpKind>,
        /// A few words (200 characters at most), naming no one
        #[arg(long)]
        note: Option<String>,
    },
    /// Tallies this device holds [from a day on; default: the last 30 days]
    List {
        #[arg(long)]
        from: Option<NaiveDate>,
        #[command(flatten)]
        json: Json,
    },
}

#[derive(Subcommand)]
pub(crate) enum LinkCmd {
    /// Link someone to a case; prints the link's id
    Add {
        case_id: Uuid,
        /// child, household_member or other_party
        #[arg(long)]
        relation: Relation,
        #[arg(long)]
        name: String,
        #[arg(long)]
        dob: Option<NaiveDate>,
        /// Where they live (for a child: with whom, or where)
        #[arg(long)]
        lives: Option<String>,
        /// Whether children's services know them: yes or no
        #[arg(long, value_parser = parse_yes_no)]
        childrens_services: Option<bool>,
        #[arg(long)]
        details: Option<String>,
    },
    /// The people linked to a case (the other party hidden)
    List {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
    /// Show a linked person as recorded, the other party's details
    /// included (recorded in the audit trail)
    Reveal {
        link_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
    /// Open a linked child or household member as a case of their own, you
    /// their keyworker; prints the new case's id
    Open {
        link_id: Uuid,
        #[arg(long)]
        source: ReferralSource,
        /// The programme's name (`waymark programme list`)
        #[arg(long)]
        programme: String,
    },
}

pub(crate) fn parse_yes_no(s: &str) -> Result<bool, String> {
    match s {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err(format!("{s:?} is not yes or no")),
    }
}

#[derive(Subcommand)]
pub(crate) enum SupervisionCmd {
    /// Write a supervision note on a case (a supervisor of its team);
    /// prints its id
    Add {
        case_id: Uuid,
        /// What was discussed
        #[arg(long)]
        discussion: String,
        /// What was decided
        #[arg(long)]
        decision: Option<String>,
        /// An action agreed, as "what | who | YYYY-MM-DD" (repeat for more)
        #[arg(long = "action", value_name = "WHAT | WHO | DUE")]
        actions: Vec<String>,
        /// The day of the supervision [default: today]
        #[arg(long)]
        held_on: Option<NaiveDate>,
    },
    /// A case's supervision notes, the latest first
    List {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
    /// Record that an action agreed in a supervision note was done (the
    /// keyworker or a supervisor)
    Done {
        note_id: Uuid,
        /// The action's number in the note, from 1
        #[arg(long = "action")]
        action: usize,
        /// The day it was done [default: today]
        #[arg(long)]
        on: Option<NaiveDate>,
    },
}

#[derive(Subcommand)]
pub(crate) enum RecoveryKeyCmd {
    /// Make the organisation's recovery key pair, once: the secret goes to
    /// --out (shown this once; keep it offline), the public key to the server
    Create {
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum AttachmentCmd {
    Add {
        case_id: Uuid,
        file: PathBuf,
        /// Media type [default: guessed from the extension]
        #[arg(long = "type")]
        media_type: Option<String>,
    },
    List {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
    /// Write an attachment's contents to a file (audited)
    Get {
        attachment_id: Uuid,
        #[arg(long)]
        out: PathBuf,
    },
    Remove {
        attachment_id: Uuid,
    },
}

pub(crate) fn parse_local_time(s: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(s, fmt) {
            return ZONE
                .from_local_datetime(&local)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .ok_or_else(|| format!("{s:?} does not exist in Europe/London (clocks change)"));
        }
    }
    Err(format!(
        "{s:?} is not a time; use \"YYYY-MM-DD HH:MM\" (Europe/London)"
    ))
}
