//! Arrivals checked like local writes. The attacker here holds the case key
//! (a member of the case, or anyone a server let in), so every forged change
//! opens; what stops it is the receiving device holding it to the rules a
//! local write obeys. Each forgery is refused, kept as it came, reported, and
//! the log carries on; the organisation's log takes organisation records
//! only.

use serde_json::json;
use uuid::Uuid;
use waymark_core::change::Op;
use waymark_core::domain::FlagKind;
use waymark_core::sync::{ChangeBody, Logged, ORG_LOG};
use waymark_testkit::device::*;

/// A forged operation, written as the wire has it.
fn op(payload: serde_json::Value) -> Op {
    serde_json::from_value(payload).expect("an operation")
}

/// The fields a forged put writes.
fn put_fields(b: &mut ChangeBody) -> &mut serde_json::Map<String, serde_json::Value> {
    match &mut b.payload {
        Op::Put { fields, .. } => fields,
        other => panic!("not a put: {other:?}"),
    }
}
use waymark_core::Session;

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// What the receiving device shows of a case: enough to see any forgery.
fn view(s: &Session, case: Uuid) -> serde_json::Value {
    let mut v =
        serde_json::to_value(waymark_core::queries::export_case(s.connection(), case).unwrap())
            .unwrap();
    v.as_object_mut().unwrap().remove("exported_at");
    v
}

struct World {
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    a: Session,
    b: Session,
    case: Uuid,
    other: Uuid,
    note: Uuid,
    note_of_other: Uuid,
    flag: Uuid,
    /// Every change A wrote, opened, to forge from.
    bodies: Vec<ChangeBody>,
}

/// A writes two cases (a person, a note and a flag in one); B has applied
/// all of it. Both cases' keys are in the attacker's hands (A's store).
fn world() -> World {
    let dirs = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut a, mut b) = (new_store(dirs.0.path()), new_store(dirs.1.path()));
    let case = person(&mut a, "Zara Example");
    let other = person(&mut a, "Yolanda Example");
    let note = note(&mut a, case, "Met at the van");
    let note_of_other = waymark_testkit::device::note(&mut a, other, "Phoned her sister");
    let flag = a
        .raise_flag(case, FlagKind::RefugeAddress, Some("in refuge".into()))
        .unwrap();
    // The organisation confirmed A as an admin and B as a worker: A's
    // signed changes are a colleague's, and A may publish a template.
    let relayed = certificates_with_roles(&[
        (&a, waymark_protocol::Role::Admin),
        (&b, waymark_protocol::Role::Worker),
    ]);
    for s in [&mut a, &mut b] {
        assert!(s.accept_trust(TEST_ORG, &relayed).unwrap().is_empty());
    }
    let mut local = waymark_core::assessment::builtin_templates().remove(0);
    local.key = "local-checklist".into();
    a.import_template(&serde_json::to_string(&local).unwrap())
        .unwrap();
    let mut bodies = Vec::new();
    for log in [ORG_LOG, case, other] {
        let page = page(&mut a, log, 1, 0);
        if log != ORG_LOG {
            hand_case_keys(&mut a, &mut b, &[log]);
        }
        let report = b.apply_pulled(log, &page).unwrap();
        assert_eq!(report.refused, 0, "genuine changes apply: {report:?}");
        for l in &page {
            bodies.push(a.open_logged(log, l).unwrap().unwrap());
        }
    }
    World {
        _dirs: dirs,
        a,
        b,
        case,
        other,
        note,
        note_of_other,
        flag,
        bodies,
    }
}

impl World {
    /// A template's id, from A's organisation log.
    fn template(&self) -> Uuid {
        self.bodies
            .iter()
            .find(|b| b.kind == "assessment_template")
            .map(|b| b.record_id)
            .expect("an imported template travels in the organisation's log")
    }

    fn body_of(&self, record: Uuid) -> ChangeBody {
        self.bodies
            .iter()
            .find(|b| b.record_id == record)
            .cloned()
            .unwrap()
    }

    /// A forged change made from `record`'s creation: a new id, a fresh
    /// clock, and whatever `edit` does.
    fn forge(&self, record: Uuid, edit: impl FnOnce(&mut ChangeBody)) -> ChangeBody {
        let mut body = self.body_of(record);
        body.change_id = Uuid::now_v7();
        let mut clock = body.clock;
        clock.clock.wall_ms = now_ms() as u64;
        body.clock = clock;
        edit(&mut body);
        body
    }

    /// Hands `body` to B as the next change of `log`; returns its seq.
    fn deliver(&mut self, log: Uuid, bytes: Vec<u8>, change_id: Uuid) -> (i64, u64, u64) {
        let seq = self.b.sync_cursor(log).unwrap() + 1;
        let report = self
            .b
            .apply_pulled(
                log,
                &[Logged {
                    seq,
                    change_id,
                    received_ms: now_ms(),
                    body: bytes,
                }],
            )
            .unwrap();
        assert_eq!(self.b.sync_cursor(log).unwrap(), seq, "the log moves on");
        (seq, report.applied, report.refused + report.misrouted)
    }

    /// Delivers a forged case change (sealed under the case key) and checks
    /// it was refused for `reason`, kept as it came, and changed nothing.
    fn refused(&mut self, what: &str, log: Uuid, body: ChangeBody, reason: &str) {
        let bytes = if log == ORG_LOG {
            self.a.signed_change(log, &body).unwrap()
        } else {
            sealed(&self.a, log, &body)
        };
        self.refused_bytes(what, log, bytes, body.change_id, reason);
    }

    /// Delivers `bytes` as change `change_id` of `log` and checks it was
    /// refused for `reason`, kept as it came, and changed nothing.
    fn refused_bytes(
        &mut self,
        what: &str,
        log: Uuid,
        bytes: Vec<u8>,
        change_id: Uuid,
        reason: &str,
    ) {
        let body_change_id = change_id;
        let before = (view(&self.b, self.case), view(&self.b, self.other));
        let (seq, applied, refused) = self.deliver(log, bytes.clone(), body_change_id);
        assert_eq!((applied, refused), (0, 1), "{what}");
        assert_eq!(
            (view(&self.b, self.case), view(&self.b, self.other)),
            before,
            "{what}: nothing changed"
        );
        let listed = self.b.refused_changes().unwrap();
        let entry = listed
            .iter()
            .find(|r| r.log_id == log && r.seq == seq)
            .unwrap_or_else(|| panic!("{what}: reported"));
        assert_eq!(entry.change_id, body_change_id);
        assert!(
            entry.reason.contains(reason),
            "{what}: {:?} should say {reason:?}",
            entry.reason
        );
        assert_eq!(
            self.b.refused_change_body(log, seq).unwrap(),
            Some(bytes),
            "{what}: kept as it came"
        );
    }
}

#[test]
fn a_members_forgeries_are_refused_kept_and_reported_and_the_log_carries_on() {
    let mut w = world();
    let (case, other, note, flag) = (w.case, w.other, w.note, w.flag);

    let rewrite = w.forge(note, |b| {
        b.payload = op(json!({"op": "put", "base_version": 1,
            "fields": {"body": "She said she made it all up"}, "prev": {}}));
    });
    w.refused("note rewrite", case, rewrite, "rewrites a saved note");

    let author = w.forge(note, |b| {
        b.payload = op(json!({"op": "put", "base_version": 1,
            "fields": {"author": Uuid::new_v4()}, "prev": {}}));
    });
    w.refused("note author", case, author, "rewrites a saved note");

    let removal = w.forge(note, |b| b.payload = op(json!({"op": "remove"})));
    w.refused("note removal", case, removal, "never removed");

    let flag_removal = w.forge(flag, |b| b.payload = op(json!({"op": "remove"})));
    w.refused("flag removal", case, flag_removal, "never removed");

    // A change in this case's log that reaches a note of another case.
    let note_of_other = w.note_of_other;
    let reach = w.forge(note_of_other, |b| {
        b.case_id = Some(case);
        b.payload = op(json!({"op": "put", "base_version": 1,
            "fields": {"location": "the refuge"}, "prev": {}}));
    });
    w.refused("reach into another case", case, reach, "of another case");

    // Moving the flag to another case.
    let moved = w.forge(flag, |b| {
        b.payload = op(json!({"op": "put", "base_version": 1,
            "fields": {"case_id": other}, "prev": {}}));
    });
    w.refused("move to another case", case, moved, "to another case");

    // A new flag in this case's log whose record says another case.
    let planted = w.forge(flag, |b| {
        b.record_id = Uuid::now_v7();
        put_fields(b).insert("case_id".into(), json!(other));
    });
    w.refused("create in another case", case, planted, "for another case");

    // A stamp a century ahead, to win every later edit of the person.
    let far = w.forge(case, |b| {
        let mut stamp = b.clock;
        stamp.clock.wall_ms += 100 * 365 * 86_400_000;
        b.clock = stamp;
        b.payload = op(json!({"op": "put", "base_version": 1,
            "fields": {"safe_contact": {"calls_safe": true}}, "prev": {}}));
    });
    w.refused(
        "far-future clock",
        case,
        far,
        "ahead of when the server received it",
    );

    let empty_name = w.forge(case, |b| {
        b.payload = op(json!({"op": "put", "base_version": 1,
            "fields": {"full_name": " "}, "prev": {}}));
    });
    w.refused(
        "empty name",
        case,
        empty_name,
        "full_name: must not be empty",
    );

    // A new note dated a year ahead: further than any fast laptop's clock.
    let dated = w.forge(note, |b| {
        b.record_id = Uuid::now_v7();
        let ahead = chrono::Utc::now() + chrono::Duration::days(365);
        put_fields(b).insert("occurred_at".into(), json!(ahead));
    });
    w.refused(
        "note dated a year ahead",
        case,
        dated,
        "occurred_at: is in the future",
    );

    let bad_kind = w.forge(flag, |b| {
        b.payload = op(json!({"op": "put", "base_version": 1,
            "fields": {"kind": "all_clear"}, "prev": {}}));
    });
    w.refused(
        "a flag kind that is none",
        case,
        bad_kind,
        "holds a value a flag cannot hold",
    );

    let unknown_field = w.forge(case, |b| {
        b.payload = op(json!({"op": "put", "base_version": 1,
            "fields": {"refuge_postcode": "AB1"}, "prev": {}}));
    });
    w.refused("unknown field", case, unknown_field, "names a field");

    let unknown_op = w.forge(case, |b| b.payload = op(json!({"op": "truncate"})));
    w.refused("unknown operation", case, unknown_op, "unknown operation");

    // Signatures. Whoever holds the case key can encrypt anything; what
    // they cannot do is sign as a confirmed person.
    let key = w.a.case_key(case).unwrap().unwrap();
    let seal = |change_id: Uuid, plain: &[u8]| {
        waymark_crypto::encrypt_change(&key, case, change_id, plain)
    };
    let safe = |b: &mut ChangeBody| {
        b.payload = op(json!({"op": "put", "base_version": 1, "prev": {},
            "fields": {"safe_contact": {"calls_safe": true, "instructions": "call any time"}}}));
    };
    let unsigned = w.forge(case, safe);
    let bytes = seal(unsigned.change_id, &serde_json::to_vec(&unsigned).unwrap());
    w.refused_bytes("unsigned", case, bytes, unsigned.change_id, "unsigned");
    // Signed by someone no admin confirmed (a server's own identity, or a
    // person not yet confirmed).
    let stranger_dir = tempfile::tempdir().unwrap();
    let stranger = new_store(stranger_dir.path());
    let by_stranger = w.forge(case, safe);
    let signed = stranger.signed_change(case, &by_stranger).unwrap();
    let bytes = seal(by_stranger.change_id, &signed);
    w.refused_bytes(
        "signed by a stranger",
        case,
        bytes,
        by_stranger.change_id,
        "no admin confirmed",
    );
    // A's genuine signature, replayed under another change id (the body
    // still names the old one), or for another log.
    let genuine = w.forge(case, safe);
    let signed = w.a.signed_change(case, &genuine).unwrap();
    let replayed_id = Uuid::now_v7();
    let bytes = seal(replayed_id, &signed);
    w.refused_bytes(
        "signature replayed under another id",
        case,
        bytes,
        replayed_id,
        "signature does not hold",
    );
    let signed_elsewhere = w.a.signed_change(other, &genuine).unwrap();
    let bytes = seal(genuine.change_id, &signed_elsewhere);
    w.refused_bytes(
        "signed for another log",
        case,
        bytes,
        genuine.change_id,
        "signature does not hold",
    );
    // A's signed bytes with one byte of the change altered.
    let mut altered = w.a.signed_change(case, &genuine).unwrap();
    let at = altered.len() - 3;
    altered[at] ^= 0x01;
    let bytes = seal(genuine.change_id, &altered);
    w.refused_bytes(
        "altered after signing",
        case,
        bytes,
        genuine.change_id,
        "signature does not hold",
    );

    let template = w.template();
    let in_case = w.forge(template, |b| b.case_id = Some(case));
    w.refused(
        "template in a case log",
        case,
        in_case,
        "belongs in the organisation's log",
    );

    // After all that, a genuine change of the case still applies.
    let before = page(&mut w.a, case, 1, 0).len();
    let mut p = w.a.person(case).unwrap();
    p.preferred_name = Some("Zee".into());
    w.a.update_person(p).unwrap();
    let genuine = page(&mut w.a, case, 1, before).remove(0);
    let (_, applied, refused) = w.deliver(case, genuine.body, genuine.change_id);
    assert_eq!((applied, refused), (1, 0));
    assert_eq!(
        w.b.person(case).unwrap().preferred_name.as_deref(),
        Some("Zee")
    );
    assert_eq!(w.b.refused_changes().unwrap().len(), 19);
    assert_eq!(w.b.refused_count().unwrap(), 19);
}

#[test]
fn the_organisations_log_takes_organisation_records_only_and_never_halts() {
    let mut w = world();
    let case = w.case;
    // The attack reproduced from outside: a plain change in the
    // organisation's log, naming no case, rewriting a person's safe contact.
    let forged = w.forge(case, |b| {
        b.case_id = None;
        b.payload = op(json!({"op": "put", "base_version": 1, "prev": {},
            "fields": {"safe_contact": {"calls_safe": true, "instructions": "call any time"}}}));
    });
    w.refused(
        "person in the org log",
        ORG_LOG,
        forged,
        "cannot travel in the organisation's log",
    );
    assert_eq!(w.b.person(case).unwrap().safe_contact.calls_safe, None);

    let note = w.note;
    let forged_note = w.forge(note, |b| {
        b.record_id = Uuid::now_v7();
        b.case_id = None;
    });
    w.refused(
        "a note in the org log",
        ORG_LOG,
        forged_note,
        "cannot travel",
    );

    // An organisation record that names a case.
    let template = w.template();
    let naming = w.forge(template, |b| b.case_id = Some(case));
    w.refused(
        "template naming a case",
        ORG_LOG,
        naming,
        "names another case",
    );

    // Bytes that are no change at all do not stop the log.
    let (seq, applied, refused) = w.deliver(ORG_LOG, b"\x00not json".to_vec(), Uuid::now_v7());
    assert_eq!((applied, refused), (0, 1));
    let listed = w.b.refused_changes().unwrap();
    let entry = listed
        .iter()
        .find(|r| r.log_id == ORG_LOG && r.seq == seq)
        .unwrap();
    assert!(entry.reason.contains("signed change"), "{}", entry.reason);
    // The attack as it was first made: a plain, unsigned change.
    let plain = w.forge(case, |b| {
        b.case_id = None;
        b.payload = op(json!({"op": "put", "base_version": 1, "prev": {},
            "fields": {"safe_contact": {"calls_safe": true}}}));
    });
    let bytes = serde_json::to_vec(&plain).unwrap();
    w.refused_bytes(
        "plain org-log change",
        ORG_LOG,
        bytes,
        plain.change_id,
        "unsigned",
    );

    // The organisation's own records still travel: a template A imports.
    let mut template = waymark_core::assessment::builtin_templates().remove(0);
    template.version += 1;
    template.name = format!("{} (revised)", template.name);
    let mark = page(&mut w.a, ORG_LOG, 1, 0).len();
    w.a.import_template(&serde_json::to_string(&template).unwrap())
        .unwrap();
    let genuine = page(&mut w.a, ORG_LOG, 1, mark).remove(0);
    let (_, applied, refused) = w.deliver(ORG_LOG, genuine.body, genuine.change_id);
    assert_eq!((applied, refused), (1, 0));

    // A worker may not: their device refuses, and a worker's signed
    // template (or a shipped one, which no device sends) is refused by all.
    let mut next = template.clone();
    next.version += 1;
    let json = serde_json::to_string(&next).unwrap();
    assert!(matches!(
        w.b.import_template(&json),
        Err(waymark_core::Error::Invalid { field, problem, .. })
            if field == "template" && problem.contains("only an admin")
    ));
    let by_worker = w.forge(w.template(), |b| {
        b.record_id = Uuid::now_v7();
        put_fields(b).insert("template_version".into(), json!(99));
    });
    let bytes = w.b.signed_change(ORG_LOG, &by_worker).unwrap();
    let (seq, applied, refused) = w.deliver(ORG_LOG, bytes, by_worker.change_id);
    assert_eq!((applied, refused), (0, 1));
    let listed = w.b.refused_changes().unwrap();
    let entry = listed.iter().find(|r| r.log_id == ORG_LOG && r.seq == seq);
    assert!(entry.unwrap().reason.contains("not signed by an admin"));
    assert!(w
        .b
        .outgoing(100)
        .unwrap()
        .iter()
        .all(|o| o.envelope.log_id != ORG_LOG));
}

/// Programmes are organisation data: an admin's reaches every device; a
/// worker's own device will not write one, and a worker's signed programme
/// (a retirement here, which would drop a programme from every new episode)
/// is refused by every device that receives it.
#[test]
fn a_programme_is_an_admins_to_add_and_every_device_takes_only_theirs() {
    use waymark_core::api::NewProgramme;
    use waymark_core::domain::ProgrammeKind;
    let mut w = world();
    let mark = page(&mut w.a, ORG_LOG, 1, 0).len();
    let diversion =
        w.a.add_programme(NewProgramme {
            name: " Diversion scheme ".into(),
            kind: ProgrammeKind::Diversion,
            planned_weeks: Some(16),
            outcome_areas: vec!["Housing".into(), "Wellbeing".into()],
            follow_up_months: vec![6, 12],
        })
        .unwrap();
    assert_eq!(diversion.name, "Diversion scheme");
    let genuine = page(&mut w.a, ORG_LOG, 1, mark).remove(0);
    let body = w.a.open_logged(ORG_LOG, &genuine).unwrap().unwrap();
    let (_, applied, refused) = w.deliver(ORG_LOG, genuine.body, genuine.change_id);
    assert_eq!((applied, refused), (1, 0));
    assert_eq!(w.b.programmes().unwrap(), vec![diversion.clone()]);

    let by_worker = NewProgramme {
        name: "Outreach".into(),
        kind: ProgrammeKind::Outreach,
        planned_weeks: None,
        outcome_areas: vec![],
        follow_up_months: vec![],
    };
    assert!(matches!(
        w.b.add_programme(by_worker),
        Err(waymark_core::Error::Invalid { field, problem, .. })
            if field == "programme" && problem.contains("only an admin")
    ));
    assert!(w.b.retire_programme("diversion SCHEME").is_err());

    let mut retired = body.clone();
    retired.change_id = Uuid::now_v7();
    retired.clock.clock.wall_ms = now_ms() as u64;
    retired.payload = op(json!({"op": "put", "base_version": 1,
        "prev": {}, "fields": {"retired": true}}));
    let bytes = w.b.signed_change(ORG_LOG, &retired).unwrap();
    let (seq, applied, refused) = w.deliver(ORG_LOG, bytes, retired.change_id);
    assert_eq!((applied, refused), (0, 1));
    let listed = w.b.refused_changes().unwrap();
    let entry = listed.iter().find(|r| r.log_id == ORG_LOG && r.seq == seq);
    assert!(entry.unwrap().reason.contains("not signed by an admin"));
    assert!(
        !w.b.programmes().unwrap()[0].retired,
        "still open to new episodes"
    );
}

/// Stage moves are append-only like notes: a member who holds the case key
/// cannot rewrite or remove one, nor forge one back to "referred". An
/// episode written before episodes named a programme (no `programme_id`,
/// no `route`) still arrives; a creation lacking any other field does not.
#[test]
fn a_stage_move_is_never_rewritten_and_an_older_episode_still_arrives() {
    use waymark_core::api::NewEpisode;
    use waymark_core::domain::{ReferralSource, Stage};
    let mut w = world();
    let case = w.case;
    let mark = page(&mut w.a, case, 1, 0).len();
    let opened = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let episode =
        w.a.add_episode(NewEpisode {
            case_id: case,
            referral_source: ReferralSource::Police,
            programme: "Diversion".into(),
            keyworker: "amina".into(),
            opened_on: opened,
            route: None,
        })
        .unwrap();
    let engaged =
        w.a.move_stage(episode, Stage::Engaged, opened + chrono::Days::new(3))
            .unwrap();
    let fresh = page(&mut w.a, case, 1, mark);
    let bodies: Vec<ChangeBody> = fresh
        .iter()
        .map(|l| w.a.open_logged(case, l).unwrap().unwrap())
        .collect();
    let find = |id: Uuid| bodies.iter().find(|b| b.record_id == id).cloned().unwrap();
    let (mut episode_body, move_body) = (find(episode), find(engaged.id));

    // The episode as an older device wrote it: without the later fields.
    for field in ["programme_id", "route"] {
        put_fields(&mut episode_body).remove(field);
    }
    let bytes = sealed(&w.a, case, &episode_body);
    let (_, applied, refused) = w.deliver(case, bytes, episode_body.change_id);
    assert_eq!((applied, refused), (1, 0), "an older episode arrives");
    let bytes = sealed(&w.a, case, &move_body);
    let (_, applied, refused) = w.deliver(case, bytes, move_body.change_id);
    assert_eq!((applied, refused), (1, 0));
    let seen = w.b.open_case(case).unwrap();
    assert_eq!(seen.episodes[0].programme_id, None);
    assert_eq!(seen.stage_moves, vec![engaged.clone()]);

    w.bodies.push(move_body.clone());
    w.bodies.push(episode_body);
    let rewrite = w.forge(engaged.id, |b| {
        b.payload = op(json!({"op": "put", "base_version": 1,
            "fields": {"stage": "completed"}, "prev": {}}));
    });
    w.refused(
        "stage rewrite",
        case,
        rewrite,
        "rewrites a saved stage_move",
    );
    let removal = w.forge(engaged.id, |b| b.payload = op(json!({"op": "remove"})));
    w.refused("stage removal", case, removal, "never removed");
    let back = w.forge(engaged.id, |b| {
        b.record_id = Uuid::now_v7();
        put_fields(b).insert("stage".into(), json!("referred"));
    });
    w.refused(
        "a move back to referred",
        case,
        back,
        "stage: every episode starts referred",
    );
    let lacking = w.forge(episode, |b| {
        b.record_id = Uuid::now_v7();
        put_fields(b).remove("keyworker");
    });
    w.refused(
        "an episode lacking a field",
        case,
        lacking,
        "not its creation",
    );
}

/// Status records and support given are append-only too; a status naming a
/// state its area does not have, or equality answers off the list, are
/// refused on arrival as they are locally.
#[test]
fn outcomes_arrive_only_as_a_local_write_would_make_them() {
    use waymark_core::api::{NewStatus, NewSupport};
    use waymark_core::domain::{EqualityQuestion, StatusArea, StatusPoint, SupportKind};
    let mut w = world();
    let case = w.case;
    let mark = page(&mut w.a, case, 1, 0).len();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let status =
        w.a.record_status(NewStatus {
            case_id: case,
            area: StatusArea::Accommodation,
            value: "refuge".into(),
            point: StatusPoint::Start,
            recorded_on: day,
        })
        .unwrap();
    let support =
        w.a.give_support(NewSupport {
            case_id: case,
            kind: SupportKind::Phone,
            given_on: day,
            amount_pence: None,
            note: None,
        })
        .unwrap();
    let equality =
        w.a.set_equality(case, &[(EqualityQuestion::Sex, Some("female".into()))])
            .unwrap();
    for l in page(&mut w.a, case, 1, mark) {
        let body = w.a.open_logged(case, &l).unwrap().unwrap();
        let (_, applied, refused) = w.deliver(case, l.body, l.change_id);
        assert_eq!((applied, refused), (1, 0));
        w.bodies.push(body);
    }
    let rewrite = w.forge(status.id, |b| {
        b.payload = op(json!({"op": "put", "base_version": 1,
            "fields": {"value": "settled"}, "prev": {}}));
    });
    w.refused(
        "status rewrite",
        case,
        rewrite,
        "rewrites a saved status_record",
    );
    let removal = w.forge(support.id, |b| b.payload = op(json!({"op": "remove"})));
    w.refused("support removal", case, removal, "never removed");
    let off_the_list = w.forge(status.id, |b| {
        b.record_id = Uuid::now_v7();
        put_fields(b).insert("value".into(), json!("a palace"));
    });
    w.refused(
        "a state accommodation lacks",
        case,
        off_the_list,
        "value: \"a palace\" is not a state of accommodation",
    );
    let answer = w.forge(equality.id, |b| {
        b.payload = op(json!({"op": "put", "base_version": 1,
            "fields": {"religion": "jedi"}, "prev": {}}));
    });
    w.refused(
        "an answer off the list",
        case,
        answer,
        "religion: \"jedi\" is not one of",
    );
}

/// A manager reads and changes nothing: a change signed by a manager's
/// identity (written before they became one, or forged with their key) is
/// refused on arrival, and their own device refuses to write.
#[test]
fn a_change_signed_by_a_manager_is_refused() {
    use waymark_protocol::Role;
    let dirs = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut a, mut b) = (new_store(dirs.0.path()), new_store(dirs.1.path()));
    let case = person(&mut a, "Zara Example");
    let relayed = certificates_with_roles(&[(&a, Role::Manager), (&b, Role::Worker)]);
    for s in [&mut a, &mut b] {
        assert!(s.accept_trust(TEST_ORG, &relayed).unwrap().is_empty());
    }
    let written = page(&mut a, case, 1, 0);
    hand_case_keys(&mut a, &mut b, &[case]);
    let report = b.apply_pulled(case, &written).unwrap();
    assert_eq!((report.applied, report.refused), (0, written.len() as u64));
    let refused = b.refused_changes().unwrap();
    assert!(
        refused[0]
            .reason
            .contains("signed by a manager, who reads cases and changes none"),
        "{:?}",
        refused[0].reason
    );
    let write = a.add_person(waymark_core::api::NewPerson {
        full_name: "Someone New".into(),
        ..Default::default()
    });
    assert!(
        matches!(&write, Err(waymark_core::Error::Invalid { field, .. }) if field == "role"),
        "{write:?}"
    );
}

/// An incident's MARAC prompt (its police call-out met the escalation
/// criterion) is never taken away by a colleague's change, nor its decision
/// undone; the incident is not rewritten; a forged prompt without a
/// call-out, or a "not now" without a reason, breaks the incident's rules.
#[test]
fn an_incidents_marac_prompt_is_never_taken_away() {
    use waymark_core::api::NewIncident;
    use waymark_core::domain::{DecisionKind, IncidentKind};
    let mut w = world();
    let case = w.case;
    let mark = page(&mut w.a, case, 1, 0).len();
    let today = chrono::Utc::now().date_naive();
    let mut recorded = Vec::new();
    for days_ago in [30, 20, 10] {
        recorded.push(
            w.a.record_incident(NewIncident {
                case_id: case,
                occurred_on: today - chrono::Days::new(days_ago),
                kind: IncidentKind::Threats,
                police_called: true,
                injuries: false,
                children_present: true,
                detail: None,
            })
            .unwrap(),
        );
    }
    let third = recorded[2].id;
    assert!(recorded[2].escalation.is_some());
    w.a.decide_escalation(third, DecisionKind::Made, None, None)
        .unwrap();
    for l in page(&mut w.a, case, 1, mark) {
        let body = w.a.open_logged(case, &l).unwrap().unwrap();
        let (_, applied, refused) = w.deliver(case, l.body, l.change_id);
        assert_eq!((applied, refused), (1, 0), "genuine changes arrive");
        w.bodies.push(body);
    }
    let seen = w.b.open_case(case).unwrap();
    assert_eq!(seen.incidents_last_year.police_call_outs, 3);
    let decision = seen.incidents[0]
        .escalation
        .as_ref()
        .unwrap()
        .decision
        .clone();
    assert_eq!(decision.unwrap().decision, DecisionKind::Made);

    let prompt = serde_json::to_value(&recorded[2].escalation).unwrap();
    let taken = w.forge(third, |b| {
        b.payload = op(json!({"op": "put", "base_version": 1,
            "fields": {"escalation": null}, "prev": {}}));
    });
    w.refused("prompt taken away", case, taken, "changes the MARAC prompt");
    let undecided = w.forge(third, |b| {
        b.payload = op(json!({"op": "put", "base_version": 2,
            "fields": {"escalation": prompt}, "prev": {}}));
    });
    w.refused(
        "decision undone",
        case,
        undecided,
        "changes the MARAC prompt",
    );
    let mut lowered = prompt.clone();
    lowered["police_call_outs"] = json!(1);
    lowered["decision"] = serde_json::to_value(decision_of(&w.b, case)).unwrap();
    let lowered = w.forge(third, |b| {
        b.payload = op(json!({"op": "put", "base_version": 2,
            "fields": {"escalation": lowered}, "prev": {}}));
    });
    w.refused(
        "prompt rewritten",
        case,
        lowered,
        "changes the MARAC prompt",
    );
    let rewrite = w.forge(third, |b| {
        b.payload = op(json!({"op": "put", "base_version": 2,
            "fields": {"police_called": false}, "prev": {}}));
    });
    w.refused(
        "incident rewrite",
        case,
        rewrite,
        "rewrites a saved incident",
    );
    let removal = w.forge(third, |b| b.payload = op(json!({"op": "remove"})));
    w.refused("incident removal", case, removal, "never removed");

    let planted = w.forge(third, |b| {
        b.record_id = Uuid::now_v7();
        put_fields(b).insert("police_called".into(), json!(false));
    });
    w.refused(
        "a prompt without a call-out",
        case,
        planted,
        "only a police call-out that meets the criterion",
    );
    let mut no_reason = prompt.clone();
    no_reason["decision"] = json!({"prompt_index": 0, "decision": "declined", "reason": null,
        "referral_id": null, "decided_at": "2026-01-01T00:00:00Z", "decided_by": Uuid::nil()});
    let unexplained = w.forge(third, |b| {
        b.record_id = Uuid::now_v7();
        put_fields(b).insert("escalation".into(), no_reason);
    });
    w.refused("not now, no reason", case, unexplained, "because: say why");
}

fn decision_of(s: &Session, case: Uuid) -> Option<waymark_core::domain::PromptDecision> {
    s.incidents(case).unwrap().incidents[0]
        .escalation
        .as_ref()
        .and_then(|e| e.decision.clone())
}

/// A sign-off is a supervisor's word: one signed by someone a device knows
/// as a worker (their own device thought otherwise, or their key forged it)
/// is refused there while the rest of the log arrives; a supervisor's
/// arrives, shows who signed it, and is never rewritten or removed. Nobody
/// a device knows as a worker signs off there in the first place.
#[test]
fn a_sign_off_counts_only_from_a_supervisor() {
    use waymark_core::api::{NewCase, NewPerson, NewSignOff};
    use waymark_core::domain::{ReferralSource, SignOffSubject};
    use waymark_protocol::Role;
    let dirs = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut a, mut b) = (new_store(dirs.0.path()), new_store(dirs.1.path()));
    let dir = tempfile::tempdir().unwrap();
    let mut c = new_store(dir.path());
    let case = a
        .create_case(NewCase {
            person: NewPerson {
                full_name: "Zara Example".into(),
                ..Default::default()
            },
            referral_source: ReferralSource::SelfReferral,
            programme: "Keywork".into(),
        })
        .unwrap();
    let episode = a.open_case(case).unwrap().episodes[0].id;
    let today = chrono::Utc::now().date_naive();
    a.close_episode(episode, today, "Moved away").unwrap();
    let closure = NewSignOff {
        subject: SignOffSubject::Closure,
        subject_id: episode,
        comment: Some("Reviewed in supervision".into()),
    };
    // A's own device knows A as a supervisor; B's knows A as a worker.
    let as_supervisor = certificates_with_roles(&[
        (&a, Role::Supervisor),
        (&b, Role::Worker),
        (&c, Role::Worker),
    ]);
    let as_worker = certificates_with_roles(&[(&a, Role::Worker), (&b, Role::Worker)]);
    assert!(a.accept_trust(TEST_ORG, &as_supervisor).unwrap().is_empty());
    assert!(b.accept_trust(TEST_ORG, &as_worker).unwrap().is_empty());
    let signed = a.sign_off(closure.clone()).unwrap();
    assert_eq!(signed.by.as_deref(), Some(a.user().name.as_str()));
    let again = a.sign_off(closure.clone());
    assert!(
        matches!(&again, Err(waymark_core::Error::Invalid { field, .. }) if field == "subject_id"),
        "{again:?}"
    );
    let written = page(&mut a, case, 1, 0);
    hand_case_keys(&mut a, &mut b, &[case]);
    let report = b.apply_pulled(case, &written).unwrap();
    assert_eq!(
        (report.applied, report.refused),
        (written.len() as u64 - 1, 1),
        "{report:?}"
    );
    assert!(b.refused_changes().unwrap()[0]
        .reason
        .contains("sign-off signed by someone who is not a supervisor or an admin"));
    assert!(b.open_case(case).unwrap().sign_offs.is_empty());
    // B, a worker, cannot sign off either.
    let refused = b.sign_off(closure);
    assert!(
        matches!(&refused, Err(waymark_core::Error::Invalid { field, .. }) if field == "subject"),
        "{refused:?}"
    );

    // A third device that knows A as a supervisor takes it, names A, and
    // keeps it as it came.
    assert!(c.accept_trust(TEST_ORG, &as_supervisor).unwrap().is_empty());
    hand_case_keys(&mut a, &mut c, &[case]);
    let report = c.apply_pulled(case, &written).unwrap();
    assert_eq!(
        (report.applied, report.refused),
        (written.len() as u64, 0),
        "{report:?} {:?}",
        c.refused_changes().unwrap()
    );
    let seen = c.open_case(case).unwrap().sign_offs;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].by.as_deref(), Some(a.user().name.as_str()));
    assert_eq!(
        seen[0].sign_off.comment.as_deref(),
        Some("Reviewed in supervision")
    );
    // Nothing is due for signing off once it is.
    let due = c.due(false).unwrap();
    assert!(
        due.iter()
            .all(|d| !matches!(d.due, waymark_core::model::views::Due::SignOff { .. })),
        "{due:?}"
    );
}

/// A supervision note travels in its case's supervision log, under that
/// log's own key: a device that holds only the case's key cannot read it.
/// It counts only from a supervisor, and only in that log: the same note
/// routed through the case's own log (where everyone holding the case would
/// read it) is refused.
#[test]
fn a_supervision_note_travels_in_its_own_log_from_a_supervisor_only() {
    use waymark_core::api::{NewCase, NewPerson, NewSupervisionNote};
    use waymark_core::domain::{AgreedAction, ReferralSource};
    use waymark_protocol::{supervision_log, Role};
    let dirs = [(); 3].map(|_| tempfile::tempdir().unwrap());
    let [mut a, mut b, mut c] = [0, 1, 2].map(|i| new_store(dirs[i].path()));
    let case = a
        .create_case(NewCase {
            person: NewPerson {
                full_name: "Yara Example".into(),
                ..Default::default()
            },
            referral_source: ReferralSource::SelfReferral,
            programme: "Keywork".into(),
        })
        .unwrap();
    // A supervises the team and keeps the case; B's and C's devices receive
    // the supervision log's key as supervisors of that team (a device seals
    // it to no one else: see the end).
    let team = Some("outreach");
    let as_supervisor = certificates_in_teams(&[
        (&a, Role::Supervisor, team),
        (&b, Role::Supervisor, team),
        (&c, Role::Supervisor, team),
    ]);
    let as_worker = certificates_with_roles(&[(&a, Role::Worker), (&b, Role::Worker)]);
    assert!(a.accept_trust(TEST_ORG, &as_supervisor).unwrap().is_empty());
    assert!(b.accept_trust(TEST_ORG, &as_worker).unwrap().is_empty());
    assert!(c.accept_trust(TEST_ORG, &as_supervisor).unwrap().is_empty());
    let note = NewSupervisionNote {
        case_id: case,
        held_on: None,
        discussion: "Talked through the move to the refuge".into(),
        decision: Some("Stay with the plan".into()),
        actions: vec![AgreedAction {
            action: "Ring the refuge".into(),
            owner: "keyworker".into(),
            due_on: chrono::Utc::now().date_naive(),
        }],
    };
    let refused = b.add_supervision_note(note.clone());
    assert!(
        matches!(&refused, Err(waymark_core::Error::Invalid { problem, .. }) if problem.contains("only a supervisor")),
        "{refused:?}"
    );
    let blank = a.add_supervision_note(NewSupervisionNote {
        discussion: "  ".into(),
        ..note.clone()
    });
    assert!(
        matches!(&blank, Err(waymark_core::Error::Invalid { field, .. }) if field == "discussion"),
        "{blank:?}"
    );
    let written = a.add_supervision_note(note).unwrap();
    assert_eq!(written.by.as_deref(), Some(a.user().name.as_str()));

    // The case's own log carries no part of it; its supervision log does,
    // naming the case it belongs to, under a key of its own.
    let log = supervision_log(case);
    let in_case = page(&mut a, case, 1, 0);
    let in_supervision = page(&mut a, log, 1, 0);
    assert_eq!(in_supervision.len(), 1);
    let outgoing = a.outgoing(100).unwrap();
    let envelope = outgoing.iter().find(|o| o.envelope.log_id == log).unwrap();
    assert_eq!(envelope.envelope.companion_of, Some(case));
    assert!(outgoing
        .iter()
        .filter(|o| o.envelope.log_id == case)
        .all(|o| o.envelope.companion_of.is_none()));
    assert_ne!(
        a.case_key(log).unwrap().unwrap().expose(),
        a.case_key(case).unwrap().unwrap().expose(),
        "its own key"
    );

    // A device holding the case's key alone holds the note back, unread.
    hand_case_keys(&mut a, &mut c, &[case]);
    let report = c.apply_pulled(case, &in_case).unwrap();
    assert_eq!(report.refused, 0, "{report:?}");
    let report = c.apply_pulled(log, &in_supervision).unwrap();
    assert_eq!((report.applied, report.awaiting_key), (0, 1), "{report:?}");
    assert!(c.supervision(case).unwrap().is_empty());
    // With the supervision log's key, from a supervisor: taken.
    hand_case_keys(&mut a, &mut c, &[log]);
    let seen = c.supervision(case).unwrap();
    assert_eq!(seen.len(), 1, "applied once its key arrived");
    assert_eq!(seen[0].by.as_deref(), Some(a.user().name.as_str()));
    assert_eq!(seen[0].note.actions[0].action, "Ring the refuge");
    assert_eq!(c.open_case(case).unwrap().supervision.len(), 1);

    // A new laptop may pull the supervision log before the case's own log
    // (logs come in id order, a page at a time): the note waits for nothing
    // and shows once the case is there.
    let dir = tempfile::tempdir().unwrap();
    let mut e = new_store(dir.path());
    let with_e = certificates_in_teams(&[
        (&a, Role::Supervisor, team),
        (&b, Role::Supervisor, team),
        (&c, Role::Supervisor, team),
        (&e, Role::Supervisor, team),
    ]);
    assert!(a.accept_trust(TEST_ORG, &with_e).unwrap().is_empty());
    assert!(e.accept_trust(TEST_ORG, &with_e).unwrap().is_empty());
    hand_case_keys(&mut a, &mut e, &[case, log]);
    let report = e.apply_pulled(log, &in_supervision).unwrap();
    assert_eq!(report.applied, 1, "{report:?}");
    e.apply_pulled(case, &in_case).unwrap();
    assert_eq!(e.open_case(case).unwrap().supervision.len(), 1);

    // A hostile server cannot have the supervision log's key sealed to a
    // colleague the case is only shared with, or to another team's
    // supervisor: the case's own key, yes; that log's, never.
    let dirs2 = [(); 2].map(|_| tempfile::tempdir().unwrap());
    // Named apart: the keyworker is told by name (every `new_store` is "amina").
    let [mut f, mut g] = [(0, "fiona"), (1, "gwen")]
        .map(|(i, name)| Session::create(dirs2[i].path(), name, &pass()).unwrap());
    let with_fg = certificates_in_teams(&[
        (&a, Role::Supervisor, team),
        (&b, Role::Supervisor, team),
        (&c, Role::Supervisor, team),
        (&e, Role::Supervisor, team),
        (&f, Role::Worker, team),
        (&g, Role::Supervisor, Some("refuge")),
    ]);
    for s in [&mut a, &mut f, &mut g] {
        assert!(s.accept_trust(TEST_ORG, &with_fg).unwrap().is_empty());
    }
    for other in [&mut f, &mut g] {
        assert_eq!(hand_case_keys(&mut a, other, &[log]).keys, 0);
        assert_eq!(hand_case_keys(&mut a, other, &[case]).keys, 1);
        assert!(other.case_key(log).unwrap().is_none());
    }
    let refused = a.refused_recipients().unwrap();
    assert!(
        refused.iter().any(|r| r
            .reason
            .contains("only to the case's keyworker and its team's supervisors")),
        "{refused:?}"
    );

    // A device that knows the writer as a worker refuses it.
    hand_case_keys(&mut a, &mut b, &[case, log]);
    b.apply_pulled(case, &in_case).unwrap();
    let report = b.apply_pulled(log, &in_supervision).unwrap();
    assert_eq!((report.applied, report.refused), (0, 1), "{report:?}");
    assert!(b.refused_changes().unwrap()[0]
        .reason
        .contains("supervision note signed by someone who is not a supervisor"));
    assert!(b.supervision(case).unwrap().is_empty());

    // The same signed note re-sent through the case's own log: refused.
    let body = c
        .open_logged(log, &in_supervision[0])
        .unwrap()
        .expect("readable");
    let rerouted = Logged {
        seq: in_case.len() as i64 + 1,
        change_id: body.change_id,
        received_ms: in_supervision[0].received_ms,
        body: sealed(&a, case, &body),
    };
    let report = b.apply_pulled(case, &[rerouted]).unwrap();
    assert_eq!((report.applied, report.misrouted), (0, 1), "{report:?}");
    assert!(b.supervision(case).unwrap().is_empty());
}

/// A volunteer's device holds a case's allocation log alone: its key is
/// sealed to them, the case's own never (whatever the server names). What
/// they write travels there, and every device takes from a volunteer only
/// notes and appointments' outcomes in an allocation log: their change
/// re-sent through the case's own log, another kind, or an appointment
/// changed beyond its outcome is refused, kept and reported.
#[test]
fn a_volunteer_writes_notes_and_outcomes_in_the_allocation_log_only() {
    use waymark_core::api::{NewAppointment, NewCase, NewNote, NewPerson};
    use waymark_core::domain::{Agency, AppointmentOutcome, ContactType, ReferralSource};
    use waymark_protocol::{allocation_log, Role};
    let dirs = [(); 3].map(|_| tempfile::tempdir().unwrap());
    let [mut k, mut v, mut w] = [(0, "kara"), (1, "vic"), (2, "wen")]
        .map(|(i, name)| Session::create(dirs[i].path(), name, &pass()).unwrap());
    let team = Some("outreach");
    let roles = certificates_in_teams(&[
        (&k, Role::Worker, team),
        (&v, Role::Volunteer, team),
        (&w, Role::Worker, team),
    ]);
    for s in [&mut k, &mut v, &mut w] {
        assert!(s.accept_trust(TEST_ORG, &roles).unwrap().is_empty());
    }
    let case = k
        .create_case(NewCase {
            person: NewPerson {
                full_name: "Yara Example".into(),
                ..Default::default()
            },
            referral_source: ReferralSource::SelfReferral,
            programme: "Keywork".into(),
        })
        .unwrap();
    k.raise_flag(case, FlagKind::Stalking, Some("the detail".into()))
        .unwrap();
    let soon = chrono::Utc::now() - chrono::Duration::hours(3);
    let appointment = k
        .add_appointment(NewAppointment {
            case_id: case,
            starts_at: soon,
            ends_at: soon + chrono::Duration::hours(1),
            place: Some("Council offices".into()),
            agency: Agency::Housing,
            with_whom: None,
            reminder_minutes: None,
            accompany: false,
        })
        .unwrap();
    k.brief_volunteers(case).unwrap();
    let log = allocation_log(case);
    let outgoing = k.outgoing(100).unwrap();
    let kinds_in = |l| -> Vec<String> {
        outgoing
            .iter()
            .filter(|o| o.envelope.log_id == l)
            .map(|o| {
                k.open_logged(
                    l,
                    &waymark_core::sync::Logged {
                        seq: 1,
                        change_id: o.envelope.change_id,
                        received_ms: o.envelope.clock_ms,
                        body: o.envelope.body.clone(),
                    },
                )
                .unwrap()
                .unwrap()
                .kind
            })
            .collect()
    };
    assert_eq!(kinds_in(log), ["appointment", "contact_brief"]);
    assert!(!kinds_in(case)
        .iter()
        .any(|k| k == "appointment" || k == "contact_brief"));
    // Its first key follows from the case's, so every member makes the same.
    assert_eq!(
        k.case_key(log).unwrap().unwrap().expose(),
        k.case_key(case)
            .unwrap()
            .unwrap()
            .derive_for_log(log)
            .expose()
    );
    let in_case = page(&mut k, case, 1, 0);
    let in_log = page(&mut k, log, 1, 0);

    // A hostile server names the volunteer for the case's own key: refused.
    assert_eq!(hand_case_keys(&mut k, &mut v, &[case]).keys, 0);
    assert!(v.case_key(case).unwrap().is_none());
    assert!(k.refused_recipients().unwrap().iter().any(|r| r
        .reason
        .contains("a volunteer holds only the key of a case's allocation log")));
    assert_eq!(hand_case_keys(&mut k, &mut v, &[log]).keys, 1);
    let report = v.apply_pulled(log, &in_log).unwrap();
    assert_eq!((report.applied, report.refused), (2, 0), "{report:?}");
    assert_eq!(v.allocated_cases().unwrap()[0].brief.name, "Yara Example");

    // What the volunteer writes: a note and the outcome, in the allocation log.
    let refused = v.raise_flag(case, FlagKind::Stalking, None);
    assert!(
        matches!(&refused, Err(waymark_core::Error::Invalid { field, .. }) if field == "role"),
        "{refused:?}"
    );
    let moved = v.add_appointment(NewAppointment {
        case_id: case,
        starts_at: soon,
        ends_at: soon + chrono::Duration::hours(2),
        place: None,
        agency: Agency::Housing,
        with_whom: None,
        reminder_minutes: None,
        accompany: false,
    });
    assert!(moved.is_err(), "a volunteer makes no appointment");
    v.add_note(NewNote {
        case_id: case,
        body: "Went along to the council".into(),
        contact_type: ContactType::FaceToFace,
        occurred_at: None,
        duration_minutes: None,
        location: None,
    })
    .unwrap();
    v.record_appointment_outcome(appointment, AppointmentOutcome::Attended, None)
        .unwrap();
    let from_v = page(&mut v, log, in_log.len() as i64 + 1, 0);
    assert_eq!(from_v.len(), 2);
    assert!(v
        .outgoing(100)
        .unwrap()
        .iter()
        .all(|o| o.envelope.log_id == log));

    // The keyworker's colleague takes both.
    hand_case_keys(&mut k, &mut w, &[case, log]);
    w.apply_pulled(case, &in_case).unwrap();
    w.apply_pulled(log, &in_log).unwrap();
    let report = w.apply_pulled(log, &from_v).unwrap();
    assert_eq!((report.applied, report.refused), (2, 0), "{report:?}");
    assert_eq!(
        w.appointments(case).unwrap()[0].outcome,
        Some(AppointmentOutcome::Attended)
    );

    // Forgeries a modified volunteer client (with a server's help) might
    // send: each refused, kept and reported; the log carries on.
    let note = w.open_logged(log, &from_v[0]).unwrap().unwrap();
    let signed_by_v = |l: Uuid, body: &ChangeBody| {
        let key = k.case_key(l).unwrap().unwrap();
        let signed = v.signed_change(l, body).unwrap();
        waymark_crypto::encrypt_change(&key, l, body.change_id, &signed)
    };
    let mut next = in_case.len() as i64 + 1;
    let mut forge = |l: Uuid, body: ChangeBody| {
        let logged = Logged {
            seq: next,
            change_id: body.change_id,
            received_ms: now_ms(),
            body: signed_by_v(l, &body),
        };
        if l == case {
            next += 1;
        }
        logged
    };
    // Its note re-sent through the case's own log.
    let rerouted = forge(case, note.clone());
    let report = w.apply_pulled(case, &[rerouted]).unwrap();
    assert_eq!((report.applied, report.refused), (0, 1), "{report:?}");
    // A flag of theirs, in the allocation log.
    let mut flag = note.clone();
    flag.change_id = Uuid::now_v7();
    flag.record_id = Uuid::now_v7();
    flag.kind = "flag".into();
    *put_fields(&mut flag) = serde_json::from_value(json!({
        "case_id": case, "kind": "stalking", "detail": null, "raised_at": "2026-01-01T00:00:00.000Z",
        "raised_by": Uuid::nil(), "resolved_at": null, "resolved_by": null
    }))
    .unwrap();
    let seq = in_log.len() as i64 + from_v.len() as i64 + 1;
    let at_seq = |mut l: Logged, seq: i64| {
        l.seq = seq;
        l
    };
    let report = w
        .apply_pulled(log, &[at_seq(forge(log, flag), seq)])
        .unwrap();
    assert_eq!((report.applied, report.refused), (0, 1), "{report:?}");
    // An amendment (of any note: a device cannot tell whose by its id).
    let mut amended = note.clone();
    amended.change_id = Uuid::now_v7();
    amended.record_id = Uuid::now_v7();
    amended.kind = "note_amendment".into();
    *put_fields(&mut amended) = serde_json::from_value(json!({
        "case_id": case, "note_id": note.record_id, "body": "rewritten", "reason": "x",
        "author": Uuid::nil(), "amended_at": "2026-01-01T00:00:00.000Z"
    }))
    .unwrap();
    let report = w
        .apply_pulled(log, &[at_seq(forge(log, amended), seq + 1)])
        .unwrap();
    assert_eq!((report.applied, report.refused), (0, 1), "{report:?}");
    // The appointment moved, not just its outcome.
    let mut moved = note.clone();
    moved.change_id = Uuid::now_v7();
    moved.record_id = appointment;
    moved.kind = "appointment".into();
    *put_fields(&mut moved) = serde_json::from_value(json!({"place": "Somewhere else"})).unwrap();
    let report = w
        .apply_pulled(log, &[at_seq(forge(log, moved), seq + 2)])
        .unwrap();
    assert_eq!((report.applied, report.refused), (0, 1), "{report:?}");
    assert_eq!(
        w.appointments(case).unwrap()[0].place.as_deref(),
        Some("Council offices")
    );
    let reasons: Vec<String> = w
        .refused_changes()
        .unwrap()
        .into_iter()
        .map(|r| r.reason)
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("outside the case's allocation log")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("of a flag")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("beyond its outcome")),
        "{reasons:?}"
    );
    // A worker's change in the allocation log, of a kind that is not its:
    // misrouted.
    let mut brief_in_case = page(&mut k, log, 1, 0).remove(1);
    let body = k.open_logged(log, &brief_in_case).unwrap().unwrap();
    brief_in_case.seq = next;
    brief_in_case.body = sealed(&k, case, &body);
    let report = w.apply_pulled(case, &[brief_in_case]).unwrap();
    assert_eq!((report.applied, report.misrouted), (0, 1), "{report:?}");
}
