//! The server's HTTP API against a real server process, on both stores:
//! access for every role, idempotent gap-free logs, and bad input refused
//! with a JSON error and nothing written.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use uuid::Uuid;
use waymark_testkit::server::*;

const NORTH: &[(&str, &str, Option<&str>)] = &[
    ("amira", "worker", Some("outreach")),
    ("bea", "worker", Some("outreach")),
    ("sam", "supervisor", Some("outreach")),
    ("cai", "worker", Some("diversion")),
    ("dee", "supervisor", Some("diversion")),
    ("ann", "admin", None),
];

fn heads(url: &str, token: &str) -> BTreeMap<Uuid, i64> {
    pull_all(url, token)
        .into_iter()
        .map(|(l, s)| (l, s.last().copied().unwrap_or(0)))
        .collect()
}

#[test]
fn access_matrix_on_both_stores() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", NORTH);
        org_with(&db, "South", &[("zoe", "worker", Some("x"))]);
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let tokens: BTreeMap<&str, String> = ["amira", "bea", "sam", "cai", "dee", "ann", "zoe"]
            .into_iter()
            .map(|u| (u, login(url, u).1))
            .collect();
        // Each keyworker opens a case by pushing to it.
        let (case_a, case_b, case_c) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        for (who, case) in [("amira", case_a), ("bea", case_b), ("cai", case_c)] {
            let (s, b) = push(url, &tokens[who], vec![envelope(case, b"opened")]);
            assert_eq!(s, 200, "{who}: {b}");
        }
        // The organisation's log: every member reads it.
        assert_eq!(
            push(
                url,
                &tokens["dee"],
                vec![envelope(waymark_protocol::ORG_LOG, b"template")]
            )
            .0,
            200
        );

        let org = waymark_protocol::ORG_LOG;
        let expect_read = |who: &str, admins_on: bool, shared: bool| -> Vec<Uuid> {
            let mut v = match who {
                "amira" => vec![case_a],
                "bea" if shared => vec![case_a, case_b],
                "bea" => vec![case_b],
                "sam" => vec![case_a, case_b],
                "cai" | "dee" => vec![case_c],
                "ann" if admins_on => vec![case_a, case_b, case_c],
                // Zoe's first round of pushes made logs of her own, in her
                // organisation, under the same ids: she reads those.
                "zoe" if admins_on => vec![case_a, case_b, case_c],
                _ => vec![],
            };
            if who != "zoe" {
                v.push(org);
            }
            v.sort();
            v
        };
        let check = |admins_on: bool, shared: bool| {
            for (who, token) in &tokens {
                let mut read: Vec<Uuid> = heads(url, token).into_keys().collect();
                read.sort();
                assert_eq!(
                    read,
                    expect_read(who, admins_on, shared),
                    "{who} reads (admins {admins_on}, shared {shared}) on {db}"
                );
                for case in [case_a, case_b, case_c] {
                    let may = expect_read(who, admins_on, shared).contains(&case);
                    let (status, body) = push(url, token, vec![envelope(case, b"edit")]);
                    if may {
                        assert_eq!(status, 200, "{who} writes {case}: {body}");
                    } else if *who == "zoe" {
                        // Another organisation: its own log under that id, never ours.
                        assert_eq!(status, 200, "{body}");
                    } else {
                        assert_eq!(
                            (status, body["error"].as_str()),
                            (403, Some("no_access")),
                            "{who} must not write {case}"
                        );
                    }
                }
            }
        };
        check(false, false);
        admin(
            &db,
            &["share-case", "--case", &case_a.to_string(), "--user", "bea"],
        );
        admin(&db, &["admins-see-cases", "--org", "North", "on"]);
        check(true, true);
        // Zoe's pushes under our case ids never reached North's logs: the
        // case heads only count North's writes.
        let sam_heads = heads(url, &tokens["sam"]);
        let zoe_heads = heads(url, &tokens["zoe"]);
        assert!(zoe_heads.values().all(|&h| h <= 2), "{zoe_heads:?}");
        assert!(sam_heads[&case_a] > zoe_heads[&case_a]);

        // A revoked device can do nothing, and cannot log in again.
        let (device, token) = login(url, "amira");
        let out = admin(&db, &["revoke-device", "--device", &device.to_string()]);
        assert!(out.contains("revoked"), "{out}");
        let (s, b) = push(url, &token, vec![envelope(case_a, b"after revoke")]);
        assert_eq!((s, b["error"].as_str()), (401, Some("device_revoked")));
        let (s, _) = post(
            &format!("{url}/v1/pull"),
            Some(&token),
            &json!({"cursors": []}),
        );
        assert_eq!(s, 401);
        let (s, b) = post(
            &format!("{url}/v1/login"),
            None,
            &login_request(url, "amira", "amira passphrase", device),
        );
        assert_eq!((s, b["error"].as_str()), (403, Some("device_revoked")));
        // A disabled user's devices stop working too.
        admin(&db, &["disable-user", "--user", "cai"]);
        let (s, b) = push(url, &tokens["cai"], vec![envelope(case_c, b"x")]);
        assert_eq!((s, b["error"].as_str()), (403, Some("user_disabled")));
    }
}

#[test]
fn pushes_are_idempotent_and_logs_gap_free() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", &NORTH[..1]);
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let (_, token) = login(url, "amira");
        let case = Uuid::new_v4();
        let batch: Vec<Value> = (0..50)
            .map(|i| envelope(case, format!("c{i}").as_bytes()))
            .collect();
        let (s, first) = push(url, &token, batch.clone());
        assert_eq!(s, 200, "{first}");
        let seqs: Vec<i64> = first["accepted"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["seq"].as_i64().unwrap())
            .collect();
        assert_eq!(seqs, (1..=50).collect::<Vec<_>>());
        // The same push again (a lost answer, retried), and a mix of old and new.
        let (_, again) = push(url, &token, batch.clone());
        assert!(again["accepted"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["duplicate"] == true));
        assert_eq!(again["accepted"][7]["seq"], 8);
        let mut mixed = batch[40..].to_vec();
        mixed.push(envelope(case, b"new"));
        let (_, mixed) = push(url, &token, mixed);
        assert_eq!(mixed["accepted"][10]["seq"], 51);
        assert_eq!(mixed["accepted"][10]["duplicate"], false);
        let mut full = Cursors::default();
        let all = pull_all_with(url, &token, &mut full);
        assert_eq!(
            all[&case],
            (1..=51).collect::<Vec<_>>(),
            "stored once, no gaps"
        );
        // Paging: small pages return the same changes in order with
        // `remaining`. The tip at a seq is the chain over the change ids.
        let mut at_10 = Cursors::default();
        let (_, first_ten) = post(
            &format!("{url}/v1/pull"),
            Some(&token),
            &json!({"cursors": [], "limit": 10}),
        );
        for c in first_ten["logs"][0]["changes"].as_array().unwrap() {
            at_10.advance(case, c);
        }
        let (_, page) = post(
            &format!("{url}/v1/pull"),
            Some(&token),
            &json!({"cursors": at_10.json(), "limit": 5}),
        );
        let page_seqs: Vec<i64> = page["logs"][0]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["seq"].as_i64().unwrap())
            .collect();
        assert_eq!(page_seqs, vec![11, 12, 13, 14, 15]);
        assert_eq!(page["remaining"], 36);
        assert_eq!(page["logs"][0]["head"], 51);
        // A cursor the log does not hold (beyond the head, or another tip at
        // a seq: the server was restored from an older backup) is answered
        // with a reset and the log from its start.
        for cursor in [
            json!({"log_id": case, "after": 60, "tip": full.tip(case)}),
            json!({"log_id": case, "after": 51, "tip": at_10.tip(case)}),
            json!({"log_id": case, "after": 10, "tip": full.tip(case)}),
        ] {
            let (_, behind) = post(
                &format!("{url}/v1/pull"),
                Some(&token),
                &json!({"cursors": [cursor], "limit": 3}),
            );
            assert_eq!(behind["logs"][0]["reset"], true, "{cursor}");
            assert_eq!(behind["logs"][0]["head"], 51);
            assert_eq!(behind["logs"][0]["changes"][0]["seq"], 1);
        }
        // Up to date: nothing to say.
        let (_, idle) = post(
            &format!("{url}/v1/pull"),
            Some(&token),
            &json!({"cursors": full.json()}),
        );
        assert_eq!(idle["logs"], json!([]));
        assert_eq!(idle["remaining"], 0);
        // Bodies come back byte for byte.
        let (_, all_pages) = post(
            &format!("{url}/v1/pull"),
            Some(&token),
            &json!({"cursors": []}),
        );
        assert_eq!(all_pages["logs"][0]["changes"][50]["body"], mixed_body());
    }
}

fn mixed_body() -> Value {
    use base64::Engine;
    Value::String(base64::engine::general_purpose::STANDARD.encode(b"new"))
}

#[test]
fn bad_requests_get_a_named_4xx_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", &NORTH[..2]);
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let (_, token) = login(url, "amira");
        let (_, bea) = login(url, "bea");
        let mine = Uuid::new_v4();
        let beas = Uuid::new_v4();
        assert_eq!(push(url, &token, vec![envelope(mine, b"1")]).0, 200);
        assert_eq!(push(url, &bea, vec![envelope(beas, b"1")]).0, 200);
        let head = || heads(url, &token)[&mine];
        let push_url = format!("{url}/v1/push");

        let cases: Vec<(Vec<u8>, u16, &str, &str)> = vec![
            (b"{not json".to_vec(), 400, "malformed_request", ""),
            (b"{}".to_vec(), 422, "malformed_request", "changes"),
            (serde_json::to_vec(&json!({"changes": [{"change_id": "x", "log_id": mine, "clock_ms": 1, "body": "AA=="}]})).unwrap(), 422, "malformed_request", "change_id"),
            (serde_json::to_vec(&json!({"changes": [{"change_id": Uuid::new_v4(), "log_id": mine, "clock_ms": 1, "body": "!!"}]})).unwrap(), 422, "malformed_request", "base64"),
            (serde_json::to_vec(&json!({"changes": [envelope(mine, b"ok"), envelope(mine, &vec![7u8; 300 * 1024])]})).unwrap(), 422, "invalid", "changes[1]"),
            (serde_json::to_vec(&json!({"changes": [envelope(mine, b"ok"), {"change_id": Uuid::new_v4(), "log_id": mine, "clock_ms": now_ms() + 86_400_000, "body": "AA=="}]})).unwrap(), 422, "clock_ahead", "changes[1]"),
            (serde_json::to_vec(&json!({"changes": (0..5001).map(|_| envelope(mine, b"x")).collect::<Vec<_>>()})).unwrap(), 422, "invalid", "at most 5000"),
            // One forbidden log refuses the whole push.
            (serde_json::to_vec(&json!({"changes": [envelope(mine, b"ok"), envelope(beas, b"not yours")]})).unwrap(), 403, "no_access", &*Box::leak(beas.to_string().into_boxed_str())),
            (vec![b'x'; 49 * 1024 * 1024], 413, "too_large", ""),
        ];
        for (body, status, code, names) in cases {
            let (s, b) = post_raw(&push_url, Some(&token), body);
            assert_eq!(s, status, "{b}");
            assert_eq!(b["error"], code, "{b}");
            assert!(
                b["message"].as_str().unwrap().contains(names),
                "{b} should name {names}"
            );
            assert_eq!(head(), 1, "nothing written by a refused push ({code})");
        }
        // The same change id twice in one push.
        let e = envelope(mine, b"twice");
        let (s, b) = push(url, &token, vec![e.clone(), e]);
        assert_eq!((s, b["error"].as_str()), (422, Some("invalid")), "{b}");
        // Tokens: none, not bearer, forged.
        let (s, b) = post(&push_url, None, &json!({"changes": []}));
        assert_eq!((s, b["error"].as_str()), (401, Some("missing_token")));
        let (s, b) = post(&push_url, Some("wmd_forged"), &json!({"changes": []}));
        assert_eq!((s, b["error"].as_str()), (401, Some("invalid_token")));
        // Pull: bad limit and cursor.
        let (s, b) = post(
            &format!("{url}/v1/pull"),
            Some(&token),
            &json!({"cursors": [], "limit": 0}),
        );
        assert_eq!((s, b["error"].as_str()), (422, Some("invalid")), "{b}");
        let (s, b) = post(
            &format!("{url}/v1/pull"),
            Some(&token),
            &json!({"cursors": [{"log_id": mine, "after": -1, "tip": waymark_protocol::GENESIS_TIP}]}),
        );
        assert!(
            b["message"].as_str().unwrap().contains("cursors[0].after"),
            "{s} {b}"
        );
        // Login: bad key length, unknown route.
        let mut req = login_request(url, "amira", "amira passphrase", Uuid::new_v4());
        req["auth_key"] = json!("AAAA");
        let (s, b) = post(&format!("{url}/v1/login"), None, &req);
        assert!(
            s == 422 && b["message"].as_str().unwrap().contains("auth_key"),
            "{b}"
        );
        let (s, b) = post(&format!("{url}/v1/nothing"), None, &json!({}));
        assert_eq!((s, b["error"].as_str()), (404, Some("not_found")));
        assert_eq!(head(), 1);
    }
}

/// PostgreSQL cannot store a NUL in text: before, a label or a name with one
/// got 503 there and was stored on SQLite. Now both refuse it with 422
/// naming the field, and a new SQLite store file is its owner's only.
#[test]
fn a_nul_in_text_is_refused_by_name_and_the_store_file_is_private() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", &NORTH[..1]);
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let mut req = login_request(url, "amira", "amira passphrase", Uuid::new_v4());
        req["device_label"] = json!("van\u{0}2");
        let (s, b) = post(&format!("{url}/v1/login"), None, &req);
        assert_eq!((s, b["error"].as_str()), (422, Some("invalid")), "{b}");
        assert!(
            b["message"].as_str().unwrap().starts_with("device_label:"),
            "{b}"
        );
        // The same login without the NUL goes through: nothing was held.
        req["device_label"] = json!("van 2");
        assert_eq!(post(&format!("{url}/v1/login"), None, &req).0, 200);
        if !is_postgres(&db) {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&db).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{db}");
        }
    }
}

#[test]
fn failed_logins_are_limited_and_never_say_who_exists() {
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    org_with(&db, "North", &NORTH[..2]);
    let server = Server::start(&db, dir.path());
    let url = format!("{}/v1/login", server.url);
    let (s, unknown) = post(
        &url,
        None,
        &login_request(&server.url, "nobody", "whatever passphrase", Uuid::new_v4()),
    );
    let (s2, wrong) = post(
        &url,
        None,
        &login_request(&server.url, "amira", "wrong passphrase", Uuid::new_v4()),
    );
    assert_eq!((s, s2), (401, 401));
    assert_eq!(
        unknown, wrong,
        "an unknown user and a wrong passphrase look the same"
    );
    for _ in 0..4 {
        assert_eq!(
            post(
                &url,
                None,
                &login_request(&server.url, "amira", "wrong passphrase", Uuid::new_v4())
            )
            .0,
            401
        );
    }
    // Five failures: even the right passphrase now waits.
    let (s, b) = post(
        &url,
        None,
        &login_request(&server.url, "amira", "amira passphrase", Uuid::new_v4()),
    );
    assert_eq!(
        (s, b["error"].as_str()),
        (429, Some("too_many_attempts")),
        "{b}"
    );
    // Another user from the same address is not blocked yet.
    assert_eq!(
        post(
            &url,
            None,
            &login_request(&server.url, "bea", "bea passphrase", Uuid::new_v4())
        )
        .0,
        200
    );
    // Bea forgot hers: a new enrolment code lets her choose another; the
    // old one then fails, the new one works.
    let code = admin(&db, &["--json", "new-code", "--user", "bea"]);
    let code: Value = serde_json::from_str(&code).unwrap();
    let (status, body) = join(
        &server.url,
        "bea",
        code["enrolment_code"].as_str().unwrap(),
        "bea's new passphrase",
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        post(
            &url,
            None,
            &login_request(&server.url, "bea", "bea passphrase", Uuid::new_v4())
        )
        .0,
        401
    );
    assert_eq!(
        post(
            &url,
            None,
            &login_request(&server.url, "bea", "bea's new passphrase", Uuid::new_v4())
        )
        .0,
        200
    );
    // Admin commands name what is wrong, and write nothing.
    let out = admin_output(
        &db,
        &[
            "add-user",
            "--org",
            "North",
            "--name",
            "x",
            "--role",
            "worker",
            "--team",
            "outreach",
            "--code-days",
            "31",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--code-days: from 1 to 30"));
    let out = admin_output(
        &db,
        &[
            "add-user", "--org", "Nowhere", "--name", "x", "--role", "worker", "--team", "t",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no organisation named \"Nowhere\""));
    let out = admin_output(
        &db,
        &[
            "add-user", "--org", "North", "--name", "amira", "--role", "worker", "--team",
            "outreach",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let users = admin(&db, &["list-users", "--org", "North"]);
    assert!(!users.contains("\tx\t"), "{users}");
}

#[test]
fn health_metrics_openapi_and_quiet_logs() {
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    org_with(&db, "North", &NORTH[..1]);
    let server = Server::start(&db, dir.path());
    let url = &server.url;
    let (_, token) = login(url, "amira");
    let secret_body = b"REFUGE ADDRESS 12 Canary Street";
    assert_eq!(
        push(url, &token, vec![envelope(Uuid::new_v4(), secret_body)]).0,
        200
    );
    let health: Value = http()
        .get(format!("{url}/healthz"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(health["status"], "ok");
    let metrics = http()
        .get(format!("{url}/metrics"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(
        metrics.contains("waymark_changes_pushed_total 1"),
        "{metrics}"
    );
    assert!(metrics.contains("route=\"/v1/push\",status=\"200\""));
    let doc: Value = http()
        .get(format!("{url}/openapi.json"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    for path in ["/v1/login", "/v1/push", "/v1/pull", "/healthz"] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from OpenAPI"
        );
    }
    assert!(doc["components"]["schemas"]["Envelope"].is_object());
    let logs = server.logs();
    assert!(logs.contains("\"route\":\"/v1/push\""), "{logs}");
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(secret_body);
    for secret in ["Canary", b64.as_str(), token.as_str(), "amira passphrase"] {
        assert!(!logs.contains(secret), "server log contains a secret");
    }
    // The store holds the body only as the opaque bytes pushed, and no token.
    if !is_postgres(&db) {
        let raw = std::fs::read(&db).unwrap();
        let wal = std::fs::read(format!("{db}-wal")).unwrap_or_default();
        let hay = [raw, wal].concat();
        let find = |needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
        assert!(!find(token.as_bytes()), "the token is stored only hashed");
        assert!(!find(b"amira passphrase"));
    }
}

#[test]
fn plain_http_is_refused_off_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db").display().to_string();
    let out = std::process::Command::new(server_bin())
        .args(["--db", &db, "serve", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tls-cert"));
}

#[test]
fn blobs_upload_in_resumable_chunks_and_only_members_read_them() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", &NORTH[..4]);
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let (_, amira) = login(url, "amira");
        let (_, cai) = login(url, "cai");
        let (_, sam) = login(url, "sam");
        let case = Uuid::new_v4();
        assert_eq!(push(url, &amira, vec![envelope(case, b"opened")]).0, 200);
        let blob = Uuid::new_v4();
        let data: Vec<u8> = (0..(2 * 1024 * 1024 + 77))
            .map(|i| (i % 251) as u8)
            .collect();
        let size = data.len();
        let put = |token: &str, offset: usize, chunk: &[u8]| {
            let resp = http()
                .put(format!(
                    "{url}/v1/blobs/{case}/{blob}?offset={offset}&size={size}"
                ))
                .bearer_auth(token)
                .body(chunk.to_vec())
                .send()
                .unwrap();
            let status = resp.status().as_u16();
            (status, resp.json::<Value>().unwrap())
        };
        let get = |token: &str, path: &str| {
            http()
                .get(format!("{url}/v1/blobs/{case}/{blob}{path}"))
                .bearer_auth(token)
                .send()
                .unwrap()
        };
        let mib = 1024 * 1024;
        assert_eq!(put(&amira, 0, &data[..mib]).1["received"], mib);
        // Not whole yet: not served.
        assert_eq!(get(&amira, "?offset=0").status().as_u16(), 409);
        // A chunk at the wrong offset (a retry of an answered chunk) is refused,
        // naming where to resume; the status says the same.
        let (s, b) = put(&amira, 0, &data[..mib]);
        assert_eq!(s, 409);
        assert!(
            b["message"]
                .as_str()
                .unwrap()
                .contains(&format!("resume at {mib}")),
            "{b}"
        );
        assert_eq!(
            get(&amira, "/status").json::<Value>().unwrap()["received"],
            mib
        );
        // Too big a chunk, a size over the limit, a foreign case.
        assert_eq!(put(&amira, mib, &vec![0; mib + 1]).0, 422);
        let resp = http()
            .put(format!(
                "{url}/v1/blobs/{case}/{blob}?offset=0&size=999999999"
            ))
            .bearer_auth(&amira)
            .body(vec![1])
            .send()
            .unwrap();
        assert_eq!(resp.status().as_u16(), 422);
        assert_eq!(put(&cai, mib, &data[mib..2 * mib]).0, 403);
        assert_eq!(put(&amira, mib, &data[mib..2 * mib]).1["received"], 2 * mib);
        assert_eq!(put(&amira, 2 * mib, &data[2 * mib..]).1["received"], size);
        // Read back chunk by chunk, by a member (the supervisor), not by others.
        let mut back = Vec::new();
        while back.len() < size {
            let resp = get(&sam, &format!("?offset={}", back.len()));
            assert_eq!(resp.status().as_u16(), 200);
            assert_eq!(
                resp.headers()["x-waymark-blob-size"],
                size.to_string().as_str()
            );
            back.extend(resp.bytes().unwrap());
        }
        assert_eq!(back, data);
        let refused = get(&cai, "?offset=0");
        assert_eq!(refused.status().as_u16(), 403);
        assert_eq!(refused.json::<Value>().unwrap()["error"], "no_access");
        let missing = http()
            .get(format!("{url}/v1/blobs/{case}/{}/status", Uuid::new_v4()))
            .bearer_auth(&amira)
            .send()
            .unwrap();
        assert_eq!(missing.status().as_u16(), 404);
        let bad = http()
            .get(format!("{url}/v1/blobs/not-a-uuid/{blob}?offset=0"))
            .bearer_auth(&amira)
            .send()
            .unwrap();
        assert_eq!(bad.status().as_u16(), 400);
        assert_eq!(bad.json::<Value>().unwrap()["error"], "malformed_request");
    }
}

#[test]
fn a_logs_horizon_is_the_least_any_member_device_has_read() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", &NORTH[..4]);
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let (_, amira) = login(url, "amira");
        let (sam_laptop, sam) = login(url, "sam");
        let (_, cai) = login(url, "cai");
        let (_, bea) = login(url, "bea");
        let case = Uuid::new_v4();
        let changes: Vec<Value> = (0..5)
            .map(|i| envelope(case, format!("{i}").as_bytes()))
            .collect();
        assert_eq!(push(url, &amira, changes).0, 200);
        let horizon = |token: &str| {
            let (s, b) = post(
                &format!("{url}/v1/horizons"),
                Some(token),
                &json!({"log_ids": [case]}),
            );
            assert_eq!(s, 200, "{b}");
            b["horizons"]
                .as_array()
                .unwrap()
                .first()
                .map(|h| h["horizon"].as_i64().unwrap())
        };
        // Nobody has pulled: the pusher's own position is not known yet.
        assert_eq!(horizon(&amira), Some(0));
        let mut amira_at = Cursors::default();
        pull_all_with(url, &amira, &mut amira_at);
        // A pull records the cursors it was sent: Amira's next pull says 5.
        pull_all_with(url, &amira, &mut amira_at);
        let mut sam_at = Cursors::default();
        let (_, page) = post(
            &format!("{url}/v1/pull"),
            Some(&sam),
            &json!({"cursors": [], "limit": 3}),
        );
        for c in page["logs"][0]["changes"].as_array().unwrap() {
            sam_at.advance(case, c);
        }
        post(
            &format!("{url}/v1/pull"),
            Some(&sam),
            &json!({"cursors": sam_at.json(), "limit": 1}),
        );
        // Bea and Cai are not members: their devices do not hold it back,
        // and they are not told.
        pull_all(url, &bea);
        assert_eq!(horizon(&amira), Some(3), "the supervisor has read 3");
        assert_eq!(horizon(&cai), None);
        // Cursors sent ahead (where a device will be once it has applied
        // the page it holds) are answered from, never recorded as read.
        let (s, b) = post(
            &format!("{url}/v1/pull"),
            Some(&sam),
            &json!({"cursors": amira_at.json(), "ahead": true}),
        );
        assert_eq!(s, 200, "{b}");
        assert_eq!(horizon(&amira), Some(3), "a pull ahead records nothing");
        // A member's new device that has read nothing holds it at 0, until
        // it is revoked; revoking the slow laptop too frees the horizon.
        let (new_laptop, _) = login(url, "sam");
        assert_eq!(horizon(&amira), Some(0));
        admin(&db, &["revoke-device", "--device", &new_laptop.to_string()]);
        assert_eq!(horizon(&amira), Some(3));
        admin(&db, &["revoke-device", "--device", &sam_laptop.to_string()]);
        assert_eq!(horizon(&amira), Some(5));
    }
}

#[test]
fn https_with_a_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    let (ca, cert, key) = test_certificates(dir.path());
    let server = Server::start_tls(&db, dir.path(), &cert, &key);
    assert!(
        server.url.starts_with("https://127.0.0.1:"),
        "{}",
        server.url
    );
    let trusting = reqwest::blocking::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&std::fs::read(&ca).unwrap()).unwrap())
        .build()
        .unwrap();
    let health: Value = trusting
        .get(format!("{}/healthz", server.url))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(health["status"], "ok");
    // Plain HTTP to the same port gets nothing, and a client that does not
    // trust the certificate refuses it.
    let plain = server.url.replace("https://", "http://");
    assert!(http().get(format!("{plain}/healthz")).send().is_err());
    assert!(http()
        .get(format!("{}/healthz", server.url))
        .send()
        .is_err());
    // A bad certificate path is named.
    let out = std::process::Command::new(server_bin())
        .args([
            "--db",
            &db,
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            "/nonexistent.pem",
            "--tls-key",
        ])
        .arg(&key)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent.pem"));
}

/// A person's public key is registered per device at login, once: a
/// malformed key is refused by name, and another key for the same device
/// and person is refused without changing the one registered.
#[test]
fn public_keys_are_registered_once_per_device_and_person() {
    use base64::Engine;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", &NORTH[..1]);
        let server = Server::start(&db, dir.path());
        let url = format!("{}/v1/login", server.url);
        let device = Uuid::new_v4();
        let with_key = |key: &[u8]| {
            let mut r = login_request(&server.url, "amira", "amira passphrase", device);
            r["public_key"] = json!(b64(key));
            r
        };
        let (status, body) = post(&url, None, &with_key(&[7u8; 31]));
        assert_eq!(status, 422, "{body}");
        assert!(
            body["message"].as_str().unwrap().starts_with("public_key:"),
            "{body}"
        );
        let listed = admin(&db, &["list-devices", "--user", "amira"]);
        assert!(listed.trim().is_empty(), "nothing written: {listed}");

        let key = [9u8; 32];
        let (status, body) = post(&url, None, &with_key(&key));
        assert_eq!(status, 200, "{body}");
        let fingerprint = {
            use sha2::Digest;
            hex::encode(&sha2::Sha256::digest(key)[..8])
        };
        let listed = admin(&db, &["list-devices", "--user", "amira"]);
        assert!(listed.contains(&fingerprint), "{listed}");
        // Logging in again with the same key is fine; with another, refused.
        assert_eq!(post(&url, None, &with_key(&key)).0, 200);
        let (status, body) = post(&url, None, &with_key(&[5u8; 32]));
        assert_eq!(status, 409, "{body}");
        assert!(
            body["message"].as_str().unwrap().contains("another key"),
            "{body}"
        );
        let listed = admin(&db, &["list-devices", "--user", "amira"]);
        assert!(
            listed.contains(&fingerprint),
            "the first key stays: {listed}"
        );
    }
}

/// A person's identity key comes with its signature over their X25519 key,
/// registered once per device like the key: shapes are refused by name
/// (writing nothing), another identity for the same device and person is
/// refused, and an admin's device list carries all three so the admin's own
/// device can check them.
#[test]
fn identities_are_registered_once_with_their_signature_and_listed_to_admins() {
    use base64::Engine;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", &[NORTH[0], NORTH[5]]);
        let server = Server::start(&db, dir.path());
        let url = format!("{}/v1/login", server.url);
        let device = Uuid::new_v4();
        let with = |identity: Option<&[u8]>, signature: Option<&[u8]>| {
            let mut r = login_request(&server.url, "amira", "amira passphrase", device);
            r["public_key"] = json!(b64(&[9u8; 32]));
            if let Some(i) = identity {
                r["identity_key"] = json!(b64(i));
            }
            if let Some(s) = signature {
                r["key_signature"] = json!(b64(s));
            }
            r
        };
        for (identity, signature, field) in [
            (Some(&[1u8; 31][..]), Some(&[2u8; 64][..]), "identity_key:"),
            (Some(&[1u8; 32][..]), Some(&[2u8; 63][..]), "key_signature:"),
            (Some(&[1u8; 32][..]), None, "identity_key:"),
            (None, Some(&[2u8; 64][..]), "identity_key:"),
        ] {
            let (status, body) = post(&url, None, &with(identity, signature));
            assert_eq!(status, 422, "{body}");
            let message = body["message"].as_str().unwrap();
            assert!(message.starts_with(field), "{body}");
        }
        let listed = admin(&db, &["list-devices", "--user", "amira"]);
        assert!(listed.trim().is_empty(), "nothing written: {listed}");

        let (identity, signature) = ([1u8; 32], [2u8; 64]);
        let (status, body) = post(&url, None, &with(Some(&identity), Some(&signature)));
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            post(&url, None, &with(Some(&identity), Some(&signature))).0,
            200
        );
        let (status, body) = post(&url, None, &with(Some(&[3u8; 32]), Some(&[4u8; 64])));
        assert_eq!(status, 409, "{body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .starts_with("identity_key:"),
            "{body}"
        );
        let (_, ann) = login(&server.url, "ann");
        let (status, body) = post(
            &format!("{}/v1/devices", server.url),
            Some(&ann),
            &json!({}),
        );
        assert_eq!(status, 200, "{body}");
        let amira = body["devices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["user"] == "amira")
            .cloned()
            .unwrap();
        assert_eq!(
            amira["identity_key"],
            json!(b64(&identity)),
            "the first stays"
        );
        assert_eq!(amira["key_signature"], json!(b64(&signature)));
        assert_eq!(amira["public_key"], json!(b64(&[9u8; 32])));
    }
}

/// Case keys travel sealed: a case's first key (epoch 1) is sealed to the
/// devices of its members only, each recipient gets back what was sealed to
/// its own key, and the server refuses keys to non-members, for other
/// epochs, from callers without access, and of the wrong shape, writing
/// nothing. A member added later (a share) shows up as needing the key.
#[test]
fn sealed_case_keys_reach_member_devices_only() {
    use base64::Engine;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", NORTH);
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let key_of = |who: &str| -> [u8; 32] {
            let mut k = [0u8; 32];
            k[..who.len()].copy_from_slice(who.as_bytes());
            k
        };
        let mut devices = BTreeMap::new();
        let tokens: BTreeMap<&str, String> = ["amira", "bea", "sam", "cai"]
            .into_iter()
            .map(|who| {
                let device = Uuid::new_v4();
                let mut r = login_request(url, who, &format!("{who} passphrase"), device);
                r["public_key"] = json!(b64(&key_of(who)));
                let (status, body) = post(&format!("{url}/v1/login"), None, &r);
                assert_eq!(status, 200, "{body}");
                devices.insert(who, device);
                (who, body["token"].as_str().unwrap().to_owned())
            })
            .collect();
        let case = Uuid::new_v4();
        assert_eq!(
            push(url, &tokens["amira"], vec![envelope(case, b"x")]).0,
            200
        );

        let needed = |who: &str| -> Vec<(Uuid, u64, Vec<u8>)> {
            let (status, body) = post(
                &format!("{url}/v1/keys/needed"),
                Some(&tokens[who]),
                &json!({}),
            );
            assert_eq!(status, 200, "{body}");
            body["needed"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| {
                    let key = base64::engine::general_purpose::STANDARD
                        .decode(n["recipient_key"].as_str().unwrap())
                        .unwrap();
                    (
                        n["log_id"].as_str().unwrap().parse().unwrap(),
                        n["epoch"].as_u64().unwrap(),
                        key,
                    )
                })
                .collect()
        };
        let recipients = |rows: &[(Uuid, u64, Vec<u8>)]| -> Vec<Vec<u8>> {
            let mut v: Vec<Vec<u8>> = rows.iter().map(|r| r.2.clone()).collect();
            v.sort();
            v
        };
        let first = needed("amira");
        assert!(
            first.iter().all(|r| r.0 == case && r.1 == 0),
            "no key yet: epoch 0"
        );
        assert_eq!(
            recipients(&first),
            vec![key_of("amira").to_vec(), key_of("sam").to_vec()],
            "the keyworker and her team's supervisor; not bea or cai"
        );
        assert!(needed("cai").is_empty(), "cai cannot read the case");

        let sealed_for = |who: &str, epoch: u32| json!({"log_id": case, "epoch": epoch, "recipient_key": b64(&key_of(who)), "sealed": b64(&[epoch as u8; 89])});
        let store = |token: &str, keys: Vec<Value>| {
            post(
                &format!("{url}/v1/keys"),
                Some(token),
                &json!({ "keys": keys }),
            )
        };
        // Refused whole, nothing written: one recipient is not a member.
        let (status, body) = store(
            &tokens["amira"],
            vec![sealed_for("sam", 1), sealed_for("cai", 1)],
        );
        assert_eq!(status, 422, "{body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .starts_with("recipient_key:"),
            "{body}"
        );
        assert_eq!(recipients(&needed("amira")).len(), 2, "nothing written");
        let (status, body) = store(&tokens["amira"], vec![sealed_for("sam", 2)]);
        assert_eq!(status, 422, "a first key is epoch 1: {body}");
        let (status, body) = store(&tokens["cai"], vec![sealed_for("cai", 1)]);
        assert_eq!(status, 403, "{body}");
        let mut short = sealed_for("sam", 1);
        short["recipient_key"] = json!(b64(&[1u8; 31]));
        let (status, body) = store(&tokens["amira"], vec![short]);
        assert_eq!(status, 422, "{body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .starts_with("recipient_key:"),
            "{body}"
        );

        let (status, body) = store(
            &tokens["amira"],
            vec![sealed_for("amira", 1), sealed_for("sam", 1)],
        );
        assert_eq!((status, body["stored"].as_u64()), (200, Some(2)), "{body}");
        assert!(needed("amira").is_empty());
        assert!(needed("sam").is_empty());
        let (status, body) = store(&tokens["sam"], vec![sealed_for("sam", 1)]);
        assert_eq!(
            (status, body["stored"].as_u64()),
            (200, Some(0)),
            "kept once: {body}"
        );
        let (status, body) = store(&tokens["amira"], vec![sealed_for("sam", 2)]);
        assert_eq!(status, 409, "the case is at epoch 1: {body}");

        let mine = |who: &str| -> Vec<Value> {
            let (status, body) = post(
                &format!("{url}/v1/keys/mine"),
                Some(&tokens[who]),
                &json!({"after": 0}),
            );
            assert_eq!(status, 200, "{body}");
            body["keys"].as_array().unwrap().clone()
        };
        let sam = mine("sam");
        assert_eq!(sam.len(), 1);
        assert_eq!(sam[0]["log_id"], json!(case));
        assert_eq!(sam[0]["epoch"], 1);
        assert_eq!(
            sam[0]["sealed"],
            json!(b64(&[1u8; 89])),
            "relayed as sealed"
        );
        assert_eq!(mine("amira").len(), 1);
        assert!(mine("cai").is_empty());
        assert!(mine("bea").is_empty());

        // Sharing the case makes bea a member: her device now needs the key.
        admin(
            &db,
            &["share-case", "--case", &case.to_string(), "--user", "bea"],
        );
        let after_share = needed("amira");
        assert_eq!(recipients(&after_share), vec![key_of("bea").to_vec()]);
        assert_eq!(after_share[0].1, 1, "at the case's current epoch");
        // A revoked device needs nothing more.
        admin(
            &db,
            &["revoke-device", "--device", &devices["bea"].to_string()],
        );
        assert!(needed("amira").is_empty());
    }
}

/// An admin sees and revokes their own organisation's devices only; nobody
/// else may do either, and a refused revoke leaves the device working.
#[test]
fn an_admin_lists_and_revokes_only_their_organisations_devices() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", &[NORTH[0], NORTH[5]]);
        org_with(
            &db,
            "South",
            &[("sol", "admin", None), ("tova", "worker", Some("harbour"))],
        );
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let (amira_device, amira) = login(url, "amira");
        let (ann_device, ann) = login(url, "ann");
        let (tova_device, tova) = login(url, "tova");
        let works = |token: &str| {
            post(
                &format!("{url}/v1/pull"),
                Some(token),
                &json!({"cursors": []}),
            )
            .0
        };
        let devices = format!("{url}/v1/devices");
        let revoke = |device: Uuid| format!("{url}/v1/devices/{device}/revoke");

        let (status, body) = post(&devices, Some(&amira), &json!({}));
        assert_eq!(
            (status, body["error"].as_str()),
            (403, Some("no_access")),
            "{body}"
        );
        let (status, body) = post(&revoke(ann_device), Some(&amira), &json!({}));
        assert_eq!(
            (status, body["error"].as_str()),
            (403, Some("no_access")),
            "{body}"
        );
        assert_eq!(works(&ann), 200, "a refused revoke changes nothing");

        let (status, body) = post(&devices, Some(&ann), &json!({}));
        assert_eq!(status, 200, "{body}");
        let listed: Vec<Uuid> = body["devices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["device_id"].as_str().unwrap().parse().unwrap())
            .collect();
        assert!(
            listed.contains(&amira_device) && listed.contains(&ann_device),
            "{body}"
        );
        assert!(
            !listed.contains(&tova_device),
            "another organisation's device: {body}"
        );

        let (status, body) = post(&revoke(tova_device), Some(&ann), &json!({}));
        assert_eq!(status, 404, "{body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("in your organisation"),
            "{body}"
        );
        assert_eq!(works(&tova), 200, "South's device still works");

        let (status, body) = post(&revoke(amira_device), Some(&ann), &json!({}));
        assert_eq!(status, 200, "{body}");
        assert_eq!(works(&amira), 401, "the revoked device is refused");
        let (_, body) = post(&devices, Some(&ann), &json!({}));
        let amira_row = body["devices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["device_id"] == json!(amira_device))
            .cloned()
            .unwrap();
        assert_eq!(amira_row["revoked"], true, "{amira_row}");
    }
}

/// The organisation's signing key is registered once, by an admin, with
/// their own certificate; certificates are stored only from admins, for an
/// identity the person's devices registered, signed by the organisation key
/// or a certified admin; every member gets them relayed as stored. (The
/// server checks shapes and provenance; devices verify the signatures.)
#[test]
fn the_organisation_key_and_certificates_come_only_from_admins_and_are_relayed_to_members() {
    use base64::Engine;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", &[NORTH[0], NORTH[5]]);
        org_with(&db, "South", &[("sol", "admin", None)]);
        let server = Server::start(&db, dir.path());
        let url = |path: &str| format!("{}{path}", server.url);
        let enrol = |user: &str, identity: [u8; 32]| {
            let mut r = login_request(
                &server.url,
                user,
                &format!("{user} passphrase"),
                Uuid::new_v4(),
            );
            r["public_key"] = json!(b64(&[identity[0] ^ 0x55; 32]));
            r["identity_key"] = json!(b64(&identity));
            r["key_signature"] = json!(b64(&[2u8; 64]));
            let (status, body) = post(&url("/v1/login"), None, &r);
            assert_eq!(status, 200, "{body}");
            (
                body["token"].as_str().unwrap().to_owned(),
                body["user_id"].clone(),
            )
        };
        let (amira, amira_id) = enrol("amira", [1; 32]);
        let (ann, ann_id) = enrol("ann", [5; 32]);
        let (sol, _) = enrol("sol", [6; 32]);
        let trust = |token: &str| post(&url("/v1/trust"), Some(token), &json!({}));
        assert_eq!(
            trust(&amira),
            (200, json!({"certificates": [], "recovery": null}))
        );
        let cert = |user: &Value, role: &str, identity: &[u8], signer: &[u8], sig: &[u8]| {
            let name = if *user == ann_id { "ann" } else { "amira" };
            let mut c = json!({"user_id": user, "user_name": name, "role": role, "identity_key": b64(identity),
                   "signer_key": b64(signer), "signature": b64(sig)});
            // Amira works in the outreach team: her certificate says so.
            if name == "amira" {
                c["team"] = json!("outreach");
            }
            c
        };
        let org_key = [7u8; 32];
        let own = cert(&ann_id, "admin", &[5; 32], &org_key, &[8; 64]);
        let register = |token: &str, key: &[u8], certificate: &Value| {
            post(
                &url("/v1/org/key"),
                Some(token),
                &json!({"public_key": b64(key), "certificate": certificate}),
            )
        };
        assert_eq!(register(&amira, &org_key, &own).0, 403, "a worker");
        let (status, body) = register(
            &ann,
            &org_key,
            &cert(&amira_id, "worker", &[1; 32], &org_key, &[8; 64]),
        );
        assert_eq!(status, 422, "{body}");
        assert!(body["message"]
            .as_str()
            .unwrap()
            .starts_with("certificate:"));
        assert_eq!(
            trust(&amira).1["certificates"],
            json!([]),
            "nothing written"
        );
        assert_eq!(register(&ann, &org_key, &own).0, 200);
        assert_eq!(register(&ann, &org_key, &own).0, 200, "the same again");
        let other = cert(&ann_id, "admin", &[5; 32], &[9; 32], &[8; 64]);
        let (status, body) = register(&ann, &[9; 32], &other);
        assert_eq!(status, 409, "another key: {body}");

        let certify = |token: &str, c: &Value| post(&url("/v1/certificates"), Some(token), c);
        for (c, field) in [
            (
                cert(&amira_id, "worker", &[3; 32], &org_key, &[8; 64]),
                "certificate.identity_key",
            ),
            (
                cert(&amira_id, "worker", &[1; 32], &[4; 32], &[8; 64]),
                "certificate.signer_key",
            ),
            (
                cert(&amira_id, "admin", &[1; 32], &org_key, &[8; 64]),
                "certificate.role",
            ),
            (
                cert(&amira_id, "worker", &[1; 32], &org_key, &[8; 63]),
                "certificate.signature",
            ),
            (
                {
                    let mut c = cert(&amira_id, "worker", &[1; 32], &org_key, &[8; 64]);
                    c["user_name"] = json!("ann");
                    c
                },
                "certificate.user_name",
            ),
            (
                {
                    let mut c = cert(&amira_id, "worker", &[1; 32], &org_key, &[8; 64]);
                    c["team"] = json!("diversion");
                    c
                },
                "certificate.team: the person is in team \"outreach\", not team \"diversion\"",
            ),
            (
                {
                    let mut c = cert(&amira_id, "worker", &[1; 32], &org_key, &[8; 64]);
                    c.as_object_mut().unwrap().remove("team");
                    c
                },
                "certificate.team: the person is in team \"outreach\", not no team",
            ),
        ] {
            let (status, body) = certify(&ann, &c);
            assert_eq!(status, 422, "{field}: {body}");
            assert!(
                body["message"].as_str().unwrap().starts_with(field),
                "{body}"
            );
        }
        let genuine = cert(&amira_id, "worker", &[1; 32], &org_key, &[8; 64]);
        assert_eq!(
            certify(&amira, &genuine).0,
            403,
            "a worker certifies no one"
        );
        assert_eq!(
            certify(&sol, &genuine).0,
            404,
            "another organisation's admin"
        );
        assert_eq!(certify(&ann, &genuine).0, 200);
        let (status, relayed) = trust(&amira);
        assert_eq!(status, 200);
        assert_eq!(relayed["org_key"], json!(b64(&org_key)));
        assert_eq!(relayed["certificates"], json!([own, genuine]));
        assert_eq!(trust(&sol).1["certificates"], json!([]), "per organisation");
    }
}

#[test]
fn admin_commands_say_what_they_did_in_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db").display().to_string();
    let as_json = |args: &[&str]| -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&admin(&db, &all)).expect("JSON on stdout")
    };
    let org = as_json(&["create-org", "--name", "North"]);
    assert_eq!(org["name"], "North");
    assert!(org["org_id"].as_str().unwrap().parse::<Uuid>().is_ok());
    as_json(&["add-team", "--org", "North", "--name", "outreach"]);
    let user = as_json(&[
        "add-user", "--org", "North", "--name", "amira", "--role", "worker", "--team", "outreach",
    ]);
    assert_eq!(
        (&user["name"], &user["role"]),
        (&json!("amira"), &json!("worker"))
    );
    let code = user["enrolment_code"].as_str().unwrap().to_owned();
    as_json(&[
        "add-user", "--org", "North", "--name", "bea", "--role", "worker", "--team", "outreach",
    ]);
    let users = as_json(&["list-users", "--org", "North"]);
    assert_eq!(users.as_array().unwrap().len(), 2, "{users}");
    assert_eq!(
        as_json(&["disable-user", "--user", "bea"]),
        json!({"user": "bea", "disabled": true})
    );
    let users = as_json(&["list-users", "--org", "North"]);
    let bea = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "bea")
        .unwrap();
    assert_eq!(bea["disabled"], true);

    // Sharing says what it did, in words too (it used to print nothing).
    let server = Server::start(&db, dir.path());
    assert_eq!(join(&server.url, "amira", &code, "amira passphrase").0, 200);
    let (_, token) = login(&server.url, "amira");
    let case = Uuid::new_v4();
    assert_eq!(
        push(&server.url, &token, vec![envelope(case, b"opened")]).0,
        200
    );
    admin(&db, &["enable-user", "--user", "bea"]);
    let shared = admin(
        &db,
        &["share-case", "--case", &case.to_string(), "--user", "bea"],
    );
    assert!(
        shared.contains(&format!("shared case {case} with bea")),
        "{shared}"
    );
    assert_eq!(
        as_json(&["unshare-case", "--case", &case.to_string(), "--user", "bea"]),
        json!({"case_id": case, "user": "bea", "shared": false})
    );
}

fn auth_key_b64(url: &str, user: &str, passphrase: &str) -> String {
    waymark_testkit::server::auth_key(url, user, passphrase, false)
}

/// A passphrase changed on a device replaces the server's login key, proven
/// by the old one: a wrong current key changes nothing (and counts as a
/// failed login), a retry after success is accepted, and someone else's
/// name is refused.
#[test]
fn a_changed_passphrase_replaces_the_login_only_with_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", NORTH);
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let (_, token) = login(url, "amira");
        let change = |current: &str, new: &str, user: &str| {
            post(
                &format!("{url}/v1/credential"),
                Some(&token),
                &json!({
                    "user": user,
                    "current_auth_key": auth_key_b64(url, "amira", current),
                    "new_auth_key": auth_key_b64(url, "amira", new),
                }),
            )
        };
        let (old, new) = ("amira passphrase", "amira's new passphrase");
        let (s, b) = change("a wrong passphrase", new, "amira");
        assert_eq!(
            (s, b["error"].as_str()),
            (401, Some("bad_credentials")),
            "{b}"
        );
        let (s, b) = change(old, new, "bea");
        assert_eq!(s, 422, "{b}");
        assert!(b["message"].as_str().unwrap().starts_with("user:"), "{b}");
        let (s, b) = post(
            &format!("{url}/v1/credential"),
            Some(&token),
            &json!({"user": "amira", "current_auth_key": "AAAA", "new_auth_key": auth_key_b64(url, "amira", new)}),
        );
        assert_eq!(s, 422, "{b}");
        assert!(
            b["message"]
                .as_str()
                .unwrap()
                .starts_with("current_auth_key:"),
            "{b}"
        );
        // Still the old passphrase: nothing changed so far.
        let device = Uuid::new_v4();
        let (s, _) = post(
            &format!("{url}/v1/login"),
            None,
            &login_request(url, "amira", old, device),
        );
        assert_eq!(s, 200);
        let (s, b) = change(old, new, "amira");
        assert_eq!(s, 200, "{b}");
        let (s, b) = change(old, new, "amira");
        assert_eq!(s, 200, "a retry after success is accepted: {b}");
        let (s, _) = post(
            &format!("{url}/v1/login"),
            None,
            &login_request(url, "amira", old, device),
        );
        assert_eq!(s, 401, "the old passphrase logs in no more");
        let (s, b) = post(
            &format!("{url}/v1/login"),
            None,
            &login_request(url, "amira", new, device),
        );
        assert_eq!(s, 200, "{b}");
    }
}

/// A device token unused for longer than the server allows is refused with
/// `token_expired` (the device logs in again); one in use stays valid.
#[test]
fn a_token_unused_for_ninety_days_expires_and_a_login_renews_it() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", NORTH);
        let (idle, used) = {
            let server = Server::start(&db, dir.path());
            (login(&server.url, "amira").1, login(&server.url, "bea").1)
        };
        let pull = |url: &str, token: &str| {
            post(
                &format!("{url}/v1/pull"),
                Some(token),
                &json!({"cursors": []}),
            )
        };
        {
            // 60 days on, Bea's laptop syncs: its idle time starts again.
            let server = Server::start_with_clock(&db, dir.path(), "127.0.0.1:0", Some("+60d"));
            assert_eq!(pull(&server.url, &used).0, 200);
        }
        let server = Server::start_with_clock(&db, dir.path(), "127.0.0.1:0", Some("+91d"));
        let (s, b) = pull(&server.url, &idle);
        assert_eq!(
            (s, b["error"].as_str()),
            (401, Some("token_expired")),
            "{b}"
        );
        assert!(
            b["message"].as_str().unwrap().contains("log in again"),
            "{b}"
        );
        assert_eq!(
            pull(&server.url, &used).0,
            200,
            "used 31 days ago: still valid"
        );
        let (_, renewed) = login(&server.url, "amira");
        assert_eq!(pull(&server.url, &renewed).0, 200);
    }
}

/// Ids are only unique within an organisation, and everything the server
/// does with one stays in its organisation. As tried from outside: another
/// organisation's worker pushing to (and their supervisor erasing) a case
/// id of ours must not stop us erasing our own case; their admin revoking a
/// device id they reused must not lock our laptop out; the admin command
/// must never erase one of two same-id cases at random.
#[test]
fn organisations_are_isolated_in_every_id_space() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", NORTH);
        org_with(
            &db,
            "South",
            &[
                ("zoe", "worker", Some("south team")),
                ("yan", "supervisor", Some("south team")),
                ("xia", "admin", None),
            ],
        );
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let (amira_device, amira) = login(url, "amira");
        let (_, sam) = login(url, "sam");
        let case = Uuid::new_v4();
        assert_eq!(push(url, &amira, vec![envelope(case, b"ours")]).0, 200);

        // South pushes to the same id (its own log) and erases it.
        let (_, zoe) = login(url, "zoe");
        let (_, yan) = login(url, "yan");
        assert_eq!(push(url, &zoe, vec![envelope(case, b"theirs")]).0, 200);
        // A change id North used is South's to use too: no 409 tells South
        // it exists elsewhere.
        let mut north_change = envelope(case, b"ours again");
        let mut south_change = envelope(case, b"theirs again");
        south_change["change_id"] = north_change["change_id"].clone();
        assert_eq!(push(url, &amira, vec![north_change.clone()]).0, 200);
        let (s, b) = push(url, &zoe, vec![south_change]);
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["accepted"][0]["duplicate"], false, "{b}");
        north_change["log_id"] = json!(Uuid::new_v4());
        let (s, b) = push(url, &amira, vec![north_change]);
        assert_eq!(s, 409, "within North the id is still one change's: {b}");
        // Each organisation's admin may confirm an erasure its supervisor asked for.
        for org in ["North", "South"] {
            admin(&db, &["admins-see-cases", "--org", org, "on"]);
        }
        let (_, ann) = login(url, "ann");
        let (_, xia) = login(url, "xia");
        let erase = |token: &str| {
            post(
                &format!("{url}/v1/cases/{case}/erase"),
                Some(token),
                &json!({"reason_sealed": "c2VhbGVk"}),
            )
        };
        assert_eq!(erase(&yan).1["state"], "requested");
        // North cannot confirm (or see) South's request for the same id.
        let (s, b) = erase(&ann);
        assert_eq!((s, b["state"].as_str()), (200, Some("requested")), "{b}");
        assert_eq!(erase(&xia).1["state"], "erased");
        // North's case is still there, still read, and North may erase it.
        assert_eq!(heads(url, &amira).get(&case), Some(&2));
        let (s, b) = erase(&sam);
        assert_eq!(
            (s, b["state"].as_str()),
            (200, Some("erased")),
            "North erases its own case: {b}"
        );

        // South logs in with North's device id; South's admin revokes it.
        let (s, b) = post(
            &format!("{url}/v1/login"),
            None,
            &login_request(url, "zoe", "zoe passphrase", amira_device),
        );
        assert_eq!(s, 200, "{b}");
        let (s, b) = post(
            &format!("{url}/v1/devices/{amira_device}/revoke"),
            Some(&xia),
            &json!({}),
        );
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["revoked_enrolments"], 1, "only South's enrolment: {b}");
        let (s, b) = post(
            &format!("{url}/v1/login"),
            None,
            &login_request(url, "amira", "amira passphrase", amira_device),
        );
        assert_eq!(s, 200, "North's laptop still logs in: {b}");
        let amira = b["token"].as_str().unwrap().to_owned();
        let (s, _) = post(
            &format!("{url}/v1/login"),
            None,
            &login_request(url, "zoe", "zoe passphrase", amira_device),
        );
        assert_eq!(s, 403, "South's revocation holds in South");

        // Two live cases with one id: the admin command names the organisation
        // (and seals its reason to that organisation's recovery key).
        for org in ["North", "South"] {
            set_recovery_key(&db, org, &waymark_crypto::UserSecret::generate().public().0);
        }
        let twin = Uuid::new_v4();
        assert_eq!(push(url, &amira, vec![envelope(twin, b"north")]).0, 200);
        assert_eq!(push(url, &zoe, vec![envelope(twin, b"south")]).0, 200);
        let id = twin.to_string();
        let out = admin_output(&db, &["erase-case", "--case", &id, "--reason", "test"]);
        assert_eq!(out.status.code(), Some(2));
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains("more than one organisation (North, South)"),
            "{said}"
        );
        admin(
            &db,
            &[
                "erase-case",
                "--case",
                &id,
                "--org",
                "South",
                "--reason",
                "test",
            ],
        );
        assert_eq!(
            heads(url, &amira).get(&twin),
            Some(&1),
            "North's twin stays"
        );
        assert!(!heads(url, &zoe).contains_key(&twin), "South's is gone");
    }
}

/// A pull keeps read positions only for logs the caller may read (tried
/// from outside: one pull of random cursors wrote 440,000 rows), and sends
/// back a named refusal for more cursors than one per case could need.
#[test]
fn a_pull_records_positions_only_for_readable_logs_and_caps_its_cursors() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", NORTH);
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let (device, amira) = login(url, "amira");
        let (_, cai) = login(url, "cai");
        let (own, other) = (Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(push(url, &amira, vec![envelope(own, b"mine")]).0, 200);
        assert_eq!(push(url, &cai, vec![envelope(other, b"not hers")]).0, 200);
        let cursor = |log: Uuid| json!({"log_id": log, "after": 1, "tip": "0123456789abcdef0123456789abcdef"});
        let mut cursors = vec![cursor(own), cursor(other)];
        cursors.extend((0..2_000).map(|_| cursor(Uuid::new_v4())));
        let (s, b) = post(
            &format!("{url}/v1/pull"),
            Some(&amira),
            &json!({"cursors": cursors}),
        );
        assert_eq!(s, 200, "{b}");
        let positions = server_value(
            &db,
            "SELECT count(*) FROM device_positions WHERE device_id = $1",
            &device.to_string(),
        );
        assert_eq!(positions, 1, "only her own case's position is kept");

        let too_many: Vec<Value> = (0..=waymark_protocol::MAX_PULL_CURSORS)
            .map(|_| cursor(Uuid::nil()))
            .collect();
        let (s, b) = post(
            &format!("{url}/v1/pull"),
            Some(&amira),
            &json!({"cursors": too_many}),
        );
        assert_eq!(s, 422, "{b}");
        assert!(
            b["message"]
                .as_str()
                .unwrap()
                .starts_with("cursors: at most 100000"),
            "{b}"
        );
    }
}

/// A person is never locked out by someone else's guesses. Five wrong
/// passphrases from one address (an IPv6 /64 counts as one) make that
/// address wait; each further wrong guess, from anywhere, is answered
/// slowly; the right passphrase from elsewhere logs in; administrators see
/// the count until then. X-Forwarded-For counts only from a trusted proxy.
#[test]
fn guesses_slow_and_stop_the_guesser_never_the_person() {
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    org_with(&db, "North", &NORTH[..2]);
    let attempt = |url: &str, from: &str, pass: &str| {
        let started = std::time::Instant::now();
        let resp = http()
            .post(format!("{url}/v1/login"))
            .header("x-forwarded-for", from)
            .json(&login_request(url, "amira", pass, Uuid::new_v4()))
            .send()
            .unwrap();
        (resp.status().as_u16(), started.elapsed())
    };
    {
        let server = Server::start_with_options(&db, dir.path(), &["--trusted-proxy", "127.0.0.1"]);
        let url = &server.url;
        for i in 0..5 {
            let guesser = format!("2001:db8:1:2::{i}");
            assert_eq!(attempt(url, &guesser, "a guessed passphrase").0, 401);
        }
        assert_eq!(
            attempt(url, "2001:db8:1:2::99", "amira passphrase").0,
            429,
            "the guesser's /64 waits, whatever it sends"
        );
        let (s, took) = attempt(url, "203.0.113.5", "another guessed passphrase");
        assert_eq!(s, 401);
        assert!(
            took >= std::time::Duration::from_secs(1),
            "the sixth guess is slowed: {took:?}"
        );
        let listed = admin(&db, &["list-users", "--org", "North"]);
        assert!(
            listed.contains("6 wrong passphrases since their last login"),
            "{listed}"
        );
        assert_eq!(
            attempt(url, "198.51.100.9", "amira passphrase").0,
            200,
            "the person logs in"
        );
        let listed = admin(&db, &["list-users", "--org", "North"]);
        assert!(!listed.contains("wrong passphrases"), "{listed}");
    }
    // No trusted proxy: the header is the client's word, and ignored.
    let server = Server::start(&db, dir.path());
    for i in 0..5 {
        assert_eq!(
            attempt(&server.url, &format!("192.0.2.{i}"), "a guessed passphrase").0,
            401
        );
    }
    assert_eq!(
        attempt(&server.url, "198.51.100.9", "amira passphrase").0,
        429
    );
}

/// A client that sends its body slowly (or never finishes) is answered 408
/// `timed_out` once the request takes longer than the server waits (here
/// 1 s), and let go; others are served meanwhile.
#[test]
fn a_slow_client_is_answered_and_let_go() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    org_with(&db, "North", &NORTH[..1]);
    let server = Server::start_with_options(&db, dir.path(), &["--request-timeout-seconds", "1"]);
    let address = server.url.trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    stream
        .write_all(
            format!(
                "POST /v1/login HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{{"
            )
            .as_bytes(),
        )
        .unwrap();
    // A byte every 300 ms, never the whole body.
    let mut writer = stream.try_clone().unwrap();
    std::thread::spawn(move || {
        for _ in 0..20 {
            std::thread::sleep(std::time::Duration::from_millis(300));
            if writer.write_all(b" ").is_err() {
                break;
            }
        }
    });
    let started = std::time::Instant::now();
    // Meanwhile another person logs in.
    login(&server.url, "amira");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
        if answer.windows(9).any(|w| w == b"timed_out") {
            break;
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("timed_out"), "{answer}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

/// A client that never finishes its headers (slowloris) loses the
/// connection after `--header-timeout-seconds`; and `/metrics` can live on
/// an address of its own, gone from the API's.
#[test]
fn slow_headers_are_cut_off_and_metrics_can_live_apart() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    org_with(&db, "North", &NORTH[..1]);
    let server = Server::start_with_options(
        &db,
        dir.path(),
        &[
            "--header-timeout-seconds",
            "1",
            "--metrics-listen",
            "127.0.0.1:0",
        ],
    );
    let address = server.url.trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    stream
        .write_all(format!("POST /v1/login HTTP/1.1\r\nHost: {address}\r\n").as_bytes())
        .unwrap();
    // A header line every 300 ms, never the blank line that ends them.
    let mut writer = stream.try_clone().unwrap();
    std::thread::spawn(move || {
        for i in 0..30 {
            std::thread::sleep(std::time::Duration::from_millis(300));
            if writer
                .write_all(format!("X-Slow-{i}: a\r\n").as_bytes())
                .is_err()
            {
                break;
            }
        }
    });
    let started = std::time::Instant::now();
    login(&server.url, "amira");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(15)))
        .unwrap();
    let mut rest = Vec::new();
    let closed = stream.read_to_end(&mut rest);
    assert!(closed.is_ok(), "the connection was held: {closed:?}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    let metrics_url = server.metrics_url.clone().expect("a metrics address");
    let metrics = http().get(&metrics_url).send().unwrap();
    assert_eq!(metrics.status(), 200);
    assert!(metrics
        .text()
        .unwrap()
        .contains("waymark_http_requests_total"));
    let gone = http()
        .get(format!("{}/metrics", server.url))
        .send()
        .unwrap();
    assert_eq!(gone.status(), 404);
    assert_eq!(
        http()
            .get(format!("{}/healthz", server.url))
            .send()
            .unwrap()
            .status(),
        200
    );
}

/// An administrator adds a person with a one-time code, never a
/// passphrase: the person chooses theirs with it. A wrong code, a used one
/// and an expired one are refused the same way; none of them sets anything.
#[test]
fn a_person_joins_with_a_one_time_code_and_chooses_their_own_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", &[]);
        admin(&db, &["add-team", "--org", "North", "--name", "outreach"]);
        let code = add_user(&db, "North", "amira", "worker", Some("outreach"));
        assert_eq!(code.len(), 24, "{code}");
        let listed = admin(&db, &["list-users", "--org", "North"]);
        assert!(listed.contains("not joined yet"), "{listed}");
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let pass = "amira's own choice";
        // No passphrase works before she joins.
        let (status, _) = post(
            &format!("{url}/v1/login"),
            None,
            &login_request(url, "amira", "", Uuid::new_v4()),
        );
        assert_eq!(status, 401);
        let wrong = |code: &str| {
            let (status, body) = join(url, "amira", code, pass);
            assert_eq!(
                (status, body["error"].as_str()),
                (401, Some("bad_enrolment_code")),
                "{body}"
            );
        };
        wrong("7K2M-QX9P-AB3D-EF4G-HJ5K");
        wrong("not a code at all");
        // Case, spaces and dashes do not matter.
        let typed = code.replace('-', " ").to_lowercase();
        let (status, body) = join(url, "amira", &typed, pass);
        assert_eq!(status, 200, "{body}");
        // Sent again (a lost answer): the same; with another passphrase: no.
        assert_eq!(join(url, "amira", &code, pass).0, 200);
        // A wrong code is wrong even with her passphrase.
        assert_eq!(join(url, "amira", "7K2M-QX9P-AB3D-EF4G-HJ5K", pass).0, 401);
        let (status, body) = join(url, "amira", &code, "someone else's choice");
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("bad_enrolment_code"))
        );
        // Her laptop's label cannot turn an admin's list around.
        let mut request = login_request(url, "amira", pass, Uuid::new_v4());
        request["device_label"] = json!("van \u{202E}potpal\u{2069} 2");
        let (status, _) = post(&format!("{url}/v1/login"), None, &request);
        assert_eq!(status, 200);
        let listed = admin(&db, &["list-users", "--org", "North"]);
        assert!(!listed.contains("not joined yet"), "{listed}");
        let devices = admin(&db, &["list-devices", "--user", "amira"]);
        assert!(devices.contains("\tvan potpal 2\t"), "{devices}");

        // A code not used in time stops working.
        let late = add_user(&db, "North", "bea", "worker", Some("outreach"));
        let mut later = Server::start_with_clock(&db, dir.path(), "127.0.0.1:0", Some("+8d"));
        let (status, body) = join(&later.url, "bea", &late, "bea's own choice");
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("bad_enrolment_code")),
            "{body}"
        );
        later.kill();
    }
}

/// The salts a device derives login keys with: a person's include their
/// organisation; a name no one has gets salts too, the same every time
/// (across restarts), so the answer tells no one who has an account.
#[test]
fn login_salts_include_the_organisation_and_give_away_no_names() {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", &NORTH[..1]);
        let mut server = Server::start(&db, dir.path());
        let salts = |url: &str, user: &str| -> (Vec<u8>, Vec<u8>) {
            let (status, s) = post(
                &format!("{url}/v1/login-salt"),
                None,
                &json!({ "user": user }),
            );
            assert_eq!(status, 200, "{s}");
            let get = |k: &str| b64.decode(s[k].as_str().unwrap()).unwrap();
            (get("salt"), get("new_salt"))
        };
        let (_, body) = post(
            &format!("{}/v1/login", server.url),
            None,
            &login_request(&server.url, "amira", "amira passphrase", Uuid::new_v4()),
        );
        let org: Uuid = body["org_id"].as_str().unwrap().parse().unwrap();
        let amira = salts(&server.url, "amira");
        assert_eq!(amira.0, waymark_protocol::auth::salt(org, "amira").to_vec());
        assert_eq!(amira.0, amira.1);
        let nobody = salts(&server.url, "nobody");
        assert_eq!(nobody.0.len(), 32);
        assert_eq!(nobody.0, nobody.1);
        assert_ne!(
            nobody.0,
            waymark_protocol::auth::salt(org, "nobody").to_vec()
        );
        assert_ne!(
            nobody.0,
            waymark_protocol::auth::legacy_salt("nobody").to_vec()
        );
        server.kill();
        let server = Server::start(&db, dir.path());
        assert_eq!(
            salts(&server.url, "nobody"),
            nobody,
            "the same after a restart"
        );
        assert_eq!(salts(&server.url, "amira"), amira);
    }
}

/// A passphrase an administrator set before enrolment codes still logs in,
/// but nothing else is answered until the person chooses their own, which
/// then takes the organisation's salt.
#[test]
fn a_passphrase_an_administrator_set_must_be_changed_at_first_login() {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db").display().to_string();
    org_with(&db, "North", &NORTH[..1]);
    // As an upgraded store holds it: the admin's passphrase, salted with
    // the name alone (migration 008 marks every such user 'admin-set').
    let old = "set by the admin";
    let legacy_key = waymark_protocol::auth::derive_auth_key(
        &waymark_protocol::auth::legacy_salt("amira"),
        old.as_bytes(),
    );
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE users SET auth_hash = ?1, credential = 'admin-set' WHERE name = 'amira'",
            [waymark_server::auth::hash_auth_key(&legacy_key)],
        )
        .unwrap();
    let listed = admin(&db, &["list-users", "--org", "North"]);
    assert!(listed.contains("set by an admin"), "{listed}");
    let server = Server::start(&db, dir.path());
    let url = &server.url;
    let (status, body) = post(
        &format!("{url}/v1/login"),
        None,
        &login_request(url, "amira", old, Uuid::new_v4()),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["must_change_passphrase"], true);
    let token = body["token"].as_str().unwrap().to_owned();
    let (status, body) = push(url, &token, vec![envelope(Uuid::new_v4(), b"note")]);
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("passphrase_change_required")),
        "{body}"
    );
    let new = "amira's own passphrase";
    let (status, body) = post(
        &format!("{url}/v1/credential"),
        Some(&token),
        &json!({
            "user": "amira",
            "current_auth_key": b64.encode(legacy_key.as_slice()),
            "new_auth_key": auth_key(url, "amira", new, true),
        }),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        push(url, &token, vec![envelope(Uuid::new_v4(), b"note")]).0,
        200
    );
    let (status, body) = post(
        &format!("{url}/v1/login"),
        None,
        &login_request(url, "amira", new, Uuid::new_v4()),
    );
    assert_eq!(
        (status, body["must_change_passphrase"].as_bool()),
        (200, Some(false))
    );
    assert_eq!(
        post(
            &format!("{url}/v1/login"),
            None,
            &login_request(url, "amira", old, Uuid::new_v4())
        )
        .0,
        401
    );
}

/// Erasing takes two people or time, as the organisation chooses. Under
/// `second-person` the one who asked can never confirm, a worker cannot
/// ask, a request can be cancelled, and one nobody confirms in time lapses.
/// Under `grace` a request runs once its hours have passed (a server with
/// its clock moved on runs it at start), unless cancelled before.
#[test]
fn an_erasure_takes_a_second_person_or_its_time() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(
            &db,
            "North",
            &[
                ("amira", "worker", Some("outreach")),
                ("sam", "supervisor", Some("outreach")),
                ("tova", "supervisor", Some("outreach")),
            ],
        );
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let [(_, amira), (_, sam), (_, tova)] = ["amira", "sam", "tova"].map(|u| login(url, u));
        let new_case = || {
            let case = Uuid::new_v4();
            assert_eq!(push(url, &amira, vec![envelope(case, b"opened")]).0, 200);
            case
        };
        let erase = |token: &str, case: Uuid| {
            post(
                &format!("{url}/v1/cases/{case}/erase"),
                Some(token),
                &json!({"reason_sealed": "c2VhbGVk"}),
            )
        };
        let cancel = |token: &str, case: Uuid| {
            post(
                &format!("{url}/v1/cases/{case}/erase/cancel"),
                Some(token),
                &json!({}),
            )
            .0
        };
        let pending = |token: &str| {
            let (s, b) = post(&format!("{url}/v1/erasures"), Some(token), &json!({}));
            assert_eq!(s, 200, "{b}");
            b["pending"].as_array().unwrap().len()
        };

        let case = new_case();
        let (s, b) = erase(&amira, case);
        assert_eq!((s, b["error"].as_str()), (403, Some("no_access")), "{b}");
        let (s, b) = post(
            &format!("{url}/v1/cases/{case}/erase"),
            Some(&sam),
            &json!({"reason_sealed": ""}),
        );
        assert_eq!(s, 422, "{b}");
        let (s, b) = erase(&sam, case);
        assert_eq!(
            (s, b["state"].as_str(), b["rule"].as_str()),
            (200, Some("requested"), Some("second-person")),
            "{b}"
        );
        let due = b["due_at_ms"].as_i64().unwrap();
        assert!((due - now_ms() - 72 * 3_600_000).abs() < 60_000, "{b}");
        // The one who asked cannot confirm it.
        let (s, b) = erase(&sam, case);
        assert_eq!((s, b["error"].as_str()), (409, Some("conflict")), "{b}");
        assert!(b["message"]
            .as_str()
            .unwrap()
            .contains("another supervisor or admin must confirm"));
        assert_eq!(pending(&tova), 1);
        assert_eq!(
            heads(url, &amira).get(&case),
            Some(&1),
            "nothing erased yet"
        );
        // Withdrawn, then asked again and confirmed by another.
        assert_eq!(cancel(&tova, case), 200);
        assert_eq!(pending(&sam), 0);
        assert_eq!(cancel(&tova, case), 404);
        assert_eq!(erase(&sam, case).1["state"], "requested");
        let (s, b) = erase(&tova, case);
        assert_eq!((s, b["state"].as_str()), (200, Some("erased")), "{b}");
        assert!(!heads(url, &amira).contains_key(&case));
        assert_eq!(pending(&sam), 0);
        assert_eq!(erase(&tova, case).0, 409, "already erased");

        // Not confirmed in time: the request lapses.
        let lapsing = new_case();
        assert_eq!(erase(&sam, lapsing).1["state"], "requested");
        // Grace: a request runs when its time is up, unless cancelled; a
        // request keeps the rule it was asked under.
        admin(
            &db,
            &["erasure-rule", "--org", "North", "grace", "--hours", "1"],
        );
        let (graced, kept) = (new_case(), new_case());
        let (s, b) = erase(&sam, graced);
        assert_eq!((s, b["rule"].as_str()), (200, Some("grace")), "{b}");
        assert_eq!(erase(&tova, graced).0, 409, "nothing hurries it");
        assert_eq!(erase(&sam, kept).1["state"], "requested");
        assert_eq!(cancel(&tova, kept), 200);
        // 73 hours on: the grace request has run at the server's start, and
        // the second-person one has lapsed.
        let later = Server::start_with_clock(&db, dir.path(), "127.0.0.1:0", Some("+73h"));
        let mut erased = false;
        for _ in 0..50 {
            let (_, tova_later) = login(&later.url, "tova");
            let (_, b) = post(
                &format!("{}/v1/erasures", later.url),
                Some(&tova_later),
                &json!({}),
            );
            if b["pending"].as_array().is_some_and(|p| p.is_empty()) {
                erased = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        assert!(erased, "the grace request ran at start");
        let (_, amira_later) = login(&later.url, "amira");
        let heads_later = heads(&later.url, &amira_later);
        assert!(
            !heads_later.contains_key(&graced),
            "erased when its time was up"
        );
        assert_eq!(heads_later.get(&kept), Some(&1), "the cancelled one stays");
        assert_eq!(heads_later.get(&lapsing), Some(&1), "the lapsed one stays");
    }
}

/// A manager reads every case of their own organisation, whatever the team,
/// and nothing of another's: not its logs, not a log under the same id, not
/// its attachments; and pushes nothing anywhere.
#[test]
fn a_manager_reads_all_of_their_organisation_and_nothing_of_another() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        let mut north = NORTH.to_vec();
        north.push(("mona", "manager", None));
        org_with(&db, "North", &north);
        org_with(
            &db,
            "South",
            &[
                ("zoe", "worker", Some("south team")),
                ("yves", "manager", None),
            ],
        );
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let tokens: BTreeMap<&str, String> = ["amira", "cai", "zoe", "mona", "yves"]
            .into_iter()
            .map(|u| (u, login(url, u).1))
            .collect();
        // One case in each North team, one in South, and South's own log
        // under the id of North's first case.
        let (outreach, diversion, south) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        for (who, case) in [
            ("amira", outreach),
            ("cai", diversion),
            ("zoe", south),
            ("zoe", outreach),
        ] {
            let (s, b) = push(url, &tokens[who], vec![envelope(case, b"opened")]);
            assert_eq!(s, 200, "{who}: {b}");
        }
        assert_eq!(
            push(url, &tokens["amira"], vec![envelope(outreach, b"again")]).0,
            200
        );
        let mona = heads(url, &tokens["mona"]);
        let mut read: Vec<Uuid> = mona.keys().copied().collect();
        read.sort();
        let mut expected = vec![outreach, diversion];
        expected.sort();
        assert_eq!(read, expected, "North's manager reads both teams' cases");
        assert_eq!(
            mona[&outreach], 2,
            "North's log of the shared id, not South's"
        );
        let yves = heads(url, &tokens["yves"]);
        let mut read: Vec<Uuid> = yves.keys().copied().collect();
        read.sort();
        let mut expected = vec![outreach, south];
        expected.sort();
        assert_eq!(read, expected, "South's manager reads South's logs only");
        assert_eq!(
            yves[&outreach], 1,
            "South's own log under that id: {yves:?}"
        );

        // Asking for North's case by cursor gets South's manager nothing of it.
        let (s, b) = post(
            &format!("{url}/v1/pull"),
            Some(&tokens["yves"]),
            &json!({"cursors": [{"log_id": diversion, "after": 0, "tip": waymark_protocol::GENESIS_TIP}], "limit": 1000}),
        );
        assert_eq!(s, 200, "{b}");
        let logs: Vec<&str> = b["logs"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| l["log_id"].as_str())
            .collect();
        assert!(
            !logs.contains(&diversion.to_string().as_str()),
            "another organisation's case by cursor: {b}"
        );

        // North's attachment: North's manager reads it, South's does not.
        let blob = Uuid::new_v4();
        let resp = http()
            .put(format!("{url}/v1/blobs/{diversion}/{blob}?offset=0&size=3"))
            .bearer_auth(&tokens["cai"])
            .body(b"abc".to_vec())
            .send()
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200);
        let get = |who: &str| {
            http()
                .get(format!("{url}/v1/blobs/{diversion}/{blob}?offset=0"))
                .bearer_auth(&tokens[who])
                .send()
                .unwrap()
                .status()
                .as_u16()
        };
        assert_eq!(get("mona"), 200);
        // In South there is no such case: the answer any unknown case gets.
        assert_eq!(
            get("yves"),
            404,
            "South's manager reads no North attachment"
        );

        // Neither manager writes, in their organisation or another.
        for who in ["mona", "yves"] {
            for case in [outreach, diversion, south, Uuid::new_v4()] {
                let (s, b) = push(url, &tokens[who], vec![envelope(case, b"edit")]);
                assert_eq!(s, 403, "{who} pushed to {case}: {b}");
            }
        }
        assert_eq!(heads(url, &tokens["mona"])[&outreach], 2, "nothing written");
    }
}

/// Who holds a case, changed over the API, with every adversary's try: the
/// keyworker shares, a colleague it is only shared with cannot pass it on,
/// another organisation finds neither the case nor its people, a manager
/// changes nothing, a supervisor reassigns within the team. The keyworker
/// before can still send, from the device that held the case, what they
/// wrote offline, and is told the case was withdrawn; a device of theirs
/// that never held it is refused.
#[test]
fn access_changes_are_checked_and_the_one_who_left_is_told() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        let mut north = NORTH.to_vec();
        north.push(("mona", "manager", None));
        org_with(&db, "North", &north);
        org_with(
            &db,
            "South",
            &[("zoe", "worker", Some("south")), ("zed", "admin", None)],
        );
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let tokens: BTreeMap<&str, String> = ["amira", "bea", "sam", "dee", "mona", "zoe", "zed"]
            .into_iter()
            .map(|u| (u, login(url, u).1))
            .collect();
        let case = Uuid::new_v4();
        assert_eq!(
            push(url, &tokens["amira"], vec![envelope(case, b"opened")]).0,
            200
        );
        // Amira's device reads the case (it holds it from here on).
        let mut amira_cursors = Cursors::default();
        pull_all_with(url, &tokens["amira"], &mut amira_cursors);

        let call = |who: &str, path: &str, body: Value| {
            post(
                &format!("{url}/v1/cases/{case}/{path}"),
                Some(&tokens[who]),
                &body,
            )
        };
        let share = |who: &str, user: &str, on: bool| {
            call(who, "share", json!({"user": user, "share": on}))
        };
        let reassign = |who: &str, user: &str| call(who, "keyworker", json!({"user": user}));

        // Bad bodies are named.
        let (s, b) = call("amira", "share", json!({"user": "bea"}));
        assert_eq!(s, 422, "{b}");
        let (s, b) = call("amira", "share", json!({"user": 5, "share": true}));
        assert!(s == 400 || s == 422, "{s} {b}");
        // Another organisation: no such case, nor anyone of theirs here.
        for (s, b) in [
            share("zed", "bea", true),
            reassign("zed", "zoe"),
            call("zoe", "access", json!({})),
        ] {
            assert_eq!((s, b["error"].as_str()), (404, Some("not_found")), "{b}");
        }
        let (s, b) = share("amira", "zoe", true);
        assert_eq!(s, 404, "{b}");
        assert!(
            b["message"]
                .as_str()
                .unwrap()
                .contains("no one named \"zoe\" in your organisation"),
            "{b}"
        );
        // The keyworker shares; the colleague may not pass it on or take it;
        // a manager changes nothing; another team's supervisor neither.
        let (s, b) = share("amira", "bea", true);
        assert_eq!((s, &b["shared_with"]), (200, &json!(["bea"])), "{b}");
        for (s, b) in [
            share("bea", "cai", true),
            reassign("bea", "bea"),
            reassign("amira", "bea"),
            share("mona", "cai", true),
            reassign("mona", "bea"),
            reassign("dee", "cai"),
        ] {
            assert_eq!((s, b["error"].as_str()), (403, Some("no_access")), "{b}");
        }
        let (s, b) = call("bea", "access", json!({}));
        assert_eq!(
            (s, &b["keyworker"], &b["team"]),
            (200, &json!("amira"), &json!("outreach")),
            "{b}"
        );
        // The supervisor gives it to Bea: within the team only.
        let (s, b) = reassign("sam", "cai");
        assert_eq!(s, 422, "{b}");
        let (s, b) = reassign("sam", "bea");
        assert_eq!(
            (s, &b["keyworker"], &b["shared_with"]),
            (200, &json!("bea"), &json!([])),
            "{b}"
        );
        assert_eq!(
            server_value(
                &db,
                "SELECT count(*) FROM withdrawals WHERE log_id = $1",
                &case.to_string()
            ),
            1
        );

        // Amira's own device sends what she wrote before she knew...
        let (s, b) = push(
            url,
            &tokens["amira"],
            vec![envelope(case, b"written offline")],
        );
        assert_eq!(s, 200, "{b}");
        // ...a device of hers that never held the case may not write to it...
        let (_, fresh) = login(url, "amira");
        let (s, b) = push(url, &fresh, vec![envelope(case, b"never held")]);
        assert_eq!((s, b["error"].as_str()), (403, Some("no_access")), "{b}");
        // ...and her device is told, and given nothing more of it.
        let (s, b) = post(
            &format!("{url}/v1/pull"),
            Some(&tokens["amira"]),
            &json!({"cursors": amira_cursors.json()}),
        );
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["withdrawn"], json!([case]), "{b}");
        assert!(
            b["logs"]
                .as_array()
                .unwrap()
                .iter()
                .all(|l| l["log_id"] != json!(case)),
            "{b}"
        );
        // Bea's pull has both changes; Bea shares it back with Amira, who
        // then holds it as anyone shared it does.
        assert_eq!(pull_all(url, &tokens["bea"])[&case], vec![1, 2]);
        let (s, _) = share("bea", "amira", true);
        assert_eq!(s, 200);
        assert_eq!(
            server_value(
                &db,
                "SELECT count(*) FROM withdrawals WHERE log_id = $1",
                &case.to_string()
            ),
            0
        );
        assert_eq!(pull_all(url, &fresh)[&case], vec![1, 2]);
    }
}

/// A case's supervision log over HTTP, on both stores: made only from its
/// case (held as the case is), readable and writable by the case's keyworker
/// and its team's supervisors only; a log someone made first as a case of
/// their own is never taken as one; erasing the case erases it too.
#[test]
fn a_supervision_log_is_for_the_keyworker_and_the_teams_supervisors_only() {
    use waymark_protocol::supervision_log;
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        let mut north = NORTH.to_vec();
        north.push(("mona", "manager", None));
        org_with(&db, "North", &north);
        admin(&db, &["admins-see-cases", "--org", "North", "on"]);
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let tokens: BTreeMap<&str, String> = ["amira", "bea", "sam", "dee", "ann", "mona"]
            .into_iter()
            .map(|u| (u, login(url, u).1))
            .collect();
        let case = Uuid::new_v4();
        let log = supervision_log(case);
        let note = |of: Option<Uuid>| {
            let mut e = envelope(log, b"supervision note");
            if let Some(of) = of {
                e["companion_of"] = json!(of);
            }
            e
        };
        // No case yet: nothing to make it from.
        let (s, b) = push(url, &tokens["sam"], vec![note(Some(case))]);
        assert_eq!((s, b["error"].as_str()), (404, Some("not_found")), "{b}");
        assert_eq!(
            push(url, &tokens["amira"], vec![envelope(case, b"opened")]).0,
            200
        );
        post(
            &format!("{url}/v1/cases/{case}/share"),
            Some(&tokens["amira"]),
            &json!({"user": "bea", "share": true}),
        );
        // A log that is not this case's supervision log, named as one.
        let mut wrong = envelope(Uuid::new_v4(), b"x");
        wrong["companion_of"] = json!(case);
        let (s, b) = push(url, &tokens["sam"], vec![wrong]);
        assert_eq!((s, b["error"].as_str()), (422, Some("invalid")), "{b}");
        assert!(
            b["message"].as_str().unwrap().contains("companion_of"),
            "{b}"
        );
        // Only the keyworker and the team's supervisors write it; the rest
        // of the push is refused with it.
        for who in ["bea", "dee", "ann", "mona"] {
            let (s, b) = push(url, &tokens[who], vec![note(Some(case))]);
            assert_eq!(s, 403, "{who}: {b}");
        }
        let (s, b) = push(url, &tokens["sam"], vec![note(Some(case))]);
        assert_eq!(s, 200, "{b}");
        let (s, b) = push(url, &tokens["amira"], vec![note(None)]);
        assert_eq!(s, 200, "the keyworker, the log known: {b}");
        // Who reads it: the keyworker and the team's supervisor.
        for (who, reads) in [
            ("amira", true),
            ("sam", true),
            ("bea", false),
            ("dee", false),
            ("ann", false),
            ("mona", false),
        ] {
            let read = heads(url, &tokens[who]);
            assert_eq!(read.get(&log), reads.then_some(&2), "{who}: {read:?}");
            if who != "dee" {
                assert!(read.contains_key(&case), "{who} holds the case: {read:?}");
            }
        }

        // Squatting: a log made first as someone's own case is never taken
        // as another case's supervision log.
        let other = Uuid::new_v4();
        assert_eq!(
            push(url, &tokens["amira"], vec![envelope(other, b"opened")]).0,
            200
        );
        let squatted = supervision_log(other);
        assert_eq!(
            push(url, &tokens["bea"], vec![envelope(squatted, b"mine")]).0,
            200
        );
        let mut e = envelope(squatted, b"supervision note");
        e["companion_of"] = json!(other);
        let (s, b) = push(url, &tokens["sam"], vec![e]);
        assert_eq!(s, 409, "{b}");

        // Erasing the case erases its supervision log, and refuses a late push there.
        set_recovery_key(
            &db,
            "North",
            &waymark_crypto::UserSecret::generate().public().0,
        );
        admin(
            &db,
            &[
                "erase-case",
                "--case",
                &case.to_string(),
                "--reason",
                "Asked for erasure",
            ],
        );
        assert!(!heads(url, &tokens["sam"]).contains_key(&log));
        let (s, b) = push(url, &tokens["sam"], vec![note(Some(case))]);
        assert_eq!((s, b["error"].as_str()), (410, Some("case_erased")), "{b}");
        assert_eq!(b["erased"], json!([log]), "{b}");
    }
}

/// A volunteer allocated to a case reads and writes its allocation log
/// only: never the case's own log, its supervision log, or anything they
/// were not allocated; they make no log of their own, and unallocating
/// takes the allocation log away (a late write only from a device that
/// held it). Everyone who holds the case reads the allocation log.
#[test]
fn a_volunteer_holds_only_the_allocation_logs_of_their_cases() {
    use waymark_protocol::{allocation_log, supervision_log};
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        let mut north = NORTH.to_vec();
        north.push(("vic", "volunteer", Some("outreach")));
        north.push(("mona", "manager", None));
        org_with(&db, "North", &north);
        let server = Server::start(&db, dir.path());
        let url = &server.url;
        let tokens: BTreeMap<&str, String> = ["amira", "bea", "sam", "dee", "vic", "mona"]
            .into_iter()
            .map(|u| (u, login(url, u).1))
            .collect();
        let (case, other) = (Uuid::new_v4(), Uuid::new_v4());
        let log = allocation_log(case);
        for c in [case, other] {
            assert_eq!(
                push(url, &tokens["amira"], vec![envelope(c, b"opened")]).0,
                200
            );
        }
        let companion = |log: Uuid, of: Uuid, body: &[u8]| {
            let mut e = envelope(log, body);
            e["companion_of"] = json!(of);
            e
        };
        let (s, b) = push(
            url,
            &tokens["sam"],
            vec![companion(supervision_log(case), case, b"s")],
        );
        assert_eq!(s, 200, "{b}");
        // Before allocation: nothing of the case, and no log of their own.
        let (s, b) = push(url, &tokens["vic"], vec![companion(log, case, b"note")]);
        assert_eq!((s, b["error"].as_str()), (403, Some("no_access")), "{b}");
        let (s, b) = push(
            url,
            &tokens["vic"],
            vec![envelope(Uuid::new_v4(), b"a case")],
        );
        assert_eq!((s, b["error"].as_str()), (403, Some("no_access")), "{b}");
        assert!(b["message"].as_str().unwrap().contains("volunteer"), "{b}");
        // Only the keyworker, a team supervisor or an admin allocates; a
        // volunteer never becomes a keyworker.
        let share = |who: &str, user: &str, share: bool| {
            post(
                &format!("{url}/v1/cases/{case}/share"),
                Some(&tokens[who]),
                &json!({"user": user, "share": share}),
            )
        };
        assert_eq!(share("bea", "vic", true).0, 403);
        let (s, b) = post(
            &format!("{url}/v1/cases/{case}/keyworker"),
            Some(&tokens["sam"]),
            &json!({"user": "vic"}),
        );
        assert_eq!((s, b["error"].as_str()), (422, Some("invalid")), "{b}");
        let (s, b) = share("amira", "vic", true);
        assert_eq!(s, 200, "{b}");
        let (_, access) = post(
            &format!("{url}/v1/cases/{case}/access"),
            Some(&tokens["amira"]),
            &json!({}),
        );
        assert_eq!(access["shared_with"], json!(["vic"]), "{access}");
        assert_eq!(access["volunteers"], json!(["vic"]), "{access}");
        let (s, b) = push(url, &tokens["amira"], vec![companion(log, case, b"brief")]);
        assert_eq!(s, 200, "{b}");
        // Allocated: the allocation log alone.
        let read = heads(url, &tokens["vic"]);
        assert!(read.contains_key(&log), "{read:?}");
        for hidden in [case, other, supervision_log(case)] {
            assert!(!read.contains_key(&hidden), "{hidden}: {read:?}");
        }
        let (s, b) = push(url, &tokens["vic"], vec![companion(log, case, b"note")]);
        assert_eq!(s, 200, "{b}");
        for forbidden in [
            envelope(case, b"x"),
            companion(supervision_log(case), case, b"x"),
            companion(allocation_log(other), other, b"x"),
        ] {
            let (s, b) = push(url, &tokens["vic"], vec![forbidden]);
            assert_eq!((s, b["error"].as_str()), (403, Some("no_access")), "{b}");
        }
        // Everyone who holds the case reads the allocation log; others not.
        share("amira", "bea", true);
        for (who, reads) in [
            ("amira", true),
            ("bea", true),
            ("sam", true),
            ("mona", true),
            ("dee", false),
        ] {
            assert_eq!(heads(url, &tokens[who]).contains_key(&log), reads, "{who}");
        }
        // Unallocated: gone at the next pull; a late write from the device
        // that held it is still taken.
        let (s, b) = share("sam", "vic", false);
        assert_eq!(s, 200, "{b}");
        assert!(!heads(url, &tokens["vic"]).contains_key(&log));
        let (s, b) = push(
            url,
            &tokens["vic"],
            vec![companion(log, case, b"late note")],
        );
        assert_eq!(s, 200, "a late write: {b}");
        // Admin commands keep the rule too.
        admin(
            &db,
            &["share-case", "--case", &case.to_string(), "--user", "vic"],
        );
        let read = heads(url, &tokens["vic"]);
        assert!(
            read.contains_key(&log) && !read.contains_key(&case),
            "{read:?}"
        );
        let out = admin_output(
            &db,
            &[
                "set-keyworker",
                "--case",
                &case.to_string(),
                "--user",
                "vic",
            ],
        );
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("volunteer"));
    }
}
