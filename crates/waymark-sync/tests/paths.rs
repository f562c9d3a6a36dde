//! A store does not depend on the path its changes took: a supervisor's
//! laptop that synced after every round of work (small pages, each change
//! opened in the apply loop) and their new laptop's first sync of the same
//! history (large pages, opened ahead on other cores, indexed for search once
//! per page) hold the same records, conflicts, caseload and search results,
//! and both search indexes match their notes and people exactly.

use std::collections::BTreeSet;
use uuid::Uuid;
use waymark_core::demo::DemoOptions;
use waymark_core::{Passphrase, Session};
use waymark_protocol::Role;
use waymark_sync::{Client, SyncOptions};
use waymark_testkit::in_process::{answered, serve_north};

const PASS: &str = "paths passphrase";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_and_syncing_as_work_happens_give_the_same_store() {
    let dir = tempfile::tempdir().unwrap();
    let url = serve_north(
        dir.path(),
        &[
            ("amira", Role::Worker),
            ("sam", Role::Supervisor),
            ("ada", Role::Admin),
        ],
        PASS,
    )
    .await;
    let pass = Passphrase::new(PASS);
    let client = Client::new(&url, SyncOptions::default()).unwrap();
    let small_pages = Client::new(
        &url,
        SyncOptions {
            pull_limit: 40,
            ..SyncOptions::default()
        },
    )
    .unwrap();
    let store = |name: &str| {
        Session::create(
            &dir.path().join(name),
            name.split('-').next().unwrap(),
            &pass,
        )
        .unwrap()
    };
    let mut ada = store("ada");
    client.login(&mut ada, "ada", &pass, "ada").await.unwrap();
    // Both of Sam's laptops are enrolled (and confirmed) before Amira's
    // first push, so her cases' keys are sealed to both.
    let (mut as_it_happens, mut first_sync) = (store("sam-old"), store("sam-new"));
    for (device, label) in [
        (&mut as_it_happens, "old laptop"),
        (&mut first_sync, "new laptop"),
    ] {
        client.login(device, "sam", &pass, label).await.unwrap();
        let phrase = device.identity().unwrap().fingerprint_phrase;
        client
            .confirm(&mut ada, "sam", &phrase, false)
            .await
            .unwrap();
    }
    let mut amira = store("amira");
    amira
        .demo_data(
            &DemoOptions {
                cases: 6,
                notes_per_case: 120,
                seed: 11,
                keyworker: "amira".into(),
                groups: false,
            },
            &mut |_, _| {},
        )
        .unwrap();
    client
        .login(&mut amira, "amira", &pass, "amira")
        .await
        .unwrap();
    let phrase = amira.identity().unwrap().fingerprint_phrase;
    client
        .confirm(&mut ada, "amira", &phrase, false)
        .await
        .unwrap();

    // Round 1: Amira's caseload arrives on Sam's old laptop, a page at a
    // time, each asked for while the one before it applies, and each asked
    // for once (the cursors were where the page ahead expected them).
    client.sync(&mut amira, &mut |_| {}).await.unwrap();
    let pulls_before = answered(&url, "/v1/pull").await;
    let first = small_pages
        .sync(&mut as_it_happens, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(first.applied.refused, 0, "{first:?}");
    let pages = first.pulled.div_ceil(40);
    assert!(pages > 10, "{first:?}");
    assert_eq!(answered(&url, "/v1/pull").await - pulls_before, pages);
    let cases: Vec<Uuid> = amira
        .caseload(&Default::default())
        .unwrap()
        .iter()
        .map(|c| c.case_id)
        .collect();
    assert_eq!(cases.len(), 6);

    // Round 2: renames (the people index), amendments (the notes index),
    // new notes, and the same field edited on both sides: a conflict.
    for (i, case) in cases.iter().enumerate() {
        let mut person = amira.person(*case).unwrap();
        person.preferred_name = Some(format!("Renamed{i} Marigold"));
        amira.update_person(person).unwrap();
        waymark_testkit::device::note(
            &mut amira,
            *case,
            &format!("round two visit {i} lighthouse"),
        );
    }
    let amended = amira.timeline(cases[0]).unwrap();
    let note = amended
        .iter()
        .find(|item| item.kind == "note")
        .expect("a note in the first case")
        .id;
    amira
        .amend_note(note, "amended to mention the harbour", "a fact was wrong")
        .unwrap();
    let mut theirs = as_it_happens.person(cases[1]).unwrap();
    theirs.preferred_name = Some("Samchosen Marigold".into());
    as_it_happens.update_person(theirs).unwrap();
    client.sync(&mut amira, &mut |_| {}).await.unwrap();
    let second = small_pages
        .sync(&mut as_it_happens, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(second.applied.refused, 0, "{second:?}");
    assert!(second.applied.conflicts >= 1, "{second:?}");

    // Round 3: Amira reads Sam's edit back; both laptops read the rest.
    client.sync(&mut amira, &mut |_| {}).await.unwrap();
    small_pages
        .sync(&mut as_it_happens, &mut |_| {})
        .await
        .unwrap();

    // The new laptop reads the whole history in one first sync.
    let fresh = client.sync(&mut first_sync, &mut |_| {}).await.unwrap();
    assert_eq!(fresh.applied.refused, 0, "{fresh:?}");
    assert_eq!(fresh.awaiting_key, 0, "{fresh:?}");
    assert!(
        fresh.pulled > 512,
        "large enough to be opened ahead: {fresh:?}"
    );

    for device in [&as_it_happens, &first_sync] {
        search_index_matches(device);
    }
    let (old, new) = (records(&as_it_happens), records(&first_sync));
    let differ: Vec<_> = old
        .iter()
        .filter(|r| !new.contains(r))
        .chain(new.iter().filter(|r| !old.contains(r)))
        .take(6)
        .collect();
    assert!(differ.is_empty(), "rows differ: {differ:#?}");
    assert_eq!(old.len(), new.len());
    let conflicts = |s: &Session| -> BTreeSet<String> {
        s.conflicts(false)
            .unwrap()
            .iter()
            .map(|c| {
                format!(
                    "{} {} {} {} {} {} {}",
                    c.id,
                    c.record_id,
                    c.field,
                    c.kept_value,
                    c.kept_clock,
                    c.lost_value,
                    c.lost_clock
                )
            })
            .collect()
    };
    assert!(!conflicts(&first_sync).is_empty());
    assert_eq!(conflicts(&as_it_happens), conflicts(&first_sync));
    let caseload = |s: &Session| format!("{:?}", s.caseload(&Default::default()).unwrap());
    assert_eq!(caseload(&as_it_happens), caseload(&first_sync));
    for query in [
        "lighthouse",
        "harbour",
        "Marigold",
        "Renamed3",
        "zzzunheard",
    ] {
        let hits = |s: &Session| -> BTreeSet<String> {
            s.search(query, 1000)
                .unwrap()
                .iter()
                .map(|h| format!("{} {} {}", h.record_id, h.person_name, h.snippet))
                .collect()
        };
        assert_eq!(hits(&as_it_happens), hits(&first_sync), "{query}");
        if query != "zzzunheard" {
            assert!(!hits(&first_sync).is_empty(), "{query}");
        }
    }
}

/// Every record table's rows as text, in id order, without `version` (how
/// many writes a row took here: a local edit counts on its own laptop), but
/// the built-in assessment templates (each store writes its own).
fn records(s: &Session) -> Vec<String> {
    let conn = s.connection();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%clocks%'
             AND name NOT LIKE '%fts%' AND name != 'assessment_templates' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut rows = Vec::new();
    for table in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY id"))
            .unwrap();
        let names: Vec<String> = stmt.column_names().iter().map(|n| n.to_string()).collect();
        let read: Vec<String> = stmt
            .query_map([], |r| {
                Ok(names
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| *n != "version")
                    .map(|(i, n)| match r.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Text(t) => {
                            format!("{n}={:?}", String::from_utf8_lossy(t))
                        }
                        other => format!("{n}={other:?}"),
                    })
                    .collect::<Vec<_>>()
                    .join(" "))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!read.is_empty() || table != "notes");
        rows.extend(read.into_iter().map(|row| format!("{table}: {row}")));
    }
    rows
}

/// FTS5's own check that each index holds exactly its rows' current text.
fn search_index_matches(s: &Session) {
    for index in ["notes_fts", "persons_fts"] {
        s.connection()
            .execute(
                &format!("INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)"),
                [],
            )
            .unwrap_or_else(|e| panic!("{index}: {e}"));
    }
}
