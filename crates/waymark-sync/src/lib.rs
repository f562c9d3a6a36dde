//! The sync client: logs a device in, pushes its outbox, pulls the per-case
//! logs it may read and applies them through the core.
//!
//! Resumable by construction: an outbox entry leaves only after the server
//! acknowledged it, and each pulled page is applied in the same transaction
//! that advances its cursors. A sync cut off anywhere continues where it
//! stopped; a change is never applied twice (the core checks seqs) nor lost.
//! Network failures, 5xx and 429 answers are retried with backoff.
//!
//! `Client` (here) holds the connection; `sync` runs a sync's stages, `keys`
//! trust and case keys, `blobs` attachment contents, `admin` the admin
//! calls, `http` requests with retries, `error` what went wrong and how it
//! reaches a screen; `blocking` is the client for front ends without a
//! runtime (the CLI, the app).

mod access;
mod admin;
mod blobs;
mod blocking;
mod error;
mod http;
mod keys;
mod sync;

pub use blocking::{change_passphrase, erase_if_revoked, BlockingClient};
pub(crate) use error::network;
pub use error::{ErrorSummary, FailureKind, NetworkFailure, Result, SyncError};
pub use sync::{own_runs, Progress, Stage, SyncReport, SyncStopped};
pub use waymark_core::model::views::{Confirmed, Phase};

use std::time::Duration;
use waymark_protocol::*;

/// Whether a "device revoked" answer from `server_url` may wipe this device:
/// only from a server whose identity was checked (HTTPS), or on this
/// machine. Plain HTTP elsewhere could be anyone, and a forged answer must
/// not be able to erase a caseworker's unsynced notes. (The client refuses
/// such a server anyway; a store may hold an address saved before it did.)
pub fn revocation_is_trusted(server_url: &str) -> bool {
    is_authenticated_or_local(server_url)
}

/// HTTPS, or plain HTTP to this machine: the only servers a client talks to.
fn is_authenticated_or_local(server_url: &str) -> bool {
    let url = server_url.to_ascii_lowercase();
    url.starts_with("https://")
        || ["http://127.0.0.1", "http://localhost", "http://[::1]"]
            .iter()
            .any(|p| url.starts_with(p) && url[p.len()..].starts_with([':', '/']) || url == *p)
}

/// Tuning; the defaults suit a laptop on a poor connection.
#[derive(Clone, Debug)]
pub struct SyncOptions {
    /// Outbox entries per push.
    pub push_batch: usize,
    /// Changes per pull page.
    pub pull_limit: u32,
    /// Attempts per request before giving up (1 = no retry).
    pub attempts: u32,
    /// First backoff; doubles per retry, up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
    pub timeout: Duration,
    /// A PEM certificate to trust besides the system's (a server with an
    /// organisation's own certificate authority).
    pub extra_root_pem: Option<Vec<u8>>,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            push_batch: 2_000,
            pull_limit: MAX_PULL_LIMIT,
            attempts: 6,
            backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            extra_root_pem: None,
        }
    }
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    options: SyncOptions,
}

/// How the server lists this device among a person's devices: its host name.
pub fn device_label() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "Waymark device".into())
}

impl Client {
    /// A client with the default options, trusting also the certificate
    /// named by WAYMARK_CA_CERT (an organisation's own authority), as every
    /// front end does.
    pub fn from_env(server_url: &str) -> Result<Client> {
        let mut options = SyncOptions::default();
        if let Ok(path) = std::env::var("WAYMARK_CA_CERT") {
            options.extra_root_pem = Some(
                std::fs::read(&path)
                    .map_err(|e| SyncError::UnreadableCertificate(format!("{path}: {e}")))?,
            );
        }
        Client::new(server_url.trim(), options)
    }

    pub fn new(server_url: &str, options: SyncOptions) -> Result<Client> {
        let base = server_url.trim_end_matches('/').to_owned();
        if !is_authenticated_or_local(&base) {
            return Err(SyncError::BadServerUrl(server_url.to_owned()));
        }
        // A redirect could take the token and the changes somewhere else:
        // the server's address is the one the person gave, and only it.
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(options.timeout)
            .user_agent(concat!("waymark/", env!("CARGO_PKG_VERSION")));
        if let Some(pem) = &options.extra_root_pem {
            let cert = reqwest::Certificate::from_pem(pem)
                .map_err(|e| SyncError::BadCertificate(e.to_string()))?;
            builder = builder.add_root_certificate(cert);
        }
        let http = builder.build().map_err(network)?;
        Ok(Client {
            http,
            base,
            options,
        })
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn only_an_authenticated_or_local_server_can_order_a_wipe() {
        for url in [
            "https://sync.example.org",
            "HTTPS://sync.example.org/",
            "http://127.0.0.1:8443",
            "http://localhost:8443/",
            "http://[::1]:9000",
        ] {
            assert!(revocation_is_trusted(url), "{url}");
        }
        for url in [
            "http://sync.example.org",
            "http://127.0.0.1.evil.example:80",
            "http://localhost.evil.example",
            "ftp://127.0.0.1",
        ] {
            assert!(!revocation_is_trusted(url), "{url}");
        }
    }

    #[test]
    fn a_client_talks_only_to_https_or_this_machine() {
        for url in ["https://sync.example.org", "http://127.0.0.1:8080/"] {
            assert!(Client::new(url, SyncOptions::default()).is_ok(), "{url}");
        }
        for url in [
            "http://sync.example.org",
            "http://10.0.0.1:8080",
            "ftp://127.0.0.1",
        ] {
            let refused = Client::new(url, SyncOptions::default()).err().unwrap();
            assert!(matches!(refused, SyncError::BadServerUrl(_)), "{url}");
            assert!(refused.to_string().contains("https://"), "{refused}");
        }
    }

    use super::*;
}
