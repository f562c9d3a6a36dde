//! Referrals and safeguarding flags: `referral`, `flag`.

use crate::cli::{FlagCmd, ReferralCmd};
use crate::output;
use waymark_core::api::NewReferral;
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
