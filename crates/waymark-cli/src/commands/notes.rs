//! Case notes: `note add|amend|history`. A note is never changed; an
//! amendment keeps the original readable.

use crate::cli::NoteCmd;
use crate::output;
use waymark_core::api::NewNote;
use waymark_core::{Error, Session};

pub(crate) fn note(s: &mut Session, cmd: NoteCmd) -> Result<(), Error> {
    match cmd {
        NoteCmd::Add {
            case_id,
            body,
            contact_type,
            at,
            duration,
            location,
        } => {
            let id = s.add_note(NewNote {
                case_id,
                body,
                contact_type,
                occurred_at: at,
                duration_minutes: duration,
                location,
            })?;
            say!("{id}");
        }
        NoteCmd::Amend {
            note_id,
            body,
            reason,
        } => say!("{}", s.amend_note(note_id, &body, &reason)?),
        NoteCmd::History { note_id, json } => {
            output::note_history(&s.note_history(note_id)?, json.json)?
        }
    }
    Ok(())
}
