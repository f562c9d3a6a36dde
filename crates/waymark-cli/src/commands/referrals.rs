//! Referrals, safeguarding flags, incidents and sign-offs: `referral`,
//! `flag`, `incident`, `signoff`.

use crate::cli::{FlagCmd, IncidentCmd, MaracCmd, ReferralCmd, SignoffCmd, SupervisionCmd};
use crate::output;
use chrono::NaiveDate;
use waymark_core::api::{
    NewIncident, NewMaracAction, NewMaracMeeting, NewReferral, NewSignOff, NewSupervisionNote,
};
use waymark_core::domain::AgreedAction;
use waymark_core::model::vocab::SignOffSubject;
use waymark_core::{Error, Session};

pub(crate) fn referral(s: &mut Session, cmd: ReferralCmd) -> Result<(), Error> {
    match cmd {
        ReferralCmd::Add {
            case_id,
            agency,
            reason,
            on,
            consent,
        } => say!(
            "{}",
            s.add_referral(NewReferral {
                case_id,
                agency,
                reason,
                made_on: on,
                assessment_id: None,
                consent_topic: consent,
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

pub(crate) fn signoff(s: &mut Session, cmd: SignoffCmd) -> Result<(), Error> {
    match cmd {
        SignoffCmd::Add {
            risk_assessment,
            marac_decision,
            closure,
            comment,
        } => {
            let (subject, subject_id) =
                match (risk_assessment, marac_decision, closure) {
                    (Some(id), _, _) => (SignOffSubject::RiskAssessment, id),
                    (_, Some(id), _) => (SignOffSubject::MaracDecision, id),
                    (_, _, Some(id)) => (SignOffSubject::Closure, id),
                    _ => return Err(Error::invalid(
                        "subject",
                        "name what is signed off: --risk-assessment, --marac-decision or --closure",
                    )),
                };
            let signed = s.sign_off(NewSignOff {
                subject,
                subject_id,
                comment,
            })?;
            say!("{}", signed.sign_off.id);
        }
        SignoffCmd::Pending(json) => {
            let pending: Vec<_> = s
                .due(false)?
                .into_iter()
                .filter(|d| matches!(d.due, waymark_core::model::views::Due::SignOff { .. }))
                .collect();
            output::due(&pending, json.json)?
        }
        SignoffCmd::List { case_id, json } => output::sign_offs(&s.sign_offs(case_id)?, json.json)?,
    }
    Ok(())
}

pub(crate) fn supervision(s: &mut Session, cmd: SupervisionCmd) -> Result<(), Error> {
    match cmd {
        SupervisionCmd::Add {
            case_id,
            discussion,
            decision,
            actions,
            held_on,
        } => {
            let actions = actions
                .iter()
                .enumerate()
                .map(|(i, a)| agreed_action(i, a))
                .collect::<Result<_, _>>()?;
            let entry = s.add_supervision_note(NewSupervisionNote {
                case_id,
                held_on,
                discussion,
                decision,
                actions,
            })?;
            say!("{}", entry.note.id);
        }
        SupervisionCmd::Done {
            note_id,
            action,
            on,
        } => {
            let Some(index) = action.checked_sub(1) else {
                return Err(Error::invalid("action", "actions are numbered from 1"));
            };
            let done = s.complete_supervision_action(note_id, index, on)?;
            say!("{}", done.id);
        }
        SupervisionCmd::List { case_id, json } => {
            s.require_case(case_id)?;
            output::supervision(&s.supervision(case_id)?, json.json)?
        }
    }
    Ok(())
}

/// "what | who | YYYY-MM-DD", the `i`th `--action`.
fn agreed_action(i: usize, text: &str) -> Result<AgreedAction, Error> {
    let field = format!("actions[{i}]");
    let parts: Vec<&str> = text.split('|').map(str::trim).collect();
    let [action, owner, due] = parts[..] else {
        return Err(Error::invalid(
            &field,
            format!("{text:?} is not \"what | who | YYYY-MM-DD\""),
        ));
    };
    let due_on = due
        .parse::<NaiveDate>()
        .map_err(|_| Error::invalid(&field, format!("{due:?} is not a date (YYYY-MM-DD)")))?;
    Ok(AgreedAction {
        action: action.to_owned(),
        owner: owner.to_owned(),
        due_on,
    })
}

pub(crate) fn marac(s: &mut Session, cmd: MaracCmd) -> Result<(), Error> {
    match cmd {
        MaracCmd::Meeting {
            case_id,
            on,
            referral,
            outcome,
        } => {
            let meeting = s.add_marac_meeting(NewMaracMeeting {
                case_id,
                meeting_on: on,
                referral_id: referral,
                outcome,
            })?;
            say!("{}", meeting.id);
        }
        MaracCmd::Outcome {
            meeting_id,
            outcome,
        } => s.set_marac_outcome(meeting_id, &outcome)?,
        MaracCmd::Action {
            meeting_id,
            agency,
            owner,
            action,
            due,
        } => {
            let action = s.add_marac_action(NewMaracAction {
                meeting_id,
                agency,
                owner,
                action,
                due_on: due,
            })?;
            say!("{}", action.id);
        }
        MaracCmd::Done { action_id, on } => s.complete_marac_action(action_id, on)?,
        MaracCmd::Form { assessment_id, out } => {
            let html = s.marac_form(assessment_id)?;
            crate::input::write_private(&out, html.as_bytes())?;
            let path = out.display().to_string();
            crate::output::tell("cli-marac-form-written", &[("path", path.into())]);
        }
        MaracCmd::List { case_id, json } => {
            let view = s.open_case(case_id)?;
            output::marac(&view.marac_meetings, &view.marac_actions, json.json)?
        }
    }
    Ok(())
}
