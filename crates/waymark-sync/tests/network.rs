//! A failed request says what failed: nothing listening, a reset connection,
//! no answer in time, an answer cut short, or a proxy's error page instead
//! of the server. Each is a real TCP peer on loopback misbehaving one way.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use waymark_core::{Passphrase, Session};
use waymark_sync::{Client, NetworkFailure, SyncError, SyncOptions};

/// A peer that reads a request's head and then does `answer` to it.
async fn peer<F, Fut>(answer: F) -> String
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 64 * 1024];
            let mut seen = Vec::new();
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            answer(stream).await;
        }
    });
    url
}

async fn login_to(url: &str, session: &mut Session) -> SyncError {
    let options = SyncOptions {
        attempts: 1,
        timeout: Duration::from_millis(800),
        ..Default::default()
    };
    Client::new(url, options)
        .unwrap()
        .login(
            session,
            "amira",
            &Passphrase::new("network passphrase"),
            "laptop",
        )
        .await
        .expect_err("the login cannot succeed")
}

fn failure(e: &SyncError) -> NetworkFailure {
    match e {
        SyncError::Network { failure, .. } => *failure,
        other => panic!("not a network failure: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_network_failure_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = Session::create(
        &dir.path().join("store"),
        "amira",
        &Passphrase::new("network passphrase"),
    )
    .unwrap();

    // Nothing listens: the port was free a moment ago.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let e = login_to(&closed, &mut session).await;
    assert_eq!(failure(&e), NetworkFailure::Refused, "{e}");
    assert!(e.to_string().contains("connection was refused"), "{e}");

    // Reset: the peer closes with an RST the moment the request arrives.
    let url = peer(|stream| async move {
        stream.set_zero_linger().unwrap();
        drop(stream);
    })
    .await;
    let e = login_to(&url, &mut session).await;
    assert_eq!(failure(&e), NetworkFailure::Reset, "{e}");

    // Timed out: the peer never answers.
    let url = peer(|stream| async move {
        tokio::time::sleep(Duration::from_secs(5)).await;
        drop(stream);
    })
    .await;
    let e = login_to(&url, &mut session).await;
    assert_eq!(failure(&e), NetworkFailure::TimedOut, "{e}");
    assert!(e.to_string().contains("did not answer in time"), "{e}");

    // Truncated: the answer promises 500 bytes and stops after 20.
    let url = peer(|mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"token\": \"abcdefgh")
            .await;
        let _ = stream.shutdown().await;
    })
    .await;
    let e = login_to(&url, &mut session).await;
    assert_eq!(failure(&e), NetworkFailure::Truncated, "{e}");
    assert!(e.to_string().contains("cut off"), "{e}");

    // A gateway's page: 502 with HTML, not the server's JSON error body.
    let url = peer(|mut stream| async move {
        let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        let _ = stream
            .write_all(
                format!(
                    "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\r\n{page}",
                    page.len()
                )
                .as_bytes(),
            )
            .await;
        let _ = stream.shutdown().await;
    })
    .await;
    let e = login_to(&url, &mut session).await;
    assert!(
        matches!(e, SyncError::NotTheServer { status: 502 }),
        "{e:?}"
    );
    assert!(!e.to_string().contains("the server refused"), "{e}");
    assert!(e.to_string().contains("proxy or gateway"), "{e}");
}
