//! Reading across cases: caseload, timeline, search, export, audit.
use super::*;

impl Session {
    // --- Reading across cases ---------------------------------------------------

    pub fn caseload(
        &self,
        filter: &queries::CaseloadFilter,
    ) -> Result<Vec<queries::CaseloadEntry>> {
        if filter.mine {
            let mut mine = filter.clone();
            mine.keyworker = Some(self.user.name.clone());
            return queries::caseload(&self.conn, &mine, now());
        }
        queries::caseload(&self.conn, filter, now())
    }

    /// Everything recorded on a case, newest first (an audited view).
    pub fn timeline(&mut self, case_id: Uuid) -> Result<Vec<queries::TimelineItem>> {
        require_case(&self.conn, case_id)?;
        let items = queries::timeline(&self.conn, case_id)?;
        let tx = self.begin()?;
        tx.audit("view", "timeline", Some(case_id), Some(case_id))?;
        tx.commit()?;
        Ok(items)
    }

    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<queries::SearchHit>> {
        queries::search(&self.conn, query, limit)
    }

    /// The whole case as one document (an audited export).
    pub fn export_case(&mut self, case_id: Uuid) -> Result<queries::CaseExport> {
        let export = queries::export_case(&self.conn, case_id)?;
        let tx = self.begin()?;
        tx.audit("export", "case", Some(case_id), Some(case_id))?;
        tx.commit()?;
        Ok(export)
    }

    /// Cases closed for at least `closed_for_days`, for review and erasure.
    pub fn retention_review(&self, closed_for_days: i64) -> Result<Vec<queries::RetentionItem>> {
        queries::retention_review(&self.conn, closed_for_days, queries::local_today(now()))
    }

    pub fn audit_trail(
        &self,
        case_id: Option<Uuid>,
        limit: usize,
    ) -> Result<Vec<queries::AuditEntry>> {
        queries::audit_trail(&self.conn, case_id, limit)
    }

    /// Per case, how many of its changes wait to be pushed (the case's sync
    /// state for the UI: a case not listed is in step with the server as of
    /// the last sync).
    pub fn unsynced_by_case(&self) -> Result<Vec<crate::sync::UnsyncedCase>> {
        let mut stmt = self.conn.prepare(
            "SELECT case_id, count(*) FROM outbox WHERE case_id IS NOT NULL GROUP BY case_id ORDER BY case_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        rows.map(|row| {
            let (id, n) = row?;
            Ok(crate::sync::UnsyncedCase {
                case_id: parse_id(&id)?,
                pending_changes: n,
            })
        })
        .collect()
    }

    /// Changes waiting to be pushed.
    pub fn pending_changes(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))?)
    }

    pub fn outbox(&self, after_seq: i64, limit: i64) -> Result<Vec<record::OutboxChange>> {
        record::outbox(&self.conn, after_seq, limit)
    }

    pub fn schema_version(&self) -> Result<i64> {
        db::schema_version(&self.conn)
    }
}
