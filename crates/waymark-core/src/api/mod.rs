//! The application API: the one set of commands and queries that the Tauri
//! shell, the CLI and the tests all call. A `Session` is an unlocked store;
//! dropping it (locking) closes the database and wipes the key from memory.
//!
//! This module keeps the `Session` itself, its transaction (`Tx`) and the
//! opening and locking; each area's commands are in a module of their own,
//! each with its own `impl Session`.

mod appointments;
mod assessments;
mod attachments;
mod cases;
mod conditions;
pub(crate) mod follow_ups;
mod groups;
mod incidents;
mod linked;
mod marac;
mod notes;
mod outcomes;
pub use outcomes::check_equality;
mod people;
mod plans;
mod programmes;
mod reading;
pub use reading::SubjectAccessExport;
mod referrals;
mod reports;
#[cfg(feature = "raw-access")]
pub use reports::report_facts;
mod supervision;
mod sync;
mod team;
mod volunteers;

use crate::assessment::TemplateDefinition;
use crate::basics::{case_of_attachment, get_or, tidy};
pub(crate) use crate::basics::{now, parse_id, require_case};
use crate::db;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::keys::{KeyFile, Passphrase, StoreKey, UnlockFailures};
use crate::laptop::Laptop;
use crate::queries;
use crate::record::{self, now_ms, Written};
use crate::split;
pub(crate) use assessments::find_template;
use assessments::{install_template, Reach};
use chrono::{DateTime, NaiveDate, Utc};
pub(crate) use notes::write_note;
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use uuid::Uuid;
pub use waymark_model::inputs::*;
use waymark_model::Reason;

/// Where a store's files live inside its directory.
#[derive(Clone, Debug)]
pub struct StorePaths {
    pub dir: PathBuf,
}

impl StorePaths {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        StorePaths { dir: dir.into() }
    }
    pub fn database(&self) -> PathBuf {
        self.dir.join("waymark.db")
    }
    pub fn key_file(&self) -> PathBuf {
        self.dir.join("keys.json")
    }
    /// The key file a passphrase change writes before the pages are
    /// re-keyed, and renames over `key_file` after.
    pub(crate) fn next_key_file(&self) -> PathBuf {
        self.dir.join("keys.next.json")
    }
    pub fn unlock_failures(&self) -> PathBuf {
        self.dir.join("unlock-failures.json")
    }
    fn lock_file(&self) -> PathBuf {
        self.dir.join("keys.lock")
    }
    pub fn exists(&self) -> bool {
        self.key_file().exists()
    }
}

/// Erases a store's files (see `Session::wipe`). Missing files are fine: a
/// wipe that was interrupted can be run again. A person's store directory
/// goes too; a laptop's directory (holding a shared store) stays.
pub fn wipe_store(paths: &StorePaths) -> Result<()> {
    let key_file = paths.key_file();
    if let Ok(meta) = std::fs::metadata(&key_file) {
        let mut f = File::options().write(true).open(&key_file)?;
        std::io::Write::write_all(&mut f, &vec![0u8; meta.len() as usize])?;
        f.sync_all()?;
    }
    let db = paths.database();
    let journal = |suffix: &str| {
        let mut p = db.clone().into_os_string();
        p.push(suffix);
        PathBuf::from(p)
    };
    for file in [
        key_file,
        paths.next_key_file(),
        paths.unlock_failures(),
        journal("-wal"),
        journal("-shm"),
        journal("-journal"),
        db.clone(),
        paths.lock_file(),
    ] {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    let in_people = paths
        .dir
        .parent()
        .and_then(|p| p.file_name())
        .is_some_and(|n| n == "people");
    if in_people {
        let _ = std::fs::remove_dir(&paths.dir);
        // The last person out leaves no `people` directory behind.
        let _ = paths.dir.parent().map(std::fs::remove_dir);
    }
    Ok(())
}

/// Takes `user_name` off this laptop: their passphrase opens their store,
/// which is then erased as a revoked device's is. No one else's passphrase
/// is needed, and no one else's store is touched.
pub fn remove_person(dir: &Path, user_name: &str, passphrase: &Passphrase) -> Result<()> {
    Session::unlock(dir, Some(user_name), passphrase)?.wipe()
}

/// Unwraps `user_name`'s key, counting wrong passphrases in `failures`
/// and refusing while the delay they earned runs.
pub(crate) fn unwrap_counted(
    keys: &KeyFile,
    user_name: &str,
    passphrase: &Passphrase,
    failures_path: &Path,
) -> Result<(Uuid, StoreKey)> {
    let failures = UnlockFailures::load(failures_path);
    let wait = failures.wait(now_ms());
    if !wait.is_zero() {
        return Err(Error::UnlockThrottled { retry_after: wait });
    }
    match keys.unwrap_for(user_name, passphrase) {
        Ok(found) => {
            if failures.failures > 0 {
                let _ = std::fs::remove_file(failures_path);
            }
            Ok(found)
        }
        Err(e @ Error::WrongPassphrase { .. }) => {
            failures.failed_at(now_ms()).save(failures_path)?;
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// Serialises changes to the key file across processes.
pub(crate) fn with_key_file_lock<T>(
    paths: &StorePaths,
    f: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(paths.lock_file())?;
    let mut lock = fd_lock::RwLock::new(file);
    let _guard = lock.write()?;
    f()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

fn check_user_name(name: &str) -> Result<()> {
    let ok = !name.trim().is_empty()
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || " ._-'@".contains(c));
    if !ok {
        return Err(Error::because("user", Reason::NotAUserName));
    }
    Ok(())
}

fn exists(user_name: &str, dir: &Path) -> Error {
    Error::StoreExists(format!(
        "{user_name} already has a Waymark store on this laptop ({})",
        dir.display()
    ))
}

/// A store in `dir` itself, shared by everyone enrolled in it, as builds
/// before per-person stores made: only for testing the split.
#[cfg(feature = "raw-access")]
pub fn create_shared_store(
    dir: &Path,
    user_name: &str,
    passphrase: &Passphrase,
) -> Result<Session> {
    Session::create_at(StorePaths::new(dir), user_name, passphrase, |path, key| {
        db::open_encrypted(path, key, true)
    })?
    .with_person_keys()
}

/// Opens a shared store as `user_name` without splitting it (see
/// `create_shared_store`).
#[cfg(feature = "raw-access")]
pub fn open_shared_store(dir: &Path, user_name: &str, passphrase: &Passphrase) -> Result<Session> {
    Session::open_person(StorePaths::new(dir), user_name, passphrase)
}

/// After a passphrase change cut off between re-keying the pages and
/// renaming the new key file into place: the new key file, if this
/// passphrase unwraps it and its key opens the database, becomes the key
/// file.
fn finish_rekey(
    paths: &StorePaths,
    name: &str,
    passphrase: &Passphrase,
) -> Option<(Uuid, StoreKey, Connection)> {
    let next = KeyFile::load(&paths.next_key_file()).ok()?;
    let (user_id, key) = next.unwrap_for(name, passphrase).ok()?;
    let conn = db::open_encrypted(&paths.database(), &key, false).ok()?;
    std::fs::rename(paths.next_key_file(), paths.key_file()).ok()?;
    Some((user_id, key, conn))
}

/// The one person who uses this laptop, for an unlock that names no one.
fn only_person(laptop: &Laptop) -> Result<String> {
    let mut names: Vec<String> = laptop
        .people()
        .iter()
        .chain([&laptop.shared()])
        .filter_map(|p| KeyFile::load(&p.key_file()).ok())
        .flat_map(|k| k.wraps.into_iter().map(|w| w.user_name))
        .collect();
    names.sort();
    names.dedup();
    match <[String; 1]>::try_from(names) {
        Ok([only]) => Ok(only),
        Err(names) if names.len() > 1 => Err(Error::because(
            "user",
            Reason::GiveUserName {
                shared_laptop: true,
            },
        )),
        Err(_) => Err(Error::because(
            "user",
            Reason::GiveUserName {
                shared_laptop: false,
            },
        )),
    }
}

/// The answer to a name no store here answers to: the same error, after
/// the same work, as a wrong passphrase, and counted like one.
fn no_one_called(laptop: &Laptop, name: &str, passphrase: &Passphrase) -> Error {
    let path = laptop.unlock_failures();
    let failures = UnlockFailures::load(&path);
    let wait = failures.wait(now_ms());
    if !wait.is_zero() {
        return Error::UnlockThrottled { retry_after: wait };
    }
    crate::keys::spend_like_an_unlock(passphrase);
    if let Err(e) = failures.failed_at(now_ms()).save(&path) {
        return e;
    }
    Error::WrongPassphrase {
        user: name.to_owned(),
    }
}

/// One write transaction: validates, writes through the record layer, audits,
/// and refreshes the caseload figures of every case it touched on commit.
pub(crate) struct Tx<'c> {
    pub(crate) tx: Transaction<'c>,
    device: Uuid,
    pub(crate) user: Uuid,
    /// The person's identity, which signs each change as it is written.
    signer: Option<&'c waymark_crypto::IdentitySecret>,
    pub(crate) now: DateTime<Utc>,
    touched: BTreeSet<Uuid>,
    /// This person is a manager the organisation confirmed: they read and
    /// change nothing (the server refuses their pushes too).
    reads_only: bool,
    /// This person is a volunteer the organisation confirmed: they write
    /// notes and appointments' outcomes only, in allocation logs.
    pub(crate) volunteer: bool,
}

impl Tx<'_> {
    pub(crate) fn author(&self) -> record::Author<'_> {
        record::Author {
            device: self.device,
            signer: self.signer,
            volunteer: self.volunteer,
        }
    }

    pub(crate) fn put<R: Record>(&mut self, record: &R) -> Result<Written> {
        if self.reads_only {
            return Err(Error::because(
                "role",
                waymark_model::Reason::ManagerReadsOnly,
            ));
        }
        if self.volunteer {
            self.check_volunteer_write(record)?;
        }
        record.validate(self.now)?;
        let written = record::put(&self.tx, self.author(), record)?;
        let action = match written {
            Written::Created => "create",
            Written::Updated => "update",
            Written::Unchanged => return Ok(written),
        };
        self.audit(action, R::KIND, Some(record.id()), record.case_id())?;
        if let Some(case) = record.case_id() {
            self.touched.insert(case);
        }
        Ok(written)
    }

    /// A volunteer writes a note or an appointment's outcome, nothing
    /// else; every device refuses anything more of theirs
    /// (`arrival::volunteer_may_write`).
    fn check_volunteer_write<R: Record>(&self, record: &R) -> Result<()> {
        let refuse = || {
            Err(Error::because(
                "role",
                waymark_model::Reason::VolunteerNotesOnly,
            ))
        };
        if !crate::arrival::VOLUNTEER_KINDS.contains(&R::KIND) {
            return refuse();
        }
        if R::KIND == crate::domain::Appointment::KIND {
            let stored = record::load(&self.tx, record::spec(R::KIND), record.id())?;
            let Some(stored) = stored else {
                return refuse();
            };
            let serde_json::Value::Object(mut new) = serde_json::to_value(record)? else {
                return refuse();
            };
            record::canonicalise(record::spec(R::KIND), &mut new)?;
            let changed = record::spec(R::KIND).fields.iter().any(|(f, _)| {
                !crate::arrival::VOLUNTEER_APPOINTMENT_FIELDS.contains(f)
                    && new.get(*f) != stored.fields.get(*f)
            });
            if changed {
                return refuse();
            }
        }
        Ok(())
    }

    /// What pulled changes move on: this device's clock past the newest
    /// applied, amended notes' search text now, case figures on commit.
    pub(crate) fn refresh_after_sync(&mut self, touched: crate::sync::Touched) -> Result<()> {
        if let Some(newest) = touched.newest {
            // This device's next stamp follows every one applied.
            crate::sync::receive_clock(&self.tx, newest)?;
        }
        for note in &touched.notes {
            queries::refresh_note_text(&self.tx, *note)?;
        }
        self.touched.extend(touched.cases);
        Ok(())
    }

    pub(crate) fn audit(
        &self,
        action: &str,
        kind: &str,
        record: Option<Uuid>,
        case: Option<Uuid>,
    ) -> Result<()> {
        queries::append_audit(&self.tx, self.now, self.user, action, kind, record, case)
    }

    pub(crate) fn commit(mut self) -> Result<()> {
        self.refresh_summaries()?;
        self.tx.commit()?;
        Ok(())
    }

    /// Refreshes the case summaries of the cases written so far (`commit`
    /// does too; apply calls it first to time it).
    pub(crate) fn refresh_summaries(&mut self) -> Result<()> {
        for case in std::mem::take(&mut self.touched) {
            queries::refresh_case_summary(&self.tx, case)?;
        }
        Ok(())
    }
}

/// Where a store lives when none is named: the platform's data directory
/// for Waymark (`~/.local/share/waymark` on Linux). Every front end uses
/// this, so the app and the CLI open the same store.
pub fn default_store_dir() -> Result<PathBuf> {
    directories::ProjectDirs::from("org", "Waymark", "Waymark")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| Error::invalid("store", "no home directory; name a store directory"))
}

pub struct Session {
    conn: Connection,
    paths: StorePaths,
    device: Uuid,
    user: User,
    /// The person's identity secret once read (`identity_secret`).
    pub(crate) identity: std::cell::OnceCell<waymark_crypto::IdentitySecret>,
    /// Held while unlocked so another person can be enrolled; wiped on lock.
    key: StoreKey,
    /// How many of this person's writers wait for the store's write lock,
    /// shared with every session `beside` this one (see `WritersWaiting`).
    writers_waiting: WritersWaiting,
}

/// How many writers in this process wait for the store's write lock. A
/// first sync writes turn after turn, and SQLite's lock is not fair: a
/// command polling for it loses to a sync that begins its next turn the
/// moment it commits. So the sync looks here between turns and lets a
/// waiting command in first (`let_waiting_writers_in`). Only a count: a
/// command never waits on it, so it can add no deadlock, only a pause to
/// the sync, and a bounded one.
#[derive(Clone, Default)]
struct WritersWaiting(std::sync::Arc<std::sync::atomic::AtomicUsize>);

/// One writer asking for the lock, counted until dropped.
struct Asking(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl WritersWaiting {
    fn ask(&self) -> Asking {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Asking(self.0.clone())
    }

    fn any(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst) > 0
    }
}

impl Drop for Asking {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("store", &self.paths.dir)
            .field("user", &self.user.name)
            .finish()
    }
}

impl Session {
    // --- Opening and locking ------------------------------------------------

    /// Creates a new store in `dir` with its first person enrolled.
    pub fn create(dir: &Path, user_name: &str, passphrase: &Passphrase) -> Result<Session> {
        Self::create_with(dir, user_name, passphrase, |path, key| {
            db::open_encrypted(path, key, true)
        })?
        .with_person_keys()
    }

    /// A new person's key pair and identity, made with their store.
    fn with_person_keys(self) -> Result<Session> {
        crate::e2e::ensure_person_key(&self.conn, self.user.id)?;
        crate::identity::ensure_identity(&self.conn, self.user.id)?;
        Ok(self)
    }

    /// The same store, unencrypted: only for the benchmark that measures
    /// what encryption costs. Nothing we ship enables this feature.
    #[cfg(feature = "unencrypted-bench")]
    pub fn create_unencrypted_for_benchmark(
        dir: &Path,
        user_name: &str,
        passphrase: &Passphrase,
    ) -> Result<Session> {
        Self::create_with(dir, user_name, passphrase, |path, _| {
            db::open_unencrypted_for_benchmark(path)
        })
    }

    /// Reopens a store made by `create_unencrypted_for_benchmark`.
    #[cfg(feature = "unencrypted-bench")]
    pub fn open_unencrypted_for_benchmark(dir: &Path, user_name: &str) -> Result<Session> {
        let paths = Laptop::new(dir).person(user_name);
        let keys = KeyFile::load(&paths.key_file())?;
        let wrap = keys
            .wrap_for(user_name)
            .ok_or_else(|| Error::invalid("user", "not enrolled"))?;
        let user = User {
            id: wrap.user_id,
            name: user_name.to_owned(),
            created_at: now(),
        };
        let conn = db::open_unencrypted_for_benchmark(&paths.database())?;
        let device: String = conn.query_row("SELECT device_id FROM device", [], |r| r.get(0))?;
        Ok(Session {
            conn,
            paths,
            device: parse_id(&device)?,
            user,
            identity: Default::default(),
            key: StoreKey::generate(),
            writers_waiting: WritersWaiting::default(),
        })
    }

    /// `user_name`'s store on the laptop at `dir`, made by `create_at`.
    fn create_with(
        dir: &Path,
        user_name: &str,
        passphrase: &Passphrase,
        open: impl FnOnce(&Path, &StoreKey) -> Result<Connection>,
    ) -> Result<Session> {
        check_user_name(user_name)?;
        passphrase.check_new("passphrase", user_name)?;
        let laptop = Laptop::new(dir);
        if split::is_in_shared(&laptop, user_name) {
            return Err(exists(user_name, dir));
        }
        create_private_dir(dir)?;
        create_private_dir(&laptop.people_dir())?;
        Self::create_at(laptop.person(user_name), user_name, passphrase, open).map_err(
            |e| match e {
                Error::StoreExists(_) => exists(user_name, dir),
                e => e,
            },
        )
    }

    fn create_at(
        paths: StorePaths,
        user_name: &str,
        passphrase: &Passphrase,
        open: impl FnOnce(&Path, &StoreKey) -> Result<Connection>,
    ) -> Result<Session> {
        create_private_dir(&paths.dir)?;
        with_key_file_lock(&paths, || {
            if paths.exists() || paths.database().exists() {
                return Err(Error::StoreExists(paths.dir.display().to_string()));
            }
            let key = StoreKey::generate();
            let (store_id, device, user_id) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
            let mut keys = KeyFile::new(store_id);
            keys.set_wrap(&key, user_id, user_name, passphrase)?;
            let mut conn = open(&paths.database(), &key)?;
            let created_at = now();
            {
                let tx = conn.transaction()?;
                tx.execute(
                    "INSERT INTO device (singleton, device_id, store_id, last_clock, created_at) VALUES (1, ?1, ?2, ?3, ?4)",
                    params![device.to_string(), store_id.to_string(), record::initial_stamp(device).to_string(), created_at.timestamp_millis()],
                )?;
                tx.execute(
                    "INSERT INTO users (id, name, created_at) VALUES (?1, ?2, ?3)",
                    params![
                        user_id.to_string(),
                        user_name,
                        created_at.timestamp_millis()
                    ],
                )?;
                // Shipped templates only, never sent: nothing to sign.
                let mut w = Tx {
                    tx,
                    device,
                    user: user_id,
                    signer: None,
                    now: created_at,
                    touched: BTreeSet::new(),
                    reads_only: false,
                    volunteer: false,
                };
                for t in crate::assessment::builtin_templates() {
                    install_template(&mut w, t, Reach::ThisDevice)?;
                }
                w.commit()?;
            }
            // The key file last: until it exists, the store does not.
            keys.save(&paths.key_file())?;
            let user = User {
                id: user_id,
                name: user_name.to_owned(),
                created_at,
            };
            Ok(Session {
                conn,
                paths: paths.clone(),
                device,
                user,
                identity: Default::default(),
                key,
                writers_waiting: WritersWaiting::default(),
            })
        })
    }

    /// Unlocks `user_name`'s store on the laptop whose directory is `dir`
    /// (without a name: the one person there). Wrong passphrases are counted
    /// on disk and answered with a growing delay; a name no store answers
    /// to is answered exactly like a wrong passphrase, so the screen never
    /// tells who uses the laptop. A person still in a shared store from
    /// before gets their own store first (`split`).
    pub fn unlock(dir: &Path, user_name: Option<&str>, passphrase: &Passphrase) -> Result<Session> {
        let laptop = Laptop::new(dir);
        if !laptop.has_people() {
            return Err(Error::NoStore(dir.display().to_string()));
        }
        let name = match user_name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => n.to_owned(),
            None => only_person(&laptop)?,
        };
        let paths = laptop.person(&name);
        if !paths.exists() {
            if split::is_in_shared(&laptop, &name) {
                split::move_out(&laptop, &name, passphrase)?;
            } else {
                return Err(no_one_called(&laptop, &name, passphrase));
            }
        }
        let session = Self::open_person(paths, &name, passphrase)?;
        split::finish(&laptop, &name)?;
        Ok(session)
    }

    fn open_person(paths: StorePaths, name: &str, passphrase: &Passphrase) -> Result<Session> {
        let (user_id, key, conn) = match finish_rekey(&paths, name, passphrase) {
            Some(opened) => opened,
            None => {
                let keys = KeyFile::load(&paths.key_file())?;
                let (user_id, key) =
                    unwrap_counted(&keys, name, passphrase, &paths.unlock_failures())?;
                let conn = db::open_encrypted(&paths.database(), &key, false).map_err(|e| {
                    if paths.next_key_file().exists() {
                        Error::because("passphrase", Reason::PassphraseChanged)
                    } else {
                        e
                    }
                })?;
                // A passphrase change that never reached the pages: undone.
                let _ = std::fs::remove_file(paths.next_key_file());
                (user_id, key, conn)
            }
        };
        let device: String = conn.query_row("SELECT device_id FROM device", [], |r| r.get(0))?;
        let user = conn
            .query_row(
                "SELECT name, created_at FROM users WHERE id = ?1 AND removed_at IS NULL",
                [user_id.to_string()],
                |r| {
                    Ok(User {
                        id: user_id,
                        name: r.get(0)?,
                        created_at: record::ms_to_time(r.get(1)?),
                    })
                },
            )
            .optional()?
            .ok_or_else(|| {
                Error::because(
                    "user",
                    Reason::RemovedFromDevice {
                        name: name.to_owned(),
                    },
                )
            })?;
        let device =
            Uuid::parse_str(&device).map_err(|_| Error::Storage("malformed device id".into()))?;
        let mut session = Session {
            conn,
            paths,
            device,
            user,
            identity: Default::default(),
            key,
            writers_waiting: WritersWaiting::default(),
        };
        session.install_missing_templates()?;
        session.apply_held_changes()?;
        Ok(session)
    }

    /// After an upgrade, applies changes that a newer schema wrote and this
    /// device held until it could understand them.
    fn apply_held_changes(&mut self) -> Result<()> {
        // Most unlocks have nothing held: no write lock then, so a read
        // never waits behind a sync running in another process.
        let held: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM pending_remote WHERE schema_version <= ?1)",
            [crate::db::RECORDS_VERSION as i64],
            |r| r.get(0),
        )?;
        if !held {
            return Ok(());
        }
        let own = self.device;
        let mut touched = crate::sync::Touched::default();
        let mut tx = self.begin()?;
        crate::sync::apply_held(&tx.tx, own, &mut touched)?;
        tx.refresh_after_sync(touched)?;
        tx.commit()
    }

    /// A store made before a shipped template existed (or before templates
    /// existed at all) gets it on its first unlock after the upgrade.
    fn install_missing_templates(&mut self) -> Result<()> {
        let present = |conn: &Connection, t: &TemplateDefinition| -> Result<bool> {
            Ok(conn.query_row(
                "SELECT count(*) > 0 FROM assessment_templates WHERE key = ?1 AND template_version = ?2",
                params![t.key, t.version],
                |r| r.get(0),
            )?)
        };
        let missing: Vec<TemplateDefinition> = crate::assessment::builtin_templates()
            .into_iter()
            .filter_map(|t| match present(&self.conn, &t) {
                Ok(true) => None,
                Ok(false) => Some(Ok(t)),
                Err(e) => Some(Err(e)),
            })
            .collect::<Result<_>>()?;
        if missing.is_empty() {
            return Ok(()); // no write lock for nothing
        }
        let mut tx = self.begin()?;
        for t in missing {
            // Again under the write lock: another process (a sync, a second
            // window) may have installed it since the look above.
            if !present(&tx.tx, &t)? {
                install_template(&mut tx, t, Reach::ThisDevice)?;
            }
        }
        tx.commit()
    }

    /// Locks: closes the database and wipes the key from memory.
    pub fn lock(self) {
        drop(self);
    }

    /// A second session on this store for the same person, on a connection
    /// of its own: a sync runs on it beside the person's work, so their
    /// commands never wait for the sync to end (WAL lets one connection
    /// read while the other writes; the sync writes in short turns and lets
    /// a waiting command in between them: `let_waiting_writers_in`). Drop
    /// it when the person locks.
    pub fn beside(&self) -> Result<Session> {
        let key = self.key.duplicate();
        let conn = db::open_encrypted(&self.paths.database(), &key, false)?;
        Ok(Session {
            conn,
            paths: self.paths.clone(),
            device: self.device,
            user: self.user.clone(),
            identity: Default::default(),
            key,
            writers_waiting: self.writers_waiting.clone(),
        })
    }

    /// Waits, at most `most`, while a writer of this person's (a command on
    /// a session beside this one) waits for the store's write lock, so it
    /// gets the next turn. A long writer (a sync) calls it between its
    /// transactions. Returns how long it waited, if anyone was waiting.
    pub fn let_waiting_writers_in(&self, most: std::time::Duration) -> Option<std::time::Duration> {
        if !self.writers_waiting.any() {
            return None;
        }
        let asked = std::time::Instant::now();
        while self.writers_waiting.any() && asked.elapsed() < most {
            std::thread::sleep(db::LOCK_POLL);
        }
        Some(asked.elapsed())
    }

    /// Erases this device's store: for a device its organisation revoked.
    /// The key file goes first, overwritten then removed, so even a copy of
    /// the database taken before cannot be opened with it (crypto-shredding);
    /// then the database and its journals.
    pub fn wipe(self) -> Result<()> {
        let paths = self.paths.clone();
        drop(self);
        wipe_store(&paths)
    }

    pub fn user(&self) -> &User {
        &self.user
    }

    pub fn device_id(&self) -> Uuid {
        self.device
    }

    pub fn store_dir(&self) -> &Path {
        &self.paths.dir
    }

    /// The store key itself, for the tests that read the database file's
    /// pages as a forensic examiner with the key would (`raw-access`).
    #[cfg(feature = "raw-access")]
    pub fn store_key_for_forensics(&self) -> [u8; 32] {
        self.key.bytes()
    }

    /// Read access to the SQL store, for the tests and the bench (the
    /// `raw-access` feature); never for writing.
    #[cfg(feature = "raw-access")]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
    #[cfg(not(feature = "raw-access"))]
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn begin(&mut self) -> Result<Tx<'_>> {
        self.identity_secret()?;
        let signer = self.identity.get();
        // IMMEDIATE takes the write lock up front, so two processes sharing the
        // store queue behind each other instead of failing half-way.
        let tx = {
            let _asking = self.writers_waiting.ask();
            self.conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?
        };
        let role: Option<String> = tx
            .prepare_cached("SELECT own_role FROM org_trust WHERE user_id = ?1")?
            .query_row([self.user.id.to_string()], |r| r.get(0))
            .optional()?
            .flatten();
        Ok(Tx {
            tx,
            device: self.device,
            user: self.user.id,
            signer,
            now: now(),
            touched: BTreeSet::new(),
            reads_only: role.as_deref() == Some(waymark_protocol::Role::Manager.as_str()),
            volunteer: role.as_deref() == Some(waymark_protocol::Role::Volunteer.as_str()),
        })
    }

    /// A write transaction outside the change log (this device's own
    /// settings and bookkeeping), asking for the lock like every write.
    pub(crate) fn begin_local(&self) -> Result<rusqlite::Transaction<'_>> {
        let _asking = self.writers_waiting.ask();
        Ok(rusqlite::Transaction::new_unchecked(
            &self.conn,
            TransactionBehavior::Immediate,
        )?)
    }
}

pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

#[cfg(test)]
mod give_way_tests {
    use super::*;
    use std::time::Duration;

    /// A sync that begins its next write the moment it commits (as a first
    /// sync does, turn after turn) does not starve a person's command on a
    /// session beside it: it gives way between turns, so the command gets
    /// in after the turn under way. Counted in the writer's turns, not in
    /// milliseconds, so a slow or busy machine cannot fail it. (Under
    /// SQLite's lock alone the command loses every turn until the writer
    /// stops.)
    #[test]
    fn a_command_beside_a_busy_writer_gets_the_next_turn() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let pass = Passphrase::new("a long enough passphrase for the test");
        let mut person = Session::create(dir.path(), "amina", &pass).unwrap();
        let mut syncing = person.beside().unwrap();
        let (turns, stop) = (AtomicUsize::new(0), AtomicBool::new(false));
        let least = 60;
        std::thread::scope(|s| {
            let writer = s.spawn(|| {
                // Writes until told to stop, and at least `least` turns.
                while !stop.load(Ordering::SeqCst) || turns.load(Ordering::SeqCst) < least {
                    syncing.let_waiting_writers_in(Duration::from_secs(2));
                    let tx = syncing.begin().unwrap();
                    std::thread::sleep(Duration::from_millis(20));
                    tx.commit().unwrap();
                    turns.fetch_add(1, Ordering::SeqCst);
                }
            });
            while turns.load(Ordering::SeqCst) < 3 {
                std::thread::sleep(Duration::from_millis(5));
            }
            let before = turns.load(Ordering::SeqCst);
            let tx = person.begin().unwrap();
            let waited = turns.load(Ordering::SeqCst) - before;
            tx.commit().unwrap();
            stop.store(true, Ordering::SeqCst);
            writer.join().unwrap();
            assert!(
                waited <= 2,
                "the command waited {waited} of the writer's turns, not the one under way"
            );
        });
    }
}
