//! The person's own credentials on this laptop. (Each person has a store
//! of their own: adding and removing people is `Session::create` and
//! `api::remove_person`.)
use super::*;

impl Session {
    // --- People on this device ---------------------------------------------

    /// Enrols another person in this very store, as builds before
    /// per-person stores did: only for making the shared stores the split
    /// is tested on (`raw-access`).
    #[cfg(feature = "raw-access")]
    pub fn enrol_in_shared_store(&mut self, name: &str, passphrase: &Passphrase) -> Result<User> {
        check_user_name(name)?;
        let paths = self.paths.clone();
        let user = User {
            id: record::new_record_id(),
            name: name.to_owned(),
            created_at: now(),
        };
        with_key_file_lock(&paths, || {
            let mut keys = KeyFile::load(&paths.key_file())?;
            keys.set_wrap(&self.key, user.id, name, passphrase)?;
            let tx = self.begin()?;
            tx.tx.execute(
                "INSERT INTO users (id, name, created_at) VALUES (?1, ?2, ?3)",
                params![
                    user.id.to_string(),
                    name,
                    user.created_at.timestamp_millis()
                ],
            )?;
            tx.audit("enrol_user", "user", Some(user.id), None)?;
            keys.save(&paths.key_file())?;
            tx.commit()
        })?;
        crate::e2e::ensure_person_key(&self.conn, user.id)?;
        crate::identity::ensure_identity(&self.conn, user.id)?;
        Ok(user)
    }

    /// Re-wraps the store key under a new passphrase; nothing else changes.
    pub fn change_passphrase(&mut self, current: &Passphrase, new: &Passphrase) -> Result<()> {
        new.check_new("new passphrase")?;
        let paths = self.paths.clone();
        let (id, name) = (self.user.id, self.user.name.clone());
        with_key_file_lock(&paths, || {
            let mut keys = KeyFile::load(&paths.key_file())?;
            keys.unwrap_for(&name, current)?;
            keys.set_wrap(&self.key, id, &name, new)?;
            keys.save(&paths.key_file())?;
            let tx = self.begin()?;
            tx.audit("change_passphrase", "user", Some(id), None)?;
            tx.commit()
        })
    }
}
