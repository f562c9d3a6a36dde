//! The people supported and their episodes: `person`, `episode`.

use crate::cli::{EpisodeCmd, GroupCmd, LinkCmd, PersonCmd, TallyCmd};
use crate::input::today;
use crate::output;
use waymark_core::api::{
    check_equality, NewEpisode, NewGroupSession, NewLinkedPerson, NewOutreachTally, NewPerson,
};
use waymark_core::domain::{ConsentDecision, Need, SafeContact};
use waymark_core::{Error, Session};

pub(crate) fn person(s: &mut Session, cmd: PersonCmd) -> Result<(), Error> {
    match cmd {
        PersonCmd::Add { name, fields } => {
            let f = fields;
            let equality = f.equality.answers();
            check_equality(&equality)?;
            let id = s.add_person(NewPerson {
                full_name: name,
                preferred_name: f.preferred,
                date_of_birth: f.dob,
                pronouns: f.pronouns,
                phone: f.phone,
                email: f.email,
                safe_contact: SafeContact {
                    calls_safe: f.calls_safe,
                    texts_safe: f.texts_safe,
                    voicemail_safe: f.voicemail_safe,
                    safe_times: f.safe_times,
                    code_word: f.code_word,
                    instructions: f.safe_contact_notes,
                },
                address: f.address,
                address_restricted: f.restricted_address,
                needs: f.needs.into_iter().map(|a| Need::new(a, None)).collect(),
                consents: vec![],
            })?;
            if !equality.is_empty() {
                s.set_equality(id, &equality)?;
            }
            say!("{id}");
        }
        PersonCmd::Update {
            case_id,
            name,
            fields: f,
        } => {
            let equality = f.equality.answers();
            check_equality(&equality)?;
            let mut p = s.person(case_id)?;
            macro_rules! set { ($($src:expr => $dst:expr),*) => { $(if let Some(v) = $src { $dst = Some(v); })* } }
            if let Some(n) = name {
                p.full_name = n;
            }
            set!(f.preferred => p.preferred_name, f.dob => p.date_of_birth, f.pronouns => p.pronouns,
                 f.phone => p.phone, f.email => p.email, f.address => p.address,
                 f.calls_safe => p.safe_contact.calls_safe, f.texts_safe => p.safe_contact.texts_safe,
                 f.voicemail_safe => p.safe_contact.voicemail_safe, f.safe_times => p.safe_contact.safe_times,
                 f.code_word => p.safe_contact.code_word, f.safe_contact_notes => p.safe_contact.instructions);
            if f.restricted_address {
                p.address_restricted = true;
            }
            if !f.needs.is_empty() {
                p.needs = f.needs.into_iter().map(|a| Need::new(a, None)).collect();
            }
            s.update_person(p)?;
            if !equality.is_empty() {
                s.set_equality(case_id, &equality)?;
            }
        }
        PersonCmd::Show { case_id, json } => output::case_view(&s.open_case(case_id)?, json.json)?,
        PersonCmd::RevealAddress { case_id, json } => {
            let address = s.reveal_address(case_id)?;
            if json.json {
                say!(
                    "{}",
                    serde_json::json!({ "case_id": case_id, "address": address })
                );
            } else {
                say!("{}", address.as_deref().unwrap_or("(no address recorded)"));
            }
        }
        PersonCmd::Need {
            case_id,
            area,
            since,
            remove,
        } => {
            if remove {
                s.remove_need(case_id, area)?
            } else {
                s.add_need(case_id, area, since)?
            }
        }
        PersonCmd::Consent {
            case_id,
            topic,
            agreed,
            on,
            note,
        } => s.record_consent(
            case_id,
            ConsentDecision {
                topic,
                agreed,
                decided_on: on.unwrap_or_else(today),
                note,
            },
        )?,
    }
    Ok(())
}

pub(crate) fn episode(s: &mut Session, cmd: EpisodeCmd) -> Result<(), Error> {
    match cmd {
        EpisodeCmd::Add {
            case_id,
            source,
            programme,
            keyworker,
            opened,
            route,
        } => {
            let id = s.add_episode(NewEpisode {
                case_id,
                referral_source: source,
                programme,
                keyworker,
                opened_on: opened.unwrap_or_else(today),
                route,
            })?;
            say!("{id}");
        }

        EpisodeCmd::Close {
            episode_id,
            on,
            reason,
        } => s.close_episode(episode_id, on.unwrap_or_else(today), &reason)?,
    }
    Ok(())
}

pub(crate) fn stage(
    s: &mut Session,
    episode_id: uuid::Uuid,
    to: waymark_core::domain::Stage,
    on: Option<chrono::NaiveDate>,
    json: bool,
) -> Result<(), Error> {
    output::stage_move(
        &s.move_stage(episode_id, to, on.unwrap_or_else(today))?,
        json,
    )
}

pub(crate) fn link(s: &mut Session, cmd: LinkCmd) -> Result<(), Error> {
    match cmd {
        LinkCmd::Add {
            case_id,
            relation,
            name,
            dob,
            lives,
            childrens_services,
            details,
        } => {
            let link = s.add_linked_person(NewLinkedPerson {
                case_id,
                relation,
                name,
                date_of_birth: dob,
                lives,
                known_to_childrens_services: childrens_services,
                details,
            })?;
            say!("{}", link.id);
        }
        LinkCmd::List { case_id, json } => output::linked(&s.linked_people(case_id)?, json.json)?,
        LinkCmd::Reveal { link_id, json } => {
            output::linked(&[s.reveal_linked_person(link_id)?], json.json)?
        }
        LinkCmd::Open {
            link_id,
            source,
            programme,
        } => say!("{}", s.open_linked_case(link_id, &programme, source)?),
    }
    Ok(())
}

pub(crate) fn group(s: &mut Session, cmd: GroupCmd) -> Result<(), Error> {
    match cmd {
        GroupCmd::Add {
            title,
            place,
            on,
            facilitators,
            programme,
            note,
        } => {
            let session = s.add_group_session(NewGroupSession {
                title,
                programme,
                place,
                held_on: on,
                facilitators,
                note,
            })?;
            say!("{}", session.id);
        }
        GroupCmd::List(json) => output::group_sessions(&s.group_sessions()?, json.json)?,
        GroupCmd::Show { session_id, json } => {
            output::group_register(&s.group_register(session_id)?, json.json)?
        }
        GroupCmd::Attend {
            session_id,
            case_ids,
            absent,
        } => {
            for case in case_ids {
                s.mark_attendance(session_id, case, !absent)?;
            }
        }
    }
    Ok(())
}

pub(crate) fn tally(s: &mut Session, cmd: TallyCmd) -> Result<(), Error> {
    match cmd {
        TallyCmd::Add {
            on,
            site,
            count,
            help_given: help,
            note,
        } => {
            let tally = s.add_outreach_tally(NewOutreachTally {
                counted_on: on.unwrap_or_else(today),
                site,
                count,
                help,
                note,
            })?;
            say!("{}", tally.id);
        }
        TallyCmd::List { from, json } => {
            let from = from.unwrap_or_else(|| today() - chrono::Days::new(30));
            output::tallies(&s.outreach_tallies(from)?, json.json)?
        }
    }
    Ok(())
}
