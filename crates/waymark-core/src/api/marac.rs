//! The MARAC process on a case after the referral: the meeting that heard
//! it, the actions it agreed (agency, owner, due, done) and its outcome;
//! and the case's safety plan with its review date. Overdue actions and a
//! safety plan past its review wait on the Due list.

use super::*;
use crate::domain::{MaracAction, MaracMeeting, Referral, SafetyPlan};
use waymark_model::views::Due;

impl Session {
    /// Records a MARAC meeting that heard the case; returns it.
    pub fn add_marac_meeting(&mut self, input: NewMaracMeeting) -> Result<MaracMeeting> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, input.case_id)?;
        if let Some(referral) = input.referral_id {
            match record::get::<Referral>(&tx.tx, referral)? {
                Some(r)
                    if r.case_id == input.case_id && r.agency == crate::domain::Agency::Marac => {}
                _ => {
                    return Err(Error::because(
                        "referral_id",
                        waymark_model::Reason::NotAMaracReferral,
                    ))
                }
            }
        }
        let meeting = MaracMeeting {
            id: record::new_record_id(),
            case_id: input.case_id,
            referral_id: input.referral_id,
            meeting_on: input.meeting_on,
            outcome: tidy(input.outcome),
            recorded_at: tx.now,
            recorded_by: tx.user,
        };
        meeting.validate(tx.now)?;
        tx.put(&meeting)?;
        tx.commit()?;
        Ok(meeting)
    }

    /// Records what a MARAC meeting decided, in words.
    pub fn set_marac_outcome(&mut self, meeting_id: Uuid, outcome: &str) -> Result<()> {
        let mut tx = self.begin()?;
        let mut meeting: MaracMeeting = get_or(&tx.tx, meeting_id, "MARAC meeting")?;
        meeting.outcome = Some(outcome.trim().to_owned()).filter(|o| !o.is_empty());
        if meeting.outcome.is_none() {
            // Say what the meeting decided.
            return Err(Error::because("outcome", waymark_model::Reason::Required));
        }
        meeting.validate(tx.now)?;
        tx.put(&meeting)?;
        tx.commit()
    }

    /// Records an action a MARAC meeting agreed; returns it.
    pub fn add_marac_action(&mut self, input: NewMaracAction) -> Result<MaracAction> {
        let mut tx = self.begin()?;
        let meeting: MaracMeeting = get_or(&tx.tx, input.meeting_id, "MARAC meeting")?;
        let action = MaracAction {
            id: record::new_record_id(),
            case_id: meeting.case_id,
            meeting_id: meeting.id,
            agency: input.agency,
            owner: input.owner.trim().to_owned(),
            action: input.action.trim().to_owned(),
            due_on: input.due_on,
            done_on: None,
        };
        action.validate(tx.now)?;
        if action.due_on < meeting.meeting_on {
            return Err(Error::because(
                "due_on",
                waymark_model::Reason::BeforeMeeting {
                    date: action.due_on,
                    meeting: meeting.meeting_on,
                },
            ));
        }
        tx.put(&action)?;
        tx.commit()?;
        Ok(action)
    }

    /// Marks a MARAC action done on `on` (today, Europe/London, if none;
    /// not in the future).
    pub fn complete_marac_action(&mut self, action_id: Uuid, on: Option<NaiveDate>) -> Result<()> {
        let mut tx = self.begin()?;
        let on = on.unwrap_or_else(|| queries::local_today(tx.now));
        let mut action: MaracAction = get_or(&tx.tx, action_id, "MARAC action")?;
        if action.done_on.is_some() {
            return Err(Error::because(
                "action_id",
                waymark_model::Reason::AlreadyDone,
            ));
        }
        action.done_on = Some(on);
        action.validate(tx.now)?;
        tx.put(&action)?;
        tx.commit()
    }

    /// The MARAC referral form of a risk assessment, as HTML, filled from
    /// its answers and the case (`marac_form::render`). Audited: it is
    /// made to leave the encrypted store.
    pub fn marac_form(&mut self, assessment_id: Uuid) -> Result<String> {
        let assessment: crate::domain::Assessment =
            get_or(&self.conn, assessment_id, "assessment")?;
        let template: crate::domain::AssessmentTemplate =
            get_or(&self.conn, assessment.template_id, "assessment template")?;
        if !template.definition.assesses_risk() {
            return Err(Error::because(
                "assessment_id",
                waymark_model::Reason::NotARiskAssessment {
                    template: template.name,
                },
            ));
        }
        let case = assessment.case_id;
        let id = case.to_string();
        let p: &[&dyn rusqlite::ToSql] = &[&id];
        let person: crate::domain::Person = get_or(&self.conn, case, "case")?;
        let incidents: Vec<crate::domain::Incident> =
            record::list(&self.conn, "case_id = ?1 ORDER BY occurred_on, id", p)?;
        let flags: Vec<crate::domain::Flag> = record::list(&self.conn, "case_id = ?1", p)?;
        let referrals: Vec<Referral> = record::list(&self.conn, "case_id = ?1", p)?;
        let html = waymark_model::marac_form::render(&waymark_model::marac_form::MaracFormFacts {
            person: &person,
            assessment: &assessment,
            template: &template,
            incidents: &incidents,
            flags: &flags,
            referrals: &referrals,
            referrer: &self.user.name,
            today: queries::local_today(crate::basics::now()),
        });
        let tx = self.begin()?;
        tx.audit("marac_form", "assessment", Some(assessment_id), Some(case))?;
        tx.commit()?;
        Ok(html)
    }

    /// Writes the case's safety plan as it now stands (one per case: the
    /// first write makes it, later ones change what differs).
    pub fn save_safety_plan(&mut self, input: SafetyPlanInput) -> Result<SafetyPlan> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, input.case_id)?;
        let review_on = input
            .review_on
            .ok_or_else(|| Error::because("review_on", waymark_model::Reason::Required))?;
        if review_on < queries::local_today(tx.now) {
            return Err(Error::because(
                "review_on",
                waymark_model::Reason::DateInPast { date: review_on },
            ));
        }
        let plan = SafetyPlan {
            id: SafetyPlan::id_of(input.case_id),
            case_id: input.case_id,
            safe_places: tidy(input.safe_places),
            trusted_people: tidy(input.trusted_people),
            code_words: tidy(input.code_words),
            escape_bag: tidy(input.escape_bag),
            tech_safety: tidy(input.tech_safety),
            child_arrangements: tidy(input.child_arrangements),
            review_on,
            updated_at: tx.now,
            updated_by: tx.user,
        };
        plan.validate(tx.now)?;
        tx.put(&plan)?;
        tx.commit()?;
        Ok(plan)
    }
}

/// MARAC actions past their day and not done, and safety plans past their
/// review, on the cases this device holds, with the day each fell due.
pub(crate) fn due(
    conn: &rusqlite::Connection,
    today: NaiveDate,
) -> Result<Vec<(Uuid, NaiveDate, Due)>> {
    let today = today.to_string();
    let mut out: Vec<(Uuid, NaiveDate, Due)> =
        record::list::<MaracAction>(conn, "done_on IS NULL AND due_on < ?1", &[&today])?
            .into_iter()
            .map(|a| (a.case_id, a.due_on, Due::MaracActionOverdue { action: a }))
            .collect();
    out.extend(
        record::list::<SafetyPlan>(conn, "review_on <= ?1", &[&today])?
            .into_iter()
            .map(|p| {
                (
                    p.case_id,
                    p.review_on,
                    Due::SafetyPlanReview {
                        review_on: p.review_on,
                    },
                )
            }),
    );
    Ok(out)
}
