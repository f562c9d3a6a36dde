//! The one write path. Every record kind is described by a `KindSpec` (table,
//! fields, field types); `put` diffs a record against what is stored, writes
//! only the changed fields, stamps them with the hybrid logical clock, and
//! appends the field-level change to the outbox, all inside the caller's
//! transaction. Sync applies incoming changes through the same
//! specs, so reading and writing fields by name lives here only.

pub use crate::change::{ChangeBody, Op};
use crate::db::RECORDS_VERSION;
use crate::domain::Record;
use crate::error::{Error, Result};
use crate::hlc::{Clock, Stamp};
use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// Strings, ids, dates ('YYYY-MM-DD') and enums.
    Text,
    Int,
    Bool,
    /// RFC 3339 in values, milliseconds since the epoch in the table.
    Time,
    /// Structured values kept as JSON text.
    Json,
}

pub struct KindSpec {
    pub kind: &'static str,
    pub table: &'static str,
    pub fields: &'static [(&'static str, FieldType)],
}

use FieldType::*;

pub const KINDS: &[KindSpec] = &[
    KindSpec {
        kind: "person",
        table: "persons",
        fields: &[
            ("full_name", Text),
            ("preferred_name", Text),
            ("date_of_birth", Text),
            ("pronouns", Text),
            ("phone", Text),
            ("email", Text),
            ("safe_contact", Json),
            ("address", Text),
            ("address_restricted", Bool),
            ("needs", Json),
            ("consents", Json),
            ("created_at", Time),
            ("created_by", Text),
        ],
    },
    KindSpec {
        kind: "episode",
        table: "episodes",
        fields: &[
            ("case_id", Text),
            ("referral_source", Text),
            ("programme", Text),
            ("keyworker", Text),
            ("status", Text),
            ("opened_on", Text),
            ("closed_on", Text),
            ("closure_reason", Text),
            ("programme_id", Text),
            ("route", Text),
        ],
    },
    KindSpec {
        kind: "stage_move",
        table: "stage_moves",
        fields: &[
            ("case_id", Text),
            ("episode_id", Text),
            ("stage", Text),
            ("moved_on", Text),
            ("recorded_by", Text),
            ("recorded_at", Time),
        ],
    },
    KindSpec {
        kind: "condition",
        table: "conditions",
        fields: &[
            ("case_id", Text),
            ("episode_id", Text),
            ("kind", Text),
            ("detail", Text),
            ("due_on", Text),
            ("status", Text),
            ("status_on", Text),
            ("note", Text),
            ("set_at", Time),
        ],
    },
    KindSpec {
        kind: "follow_up",
        table: "follow_ups",
        fields: &[
            ("case_id", Text),
            ("episode_id", Text),
            ("months", Int),
            ("result", Text),
            ("offence_on", Text),
            ("offence", Text),
            ("checked_on", Text),
            ("recorded_at", Time),
        ],
    },
    KindSpec {
        kind: "status_record",
        table: "status_records",
        fields: &[
            ("case_id", Text),
            ("area", Text),
            ("value", Text),
            ("point", Text),
            ("recorded_on", Text),
            ("recorded_by", Text),
        ],
    },
    KindSpec {
        kind: "area_rating",
        table: "area_ratings",
        fields: &[
            ("case_id", Text),
            ("episode_id", Text),
            ("area", Text),
            ("rating", Int),
            ("rated_on", Text),
            ("rated_by", Text),
        ],
    },
    KindSpec {
        kind: "support_given",
        table: "support_given",
        fields: &[
            ("case_id", Text),
            ("kind", Text),
            ("given_on", Text),
            ("amount_pence", Int),
            ("note", Text),
            ("given_by", Text),
        ],
    },
    KindSpec {
        kind: "incident",
        table: "incidents",
        fields: &[
            ("case_id", Text),
            ("occurred_on", Text),
            ("kind", Text),
            ("police_called", Bool),
            ("injuries", Bool),
            ("children_present", Bool),
            ("detail", Text),
            ("escalation", Json),
            ("recorded_at", Time),
            ("recorded_by", Text),
        ],
    },
    KindSpec {
        kind: "marac_meeting",
        table: "marac_meetings",
        fields: &[
            ("case_id", Text),
            ("referral_id", Text),
            ("meeting_on", Text),
            ("outcome", Text),
            ("recorded_at", Time),
            ("recorded_by", Text),
        ],
    },
    KindSpec {
        kind: "marac_action",
        table: "marac_actions",
        fields: &[
            ("case_id", Text),
            ("meeting_id", Text),
            ("agency", Text),
            ("owner", Text),
            ("action", Text),
            ("due_on", Text),
            ("done_on", Text),
        ],
    },
    KindSpec {
        kind: "safety_plan",
        table: "safety_plans",
        fields: &[
            ("case_id", Text),
            ("safe_places", Text),
            ("trusted_people", Text),
            ("code_words", Text),
            ("escape_bag", Text),
            ("tech_safety", Text),
            ("child_arrangements", Text),
            ("review_on", Text),
            ("updated_at", Time),
            ("updated_by", Text),
        ],
    },
    KindSpec {
        kind: "sign_off",
        table: "sign_offs",
        fields: &[
            ("case_id", Text),
            ("subject", Text),
            ("subject_id", Text),
            ("comment", Text),
            ("signed_at", Time),
            ("signed_by", Text),
        ],
    },
    KindSpec {
        kind: "group_session",
        table: "group_sessions",
        fields: &[
            ("title", Text),
            ("programme", Text),
            ("place", Text),
            ("held_on", Text),
            ("facilitators", Text),
            ("note", Text),
            ("recorded_at", Time),
            ("recorded_by", Text),
        ],
    },
    KindSpec {
        kind: "attendance",
        table: "attendance",
        fields: &[
            ("case_id", Text),
            ("session_id", Text),
            ("title", Text),
            ("held_on", Text),
            ("attended", Bool),
            ("recorded_at", Time),
            ("recorded_by", Text),
        ],
    },
    KindSpec {
        kind: "outreach_tally",
        table: "outreach_tallies",
        fields: &[
            ("log_id", Text),
            ("counted_on", Text),
            ("site", Text),
            ("count", Int),
            ("help", Json),
            ("note", Text),
            ("team", Text),
            ("recorded_at", Time),
            ("recorded_by", Text),
        ],
    },
    KindSpec {
        kind: "linked_person",
        table: "linked_people",
        fields: &[
            ("case_id", Text),
            ("relation", Text),
            ("name", Text),
            ("date_of_birth", Text),
            ("lives", Text),
            ("known_to_childrens_services", Bool),
            ("details", Text),
            ("own_case_id", Text),
            ("added_at", Time),
            ("added_by", Text),
        ],
    },
    KindSpec {
        kind: "supervision_action_done",
        table: "supervision_actions_done",
        fields: &[
            ("case_id", Text),
            ("note_id", Text),
            ("action_index", Int),
            ("done_on", Text),
            ("done_at", Time),
            ("done_by", Text),
        ],
    },
    KindSpec {
        kind: "contact_brief",
        table: "contact_briefs",
        fields: &[
            ("case_id", Text),
            ("name", Text),
            ("phone", Text),
            ("safe_contact", Json),
        ],
    },
    KindSpec {
        kind: "supervision_note",
        table: "supervision_notes",
        fields: &[
            ("case_id", Text),
            ("held_on", Text),
            ("discussion", Text),
            ("decision", Text),
            ("actions", Json),
            ("written_at", Time),
            ("written_by", Text),
        ],
    },
    KindSpec {
        kind: "feedback",
        table: "feedback",
        fields: &[
            ("case_id", Text),
            ("episode_id", Text),
            ("satisfaction", Int),
            ("words", Text),
            ("given_on", Text),
        ],
    },
    KindSpec {
        kind: "equality",
        table: "equality",
        fields: &[
            ("case_id", Text),
            ("ethnicity", Text),
            ("sex", Text),
            ("gender_identity", Text),
            ("sexual_orientation", Text),
            ("disability", Text),
            ("religion", Text),
            ("care_experience", Text),
            ("first_language", Text),
            ("interpreter", Text),
        ],
    },
    KindSpec {
        kind: "note",
        table: "notes",
        fields: &[
            ("case_id", Text),
            ("author", Text),
            ("occurred_at", Time),
            ("contact_type", Text),
            ("duration_minutes", Int),
            ("location", Text),
            ("body", Text),
            ("created_at", Time),
        ],
    },
    KindSpec {
        kind: "note_amendment",
        table: "note_amendments",
        fields: &[
            ("case_id", Text),
            ("note_id", Text),
            ("body", Text),
            ("reason", Text),
            ("author", Text),
            ("amended_at", Time),
        ],
    },
    KindSpec {
        kind: "goal",
        table: "goals",
        fields: &[
            ("case_id", Text),
            ("need_area", Text),
            ("description", Text),
            ("review_on", Text),
            ("status", Text),
            ("created_at", Time),
        ],
    },
    KindSpec {
        kind: "plan_action",
        table: "plan_actions",
        fields: &[
            ("case_id", Text),
            ("goal_id", Text),
            ("description", Text),
            ("owner", Text),
            ("due_on", Text),
            ("done_on", Text),
        ],
    },
    KindSpec {
        kind: "outcome_rating",
        table: "outcome_ratings",
        fields: &[
            ("case_id", Text),
            ("goal_id", Text),
            ("rating", Int),
            ("rated_on", Text),
            ("comment", Text),
            ("rated_by", Text),
        ],
    },
    KindSpec {
        kind: "appointment",
        table: "appointments",
        fields: &[
            ("case_id", Text),
            ("starts_at", Time),
            ("ends_at", Time),
            ("place", Text),
            ("agency", Text),
            ("with_whom", Text),
            ("reminder_minutes", Int),
            ("accompany", Bool),
            ("outcome", Text),
            ("outcome_note", Text),
        ],
    },
    KindSpec {
        kind: "assessment_template",
        table: "assessment_templates",
        fields: &[
            ("key", Text),
            ("template_version", Int),
            ("name", Text),
            ("definition", Json),
        ],
    },
    KindSpec {
        kind: "programme",
        table: "programmes",
        fields: &[
            ("name", Text),
            ("kind", Text),
            ("planned_weeks", Int),
            ("outcome_areas", Json),
            ("follow_up_months", Json),
            ("retired", Bool),
        ],
    },
    KindSpec {
        kind: "assessment",
        table: "assessments",
        fields: &[
            ("case_id", Text),
            ("template_id", Text),
            ("template_key", Text),
            ("template_version", Int),
            ("answers", Json),
            ("score", Int),
            ("level", Text),
            ("prompts", Json),
            ("decisions", Json),
            ("completed_at", Time),
            ("completed_by", Text),
        ],
    },
    KindSpec {
        kind: "referral",
        table: "referrals",
        fields: &[
            ("case_id", Text),
            ("agency", Text),
            ("reason", Text),
            ("status", Text),
            ("outcome", Text),
            ("made_on", Text),
            ("assessment_id", Text),
            ("consent_topic", Text),
        ],
    },
    KindSpec {
        kind: "flag",
        table: "flags",
        fields: &[
            ("case_id", Text),
            ("kind", Text),
            ("detail", Text),
            ("raised_at", Time),
            ("raised_by", Text),
            ("resolved_at", Time),
            ("resolved_by", Text),
        ],
    },
    KindSpec {
        kind: "attachment",
        table: "attachments",
        fields: &[
            ("case_id", Text),
            ("file_name", Text),
            ("media_type", Text),
            ("size_bytes", Int),
            ("added_at", Time),
            ("added_by", Text),
        ],
    },
];

/// Fields added to a kind after it first shipped, as `(kind, field)`. A
/// creation written before them lacks them; it still arrives, and they read
/// as null.
pub const LATER_FIELDS: &[(&str, &str)] = &[("episode", "programme_id"), ("episode", "route")];

/// Whether `fields` make a whole record of `spec`: a creation carries every
/// field (but those added later, which one written before them lacks).
pub fn is_whole(spec: &KindSpec, fields: &Map<String, Value>) -> bool {
    spec.fields
        .iter()
        .all(|(f, _)| fields.contains_key(*f) || LATER_FIELDS.contains(&(spec.kind, *f)))
}

/// The tables of case records, children before what they reference (plan
/// actions and ratings name their goal): what erasing a case empties.
pub fn case_tables() -> impl Iterator<Item = &'static str> {
    KINDS
        .iter()
        .rev()
        .filter(|k| k.fields.iter().any(|(f, _)| *f == "case_id"))
        .map(|k| k.table)
}

/// The spec of a kind, if this build knows it.
pub fn spec_of(kind: &str) -> Option<&'static KindSpec> {
    KINDS.iter().find(|s| s.kind == kind)
}

pub fn spec(kind: &str) -> &'static KindSpec {
    KINDS
        .iter()
        .find(|s| s.kind == kind)
        .unwrap_or_else(|| panic!("unknown record kind {kind}"))
}

/// Ids for records inside a case: time-ordered (UUIDv7), so new rows land at
/// the end of each id index instead of dirtying a random page. Case ids stay
/// random (v4): they travel as routing metadata and must not reveal when a
/// case was opened.
pub fn new_record_id() -> Uuid {
    Uuid::now_v7()
}

pub fn now_ms() -> u64 {
    Utc::now().timestamp_millis().max(0) as u64
}

/// The last stamp this device issued: the newest outbox entry's, or the one
/// kept in `device` (saved there before the outbox is drained).
pub(crate) fn last_stamp(conn: &Connection) -> Result<Stamp> {
    let text: String = conn
        .prepare_cached(
            "SELECT max(d.last_clock, coalesce((SELECT clock FROM outbox ORDER BY seq DESC LIMIT 1), ''))
             FROM device d",
        )?
        .query_row([], |r| r.get(0))?;
    text.parse().map_err(Error::Storage)
}

/// Issues the next clock stamp for this device. Reads the last stamp inside
/// the write transaction, so a restart or a second process sharing the store
/// never issues a stamp twice or goes backwards. Appending the stamp to the
/// outbox, in the same transaction, is what persists it: no extra page write.
pub(crate) fn next_stamp(tx: &Connection, device: Uuid) -> Result<Stamp> {
    let last = last_stamp(tx)?;
    Ok(Stamp {
        clock: last.clock.tick(now_ms()),
        device,
    })
}

/// Saves the last issued stamp in `device`. Sync calls this in the same
/// write transaction that removes acknowledged changes from the outbox.
#[allow(dead_code)]
pub(crate) fn persist_last_stamp(tx: &Connection) -> Result<()> {
    let last = last_stamp(tx)?;
    tx.execute("UPDATE device SET last_clock = ?1", [last.to_string()])?;
    Ok(())
}

pub(crate) fn initial_stamp(device: Uuid) -> Stamp {
    Stamp {
        clock: Clock::ZERO.tick(now_ms()),
        device,
    }
}

fn time_to_ms(field: &str, v: &str) -> Result<i64> {
    DateTime::parse_from_rfc3339(v)
        .map(|t| t.timestamp_millis())
        .map_err(|_| Error::invalid(field, format!("{v:?} is not a time")))
}

pub fn ms_to_time(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// Rewrites field values into the one text form they read back in from the
/// table: times always with milliseconds ("…:30.000Z", where serde writes
/// "…:30Z"). Values are compared, sent and merged in this form, so a time on
/// a whole second never looks changed. Only time fields are touched.
pub(crate) fn canonicalise(spec: &KindSpec, fields: &mut Map<String, Value>) -> Result<()> {
    for (f, ty) in spec.fields {
        if let (Time, Some(Value::String(text))) = (ty, fields.get_mut(*f)) {
            let ms = time_to_ms(f, text)?;
            *text = ms_to_time(ms).to_rfc3339_opts(SecondsFormat::Millis, true);
        }
    }
    Ok(())
}

fn to_sql(field: &str, ty: FieldType, v: &Value) -> Result<SqlValue> {
    let wrong = || Error::Storage(format!("field {field} does not hold a {ty:?} value"));
    Ok(match (ty, v) {
        (_, Value::Null) => SqlValue::Null,
        (Text, Value::String(s)) => SqlValue::Text(s.clone()),
        (Int, Value::Number(n)) => SqlValue::Integer(n.as_i64().ok_or_else(wrong)?),
        (Bool, Value::Bool(b)) => SqlValue::Integer(i64::from(*b)),
        (Time, Value::String(s)) => SqlValue::Integer(time_to_ms(field, s)?),
        (Json, v) => SqlValue::Text(v.to_string()),
        _ => return Err(wrong()),
    })
}

fn from_sql(field: &str, ty: FieldType, v: ValueRef) -> Result<Value> {
    let bad = || Error::Storage(format!("stored field {field} is not a {ty:?} value"));
    Ok(match (ty, v) {
        (_, ValueRef::Null) => Value::Null,
        (Text, ValueRef::Text(t)) => {
            Value::String(String::from_utf8(t.to_vec()).map_err(|_| bad())?)
        }
        (Int, ValueRef::Integer(i)) => Value::from(i),
        (Bool, ValueRef::Integer(i)) => Value::Bool(i != 0),
        (Time, ValueRef::Integer(ms)) => {
            Value::String(ms_to_time(ms).to_rfc3339_opts(SecondsFormat::Millis, true))
        }
        (Json, ValueRef::Text(t)) => serde_json::from_slice(t)?,
        _ => return Err(bad()),
    })
}

/// What is stored for one record: its field values, per-field clocks and version.
pub struct Stored {
    pub fields: Map<String, Value>,
    /// Field -> stamp of its last write; "*" is the stamp of fields not listed.
    pub clocks: Map<String, Value>,
    pub version: i64,
    pub removed: bool,
}

impl Stored {
    pub fn clock_of(&self, field: &str) -> Option<&Value> {
        self.clocks.get(field).or_else(|| self.clocks.get("*"))
    }
}

pub fn load(conn: &Connection, spec: &KindSpec, id: Uuid) -> Result<Option<Stored>> {
    let cols: Vec<&str> = spec.fields.iter().map(|(f, _)| *f).collect();
    let sql = format!(
        "SELECT {}, version, clocks, removed_at IS NOT NULL FROM {} WHERE id = ?1",
        cols.join(", "),
        spec.table
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let n = cols.len();
    stmt.query_row([id.to_string()], |row| {
        let mut fields = Map::new();
        for (i, (name, ty)) in spec.fields.iter().enumerate() {
            let v = from_sql(name, *ty, row.get_ref(i)?).map_err(to_rusqlite)?;
            fields.insert((*name).to_owned(), v);
        }
        let clocks: String = row.get(n + 1)?;
        Ok(Stored {
            fields,
            clocks: serde_json::from_str(&clocks).map_err(|e| to_rusqlite(e.into()))?,
            version: row.get(n)?,
            removed: row.get(n + 2)?,
        })
    })
    .optional()
    .map_err(Error::from)
}

fn to_rusqlite(e: Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(std::io::Error::other(e.to_string())))
}

/// Reads one live record.
pub fn get<R: Record>(conn: &Connection, id: Uuid) -> Result<Option<R>> {
    match load(conn, spec(R::KIND), id)? {
        Some(stored) if !stored.removed => Ok(Some(from_fields(id, stored.fields)?)),
        _ => Ok(None),
    }
}

pub(crate) fn from_fields<R: Record>(id: Uuid, mut fields: Map<String, Value>) -> Result<R> {
    fields.insert("id".into(), Value::String(id.to_string()));
    Ok(serde_json::from_value(Value::Object(fields))?)
}

/// Reads live records of one kind matching `filter` (AND-ed conditions, then
/// any ORDER BY / LIMIT; SQL with
/// `?1`… parameters), in the order it gives.
pub fn list<R: Record>(
    conn: &Connection,
    filter: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<R>> {
    let spec = spec(R::KIND);
    let cols: Vec<&str> = spec.fields.iter().map(|(f, _)| *f).collect();
    let sql = format!(
        "SELECT id, {} FROM {} WHERE removed_at IS NULL AND {filter}",
        cols.join(", "),
        spec.table
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params, |row| {
        let id: String = row.get(0)?;
        let mut fields = Map::new();
        for (i, (name, ty)) in spec.fields.iter().enumerate() {
            fields.insert(
                (*name).to_owned(),
                from_sql(name, *ty, row.get_ref(i + 1)?).map_err(to_rusqlite)?,
            );
        }
        Ok((id, fields))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, fields) = row?;
        let id = Uuid::parse_str(&id).map_err(|_| Error::Storage("malformed record id".into()))?;
        out.push(from_fields(id, fields)?);
    }
    Ok(out)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    Created,
    Updated,
    /// Identical to what is stored: nothing written, no change queued.
    Unchanged,
}

/// Writes `record`: inserts it, or updates just the fields that differ from
/// what is stored, and appends one field-level change to the outbox.
/// Who writes: the device (its clock) and the person's identity, which signs
/// each change as it is written (`None`: signed when sent).
#[derive(Clone, Copy)]
pub(crate) struct Author<'a> {
    pub device: Uuid,
    pub signer: Option<&'a waymark_crypto::IdentitySecret>,
    /// A volunteer: what they write travels in the case's allocation log.
    pub volunteer: bool,
}

pub(crate) fn put<R: Record>(tx: &Transaction, author: Author, record: &R) -> Result<Written> {
    let Value::Object(mut new) = serde_json::to_value(record)? else {
        return Err(Error::Storage(format!(
            "{} did not serialise to an object",
            R::KIND
        )));
    };
    new.remove("id");
    put_map(
        tx,
        author,
        spec(R::KIND),
        record.id(),
        record.case_id(),
        new,
        &[],
        None,
    )
}

/// The write path over a field map: `new` holds the record's fields by name.
/// `force` names fields to stamp and send even if unchanged (settling a
/// conflict must reach every device); `supersedes` names, per field, the
/// other heads a conflict resolution replaces.
#[allow(clippy::too_many_arguments)]
pub(crate) fn put_map(
    tx: &Connection,
    author: Author,
    spec: &'static KindSpec,
    id: Uuid,
    case_id: Option<Uuid>,
    mut new: Map<String, Value>,
    force: &[&str],
    supersedes: Option<&BTreeMap<String, Vec<Stamp>>>,
) -> Result<Written> {
    let old = load(tx, spec, id)?;
    if old.as_ref().is_some_and(|o| o.removed) {
        return Err(Error::because(spec.kind, waymark_model::Reason::Removed));
    }
    canonicalise(spec, &mut new)?;
    let changed: Vec<(&str, FieldType)> = spec
        .fields
        .iter()
        .filter(|(f, _)| {
            force.contains(f) || old.as_ref().is_none_or(|o| o.fields.get(*f) != new.get(*f))
        })
        .copied()
        .collect();
    if changed.is_empty() {
        return Ok(Written::Unchanged);
    }
    let next = next_stamp(tx, author.device)?;
    let stamp = next.to_string();
    let stamp_value = Value::String(stamp.clone());
    let mut changed_fields = Map::new();
    let mut prev = BTreeMap::new();
    let mut values: Vec<SqlValue> = Vec::with_capacity(changed.len() + 3);
    for (f, ty) in &changed {
        let v = new.get(*f).cloned().unwrap_or(Value::Null);
        values.push(to_sql(f, *ty, &v)?);
        changed_fields.insert((*f).to_owned(), v);
        let replaced = old
            .as_ref()
            .and_then(|o| o.clock_of(f))
            .and_then(Value::as_str);
        prev.insert(
            (*f).to_owned(),
            replaced
                .map(str::parse::<Stamp>)
                .transpose()
                .map_err(Error::Storage)?,
        );
    }
    let base_version = old.as_ref().map_or(0, |o| o.version);
    match &old {
        None => {
            // A new record: every field is in `changed`, all under one stamp.
            let clocks = Value::Object(Map::from_iter([("*".to_owned(), stamp_value)]));
            insert_row(tx, spec, id, &new, &clocks)?;
        }
        Some(o) => {
            let mut clocks = o.clocks.clone();
            for (f, _) in &changed {
                clocks.insert((*f).to_owned(), stamp_value.clone());
            }
            let sets: Vec<String> = changed
                .iter()
                .enumerate()
                .map(|(i, (f, _))| format!("{f} = ?{}", i + 1))
                .collect();
            let n = changed.len();
            let sql = format!(
                "UPDATE {} SET {}, version = ?{}, clocks = ?{} WHERE id = ?{}",
                spec.table,
                sets.join(", "),
                n + 1,
                n + 2,
                n + 3
            );
            values.push(SqlValue::Integer(o.version + 1));
            values.push(SqlValue::Text(Value::Object(clocks).to_string()));
            values.push(SqlValue::Text(id.to_string()));
            tx.prepare_cached(&sql)?
                .execute(rusqlite::params_from_iter(values))?;
        }
    }
    let has_heads = old.is_some() && (supersedes.is_some() || crate::sync::has_shadows(tx, id)?);
    let payload = Op::Put {
        base_version,
        fields: changed_fields,
        prev,
        supersedes: supersedes.cloned(),
    };
    let payload = append_outbox(tx, author, next, spec.kind, id, case_id, payload)?;
    // A field with several heads: keep its conflicts in step with the write.
    if has_heads {
        for (f, v) in payload.fields().into_iter().flatten() {
            let gone: Vec<String> = supersedes
                .and_then(|m| m.get(f))
                .map(|heads| heads.iter().map(ToString::to_string).collect())
                .unwrap_or_default();
            let shown = crate::sync::Head {
                stamp: stamp.clone(),
                value: v.clone(),
            };
            crate::sync::after_local_write(tx, spec.kind, id, case_id, f, shown, &gone)?;
        }
    }
    Ok(if old.is_none() {
        Written::Created
    } else {
        Written::Updated
    })
}

/// Inserts a record from a field map, as a pulled creation (no outbox entry).
pub(crate) fn insert_row(
    tx: &Connection,
    spec: &KindSpec,
    id: Uuid,
    fields: &Map<String, Value>,
    clocks: &Value,
) -> Result<()> {
    let cols: Vec<&str> = spec.fields.iter().map(|(f, _)| *f).collect();
    let marks: Vec<String> = (2..cols.len() + 2).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO {} (id, {}, version, clocks) VALUES (?1, {}, 1, ?{})",
        spec.table,
        cols.join(", "),
        marks.join(", "),
        cols.len() + 2
    );
    let mut values = vec![SqlValue::Text(id.to_string())];
    for (f, ty) in spec.fields {
        values.push(to_sql(f, *ty, fields.get(*f).unwrap_or(&Value::Null))?);
    }
    values.push(SqlValue::Text(clocks.to_string()));
    tx.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

/// Overwrites some fields of a stored record, as a pulled change (no outbox entry).
pub(crate) fn update_fields(
    tx: &Connection,
    spec: &KindSpec,
    id: Uuid,
    fields: &Map<String, Value>,
    clocks: &Value,
) -> Result<()> {
    let mut sets = Vec::new();
    let mut values = Vec::new();
    for (f, ty) in spec.fields {
        if let Some(v) = fields.get(*f) {
            values.push(to_sql(f, *ty, v)?);
            sets.push(format!("{f} = ?{}", values.len()));
        }
    }
    values.push(SqlValue::Text(clocks.to_string()));
    values.push(SqlValue::Text(id.to_string()));
    let sql = format!(
        "UPDATE {} SET {}, version = version + 1, clocks = ?{} WHERE id = ?{}",
        spec.table,
        sets.join(", "),
        values.len() - 1,
        values.len()
    );
    tx.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

/// Marks a record removed (a tombstone that syncs); its row stays.
pub(crate) fn remove(
    tx: &Transaction,
    author: Author,
    kind: &str,
    id: Uuid,
    case_id: Option<Uuid>,
) -> Result<()> {
    let spec = spec(kind);
    let stamp = next_stamp(tx, author.device)?;
    let n = tx.execute(
        &format!("UPDATE {} SET removed_at = ?1, version = version + 1 WHERE id = ?2 AND removed_at IS NULL", spec.table),
        params![stamp.clock.wall_ms as i64, id.to_string()],
    )?;
    if n == 0 {
        return Err(Error::NotFound {
            what: spec.kind,
            id: id.to_string(),
        });
    }
    append_outbox(tx, author, stamp, kind, id, case_id, Op::Remove).map(drop)
}

fn append_outbox(
    tx: &Connection,
    author: Author,
    stamp: Stamp,
    kind: &str,
    id: Uuid,
    case_id: Option<Uuid>,
    payload: Op,
) -> Result<Op> {
    let body = ChangeBody {
        change_id: Uuid::now_v7(),
        clock: stamp,
        device_id: author.device,
        schema_version: RECORDS_VERSION as i64,
        kind: kind.to_owned(),
        record_id: id,
        case_id,
        payload,
    };
    let log = crate::sync::route(tx, kind, id, case_id, author.volunteer)?;
    // Signed over the bytes `outbox` will rebuild and send: the typed
    // change writes a body read back from its own text the same way.
    let signed = match author.signer {
        Some(signer) if !crate::e2e::unsigned_sync() => {
            let statement = waymark_crypto::Statement::Change {
                log,
                change: body.change_id,
                body: &serde_json::to_vec(&body)?,
            };
            Some((signer.public().0, signer.sign(&statement).0))
        }
        _ => None,
    };
    let payload_text = serde_json::to_string(&body.payload)?;
    tx.prepare_cached(
        "INSERT INTO outbox (change_id, clock, device_id, schema_version, kind, record_id, case_id, payload, signed_by, signature, log_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        body.change_id.to_string(),
        stamp.to_string(),
        author.device.to_string(),
        RECORDS_VERSION as i64,
        kind,
        id.to_string(),
        case_id.map(|c| c.to_string()),
        payload_text,
        signed.map(|s| s.0),
        signed.map(|s| s.1),
        log.to_string(),
    ])?;
    Ok(body.payload)
}

/// One pending change in the outbox: its place in the queue, the change,
/// and its writer's identity and signature if it was signed when written.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxChange {
    pub seq: i64,
    /// The log it travels in (`sync::route`, as it was written).
    pub log_id: Uuid,
    pub body: ChangeBody,
    pub signed: Option<(waymark_crypto::IdentityPublic, waymark_crypto::Signature)>,
}

pub fn outbox(conn: &Connection, after_seq: i64, limit: i64) -> Result<Vec<OutboxChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, change_id, clock, device_id, schema_version, kind, record_id, case_id, payload,
                signed_by, signature, log_id
         FROM outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after_seq, limit], |r| {
        Ok((
            (
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, String>(8)?,
            ),
            (
                r.get::<_, Option<Vec<u8>>>(9)?,
                r.get::<_, Option<Vec<u8>>>(10)?,
                r.get::<_, Option<String>>(11)?,
            ),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (
            (seq, change_id, clock, device_id, schema_version, kind, record_id, case_id, payload),
            (signed_by, signature, log_id),
        ) = row?;
        let signed = match (signed_by, signature) {
            (Some(by), Some(signature)) => Some((
                waymark_crypto::IdentityPublic(by.try_into().map_err(|_| {
                    Error::Storage("outbox: a signer that is no identity key".into())
                })?),
                waymark_crypto::Signature::from_bytes(&signature)
                    .map_err(|e| Error::Storage(e.to_string()))?,
            )),
            _ => None,
        };
        let body = ChangeBody {
            change_id: crate::basics::parse_id(&change_id)?,
            clock: clock.parse().map_err(Error::Storage)?,
            device_id: crate::basics::parse_id(&device_id)?,
            schema_version,
            kind,
            record_id: crate::basics::parse_id(&record_id)?,
            case_id: case_id
                .as_deref()
                .map(crate::basics::parse_id)
                .transpose()?,
            payload: serde_json::from_str(&payload)?,
        };
        let log_id = match log_id {
            Some(log) => crate::basics::parse_id(&log)?,
            // Written before the outbox kept it: as `log_of` routed then,
            // before allocation logs.
            None => crate::sync::log_before_allocation(&body.kind, body.case_id),
        };
        out.push(OutboxChange {
            seq,
            log_id,
            body,
            signed,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Passphrase, Session};

    /// Found by the sync property test: serde writes a whole-second time
    /// without its fraction, the store reads it back with one; unequal text
    /// made an unchanged field look changed (and, across devices, conflict).
    #[test]
    fn times_on_a_whole_second_have_one_form() {
        let stored_form = "2026-11-23T10:50:30.000Z";
        for written in ["2026-11-23T10:50:30Z", stored_form] {
            let mut fields =
                Map::from_iter([("created_at".to_owned(), Value::String(written.into()))]);
            canonicalise(spec("person"), &mut fields).unwrap();
            assert_eq!(fields["created_at"], stored_form);
        }
    }

    /// The outbox tail carries the clock; when sync drains the outbox it must
    /// first persist the last stamp, and the clock must not go backwards.
    #[test]
    fn the_clock_survives_the_outbox_draining() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Session::create(
            dir.path(),
            "amina",
            &Passphrase::new("correct horse battery"),
        )
        .unwrap();
        s.add_person(crate::api::NewPerson {
            full_name: "Wren Example".into(),
            ..Default::default()
        })
        .unwrap();
        let device = s.device_id();
        let conn = s.connection();
        let before = last_stamp(conn).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        persist_last_stamp(conn).unwrap();
        conn.execute_batch("DELETE FROM outbox; COMMIT").unwrap();
        assert_eq!(last_stamp(conn).unwrap(), before);
        let next = next_stamp(conn, device).unwrap();
        assert!(next > before);
    }
}
