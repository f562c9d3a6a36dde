//! Device stores for tests: a store with a person, notes, the test
//! organisation's key and its certificates, case keys handed between
//! devices, pages of changes as a server would relay them.

use std::path::Path;
use waymark_core::api::{NewNote, NewPerson};
use waymark_core::domain::ContactType;
use waymark_core::{Passphrase, Session};

pub const PASS: &str = "correct horse battery staple";

pub fn pass() -> Passphrase {
    Passphrase::new(PASS)
}

pub fn new_store(dir: &Path) -> Session {
    Session::create(dir, "amina", &pass()).expect("create store")
}

pub fn person(s: &mut Session, name: &str) -> uuid::Uuid {
    s.add_person(NewPerson {
        full_name: name.into(),
        ..Default::default()
    })
    .unwrap()
}

pub fn note(s: &mut Session, case: uuid::Uuid, body: &str) -> uuid::Uuid {
    s.add_note(NewNote {
        case_id: case,
        body: body.into(),
        contact_type: ContactType::Phone,
        occurred_at: None,
        duration_minutes: Some(20),
        location: None,
    })
    .unwrap()
}

pub fn counts(s: &Session) -> (i64, i64, i64) {
    let c = s.connection();
    let q = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    (
        q("SELECT count(*) FROM outbox"),
        q("SELECT count(*) FROM audit_log"),
        q("SELECT count(*) FROM persons"),
    )
}

/// The test organisation (its signing key is fixed, so every store pins the
/// same one).
pub const TEST_ORG: uuid::Uuid = uuid::Uuid::from_u128(0x0123);

pub fn test_org_key() -> waymark_crypto::IdentitySecret {
    waymark_crypto::IdentitySecret::from_bytes(&[7; 32]).unwrap()
}

/// The test organisation's admin certified each of `people` as a worker.
pub fn certificates_of(people: &[&Session]) -> waymark_protocol::TrustResponse {
    let workers: Vec<_> = people
        .iter()
        .map(|p| (*p, waymark_protocol::Role::Worker))
        .collect();
    certificates_with_roles(&workers)
}

/// The test organisation's admin certified each of `people` in their role.
pub fn certificates_with_roles(
    people: &[(&Session, waymark_protocol::Role)],
) -> waymark_protocol::TrustResponse {
    let no_team: Vec<_> = people.iter().map(|&(p, role)| (p, role, None)).collect();
    certificates_in_teams(&no_team)
}

/// The test organisation's admin certified each of `people` in their role
/// and team.
pub fn certificates_in_teams(
    people: &[(&Session, waymark_protocol::Role, Option<&str>)],
) -> waymark_protocol::TrustResponse {
    let org_key = test_org_key();
    let certificates = people
        .iter()
        .map(|&(p, role, team)| {
            let identity = p.identity_key().unwrap();
            let signature = org_key.sign(&waymark_crypto::Statement::Certificate {
                org: TEST_ORG,
                user: p.user().id,
                name: &p.user().name,
                role: role.as_str(),
                team,
                identity: &identity,
            });
            waymark_protocol::Certificate {
                user_id: p.user().id,
                user_name: p.user().name.clone(),
                role,
                team: team.map(str::to_owned),
                identity_key: identity.0.to_vec(),
                signer_key: org_key.public().0.to_vec(),
                signature: signature.0.to_vec(),
            }
        })
        .collect();
    waymark_protocol::TrustResponse {
        org_key: Some(org_key.public().0.to_vec()),
        certificates,
        recovery: None,
    }
}

/// `a` and `b` learn, as a sync would relay it, that the test
/// organisation's admin certified them both.
pub fn certify_pair(a: &mut Session, b: &mut Session) {
    let relayed = certificates_of(&[a, b]);
    for s in [a, b] {
        assert_eq!(
            s.accept_trust(TEST_ORG, &relayed).unwrap(),
            Vec::<String>::new()
        );
    }
}

/// As the server relays a sealed key to its recipient.
pub fn relayed(id: i64, k: waymark_protocol::SealedKey) -> waymark_protocol::MyKey {
    waymark_protocol::MyKey {
        id,
        log_id: k.log_id,
        epoch: k.epoch,
        sealed: k.sealed,
        sender_identity: k.sender_identity,
        signature: k.signature,
    }
}

/// What the server lists when `to` lacks a case's key.
pub fn need(to: &Session, log_id: uuid::Uuid, epoch: u32) -> waymark_protocol::KeyNeeded {
    waymark_protocol::KeyNeeded {
        log_id,
        epoch,
        recipient_key: to.public_key().unwrap().0.to_vec(),
        identity_key: Some(to.identity_key().unwrap().0.to_vec()),
        key_signature: Some(to.device_key_signature().unwrap().0.to_vec()),
    }
}

/// Hands `from`'s keys of `cases` to `to` (certified first), as the server
/// would relay them sealed to `to`'s public key; `to` applies what was
/// waiting for them.
pub fn share_case_keys(
    from: &mut Session,
    to: &mut Session,
    cases: &[uuid::Uuid],
) -> waymark_core::e2e::KeysReceived {
    certify_pair(from, to);
    hand_case_keys(from, to, cases)
}

/// Every one of `people` learns that the test organisation's admin
/// certified them all.
pub fn certify_all(people: &mut [Session]) {
    let relayed = certificates_of(&people.iter().collect::<Vec<_>>());
    for s in people {
        assert_eq!(
            s.accept_trust(TEST_ORG, &relayed).unwrap(),
            Vec::<String>::new()
        );
    }
}

/// As `share_case_keys`, between people already certified.
pub fn hand_case_keys(
    from: &mut Session,
    to: &mut Session,
    cases: &[uuid::Uuid],
) -> waymark_core::e2e::KeysReceived {
    let needed: Vec<waymark_protocol::KeyNeeded> =
        cases.iter().map(|&log_id| need(to, log_id, 0)).collect();
    let sealed = from.seal_case_keys(&needed).unwrap().keys;
    let after = to.keys_after().unwrap();
    let mine: Vec<waymark_protocol::MyKey> = sealed
        .into_iter()
        .enumerate()
        .map(|(i, k)| relayed(after + 1 + i as i64, k))
        .collect();
    to.receive_case_keys(&mine).unwrap()
}

/// A change body signed by `s`'s person and sealed under the case key, as
/// whoever holds it could write it.
pub fn sealed(s: &Session, case: uuid::Uuid, body: &waymark_core::sync::ChangeBody) -> Vec<u8> {
    let key = s.case_key(case).unwrap().unwrap();
    let signed = s.signed_change(case, body).unwrap();
    waymark_crypto::encrypt_change(&key, case, body.change_id, &signed)
}

/// `s`'s outgoing changes of `log` after the first `skip`, as the server
/// would list them from `first_seq` (received when they were stamped).
pub fn page(
    s: &mut Session,
    log: uuid::Uuid,
    first_seq: i64,
    skip: usize,
) -> Vec<waymark_core::sync::Logged> {
    s.outgoing(10_000)
        .unwrap()
        .into_iter()
        .filter(|o| o.envelope.log_id == log)
        .skip(skip)
        .enumerate()
        .map(|(i, o)| waymark_core::sync::Logged {
            seq: first_seq + i as i64,
            change_id: o.envelope.change_id,
            received_ms: o.envelope.clock_ms,
            body: o.envelope.body,
        })
        .collect()
}
