//! Progress events, as the app's progress bar sees them, from a real server
//! (the server's router on a loopback port in this process) and two stores.

use waymark_core::demo::DemoOptions;
use waymark_core::{Passphrase, Session};
use waymark_protocol::Role;
use waymark_sync::{Client, Phase, Progress, SyncOptions};
use waymark_testkit::in_process::serve_north;

const PASS: &str = "progress passphrase";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_counts_up_to_the_total_in_both_phases() {
    let dir = tempfile::tempdir().unwrap();
    let url = serve_north(
        dir.path(),
        &[("amira", Role::Worker), ("sam", Role::Supervisor)],
        PASS,
    )
    .await;

    let options = SyncOptions {
        push_batch: 500,
        pull_limit: 700,
        ..SyncOptions::default()
    };
    let client = Client::new(&url, options).unwrap();
    let pass = Passphrase::new(PASS);
    let mut amira = Session::create(&dir.path().join("amira"), "amira", &pass).unwrap();
    amira
        .demo_data(
            &DemoOptions {
                cases: 4,
                notes_per_case: 500,
                ..Default::default()
            },
            &mut |_, _| {},
        )
        .unwrap();
    let pending = amira.pending_changes().unwrap() as u64;
    client
        .login(&mut amira, "amira", &pass, "test")
        .await
        .unwrap();
    let mut events: Vec<Progress> = Vec::new();
    let report = client
        .sync(&mut amira, &mut |p| events.push(p))
        .await
        .unwrap();
    assert_eq!(report.pushed, pending);
    check(&events, Phase::Push, pending, 1 + pending.div_ceil(500));

    let mut sam = Session::create(&dir.path().join("sam"), "sam", &pass).unwrap();
    client.login(&mut sam, "sam", &pass, "test").await.unwrap();
    let mut events: Vec<Progress> = Vec::new();
    let report = client
        .sync(&mut sam, &mut |p| events.push(p))
        .await
        .unwrap();
    assert!(report.pulled >= pending, "{report:?}");
    check(
        &events,
        Phase::Pull,
        report.pulled,
        report.pulled.div_ceil(700),
    );
}

/// Events of a phase count up, never past their total, and end at it.
fn check(events: &[Progress], phase: Phase, total: u64, at_least: u64) {
    let of_phase: Vec<&Progress> = events.iter().filter(|p| p.phase == phase).collect();
    assert!(
        of_phase.len() as u64 >= at_least,
        "{phase:?}: {} events",
        of_phase.len()
    );
    for pair in of_phase.windows(2) {
        assert!(pair[1].done >= pair[0].done, "{pair:?}");
    }
    for p in &of_phase {
        assert!(p.done <= p.total, "{p:?}");
    }
    let last = of_phase.last().unwrap();
    assert_eq!((last.done, last.total), (total, total), "{phase:?}");
}
