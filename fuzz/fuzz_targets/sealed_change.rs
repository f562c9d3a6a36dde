//! Any bytes as an encrypted change payload: refused with an error, never a
//! panic, and never "decrypted" (only a real ciphertext opens). The same
//! bytes as a signed change (what a payload holds once decrypted): read or
//! refused without a panic, and never verified as a known identity's.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use waymark_crypto::{decrypt_change, epoch_of, CaseKey, IdentitySecret, SignedChange, Verifier};

fn key() -> &'static CaseKey {
    static KEY: OnceLock<CaseKey> = OnceLock::new();
    KEY.get_or_init(|| CaseKey::generate(1))
}

fn signer() -> &'static Verifier {
    static SIGNER: OnceLock<Verifier> = OnceLock::new();
    SIGNER.get_or_init(|| Verifier::new(&IdentitySecret::generate().public()).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let case = uuid::Uuid::from_u128(1);
    let change = uuid::Uuid::from_u128(2);
    let _ = epoch_of("change", data);
    assert!(decrypt_change(key(), case, change, data).is_err());
    if let Ok(signed) = SignedChange::read(data) {
        assert!(signed.verify(signer(), case, change).is_err());
    }
});
