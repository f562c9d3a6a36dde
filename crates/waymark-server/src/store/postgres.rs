//! The PostgreSQL store, for real deployments: stateless servers (several may
//! run over one database) on a connection pool. A push holds its logs' rows
//! (`SELECT ... FOR UPDATE`, in log order so two pushes cannot deadlock)
//! while it numbers changes, so seqs are gap-free and commit in order; a pull
//! reads in one REPEATABLE READ snapshot.

use super::*;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::{IsolationLevel, NoTls};
use waymark_protocol::{
    next_tip, Erasure, ErasureRule, ErasuresResponse, Horizon, Logged, PendingErasure, GENESIS_TIP,
};

const MIGRATIONS: &[&str] = &[
    include_str!("../../../../migrations/server/postgres/001_init.sql"),
    include_str!("../../../../migrations/server/postgres/002_device_keys.sql"),
    include_str!("../../../../migrations/server/postgres/003_sealed_keys.sql"),
    include_str!("../../../../migrations/server/postgres/004_identities.sql"),
    include_str!("../../../../migrations/server/postgres/005_certificates.sql"),
    include_str!("../../../../migrations/server/postgres/006_signed_keys.sql"),
    include_str!("../../../../migrations/server/postgres/007_failed_logins.sql"),
    include_str!("../../../../migrations/server/postgres/008_enrolment_codes.sql"),
    include_str!("../../../../migrations/server/postgres/009_erasure_rule.sql"),
    include_str!("../../../../migrations/server/postgres/010_change_ids_per_org.sql"),
    include_str!("../../../../migrations/server/postgres/011_managers.sql"),
    include_str!("../../../../migrations/server/postgres/012_certified_teams.sql"),
    include_str!("../../../../migrations/server/postgres/013_withdrawals.sql"),
    include_str!("../../../../migrations/server/postgres/014_supervision_logs.sql"),
    include_str!("../../../../migrations/server/postgres/015_volunteers.sql"),
];

/// The caller as `CALLER_LOGS_SQL`'s $1..$6.
struct CallerParams {
    org: Uuid,
    org_log: Uuid,
    user: Uuid,
    reads_team: bool,
    team: Option<Uuid>,
    reads_all: bool,
}

impl CallerParams {
    fn of(caller: &Caller) -> CallerParams {
        CallerParams {
            org: caller.org_id,
            org_log: ORG_LOG,
            user: caller.user_id,
            reads_team: caller.reads_team(),
            team: caller.team_id,
            reads_all: caller.reads_all(),
        }
    }
    /// $1..$6, then `more` as $7...
    fn with<'a>(
        &'a self,
        more: &[&'a (dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Vec<&'a (dyn tokio_postgres::types::ToSql + Sync)> {
        let mut all: Vec<&'a (dyn tokio_postgres::types::ToSql + Sync)> = vec![
            &self.org,
            &self.org_log,
            &self.user,
            &self.reads_team,
            &self.team,
            &self.reads_all,
        ];
        all.extend_from_slice(more);
        all
    }
}

/// Shared SQL, written with SQLite's `?N`, in PostgreSQL's `$N`.
fn numbered(sql: &str) -> String {
    sql.replace('?', "$")
}

fn member_sql() -> String {
    MEMBER_SQL.replace(
        "l.log_id = '00000000-0000-0000-0000-000000000000'",
        "l.log_id = '00000000-0000-0000-0000-000000000000'::uuid",
    )
}
/// Serialises migrations between server instances starting together.
const MIGRATION_LOCK: i64 = 0x5761_796d_6172_6b31;

#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
}

fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn pg(e: tokio_postgres::Error) -> StoreError {
    if e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) {
        return StoreError::Conflict("a concurrent request stored the same record; retry".into());
    }
    // The database's message, never a query's parameters.
    StoreError::Backend(match e.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => e.to_string(),
    })
}

fn role(text: &str) -> StoreResult<Role> {
    text.parse().map_err(StoreError::Backend)
}

/// Checks a certificate against the store and keeps it (in the caller's
/// transaction).
async fn certify(
    tx: &deadpool_postgres::Transaction<'_>,
    org: Uuid,
    cert: &Certificate,
    now: i64,
) -> StoreResult<()> {
    let found = tx
        .query_opt(
            &numbered(super::CERTIFY_CHECK_SQL),
            &[&org, &cert.user_id, &cert.identity_key, &cert.signer_key],
        )
        .await
        .map_err(pg)?
        .map(|r| super::CertifyFound {
            role: r.get(0),
            name: r.get(1),
            registered: r.get(2),
            signer_ok: r.get(3),
            team: r.get(4),
        });
    super::certify_verdict(cert, found)?;
    tx.execute(
        &numbered(super::INSERT_CERTIFICATE_SQL),
        &[
            &org,
            &cert.identity_key,
            &cert.user_id,
            &cert.role.as_str(),
            &cert.signer_key,
            &cert.signature,
            &now,
            &cert.team,
        ],
    )
    .await
    .map_err(pg)?;
    Ok(())
}

impl PgStore {
    pub async fn open(url: &str) -> StoreResult<PgStore> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Invalid(format!("--db: not a PostgreSQL URL: {e}")))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(16)
            .build()
            .map_err(backend)?;
        let store = PgStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn client(&self) -> StoreResult<deadpool_postgres::Object> {
        self.pool
            .get()
            .await
            .map_err(|e| StoreError::Backend(format!("PostgreSQL: {e}")))
    }

    async fn migrate(&self) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(pg)?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            .await
            .map_err(pg)?;
        let version: i64 = tx
            .query_one(
                "SELECT coalesce(max(version), 0) FROM schema_migrations",
                &[],
            )
            .await
            .map_err(pg)?
            .get(0);
        if version as usize > MIGRATIONS.len() {
            return Err(StoreError::Invalid(format!(
                "the server store is at schema version {version}, newer than this server ({}); upgrade the server",
                MIGRATIONS.len()
            )));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.batch_execute(sql).await.map_err(pg)?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES ($1)",
                &[&(i as i64 + 1)],
            )
            .await
            .map_err(pg)?;
        }
        tx.commit().await.map_err(pg)
    }

    pub async fn health(&self) -> StoreResult<()> {
        self.client()
            .await?
            .query_one("SELECT 1", &[])
            .await
            .map_err(pg)?;
        Ok(())
    }

    async fn org_id(
        &self,
        c: &impl deadpool_postgres::GenericClient,
        org: &str,
    ) -> StoreResult<Uuid> {
        c.query_opt("SELECT id FROM orgs WHERE name = $1", &[&org])
            .await
            .map_err(pg)?
            .map(|r| r.get(0))
            .ok_or_else(|| {
                StoreError::NotFound(format!("organisation: no organisation named {org:?}"))
            })
    }

    async fn user_and_org(
        &self,
        c: &impl deadpool_postgres::GenericClient,
        user: &str,
    ) -> StoreResult<(Uuid, Uuid)> {
        c.query_opt("SELECT id, org_id FROM users WHERE name = $1", &[&user])
            .await
            .map_err(pg)?
            .map(|r| (r.get(0), r.get(1)))
            .ok_or_else(|| StoreError::NotFound(format!("user: no user named {user:?}")))
    }

    async fn case_exists(
        &self,
        c: &impl deadpool_postgres::GenericClient,
        org: Uuid,
        case: Uuid,
    ) -> StoreResult<()> {
        let n: i64 = c
            .query_one(
                "SELECT count(*) FROM logs WHERE org_id = $1 AND log_id = $2",
                &[&org, &case],
            )
            .await
            .map_err(pg)?
            .get(0);
        if n == 0 || case == ORG_LOG {
            return Err(StoreError::NotFound(format!(
                "case: the server has no case {case} in this organisation"
            )));
        }
        Ok(())
    }

    pub async fn create_org(&self, name: &str) -> StoreResult<Uuid> {
        let id = Uuid::new_v4();
        let n = self
            .client()
            .await?
            .execute(
                "INSERT INTO orgs (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                &[&id, &name, &now_ms()],
            )
            .await
            .map_err(pg)?;
        if n == 0 {
            return Err(StoreError::Conflict(format!(
                "an organisation named {name:?} already exists"
            )));
        }
        Ok(id)
    }

    pub async fn add_team(&self, org: &str, name: &str) -> StoreResult<Uuid> {
        let client = self.client().await?;
        let org_id = self.org_id(&client, org).await?;
        let id = Uuid::new_v4();
        let n = client
            .execute(
                "INSERT INTO teams (id, org_id, name, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                &[&id, &org_id, &name, &now_ms()],
            )
            .await
            .map_err(pg)?;
        if n == 0 {
            return Err(StoreError::Conflict(format!(
                "{org:?} already has a team named {name:?}"
            )));
        }
        Ok(id)
    }

    pub async fn add_user(
        &self,
        org: &str,
        team: Option<&str>,
        name: &str,
        role: Role,
        code: &StoredCode,
    ) -> StoreResult<Uuid> {
        let client = self.client().await?;
        let org_id = self.org_id(&client, org).await?;
        let team_id: Option<Uuid> = match team {
            Some(t) => Some(
                client
                    .query_opt(
                        "SELECT id FROM teams WHERE org_id = $1 AND name = $2",
                        &[&org_id, &t],
                    )
                    .await
                    .map_err(pg)?
                    .map(|r| r.get(0))
                    .ok_or_else(|| {
                        StoreError::NotFound(format!("team: {org:?} has no team named {t:?}"))
                    })?,
            ),
            None => None,
        };
        let id = Uuid::new_v4();
        let n = client
            .execute(
                "INSERT INTO users (id, org_id, team_id, name, role, auth_hash, credential,
                                    enrolment_code_hash, enrolment_code_expires_at, created_at)
                 VALUES ($1, $2, $3, $4, $5, '', 'none', $6, $7, $8) ON CONFLICT DO NOTHING",
                &[
                    &id,
                    &org_id,
                    &team_id,
                    &name,
                    &role.as_str(),
                    &code.hash.as_slice(),
                    &code.expires_at_ms,
                    &now_ms(),
                ],
            )
            .await
            .map_err(pg)?;
        if n == 0 {
            return Err(StoreError::Conflict(format!(
                "a user named {name:?} already exists"
            )));
        }
        Ok(id)
    }

    pub async fn set_auth_hash(&self, user: &str, auth_hash: &str) -> StoreResult<()> {
        let n = self
            .client()
            .await?
            .execute(&numbered(SET_AUTH_HASH_SQL), &[&auth_hash, &user])
            .await
            .map_err(pg)?;
        found(n, "user", user)
    }

    pub async fn set_enrolment_code(&self, user: &str, code: &StoredCode) -> StoreResult<()> {
        let n = self
            .client()
            .await?
            .execute(
                &numbered(SET_CODE_SQL),
                &[&user, &code.hash.as_slice(), &code.expires_at_ms],
            )
            .await
            .map_err(pg)?;
        found(n, "user", user)
    }

    pub async fn redeem_enrolment_code(
        &self,
        user: &str,
        code_hash: &[u8; 32],
        auth_hash: &str,
        now_ms: i64,
    ) -> StoreResult<bool> {
        let n = self
            .client()
            .await?
            .execute(
                &numbered(REDEEM_CODE_SQL),
                &[&user, &code_hash.as_slice(), &auth_hash, &now_ms],
            )
            .await
            .map_err(pg)?;
        Ok(n == 1)
    }

    pub async fn server_secret(&self, name: &str) -> StoreResult<Vec<u8>> {
        let client = self.client().await?;
        let fresh: [u8; 32] = rand::random();
        client
            .execute(&numbered(INSERT_SECRET_SQL), &[&name, &fresh.as_slice()])
            .await
            .map_err(pg)?;
        Ok(client
            .query_one(&numbered(SECRET_SQL), &[&name])
            .await
            .map_err(pg)?
            .get(0))
    }

    pub async fn set_user_disabled(&self, user: &str, disabled: bool) -> StoreResult<()> {
        let n = self
            .client()
            .await?
            .execute(
                "UPDATE users SET disabled_at = CASE WHEN $1 THEN coalesce(disabled_at, $2) END WHERE name = $3",
                &[&disabled, &now_ms(), &user],
            )
            .await
            .map_err(pg)?;
        found(n, "user", user)
    }

    pub async fn user_by_name(&self, name: &str) -> StoreResult<Option<UserRow>> {
        let row = self
            .client()
            .await?
            .query_opt(&numbered(USER_BY_NAME_SQL), &[&name])
            .await
            .map_err(pg)?;
        row.map(|r| {
            Ok(UserRow {
                id: r.get(0),
                org_id: r.get(1),
                name: r.get(2),
                role: role(r.get(3))?,
                auth_hash: r.get(4),
                credential: r.get::<_, &str>(5).parse().map_err(StoreError::Backend)?,
                disabled: r.get(6),
                used_code_hash: r.get::<_, bool>(8).then(|| r.get(7)).flatten(),
            })
        })
        .transpose()
    }

    pub async fn list_users(&self, org: &str) -> StoreResult<Vec<UserSummary>> {
        let client = self.client().await?;
        let org_id = self.org_id(&client, org).await?;
        client
            .query(
                "SELECT u.id, u.name, u.role, t.name, u.disabled_at IS NOT NULL,
                        u.failed_logins, u.last_failed_login_at, u.credential,
                        u.enrolment_code_expires_at
                 FROM users u LEFT JOIN teams t ON t.id = u.team_id
                 WHERE u.org_id = $1 ORDER BY u.name",
                &[&org_id],
            )
            .await
            .map_err(pg)?
            .into_iter()
            .map(|r| {
                Ok(UserSummary {
                    id: r.get(0),
                    name: r.get(1),
                    role: role(r.get(2))?,
                    team: r.get(3),
                    disabled: r.get(4),
                    credential: r.get::<_, &str>(7).parse().map_err(StoreError::Backend)?,
                    enrolment_code_expires_at_ms: r.get(8),
                    failed_logins: i64::from(r.get::<_, i32>(5)),
                    last_failed_login_at_ms: r.get(6),
                })
            })
            .collect()
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
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        let revoked: bool = tx
            .query_one(
                &numbered(super::DEVICE_REVOKED_IN_ORG_SQL),
                &[&device_id, &user_id],
            )
            .await
            .map_err(pg)?
            .get(0);
        if revoked {
            return Err(StoreError::Forbidden {
                code: ErrorCode::DeviceRevoked,
                message: "this device was revoked; it cannot log in again".into(),
            });
        }
        let registered: (Option<Vec<u8>>, Option<Vec<u8>>) = tx
            .query_opt(
                "SELECT public_key, identity_key FROM devices WHERE id = $1 AND user_id = $2 FOR UPDATE",
                &[&device_id, &user_id],
            )
            .await
            .map_err(pg)?
            .map(|r| (r.get(0), r.get(1)))
            .unwrap_or_default();
        super::check_keys_unchanged((registered.0.as_deref(), registered.1.as_deref()), keys)?;
        tx.execute(
            &numbered(super::ENROL_DEVICE_SQL),
            &[
                &device_id,
                &user_id,
                &label,
                &token_hash,
                &now,
                &keys.public_key,
                &keys.identity_key,
                &keys.key_signature,
            ],
        )
        .await
        .map_err(pg)?;
        tx.commit().await.map_err(pg)
    }

    pub async fn record_failed_login(&self, user: Uuid, now_ms: i64) -> StoreResult<i64> {
        let client = self.client().await?;
        let row = client
            .query_one(&numbered(super::RECORD_FAILED_LOGIN_SQL), &[&user, &now_ms])
            .await
            .map_err(pg)?;
        Ok(i64::from(row.get::<_, i32>(0)))
    }

    pub async fn clear_failed_logins(&self, user: Uuid) -> StoreResult<()> {
        let client = self.client().await?;
        client
            .execute(&numbered(super::CLEAR_FAILED_LOGINS_SQL), &[&user])
            .await
            .map_err(pg)?;
        Ok(())
    }

    pub async fn touch_device(&self, caller: &Caller, now_ms: i64) -> StoreResult<()> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE devices SET last_seen_at = $1 WHERE id = $2 AND user_id = $3",
                &[&now_ms, &caller.device_id, &caller.user_id],
            )
            .await
            .map_err(pg)?;
        Ok(())
    }

    pub async fn caller_by_token(&self, token_hash: &[u8]) -> StoreResult<Option<TokenLookup>> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT d.id, u.id, u.org_id, u.team_id, u.role, o.admins_see_cases,
                        d.revoked_at IS NOT NULL, u.disabled_at IS NOT NULL, d.last_seen_at,
                        u.credential = 'admin-set'
                 FROM devices d JOIN users u ON u.id = d.user_id JOIN orgs o ON o.id = u.org_id
                 WHERE d.token_hash = $1",
            )
            .await
            .map_err(pg)?;
        let Some(r) = client.query_opt(&stmt, &[&token_hash]).await.map_err(pg)? else {
            return Ok(None);
        };
        if r.get::<_, bool>(6) {
            return Ok(Some(TokenLookup::Revoked));
        }
        if r.get::<_, bool>(7) {
            return Ok(Some(TokenLookup::UserDisabled));
        }
        let caller = Caller {
            device_id: r.get(0),
            user_id: r.get(1),
            org_id: r.get(2),
            team_id: r.get(3),
            role: role(r.get(4))?,
            admins_see_cases: r.get(5),
        };
        Ok(Some(match r.get::<_, bool>(9) {
            true => TokenLookup::MustChangePassphrase(caller, r.get(8)),
            false => TokenLookup::Valid(caller, r.get(8)),
        }))
    }

    pub async fn revoke_device(
        &self,
        device_id: Uuid,
        org: Option<Uuid>,
        now: i64,
    ) -> StoreResult<u64> {
        let n = self
            .client()
            .await?
            .execute(
                &numbered(super::REVOKE_DEVICE_SQL),
                &[&now, &device_id, &org],
            )
            .await
            .map_err(pg)?;
        if n == 0 {
            return Err(super::no_such_device(device_id, org));
        }
        Ok(n)
    }

    pub async fn list_devices(
        &self,
        user: Option<&str>,
        org: Option<Uuid>,
    ) -> StoreResult<Vec<DeviceSummary>> {
        let rows = self
            .client()
            .await?
            .query(&numbered(super::LIST_DEVICES_SQL), &[&user, &org])
            .await
            .map_err(pg)?;
        rows.into_iter()
            .map(|r| {
                Ok(DeviceSummary {
                    device_id: r.get(0),
                    user: r.get(1),
                    label: r.get(2),
                    created_at_ms: r.get(3),
                    last_seen_at_ms: r.get(4),
                    revoked: r.get(5),
                    key_fingerprint: r
                        .get::<_, Option<Vec<u8>>>(6)
                        .map(|k| super::fingerprint(&k)),
                    public_key: r.get(6),
                    identity_key: r.get(8),
                    key_signature: r.get(9),
                    org_id: r.get(7),
                    user_id: r.get(10),
                    role: role(r.get(11))?,
                    team: r.get(12),
                })
            })
            .collect::<StoreResult<_>>()
    }

    pub async fn share_case(&self, case: Uuid, user: &str, share: bool) -> StoreResult<()> {
        let mut client = self.client().await?;
        let (user_id, org_id) = self.user_and_org(&client, user).await?;
        self.case_exists(&client, org_id, case).await?;
        let tx = client.transaction().await.map_err(pg)?;
        let log = shared_log(case, user_role(&tx, user_id).await?);
        if log != case {
            make_companion(&tx, org_id, case, Audience::Allocation, now_ms()).await?;
        }
        let key: [&(dyn tokio_postgres::types::ToSql + Sync); 3] = [&org_id, &log, &user_id];
        if share {
            tx.execute(&numbered(SHARE_SQL), &key).await.map_err(pg)?;
            tx.execute(&numbered(REGAIN_KEYS_SQL), &key)
                .await
                .map_err(pg)?;
            tx.execute(&numbered(UNWITHDRAW_SQL), &key)
                .await
                .map_err(pg)?;
        } else {
            tx.execute(&numbered(UNSHARE_SQL), &key).await.map_err(pg)?;
            tx.execute(
                &numbered(WITHDRAW_SQL),
                &[&org_id, &log, &user_id, &now_ms()],
            )
            .await
            .map_err(pg)?;
        }
        tx.commit().await.map_err(pg)
    }

    pub async fn set_keyworker(&self, case: Uuid, user: &str) -> StoreResult<()> {
        let mut client = self.client().await?;
        let (user_id, org_id) = self.user_and_org(&client, user).await?;
        self.case_exists(&client, org_id, case).await?;
        let tx = client.transaction().await.map_err(pg)?;
        if user_role(&tx, user_id).await? == Role::Volunteer {
            return Err(StoreError::Invalid(format!(
                "user: {user} is a volunteer, who keeps no cases"
            )));
        }
        let before: Option<Uuid> = tx
            .query_one(
                "SELECT keyworker_id FROM logs WHERE org_id = $1 AND log_id = $2 FOR UPDATE",
                &[&org_id, &case],
            )
            .await
            .map_err(pg)?
            .get(0);
        tx.execute(
            "UPDATE logs SET keyworker_id = $1, team_id = (SELECT team_id FROM users WHERE id = $1)
             WHERE org_id = $2 AND log_id = $3",
            &[&user_id, &org_id, &case],
        )
        .await
        .map_err(pg)?;
        if let Some(before) = before.filter(|b| *b != user_id) {
            tx.execute(
                &numbered(WITHDRAW_SQL),
                &[&org_id, &case, &before, &now_ms()],
            )
            .await
            .map_err(pg)?;
        }
        tx.commit().await.map_err(pg)
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
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        let org = caller.org_id;
        lock_log(&tx, org, case).await?;
        refuse_if_erased(&tx, org, case).await?;
        let owner = tx
            .query_opt(&numbered(CASE_OWNER_SQL), &[&org, &case])
            .await
            .map_err(pg)?
            .filter(|_| case != ORG_LOG)
            .map(|r| LogOwner {
                log_id: case,
                team_id: r.get(0),
                keyworker_id: r.get(1),
                audience: Audience::Case,
            })
            .ok_or_else(|| no_case(case))?;
        let colleague = tx
            .query_opt(
                &numbered(COLLEAGUE_SQL),
                &[&org, &case, &user, &waymark_protocol::allocation_log(case)],
            )
            .await
            .map_err(pg)?
            .map(|r| {
                Ok::<_, StoreError>(Colleague {
                    user_id: r.get(0),
                    name: r.get(1),
                    role: r.get::<_, &str>(2).parse().map_err(StoreError::Backend)?,
                    team_id: r.get(3),
                    disabled: r.get(4),
                    shared: r.get(5),
                })
            })
            .transpose()?
            .ok_or_else(|| no_colleague(user))?;
        access_change_verdict(caller, &owner, change, &colleague)?;
        let who = colleague.user_id;
        let case = shared_log(case, colleague.role);
        if case != owner.log_id {
            make_companion(&tx, org, owner.log_id, Audience::Allocation, now).await?;
        }
        match change {
            AccessChange::Share => {
                tx.execute(&numbered(SHARE_SQL), &[&org, &case, &who])
                    .await
                    .map_err(pg)?;
                tx.execute(&numbered(REGAIN_KEYS_SQL), &[&org, &case, &who])
                    .await
                    .map_err(pg)?;
                tx.execute(&numbered(UNWITHDRAW_SQL), &[&org, &case, &who])
                    .await
                    .map_err(pg)?;
            }
            AccessChange::Unshare => {
                tx.execute(&numbered(UNSHARE_SQL), &[&org, &case, &who])
                    .await
                    .map_err(pg)?;
                tx.execute(&numbered(WITHDRAW_SQL), &[&org, &case, &who, &now])
                    .await
                    .map_err(pg)?;
            }
            AccessChange::Reassign => {
                tx.execute(
                    &numbered(REASSIGN_SQL),
                    &[&org, &case, &who, &colleague.team_id],
                )
                .await
                .map_err(pg)?;
                // The keyworker holds it as keyworker: a share kept would
                // outlast their next handover.
                tx.execute(&numbered(UNSHARE_SQL), &[&org, &case, &who])
                    .await
                    .map_err(pg)?;
                tx.execute(&numbered(REGAIN_KEYS_SQL), &[&org, &case, &who])
                    .await
                    .map_err(pg)?;
                tx.execute(&numbered(UNWITHDRAW_SQL), &[&org, &case, &who])
                    .await
                    .map_err(pg)?;
                if let Some(before) = owner.keyworker_id {
                    tx.execute(&numbered(WITHDRAW_SQL), &[&org, &case, &before, &now])
                        .await
                        .map_err(pg)?;
                }
            }
        }
        tx.commit().await.map_err(pg)
    }

    /// Who holds a case: its keyworker, team and shares by name.
    pub async fn case_access(&self, caller: &Caller, case: Uuid) -> StoreResult<CaseAccess> {
        let client = self.client().await?;
        let org = caller.org_id;
        if caller.role != Role::Admin {
            self.log_access(&client, caller, case).await?;
        }
        let row = client
            .query_opt(&numbered(CASE_ACCESS_SQL), &[&org, &case])
            .await
            .map_err(pg)?
            .ok_or_else(|| no_case(case))?;
        let shared_with = client
            .query(
                &numbered(CASE_SHARES_SQL),
                &[&org, &case, &waymark_protocol::allocation_log(case)],
            )
            .await
            .map_err(pg)?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect::<Vec<(String, bool)>>();
        Ok(CaseAccess {
            log_id: case,
            keyworker: row.get(0),
            team: row.get(1),
            volunteers: volunteers_of(&shared_with),
            shared_with: shared_with.into_iter().map(|(name, _)| name).collect(),
        })
    }

    /// Which of `logs` exist in the organisation.
    pub async fn existing_logs(&self, org: Uuid, logs: Vec<Uuid>) -> StoreResult<Vec<Uuid>> {
        Ok(self
            .client()
            .await?
            .query(
                "SELECT log_id FROM logs WHERE org_id = $1 AND log_id = ANY($2)",
                &[&org, &logs],
            )
            .await
            .map_err(pg)?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    pub async fn set_admins_see_cases(&self, org: &str, on: bool) -> StoreResult<()> {
        let n = self
            .client()
            .await?
            .execute(
                "UPDATE orgs SET admins_see_cases = $1 WHERE name = $2",
                &[&on, &org],
            )
            .await
            .map_err(pg)?;
        found(n, "organisation", org)
    }

    pub async fn push(
        &self,
        caller: &Caller,
        changes: Vec<Envelope>,
        now: i64,
    ) -> StoreResult<Vec<Accepted>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        let org = caller.org_id;
        let mut heads: std::collections::BTreeMap<Uuid, (i64, String)> = Default::default();
        for change in &changes {
            heads.entry(change.log_id).or_default();
        }
        let create = tx
            .prepare_cached(
                "INSERT INTO logs (org_id, log_id, team_id, keyworker_id, head, tip, created_at)
                 VALUES ($1, $2, $3, $4, 0, $6, $5) ON CONFLICT DO NOTHING",
            )
            .await
            .map_err(pg)?;
        let take = tx
            .prepare_cached(
                "SELECT team_id, keyworker_id, head, tip,
                        EXISTS (SELECT 1 FROM log_shares s WHERE s.org_id = l.org_id AND s.log_id IN (l.log_id, l.case_id) AND s.user_id = $3),
                        audience, case_id
                 FROM logs l WHERE org_id = $1 AND log_id = $2 FOR UPDATE",
            )
            .await
            .map_err(pg)?;
        let named: Vec<Uuid> = heads.keys().copied().collect();
        let erased: Vec<Uuid> = tx
            .query(
                "SELECT log_id FROM erased_logs WHERE org_id = $1 AND log_id = ANY($2) ORDER BY log_id",
                &[&org, &named],
            )
            .await
            .map_err(pg)?
            .into_iter()
            .map(|r| r.get(0))
            .collect();
        if !erased.is_empty() {
            return Err(erased_refusal(erased));
        }
        // Every case lost too long ago is named at once.
        let mut withdrawn = Vec::new();
        for (log_id, companion_of) in push_logs(&changes)? {
            if let Some((case, audience)) = companion_of {
                make_companion(&tx, org, case, audience, now).await?;
            } else {
                let (team, keyworker) = if log_id == ORG_LOG {
                    (None, None)
                } else {
                    (caller.team_id, Some(caller.user_id))
                };
                let made = tx
                    .execute(
                        &create,
                        &[&org, &log_id, &team, &keyworker, &now, &GENESIS_TIP],
                    )
                    .await
                    .map_err(pg)?;
                if made > 0 {
                    may_create_log(caller, log_id)?;
                }
            }
            let row = tx
                .query_opt(&take, &[&org, &log_id, &caller.user_id])
                .await
                .map_err(pg)?
                .ok_or_else(|| no_case(companion_of.map_or(log_id, |(case, _)| case)))?;
            let audience = Audience::from_stored(row.get(5));
            check_companion(log_id, companion_of, (audience, row.get(6)))?;
            let owner = LogOwner {
                log_id,
                team_id: row.get(0),
                keyworker_id: row.get(1),
                audience,
            };
            if !may_access(caller, &owner, row.get(4)) {
                let late = tx
                    .query_one(
                        &numbered(LATE_WRITE_SQL),
                        &[&org, &log_id, &caller.user_id, &caller.device_id],
                    )
                    .await
                    .map_err(pg)?;
                if !late_write_allowed(late.get(0), late.get(1), now) {
                    match late_write_refusal(log_id, late.get(0)) {
                        StoreError::Withdrawn { logs, .. } => {
                            withdrawn.extend(logs);
                            continue;
                        }
                        refused => return Err(refused),
                    }
                }
            }
            *heads.get_mut(&log_id).expect("named above") = (row.get(2), row.get(3));
        }
        if !withdrawn.is_empty() {
            return Err(withdrawn_refusal(withdrawn));
        }
        let ids: Vec<Uuid> = changes.iter().map(|c| c.change_id).collect();
        let existing: std::collections::HashMap<Uuid, (Uuid, i64)> = tx
            .query(
                "SELECT change_id, log_id, seq FROM changes WHERE org_id = $1 AND change_id = ANY($2)",
                &[&org, &ids],
            )
            .await
            .map_err(pg)?
            .into_iter()
            .map(|r| (r.get(0), (r.get(1), r.get(2))))
            .collect();
        let mut accepted = Vec::with_capacity(changes.len());
        let (mut logs, mut seqs, mut change_ids, mut tips, mut clocks, mut bodies) = (
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        for change in changes {
            if let Some(&(l, seq)) = existing.get(&change.change_id) {
                if l != change.log_id {
                    return Err(StoreError::Conflict(format!(
                        "change {}: this change id is already used by another log",
                        change.change_id
                    )));
                }
                accepted.push(Accepted {
                    change_id: change.change_id,
                    log_id: change.log_id,
                    seq,
                    duplicate: true,
                });
                continue;
            }
            let (head, tip) = heads.get_mut(&change.log_id).expect("taken above");
            *head += 1;
            *tip = next_tip(tip, change.change_id);
            tips.push(tip.clone());
            accepted.push(Accepted {
                change_id: change.change_id,
                log_id: change.log_id,
                seq: *head,
                duplicate: false,
            });
            logs.push(change.log_id);
            seqs.push(*head);
            change_ids.push(change.change_id);
            clocks.push(change.clock_ms);
            bodies.push(change.body);
        }
        if !logs.is_empty() {
            tx.execute(
                "INSERT INTO changes (org_id, log_id, seq, change_id, tip, clock_ms, device_id, received_at, body)
                 SELECT $1, l, s, c, p, k, $8, $9, b
                 FROM unnest($2::uuid[], $3::bigint[], $4::uuid[], $5::text[], $6::bigint[], $7::bytea[])
                     AS t(l, s, c, p, k, b)",
                &[&org, &logs, &seqs, &change_ids, &tips, &clocks, &bodies, &caller.device_id, &now],
            )
            .await
            .map_err(pg)?;
            let head_logs: Vec<Uuid> = heads.keys().copied().collect();
            let head_seqs: Vec<i64> = heads.values().map(|h| h.0).collect();
            let head_tips: Vec<&str> = heads.values().map(|h| h.1.as_str()).collect();
            tx.execute(
                "UPDATE logs SET head = t.h, tip = t.p
                 FROM unnest($2::uuid[], $3::bigint[], $4::text[]) AS t(l, h, p)
                 WHERE logs.org_id = $1 AND logs.log_id = t.l",
                &[&org, &head_logs, &head_seqs, &head_tips],
            )
            .await
            .map_err(pg)?;
        }
        tx.execute(
            "UPDATE devices SET last_seen_at = $1 WHERE id = $2 AND user_id = $3",
            &[&now, &caller.device_id, &caller.user_id],
        )
        .await
        .map_err(pg)?;
        tx.commit().await.map_err(pg)?;
        Ok(accepted)
    }

    async fn readable_in(
        &self,
        c: &impl deadpool_postgres::GenericClient,
        caller: &Caller,
    ) -> StoreResult<Vec<LogState>> {
        let stmt = c
            .prepare_cached(
                "SELECT log_id, head, tip FROM logs WHERE org_id = $1 AND (
                     log_id = $2 OR keyworker_id = $3
                     OR ($4 AND team_id = $5)
                     OR (audience <> 'supervision' AND ($6
                         OR log_id IN (SELECT log_id FROM log_shares WHERE org_id = $1 AND user_id = $3)
                         OR case_id IN (SELECT log_id FROM log_shares WHERE org_id = $1 AND user_id = $3))))",
            )
            .await
            .map_err(pg)?;
        let rows = c
            .query(&stmt, &CallerParams::of(caller).with(&[]))
            .await
            .map_err(pg)?;
        Ok(rows
            .into_iter()
            .map(|r| LogState {
                log_id: r.get(0),
                head: r.get(1),
                tip: r.get(2),
            })
            .collect())
    }

    async fn log_access(
        &self,
        c: &impl deadpool_postgres::GenericClient,
        caller: &Caller,
        log_id: Uuid,
    ) -> StoreResult<()> {
        let row = c
            .query_opt(
                "SELECT team_id, keyworker_id,
                        EXISTS (SELECT 1 FROM log_shares s WHERE s.org_id = l.org_id AND s.log_id IN (l.log_id, l.case_id) AND s.user_id = $3),
                        audience
                 FROM logs l WHERE org_id = $1 AND log_id = $2",
                &[&caller.org_id, &log_id, &caller.user_id],
            )
            .await
            .map_err(pg)?
            .ok_or_else(|| StoreError::NotFound(format!("case: the server has no case {log_id}")))?;
        let owner = LogOwner {
            log_id,
            team_id: row.get(0),
            keyworker_id: row.get(1),
            audience: Audience::from_stored(row.get(3)),
        };
        if !may_access(caller, &owner, row.get(2)) {
            return Err(StoreError::Forbidden {
                code: ErrorCode::NoAccess,
                message: format!("you may not read or write case {log_id}"),
            });
        }
        Ok(())
    }

    async fn blob_held(
        &self,
        c: &impl deadpool_postgres::GenericClient,
        org: Uuid,
        log: Uuid,
        blob: Uuid,
        lock: bool,
    ) -> StoreResult<Option<BlobStatus>> {
        let sql = if lock {
            "SELECT size, received FROM blobs WHERE org_id = $1 AND log_id = $2 AND blob_id = $3 FOR UPDATE"
        } else {
            "SELECT size, received FROM blobs WHERE org_id = $1 AND log_id = $2 AND blob_id = $3"
        };
        Ok(c.query_opt(sql, &[&org, &log, &blob])
            .await
            .map_err(pg)?
            .map(|r| BlobStatus {
                size: r.get::<_, i64>(0) as u64,
                received: r.get::<_, i64>(1) as u64,
            }))
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
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        self.log_access(&tx, caller, log).await?;
        let org = caller.org_id;
        // Two uploads of one blob at once: the first row insert wins, the
        // second waits on the row lock and then sees the first's offset.
        tx.execute(
            "INSERT INTO blobs (org_id, log_id, blob_id, size, received, created_at)
             VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT DO NOTHING",
            &[&org, &log, &blob, &(size as i64), &now_ms()],
        )
        .await
        .map_err(pg)?;
        let held = self.blob_held(&tx, org, log, blob, true).await?;
        // A row this request just created holds nothing yet.
        let held = held.filter(|h| h.received > 0 || h.size != size);
        check_blob_chunk(held, offset, size, data.len())?;
        tx.execute(
            "INSERT INTO blob_chunks (org_id, log_id, blob_id, \"offset\", data) VALUES ($1, $2, $3, $4, $5)",
            &[&org, &log, &blob, &(offset as i64), &data],
        )
        .await
        .map_err(pg)?;
        let received = offset + data.len() as u64;
        tx.execute(
            "UPDATE blobs SET received = $4 WHERE org_id = $1 AND log_id = $2 AND blob_id = $3",
            &[&org, &log, &blob, &(received as i64)],
        )
        .await
        .map_err(pg)?;
        tx.commit().await.map_err(pg)?;
        Ok(BlobStatus { size, received })
    }

    pub async fn blob_status(
        &self,
        caller: &Caller,
        log: Uuid,
        blob: Uuid,
    ) -> StoreResult<BlobStatus> {
        let client = self.client().await?;
        self.log_access(&client, caller, log).await?;
        self.blob_held(&client, caller.org_id, log, blob, false)
            .await?
            .ok_or_else(|| {
                StoreError::NotFound(format!("blob: the server has no blob {blob} in case {log}"))
            })
    }

    pub async fn blob_chunk(
        &self,
        caller: &Caller,
        log: Uuid,
        blob: Uuid,
        offset: u64,
    ) -> StoreResult<(BlobStatus, Vec<u8>)> {
        let client = self.client().await?;
        self.log_access(&client, caller, log).await?;
        let status = self
            .blob_held(&client, caller.org_id, log, blob, false)
            .await?
            .ok_or_else(|| {
                StoreError::NotFound(format!("blob: the server has no blob {blob} in case {log}"))
            })?;
        if status.received < status.size {
            return Err(StoreError::Conflict(format!(
                "blob {blob} is still being uploaded ({} of {} bytes)",
                status.received, status.size
            )));
        }
        let data: Vec<u8> = client
            .query_opt(
                "SELECT data FROM blob_chunks WHERE org_id = $1 AND log_id = $2 AND blob_id = $3 AND \"offset\" = $4",
                &[&caller.org_id, &log, &blob, &(offset as i64)],
            )
            .await
            .map_err(pg)?
            .map(|r| r.get(0))
            .ok_or_else(|| StoreError::Invalid(format!("offset: no chunk of blob {blob} starts at {offset}")))?;
        Ok((status, data))
    }

    pub async fn record_positions(&self, caller: &Caller, cursors: &[Cursor]) -> StoreResult<()> {
        let client = self.client().await?;
        let recorded: std::collections::HashMap<Uuid, i64> = client
            .query(
                "SELECT log_id, seq FROM device_positions WHERE device_id = $1 AND user_id = $2",
                &[&caller.device_id, &caller.user_id],
            )
            .await
            .map_err(pg)?
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let moved = moved_positions(&recorded, cursors);
        if moved.is_empty() {
            return Ok(());
        }
        let (logs, seqs): (Vec<Uuid>, Vec<i64>) = moved.into_iter().unzip();
        client
            .execute(
                "INSERT INTO device_positions (device_id, user_id, log_id, seq)
                 SELECT $1, $2, l, s FROM unnest($3::uuid[], $4::bigint[]) AS t(l, s)
                 ON CONFLICT (device_id, user_id, log_id)
                 DO UPDATE SET seq = greatest(device_positions.seq, excluded.seq)",
                &[&caller.device_id, &caller.user_id, &logs, &seqs],
            )
            .await
            .map_err(pg)?;
        Ok(())
    }

    pub async fn erased_logs(&self, org: Uuid) -> StoreResult<Vec<Uuid>> {
        let client = self.client().await?;
        let rows = client
            .query("SELECT log_id FROM erased_logs WHERE org_id = $1", &[&org])
            .await
            .map_err(pg)?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
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
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        let orgs: Vec<(Uuid, String)> = tx
            .query(
                &numbered(&format!(
                    "SELECT o.id, o.name FROM orgs o WHERE o.id IN ({})",
                    super::ORGS_OF_LOG_SQL
                )),
                &[&case],
            )
            .await
            .map_err(pg)?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let org = super::one_org_of_log(case, orgs, org_name)?;
        lock_log(&tx, org, case).await?;
        refuse_if_erased(&tx, org, case).await?;
        let recovery: Option<Vec<u8>> = tx
            .query_one("SELECT recovery_key FROM orgs WHERE id = $1", &[&org])
            .await
            .map_err(pg)?
            .get(0);
        let sealed = reason_for(recovery, org)?;
        erase_in_tx(&tx, org, case, now, None, None, &sealed).await?;
        tx.commit().await.map_err(pg)
    }

    /// A supervisor or an admin asks for a case's erasure, or confirms
    /// another's: `rules::erase_step` decides. The log's row is held
    /// first, so two confirmations do not both erase.
    pub async fn request_erasure(
        &self,
        caller: &Caller,
        case: Uuid,
        reason_sealed: Vec<u8>,
        now: i64,
    ) -> StoreResult<Erasure> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        let org = caller.org_id;
        lock_log(&tx, org, case).await?;
        refuse_if_erased(&tx, org, case).await?;
        self.log_access(&tx, caller, case).await?;
        let (org_rule, hours) = erasure_rule(&tx, org).await?;
        let waiting = tx
            .query_opt(&numbered(WAITING_ERASURE_SQL), &[&org, &case])
            .await
            .map_err(pg)?
            .map(|r| {
                Ok::<_, StoreError>(WaitingErasure {
                    requested_by: r.get(0),
                    due_at_ms: r.get(1),
                    reason_sealed: r.get(2),
                    rule: r.get::<_, &str>(3).parse().map_err(StoreError::Backend)?,
                })
            })
            .transpose()?;
        let step = erase_step(org_rule, hours, waiting.as_ref(), caller.user_id, now)?;
        match &step {
            EraseStep::Request { due_at_ms, rule } => {
                tx.execute(
                    &numbered(UPSERT_ERASURE_REQUEST_SQL),
                    &[
                        &org,
                        &case,
                        &caller.user_id,
                        &now,
                        due_at_ms,
                        &reason_sealed,
                        &rule.as_str(),
                    ],
                )
                .await
                .map_err(pg)?;
            }
            EraseStep::Erase {
                requested_by,
                confirmed_by,
                ..
            } => {
                let sealed = waiting.map(|w| w.reason_sealed).unwrap_or(reason_sealed);
                erase_in_tx(
                    &tx,
                    org,
                    case,
                    now,
                    Some(*requested_by),
                    *confirmed_by,
                    &sealed,
                )
                .await?;
            }
        }
        tx.commit().await.map_err(pg)?;
        Ok(step.answer(case, now))
    }

    pub async fn cancel_erasure(&self, caller: &Caller, case: Uuid) -> StoreResult<()> {
        let client = self.client().await?;
        self.log_access(&client, caller, case).await?;
        let n = client
            .execute(&numbered(CANCEL_ERASURE_SQL), &[&caller.org_id, &case])
            .await
            .map_err(pg)?;
        match n {
            0 => Err(StoreError::NotFound(format!(
                "case: no erasure of {case} is waiting"
            ))),
            _ => Ok(()),
        }
    }

    pub async fn erasures(&self, caller: &Caller) -> StoreResult<ErasuresResponse> {
        let client = self.client().await?;
        let (rule, hours) = erasure_rule(&client, caller.org_id).await?;
        let rows = client
            .query(&numbered(PENDING_ERASURES_SQL), &[&caller.org_id])
            .await
            .map_err(pg)?;
        let mut pending = Vec::new();
        for r in rows {
            let p = PendingErasure {
                log_id: r.get(0),
                requested_by: r.get(1),
                requested_at_ms: r.get(2),
                due_at_ms: r.get(3),
                rule: r.get::<_, &str>(4).parse().map_err(StoreError::Backend)?,
            };
            // Only the cases the caller may read.
            if self.log_access(&client, caller, p.log_id).await.is_ok() {
                pending.push(p);
            }
        }
        Ok(ErasuresResponse {
            rule,
            hours,
            pending,
        })
    }

    pub async fn run_due_erasures(&self, now: i64) -> StoreResult<u64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        tx.execute(&numbered(LAPSE_ERASURES_SQL), &[&now])
            .await
            .map_err(pg)?;
        let due: Vec<(Uuid, Uuid, Uuid, Vec<u8>)> = tx
            .query(&numbered(DUE_ERASURES_SQL), &[&now])
            .await
            .map_err(pg)?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect();
        let mut erased = 0;
        for (org, log, by, sealed) in &due {
            lock_log(&tx, *org, *log).await?;
            // Another server over the same database may have run it.
            if refuse_if_erased(&tx, *org, *log).await.is_ok() {
                erase_in_tx(&tx, *org, *log, now, Some(*by), None, sealed).await?;
                erased += 1;
            }
        }
        tx.commit().await.map_err(pg)?;
        Ok(erased)
    }

    pub async fn set_erasure_rule(
        &self,
        org: &str,
        rule: ErasureRule,
        hours: u32,
    ) -> StoreResult<()> {
        let hours = i32::try_from(hours).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let n = self
            .client()
            .await?
            .execute(
                &numbered(SET_ERASURE_RULE_SQL),
                &[&org, &rule.as_str(), &hours],
            )
            .await
            .map_err(pg)?;
        found(n, "organisation", org)
    }

    pub async fn keys_needed(
        &self,
        caller: &Caller,
        after: Uuid,
        max: usize,
    ) -> StoreResult<Vec<KeyNeeded>> {
        let client = self.client().await?;
        let sql = numbered(&caller_sql(KEYS_NEEDED_SQL, &member_sql()));
        let stmt = client.prepare_cached(&sql).await.map_err(pg)?;
        let rows = client
            .query(
                &stmt,
                &CallerParams::of(caller).with(&[&after, &(max as i64)]),
            )
            .await
            .map_err(pg)?;
        Ok(rows
            .into_iter()
            .map(|r| KeyNeeded {
                log_id: r.get(0),
                epoch: r.get::<_, i32>(1) as u32,
                recipient_key: r.get(2),
                identity_key: r.get(3),
                key_signature: r.get(4),
            })
            .collect())
    }

    pub async fn set_recovery_key(&self, org: Uuid, r: RecoveryKeyRequest) -> StoreResult<()> {
        let client = self.client().await?;
        let n = client
            .execute(
                "UPDATE orgs SET recovery_key = $2, recovery_signer = $3, recovery_signature = $4
                 WHERE id = $1 AND recovery_key IS NULL",
                &[&org, &r.public_key, &r.signer_key, &r.signature],
            )
            .await
            .map_err(pg)?;
        match n {
            1 => Ok(()),
            _ => Err(StoreError::Conflict(
                "public_key: the organisation already has a recovery key".into(),
            )),
        }
    }

    pub async fn set_org_key(&self, org: Uuid, r: OrgKeyRequest, now: i64) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        let set = tx
            .execute(
                "UPDATE orgs SET signing_key = $2 WHERE id = $1 AND signing_key IS NULL",
                &[&org, &r.public_key],
            )
            .await
            .map_err(pg)?;
        if set == 0 {
            let same: bool = tx
                .query_one(
                    "SELECT signing_key = $2 FROM orgs WHERE id = $1",
                    &[&org, &r.public_key],
                )
                .await
                .map_err(pg)?
                .get(0);
            if !same {
                return Err(super::org_key_taken());
            }
        }
        certify(&tx, org, &r.certificate, now).await?;
        tx.commit().await.map_err(pg)
    }

    pub async fn add_certificate(&self, org: Uuid, cert: Certificate, now: i64) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        certify(&tx, org, &cert, now).await?;
        tx.commit().await.map_err(pg)
    }

    pub async fn trust(&self, org: Uuid) -> StoreResult<TrustResponse> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "SELECT signing_key, recovery_key, recovery_signer, recovery_signature FROM orgs WHERE id = $1",
                &[&org],
            )
            .await
            .map_err(pg)?;
        let certificates = client
            .query(&numbered(super::RELAY_CERTIFICATES_SQL), &[&org])
            .await
            .map_err(pg)?
            .into_iter()
            .map(|r| {
                Ok(Certificate {
                    user_id: r.get(0),
                    user_name: r.get(5),
                    role: role(r.get(1))?,
                    team: r.get(6),
                    identity_key: r.get(2),
                    signer_key: r.get(3),
                    signature: r.get(4),
                })
            })
            .collect::<StoreResult<_>>()?;
        let recovery: Option<Vec<u8>> = row.get(1);
        Ok(TrustResponse {
            org_key: row.get(0),
            certificates,
            recovery: recovery.map(|public_key| RecoveryKeyRequest {
                public_key,
                signer_key: row.get::<_, Option<Vec<u8>>>(2).unwrap_or_default(),
                signature: row.get::<_, Option<Vec<u8>>>(3).unwrap_or_default(),
            }),
        })
    }

    pub async fn recovery_needed(&self, org: Uuid, user: &str) -> StoreResult<Vec<RecoveryNeed>> {
        let client = self.client().await?;
        let (user_id, user_org) = self.user_and_org(&client, user).await?;
        if user_org != org {
            return Err(StoreError::NotFound(format!(
                "user: no user named {user:?}"
            )));
        }
        let sql = numbered(&RECOVERY_NEEDED_SQL.replace("{MEMBER}", &member_sql()));
        let rows = client.query(&sql, &[&org, &user_id]).await.map_err(pg)?;
        Ok(rows
            .into_iter()
            .map(|r| RecoveryNeed {
                log_id: r.get(0),
                epoch: r.get::<_, i32>(1) as u32,
                sealed_to_recovery: r.get(2),
                recipient_key: r.get(3),
                identity_key: r.get(4),
                key_signature: r.get(5),
            })
            .collect())
    }

    pub async fn store_recovery_keys(
        &self,
        caller: &Caller,
        user: &str,
        keys: Vec<SealedKey>,
        now: i64,
    ) -> StoreResult<u64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        let (user_id, user_org) = self.user_and_org(&tx, user).await?;
        if user_org != caller.org_id {
            return Err(StoreError::NotFound(format!(
                "user: no user named {user:?}"
            )));
        }
        let fits = tx
            .prepare_cached(&numbered(
                &RECOVERY_RECIPIENT_SQL.replace("{MEMBER}", &member_sql()),
            ))
            .await
            .map_err(pg)?;
        let insert = tx
            .prepare_cached(&numbered(super::INSERT_SEALED_KEY_SQL))
            .await
            .map_err(pg)?;
        let mut stored = 0;
        for key in &keys {
            let n: i64 = tx
                .query_one(
                    &fits,
                    &[
                        &caller.org_id,
                        &user_id,
                        &key.recipient_key,
                        &key.log_id,
                        &(key.epoch as i32),
                    ],
                )
                .await
                .map_err(pg)?
                .get(0);
            if n == 0 {
                return Err(StoreError::Invalid(format!(
                    "keys: case {} at epoch {} is not for a usable device of {user:?} who may read it",
                    key.log_id, key.epoch
                )));
            }
            stored += tx
                .execute(
                    &insert,
                    &[
                        &caller.org_id,
                        &key.log_id,
                        &(key.epoch as i32),
                        &key.recipient_key,
                        &key.sealed,
                        &caller.device_id,
                        &now,
                        &key.sender_identity,
                        &key.signature,
                    ],
                )
                .await
                .map_err(pg)?;
        }
        tx.commit().await.map_err(pg)?;
        Ok(stored)
    }

    pub async fn mark_rotations(&self) -> StoreResult<u64> {
        let client = self.client().await?;
        let sql = MARK_ROTATIONS_SQL.replace("{MEMBER}", &member_sql());
        client.execute(&sql, &[]).await.map_err(pg)
    }

    pub async fn store_keys(
        &self,
        caller: &Caller,
        keys: Vec<SealedKey>,
        rotation: bool,
        now: i64,
    ) -> StoreResult<u64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        let org = caller.org_id;
        let epoch_of = tx
            .prepare_cached(
                "SELECT key_epoch, needs_rotation FROM logs WHERE org_id = $1 AND log_id = $2 FOR UPDATE",
            )
            .await
            .map_err(pg)?;
        let set_epoch = tx
            .prepare_cached(
                "UPDATE logs SET key_epoch = $3, needs_rotation = 0 WHERE org_id = $1 AND log_id = $2",
            )
            .await
            .map_err(pg)?;
        let recipient_ok = tx
            .prepare_cached(&format!(
                "SELECT EXISTS (SELECT 1 FROM devices d JOIN users u ON u.id = d.user_id
                                JOIN orgs o ON o.id = u.org_id
                                JOIN logs l ON l.org_id = u.org_id AND l.log_id = $2
                                WHERE u.org_id = $1 AND d.public_key = $3 AND d.revoked_at IS NULL
                                  AND u.disabled_at IS NULL AND {})
                     OR EXISTS (SELECT 1 FROM orgs WHERE id = $1 AND recovery_key = $3)",
                member_sql()
            ))
            .await
            .map_err(pg)?;
        let insert = tx
            .prepare_cached(&numbered(super::INSERT_SEALED_KEY_SQL))
            .await
            .map_err(pg)?;
        let mut stored = 0;
        let mut rotated = std::collections::HashSet::new();
        for key in &keys {
            self.log_access(&tx, caller, key.log_id).await?;
            let row = tx
                .query_one(&epoch_of, &[&org, &key.log_id])
                .await
                .map_err(pg)?;
            let (current, needed) = (row.get::<_, i32>(0) as u32, row.get::<_, i32>(1) == 1);
            // A rotation's first key of each case must move the epoch (a
            // later rotator is refused); the rest seal at the new one.
            let rotating = rotation && rotated.insert(key.log_id);
            let epoch =
                check_key_epoch(key.log_id, current, key.epoch, rotating.then_some(needed))?;
            if epoch > current {
                tx.execute(&set_epoch, &[&org, &key.log_id, &(epoch as i32)])
                    .await
                    .map_err(pg)?;
            }
            let ok: bool = tx
                .query_one(&recipient_ok, &[&org, &key.log_id, &key.recipient_key])
                .await
                .map_err(pg)?
                .get(0);
            if !ok {
                return Err(StoreError::Invalid(format!(
                    "recipient_key: not a current member's device key for case {} or the organisation's recovery key",
                    key.log_id
                )));
            }
            stored += tx
                .execute(
                    &insert,
                    &[
                        &org,
                        &key.log_id,
                        &(key.epoch as i32),
                        &key.recipient_key,
                        &key.sealed,
                        &caller.device_id,
                        &now,
                        &key.sender_identity,
                        &key.signature,
                    ],
                )
                .await
                .map_err(pg)?;
        }
        tx.commit().await.map_err(pg)?;
        Ok(stored)
    }

    pub async fn my_keys(
        &self,
        caller: &Caller,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<MyKey>> {
        let client = self.client().await?;
        let sql = numbered(&caller_sql(MY_KEYS_SQL, ""));
        let stmt = client.prepare_cached(&sql).await.map_err(pg)?;
        let rows = client
            .query(
                &stmt,
                &CallerParams::of(caller).with(&[&after, &(limit as i64), &caller.device_id]),
            )
            .await
            .map_err(pg)?;
        Ok(rows
            .into_iter()
            .map(|r| MyKey {
                id: r.get(0),
                log_id: r.get(1),
                epoch: r.get::<_, i32>(2) as u32,
                sealed: r.get(3),
                sender_identity: r.get(4),
                signature: r.get(5),
            })
            .collect())
    }

    pub async fn horizons(&self, caller: &Caller, logs: &[Uuid]) -> StoreResult<Vec<Horizon>> {
        let client = self.client().await?;
        let readable: std::collections::HashSet<Uuid> = self
            .readable_in(&client, caller)
            .await?
            .into_iter()
            .map(|l| l.log_id)
            .collect();
        let sql = format!(
            "SELECT coalesce(min(coalesce(p.seq, 0)), 0)::bigint
             FROM devices d
             JOIN users u ON u.id = d.user_id
             JOIN orgs o ON o.id = u.org_id
             JOIN logs l ON l.org_id = u.org_id AND l.log_id = $2
             LEFT JOIN device_positions p ON p.device_id = d.id AND p.user_id = d.user_id AND p.log_id = $2
             WHERE u.org_id = $1 AND d.revoked_at IS NULL AND u.disabled_at IS NULL AND {}",
            MEMBER_SQL.replace("l.log_id = '00000000-0000-0000-0000-000000000000'", "l.log_id = '00000000-0000-0000-0000-000000000000'::uuid")
        );
        let stmt = client.prepare_cached(&sql).await.map_err(pg)?;
        let mut out = Vec::new();
        for log in logs.iter().filter(|l| readable.contains(l)) {
            let horizon: i64 = client
                .query_one(&stmt, &[&caller.org_id, log])
                .await
                .map_err(pg)?
                .get(0);
            out.push(Horizon {
                log_id: *log,
                horizon,
            });
        }
        Ok(out)
    }

    pub async fn pull(
        &self,
        caller: &Caller,
        cursors: &[Cursor],
        limit: usize,
    ) -> StoreResult<PullPages> {
        let mut client = self.client().await?;
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await
            .map_err(pg)?;
        let readable = self.readable_in(&tx, caller).await?;
        let plan = plan_pull(&readable, cursors);
        let stmt = tx
            .prepare_cached(
                "SELECT seq, change_id, body, tip, received_at FROM changes
                 WHERE org_id = $1 AND log_id = $2 AND seq >= $3 AND seq <= $4 ORDER BY seq LIMIT $5",
            )
            .await
            .map_err(pg)?;
        let mut reader = Reader {
            tx: &tx,
            stmt,
            org: caller.org_id,
        };
        let mut pages = fill_pages(&plan, limit, &mut reader).await?;
        tx.commit().await.map_err(pg)?;
        pages.readable = readable.iter().map(|l| l.log_id).collect();
        Ok(pages)
    }
}

struct Reader<'t> {
    tx: &'t deadpool_postgres::Transaction<'t>,
    stmt: tokio_postgres::Statement,
    org: Uuid,
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
        let limit = (n + usize::from(verify.is_some())) as i64;
        let rows = self
            .tx
            .query(&self.stmt, &[&self.org, &log, &from, &head, &limit])
            .await
            .map_err(pg)?
            .into_iter()
            .map(|r| {
                (
                    Logged {
                        seq: r.get(0),
                        change_id: r.get(1),
                        received_ms: r.get(4),
                        body: r.get(2),
                    },
                    r.get::<_, String>(3),
                )
            })
            .collect::<Vec<_>>();
        Ok(verified(rows, after, verify))
    }
}

fn found(n: u64, what: &str, name: &str) -> StoreResult<()> {
    if n == 0 {
        Err(StoreError::NotFound(format!(
            "{what}: no {what} named {name:?}"
        )))
    } else {
        Ok(())
    }
}

/// Holds a case's row for the transaction (a push, a confirmation or a due
/// erasure waiting on it then finds what this one did).
/// Makes `case`'s companion log for `audience` if it is not there yet.
async fn make_companion(
    tx: &impl deadpool_postgres::GenericClient,
    org: Uuid,
    case: Uuid,
    audience: Audience,
    now: i64,
) -> StoreResult<()> {
    let Some(log) = audience.companion_log(case) else {
        return Ok(());
    };
    tx.execute(
        &numbered(CREATE_COMPANION_LOG_SQL),
        &[&org, &log, &case, &now, &GENESIS_TIP, &audience.as_str()],
    )
    .await
    .map_err(pg)?;
    Ok(())
}

async fn user_role(tx: &impl deadpool_postgres::GenericClient, user: Uuid) -> StoreResult<Role> {
    tx.query_one("SELECT role FROM users WHERE id = $1", &[&user])
        .await
        .map_err(pg)?
        .get::<_, &str>(0)
        .parse()
        .map_err(StoreError::Backend)
}

async fn lock_log(
    tx: &deadpool_postgres::Transaction<'_>,
    org: Uuid,
    case: Uuid,
) -> StoreResult<()> {
    tx.query_opt(
        "SELECT 1 FROM logs WHERE org_id = $1 AND log_id = $2 FOR UPDATE",
        &[&org, &case],
    )
    .await
    .map_err(pg)?;
    Ok(())
}

async fn refuse_if_erased(
    c: &impl deadpool_postgres::GenericClient,
    org: Uuid,
    case: Uuid,
) -> StoreResult<()> {
    let erased = c
        .query_opt(
            "SELECT 1 FROM erased_logs WHERE org_id = $1 AND log_id = $2",
            &[&org, &case],
        )
        .await
        .map_err(pg)?;
    match erased {
        Some(_) => Err(StoreError::Conflict(format!(
            "case: {case} was already erased"
        ))),
        None => Ok(()),
    }
}

async fn erasure_rule(
    c: &impl deadpool_postgres::GenericClient,
    org: Uuid,
) -> StoreResult<(ErasureRule, u32)> {
    let r = c
        .query_one(&numbered(ERASURE_RULE_SQL), &[&org])
        .await
        .map_err(pg)?;
    let rule: ErasureRule = r.get::<_, &str>(0).parse().map_err(StoreError::Backend)?;
    let hours =
        u32::try_from(r.get::<_, i32>(1)).map_err(|e| StoreError::Backend(e.to_string()))?;
    Ok((rule, hours))
}

/// Erases a case in the caller's transaction (crypto-shredding): the log's
/// row first (a push waiting on it then finds the erasure), then its
/// changes, attachments, sealed keys, shares, read positions and any
/// waiting request; a row records when, who asked, who confirmed, and the
/// sealed reason.
async fn erase_in_tx(
    tx: &deadpool_postgres::Transaction<'_>,
    org: Uuid,
    case: Uuid,
    now: i64,
    by: Option<Uuid>,
    confirmed_by: Option<Uuid>,
    reason_sealed: &[u8],
) -> StoreResult<()> {
    // Its supervision log goes with it, recorded erased too (a late push
    // there is refused as the case's is).
    let companions: Vec<Uuid> = tx
        .query(&numbered(COMPANION_LOGS_SQL), &[&org, &case])
        .await
        .map_err(pg)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for log in std::iter::once(case).chain(companions) {
        for table in [
            "logs",
            "changes",
            "blob_chunks",
            "blobs",
            "sealed_keys",
            "log_shares",
            "withdrawals",
            "erasure_requests",
        ] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE org_id = $1 AND log_id = $2"),
                &[&org, &log],
            )
            .await
            .map_err(pg)?;
        }
        tx.execute(
            "DELETE FROM device_positions WHERE log_id = $1 AND user_id IN (SELECT id FROM users WHERE org_id = $2)",
            &[&log, &org],
        )
        .await
        .map_err(pg)?;
        tx.execute(
            &numbered(INSERT_ERASED_SQL),
            &[&org, &log, &now, &by, &reason_sealed, &confirmed_by],
        )
        .await
        .map_err(pg)?;
    }
    Ok(())
}
