//! Who holds a case, changed from devices, across processes on both server
//! stores: a keyworker shares and unshares, a supervisor reassigns, and
//! nobody else can. The colleague who loses a case drops it at their next
//! sync, after what they wrote offline before they knew has reached it; the
//! case takes a new key they never receive; "my cases" is right for both
//! keyworkers straight after.

mod devices;

use devices::Device;
use serde_json::Value;
use waymark_testkit::server::*;

/// The refusal a command prints, with its exit code.
fn refused(device: &Device, args: &[&str]) -> (i32, String) {
    let out = device.run(args);
    assert!(
        !out.status.success(),
        "{} {args:?} should fail",
        device.user
    );
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn names(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["full_name"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn sharing_and_reassigning_move_a_case_between_devices() {
    let dir = tempfile::tempdir().unwrap();
    for (n, db) in databases(&dir).into_iter().enumerate() {
        let root = dir.path().join(format!("access{n}"));
        std::fs::create_dir_all(&root).unwrap();
        let server = Server::start(&db, &root);
        org_with(
            &db,
            "North",
            &[
                ("amira", "worker", Some("outreach")),
                ("bea", "worker", Some("outreach")),
                ("cal", "worker", Some("refuge")),
                ("sam", "supervisor", Some("outreach")),
                ("ada", "admin", None),
            ],
        );
        let [amira, bea, cal, sam] = ["amira", "bea", "cal", "sam"]
            .map(|u| Device::confirmed(root.join(u), u, &server.url, "ada"));
        let ada = Device::admin_laptop(&root.join("amira"), "ada", &server.url);
        ada.ok(&["programme", "add", "--name", "Keywork", "--kind", "other"]);
        ada.sync();
        amira.sync();

        let case = amira.ok(&["person", "add", "--name", "Rhea Example"]);
        let episode = amira.ok(&[
            "episode",
            "add",
            &case,
            "--source",
            "self",
            "--programme",
            "Keywork",
            "--keyworker",
            "amira",
        ]);
        amira.sync();

        // Bad input is named before anything is asked of the server.
        let (code, err) = refused(&amira, &["share", &case, "--with", "  "]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("user"), "{err}");
        org_with(&db, "South", &[("zed", "worker", Some("south"))]);
        let (code, err) = refused(&amira, &["share", &case, "--with", "zed"]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("no one named \"zed\" in your organisation"),
            "{err}"
        );
        let (code, err) = refused(&amira, &["share", &case, "--with", "nobody"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("no one named \"nobody\""), "{err}");

        // The keyworker shares with a colleague; the colleague's device gets
        // the case (and, once the keyworker's device has sealed it, its key).
        let access = amira.json(&["share", &case, "--with", "bea", "--json"]);
        assert_eq!(access["keyworker"], "amira");
        assert_eq!(access["team"], "outreach");
        assert_eq!(access["shared_with"], serde_json::json!(["bea"]));
        amira.sync();
        bea.sync();
        assert_eq!(bea.case(&case)["person"]["full_name"], "Rhea Example");

        // Someone it is only shared with may not pass it on or take it; the
        // keyworker may not give it away; a supervisor keeps to their team.
        for (who, args) in [
            (&bea, vec!["share", &case, "--with", "cal"]),
            (&bea, vec!["reassign", &case, "--to", "bea"]),
            (&amira, vec!["reassign", &case, "--to", "bea"]),
        ] {
            let (code, err) = refused(who, &args);
            assert_eq!(code, 2, "{err}");
            assert!(err.contains("no_access") || err.contains("only"), "{err}");
        }
        sam.sync();
        let (code, err) = refused(&sam, &["reassign", &case, "--to", "cal"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("cal is not in your team"), "{err}");
        let (_, err) = refused(&sam, &["reassign", &case, "--to", "amira"]);
        assert!(err.contains("keyworker already"), "{err}");

        // Amira, offline in the van, writes a note after the supervisor gave
        // the case to Bea: it still reaches the case, then her device lets
        // the case go.
        let access = sam.json(&["reassign", &case, "--to", "bea", "--json"]);
        assert_eq!(access["keyworker"], "bea");
        assert_eq!(
            access["shared_with"],
            serde_json::json!([]),
            "the keyworker needs no share"
        );
        amira.ok(&[
            "note",
            "add",
            &case,
            "--body",
            "visited before I knew",
            "--type",
            "visit",
        ]);
        let report = amira.sync();
        assert_eq!(report["pushed"], 1, "{report}");
        assert_eq!(report["cases_withdrawn"], 1, "{report}");
        assert!(names(&amira.json(&["caseload", "--json"])).is_empty());
        assert!(amira.run(&["export", &case]).status.code() == Some(2));

        // The supervisor's device sends the new keyworker and makes the
        // case's next key; Bea's device has both, and Amira's note.
        let report = sam.sync();
        assert_eq!(report["keys_rotated"], 1, "{report}");
        bea.sync();
        assert_eq!(
            names(&bea.json(&["caseload", "--mine", "--json"])),
            ["Rhea Example"]
        );
        assert_eq!(
            bea.json(&["search", "visited before I knew", "--json"])
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            server_value(
                &db,
                "SELECT count(*) FROM sealed_keys s JOIN devices d ON d.public_key = s.recipient_key
                 JOIN users u ON u.id = d.user_id
                 WHERE s.log_id = $1 AND s.epoch = 2 AND u.name = 'amira'",
                &case
            ),
            0,
            "amira never receives the case's new key"
        );
        // The supervisor's team view follows the keyworker.
        let team = sam.json(&["team", "--json"]);
        let rows = team.as_array().unwrap();
        assert_eq!(rows.len(), 1, "{team}");
        assert_eq!(
            (&rows[0]["keyworker"], &rows[0]["open_cases"]),
            (&serde_json::json!("bea"), &serde_json::json!(1)),
            "{team}"
        );
        assert!(sam.ok(&["team"]).contains("bea"));
        // A device that let the case go writes no more to it.
        let (code, _) = refused(
            &amira,
            &["note", "add", &case, "--body", "x", "--type", "visit"],
        );
        assert_eq!(code, 2);

        // Bea, the keyworker now, shares it with Amira for cover, then stops.
        bea.ok(&["share", &case, "--with", "amira"]);
        bea.sync();
        amira.sync();
        assert_eq!(
            names(&amira.json(&["caseload", "--json"])),
            ["Rhea Example"]
        );
        assert!(names(&amira.json(&["caseload", "--mine", "--json"])).is_empty());
        // The whole history, her own changes and the earlier key's included.
        assert_eq!(
            amira
                .json(&["search", "visited before I knew", "--json"])
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let access = amira.json(&["access", &case, "--json"]);
        assert_eq!(access["keyworker"], "bea");
        bea.ok(&["unshare", &case, "--with", "amira"]);
        let (_, err) = refused(&bea, &["unshare", &case, "--with", "amira"]);
        assert!(err.contains("not shared with amira"), "{err}");
        let report = amira.sync();
        assert_eq!(report["cases_withdrawn"], 1, "{report}");
        assert!(names(&amira.json(&["caseload", "--json"])).is_empty());
        let (code, _) = refused(&amira, &["access", &case]);
        assert_eq!(code, 2);
        // Cal, in another team, never held it.
        cal.sync();
        assert!(names(&cal.json(&["caseload", "--json"])).is_empty());

        // Bea closes the case; it waits for the supervisor's sign-off, which
        // only a supervisor gives, once, and which every device shows.
        bea.ok(&["episode", "close", &episode, "--reason", "Moved away"]);
        bea.sync();
        sam.sync();
        let pending = sam.json(&["signoff", "pending", "--json"]);
        assert_eq!(pending.as_array().unwrap().len(), 1, "{pending}");
        assert_eq!(pending[0]["due"]["subject"], "closure", "{pending}");
        assert_eq!(
            pending[0]["due"]["subject_id"],
            episode.as_str(),
            "{pending}"
        );
        assert_eq!(sam.json(&["team", "--json"])[0]["sign_offs_pending"], 1);
        assert!(
            bea.json(&["due", "--mine", "--json"])
                .as_array()
                .unwrap()
                .is_empty(),
            "a keyworker's list has no sign-offs"
        );
        let (code, err) = refused(&bea, &["signoff", "add", "--closure", &episode]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("only a supervisor or an admin"), "{err}");
        let (code, err) = refused(&sam, &["signoff", "add", "--comment", "x"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("subject: name what is signed off"), "{err}");
        let (code, err) = refused(&sam, &["signoff", "add", "--risk-assessment", &episode]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("subject_id: is not an assessment"), "{err}");
        sam.ok(&[
            "signoff",
            "add",
            "--closure",
            &episode,
            "--comment",
            "Reviewed in supervision",
        ]);
        let (_, err) = refused(&sam, &["signoff", "add", "--closure", &episode]);
        assert!(err.contains("signed off already"), "{err}");
        assert!(sam
            .json(&["signoff", "pending", "--json"])
            .as_array()
            .unwrap()
            .is_empty());
        sam.sync();
        bea.sync();
        let signed = bea.json(&["signoff", "list", &case, "--json"]);
        assert_eq!(signed[0]["by"], "sam", "{signed}");
        assert_eq!(signed[0]["sign_off"]["comment"], "Reviewed in supervision");
        assert!(bea.ok(&["signoff", "list", &case]).contains("closure"));
    }
}
