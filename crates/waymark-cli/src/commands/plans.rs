//! Support plans: `goal`, `action`, `rating`, `plan`.

use crate::cli::{ActionCmd, GoalCmd, RatingCmd};
use crate::input::today;
use crate::output;
use uuid::Uuid;
use waymark_core::api::{NewGoal, NewPlanAction};
use waymark_core::{Error, Session};

pub(crate) fn goal(s: &mut Session, cmd: GoalCmd) -> Result<(), Error> {
    match cmd {
        GoalCmd::Add {
            case_id,
            need,
            description,
            review,
        } => say!(
            "{}",
            s.add_goal(NewGoal {
                case_id,
                need_area: need,
                description,
                review_on: review
            })?
        ),
        GoalCmd::Status { goal_id, status } => s.update_goal(goal_id, Some(status), None)?,
        GoalCmd::Review { goal_id, date } => s.update_goal(goal_id, None, Some(Some(date)))?,
    }
    Ok(())
}

pub(crate) fn action(s: &mut Session, cmd: ActionCmd) -> Result<(), Error> {
    match cmd {
        ActionCmd::Add {
            goal_id,
            description,
            owner,
            due,
        } => say!(
            "{}",
            s.add_plan_action(NewPlanAction {
                goal_id,
                description,
                owner,
                due_on: due
            })?
        ),
        ActionCmd::Done { action_id, on } => {
            s.complete_plan_action(action_id, on.unwrap_or_else(today))?
        }
    }
    Ok(())
}

pub(crate) fn rating(s: &mut Session, cmd: RatingCmd) -> Result<(), Error> {
    match cmd {
        RatingCmd::Add {
            goal_id,
            rating,
            on,
            comment,
        } => say!(
            "{}",
            s.rate_goal(goal_id, rating, on.unwrap_or_else(today), comment)?
        ),
    }
    Ok(())
}

pub(crate) fn plan(s: &Session, case_id: Uuid, json: bool) -> Result<(), Error> {
    output::plan(&s.support_plan(case_id)?, json)
}
