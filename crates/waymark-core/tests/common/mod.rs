#![allow(dead_code)]
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
