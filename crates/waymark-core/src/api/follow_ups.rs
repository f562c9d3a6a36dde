//! Follow-ups after closure, and what is due: overdue and missed
//! conditions, and follow-ups that have fallen due, on the list of the
//! case's keyworker and of the supervisors who hold the case.
use super::*;
use crate::queries::{Due, DueItem};

impl Session {
    // --- Follow-ups and what is due ----------------------------------------------------

    /// Records a follow-up of a closed episode at one of its programme's
    /// months, once it has fallen due. Two devices recording the same
    /// follow-up write the same record (its id is the episode's and the
    /// month's), so it is never counted twice.
    pub fn record_follow_up(&mut self, input: NewFollowUp) -> Result<FollowUp> {
        let mut tx = self.begin()?;
        let episode: Episode = get_or(&tx.tx, input.episode_id, "episode")?;
        let Some(closed_on) = episode.closed_on else {
            return Err(Error::because(
                "episode",
                waymark_model::Reason::EpisodeStillOpen,
            ));
        };
        let programme = super::cases::programme_of(&tx.tx, &episode, true)?;
        let due = follow_ups_due(closed_on, &programme.follow_up_months);
        let Some(&(months, due_on)) = due.iter().find(|(m, _)| *m == input.months) else {
            return Err(Error::because(
                "months",
                waymark_model::Reason::FollowUpMonths {
                    programme: programme.name.clone(),
                    months: programme.follow_up_months.clone(),
                    asked: input.months,
                },
            ));
        };
        if input.checked_on < due_on {
            return Err(Error::because(
                "checked_on",
                waymark_model::Reason::FollowUpNotDue {
                    months,
                    due: due_on,
                },
            ));
        }
        let id = follow_up_id(episode.id, months);
        if let Some(done) = record::get::<FollowUp>(&tx.tx, id)? {
            return Err(Error::because(
                "months",
                waymark_model::Reason::FollowUpRecorded {
                    months,
                    on: done.checked_on,
                },
            ));
        }
        if let Some(on) = input.offence_on {
            if on <= closed_on {
                return Err(Error::because(
                    "offence_on",
                    waymark_model::Reason::NotAfterEpisodeClosed {
                        date: on,
                        closed: closed_on,
                    },
                ));
            }
        }
        let follow_up = FollowUp {
            id,
            case_id: episode.case_id,
            episode_id: episode.id,
            months,
            result: input.result,
            offence_on: input.offence_on,
            offence: tidy(input.offence),
            checked_on: input.checked_on,
            recorded_at: tx.now,
        };
        tx.put(&follow_up)?;
        tx.commit()?;
        Ok(follow_up)
    }

    /// A case's follow-ups, by episode and month.
    pub fn follow_ups(&self, case_id: Uuid) -> Result<Vec<FollowUp>> {
        require_case(&self.conn, case_id)?;
        record::list(
            &self.conn,
            "case_id = ?1 ORDER BY episode_id, months",
            &[&case_id.to_string()],
        )
    }

    /// What is due for this person: a supervisor, a manager or an admin
    /// (as the organisation confirmed them) sees every case this device
    /// holds, a worker the cases they keywork.
    pub fn due_for_me(&self) -> Result<Vec<DueItem>> {
        use waymark_protocol::Role;
        let oversees = matches!(
            self.trust_state()?.confirmed_as,
            Some(Role::Supervisor | Role::Manager | Role::Admin)
        );
        self.due(!oversees)
    }

    /// What is due by today (Europe/London) on the cases this device holds,
    /// soonest first (conditions, follow-ups, undecided referral prompts,
    /// MARAC actions, safety-plan reviews, and for a supervisor or an admin
    /// what waits for their sign-off); with `mine`, only cases this person
    /// is keyworker of.
    pub fn due(&self, mine: bool) -> Result<Vec<DueItem>> {
        let today = queries::local_today(now());
        let mut items = Vec::new();
        let open: Vec<Condition> = record::list(
            &self.conn,
            "status IN ('pending', 'varied') AND due_on < ?1 AND episode_id IN
                 (SELECT id FROM episodes WHERE status = 'open' AND removed_at IS NULL)",
            &[&today.to_string()],
        )?;
        items.extend(
            open.into_iter()
                .map(|c| (c.case_id, c.due_on, Due::ConditionOverdue { condition: c })),
        );
        let missed: Vec<Condition> = record::list(
            &self.conn,
            "status = 'missed' AND episode_id IN
                 (SELECT id FROM episodes WHERE status = 'open' AND removed_at IS NULL)",
            &[],
        )?;
        items.extend(
            missed
                .into_iter()
                .map(|c| (c.case_id, c.due_on, Due::ConditionMissed { condition: c })),
        );
        let closed: Vec<Episode> = record::list(
            &self.conn,
            "closed_on IS NOT NULL AND programme_id IS NOT NULL",
            &[],
        )?;
        let programmes: std::collections::HashMap<Uuid, Programme> =
            record::list::<Programme>(&self.conn, "1", &[])?
                .into_iter()
                .map(|p| (p.id, p))
                .collect();
        for e in closed {
            let (Some(closed_on), Some(p)) = (
                e.closed_on,
                e.programme_id.and_then(|id| programmes.get(&id)),
            ) else {
                continue;
            };
            for (months, due_on) in follow_ups_due(closed_on, &p.follow_up_months) {
                if due_on <= today
                    && record::get::<FollowUp>(&self.conn, follow_up_id(e.id, months))?.is_none()
                {
                    items.push((
                        e.case_id,
                        due_on,
                        Due::FollowUp {
                            episode_id: e.id,
                            programme: p.name.clone(),
                            months,
                        },
                    ));
                }
            }
        }
        // Prompted referrals not yet decided, from the day they were prompted.
        let prompting: Vec<Assessment> = record::list(&self.conn, "prompts != '[]'", &[])?;
        for a in prompting {
            let on = queries::local_today(a.completed_at);
            for (i, prompt) in a.prompts.iter().enumerate() {
                if !a.decisions.iter().any(|d| d.prompt_index == i) {
                    let due = Due::AssessmentPrompt {
                        assessment_id: a.id,
                        prompt: prompt.clone(),
                    };
                    items.push((a.case_id, on, due));
                }
            }
        }
        let escalated: Vec<Incident> = record::list(
            &self.conn,
            "escalation IS NOT NULL AND json_extract(escalation, '$.decision') IS NULL",
            &[],
        )?;
        for i in escalated {
            if let Some(e) = i.escalation {
                let due = Due::EscalationPrompt {
                    incident_id: i.id,
                    prompt: e.prompt,
                    police_call_outs: e.police_call_outs,
                    criterion: e.criterion,
                };
                items.push((i.case_id, i.occurred_on, due));
            }
        }
        items.extend(super::marac::due(&self.conn, today)?);
        items.extend(super::supervision::actions_due(&self.conn, today)?);
        // Sign-offs are a supervisor's (or an admin's) to give: on their
        // list only.
        if matches!(
            self.trust_state()?.confirmed_as,
            Some(waymark_protocol::Role::Supervisor | waymark_protocol::Role::Admin)
        ) {
            items.extend(super::supervision::pending(&self.conn)?);
        }
        let mut who = self.conn.prepare_cached(
            "SELECT coalesce(p.preferred_name, p.full_name), s.keyworker
               FROM persons p LEFT JOIN case_summary s ON s.case_id = p.id WHERE p.id = ?1",
        )?;
        let mut due = Vec::with_capacity(items.len());
        for (case_id, due_on, what) in items {
            let (person_name, keyworker): (String, Option<String>) =
                who.query_row([case_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if mine && keyworker.as_deref() != Some(self.user.name.as_str()) {
                continue;
            }
            due.push(DueItem {
                case_id,
                person_name,
                keyworker,
                due_on,
                due: what,
            });
        }
        due.sort_by_key(|i| (i.due_on, i.case_id));
        Ok(due)
    }
}

/// One follow-up per episode and month, whichever device records it.
pub(crate) fn follow_up_id(episode: Uuid, months: i64) -> Uuid {
    Uuid::new_v5(&episode, format!("follow-up/{months}").as_bytes())
}
