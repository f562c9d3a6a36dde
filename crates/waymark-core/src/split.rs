//! Splitting a shared store (one database for everyone enrolled on a
//! laptop, as builds before per-person stores made them) into each person's
//! own store, on that person's first unlock after the upgrade.
//!
//! A store only ever one person's: its files move into their slot (the key
//! is theirs alone already). Otherwise: their store is a copy under a new
//! random key (`sqlcipher_export`) and a new device id (two stores must
//! never issue the same stamp, and each skips only its own changes when it
//! pulls), keeping only what is theirs: their identity, keys, sign-in,
//! settings, drafts and audit trail, and the cases they worked on here
//! with those cases' unsent changes. Whatever else their membership brings,
//! their next sync fetches. What was dropped is overwritten, the search
//! indexes merged and the file rebuilt, so the copy holds nothing of the
//! others'. The shared store keeps everyone else's until they unlock; the
//! last one out erases it.
//!
//! Resumable if killed: a copy is built in `<slot>.partial` and renamed
//! into place whole (a killed copy starts again); a move renames the key
//! file last (a killed move carries on); a person's wrap leaves the shared
//! key file only once their own store is whole.

use crate::api::{create_private_dir, unwrap_counted, wipe_store, with_key_file_lock, StorePaths};
use crate::db;
use crate::error::Result;
use crate::keys::{KeyFile, Passphrase, StoreKey};
use crate::laptop::Laptop;
use rusqlite::{params, Connection};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// Whether the shared store still holds `user_name`.
pub(crate) fn is_in_shared(laptop: &Laptop, user_name: &str) -> bool {
    KeyFile::load(&laptop.shared().key_file()).is_ok_and(|keys| keys.wrap_for(user_name).is_some())
}

/// Makes `user_name`'s own store from the shared one (their passphrase
/// unwraps the shared key), then takes them out of the shared store.
pub(crate) fn move_out(laptop: &Laptop, user_name: &str, passphrase: &Passphrase) -> Result<()> {
    let shared = laptop.shared();
    let target = laptop.person(user_name);
    with_key_file_lock(&shared, || {
        if target.exists() {
            return Ok(()); // another process finished it meanwhile
        }
        let keys = KeyFile::load(&shared.key_file())?;
        let (user_id, key) =
            unwrap_counted(&keys, user_name, passphrase, &laptop.unlock_failures())?;
        if only_ever_theirs(&shared, &key)? {
            move_files(&shared, &target)
        } else {
            copy_out(laptop, &shared, &key, user_id, user_name, passphrase)
        }
    })?;
    finish(laptop, user_name)
}

/// Takes `user_name`'s wrap out of the shared key file once their own
/// store is whole; the last one out erases the shared store.
pub(crate) fn finish(laptop: &Laptop, user_name: &str) -> Result<()> {
    let shared = laptop.shared();
    if !shared.exists() {
        return Ok(());
    }
    with_key_file_lock(&shared, || {
        let Ok(mut keys) = KeyFile::load(&shared.key_file()) else {
            return Ok(());
        };
        if keys.wrap_for(user_name).is_none() {
            return Ok(());
        }
        keys.wraps.retain(|w| w.user_name != user_name);
        if keys.wraps.is_empty() {
            wipe_store(&shared)
        } else {
            keys.save(&shared.key_file())
        }
    })
}

/// Whether no one else was ever enrolled in the shared store (a wrap
/// left alone is not enough: the others may have split off already).
fn only_ever_theirs(shared: &StorePaths, key: &StoreKey) -> Result<bool> {
    let conn = db::open_encrypted(&shared.database(), key, false)?;
    let people: i64 = conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?;
    Ok(people == 1)
}

fn move_files(shared: &StorePaths, target: &StorePaths) -> Result<()> {
    create_private_dir(&target.dir)?;
    let db = shared.database();
    let with_suffix = |path: &Path, suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    };
    // The key file last: until it is there, the slot is not a store, and
    // a killed move finds the rest still to move.
    for (from, to) in [
        (
            with_suffix(&db, "-wal"),
            with_suffix(&target.database(), "-wal"),
        ),
        (
            with_suffix(&db, "-shm"),
            with_suffix(&target.database(), "-shm"),
        ),
        (db, target.database()),
        (shared.key_file(), target.key_file()),
    ] {
        match std::fs::rename(&from, &to) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

fn copy_out(
    laptop: &Laptop,
    shared: &StorePaths,
    shared_key: &StoreKey,
    user_id: Uuid,
    user_name: &str,
    passphrase: &Passphrase,
) -> Result<()> {
    let partial = StorePaths::new(laptop.partial(user_name));
    if partial.dir.exists() {
        std::fs::remove_dir_all(&partial.dir)?; // a split killed before: again
    }
    create_private_dir(&partial.dir)?;
    let key = StoreKey::generate();
    {
        let conn = db::open_encrypted(&shared.database(), shared_key, false)?;
        db::export_to(&conn, &partial.database(), &key)?;
    }
    let store_id = Uuid::new_v4();
    {
        let mut conn = db::open_encrypted(&partial.database(), &key, false)?;
        keep_only(&mut conn, user_id, store_id)?;
    }
    let mut keys = KeyFile::new(store_id);
    keys.set_wrap(&key, user_id, user_name, passphrase)?;
    keys.save(&partial.key_file())?;
    std::fs::rename(&partial.dir, &laptop.person(user_name).dir)?;
    Ok(())
}

/// Leaves in the copy only what is `user`'s, then scrubs what was dropped
/// from the search indexes and free pages.
fn keep_only(conn: &mut Connection, user: Uuid, store_id: Uuid) -> Result<()> {
    let u = user.to_string();
    conn.execute_batch("PRAGMA secure_delete = ON")?;
    let tx = conn.transaction()?;
    // The cases they worked on here: made, opened, written or assigned.
    tx.execute_batch(
        "CREATE TEMP TABLE kept (case_id TEXT PRIMARY KEY) WITHOUT ROWID;
         CREATE TEMP TABLE dropped (case_id TEXT PRIMARY KEY) WITHOUT ROWID;",
    )?;
    let server_id: Option<String> = tx
        .query_row(
            "SELECT server_user_id FROM sync_accounts WHERE user_id = ?1",
            [&u],
            |r| r.get(0),
        )
        .ok();
    tx.execute(
        "INSERT OR IGNORE INTO temp.kept
            SELECT id FROM persons WHERE created_by = ?1
            UNION SELECT case_id FROM audit_log WHERE user_id = ?1 AND case_id IS NOT NULL
            UNION SELECT case_id FROM episodes WHERE keyworker IN (?1, ?2)",
        params![u, server_id],
    )?;
    tx.execute_batch(
        "INSERT OR IGNORE INTO temp.dropped
            SELECT id FROM persons
            UNION SELECT case_id FROM outbox WHERE case_id IS NOT NULL
            UNION SELECT case_id FROM case_keys
            UNION SELECT log_id FROM sync_cursors
            UNION SELECT log_id FROM awaiting_key
            UNION SELECT log_id FROM pending_remote;
         DELETE FROM temp.dropped WHERE case_id IN (SELECT case_id FROM temp.kept)
            OR case_id = '00000000-0000-0000-0000-000000000000';",
    )?;
    let dropped: Vec<String> = tx
        .prepare("SELECT case_id FROM temp.dropped")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for case in dropped {
        if let Ok(case) = Uuid::parse_str(&case) {
            crate::e2e::delete_case(&tx, case)?;
        }
    }
    // Everyone else's identity, keys, sign-in, settings, drafts and trail.
    for table in [
        "person_keys",
        "identity_keys",
        "sync_accounts",
        "key_cursors",
        "drafts",
        "user_settings",
        "org_trust",
        "certified_identities",
        "refused_recipients",
        "refused_keys",
        "audit_log",
    ] {
        tx.execute(&format!("DELETE FROM {table} WHERE user_id <> ?1"), [&u])?;
    }
    tx.execute("DELETE FROM users WHERE id <> ?1", [&u])?;
    // Unsent changes outside any case (the organisation's log) go with their
    // writer; a case's go with the case, whoever wrote them (the server
    // keeps a change id once, so two people pushing it is harmless).
    tx.execute(
        "DELETE FROM outbox WHERE case_id IS NULL AND (signed_by IS NULL
            OR signed_by NOT IN (SELECT public FROM identity_keys WHERE user_id = ?1))",
        [&u],
    )?;
    tx.execute(
        "UPDATE device SET device_id = ?1, store_id = ?2",
        params![Uuid::new_v4().to_string(), store_id.to_string()],
    )?;
    crate::queries::append_audit(
        &tx,
        crate::api::now(),
        user,
        "split_from_shared_store",
        "user",
        Some(user),
        None,
    )?;
    tx.execute_batch("DROP TABLE temp.kept; DROP TABLE temp.dropped;")?;
    tx.commit()?;
    // Deleted rows' words stay in FTS segments until a merge; free pages
    // until a rebuild. Both go, and the journal with them.
    conn.execute_batch(
        "INSERT INTO notes_fts(notes_fts) VALUES ('optimize');
         INSERT INTO persons_fts(persons_fts) VALUES ('optimize');
         VACUUM;",
    )?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}
