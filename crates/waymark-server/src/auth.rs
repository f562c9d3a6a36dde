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

/// Argon2 checks on a few threads of their own, fed from a bounded queue:
/// at most `threads` run at once, and only those threads' allocator arenas
/// ever hold Argon2's 19 MiB. (Run on the shared blocking pool, a flood of
/// logins spread them over hundreds of threads, each keeping its 19 MiB:
/// 3 GiB for 200 concurrent guessers.)
pub struct Verifier {
    jobs: std::sync::mpsc::SyncSender<VerifyJob>,
}

type VerifyJob = (
    Zeroizing<Vec<u8>>,
    String,
    tokio::sync::oneshot::Sender<bool>,
);

/// Checks waiting beyond this are refused as busy at once.
const VERIFY_QUEUE: usize = 256;

impl Verifier {
    pub fn new(threads: usize) -> Verifier {
        let (jobs, queue) = std::sync::mpsc::sync_channel::<VerifyJob>(VERIFY_QUEUE);
        let queue = std::sync::Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || loop {
                    let job = queue.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    let Ok((key, stored, reply)) = job else { break };
                    let _ = reply.send(verify_auth_key(&key, &stored));
                })
                .expect("start an Argon2 thread");
        }
        Verifier { jobs }
    }

    /// Whether `key` matches `stored`; `None` when the queue is full or the
    /// answer takes longer than `wait` (the server is busy).
    pub async fn verify(
        &self,
        key: Zeroizing<Vec<u8>>,
        stored: String,
        wait: Duration,
    ) -> Option<bool> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.jobs.try_send((key, stored, reply)).ok()?;
        tokio::time::timeout(wait, answer).await.ok()?.ok()
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

/// Crockford's base32: no I, L, O or U, so a code read aloud or copied by
/// hand survives.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_CHARS: usize = 20;

/// A new one-time enrolment code, "7K2M-QX9P-...", 100 random bits, and the
/// hash the server keeps.
pub fn new_enrolment_code() -> (Zeroizing<String>, [u8; 32]) {
    let mut code = Zeroizing::new(String::with_capacity(CODE_CHARS + 4));
    let mut rng = rand::rngs::OsRng;
    for i in 0..CODE_CHARS {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        code.push(char::from(CODE_ALPHABET[rng.next_u32() as usize % 32]));
    }
    let hash = enrolment_code_hash(&code).expect("a code just made reads back");
    (code, hash)
}

/// The hash of a code as a person typed it (case, spaces and dashes do not
/// matter; I and L read as 1, O as 0), or `None` if it cannot be a code.
pub fn enrolment_code_hash(typed: &str) -> Option<[u8; 32]> {
    let mut normal = Zeroizing::new(String::with_capacity(CODE_CHARS));
    for c in typed.chars().filter(|c| !matches!(c, '-' | ' ')) {
        let c = match c.to_ascii_uppercase() {
            'I' | 'L' => '1',
            'O' => '0',
            c => c,
        };
        if !CODE_ALPHABET.contains(&(c as u8)) || !c.is_ascii() {
            return None;
        }
        normal.push(c);
    }
    (normal.len() == CODE_CHARS).then(|| Sha256::digest(normal.as_bytes()).into())
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

    /// How many failures `key` has in the window now.
    pub fn count(&self, key: &str, now: Instant) -> usize {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key).map_or(0, |times| {
            times
                .iter()
                .filter(|t| now.duration_since(**t) < self.window)
                .count()
        })
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

/// The client's address: the peer's, or, when the peer is a trusted proxy,
/// the nearest address in `X-Forwarded-For` that is not one (a header from
/// anyone else is ignored, so a client cannot pick its own address).
pub fn client_address(
    peer: std::net::IpAddr,
    forwarded_for: &[&str],
    trusted_proxies: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    forwarded_for
        .iter()
        .flat_map(|h| h.split(','))
        .filter_map(|a| a.trim().parse::<std::net::IpAddr>().ok())
        .rev()
        .find(|a| !trusted_proxies.contains(a))
        .unwrap_or(peer)
}

/// What failed logins are counted against: an IPv4 address, or an IPv6
/// /64 (one household's or host's whole block: its addresses are free to
/// hop within it).
pub fn address_key(address: std::net::IpAddr) -> String {
    match address {
        std::net::IpAddr::V4(a) => a.to_string(),
        std::net::IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = a.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// How long to hold the answer to a wrong passphrase for an account that
/// has `failures` in the window from anywhere: nothing for the first five,
/// then a second more for each, up to ten. The person is slowed, never
/// locked out; the guesser, who fails every time, is slowed most.
pub fn slow_down(failures: usize) -> Duration {
    Duration::from_secs(failures.saturating_sub(5).min(10) as u64)
}

#[cfg(test)]
mod address_tests {
    use super::*;
    use std::net::IpAddr;

    #[test]
    fn the_client_address_comes_from_a_trusted_proxy_only() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let header = ["198.51.100.1, 203.0.113.7"];
        assert_eq!(client_address(proxy, &header, &[proxy]), client);
        assert_eq!(
            client_address(client, &header, &[proxy]),
            client,
            "not a proxy: header ignored"
        );
        assert_eq!(client_address(proxy, &[], &[proxy]), proxy);
        assert_eq!(client_address(proxy, &["not an address"], &[proxy]), proxy);
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_slash_64() {
        let a = address_key("2001:db8:1:2::1".parse().unwrap());
        let b = address_key("2001:db8:1:2:ffff::9".parse().unwrap());
        let c = address_key("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            address_key("::ffff:192.0.2.1".parse().unwrap()),
            "192.0.2.1"
        );
        assert_eq!(address_key("192.0.2.1".parse().unwrap()), "192.0.2.1");
    }

    #[test]
    fn a_guesser_is_slowed_and_never_stopped_outright() {
        assert_eq!(slow_down(5), Duration::ZERO);
        assert_eq!(slow_down(6), Duration::from_secs(1));
        assert_eq!(slow_down(500), Duration::from_secs(10));
    }
}
