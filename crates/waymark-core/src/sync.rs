//! The device side of sync, without the network: what to push, what an
//! acknowledgement removes, and how pulled changes apply.
//!
//! Merge rule, the same on every device. Per field a device keeps the
//! *heads*: the versions no later change has superseded (the leaves of the
//! field's version graph). A change supersedes the head it replaced (`prev`)
//! and, when it settles a conflict, every head it names (`supersedes`); it
//! then becomes a head itself. The record shows the head with the highest
//! (clock, device) stamp; every other head with a different value is an open
//! conflict for a person. The head set does not depend on the order changes
//! arrive in, so every device shows the same value and the same conflicts, and
//! a conflict's id, derived from (record, field, head stamp), is the same
//! everywhere. Settling a conflict supersedes all heads of the field, so it
//! closes everywhere once the change arrives.

use crate::db::RECORDS_VERSION;
use crate::domain::Record as _;
use crate::error::{Error, Result};
use crate::hlc::Stamp;
use crate::record::{self, load, spec_of, Stored};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

pub use waymark_protocol::{Cursor, Envelope, Logged, GENESIS_TIP, ORG_LOG};

const CONFLICT_NAMESPACE: Uuid = Uuid::from_u128(0x9b1f_3c55_61d2_4e0a_8f7c_2a94_d0e1_b6c3);

pub use crate::record::ChangeBody;
pub use waymark_model::views::Conflict;

/// One log's page of a pull, to apply.
#[derive(Clone, Copy, Debug)]
pub struct PulledPage<'a> {
    pub log_id: Uuid,
    pub changes: &'a [Logged],
    /// The log's head seq and tip on the server, to check against when the
    /// page reaches the head.
    pub head: Option<(i64, &'a str)>,
}

/// Most changes a sync applies in one transaction. A person's command that
/// writes meanwhile (opening a case is audited) waits for the sync's
/// current turn at most (`Session::let_waiting_writers_in` gives it the
/// next). Measured in one
/// bench run (140 cases, 41,000 changes): whole pages of 10,000 made a
/// case's timeline wait p95 477 ms; turns of 2,000, about 100 ms, for a
/// first sync some 15% longer (each turn commits and indexes on its own).
/// Turns sized by pace to 40 ms were slower still, and no quicker for the
/// command: the sync's work beside it still takes the processor.
pub const WRITE_TURN_CHANGES: usize = 2_000;

/// The turn while the person is at work beside the sync (a command of
/// theirs waited for one within `IN_USE_FOR`): a turn of 2,000 grows with
/// the store, to about 130 ms at 270,000 changes, and a person clicking
/// through cases meets one at nearly every click. Short turns cost the sync
/// only while someone waits on it.
pub const WRITE_TURN_CHANGES_IN_USE: usize = 1_000;

/// Changes a turn applies before it may end early for a person's command
/// that asks for the store (`Session::apply_pulled_turn`): the sync always
/// moves on, whoever waits, and a command waits for a few milliseconds of
/// it, not a whole turn.
pub const TURN_CHANGES_BEFORE_GIVING_WAY: usize = 100;

/// How long after a command waited the sync keeps its turns short.
pub const IN_USE_FOR: std::time::Duration = std::time::Duration::from_secs(10);

/// How many changes the sync's next turn may hold, given how long ago it
/// last gave way to a command (pure).
pub fn turn_size(since_gave_way: Option<std::time::Duration>) -> usize {
    match since_gave_way {
        Some(ago) if ago < IN_USE_FOR => WRITE_TURN_CHANGES_IN_USE,
        _ => WRITE_TURN_CHANGES,
    }
}

impl<'a> PulledPage<'a> {
    /// The first turn of at most `most` changes from `pages`, and the pages
    /// left (pure), in order: a log's page longer than the room left is
    /// cut, and only its last slice keeps the head to check (the earlier
    /// ones do not reach it).
    pub fn first_turn(pages: &[PulledPage<'a>], most: usize) -> (Vec<Self>, Vec<Self>) {
        let mut room = most.max(1);
        let mut turn = Vec::new();
        for (i, page) in pages.iter().enumerate() {
            if room == 0 {
                return (turn, pages[i..].to_vec());
            }
            let take = page.changes.len().min(room);
            let (now, later) = page.changes.split_at(take);
            if later.is_empty() {
                turn.push(*page);
                room -= take;
                continue;
            }
            turn.push(PulledPage {
                changes: now,
                head: None,
                ..*page
            });
            let mut rest = vec![PulledPage {
                changes: later,
                ..*page
            }];
            rest.extend_from_slice(&pages[i + 1..]);
            return (turn, rest);
        }
        (turn, Vec::new())
    }

    /// What is left to apply when a turn took only its first `taken`
    /// changes (pure): the rest of the turn, then `after`, each slice with
    /// the head it had (a slice cut short never reached it).
    pub fn rest_after(turn: &[Self], after: &[Self], taken: usize) -> Vec<Self> {
        // A turn taken whole (its slices without changes too) is done.
        if taken >= turn.iter().map(|p| p.changes.len()).sum::<usize>() {
            return after.to_vec();
        }
        let mut all = turn.to_vec();
        all.extend_from_slice(after);
        match taken {
            0 => all,
            taken => Self::first_turn(&all, taken).1,
        }
    }

    /// `pages` cut into turns of at most `most` changes each (pure).
    pub fn in_turns(pages: &[PulledPage<'a>], most: usize) -> Vec<Vec<Self>> {
        let mut turns = Vec::new();
        let mut rest = pages.to_vec();
        while !rest.is_empty() {
            let (turn, after) = Self::first_turn(&rest, most);
            turns.push(turn);
            rest = after;
        }
        turns
    }
}

/// An entry of the outbox ready to push, and how to acknowledge it.
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    pub seq: i64,
    pub envelope: Envelope,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ApplyReport {
    pub applied: u64,
    pub skipped_own: u64,
    pub conflicts: u64,
    /// Changes from a newer schema, kept until this device is upgraded.
    pub held_for_upgrade: u64,
    /// Changes that named a case other than the log they came in: refused.
    pub misrouted: u64,
    /// Changes to records already purged (removed everywhere): ignored.
    pub purged_ignored: u64,
    /// Changes whose case key has not arrived yet: kept, applied when it does.
    pub awaiting_key: u64,
    /// Changes refused on arrival (tampered, moved, not encrypted): never applied.
    pub refused: u64,
    /// Where the time went.
    #[serde(default)]
    pub stages: ApplyStages,
}

/// Where pulling and applying spent its time, in microseconds of wall time
/// on the thread that applies (`open_workers_us`: the other cores' time),
/// summed over pages: what `waymark-sync-bench` prints per stage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ApplyStages {
    /// Waiting for the server's pages: the request, the transfer, parsing.
    pub fetch_us: u64,
    /// Waiting for changes to be decrypted and their signatures verified,
    /// or opening them here (a small pull; a batch no worker took yet).
    pub open_us: u64,
    /// Decrypting and verifying on the other cores, summed over them.
    pub open_workers_us: u64,
    /// The rules a change obeys on arrival, with reading its stored record.
    pub check_us: u64,
    /// Merging into the stored record: rows, clocks, heads, conflicts.
    pub write_us: u64,
    /// Indexing new notes and people for search.
    pub index_us: u64,
    /// Refreshing the note texts and case summaries the screens read.
    pub summarise_us: u64,
    pub commit_us: u64,
    /// Pausing between turns while the person's own commands write.
    pub give_way_us: u64,
}

impl ApplyStages {
    pub fn add(&mut self, other: &ApplyStages) {
        self.fetch_us += other.fetch_us;
        self.open_us += other.open_us;
        self.open_workers_us += other.open_workers_us;
        self.check_us += other.check_us;
        self.write_us += other.write_us;
        self.index_us += other.index_us;
        self.summarise_us += other.summarise_us;
        self.commit_us += other.commit_us;
        self.give_way_us += other.give_way_us;
    }
}

/// Microseconds since `from`, to add to a stage.
pub(crate) fn micros_since(from: std::time::Instant) -> u64 {
    from.elapsed().as_micros() as u64
}

impl ApplyReport {
    pub fn add(&mut self, other: &ApplyReport) {
        self.applied += other.applied;
        self.skipped_own += other.skipped_own;
        self.conflicts += other.conflicts;
        self.held_for_upgrade += other.held_for_upgrade;
        self.misrouted += other.misrouted;
        self.purged_ignored += other.purged_ignored;
        self.awaiting_key += other.awaiting_key;
        self.refused += other.refused;
        self.stages.add(&other.stages);
    }
}

/// A person's link to a sync server: who they are there, and this device's
/// token (secret: it prints as `..`).
#[derive(Clone, PartialEq)]
pub struct SyncAccount {
    pub server_url: String,
    pub server_user: String,
    pub server_user_id: Uuid,
    pub org_id: Uuid,
    pub role: String,
    pub token: zeroize::Zeroizing<String>,
    pub logged_in_at_ms: i64,
    pub synced_at_ms: Option<i64>,
}

impl std::fmt::Debug for SyncAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncAccount")
            .field("server_url", &self.server_url)
            .field("server_user", &self.server_user)
            .field("token", &"..")
            .finish_non_exhaustive()
    }
}

pub(crate) fn account(conn: &Connection, user: Uuid) -> Result<Option<SyncAccount>> {
    conn.query_row(
        "SELECT server_url, server_user, server_user_id, org_id, role, token, logged_in_at, synced_at
         FROM sync_accounts WHERE user_id = ?1",
        [user.to_string()],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                zeroize::Zeroizing::new(r.get::<_, String>(5)?),
                r.get::<_, i64>(6)?,
                r.get::<_, Option<i64>>(7)?,
            ))
        },
    )
    .optional()?
    .map(|(url, name, uid, org, role, token, at, synced)| {
        Ok(SyncAccount {
            server_url: url,
            server_user: name,
            server_user_id: crate::basics::parse_id(&uid)?,
            org_id: crate::basics::parse_id(&org)?,
            role,
            token,
            logged_in_at_ms: at,
            synced_at_ms: synced,
        })
    })
    .transpose()
}

pub(crate) fn save_account(tx: &Connection, user: Uuid, a: &SyncAccount) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_accounts (user_id, server_url, server_user, server_user_id, org_id, role, token, logged_in_at, synced_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (user_id) DO UPDATE SET server_url = excluded.server_url,
             server_user = excluded.server_user, server_user_id = excluded.server_user_id,
             org_id = excluded.org_id, role = excluded.role, token = excluded.token,
             logged_in_at = excluded.logged_in_at, synced_at = excluded.synced_at",
        params![
            user.to_string(),
            a.server_url,
            a.server_user,
            a.server_user_id.to_string(),
            a.org_id.to_string(),
            a.role,
            a.token.as_str(),
            a.logged_in_at_ms,
            a.synced_at_ms
        ],
    )?;
    Ok(())
}

pub use waymark_model::views::Keep;

/// The log a change of `kind` travels in by default: the organisation's for
/// no case, a case's supervision log for what only its keyworker and its
/// team's supervisors read (`arrival::SUPERVISION_KINDS`), its allocation
/// log for what volunteers allocated to it read too
/// (`arrival::ALLOCATION_KINDS`), else its case's own. A volunteer writes
/// in the allocation log only, and an appointment written before
/// allocation logs stays in its case's (`route`).
pub fn log_of(kind: &str, case_id: Option<Uuid>) -> Uuid {
    match case_id {
        None => ORG_LOG,
        Some(case) if crate::arrival::SUPERVISION_KINDS.contains(&kind) => {
            waymark_protocol::supervision_log(case)
        }
        Some(case) if crate::arrival::ALLOCATION_KINDS.contains(&kind) => {
            waymark_protocol::allocation_log(case)
        }
        Some(case) => case,
    }
}

/// The log a change written before allocation logs travels in (an outbox
/// row that does not name its own).
pub(crate) fn log_before_allocation(kind: &str, case_id: Option<Uuid>) -> Uuid {
    match case_id {
        Some(case) if crate::arrival::ALLOCATION_KINDS.contains(&kind) => case,
        _ => log_of(kind, case_id),
    }
}

/// Whether a change of `kind` for `case` may travel in `log` (pure): where
/// `log_of` sends it, an appointment in its case's own log too (written
/// before allocation logs), and a volunteer's only in the case's
/// allocation log, of the kinds they write.
pub fn may_travel(kind: &str, case_id: Option<Uuid>, log: Uuid, by_volunteer: bool) -> bool {
    match case_id {
        None => log == ORG_LOG && !by_volunteer,
        Some(case) if by_volunteer => {
            log == waymark_protocol::allocation_log(case)
                && crate::arrival::VOLUNTEER_KINDS.contains(&kind)
        }
        Some(case) => {
            log == log_of(kind, case_id)
                || (kind == crate::domain::Appointment::KIND && log == case)
        }
    }
}

/// The log a change written here travels in: `log_of`, but a volunteer's
/// in the case's allocation log, and an appointment's in the log it was
/// first written to.
pub(crate) fn route(
    tx: &Connection,
    kind: &str,
    record: Uuid,
    case_id: Option<Uuid>,
    by_volunteer: bool,
) -> Result<Uuid> {
    let Some(case) = case_id else {
        return Ok(ORG_LOG);
    };
    if by_volunteer {
        return Ok(waymark_protocol::allocation_log(case));
    }
    if kind == crate::domain::Appointment::KIND {
        let in_case_log: bool = tx
            .prepare_cached("SELECT count(*) > 0 FROM appointments WHERE id = ?1 AND in_case_log")?
            .query_row([record.to_string()], |r| r.get(0))?;
        if in_case_log {
            return Ok(case);
        }
    }
    Ok(log_of(kind, case_id))
}

pub fn conflict_id(record_id: Uuid, field: &str, lost_clock: &str) -> Uuid {
    Uuid::new_v5(
        &CONFLICT_NAMESPACE,
        format!("{record_id}/{field}/{lost_clock}").as_bytes(),
    )
}

/// The outbox, oldest first, as envelopes. A case's changes leave encrypted
/// under its newest key (made here for a case this device created), bound to
/// the case and change ids; the organisation's log (templates) stays plain.
pub(crate) fn outgoing(
    tx: &Connection,
    after_seq: i64,
    limit: i64,
    sender: record::Author,
) -> Result<Vec<Outgoing>> {
    let signer = sender
        .signer
        .ok_or_else(|| Error::Storage("no identity to sign changes with".into()))?;
    let mut keys: std::collections::HashMap<Uuid, waymark_crypto::CaseKey> = Default::default();
    let mut out = Vec::new();
    let mut signed = Vec::new();
    for c in record::outbox(tx, after_seq, limit)? {
        let stamp = c.body.clock;
        let log_id = c.log_id;
        if c.body.case_id.is_some() && !crate::e2e::plain_sync() {
            if let std::collections::hash_map::Entry::Vacant(slot) = keys.entry(log_id) {
                slot.insert(crate::e2e::key_for_outgoing(tx, log_id, c.body.case_id)?);
            }
        }
        out.push(Outgoing {
            seq: c.seq,
            envelope: Envelope {
                change_id: c.body.change_id,
                log_id,
                companion_of: c.body.case_id.filter(|case| *case != log_id),
                clock_ms: stamp.clock.wall_ms as i64,
                body: serde_json::to_vec(&c.body)?,
            },
        });
        signed.push(c.signed);
    }
    sign_and_encrypt(&mut out, &signed, &keys, signer);
    Ok(out)
}

/// Batches at least this large are encrypted or opened on several cores;
/// below it, starting threads costs more than it saves.
pub(crate) const PARALLEL_FROM: usize = 512;

/// Threads for a large batch's AEAD work: the cores, up to 4.
pub(crate) fn worker_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

type WriterSignature = Option<(waymark_crypto::IdentityPublic, waymark_crypto::Signature)>;

/// Puts each change in its signed form (`Statement::Change`: its log, id
/// and bytes), with the signature its writer made when writing it, or (an
/// entry re-stamped or re-queued since) signed now as this person's; then
/// encrypts a case change under its case key (a case's log id is its case
/// id). On every core for a large batch, as a push batch is thousands of
/// changes and each costs an AEAD setup.
fn sign_and_encrypt(
    out: &mut [Outgoing],
    signed: &[WriterSignature],
    keys: &std::collections::HashMap<Uuid, waymark_crypto::CaseKey>,
    signer: &waymark_crypto::IdentitySecret,
) {
    let seal = |(o, signed): (&mut Outgoing, &WriterSignature)| {
        if !crate::e2e::unsigned_sync() {
            let plain = zeroize::Zeroizing::new(std::mem::take(&mut o.envelope.body));
            let e = &o.envelope;
            o.envelope.body = match signed {
                Some((by, signature)) => waymark_crypto::signed_change(by, signature, &plain),
                None => waymark_crypto::sign_change(signer, e.log_id, e.change_id, &plain),
            };
        }
        if let Some(key) = keys.get(&o.envelope.log_id) {
            let plain = zeroize::Zeroizing::new(std::mem::take(&mut o.envelope.body));
            o.envelope.body = waymark_crypto::encrypt_change(
                key,
                o.envelope.log_id,
                o.envelope.change_id,
                &plain,
            );
        }
    };
    let threads = worker_threads();
    if out.len() < PARALLEL_FROM || threads < 2 {
        out.iter_mut().zip(signed).for_each(seal);
        return;
    }
    let size = out.len().div_ceil(threads);
    std::thread::scope(|s| {
        for (part, signed) in out.chunks_mut(size).zip(signed.chunks(size)) {
            let seal = &seal;
            s.spawn(move || part.iter_mut().zip(signed).for_each(seal));
        }
    });
}

/// How long acknowledged changes are kept for re-pushing to a server
/// restored from an older backup: longer than any backup it would restore.
pub const KEEP_PUSHED_MS: i64 = 60 * 24 * 60 * 60 * 1000;

/// An outbox entry the server acknowledged: the entry's place in the outbox
/// and its change id, both checked, so a stale answer removes nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Acked {
    pub outbox_seq: i64,
    pub change_id: Uuid,
}

/// Where the server placed one of our changes in its log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed {
    pub outbox_seq: i64,
    pub change_id: Uuid,
    pub log_id: Uuid,
    pub log_seq: i64,
}

/// Consecutive seqs the server gave our new changes in one log: the device
/// moves its cursor over them rather than pulling back what it pushed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnRun {
    pub log_id: Uuid,
    pub first_seq: i64,
    /// In seq order.
    pub change_ids: Vec<Uuid>,
}

/// An attachment's encrypted contents still to upload, and how much of
/// them the server has confirmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlobUpload {
    pub attachment_id: Uuid,
    pub case_id: Uuid,
    pub sealed_size: u64,
    pub confirmed: u64,
}

/// How many changes of one case wait to be pushed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct UnsyncedCase {
    pub case_id: Uuid,
    pub pending_changes: i64,
}

/// Moves acknowledged entries from the outbox to `pushed`. Keeps the last
/// issued stamp first, so the clock cannot go back when the outbox empties.
pub(crate) fn acknowledge(tx: &Connection, acked: &[Acked]) -> Result<u64> {
    record::persist_last_stamp(tx)?;
    let now = record::now_ms() as i64;
    let mut keep = tx.prepare_cached(
        "INSERT OR IGNORE INTO pushed (change_id, clock, device_id, schema_version, kind, record_id, case_id, payload, acked_at)
         SELECT change_id, clock, device_id, schema_version, kind, record_id, case_id, payload, ?3
         FROM outbox WHERE seq = ?1 AND change_id = ?2",
    )?;
    let mut remove = tx.prepare_cached("DELETE FROM outbox WHERE seq = ?1 AND change_id = ?2")?;
    let mut n = 0;
    for a in acked {
        let id = a.change_id.to_string();
        keep.execute(params![a.outbox_seq, id, now])?;
        n += remove.execute(params![a.outbox_seq, id])? as u64;
    }
    tx.execute(
        "DELETE FROM pushed WHERE acked_at < ?1",
        [now - KEEP_PUSHED_MS],
    )?;
    Ok(n)
}

/// Where this device stands in a log: the last seq applied, and the tip
/// there.
pub(crate) fn position(conn: &Connection, log_id: Uuid) -> Result<(i64, String)> {
    Ok(conn
        .query_row(
            "SELECT cursor, tip FROM sync_cursors WHERE log_id = ?1",
            [log_id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or_else(|| (0, GENESIS_TIP.to_owned())))
}

pub(crate) fn cursor(conn: &Connection, log_id: Uuid) -> Result<i64> {
    Ok(position(conn, log_id)?.0)
}

pub(crate) fn positions(conn: &Connection) -> Result<Vec<Cursor>> {
    let mut stmt =
        conn.prepare_cached("SELECT log_id, cursor, tip FROM sync_cursors ORDER BY log_id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    rows.map(|row| {
        let (id, after, tip) = row?;
        Ok(Cursor {
            log_id: crate::basics::parse_id(&id)?,
            after,
            tip,
        })
    })
    .collect()
}

pub(crate) fn set_position(tx: &Connection, log_id: Uuid, cursor: i64, tip: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_cursors (log_id, cursor, tip) VALUES (?1, ?2, ?3)
         ON CONFLICT(log_id) DO UPDATE SET cursor = excluded.cursor, tip = excluded.tip",
        params![log_id.to_string(), cursor, tip],
    )?;
    Ok(())
}

/// The server no longer holds this device's history of a log (restored
/// from an older backup). In one transaction: read the log again from its
/// start (applying a change twice changes nothing), and put this device's
/// kept changes of the log back in the outbox, so the server gets again
/// whatever it lost. Returns how many were re-queued.
pub(crate) fn reset_log(tx: &Connection, log_id: Uuid) -> Result<u64> {
    // The re-queued entries are older than the outbox tail: save the last
    // stamp first, so the clock cannot go back.
    record::persist_last_stamp(tx)?;
    set_position(tx, log_id, 0, GENESIS_TIP)?;
    let case_filter = if log_id == ORG_LOG {
        "case_id IS NULL"
    } else {
        "case_id = ?1"
    };
    let moved = tx.execute(
        &format!(
            "INSERT INTO outbox (change_id, clock, device_id, schema_version, kind, record_id, case_id, payload)
             SELECT change_id, clock, device_id, schema_version, kind, record_id, case_id, payload
             FROM pushed WHERE {case_filter} ORDER BY clock"
        ),
        rusqlite::params_from_iter((log_id != ORG_LOG).then(|| log_id.to_string())),
    )?;
    tx.execute(
        &format!("DELETE FROM pushed WHERE {case_filter}"),
        rusqlite::params_from_iter((log_id != ORG_LOG).then(|| log_id.to_string())),
    )?;
    // The server may have lost attachment contents too: offer them again
    // (it answers with what it holds, so nothing is sent twice in full).
    tx.execute(
        "UPDATE attachment_blobs SET uploaded = 0
         WHERE attachment_id IN (SELECT id FROM attachments WHERE case_id = ?1)",
        [log_id.to_string()],
    )?;
    Ok(moved as u64)
}

/// Re-stamps this device's unpushed changes whose stamps run more than
/// `MAX_FORWARD_DRIFT_MS` ahead of the server's clock (a laptop whose clock is
/// wrong). They have never left the device, so renaming their stamps is safe:
/// the new ones sit at the bound, in the same order, above every stamp this
/// device has seen (the server accepts none beyond the bound). Every place
/// the old stamp is recorded (the outbox, `prev` in later changes, the
/// record's clocks, shadow heads, conflicts) is renamed in one transaction,
/// and the device clock comes back down. The edits keep their values; they
/// just no longer outrank every later edit. Returns how many were re-stamped.
pub(crate) fn restamp_ahead(tx: &Connection, server_now_ms: u64) -> Result<u64> {
    let bound = server_now_ms.saturating_add(crate::hlc::MAX_FORWARD_DRIFT_MS);
    let mut rows: Vec<(i64, String, String, String)> = Vec::new();
    {
        let mut stmt = tx.prepare("SELECT seq, clock, kind, record_id FROM outbox ORDER BY seq")?;
        let it = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        for row in it {
            rows.push(row?);
        }
    }
    // New stamps at the bound, in the old order, above every stamp kept.
    let mut next = crate::hlc::Clock {
        wall_ms: bound,
        counter: 0,
    };
    let mut ahead = Vec::new();
    for (_, clock, kind, record_id) in &rows {
        let stamp: Stamp = clock.parse().map_err(Error::Storage)?;
        if stamp.clock.wall_ms > bound {
            ahead.push((stamp, kind, record_id));
        } else if stamp.clock >= next {
            next = stamp.clock.bump();
        }
    }
    let Some(first_ahead) = rows.iter().position(|r| {
        r.1.parse::<Stamp>()
            .is_ok_and(|s: Stamp| s.clock.wall_ms > bound)
    }) else {
        return Ok(0);
    };
    let mut renames: std::collections::HashMap<String, String> = Default::default();
    let mut last = None;
    for (old, kind, record_id) in &ahead {
        let new = Stamp {
            clock: next,
            device: old.device,
        };
        next = next.bump();
        let (old, new) = (old.to_string(), new.to_string());
        rename_elsewhere(tx, &old, &new, kind, record_id)?;
        renames.insert(old, new.clone());
        last = Some(new);
    }
    // One pass over the outbox from the first renamed entry: its own stamp,
    // and any renamed stamp its payload names (`prev`, `supersedes`).
    {
        let mut read = tx.prepare_cached("SELECT payload FROM outbox WHERE seq = ?1")?;
        let mut write =
            // Re-stamped, its writer's signature no longer holds: it is
            // signed again when sent.
            tx.prepare_cached("UPDATE outbox SET clock = ?2, payload = ?3, signed_by = NULL, signature = NULL WHERE seq = ?1")?;
        for (seq, clock, ..) in &rows[first_ahead..] {
            let payload: String = read.query_row([seq], |r| r.get(0))?;
            let mut value: Value = serde_json::from_str(&payload)?;
            rename_strings(&mut value, &renames);
            let clock = renames.get(clock).unwrap_or(clock);
            write.execute(params![seq, clock, value.to_string()])?;
        }
    }
    if let Some(last) = last {
        tx.execute("UPDATE device SET last_clock = ?1", [last])?;
    }
    Ok(ahead.len() as u64)
}

fn rename_strings(value: &mut Value, renames: &std::collections::HashMap<String, String>) {
    match value {
        Value::String(s) => {
            if let Some(new) = renames.get(s.as_str()) {
                *s = new.clone();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_strings(v, renames)),
        Value::Object(map) => map.values_mut().for_each(|v| rename_strings(v, renames)),
        _ => {}
    }
}

/// Renames a stamp in the record's clocks, its shadow heads and conflicts
/// (all looked up by record, so this stays cheap for a long outbox).
fn rename_elsewhere(
    tx: &Connection,
    old: &str,
    new: &str,
    kind: &str,
    record_id: &str,
) -> Result<()> {
    if let Some(spec) = spec_of(kind) {
        tx.execute(
            &format!(
                "UPDATE {} SET clocks = replace(clocks, ?1, ?2) WHERE id = ?3",
                spec.table
            ),
            params![old, new, record_id],
        )?;
    }
    tx.execute(
        "UPDATE shadow_heads SET stamp = ?2 WHERE record_id = ?3 AND stamp = ?1",
        params![old, new, record_id],
    )?;
    tx.execute(
        "UPDATE conflicts SET kept_clock = ?2 WHERE record_id = ?3 AND kept_clock = ?1",
        params![old, new, record_id],
    )?;
    let lost: Vec<(String, String)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT id, field FROM conflicts WHERE record_id = ?2 AND lost_clock = ?1",
        )?;
        let it = stmt.query_map(params![old, record_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        it.collect::<rusqlite::Result<_>>()?
    };
    for (id, field) in lost {
        let record = crate::basics::parse_id(record_id)?;
        tx.execute(
            "UPDATE conflicts SET id = ?1, lost_clock = ?2 WHERE id = ?3",
            params![conflict_id(record, &field, new).to_string(), new, id],
        )?;
    }
    Ok(())
}

fn is_purged(tx: &Connection, record: Uuid) -> Result<bool> {
    Ok(tx
        .prepare_cached("SELECT count(*) > 0 FROM purged_records WHERE record_id = ?1")?
        .query_row([record.to_string()], |r| r.get(0))?)
}

/// Remembers where in its log a record's removal sits (the first removal
/// wins; a second removal changes nothing).
pub(crate) fn note_tombstone(
    tx: &Connection,
    record: Uuid,
    kind: &str,
    log_id: Uuid,
    seq: i64,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO tombstones (record_id, kind, log_id, seq) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![record.to_string(), kind, log_id.to_string(), seq])?;
    Ok(())
}

/// Our own pushed removals: their place in the log is known once the server
/// has placed them.
pub(crate) fn note_own_tombstones(tx: &Connection, placed: &[Placed]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "SELECT record_id, kind FROM outbox
         WHERE seq = ?1 AND change_id = ?2 AND json_extract(payload, '$.op') = 'remove'",
    )?;
    for p in placed {
        let removed: Option<(String, String)> = stmt
            .query_row(params![p.outbox_seq, p.change_id.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if let Some((record, kind)) = removed {
            let record = crate::basics::parse_id(&record)?;
            note_tombstone(tx, record, &kind, p.log_id, p.log_seq)?;
        }
    }
    Ok(())
}

/// Logs with tombstones waiting for their horizon.
pub(crate) fn tombstone_logs(conn: &Connection) -> Result<Vec<Uuid>> {
    let mut stmt = conn.prepare("SELECT DISTINCT log_id FROM tombstones ORDER BY log_id")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.map(|r| crate::basics::parse_id(&r?)).collect()
}

/// Purges every tombstone its log's horizon has passed: the record's row
/// and what merge kept of it go; its id stays in `purged_records`.
pub(crate) fn purge_tombstones(
    tx: &Connection,
    horizons: &[waymark_protocol::Horizon],
) -> Result<u64> {
    let mut purged = 0;
    for waymark_protocol::Horizon {
        log_id: log,
        horizon,
    } in horizons
    {
        let due: Vec<(String, String)> = {
            let mut stmt = tx.prepare_cached(
                "SELECT record_id, kind FROM tombstones WHERE log_id = ?1 AND seq <= ?2",
            )?;
            let rows = stmt.query_map(params![log.to_string(), horizon], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (record, kind) in due {
            if let Some(spec) = spec_of(&kind) {
                tx.execute(
                    &format!(
                        "DELETE FROM {} WHERE id = ?1 AND removed_at IS NOT NULL",
                        spec.table
                    ),
                    [&record],
                )?;
            }
            for sql in [
                "DELETE FROM shadow_heads WHERE record_id = ?1",
                "DELETE FROM conflicts WHERE record_id = ?1",
                "DELETE FROM tombstones WHERE record_id = ?1",
            ] {
                tx.execute(sql, [&record])?;
            }
            tx.execute(
                "INSERT OR IGNORE INTO purged_records (record_id, kind, purged_at) VALUES (?1, ?2, ?3)",
                params![record, kind, record::now_ms() as i64],
            )?;
            purged += 1;
        }
    }
    Ok(purged)
}

/// What applying one change touched, so the caller can refresh derived data.
#[derive(Default)]
pub(crate) struct Touched {
    pub cases: std::collections::BTreeSet<Uuid>,
    pub notes: std::collections::BTreeSet<Uuid>,
    /// (device, signer) pairs already recorded in this transaction.
    pub signers: std::collections::HashSet<(Uuid, Uuid)>,
    /// Signers found to be volunteers, or not, in this transaction.
    pub volunteers: std::collections::HashMap<Uuid, bool>,
    /// The newest stamp applied that this device's clock may move to (not
    /// too far ahead of ours): received once, when the changes are applied
    /// (`Tx::refresh_after_sync`).
    pub newest: Option<Stamp>,
}

impl Touched {
    fn saw_stamp(&mut self, stamp: Stamp, now_ms: u64) {
        let near = stamp.clock.wall_ms <= now_ms.saturating_add(crate::hlc::MAX_FORWARD_DRIFT_MS);
        if near && self.newest.is_none_or(|newest| stamp > newest) {
            self.newest = Some(stamp);
        }
    }
}

/// A pulled change as it came: where, when the server received it, and its
/// bytes (kept if it is refused, so nothing refused is lost).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Arrived<'a> {
    pub log_id: Uuid,
    pub seq: i64,
    pub change_id: Uuid,
    pub received_ms: i64,
    pub raw: &'a [u8],
}

impl<'a> Arrived<'a> {
    pub fn of(log_id: Uuid, logged: &'a Logged) -> Self {
        Arrived {
            log_id,
            seq: logged.seq,
            change_id: logged.change_id,
            received_ms: logged.received_ms,
            raw: &logged.body,
        }
    }
}

/// Keeps a refused change (as it came) with the reason, for the report.
pub(crate) fn refuse(tx: &Connection, arrived: &Arrived, reason: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO refused_changes (log_id, seq, change_id, reason, refused_at, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        arrived.log_id.to_string(),
        arrived.seq,
        arrived.change_id.to_string(),
        reason,
        record::now_ms() as i64,
        arrived.raw,
    ])?;
    Ok(())
}

/// Applies pulled pages, in order, inside the caller's transaction: each
/// change opened (ahead, in parallel) and checked, applied, held for its key
/// or refused; each log's cursor and tip advanced with it; new notes and
/// people indexed for search once, at the end. A page that
/// skips a seq, or a log whose history differs from the server's, is an
/// error and nothing of the call is kept.
/// Applies `pages` in order, until `stop` says to end early (asked only
/// after `TURN_CHANGES_BEFORE_GIVING_WAY` changes): each log's cursor stays
/// at the last change applied, and a head is checked only when reached.
/// Returns how many of the pages' changes it took, in order.
pub(crate) fn apply_pages(
    conn: &Connection,
    own: Uuid,
    pages: &[PulledPage],
    signers: &crate::trust::Signers,
    report: &mut ApplyReport,
    touched: &mut Touched,
    stop: &dyn Fn() -> bool,
) -> Result<usize> {
    crate::queries::defer_search_index(conn)?;
    let mut taken = 0usize;
    crate::e2e::with_opened_ahead(conn, pages, signers, |ahead| {
        for &PulledPage {
            log_id,
            changes: page,
            head: head_tip,
        } in pages
        {
            let (mut cursor, mut tip) = position(conn, log_id)?;
            let mut hold = log_id != ORG_LOG && crate::e2e::is_awaiting(conn, log_id)?;
            let mut stopped = false;
            for logged in page {
                if taken >= TURN_CHANGES_BEFORE_GIVING_WAY && stop() {
                    stopped = true;
                    break;
                }
                taken += 1;
                let opening = std::time::Instant::now();
                let opened_ahead = ahead.next();
                if logged.seq <= cursor {
                    report.stages.open_us += micros_since(opening);
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
                    _ => crate::e2e::open_change(conn, log_id, logged, hold, signers)?,
                };
                report.stages.open_us += micros_since(opening);
                let arrived = Arrived::of(log_id, logged);
                match opened {
                    crate::e2e::Opened::Change { body, signer } => {
                        apply(conn, own, &arrived, &body, signer, report, touched)?
                    }
                    crate::e2e::Opened::AwaitingKey => {
                        crate::e2e::hold_for_key(conn, log_id, logged)?;
                        report.awaiting_key += 1;
                        hold = true;
                    }
                    crate::e2e::Opened::Refused(reason) => {
                        refuse(conn, &arrived, &reason)?;
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
                if cursor == head && !hold {
                    // Read back whole: its own changes are here again.
                    conn.prepare_cached("DELETE FROM dropped_cases WHERE case_id = ?1")?
                        .execute([log_id.to_string()])?;
                }
            }
            set_position(conn, log_id, cursor, &tip)?;
            if stopped {
                break;
            }
        }
        report.stages.open_workers_us += ahead.worked.as_micros() as u64;
        Ok(())
    })?;

    let indexing = std::time::Instant::now();
    crate::queries::index_deferred(conn)?;
    report.stages.index_us += micros_since(indexing);
    Ok(taken)
}

/// Whether this device dropped the case (`dropped_cases`) and has not read
/// its log back whole since: its own changes there are not here.
fn was_dropped(tx: &Connection, log_id: Uuid) -> Result<bool> {
    Ok(tx
        .prepare_cached("SELECT count(*) > 0 FROM dropped_cases WHERE case_id = ?1")?
        .query_row([log_id.to_string()], |r| r.get(0))?)
}

/// Applies one pulled change (already decoded) inside the caller's
/// transaction. Own changes are skipped; newer-schema changes are held; a
/// change that breaks a rule a local write obeys (`arrival::check`) is
/// refused, kept and counted, and the log carries on.
pub(crate) fn apply(
    tx: &Connection,
    own_device: Uuid,
    arrived: &Arrived,
    body: &ChangeBody,
    signer: Uuid,
    report: &mut ApplyReport,
    touched: &mut Touched,
) -> Result<()> {
    let checking = std::time::Instant::now();
    let admitted = admit(tx, own_device, arrived, body, signer, report, touched)?;
    report.stages.check_us += micros_since(checking);
    if let Some(checked) = admitted {
        let writing = std::time::Instant::now();
        write_admitted(tx, arrived, body, signer, checked, report, touched)?;
        report.stages.write_us += micros_since(writing);
    }
    Ok(())
}

/// Whether a pulled change is to be written: `None` when it is skipped (our
/// own, purged), held for an upgrade or refused (kept, counted).
fn admit(
    tx: &Connection,
    own_device: Uuid,
    arrived: &Arrived,
    body: &ChangeBody,
    signer: Uuid,
    report: &mut ApplyReport,
    touched: &mut Touched,
) -> Result<Option<crate::arrival::Checked>> {
    let log_id = arrived.log_id;
    if body.device_id == own_device && !was_dropped(tx, log_id)? {
        report.skipped_own += 1;
        return Ok(None);
    }
    if is_purged(tx, body.record_id)? {
        // Removed, seen by every device, and purged: nothing brings it back.
        report.purged_ignored += 1;
        return Ok(None);
    }
    let by_volunteer = match touched.volunteers.get(&signer) {
        Some(known) => *known,
        None => {
            let is = crate::trust::is_volunteer(tx, signer)?;
            touched.volunteers.insert(signer, is);
            is
        }
    };
    if by_volunteer {
        if let Err(why) = crate::arrival::volunteer_may_write(tx, log_id, body)? {
            // A volunteer writes their notes and appointments' outcomes in
            // the allocation logs of their cases, nothing else.
            refuse(tx, arrived, &why)?;
            report.refused += 1;
            return Ok(None);
        }
    }
    if !may_travel(&body.kind, body.case_id, log_id, by_volunteer) {
        // A change may only touch the case whose log carried it: access is
        // checked per log, so a change routed through another case's log is
        // refused here (and counted), never applied.
        refuse(tx, arrived, "names another case than its log's")?;
        report.misrouted += 1;
        return Ok(None);
    }
    if crate::arrival::OVERSIGHT_KINDS.contains(&body.kind.as_str())
        && !crate::trust::oversees(tx, signer)?
    {
        // A sign-off or a supervision note is a supervisor's word: no one
        // else's counts.
        refuse(
            tx,
            arrived,
            &format!(
                "is a {} signed by someone who is not a supervisor or an admin",
                match body.kind.as_str() {
                    "sign_off" => "sign-off",
                    _ => "supervision note",
                }
            ),
        )?;
        report.refused += 1;
        return Ok(None);
    }
    if body.schema_version > RECORDS_VERSION as i64 || spec_of(&body.kind).is_none() {
        tx.execute(
            "INSERT OR IGNORE INTO pending_remote (log_id, seq, schema_version, change, received_ms, signer) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![log_id.to_string(), arrived.seq, body.schema_version, serde_json::to_string(body)?, arrived.received_ms, signer.to_string()],
        )?;
        report.held_for_upgrade += 1;
        return Ok(None);
    }
    match crate::arrival::check(tx, log_id, arrived.received_ms, body)? {
        Ok(checked) => Ok(Some(checked)),
        Err(reason) => {
            refuse(tx, arrived, &reason)?;
            report.refused += 1;
            Ok(None)
        }
    }
}

/// Writes an admitted change: its clock received, merged into the stored
/// record (or the record removed), its signer and what it touched noted.
fn write_admitted(
    tx: &Connection,
    arrived: &Arrived,
    body: &ChangeBody,
    signer: Uuid,
    checked: crate::arrival::Checked,
    report: &mut ApplyReport,
    touched: &mut Touched,
) -> Result<()> {
    let log_id = arrived.log_id;
    let spec = checked.spec;
    touched.saw_stamp(checked.stamp, record::now_ms());
    match checked.op {
        crate::arrival::Op::Put(fields) => {
            report.conflicts += merge_put(tx, spec, body, checked.stored.as_ref(), &fields)?;
        }
        crate::arrival::Op::Remove => {
            tx.execute(
                &format!("UPDATE {} SET removed_at = ?1, version = version + 1 WHERE id = ?2 AND removed_at IS NULL", spec.table),
                params![checked.stamp.clock.wall_ms as i64, body.record_id.to_string()],
            )?;
            if spec.kind == "attachment" {
                for table in ["attachment_blobs", "attachment_downloads"] {
                    tx.execute(
                        &format!("DELETE FROM {table} WHERE attachment_id = ?1"),
                        [body.record_id.to_string()],
                    )?;
                }
            }
            note_tombstone(tx, body.record_id, spec.kind, log_id, arrived.seq)?;
        }
    }
    report.applied += 1;
    if spec.kind == crate::domain::Appointment::KIND && body.case_id == Some(log_id) {
        // Written in its case's log (before allocation logs): it stays there.
        tx.prepare_cached("UPDATE appointments SET in_case_log = 1 WHERE id = ?1")?
            .execute([body.record_id.to_string()])?;
    }
    note_signer(tx, body.device_id, signer, touched)?;
    if let Some(case) = body.case_id {
        touched.cases.insert(case);
    }
    if spec.kind == "note_amendment" {
        if let Some(note) = body
            .payload
            .fields()
            .and_then(|f| f.get("note_id"))
            .and_then(Value::as_str)
            .and_then(|n| Uuid::parse_str(n).ok())
        {
            touched.notes.insert(note);
        }
    }
    Ok(())
}

/// Records that `signer` signed what `device` sent (once per pair): the
/// person conflicts and history name for that device's clocks.
fn note_signer(tx: &Connection, device: Uuid, signer: Uuid, touched: &mut Touched) -> Result<()> {
    if signer.is_nil() || !touched.signers.insert((device, signer)) {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT OR IGNORE INTO change_signers (device_id, person_id, first_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![
        device.to_string(),
        signer.to_string(),
        record::now_ms() as i64
    ])?;
    Ok(())
}

/// Moves this device's clock past a remote stamp (bounded: a stamp far in
/// the future does not drag our clock along; the change still applies).
pub(crate) fn receive_clock(tx: &Connection, incoming: Stamp) -> Result<()> {
    let last = record::last_stamp(tx)?;
    if let Ok(next) = last.clock.receive(incoming.clock, record::now_ms()) {
        let stamp = Stamp {
            clock: next,
            device: last.device,
        };
        tx.execute(
            "UPDATE device SET last_clock = max(last_clock, ?1)",
            [stamp.to_string()],
        )?;
    }
    Ok(())
}

/// Applies the fields of a put, head by head. Returns conflicts opened.
fn merge_put(
    tx: &Connection,
    spec: &'static record::KindSpec,
    body: &ChangeBody,
    stored: Option<&Stored>,
    fields: &Map<String, Value>,
) -> Result<u64> {
    let incoming = body.clock.to_string();
    let Some(stored) = stored else {
        // A record we have never seen: its creation carries every field.
        if !record::is_whole(spec, fields) {
            return Err(Error::Storage(format!(
                "a change to an unknown {} arrived before its creation",
                spec.kind
            )));
        }
        let clocks = Value::Object(Map::from_iter([("*".to_owned(), Value::String(incoming))]));
        record::insert_row(tx, spec, body.record_id, fields, &clocks)?;
        return Ok(0);
    };
    let mut winners = Map::new();
    let mut clocks = stored.clocks.clone();
    let mut opened = 0;
    for (field, value) in fields {
        let shown = Head {
            stamp: stored
                .clock_of(field)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            value: stored.fields.get(field).cloned().unwrap_or(Value::Null),
        };
        let gone: Vec<String> = body
            .payload
            .superseded(field)
            .iter()
            .map(ToString::to_string)
            .collect();
        let mut heads = shadows(tx, body.record_id, field)?;
        heads.push(shown.clone());
        heads.retain(|h| !gone.contains(&h.stamp));
        if !heads.iter().any(|h| h.stamp == incoming) {
            heads.push(Head {
                stamp: incoming.clone(),
                value: value.clone(),
            });
        }
        heads.sort_by(|a, b| a.stamp.cmp(&b.stamp));
        let top = heads.pop().expect("the incoming head is there");
        if top.stamp != shown.stamp {
            winners.insert(field.clone(), top.value.clone());
            clocks.insert(field.clone(), Value::String(top.stamp.clone()));
        }
        set_shadows(tx, body.record_id, field, &heads)?;
        opened += settle_field(tx, spec.kind, body.record_id, body.case_id, field, &top)?;
    }
    if !winners.is_empty() {
        record::update_fields(tx, spec, body.record_id, &winners, &Value::Object(clocks))?;
    }
    Ok(opened)
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Head {
    pub stamp: String,
    pub value: Value,
}

pub(crate) fn shadows(tx: &Connection, record_id: Uuid, field: &str) -> Result<Vec<Head>> {
    let mut stmt = tx.prepare_cached(
        "SELECT stamp, value FROM shadow_heads WHERE record_id = ?1 AND field = ?2",
    )?;
    let rows = stmt.query_map(params![record_id.to_string(), field], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    rows.map(|row| {
        let (stamp, value) = row?;
        Ok(Head {
            stamp,
            value: serde_json::from_str(&value)?,
        })
    })
    .collect()
}

fn set_shadows(tx: &Connection, record_id: Uuid, field: &str, heads: &[Head]) -> Result<()> {
    tx.prepare_cached("DELETE FROM shadow_heads WHERE record_id = ?1 AND field = ?2")?
        .execute(params![record_id.to_string(), field])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO shadow_heads (record_id, field, stamp, value) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for h in heads {
        insert.execute(params![
            record_id.to_string(),
            field,
            h.stamp,
            h.value.to_string()
        ])?;
    }
    Ok(())
}

/// Whether any field of a record has more than one head (cheap check before
/// the per-field work of a local write).
pub(crate) fn has_shadows(tx: &Connection, record_id: Uuid) -> Result<bool> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM shadow_heads WHERE record_id = ?1 LIMIT 1")?
        .query_row([record_id.to_string()], |_| Ok(()))
        .optional()?
        .is_some())
}

/// After a local write to `field`: drops the heads it superseded, and brings
/// the field's conflicts up to date with the new shown value.
pub(crate) fn after_local_write(
    tx: &Connection,
    kind: &str,
    record_id: Uuid,
    case_id: Option<Uuid>,
    field: &str,
    shown: Head,
    supersedes: &[String],
) -> Result<()> {
    let mut heads = shadows(tx, record_id, field)?;
    heads.retain(|h| !supersedes.contains(&h.stamp));
    set_shadows(tx, record_id, field, &heads)?;
    settle_field(tx, kind, record_id, case_id, field, &shown)?;
    Ok(())
}

/// Makes a field's conflict rows match its heads: an open conflict for every
/// shadow head whose value differs from the shown one (kept value updated);
/// none where the values agree; resolved once a head is superseded.
fn settle_field(
    tx: &Connection,
    kind: &str,
    record_id: Uuid,
    case_id: Option<Uuid>,
    field: &str,
    shown: &Head,
) -> Result<u64> {
    let heads = shadows(tx, record_id, field)?;
    let now = record::now_ms() as i64;
    let mut opened = 0;
    for h in &heads {
        let id = conflict_id(record_id, field, &h.stamp).to_string();
        if h.value == shown.value {
            tx.execute(
                "DELETE FROM conflicts WHERE id = ?1 AND resolved_at IS NULL",
                [&id],
            )?;
            continue;
        }
        let updated = tx.execute(
            "UPDATE conflicts SET kept_value = ?2, kept_clock = ?3 WHERE id = ?1",
            params![id, shown.value.to_string(), shown.stamp],
        )?;
        if updated == 0 {
            tx.execute(
                "INSERT INTO conflicts
                   (id, kind, record_id, case_id, field, kept_value, kept_clock, lost_value, lost_clock, detected_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    id,
                    kind,
                    record_id.to_string(),
                    case_id.map(|c| c.to_string()),
                    field,
                    shown.value.to_string(),
                    shown.stamp,
                    h.value.to_string(),
                    h.stamp,
                    now,
                ],
            )?;
            opened += 1;
        }
    }
    let open: Vec<(String, String)> = tx
        .prepare_cached("SELECT id, lost_clock FROM conflicts WHERE record_id = ?1 AND field = ?2 AND resolved_at IS NULL")?
        .query_map(params![record_id.to_string(), field], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, stamp) in open {
        if !heads.iter().any(|h| h.stamp == stamp) {
            tx.execute(
                "UPDATE conflicts SET resolved_at = ?1 WHERE id = ?2",
                params![now, id],
            )?;
        }
    }
    Ok(opened)
}

/// Applies changes held for a newer schema that this build now knows, in
/// log order; the rest stay held.
pub(crate) fn apply_held(
    tx: &Connection,
    own_device: Uuid,
    touched: &mut Touched,
) -> Result<ApplyReport> {
    let mut report = ApplyReport::default();
    type Held = (String, i64, String, i64, Option<String>);
    let held: Vec<Held> = tx
        .prepare("SELECT log_id, seq, change, received_ms, signer FROM pending_remote WHERE schema_version <= ?1 ORDER BY log_id, seq")?
        .query_map([RECORDS_VERSION as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (log, seq, change, received_ms, signer) in held {
        // Verified when it arrived; held before signing existed: unknown.
        let signer = signer
            .and_then(|s| Uuid::parse_str(&s).ok())
            .unwrap_or(Uuid::nil());
        let body: ChangeBody = serde_json::from_str(&change)?;
        if spec_of(&body.kind).is_none() {
            continue;
        }
        tx.execute(
            "DELETE FROM pending_remote WHERE log_id = ?1 AND seq = ?2",
            params![log, seq],
        )?;
        let arrived = Arrived {
            log_id: crate::basics::parse_id(&log)?,
            seq,
            change_id: body.change_id,
            received_ms,
            raw: change.as_bytes(),
        };
        apply(
            tx,
            own_device,
            &arrived,
            &body,
            signer,
            &mut report,
            touched,
        )?;
    }
    Ok(report)
}

pub(crate) fn conflicts(conn: &Connection, open_only: bool) -> Result<Vec<Conflict>> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, record_id, case_id, field, kept_value, kept_clock, lost_value, lost_clock, detected_at, resolved_at
         FROM conflicts WHERE (?1 = 0 OR resolved_at IS NULL) ORDER BY detected_at, id",
    )?;
    let rows = stmt.query_map([open_only as i64], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, String>(8)?,
            r.get::<_, i64>(9)?,
            r.get::<_, Option<i64>>(10)?,
        ))
    })?;
    rows.map(|row| {
        let (id, kind, record_id, case_id, field, kv, kc, lv, lc, at, resolved) = row?;
        let id_of = crate::basics::parse_id;
        Ok(Conflict {
            id: id_of(&id)?,
            kind,
            record_id: id_of(&record_id)?,
            case_id: case_id.as_deref().map(id_of).transpose()?,
            field,
            kept_value: serde_json::from_str(&kv)?,
            kept_clock: kc,
            lost_value: serde_json::from_str(&lv)?,
            lost_clock: lc,
            detected_at: record::ms_to_time(at),
            resolved_at: resolved.map(record::ms_to_time),
        })
    })
    .collect()
}

/// Settles a conflict by writing the chosen value as a new change (stamped
/// after both) that names the conflict, so every device closes it too.
/// "Mine" is the value this device wrote, if it wrote one of the two;
/// otherwise the value currently kept (shown).
pub(crate) fn resolve(
    tx: &Connection,
    author: record::Author,
    conflict: &Conflict,
    keep: Keep,
) -> Result<()> {
    let own = author.device.simple().to_string();
    let lost_is_mine = conflict.lost_clock.ends_with(&own);
    let keep_lost = match keep {
        Keep::Mine => lost_is_mine,
        Keep::Theirs => !lost_is_mine,
        Keep::Shown => false,
        Keep::Other => true,
    };
    let value = if keep_lost {
        &conflict.lost_value
    } else {
        &conflict.kept_value
    };
    let spec = spec_of(&conflict.kind)
        .ok_or_else(|| Error::Storage(format!("unknown kind {}", conflict.kind)))?;
    let stored = load(tx, spec, conflict.record_id)?.ok_or(Error::NotFound {
        what: "record",
        id: conflict.record_id.to_string(),
    })?;
    if !spec.fields.iter().any(|(f, _)| *f == conflict.field) {
        return Err(Error::Storage(format!(
            "{} has no field {}",
            spec.kind, conflict.field
        )));
    }
    let mut fields = stored.fields;
    fields.insert(conflict.field.clone(), value.clone());
    // Settling supersedes every head of the field: the shown one (as `prev`)
    // and all the others, whichever of them the person saw.
    let others = shadows(tx, conflict.record_id, &conflict.field)?
        .into_iter()
        .map(|h| h.stamp.parse::<Stamp>().map_err(Error::Storage))
        .collect::<Result<Vec<_>>>()?;
    let supersedes = std::collections::BTreeMap::from([(conflict.field.clone(), others)]);
    record::put_map(
        tx,
        author,
        spec,
        conflict.record_id,
        conflict.case_id,
        fields,
        &[conflict.field.as_str()],
        Some(&supersedes),
    )?;
    Ok(())
}

#[cfg(test)]
mod turn_tests {
    use super::*;
    use proptest::prelude::*;

    /// Short turns while the person is at work beside the sync, long ones
    /// once they have not waited for `IN_USE_FOR`.
    #[test]
    fn turns_are_short_only_while_a_command_waited_lately() {
        let s = std::time::Duration::from_secs;
        assert_eq!(turn_size(None), WRITE_TURN_CHANGES);
        assert_eq!(turn_size(Some(s(0))), WRITE_TURN_CHANGES_IN_USE);
        assert_eq!(
            turn_size(Some(IN_USE_FOR - s(1))),
            WRITE_TURN_CHANGES_IN_USE
        );
        assert_eq!(turn_size(Some(IN_USE_FOR)), WRITE_TURN_CHANGES);
        const { assert!(WRITE_TURN_CHANGES_IN_USE < WRITE_TURN_CHANGES) };
    }

    fn logged(seq: i64) -> Logged {
        Logged {
            seq,
            change_id: Uuid::from_u128(seq as u128),
            received_ms: 0,
            body: Vec::new(),
        }
    }

    /// Logs of `lengths` changes each (seq 1 on), with each one's tip.
    fn logs_of(lengths: &[usize]) -> Vec<(Uuid, Vec<Logged>, String)> {
        (0..lengths.len())
            .map(|i| {
                let id = Uuid::from_u128(i as u128 + 1);
                let changes = (1..=lengths[i] as i64).map(logged).collect();
                (id, changes, format!("tip of {id}"))
            })
            .collect()
    }

    /// Each log as one page that reaches its head.
    fn pages_of(logs: &[(Uuid, Vec<Logged>, String)]) -> Vec<PulledPage<'_>> {
        logs.iter()
            .map(|(log_id, changes, tip)| PulledPage {
                log_id: *log_id,
                changes,
                head: Some((changes.len() as i64, tip.as_str())),
            })
            .collect()
    }

    proptest! {
        /// Cut into turns, the pages are the same changes in the same order,
        /// no turn holds more than it may, and each log's head is checked
        /// once, with its last change.
        #[test]
        fn turns_keep_every_change_in_order(
            lengths in prop::collection::vec(0usize..40, 0..6),
            most in 1usize..25,
        ) {
            let logs = logs_of(&lengths);
            let pages = pages_of(&logs);
            let turns = PulledPage::in_turns(&pages, most);
            prop_assert_eq!(turns.is_empty(), pages.is_empty());
            for turn in &turns {
                prop_assert!(!turn.is_empty());
                prop_assert!(turn.iter().map(|p| p.changes.len()).sum::<usize>() <= most);
            }
            let flat: Vec<PulledPage> = turns.into_iter().flatten().collect();
            for (log_id, changes, _) in &logs {
                let slices: Vec<&PulledPage> = flat.iter().filter(|p| p.log_id == *log_id).collect();
                let seqs: Vec<i64> = slices.iter().flat_map(|p| p.changes.iter().map(|c| c.seq)).collect();
                prop_assert_eq!(seqs, changes.iter().map(|c| c.seq).collect::<Vec<_>>());
                let heads: Vec<usize> = slices
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.head.is_some())
                    .map(|(i, _)| i)
                    .collect();
                prop_assert_eq!(heads, vec![slices.len() - 1]);
            }
            // Logs keep their order: each log's slices come before the next log's.
            let order: Vec<Uuid> = flat.iter().map(|p| p.log_id).collect();
            let mut deduped = order.clone();
            deduped.dedup();
            prop_assert_eq!(deduped, logs.iter().map(|(id, ..)| *id).collect::<Vec<_>>());
        }

        /// A turn ended early (a command asked) leaves the rest to apply:
        /// whatever the turns took, every change of every log is applied
        /// once, in order, and a log's last change is applied from a slice
        /// that carries its head (so the head is checked when reached).
        #[test]
        fn turns_ended_early_apply_every_change_once_in_order(
            lengths in prop::collection::vec(0usize..40, 0..6),
            most in 1usize..25,
            stops in prop::collection::vec(1usize..30, 0..40),
        ) {
            let logs = logs_of(&lengths);
            let pages = pages_of(&logs);
            let mut applied: Vec<(Uuid, i64, bool)> = Vec::new();
            let mut rest = pages.clone();
            let mut turns = 0;
            while !rest.is_empty() {
                let (turn, after) = PulledPage::first_turn(&rest, most);
                let whole: usize = turn.iter().map(|p| p.changes.len()).sum();
                let taken = stops.get(turns).map_or(whole, |s| (*s).min(whole));
                applied.extend(
                    turn.iter()
                        .flat_map(|p| p.changes.iter().map(|c| (p.log_id, c.seq, p.head.is_some())))
                        .take(taken),
                );
                rest = PulledPage::rest_after(&turn, &after, taken);
                turns += 1;
                prop_assert!(turns <= 1000, "the rest shrinks");
            }
            for (log_id, changes, _) in &logs {
                let mine: Vec<&(Uuid, i64, bool)> = applied.iter().filter(|a| a.0 == *log_id).collect();
                prop_assert_eq!(
                    mine.iter().map(|a| a.1).collect::<Vec<_>>(),
                    changes.iter().map(|c| c.seq).collect::<Vec<_>>()
                );
                if let Some(last) = mine.last() {
                    prop_assert!(last.2, "the last change comes with its log's head");
                }
            }
        }
    }
}
