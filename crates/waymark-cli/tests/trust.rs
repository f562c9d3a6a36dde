//! Across processes, with a real server (SQLite, then PostgreSQL): changes
//! pushed straight to the server by people who may log in but may not make
//! them, and a server whose store is in an attacker's hands. The server
//! relays what it cannot read; the receiving device refuses, keeps and
//! reports each forgery, and carries on with the rest.

mod devices;

use base64::Engine;
use devices::Device;
use serde_json::{json, Value};
use uuid::Uuid;
use waymark_core::hlc::{Clock, Stamp};
use waymark_core::sync::{ChangeBody, ORG_LOG};
use waymark_testkit::server::*;

/// A change body as a hostile client writes it.
fn body(kind: &str, record: Uuid, case: Option<Uuid>, wall_ms: i64, payload: Value) -> ChangeBody {
    ChangeBody {
        change_id: Uuid::now_v7(),
        clock: Stamp {
            clock: Clock {
                wall_ms: wall_ms as u64,
                counter: 0,
            },
            device: Uuid::new_v4(),
        },
        device_id: Uuid::new_v4(),
        schema_version: 1,
        kind: kind.into(),
        record_id: record,
        case_id: case,
        payload: serde_json::from_value(payload).expect("an operation"),
    }
}

/// The envelope a push carries: the server sees only the log, id and clock.
fn envelope_of(log: Uuid, body: &ChangeBody, bytes: &[u8]) -> Value {
    json!({
        "change_id": body.change_id,
        "log_id": log,
        "clock_ms": now_ms(),
        "body": base64::engine::general_purpose::STANDARD.encode(bytes),
    })
}

#[test]
fn forged_changes_pushed_to_the_server_are_refused_on_every_device_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    for (n, db) in databases(&dir).into_iter().enumerate() {
        let root = dir.path().join(format!("run{n}"));
        std::fs::create_dir_all(&root).unwrap();
        let server = Server::start(&db, &root);
        org_with(
            &db,
            "North",
            &[
                ("amira", "worker", Some("outreach")),
                ("sam", "supervisor", Some("outreach")),
                ("dee", "worker", Some("diversion")),
                ("ada", "admin", None),
            ],
        );
        let [amira, sam] =
            ["amira", "sam"].map(|u| Device::confirmed(root.join(u), u, &server.url, "ada"));
        let case = amira.ok(&[
            "person",
            "add",
            "--name",
            "Robin Example",
            "--calls-safe",
            "false",
            "--safe-contact-notes",
            "never call after 5pm",
        ]);
        let note = amira.ok(&["note", "add", &case, "--body", "Met at the van"]);
        amira.sync();
        sam.sync();
        let case_id: Uuid = case.parse().unwrap();
        let note_id: Uuid = note.parse().unwrap();
        let before = sam.case(&case);
        assert_eq!(before["person"]["safe_contact"]["calls_safe"], false);

        // 1. The reproduced attack: a worker of another team, no member of
        // the case, pushes one plain change into the organisation's log.
        let (_, dee) = login(&server.url, "dee");
        let forged = body(
            "person",
            case_id,
            None,
            now_ms(),
            json!({"op": "put", "base_version": 1, "prev": {},
                   "fields": {"safe_contact": {"calls_safe": true, "instructions": "call any time"}}}),
        );
        let bytes = serde_json::to_vec(&forged).unwrap();
        let (status, answer) = push(
            &server.url,
            &dee,
            vec![envelope_of(ORG_LOG, &forged, &bytes)],
        );
        assert_eq!(
            status, 200,
            "the server relays what it cannot read: {answer}"
        );

        // 2. A member (amira, from a second device, with the case key)
        // rewrites her note, and stamps a century ahead to win every edit.
        let (_, amira_token) = login(&server.url, "amira");
        let rewrite = body(
            "note",
            note_id,
            Some(case_id),
            now_ms(),
            json!({"op": "put", "base_version": 1, "prev": {}, "fields": {"body": "She made it all up"}}),
        );
        let century = 100 * 365 * 86_400_000;
        let ahead = body(
            "person",
            case_id,
            Some(case_id),
            now_ms() + century,
            json!({"op": "put", "base_version": 1, "prev": {}, "fields": {"safe_contact": {"calls_safe": true}}}),
        );
        // Signed by amira, a confirmed member: her signature holds, the
        // rules a local write obeys do not. And, signed by her too, the
        // organisation-log forgery again: only an admin's signature counts
        // there.
        let as_worker = ChangeBody {
            change_id: Uuid::now_v7(),
            ..forged.clone()
        };
        let (sealed, org_signed): (Vec<Value>, Value) = {
            let s = amira.unlock_here();
            let key = s.case_key(case_id).unwrap().unwrap();
            let sealed = [&rewrite, &ahead]
                .iter()
                .map(|b| {
                    let signed = s.signed_change(case_id, b).unwrap();
                    let bytes = waymark_crypto::encrypt_change(&key, case_id, b.change_id, &signed);
                    envelope_of(case_id, b, &bytes)
                })
                .collect();
            let signed = s.signed_change(ORG_LOG, &as_worker).unwrap();
            (sealed, envelope_of(ORG_LOG, &as_worker, &signed))
        };
        let (status, answer) = push(&server.url, &amira_token, vec![org_signed]);
        assert_eq!(status, 200, "{answer}");
        let (status, answer) = push(&server.url, &amira_token, sealed);
        assert_eq!(status, 200, "{answer}");

        // A genuine note after the forgeries.
        amira.ok(&[
            "note",
            "add",
            &case,
            "--body",
            "Called back at the agreed time",
        ]);
        // Every device pulls the four forgeries, and refuses each.
        for device in [&amira, &sam] {
            let report = device.sync();
            assert_eq!(report["applied"]["refused"], 4, "{}: {report}", device.user);
            let refused = device.json(&["refused", "--json"])["changes"].clone();
            let reasons: Vec<&str> = refused
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["reason"].as_str().unwrap())
                .collect();
            assert!(reasons.contains(&"rewrites a saved note"), "{reasons:?}");
            assert!(
                reasons
                    .iter()
                    .any(|r| r.contains("ahead of when the server received it")),
                "{reasons:?}"
            );
            assert!(refused
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["bytes"].as_i64().unwrap() > 0));
            let text = device.ok(&["refused"]);
            assert!(text.contains("rewrites a saved note"), "{text}");
        }
        // Sam's device: the organisation's log refused the forged person.
        let refused = sam.json(&["refused", "--json"])["changes"].clone();
        assert!(
            refused
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["log_id"] == ORG_LOG.to_string()
                    && r["reason"].as_str().unwrap().contains("unsigned")),
            "{refused}"
        );
        assert!(
            refused
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["log_id"] == ORG_LOG.to_string()
                    && r["reason"]
                        .as_str()
                        .unwrap()
                        .contains("not signed by an admin")),
            "{refused}"
        );
        let after = sam.case(&case);
        assert_eq!(after["person"], before["person"], "the safe contact stands");
        let notes = after["notes"].as_array().unwrap();
        assert_eq!(notes.len(), 2, "the genuine note arrived: {after}");
        assert!(notes.iter().any(|n| n["current_body"] == "Met at the van"));
        assert!(!after.to_string().contains("made it all up"));
        let status = sam.json(&["status", "--json"]);
        assert_eq!(
            status["sync"]["refused_changes"].as_array().unwrap().len(),
            4
        );
        drop(server);
    }
}

#[test]
fn a_client_refuses_plain_http_to_another_machine() {
    let dir = tempfile::tempdir().unwrap();
    let d = Device::new(dir.path().join("laptop"), "amira");
    d.ok(&["init", "--user", "amira"]);
    let out = d.run(&["login", "--server", "http://sync.example.org"]);
    assert_eq!(out.status.code(), Some(2), "bad input");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("must be an https:// URL"), "{err}");
    assert!(
        d.json(&["status", "--json"])["sync"].is_null(),
        "nothing saved"
    );
}

/// An admin confirms a person only by the phrase their own device shows:
/// before, the person is told they wait; a wrong phrase certifies nothing;
/// confirming an admin must be meant; a worker cannot confirm anyone.
#[test]
fn an_admin_confirms_a_person_by_the_phrase_their_own_device_shows() {
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    let server = Server::start(&db, dir.path());
    org_with(
        &db,
        "North",
        &[
            ("amira", "worker", Some("outreach")),
            ("ann", "admin", None),
            ("abe", "admin", None),
        ],
    );
    // Ann's login makes the organisation's key; she is its first admin.
    let [ann, amira, abe] =
        ["ann", "amira", "abe"].map(|u| Device::enrolled(dir.path().join(u), u, &server.url));
    assert_eq!(ann.json(&["identity", "--json"])["confirmed_as"], "admin");
    let own = amira.json(&["identity", "--json"]);
    let phrase = own["fingerprint_phrase"].as_str().unwrap().to_owned();
    assert_eq!(phrase.split(' ').count(), 6, "{own}");
    assert!(own["confirmed_as"].is_null(), "{own}");
    let text = amira.ok(&["identity"]);
    assert!(text.contains(&phrase), "{text}");
    assert!(text.contains("waiting for an admin to confirm"), "{text}");
    let report = amira.sync();
    assert_eq!(report["waiting_for_confirmation"], true, "{report}");
    assert!(amira
        .ok(&["sync"])
        .contains("waiting for an admin to confirm"));

    // The admin's device shows the same phrase, worked out there.
    let listed = ann.json(&["devices", "--json"]);
    let seen = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["user"] == "amira")
        .cloned()
        .unwrap();
    assert_eq!(seen["fingerprint_phrase"], phrase.as_str(), "{listed}");
    assert_eq!(seen["key_vouched"], true, "{listed}");
    // The keys the server relayed stay in the listing (base64), as before.
    use base64::Engine;
    let relayed: String = base64::engine::general_purpose::STANDARD
        .decode(seen["identity_key"].as_str().unwrap())
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(relayed, own["public_key"].as_str().unwrap(), "{listed}");
    assert!(seen["public_key"].is_string() && seen["key_signature"].is_string());
    assert!(ann.ok(&["devices"]).contains(&phrase));

    // A misread phrase: exit 2, nothing certified.
    let mut wrong: Vec<char> = phrase.chars().collect();
    wrong[3] = if wrong[3] == '7' { '8' } else { '7' };
    let wrong: String = wrong.into_iter().collect();
    let out = ann.run(&["confirm", "amira", "--fingerprint", &wrong]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--fingerprint") && err.contains("nothing was confirmed"),
        "{err}"
    );
    assert_eq!(amira.sync()["waiting_for_confirmation"], true);
    let out = ann.run(&["confirm", "nobody", "--fingerprint", &phrase]);
    assert_eq!(out.status.code(), Some(2));

    // The phrase as read aloud, spaced any way.
    let confirmed = ann.json(&[
        "confirm",
        "amira",
        "--fingerprint",
        &phrase.replace(' ', "  "),
        "--json",
    ]);
    assert_eq!(confirmed["role"], "worker", "{confirmed}");
    let report = amira.sync();
    assert_eq!(report["waiting_for_confirmation"], false, "{report}");
    assert_eq!(
        amira.json(&["identity", "--json"])["confirmed_as"],
        "worker"
    );
    assert!(amira
        .ok(&["identity"])
        .contains("confirmed by an admin as worker"));

    // A worker confirms no one; an admin is confirmed only when meant.
    let abe_phrase = abe.json(&["identity", "--json"])["fingerprint_phrase"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = amira.run(&["confirm", "abe", "--fingerprint", &abe_phrase]);
    assert_eq!(out.status.code(), Some(2), "refused as bad input (403)");
    let out = ann.run(&["confirm", "abe", "--fingerprint", &abe_phrase]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--admin"));
    ann.ok(&["confirm", "abe", "--fingerprint", &abe_phrase, "--admin"]);
    abe.sync();
    assert_eq!(abe.json(&["identity", "--json"])["confirmed_as"], "admin");
    // A confirmed admin confirms others with their own identity.
    let late = Device::enrolled(dir.path().join("amira-2"), "amira", &server.url);
    late.confirm_by(&abe);
    assert_eq!(late.sync()["waiting_for_confirmation"], false);

    // A worker may not list the organisation's devices.
    let out = amira.run(&["devices", "--json"]);
    assert_eq!(out.status.code(), Some(2), "refused as bad input (403)");
}

/// A hostile server (its store in an attacker's hands) lists recipients no
/// admin certified (a device it enrolled, a key it swapped in): they get no
/// case key, refused, reported, never sealed to; once an admin confirms the
/// person, their keys arrive. It plants sealed keys of later epochs,
/// unsigned or with a confirmed colleague's name and a signature she never
/// made: held aside unopened, and the case's changes stay under its real
/// key. (The changes it relays are the test above.) Both server stores.
#[test]
fn a_recipient_no_admin_confirmed_gets_no_case_key() {
    let dir = tempfile::tempdir().unwrap();
    for (n, db) in databases(&dir).into_iter().enumerate() {
        let root = dir.path().join(format!("run{n}"));
        std::fs::create_dir_all(&root).unwrap();
        let server = Server::start(&db, &root);
        org_with(
            &db,
            "North",
            &[
                ("amira", "worker", Some("outreach")),
                ("sam", "supervisor", Some("outreach")),
                ("ada", "admin", None),
            ],
        );
        let amira = Device::confirmed(root.join("amira"), "amira", &server.url, "ada");
        // Sam's device is enrolled, but no admin has compared its phrase:
        // to amira's device it is like one the server slipped in.
        let sam = Device::enrolled(root.join("sam"), "sam", &server.url);
        let case = amira.ok(&["person", "add", "--name", "Robin Example"]);
        let report = amira.sync();
        assert_eq!(report["recipients_refused"], 1, "{report}");
        assert_eq!(
            report["keys_sealed"], 1,
            "amira's own device only: {report}"
        );
        let sealed = "SELECT count(*) FROM sealed_keys WHERE log_id = $1";
        assert_eq!(server_value(&db, sealed, &case), 1);
        let refused = amira.json(&["refused", "--json"])["recipients"].clone();
        assert_eq!(refused.as_array().unwrap().len(), 1, "{refused}");
        assert!(refused[0]["reason"]
            .as_str()
            .unwrap()
            .contains("waiting for an admin to confirm"));
        assert!(amira.ok(&["refused"]).contains("never sealed to"));
        let waiting = sam.sync();
        assert!(waiting["awaiting_key"].as_i64().unwrap() > 0, "{waiting}");
        assert_eq!(waiting["waiting_for_confirmation"], true);
        // Syncing again refuses again and seals nothing.
        assert_eq!(amira.sync()["keys_sealed"], 0);
        assert_eq!(server_value(&db, sealed, &case), 1);

        // The admin confirms sam: his key arrives at the next syncs.
        sam.confirm_by(&Device::admin_laptop(&amira.dir, "ada", &server.url));
        assert_eq!(amira.sync()["keys_sealed"], 1);
        let opened = sam.sync();
        assert_eq!(opened["keys_received"], 1, "{opened}");
        assert_eq!(sam.case(&case)["person"]["full_name"], "Robin Example");

        // The server plants an unsigned epoch-2 key for sam's device (as if
        // the case had moved on to a key of its own): held aside, never
        // opened; amira's next note, still under epoch 1, reaches him.
        let sams_key = "(SELECT d.public_key FROM devices d JOIN users u ON u.id = d.user_id WHERE u.name = 'sam')";
        server_exec(
            &db,
            &format!(
                "INSERT INTO sealed_keys (org_id, log_id, epoch, recipient_key, sealed, sealed_by_device, created_at)
                 SELECT org_id, log_id, 2, recipient_key, {}, sealed_by_device, created_at FROM sealed_keys
                 WHERE log_id = '{case}' AND recipient_key = {sams_key}",
                hex_literal(&db, &[5u8; 90])
            ),
        );
        // And one that names amira (a confirmed identity) as its sealer,
        // with a signature she never made.
        let amiras_identity = "(SELECT d.identity_key FROM devices d JOIN users u ON u.id = d.user_id WHERE u.name = 'amira')";
        server_exec(
            &db,
            &format!(
                "INSERT INTO sealed_keys (org_id, log_id, epoch, recipient_key, sealed, sealed_by_device, created_at, sender_identity, signature)
                 SELECT org_id, log_id, 3, recipient_key, {}, sealed_by_device, created_at, {amiras_identity}, {} FROM sealed_keys
                 WHERE log_id = '{case}' AND epoch = 1 AND recipient_key = {sams_key}",
                hex_literal(&db, &[6u8; 90]),
                hex_literal(&db, &[7u8; 64]),
            ),
        );
        let planted = sam.sync();
        assert_eq!(planted["keys_refused"], 2, "{planted}");
        let refused = sam.json(&["refused", "--json"])["keys"].clone();
        let reasons: Vec<(i64, &str)> = refused
            .as_array()
            .unwrap()
            .iter()
            .map(|k| (k["epoch"].as_i64().unwrap(), k["reason"].as_str().unwrap()))
            .collect();
        assert!(reasons.contains(&(2, "unsigned sealed key")), "{refused}");
        assert!(
            reasons
                .iter()
                .any(|(epoch, why)| *epoch == 3 && why.contains("does not hold")),
            "{refused}"
        );
        amira.ok(&["note", "add", &case, "--body", "Still under the first key"]);
        amira.sync();
        let read = sam.sync();
        assert_eq!(read["applied"]["refused"], 0, "{read}");
        let notes = sam.case(&case)["notes"].clone();
        assert!(
            notes.to_string().contains("Still under the first key"),
            "{notes}"
        );

        // The server swaps its own key in for sam's device: his identity's
        // signature does not cover it, so nothing is sealed to it.
        let planted = hex_literal(&db, &[9u8; 32]);
        server_exec(
            &db,
            &format!(
                "UPDATE devices SET public_key = {planted} WHERE user_id IN (SELECT id FROM users WHERE name = 'sam')"
            ),
        );
        let second = amira.ok(&["person", "add", "--name", "Kit Example"]);
        let report = amira.sync();
        assert_eq!(report["recipients_refused"], 1, "{report}");
        let to_planted = format!(
            "SELECT count(*) FROM sealed_keys WHERE log_id = $1 AND recipient_key = {planted}"
        );
        assert_eq!(server_value(&db, &to_planted, &second), 0);
        assert_eq!(server_value(&db, sealed, &second), 1, "amira's own only");
        let refused = amira.json(&["refused", "--json"])["recipients"].clone();
        assert!(
            refused.as_array().unwrap().iter().any(|r| r["reason"]
                .as_str()
                .unwrap()
                .contains("signature over the key does not hold")),
            "{refused}"
        );
        drop(server);
    }
}

/// A bytes literal in the store's SQL.
fn hex_literal(db: &str, bytes: &[u8]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    match is_postgres(db) {
        true => format!("'\\x{hex}'::bytea"),
        false => format!("X'{hex}'"),
    }
}

/// A hostile server in front of the real one: every answer passes through,
/// except that it lists a recipient of its own making in every
/// `/v1/keys/needed` answer and plants sealed keys of later epochs in the
/// first `/v1/keys/mine` answer each device token gets.
mod hostile {
    use axum::body::Bytes;
    use axum::extract::State;
    use axum::http::{HeaderMap, Method, StatusCode, Uri};
    use serde_json::Value;
    use std::collections::HashSet;
    use std::sync::{Arc, Mutex};

    pub struct Plan {
        pub upstream: String,
        /// Appended to every keys-needed answer (`KeyNeeded`s).
        pub needed: Vec<Value>,
        /// Appended to a token's first keys-mine answer (`MyKey`s, their
        /// ids set at or below the caller's cursor, so nothing real is
        /// skipped).
        pub keys: Vec<Value>,
        pub planted_for: Mutex<HashSet<String>>,
        pub http: reqwest::Client,
    }

    pub struct Proxy {
        pub url: String,
        _runtime: tokio::runtime::Runtime,
    }

    pub fn start(plan: Plan) -> Proxy {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new()
            .fallback(forward)
            .with_state(Arc::new(plan));
        runtime.spawn(async move { axum::serve(listener, app).await.unwrap() });
        Proxy {
            url,
            _runtime: runtime,
        }
    }

    async fn forward(
        State(plan): State<Arc<Plan>>,
        method: Method,
        uri: Uri,
        headers: HeaderMap,
        body: Bytes,
    ) -> (StatusCode, HeaderMap, Bytes) {
        let path = uri.path().to_owned();
        let target = format!(
            "{}{}",
            plan.upstream,
            uri.path_and_query().map_or("", |p| p.as_str())
        );
        let mut request = plan.http.request(method, target).body(body.clone());
        for name in [
            axum::http::header::AUTHORIZATION,
            axum::http::header::CONTENT_TYPE,
        ] {
            if let Some(v) = headers.get(&name) {
                request = request.header(name, v);
            }
        }
        let answer = request.send().await.unwrap();
        let status = StatusCode::from_u16(answer.status().as_u16()).unwrap();
        let mut out = HeaderMap::new();
        if let Some(v) = answer.headers().get("content-type") {
            out.insert(axum::http::header::CONTENT_TYPE, v.clone());
        }
        let bytes = answer.bytes().await.unwrap();
        if status != StatusCode::OK {
            return (status, out, bytes);
        }
        let mut json: Value = match serde_json::from_slice(&bytes) {
            Ok(json) => json,
            Err(_) => return (status, out, bytes),
        };
        match path.as_str() {
            "/v1/keys/needed" => {
                let list = json["needed"].as_array_mut().unwrap();
                list.extend(plan.needed.iter().cloned());
            }
            "/v1/keys/mine" => {
                let token = headers
                    .get(axum::http::header::AUTHORIZATION)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                if plan.planted_for.lock().unwrap().insert(token) {
                    let after = serde_json::from_slice::<Value>(&body).unwrap()["after"]
                        .as_i64()
                        .unwrap_or(0);
                    let list = json["keys"].as_array_mut().unwrap();
                    for (i, k) in plan.keys.iter().enumerate() {
                        let mut k = k.clone();
                        k["id"] = (after - i as i64).into();
                        list.push(k);
                    }
                }
            }
            _ => return (status, out, bytes),
        }
        (status, out, Bytes::from(serde_json::to_vec(&json).unwrap()))
    }
}

/// The malicious-server test: devices talk to the real server through a
/// hostile one that lists an uncertified recipient for every case and
/// plants an unsigned and a wrongly signed later-epoch key, while people who
/// may log in push a plain and a worker-signed organisation record aimed at
/// a case, and a member's signed rewrite of a note. Nothing is sealed to the
/// planted recipient; no device keeps a planted key, and later changes stay
/// under the case's real key; no forgery is applied; each is reported; and
/// everything genuine still syncs. Both server stores.
#[test]
fn a_hostile_server_gets_no_key_and_forges_nothing() {
    use base64::engine::general_purpose::STANDARD as B64;
    let dir = tempfile::tempdir().unwrap();
    for (n, db) in databases(&dir).into_iter().enumerate() {
        let root = dir.path().join(format!("run{n}"));
        std::fs::create_dir_all(&root).unwrap();
        let server = Server::start(&db, &root);
        org_with(
            &db,
            "North",
            &[
                ("amira", "worker", Some("outreach")),
                ("sam", "supervisor", Some("outreach")),
                ("dee", "worker", Some("diversion")),
                ("ada", "admin", None),
            ],
        );
        // The recipient the hostile server slips in: a well-formed key,
        // vouched for by an identity of its own that no admin certified.
        let stranger = waymark_crypto::IdentitySecret::generate();
        let planted = waymark_crypto::UserSecret::generate().public();
        let vouch = stranger.sign(&waymark_crypto::Statement::DeviceKey { key: &planted });
        // Planted case keys (their case filled in below): unsigned, and in a
        // confirmed colleague's name with a signature she never made.
        let plan = |case: &str, amiras_identity: &[u8]| hostile::Plan {
            upstream: server.url.clone(),
            needed: vec![json!({
                "log_id": case, "epoch": 1,
                "recipient_key": B64.encode(planted.0),
                "identity_key": B64.encode(stranger.public().0),
                "key_signature": B64.encode(vouch.0),
            })],
            keys: vec![
                json!({"id": 0, "log_id": case, "epoch": 2, "sealed": B64.encode([5u8; 90])}),
                json!({"id": 0, "log_id": case, "epoch": 3, "sealed": B64.encode([6u8; 90]),
                       "sender_identity": B64.encode(amiras_identity),
                       "signature": B64.encode([7u8; 64])}),
            ],
            planted_for: Default::default(),
            http: reqwest::Client::new(),
        };
        // Amira writes the case through the real server first (so it has
        // an id to aim at), then everyone goes through the hostile one.
        let amira = Device::confirmed(root.join("amira"), "amira", &server.url, "ada");
        let case = amira.ok(&[
            "person",
            "add",
            "--name",
            "Robin Example",
            "--calls-safe",
            "false",
        ]);
        let note = amira.ok(&["note", "add", &case, "--body", "Met at the van"]);
        amira.sync();
        let identity = amira.json(&["identity", "--json"])["public_key"]
            .as_str()
            .unwrap()
            .to_owned();
        let identity: Vec<u8> = (0..identity.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&identity[i..i + 2], 16).unwrap())
            .collect();
        let proxy = hostile::start(plan(&case, &identity));
        let sam = Device::confirmed(root.join("sam"), "sam", &proxy.url, "ada");
        amira.ok(&["login", "--server", &proxy.url]);

        // 1. The listed stranger gets nothing, on every sync.
        for _ in 0..2 {
            let report = amira.sync();
            assert!(
                report["recipients_refused"].as_i64().unwrap() >= 1,
                "{report}"
            );
        }
        let to_planted = format!(
            "SELECT count(*) FROM sealed_keys WHERE log_id = $1 AND recipient_key = {}",
            hex_literal(&db, &planted.0)
        );
        assert_eq!(server_value(&db, &to_planted, &case), 0, "never sealed to");
        let refused = amira.json(&["refused", "--json"])["recipients"].clone();
        assert!(
            refused
                .to_string()
                .contains("waiting for an admin to confirm"),
            "{refused}"
        );

        // 2. Sam gets the case's real key (sealed by amira) and the two
        // planted ones, which he holds aside unopened.
        let first = sam.sync();
        assert_eq!(first["keys_received"], 1, "{first}");
        assert_eq!(first["keys_refused"], 2, "{first}");
        let keys = sam.json(&["refused", "--json"])["keys"].clone();
        let reasons = keys.to_string();
        assert!(reasons.contains("unsigned sealed key"), "{keys}");
        assert!(reasons.contains("does not hold"), "{keys}");
        assert_eq!(sam.case(&case)["person"]["full_name"], "Robin Example");
        // His own note goes under the real key: amira reads it at once.
        sam.ok(&["note", "add", &case, "--body", "Supervision: plan agreed"]);
        sam.sync();
        let read = amira.sync();
        assert_eq!(read["awaiting_key"], 0, "{read}");
        assert_eq!(read["applied"]["refused"], 0, "{read}");
        assert!(amira.case(&case).to_string().contains("plan agreed"));

        // 3. Forgeries from people who may log in: a plain organisation
        // record (dee, another team), the same signed by amira (a worker),
        // and amira's signed rewrite of her own note.
        let case_id: Uuid = case.parse().unwrap();
        let forged = body(
            "person",
            case_id,
            None,
            now_ms(),
            json!({"op": "put", "base_version": 1, "prev": {},
                   "fields": {"safe_contact": {"calls_safe": true, "instructions": "call any time"}}}),
        );
        let (_, dee) = login(&server.url, "dee");
        let plain = serde_json::to_vec(&forged).unwrap();
        assert_eq!(
            push(
                &proxy.url,
                &dee,
                vec![envelope_of(ORG_LOG, &forged, &plain)]
            )
            .0,
            200
        );
        let as_worker = ChangeBody {
            change_id: Uuid::now_v7(),
            ..forged.clone()
        };
        let rewrite = body(
            "note",
            note.parse().unwrap(),
            Some(case_id),
            now_ms(),
            json!({"op": "put", "base_version": 1, "prev": {}, "fields": {"body": "She made it all up"}}),
        );
        let envelopes = {
            let s = amira.unlock_here();
            let key = s.case_key(case_id).unwrap().unwrap();
            assert_eq!(key.epoch, 1, "amira kept the real key");
            let signed = s.signed_change(case_id, &rewrite).unwrap();
            let sealed = waymark_crypto::encrypt_change(&key, case_id, rewrite.change_id, &signed);
            vec![
                envelope_of(
                    ORG_LOG,
                    &as_worker,
                    &s.signed_change(ORG_LOG, &as_worker).unwrap(),
                ),
                envelope_of(case_id, &rewrite, &sealed),
            ]
        };
        let (_, amira_token) = login(&server.url, "amira");
        assert_eq!(push(&proxy.url, &amira_token, envelopes).0, 200);
        amira.ok(&[
            "note",
            "add",
            &case,
            "--body",
            "Called back at the agreed time",
        ]);
        amira.sync();
        let report = sam.sync();
        assert_eq!(report["applied"]["refused"], 3, "{report}");
        let refused = sam.json(&["refused", "--json"])["changes"].clone();
        let reasons = refused.to_string();
        for why in [
            "unsigned",
            "not signed by an admin",
            "rewrites a saved note",
        ] {
            assert!(reasons.contains(why), "{why}: {refused}");
        }
        let after = sam.case(&case);
        assert_eq!(after["person"]["safe_contact"]["calls_safe"], false);
        assert!(!after.to_string().contains("made it all up"));
        assert!(after.to_string().contains("Called back at the agreed time"));
        // Nothing was ever sealed to the stranger, and sam's device is still
        // on the case's first key.
        assert_eq!(server_value(&db, &to_planted, &case), 0);
        drop(proxy);
        drop(server);
    }
}
