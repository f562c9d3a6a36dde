//! Opening the SQLCipher database: keying, pragmas, migrations.

use crate::error::{Error, Result};
use crate::keys::StoreKey;
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};
use std::path::Path;

const MIGRATION_SQL: &[&str] = &[
    include_str!("../../../migrations/device/001_cases_and_notes.sql"),
    include_str!("../../../migrations/device/002_plans_and_appointments.sql"),
    include_str!("../../../migrations/device/003_assessments_referrals_flags_attachments.sql"),
    include_str!("../../../migrations/device/004_sync.sql"),
    include_str!("../../../migrations/device/005_sync_account.sql"),
    include_str!("../../../migrations/device/006_drafts_settings_reminders.sql"),
    include_str!("../../../migrations/device/007_person_keys.sql"),
    include_str!("../../../migrations/device/008_case_keys.sql"),
    include_str!("../../../migrations/device/009_arrival_checks.sql"),
    include_str!("../../../migrations/device/010_identities.sql"),
    include_str!("../../../migrations/device/011_certification.sql"),
    include_str!("../../../migrations/device/012_signed_keys.sql"),
    include_str!("../../../migrations/device/013_signed_changes.sql"),
    include_str!("../../../migrations/device/014_programmes.sql"),
    include_str!("../../../migrations/device/015_episodes_in_programmes.sql"),
    include_str!("../../../migrations/device/016_certified_teams.sql"),
    include_str!("../../../migrations/device/017_incidents.sql"),
    include_str!("../../../migrations/device/018_dropped_cases.sql"),
    include_str!("../../../migrations/device/019_sign_offs.sql"),
    include_str!("../../../migrations/device/020_marac_and_safety_plans.sql"),
    include_str!("../../../migrations/device/021_supervision_notes.sql"),
    include_str!("../../../migrations/device/022_linked_people.sql"),
    include_str!("../../../migrations/device/023_groups_and_tallies.sql"),
    include_str!("../../../migrations/device/024_set_aside.sql"),
    include_str!("../../../migrations/device/025_volunteers.sql"),
    include_str!("../../../migrations/device/026_supervision_actions_done.sql"),
    include_str!("../../../migrations/device/027_search_index_per_page.sql"),
    include_str!("../../../migrations/device/028_reads_at_full_scale.sql"),
    include_str!("../../../migrations/device/029_dated_needs_and_consented_referrals.sql"),
];

/// How SQLCipher authenticates each page of the store.
pub const PAGE_HMAC: &str = "HMAC_SHA256";

/// The store's schema version: migrations applied.
pub const SCHEMA_VERSION: usize = MIGRATION_SQL.len();

/// Migrations (by number) that change only this device's own derived
/// structures, indexes and search, never a record's shape or meaning.
/// They leave `RECORDS_VERSION` where it was. (Those up to 27 count: devices
/// shipped carrying them.)
const LOCAL_ONLY_MIGRATIONS: &[usize] = &[28];

/// The version every change carries: a device holds a change of a later
/// version until its upgrade can read it.
pub const RECORDS_VERSION: usize = SCHEMA_VERSION - LOCAL_ONLY_MIGRATIONS.len();

pub fn migrations() -> Migrations<'static> {
    Migrations::new(
        MIGRATION_SQL
            .iter()
            .enumerate()
            .map(|(at, sql)| match at {
                VOLUNTEERS_MIGRATION => M::up_with_hook(sql, unreference_persons),
                _ => M::up(sql),
            })
            .collect(),
    )
}

/// The migration whose hook is `unreference_persons`.
const VOLUNTEERS_MIGRATION: usize = 24;

/// Notes, amendments and appointments stop referencing persons (a
/// volunteer's store holds them without their case's person): the clauses
/// leave the schema's text, which SQLite documents as safe for dropping a
/// constraint (the file format is unchanged), and the schema version is
/// bumped so every connection parses it anew.
fn unreference_persons(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.execute_batch("PRAGMA writable_schema = ON")?;
    let changed = tx.execute(
        "UPDATE sqlite_schema SET sql = replace(sql, 'TEXT NOT NULL REFERENCES persons(id),', 'TEXT NOT NULL,')
         WHERE type = 'table' AND name IN ('notes', 'note_amendments', 'appointments')",
        [],
    )?;
    tx.execute_batch(&format!(
        "PRAGMA schema_version = {}; PRAGMA writable_schema = OFF;",
        version + 1
    ))?;
    if changed != 3 {
        return Err(rusqlite_migration::HookError::Hook(
            "notes, note_amendments, appointments: not the tables this migration changes".into(),
        ));
    }
    Ok(())
}

/// Opens (or with `create`, creates) the encrypted database at `path` with
/// `key`, sets the pragmas we rely on, and migrates it to the latest schema.
pub fn open_encrypted(path: &Path, key: &StoreKey, create: bool) -> Result<Connection> {
    let conn = open_raw(path, create)?;
    key_connection(&conn, key)?;
    // The first read is where SQLCipher finds out whether the key fits.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())).map_err(|_| {
        Error::Storage(format!(
            "{} cannot be opened with its key file: the database is damaged or belongs to another key file",
            path.display()
        ))
    })?;
    prepare(conn)
}

/// Copies the whole database on `conn` into a new file at `path`, keyed
/// with `key` (SQLCipher's `sqlcipher_export`, its way to re-key into a
/// new file): schema, rows and the schema version.
pub(crate) fn export_to(conn: &Connection, path: &Path, key: &StoreKey) -> Result<()> {
    // An empty file is an empty database: made here, since a store's
    // connection may not create files.
    std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(path)?;
    let path = path
        .to_str()
        .ok_or_else(|| Error::Storage("the store's path is not UTF-8".into()))?;
    conn.execute(
        "ATTACH DATABASE ?1 AS export KEY ?2",
        rusqlite::params![path, key.raw_key_text().as_str()],
    )?;
    let exported = conn
        .execute_batch(&format!(
            "PRAGMA export.cipher_hmac_algorithm = {PAGE_HMAC};"
        ))
        .and_then(|()| conn.query_row("SELECT sqlcipher_export('export')", [], |_| Ok(())))
        // The export copies rows, not the schema version migrations read.
        .and_then(|()| conn.query_row("PRAGMA main.user_version", [], |r| r.get::<_, i64>(0)))
        .and_then(|v| conn.execute_batch(&format!("PRAGMA export.user_version = {v};")));
    conn.execute_batch("DETACH DATABASE export")?;
    Ok(exported?)
}

/// Re-encrypts every page of the database on `conn` under `key`, in place
/// (SQLCipher's `rekey`, one transaction). SQLCipher cannot rekey in WAL
/// mode: the journal is emptied into the database, the mode switched to a
/// rollback journal for the rekey, then back. Switching needs the only
/// connection, so another one open on the store (a sync) makes this fail
/// as busy before anything changed.
pub(crate) fn rekey(conn: &Connection, key: &StoreKey) -> Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(Error::Busy);
    }
    let statement = zeroize::Zeroizing::new(format!(
        "PRAGMA rekey = {};",
        key.sqlcipher_literal().as_str()
    ));
    let rekeyed = conn.execute_batch(&statement);
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    Ok(rekeyed?)
}

/// Creates an encrypted database migrated only to `version`, as an older
/// build would have left it: for upgrade tests.
#[cfg(feature = "raw-access")]
pub fn create_at_version(path: &Path, key: &StoreKey, version: usize) -> Result<Connection> {
    let mut conn = open_raw(path, true)?;
    key_connection(&conn, key)?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")?;
    migrations().to_version(&mut conn, version)?;
    Ok(conn)
}

/// An unencrypted database of the same schema, for the benchmark that
/// measures what encryption costs. Only the `unencrypted-bench` feature
/// (enabled by the benchmark binary alone) compiles it.
#[cfg(feature = "unencrypted-bench")]
pub fn open_unencrypted_for_benchmark(path: &Path) -> Result<Connection> {
    prepare(open_raw(path, true)?)
}

/// Keys a connection. The page HMAC is part of the store format, so it is
/// set on every open before the first read: HMAC-SHA256 is hardware-
/// accelerated on current CPUs, where SQLCipher's default SHA-512 was the
/// largest cost of a note save.
fn key_connection(conn: &Connection, key: &StoreKey) -> Result<()> {
    // Off, measured: SQLCipher's wiping of all freed memory (with a lock
    // and unlock of each allocation) made search 80x slower on a store of
    // 10,000 cases (p50 1.4 ms to 115 ms, p95 8 ms to 876 ms) and a
    // caseworker's session 7.9x. Keys are still wiped: SQLCipher clears its
    // key material, and ours is `Zeroizing`.
    conn.execute_batch("PRAGMA cipher_memory_security = OFF;")?;
    // The statement holds the key too: wiped as soon as it has run.
    let statement = zeroize::Zeroizing::new(format!(
        "PRAGMA key = {};",
        key.sqlcipher_literal().as_str()
    ));
    conn.execute_batch(&statement)?;
    conn.execute_batch(&format!("PRAGMA cipher_hmac_algorithm = {PAGE_HMAC};"))?;
    Ok(())
}

fn open_raw(path: &Path, create: bool) -> Result<Connection> {
    waymark_cipher::install();
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    Connection::open_with_flags(path, flags)
        .map_err(|e| Error::Storage(format!("cannot open {}: {e}", path.display())))
}

/// How often a writer that finds the store locked tries again.
pub(crate) const LOCK_POLL: std::time::Duration = std::time::Duration::from_millis(1);

/// Two connections (a sync and a person's commands, or the app and the CLI)
/// share the store by waiting their turn instead of failing, for about ten
/// seconds. SQLite's own busy_timeout backs off to 100 ms between tries, so
/// a command would sleep through the moment a sync's turn ends; trying
/// every millisecond costs a lock attempt, and finds it.
fn wait_for_lock(tries: i32) -> bool {
    if tries >= 10_000 {
        return false;
    }
    std::thread::sleep(LOCK_POLL);
    true
}

fn prepare(mut conn: Connection) -> Result<Connection> {
    // temp_store=MEMORY keeps sorts and temporary tables off the disk, where
    // they would sit unencrypted. synchronous=FULL: a write acknowledged is a
    // write that survives power loss.
    conn.execute_batch(
        "PRAGMA temp_store = MEMORY;
         PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -65536;",
    )?;
    conn.busy_handler(Some(wait_for_lock))?;
    // Applying a pulled change runs some thirty statements across its
    // kind's table and the sync tables: keep them all prepared.
    conn.set_prepared_statement_cache_capacity(256);
    migrations().to_latest(&mut conn)?;
    Ok(conn)
}

pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    /// A migration called local only keeps every record table's and view's
    /// definition as it was: a change written after it means what it meant.
    #[test]
    fn local_only_migrations_leave_every_record_table_as_it_was() {
        let definitions = |conn: &Connection| -> Vec<(String, String)> {
            conn.prepare(
                "SELECT name, sql FROM sqlite_schema
                 WHERE type IN ('table', 'view') AND name NOT LIKE '%fts%' ORDER BY name",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
        };
        assert!(LOCAL_ONLY_MIGRATIONS
            .iter()
            .all(|m| *m > 27 && *m <= SCHEMA_VERSION));
        let mut conn = Connection::open_in_memory().unwrap();
        for &m in LOCAL_ONLY_MIGRATIONS {
            migrations().to_version(&mut conn, m - 1).unwrap();
            let before = definitions(&conn);
            migrations().to_version(&mut conn, m).unwrap();
            assert_eq!(
                definitions(&conn),
                before,
                "migration {m} is not local only"
            );
        }
        assert_eq!(
            RECORDS_VERSION,
            27 + (28..=SCHEMA_VERSION)
                .filter(|m| !LOCAL_ONLY_MIGRATIONS.contains(m))
                .count()
        );
    }
}
