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
/// stdout first (useful with port 0).
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
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    match tls {
        Some(tls) => {
            let _ = rustls_provider();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&tls.cert, &tls.key)
                .await
                .map_err(|e| ServeError::Tls(format!("{}: {e}", tls.cert.display())))?;
            let listener = std::net::TcpListener::bind(listen)?;
            listener.set_nonblocking(true)?;
            println!("listening on https://{}", listener.local_addr()?);
            let handle = axum_server::Handle::new();
            let stopper = handle.clone();
            tokio::spawn(async move {
                shutdown_signal().await;
                stopper.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
            });
            axum_server::from_tcp_rustls(listener, config)
                .handle(handle)
                .serve(app)
                .await?;
        }
        None => {
            let listener = tokio::net::TcpListener::bind(listen).await?;
            println!("listening on http://{}", listener.local_addr()?);
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown_signal())
                .await?;
        }
    }
    Ok(())
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
