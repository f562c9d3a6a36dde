//! The store and the people on this device: `init`, `status`, `user`,
//! `passphrase`.

use crate::cli::{PassphraseCmd, UserCmd};
use crate::input::{new_passphrase, read_passphrase};
use crate::output;
use std::path::Path;
use waymark_core::{Error, Session};

pub(crate) fn init(store: &Path, user: &str) -> Result<(), Error> {
    let pass = read_passphrase("WAYMARK_PASSPHRASE", "New passphrase: ")?;
    let s = Session::create(store, user, &pass)?;
    say!(
        "created {}'s Waymark store on this laptop at {}",
        s.user().name,
        store.display()
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
            let pass = read_passphrase("WAYMARK_PASSPHRASE", &format!("{name}'s passphrase: "))?;
            waymark_core::api::remove_person(store, &name, &pass)?;
            say!("{name}'s store is erased from this laptop");
        }
    }
    Ok(())
}

pub(crate) fn passphrase(s: &mut Session, cmd: PassphraseCmd) -> Result<(), crate::Failure> {
    match cmd {
        PassphraseCmd::Change => {
            let current = read_passphrase("WAYMARK_PASSPHRASE", "Current passphrase: ")?;
            waymark_sync::change_passphrase(s, &current, &new_passphrase()?)?;
            say!("passphrase changed (your store is re-keyed; your login too, if linked to a server)");
        }
    }
    Ok(())
}
