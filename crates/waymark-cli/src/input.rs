//! What the CLI reads from the person and writes for them outside the
//! store: passphrases (from the environment or a prompt, never an
//! argument), today's date, and files only their owner can read.

use chrono::{NaiveDate, Utc};
use std::io::IsTerminal;
use std::path::Path;
use waymark_core::{queries, Error, Passphrase, Session};

pub(crate) fn read_passphrase(var: &str, prompt: &str) -> Result<Passphrase, Error> {
    if let Ok(p) = std::env::var(var) {
        return Ok(Passphrase::new(p));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid(
            "passphrase",
            format!("set {var} or run in a terminal to be asked"),
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
    let first = read_passphrase("WAYMARK_NEW_PASSPHRASE", "New passphrase: ")?;
    let again = read_passphrase("WAYMARK_NEW_PASSPHRASE", "New passphrase again: ")?;
    if first.expose() != again.expose() {
        return Err(Error::invalid("passphrase", "the two passphrases differ"));
    }
    Ok(first)
}

pub(crate) fn unlock(store: &Path, user: Option<&str>) -> Result<Session, Error> {
    let pass = read_passphrase("WAYMARK_PASSPHRASE", "Passphrase: ")?;
    Session::unlock(store, user, &pass)
}

pub(crate) fn today() -> NaiveDate {
    queries::local_today(Utc::now())
}

pub(crate) use waymark_core::write_private;
