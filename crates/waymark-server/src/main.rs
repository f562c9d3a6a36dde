//! `waymark-server`: run the sync server, or administer its store.
//!
//! Exit codes: 0 done, 2 bad input (named on stderr), 1 anything else.

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use uuid::Uuid;
use waymark_protocol::Role;
use waymark_server::store::{now_ms, Credential, Store, StoreError};
use waymark_server::{admin, Tls};

#[derive(Parser)]
#[command(
    name = "waymark-server",
    version,
    about = "Waymark's central sync server"
)]
struct Cli {
    /// The store: a SQLite file path, or a postgres:// URL.
    #[arg(long, env = "WAYMARK_SERVER_DB")]
    db: String,
    /// Print what an admin command did as JSON (for scripts).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: SocketAddr,
        /// PEM certificate chain; with --tls-key, serve HTTPS.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// A device whose token goes unused this long must log in again
        #[arg(long, default_value_t = waymark_server::api::DEFAULT_TOKEN_IDLE_DAYS,
              value_parser = clap::value_parser!(u32).range(1..=3650))]
        token_idle_days: u32,
        /// A proxy in front of the server (repeatable): from it, the client's
        /// address is taken from X-Forwarded-For
        #[arg(long = "trusted-proxy")]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// A request taking longer (a slow client included) is answered 408
        #[arg(long, default_value_t = waymark_server::api::DEFAULT_REQUEST_TIMEOUT_SECONDS,
              value_parser = clap::value_parser!(u64).range(1..=3600))]
        request_timeout_seconds: u64,
        /// A client that takes longer to send a request's headers loses the
        /// connection
        #[arg(long, default_value_t = waymark_server::api::DEFAULT_HEADER_TIMEOUT_SECONDS,
              value_parser = clap::value_parser!(u64).range(1..=600))]
        header_timeout_seconds: u64,
        /// Serve /metrics here (plain HTTP, for the monitoring network)
        /// instead of beside the API
        #[arg(long)]
        metrics_listen: Option<SocketAddr>,
    },
    /// Apply the store's migrations and stop.
    Migrate,
    /// Organisations, teams, users, devices and sharing.
    #[command(subcommand)]
    Admin(Admin),
}

#[derive(Subcommand)]
enum Admin {
    CreateOrg {
        #[arg(long)]
        name: String,
    },
    AddTeam {
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
    },
    /// Add a person: prints a one-time enrolment code to give them, with
    /// which they choose their own passphrase (`waymark join`).
    AddUser {
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long)]
        team: Option<String>,
        /// How many days the code works (1 to 30)
        #[arg(long, default_value_t = admin::DEFAULT_CODE_DAYS)]
        code_days: u32,
    },
    /// A new one-time enrolment code for a person (theirs was lost or ran
    /// out, or they forgot their passphrase): the last code stops working.
    NewCode {
        #[arg(long)]
        user: String,
        /// How many days the code works (1 to 30)
        #[arg(long, default_value_t = admin::DEFAULT_CODE_DAYS)]
        code_days: u32,
    },
    DisableUser {
        #[arg(long)]
        user: String,
    },
    EnableUser {
        #[arg(long)]
        user: String,
    },
    ListUsers {
        #[arg(long)]
        org: String,
    },
    ListDevices {
        #[arg(long)]
        user: Option<String>,
    },
    /// Revoke a device for everyone on it: its tokens stop working and it
    /// cannot log in again.
    RevokeDevice {
        #[arg(long)]
        device: Uuid,
    },
    /// Erase a case for good, at once: its log, attachments and sealed keys
    /// are deleted (crypto-shredding); devices drop their copies at next
    /// sync. The server operator's break-glass path: a request from a device
    /// takes the organisation's erasure rule. The reason is kept sealed to
    /// the organisation's recovery key (an admin must have made it).
    EraseCase {
        #[arg(long)]
        case: Uuid,
        /// The case's organisation: needed when two hold a case with this id
        #[arg(long)]
        org: Option<String>,
        /// Why, for the record
        #[arg(long)]
        reason: String,
    },
    ShareCase {
        #[arg(long)]
        case: Uuid,
        #[arg(long)]
        user: String,
    },
    UnshareCase {
        #[arg(long)]
        case: Uuid,
        #[arg(long)]
        user: String,
    },
    /// Make a person the case's keyworker (the case moves to their team).
    SetKeyworker {
        #[arg(long)]
        case: Uuid,
        #[arg(long)]
        user: String,
    },
    /// How the organisation's cases are erased: `second-person` (another
    /// supervisor or admin confirms within --hours, else the request lapses)
    /// or `grace` (it runs after --hours unless cancelled)
    ErasureRule {
        #[arg(long)]
        org: String,
        #[arg(value_parser = parse_erasure_rule)]
        rule: waymark_protocol::ErasureRule,
        /// 1 to 720
        #[arg(long, default_value_t = 72)]
        hours: u32,
    },
    /// Whether the organisation's admins may read and write every case.
    AdminsSeeCases {
        #[arg(long)]
        org: String,
        #[arg(value_parser = ["on", "off"])]
        setting: String,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

fn parse_erasure_rule(s: &str) -> Result<waymark_protocol::ErasureRule, String> {
    s.parse()
}

fn main() {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let code = runtime.block_on(async move {
        match run(cli).await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("waymark-server: {e}");
                match e {
                    Failure::Store(
                        StoreError::Invalid(_)
                        | StoreError::NotFound(_)
                        | StoreError::Conflict(_)
                        | StoreError::ClockAhead(_)
                        | StoreError::Erased { .. }
                        | StoreError::Forbidden { .. },
                    ) => 2,
                    Failure::Serve(waymark_server::ServeError::PlainOffLoopback(_)) => 2,
                    _ => 1,
                }
            }
        }
    });
    std::process::exit(code);
}

#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Serve(#[from] waymark_server::ServeError),
}

async fn run(cli: Cli) -> Result<(), Failure> {
    if matches!(cli.command, Command::Serve { .. }) {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_env("WAYMARK_LOG")
                    .unwrap_or_else(|_| "info".into()),
            )
            .with_writer(std::io::stderr)
            .init();
    }
    let store = Store::open(&cli.db).await?;
    match cli.command {
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
            token_idle_days,
            trusted_proxies,
            request_timeout_seconds,
            header_timeout_seconds,
            metrics_listen,
        } => {
            let tls = tls_cert.zip(tls_key).map(|(cert, key)| Tls { cert, key });
            let options = waymark_server::ServeOptions {
                token_idle_days,
                trusted_proxies,
                request_timeout_seconds,
                header_timeout_seconds,
                metrics_listen,
            };
            waymark_server::serve(store, listen, tls, options).await?;
        }
        Command::Migrate => println!("the {} store is up to date", store.kind()),
        Command::Admin(command) => {
            let done = admin_command(&store, command).await?;
            if cli.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&done.json).expect("plain JSON values")
                );
            } else if !done.text.is_empty() {
                println!("{}", done.text);
            }
        }
    }
    Ok(())
}

/// The code, said so the administrator knows what to do with it.
fn code_text(user: &str, issued: &admin::IssuedCode, days: u32) -> String {
    format!(
        "enrolment code for {user}: {}\n\
         It works once, for {days} days. Give it to {user} yourself (in person or by phone): \
         with it they choose their own passphrase when they join (`waymark join`, or the app).",
        issued.code.as_str()
    )
}

/// What an admin command did: a line for people, an object for scripts.
struct Done {
    text: String,
    json: serde_json::Value,
}

impl Done {
    fn new(text: impl Into<String>, json: serde_json::Value) -> Done {
        Done {
            text: text.into(),
            json,
        }
    }
}

async fn admin_command(store: &Store, command: Admin) -> Result<Done, StoreError> {
    use serde_json::json;
    Ok(match command {
        Admin::CreateOrg { name } => {
            let id = store.create_org(&name).await?;
            Done::new(id.to_string(), json!({ "org_id": id, "name": name }))
        }
        Admin::AddTeam { org, name } => {
            let id = store.add_team(&org, &name).await?;
            Done::new(
                id.to_string(),
                json!({ "team_id": id, "org": org, "name": name }),
            )
        }
        Admin::AddUser {
            org,
            name,
            role,
            team,
            code_days,
        } => {
            let (id, issued) = admin::add_user(
                store,
                &org,
                team.as_deref(),
                &name,
                role,
                code_days,
                now_ms(),
            )
            .await?;
            Done::new(
                code_text(&name, &issued, code_days),
                json!({ "user_id": id, "name": name, "role": role, "team": team,
                        "enrolment_code": issued.code.as_str(),
                        "code_expires_at_ms": issued.expires_at_ms }),
            )
        }
        Admin::NewCode { user, code_days } => {
            let issued = admin::new_code(store, &user, code_days, now_ms()).await?;
            Done::new(
                code_text(&user, &issued, code_days),
                json!({ "user": user, "enrolment_code": issued.code.as_str(),
                        "code_expires_at_ms": issued.expires_at_ms }),
            )
        }
        Admin::DisableUser { user } => {
            store.set_user_disabled(&user, true).await?;
            Done::new(
                format!("disabled {user}: they cannot log in or sync until enabled"),
                json!({ "user": user, "disabled": true }),
            )
        }
        Admin::EnableUser { user } => {
            store.set_user_disabled(&user, false).await?;
            Done::new(
                format!("enabled {user}"),
                json!({ "user": user, "disabled": false }),
            )
        }
        Admin::ListUsers { org } => {
            let users = store.list_users(&org).await?;
            let text = users
                .iter()
                .map(|u| {
                    let attacked = match u.failed_logins {
                        0 => String::new(),
                        n => format!("\t{n} wrong passphrases since their last login"),
                    };
                    let joined = match u.credential {
                        Credential::Own => "",
                        Credential::None => "\tnot joined yet",
                        Credential::AdminSet => {
                            "\tpassphrase set by an admin: they choose their own at next login"
                        }
                    };
                    format!(
                        "{}\t{}\t{}\t{}{}{joined}{attacked}",
                        u.id,
                        u.name,
                        u.role.as_str(),
                        u.team.as_deref().unwrap_or("-"),
                        if u.disabled { "\tdisabled" } else { "" }
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            Done::new(text, json!(users))
        }
        Admin::ListDevices { user } => {
            let devices = store.list_devices(user.as_deref()).await?;
            let text = devices
                .iter()
                .map(|d| {
                    format!(
                        "{}\t{}\t{}\t{}\t{}",
                        d.device_id,
                        d.user,
                        d.label,
                        if d.revoked { "revoked" } else { "active" },
                        d.key_fingerprint.as_deref().unwrap_or("no key")
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            Done::new(text, json!(devices))
        }
        Admin::RevokeDevice { device } => {
            let n = store.revoke_device(device, now_ms()).await?;
            Done::new(
                format!(
                    "revoked device {device} ({n} enrolment{})",
                    if n == 1 { "" } else { "s" }
                ),
                json!({ "device_id": device, "revoked_enrolments": n }),
            )
        }
        Admin::EraseCase { case, org, reason } => {
            store
                .erase_case(case, org.as_deref(), &reason, now_ms())
                .await?;
            Done::new(
                format!("erased case {case} (the reason is kept sealed to the organisation's recovery key)"),
                json!({ "case_id": case, "erased": true }),
            )
        }
        Admin::ShareCase { case, user } => {
            store.share_case(case, &user, true).await?;
            Done::new(
                format!("shared case {case} with {user}: their devices receive it once a member's device seals them its key"),
                json!({ "case_id": case, "user": user, "shared": true }),
            )
        }
        Admin::UnshareCase { case, user } => {
            store.share_case(case, &user, false).await?;
            Done::new(
                format!("case {case} is no longer shared with {user}: it gets a new key its members' devices seal to those who remain"),
                json!({ "case_id": case, "user": user, "shared": false }),
            )
        }
        Admin::SetKeyworker { case, user } => {
            store.set_keyworker(case, &user).await?;
            Done::new(
                format!("{user} is now the keyworker of case {case} (it moved to their team)"),
                json!({ "case_id": case, "keyworker": user }),
            )
        }
        Admin::ErasureRule { org, rule, hours } => {
            store.set_erasure_rule(&org, rule, hours).await?;
            let text = match rule {
                waymark_protocol::ErasureRule::SecondPerson => format!(
                    "{org}: a case is erased once a second supervisor or admin confirms, within {hours} hours"
                ),
                waymark_protocol::ErasureRule::Grace => format!(
                    "{org}: a case is erased {hours} hours after it is asked for, unless cancelled"
                ),
            };
            Done::new(
                text,
                json!({ "org": org, "erasure_rule": rule, "hours": hours }),
            )
        }
        Admin::AdminsSeeCases { org, setting } => {
            let on = setting == "on";
            store.set_admins_see_cases(&org, on).await?;
            Done::new(
                format!(
                    "admins of {org} {} every case",
                    if on {
                        "now read and write"
                    } else {
                        "no longer read"
                    }
                ),
                json!({ "org": org, "admins_see_cases": on }),
            )
        }
    })
}
