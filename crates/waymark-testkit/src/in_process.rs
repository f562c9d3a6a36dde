//! A real server (its router on a loopback port in this process) over a
//! SQLite store, for the sync client's tests.

use std::net::SocketAddr;
use std::path::Path;
use waymark_protocol::Role;
use waymark_server::store::Store;

/// Organisation "North", team "outreach" holding `people`, each with
/// `passphrase`; returns the server's URL.
pub async fn serve_north(dir: &Path, people: &[(&str, Role)], passphrase: &str) -> String {
    let store = Store::open(dir.join("server.db").to_str().unwrap())
        .await
        .unwrap();
    store.create_org("North").await.unwrap();
    store.add_team("North", "outreach").await.unwrap();
    for (name, role) in people {
        waymark_server::admin::add_user(&store, "North", Some("outreach"), name, *role, passphrase)
            .await
            .unwrap();
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = waymark_server::router(waymark_server::AppState::new(store))
        .into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}
