//! Sync under faults, across processes: connections dropped mid-response
//! and requests delivered twice (a small proxy), the server killed and
//! restarted mid-sync, the server restored from an older backup, and a
//! laptop whose clock is a day ahead. Each time: everyone converges, nothing
//! is duplicated, nothing is lost.

mod devices;

use devices::Device;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use waymark_testkit::server::*;

/// An HTTP/1.1 proxy in front of the server. While `chaos` is on, every
/// third request's answer is cut in half and the connection dropped (the
/// server did the work; the client never hears), and every fourth request
/// reaches the server twice.
struct Proxy {
    url: String,
    chaos: Arc<AtomicBool>,
    cut: Arc<AtomicU64>,
    doubled: Arc<AtomicU64>,
}

fn read_message(stream: &mut BufReader<TcpStream>) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).ok()? == 0 {
            return None;
        }
        head.extend_from_slice(line.as_bytes());
        if line == "\r\n" {
            break;
        }
    }
    let text = String::from_utf8_lossy(&head).to_lowercase();
    let length: usize = text
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|v| v.trim().parse().unwrap())
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).ok()?;
    head.extend(body);
    Some(head)
}

fn round_trip(upstream: &str, request: &[u8]) -> Option<Vec<u8>> {
    let mut conn = TcpStream::connect(upstream).ok()?;
    conn.write_all(request).ok()?;
    read_message(&mut BufReader::new(conn))
}

impl Proxy {
    fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let chaos = Arc::new(AtomicBool::new(true));
        let (cut, doubled) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let count = Arc::new(AtomicU64::new(0));
        let (c, k, d) = (chaos.clone(), cut.clone(), doubled.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let (upstream, chaos, count, cut, doubled) = (
                    upstream.clone(),
                    c.clone(),
                    count.clone(),
                    k.clone(),
                    d.clone(),
                );
                std::thread::spawn(move || {
                    let mut writer = client.try_clone().unwrap();
                    let mut reader = BufReader::new(client);
                    while let Some(request) = read_message(&mut reader) {
                        let n = count.fetch_add(1, Ordering::SeqCst);
                        let on = chaos.load(Ordering::SeqCst);
                        if on && n % 4 == 3 {
                            doubled.fetch_add(1, Ordering::SeqCst);
                            let _ = round_trip(&upstream, &request);
                        }
                        let Some(response) = round_trip(&upstream, &request) else {
                            return;
                        };
                        if on && n % 3 == 2 {
                            cut.fetch_add(1, Ordering::SeqCst);
                            let _ = writer.write_all(&response[..response.len() / 2]);
                            let _ = writer.shutdown(std::net::Shutdown::Both);
                            return;
                        }
                        if writer.write_all(&response).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Proxy {
            url,
            chaos,
            cut,
            doubled,
        }
    }
}

/// A new store logged in to `url`, its person confirmed by the team's admin.
fn logged_in(root: &std::path::Path, user: &str, url: &str) -> Device {
    Device::confirmed(root.join(user), user, url, "ada")
}

const TEAM: &[(&str, &str, Option<&str>)] = &[
    ("amira", "worker", Some("outreach")),
    ("bea", "worker", Some("outreach")),
    ("sam", "supervisor", Some("outreach")),
    ("ada", "admin", None),
];

fn cases(d: &Device) -> Vec<String> {
    d.json(&["caseload", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["case_id"].as_str().unwrap().to_owned())
        .collect()
}

fn note_count(d: &Device, case: &str) -> usize {
    d.case(case)["notes"].as_array().unwrap().len()
}

#[test]
fn dropped_answers_and_doubled_requests_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    org_with(&db, "North", TEAM);
    let server = Server::start(&db, dir.path());
    let proxy = Proxy::start(server.addr());
    let [amira, bea, sam] = ["amira", "bea", "sam"].map(|u| logged_in(dir.path(), u, &proxy.url));
    let case = amira.ok(&["person", "add", "--name", "Robin Example"]);
    for i in 0..10 {
        amira.ok(&["note", "add", &case, "--body", &format!("first visit {i}")]);
    }
    // A scanned letter: 2.5 MiB, so it travels in three chunks.
    let letter: Vec<u8> = (0..(5 * 512 * 1024))
        .map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let letter_path = dir.path().join("letter.pdf");
    std::fs::write(&letter_path, &letter).unwrap();
    amira.ok(&["attachment", "add", &case, letter_path.to_str().unwrap()]);
    amira.sync();
    admin(&db, &["share-case", "--case", &case, "--user", "bea"]);
    amira.sync(); // a device holding the case key seals it for bea
    bea.sync();
    for round in 0..3 {
        for i in 0..5 {
            amira.ok(&[
                "note",
                "add",
                &case,
                "--body",
                &format!("amira {round}/{i}"),
            ]);
            bea.ok(&["note", "add", &case, "--body", &format!("bea {round}/{i}")]);
        }
        for d in [&amira, &bea, &sam] {
            d.sync();
        }
    }
    // Bea opens the letter: fetched on demand, through the same faults.
    let listed = bea.json(&["attachment", "list", &case, "--json"]);
    let letter_id = listed[0]["id"].as_str().unwrap().to_owned();
    let fetched = dir.path().join("fetched.pdf");
    bea.ok(&[
        "attachment",
        "get",
        &letter_id,
        "--out",
        fetched.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read(&fetched).unwrap(),
        letter,
        "the letter arrives whole"
    );
    assert!(proxy.cut.load(Ordering::SeqCst) > 3, "answers were dropped");
    assert!(
        proxy.doubled.load(Ordering::SeqCst) > 3,
        "requests were doubled"
    );
    proxy.chaos.store(false, Ordering::SeqCst);
    for d in [&amira, &bea, &sam, &amira] {
        d.sync();
    }
    let robin = amira.case(&case);
    assert_eq!(
        robin["notes"].as_array().unwrap().len(),
        40,
        "every note, once"
    );
    assert_eq!(bea.case(&case), robin);
    assert_eq!(sam.case(&case), robin);
    let metrics = http()
        .get(format!("{}/metrics", server.url))
        .send()
        .unwrap()
        .text()
        .unwrap();
    let duplicates: f64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("waymark_changes_duplicate_total "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        duplicates > 0.0,
        "the server saw repeated changes and stored them once"
    );
}

#[test]
fn server_killed_mid_sync_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    org_with(&db, "North", TEAM);
    let mut server = Server::start(&db, dir.path());
    let addr = server.addr();
    let amira = logged_in(dir.path(), "amira", &server.url);
    let sam = logged_in(dir.path(), "sam", &server.url);
    amira.ok(&[
        "demo-data",
        "--cases",
        "6",
        "--notes-per-case",
        "800",
        "--keyworker",
        "amira",
    ]);
    let pending = amira.json(&["status", "--json"])["pending_changes"]
        .as_i64()
        .unwrap();
    assert!(pending > 4_000, "{pending}");
    let mut sync = std::process::Command::new(env!("CARGO_BIN_EXE_waymark"))
        .env("WAYMARK_TEST_KDF", "cheap")
        .arg("--store")
        .arg(&amira.dir)
        .args(["sync", "--json"])
        .env("WAYMARK_PASSPHRASE", "amira passphrase")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Kill the server once the first push has landed, while more follow.
    let started = std::time::Instant::now();
    loop {
        let metrics = http()
            .get(format!("{}/metrics", server.url))
            .send()
            .unwrap()
            .text()
            .unwrap();
        if metrics.contains("route=\"/v1/push\",status=\"200\"") {
            break;
        }
        assert!(started.elapsed().as_secs() < 60, "no push arrived");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    server.kill();
    assert!(
        sync.try_wait().unwrap().is_none(),
        "the sync was still running when the server died"
    );
    std::thread::sleep(std::time::Duration::from_millis(700));
    let server = Server::start_on(&db, dir.path(), &addr);
    let status = sync.wait().unwrap();
    assert!(status.success(), "the sync retried and finished");
    assert_eq!(amira.json(&["status", "--json"])["pending_changes"], 0);
    sam.sync();
    amira.sync();
    let mine = cases(&amira);
    assert_eq!(mine.len(), 6);
    for case in &mine {
        assert_eq!(sam.case(case), amira.case(case));
    }
    assert_eq!(note_count(&sam, &mine[0]), 800);
    drop(server);
}

#[test]
fn a_server_restored_from_an_older_backup_gets_back_what_it_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    org_with(&db, "North", TEAM);
    let mut server = Server::start(&db, dir.path());
    let addr = server.addr();
    let amira = logged_in(dir.path(), "amira", &server.url);
    let bea = logged_in(dir.path(), "bea", &server.url);
    let sam = logged_in(dir.path(), "sam", &server.url);
    let case = amira.ok(&["person", "add", "--name", "Robin Example"]);
    amira.ok(&["note", "add", &case, "--body", "before the backup"]);
    amira.sync();
    admin(&db, &["share-case", "--case", &case, "--user", "bea"]);
    amira.sync(); // a device holding the case key seals it for bea
    bea.sync();
    // Last night's backup.
    server.kill();
    let backup = dir.path().join("backup.db");
    std::fs::copy(&db, &backup).unwrap();
    let wal = format!("{db}-wal");
    let backup_wal = dir.path().join("backup.db-wal");
    if std::path::Path::new(&wal).exists() {
        std::fs::copy(&wal, &backup_wal).unwrap();
    }
    let mut server = Server::start_on(&db, dir.path(), &addr);
    // A day's work reaches the server, and each other.
    amira.ok(&["note", "add", &case, "--body", "after the backup, amira"]);
    amira.ok(&["person", "update", &case, "--phone", "0711 111111"]);
    bea.ok(&["note", "add", &case, "--body", "after the backup, bea"]);
    for d in [&amira, &bea, &amira] {
        d.sync();
    }
    assert_eq!(note_count(&bea, &case), 3);
    // The disk dies; the server comes back from last night's backup.
    server.kill();
    std::fs::copy(&backup, &db).unwrap();
    let _ = std::fs::remove_file(format!("{db}-shm"));
    if backup_wal.exists() {
        std::fs::copy(&backup_wal, &wal).unwrap();
    } else {
        let _ = std::fs::remove_file(&wal);
    }
    let server = Server::start_on(&db, dir.path(), &addr);
    // The devices notice and push back what the server lost.
    let report = amira.sync();
    assert_eq!(
        report["logs_behind_on_server"].as_array().unwrap().len(),
        1,
        "{report}"
    );
    assert!(
        report["requeued_for_server"].as_u64().unwrap() >= 2,
        "{report}"
    );
    bea.sync();
    amira.sync();
    // A supervisor who never saw any of it gets everything.
    sam.sync();
    let robin = sam.case(&case);
    assert_eq!(robin["notes"].as_array().unwrap().len(), 3, "{robin}");
    assert_eq!(robin["person"]["phone"], "0711 111111");
    assert_eq!(amira.case(&case), robin);
    assert_eq!(bea.case(&case), robin);
    drop(server);
}

#[test]
fn a_clock_a_day_ahead_neither_wins_later_conflicts_nor_loses_edits() {
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    org_with(&db, "North", TEAM);
    let mut server = Server::start(&db, dir.path());
    let addr = server.addr();
    let amira = logged_in(dir.path(), "amira", &server.url).with_clock("+1d");
    let bea = logged_in(dir.path(), "bea", &server.url);
    let case = amira.ok(&[
        "person",
        "add",
        "--name",
        "Robin Example",
        "--phone",
        "0700 000000",
    ]);
    // An edit on top of an edit, both a day ahead: the second names the
    // first's stamp, which is renamed too.
    amira.ok(&["person", "update", &case, "--pronouns", "she/her"]);
    let report = amira.sync();
    assert!(report["restamped"].as_u64().unwrap() > 0, "{report}");
    admin(&db, &["share-case", "--case", &case, "--user", "bea"]);
    amira.sync(); // a device holding the case key seals it for bea
    bea.sync();
    // Offline, both change the phone number; Amira first (her laptop says
    // it is tomorrow), Bea ten minutes later.
    amira.ok(&["person", "update", &case, "--phone", "0711 111111"]);
    amira.ok(&[
        "note",
        "add",
        &case,
        "--body",
        "written on a laptop a day ahead",
    ]);
    let report = amira.sync();
    assert_eq!(report["restamped"], 2, "{report}");
    server.kill();
    let bea = bea.with_clock("+10m");
    let server = Server::start_with_clock(&db, dir.path(), &addr, Some("+10m"));
    bea.ok(&["person", "update", &case, "--phone", "0722 222222"]);
    let report = bea.sync();
    assert_eq!(report["restamped"], 0, "{report}");
    amira.sync();
    for d in [&amira, &bea] {
        let robin = d.case(&case);
        assert_eq!(
            robin["person"]["phone"], "0722 222222",
            "the later edit wins on {}",
            d.user
        );
        assert_eq!(
            robin["notes"].as_array().unwrap().len(),
            1,
            "Amira's note arrived"
        );
        assert_eq!(robin["person"]["pronouns"], "she/her");
        let conflicts: Value = d.json(&["conflicts", "--json"]);
        assert_eq!(
            conflicts.as_array().unwrap().len(),
            1,
            "only the phone: {conflicts}"
        );
        assert_eq!(
            conflicts[0]["lost_value"], "0711 111111",
            "Amira's edit is kept for review on {}",
            d.user
        );
    }
    drop(server);
}

#[test]
fn a_device_killed_mid_pull_resumes_without_doubling_and_stays_usable() {
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    org_with(&db, "North", TEAM);
    let server = Server::start(&db, dir.path());
    let amira = logged_in(dir.path(), "amira", &server.url);
    let sam = logged_in(dir.path(), "sam", &server.url);
    amira.ok(&[
        "demo-data",
        "--cases",
        "40",
        "--notes-per-case",
        "600",
        "--keyworker",
        "amira",
    ]);
    amira.sync();
    let pulls = || {
        let metrics = http()
            .get(format!("{}/metrics", server.url))
            .send()
            .unwrap()
            .text()
            .unwrap();
        metrics
            .lines()
            .find_map(|l| {
                l.strip_prefix("waymark_http_requests_total{route=\"/v1/pull\",status=\"200\"} ")
            })
            .map_or(0, |n| n.parse::<u64>().unwrap())
    };
    let before = pulls();
    let mut sync = std::process::Command::new(env!("CARGO_BIN_EXE_waymark"))
        .env("WAYMARK_TEST_KDF", "cheap")
        .arg("--store")
        .arg(&sam.dir)
        .args(["sync", "--json"])
        .env("WAYMARK_PASSPHRASE", "sam passphrase")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // While it pulls, the same store stays usable from another process.
    while pulls() < before + 1 {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let t = std::time::Instant::now();
    sam.ok(&["caseload", "--json"]);
    sam.ok(&["status", "--json"]);
    assert!(
        t.elapsed().as_secs() < 10,
        "reads waited {:?} for the sync",
        t.elapsed()
    );
    // Then the laptop dies mid-pull.
    while pulls() < before + 2 {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    sync.kill().unwrap();
    let status = sync.wait().unwrap();
    assert!(!status.success(), "the sync was killed before it finished");
    let pending = sam.json(&["status", "--json"]);
    assert_eq!(pending["pending_changes"], 0, "{pending}");
    sam.sync();
    let mine = cases(&amira);
    assert_eq!(cases(&sam).len(), mine.len());
    for case in &mine {
        assert_eq!(
            sam.case(case),
            amira.case(case),
            "nothing doubled or missing"
        );
    }
}

#[test]
fn a_removal_is_purged_only_after_every_device_has_it_and_never_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = databases(&dir).remove(0);
    org_with(&db, "North", TEAM);
    let mut server = Server::start(&db, dir.path());
    let addr = server.addr();
    let [amira, bea, sam] = ["amira", "bea", "sam"].map(|u| logged_in(dir.path(), u, &server.url));
    let case = amira.ok(&["person", "add", "--name", "Robin Example"]);
    let photo = dir.path().join("wrong-person.jpg");
    std::fs::write(&photo, b"a photo of the wrong person").unwrap();
    let attachment = amira.ok(&["attachment", "add", &case, photo.to_str().unwrap()]);
    amira.sync();
    admin(&db, &["share-case", "--case", &case, "--user", "bea"]);
    amira.sync(); // a device holding the case key seals it for bea
    for d in [&bea, &sam] {
        d.sync();
    }
    // Last night's backup still has the attachment.
    server.kill();
    std::fs::copy(&db, dir.path().join("backup.db")).unwrap();
    let _ = std::fs::copy(format!("{db}-wal"), dir.path().join("backup.db-wal"));
    let mut server = Server::start_on(&db, dir.path(), &addr);

    let counts = |d: &Device| {
        let s = d.json(&["status", "--json"]);
        (
            s["sync"]["tombstones_waiting"].as_i64().unwrap(),
            s["sync"]["records_purged"].as_i64().unwrap(),
        )
    };
    amira.ok(&["attachment", "remove", &attachment]);
    amira.sync();
    assert_eq!(
        counts(&amira),
        (1, 0),
        "Bea and Sam have not seen the removal"
    );
    bea.sync();
    amira.sync();
    assert_eq!(counts(&amira), (1, 0), "Sam has not seen it yet");
    sam.sync();
    for d in [&sam, &bea, &amira, &sam] {
        d.sync();
    }
    for d in [&amira, &bea, &sam] {
        assert_eq!(
            counts(d),
            (0, 1),
            "{}: purged once every device had it",
            d.user
        );
        assert_eq!(
            d.json(&["attachment", "list", &case, "--json"]),
            serde_json::json!([])
        );
    }
    // Delete, then create the same again: the new record is not mistaken
    // for the removed one anywhere.
    let again = amira.ok(&["attachment", "add", &case, photo.to_str().unwrap()]);
    for d in [&amira, &bea, &sam] {
        d.sync();
    }
    for d in [&bea, &sam] {
        let listed = d.json(&["attachment", "list", &case, "--json"]);
        assert_eq!(listed.as_array().unwrap().len(), 1, "{}", d.user);
        assert_eq!(listed[0]["id"], again.as_str());
    }
    // The server comes back from the backup that still has the attachment:
    // devices read the log again, and the purged record stays gone.
    server.kill();
    std::fs::copy(dir.path().join("backup.db"), &db).unwrap();
    let _ = std::fs::remove_file(format!("{db}-shm"));
    let _ = std::fs::remove_file(format!("{db}-wal"));
    let _ = std::fs::copy(dir.path().join("backup.db-wal"), format!("{db}-wal"));
    let server = Server::start_on(&db, dir.path(), &addr);
    for d in [&amira, &bea, &sam, &amira, &bea, &sam] {
        d.sync();
    }
    for d in [&amira, &bea, &sam] {
        let listed = d.json(&["attachment", "list", &case, "--json"]);
        assert_eq!(
            listed.as_array().unwrap().len(),
            1,
            "{}: only the new one",
            d.user
        );
        assert_eq!(listed[0]["id"], again.as_str());
        assert_eq!(
            counts(d),
            (0, 1),
            "{}: the replayed creation was ignored, not re-applied",
            d.user
        );
    }
    // The new photo's contents, lost with the server's disk, were sent again.
    let fetched = dir.path().join("fetched.jpg");
    bea.ok(&[
        "attachment",
        "get",
        &again,
        "--out",
        fetched.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read(&fetched).unwrap(),
        b"a photo of the wrong person"
    );
    drop(server);
}
