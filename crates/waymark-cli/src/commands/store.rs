//! The store and the people on this device: `init`, `status`, `user`,
//! `passphrase`.

use crate::cli::{PassphraseCmd, UserCmd};
use crate::input::{ask, new_passphrase, read_passphrase};
use crate::output::{self, tell};
use std::path::Path;
use waymark_core::{Error, Session};

pub(crate) fn init(store: &Path, user: &str) -> Result<(), Error> {
    let pass = read_passphrase("WAYMARK_PASSPHRASE", &ask("cli-ask-new-passphrase", &[]))?;
    let s = Session::create(store, user, &pass)?;
    let path = store.display().to_string();
    tell(
        "cli-store-created",
        &[
            ("user", s.user().name.as_str().into()),
            ("path", path.into()),
        ],
    );
    Ok(())
}

pub(crate) fn status(s: &Session, json: bool) -> Result<(), Error> {
    output::status(s, json)
}

/// Adding and removing people needs no unlocked store: each has their own.
pub(crate) fn user(store: &Path, cmd: UserCmd) -> Result<(), Error> {
    match cmd {
        UserCmd::Add { name } => {
            let s = Session::create(store, &name, &new_passphrase()?)?;
            say!("{}", s.user().id);
        }
        UserCmd::Remove { name } => {
            let pass = read_passphrase(
                "WAYMARK_PASSPHRASE",
                &ask(
                    "cli-ask-their-passphrase",
                    &[("user", name.as_str().into())],
                ),
            )?;
            waymark_core::api::remove_person(store, &name, &pass)?;
            tell("cli-store-erased", &[("user", name.as_str().into())]);
        }
    }
    Ok(())
}

pub(crate) fn passphrase(s: &mut Session, cmd: PassphraseCmd) -> Result<(), crate::Failure> {
    match cmd {
        PassphraseCmd::Change => {
            let current = read_passphrase(
                "WAYMARK_PASSPHRASE",
                &ask("cli-ask-current-passphrase", &[]),
            )?;
            waymark_sync::change_passphrase(s, &current, &new_passphrase()?)?;
            tell("cli-passphrase-changed", &[]);
        }
    }
    Ok(())
}
