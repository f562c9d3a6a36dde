//! The sync client: logs a device in, pushes its outbox, pulls the per-case
//! logs it may read and applies them through the core.
//!
//! Resumable by construction: an outbox entry leaves only after the server
//! acknowledged it, and each pulled page is applied in the same transaction
//! that advances its cursors. A sync cut off anywhere continues where it
//! stopped; a change is never applied twice (the core checks seqs) nor lost.
//! Network failures, 5xx and 429 answers are retried with backoff.

mod blocking;
pub use blocking::{erase_if_revoked, BlockingClient};

use reqwest::StatusCode;
use serde::Serialize;
use serde_json::Value;
use std::time::Duration;
use uuid::Uuid;
use waymark_core::sync::{Acked, ApplyReport, OwnRun, Placed, PulledPage, SyncAccount};
use waymark_core::{Passphrase, Session};
use waymark_protocol::*;
use zeroize::Zeroizing;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("not logged in to a sync server; run `waymark login --server URL` first")]
    NotLoggedIn,
    #[error("--server {0}: must be an https:// URL (plain http:// only to this machine: 127.0.0.1, localhost or [::1])")]
    BadServerUrl(String),
    #[error("WAYMARK_CA_CERT: not a PEM certificate: {0}")]
    BadCertificate(String),
    #[error("WAYMARK_CA_CERT: cannot read {0}")]
    UnreadableCertificate(String),
    /// The request did not get through, or its answer did not get back.
    #[error("{}: {detail}", failure.sentence())]
    Network {
        failure: NetworkFailure,
        detail: String,
    },
    /// Something other than a Waymark server answered: a proxy's or a
    /// gateway's page (an HTTP error without Waymark's JSON error body).
    #[error("something between this device and the server answered HTTP {status} instead of the server (a proxy or gateway; try again later)")]
    NotTheServer { status: u16 },
    /// The server refused: its code and sentence.
    #[error("the server refused ({status}, {code}): {message}")]
    Refused {
        status: u16,
        code: ErrorCode,
        message: String,
        server_time_ms: Option<i64>,
        /// With `case_erased`: the erased cases a push named.
        erased: Vec<Uuid>,
    },
    #[error("the server sent something unexpected: {0}")]
    Protocol(String),
    #[error(transparent)]
    Core(#[from] waymark_core::Error),
}

impl SyncError {
    /// Bad input from the person (wrong passphrase, no login, bad URL), as
    /// opposed to a failure of the network or a server.
    pub fn is_bad_input(&self) -> bool {
        match self {
            SyncError::NotLoggedIn
            | SyncError::BadServerUrl(_)
            | SyncError::BadCertificate(_)
            | SyncError::UnreadableCertificate(_) => true,
            SyncError::Refused { status, .. } => (400..500).contains(status) && *status != 429,
            SyncError::Core(e) => e.is_bad_input(),
            _ => false,
        }
    }

    /// The server says an administrator revoked this device.
    pub fn is_device_revoked(&self) -> bool {
        matches!(
            self,
            SyncError::Refused {
                status: 401,
                code: ErrorCode::DeviceRevoked,
                ..
            }
        )
    }

    /// The server's error code, when it refused.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            SyncError::Refused { code, .. } => Some(*code),
            _ => None,
        }
    }

    fn retryable(&self) -> bool {
        match self {
            SyncError::Network { .. } => true,
            SyncError::Refused { status, .. } | SyncError::NotTheServer { status } => {
                *status >= 500 || *status == 429
            }
            _ => false,
        }
    }
}

/// How a sync or server error reaches a screen: beside the form field it
/// concerns, or with the kind the screen acts on; plain words throughout.
impl From<SyncError> for Problem {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Core(e) => e.into(),
            SyncError::Network { failure, .. } => Problem::of_kind(
                ProblemCode::Offline,
                format!("{}; your work is kept", failure.sentence()),
            ),
            SyncError::BadServerUrl(_) => Problem::at(
                "server",
                "must start with https:// (or http:// on this computer)",
            ),
            SyncError::NotLoggedIn => Problem::of_kind(
                ProblemCode::NotConnected,
                "this person is not connected to a server yet (Sync → Connect)",
            ),
            SyncError::Refused { code, message, .. } => match code {
                ErrorCode::BadCredentials => Problem::at(
                    "passphrase",
                    "the server does not know this user name with this passphrase",
                ),
                ErrorCode::UserDisabled => Problem::of_kind(
                    ProblemCode::Refused,
                    "your account is disabled: ask your administrator",
                ),
                ErrorCode::DeviceRevoked => Problem::of_kind(
                    ProblemCode::Refused,
                    "this laptop's access was withdrawn by your administrator",
                ),
                // "field: problem" from the server: shown beside the field.
                ErrorCode::Invalid | ErrorCode::Conflict => match message.split_once(": ") {
                    Some((field, problem))
                        if field.chars().all(|c| c.is_ascii_lowercase() || c == '_') =>
                    {
                        Problem::at(field, problem)
                    }
                    _ => Problem::of_kind(
                        ProblemCode::Refused,
                        format!("the server refused: {message}"),
                    ),
                },
                ErrorCode::TooManyAttempts => {
                    Problem::of_kind(ProblemCode::Refused, format!("the server says: {message}"))
                }
                _ => Problem::of_kind(
                    ProblemCode::Refused,
                    format!("the server refused: {message}"),
                ),
            },
            other => Problem::plain(other.to_string()),
        }
    }
}

pub type Result<T, E = SyncError> = std::result::Result<T, E>;

/// Why a request did not get through, as precisely as the network says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkFailure {
    /// The server's name did not resolve (offline, or a wrong address).
    NameNotFound,
    /// Nothing listens at that address.
    Refused,
    /// The connection was reset or closed before an answer.
    Reset,
    TimedOut,
    /// The answer stopped before it was complete.
    Truncated,
    /// The server's certificate is not one this device trusts.
    Certificate,
    Other,
}

impl NetworkFailure {
    /// What happened, in words a caseworker can act on.
    pub fn sentence(self) -> &'static str {
        match self {
            NetworkFailure::NameNotFound => {
                "cannot reach the server: its name does not resolve (offline, or a wrong address)"
            }
            NetworkFailure::Refused => {
                "cannot reach the server: the connection was refused (nothing listens at that address)"
            }
            NetworkFailure::Reset => "the connection to the server was reset before it answered",
            NetworkFailure::TimedOut => "the server did not answer in time",
            NetworkFailure::Truncated => "the server's answer was cut off before it was complete",
            NetworkFailure::Certificate => {
                "the server's certificate is not trusted (WAYMARK_CA_CERT names an organisation's own authority)"
            }
            NetworkFailure::Other => "cannot reach the server",
        }
    }

    /// Reads the failure out of reqwest's error and the errors beneath it.
    fn of(e: &reqwest::Error) -> NetworkFailure {
        use std::io::ErrorKind;
        if e.is_timeout() {
            return NetworkFailure::TimedOut;
        }
        let mut source: Option<&dyn std::error::Error> = Some(e);
        while let Some(error) = source {
            if let Some(io) = error.downcast_ref::<std::io::Error>() {
                match io.kind() {
                    ErrorKind::ConnectionRefused => return NetworkFailure::Refused,
                    ErrorKind::ConnectionReset
                    | ErrorKind::ConnectionAborted
                    | ErrorKind::BrokenPipe => return NetworkFailure::Reset,
                    ErrorKind::UnexpectedEof => return NetworkFailure::Truncated,
                    ErrorKind::TimedOut => return NetworkFailure::TimedOut,
                    _ => {}
                }
            }
            // hyper and the resolver say it only in words.
            let text = error.to_string();
            if text.contains("dns error") || text.contains("failed to lookup address") {
                return NetworkFailure::NameNotFound;
            }
            if text.contains("certificate") {
                return NetworkFailure::Certificate;
            }
            if text.contains("connection closed before message completed") {
                return NetworkFailure::Reset;
            }
            if text.contains("end of file before message length reached")
                || text.contains("incomplete")
            {
                return NetworkFailure::Truncated;
            }
            source = error.source();
        }
        if e.is_body() || e.is_decode() {
            NetworkFailure::Truncated
        } else {
            NetworkFailure::Other
        }
    }
}

fn network(e: reqwest::Error) -> SyncError {
    SyncError::Network {
        failure: NetworkFailure::of(&e),
        detail: e.without_url().to_string(),
    }
}

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

pub use waymark_core::model::views::{Confirmed, Phase};
use waymark_core::model::{Problem, ProblemCode};

/// For a progress bar: changes done out of the total known so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub done: u64,
    pub total: u64,
}

/// What one sync moved.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SyncReport {
    pub pushed: u64,
    /// Pushed changes the server already had (an earlier push whose answer
    /// was lost): stored once.
    pub already_on_server: u64,
    pub pulled: u64,
    pub applied: ApplyReport,
    /// Logs the server had fewer changes of than this device had applied (a
    /// server restored from an older backup).
    pub logs_behind_on_server: Vec<Uuid>,
    /// This device's changes pushed again to a restored server.
    pub requeued_for_server: u64,
    /// Changes re-stamped because this device's clock ran ahead.
    pub restamped: u64,
    /// Attachment bytes uploaded.
    pub blob_bytes_uploaded: u64,
    /// Removed records purged: every device that reads their case has seen
    /// the removal.
    pub tombstones_purged: u64,
    pub open_conflicts: usize,
    pub held_for_upgrade: i64,
    /// Case keys sealed to this device that arrived, and keys this device
    /// sealed for members (and the recovery key) that lacked them.
    pub keys_received: u64,
    pub keys_sealed: u64,
    /// Cases given a new key because a member left.
    pub keys_rotated: u64,
    /// Changes still waiting for their case key after this sync.
    pub awaiting_key: i64,
    /// Cases erased by the organisation, dropped from this device.
    pub cases_erased: u64,
    /// Recipients the server listed that this device refused to seal to
    /// (no certified identity vouches for them): `waymark refused` lists them.
    pub recipients_refused: u64,
    /// Sealed keys held aside because no confirmed identity signed them.
    pub keys_refused: u64,
    /// Certificates (or the recovery key's signature) that did not verify.
    pub certificates_refused: u64,
    /// No admin has confirmed this person's identity yet: colleagues'
    /// devices seal them no case keys until one does.
    pub waiting_for_confirmation: bool,
    pub requests: u64,
}

/// The stages of a sync, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The organisation's key and certificates: whom to trust.
    Trust,
    /// Case keys, received and sealed.
    Keys,
    Push,
    /// Attachments' contents, uploaded.
    Attachments,
    Pull,
    /// Removed records every device has seen, purged.
    Tidy,
}

/// A sync that stopped: the stage it reached, what moved before it (kept:
/// a later sync carries on from there), and why.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct SyncStopped {
    pub stage: Stage,
    pub moved: Box<SyncReport>,
    #[source]
    pub error: SyncError,
}

/// What kind of failure a [`SyncError`] is, for scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The server refused: its `code` says why.
    Refused,
    /// The request or its answer did not get through: `network` says how.
    Network,
    /// A proxy or gateway answered instead of the server.
    NotTheServer,
    NotLoggedIn,
    BadServerUrl,
    /// The certificate named by WAYMARK_CA_CERT is unreadable or not PEM.
    Certificate,
    /// The server answered something this client cannot read.
    Protocol,
    /// The device's store refused or failed (`message` says which).
    Store,
}

/// A sync error as `sync --json` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct ErrorSummary {
    pub kind: FailureKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<ErrorCode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkFailure>,
    /// The HTTP status, when an answer came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub message: String,
}

impl SyncError {
    pub fn summary(&self) -> ErrorSummary {
        let (kind, code, network, status) = match self {
            SyncError::Refused { status, code, .. } => {
                (FailureKind::Refused, Some(*code), None, Some(*status))
            }
            SyncError::Network { failure, .. } => {
                (FailureKind::Network, None, Some(*failure), None)
            }
            SyncError::NotTheServer { status } => {
                (FailureKind::NotTheServer, None, None, Some(*status))
            }
            SyncError::NotLoggedIn => (FailureKind::NotLoggedIn, None, None, None),
            SyncError::BadServerUrl(_) => (FailureKind::BadServerUrl, None, None, None),
            SyncError::BadCertificate(_) | SyncError::UnreadableCertificate(_) => {
                (FailureKind::Certificate, None, None, None)
            }
            SyncError::Protocol(_) => (FailureKind::Protocol, None, None, None),
            SyncError::Core(_) => (FailureKind::Store, None, None, None),
        };
        ErrorSummary {
            kind,
            code,
            network,
            status,
            message: self.to_string(),
        }
    }
}

impl From<SyncStopped> for SyncError {
    fn from(stopped: SyncStopped) -> SyncError {
        stopped.error
    }
}

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

    /// The organisation's enrolled devices (an admin).
    pub async fn org_devices(&self, session: &Session) -> Result<Vec<DeviceInfo>> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        let answer: DevicesResponse = self
            .post("/v1/devices", Some(&account.token), &serde_json::json!({}))
            .await?;
        Ok(answer.devices)
    }

    /// The organisation's devices as this device makes them out: each
    /// identity's phrase computed here, whether it vouches for the device's
    /// key, and whether it is confirmed (an admin).
    pub async fn listed_devices(
        &self,
        session: &Session,
    ) -> Result<Vec<waymark_core::identity::ListedDevice>> {
        let devices = self.org_devices(session).await?;
        Ok(session.listed_devices(devices)?)
    }

    /// Revokes a device of the organisation (an admin).
    pub async fn revoke_device(&self, session: &Session, device: Uuid) -> Result<()> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        let _: serde_json::Value = self
            .post(
                &format!("/v1/devices/{device}/revoke"),
                Some(&account.token),
                &serde_json::json!({}),
            )
            .await?;
        Ok(())
    }

    /// Registers the organisation's recovery public key (an admin, once).
    /// Makes the organisation's recovery key pair (an admin, once) and
    /// registers its public half. `keep` stores the secret's text (a private
    /// file, the screen) first: a key the server holds that nobody kept
    /// would be worse than none. When the server then refuses, the error
    /// comes back and the kept copy is the caller's to discard. Returns the
    /// key's fingerprint.
    pub async fn create_recovery_key(
        &self,
        session: &Session,
        keep: impl FnOnce(&str) -> waymark_core::Result<()>,
    ) -> Result<String> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        let secret = waymark_crypto::UserSecret::generate();
        let public = secret.public();
        // Devices seal to it only with an admin's signature over it.
        let (signer_key, signature) = session.vouch_for_recovery_key(account.org_id, &public)?;
        keep(&waymark_crypto::recovery_key_text(&secret))?;
        let _: serde_json::Value = self
            .post(
                "/v1/recovery/key",
                Some(&account.token),
                &RecoveryKeyRequest {
                    public_key: public.0.to_vec(),
                    signer_key,
                    signature,
                },
            )
            .await?;
        Ok(waymark_crypto::fingerprint(&public))
    }

    /// Restores a person's access with the organisation's recovery key (an
    /// admin): every case key sealed to the recovery key that their usable
    /// devices lack is opened here, in memory only, and sealed to those
    /// devices. This device never receives the cases themselves. Returns how
    /// many keys were resealed.
    pub async fn recover_user(
        &self,
        session: &mut Session,
        recovery: &waymark_crypto::UserSecret,
        user: &str,
    ) -> Result<u64> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        let token = account.token.as_str();
        let mut resealed = 0;
        loop {
            let answer: RecoveryNeededResponse = self
                .post(
                    "/v1/recovery/needed",
                    Some(token),
                    &RecoveryNeededRequest {
                        user: user.to_owned(),
                    },
                )
                .await?;
            // Resealed only to a device key a confirmed identity signed.
            let screened: Vec<KeyNeeded> = answer
                .needed
                .iter()
                .map(|n| KeyNeeded {
                    log_id: n.log_id,
                    epoch: n.epoch,
                    recipient_key: n.recipient_key.clone(),
                    identity_key: n.identity_key.clone(),
                    key_signature: n.key_signature.clone(),
                })
                .collect();
            let allowed = session.screen_recipients(&screened)?;
            let mut keys = Vec::with_capacity(answer.needed.len());
            for (need, _) in answer.needed.iter().zip(allowed).filter(|(_, ok)| *ok) {
                let key = waymark_crypto::open_case_key(
                    recovery,
                    need.log_id,
                    need.epoch,
                    &need.sealed_to_recovery,
                )
                .map_err(|e| SyncError::Protocol(format!("case {}: {e}", need.log_id)))?;
                let Ok(recipient) = <[u8; 32]>::try_from(need.recipient_key.as_slice()) else {
                    continue;
                };
                if let Ok(sealed) = waymark_crypto::seal_case_key(
                    &waymark_crypto::UserPublic(recipient),
                    need.log_id,
                    &key,
                ) {
                    keys.push(SealedKey {
                        log_id: need.log_id,
                        epoch: need.epoch,
                        recipient_key: need.recipient_key.clone(),
                        sealed,
                        sender_identity: None,
                        signature: None,
                    });
                }
            }
            if keys.is_empty() {
                return Ok(resealed);
            }
            session.sign_sealed_keys(&mut keys)?;
            let stored: StoreKeysResponse = self
                .post(
                    "/v1/recovery/keys",
                    Some(token),
                    &RecoveryKeysRequest {
                        user: user.to_owned(),
                        keys,
                    },
                )
                .await?;
            if stored.stored == 0 {
                return Ok(resealed);
            }
            resealed += stored.stored;
        }
    }

    /// Erases a case for good (a supervisor or an admin): the server
    /// deletes its log, attachments and sealed keys, and this device drops
    /// its copy at once (every other device at its next sync).
    pub async fn erase_case(&self, session: &mut Session, case: Uuid, reason: &str) -> Result<()> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        let _: EraseResponse = self
            .post(
                &format!("/v1/cases/{case}/erase"),
                Some(&account.token),
                &EraseRequest {
                    reason: reason.to_owned(),
                },
            )
            .await?;
        session.erase_cases(&[case])?;
        Ok(())
    }

    /// Logs the unlocked person in from this device and saves the link (and
    /// device token) in the store. The passphrase never leaves the device:
    /// only the key derived from it does.
    pub async fn login(
        &self,
        session: &mut Session,
        server_user: &str,
        passphrase: &Passphrase,
        device_label: &str,
    ) -> Result<SyncAccount> {
        let user = server_user.to_owned();
        let pass = Zeroizing::new(passphrase.expose().as_bytes().to_vec());
        let auth_key = tokio::task::spawn_blocking(move || auth::derive_auth_key(&user, &pass))
            .await
            .map_err(|e| SyncError::Protocol(e.to_string()))?;
        let request = LoginRequest {
            user: server_user.to_owned(),
            auth_key,
            device_id: session.device_id(),
            device_label: device_label.to_owned(),
            // Registered with the server: case keys will be sealed to it,
            // and the identity vouches for it.
            public_key: Some(session.public_key()?.0.to_vec()),
            identity_key: Some(session.identity_key()?.0.to_vec()),
            key_signature: Some(session.device_key_signature()?.0.to_vec()),
        };
        let answer: LoginResponse = self.post("/v1/login", None, &request).await?;
        let account = SyncAccount {
            server_url: self.base.clone(),
            server_user: server_user.to_owned(),
            server_user_id: answer.user_id,
            org_id: answer.org_id,
            role: answer.role.as_str().to_owned(),
            token: Zeroizing::new(answer.token),
            logged_in_at_ms: answer.server_time_ms,
            synced_at_ms: None,
        };
        session.save_sync_account(&account)?;
        // Pins the organisation's key now, at joining (the first admin's
        // device makes it).
        self.refresh_trust(session, &account, &mut SyncReport::default())
            .await?;
        Ok(account)
    }

    /// Fetches what the server relays of the organisation's trust and keeps
    /// what verifies against the pinned key. An admin's device makes the
    /// organisation's signing key when the organisation has none.
    async fn refresh_trust(
        &self,
        session: &mut Session,
        account: &SyncAccount,
        report: &mut SyncReport,
    ) -> Result<()> {
        let token = account.token.as_str();
        let empty = serde_json::json!({});
        let mut relayed: TrustResponse = self.post("/v1/trust", Some(token), &empty).await?;
        report.requests += 1;
        if relayed.org_key.is_none()
            && account.role == Role::Admin.as_str()
            && session.trust_state()?.org_key_phrase.is_none()
        {
            let key = session.new_org_key(account.org_id)?;
            match self
                .post::<_, Value>("/v1/org/key", Some(token), &key.request)
                .await
            {
                Ok(_) => session.keep_org_key(account.org_id, key)?,
                // Another admin's device registered one first: pin theirs.
                Err(SyncError::Refused { status: 409, .. }) => {}
                Err(e) => return Err(e),
            }
            relayed = self.post("/v1/trust", Some(token), &empty).await?;
            report.requests += 2;
        }
        report.certificates_refused = session.accept_trust(account.org_id, &relayed)?.len() as u64;
        report.waiting_for_confirmation = session.trust_state()?.confirmed_as.is_none();
        Ok(())
    }

    /// Confirms a person's identity (an admin): among their devices the
    /// server lists, the identity whose fingerprint phrase, computed here,
    /// is `phrase` (as the person reads it from their own screen) is
    /// certified in the role the organisation gave them. A phrase that
    /// matches none certifies nothing. Certifying an admin (who may then
    /// confirm others) needs `as_admin`.
    pub async fn confirm(
        &self,
        session: &mut Session,
        user: &str,
        phrase: &str,
        as_admin: bool,
    ) -> Result<Confirmed> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        self.refresh_trust(session, &account, &mut SyncReport::default())
            .await?;
        let devices = self.org_devices(session).await?;
        let theirs: Vec<&DeviceInfo> = devices.iter().filter(|d| d.user == user).collect();
        if theirs.is_empty() {
            return Err(waymark_core::Error::invalid(
                "USER",
                format!("{user:?} has no device enrolled in your organisation"),
            )
            .into());
        }
        let matching = theirs.iter().find_map(|d| {
            let identity =
                waymark_crypto::IdentityPublic::from_bytes(d.identity_key.as_deref()?).ok()?;
            let listed = waymark_core::identity::check_listed((*d).clone());
            (listed.key_vouched && waymark_crypto::phrase_matches(&identity, phrase))
                .then_some((*d, identity))
        });
        let Some((device, identity)) = matching else {
            return Err(waymark_core::Error::invalid(
                "--fingerprint",
                format!(
                    "matches none of {user}'s identities: compare the phrase on their screen (waymark identity, or Settings in the app) again; nothing was confirmed"
                ),
            )
            .into());
        };
        if device.role == Role::Admin && !as_admin {
            return Err(waymark_core::Error::invalid(
                "--admin",
                format!("{user:?} is an admin: confirming them lets them confirm others; add --admin if that is meant"),
            )
            .into());
        }
        let certificate = session.certify(
            account.org_id,
            (device.user_id, &device.user),
            device.role,
            &identity,
        )?;
        let _: Value = self
            .post("/v1/certificates", Some(&account.token), &certificate)
            .await?;
        self.refresh_trust(session, &account, &mut SyncReport::default())
            .await?;
        Ok(Confirmed {
            user: user.to_owned(),
            role: device.role,
            fingerprint_phrase: waymark_crypto::fingerprint_phrase(&identity),
        })
    }

    /// Pushes the outbox, then pulls and applies everything new.
    pub async fn sync(
        &self,
        session: &mut Session,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<SyncReport, SyncStopped> {
        let mut report = SyncReport::default();
        let mut stage = Stage::Trust;
        match self
            .sync_stages(session, progress, &mut report, &mut stage)
            .await
        {
            Ok(()) => Ok(report),
            Err(error) => Err(SyncStopped {
                stage,
                moved: Box::new(report),
                error,
            }),
        }
    }

    async fn sync_stages(
        &self,
        session: &mut Session,
        progress: &mut dyn FnMut(Progress),
        report: &mut SyncReport,
        stage: &mut Stage,
    ) -> Result<()> {
        let mut account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        let token = account.token.clone();
        let started_ms = now_ms();
        // Keys both ways before pushing: a case a member left gets its next
        // key now (ours, or another device's sealed to us), so what this
        // device wrote since goes under it. New cases' first keys are sealed
        // after the push that creates them; a sync that pushed nothing
        // created no case, so it asks only once.
        // Whom to trust first: keys are kept, and sealed, only by it.
        self.refresh_trust(session, &account, report).await?;
        *stage = Stage::Keys;
        // Keys held aside at an earlier sync may pass now (their sealer was
        // confirmed since); those arriving now are checked as they come.
        let rechecked = session.recheck_refused_keys()?;
        report.keys_received += rechecked.keys;
        report.applied.add(&rechecked.applied);
        self.receive_keys(session, &token, report).await?;
        self.seal_keys(session, &token, report).await?;
        *stage = Stage::Push;
        self.push_all(session, &token, report, progress).await?;
        *stage = Stage::Attachments;
        self.upload_blobs(session, &token, report).await?;
        if report.pushed > 0 {
            *stage = Stage::Keys;
            self.seal_keys(session, &token, report).await?;
        }
        *stage = Stage::Pull;
        self.pull_all(session, &token, report, progress).await?;
        *stage = Stage::Tidy;
        self.purge_tombstones(session, &token, report).await?;
        report.open_conflicts = session.conflicts(true)?.len();
        report.held_for_upgrade = session.held_for_upgrade()?;
        report.awaiting_key = session.awaiting_key()?;
        report.recipients_refused = session.recipients_refused_since(started_ms)?;
        report.keys_refused = session.refused_keys()?.len() as u64;
        account.synced_at_ms = Some(now_ms());
        session.save_sync_account(&account)?;
        Ok(())
    }

    async fn push_all(
        &self,
        session: &mut Session,
        token: &str,
        report: &mut SyncReport,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<()> {
        let total = session.pending_changes()? as u64;
        let mut done = 0;
        let mut restamped = false;
        progress(Progress {
            phase: Phase::Push,
            done,
            total,
        });
        let limit = self.options.push_batch as i64;
        // The next batch, signed and encrypted while the server took the
        // last one; dropped if that one was refused (nothing is lost: the
        // outbox keeps every entry until the server acknowledges it).
        let mut prepared: Option<Vec<waymark_core::sync::Outgoing>> = None;
        loop {
            let batch = match prepared.take() {
                Some(batch) => batch,
                None => session.outgoing(limit)?,
            };
            let Some(last_seq) = batch.last().map(|o| o.seq) else {
                return Ok(());
            };
            let seq_of: std::collections::HashMap<Uuid, i64> = batch
                .iter()
                .map(|o| (o.envelope.change_id, o.seq))
                .collect();
            let request = PushRequest {
                changes: batch.into_iter().map(|o| o.envelope).collect(),
            };
            let (answer, next) = tokio::join!(
                self.post::<_, PushResponse>("/v1/push", Some(token), &request),
                async { session.outgoing_after(last_seq, limit) }
            );
            let answer: PushResponse = match answer {
                Ok(answer) => answer,
                Err(SyncError::Refused {
                    code,
                    server_time_ms: Some(server_now),
                    ..
                }) if code == ErrorCode::ClockAhead && !restamped => {
                    // This laptop's clock runs ahead: re-stamp what it wrote
                    // against the server's clock, once, and push again.
                    report.restamped += session.restamp_ahead(server_now)?;
                    restamped = true;
                    continue;
                }
                Err(SyncError::Refused { code, erased, .. })
                    if code == ErrorCode::CaseErased && !erased.is_empty() =>
                {
                    // Cases erased while this device was away: drop them
                    // (with their unsent changes) and push the rest.
                    let dropped = session.erase_cases(&erased)?;
                    if dropped == 0 {
                        return Err(SyncError::Protocol(
                            "the server refused erased cases this device does not hold".into(),
                        ));
                    }
                    report.cases_erased += dropped;
                    continue;
                }
                Err(e) => return Err(e),
            };
            restamped = false;
            prepared = Some(next?);
            report.requests += 1;
            let mut acked = Vec::with_capacity(answer.accepted.len());
            for a in &answer.accepted {
                let seq = seq_of.get(&a.change_id).ok_or_else(|| {
                    SyncError::Protocol(format!(
                        "acknowledged change {} was not pushed",
                        a.change_id
                    ))
                })?;
                acked.push(Acked {
                    outbox_seq: *seq,
                    change_id: a.change_id,
                });
                if a.duplicate {
                    report.already_on_server += 1;
                } else {
                    report.pushed += 1;
                }
            }
            if acked.len() != request.changes.len() {
                return Err(SyncError::Protocol(format!(
                    "pushed {} changes, {} acknowledged",
                    request.changes.len(),
                    acked.len()
                )));
            }
            let placed: Vec<Placed> = answer
                .accepted
                .iter()
                .filter_map(|a| {
                    Some(Placed {
                        outbox_seq: *seq_of.get(&a.change_id)?,
                        change_id: a.change_id,
                        log_id: a.log_id,
                        log_seq: a.seq,
                    })
                })
                .collect();
            session.acknowledge_pushed(&acked, &placed, &own_runs(&answer.accepted))?;
            done += acked.len() as u64;
            progress(Progress {
                phase: Phase::Push,
                done,
                total: total.max(done),
            });
        }
    }

    /// Uploads attachment contents the server lacks, chunk by chunk, each
    /// chunk recorded as confirmed: an upload cut off resumes where the
    /// server says it stopped.
    async fn upload_blobs(
        &self,
        session: &mut Session,
        token: &str,
        report: &mut SyncReport,
    ) -> Result<()> {
        for blob in session.blobs_to_upload()? {
            let (id, case, size) = (blob.attachment_id, blob.case_id, blob.sealed_size);
            let mut done = blob.confirmed;
            let url = format!("{}/v1/blobs/{case}/{id}", self.base);
            while done < size {
                let chunk = session.blob_bytes(id, done, MAX_BLOB_CHUNK)?;
                let put = format!("{url}?offset={done}&size={size}");
                match self.send_bytes(&put, token, chunk).await {
                    Ok(status) => {
                        report.blob_bytes_uploaded += status.received.saturating_sub(done);
                        done = status.received;
                    }
                    // The server holds another amount (an earlier upload's
                    // answer was lost): ask, and resume from there.
                    Err(SyncError::Refused { status: 409, .. }) => {
                        let held: BlobStatus =
                            self.get_json(&format!("{url}/status"), token).await?;
                        done = held.received;
                    }
                    Err(e) => return Err(e),
                }
                session.mark_uploaded(id, done)?;
            }
        }
        Ok(())
    }

    /// Asks the server how far every device has read the logs holding
    /// tombstones, and purges those all devices have passed.
    async fn purge_tombstones(
        &self,
        session: &mut Session,
        token: &str,
        report: &mut SyncReport,
    ) -> Result<()> {
        let log_ids = session.tombstone_logs()?;
        if log_ids.is_empty() {
            return Ok(());
        }
        let answer: HorizonResponse = self
            .post("/v1/horizons", Some(token), &HorizonRequest { log_ids })
            .await?;
        report.tombstones_purged += session.purge_tombstones(&answer.horizons)?;
        Ok(())
    }

    /// Fetches an attachment's contents from the server (resumable: a
    /// download cut off continues from the bytes already kept).
    pub async fn fetch_attachment(&self, session: &mut Session, id: Uuid) -> Result<()> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        while !session.attachment_on_device(id)? {
            let (case, have, _) = session.download_state(id)?;
            let url = format!("{}/v1/blobs/{case}/{id}?offset={have}", self.base);
            let chunk = self.get_bytes(&url, &account.token).await?;
            if chunk.is_empty() {
                return Err(SyncError::Protocol(format!(
                    "an empty chunk of attachment {id}"
                )));
            }
            session.append_download(id, have, &chunk)?;
            let (_, now_have, _) = session.download_state(id)?;
            if now_have <= have && !session.attachment_on_device(id)? {
                return Err(SyncError::Protocol(format!(
                    "attachment {id}: a chunk did not move the download on"
                )));
            }
        }
        Ok(())
    }

    async fn send_bytes(&self, url: &str, token: &str, body: Vec<u8>) -> Result<BlobStatus> {
        self.with_retries(|| async {
            let response = self
                .http
                .put(url)
                .bearer_auth(token)
                .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                .body(body.clone())
                .send()
                .await
                .map_err(network)?;
            json_answer(response).await
        })
        .await
    }

    async fn get_json<Resp: serde::de::DeserializeOwned>(
        &self,
        url: &str,
        token: &str,
    ) -> Result<Resp> {
        self.with_retries(|| async {
            let response = self
                .http
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .map_err(network)?;
            json_answer(response).await
        })
        .await
    }

    async fn get_bytes(&self, url: &str, token: &str) -> Result<Vec<u8>> {
        self.with_retries(|| async {
            let response = self
                .http
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .map_err(network)?;
            if response.status() == StatusCode::OK {
                return response.bytes().await.map(|b| b.to_vec()).map_err(network);
            }
            json_answer::<Value>(response).await.map(|_| Vec::new())
        })
        .await
    }

    /// Runs a request, again after a network failure, a 5xx or a 429, with
    /// backoff: every request here is safe to repeat.
    async fn with_retries<T, F, Fut>(&self, mut attempt_once: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let mut wait = self.options.backoff;
        let mut attempt = 1;
        loop {
            match attempt_once().await {
                Err(e) if e.retryable() && attempt < self.options.attempts => {
                    // Jittered (half the wait, plus up to half again), so
                    // devices cut off together do not come back together.
                    let half = wait / 2;
                    tokio::time::sleep(half + half.mul_f64(rand::random::<f64>())).await;
                    wait = (wait * 2).min(self.options.max_backoff);
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// The case keys sealed to this device (they open changes waiting for
    /// them).
    async fn receive_keys(
        &self,
        session: &mut Session,
        token: &str,
        report: &mut SyncReport,
    ) -> Result<()> {
        loop {
            let request = MyKeysRequest {
                after: session.keys_after()?,
                limit: None,
            };
            let answer: MyKeysResponse = self.post("/v1/keys/mine", Some(token), &request).await?;
            report.requests += 1;
            if answer.keys.is_empty() {
                break;
            }
            let received = session.receive_case_keys(&answer.keys)?;
            report.keys_received += received.keys;
            report.applied.add(&received.applied);
            if answer.keys.len() < MAX_KEYS_PAGE as usize {
                break;
            }
        }
        Ok(())
    }

    /// Seals the keys this device holds for members' devices and the
    /// recovery key that lack them (a new case's first key; a new member; a
    /// new laptop), and makes the next key of cases a member left.
    async fn seal_keys(
        &self,
        session: &mut Session,
        token: &str,
        report: &mut SyncReport,
    ) -> Result<()> {
        let mut after = None;
        loop {
            let answer: KeysNeededResponse = self
                .post("/v1/keys/needed", Some(token), &KeysNeededRequest { after })
                .await?;
            report.requests += 1;
            let sealing = session.seal_case_keys(&answer.needed)?;
            for batch in sealing.keys.chunks(MAX_KEYS_PAGE as usize) {
                let request = StoreKeysRequest {
                    keys: batch.to_vec(),
                    rotation: false,
                };
                let stored: StoreKeysResponse =
                    self.post("/v1/keys", Some(token), &request).await?;
                report.requests += 1;
                report.keys_sealed += stored.stored;
            }
            for rotation in sealing.rotations {
                let request = StoreKeysRequest {
                    keys: rotation.sealed,
                    rotation: true,
                };
                report.requests += 1;
                match self
                    .post::<_, StoreKeysResponse>("/v1/keys", Some(token), &request)
                    .await
                {
                    Ok(stored) => {
                        session.keep_rotated_key(rotation.log_id, &rotation.key)?;
                        report.keys_sealed += stored.stored;
                        report.keys_rotated += 1;
                    }
                    // Another member's device rotated first: its key
                    // arrives sealed to us; this one is dropped unused.
                    Err(SyncError::Refused { status: 409, .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            match answer.next_after {
                Some(next) => after = Some(next),
                None => return Ok(()),
            }
        }
    }

    async fn pull_all(
        &self,
        session: &mut Session,
        token: &str,
        report: &mut SyncReport,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<()> {
        let mut done = 0u64;
        loop {
            let cursors = session.sync_positions()?;
            let request = PullRequest {
                cursors: cursors.clone(),
                limit: Some(self.options.pull_limit),
            };
            let answer: PullResponse = self.post("/v1/pull", Some(token), &request).await?;
            report.requests += 1;
            if !answer.erased.is_empty() {
                report.cases_erased += session.erase_cases(&answer.erased)?;
            }
            let mut pages = Vec::new();
            let mut in_page = 0u64;
            let mut requeued = 0;
            for log in &answer.logs {
                if log.reset {
                    // The server lost this device's history of the log.
                    report.logs_behind_on_server.push(log.log_id);
                    requeued += session.reset_log(log.log_id)?;
                }
                in_page += log.changes.len() as u64;
                pages.push(PulledPage {
                    log_id: log.log_id,
                    changes: &log.changes,
                    head: Some((log.head, &log.tip)),
                });
            }
            if !pages.is_empty() {
                let applied = session.apply_pulled_pages(&pages)?;
                report.applied.add(&applied);
            }
            report.pulled += in_page;
            done += in_page;
            progress(Progress {
                phase: Phase::Pull,
                done,
                total: done + answer.remaining,
            });
            if requeued > 0 {
                // Give the server back what it lost before reading on.
                report.requeued_for_server += requeued;
                self.push_all(session, token, report, progress).await?;
            }
            if answer.remaining == 0 || (in_page == 0 && requeued == 0) {
                return Ok(());
            }
        }
    }

    /// One request with retries: the same body is sent again after a
    /// network failure, a 5xx or a 429. Pushes are idempotent by change id
    /// and pulls read from cursors, so a retry never duplicates anything.
    async fn post<Req: Serialize, Resp: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        body: &Req,
    ) -> Result<Resp> {
        let body = serde_json::to_vec(body).map_err(|e| SyncError::Protocol(e.to_string()))?;
        self.with_retries(|| self.post_once(path, token, body.clone()))
            .await
    }

    async fn post_once<Resp: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        body: Vec<u8>,
    ) -> Result<Resp> {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(network)?;
        json_answer(response).await
    }
}

/// A JSON answer, or the server's refusal (its code and sentence).
async fn json_answer<Resp: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<Resp> {
    let status = response.status();
    let bytes = response.bytes().await.map_err(network)?;
    if status == StatusCode::OK {
        return serde_json::from_slice(&bytes).map_err(|e| SyncError::Protocol(e.to_string()));
    }
    let Ok(refusal) = serde_json::from_slice::<ErrorBody>(&bytes) else {
        return Err(SyncError::NotTheServer {
            status: status.as_u16(),
        });
    };
    Err(SyncError::Refused {
        status: status.as_u16(),
        code: refusal.error,
        message: refusal.message,
        server_time_ms: refusal.server_time_ms,
        erased: refusal.erased,
    })
}

/// Runs of consecutive seqs the server gave our new changes, per log.
pub fn own_runs(accepted: &[Accepted]) -> Vec<OwnRun> {
    let mut by_log: std::collections::BTreeMap<Uuid, Vec<(i64, Uuid)>> = Default::default();
    for a in accepted.iter().filter(|a| !a.duplicate) {
        by_log
            .entry(a.log_id)
            .or_default()
            .push((a.seq, a.change_id));
    }
    let mut runs: Vec<OwnRun> = Vec::new();
    for (log_id, mut seqs) in by_log {
        seqs.sort_unstable();
        for (seq, id) in seqs {
            match runs.last_mut() {
                Some(run)
                    if run.log_id == log_id
                        && run.first_seq + run.change_ids.len() as i64 == seq =>
                {
                    run.change_ids.push(id)
                }
                _ => runs.push(OwnRun {
                    log_id,
                    first_seq: seq,
                    change_ids: vec![id],
                }),
            }
        }
    }
    runs
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
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

    #[test]
    fn own_runs_split_at_gaps_and_skip_duplicates() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let acc = |log, seq, duplicate| Accepted {
            change_id: Uuid::new_v4(),
            log_id: log,
            seq,
            duplicate,
        };
        let list = [
            acc(a, 4, false),
            acc(b, 1, false),
            acc(a, 5, false),
            acc(a, 3, true),
            acc(a, 7, false),
        ];
        let runs: Vec<(Uuid, i64, usize)> = own_runs(&list)
            .into_iter()
            .map(|r| (r.log_id, r.first_seq, r.change_ids.len()))
            .collect();
        assert_eq!(runs, vec![(a, 4, 2), (a, 7, 1), (b, 1, 1)]);
        assert_eq!(
            own_runs(&list)[0].change_ids,
            vec![list[0].change_id, list[2].change_id]
        );
    }
}
