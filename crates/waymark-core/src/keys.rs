//! The store key and its wraps. The SQLCipher database is keyed with a random
//! 256-bit key; each person enrolled on the device wraps that key with
//! XChaCha20-Poly1305 under a key derived from their passphrase by Argon2id.
//! The wraps live in a versioned JSON key file beside the database.

use crate::error::{Error, Result};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use rand::rngs::OsRng;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::Write;
use std::path::Path;
use std::time::Duration;
use uuid::Uuid;
use waymark_model::vocab::{GuessAdvice, GuessWarning};
use zeroize::Zeroizing;

pub const KEY_FILE_FORMAT: &str = "waymark-keyfile";
pub const KEY_FILE_VERSION: u32 = 1;
const WRAP_CIPHER: &str = "xchacha20poly1305";
const KDF_ALGORITHM: &str = "argon2id";
const WRAP_AAD_PREFIX: &[u8] = b"waymark store key wrap v1\0";
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// Argon2id cost. What we write, and the floor we accept when reading: a key
/// file asking for less is refused, never silently used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfCost {
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
}

pub const MIN_KDF_COST: KdfCost = KdfCost {
    m_cost_kib: 64 * 1024,
    t_cost: 3,
    p_cost: 1,
};

/// What a new wrap is written with and the floor a wrap is read at: always
/// [`MIN_KDF_COST`] in a release build. A debug build told
/// `WAYMARK_TEST_KDF=cheap` (or [`use_test_kdf_cost`]) uses [`TEST_KDF_COST`]
/// instead: the process tests start hundreds of `waymark` processes, each
/// unlocking once. A store written so is refused by every release build, as
/// any weak wrap is.
pub fn kdf_cost() -> KdfCost {
    #[cfg(debug_assertions)]
    if TEST_KDF.load(std::sync::atomic::Ordering::Relaxed)
        || std::env::var("WAYMARK_TEST_KDF").as_deref() == Ok("cheap")
    {
        return TEST_KDF_COST;
    }
    MIN_KDF_COST
}

#[cfg(debug_assertions)]
static TEST_KDF: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// This test process reads (and writes) stores at [`TEST_KDF_COST`], as the
/// `waymark` processes it started with `WAYMARK_TEST_KDF=cheap` wrote them.
/// Nothing in a release build, whose processes ignore the variable too (so
/// `cargo test --release` still agrees with itself).
pub fn use_test_kdf_cost() {
    #[cfg(debug_assertions)]
    TEST_KDF.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// The process tests' cost (debug builds only, see [`kdf_cost`]).
pub const TEST_KDF_COST: KdfCost = KdfCost {
    m_cost_kib: 1024,
    t_cost: 1,
    p_cost: 1,
};

/// A passphrase, wiped from memory when dropped and never printed.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    pub fn new(text: impl Into<String>) -> Self {
        Passphrase(Zeroizing::new(text.into()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// Checks a new passphrase for `user_name`: at least 12 characters, and
    /// not easy to guess. zxcvbn estimates how many guesses it would take,
    /// counting the person's name and "waymark" as known words; fewer than
    /// 10^10 is refused, with its reason in plain words.
    pub fn check_new(&self, field: &str, user_name: &str) -> Result<()> {
        let text = self.expose();
        if text.chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(Error::because(
                field,
                waymark_model::Reason::PassphraseTooShort {
                    min: MIN_PASSPHRASE_CHARS,
                },
            ));
        }
        let estimate = zxcvbn::zxcvbn(text, &[user_name, "waymark"]);
        if estimate.score() < zxcvbn::Score::Four {
            let feedback = estimate.feedback();
            return Err(Error::because(
                field,
                waymark_model::Reason::EasyToGuess {
                    warning: feedback.and_then(|f| f.warning()).map(guess_warning),
                    advice: feedback
                        .and_then(|f| f.suggestions().first().copied())
                        .map_or(GuessAdvice::AddAWordOrTwo, guess_advice),
                },
            ));
        }
        Ok(())
    }
}

/// zxcvbn's finding in the model's words, which the screens say in either
/// language.
fn guess_warning(warning: zxcvbn::feedback::Warning) -> GuessWarning {
    use zxcvbn::feedback::Warning as W;
    match warning {
        W::StraightRowsOfKeysAreEasyToGuess => GuessWarning::StraightRowsOfKeys,
        W::ShortKeyboardPatternsAreEasyToGuess => GuessWarning::ShortKeyboardPatterns,
        W::RepeatsLikeAaaAreEasyToGuess => GuessWarning::RepeatsLikeAaa,
        W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => GuessWarning::RepeatsLikeAbcAbc,
        W::ThisIsATop10Password => GuessWarning::Top10,
        W::ThisIsATop100Password => GuessWarning::Top100,
        W::ThisIsACommonPassword => GuessWarning::CommonPassword,
        W::ThisIsSimilarToACommonlyUsedPassword => GuessWarning::LikeACommonPassword,
        W::SequencesLikeAbcAreEasyToGuess => GuessWarning::Sequences,
        W::RecentYearsAreEasyToGuess => GuessWarning::RecentYears,
        W::AWordByItselfIsEasyToGuess => GuessWarning::AWordOnItsOwn,
        W::DatesAreOftenEasyToGuess => GuessWarning::Dates,
        W::NamesAndSurnamesByThemselvesAreEasyToGuess => GuessWarning::NamesOnTheirOwn,
        W::CommonNamesAndSurnamesAreEasyToGuess => GuessWarning::CommonNames,
    }
}

/// zxcvbn's suggestion in the model's words.
fn guess_advice(suggestion: zxcvbn::feedback::Suggestion) -> GuessAdvice {
    use zxcvbn::feedback::Suggestion as S;
    match suggestion {
        S::UseAFewWordsAvoidCommonPhrases => GuessAdvice::UseAFewWords,
        S::NoNeedForSymbolsDigitsOrUppercaseLetters => GuessAdvice::NoNeedForSymbols,
        S::AddAnotherWordOrTwo => GuessAdvice::AddAWordOrTwo,
        S::CapitalizationDoesntHelpVeryMuch => GuessAdvice::CapitalsHelpLittle,
        S::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => GuessAdvice::AllCapitals,
        S::ReversedWordsArentMuchHarderToGuess => GuessAdvice::ReversedWords,
        S::PredictableSubstitutionsDontHelpVeryMuch => GuessAdvice::PredictableSwaps,
        S::UseALongerKeyboardPatternWithMoreTurns => GuessAdvice::LongerKeyboardPattern,
        S::AvoidRepeatedWordsAndCharacters => GuessAdvice::AvoidRepeats,
        S::AvoidSequences => GuessAdvice::AvoidSequences,
        S::AvoidRecentYears => GuessAdvice::AvoidRecentYears,
        S::AvoidYearsThatAreAssociatedWithYou => GuessAdvice::AvoidYourYears,
        S::AvoidDatesAndYearsThatAreAssociatedWithYou => GuessAdvice::AvoidYourDates,
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(..)")
    }
}

/// The 256-bit key the SQLCipher database is keyed with.
pub struct StoreKey(Zeroizing<[u8; 32]>);

impl StoreKey {
    pub fn generate() -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(key.as_mut());
        StoreKey(key)
    }
    #[cfg(feature = "raw-access")]
    pub(crate) fn bytes(&self) -> [u8; 32] {
        *self.0
    }
    /// A second copy, for a second connection to the same store.
    pub(crate) fn duplicate(&self) -> StoreKey {
        StoreKey(Zeroizing::new(*self.0))
    }
    /// The SQLCipher raw-key form, `x'…'`, itself wiped after use.
    pub(crate) fn raw_key_text(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex::encode(self.0.as_ref())))
    }
    /// The same, quoted for a `PRAGMA key` statement.
    pub(crate) fn sqlcipher_literal(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("\"{}\"", self.raw_key_text().as_str()))
    }
}

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StoreKey(..)")
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KdfSpec {
    pub algorithm: String,
    pub version: u32,
    #[serde(flatten)]
    pub cost: KdfCost,
    pub salt: String,
}

/// One person's wrap of the store key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Wrap {
    pub user_id: Uuid,
    pub user_name: String,
    pub kdf: KdfSpec,
    pub cipher: String,
    pub nonce: String,
    pub wrapped_key: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeyFile {
    pub format: String,
    pub version: u32,
    pub store_id: Uuid,
    pub wraps: Vec<Wrap>,
}

impl KeyFile {
    pub fn new(store_id: Uuid) -> Self {
        KeyFile {
            format: KEY_FILE_FORMAT.into(),
            version: KEY_FILE_VERSION,
            store_id,
            wraps: Vec::new(),
        }
    }

    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)?;
        let file: KeyFile = serde_json::from_str(&text).map_err(|e| {
            Error::KeyFile(format!(
                "{} is not a readable key file: {e}",
                path.display()
            ))
        })?;
        if file.format != KEY_FILE_FORMAT {
            return Err(Error::KeyFile(format!(
                "{} is not a Waymark key file",
                path.display()
            )));
        }
        if file.version != KEY_FILE_VERSION {
            return Err(Error::KeyFile(format!(
                "version {} is not supported (this build reads version {KEY_FILE_VERSION})",
                file.version
            )));
        }
        Ok(file)
    }

    /// Writes to a temporary file in the same directory, syncs, then renames,
    /// so a crash leaves either the old key file or the new one, never half.
    pub fn save(&self, path: &Path) -> Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.write_all(serde_json::to_string_pretty(self)?.as_bytes())?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| Error::Io(e.error))?;
        sync_dir(dir);
        Ok(())
    }

    pub fn wrap_for(&self, user_name: &str) -> Option<&Wrap> {
        self.wraps.iter().find(|w| w.user_name == user_name)
    }

    /// Adds (or replaces) `user_name`'s wrap of `key`.
    pub fn set_wrap(
        &mut self,
        key: &StoreKey,
        user_id: Uuid,
        user_name: &str,
        passphrase: &Passphrase,
    ) -> Result<()> {
        let wrap = wrap_key(
            key,
            self.store_id,
            user_id,
            user_name,
            passphrase,
            kdf_cost(),
        )?;
        self.wraps.retain(|w| w.user_id != user_id);
        self.wraps.push(wrap);
        Ok(())
    }

    pub fn unwrap_for(&self, user_name: &str, passphrase: &Passphrase) -> Result<(Uuid, StoreKey)> {
        let wrap = self.wrap_for(user_name).ok_or_else(|| {
            Error::because(
                "user",
                waymark_model::Reason::NotEnrolledHere {
                    name: user_name.to_owned(),
                },
            )
        })?;
        let key = unwrap_key(wrap, self.store_id, passphrase)?;
        Ok((wrap.user_id, key))
    }
}

fn sync_dir(dir: &Path) {
    // Makes the rename durable; best effort on platforms without directory fsync.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

fn wrap_aad(store_id: Uuid, user_id: Uuid) -> Vec<u8> {
    // Binds the wrap to its store and person, so wraps cannot be swapped.
    [WRAP_AAD_PREFIX, store_id.as_bytes(), user_id.as_bytes()].concat()
}

fn derive(passphrase: &Passphrase, salt: &[u8], cost: KdfCost) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(cost.m_cost_kib, cost.t_cost, cost.p_cost, Some(32))
        .map_err(|e| Error::KeyFile(format!("bad Argon2id parameters: {e}")))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.expose().as_bytes(), salt, out.as_mut())
        .map_err(|e| Error::KeyFile(format!("key derivation failed: {e}")))?;
    Ok(out)
}

pub fn wrap_key(
    key: &StoreKey,
    store_id: Uuid,
    user_id: Uuid,
    user_name: &str,
    passphrase: &Passphrase,
    cost: KdfCost,
) -> Result<Wrap> {
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    let mut nonce = [0u8; 24];
    OsRng.fill_bytes(&mut nonce);
    let kek = derive(passphrase, &salt, cost)?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let aad = wrap_aad(store_id, user_id);
    let wrapped = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: key.0.as_ref(),
                aad: &aad,
            },
        )
        .map_err(|_| Error::KeyFile("could not wrap the store key".into()))?;
    Ok(Wrap {
        user_id,
        user_name: user_name.to_owned(),
        kdf: KdfSpec {
            algorithm: KDF_ALGORITHM.into(),
            version: 0x13,
            cost,
            salt: B64.encode(salt),
        },
        cipher: WRAP_CIPHER.into(),
        nonce: B64.encode(nonce),
        wrapped_key: B64.encode(wrapped),
    })
}

/// Spends what an unlock spends (one Argon2id derivation), for a name no
/// store answers to: a wrong name takes as long as a wrong passphrase.
pub fn spend_like_an_unlock(passphrase: &Passphrase) {
    let _ = derive(passphrase, &[0u8; 16], kdf_cost());
}

/// Checks a wrap asks for protection at least as strong as we write today.
pub fn check_wrap_strength(wrap: &Wrap) -> Result<()> {
    let k = &wrap.kdf;
    if k.algorithm != KDF_ALGORITHM || k.version != 0x13 {
        return Err(Error::KeyFile(format!(
            "unsupported key derivation {} v{:#x}",
            k.algorithm, k.version
        )));
    }
    if wrap.cipher != WRAP_CIPHER {
        return Err(Error::KeyFile(format!(
            "unsupported wrap cipher {}",
            wrap.cipher
        )));
    }
    let (c, min) = (k.cost, kdf_cost());
    if c.m_cost_kib < min.m_cost_kib || c.t_cost < min.t_cost || c.p_cost < min.p_cost {
        return Err(Error::KeyFile(format!(
            "Argon2id parameters m={} KiB t={} p={} are below the minimum m={} KiB t={} p={}; refusing a downgrade",
            c.m_cost_kib, c.t_cost, c.p_cost, min.m_cost_kib, min.t_cost, min.p_cost
        )));
    }
    Ok(())
}

pub fn unwrap_key(wrap: &Wrap, store_id: Uuid, passphrase: &Passphrase) -> Result<StoreKey> {
    check_wrap_strength(wrap)?;
    let malformed =
        |what: &str| Error::KeyFile(format!("{what} of {}'s wrap is malformed", wrap.user_name));
    let salt = B64.decode(&wrap.kdf.salt).map_err(|_| malformed("salt"))?;
    let nonce = B64.decode(&wrap.nonce).map_err(|_| malformed("nonce"))?;
    let wrapped = B64
        .decode(&wrap.wrapped_key)
        .map_err(|_| malformed("wrapped key"))?;
    if salt.len() < 16 {
        return Err(malformed("salt"));
    }
    if nonce.len() != 24 {
        return Err(malformed("nonce"));
    }
    let kek = derive(passphrase, &salt, wrap.kdf.cost)?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let aad = wrap_aad(store_id, wrap.user_id);
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &wrapped,
                    aad: &aad,
                },
            )
            .map_err(|_| Error::WrongPassphrase {
                user: wrap.user_name.clone(),
            })?,
    );
    let mut key = Zeroizing::new([0u8; 32]);
    if plain.len() != 32 {
        return Err(malformed("wrapped key"));
    }
    key.copy_from_slice(&plain);
    Ok(StoreKey(key))
}

/// How long to make someone wait before the next unlock attempt after
/// `failures` wrong passphrases in a row: none for the first two slips, then
/// doubling from one second, capped at five minutes.
pub fn unlock_delay(failures: u32) -> Duration {
    if failures < 3 {
        return Duration::ZERO;
    }
    let secs = 1u64.checked_shl(failures - 3).unwrap_or(u64::MAX).min(300);
    Duration::from_secs(secs)
}

/// Failed unlock attempts, kept on disk so restarting the app does not reset
/// the delay. Holds no secret and no case data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnlockFailures {
    pub failures: u32,
    pub last_failure_ms: u64,
}

impl UnlockFailures {
    pub fn load(path: &Path) -> Self {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }
    pub fn save(&self, path: &Path) -> Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.write_all(serde_json::to_string(self)?.as_bytes())?;
        tmp.persist(path).map_err(|e| Error::Io(e.error))?;
        Ok(())
    }
    /// One more failure, at wall time `now_ms`.
    pub fn failed_at(self, now_ms: u64) -> Self {
        UnlockFailures {
            failures: self.failures + 1,
            last_failure_ms: now_ms,
        }
    }
    /// How long until another attempt is allowed, at wall time `now_ms`.
    pub fn wait(&self, now_ms: u64) -> Duration {
        let until = self
            .last_failure_ms
            .saturating_add(unlock_delay(self.failures).as_millis() as u64);
        Duration::from_millis(until.saturating_sub(now_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn wrap_round_trips_and_rejects_the_wrong_passphrase() {
        let key = StoreKey::generate();
        let (store, user) = (Uuid::new_v4(), Uuid::new_v4());
        let good = Passphrase::new("correct horse battery");
        let wrap = wrap_key(&key, store, user, "amina", &good, MIN_KDF_COST).unwrap();
        let back = unwrap_key(&wrap, store, &good).unwrap();
        assert_eq!(back.0.as_ref(), key.0.as_ref());
        let err = unwrap_key(&wrap, store, &Passphrase::new("wrong horse battery")).unwrap_err();
        assert!(matches!(err, Error::WrongPassphrase { .. }), "{err}");
        // Bound to its store: the same wrap under another store id fails.
        assert!(unwrap_key(&wrap, Uuid::new_v4(), &good).is_err());
    }

    #[test]
    fn weak_kdf_parameters_are_refused() {
        let key = StoreKey::generate();
        let (store, user) = (Uuid::new_v4(), Uuid::new_v4());
        let pass = Passphrase::new("correct horse battery");
        let weak = KdfCost {
            m_cost_kib: 1024,
            t_cost: 1,
            p_cost: 1,
        };
        let wrap = wrap_key(&key, store, user, "amina", &pass, weak).unwrap();
        let err = unwrap_key(&wrap, store, &pass).unwrap_err();
        assert!(err.to_string().contains("below the minimum"), "{err}");
    }

    #[test]
    fn a_new_passphrase_is_long_and_hard_to_guess_or_refused_with_the_reason() {
        let check = |p: &str| Passphrase::new(p).check_new("passphrase", "amina");
        let short = check("tiny words").unwrap_err().to_string();
        assert_eq!(
            short,
            "passphrase: must be at least 12 characters; a few unrelated words work well"
        );
        let common = check("password1234").unwrap_err().to_string();
        assert!(
            common.starts_with(
                "passphrase: is too easy to guess (this is a very common password): add another word"
            ),
            "{common}"
        );
        let repeated = check("amina amina amina").unwrap_err().to_string();
        assert!(repeated.contains("too easy to guess"), "{repeated}");
        for strong in [
            "correct horse battery staple",
            "bethan's own long passphrase",
        ] {
            check(strong).unwrap();
        }
        // The person's own name and the product's count as known words.
        assert!(check("waymark waymark").is_err());
    }

    #[test]
    fn secrets_do_not_print() {
        assert_eq!(
            format!("{:?}", Passphrase::new("hunter22hunter")),
            "Passphrase(..)"
        );
        assert_eq!(format!("{:?}", StoreKey::generate()), "StoreKey(..)");
    }

    proptest! {
        #[test]
        fn unlock_delay_never_shrinks_and_is_capped(n in 0u32..10_000) {
            prop_assert!(unlock_delay(n + 1) >= unlock_delay(n));
            prop_assert!(unlock_delay(n) <= Duration::from_secs(300));
        }
    }

    #[test]
    fn first_slips_are_free_then_delay_grows() {
        assert_eq!(unlock_delay(2), Duration::ZERO);
        assert_eq!(unlock_delay(3), Duration::from_secs(1));
        assert_eq!(unlock_delay(5), Duration::from_secs(4));
    }
}
