//! Plainly fictional demo data, written through the normal write path (so the
//! outbox, search index and audit trail are real) in large transactions.

use crate::api::{write_note, NewNote, Session};
use crate::assessment::{builtin_templates, Answer, AnswerKind};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::record;
use chrono::Duration;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct DemoOptions {
    pub cases: u64,
    pub notes_per_case: u64,
    pub seed: u64,
    /// The keyworker named on the demo episodes.
    pub keyworker: String,
    /// Weekly group sessions with registers, and outreach tallies, too.
    #[serde(default)]
    pub groups: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            cases: 40,
            notes_per_case: 10,
            seed: 1,
            keyworker: "Demo Worker".into(),
            groups: false,
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DemoReport {
    pub cases: u64,
    pub notes: u64,
    pub appointments: u64,
    pub assessments: u64,
    pub flags: u64,
    pub seconds: f64,
}

const FIRST: &[&str] = &[
    "Aria", "Bethan", "Cerys", "Dana", "Eloise", "Farah", "Gemma", "Hana", "Imogen", "Jade",
    "Kezia", "Lowri", "Maisie", "Nadia", "Orla", "Priya", "Rhian", "Saoirse", "Tamsin", "Una",
    "Verity", "Wren", "Yasmin", "Zara", "Amira", "Bronwen", "Carys", "Delyth", "Esme", "Freya",
    "Georgia", "Hollie",
];
const LAST: &[&str] = &[
    "Ashdown",
    "Brackley",
    "Corran",
    "Dunmore",
    "Elverson",
    "Fairlie",
    "Garrow",
    "Hollins",
    "Ingleby",
    "Jessop",
    "Kettering",
    "Lathom",
    "Marlow",
    "Nettleton",
    "Ormsby",
    "Pendry",
    "Quarles",
    "Rowntree",
    "Stainton",
    "Thursby",
    "Upton",
    "Varley",
    "Wetherall",
    "Yardley",
];
/// Names people ask to be called, for some of the demo cases.
const SHORT_NAMES: &[&str] = &["Jo", "Sam", "Bee", "Lou", "Kit", "Nell", "Tash", "Mo"];
const OPENINGS: &[&str] = &[
    "Met at the outreach van near the station.",
    "Phoned at the agreed safe time.",
    "Home visit with her consent; house quiet.",
    "Accompanied to the housing office.",
    "Brief check-in by text as agreed.",
    "Met at the women's centre drop-in.",
    "Saw her after her probation appointment.",
    "Caught up at the food bank session.",
];
const MIDDLES: &[&str] = &[
    "She talked about rent arrears and a letter from the council about her tenancy.",
    "Discussed the court date next month and what to expect from the magistrates.",
    "She said sleep has been poor and she is worried about her mental health.",
    "We went through the safety plan again and updated the code word.",
    "She has been sober for three weeks and is proud of the progress.",
    "Benefits claim is still delayed; we called the job centre together.",
    "Children are settled at school; social care visit went well.",
    "She reported more messages from her ex-partner; advised keeping screenshots.",
    "GP appointment booked for a medication review.",
    "Talked through options for a move to safer accommodation.",
    "She wants to start a college course in the spring.",
    "Missed her last appointment because of childcare; rebooked.",
];
const CLOSINGS: &[&str] = &[
    "Next contact agreed for later this week.",
    "Will chase the referral tomorrow.",
    "No new risks disclosed today.",
    "Updated the support plan together.",
    "She knows how to reach the duty line out of hours.",
    "Follow up with housing on Monday.",
];

pub(crate) fn generate(
    session: &mut Session,
    o: &DemoOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<DemoReport> {
    if o.cases == 0 {
        return Err(Error::invalid("cases", "must be at least 1"));
    }
    if o.notes_per_case > 100_000 {
        return Err(Error::invalid("notes-per-case", "must be at most 100000"));
    }
    let started = std::time::Instant::now();
    let mut rng = StdRng::seed_from_u64(o.seed);
    let mut extra = StdRng::seed_from_u64(o.seed ^ 0x6f75_7463_6f6d_6573);
    let template = builtin_templates().remove(0);
    // The organisation's programmes where an admin has defined them (the
    // demo server does); otherwise programmes named in free text.
    let programmes: Vec<Programme> = session
        .programmes()?
        .into_iter()
        .filter(|p| !p.retired)
        .collect();
    let total_notes = o.cases * o.notes_per_case;
    let mut report = DemoReport::default();
    // Large transactions make bulk loading fast; each still goes through the
    // same validated write path as one note typed by a worker.
    const BATCH_WRITES: u64 = 4000;
    let mut case = 0;
    // The first cases, for the demo's group registers.
    let mut some_cases: Vec<Uuid> = Vec::new();
    while case < o.cases {
        let mut tx = session.begin()?;
        let now = tx.now;
        let mut writes = 0;
        while case < o.cases && writes < BATCH_WRITES {
            case += 1;
            let first = FIRST[rng.gen_range(0..FIRST.len())];
            let last = LAST[rng.gen_range(0..LAST.len())];
            let restricted = rng.gen_bool(0.15);
            let person = Person {
                id: Uuid::new_v4(),
                full_name: format!("{first} {last}"),
                preferred_name: rng
                    .gen_bool(0.3)
                    .then(|| SHORT_NAMES[rng.gen_range(0..SHORT_NAMES.len())].to_owned()),
                date_of_birth: Some(
                    now.date_naive() - Duration::days(rng.gen_range(18 * 365..65 * 365)),
                ),
                pronouns: Some("she/her".into()),
                phone: Some(format!("07700 900{:03}", rng.gen_range(0..1000))),
                email: None,
                safe_contact: SafeContact {
                    calls_safe: Some(rng.gen_bool(0.6)),
                    texts_safe: Some(rng.gen_bool(0.8)),
                    voicemail_safe: Some(rng.gen_bool(0.2)),
                    safe_times: Some("Weekdays 10:00-14:00".into()),
                    code_word: Some(
                        ["bluebell", "kestrel", "lantern", "harbour"][rng.gen_range(0..4)].into(),
                    ),
                    instructions: Some(
                        "If someone else answers, say you are calling from the GP surgery.".into(),
                    ),
                },
                address: Some(format!(
                    "{} Demo Street, Fictiontown",
                    rng.gen_range(1..200)
                )),
                address_restricted: restricted,
                needs: [
                    NeedArea::Housing,
                    NeedArea::DomesticAbuse,
                    NeedArea::MentalHealth,
                ][..rng.gen_range(1..=3)]
                    .iter()
                    .map(|&area| {
                        let since = now.date_naive() - Duration::days(rng.gen_range(1..300));
                        Need::new(area, Some(since))
                    })
                    .collect(),
                consents: vec![ConsentDecision {
                    topic: "share with GP".into(),
                    agreed: rng.gen_bool(0.7),
                    decided_on: now.date_naive() - Duration::days(rng.gen_range(1..300)),
                    note: None,
                }],
                created_at: now,
                created_by: tx.user,
            };
            let case_id = person.id;
            tx.put(&person)?;
            if some_cases.len() < 24 {
                some_cases.push(case_id);
            }
            let named = rng.gen_range(0..3);
            let programme = programmes.get(named % programmes.len().max(1));
            let mut episode = Episode {
                id: record::new_record_id(),
                case_id,
                referral_source: [
                    ReferralSource::Police,
                    ReferralSource::Court,
                    ReferralSource::SelfReferral,
                    ReferralSource::LiaisonAndDiversion,
                ][rng.gen_range(0..4)],
                programme: programme.map_or_else(
                    || {
                        [
                            "Women's diversion scheme",
                            "Domestic abuse outreach",
                            "Complex needs support",
                        ][named]
                            .to_owned()
                    },
                    |p| p.name.clone(),
                ),
                keyworker: o.keyworker.clone(),
                status: EpisodeStatus::Open,
                opened_on: now.date_naive() - Duration::days(rng.gen_range(30..400)),
                closed_on: None,
                closure_reason: None,
                programme_id: programme.map(|p| p.id),
                route: None,
            };
            if programme.is_some_and(|p| p.kind == ProgrammeKind::Diversion) {
                episode.route = Some(
                    DisposalRoute::ALL[extra.gen_range(0..DisposalRoute::ALL.len())]
                        .parse()
                        .expect("listed"),
                );
            }
            tx.put(&episode)?;
            for _ in 0..o.notes_per_case {
                let body = format!(
                    "{} {} {}",
                    OPENINGS[rng.gen_range(0..OPENINGS.len())],
                    MIDDLES[rng.gen_range(0..MIDDLES.len())],
                    CLOSINGS[rng.gen_range(0..CLOSINGS.len())]
                );
                write_note(
                    &mut tx,
                    NewNote {
                        case_id,
                        body,
                        contact_type: [
                            ContactType::FaceToFace,
                            ContactType::Phone,
                            ContactType::Outreach,
                            ContactType::Text,
                        ][rng.gen_range(0..4)],
                        occurred_at: Some(
                            now - Duration::minutes(rng.gen_range(60..365 * 24 * 60)),
                        ),
                        duration_minutes: Some(rng.gen_range(5..90)),
                        location: None,
                    },
                )?;
                report.notes += 1;
            }
            let start = now + Duration::hours(rng.gen_range(-72..24 * 14));
            let agency = [
                Agency::Probation,
                Agency::Court,
                Agency::Gp,
                Agency::Housing,
            ][rng.gen_range(0..4)];
            tx.put(&Appointment {
                id: record::new_record_id(),
                case_id,
                starts_at: start,
                ends_at: start + Duration::minutes(45),
                place: Some("Fictiontown civic centre".into()),
                agency,
                with_whom: None,
                reminder_minutes: Some(60),
                accompany: rng.gen_bool(0.4),
                outcome: (start < now).then_some(AppointmentOutcome::Attended),
                outcome_note: None,
            })?;
            report.appointments += 1;
            if rng.gen_bool(0.3) {
                let answers: BTreeMap<String, Answer> = template
                    .questions
                    .iter()
                    .map(|q| {
                        let a = match q.answer {
                            AnswerKind::Text => Answer::Text(String::new()),
                            _ => Answer::YesNo(q.escalates_to.is_none() && rng.gen_bool(0.45)),
                        };
                        (q.id.clone(), a)
                    })
                    .collect();
                let r = template.score(&answers)?;
                let completed_at = now - Duration::days(rng.gen_range(1..60));
                let assessment_id = record::new_record_id();
                // A MARAC prompt, decided: mostly made, sometimes not (the
                // person did not agree, or another agency had referred).
                let mut decisions = Vec::new();
                if let Some(i) = r.prompts.iter().position(|p| p.agency == Agency::Marac) {
                    let made = extra.gen_bool(0.65);
                    let referral_id = made.then(record::new_record_id);
                    if let Some(id) = referral_id {
                        let referral = Referral {
                            id,
                            case_id,
                            agency: Agency::Marac,
                            reason: r.prompts[i].text.clone(),
                            status: [ReferralStatus::Made, ReferralStatus::Accepted]
                                [extra.gen_range(0..2)],
                            outcome: None,
                            made_on: completed_at.date_naive(),
                            assessment_id: Some(assessment_id),
                            consent_topic: None,
                        };
                        tx.put(&referral)?;
                        marac_meeting(&mut tx, &referral, now)?;
                    }
                    decisions.push(PromptDecision {
                        prompt_index: i,
                        decision: if made {
                            DecisionKind::Made
                        } else {
                            DecisionKind::Declined
                        },
                        because: (!made).then(|| {
                            [DeclineReason::NoConsent, DeclineReason::AlreadyReferred]
                                [extra.gen_range(0..2)]
                        }),
                        reason: None,
                        referral_id,
                        decided_at: completed_at,
                        decided_by: tx.user,
                    });
                }
                let template_id: String = tx.tx.query_row(
                    "SELECT id FROM assessment_templates WHERE key = ?1 AND template_version = ?2",
                    rusqlite::params![template.key, template.version],
                    |row| row.get(0),
                )?;
                tx.put(&Assessment {
                    id: assessment_id,
                    case_id,
                    template_id: crate::basics::parse_id(&template_id)?,
                    template_key: template.key.clone(),
                    template_version: template.version,
                    answers,
                    score: r.score,
                    level: r.level,
                    prompts: r.prompts,
                    decisions,
                    completed_at,
                    completed_by: tx.user,
                })?;
                report.assessments += 1;
                incidents(&mut tx, &mut extra, case_id, now)?;
            }
            if rng.gen_bool(0.2) {
                tx.put(&Flag {
                    id: record::new_record_id(),
                    case_id,
                    kind: if restricted {
                        FlagKind::RefugeAddress
                    } else {
                        FlagKind::RiskFromOthers
                    },
                    detail: None,
                    raised_at: now,
                    raised_by: tx.user,
                    resolved_at: None,
                    resolved_by: None,
                })?;
                report.flags += 1;
            }
            tx.put(&Goal {
                id: record::new_record_id(),
                case_id,
                need_area: NeedArea::Housing,
                description: "Secure a safe, settled tenancy".into(),
                review_on: Some(now.date_naive() + Duration::days(rng.gen_range(-30..90))),
                status: GoalStatus::Active,
                created_at: now,
            })?;
            writes +=
                5 + o.notes_per_case + outcomes(&mut tx, &mut extra, episode, programme, now)?;
            report.cases += 1;
        }
        tx.commit()?;
        progress(report.notes, total_notes);
    }
    if o.groups {
        let mut tx = session.begin()?;
        groups_and_tallies(&mut tx, &some_cases, o.seed)?;
        tx.commit()?;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Weekly group sessions over the last two months with registers drawn
/// from the first cases, and outreach tallies at three sites (their own
/// generator: the rest of the demo stays as it was).
fn groups_and_tallies(tx: &mut crate::api::Tx, cases: &[Uuid], seed: u64) -> Result<()> {
    let rng = &mut StdRng::seed_from_u64(seed ^ 0x6772_6f75_7073);
    let now = tx.now;
    let today = now.date_naive();
    for week in 1..=8 {
        let held_on = today - Duration::days(7 * week);
        let session = GroupSession {
            id: record::new_record_id(),
            title: format!("Freedom Programme, week {}", 9 - week),
            programme: Some("Domestic abuse outreach".into()),
            place: "Women's centre, group room".into(),
            held_on,
            facilitators: "Demo facilitators".into(),
            note: Some("Fictional group note: the session went to plan.".into()),
            recorded_at: now,
            recorded_by: tx.user,
        };
        tx.put(&session)?;
        for case in cases {
            if !rng.gen_bool(0.3) {
                continue;
            }
            tx.put(&Attendance {
                id: Attendance::id_of(*case, session.id),
                case_id: *case,
                session_id: session.id,
                title: session.title.clone(),
                held_on,
                attended: rng.gen_bool(0.8),
                recorded_at: now,
                recorded_by: tx.user,
            })?;
        }
    }
    let sites = ["Market car park", "Bus station", "Leisure centre"];
    let helps = [
        HelpKind::Food,
        HelpKind::Information,
        HelpKind::Signposting,
        HelpKind::Hygiene,
    ];
    for _ in 0..24 {
        let counted_on = today - Duration::days(rng.gen_range(0..60));
        let help: Vec<HelpKind> = helps
            .iter()
            .copied()
            .filter(|_| rng.gen_bool(0.4))
            .collect();
        tx.put(&OutreachTally {
            id: record::new_record_id(),
            log_id: OutreachTally::log_of(tx.user, counted_on),
            counted_on,
            site: sites[rng.gen_range(0..sites.len())].into(),
            count: rng.gen_range(1..12),
            help,
            note: None,
            team: None,
            recorded_at: now,
            recorded_by: tx.user,
        })?;
    }
    Ok(())
}

/// What a report counts, for a demo case: where the episode got to (an
/// end, with its conditions, ratings, feedback and follow-ups), statuses,
/// equality answers and practical support, drawn from their own generator
/// so the rest of the demo data stays as it was. Returns the records
/// written.
/// A few incidents over the last year, oldest first, each police call-out
/// meeting the standard escalation criterion carrying its MARAC prompt
/// (made, with its referral, or not yet decided).
fn incidents(
    tx: &mut crate::api::Tx,
    rng: &mut StdRng,
    case_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    if rng.gen_bool(0.5) {
        return Ok(());
    }
    let mut days: Vec<i64> = (0..rng.gen_range(1..5))
        .map(|_| rng.gen_range(2..330))
        .collect();
    days.sort_unstable_by(|a, b| b.cmp(a));
    let mut earlier: Vec<Incident> = Vec::new();
    for days_ago in days {
        let on = (now - Duration::days(days_ago)).date_naive();
        let police_called = rng.gen_bool(0.6);
        let mut escalation = escalation_of(
            &earlier,
            on,
            police_called,
            Some(crate::assessment::Escalation::STANDARD),
        );
        if let Some(e) = escalation.as_mut().filter(|_| rng.gen_bool(0.6)) {
            let decided_at = now - Duration::days(days_ago - 1);
            let referral = Referral {
                id: record::new_record_id(),
                case_id,
                agency: Agency::Marac,
                reason: e.prompt.text.clone(),
                status: ReferralStatus::Made,
                outcome: None,
                made_on: decided_at.date_naive(),
                assessment_id: None,
                consent_topic: None,
            };
            tx.put(&referral)?;
            marac_meeting(tx, &referral, now)?;
            e.decision = Some(PromptDecision {
                prompt_index: 0,
                decision: DecisionKind::Made,
                because: None,
                reason: None,
                referral_id: Some(referral.id),
                decided_at,
                decided_by: tx.user,
            });
        }
        let incident = Incident {
            id: record::new_record_id(),
            case_id,
            occurred_on: on,
            kind: [
                IncidentKind::Physical,
                IncidentKind::CoerciveControl,
                IncidentKind::Threats,
                IncidentKind::StalkingHarassment,
            ][rng.gen_range(0..4)],
            police_called,
            injuries: rng.gen_bool(0.3),
            children_present: rng.gen_bool(0.3),
            detail: None,
            escalation,
            recorded_at: now - Duration::days(days_ago - 1),
            recorded_by: tx.user,
        };
        tx.put(&incident)?;
        earlier.push(incident);
    }
    // A safety plan for everyone who reports incidents; some past their
    // review. (Its own generator: the demo's other choices stay as they were.)
    let rng = &mut StdRng::seed_from_u64(case_id.as_u128() as u64);
    {
        let places = [
            "Her sister's flat",
            "The women's centre drop-in",
            "A friend across town",
        ];
        let words = [
            "'Is the kettle on?' means call 999",
            "'Bring the blue bag' means come now",
        ];
        tx.put(&SafetyPlan {
            id: SafetyPlan::id_of(case_id),
            case_id,
            safe_places: Some(places[rng.gen_range(0..places.len())].into()),
            trusted_people: Some("Her sister; her GP".into()),
            code_words: Some(words[rng.gen_range(0..words.len())].into()),
            escape_bag: Some(
                "Documents, medication and a spare phone, kept at her sister's".into(),
            ),
            tech_safety: Some("Location sharing off; new email account".into()),
            child_arrangements: rng
                .gen_bool(0.5)
                .then(|| "School told who may collect the children".into()),
            review_on: (now + Duration::days(rng.gen_range(-20..60))).date_naive(),
            updated_at: now - Duration::days(rng.gen_range(1..60)),
            updated_by: tx.user,
        })?;
    }
    linked_people(tx, case_id, now)
}

/// The other party and any children of someone reporting incidents
/// (plainly fictional; their own generator).
fn linked_people(
    tx: &mut crate::api::Tx,
    case_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let rng = &mut StdRng::seed_from_u64(case_id.as_u128() as u64 ^ 0x6c69_6e6b);
    let user = tx.user;
    let link =
        |relation, name: &str, born, lives: &str, known, details: Option<&str>| LinkedPerson {
            id: record::new_record_id(),
            case_id,
            relation,
            name: name.into(),
            date_of_birth: born,
            lives: Some(lives.into()),
            known_to_childrens_services: known,
            details: details.map(Into::into),
            own_case_id: None,
            added_at: now,
            added_by: user,
        };
    let other = ["Example Exampleson", "Sample Partnerman", "Test Otherparty"];
    tx.put(&link(
        Relation::OtherParty,
        other[rng.gen_range(0..other.len())],
        None,
        "Across town (address withheld)",
        None,
        Some("Ex-partner; bail conditions until next month"),
    ))?;
    let children = ["Poppy Example", "Alfie Example", "Isla Example"];
    for child in children.iter().take(rng.gen_range(0..3)) {
        let born = (now - Duration::days(rng.gen_range(2 * 365..15 * 365))).date_naive();
        tx.put(&link(
            Relation::Child,
            child,
            Some(born),
            "With her",
            Some(rng.gen_bool(0.4)),
            None,
        ))?;
    }
    Ok(())
}

/// The MARAC meeting that heard a referral, a fortnight on (if that has
/// come), its outcome and the actions it agreed, some done.
fn marac_meeting(
    tx: &mut crate::api::Tx,
    referral: &Referral,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let rng = &mut StdRng::seed_from_u64(referral.id.as_u128() as u64);
    let meeting_on = referral.made_on + Duration::days(14);
    if meeting_on > now.date_naive() {
        return Ok(());
    }
    let meeting = MaracMeeting {
        id: record::new_record_id(),
        case_id: referral.case_id,
        referral_id: Some(referral.id),
        meeting_on,
        outcome: Some("Actions agreed; to be heard again if there is a further incident".into()),
        recorded_at: now.min(chrono::DateTime::from_naive_utc_and_offset(
            meeting_on.and_hms_opt(17, 0, 0).expect("a time"),
            chrono::Utc,
        )),
        recorded_by: tx.user,
    };
    tx.put(&meeting)?;
    let actions = [
        (
            Agency::Police,
            "Neighbourhood sergeant",
            "Flag the address for a priority response",
        ),
        (
            Agency::Housing,
            "Housing options officer",
            "Assess for a management move",
        ),
        (Agency::Idva, "IDVA", "Safety planning visit"),
    ];
    for (agency, owner, action) in actions.into_iter().take(rng.gen_range(1..4)) {
        let due_on = meeting_on + Duration::days(rng.gen_range(7..42));
        let done_on = (rng.gen_bool(0.6) && due_on <= now.date_naive()).then_some(due_on);
        tx.put(&MaracAction {
            id: record::new_record_id(),
            case_id: referral.case_id,
            meeting_id: meeting.id,
            agency,
            owner: owner.into(),
            action: action.into(),
            due_on,
            done_on,
        })?;
    }
    Ok(())
}

fn outcomes(
    tx: &mut crate::api::Tx,
    rng: &mut StdRng,
    mut episode: Episode,
    programme: Option<&Programme>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64> {
    let case_id = episode.case_id;
    let today = now.date_naive();
    let mut written = 0;
    let moved = |tx: &mut crate::api::Tx, stage: Stage, on: chrono::NaiveDate| {
        tx.put(&StageMove {
            id: record::new_record_id(),
            case_id,
            episode_id: episode.id,
            stage,
            moved_on: on,
            recorded_by: tx.user,
            recorded_at: now,
        })
    };
    let engaged_on = (episode.opened_on + Duration::days(rng.gen_range(1..20))).min(today);
    let engaged = rng.gen_bool(0.75);
    if engaged {
        moved(tx, Stage::Engaged, engaged_on)?;
        written += 1;
    }
    // Episodes of four months or more ago mostly ended: completed, or
    // (diversion) breached, or the person disengaged.
    let weeks = programme.and_then(|p| p.planned_weeks).unwrap_or(16);
    let planned_end = episode.opened_on + Duration::weeks(weeks);
    let end = match (engaged, planned_end < today && rng.gen_bool(0.8)) {
        (true, true) => Some(match rng.gen_range(0..10) {
            0..7 => Stage::Completed,
            7 if episode.route.is_some() => Stage::Breached,
            _ => Stage::Disengaged,
        }),
        _ => None,
    };
    let ended_on = planned_end.min(today);
    // A diversion's conditions, due within the contract.
    if episode.route.is_some() {
        for (kind, detail) in [
            (ConditionKind::Pathway, "Women's group, 6 sessions"),
            (ConditionKind::Apology, "Letter of apology"),
        ] {
            let due_on = episode.opened_on + Duration::weeks(weeks * 3 / 4);
            let status = match end {
                Some(Stage::Completed) => Some(ConditionStatus::Met),
                Some(Stage::Breached) if kind == ConditionKind::Pathway => {
                    Some(ConditionStatus::Missed)
                }
                _ if due_on < today && rng.gen_bool(0.7) => Some(ConditionStatus::Met),
                _ => None,
            };
            tx.put(&Condition {
                id: record::new_record_id(),
                case_id,
                episode_id: episode.id,
                kind,
                detail: Some(detail.into()),
                due_on,
                status: status.unwrap_or(ConditionStatus::Pending),
                status_on: status.map(|_| due_on.min(today)),
                note: None,
                set_at: now,
            })?;
            written += 1;
        }
    }
    // The programme's outcome areas, rated at the start and latest.
    if engaged {
        for area in programme.map_or(&[][..], |p| &p.outcome_areas[..]) {
            let first = rng.gen_range(2..6);
            for (rating, on) in [
                (first, engaged_on),
                (
                    (first + rng.gen_range(-1..5)).clamp(1, 10),
                    ended_on.max(engaged_on),
                ),
            ] {
                tx.put(&AreaRating {
                    id: record::new_record_id(),
                    case_id,
                    episode_id: episode.id,
                    area: area.clone(),
                    rating,
                    rated_on: on,
                    rated_by: tx.user,
                })?;
                written += 1;
            }
        }
    }
    if let Some(stage) = end {
        moved(tx, stage, ended_on.max(engaged_on))?;
        episode.status = EpisodeStatus::Closed;
        episode.closed_on = Some(ended_on.max(engaged_on));
        episode.closure_reason = Some(stage.label().to_owned());
        tx.put(&episode)?;
        written += 2;
        if stage == Stage::Completed && rng.gen_bool(0.6) {
            tx.put(&Feedback {
                id: Uuid::new_v5(&episode.id, b"feedback"),
                case_id,
                episode_id: episode.id,
                satisfaction: Some(rng.gen_range(3..=5)),
                words: None,
                given_on: ended_on,
            })?;
            written += 1;
        }
        // Follow-ups the programme names that have fallen due, mostly done.
        let months = programme.map_or(&[][..], |p| &p.follow_up_months[..]);
        for (m, due) in follow_ups_due(ended_on.max(engaged_on), months) {
            if due > today || !rng.gen_bool(0.8) {
                continue;
            }
            let result = match rng.gen_range(0..20) {
                0..17 => FollowUpResult::NoneKnown,
                17..19 => FollowUpResult::FurtherOffence,
                _ => FollowUpResult::CouldNotCheck,
            };
            let further = result == FollowUpResult::FurtherOffence;
            tx.put(&FollowUp {
                id: crate::api::follow_ups::follow_up_id(episode.id, m),
                case_id,
                episode_id: episode.id,
                months: m,
                result,
                offence_on: further.then(|| due - Duration::days(20)),
                offence: further.then(|| "shoplifting".into()),
                checked_on: due,
                recorded_at: now,
            })?;
            written += 1;
        }
    }
    let area = StatusArea::Accommodation;
    for (point, on) in [
        (StatusPoint::Start, episode.opened_on),
        (
            StatusPoint::Review,
            today - Duration::days(rng.gen_range(0..30)),
        ),
    ] {
        let values = area.values();
        tx.put(&StatusRecord {
            id: record::new_record_id(),
            case_id,
            area,
            value: values[rng.gen_range(0..values.len())].into(),
            point,
            recorded_on: on.min(today),
            recorded_by: tx.user,
        })?;
        written += 1;
    }
    if rng.gen_bool(0.8) {
        let pick = |rng: &mut StdRng, q: EqualityQuestion| {
            let answers = q.answers().unwrap_or(&["English"]);
            Some(answers[rng.gen_range(0..answers.len())].to_owned())
        };
        use EqualityQuestion::*;
        tx.put(&Equality {
            id: Uuid::new_v5(&case_id, b"equality"),
            case_id,
            // Most of the demo area's people are White British, as in much
            // of rural England and Wales.
            ethnicity: match rng.gen_bool(0.7) {
                true => Some("white_british".into()),
                false => pick(rng, Ethnicity),
            },
            sex: Some(
                if rng.gen_bool(0.9) {
                    "female"
                } else {
                    "prefer_not_to_say"
                }
                .into(),
            ),
            gender_identity: pick(rng, GenderIdentity),
            sexual_orientation: pick(rng, SexualOrientation),
            disability: pick(rng, Disability),
            religion: pick(rng, Religion),
            care_experience: pick(rng, CareExperience),
            first_language: pick(rng, FirstLanguage),
            interpreter: Some("no".into()),
        })?;
        written += 1;
    }
    if rng.gen_bool(0.3) {
        tx.put(&SupportGiven {
            id: record::new_record_id(),
            case_id,
            kind: SupportKind::FoodParcel,
            given_on: today - Duration::days(rng.gen_range(0..60)),
            amount_pence: None,
            note: None,
            given_by: tx.user,
        })?;
        written += 1;
    }
    Ok(written)
}
