//! Sync across processes: a real `waymark-server` (SQLite, then PostgreSQL)
//! and three CLI stores (two workers and their supervisor), each doing a
//! day of offline work, then syncing in every order. All converge, every
//! note arrives, the concurrent edit is a conflict on every device, and
//! settling it on one device settles it everywhere.

mod devices;

use devices::Device;
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use waymark_testkit::server::*;

fn devices(root: &Path, db: &str, server: &Server, tag: &str) -> [Device; 3] {
    let names = [
        format!("amira-{tag}"),
        format!("bea-{tag}"),
        format!("sam-{tag}"),
    ];
    org_with(
        db,
        &format!("North {tag}"),
        &[
            (&names[0], "worker", Some("outreach")),
            (&names[1], "worker", Some("outreach")),
            (&names[2], "supervisor", Some("outreach")),
            (&format!("ada-{tag}"), "admin", None),
        ],
    );
    names.map(|user| Device::confirmed(root.join(&user), &user, &server.url, &format!("ada-{tag}")))
}

fn scenario(root: &Path, db: &str, server: &Server, order: [usize; 3]) {
    let tag = format!("{}{}{}", order[0], order[1], order[2]);
    let [amira, bea, sam] = devices(root, db, server, &tag);
    let shared = amira.ok(&[
        "person",
        "add",
        "--name",
        "Robin Example",
        "--phone",
        "0700 000001",
    ]);
    let own = amira.ok(&["person", "add", "--name", "Kit Example"]);
    amira.sync();
    admin(db, &["share-case", "--case", &shared, "--user", &bea.user]);
    // Bea's device gets the shared case's changes before its key: they wait.
    let early = bea.sync();
    assert!(early["awaiting_key"].as_i64().unwrap() > 0, "{early}");
    assert!(bea
        .json(&["caseload", "--json"])
        .as_array()
        .unwrap()
        .is_empty());
    // A device that holds the key (amira's) seals it for the new member.
    let sealed = amira.sync();
    assert_eq!(sealed["keys_sealed"], 1, "{sealed}");
    let opened = bea.sync();
    assert_eq!(opened["keys_received"], 1, "{opened}");
    assert_eq!(opened["awaiting_key"], 0, "{opened}");
    sam.sync();
    assert_eq!(
        bea.json(&["caseload", "--json"]).as_array().unwrap().len(),
        1,
        "bea sees only the shared case"
    );
    assert_eq!(
        sam.json(&["caseload", "--json"]).as_array().unwrap().len(),
        2,
        "the supervisor sees the team's cases"
    );

    // A day offline each. Every note of the shared case at the same time:
    // each device lists them in the same order all the same (by id), not in
    // the order they arrived.
    let same_time = ["--at", "2026-01-05 10:00"];
    for i in 0..3 {
        let body = format!("Amira's visit {i}");
        amira.ok(&[&["note", "add", &shared, "--body", &body][..], &same_time].concat());
    }
    amira.ok(&["person", "update", &shared, "--phone", "0711 111111"]);
    amira.ok(&["note", "add", &own, "--body", "Kit: housing form done"]);
    for i in 0..2 {
        let body = format!("Bea's call {i}");
        bea.ok(&[&["note", "add", &shared, "--body", &body][..], &same_time].concat());
    }
    bea.ok(&["person", "update", &shared, "--phone", "0722 222222"]);
    bea.ok(&["person", "update", &shared, "--pronouns", "she/her"]);
    sam.ok(&[
        "note",
        "add",
        &own,
        "--body",
        "Supervision: Kit's plan reviewed",
    ]);
    sam.ok(&["person", "update", &own, "--email", "kit@example.org"]);

    // Each device knows which cases wait to be pushed.
    let status = bea.json(&["status", "--json"]);
    assert_eq!(
        status["sync"]["unsynced_cases"][0]["case_id"],
        shared.as_str(),
        "{status}"
    );
    assert_eq!(
        status["sync"]["unsynced_cases"][0]["pending_changes"], 4,
        "{status}"
    );

    // Sync in this order, twice round: the first round moves everything to
    // the server, the second brings everyone up to date.
    let all = [&amira, &bea, &sam];
    for _ in 0..2 {
        for &i in &order {
            all[i].sync();
        }
    }
    let robin = amira.case(&shared);
    assert_eq!(bea.case(&shared), robin, "order {order:?}");
    assert_eq!(sam.case(&shared), robin, "order {order:?}");
    assert_eq!(sam.case(&own), amira.case(&own), "order {order:?}");
    assert!(
        bea.run(&["export", &own]).status.code() != Some(0),
        "bea never receives an unshared case"
    );
    let notes = robin["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 5, "every note from both workers");
    assert_eq!(robin["person"]["pronouns"], "she/her");
    let phone = robin["person"]["phone"].as_str().unwrap().to_owned();
    assert!(["0711 111111", "0722 222222"].contains(&phone.as_str()));
    // The losing phone number is kept as the same conflict on every device.
    let conflicts: Vec<Value> = all
        .iter()
        .map(|d| d.json(&["conflicts", "--json"]))
        .collect();
    assert_eq!(
        conflicts[0].as_array().unwrap().len(),
        1,
        "{:?}",
        conflicts[0]
    );
    assert_eq!(conflicts[0][0]["field"], "phone");
    for c in &conflicts[1..] {
        assert_eq!(c[0]["id"], conflicts[0][0]["id"]);
        assert_eq!(c[0]["lost_value"], conflicts[0][0]["lost_value"]);
    }
    // Each side names the person who made it, from their signed changes
    // (on sam's device, neither is sam's own).
    let mut by = [&conflicts[2][0]["kept_by"], &conflicts[2][0]["lost_by"]]
        .map(|b| b.as_str().unwrap_or("none").to_owned());
    by.sort();
    assert_eq!(
        by,
        [amira.user.clone(), bea.user.clone()],
        "{}",
        conflicts[2]
    );
    // Whose each side is, as `--keep` takes it: on sam's device neither is
    // his; on amira's and bea's, one side is theirs and one is "mine".
    assert_eq!(
        (&conflicts[2][0]["kept_side"], &conflicts[2][0]["lost_side"]),
        (&Value::from("theirs"), &Value::from("theirs"))
    );
    for c in &conflicts[..2] {
        let mut sides = [&c[0]["kept_side"], &c[0]["lost_side"]].map(|s| s.to_string());
        sides.sort();
        assert_eq!(sides, ["\"mine\"", "\"theirs\""], "{c}");
    }
    let text = sam.ok(&["conflicts"]);
    assert!(
        text.contains(&format!("theirs, {}", amira.user))
            && text.contains(&format!("theirs, {}", bea.user)),
        "{text}"
    );

    // Bea keeps her number; the settlement syncs and closes it everywhere.
    let id = conflicts[1][0]["id"].as_str().unwrap().to_owned();
    bea.ok(&["conflicts", "resolve", &id, "--keep", "mine"]);
    for d in [&bea, &amira, &sam] {
        d.sync();
    }
    for d in all {
        assert_eq!(
            d.case(&shared)["person"]["phone"],
            "0722 222222",
            "{}",
            d.user
        );
        assert_eq!(
            d.json(&["conflicts", "--json"]),
            serde_json::json!([]),
            "{}",
            d.user
        );
    }
    // Nothing is waiting anywhere.
    for d in all {
        assert_eq!(d.json(&["status", "--json"])["pending_changes"], 0);
    }
}

const ORDERS: [[usize; 3]; 6] = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
];

#[test]
fn three_devices_converge_whatever_the_sync_order() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        let server = Server::start(&db, dir.path());
        std::thread::scope(|scope| {
            for order in ORDERS {
                let (root, db, server) = (dir.path(), &db, &server);
                scope.spawn(move || {
                    let root = root.join(format!("{}-{order:?}", is_postgres(db)));
                    scenario(&root, db, server, order)
                });
            }
        });
    }
}

#[test]
fn sync_names_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    let server = Server::start(&db, dir.path());
    org_with(&db, "North", &[("amira", "worker", Some("outreach"))]);
    let d = Device::new(dir.path().join("a"), "amira");
    d.ok(&["init", "--user", "amira"]);
    let out = d.run(&["sync"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("waymark login --server"));
    let out = d.run(&["login", "--server", "ftp://example.org"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--server"));
    // The store's passphrase is right but the server knows another one.
    let other = Device::new(dir.path().join("b"), "amira");
    let out = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .env("WAYMARK_TEST_KDF", "cheap")
        .arg("--store")
        .arg(&other.dir)
        .args(["init", "--user", "amira"])
        .env("WAYMARK_PASSPHRASE", "not amira's server passphrase")
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .env("WAYMARK_TEST_KDF", "cheap")
        .arg("--store")
        .arg(&other.dir)
        .args(["login", "--server", &server.url])
        .env("WAYMARK_PASSPHRASE", "not amira's server passphrase")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad_credentials"));
    // An organisation certificate that cannot be read is named, not ignored.
    let mut missing_ca = Device::new(d.dir.clone(), "amira");
    missing_ca
        .env
        .push(("WAYMARK_CA_CERT".into(), "/no/such/ca.pem".into()));
    let out = missing_ca.run(&["login", "--server", &server.url]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("WAYMARK_CA_CERT: cannot read /no/such/ca.pem"));
    // A server that is down: a network failure, exit 1, after retries.
    d.ok(&["login", "--server", &server.url]);
    drop(server);
    let out = d.run(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot reach the server"));
    // For a script: the stage it reached, what moved, and the error's kind.
    let out = d.run(&["sync", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let stopped: Value = serde_json::from_slice(&out.stdout).expect("a JSON error on stdout");
    assert_eq!(stopped["ok"], false, "{stopped}");
    assert_eq!(stopped["stage"], "trust", "{stopped}");
    assert_eq!(stopped["moved"]["pushed"], 0, "{stopped}");
    assert_eq!(stopped["error"]["kind"], "network", "{stopped}");
    assert_eq!(stopped["error"]["network"], "refused", "{stopped}");
}

#[test]
fn sync_over_https_with_an_organisations_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    org_with(
        &db,
        "North",
        &[
            ("amira", "worker", Some("outreach")),
            ("sam", "supervisor", Some("outreach")),
            ("ada", "admin", None),
        ],
    );
    let (ca, cert, key) = test_certificates(dir.path());
    let server = Server::start_tls(&db, dir.path(), &cert, &key);
    let trusting = |user: &str| {
        let mut d = Device::new(dir.path().join(user), user);
        d.env
            .push(("WAYMARK_CA_CERT".into(), ca.display().to_string()));
        d.ok(&["init", "--user", user]);
        d
    };
    let amira = trusting("amira");
    // Without the organisation's certificate the server is not trusted.
    let mut untrusting = Device::new(amira.dir.clone(), "amira");
    untrusting.env.clear();
    let out = untrusting.run(&["login", "--server", &server.url]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("certificate is not trusted"));
    amira.ok(&["login", "--server", &server.url]);
    let ada = trusting("ada");
    ada.ok(&["login", "--server", &server.url]);
    amira.confirm_by(&ada);
    let case = amira.ok(&["person", "add", "--name", "Jo Example"]);
    amira.sync();
    let sam = trusting("sam");
    sam.ok(&["login", "--server", &server.url]);
    sam.confirm_by(&ada);
    sam.sync();
    amira.sync(); // seals the case key for sam's newly enrolled device
    sam.sync();
    assert_eq!(sam.case(&case)["person"]["full_name"], "Jo Example");
}

/// A device its organisation revoked erases its store the next time it
/// reaches the server, and says why; other devices carry on.
#[test]
fn a_revoked_device_wipes_its_store_and_says_why() {
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
    let lost = Device::confirmed(
        dir.path().join("stolen-laptop"),
        "amira",
        &server.url,
        "ada",
    );
    let kept = Device::confirmed(dir.path().join("supervisor"), "sam", &server.url, "ada");
    let case = lost.ok(&["person", "add", "--name", "Jo Example"]);
    lost.ok(&[
        "note",
        "add",
        &case,
        "--body",
        "canary-revoke",
        "--type",
        "visit",
    ]);
    lost.sync();
    kept.sync();
    let devices = admin(&db, &["list-devices", "--user", "amira"]);
    let device = devices.split('\t').next().unwrap().trim().to_owned();
    admin(&db, &["revoke-device", "--device", &device]);

    let out = lost.run(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("revoked") && said.contains("erased"),
        "{said}"
    );
    let left: Vec<_> = std::fs::read_dir(&lost.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "nothing of the store is left: {left:?}");
    let out = lost.run(&["status"]);
    assert_eq!(out.status.code(), Some(2), "no store there any more");

    // The supervisor's device is not touched and still has the note.
    kept.sync();
    let hits = kept.json(&["search", "canary", "--json"]);
    assert_eq!(hits.as_array().unwrap().len(), 1, "{hits}");
}

/// The server can read nothing: cases, notes, safe-contact details and an
/// attachment written with canary strings sync between two devices (so the
/// server really carried them), then the server's store (the SQLite file
/// with its WAL, or a pg_dump of the PostgreSQL database) and its log are
/// scanned: no canary anywhere. Scanning for the case's id proves the scan
/// reads the store at all.
#[test]
fn the_server_store_and_log_hold_no_plaintext() {
    let dir = tempfile::tempdir().unwrap();
    for (n, db) in databases(&dir).into_iter().enumerate() {
        let canary = |what: &str| format!("CANARY{n}-{what}-b7e1");
        let root = dir.path().join(format!("run{n}"));
        std::fs::create_dir_all(&root).unwrap();
        let server = Server::start(&db, &root);
        org_with(
            &db,
            "North",
            &[
                ("amira", "worker", Some("outreach")),
                ("sam", "supervisor", Some("outreach")),
                ("tova", "supervisor", Some("outreach")),
                ("ada", "admin", None),
            ],
        );
        let [amira, sam] =
            ["amira", "sam"].map(|u| Device::confirmed(root.join(u), u, &server.url, "ada"));
        let tova = Device::enrolled(root.join("tova"), "tova", &server.url);
        let ada = Device::admin_laptop(&root.join("amira"), "ada", &server.url);
        let case = amira.ok(&[
            "person",
            "add",
            "--name",
            &canary("name"),
            "--phone",
            "0700 918273",
            "--address",
            &canary("refuge-address"),
            "--restricted-address",
            "--code-word",
            &canary("code-word"),
            "--safe-contact-notes",
            &canary("instructions"),
        ]);
        amira.ok(&[
            "note",
            "add",
            &case,
            "--body",
            &canary("note"),
            "--type",
            "visit",
        ]);
        amira.ok(&[
            "flag",
            "raise",
            &case,
            "--kind",
            "stalking",
            "--detail",
            &canary("flag"),
        ]);
        let letter = root.join("letter.txt");
        std::fs::write(&letter, canary("attachment").repeat(50)).unwrap();
        amira.ok(&["attachment", "add", &case, letter.to_str().unwrap()]);
        amira.sync();
        sam.sync();
        let hits = sam.json(&["search", &canary("note"), "--json"]);
        assert_eq!(hits.as_array().unwrap().len(), 1, "the note reached sam");
        let attachments = sam.json(&["attachment", "list", &case, "--json"]);
        let attachment = attachments[0]["id"].as_str().unwrap().to_owned();
        let out = root.join("fetched.txt");
        sam.ok(&[
            "attachment",
            "get",
            &attachment,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            canary("attachment").repeat(50)
        );
        // An erasure's reason is kept too, sealed: a second case is erased
        // with a reason that would name her.
        let erased = amira.ok(&["person", "add", "--name", "Erased Example"]);
        amira.sync();
        sam.sync();
        let recovery = root.join("recovery.txt");
        ada.ok(&[
            "recovery-key",
            "create",
            "--out",
            recovery.to_str().unwrap(),
        ]);
        let reason = canary("erasure-reason");
        sam.ok(&["erase-case", &erased, "--reason", &reason]);
        tova.ok(&["erase-case", &erased, "--reason", "agreed"]);
        assert_eq!(server_rows(&db, "changes", &erased), 0, "erased");

        let mut scanned: Vec<(String, Vec<u8>)> = Vec::new();
        if is_postgres(&db) {
            let dump = Command::new("pg_dump")
                .arg("--dbname")
                .arg(&db)
                .output()
                .unwrap();
            assert!(
                dump.status.success(),
                "{}",
                String::from_utf8_lossy(&dump.stderr)
            );
            scanned.push(("pg_dump".into(), dump.stdout));
        } else {
            for suffix in ["", "-wal"] {
                let path = format!("{db}{suffix}");
                if let Ok(bytes) = std::fs::read(&path) {
                    scanned.push((path, bytes));
                }
            }
        }
        scanned.push(("server log".into(), std::fs::read(&server.log).unwrap()));
        let store: Vec<u8> = scanned[..scanned.len() - 1]
            .iter()
            .flat_map(|s| s.1.clone())
            .collect();
        assert!(
            contains(&store, case.as_bytes())
                || contains(&store, uuid::Uuid::parse_str(&case).unwrap().as_bytes()),
            "the scan reads the store (the case id, routing metadata, is there)"
        );
        // As text, and as hex (how pg_dump writes bytea, where bodies live).
        for (what, bytes) in &scanned {
            for needle in [format!("CANARY{n}"), "0700 918273".into()] {
                let hex: String = needle.bytes().map(|b| format!("{b:02x}")).collect();
                for form in [&needle, &hex] {
                    assert!(
                        !contains(bytes, form.as_bytes()),
                        "{needle} found in {what}"
                    );
                }
            }
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Rows the server store holds for a case, per table (both stores).
fn server_rows(db: &str, table: &str, case: &str) -> i64 {
    server_value(
        db,
        &format!("SELECT count(*) FROM {table} WHERE log_id = $1"),
        case,
    )
}

/// Erasure (crypto-shredding): only a supervisor or an admin may ask, with
/// a reason, which is sealed to the organisation's recovery key (none yet:
/// refused). Under the organisation's rule a second supervisor or admin
/// confirms; the one who asked cannot. Then the server deletes the case's
/// log, attachment contents, sealed keys and shares at once and keeps only
/// the erasure's record, the reason readable only with the recovery key;
/// every device drops its copy at its next sync, including one that wrote to
/// the case offline (its push names the erased case, is refused, the copy
/// and its unsent changes are dropped, and its other work still goes
/// through). Under the grace rule the request runs when its time is up,
/// unless cancelled.
#[test]
fn an_erased_case_is_gone_from_the_server_and_every_device() {
    let dir = tempfile::tempdir().unwrap();
    for (n, db) in databases(&dir).into_iter().enumerate() {
        let root = dir.path().join(format!("erase{n}"));
        std::fs::create_dir_all(&root).unwrap();
        let server = Server::start(&db, &root);
        org_with(
            &db,
            "North",
            &[
                ("amira", "worker", Some("outreach")),
                ("sam", "supervisor", Some("outreach")),
                ("tova", "supervisor", Some("outreach")),
                ("ada", "admin", None),
            ],
        );
        let [amira, sam] =
            ["amira", "sam"].map(|u| Device::confirmed(root.join(u), u, &server.url, "ada"));
        let tova = Device::enrolled(root.join("tova"), "tova", &server.url);
        let ada = Device::admin_laptop(&root.join("amira"), "ada", &server.url);
        let case = amira.ok(&["person", "add", "--name", "Erin Example"]);
        let kept = amira.ok(&["person", "add", "--name", "Kit Example"]);
        amira.ok(&[
            "note",
            "add",
            &case,
            "--body",
            "the first visit",
            "--type",
            "visit",
        ]);
        let letter = root.join("letter.txt");
        std::fs::write(&letter, "a letter").unwrap();
        amira.ok(&["attachment", "add", &case, letter.to_str().unwrap()]);
        amira.sync();
        sam.sync();
        assert_eq!(sam.case(&case)["person"]["full_name"], "Erin Example");
        for table in ["changes", "blobs", "sealed_keys"] {
            assert!(server_rows(&db, table, &case) > 0, "{table} held before");
        }
        // Amira, offline, writes to the case and to another.
        amira.ok(&[
            "note",
            "add",
            &case,
            "--body",
            "written offline",
            "--type",
            "visit",
        ]);
        amira.ok(&[
            "note",
            "add",
            &kept,
            "--body",
            "other work goes on",
            "--type",
            "visit",
        ]);

        let refused = amira.run(&["erase-case", &case, "--reason", "retention"]);
        assert_eq!(refused.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&refused.stderr).contains("only a supervisor or an admin"));
        let refused = sam.run(&["erase-case", &case, "--reason", "  "]);
        assert_eq!(refused.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&refused.stderr).contains("reason:"));
        let refused = sam.run(&["erase-case", &case, "--reason", "retention"]);
        assert_eq!(refused.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains("no recovery key"),
            "{}",
            String::from_utf8_lossy(&refused.stderr)
        );
        let recovery = root.join("recovery.txt");
        ada.ok(&[
            "recovery-key",
            "create",
            "--out",
            recovery.to_str().unwrap(),
        ]);

        let why = "closed for the retention period";
        let asked = sam.json(&["erase-case", &case, "--reason", why, "--json"]);
        assert_eq!(asked["state"], "requested", "{asked}");
        assert_eq!(asked["rule"], "second-person", "{asked}");
        let again = sam.run(&["erase-case", &case, "--reason", why]);
        assert_eq!(again.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&again.stderr)
            .contains("another supervisor or admin must confirm"));
        let waiting = tova.json(&["erasures", "--json"]);
        assert_eq!(waiting["pending"][0]["log_id"], case.as_str(), "{waiting}");
        assert_eq!(waiting["pending"][0]["requested_by"], "sam", "{waiting}");
        assert!(server_rows(&db, "changes", &case) > 0, "nothing erased yet");
        assert_eq!(sam.case(&case)["person"]["full_name"], "Erin Example");

        let done = tova.json(&["erase-case", &case, "--reason", "agreed with sam", "--json"]);
        assert_eq!(done["state"], "erased", "{done}");
        assert_eq!(sam.sync()["cases_erased"], 1);
        assert_eq!(
            sam.run(&["export", &case]).status.code(),
            Some(2),
            "gone from sam's device at its next sync"
        );
        // The server keeps the reason sealed: only the recovery key reads it.
        let sealed = server_bytes(
            &db,
            "SELECT reason_sealed FROM erased_logs WHERE log_id = $1",
            &case,
        );
        assert!(!sealed.windows(9).any(|w| w == b"retention"));
        let secret =
            waymark_crypto::parse_recovery_key(&std::fs::read_to_string(&recovery).unwrap())
                .unwrap();
        let org = org_id(&db, "North");
        let read =
            waymark_crypto::open_erasure_reason(&secret, org, case.parse().unwrap(), &sealed)
                .unwrap();
        assert_eq!(read.as_str(), why);
        for table in [
            "changes",
            "blobs",
            "blob_chunks",
            "sealed_keys",
            "logs",
            "log_shares",
        ] {
            assert_eq!(server_rows(&db, table, &case), 0, "{table} emptied");
        }
        assert_eq!(
            server_rows(&db, "erased_logs", &case),
            1,
            "the erasure is recorded"
        );
        let again = tova.run(&["erase-case", &case, "--reason", "twice"]);
        assert_eq!(again.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&again.stderr).contains("already erased"));

        let report = amira.sync();
        assert_eq!(report["cases_erased"], 1, "{report}");
        assert_eq!(amira.run(&["export", &case]).status.code(), Some(2));
        assert!(amira
            .json(&["search", "offline", "--json"])
            .as_array()
            .unwrap()
            .is_empty());
        assert_eq!(
            server_rows(&db, "changes", &case),
            0,
            "the offline note was not stored"
        );
        sam.sync();
        let hits = sam.json(&["search", "other work", "--json"]);
        assert_eq!(
            hits.as_array().unwrap().len(),
            1,
            "the other case's note went through"
        );
        assert_eq!(
            sam.json(&["caseload", "--json"]).as_array().unwrap().len(),
            1
        );
    }
}

/// Rotation: when a member leaves a case (here, it is unshared), the next
/// member device to sync makes the case's next key and seals it to the
/// members left; what is written after goes under it. The one who left gets
/// neither the new key nor the new changes.
#[test]
fn a_member_who_leaves_is_kept_out_of_later_changes() {
    let dir = tempfile::tempdir().unwrap();
    for (n, db) in databases(&dir).into_iter().enumerate() {
        let root = dir.path().join(format!("rotate{n}"));
        std::fs::create_dir_all(&root).unwrap();
        let server = Server::start(&db, &root);
        org_with(
            &db,
            "North",
            &[
                ("amira", "worker", Some("outreach")),
                ("bea", "worker", Some("outreach")),
                ("sam", "supervisor", Some("outreach")),
                ("ada", "admin", None),
            ],
        );
        let [amira, bea, sam] =
            ["amira", "bea", "sam"].map(|u| Device::confirmed(root.join(u), u, &server.url, "ada"));
        let case = amira.ok(&["person", "add", "--name", "Rhea Example"]);
        amira.sync();
        admin(&db, &["share-case", "--case", &case, "--user", "bea"]);
        amira.sync();
        bea.sync();
        sam.sync();
        assert_eq!(bea.case(&case)["person"]["full_name"], "Rhea Example");
        let epoch =
            |db: &str| server_value(db, "SELECT key_epoch FROM logs WHERE log_id = $1", &case);
        assert_eq!(epoch(&db), 1);

        admin(&db, &["unshare-case", "--case", &case, "--user", "bea"]);
        assert_eq!(
            server_value(
                &db,
                "SELECT needs_rotation FROM logs WHERE log_id = $1",
                &case
            ),
            1,
            "bea's device held the key: the case needs a new one"
        );
        amira.ok(&[
            "note",
            "add",
            &case,
            "--body",
            "after bea left",
            "--type",
            "visit",
        ]);
        let report = amira.sync();
        assert_eq!(report["keys_rotated"], 1, "{report}");
        assert_eq!(epoch(&db), 2);
        assert_eq!(
            server_value(
                &db,
                "SELECT count(*) FROM sealed_keys WHERE log_id = $1 AND epoch = 2",
                &case
            ),
            2,
            "the new key went to amira's and sam's devices only"
        );
        // The note written after she left is under the new key (the epoch
        // is in each ciphertext's header: version, then 4 bytes).
        let newest: Vec<u8> = if is_postgres(&db) {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let (client, conn) = tokio_postgres::connect(&db, tokio_postgres::NoTls)
                    .await
                    .unwrap();
                tokio::spawn(conn);
                let id: uuid::Uuid = case.parse().unwrap();
                client
                    .query_one(
                        "SELECT body FROM changes WHERE log_id = $1 ORDER BY seq DESC LIMIT 1",
                        &[&id],
                    )
                    .await
                    .unwrap()
                    .get(0)
            })
        } else {
            rusqlite::Connection::open(&db)
                .unwrap()
                .query_row(
                    "SELECT body FROM changes WHERE log_id = ?1 ORDER BY seq DESC LIMIT 1",
                    [&case],
                    |r| r.get(0),
                )
                .unwrap()
        };
        assert_eq!(u32::from_be_bytes(newest[1..5].try_into().unwrap()), 2);

        sam.sync();
        assert_eq!(
            sam.json(&["search", "after bea left", "--json"])
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let report = bea.sync();
        assert_eq!(report["keys_received"], 0, "{report}");
        assert!(bea
            .json(&["search", "after bea left", "--json"])
            .as_array()
            .unwrap()
            .is_empty());
    }
}

/// Recovery: the admin makes the organisation's recovery key once (its
/// secret only in a file, shown once); every case key is then sealed to it
/// too. When a worker's laptop is lost (revoked) and no colleague's device
/// holds her cases' keys, her new laptop gets the cases' changes but cannot
/// read them, until the admin reseals the keys with the recovery key. The
/// admin's own device never holds the cases.
#[test]
fn the_recovery_key_restores_a_workers_access_after_a_lost_laptop() {
    let dir = tempfile::tempdir().unwrap();
    for (n, db) in databases(&dir).into_iter().enumerate() {
        let root = dir.path().join(format!("recover{n}"));
        std::fs::create_dir_all(&root).unwrap();
        let server = Server::start(&db, &root);
        org_with(
            &db,
            "North",
            &[
                ("amira", "worker", Some("outreach")),
                ("ann", "admin", None),
            ],
        );
        // Ann's laptop makes the organisation's key at login; she confirms
        // each device of the others.
        let ann = Device::admin_laptop(&root.join("ann"), "ann", &server.url);
        let device =
            |name: &str, user: &str| Device::confirmed(root.join(name), user, &server.url, "ann");
        let file = root.join("recovery.key");
        let made = ann.ok(&["recovery-key", "create", "--out", file.to_str().unwrap()]);
        assert!(made.contains("keep it offline"), "{made}");
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let again = root.join("second.key");
        let out = ann.run(&["recovery-key", "create", "--out", again.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("already has a recovery key"));
        assert!(!again.exists(), "a refused key leaves no file");
        let amira = device("amira", "amira");
        let refused = amira.run(&["recovery-key", "create", "--out", again.to_str().unwrap()]);
        assert_eq!(refused.status.code(), Some(2), "only an admin");

        let case = amira.ok(&["person", "add", "--name", "Lior Example"]);
        amira.ok(&[
            "note",
            "add",
            &case,
            "--body",
            "before the laptop was lost",
            "--type",
            "visit",
        ]);
        amira.sync();
        assert_eq!(
            server_value(
                &db,
                "SELECT count(*) FROM sealed_keys WHERE log_id = $1",
                &case
            ),
            2,
            "sealed to amira's device and to the recovery key"
        );

        // The laptop is lost: revoked. Her new one cannot read her cases yet.
        let listed = admin(&db, &["list-devices", "--user", "amira"]);
        let old = listed.split('\t').next().unwrap().trim().to_owned();
        admin(&db, &["revoke-device", "--device", &old]);
        // The new laptop, not yet confirmed: the admin's device reseals
        // nothing to it (as to any device the server might list).
        let fresh = Device::enrolled(root.join("amira-new"), "amira", &server.url);
        let early = ann.ok(&[
            "recover-user",
            "--person",
            "amira",
            "--recovery-key",
            file.to_str().unwrap(),
        ]);
        assert!(early.contains("resealed 0 case key"), "{early}");
        let refused = ann.json(&["refused", "--json"])["recipients"].clone();
        assert_eq!(refused.as_array().unwrap().len(), 1, "{refused}");
        fresh.confirm_by(&ann);
        let report = fresh.sync();
        assert!(report["awaiting_key"].as_i64().unwrap() > 0, "{report}");
        assert!(fresh
            .json(&["caseload", "--json"])
            .as_array()
            .unwrap()
            .is_empty());

        // Bad input is named, and changes nothing.
        let bad = root.join("typo.key");
        let text = std::fs::read_to_string(&file).unwrap();
        let secret_line = text.lines().find(|l| l.starts_with("secret ")).unwrap();
        let mut chars: Vec<char> = secret_line.chars().collect();
        chars[7] = if chars[7] == '0' { '1' } else { '0' };
        let flipped: String = chars.into_iter().collect();
        std::fs::write(&bad, text.replace(secret_line, &flipped)).unwrap();
        let out = ann.run(&[
            "recover-user",
            "--person",
            "amira",
            "--recovery-key",
            bad.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("recovery_key"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = ann.run(&[
            "recover-user",
            "--person",
            "nobody",
            "--recovery-key",
            file.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("no user named"));

        let done = ann.ok(&[
            "recover-user",
            "--person",
            "amira",
            "--recovery-key",
            file.to_str().unwrap(),
        ]);
        assert!(done.contains("resealed 1 case key"), "{done}");
        let report = fresh.sync();
        assert_eq!(report["keys_received"], 1, "{report}");
        assert_eq!(report["awaiting_key"], 0, "{report}");
        assert_eq!(
            report["keys_rotated"], 1,
            "the lost laptop held the key: a new one for later changes"
        );
        assert_eq!(fresh.case(&case)["person"]["full_name"], "Lior Example");
        assert_eq!(
            fresh
                .json(&["search", "laptop", "--json"])
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert!(
            ann.json(&["caseload", "--json"])
                .as_array()
                .unwrap()
                .is_empty(),
            "the admin never held the case"
        );
    }
}

/// A passphrase changed on one laptop changes the login too: the old
/// passphrase no longer logs a new laptop in, the new one does. A wrong
/// current passphrase or a weak new one changes nothing anywhere.
#[test]
fn a_passphrase_change_changes_the_server_login_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    let server = Server::start(&db, dir.path());
    org_with(&db, "North", &[("amira", "worker", Some("outreach"))]);
    let laptop = Device::enrolled(dir.path().join("laptop"), "amira", &server.url);
    let change = |current: &str, new: &str| {
        let mut d = Device::new(laptop.dir.clone(), "amira");
        d.env = vec![
            ("WAYMARK_PASSPHRASE".into(), current.into()),
            ("WAYMARK_NEW_PASSPHRASE".into(), new.into()),
        ];
        d.run(&["passphrase", "change"])
    };
    let (old, new) = ("amira passphrase", "amira's brand new passphrase");
    let weak = change(old, "password1234");
    assert_eq!(weak.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&weak.stderr).contains("too easy to guess"));
    let wrong = change("not amira's passphrase", new);
    assert_eq!(
        wrong.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
    let changed = change(old, new);
    assert!(
        changed.status.success(),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );

    // A second laptop: the old passphrase is refused by the server, the new one
    // logs in.
    let join = |pass: &str| {
        let mut d = Device::new(dir.path().join(format!("second-{}", pass.len())), "amira");
        d.env = vec![("WAYMARK_PASSPHRASE".into(), pass.into())];
        d.ok(&["init", "--user", "amira"]);
        d.run(&["login", "--server", &server.url])
    };
    let refused = join(old);
    assert_eq!(
        refused.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(join(new).status.success());
    // The first laptop opens with the new passphrase and still syncs.
    let mut d = Device::new(laptop.dir.clone(), "amira");
    d.env = vec![("WAYMARK_PASSPHRASE".into(), new.into())];
    d.sync();
}

/// `waymark join`: a person joins with the one-time code their administrator
/// gave them and chooses their own passphrase. A weak passphrase is refused
/// before anything is sent (exit 2, with the reason; the code still works);
/// a wrong code is refused by the server and leaves nothing on the laptop;
/// the right one makes their store, logged in, and they sync.
#[test]
fn a_worker_joins_with_their_code_and_their_own_passphrase() {
    let root = tempfile::tempdir().unwrap();
    let db = root.path().join("server.db").display().to_string();
    org_with(&db, "North", &[("ada", "admin", None)]);
    admin(&db, &["add-team", "--org", "North", "--name", "outreach"]);
    let code = add_user(&db, "North", "amira", "worker", Some("outreach"));
    let server = Server::start(&db, root.path());
    let laptop = root.path().join("laptop");
    let mut amira = Device::new(laptop.clone(), "amira");
    let join = |amira: &Device, code: &str| {
        amira.run(&[
            "join",
            "--server",
            &server.url,
            "--user",
            "amira",
            "--code",
            code,
        ])
    };
    amira.env = vec![("WAYMARK_NEW_PASSPHRASE".into(), "password1234".into())];
    let weak = join(&amira, &code);
    let said = String::from_utf8_lossy(&weak.stderr);
    assert_eq!(weak.status.code(), Some(2), "{said}");
    assert!(said.contains("passphrase"), "{said}");
    assert!(!laptop.exists(), "nothing made on the laptop");

    amira.env = vec![("WAYMARK_NEW_PASSPHRASE".into(), "amira passphrase".into())];
    let wrong = join(&amira, "7K2M-QX9P-AB3D-EF4G-HJ5K");
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert_eq!(wrong.status.code(), Some(2), "{said}");
    assert!(
        said.contains("enrolment code is wrong, used already or expired"),
        "{said}"
    );
    assert!(!laptop.exists(), "nothing made on the laptop");

    let joined = join(&amira, &code);
    assert!(
        joined.status.success(),
        "{}",
        String::from_utf8_lossy(&joined.stderr)
    );
    assert!(String::from_utf8_lossy(&joined.stdout).contains("joined"));
    amira.env.clear();
    let status = amira.json(&["status", "--json"]);
    assert_eq!(status["sync"]["user"], "amira", "{status}");
    amira.ok(&["person", "add", "--name", "Orla Testcase"]);
    let synced = amira.sync();
    assert!(synced["pushed"].as_u64().unwrap() >= 1, "{synced}");

    // The code is spent: someone who saw it over her shoulder gets nowhere.
    let mut other = Device::new(root.path().join("other"), "amira");
    other.env = vec![(
        "WAYMARK_NEW_PASSPHRASE".into(),
        "a thief's long passphrase".into(),
    )];
    assert_eq!(join(&other, &code).status.code(), Some(2));
}
