//! Programmes, outcomes and reports across processes: an admin's CLI defines
//! organisation data, a real server relays it, and every colleague's device
//! has it after its next sync (SQLite server store only: the relay is the
//! same one the sync tests run on both stores).

mod devices;

use devices::Device;
use waymark_testkit::server::*;

/// An admin adds programmes; bad input is named and writes nothing; a
/// worker cannot add one; after a sync the worker's device lists exactly
/// what the admin made, retirement included.
#[test]
fn programmes_an_admin_adds_reach_every_device() {
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    let server = Server::start(&db, dir.path());
    org_with(
        &db,
        "North",
        &[
            ("amira", "worker", Some("outreach")),
            ("ada", "admin", None),
        ],
    );
    let amira = Device::confirmed(dir.path().join("amira"), "amira", &server.url, "ada");
    let ada = Device::admin_laptop(&dir.path().join("amira"), "ada", &server.url);

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
            "planned_weeks: from 1 to 520 weeks, not 0",
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
            "follow_up_months: from 1 to 60 months, not 61",
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
    let db = databases(&dir).remove(0);
    let server = Server::start(&db, dir.path());
    org_with(
        &db,
        "North",
        &[
            ("amira", "worker", Some("outreach")),
            ("sam", "supervisor", Some("outreach")),
            ("ada", "admin", None),
        ],
    );
    let amira = Device::confirmed(dir.path().join("amira"), "amira", &server.url, "ada");
    let sam = Device::confirmed(dir.path().join("sam"), "sam", &server.url, "ada");
    let ada = Device::admin_laptop(&dir.path().join("amira"), "ada", &server.url);
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
            "route: Women's centre is a womens_centre programme: only diversion takes a disposal route",
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

    let stage =
        |to: &str, on: &str| amira.run(&["episode", "stage", &episode, "--to", to, "--on", on]);
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
