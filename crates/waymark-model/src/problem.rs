//! What an error becomes at the app's boundary: plain words, beside the form
//! field it concerns when there is one, and a code when a screen acts on the
//! kind of error. Never case data: it may be shown, logged or screenshotted.

use serde::{Deserialize, Serialize};

/// The kinds of error a screen tells apart. A field's problem has `field`
/// set and needs no code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// No one is unlocked: the screen goes back to the unlock form.
    Locked,
    /// The passphrase given does not open the store.
    WrongPassphrase,
    /// The organisation withdrew this laptop; its store is erased.
    DeviceRevoked,
    /// The server could not be reached; the work is kept for later.
    Offline,
    /// The person is not connected to a server yet.
    NotConnected,
    /// The server (or this laptop) refused what was asked.
    Refused,
    /// The thing asked for is not here (erased, or never held here).
    NotFound,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(default)]
    pub code: Option<ProblemCode>,
    #[serde(default)]
    pub field: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn plain(message: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            ..Default::default()
        }
    }

    pub fn of_kind(code: ProblemCode, message: impl Into<String>) -> Self {
        Problem {
            code: Some(code),
            field: None,
            message: message.into(),
        }
    }

    pub fn at(field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            code: None,
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// The same problem for a form repeated on a screen, whose field ids
    /// end in `-{suffix}` so each stays unique.
    pub fn scoped(&self, suffix: &str) -> Problem {
        Problem {
            code: self.code,
            field: self.field.as_ref().map(|f| format!("{f}-{suffix}")),
            message: self.message.clone(),
        }
    }

    /// The message for `field`, if this problem is about it.
    pub fn about(&self, field: &str) -> Option<String> {
        (self.field.as_deref() == Some(field)).then(|| self.message.clone())
    }
}

impl From<crate::Invalid> for Problem {
    fn from(e: crate::Invalid) -> Self {
        Problem::at(e.field, e.problem)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}: {}", field.replace('_', " "), self.message),
            None => f.write_str(&self.message),
        }
    }
}
