//! People sharing a laptop: each has a store of their own, nobody is listed
//! before a passphrase is given, and a shared store from before is split on
//! each person's first unlock without losing anything.

use waymark_core::local::{NoteDraft, Settings};
use waymark_core::queries::CaseloadFilter;
use waymark_core::raw::{create_shared_store, open_shared_store};
use waymark_core::{Error, Laptop, Passphrase, Session};
use waymark_testkit::device::*;

fn bethan_pass() -> Passphrase {
    Passphrase::new("bethan's own long passphrase")
}

fn names(s: &Session) -> Vec<String> {
    s.caseload(&CaseloadFilter::default())
        .unwrap()
        .into_iter()
        .map(|e| e.full_name)
        .collect()
}

/// Every text value in every table of the store, FTS shadow tables
/// included, for looking for what must not be there.
fn every_text(s: &Session) -> String {
    let c = s.connection();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut all = String::new();
    for t in tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..n {
                match row.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) => {
                        all.push_str(&String::from_utf8_lossy(b));
                        all.push('\n');
                    }
                    _ => {}
                }
            }
        }
    }
    all
}

#[test]
fn a_second_person_on_the_laptop_cannot_see_the_first_persons_cases() {
    let dir = tempfile::tempdir().unwrap();
    let mut amina = new_store(dir.path());
    let case = person(&mut amina, "Orla Kestrel");
    note(&mut amina, case, "moved to the refuge on Larkspur Road");
    amina.lock();

    // Adding Bethan needs no one else's passphrase.
    let bethan = Session::create(dir.path(), "bethan", &bethan_pass()).unwrap();
    assert!(names(&bethan).is_empty(), "Bethan's store starts empty");
    assert!(bethan.search("larkspur", 10).unwrap().is_empty());
    assert!(bethan.search("kestrel", 10).unwrap().is_empty());
    assert!(
        !every_text(&bethan).contains("Larkspur"),
        "nothing of Amina's is in Bethan's store"
    );
    assert_ne!(bethan.store_dir(), dir.path().join("people").join("x"));
    bethan.lock();

    // Bethan's key file does not open Amina's database, nor does her
    // passphrase open Amina's key file.
    let laptop = Laptop::new(dir.path());
    let (a, b) = (laptop.person("amina"), laptop.person("bethan"));
    assert_ne!(a.dir, b.dir);
    let e = Session::unlock(dir.path(), Some("amina"), &bethan_pass()).unwrap_err();
    assert!(matches!(e, Error::WrongPassphrase { .. }), "{e}");
    // Bethan's key file put in Amina's store: it unwraps (Bethan's key),
    // and that key does not open Amina's database.
    std::fs::copy(b.key_file(), a.key_file()).unwrap();
    let e = open_shared_store(&a.dir, "bethan", &bethan_pass()).unwrap_err();
    assert!(
        e.to_string().contains("cannot be opened with its key file"),
        "{e}"
    );
}

#[test]
fn the_laptop_never_tells_who_uses_it_before_a_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    new_store(dir.path()).lock();
    Session::create(dir.path(), "bethan", &bethan_pass())
        .unwrap()
        .lock();
    // No name given, two people: asked for a name, and none is offered.
    let e = Session::unlock(dir.path(), None, &pass()).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("give your user name"), "{text}");
    assert!(
        !text.contains("amina") && !text.contains("bethan"),
        "{text}"
    );
    // A name no one has is answered like a wrong passphrase.
    let unknown = Session::unlock(dir.path(), Some("cerys"), &pass()).unwrap_err();
    let wrong = Session::unlock(dir.path(), Some("bethan"), &pass()).unwrap_err();
    assert!(
        matches!(unknown, Error::WrongPassphrase { .. }),
        "{unknown}"
    );
    assert!(matches!(wrong, Error::WrongPassphrase { .. }), "{wrong}");
    assert_eq!(
        unknown.to_string().replace("cerys", "NAME"),
        wrong.to_string().replace("bethan", "NAME")
    );
    // The directory does not list them either.
    for entry in walk(dir.path()) {
        let name = entry.to_string_lossy().to_string();
        assert!(
            !name.contains("amina") && !name.contains("bethan"),
            "{name}"
        );
    }
    // Creating a person twice is refused, naming the person, not others.
    let e = Session::create(dir.path(), "bethan", &bethan_pass()).unwrap_err();
    assert!(matches!(e, Error::StoreExists(_)), "{e}");
    assert!(e.to_string().contains("bethan already has"), "{e}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        out.push(p.strip_prefix(dir).unwrap().to_path_buf());
        if p.is_dir() {
            out.extend(walk(&p).into_iter().map(|q| p.join(q)));
        }
    }
    out
}

#[test]
fn removing_a_person_needs_their_passphrase_and_erases_only_their_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut amina = new_store(dir.path());
    let case = person(&mut amina, "Orla Example");
    amina.lock();
    let mut bethan = Session::create(dir.path(), "bethan", &bethan_pass()).unwrap();
    person(&mut bethan, "Priya Example");
    bethan.lock();
    let remove = waymark_core::api::remove_person;
    let e = remove(dir.path(), "bethan", &pass()).unwrap_err();
    assert!(matches!(e, Error::WrongPassphrase { .. }), "{e}");
    remove(dir.path(), "bethan", &bethan_pass()).unwrap();
    let gone = Laptop::new(dir.path()).person("bethan");
    assert!(!gone.dir.exists(), "Bethan's store directory is erased");
    assert!(matches!(
        Session::unlock(dir.path(), Some("bethan"), &bethan_pass()),
        Err(Error::WrongPassphrase { .. })
    ));
    let amina = Session::unlock(dir.path(), None, &pass()).unwrap();
    assert_eq!(amina.person(case).unwrap().full_name, "Orla Example");
}

#[test]
fn a_passphrase_change_rekeys_the_store_so_an_old_key_file_opens_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut amina = new_store(dir.path());
    let case = person(&mut amina, "Kezia Example");
    note(&mut amina, case, "amina wrote this");
    let e = amina
        .change_passphrase(&pass(), &Passphrase::new("password1234"))
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("new passphrase: is too easy to guess"),
        "{e}"
    );
    let paths = Laptop::new(dir.path()).person("amina");
    let old_key_file = std::fs::read(paths.key_file()).unwrap();
    let new = Passphrase::new("amina's new long passphrase");
    let e = amina
        .change_passphrase(&Passphrase::new("not the passphrase"), &new)
        .unwrap_err();
    assert!(matches!(e, Error::WrongPassphrase { .. }), "{e}");
    amina.change_passphrase(&pass(), &new).unwrap();
    // Still working in the same session, on the re-keyed pages.
    note(&mut amina, case, "written after the change");
    amina.lock();
    assert!(Session::unlock(dir.path(), Some("amina"), &pass()).is_err());
    let amina = Session::unlock(dir.path(), Some("amina"), &new).unwrap();
    assert_eq!(amina.search("amina wrote", 10).unwrap().len(), 1);
    assert_eq!(amina.search("after the change", 10).unwrap().len(), 1);
    amina.lock();

    // Someone kept the old key file: with the old passphrase it unwraps
    // the old key, which no longer opens the database.
    std::fs::write(paths.key_file(), &old_key_file).unwrap();
    let e = Session::unlock(dir.path(), Some("amina"), &pass()).unwrap_err();
    assert!(e.to_string().contains("cannot be opened"), "{e}");
}

#[test]
fn a_passphrase_change_cut_off_after_the_rekey_finishes_at_the_next_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let mut amina = new_store(dir.path());
    let case = person(&mut amina, "Kezia Example");
    let paths = Laptop::new(dir.path()).person("amina");
    let old_key_file = std::fs::read(paths.key_file()).unwrap();
    let new = Passphrase::new("amina's new long passphrase");
    amina.change_passphrase(&pass(), &new).unwrap();
    amina.lock();
    // As if cut off before the rename: the new wrap beside, the old in place.
    let next = paths.dir.join("keys.next.json");
    std::fs::rename(paths.key_file(), &next).unwrap();
    std::fs::write(paths.key_file(), &old_key_file).unwrap();
    let e = Session::unlock(dir.path(), Some("amina"), &pass()).unwrap_err();
    assert!(e.to_string().contains("unlock with the new one"), "{e}");
    let amina = Session::unlock(dir.path(), Some("amina"), &new).unwrap();
    assert_eq!(amina.person(case).unwrap().full_name, "Kezia Example");
    assert!(!next.exists(), "the new key file took its place");
    amina.lock();
    Session::unlock(dir.path(), Some("amina"), &new).unwrap();
}

/// A laptop as an older build left it: one store for Amina and Bethan.
/// Amina has "Orla" (and wrote a note on Priya's case too); Bethan has
/// "Priya" and "Quinn", unsent, with a draft and her own settings.
struct Shared {
    dir: tempfile::TempDir,
    orla: uuid::Uuid,
    priya: uuid::Uuid,
    quinn: uuid::Uuid,
}

fn shared_laptop() -> Shared {
    let dir = tempfile::tempdir().unwrap();
    let mut amina = create_shared_store(dir.path(), "amina", &pass()).unwrap();
    amina
        .enrol_in_shared_store("bethan", &bethan_pass())
        .unwrap();
    let orla = person(&mut amina, "Orla Kestrel");
    note(
        &mut amina,
        orla,
        "kestrel canary: Orla's refuge is on Larkspur Road",
    );
    amina.lock();
    let mut bethan = open_shared_store(dir.path(), "bethan", &bethan_pass()).unwrap();
    let priya = person(&mut bethan, "Priya Osprey");
    note(
        &mut bethan,
        priya,
        "osprey canary: Priya's sister's address",
    );
    let quinn = person(&mut bethan, "Quinn Osprey");
    bethan
        .save_note_draft(
            quinn,
            &NoteDraft {
                body: "osprey canary draft".into(),
                ..Default::default()
            },
        )
        .unwrap();
    bethan
        .save_settings(&Settings {
            lock_minutes: 3,
            language: "en".into(),
        })
        .unwrap();
    bethan.lock();
    let mut amina = open_shared_store(dir.path(), "amina", &pass()).unwrap();
    note(&mut amina, priya, "amina covered Priya's visit");
    amina.lock();
    Shared {
        dir,
        orla,
        priya,
        quinn,
    }
}

#[test]
fn a_shared_store_from_before_is_split_on_each_persons_first_unlock_and_nothing_is_lost() {
    let Shared {
        dir,
        orla,
        priya,
        quinn,
    } = shared_laptop();
    let shared_device = open_shared_store(dir.path(), "amina", &pass())
        .unwrap()
        .device_id();
    let laptop = Laptop::new(dir.path());

    // Amina first: her cases (Orla, and Priya whom she wrote on), not Quinn.
    let amina = Session::unlock(dir.path(), Some("amina"), &pass()).unwrap();
    assert_eq!(amina.store_dir(), laptop.person("amina").dir);
    let mut seen = names(&amina);
    seen.sort();
    assert_eq!(seen, vec!["Orla Kestrel", "Priya Osprey"]);
    assert!(matches!(amina.person(quinn), Err(Error::NotFound { .. })));
    assert_eq!(amina.search("larkspur", 10).unwrap().len(), 1);
    assert!(amina.search("draft", 10).unwrap().is_empty());
    assert_eq!(amina.note_draft(quinn).unwrap(), None);
    assert_ne!(amina.device_id(), shared_device, "a device id of its own");
    // Nothing of Quinn's case or Bethan's secrets anywhere in Amina's
    // store: not in a table, not in a search index's shadow tables, not
    // in a free page (the copy was rebuilt).
    let text = every_text(&amina);
    assert!(!text.contains("Quinn") && !text.contains("canary draft"));
    let q = |sql: &str| -> i64 { amina.connection().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(q("SELECT count(*) FROM users"), 1);
    assert_eq!(q("SELECT count(*) FROM person_keys"), 1);
    assert_eq!(q("SELECT count(*) FROM identity_keys"), 1);
    assert_eq!(q("PRAGMA freelist_count"), 0);
    // Her unsent changes travel with her, the shared case's included.
    let outbox_cases: Vec<uuid::Uuid> = amina
        .connection()
        .prepare("SELECT DISTINCT case_id FROM outbox WHERE case_id IS NOT NULL ORDER BY case_id")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|c| c.unwrap().parse().unwrap())
        .collect();
    let mut expected = vec![orla, priya];
    expected.sort();
    assert_eq!(outbox_cases, expected);
    assert!(
        laptop.dir().join("keys.json").exists(),
        "the shared store stays for Bethan"
    );
    let key = amina.store_key_for_forensics();
    let db = amina.store_dir().join("waymark.db");
    amina.lock();
    let pages = waymark_testkit::forensics::decrypted_pages(&db, &key);
    assert!(waymark_testkit::forensics::any_page_holds(
        &pages,
        b"Larkspur"
    ));
    for needle in ["Quinn", "canary draft"] {
        assert!(
            !waymark_testkit::forensics::any_page_holds(&pages, needle.as_bytes()),
            "{needle:?} is in a page of Amina's store"
        );
    }

    // Bethan next: Priya and Quinn, her draft and settings; the shared
    // store is then erased.
    let bethan = Session::unlock(dir.path(), Some("bethan"), &bethan_pass()).unwrap();
    let mut seen = names(&bethan);
    seen.sort();
    assert_eq!(seen, vec!["Priya Osprey", "Quinn Osprey"]);
    assert_eq!(
        bethan.search("covered", 10).unwrap().len(),
        1,
        "Amina's note on Priya"
    );
    assert_eq!(
        bethan.note_draft(quinn).unwrap().unwrap().body,
        "osprey canary draft"
    );
    assert_eq!(bethan.settings().unwrap().lock_minutes, 3);
    assert!(!every_text(&bethan).contains("Larkspur"));
    assert!(!laptop.dir().join("keys.json").exists());
    assert!(!laptop.dir().join("waymark.db").exists());
    bethan.lock();

    // And again: each opens their own store now.
    Session::unlock(dir.path(), Some("amina"), &pass()).unwrap();
    Session::unlock(dir.path(), Some("bethan"), &bethan_pass()).unwrap();
}

#[test]
fn a_split_killed_part_way_starts_again_and_a_wrong_passphrase_splits_nothing() {
    let Shared { dir, quinn, .. } = shared_laptop();
    let laptop = Laptop::new(dir.path());
    let e = Session::unlock(dir.path(), Some("bethan"), &pass()).unwrap_err();
    assert!(matches!(e, Error::WrongPassphrase { .. }), "{e}");
    assert!(!laptop.person("bethan").dir.exists());
    // What a copy killed half-way leaves: a partial directory with a
    // half-written database.
    let partial = dir.path().join("people").join(format!(
        "{}.partial",
        laptop
            .person("bethan")
            .dir
            .file_name()
            .unwrap()
            .to_string_lossy()
    ));
    std::fs::create_dir_all(&partial).unwrap();
    std::fs::write(partial.join("waymark.db"), b"half a database").unwrap();
    let bethan = Session::unlock(dir.path(), Some("bethan"), &bethan_pass()).unwrap();
    assert_eq!(bethan.person(quinn).unwrap().full_name, "Quinn Osprey");
    assert!(!partial.exists());
}
