//! The values that cross Waymark's boundaries, defined once: the records a
//! case holds, the views screens show, the inputs forms send, the app's
//! commands (name, argument, answer) and the `Problem` an error becomes.
//!
//! Plain data and pure rules only (no IO, no clock, no SQL), so the core,
//! the Tauri shell, the CLI and the WebAssembly UI all compile against the
//! same types: a renamed field fails the build, not a screen.

pub mod assessment;
pub mod commands;
pub mod inputs;
pub mod marac_form;
pub mod problem;
pub mod records;
pub mod report;
pub mod subject_access;
pub mod views;
pub mod vocab;

pub use problem::{Problem, ProblemCode, Reason};

/// Bad input, naming the field and what is wrong with it. The core turns it
/// into its own error; the shell into a `Problem` shown beside the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub field: String,
    pub problem: String,
    /// The problem as screens say it in either language, when it has one
    /// (boxed: most problems have none, and every `Result` carries room).
    pub reason: Option<Box<Reason>>,
}

impl Invalid {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Invalid {
            field: field.into(),
            problem: problem.into(),
            reason: None,
        }
    }

    pub fn because(field: impl Into<String>, reason: Reason) -> Self {
        Invalid {
            field: field.into(),
            problem: reason.to_string(),
            reason: Some(Box::new(reason)),
        }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl std::error::Error for Invalid {}
