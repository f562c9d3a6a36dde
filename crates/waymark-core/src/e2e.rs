//! End-to-end encryption on this device (the primitives are in
//! `waymark-crypto`). Each person enrolled here has an X25519 key pair; its
//! secret never leaves the encrypted store and never prints. Each case has a
//! key per epoch: changes leave the device encrypted under the newest, and
//! pulled changes are opened here, or wait for their key, or are refused.

use crate::api::Session;
use crate::basics::now;
use crate::error::{Error, Result};
use crate::record::ChangeBody;
use crate::sync::{ApplyReport, Touched, ORG_LOG};
use crate::trust::Signers;
use rusqlite::{params, Connection, OptionalExtension};
use std::time::Duration;
use uuid::Uuid;
use waymark_crypto::{CaseKey, UserPublic, UserSecret};
pub use waymark_model::views::RefusedChange;
use waymark_protocol::{KeyNeeded, Logged, MyKey, SealedKey};

/// A person's key pair kept in `table` (user_id, secret, public,
/// created_at): the public half, the pair made by `make` on first need.
pub(crate) fn ensure_key_pair(
    conn: &rusqlite::Connection,
    table: &str,
    user: Uuid,
    make: impl FnOnce() -> (zeroize::Zeroizing<[u8; 32]>, [u8; 32]),
) -> Result<Vec<u8>> {
    let id = user.to_string();
    let existing: Option<Vec<u8>> = conn
        .query_row(
            &format!("SELECT public FROM {table} WHERE user_id = ?1"),
            [&id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(public) = existing {
        return Ok(public);
    }
    let (secret, public) = make();
    conn.execute(
        &format!(
            "INSERT INTO {table} (user_id, secret, public, created_at) VALUES (?1, ?2, ?3, ?4)"
        ),
        rusqlite::params![
            id,
            secret.as_slice(),
            public.as_slice(),
            now().timestamp_millis()
        ],
    )?;
    Ok(public.to_vec())
}

/// The secret half of a person's key pair in `table`.
pub(crate) fn stored_secret(
    conn: &rusqlite::Connection,
    table: &str,
    user: Uuid,
) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    Ok(zeroize::Zeroizing::new(conn.query_row(
        &format!("SELECT secret FROM {table} WHERE user_id = ?1"),
        [user.to_string()],
        |r| r.get(0),
    )?))
}

/// The person's key pair on this device, made on first need (enrolment, or
/// the first unlock of a store from before end-to-end encryption).
pub(crate) fn ensure_person_key(conn: &rusqlite::Connection, user: Uuid) -> Result<UserPublic> {
    let public = ensure_key_pair(conn, "person_keys", user, || {
        let secret = UserSecret::generate();
        (secret.to_bytes(), secret.public().0)
    })?;
    public_from(&public)
}

fn public_from(bytes: &[u8]) -> Result<UserPublic> {
    let array: [u8; 32] = bytes
        .try_into()
        .map_err(|_| Error::Storage("a stored public key is not 32 bytes".into()))?;
    Ok(UserPublic(array))
}

impl Session {
    /// This person's public key on this device (made if missing).
    pub fn public_key(&self) -> Result<UserPublic> {
        ensure_person_key(self.connection(), self.user().id)
    }

    /// This person's secret key, for opening case keys sealed to them.
    pub(crate) fn secret_key(&self) -> Result<UserSecret> {
        self.public_key()?;
        let secret = stored_secret(self.connection(), "person_keys", self.user().id)?;
        UserSecret::from_bytes(&secret).map_err(|e| Error::Storage(e.to_string()))
    }
}

/// Benchmark only (feature `unencrypted-bench`, which only the benchmark
/// binary turns on): sync case changes in plain, or without signatures, so
/// one run can print the figures of each beside the other. Off unless a
/// benchmark sets it; a build without the feature has no way to turn it on.
#[cfg(feature = "unencrypted-bench")]
pub mod bench_baseline {
    use std::sync::atomic::{AtomicBool, Ordering};
    static PLAIN: AtomicBool = AtomicBool::new(false);
    static UNSIGNED: AtomicBool = AtomicBool::new(false);
    pub fn set_plain_sync(on: bool) {
        PLAIN.store(on, Ordering::SeqCst);
    }
    pub fn set_unsigned_sync(on: bool) {
        UNSIGNED.store(on, Ordering::SeqCst);
    }
    pub(crate) fn plain_sync() -> bool {
        PLAIN.load(Ordering::SeqCst)
    }
    pub(crate) fn unsigned_sync() -> bool {
        UNSIGNED.load(Ordering::SeqCst)
    }
}

pub(crate) fn plain_sync() -> bool {
    #[cfg(feature = "unencrypted-bench")]
    return bench_baseline::plain_sync();
    #[cfg(not(feature = "unencrypted-bench"))]
    false
}

pub(crate) fn unsigned_sync() -> bool {
    #[cfg(feature = "unencrypted-bench")]
    return bench_baseline::unsigned_sync();
    #[cfg(not(feature = "unencrypted-bench"))]
    false
}

// --- Case keys ----------------------------------------------------------------------

/// A case's key at `epoch`, if this device holds it.
pub(crate) fn case_key(conn: &Connection, case: Uuid, epoch: u32) -> Result<Option<CaseKey>> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT key FROM case_keys WHERE case_id = ?1 AND epoch = ?2")?
        .query_row(params![case.to_string(), epoch], |r| r.get(0))
        .optional()?;
    bytes
        .map(|b| {
            let b = zeroize::Zeroizing::new(b);
            CaseKey::from_bytes(epoch, &b).map_err(|e| Error::Storage(e.to_string()))
        })
        .transpose()
}

/// The newest key this device holds for a case.
pub(crate) fn newest_case_key(conn: &Connection, case: Uuid) -> Result<Option<CaseKey>> {
    let epoch: Option<u32> = conn
        .prepare_cached("SELECT max(epoch) FROM case_keys WHERE case_id = ?1")?
        .query_row([case.to_string()], |r| r.get(0))?;
    match epoch {
        Some(epoch) => case_key(conn, case, epoch),
        None => Ok(None),
    }
}

/// Keeps a case key. The first key held for a (case, epoch) stays: another
/// one offered later for the same epoch is not taken (returns false).
pub(crate) fn keep_case_key(tx: &Connection, case: Uuid, key: &CaseKey) -> Result<bool> {
    let added = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO case_keys (case_id, epoch, key, received_at) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            case.to_string(),
            key.epoch,
            key.expose().as_slice(),
            now().timestamp_millis()
        ])?;
    Ok(added == 1)
}

/// The key a log's outgoing changes are encrypted under: the newest held,
/// or, for a log first written here, its first key (epoch 1), made now: a
/// case's allocation log's derived from the case's first key
/// (`CaseKey::derive_for_log`: every member makes the same), any other
/// log's at random.
pub(crate) fn key_for_outgoing(tx: &Connection, log: Uuid, case: Option<Uuid>) -> Result<CaseKey> {
    if let Some(key) = newest_case_key(tx, log)? {
        return Ok(key);
    }
    let derived = match case {
        Some(case) if log == waymark_protocol::allocation_log(case) => {
            case_key(tx, case, 1)?.map(|k| k.derive_for_log(log))
        }
        _ => None,
    };
    let key = derived.unwrap_or_else(|| CaseKey::generate(1));
    keep_case_key(tx, log, &key)?;
    Ok(key)
}

/// What became of one pulled change.
pub(crate) enum Opened {
    /// Readable, and signed by `signer` (a person: this one, or one an admin
    /// confirmed).
    Change { body: Box<ChangeBody>, signer: Uuid },
    /// Its case key (at the epoch it names) has not reached this device.
    AwaitingKey,
    /// Not applied: the reason, naming no contents.
    Refused(String),
}

/// Opens a pulled change of `log_id`. Case logs carry only ciphertext: a
/// plaintext body there (a downgrade, or a forgery by whoever relays it) is
/// refused like a tampered one. The organisation's log (templates, no case
/// data) is plain. Either way the change inside must be signed by a person
/// `signers` knows. `hold` keeps order: a log with changes already waiting
/// for a key holds the rest behind them.
pub(crate) fn open_change(
    conn: &Connection,
    log_id: Uuid,
    logged: &Logged,
    hold: bool,
    signers: &Signers,
) -> Result<Opened> {
    if log_id == ORG_LOG || plain_sync() {
        return Ok(read_change(&logged.body, log_id, logged.change_id, signers));
    }
    let epoch = match waymark_crypto::epoch_of("change", &logged.body) {
        Ok(epoch) => epoch,
        Err(e) => return Ok(Opened::Refused(e.to_string())),
    };
    if hold {
        return Ok(Opened::AwaitingKey);
    }
    let Some(key) = case_key(conn, log_id, epoch)? else {
        return Ok(Opened::AwaitingKey);
    };
    Ok(open_with(&key, log_id, logged, signers))
}

/// Decrypts and reads a case change under the key of its epoch.
fn open_with(key: &CaseKey, log_id: Uuid, logged: &Logged, signers: &Signers) -> Opened {
    match waymark_crypto::decrypt_change(key, log_id, logged.change_id, &logged.body) {
        Ok(plain) => read_change(&plain, log_id, logged.change_id, signers),
        Err(e) => Opened::Refused(e.to_string()),
    }
}

/// A batch of changes opened on a worker (each with its slot in pull order)
/// and the worker's time opening it.
type OpenedBatch = (Vec<(usize, Opened)>, Duration);

/// A batch of this many changes is opened ahead as one unit of work (their
/// signatures verified as one batch: 256 costs a tenth less per signature
/// than 128, and the loop waits at most one batch at the start).
const AHEAD_CHUNK: usize = 256;

/// A large pull's case changes, opened (decrypted and their signatures
/// verified) on the other cores while the apply loop writes the ones before
/// them; when the loop would wait, it opens a batch itself. `next` hands the
/// loop each change's slot in pull order; `None` leaves a change to
/// `open_change` in the loop: a small pull, the organisation's log, a change
/// without a readable epoch or a key here. The loop uses a slot only where
/// `open_change` would open the change the same way (the log is not holding
/// changes for a key).
pub(crate) struct Ahead<'a> {
    opened_here: Vec<bool>,
    ready: std::collections::HashMap<usize, Opened>,
    from_workers: Option<std::sync::mpsc::Receiver<OpenedBatch>>,
    work: Option<&'a Work<'a>>,
    at: usize,
    /// The workers' time opening, summed (for `ApplyStages`).
    pub(crate) worked: Duration,
}

impl Ahead<'_> {
    pub(crate) fn next(&mut self) -> Option<Opened> {
        let at = self.at;
        self.at += 1;
        if !self.opened_here.get(at).copied().unwrap_or(false) {
            return None;
        }
        loop {
            if let Some(opened) = self.ready.remove(&at) {
                return Some(opened);
            }
            let from_workers = self.from_workers.as_ref()?;
            if let Ok((batch, took)) = from_workers.try_recv() {
                self.worked += took;
                self.ready.extend(batch);
                continue;
            }
            // Rather than wait, open a batch not yet taken here.
            if let Some((batch, _)) = self.work.and_then(Work::open_next) {
                self.ready.extend(batch);
                continue;
            }
            // A worker that stopped (it panicked: the scope re-raises it)
            // leaves the change to the loop.
            let (batch, took) = from_workers.recv().ok()?;
            self.worked += took;
            self.ready.extend(batch);
        }
    }
}

/// The case changes of a pull to open, in batches any thread may take.
pub(crate) struct Work<'a> {
    jobs: &'a [AheadJob<'a>],
    keys: &'a std::collections::HashMap<(Uuid, u32), Option<CaseKey>>,
    signers: &'a Signers,
    next_batch: std::sync::atomic::AtomicUsize,
}

impl Work<'_> {
    /// Takes the next batch and opens it (with the time it took); `None`
    /// once every batch is taken.
    fn open_next(&self) -> Option<OpenedBatch> {
        let batch = self
            .next_batch
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let start = batch.checked_mul(AHEAD_CHUNK)?;
        if start >= self.jobs.len() {
            return None;
        }
        let part = &self.jobs[start..(start + AHEAD_CHUNK).min(self.jobs.len())];
        let started = std::time::Instant::now();
        let opened = open_many(part, self.keys, self.signers);
        Some((opened, started.elapsed()))
    }
}

/// Runs `apply` over `pages` with their case changes opened ahead on other
/// cores (see `Ahead`), for a pull large enough to be worth the threads.
pub(crate) fn with_opened_ahead<T>(
    conn: &Connection,
    pages: &[crate::sync::PulledPage],
    signers: &Signers,
    apply: impl FnOnce(&mut Ahead<'_>) -> Result<T>,
) -> Result<T> {
    let total: usize = pages.iter().map(|p| p.changes.len()).sum();
    let workers = crate::sync::worker_threads().saturating_sub(1);
    if total < crate::sync::PARALLEL_FROM || workers == 0 || plain_sync() {
        return apply(&mut Ahead {
            opened_here: Vec::new(),
            ready: Default::default(),
            from_workers: None,
            work: None,
            at: 0,
            worked: Duration::ZERO,
        });
    }
    let mut keys: std::collections::HashMap<(Uuid, u32), Option<CaseKey>> = Default::default();
    let mut jobs = Vec::new();
    let mut opened_here = vec![false; total];
    let mut at = 0;
    for page in pages {
        for logged in page.changes {
            if page.log_id != ORG_LOG {
                if let Ok(epoch) = waymark_crypto::epoch_of("change", &logged.body) {
                    let wanted = (page.log_id, epoch);
                    if let std::collections::hash_map::Entry::Vacant(e) = keys.entry(wanted) {
                        e.insert(case_key(conn, page.log_id, epoch)?);
                    }
                    if keys[&wanted].is_some() {
                        jobs.push((at, wanted, logged));
                        opened_here[at] = true;
                    }
                }
            }
            at += 1;
        }
    }
    let work = Work {
        jobs: &jobs,
        keys: &keys,
        signers,
        next_batch: std::sync::atomic::AtomicUsize::new(0),
    };
    std::thread::scope(|s| {
        let (send, receive) = std::sync::mpsc::channel();
        for _ in 0..workers {
            let (send, work) = (send.clone(), &work);
            s.spawn(move || {
                while let Some(opened) = work.open_next() {
                    // The loop stopped (an error): nothing more is wanted.
                    if send.send(opened).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        let mut ahead = Ahead {
            opened_here,
            ready: Default::default(),
            from_workers: Some(receive),
            work: Some(&work),
            at: 0,
            worked: Duration::ZERO,
        };
        let result = apply(&mut ahead);
        // Workers still opening stop at their next send.
        drop(ahead);
        result
    })
}

type AheadJob<'p> = (usize, (Uuid, u32), &'p Logged);
type SignedBytes<'p> = (Uuid, Uuid, &'p [u8]);

/// Opens a run of case changes as `open_with` would each, their signatures
/// verified as one batch.
fn open_many(
    jobs: &[AheadJob],
    keys: &std::collections::HashMap<(Uuid, u32), Option<CaseKey>>,
    signers: &Signers,
) -> Vec<(usize, Opened)> {
    let plain: Vec<std::result::Result<zeroize::Zeroizing<Vec<u8>>, String>> = jobs
        .iter()
        .map(|&(_, (log_id, epoch), logged)| {
            let key = keys[&(log_id, epoch)].as_ref().expect("a key held");
            waymark_crypto::decrypt_change(key, log_id, logged.change_id, &logged.body)
                .map_err(|e| e.to_string())
        })
        .collect();
    let mut opened: Vec<Option<Opened>> = plain
        .iter()
        .map(|p| p.as_ref().err().map(|e| Opened::Refused(e.clone())))
        .collect();
    // (slot, (log, change id, signed bytes)) of each change that decrypted.
    let readable: Vec<(usize, SignedBytes)> = jobs
        .iter()
        .zip(&plain)
        .enumerate()
        .filter_map(|(i, (&(_, (log_id, _), logged), p))| {
            p.as_ref()
                .ok()
                .map(|p| (i, (log_id, logged.change_id, p.as_slice())))
        })
        .collect();
    let changes: Vec<_> = readable.iter().map(|&(_, c)| c).collect();
    let checked = signers.check_many(&changes);
    for (&(i, (_, change_id, _)), signed) in readable.iter().zip(checked) {
        opened[i] = Some(read_signed(signed, change_id));
    }
    jobs.iter()
        .zip(opened)
        .map(|(&(at, ..), o)| (at, o.expect("every change opened")))
        .collect()
}

fn read_change(bytes: &[u8], log_id: Uuid, change_id: Uuid, signers: &Signers) -> Opened {
    read_signed(signers.check(log_id, change_id, bytes), change_id)
}

/// A change as its signature check left it: read if it held.
fn read_signed(signed: std::result::Result<(Uuid, &[u8]), String>, change_id: Uuid) -> Opened {
    let (signer, bytes) = match signed {
        Ok(signed) => signed,
        Err(reason) => return Opened::Refused(reason),
    };
    match serde_json::from_slice::<ChangeBody>(bytes) {
        Ok(body) if body.change_id == change_id => Opened::Change {
            body: Box::new(body),
            signer,
        },
        Ok(_) => Opened::Refused("carries another change's body".into()),
        Err(_) => Opened::Refused("not a readable change".into()),
    }
}

/// Whether a log has changes waiting for a key (later ones wait behind them).
pub(crate) fn is_awaiting(conn: &Connection, log_id: Uuid) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM awaiting_key WHERE log_id = ?1 LIMIT 1")?
        .exists([log_id.to_string()])?)
}

pub(crate) fn hold_for_key(tx: &Connection, log_id: Uuid, logged: &Logged) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO awaiting_key (log_id, seq, change_id, body, received_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        log_id.to_string(),
        logged.seq,
        logged.change_id.to_string(),
        logged.body,
        logged.received_ms,
    ])?;
    Ok(())
}

/// Applies a log's waiting changes in order, as far as keys now allow.
fn apply_awaiting(
    tx: &Connection,
    own_device: Uuid,
    log_id: Uuid,
    signers: &Signers,
    report: &mut ApplyReport,
    touched: &mut Touched,
) -> Result<()> {
    let waiting: Vec<Logged> = tx
        .prepare_cached(
            "SELECT seq, change_id, body, received_ms FROM awaiting_key WHERE log_id = ?1 ORDER BY seq",
        )?
        .query_map([log_id.to_string()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get(2)?,
                r.get(3)?,
            ))
        })?
        .map(|row| {
            let (seq, change_id, body, received_ms) = row?;
            Ok(Logged {
                seq,
                change_id: crate::basics::parse_id(&change_id)?,
                received_ms,
                body,
            })
        })
        .collect::<Result<_>>()?;
    for logged in waiting {
        let opened = open_change(tx, log_id, &logged, false, signers)?;
        if matches!(opened, Opened::AwaitingKey) {
            break;
        }
        tx.prepare_cached("DELETE FROM awaiting_key WHERE log_id = ?1 AND seq = ?2")?
            .execute(params![log_id.to_string(), logged.seq])?;
        let arrived = crate::sync::Arrived::of(log_id, &logged);
        match opened {
            Opened::Change { body, signer } => {
                crate::sync::apply(tx, own_device, &arrived, &body, signer, report, touched)?
            }
            Opened::Refused(reason) => {
                crate::sync::refuse(tx, &arrived, &reason)?;
                report.refused += 1;
            }
            Opened::AwaitingKey => unreachable!("stopped above"),
        }
    }
    Ok(())
}

/// What receiving sealed case keys did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KeysReceived {
    /// Keys new to this device.
    pub keys: u64,
    /// Sealed keys that did not open (not for us, tampered, unknown version).
    pub unreadable: u64,
    /// Sealed keys no confirmed identity signed: kept aside, never opened
    /// (`refused_keys`), checked again after each trust update.
    pub refused: u64,
    /// Waiting changes the new keys opened.
    pub applied: ApplyReport,
}

/// Case keys sealed for recipients that lacked them.
#[derive(Debug, Default)]
pub struct Sealing {
    /// Keys this device holds, sealed to new recipients.
    pub keys: Vec<SealedKey>,
    /// New keys for cases a member left, each sealed to every recipient.
    pub rotations: Vec<Rotation>,
    /// Needs whose recipient failed the checks (recorded in
    /// `refused_recipients`, never sealed to).
    pub refused: u64,
}

/// A case's next key (epoch + 1), made here, sealed to each recipient.
#[derive(Debug)]
pub struct Rotation {
    pub log_id: Uuid,
    pub key: CaseKey,
    pub sealed: Vec<SealedKey>,
}

impl Session {
    /// Where this person stands in the list of keys sealed to them.
    pub fn keys_after(&self) -> Result<i64> {
        Ok(self
            .connection()
            .query_row(
                "SELECT after FROM key_cursors WHERE user_id = ?1",
                [self.user().id.to_string()],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

    /// Opens case keys sealed to this person, keeps them, moves the key
    /// cursor, and applies the changes that were waiting for them: one
    /// transaction.
    pub fn receive_case_keys(&mut self, keys: &[MyKey]) -> Result<KeysReceived> {
        let secret = self.secret_key()?;
        let (own_key, own_identity) = (self.public_key()?, self.identity_key()?);
        let (certified, _) = self.certified_recipients()?;
        let own = self.device_id();
        let user = self.user().id;
        let mut received = KeysReceived::default();
        let mut touched = Touched::default();
        let mut opened_logs = std::collections::BTreeSet::new();
        let mut tx = self.begin()?;
        let mut after = 0;
        for k in keys {
            after = after.max(k.id);
            if let Err(why) = crate::trust::check_sealed_key(k, &own_key, &own_identity, &certified)
            {
                tx.tx.execute(
                    "INSERT INTO refused_keys (user_id, key_id, log_id, epoch, sealed, sender_identity, signature, reason, refused_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT (user_id, key_id) DO UPDATE SET reason = excluded.reason",
                    params![
                        user.to_string(),
                        k.id,
                        k.log_id.to_string(),
                        k.epoch,
                        k.sealed,
                        k.sender_identity,
                        k.signature,
                        why,
                        crate::basics::now().timestamp_millis()
                    ],
                )?;
                received.refused += 1;
                continue;
            }
            tx.tx.execute(
                "DELETE FROM refused_keys WHERE user_id = ?1 AND key_id = ?2",
                params![user.to_string(), k.id],
            )?;
            match waymark_crypto::open_case_key(&secret, k.log_id, k.epoch, &k.sealed) {
                Ok(key) => {
                    if keep_case_key(&tx.tx, k.log_id, &key)? {
                        received.keys += 1;
                    }
                    opened_logs.insert(k.log_id);
                }
                Err(_) => received.unreadable += 1,
            }
        }
        if after > 0 {
            tx.tx.execute(
                "INSERT INTO key_cursors (user_id, after) VALUES (?1, ?2)
                 ON CONFLICT (user_id) DO UPDATE SET after = max(after, excluded.after)",
                params![user.to_string(), after],
            )?;
        }
        let signers = Signers::load(&tx.tx, user)?;
        for log in opened_logs {
            apply_awaiting(
                &tx.tx,
                own,
                log,
                &signers,
                &mut received.applied,
                &mut touched,
            )?;
        }
        tx.refresh_after_sync(touched)?;
        tx.commit()?;
        Ok(received)
    }

    /// Seals the case keys this device holds for the recipients the server
    /// says lack them. A need one epoch past the newest key held is a
    /// rotation (a member left): a new key is made for the case and sealed to
    /// every recipient listed, to be kept here only once the server takes it
    /// (`keep_rotated_key`). Only recipients `trust::check_recipient` allows
    /// are sealed to (a certified identity's key, the vouched recovery key,
    /// this person's own); the others are recorded as refused. Needs it
    /// cannot serve (a key it does not hold, a weak recipient key) are left
    /// for another device.
    pub fn seal_case_keys(&mut self, needed: &[KeyNeeded]) -> Result<Sealing> {
        let allowed = self.screen_recipients(needed)?;
        let conn = self.connection();
        let mut sealing = Sealing::default();
        let mut rotations: std::collections::BTreeMap<Uuid, Rotation> = Default::default();
        for (need, allowed) in needed.iter().zip(allowed) {
            if !allowed {
                sealing.refused += 1;
                continue;
            }
            let Ok(recipient) = <[u8; 32]>::try_from(need.recipient_key.as_slice()) else {
                continue;
            };
            let newest = newest_case_key(conn, need.log_id)?;
            let (key, rotation) = match (need.epoch, &newest) {
                (0, Some(newest)) => (newest.clone(), false),
                (epoch, Some(newest)) if epoch == newest.epoch + 1 => {
                    let r = rotations.entry(need.log_id).or_insert_with(|| Rotation {
                        log_id: need.log_id,
                        key: CaseKey::generate(epoch),
                        sealed: Vec::new(),
                    });
                    (r.key.clone(), true)
                }
                (epoch, Some(_)) => match case_key(conn, need.log_id, epoch)? {
                    Some(key) => (key, false),
                    None => continue,
                },
                (_, None) => continue,
            };
            let Ok(sealed) =
                waymark_crypto::seal_case_key(&UserPublic(recipient), need.log_id, &key)
            else {
                continue;
            };
            let sealed = SealedKey {
                log_id: need.log_id,
                epoch: key.epoch,
                recipient_key: need.recipient_key.clone(),
                sealed,
                sender_identity: None,
                signature: None,
            };
            match rotation {
                true => rotations
                    .get_mut(&need.log_id)
                    .expect("made above")
                    .sealed
                    .push(sealed),
                false => sealing.keys.push(sealed),
            }
        }
        sealing.rotations = rotations.into_values().collect();
        let signer = self.identity_secret()?;
        crate::trust::sign_sealed_keys(signer, &mut sealing.keys);
        for rotation in &mut sealing.rotations {
            crate::trust::sign_sealed_keys(signer, &mut rotation.sealed);
        }
        Ok(sealing)
    }

    /// Keeps a rotated case key once the server has taken it.
    pub fn keep_rotated_key(&mut self, case: Uuid, key: &CaseKey) -> Result<()> {
        let tx = self.begin()?;
        keep_case_key(&tx.tx, case, key)?;
        tx.commit()
    }

    /// Reads a relayed change of `log_id` with the keys held here: `None`
    /// when its key has not arrived, an error naming why it is refused.
    pub fn open_logged(&self, log_id: Uuid, logged: &Logged) -> Result<Option<ChangeBody>> {
        let signers = Signers::load(self.connection(), self.user().id)?;
        match open_change(self.connection(), log_id, logged, false, &signers)? {
            Opened::Change { body, .. } => Ok(Some(*body)),
            Opened::AwaitingKey => Ok(None),
            Opened::Refused(reason) => Err(Error::Storage(format!(
                "change {} refused: {reason}",
                logged.change_id
            ))),
        }
    }

    /// A change as this person's device sends it, signed and (for a case
    /// log) ready to encrypt: for tools that write relayed changes, such as
    /// tests of what a member's forged change does.
    pub fn signed_change(&self, log_id: Uuid, body: &ChangeBody) -> Result<Vec<u8>> {
        Ok(waymark_crypto::sign_change(
            self.identity_secret()?,
            log_id,
            body.change_id,
            &serde_json::to_vec(body)?,
        ))
    }

    /// The newest key held for a case (for tools that write relayed
    /// changes, such as tests of what a forged change does; never printed:
    /// its Debug shows only the epoch).
    pub fn case_key(&self, case: Uuid) -> Result<Option<CaseKey>> {
        newest_case_key(self.connection(), case)
    }

    /// Drops every copy of cases the organisation erased, in one
    /// transaction: their records (notes, plans, attachments and contents
    /// included), drafts, unsent and kept changes, sync state, and their case
    /// keys, so nothing of them can be decrypted here again. Deleted pages
    /// are overwritten (`secure_delete`) and the journal checkpointed, so the
    /// contents do not linger in free space. The audit log keeps the ids and
    /// the erasure. Returns how many of the cases this device held.
    pub fn erase_cases(&mut self, cases: &[Uuid]) -> Result<u64> {
        self.drop_cases(cases, "erase")
    }

    /// Deletes every trace of `cases` from the store (secure delete, the
    /// search index merged, the WAL truncated), audited as `action`.
    fn drop_cases(&mut self, logs: &[Uuid], action: &str) -> Result<u64> {
        let (cases, supervised) = cases_named(self.connection(), logs)?;
        self.connection()
            .execute_batch("PRAGMA secure_delete = ON")?;
        let result = (|| {
            let tx = self.begin()?;
            let mut held = 0;
            for case in &supervised {
                if delete_supervision(&tx.tx, *case)? {
                    tx.audit(action, "supervision_log", None, Some(*case))?;
                }
            }
            for case in &cases {
                if action == "erase" {
                    // Erased means gone: what was set aside there too.
                    tx.tx.execute(
                        "DELETE FROM set_aside WHERE case_id = ?1",
                        [case.to_string()],
                    )?;
                }
                if delete_case(&tx.tx, *case)? {
                    held += 1;
                    tx.audit(action, "person", Some(*case), Some(*case))?;
                    tx.tx.execute(
                        "INSERT OR REPLACE INTO dropped_cases (case_id, dropped_at) VALUES (?1, ?2)",
                        params![case.to_string(), crate::record::now_ms() as i64],
                    )?;
                }
            }
            tx.commit()?;
            if held > 0 {
                // A deleted row's words stay in the search index's segments
                // until they are merged: merged now, while freed pages are
                // still overwritten.
                self.connection().execute_batch(
                    "INSERT INTO notes_fts(notes_fts) VALUES ('optimize');
                     INSERT INTO persons_fts(persons_fts) VALUES ('optimize');",
                )?;
            }
            Ok(held)
        })();
        let conn = self.connection();
        conn.execute_batch("PRAGMA secure_delete = OFF")?;
        if matches!(result, Ok(n) if n > 0) {
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        result
    }

    /// Sets aside the unsent changes in `logs`, cases the server says were
    /// taken from this person longer ago than it takes a late write: they
    /// leave the outbox (the rest can be pushed) for `set_aside`, where they
    /// stay, readable by this person, and survive the case being dropped.
    /// Returns how many were moved.
    pub fn set_aside(&mut self, logs: &[Uuid]) -> Result<u64> {
        let tx = self.begin()?;
        let mut moved = 0;
        let pending = unsent_logs(&tx.tx)?;
        for (seq, log) in pending {
            if !logs.contains(&log) {
                continue;
            }
            tx.tx.execute(
                "INSERT OR IGNORE INTO set_aside (change_id, clock, kind, record_id, case_id, payload, set_aside_at)
                 SELECT change_id, clock, kind, record_id, case_id, payload, ?2 FROM outbox WHERE seq = ?1",
                params![seq, crate::record::now_ms() as i64],
            )?;
            tx.tx.execute("DELETE FROM outbox WHERE seq = ?1", [seq])?;
            moved += 1;
        }
        if moved > 0 {
            tx.audit("set_aside", "change", None, None)?;
        }
        tx.commit()?;
        Ok(moved)
    }

    /// The changes set aside (`set_aside`), the latest first.
    pub fn set_aside_changes(&self) -> Result<Vec<waymark_model::views::SetAsideChange>> {
        let mut stmt = self.connection().prepare(
            "SELECT change_id, case_id, kind, record_id, set_aside_at, payload FROM set_aside
             ORDER BY set_aside_at DESC, clock DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (change, case, kind, record, at, payload) = row?;
            let payload: serde_json::Value = serde_json::from_str(&payload)?;
            out.push(waymark_model::views::SetAsideChange {
                change_id: crate::basics::parse_id(&change)?,
                case_id: case.as_deref().map(crate::basics::parse_id).transpose()?,
                kind,
                record_id: crate::basics::parse_id(&record)?,
                set_aside_at: crate::record::ms_to_time(at),
                fields: payload["fields"].as_object().cloned().unwrap_or_default(),
            });
        }
        Ok(out)
    }

    /// Drops cases this person may no longer read (unshared from them, or
    /// given to another keyworker), as erasure does, but never one with
    /// changes still waiting to be sent: those go first (the server takes a
    /// former member's late writes for a while), and it is dropped at the
    /// sync after. Returns how many were dropped.
    pub fn withdraw_cases(&mut self, cases: &[Uuid]) -> Result<u64> {
        // A log with something of ours still to send (a case's, or its
        // supervision log's) stays until that is sent.
        let unsent: Vec<Uuid> = unsent_logs(self.connection())?
            .into_iter()
            .map(|(_, log)| log)
            .collect();
        let ready: Vec<Uuid> = cases
            .iter()
            .copied()
            .filter(|c| !unsent.contains(c))
            .collect();
        if ready.is_empty() {
            return Ok(0);
        }
        self.drop_cases(&ready, "withdrawn")
    }

    /// Changes waiting for their case key.
    pub fn awaiting_key(&self) -> Result<i64> {
        Ok(self
            .connection()
            .query_row("SELECT count(*) FROM awaiting_key", [], |r| r.get(0))?)
    }

    /// How many changes were refused on arrival (for a status line).
    pub fn refused_count(&self) -> Result<i64> {
        Ok(self
            .connection()
            .query_row("SELECT count(*) FROM refused_changes", [], |r| r.get(0))?)
    }

    /// Changes refused on arrival, newest first.
    pub fn refused_changes(&self) -> Result<Vec<RefusedChange>> {
        self.connection()
            .prepare(
                "SELECT log_id, seq, change_id, reason, refused_at, coalesce(length(body), 0)
                 FROM refused_changes ORDER BY refused_at DESC, log_id, seq",
            )?
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                ))
            })?
            .map(|row| {
                let (log, seq, change, reason, refused_at, bytes) = row?;
                Ok(RefusedChange {
                    log_id: crate::basics::parse_id(&log)?,
                    seq,
                    change_id: crate::basics::parse_id(&change)?,
                    reason,
                    refused_at: crate::record::ms_to_time(refused_at),
                    bytes,
                })
            })
            .collect()
    }

    /// A refused change's bytes as they came (ciphertext for a case's log),
    /// kept so nothing refused is lost.
    pub fn refused_change_body(&self, log_id: Uuid, seq: i64) -> Result<Option<Vec<u8>>> {
        Ok(self
            .connection()
            .query_row(
                "SELECT body FROM refused_changes WHERE log_id = ?1 AND seq = ?2",
                params![log_id.to_string(), seq],
                |r| r.get::<_, Option<Vec<u8>>>(0),
            )
            .optional()?
            .flatten())
    }
}

/// Deletes everything this store holds of `case`: its records (notes, plans,
/// attachments and contents included), drafts, unsent and kept changes, sync
/// state and case keys. The caller turns `secure_delete` on first. Returns
/// whether the store held the case at all.
pub(crate) fn delete_case(tx: &Connection, case: Uuid) -> Result<bool> {
    let c = case.to_string();
    let supervision = waymark_protocol::supervision_log(case);
    let allocation = waymark_protocol::allocation_log(case);
    let known: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM persons WHERE id = ?1)
             OR EXISTS (SELECT 1 FROM contact_briefs WHERE case_id = ?1)
             OR EXISTS (SELECT 1 FROM case_keys WHERE case_id = ?3)
             OR EXISTS (SELECT 1 FROM group_sessions WHERE id = ?1)
             OR EXISTS (SELECT 1 FROM outreach_tallies WHERE log_id = ?1)
             OR EXISTS (SELECT 1 FROM outbox WHERE case_id = ?1)
             OR EXISTS (SELECT 1 FROM supervision_notes WHERE case_id = ?1)
             OR EXISTS (SELECT 1 FROM sync_cursors WHERE log_id IN (?1, ?2))
             OR EXISTS (SELECT 1 FROM case_keys WHERE case_id IN (?1, ?2))
             OR EXISTS (SELECT 1 FROM awaiting_key WHERE log_id IN (?1, ?2))
             OR EXISTS (SELECT 1 FROM pending_remote WHERE log_id IN (?1, ?2))",
        [&c, &supervision.to_string(), &allocation.to_string()],
        |r| r.get(0),
    )?;
    if !known {
        return Ok(false);
    }
    let records: String = crate::record::case_tables()
        .map(|t| format!("SELECT id FROM {t} WHERE case_id = ?1"))
        .chain(["SELECT ?1".to_owned()])
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    for sql in [
        format!("DELETE FROM shadow_heads WHERE record_id IN ({records})"),
        format!("DELETE FROM tombstones WHERE record_id IN ({records}) OR log_id = ?1"),
        "DELETE FROM reminders_shown WHERE appointment_id IN (SELECT id FROM appointments WHERE case_id = ?1)".into(),
        "DELETE FROM attachment_blobs WHERE attachment_id IN (SELECT id FROM attachments WHERE case_id = ?1)".into(),
        "DELETE FROM attachment_downloads WHERE attachment_id IN (SELECT id FROM attachments WHERE case_id = ?1)".into(),
    ] {
        tx.execute(&sql, [&c])?;
    }
    for table in crate::record::case_tables().chain(["case_summary"]) {
        tx.execute(&format!("DELETE FROM {table} WHERE case_id = ?1"), [&c])?;
    }
    tx.execute("DELETE FROM persons WHERE id = ?1", [&c])?;
    // Logs that are no case: a group session, a tally log.
    for sql in [
        "DELETE FROM shadow_heads WHERE record_id = ?1 OR record_id IN (SELECT id FROM outreach_tallies WHERE log_id = ?1)",
        "DELETE FROM group_sessions WHERE id = ?1",
        "DELETE FROM outreach_tallies WHERE log_id = ?1",
    ] {
        tx.execute(sql, [&c])?;
    }
    for table in ["outbox", "pushed", "conflicts", "drafts"] {
        tx.execute(&format!("DELETE FROM {table} WHERE case_id = ?1"), [&c])?;
    }
    forget_log(tx, case)?;
    forget_log(tx, supervision)?;
    forget_log(tx, allocation)?;
    Ok(true)
}

/// Forgets a log: its keys, read position and what waited in it.
fn forget_log(tx: &Connection, log: Uuid) -> Result<()> {
    let l = log.to_string();
    tx.execute("DELETE FROM case_keys WHERE case_id = ?1", [&l])?;
    for table in [
        "sync_cursors",
        "pending_remote",
        "awaiting_key",
        "refused_changes",
    ] {
        tx.execute(&format!("DELETE FROM {table} WHERE log_id = ?1"), [&l])?;
    }
    Ok(())
}

/// Drops a case's supervision log alone (its keyworker lost it but still
/// holds the case, shared with them): its notes, keys and read position.
fn delete_supervision(tx: &Connection, case: Uuid) -> Result<bool> {
    let c = case.to_string();
    let mut notes = 0;
    for kind in crate::arrival::SUPERVISION_KINDS {
        let table = crate::record::spec(kind).table;
        notes += tx.execute(
            &format!(
                "DELETE FROM shadow_heads WHERE record_id IN (SELECT id FROM {table} WHERE case_id = ?1)"
            ),
            [&c],
        )? + tx.execute(&format!("DELETE FROM {table} WHERE case_id = ?1"), [&c])?;
        for table in ["outbox", "pushed"] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE case_id = ?1 AND kind = ?2"),
                [c.as_str(), kind],
            )?;
        }
    }
    forget_log(tx, waymark_protocol::supervision_log(case))?;
    Ok(notes > 0)
}

/// The unsent changes of cases, each by its outbox seq with the log it
/// travels in.
fn unsent_logs(conn: &Connection) -> Result<Vec<(i64, Uuid)>> {
    let mut stmt =
        conn.prepare("SELECT seq, log_id, kind, case_id FROM outbox WHERE case_id IS NOT NULL")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, log, kind, case) = row?;
        let log = match log {
            Some(log) => crate::basics::parse_id(&log)?,
            None => {
                crate::sync::log_before_allocation(&kind, Some(crate::basics::parse_id(&case)?))
            }
        };
        out.push((seq, log));
    }
    Ok(out)
}

/// The supervision logs of the cases this device holds or wrote to, each
/// to its case (a supervision log's id follows from its case's).
pub(crate) fn supervision_logs(conn: &Connection) -> Result<std::collections::HashMap<Uuid, Uuid>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM persons UNION SELECT case_id FROM supervision_notes
         UNION SELECT case_id FROM outbox WHERE case_id IS NOT NULL",
    )?;
    let mut logs = std::collections::HashMap::new();
    for id in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let case = crate::basics::parse_id(&id?)?;
        logs.insert(waymark_protocol::supervision_log(case), case);
    }
    Ok(logs)
}

/// The allocation logs of the cases this device holds, was allocated or
/// wrote to, each to its case.
pub(crate) fn allocation_logs(conn: &Connection) -> Result<std::collections::HashMap<Uuid, Uuid>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM persons UNION SELECT case_id FROM contact_briefs
         UNION SELECT case_id FROM outbox WHERE case_id IS NOT NULL",
    )?;
    let mut logs = std::collections::HashMap::new();
    for id in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let case = crate::basics::parse_id(&id?)?;
        logs.insert(waymark_protocol::allocation_log(case), case);
    }
    Ok(logs)
}

/// What a list of logs from the server names here: cases (a case's
/// allocation log named is its case: a volunteer holds nothing else of
/// it), and the cases whose supervision log alone is named.
fn cases_named(conn: &Connection, logs: &[Uuid]) -> Result<(Vec<Uuid>, Vec<Uuid>)> {
    let by_supervision = supervision_logs(conn)?;
    let by_allocation = allocation_logs(conn)?;
    let (mut cases, mut supervised) = (Vec::new(), Vec::new());
    for log in logs {
        if let Some(case) = by_allocation.get(log) {
            if !cases.contains(case) {
                cases.push(*case);
            }
            continue;
        }
        match by_supervision.get(log) {
            Some(case) if !logs.contains(case) => supervised.push(*case),
            Some(_) => {}
            None => cases.push(*log),
        }
    }
    Ok((cases, supervised))
}

#[cfg(test)]
mod tests {
    use crate::{Passphrase, Session};

    #[test]
    fn each_person_gets_a_key_pair_on_enrolment_that_stays() {
        let dir = tempfile::tempdir().unwrap();
        let pass = Passphrase::new("correct horse battery staple");
        let s = Session::create(dir.path(), "amina", &pass).unwrap();
        let count = |s: &Session| -> i64 {
            s.connection()
                .query_row("SELECT count(*) FROM person_keys", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(count(&s), 1, "made when the store is created");
        let amina = s.public_key().unwrap();
        let bea = Session::create(dir.path(), "bea", &pass).unwrap();
        assert_eq!(
            count(&bea),
            1,
            "made when a person is enrolled, in their own store"
        );
        assert_eq!(count(&s), 1, "and only there");
        bea.lock();
        assert_eq!(s.secret_key().unwrap().public(), amina);
        s.lock();
        let s = Session::unlock(dir.path(), Some("bea"), &pass).unwrap();
        let bea = s.public_key().unwrap();
        assert_ne!(bea, amina, "a key pair per person");
        assert_eq!(format!("{:?}", s.secret_key().unwrap()), "UserSecret(..)");
        s.lock();
        let s = Session::unlock(dir.path(), Some("amina"), &pass).unwrap();
        assert_eq!(s.public_key().unwrap(), amina, "the same key after a lock");
    }
}
