//! Any bytes as the JSON bodies the server and devices read from each other
//! (changes, logins, and the sealed-key listings both ways): parsed or
//! refused, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use waymark_protocol::{
    KeysNeededResponse, LoginRequest, MyKeysResponse, PullResponse, PushRequest, StoreKeysRequest,
};

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<PushRequest>(data);
    let _ = serde_json::from_slice::<PullResponse>(data);
    let _ = serde_json::from_slice::<LoginRequest>(data);
    let _ = serde_json::from_slice::<StoreKeysRequest>(data);
    let _ = serde_json::from_slice::<MyKeysResponse>(data);
    let _ = serde_json::from_slice::<KeysNeededResponse>(data);
});
