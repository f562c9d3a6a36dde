//! What can go wrong talking to the server, said precisely: the network
//! failure by kind, a refusal by the server's `ErrorCode`, a proxy's page
//! apart from the server's own answer; and how each reaches a screen.

use serde::Serialize;
use uuid::Uuid;
pub use waymark_core::model::vocab::NetworkFailure;
use waymark_core::model::{Problem, ProblemCode, Reason};
use waymark_protocol::ErrorCode;

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
        /// With `no_access` on a push: cases lost too long ago for a late
        /// write, whose unsent changes are set aside.
        withdrawn: Vec<Uuid>,
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

    pub(crate) fn retryable(&self) -> bool {
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
            SyncError::Network { failure, .. } => {
                Problem::of_kind_because(ProblemCode::Offline, Reason::Unreachable { failure })
            }
            SyncError::BadServerUrl(_) => Problem::because("server", Reason::NotAServerAddress),
            SyncError::NotLoggedIn => {
                Problem::of_kind_because(ProblemCode::NotConnected, Reason::NotConnectedYet)
            }
            SyncError::Refused { code, message, .. } => match code {
                ErrorCode::BadCredentials => {
                    Problem::because("passphrase", Reason::UnknownCredentials)
                }
                ErrorCode::BadEnrolmentCode => {
                    Problem::because("enrolment_code", Reason::EnrolmentCodeRefused)
                }
                ErrorCode::PassphraseChangeRequired => {
                    Problem::of_kind_because(ProblemCode::Refused, Reason::ChooseOwnPassphrase)
                }
                ErrorCode::UserDisabled => {
                    Problem::of_kind_because(ProblemCode::Refused, Reason::AccountDisabled)
                }
                ErrorCode::DeviceRevoked => {
                    Problem::of_kind_because(ProblemCode::Refused, Reason::AccessWithdrawn)
                }
                // "field: problem" from the server: shown beside the field.
                ErrorCode::Invalid | ErrorCode::Conflict | ErrorCode::NotFound => {
                    match message.split_once(": ") {
                        Some((field, problem))
                            if field.chars().all(|c| c.is_ascii_lowercase() || c == '_') =>
                        {
                            Problem::at(field, problem)
                        }
                        _ => Problem::of_kind(
                            ProblemCode::Refused,
                            format!("the server refused: {message}"),
                        ),
                    }
                }
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

/// Reads the failure out of reqwest's error and the errors beneath it.
fn failure_of(e: &reqwest::Error) -> NetworkFailure {
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
        if text.contains("end of file before message length reached") || text.contains("incomplete")
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

pub(crate) fn network(e: reqwest::Error) -> SyncError {
    SyncError::Network {
        failure: failure_of(&e),
        detail: e.without_url().to_string(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(code: ErrorCode, message: &str) -> SyncError {
        SyncError::Refused {
            status: 400,
            code,
            message: message.into(),
            server_time_ms: None,
            erased: vec![],
            withdrawn: vec![],
        }
    }

    /// What a sync error shows: the kind a screen acts on, the field it is
    /// about, and a reason the screens say in either language, with the
    /// CLI's English sentence unchanged beside it.
    #[test]
    fn a_sync_error_reaches_the_screen_with_its_reason() {
        let offline: Problem = SyncError::Network {
            failure: NetworkFailure::TimedOut,
            detail: "operation timed out".into(),
        }
        .into();
        assert_eq!(offline.code, Some(ProblemCode::Offline));
        assert_eq!(
            offline.reason.as_deref(),
            Some(&Reason::Unreachable {
                failure: NetworkFailure::TimedOut
            })
        );
        assert_eq!(
            offline.message,
            "the server did not answer in time; your work is kept"
        );
        assert!(!offline.message.contains("operation timed out"));

        let login: Problem = refused(ErrorCode::BadCredentials, "bad credentials").into();
        assert_eq!(login.field.as_deref(), Some("passphrase"));
        assert_eq!(login.reason.as_deref(), Some(&Reason::UnknownCredentials));

        let revoked: Problem = refused(ErrorCode::DeviceRevoked, "revoked").into();
        assert_eq!(revoked.code, Some(ProblemCode::Refused));
        assert_eq!(revoked.reason.as_deref(), Some(&Reason::AccessWithdrawn));

        let url: Problem = SyncError::BadServerUrl("ftp://x".into()).into();
        assert_eq!(
            (url.field.as_deref(), url.reason.as_deref()),
            (Some("server"), Some(&Reason::NotAServerAddress))
        );

        // The server's own sentence stays its own: beside its field when it
        // names one, else said as the server's.
        let field: Problem = refused(ErrorCode::Invalid, "label: is too long").into();
        assert_eq!(
            (
                field.field.as_deref(),
                field.message.as_str(),
                field.reason.as_deref()
            ),
            (Some("label"), "is too long", None)
        );
        let other: Problem = refused(ErrorCode::Invalid, "No Such Thing").into();
        assert_eq!(other.message, "the server refused: No Such Thing");
        assert_eq!(other.reason, None);
    }
}
