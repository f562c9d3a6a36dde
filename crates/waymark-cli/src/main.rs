//! `waymark`: the headless client and admin tool. A scripting contract: extend
//! it, don't rename it. Exit 0 on success, 2 on bad input, 1 on other failures.
//!
//! `cli` is the command line as clap reads it; `commands` does each command,
//! one module per area, over `waymark_core::Session` and the sync client;
//! `output` prints (text or `--json`); `input` reads passphrases and writes
//! private files.

/// `println!`, except that a reader that went away (`waymark export | head`)
/// ends the command quietly instead of with a panic: whatever the command
/// did is committed by then, and its output was all that was left.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::write_line(format_args!($($arg)*))
    };
}

mod cli;
mod commands;
mod input;
mod output;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    waymark_core::harden_process();
    // A panic message could quote case data: print where, never what.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "waymark: {}",
            output::said("cli-internal-error", &[("place", place.into())])
        );
    }));
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = if e.is_bad_input() { 2 } else { 1 };
            eprintln!("waymark: {}", e.in_language(&output::texts()));
            ExitCode::from(code)
        }
    }
}

/// A failure of the core (the store) or of sync (the network, the server).
#[derive(Debug, thiserror::Error)]
pub(crate) enum Failure {
    #[error(transparent)]
    Core(#[from] waymark_core::Error),
    #[error(transparent)]
    Sync(#[from] waymark_sync::SyncError),
}

impl Failure {
    /// The failure in the person's language: a refusal with a `Reason` in
    /// Welsh when the environment names Welsh; otherwise the core's English
    /// sentence, the scripting contract (ISO dates, the names of flags).
    fn in_language(self, texts: &waymark_l10n::Texts) -> String {
        let english = self.to_string();
        if texts.language() == waymark_l10n::Language::English {
            return english;
        }
        let problem: waymark_core::model::Problem = match self {
            Failure::Core(e) => e.into(),
            Failure::Sync(e) => e.into(),
        };
        match &problem.reason {
            Some(reason) => match &problem.field {
                Some(field) => format!("{field}: {}", texts.reason(reason)),
                None => texts.reason(reason),
            },
            None => english,
        }
    }

    fn is_bad_input(&self) -> bool {
        match self {
            Failure::Core(e) => e.is_bad_input(),
            Failure::Sync(e) => e.is_bad_input(),
        }
    }
}
