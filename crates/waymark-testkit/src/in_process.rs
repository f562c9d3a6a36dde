//! A real server (its router on a loopback port in this process) over a
//! SQLite store, for the sync client's tests.

use std::net::SocketAddr;
use std::path::Path;
use waymark_protocol::Role;
use waymark_server::store::Store;

/// Organisation "North", team "outreach" holding `people`, each joined
/// with `passphrase` (their enrolment codes used as a first device would);
/// returns the server's URL.
pub async fn serve_north(dir: &Path, people: &[(&str, Role)], passphrase: &str) -> String {
    let store = Store::open(dir.join("server.db").to_str().unwrap())
        .await
        .unwrap();
    store.create_org("North").await.unwrap();
    store.add_team("North", "outreach").await.unwrap();
    let mut codes = Vec::new();
    for (name, role) in people {
        let now = waymark_server::store::now_ms();
        let (_, issued) =
            waymark_server::admin::add_user(&store, "North", Some("outreach"), name, *role, 7, now)
                .await
                .unwrap();
        codes.push((*name, issued.code));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = waymark_server::router(waymark_server::AppState::new(store))
        .into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    for (name, code) in codes {
        join(&url, name, &code, passphrase).await;
    }
    url
}

async fn join(url: &str, user: &str, code: &str, passphrase: &str) {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let http = reqwest::Client::new();
    let salts: serde_json::Value = http
        .post(format!("{url}/v1/login-salt"))
        .json(&serde_json::json!({ "user": user }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let salt = b64.decode(salts["new_salt"].as_str().unwrap()).unwrap();
    let key = waymark_protocol::auth::derive_auth_key(&salt, passphrase.as_bytes());
    let answer = http
        .post(format!("{url}/v1/join"))
        .json(&serde_json::json!({
            "user": user, "enrolment_code": code, "auth_key": b64.encode(key.as_slice()),
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.status(),
        200,
        "join {user}: {:?}",
        answer.text().await
    );
}

/// How many times the server at `url` answered `route` with 200 so far (its
/// metrics).
pub async fn answered(url: &str, route: &str) -> u64 {
    let metrics = reqwest::get(format!("{url}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let wanted = format!("waymark_http_requests_total{{route=\"{route}\",status=\"200\"}} ");
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(&wanted))
        .map_or(0, |n| n.trim().parse().unwrap())
}
