//! Administration, run as `waymark-server --db URL admin ...`: organisations,
//! teams, users and their roles, devices, and who a case is shared with.
//!
//! An administrator never sets or learns a person's passphrase: adding a
//! person (or `new-code`) prints a one-time enrolment code, which the person
//! uses to choose their own (`waymark join`, or the app's join form).

use crate::auth;
use crate::store::{Store, StoreError, StoredCode};
use uuid::Uuid;
use waymark_protocol::Role;
use zeroize::Zeroizing;

/// How long a new enrolment code works unless `--code-days` says otherwise.
pub const DEFAULT_CODE_DAYS: u32 = 7;
pub const MAX_CODE_DAYS: u32 = 30;

/// A code to give the person, once, by a way only they receive.
pub struct IssuedCode {
    pub code: Zeroizing<String>,
    pub expires_at_ms: i64,
}

fn issue(days: u32, now_ms: i64) -> Result<(IssuedCode, StoredCode), StoreError> {
    if !(1..=MAX_CODE_DAYS).contains(&days) {
        return Err(StoreError::Invalid(format!(
            "--code-days: from 1 to {MAX_CODE_DAYS}, not {days}"
        )));
    }
    let (code, hash) = auth::new_enrolment_code();
    let expires_at_ms = now_ms + i64::from(days) * 24 * 3600 * 1000;
    Ok((
        IssuedCode {
            code,
            expires_at_ms,
        },
        StoredCode {
            hash,
            expires_at_ms,
        },
    ))
}

pub async fn add_user(
    store: &Store,
    org: &str,
    team: Option<&str>,
    name: &str,
    role: Role,
    code_days: u32,
    now_ms: i64,
) -> Result<(Uuid, IssuedCode), StoreError> {
    let name = name.trim();
    if name.is_empty() || name.len() > 200 || name.chars().any(char::is_control) {
        return Err(StoreError::Invalid(
            "--name: 1 to 200 printable characters".into(),
        ));
    }
    if !matches!(role, Role::Admin | Role::Manager) && team.is_none() {
        return Err(StoreError::Invalid(format!(
            "--team: a {} belongs to a team",
            role.as_str()
        )));
    }
    let (issued, stored) = issue(code_days, now_ms)?;
    let id = store.add_user(org, team, name, role, &stored).await?;
    Ok((id, issued))
}

/// A new code for someone who lost theirs, let it expire, or forgot their
/// passphrase: the last code stops working; their passphrase and devices
/// stay as they are until this one is used.
pub async fn new_code(
    store: &Store,
    user: &str,
    code_days: u32,
    now_ms: i64,
) -> Result<IssuedCode, StoreError> {
    let (issued, stored) = issue(code_days, now_ms)?;
    store.set_enrolment_code(user, &stored).await?;
    Ok(issued)
}
