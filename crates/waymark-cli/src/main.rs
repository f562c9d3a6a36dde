//! `waymark`: the headless client and admin tool. A scripting contract: extend
//! it, don't rename it. Exit 0 on success, 2 on bad input, 1 on other failures.

/// `println!`, except that a reader that went away (`waymark export | head`)
/// ends the command quietly instead of with a panic: whatever the command
/// did is committed by then, and its output was all that was left.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::write_line(format_args!($($arg)*))
    };
}

mod output;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use clap::{Args, Parser, Subcommand};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use uuid::Uuid;
use waymark_core::api::*;
use waymark_core::assessment::Answer;
use waymark_core::domain::*;
use waymark_core::queries::{self, CaseloadFilter};
use waymark_core::{Error, Passphrase, Session};
use waymark_sync::BlockingClient;

const ZONE: chrono_tz::Tz = queries::LOCAL_ZONE;

#[derive(Parser)]
#[command(
    name = "waymark",
    version,
    about = "Waymark: offline-first case management for frontline caseworkers"
)]
struct Cli {
    /// The store directory [default: the platform's data directory for Waymark]
    #[arg(long, global = true, env = "WAYMARK_STORE")]
    store: Option<PathBuf>,
    /// Who is unlocking, when several people are enrolled on this device
    #[arg(long, global = true, env = "WAYMARK_USER")]
    user: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new encrypted store with its first person enrolled
    Init {
        #[arg(long)]
        user: String,
    },
    /// Store facts: schema version, people enrolled, changes waiting to sync
    Status(Json),
    /// People enrolled on this (shared) device
    #[command(subcommand)]
    User(UserCmd),
    /// Change your passphrase (new one from WAYMARK_NEW_PASSPHRASE, else a prompt)
    #[command(subcommand)]
    Passphrase(PassphraseCmd),
    #[command(subcommand)]
    Person(PersonCmd),
    /// Episodes of support
    #[command(subcommand)]
    Episode(EpisodeCmd),
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
    /// Assessment templates
    #[command(subcommand)]
    Template(TemplateCmd),
    #[command(subcommand)]
    Assessment(AssessmentCmd),
    #[command(subcommand)]
    Referral(ReferralCmd),
    /// Safeguarding flags
    #[command(subcommand)]
    Flag(FlagCmd),
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
    /// The whole case as JSON (audited)
    Export {
        case_id: Uuid,
        #[arg(long)]
        out: Option<PathBuf>,
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
    /// every device, and its keys, so nothing of it can be read again
    EraseCase {
        case_id: Uuid,
        /// Why, for the record (name no one in it)
        #[arg(long)]
        reason: String,
    },
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
    },
}

#[derive(Subcommand)]
enum ConflictsCmd {
    /// Settle a conflict: keep the value shown on this device (mine) or the
    /// other one (theirs). The choice syncs like any edit.
    Resolve {
        id: Uuid,
        #[arg(long, value_enum)]
        keep: KeepArg,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum KeepArg {
    Mine,
    Theirs,
}

#[derive(Args, Clone, Copy)]
struct Json {
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum UserCmd {
    /// Enrol another person (their passphrase from WAYMARK_NEW_PASSPHRASE, else a prompt)
    Add {
        #[arg(long)]
        name: String,
    },
    List(Json),
    Remove {
        name: String,
    },
}

#[derive(Subcommand)]
enum PassphraseCmd {
    Change,
}

#[derive(Args)]
struct PersonFields {
    #[arg(long)]
    preferred: Option<String>,
    #[arg(long)]
    dob: Option<NaiveDate>,
    #[arg(long)]
    pronouns: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    address: Option<String>,
    /// The address is a refuge or otherwise secret: shown masked
    #[arg(long)]
    restricted_address: bool,
    /// A need area; repeat for several
    #[arg(long = "need")]
    needs: Vec<NeedArea>,
    #[arg(long)]
    calls_safe: Option<bool>,
    #[arg(long)]
    texts_safe: Option<bool>,
    #[arg(long)]
    voicemail_safe: Option<bool>,
    #[arg(long)]
    safe_times: Option<String>,
    #[arg(long)]
    code_word: Option<String>,
    #[arg(long)]
    safe_contact_notes: Option<String>,
}

#[derive(Subcommand)]
enum PersonCmd {
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
    /// Record a consent or information-sharing decision
    Consent {
        case_id: Uuid,
        #[arg(long)]
        topic: String,
        #[arg(long)]
        agreed: bool,
        #[arg(long)]
        on: Option<NaiveDate>,
    },
}

#[derive(Subcommand)]
enum EpisodeCmd {
    Add {
        case_id: Uuid,
        #[arg(long)]
        source: ReferralSource,
        #[arg(long)]
        programme: String,
        #[arg(long)]
        keyworker: String,
        #[arg(long)]
        opened: Option<NaiveDate>,
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
enum NoteCmd {
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
enum GoalCmd {
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
enum ActionCmd {
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
enum RatingCmd {
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
enum AppointmentCmd {
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
enum TemplateCmd {
    List(Json),
    /// Add a template, or a new version of one, from a JSON file
    Import {
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum AssessmentCmd {
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
        decision: DecisionKind,
        #[arg(long)]
        reason: Option<String>,
    },
    List {
        case_id: Uuid,
        #[command(flatten)]
        json: Json,
    },
}

#[derive(Subcommand)]
enum ReferralCmd {
    Add {
        case_id: Uuid,
        #[arg(long)]
        agency: Agency,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        on: Option<NaiveDate>,
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
enum FlagCmd {
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

#[derive(Subcommand)]
enum RecoveryKeyCmd {
    /// Make the organisation's recovery key pair, once: the secret goes to
    /// --out (shown this once; keep it offline), the public key to the server
    Create {
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum AttachmentCmd {
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

fn parse_local_time(s: &str) -> Result<DateTime<Utc>, String> {
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

fn read_passphrase(var: &str, prompt: &str) -> Result<Passphrase, Error> {
    if let Ok(p) = std::env::var(var) {
        return Ok(Passphrase::new(p));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid(
            "passphrase",
            format!("set {var} or run in a terminal to be asked"),
        ));
    }
    rpassword::prompt_password(prompt)
        .map(Passphrase::new)
        .map_err(Error::Io)
}

fn new_passphrase() -> Result<Passphrase, Error> {
    if let Ok(p) = std::env::var("WAYMARK_NEW_PASSPHRASE") {
        return Ok(Passphrase::new(p));
    }
    let first = read_passphrase("WAYMARK_NEW_PASSPHRASE", "New passphrase: ")?;
    let again = read_passphrase("WAYMARK_NEW_PASSPHRASE", "New passphrase again: ")?;
    if first.expose() != again.expose() {
        return Err(Error::invalid("passphrase", "the two passphrases differ"));
    }
    Ok(first)
}

fn unlock(store: &Path, user: Option<&str>) -> Result<Session, Error> {
    let pass = read_passphrase("WAYMARK_PASSPHRASE", "Passphrase: ")?;
    Session::unlock(store, user, &pass)
}

fn today() -> NaiveDate {
    queries::local_today(Utc::now())
}

fn main() -> ExitCode {
    // A panic message could quote case data: print where, never what.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("waymark: internal error at {place}; details withheld to protect case data");
    }));
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("waymark: {e}");
            ExitCode::from(if e.is_bad_input() { 2 } else { 1 })
        }
    }
}

/// A failure of the core (the store) or of sync (the network, the server).
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error(transparent)]
    Core(#[from] Error),
    #[error(transparent)]
    Sync(#[from] waymark_sync::SyncError),
}

impl Failure {
    fn is_bad_input(&self) -> bool {
        match self {
            Failure::Core(e) => e.is_bad_input(),
            Failure::Sync(e) => e.is_bad_input(),
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let store = match &cli.store {
        Some(s) => s.clone(),
        None => waymark_core::api::default_store_dir()?,
    };
    if let Command::Init { user } = &cli.command {
        let pass = read_passphrase("WAYMARK_PASSPHRASE", "New passphrase: ")?;
        let s = Session::create(&store, user, &pass)?;
        say!(
            "created a Waymark store at {} for {}",
            store.display(),
            s.user().name
        );
        return Ok(());
    }
    if let Command::Login {
        server,
        device_label,
    } = &cli.command
    {
        let pass = read_passphrase("WAYMARK_PASSPHRASE", "Passphrase: ")?;
        let mut s = Session::unlock(&store, cli.user.as_deref(), &pass)?;
        let label = device_label
            .clone()
            .unwrap_or_else(waymark_sync::device_label);
        let client = BlockingClient::from_env(server)?;
        let name = s.user().name.clone();
        let account = client.login(&mut s, &name, &pass, &label)?;
        say!(
            "logged in to {} as {} ({}); this device is {}",
            account.server_url,
            account.server_user,
            account.role,
            s.device_id()
        );
        return Ok(());
    }
    let mut s = unlock(&store, cli.user.as_deref())?;
    match cli.command {
        Command::Login { .. } => unreachable!("handled above"),
        Command::Sync(j) => {
            let Some(account) = s.sync_account()? else {
                let stopped = waymark_sync::SyncStopped {
                    stage: waymark_sync::Stage::Trust,
                    moved: Default::default(),
                    error: waymark_sync::SyncError::NotLoggedIn,
                };
                if j.json {
                    output::sync_stopped(&stopped)?;
                }
                return Err(stopped.error.into());
            };
            let client = BlockingClient::from_env(&account.server_url)?;
            let show_progress = !j.json && std::io::stderr().is_terminal();
            let mut progress = |p: waymark_sync::Progress| {
                if show_progress && p.total > 0 {
                    eprint!("\r{:?}: {}/{}   ", p.phase, p.done, p.total);
                }
            };
            let report = match client.sync(&mut s, &mut progress) {
                Ok(report) => report,
                Err(stopped) => {
                    // Revoked by the organisation: the store is erased here.
                    drop(waymark_sync::erase_if_revoked(s, &stopped.error)?);
                    if show_progress {
                        eprintln!();
                    }
                    if j.json {
                        output::sync_stopped(&stopped)?;
                    }
                    return Err(stopped.error.into());
                }
            };
            if show_progress {
                eprintln!();
            }
            output::sync_report(&report, j.json)?;
        }
        Command::Conflicts { cmd, all, json } => match cmd {
            Some(ConflictsCmd::Resolve { id, keep }) => {
                let keep = match keep {
                    KeepArg::Mine => waymark_core::sync::Keep::Mine,
                    KeepArg::Theirs => waymark_core::sync::Keep::Theirs,
                };
                s.resolve_conflict(id, keep)?;
                say!("resolved {id}; the choice syncs at the next sync");
            }
            None => output::conflicts(&s.conflict_views(all)?, json.json)?,
        },
        Command::Init { .. } => unreachable!("handled above"),
        Command::Status(j) => output::status(&s, j.json)?,
        Command::Refused(j) => output::refused(
            &s.refused_changes()?,
            &s.refused_recipients()?,
            &s.refused_keys()?,
            j.json,
        )?,
        Command::Confirm {
            person,
            fingerprint,
            admin,
            json,
        } => {
            let client = BlockingClient::for_session(&s)?;
            let confirmed = client.confirm(&mut s, &person, &fingerprint, admin)?;
            output::confirmed(&confirmed, json.json)?;
        }
        Command::Identity(j) => output::identity(&s.identity()?, j.json)?,
        Command::Devices(j) => {
            let client = BlockingClient::for_session(&s)?;
            let listed = client.listed_devices(&s)?;
            output::devices(&listed, j.json)?;
        }
        Command::User(cmd) => match cmd {
            UserCmd::Add { name } => {
                let u = s.enrol_user(&name, &new_passphrase()?)?;
                say!("{}", u.id);
            }
            UserCmd::List(j) => output::users(&s.users()?, j.json)?,
            UserCmd::Remove { name } => s.remove_user(&name)?,
        },
        Command::Passphrase(PassphraseCmd::Change) => {
            let current = read_passphrase("WAYMARK_PASSPHRASE", "Current passphrase: ")?;
            s.change_passphrase(&current, &new_passphrase()?)?;
            say!("passphrase changed");
        }
        Command::Person(cmd) => person(&mut s, cmd)?,
        Command::Episode(EpisodeCmd::Add {
            case_id,
            source,
            programme,
            keyworker,
            opened,
        }) => {
            let id = s.add_episode(NewEpisode {
                case_id,
                referral_source: source,
                programme,
                keyworker,
                opened_on: opened.unwrap_or_else(today),
            })?;
            say!("{id}");
        }
        Command::Episode(EpisodeCmd::Close {
            episode_id,
            on,
            reason,
        }) => s.close_episode(episode_id, on.unwrap_or_else(today), &reason)?,
        Command::Note(NoteCmd::Add {
            case_id,
            body,
            contact_type,
            at,
            duration,
            location,
        }) => {
            let id = s.add_note(NewNote {
                case_id,
                body,
                contact_type,
                occurred_at: at,
                duration_minutes: duration,
                location,
            })?;
            say!("{id}");
        }
        Command::Note(NoteCmd::Amend {
            note_id,
            body,
            reason,
        }) => say!("{}", s.amend_note(note_id, &body, &reason)?),
        Command::Note(NoteCmd::History { note_id, json }) => {
            output::note_history(&s.note_history(note_id)?, json.json)?
        }
        Command::Goal(GoalCmd::Add {
            case_id,
            need,
            description,
            review,
        }) => {
            say!(
                "{}",
                s.add_goal(NewGoal {
                    case_id,
                    need_area: need,
                    description,
                    review_on: review
                })?
            )
        }
        Command::Goal(GoalCmd::Status { goal_id, status }) => {
            s.update_goal(goal_id, Some(status), None)?
        }
        Command::Goal(GoalCmd::Review { goal_id, date }) => {
            s.update_goal(goal_id, None, Some(Some(date)))?
        }
        Command::Action(ActionCmd::Add {
            goal_id,
            description,
            owner,
            due,
        }) => {
            say!(
                "{}",
                s.add_plan_action(NewPlanAction {
                    goal_id,
                    description,
                    owner,
                    due_on: due
                })?
            )
        }
        Command::Action(ActionCmd::Done { action_id, on }) => {
            s.complete_plan_action(action_id, on.unwrap_or_else(today))?
        }
        Command::Rating(RatingCmd::Add {
            goal_id,
            rating,
            on,
            comment,
        }) => {
            say!(
                "{}",
                s.rate_goal(goal_id, rating, on.unwrap_or_else(today), comment)?
            )
        }
        Command::Plan { case_id, json } => output::plan(&s.support_plan(case_id)?, json.json)?,
        Command::Appointment(AppointmentCmd::Add {
            case_id,
            at,
            until,
            agency,
            place,
            with,
            reminder,
            accompany,
        }) => {
            let id = s.add_appointment(NewAppointment {
                case_id,
                starts_at: at,
                ends_at: until.unwrap_or(at + chrono::Duration::hours(1)),
                place,
                agency,
                with_whom: with,
                reminder_minutes: reminder,
                accompany,
            })?;
            say!("{id}");
        }
        Command::Appointment(AppointmentCmd::Outcome {
            appointment_id,
            outcome,
            note,
        }) => s.record_appointment_outcome(appointment_id, outcome, note)?,
        Command::Agenda { date, week, json } => {
            output::agenda(&s.agenda_of(date, week)?, json.json)?
        }
        Command::Template(TemplateCmd::List(j)) => output::templates(&s.templates()?, j.json)?,
        Command::Template(TemplateCmd::Import { file }) => {
            let text = std::fs::read_to_string(&file).map_err(|e| {
                Error::invalid("file", format!("cannot read {}: {e}", file.display()))
            })?;
            say!("{}", s.import_template(&text)?)
        }
        Command::Assessment(AssessmentCmd::Add {
            case_id,
            template,
            version,
            answers,
            answers_file,
            json,
        }) => {
            let answers = parse_answers(&answers, answers_file.as_deref())?;
            let a = s.complete_assessment(NewAssessment {
                case_id,
                template_key: template,
                template_version: version,
                answers,
            })?;
            output::assessment(&a, json.json)?
        }
        Command::Assessment(AssessmentCmd::Decide {
            assessment_id,
            prompt,
            decision,
            reason,
        }) => {
            if let Some(referral) = s.decide_prompt(assessment_id, prompt, decision, reason)? {
                say!("referral made: {referral}");
            }
        }
        Command::Assessment(AssessmentCmd::List { case_id, json }) => {
            output::assessments(&s.assessments(case_id)?, json.json)?
        }
        Command::Referral(ReferralCmd::Add {
            case_id,
            agency,
            reason,
            on,
        }) => {
            say!(
                "{}",
                s.add_referral(NewReferral {
                    case_id,
                    agency,
                    reason,
                    made_on: on,
                    assessment_id: None
                })?
            )
        }
        Command::Referral(ReferralCmd::Update {
            referral_id,
            status,
            outcome,
        }) => s.update_referral(referral_id, status, outcome)?,
        Command::Referral(ReferralCmd::List { case_id, json }) => {
            output::referrals(&s.referrals(case_id)?, json.json)?
        }
        Command::Flag(FlagCmd::Raise {
            case_id,
            kind,
            detail,
        }) => say!("{}", s.raise_flag(case_id, kind, detail)?),
        Command::Flag(FlagCmd::Resolve { flag_id }) => s.resolve_flag(flag_id)?,
        Command::Flag(FlagCmd::List { case_id, all, json }) => {
            output::flags(&s.flags(case_id, all)?, json.json)?
        }
        Command::Attachment(AttachmentCmd::Get { attachment_id, out })
            if !s.attachment_on_device(attachment_id)? =>
        {
            // Contents travel apart from the record: fetch them on demand.
            let client = BlockingClient::for_session(&s)?;
            client.fetch_attachment(&mut s, attachment_id)?;
            attachment(&mut s, AttachmentCmd::Get { attachment_id, out })?
        }
        Command::Attachment(cmd) => attachment(&mut s, cmd)?,
        Command::Search { query, limit, json } => {
            output::search(&s.search(&query, limit)?, json.json)?
        }
        Command::Caseload {
            risk,
            overdue_review,
            no_contact_days,
            flagged,
            keyworker,
            mine,
            name,
            json,
        } => {
            let filter = CaseloadFilter {
                risk_level: risk,
                overdue_review,
                no_contact_days,
                flagged,
                keyworker,
                mine,
                name,
            };
            output::caseload(&s.caseload(&filter)?, json.json)?
        }
        Command::Timeline { case_id, json } => output::timeline(&s.timeline(case_id)?, json.json)?,
        Command::Export { case_id, out, .. } => {
            let text = serde_json::to_string_pretty(&s.export_case(case_id)?)
                .map_err(|e| Error::Storage(e.to_string()))?;
            match out {
                Some(path) => write_private(&path, text.as_bytes())?,
                None => say!("{text}"),
            }
        }
        Command::Retention {
            closed_for_days,
            json,
        } => output::retention(&s.retention_review(closed_for_days)?, json.json)?,
        Command::RecoveryKey {
            cmd: RecoveryKeyCmd::Create { out },
        } => {
            if out.exists() {
                return Err(Error::invalid("out", "that file exists; name a new one").into());
            }
            let client = BlockingClient::for_session(&s)?;
            let made = client.create_recovery_key(&s, |text| write_private(&out, text.as_bytes()));
            let fingerprint = made.inspect_err(|_| {
                // A refused key was never the organisation's: remove its file.
                let _ = std::fs::remove_file(&out);
            })?;
            say!(
                "recovery key {fingerprint} made; its secret is in {} (shown this once: keep it offline)",
                out.display()
            );
        }
        Command::RecoverUser {
            person,
            recovery_key,
        } => {
            let text =
                zeroize::Zeroizing::new(std::fs::read_to_string(&recovery_key).map_err(|e| {
                    Error::invalid(
                        "recovery_key",
                        format!("cannot read {}: {e}", recovery_key.display()),
                    )
                })?);
            let secret = waymark_crypto::parse_recovery_key(&text)
                .map_err(|e| Error::invalid("recovery_key", e.to_string()))?;
            let client = BlockingClient::for_session(&s)?;
            let n = client.recover_user(&mut s, &secret, &person)?;
            say!("resealed {n} case key(s) for {person}'s devices");
        }
        Command::EraseCase { case_id, reason } => {
            let client = BlockingClient::for_session(&s)?;
            client.erase_case(&mut s, case_id, &reason)?;
            say!("erased case {case_id}");
        }
        Command::Audit { case, limit, json } => {
            output::audit(&s.audit_trail(case, limit)?, json.json)?
        }
        Command::DemoData {
            cases,
            notes_per_case,
            seed,
            keyworker,
        } => {
            let options = waymark_core::demo::DemoOptions {
                cases,
                notes_per_case,
                seed,
                keyworker,
            };
            let report = s.demo_data(&options, &mut |done, total| {
                eprint!("\rdemo data: {done}/{total} notes");
            })?;
            eprintln!();
            say!(
                "made {} cases, {} notes, {} appointments, {} assessments, {} flags in {:.1} s",
                report.cases,
                report.notes,
                report.appointments,
                report.assessments,
                report.flags,
                report.seconds
            );
        }
    }
    Ok(())
}

fn person(s: &mut Session, cmd: PersonCmd) -> Result<(), Error> {
    match cmd {
        PersonCmd::Add { name, fields } => {
            let f = fields;
            let id = s.add_person(NewPerson {
                full_name: name,
                preferred_name: f.preferred,
                date_of_birth: f.dob,
                pronouns: f.pronouns,
                phone: f.phone,
                email: f.email,
                safe_contact: SafeContact {
                    calls_safe: f.calls_safe,
                    texts_safe: f.texts_safe,
                    voicemail_safe: f.voicemail_safe,
                    safe_times: f.safe_times,
                    code_word: f.code_word,
                    instructions: f.safe_contact_notes,
                },
                address: f.address,
                address_restricted: f.restricted_address,
                needs: f.needs,
                consents: vec![],
            })?;
            say!("{id}");
        }
        PersonCmd::Update {
            case_id,
            name,
            fields: f,
        } => {
            let mut p = s.person(case_id)?;
            macro_rules! set { ($($src:expr => $dst:expr),*) => { $(if let Some(v) = $src { $dst = Some(v); })* } }
            if let Some(n) = name {
                p.full_name = n;
            }
            set!(f.preferred => p.preferred_name, f.dob => p.date_of_birth, f.pronouns => p.pronouns,
                 f.phone => p.phone, f.email => p.email, f.address => p.address,
                 f.calls_safe => p.safe_contact.calls_safe, f.texts_safe => p.safe_contact.texts_safe,
                 f.voicemail_safe => p.safe_contact.voicemail_safe, f.safe_times => p.safe_contact.safe_times,
                 f.code_word => p.safe_contact.code_word, f.safe_contact_notes => p.safe_contact.instructions);
            if f.restricted_address {
                p.address_restricted = true;
            }
            if !f.needs.is_empty() {
                p.needs = f.needs;
            }
            s.update_person(p)?;
        }
        PersonCmd::Show { case_id, json } => output::case_view(&s.open_case(case_id)?, json.json)?,
        PersonCmd::RevealAddress { case_id, json } => {
            let address = s.reveal_address(case_id)?;
            if json.json {
                say!(
                    "{}",
                    serde_json::json!({ "case_id": case_id, "address": address })
                );
            } else {
                say!("{}", address.as_deref().unwrap_or("(no address recorded)"));
            }
        }
        PersonCmd::Consent {
            case_id,
            topic,
            agreed,
            on,
        } => {
            let mut p = s.person(case_id)?;
            p.consents.push(ConsentDecision {
                topic,
                agreed,
                decided_on: on.unwrap_or_else(today),
                note: None,
            });
            s.update_person(p)?;
        }
    }
    Ok(())
}

fn attachment(s: &mut Session, cmd: AttachmentCmd) -> Result<(), Error> {
    match cmd {
        AttachmentCmd::Add {
            case_id,
            file,
            media_type,
        } => {
            let meta = std::fs::metadata(&file).map_err(|e| {
                Error::invalid("file", format!("cannot read {}: {e}", file.display()))
            })?;
            // Refuse an oversized file before reading it into memory.
            check_attachment_size(meta.len())?;
            let data = std::fs::read(&file)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let media = media_type.unwrap_or_else(|| guess_media_type(&name).to_owned());
            say!("{}", s.add_attachment(case_id, &name, &media, &data)?);
        }
        AttachmentCmd::List { case_id, json } => {
            output::attachments(&s.attachments(case_id)?, json.json)?
        }
        AttachmentCmd::Get { attachment_id, out } => {
            let (_, data) = s.open_attachment(attachment_id)?;
            write_private(&out, &data)?;
        }
        AttachmentCmd::Remove { attachment_id } => s.remove_attachment(attachment_id)?,
    }
    Ok(())
}

fn guess_media_type(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "txt" => "text/plain",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

/// Exports and opened attachments leave the encrypted store on purpose; at
/// least make them readable by their owner only.
fn write_private(path: &Path, data: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(data)?;
    Ok(())
}

fn parse_answers(
    pairs: &[String],
    file: Option<&Path>,
) -> Result<std::collections::BTreeMap<String, Answer>, Error> {
    let mut answers = std::collections::BTreeMap::new();
    if let Some(f) = file {
        let text = std::fs::read_to_string(f).map_err(|e| {
            Error::invalid("answers-file", format!("cannot read {}: {e}", f.display()))
        })?;
        answers = serde_json::from_str(&text).map_err(|e| {
            Error::invalid(
                "answers-file",
                format!("is not a JSON object of answers: {e}"),
            )
        })?;
    }
    for pair in pairs {
        let (id, value) = pair
            .split_once('=')
            .ok_or_else(|| Error::invalid("answer", format!("{pair:?} is not ID=VALUE")))?;
        let answer = match value {
            "yes" | "true" => Answer::YesNo(true),
            "no" | "false" => Answer::YesNo(false),
            "unknown" => Answer::NotKnown(()),
            v => v
                .parse::<i64>()
                .map(Answer::Number)
                .unwrap_or_else(|_| Answer::Text(v.to_owned())),
        };
        answers.insert(id.to_owned(), answer);
    }
    Ok(answers)
}
