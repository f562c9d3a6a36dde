//! `programme`: the programmes the organisation runs.
use crate::cli::ProgrammeCmd;
use crate::output;
use waymark_core::api::NewProgramme;
use waymark_core::{Error, Session};

pub(crate) fn programme(s: &mut Session, cmd: ProgrammeCmd) -> Result<(), Error> {
    match cmd {
        ProgrammeCmd::List(j) => output::programmes(&s.programmes()?, j.json)?,
        ProgrammeCmd::Add {
            name,
            kind,
            weeks,
            outcome_areas,
            follow_up_months,
            json,
        } => {
            let p = s.add_programme(NewProgramme {
                name,
                kind,
                planned_weeks: weeks,
                outcome_areas,
                follow_up_months,
            })?;
            output::programme(&p, json.json)?
        }
        ProgrammeCmd::Retire { name } => {
            let p = s.retire_programme(&name)?;
            output::programme(&p, false)?
        }
    }
    Ok(())
}
