//! Administration, run as `waymark-server --db URL admin ...`: organisations,
//! teams, users and their roles, devices, and who a case is shared with.
//! Passphrases come from an environment variable, never from argv (argv is
//! visible to every user of the machine).

use crate::auth;
use crate::store::{Store, StoreError};
use uuid::Uuid;
use waymark_protocol::Role;
use zeroize::Zeroizing;

/// The environment variable `add-user` and `reset-passphrase` read.
pub const PASSPHRASE_ENV: &str = "WAYMARK_USER_PASSPHRASE";
/// As on the device.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// The stored hash for a person's passphrase: the same key derivation their
/// device runs at login, then the server's own Argon2id hash of that key.
pub fn auth_hash_for(user: &str, passphrase: &str) -> Result<String, StoreError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(StoreError::Invalid(format!(
            "{PASSPHRASE_ENV}: the passphrase must be at least {MIN_PASSPHRASE_CHARS} characters"
        )));
    }
    let key = waymark_protocol::auth::derive_auth_key(user, passphrase.as_bytes());
    Ok(auth::hash_auth_key(&key))
}

pub fn passphrase_from_env() -> Result<Zeroizing<String>, StoreError> {
    std::env::var(PASSPHRASE_ENV)
        .map(Zeroizing::new)
        .map_err(|_| {
            StoreError::Invalid(format!(
                "{PASSPHRASE_ENV}: set it to the person's passphrase"
            ))
        })
}

pub async fn add_user(
    store: &Store,
    org: &str,
    team: Option<&str>,
    name: &str,
    role: Role,
    passphrase: &str,
) -> Result<Uuid, StoreError> {
    let name = name.trim();
    if name.is_empty() || name.len() > 200 || name.chars().any(char::is_control) {
        return Err(StoreError::Invalid(
            "--name: 1 to 200 printable characters".into(),
        ));
    }
    if role != Role::Admin && team.is_none() {
        return Err(StoreError::Invalid(format!(
            "--team: a {} belongs to a team",
            role.as_str()
        )));
    }
    let hash = auth_hash_for(name, passphrase)?;
    store.add_user(org, team, name, role, &hash).await
}

pub async fn reset_passphrase(
    store: &Store,
    user: &str,
    passphrase: &str,
) -> Result<(), StoreError> {
    let hash = auth_hash_for(user, passphrase)?;
    store.set_auth_hash(user, &hash).await
}
