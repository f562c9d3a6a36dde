//! Appointments: `appointment add|outcome`, `agenda`.

use crate::cli::AppointmentCmd;
use crate::output;
use chrono::NaiveDate;
use waymark_core::api::NewAppointment;
use waymark_core::{Error, Session};

pub(crate) fn appointment(s: &mut Session, cmd: AppointmentCmd) -> Result<(), Error> {
    match cmd {
        AppointmentCmd::Add {
            case_id,
            at,
            until,
            agency,
            place,
            with,
            reminder,
            accompany,
        } => {
            let id = s.add_appointment(NewAppointment {
                case_id,
                starts_at: at,
                ends_at: until.unwrap_or(at + chrono::Duration::hours(1)),
                place,
                agency,
                with_whom: with,
                reminder_minutes: reminder,
                accompany,
            })?;
            say!("{id}");
        }
        AppointmentCmd::Outcome {
            appointment_id,
            outcome,
            note,
        } => s.record_appointment_outcome(appointment_id, outcome, note)?,
    }
    Ok(())
}

/// A day's appointments (today if no date), or its week's.
pub(crate) fn agenda(
    s: &Session,
    date: Option<NaiveDate>,
    week: bool,
    json: bool,
) -> Result<(), Error> {
    output::agenda(&s.agenda_of(date, week)?, json)
}
