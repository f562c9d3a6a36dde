//! Any bytes as a sealed case key: refused with an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use waymark_crypto::{open_case_key, UserSecret};

fn secret() -> &'static UserSecret {
    static SECRET: OnceLock<UserSecret> = OnceLock::new();
    SECRET.get_or_init(UserSecret::generate)
}

fuzz_target!(|data: &[u8]| {
    let case = uuid::Uuid::from_u128(1);
    assert!(open_case_key(secret(), case, 1, data).is_err());
});
