//! Any bytes as the JSON bodies the server and devices read from each other:
//! parsed or refused, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use waymark_protocol::{LoginRequest, PullResponse, PushRequest};

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<PushRequest>(data);
    let _ = serde_json::from_slice::<PullResponse>(data);
    let _ = serde_json::from_slice::<LoginRequest>(data);
});
