//! Joining a server with a new store, as the app's first run does: a
//! refused join leaves nothing behind, an accepted one an unlocked,
//! logged-in store. Through the blocking client front ends use.

use waymark_core::{Laptop, Passphrase};
use waymark_protocol::Role;
use waymark_sync::{BlockingClient, SyncError};
use waymark_testkit::in_process::serve_north;

const PASS: &str = "enrol passphrase";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_join_leaves_no_store_and_an_accepted_one_is_logged_in() {
    let dir = tempfile::tempdir().unwrap();
    let url = serve_north(dir.path(), &[("amira", Role::Worker)], PASS).await;
    let store = dir.path().join("laptop");
    let (refused, joined) = tokio::task::spawn_blocking(move || {
        let client = BlockingClient::from_env(&url).unwrap();
        let refused = client
            .enrol(
                &store,
                "amira",
                &Passphrase::new("not her passphrase"),
                "laptop",
            )
            .map(|_| ());
        let left_behind = store.exists() || Laptop::new(&store).has_people();
        let joined = client
            .enrol(&store, "amira", &Passphrase::new(PASS), "laptop")
            .map(|s| s.sync_account().unwrap().map(|a| a.server_user));
        // A join onto a store already there is refused, and the store kept.
        let again = client.enrol(
            &store,
            "amira",
            &Passphrase::new("not her passphrase"),
            "laptop",
        );
        assert!(
            matches!(&again, Err(e) if e.is_bad_input() && e.to_string().contains("already has a Waymark store")),
            "{:?}",
            again.map(|_| ())
        );
        assert!(
            Laptop::new(&store).has_people(),
            "the existing store is kept"
        );
        ((refused, left_behind), joined)
    })
    .await
    .unwrap();
    let (refused, left_behind) = refused;
    assert!(
        matches!(refused, Err(ref e @ SyncError::Refused { .. }) if e.is_bad_input()),
        "{refused:?}"
    );
    assert!(!left_behind, "a refused join leaves no store");
    assert_eq!(joined.unwrap(), Some("amira".to_owned()));
}
