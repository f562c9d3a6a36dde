//! Our SQLCipher crypto provider (RustCrypto) must write exactly the format
//! SQLCipher's own OpenSSL provider writes: a store made by either opens and
//! reads with the other. The OpenSSL side runs as a child process (the
//! provider is chosen once per process).

use std::process::Command;
use waymark_core::Session;
use waymark_testkit::device::*;

fn provider(s: &Session) -> String {
    s.connection()
        .query_row("PRAGMA cipher_provider", [], |r| r.get(0))
        .unwrap()
}

/// The child: SQLCipher's OpenSSL provider. "create" makes a store with one
/// note; "read" finds the note the parent wrote. Prints the provider used.
#[test]
#[ignore = "run as a child process by the test below"]
fn openssl_child() {
    let dir = std::env::var("WAYMARK_COMPAT_DIR").expect("child only");
    waymark_cipher::keep_openssl_provider_for_compatibility_test();
    let dir = std::path::Path::new(&dir);
    let s = match std::env::var("WAYMARK_COMPAT_MODE").unwrap().as_str() {
        "create" => {
            let mut s = new_store(dir);
            let case = person(&mut s, "Verity Compat");
            note(&mut s, case, "written through the openssl provider");
            s
        }
        _ => Session::unlock(dir, None, &pass()).unwrap(),
    };
    let found = s.search("rustcrypto", 5).unwrap().len();
    let integrity: String = s
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    println!(
        "provider={} found_rustcrypto_note={found} integrity={integrity}",
        provider(&s)
    );
}

fn child(dir: &std::path::Path, mode: &str) -> String {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "openssl_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("WAYMARK_COMPAT_DIR", dir)
        .env("WAYMARK_COMPAT_MODE", mode)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "child failed: {stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn stores_are_interchangeable_between_openssl_and_our_provider() {
    let dir = tempfile::tempdir().unwrap();
    let made = child(dir.path(), "create");
    assert!(made.contains("provider=openssl"), "{made}");

    let mut s = Session::unlock(dir.path(), None, &pass()).unwrap();
    assert_eq!(provider(&s), waymark_cipher::PROVIDER_NAME);
    let hits = s.search("openssl provider", 5).unwrap();
    assert_eq!(hits.len(), 1, "the OpenSSL-written note reads back");
    let case = hits[0].case_id;
    // Enough writes to fill fresh pages and the WAL, then checkpoint them into
    // the database file, so the child reads pages we encrypted, from both.
    for i in 0..200 {
        note(
            &mut s,
            case,
            &format!("note {i} written through the rustcrypto provider"),
        );
    }
    s.connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    note(&mut s, case, "one more in the WAL from rustcrypto");
    s.lock();

    let read = child(dir.path(), "read");
    assert!(read.contains("provider=openssl"), "{read}");
    assert!(read.contains("found_rustcrypto_note=5"), "{read}");
    assert!(read.contains("integrity=ok"), "{read}");
}
