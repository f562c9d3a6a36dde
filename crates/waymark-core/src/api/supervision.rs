//! Supervision: a supervisor's notes on a case (in its supervision log:
//! the keyworker and the team's supervisors read them, no one else), and a
//! supervisor's sign-off that a risk assessment, a MARAC
//! decision or a closure was reviewed, and what still waits for one (on the
//! supervisor's Due list and the team view). Signed off once; who and when
//! show on the case.

use super::*;
use crate::domain::{
    AgreedAction, Assessment, AssessmentTemplate, Episode, EpisodeStatus, Incident,
    SupervisionActionDone, SupervisionNote,
};
use chrono::NaiveDate;
use waymark_model::views::{Due, SignedOff, SupervisionEntry};
use waymark_protocol::Role;

impl Session {
    /// Signs off `input.subject_id` as reviewed (a supervisor or an admin
    /// the organisation confirmed; other devices refuse anyone else's).
    pub fn sign_off(&mut self, input: NewSignOff) -> Result<SignedOff> {
        if !matches!(
            self.trust_state()?.confirmed_as,
            Some(Role::Supervisor | Role::Admin)
        ) {
            return Err(Error::because(
                "subject",
                waymark_model::Reason::OnlySupervisorSignsOff,
            ));
        }
        let mut tx = self.begin()?;
        let case_id = subject_case(&tx.tx, input.subject, input.subject_id)?;
        if signed_off(&tx.tx, input.subject_id)? {
            return Err(Error::because(
                "subject_id",
                waymark_model::Reason::AlreadySignedOff,
            ));
        }
        let sign_off = SignOff {
            id: record::new_record_id(),
            case_id,
            subject: input.subject,
            subject_id: input.subject_id,
            comment: tidy(input.comment),
            signed_at: tx.now,
            signed_by: tx.user,
        };
        sign_off.validate(tx.now)?;
        tx.put(&sign_off)?;
        tx.commit()?;
        Ok(SignedOff {
            by: Some(self.user.name.clone()),
            sign_off,
        })
    }

    /// Writes a supervision note on a case: a supervisor the organisation
    /// confirmed (the server lets only the case's team's supervisors write
    /// its supervision log; other devices refuse anyone else's note). It
    /// travels in the case's supervision log, under a key of its own.
    pub fn add_supervision_note(&mut self, input: NewSupervisionNote) -> Result<SupervisionEntry> {
        if !matches!(self.trust_state()?.confirmed_as, Some(Role::Supervisor)) {
            return Err(Error::because(
                "discussion",
                waymark_model::Reason::OnlySupervisorWritesNotes,
            ));
        }
        let mut tx = self.begin()?;
        require_case(&tx.tx, input.case_id)?;
        let note = SupervisionNote {
            id: record::new_record_id(),
            case_id: input.case_id,
            held_on: input
                .held_on
                .unwrap_or_else(|| queries::local_today(tx.now)),
            discussion: input.discussion.trim().to_owned(),
            decision: tidy(input.decision),
            actions: input
                .actions
                .into_iter()
                .map(|a| AgreedAction {
                    action: a.action.trim().to_owned(),
                    owner: a.owner.trim().to_owned(),
                    due_on: a.due_on,
                })
                .collect(),
            written_at: tx.now,
            written_by: tx.user,
        };
        note.validate(tx.now)?;
        tx.put(&note)?;
        tx.audit(
            "add",
            SupervisionNote::KIND,
            Some(note.id),
            Some(note.case_id),
        )?;
        tx.commit()?;
        Ok(SupervisionEntry {
            by: Some(self.user.name.clone()),
            note,
            done: Vec::new(),
        })
    }

    /// Records that an action agreed in supervision was done (`on`, today
    /// if not given): the keyworker or a supervisor, who alone hold the
    /// note. Once per action.
    pub fn complete_supervision_action(
        &mut self,
        note_id: Uuid,
        action_index: usize,
        on: Option<NaiveDate>,
    ) -> Result<SupervisionActionDone> {
        let mut tx = self.begin()?;
        let note: SupervisionNote = get_or(&tx.tx, note_id, "supervision note")?;
        if action_index >= note.actions.len() {
            return Err(Error::because(
                "action_index",
                waymark_model::Reason::NoSuchAction {
                    count: note.actions.len(),
                },
            ));
        }
        let id = SupervisionActionDone::id_of(note_id, action_index as i64);
        if record::get::<SupervisionActionDone>(&tx.tx, id)?.is_some() {
            return Err(Error::because(
                "action_index",
                waymark_model::Reason::AlreadyDone,
            ));
        }
        let done = SupervisionActionDone {
            id,
            case_id: note.case_id,
            note_id,
            action_index: action_index as i64,
            done_on: on.unwrap_or_else(|| queries::local_today(tx.now)),
            done_at: tx.now,
            done_by: tx.user,
        };
        done.validate(tx.now)?;
        tx.put(&done)?;
        tx.commit()?;
        Ok(done)
    }

    /// A case's supervision notes, the latest first, with who wrote each.
    pub fn supervision(&self, case_id: Uuid) -> Result<Vec<SupervisionEntry>> {
        queries::supervision(&self.conn, case_id)
    }

    /// A case's sign-offs, oldest first, with who made each.
    pub fn sign_offs(&self, case_id: Uuid) -> Result<Vec<SignedOff>> {
        queries::sign_offs(&self.conn, case_id)
    }
}

/// Actions agreed in supervision that fell due by `today` and are not
/// recorded done, on the cases this device holds the supervision logs of.
pub(crate) fn actions_due(
    conn: &rusqlite::Connection,
    today: NaiveDate,
) -> Result<Vec<(Uuid, NaiveDate, Due)>> {
    let done: std::collections::HashSet<Uuid> =
        record::list::<SupervisionActionDone>(conn, "1 = 1", &[])?
            .into_iter()
            .map(|d| d.id)
            .collect();
    let mut out = Vec::new();
    for note in record::list::<SupervisionNote>(conn, "actions != '[]'", &[])? {
        for (i, action) in note.actions.iter().enumerate() {
            let index = i as i64;
            if action.due_on <= today
                && !done.contains(&SupervisionActionDone::id_of(note.id, index))
            {
                out.push((
                    note.case_id,
                    action.due_on,
                    Due::SupervisionAction {
                        note_id: note.id,
                        action_index: index,
                        action: action.clone(),
                    },
                ));
            }
        }
    }
    Ok(out)
}

/// The case of what is to be signed off, if it can be: a risk assessment
/// (its template can prompt a MARAC referral), a decided MARAC prompt (an
/// assessment's or an incident's), a closed episode.
fn subject_case(conn: &rusqlite::Connection, subject: SignOffSubject, id: Uuid) -> Result<Uuid> {
    let not = |what: &str| Err(Error::invalid("subject_id", format!("is not {what}")));
    match subject {
        SignOffSubject::RiskAssessment => {
            let Some(a) = record::get::<Assessment>(conn, id)? else {
                return not("an assessment on this laptop");
            };
            match record::get::<AssessmentTemplate>(conn, a.template_id)? {
                Some(t) if t.definition.assesses_risk() => Ok(a.case_id),
                _ => not("a risk assessment (its template prompts no MARAC referral)"),
            }
        }
        SignOffSubject::MaracDecision => {
            if let Some(a) = record::get::<Assessment>(conn, id)? {
                return match a.decisions.is_empty() {
                    false => Ok(a.case_id),
                    true => not("an assessment whose prompt was decided"),
                };
            }
            match record::get::<Incident>(conn, id)? {
                Some(i) if i.escalation.as_ref().is_some_and(|e| e.decision.is_some()) => {
                    Ok(i.case_id)
                }
                Some(_) => not("an incident whose MARAC prompt was decided"),
                None => not("an assessment or an incident on this laptop"),
            }
        }
        SignOffSubject::Closure => match record::get::<Episode>(conn, id)? {
            Some(e) if e.status == EpisodeStatus::Closed => Ok(e.case_id),
            Some(_) => not("a closed episode"),
            None => not("an episode on this laptop"),
        },
    }
}

fn signed_off(conn: &rusqlite::Connection, subject_id: Uuid) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) > 0 FROM sign_offs WHERE subject_id = ?1 AND removed_at IS NULL",
        )?
        .query_row([subject_id.to_string()], |r| r.get(0))?)
}

/// What waits for a supervisor's sign-off, with the day it became due:
/// risk assessments, decided MARAC prompts and closures not signed off.
pub(crate) fn pending(conn: &rusqlite::Connection) -> Result<Vec<(Uuid, NaiveDate, Due)>> {
    let unsigned = "id NOT IN (SELECT subject_id FROM sign_offs WHERE removed_at IS NULL)";
    let mut out = Vec::new();
    let risk_templates: std::collections::HashMap<Uuid, String> =
        record::list::<AssessmentTemplate>(conn, "1", &[])?
            .into_iter()
            .filter(|t| t.definition.assesses_risk())
            .map(|t| (t.id, t.name))
            .collect();
    for a in record::list::<Assessment>(conn, unsigned, &[])? {
        let on = queries::local_today(a.completed_at);
        if let Some(name) = risk_templates.get(&a.template_id) {
            out.push((
                a.case_id,
                on,
                Due::SignOff {
                    subject: SignOffSubject::RiskAssessment,
                    subject_id: a.id,
                    what: format!("{name} of {on} ({})", a.level),
                },
            ));
        }
        if !a.decisions.is_empty()
            && a.prompts
                .iter()
                .any(|p| p.agency == crate::domain::Agency::Marac)
        {
            out.push((
                a.case_id,
                on,
                Due::SignOff {
                    subject: SignOffSubject::MaracDecision,
                    subject_id: a.id,
                    what: format!("MARAC decision on the assessment of {on}"),
                },
            ));
        }
    }
    let decided = format!(
        "{unsigned} AND escalation IS NOT NULL AND json_extract(escalation, '$.decision') IS NOT NULL"
    );
    for i in record::list::<Incident>(conn, &decided, &[])? {
        out.push((
            i.case_id,
            i.occurred_on,
            Due::SignOff {
                subject: SignOffSubject::MaracDecision,
                subject_id: i.id,
                what: format!("MARAC decision on the incident of {}", i.occurred_on),
            },
        ));
    }
    let closed = format!("{unsigned} AND status = 'closed'");
    for e in record::list::<Episode>(conn, &closed, &[])? {
        let on = e.closed_on.unwrap_or(e.opened_on);
        out.push((
            e.case_id,
            on,
            Due::SignOff {
                subject: SignOffSubject::Closure,
                subject_id: e.id,
                what: format!(
                    "closure of {} on {on}{}",
                    e.programme,
                    e.closure_reason
                        .as_deref()
                        .map(|r| format!(": {r}"))
                        .unwrap_or_default()
                ),
            },
        ));
    }
    Ok(out)
}
