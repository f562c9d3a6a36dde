//! Referrals, safeguarding flags and incidents: `referral`, `flag`,
//! `incident`.

use crate::cli::{FlagCmd, IncidentCmd, ReferralCmd};
use crate::output;
use waymark_core::api::{NewIncident, NewReferral};
use waymark_core::{Error, Session};

pub(crate) fn referral(s: &mut Session, cmd: ReferralCmd) -> Result<(), Error> {
    match cmd {
        ReferralCmd::Add {
            case_id,
            agency,
            reason,
            on,
        } => say!(
            "{}",
            s.add_referral(NewReferral {
                case_id,
                agency,
                reason,
                made_on: on,
                assessment_id: None
            })?
        ),
        ReferralCmd::Update {
            referral_id,
            status,
            outcome,
        } => s.update_referral(referral_id, status, outcome)?,
        ReferralCmd::List { case_id, json } => {
            output::referrals(&s.referrals(case_id)?, json.json)?
        }
    }
    Ok(())
}

pub(crate) fn flag(s: &mut Session, cmd: FlagCmd) -> Result<(), Error> {
    match cmd {
        FlagCmd::Raise {
            case_id,
            kind,
            detail,
        } => say!("{}", s.raise_flag(case_id, kind, detail)?),
        FlagCmd::Resolve { flag_id } => s.resolve_flag(flag_id)?,
        FlagCmd::List { case_id, all, json } => output::flags(&s.flags(case_id, all)?, json.json)?,
    }
    Ok(())
}

pub(crate) fn incident(s: &mut Session, cmd: IncidentCmd) -> Result<(), Error> {
    match cmd {
        IncidentCmd::Add {
            case_id,
            on,
            kind,
            police_called,
            injuries,
            children_present,
            detail,
        } => {
            let i = s.record_incident(NewIncident {
                case_id,
                occurred_on: on,
                kind,
                police_called,
                injuries,
                children_present,
                detail,
            })?;
            say!("{}", i.id);
            if let Some(e) = &i.escalation {
                // The prompt goes to stderr: stdout stays the id alone.
                eprintln!(
                    "prompted: {} (decide: waymark incident decide {} made|declined)",
                    e.prompt.text, i.id
                );
            }
        }
        IncidentCmd::Decide {
            incident_id,
            decided: d,
        } => {
            let made = s.decide_escalation(incident_id, d.decision, d.because, d.reason)?;
            if let Some(referral) = made {
                say!("referral made: {referral}");
            }
        }
        IncidentCmd::List { case_id, json } => {
            output::incidents(&s.incidents(case_id)?, json.json)?
        }
    }
    Ok(())
}
