//! Small helpers every module uses. A leaf: it depends on the store's
//! record layer and nothing above it, so no module reaches back up into
//! the API for them.

use crate::domain::{Attachment, Record};
use crate::error::{Error, Result};
use crate::record::{self, now_ms};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use uuid::Uuid;

/// Current time, truncated to the millisecond we store.
pub fn now() -> DateTime<Utc> {
    record::ms_to_time(now_ms() as i64)
}

/// The case is held here: its person, or (a volunteer's) its contact brief.
pub(crate) fn require_case(conn: &Connection, case_id: Uuid) -> Result<()> {
    let found: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM persons WHERE id = ?1 AND removed_at IS NULL)
             OR EXISTS (SELECT 1 FROM contact_briefs WHERE case_id = ?1 AND removed_at IS NULL)",
        [case_id.to_string()],
        |r| r.get(0),
    )?;
    if !found {
        return Err(Error::NotFound {
            what: "case",
            id: case_id.to_string(),
        });
    }
    Ok(())
}

pub(crate) fn get_or<R: Record>(conn: &Connection, id: Uuid, what: &'static str) -> Result<R> {
    record::get(conn, id)?.ok_or_else(|| Error::NotFound {
        what,
        id: id.to_string(),
    })
}

pub(crate) fn case_of_attachment(conn: &Connection, id: Uuid) -> Result<Uuid> {
    let a: Attachment = get_or(conn, id, "attachment")?;
    Ok(a.case_id)
}

pub(crate) fn parse_id(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|_| Error::Storage("malformed id in the store".into()))
}

pub(crate) fn tidy(s: Option<String>) -> Option<String> {
    s.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Writes a file that leaves the encrypted store on purpose (an export, an
/// opened attachment, a MARAC referral form), readable by its owner only.
pub fn write_private(path: &std::path::Path, data: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(data)?;
    Ok(())
}
