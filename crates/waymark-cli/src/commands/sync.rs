//! The server: `join`, `login`, `sync`, `conflicts`, `refused`, and the trust and
//! admin commands (`identity`, `confirm`, `devices`, `recovery-key`,
//! `recover-user`, `erase-case`).

use crate::cli::{ConflictsCmd, KeepArg, RecoveryKeyCmd};
use crate::input::{ask, new_passphrase, read_passphrase, write_private};
use crate::output::{self, tell};
use crate::Failure;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use uuid::Uuid;
use waymark_core::sync::Keep;
use waymark_core::{Error, Session};
use waymark_sync::{BlockingClient, Progress, Stage, SyncError, SyncStopped};

/// Logs in with the passphrase that unlocks the store (only a key derived
/// from it is sent) and enrols this device.
pub(crate) fn login(
    store: &Path,
    user: Option<&str>,
    server: &str,
    device_label: Option<String>,
) -> Result<(), Failure> {
    let pass = read_passphrase("WAYMARK_PASSPHRASE", &ask("cli-ask-passphrase", &[]))?;
    let mut s = Session::unlock(store, user, &pass)?;
    let label = device_label.unwrap_or_else(waymark_sync::device_label);
    let client = BlockingClient::from_env(server)?;
    let name = s.user().name.clone();
    let account = client.login(&mut s, &name, &pass, &label)?;
    let device = s.device_id().to_string();
    tell(
        "cli-logged-in",
        &[
            ("server", account.server_url.as_str().into()),
            ("user", account.server_user.as_str().into()),
            ("role", account.role.to_string().into()),
            ("device", device.into()),
        ],
    );
    Ok(())
}

pub(crate) fn join(
    store: &Path,
    server: &str,
    user: &str,
    code: &str,
    device_label: Option<String>,
) -> Result<(), Failure> {
    let client = BlockingClient::from_env(server)?;
    let pass = new_passphrase()?;
    let label = device_label.unwrap_or_else(waymark_sync::device_label);
    let s = client.join(store, user, code, &pass, &label)?;
    let account = s.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
    let (path, device) = (store.display().to_string(), s.device_id().to_string());
    tell(
        "cli-joined",
        &[
            ("server", account.server_url.as_str().into()),
            ("user", account.server_user.as_str().into()),
            ("role", account.role.to_string().into()),
            ("path", path.into()),
            ("device", device.into()),
        ],
    );
    Ok(())
}

/// A failed sync prints, with `--json`, where it stopped and what moved
/// before it; a revoked device's store is erased here.
pub(crate) fn sync(mut s: Session, json: bool) -> Result<(), Failure> {
    let Some(account) = s.sync_account()? else {
        let stopped = SyncStopped {
            stage: Stage::Trust,
            moved: Default::default(),
            error: SyncError::NotLoggedIn,
        };
        if json {
            output::sync_stopped(&stopped)?;
        }
        return Err(stopped.error.into());
    };
    let client = BlockingClient::from_env(&account.server_url)?;
    let show_progress = !json && std::io::stderr().is_terminal();
    let mut progress = |p: Progress| {
        if show_progress && p.total > 0 {
            eprint!("\r{}: {}/{}   ", p.phase, p.done, p.total);
        }
    };
    let report = match client.sync(&mut s, &mut progress) {
        Ok(report) => report,
        Err(stopped) => {
            if show_progress {
                eprintln!();
            }
            // Revoked by the organisation: the store is erased here.
            drop(waymark_sync::erase_if_revoked(s, &stopped.error)?);
            if json {
                output::sync_stopped(&stopped)?;
            }
            return Err(stopped.error.into());
        }
    };
    if show_progress {
        eprintln!();
    }
    output::sync_report(&report, json)?;
    Ok(())
}

pub(crate) fn conflicts(
    s: &mut Session,
    cmd: Option<ConflictsCmd>,
    all: bool,
    json: bool,
) -> Result<(), Error> {
    match cmd {
        Some(ConflictsCmd::Resolve { id, keep }) => {
            let keep = match keep {
                KeepArg::Mine => Keep::Mine,
                KeepArg::Theirs => Keep::Theirs,
            };
            s.resolve_conflict(id, keep)?;
            let id = id.to_string();
            tell("cli-conflict-resolved", &[("id", id.into())]);
        }
        None => output::conflicts(&s.conflict_views(all)?, json)?,
    }
    Ok(())
}

pub(crate) fn refused(s: &Session, json: bool) -> Result<(), Error> {
    output::refused(
        &s.refused_changes()?,
        &s.refused_recipients()?,
        &s.refused_keys()?,
        json,
    )
}

pub(crate) fn identity(s: &Session, json: bool) -> Result<(), Error> {
    output::identity(&s.identity()?, json)
}

pub(crate) fn confirm(
    s: &mut Session,
    person: &str,
    fingerprint: &str,
    admin: bool,
    json: bool,
) -> Result<(), Failure> {
    let client = BlockingClient::for_session(s)?;
    let confirmed = client.confirm(s, person, fingerprint, admin)?;
    Ok(output::confirmed(&confirmed, json)?)
}

pub(crate) fn devices(s: &Session, json: bool) -> Result<(), Failure> {
    let client = BlockingClient::for_session(s)?;
    let listed = client.listed_devices(s)?;
    Ok(output::devices(&listed, json)?)
}

pub(crate) fn recovery_key(s: &Session, cmd: RecoveryKeyCmd) -> Result<(), Failure> {
    let RecoveryKeyCmd::Create { out } = cmd;
    if out.exists() {
        return Err(Error::invalid("out", "that file exists; name a new one").into());
    }
    let client = BlockingClient::for_session(s)?;
    let made = client.create_recovery_key(s, |text| write_private(&out, text.as_bytes()));
    let fingerprint = made.inspect_err(|_| {
        // A refused key was never the organisation's: remove its file.
        let _ = std::fs::remove_file(&out);
    })?;
    let path = out.display().to_string();
    tell(
        "cli-recovery-key-made",
        &[
            ("fingerprint", fingerprint.to_string().into()),
            ("path", path.into()),
        ],
    );
    Ok(())
}

pub(crate) fn recover_user(
    s: &mut Session,
    person: &str,
    recovery_key: &PathBuf,
) -> Result<(), Failure> {
    let text = zeroize::Zeroizing::new(std::fs::read_to_string(recovery_key).map_err(|e| {
        Error::invalid(
            "recovery_key",
            format!("cannot read {}: {e}", recovery_key.display()),
        )
    })?);
    let secret = waymark_crypto::parse_recovery_key(&text)
        .map_err(|e| Error::invalid("recovery_key", e.to_string()))?;
    let client = BlockingClient::for_session(s)?;
    let n = client.recover_user(s, &secret, person)?;
    tell(
        "cli-resealed",
        &[("count", n.into()), ("user", person.into())],
    );
    Ok(())
}

/// Asks for (or confirms) a case's erasure, or withdraws one that waits.
pub(crate) fn erase_case(
    s: &mut Session,
    case_id: Uuid,
    reason: Option<&str>,
    cancel: bool,
    json: bool,
) -> Result<(), Failure> {
    let client = BlockingClient::for_session(s)?;
    if cancel {
        client.cancel_erasure(s, case_id)?;
        let case = case_id.to_string();
        tell("cli-erasure-cancelled", &[("case", case.into())]);
        return Ok(());
    }
    let answer = client.erase_case(s, case_id, reason.unwrap_or_default())?;
    output::erasure(&answer, json)?;
    Ok(())
}

pub(crate) fn erasures(s: &Session, json: bool) -> Result<(), Failure> {
    let client = BlockingClient::for_session(s)?;
    output::erasures(&client.erasures(s)?, json)?;
    Ok(())
}

pub(crate) fn access(s: &Session, case_id: Uuid, json: bool) -> Result<(), Failure> {
    let client = BlockingClient::for_session(s)?;
    output::case_access(&client.case_access(s, case_id)?, json)?;
    Ok(())
}

pub(crate) fn share(
    s: &mut Session,
    case_id: Uuid,
    user: &str,
    share: bool,
    json: bool,
) -> Result<(), Failure> {
    let client = BlockingClient::for_session(s)?;
    let access = client.share(s, case_id, user, share)?;
    if !json {
        if share {
            let id = match access.volunteers.iter().any(|v| v == user.trim()) {
                true => "cli-shared-volunteer",
                false => "cli-shared",
            };
            tell(id, &[("user", user.trim().into())]);
        } else {
            tell("cli-unshared", &[("user", user.trim().into())]);
        }
    }
    output::case_access(&access, json)?;
    Ok(())
}

pub(crate) fn reassign(
    s: &mut Session,
    case_id: Uuid,
    to: &str,
    json: bool,
) -> Result<(), Failure> {
    let client = BlockingClient::for_session(s)?;
    let access = client.reassign(s, case_id, to)?;
    if !json {
        tell("cli-reassigned", &[("user", to.trim().into())]);
    }
    output::case_access(&access, json)?;
    Ok(())
}
