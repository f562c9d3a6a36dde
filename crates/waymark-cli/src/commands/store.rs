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
        "created a Waymark store at {} for {}",
        store.display(),
        s.user().name
    );
    Ok(())
}

pub(crate) fn status(s: &Session, json: bool) -> Result<(), Error> {
    output::status(s, json)
}

pub(crate) fn user(s: &mut Session, cmd: UserCmd) -> Result<(), Error> {
    match cmd {
        UserCmd::Add { name } => {
            let u = s.enrol_user(&name, &new_passphrase()?)?;
            say!("{}", u.id);
        }
        UserCmd::List(j) => output::users(&s.users()?, j.json)?,
        UserCmd::Remove { name } => s.remove_user(&name)?,
    }
    Ok(())
}

pub(crate) fn passphrase(s: &mut Session, cmd: PassphraseCmd) -> Result<(), Error> {
    match cmd {
        PassphraseCmd::Change => {
            let current = read_passphrase("WAYMARK_PASSPHRASE", "Current passphrase: ")?;
            s.change_passphrase(&current, &new_passphrase()?)?;
            say!("passphrase changed");
        }
    }
    Ok(())
}
