//! Volunteers and peer mentors: a case is allocated to a volunteer by
//! sharing it with them (the server then shares its allocation log alone).
//! What they hold travels in that log: the case's contact brief, written
//! here before the share and kept in step with the person; its
//! appointments; and the notes volunteers write. What they may write
//! (`Tx::put`) and what any device takes from them
//! (`arrival::volunteer_may_write`) is their notes and appointments'
//! outcomes (a correction is another note).

use super::*;
use crate::domain::{Appointment, ContactBrief, Note, Person};
use waymark_model::views::{AllocatedCase, AllocatedCaseView};

impl Session {
    /// Writes the case's contact brief, or brings it up to date with the
    /// person: what a volunteer allocated to the case is told (the
    /// preferred name, phone and safe-contact arrangements; never the
    /// address or the code word). Done before the case is shared with a
    /// volunteer; `update_person` keeps it in step from then on.
    pub fn brief_volunteers(&mut self, case_id: Uuid) -> Result<ContactBrief> {
        let mut tx = self.begin()?;
        let person: Person = get_or(&tx.tx, case_id, "case")?;
        let brief = ContactBrief::of(&person);
        tx.put(&brief)?;
        tx.commit()?;
        Ok(brief)
    }

    /// The cases with a contact brief here: for a volunteer, the cases
    /// allocated to them; for anyone else, the cases ever allocated.
    /// By name, then id.
    pub fn allocated_cases(&self) -> Result<Vec<AllocatedCase>> {
        let briefs: Vec<ContactBrief> = {
            let mut stmt = self.conn.prepare(
                "SELECT id FROM contact_briefs WHERE removed_at IS NULL ORDER BY name COLLATE NOCASE, case_id",
            )?;
            let ids = stmt.query_map([], |r| r.get::<_, String>(0))?;
            let mut briefs = Vec::new();
            for id in ids {
                briefs.push(get_or(&self.conn, crate::basics::parse_id(&id?)?, "brief")?);
            }
            briefs
        };
        let now = now();
        briefs
            .into_iter()
            .map(|brief| {
                let next_appointment = self
                    .appointments(brief.case_id)?
                    .into_iter()
                    .filter(|a| a.ends_at >= now && a.outcome.is_none())
                    .min_by_key(|a| (a.starts_at, a.id));
                let own_notes = self.conn.query_row(
                    "SELECT count(*) FROM notes WHERE case_id = ?1 AND author = ?2 AND removed_at IS NULL",
                    params![brief.case_id.to_string(), self.user.id.to_string()],
                    |r| r.get(0),
                )?;
                Ok(AllocatedCase {
                    brief,
                    next_appointment,
                    own_notes,
                })
            })
            .collect()
    }

    /// An allocated case as a volunteer sees it (an audited view): its
    /// brief, appointments and the notes this person wrote.
    pub fn allocated_case(&mut self, case_id: Uuid) -> Result<AllocatedCaseView> {
        let brief: ContactBrief =
            get_or(&self.conn, ContactBrief::id_of(case_id), "allocated case")?;
        let appointments: Vec<Appointment> = self.appointments(case_id)?;
        let own_notes = {
            let mut stmt = self.conn.prepare(
                "SELECT id FROM notes WHERE case_id = ?1 AND author = ?2 AND removed_at IS NULL
                 ORDER BY occurred_at DESC, id",
            )?;
            let ids = stmt.query_map(
                params![case_id.to_string(), self.user.id.to_string()],
                |r| r.get::<_, String>(0),
            )?;
            let mut notes: Vec<Note> = Vec::new();
            for id in ids {
                notes.push(get_or(&self.conn, crate::basics::parse_id(&id?)?, "note")?);
            }
            notes
        };
        let tx = self.begin()?;
        tx.audit("view", "allocated_case", Some(case_id), Some(case_id))?;
        tx.commit()?;
        Ok(AllocatedCaseView {
            brief,
            appointments,
            own_notes,
        })
    }
}

/// Keeps a case's brief in step with its person, if it has one (the case
/// was allocated to a volunteer): called wherever the person is written.
pub(crate) fn keep_brief_in_step(tx: &mut Tx, person: &Person) -> Result<()> {
    let briefed: bool = tx.tx.query_row(
        "SELECT count(*) > 0 FROM contact_briefs WHERE case_id = ?1 AND removed_at IS NULL",
        [person.id.to_string()],
        |r| r.get(0),
    )?;
    if briefed {
        tx.put(&ContactBrief::of(person))?;
    }
    Ok(())
}
