//! The resources hold what the code asks for, in both languages: the same
//! messages, attributes and variables in English and Welsh, each parsing
//! cleanly, and every id the UI looks up (`.text("id")`,
//! `.text_with("id", …)`) present.

use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use waymark_l10n::{Language, Texts};

/// Each message and attribute (`id`, `id.attribute`), with the variables it uses.
fn entries(language: Language) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(language.resource())
        .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", language.code()));
    let mut found = BTreeMap::new();
    for entry in resource.body {
        match entry {
            ast::Entry::Message(m) => {
                let id = m.id.name.to_owned();
                if let Some(value) = &m.value {
                    let before = found.insert(id.clone(), variables(value));
                    assert!(before.is_none(), "{}: {id} twice", language.code());
                }
                for a in &m.attributes {
                    found.insert(format!("{id}.{}", a.id.name), variables(&a.value));
                }
            }
            ast::Entry::Junk { content } => panic!("{}: cannot read {content:?}", language.code()),
            _ => {}
        }
    }
    found
}

fn variables(pattern: &ast::Pattern<&str>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    walk_pattern(pattern, &mut names);
    names
}

fn walk_pattern(pattern: &ast::Pattern<&str>, names: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            walk_expression(expression, names);
        }
    }
}

fn walk_expression(expression: &ast::Expression<&str>, names: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            walk_inline(selector, names);
            for v in variants {
                walk_pattern(&v.value, names);
            }
        }
        ast::Expression::Inline(inline) => walk_inline(inline, names),
    }
}

fn walk_inline(inline: &ast::InlineExpression<&str>, names: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            names.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                walk_inline(a, names);
            }
            for a in &arguments.named {
                walk_inline(&a.value, names);
            }
        }
        ast::InlineExpression::Placeable { expression } => walk_expression(expression, names),
        _ => {}
    }
}

#[test]
fn english_and_welsh_hold_the_same_messages_attributes_and_variables() {
    let english = entries(Language::English);
    let welsh = entries(Language::Welsh);
    let only = |a: &BTreeMap<String, _>, b: &BTreeMap<String, _>| -> Vec<String> {
        a.keys().filter(|k| !b.contains_key(*k)).cloned().collect()
    };
    assert_eq!(
        only(&english, &welsh),
        Vec::<String>::new(),
        "in English, missing from Welsh"
    );
    assert_eq!(
        only(&welsh, &english),
        Vec::<String>::new(),
        "in Welsh, missing from English"
    );
    for (id, vars) in &english {
        assert_eq!(
            vars, &welsh[id],
            "{id}: the two languages use different variables"
        );
    }
    assert!(english.len() > 20, "the resources are read");
}

/// Every `.text("…")`, `.text_with("…"`, `.text_marked("…"`, `.rich("…"` in the UI's and the CLI's
/// source, every vocabulary named in `.term("…"` (its message
/// `term-…`), and every `"cli-…"` id the CLI names.
fn ids_used() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut used = BTreeMap::new();
    for dir in [
        "ui/src",
        "crates/waymark-cli/src",
        "crates/waymark-l10n/src",
    ] {
        let mut stack = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let whole = std::fs::read_to_string(&path).unwrap();
                    // A unit test may look up what is not there, on purpose.
                    let source = whole.split("#[cfg(test)]").next().unwrap();
                    // The CLI's own messages are named by their "cli-" ids
                    // (some chosen by a match before `said`).
                    for (at, _) in source.match_indices("\"cli-") {
                        let rest = &source[at + 1..];
                        let id = &rest[..rest.find('"').unwrap()];
                        used.insert(id.to_owned(), format!("{}", path.display()));
                    }
                    for call in [".text(", ".text_with(", ".text_marked(", ".rich(", ".term("] {
                        for (at, _) in source.match_indices(call) {
                            // rustfmt may break the line before the id.
                            let Some(rest) =
                                source[at + call.len()..].trim_start().strip_prefix('"')
                            else {
                                continue;
                            };
                            let id = &rest[..rest.find('"').unwrap()];
                            let id = match call {
                                ".term(" => format!("term-{id}"),
                                _ => id.to_owned(),
                            };
                            used.insert(id, format!("{}", path.display()));
                        }
                    }
                }
            }
        }
    }
    used
}

#[test]
fn every_id_the_code_looks_up_is_in_both_languages() {
    let used = ids_used();
    assert!(used.len() > 20, "the UI's lookups are found: {used:?}");
    for language in Language::ALL {
        let texts = Texts::new(language);
        let missing: Vec<_> = used.iter().filter(|(id, _)| !texts.has(id)).collect();
        assert!(
            missing.is_empty(),
            "{}: missing {missing:?}",
            language.code()
        );
    }
}

#[test]
fn every_message_is_used_or_built_by_the_code() {
    let used = ids_used();
    // Looked up by the library itself (dates), and every vocabulary the
    // forms offer (the app's choices come from the core's list by name).
    let mut built: Vec<String> = ["date", "date-time", "month-short"]
        .map(String::from)
        .to_vec();
    built.extend(
        waymark_model::commands::vocabularies()
            .into_keys()
            .map(|v| format!("term-{v}")),
    );
    built.extend(report_ids());
    let unused: Vec<String> = entries(Language::English)
        .into_keys()
        .map(|id| id.split('.').next().unwrap().to_owned())
        .filter(|id| !built.contains(id))
        .filter(|id| {
            !used
                .keys()
                .any(|u| u == id || u.starts_with(&format!("{id}.")))
        })
        .collect();
    assert!(unused.is_empty(), "messages nothing looks up: {unused:?}");
}

/// The vocabularies the app shows in words: every one the forms offer,
/// and those it shows on records.
fn vocabularies() -> waymark_model::views::Vocabularies {
    use waymark_model::vocab::*;
    let mut all = waymark_model::commands::vocabularies();
    for (name, values) in [
        ("condition_kind", ConditionKind::ALL),
        ("sign_off_subject", SignOffSubject::ALL),
        ("goal_status", GoalStatus::ALL),
        ("decision_kind", DecisionKind::ALL),
        ("decline_reason", DeclineReason::ALL),
        ("stage", Stage::ALL),
        ("episode_status", EpisodeStatus::ALL),
        ("disposal_route", DisposalRoute::ALL),
        ("programme_kind", ProgrammeKind::ALL),
        ("equality_question", EqualityQuestion::ALL),
        // A consent decision, stored as a yes or no.
        ("consent", &["agreed", "refused"][..]),
        (
            "role",
            &["worker", "supervisor", "manager", "admin", "volunteer"][..],
        ),
    ] {
        all.insert(
            name.to_owned(),
            values.iter().map(|v| v.to_string()).collect(),
        );
    }
    // Every kind of record the core writes (a conflict or a change set
    // aside names it).
    all.insert(
        "record_kind".to_owned(),
        waymark_core::record_kinds().map(str::to_owned).collect(),
    );
    all.insert(
        "record_field".to_owned(),
        waymark_core::record_fields()
            .into_iter()
            .map(str::to_owned)
            .collect(),
    );
    all
}

/// Each vocabulary's message selects on `$value` with one variant for
/// each of its values, no more, in both languages.
#[test]
fn every_value_of_every_vocabulary_has_its_words() {
    for language in Language::ALL {
        let resource = fluent_syntax::parser::parse(language.resource()).unwrap();
        for (vocabulary, values) in vocabularies() {
            let id = format!("term-{vocabulary}");
            let message = resource
                .body
                .iter()
                .find_map(|e| match e {
                    ast::Entry::Message(m) if m.id.name == id => Some(m),
                    _ => None,
                })
                .unwrap_or_else(|| panic!("{}: no {id}", language.code()));
            let pattern = message.value.as_ref().unwrap();
            let keys: BTreeSet<String> = match pattern.elements.as_slice() {
                [ast::PatternElement::Placeable {
                    expression: ast::Expression::Select { selector, variants },
                }] => {
                    assert!(
                        matches!(selector, ast::InlineExpression::VariableReference { id } if id.name == "value"),
                        "{id} selects on $value"
                    );
                    variants
                        .iter()
                        .map(|v| match &v.key {
                            ast::VariantKey::Identifier { name } => name.to_string(),
                            ast::VariantKey::NumberLiteral { value } => value.to_string(),
                        })
                        .collect()
                }
                _ => panic!("{}: {id} is one selection on $value", language.code()),
            };
            let wanted: BTreeSet<String> = values.iter().cloned().collect();
            assert_eq!(keys, wanted, "{}: {id}'s values", language.code());
            let texts = Texts::new(language);
            for v in &values {
                assert!(!texts.term(&vocabulary, v).is_empty(), "{vocabulary} {v}");
            }
        }
    }
}

/// Each field a conflict shows in words is a field of its kind, and its
/// vocabulary has words for every value.
#[test]
fn a_conflict_says_a_vocabulary_field_in_words() {
    let vocabularies = vocabularies();
    for (kind, field, vocabulary) in waymark_model::vocab::FIELD_VOCABULARIES {
        let fields = waymark_core::fields_of(kind).unwrap_or_else(|| panic!("{kind} is a kind"));
        assert!(fields.contains(field), "{kind}.{field}");
        assert!(
            vocabularies.contains_key(*vocabulary),
            "{kind}.{field}: {vocabulary} has words"
        );
    }
    assert_eq!(
        waymark_model::vocab::field_vocabulary("referral", "status"),
        Some("referral_status")
    );
    assert_eq!(waymark_model::vocab::field_vocabulary("note", "body"), None);
}

#[test]
fn welsh_is_not_english() {
    let (en, cy) = (Texts::new(Language::English), Texts::new(Language::Welsh));
    let english = entries(Language::English);
    // Words that are the same in both (names, a code) are few and listed.
    let same_in_both = [
        "brand",
        "date",
        "date-time",
        "report-word-grant",
        "report-word-sikh",
    ];
    let untranslated: Vec<_> = english
        .keys()
        .filter(|id| !same_in_both.contains(&id.as_str()) && !id.starts_with("month-short"))
        // Without its variables a message shows them unresolved in both.
        .filter(|id| en.text(id) == cy.text(id) && !en.text(id).contains("{$"))
        .collect();
    assert!(
        untranslated.is_empty(),
        "the same text in Welsh as in English: {untranslated:?}"
    );
}

/// Every reason the core gives for refusing a field, once (the match fails
/// to compile when a reason is added, so it is worded and tested here too).
fn every_reason() -> Vec<waymark_model::Reason> {
    use waymark_model::Reason as R;
    let (date, other) = (
        chrono::NaiveDate::from_ymd_opt(2999, 1, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 2, 3).unwrap(),
    );
    let d = |text: &str| text.parse::<chrono::NaiveDate>().unwrap();
    use waymark_model::vocab::NetworkFailure;
    use waymark_model::vocab::{ConditionKind, ConditionStatus, GuessAdvice, GuessWarning, Stage};
    let all = vec![
        R::Empty,
        R::TooLong { max: 200 },
        R::DateInFuture { date },
        R::InFuture,
        R::DateInPast { date },
        R::Before1900 { date },
        R::BeforeEpisodeOpened {
            date,
            opened: other,
        },
        R::BeforeLastMove { date, last: other },
        R::FromTo { min: 1, max: 1000 },
        R::AtLeast { min: 1 },
        R::NotPhoneNumber,
        R::NotEmailAddress,
        R::NeedListedTwice {
            need: "housing".into(),
        },
        R::RequiredToClose,
        R::AlreadyResolved,
        R::AtMost { max: 20 },
        R::NamedTwice {
            name: "safety".into(),
        },
        R::EndsBeforeStart,
        R::LongerThanADay,
        R::MoreThanAYearAhead,
        R::Required,
        R::BeforeMeeting {
            date,
            meeting: other,
        },
        R::NotAfterEpisodeClosed {
            date: other,
            closed: date,
        },
        R::AlreadyDone,
        R::AlreadyClosed,
        R::EpisodeClosed,
        R::NotAgreedConsent,
        R::NotANeed,
        R::PoundsFromTo {
            min_pence: 1,
            max_pence: 10_000_000,
        },
        R::ScoreOrWords { min: 1, max: 5 },
        R::BeforeAppointmentStarts,
        R::BeforeFlagRaised,
        R::FileTooLarge {
            tenths_of_mib: 110,
            limit_mib: 10,
        },
        R::NotAFileName,
        R::OtherNeedsWords,
        R::SameAsNoteText,
        R::NoLetterOrDigit,
        R::NotAUserName,
        R::GiveUserName {
            shared_laptop: false,
        },
        R::GiveUserName {
            shared_laptop: true,
        },
        R::PassphraseChanged,
        R::RemovedFromDevice {
            name: "amina".into(),
        },
        R::AlreadySignedOff,
        R::AlreadyDecided,
        R::SayWhyErased,
        R::AfterPeriodEnd {
            from: d("2999-01-01"),
            to: d("2026-02-03"),
        },
        R::PassphraseTooShort { min: 12 },
        R::NotEnrolledHere {
            name: "amina".into(),
        },
        R::ManagerReadsOnly,
        R::VolunteerNotesOnly,
        R::OnlySupervisorSignsOff,
        R::OnlySupervisorWritesNotes,
        R::OnlySupervisorErases,
        R::ConditionSettled {
            status: ConditionStatus::Missed,
            on: d("2026-02-03"),
        },
        R::OnlyVariedChangesDue,
        R::EpisodeStillOpen,
        R::FollowUpNotDue {
            months: 6,
            due: d("2999-01-01"),
        },
        R::FollowUpRecorded {
            months: 12,
            on: d("2026-02-03"),
        },
        R::ProgrammeNameTaken {
            name: "Peer mentoring".into(),
        },
        R::ProgrammeRetired {
            name: "Peer mentoring".into(),
        },
        R::OtherPartyNotACase,
        R::HasOwnCase,
        R::NoEscalation,
        R::NotOnDeviceYet,
        R::Removed,
        R::RestrictedWithoutAddress,
        R::FeedbackGiven {
            on: d("2026-02-03"),
        },
        R::TemplateVersionExists {
            key: "dash".into(),
            version: 2,
        },
        R::RecoveryKeyFirst,
        R::OnlyConfirmedAdmin,
        R::LogInFirst,
        R::DeclinedOnly,
        R::Unreachable {
            failure: NetworkFailure::Refused,
        },
        R::NotConnectedYet,
        R::NotAServerAddress,
        R::UnknownCredentials,
        R::EnrolmentCodeRefused,
        R::ChooseOwnPassphrase,
        R::AccountDisabled,
        R::AccessWithdrawn,
        R::OnlyAdmin {
            task: waymark_model::vocab::AdminTask::AddProgramme,
        },
        R::NoSuchProgramme {
            name: "Nope".into(),
            open: vec![],
        },
        R::NoSuchProgramme {
            name: "Nope".into(),
            open: vec!["Diversion scheme".into(), "Women's centre".into()],
        },
        R::EpisodeEnded {
            stage: Stage::ReturnedToCourt,
        },
        R::NotOnward {
            stage: Stage::Referred,
            onward: vec![Stage::Engaged, Stage::Declined],
            to: Stage::Completed,
        },
        R::NoDisposalRoute,
        R::ConditionsNotMet {
            unmet: vec![
                (ConditionKind::UnpaidHours, date, ConditionStatus::Varied),
                (ConditionKind::Apology, other, ConditionStatus::Pending),
            ],
        },
        R::EasyToGuess {
            warning: Some(GuessWarning::CommonPassword),
            advice: GuessAdvice::AddAWordOrTwo,
        },
        R::EasyToGuess {
            warning: None,
            advice: GuessAdvice::UseAFewWords,
        },
        R::FollowUpMonths {
            programme: "Diversion scheme".into(),
            months: vec![],
            asked: 6,
        },
        R::FollowUpMonths {
            programme: "Diversion scheme".into(),
            months: vec![3, 6, 12],
            asked: 9,
        },
        R::NotAnOutcomeArea {
            programme: "Women's centre".into(),
            areas: vec![],
            asked: "Housing".into(),
        },
        R::NotAnOutcomeArea {
            programme: "Women's centre".into(),
            areas: vec!["Housing".into(), "Wellbeing".into()],
            asked: "Money".into(),
        },
        R::InNoProgramme {
            for_follow_ups: true,
        },
        R::InNoProgramme {
            for_follow_ups: false,
        },
        R::OnlyReportRoles,
        R::NoSuchTeam {
            asked: "North".into(),
            teams: vec![],
        },
        R::NoSuchTeam {
            asked: "North".into(),
            teams: vec!["East".into(), "West".into()],
        },
        R::ProgrammeNamedMoreThanOnce {
            name: "Diversion scheme".into(),
            count: 2,
        },
        R::RouteOnlyForDiversion {
            programme: "Women's centre".into(),
        },
        R::NotAMaracReferral,
        R::NotARiskAssessment {
            template: "Wellbeing check".into(),
        },
        R::NoSuchAction { count: 1 },
        R::NoSuchAction { count: 3 },
        R::NoSuchPrompt { number: 4 },
        R::NoSuchTemplate {
            key: "dash".into(),
            version: None,
        },
        R::NoSuchTemplate {
            key: "dash".into(),
            version: Some(3),
        },
        R::MetMissedOrVaried,
        R::SetOrAskInTerminal {
            var: "WAYMARK_PASSPHRASE".into(),
        },
        R::PassphrasesDiffer,
        R::SayWhyNotMade,
    ];
    let place = |r: &R| match r {
        R::Empty => 0,
        R::TooLong { .. } => 1,
        R::DateInFuture { .. } => 2,
        R::InFuture => 3,
        R::DateInPast { .. } => 4,
        R::Before1900 { .. } => 5,
        R::BeforeEpisodeOpened { .. } => 6,
        R::BeforeLastMove { .. } => 7,
        R::FromTo { .. } => 8,
        R::AtLeast { .. } => 9,
        R::NotPhoneNumber => 10,
        R::NotEmailAddress => 11,
        R::NeedListedTwice { .. } => 12,
        R::RequiredToClose => 13,
        R::AlreadyResolved => 14,
        R::AtMost { .. } => 15,
        R::NamedTwice { .. } => 16,
        R::EndsBeforeStart => 17,
        R::LongerThanADay => 18,
        R::MoreThanAYearAhead => 19,
        R::Required => 20,
        R::BeforeMeeting { .. } => 21,
        R::NotAfterEpisodeClosed { .. } => 22,
        R::AlreadyDone => 23,
        R::AlreadyClosed => 24,
        R::EpisodeClosed => 25,
        R::NotAgreedConsent => 26,
        R::NotANeed => 27,
        R::PoundsFromTo { .. } => 28,
        R::ScoreOrWords { .. } => 29,
        R::BeforeAppointmentStarts => 30,
        R::BeforeFlagRaised => 31,
        R::FileTooLarge { .. } => 32,
        R::NotAFileName => 33,
        R::OtherNeedsWords => 34,
        R::SameAsNoteText => 35,
        R::NoLetterOrDigit => 36,
        R::NotAUserName => 37,
        R::GiveUserName {
            shared_laptop: false,
        } => 38,
        R::GiveUserName {
            shared_laptop: true,
        } => 39,
        R::PassphraseChanged => 40,
        R::RemovedFromDevice { .. } => 41,
        R::AlreadySignedOff => 42,
        R::AlreadyDecided => 43,
        R::SayWhyErased => 44,
        R::AfterPeriodEnd { .. } => 45,
        R::PassphraseTooShort { .. } => 46,
        R::NotEnrolledHere { .. } => 47,
        R::ManagerReadsOnly => 48,
        R::VolunteerNotesOnly => 49,
        R::OnlySupervisorSignsOff => 50,
        R::OnlySupervisorWritesNotes => 51,
        R::OnlySupervisorErases => 52,
        R::ConditionSettled { .. } => 53,
        R::OnlyVariedChangesDue => 54,
        R::EpisodeStillOpen => 55,
        R::FollowUpNotDue { .. } => 56,
        R::FollowUpRecorded { .. } => 57,
        R::ProgrammeNameTaken { .. } => 58,
        R::ProgrammeRetired { .. } => 59,
        R::OtherPartyNotACase => 60,
        R::HasOwnCase => 61,
        R::NoEscalation => 62,
        R::NotOnDeviceYet => 63,
        R::Removed => 64,
        R::RestrictedWithoutAddress => 65,
        R::FeedbackGiven { .. } => 66,
        R::TemplateVersionExists { .. } => 67,
        R::RecoveryKeyFirst => 68,
        R::OnlyConfirmedAdmin => 69,
        R::LogInFirst => 70,
        R::DeclinedOnly => 71,
        R::Unreachable { .. } => 72,
        R::NotConnectedYet => 73,
        R::NotAServerAddress => 74,
        R::UnknownCredentials => 75,
        R::EnrolmentCodeRefused => 76,
        R::ChooseOwnPassphrase => 77,
        R::AccountDisabled => 78,
        R::AccessWithdrawn => 79,
        R::OnlyAdmin { .. } => 80,
        R::NoSuchProgramme { open, .. } if open.is_empty() => 81,
        R::NoSuchProgramme { .. } => 82,
        R::EpisodeEnded { .. } => 83,
        R::NotOnward { .. } => 84,
        R::NoDisposalRoute => 85,
        R::ConditionsNotMet { .. } => 86,
        R::EasyToGuess {
            warning: Some(_), ..
        } => 87,
        R::EasyToGuess { .. } => 88,
        R::FollowUpMonths { months, .. } if months.is_empty() => 89,
        R::FollowUpMonths { .. } => 90,
        R::NotAnOutcomeArea { areas, .. } if areas.is_empty() => 91,
        R::NotAnOutcomeArea { .. } => 92,
        R::InNoProgramme {
            for_follow_ups: true,
        } => 93,
        R::InNoProgramme { .. } => 94,
        R::OnlyReportRoles => 95,
        R::NoSuchTeam { teams, .. } if teams.is_empty() => 96,
        R::NoSuchTeam { .. } => 97,
        R::ProgrammeNamedMoreThanOnce { .. } => 98,
        R::RouteOnlyForDiversion { .. } => 99,
        R::NotAMaracReferral => 100,
        R::NotARiskAssessment { .. } => 101,
        R::NoSuchAction { count: 1 } => 102,
        R::NoSuchAction { .. } => 103,
        R::NoSuchPrompt { .. } => 104,
        R::NoSuchTemplate { version: None, .. } => 105,
        R::NoSuchTemplate { .. } => 106,
        R::MetMissedOrVaried => 107,
        R::SetOrAskInTerminal { .. } => 108,
        R::PassphrasesDiffer => 109,
        R::SayWhyNotMade => 110,
    };
    assert_eq!(
        all.iter().map(place).collect::<Vec<_>>(),
        (0..111).collect::<Vec<_>>(),
        "each reason once"
    );
    all
}

/// A refused field reads in English on screen as the core (and the CLI)
/// says it, but with its days in UK form and its values in words; in Welsh
/// in words of its own.
#[test]
fn every_reason_a_field_is_refused_for_is_said_in_both_languages() {
    let (en, cy) = (Texts::new(Language::English), Texts::new(Language::Welsh));
    for reason in every_reason() {
        let core = reason
            .to_string()
            .replace("2999-01-01", "1 Jan 2999")
            .replace("2026-02-03", "3 Feb 2026")
            .replace("housing", &en.term("need_area", "housing"))
            .replace("unpaid_hours", &en.term("condition_kind", "unpaid_hours"))
            .replace("apology", &en.term("condition_kind", "apology"));
        // The decline reasons a refusal lists, in words on screen.
        let core = match reason {
            waymark_model::Reason::SayWhyNotMade => waymark_model::vocab::DeclineReason::ALL
                .iter()
                .fold(core, |core, r| {
                    core.replace(r, &en.term("decline_reason", r))
                }),
            _ => core,
        };
        let english = en.reason(&reason);
        assert_eq!(english, core, "{reason:?} in English");
        let welsh = cy.reason(&reason);
        assert_ne!(welsh, english, "{reason:?} in Welsh");
        assert!(!welsh.contains('⟦'), "{reason:?} in Welsh: {welsh}");
        if matches!(reason, waymark_model::Reason::DateInFuture { .. }) {
            assert!(welsh.contains("1 Ion 2999"), "a UK date in Welsh: {welsh}");
        }
        // A problem with a reason says it; without one, the core's words.
        let problem = waymark_model::Problem::because("a_field", reason.clone());
        assert_eq!(cy.about(&problem, "a_field"), Some(welsh.clone()));
        assert_eq!(cy.about(&problem, "another"), None);
        assert_eq!(cy.problem_line(&problem), format!("a field: {welsh}"));
    }
    // Each way the server can be out of reach, in both.
    for failure in waymark_model::vocab::NetworkFailure::ALL {
        let failure = failure.parse().unwrap();
        let reason = waymark_model::Reason::Unreachable { failure };
        assert_eq!(en.reason(&reason), reason.to_string(), "{failure:?}");
        let welsh = cy.reason(&reason);
        assert!(welsh.ends_with("mae eich gwaith wedi'i gadw"), "{welsh}");
        assert_ne!(welsh, en.reason(&reason));
    }
    // Each thing zxcvbn finds, and each of its suggestions, in both.
    for warning in waymark_model::vocab::GuessWarning::ALL {
        let warning = warning.parse().unwrap();
        let reason = waymark_model::Reason::EasyToGuess {
            warning: Some(warning),
            advice: waymark_model::vocab::GuessAdvice::AvoidSequences,
        };
        assert_eq!(en.reason(&reason), reason.to_string(), "{warning:?}");
        assert_ne!(cy.reason(&reason), en.reason(&reason), "{warning:?}");
    }
    for advice in waymark_model::vocab::GuessAdvice::ALL {
        let advice = advice.parse().unwrap();
        let reason = waymark_model::Reason::EasyToGuess {
            warning: None,
            advice,
        };
        assert_eq!(en.reason(&reason), reason.to_string(), "{advice:?}");
        assert_ne!(cy.reason(&reason), en.reason(&reason), "{advice:?}");
    }
    // Each task only an admin does, in both.
    for task in waymark_model::vocab::AdminTask::ALL {
        let task = task.parse().unwrap();
        let reason = waymark_model::Reason::OnlyAdmin { task };
        assert_eq!(en.reason(&reason), reason.to_string(), "{task:?}");
        assert_ne!(cy.reason(&reason), en.reason(&reason), "{task:?}");
    }
    let plain = waymark_model::Problem::at("a_field", "is not ours to say");
    assert_eq!(cy.problem(&plain), "is not ours to say");
}

/// A report as the screens show it: every section, table and measure it
/// can hold, and every word of its rows and columns but what people named.
fn every_report_part() -> waymark_model::report::Report {
    use waymark_model::report::{compute, outreach, Scope, Teams};
    use waymark_model::vocab::HelpKind;
    let day = |text: &str| text.parse::<chrono::NaiveDate>().unwrap();
    let scope = Scope {
        from: day("2026-01-01"),
        to: day("2026-12-31"),
        programme: None,
        team: None,
    };
    let mut report = compute(&[], &[], &Teams::new(), &scope);
    let tally = waymark_model::records::OutreachTally {
        id: uuid::Uuid::nil(),
        log_id: uuid::Uuid::nil(),
        counted_on: day("2026-02-03"),
        site: "Market car park".into(),
        count: 3,
        help: HelpKind::ALL.iter().map(|h| h.parse().unwrap()).collect(),
        note: None,
        team: None,
        recorded_at: chrono::DateTime::UNIX_EPOCH,
        recorded_by: uuid::Uuid::nil(),
    };
    report.sections.extend(outreach(&[tally], &scope));
    report
}

/// The words of a report's rows and columns said by the screens: all but
/// what people named (rows marked data, and numbers), with the one word
/// that appears only when a free-text answer is rare.
fn every_report_word(report: &waymark_model::report::Report) -> BTreeSet<String> {
    let mut words: BTreeSet<String> = ["others, fewer than 5 each".to_owned()].into();
    for b in report.sections.iter().flat_map(|s| &s.breakdowns) {
        words.extend(b.table.columns.iter().cloned());
        if !b.rows_are_data {
            words.extend(b.table.rows.iter().cloned());
        }
    }
    words.retain(|w| !w.chars().all(|c| c.is_ascii_digit()));
    words
}

/// On screen a report reads in the person's language: in English as the
/// published file says it, in Welsh in words of its own, every part.
#[test]
fn every_part_of_a_report_is_said_in_both_languages() {
    use waymark_model::report::{words, Measure};
    let (en, cy) = (Texts::new(Language::English), Texts::new(Language::Welsh));
    let report = every_report_part();
    let welsh_ok = |text: String, what: &str| {
        assert!(
            !text.contains('⟦') && !text.is_empty(),
            "{what} in Welsh: {text}"
        );
        text
    };
    assert!(report.sections.len() > 10, "{}", report.sections.len());
    for s in &report.sections {
        assert_eq!(en.report_section(&s.key), s.title, "section {}", s.key);
        let welsh = welsh_ok(cy.report_section(&s.key), &s.key);
        assert_ne!(welsh, s.title, "section {} in Welsh", s.key);
        for b in &s.breakdowns {
            assert_eq!(en.report_table(&b.key), b.title, "table {}", b.key);
            let welsh = welsh_ok(cy.report_table(&b.key), &b.key);
            assert_ne!(welsh, b.title, "table {} in Welsh", b.key);
        }
        for m in &s.measures {
            let file = format!("{}: {}, n = {}", m.title, m.shown(), m.n);
            assert_eq!(waymark_l10n::plain(&en.report_measure(m)), file);
            welsh_ok(waymark_l10n::plain(&cy.report_measure(m)), &m.key);
        }
    }
    let words_said = every_report_word(&report);
    assert!(words_said.len() > 80, "{}", words_said.len());
    for w in &words_said {
        assert_eq!(en.report_word(w), Some(words(w)), "{w:?} in English");
        let welsh = cy
            .report_word(w)
            .unwrap_or_else(|| panic!("{w:?} in Welsh"));
        welsh_ok(welsh, w);
    }
    // What people named is no word of the report's: shown as it is.
    assert_eq!(cy.report_word("Market car park"), None);
    // A distance travelled, shown and not, names its area as data.
    let distance = |value: Option<f64>| Measure {
        key: "distance_confidence".into(),
        title: "Confidence: distance travelled (cases rated twice or more)".into(),
        area: Some("Confidence".into()),
        n: waymark_model::report::Figure::Count(if value.is_some() { 7 } else { 0 }),
        value,
        detail: value.map(|_| "from 3.2 to 6.8".into()),
        span: value.map(|_| (3.2, 6.8)),
        behind: vec![],
    };
    for m in [distance(Some(3.6)), distance(None)] {
        let file = format!("{}: {}, n = {}", m.title, m.shown(), m.n);
        assert_eq!(waymark_l10n::plain(&en.report_measure(&m)), file);
        let welsh = cy.report_measure(&m);
        assert!(
            welsh.contains(&waymark_l10n::Piece::Data("Confidence".into())),
            "{welsh:?}"
        );
        welsh_ok(waymark_l10n::plain(&welsh), &m.key);
    }
}

/// The report's messages, built from its keys and words.
fn report_ids() -> Vec<String> {
    let report = every_report_part();
    let mut ids = vec![
        "report-section-equality".to_owned(),
        "report-measure-distance".to_owned(),
        "report-measure-change".to_owned(),
        "report-measure-none".to_owned(),
        "report-measure-hidden".to_owned(),
    ];
    for of in ["engaged", "endings", "reoffending", "housed"] {
        ids.push(format!("report-table-equality-{of}"));
    }
    for s in &report.sections {
        if !s.key.starts_with("equality_") {
            ids.push(format!("report-section-{}", s.key));
        }
        for b in s
            .breakdowns
            .iter()
            .filter(|b| !b.key.starts_with("equality_"))
        {
            ids.push(format!("report-table-{}", b.key));
        }
        for m in &s.measures {
            ids.push(format!("report-measure-{}", m.key));
        }
    }
    for w in every_report_word(&report) {
        ids.push(format!("report-word-{}", waymark_l10n::report_word_id(&w)));
    }
    ids
}
