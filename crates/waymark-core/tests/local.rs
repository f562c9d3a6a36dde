//! Device-local state: drafts, settings, reminders, caseload pages and the
//! live assessment score.

use chrono::{Duration, Utc};
use std::collections::BTreeMap;
use waymark_core::api::{NewAppointment, NewAssessment, NewNote};
use waymark_core::assessment::Answer;
use waymark_core::domain::{Agency, ContactType};
use waymark_core::local::{NoteDraft, Settings};
use waymark_core::queries::CaseloadFilter;
use waymark_core::Session;
use waymark_testkit::device::*;

fn outbox_len(s: &Session) -> i64 {
    s.connection()
        .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn drafts_survive_locking_stay_per_person_never_sync_and_go_when_the_note_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = person(&mut s, "Orla Example");
    Session::create(dir.path(), "bea", &pass()).unwrap().lock();
    let queued = outbox_len(&s);
    let draft = NoteDraft {
        body: "Half-written: talked about the move".into(),
        contact_type: Some(ContactType::Visit),
        duration_minutes: Some(40),
        ..Default::default()
    };
    s.save_note_draft(case, &draft).unwrap();
    assert_eq!(outbox_len(&s), queued, "a draft must not sync");
    s.lock();

    let s = Session::unlock(dir.path(), Some("bea"), &pass()).unwrap();
    assert_eq!(s.note_draft(case).unwrap(), None, "drafts are per person");
    s.lock();

    let mut s = Session::unlock(dir.path(), Some("amina"), &pass()).unwrap();
    let back = s
        .note_draft(case)
        .unwrap()
        .expect("the draft survives a lock");
    assert_eq!(back.body, draft.body);
    assert_eq!(back.duration_minutes, Some(40));
    assert!(back.saved_at.is_some());
    assert_eq!(s.drafts().unwrap(), vec![case]);

    let too_long = NoteDraft {
        body: "x".repeat(100_001),
        ..Default::default()
    };
    let e = s.save_note_draft(case, &too_long).unwrap_err();
    assert!(e.to_string().starts_with("body:"), "{e}");
    assert_eq!(s.note_draft(case).unwrap().unwrap().body, draft.body);

    s.add_note(NewNote {
        case_id: case,
        body: back.body,
        contact_type: ContactType::Visit,
        occurred_at: None,
        duration_minutes: Some(40),
        location: None,
    })
    .unwrap();
    assert_eq!(
        s.note_draft(case).unwrap(),
        None,
        "saving the note drops its draft"
    );
}

#[test]
fn settings_are_per_person_and_bad_ones_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    assert_eq!(s.settings().unwrap(), Settings::default());
    let mine = Settings {
        lock_minutes: 2,
        language: "cy".into(),
    };
    s.save_settings(&mine).unwrap();
    for (bad, field) in [
        (
            Settings {
                lock_minutes: 0,
                language: "en".into(),
            },
            "lock_minutes:",
        ),
        (
            Settings {
                lock_minutes: 5,
                language: "fr".into(),
            },
            "language:",
        ),
    ] {
        let e = s.save_settings(&bad).unwrap_err();
        assert!(e.to_string().starts_with(field), "{e}");
        assert_eq!(
            s.settings().unwrap(),
            mine,
            "nothing of a refused save is kept"
        );
    }
    Session::create(dir.path(), "bea", &pass()).unwrap().lock();
    s.lock();
    let s = Session::unlock(dir.path(), Some("bea"), &pass()).unwrap();
    assert_eq!(s.settings().unwrap(), Settings::default());
}

#[test]
fn caseload_pages_cover_the_whole_sorted_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    for i in 0..23 {
        person(&mut s, &format!("Person Example{i:02}"));
    }
    let all = s.caseload(&CaseloadFilter::default()).unwrap();
    let mut paged = Vec::new();
    for offset in (0..30).step_by(10) {
        let page = s
            .caseload_page(&CaseloadFilter::default(), offset, 10)
            .unwrap();
        assert_eq!(page.total, 23);
        paged.extend(page.entries);
    }
    assert_eq!(paged, all);
    // "Mine": the cases this person is keyworker of.
    let mine = s
        .create_case(waymark_core::api::NewCase {
            person: waymark_core::api::NewPerson {
                full_name: "Kept By Amina".into(),
                ..Default::default()
            },
            referral_source: waymark_core::domain::ReferralSource::SelfReferral,
            programme: "Women's support".into(),
        })
        .unwrap();
    let filter = CaseloadFilter {
        mine: true,
        ..Default::default()
    };
    let page = s.caseload_page(&filter, 0, 10).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.entries[0].case_id, mine);
    let e = s
        .caseload_page(&CaseloadFilter::default(), 0, 0)
        .unwrap_err();
    assert!(e.to_string().starts_with("limit:"), "{e}");
}

#[test]
fn the_live_score_is_the_score_the_assessment_gets() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = person(&mut s, "Orla Example");
    let template = waymark_core::assessment::builtin_templates().remove(0);
    let mut answers: BTreeMap<String, Answer> = BTreeMap::new();
    for (i, q) in template.questions.iter().enumerate() {
        if matches!(q.answer, waymark_core::assessment::AnswerKind::YesNo) {
            answers.insert(
                q.id.clone(),
                Answer::YesNo(i % 2 == 0 && q.escalates_to.is_none()),
            );
        }
        let live = s.score_assessment(&template.key, None, &answers).unwrap();
        assert!(live.unanswered.len() <= template.questions.len() - answers.len());
    }
    for q in &template.questions {
        answers
            .entry(q.id.clone())
            .or_insert(Answer::Text(String::new()));
    }
    let live = s.score_assessment(&template.key, None, &answers).unwrap();
    assert!(live.unanswered.is_empty());
    let preview = live.result;
    let saved = s
        .complete_assessment(NewAssessment {
            case_id: case,
            template_key: template.key.clone(),
            template_version: None,
            answers,
        })
        .unwrap();
    assert_eq!((preview.score, preview.level), (saved.score, saved.level));
    let e = s
        .score_assessment("no-such-template", None, &BTreeMap::new())
        .unwrap_err();
    assert!(e.to_string().contains("template"), "{e}");
}

#[test]
fn a_reminder_shows_once_with_the_time_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = person(&mut s, "Orla Example");
    let start = (Utc::now() + Duration::minutes(20))
        .with_timezone(&chrono_tz::Europe::London)
        .format("%H:%M")
        .to_string();
    let at = Utc::now() + Duration::minutes(20);
    s.add_appointment(NewAppointment {
        case_id: case,
        starts_at: at,
        ends_at: at + Duration::hours(1),
        place: Some("Court".into()),
        agency: Agency::Court,
        with_whom: None,
        reminder_minutes: Some(30),
        accompany: false,
    })
    .unwrap();
    let text = s.take_due_reminders(Utc::now()).unwrap().unwrap();
    assert_eq!(text, format!("1 appointment at {start}"));
    assert!(!text.contains("Orla") && !text.contains("Court"));
    assert_eq!(s.take_due_reminders(Utc::now()).unwrap(), None);
}

#[test]
fn retention_lists_only_cases_closed_long_enough() {
    use chrono::NaiveDate;
    use waymark_core::api::NewEpisode;
    use waymark_core::domain::ReferralSource;
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let episode = |s: &mut Session, case, opened| {
        s.add_episode(NewEpisode {
            case_id: case,
            referral_source: ReferralSource::SelfReferral,
            programme: "Women's support".into(),
            keyworker: "amina".into(),
            opened_on: opened,
            route: None,
        })
        .unwrap()
    };
    let long_closed = person(&mut s, "Long Closed");
    let e = episode(&mut s, long_closed, day(2018, 1, 1));
    s.close_episode(e, day(2019, 6, 1), "moved away").unwrap();
    let recent = person(&mut s, "Recently Closed");
    let e = episode(&mut s, recent, day(2024, 1, 1));
    let ten_days_ago = Utc::now().date_naive() - Duration::days(10);
    s.close_episode(e, ten_days_ago, "goals met").unwrap();
    let reopened = person(&mut s, "Came Back");
    let e = episode(&mut s, reopened, day(2018, 1, 1));
    s.close_episode(e, day(2019, 1, 1), "goals met").unwrap();
    episode(&mut s, reopened, day(2025, 1, 1));
    person(&mut s, "No Episode");

    let year = s.retention_review(365).unwrap();
    assert_eq!(year.len(), 1, "{year:?}");
    assert_eq!(year[0].case_id, long_closed);
    assert_eq!(year[0].closed_on, day(2019, 6, 1));
    assert_eq!(year[0].closure_reason.as_deref(), Some("moved away"));
    let week: Vec<_> = s
        .retention_review(7)
        .unwrap()
        .into_iter()
        .map(|i| i.case_id)
        .collect();
    assert_eq!(week, vec![long_closed, recent], "longest closed first");
    let e = s.retention_review(0).unwrap_err();
    assert!(e.to_string().starts_with("closed_for_days:"), "{e}");
}

/// What is due is a worker's own cases' and a supervisor's whole list: the
/// core decides from the role the organisation confirmed, not the screen.
#[test]
fn what_is_due_is_a_workers_own_and_a_supervisors_whole_list() {
    use waymark_core::api::{NewCondition, NewEpisode};
    use waymark_core::domain::{ConditionKind, DisposalRoute, ReferralSource};
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_store(dir.path());
    let case = person(&mut s, "Jo Example");
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 1, d).unwrap();
    let episode = s
        .add_episode(NewEpisode {
            case_id: case,
            referral_source: ReferralSource::Police,
            programme: "Diversion".into(),
            keyworker: "a colleague".into(),
            opened_on: day(5),
            route: Some(DisposalRoute::DeferredProsecution),
        })
        .unwrap();
    s.add_condition(NewCondition {
        episode_id: episode,
        kind: ConditionKind::Apology,
        detail: None,
        due_on: day(10),
    })
    .unwrap();
    assert_eq!(s.due(false).unwrap().len(), 1, "overdue on the case");
    assert!(s.due_for_me().unwrap().is_empty(), "not this worker's case");
    let relayed = certificates_with_roles(&[(&s, waymark_protocol::Role::Supervisor)]);
    assert!(s.accept_trust(TEST_ORG, &relayed).unwrap().is_empty());
    assert_eq!(s.due_for_me().unwrap().len(), 1, "a supervisor's list");
}
