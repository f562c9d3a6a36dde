//! The device's side of sync (the network part lives in waymark-sync):
//! what to push, applying what was pulled, conflicts.
use super::*;

impl Session {
    // --- Sync (the network part lives in waymark-sync) ---------------------------

    /// Outbox entries to push, oldest first, signed and encrypted (a case
    /// created here gets its first key in the same transaction).
    pub fn outgoing(&mut self, limit: i64) -> Result<Vec<crate::sync::Outgoing>> {
        self.outgoing_after(0, limit)
    }

    /// As `outgoing`, from the entry after `after_seq`: the next batch,
    /// prepared while the server takes the one before.
    pub fn outgoing_after(
        &mut self,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<crate::sync::Outgoing>> {
        let tx = self.begin()?;
        let out = crate::sync::outgoing(&tx.tx, after_seq, limit, tx.author())?;
        tx.commit()?;
        Ok(out)
    }

    /// Removes entries the server acknowledged (by seq and change id together).
    pub fn acknowledge(&mut self, acked: &[crate::sync::Acked]) -> Result<u64> {
        let tx = self.begin()?;
        let n = crate::sync::acknowledge(&tx.tx, acked)?;
        tx.commit()?;
        Ok(n)
    }

    /// Acknowledges pushed entries and, in the same transaction, moves past
    /// our own changes in the server's logs: for each `(log, first seq,
    /// change ids)` run the server gave them, the cursor advances over the
    /// run only if it stood just before it (nobody else's change is in
    /// between), so the device does not pull back what it just pushed.
    /// `placed` says where the server put each one, so our own removals'
    /// tombstones know their place.
    pub fn acknowledge_pushed(
        &mut self,
        acked: &[crate::sync::Acked],
        placed: &[crate::sync::Placed],
        own_runs: &[crate::sync::OwnRun],
    ) -> Result<u64> {
        let tx = self.begin()?;
        crate::sync::note_own_tombstones(&tx.tx, placed)?;
        let n = crate::sync::acknowledge(&tx.tx, acked)?;
        for run in own_runs {
            let (cursor, mut tip) = crate::sync::position(&tx.tx, run.log_id)?;
            if cursor == run.first_seq - 1 {
                for id in &run.change_ids {
                    tip = waymark_protocol::next_tip(&tip, *id);
                }
                let cursor = cursor + run.change_ids.len() as i64;
                crate::sync::set_position(&tx.tx, run.log_id, cursor, &tip)?;
            }
        }
        tx.commit()?;
        Ok(n)
    }

    /// The last seq applied of a log.
    pub fn sync_cursor(&self, log_id: Uuid) -> Result<i64> {
        crate::sync::cursor(&self.conn, log_id)
    }

    /// Where this device stands in every log it has read, with tips: what a
    /// pull sends.
    pub fn sync_positions(&self) -> Result<Vec<crate::sync::Cursor>> {
        crate::sync::positions(&self.conn)
    }

    /// Applies a page pulled from one server log and advances its cursor, in
    /// one transaction: a crash leaves either both or neither.
    pub fn apply_pulled(
        &mut self,
        log_id: Uuid,
        page: &[crate::sync::Logged],
    ) -> Result<crate::sync::ApplyReport> {
        self.apply_pulled_pages(&[crate::sync::PulledPage {
            log_id,
            changes: page,
            head: None,
        }])
    }

    /// Applies pages of several logs and advances their cursors in one
    /// transaction. Each page must continue its log's cursor without a gap
    /// (a change already applied is skipped: never applied twice). When a
    /// page reaches the log's head, `head_tip` (the server's tip there) must
    /// match the tip this device computes, or nothing is applied.
    pub fn apply_pulled_pages(
        &mut self,
        pages: &[crate::sync::PulledPage],
    ) -> Result<crate::sync::ApplyReport> {
        Ok(self.apply_pages_until(pages, &|| false)?.0)
    }

    /// As `apply_pulled_pages`, but ends early when a command of this
    /// person's asks for the store (after at least
    /// `sync::TURN_CHANGES_BEFORE_GIVING_WAY` changes), so it waits for a few
    /// milliseconds of the sync, not a whole turn. Returns how many of the
    /// pages' changes were taken, in order (`PulledPage::rest_after` gives
    /// what is left).
    pub fn apply_pulled_turn(
        &mut self,
        pages: &[crate::sync::PulledPage],
    ) -> Result<(crate::sync::ApplyReport, usize)> {
        let asking = self.writers_waiting.clone();
        self.apply_pages_until(pages, &move || asking.any())
    }

    fn apply_pages_until(
        &mut self,
        pages: &[crate::sync::PulledPage],
        stop: &dyn Fn() -> bool,
    ) -> Result<(crate::sync::ApplyReport, usize)> {
        let own = self.device;
        let mut report = crate::sync::ApplyReport::default();
        let mut touched = crate::sync::Touched::default();
        let mut tx = self.begin()?;
        let signers = crate::trust::Signers::load(&tx.tx, tx.user)?;
        let taken = crate::sync::apply_pages(
            &tx.tx,
            own,
            pages,
            &signers,
            &mut report,
            &mut touched,
            stop,
        )?;
        let summarising = std::time::Instant::now();
        tx.refresh_after_sync(touched)?;
        tx.refresh_summaries()?;
        report.stages.summarise_us += crate::sync::micros_since(summarising);
        let committing = std::time::Instant::now();
        tx.commit()?;
        report.stages.commit_us += crate::sync::micros_since(committing);
        Ok((report, taken))
    }

    /// Re-stamps unpushed changes stamped more than the allowed drift ahead
    /// of the server's clock (see `sync::restamp_ahead`). Returns how many.
    pub fn restamp_ahead(&mut self, server_now_ms: i64) -> Result<u64> {
        let tx = self.begin()?;
        let n = crate::sync::restamp_ahead(&tx.tx, server_now_ms.max(0) as u64)?;
        tx.commit()?;
        Ok(n)
    }

    /// Logs holding tombstones that wait for their horizon.
    pub fn tombstone_logs(&self) -> Result<Vec<Uuid>> {
        crate::sync::tombstone_logs(&self.conn)
    }

    /// Purges the tombstones the logs' horizons have passed. Returns how many.
    pub fn purge_tombstones(&mut self, horizons: &[waymark_protocol::Horizon]) -> Result<u64> {
        let tx = self.begin()?;
        let n = crate::sync::purge_tombstones(&tx.tx, horizons)?;
        tx.commit()?;
        Ok(n)
    }

    /// (tombstones waiting, records purged), for status.
    pub fn tombstone_counts(&self) -> Result<(i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM tombstones), (SELECT count(*) FROM purged_records)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// The server no longer holds this device's history of a log (it was
    /// restored from an older backup): read it again from the start and
    /// re-queue this device's kept changes of it. Returns how many.
    pub fn reset_log(&mut self, log_id: Uuid) -> Result<u64> {
        let tx = self.begin()?;
        let n = crate::sync::reset_log(&tx.tx, log_id)?;
        tx.commit()?;
        Ok(n)
    }

    /// This store's link to a sync server for the person unlocked, if they
    /// logged in.
    pub fn sync_account(&self) -> Result<Option<crate::sync::SyncAccount>> {
        crate::sync::account(&self.conn, self.user.id)
    }

    /// Saves (replaces) the person's link to a sync server. The token is kept
    /// only inside the encrypted store.
    pub fn save_sync_account(&mut self, account: &crate::sync::SyncAccount) -> Result<()> {
        let tx = self.begin()?;
        let user = tx.user;
        crate::sync::save_account(&tx.tx, user, account)?;
        tx.commit()
    }

    /// Changes held because a newer schema wrote them.
    pub fn held_for_upgrade(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM pending_remote", [], |r| r.get(0))?)
    }

    pub fn conflicts(&self, open_only: bool) -> Result<Vec<crate::sync::Conflict>> {
        crate::sync::conflicts(&self.conn, open_only)
    }

    /// One conflict, open or settled.
    pub fn conflict(&self, id: Uuid) -> Result<crate::sync::Conflict> {
        self.conflicts(false)?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(Error::NotFound {
                what: "conflict",
                id: id.to_string(),
            })
    }

    /// Settles a conflict, for every front end: `keep` names the value in
    /// the front end's words. The choice syncs as a new change.
    pub fn resolve_conflict(&mut self, id: Uuid, keep: crate::sync::Keep) -> Result<()> {
        let conflict = self.conflict(id)?;
        if conflict.resolved_at.is_some() {
            return Err(Error::because(
                "conflict",
                waymark_model::Reason::AlreadyResolved,
            ));
        }
        let mut tx = self.begin()?;
        crate::sync::resolve(&tx.tx, tx.author(), &conflict, keep)?;
        tx.audit(
            "resolve_conflict",
            &conflict.kind,
            Some(conflict.record_id),
            conflict.case_id,
        )?;
        if let Some(case) = conflict.case_id {
            tx.touched.insert(case);
        }
        tx.commit()
    }
}
