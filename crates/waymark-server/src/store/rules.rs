//! The rules both stores keep, as pure functions: who may read a log, what
//! a pull reads and how it pages, what a push, a chunk, a sealed key or a
//! certificate must satisfy. The stores call them; tests check them alone.

use super::*;
use waymark_protocol::{
    BlobStatus, Certificate, Cursor, Envelope, Erasure, ErasureRule, ErasureState, ErrorCode,
    KeyNeeded, LogPage, Role, SealedKey, ORG_LOG,
};

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
    pub audience: Audience,
}

/// Who a case's log is for: the case's own log (everyone who holds the
/// case), its supervision log (`waymark_protocol::supervision_log`: the
/// keyworker and the team's supervisors only), or its allocation log
/// (`waymark_protocol::allocation_log`: everyone who holds the case, and
/// the volunteers it is allocated to, who are shared that log alone).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Audience {
    #[default]
    Case,
    Supervision,
    Allocation,
}

impl Audience {
    /// As a store keeps it (anything else is the case's own log).
    pub fn from_stored(text: &str) -> Audience {
        match text {
            "supervision" => Audience::Supervision,
            "allocation" => Audience::Allocation,
            _ => Audience::Case,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Case => "case",
            Audience::Supervision => "supervision",
            Audience::Allocation => "allocation",
        }
    }

    /// The companion log of `case` this audience reads (none for the case's
    /// own log).
    pub fn companion_log(self, case: Uuid) -> Option<Uuid> {
        match self {
            Audience::Case => None,
            Audience::Supervision => Some(waymark_protocol::supervision_log(case)),
            Audience::Allocation => Some(waymark_protocol::allocation_log(case)),
        }
    }
}

/// The access rule, in one place. A log's members: everyone in the
/// organisation for its own log; for a case, its keyworker, the workers it is
/// shared with, the supervisors of its team, managers, and admins when the
/// organisation lets them; for a case's supervision log, its keyworker and
/// the supervisors of its team only; for its allocation log, whoever holds
/// the case and the volunteers it is allocated to. `shared_with_caller`:
/// the log, or the case an allocation log is of, is shared with them (a
/// volunteer is shared only the allocation log). The stores' SQL for
/// "which logs may I read" mirrors this; the access-matrix test checks the
/// two agree.
pub fn may_access(caller: &Caller, log: &LogOwner, shared_with_caller: bool) -> bool {
    log.log_id == ORG_LOG
        || log.keyworker_id == Some(caller.user_id)
        || (caller.reads_team() && caller.team_id.is_some() && log.team_id == caller.team_id)
        || (log.audience != Audience::Supervision && (shared_with_caller || caller.reads_all()))
}

/// A companion log's case and audience.
pub type Companion = (Uuid, Audience);

/// The case whose companion log a push names (`Envelope::companion_of`),
/// and which companion, checked: `None` for a case's own log; refused when
/// the log is not that case's supervision or allocation log, or two
/// changes of one log name different cases.
pub fn companion_case(log_id: Uuid, named: &[Option<Uuid>]) -> StoreResult<Option<Companion>> {
    let mut found = None;
    for named in named.iter().flatten() {
        if *named == log_id {
            continue;
        }
        let audience = [Audience::Supervision, Audience::Allocation]
            .into_iter()
            .find(|a| a.companion_log(*named) == Some(log_id))
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "companion_of: log {log_id} is not case {named}'s supervision or allocation log"
                ))
            })?;
        if found.is_some_and(|(c, _)| c != *named) {
            return Err(StoreError::Invalid(format!(
                "companion_of: changes of log {log_id} name different cases"
            )));
        }
        found = Some((*named, audience));
    }
    Ok(found)
}

/// The logs a push names, each with the case whose companion log it is
/// (`companion_case`), in the order every push takes them: cases' own logs
/// first (a companion log is made from its case), each group by id, so
/// concurrent pushes lock logs in one order. One pass over the changes.
pub fn push_logs(changes: &[Envelope]) -> StoreResult<Vec<(Uuid, Option<Companion>)>> {
    let mut named: std::collections::BTreeMap<Uuid, Vec<Option<Uuid>>> = Default::default();
    for c in changes {
        named.entry(c.log_id).or_default().push(c.companion_of);
    }
    let mut logs = named
        .into_iter()
        .map(|(log, named)| Ok((log, companion_case(log, &named)?)))
        .collect::<StoreResult<Vec<_>>>()?;
    logs.sort_by_key(|&(log, companion)| (companion.is_some(), log));
    Ok(logs)
}

/// A companion log already held must be the one a push names: its case's
/// of that audience (a log made earlier as something else is never turned
/// into one).
pub fn check_companion(
    log_id: Uuid,
    named: Option<Companion>,
    held: (Audience, Option<Uuid>),
) -> StoreResult<()> {
    match (named, held) {
        (None, _) => Ok(()),
        (Some((case, audience)), (held, Some(of))) if of == case && held == audience => Ok(()),
        (Some((case, audience)), _) => Err(StoreError::Conflict(format!(
            "companion_of: log {log_id} is not case {case}'s {} log",
            audience.as_str()
        ))),
    }
}

/// A volunteer keeps no log of their own: a push that would make a new
/// case (or a group's or a tally's log) is theirs to ask a worker for.
pub fn may_create_log(caller: &Caller, log_id: Uuid) -> StoreResult<()> {
    match caller.role {
        Role::Volunteer => Err(StoreError::Forbidden {
            code: ErrorCode::NoAccess,
            message: format!(
                "log {log_id}: a volunteer writes only in the cases allocated to them"
            ),
        }),
        _ => Ok(()),
    }
}

/// The volunteers among a case's shares (name, is a volunteer), by name.
pub fn volunteers_of(shares: &[(String, bool)]) -> Vec<String> {
    shares
        .iter()
        .filter(|(_, volunteer)| *volunteer)
        .map(|(name, _)| name.clone())
        .collect()
}

/// The log a share with `colleague` is recorded on: a volunteer is shared a
/// case's allocation log only, anyone else the case.
pub fn shared_log(case: Uuid, colleague_role: Role) -> Uuid {
    match colleague_role {
        Role::Volunteer => waymark_protocol::allocation_log(case),
        _ => case,
    }
}

/// A change to who holds a case, naming the colleague it concerns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AccessChange {
    Share,
    Unshare,
    Reassign,
}

/// The colleague an access change names, as the store holds them (found in
/// the caller's organisation only).
#[derive(Clone, Debug, PartialEq)]
pub struct Colleague {
    pub user_id: Uuid,
    pub name: String,
    pub role: Role,
    pub team_id: Option<Uuid>,
    pub disabled: bool,
    /// The case is shared with them now.
    pub shared: bool,
}

/// Whether `caller` may make `change` to a case held as `log`, for
/// `colleague`: the case's keyworker or a supervisor of its team shares
/// and unshares; only a supervisor of its team moves it to a new keyworker
/// (within that team); an admin does either. A manager changes nothing.
pub fn access_change_verdict(
    caller: &Caller,
    log: &LogOwner,
    change: AccessChange,
    colleague: &Colleague,
) -> StoreResult<()> {
    let forbidden = |message: String| {
        Err(StoreError::Forbidden {
            code: ErrorCode::NoAccess,
            message,
        })
    };
    let supervises = caller.role == Role::Supervisor
        && caller.team_id.is_some()
        && caller.team_id == log.team_id;
    let is_admin = caller.role == Role::Admin;
    let is_keyworker = log.keyworker_id == Some(caller.user_id);
    let invalid = |message: String| Err(StoreError::Invalid(format!("user: {message}")));
    let who = &colleague.name;
    match change {
        AccessChange::Share | AccessChange::Unshare
            if !(is_keyworker || supervises || is_admin) =>
        {
            return forbidden(format!(
                "only case {}'s keyworker, a supervisor of its team or an admin shares it",
                log.log_id
            ));
        }
        AccessChange::Reassign if !(supervises || is_admin) => {
            return forbidden(format!(
                "only a supervisor of case {}'s team or an admin gives it another keyworker",
                log.log_id
            ));
        }
        _ => {}
    }
    if colleague.disabled && change != AccessChange::Unshare {
        return invalid(format!("{who} is disabled"));
    }
    match change {
        AccessChange::Share if log.keyworker_id == Some(colleague.user_id) => {
            invalid(format!("{who} is the case's keyworker already"))
        }
        AccessChange::Share if colleague.role == Role::Manager => {
            invalid(format!("{who} is a manager, who reads every case already"))
        }
        AccessChange::Unshare if !colleague.shared => {
            invalid(format!("the case is not shared with {who}"))
        }
        AccessChange::Reassign if log.keyworker_id == Some(colleague.user_id) => {
            invalid(format!("{who} is the case's keyworker already"))
        }
        AccessChange::Reassign if !matches!(colleague.role, Role::Worker | Role::Supervisor) => {
            invalid(format!(
                "{who} is a{} {}, not a worker or a supervisor who keeps cases",
                if colleague.role == Role::Admin {
                    "n"
                } else {
                    ""
                },
                colleague.role.as_str()
            ))
        }
        AccessChange::Reassign if !is_admin && colleague.team_id != caller.team_id => invalid(
            format!("{who} is not in your team (an admin moves a case between teams)"),
        ),
        _ => Ok(()),
    }
}

pub(crate) fn no_case(case: Uuid) -> StoreError {
    StoreError::NotFound(format!("case: the server has no case {case}"))
}

pub(crate) fn no_colleague(name: &str) -> StoreError {
    StoreError::NotFound(format!("user: no one named {name:?} in your organisation"))
}

/// How long after losing a case a former member's device may still send
/// what it wrote there before it knew: a van can be offline for weeks.
pub const LATE_WRITE_DAYS: i64 = 30;

/// A push to a case its writer may no longer read is taken only as a late
/// write: their access was withdrawn at `withdrawn_at_ms`, less than
/// [`LATE_WRITE_DAYS`] ago, and this device held the case (it had read it).
/// Members' devices were not told, so nothing the writer wrote offline is
/// lost; a device that never held the case, or a month on, is refused.
pub fn late_write_allowed(withdrawn_at_ms: Option<i64>, device_held: bool, now_ms: i64) -> bool {
    withdrawn_at_ms.is_some_and(|at| device_held && now_ms - at < LATE_WRITE_DAYS * 86_400_000)
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
    /// Cases among the cursors that exist but the caller may no longer read.
    pub withdrawn: Vec<Uuid>,
    /// The logs the caller may read: only their read positions are kept.
    pub readable: std::collections::HashSet<Uuid>,
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

/// Fills pages from a plan until `limit` changes, or
/// [`waymark_protocol::MAX_PULL_BYTES`] of their bodies, are taken. Shared
/// by both stores.
pub async fn fill_pages<R: LogReader>(
    plan: &[Planned],
    limit: usize,
    reader: &mut R,
) -> Result<PullPages, R::Error> {
    fill_pages_within(plan, limit, waymark_protocol::MAX_PULL_BYTES, reader).await
}

/// `fill_pages` with the byte bound given: a page stops at the change that
/// would pass `max_bytes` (never before its first change, so a pull always
/// moves).
pub async fn fill_pages_within<R: LogReader>(
    plan: &[Planned],
    limit: usize,
    max_bytes: usize,
    reader: &mut R,
) -> Result<PullPages, R::Error> {
    let mut out = PullPages::default();
    let mut budget = limit;
    let mut bytes = 0usize;
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
        let mut changes = changes;
        let mut kept = 0;
        for c in &changes {
            if bytes > 0 && bytes + c.body.len() > max_bytes {
                break;
            }
            bytes += c.body.len();
            kept += 1;
        }
        if kept < changes.len() {
            changes.truncate(kept);
            budget = changes.len(); // full: the logs after wait for the next page
        }
        budget -= changes.len();
        out.remaining += (p.log.head - after) as u64 - changes.len() as u64;
        if changes.is_empty() && !reset {
            continue; // nothing of it fit: as a log after a full page
        }
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
/// The one organisation whose case `case` is, for the admin command that
/// erases it: `orgs` are (id, name) of every organisation holding a log (or
/// an erasure) with that id. Ids are only unique within an organisation, so
/// with several the command must name one; never one picked at random.
pub fn one_org_of_log<Id>(
    case: Uuid,
    orgs: Vec<(Id, String)>,
    named: Option<&str>,
) -> StoreResult<Id> {
    let mut matching: Vec<(Id, String)> = match named {
        Some(name) => orgs.into_iter().filter(|(_, n)| n == name).collect(),
        None => orgs,
    };
    matching.sort_by(|a, b| a.1.cmp(&b.1)); // names listed the same way every time
    match (matching.len(), named) {
        (1, _) => Ok(matching.remove(0).0),
        (0, Some(name)) => Err(StoreError::NotFound(format!(
            "case: organisation {name:?} has no case {case}"
        ))),
        (0, None) => Err(StoreError::NotFound(format!(
            "case: the server has no case {case}"
        ))),
        (_, _) => Err(StoreError::Invalid(format!(
            "--org: case {case} exists in more than one organisation ({}); name one",
            matching
                .iter()
                .map(|(_, n)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

pub fn erased_refusal(logs: Vec<Uuid>) -> StoreError {
    StoreError::Erased {
        message: format!(
            "{} case(s) this push names were erased: nothing more can be written to them",
            logs.len()
        ),
        logs,
    }
}

/// A push naming cases its writer lost too long ago for a late write: the
/// device sets what it wrote there aside and pushes the rest.
pub fn withdrawn_refusal(logs: Vec<Uuid>) -> StoreError {
    StoreError::Withdrawn {
        message: format!(
            "{} case(s) this push names were taken from you more than {LATE_WRITE_DAYS} days ago: \
             what you wrote there is kept on your laptop, not sent",
            logs.len()
        ),
        logs,
    }
}

/// Why a push may not write a log the caller may not read: a case they
/// lost (`withdrawn_at`) is named so their device sets its changes aside;
/// one they never held is refused outright.
pub fn late_write_refusal(log_id: Uuid, withdrawn_at_ms: Option<i64>) -> StoreError {
    match withdrawn_at_ms {
        Some(_) => withdrawn_refusal(vec![log_id]),
        None => StoreError::Forbidden {
            code: ErrorCode::NoAccess,
            message: format!("you may not write case {log_id}"),
        },
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
        // An earlier epoch's key, for a member who joined after a rotation
        // (the case's history is theirs to read as a member).
        (c, o) if (1..=c).contains(&o) => Ok(o),
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

pub(crate) fn check_len(field: &str, bytes: &[u8], len: usize) -> StoreResult<()> {
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

/// A row of `CERTIFY_CHECK_SQL`.
pub struct CertifyFound {
    pub role: String,
    pub name: String,
    pub registered: bool,
    pub signer_ok: bool,
    pub team: Option<String>,
}

/// Refuses a certificate the checks of `CERTIFY_CHECK_SQL` fail, by name.
pub fn certify_verdict(cert: &Certificate, found: Option<CertifyFound>) -> StoreResult<()> {
    let Some(CertifyFound {
        role,
        name,
        registered,
        signer_ok,
        team,
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
    if team != cert.team {
        let is = |t: &Option<String>| {
            t.as_deref()
                .map_or("no team".into(), |t| format!("team {t:?}"))
        };
        return Err(StoreError::Invalid(format!(
            "certificate.team: the person is in {}, not {}",
            is(&team),
            is(&cert.team)
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

pub(crate) fn org_key_taken() -> StoreError {
    StoreError::Conflict("public_key: the organisation already has another signing key".into())
}

pub(crate) fn no_such_device(device_id: Uuid, org: Option<Uuid>) -> StoreError {
    StoreError::NotFound(match org {
        Some(_) => format!("device: no device {device_id} in your organisation"),
        None => format!("device: no device {device_id} has logged in"),
    })
}

pub(crate) fn admin_only(caller: &Caller, what: &str) -> StoreResult<()> {
    match caller.role {
        Role::Admin => Ok(()),
        _ => Err(StoreError::Forbidden {
            code: ErrorCode::NoAccess,
            message: format!("only an admin may {what}"),
        }),
    }
}

/// An erasure request waiting (`erasure_requests`).
#[derive(Clone, Debug, PartialEq)]
pub struct WaitingErasure {
    pub requested_by: Uuid,
    pub due_at_ms: i64,
    pub reason_sealed: Vec<u8>,
    /// The rule it was asked under (a later change of rule does not
    /// change it).
    pub rule: ErasureRule,
}

/// What an erase call does, given the organisation's rule and any request
/// already waiting (which keeps the rule it was asked under).
#[derive(Clone, Debug, PartialEq)]
pub enum EraseStep {
    /// Keep a (new) request under `rule`, waiting until `due_at_ms`. A
    /// lapsed request asked anew takes the rule of now.
    Request { due_at_ms: i64, rule: ErasureRule },
    /// Erase now: a second person confirmed (`confirmed_by`), or the grace
    /// period is over (`None`); `rule` is the one it was asked under.
    Erase {
        requested_by: Uuid,
        confirmed_by: Option<Uuid>,
        rule: ErasureRule,
    },
}

impl EraseStep {
    /// The caller's answer once the step is done, the same from either
    /// store.
    pub fn answer(&self, case: Uuid, now_ms: i64) -> Erasure {
        match *self {
            EraseStep::Request { due_at_ms, rule } => Erasure {
                log_id: case,
                state: ErasureState::Requested,
                rule,
                due_at_ms: Some(due_at_ms),
                erased_at_ms: None,
            },
            EraseStep::Erase { rule, .. } => Erasure {
                log_id: case,
                state: ErasureState::Erased,
                rule,
                due_at_ms: None,
                erased_at_ms: Some(now_ms),
            },
        }
    }
}

/// The two-person rule, in one place. Under `second-person` the one who
/// asked can never be the one who confirms, and a request not confirmed in
/// time lapses (asking again starts anew). Under `grace` a request runs
/// when its time is up; asking again meanwhile changes nothing.
pub fn erase_step(
    rule: ErasureRule,
    hours: u32,
    waiting: Option<&WaitingErasure>,
    caller: Uuid,
    now_ms: i64,
) -> StoreResult<EraseStep> {
    let due_at_ms = now_ms + i64::from(hours) * 3_600_000;
    let anew = EraseStep::Request { due_at_ms, rule };
    match (waiting.map_or(rule, |w| w.rule), waiting) {
        (_, None) => Ok(anew),
        (ErasureRule::SecondPerson, Some(w)) if w.due_at_ms <= now_ms => Ok(anew),
        (ErasureRule::SecondPerson, Some(w)) if w.requested_by == caller => {
            Err(StoreError::Conflict(
                "case: you asked for this erasure; another supervisor or admin must confirm it"
                    .into(),
            ))
        }
        (ErasureRule::SecondPerson, Some(w)) => Ok(EraseStep::Erase {
            requested_by: w.requested_by,
            confirmed_by: Some(caller),
            rule: w.rule,
        }),
        (ErasureRule::Grace, Some(w)) if w.due_at_ms <= now_ms => Ok(EraseStep::Erase {
            requested_by: w.requested_by,
            confirmed_by: None,
            rule: w.rule,
        }),
        (ErasureRule::Grace, Some(_)) => Err(StoreError::Conflict(
            "case: its erasure is already asked for; it runs when its time is up unless cancelled"
                .into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_erase_by_id_alone_never_picks_one_of_two_organisations() {
        let case = Uuid::new_v4();
        let two = || vec![(1, "North".to_owned()), (2, "South".to_owned())];
        let reversed = vec![(2, "South".to_owned()), (1, "North".to_owned())];
        let e = one_org_of_log(case, reversed, None).unwrap_err();
        assert!(
            e.to_string()
                .contains("more than one organisation (North, South)"),
            "{e}"
        );
        assert_eq!(one_org_of_log(case, two(), Some("South")).unwrap(), 2);
        assert!(one_org_of_log(case, two(), Some("East")).is_err());
        assert_eq!(
            one_org_of_log(case, vec![(1, "North".into())], None).unwrap(),
            1
        );
        assert!(one_org_of_log::<i32>(case, vec![], None).is_err());
    }

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

    /// Who may change who holds a case, over every role, relation to the
    /// case and change; and what the colleague named may be.
    #[test]
    fn access_changes_by_role_and_relation() {
        let team = Some(Uuid::from_u128(5));
        let other = Some(Uuid::from_u128(6));
        let log = |keyworker: u128| LogOwner {
            log_id: Uuid::from_u128(77),
            team_id: team,
            keyworker_id: Some(Uuid::from_u128(keyworker)),
            audience: Audience::Case,
        };
        let colleague = |id: u128, role: Role, team_id: Option<Uuid>| Colleague {
            user_id: Uuid::from_u128(id),
            name: format!("c{id}"),
            role,
            team_id,
            disabled: false,
            shared: false,
        };
        let bea = colleague(3, Role::Worker, team);
        let ok = |c: &Caller, l: &LogOwner, ch, who: &Colleague| {
            access_change_verdict(c, l, ch, who).is_ok()
        };
        use AccessChange::*;
        // (caller, is keyworker (user 1) or not, change) -> allowed
        let cases = [
            (caller(Role::Worker, team, false), 1, Share, true),
            (caller(Role::Worker, team, false), 2, Share, false),
            (caller(Role::Worker, team, false), 1, Reassign, false),
            (caller(Role::Supervisor, team, false), 2, Share, true),
            (caller(Role::Supervisor, team, false), 2, Reassign, true),
            (caller(Role::Supervisor, other, false), 2, Share, false),
            (caller(Role::Supervisor, other, false), 2, Reassign, false),
            (caller(Role::Supervisor, None, false), 2, Reassign, false),
            (caller(Role::Manager, team, true), 2, Share, false),
            (caller(Role::Manager, team, true), 1, Reassign, false),
            (caller(Role::Admin, None, false), 2, Share, true),
            (caller(Role::Admin, None, false), 2, Reassign, true),
        ];
        for (c, keyworker, change, allowed) in cases {
            let verdict = access_change_verdict(&c, &log(keyworker), change, &bea);
            assert_eq!(
                verdict.is_ok(),
                allowed,
                "{:?} {keyworker} {change:?}: {verdict:?}",
                c.role
            );
            if let Err(e) = verdict {
                assert!(
                    matches!(
                        e,
                        StoreError::Forbidden {
                            code: ErrorCode::NoAccess,
                            ..
                        }
                    ),
                    "{e:?}"
                );
            }
        }
        let sup = caller(Role::Supervisor, team, false);
        let admin = caller(Role::Admin, None, false);
        // Unsharing names someone it is shared with.
        assert!(!ok(&sup, &log(2), Unshare, &bea));
        assert!(ok(
            &sup,
            &log(2),
            Unshare,
            &Colleague {
                shared: true,
                ..bea.clone()
            }
        ));
        // Nobody is shared a case they keep, nor given one they keep.
        assert!(!ok(&sup, &log(3), Share, &bea));
        assert!(!ok(&sup, &log(3), Reassign, &bea));
        // Managers read every case already; admins and managers keep none.
        assert!(!ok(
            &sup,
            &log(2),
            Share,
            &colleague(4, Role::Manager, None)
        ));
        assert!(!ok(
            &admin,
            &log(2),
            Reassign,
            &colleague(4, Role::Manager, None)
        ));
        assert!(!ok(
            &admin,
            &log(2),
            Reassign,
            &colleague(4, Role::Admin, None)
        ));
        // A supervisor keeps a case in their team; an admin moves it.
        let cal = colleague(6, Role::Worker, other);
        let e = access_change_verdict(&sup, &log(2), Reassign, &cal).unwrap_err();
        assert!(e.to_string().contains("c6 is not in your team"), "{e}");
        assert!(ok(&admin, &log(2), Reassign, &cal));
        assert!(ok(&sup, &log(2), Share, &cal), "cover from another team");
        // Nobody disabled is given a case; anyone is unshared.
        let gone = Colleague {
            disabled: true,
            shared: true,
            ..bea.clone()
        };
        assert!(!ok(&sup, &log(2), Share, &gone));
        assert!(!ok(&sup, &log(2), Reassign, &gone));
        assert!(ok(&sup, &log(2), Unshare, &gone));
    }

    /// A former member's push is taken only from a device that held the
    /// case, and only for a month after they lost it.
    #[test]
    fn late_writes_are_bounded() {
        let day = 86_400_000;
        let now = 100 * day;
        assert!(late_write_allowed(Some(now - day), true, now));
        assert!(late_write_allowed(Some(now - 29 * day), true, now));
        assert!(!late_write_allowed(Some(now - 30 * day), true, now));
        assert!(
            !late_write_allowed(Some(now - day), false, now),
            "a device that never held it"
        );
        assert!(!late_write_allowed(None, true, now), "never a member");
    }

    /// Keys are sealed at the case's epoch, or an earlier one (a member who
    /// joined after a rotation), never a later one except a rotation.
    #[test]
    fn sealed_key_epochs() {
        let log = Uuid::from_u128(77);
        assert_eq!(check_key_epoch(log, 3, 3, None).unwrap(), 3);
        assert_eq!(check_key_epoch(log, 3, 1, None).unwrap(), 1);
        assert!(check_key_epoch(log, 3, 0, None).is_err());
        assert!(check_key_epoch(log, 3, 4, None).is_err());
        assert_eq!(check_key_epoch(log, 3, 4, Some(true)).unwrap(), 4);
        assert!(check_key_epoch(log, 3, 4, Some(false)).is_err());
        assert!(check_key_epoch(log, 3, 2, Some(true)).is_err());
        assert_eq!(check_key_epoch(log, 0, 1, None).unwrap(), 1);
        assert!(check_key_epoch(log, 0, 2, None).is_err());
    }

    #[test]
    fn access_rule() {
        let team = Some(Uuid::from_u128(5));
        let other_team = Some(Uuid::from_u128(6));
        let theirs = LogOwner {
            log_id: Uuid::from_u128(77),
            team_id: team,
            keyworker_id: Some(Uuid::from_u128(2)),
            audience: Audience::Case,
        };
        let mine = LogOwner {
            keyworker_id: Some(Uuid::from_u128(1)),
            ..theirs.clone()
        };
        let org = LogOwner {
            log_id: ORG_LOG,
            team_id: None,
            keyworker_id: None,
            audience: Audience::Case,
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
        // A manager reads every case, in a team or none, and pushes nothing.
        let manager = caller(Role::Manager, None, false);
        assert!(may_access(&manager, &theirs, false));
        assert!(may_access(
            &caller(Role::Manager, other_team, false),
            &theirs,
            false
        ));
        assert!(manager.may_push().is_err());
        assert!(worker.may_push().is_ok());

        // A case's supervision log: its keyworker and its team's
        // supervisors, and no one else however they hold the case.
        let supervision = LogOwner {
            audience: Audience::Supervision,
            ..theirs.clone()
        };
        let keyworker = Caller {
            user_id: Uuid::from_u128(2),
            ..caller(Role::Worker, team, false)
        };
        assert!(may_access(&keyworker, &supervision, false));
        assert!(may_access(
            &caller(Role::Supervisor, team, false),
            &supervision,
            false
        ));
        assert!(!may_access(&worker, &supervision, true), "shared with");
        assert!(!may_access(&manager, &supervision, false), "a manager");
        assert!(!may_access(
            &caller(Role::Admin, None, true),
            &supervision,
            false
        ));
        assert!(!may_access(
            &caller(Role::Supervisor, other_team, false),
            &supervision,
            false
        ));

        // A volunteer: shared a case's allocation log alone, never the case.
        let volunteer = caller(Role::Volunteer, team, false);
        let allocation = LogOwner {
            audience: Audience::Allocation,
            ..theirs.clone()
        };
        assert!(may_access(&volunteer, &allocation, true), "allocated");
        assert!(!may_access(&volunteer, &allocation, false), "not allocated");
        assert!(!may_access(&volunteer, &theirs, false), "the case itself");
        assert!(!may_access(&volunteer, &supervision, true));
        assert!(may_create_log(&volunteer, Uuid::from_u128(9)).is_err());
        assert!(may_create_log(&worker, Uuid::from_u128(9)).is_ok());
        // Everyone who holds the case reads its allocation log too.
        assert!(may_access(&keyworker, &allocation, false));
        assert!(may_access(&worker, &allocation, true), "shared the case");
        assert!(may_access(&manager, &allocation, false));
        assert!(may_access(
            &caller(Role::Supervisor, team, false),
            &allocation,
            false
        ));
        assert!(!may_access(&worker, &allocation, false));
        assert_eq!(shared_log(theirs.log_id, Role::Worker), theirs.log_id);
        assert_eq!(
            shared_log(theirs.log_id, Role::Volunteer),
            waymark_protocol::allocation_log(theirs.log_id)
        );
    }

    #[test]
    fn a_supervision_log_is_its_cases_own() {
        let case = Uuid::from_u128(7);
        let other = Uuid::from_u128(8);
        let log = waymark_protocol::supervision_log(case);
        assert_eq!(companion_case(case, &[None, Some(case)]).unwrap(), None);
        assert_eq!(
            companion_case(log, &[Some(case), None]).unwrap(),
            Some((case, Audience::Supervision))
        );
        let allocation = waymark_protocol::allocation_log(case);
        assert_eq!(
            companion_case(allocation, &[Some(case)]).unwrap(),
            Some((case, Audience::Allocation))
        );
        assert!(
            companion_case(log, &[Some(other)]).is_err(),
            "another case's"
        );
        assert!(
            companion_case(other, &[Some(case)]).is_err(),
            "a case log named as a companion"
        );
        // A push takes the case's log before its supervision log.
        let envelope = |log_id, companion_of| Envelope {
            change_id: Uuid::new_v4(),
            log_id,
            companion_of,
            clock_ms: 0,
            body: Vec::new(),
        };
        let (first, second) = if log < case { (log, case) } else { (case, log) };
        let pushed = [
            envelope(first, (first == log).then_some(case)),
            envelope(second, (second == log).then_some(case)),
        ];
        assert_eq!(
            push_logs(&pushed).unwrap(),
            [(case, None), (log, Some((case, Audience::Supervision)))]
        );
        let supervised = Some((case, Audience::Supervision));
        assert!(check_companion(log, supervised, (Audience::Supervision, Some(case))).is_ok());
        // A log someone made first as a case of their own stays theirs: never
        // taken as the supervision log, whose notes would reach them.
        assert!(check_companion(log, supervised, (Audience::Case, None)).is_err());
        assert!(check_companion(log, supervised, (Audience::Supervision, Some(other))).is_err());
        // Nor is one audience's log taken as another's.
        let allocated = Some((case, Audience::Allocation));
        assert!(check_companion(log, allocated, (Audience::Supervision, Some(case))).is_err());
        assert!(check_companion(allocation, allocated, (Audience::Allocation, Some(case))).is_ok());
    }

    struct Fake(std::collections::BTreeMap<Uuid, Vec<(i64, String)>>, usize);
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
                        body: vec![1; self.1],
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
            1,
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

    #[test]
    fn a_pull_page_is_bounded_by_bytes_as_well_as_changes() {
        let (a, a_entries) = log(1, 10);
        let (b, b_entries) = log(2, 10);
        let plan = plan_pull(&[a.clone(), b.clone()], &[]);
        let mut reader = Fake([(a.log_id, a_entries), (b.log_id, b_entries)].into(), 100);
        // 350 bytes of 100-byte changes: three, then the page is full.
        let pages = block_on(fill_pages_within(&plan, 1000, 350, &mut reader)).unwrap();
        let taken: usize = pages.logs.iter().map(|l| l.changes.len()).sum();
        assert_eq!(taken, 3);
        assert_eq!(pages.remaining, 17);
        // A change larger than the bound still moves, alone.
        let pages = block_on(fill_pages_within(&plan, 1000, 10, &mut reader)).unwrap();
        let taken: usize = pages.logs.iter().map(|l| l.changes.len()).sum();
        assert_eq!((taken, pages.remaining), (1, 19));
    }

    #[test]
    fn an_erasure_takes_a_second_person_or_its_time() {
        use waymark_protocol::ErasureRule::{Grace, SecondPerson};
        let (sam, tova) = (Uuid::new_v4(), Uuid::new_v4());
        let now = 1_000_000;
        let waiting = |by, due, rule| WaitingErasure {
            requested_by: by,
            due_at_ms: due,
            reason_sealed: vec![1],
            rule,
        };
        for rule in [SecondPerson, Grace] {
            assert_eq!(
                erase_step(rule, 72, None, sam, now).unwrap(),
                EraseStep::Request {
                    due_at_ms: now + 72 * 3_600_000,
                    rule
                }
            );
        }
        let asked = waiting(sam, now + 10, SecondPerson);
        let graced = waiting(sam, now + 10, Grace);
        // The one who asked cannot confirm their own request.
        assert!(matches!(
            erase_step(SecondPerson, 72, Some(&asked), sam, now),
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(
            erase_step(SecondPerson, 72, Some(&asked), tova, now).unwrap(),
            EraseStep::Erase {
                requested_by: sam,
                confirmed_by: Some(tova),
                rule: SecondPerson
            }
        );
        // Too late: the request lapsed, and confirming asks anew.
        assert!(matches!(
            erase_step(SecondPerson, 72, Some(&asked), tova, now + 10).unwrap(),
            EraseStep::Request { .. }
        ));
        // Grace: nothing hurries it; its time runs it.
        assert!(matches!(
            erase_step(Grace, 72, Some(&graced), tova, now),
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(
            erase_step(Grace, 72, Some(&graced), sam, now + 10).unwrap(),
            EraseStep::Erase {
                requested_by: sam,
                confirmed_by: None,
                rule: Grace
            }
        );
        // A request keeps the rule it was asked under, and says so.
        let confirmed = erase_step(Grace, 72, Some(&asked), tova, now).unwrap();
        let answer = confirmed.answer(Uuid::nil(), now);
        assert_eq!(
            (answer.state, answer.rule, answer.erased_at_ms),
            (ErasureState::Erased, SecondPerson, Some(now))
        );
        // A lapsed request asked anew takes the rule of now.
        let anew = erase_step(Grace, 72, Some(&asked), tova, now + 10).unwrap();
        assert_eq!(anew.answer(Uuid::nil(), now + 10).rule, Grace, "{anew:?}");
    }
}
