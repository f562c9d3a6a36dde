//! Reads the UI needs, and the derived tables that keep them fast.

use crate::basics::parse_id;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::hlc::Stamp;
use crate::record::{self, ms_to_time};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;
pub use waymark_model::views::{
    AgendaEntry, AuditEntry, CaseExport, CaseIncidents, CaseOutcomes, CaseView, CaseloadEntry,
    CaseloadFilter, Due, DueItem, GoalView, LatestLevel, NoteHistory, RetentionItem, SearchHit,
    TimelineEvent, TimelineItem,
};

pub(crate) fn append_audit(
    conn: &Connection,
    at: DateTime<Utc>,
    user: Uuid,
    action: &str,
    kind: &str,
    record: Option<Uuid>,
    case: Option<Uuid>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, user_id, action, kind, record_id, case_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        at.timestamp_millis(),
        user.to_string(),
        action,
        kind,
        record.map(|r| r.to_string()),
        case.map(|c| c.to_string()),
    ])?;
    Ok(())
}

/// Recomputes a case's caseload figures from its records (each an index
/// seek), writing only when they changed.
pub(crate) fn refresh_case_summary(conn: &Connection, case: Uuid) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO case_summary (case_id, last_contact_at, open_flags, risk_level, next_review_on, keyworker, status)
         SELECT ?1,
           (SELECT max(occurred_at) FROM notes WHERE case_id = ?1 AND removed_at IS NULL),
           (SELECT count(*) FROM flags WHERE case_id = ?1 AND resolved_at IS NULL AND removed_at IS NULL),
           -- The risk level: the latest assessment whose template can prompt
           -- a MARAC referral (TemplateDefinition::assesses_risk), or whose
           -- template this device does not hold yet.
           (SELECT a.level FROM assessments a LEFT JOIN assessment_templates t ON t.id = a.template_id
            WHERE a.case_id = ?1 AND a.removed_at IS NULL
              AND (t.id IS NULL OR EXISTS (
                SELECT 1 FROM json_each(t.definition, '$.thresholds') th
                WHERE json_extract(th.value, '$.prompt.agency') = 'marac'))
            ORDER BY a.completed_at DESC, a.id DESC LIMIT 1),
           (SELECT min(review_on) FROM goals WHERE case_id = ?1 AND status = 'active' AND removed_at IS NULL),
           e.keyworker, e.status
         FROM (SELECT 1) LEFT JOIN (
           SELECT keyworker, status FROM episodes WHERE case_id = ?1 AND removed_at IS NULL
           ORDER BY status = 'open' DESC, opened_on DESC, id DESC LIMIT 1) e
         -- A case's supervision log can arrive before the case itself.
         WHERE EXISTS (SELECT 1 FROM persons WHERE id = ?1)
         ON CONFLICT(case_id) DO UPDATE SET
           last_contact_at = excluded.last_contact_at, open_flags = excluded.open_flags,
           risk_level = excluded.risk_level, next_review_on = excluded.next_review_on,
           keyworker = excluded.keyworker, status = excluded.status
         WHERE (case_summary.last_contact_at, case_summary.open_flags, case_summary.risk_level,
                case_summary.next_review_on, case_summary.keyworker, case_summary.status)
           IS NOT (excluded.last_contact_at, excluded.open_flags, excluded.risk_level,
                   excluded.next_review_on, excluded.keyworker, excluded.status)",
    )?
    .execute([case.to_string()])?;
    Ok(())
}

/// A case's incidents, the latest first.
pub fn incidents(conn: &Connection, case_id: Uuid) -> Result<Vec<Incident>> {
    record::list(
        conn,
        "case_id = ?1 ORDER BY occurred_on DESC, recorded_at DESC, id",
        &[&case_id.to_string()],
    )
}

/// Points a note's searchable text at its latest amendment.
pub(crate) fn refresh_note_text(conn: &Connection, note: Uuid) -> Result<()> {
    conn.execute(
        "UPDATE notes SET amended_body = (
           SELECT body FROM note_amendments WHERE note_id = ?1 AND removed_at IS NULL
           ORDER BY amended_at DESC, json_extract(clocks, '$.\"*\"') DESC LIMIT 1)
         WHERE id = ?1",
        [note.to_string()],
    )?;
    Ok(())
}

/// From now until `index_deferred`, in this transaction, new notes and people
/// wait to be indexed for search (migration 027: one index segment per page
/// of pulled changes, not one per row).
pub(crate) fn defer_search_index(tx: &Connection) -> Result<()> {
    tx.execute_batch(
        "DELETE FROM search_deferred; INSERT INTO search_deferred (page) VALUES (1);",
    )?;
    Ok(())
}

/// Indexes what waited since `defer_search_index`, from each row's text as it
/// is now, in one statement per index; later rows are indexed as they are
/// written again.
pub(crate) fn index_deferred(tx: &Connection) -> Result<()> {
    tx.execute_batch(
        "DELETE FROM search_deferred;
         INSERT INTO notes_fts (rowid, text)
             SELECT n.rowid, coalesce(n.amended_body, n.body)
             FROM search_pending p JOIN notes n ON n.rowid = p.row WHERE p.tbl = 'notes';
         INSERT INTO persons_fts (rowid, full_name, preferred_name)
             SELECT r.rowid, r.full_name, r.preferred_name
             FROM search_pending p JOIN persons r ON r.rowid = p.row WHERE p.tbl = 'persons';
         DELETE FROM search_pending;",
    )?;
    Ok(())
}

// --- Caseload ---------------------------------------------------------------

/// How much a case needs attention now: higher first. Pure, so it can be
/// property-tested: more risk, more flags, an overdue review or a longer
/// silence never lowers it.
pub fn attention_score(
    risk_level: Option<&str>,
    open_flags: i64,
    review_overdue: bool,
    days_since_contact: Option<i64>,
    hours_to_next_appointment: Option<i64>,
) -> i64 {
    let risk = match risk_level {
        Some("high") => 1000,
        Some("medium") => 300,
        _ => 0,
    };
    let flags = open_flags.clamp(0, 3) * 200;
    let review = if review_overdue { 150 } else { 0 };
    let silence = match days_since_contact {
        Some(d) => d.clamp(0, 90) * 2,
        None => 180,
    };
    let soon = match hours_to_next_appointment {
        Some(h) if (0..=24).contains(&h) => 100,
        _ => 0,
    };
    risk + flags + review + silence + soon
}

pub fn caseload(
    conn: &Connection,
    filter: &CaseloadFilter,
    now: DateTime<Utc>,
) -> Result<Vec<CaseloadEntry>> {
    let today = now.date_naive();
    // Three reads in one snapshot, each in order or small, merged here: every
    // case's name in id order (a narrow index), its summary in the same
    // order, and the cases with an appointment to come. (One query joining
    // them looked up each case's summary and appointments in turn: twice
    // the time at 10,000 cases.)
    let mut names = conn.prepare_cached(
        "SELECT id, full_name, preferred_name FROM persons INDEXED BY persons_for_caseload
         WHERE removed_at IS NULL ORDER BY id",
    )?;
    let mut summaries = conn.prepare_cached(
        "SELECT case_id, keyworker, status, risk_level, open_flags, last_contact_at, next_review_on
         FROM case_summary ORDER BY case_id",
    )?;
    let mut upcoming = conn.prepare_cached(
        "SELECT case_id, min(starts_at) FROM appointments INDEXED BY appointments_open
         WHERE starts_at >= ?1 AND outcome IS NULL AND removed_at IS NULL
         GROUP BY case_id ORDER BY case_id",
    )?;
    let mut upcoming = upcoming
        .query_map([now.timestamp_millis()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?
        .peekable();
    type Summary = (
        Option<String>,
        Option<String>,
        Option<String>,
        i64,
        Option<i64>,
        Option<String>,
    );
    let mut summaries = summaries
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ),
            ))
        })?
        .peekable();
    let name_prefix = filter
        .name
        .as_deref()
        .map(|n| n.trim().to_lowercase())
        .filter(|n| !n.is_empty());
    let rows = names.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, full_name, preferred_name) = row?;
        let summary: Option<Summary> = take_in_step(&mut summaries, &id)?;
        let (keyworker, status, risk_level, open_flags, last, review) = summary.unwrap_or_default();
        let next = take_in_step(&mut upcoming, &id)?;
        let next_review_on = review.as_deref().and_then(|d| d.parse::<NaiveDate>().ok());
        let review_overdue = next_review_on.is_some_and(|d| d < today);
        let last_contact_at = last.map(ms_to_time);
        let days_since_contact = last_contact_at.map(|t| (now - t).num_days());
        let next_appointment_at = next.map(ms_to_time);
        if let Some(level) = &filter.risk_level {
            if risk_level.as_deref() != Some(level.as_str()) {
                continue;
            }
        }
        if filter.overdue_review && !review_overdue {
            continue;
        }
        if filter.flagged && open_flags == 0 {
            continue;
        }
        if let Some(days) = filter.no_contact_days {
            if days_since_contact.is_some_and(|d| d < days) {
                continue;
            }
        }
        if let Some(k) = &filter.keyworker {
            if keyworker.as_deref() != Some(k.as_str()) {
                continue;
            }
        }
        if let Some(prefix) = &name_prefix {
            let matches = |n: &str| {
                n.to_lowercase()
                    .split_whitespace()
                    .any(|w| w.starts_with(prefix.as_str()))
                    || n.to_lowercase().starts_with(prefix.as_str())
            };
            if !matches(&full_name) && !preferred_name.as_deref().is_some_and(matches) {
                continue;
            }
        }
        let hours = next_appointment_at.map(|t| (t - now).num_hours());
        let attention = attention_score(
            risk_level.as_deref(),
            open_flags,
            review_overdue,
            days_since_contact,
            hours,
        );
        out.push(CaseloadEntry {
            case_id: parse_id(&id)?,
            full_name,
            preferred_name,
            keyworker,
            episode_status: status,
            risk_level,
            open_flags,
            last_contact_at,
            days_since_contact,
            next_appointment_at,
            next_review_on,
            review_overdue,
            attention,
        });
    }
    // Ties broken by id: every device lists the same caseload the same way.
    // (Sorted as positions, then moved once: an entry is large.)
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let (a, b) = (&out[a], &out[b]);
        b.attention
            .cmp(&a.attention)
            .then_with(|| a.full_name.cmp(&b.full_name))
            .then_with(|| a.case_id.cmp(&b.case_id))
    });
    let mut entries: Vec<Option<CaseloadEntry>> = out.into_iter().map(Some).collect();
    Ok(order
        .into_iter()
        .filter_map(|at| entries[at].take())
        .collect())
}

/// Takes the row of case `id` from rows in case id order, read in step with
/// another list in that order (SQLite's BINARY order is a `str`'s): rows of
/// cases before it are passed over (cases not listed, such as removed ones).
fn take_in_step<T>(
    rows: &mut std::iter::Peekable<impl Iterator<Item = rusqlite::Result<(String, T)>>>,
    id: &str,
) -> Result<Option<T>> {
    while let Some(row) = rows.peek() {
        match row.as_ref().map(|(case, _)| case.as_str().cmp(id)) {
            Ok(std::cmp::Ordering::Greater) => return Ok(None),
            Ok(std::cmp::Ordering::Equal) => return Ok(rows.next().transpose()?.map(|(_, t)| t)),
            // Before it, or an error the next line returns.
            _ => {
                rows.next().transpose()?;
            }
        }
    }
    Ok(None)
}

// --- One case -------------------------------------------------------------------

pub fn case_view(conn: &Connection, case_id: Uuid) -> Result<CaseView> {
    let mut person: Person = record::get(conn, case_id)?.ok_or(Error::NotFound {
        what: "case",
        id: case_id.to_string(),
    })?;
    let address_shown = match (&person.address, person.address_restricted) {
        (Some(_), true) => Some("•••• restricted address ••••".to_owned()),
        (a, false) => a.clone(),
        (None, true) => None,
    };
    if person.address_restricted {
        person.address = None;
    }
    let id = case_id.to_string();
    let risk_level = conn
        .query_row(
            "SELECT risk_level FROM case_summary WHERE case_id = ?1",
            [&id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let incidents = incidents(conn, case_id)?;
    Ok(CaseView {
        person,
        address_shown,
        open_flags: record::list(
            conn,
            "case_id = ?1 AND resolved_at IS NULL ORDER BY raised_at DESC, id",
            &[&id],
        )?,
        episodes: record::list(conn, "case_id = ?1 ORDER BY opened_on DESC, id", &[&id])?,
        risk_level,
        stage_moves: record::list(
            conn,
            "case_id = ?1 ORDER BY moved_on, recorded_at, id",
            &[&id],
        )?,
        conditions: record::list(conn, "case_id = ?1 ORDER BY due_on, id", &[&id])?,
        follow_ups: record::list(conn, "case_id = ?1 ORDER BY episode_id, months", &[&id])?,
        incidents_last_year: IncidentCount::last_year(&incidents, local_today(crate::basics::now())),
        incidents,
        sign_offs: sign_offs(conn, case_id)?,
        supervision: supervision(conn, case_id)?,
        linked: linked_people(conn, case_id)?,
        linked_from: linked_from(conn, case_id)?,
        marac_meetings: record::list(conn, "case_id = ?1 ORDER BY meeting_on DESC, id", &[&id])?,
        marac_actions: record::list(conn, "case_id = ?1 ORDER BY due_on, id", &[&id])?,
        safety_plan: record::get(conn, SafetyPlan::id_of(case_id))?,
        levels: LatestLevel::of_each(
            &record::list::<Assessment>(conn, "case_id = ?1", &[&id])?,
            &record::list::<AssessmentTemplate>(
                conn,
                "key IN (SELECT template_key FROM assessments WHERE case_id = ?1 AND removed_at IS NULL)",
                &[&id],
            )?,
        ),
    })
}

/// A case's linked people (children first, then household, then the other
/// party; by name), the other party masked.
pub fn linked_people(conn: &Connection, case_id: Uuid) -> Result<Vec<LinkedPerson>> {
    Ok(record::list::<LinkedPerson>(
        conn,
        "case_id = ?1 ORDER BY CASE relation WHEN 'child' THEN 0 WHEN 'household_member' THEN 1 ELSE 2 END, name, id",
        &[&case_id.to_string()],
    )?
    .into_iter()
    .map(LinkedPerson::masked)
    .collect())
}

/// The cases that opened `case_id` as a linked child or household member.
pub fn linked_from(
    conn: &Connection,
    case_id: Uuid,
) -> Result<Vec<waymark_model::views::LinkedFrom>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.case_id, p.full_name, l.relation FROM linked_people l JOIN persons p ON p.id = l.case_id
         WHERE l.own_case_id = ?1 AND l.removed_at IS NULL ORDER BY p.full_name, l.case_id",
    )?;
    let rows = stmt.query_map([case_id.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    rows.map(|row| {
        let (case, person_name, relation) = row?;
        Ok(waymark_model::views::LinkedFrom {
            case_id: parse_id(&case)?,
            person_name,
            relation: relation
                .parse()
                .map_err(|e: String| Error::Storage(format!("linked_people.relation: {e}")))?,
        })
    })
    .collect()
}

/// A case's supervision notes, the latest first, each with who wrote it.
pub fn supervision(
    conn: &Connection,
    case_id: Uuid,
) -> Result<Vec<waymark_model::views::SupervisionEntry>> {
    record::list::<SupervisionNote>(
        conn,
        "case_id = ?1 ORDER BY held_on DESC, written_at DESC, id",
        &[&case_id.to_string()],
    )?
    .into_iter()
    .map(|note| {
        let done = record::list::<crate::domain::SupervisionActionDone>(
            conn,
            "note_id = ?1 ORDER BY action_index",
            &[&note.id.to_string()],
        )?
        .into_iter()
        .map(|d| {
            Ok(waymark_model::views::ActionDoneBy {
                by: written_by(conn, "supervision_actions_done", d.id, d.done_by)?,
                done: d,
            })
        })
        .collect::<Result<_>>()?;
        Ok(waymark_model::views::SupervisionEntry {
            by: written_by(conn, "supervision_notes", note.id, note.written_by)?,
            note,
            done,
        })
    })
    .collect()
}

/// A case's sign-offs, oldest first, each with who signed it.
pub fn sign_offs(conn: &Connection, case_id: Uuid) -> Result<Vec<waymark_model::views::SignedOff>> {
    record::list::<SignOff>(
        conn,
        "case_id = ?1 ORDER BY signed_at, id",
        &[&case_id.to_string()],
    )?
    .into_iter()
    .map(|s| {
        Ok(waymark_model::views::SignedOff {
            by: written_by(conn, "sign_offs", s.id, s.signed_by)?,
            sign_off: s,
        })
    })
    .collect()
}

/// Who wrote a record, as this device knows it: one written here, the
/// person enrolled here it names (`author`); one that arrived, whoever's
/// confirmed identity signed what its device sent (`change_signers`, named
/// by their certificates; several joined by " or "). `None`: not known.
pub fn written_by(
    conn: &Connection,
    table: &str,
    id: Uuid,
    author: Uuid,
) -> Result<Option<String>> {
    let clocks: Option<String> = conn
        .prepare_cached(&format!("SELECT clocks FROM {table} WHERE id = ?1"))?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?;
    let stamp = clocks
        .and_then(|c| serde_json::from_str::<serde_json::Value>(&c).ok())
        .and_then(|c| c["*"].as_str().and_then(|s| s.parse::<Stamp>().ok()));
    let Some(stamp) = stamp else {
        return Ok(None);
    };
    let here: String = conn
        .prepare_cached("SELECT device_id FROM device")?
        .query_row([], |r| r.get(0))?;
    if stamp.device.to_string() == here {
        return Ok(conn
            .prepare_cached("SELECT name FROM users WHERE id = ?1")?
            .query_row([author.to_string()], |r| r.get(0))
            .optional()?);
    }
    signers_of_device(conn, stamp.device)
}

/// Whoever's confirmed identity signed what `device` sent, by the names
/// their certificates bind (several joined by " or ": a shared laptop).
pub(crate) fn signers_of_device(conn: &Connection, device: Uuid) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT group_concat(name, ' or ') FROM (
                SELECT DISTINCT ci.subject_name AS name
                FROM change_signers cs JOIN certified_identities ci ON ci.subject_id = cs.person_id
                WHERE cs.device_id = ?1 AND ci.subject_name IS NOT NULL
                ORDER BY name)",
        )?
        .query_row([device.to_string()], |r| r.get(0))?)
}

pub fn note_history(conn: &Connection, note_id: Uuid) -> Result<NoteHistory> {
    let note: Note = record::get(conn, note_id)?.ok_or(Error::NotFound {
        what: "note",
        id: note_id.to_string(),
    })?;
    let amendments: Vec<NoteAmendment> = record::list(
        conn,
        "note_id = ?1 ORDER BY amended_at, id",
        &[&note_id.to_string()],
    )?;
    let current_body = amendments
        .last()
        .map_or_else(|| note.body.clone(), |a| a.body.clone());
    let amended_by = amendments
        .iter()
        .map(|a| written_by(conn, "note_amendments", a.id, a.author))
        .collect::<Result<_>>()?;
    Ok(NoteHistory {
        written_by: written_by(conn, "notes", note.id, note.author)?,
        note,
        amendments,
        current_body,
        amended_by,
    })
}

pub fn support_plan(conn: &Connection, case_id: Uuid) -> Result<Vec<GoalView>> {
    let goals: Vec<Goal> = record::list(
        conn,
        "case_id = ?1 ORDER BY created_at, id",
        &[&case_id.to_string()],
    )?;
    goals
        .into_iter()
        .map(|goal| {
            let gid = goal.id.to_string();
            Ok(GoalView {
                actions: record::list(
                    conn,
                    "goal_id = ?1 ORDER BY due_on IS NULL, due_on, id",
                    &[&gid],
                )?,
                ratings: record::list(conn, "goal_id = ?1 ORDER BY rated_on, id", &[&gid])?,
                goal,
            })
        })
        .collect()
}

pub fn agenda(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<AgendaEntry>> {
    let appointments: Vec<Appointment> = record::list(
        conn,
        "starts_at >= ?1 AND starts_at < ?2 ORDER BY starts_at, id",
        &[&from.timestamp_millis(), &to.timestamp_millis()],
    )?;
    let mut name = conn
        .prepare_cached("SELECT coalesce(preferred_name, full_name) FROM persons WHERE id = ?1")?;
    let mut entries = Vec::with_capacity(appointments.len());
    for a in appointments {
        // An appointment whose person is not readable here is left out, not
        // the whole agenda (the caller reads in one snapshot; this guards a
        // caller that does not).
        let person_name: Option<String> = name
            .query_row([a.case_id.to_string()], |r| r.get(0))
            .optional()?;
        if let Some(person_name) = person_name {
            entries.push(AgendaEntry {
                appointment: a,
                person_name,
            });
        }
    }
    Ok(entries)
}

pub fn timeline(conn: &Connection, case_id: Uuid) -> Result<Vec<TimelineItem>> {
    let id = case_id.to_string();
    let p: &[&dyn rusqlite::ToSql] = &[&id];
    let day = |d: NaiveDate| d.and_hms_opt(12, 0, 0).unwrap().and_utc();
    let mut items = Vec::new();
    let item = |at, id, event: TimelineEvent, detail| TimelineItem {
        at,
        kind: event.record_kind().into(),
        id,
        event,
        detail,
        by: None,
    };
    for n in record::list::<Note>(conn, "case_id = ?1", p)? {
        let h = note_history(conn, n.id)?;
        let event = TimelineEvent::Note {
            contact_type: n.contact_type,
            amended: !h.amendments.is_empty(),
        };
        items.push(item(n.occurred_at, n.id, event, Some(h.current_body)));
        if let Some(last) = items.last_mut() {
            last.by = h.written_by;
        }
    }
    for a in record::list::<Appointment>(conn, "case_id = ?1", p)? {
        let event = TimelineEvent::Appointment {
            agency: a.agency,
            outcome: a.outcome,
        };
        items.push(item(a.starts_at, a.id, event, a.place.clone()));
    }
    // A group's register: the session's title and day, never its note.
    for a in record::list::<Attendance>(conn, "case_id = ?1", p)? {
        let event = TimelineEvent::Attendance {
            title: a.title,
            attended: a.attended,
        };
        items.push(item(day(a.held_on), a.id, event, None));
    }
    for a in record::list::<Assessment>(conn, "case_id = ?1", p)? {
        let event = TimelineEvent::Assessment {
            template_key: a.template_key,
            score: a.score,
            level: a.level,
        };
        items.push(item(a.completed_at, a.id, event, None));
    }
    for r in record::list::<Referral>(conn, "case_id = ?1", p)? {
        let event = TimelineEvent::Referral {
            agency: r.agency,
            status: r.status,
        };
        items.push(item(day(r.made_on), r.id, event, Some(r.reason)));
    }
    for g in record::list::<Goal>(conn, "case_id = ?1", p)? {
        let event = TimelineEvent::Goal {
            need_area: g.need_area,
        };
        items.push(item(g.created_at, g.id, event, Some(g.description)));
    }
    for r in record::list::<OutcomeRating>(conn, "case_id = ?1", p)? {
        let event = TimelineEvent::OutcomeRating { rating: r.rating };
        items.push(item(day(r.rated_on), r.id, event, r.comment));
    }
    for f in record::list::<Flag>(conn, "case_id = ?1", p)? {
        let raised = TimelineEvent::FlagRaised { kind: f.kind };
        items.push(item(f.raised_at, f.id, raised, f.detail.clone()));
        if let Some(at) = f.resolved_at {
            let resolved = TimelineEvent::FlagResolved { kind: f.kind };
            items.push(item(at, f.id, resolved, None));
        }
    }
    for e in record::list::<Episode>(conn, "case_id = ?1", p)? {
        let opened = TimelineEvent::EpisodeOpened {
            programme: e.programme.clone(),
        };
        items.push(item(day(e.opened_on), e.id, opened, None));
        if let Some(closed) = e.closed_on {
            let event = TimelineEvent::EpisodeClosed {
                programme: e.programme,
            };
            items.push(item(day(closed), e.id, event, e.closure_reason));
        }
    }
    for a in record::list::<Attachment>(conn, "case_id = ?1", p)? {
        let event = TimelineEvent::Attachment {
            file_name: a.file_name,
        };
        items.push(item(a.added_at, a.id, event, None));
    }
    // Newest first; ties in the same order on every device.
    items.sort_by(|a, b| {
        b.at.cmp(&a.at)
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.id.cmp(&b.id))
            // A flag raised and resolved in the same instant: raised first.
            .then_with(|| {
                matches!(a.event, TimelineEvent::FlagResolved { .. })
                    .cmp(&matches!(b.event, TimelineEvent::FlagResolved { .. }))
            })
    });
    Ok(items)
}

// --- Retention ------------------------------------------------------------------

/// Cases closed for at least `closed_for_days` on `today`, longest closed
/// first. A case with any open episode, or none, is never listed.
pub fn retention_review(
    conn: &Connection,
    closed_for_days: i64,
    today: NaiveDate,
) -> Result<Vec<RetentionItem>> {
    if closed_for_days < 1 {
        return Err(Error::because(
            "closed_for_days",
            waymark_model::Reason::AtLeast { min: 1 },
        ));
    }
    let cutoff = today - chrono::Duration::days(closed_for_days);
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, coalesce(p.preferred_name, p.full_name), max(e.closed_on),
                (SELECT e2.closure_reason FROM episodes e2 WHERE e2.case_id = p.id AND e2.removed_at IS NULL
                 ORDER BY e2.closed_on DESC LIMIT 1)
         FROM persons p JOIN episodes e ON e.case_id = p.id AND e.removed_at IS NULL
         WHERE p.removed_at IS NULL
         GROUP BY p.id
         HAVING sum(e.status <> 'closed' OR e.closed_on IS NULL) = 0 AND max(e.closed_on) <= ?1
         ORDER BY max(e.closed_on), p.id",
    )?;
    let rows = stmt.query_map([cutoff.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    rows.map(|row| {
        let (id, person_name, closed, closure_reason) = row?;
        let closed_on: NaiveDate = closed
            .parse()
            .map_err(|_| Error::Storage("an episode's closing date is not a date".into()))?;
        Ok(RetentionItem {
            case_id: parse_id(&id)?,
            person_name,
            days_closed: (today - closed_on).num_days(),
            closed_on,
            closure_reason,
        })
    })
    .collect()
}

// --- Search ---------------------------------------------------------------------

/// Turns what a person typed into an FTS5 query: every word must match, the
/// last as a prefix (search as you type). Operators typed are treated as words.
pub fn fts_query(input: &str) -> Result<String> {
    let words: Vec<String> = input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect();
    if words.is_empty() {
        return Err(Error::because(
            "query",
            waymark_model::Reason::NoLetterOrDigit,
        ));
    }
    let mut q = words.join(" ");
    q.push('*');
    Ok(q)
}

/// Names first, then the most recent matching notes.
pub fn search(conn: &Connection, input: &str, limit: usize) -> Result<Vec<SearchHit>> {
    let q = fts_query(input)?;
    let limit = limit.clamp(1, 500) as i64;
    let mut hits = Vec::new();
    let mut names = conn.prepare_cached(
        "SELECT p.id, coalesce(p.preferred_name, p.full_name), highlight(persons_fts, 0, '«', '»')
         FROM persons_fts JOIN persons p ON p.rowid = persons_fts.rowid
         WHERE persons_fts MATCH ?1 AND p.removed_at IS NULL LIMIT ?2",
    )?;
    for row in names.query_map(params![q, limit], |r| {
        Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?))
    })? {
        let (id, person_name, snippet) = row?;
        let id = parse_id(&id)?;
        hits.push(SearchHit {
            kind: "person".into(),
            case_id: id,
            record_id: id,
            person_name,
            snippet,
            at: None,
        });
    }
    // Newest on this device first, in the index's own order, so a common
    // word stops at LIMIT however many notes hold it. (By the notes' own
    // time, every match was sorted: seven times slower over 10,000 notes,
    // and worse over a million. Search is a view of this device, never
    // exported, so arrival order may differ between devices here.)
    let mut notes = conn.prepare_cached(
        "SELECT n.id, n.case_id, coalesce(p.preferred_name, p.full_name),
                snippet(notes_fts, 0, '«', '»', '…', 12), n.occurred_at
         FROM notes_fts JOIN notes n ON n.rowid = notes_fts.rowid JOIN persons p ON p.id = n.case_id
         WHERE notes_fts MATCH ?1 ORDER BY notes_fts.rowid DESC LIMIT ?2",
    )?;
    let rows = notes.query_map(params![q, limit], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    for row in rows {
        let (id, case, person_name, snippet, at) = row?;
        hits.push(SearchHit {
            kind: "note".into(),
            case_id: parse_id(&case)?,
            record_id: parse_id(&id)?,
            person_name,
            snippet,
            at: Some(ms_to_time(at)),
        });
    }
    hits.truncate(limit as usize);
    Ok(hits)
}

// --- Export and audit ---------------------------------------------------------------

pub fn export_case(conn: &Connection, case_id: Uuid) -> Result<CaseExport> {
    let person: Person = record::get(conn, case_id)?.ok_or(Error::NotFound {
        what: "case",
        id: case_id.to_string(),
    })?;
    let id = case_id.to_string();
    let p: &[&dyn rusqlite::ToSql] = &[&id];
    let notes: Vec<Note> = record::list(conn, "case_id = ?1 ORDER BY occurred_at, id", p)?;
    Ok(CaseExport {
        format: "waymark-case-export/1".into(),
        exported_at: crate::basics::now(),
        person,
        episodes: record::list(conn, "case_id = ?1 ORDER BY opened_on, id", p)?,
        notes: notes
            .iter()
            .map(|n| note_history(conn, n.id))
            .collect::<Result<_>>()?,
        support_plan: support_plan(conn, case_id)?,
        appointments: record::list(conn, "case_id = ?1 ORDER BY starts_at, id", p)?,
        assessments: record::list(conn, "case_id = ?1 ORDER BY completed_at, id", p)?,
        referrals: record::list(conn, "case_id = ?1 ORDER BY made_on, id", p)?,
        flags: record::list(conn, "case_id = ?1 ORDER BY raised_at, id", p)?,
        attachments: record::list(conn, "case_id = ?1 ORDER BY added_at, id", p)?,
        stage_moves: record::list(conn, "case_id = ?1 ORDER BY moved_on, recorded_at, id", p)?,
        conditions: record::list(conn, "case_id = ?1 ORDER BY due_on, id", p)?,
        follow_ups: record::list(conn, "case_id = ?1 ORDER BY episode_id, months", p)?,
        outcomes: outcomes(conn, case_id)?,
        incidents: record::list(
            conn,
            "case_id = ?1 ORDER BY occurred_on, recorded_at, id",
            p,
        )?,
        sign_offs: record::list(conn, "case_id = ?1 ORDER BY signed_at, id", p)?,
        marac_meetings: record::list(conn, "case_id = ?1 ORDER BY meeting_on, id", p)?,
        marac_actions: record::list(conn, "case_id = ?1 ORDER BY due_on, id", p)?,
        safety_plan: record::get(conn, SafetyPlan::id_of(case_id))?,
        linked_people: record::list(
            conn,
            "case_id = ?1 AND relation <> 'other_party' ORDER BY relation, name, id",
            p,
        )?,
        attendance: record::list(conn, "case_id = ?1 ORDER BY held_on, id", p)?,
    })
}

/// A case's outcomes over time (`CaseOutcomes`).
pub fn outcomes(conn: &Connection, case_id: Uuid) -> Result<CaseOutcomes> {
    let id = case_id.to_string();
    let p: &[&dyn rusqlite::ToSql] = &[&id];
    Ok(CaseOutcomes {
        statuses: record::list(conn, "case_id = ?1 ORDER BY area, recorded_on, id", p)?,
        area_ratings: record::list(conn, "case_id = ?1 ORDER BY area, rated_on, id", p)?,
        support: record::list(conn, "case_id = ?1 ORDER BY given_on, id", p)?,
        feedback: record::list(conn, "case_id = ?1 ORDER BY given_on, id", p)?,
        equality: record::list(conn, "case_id = ?1", p)?.into_iter().next(),
    })
}

/// Newest first.
pub fn audit_trail(
    conn: &Connection,
    case_id: Option<Uuid>,
    limit: usize,
) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.at, a.user_id, u.name, a.action, a.kind, a.record_id, a.case_id
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
         WHERE ?1 IS NULL OR a.case_id = ?1 ORDER BY a.seq DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![case_id.map(|c| c.to_string()), limit as i64], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    rows.map(|row| {
        let (at, user, user_name, action, kind, record, case) = row?;
        Ok(AuditEntry {
            at: ms_to_time(at),
            user_id: parse_id(&user)?,
            user_name,
            action,
            kind,
            record_id: record.as_deref().map(parse_id).transpose()?,
            case_id: case.as_deref().map(parse_id).transpose()?,
        })
    })
    .collect()
}

/// The zone times are shown in (stored times are UTC).
pub const LOCAL_ZONE: chrono_tz::Tz = chrono_tz::Europe::London;

/// The date it is at `now` where people are, not in UTC.
pub fn local_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&LOCAL_ZONE).date_naive()
}

/// Start and end (UTC) of a local day, and of the Monday-to-Sunday week that
/// contains it, in the zone shown to the user (Europe/London by default).
pub fn local_day_bounds(date: NaiveDate, zone: chrono_tz::Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    use chrono::TimeZone;
    let start = |d: NaiveDate| {
        zone.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap())
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| d.and_hms_opt(0, 0, 0).unwrap().and_utc())
    };
    (start(date), start(date.succ_opt().unwrap_or(date)))
}

pub fn local_week_bounds(date: NaiveDate, zone: chrono_tz::Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    use chrono::Datelike;
    let monday = date - chrono::Duration::days(date.weekday().num_days_from_monday() as i64);
    let (from, _) = local_day_bounds(monday, zone);
    let (to, _) = local_day_bounds(monday + chrono::Duration::days(7), zone);
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn attention_never_drops_when_things_get_worse(
            flags in 0i64..10, days in 0i64..400, hours in -100i64..100, overdue in any::<bool>(),
            risk in prop::sample::select(vec![None, Some("standard"), Some("medium"), Some("high")]),
        ) {
            let base = attention_score(risk, flags, overdue, Some(days), Some(hours));
            prop_assert!(attention_score(risk, flags + 1, overdue, Some(days), Some(hours)) >= base);
            prop_assert!(attention_score(risk, flags, true, Some(days), Some(hours)) >= base);
            prop_assert!(attention_score(risk, flags, overdue, Some(days + 1), Some(hours)) >= base);
            prop_assert!(attention_score(Some("high"), flags, overdue, Some(days), Some(hours)) >= base);
        }
    }

    /// Per case, as the caseload reads it: (id, name, keyworker, risk,
    /// flags, last contact, next appointment), in the caseload's order.
    type Row = (
        Uuid,
        String,
        Option<String>,
        Option<String>,
        i64,
        Option<i64>,
        Option<i64>,
    );

    /// The caseload as one query joining persons to their summary and
    /// their next appointment (what it was before the merge), sorted the
    /// caseload's way: the oracle the merge must agree with.
    fn joined(conn: &Connection, now: i64) -> Vec<Row> {
        let mut rows: Vec<(i64, Row)> = conn
            .prepare(
                "SELECT p.id, p.full_name, s.keyworker, s.risk_level, coalesce(s.open_flags, 0), s.last_contact_at,
                        (SELECT min(a.starts_at) FROM appointments a
                          WHERE a.case_id = p.id AND a.starts_at >= ?1 AND a.outcome IS NULL AND a.removed_at IS NULL)
                 FROM persons p LEFT JOIN case_summary s ON s.case_id = p.id WHERE p.removed_at IS NULL",
            )
            .unwrap()
            .query_map([now], |r| {
                Ok((
                    parse_id(&r.get::<_, String>(0)?).unwrap(),
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .unwrap()
            .map(|row| {
                let row: Row = row.unwrap();
                let at = ms_to_time(now);
                let days = row.5.map(|t| (at - ms_to_time(t)).num_days());
                let hours = row.6.map(|t| (ms_to_time(t) - at).num_hours());
                (attention_score(row.3.as_deref(), row.4, false, days, hours), row)
            })
            .collect();
        rows.sort_by(|(a, x), (b, y)| {
            b.cmp(a)
                .then_with(|| x.1.cmp(&y.1))
                .then_with(|| x.0.cmp(&y.0))
        });
        rows.into_iter().map(|(_, row)| row).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Removed cases, cases with no summary, summaries and appointments
        /// of removed cases, past, done and removed appointments: the merge
        /// in case id order lists what the join listed, in the same order.
        #[test]
        fn the_merged_caseload_is_the_joined_one(
            cases in prop::collection::vec(
                (any::<u128>(), 0usize..4, any::<bool>(), prop::option::of((0i64..4, 0i64..3, prop::option::of(0i64..100))),
                 prop::collection::vec((-50i64..50, any::<bool>(), any::<bool>()), 0..4)),
                0..30,
            ),
        ) {
            let mut conn = Connection::open_in_memory().unwrap();
            crate::db::migrations().to_latest(&mut conn).unwrap();
            let now = 1_800_000_000_000i64;
            let hour = 3_600_000i64;
            for (id, name, removed, summary, appointments) in &cases {
                let id = Uuid::from_u128(*id).to_string();
                conn.execute(
                    "INSERT OR IGNORE INTO persons (id, full_name, safe_contact, needs, consents, created_at, created_by, version, clocks, removed_at)
                     VALUES (?1, ?2, '{}', '[]', '[]', 0, 'amina', 1, '{}', ?3)",
                    params![id, ["Orla", "Aria", "Orla", "Wren"][*name], removed.then_some(now)],
                ).unwrap();
                if let Some((risk, flags, days)) = summary {
                    conn.execute(
                        "INSERT OR IGNORE INTO case_summary (case_id, keyworker, risk_level, open_flags, last_contact_at) VALUES (?1, 'amina', ?2, ?3, ?4)",
                        params![id, [None, Some("standard"), Some("medium"), Some("high")][*risk as usize], flags, days.map(|d| now - d * 24 * hour)],
                    ).unwrap();
                }
                for (at, done, gone) in appointments {
                    conn.execute(
                        "INSERT INTO appointments (id, case_id, starts_at, ends_at, agency, outcome, version, clocks, removed_at)
                         VALUES (?1, ?2, ?3, ?3, 'housing', ?4, 1, '{}', ?5)",
                        params![Uuid::new_v4().to_string(), id, now + at * hour, done.then_some("attended"), gone.then_some(now)],
                    ).unwrap();
                }
            }
            let merged: Vec<Row> = caseload(&conn, &CaseloadFilter::default(), ms_to_time(now))
                .unwrap()
                .into_iter()
                .map(|e| (
                    e.case_id, e.full_name, e.keyworker, e.risk_level, e.open_flags,
                    e.last_contact_at.map(|t| t.timestamp_millis()),
                    e.next_appointment_at.map(|t| t.timestamp_millis()),
                ))
                .collect();
            prop_assert_eq!(merged, joined(&conn, now));
        }
    }

    #[test]
    fn typed_operators_are_just_words() {
        assert_eq!(
            fts_query("refuge OR \"x").unwrap(),
            "\"refuge\" \"OR\" \"x\"*"
        );
        assert!(fts_query("  -- ").is_err());
    }

    #[test]
    fn london_days_follow_summer_time() {
        let (from, to) = local_day_bounds(
            NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
            chrono_tz::Europe::London,
        );
        assert_eq!(from.to_rfc3339(), "2026-06-30T23:00:00+00:00");
        assert_eq!((to - from).num_hours(), 24);
    }
}
