//! The application API: the one set of commands and queries that the Tauri
//! shell, the CLI and the tests all call. A `Session` is an unlocked store;
//! dropping it (locking) closes the database and wipes the key from memory.

use crate::assessment::{Answer, TemplateDefinition};
use crate::db;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::keys::{KeyFile, Passphrase, StoreKey, UnlockFailures};
use crate::queries;
use crate::record::{self, now_ms, Written};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use uuid::Uuid;

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
/// wipe that was interrupted can be run again.
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
        paths.unlock_failures(),
        journal("-wal"),
        journal("-shm"),
        db.clone(),
        paths.lock_file(),
    ] {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Serialises changes to the key file across processes.
fn with_key_file_lock<T>(paths: &StorePaths, f: impl FnOnce() -> Result<T>) -> Result<T> {
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
        return Err(Error::invalid(
            "user",
            "must be 1 to 64 letters, digits, spaces or . _ - ' @",
        ));
    }
    Ok(())
}

/// Current time, truncated to the millisecond we store.
pub fn now() -> DateTime<Utc> {
    record::ms_to_time(now_ms() as i64)
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
}

impl Tx<'_> {
    pub(crate) fn author(&self) -> record::Author<'_> {
        record::Author {
            device: self.device,
            signer: self.signer,
        }
    }

    pub(crate) fn put<R: Record>(&mut self, record: &R) -> Result<Written> {
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

    /// Derived data for what pulled changes touched: amended notes' search
    /// text now, case figures on commit.
    pub(crate) fn refresh_after_sync(&mut self, touched: crate::sync::Touched) -> Result<()> {
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

    pub(crate) fn commit(self) -> Result<()> {
        for case in &self.touched {
            queries::refresh_case_summary(&self.tx, *case)?;
        }
        self.tx.commit()?;
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
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("store", &self.paths.dir)
            .field("user", &self.user.name)
            .finish()
    }
}

// --- Inputs from front ends -------------------------------------------------

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct NewPerson {
    pub full_name: String,
    pub preferred_name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub pronouns: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub safe_contact: SafeContact,
    pub address: Option<String>,
    pub address_restricted: bool,
    pub needs: Vec<NeedArea>,
    pub consents: Vec<ConsentDecision>,
}

/// A new case from the app: the person and how they came to us.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct NewCase {
    pub person: NewPerson,
    pub referral_source: ReferralSource,
    pub programme: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct NewEpisode {
    pub case_id: Uuid,
    pub referral_source: ReferralSource,
    pub programme: String,
    pub keyworker: String,
    pub opened_on: NaiveDate,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct NewNote {
    pub case_id: Uuid,
    pub body: String,
    pub contact_type: ContactType,
    /// When the contact happened; now if not given.
    pub occurred_at: Option<DateTime<Utc>>,
    pub duration_minutes: Option<i64>,
    pub location: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct NewGoal {
    pub case_id: Uuid,
    pub need_area: NeedArea,
    pub description: String,
    pub review_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct NewPlanAction {
    pub goal_id: Uuid,
    pub description: String,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct NewAppointment {
    pub case_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<String>,
    pub agency: Agency,
    pub with_whom: Option<String>,
    pub reminder_minutes: Option<i64>,
    #[serde(default)]
    pub accompany: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct NewReferral {
    pub case_id: Uuid,
    pub agency: Agency,
    pub reason: String,
    pub made_on: Option<NaiveDate>,
    pub assessment_id: Option<Uuid>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct NewAssessment {
    pub case_id: Uuid,
    pub template_key: String,
    /// The latest version if not given.
    pub template_version: Option<i64>,
    pub answers: BTreeMap<String, Answer>,
}

impl Session {
    // --- Opening and locking ------------------------------------------------

    /// Creates a new store in `dir` with its first person enrolled.
    pub fn create(dir: &Path, user_name: &str, passphrase: &Passphrase) -> Result<Session> {
        let session = Self::create_with(dir, user_name, passphrase, |path, key| {
            db::open_encrypted(path, key, true)
        })?;
        crate::e2e::ensure_person_key(&session.conn, session.user.id)?;
        crate::identity::ensure_identity(&session.conn, session.user.id)?;
        Ok(session)
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
        let paths = StorePaths::new(dir);
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
        })
    }

    fn create_with(
        dir: &Path,
        user_name: &str,
        passphrase: &Passphrase,
        open: impl FnOnce(&Path, &StoreKey) -> Result<Connection>,
    ) -> Result<Session> {
        check_user_name(user_name)?;
        passphrase.check_new("passphrase")?;
        let paths = StorePaths::new(dir);
        create_private_dir(dir)?;
        with_key_file_lock(&paths, || {
            if paths.exists() || paths.database().exists() {
                return Err(Error::StoreExists(dir.display().to_string()));
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
            })
        })
    }

    /// Unlocks the store in `dir` for `user_name` (or the only person
    /// enrolled). Wrong passphrases are counted on disk and answered with a
    /// growing delay.
    pub fn unlock(dir: &Path, user_name: Option<&str>, passphrase: &Passphrase) -> Result<Session> {
        let paths = StorePaths::new(dir);
        if !paths.exists() {
            return Err(Error::NoStore(dir.display().to_string()));
        }
        let keys = KeyFile::load(&paths.key_file())?;
        let name = match user_name {
            Some(n) => n.to_owned(),
            None => match keys.wraps.as_slice() {
                [only] => only.user_name.clone(),
                wraps => {
                    let names: Vec<&str> = wraps.iter().map(|w| w.user_name.as_str()).collect();
                    return Err(Error::invalid(
                        "user",
                        format!(
                            "several people are enrolled on this device ({}); say who you are",
                            names.join(", ")
                        ),
                    ));
                }
            },
        };
        let failures_path = paths.unlock_failures();
        let failures = UnlockFailures::load(&failures_path);
        let wait = failures.wait(now_ms());
        if !wait.is_zero() {
            return Err(Error::UnlockThrottled { retry_after: wait });
        }
        let (user_id, key) = match keys.unwrap_for(&name, passphrase) {
            Ok(found) => found,
            Err(e @ Error::WrongPassphrase { .. }) => {
                UnlockFailures {
                    failures: failures.failures + 1,
                    last_failure_ms: now_ms(),
                }
                .save(&failures_path)?;
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        if failures.failures > 0 {
            let _ = std::fs::remove_file(&failures_path);
        }
        let conn = db::open_encrypted(&paths.database(), &key, false)?;
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
                Error::invalid(
                    "user",
                    format!("{name:?} has been removed from this device"),
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
        };
        session.install_missing_templates()?;
        session.apply_held_changes()?;
        Ok(session)
    }

    /// After an upgrade, applies changes that a newer schema wrote and this
    /// device held until it could understand them.
    fn apply_held_changes(&mut self) -> Result<()> {
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
        let mut tx = self.begin()?;
        for t in crate::assessment::builtin_templates() {
            let present: bool = tx.tx.query_row(
                "SELECT count(*) > 0 FROM assessment_templates WHERE key = ?1 AND template_version = ?2",
                params![t.key, t.version],
                |r| r.get(0),
            )?;
            if !present {
                install_template(&mut tx, t, Reach::ThisDevice)?;
            }
        }
        tx.commit()
    }

    /// Locks: closes the database and wipes the key from memory.
    pub fn lock(self) {
        drop(self);
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

    /// Read access for queries and tests (never for writing).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn begin(&mut self) -> Result<Tx<'_>> {
        self.identity_secret()?;
        let signer = self.identity.get();
        // IMMEDIATE takes the write lock up front, so two processes sharing the
        // store queue behind each other instead of failing half-way.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok(Tx {
            tx,
            device: self.device,
            user: self.user.id,
            signer,
            now: now(),
            touched: BTreeSet::new(),
        })
    }

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

    // --- Cases ----------------------------------------------------------------

    pub fn add_person(&mut self, input: NewPerson) -> Result<Uuid> {
        let mut tx = self.begin()?;
        let id = write_person(&mut tx, input)?;
        tx.commit()?;
        Ok(id)
    }

    /// Opens a new case as the app does: the person and their first episode,
    /// with this person as keyworker, in one transaction.
    pub fn create_case(&mut self, input: NewCase) -> Result<Uuid> {
        let keyworker = self.user.name.clone();
        let mut tx = self.begin()?;
        let case_id = write_person(&mut tx, input.person)?;
        let opened_on = queries::local_today(tx.now);
        write_episode(
            &mut tx,
            NewEpisode {
                case_id,
                referral_source: input.referral_source,
                programme: input.programme,
                keyworker,
                opened_on,
            },
        )?;
        tx.commit()?;
        Ok(case_id)
    }

    /// Saves an edited person; who created the case and when cannot change.
    pub fn update_person(&mut self, mut person: Person) -> Result<()> {
        let mut tx = self.begin()?;
        let stored: Person = get_or(&tx.tx, person.id, "case")?;
        person.created_at = stored.created_at;
        person.created_by = stored.created_by;
        tx.put(&person)?;
        tx.commit()
    }

    pub fn person(&self, case_id: Uuid) -> Result<Person> {
        get_or(&self.conn, case_id, "case")
    }

    /// The case header a worker sees on opening a case (an audited view). The
    /// restricted address is masked here; see `reveal_address`.
    pub fn open_case(&mut self, case_id: Uuid) -> Result<queries::CaseView> {
        let view = queries::case_view(&self.conn, case_id)?;
        let tx = self.begin()?;
        tx.audit("view", "case", Some(case_id), Some(case_id))?;
        tx.commit()?;
        Ok(view)
    }

    /// Shows a restricted address on purpose; the reveal is audited.
    pub fn reveal_address(&mut self, case_id: Uuid) -> Result<Option<String>> {
        let person: Person = get_or(&self.conn, case_id, "case")?;
        let tx = self.begin()?;
        tx.audit("reveal_address", "person", Some(case_id), Some(case_id))?;
        tx.commit()?;
        Ok(person.address)
    }

    pub fn add_episode(&mut self, input: NewEpisode) -> Result<Uuid> {
        let mut tx = self.begin()?;
        let id = write_episode(&mut tx, input)?;
        tx.commit()?;
        Ok(id)
    }

    pub fn close_episode(
        &mut self,
        episode_id: Uuid,
        closed_on: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        let mut tx = self.begin()?;
        let mut e: Episode = get_or(&tx.tx, episode_id, "episode")?;
        if e.status == EpisodeStatus::Closed {
            return Err(Error::invalid("episode", "is already closed"));
        }
        e.status = EpisodeStatus::Closed;
        e.closed_on = Some(closed_on);
        e.closure_reason = Some(reason.trim().to_owned());
        tx.put(&e)?;
        tx.commit()
    }

    // --- Notes ----------------------------------------------------------------

    /// Saves a note and, in the same transaction, drops this person's draft
    /// of it: a crash leaves either the draft or the note, never neither.
    pub fn add_note(&mut self, input: NewNote) -> Result<Uuid> {
        let case_id = input.case_id;
        let mut tx = self.begin()?;
        let id = write_note(&mut tx, input)?;
        crate::local::discard_note_draft(&tx.tx, tx.user, case_id)?;
        tx.commit()?;
        Ok(id)
    }

    /// Corrects a saved note. The original and every earlier version stay.
    pub fn amend_note(&mut self, note_id: Uuid, body: &str, reason: &str) -> Result<Uuid> {
        let mut tx = self.begin()?;
        let note: Note = get_or(&tx.tx, note_id, "note")?;
        let current: String = tx.tx.query_row(
            "SELECT coalesce(amended_body, body) FROM notes WHERE id = ?1",
            [note_id.to_string()],
            |r| r.get(0),
        )?;
        if current == body {
            return Err(Error::invalid(
                "body",
                "is the same as the note's current text",
            ));
        }
        let amendment = NoteAmendment {
            id: record::new_record_id(),
            case_id: note.case_id,
            note_id,
            body: body.to_owned(),
            reason: reason.trim().to_owned(),
            author: tx.user,
            amended_at: tx.now,
        };
        tx.put(&amendment)?;
        queries::refresh_note_text(&tx.tx, note_id)?;
        tx.commit()?;
        Ok(amendment.id)
    }

    pub fn note_history(&self, note_id: Uuid) -> Result<queries::NoteHistory> {
        queries::note_history(&self.conn, note_id)
    }

    // --- Support plans ----------------------------------------------------------

    pub fn add_goal(&mut self, input: NewGoal) -> Result<Uuid> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, input.case_id)?;
        let goal = Goal {
            id: record::new_record_id(),
            case_id: input.case_id,
            need_area: input.need_area,
            description: input.description.trim().to_owned(),
            review_on: input.review_on,
            status: GoalStatus::Active,
            created_at: tx.now,
        };
        tx.put(&goal)?;
        tx.commit()?;
        Ok(goal.id)
    }

    pub fn update_goal(
        &mut self,
        goal_id: Uuid,
        status: Option<GoalStatus>,
        review_on: Option<Option<NaiveDate>>,
    ) -> Result<()> {
        let mut tx = self.begin()?;
        let mut goal: Goal = get_or(&tx.tx, goal_id, "goal")?;
        if let Some(s) = status {
            goal.status = s;
        }
        if let Some(r) = review_on {
            goal.review_on = r;
        }
        tx.put(&goal)?;
        tx.commit()
    }

    pub fn add_plan_action(&mut self, input: NewPlanAction) -> Result<Uuid> {
        let mut tx = self.begin()?;
        let goal: Goal = get_or(&tx.tx, input.goal_id, "goal")?;
        let action = PlanAction {
            id: record::new_record_id(),
            case_id: goal.case_id,
            goal_id: goal.id,
            description: input.description.trim().to_owned(),
            owner: input.owner.trim().to_owned(),
            due_on: input.due_on,
            done_on: None,
        };
        tx.put(&action)?;
        tx.commit()?;
        Ok(action.id)
    }

    pub fn complete_plan_action(&mut self, action_id: Uuid, done_on: NaiveDate) -> Result<()> {
        let mut tx = self.begin()?;
        let mut action: PlanAction = get_or(&tx.tx, action_id, "plan action")?;
        action.done_on = Some(done_on);
        tx.put(&action)?;
        tx.commit()
    }

    pub fn rate_goal(
        &mut self,
        goal_id: Uuid,
        rating: i64,
        rated_on: NaiveDate,
        comment: Option<String>,
    ) -> Result<Uuid> {
        let mut tx = self.begin()?;
        let goal: Goal = get_or(&tx.tx, goal_id, "goal")?;
        let r = OutcomeRating {
            id: record::new_record_id(),
            case_id: goal.case_id,
            goal_id,
            rating,
            rated_on,
            comment: tidy(comment),
            rated_by: tx.user,
        };
        tx.put(&r)?;
        tx.commit()?;
        Ok(r.id)
    }

    pub fn support_plan(&self, case_id: Uuid) -> Result<Vec<queries::GoalView>> {
        require_case(&self.conn, case_id)?;
        queries::support_plan(&self.conn, case_id)
    }

    // --- Appointments -------------------------------------------------------------

    pub fn add_appointment(&mut self, input: NewAppointment) -> Result<Uuid> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, input.case_id)?;
        let a = Appointment {
            id: record::new_record_id(),
            case_id: input.case_id,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            place: tidy(input.place),
            agency: input.agency,
            with_whom: tidy(input.with_whom),
            reminder_minutes: input.reminder_minutes,
            accompany: input.accompany,
            outcome: None,
            outcome_note: None,
        };
        tx.put(&a)?;
        tx.commit()?;
        Ok(a.id)
    }

    pub fn record_appointment_outcome(
        &mut self,
        id: Uuid,
        outcome: AppointmentOutcome,
        note: Option<String>,
    ) -> Result<()> {
        let mut tx = self.begin()?;
        let mut a: Appointment = get_or(&tx.tx, id, "appointment")?;
        a.outcome = Some(outcome);
        a.outcome_note = tidy(note);
        tx.put(&a)?;
        tx.commit()
    }

    /// Appointments from `from` (inclusive) to `to` (exclusive), soonest first.
    pub fn agenda(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<queries::AgendaEntry>> {
        if to <= from {
            return Err(Error::invalid("to", "the agenda ends before it starts"));
        }
        queries::agenda(&self.conn, from, to)
    }

    /// The agenda of a local day (today if not given), or of its
    /// Monday-to-Sunday week, in the zone shown to people.
    pub fn agenda_of(
        &self,
        date: Option<NaiveDate>,
        week: bool,
    ) -> Result<Vec<queries::AgendaEntry>> {
        let date = date.unwrap_or_else(|| queries::local_today(now()));
        let (from, to) = if week {
            queries::local_week_bounds(date, queries::LOCAL_ZONE)
        } else {
            queries::local_day_bounds(date, queries::LOCAL_ZONE)
        };
        self.agenda(from, to)
    }

    // --- Assessments ----------------------------------------------------------------

    pub fn templates(&self) -> Result<Vec<AssessmentTemplate>> {
        record::list(&self.conn, "1 ORDER BY key, template_version, id", &[])
    }

    /// Adds a template (a new key, or a new version of one) from its JSON:
    /// an admin's act, as it goes to every device of the organisation (which
    /// take organisation records only when a confirmed admin signed them).
    pub fn import_template(&mut self, json: &str) -> Result<Uuid> {
        let definition = TemplateDefinition::from_json(json)?;
        if self.trust_state()?.confirmed_as != Some(waymark_protocol::Role::Admin) {
            return Err(Error::invalid(
                "template",
                "only an admin the organisation confirmed can import a template: it goes to every device",
            ));
        }
        let mut tx = self.begin()?;
        let exists: bool = tx.tx.query_row(
            "SELECT count(*) > 0 FROM assessment_templates WHERE key = ?1 AND template_version = ?2",
            params![definition.key, definition.version],
            |r| r.get(0),
        )?;
        if exists {
            return Err(Error::invalid(
                "template",
                format!(
                    "{} version {} exists already; give the changed template a new version",
                    definition.key, definition.version
                ),
            ));
        }
        let id = install_template(&mut tx, definition, Reach::Organisation)?;
        tx.commit()?;
        Ok(id)
    }

    /// Scores the answers against the template and saves the assessment; the
    /// result lists any action its threshold prompts.
    pub fn complete_assessment(&mut self, input: NewAssessment) -> Result<Assessment> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, input.case_id)?;
        let template = find_template(&tx.tx, &input.template_key, input.template_version)?;
        let result = template.definition.score(&input.answers)?;
        let a = Assessment {
            id: record::new_record_id(),
            case_id: input.case_id,
            template_id: template.id,
            template_key: template.key,
            template_version: template.template_version,
            answers: input.answers,
            score: result.score,
            level: result.level,
            prompts: result.prompts,
            decisions: Vec::new(),
            completed_at: tx.now,
            completed_by: tx.user,
        };
        tx.put(&a)?;
        tx.commit()?;
        Ok(a)
    }

    /// Records what the worker decided about a prompted action. Deciding to
    /// make a prompted referral creates it, linked to the assessment.
    pub fn decide_prompt(
        &mut self,
        assessment_id: Uuid,
        prompt_index: usize,
        decision: DecisionKind,
        reason: Option<String>,
    ) -> Result<Option<Uuid>> {
        let mut tx = self.begin()?;
        let mut a: Assessment = get_or(&tx.tx, assessment_id, "assessment")?;
        if a.decisions.iter().any(|d| d.prompt_index == prompt_index) {
            return Err(Error::invalid(
                "prompt",
                format!("prompt {prompt_index} has been decided already"),
            ));
        }
        let prompt = a.prompts.get(prompt_index).cloned().ok_or_else(|| {
            Error::invalid(
                "prompt",
                format!("this assessment has no prompt {prompt_index}"),
            )
        })?;
        let mut referral_id = None;
        if decision == DecisionKind::Made && prompt.action == "referral" {
            let r = Referral {
                id: record::new_record_id(),
                case_id: a.case_id,
                agency: prompt.agency,
                reason: prompt.text.clone(),
                status: ReferralStatus::Made,
                outcome: None,
                made_on: tx.now.date_naive(),
                assessment_id: Some(a.id),
            };
            tx.put(&r)?;
            referral_id = Some(r.id);
        }
        a.decisions.push(PromptDecision {
            prompt_index,
            decision,
            reason: tidy(reason),
            referral_id,
            decided_at: tx.now,
            decided_by: tx.user,
        });
        tx.put(&a)?;
        tx.commit()?;
        Ok(referral_id)
    }

    pub fn assessments(&self, case_id: Uuid) -> Result<Vec<Assessment>> {
        require_case(&self.conn, case_id)?;
        record::list(
            &self.conn,
            "case_id = ?1 ORDER BY completed_at DESC, id",
            &[&case_id.to_string()],
        )
    }

    // --- Referrals and flags ---------------------------------------------------------

    pub fn add_referral(&mut self, input: NewReferral) -> Result<Uuid> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, input.case_id)?;
        let r = Referral {
            id: record::new_record_id(),
            case_id: input.case_id,
            agency: input.agency,
            reason: input.reason.trim().to_owned(),
            status: ReferralStatus::Made,
            outcome: None,
            made_on: input.made_on.unwrap_or(tx.now.date_naive()),
            assessment_id: input.assessment_id,
        };
        tx.put(&r)?;
        tx.commit()?;
        Ok(r.id)
    }

    pub fn update_referral(
        &mut self,
        id: Uuid,
        status: ReferralStatus,
        outcome: Option<String>,
    ) -> Result<()> {
        let mut tx = self.begin()?;
        let mut r: Referral = get_or(&tx.tx, id, "referral")?;
        r.status = status;
        if outcome.is_some() {
            r.outcome = tidy(outcome);
        }
        tx.put(&r)?;
        tx.commit()
    }

    /// A case's appointments, latest first.
    pub fn appointments(&self, case_id: Uuid) -> Result<Vec<Appointment>> {
        require_case(&self.conn, case_id)?;
        record::list(
            &self.conn,
            "case_id = ?1 ORDER BY starts_at DESC, id",
            &[&case_id.to_string()],
        )
    }

    pub fn referrals(&self, case_id: Uuid) -> Result<Vec<Referral>> {
        require_case(&self.conn, case_id)?;
        record::list(
            &self.conn,
            "case_id = ?1 ORDER BY made_on DESC, id",
            &[&case_id.to_string()],
        )
    }

    pub fn raise_flag(
        &mut self,
        case_id: Uuid,
        kind: FlagKind,
        detail: Option<String>,
    ) -> Result<Uuid> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, case_id)?;
        let f = Flag {
            id: record::new_record_id(),
            case_id,
            kind,
            detail: tidy(detail),
            raised_at: tx.now,
            raised_by: tx.user,
            resolved_at: None,
            resolved_by: None,
        };
        tx.put(&f)?;
        tx.commit()?;
        Ok(f.id)
    }

    pub fn resolve_flag(&mut self, flag_id: Uuid) -> Result<()> {
        let mut tx = self.begin()?;
        let mut f: Flag = get_or(&tx.tx, flag_id, "flag")?;
        if f.resolved_at.is_some() {
            return Err(Error::invalid("flag", "is already resolved"));
        }
        f.resolved_at = Some(tx.now);
        f.resolved_by = Some(tx.user);
        tx.put(&f)?;
        tx.commit()
    }

    pub fn flags(&self, case_id: Uuid, include_resolved: bool) -> Result<Vec<Flag>> {
        require_case(&self.conn, case_id)?;
        let filter = if include_resolved {
            "case_id = ?1 ORDER BY raised_at DESC, id"
        } else {
            "case_id = ?1 AND resolved_at IS NULL ORDER BY raised_at DESC, id"
        };
        record::list(&self.conn, filter, &[&case_id.to_string()])
    }

    // --- Attachments ---------------------------------------------------------------

    /// Stores a file with the case, inside the encrypted database. The size
    /// limit is checked before anything is written.
    pub fn add_attachment(
        &mut self,
        case_id: Uuid,
        file_name: &str,
        media_type: &str,
        data: &[u8],
    ) -> Result<Uuid> {
        check_attachment_size(data.len() as u64)?;
        let mut tx = self.begin()?;
        require_case(&tx.tx, case_id)?;
        let a = Attachment {
            id: record::new_record_id(),
            case_id,
            file_name: file_name.trim().to_owned(),
            media_type: media_type.trim().to_owned(),
            size_bytes: data.len() as i64,
            added_at: tx.now,
            added_by: tx.user,
        };
        tx.put(&a)?;
        tx.tx.execute(
            "INSERT INTO attachment_blobs (attachment_id, data) VALUES (?1, ?2)",
            params![a.id.to_string(), data],
        )?;
        tx.commit()?;
        Ok(a.id)
    }

    /// Removes a wrongly added attachment: its contents are deleted, its
    /// record becomes a tombstone, and the removal is audited.
    pub fn remove_attachment(&mut self, id: Uuid) -> Result<()> {
        let a: Attachment = get_or(&self.conn, id, "attachment")?;
        let tx = self.begin()?;
        record::remove(&tx.tx, tx.author(), Attachment::KIND, id, Some(a.case_id))?;
        for table in ["attachment_blobs", "attachment_downloads"] {
            tx.tx.execute(
                &format!("DELETE FROM {table} WHERE attachment_id = ?1"),
                [id.to_string()],
            )?;
        }
        tx.audit("remove", Attachment::KIND, Some(id), Some(a.case_id))?;
        tx.commit()
    }

    pub fn attachments(&self, case_id: Uuid) -> Result<Vec<Attachment>> {
        require_case(&self.conn, case_id)?;
        record::list(
            &self.conn,
            "case_id = ?1 ORDER BY added_at DESC, id",
            &[&case_id.to_string()],
        )
    }

    /// Opens an attachment's contents (an audited view).
    pub fn open_attachment(&mut self, id: Uuid) -> Result<(Attachment, Vec<u8>)> {
        let a: Attachment = get_or(&self.conn, id, "attachment")?;
        let data: Vec<u8> = self
            .conn
            .query_row(
                "SELECT data FROM attachment_blobs WHERE attachment_id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                Error::invalid(
                    "attachment",
                    format!("the contents of {id} are not on this device yet; sync to fetch them"),
                )
            })?;
        let tx = self.begin()?;
        tx.audit("view", Attachment::KIND, Some(id), Some(a.case_id))?;
        tx.commit()?;
        Ok((a, data))
    }

    /// Whether an attachment's contents are on this device.
    pub fn attachment_on_device(&self, id: Uuid) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT count(*) > 0 FROM attachment_blobs WHERE attachment_id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )?)
    }

    /// Attachment contents the server has not confirmed in full, encrypted
    /// under their case's key (made once per upload, in one transaction, so a
    /// resumed upload sends the same bytes): (attachment, case, encrypted
    /// size, bytes confirmed).
    pub fn blobs_to_upload(&mut self) -> Result<Vec<(Uuid, Uuid, u64, u64)>> {
        let tx = self.begin()?;
        let unsealed: Vec<(String, String)> = tx
            .tx
            .prepare(
                "SELECT b.attachment_id, a.case_id FROM attachment_blobs b JOIN attachments a ON a.id = b.attachment_id
                 WHERE b.sealed IS NULL AND b.uploaded = 0 AND a.removed_at IS NULL",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, case) in unsealed {
            let (id, case) = (parse_id(&id)?, parse_id(&case)?);
            let key = crate::e2e::key_for_outgoing(&tx.tx, case)?;
            let data: zeroize::Zeroizing<Vec<u8>> = zeroize::Zeroizing::new(tx.tx.query_row(
                "SELECT data FROM attachment_blobs WHERE attachment_id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )?);
            let sealed = waymark_crypto::encrypt_attachment(&key, case, id, &data);
            tx.tx.execute(
                "UPDATE attachment_blobs SET sealed = ?2 WHERE attachment_id = ?1",
                params![id.to_string(), sealed],
            )?;
        }
        let pending: Vec<(Uuid, Uuid, u64, u64)> = tx
            .tx
            .prepare(
                "SELECT b.attachment_id, a.case_id, length(b.sealed), b.uploaded
                 FROM attachment_blobs b JOIN attachments a ON a.id = b.attachment_id
                 WHERE b.sealed IS NOT NULL AND a.removed_at IS NULL",
            )?
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })?
            .map(|row| {
                let (id, case, size, up) = row?;
                Ok((parse_id(&id)?, parse_id(&case)?, size as u64, up as u64))
            })
            .collect::<Result<_>>()?;
        tx.commit()?;
        Ok(pending)
    }

    /// Up to `len` bytes of an attachment's encrypted contents from `offset`.
    pub fn blob_bytes(&self, id: Uuid, offset: u64, len: usize) -> Result<Vec<u8>> {
        Ok(self.conn.query_row(
            "SELECT substr(sealed, ?2, ?3) FROM attachment_blobs WHERE attachment_id = ?1",
            params![id.to_string(), offset as i64 + 1, len as i64],
            |r| r.get(0),
        )?)
    }

    /// Records how many bytes of an attachment the server has confirmed;
    /// once it holds them all, the encrypted copy here is dropped.
    pub fn mark_uploaded(&mut self, id: Uuid, bytes: u64) -> Result<()> {
        let tx = self.begin()?;
        tx.tx.execute(
            "UPDATE attachment_blobs SET uploaded = max(uploaded, ?2) WHERE attachment_id = ?1",
            params![id.to_string(), bytes as i64],
        )?;
        tx.tx.execute(
            "UPDATE attachment_blobs SET sealed = NULL WHERE attachment_id = ?1 AND uploaded >= length(sealed)",
            [id.to_string()],
        )?;
        tx.commit()
    }

    /// The case of an attachment and how many bytes of its contents a
    /// download in progress holds.
    pub fn download_state(&self, id: Uuid) -> Result<(Uuid, u64, u64)> {
        let a: Attachment = get_or(&self.conn, id, "attachment")?;
        let have: Option<i64> = self
            .conn
            .query_row(
                "SELECT length(data) FROM attachment_downloads WHERE attachment_id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        Ok((
            a.case_id,
            have.unwrap_or(0) as u64,
            a.size_bytes as u64 + waymark_crypto::ENCRYPTION_OVERHEAD as u64,
        ))
    }

    /// Appends a fetched chunk at `offset` (the bytes held so far); once the
    /// contents are whole, they move into place. Returns whether whole.
    pub fn append_download(&mut self, id: Uuid, offset: u64, chunk: &[u8]) -> Result<bool> {
        let (_, have, size) = self.download_state(id)?;
        if offset != have || have + chunk.len() as u64 > size {
            return Err(Error::Storage(format!(
                "attachment {id}: a chunk at {offset} does not continue the {have} of {size} bytes fetched"
            )));
        }
        let tx = self.begin()?;
        // Concatenated here, not with SQL's `||` (which makes text of blobs).
        let mut data: Vec<u8> = tx
            .tx
            .query_row(
                "SELECT data FROM attachment_downloads WHERE attachment_id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_default();
        data.extend_from_slice(chunk);
        tx.tx.execute(
            "INSERT OR REPLACE INTO attachment_downloads (attachment_id, data) VALUES (?1, ?2)",
            params![id.to_string(), data],
        )?;
        let whole = have + chunk.len() as u64 == size;
        if whole {
            // Opened with the case key at the epoch it names; a download
            // that fails authentication is dropped, never kept.
            let case = case_of_attachment(&tx.tx, id)?;
            let opened = waymark_crypto::epoch_of("attachment", &data)
                .map_err(|e| e.to_string())
                .and_then(|epoch| {
                    crate::e2e::case_key(&tx.tx, case, epoch)
                        .map_err(|e| e.to_string())?
                        .ok_or_else(|| {
                            format!("its case key (epoch {epoch}) has not reached this device")
                        })
                })
                .and_then(|key| {
                    waymark_crypto::decrypt_attachment(&key, case, id, &data)
                        .map_err(|e| e.to_string())
                });
            tx.tx.execute(
                "DELETE FROM attachment_downloads WHERE attachment_id = ?1",
                [id.to_string()],
            )?;
            let contents = match opened {
                Ok(contents) => contents,
                Err(reason) => {
                    tx.commit()?;
                    return Err(Error::Storage(format!("attachment {id} refused: {reason}")));
                }
            };
            let len = contents.len() as i64;
            tx.tx.execute(
                "INSERT OR REPLACE INTO attachment_blobs (attachment_id, data, uploaded) VALUES (?1, ?2, ?3)",
                params![id.to_string(), contents.as_slice(), len.max(1)],
            )?;
        }
        tx.commit()?;
        Ok(whole)
    }

    // --- Reading across cases ---------------------------------------------------

    pub fn caseload(
        &self,
        filter: &queries::CaseloadFilter,
    ) -> Result<Vec<queries::CaseloadEntry>> {
        if filter.mine {
            let mut mine = filter.clone();
            mine.keyworker = Some(self.user.name.clone());
            return queries::caseload(&self.conn, &mine, now());
        }
        queries::caseload(&self.conn, filter, now())
    }

    /// Everything recorded on a case, newest first (an audited view).
    pub fn timeline(&mut self, case_id: Uuid) -> Result<Vec<queries::TimelineItem>> {
        require_case(&self.conn, case_id)?;
        let items = queries::timeline(&self.conn, case_id)?;
        let tx = self.begin()?;
        tx.audit("view", "timeline", Some(case_id), Some(case_id))?;
        tx.commit()?;
        Ok(items)
    }

    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<queries::SearchHit>> {
        queries::search(&self.conn, query, limit)
    }

    /// The whole case as one document (an audited export).
    pub fn export_case(&mut self, case_id: Uuid) -> Result<queries::CaseExport> {
        let export = queries::export_case(&self.conn, case_id)?;
        let tx = self.begin()?;
        tx.audit("export", "case", Some(case_id), Some(case_id))?;
        tx.commit()?;
        Ok(export)
    }

    /// Cases closed for at least `closed_for_days`, for review and erasure.
    pub fn retention_review(&self, closed_for_days: i64) -> Result<Vec<queries::RetentionItem>> {
        queries::retention_review(&self.conn, closed_for_days, queries::local_today(now()))
    }

    pub fn audit_trail(
        &self,
        case_id: Option<Uuid>,
        limit: usize,
    ) -> Result<Vec<queries::AuditEntry>> {
        queries::audit_trail(&self.conn, case_id, limit)
    }

    /// Per case, how many of its changes wait to be pushed (the case's sync
    /// state for the UI: a case not listed is in step with the server as of
    /// the last sync).
    pub fn unsynced_by_case(&self) -> Result<Vec<(Uuid, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT case_id, count(*) FROM outbox WHERE case_id IS NOT NULL GROUP BY case_id ORDER BY case_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        rows.map(|row| {
            let (id, n) = row?;
            Ok((parse_id(&id)?, n))
        })
        .collect()
    }

    /// Changes waiting to be pushed.
    pub fn pending_changes(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))?)
    }

    pub fn outbox(&self, after_seq: i64, limit: i64) -> Result<Vec<record::OutboxChange>> {
        record::outbox(&self.conn, after_seq, limit)
    }

    pub fn schema_version(&self) -> Result<i64> {
        db::schema_version(&self.conn)
    }

    // --- Sync (the network part lives in waymark-sync) ---------------------------

    /// Outbox entries to push, oldest first, signed and encrypted (a case
    /// created here gets its first key in the same transaction).
    pub fn outgoing(&mut self, limit: i64) -> Result<Vec<crate::sync::Outgoing>> {
        self.outgoing_after(0, limit)
    }

    /// As `outgoing`, from the entry after `after_seq`: the next batch,
    /// prepared while the server takes the one before.
    pub fn outgoing_after(
        &mut self,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<crate::sync::Outgoing>> {
        let tx = self.begin()?;
        let out = crate::sync::outgoing(&tx.tx, after_seq, limit, tx.author())?;
        tx.commit()?;
        Ok(out)
    }

    /// Removes entries the server acknowledged (by seq and change id together).
    pub fn acknowledge(&mut self, acked: &[(i64, Uuid)]) -> Result<u64> {
        let tx = self.begin()?;
        let n = crate::sync::acknowledge(&tx.tx, acked)?;
        tx.commit()?;
        Ok(n)
    }

    /// Acknowledges pushed entries and, in the same transaction, moves past
    /// our own changes in the server's logs: for each `(log, first seq,
    /// change ids)` run the server gave them, the cursor advances over the
    /// run only if it stood just before it (nobody else's change is in
    /// between), so the device does not pull back what it just pushed.
    /// `placed` (outbox seq, change id, log, log seq) says where the server
    /// put each one, so our own removals' tombstones know their place.
    pub fn acknowledge_pushed(
        &mut self,
        acked: &[(i64, Uuid)],
        placed: &[(i64, Uuid, Uuid, i64)],
        own_runs: &[(Uuid, i64, Vec<Uuid>)],
    ) -> Result<u64> {
        let tx = self.begin()?;
        crate::sync::note_own_tombstones(&tx.tx, placed)?;
        let n = crate::sync::acknowledge(&tx.tx, acked)?;
        for (log_id, first, ids) in own_runs {
            let (cursor, mut tip) = crate::sync::position(&tx.tx, *log_id)?;
            if cursor == first - 1 {
                for id in ids {
                    tip = waymark_protocol::next_tip(&tip, *id);
                }
                crate::sync::set_position(&tx.tx, *log_id, cursor + ids.len() as i64, &tip)?;
            }
        }
        tx.commit()?;
        Ok(n)
    }

    /// The last seq applied of a log.
    pub fn sync_cursor(&self, log_id: Uuid) -> Result<i64> {
        crate::sync::cursor(&self.conn, log_id)
    }

    /// Where this device stands in every log it has read, with tips: what a
    /// pull sends.
    pub fn sync_positions(&self) -> Result<Vec<crate::sync::Cursor>> {
        crate::sync::positions(&self.conn)
    }

    /// Applies a page pulled from one server log and advances its cursor, in
    /// one transaction: a crash leaves either both or neither.
    pub fn apply_pulled(
        &mut self,
        log_id: Uuid,
        page: &[crate::sync::Logged],
    ) -> Result<crate::sync::ApplyReport> {
        self.apply_pulled_pages(&[crate::sync::PulledPage {
            log_id,
            changes: page,
            head: None,
        }])
    }

    /// Applies pages of several logs and advances their cursors in one
    /// transaction. Each page must continue its log's cursor without a gap
    /// (a change already applied is skipped: never applied twice). When a
    /// page reaches the log's head, `head_tip` (the server's tip there) must
    /// match the tip this device computes, or nothing is applied.
    pub fn apply_pulled_pages(
        &mut self,
        pages: &[crate::sync::PulledPage],
    ) -> Result<crate::sync::ApplyReport> {
        let own = self.device;
        let mut report = crate::sync::ApplyReport::default();
        let mut touched = crate::sync::Touched::default();
        let mut tx = self.begin()?;
        let signers = crate::trust::Signers::load(&tx.tx, tx.user)?;
        let conn = &tx.tx;
        crate::e2e::with_opened_ahead(conn, pages, &signers, |ahead| {
            for &crate::sync::PulledPage {
                log_id,
                changes: page,
                head: head_tip,
            } in pages
            {
                let (mut cursor, mut tip) = crate::sync::position(conn, log_id)?;
                let mut hold =
                    log_id != crate::sync::ORG_LOG && crate::e2e::is_awaiting(conn, log_id)?;
                for logged in page {
                    let opened_ahead = ahead.next();
                    if logged.seq <= cursor {
                        continue;
                    }
                    if logged.seq != cursor + 1 {
                        return Err(Error::Storage(format!(
                            "log {log_id} skips from seq {cursor} to {}",
                            logged.seq
                        )));
                    }
                    let opened = match opened_ahead {
                        Some(opened) if !hold => opened,
                        _ => crate::e2e::open_change(conn, log_id, logged, hold, &signers)?,
                    };
                    let arrived = crate::sync::Arrived::of(log_id, logged);
                    match opened {
                        crate::e2e::Opened::Change { body, signer } => crate::sync::apply(
                            conn,
                            own,
                            &arrived,
                            &body,
                            signer,
                            &mut report,
                            &mut touched,
                        )?,
                        crate::e2e::Opened::AwaitingKey => {
                            crate::e2e::hold_for_key(conn, log_id, logged)?;
                            report.awaiting_key += 1;
                            hold = true;
                        }
                        crate::e2e::Opened::Refused(reason) => {
                            crate::sync::refuse(conn, &arrived, &reason)?;
                            report.refused += 1;
                        }
                    }
                    cursor = logged.seq;
                    tip = waymark_protocol::next_tip(&tip, logged.change_id);
                }
                if let Some((head, head_tip)) = head_tip {
                    if cursor == head && tip != head_tip {
                        return Err(Error::Storage(format!(
                            "log {log_id}: this device's history differs from the server's at seq {head}"
                        )));
                    }
                }
                crate::sync::set_position(conn, log_id, cursor, &tip)?;
            }
            Ok(())
        })?;
        tx.refresh_after_sync(touched)?;
        tx.commit()?;
        Ok(report)
    }

    /// Re-stamps unpushed changes stamped more than the allowed drift ahead
    /// of the server's clock (see `sync::restamp_ahead`). Returns how many.
    pub fn restamp_ahead(&mut self, server_now_ms: i64) -> Result<u64> {
        let tx = self.begin()?;
        let n = crate::sync::restamp_ahead(&tx.tx, server_now_ms.max(0) as u64)?;
        tx.commit()?;
        Ok(n)
    }

    /// Logs holding tombstones that wait for their horizon.
    pub fn tombstone_logs(&self) -> Result<Vec<Uuid>> {
        crate::sync::tombstone_logs(&self.conn)
    }

    /// Purges the tombstones the logs' horizons have passed. Returns how many.
    pub fn purge_tombstones(&mut self, horizons: &[(Uuid, i64)]) -> Result<u64> {
        let tx = self.begin()?;
        let n = crate::sync::purge_tombstones(&tx.tx, horizons)?;
        tx.commit()?;
        Ok(n)
    }

    /// (tombstones waiting, records purged), for status.
    pub fn tombstone_counts(&self) -> Result<(i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM tombstones), (SELECT count(*) FROM purged_records)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// The server no longer holds this device's history of a log (it was
    /// restored from an older backup): read it again from the start and
    /// re-queue this device's kept changes of it. Returns how many.
    pub fn reset_log(&mut self, log_id: Uuid) -> Result<u64> {
        let tx = self.begin()?;
        let n = crate::sync::reset_log(&tx.tx, log_id)?;
        tx.commit()?;
        Ok(n)
    }

    /// This store's link to a sync server for the person unlocked, if they
    /// logged in.
    pub fn sync_account(&self) -> Result<Option<crate::sync::SyncAccount>> {
        crate::sync::account(&self.conn, self.user.id)
    }

    /// Saves (replaces) the person's link to a sync server. The token is kept
    /// only inside the encrypted store.
    pub fn save_sync_account(&mut self, account: &crate::sync::SyncAccount) -> Result<()> {
        let tx = self.begin()?;
        let user = tx.user;
        crate::sync::save_account(&tx.tx, user, account)?;
        tx.commit()
    }

    /// Changes held because a newer schema wrote them.
    pub fn held_for_upgrade(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM pending_remote", [], |r| r.get(0))?)
    }

    pub fn conflicts(&self, open_only: bool) -> Result<Vec<crate::sync::Conflict>> {
        crate::sync::conflicts(&self.conn, open_only)
    }

    /// One conflict, open or settled.
    pub fn conflict(&self, id: Uuid) -> Result<crate::sync::Conflict> {
        self.conflicts(false)?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(Error::NotFound {
                what: "conflict",
                id: id.to_string(),
            })
    }

    /// Settles a conflict; the choice syncs as a new change.
    pub fn resolve_conflict(&mut self, id: Uuid, keep: crate::sync::Keep) -> Result<()> {
        let conflict = self.conflict(id)?;
        self.settle(conflict, keep)
    }

    pub(crate) fn settle(
        &mut self,
        conflict: crate::sync::Conflict,
        keep: crate::sync::Keep,
    ) -> Result<()> {
        if conflict.resolved_at.is_some() {
            return Err(Error::invalid("conflict", "is already resolved"));
        }
        let mut tx = self.begin()?;
        crate::sync::resolve(&tx.tx, tx.author(), &conflict, keep)?;
        tx.audit(
            "resolve_conflict",
            &conflict.kind,
            Some(conflict.record_id),
            conflict.case_id,
        )?;
        if let Some(case) = conflict.case_id {
            tx.touched.insert(case);
        }
        tx.commit()
    }

    /// Fills the store with plainly fictional demo data.
    pub fn demo_data(
        &mut self,
        options: &crate::demo::DemoOptions,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<crate::demo::DemoReport> {
        crate::demo::generate(self, options, progress)
    }
}

fn write_person(tx: &mut Tx, input: NewPerson) -> Result<Uuid> {
    let person = Person {
        id: Uuid::new_v4(),
        full_name: input.full_name.trim().to_owned(),
        preferred_name: tidy(input.preferred_name),
        date_of_birth: input.date_of_birth,
        pronouns: tidy(input.pronouns),
        phone: tidy(input.phone),
        email: tidy(input.email),
        safe_contact: input.safe_contact,
        address: tidy(input.address),
        address_restricted: input.address_restricted,
        needs: input.needs,
        consents: input.consents,
        created_at: tx.now,
        created_by: tx.user,
    };
    tx.put(&person)?;
    Ok(person.id)
}

fn write_episode(tx: &mut Tx, input: NewEpisode) -> Result<Uuid> {
    require_case(&tx.tx, input.case_id)?;
    let episode = Episode {
        id: record::new_record_id(),
        case_id: input.case_id,
        referral_source: input.referral_source,
        programme: input.programme.trim().to_owned(),
        keyworker: input.keyworker.trim().to_owned(),
        status: EpisodeStatus::Open,
        opened_on: input.opened_on,
        closed_on: None,
        closure_reason: None,
    };
    tx.put(&episode)?;
    Ok(episode.id)
}

pub(crate) fn write_note(tx: &mut Tx, input: NewNote) -> Result<Uuid> {
    require_case(&tx.tx, input.case_id)?;
    let note = Note {
        id: record::new_record_id(),
        case_id: input.case_id,
        author: tx.user,
        occurred_at: input.occurred_at.unwrap_or(tx.now),
        contact_type: input.contact_type,
        duration_minutes: input.duration_minutes,
        location: tidy(input.location),
        body: input.body,
        created_at: tx.now,
    };
    tx.put(&note)?;
    Ok(note.id)
}

const TEMPLATE_NAMESPACE: Uuid = Uuid::from_u128(0x5d0c_8a1e_7f3b_4c2a_9e61_0b7d_2f48_a913);

/// Where an installed template goes: a shipped one is installed alike on
/// every device and never sent; an imported one goes to the organisation.
#[derive(PartialEq)]
enum Reach {
    ThisDevice,
    Organisation,
}

fn install_template(tx: &mut Tx, definition: TemplateDefinition, reach: Reach) -> Result<Uuid> {
    let t = AssessmentTemplate {
        // Derived from key and version: every device that installs the same
        // template makes the same record, so syncing them cannot collide.
        id: Uuid::new_v5(
            &TEMPLATE_NAMESPACE,
            format!("{}@{}", definition.key, definition.version).as_bytes(),
        ),
        key: definition.key.clone(),
        template_version: definition.version,
        name: definition.name.clone(),
        definition,
    };
    tx.put(&t)?;
    if reach == Reach::ThisDevice {
        // The outbox's tail is the last stamp issued: keep it first.
        record::persist_last_stamp(&tx.tx)?;
        tx.tx.execute(
            "DELETE FROM outbox WHERE record_id = ?1",
            [t.id.to_string()],
        )?;
    }
    Ok(t.id)
}

pub(crate) fn find_template(
    conn: &Connection,
    key: &str,
    version: Option<i64>,
) -> Result<AssessmentTemplate> {
    let found: Vec<AssessmentTemplate> = match version {
        Some(v) => record::list(conn, "key = ?1 AND template_version = ?2", &[&key, &v])?,
        None => record::list(
            conn,
            "key = ?1 ORDER BY template_version DESC LIMIT 1",
            &[&key],
        )?,
    };
    found.into_iter().next().ok_or_else(|| {
        let v = version.map(|v| format!(" version {v}")).unwrap_or_default();
        Error::invalid("template", format!("no assessment template {key:?}{v}"))
    })
}

pub(crate) fn require_case(conn: &Connection, case_id: Uuid) -> Result<()> {
    let found: bool = conn.query_row(
        "SELECT count(*) > 0 FROM persons WHERE id = ?1 AND removed_at IS NULL",
        [case_id.to_string()],
        |r| r.get(0),
    )?;
    if !found {
        return Err(Error::NotFound {
            what: "case",
            id: case_id.to_string(),
        });
    }
    Ok(())
}

fn get_or<R: Record>(conn: &Connection, id: Uuid, what: &'static str) -> Result<R> {
    record::get(conn, id)?.ok_or_else(|| Error::NotFound {
        what,
        id: id.to_string(),
    })
}

fn case_of_attachment(conn: &Connection, id: Uuid) -> Result<Uuid> {
    let a: Attachment = get_or(conn, id, "attachment")?;
    Ok(a.case_id)
}

pub(crate) fn parse_id(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|_| Error::Storage("malformed id in the store".into()))
}

fn tidy(s: Option<String>) -> Option<String> {
    s.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}
