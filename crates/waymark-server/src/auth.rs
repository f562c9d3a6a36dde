//! Device tokens, the server-side hash of authentication keys, and the
//! failed-login limiter.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// Argon2id for stored authentication keys. The key is already a costly
/// Argon2id output (64 MiB on the device), so the server's hash can be
/// lighter: OWASP's 19 MiB, 2 passes.
fn hasher() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters"),
    )
}

pub fn hash_auth_key(auth_key: &[u8]) -> String {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    hasher()
        .hash_password(auth_key, &salt)
        .expect("Argon2 hashing with valid parameters")
        .to_string()
}

pub fn verify_auth_key(auth_key: &[u8], stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(hash) => hasher().verify_password(auth_key, &hash).is_ok(),
        Err(_) => false,
    }
}

/// A hash verified when the user does not exist, so a miss costs the same
/// time as a wrong key and does not tell who has an account.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_auth_key(b"waymark decoy key"))
}

/// A new device token (256 random bits) and the hash the server keeps.
pub fn new_token() -> (Zeroizing<String>, Vec<u8>) {
    let mut bytes = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(bytes.as_mut());
    let token = Zeroizing::new(format!("wmd_{}", URL_SAFE_NO_PAD.encode(bytes.as_ref())));
    let hash = token_hash(&token);
    (token, hash)
}

/// Tokens are random, so a plain SHA-256 is enough to keep them useless if
/// the store leaks.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Counts failed logins per key (a user name, an address) in a sliding
/// window; once `max` failures are in the window, further attempts wait
/// until the oldest leaves it. Kept in memory: each server instance limits
/// on its own.
pub struct FailureLimiter {
    max: usize,
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

const LIMITER_KEYS: usize = 100_000;

impl FailureLimiter {
    pub fn new(max: usize, window: Duration) -> Self {
        FailureLimiter {
            max,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(wait)` when the key has used up its failures.
    pub fn check(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(times) = map.get_mut(key) else {
            return Ok(());
        };
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            times.pop_front();
        }
        if times.len() >= self.max {
            let oldest = *times.front().expect("non-empty");
            return Err(self.window - now.duration_since(oldest));
        }
        Ok(())
    }

    pub fn record_failure(&self, key: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= LIMITER_KEYS && !map.contains_key(key) {
            // Bound memory: forget keys whose failures have all expired.
            let window = self.window;
            map.retain(|_, t| {
                t.back()
                    .is_some_and(|last| now.duration_since(*last) < window)
            });
        }
        let times = map.entry(key.to_owned()).or_default();
        times.push_back(now);
        while times.len() > self.max {
            times.pop_front();
        }
    }

    pub fn clear(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_blocks_after_max_failures_until_the_window_passes() {
        let limiter = FailureLimiter::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(limiter.check("amira", t0 + Duration::from_secs(i)).is_ok());
            limiter.record_failure("amira", t0 + Duration::from_secs(i));
        }
        let wait = limiter
            .check("amira", t0 + Duration::from_secs(10))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        assert!(limiter.check("bea", t0 + Duration::from_secs(10)).is_ok());
        assert!(limiter.check("amira", t0 + Duration::from_secs(60)).is_ok());
        limiter.record_failure("amira", t0 + Duration::from_secs(61));
        limiter.clear("amira");
        assert!(limiter.check("amira", t0 + Duration::from_secs(62)).is_ok());
    }

    #[test]
    fn auth_key_hash_verifies_only_the_same_key_and_tokens_hash_stably() {
        let stored = hash_auth_key(b"0123456789abcdef0123456789abcdef");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify_auth_key(
            b"0123456789abcdef0123456789abcdef",
            &stored
        ));
        assert!(!verify_auth_key(
            b"0123456789abcdef0123456789abcdeF",
            &stored
        ));
        assert!(!verify_auth_key(b"x", "not a hash"));
        let (token, hash) = new_token();
        assert_eq!(token_hash(&token), hash);
        assert_ne!(new_token().1, hash);
    }
}
