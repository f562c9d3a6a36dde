//! Case notes: written once, amended with a reason, never rewritten.
use super::*;

impl Session {
    // --- Notes ----------------------------------------------------------------

    /// Saves a note and, in the same transaction, drops this person's draft
    /// of it: a crash leaves either the draft or the note, never neither.
    pub fn add_note(&mut self, input: NewNote) -> Result<Uuid> {
        let case_id = input.case_id;
        let mut tx = self.begin()?;
        let id = write_note(&mut tx, input)?;
        crate::local::discard_note_draft(&tx.tx, tx.user, case_id)?;
        tx.commit()?;
        Ok(id)
    }

    /// Corrects a saved note. The original and every earlier version stay.
    pub fn amend_note(&mut self, note_id: Uuid, body: &str, reason: &str) -> Result<Uuid> {
        let mut tx = self.begin()?;
        let note: Note = get_or(&tx.tx, note_id, "note")?;
        let current: String = tx.tx.query_row(
            "SELECT coalesce(amended_body, body) FROM notes WHERE id = ?1",
            [note_id.to_string()],
            |r| r.get(0),
        )?;
        if current == body {
            return Err(Error::because(
                "body",
                waymark_model::Reason::SameAsNoteText,
            ));
        }
        let amendment = NoteAmendment {
            id: record::new_record_id(),
            case_id: note.case_id,
            note_id,
            body: body.to_owned(),
            reason: reason.trim().to_owned(),
            author: tx.user,
            amended_at: tx.now,
        };
        tx.put(&amendment)?;
        queries::refresh_note_text(&tx.tx, note_id)?;
        tx.commit()?;
        Ok(amendment.id)
    }

    pub fn note_history(&self, note_id: Uuid) -> Result<queries::NoteHistory> {
        queries::note_history(&self.conn, note_id)
    }
}

pub(crate) fn write_note(tx: &mut Tx, input: NewNote) -> Result<Uuid> {
    require_case(&tx.tx, input.case_id)?;
    let note = Note {
        id: record::new_record_id(),
        case_id: input.case_id,
        author: tx.user,
        occurred_at: input.occurred_at.unwrap_or(tx.now),
        contact_type: input.contact_type,
        duration_minutes: input.duration_minutes,
        location: tidy(input.location),
        body: input.body,
        created_at: tx.now,
    };
    tx.put(&note)?;
    Ok(note.id)
}
