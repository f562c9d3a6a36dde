//! End-to-end encryption on the device: what leaves is ciphertext bound to
//! its case and change; what arrives is opened with the case key, waits for
//! it, or is refused (tampered, truncated, moved between cases or changes,
//! replayed under another id, or plaintext where ciphertext belongs) and
//! reported, never applied.

use uuid::Uuid;
use waymark_core::sync::Logged;
use waymark_core::{Passphrase, Session};
use waymark_testkit::device::*;

const CANARY: &str = "CANARY-7f3a-refuge-address";

fn notes(s: &Session) -> i64 {
    s.connection()
        .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn case_changes_leave_as_ciphertext_and_templates_stay_plain() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = person(&mut s, &format!("Nadia {CANARY}"));
    note(&mut s, case, &format!("Moved to {CANARY}"));
    let out = s.outgoing(1000).unwrap();
    let (case_changes, org_changes): (Vec<_>, Vec<_>) =
        out.iter().partition(|o| o.envelope.log_id == case);
    assert!(case_changes.len() >= 2);
    for o in &case_changes {
        let body = &o.envelope.body;
        assert!(!contains(body, CANARY.as_bytes()), "no plaintext leaves");
        assert!(!contains(body, b"full_name"), "not even field names");
        assert_eq!(body[0], waymark_crypto::CHANGE_VERSION);
        assert_eq!(waymark_crypto::epoch_of("change", body), Ok(1));
    }
    // Templates (no case data) travel in the organisation's log, plain but
    // signed by the person who sent them.
    let identity = s.identity_key().unwrap();
    for o in &org_changes {
        let signed = waymark_crypto::SignedChange::read(&o.envelope.body).unwrap();
        assert_eq!(signed.signer, identity);
        assert!(serde_json::from_slice::<serde_json::Value>(signed.body).is_ok());
    }
    // The key is made once per case and kept: the next batch uses it too.
    let key = s.case_key(case).unwrap().unwrap();
    assert_eq!(key.epoch, 1);
    assert_eq!(format!("{key:?}"), "CaseKey(epoch 1, ..)", "never printed");
    note(&mut s, case, "later");
    let again = page(&mut s, case, 1, 0);
    for l in &again {
        assert!(s.open_logged(case, l).unwrap().is_some());
    }
}

/// A change is signed by whoever wrote it, when they wrote it: in a store
/// shared by several people (as before per-person stores, and as a split
/// keeps a case's unsent changes) each person's changes name that person,
/// whoever sends them. A change re-stamped since is signed again when sent.
#[test]
fn each_change_is_signed_by_the_person_who_wrote_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut amina = waymark_core::raw::create_shared_store(dir.path(), "amina", &pass()).unwrap();
    let bea_pass = Passphrase::new("another long passphrase");
    amina.enrol_in_shared_store("bea", &bea_pass).unwrap();
    let case = person(&mut amina, "Nadia Example");
    let amina_identity = amina.identity_key().unwrap();
    amina.lock();
    let mut bea = waymark_core::raw::open_shared_store(dir.path(), "bea", &bea_pass).unwrap();
    note(&mut bea, case, "Bea's visit");
    let bea_identity = bea.identity_key().unwrap();
    assert_ne!(bea_identity, amina_identity);
    bea.lock();
    let mut amina = waymark_core::raw::open_shared_store(dir.path(), "amina", &pass()).unwrap();
    amina.outgoing(100).unwrap(); // The case's first key is made here.
    let key = amina.case_key(case).unwrap().unwrap();
    let signers = |s: &mut Session| -> Vec<(String, waymark_crypto::IdentityPublic)> {
        s.outgoing(100)
            .unwrap()
            .iter()
            .filter(|o| o.envelope.log_id == case)
            .map(|o| {
                let e = &o.envelope;
                let plain =
                    waymark_crypto::decrypt_change(&key, case, e.change_id, &e.body).unwrap();
                let signed = waymark_crypto::SignedChange::read(&plain).unwrap();
                let verifier = waymark_crypto::Verifier::new(&signed.signer).unwrap();
                signed.verify(&verifier, case, e.change_id).unwrap();
                let body: serde_json::Value = serde_json::from_slice(signed.body).unwrap();
                (body["kind"].as_str().unwrap().to_owned(), signed.signer)
            })
            .collect()
    };
    let sent = signers(&mut amina);
    assert_eq!(
        sent,
        vec![
            ("person".to_owned(), amina_identity),
            ("note".to_owned(), bea_identity)
        ]
    );
    // Re-stamped against a server's clock an hour behind: both signatures
    // are made again, by the person sending, and hold.
    let hour_ago = chrono::Utc::now().timestamp_millis() - 3_600_000;
    assert_eq!(amina.restamp_ahead(hour_ago).unwrap(), 2);
    let sent = signers(&mut amina);
    assert!(sent.iter().all(|(_, by)| *by == amina_identity), "{sent:?}");
}

/// History names who wrote a note and who amended it, on either device:
/// this person for what was written here, else whoever's confirmed identity
/// signed what arrived (by the name their certificate binds).
#[test]
fn history_names_who_wrote_a_note_and_who_amended_it() {
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut a = Session::create(da.path(), "amina", &pass()).unwrap();
    let mut b = Session::create(db.path(), "bea", &pass()).unwrap();
    let case = person(&mut a, "Nadia Example");
    let n = note(&mut a, case, "Met at the van");
    let from_a = page(&mut a, case, 1, 0);
    share_case_keys(&mut a, &mut b, &[case]);
    assert_eq!(b.apply_pulled(case, &from_a).unwrap().refused, 0);
    b.amend_note(n, "Met at the van, then walked to the GP", "more detail")
        .unwrap();
    let seen_by_b = b.note_history(n).unwrap();
    assert_eq!(seen_by_b.written_by.as_deref(), Some("amina"));
    assert_eq!(seen_by_b.amended_by, vec![Some("bea".to_owned())]);
    let item = b
        .timeline(case)
        .unwrap()
        .into_iter()
        .find(|i| i.id == n)
        .unwrap();
    assert_eq!(item.by.as_deref(), Some("amina"));
    // The case's log as the server holds it: A's changes (skipped as its
    // own), then B's.
    let mut log = from_a.clone();
    log.extend(page(&mut b, case, from_a.len() as i64 + 1, 0));
    assert_eq!(a.apply_pulled(case, &log).unwrap().refused, 0);
    let seen_by_a = a.note_history(n).unwrap();
    assert_eq!(seen_by_a.written_by.as_deref(), Some("amina"));
    assert_eq!(seen_by_a.amended_by, vec![Some("bea".to_owned())]);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Two devices with the case, B holding A's key.
fn pair() -> (
    tempfile::TempDir,
    tempfile::TempDir,
    Session,
    Session,
    Uuid,
    Uuid,
) {
    let (a_dir, b_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut a, mut b) = (new_store(a_dir.path()), new_store(b_dir.path()));
    let case = person(&mut a, "Zara Example");
    let other = person(&mut a, "Yolanda Example");
    for log in [case, other] {
        let p = page(&mut a, log, 1, 0);
        share_case_keys(&mut a, &mut b, &[log]);
        b.apply_pulled(log, &p).unwrap();
    }
    (a_dir, b_dir, a, b, case, other)
}

#[test]
fn tampered_moved_replayed_or_plain_changes_are_refused_reported_and_not_applied() {
    let (_a_dir, _b_dir, mut a, mut b, case, other) = pair();
    let before_case = page(&mut a, case, 1, 0).len();
    let before_other = page(&mut a, other, 1, 0).len();
    note(&mut a, case, "the genuine note");
    note(&mut a, other, "a note of another case");
    let genuine = page(&mut a, case, 2, before_case).remove(0);
    let of_other = page(&mut a, other, 2, before_other).remove(0);
    let plain = serde_json::to_vec(&a.open_logged(case, &genuine).unwrap().unwrap()).unwrap();

    let mut flipped = genuine.clone();
    let last = flipped.body.len() - 1;
    flipped.body[last] ^= 1;
    let mut truncated = genuine.clone();
    truncated.body.truncate(20);
    // Another case's ciphertext, carried in this case's log under its own id.
    let moved = Logged {
        seq: 2,
        ..of_other.clone()
    };
    // The genuine ciphertext again, under a new change id (a replay).
    let replayed = Logged {
        change_id: Uuid::now_v7(),
        ..genuine.clone()
    };
    // The plaintext change, as a downgrade would send it.
    let downgraded = Logged {
        body: plain,
        ..genuine.clone()
    };
    let cases = [
        ("flipped", flipped, "failed authentication"),
        ("truncated", truncated, "too short"),
        ("moved", moved, "failed authentication"),
        ("replayed", replayed, "failed authentication"),
        ("downgraded", downgraded, "version 123"),
    ];
    let mut seq = b.sync_cursor(case).unwrap();
    for (what, mut bad, reason) in cases {
        seq += 1;
        bad.seq = seq;
        let notes_before = notes(&b);
        let report = b.apply_pulled(case, &[bad.clone()]).unwrap();
        assert_eq!(
            (report.refused, report.applied),
            (1, 0),
            "{what}: {report:?}"
        );
        assert_eq!(notes(&b), notes_before, "{what}: nothing applied");
        assert_eq!(
            b.sync_cursor(case).unwrap(),
            seq,
            "{what}: the log moves on"
        );
        let refused = b.refused_changes().unwrap();
        let entry = refused.iter().find(|r| r.seq == seq).expect("reported");
        assert_eq!(entry.change_id, bad.change_id);
        assert!(entry.reason.contains(reason), "{what}: {}", entry.reason);
    }
    // The genuine change still applies.
    let report = b
        .apply_pulled(
            case,
            &[Logged {
                seq: seq + 1,
                ..genuine
            }],
        )
        .unwrap();
    assert_eq!((report.applied, report.refused), (1, 0));
    assert_eq!(b.refused_changes().unwrap().len(), 5);
}

#[test]
fn changes_wait_in_order_for_their_key_and_apply_when_it_arrives() {
    let (a_dir, b_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut a, mut b) = (new_store(a_dir.path()), new_store(b_dir.path()));
    let case = person(&mut a, "Wren Example");
    note(&mut a, case, "first");
    let first = page(&mut a, case, 1, 0);
    let report = b.apply_pulled(case, &first).unwrap();
    assert_eq!(
        (report.awaiting_key, report.applied),
        (first.len() as u64, 0)
    );
    assert!(b.person(case).is_err(), "nothing readable without the key");
    // A later page waits behind the first, even once the key is here, until
    // the waiting ones are applied: order is kept.
    note(&mut a, case, "second");
    let second = page(&mut a, case, first.len() as i64 + 1, first.len());
    b.apply_pulled(case, &second).unwrap();
    assert_eq!(
        b.awaiting_key().unwrap(),
        (first.len() + second.len()) as i64
    );
    // A key sealed to someone else does not open here.
    let (c_dir, _) = (tempfile::tempdir().unwrap(), ());
    let mut c = new_store(c_dir.path());
    let to_c = share_case_keys(&mut a, &mut c, &[case]);
    assert_eq!(to_c.keys, 1);
    let stolen = c.seal_case_keys(&[need(&c, case, 1)]).unwrap();
    let wrong = b
        .receive_case_keys(&[relayed(1, stolen.keys[0].clone())])
        .unwrap();
    assert_eq!(
        (wrong.keys, wrong.refused),
        (0, 1),
        "signed for another recipient"
    );
    // Relabelled as if signed for B, it does not open here either.
    let mut unsigned = relayed(1, stolen.keys[0].clone());
    (unsigned.sender_identity, unsigned.signature) = (None, None);
    assert_eq!(b.receive_case_keys(&[unsigned]).unwrap().refused, 1);
    assert_eq!(
        b.awaiting_key().unwrap(),
        (first.len() + second.len()) as i64
    );
    // The right key: everything applies, in order.
    let got = share_case_keys(&mut a, &mut b, &[case]);
    assert_eq!(got.keys, 1);
    assert_eq!(got.applied.applied, (first.len() + second.len()) as u64);
    assert_eq!(b.awaiting_key().unwrap(), 0);
    assert_eq!(b.person(case).unwrap().full_name, "Wren Example");
    assert_eq!(notes(&b), 2);
    // B writes under the same key, and A reads it.
    let b_mark = b.outgoing(1000).unwrap().len();
    note(&mut b, case, "from b");
    let from_b = b.outgoing(1000).unwrap().remove(b_mark);
    let seq = first.len() + second.len() + 1;
    let logged = Logged {
        seq: seq as i64,
        change_id: from_b.envelope.change_id,
        received_ms: from_b.envelope.clock_ms,
        body: from_b.envelope.body,
    };
    assert!(a.open_logged(case, &logged).unwrap().is_some());
}

#[test]
fn the_first_key_held_for_an_epoch_stays() {
    let (a_dir, b_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut a, mut b) = (new_store(a_dir.path()), new_store(b_dir.path()));
    let case = person(&mut a, "Vera Example");
    a.outgoing(10).unwrap();
    // B made its own key for the same case id (as a forger would offer).
    let forged = person(&mut b, "Forged");
    b.outgoing(10).unwrap();
    let forged_key = b.case_key(forged).unwrap().unwrap();
    let sealed =
        waymark_crypto::seal_case_key(&a.public_key().unwrap(), case, &forged_key).unwrap();
    // Even from a confirmed colleague, properly signed.
    certify_pair(&mut a, &mut b);
    let mut keys = [waymark_protocol::SealedKey {
        log_id: case,
        epoch: 1,
        recipient_key: a.public_key().unwrap().0.to_vec(),
        sealed,
        sender_identity: None,
        signature: None,
    }];
    b.sign_sealed_keys(&mut keys).unwrap();
    let got = a.receive_case_keys(&[relayed(1, keys[0].clone())]).unwrap();
    assert_eq!((got.keys, got.refused), (0, 0), "not taken");
    assert_ne!(
        a.case_key(case).unwrap().unwrap().expose(),
        forged_key.expose(),
        "the key held stays"
    );
}

#[test]
fn attachments_leave_encrypted_resume_with_the_same_bytes_and_tampering_is_refused() {
    let (_a_dir, _b_dir, mut a, mut b, case, _) = pair();
    let mark = page(&mut a, case, 1, 0).len();
    let contents = format!("Letter from the refuge: {CANARY}")
        .repeat(200)
        .into_bytes();
    let id = a
        .add_attachment(case, "letter.txt", "text/plain", &contents)
        .unwrap();
    let pending = a.blobs_to_upload().unwrap();
    assert_eq!(pending.len(), 1);
    let waymark_core::sync::BlobUpload {
        attachment_id: pid,
        case_id: pcase,
        sealed_size: size,
        confirmed: done,
    } = pending[0];
    assert_eq!((pid, pcase, done), (id, case, 0));
    assert_eq!(
        size as usize,
        contents.len() + waymark_crypto::ENCRYPTION_OVERHEAD
    );
    let sent = a.blob_bytes(id, 0, size as usize).unwrap();
    assert!(!contains(&sent, CANARY.as_bytes()), "no plaintext leaves");
    // A resumed upload sends the same bytes as the first attempt.
    a.mark_uploaded(id, 1000).unwrap();
    assert_eq!(a.blobs_to_upload().unwrap()[0].confirmed, 1000);
    assert_eq!(a.blob_bytes(id, 1000, 50).unwrap(), sent[1000..1050]);
    a.mark_uploaded(id, size).unwrap();
    assert!(a.blobs_to_upload().unwrap().is_empty(), "done");

    // B learns of the attachment, then fetches its contents.
    let p = page(&mut a, case, mark as i64 + 1, mark);
    b.apply_pulled(case, &p).unwrap();
    assert_eq!(b.download_state(id).unwrap(), (case, 0, size));
    let mut tampered = sent.clone();
    tampered[100] ^= 0x20;
    let e = b.append_download(id, 0, &tampered).unwrap_err();
    assert!(e.to_string().contains("failed authentication"), "{e}");
    assert!(!b.attachment_on_device(id).unwrap(), "nothing kept");
    assert_eq!(
        b.download_state(id).unwrap().1,
        0,
        "the download starts again"
    );
    assert!(!b.append_download(id, 0, &sent[..700]).unwrap());
    assert!(b.append_download(id, 700, &sent[700..]).unwrap());
    assert_eq!(b.open_attachment(id).unwrap().1, contents);
    assert!(b.blobs_to_upload().unwrap().is_empty(), "not sent back");
}

/// Erasing a case on a device takes every trace of it that the store holds
/// (with a plan, ratings, a referral, a flag, an attachment, an amended note
/// and a draft), and leaves other cases alone.
#[test]
fn erasing_a_case_leaves_nothing_of_it_in_the_store() {
    use chrono::Utc;
    use waymark_core::api::{NewGoal, NewPlanAction, NewReferral};
    use waymark_core::domain::{Agency, FlagKind, NeedArea};
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = person(&mut s, &format!("Erin {CANARY}"));
    let other = person(&mut s, "Kit Example");
    let n = note(&mut s, case, &format!("visit {CANARY}"));
    s.amend_note(n, &format!("amended {CANARY}"), "typo")
        .unwrap();
    note(&mut s, other, "the other case's note");
    let goal = s
        .add_goal(NewGoal {
            case_id: case,
            need_area: NeedArea::Housing,
            description: "Find a flat".into(),
            review_on: None,
        })
        .unwrap();
    s.add_plan_action(NewPlanAction {
        goal_id: goal,
        description: "Call the council".into(),
        owner: "worker".into(),
        due_on: None,
    })
    .unwrap();
    s.rate_goal(goal, 4, Utc::now().date_naive(), None).unwrap();
    s.add_referral(NewReferral {
        case_id: case,
        agency: Agency::Marac,
        reason: "high risk".into(),
        made_on: None,
        assessment_id: None,
        consent_topic: None,
    })
    .unwrap();
    s.raise_flag(case, FlagKind::Stalking, Some("at the school".into()))
        .unwrap();
    s.add_attachment(case, "letter.txt", "text/plain", CANARY.as_bytes())
        .unwrap();
    s.save_note_draft(
        case,
        &waymark_core::local::NoteDraft {
            body: format!("draft {CANARY}"),
            contact_type: None,
            duration_minutes: None,
            location: None,
            saved_at: None,
        },
    )
    .unwrap();
    s.outgoing(1000).unwrap();
    assert!(s.case_key(case).unwrap().is_some());

    assert_eq!(s.erase_cases(&[case, Uuid::new_v4()]).unwrap(), 1);
    let c = s.connection();
    let tables: Vec<(String, String)> = c
        .prepare(
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
                  WHERE m.type = 'table' AND p.name IN ('case_id', 'log_id')",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(tables.len() > 15, "{tables:?}");
    for (table, column) in &tables {
        if table == "audit_log" || table == "dropped_cases" {
            // Ids and actions only: the erasure itself, and that this
            // device's own changes of the case are not here any more.
            continue;
        }
        let left: i64 = c
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE {column} = ?1"),
                [case.to_string()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0, "{table} still holds the erased case");
    }
    for table in ["persons", "attachment_blobs", "shadow_heads"] {
        let left: i64 = c
            .query_row(
                &format!(
                    "SELECT count(*) FROM {table} WHERE {} = ?1",
                    if table == "persons" {
                        "id"
                    } else if table == "shadow_heads" {
                        "record_id"
                    } else {
                        "attachment_id"
                    }
                ),
                [case.to_string()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0, "{table}");
    }
    assert!(
        s.search(CANARY, 10).unwrap().is_empty(),
        "gone from the search index"
    );
    assert!(s.search("Erin", 10).unwrap().is_empty());
    assert!(s.case_key(case).unwrap().is_none(), "its key is gone");
    assert!(s.person(case).is_err());
    assert_eq!(s.person(other).unwrap().full_name, "Kit Example");
    assert_eq!(s.search("other", 10).unwrap().len(), 1);
    let audit = s.audit_trail(Some(case), 5).unwrap();
    assert_eq!(audit[0].action, "erase");

    // Read as an examiner with the store key reads the file: every page
    // decrypted, free pages and the search index's segments included.
    let key = s.store_key_for_forensics();
    let db = s.store_dir().join("waymark.db");
    let wal = s.store_dir().join("waymark.db-wal");
    s.lock();
    assert!(
        std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
        "the journal is emptied"
    );
    use waymark_testkit::forensics::{any_page_holds, decrypted_pages};
    let pages = decrypted_pages(&db, &key);
    assert!(
        any_page_holds(&pages, b"the other case's note"),
        "the pages decrypt: what was kept is there"
    );
    for needle in [CANARY, "7f3a", "Erin", "at the school"] {
        assert!(
            !any_page_holds(&pages, needle.as_bytes()),
            "{needle:?} is still in a page"
        );
    }
}

/// A large pull is opened on several cores before it is applied; what it
/// applies, refuses and holds for a key is exactly what opening each change
/// in turn gives, the order behind a missing key included; and so it is when
/// the pull applies in turns (as a sync does).
#[test]
fn a_large_pull_opened_on_every_core_applies_as_one_change_at_a_time() {
    use waymark_core::sync::PulledPage;
    let a_dir = tempfile::tempdir().unwrap();
    let mut a = new_store(a_dir.path());
    let case = person(&mut a, "Vera Example");
    for i in 0..700 {
        note(&mut a, case, &format!("visit {i}"));
    }
    let keyless = person(&mut a, "Una Example");
    note(&mut a, keyless, "its key never arrives");
    // A log whose first change names a key this device never gets: the
    // rest, under a key it holds, must wait behind it.
    let held = person(&mut a, "Tess Example");
    for i in 0..3 {
        note(&mut a, held, &format!("held {i}"));
    }
    let mut case_page = page(&mut a, case, 1, 0);
    let keyless_page = page(&mut a, keyless, 1, 0);
    let mut held_page = page(&mut a, held, 1, 0);
    let plain = serde_json::to_vec(&a.open_logged(held, &held_page[0]).unwrap().unwrap()).unwrap();
    held_page[0].body = waymark_crypto::encrypt_change(
        &waymark_crypto::CaseKey::generate(2),
        held,
        held_page[0].change_id,
        &plain,
    );
    assert!(
        case_page.len() + keyless_page.len() >= 512,
        "the parallel path"
    );
    for at in [15, 300, 650] {
        let last = case_page[at].body.len() - 1;
        case_page[at].body[last] ^= 1;
    }

    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let [mut all, mut one, mut turns] = [0, 1, 2].map(|i| new_store(dirs[i].path()));
    let pages = [
        PulledPage {
            log_id: case,
            changes: &case_page,
            head: None,
        },
        PulledPage {
            log_id: keyless,
            changes: &keyless_page,
            head: None,
        },
        PulledPage {
            log_id: held,
            changes: &held_page,
            head: None,
        },
    ];
    for store in [&mut all, &mut one, &mut turns] {
        share_case_keys(&mut a, store, &[case, held]);
        // Each already holds the first changes: the large pull starts
        // with changes it skips.
        store.apply_pulled(case, &case_page[..10]).unwrap();
    }
    let together = all.apply_pulled_pages(&pages).unwrap();
    // Turns of 97 changes, as a sync applies a page (a tampered change in
    // the first, the fourth and the seventh; the held log's key missing in
    // the last).
    let mut rest = pages.to_vec();
    let mut in_turns = waymark_core::sync::ApplyReport::default();
    let mut turns_taken = 0;
    while !rest.is_empty() {
        let (turn, after) = PulledPage::first_turn(&rest, 97);
        let (report, taken) = turns.apply_pulled_turn(&turn).unwrap();
        rest = PulledPage::rest_after(&turn, &after, taken);
        in_turns.add(&report);
        turns_taken += 1;
    }
    assert!(turns_taken >= 7, "{turns_taken} turns");
    assert_eq!(
        (in_turns.applied, in_turns.refused, in_turns.awaiting_key),
        (together.applied, together.refused, together.awaiting_key)
    );
    let (mut applied, mut refused, mut awaiting) = (0, 0, 0);
    for (log, changes) in [
        (case, &case_page[10..]),
        (keyless, &keyless_page[..]),
        (held, &held_page[..]),
    ] {
        for logged in changes {
            let r = one.apply_pulled(log, std::slice::from_ref(logged)).unwrap();
            (applied, refused, awaiting) = (
                applied + r.applied,
                refused + r.refused,
                awaiting + r.awaiting_key,
            );
        }
    }
    assert_eq!(
        (together.applied, together.refused, together.awaiting_key),
        (applied, refused, awaiting)
    );
    assert_eq!(together.refused, 3);
    assert_eq!(
        together.awaiting_key,
        (keyless_page.len() + held_page.len()) as u64
    );
    assert_eq!(notes(&all), 697);
    assert_eq!(notes(&all), notes(&one));
    assert_eq!(notes(&turns), notes(&one));
    // The same changes refused for the same reasons (not at the same time).
    let refused = |s: &Session| {
        s.refused_changes()
            .unwrap()
            .into_iter()
            .map(|r| (r.log_id, r.seq, r.change_id, r.reason, r.bytes))
            .collect::<Vec<_>>()
    };
    assert_eq!(refused(&all), refused(&one));
    assert_eq!(refused(&turns), refused(&one));
    assert_eq!(all.awaiting_key().unwrap(), one.awaiting_key().unwrap());
    assert_eq!(turns.awaiting_key().unwrap(), one.awaiting_key().unwrap());
    for log in [case, keyless, held] {
        assert_eq!(
            turns.sync_cursor(log).unwrap(),
            one.sync_cursor(log).unwrap()
        );
    }
}

/// A key sealed by a colleague no admin has confirmed yet is held aside,
/// not opened; once the colleague is confirmed, the next check keeps it and
/// the changes that waited for it apply. A key planted unsigned for a new
/// epoch never is.
#[test]
fn a_key_from_an_unconfirmed_sealer_waits_until_they_are_confirmed() {
    let (a_dir, b_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut a, mut b) = (new_store(a_dir.path()), new_store(b_dir.path()));
    let case = person(&mut a, "Nell Example");
    let changes = page(&mut a, case, 1, 0);
    b.apply_pulled(case, &changes).unwrap();
    assert!(b.awaiting_key().unwrap() > 0);
    // A seals to B (A has B's certificate), but B's device has not yet
    // seen A's.
    certify_pair(&mut a, &mut b);
    let only_b = certificates_of(&[&b]);
    b.accept_trust(TEST_ORG, &only_b).unwrap();
    let sealed = a.seal_case_keys(&[need(&b, case, 0)]).unwrap().keys;
    let got = b
        .receive_case_keys(&[relayed(1, sealed[0].clone())])
        .unwrap();
    assert_eq!((got.keys, got.refused), (0, 1));
    assert_eq!(b.refused_keys().unwrap().len(), 1);
    assert!(b.person(case).is_err(), "nothing opened");
    assert_eq!(
        b.recheck_refused_keys().unwrap().keys,
        0,
        "still unconfirmed"
    );
    // A's confirmation reaches B: the held key is kept and applies.
    certify_pair(&mut a, &mut b);
    let later = b.recheck_refused_keys().unwrap();
    assert_eq!((later.keys, later.refused), (1, 0));
    assert!(later.applied.applied > 0);
    assert_eq!(b.refused_keys().unwrap(), vec![]);
    assert_eq!(b.person(case).unwrap().full_name, "Nell Example");

    // The server plants an unsigned epoch-2 key of its own: never kept, so
    // B goes on writing under epoch 1.
    let planted = waymark_crypto::CaseKey::generate(2);
    let bytes = waymark_crypto::seal_case_key(&b.public_key().unwrap(), case, &planted).unwrap();
    let got = b
        .receive_case_keys(&[waymark_protocol::MyKey {
            id: 2,
            log_id: case,
            epoch: 2,
            sealed: bytes,
            sender_identity: None,
            signature: None,
        }])
        .unwrap();
    assert_eq!((got.keys, got.refused), (0, 1));
    assert_eq!(b.case_key(case).unwrap().unwrap().epoch, 1);
}
