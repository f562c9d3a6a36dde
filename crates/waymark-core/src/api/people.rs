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

    /// Changes the person's passphrase and re-keys their store: a new
    /// random key re-encrypts every page, wrapped under the new passphrase,
    /// so an old key file with the old passphrase opens nothing. The new
    /// wrap is written beside the key file (`keys.next.json`) before the
    /// pages change and renamed over it after: cut off in between, the
    /// next unlock takes whichever opens the database (`finish_rekey`).
    /// Another connection open on the store (a sync) makes this fail as
    /// busy, with nothing changed.
    pub fn change_passphrase(&mut self, current: &Passphrase, new: &Passphrase) -> Result<()> {
        new.check_new("new passphrase", &self.user.name)?;
        let paths = self.paths.clone();
        let (id, name) = (self.user.id, self.user.name.clone());
        with_key_file_lock(&paths, || {
            let keys = KeyFile::load(&paths.key_file())?;
            keys.unwrap_for(&name, current)?;
            let key = StoreKey::generate();
            let mut next = KeyFile::new(keys.store_id);
            next.set_wrap(&key, id, &name, new)?;
            next.save(&paths.next_key_file())?;
            if let Err(e) = crate::db::rekey(&self.conn, &key) {
                let _ = std::fs::remove_file(paths.next_key_file());
                return Err(e);
            }
            std::fs::rename(paths.next_key_file(), paths.key_file())?;
            self.key = key;
            let tx = self.begin()?;
            tx.audit("change_passphrase", "user", Some(id), None)?;
            tx.commit()
        })
    }
}
