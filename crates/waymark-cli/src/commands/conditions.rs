//! `condition`, `followup` and `due`: a diversion's conditions, follow-ups
//! after closure, and what is due on the cases this device holds.
use crate::cli::{ConditionCmd, FollowupCmd};
use crate::input::today;
use crate::output;
use waymark_core::api::{ConditionChange, NewCondition, NewFollowUp};
use waymark_core::{Error, Session};

pub(crate) fn condition(s: &mut Session, cmd: ConditionCmd) -> Result<(), Error> {
    match cmd {
        ConditionCmd::Add {
            episode_id,
            kind,
            due,
            detail,
        } => {
            let c = s.add_condition(NewCondition {
                episode_id,
                kind,
                detail,
                due_on: due,
            })?;
            say!("{}", c.id);
        }
        ConditionCmd::Set {
            condition_id,
            status,
            on,
            due,
            note,
            json,
        } => {
            let c = s.change_condition(ConditionChange {
                condition_id,
                status,
                on: on.unwrap_or_else(today),
                due_on: due,
                note,
            })?;
            output::conditions(std::slice::from_ref(&c), json.json)?
        }
        ConditionCmd::List { case_id, json } => {
            output::conditions(&s.conditions(case_id)?, json.json)?
        }
    }
    Ok(())
}

pub(crate) fn followup(s: &mut Session, cmd: FollowupCmd) -> Result<(), Error> {
    match cmd {
        FollowupCmd::Record {
            episode_id,
            months,
            result,
            checked,
            offence_on,
            offence,
            json,
        } => {
            let f = s.record_follow_up(NewFollowUp {
                episode_id,
                months,
                result,
                checked_on: checked.unwrap_or_else(today),
                offence_on,
                offence,
            })?;
            output::follow_ups(std::slice::from_ref(&f), json.json)
        }
        FollowupCmd::List { case_id, json } => {
            output::follow_ups(&s.follow_ups(case_id)?, json.json)
        }
    }
}

pub(crate) fn due(s: &mut Session, mine: bool, json: bool) -> Result<(), Error> {
    output::due(&s.due(mine)?, json)
}
