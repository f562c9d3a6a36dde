//! One error type for the whole core API. Messages name what is wrong and
//! never contain case content (they end up in logs and on screens).

use std::time::Duration;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: names the field and the problem. Nothing was written.
    #[error("{field}: {problem}")]
    Invalid {
        field: String,
        problem: String,
        /// The problem as screens say it in either language, if it has one
        /// (boxed: most errors have none, and every `Result` carries room).
        reason: Option<Box<waymark_model::Reason>>,
    },

    #[error("no {what} with id {id}")]
    NotFound { what: &'static str, id: String },

    #[error("wrong user name or passphrase for {user}")]
    WrongPassphrase { user: String },

    #[error("too many failed unlock attempts; try again in {} s", retry_after.as_secs().max(1))]
    UnlockThrottled { retry_after: Duration },

    #[error("no Waymark store at {0} (create one with `waymark init`)")]
    NoStore(String),

    #[error("a Waymark store already exists at {0}")]
    StoreExists(String),

    /// The key file is damaged, from an unknown version, or asks for weaker
    /// protection than we accept. We refuse rather than downgrade.
    #[error("key file: {0}")]
    KeyFile(String),

    #[error("the store is busy in another process; try again")]
    Busy,

    /// The organisation revoked this device; its store was erased.
    #[error("this device was revoked by your organisation, so its Waymark store at {0} has been erased; ask your administrator to enrol it again")]
    DeviceRevoked(String),

    /// What the server relayed does not verify against what this device
    /// pinned or holds (the organisation's key changed, a certificate is
    /// missing): nothing was sealed or certified.
    #[error("{0}")]
    Untrusted(String),

    #[error("storage error: {0}")]
    Storage(String),

    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            problem: problem.into(),
            reason: None,
        }
    }

    /// Bad input the screens can say in Welsh too.
    pub fn because(field: impl Into<String>, reason: waymark_model::Reason) -> Self {
        waymark_model::Invalid::because(field, reason).into()
    }

    /// Whether the error is the caller's input (exit code 2 in the CLI) rather
    /// than a failure of the machine.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            Error::Invalid { .. }
                | Error::NotFound { .. }
                | Error::WrongPassphrase { .. }
                | Error::UnlockThrottled { .. }
                | Error::NoStore(_)
                | Error::StoreExists(_)
        )
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Error::Busy,
            // SQLite error messages carry no bound values, only SQL text and codes.
            _ => Error::Storage(e.to_string()),
        }
    }
}

impl From<rusqlite_migration::Error> for Error {
    fn from(e: rusqlite_migration::Error) -> Self {
        Error::Storage(format!("migration failed: {e}"))
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Storage(format!("malformed stored record: {e}"))
    }
}

impl From<waymark_model::Invalid> for Error {
    fn from(e: waymark_model::Invalid) -> Self {
        Error::Invalid {
            field: e.field,
            problem: e.problem,
            reason: e.reason,
        }
    }
}

/// How an error reaches a screen: beside its field, or with the kind a
/// screen acts on. The message is the error's own (never case data).
impl From<Error> for waymark_model::Problem {
    fn from(e: Error) -> Self {
        use waymark_model::{Problem, ProblemCode};
        match e {
            Error::Invalid {
                field,
                problem,
                reason,
            } => waymark_model::Invalid {
                field,
                problem,
                reason,
            }
            .into(),
            e @ Error::WrongPassphrase { .. } => {
                Problem::of_kind(ProblemCode::WrongPassphrase, e.to_string())
            }
            e @ Error::DeviceRevoked(_) => {
                Problem::of_kind(ProblemCode::DeviceRevoked, e.to_string())
            }
            e @ Error::NotFound { .. } => Problem::of_kind(ProblemCode::NotFound, e.to_string()),
            other => Problem::plain(other.to_string()),
        }
    }
}
