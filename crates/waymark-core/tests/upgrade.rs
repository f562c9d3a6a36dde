//! An earlier build's store, opened by today's code: the store a laptop
//! already holds (tests/fixtures/store-before-0.1.0: device schema 8, one
//! database shared by two people) unlocks, migrates to today's schema and
//! keeps everything each person wrote, each person in a store of their own.

use std::path::{Path, PathBuf};
use waymark_core::queries::CaseloadFilter;
use waymark_core::raw::SCHEMA_VERSION;
use waymark_core::{Error, Passphrase, Session};

const AMINA: &str = "copper kettle under the back stairs";
const BEA: &str = "seven gulls over a grey harbour";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/store-before-0.1.0/store")
}

/// A copy of the fixture: the test must never change what is committed.
fn laptop() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

fn names(s: &Session) -> Vec<String> {
    let mut names: Vec<String> = s
        .caseload(&CaseloadFilter::default())
        .unwrap()
        .into_iter()
        .map(|e| e.full_name)
        .collect();
    names.sort();
    names
}

fn case_of(s: &Session, name: &str) -> uuid::Uuid {
    s.caseload(&CaseloadFilter::default())
        .unwrap()
        .into_iter()
        .find(|e| e.full_name == name)
        .unwrap_or_else(|| panic!("{name} is not in the caseload"))
        .case_id
}

#[test]
fn an_earlier_builds_store_unlocks_migrated_with_everything_its_people_wrote() {
    let dir = laptop();

    let e = Session::unlock(dir.path(), Some("amina"), &Passphrase::new(BEA)).unwrap_err();
    assert!(matches!(e, Error::WrongPassphrase { .. }), "{e}");

    let mut amina = Session::unlock(dir.path(), Some("amina"), &Passphrase::new(AMINA)).unwrap();
    assert_eq!(amina.schema_version().unwrap(), SCHEMA_VERSION as i64);
    assert_eq!(names(&amina), ["Jo Example", "Sam Rivers"]);

    let jo = case_of(&amina, "Jo Example");
    let export = amina.export_case(jo).unwrap();
    let person = &export.person;
    assert_eq!(person.date_of_birth.unwrap().to_string(), "1990-02-03");
    assert_eq!(person.safe_contact.calls_safe, Some(false));
    assert_eq!(person.safe_contact.code_word.as_deref(), Some("kestrel"));
    assert!(
        person.address_restricted,
        "a refuge address stays restricted"
    );
    assert_eq!(
        amina.reveal_address(jo).unwrap().as_deref(),
        Some("Flat 2, 14 Larkspur Road")
    );
    assert_eq!(person.needs.len(), 2);
    assert!(
        person.needs.iter().all(|n| n.since.is_none()),
        "a need written before needs carried a day has none made up: {:?}",
        person.needs
    );
    assert_eq!(export.notes.len(), 1);
    assert!(export.notes[0].current_body.contains("lighthouse car park"));
    assert_eq!(export.support_plan.len(), 1);
    assert_eq!(export.support_plan[0].goal.description, "A settled tenancy");
    assert_eq!(export.appointments.len(), 1);
    assert_eq!(export.referrals.len(), 1);
    assert_eq!(export.flags.len(), 1);
    assert_eq!(export.attachments.len(), 1);
    let (_, bytes) = amina.open_attachment(export.attachments[0].id).unwrap();
    assert_eq!(bytes, b"tenancy letter\n");

    // Search was rebuilt across the migrations that changed its index.
    let hits = amina.search("lighthouse", 10).unwrap();
    assert_eq!(hits.len(), 1, "the earlier note is found");
    assert_eq!(hits[0].case_id, jo);
    assert_eq!(amina.search("Rivers", 10).unwrap().len(), 1, "names too");
    // What they wrote offline is still waiting to be sent.
    assert!(amina.pending_changes().unwrap() > 0);
    amina.lock();

    // Bea shared that database; her first unlock gives her a store of her
    // own, with her case and nothing of Amina's.
    let bea = Session::unlock(dir.path(), Some("bea"), &Passphrase::new(BEA)).unwrap();
    assert_eq!(names(&bea), ["Dee Morgan"]);
    assert!(bea.search("lighthouse", 10).unwrap().is_empty());
    assert_eq!(bea.search("court letter", 10).unwrap().len(), 1);
    assert_ne!(bea.device_id(), {
        let a = Session::unlock(dir.path(), Some("amina"), &Passphrase::new(AMINA)).unwrap();
        a.device_id()
    });
    bea.lock();

    // Both unlock again as they are now: nothing is split or migrated twice.
    let amina = Session::unlock(dir.path(), Some("amina"), &Passphrase::new(AMINA)).unwrap();
    assert_eq!(names(&amina), ["Jo Example", "Sam Rivers"]);
}
