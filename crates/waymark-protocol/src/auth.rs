//! The authentication key: derived from the passphrase on the device, so the
//! passphrase never leaves it. It is a different derivation from the store
//! key's (that one uses a random salt kept in the device's key file): this one
//! must be reproducible on any device, so its salt comes from the user name
//! and a label that separates it from every other use of the passphrase.

use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

pub const AUTH_KEY_LEN: usize = 32;
const SALT_LABEL: &[u8] = b"waymark server authentication key v1\0";

/// Argon2id, 64 MiB, 3 passes: as costly to guess as the store key.
pub fn derive_auth_key(user: &str, passphrase: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut salt = Sha256::new();
    salt.update(SALT_LABEL);
    salt.update(user.trim().to_lowercase().as_bytes());
    let salt = salt.finalize();
    let params = Params::new(64 * 1024, 3, 1, Some(AUTH_KEY_LEN)).expect("valid Argon2 parameters");
    let mut key = Zeroizing::new(vec![0u8; AUTH_KEY_LEN]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase, &salt, &mut key)
        .expect("Argon2 output length is valid");
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_depends_on_user_and_passphrase_but_not_on_case_of_the_name() {
        let a = derive_auth_key("Amira", b"correct horse battery");
        assert_eq!(a.len(), AUTH_KEY_LEN);
        assert_eq!(a, derive_auth_key("amira", b"correct horse battery"));
        assert_ne!(a, derive_auth_key("amira", b"correct horse battery!"));
        assert_ne!(a, derive_auth_key("bea", b"correct horse battery"));
        assert_ne!(a.as_slice(), b"correct horse battery");
    }
}
