//! Reading across cases: `search`, `caseload`, `timeline`, `export`,
//! `retention`, `audit`; and `demo-data`, fictional cases to read.

use crate::input::write_private;
use crate::output;
use std::path::Path;
use uuid::Uuid;
use waymark_core::demo::DemoOptions;
use waymark_core::queries::CaseloadFilter;
use waymark_core::{Error, Session};

pub(crate) fn search(s: &Session, query: &str, limit: usize, json: bool) -> Result<(), Error> {
    output::search(&s.search(query, limit)?, json)
}

pub(crate) fn caseload(s: &Session, filter: &CaseloadFilter, json: bool) -> Result<(), Error> {
    output::caseload(&s.caseload(filter)?, json)
}

pub(crate) fn timeline(s: &mut Session, case_id: Uuid, json: bool) -> Result<(), Error> {
    output::timeline(&s.timeline(case_id)?, json)
}

/// The whole case as JSON (audited), to a private file or stdout.
/// The case as JSON (to `out` or stdout); or, for a subject access request,
/// the zip the person can read, to `out` (clap makes sure there is one).
pub(crate) fn export(
    s: &mut Session,
    case_id: Uuid,
    out: Option<&Path>,
    subject_access: bool,
) -> Result<(), Error> {
    if let (Some(path), true) = (out, subject_access) {
        return write_private(path, &s.subject_access_export(case_id)?.bytes);
    }
    let text = serde_json::to_string_pretty(&s.export_case(case_id)?)
        .map_err(|e| Error::Storage(e.to_string()))?;
    match out {
        Some(path) => write_private(path, text.as_bytes()),
        None => {
            say!("{text}");
            Ok(())
        }
    }
}

pub(crate) fn retention(s: &Session, closed_for_days: i64, json: bool) -> Result<(), Error> {
    output::retention(&s.retention_review(closed_for_days)?, json)
}

pub(crate) fn audit(
    s: &Session,
    case: Option<Uuid>,
    limit: usize,
    json: bool,
) -> Result<(), Error> {
    output::audit(&s.audit_trail(case, limit)?, json)
}

pub(crate) fn demo_data(s: &mut Session, options: DemoOptions) -> Result<(), Error> {
    let report = s.demo_data(&options, &mut |done, total| {
        eprint!("\rdemo data: {done}/{total} notes");
    })?;
    eprintln!();
    say!(
        "made {} cases, {} notes, {} appointments, {} assessments, {} flags in {:.1} s",
        report.cases,
        report.notes,
        report.appointments,
        report.assessments,
        report.flags,
        report.seconds
    );
    Ok(())
}
