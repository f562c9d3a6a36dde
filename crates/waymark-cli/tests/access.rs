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
        // Amira writes a note there, then a van month offline: the case is
        // unshared from her and she is back 31 days after, with a new case
        // of her own written too. The server no longer takes the note (a
        // late write is taken for 30 days): her device sets it aside, kept
        // for her to pass on, and the rest is sent.
        amira.ok(&[
            "note",
            "add",
            &case,
            "--body",
            "told her about the night shelter kz8",
            "--type",
            "visit",
        ]);
        let own = amira.ok(&["person", "add", "--name", "Una Example"]);
        let own = own.trim();
        bea.ok(&["unshare", &case, "--with", "amira"]);
        let (_, err) = refused(&bea, &["unshare", &case, "--with", "amira"]);
        assert!(err.contains("not shared with amira"), "{err}");
        server_exec(
            &db,
            &format!(
                "UPDATE withdrawals SET withdrawn_at = withdrawn_at - {} WHERE log_id = '{case}'",
                31 * 86_400_000_i64
            ),
        );
        let report = amira.sync();
        assert_eq!(report["set_aside"], 1, "{report}");
        assert_eq!(report["cases_withdrawn"], 1, "{report}");
        assert!(report["pushed"].as_u64().unwrap() >= 1, "{report}");
        let kept = amira.json(&["set-aside", "--json"]);
        assert_eq!(kept[0]["kind"], "note", "{kept}");
        assert_eq!(kept[0]["case_id"], case.as_str());
        assert_eq!(
            kept[0]["fields"]["body"],
            "told her about the night shelter kz8"
        );
        assert!(amira.ok(&["set-aside"]).contains("night shelter kz8"));
        assert_eq!(names(&amira.json(&["caseload", "--json"])), ["Una Example"]);
        bea.sync();
        assert!(bea
            .json(&["search", "kz8", "--json"])
            .as_array()
            .unwrap()
            .is_empty());
        assert!(
            server_value(
                &db,
                "SELECT count(*) FROM changes WHERE log_id = $1",
                own.trim()
            ) > 0,
            "the rest of her push reached the server"
        );
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

/// A supervision note reaches the case's keyworker and its team's
/// supervisors, and nobody else however they hold the case: a colleague it
/// is shared with and a manager never receive it or its key (their stores,
/// read page by page with their keys, hold no trace). Reassigning the case
/// takes it from the old keyworker and gives it to the new one.
#[test]
fn supervision_notes_reach_the_keyworker_and_supervisors_only() {
    const SECRET: &str = "discussed the refuge move zq7";
    let dir = tempfile::tempdir().unwrap();
    for (n, db) in databases(&dir).into_iter().enumerate() {
        let root = dir.path().join(format!("supervision{n}"));
        std::fs::create_dir_all(&root).unwrap();
        let server = Server::start(&db, &root);
        org_with(
            &db,
            "North",
            &[
                ("amira", "worker", Some("outreach")),
                ("bea", "worker", Some("outreach")),
                ("sam", "supervisor", Some("outreach")),
                ("morwenna", "manager", None),
                ("ada", "admin", None),
            ],
        );
        let [amira, bea, sam, morwenna] = ["amira", "bea", "sam", "morwenna"]
            .map(|u| Device::confirmed(root.join(u), u, &server.url, "ada"));
        let ada = Device::admin_laptop(&root.join("amira"), "ada", &server.url);
        ada.ok(&["programme", "add", "--name", "Keywork", "--kind", "other"]);
        ada.sync();
        amira.sync();
        let case = amira.ok(&["person", "add", "--name", "Rhea Example"]);
        amira.ok(&[
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
        amira.ok(&["share", &case, "--with", "bea"]);
        amira.sync();
        sam.sync();

        // Only a supervisor writes one; bad input is named, nothing written.
        let (code, err) = refused(&amira, &["supervision", "add", &case, "--discussion", "x"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("only a supervisor"), "{err}");
        for (action, named) in [
            ("Ring the refuge | amira", "actions[0]"),
            ("Ring the refuge | amira | soon", "is not a date"),
            (" | amira | 2026-12-10", "actions[0].action"),
        ] {
            let (code, err) = refused(
                &sam,
                &[
                    "supervision",
                    "add",
                    &case,
                    "--discussion",
                    "x",
                    "--action",
                    action,
                ],
            );
            assert_eq!(code, 2, "{err}");
            assert!(err.contains(named), "{action:?}: {err}");
        }
        let (_, err) = refused(&sam, &["supervision", "add", &case, "--discussion", " "]);
        assert!(err.contains("discussion"), "{err}");
        sam.ok(&[
            "supervision",
            "add",
            &case,
            "--discussion",
            SECRET,
            "--decision",
            "Stay with the safety plan",
            "--action",
            "Ring the refuge | amira | 2026-12-10",
        ]);
        assert_eq!(
            sam.json(&["supervision", "list", &case, "--json"])
                .as_array()
                .unwrap()
                .len(),
            1
        );
        // The first sync makes the case's supervision log; the next seals
        // its key to the keyworker's device.
        sam.sync();
        sam.sync();
        for d in [&amira, &bea, &morwenna] {
            d.sync();
        }
        let seen = amira.json(&["supervision", "list", &case, "--json"]);
        assert_eq!(seen.as_array().unwrap().len(), 1, "{seen}");
        assert_eq!(seen[0]["by"], "sam");
        assert_eq!(seen[0]["note"]["discussion"], SECRET);
        assert_eq!(seen[0]["note"]["actions"][0]["owner"], "amira");
        assert!(amira
            .ok(&["supervision", "list", &case])
            .contains("Ring the refuge"));

        // The colleague it is shared with and the manager hold the case,
        // but not the note, nor its log's key.
        let log = waymark_protocol::supervision_log(case.parse().unwrap()).to_string();
        for d in [&bea, &morwenna] {
            assert_eq!(d.case(&case)["person"]["full_name"], "Rhea Example");
            assert!(d
                .json(&["supervision", "list", &case, "--json"])
                .as_array()
                .unwrap()
                .is_empty());
            assert!(!d.store_holds(SECRET), "{} holds the note", d.user);
            assert_eq!(
                server_value(
                    &db,
                    &format!(
                        "SELECT count(*) FROM sealed_keys s JOIN devices d ON d.public_key = s.recipient_key
                         JOIN users u ON u.id = d.user_id WHERE s.log_id = $1 AND u.name = '{}'",
                        d.user
                    ),
                    &log
                ),
                0,
                "{} was sealed the supervision log's key",
                d.user
            );
        }
        assert!(amira.store_holds(SECRET), "the check can fail");

        // An action agreed in supervision falls due on the keyworker's list
        // (and the supervisor's) until one of them records it done.
        let today = chrono::Utc::now().date_naive().to_string();
        let note = sam.ok(&[
            "supervision",
            "add",
            &case,
            "--discussion",
            "Follow-up on the school",
            "--action",
            &format!("Ring the school | amira | {today}"),
        ]);
        sam.sync();
        amira.sync();
        let agreed = |d: &Device| -> Vec<Value> {
            d.json(&["due", "--json"])
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| i["due"]["kind"] == "supervision_action")
                .cloned()
                .collect()
        };
        let due = agreed(&amira);
        assert_eq!(due.len(), 1, "{due:?}");
        assert_eq!(due[0]["due"]["action"]["action"], "Ring the school");
        assert_eq!(agreed(&sam).len(), 1);
        assert!(
            agreed(&bea).is_empty(),
            "the colleague holds no supervision note"
        );
        for (action, named) in [("0", "numbered from 1"), ("2", "agreed 1 action")] {
            let (code, err) = refused(&amira, &["supervision", "done", &note, "--action", action]);
            assert_eq!(code, 2, "{err}");
            assert!(err.contains(named), "{action}: {err}");
        }
        amira.ok(&["supervision", "done", &note, "--action", "1"]);
        let (_, err) = refused(&amira, &["supervision", "done", &note, "--action", "1"]);
        assert!(err.contains("done already"), "{err}");
        assert!(agreed(&amira).is_empty());
        amira.sync();
        sam.sync();
        assert!(
            agreed(&sam).is_empty(),
            "done, as the keyworker recorded it"
        );
        let listed = sam.ok(&["supervision", "list", &case]);
        assert!(
            listed.contains("done on") && listed.contains("by amira"),
            "{listed}"
        );

        // A group session: its own log, held as a case is (the supervisor
        // and the manager read it; the colleague does not); its register is
        // attendance on the case, so whoever holds the case sees it there.
        let today = chrono::Utc::now().date_naive().to_string();
        let session = amira.ok(&[
            "group",
            "add",
            "--title",
            "Freedom Programme week 3",
            "--place",
            "Women's centre",
            "--on",
            &today,
            "--facilitators",
            "amira",
            "--note",
            "The group note kq4",
        ]);
        amira.ok(&["group", "attend", &session, &case]);
        amira.ok(&[
            "tally",
            "add",
            "--site",
            "Market car park",
            "--count",
            "9",
            "--help-given",
            "food",
        ]);
        amira.sync();
        amira.sync();
        sam.sync();
        morwenna.sync();
        bea.sync();
        let register = sam.json(&["group", "show", &session, "--json"]);
        assert_eq!(
            register["session"]["note"], "The group note kq4",
            "{register}"
        );
        assert_eq!(
            register["register"][0]["person_name"], "Rhea Example",
            "{register}"
        );
        assert!(bea
            .json(&["group", "list", "--json"])
            .as_array()
            .unwrap()
            .is_empty());
        assert!(!bea.store_holds("group note kq4"));
        let timeline = bea.json(&["timeline", &case, "--json"]);
        assert!(
            timeline
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["event"]["what"] == "attendance"
                    && i["event"]["title"] == "Freedom Programme week 3"
                    && i["event"]["attended"] == true),
            "{timeline}"
        );
        let report = morwenna.json(&["report", "--from", "2020-01-01", "--to", &today, "--json"]);
        let sections = report["sections"].as_array().unwrap();
        let outreach = sections
            .iter()
            .find(|s| s["title"] == "Outreach without a case")
            .unwrap();
        assert_eq!(
            outreach["breakdowns"][0]["table"]["rows"][0],
            "Market car park"
        );
        assert_eq!(
            outreach["breakdowns"][0]["table"]["total"]["count"], 9,
            "{outreach}"
        );

        // Reassigned to Bea: the note goes from Amira's device (the case
        // too) and reaches Bea's once the supervisor's device seals her the
        // log's new key.
        sam.ok(&["reassign", &case, "--to", "bea"]);
        let report = amira.sync();
        assert_eq!(report["cases_withdrawn"], 1, "{report}");
        assert!(
            !amira.store_holds(SECRET),
            "amira's device still holds the note"
        );
        sam.sync();
        bea.sync();
        let seen = bea.json(&["supervision", "list", &case, "--json"]);
        assert_eq!(seen.as_array().unwrap().len(), 2, "{seen}");
        assert_eq!(
            seen[0]["done"][0]["by"], "amira",
            "what was done goes with the notes"
        );
        assert_eq!(seen[1]["note"]["decision"], "Stay with the safety plan");
        morwenna.sync();
        assert!(!morwenna.store_holds(SECRET));
    }
}

/// A volunteer allocated to a case holds its contact brief, its
/// appointments and the notes they write, and nothing else of it: the
/// note, the address, the flag, the code word, the supervision note and the
/// surname never reach their store (scanned with its key), nor its own
/// log's key. They write notes and appointments' outcomes, which reach the
/// keyworker; anything else is refused here and on every device. The brief
/// follows the person; unallocating drops it all at their next sync.
#[test]
fn a_volunteer_holds_only_what_is_allocated_to_them() {
    const NOTE: &str = "keyworker note about the injunction wq3";
    const ADDRESS: &str = "Refuge House, 9 Hidden Lane";
    const CODE_WORD: &str = "bluebell7";
    const FLAG: &str = "ex-partner drives a red van kx8";
    const SUPERVISION: &str = "supervision about the move zr4";
    const SURNAME: &str = "Vantablack";
    let dir = tempfile::tempdir().unwrap();
    for (n, db) in databases(&dir).into_iter().enumerate() {
        let root = dir.path().join(format!("volunteers{n}"));
        std::fs::create_dir_all(&root).unwrap();
        let server = Server::start(&db, &root);
        org_with(
            &db,
            "North",
            &[
                ("amira", "worker", Some("outreach")),
                ("sam", "supervisor", Some("outreach")),
                ("vic", "volunteer", Some("outreach")),
                ("wes", "volunteer", Some("outreach")),
                ("ada", "admin", None),
            ],
        );
        let [amira, sam, vic, wes] = ["amira", "sam", "vic", "wes"]
            .map(|u| Device::confirmed(root.join(u), u, &server.url, "ada"));
        let ada = Device::admin_laptop(&root.join("amira"), "ada", &server.url);
        ada.ok(&["programme", "add", "--name", "Keywork", "--kind", "other"]);
        ada.sync();
        amira.sync();
        let case = amira.ok(&[
            "person",
            "add",
            "--name",
            &format!("Rhea {SURNAME}"),
            "--preferred",
            "Rhea",
            "--phone",
            "07700 900123",
            "--address",
            ADDRESS,
            "--restricted-address",
            "--calls-safe",
            "false",
            "--texts-safe",
            "true",
            "--safe-times",
            "weekdays 10-12",
            "--code-word",
            CODE_WORD,
        ]);
        amira.ok(&[
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
        amira.ok(&["note", "add", &case, "--body", NOTE]);
        amira.ok(&[
            "flag",
            "raise",
            &case,
            "--kind",
            "risk_from_others",
            "--detail",
            FLAG,
        ]);
        let appointment = amira.ok(&[
            "appointment",
            "add",
            &case,
            "--at",
            "2026-01-05 10:00",
            "--agency",
            "housing",
            "--place",
            "Council offices",
        ]);
        amira.sync();
        sam.sync();
        sam.ok(&["supervision", "add", &case, "--discussion", SUPERVISION]);
        sam.sync();

        // Only someone who holds the case allocates it.
        let (code, err) = refused(&vic, &["share", &case, "--with", "vic"]);
        assert_ne!(code, 0, "{err}");
        let said = amira.ok(&["share", &case, "--with", "vic"]);
        assert!(said.contains("volunteer"), "{said}");
        amira.sync();
        amira.sync();
        vic.sync();
        wes.sync();

        // What the volunteer holds: the brief, the appointment.
        let list = vic.json(&["allocated", "--json"]);
        assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
        assert_eq!(list[0]["brief"]["name"], "Rhea");
        assert_eq!(list[0]["brief"]["phone"], "07700 900123");
        assert_eq!(list[0]["brief"]["safe_contact"]["calls_safe"], false);
        assert_eq!(
            list[0]["brief"]["safe_contact"]["safe_times"],
            "weekdays 10-12"
        );
        assert!(list[0]["brief"]["safe_contact"]["code_word"].is_null());
        let seen = vic.json(&["allocated", &case, "--json"]);
        assert_eq!(
            seen["appointments"][0]["place"], "Council offices",
            "{seen}"
        );
        assert!(vic
            .json(&["caseload", "--json"])
            .as_array()
            .unwrap()
            .is_empty());
        assert!(vic.store_holds("Council offices"), "the check can fail");
        for secret in [NOTE, ADDRESS, CODE_WORD, FLAG, SUPERVISION, SURNAME] {
            assert!(
                !vic.store_holds(secret),
                "the volunteer's store holds {secret:?}"
            );
        }
        assert!(amira.store_holds(NOTE) && amira.store_holds(SURNAME));
        // Another volunteer, not allocated, holds nothing of it.
        assert!(wes
            .json(&["allocated", "--json"])
            .as_array()
            .unwrap()
            .is_empty());
        assert!(!wes.store_holds("Council offices"));
        // Nor was the case's own key ever sealed to a volunteer.
        assert_eq!(
            server_value(
                &db,
                "SELECT count(*) FROM sealed_keys s JOIN devices d ON d.public_key = s.recipient_key
                 JOIN users u ON u.id = d.user_id WHERE s.log_id = $1 AND u.role = 'volunteer'",
                &case
            ),
            0
        );

        // What they write: notes, appointments' outcomes; nothing else.
        let (code, err) = refused(
            &vic,
            &["flag", "raise", &case, "--kind", "risk_from_others"],
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("volunteer"), "{err}");
        let (code, err) = refused(
            &vic,
            &[
                "appointment",
                "add",
                &case,
                "--at",
                "2026-01-06 10:00",
                "--agency",
                "housing",
            ],
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("volunteer"), "{err}");
        let (code, err) = refused(&vic, &["note", "add", &case, "--body", " "]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("body"), "{err}");
        vic.ok(&[
            "note",
            "add",
            &case,
            "--body",
            "Went with Rhea to the council vz1",
        ]);
        vic.ok(&[
            "appointment",
            "outcome",
            &appointment,
            "attended",
            "--note",
            "Housing form done",
        ]);
        assert_eq!(
            vic.json(&["allocated", &case, "--json"])["own_notes"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        vic.sync();
        amira.sync();
        let timeline = amira.ok(&["timeline", &case]);
        assert!(
            timeline.contains("Went with Rhea to the council vz1"),
            "{timeline}"
        );
        let appointments = amira.json(&["allocated", &case, "--json"]);
        assert_eq!(
            appointments["appointments"][0]["outcome"], "attended",
            "{appointments}"
        );
        let own = amira.json(&["allocated", &case, "--json"])["own_notes"].clone();
        assert_eq!(
            own.as_array().unwrap().len(),
            1,
            "the keyworker's own note alone: {own}"
        );
        assert_eq!(own[0]["body"], NOTE);

        // The brief follows the person; the code word never goes with it.
        amira.ok(&[
            "person",
            "update",
            &case,
            "--phone",
            "07700 900456",
            "--code-word",
            "primrose2",
        ]);
        amira.sync();
        vic.sync();
        assert_eq!(
            vic.json(&["allocated", "--json"])[0]["brief"]["phone"],
            "07700 900456"
        );
        assert!(!vic.store_holds("primrose2"));

        // Unallocated: dropped at their next sync.
        amira.ok(&["unshare", &case, "--with", "vic"]);
        vic.sync();
        assert!(vic
            .json(&["allocated", "--json"])
            .as_array()
            .unwrap()
            .is_empty());
        assert!(!vic.store_holds("Council offices"), "dropped");
    }
}
