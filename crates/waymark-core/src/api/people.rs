//! The people enrolled on this device: each unlocks the one store with
//! their own passphrase.
use super::*;

impl Session {
    // --- People on this device ---------------------------------------------

    pub fn users(&self) -> Result<Vec<User>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, created_at FROM users WHERE removed_at IS NULL ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        rows.map(|row| {
            let (id, name, at) = row?;
            Ok(User {
                id: parse_id(&id)?,
                name,
                created_at: record::ms_to_time(at),
            })
        })
        .collect()
    }

    /// Enrols another person on this (shared) device with their own passphrase.
    pub fn enrol_user(&mut self, name: &str, passphrase: &Passphrase) -> Result<User> {
        check_user_name(name)?;
        passphrase.check_new("passphrase")?;
        let paths = self.paths.clone();
        let user = User {
            id: record::new_record_id(),
            name: name.to_owned(),
            created_at: now(),
        };
        with_key_file_lock(&paths, || {
            let mut keys = KeyFile::load(&paths.key_file())?;
            if keys.wrap_for(name).is_some() {
                return Err(Error::invalid(
                    "user",
                    format!("{name:?} is already enrolled on this device"),
                ));
            }
            keys.set_wrap(&self.key, user.id, name, passphrase)?;
            let tx = self.begin()?;
            tx.tx.execute(
                "INSERT INTO users (id, name, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(name) DO UPDATE SET id = excluded.id, removed_at = NULL, created_at = excluded.created_at",
                params![user.id.to_string(), name, user.created_at.timestamp_millis()],
            )?;
            tx.audit("enrol_user", "user", Some(user.id), None)?;
            // Key file first: if the commit then failed, the extra wrap is
            // harmless (it names no user row and unlock refuses it).
            keys.save(&paths.key_file())?;
            tx.commit()
        })?;
        crate::e2e::ensure_person_key(&self.conn, user.id)?;
        crate::identity::ensure_identity(&self.conn, user.id)?;
        Ok(user)
    }

    /// Removes a person's wrap: they can no longer unlock this device.
    pub fn remove_user(&mut self, name: &str) -> Result<()> {
        let paths = self.paths.clone();
        with_key_file_lock(&paths, || {
            let mut keys = KeyFile::load(&paths.key_file())?;
            let wrap = keys.wrap_for(name).ok_or_else(|| {
                Error::invalid("user", format!("{name:?} is not enrolled on this device"))
            })?;
            if keys.wraps.len() == 1 {
                return Err(Error::invalid(
                    "user",
                    "the last person on a device cannot be removed",
                ));
            }
            let id = wrap.user_id;
            keys.wraps.retain(|w| w.user_id != id);
            let tx = self.begin()?;
            tx.tx.execute(
                "UPDATE users SET removed_at = ?1 WHERE id = ?2",
                params![now_ms() as i64, id.to_string()],
            )?;
            tx.audit("remove_user", "user", Some(id), None)?;
            keys.save(&paths.key_file())?;
            tx.commit()
        })
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
