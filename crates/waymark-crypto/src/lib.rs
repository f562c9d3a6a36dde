//! End-to-end encryption for Waymark: the server relays ciphertext only.
//!
//! - A **case key** (random, 256-bit, with an epoch that rises on rotation)
//!   encrypts every change payload and attachment of its case with
//!   XChaCha20-Poly1305. The case id, the change (or attachment) id and the
//!   epoch are associated data: a ciphertext cannot be moved to another case
//!   or change, or passed off under another key.
//! - A **user key pair** (X25519) receives case keys **sealed** to it: an
//!   ephemeral X25519 exchange, HKDF-SHA256, then XChaCha20-Poly1305. The
//!   organisation's recovery key is a user key pair kept offline.
//! - An **identity** (Ed25519, `identity`) signs statements: its person's
//!   X25519 key, or (an admin's) a certificate of another person's identity.
//!
//! Every encoding starts with a version byte; unknown versions are refused,
//! never guessed. Nothing here invents a primitive: the AEAD, the exchange and
//! the KDF are RustCrypto / dalek crates. Secrets are zeroized and print as `..`.

mod identity;
pub use identity::{
    fingerprint_phrase, phrase_matches, sign_change, signed_change, verify_changes, IdentityPublic,
    IdentitySecret, Signature, SignedChange, Statement, Verifier, SIGNED_CHANGE_VERSION,
};

use chacha20poly1305::aead::{Aead, AeadInPlace, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use uuid::Uuid;
use zeroize::{Zeroize, Zeroizing};

/// The encodings this build writes and reads.
pub const CHANGE_VERSION: u8 = 1;
pub const SEALED_KEY_VERSION: u8 = 1;
const NONCE: usize = 24;
const TAG: usize = 16;
const CHANGE_HEADER: usize = 1 + 4 + NONCE;
const SEALED_LEN: usize = 1 + 32 + NONCE + 32 + TAG;
/// How much longer an encrypted change or attachment is than its plaintext.
pub const ENCRYPTION_OVERHEAD: usize = CHANGE_HEADER + TAG;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("{what}: too short to be valid ({len} bytes)")]
    Truncated { what: &'static str, len: usize },
    #[error("{what}: version {found} is not one this app can read (it reads {supported}); refusing rather than guessing")]
    UnknownVersion {
        what: &'static str,
        found: u8,
        supported: u8,
    },
    #[error("{what}: encrypted under key epoch {found}, but key epoch {expected} was given")]
    WrongEpoch {
        what: &'static str,
        found: u32,
        expected: u32,
    },
    /// Changed, truncated, moved between cases or changes, or the wrong key:
    /// the AEAD cannot tell these apart, and neither should we.
    #[error("{what}: failed authentication (tampered with, moved, or the wrong key)")]
    Tampered { what: &'static str },
    #[error("{what}: not a usable public key (a low-order point)")]
    WeakKey { what: &'static str },
    #[error("{what}: {why}")]
    Malformed { what: &'static str, why: String },
    #[error(
        "{what}: the signature does not hold (another signer, or changed since it was signed)"
    )]
    BadSignature { what: &'static str },
}

pub type Result<T, E = CryptoError> = std::result::Result<T, E>;

// --- Case keys ---------------------------------------------------------------------

/// A case's symmetric key at one epoch.
#[derive(Clone)]
pub struct CaseKey {
    pub epoch: u32,
    bytes: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for CaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CaseKey(epoch {}, ..)", self.epoch)
    }
}

impl CaseKey {
    pub fn generate(epoch: u32) -> CaseKey {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(bytes.as_mut());
        CaseKey { epoch, bytes }
    }

    /// The key at this epoch of a companion log whose readers all hold
    /// this case key too (a case's allocation log): HKDF-SHA256 of this
    /// key, bound to the log's id. Whichever member writes there first
    /// makes the same key, so two devices offline never make two; one who
    /// holds only the derived key (a volunteer) learns nothing of this one.
    pub fn derive_for_log(&self, log: Uuid) -> CaseKey {
        let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(log.as_bytes()), self.bytes.as_ref());
        let mut bytes = Zeroizing::new([0u8; 32]);
        hk.expand(b"waymark companion log key", bytes.as_mut())
            .expect("32 bytes is a valid HKDF-SHA256 length");
        CaseKey {
            epoch: self.epoch,
            bytes,
        }
    }

    /// From stored bytes (inside the encrypted device store).
    pub fn from_bytes(epoch: u32, bytes: &[u8]) -> Result<CaseKey> {
        let array: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::Truncated {
            what: "case key",
            len: bytes.len(),
        })?;
        Ok(CaseKey {
            epoch,
            bytes: Zeroizing::new(array),
        })
    }

    pub fn expose(&self) -> &[u8; 32] {
        &self.bytes
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.bytes.as_ref().into())
    }
}

/// Associated data binding a ciphertext to its purpose, case, item and epoch.
fn bound_to(label: &[u8], case_id: Uuid, item_id: Uuid, epoch: u32) -> Vec<u8> {
    let mut aad = Vec::with_capacity(label.len() + 36);
    aad.extend_from_slice(label);
    aad.extend_from_slice(case_id.as_bytes());
    aad.extend_from_slice(item_id.as_bytes());
    aad.extend_from_slice(&epoch.to_be_bytes());
    aad
}

const CHANGE_LABEL: &[u8] = b"waymark change v1\0";
const BLOB_LABEL: &[u8] = b"waymark attachment v1\0";

fn seal_item(
    label: &[u8],
    key: &CaseKey,
    case_id: Uuid,
    item_id: Uuid,
    plaintext: &[u8],
) -> Vec<u8> {
    // Nonces from the thread's CSPRNG (ChaCha, seeded and reseeded from the
    // OS): 192 random bits per message, without a system call each.
    let mut nonce = [0u8; NONCE];
    rand::thread_rng().fill_bytes(&mut nonce);
    let aad = bound_to(label, case_id, item_id, key.epoch);
    let mut out = Vec::with_capacity(CHANGE_HEADER + plaintext.len() + TAG);
    out.push(CHANGE_VERSION);
    out.extend_from_slice(&key.epoch.to_be_bytes());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(plaintext);
    let tag = key
        .cipher()
        .encrypt_in_place_detached(XNonce::from_slice(&nonce), &aad, &mut out[CHANGE_HEADER..])
        .expect("XChaCha20-Poly1305 encryption does not fail for in-memory sizes");
    out.extend_from_slice(&tag);
    out
}

/// The key epoch a ciphertext says it is under (to pick the key), checking
/// the version and length first.
pub fn epoch_of(what: &'static str, ciphertext: &[u8]) -> Result<u32> {
    if ciphertext.len() < CHANGE_HEADER + TAG {
        return Err(CryptoError::Truncated {
            what,
            len: ciphertext.len(),
        });
    }
    if ciphertext[0] != CHANGE_VERSION {
        return Err(CryptoError::UnknownVersion {
            what,
            found: ciphertext[0],
            supported: CHANGE_VERSION,
        });
    }
    Ok(u32::from_be_bytes(ciphertext[1..5].try_into().unwrap()))
}

fn open_item(
    what: &'static str,
    label: &[u8],
    key: &CaseKey,
    case_id: Uuid,
    item_id: Uuid,
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let epoch = epoch_of(what, ciphertext)?;
    if epoch != key.epoch {
        return Err(CryptoError::WrongEpoch {
            what,
            found: epoch,
            expected: key.epoch,
        });
    }
    let aad = bound_to(label, case_id, item_id, epoch);
    key.cipher()
        .decrypt(
            XNonce::from_slice(&ciphertext[5..CHANGE_HEADER]),
            Payload {
                msg: &ciphertext[CHANGE_HEADER..],
                aad: &aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| CryptoError::Tampered { what })
}

/// Encrypts a change payload of `case_id` for the server to relay.
pub fn encrypt_change(key: &CaseKey, case_id: Uuid, change_id: Uuid, payload: &[u8]) -> Vec<u8> {
    seal_item(CHANGE_LABEL, key, case_id, change_id, payload)
}

/// Decrypts a change payload, refusing anything changed, truncated, moved to
/// another case or change, or under another key.
pub fn decrypt_change(
    key: &CaseKey,
    case_id: Uuid,
    change_id: Uuid,
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    open_item("change", CHANGE_LABEL, key, case_id, change_id, ciphertext)
}

/// Encrypts an attachment's contents (bound to the case and attachment).
pub fn encrypt_attachment(
    key: &CaseKey,
    case_id: Uuid,
    attachment_id: Uuid,
    contents: &[u8],
) -> Vec<u8> {
    seal_item(BLOB_LABEL, key, case_id, attachment_id, contents)
}

pub fn decrypt_attachment(
    key: &CaseKey,
    case_id: Uuid,
    attachment_id: Uuid,
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    open_item(
        "attachment",
        BLOB_LABEL,
        key,
        case_id,
        attachment_id,
        ciphertext,
    )
}

// --- User key pairs and sealed keys ---------------------------------------------------

/// A person's (or the organisation's recovery) X25519 secret key.
pub struct UserSecret(x25519_dalek::StaticSecret);

impl std::fmt::Debug for UserSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UserSecret(..)")
    }
}

/// The public half, registered with the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UserPublic(pub [u8; 32]);

impl UserSecret {
    pub fn generate() -> UserSecret {
        UserSecret(x25519_dalek::StaticSecret::random_from_rng(
            rand::rngs::OsRng,
        ))
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<UserSecret> {
        let mut array: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::Truncated {
            what: "user secret key",
            len: bytes.len(),
        })?;
        let secret = x25519_dalek::StaticSecret::from(array);
        array.zeroize();
        Ok(UserSecret(secret))
    }

    /// For keeping inside the encrypted store (or showing a recovery key once).
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    pub fn public(&self) -> UserPublic {
        UserPublic(x25519_dalek::PublicKey::from(&self.0).to_bytes())
    }
}

/// A public key as people compare it: the first 16 hex digits of its SHA-256
/// (the server's `list-devices` shows the same).
pub fn fingerprint(public: &UserPublic) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(public.0)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The recovery key encoding this build writes and reads.
pub const RECOVERY_KEY_VERSION: u8 = 1;
const RECOVERY_HEADER: &str = "Waymark organisation recovery key";

/// The organisation's recovery secret as text to keep offline (a file, or
/// printed): a header, its version, the secret in eight groups of hex, and
/// the public key's fingerprint, which catches a mistyped group on reading.
pub fn recovery_key_text(secret: &UserSecret) -> Zeroizing<String> {
    let bytes = secret.to_bytes();
    let hex = Zeroizing::new(bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
    let groups = Zeroizing::new(
        hex.as_bytes()
            .chunks(8)
            .map(|c| std::str::from_utf8(c).expect("hex is ASCII"))
            .collect::<Vec<_>>()
            .join(" "),
    );
    Zeroizing::new(format!(
        "{RECOVERY_HEADER}\nversion {RECOVERY_KEY_VERSION}\nsecret {}\nfingerprint {}\n\
         Keep this offline. With it an admin restores a person's access to their cases;\n\
         anyone holding it could do the same.\n",
        groups.as_str(),
        fingerprint(&secret.public())
    ))
}

/// Reads a recovery key written by `recovery_key_text`, refusing another
/// version, a malformed secret, or one whose fingerprint does not match. Only
/// the words matter, not the line breaks (a paste may lose them).
pub fn parse_recovery_key(text: &str) -> Result<UserSecret> {
    const WHAT: &str = "recovery key";
    let malformed = |why: &str| CryptoError::Malformed {
        what: WHAT,
        why: why.to_owned(),
    };
    if !text.trim_start().starts_with(RECOVERY_HEADER) {
        return Err(malformed("not a Waymark recovery key"));
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let after = |label: &str| {
        words
            .iter()
            .position(|w| *w == label)
            .map(|i| &words[i + 1..])
    };
    let version: u8 = after("version")
        .and_then(|rest| rest.first())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| malformed("no version"))?;
    if version != RECOVERY_KEY_VERSION {
        return Err(CryptoError::UnknownVersion {
            what: WHAT,
            found: version,
            supported: RECOVERY_KEY_VERSION,
        });
    }
    let hex: Zeroizing<String> = Zeroizing::new(
        after("secret")
            .ok_or_else(|| malformed("no secret"))?
            .iter()
            .take_while(|w| **w != "fingerprint")
            .copied()
            .collect(),
    );
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(malformed("the secret is not 64 hex digits"));
    }
    let mut bytes = Zeroizing::new([0u8; 32]);
    for (i, pair) in hex.as_bytes().chunks(2).enumerate() {
        let pair = std::str::from_utf8(pair).expect("checked ASCII");
        bytes[i] = u8::from_str_radix(pair, 16).expect("checked hex");
    }
    let secret = UserSecret::from_bytes(bytes.as_slice())?;
    let expected = after("fingerprint")
        .and_then(|rest| rest.first())
        .ok_or_else(|| malformed("no fingerprint"))?;
    if fingerprint(&secret.public()) != *expected {
        return Err(malformed(
            "the secret does not match its fingerprint (a mistyped group?)",
        ));
    }
    Ok(secret)
}

/// What a sealed key is bound to: its case, its epoch, and its recipient.
fn sealed_context(case_id: Uuid, epoch: u32, recipient: &UserPublic) -> Vec<u8> {
    let mut c = Vec::with_capacity(64);
    c.extend_from_slice(b"waymark sealed case key v1\0");
    c.extend_from_slice(case_id.as_bytes());
    c.extend_from_slice(&epoch.to_be_bytes());
    c.extend_from_slice(&recipient.0);
    c
}

/// HKDF-SHA256 over the exchange, salted with both public keys (as in
/// HPKE's base mode) and bound to the sealed key's context.
fn wrapping_key(
    shared: &x25519_dalek::SharedSecret,
    ephemeral: &[u8; 32],
    recipient: &UserPublic,
    context: &[u8],
) -> Zeroizing<[u8; 32]> {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(ephemeral);
    salt[32..].copy_from_slice(&recipient.0);
    let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(&salt), shared.as_bytes());
    let mut okm = Zeroizing::new([0u8; 32]);
    hk.expand(context, okm.as_mut())
        .expect("32 bytes is a valid HKDF-SHA256 length");
    okm
}

/// Seals `msg` to `recipient`, bound to `context` (which names the
/// recipient): an ephemeral X25519 exchange, HKDF-SHA256 salted with both
/// public keys (as HPKE's base mode), XChaCha20-Poly1305 with the context as
/// associated data. Laid out as version, ephemeral key, nonce, ciphertext.
fn seal_to(recipient: &UserPublic, context: &[u8], msg: &[u8]) -> Result<Vec<u8>> {
    let ephemeral = x25519_dalek::EphemeralSecret::random_from_rng(rand::rngs::OsRng);
    let ephemeral_public = x25519_dalek::PublicKey::from(&ephemeral).to_bytes();
    let shared = ephemeral.diffie_hellman(&x25519_dalek::PublicKey::from(recipient.0));
    if !shared.was_contributory() {
        return Err(CryptoError::WeakKey {
            what: "recipient public key",
        });
    }
    let wrap = wrapping_key(&shared, &ephemeral_public, recipient, context);
    let mut nonce = [0u8; NONCE];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let sealed = XChaCha20Poly1305::new(wrap.as_ref().into())
        .encrypt(XNonce::from_slice(&nonce), Payload { msg, aad: context })
        .expect("sealing a short message does not fail");
    let mut out = Vec::with_capacity(1 + 32 + NONCE + sealed.len());
    out.push(SEALED_KEY_VERSION);
    out.extend_from_slice(&ephemeral_public);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens what [`seal_to`] sealed to `secret`'s public key with `context`.
fn open_sealed(
    secret: &UserSecret,
    context: &[u8],
    sealed: &[u8],
    what: &'static str,
) -> Result<Zeroizing<Vec<u8>>> {
    if sealed.is_empty() {
        return Err(CryptoError::Truncated { what, len: 0 });
    }
    if sealed[0] != SEALED_KEY_VERSION {
        return Err(CryptoError::UnknownVersion {
            what,
            found: sealed[0],
            supported: SEALED_KEY_VERSION,
        });
    }
    if sealed.len() < 1 + 32 + NONCE + 16 {
        return Err(CryptoError::Truncated {
            what,
            len: sealed.len(),
        });
    }
    let ephemeral: [u8; 32] = sealed[1..33].try_into().expect("checked length");
    let shared = secret
        .0
        .diffie_hellman(&x25519_dalek::PublicKey::from(ephemeral));
    if !shared.was_contributory() {
        return Err(CryptoError::WeakKey {
            what: "sealed key's ephemeral key",
        });
    }
    let wrap = wrapping_key(&shared, &ephemeral, &secret.public(), context);
    XChaCha20Poly1305::new(wrap.as_ref().into())
        .decrypt(
            XNonce::from_slice(&sealed[33..33 + NONCE]),
            Payload {
                msg: &sealed[33 + NONCE..],
                aad: context,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| CryptoError::Tampered { what })
}

/// Seals `key` (of `case_id`) to `recipient`: only their secret opens it.
pub fn seal_case_key(recipient: &UserPublic, case_id: Uuid, key: &CaseKey) -> Result<Vec<u8>> {
    let context = sealed_context(case_id, key.epoch, recipient);
    seal_to(recipient, &context, key.expose())
}

/// Opens a case key sealed to `secret` for `case_id` at `epoch`.
pub fn open_case_key(
    secret: &UserSecret,
    case_id: Uuid,
    epoch: u32,
    sealed: &[u8],
) -> Result<CaseKey> {
    const WHAT: &str = "sealed case key";
    if !sealed.is_empty() && sealed[0] == SEALED_KEY_VERSION && sealed.len() != SEALED_LEN {
        return Err(CryptoError::Truncated {
            what: WHAT,
            len: sealed.len(),
        });
    }
    let context = sealed_context(case_id, epoch, &secret.public());
    let opened = open_sealed(secret, &context, sealed, WHAT)?;
    CaseKey::from_bytes(epoch, &opened)
}

/// What a sealed erasure reason is bound to: its organisation, its case
/// and its recipient (the organisation's recovery key).
fn reason_context(org: Uuid, case_id: Uuid, recipient: &UserPublic) -> Vec<u8> {
    let mut c = Vec::with_capacity(96);
    c.extend_from_slice(b"waymark sealed erasure reason v1\0");
    c.extend_from_slice(org.as_bytes());
    c.extend_from_slice(case_id.as_bytes());
    c.extend_from_slice(&recipient.0);
    c
}

/// Seals why a case is erased to the organisation's recovery key: the
/// server keeps only this, and only the key's holder reads it.
pub fn seal_erasure_reason(
    recovery: &UserPublic,
    org: Uuid,
    case_id: Uuid,
    reason: &str,
) -> Result<Vec<u8>> {
    seal_to(
        recovery,
        &reason_context(org, case_id, recovery),
        reason.as_bytes(),
    )
}

/// Reads a sealed erasure reason with the organisation's recovery key.
pub fn open_erasure_reason(
    recovery: &UserSecret,
    org: Uuid,
    case_id: Uuid,
    sealed: &[u8],
) -> Result<Zeroizing<String>> {
    const WHAT: &str = "sealed erasure reason";
    let context = reason_context(org, case_id, &recovery.public());
    let opened = open_sealed(recovery, &context, sealed, WHAT)?;
    String::from_utf8(opened.to_vec())
        .map(Zeroizing::new)
        .map_err(|_| CryptoError::Tampered { what: WHAT })
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_recovery_key_reads_back_and_refuses_mistakes_by_name() {
        let secret = UserSecret::generate();
        let text = recovery_key_text(&secret);
        let back = parse_recovery_key(&text).unwrap();
        assert_eq!(back.public(), secret.public());
        let one_line = text.replace('\n', " ");
        assert_eq!(
            parse_recovery_key(&one_line).unwrap().public(),
            secret.public()
        );
        // One mistyped digit: caught by the fingerprint.
        let secret_line = text.lines().find(|l| l.starts_with("secret ")).unwrap();
        let digit = secret_line.chars().nth(7).unwrap();
        let typo = secret_line.replacen(
            &secret_line[..8],
            &format!("secret {}", if digit == '0' { '1' } else { '0' }),
            1,
        );
        let bad = text.replace(secret_line, &typo);
        assert!(parse_recovery_key(&bad)
            .unwrap_err()
            .to_string()
            .contains("fingerprint"));
        let newer = text.replace("version 1", "version 2");
        assert!(matches!(
            parse_recovery_key(&newer),
            Err(CryptoError::UnknownVersion { found: 2, .. })
        ));
        let short = text.replace(secret_line, "secret 00ff");
        assert!(parse_recovery_key(&short)
            .unwrap_err()
            .to_string()
            .contains("64 hex digits"));
        assert!(parse_recovery_key("hello").is_err());
        // A case key sealed to the recovery key opens with the key read back.
        let case = Uuid::new_v4();
        let key = CaseKey::generate(3);
        let sealed = seal_case_key(&secret.public(), case, &key).unwrap();
        assert_eq!(
            open_case_key(&back, case, 3, &sealed).unwrap().expose(),
            key.expose()
        );
    }
    use super::*;
    use proptest::prelude::*;

    fn ids() -> (Uuid, Uuid) {
        (Uuid::new_v4(), Uuid::new_v4())
    }

    #[test]
    fn a_change_round_trips_and_hides_its_text() {
        let key = CaseKey::generate(1);
        let (case, change) = ids();
        let text = b"{\"body\":\"canary refuge address\"}";
        let sealed = encrypt_change(&key, case, change, text);
        assert!(!sealed.windows(6).any(|w| w == b"canary"));
        assert_eq!(&*decrypt_change(&key, case, change, &sealed).unwrap(), text);
        assert_eq!(epoch_of("change", &sealed).unwrap(), 1);
    }

    #[test]
    fn a_change_moved_to_another_case_or_change_or_key_is_refused() {
        let key = CaseKey::generate(1);
        let (case, change) = ids();
        let sealed = encrypt_change(&key, case, change, b"note");
        let tampered = CryptoError::Tampered { what: "change" };
        assert_eq!(
            decrypt_change(&key, Uuid::new_v4(), change, &sealed).unwrap_err(),
            tampered
        );
        assert_eq!(
            decrypt_change(&key, case, Uuid::new_v4(), &sealed).unwrap_err(),
            tampered
        );
        assert_eq!(
            decrypt_change(&CaseKey::generate(1), case, change, &sealed).unwrap_err(),
            tampered
        );
        // An attachment ciphertext is not a change, even with the same ids.
        let blob = encrypt_attachment(&key, case, change, b"note");
        assert_eq!(
            decrypt_change(&key, case, change, &blob).unwrap_err(),
            tampered
        );
        // A later epoch's key is named, not tried.
        assert!(matches!(
            decrypt_change(&CaseKey::generate(2), case, change, &sealed),
            Err(CryptoError::WrongEpoch {
                found: 1,
                expected: 2,
                ..
            })
        ));
    }

    #[test]
    fn truncated_and_unknown_versions_are_refused_by_name() {
        let key = CaseKey::generate(3);
        let (case, change) = ids();
        let mut sealed = encrypt_change(&key, case, change, b"note");
        assert!(matches!(
            decrypt_change(&key, case, change, &sealed[..20]),
            Err(CryptoError::Truncated { .. })
        ));
        assert_eq!(
            decrypt_change(&key, case, change, &sealed[..sealed.len() - 1]).unwrap_err(),
            CryptoError::Tampered { what: "change" }
        );
        sealed[0] = 9;
        let e = decrypt_change(&key, case, change, &sealed).unwrap_err();
        assert!(e.to_string().contains("version 9"), "{e}");
    }

    #[test]
    fn a_sealed_key_opens_only_for_its_recipient_case_and_epoch() {
        let (alice, bob) = (UserSecret::generate(), UserSecret::generate());
        let case = Uuid::new_v4();
        let key = CaseKey::generate(4);
        let sealed = seal_case_key(&alice.public(), case, &key).unwrap();
        let opened = open_case_key(&alice, case, 4, &sealed).unwrap();
        assert_eq!(opened.expose(), key.expose());
        let tampered = CryptoError::Tampered {
            what: "sealed case key",
        };
        assert_eq!(open_case_key(&bob, case, 4, &sealed).unwrap_err(), tampered);
        assert_eq!(
            open_case_key(&alice, Uuid::new_v4(), 4, &sealed).unwrap_err(),
            tampered
        );
        assert_eq!(
            open_case_key(&alice, case, 5, &sealed).unwrap_err(),
            tampered
        );
        let mut flipped = sealed.clone();
        flipped[40] ^= 1;
        assert_eq!(
            open_case_key(&alice, case, 4, &flipped).unwrap_err(),
            tampered
        );
    }

    #[test]
    fn an_erasure_reason_opens_only_with_the_organisations_recovery_key() {
        let (recovery, other) = (UserSecret::generate(), UserSecret::generate());
        let (org, case) = (Uuid::new_v4(), Uuid::new_v4());
        let reason = "Subject access: the person asked for erasure";
        let sealed = seal_erasure_reason(&recovery.public(), org, case, reason).unwrap();
        assert!(!sealed.windows(7).any(|w| w == b"Subject"));
        assert_eq!(
            open_erasure_reason(&recovery, org, case, &sealed)
                .unwrap()
                .as_str(),
            reason
        );
        let tampered = CryptoError::Tampered {
            what: "sealed erasure reason",
        };
        assert_eq!(
            open_erasure_reason(&other, org, case, &sealed).unwrap_err(),
            tampered
        );
        // Moved to another case or organisation, it does not open.
        assert_eq!(
            open_erasure_reason(&recovery, org, Uuid::new_v4(), &sealed).unwrap_err(),
            tampered
        );
        assert_eq!(
            open_erasure_reason(&recovery, Uuid::new_v4(), case, &sealed).unwrap_err(),
            tampered
        );
        assert!(matches!(
            open_erasure_reason(&recovery, org, case, &sealed[..40]),
            Err(CryptoError::Truncated { .. })
        ));
    }

    #[test]
    fn low_order_public_keys_are_refused() {
        let key = CaseKey::generate(1);
        let zero = UserPublic([0u8; 32]);
        assert!(matches!(
            seal_case_key(&zero, Uuid::new_v4(), &key),
            Err(CryptoError::WeakKey { .. })
        ));
    }

    #[test]
    fn secrets_never_print() {
        let key = CaseKey::generate(7);
        let secret = UserSecret::generate();
        let shown = format!("{key:?} {secret:?}");
        assert_eq!(shown, "CaseKey(epoch 7, ..) UserSecret(..)");
        let restored = UserSecret::from_bytes(secret.to_bytes().as_ref()).unwrap();
        assert_eq!(restored.public(), secret.public());
    }

    proptest! {
        /// Any change to any byte of a ciphertext is refused, never applied.
        #[test]
        fn every_flipped_bit_is_caught(payload in prop::collection::vec(any::<u8>(), 0..300), at in any::<prop::sample::Index>(), bit in 0u8..8) {
            let key = CaseKey::generate(1);
            let (case, change) = ids();
            let mut sealed = encrypt_change(&key, case, change, &payload);
            let i = at.index(sealed.len());
            sealed[i] ^= 1 << bit;
            prop_assert!(decrypt_change(&key, case, change, &sealed).is_err());
        }

        /// The decoders take any bytes without panicking.
        #[test]
        fn decoders_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let key = CaseKey::generate(1);
            let secret = UserSecret::generate();
            let (case, change) = ids();
            let _ = decrypt_change(&key, case, change, &bytes);
            let _ = open_case_key(&secret, case, 1, &bytes);
        }
    }
}
