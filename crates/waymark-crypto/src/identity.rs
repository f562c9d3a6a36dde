//! Identities: each person's long-term Ed25519 signing key, made on their
//! device and never leaving its encrypted store. What an identity signs is a
//! `Statement`: each kind has its own label and fixed layout, so a signature
//! over one can never be read as another (a certificate is no device key, a
//! device key no change). People compare identities by their
//! `fingerprint_phrase`, read aloud or side by side, before an admin
//! certifies one.

use crate::{CryptoError, Result, UserPublic};
use ed25519_dalek::Signer;
use uuid::Uuid;
use zeroize::Zeroizing;

/// A person's identity secret key (Ed25519). Zeroized on drop.
pub struct IdentitySecret(ed25519_dalek::SigningKey);

impl std::fmt::Debug for IdentitySecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdentitySecret(..)")
    }
}

/// The public half, which others verify signatures with.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct IdentityPublic(pub [u8; 32]);

impl std::fmt::Debug for IdentityPublic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdentityPublic({})", fingerprint_phrase(self))
    }
}

/// An Ed25519 signature over a `Statement`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Signature(pub [u8; 64]);

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signature(..)")
    }
}

impl Signature {
    pub fn from_bytes(bytes: &[u8]) -> Result<Signature> {
        let array: [u8; 64] = bytes.try_into().map_err(|_| CryptoError::Truncated {
            what: "signature",
            len: bytes.len(),
        })?;
        Ok(Signature(array))
    }
}

impl IdentitySecret {
    pub fn generate() -> IdentitySecret {
        IdentitySecret(ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng))
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<IdentitySecret> {
        let array: Zeroizing<[u8; 32]> =
            Zeroizing::new(bytes.try_into().map_err(|_| CryptoError::Truncated {
                what: "identity secret key",
                len: bytes.len(),
            })?);
        Ok(IdentitySecret(ed25519_dalek::SigningKey::from_bytes(
            &array,
        )))
    }

    /// For keeping inside the encrypted store.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    pub fn public(&self) -> IdentityPublic {
        IdentityPublic(self.0.verifying_key().to_bytes())
    }

    pub fn sign(&self, statement: &Statement) -> Signature {
        Signature(self.0.sign(&statement.encode()).to_bytes())
    }
}

impl IdentityPublic {
    /// A key as stored or received: refused unless it is a valid, not weak,
    /// Ed25519 point.
    pub fn from_bytes(bytes: &[u8]) -> Result<IdentityPublic> {
        let array: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::Truncated {
            what: "identity key",
            len: bytes.len(),
        })?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(&array).map_err(|_| {
            CryptoError::Malformed {
                what: "identity key",
                why: "not an Ed25519 public key".into(),
            }
        })?;
        if key.is_weak() {
            return Err(CryptoError::WeakKey {
                what: "identity key",
            });
        }
        Ok(IdentityPublic(array))
    }

    /// Whether `signature` is this identity's over `statement` (strict
    /// verification: no malleable signatures, no weak keys).
    pub fn verify(&self, statement: &Statement, signature: &Signature) -> Result<()> {
        let refused = || CryptoError::BadSignature {
            what: statement.what(),
        };
        let key = ed25519_dalek::VerifyingKey::from_bytes(&self.0).map_err(|_| refused())?;
        let signature = ed25519_dalek::Signature::from_bytes(&signature.0);
        key.verify_strict(&statement.encode(), &signature)
            .map_err(|_| refused())
    }
}

/// An identity ready to verify the changes it signed (its point decompressed
/// once): what a device holds for each confirmed colleague while it applies
/// a pull. Changes are verified under ZIP215's rules (ed25519-consensus), by
/// which a batch accepts exactly what one-by-one verification accepts, so
/// every device reaches the same verdict on a change however its pulls were
/// split into batches: convergence depends on it.
#[derive(Clone, Debug)]
pub struct Verifier(ed25519_consensus::VerificationKey);

impl Verifier {
    /// Refused unless the key is a valid, not weak, Ed25519 point.
    pub fn new(identity: &IdentityPublic) -> Result<Verifier> {
        IdentityPublic::from_bytes(&identity.0)?;
        ed25519_consensus::VerificationKey::try_from(identity.0)
            .map(Verifier)
            .map_err(|_| CryptoError::Malformed {
                what: "identity key",
                why: "not an Ed25519 public key".into(),
            })
    }
}

/// The layout of a signed change this build writes and reads: version, the
/// signer's identity, the signature over `Statement::Change`, the change.
pub const SIGNED_CHANGE_VERSION: u8 = 1;
const SIGNED_CHANGE_HEADER: usize = 1 + 32 + 64;

/// A change's bytes signed by `signer` for `log`: what is encrypted (case
/// logs) or sent as is (the organisation's log).
pub fn sign_change(signer: &IdentitySecret, log: Uuid, change: Uuid, body: &[u8]) -> Vec<u8> {
    let signature = signer.sign(&Statement::Change { log, change, body });
    signed_change(&signer.public(), &signature, body)
}

/// A change's bytes with a signature made earlier (when it was written).
pub fn signed_change(signer: &IdentityPublic, signature: &Signature, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(SIGNED_CHANGE_HEADER + body.len());
    out.push(SIGNED_CHANGE_VERSION);
    out.extend_from_slice(&signer.0);
    out.extend_from_slice(&signature.0);
    out.extend_from_slice(body);
    out
}

/// A signed change as read, not yet verified.
#[derive(Debug)]
pub struct SignedChange<'a> {
    pub signer: IdentityPublic,
    pub signature: Signature,
    pub body: &'a [u8],
}

impl<'a> SignedChange<'a> {
    /// Reads the layout; says nothing of whether the signature holds. An
    /// unsigned change (plain JSON) or another version is refused by name.
    pub fn read(bytes: &'a [u8]) -> Result<SignedChange<'a>> {
        match bytes.first() {
            Some(&SIGNED_CHANGE_VERSION) => {}
            Some(b'{') => {
                return Err(CryptoError::Malformed {
                    what: "change",
                    why: "unsigned".into(),
                })
            }
            Some(&found) => {
                return Err(CryptoError::UnknownVersion {
                    what: "signed change",
                    found,
                    supported: SIGNED_CHANGE_VERSION,
                })
            }
            None => {
                return Err(CryptoError::Truncated {
                    what: "signed change",
                    len: 0,
                })
            }
        }
        if bytes.len() < SIGNED_CHANGE_HEADER {
            return Err(CryptoError::Truncated {
                what: "signed change",
                len: bytes.len(),
            });
        }
        Ok(SignedChange {
            signer: IdentityPublic(bytes[1..33].try_into().expect("32 bytes")),
            signature: Signature(bytes[33..97].try_into().expect("64 bytes")),
            body: &bytes[SIGNED_CHANGE_HEADER..],
        })
    }

    fn statement(&self, log: Uuid, change: Uuid) -> Vec<u8> {
        Statement::Change {
            log,
            change,
            body: self.body,
        }
        .encode()
    }

    /// Whether `verifier` (the signer's) signed exactly this change of `log`.
    pub fn verify(&self, verifier: &Verifier, log: Uuid, change: Uuid) -> Result<()> {
        let signature = ed25519_consensus::Signature::from(self.signature.0);
        verifier
            .0
            .verify(&signature, &self.statement(log, change))
            .map_err(|_| CryptoError::BadSignature {
                what: "change signature",
            })
    }
}

/// Verifies many signed changes (each with its log and change id) at once:
/// one batch, and only if it fails, each on its own to find which. The same
/// verdicts as `SignedChange::verify` on each (ZIP215), several times
/// faster for a pull of one colleague's changes.
pub fn verify_changes(changes: &[(&SignedChange, Uuid, Uuid)]) -> Vec<bool> {
    let items: Vec<ed25519_consensus::batch::Item> = changes
        .iter()
        .map(|(signed, log, change)| {
            let key = ed25519_consensus::VerificationKeyBytes::from(signed.signer.0);
            let signature = ed25519_consensus::Signature::from(signed.signature.0);
            (key, signature, &signed.statement(*log, *change)).into()
        })
        .collect();
    let mut batch = ed25519_consensus::batch::Verifier::new();
    for item in &items {
        batch.queue(item.clone());
    }
    if !changes.is_empty() && batch.verify(rand::thread_rng()).is_ok() {
        return vec![true; changes.len()];
    }
    items
        .into_iter()
        .map(|item| item.verify_single().is_ok())
        .collect()
}

/// What an identity vouches for.
#[derive(Clone, Copy, Debug)]
pub enum Statement<'a> {
    /// "This X25519 key is mine": a person's key for receiving case keys,
    /// signed by their identity, so a recipient the server lists can be
    /// traced to an identity (and, through its certificate, to a person).
    DeviceKey { key: &'a UserPublic },
    /// "This identity is this person of our organisation (their id and
    /// user name), in this role": an admin's certification, made after
    /// comparing fingerprint phrases. The name is how devices name the
    /// person behind a change.
    Certificate {
        org: Uuid,
        user: Uuid,
        name: &'a str,
        role: &'a str,
        /// The person's team: reports by team read it.
        team: Option<&'a str>,
        identity: &'a IdentityPublic,
    },
    /// "This is our organisation's recovery key": case keys may be sealed to
    /// it without an identity of its own (its private half is kept offline).
    RecoveryKey { org: Uuid, key: &'a UserPublic },
    /// "I sealed this case key, of this epoch, to this recipient": a device
    /// keeps a sealed key (and moves to a new epoch) only when a confirmed
    /// identity signed it.
    SealedKey {
        case: Uuid,
        epoch: u32,
        recipient: &'a UserPublic,
        sealed: &'a [u8],
    },
    /// "I made this change, in this log": every change a device sends, so a
    /// change is applied only from a confirmed person, and conflicts and
    /// history can name them. Signed over the plain change, inside the
    /// encryption, so the server never learns who wrote what.
    Change {
        log: Uuid,
        change: Uuid,
        body: &'a [u8],
    },
}

impl Statement<'_> {
    fn what(&self) -> &'static str {
        match self {
            Statement::DeviceKey { .. } => "device key signature",
            Statement::Certificate { .. } => "certificate",
            Statement::RecoveryKey { .. } => "recovery key signature",
            Statement::SealedKey { .. } => "sealed key signature",
            Statement::Change { .. } => "change signature",
        }
    }

    /// Label, then fixed-size fields (the role, the one variable field, last
    /// and length-prefixed), so no two statements share an encoding.
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128);
        match self {
            Statement::DeviceKey { key } => {
                out.extend_from_slice(b"waymark device key v1\0");
                out.extend_from_slice(&key.0);
            }
            Statement::Certificate {
                org,
                user,
                name,
                role,
                team,
                identity,
            } => {
                // Without a team, the encoding certificates had before teams
                // were certified (so those still verify); with one, its own
                // label and the team last.
                out.extend_from_slice(match team {
                    None => b"waymark certificate v2\0".as_slice(),
                    Some(_) => b"waymark certificate v3\0".as_slice(),
                });
                out.extend_from_slice(org.as_bytes());
                out.extend_from_slice(user.as_bytes());
                out.extend_from_slice(&identity.0);
                for text in [Some(*role), Some(*name), *team].into_iter().flatten() {
                    out.extend_from_slice(&(text.len() as u32).to_be_bytes());
                    out.extend_from_slice(text.as_bytes());
                }
            }
            Statement::RecoveryKey { org, key } => {
                out.extend_from_slice(b"waymark recovery key v1\0");
                out.extend_from_slice(org.as_bytes());
                out.extend_from_slice(&key.0);
            }
            Statement::SealedKey {
                case,
                epoch,
                recipient,
                sealed,
            } => {
                out.extend_from_slice(b"waymark sealed key v1\0");
                out.extend_from_slice(case.as_bytes());
                out.extend_from_slice(&epoch.to_be_bytes());
                out.extend_from_slice(&recipient.0);
                out.extend_from_slice(&(sealed.len() as u32).to_be_bytes());
                out.extend_from_slice(sealed);
            }
            Statement::Change { log, change, body } => {
                out.reserve(body.len());
                out.extend_from_slice(b"waymark change v1\0");
                out.extend_from_slice(log.as_bytes());
                out.extend_from_slice(change.as_bytes());
                out.extend_from_slice(&(body.len() as u32).to_be_bytes());
                out.extend_from_slice(body);
            }
        }
        out
    }
}

/// An identity as two people compare it: six groups of five digits from its
/// SHA-256 (about 100 bits), the same on every device. The pattern of
/// Signal's safety numbers.
pub fn fingerprint_phrase(identity: &IdentityPublic) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::new()
        .chain_update(b"waymark identity fingerprint v1\0")
        .chain_update(identity.0)
        .finalize();
    digest[..30]
        .chunks(5)
        .map(|chunk| {
            let n = chunk.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b));
            format!("{:05}", n % 100_000)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `typed` is `identity`'s phrase, however it was spaced or broken
/// over lines.
pub fn phrase_matches(identity: &IdentityPublic, typed: &str) -> bool {
    let digits = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    digits(typed) == digits(&fingerprint_phrase(identity))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_signed_change_holds_only_for_its_log_change_bytes_and_signer() {
        let (log, change) = (Uuid::new_v4(), Uuid::new_v4());
        let alice = IdentitySecret::generate();
        let mallory = IdentitySecret::generate();
        let body = br#"{"kind":"note"}"#;
        let signed = sign_change(&alice, log, change, body);
        let read = SignedChange::read(&signed).unwrap();
        assert_eq!(read.signer, alice.public());
        assert_eq!(read.body, body);
        let alice_v = Verifier::new(&alice.public()).unwrap();
        assert!(read.verify(&alice_v, log, change).is_ok());
        // Another log, another change id, another signer, changed bytes.
        assert!(read.verify(&alice_v, Uuid::new_v4(), change).is_err());
        assert!(read.verify(&alice_v, log, Uuid::new_v4()).is_err());
        let mallory_v = Verifier::new(&mallory.public()).unwrap();
        assert!(read.verify(&mallory_v, log, change).is_err());
        let mut changed = signed.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert_eq!(
            SignedChange::read(&changed)
                .unwrap()
                .verify(&alice_v, log, change),
            Err(CryptoError::BadSignature {
                what: "change signature"
            })
        );
        // Unsigned JSON, another version, and truncation are named.
        assert!(SignedChange::read(body)
            .unwrap_err()
            .to_string()
            .contains("unsigned"));
        let mut v2 = signed.clone();
        v2[0] = 2;
        assert!(matches!(
            SignedChange::read(&v2),
            Err(CryptoError::UnknownVersion { found: 2, .. })
        ));
        assert!(matches!(
            SignedChange::read(&signed[..50]),
            Err(CryptoError::Truncated { len: 50, .. })
        ));
        // A change signature is no other statement's.
        let key = crate::UserSecret::generate().public();
        let as_device_key = alice.sign(&Statement::DeviceKey { key: &key });
        let mut swapped = signed.clone();
        swapped[33..97].copy_from_slice(&as_device_key.0);
        let swapped = SignedChange::read(&swapped).unwrap();
        assert!(swapped.verify(&alice_v, log, change).is_err());
    }

    #[test]
    fn a_batch_finds_exactly_the_changes_whose_signatures_fail() {
        let log = Uuid::new_v4();
        let (alice, bob) = (IdentitySecret::generate(), IdentitySecret::generate());
        let ids: Vec<Uuid> = (0..40).map(|_| Uuid::new_v4()).collect();
        let mut frames: Vec<Vec<u8>> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let signer = if i % 3 == 0 { &bob } else { &alice };
                sign_change(signer, log, *id, format!("{{\"n\":{i}}}").as_bytes())
            })
            .collect();
        assert!(verify_changes(&[]).is_empty());
        let all_good = {
            let read: Vec<_> = frames
                .iter()
                .map(|f| SignedChange::read(f).unwrap())
                .collect();
            let items: Vec<_> = read.iter().zip(&ids).map(|(r, id)| (r, log, *id)).collect();
            verify_changes(&items)
        };
        assert_eq!(all_good, vec![true; 40]);
        // One altered body, one signature under another change id.
        *frames[7].last_mut().unwrap() ^= 1;
        let read: Vec<_> = frames
            .iter()
            .map(|f| SignedChange::read(f).unwrap())
            .collect();
        let mut items: Vec<_> = read.iter().zip(&ids).map(|(r, id)| (r, log, *id)).collect();
        items[20].2 = Uuid::new_v4();
        let verdicts = verify_changes(&items);
        let failed: Vec<usize> = (0..40).filter(|&i| !verdicts[i]).collect();
        assert_eq!(failed, vec![7, 20]);
        // Each verdict is the one-by-one verdict.
        for (i, (signed, log, id)) in items.iter().enumerate() {
            let signer = if i % 3 == 0 { &bob } else { &alice };
            let verifier = Verifier::new(&signer.public()).unwrap();
            assert_eq!(signed.verify(&verifier, *log, *id).is_ok(), verdicts[i]);
        }
    }

    #[test]
    fn a_signature_verifies_only_for_its_statement_and_signer() {
        let (org, user) = (Uuid::new_v4(), Uuid::new_v4());
        let device_key = crate::UserSecret::generate().public();
        let alice = IdentitySecret::generate();
        let mallory = IdentitySecret::generate();
        let statement = Statement::DeviceKey { key: &device_key };
        let signature = alice.sign(&statement);
        assert!(alice.public().verify(&statement, &signature).is_ok());
        assert_eq!(
            mallory.public().verify(&statement, &signature),
            Err(CryptoError::BadSignature {
                what: "device key signature"
            })
        );
        let other_key = crate::UserSecret::generate().public();
        let other = Statement::DeviceKey { key: &other_key };
        assert!(alice.public().verify(&other, &signature).is_err());
        // A certificate's bytes are never a device key's.
        let identity = alice.public();
        let cert = Statement::Certificate {
            org,
            user,
            name: "alice",
            role: "worker",
            team: None,
            identity: &identity,
        };
        assert!(alice.public().verify(&cert, &signature).is_err());
        let signed = alice.sign(&cert);
        let certificate = |name, role| Statement::Certificate {
            org,
            user,
            name,
            role,
            team: None,
            identity: &identity,
        };
        let as_admin = certificate("alice", "admin");
        assert!(
            alice.public().verify(&as_admin, &signed).is_err(),
            "the role is bound"
        );
        let renamed = certificate("mallory", "worker");
        assert!(
            alice.public().verify(&renamed, &signed).is_err(),
            "the name is bound"
        );
        // Role and name are each length-prefixed: no text moves between them.
        let shifted = certificate("ice", "workeral");
        assert!(alice.public().verify(&shifted, &signed).is_err());
        // The team is bound: a certificate without one does not stand for
        // one with, nor one team for another, nor the team's text for the name's.
        let in_team = |name, team| Statement::Certificate {
            org,
            user,
            name,
            role: "worker",
            team: Some(team),
            identity: &identity,
        };
        let outreach = in_team("alice", "outreach");
        assert!(alice.public().verify(&outreach, &signed).is_err());
        let signed_in_team = alice.sign(&outreach);
        assert!(alice.public().verify(&outreach, &signed_in_team).is_ok());
        assert!(alice.public().verify(&cert, &signed_in_team).is_err());
        assert!(alice
            .public()
            .verify(&in_team("alice", "diversion"), &signed_in_team)
            .is_err());
        assert!(alice
            .public()
            .verify(&in_team("aliceout", "reach"), &signed_in_team)
            .is_err());
        // Vouching for a recovery key is neither, and binds the organisation.
        let recovery = Statement::RecoveryKey {
            org,
            key: &device_key,
        };
        assert!(alice.public().verify(&recovery, &signature).is_err());
        let vouched = alice.sign(&recovery);
        assert!(alice.public().verify(&recovery, &vouched).is_ok());
        let elsewhere = Statement::RecoveryKey {
            org: user,
            key: &device_key,
        };
        assert!(alice.public().verify(&elsewhere, &vouched).is_err());
    }

    #[test]
    fn keys_round_trip_and_secrets_never_print() {
        let secret = IdentitySecret::generate();
        let back = IdentitySecret::from_bytes(secret.to_bytes().as_ref()).unwrap();
        assert_eq!(back.public(), secret.public());
        assert_eq!(format!("{secret:?}"), "IdentitySecret(..)");
        assert_eq!(
            IdentityPublic::from_bytes(&secret.public().0).unwrap(),
            secret.public()
        );
        assert!(IdentityPublic::from_bytes(&[1; 31]).is_err());
        // The identity point (a small-order key) is refused.
        let mut weak = [0u8; 32];
        weak[0] = 1;
        assert_eq!(
            IdentityPublic::from_bytes(&weak),
            Err(CryptoError::WeakKey {
                what: "identity key"
            })
        );
        assert!(Signature::from_bytes(&[0; 63]).is_err());
    }

    #[test]
    fn the_phrase_is_six_groups_of_five_digits_and_tolerates_spacing() {
        let id = IdentitySecret::generate().public();
        let phrase = fingerprint_phrase(&id);
        let groups: Vec<&str> = phrase.split(' ').collect();
        assert_eq!(groups.len(), 6, "{phrase}");
        assert!(groups
            .iter()
            .all(|g| g.len() == 5 && g.chars().all(|c| c.is_ascii_digit())));
        assert!(phrase_matches(&id, &phrase));
        assert!(phrase_matches(&id, &phrase.replace(' ', "\n  ")));
        let other = IdentitySecret::generate().public();
        assert!(!phrase_matches(&other, &phrase));
        let mut typo: Vec<char> = phrase.chars().collect();
        typo[0] = if typo[0] == '1' { '2' } else { '1' };
        assert!(!phrase_matches(&id, &typo.into_iter().collect::<String>()));
    }

    proptest! {
        #[test]
        fn any_flipped_bit_of_a_signature_or_statement_is_caught(bit in 0usize..(64 * 8), which in 0usize..3) {
            let (org, user) = (Uuid::new_v4(), Uuid::new_v4());
            let signer = IdentitySecret::generate();
            let identity = IdentitySecret::generate().public();
            let cert = Statement::Certificate { org, user, name: "sam", role: "supervisor", team: None, identity: &identity };
            let mut signature = signer.sign(&cert);
            match which {
                0 => signature.0[bit / 8] ^= 1 << (bit % 8),
                1 => {
                    let mut bytes = *org.as_bytes();
                    bytes[(bit / 8) % 16] ^= 1 << (bit % 8);
                    let moved = Statement::Certificate { org: Uuid::from_bytes(bytes), user, name: "sam", role: "supervisor", team: None, identity: &identity };
                    prop_assert!(signer.public().verify(&moved, &signature).is_err());
                    return Ok(());
                }
                _ => {
                    let mut key = identity.0;
                    key[(bit / 8) % 32] ^= 1 << (bit % 8);
                    let other = IdentityPublic(key);
                    let swapped = Statement::Certificate { org, user, name: "sam", role: "supervisor", team: None, identity: &other };
                    prop_assert!(signer.public().verify(&swapped, &signature).is_err());
                    return Ok(());
                }
            }
            prop_assert!(signer.public().verify(&cert, &signature).is_err());
        }

        #[test]
        fn any_flipped_bit_of_a_signed_change_is_caught(bit in any::<prop::sample::Index>()) {
            let (log, change) = (Uuid::new_v4(), Uuid::new_v4());
            let signer = IdentitySecret::generate();
            let verifier = Verifier::new(&signer.public()).unwrap();
            let mut signed = sign_change(&signer, log, change, b"{\"fields\":{\"a\":1}}");
            let bit = bit.index(signed.len() * 8);
            signed[bit / 8] ^= 1 << (bit % 8);
            // Refused when read, or read as another signer's (whom a device
            // looks up, and does not find), or as bytes the signature misses.
            if let Ok(read) = SignedChange::read(&signed) {
                if read.signer == signer.public() {
                    prop_assert!(read.verify(&verifier, log, change).is_err());
                }
            }
        }

        #[test]
        fn decoders_take_any_bytes_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            let _ = IdentityPublic::from_bytes(&bytes);
            let _ = Signature::from_bytes(&bytes);
            let _ = IdentitySecret::from_bytes(&bytes);
        }
    }
}
