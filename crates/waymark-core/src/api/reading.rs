//! Reading across cases: caseload, timeline, search, export, audit.
use super::*;
use zeroize::Zeroizing;

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

    /// A subject access export: everything the record holds about the
    /// person, as one zip they can read — `summary.html` in words,
    /// `record.json` field by field, and the files this laptop holds under
    /// `files/`. It leaves the encrypted store (the caller writes it where
    /// the worker chose), so it is audited.
    pub fn subject_access_export(&mut self, case_id: Uuid) -> Result<SubjectAccessExport> {
        use std::io::Write;
        use waymark_model::subject_access::{summary_html, ExportedFile};
        let export = queries::export_case(&self.conn, case_id)?;
        let mut files = Vec::new();
        let mut contents = Vec::new();
        for (i, a) in export.attachments.iter().enumerate() {
            let path = match super::attachments::attachment_data(&self.conn, a.id)? {
                Some(data) => {
                    let path = format!("files/{:02} {}", i + 1, file_name_in_zip(&a.file_name));
                    contents.push((path.clone(), Zeroizing::new(data)));
                    Some(path)
                }
                None => None,
            };
            files.push(ExportedFile {
                file_name: a.file_name.clone(),
                path,
            });
        }
        let local = |at: DateTime<Utc>| at.with_timezone(&queries::LOCAL_ZONE).naive_local();
        let summary = summary_html(&export, &files, &local);
        let record = Zeroizing::new(serde_json::to_vec_pretty(&export)?);
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(0o600);
        let entries = [
            ("summary.html".to_owned(), summary.as_bytes()),
            ("record.json".to_owned(), &record[..]),
        ]
        .into_iter()
        .chain(
            contents
                .iter()
                .map(|(path, data)| (path.clone(), &data[..])),
        );
        for (name, bytes) in entries {
            zip.start_file(name, options).map_err(zip_error)?;
            zip.write_all(bytes)?;
        }
        let bytes = Zeroizing::new(zip.finish().map_err(zip_error)?.into_inner());
        let tx = self.begin()?;
        tx.audit(
            "subject_access_export",
            "case",
            Some(case_id),
            Some(case_id),
        )?;
        tx.commit()?;
        Ok(SubjectAccessExport {
            file_name: format!(
                "Subject access {} {}.zip",
                queries::local_today(now()),
                &case_id.simple().to_string()[24..]
            ),
            bytes,
        })
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

/// A subject access export made by `Session::subject_access_export`: its
/// file name (the day and the case, never the person's name) and contents.
pub struct SubjectAccessExport {
    pub file_name: String,
    pub bytes: Zeroizing<Vec<u8>>,
}

/// A stored file's name as a plain name inside the zip: no directories, no
/// control characters, never empty.
fn file_name_in_zip(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = base
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect();
    match clean.trim_start_matches('.').trim() {
        "" => "file".to_owned(),
        kept => kept.to_owned(),
    }
}

fn zip_error(e: zip::result::ZipError) -> Error {
    Error::Storage(format!("writing the export: {e}"))
}

#[cfg(test)]
mod tests {
    use super::file_name_in_zip;

    #[test]
    fn a_stored_file_name_is_a_plain_name_inside_the_zip() {
        assert_eq!(file_name_in_zip("housing letter.pdf"), "housing letter.pdf");
        assert_eq!(file_name_in_zip("../../etc/passwd"), "passwd");
        assert_eq!(file_name_in_zip("C:\\Users\\scan.jpg"), "scan.jpg");
        assert_eq!(file_name_in_zip("bell\u{7}.txt"), "bell_.txt");
        assert_eq!(file_name_in_zip(".."), "file");
        assert_eq!(file_name_in_zip(".hidden"), "hidden");
    }
}
