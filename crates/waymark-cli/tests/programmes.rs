//! Programmes, outcomes and reports across processes: an admin's CLI defines
//! organisation data, a real server relays it, and every colleague's device
//! has it after its next sync (SQLite server store only: the relay is the
//! same one the sync tests run on both stores).

mod devices;

use devices::Device;
use std::path::Path;
use waymark_testkit::server::*;

/// An organisation with a worker and her supervisor in one team, and an
/// admin (whose store shares the worker's laptop), each device confirmed.
struct North {
    amira: Device,
    sam: Device,
    ada: Device,
    /// Kept running while the devices are used.
    _server: Server,
}

impl North {
    fn start(dir: &Path) -> North {
        // SQLite: the relay is the one the sync tests run on both stores.
        let db = dir.join("server.db").display().to_string();
        let server = Server::start(&db, dir);
        org_with(
            &db,
            "North",
            &[
                ("amira", "worker", Some("outreach")),
                ("sam", "supervisor", Some("outreach")),
                ("ada", "admin", None),
            ],
        );
        North {
            amira: Device::confirmed(dir.join("amira"), "amira", &server.url, "ada"),
            sam: Device::confirmed(dir.join("sam"), "sam", &server.url, "ada"),
            ada: Device::admin_laptop(&dir.join("amira"), "ada", &server.url),
            _server: server,
        }
    }
}

/// An admin adds programmes; bad input is named and writes nothing; a
/// worker cannot add one; after a sync the worker's device lists exactly
/// what the admin made, retirement included.
#[test]
fn programmes_an_admin_adds_reach_every_device() {
    let dir = tempfile::tempdir().unwrap();
    let North {
        amira,
        ada,
        _server,
        ..
    } = North::start(dir.path());

    let added = ada.json(&[
        "programme",
        "add",
        "--name",
        "Diversion scheme",
        "--kind",
        "diversion",
        "--weeks",
        "16",
        "--outcome-area",
        "Housing",
        "--outcome-area",
        "Wellbeing",
        "--follow-up-months",
        "6,12",
        "--json",
    ]);
    assert_eq!(added["follow_up_months"], serde_json::json!([6, 12]));
    for (args, says) in [
        (
            vec!["--name", "Keywork", "--kind", "keywork"],
            "\"keywork\" is not one of: diversion",
        ),
        (
            vec!["--name", "  ", "--kind", "outreach"],
            "name: must not be empty",
        ),
        (
            vec!["--name", "Van", "--kind", "outreach", "--weeks", "0"],
            "planned_weeks: must be from 1 to 520",
        ),
        (
            vec![
                "--name",
                "Van",
                "--kind",
                "outreach",
                "--outcome-area",
                "Safety",
                "--outcome-area",
                "safety ",
            ],
            "outcome_areas: \"safety\" is named twice",
        ),
        (
            vec![
                "--name",
                "Van",
                "--kind",
                "outreach",
                "--follow-up-months",
                "6,61",
            ],
            "follow_up_months: must be from 1 to 60",
        ),
        (
            vec!["--name", "diversion SCHEME", "--kind", "diversion"],
            "name: there is a programme named \"diversion SCHEME\" already",
        ),
    ] {
        let out = ada.run(&[&["programme", "add"][..], &args].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(says), "{args:?}: {said}");
    }
    let refused = amira.run(&["programme", "add", "--name", "Van", "--kind", "outreach"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("only an admin"));

    ada.ok(&[
        "programme",
        "add",
        "--name",
        "Outreach van",
        "--kind",
        "outreach",
    ]);
    ada.ok(&["programme", "retire", "outreach VAN"]);
    ada.sync();
    amira.sync();
    let listed = amira.json(&["programme", "list", "--json"]);
    let names: Vec<(&str, bool)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["retired"].as_bool().unwrap()))
        .collect();
    assert_eq!(names, [("Diversion scheme", false), ("Outreach van", true)]);
    assert_eq!(listed[0], added, "the same programme on both devices");
    let text = amira.ok(&["programme", "list"]);
    assert!(
        text.contains("Diversion scheme (diversion), 16 weeks, follow-ups at 6 and 12 months; outcome areas: Housing, Wellbeing"),
        "{text}"
    );
}

/// An episode joins one of the organisation's programmes by name, with its
/// disposal route; it moves through its stages only as `Stage::next` allows,
/// dated in order; an end closes it; bad input is named and writes nothing;
/// the supervisor's device shows the same episode and moves after a sync.
#[test]
fn an_episode_joins_a_programme_and_moves_through_its_stages() {
    let dir = tempfile::tempdir().unwrap();
    let North {
        amira,
        sam,
        ada,
        _server,
    } = North::start(dir.path());
    for (name, kind) in [
        ("Diversion scheme", "diversion"),
        ("Women's centre", "womens_centre"),
        ("Old scheme", "diversion"),
    ] {
        ada.ok(&["programme", "add", "--name", name, "--kind", kind]);
    }
    ada.ok(&["programme", "retire", "Old scheme"]);
    ada.sync();
    amira.sync();

    let case = amira.ok(&["person", "add", "--name", "Robin Example"]);
    let show = |d: &Device| d.json(&["person", "show", &case, "--json"]);
    let add = |programme: &str, more: &[&str]| {
        let base = [
            "episode",
            "add",
            &case,
            "--source",
            "police",
            "--keyworker",
            "amira",
            "--opened",
            "2026-01-05",
            "--programme",
            programme,
        ];
        amira.run(&[&base[..], more].concat())
    };
    for (programme, more, says) in [
        (
            "Nope",
            &[][..],
            "programme: no programme named \"Nope\": the organisation's are Diversion scheme, Women's centre",
        ),
        ("old SCHEME", &[], "programme: Old scheme is retired"),
        (
            "Women's centre",
            &["--route", "voluntary"],
            "route: Women's centre is not a diversion programme: only diversion takes a disposal route",
        ),
        (
            "Diversion scheme",
            &["--route", "caution"],
            "\"caution\" is not one of: conditional_caution, community_resolution",
        ),
    ] {
        let out = add(programme, more);
        assert_eq!(out.status.code(), Some(2), "{programme} {more:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(says), "{programme} {more:?}: {said}");
    }
    assert_eq!(
        show(&amira)["episodes"],
        serde_json::json!([]),
        "nothing written"
    );

    let out = add("diversion SCHEME", &["--route", "deferred_prosecution"]);
    assert!(out.status.success(), "{out:?}");
    let episode = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let view = show(&amira);
    let programmes = amira.json(&["programme", "list", "--json"]);
    assert_eq!(view["episodes"][0]["programme"], "Diversion scheme");
    assert_eq!(view["episodes"][0]["programme_id"], programmes[0]["id"]);
    assert_eq!(view["episodes"][0]["route"], "deferred_prosecution");

    let stage = |to: &str, on: &str| amira.run(&["stage", &episode, "--to", to, "--on", on]);
    for (to, on, says) in [
        (
            "completed",
            "2026-01-10",
            "stage: the episode is referred: it can move to engaged, declined, deselected, disengaged, returned_to_court, not completed",
        ),
        (
            "engaged",
            "2026-01-04",
            "on: 2026-01-04 is before the episode's last move or its opening (2026-01-05)",
        ),
        ("engaged", "2999-01-01", "moved_on: 2999-01-01 is in the future"),
        ("referred", "2026-01-10", "stage: the episode is referred: it can move to"),
        ("finished", "2026-01-10", "\"finished\" is not one of: referred, engaged"),
    ] {
        let out = stage(to, on);
        assert_eq!(out.status.code(), Some(2), "{to} {on}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(says), "{to} {on}: {said}");
    }
    assert_eq!(
        show(&amira)["stage_moves"],
        serde_json::json!([]),
        "nothing written"
    );

    for (to, on) in [
        ("engaged", "2026-01-12"),
        ("breached", "2026-03-01"),
        ("returned_to_court", "2026-03-15"),
    ] {
        let out = stage(to, on);
        assert!(out.status.success(), "{to}: {out:?}");
    }
    let out = stage("engaged", "2026-03-20");
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "the episode is returned to court: it has ended, and a new referral is a new episode"
    ));
    let view = show(&amira);
    let e = &view["episodes"][0];
    assert_eq!(
        (&e["status"], &e["closed_on"], &e["closure_reason"]),
        (&"closed".into(), &"2026-03-01".into(), &"breached".into()),
        "the breach ended the episode; the return to court after it changed nothing"
    );
    let reached: Vec<(&str, &str)> = view["stage_moves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["stage"].as_str().unwrap(),
                m["moved_on"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        reached,
        [
            ("engaged", "2026-01-12"),
            ("breached", "2026-03-01"),
            ("returned_to_court", "2026-03-15")
        ]
    );
    let text = amira.ok(&["person", "show", &case]);
    assert!(
        text.contains("Diversion scheme (closed, deferred_prosecution), returned to court, keyworker amira, opened 2026-01-05"),
        "{text}"
    );

    amira.sync();
    sam.sync();
    let seen = show(&sam);
    assert_eq!(seen["episodes"], view["episodes"]);
    assert_eq!(seen["stage_moves"], view["stage_moves"]);
}

/// A diversion's conditions are set, met, missed or varied with their rules
/// named; completing waits on every one met; follow-ups fall due at the
/// programme's months after closure and are recorded once; what is due
/// reaches the keyworker's list and the supervisor's; two devices recording
/// the same follow-up offline meet in one record.
#[test]
fn conditions_and_follow_ups_fall_due_for_the_keyworker_and_the_supervisor() {
    let dir = tempfile::tempdir().unwrap();
    let North {
        amira,
        sam,
        ada,
        _server,
    } = North::start(dir.path());
    ada.ok(&[
        "programme",
        "add",
        "--name",
        "Diversion scheme",
        "--kind",
        "diversion",
        "--follow-up-months",
        "6,12",
    ]);
    ada.ok(&[
        "programme",
        "add",
        "--name",
        "Women's centre",
        "--kind",
        "womens_centre",
    ]);
    ada.sync();
    amira.sync();

    let episode = |case: &str, programme: &str, opened: &str, keyworker: &str, route: &[&str]| {
        let base = [
            "episode",
            "add",
            case,
            "--source",
            "court",
            "--keyworker",
            keyworker,
            "--opened",
            opened,
            "--programme",
            programme,
        ];
        amira.ok(&[&base[..], route].concat())
    };
    let fails = |d: &Device, args: &[&str], says: &str| {
        let out = d.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(says), "{args:?}: {said}");
    };
    let robin = amira.ok(&["person", "add", "--name", "Robin Example"]);
    let e = episode(
        &robin,
        "Diversion scheme",
        "2024-09-02",
        "amira",
        &["--route", "deferred_prosecution"],
    );
    let kit = amira.ok(&["person", "add", "--name", "Kit Example"]);
    let keywork = episode(&kit, "Women's centre", "2026-11-01", "bea", &[]);
    let kit_diversion = episode(
        &kit,
        "Diversion scheme",
        "2026-11-01",
        "bea",
        &["--route", "conditional_caution"],
    );

    let condition = |e: &str, kind: &str, due: &str, more: &[&str]| {
        amira.ok(&[
            &["condition", "add", e, "--kind", kind, "--due", due][..],
            more,
        ]
        .concat())
    };
    fails(
        &amira,
        &[
            "condition",
            "add",
            &keywork,
            "--kind",
            "apology",
            "--due",
            "2026-11-20",
        ],
        "episode: has no disposal route",
    );
    fails(
        &amira,
        &[
            "condition",
            "add",
            &e,
            "--kind",
            "apology",
            "--due",
            "2024-08-01",
        ],
        "due_on: 2024-08-01 is before the episode opened (2024-09-02)",
    );
    fails(
        &amira,
        &[
            "condition",
            "add",
            &e,
            "--kind",
            "letter",
            "--due",
            "2024-10-01",
        ],
        "\"letter\" is not one of: no_further_offence, restorative",
    );
    let apology = condition(&e, "apology", "2024-10-01", &[]);
    let hours = condition(&e, "unpaid_hours", "2024-12-01", &["--detail", "12 hours"]);
    let no_offence = condition(&e, "no_further_offence", "2025-01-02", &[]);
    let kit_apology = condition(&kit_diversion, "apology", "2026-11-15", &[]);

    let set = |c: &str, args: &[&str]| amira.run(&[&["condition", "set", c][..], args].concat());
    let overdue: Vec<String> = amira
        .json(&["due", "--mine", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{} {}",
                i["due"]["kind"].as_str().unwrap(),
                i["due"]["condition"]["kind"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        overdue,
        [
            "condition_overdue apology",
            "condition_overdue unpaid_hours",
            "condition_overdue no_further_offence"
        ],
        "Kit's case is bea's"
    );
    assert!(set(&apology, &["--status", "met", "--on", "2024-09-20"])
        .status
        .success());
    fails(
        &amira,
        &[
            "condition",
            "set",
            &hours,
            "--status",
            "varied",
            "--on",
            "2024-11-20",
        ],
        "due_on: is required",
    );
    assert!(set(
        &hours,
        &[
            "--status",
            "varied",
            "--on",
            "2024-11-20",
            "--due",
            "2025-01-02",
            "--note",
            "Hours moved after illness"
        ]
    )
    .status
    .success());
    fails(
        &amira,
        &[
            "condition",
            "set",
            &apology,
            "--status",
            "missed",
            "--on",
            "2024-10-02",
        ],
        "condition: was recorded met on 2024-09-20: that stands",
    );
    fails(
        &amira,
        &["condition", "set", &no_offence, "--status", "pending"],
        "status: met, missed or varied",
    );
    fails(
        &amira,
        &[
            "condition",
            "set",
            &no_offence,
            "--status",
            "met",
            "--due",
            "2025-02-01",
        ],
        "due_on: only a varied condition changes its due day",
    );
    fails(
        &amira,
        &[
            "condition",
            "set",
            &no_offence,
            "--status",
            "met",
            "--on",
            "2999-01-01",
        ],
        "status_on: 2999-01-01 is in the future",
    );

    amira.ok(&["stage", &e, "--to", "engaged", "--on", "2024-09-10"]);
    fails(&amira, &["stage", &e, "--to", "completed", "--on", "2025-01-05"],
        "stage: 2 condition(s) not met: unpaid_hours due 2025-01-02 (varied), no_further_offence due 2025-01-02 (pending); record each met, or the breach");
    for c in [&hours, &no_offence] {
        assert!(set(c, &["--status", "met", "--on", "2025-01-02"])
            .status
            .success());
    }
    amira.ok(&["stage", &e, "--to", "completed", "--on", "2025-01-05"]);
    assert!(set(
        &kit_apology,
        &[
            "--status",
            "missed",
            "--on",
            "2026-11-16",
            "--note",
            "Did not write it"
        ]
    )
    .status
    .success());
    let listed = amira.ok(&["condition", "list", &robin]);
    assert!(listed.contains("unpaid_hours (12 hours), due 2025-01-02: met on 2025-01-02 (Hours moved after illness)"), "{listed}");

    let due = amira.json(&["due", "--json"]);
    let seen: Vec<(String, &str, &str)> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                format!(
                    "{} {}",
                    i["due"]["kind"].as_str().unwrap(),
                    i["due"]["months"]
                ),
                i["due_on"].as_str().unwrap(),
                i["person_name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("follow_up 6".to_owned(), "2025-07-05", "Robin Example"),
            ("follow_up 12".to_owned(), "2026-01-05", "Robin Example"),
            (
                "condition_missed null".to_owned(),
                "2026-11-15",
                "Kit Example"
            ),
        ]
    );

    let follow =
        |d: &Device, args: &[&str]| d.run(&[&["followup", "record", &e][..], args].concat());
    fails(
        &amira,
        &[
            "followup",
            "record",
            &e,
            "--months",
            "3",
            "--result",
            "none_known",
        ],
        "months: Diversion scheme follows up at 6 and 12 months, not 3",
    );
    fails(
        &amira,
        &[
            "followup",
            "record",
            &e,
            "--months",
            "6",
            "--result",
            "further_offence",
        ],
        "offence_on: is required",
    );
    fails(
        &amira,
        &[
            "followup",
            "record",
            &e,
            "--months",
            "6",
            "--result",
            "none_known",
            "--checked",
            "2025-07-01",
        ],
        "checked_on: the 6-month follow-up falls due on 2025-07-05",
    );
    fails(
        &amira,
        &[
            "followup",
            "record",
            &e,
            "--months",
            "6",
            "--result",
            "further_offence",
            "--offence-on",
            "2024-12-01",
            "--offence",
            "theft",
            "--checked",
            "2025-07-10",
        ],
        "offence_on: 2024-12-01 is not after the episode closed (2025-01-05)",
    );
    fails(
        &amira,
        &[
            "followup",
            "record",
            &e,
            "--months",
            "6",
            "--result",
            "none_known",
            "--offence",
            "theft",
        ],
        "offence: only a further offence has a date and kind, not none_known",
    );
    fails(
        &amira,
        &[
            "followup",
            "record",
            &kit_diversion,
            "--months",
            "6",
            "--result",
            "none_known",
        ],
        "episode: is open: a follow-up comes after it closes",
    );
    assert!(follow(
        &amira,
        &[
            "--months",
            "6",
            "--result",
            "none_known",
            "--checked",
            "2025-07-10"
        ]
    )
    .status
    .success());
    fails(
        &amira,
        &[
            "followup",
            "record",
            &e,
            "--months",
            "6",
            "--result",
            "could_not_check",
        ],
        "months: the 6-month follow-up was recorded on 2025-07-10",
    );

    amira.sync();
    sam.sync();
    // The supervisor's list: the keyworker's, and the completed episode's
    // closure waiting for the supervisor's sign-off.
    let (mut theirs, mut sign_offs) = (Vec::new(), Vec::new());
    for item in sam.json(&["due", "--json"]).as_array().unwrap() {
        match item["due"]["kind"] == "sign_off" {
            true => sign_offs.push(item.clone()),
            false => theirs.push(item.clone()),
        }
    }
    assert_eq!(
        serde_json::Value::Array(theirs),
        amira.json(&["due", "--json"]),
        "the supervisor's list"
    );
    assert_eq!(sign_offs.len(), 1, "{sign_offs:?}");
    assert_eq!(
        (
            &sign_offs[0]["due"]["subject"],
            &sign_offs[0]["due"]["subject_id"]
        ),
        (&serde_json::json!("closure"), &serde_json::json!(e)),
        "{sign_offs:?}"
    );
    assert_eq!(
        sam.json(&["due", "--mine", "--json"]),
        serde_json::json!([]),
        "sam keyworks none"
    );
    // Both record the 12-month follow-up offline: one record once synced.
    assert!(follow(
        &amira,
        &[
            "--months",
            "12",
            "--result",
            "none_known",
            "--checked",
            "2026-01-06"
        ]
    )
    .status
    .success());
    assert!(follow(
        &sam,
        &[
            "--months",
            "12",
            "--result",
            "could_not_check",
            "--checked",
            "2026-01-07"
        ]
    )
    .status
    .success());
    amira.sync();
    sam.sync();
    amira.sync();
    let (a, s) = (amira.case(&robin), sam.case(&robin));
    assert_eq!(a["follow_ups"], s["follow_ups"], "both devices agree");
    let months: Vec<i64> = a["follow_ups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["months"].as_i64().unwrap())
        .collect();
    assert_eq!(months, [6, 12], "one 12-month follow-up, not two");
    assert_eq!(a["conditions"], s["conditions"]);
    let left = amira.json(&["due", "--json"]);
    let left: Vec<&str> = left
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["due"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(left, ["condition_missed"], "the follow-ups are done");
}

/// Outcomes over time (statuses, ratings of the programme's areas, support
/// given, feedback) and equality monitoring are recorded with their rules
/// named, nothing half-written, and reach the supervisor; equality answers
/// never appear on the case header.
#[test]
fn outcomes_over_time_and_equality_monitoring_are_recorded_with_their_rules() {
    let dir = tempfile::tempdir().unwrap();
    let North {
        amira,
        sam,
        ada,
        _server,
    } = North::start(dir.path());
    ada.ok(&[
        "programme",
        "add",
        "--name",
        "Diversion scheme",
        "--kind",
        "diversion",
        "--outcome-area",
        "Housing",
        "--outcome-area",
        "Wellbeing",
    ]);
    ada.sync();
    amira.sync();
    let case = amira.ok(&["person", "add", "--name", "Robin Example"]);
    let e = amira.ok(&[
        "episode",
        "add",
        &case,
        "--source",
        "police",
        "--keyworker",
        "amira",
        "--opened",
        "2026-01-05",
        "--programme",
        "Diversion scheme",
    ]);
    let fails = |args: &[&str], says: &str| {
        let out = amira.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(says), "{args:?}: {said}");
    };
    let shown = || amira.json(&["outcome", "show", &case, "--json"]);
    let empty = shown();

    let status = |value: &str, point: &str, on: &str| {
        amira.run(&[
            "outcome",
            "status",
            &case,
            "--area",
            "accommodation",
            "--value",
            value,
            "--point",
            point,
            "--on",
            on,
        ])
    };
    let refused = |out: std::process::Output, says: &str| {
        assert_eq!(out.status.code(), Some(2));
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(says), "{said}");
    };
    refused(status("housed", "start", "2026-01-05"), "value: \"housed\" is not a state of accommodation: one of settled, temporary, refuge, sofa_surfing, rough_sleeping, custody, other");
    refused(
        status("settled", "start", "2999-01-01"),
        "recorded_on: 2999-01-01 is in the future",
    );
    fails(
        &[
            "outcome", "status", &case, "--area", "health", "--value", "x", "--point", "start",
        ],
        "\"health\" is not one of: accommodation, employment_education_training",
    );
    fails(
        &["outcome", "rate", &e, "--area", "Money", "--rating", "5"],
        "area: Diversion scheme rates Housing, Wellbeing, not \"Money\"",
    );
    fails(
        &["outcome", "rate", &e, "--area", "Housing", "--rating", "11"],
        "rating: must be from 1 to 10",
    );
    fails(
        &[
            "outcome",
            "rate",
            &e,
            "--area",
            "Housing",
            "--rating",
            "5",
            "--on",
            "2026-01-01",
        ],
        "rated_on: 2026-01-01 is before the episode opened (2026-01-05)",
    );
    fails(
        &[
            "outcome", "support", &case, "--kind", "grant", "--amount", "12.345",
        ],
        "\"12.345\" is not an amount in pounds, e.g. 12.50",
    );
    fails(
        &[
            "outcome", "support", &case, "--kind", "grant", "--amount", "0",
        ],
        "amount: must be from £0.01 to £100,000.00",
    );
    fails(
        &["outcome", "support", &case, "--kind", "voucher"],
        "\"voucher\" is not one of: food_parcel, phone",
    );
    fails(
        &["outcome", "feedback", &e, "--satisfaction", "6"],
        "satisfaction: must be from 1 to 5",
    );
    fails(
        &["outcome", "feedback", &e],
        "satisfaction: needs a score from 1 to 5, or their words",
    );
    fails(
        &[
            "person",
            "update",
            &case,
            "--sex",
            "female",
            "--religion",
            "jedi",
        ],
        "religion: \"jedi\" is not one of: none, christian",
    );
    fails(
        &[
            "person",
            "add",
            "--name",
            "Half Written",
            "--religion",
            "jedi",
        ],
        "religion: \"jedi\" is not one of",
    );
    assert!(
        !amira.ok(&["caseload"]).contains("Half Written"),
        "no person without their answers"
    );
    assert_eq!(shown(), empty, "nothing half-written");

    for (value, point, on) in [
        ("sofa_surfing", "start", "2026-01-05"),
        ("settled", "closure", "2026-06-01"),
    ] {
        assert!(status(value, point, on).status.success());
    }
    amira.ok(&[
        "outcome",
        "rate",
        &e,
        "--area",
        "housing",
        "--rating",
        "3",
        "--on",
        "2026-01-06",
    ]);
    amira.ok(&[
        "outcome",
        "rate",
        &e,
        "--area",
        "Housing",
        "--rating",
        "7",
        "--on",
        "2026-05-01",
    ]);
    amira.ok(&[
        "outcome",
        "support",
        &case,
        "--kind",
        "food_parcel",
        "--on",
        "2026-01-06",
    ]);
    let grant = amira.json(&[
        "outcome",
        "support",
        &case,
        "--kind",
        "grant",
        "--amount",
        "£25.5",
        "--on",
        "2026-02-01",
        "--json",
    ]);
    assert_eq!(grant["amount_pence"], 2550);
    amira.ok(&[
        "outcome",
        "feedback",
        &e,
        "--satisfaction",
        "4",
        "--words",
        "Felt listened to",
        "--on",
        "2026-06-01",
    ]);
    fails(
        &["outcome", "feedback", &e, "--satisfaction", "5"],
        "episode: its feedback was given on 2026-06-01",
    );
    amira.ok(&[
        "person",
        "update",
        &case,
        "--ethnicity",
        "white_roma",
        "--sex",
        "female",
        "--first-language",
        "Romanian",
        "--interpreter",
        "yes",
    ]);
    amira.ok(&["person", "update", &case, "--interpreter", "not_asked"]);
    let cleared = &shown()["equality"];
    assert_eq!(
        (&cleared["ethnicity"], &cleared["interpreter"]),
        (&"white_roma".into(), &serde_json::Value::Null)
    );

    let o = shown();
    let states: Vec<&str> = o["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["value"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["sofa_surfing", "settled"]);
    let ratings: Vec<(&str, i64)> = o["area_ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["area"].as_str().unwrap(), r["rating"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        ratings,
        [("Housing", 3), ("Housing", 7)],
        "named as the programme names it"
    );
    assert_eq!(o["support"].as_array().unwrap().len(), 2);
    assert_eq!(o["feedback"][0]["satisfaction"], 4);
    assert_eq!(o["equality"]["first_language"], "Romanian");
    let text = amira.ok(&["outcome", "show", &case]);
    assert!(
        text.contains("2026-02-01 support given: grant £25.50"),
        "{text}"
    );
    for header in [
        amira.ok(&["person", "show", &case]),
        amira.ok(&["person", "show", &case, "--json"]),
    ] {
        assert!(
            !header.contains("white_roma") && !header.contains("Romanian"),
            "never on the header: {header}"
        );
    }

    amira.sync();
    sam.sync();
    assert_eq!(sam.json(&["outcome", "show", &case, "--json"]), o);
}

/// The report runs on a supervisor's device over the cases it holds: a
/// worker is told they cannot, bad input is named, small counts are hidden
/// (and what would give them away), and the CSV tables carry figures only:
/// no names, no case ids.
#[test]
fn a_supervisor_reports_on_the_cases_their_device_holds() {
    let dir = tempfile::tempdir().unwrap();
    let North {
        amira,
        sam,
        ada,
        _server,
    } = North::start(dir.path());
    ada.ok(&[
        "programme",
        "add",
        "--name",
        "Diversion scheme",
        "--kind",
        "diversion",
    ]);
    ada.sync();
    amira.sync();
    let mut cases = Vec::new();
    for i in 0..6 {
        let name = format!("Canary{i} Zebrafinch");
        let case = amira.ok(&["person", "add", "--name", &name]);
        let e = amira.ok(&[
            "episode",
            "add",
            &case,
            "--source",
            "police",
            "--keyworker",
            "amira",
            "--opened",
            "2026-02-02",
            "--programme",
            "Diversion scheme",
        ]);
        if i < 5 {
            amira.ok(&["stage", &e, "--to", "engaged", "--on", "2026-02-10"]);
        }
        cases.push(case);
    }

    // Each is assessed at high risk today; MARAC is not made for five (the
    // person did not agree), made for one. Not making it says why.
    let template = amira.json(&["template", "list", "--json"]);
    let questions = template[0]["definition"]["questions"].as_array().unwrap();
    let mut answers = serde_json::Map::new();
    for q in questions {
        let answer = match q["answer"]["type"].as_str() {
            Some("text") => serde_json::json!("Canary Zebrafinch fears for her sister"),
            _ => serde_json::json!(true),
        };
        answers.insert(q["id"].as_str().unwrap().to_owned(), answer);
    }
    let answers_file = dir.path().join("answers.json");
    std::fs::write(
        &answers_file,
        serde_json::Value::Object(answers).to_string(),
    )
    .unwrap();
    for (i, case) in cases.iter().enumerate() {
        let a = amira.json(&[
            "assessment",
            "add",
            case,
            "--template",
            "da-risk-checklist",
            "--answers-file",
            answers_file.to_str().unwrap(),
            "--json",
        ]);
        assert_eq!(a["level"], "high");
        let id = a["id"].as_str().unwrap();
        if i == 0 {
            for (args, says) in [
                (vec!["declined"], "because: say why it is not being made: one of no_consent, already_referred, risk_reduced, out_of_area, other"),
                (vec!["declined", "--because", "other"], "reason: \"other\" needs the reason in words"),
                (vec!["made", "--because", "no_consent"], "because: a reason for not making it goes with a declined decision only"),
                (vec!["declined", "--because", "bored"], "invalid value 'bored' for '--because"),
            ] {
                let out = amira.run(&[&["assessment", "decide", id][..], &args].concat());
                assert_eq!(out.status.code(), Some(2), "{args:?}");
                let said = String::from_utf8_lossy(&out.stderr);
                assert!(said.contains(says), "{args:?}: {said}");
            }
            let kept = amira.json(&["assessment", "list", case, "--json"]);
            assert_eq!(
                kept[0]["decisions"],
                serde_json::json!([]),
                "nothing was written"
            );
        }
        match i {
            0..5 => amira.ok(&[
                "assessment",
                "decide",
                id,
                "declined",
                "--because",
                "no_consent",
            ]),
            _ => amira.ok(&["assessment", "decide", id, "made"]),
        };
    }
    amira.sync();
    sam.sync();
    let period = ["report", "--from", "2026-01-01", "--to", "2026-06-30"];
    let refused = amira.run(&period);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains(
        "report: only a supervisor, a manager or an admin the organisation confirmed runs reports"
    ));
    for (args, says) in [
        (
            vec!["report", "--from", "2026-07-01", "--to", "2026-06-30"],
            "from: 2026-07-01 is after the end of the period (2026-06-30)",
        ),
        (
            [&period[..], &["--programme", "Nope"]].concat(),
            "programme: no programme named \"Nope\"",
        ),
        (
            vec!["report", "--from", "2026-13-01", "--to", "2026-06-30"],
            "invalid value '2026-13-01' for '--from",
        ),
        (
            [&period[..], &["--team", "Nope"]].concat(),
            "team: no team named \"Nope\": the teams are outreach",
        ),
    ] {
        let out = sam.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(says), "{args:?}: {said}");
    }

    let r = sam.json(&[&period[..], &["--json"]].concat());
    assert_eq!(r["cases_held"], 6);
    let breakdown = |key: &str| {
        r["sections"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["breakdowns"].as_array().unwrap().iter())
            .find(|b| b["key"] == key)
            .unwrap()
            .clone()
    };
    let by_source = breakdown("referrals_by_source");
    assert_eq!(by_source["table"]["total"], serde_json::json!({"count": 6}));
    let engagement = breakdown("engagement");
    assert_eq!(
        engagement["table"]["cells"][0],
        serde_json::json!(["withheld", "small"]),
        "one not engaged is <5, and the 5 beside the total of 6 would give it away"
    );
    let behind: Vec<&str> = engagement["behind"][0][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(
        behind.len(),
        5,
        "the drill-down names the cases on this device"
    );
    assert!(behind.iter().all(|c| cases.iter().any(|k| k == c)));

    // Up to today: today's assessments are in it.
    let today = (chrono::Utc::now() + chrono::Duration::days(1))
        .date_naive()
        .to_string();
    let year = sam.json(&["report", "--from", "2026-01-01", "--to", &today, "--json"]);
    let of_year = |key: &str| {
        year["sections"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["breakdowns"].as_array().unwrap().iter())
            .find(|b| b["key"] == key)
            .unwrap()["table"]
            .clone()
    };
    assert_eq!(
        of_year("risk_assessments")["cells"],
        serde_json::json!([[{"count": 6}], [{"count": 0}]])
    );
    let prompts = of_year("marac_prompts");
    assert_eq!(prompts["rows"][1], "not made: no consent");
    let zero = serde_json::json!([{"count": 0}]);
    assert_eq!(
        prompts["cells"],
        serde_json::json!([["small"], ["withheld"], zero, zero, zero, zero, zero, zero]),
        "one made is <5, and the five not made (the person did not agree) beside the total would give it away"
    );

    // By team: Amira's certificate (made when an admin confirmed her) puts
    // her in outreach, so her cases are its cases.
    let team = sam.json(&[&period[..], &["--team", "OUTREACH", "--json"]].concat());
    assert_eq!(team["scope"]["team"], "outreach", "the team as certified");
    let referred = &team["sections"][0]["breakdowns"][0]["table"]["total"];
    assert_eq!(referred, &serde_json::json!({"count": 6}));

    let text = sam.ok(&period);
    assert!(
        text.contains("from the 6 cases this device holds"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("engaged") && l.contains('*') && l.contains("<5")),
        "{text}"
    );

    let out = dir.path().join("tables");
    let written = sam.ok(&[&period[..], &["--csv", out.to_str().unwrap()]].concat());
    assert!(written.contains("referrals_by_source.csv"), "{written}");
    let engagement_csv = std::fs::read_to_string(out.join("engagement.csv")).unwrap();
    assert_eq!(
        engagement_csv,
        "\"Engaged, of those referred in the period\",yes,no,total\nengaged,*,<5,6\ntotal,*,<5,6\n"
    );
    let page = out.join("report.html");
    sam.ok(&[&period[..], &["--html", page.to_str().unwrap()]].concat());
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("<caption>Referrals by source</caption>") && html.contains("<svg"),
        "{html}"
    );
    assert!(!html.contains("<script"), "no scripts");
    for file in std::fs::read_dir(&out).unwrap() {
        let body = std::fs::read_to_string(file.unwrap().path()).unwrap();
        assert!(
            !body.contains("Zebrafinch") && cases.iter().all(|c| !body.contains(c.as_str())),
            "{body}"
        );
    }
}

/// A manager (no team) receives every case of the organisation, across
/// teams, with its keys; runs the report over them; and changes nothing:
/// their own device refuses a write, and the server refuses a push from
/// them even when it is forged by hand.
#[test]
fn a_manager_reads_every_case_and_changes_none() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db").display().to_string();
    let server = Server::start(&db, dir.path());
    org_with(
        &db,
        "North",
        &[
            ("amira", "worker", Some("outreach")),
            ("bea", "worker", Some("refuge")),
            ("morwenna", "manager", None),
            ("ada", "admin", None),
        ],
    );
    let [amira, bea, mo] = ["amira", "bea", "morwenna"]
        .map(|u| Device::confirmed(dir.path().join(u), u, &server.url, "ada"));
    let outreach = amira.ok(&["person", "add", "--name", "Robin Example"]);
    let refuge = bea.ok(&["person", "add", "--name", "Kit Example"]);
    for d in [&amira, &bea, &mo, &amira, &bea, &mo] {
        d.sync();
    }
    let held: Vec<String> = mo
        .json(&["caseload", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["case_id"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        held.contains(&outreach) && held.contains(&refuge),
        "both teams' cases: {held:?}"
    );
    assert_eq!(
        amira
            .json(&["caseload", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1,
        "a worker, her own"
    );

    let out = mo.run(&["note", "add", &outreach, "--body", "A manager's note"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("role: a manager reads the organisation's cases and changes none"));
    let r = mo.json(&[
        "report",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--json",
    ]);
    assert_eq!(r["cases_held"], 2);

    let (_, token) = login(&server.url, "morwenna");
    let case: uuid::Uuid = outreach.parse().unwrap();
    let (status, body) = push(&server.url, &token, vec![envelope(case, b"forged")]);
    assert_eq!(status, 403, "{body}");
    assert!(
        body.to_string()
            .contains("a manager reads the organisation's cases and changes none"),
        "{body}"
    );
    let (status, _) = push(
        &server.url,
        &token,
        vec![envelope(uuid::Uuid::new_v4(), b"a new case")],
    );
    assert_eq!(status, 403, "nor opens one");
    assert_eq!(
        amira.case(&outreach),
        mo.case(&outreach),
        "nothing of the manager's reached the case"
    );
}
