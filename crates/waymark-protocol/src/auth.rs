//! The authentication key: derived from the passphrase on the device, so the
//! passphrase never leaves it. It is a different derivation from the store
//! key's (that one uses a random salt kept in the device's key file): this one
//! must be reproducible on any device, so the server hands out its salt
//! (`POST /v1/login-salt`).
//!
//! The salt includes the person's organisation and name, so the same
//! passphrase gives different keys for different people, organisations and
//! servers. Passphrases an administrator set before enrolment codes were
//! salted with the name alone ([`legacy_salt`]); the person must change
//! theirs at first login, and the new key takes the organisation's salt.

use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

pub const AUTH_KEY_LEN: usize = 32;
pub const SALT_LEN: usize = 32;
const LEGACY_SALT_LABEL: &[u8] = b"waymark server authentication key v1\0";
const SALT_LABEL: &[u8] = b"waymark server authentication key v2\0";

/// The salt of a passphrase chosen by the person: their organisation's id
/// and their name (case does not matter).
pub fn salt(org: uuid::Uuid, user: &str) -> [u8; SALT_LEN] {
    let mut salt = Sha256::new();
    salt.update(SALT_LABEL);
    salt.update(org.as_bytes());
    salt.update(user.trim().to_lowercase().as_bytes());
    salt.finalize().into()
}

/// The salt of a passphrase an administrator set before enrolment codes.
pub fn legacy_salt(user: &str) -> [u8; SALT_LEN] {
    let mut salt = Sha256::new();
    salt.update(LEGACY_SALT_LABEL);
    salt.update(user.trim().to_lowercase().as_bytes());
    salt.finalize().into()
}

/// Argon2id, 64 MiB, 3 passes: as costly to guess as the store key.
pub fn derive_auth_key(salt: &[u8], passphrase: &[u8]) -> Zeroizing<Vec<u8>> {
    let params = Params::new(64 * 1024, 3, 1, Some(AUTH_KEY_LEN)).expect("valid Argon2 parameters");
    let mut key = Zeroizing::new(vec![0u8; AUTH_KEY_LEN]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase, salt, &mut key)
        .expect("Argon2 output length is valid");
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_passphrase_gives_different_keys_in_different_organisations() {
        let (north, south) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        let pass = b"correct horse battery";
        let a = derive_auth_key(&salt(north, "Amira"), pass);
        assert_eq!(a.len(), AUTH_KEY_LEN);
        assert_eq!(a, derive_auth_key(&salt(north, " amira"), pass));
        assert_ne!(a, derive_auth_key(&salt(south, "amira"), pass));
        assert_ne!(a, derive_auth_key(&salt(north, "bea"), pass));
        assert_ne!(
            a,
            derive_auth_key(&salt(north, "amira"), b"correct horse battery!")
        );
        assert_ne!(a, derive_auth_key(&legacy_salt("amira"), pass));
        assert_ne!(a.as_slice(), pass);
    }
}
