//! What a pulled change must satisfy before it is applied. The server, and
//! whoever pushed the change, are not trusted for integrity: a change is held
//! to the rules a local write obeys, on the device that receives it.
//!
//! - The organisation's log carries organisation records only (`ORG_KINDS`),
//!   naming no case; case logs carry case records only.
//! - The record's case is the change's case: a change may not reach into
//!   another case's records, or move a record between cases.
//! - Its clock is no further ahead of the server's receipt than the server
//!   allows a push (`MAX_CLOCK_AHEAD_MS`), so a forged far-future stamp
//!   cannot win every later edit.
//! - Notes, amendments, stage moves, status records, area ratings,
//!   support given and sign-offs are append-only: never rewritten, never
//!   removed. A sign-off is taken only as a supervisor or an admin signed
//!   it (`sync::apply` knows the signer). An
//!   incident is rewritten only to record the decision on its MARAC prompt.
//!   Only the kinds the local API removes (attachments) may be removed.
//! - Every field is one the kind has, of its type; a creation carries every
//!   field and passes the kind's whole validation, a later change the rules
//!   each field obeys on its own (`Record::validate_fields`; see
//!   `validate_whole` for why). "Not in the future" allows for a writer
//!   whose clock ran fast (`WRITER_CLOCK_SLACK`).
//!
//! A change that fails is refused with a reason naming no contents; the log
//! carries on past it.

use crate::domain::{self, Record};
use crate::error::Result;
use crate::hlc::Stamp;
use crate::record::{self, KindSpec, Stored};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::{Map, Value};
use uuid::Uuid;
use waymark_protocol::{MAX_CLOCK_AHEAD_MS, ORG_LOG};

/// The kinds the organisation's log carries: records of the whole
/// organisation, holding no case data.
pub const ORG_KINDS: &[&str] = &[domain::AssessmentTemplate::KIND, domain::Programme::KIND];

/// The kinds the local API removes; nothing else is ever removed.
const REMOVABLE_KINDS: &[&str] = &[domain::Attachment::KIND];

/// Kinds whose records, once saved, never change: corrections are new
/// amendments.
const APPEND_ONLY_KINDS: &[&str] = &[
    domain::Note::KIND,
    domain::NoteAmendment::KIND,
    domain::StageMove::KIND,
    domain::StatusRecord::KIND,
    domain::AreaRating::KIND,
    domain::SupportGiven::KIND,
    domain::SignOff::KIND,
    domain::SupervisionNote::KIND,
    domain::SupervisionActionDone::KIND,
];

/// Kinds that travel in a case's supervision log (`sync::log_of`), read by
/// its keyworker and its team's supervisors only, never in its own log.
pub const SUPERVISION_KINDS: &[&str] = &[
    domain::SupervisionNote::KIND,
    domain::SupervisionActionDone::KIND,
];

/// Kinds that travel in a case's allocation log (`sync::log_of`), read by
/// everyone who holds the case and the volunteers allocated to it.
/// (Appointments written before allocation logs stay in their case's.)
pub const ALLOCATION_KINDS: &[&str] = &[domain::ContactBrief::KIND, domain::Appointment::KIND];

/// What a volunteer writes, in the allocation log only: their notes and
/// appointments' outcomes. (Not amendments: a device cannot tell a
/// volunteer's note from another's by its id, so a volunteer corrects a
/// note with another.)
pub const VOLUNTEER_KINDS: &[&str] = &[domain::Note::KIND, domain::Appointment::KIND];

/// The fields of an appointment a volunteer may change: its outcome.
pub const VOLUNTEER_APPOINTMENT_FIELDS: &[&str] = &["outcome", "outcome_note"];

/// Whether a volunteer's change of `log` is one they may write: a note of
/// their own, or the outcome of an appointment already there, in a case's
/// allocation log. `Err` names why not.
pub(crate) fn volunteer_may_write(
    conn: &Connection,
    log_id: Uuid,
    body: &record::ChangeBody,
) -> Result<std::result::Result<(), Refusal>> {
    let refused = |why: &str| Ok(Err(format!("a volunteer's change {why}")));
    let Some(case) = body.case_id else {
        return refused("outside a case");
    };
    if log_id != waymark_protocol::allocation_log(case) {
        return refused("outside the case's allocation log");
    }
    if !VOLUNTEER_KINDS.contains(&body.kind.as_str()) {
        return refused(&format!("of a {}", body.kind));
    }
    if body.kind == domain::Appointment::KIND {
        let Some(fields) = body.payload.fields() else {
            return refused("removing an appointment");
        };
        let exists: bool = conn
            .prepare_cached("SELECT count(*) > 0 FROM appointments WHERE id = ?1")?
            .query_row([body.record_id.to_string()], |r| r.get(0))?;
        if !exists
            || fields
                .keys()
                .any(|f| !VOLUNTEER_APPOINTMENT_FIELDS.contains(&f.as_str()))
        {
            return refused("to an appointment beyond its outcome");
        }
    }
    Ok(Ok(()))
}

/// Kinds that count only when a supervisor or an admin signed them.
pub const OVERSIGHT_KINDS: &[&str] = &[domain::SignOff::KIND, domain::SupervisionNote::KIND];

/// How far a writer's clock may have run ahead of ours when it dated what it
/// wrote: dates up to this far in the future still arrive.
const WRITER_CLOCK_SLACK: chrono::Duration = chrono::Duration::days(30);

/// A change that passed: what to write.
pub(crate) struct Checked {
    pub spec: &'static KindSpec,
    pub stamp: Stamp,
    pub stored: Option<Stored>,
    pub op: Op,
}

pub(crate) enum Op {
    /// The fields to merge, canonicalised.
    Put(Map<String, Value>),
    Remove,
}

/// Why a change was refused, in words naming no contents.
pub(crate) type Refusal = String;

/// Checks a pulled change of `log_id` received by the server at
/// `received_ms`. The outer `Result` is the store's; the inner one the
/// verdict.
pub(crate) fn check(
    conn: &Connection,
    log_id: Uuid,
    received_ms: i64,
    body: &record::ChangeBody,
) -> Result<std::result::Result<Checked, Refusal>> {
    let Some(spec) = record::spec_of(&body.kind) else {
        return Ok(Err(format!("names an unknown kind {:?}", body.kind)));
    };
    if let Err(refusal) = check_route(log_id, spec) {
        return Ok(Err(refusal));
    }
    let stamp = body.clock;
    if let Err(refusal) = check_clock(&stamp, received_ms) {
        return Ok(Err(refusal));
    }
    let stored = record::load(conn, spec, body.record_id)?;
    let verdict = check_record(spec, body, &stamp, stored.as_ref());
    Ok(verdict.map(|op| Checked {
        spec,
        stamp,
        stored,
        op,
    }))
}

/// Organisation records in the organisation's log, case records in their
/// case's log. (That a change names its log's case, or none in the
/// organisation's log, `sync::apply` checks first, for every change.)
fn check_route(log_id: Uuid, spec: &KindSpec) -> std::result::Result<(), Refusal> {
    match (log_id == ORG_LOG, ORG_KINDS.contains(&spec.kind)) {
        (true, false) => Err(format!(
            "a {} cannot travel in the organisation's log",
            spec.kind
        )),
        (false, true) => Err(format!("a {} belongs in the organisation's log", spec.kind)),
        _ => Ok(()),
    }
}

/// The server refuses a push stamped more than `MAX_CLOCK_AHEAD_MS` past its
/// clock; the stamp inside the change is held to the same bound from when the
/// server received it.
fn check_clock(stamp: &Stamp, received_ms: i64) -> std::result::Result<(), Refusal> {
    let ahead = stamp.clock.wall_ms as i64 - received_ms;
    if ahead > MAX_CLOCK_AHEAD_MS {
        return Err(format!(
            "its clock is {} minutes ahead of when the server received it",
            ahead / 60_000
        ));
    }
    Ok(())
}

/// The case (the log) a stored record belongs to: a person's and a group
/// session's is their own id, a tally's its log.
fn case_of(spec: &KindSpec, id: Uuid, fields: &Map<String, Value>) -> Option<Uuid> {
    if spec.kind == domain::Person::KIND || spec.kind == domain::GroupSession::KIND {
        return Some(id);
    }
    let field = match spec.kind {
        domain::OutreachTally::KIND => "log_id",
        _ => "case_id",
    };
    fields
        .get(field)
        .and_then(Value::as_str)
        .and_then(|c| Uuid::parse_str(c).ok())
}

fn check_record(
    spec: &'static KindSpec,
    body: &record::ChangeBody,
    stamp: &Stamp,
    stored: Option<&Stored>,
) -> std::result::Result<Op, Refusal> {
    let append_only = APPEND_ONLY_KINDS.contains(&spec.kind);
    if let Some(stored) = stored {
        if case_of(spec, body.record_id, &stored.fields) != body.case_id {
            return Err(format!("reaches into a {} of another case", spec.kind));
        }
    }
    let mut fields = match &body.payload {
        record::Op::Remove if !REMOVABLE_KINDS.contains(&spec.kind) => {
            return Err(format!("removes a {}, which is never removed", spec.kind));
        }
        record::Op::Remove if stored.is_none() => {
            return Err(format!("removes a {} this device never had", spec.kind));
        }
        record::Op::Remove => return Ok(Op::Remove),
        record::Op::Put { fields, .. } => fields.clone(),
        record::Op::Unknown(_) => return Err("names an unknown operation".into()),
    };
    if let Some(unknown) = fields
        .keys()
        .find(|f| !spec.fields.iter().any(|(n, _)| n == f))
    {
        return Err(format!("names a field {unknown:?} a {} lacks", spec.kind));
    }
    record::canonicalise(spec, &mut fields).map_err(|e| e.to_string())?;
    // The writer checked "not in the future" against its own clock, which may
    // have run fast (its stamps are then renamed down to the server's bound,
    // but the dates it wrote stay). Such a note must still arrive.
    let now =
        chrono::Utc::now().max(record::ms_to_time(stamp.clock.wall_ms as i64)) + WRITER_CLOCK_SLACK;
    match stored {
        None => {
            if !record::is_whole(spec, &fields) {
                return Err(format!(
                    "changes a {} this device never had (not its creation)",
                    spec.kind
                ));
            }
            if case_of(spec, body.record_id, &fields) != body.case_id {
                return Err(format!("creates a {} for another case", spec.kind));
            }
            validate(spec.kind, body.record_id, &mut fields, now, true)?;
        }
        Some(stored) => {
            if append_only && fields.iter().any(|(f, v)| stored.fields.get(f) != Some(v)) {
                return Err(format!("rewrites a saved {}", spec.kind));
            }
            if spec.kind == domain::Incident::KIND {
                incident_change(&stored.fields, &fields)?;
            }
            if fields
                .get("case_id")
                .is_some_and(|c| stored.fields.get("case_id") != Some(c))
            {
                return Err(format!("moves a {} to another case", spec.kind));
            }
            let mut merged = stored.fields.clone();
            merged.extend(fields.clone());
            validate(spec.kind, body.record_id, &mut merged, now, false)?;
        }
    }
    Ok(Op::Put(fields))
}

/// An incident stays as recorded, and so does the MARAC prompt its police
/// call-out carried: a later change only records a decision on that prompt
/// (two made at once, offline, settle as any field does), never takes it or
/// its decision away.
fn incident_change(
    stored: &Map<String, Value>,
    fields: &Map<String, Value>,
) -> std::result::Result<(), Refusal> {
    let prompt_of = |e: &Value| {
        let mut e = e.clone();
        if let Some(map) = e.as_object_mut() {
            map.remove("decision");
        }
        e
    };
    for (f, v) in fields {
        let was = stored.get(f).unwrap_or(&Value::Null);
        if was == v {
            continue;
        }
        let decided = f == "escalation"
            && was.is_object()
            && prompt_of(was) == prompt_of(v)
            && !v["decision"].is_null();
        if !decided {
            return Err(match f.as_str() {
                "escalation" => "changes the MARAC prompt an incident carried".into(),
                _ => "rewrites a saved incident".into(),
            });
        }
    }
    Ok(())
}

/// The kind's validation over a field map: every rule for a creation
/// (`whole`), the rules each field obeys on its own for a later change. The
/// map is read in place (this runs for every pulled change): it is lent to a
/// JSON value with the id added, and handed back as it was.
fn validate(
    kind: &str,
    id: Uuid,
    fields: &mut Map<String, Value>,
    now: DateTime<Utc>,
    whole: bool,
) -> std::result::Result<(), Refusal> {
    fn as_record<R: Record>(
        value: &Value,
        now: DateTime<Utc>,
        whole: bool,
    ) -> std::result::Result<(), Refusal> {
        let record = R::deserialize(value)
            .map_err(|_| format!("holds a value a {} cannot hold", R::KIND))?;
        let checked = if whole {
            record.validate(now)
        } else {
            record.validate_fields(now)
        };
        checked.map_err(|e| format!("breaks a rule of a {}: {e}", R::KIND))
    }
    let mut value = Value::Object(std::mem::take(fields));
    if let Value::Object(map) = &mut value {
        map.insert("id".into(), Value::String(id.to_string()));
    }
    use domain::*;
    let verdict = match kind {
        Person::KIND => as_record::<Person>(&value, now, whole),
        Episode::KIND => as_record::<Episode>(&value, now, whole),
        StageMove::KIND => as_record::<StageMove>(&value, now, whole),
        Condition::KIND => as_record::<Condition>(&value, now, whole),
        FollowUp::KIND => as_record::<FollowUp>(&value, now, whole),
        StatusRecord::KIND => as_record::<StatusRecord>(&value, now, whole),
        AreaRating::KIND => as_record::<AreaRating>(&value, now, whole),
        SupportGiven::KIND => as_record::<SupportGiven>(&value, now, whole),
        Feedback::KIND => as_record::<Feedback>(&value, now, whole),
        Incident::KIND => as_record::<Incident>(&value, now, whole),
        SignOff::KIND => as_record::<SignOff>(&value, now, whole),
        SupervisionNote::KIND => as_record::<SupervisionNote>(&value, now, whole),
        ContactBrief::KIND => as_record::<ContactBrief>(&value, now, whole),
        SupervisionActionDone::KIND => as_record::<SupervisionActionDone>(&value, now, whole),
        LinkedPerson::KIND => as_record::<LinkedPerson>(&value, now, whole),
        GroupSession::KIND => as_record::<GroupSession>(&value, now, whole),
        Attendance::KIND => as_record::<Attendance>(&value, now, whole),
        OutreachTally::KIND => as_record::<OutreachTally>(&value, now, whole),
        MaracMeeting::KIND => as_record::<MaracMeeting>(&value, now, whole),
        MaracAction::KIND => as_record::<MaracAction>(&value, now, whole),
        SafetyPlan::KIND => as_record::<SafetyPlan>(&value, now, whole),
        Equality::KIND => as_record::<Equality>(&value, now, whole),
        Note::KIND => as_record::<Note>(&value, now, whole),
        NoteAmendment::KIND => as_record::<NoteAmendment>(&value, now, whole),
        Goal::KIND => as_record::<Goal>(&value, now, whole),
        PlanAction::KIND => as_record::<PlanAction>(&value, now, whole),
        OutcomeRating::KIND => as_record::<OutcomeRating>(&value, now, whole),
        Appointment::KIND => as_record::<Appointment>(&value, now, whole),
        AssessmentTemplate::KIND => as_record::<AssessmentTemplate>(&value, now, whole),
        Programme::KIND => as_record::<Programme>(&value, now, whole),
        Assessment::KIND => as_record::<Assessment>(&value, now, whole),
        Referral::KIND => as_record::<Referral>(&value, now, whole),
        Flag::KIND => as_record::<Flag>(&value, now, whole),
        Attachment::KIND => as_record::<Attachment>(&value, now, whole),
        other => Err(format!("names an unknown kind {other:?}")),
    };
    if let Value::Object(mut map) = value {
        map.remove("id");
        *fields = map;
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_this_build_knows_is_validated() {
        let id = Uuid::nil();
        for spec in record::KINDS {
            // An empty map is no record of any kind; what matters is that the
            // kind is known here (an unknown one says so).
            let refusal = validate(spec.kind, id, &mut Map::new(), Utc::now(), true).unwrap_err();
            assert!(
                !refusal.contains("unknown kind"),
                "{}: {refusal}",
                spec.kind
            );
        }
    }

    #[test]
    fn validation_hands_the_fields_back_as_they_were() {
        let mut fields = serde_json::json!({
            "case_id": Uuid::new_v4(), "need_area": "housing", "description": "Find a flat",
            "review_on": null, "status": "active", "created_at": "2026-01-02T03:04:05.000Z",
        })
        .as_object()
        .cloned()
        .unwrap();
        let before = fields.clone();
        validate("goal", Uuid::new_v4(), &mut fields, Utc::now(), true).unwrap();
        assert_eq!(fields, before);
        fields.insert("description".into(), Value::String(" ".into()));
        let refusal = validate("goal", Uuid::new_v4(), &mut fields, Utc::now(), false).unwrap_err();
        assert!(
            refusal.contains("description: must not be empty"),
            "{refusal}"
        );
        assert!(!fields.contains_key("id"));
    }

    #[test]
    fn a_clock_past_the_servers_bound_is_refused_and_one_within_it_is_not() {
        let at = |wall_ms| Stamp {
            clock: crate::hlc::Clock {
                wall_ms,
                counter: 0,
            },
            device: Uuid::nil(),
        };
        let received = 1_000_000_000_000;
        assert!(check_clock(&at(received as u64), received).is_ok());
        assert!(check_clock(&at((received + MAX_CLOCK_AHEAD_MS) as u64), received).is_ok());
        let refusal = check_clock(&at((received + MAX_CLOCK_AHEAD_MS + 1) as u64), received);
        assert!(refusal.unwrap_err().contains("ahead"));
        let far = check_clock(&at(received as u64 + 86_400_000 * 365), received).unwrap_err();
        assert!(far.contains("525600 minutes"), "{far}");
    }
}
