//! The encrypted store through the public API: keys, people on a device,
//! upgrades, and that bad input writes nothing.

use chrono::{Duration, NaiveDate, Utc};
use std::collections::BTreeMap;
use waymark_core::api::*;
use waymark_core::assessment::Answer;
use waymark_core::change::Op;
use waymark_core::domain::*;
use waymark_core::keys::{KeyFile, StoreKey};
use waymark_core::queries::{CaseloadFilter, Due};
use waymark_core::raw::{self as db, RECORDS_VERSION, SCHEMA_VERSION};
use waymark_core::{Error, Passphrase, Session};
use waymark_testkit::device::*;

#[test]
fn wrong_passphrase_is_refused_changes_nothing_and_slows_down() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    person(&mut s, "Dana Example");
    s.lock();
    let key_file = waymark_core::Laptop::new(dir.path())
        .person("amina")
        .key_file();
    let key_file_before = std::fs::read(&key_file).unwrap();
    let wrong = Passphrase::new("not the passphrase");
    for _ in 0..3 {
        let e = Session::unlock(dir.path(), None, &wrong).unwrap_err();
        assert!(matches!(e, Error::WrongPassphrase { .. }), "{e}");
        assert_eq!(e.to_string(), "wrong user name or passphrase for amina");
    }
    // After three slips even the right passphrase must wait its turn.
    let e = Session::unlock(dir.path(), None, &pass()).unwrap_err();
    assert!(matches!(e, Error::UnlockThrottled { .. }), "{e}");
    assert!(e.to_string().contains("try again in 1 s"), "{e}");
    assert_eq!(std::fs::read(&key_file).unwrap(), key_file_before);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let s = Session::unlock(dir.path(), None, &pass()).unwrap();
    assert_eq!(counts(&s).2, 1);
    s.lock();
    // Success resets the count.
    assert!(matches!(
        Session::unlock(dir.path(), None, &wrong),
        Err(Error::WrongPassphrase { .. })
    ));
    Session::unlock(dir.path(), None, &pass()).unwrap();
}

#[test]
fn a_store_cannot_be_created_twice_or_opened_where_none_is() {
    let dir = tempfile::tempdir().unwrap();
    new_store(dir.path()).lock();
    assert!(matches!(
        Session::create(dir.path(), "amina", &pass()),
        Err(Error::StoreExists(_))
    ));
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(
        Session::unlock(empty.path(), None, &pass()),
        Err(Error::NoStore(_))
    ));
}

#[test]
fn key_file_downgrades_and_unknown_versions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    new_store(dir.path()).lock();
    let path = waymark_core::Laptop::new(dir.path())
        .person("amina")
        .key_file();
    let original = std::fs::read_to_string(&path).unwrap();
    let weakened = original.replace("\"m_cost_kib\": 65536", "\"m_cost_kib\": 8");
    assert_ne!(weakened, original);
    std::fs::write(&path, weakened).unwrap();
    let e = Session::unlock(dir.path(), None, &pass()).unwrap_err();
    assert!(e.to_string().contains("refusing a downgrade"), "{e}");
    std::fs::write(
        &path,
        original.replace("\"version\": 1,", "\"version\": 99,"),
    )
    .unwrap();
    let e = Session::unlock(dir.path(), Some("amina"), &pass()).unwrap_err();
    assert!(e.to_string().contains("version 99 is not supported"), "{e}");
}

/// Builds a store as an older build left it, at each earlier schema version
/// (in the laptop's directory itself, as before per-person stores), then
/// opens it with this build: moved into the person's own place, data kept,
/// new features work.
#[test]
fn stores_from_every_earlier_schema_version_upgrade() {
    for version in 1..SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let key = StoreKey::generate();
        let (store_id, device, user) = (
            uuid::Uuid::new_v4(),
            uuid::Uuid::new_v4(),
            uuid::Uuid::new_v4(),
        );
        let (case, note_id) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        {
            let conn =
                db::create_at_version(&dir.path().join("waymark.db"), &key, version).unwrap();
            let clock = format!("{:012x}.00000000.{}", 1_700_000_000_000u64, device.simple());
            let clocks = format!("{{\"*\":\"{clock}\"}}");
            conn.execute_batch(&format!(
                "INSERT INTO device VALUES (1, '{device}', '{store_id}', '{clock}', 1700000000000);
                 INSERT INTO users (id, name, created_at) VALUES ('{user}', 'amina', 1700000000000);
                 INSERT INTO persons (id, full_name, safe_contact, needs, consents, created_at, created_by, version, clocks)
                   VALUES ('{case}', 'Orla Upgrade', '{{}}', '[]', '[]', 1700000000000, '{user}', 1, '{clocks}');
                 INSERT INTO notes (id, case_id, author, occurred_at, contact_type, body, created_at, version, clocks)
                   VALUES ('{note_id}', '{case}', '{user}', 1700000000000, 'phone', 'written by an older build', 1700000000000, 1, '{clocks}');"
            ))
            .unwrap();
            assert_eq!(db::schema_version(&conn).unwrap(), version as i64);
        }
        let mut keys = KeyFile::new(store_id);
        keys.set_wrap(&key, user, "amina", &pass()).unwrap();
        keys.save(&dir.path().join("keys.json")).unwrap();

        let mut s = Session::unlock(dir.path(), None, &pass()).unwrap();
        assert_eq!(
            s.store_dir(),
            waymark_core::Laptop::new(dir.path()).person("amina").dir
        );
        assert!(!dir.path().join("waymark.db").exists() && !dir.path().join("keys.json").exists());
        assert_eq!(
            s.schema_version().unwrap(),
            SCHEMA_VERSION as i64,
            "from v{version}"
        );
        assert_eq!(s.person(case).unwrap().full_name, "Orla Upgrade");
        assert_eq!(
            s.note_history(note_id).unwrap().current_body,
            "written by an older build"
        );
        assert_eq!(
            s.search("older build", 5).unwrap().len(),
            1,
            "search index survives v{version}"
        );
        // Later features work on the upgraded store.
        let now = Utc::now();
        s.add_appointment(NewAppointment {
            case_id: case,
            starts_at: now + Duration::days(1),
            ends_at: now + Duration::days(1) + Duration::hours(1),
            place: None,
            agency: Agency::Gp,
            with_whom: None,
            reminder_minutes: None,
            accompany: false,
        })
        .unwrap();
        let a = s
            .complete_assessment(checklist_answers(case, false))
            .unwrap();
        assert_eq!(a.level, "standard");
    }
}

fn checklist_answers(case: uuid::Uuid, yes: bool) -> NewAssessment {
    let s_template = waymark_core::assessment::builtin_templates().remove(0);
    let answers: BTreeMap<String, Answer> = s_template
        .questions
        .iter()
        .map(|q| {
            let a = match q.answer {
                waymark_core::assessment::AnswerKind::Text => Answer::Text("".into()),
                _ => Answer::YesNo(yes && q.escalates_to.is_none()),
            };
            (q.id.clone(), a)
        })
        .collect();
    NewAssessment {
        case_id: case,
        template_key: "da-risk-checklist".into(),
        template_version: None,
        answers,
    }
}

#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = person(&mut s, "Farah Example");
    let before = counts(&s);
    let now = Utc::now();
    let check = |r: Result<uuid::Uuid, Error>, field: &str, problem: &str| {
        let e = r.unwrap_err();
        assert!(e.is_bad_input(), "{e}");
        let text = e.to_string();
        assert!(text.starts_with(field) && text.contains(problem), "{text}");
    };
    check(
        s.add_person(NewPerson {
            full_name: "Future".into(),
            date_of_birth: NaiveDate::from_ymd_opt(2999, 1, 1),
            ..Default::default()
        }),
        "date_of_birth",
        "is in the future",
    );
    check(
        s.add_person(NewPerson {
            full_name: "  ".into(),
            ..Default::default()
        }),
        "full_name",
        "must not be empty",
    );
    check(
        s.add_appointment(NewAppointment {
            case_id: case,
            starts_at: now + Duration::hours(2),
            ends_at: now + Duration::hours(1),
            place: None,
            agency: Agency::Court,
            with_whom: None,
            reminder_minutes: None,
            accompany: false,
        }),
        "ends_at",
        "ends before it starts",
    );
    let mut answers = checklist_answers(case, true);
    answers
        .answers
        .insert("favourite_colour".into(), Answer::Text("blue".into()));
    check(
        s.complete_assessment(answers).map(|a| a.id),
        "answers.favourite_colour",
        "no such question",
    );
    let big = vec![7u8; (10 * 1024 * 1024) + 1];
    check(
        s.add_attachment(case, "scan.pdf", "application/pdf", &big),
        "attachment",
        "the limit is 10 MiB",
    );
    check(
        s.add_note(NewNote {
            case_id: case,
            body: "".into(),
            contact_type: ContactType::Phone,
            occurred_at: None,
            duration_minutes: None,
            location: None,
        }),
        "body",
        "must not be empty",
    );
    let unknown = uuid::Uuid::new_v4();
    let e = s
        .add_note(NewNote {
            case_id: unknown,
            body: "x".into(),
            contact_type: ContactType::Phone,
            occurred_at: None,
            duration_minutes: None,
            location: None,
        })
        .unwrap_err();
    assert_eq!(e.to_string(), format!("no case with id {unknown}"));
    assert_eq!(
        counts(&s),
        before,
        "nothing written: outbox, audit, persons unchanged"
    );
    assert_eq!(ContactType::parse("contact_type", "carrier pigeon").unwrap_err().to_string(),
        "contact_type: \"carrier pigeon\" is not one of: face_to_face, phone, visit, outreach, text, email, video, letter, other");
}

#[test]
fn every_write_queues_field_level_changes_with_clocks_and_replaced_versions() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let start = s.outbox(0, 1000).unwrap().last().map_or(0, |c| c.seq);
    let case = person(&mut s, "Gemma Example");
    let mut p = s.person(case).unwrap();
    p.pronouns = Some("she/her".into());
    s.update_person(p.clone()).unwrap();
    s.update_person(p).unwrap(); // identical: no change queued
    let changes = s.outbox(start, 100).unwrap();
    assert_eq!(changes.len(), 2);
    let (create, update) = (&changes[0], &changes[1]);
    assert_eq!(
        (create.body.kind.as_str(), create.body.record_id),
        ("person", case)
    );
    let Op::Put { fields, prev, .. } = &create.body.payload else {
        panic!("a new record is a put: {:?}", create.body.payload);
    };
    assert!(fields["full_name"] == "Gemma Example");
    assert_eq!(prev["full_name"], None, "a new record replaced nothing");
    let Op::Put {
        fields,
        prev,
        base_version,
        ..
    } = &update.body.payload
    else {
        panic!("an edit is a put: {:?}", update.body.payload);
    };
    let update_fields: Vec<&String> = fields.keys().collect();
    assert_eq!(
        update_fields,
        vec!["pronouns"],
        "only the changed field travels"
    );
    assert_eq!(prev["pronouns"], Some(create.body.clock));
    assert_eq!(*base_version, 1);
    assert!(
        update.body.clock > create.body.clock,
        "clock stamps increase"
    );
    assert_eq!(create.body.schema_version, RECORDS_VERSION as i64);
    assert!(create.body.device_id == s.device_id() && update.body.device_id == s.device_id());
}

#[test]
fn amended_notes_keep_their_history_and_search_the_current_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = person(&mut s, "Hana Example");
    let n = note(&mut s, case, "Spoke about the tenancy at Larkspur Court");
    s.amend_note(
        n,
        "Spoke about the tenancy at Foxglove Court",
        "wrong address recorded",
    )
    .unwrap();
    let e = s
        .amend_note(n, "Spoke about the tenancy at Foxglove Court", "again")
        .unwrap_err();
    assert!(
        e.to_string().contains("same as the note's current text"),
        "{e}"
    );
    let e = s.amend_note(n, "other text", " ").unwrap_err();
    assert_eq!(e.to_string(), "reason: must not be empty");
    let h = s.note_history(n).unwrap();
    assert_eq!(h.note.body, "Spoke about the tenancy at Larkspur Court");
    assert_eq!(h.amendments.len(), 1);
    assert_eq!(h.amendments[0].reason, "wrong address recorded");
    assert_eq!(h.current_body, "Spoke about the tenancy at Foxglove Court");
    assert_eq!(s.search("foxglove", 10).unwrap().len(), 1);
    assert!(s.search("larkspur", 10).unwrap().is_empty());
    let hits = s.search("tenan", 10).unwrap();
    assert_eq!(
        hits[0].snippet,
        "Spoke about the «tenancy» at Foxglove Court"
    );
}

#[test]
fn caseload_orders_by_attention_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let quiet = person(&mut s, "Imogen Quiet");
    let risky = person(&mut s, "Jade Risky");
    let recent = person(&mut s, "Lowri Recent");
    note(&mut s, recent, "seen today");
    s.add_note(NewNote {
        case_id: quiet,
        body: "long ago".into(),
        contact_type: ContactType::Visit,
        occurred_at: Some(Utc::now() - Duration::days(40)),
        duration_minutes: None,
        location: None,
    })
    .unwrap();
    note(&mut s, risky, "seen today too");
    let a = s
        .complete_assessment(checklist_answers(risky, true))
        .unwrap();
    assert_eq!(a.level, "high");
    assert_eq!(a.prompts[0].agency, Agency::Marac);
    let referral = s
        .decide_prompt(a.id, 0, DecisionKind::Made, None, None)
        .unwrap()
        .expect("referral made");
    assert_eq!(s.referrals(risky).unwrap()[0].id, referral);
    s.raise_flag(risky, FlagKind::Stalking, None).unwrap();
    let goal = s
        .add_goal(NewGoal {
            case_id: recent,
            need_area: NeedArea::Housing,
            description: "Find a flat".into(),
            review_on: Some(Utc::now().date_naive() - Duration::days(3)),
        })
        .unwrap();
    s.rate_goal(goal, 4, Utc::now().date_naive(), None).unwrap();

    let all = s.caseload(&CaseloadFilter::default()).unwrap();
    let names: Vec<&str> = all.iter().map(|e| e.full_name.as_str()).collect();
    assert_eq!(names, vec!["Jade Risky", "Lowri Recent", "Imogen Quiet"]);
    assert_eq!(all[0].risk_level.as_deref(), Some("high"));
    assert_eq!(all[0].open_flags, 1);
    assert!(all[1].review_overdue);
    assert_eq!(all[2].days_since_contact, Some(40));

    let f = |filter: CaseloadFilter| -> Vec<String> {
        s.caseload(&filter)
            .unwrap()
            .into_iter()
            .map(|e| e.full_name)
            .collect()
    };
    assert_eq!(
        f(CaseloadFilter {
            no_contact_days: Some(30),
            ..Default::default()
        }),
        vec!["Imogen Quiet"]
    );
    assert_eq!(
        f(CaseloadFilter {
            overdue_review: true,
            ..Default::default()
        }),
        vec!["Lowri Recent"]
    );
    assert_eq!(
        f(CaseloadFilter {
            risk_level: Some("high".into()),
            ..Default::default()
        }),
        vec!["Jade Risky"]
    );
    assert_eq!(
        f(CaseloadFilter {
            flagged: true,
            ..Default::default()
        }),
        vec!["Jade Risky"]
    );
    assert_eq!(
        f(CaseloadFilter {
            name: Some("low".into()),
            ..Default::default()
        }),
        vec!["Lowri Recent"]
    );
}

#[test]
fn restricted_addresses_are_masked_and_reveals_views_and_exports_are_audited() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = s
        .add_person(NewPerson {
            full_name: "Maisie Example".into(),
            address: Some("Flat 2, The Refuge".into()),
            address_restricted: true,
            safe_contact: SafeContact {
                calls_safe: Some(false),
                code_word: Some("lantern".into()),
                ..Default::default()
            },
            ..Default::default()
        })
        .unwrap();
    let view = s.open_case(case).unwrap();
    assert_eq!(view.person.address, None);
    assert_eq!(
        view.address_shown.as_deref(),
        Some("•••• restricted address ••••")
    );
    assert_eq!(
        view.person.safe_contact.code_word.as_deref(),
        Some("lantern")
    );
    assert_eq!(
        s.reveal_address(case).unwrap().as_deref(),
        Some("Flat 2, The Refuge")
    );
    let export = s.export_case(case).unwrap();
    assert_eq!(export.person.full_name, "Maisie Example");
    let actions: Vec<String> = s
        .audit_trail(Some(case), 10)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, vec!["export", "reveal_address", "view", "create"]);
}

#[test]
fn attachments_round_trip_inside_the_store_and_can_be_removed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = person(&mut s, "Nadia Example");
    let data = b"%PDF-1.4 letter from housing".to_vec();
    let id = s
        .add_attachment(case, "letter.pdf", "application/pdf", &data)
        .unwrap();
    let (meta, back) = s.open_attachment(id).unwrap();
    assert_eq!((meta.size_bytes, back), (data.len() as i64, data));
    assert!(s
        .add_attachment(case, "../etc/passwd", "text/plain", b"x")
        .unwrap_err()
        .to_string()
        .contains("not a path"));
    s.remove_attachment(id).unwrap();
    assert!(s.attachments(case).unwrap().is_empty());
    assert!(matches!(s.open_attachment(id), Err(Error::NotFound { .. })));
}

/// An appointment whose person this device cannot read (seen partway
/// through a first sync, by the sync bench's commands beside it): the
/// agenda still answers with the others instead of failing whole.
#[test]
fn the_agenda_answers_while_an_appointments_person_has_not_arrived() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let here = person(&mut s, "Orla Example");
    let arriving = person(&mut s, "Bea Example");
    let start = Utc::now() + Duration::hours(1);
    for case in [here, arriving] {
        s.add_appointment(NewAppointment {
            case_id: case,
            starts_at: start,
            ends_at: start + Duration::hours(1),
            place: None,
            agency: Agency::Housing,
            with_whom: None,
            reminder_minutes: None,
            accompany: false,
        })
        .unwrap();
    }
    // As if Bea's person record were not there (the schema's own check
    // set aside to make it so).
    s.connection()
        .execute_batch("PRAGMA foreign_keys = OFF")
        .unwrap();
    s.connection()
        .execute("DELETE FROM persons WHERE id = ?1", [arriving.to_string()])
        .unwrap();
    let agenda = s
        .agenda(start - Duration::hours(1), start + Duration::hours(2))
        .unwrap();
    assert_eq!(
        agenda
            .iter()
            .map(|e| e.person_name.as_str())
            .collect::<Vec<_>>(),
        ["Orla Example"]
    );
}

#[test]
fn agenda_lists_a_day_and_appointment_outcomes_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = person(&mut s, "Orla Example");
    let start = Utc::now() - Duration::hours(2);
    let appt = s
        .add_appointment(NewAppointment {
            case_id: case,
            starts_at: start,
            ends_at: start + Duration::hours(1),
            place: Some("Magistrates' court".into()),
            agency: Agency::Court,
            with_whom: None,
            reminder_minutes: Some(30),
            accompany: true,
        })
        .unwrap();
    let tomorrow = start + Duration::days(1);
    let later = s
        .add_appointment(NewAppointment {
            case_id: case,
            starts_at: tomorrow,
            ends_at: tomorrow + Duration::hours(1),
            place: None,
            agency: Agency::Gp,
            with_whom: None,
            reminder_minutes: None,
            accompany: false,
        })
        .unwrap();
    let e = s
        .record_appointment_outcome(later, AppointmentOutcome::Attended, None)
        .unwrap_err();
    assert!(
        e.to_string().contains("before the appointment starts"),
        "{e}"
    );
    s.record_appointment_outcome(
        appt,
        AppointmentOutcome::DidNotAttend,
        Some("phoned after".into()),
    )
    .unwrap();
    let day = s
        .agenda(start - Duration::hours(1), start + Duration::hours(1))
        .unwrap();
    assert_eq!(day.len(), 1);
    assert_eq!(
        day[0].appointment.outcome,
        Some(AppointmentOutcome::DidNotAttend)
    );
    assert_eq!(day[0].person_name, "Orla Example");
    assert_eq!(
        s.agenda(start - Duration::hours(1), start + Duration::days(2))
            .unwrap()
            .len(),
        2
    );
}

/// Each kind of assessment keeps its own latest level: a needs assessment
/// done after a domestic-abuse risk assessment sits beside the risk level,
/// never over it (the caseload's risk and its filter, the case's header).
#[test]
fn a_needs_assessment_never_overwrites_the_risk_level() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    // An admin the organisation confirmed may import a template.
    let relayed = certificates_with_roles(&[(&s, waymark_protocol::Role::Admin)]);
    assert!(s.accept_trust(TEST_ORG, &relayed).unwrap().is_empty());
    let needs = serde_json::json!({
        "key": "needs-check", "version": 1, "name": "Needs check", "description": "What help is needed.",
        "questions": [{"id": "housing", "text": "Is housing a worry?", "answer": {"type": "yes_no"}}],
        "thresholds": [
            {"min_score": 0, "level": "low", "label": "Few needs"},
            {"min_score": 1, "level": "medium", "label": "Some needs"}
        ]
    });
    s.import_template(&needs.to_string()).unwrap();
    let case = person(&mut s, "Nadia Needs");
    let risk = s
        .complete_assessment(checklist_answers(case, true))
        .unwrap();
    assert_eq!(risk.level, "high");
    let later = s
        .complete_assessment(NewAssessment {
            case_id: case,
            template_key: "needs-check".into(),
            template_version: None,
            answers: BTreeMap::from([("housing".to_owned(), Answer::YesNo(true))]),
        })
        .unwrap();
    assert_eq!(later.level, "medium");
    assert!(later.completed_at >= risk.completed_at);

    let row = |s: &Session| {
        s.caseload(&CaseloadFilter::default())
            .unwrap()
            .into_iter()
            .find(|e| e.case_id == case)
            .unwrap()
    };
    assert_eq!(
        row(&s).risk_level.as_deref(),
        Some("high"),
        "the needs level is not the risk level"
    );
    let high = CaseloadFilter {
        risk_level: Some("high".into()),
        ..Default::default()
    };
    assert_eq!(s.caseload(&high).unwrap().len(), 1);
    let view = s.open_case(case).unwrap();
    assert_eq!(view.risk_level.as_deref(), Some("high"));
    let levels: Vec<(&str, &str, bool)> = view
        .levels
        .iter()
        .map(|l| (l.template_key.as_str(), l.label.as_str(), l.risk))
        .collect();
    assert_eq!(
        levels,
        [
            ("da-risk-checklist", "High risk", true),
            ("needs-check", "Some needs", false)
        ],
        "each kind's latest level, risk first"
    );

    // A newer risk assessment is the risk level; the needs level stands.
    let again = s
        .complete_assessment(checklist_answers(case, false))
        .unwrap();
    assert_eq!(again.level, "standard");
    assert_eq!(row(&s).risk_level.as_deref(), Some("standard"));
    let view = s.open_case(case).unwrap();
    assert_eq!(view.levels.len(), 2);
    assert_eq!(
        (view.levels[0].level.as_str(), view.levels[1].level.as_str()),
        ("standard", "medium")
    );

    // The flags a domestic-abuse or exploitation case needs.
    let kinds = [
        FlagKind::Exploitation,
        FlagKind::HonourBasedAbuse,
        FlagKind::ForcedMarriage,
        FlagKind::ModernSlavery,
    ];
    for kind in kinds {
        s.raise_flag(case, kind, None).unwrap();
    }
    let mut raised: Vec<FlagKind> = s
        .open_case(case)
        .unwrap()
        .open_flags
        .iter()
        .map(|f| f.kind)
        .collect();
    raised.sort_by_key(|k| k.as_str());
    assert_eq!(raised, [kinds[0], kinds[2], kinds[1], kinds[3]]);
    assert_eq!(
        "forced_marriage".parse::<FlagKind>().unwrap(),
        FlagKind::ForcedMarriage
    );
}

/// Incidents: the header's twelve-month count; the third police call-out
/// in twelve months prompts a MARAC referral (the standard criterion of
/// the shipped risk template), decided once, made as a referral; bad input
/// named and nothing written.
#[test]
fn police_call_outs_meeting_the_escalation_criterion_prompt_a_marac_referral() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = person(&mut s, "Imani Incidents");
    assert_eq!(
        s.escalation_criterion().unwrap(),
        Some(waymark_core::assessment::Escalation::STANDARD)
    );
    let today = Utc::now().date_naive();
    let incident = |days_ago: i64, police_called: bool| NewIncident {
        case_id: case,
        occurred_on: today - Duration::days(days_ago),
        kind: IncidentKind::Physical,
        police_called,
        injuries: true,
        children_present: false,
        detail: Some("at the flat".into()),
    };
    // Bad input: named, nothing written.
    let before = counts(&s);
    let future = NewIncident {
        occurred_on: today + Duration::days(40),
        ..incident(0, true)
    };
    let e = s.record_incident(future).unwrap_err();
    assert!(
        e.is_bad_input() && e.to_string().starts_with("occurred_on"),
        "{e}"
    );
    let missing = NewIncident {
        case_id: uuid::Uuid::new_v4(),
        ..incident(0, true)
    };
    assert!(s
        .record_incident(missing)
        .unwrap_err()
        .to_string()
        .contains("no case"));
    assert_eq!(counts(&s), before);
    assert!(s.incidents(case).unwrap().incidents.is_empty());

    // Two call-outs and an incident without the police: no prompt.
    let old = s.record_incident(incident(500, true)).unwrap();
    let first = s.record_incident(incident(200, true)).unwrap();
    let quiet = s.record_incident(incident(100, false)).unwrap();
    assert!([&old, &first, &quiet]
        .iter()
        .all(|i| i.escalation.is_none()));
    let second = s.record_incident(incident(50, true)).unwrap();
    assert!(
        second.escalation.is_none(),
        "two in twelve months (the third is older)"
    );
    let third = s.record_incident(incident(1, true)).unwrap();
    let e = third
        .escalation
        .clone()
        .expect("the third call-out in twelve months");
    assert_eq!(e.police_call_outs, 3);

    let listed = s.incidents(case).unwrap();
    assert_eq!(listed.incidents[0].id, third.id, "the latest first");
    assert_eq!(listed.last_year.incidents, 4);
    assert_eq!(listed.last_year.police_call_outs, 3);
    let view = s.open_case(case).unwrap();
    assert_eq!(view.incidents_last_year, listed.last_year);

    // The undecided prompt is on the due list, as an assessment's is.
    let high = s
        .complete_assessment(checklist_answers(case, true))
        .unwrap();
    let due = s.due(false).unwrap();
    let prompts: Vec<&Due> = due
        .iter()
        .map(|i| &i.due)
        .filter(|d| {
            matches!(
                d,
                Due::EscalationPrompt { .. } | Due::AssessmentPrompt { .. }
            )
        })
        .collect();
    assert!(
        matches!(prompts.as_slice(), [Due::EscalationPrompt { incident_id, .. }, Due::AssessmentPrompt { assessment_id, .. }]
            if *incident_id == third.id && *assessment_id == high.id),
        "{prompts:?}"
    );
    s.decide_prompt(
        high.id,
        0,
        DecisionKind::Declined,
        Some(DeclineReason::AlreadyReferred),
        None,
    )
    .unwrap();

    // Deciding: a reason for not now is needed; made makes the referral.
    let before = counts(&s);
    let e = s
        .decide_escalation(third.id, DecisionKind::Declined, None, None)
        .unwrap_err();
    assert!(e.to_string().starts_with("because: say why"), "{e}");
    assert_eq!(counts(&s), before);
    let e = s
        .decide_escalation(first.id, DecisionKind::Made, None, None)
        .unwrap_err();
    assert!(e.to_string().contains("prompted no referral"), "{e}");
    let referral = s
        .decide_escalation(third.id, DecisionKind::Made, None, None)
        .unwrap()
        .expect("a referral made");
    let made = s.referrals(case).unwrap();
    assert_eq!(made.len(), 1);
    assert_eq!((made[0].id, made[0].agency), (referral, Agency::Marac));
    assert!(made[0].reason.contains("escalation criterion"));
    let e = s
        .decide_escalation(
            third.id,
            DecisionKind::Declined,
            Some(DeclineReason::RiskReduced),
            None,
        )
        .unwrap_err();
    assert!(e.to_string().contains("decided already"), "{e}");
    let decided = s.incidents(case).unwrap().incidents[0]
        .escalation
        .clone()
        .unwrap();
    assert_eq!(decided.decision.unwrap().referral_id, Some(referral));
    assert!(
        s.due(false).unwrap().is_empty(),
        "decided prompts are no longer due (nor, to anyone but a supervisor, their sign-offs)"
    );

    // A fourth call-out prompts again (a repeat referral may be needed).
    let fourth = s.record_incident(incident(0, true)).unwrap();
    assert_eq!(fourth.escalation.unwrap().police_call_outs, 4);
    let export = s.export_case(case).unwrap();
    assert_eq!(export.incidents.len(), 6);
}

/// The MARAC process on a case: a meeting (the MARAC referral it heard,
/// checked), its actions (agency, owner, due, done) and outcome; actions
/// past their day wait on the Due list until done. The safety plan is one
/// record per case, rewritten in place, reviewed by a date that brings it
/// to the Due list. Bad input is named and writes nothing.
#[test]
fn marac_meetings_actions_and_the_safety_plan() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = person(&mut s, "Maya Marac");
    let other = person(&mut s, "Other Person");
    let today = Utc::now().date_naive();
    let marac = s
        .add_referral(NewReferral {
            case_id: case,
            agency: Agency::Marac,
            reason: "High risk".into(),
            made_on: Some(today - Duration::days(20)),
            assessment_id: None,
            consent_topic: None,
        })
        .unwrap();
    let housing = s
        .add_referral(NewReferral {
            case_id: case,
            agency: Agency::Housing,
            reason: "Rehousing".into(),
            made_on: Some(today - Duration::days(20)),
            assessment_id: None,
            consent_topic: None,
        })
        .unwrap();
    let meeting = |on: NaiveDate, referral: Option<uuid::Uuid>, case_id| NewMaracMeeting {
        case_id,
        meeting_on: on,
        referral_id: referral,
        outcome: None,
    };
    let before = counts(&s);
    for (bad, field) in [
        (
            meeting(today - Duration::days(14), Some(housing), case),
            "referral_id",
        ),
        (
            meeting(today - Duration::days(14), Some(marac), other),
            "referral_id",
        ),
        (
            meeting(today + Duration::days(400), None, case),
            "meeting_on",
        ),
    ] {
        let e = s.add_marac_meeting(bad).unwrap_err();
        assert!(e.to_string().starts_with(field), "{e}");
    }
    assert_eq!(counts(&s), before, "nothing written");
    let m = s
        .add_marac_meeting(meeting(today - Duration::days(14), Some(marac), case))
        .unwrap();
    let action = |owner: &str, action: &str, due_on| NewMaracAction {
        meeting_id: m.id,
        agency: Agency::Police,
        owner: owner.into(),
        action: action.into(),
        due_on,
    };
    for (bad, field) in [
        (action("  ", "Flag the address", today), "owner"),
        (action("PC Jones", "", today), "action"),
        (
            action("PC Jones", "Flag the address", today - Duration::days(30)),
            "due_on",
        ),
    ] {
        let e = s.add_marac_action(bad).unwrap_err();
        assert!(e.to_string().starts_with(field), "{e}");
    }
    let overdue = s
        .add_marac_action(action(
            "PC Jones",
            "Flag the address",
            today - Duration::days(7),
        ))
        .unwrap();
    let later = s
        .add_marac_action(action(
            "IDVA",
            "Safety planning visit",
            today + Duration::days(7),
        ))
        .unwrap();
    s.set_marac_outcome(m.id, "Actions agreed; review at next MARAC")
        .unwrap();
    assert!(s.set_marac_outcome(m.id, "  ").is_err());
    let due: Vec<_> = s
        .due(false)
        .unwrap()
        .into_iter()
        .filter_map(|d| match d.due {
            Due::MaracActionOverdue { action } => Some(action.id),
            _ => None,
        })
        .collect();
    assert_eq!(due, [overdue.id]);
    let e = s
        .complete_marac_action(overdue.id, Some(today + Duration::days(3)))
        .unwrap_err();
    assert!(e.to_string().starts_with("done_on"), "{e}");
    s.complete_marac_action(overdue.id, None).unwrap();
    assert!(
        s.complete_marac_action(overdue.id, Some(today)).is_err(),
        "done once"
    );
    let view = s.open_case(case).unwrap();
    assert_eq!(
        view.marac_meetings[0].outcome.as_deref(),
        Some("Actions agreed; review at next MARAC")
    );
    let done: Vec<_> = view
        .marac_actions
        .iter()
        .map(|a| (a.id, a.done_on))
        .collect();
    assert_eq!(done, [(overdue.id, Some(today)), (later.id, None)]);
    assert!(!s
        .due(false)
        .unwrap()
        .iter()
        .any(|d| matches!(d.due, Due::MaracActionOverdue { .. })));

    // The safety plan: one per case; a review date is needed, not past.
    let plan = |review_on| SafetyPlanInput {
        case_id: case,
        safe_places: Some("Her sister's on Mill Lane".into()),
        code_words: Some("'Is the kettle on?' means call 999".into()),
        review_on,
        ..Default::default()
    };
    assert!(s
        .save_safety_plan(plan(None))
        .unwrap_err()
        .to_string()
        .starts_with("review_on"));
    let past = s.save_safety_plan(plan(Some(today - Duration::days(1))));
    assert!(past.unwrap_err().to_string().contains("in the past"));
    let first = s
        .save_safety_plan(plan(Some(today + Duration::days(28))))
        .unwrap();
    let second = s
        .save_safety_plan(SafetyPlanInput {
            escape_bag: Some("Documents and a phone charger, at her sister's".into()),
            ..plan(Some(today))
        })
        .unwrap();
    assert_eq!(first.id, second.id, "one plan per case");
    let shown = s.open_case(case).unwrap().safety_plan.unwrap();
    assert_eq!(
        shown.escape_bag.as_deref(),
        Some("Documents and a phone charger, at her sister's")
    );
    assert_eq!(shown.review_on, today);
    assert!(
        s.due(false)
            .unwrap()
            .iter()
            .any(|d| d.case_id == case && matches!(d.due, Due::SafetyPlanReview { .. })),
        "review by today is due"
    );
    let exported = waymark_core::queries::export_case(s.connection(), case).unwrap();
    assert_eq!(exported.marac_actions.len(), 2);
    assert!(exported.safety_plan.is_some());
}

/// People linked to a case: the other party is masked on every list until
/// an audited reveal, never in the case's export, and never opened as a
/// case from the person's; a child opens as a case of their own, linked
/// both ways. Bad input names the field and writes nothing.
#[test]
fn linked_people_mask_the_other_party_and_a_child_opens_as_a_case() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = s
        .create_case(NewCase {
            person: NewPerson {
                full_name: "Lena Linked".into(),
                ..Default::default()
            },
            referral_source: ReferralSource::SelfReferral,
            programme: "Keywork".into(),
        })
        .unwrap();
    let today = Utc::now().date_naive();
    let link = |relation, name: &str| NewLinkedPerson {
        case_id: case,
        relation,
        name: name.into(),
        date_of_birth: None,
        lives: None,
        known_to_childrens_services: None,
        details: None,
    };
    for (bad, field) in [
        (link(Relation::Child, "  "), "name"),
        (
            NewLinkedPerson {
                date_of_birth: Some(today + Duration::days(3)),
                ..link(Relation::Child, "Future Child")
            },
            "date_of_birth",
        ),
    ] {
        let err = s.add_linked_person(bad).unwrap_err();
        assert!(
            matches!(&err, Error::Invalid { field: f, .. } if f == field),
            "{err:?}"
        );
    }
    assert!(
        s.linked_people(case).unwrap().is_empty(),
        "nothing half-written"
    );

    let child = s
        .add_linked_person(NewLinkedPerson {
            date_of_birth: Some(NaiveDate::from_ymd_opt(2019, 4, 2).unwrap()),
            lives: Some("With Lena".into()),
            known_to_childrens_services: Some(true),
            ..link(Relation::Child, "Ada Linked")
        })
        .unwrap();
    let other = s
        .add_linked_person(NewLinkedPerson {
            details: Some("Drives a blue van; works nights".into()),
            lives: Some("12 Quarry Road".into()),
            ..link(Relation::OtherParty, "Victor Quarry")
        })
        .unwrap();
    assert_eq!(other.name, "Other party (hidden)", "masked from the start");

    // Masked in the case view and the list; shown whole only on a reveal,
    // which the audit trail records.
    let view = s.open_case(case).unwrap();
    assert_eq!(view.linked.len(), 2);
    assert_eq!(view.linked[0].name, "Ada Linked");
    let masked = &view.linked[1];
    assert_eq!(masked.relation, Relation::OtherParty);
    assert_eq!(masked.name, "Other party (hidden)");
    assert!(masked.details.is_none() && masked.lives.is_none());
    let listed = serde_json::to_string(&s.linked_people(case).unwrap()).unwrap();
    assert!(
        !listed.contains("Victor") && !listed.contains("Quarry"),
        "{listed}"
    );
    let shown = s.reveal_linked_person(other.id).unwrap();
    assert_eq!(shown.name, "Victor Quarry");
    assert_eq!(shown.lives.as_deref(), Some("12 Quarry Road"));
    let audit = s.audit_trail(Some(case), 5).unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "reveal_linked" && a.record_id == Some(other.id)),
        "{audit:?}"
    );

    // The export carries the child, never the other party.
    let export = serde_json::to_string(&s.export_case(case).unwrap()).unwrap();
    assert!(export.contains("Ada Linked"));
    for secret in ["Victor", "Quarry", "blue van"] {
        assert!(!export.contains(secret), "{secret} in the export");
    }

    // The child opens as a case of their own; the other party never does.
    let refused = s.open_linked_case(other.id, "Keywork", ReferralSource::SelfReferral);
    assert!(
        matches!(&refused, Err(Error::Invalid { field, .. }) if field == "link_id"),
        "{refused:?}"
    );
    let own = s
        .open_linked_case(child.id, "Keywork", ReferralSource::SelfReferral)
        .unwrap();
    let theirs = s.open_case(own).unwrap();
    assert_eq!(theirs.person.full_name, "Ada Linked");
    assert_eq!(theirs.person.date_of_birth, child.date_of_birth);
    assert_eq!(theirs.linked_from.len(), 1);
    assert_eq!(theirs.linked_from[0].case_id, case);
    assert_eq!(theirs.linked_from[0].person_name, "Lena Linked");
    assert_eq!(
        s.open_case(case).unwrap().linked[0].own_case_id,
        Some(own),
        "stays linked"
    );
    let again = s.open_linked_case(child.id, "Keywork", ReferralSource::SelfReferral);
    assert!(matches!(again, Err(Error::Invalid { .. })), "{again:?}");
}

/// A group session's register is attendance on each person's case: their
/// timeline shows the session (never the group note), one record per
/// person per session however often it is marked. Outreach tallies name
/// no one and reach the report under the small-number rule. Bad input is
/// named and nothing is written.
#[test]
fn group_registers_and_outreach_tallies() {
    use waymark_core::report::{Figure, Scope};
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let rhea = person(&mut s, "Rhea Group");
    let sol = person(&mut s, "Sol Group");
    let today = Utc::now().date_naive();
    let session = |title: &str| NewGroupSession {
        title: title.into(),
        programme: Some("Freedom Programme".into()),
        place: "Women's centre, room 2".into(),
        held_on: today,
        facilitators: "Amina and Jo".into(),
        note: Some("Week 3: the dominator. Good energy, one left early".into()),
    };
    for (bad, field) in [
        (session("  "), "title"),
        (
            NewGroupSession {
                facilitators: "".into(),
                ..session("Week 3")
            },
            "facilitators",
        ),
    ] {
        let err = s.add_group_session(bad).unwrap_err();
        assert!(
            matches!(&err, Error::Invalid { field: f, .. } if f == field),
            "{err:?}"
        );
    }
    assert!(s.group_sessions().unwrap().is_empty());
    let week3 = s.add_group_session(session("Week 3")).unwrap();
    s.mark_attendance(week3.id, rhea, true).unwrap();
    s.mark_attendance(week3.id, sol, true).unwrap();
    let register = s.mark_attendance(week3.id, sol, false).unwrap();
    assert_eq!(
        register
            .register
            .iter()
            .map(|e| (e.person_name.as_str(), e.attended))
            .collect::<Vec<_>>(),
        [("Rhea Group", true), ("Sol Group", false)],
        "one place each on the register"
    );
    let missing = s.mark_attendance(week3.id, uuid::Uuid::new_v4(), true);
    assert!(missing.is_err());
    let timeline = s.timeline(rhea).unwrap();
    let item = timeline.iter().find(|i| i.kind == "attendance").unwrap();
    assert_eq!(
        item.event,
        waymark_core::queries::TimelineEvent::Attendance {
            title: "Week 3".into(),
            attended: true
        }
    );
    let everything =
        serde_json::to_string(&(s.timeline(rhea).unwrap(), s.export_case(rhea).unwrap())).unwrap();
    assert!(
        !everything.contains("dominator"),
        "the group note stays on the session"
    );
    assert!(s.timeline(sol).unwrap().iter().any(|i| i.event
        == waymark_core::queries::TimelineEvent::Attendance {
            title: "Week 3".into(),
            attended: false
        }));

    // Tallies: bad input first; then counts by site and by help.
    let tally = |site: &str, count, help: Vec<HelpKind>| NewOutreachTally {
        counted_on: today,
        site: site.into(),
        count,
        help,
        note: None,
    };
    for (bad, field) in [
        (tally("Market car park", 0, vec![]), "count"),
        (tally(" ", 3, vec![]), "site"),
        (
            NewOutreachTally {
                note: Some("x".repeat(201)),
                ..tally("Market car park", 3, vec![])
            },
            "note",
        ),
        (
            NewOutreachTally {
                counted_on: today + Duration::days(2),
                ..tally("Market car park", 3, vec![])
            },
            "counted_on",
        ),
    ] {
        let err = s.add_outreach_tally(bad).unwrap_err();
        assert!(
            matches!(&err, Error::Invalid { field: f, .. } if f == field),
            "{err:?}"
        );
    }
    assert!(s
        .outreach_tallies(today - Duration::days(1))
        .unwrap()
        .is_empty());
    s.add_outreach_tally(tally(
        "Market car park",
        7,
        vec![HelpKind::Food, HelpKind::Signposting, HelpKind::Food],
    ))
    .unwrap();
    s.add_outreach_tally(tally("Market car park", 5, vec![HelpKind::Food]))
        .unwrap();
    s.add_outreach_tally(tally("Bus station", 2, vec![HelpKind::Information]))
        .unwrap();
    s.add_outreach_tally(tally("Leisure centre", 9, vec![]))
        .unwrap();
    let listed = s.outreach_tallies(today).unwrap();
    assert_eq!(listed.len(), 4);
    assert!(
        listed
            .iter()
            .any(|t| t.help == [HelpKind::Food, HelpKind::Signposting]),
        "deduplicated"
    );
    let as_supervisor = certificates_with_roles(&[(&s, waymark_protocol::Role::Supervisor)]);
    assert!(s.accept_trust(TEST_ORG, &as_supervisor).unwrap().is_empty());
    let report = s
        .report(&Scope {
            from: today - Duration::days(30),
            to: today,
            programme: None,
            team: None,
        })
        .unwrap();
    let section = report
        .sections
        .iter()
        .find(|s| s.title == "Outreach without a case")
        .expect("an outreach section");
    let by_site = &section.breakdowns[0].table;
    assert_eq!(
        by_site.rows,
        ["Bus station", "Leisure centre", "Market car park"]
    );
    assert_eq!(
        by_site.cells[0][0],
        Figure::Small,
        "2 contacts at one site: not shown"
    );
    // The total is shown, so the next smallest is withheld with it.
    assert_eq!(by_site.cells[1][0], Figure::Withheld);
    assert_eq!(by_site.cells[2][0], Figure::Count(12));
    assert_eq!(by_site.total, Figure::Count(23));
    let by_help = &section.breakdowns[1].table;
    let food = by_help.rows.iter().position(|r| r == "food").unwrap();
    assert_eq!(by_help.cells[food][0], Figure::Count(12));
}

#[test]
fn the_edit_form_saves_what_changed_keeps_a_restricted_address_and_refuses_bad_input_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = s
        .add_person(NewPerson {
            full_name: "Orla Testcase".into(),
            phone: Some("07700 900123".into()),
            address: Some("1 Refuge Lane".into()),
            address_restricted: true,
            needs: vec![Need::new(NeedArea::Housing, None)],
            ..Default::default()
        })
        .unwrap();
    // The form starts from the case view, where the address is masked.
    let shown = s.open_case(case).unwrap().person;
    assert_eq!(
        shown.address, None,
        "the view never carries a restricted address"
    );
    let start = s.outbox(0, 1000).unwrap().last().map_or(0, |c| c.seq);

    let form = PersonEdit::of(&shown);
    let mut edit = form.clone();
    edit.phone = Some("07700 900999".into());
    edit.needs.push(Need::new(NeedArea::MentalHealth, None));
    edit.address_restricted = false; // unticked, but no new address given
    s.edit_person(case, &form, edit.clone()).unwrap();
    let after = s.person(case).unwrap();
    assert_eq!(after.phone.as_deref(), Some("07700 900999"));
    let today = Utc::now().date_naive();
    assert_eq!(
        after.needs,
        [
            Need::new(NeedArea::Housing, Some(today)),
            Need::new(NeedArea::MentalHealth, Some(today))
        ],
        "a new case's need and a need added by the form are known from today"
    );
    assert_eq!(
        (after.address.as_deref(), after.address_restricted),
        (Some("1 Refuge Lane"), true)
    );
    let changes = s.outbox(start, 100).unwrap();
    assert_eq!(changes.len(), 1);
    let Op::Put { fields, .. } = &changes[0].body.payload else {
        panic!("an edit is a put");
    };
    assert_eq!(
        fields.keys().collect::<Vec<_>>(),
        ["needs", "phone"],
        "only what changed travels"
    );

    // Bad input: named, and nothing of the edit written.
    let before = counts(&s);
    for (field, broken) in [
        (
            "full_name",
            PersonEdit {
                full_name: "  ".into(),
                ..edit.clone()
            },
        ),
        (
            "phone",
            PersonEdit {
                phone: Some("call me".into()),
                full_name: "Orla T".into(),
                ..edit.clone()
            },
        ),
        (
            "date_of_birth",
            PersonEdit {
                date_of_birth: Some(NaiveDate::from_ymd_opt(2999, 1, 1).unwrap()),
                ..edit.clone()
            },
        ),
    ] {
        let e = s.edit_person(case, &form, broken).unwrap_err();
        assert!(e.to_string().starts_with(&format!("{field}:")), "{e}");
        assert_eq!(counts(&s), before, "nothing written for a bad {field}");
        assert_eq!(s.person(case).unwrap(), after);
    }

    // A consent decision, trimmed; a future one refused whole.
    let today = Utc::now().date_naive();
    s.record_consent(
        case,
        ConsentDecision {
            topic: " share with her GP ".into(),
            agreed: true,
            decided_on: today,
            note: Some(" Dr Ahmed ".into()),
        },
    )
    .unwrap();
    let e = s
        .record_consent(
            case,
            ConsentDecision {
                topic: "share with housing".into(),
                agreed: false,
                decided_on: today + Duration::days(3),
                note: None,
            },
        )
        .unwrap_err();
    assert!(e.to_string().starts_with("consents.decided_on:"), "{e}");
    let e = s
        .record_consent(
            case,
            ConsentDecision {
                topic: "   ".into(),
                agreed: false,
                decided_on: today,
                note: None,
            },
        )
        .unwrap_err();
    assert!(e.to_string().starts_with("consents.topic:"), "{e}");
    let consents = s.person(case).unwrap().consents;
    assert_eq!(
        consents,
        [ConsentDecision {
            topic: "share with her GP".into(),
            agreed: true,
            decided_on: today,
            note: Some("Dr Ahmed".into())
        }]
    );
    assert_eq!(
        s.person(case).unwrap().address.as_deref(),
        Some("1 Refuge Lane")
    );
}

#[test]
fn a_subject_access_export_holds_the_whole_record_readable_escaped_and_audited() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = s
        .add_person(NewPerson {
            full_name: "Orla Testcase".into(),
            address: Some("1 Refuge Lane".into()),
            address_restricted: true,
            ..Default::default()
        })
        .unwrap();
    let hostile = "Said <script>alert('x')</script> & \"left\"";
    let n = note(&mut s, case, hostile);
    s.amend_note(n, "Said she left on Tuesday", "the day was wrong")
        .unwrap();
    s.record_consent(
        case,
        ConsentDecision {
            topic: "share with her GP".into(),
            agreed: true,
            decided_on: Utc::now().date_naive(),
            note: None,
        },
    )
    .unwrap();
    let letter = b"%PDF-1.4 the housing letter".to_vec();
    s.add_attachment(case, "housing letter.pdf", "application/pdf", &letter)
        .unwrap();
    s.add_linked_person(NewLinkedPerson {
        case_id: case,
        relation: Relation::OtherParty,
        name: "Kieran Otherparty".into(),
        date_of_birth: None,
        lives: None,
        known_to_childrens_services: None,
        details: None,
    })
    .unwrap();
    s.add_linked_person(NewLinkedPerson {
        case_id: case,
        relation: Relation::Child,
        name: "Maisie Testcase".into(),
        date_of_birth: None,
        lives: None,
        known_to_childrens_services: None,
        details: None,
    })
    .unwrap();

    let export = s.subject_access_export(case).unwrap();
    assert!(export.file_name.starts_with("Subject access ") && export.file_name.ends_with(".zip"));
    assert!(
        !export.file_name.contains("Orla"),
        "the file name names no one"
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(export.bytes.to_vec())).unwrap();
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    assert_eq!(
        names,
        ["summary.html", "record.json", "files/01 housing letter.pdf"]
    );
    let mut read = |name: &str| {
        let mut entry = zip.by_name(name).unwrap();
        assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o600), "{name}");
        let mut out = Vec::new();
        entry.read_to_end(&mut out).unwrap();
        out
    };
    let summary = String::from_utf8(read("summary.html")).unwrap();
    assert!(
        summary.contains("Orla Testcase") && summary.contains("1 Refuge Lane"),
        "her own record, her own address"
    );
    assert!(
        summary.contains(
            "Said &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;left&quot;"
        ),
        "escaped"
    );
    assert!(!summary.contains("<script"), "nothing runs");
    assert!(summary.contains("Said she left on Tuesday") && summary.contains("the day was wrong"));
    assert!(summary.contains("Agreed: share with her GP"));
    assert!(summary.contains("Maisie Testcase"));
    assert!(summary.contains(
        "housing letter.pdf: in this export as <code>files/01 housing letter.pdf</code>"
    ));
    let record: serde_json::Value = serde_json::from_slice(&read("record.json")).unwrap();
    assert_eq!(record["person"]["full_name"], "Orla Testcase");
    assert_eq!(
        record["notes"][0]["amendments"][0]["reason"],
        "the day was wrong"
    );
    assert_eq!(read("files/01 housing letter.pdf"), letter);
    for text in [&summary, &record.to_string()] {
        assert!(
            !text.contains("Kieran"),
            "the other party's details are not hers to receive"
        );
    }
    let audited = s.audit_trail(Some(case), 100).unwrap();
    assert!(
        audited.iter().any(|a| a.action == "subject_access_export"),
        "{audited:?}"
    );

    let before = s.audit_trail(None, 1000).unwrap().len();
    let unknown = uuid::Uuid::new_v4();
    let e = s
        .subject_access_export(unknown)
        .err()
        .expect("no such case");
    assert_eq!(e.to_string(), format!("no case with id {unknown}"));
    assert_eq!(
        s.audit_trail(None, 1000).unwrap().len(),
        before,
        "nothing audited for a case not here"
    );
}

#[test]
fn needs_carry_their_day_and_a_referral_names_only_a_consent_agreed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = person(&mut s, "Orla Testcase");
    let today = Utc::now().date_naive();
    let march = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    s.add_need(case, NeedArea::Housing, Some(march)).unwrap();
    s.add_need(case, NeedArea::Finance, None).unwrap();
    assert_eq!(
        s.person(case).unwrap().needs,
        [
            Need::new(NeedArea::Housing, Some(march)),
            Need::new(NeedArea::Finance, Some(today))
        ]
    );
    // Bad input is refused whole, naming the field and why.
    let start = s.outbox(0, 1000).unwrap().last().map_or(0, |c| c.seq);
    let refused = |e: Error| waymark_core::model::Problem::from(e);
    let twice = refused(s.add_need(case, NeedArea::Housing, None).unwrap_err());
    assert_eq!(twice.field.as_deref(), Some("needs"));
    assert_eq!(twice.message, "housing is listed twice");
    let ahead = refused(
        s.add_need(case, NeedArea::Other, Some(today + Duration::days(2)))
            .unwrap_err(),
    );
    assert_eq!(ahead.field.as_deref(), Some("needs.since"));
    assert!(
        ahead.message.ends_with("is in the future"),
        "{}",
        ahead.message
    );
    let absent = refused(s.remove_need(case, NeedArea::Education).unwrap_err());
    assert_eq!(
        (absent.field.as_deref(), absent.message.as_str()),
        (Some("need"), "is not one of the person's needs")
    );
    assert_eq!(s.outbox(start, 100).unwrap(), [], "nothing half-written");
    // A whole update keeps the day held for a need it names again.
    let mut p = s.person(case).unwrap();
    p.needs = vec![Need::new(NeedArea::Housing, None)];
    s.update_person(p).unwrap();
    assert_eq!(
        s.person(case).unwrap().needs,
        [Need::new(NeedArea::Housing, Some(march))]
    );
    s.remove_need(case, NeedArea::Housing).unwrap();
    assert_eq!(s.person(case).unwrap().needs, []);

    // A referral may name a consent the person agreed, and no other.
    let decide = |s: &mut Session, topic: &str, agreed: bool, days_ago: i64| {
        s.record_consent(
            case,
            ConsentDecision {
                topic: topic.into(),
                agreed,
                decided_on: today - Duration::days(days_ago),
                note: None,
            },
        )
        .unwrap()
    };
    decide(&mut s, "share with GP", true, 10);
    decide(&mut s, "share with housing", true, 10);
    decide(&mut s, "share with housing", false, 1); // withdrawn since
    let referral = |topic: &str| NewReferral {
        case_id: case,
        agency: Agency::Gp,
        reason: "registration".into(),
        made_on: None,
        assessment_id: None,
        consent_topic: Some(topic.into()),
    };
    let id = s.add_referral(referral(" share with GP ")).unwrap();
    let made = s.referrals(case).unwrap();
    assert_eq!(made[0].id, id);
    assert_eq!(made[0].consent_topic.as_deref(), Some("share with GP"));
    let start = s.outbox(0, 1000).unwrap().last().map_or(0, |c| c.seq);
    for topic in ["share with housing", "share with police", "SHARE WITH GP"] {
        let e = refused(s.add_referral(referral(topic)).unwrap_err());
        assert_eq!(
            (e.field.as_deref(), e.message.as_str()),
            (
                Some("consent_topic"),
                "is not a consent the person has agreed to"
            ),
            "{topic}"
        );
        assert_eq!(
            e.reason.as_deref(),
            Some(&waymark_core::model::Reason::NotAgreedConsent)
        );
    }
    assert_eq!(s.outbox(start, 100).unwrap(), [], "nothing half-written");
    assert_eq!(s.referrals(case).unwrap().len(), 1);
}
