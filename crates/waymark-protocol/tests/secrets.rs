//! Key material and tokens never show in Debug output (which is what ends
//! up in logs and panics).

use base64::Engine;
use uuid::Uuid;
use waymark_protocol::{JoinRequest, LoginRequest, LoginResponse, Role};
use zeroize::Zeroizing;

#[test]
fn login_bodies_print_without_their_secrets() {
    let auth_key = vec![0xA5u8; 32];
    let public_key = vec![0x3Cu8; 32];
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let request = LoginRequest {
        user: "amira".into(),
        auth_key: Zeroizing::new(auth_key.clone()),
        device_id: Uuid::nil(),
        device_label: "van laptop".into(),
        public_key: Some(public_key.clone()),
        identity_key: Some(vec![0x7Eu8; 32]),
        key_signature: Some(vec![0x5Au8; 64]),
    };
    let shown = format!("{request:?} {request:#?}");
    assert!(shown.contains("amira"), "{shown}");
    for secret in [
        b64(&auth_key),
        b64(&public_key),
        format!("{auth_key:?}"),
        b64(&[0x7E; 32]),
        b64(&[0x5A; 64]),
        "126, 126".into(),
    ] {
        assert!(!shown.contains(&secret), "{shown}");
    }
    let response = LoginResponse {
        token: "wmd_secret-token-value".into(),
        user_id: Uuid::nil(),
        org_id: Uuid::nil(),
        role: Role::Worker,
        server_time_ms: 0,
        must_change_passphrase: false,
    };
    let shown = format!("{response:?} {response:#?}");
    assert!(!shown.contains("secret-token-value"), "{shown}");
}

#[test]
fn join_bodies_print_without_the_code_or_key() {
    let join = JoinRequest {
        user: "amira".into(),
        enrolment_code: "7K2M-QX9P-AB3D-EF4G-HJ5K".into(),
        auth_key: Zeroizing::new(vec![0xA5u8; 32]),
    };
    let shown = format!("{join:?} {join:#?}");
    assert!(shown.contains("amira"), "{shown}");
    assert!(!shown.contains("7K2M") && !shown.contains("165"), "{shown}");
}
