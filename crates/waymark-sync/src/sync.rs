//! One sync: trust, keys, push, attachments, pull, tidy, in that order,
//! each stage resumable; a failure names the stage and what moved before it.

use crate::*;
use serde::Serialize;
use uuid::Uuid;
use waymark_core::sync::{turn_size, Acked, ApplyReport, OwnRun, Placed, PulledPage, SyncAccount};
use waymark_core::{Passphrase, Session};
use waymark_protocol::*;
use zeroize::Zeroizing;

/// For a progress bar: changes done out of the total known so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub done: u64,
    pub total: u64,
}

/// What one sync moved.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SyncReport {
    pub pushed: u64,
    /// Pushed changes the server already had (an earlier push whose answer
    /// was lost): stored once.
    pub already_on_server: u64,
    pub pulled: u64,
    pub applied: ApplyReport,
    /// Logs the server had fewer changes of than this device had applied (a
    /// server restored from an older backup).
    pub logs_behind_on_server: Vec<Uuid>,
    /// This device's changes pushed again to a restored server.
    pub requeued_for_server: u64,
    /// Changes re-stamped because this device's clock ran ahead.
    pub restamped: u64,
    /// Attachment bytes uploaded.
    pub blob_bytes_uploaded: u64,
    /// Removed records purged: every device that reads their case has seen
    /// the removal.
    pub tombstones_purged: u64,
    pub open_conflicts: usize,
    pub held_for_upgrade: i64,
    /// Case keys sealed to this device that arrived, and keys this device
    /// sealed for members (and the recovery key) that lacked them.
    pub keys_received: u64,
    pub keys_sealed: u64,
    /// Cases given a new key because a member left.
    pub keys_rotated: u64,
    /// Changes still waiting for their case key after this sync.
    pub awaiting_key: i64,
    /// Cases erased by the organisation, dropped from this device.
    pub cases_erased: u64,
    /// Cases this person may no longer read (unshared, or given to another
    /// keyworker), dropped from this device once nothing waited to be sent.
    pub cases_withdrawn: u64,
    /// Changes this person made in cases taken from them too long ago for
    /// the server to take them: kept here, never sent (`waymark set-aside`).
    pub set_aside: u64,
    /// Recipients the server listed that this device refused to seal to
    /// (no certified identity vouches for them): `waymark refused` lists them.
    pub recipients_refused: u64,
    /// Sealed keys held aside because no confirmed identity signed them.
    pub keys_refused: u64,
    /// Certificates (or the recovery key's signature) that did not verify.
    pub certificates_refused: u64,
    /// No admin has confirmed this person's identity yet: colleagues'
    /// devices seal them no case keys until one does.
    pub waiting_for_confirmation: bool,
    pub requests: u64,
}

/// The stages of a sync, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The organisation's key and certificates: whom to trust.
    Trust,
    /// Case keys, received and sealed.
    Keys,
    Push,
    /// Attachments' contents, uploaded.
    Attachments,
    Pull,
    /// Removed records every device has seen, purged.
    Tidy,
}

/// A sync that stopped: the stage it reached, what moved before it (kept:
/// a later sync carries on from there), and why.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct SyncStopped {
    pub stage: Stage,
    pub moved: Box<SyncReport>,
    #[source]
    pub error: SyncError,
}

impl From<SyncStopped> for SyncError {
    fn from(stopped: SyncStopped) -> SyncError {
        stopped.error
    }
}

impl Client {
    /// Logs the unlocked person in from this device and saves the link (and
    /// device token) in the store. The passphrase never leaves the device:
    /// only the key derived from it does.
    pub async fn login(
        &self,
        session: &mut Session,
        server_user: &str,
        passphrase: &Passphrase,
        device_label: &str,
    ) -> Result<SyncAccount> {
        let salts = self.login_salts(server_user).await?;
        let auth_key = derive(&salts.salt, passphrase).await?;
        let request = LoginRequest {
            user: server_user.to_owned(),
            auth_key,
            device_id: session.device_id(),
            device_label: device_label.to_owned(),
            // Registered with the server: case keys will be sealed to it,
            // and the identity vouches for it.
            public_key: Some(session.public_key()?.0.to_vec()),
            identity_key: Some(session.identity_key()?.0.to_vec()),
            key_signature: Some(session.device_key_signature()?.0.to_vec()),
        };
        let answer: LoginResponse = self.post("/v1/login", None, &request).await?;
        let account = SyncAccount {
            server_url: self.base.clone(),
            server_user: server_user.to_owned(),
            server_user_id: answer.user_id,
            org_id: answer.org_id,
            role: answer.role.as_str().to_owned(),
            token: Zeroizing::new(answer.token),
            logged_in_at_ms: answer.server_time_ms,
            synced_at_ms: None,
        };
        session.save_sync_account(&account)?;
        if answer.must_change_passphrase {
            // Logged in, but the server answers nothing else until then.
            return Err(SyncError::Refused {
                status: 403,
                code: ErrorCode::PassphraseChangeRequired,
                message: "your passphrase was set by an administrator: choose your own now (waymark passphrase change, or Settings in the app); you are logged in".into(),
                server_time_ms: None,
                erased: Vec::new(),
                withdrawn: Vec::new(),
            });
        }
        // Pins the organisation's key now, at joining (the first admin's
        // device makes it).
        self.refresh_trust(session, &account, &mut SyncReport::default())
            .await?;
        Ok(account)
    }

    /// Changes the person's passphrase everywhere it counts: first their
    /// login on the server (proven by the current passphrase; sent again
    /// after a change that went through, it is accepted), then their store
    /// here, re-keyed. A weak new passphrase is refused before anything is
    /// sent. Without a server link only the store changes.
    pub async fn change_passphrase(
        &self,
        session: &mut Session,
        current: &Passphrase,
        new: &Passphrase,
    ) -> Result<()> {
        new.check_new("new passphrase", &session.user().name)?;
        if let Some(account) = session.sync_account()? {
            let salts = self.login_salts(&account.server_user).await?;
            let current_auth_key = derive(&salts.salt, current).await?;
            let new_auth_key = derive(&salts.new_salt, new).await?;
            let request = CredentialRequest {
                user: account.server_user.clone(),
                current_auth_key,
                new_auth_key,
            };
            let _: CredentialResponse = self
                .post("/v1/credential", Some(&account.token), &request)
                .await?;
        }
        session.change_passphrase(current, new)?;
        Ok(())
    }

    /// The salts the server gives a person's login keys.
    async fn login_salts(&self, user: &str) -> Result<LoginSalt> {
        let salts: LoginSalt = self
            .post(
                "/v1/login-salt",
                None,
                &LoginSaltRequest {
                    user: user.to_owned(),
                },
            )
            .await?;
        for salt in [&salts.salt, &salts.new_salt] {
            if salt.len() != auth::SALT_LEN {
                return Err(SyncError::Protocol(format!(
                    "a login salt of {} bytes, not {}",
                    salt.len(),
                    auth::SALT_LEN
                )));
            }
        }
        Ok(salts)
    }

    /// Sets a person's first passphrase on the server with the one-time
    /// code their administrator gave them. Nothing is written on this
    /// device: `BlockingClient::join` makes their store after.
    pub async fn join(&self, user: &str, code: &str, passphrase: &Passphrase) -> Result<()> {
        passphrase.check_new("passphrase", user)?;
        let salts = self.login_salts(user).await?;
        let request = JoinRequest {
            user: user.to_owned(),
            enrolment_code: code.to_owned(),
            auth_key: derive(&salts.new_salt, passphrase).await?,
        };
        let _: Done = self.post("/v1/join", None, &request).await?;
        Ok(())
    }

    /// Pushes the outbox, then pulls and applies everything new.
    pub async fn sync(
        &self,
        session: &mut Session,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<SyncReport, SyncStopped> {
        let mut report = SyncReport::default();
        let mut stage = Stage::Trust;
        match self
            .sync_stages(session, progress, &mut report, &mut stage)
            .await
        {
            Ok(()) => Ok(report),
            Err(error) => Err(SyncStopped {
                stage,
                moved: Box::new(report),
                error,
            }),
        }
    }

    pub(crate) async fn sync_stages(
        &self,
        session: &mut Session,
        progress: &mut dyn FnMut(Progress),
        report: &mut SyncReport,
        stage: &mut Stage,
    ) -> Result<()> {
        let mut account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        let token = account.token.clone();
        let started_ms = now_ms();
        // Keys both ways before pushing: a case a member left gets its next
        // key now (ours, or another device's sealed to us), so what this
        // device wrote since goes under it. New cases' first keys are sealed
        // after the push that creates them; a sync that pushed nothing
        // created no case, so it asks only once.
        // Whom to trust first: keys are kept, and sealed, only by it.
        self.refresh_trust(session, &account, report).await?;
        *stage = Stage::Keys;
        // Keys held aside at an earlier sync may pass now (their sealer was
        // confirmed since); those arriving now are checked as they come.
        let rechecked = session.recheck_refused_keys()?;
        report.keys_received += rechecked.keys;
        report.applied.add(&rechecked.applied);
        self.receive_keys(session, &token, report).await?;
        self.seal_keys(session, &token, report).await?;
        *stage = Stage::Push;
        self.push_all(session, &token, report, progress).await?;
        *stage = Stage::Attachments;
        self.upload_blobs(session, &token, report).await?;
        if report.pushed > 0 {
            *stage = Stage::Keys;
            self.seal_keys(session, &token, report).await?;
        }
        *stage = Stage::Pull;
        self.pull_all(session, &token, report, progress).await?;
        *stage = Stage::Tidy;
        self.purge_tombstones(session, &token, report).await?;
        report.open_conflicts = session.conflicts(true)?.len();
        report.held_for_upgrade = session.held_for_upgrade()?;
        report.awaiting_key = session.awaiting_key()?;
        report.recipients_refused = session.recipients_refused_since(started_ms)?;
        report.keys_refused = session.refused_keys()?.len() as u64;
        account.synced_at_ms = Some(now_ms());
        session.save_sync_account(&account)?;
        Ok(())
    }

    pub(crate) async fn push_all(
        &self,
        session: &mut Session,
        token: &str,
        report: &mut SyncReport,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<()> {
        let total = session.pending_changes()? as u64;
        let mut done = 0;
        let mut restamped = false;
        progress(Progress {
            phase: Phase::Push,
            done,
            total,
        });
        let limit = self.options.push_batch as i64;
        // The next batch, signed and encrypted while the server took the
        // last one; dropped if that one was refused (nothing is lost: the
        // outbox keeps every entry until the server acknowledges it).
        let mut prepared: Option<Vec<waymark_core::sync::Outgoing>> = None;
        loop {
            let batch = match prepared.take() {
                Some(batch) => batch,
                None => session.outgoing(limit)?,
            };
            let Some(last_seq) = batch.last().map(|o| o.seq) else {
                return Ok(());
            };
            let seq_of: std::collections::HashMap<Uuid, i64> = batch
                .iter()
                .map(|o| (o.envelope.change_id, o.seq))
                .collect();
            let request = PushRequest {
                changes: batch.into_iter().map(|o| o.envelope).collect(),
            };
            let (answer, next) = tokio::join!(
                self.post::<_, PushResponse>("/v1/push", Some(token), &request),
                async { session.outgoing_after(last_seq, limit) }
            );
            let answer: PushResponse = match answer {
                Ok(answer) => answer,
                Err(SyncError::Refused {
                    code,
                    server_time_ms: Some(server_now),
                    ..
                }) if code == ErrorCode::ClockAhead && !restamped => {
                    // This laptop's clock runs ahead: re-stamp what it wrote
                    // against the server's clock, once, and push again.
                    report.restamped += session.restamp_ahead(server_now)?;
                    restamped = true;
                    continue;
                }
                Err(SyncError::Refused { code, erased, .. })
                    if code == ErrorCode::CaseErased && !erased.is_empty() =>
                {
                    // Cases erased while this device was away: drop them
                    // (with their unsent changes) and push the rest.
                    let dropped = session.erase_cases(&erased)?;
                    if dropped == 0 {
                        return Err(SyncError::Protocol(
                            "the server refused erased cases this device does not hold".into(),
                        ));
                    }
                    report.cases_erased += dropped;
                    continue;
                }
                Err(SyncError::Refused {
                    code, withdrawn, ..
                }) if code == ErrorCode::NoAccess && !withdrawn.is_empty() => {
                    // Cases taken from this person longer ago than a late
                    // write is taken: what they wrote there is set aside
                    // (kept, shown to them) and the rest pushed.
                    let moved = session.set_aside(&withdrawn)?;
                    if moved == 0 {
                        return Err(SyncError::Protocol(
                            "the server refused cases this device has nothing to send to".into(),
                        ));
                    }
                    report.set_aside += moved;
                    continue;
                }
                Err(e) => return Err(e),
            };
            restamped = false;
            prepared = Some(next?);
            report.requests += 1;
            let mut acked = Vec::with_capacity(answer.accepted.len());
            for a in &answer.accepted {
                let seq = seq_of.get(&a.change_id).ok_or_else(|| {
                    SyncError::Protocol(format!(
                        "acknowledged change {} was not pushed",
                        a.change_id
                    ))
                })?;
                acked.push(Acked {
                    outbox_seq: *seq,
                    change_id: a.change_id,
                });
                if a.duplicate {
                    report.already_on_server += 1;
                } else {
                    report.pushed += 1;
                }
            }
            if acked.len() != request.changes.len() {
                return Err(SyncError::Protocol(format!(
                    "pushed {} changes, {} acknowledged",
                    request.changes.len(),
                    acked.len()
                )));
            }
            let placed: Vec<Placed> = answer
                .accepted
                .iter()
                .filter_map(|a| {
                    Some(Placed {
                        outbox_seq: *seq_of.get(&a.change_id)?,
                        change_id: a.change_id,
                        log_id: a.log_id,
                        log_seq: a.seq,
                    })
                })
                .collect();
            session.acknowledge_pushed(&acked, &placed, &own_runs(&answer.accepted))?;
            done += acked.len() as u64;
            progress(Progress {
                phase: Phase::Push,
                done,
                total: total.max(done),
            });
        }
    }

    /// Asks the server how far every device has read the logs holding
    /// tombstones, and purges those all devices have passed.
    pub(crate) async fn purge_tombstones(
        &self,
        session: &mut Session,
        token: &str,
        report: &mut SyncReport,
    ) -> Result<()> {
        let log_ids = session.tombstone_logs()?;
        if log_ids.is_empty() {
            return Ok(());
        }
        let answer: HorizonResponse = self
            .post("/v1/horizons", Some(token), &HorizonRequest { log_ids })
            .await?;
        report.tombstones_purged += session.purge_tombstones(&answer.horizons)?;
        Ok(())
    }

    /// Pulls every log to its head, a page at a time. While a page applies,
    /// the next is already asked for (from where the page leaves the
    /// cursors, `cursors_after`): fetching and applying overlap. The page
    /// asked for ahead is used only if the cursors are where they were
    /// expected to be; else it is asked for again.
    pub(crate) async fn pull_all(
        &self,
        session: &mut Session,
        token: &str,
        report: &mut SyncReport,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<()> {
        let mut done = 0u64;
        // When the sync last gave way to one of the person's commands.
        let mut gave_way_at: Option<std::time::Instant> = None;
        let mut ahead: Option<(Vec<Cursor>, tokio::task::JoinHandle<Result<PullResponse>>)> = None;
        loop {
            let cursors = session.sync_positions()?;
            let fetching = std::time::Instant::now();
            let answer: PullResponse = match ahead.take() {
                Some((expected, next)) if expected == cursors => next
                    .await
                    .map_err(|e| SyncError::Protocol(format!("a pull ahead stopped: {e}")))??,
                stale => {
                    if let Some((_, next)) = stale {
                        next.abort();
                    }
                    self.pull_page(token, cursors.clone(), false).await?
                }
            };
            report.applied.stages.fetch_us += fetching.elapsed().as_micros() as u64;
            report.requests += 1;
            if !answer.erased.is_empty() {
                report.cases_erased += session.erase_cases(&answer.erased)?;
            }
            if !answer.withdrawn.is_empty() {
                report.cases_withdrawn += session.withdraw_cases(&answer.withdrawn)?;
            }
            let plain = answer.erased.is_empty()
                && answer.withdrawn.is_empty()
                && answer.logs.iter().all(|l| !l.reset);
            if answer.remaining > 0 && plain {
                let next = cursors_after(&cursors, &answer);
                let (client, token) = (self.clone(), token.to_owned());
                let request = next.clone();
                ahead = Some((
                    next,
                    tokio::spawn(async move { client.pull_page(&token, request, true).await }),
                ));
            }
            let mut pages = Vec::new();
            let mut in_page = 0u64;
            let mut requeued = 0;
            for log in &answer.logs {
                if log.reset {
                    // The server lost this device's history of the log.
                    report.logs_behind_on_server.push(log.log_id);
                    requeued += session.reset_log(log.log_id)?;
                }
                in_page += log.changes.len() as u64;
                pages.push(PulledPage {
                    log_id: log.log_id,
                    changes: &log.changes,
                    head: Some((log.head, &log.tip)),
                });
            }
            // A page applies in turns (`turn_size`), each its own
            // transaction, giving way between them: a person's command that
            // writes meanwhile (opening a case is audited) waits for one
            // turn, not the page, and a short one while they are at work; a
            // turn ends early when a command asks (`apply_pulled_turn`).
            let total = done + in_page + answer.remaining;
            let mut rest = pages.clone();
            while !rest.is_empty() {
                if let Some(waited) = session.let_waiting_writers_in(GIVE_WAY_AT_MOST) {
                    report.applied.stages.give_way_us += waited.as_micros() as u64;
                    gave_way_at = Some(std::time::Instant::now());
                }
                let most = turn_size(gave_way_at.map(|at| at.elapsed()));
                let (turn, after) = PulledPage::first_turn(&rest, most);
                let (applied, taken) = session.apply_pulled_turn(&turn)?;
                rest = PulledPage::rest_after(&turn, &after, taken);
                report.applied.add(&applied);
                done += taken as u64;
                progress(Progress {
                    phase: Phase::Pull,
                    done,
                    total,
                });
            }
            report.pulled += in_page;
            if pages.is_empty() {
                progress(Progress {
                    phase: Phase::Pull,
                    done,
                    total,
                });
            }
            if requeued > 0 {
                // Give the server back what it lost before reading on.
                report.requeued_for_server += requeued;
                self.push_all(session, token, report, progress).await?;
            }
            if answer.remaining == 0 || (in_page == 0 && requeued == 0) {
                if let Some((_, next)) = ahead {
                    next.abort();
                }
                return Ok(());
            }
        }
    }

    async fn pull_page(
        &self,
        token: &str,
        cursors: Vec<Cursor>,
        ahead: bool,
    ) -> Result<PullResponse> {
        let request = PullRequest {
            cursors,
            limit: Some(self.options.pull_limit),
            ahead,
        };
        self.post("/v1/pull", Some(token), &request).await
    }
}

/// Longest a sync pauses between its turns for the person's commands: a
/// command that waits on something else still cannot hold the sync up.
const GIVE_WAY_AT_MOST: std::time::Duration = std::time::Duration::from_secs(2);

/// Where a device's cursors stand once it has applied `answer` (pure): each
/// log's last seq and its tip there, as `apply_pages` leaves them (a log
/// first seen starts from the genesis tip).
pub fn cursors_after(cursors: &[Cursor], answer: &PullResponse) -> Vec<Cursor> {
    let mut at: std::collections::BTreeMap<Uuid, (i64, String)> = cursors
        .iter()
        .map(|c| (c.log_id, (c.after, c.tip.clone())))
        .collect();
    for log in &answer.logs {
        let (after, tip) = at
            .entry(log.log_id)
            .or_insert_with(|| (0, GENESIS_TIP.to_owned()));
        for change in &log.changes {
            if change.seq > *after {
                *tip = next_tip(tip, change.change_id);
                *after = change.seq;
            }
        }
    }
    at.into_iter()
        .map(|(log_id, (after, tip))| Cursor { log_id, after, tip })
        .collect()
}

/// Runs of consecutive seqs the server gave our new changes, per log.
/// A login key, off the async threads (Argon2 takes a while).
async fn derive(salt: &[u8], passphrase: &Passphrase) -> Result<Zeroizing<Vec<u8>>> {
    let (salt, pass) = (
        salt.to_vec(),
        Zeroizing::new(passphrase.expose().as_bytes().to_vec()),
    );
    tokio::task::spawn_blocking(move || auth::derive_auth_key(&salt, &pass))
        .await
        .map_err(|e| SyncError::Protocol(e.to_string()))
}

pub fn own_runs(accepted: &[Accepted]) -> Vec<OwnRun> {
    let mut by_log: std::collections::BTreeMap<Uuid, Vec<(i64, Uuid)>> = Default::default();
    for a in accepted.iter().filter(|a| !a.duplicate) {
        by_log
            .entry(a.log_id)
            .or_default()
            .push((a.seq, a.change_id));
    }
    let mut runs: Vec<OwnRun> = Vec::new();
    for (log_id, mut seqs) in by_log {
        seqs.sort_unstable();
        for (seq, id) in seqs {
            match runs.last_mut() {
                Some(run)
                    if run.log_id == log_id
                        && run.first_seq + run.change_ids.len() as i64 == seq =>
                {
                    run.change_ids.push(id)
                }
                _ => runs.push(OwnRun {
                    log_id,
                    first_seq: seq,
                    change_ids: vec![id],
                }),
            }
        }
    }
    runs
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_after_a_page_are_where_applying_it_leaves_them() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let logged = |seq: i64, id: u128| Logged {
            seq,
            change_id: Uuid::from_u128(id),
            received_ms: 0,
            body: Vec::new(),
        };
        let page = |log_id: Uuid, changes: Vec<Logged>| LogPage {
            log_id,
            head: 9,
            tip: String::new(),
            reset: false,
            changes,
        };
        let tip_a2 = next_tip(
            &next_tip(GENESIS_TIP, Uuid::from_u128(10)),
            Uuid::from_u128(11),
        );
        let cursors = vec![
            Cursor {
                log_id: a,
                after: 2,
                tip: tip_a2.clone(),
            },
            Cursor {
                log_id: c,
                after: 5,
                tip: "c-tip".into(),
            },
        ];
        let answer = PullResponse {
            // Seq 2 of `a` is applied already (skipped, as `apply_pages`
            // does); `b` is new to this device; `c` has nothing new.
            logs: vec![
                page(a, vec![logged(2, 11), logged(3, 12), logged(4, 13)]),
                page(b, vec![logged(1, 20), logged(2, 21)]),
            ],
            remaining: 7,
            server_time_ms: 0,
            erased: Vec::new(),
            withdrawn: Vec::new(),
        };
        let after = cursors_after(&cursors, &answer);
        let tip = |from: &str, ids: &[u128]| {
            ids.iter()
                .fold(from.to_owned(), |t, id| next_tip(&t, Uuid::from_u128(*id)))
        };
        assert_eq!(
            after,
            vec![
                Cursor {
                    log_id: a,
                    after: 4,
                    tip: tip(&tip_a2, &[12, 13])
                },
                Cursor {
                    log_id: b,
                    after: 2,
                    tip: tip(GENESIS_TIP, &[20, 21])
                },
                Cursor {
                    log_id: c,
                    after: 5,
                    tip: "c-tip".into()
                },
            ]
        );
    }

    #[test]
    fn own_runs_split_at_gaps_and_skip_duplicates() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let acc = |log, seq, duplicate| Accepted {
            change_id: Uuid::new_v4(),
            log_id: log,
            seq,
            duplicate,
        };
        let list = [
            acc(a, 4, false),
            acc(b, 1, false),
            acc(a, 5, false),
            acc(a, 3, true),
            acc(a, 7, false),
        ];
        let runs: Vec<(Uuid, i64, usize)> = own_runs(&list)
            .into_iter()
            .map(|r| (r.log_id, r.first_seq, r.change_ids.len()))
            .collect();
        assert_eq!(runs, vec![(a, 4, 2), (a, 7, 1), (b, 1, 1)]);
        assert_eq!(
            own_runs(&list)[0].change_ids,
            vec![list[0].change_id, list[2].change_id]
        );
    }
}
