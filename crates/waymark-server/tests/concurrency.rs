//! Many pushers and pullers at once, on both stores: every change is stored
//! once with gap-free seqs, and no puller ever skips a change (a puller
//! moves its cursor only past what it was given, so a change committed
//! behind its cursor would be lost to it for good and fail the test).

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use uuid::Uuid;
use waymark_testkit::server::*;

const PUSHERS: usize = 6;
const PULLERS: usize = 4;
const BATCHES: usize = 30;
const BATCH: usize = 15;

#[test]
fn concurrent_pushers_and_pullers_never_skip_or_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    for db in databases(&dir) {
        org_with(&db, "North", &[("amira", "worker", Some("outreach"))]);
        let server = Server::start(&db, dir.path());
        let url = server.url.clone();
        let logs: Vec<Uuid> = (0..3).map(|_| Uuid::new_v4()).collect();
        let done = Arc::new(AtomicBool::new(false));

        let pushers: Vec<_> = (0..PUSHERS)
            .map(|p| {
                let (url, logs) = (url.clone(), logs.clone());
                let (_, token) = login(&url, "amira");
                std::thread::spawn(move || {
                    let mut sent = BTreeSet::new();
                    for b in 0..BATCHES {
                        // Each batch spreads over the logs in a different
                        // order, so pushes contend for the same rows.
                        let changes: Vec<Value> = (0..BATCH)
                            .map(|i| {
                                envelope(
                                    logs[(p + b + i) % logs.len()],
                                    format!("{p}/{b}/{i}").as_bytes(),
                                )
                            })
                            .collect();
                        for c in &changes {
                            sent.insert(c["change_id"].as_str().unwrap().to_owned());
                        }
                        // Every third batch is sent twice, as a retry would.
                        let (s, body) = push(&url, &token, changes.clone());
                        assert_eq!(s, 200, "{body}");
                        if b % 3 == 0 {
                            let (s, body) = push(&url, &token, changes);
                            assert_eq!(s, 200, "{body}");
                        }
                    }
                    sent
                })
            })
            .collect();

        let pullers: Vec<_> = (0..PULLERS)
            .map(|_| {
                let (url, done) = (url.clone(), done.clone());
                let (_, token) = login(&url, "amira");
                std::thread::spawn(move || {
                    let mut cursors = Cursors::default();
                    let mut seen: Vec<(Uuid, i64, String)> = Vec::new();
                    loop {
                        let finished = done.load(Ordering::SeqCst);
                        let body = cursors.json();
                        let (s, page) = post(
                            &format!("{url}/v1/pull"),
                            Some(&token),
                            &json!({"cursors": body, "limit": 37}),
                        );
                        assert_eq!(s, 200, "{page}");
                        for log in page["logs"].as_array().unwrap() {
                            let id: Uuid = log["log_id"].as_str().unwrap().parse().unwrap();
                            for c in log["changes"].as_array().unwrap() {
                                let seq = cursors.advance(id, c);
                                seen.push((id, seq, c["change_id"].as_str().unwrap().to_owned()));
                            }
                        }
                        // Stop only after a pull that began once all pushes
                        // had finished found nothing left.
                        if finished && page["remaining"] == 0 {
                            return seen;
                        }
                    }
                })
            })
            .collect();

        let mut sent = BTreeSet::new();
        for p in pushers {
            sent.extend(p.join().expect("pusher"));
        }
        done.store(true, Ordering::SeqCst);
        let expected = PUSHERS * BATCHES * BATCH;
        assert_eq!(sent.len(), expected);
        for p in pullers {
            let seen = p.join().expect("puller");
            let ids: BTreeSet<String> = seen.iter().map(|s| s.2.clone()).collect();
            assert_eq!(seen.len(), expected, "each change exactly once ({db})");
            assert_eq!(ids, sent, "every pushed change reached every puller ({db})");
        }
    }
}
