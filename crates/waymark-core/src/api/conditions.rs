//! A diversion's conditions: set on an episode that came by a disposal
//! route, each met, missed or varied on a day. An overdue one prompts the
//! worker; a missed one shows on the supervisor's list (`Session::due`).
use super::*;

impl Session {
    // --- Conditions ------------------------------------------------------------------

    /// Sets a condition on an open diversion episode, due no earlier than
    /// the episode opened.
    pub fn add_condition(&mut self, input: NewCondition) -> Result<Condition> {
        let mut tx = self.begin()?;
        let episode: Episode = get_or(&tx.tx, input.episode_id, "episode")?;
        if episode.route.is_none() {
            return Err(Error::because(
                "episode",
                waymark_model::Reason::NoDisposalRoute,
            ));
        }
        if episode.status == EpisodeStatus::Closed {
            return Err(Error::because(
                "episode",
                waymark_model::Reason::EpisodeClosed,
            ));
        }
        super::cases::not_before_opening("due_on", input.due_on, &episode)?;
        let condition = Condition {
            id: record::new_record_id(),
            case_id: episode.case_id,
            episode_id: episode.id,
            kind: input.kind,
            detail: tidy(input.detail),
            due_on: input.due_on,
            status: ConditionStatus::Pending,
            status_on: None,
            note: None,
            set_at: tx.now,
        };
        tx.put(&condition)?;
        tx.commit()?;
        Ok(condition)
    }

    /// Records a condition met, missed or varied. A varied one takes its new
    /// due day (and stays to be met); met and missed are final.
    pub fn change_condition(&mut self, change: ConditionChange) -> Result<Condition> {
        let mut tx = self.begin()?;
        let mut c: Condition = get_or(&tx.tx, change.condition_id, "condition")?;
        if c.status.settled() {
            return Err(Error::because(
                "condition",
                waymark_model::Reason::ConditionSettled {
                    status: c.status,
                    // A settled condition's day is required (`Condition`'s own check).
                    on: c.status_on.unwrap_or(c.due_on),
                },
            ));
        }
        match (change.status, change.due_on) {
            (ConditionStatus::Pending, _) => {
                return Err(Error::because(
                    "status",
                    waymark_model::Reason::MetMissedOrVaried,
                ))
            }
            // A varied condition needs its new due day.
            (ConditionStatus::Varied, None) => {
                return Err(Error::because("due_on", waymark_model::Reason::Required))
            }
            (ConditionStatus::Varied, Some(due)) => c.due_on = due,
            (_, Some(_)) => {
                return Err(Error::because(
                    "due_on",
                    waymark_model::Reason::OnlyVariedChangesDue,
                ))
            }
            _ => {}
        }
        let episode: Episode = get_or(&tx.tx, c.episode_id, "episode")?;
        super::cases::not_before_opening("on", change.on, &episode)?;
        c.status = change.status;
        c.status_on = Some(change.on);
        c.note = tidy(change.note).or(c.note);
        tx.put(&c)?;
        tx.commit()?;
        Ok(c)
    }

    /// A case's conditions, by due day.
    pub fn conditions(&self, case_id: Uuid) -> Result<Vec<Condition>> {
        require_case(&self.conn, case_id)?;
        record::list(
            &self.conn,
            "case_id = ?1 ORDER BY due_on, id",
            &[&case_id.to_string()],
        )
    }
}

/// The conditions of `episode` that stand in the way of completing it.
pub(super) fn unmet_conditions(conn: &Connection, episode: Uuid) -> Result<Vec<Condition>> {
    record::list(
        conn,
        "episode_id = ?1 AND status <> 'met' ORDER BY due_on, id",
        &[&episode.to_string()],
    )
}
