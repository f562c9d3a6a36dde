//! The server's store: SQLite (a file, the embedded default) or PostgreSQL
//! (a `postgres://` URL, for real deployments). Both hold the same tables
//! (migrations/server/) and keep the same promises:
//!
//! - each log's seqs are gap-free and commit in order: a writer holds the
//!   log's row (PostgreSQL `FOR UPDATE`; SQLite has one writer) while it
//!   numbers changes, so a reader that sees seq n also sees every seq < n and
//!   a pull from a cursor never skips a change;
//! - a change id is stored once (a unique index), however often it is pushed;
//! - a push is one transaction: all of it is stored, or none.

mod postgres;
mod sqlite;

use serde::Serialize;
use uuid::Uuid;
use waymark_protocol::{Accepted, Cursor, Envelope, LogPage, Role, ORG_LOG};

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// `code` is the stable error code the API returns (`no_access`,
    /// `device_revoked`).
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    #[error("{0}")]
    Invalid(String),
    /// A change stamped too far ahead of the server's clock.
    #[error("{0}")]
    ClockAhead(String),
    #[error("store error: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Who is calling: resolved from a device token.
#[derive(Clone, Debug, PartialEq)]
pub struct Caller {
    pub device_id: Uuid,
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub team_id: Option<Uuid>,
    pub role: Role,
    pub admins_see_cases: bool,
}

/// A device token's standing.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenLookup {
    Valid(Caller),
    Revoked,
    UserDisabled,
}

#[derive(Clone, Debug)]
pub struct UserRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub name: String,
    pub role: Role,
    pub auth_hash: String,
    pub disabled: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct UserSummary {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub team: Option<String>,
    pub disabled: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeviceSummary {
    pub device_id: Uuid,
    pub user: String,
    pub label: String,
    pub created_at_ms: i64,
    pub last_seen_at_ms: i64,
    pub revoked: bool,
}

/// Who a log belongs to, for the access rule.
#[derive(Clone, Debug, PartialEq)]
pub struct LogOwner {
    pub log_id: Uuid,
    pub team_id: Option<Uuid>,
    pub keyworker_id: Option<Uuid>,
}

/// The access rule, in one place. A log's members: everyone in the
/// organisation for its own log; for a case, its keyworker, the workers it is
/// shared with, the supervisors of its team, and admins when the organisation
/// lets them. The stores' SQL for "which logs may I read" mirrors this; the
/// access-matrix test checks the two agree.
pub fn may_access(caller: &Caller, log: &LogOwner, shared_with_caller: bool) -> bool {
    log.log_id == ORG_LOG
        || log.keyworker_id == Some(caller.user_id)
        || shared_with_caller
        || (caller.role == Role::Supervisor
            && caller.team_id.is_some()
            && log.team_id == caller.team_id)
        || (caller.role == Role::Admin && caller.admins_see_cases)
}

/// Which logs a pull reads, from where: every readable log whose head differs
/// from the caller's cursor (ahead, or behind after a restore), in log order.
pub fn plan_pull(readable: &[(Uuid, i64)], cursors: &[Cursor]) -> Vec<(Uuid, i64, i64)> {
    let known: std::collections::HashMap<Uuid, i64> =
        cursors.iter().map(|c| (c.log_id, c.after)).collect();
    let mut plan: Vec<(Uuid, i64, i64)> = readable
        .iter()
        .filter_map(|&(log, head)| {
            let after = known.get(&log).copied().unwrap_or(0);
            (head != after).then_some((log, after, head))
        })
        .collect();
    plan.sort_unstable_by_key(|p| p.0);
    plan
}

/// The answer to a pull, before the server adds its clock.
#[derive(Debug, Default)]
pub struct PullPages {
    pub logs: Vec<LogPage>,
    pub remaining: u64,
}

/// Fills pages from a plan, reading each log through `read(log, after, head,
/// n)` (changes with after < seq <= head, at most n) until `limit` changes
/// are taken. Shared by both stores.
pub fn fill_pages<E>(
    plan: &[(Uuid, i64, i64)],
    limit: usize,
    mut read: impl FnMut(Uuid, i64, i64, usize) -> Result<Vec<waymark_protocol::Logged>, E>,
) -> Result<PullPages, E> {
    let mut out = PullPages::default();
    let mut budget = limit;
    let mut remaining: u64 = 0;
    for &(log_id, after, head) in plan {
        if head < after {
            // The server lost changes this device has (an older backup):
            // tell it, so it re-pushes them.
            out.logs.push(LogPage {
                log_id,
                head,
                changes: Vec::new(),
            });
            continue;
        }
        let pending = (head - after) as u64;
        if budget == 0 {
            remaining += pending;
            continue;
        }
        let changes = read(log_id, after, head, budget)?;
        budget -= changes.len();
        remaining += pending - changes.len() as u64;
        out.logs.push(LogPage {
            log_id,
            head,
            changes,
        });
    }
    out.remaining = remaining;
    Ok(out)
}

/// Checks a push before anything is written: sizes and clocks.
pub fn check_push(changes: &[Envelope], now_ms: i64) -> StoreResult<()> {
    use waymark_protocol::{MAX_CHANGE_BYTES, MAX_CLOCK_AHEAD_MS, MAX_PUSH_CHANGES};
    if changes.len() > MAX_PUSH_CHANGES {
        return Err(StoreError::Invalid(format!(
            "changes: {} in one push; at most {MAX_PUSH_CHANGES}",
            changes.len()
        )));
    }
    let mut seen = std::collections::HashSet::with_capacity(changes.len());
    for (i, c) in changes.iter().enumerate() {
        if c.body.is_empty() || c.body.len() > MAX_CHANGE_BYTES {
            return Err(StoreError::Invalid(format!(
                "changes[{i}] ({}): body of {} bytes; it must be 1 to {MAX_CHANGE_BYTES}",
                c.change_id,
                c.body.len()
            )));
        }
        if c.clock_ms > now_ms + MAX_CLOCK_AHEAD_MS {
            return Err(StoreError::ClockAhead(format!(
                "changes[{i}] ({}): stamped {} ms ahead of the server's clock; \
                 at most {MAX_CLOCK_AHEAD_MS} ms (re-stamp and push again)",
                c.change_id,
                c.clock_ms - now_ms
            )));
        }
        if !seen.insert(c.change_id) {
            return Err(StoreError::Invalid(format!(
                "changes[{i}] ({}): the same change id twice in one push",
                c.change_id
            )));
        }
    }
    Ok(())
}

/// Either store, behind one set of methods.
#[derive(Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

macro_rules! both {
    ($self:ident, $s:ident => $e:expr) => {
        match $self {
            Store::Sqlite($s) => $e,
            Store::Postgres($s) => $e,
        }
    };
}

impl Store {
    /// Opens (and migrates) the store a `--db` value names: a
    /// `postgres://` / `postgresql://` URL, else a SQLite file path.
    pub async fn open(db: &str) -> StoreResult<Store> {
        if db.starts_with("postgres://") || db.starts_with("postgresql://") {
            Ok(Store::Postgres(PgStore::open(db).await?))
        } else {
            Ok(Store::Sqlite(SqliteStore::open(std::path::Path::new(db))?))
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    pub async fn health(&self) -> StoreResult<()> {
        both!(self, s => s.health().await)
    }
    pub async fn create_org(&self, name: &str) -> StoreResult<Uuid> {
        both!(self, s => s.create_org(name).await)
    }
    pub async fn add_team(&self, org: &str, name: &str) -> StoreResult<Uuid> {
        both!(self, s => s.add_team(org, name).await)
    }
    pub async fn add_user(
        &self,
        org: &str,
        team: Option<&str>,
        name: &str,
        role: Role,
        auth_hash: &str,
    ) -> StoreResult<Uuid> {
        both!(self, s => s.add_user(org, team, name, role, auth_hash).await)
    }
    pub async fn set_auth_hash(&self, user: &str, auth_hash: &str) -> StoreResult<()> {
        both!(self, s => s.set_auth_hash(user, auth_hash).await)
    }
    pub async fn set_user_disabled(&self, user: &str, disabled: bool) -> StoreResult<()> {
        both!(self, s => s.set_user_disabled(user, disabled).await)
    }
    pub async fn user_by_name(&self, name: &str) -> StoreResult<Option<UserRow>> {
        both!(self, s => s.user_by_name(name).await)
    }
    pub async fn list_users(&self, org: &str) -> StoreResult<Vec<UserSummary>> {
        both!(self, s => s.list_users(org).await)
    }
    /// Enrols (or re-enrols) a device for a user with a new token hash.
    /// Refused for a revoked device.
    pub async fn enrol_device(
        &self,
        user_id: Uuid,
        device_id: Uuid,
        label: &str,
        token_hash: &[u8],
        now_ms: i64,
    ) -> StoreResult<()> {
        both!(self, s => s.enrol_device(user_id, device_id, label, token_hash, now_ms).await)
    }
    pub async fn caller_by_token(&self, token_hash: &[u8]) -> StoreResult<Option<TokenLookup>> {
        both!(self, s => s.caller_by_token(token_hash).await)
    }
    /// Revokes a device for every user on it. Returns how many enrolments.
    pub async fn revoke_device(&self, device_id: Uuid, now_ms: i64) -> StoreResult<u64> {
        both!(self, s => s.revoke_device(device_id, now_ms).await)
    }
    pub async fn list_devices(&self, user: Option<&str>) -> StoreResult<Vec<DeviceSummary>> {
        both!(self, s => s.list_devices(user).await)
    }
    pub async fn share_case(&self, case: Uuid, user: &str, share: bool) -> StoreResult<()> {
        both!(self, s => s.share_case(case, user, share).await)
    }
    pub async fn set_keyworker(&self, case: Uuid, user: &str) -> StoreResult<()> {
        both!(self, s => s.set_keyworker(case, user).await)
    }
    pub async fn set_admins_see_cases(&self, org: &str, on: bool) -> StoreResult<()> {
        both!(self, s => s.set_admins_see_cases(org, on).await)
    }
    /// Stores a checked push in one transaction; refuses it whole if the
    /// caller may not write one of its logs.
    pub async fn push(
        &self,
        caller: &Caller,
        changes: Vec<Envelope>,
        now_ms: i64,
    ) -> StoreResult<Vec<Accepted>> {
        both!(self, s => s.push(caller, changes, now_ms).await)
    }
    pub async fn pull(
        &self,
        caller: &Caller,
        cursors: &[Cursor],
        limit: usize,
    ) -> StoreResult<PullPages> {
        both!(self, s => s.pull(caller, cursors, limit).await)
    }
    /// The logs a caller may read, with their heads.
    pub async fn readable_logs(&self, caller: &Caller) -> StoreResult<Vec<(Uuid, i64)>> {
        both!(self, s => s.readable_logs(caller).await)
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role, team: Option<Uuid>, admins: bool) -> Caller {
        Caller {
            device_id: Uuid::new_v4(),
            user_id: Uuid::from_u128(1),
            org_id: Uuid::from_u128(9),
            team_id: team,
            role,
            admins_see_cases: admins,
        }
    }

    #[test]
    fn access_rule() {
        let team = Some(Uuid::from_u128(5));
        let other_team = Some(Uuid::from_u128(6));
        let theirs = LogOwner {
            log_id: Uuid::from_u128(77),
            team_id: team,
            keyworker_id: Some(Uuid::from_u128(2)),
        };
        let mine = LogOwner {
            keyworker_id: Some(Uuid::from_u128(1)),
            ..theirs.clone()
        };
        let org = LogOwner {
            log_id: ORG_LOG,
            team_id: None,
            keyworker_id: None,
        };
        let worker = caller(Role::Worker, team, true);
        assert!(may_access(&worker, &mine, false));
        assert!(!may_access(&worker, &theirs, false));
        assert!(may_access(&worker, &theirs, true));
        assert!(may_access(&worker, &org, false));
        assert!(may_access(
            &caller(Role::Supervisor, team, false),
            &theirs,
            false
        ));
        assert!(!may_access(
            &caller(Role::Supervisor, other_team, false),
            &theirs,
            false
        ));
        assert!(!may_access(
            &caller(Role::Supervisor, None, false),
            &theirs,
            false
        ));
        assert!(!may_access(
            &caller(Role::Admin, None, false),
            &theirs,
            false
        ));
        assert!(may_access(&caller(Role::Admin, None, true), &theirs, false));
    }

    #[test]
    fn pull_plan_and_pages() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let c = Uuid::from_u128(3);
        let plan = plan_pull(
            &[(c, 5), (a, 10), (b, 3)],
            &[
                Cursor {
                    log_id: a,
                    after: 10,
                },
                Cursor {
                    log_id: c,
                    after: 7,
                },
            ],
        );
        assert_eq!(plan, vec![(b, 0, 3), (c, 7, 5)]);
        let plan = plan_pull(&[(a, 10), (b, 4)], &[]);
        let pages = fill_pages::<()>(&plan, 12, |_, after, head, n| {
            Ok(((after + 1)..=head)
                .take(n)
                .map(|seq| waymark_protocol::Logged {
                    seq,
                    change_id: Uuid::new_v4(),
                    body: vec![1],
                })
                .collect())
        })
        .unwrap();
        assert_eq!(pages.logs[0].changes.len(), 10);
        assert_eq!(pages.logs[1].changes.len(), 2);
        assert_eq!(pages.remaining, 2);
    }
}
