//! Test harness: a real `waymark-server` process over a SQLite file or a
//! fresh PostgreSQL database, its admin commands, and HTTP helpers.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use uuid::Uuid;

/// The server binary, beside the test binaries' directory: `cargo test`
/// builds it for the server's own tests and, with `--workspace`, for every
/// other crate's.
pub fn server_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("waymark-server");
    assert!(
        bin.exists(),
        "{} is missing: run `cargo test --workspace` (it builds the server too)",
        bin.display()
    );
    bin
}

/// The stores every server test runs against. PostgreSQL needs
/// WAYMARK_TEST_POSTGRES (an admin URL; scripts/test.sh starts a server and
/// sets it); with WAYMARK_REQUIRE_POSTGRES=1 its absence fails the test
/// instead of skipping that half.
pub fn databases(dir: &tempfile::TempDir) -> Vec<String> {
    let mut out = vec![dir.path().join("server.db").display().to_string()];
    match std::env::var("WAYMARK_TEST_POSTGRES") {
        Ok(admin) => out.push(fresh_postgres(&admin)),
        Err(_) => {
            assert!(
                std::env::var("WAYMARK_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "WAYMARK_REQUIRE_POSTGRES=1 but WAYMARK_TEST_POSTGRES is not set"
            );
            eprintln!("PostgreSQL not configured (WAYMARK_TEST_POSTGRES): SQLite only");
        }
    }
    out
}

/// Creates an empty database on the PostgreSQL server `admin` points at and
/// returns its URL.
pub fn fresh_postgres(admin: &str) -> String {
    let name = format!("waymark_test_{}", Uuid::new_v4().simple());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(admin, tokio_postgres::NoTls)
            .await
            .expect("connect to WAYMARK_TEST_POSTGRES");
        tokio::spawn(connection);
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create a test database");
    });
    let (base, _) = admin.rsplit_once('/').expect("a URL with a database");
    format!("{base}/{name}")
}

/// Debian's multi-threaded libfaketime (package `faketime`).
pub fn faketime_lib() -> PathBuf {
    std::fs::read_dir("/usr/lib")
        .unwrap()
        .flatten()
        .map(|d| d.path().join("faketime/libfaketimeMT.so.1"))
        .find(|p| p.exists())
        .expect("libfaketime is missing: apt-get install faketime")
}

/// A test certificate authority and a server certificate it signed for
/// localhost and 127.0.0.1 (openssl): (authority, certificate, key) paths.
pub fn test_certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let p = |name: &str| dir.join(name);
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Waymark test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "key.pem",
        "-out",
        "server.csr",
    ]);
    std::fs::write(
        p("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "cert.pem",
    ]);
    (p("ca.pem"), p("cert.pem"), p("key.pem"))
}

pub fn is_postgres(db: &str) -> bool {
    db.starts_with("postgres")
}

/// Runs an admin command; panics with its stderr if it fails.
pub fn admin(db: &str, args: &[&str]) -> String {
    let out = admin_output(db, args);
    assert!(
        out.status.success(),
        "admin {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

pub fn admin_output(db: &str, args: &[&str]) -> std::process::Output {
    Command::new(server_bin())
        .arg("--db")
        .arg(db)
        .arg("admin")
        .args(args)
        .output()
        .unwrap()
}

/// Adds a person (`admin add-user`); returns the enrolment code it printed.
pub fn add_user(db: &str, org: &str, name: &str, role: &str, team: Option<&str>) -> String {
    let mut args = vec!["add-user", "--org", org, "--name", name, "--role", role];
    if let Some(t) = team {
        args.extend(["--team", t]);
    }
    let out = Command::new(server_bin())
        .args(["--db", db, "--json", "admin"])
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "admin {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let done: Value = serde_json::from_slice(&out.stdout).unwrap();
    done["enrolment_code"].as_str().unwrap().to_owned()
}

/// The login key of `passphrase` for `user`, salted as the server says
/// (`new`: the salt for a passphrase chosen now).
pub fn auth_key(url: &str, user: &str, passphrase: &str, new: bool) -> String {
    use base64::Engine;
    let (status, salts) = post(
        &format!("{url}/v1/login-salt"),
        None,
        &json!({ "user": user }),
    );
    assert_eq!(status, 200, "login-salt {user}: {salts}");
    let salt = base64::engine::general_purpose::STANDARD
        .decode(
            salts[if new { "new_salt" } else { "salt" }]
                .as_str()
                .unwrap(),
        )
        .unwrap();
    let key = waymark_protocol::auth::derive_auth_key(&salt, passphrase.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(key.as_slice())
}

/// `POST /v1/join`: sets a person's first passphrase with their code, as
/// their first device does; returns status and body.
pub fn join(url: &str, user: &str, code: &str, passphrase: &str) -> (u16, Value) {
    post(
        &format!("{url}/v1/join"),
        None,
        &json!({
            "user": user,
            "enrolment_code": code,
            "auth_key": auth_key(url, user, passphrase, true),
        }),
    )
}

pub struct Server {
    pub child: Child,
    pub url: String,
    pub db: String,
    pub log: PathBuf,
    /// `/metrics`, when served on an address of its own.
    pub metrics_url: Option<String>,
}

impl Server {
    /// Starts `waymark-server serve` on a free loopback port.
    pub fn start(db: &str, log_dir: &std::path::Path) -> Server {
        Self::start_on(db, log_dir, "127.0.0.1:0")
    }

    pub fn start_on(db: &str, log_dir: &std::path::Path, listen: &str) -> Server {
        Self::start_with_clock(db, log_dir, listen, None)
    }

    /// Starts the server, under `faketime` when `clock` shifts its wall
    /// clock (e.g. "+10m": the same server, later).
    pub fn start_with_clock(
        db: &str,
        log_dir: &std::path::Path,
        listen: &str,
        clock: Option<&str>,
    ) -> Server {
        Self::start_with(db, log_dir, listen, clock, &[])
    }

    /// Serves HTTPS with a PEM certificate chain and key.
    pub fn start_tls(db: &str, log_dir: &std::path::Path, cert: &Path, key: &Path) -> Server {
        let (cert, key) = (cert.display().to_string(), key.display().to_string());
        Self::start_with(
            db,
            log_dir,
            "127.0.0.1:0",
            None,
            &["--tls-cert", &cert, "--tls-key", &key],
        )
    }

    /// Starts the server with more `serve` options (e.g. `--trusted-proxy`).
    pub fn start_with_options(db: &str, log_dir: &std::path::Path, options: &[&str]) -> Server {
        Self::start_with(db, log_dir, "127.0.0.1:0", None, options)
    }

    fn start_with(
        db: &str,
        log_dir: &std::path::Path,
        listen: &str,
        clock: Option<&str>,
        extra: &[&str],
    ) -> Server {
        let log = log_dir.join(format!("server-{}.log", Uuid::new_v4().simple()));
        let mut command = Command::new(server_bin());
        if let Some(offset) = clock {
            // libfaketime preloaded into the server itself (not the
            // `faketime` wrapper, whose child would outlive a kill).
            command
                .env("LD_PRELOAD", faketime_lib())
                .env("FAKETIME", offset)
                .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        }
        let mut child = command
            .args(["--db", db, "serve", "--listen", listen])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        let mut metrics_url = None;
        if extra.contains(&"--metrics-listen") {
            let mut second = String::new();
            stdout.read_line(&mut second).unwrap();
            metrics_url = second.trim().strip_prefix("metrics on ").map(str::to_owned);
        }
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| {
                panic!(
                    "server did not start: {line:?} {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            })
            .to_owned();
        Server {
            child,
            url,
            db: db.to_owned(),
            log,
            metrics_url,
        }
    }

    /// The address it listens on, to restart on the same one.
    pub fn addr(&self) -> String {
        self.url.trim_start_matches("http://").to_owned()
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An organisation with the given people (name, role, team), each joined
/// with the passphrase "<name> passphrase": their enrolment codes are used
/// through a server started for the purpose, as their first devices would.
pub fn org_with(db: &str, org: &str, people: &[(&str, &str, Option<&str>)]) {
    admin(db, &["create-org", "--name", org]);
    let mut teams: Vec<&str> = people.iter().filter_map(|p| p.2).collect();
    teams.sort();
    teams.dedup();
    for t in teams {
        admin(db, &["add-team", "--org", org, "--name", t]);
    }
    let codes: Vec<(&str, String)> = people
        .iter()
        .map(|(name, role, team)| (*name, add_user(db, org, name, role, *team)))
        .collect();
    let logs = tempfile::tempdir().unwrap();
    let server = Server::start(db, logs.path());
    for (name, code) in codes {
        let (status, body) = join(&server.url, name, &code, &format!("{name} passphrase"));
        assert_eq!(status, 200, "join {name}: {body}");
    }
}

pub fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

/// POSTs JSON; returns status and parsed body.
pub fn post(url: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
    post_raw(url, token, serde_json::to_vec(body).unwrap())
}

pub fn post_raw(url: &str, token: Option<&str>, body: Vec<u8>) -> (u16, Value) {
    let mut req = http()
        .post(url)
        .header("content-type", "application/json")
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

pub fn login_request(url: &str, user: &str, passphrase: &str, device: Uuid) -> Value {
    json!({
        "user": user,
        "auth_key": auth_key(url, user, passphrase, false),
        "device_id": device,
        "device_label": "test laptop",
    })
}

/// Logs `user` in from a new device; returns (device id, token).
pub fn login(url: &str, user: &str) -> (Uuid, String) {
    let device = Uuid::new_v4();
    let (status, body) = post(
        &format!("{url}/v1/login"),
        None,
        &login_request(url, user, &format!("{user} passphrase"), device),
    );
    assert_eq!(status, 200, "login {user}: {body}");
    (device, body["token"].as_str().unwrap().to_owned())
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// An envelope with an opaque body.
pub fn envelope(log: Uuid, body: &[u8]) -> Value {
    use base64::Engine;
    json!({
        "change_id": Uuid::now_v7(),
        "log_id": log,
        "clock_ms": now_ms(),
        "body": base64::engine::general_purpose::STANDARD.encode(body),
    })
}

pub fn push(url: &str, token: &str, changes: Vec<Value>) -> (u16, Value) {
    post(
        &format!("{url}/v1/push"),
        Some(token),
        &json!({ "changes": changes }),
    )
}

/// A reader's place in each log: (seq, tip), as a device keeps it.
#[derive(Default)]
pub struct Cursors(pub std::collections::BTreeMap<Uuid, (i64, String)>);

impl Cursors {
    pub fn json(&self) -> Vec<Value> {
        self.0
            .iter()
            .map(|(l, (after, tip))| json!({"log_id": l, "after": after, "tip": tip}))
            .collect()
    }

    /// Moves past one pulled change, checking it continues the log.
    pub fn advance(&mut self, log: Uuid, change: &Value) -> i64 {
        let (after, tip) = self
            .0
            .entry(log)
            .or_insert_with(|| (0, waymark_protocol::GENESIS_TIP.to_owned()));
        let seq = change["seq"].as_i64().unwrap();
        assert_eq!(seq, *after + 1, "log {log}: a gap after {after}");
        let id: Uuid = change["change_id"].as_str().unwrap().parse().unwrap();
        *after = seq;
        *tip = waymark_protocol::next_tip(tip, id);
        seq
    }

    pub fn tip(&self, log: Uuid) -> String {
        self.0[&log].1.clone()
    }
}

/// Pulls everything the caller may read from scratch: log id -> seqs.
pub fn pull_all(url: &str, token: &str) -> std::collections::BTreeMap<Uuid, Vec<i64>> {
    pull_all_with(url, token, &mut Cursors::default())
}

/// Pulls from the given cursors until nothing remains; checks every log page
/// ends at a tip matching the server's when it reaches the head.
pub fn pull_all_with(
    url: &str,
    token: &str,
    cursors: &mut Cursors,
) -> std::collections::BTreeMap<Uuid, Vec<i64>> {
    let mut seen: std::collections::BTreeMap<Uuid, Vec<i64>> = Default::default();
    loop {
        let (status, body) = post(
            &format!("{url}/v1/pull"),
            Some(token),
            &json!({"cursors": cursors.json(), "limit": 1000}),
        );
        assert_eq!(status, 200, "pull: {body}");
        for log in body["logs"].as_array().unwrap() {
            let id: Uuid = log["log_id"].as_str().unwrap().parse().unwrap();
            assert_eq!(log["reset"], false, "unexpected reset of {id}");
            let entry = seen.entry(id).or_default();
            for c in log["changes"].as_array().unwrap() {
                entry.push(cursors.advance(id, c));
            }
            if cursors.0[&id].0 == log["head"].as_i64().unwrap() {
                assert_eq!(cursors.tip(id), log["tip"].as_str().unwrap(), "tip of {id}");
            }
        }
        if body["remaining"].as_u64().unwrap() == 0 {
            return seen;
        }
    }
}

/// A client of the PostgreSQL store `db`, with the runtime that drives it.
fn postgres(db: &str) -> (tokio::runtime::Runtime, tokio_postgres::Client) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = runtime.block_on(async {
        let (client, conn) = tokio_postgres::connect(db, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
    });
    (runtime, client)
}

/// One number from the server store about a case (both stores); `sql` has
/// one parameter, the case id, written `$1`.
pub fn server_value(db: &str, sql: &str, case: &str) -> i64 {
    if is_postgres(db) {
        let (runtime, client) = postgres(db);
        let case: uuid::Uuid = case.parse().unwrap();
        let row = runtime.block_on(client.query_one(sql, &[&case])).unwrap();
        row.try_get::<_, i64>(0)
            .unwrap_or_else(|_| row.get::<_, i32>(0) as i64)
    } else {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.query_row(&sql.replace("$1", "?1"), [case], |r| r.get(0))
            .unwrap()
    }
}

/// An organisation's id, from the server's store (both stores).
pub fn org_id(db: &str, name: &str) -> Uuid {
    if is_postgres(db) {
        let (runtime, client) = postgres(db);
        runtime
            .block_on(client.query_one("SELECT id FROM orgs WHERE name = $1", &[&name]))
            .unwrap()
            .get(0)
    } else {
        let conn = rusqlite::Connection::open(db).unwrap();
        let id: String = conn
            .query_row("SELECT id FROM orgs WHERE name = ?1", [name], |r| r.get(0))
            .unwrap();
        id.parse().unwrap()
    }
}

/// Registers an organisation's recovery public key straight in the store
/// (what an admin's device does through the API, signed).
pub fn set_recovery_key(db: &str, org: &str, key: &[u8; 32]) {
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let value = match is_postgres(db) {
        true => format!("decode('{hex}', 'hex')"),
        false => format!("X'{hex}'"),
    };
    server_exec(
        db,
        &format!("UPDATE orgs SET recovery_key = {value} WHERE name = '{org}'"),
    );
}

/// One bytes value the server's store holds for a case (`$1`), both stores.
pub fn server_bytes(db: &str, sql: &str, case: &str) -> Vec<u8> {
    if is_postgres(db) {
        let (runtime, client) = postgres(db);
        let case: uuid::Uuid = case.parse().unwrap();
        runtime
            .block_on(client.query_one(sql, &[&case]))
            .unwrap()
            .get(0)
    } else {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.query_row(&sql.replace("$1", "?1"), [case], |r| r.get(0))
            .unwrap()
    }
}

/// Runs a statement on the server's store directly, as whoever controls
/// the server can (a hostile operator, an intruder).
pub fn server_exec(db: &str, sql: &str) {
    if is_postgres(db) {
        let (runtime, client) = postgres(db);
        runtime.block_on(client.batch_execute(sql)).unwrap();
    } else {
        rusqlite::Connection::open(db)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
    }
}
