//! What the CLI reads from the person and writes for them outside the
//! store: passphrases (from the environment or a prompt, never an
//! argument), today's date, and files only their owner can read.

use chrono::{NaiveDate, Utc};
use std::io::IsTerminal;
use std::path::Path;
use waymark_core::{queries, Error, Passphrase, Session};

/// A question for the person at the terminal, in their language.
pub(crate) fn ask(id: &str, args: &[(&str, waymark_l10n::FluentValue<'_>)]) -> String {
    format!("{}: ", crate::output::said(id, args))
}

pub(crate) fn read_passphrase(var: &str, prompt: &str) -> Result<Passphrase, Error> {
    if let Ok(p) = std::env::var(var) {
        return Ok(Passphrase::new(p));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::because(
            "passphrase",
            waymark_core::model::Reason::SetOrAskInTerminal {
                var: var.to_owned(),
            },
        ));
    }
    rpassword::prompt_password(prompt)
        .map(Passphrase::new)
        .map_err(Error::Io)
}

pub(crate) fn new_passphrase() -> Result<Passphrase, Error> {
    if let Ok(p) = std::env::var("WAYMARK_NEW_PASSPHRASE") {
        return Ok(Passphrase::new(p));
    }
    let first = read_passphrase(
        "WAYMARK_NEW_PASSPHRASE",
        &ask("cli-ask-new-passphrase", &[]),
    )?;
    let again = read_passphrase(
        "WAYMARK_NEW_PASSPHRASE",
        &ask("cli-ask-new-passphrase-again", &[]),
    )?;
    if first.expose() != again.expose() {
        return Err(Error::because(
            "passphrase",
            waymark_core::model::Reason::PassphrasesDiffer,
        ));
    }
    Ok(first)
}

pub(crate) fn unlock(store: &Path, user: Option<&str>) -> Result<Session, Error> {
    let pass = read_passphrase("WAYMARK_PASSPHRASE", &ask("cli-ask-passphrase", &[]))?;
    Session::unlock(store, user, &pass)
}

pub(crate) fn today() -> NaiveDate {
    queries::local_today(Utc::now())
}

pub(crate) use waymark_core::write_private;
