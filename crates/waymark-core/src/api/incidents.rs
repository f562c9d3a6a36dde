//! Domestic-abuse incidents: the case header's twelve-month count, and the
//! escalation criterion (police call-outs within months, from the risk
//! template) prompting a MARAC referral as a high score does.
use super::*;
use crate::assessment::Escalation;

impl Session {
    /// Records an incident. A police call-out that brings the case's
    /// call-outs in the window to the criterion carries the MARAC prompt.
    pub fn record_incident(&mut self, input: NewIncident) -> Result<Incident> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, input.case_id)?;
        let earlier: Vec<Incident> =
            record::list(&tx.tx, "case_id = ?1", &[&input.case_id.to_string()])?;
        let escalation = escalation_of(
            &earlier,
            input.occurred_on,
            input.police_called,
            escalation_in_force(&tx.tx)?,
        );
        let incident = Incident {
            id: record::new_record_id(),
            case_id: input.case_id,
            occurred_on: input.occurred_on,
            kind: input.kind,
            police_called: input.police_called,
            injuries: input.injuries,
            children_present: input.children_present,
            detail: tidy(input.detail),
            escalation,
            recorded_at: tx.now,
            recorded_by: tx.user,
        };
        tx.put(&incident)?;
        tx.commit()?;
        Ok(incident)
    }

    /// Records the decision on the MARAC referral an incident prompted;
    /// the referral's id if it was made.
    pub fn decide_escalation(
        &mut self,
        incident_id: Uuid,
        decision: DecisionKind,
        because: Option<DeclineReason>,
        reason: Option<String>,
    ) -> Result<Option<Uuid>> {
        let mut tx = self.begin()?;
        let mut incident: Incident = get_or(&tx.tx, incident_id, "incident")?;
        let Some(mut escalation) = incident.escalation.take() else {
            return Err(Error::because(
                "incident",
                waymark_model::Reason::NoEscalation,
            ));
        };
        if escalation.decision.is_some() {
            // Its prompted referral.
            return Err(Error::because(
                "incident",
                waymark_model::Reason::AlreadyDecided,
            ));
        }
        let decided = super::assessments::decide(
            &mut tx,
            (incident.case_id, None),
            &escalation.prompt,
            0,
            (decision, because, reason),
        )?;
        let referral_id = decided.referral_id;
        escalation.decision = Some(decided);
        incident.escalation = Some(escalation);
        tx.put(&incident)?;
        tx.commit()?;
        Ok(referral_id)
    }

    /// A case's incidents, the latest first, with the last twelve months'
    /// count.
    pub fn incidents(&self, case_id: Uuid) -> Result<queries::CaseIncidents> {
        require_case(&self.conn, case_id)?;
        let incidents = queries::incidents(&self.conn, case_id)?;
        Ok(queries::CaseIncidents {
            last_year: IncidentCount::last_year(&incidents, queries::local_today(now())),
            incidents,
        })
    }

    /// The escalation criterion this device holds (from the organisation's
    /// risk templates), if any template assesses risk.
    pub fn escalation_criterion(&self) -> Result<Option<Escalation>> {
        escalation_in_force(&self.conn)
    }
}

fn escalation_in_force(conn: &Connection) -> Result<Option<Escalation>> {
    let templates: Vec<AssessmentTemplate> = record::list(conn, "true", &[])?;
    Ok(Escalation::in_force(
        templates.iter().map(|t| &t.definition),
    ))
}
