//! Nothing readable on disk: write case data with canary strings, then scan
//! the database, its WAL and shared-memory files, the key file and the temp
//! directory. Its own test binary, so it can point TMPDIR at a directory it
//! owns before anything opens a database.

use std::path::Path;
use waymark_core::api::{NewNote, NewPerson};
use waymark_core::domain::{ContactType, SafeContact};
use waymark_core::queries::CaseloadFilter;
use waymark_testkit::device::*;

const CANARY: &str = "QZXCANARYWV";

fn files_containing(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    for entry in walk(dir) {
        let data = std::fs::read(&entry).unwrap_or_default();
        let lower = data.to_ascii_lowercase();
        if lower.windows(needle.len()).any(|w| w == needle) {
            hits.push(entry.display().to_string());
        }
    }
    hits
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn no_case_data_in_plaintext_anywhere_on_disk() {
    let root = tempfile::tempdir().unwrap();
    let tmp = root.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    // SQLite puts any temporary files here; temp_store=MEMORY should mean none.
    std::env::set_var("TMPDIR", &tmp);
    std::env::set_var("SQLITE_TMPDIR", &tmp);
    let store = root.path().join("store");
    let mut s = new_store(&store);
    let case = s
        .add_person(NewPerson {
            full_name: format!("Sofia {CANARY}"),
            address: Some(format!("{CANARY} refuge, 3 Hidden Lane")),
            address_restricted: true,
            safe_contact: SafeContact {
                code_word: Some(format!("{CANARY}word")),
                ..Default::default()
            },
            ..Default::default()
        })
        .unwrap();
    for i in 0..300 {
        s.add_note(NewNote {
            case_id: case,
            body: format!(
                "note {i}: {CANARY} disclosed a new address {}",
                "and a long story ".repeat(i % 20)
            ),
            contact_type: ContactType::Outreach,
            occurred_at: None,
            duration_minutes: None,
            location: Some(format!("{CANARY} van stop")),
        })
        .unwrap();
    }
    // A draft being written (device-local, never synced) is as protected.
    s.save_note_draft(
        case,
        &waymark_core::local::NoteDraft {
            body: format!("draft: {CANARY} half-written disclosure"),
            ..Default::default()
        },
    )
    .unwrap();
    s.add_attachment(
        case,
        "statement.txt",
        "text/plain",
        format!("{CANARY} statement").as_bytes(),
    )
    .unwrap();
    // Reads that sort and search, in case any spill to temp files.
    assert!(!s.search(CANARY, 50).unwrap().is_empty());
    s.caseload(&CaseloadFilter::default()).unwrap();
    s.timeline(case).unwrap();
    s.export_case(case).unwrap();

    let needle = CANARY.to_ascii_lowercase();
    let own = s.store_dir().to_path_buf();
    let wal = own.join("waymark.db-wal");
    assert!(
        wal.exists() && std::fs::metadata(&wal).unwrap().len() > 0,
        "the WAL is part of the scan"
    );
    assert_eq!(
        files_containing(&store, needle.as_bytes()),
        Vec::<String>::new(),
        "while open"
    );
    assert_eq!(
        files_containing(&tmp, needle.as_bytes()),
        Vec::<String>::new(),
        "temp directory"
    );
    s.lock();
    assert_eq!(
        files_containing(&store, needle.as_bytes()),
        Vec::<String>::new(),
        "after locking"
    );

    // A plain SQLite cannot read it at all.
    let out = std::process::Command::new("sqlite3")
        .arg(own.join("waymark.db"))
        .arg("SELECT count(*) FROM sqlite_master;")
        .output()
        .expect("the sqlite3 command-line tool is installed by the setup script");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("file is not a database"), "{err}");
}
