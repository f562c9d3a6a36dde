//! Referrals to other agencies, and the flags that warn a worker.
use super::*;

impl Session {
    // --- Referrals and flags ---------------------------------------------------------

    pub fn add_referral(&mut self, input: NewReferral) -> Result<Uuid> {
        let mut tx = self.begin()?;
        let person: Person = get_or(&tx.tx, input.case_id, "case")?;
        let consent_topic = tidy(input.consent_topic);
        if let Some(topic) = &consent_topic {
            if !person.has_agreed_to(topic) {
                return Err(Error::because(
                    "consent_topic",
                    waymark_model::Reason::NotAgreedConsent,
                ));
            }
        }
        let r = Referral {
            id: record::new_record_id(),
            case_id: input.case_id,
            agency: input.agency,
            reason: input.reason.trim().to_owned(),
            status: ReferralStatus::Made,
            outcome: None,
            made_on: input.made_on.unwrap_or(tx.now.date_naive()),
            assessment_id: input.assessment_id,
            consent_topic,
        };
        tx.put(&r)?;
        tx.commit()?;
        Ok(r.id)
    }

    pub fn update_referral(
        &mut self,
        id: Uuid,
        status: ReferralStatus,
        outcome: Option<String>,
    ) -> Result<()> {
        let mut tx = self.begin()?;
        let mut r: Referral = get_or(&tx.tx, id, "referral")?;
        r.status = status;
        if outcome.is_some() {
            r.outcome = tidy(outcome);
        }
        tx.put(&r)?;
        tx.commit()
    }

    pub fn referrals(&self, case_id: Uuid) -> Result<Vec<Referral>> {
        require_case(&self.conn, case_id)?;
        record::list(
            &self.conn,
            "case_id = ?1 ORDER BY made_on DESC, id",
            &[&case_id.to_string()],
        )
    }

    pub fn raise_flag(
        &mut self,
        case_id: Uuid,
        kind: FlagKind,
        detail: Option<String>,
    ) -> Result<Uuid> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, case_id)?;
        let f = Flag {
            id: record::new_record_id(),
            case_id,
            kind,
            detail: tidy(detail),
            raised_at: tx.now,
            raised_by: tx.user,
            resolved_at: None,
            resolved_by: None,
        };
        tx.put(&f)?;
        tx.commit()?;
        Ok(f.id)
    }

    pub fn resolve_flag(&mut self, flag_id: Uuid) -> Result<()> {
        let mut tx = self.begin()?;
        let mut f: Flag = get_or(&tx.tx, flag_id, "flag")?;
        if f.resolved_at.is_some() {
            return Err(Error::because(
                "flag",
                waymark_model::Reason::AlreadyResolved,
            ));
        }
        f.resolved_at = Some(tx.now);
        f.resolved_by = Some(tx.user);
        tx.put(&f)?;
        tx.commit()
    }

    pub fn flags(&self, case_id: Uuid, include_resolved: bool) -> Result<Vec<Flag>> {
        require_case(&self.conn, case_id)?;
        let filter = if include_resolved {
            "case_id = ?1 ORDER BY raised_at DESC, id"
        } else {
            "case_id = ?1 AND resolved_at IS NULL ORDER BY raised_at DESC, id"
        };
        record::list(&self.conn, filter, &[&case_id.to_string()])
    }
}
