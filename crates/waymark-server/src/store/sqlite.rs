//! The SQLite store: one writer connection (SQLite has one writer at a time
//! anyway, so pushes queue here instead of spinning on the busy handler) and
//! a pool of readers (WAL lets them read while a push commits). Every call
//! runs on tokio's blocking pool.

use super::*;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use waymark_protocol::{
    next_tip, Erasure, ErasureRule, ErasuresResponse, Horizon, Logged, PendingErasure, GENESIS_TIP,
};

const MIGRATIONS: &[&str] = &[
    include_str!("../../../../migrations/server/sqlite/001_init.sql"),
    include_str!("../../../../migrations/server/sqlite/002_device_keys.sql"),
    include_str!("../../../../migrations/server/sqlite/003_sealed_keys.sql"),
    include_str!("../../../../migrations/server/sqlite/004_identities.sql"),
    include_str!("../../../../migrations/server/sqlite/005_certificates.sql"),
    include_str!("../../../../migrations/server/sqlite/006_signed_keys.sql"),
    include_str!("../../../../migrations/server/sqlite/007_failed_logins.sql"),
    include_str!("../../../../migrations/server/sqlite/008_enrolment_codes.sql"),
    include_str!("../../../../migrations/server/sqlite/009_erasure_rule.sql"),
    include_str!("../../../../migrations/server/sqlite/010_change_ids_per_org.sql"),
    include_str!("../../../../migrations/server/sqlite/011_managers.sql"),
    include_str!("../../../../migrations/server/sqlite/012_certified_teams.sql"),
    include_str!("../../../../migrations/server/sqlite/013_withdrawals.sql"),
    include_str!("../../../../migrations/server/sqlite/014_supervision_logs.sql"),
    include_str!("../../../../migrations/server/sqlite/015_volunteers.sql"),
];

/// The migrations whose hooks are `allow_managers` and `allow_volunteers`.
const MANAGERS_MIGRATION: usize = 10;
const VOLUNTEERS_MIGRATION: usize = 14;

/// The caller as `CALLER_LOGS_SQL`'s ?1..?6.
fn caller_params(caller: &Caller) -> (String, String, String, bool, Option<String>, bool) {
    (
        caller.org_id.to_string(),
        ORG_LOG.to_string(),
        caller.user_id.to_string(),
        caller.reads_team(),
        caller.team_id.map(|t| t.to_string()),
        caller.reads_all(),
    )
}

#[derive(Clone)]
pub struct SqliteStore {
    path: PathBuf,
    writer: Arc<Mutex<Connection>>,
    readers: Arc<Mutex<Vec<Connection>>>,
}

fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// A new store file is readable by the server's user only; SQLite gives
/// its WAL and shared-memory files the same mode.
fn create_private(path: &Path) -> StoreResult<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::Backend(format!(
            "cannot create {}: {e}",
            path.display()
        ))),
    }
}

fn open_connection(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open(path).map_err(backend)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 10000;
         PRAGMA cache_size = -65536;",
    )
    .map_err(backend)?;
    Ok(conn)
}

/// The schema's migrations, applied in order (`user_version` counts them),
/// as the device store's are.
fn migrations() -> rusqlite_migration::Migrations<'static> {
    rusqlite_migration::Migrations::new(
        MIGRATIONS
            .iter()
            .enumerate()
            .map(|(i, sql)| match i {
                MANAGERS_MIGRATION => rusqlite_migration::M::up_with_hook(sql, allow_managers),
                VOLUNTEERS_MIGRATION => rusqlite_migration::M::up_with_hook(sql, allow_volunteers),
                _ => rusqlite_migration::M::up(sql),
            })
            .collect(),
    )
}

/// `users` takes the role 'manager'.
fn allow_managers(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    rewrite_checks(
        tx,
        &[(
            "users",
            "CHECK (role IN ('worker', 'supervisor', 'admin'))",
            "CHECK (role IN ('worker', 'supervisor', 'manager', 'admin'))",
        )],
    )
}

/// `users` takes the role 'volunteer', `logs` the audience 'allocation'.
fn allow_volunteers(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    rewrite_checks(
        tx,
        &[
            (
                "users",
                "CHECK (role IN ('worker', 'supervisor', 'manager', 'admin'))",
                "CHECK (role IN ('worker', 'supervisor', 'manager', 'admin', 'volunteer'))",
            ),
            (
                "logs",
                "CHECK (audience IN ('case', 'supervision'))",
                "CHECK (audience IN ('case', 'supervision', 'allocation'))",
            ),
        ],
    )
}

/// Rewrites CHECK constraints' text in the schema (table, before, after),
/// as SQLite documents for changing a constraint (rebuilding a table that
/// others reference trips their foreign keys inside a migration), with the
/// schema version bumped so every connection parses it anew.
fn rewrite_checks(
    tx: &rusqlite::Transaction,
    checks: &[(&str, &str, &str)],
) -> rusqlite_migration::HookResult {
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.execute_batch("PRAGMA writable_schema = ON")?;
    let mut unchanged = None;
    for (table, before, after) in checks {
        let changed = tx.execute(
            "UPDATE sqlite_schema SET sql = replace(sql, ?2, ?3) WHERE type = 'table' AND name = ?1 AND instr(sql, ?2) > 0",
            [table, before, after],
        )?;
        if changed != 1 {
            unchanged = Some(*table);
        }
    }
    tx.execute_batch(&format!(
        "PRAGMA schema_version = {}; PRAGMA writable_schema = OFF;",
        version + 1
    ))?;
    match unchanged {
        Some(table) => Err(rusqlite_migration::HookError::Hook(format!(
            "{table}: a constraint is not the one this migration changes"
        ))),
        None => Ok(()),
    }
}

fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let version = conn
        .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .map_err(backend)? as usize;
    if version > MIGRATIONS.len() {
        return Err(StoreError::Invalid(format!(
            "the server store is at schema version {version}, newer than this server ({}); upgrade the server",
            MIGRATIONS.len()
        )));
    }
    migrations()
        .to_latest(conn)
        .map_err(|e| StoreError::Backend(e.to_string()))
}

fn id(text: String) -> rusqlite::Result<Uuid> {
    Uuid::parse_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn opt_id(text: Option<String>) -> rusqlite::Result<Option<Uuid>> {
    text.map(id).transpose()
}

fn role(text: String) -> rusqlite::Result<Role> {
    text.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

fn erasure_rule_text(text: String) -> rusqlite::Result<ErasureRule> {
    text.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

fn credential(text: String) -> rusqlite::Result<Credential> {
    text.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

impl SqliteStore {
    pub fn open(path: &Path) -> StoreResult<SqliteStore> {
        create_private(path)?;
        let mut writer = open_connection(path)?;
        migrate(&mut writer)?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            writer: Arc::new(Mutex::new(writer)),
            readers: Arc::new(Mutex::new(Vec::new())),
        })
    }

    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let writer = self.writer.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = writer.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Backend(e.to_string()))?
    }

    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let pool = self.readers.clone();
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let taken = pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let mut conn = match taken {
                Some(c) => c,
                None => open_connection(&path)?,
            };
            let out = f(&mut conn);
            pool.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
            out
        })
        .await
        .map_err(|e| StoreError::Backend(e.to_string()))?
    }

    pub async fn health(&self) -> StoreResult<()> {
        self.read(|c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(backend))
            .await
    }

    pub async fn create_org(&self, name: &str) -> StoreResult<Uuid> {
        let name = name.to_owned();
        self.write(move |c| {
            let id = Uuid::new_v4();
            let n = c
                .execute(
                    "INSERT INTO orgs (id, name, created_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                    params![id.to_string(), name, now_ms()],
                )
                .map_err(backend)?;
            if n == 0 {
                return Err(StoreError::Conflict(format!("an organisation named {name:?} already exists")));
            }
            Ok(id)
        })
        .await
    }

    pub async fn add_team(&self, org: &str, name: &str) -> StoreResult<Uuid> {
        let (org, name) = (org.to_owned(), name.to_owned());
        self.write(move |c| {
            let org_id = org_id(c, &org)?;
            let id = Uuid::new_v4();
            let n = c
                .execute(
                    "INSERT INTO teams (id, org_id, name, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                    params![id.to_string(), org_id.to_string(), name, now_ms()],
                )
                .map_err(backend)?;
            if n == 0 {
                return Err(StoreError::Conflict(format!("{org:?} already has a team named {name:?}")));
            }
            Ok(id)
        })
        .await
    }

    pub async fn add_user(
        &self,
        org: &str,
        team: Option<&str>,
        name: &str,
        role: Role,
        code: &StoredCode,
    ) -> StoreResult<Uuid> {
        let (org, team, name, code) = (
            org.to_owned(),
            team.map(str::to_owned),
            name.to_owned(),
            *code,
        );
        self.write(move |c| {
            let org_id = org_id(c, &org)?;
            let team_id = match &team {
                Some(t) => Some(
                    c.query_row(
                        "SELECT id FROM teams WHERE org_id = ?1 AND name = ?2",
                        params![org_id.to_string(), t],
                        |r| r.get::<_, String>(0),
                    )
                    .optional()
                    .map_err(backend)?
                    .ok_or_else(|| {
                        StoreError::NotFound(format!("team: {org:?} has no team named {t:?}"))
                    })?,
                ),
                None => None,
            };
            let id = Uuid::new_v4();
            let n = c
                .execute(
                    "INSERT INTO users (id, org_id, team_id, name, role, auth_hash, credential,
                                        enrolment_code_hash, enrolment_code_expires_at, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, '', 'none', ?6, ?7, ?8) ON CONFLICT DO NOTHING",
                    params![
                        id.to_string(),
                        org_id.to_string(),
                        team_id,
                        name,
                        role.as_str(),
                        code.hash.as_slice(),
                        code.expires_at_ms,
                        now_ms()
                    ],
                )
                .map_err(backend)?;
            if n == 0 {
                return Err(StoreError::Conflict(format!(
                    "a user named {name:?} already exists"
                )));
            }
            Ok(id)
        })
        .await
    }

    pub async fn set_auth_hash(&self, user: &str, auth_hash: &str) -> StoreResult<()> {
        let (user, hash) = (user.to_owned(), auth_hash.to_owned());
        self.write(move |c| {
            let n = c
                .execute(super::SET_AUTH_HASH_SQL, params![hash, user])
                .map_err(backend)?;
            found(n, "user", &user)
        })
        .await
    }

    pub async fn set_enrolment_code(&self, user: &str, code: &StoredCode) -> StoreResult<()> {
        let (user, code) = (user.to_owned(), *code);
        self.write(move |c| {
            let n = c
                .execute(
                    super::SET_CODE_SQL,
                    params![user, code.hash.as_slice(), code.expires_at_ms],
                )
                .map_err(backend)?;
            found(n, "user", &user)
        })
        .await
    }

    pub async fn redeem_enrolment_code(
        &self,
        user: &str,
        code_hash: &[u8; 32],
        auth_hash: &str,
        now_ms: i64,
    ) -> StoreResult<bool> {
        let (user, code_hash, hash) = (user.to_owned(), *code_hash, auth_hash.to_owned());
        self.write(move |c| {
            let n = c
                .execute(
                    super::REDEEM_CODE_SQL,
                    params![user, code_hash.as_slice(), hash, now_ms],
                )
                .map_err(backend)?;
            Ok(n == 1)
        })
        .await
    }

    pub async fn server_secret(&self, name: &str) -> StoreResult<Vec<u8>> {
        let name = name.to_owned();
        self.write(move |c| {
            let fresh: [u8; 32] = rand::random();
            c.execute(super::INSERT_SECRET_SQL, params![name, fresh.as_slice()])
                .map_err(backend)?;
            c.query_row(super::SECRET_SQL, [name], |r| r.get(0))
                .map_err(backend)
        })
        .await
    }

    pub async fn set_user_disabled(&self, user: &str, disabled: bool) -> StoreResult<()> {
        let user = user.to_owned();
        self.write(move |c| {
            let n = c
                .execute(
                    "UPDATE users SET disabled_at = CASE WHEN ?1 THEN coalesce(disabled_at, ?2) END WHERE name = ?3",
                    params![disabled, now_ms(), user],
                )
                .map_err(backend)?;
            found(n, "user", &user)
        })
        .await
    }

    pub async fn user_by_name(&self, name: &str) -> StoreResult<Option<UserRow>> {
        let name = name.to_owned();
        self.read(move |c| {
            c.query_row(super::USER_BY_NAME_SQL, [name], |r| {
                Ok(UserRow {
                    id: id(r.get(0)?)?,
                    org_id: id(r.get(1)?)?,
                    name: r.get(2)?,
                    role: role(r.get(3)?)?,
                    auth_hash: r.get(4)?,
                    credential: credential(r.get(5)?)?,
                    disabled: r.get(6)?,
                    used_code_hash: r
                        .get::<_, bool>(8)?
                        .then(|| r.get(7))
                        .transpose()?
                        .flatten(),
                })
            })
            .optional()
            .map_err(backend)
        })
        .await
    }

    pub async fn list_users(&self, org: &str) -> StoreResult<Vec<UserSummary>> {
        let org = org.to_owned();
        self.read(move |c| {
            let org_id = org_id(c, &org)?;
            let mut stmt = c
                .prepare(
                    "SELECT u.id, u.name, u.role, t.name, u.disabled_at IS NOT NULL,
                            u.failed_logins, u.last_failed_login_at, u.credential,
                            u.enrolment_code_expires_at
                     FROM users u LEFT JOIN teams t ON t.id = u.team_id
                     WHERE u.org_id = ?1 ORDER BY u.name",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map([org_id.to_string()], |r| {
                    Ok(UserSummary {
                        id: id(r.get(0)?)?,
                        name: r.get(1)?,
                        role: role(r.get(2)?)?,
                        team: r.get(3)?,
                        disabled: r.get(4)?,
                        credential: credential(r.get(7)?)?,
                        enrolment_code_expires_at_ms: r.get(8)?,
                        failed_logins: r.get(5)?,
                        last_failed_login_at_ms: r.get(6)?,
                    })
                })
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
        .await
    }

    pub async fn enrol_device(
        &self,
        user_id: Uuid,
        device_id: Uuid,
        label: &str,
        token_hash: &[u8],
        keys: &super::DeviceKeys<'_>,
        now: i64,
    ) -> StoreResult<()> {
        let (label, hash) = (label.to_owned(), token_hash.to_vec());
        let owned = |k: Option<&[u8]>| k.map(<[u8]>::to_vec);
        let (key, identity, signature) = (
            owned(keys.public_key),
            owned(keys.identity_key),
            owned(keys.key_signature),
        );
        self.write(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let revoked: bool = tx
                .query_row(
                    super::DEVICE_REVOKED_IN_ORG_SQL,
                    [device_id.to_string(), user_id.to_string()],
                    |r| r.get(0),
                )
                .map_err(backend)?;
            if revoked {
                return Err(StoreError::Forbidden {
                    code: ErrorCode::DeviceRevoked,
                    message: "this device was revoked; it cannot log in again".into(),
                });
            }
            let registered: (Option<Vec<u8>>, Option<Vec<u8>>) = tx
                .query_row(
                    "SELECT public_key, identity_key FROM devices WHERE id = ?1 AND user_id = ?2",
                    [device_id.to_string(), user_id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(backend)?
                .unwrap_or_default();
            let offered = super::DeviceKeys {
                public_key: key.as_deref(),
                identity_key: identity.as_deref(),
                key_signature: signature.as_deref(),
            };
            super::check_keys_unchanged(
                (registered.0.as_deref(), registered.1.as_deref()),
                &offered,
            )?;
            tx.execute(
                super::ENROL_DEVICE_SQL,
                params![
                    device_id.to_string(),
                    user_id.to_string(),
                    label,
                    hash,
                    now,
                    key,
                    identity,
                    signature
                ],
            )
            .map_err(backend)?;
            tx.commit().map_err(backend)
        })
        .await
    }

    pub async fn record_failed_login(&self, user: Uuid, now_ms: i64) -> StoreResult<i64> {
        self.write(move |c| {
            c.query_row(
                super::RECORD_FAILED_LOGIN_SQL,
                params![user.to_string(), now_ms],
                |r| r.get(0),
            )
            .map_err(backend)
        })
        .await
    }

    pub async fn clear_failed_logins(&self, user: Uuid) -> StoreResult<()> {
        self.write(move |c| {
            c.execute(super::CLEAR_FAILED_LOGINS_SQL, [user.to_string()])
                .map_err(backend)?;
            Ok(())
        })
        .await
    }

    pub async fn touch_device(&self, caller: &Caller, now_ms: i64) -> StoreResult<()> {
        let (device, user) = (caller.device_id.to_string(), caller.user_id.to_string());
        self.write(move |c| {
            c.execute(
                "UPDATE devices SET last_seen_at = ?1 WHERE id = ?2 AND user_id = ?3",
                params![now_ms, device, user],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    pub async fn caller_by_token(&self, token_hash: &[u8]) -> StoreResult<Option<TokenLookup>> {
        let hash = token_hash.to_vec();
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT d.id, u.id, u.org_id, u.team_id, u.role, o.admins_see_cases,
                            d.revoked_at IS NOT NULL, u.disabled_at IS NOT NULL, d.last_seen_at,
                            u.credential = 'admin-set'
                     FROM devices d JOIN users u ON u.id = d.user_id JOIN orgs o ON o.id = u.org_id
                     WHERE d.token_hash = ?1",
                )
                .map_err(backend)?;
            stmt.query_row([hash], |r| {
                let caller = Caller {
                    device_id: id(r.get(0)?)?,
                    user_id: id(r.get(1)?)?,
                    org_id: id(r.get(2)?)?,
                    team_id: opt_id(r.get(3)?)?,
                    role: role(r.get(4)?)?,
                    admins_see_cases: r.get(5)?,
                };
                Ok(if r.get(6)? {
                    TokenLookup::Revoked
                } else if r.get(7)? {
                    TokenLookup::UserDisabled
                } else if r.get(9)? {
                    TokenLookup::MustChangePassphrase(caller, r.get(8)?)
                } else {
                    TokenLookup::Valid(caller, r.get(8)?)
                })
            })
            .optional()
            .map_err(backend)
        })
        .await
    }

    pub async fn revoke_device(
        &self,
        device_id: Uuid,
        org: Option<Uuid>,
        now: i64,
    ) -> StoreResult<u64> {
        self.write(move |c| {
            let n = c
                .execute(
                    super::REVOKE_DEVICE_SQL,
                    params![now, device_id.to_string(), org.map(|o| o.to_string())],
                )
                .map_err(backend)?;
            if n == 0 {
                return Err(super::no_such_device(device_id, org));
            }
            Ok(n as u64)
        })
        .await
    }

    pub async fn list_devices(
        &self,
        user: Option<&str>,
        org: Option<Uuid>,
    ) -> StoreResult<Vec<DeviceSummary>> {
        let user = user.map(str::to_owned);
        let org = org.map(|o| o.to_string());
        self.read(move |c| {
            let mut stmt = c.prepare(super::LIST_DEVICES_SQL).map_err(backend)?;
            let rows = stmt
                .query_map(params![user, org], |r| {
                    Ok(DeviceSummary {
                        device_id: id(r.get(0)?)?,
                        user: r.get(1)?,
                        label: r.get(2)?,
                        created_at_ms: r.get(3)?,
                        last_seen_at_ms: r.get(4)?,
                        revoked: r.get(5)?,
                        key_fingerprint: r
                            .get::<_, Option<Vec<u8>>>(6)?
                            .map(|k| super::fingerprint(&k)),
                        public_key: r.get(6)?,
                        org_id: id(r.get(7)?)?,
                        identity_key: r.get(8)?,
                        key_signature: r.get(9)?,
                        user_id: id(r.get(10)?)?,
                        role: role(r.get(11)?)?,
                        team: r.get(12)?,
                    })
                })
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
        .await
    }

    pub async fn share_case(&self, case: Uuid, user: &str, share: bool) -> StoreResult<()> {
        let user = user.to_owned();
        self.write(move |c| {
            let (user_id, org_id) = user_and_org(c, &user)?;
            case_exists(c, org_id, case)?;
            // Immediate: a deferred transaction that reads and then writes
            // fails at once ("database is locked") when the server wrote in
            // between; an immediate one waits its turn.
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let log = shared_log(case, user_role(&tx, user_id)?);
            if log != case {
                make_companion(
                    &tx,
                    &org_id.to_string(),
                    case,
                    Audience::Allocation,
                    now_ms(),
                )?;
            }
            let key = (org_id.to_string(), log.to_string(), user_id.to_string());
            if share {
                tx.execute(SHARE_SQL, params![key.0, key.1, key.2])
                    .map_err(backend)?;
                tx.execute(REGAIN_KEYS_SQL, params![key.0, key.1, key.2])
                    .map_err(backend)?;
                tx.execute(UNWITHDRAW_SQL, params![key.0, key.1, key.2])
                    .map_err(backend)?;
            } else {
                tx.execute(UNSHARE_SQL, params![key.0, key.1, key.2])
                    .map_err(backend)?;
                tx.execute(WITHDRAW_SQL, params![key.0, key.1, key.2, now_ms()])
                    .map_err(backend)?;
            }
            tx.commit().map_err(backend)
        })
        .await
    }

    pub async fn set_keyworker(&self, case: Uuid, user: &str) -> StoreResult<()> {
        let user = user.to_owned();
        self.write(move |c| {
            let (user_id, org_id) = user_and_org(c, &user)?;
            case_exists(c, org_id, case)?;
            if user_role(c, user_id)? == Role::Volunteer {
                return Err(StoreError::Invalid(format!(
                    "user: {user} is a volunteer, who keeps no cases"
                )));
            }
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let owner = case_owner(&tx, &org_id.to_string(), case)?;
            tx.execute(
                "UPDATE logs SET keyworker_id = ?1, team_id = (SELECT team_id FROM users WHERE id = ?1)
                 WHERE org_id = ?2 AND log_id = ?3",
                params![user_id.to_string(), org_id.to_string(), case.to_string()],
            )
            .map_err(backend)?;
            if let Some(before) = owner.keyworker_id.filter(|b| *b != user_id) {
                let key = (org_id.to_string(), case.to_string());
                tx.execute(WITHDRAW_SQL, params![key.0, key.1, before.to_string(), now_ms()])
                    .map_err(backend)?;
            }
            tx.commit().map_err(backend)
        })
        .await
    }

    /// A share, an unshare or a reassignment asked for from a device, checked
    /// against `rules::access_change_verdict` and made in one transaction.
    pub async fn change_access(
        &self,
        caller: &Caller,
        case: Uuid,
        change: AccessChange,
        user: &str,
        now: i64,
    ) -> StoreResult<()> {
        let (caller, user) = (caller.clone(), user.to_owned());
        self.write(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let (org, log) = (caller.org_id.to_string(), case.to_string());
            refuse_if_erased(&tx, &org, case)?;
            let owner = case_owner(&tx, &org, case)?;
            let allocation = waymark_protocol::allocation_log(case).to_string();
            let colleague: Colleague = tx
                .query_row(COLLEAGUE_SQL, params![org, log, user, allocation], |r| {
                    Ok(Colleague {
                        user_id: id(r.get(0)?)?,
                        name: r.get(1)?,
                        role: role(r.get(2)?)?,
                        team_id: opt_id(r.get(3)?)?,
                        disabled: r.get(4)?,
                        shared: r.get(5)?,
                    })
                })
                .optional()
                .map_err(backend)?
                .ok_or_else(|| no_colleague(&user))?;
            access_change_verdict(&caller, &owner, change, &colleague)?;
            let who = colleague.user_id.to_string();
            let shared = shared_log(case, colleague.role);
            if shared != case {
                make_companion(&tx, &org, case, Audience::Allocation, now)?;
            }
            let log = shared.to_string();
            let run = |sql: &str, p: &[&dyn rusqlite::ToSql]| tx.execute(sql, p).map_err(backend);
            match change {
                AccessChange::Share => {
                    run(SHARE_SQL, params![org, log, who])?;
                    run(REGAIN_KEYS_SQL, params![org, log, who])?;
                    run(UNWITHDRAW_SQL, params![org, log, who])?;
                }
                AccessChange::Unshare => {
                    run(UNSHARE_SQL, params![org, log, who])?;
                    run(WITHDRAW_SQL, params![org, log, who, now])?;
                }
                AccessChange::Reassign => {
                    let team = colleague.team_id.map(|t| t.to_string());
                    run(REASSIGN_SQL, params![org, log, who, team])?;
                    // The keyworker holds it as keyworker: a share kept
                    // would outlast their next handover.
                    run(UNSHARE_SQL, params![org, log, who])?;
                    run(REGAIN_KEYS_SQL, params![org, log, who])?;
                    run(UNWITHDRAW_SQL, params![org, log, who])?;
                    if let Some(before) = owner.keyworker_id {
                        run(WITHDRAW_SQL, params![org, log, before.to_string(), now])?;
                    }
                }
            }
            tx.commit().map_err(backend)
        })
        .await
    }

    /// Who holds a case: its keyworker, team and shares by name.
    pub async fn case_access(&self, caller: &Caller, case: Uuid) -> StoreResult<CaseAccess> {
        let caller = caller.clone();
        self.read(move |c| {
            let (org, log) = (caller.org_id.to_string(), case.to_string());
            if caller.role != Role::Admin {
                log_access(c, &caller, &org, case)?;
            }
            let (keyworker, team) = c
                .query_row(CASE_ACCESS_SQL, params![org, log], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()
                .map_err(backend)?
                .ok_or_else(|| no_case(case))?;
            let mut stmt = c.prepare_cached(CASE_SHARES_SQL).map_err(backend)?;
            let allocation = waymark_protocol::allocation_log(case).to_string();
            let shares: Vec<(String, bool)> = stmt
                .query_map(params![org, log, allocation], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .map_err(backend)?
                .collect::<rusqlite::Result<_>>()
                .map_err(backend)?;
            Ok(CaseAccess {
                log_id: case,
                keyworker,
                team,
                volunteers: volunteers_of(&shares),
                shared_with: shares.into_iter().map(|(name, _)| name).collect(),
            })
        })
        .await
    }

    /// Which of `logs` exist in the organisation.
    pub async fn existing_logs(&self, org: Uuid, logs: Vec<Uuid>) -> StoreResult<Vec<Uuid>> {
        self.read(move |c| {
            let sql = format!(
                "SELECT log_id FROM logs WHERE org_id = ? AND log_id IN ({})",
                vec!["?"; logs.len()].join(", ")
            );
            let mut stmt = c.prepare(&sql).map_err(backend)?;
            let args = std::iter::once(org.to_string()).chain(logs.iter().map(|l| l.to_string()));
            let rows = stmt
                .query_map(rusqlite::params_from_iter(args), |r| id(r.get(0)?))
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
        .await
    }

    pub async fn set_admins_see_cases(&self, org: &str, on: bool) -> StoreResult<()> {
        let org = org.to_owned();
        self.write(move |c| {
            let n = c
                .execute(
                    "UPDATE orgs SET admins_see_cases = ?1 WHERE name = ?2",
                    params![on, org],
                )
                .map_err(backend)?;
            found(n, "organisation", &org)
        })
        .await
    }

    pub async fn push(
        &self,
        caller: &Caller,
        changes: Vec<Envelope>,
        now: i64,
    ) -> StoreResult<Vec<Accepted>> {
        let caller = caller.clone();
        self.write(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate).map_err(backend)?;
            let org = caller.org_id.to_string();
            // Take (or create) every log the push names, checking access.
            let mut heads: std::collections::BTreeMap<Uuid, (i64, String)> = Default::default();
            for change in &changes {
                heads.entry(change.log_id).or_default();
            }
            {
                let mut is_erased = tx
                    .prepare_cached("SELECT count(*) > 0 FROM erased_logs WHERE org_id = ?1 AND log_id = ?2")
                    .map_err(backend)?;
                let mut erased = Vec::new();
                for log_id in heads.keys() {
                    if is_erased.query_row(params![org, log_id.to_string()], |r| r.get(0)).map_err(backend)? {
                        erased.push(*log_id);
                    }
                }
                if !erased.is_empty() {
                    return Err(erased_refusal(erased));
                }
            }
            // Every case lost too long ago is named at once.
            let mut withdrawn = Vec::new();
            for (log_id, companion_of) in push_logs(&changes)? {
                match take_log(&tx, &caller, &org, log_id, companion_of, now) {
                    Ok(taken) => *heads.get_mut(&log_id).expect("named by the push") = taken,
                    Err(StoreError::Withdrawn { logs, .. }) => withdrawn.extend(logs),
                    Err(e) => return Err(e),
                }
            }
            if !withdrawn.is_empty() {
                return Err(withdrawn_refusal(withdrawn));
            }
            let mut accepted = Vec::with_capacity(changes.len());
            {
                let mut existing = tx
                    .prepare_cached("SELECT log_id, seq FROM changes WHERE org_id = ?1 AND change_id = ?2")
                    .map_err(backend)?;
                let mut insert = tx
                    .prepare_cached(
                        "INSERT INTO changes (org_id, log_id, seq, change_id, tip, clock_ms, device_id, received_at, body)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    )
                    .map_err(backend)?;
                let device = caller.device_id.to_string();
                for change in changes {
                    let change_id = change.change_id.to_string();
                    let stored: Option<(String, i64)> = existing
                        .query_row([org.as_str(), &change_id], |r| Ok((r.get(0)?, r.get(1)?)))
                        .optional()
                        .map_err(backend)?;
                    if let Some((l, seq)) = stored {
                        if l != change.log_id.to_string() {
                            return Err(StoreError::Conflict(format!(
                                "change {change_id}: this change id is already used by another log"
                            )));
                        }
                        accepted.push(Accepted { change_id: change.change_id, log_id: change.log_id, seq, duplicate: true });
                        continue;
                    }
                    let (head, tip) = heads.get_mut(&change.log_id).expect("taken above");
                    *head += 1;
                    *tip = next_tip(tip, change.change_id);
                    insert
                        .execute(params![org, change.log_id.to_string(), *head, change_id, &*tip, change.clock_ms, device, now, change.body])
                        .map_err(backend)?;
                    accepted.push(Accepted { change_id: change.change_id, log_id: change.log_id, seq: *head, duplicate: false });
                }
                let mut set_head = tx
                    .prepare_cached("UPDATE logs SET head = ?1, tip = ?2 WHERE org_id = ?3 AND log_id = ?4")
                    .map_err(backend)?;
                for (log_id, (head, tip)) in &heads {
                    set_head.execute(params![head, tip, org, log_id.to_string()]).map_err(backend)?;
                }
            }
            tx.execute(
                "UPDATE devices SET last_seen_at = ?1 WHERE id = ?2 AND user_id = ?3",
                params![now, caller.device_id.to_string(), caller.user_id.to_string()],
            )
            .map_err(backend)?;
            tx.commit().map_err(backend)?;
            Ok(accepted)
        })
        .await
    }

    pub async fn blob_put(
        &self,
        caller: &Caller,
        log: Uuid,
        blob: Uuid,
        offset: u64,
        size: u64,
        data: Vec<u8>,
    ) -> StoreResult<BlobStatus> {
        let caller = caller.clone();
        self.write(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate).map_err(backend)?;
            let org = caller.org_id.to_string();
            log_access(&tx, &caller, &org, log)?;
            let key = params![org, log.to_string(), blob.to_string()];
            let held = blob_held(&tx, key)?;
            check_blob_chunk(held, offset, size, data.len())?;
            if held.is_none() {
                tx.execute(
                    "INSERT INTO blobs (org_id, log_id, blob_id, size, received, created_at) VALUES (?1, ?2, ?3, ?4, 0, ?5)",
                    params![org, log.to_string(), blob.to_string(), size as i64, now_ms()],
                )
                .map_err(backend)?;
            }
            tx.execute(
                "INSERT INTO blob_chunks (org_id, log_id, blob_id, offset, data) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![org, log.to_string(), blob.to_string(), offset as i64, data],
            )
            .map_err(backend)?;
            let received = offset + data.len() as u64;
            tx.execute(
                "UPDATE blobs SET received = ?4 WHERE org_id = ?1 AND log_id = ?2 AND blob_id = ?3",
                params![org, log.to_string(), blob.to_string(), received as i64],
            )
            .map_err(backend)?;
            tx.commit().map_err(backend)?;
            Ok(BlobStatus { size, received })
        })
        .await
    }

    pub async fn blob_status(
        &self,
        caller: &Caller,
        log: Uuid,
        blob: Uuid,
    ) -> StoreResult<BlobStatus> {
        let caller = caller.clone();
        self.read(move |c| {
            let org = caller.org_id.to_string();
            log_access(c, &caller, &org, log)?;
            blob_held(c, params![org, log.to_string(), blob.to_string()])?.ok_or_else(|| {
                StoreError::NotFound(format!("blob: the server has no blob {blob} in case {log}"))
            })
        })
        .await
    }

    pub async fn blob_chunk(
        &self,
        caller: &Caller,
        log: Uuid,
        blob: Uuid,
        offset: u64,
    ) -> StoreResult<(BlobStatus, Vec<u8>)> {
        let caller = caller.clone();
        self.read(move |c| {
            let org = caller.org_id.to_string();
            log_access(c, &caller, &org, log)?;
            let status = blob_held(c, params![org, log.to_string(), blob.to_string()])?
                .ok_or_else(|| StoreError::NotFound(format!("blob: the server has no blob {blob} in case {log}")))?;
            if status.received < status.size {
                return Err(StoreError::Conflict(format!(
                    "blob {blob} is still being uploaded ({} of {} bytes)",
                    status.received, status.size
                )));
            }
            let data: Vec<u8> = c
                .query_row(
                    "SELECT data FROM blob_chunks WHERE org_id = ?1 AND log_id = ?2 AND blob_id = ?3 AND offset = ?4",
                    params![org, log.to_string(), blob.to_string(), offset as i64],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?
                .ok_or_else(|| StoreError::Invalid(format!("offset: no chunk of blob {blob} starts at {offset}")))?;
            Ok((status, data))
        })
        .await
    }

    pub async fn record_positions(&self, caller: &Caller, cursors: &[Cursor]) -> StoreResult<()> {
        let device = (caller.device_id.to_string(), caller.user_id.to_string());
        let recorded: std::collections::HashMap<Uuid, i64> = {
            let device = device.clone();
            self.read(move |c| {
                let mut stmt = c
                    .prepare_cached("SELECT log_id, seq FROM device_positions WHERE device_id = ?1 AND user_id = ?2")
                    .map_err(backend)?;
                let rows = stmt
                    .query_map(params![device.0, device.1], |r| Ok((id(r.get(0)?)?, r.get(1)?)))
                    .map_err(backend)?;
                rows.collect::<rusqlite::Result<_>>().map_err(backend)
            })
            .await?
        };
        let moved = moved_positions(&recorded, cursors);
        if moved.is_empty() {
            return Ok(());
        }
        self.write(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate).map_err(backend)?;
            {
                let mut upsert = tx
                    .prepare_cached(
                        "INSERT INTO device_positions (device_id, user_id, log_id, seq) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (device_id, user_id, log_id) DO UPDATE SET seq = max(seq, excluded.seq)",
                    )
                    .map_err(backend)?;
                for (log, seq) in moved {
                    upsert.execute(params![device.0, device.1, log.to_string(), seq]).map_err(backend)?;
                }
            }
            tx.commit().map_err(backend)
        })
        .await
    }

    pub async fn erased_logs(&self, org: Uuid) -> StoreResult<Vec<Uuid>> {
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached("SELECT log_id FROM erased_logs WHERE org_id = ?1")
                .map_err(backend)?;
            let rows = stmt
                .query_map([org.to_string()], |r| id(r.get(0)?))
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
        .await
    }

    /// The server operator's `admin erase-case`: at once (the break-glass
    /// path; a device's request takes the organisation's rule).
    pub async fn erase_case(
        &self,
        case: Uuid,
        org_name: Option<&str>,
        reason_for: impl FnOnce(Option<Vec<u8>>, Uuid) -> StoreResult<Vec<u8>> + Send + 'static,
        now: i64,
    ) -> StoreResult<()> {
        let org_name = org_name.map(str::to_owned);
        self.write(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let log = case.to_string();
            let orgs: Vec<(String, String)> = tx
                .prepare(&format!(
                    "SELECT o.id, o.name FROM orgs o WHERE o.id IN ({})",
                    super::ORGS_OF_LOG_SQL
                ))
                .and_then(|mut s| {
                    s.query_map([&log], |r| Ok((r.get(0)?, r.get(1)?)))?
                        .collect::<rusqlite::Result<_>>()
                })
                .map_err(backend)?;
            let org = super::one_org_of_log(case, orgs, org_name.as_deref())?;
            let recovery: Option<Vec<u8>> = tx
                .query_row("SELECT recovery_key FROM orgs WHERE id = ?1", [&org], |r| {
                    r.get(0)
                })
                .map_err(backend)?;
            let sealed = reason_for(recovery, id(org.clone()).map_err(backend)?)?;
            refuse_if_erased(&tx, &org, case)?;
            erase_in_tx(&tx, &org, &log, now, None, None, &sealed)?;
            tx.commit().map_err(backend)
        })
        .await
    }

    /// A supervisor or an admin asks for a case's erasure, or confirms
    /// another's: `rules::erase_step` decides, and the erasure, when it
    /// comes, is in the same transaction.
    pub async fn request_erasure(
        &self,
        caller: &Caller,
        case: Uuid,
        reason_sealed: Vec<u8>,
        now: i64,
    ) -> StoreResult<Erasure> {
        let caller = caller.clone();
        self.write(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let (org, log) = (caller.org_id.to_string(), case.to_string());
            refuse_if_erased(&tx, &org, case)?;
            log_access(&tx, &caller, &org, case)?;
            let (org_rule, hours) = erasure_rule(&tx, &org)?;
            let waiting = waiting_erasure(&tx, &org, &log)?;
            let step = erase_step(org_rule, hours, waiting.as_ref(), caller.user_id, now)?;
            match &step {
                EraseStep::Request { due_at_ms, rule } => {
                    tx.execute(
                        super::UPSERT_ERASURE_REQUEST_SQL,
                        params![
                            org,
                            log,
                            caller.user_id.to_string(),
                            now,
                            due_at_ms,
                            reason_sealed,
                            rule.as_str()
                        ],
                    )
                    .map_err(backend)?;
                }
                EraseStep::Erase {
                    requested_by,
                    confirmed_by,
                    ..
                } => {
                    let sealed = waiting.map(|w| w.reason_sealed).unwrap_or(reason_sealed);
                    erase_in_tx(
                        &tx,
                        &org,
                        &log,
                        now,
                        Some(requested_by.to_string()),
                        confirmed_by.map(|u| u.to_string()),
                        &sealed,
                    )?;
                }
            }
            tx.commit().map_err(backend)?;
            Ok(step.answer(case, now))
        })
        .await
    }

    pub async fn cancel_erasure(&self, caller: &Caller, case: Uuid) -> StoreResult<()> {
        let caller = caller.clone();
        self.write(move |c| {
            let org = caller.org_id.to_string();
            log_access(c, &caller, &org, case)?;
            let n = c
                .execute(super::CANCEL_ERASURE_SQL, params![org, case.to_string()])
                .map_err(backend)?;
            match n {
                0 => Err(StoreError::NotFound(format!(
                    "case: no erasure of {case} is waiting"
                ))),
                _ => Ok(()),
            }
        })
        .await
    }

    pub async fn erasures(&self, caller: &Caller) -> StoreResult<ErasuresResponse> {
        let caller = caller.clone();
        self.read(move |c| {
            let org = caller.org_id.to_string();
            let (rule, hours) = erasure_rule(c, &org)?;
            let mut stmt = c.prepare(super::PENDING_ERASURES_SQL).map_err(backend)?;
            let rows: Vec<PendingErasure> = stmt
                .query_map([&org], |r| {
                    Ok(PendingErasure {
                        log_id: id(r.get(0)?)?,
                        requested_by: r.get(1)?,
                        requested_at_ms: r.get(2)?,
                        due_at_ms: r.get(3)?,
                        rule: erasure_rule_text(r.get(4)?)?,
                    })
                })
                .map_err(backend)?
                .collect::<rusqlite::Result<_>>()
                .map_err(backend)?;
            // Only the cases the caller may read.
            let pending = rows
                .into_iter()
                .filter(|p| log_access(c, &caller, &org, p.log_id).is_ok())
                .collect();
            Ok(ErasuresResponse {
                rule,
                hours,
                pending,
            })
        })
        .await
    }

    /// Runs the grace-period erasures whose time is up, and drops the
    /// second-person requests nobody confirmed in time. How many erased.
    pub async fn run_due_erasures(&self, now: i64) -> StoreResult<u64> {
        self.write(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            tx.execute(super::LAPSE_ERASURES_SQL, [now])
                .map_err(backend)?;
            let due: Vec<(String, String, String, Vec<u8>)> = tx
                .prepare(super::DUE_ERASURES_SQL)
                .and_then(|mut s| {
                    s.query_map([now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                        .collect::<rusqlite::Result<_>>()
                })
                .map_err(backend)?;
            for (org, log, by, sealed) in &due {
                erase_in_tx(&tx, org, log, now, Some(by.clone()), None, sealed)?;
            }
            tx.commit().map_err(backend)?;
            Ok(due.len() as u64)
        })
        .await
    }

    pub async fn set_erasure_rule(
        &self,
        org: &str,
        rule: ErasureRule,
        hours: u32,
    ) -> StoreResult<()> {
        let org = org.to_owned();
        self.write(move |c| {
            let n = c
                .execute(
                    super::SET_ERASURE_RULE_SQL,
                    params![org, rule.as_str(), hours],
                )
                .map_err(backend)?;
            found(n, "organisation", &org)
        })
        .await
    }

    pub async fn keys_needed(
        &self,
        caller: &Caller,
        after: Uuid,
        max: usize,
    ) -> StoreResult<Vec<KeyNeeded>> {
        let p = caller_params(caller);
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached(&caller_sql(KEYS_NEEDED_SQL, MEMBER_SQL))
                .map_err(backend)?;
            let rows = stmt
                .query_map(
                    params![p.0, p.1, p.2, p.3, p.4, p.5, after.to_string(), max as i64],
                    |r| {
                        Ok(KeyNeeded {
                            log_id: id(r.get(0)?)?,
                            epoch: r.get(1)?,
                            recipient_key: r.get(2)?,
                            identity_key: r.get(3)?,
                            key_signature: r.get(4)?,
                        })
                    },
                )
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
        .await
    }

    pub async fn set_recovery_key(&self, org: Uuid, r: RecoveryKeyRequest) -> StoreResult<()> {
        self.write(move |c| {
            let n = c
                .execute(
                    "UPDATE orgs SET recovery_key = ?2, recovery_signer = ?3, recovery_signature = ?4
                     WHERE id = ?1 AND recovery_key IS NULL",
                    params![org.to_string(), r.public_key, r.signer_key, r.signature],
                )
                .map_err(backend)?;
            match n {
                1 => Ok(()),
                _ => Err(StoreError::Conflict(
                    "public_key: the organisation already has a recovery key".into(),
                )),
            }
        })
        .await
    }

    pub async fn set_org_key(&self, org: Uuid, r: OrgKeyRequest, now: i64) -> StoreResult<()> {
        self.write(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let org_text = org.to_string();
            let set = tx
                .execute(
                    "UPDATE orgs SET signing_key = ?2 WHERE id = ?1 AND signing_key IS NULL",
                    params![org_text, r.public_key],
                )
                .map_err(backend)?;
            if set == 0 {
                let same: bool = tx
                    .query_row(
                        "SELECT signing_key = ?2 FROM orgs WHERE id = ?1",
                        params![org_text, r.public_key],
                        |row| row.get(0),
                    )
                    .map_err(backend)?;
                if !same {
                    return Err(super::org_key_taken());
                }
            }
            certify(&tx, org, &r.certificate, now)?;
            tx.commit().map_err(backend)
        })
        .await
    }

    pub async fn add_certificate(&self, org: Uuid, cert: Certificate, now: i64) -> StoreResult<()> {
        self.write(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            certify(&tx, org, &cert, now)?;
            tx.commit().map_err(backend)
        })
        .await
    }

    pub async fn trust(&self, org: Uuid) -> StoreResult<TrustResponse> {
        self.read(move |c| {
            let org = org.to_string();
            type OrgRow = (Option<Vec<u8>>, Option<Vec<u8>>, Option<Vec<u8>>, Option<Vec<u8>>);
            let (org_key, recovery_key, signer, signature): OrgRow = c
                .query_row(
                    "SELECT signing_key, recovery_key, recovery_signer, recovery_signature FROM orgs WHERE id = ?1",
                    [&org],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .map_err(backend)?;
            let mut stmt = c
                .prepare_cached(super::RELAY_CERTIFICATES_SQL)
                .map_err(backend)?;
            let certificates = stmt
                .query_map([&org], |r| {
                    Ok(Certificate {
                        user_id: id(r.get(0)?)?,
                        user_name: r.get(5)?,
                        role: role(r.get(1)?)?,
                        team: r.get(6)?,
                        identity_key: r.get(2)?,
                        signer_key: r.get(3)?,
                        signature: r.get(4)?,
                    })
                })
                .map_err(backend)?
                .collect::<rusqlite::Result<_>>()
                .map_err(backend)?;
            Ok(TrustResponse {
                org_key,
                certificates,
                recovery: recovery_key.map(|public_key| RecoveryKeyRequest {
                    public_key,
                    signer_key: signer.unwrap_or_default(),
                    signature: signature.unwrap_or_default(),
                }),
            })
        })
        .await
    }

    pub async fn recovery_needed(&self, org: Uuid, user: &str) -> StoreResult<Vec<RecoveryNeed>> {
        let user = user.to_owned();
        self.read(move |c| {
            let (user_id, user_org) = user_and_org(c, &user)?;
            if user_org != org {
                return Err(StoreError::NotFound(format!(
                    "user: no user named {user:?}"
                )));
            }
            let sql = RECOVERY_NEEDED_SQL.replace("{MEMBER}", MEMBER_SQL);
            let mut stmt = c.prepare_cached(&sql).map_err(backend)?;
            let rows = stmt
                .query_map(params![org.to_string(), user_id.to_string()], |r| {
                    Ok(RecoveryNeed {
                        log_id: id(r.get(0)?)?,
                        epoch: r.get(1)?,
                        sealed_to_recovery: r.get(2)?,
                        recipient_key: r.get(3)?,
                        identity_key: r.get(4)?,
                        key_signature: r.get(5)?,
                    })
                })
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
        .await
    }

    pub async fn store_recovery_keys(
        &self,
        caller: &Caller,
        user: &str,
        keys: Vec<SealedKey>,
        now: i64,
    ) -> StoreResult<u64> {
        let (caller, user) = (caller.clone(), user.to_owned());
        self.write(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate).map_err(backend)?;
            let (user_id, user_org) = user_and_org(&tx, &user)?;
            if user_org != caller.org_id {
                return Err(StoreError::NotFound(format!("user: no user named {user:?}")));
            }
            let org = caller.org_id.to_string();
            let mut stored = 0;
            {
                let sql = RECOVERY_RECIPIENT_SQL.replace("{MEMBER}", MEMBER_SQL);
                let mut fits = tx.prepare_cached(&sql).map_err(backend)?;
                let mut insert = tx
                    .prepare_cached(super::INSERT_SEALED_KEY_SQL)
                    .map_err(backend)?;
                for key in &keys {
                    let n: i64 = fits
                        .query_row(
                            params![org, user_id.to_string(), key.recipient_key, key.log_id.to_string(), key.epoch],
                            |r| r.get(0),
                        )
                        .map_err(backend)?;
                    if n == 0 {
                        return Err(StoreError::Invalid(format!(
                            "keys: case {} at epoch {} is not for a usable device of {user:?} who may read it",
                            key.log_id, key.epoch
                        )));
                    }
                    stored += insert
                        .execute(params![org, key.log_id.to_string(), key.epoch, key.recipient_key, key.sealed, caller.device_id.to_string(), now, key.sender_identity, key.signature])
                        .map_err(backend)? as u64;
                }
            }
            tx.commit().map_err(backend)?;
            Ok(stored)
        })
        .await
    }

    pub async fn mark_rotations(&self) -> StoreResult<u64> {
        self.write(|c| {
            let sql = MARK_ROTATIONS_SQL.replace("{MEMBER}", MEMBER_SQL);
            c.execute(&sql, []).map(|n| n as u64).map_err(backend)
        })
        .await
    }

    pub async fn store_keys(
        &self,
        caller: &Caller,
        keys: Vec<SealedKey>,
        rotation: bool,
        now: i64,
    ) -> StoreResult<u64> {
        let caller = caller.clone();
        self.write(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate).map_err(backend)?;
            let org = caller.org_id.to_string();
            let mut stored = 0;
            {
                let mut epoch_of = tx
                    .prepare_cached("SELECT key_epoch, needs_rotation FROM logs WHERE org_id = ?1 AND log_id = ?2")
                    .map_err(backend)?;
                let mut set_epoch = tx
                    .prepare_cached("UPDATE logs SET key_epoch = ?3, needs_rotation = 0 WHERE org_id = ?1 AND log_id = ?2")
                    .map_err(backend)?;
                let mut recipient_ok = tx
                    .prepare_cached(&format!(
                        "SELECT EXISTS (SELECT 1 FROM devices d JOIN users u ON u.id = d.user_id
                                        JOIN orgs o ON o.id = u.org_id
                                        JOIN logs l ON l.org_id = u.org_id AND l.log_id = ?2
                                        WHERE u.org_id = ?1 AND d.public_key = ?3 AND d.revoked_at IS NULL
                                          AND u.disabled_at IS NULL AND {MEMBER_SQL})
                             OR EXISTS (SELECT 1 FROM orgs WHERE id = ?1 AND recovery_key = ?3)"
                    ))
                    .map_err(backend)?;
                let mut insert = tx
                    .prepare_cached(super::INSERT_SEALED_KEY_SQL)
                    .map_err(backend)?;
                let mut rotated = std::collections::HashSet::new();
                    for key in &keys {
                    log_access(&tx, &caller, &org, key.log_id)?;
                    let log = key.log_id.to_string();
                    let (current, needed): (u32, bool) =
                        epoch_of.query_row(params![org, log], |r| Ok((r.get(0)?, r.get(1)?))).map_err(backend)?;
                    // A rotation's first key of each case must move the epoch
                    // (a later rotator is refused); the rest seal at the new one.
                    let rotating = rotation && rotated.insert(key.log_id);
                    let epoch = check_key_epoch(key.log_id, current, key.epoch, rotating.then_some(needed))?;
                    if epoch > current {
                        set_epoch.execute(params![org, log, epoch]).map_err(backend)?;
                    }
                    let ok: bool = recipient_ok
                        .query_row(params![org, log, key.recipient_key], |r| r.get(0))
                        .map_err(backend)?;
                    if !ok {
                        return Err(StoreError::Invalid(format!(
                            "recipient_key: not a current member's device key for case {} or the organisation's recovery key",
                            key.log_id
                        )));
                    }
                    stored += insert
                        .execute(params![org, log, key.epoch, key.recipient_key, key.sealed, caller.device_id.to_string(), now, key.sender_identity, key.signature])
                        .map_err(backend)? as u64;
                }
            }
            tx.commit().map_err(backend)?;
            Ok(stored)
        })
        .await
    }

    pub async fn my_keys(
        &self,
        caller: &Caller,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<MyKey>> {
        let p = caller_params(caller);
        let device = caller.device_id.to_string();
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached(&caller_sql(MY_KEYS_SQL, ""))
                .map_err(backend)?;
            let rows = stmt
                .query_map(
                    params![p.0, p.1, p.2, p.3, p.4, p.5, after, limit, device],
                    |r| {
                        Ok(MyKey {
                            id: r.get(0)?,
                            log_id: id(r.get(1)?)?,
                            epoch: r.get(2)?,
                            sealed: r.get(3)?,
                            sender_identity: r.get(4)?,
                            signature: r.get(5)?,
                        })
                    },
                )
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
        .await
    }

    pub async fn horizons(&self, caller: &Caller, logs: &[Uuid]) -> StoreResult<Vec<Horizon>> {
        let caller = caller.clone();
        let logs = logs.to_vec();
        self.read(move |c| {
            let readable: std::collections::HashSet<Uuid> =
                readable(c, &caller)?.into_iter().map(|l| l.log_id).collect();
            let mut stmt = c
                .prepare_cached(&format!(
                    "SELECT coalesce(min(coalesce(p.seq, 0)), 0)
                     FROM devices d
                     JOIN users u ON u.id = d.user_id
                     JOIN orgs o ON o.id = u.org_id
                     JOIN logs l ON l.org_id = u.org_id AND l.log_id = ?2
                     LEFT JOIN device_positions p ON p.device_id = d.id AND p.user_id = d.user_id AND p.log_id = ?2
                     WHERE u.org_id = ?1 AND d.revoked_at IS NULL AND u.disabled_at IS NULL AND {MEMBER_SQL}"
                ))
                .map_err(backend)?;
            let org = caller.org_id.to_string();
            logs.iter()
                .filter(|l| readable.contains(l))
                .map(|log| {
                    let horizon = stmt
                        .query_row(params![org, log.to_string()], |r| r.get(0))
                        .map_err(backend)?;
                    Ok(Horizon { log_id: *log, horizon })
                })
                .collect()
        })
        .await
    }

    pub async fn pull(
        &self,
        caller: &Caller,
        cursors: &[Cursor],
        limit: usize,
    ) -> StoreResult<PullPages> {
        let caller = caller.clone();
        let cursors = cursors.to_vec();
        let handle = tokio::runtime::Handle::current();
        self.read(move |c| {
            // One read transaction: one snapshot for heads and pages.
            let tx = c.transaction().map_err(backend)?;
            let readable = readable(&tx, &caller)?;
            let plan = plan_pull(&readable, &cursors);
            let stmt = tx
                .prepare_cached(
                    "SELECT seq, change_id, body, tip, received_at FROM changes
                     WHERE org_id = ?1 AND log_id = ?2 AND seq >= ?3 AND seq <= ?4
                     ORDER BY seq LIMIT ?5",
                )
                .map_err(backend)?;
            let mut reader = Reader {
                org: caller.org_id.to_string(),
                stmt,
            };
            // The reader never waits: block_on only drives the shared
            // (async) page-filling logic on this blocking thread.
            let mut pages = handle.block_on(fill_pages(&plan, limit, &mut reader))?;
            drop(reader);
            tx.finish().map_err(backend)?;
            pages.readable = readable.iter().map(|l| l.log_id).collect();
            Ok(pages)
        })
        .await
    }
}

struct Reader<'c> {
    org: String,
    stmt: rusqlite::CachedStatement<'c>,
}

impl LogReader for Reader<'_> {
    type Error = StoreError;
    async fn read(
        &mut self,
        log: Uuid,
        after: i64,
        head: i64,
        n: usize,
        verify: Option<&str>,
    ) -> StoreResult<Option<Vec<Logged>>> {
        // With a tip to verify, read the change at `after` too.
        let from = if verify.is_some() { after } else { after + 1 };
        let extra = usize::from(verify.is_some());
        let rows = self
            .stmt
            .query_map(
                params![self.org, log.to_string(), from, head, (n + extra) as i64],
                |r| {
                    Ok((
                        Logged {
                            seq: r.get(0)?,
                            change_id: id(r.get(1)?)?,
                            received_ms: r.get(4)?,
                            body: r.get(2)?,
                        },
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .map_err(backend)?;
        let rows = rows
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(backend)?;
        Ok(verified(rows, after, verify))
    }
}

fn found(n: usize, what: &str, name: &str) -> StoreResult<()> {
    if n == 0 {
        Err(StoreError::NotFound(format!(
            "{what}: no {what} named {name:?}"
        )))
    } else {
        Ok(())
    }
}

fn org_id(c: &Connection, org: &str) -> StoreResult<Uuid> {
    c.query_row("SELECT id FROM orgs WHERE name = ?1", [org], |r| {
        id(r.get(0)?)
    })
    .optional()
    .map_err(backend)?
    .ok_or_else(|| StoreError::NotFound(format!("organisation: no organisation named {org:?}")))
}

/// Checks a certificate against the store and keeps it (in the caller's
/// transaction).
fn certify(tx: &Connection, org: Uuid, cert: &Certificate, now: i64) -> StoreResult<()> {
    let org = org.to_string();
    let user = cert.user_id.to_string();
    let found = tx
        .query_row(
            super::CERTIFY_CHECK_SQL,
            params![org, user, cert.identity_key, cert.signer_key],
            |r| {
                Ok(super::CertifyFound {
                    role: r.get(0)?,
                    name: r.get(1)?,
                    registered: r.get(2)?,
                    signer_ok: r.get(3)?,
                    team: r.get(4)?,
                })
            },
        )
        .optional()
        .map_err(backend)?;
    super::certify_verdict(cert, found)?;
    tx.execute(
        super::INSERT_CERTIFICATE_SQL,
        params![
            org,
            cert.identity_key,
            user,
            cert.role.as_str(),
            cert.signer_key,
            cert.signature,
            now,
            cert.team
        ],
    )
    .map_err(backend)?;
    Ok(())
}

fn user_and_org(c: &Connection, user: &str) -> StoreResult<(Uuid, Uuid)> {
    c.query_row(
        "SELECT id, org_id FROM users WHERE name = ?1",
        [user],
        |r| Ok((id(r.get(0)?)?, id(r.get(1)?)?)),
    )
    .optional()
    .map_err(backend)?
    .ok_or_else(|| StoreError::NotFound(format!("user: no user named {user:?}")))
}

fn case_exists(c: &Connection, org: Uuid, case: Uuid) -> StoreResult<()> {
    let n: i64 = c
        .query_row(
            "SELECT count(*) FROM logs WHERE org_id = ?1 AND log_id = ?2",
            params![org.to_string(), case.to_string()],
            |r| r.get(0),
        )
        .map_err(backend)?;
    if n == 0 || case == ORG_LOG {
        return Err(StoreError::NotFound(format!(
            "case: the server has no case {case} in this organisation"
        )));
    }
    Ok(())
}

/// The log's head and tip, creating the log for the caller if it is new (a case is
/// created by its first push: the pusher is its keyworker). Refuses a log
/// the caller may not write.
fn take_log(
    tx: &Connection,
    caller: &Caller,
    org: &str,
    log_id: Uuid,
    companion_of: Option<(Uuid, Audience)>,
    now: i64,
) -> StoreResult<(i64, String)> {
    type Row = (
        Option<String>,
        Option<String>,
        i64,
        String,
        String,
        Option<String>,
    );
    let read = || -> StoreResult<Option<Row>> {
        tx.query_row(
            "SELECT team_id, keyworker_id, head, tip, audience, case_id FROM logs WHERE org_id = ?1 AND log_id = ?2",
            params![org, log_id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()
        .map_err(backend)
    };
    let mut row = read()?;
    if let (None, Some((case, audience))) = (&row, companion_of) {
        make_companion(tx, org, case, audience, now)?;
        row = Some(read()?.ok_or_else(|| no_case(case))?);
    }
    let Some((team, keyworker, head, tip, audience, case_id)) = row else {
        may_create_log(caller, log_id)?;
        let (team, keyworker) = if log_id == ORG_LOG {
            (None, None)
        } else {
            (
                caller.team_id.map(|t| t.to_string()),
                Some(caller.user_id.to_string()),
            )
        };
        tx.execute(
            "INSERT INTO logs (org_id, log_id, team_id, keyworker_id, head, tip, created_at) VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)",
            params![org, log_id.to_string(), team, keyworker, GENESIS_TIP, now],
        )
        .map_err(backend)?;
        return Ok((0, GENESIS_TIP.to_owned()));
    };
    let audience = Audience::from_stored(&audience);
    let of_case = opt_id(case_id).map_err(backend)?;
    check_companion(log_id, companion_of, (audience, of_case))?;
    let owner = LogOwner {
        log_id,
        team_id: opt_id(team).map_err(backend)?,
        keyworker_id: opt_id(keyworker).map_err(backend)?,
        audience,
    };
    let shared: bool = tx
        .query_row(
            "SELECT count(*) > 0 FROM log_shares WHERE org_id = ?1 AND log_id IN (?2, ?4) AND user_id = ?3",
            params![
                org,
                log_id.to_string(),
                caller.user_id.to_string(),
                of_case.unwrap_or(log_id).to_string()
            ],
            |r| r.get(0),
        )
        .map_err(backend)?;
    if !may_access(caller, &owner, shared) {
        let (withdrawn_at, device_held): (Option<i64>, bool) = tx
            .query_row(
                LATE_WRITE_SQL,
                params![
                    org,
                    log_id.to_string(),
                    caller.user_id.to_string(),
                    caller.device_id.to_string()
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(backend)?;
        if !late_write_allowed(withdrawn_at, device_held, now) {
            return Err(late_write_refusal(log_id, withdrawn_at));
        }
    }
    Ok((head, tip))
}

/// Makes `case`'s companion log for `audience` if it is not there yet.
fn make_companion(
    tx: &Connection,
    org: &str,
    case: Uuid,
    audience: Audience,
    now: i64,
) -> StoreResult<()> {
    let Some(log) = audience.companion_log(case) else {
        return Ok(());
    };
    tx.execute(
        CREATE_COMPANION_LOG_SQL,
        params![
            org,
            log.to_string(),
            case.to_string(),
            now,
            GENESIS_TIP,
            audience.as_str()
        ],
    )
    .map_err(backend)?;
    Ok(())
}

fn user_role(c: &Connection, user: Uuid) -> StoreResult<Role> {
    c.query_row(
        "SELECT role FROM users WHERE id = ?1",
        [user.to_string()],
        |r| role(r.get(0)?),
    )
    .map_err(backend)
}

fn case_owner(c: &Connection, org: &str, case: Uuid) -> StoreResult<LogOwner> {
    let row: Option<(Option<String>, Option<String>)> = c
        .query_row(CASE_OWNER_SQL, params![org, case.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()
        .map_err(backend)?;
    match row {
        Some((team, keyworker)) if case != ORG_LOG => Ok(LogOwner {
            log_id: case,
            team_id: opt_id(team).map_err(backend)?,
            keyworker_id: opt_id(keyworker).map_err(backend)?,
            audience: Audience::Case,
        }),
        _ => Err(no_case(case)),
    }
}

fn blob_held(c: &Connection, key: impl rusqlite::Params) -> StoreResult<Option<BlobStatus>> {
    c.query_row(
        "SELECT size, received FROM blobs WHERE org_id = ?1 AND log_id = ?2 AND blob_id = ?3",
        key,
        |r| {
            Ok(BlobStatus {
                size: r.get::<_, i64>(0)? as u64,
                received: r.get::<_, i64>(1)? as u64,
            })
        },
    )
    .optional()
    .map_err(backend)
}

/// Refuses a log the caller may not read or write (or that does not exist).
fn refuse_if_erased(c: &Connection, org: &str, case: Uuid) -> StoreResult<()> {
    let erased: bool = c
        .query_row(
            "SELECT count(*) > 0 FROM erased_logs WHERE org_id = ?1 AND log_id = ?2",
            [org, &case.to_string()],
            |r| r.get(0),
        )
        .map_err(backend)?;
    match erased {
        true => Err(StoreError::Conflict(format!(
            "case: {case} was already erased"
        ))),
        false => Ok(()),
    }
}

fn erasure_rule(c: &Connection, org: &str) -> StoreResult<(ErasureRule, u32)> {
    let (rule, hours): (String, u32) = c
        .query_row(super::ERASURE_RULE_SQL, [org], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(backend)?;
    Ok((rule.parse().map_err(StoreError::Backend)?, hours))
}

fn waiting_erasure(c: &Connection, org: &str, log: &str) -> StoreResult<Option<WaitingErasure>> {
    c.query_row(super::WAITING_ERASURE_SQL, [org, log], |r| {
        Ok(WaitingErasure {
            requested_by: id(r.get(0)?)?,
            due_at_ms: r.get(1)?,
            reason_sealed: r.get(2)?,
            rule: erasure_rule_text(r.get(3)?)?,
        })
    })
    .optional()
    .map_err(backend)
}

/// Erases a case in the caller's transaction (crypto-shredding): its
/// changes, attachments, sealed keys, shares, read positions and any
/// waiting request go; a row records when, who asked, who confirmed, and
/// the sealed reason.
fn erase_in_tx(
    tx: &Connection,
    org: &str,
    log: &str,
    now: i64,
    by: Option<String>,
    confirmed_by: Option<String>,
    reason_sealed: &[u8],
) -> StoreResult<()> {
    // Its supervision log goes with it, recorded erased too (a late push
    // there is refused as the case's is).
    let companions: Vec<String> = tx
        .prepare(COMPANION_LOGS_SQL)
        .and_then(|mut q| q.query_map(params![org, log], |r| r.get(0))?.collect())
        .map_err(backend)?;
    for log in std::iter::once(log).chain(companions.iter().map(String::as_str)) {
        for table in [
            "changes",
            "blob_chunks",
            "blobs",
            "sealed_keys",
            "log_shares",
            "withdrawals",
            "logs",
            "erasure_requests",
        ] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE org_id = ?1 AND log_id = ?2"),
                params![org, log],
            )
            .map_err(backend)?;
        }
        tx.execute(
            "DELETE FROM device_positions WHERE log_id = ?1 AND user_id IN (SELECT id FROM users WHERE org_id = ?2)",
            [log, org],
        )
        .map_err(backend)?;
        tx.execute(
            super::INSERT_ERASED_SQL,
            params![org, log, now, by, reason_sealed, confirmed_by],
        )
        .map_err(backend)?;
    }
    Ok(())
}

fn log_access(c: &Connection, caller: &Caller, org: &str, log_id: Uuid) -> StoreResult<()> {
    let row: Option<(Option<String>, Option<String>, bool, String)> = c
        .query_row(
            "SELECT team_id, keyworker_id,
                    EXISTS (SELECT 1 FROM log_shares s WHERE s.org_id = l.org_id AND s.log_id IN (l.log_id, l.case_id) AND s.user_id = ?3),
                    audience
             FROM logs l WHERE org_id = ?1 AND log_id = ?2",
            params![org, log_id.to_string(), caller.user_id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()
        .map_err(backend)?;
    let Some((team, keyworker, shared, audience)) = row else {
        return Err(StoreError::NotFound(format!(
            "case: the server has no case {log_id}"
        )));
    };
    let owner = LogOwner {
        log_id,
        team_id: opt_id(team).map_err(backend)?,
        keyworker_id: opt_id(keyworker).map_err(backend)?,
        audience: Audience::from_stored(&audience),
    };
    if !may_access(caller, &owner, shared) {
        return Err(StoreError::Forbidden {
            code: ErrorCode::NoAccess,
            message: format!("you may not read or write case {log_id}"),
        });
    }
    Ok(())
}

fn readable(c: &Connection, caller: &Caller) -> StoreResult<Vec<LogState>> {
    let mut stmt = c
        .prepare_cached(
            "SELECT log_id, head, tip FROM logs WHERE org_id = ?1 AND (
                 log_id = ?2 OR keyworker_id = ?3
                 OR (?4 AND team_id = ?5)
                 OR (audience <> 'supervision' AND (?6
                     OR log_id IN (SELECT log_id FROM log_shares WHERE org_id = ?1 AND user_id = ?3)
                     OR case_id IN (SELECT log_id FROM log_shares WHERE org_id = ?1 AND user_id = ?3))))",
        )
        .map_err(backend)?;
    let p = caller_params(caller);
    let rows = stmt
        .query_map(params![p.0, p.1, p.2, p.3, p.4, p.5], |r| {
            Ok(LogState {
                log_id: id(r.get(0)?)?,
                head: r.get(1)?,
                tip: r.get(2)?,
            })
        })
        .map_err(backend)?;
    rows.collect::<rusqlite::Result<_>>().map_err(backend)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn an_older_store_is_migrated_and_a_newer_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.db");
        let version = |path: &Path| -> usize {
            Connection::open(path)
                .unwrap()
                .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
                .unwrap() as usize
        };
        // As a server from before managers (migration 11) left it.
        migrations()
            .to_version(&mut Connection::open(&path).unwrap(), 10)
            .unwrap();
        let change = |org: &str, log: &str| {
            format!("INSERT INTO changes (org_id, log_id, seq, change_id, tip, clock_ms, device_id, received_at, body)
                     VALUES ('{org}', '{log}', 1, 'c1', 't', 0, 'd', 0, x'00')")
        };
        let user = |id: &str, role: &str| {
            format!(
                "INSERT INTO users (id, org_id, name, role, auth_hash, created_at)
                     VALUES ('{id}', 'north', '{id}', '{role}', 'h', 0)"
            )
        };
        let older = Connection::open(&path).unwrap();
        older.execute_batch(&change("north", "case")).unwrap();
        older
            .execute_batch("INSERT INTO orgs (id, name, created_at) VALUES ('north', 'North', 0)")
            .unwrap();
        older.execute_batch(&user("ada", "admin")).unwrap();
        assert!(older.execute_batch(&user("mo", "manager")).is_err());
        drop(older);
        drop(SqliteStore::open(&path).unwrap());
        assert_eq!(version(&path), MIGRATIONS.len());
        let upgraded = Connection::open(&path).unwrap();
        let kept: String = upgraded
            .query_row(
                "SELECT log_id FROM changes WHERE change_id = 'c1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, "case", "the rebuilt table keeps every change");
        upgraded
            .execute_batch(&user("mo", "manager"))
            .expect("a manager, once migrated");
        assert!(
            upgraded.execute_batch(&user("bo", "boss")).is_err(),
            "no other role"
        );
        let ada: String = upgraded
            .query_row("SELECT role FROM users WHERE id = 'ada'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ada, "admin", "the people already there stay");
        upgraded
            .execute_batch(&change("south", "other"))
            .expect("another organisation may use the same change id");
        assert!(
            upgraded.execute_batch(&change("north", "again")).is_err(),
            "within one organisation it stays unique"
        );
        drop(upgraded);
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", MIGRATIONS.len() as i64 + 1)
            .unwrap();
        match SqliteStore::open(&path) {
            Err(StoreError::Invalid(m)) => assert!(m.contains("newer than this server"), "{m}"),
            other => panic!("a newer store must be refused: {:?}", other.err()),
        }
    }
}
