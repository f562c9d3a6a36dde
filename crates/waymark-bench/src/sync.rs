//! Sync benchmarks, printing figures (`--json` for machines). A
//! real `waymark-server` process on loopback; this process is the client
//! and the load generator. Budgets: a fresh device pulls and applies >=
//! 35,000 changes/s, within 5x of plain SQLite inserting the same rows, a
//! 40-case caseload of 20,000 changes in < 3 s, and a supervisor's 2,000
//! cases of 1,000,000 changes in < 60 s under 500 MiB (a `waymark`
//! process), and the person's commands during the same first sync run as
//! the app runs it (in process, beside it) with p95 < 100 ms; one day's work
//! (200 changes) syncs in < 300 ms each way; the server alone: push >=
//! 25,000 changes/s and pull >= 40,000 changes/s over 100,000 changes;
//! 1,000 incremental syncs/s with nothing new, p99 < 50 ms. Beside it, the
//! peer: PouchDB replicating the same number of documents over HTTP
//! (`pouchdb/peer.js`, installed by `scripts/pouchdb.sh`), alternated with
//! the device rounds; pull + apply >= 10x PouchDB's pull.

use base64::Engine;
use clap::Parser;
use serde::Serialize;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use uuid::Uuid;
use waymark_core::demo::DemoOptions;
use waymark_core::sync::ApplyStages;
use waymark_core::{Passphrase, Session};

#[derive(Parser)]
#[command(about = "Waymark sync benchmarks")]
struct Args {
    /// Changes pushed and pulled for the throughput figures
    #[arg(long, default_value_t = 100_000)]
    changes: usize,
    /// The fresh device's caseload: cases and changes
    #[arg(long, default_value_t = 40)]
    fresh_cases: u64,
    #[arg(long, default_value_t = 20_000)]
    fresh_changes: u64,
    /// The supervisor's caseload: cases and changes (0 cases: skip)
    #[arg(long, default_value_t = 2_000)]
    big_cases: u64,
    #[arg(long, default_value_t = 1_000_000)]
    big_changes: u64,
    /// Incremental syncs per second to offer, and for how long
    #[arg(long, default_value_t = 1_000)]
    idle_rate: u64,
    #[arg(long, default_value_t = 10)]
    idle_seconds: u64,
    /// Clients guessing passphrases at once while syncs are timed (0: skip)
    #[arg(long, default_value_t = 200)]
    guessers: usize,
    /// Rounds of the encrypted/unencrypted device comparison, alternated;
    /// the medians are compared, each with its spread (one round's verdict
    /// flips with the machine's other work)
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    rounds: u32,
    /// The server's store: a SQLite file (default: a temp file) or a
    /// postgres:// URL of an empty database
    #[arg(long)]
    db: Option<String>,
    #[arg(long)]
    json: bool,
}

const PASS: &str = "benchmark passphrase";

fn sibling(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().join(name);
    assert!(
        bin.exists(),
        "{} is missing: cargo build --release -p waymark-server -p waymark-cli",
        bin.display()
    );
    bin
}

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn admin(db: &str, args: &[&str]) -> Value {
    let out = Command::new(sibling("waymark-server"))
        .args(["--db", db, "--json", "admin"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Adds a person; returns their one-time enrolment code.
fn add_user(db: &str, name: &str, role: &str, team: &str) -> String {
    let done = admin(
        db,
        &[
            "add-user", "--org", "Bench", "--name", name, "--role", role, "--team", team,
        ],
    );
    done["enrolment_code"].as_str().unwrap().to_owned()
}

fn start_server(db: &str) -> Server {
    let mut child = Command::new(sibling("waymark-server"))
        // The login flood comes "from" many addresses through a proxy here.
        .args([
            "--db",
            db,
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--trusted-proxy",
            "127.0.0.1",
        ])
        .env("WAYMARK_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    Server { child, url }
}

#[derive(Clone, Serialize)]
struct Throughput {
    changes: u64,
    seconds: f64,
    per_second: f64,
    /// Of several rounds (`median`): the slowest and fastest rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    spread: Option<[f64; 2]>,
}

fn rate(changes: u64, elapsed: Duration) -> Throughput {
    Throughput {
        changes,
        seconds: elapsed.as_secs_f64(),
        per_second: changes as f64 / elapsed.as_secs_f64(),
        spread: None,
    }
}

/// One day's work: the writer's sync and the reader's, end to end.
#[derive(Serialize)]
struct DaysWork {
    cases: usize,
    changes: u64,
    push_ms: f64,
    pull_ms: f64,
}

#[derive(Serialize)]
struct FreshPull {
    cases: u64,
    changes: u64,
    seconds: f64,
    max_rss_mib: Option<f64>,
    /// Where the syncing device says the time went.
    stages: ApplyStages,
    /// The syncing process's processor time, user and system, where it is
    /// a process of its own (steadier than wall time on a shared machine).
    cpu_s: Option<f64>,
    /// The person's own commands on the same store while it synced.
    beside: Option<Beside>,
}

/// Commands a person issues while their first sync runs in the same
/// process, on their own connection to the store (as the app's commands run
/// beside its sync): the caseload, a search, the agenda, a case's timeline
/// (an audited view, so a write), each answered while the sync writes.
#[derive(Serialize)]
struct Beside {
    /// That first sync's wall time (commands running beside it).
    sync_seconds: f64,
    commands: usize,
    /// Commands that failed, each kind once: none should.
    failed: Vec<String>,
    p50_ms: f64,
    p95_ms: f64,
    max_ms: f64,
    /// Each command's own p95 (the reads, and the audited view that
    /// writes): where the waiting is.
    p95_by_command: Vec<(String, f64)>,
    /// The same commands once the sync is over: what each costs alone.
    p95_alone_by_command: Vec<(String, f64)>,
}

/// The `q` quantile of sorted `values`.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// Issues commands on the store every 50 ms until `done`; then as many
/// again with the sync over, for what each costs on its own.
fn commands_beside(mut s: Session, done: &std::sync::atomic::AtomicBool) -> Beside {
    use std::sync::atomic::Ordering;
    let mut beside = time_commands(&mut s, |_| !done.load(Ordering::Relaxed));
    let alone = time_commands(&mut s, |i| i < beside.commands.max(40));
    beside.p95_alone_by_command = alone.p95_by_command;
    beside
}

/// The caseload, a search, the agenda and a case's timeline in turn, every
/// 50 ms while `more(commands so far)`.
fn time_commands(s: &mut Session, more: impl Fn(usize) -> bool) -> Beside {
    let mut latencies = Vec::new();
    let mut failed = Vec::new();
    let mut by_command: [Vec<f64>; 4] = Default::default();
    let mut case = None;
    let mut i = 0usize;
    while more(i) {
        let t = Instant::now();
        let answered = match i % 4 {
            0 => s.caseload(&Default::default()).map(|cases| {
                case = case.or(cases.first().map(|c| c.case_id));
            }),
            1 => s.search("housing", 20).map(drop),
            2 => {
                let now = chrono::Utc::now();
                s.agenda(now, now + chrono::Duration::days(7)).map(drop)
            }
            _ => match case {
                Some(c) => s.timeline(c).map(drop),
                None => s.caseload(&Default::default()).map(drop),
            },
        };
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        latencies.push(ms);
        by_command[i % 4].push(ms);
        if let Err(e) = answered {
            failed.push(format!("command {}: {e}", i % 4));
        }
        i += 1;
        std::thread::sleep(Duration::from_millis(50));
    }
    latencies.sort_by(f64::total_cmp);
    failed.dedup();
    let names = ["caseload", "search", "agenda", "timeline (audited)"];
    let p95_by_command = names
        .iter()
        .zip(&mut by_command)
        .filter(|(_, l)| !l.is_empty())
        .map(|(name, l)| {
            l.sort_by(f64::total_cmp);
            (name.to_string(), quantile(l, 0.95))
        })
        .collect();
    Beside {
        sync_seconds: 0.0,
        p95_alone_by_command: Vec::new(),
        failed,
        commands: latencies.len(),
        p50_ms: quantile(&latencies, 0.5),
        p95_ms: quantile(&latencies, 0.95),
        max_ms: *latencies.last().unwrap(),
        p95_by_command,
    }
}

/// Ordinary syncs while clients guess passphrases at once.
#[derive(Serialize)]
struct UnderFlood {
    guessers: usize,
    guesses_answered: u64,
    refused_busy_or_limited: u64,
    syncs: usize,
    sync_errors: usize,
    p50_ms: f64,
    p99_ms: f64,
    server_peak_mib: Option<f64>,
}

#[derive(Serialize)]
struct Idle {
    offered_per_second: u64,
    achieved_per_second: f64,
    requests: usize,
    errors: usize,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

#[derive(Serialize)]
struct Report {
    store: String,
    push_raw: Throughput,
    pull_raw: Throughput,
    device_push: Throughput,
    fresh_device: FreshPull,
    /// The fresh device's rows inserted into plain SQLite (`plain_insert_of_same_rows`),
    /// and how many times longer the fresh device's pull + apply took.
    plain_insert: Throughput,
    pull_vs_plain: f64,
    days_work: DaysWork,
    device_pull_apply: Throughput,
    /// The same device figures with end-to-end encryption and signatures
    /// off (same run): encrypted (unsigned) must stay within 10%.
    plain_device_push: Throughput,
    plain_device_pull_apply: Throughput,
    /// Encrypted but unsigned (same run): signed must stay within 10%.
    unsigned_device_push: Throughput,
    unsigned_device_pull_apply: Throughput,
    /// The pushing worker's caseload written through the write path, where
    /// each change is signed (shown, no budget: a person writes one at a
    /// time).
    device_write: Throughput,
    plain_device_write: Throughput,
    unsigned_device_write: Throughput,
    /// Rounds of each, in turn; the figures above are each one's best.
    rounds: u32,
    /// PouchDB in the same run, alternated with the device rounds.
    peer: Peer,
    supervisor_push: Option<Throughput>,
    supervisor_fresh: Option<FreshPull>,
    idle_syncs: Idle,
    under_flood: Option<UnderFlood>,
    budgets_met: Vec<(String, bool)>,
}

async fn post(http: &reqwest::Client, url: &str, token: Option<&str>, body: &Value) -> Value {
    let mut req = http.post(url).json(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let v: Value = resp.json().await.unwrap();
    assert!(status.is_success(), "{url}: {v}");
    v
}

async fn raw_login(http: &reqwest::Client, url: &str, user: &str) -> String {
    let salts = post(
        http,
        &format!("{url}/v1/login-salt"),
        None,
        &json!({ "user": user }),
    )
    .await;
    let salt = base64::engine::general_purpose::STANDARD
        .decode(salts["salt"].as_str().unwrap())
        .unwrap();
    let key = waymark_protocol::auth::derive_auth_key(&salt, PASS.as_bytes());
    let v = post(
        http,
        &format!("{url}/v1/login"),
        None,
        &json!({
            "user": user,
            "auth_key": base64::engine::general_purpose::STANDARD.encode(key.as_slice()),
            "device_id": Uuid::new_v4(),
            "device_label": "bench",
        }),
    )
    .await;
    v["token"].as_str().unwrap().to_owned()
}

/// How a comparison round syncs: `Plain` (no encryption, no signatures) is
/// the baseline of encryption's cost, `Unsigned` (encrypted, unsigned) that
/// of signatures' cost, `Shipped` what the app does.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Plain,
    Unsigned,
    Shipped,
}

/// The comparison's rounds in order, each with its user-name prefix: the
/// three modes in turn, `rounds` times; the first shipped round is the
/// outreach team's (no prefix).
fn round_prefixes(rounds: u32) -> Vec<(Mode, String)> {
    (0..rounds)
        .flat_map(|i| {
            let shipped = if i == 0 {
                String::new()
            } else {
                format!("enc{i}-")
            };
            [
                (Mode::Plain, format!("plain{i}-")),
                (Mode::Unsigned, format!("unsigned{i}-")),
                (Mode::Shipped, shipped),
            ]
        })
        .collect()
}

/// The median of some rounds' rates (the lower middle of an even number),
/// with the slowest and fastest round's rate.
fn median_of(rounds: &[Throughput]) -> Throughput {
    let mut of: Vec<&Throughput> = rounds.iter().collect();
    of.sort_by(|a, b| a.per_second.total_cmp(&b.per_second));
    let mut middle = of[(of.len() - 1) / 2].clone();
    middle.spread = Some([of[0].per_second, of[of.len() - 1].per_second]);
    middle
}

/// The median write, push and pull + apply of some rounds.
fn median(rounds: &[[Throughput; 3]]) -> [Throughput; 3] {
    std::array::from_fn(|i| median_of(&rounds.iter().map(|r| r[i].clone()).collect::<Vec<_>>()))
}

/// The peer beside the device rounds: PouchDB (LevelDB on both sides,
/// express-pouchdb serving in a process of its own, default replication)
/// pushing `docs` note-like documents to its server and a fresh database
/// pulling them, one round. `Err` says why it did not run.
fn pouchdb_round(docs: u64) -> Result<[Throughput; 2], String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("pouchdb");
    if !dir.join("node_modules/pouchdb-node").exists() {
        return Err("not installed (bash scripts/pouchdb.sh)".into());
    }
    let out = Command::new("node")
        .arg(dir.join("peer.js"))
        .args([docs.to_string(), "1".into()])
        .output()
        .map_err(|e| format!("node did not start: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    let figures: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    let one = |key: &str| {
        let per_second = figures[key][0]
            .as_f64()
            .ok_or(format!("no {key} in {figures}"))?;
        Ok::<_, String>(rate(
            docs,
            Duration::from_secs_f64(docs as f64 / per_second),
        ))
    };
    Ok([one("push_per_s")?, one("pull_per_s")?])
}

/// PouchDB's figures beside the device's, or why there are none.
#[derive(Serialize)]
struct Peer {
    name: &'static str,
    push: Option<Throughput>,
    pull: Option<Throughput>,
    not_run: Option<String>,
}

fn demo_store(dir: &Path, user: &str, cases: u64, changes: u64) -> Session {
    demo_store_timed(dir, user, cases, changes).0
}

/// As `demo_store`, with how long writing the data took.
fn demo_store_timed(dir: &Path, user: &str, cases: u64, changes: u64) -> (Session, Duration) {
    let mut s = Session::create(dir, user, &Passphrase::new(PASS)).unwrap();
    // Each case writes about 5 changes besides its notes.
    let notes_per_case = (changes / cases.max(1)).saturating_sub(5).max(1);
    let t = Instant::now();
    s.demo_data(
        &DemoOptions {
            cases,
            notes_per_case,
            seed: 7,
            keyworker: user.into(),
            groups: false,
        },
        &mut |_, _| {},
    )
    .unwrap();
    (s, t.elapsed())
}

/// The processor time (user and system) of every child process waited for.
fn cpu_of_children_s() -> f64 {
    use nix::sys::resource::{getrusage, UsageWho};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).expect("getrusage");
    let seconds = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    seconds(usage.user_time()) + seconds(usage.system_time())
}

fn cli(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(sibling("waymark"))
        .arg("--store")
        .arg(dir)
        .args(args)
        .env("WAYMARK_PASSPHRASE", PASS)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A supervisor's new device, as a separate `waymark` process: its store,
/// and its enrolment (which registers the key case keys are sealed to).
fn cli_enrol(dir: &Path, url: &str, user: &str) {
    cli(dir, &["init", "--user", user]);
    cli(dir, &["login", "--server", url]);
}

/// The bench's admin confirms a person by the phrase their device shows
/// (colleagues' devices seal case keys only to confirmed people).
async fn confirm(client: &waymark_sync::Client, admin: &mut Session, user: &str, phrase: &str) {
    client.confirm(admin, user, phrase, false).await.unwrap();
}

fn cli_phrase(dir: &Path) -> String {
    let out = cli(dir, &["identity", "--json"]);
    let identity: Value = serde_json::from_slice(&out.stdout).unwrap();
    identity["fingerprint_phrase"].as_str().unwrap().to_owned()
}

/// Sets its flag when dropped.
struct StopOnDrop<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The supervisor's second new laptop synced as the app syncs: on a
/// session beside the person's (`Session::beside`), in the same process,
/// while the person's commands run on theirs (the sync writes in turns and
/// gives way between them to a command waiting to write). Returns the sync's wall time and changes
/// pulled, and the commands' latencies.
fn app_sync_with_commands(dir: &Path, user: &str) -> (f64, u64, Beside) {
    // Unlocking derives the key from the passphrase: done before the sync
    // starts, as a person's app is open before they sync.
    let session = Session::unlock(dir, Some(user), &Passphrase::new(PASS)).unwrap();
    let mut syncing = session.beside().unwrap();
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        let commands = s.spawn(|| commands_beside(session, &done));
        let synced = s.spawn(|| {
            // The commands stop when the sync ends, even by a panic (else
            // the scope would wait for them for ever).
            let _stop = StopOnDrop(&done);
            let t = Instant::now();
            let client = waymark_sync::BlockingClient::for_session(&syncing).unwrap();
            let report = client
                .sync(&mut syncing, &mut |_| {})
                .map_err(|stopped| stopped.error)
                .unwrap();
            (t.elapsed().as_secs_f64(), report.pulled)
        });
        let (seconds, pulled) = synced.join().unwrap();
        (seconds, pulled, commands.join().unwrap())
    })
}

fn cli_sync_measured(dir: &Path) -> (f64, Option<f64>, u64, ApplyStages, f64) {
    let cpu_before = cpu_of_children_s();
    let t = Instant::now();
    let child = Command::new(sibling("waymark"))
        .arg("--store")
        .arg(dir)
        .args(["sync", "--json"])
        .env("WAYMARK_PASSPHRASE", PASS)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The syncing process's own peak resident memory (not that of every
    // child this bench ran): its high-water mark, read until it exits.
    let status_file = format!("/proc/{}/status", child.id());
    let done = std::sync::atomic::AtomicBool::new(false);
    let (out, peak_kib) = std::thread::scope(|s| {
        let watcher = s.spawn(|| {
            let mut peak = None;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let hwm = std::fs::read_to_string(&status_file)
                    .ok()
                    .and_then(|status| {
                        status
                            .lines()
                            .find_map(|l| l.strip_prefix("VmHWM:"))
                            .and_then(|v| {
                                v.trim().trim_end_matches("kB").trim().parse::<u64>().ok()
                            })
                    });
                if hwm.is_some() {
                    peak = hwm.max(peak);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        });
        let out = child.wait_with_output().unwrap();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        (out, watcher.join().unwrap())
    });
    let seconds = t.elapsed().as_secs_f64();
    let cpu_s = cpu_of_children_s() - cpu_before;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["awaiting_key"], 0,
        "every case key arrived: {report}"
    );
    (
        seconds,
        peak_kib.map(|kib| kib as f64 / 1024.0),
        report["pulled"].as_u64().unwrap(),
        serde_json::from_value(report["applied"]["stages"].clone()).unwrap(),
        cpu_s,
    )
}

/// The floor pull + apply is compared with: the rows the fresh device ended
/// up with (every record table, the same columns and indexes), inserted
/// into a plain SQLite file (no encryption, no search index, nothing
/// checked) in one transaction, with the device's durability.
fn plain_insert_of_same_rows(fresh: &Session, dir: &Path) -> Throughput {
    let from = fresh.connection();
    let tables: Vec<(String, String)> = from
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%clocks%'
             AND name NOT LIKE '%fts%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut rows: Vec<(String, Vec<Vec<rusqlite::types::Value>>)> = Vec::new();
    for (table, _) in &tables {
        let mut stmt = from.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let width = stmt.column_count();
        let read: Vec<Vec<rusqlite::types::Value>> = stmt
            .query_map([], |r| (0..width).map(|i| r.get(i)).collect())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.push((table.clone(), read));
    }
    let indexes: Vec<String> = from
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut plain = rusqlite::Connection::open(dir.join("plain-floor.db")).unwrap();
    plain
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY;
             PRAGMA foreign_keys = OFF;",
        )
        .unwrap();
    for (_, sql) in &tables {
        plain.execute_batch(sql).unwrap();
    }
    for sql in &indexes {
        // Indexes of the record tables only (others name tables not made here).
        let _ = plain.execute_batch(sql);
    }
    let count: usize = rows.iter().map(|(_, r)| r.len()).sum();
    let t = Instant::now();
    let tx = plain.transaction().unwrap();
    for (table, table_rows) in &rows {
        let Some(width) = table_rows.first().map(Vec::len) else {
            continue;
        };
        let marks = vec!["?"; width].join(", ");
        let mut insert = tx
            .prepare(&format!("INSERT INTO {table} VALUES ({marks})"))
            .unwrap();
        for row in table_rows {
            insert.execute(rusqlite::params_from_iter(row)).unwrap();
        }
    }
    tx.commit().unwrap();
    rate(count as u64, t.elapsed())
}

struct DeviceRound {
    /// The worker's caseload written through the write path (where each
    /// change is signed).
    write: Throughput,
    push: Throughput,
    fresh: FreshPull,
    pull_apply: Throughput,
    fresh_store: Session,
    worker: Session,
}

/// One worker's caseload pushed, then pulled and applied by a supervisor's
/// fresh device (enrolled before the push, so it gets the keys).
async fn device_round(
    client: &waymark_sync::Client,
    admin: &mut Session,
    tmp: &Path,
    prefix: &str,
    args: &Args,
) -> DeviceRound {
    let (worker_name, super_name) = (format!("{prefix}worker"), format!("{prefix}super"));
    let (mut worker, writing) = demo_store_timed(
        &tmp.join(&worker_name),
        &worker_name,
        args.fresh_cases,
        args.fresh_changes,
    );
    let changes = worker.pending_changes().unwrap() as u64;
    let write = rate(changes, writing);
    client
        .login(&mut worker, &worker_name, &Passphrase::new(PASS), "bench")
        .await
        .unwrap();
    let mut fresh = Session::create(
        &tmp.join(format!("{super_name}-fresh")),
        &super_name,
        &Passphrase::new(PASS),
    )
    .unwrap();
    client
        .login(&mut fresh, &super_name, &Passphrase::new(PASS), "bench")
        .await
        .unwrap();
    for s in [&worker, &fresh] {
        let phrase = s.identity().unwrap().fingerprint_phrase;
        confirm(client, admin, &s.user().name, &phrase).await;
    }
    let t = Instant::now();
    let pushed = client.sync(&mut worker, &mut |_| {}).await.unwrap();
    let push = rate(pushed.pushed, t.elapsed());
    assert_eq!(pushed.pushed, changes);
    let t = Instant::now();
    let report = client.sync(&mut fresh, &mut |_| {}).await.unwrap();
    let seconds = t.elapsed();
    assert_eq!(report.awaiting_key, 0, "every case key arrived");
    assert_eq!(report.applied.refused, 0);
    DeviceRound {
        write,
        push,
        fresh: FreshPull {
            cases: args.fresh_cases,
            changes: report.pulled,
            seconds: seconds.as_secs_f64(),
            max_rss_mib: None,
            stages: report.applied.stages.clone(),
            cpu_s: None,
            beside: None,
        },
        pull_apply: rate(report.pulled, seconds),
        fresh_store: fresh,
        worker,
    }
}

/// One day's work arriving: a worker writes `notes` notes across `cases`
/// of their cases and syncs; the supervisor's device, already up to date,
/// syncs. Each sync's wall time, end to end (trust, keys, push, pull,
/// apply, tidy).
async fn days_work(
    client: &waymark_sync::Client,
    worker: &mut Session,
    supervisor: &mut Session,
    cases: usize,
    notes: usize,
) -> DaysWork {
    use waymark_core::model::inputs::NewNote;
    use waymark_core::model::vocab::ContactType;
    let case_ids: Vec<Uuid> = worker
        .caseload(&Default::default())
        .unwrap()
        .iter()
        .take(cases)
        .map(|c| c.case_id)
        .collect();
    for i in 0..notes {
        worker
            .add_note(NewNote {
                case_id: case_ids[i % case_ids.len()],
                body: format!(
                    "Day's work note {i}: met at the drop-in, went over the tenancy papers."
                ),
                contact_type: ContactType::FaceToFace,
                occurred_at: None,
                duration_minutes: Some(20),
                location: None,
            })
            .unwrap();
    }
    let t = Instant::now();
    let pushed = client.sync(worker, &mut |_| {}).await.unwrap();
    let push_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let pulled = client.sync(supervisor, &mut |_| {}).await.unwrap();
    let pull_ms = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!(pulled.applied.applied, notes as u64, "{pulled:?}");
    DaysWork {
        cases: case_ids.len(),
        changes: pushed.pushed,
        push_ms,
        pull_ms,
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = Args::parse();
    let tmp = tempfile::tempdir().unwrap();
    let db = args
        .db
        .clone()
        .unwrap_or_else(|| tmp.path().join("server.db").display().to_string());
    admin(&db, &["create-org", "--name", "Bench"]);
    admin(&db, &["add-team", "--org", "Bench", "--name", "outreach"]);
    // The raw throughput logs hold opaque bytes, in a team of their own.
    admin(&db, &["add-team", "--org", "Bench", "--name", "raw"]);
    // Each comparison round's people, in a team of their own, so each
    // supervisor's fresh device pulls only its round's caseload. The first
    // encrypted round is the outreach team's.
    let mut people = vec![
        ("benchadmin".to_owned(), "admin", "outreach".to_owned()),
        ("worker".to_owned(), "worker", "outreach".to_owned()),
        ("super".to_owned(), "supervisor", "outreach".to_owned()),
        ("load".to_owned(), "worker", "raw".to_owned()),
    ];
    for (_, team) in round_prefixes(args.rounds) {
        let team = team.trim_end_matches('-').to_owned();
        if team.is_empty() {
            continue;
        }
        admin(&db, &["add-team", "--org", "Bench", "--name", &team]);
        people.push((format!("{team}-worker"), "worker", team.clone()));
        people.push((format!("{team}-super"), "supervisor", team));
    }
    let codes: Vec<(String, String)> = people
        .iter()
        .map(|(name, role, team)| (name.clone(), add_user(&db, name, role, team)))
        .collect();
    let server = start_server(&db);
    let url = server.url.clone();
    let http = reqwest::Client::new();
    // Everyone joins with their code first, choosing the bench passphrase.
    let joiner = waymark_sync::Client::new(&url, waymark_sync::SyncOptions::default()).unwrap();
    for (name, code) in &codes {
        joiner
            .join(name, code, &Passphrase::new(PASS))
            .await
            .unwrap();
    }
    let log = |m: &str| {
        if !args.json {
            eprintln!("{m}");
        }
    };

    // 1. Raw throughput: opaque bodies the size of a typical note change.
    log("push/pull throughput...");
    let token = raw_login(&http, &url, "load").await;
    let logs: Vec<Uuid> = (0..40).map(|_| Uuid::new_v4()).collect();
    let body = base64::engine::general_purpose::STANDARD.encode(vec![b'x'; 420]);
    let now = chrono::Utc::now().timestamp_millis();
    let batches: Vec<Value> = (0..args.changes)
        .collect::<Vec<_>>()
        .chunks(2_000)
        .map(|chunk| {
            json!({"changes": chunk.iter().map(|i| json!({
                "change_id": Uuid::now_v7(),
                "log_id": logs[i % logs.len()],
                "clock_ms": now,
                "body": body,
            })).collect::<Vec<_>>()})
        })
        .collect();
    let t = Instant::now();
    for batch in &batches {
        post(&http, &format!("{url}/v1/push"), Some(&token), batch).await;
    }
    let push_raw = rate(args.changes as u64, t.elapsed());
    let t = Instant::now();
    let mut cursors: std::collections::BTreeMap<String, (i64, String)> = Default::default();
    let mut pulled = 0u64;
    loop {
        let list: Vec<Value> = cursors
            .iter()
            .map(|(l, (a, tip))| json!({"log_id": l, "after": a, "tip": tip}))
            .collect();
        let page = post(
            &http,
            &format!("{url}/v1/pull"),
            Some(&token),
            &json!({"cursors": list}),
        )
        .await;
        for log in page["logs"].as_array().unwrap() {
            let changes = log["changes"].as_array().unwrap();
            if let Some(last) = changes.last() {
                pulled += changes.len() as u64;
                cursors.insert(
                    log["log_id"].as_str().unwrap().to_owned(),
                    (
                        last["seq"].as_i64().unwrap(),
                        log["tip"].as_str().unwrap().to_owned(),
                    ),
                );
            }
        }
        if page["remaining"] == 0 {
            break;
        }
    }
    // (Tips are only checked by devices; the figure is the server's.)
    let pull_raw = rate(pulled, t.elapsed());

    // 2. A worker's device pushes its caseload (sealing the case keys to
    // the supervisor's enrolled device); the supervisor's fresh device pulls
    // and applies it. Unencrypted (the baseline) and encrypted, alternated
    // for `rounds` rounds; the best round of each is compared.
    let client = waymark_sync::Client::new(&url, waymark_sync::SyncOptions::default()).unwrap();
    // The admin's laptop: its login makes the organisation's key.
    let mut admin_laptop = Session::create(
        &tmp.path().join("benchadmin"),
        "benchadmin",
        &Passphrase::new(PASS),
    )
    .unwrap();
    client
        .login(
            &mut admin_laptop,
            "benchadmin",
            &Passphrase::new(PASS),
            "bench",
        )
        .await
        .unwrap();
    let (mut plain_rounds, mut unsigned_rounds, mut encrypted_rounds) =
        (Vec::new(), Vec::new(), Vec::new());
    let mut first_encrypted = None;
    let (mut peer_rounds, mut peer_not_run) = (Vec::new(), None);
    for (round, (mode, prefix)) in round_prefixes(args.rounds).into_iter().enumerate() {
        log(&format!(
            "fresh device, {}, round {} of {}...",
            match mode {
                Mode::Plain => "unencrypted, unsigned baseline",
                Mode::Unsigned => "encrypted, unsigned baseline",
                Mode::Shipped => "encrypted and signed",
            },
            round / 3 + 1,
            args.rounds
        ));
        waymark_core::e2e::bench_baseline::set_plain_sync(mode == Mode::Plain);
        waymark_core::e2e::bench_baseline::set_unsigned_sync(mode != Mode::Shipped);
        let done = device_round(&client, &mut admin_laptop, tmp.path(), &prefix, &args).await;
        waymark_core::e2e::bench_baseline::set_plain_sync(false);
        waymark_core::e2e::bench_baseline::set_unsigned_sync(false);
        let figures = [
            done.write.clone(),
            done.push.clone(),
            done.pull_apply.clone(),
        ];
        log(&format!(
            "  write {:.0}/s, push {:.0}/s, pull + apply {:.0}/s",
            figures[0].per_second, figures[1].per_second, figures[2].per_second
        ));
        match mode {
            Mode::Plain => plain_rounds.push(figures),
            Mode::Unsigned => unsigned_rounds.push(figures),
            Mode::Shipped => {
                encrypted_rounds.push(figures);
                if first_encrypted.is_none() {
                    first_encrypted = Some(done);
                }
                if peer_not_run.is_none() {
                    log(&format!(
                        "PouchDB, round {} of {}...",
                        round / 3 + 1,
                        args.rounds
                    ));
                    match pouchdb_round(args.fresh_changes) {
                        Ok(figures) => {
                            log(&format!(
                                "  push {:.0}/s, pull {:.0}/s",
                                figures[0].per_second, figures[1].per_second
                            ));
                            peer_rounds.push(figures);
                        }
                        Err(why) => peer_not_run = Some(why),
                    }
                }
            }
        }
    }
    let peer = Peer {
        name: "PouchDB 9 (LevelDB) replicating with express-pouchdb over loopback HTTP",
        push: (!peer_rounds.is_empty())
            .then(|| median_of(&peer_rounds.iter().map(|r| r[0].clone()).collect::<Vec<_>>())),
        pull: (!peer_rounds.is_empty())
            .then(|| median_of(&peer_rounds.iter().map(|r| r[1].clone()).collect::<Vec<_>>())),
        not_run: peer_not_run,
    };
    let first_encrypted = first_encrypted.expect("at least one encrypted round");
    let mut fresh = first_encrypted.fresh_store;
    log("one day's work...");
    let mut worker = first_encrypted.worker;
    let days_work = days_work(&client, &mut worker, &mut fresh, 20, 200).await;
    drop(worker);
    let fresh_device = first_encrypted.fresh;
    log("plain SQLite inserting the same rows...");
    let plain_insert = plain_insert_of_same_rows(&fresh, tmp.path());
    let [device_write, device_push, device_pull_apply] = median(&encrypted_rounds);
    let [plain_device_write, plain_device_push, plain_device_pull_apply] = median(&plain_rounds);
    let [unsigned_device_write, unsigned_device_push, unsigned_device_pull_apply] =
        median(&unsigned_rounds);

    // 3. Incremental syncs with nothing new, from many devices at once.
    log("idle syncs...");
    let positions = fresh.sync_positions().unwrap();
    let idle_body = json!({ "cursors": positions });
    let mut tokens = Vec::new();
    for _ in 0..20 {
        tokens.push(raw_login(&http, &url, "super").await);
    }
    let interval = Duration::from_secs_f64(1.0 / args.idle_rate as f64);
    let total = (args.idle_rate * args.idle_seconds) as usize;
    let started = Instant::now();
    let mut handles = Vec::with_capacity(total);
    for i in 0..total {
        let due = started + interval * i as u32;
        tokio::time::sleep_until(due.into()).await;
        let (http, url, token, body) = (
            http.clone(),
            url.clone(),
            tokens[i % tokens.len()].clone(),
            idle_body.clone(),
        );
        handles.push(tokio::spawn(async move {
            let t = Instant::now();
            let ok = http
                .post(format!("{url}/v1/pull"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .map(|r| r.status().is_success())
                .unwrap_or(false);
            (t.elapsed(), ok)
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    let mut errors = 0;
    for h in handles {
        let (d, ok) = h.await.unwrap();
        if !ok {
            errors += 1;
        }
        latencies.push(d);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let at = |q: f64| {
        latencies[((latencies.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1e3
    };
    let idle_syncs = Idle {
        offered_per_second: args.idle_rate,
        achieved_per_second: total as f64 / elapsed.as_secs_f64(),
        requests: total,
        errors,
        p50_ms: at(0.5),
        p99_ms: at(0.99),
        max_ms: latencies.last().unwrap().as_secs_f64() * 1e3,
    };

    // 3b. Ordinary syncs while clients guess passphrases at once, each guess
    // from an address of its own (a botnet: no per-address limit stops it),
    // half for a real account, half for names that do not exist.
    let under_flood = if args.guessers > 0 {
        log("syncs under a login flood...");
        Some(
            syncs_under_flood(
                &http,
                &url,
                &tokens,
                &idle_body,
                args.guessers,
                server.child.id(),
            )
            .await,
        )
    } else {
        None
    };

    // 4. A supervisor's whole team: a fresh device, as a separate process.
    let (supervisor_push, supervisor_fresh) = if args.big_cases > 0 {
        log("supervisor's caseload: writing demo data...");
        // Another worker's caseload in the same team, pushed in full.
        let big_dir = tmp.path().join("big");
        let code = add_user(&db, "bigworker", "worker", "outreach");
        client
            .join("bigworker", &code, &Passphrase::new(PASS))
            .await
            .unwrap();
        let mut big = demo_store(&big_dir, "bigworker", args.big_cases, args.big_changes);
        client
            .login(&mut big, "bigworker", &Passphrase::new(PASS), "bench")
            .await
            .unwrap();
        // The supervisor's new device enrols first, so the push seals the
        // case keys to it (as a member's device does).
        let super_big = tmp.path().join("super-big");
        cli_enrol(&super_big, &url, "super");
        let phrase = big.identity().unwrap().fingerprint_phrase;
        confirm(&client, &mut admin_laptop, "bigworker", &phrase).await;
        confirm(&client, &mut admin_laptop, "super", &cli_phrase(&super_big)).await;
        log("supervisor's caseload: pushing...");
        let t = Instant::now();
        let pushed = client.sync(&mut big, &mut |_| {}).await.unwrap();
        let push = rate(pushed.pushed, t.elapsed());
        drop(big);
        // The supervisor's first device holds the other worker's case keys:
        // its next sync seals them to the new one.
        // Each of its cases' keys, and its allocation log's where it has
        // appointments (they travel there), counted before it pulls more.
        let mut logs = 0;
        for case in fresh.caseload(&Default::default()).unwrap() {
            logs += 1 + u64::from(!fresh.appointments(case.case_id).unwrap().is_empty());
        }
        let sealed = client.sync(&mut fresh, &mut |_| {}).await.unwrap();
        assert_eq!(sealed.keys_sealed, logs);
        // A second new laptop of theirs, to sync the way the app does.
        let super_app = tmp.path().join("super-app");
        cli_enrol(&super_app, &url, "super");
        confirm(&client, &mut admin_laptop, "super", &cli_phrase(&super_app)).await;
        client.sync(&mut fresh, &mut |_| {}).await.unwrap();
        log("supervisor's caseload: fresh device pulling (a waymark process)...");
        let (seconds, rss, pulled, stages, cpu_s) = cli_sync_measured(&super_big);
        log("supervisor's caseload: another fresh device pulling as the app does, commands beside...");
        let (app_seconds, app_pulled, mut beside) = app_sync_with_commands(&super_app, "super");
        assert_eq!(app_pulled, pulled, "both new laptops pull the same");
        beside.sync_seconds = app_seconds;
        (
            Some(push),
            Some(FreshPull {
                cases: args.big_cases + args.fresh_cases,
                changes: pulled,
                seconds,
                max_rss_mib: rss,
                stages,
                cpu_s: Some(cpu_s),
                beside: Some(beside),
            }),
        )
    } else {
        (None, None)
    };

    drop(fresh);
    let pull_vs_plain = fresh_device.seconds / plain_insert.seconds;
    let mut budgets = vec![
        (
            "device pull + apply, encrypted and signed >= 35,000 changes/s".to_owned(),
            device_pull_apply.per_second >= 35_000.0,
        ),
        (
            "fresh device pull + apply within 5x of plain SQLite inserting the same rows"
                .to_owned(),
            pull_vs_plain <= 5.0,
        ),
        (
            format!(
                "one day's work ({} changes across {} cases): each sync < 300 ms",
                days_work.changes, days_work.cases
            ),
            days_work.push_ms < 300.0 && days_work.pull_ms < 300.0,
        ),
        (
            "push >= 25,000 changes/s".to_owned(),
            push_raw.per_second >= 25_000.0,
        ),
        (
            "pull >= 40,000 changes/s".to_owned(),
            pull_raw.per_second >= 40_000.0,
        ),
        (
            format!("fresh device, {} changes < 3 s", fresh_device.changes),
            fresh_device.seconds < 3.0,
        ),
        (
            "1,000 idle syncs/s, p99 < 50 ms".to_owned(),
            idle_syncs.achieved_per_second >= 0.95 * args.idle_rate as f64
                && idle_syncs.p99_ms < 50.0
                && idle_syncs.errors == 0,
        ),
    ];
    for (what, enc, plain) in [
        ("push", &unsigned_device_push, &plain_device_push),
        (
            "pull + apply",
            &unsigned_device_pull_apply,
            &plain_device_pull_apply,
        ),
    ] {
        budgets.push((
            format!("device {what} encrypted within 10% of unencrypted"),
            enc.per_second >= 0.9 * plain.per_second,
        ));
    }
    for (what, signed, unsigned) in [
        ("push", &device_push, &unsigned_device_push),
        (
            "pull + apply",
            &device_pull_apply,
            &unsigned_device_pull_apply,
        ),
    ] {
        budgets.push((
            format!("device {what} signed within 10% of unsigned"),
            signed.per_second >= 0.9 * unsigned.per_second,
        ));
    }
    if let Some(pull) = &peer.pull {
        budgets.push((
            "device pull + apply >= 10x PouchDB's pull, side by side".to_owned(),
            device_pull_apply.per_second >= 10.0 * pull.per_second,
        ));
    }
    if let Some(f) = &supervisor_fresh {
        budgets.push((
            format!(
                "supervisor's first sync, {} changes < 60 s, peak memory < 500 MiB",
                f.changes
            ),
            f.seconds < 60.0 && f.max_rss_mib.is_some_and(|m| m < 500.0),
        ));
        if let Some(b) = &f.beside {
            budgets.push((
                "a person's commands during that first sync: each one's p95 < 100 ms, none failing"
                    .to_owned(),
                // Each command's own p95: the reads are many and quick, and
                // would hide the audited view's wait in a p95 of them all.
                b.p95_by_command.iter().all(|(_, p95)| *p95 < 100.0) && b.failed.is_empty(),
            ));
        }
    }
    if let Some(f) = &under_flood {
        budgets.push((
            format!(
                "syncs p99 < 100 ms under {} concurrent wrong logins",
                f.guessers
            ),
            f.p99_ms < 100.0 && f.sync_errors == 0,
        ));
        budgets.push((
            "server memory < 512 MiB under the login flood".to_owned(),
            f.server_peak_mib.is_some_and(|m| m < 512.0),
        ));
    }
    let report = Report {
        store: if db.starts_with("postgres") {
            "postgres"
        } else {
            "sqlite"
        }
        .into(),
        push_raw,
        pull_raw,
        device_push,
        fresh_device,
        plain_insert,
        pull_vs_plain,
        days_work,
        device_pull_apply,
        plain_device_push,
        plain_device_pull_apply,
        unsigned_device_push,
        unsigned_device_pull_apply,
        device_write,
        plain_device_write,
        unsigned_device_write,
        rounds: args.rounds,
        peer,
        supervisor_push,
        supervisor_fresh,
        idle_syncs,
        under_flood,
        budgets_met: budgets,
    };
    drop(server);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report).unwrap());
    } else {
        print_report(&report);
    }
}

/// Where a fresh device's sync spent its wall time, stage by stage (the
/// rest: starting, unlocking, logging in, keys), and its other cores' time.
fn print_stages(f: &FreshPull) {
    let s = &f.stages;
    let total_us = f.seconds * 1e6;
    let stages = [
        ("fetch", s.fetch_us),
        ("open (waiting)", s.open_us),
        ("check", s.check_us),
        ("write", s.write_us),
        ("index", s.index_us),
        ("summarise", s.summarise_us),
        ("commit", s.commit_us),
        ("giving way", s.give_way_us),
    ];
    let counted: u64 = stages.iter().map(|(_, us)| us).sum();
    let mut line: Vec<String> = stages
        .iter()
        .map(|(name, us)| format!("{name} {:.0}%", *us as f64 / total_us * 100.0))
        .collect();
    line.push(format!(
        "rest {:.0}%",
        (total_us - counted as f64).max(0.0) / total_us * 100.0
    ));
    println!("    where the time went: {}", line.join(", "));
    println!(
        "    per change: {}; other cores opening (decrypt, verify, parse) {:.1} µs",
        stages
            .iter()
            .map(|(name, us)| format!("{name} {:.1} µs", *us as f64 / f.changes.max(1) as f64))
            .collect::<Vec<_>>()
            .join(", "),
        s.open_workers_us as f64 / f.changes.max(1) as f64
    );
}

fn print_report(r: &Report) {
    println!("sync benchmarks ({} server store, loopback)", r.store);
    let t = |name: &str, x: &Throughput| {
        println!(
            "  {name:<34} {:>9} changes in {:>7.2} s = {:>9.0}/s",
            x.changes, x.seconds, x.per_second
        )
    };
    // What a person waits for first; the server alone (opaque bodies) after.
    t("push (device: outbox to ack)", &r.device_push);
    t("pull + apply (fresh device)", &r.device_pull_apply);
    println!(
        "  pull + apply beside its floors (this run): fresh device {} changes in {:.2} s; plain SQLite inserting the same {} rows in one transaction {:.3} s ({:.0} rows/s): {:.1}x; the server handing out opaque changes {:.0}/s",
        r.fresh_device.changes,
        r.fresh_device.seconds,
        r.plain_insert.changes,
        r.plain_insert.seconds,
        r.plain_insert.per_second,
        r.pull_vs_plain,
        r.pull_raw.per_second,
    );
    println!(
        "  one day's work, {} changes across {} cases: the writer's sync {:.0} ms, the supervisor's {:.0} ms",
        r.days_work.changes, r.days_work.cases, r.days_work.push_ms, r.days_work.pull_ms
    );
    t("push (server, raw)", &r.push_raw);
    t("pull (server, raw)", &r.pull_raw);
    println!(
        "  device figures side by side (this run, alternated: median of {} rounds each, slowest to fastest in brackets):",
        r.rounds
    );
    let change =
        |to: &Throughput, from: &Throughput| (to.per_second / from.per_second - 1.0) * 100.0;
    for (name, plain, unsigned, signed) in [
        (
            "write (device, demo data)",
            &r.plain_device_write,
            &r.unsigned_device_write,
            &r.device_write,
        ),
        (
            "push (device)",
            &r.plain_device_push,
            &r.unsigned_device_push,
            &r.device_push,
        ),
        (
            "pull + apply (fresh device)",
            &r.plain_device_pull_apply,
            &r.unsigned_device_pull_apply,
            &r.device_pull_apply,
        ),
    ] {
        let spread = |x: &Throughput| {
            x.spread
                .map(|[low, high]| format!(" [{low:.0}-{high:.0}]"))
                .unwrap_or_default()
        };
        println!(
            "    {name:<28} plain {:>7.0}/s{}   encrypted {:>7.0}/s{} ({:+.1}%)   encrypted + signed {:>7.0}/s{} ({:+.1}%)",
            plain.per_second,
            spread(plain),
            unsigned.per_second,
            spread(unsigned),
            change(unsigned, plain),
            signed.per_second,
            spread(signed),
            change(signed, unsigned),
        );
    }
    match (&r.peer.push, &r.peer.pull, &r.peer.not_run) {
        (Some(push), Some(pull), _) => println!(
            "  beside {} (same run, alternated, median of {} rounds): push {:.0}/s [{:.0}-{:.0}], pull {:.0}/s [{:.0}-{:.0}]; the device's push is {:.1}x it, pull + apply {:.1}x",
            r.peer.name,
            r.rounds,
            push.per_second,
            push.spread.unwrap_or_default()[0],
            push.spread.unwrap_or_default()[1],
            pull.per_second,
            pull.spread.unwrap_or_default()[0],
            pull.spread.unwrap_or_default()[1],
            r.device_push.per_second / push.per_second,
            r.device_pull_apply.per_second / pull.per_second,
        ),
        (_, _, why) => println!(
            "  PouchDB side by side: not run: {}",
            why.as_deref().unwrap_or("unknown")
        ),
    }
    println!(
        "  fresh device: {} cases, {} changes in {:.2} s",
        r.fresh_device.cases, r.fresh_device.changes, r.fresh_device.seconds
    );
    print_stages(&r.fresh_device);
    if let Some(p) = &r.supervisor_push {
        t("push (device, supervisor's team)", p);
    }
    if let Some(f) = &r.supervisor_fresh {
        println!(
            "  supervisor fresh: {} cases, {} changes in {:.1} s ({:.0}/s), peak memory {:.0} MiB, processor {:.1} s ({:.1} µs a change)",
            f.cases,
            f.changes,
            f.seconds,
            f.changes as f64 / f.seconds,
            f.max_rss_mib.unwrap_or(f64::NAN),
            f.cpu_s.unwrap_or(f64::NAN),
            f.cpu_s.unwrap_or(f64::NAN) * 1e6 / f.changes.max(1) as f64
        );
        if let Some(b) = &f.beside {
            println!(
                "  the same first sync as the app runs it ({:.1} s), the person's commands meanwhile (caseload, search, agenda, a timeline; own connection): {} answered, p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
                b.sync_seconds, b.commands, b.p50_ms, b.p95_ms, b.max_ms
            );
            let each: Vec<String> = b
                .p95_by_command
                .iter()
                .map(|(name, p95)| format!("{name} {p95:.1} ms"))
                .collect();
            println!("    p95 by command: {}", each.join(", "));
            let alone: Vec<String> = b
                .p95_alone_by_command
                .iter()
                .map(|(name, p95)| format!("{name} {p95:.1} ms"))
                .collect();
            println!(
                "    p95 by command once the sync is over: {}",
                alone.join(", ")
            );
            for f in &b.failed {
                println!("    failed: {f}");
            }
        }
        print_stages(f);
    }
    let i = &r.idle_syncs;
    println!(
        "  idle syncs: offered {}/s, achieved {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms, errors {}",
        i.offered_per_second, i.achieved_per_second, i.p50_ms, i.p99_ms, i.max_ms, i.errors
    );
    if let Some(f) = &r.under_flood {
        println!(
            "  syncs under {} concurrent wrong logins: p50 {:.2} ms, p99 {:.2} ms ({} syncs, {} errors); {} guesses answered, {} of them refused as busy or limited; server peak memory {:.0} MiB",
            f.guessers, f.p50_ms, f.p99_ms, f.syncs, f.sync_errors, f.guesses_answered,
            f.refused_busy_or_limited, f.server_peak_mib.unwrap_or(f64::NAN)
        );
    }
    for (b, ok) in &r.budgets_met {
        println!("  budget {b}: {}", if *ok { "MET" } else { "MISSED" });
    }
}

/// Times ordinary syncs (a pull with nothing new) for ten seconds while
/// `guessers` clients send wrong passphrases as fast as they are answered.
async fn syncs_under_flood(
    http: &reqwest::Client,
    url: &str,
    tokens: &[String],
    body: &Value,
    guessers: usize,
    server_pid: u32,
) -> UnderFlood {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::Arc;
    let stop = Arc::new(AtomicBool::new(false));
    let (answered, refused) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    // Any salt: the guess is wrong whatever it is keyed with.
    let wrong = waymark_protocol::auth::derive_auth_key(&[7; 32], b"a wrong guess");
    let wrong = base64::engine::general_purpose::STANDARD.encode(wrong.as_slice());
    let mut flood = Vec::new();
    for g in 0..guessers {
        let (http, url, stop, answered, refused, wrong) = (
            http.clone(),
            url.to_owned(),
            stop.clone(),
            answered.clone(),
            refused.clone(),
            wrong.clone(),
        );
        flood.push(tokio::spawn(async move {
            let mut n = 0u32;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let user = if g % 2 == 0 { "super".to_owned() } else { format!("nobody{g}") };
                let from = format!("10.{}.{}.{}", g % 250, n % 250, (n / 250) % 250);
                let sent = http
                    .post(format!("{url}/v1/login"))
                    .header("x-forwarded-for", from)
                    .json(&json!({"user": user, "auth_key": wrong, "device_id": Uuid::new_v4(), "device_label": "guess"}))
                    .send()
                    .await;
                if let Ok(r) = sent {
                    answered.fetch_add(1, Ordering::Relaxed);
                    if r.status().as_u16() == 429 {
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(2)).await; // the flood builds up
    let started = Instant::now();
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut i = 0;
    while started.elapsed() < Duration::from_secs(10) {
        let t = Instant::now();
        let ok = http
            .post(format!("{url}/v1/pull"))
            .bearer_auth(&tokens[i % tokens.len()])
            .json(body)
            .send()
            .await
            .map(|r| r.status().is_success())
            .unwrap_or(false);
        latencies.push(t.elapsed());
        if !ok {
            errors += 1;
        }
        i += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let peak = std::fs::read_to_string(format!("/proc/{server_pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kib| kib / 1024.0);
    for f in flood {
        f.abort();
    }
    latencies.sort();
    let at = |q: f64| {
        latencies[((latencies.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1e3
    };
    UnderFlood {
        guessers,
        guesses_answered: answered.load(Ordering::Relaxed),
        refused_busy_or_limited: refused.load(Ordering::Relaxed),
        syncs: latencies.len(),
        sync_errors: errors,
        p50_ms: at(0.5),
        p99_ms: at(0.99),
        server_peak_mib: peak,
    }
}
