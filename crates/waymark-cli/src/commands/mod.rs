//! What each command does, one module per area; `run` opens the store and
//! hands the command to its area. Each area calls `Session` (and, where the
//! server is needed, the sync client) and prints through `output`.

mod appointments;
mod assessments;
mod attachments;
mod conditions;
mod notes;
mod outcomes;
mod people;
mod plans;
mod programmes;
mod reading;
mod referrals;
mod reports;
mod store;
mod sync;

use crate::cli::{Cli, Command};
use crate::input::unlock;
use crate::Failure;

pub(crate) fn run(cli: Cli) -> Result<(), Failure> {
    let store = match &cli.store {
        Some(s) => s.clone(),
        None => waymark_core::api::default_store_dir()?,
    };
    // The commands that start without an unlocked store.
    let command = match cli.command {
        Command::Init { user } => return Ok(store::init(&store, &user)?),
        Command::User(cmd) => return Ok(store::user(&store, cmd)?),
        Command::Join {
            server,
            user,
            code,
            device_label,
        } => return sync::join(&store, &server, &user, &code, device_label),
        Command::Login {
            server,
            device_label,
        } => return sync::login(&store, cli.user.as_deref(), &server, device_label),
        other => other,
    };
    let mut session = unlock(&store, cli.user.as_deref())?;
    // Sync takes the session: a revoked device's store is erased with it.
    let command = match command {
        Command::Sync(j) => return sync::sync(session, j.json),
        other => other,
    };
    let s = &mut session;
    match command {
        Command::Init { .. }
        | Command::User(_)
        | Command::Join { .. }
        | Command::Login { .. }
        | Command::Sync(_) => {
            unreachable!("handled above")
        }
        Command::Status(j) => store::status(s, j.json)?,
        Command::Passphrase(cmd) => store::passphrase(s, cmd)?,
        Command::Conflicts { cmd, all, json } => sync::conflicts(s, cmd, all, json.json)?,
        Command::Refused(j) => sync::refused(s, j.json)?,
        Command::SetAside(j) => crate::output::set_aside(&s.set_aside_changes()?, j.json)?,
        Command::Confirm {
            person,
            fingerprint,
            admin,
            json,
        } => sync::confirm(s, &person, &fingerprint, admin, json.json)?,
        Command::Identity(j) => sync::identity(s, j.json)?,
        Command::Devices(j) => sync::devices(s, j.json)?,
        Command::RecoveryKey { cmd } => sync::recovery_key(s, cmd)?,
        Command::RecoverUser {
            person,
            recovery_key,
        } => sync::recover_user(s, &person, &recovery_key)?,
        Command::EraseCase {
            case_id,
            reason,
            cancel,
            json,
        } => sync::erase_case(s, case_id, reason.as_deref(), cancel, json.json)?,
        Command::Allocated { case_id, json } => match case_id {
            Some(case) => crate::output::allocated_case(&s.allocated_case(case)?, json.json)?,
            None => crate::output::allocated(&s.allocated_cases()?, json.json)?,
        },
        Command::Erasures(j) => sync::erasures(s, j.json)?,
        Command::Access { case_id, json } => sync::access(s, case_id, json.json)?,
        Command::Share {
            case_id,
            colleague,
            json,
        } => sync::share(s, case_id, &colleague, true, json.json)?,
        Command::Unshare {
            case_id,
            colleague,
            json,
        } => sync::share(s, case_id, &colleague, false, json.json)?,
        Command::Reassign { case_id, to, json } => sync::reassign(s, case_id, &to, json.json)?,
        Command::Person(cmd) => people::person(s, cmd)?,
        Command::Episode(cmd) => people::episode(s, cmd)?,
        Command::Note(cmd) => notes::note(s, cmd)?,
        Command::Goal(cmd) => plans::goal(s, cmd)?,
        Command::Action(cmd) => plans::action(s, cmd)?,
        Command::Rating(cmd) => plans::rating(s, cmd)?,
        Command::Plan { case_id, json } => plans::plan(s, case_id, json.json)?,
        Command::Appointment(cmd) => appointments::appointment(s, cmd)?,
        Command::Agenda { date, week, json } => appointments::agenda(s, date, week, json.json)?,
        Command::Programme(cmd) => programmes::programme(s, cmd)?,
        Command::Condition(cmd) => conditions::condition(s, cmd)?,
        Command::Followup(cmd) => conditions::followup(s, cmd)?,
        Command::Stage {
            episode_id,
            to,
            on,
            json,
        } => people::stage(s, episode_id, to, on, json.json)?,
        Command::Due { mine, json } => conditions::due(s, mine, json.json)?,
        Command::Team(j) => crate::output::team(&s.team()?, j.json)?,
        Command::Outcome(cmd) => outcomes::outcome(s, cmd)?,
        Command::Report {
            from,
            to,
            programme,
            team,
            json,
            csv,
            html,
        } => reports::report(
            s,
            &waymark_core::report::Scope {
                from,
                to,
                programme,
                team,
            },
            reports::Form { json, csv, html },
        )?,
        Command::Template(cmd) => assessments::template(s, cmd)?,
        Command::Assessment(cmd) => assessments::assessment(s, cmd)?,
        Command::Referral(cmd) => referrals::referral(s, cmd)?,
        Command::Flag(cmd) => referrals::flag(s, cmd)?,
        Command::Incident(cmd) => referrals::incident(s, cmd)?,
        Command::Signoff(cmd) => referrals::signoff(s, cmd)?,
        Command::Supervision(cmd) => referrals::supervision(s, cmd)?,
        Command::Link(cmd) => people::link(s, cmd)?,
        Command::Group(cmd) => people::group(s, cmd)?,
        Command::Tally(cmd) => people::tally(s, cmd)?,
        Command::Marac(cmd) => referrals::marac(s, cmd)?,
        Command::SafetyPlan {
            case_id,
            safe_places,
            trusted_people,
            code_words,
            escape_bag,
            tech_safety,
            child_arrangements,
            review_on,
            json,
        } => {
            let setting = [
                &safe_places,
                &trusted_people,
                &code_words,
                &escape_bag,
                &tech_safety,
                &child_arrangements,
            ]
            .iter()
            .any(|p| p.is_some())
                || review_on.is_some();
            if setting {
                // A part not named keeps what the plan says; "" clears one.
                let now = s.open_case(case_id)?.safety_plan.unwrap_or_default();
                let keep = |given: Option<String>, current: Option<String>| given.or(current);
                s.save_safety_plan(waymark_core::api::SafetyPlanInput {
                    case_id,
                    safe_places: keep(safe_places, now.safe_places),
                    trusted_people: keep(trusted_people, now.trusted_people),
                    code_words: keep(code_words, now.code_words),
                    escape_bag: keep(escape_bag, now.escape_bag),
                    tech_safety: keep(tech_safety, now.tech_safety),
                    child_arrangements: keep(child_arrangements, now.child_arrangements),
                    review_on: review_on.or((now.case_id == case_id).then_some(now.review_on)),
                })?;
            }
            crate::output::safety_plan(s.open_case(case_id)?.safety_plan.as_ref(), json.json)?
        }
        Command::Attachment(cmd) => attachments::attachment(s, cmd)?,
        Command::Search { query, limit, json } => reading::search(s, &query, limit, json.json)?,
        Command::Caseload {
            risk,
            overdue_review,
            no_contact_days,
            flagged,
            keyworker,
            mine,
            name,
            json,
        } => {
            let filter = waymark_core::queries::CaseloadFilter {
                risk_level: risk,
                overdue_review,
                no_contact_days,
                flagged,
                keyworker,
                mine,
                name,
            };
            reading::caseload(s, &filter, json.json)?
        }
        Command::Timeline { case_id, json } => reading::timeline(s, case_id, json.json)?,
        Command::Export {
            case_id,
            out,
            subject_access,
            ..
        } => reading::export(s, case_id, out.as_deref(), subject_access)?,
        Command::Retention {
            closed_for_days,
            json,
        } => reading::retention(s, closed_for_days, json.json)?,
        Command::Audit { case, limit, json } => reading::audit(s, case, limit, json.json)?,
        Command::DemoData {
            cases,
            notes_per_case,
            seed,
            keyworker,
            groups,
        } => reading::demo_data(
            s,
            waymark_core::demo::DemoOptions {
                cases,
                notes_per_case,
                seed,
                keyworker,
                groups,
            },
        )?,
    }
    Ok(())
}
