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
use waymark_protocol::{
    Accepted, BlobStatus, Certificate, Cursor, Envelope, ErrorCode, Horizon, KeyNeeded, LogPage,
    MyKey, OrgKeyRequest, RecoveryKeyRequest, RecoveryNeed, Role, SealedKey, TrustResponse,
    ORG_LOG,
};

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
    /// A change stamped too far ahead of the server's clock.
    #[error("{0}")]
    ClockAhead(String),
    #[error("store error: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The keys a person's device registers at login: their X25519 key, and
/// their identity key with its signature over it.
#[derive(Clone, Copy, Debug, Default)]
pub struct DeviceKeys<'a> {
    pub public_key: Option<&'a [u8]>,
    pub identity_key: Option<&'a [u8]>,
    pub key_signature: Option<&'a [u8]>,
}

/// A device keeps its person's keys for life: case keys sealed to it must
/// stay openable, and a swapped key (or identity) would divert future ones.
pub(crate) fn check_keys_unchanged(
    registered: (Option<&[u8]>, Option<&[u8]>),
    offered: &DeviceKeys,
) -> StoreResult<()> {
    let swapped = |field: &str| {
        Err(StoreError::Conflict(format!(
            "{field}: this device already registered another key for this person; enrol it again as a new device"
        )))
    };
    match (registered, offered.public_key, offered.identity_key) {
        ((Some(r), _), Some(o), _) if r != o => swapped("public_key"),
        ((_, Some(r)), _, Some(o)) if r != o => swapped("identity_key"),
        _ => Ok(()),
    }
}

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
    /// An admin reads every case where the organisation allows it.
    pub fn reads_all(&self) -> bool {
        self.role == Role::Admin && self.admins_see_cases
    }
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
}

/// A public key as people compare it: the first 16 hex digits of its SHA-256.
pub fn fingerprint(public_key: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(&sha2::Sha256::digest(public_key)[..8])
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
        || (caller.reads_team() && caller.team_id.is_some() && log.team_id == caller.team_id)
        || caller.reads_all()
}

/// A log as the store holds it: its head seq and tip.
#[derive(Clone, Debug, PartialEq)]
pub struct LogState {
    pub log_id: Uuid,
    pub head: i64,
    pub tip: String,
}

/// What a pull reads of one log.
#[derive(Clone, Debug, PartialEq)]
pub struct Planned {
    pub log: LogState,
    /// Read changes after this seq.
    pub after: i64,
    /// The tip the caller holds at `after`, to check before reading on.
    pub verify: Option<String>,
    /// The caller's cursor is not in this log's history: read from the start.
    pub reset: bool,
}

/// Which logs a pull reads, from where, in log order: every readable log the
/// caller is behind on, and every log whose history no longer holds the
/// caller's cursor (beyond the head, or another tip at the head).
pub fn plan_pull(readable: &[LogState], cursors: &[Cursor]) -> Vec<Planned> {
    let known: std::collections::HashMap<Uuid, &Cursor> =
        cursors.iter().map(|c| (c.log_id, c)).collect();
    let from_start = |log: &LogState, reset: bool| Planned {
        log: log.clone(),
        after: 0,
        verify: None,
        reset,
    };
    let mut plan: Vec<Planned> = readable
        .iter()
        .filter_map(|log| match known.get(&log.log_id) {
            None => (log.head > 0).then(|| from_start(log, false)),
            Some(c) if c.after <= 0 => (log.head > 0).then(|| from_start(log, false)),
            Some(c) if c.after > log.head => Some(from_start(log, true)),
            Some(c) if c.after == log.head => (c.tip != log.tip).then(|| from_start(log, true)),
            Some(c) => Some(Planned {
                log: log.clone(),
                after: c.after,
                verify: Some(c.tip.clone()),
                reset: false,
            }),
        })
        .collect();
    plan.sort_unstable_by_key(|p| p.log.log_id);
    plan
}

/// The answer to a pull, before the server adds its clock.
#[derive(Debug, Default)]
pub struct PullPages {
    pub logs: Vec<LogPage>,
    pub remaining: u64,
    /// Cases among the cursors that were erased.
    pub erased: Vec<Uuid>,
}

/// Reads one log for a pull: changes with `after < seq <= head`, at most
/// `n`. With `verify`, first checks the change at `after` has that tip, and
/// returns `None` if not (the caller's history is not this log's).
#[allow(async_fn_in_trait)] // used with static dispatch only
pub trait LogReader {
    type Error;
    async fn read(
        &mut self,
        log: Uuid,
        after: i64,
        head: i64,
        n: usize,
        verify: Option<&str>,
    ) -> Result<Option<Vec<waymark_protocol::Logged>>, Self::Error>;
}

/// What a reader hands back: the rows it read (from `after` itself when it
/// must verify), each with its tip. With `verify`, the first row must be the
/// change at `after` with that tip, else `None` (the caller's history is not
/// this log's); it is not returned.
pub fn verified(
    mut rows: Vec<(waymark_protocol::Logged, String)>,
    after: i64,
    verify: Option<&str>,
) -> Option<Vec<waymark_protocol::Logged>> {
    if let Some(tip) = verify {
        match rows.first() {
            Some((first, first_tip)) if first.seq == after && first_tip == tip => {
                rows.remove(0);
            }
            _ => return None,
        }
    }
    Some(rows.into_iter().map(|(l, _)| l).collect())
}

/// Fills pages from a plan until `limit` changes are taken. Shared by both
/// stores.
pub async fn fill_pages<R: LogReader>(
    plan: &[Planned],
    limit: usize,
    reader: &mut R,
) -> Result<PullPages, R::Error> {
    let mut out = PullPages::default();
    let mut budget = limit;
    for p in plan {
        let page = |reset: bool, changes: Vec<waymark_protocol::Logged>| LogPage {
            log_id: p.log.log_id,
            head: p.log.head,
            tip: p.log.tip.clone(),
            reset,
            changes,
        };
        if budget == 0 {
            out.remaining += (p.log.head - p.after) as u64;
            if p.reset {
                // Always tell a device its cursor is gone, even in a full page.
                out.logs.push(page(true, Vec::new()));
            }
            continue;
        }
        let (after, reset, changes) = match reader
            .read(
                p.log.log_id,
                p.after,
                p.log.head,
                budget,
                p.verify.as_deref(),
            )
            .await?
        {
            Some(changes) => (p.after, p.reset, changes),
            None => {
                let changes = reader
                    .read(p.log.log_id, 0, p.log.head, budget, None)
                    .await?
                    .unwrap_or_default();
                (0, true, changes)
            }
        };
        budget -= changes.len();
        out.remaining += (p.log.head - after) as u64 - changes.len() as u64;
        out.logs.push(page(reset, changes));
    }
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

/// Checks one chunk of a blob upload against what the server holds.
pub fn check_blob_chunk(
    held: Option<BlobStatus>,
    offset: u64,
    size: u64,
    len: usize,
) -> StoreResult<()> {
    use waymark_protocol::{MAX_BLOB_BYTES, MAX_BLOB_CHUNK};
    if size == 0 || size > MAX_BLOB_BYTES {
        return Err(StoreError::Invalid(format!(
            "size: {size} bytes; a blob is 1 to {MAX_BLOB_BYTES} bytes"
        )));
    }
    if len == 0 || len > MAX_BLOB_CHUNK {
        return Err(StoreError::Invalid(format!(
            "chunk of {len} bytes; chunks are 1 to {MAX_BLOB_CHUNK} bytes"
        )));
    }
    let received = match held {
        Some(h) if h.size != size => {
            return Err(StoreError::Conflict(format!(
                "size: this blob is {} bytes, not {size}",
                h.size
            )))
        }
        Some(h) => h.received,
        None => 0,
    };
    if offset != received {
        return Err(StoreError::Conflict(format!(
            "offset: the server holds {received} bytes of this blob; resume at {received}"
        )));
    }
    if offset + len as u64 > size {
        return Err(StoreError::Invalid(format!(
            "chunk: {len} bytes at {offset} run past the size {size}"
        )));
    }
    Ok(())
}

/// The cursors that moved on from what the server last recorded for a device.
pub fn moved_positions(
    recorded: &std::collections::HashMap<Uuid, i64>,
    cursors: &[Cursor],
) -> Vec<(Uuid, i64)> {
    cursors
        .iter()
        .filter(|c| recorded.get(&c.log_id).is_none_or(|&seq| c.after > seq))
        .map(|c| (c.log_id, c.after))
        .collect()
}

/// The refusal of a push that names erased cases.
pub fn erased_refusal(logs: Vec<Uuid>) -> StoreError {
    StoreError::Erased {
        message: format!(
            "{} case(s) this push names were erased: nothing more can be written to them",
            logs.len()
        ),
        logs,
    }
}

/// Most "keys needed" rows one answer carries.
pub const MAX_NEEDS_PAGE: usize = 2_000;

/// Cuts a full page of needs (ordered by log) at a log boundary, so a log's
/// recipients are never split between pages; returns where to continue.
pub fn page_needs(mut rows: Vec<KeyNeeded>, max: usize) -> (Vec<KeyNeeded>, Option<Uuid>) {
    if rows.len() < max {
        return (rows, None);
    }
    rows.truncate(max);
    let last = rows.last().map(|r| r.log_id);
    if rows.first().map(|r| r.log_id) != last {
        rows.retain(|r| Some(r.log_id) != last);
    }
    let next = rows.last().map(|r| r.log_id);
    (rows, next)
}

/// Whether a sealed key's epoch fits the case's current one. A case's first
/// key (epoch 1) sets it; after that only the current epoch is taken, so a
/// device cannot seal an old key once the case has moved on (rotation).
/// Returns the epoch the case is at afterwards.
pub fn check_key_epoch(
    log_id: Uuid,
    current: u32,
    offered: u32,
    rotation: Option<bool>,
) -> StoreResult<u32> {
    // `rotation`: None for an ordinary seal; Some(whether the case awaits one).
    if let Some(needed) = rotation {
        return match needed && current > 0 && offered == current + 1 {
            true => Ok(offered),
            false => Err(StoreError::Conflict(format!(
                "epoch: case {log_id} is at key epoch {current}; a new key (epoch {offered}) is taken once, from the first device to send it"
            ))),
        };
    }
    match (current, offered) {
        (0, 1) => Ok(1),
        (0, _) => Err(StoreError::Invalid(format!(
            "epoch: case {log_id} has no key yet, so its first key is epoch 1 (not {offered})"
        ))),
        (c, o) if c == o => Ok(c),
        (c, o) => Err(StoreError::Conflict(format!(
            "epoch: case {log_id} is at key epoch {c}, not {o}"
        ))),
    }
}

/// Checks a sealed key's shape before storing it (the server cannot open
/// it, but it can refuse what no device could use).
pub fn check_sealed_key(key: &SealedKey) -> StoreResult<()> {
    if key.log_id == ORG_LOG {
        return Err(StoreError::Invalid(
            "log_id: the organisation's log has no case key".into(),
        ));
    }
    if key.recipient_key.len() != 32 {
        return Err(StoreError::Invalid(format!(
            "recipient_key: a public key is 32 bytes, not {}",
            key.recipient_key.len()
        )));
    }
    if let Some(identity) = &key.sender_identity {
        check_len("sender_identity", identity, 32)?;
    }
    if let Some(signature) = &key.signature {
        check_len("signature", signature, 64)?;
    }
    if key.sealed.is_empty() || key.sealed.len() > 256 {
        return Err(StoreError::Invalid(format!(
            "sealed: {} bytes is not a sealed case key",
            key.sealed.len()
        )));
    }
    Ok(())
}

fn check_len(field: &str, bytes: &[u8], len: usize) -> StoreResult<()> {
    match bytes.len() == len {
        true => Ok(()),
        false => Err(StoreError::Invalid(format!(
            "{field}: {len} bytes expected, not {}",
            bytes.len()
        ))),
    }
}

/// A certificate's shape (the server does not verify signatures: devices
/// do, and trust nothing the server says of them).
pub fn check_certificate(cert: &Certificate) -> StoreResult<()> {
    check_len("certificate.identity_key", &cert.identity_key, 32)?;
    check_len("certificate.signer_key", &cert.signer_key, 32)?;
    check_len("certificate.signature", &cert.signature, 64)
}

/// What a certificate is checked against (?1 org, ?2 person, ?3 identity,
/// ?4 signer): the person's role and name (no row: not an active person of
/// the organisation), whether the identity is one their devices registered,
/// and whether the signer is the organisation's key or a certified admin.
pub const CERTIFY_CHECK_SQL: &str = "SELECT u.role, u.name,
       EXISTS (SELECT 1 FROM devices d WHERE d.user_id = u.id AND d.identity_key = ?3),
       EXISTS (SELECT 1 FROM orgs o WHERE o.id = ?1 AND o.signing_key = ?4)
         OR EXISTS (SELECT 1 FROM certificates c WHERE c.org_id = ?1 AND c.identity_key = ?4 AND c.role = 'admin')
     FROM users u WHERE u.id = ?2 AND u.org_id = ?1 AND u.disabled_at IS NULL";

/// A row of `CERTIFY_CHECK_SQL`.
pub struct CertifyFound {
    pub role: String,
    pub name: String,
    pub registered: bool,
    pub signer_ok: bool,
}

/// Refuses a certificate the checks of `CERTIFY_CHECK_SQL` fail, by name.
pub fn certify_verdict(cert: &Certificate, found: Option<CertifyFound>) -> StoreResult<()> {
    let Some(CertifyFound {
        role,
        name,
        registered,
        signer_ok,
    }) = found
    else {
        return Err(StoreError::NotFound(format!(
            "certificate.user_id: no active person {} in your organisation",
            cert.user_id
        )));
    };
    if name != cert.user_name {
        return Err(StoreError::Invalid(
            "certificate.user_name: not the name of the person it certifies".into(),
        ));
    }
    if role != cert.role.as_str() {
        return Err(StoreError::Invalid(format!(
            "certificate.role: the person is a {role}, not a {}",
            cert.role.as_str()
        )));
    }
    if !registered {
        return Err(StoreError::Invalid(
            "certificate.identity_key: not an identity one of the person's devices registered"
                .into(),
        ));
    }
    if !signer_ok {
        return Err(StoreError::Invalid(
            "certificate.signer_key: neither the organisation's signing key nor a certified admin's identity"
                .into(),
        ));
    }
    Ok(())
}

/// Certificates as relayed (?1 org), with the name each binds.
pub const RELAY_CERTIFICATES_SQL: &str =
    "SELECT c.user_id, c.role, c.identity_key, c.signer_key, c.signature, u.name
     FROM certificates c JOIN users u ON u.id = c.user_id
     WHERE c.org_id = ?1 ORDER BY c.created_at, c.identity_key";

/// Stores a certificate (?1 org .. ?7 now): one per identity, the newest.
pub const INSERT_CERTIFICATE_SQL: &str =
    "INSERT INTO certificates (org_id, identity_key, user_id, role, signer_key, signature, created_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
     ON CONFLICT (org_id, identity_key) DO UPDATE SET user_id = excluded.user_id, role = excluded.role,
         signer_key = excluded.signer_key, signature = excluded.signature, created_at = excluded.created_at";

fn org_key_taken() -> StoreError {
    StoreError::Conflict("public_key: the organisation already has another signing key".into())
}

/// Stores a sealed key (?1 org, ?2 case, ?3 epoch, ?4 recipient, ?5 sealed,
/// ?6 sealing device, ?7 now, ?8 sender identity, ?9 its signature).
pub const INSERT_SEALED_KEY_SQL: &str =
    "INSERT INTO sealed_keys (org_id, log_id, epoch, recipient_key, sealed, sealed_by_device, created_at, sender_identity, signature)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING";

/// Case keys sealed to the recovery key that a person's usable devices lack
/// (both stores; ?1 org, ?2 the person; PostgreSQL writes `$`).
pub const RECOVERY_NEEDED_SQL: &str =
    "SELECT l.log_id, l.key_epoch, k.sealed, d.public_key, d.identity_key, d.key_signature
     FROM logs l JOIN orgs o ON o.id = l.org_id
     JOIN users u ON u.org_id = l.org_id AND u.id = ?2 AND u.disabled_at IS NULL
     JOIN devices d ON d.user_id = u.id AND d.revoked_at IS NULL AND d.public_key IS NOT NULL
     JOIN sealed_keys k ON k.org_id = l.org_id AND k.log_id = l.log_id AND k.epoch = l.key_epoch
                       AND k.recipient_key = o.recovery_key
     WHERE l.org_id = ?1 AND l.key_epoch > 0 AND {MEMBER}
       AND NOT EXISTS (SELECT 1 FROM sealed_keys s WHERE s.org_id = l.org_id AND s.log_id = l.log_id
                       AND s.epoch = l.key_epoch AND s.recipient_key = d.public_key)
     ORDER BY l.log_id LIMIT 5000";

/// Whether ?3 is a usable device key of person ?2 who may read case ?4 at
/// its current epoch ?5 (org ?1).
pub const RECOVERY_RECIPIENT_SQL: &str =
    "SELECT count(*) FROM logs l JOIN orgs o ON o.id = l.org_id
     JOIN users u ON u.org_id = l.org_id AND u.id = ?2 AND u.disabled_at IS NULL
     JOIN devices d ON d.user_id = u.id AND d.revoked_at IS NULL AND d.public_key = ?3
     WHERE l.org_id = ?1 AND l.log_id = ?4 AND l.key_epoch = ?5 AND {MEMBER}";

/// "The caller may read log `l`", the caller being ?1 org, ?3 user, ?4 reads
/// the team's cases, ?5 team, ?6 reads every case; ?2 is the organisation's
/// log (each store's `caller_params` gives ?1..?6).
const CALLER_LOGS_SQL: &str =
    "l.org_id = ?1 AND (l.keyworker_id = ?3 OR (?4 AND l.team_id = ?5) OR ?6
     OR l.log_id IN (SELECT log_id FROM log_shares WHERE org_id = ?1 AND user_id = ?3))";

/// The current keys that the caller's cases after ?7 lack, for each member's
/// usable device and the recovery key, at most ?8 rows.
pub const KEYS_NEEDED_SQL: &str = "SELECT log_id, key_epoch, recipient, identity_key, key_signature FROM (
     SELECT l.log_id AS log_id, l.key_epoch + l.needs_rotation AS key_epoch, d.public_key AS recipient,
            d.identity_key AS identity_key, d.key_signature AS key_signature
     FROM logs l JOIN orgs o ON o.id = l.org_id
     JOIN users u ON u.org_id = l.org_id AND u.disabled_at IS NULL
     JOIN devices d ON d.user_id = u.id AND d.revoked_at IS NULL AND d.public_key IS NOT NULL
     WHERE {CALLER_LOGS} AND l.log_id <> ?2 AND l.log_id > ?7 AND {MEMBER}
       AND NOT EXISTS (SELECT 1 FROM sealed_keys k WHERE k.org_id = l.org_id AND k.log_id = l.log_id
                       AND k.epoch = l.key_epoch + l.needs_rotation AND k.recipient_key = d.public_key)
     UNION
     SELECT l.log_id, l.key_epoch + l.needs_rotation, o.recovery_key, NULL, NULL
     FROM logs l JOIN orgs o ON o.id = l.org_id
     WHERE {CALLER_LOGS} AND l.log_id <> ?2 AND l.log_id > ?7 AND o.recovery_key IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sealed_keys k WHERE k.org_id = l.org_id AND k.log_id = l.log_id
                       AND k.epoch = l.key_epoch + l.needs_rotation AND k.recipient_key = o.recovery_key)) needs
   ORDER BY log_id LIMIT ?8";

/// Keys sealed to the calling device ?9 after ?7 for cases it may read, at
/// most ?8.
pub const MY_KEYS_SQL: &str =
    "SELECT k.id, k.log_id, k.epoch, k.sealed, k.sender_identity, k.signature FROM sealed_keys k
     JOIN logs l ON l.org_id = k.org_id AND l.log_id = k.log_id
     WHERE k.recipient_key = (SELECT public_key FROM devices WHERE id = ?9 AND user_id = ?3)
       AND k.id > ?7 AND {CALLER_LOGS} AND l.log_id <> ?2
     ORDER BY k.id LIMIT ?8";

/// Shared SQL with the caller's and the membership predicate filled in
/// (`member`: `MEMBER_SQL` as the store writes it).
pub fn caller_sql(template: &str, member: &str) -> String {
    template
        .replace("{CALLER_LOGS}", CALLER_LOGS_SQL)
        .replace("{MEMBER}", member)
}

/// Revokes device ?2 at ?1 for every person enrolled on it; with ?3, only
/// if it is enrolled in organisation ?3. (An optional parameter is compared
/// before its `IS NULL`: PostgreSQL types a parameter where it first meets it.)
pub const REVOKE_DEVICE_SQL: &str = "UPDATE devices SET revoked_at = coalesce(revoked_at, ?1)
     WHERE id = ?2 AND (user_id IN (SELECT id FROM users WHERE org_id = ?3) OR ?3 IS NULL)";

/// Enrols a device for a person (?1 device, ?2 user, ?3 label, ?4 token
/// hash, ?5 now, ?6 X25519 key, ?7 identity, ?8 its signature), or logs it in
/// again with a new token. Keys are kept once registered (checked before by
/// `check_keys_unchanged`); an identity comes with its signature.
pub const ENROL_DEVICE_SQL: &str =
    "INSERT INTO devices (id, user_id, label, token_hash, created_at, last_seen_at, public_key, identity_key, key_signature)
     VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8)
     ON CONFLICT (id, user_id) DO UPDATE SET token_hash = excluded.token_hash,
         label = excluded.label, last_seen_at = excluded.last_seen_at,
         public_key = coalesce(devices.public_key, excluded.public_key),
         key_signature = CASE WHEN devices.identity_key IS NULL THEN excluded.key_signature ELSE devices.key_signature END,
         identity_key = coalesce(devices.identity_key, excluded.identity_key)";

/// Enrolled devices, of person ?1 and organisation ?2 where given.
pub const LIST_DEVICES_SQL: &str =
    "SELECT d.id, u.name, d.label, d.created_at, d.last_seen_at, d.revoked_at IS NOT NULL,
            d.public_key, u.org_id, d.identity_key, d.key_signature, u.id, u.role
     FROM devices d JOIN users u ON u.id = d.user_id
     WHERE (u.name = ?1 OR ?1 IS NULL) AND (u.org_id = ?2 OR ?2 IS NULL)
     ORDER BY u.name, d.created_at";

fn no_such_device(device_id: Uuid, org: Option<Uuid>) -> StoreError {
    StoreError::NotFound(match org {
        Some(_) => format!("device: no device {device_id} in your organisation"),
        None => format!("device: no device {device_id} has logged in"),
    })
}

fn admin_only(caller: &Caller, what: &str) -> StoreResult<()> {
    match caller.role {
        Role::Admin => Ok(()),
        _ => Err(StoreError::Forbidden {
            code: ErrorCode::NoAccess,
            message: format!("only an admin may {what}"),
        }),
    }
}

/// The SQL of `mark_rotations` (both stores): cases whose current key went
/// to a recipient that is neither a member's usable device nor the recovery
/// key any more.
pub const MARK_ROTATIONS_SQL: &str = "UPDATE logs AS l SET needs_rotation = 1
     WHERE l.key_epoch > 0 AND l.needs_rotation = 0 AND EXISTS (
       SELECT 1 FROM sealed_keys k JOIN orgs r ON r.id = k.org_id
       WHERE k.org_id = l.org_id AND k.log_id = l.log_id AND k.epoch = l.key_epoch
         AND (r.recovery_key IS NULL OR k.recipient_key <> r.recovery_key)
         AND NOT EXISTS (
           SELECT 1 FROM devices d JOIN users u ON u.id = d.user_id JOIN orgs o ON o.id = u.org_id
           WHERE u.org_id = l.org_id AND d.public_key = k.recipient_key
             AND d.revoked_at IS NULL AND u.disabled_at IS NULL AND {MEMBER}))";

/// The SQL condition "user `u` may read log `l`" (with org `o`), the access
/// rule of `may_access` as the horizon queries need it.
pub const MEMBER_SQL: &str = "(l.log_id = '00000000-0000-0000-0000-000000000000'
     OR u.id = l.keyworker_id
     OR (u.role = 'supervisor' AND u.team_id IS NOT NULL AND u.team_id = l.team_id)
     OR (u.role = 'admin' AND o.admins_see_cases)
     OR EXISTS (SELECT 1 FROM log_shares s WHERE s.org_id = l.org_id AND s.log_id = l.log_id AND s.user_id = u.id))";

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
        both!(self, s => s.set_user_disabled(user, disabled).await)?;
        self.mark_rotations().await?;
        Ok(())
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
        Ok(pages)
    }
    /// Erases a case for good (crypto-shredding): its changes, attachment
    /// contents, sealed keys, shares and read positions go, in one
    /// transaction; a row records when, by whom and why. `by` is the
    /// supervisor or admin who asked (None: the admin command).
    pub async fn erase_case(
        &self,
        case: Uuid,
        by: Option<&Caller>,
        reason: &str,
        now_ms: i64,
    ) -> StoreResult<i64> {
        if reason.trim().is_empty() {
            return Err(StoreError::Invalid(
                "reason: say why the case is erased".into(),
            ));
        }
        if reason.chars().count() > 500 {
            return Err(StoreError::Invalid("reason: at most 500 characters".into()));
        }
        if let Some(caller) = by {
            if !matches!(caller.role, Role::Supervisor | Role::Admin) {
                return Err(StoreError::Forbidden {
                    code: ErrorCode::NoAccess,
                    message: "only a supervisor or an admin may erase a case".into(),
                });
            }
        }
        both!(self, s => s.erase_case(case, by, reason.trim(), now_ms).await)?;
        Ok(now_ms)
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

    struct Fake(std::collections::BTreeMap<Uuid, Vec<(i64, String)>>);
    impl LogReader for Fake {
        type Error = ();
        async fn read(
            &mut self,
            log: Uuid,
            after: i64,
            head: i64,
            n: usize,
            verify: Option<&str>,
        ) -> Result<Option<Vec<waymark_protocol::Logged>>, ()> {
            let entries = &self.0[&log];
            if let Some(tip) = verify {
                if entries[(after - 1) as usize].1 != tip {
                    return Ok(None);
                }
            }
            Ok(Some(
                entries[after as usize..head as usize]
                    .iter()
                    .take(n)
                    .map(|(seq, _)| waymark_protocol::Logged {
                        seq: *seq,
                        change_id: Uuid::nil(),
                        received_ms: 0,
                        body: vec![1],
                    })
                    .collect(),
            ))
        }
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    fn log(id: u128, n: i64) -> (LogState, Vec<(i64, String)>) {
        let mut tip = waymark_protocol::GENESIS_TIP.to_owned();
        let entries: Vec<(i64, String)> = (1..=n)
            .map(|seq| {
                tip = waymark_protocol::next_tip(&tip, Uuid::from_u128(id * 1000 + seq as u128));
                (seq, tip.clone())
            })
            .collect();
        let state = LogState {
            log_id: Uuid::from_u128(id),
            head: n,
            tip: tip.clone(),
        };
        (state, entries)
    }

    #[test]
    fn pull_plan_and_pages() {
        let (a, a_entries) = log(1, 10);
        let (b, b_entries) = log(2, 3);
        let (c, c_entries) = log(3, 5);
        let cursor = |l: &LogState, after: i64, tip: &str| Cursor {
            log_id: l.log_id,
            after,
            tip: tip.to_owned(),
        };
        let plan = plan_pull(
            &[c.clone(), a.clone(), b.clone()],
            &[cursor(&a, 10, &a.tip), cursor(&c, 2, &c_entries[1].1)],
        );
        // a is up to date; b is new to the caller; c continues after 2.
        assert_eq!(
            plan.iter()
                .map(|p| (p.log.log_id, p.after, p.reset))
                .collect::<Vec<_>>(),
            vec![(b.log_id, 0, false), (c.log_id, 2, false)]
        );
        let mut reader = Fake(
            [
                (a.log_id, a_entries.clone()),
                (b.log_id, b_entries),
                (c.log_id, c_entries.clone()),
            ]
            .into(),
        );
        let pages = block_on(fill_pages(&plan, 4, &mut reader)).unwrap();
        assert_eq!(pages.logs[0].changes.len(), 3);
        assert_eq!(
            pages.logs[1]
                .changes
                .iter()
                .map(|c| c.seq)
                .collect::<Vec<_>>(),
            vec![3]
        );
        assert_eq!(pages.remaining, 2);

        // Restored from an older backup: a cursor beyond the head, one at the
        // head with another tip, and one whose tip at `after` differs, are
        // all answered from seq 1 with `reset`.
        let plan = plan_pull(
            &[a.clone(), c.clone()],
            &[cursor(&a, 12, "whatever"), cursor(&c, 5, "not c's tip")],
        );
        assert!(plan.iter().all(|p| p.reset && p.after == 0));
        let plan = plan_pull(
            std::slice::from_ref(&a),
            &[cursor(&a, 4, "not a's tip at 4")],
        );
        let pages = block_on(fill_pages(&plan, 100, &mut reader)).unwrap();
        assert!(pages.logs[0].reset);
        assert_eq!(pages.logs[0].changes.len(), 10);
        // Even a full page reports a reset.
        let plan = plan_pull(std::slice::from_ref(&a), &[cursor(&a, 12, "x")]);
        let pages = block_on(fill_pages(&plan, 0, &mut reader)).unwrap();
        assert!(pages.logs[0].reset && pages.remaining == 10);
    }
}
