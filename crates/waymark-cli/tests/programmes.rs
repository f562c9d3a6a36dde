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
