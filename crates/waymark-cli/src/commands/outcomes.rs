//! `outcome`: outcomes over time.
use crate::cli::OutcomeCmd;
use crate::input::today;
use crate::output;
use waymark_core::api::{NewAreaRating, NewFeedback, NewStatus, NewSupport};
use waymark_core::{Error, Session};

pub(crate) fn outcome(s: &mut Session, cmd: OutcomeCmd) -> Result<(), Error> {
    match cmd {
        OutcomeCmd::Status {
            case_id,
            area,
            value,
            point,
            on,
            json,
        } => {
            let r = s.record_status(NewStatus {
                case_id,
                area,
                value,
                point,
                recorded_on: on.unwrap_or_else(today),
            })?;
            output::recorded(&r, r.id, json.json)?
        }
        OutcomeCmd::Rate {
            episode_id,
            area,
            rating,
            on,
            json,
        } => {
            let r = s.rate_area(NewAreaRating {
                episode_id,
                area,
                rating,
                rated_on: on.unwrap_or_else(today),
            })?;
            output::recorded(&r, r.id, json.json)?
        }
        OutcomeCmd::Support {
            case_id,
            kind,
            amount,
            note,
            on,
            json,
        } => {
            let r = s.give_support(NewSupport {
                case_id,
                kind,
                given_on: on.unwrap_or_else(today),
                amount_pence: amount,
                note,
            })?;
            output::recorded(&r, r.id, json.json)?
        }
        OutcomeCmd::Feedback {
            episode_id,
            satisfaction,
            words,
            on,
            json,
        } => {
            let r = s.record_feedback(NewFeedback {
                episode_id,
                satisfaction,
                words,
                given_on: on.unwrap_or_else(today),
            })?;
            output::recorded(&r, r.id, json.json)?
        }
        OutcomeCmd::Show { case_id, json } => output::outcomes(&s.outcomes(case_id)?, json.json)?,
    }
    Ok(())
}
