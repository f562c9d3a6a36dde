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
//!
//! Here: `Store`, which dispatches each call to the backend, and the types
//! both share. `rules` holds the rules both keep (pure functions, tested
//! alone), `sql` the SQL both run as written; `sqlite` and `postgres` the
//! rest of each backend.

mod postgres;
mod rules;
mod sql;
mod sqlite;

pub use rules::*;
pub use sql::*;

use serde::Serialize;
use uuid::Uuid;
use waymark_protocol::{
    Accepted, BlobStatus, CaseAccess, Certificate, Cursor, Envelope, Erasure, ErasureRule,
    ErasuresResponse, ErrorCode, Horizon, KeyNeeded, MyKey, OrgKeyRequest, RecoveryKeyRequest,
    RecoveryNeed, Role, SealedKey, TrustResponse, ORG_LOG,
};
use zeroize::Zeroizing;

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
    Forbidden { code: ErrorCode, message: String },
    #[error("{0}")]
    Invalid(String),
    /// Cases that were erased: nothing can be written to them again.
    #[error("{message}")]
    Erased { logs: Vec<Uuid>, message: String },
    /// Cases a push named that its writer held once and lost longer ago
    /// than a late write is taken (`rules::late_write_allowed`).
    #[error("{message}")]
    Withdrawn { logs: Vec<Uuid>, message: String },
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

impl Caller {
    /// A supervisor reads their team's cases.
    pub fn reads_team(&self) -> bool {
        self.role == Role::Supervisor
    }
    /// A manager reads every case; an admin where the organisation allows
    /// it.
    pub fn reads_all(&self) -> bool {
        self.role == Role::Manager || (self.role == Role::Admin && self.admins_see_cases)
    }

    /// A manager reads and changes nothing: every push is refused.
    pub fn may_push(&self) -> StoreResult<()> {
        match self.role {
            Role::Manager => Err(StoreError::Forbidden {
                code: ErrorCode::NoAccess,
                message: "a manager reads the organisation's cases and changes none".into(),
            }),
            _ => Ok(()),
        }
    }
}

/// A device token's standing.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenLookup {
    /// A token in use, and when its device was last seen (ms).
    Valid(Caller, i64),
    /// The same, for a person whose passphrase an administrator set: only
    /// changing it is answered.
    MustChangePassphrase(Caller, i64),
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
    pub credential: Credential,
    pub disabled: bool,
    /// The hash of the enrolment code they used last, if it is used.
    pub used_code_hash: Option<Vec<u8>>,
}

/// Whose the stored login key is (`users.credential`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Credential {
    /// Set by an administrator before enrolment codes: to be changed at the
    /// person's first login.
    AdminSet,
    /// None yet: an enrolment code is (or was) outstanding.
    None,
    /// Chosen by the person.
    Own,
}

impl Credential {
    pub fn as_str(self) -> &'static str {
        match self {
            Credential::AdminSet => "admin-set",
            Credential::None => "none",
            Credential::Own => "own",
        }
    }
}

impl std::str::FromStr for Credential {
    type Err = String;
    fn from_str(s: &str) -> Result<Credential, String> {
        match s {
            "admin-set" => Ok(Credential::AdminSet),
            "none" => Ok(Credential::None),
            "own" => Ok(Credential::Own),
            other => Err(format!("unknown credential {other:?}")),
        }
    }
}

/// A one-time enrolment code as the server keeps it: its SHA-256 (the code
/// carries 100 random bits, so a fast hash is enough) and its expiry.
#[derive(Clone, Copy, Debug)]
pub struct StoredCode {
    pub hash: [u8; 32],
    pub expires_at_ms: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct UserSummary {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub team: Option<String>,
    pub disabled: bool,
    /// Whose passphrase it is: `own`, `admin-set` (to be changed at their
    /// next login) or `none` (not joined yet).
    pub credential: Credential,
    /// When their outstanding enrolment code stops working.
    pub enrolment_code_expires_at_ms: Option<i64>,
    /// Wrong passphrases since their last login, and the last one's time.
    pub failed_logins: i64,
    pub last_failed_login_at_ms: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeviceSummary {
    pub device_id: Uuid,
    pub user: String,
    pub label: String,
    pub created_at_ms: i64,
    pub last_seen_at_ms: i64,
    pub revoked: bool,
    /// The registered public key's fingerprint, to compare with the device.
    pub key_fingerprint: Option<String>,
    #[serde(skip)]
    pub public_key: Option<Vec<u8>>,
    #[serde(skip)]
    pub identity_key: Option<Vec<u8>>,
    #[serde(skip)]
    pub key_signature: Option<Vec<u8>>,
    #[serde(skip)]
    pub org_id: Uuid,
    #[serde(skip)]
    pub user_id: Uuid,
    #[serde(skip)]
    pub role: Role,
    /// The person's team, if they have one.
    pub team: Option<String>,
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
        code: &StoredCode,
    ) -> StoreResult<Uuid> {
        both!(self, s => s.add_user(org, team, name, role, code).await)
    }
    /// A new one-time code for a person (the last one stops working); their
    /// passphrase and devices stay as they are until it is used.
    pub async fn set_enrolment_code(&self, user: &str, code: &StoredCode) -> StoreResult<()> {
        both!(self, s => s.set_enrolment_code(user, code).await)
    }
    /// Uses a person's enrolment code, if it is theirs and current, to set
    /// their own login key. Whether it was.
    pub async fn redeem_enrolment_code(
        &self,
        user: &str,
        code_hash: &[u8; 32],
        auth_hash: &str,
        now_ms: i64,
    ) -> StoreResult<bool> {
        both!(self, s => s.redeem_enrolment_code(user, code_hash, auth_hash, now_ms).await)
    }
    /// The person's own new login key (they changed their passphrase).
    pub async fn set_auth_hash(&self, user: &str, auth_hash: &str) -> StoreResult<()> {
        both!(self, s => s.set_auth_hash(user, auth_hash).await)
    }
    /// A random value the server made once and keeps (made on first ask).
    pub async fn server_secret(&self, name: &str) -> StoreResult<Vec<u8>> {
        both!(self, s => s.server_secret(name).await)
    }
    pub async fn set_user_disabled(&self, user: &str, disabled: bool) -> StoreResult<()> {
        both!(self, s => s.set_user_disabled(user, disabled).await)?;
        self.mark_rotations().await?;
        Ok(())
    }
    /// Counts a wrong passphrase for a person (what admins see); returns
    /// how many since their last login.
    pub async fn record_failed_login(&self, user: Uuid, now_ms: i64) -> StoreResult<i64> {
        both!(self, s => s.record_failed_login(user, now_ms).await)
    }
    /// A login: the count of wrong passphrases starts again.
    pub async fn clear_failed_logins(&self, user: Uuid) -> StoreResult<()> {
        both!(self, s => s.clear_failed_logins(user).await)
    }
    /// Marks a device as seen now (its token's idle time starts again).
    pub async fn touch_device(&self, caller: &Caller, now_ms: i64) -> StoreResult<()> {
        both!(self, s => s.touch_device(caller, now_ms).await)
    }
    pub async fn user_by_name(&self, name: &str) -> StoreResult<Option<UserRow>> {
        both!(self, s => s.user_by_name(name).await)
    }
    pub async fn list_users(&self, org: &str) -> StoreResult<Vec<UserSummary>> {
        both!(self, s => s.list_users(org).await)
    }
    /// Enrols (or re-enrols) a device for a user with a new token hash, and
    /// registers the person's keys there (once: a different key or identity
    /// for the same device and person is refused). Refused for a revoked
    /// device.
    pub async fn enrol_device(
        &self,
        user_id: Uuid,
        device_id: Uuid,
        label: &str,
        token_hash: &[u8],
        keys: &DeviceKeys<'_>,
        now_ms: i64,
    ) -> StoreResult<()> {
        both!(self, s => s.enrol_device(user_id, device_id, label, token_hash, keys, now_ms).await)
    }
    pub async fn caller_by_token(&self, token_hash: &[u8]) -> StoreResult<Option<TokenLookup>> {
        both!(self, s => s.caller_by_token(token_hash).await)
    }
    /// Revokes a device for every user on it (the server's admin CLI).
    /// Returns how many enrolments.
    pub async fn revoke_device(&self, device_id: Uuid, now_ms: i64) -> StoreResult<u64> {
        let out = both!(self, s => s.revoke_device(device_id, None, now_ms).await)?;
        self.mark_rotations().await?;
        Ok(out)
    }
    /// An admin revokes a device enrolled in their organisation.
    pub async fn revoke_org_device(
        &self,
        caller: &Caller,
        device_id: Uuid,
        now_ms: i64,
    ) -> StoreResult<u64> {
        admin_only(caller, "revoke a device")?;
        let org = Some(caller.org_id);
        let out = both!(self, s => s.revoke_device(device_id, org, now_ms).await)?;
        self.mark_rotations().await?;
        Ok(out)
    }
    /// Every enrolled device, or one person's (the server's admin CLI).
    pub async fn list_devices(&self, user: Option<&str>) -> StoreResult<Vec<DeviceSummary>> {
        both!(self, s => s.list_devices(user, None).await)
    }
    /// An admin lists their organisation's enrolled devices.
    pub async fn org_devices(&self, caller: &Caller) -> StoreResult<Vec<DeviceSummary>> {
        admin_only(caller, "list the organisation's devices")?;
        let org = Some(caller.org_id);
        both!(self, s => s.list_devices(None, org).await)
    }
    pub async fn share_case(&self, case: Uuid, user: &str, share: bool) -> StoreResult<()> {
        both!(self, s => s.share_case(case, user, share).await)?;
        self.mark_rotations().await?;
        Ok(())
    }
    pub async fn set_keyworker(&self, case: Uuid, user: &str) -> StoreResult<()> {
        both!(self, s => s.set_keyworker(case, user).await)?;
        self.mark_rotations().await?;
        Ok(())
    }
    /// A device's share, unshare or reassignment (`rules::access_change_verdict`
    /// says who may); who holds the case after it. A case someone left takes
    /// a new key at its members' next sync.
    pub async fn change_access(
        &self,
        caller: &Caller,
        case: Uuid,
        change: AccessChange,
        user: &str,
        now_ms: i64,
    ) -> StoreResult<CaseAccess> {
        both!(self, s => s.change_access(caller, case, change, user, now_ms).await)?;
        self.mark_rotations().await?;
        both!(self, s => s.case_access(caller, case).await)
    }
    /// Who holds a case (anyone who may read it, or an admin).
    pub async fn case_access(&self, caller: &Caller, case: Uuid) -> StoreResult<CaseAccess> {
        both!(self, s => s.case_access(caller, case).await)
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
        let mut pages = both!(self, s => s.pull(caller, cursors, limit).await)?;
        let erased: std::collections::HashSet<Uuid> =
            both!(self, s => s.erased_logs(caller.org_id).await)?
                .into_iter()
                .collect();
        pages.erased = cursors
            .iter()
            .map(|c| c.log_id)
            .filter(|l| erased.contains(l))
            .collect();
        // A cursor for a case that exists but the caller may not read: it
        // was withdrawn from them (a cursor names only what a device held).
        let unreadable: Vec<Uuid> = cursors
            .iter()
            .map(|c| c.log_id)
            .filter(|l| *l != ORG_LOG && !pages.readable.contains(l) && !erased.contains(l))
            .collect();
        if !unreadable.is_empty() {
            pages.withdrawn = both!(self, s => s.existing_logs(caller.org_id, unreadable).await)?;
            pages.withdrawn.sort();
        }
        Ok(pages)
    }
    /// The server operator's `admin erase-case`: erases at once, for good
    /// (crypto-shredding: its changes, attachment contents, sealed keys,
    /// shares and read positions go, in one transaction). The break-glass
    /// path: a device's request takes the organisation's rule instead.
    /// `org` names the organisation (needed only when two hold a case with
    /// this id). The reason is sealed here to the organisation's recovery
    /// key, so the store keeps it only sealed.
    pub async fn erase_case(
        &self,
        case: Uuid,
        org: Option<&str>,
        reason: &str,
        now_ms: i64,
    ) -> StoreResult<i64> {
        let reason = Zeroizing::new(check_reason(reason)?.to_owned());
        let seal = move |recovery: Option<Vec<u8>>, org: Uuid| -> StoreResult<Vec<u8>> {
            let key: [u8; 32] = recovery
                .and_then(|k| k.try_into().ok())
                .ok_or_else(|| {
                    StoreError::Invalid(
                        "reason: the organisation has no recovery key to seal it to (an admin makes it first: waymark recovery-key create)"
                            .into(),
                    )
                })?;
            waymark_crypto::seal_erasure_reason(
                &waymark_crypto::UserPublic(key),
                org,
                case,
                &reason,
            )
            .map_err(|e| StoreError::Backend(e.to_string()))
        };
        both!(self, s => s.erase_case(case, org, seal, now_ms).await)?;
        Ok(now_ms)
    }
    /// A supervisor or an admin asks for a case's erasure, or confirms
    /// another's (`rules::erase_step`); the erasure, when the rule is met,
    /// happens in the same transaction.
    pub async fn request_erasure(
        &self,
        caller: &Caller,
        case: Uuid,
        reason_sealed: Vec<u8>,
        now_ms: i64,
    ) -> StoreResult<Erasure> {
        supervisor_or_admin(caller, "erase a case")?;
        if reason_sealed.is_empty() || reason_sealed.len() > 4096 {
            return Err(StoreError::Invalid(
                "reason_sealed: the reason, sealed to the organisation's recovery key (at most 4 KiB)"
                    .into(),
            ));
        }
        both!(self, s => s.request_erasure(caller, case, reason_sealed, now_ms).await)
    }
    /// Withdraws a waiting erasure (a supervisor or an admin who may read
    /// the case).
    pub async fn cancel_erasure(&self, caller: &Caller, case: Uuid) -> StoreResult<()> {
        supervisor_or_admin(caller, "cancel an erasure")?;
        both!(self, s => s.cancel_erasure(caller, case).await)
    }
    /// The organisation's rule, and the erasures waiting on cases the
    /// caller may read.
    pub async fn erasures(&self, caller: &Caller) -> StoreResult<ErasuresResponse> {
        supervisor_or_admin(caller, "see the erasures waiting")?;
        both!(self, s => s.erasures(caller).await)
    }
    /// Runs the grace-period erasures whose time is up; drops second-person
    /// requests nobody confirmed in time. (The server runs it every minute.)
    pub async fn run_due_erasures(&self, now_ms: i64) -> StoreResult<u64> {
        both!(self, s => s.run_due_erasures(now_ms).await)
    }
    pub async fn set_erasure_rule(
        &self,
        org: &str,
        rule: ErasureRule,
        hours: u32,
    ) -> StoreResult<()> {
        if !(1..=24 * 30).contains(&hours) {
            return Err(StoreError::Invalid(format!(
                "--hours: from 1 to 720, not {hours}"
            )));
        }
        both!(self, s => s.set_erasure_rule(org, rule, hours).await)
    }
    /// Stores one chunk of a blob in a log the caller may write.
    pub async fn blob_put(
        &self,
        caller: &Caller,
        log: Uuid,
        blob: Uuid,
        offset: u64,
        size: u64,
        data: Vec<u8>,
    ) -> StoreResult<BlobStatus> {
        both!(self, s => s.blob_put(caller, log, blob, offset, size, data).await)
    }
    pub async fn blob_status(
        &self,
        caller: &Caller,
        log: Uuid,
        blob: Uuid,
    ) -> StoreResult<BlobStatus> {
        both!(self, s => s.blob_status(caller, log, blob).await)
    }
    /// The chunk of a complete blob that starts at `offset`.
    pub async fn blob_chunk(
        &self,
        caller: &Caller,
        log: Uuid,
        blob: Uuid,
        offset: u64,
    ) -> StoreResult<(BlobStatus, Vec<u8>)> {
        both!(self, s => s.blob_chunk(caller, log, blob, offset).await)
    }
    /// Remembers how far the caller's device has read each log (from the
    /// cursors of a pull); writes only positions that moved on.
    pub async fn record_positions(&self, caller: &Caller, cursors: &[Cursor]) -> StoreResult<()> {
        both!(self, s => s.record_positions(caller, cursors).await)
    }
    /// Recipients of the caller's cases (member devices, the recovery key)
    /// that lack the current case key, by case after `after`.
    pub async fn keys_needed(
        &self,
        caller: &Caller,
        after: Option<Uuid>,
    ) -> StoreResult<(Vec<KeyNeeded>, Option<Uuid>)> {
        let rows = both!(self, s => s.keys_needed(caller, after.unwrap_or(ORG_LOG), MAX_NEEDS_PAGE).await)?;
        Ok(page_needs(rows, MAX_NEEDS_PAGE))
    }
    /// Stores sealed keys, all or none: each for a case the caller may
    /// access, at its current epoch, to a current member's device key or the
    /// recovery key. Returns how many were new.
    pub async fn store_keys(
        &self,
        caller: &Caller,
        keys: Vec<SealedKey>,
        rotation: bool,
        now_ms: i64,
    ) -> StoreResult<u64> {
        for key in &keys {
            check_sealed_key(key)?;
        }
        both!(self, s => s.store_keys(caller, keys, rotation, now_ms).await)
    }
    /// Registers the organisation's recovery public key with the signature
    /// vouching for it (an admin, once).
    pub async fn set_recovery_key(
        &self,
        caller: &Caller,
        request: RecoveryKeyRequest,
    ) -> StoreResult<()> {
        admin_only(caller, "set the recovery key")?;
        check_len("public_key", &request.public_key, 32)?;
        check_len("signer_key", &request.signer_key, 32)?;
        check_len("signature", &request.signature, 64)?;
        both!(self, s => s.set_recovery_key(caller.org_id, request).await)
    }
    /// Registers the organisation's signing key (an admin, once; the same
    /// key again is a no-op) with that admin's own certificate signed by it.
    pub async fn set_org_key(
        &self,
        caller: &Caller,
        request: OrgKeyRequest,
        now_ms: i64,
    ) -> StoreResult<()> {
        admin_only(caller, "set the organisation's signing key")?;
        check_len("public_key", &request.public_key, 32)?;
        check_certificate(&request.certificate)?;
        let own = &request.certificate;
        if own.user_id != caller.user_id
            || own.role != Role::Admin
            || own.signer_key != request.public_key
        {
            return Err(StoreError::Invalid(
                "certificate: must certify the registering admin, signed by the new key".into(),
            ));
        }
        both!(self, s => s.set_org_key(caller.org_id, request, now_ms).await)
    }
    /// Stores an admin's certificate of a person's identity.
    pub async fn add_certificate(
        &self,
        caller: &Caller,
        cert: Certificate,
        now_ms: i64,
    ) -> StoreResult<()> {
        admin_only(caller, "certify a person")?;
        check_certificate(&cert)?;
        both!(self, s => s.add_certificate(caller.org_id, cert, now_ms).await)
    }
    /// The organisation's key, certificates and recovery key, as stored.
    pub async fn trust(&self, caller: &Caller) -> StoreResult<TrustResponse> {
        both!(self, s => s.trust(caller.org_id).await)
    }
    /// What an admin reseals with the recovery key for a person.
    pub async fn recovery_needed(
        &self,
        caller: &Caller,
        user: &str,
    ) -> StoreResult<Vec<RecoveryNeed>> {
        admin_only(caller, "recover a person's access")?;
        both!(self, s => s.recovery_needed(caller.org_id, user).await)
    }
    /// Stores keys an admin resealed for a person's devices: each to a usable
    /// device of theirs, for a case they may read, at its current epoch.
    pub async fn store_recovery_keys(
        &self,
        caller: &Caller,
        user: &str,
        keys: Vec<SealedKey>,
        now_ms: i64,
    ) -> StoreResult<u64> {
        admin_only(caller, "recover a person's access")?;
        for key in &keys {
            check_sealed_key(key)?;
        }
        both!(self, s => s.store_recovery_keys(caller, user, keys, now_ms).await)
    }
    /// Marks every case whose current key was sealed to a recipient that is
    /// no longer a member's device (or the recovery key) for rotation.
    pub async fn mark_rotations(&self) -> StoreResult<u64> {
        both!(self, s => s.mark_rotations().await)
    }
    /// The case keys sealed to the caller's device key, after `after`, for
    /// cases the caller may still read.
    pub async fn my_keys(
        &self,
        caller: &Caller,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<MyKey>> {
        both!(self, s => s.my_keys(caller, after, limit).await)
    }
    /// The horizons of the logs the caller may read, among `logs`.
    pub async fn horizons(&self, caller: &Caller, logs: &[Uuid]) -> StoreResult<Vec<Horizon>> {
        both!(self, s => s.horizons(caller, logs).await)
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Why a case is erased, as the admin command takes it.
fn check_reason(reason: &str) -> StoreResult<&str> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::Invalid(
            "reason: say why the case is erased".into(),
        ));
    }
    if reason.chars().count() > 500 {
        return Err(StoreError::Invalid("reason: at most 500 characters".into()));
    }
    Ok(reason)
}

fn supervisor_or_admin(caller: &Caller, what: &str) -> StoreResult<()> {
    match caller.role {
        Role::Supervisor | Role::Admin => Ok(()),
        _ => Err(StoreError::Forbidden {
            code: ErrorCode::NoAccess,
            message: format!("only a supervisor or an admin may {what}"),
        }),
    }
}
