//! What a sync asks of the server, counted by the server's own metrics (a
//! real server on a loopback port in this process, real stores).

use waymark_core::demo::DemoOptions;
use waymark_core::{Passphrase, Session};
use waymark_protocol::Role;
use waymark_sync::{Client, SyncOptions};
use waymark_testkit::in_process::{answered, serve_north};

const PASS: &str = "requests passphrase";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_case_gets_its_key_sealed_after_the_push_and_an_idle_sync_asks_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = serve_north(
        dir.path(),
        &[
            ("amira", Role::Worker),
            ("sam", Role::Supervisor),
            ("ada", Role::Admin),
        ],
        PASS,
    )
    .await;

    let client = Client::new(&url, SyncOptions::default()).unwrap();
    let pass = Passphrase::new(PASS);
    // The admin's laptop: its login makes the organisation's key.
    let mut ada = Session::create(&dir.path().join("ada"), "ada", &pass).unwrap();
    client
        .login(&mut ada, "ada", &pass, "ada's laptop")
        .await
        .unwrap();
    // Sam's laptop is enrolled first, so it is a member's device that
    // Amira's new case must be sealed to.
    let mut sam = Session::create(&dir.path().join("sam"), "sam", &pass).unwrap();
    client
        .login(&mut sam, "sam", &pass, "sam's laptop")
        .await
        .unwrap();
    let phrase = sam.identity().unwrap().fingerprint_phrase;
    client
        .confirm(&mut ada, "sam", &phrase, false)
        .await
        .unwrap();
    let mut amira = Session::create(&dir.path().join("amira"), "amira", &pass).unwrap();
    amira
        .demo_data(
            &DemoOptions {
                cases: 1,
                notes_per_case: 3,
                ..Default::default()
            },
            &mut |_, _| {},
        )
        .unwrap();
    client
        .login(&mut amira, "amira", &pass, "amira's laptop")
        .await
        .unwrap();
    let phrase = amira.identity().unwrap().fingerprint_phrase;
    client
        .confirm(&mut ada, "amira", &phrase, false)
        .await
        .unwrap();

    let before = answered(&url, "/v1/keys/needed").await;
    let first = client.sync(&mut amira, &mut |_| {}).await.unwrap();
    assert!(first.pushed > 0, "{first:?}");
    assert_eq!(answered(&url, "/v1/keys/needed").await - before, 2);
    // The first keys of the case and of its allocation log (which its
    // appointments travel in), sealed after the push to each member
    // device: Sam's laptop and Amira's own (no recovery key is set).
    assert_eq!(first.keys_sealed, 4, "{first:?}");

    let sam_report = client.sync(&mut sam, &mut |_| {}).await.unwrap();
    assert_eq!(sam_report.keys_received, 2, "{sam_report:?}");
    assert_eq!(sam_report.awaiting_key, 0, "{sam_report:?}");
    let caseload = sam.caseload(&Default::default()).unwrap();
    assert_eq!(caseload.len(), 1, "Sam reads Amira's case");

    let before = answered(&url, "/v1/keys/needed").await;
    let idle = client.sync(&mut amira, &mut |_| {}).await.unwrap();
    assert_eq!(idle.pushed, 0, "{idle:?}");
    assert_eq!(answered(&url, "/v1/keys/needed").await - before, 1);
}
