//! End-to-end encryption keys held on this device (the primitives are in
//! `waymark-crypto`). Each person enrolled here has an X25519 key pair; its
//! secret never leaves the encrypted store and never prints.

use crate::api::{now, Session};
use crate::error::{Error, Result};
use rusqlite::OptionalExtension;
use uuid::Uuid;
use waymark_crypto::{UserPublic, UserSecret};

/// The person's key pair on this device, made on first need (enrolment, or
/// the first unlock of a store from before end-to-end encryption).
pub(crate) fn ensure_person_key(conn: &rusqlite::Connection, user: Uuid) -> Result<UserPublic> {
    let id = user.to_string();
    let existing: Option<Vec<u8>> = conn
        .query_row(
            "SELECT public FROM person_keys WHERE user_id = ?1",
            [&id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(public) = existing {
        return public_from(&public);
    }
    let secret = UserSecret::generate();
    let public = secret.public();
    conn.execute(
        "INSERT INTO person_keys (user_id, secret, public, created_at) VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![
            id,
            secret.to_bytes().as_slice(),
            public.0.as_slice(),
            now().timestamp_millis()
        ],
    )?;
    Ok(public)
}

fn public_from(bytes: &[u8]) -> Result<UserPublic> {
    let array: [u8; 32] = bytes
        .try_into()
        .map_err(|_| Error::Storage("a stored public key is not 32 bytes".into()))?;
    Ok(UserPublic(array))
}

impl Session {
    /// This person's public key on this device (made if missing).
    pub fn public_key(&self) -> Result<UserPublic> {
        ensure_person_key(self.connection(), self.user().id)
    }

    /// This person's secret key, for opening case keys sealed to them.
    #[allow(dead_code)] // opens sealed case keys: the next step of issue 5
    pub(crate) fn secret_key(&self) -> Result<UserSecret> {
        self.public_key()?;
        let secret: Vec<u8> = self.connection().query_row(
            "SELECT secret FROM person_keys WHERE user_id = ?1",
            [self.user().id.to_string()],
            |r| r.get(0),
        )?;
        let secret = zeroize::Zeroizing::new(secret);
        UserSecret::from_bytes(&secret).map_err(|e| Error::Storage(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use crate::{Passphrase, Session};

    #[test]
    fn each_person_gets_a_key_pair_on_enrolment_that_stays() {
        let dir = tempfile::tempdir().unwrap();
        let pass = Passphrase::new("correct horse battery staple");
        let mut s = Session::create(dir.path(), "amina", &pass).unwrap();
        let count = |s: &Session| -> i64 {
            s.connection()
                .query_row("SELECT count(*) FROM person_keys", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(count(&s), 1, "made when the store is created");
        let amina = s.public_key().unwrap();
        s.enrol_user("bea", &pass).unwrap();
        assert_eq!(count(&s), 2, "made when a person is enrolled");
        assert_eq!(s.secret_key().unwrap().public(), amina);
        s.lock();
        let s = Session::unlock(dir.path(), Some("bea"), &pass).unwrap();
        let bea = s.public_key().unwrap();
        assert_ne!(bea, amina, "a key pair per person");
        assert_eq!(format!("{:?}", s.secret_key().unwrap()), "UserSecret(..)");
        s.lock();
        let s = Session::unlock(dir.path(), Some("amina"), &pass).unwrap();
        assert_eq!(s.public_key().unwrap(), amina, "the same key after a lock");
    }
}
