//! Waymark's central sync server: authenticates users and devices, enforces
//! who may read and write which case, and keeps a gap-free ordered log of
//! opaque changes per case. See ARCHITECTURE.md.

pub mod admin;
pub mod api;
pub mod auth;
pub mod metrics;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use api::{router, AppState, ServeOptions};
pub use store::Store;

/// A certificate chain and private key (PEM files) for HTTPS.
pub struct Tls {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("--listen {0}: plain HTTP is only allowed on a loopback address; give --tls-cert and --tls-key")]
    PlainOffLoopback(SocketAddr),
    #[error("TLS: {0}")]
    Tls(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Serves the API until SIGINT or SIGTERM. Prints the bound address on
/// stdout first (useful with port 0), and the metrics address after it
/// when `/metrics` has one of its own.
pub async fn serve(
    store: Store,
    listen: SocketAddr,
    tls: Option<Tls>,
    options: ServeOptions,
) -> Result<(), ServeError> {
    if tls.is_none() && !listen.ip().is_loopback() {
        return Err(ServeError::PlainOffLoopback(listen));
    }
    let state = AppState::with_options(store, &options);
    let header_timeout = Duration::from_secs(options.header_timeout_seconds);
    let app = match options.metrics_listen {
        Some(_) => api::router_without_metrics(state.clone()),
        None => router(state.clone()),
    }
    .into_make_service_with_connect_info::<SocketAddr>();
    let listener = std::net::TcpListener::bind(listen)?;
    listener.set_nonblocking(true)?;
    let handle = axum_server::Handle::new();
    let scheme = if tls.is_some() { "https" } else { "http" };
    let mut started = format!("listening on {scheme}://{}", listener.local_addr()?);
    if let Some(at) = options.metrics_listen {
        let metrics = std::net::TcpListener::bind(at)?;
        metrics.set_nonblocking(true)?;
        started += &format!("\nmetrics on http://{}/metrics", metrics.local_addr()?);
        let mut server = axum_server::from_tcp(metrics).handle(handle.clone());
        slow_headers_cut_off(server.http_builder(), header_timeout);
        let app =
            api::metrics_router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { server.serve(app).await });
    }
    // One write: a reader that takes only the first line loses nothing.
    println!("{started}");
    tokio::spawn(run_due_erasures(state.store.clone()));
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        stopper.graceful_shutdown(Some(Duration::from_secs(10)));
    });
    match tls {
        Some(tls) => {
            let _ = rustls_provider();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&tls.cert, &tls.key)
                .await
                .map_err(|e| ServeError::Tls(format!("{}: {e}", tls.cert.display())))?;
            let mut server = axum_server::from_tcp_rustls(listener, config).handle(handle);
            slow_headers_cut_off(server.http_builder(), header_timeout);
            server.serve(app).await?;
        }
        None => {
            let mut server = axum_server::from_tcp(listener).handle(handle);
            slow_headers_cut_off(server.http_builder(), header_timeout);
            server.serve(app).await?;
        }
    }
    Ok(())
}

/// At start and every minute: the grace-period erasures whose time is up
/// run, and second-person requests nobody confirmed in time lapse. (Several
/// servers over one database each do it; the store takes each case once.)
async fn run_due_erasures(store: Store) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    loop {
        every.tick().await;
        match store.run_due_erasures(store::now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(erased = n, "erasures whose grace period ended"),
            Err(e) => tracing::warn!(error = %e, "due erasures did not run; next minute again"),
        }
    }
}

/// A client that has not sent a request's headers within `timeout` loses
/// the connection (hyper's timer does it; without one it never would).
fn slow_headers_cut_off(
    builder: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>,
    timeout: Duration,
) {
    builder
        .http1()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(timeout);
}

/// rustls needs one process-wide crypto provider; we use ring.
fn rustls_provider() -> Result<(), std::sync::Arc<rustls::crypto::CryptoProvider>> {
    rustls::crypto::ring::default_provider().install_default()
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = ctrl_c => {},
        _ = term.recv() => {},
    }
}
