//! The known ways sync engines lose data, as regression tests of the device
//! side (the server side has its own).

use uuid::Uuid;
use waymark_core::sync::{ChangeBody, Logged};
use waymark_core::{Error, Session};
use waymark_testkit::device::*;

fn logged_from(outgoing: &[waymark_core::sync::Outgoing], first_seq: i64) -> Vec<Logged> {
    outgoing
        .iter()
        .enumerate()
        .map(|(i, o)| Logged {
            seq: first_seq + i as i64,
            change_id: o.envelope.change_id,
            received_ms: o.envelope.clock_ms,
            body: o.envelope.body.clone(),
        })
        .collect()
}

/// Two stores, B having applied everything A wrote so far.
fn pair() -> (tempfile::TempDir, tempfile::TempDir, Session, Session, Uuid) {
    let (a_dir, b_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut a, mut b) = (new_store(a_dir.path()), new_store(b_dir.path()));
    let case = person(&mut a, "Zara Example");
    let out: Vec<_> = a
        .outgoing(1000)
        .unwrap()
        .into_iter()
        .filter(|o| o.envelope.log_id == case)
        .collect();
    share_case_keys(&mut a, &mut b, &[case]);
    let page = logged_from(&out, 1);
    b.apply_pulled(case, &page).unwrap();
    (a_dir, b_dir, a, b, case)
}

#[test]
fn a_change_from_a_newer_schema_is_held_not_lost_and_applies_after_upgrade() {
    let (_a_dir, b_dir, mut a, mut b, case) = pair();
    let before = a.outgoing(1000).unwrap().len();
    let note_id = note(&mut a, case, "written by a newer build");
    let out = a.outgoing(1000).unwrap();
    let mut body: ChangeBody = a
        .open_logged(case, &logged_from(&out[before..], 2)[0])
        .unwrap()
        .unwrap();
    assert_eq!(body.record_id, note_id);
    body.schema_version = 99;
    let page = vec![Logged {
        seq: 2,
        change_id: body.change_id,
        received_ms: chrono::Utc::now().timestamp_millis(),
        body: sealed(&a, case, &body),
    }];
    let report = b.apply_pulled(case, &page).unwrap();
    assert_eq!((report.applied, report.held_for_upgrade), (0, 1));
    assert_eq!(b.held_for_upgrade().unwrap(), 1);
    assert_eq!(
        b.sync_cursor(case).unwrap(),
        2,
        "the log moves on; the change waits"
    );
    assert!(
        b.note_history(note_id).is_err(),
        "not applied by a build that cannot read it"
    );
    // Stand in for the upgrade: a build whose schema is 99 would read it; here
    // the held change is rewritten to this build's version, as that build sees it.
    b.connection()
        .execute("UPDATE pending_remote SET schema_version = 4, change = json_set(change, '$.schema_version', 4)", [])
        .unwrap();
    drop(b);
    let b = Session::unlock(b_dir.path(), None, &pass()).unwrap();
    assert_eq!(
        b.note_history(note_id).unwrap().current_body,
        "written by a newer build"
    );
    assert_eq!(b.held_for_upgrade().unwrap(), 0);
}

#[test]
fn a_page_that_fails_part_way_applies_nothing_and_keeps_the_cursor() {
    let (_a_dir, _b_dir, mut a, mut b, case) = pair();
    let before = a.outgoing(1000).unwrap().len();
    let first = note(&mut a, case, "first of the page");
    note(&mut a, case, "second of the page");
    let out = a.outgoing(1000).unwrap();
    let mut page = logged_from(&out[before..], 2);
    // The second change leaves a gap in the log: the page cannot apply.
    // (A change that breaks a rule is refused and the log moves on; see
    // tests/arrival.rs. A gap is the server's fault, and stops the page.)
    page[1].seq += 5;
    let cursor = b.sync_cursor(case).unwrap();
    let e = b.apply_pulled(case, &page).unwrap_err();
    assert!(matches!(e, Error::Storage(_)), "{e}");
    assert!(e.to_string().contains("skips from seq"), "{e}");
    assert_eq!(
        b.sync_cursor(case).unwrap(),
        cursor,
        "cursor saved only with the changes it covers"
    );
    assert!(
        b.note_history(first).is_err(),
        "the good change before the bad one was rolled back too"
    );
    // The repaired page applies in full, once.
    let page = logged_from(&out[before..], 2);
    b.apply_pulled(case, &page).unwrap();
    b.apply_pulled(case, &page).unwrap();
    assert_eq!(
        b.note_history(first).unwrap().current_body,
        "first of the page"
    );
    let notes: i64 = b
        .connection()
        .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(notes, 2);
}

#[test]
fn two_devices_removing_the_same_record_agree_and_nothing_comes_back() {
    let (_a_dir, _b_dir, mut a, mut b, case) = pair();
    let before = a.outgoing(1000).unwrap().len();
    let attachment = a
        .add_attachment(case, "wrong.pdf", "application/pdf", b"%PDF wrong person")
        .unwrap();
    let out = a.outgoing(1000).unwrap();
    b.apply_pulled(case, &logged_from(&out[before..], 2))
        .unwrap();
    assert_eq!(b.attachments(case).unwrap().len(), 1);
    let b_before = b.outgoing(1000).unwrap().len();
    a.remove_attachment(attachment).unwrap();
    b.remove_attachment(attachment).unwrap();
    // Each receives the other's removal.
    let a_out = a.outgoing(1000).unwrap();
    let b_out = b.outgoing(1000).unwrap();
    let seq = b.sync_cursor(case).unwrap() + 1;
    b.apply_pulled(case, &logged_from(&a_out[a_out.len() - 1..], seq))
        .unwrap();
    let seq = a.sync_cursor(case).unwrap() + 1;
    let b_removal = logged_from(&b_out[b_before..], seq);
    a.apply_pulled(case, &b_removal).unwrap();
    for s in [&a, &b] {
        assert!(s.attachments(case).unwrap().is_empty());
        let blobs: i64 = s
            .connection()
            .query_row("SELECT count(*) FROM attachment_blobs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(blobs, 0, "the contents are gone on both");
    }
    // The creation arriving again at a later seq (re-pushed to a server
    // restored from a backup) must not resurrect it.
    let seq = a.sync_cursor(case).unwrap() + 1;
    let replay = logged_from(&out[before..], seq);
    let last = replay.last().unwrap().seq;
    a.apply_pulled(case, &replay).unwrap();
    assert_eq!(a.sync_cursor(case).unwrap(), last);
    assert!(a.attachments(case).unwrap().is_empty());
    // And on B, for whom it is another device's change.
    let seq = b.sync_cursor(case).unwrap() + 1;
    let replay = logged_from(&out[before..], seq);
    let last = replay.last().unwrap().seq;
    let report = b.apply_pulled(case, &replay).unwrap();
    assert!(report.applied > 0, "{report:?}");
    assert_eq!(b.sync_cursor(case).unwrap(), last);
    assert!(b.attachments(case).unwrap().is_empty());
}

/// The review screen's choice: both sides with when and which device, and
/// keeping "the other" value settles it the same way on both devices.
#[test]
fn a_conflict_settled_by_the_value_picked_on_screen_agrees_everywhere() {
    use waymark_core::api::NewReferral;
    use waymark_core::domain::{Agency, ReferralStatus};
    use waymark_core::sync::Keep;
    let (_a_dir, _b_dir, mut a, mut b, case) = pair();
    let exchange = |from: &mut Session, to: &mut Session, since: usize| {
        let out = from.outgoing(1000).unwrap();
        let seq = to.sync_cursor(case).unwrap() + 1;
        to.apply_pulled(case, &logged_from(&out[since..], seq))
            .unwrap();
    };
    let a_before = a.outgoing(1000).unwrap().len();
    let referral = a
        .add_referral(NewReferral {
            case_id: case,
            agency: Agency::Marac,
            reason: "high risk".into(),
            made_on: None,
            assessment_id: None,
            consent_topic: None,
        })
        .unwrap();
    exchange(&mut a, &mut b, a_before);
    let (a_mark, b_mark) = (
        a.outgoing(1000).unwrap().len(),
        b.outgoing(1000).unwrap().len(),
    );
    a.update_referral(referral, ReferralStatus::Accepted, None)
        .unwrap();
    b.update_referral(referral, ReferralStatus::Declined, None)
        .unwrap();
    exchange(&mut a, &mut b, a_mark);
    exchange(&mut b, &mut a, b_mark);

    let views = a.conflict_views(false).unwrap();
    assert_eq!(views.len(), 1, "{views:?}");
    let v = &views[0];
    assert_eq!(v.case_name.as_deref(), Some("Zara Example"));
    assert_ne!(v.kept.by_this_device, v.other.by_this_device);
    assert!(v.kept.written_at.is_some() && v.other.written_at.is_some());
    let other = v.conflict.lost_value.clone();

    let a_mark = a.outgoing(1000).unwrap().len();
    a.resolve_conflict(v.conflict.id, Keep::Other).unwrap();
    let shown = |s: &Session| serde_json::to_value(s.referrals(case).unwrap()[0].status).unwrap();
    assert_eq!(shown(&a), other);
    assert!(a.conflict_views(false).unwrap().is_empty());
    exchange(&mut a, &mut b, a_mark);
    assert_eq!(shown(&b), other, "both devices keep the value picked");
    assert!(b.conflict_views(false).unwrap().is_empty());
}
