//! Support plans: goals, actions and outcome ratings.
use super::*;

impl Session {
    // --- Support plans ----------------------------------------------------------

    pub fn add_goal(&mut self, input: NewGoal) -> Result<Uuid> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, input.case_id)?;
        let goal = Goal {
            id: record::new_record_id(),
            case_id: input.case_id,
            need_area: input.need_area,
            description: input.description.trim().to_owned(),
            review_on: input.review_on,
            status: GoalStatus::Active,
            created_at: tx.now,
        };
        tx.put(&goal)?;
        tx.commit()?;
        Ok(goal.id)
    }

    pub fn update_goal(
        &mut self,
        goal_id: Uuid,
        status: Option<GoalStatus>,
        review_on: Option<Option<NaiveDate>>,
    ) -> Result<()> {
        let mut tx = self.begin()?;
        let mut goal: Goal = get_or(&tx.tx, goal_id, "goal")?;
        if let Some(s) = status {
            goal.status = s;
        }
        if let Some(r) = review_on {
            goal.review_on = r;
        }
        tx.put(&goal)?;
        tx.commit()
    }

    pub fn add_plan_action(&mut self, input: NewPlanAction) -> Result<Uuid> {
        let mut tx = self.begin()?;
        let goal: Goal = get_or(&tx.tx, input.goal_id, "goal")?;
        let action = PlanAction {
            id: record::new_record_id(),
            case_id: goal.case_id,
            goal_id: goal.id,
            description: input.description.trim().to_owned(),
            owner: input.owner.trim().to_owned(),
            due_on: input.due_on,
            done_on: None,
        };
        tx.put(&action)?;
        tx.commit()?;
        Ok(action.id)
    }

    pub fn complete_plan_action(&mut self, action_id: Uuid, done_on: NaiveDate) -> Result<()> {
        let mut tx = self.begin()?;
        let mut action: PlanAction = get_or(&tx.tx, action_id, "plan action")?;
        action.done_on = Some(done_on);
        tx.put(&action)?;
        tx.commit()
    }

    pub fn rate_goal(
        &mut self,
        goal_id: Uuid,
        rating: i64,
        rated_on: NaiveDate,
        comment: Option<String>,
    ) -> Result<Uuid> {
        let mut tx = self.begin()?;
        let goal: Goal = get_or(&tx.tx, goal_id, "goal")?;
        let r = OutcomeRating {
            id: record::new_record_id(),
            case_id: goal.case_id,
            goal_id,
            rating,
            rated_on,
            comment: tidy(comment),
            rated_by: tx.user,
        };
        tx.put(&r)?;
        tx.commit()?;
        Ok(r.id)
    }

    pub fn support_plan(&self, case_id: Uuid) -> Result<Vec<queries::GoalView>> {
        require_case(&self.conn, case_id)?;
        queries::support_plan(&self.conn, case_id)
    }
}
