//! Waymark's words, in English and Welsh.
//!
//! Every string the app shows people comes from a Fluent resource
//! (`locales/<language>/waymark.ftl`, compiled in) through [`Texts`]: the
//! UI holds one for the language the person chose and switches it at once.
//! A message is looked up by its id (`unlock-title`) or an attribute of it
//! (`field-user.hint`). The two resources hold the same ids, attributes and
//! variables (`tests/resources.rs`), and every id the code asks for exists
//! in both.
//!
//! A pseudo-locale ([`Texts::pseudo`]) accents every letter the resources
//! give, so text on screen that is still plain ASCII did not come from them:
//! the end-to-end test looks for it.
//!
//! What people typed (names, notes) and the core's validation messages
//! (`Problem`) are not translated here.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
use std::borrow::Cow;
use waymark_model::views::TimelineEvent;
use waymark_model::{Problem, Reason};

pub use fluent_bundle::FluentValue;

/// A language the app is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    English,
    Welsh,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::Welsh];

    /// Its BCP 47 tag, as `lang` attributes and settings carry it.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en-GB",
            Language::Welsh => "cy",
        }
    }

    /// `en`, `en-GB`, `cy`, `cy-GB` (any case, `_` or `-`); a POSIX locale
    /// such as `cy_GB.UTF-8` too.
    pub fn from_code(code: &str) -> Option<Language> {
        let code = code.split(['.', '@']).next()?.to_ascii_lowercase();
        match code.split(['-', '_']).next()? {
            "en" => Some(Language::English),
            "cy" => Some(Language::Welsh),
            _ => None,
        }
    }

    /// Its name in itself, as a language switch offers it.
    pub fn own_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Welsh => "Cymraeg",
        }
    }

    /// The Fluent resource, as written.
    pub fn resource(self) -> &'static str {
        match self {
            Language::English => include_str!("../locales/en-GB/waymark.ftl"),
            Language::Welsh => include_str!("../locales/cy/waymark.ftl"),
        }
    }
}

/// The words of one language, ready to format.
pub struct Texts {
    language: Language,
    pseudo: bool,
    bundle: FluentBundle<FluentResource>,
}

impl PartialEq for Texts {
    fn eq(&self, other: &Texts) -> bool {
        (self.language, self.pseudo) == (other.language, other.pseudo)
    }
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Texts({}{})",
            self.language.code(),
            if self.pseudo { ", pseudo" } else { "" }
        )
    }
}

/// Every ASCII letter for an accented one, so that no letter of a looked-up
/// text stays plain (the fluent-pseudo crate leaves some plain).
fn accented(s: &str) -> Cow<'_, str> {
    const LOWER: [char; 26] = [
        'ȧ', 'ƀ', 'ƈ', 'ḓ', 'ḗ', 'ƒ', 'ɠ', 'ħ', 'ī', 'ĵ', 'ķ', 'ŀ', 'ḿ', 'ƞ', 'ǿ', 'ƥ', 'ɋ', 'ř',
        'ş', 'ŧ', 'ŭ', 'ṽ', 'ẇ', 'ẋ', 'ẏ', 'ẑ',
    ];
    const UPPER: [char; 26] = [
        'Ȧ', 'Ɓ', 'Ƈ', 'Ḓ', 'Ḗ', 'Ƒ', 'Ɠ', 'Ħ', 'Ī', 'Ĵ', 'Ķ', 'Ŀ', 'Ḿ', 'Ƞ', 'Ǿ', 'Ƥ', 'Ɋ', 'Ř',
        'Ş', 'Ŧ', 'Ŭ', 'Ṽ', 'Ẇ', 'Ẋ', 'Ẏ', 'Ẑ',
    ];
    if !s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| match c {
            'a'..='z' => LOWER[(c as u8 - b'a') as usize],
            'A'..='Z' => UPPER[(c as u8 - b'A') as usize],
            c => c,
        })
        .collect::<String>()
        .into()
}

impl Texts {
    pub fn new(language: Language) -> Texts {
        Texts::build(language, false)
    }

    /// The language's words with every letter accented ("Ŭƞŀǿƈķ"): what
    /// is still plain on screen was not looked up.
    pub fn pseudo(language: Language) -> Texts {
        Texts::build(language, true)
    }

    fn build(language: Language, pseudo: bool) -> Texts {
        let tag: unic_langid::LanguageIdentifier = language
            .code()
            .parse()
            .expect("a language's own tag parses");
        let mut bundle = FluentBundle::new(vec![tag]);
        // One direction only (English and Welsh): no isolation marks
        // around values, which would reach copied text and the tests.
        bundle.set_use_isolating(false);
        if pseudo {
            bundle.set_transform(Some(accented));
        }
        let resource = FluentResource::try_new(language.resource().to_owned())
            .unwrap_or_else(|(_, errors)| panic!("{} resource: {errors:?}", language.code()));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("{} resource: {errors:?}", language.code()));
        Texts {
            language,
            pseudo,
            bundle,
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    pub fn is_pseudo(&self) -> bool {
        self.pseudo
    }

    /// Whether `id` (a message, or `message.attribute`) exists.
    pub fn has(&self, id: &str) -> bool {
        let (message, attribute) = split_id(id);
        match self.bundle.get_message(message) {
            Some(m) => match attribute {
                Some(a) => m.get_attribute(a).is_some(),
                None => m.value().is_some(),
            },
            None => false,
        }
    }

    /// The text of `id` (a message, or `message.attribute`).
    pub fn text(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// Items said as a list: "3, 6 and 12" ("3, 6 a 12").
    pub fn and_list(&self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [first @ .., last] => self.text_with(
                "list-and",
                &[
                    ("first", first.join(", ").into()),
                    ("last", last.as_str().into()),
                ],
            ),
        }
    }

    /// The text of `id` with its variables: `&[("count", 3.into())]`.
    pub fn text_with(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        self.format(id, Some(&fluent_args))
    }

    /// A missing id shows as itself in brackets: visible on screen, and a
    /// test fails on it (`tests/resources.rs` checks every id the code uses).
    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let (message, attribute) = split_id(id);
        let pattern = self
            .bundle
            .get_message(message)
            .and_then(|m| match attribute {
                Some(a) => m.get_attribute(a).map(|a| a.value()),
                None => m.value(),
            });
        let Some(pattern) = pattern else {
            return format!("⟦{id}⟧");
        };
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    /// The text of `id` in pieces, so a screen can mark what people wrote
    /// (names, notes: `data`) apart from the app's own words (`words`, and
    /// the message's text): a screen reader or translator then leaves the
    /// data as it is, and the pseudo-locale check skips exactly it.
    pub fn text_marked(
        &self,
        id: &str,
        words: &[(&str, FluentValue<'_>)],
        data: &[(&str, &str)],
    ) -> Vec<Piece> {
        // Each datum stands in the formatted text as a private-use marker
        // with its index (no letter the pseudo-locale would change), then
        // the text is cut at the markers.
        let mut args: Vec<(&str, FluentValue<'_>)> = words.to_vec();
        let markers: Vec<String> = (0..data.len())
            .map(|i| format!("{DATA_OPEN}{i}{DATA_CLOSE}"))
            .collect();
        for ((name, _), marker) in data.iter().zip(&markers) {
            args.push((name, marker.as_str().into()));
        }
        let text = self.text_with(id, &args);
        let mut pieces = Vec::new();
        let mut rest = text.as_str();
        while let Some(open) = rest.find(DATA_OPEN) {
            let after = &rest[open + DATA_OPEN.len_utf8()..];
            let Some(close) = after.find(DATA_CLOSE) else {
                break;
            };
            let Some((_, datum)) = after[..close]
                .parse::<usize>()
                .ok()
                .and_then(|i| data.get(i))
            else {
                break;
            };
            if open > 0 {
                pieces.push(Piece::Words(rest[..open].to_owned()));
            }
            pieces.push(Piece::Data((*datum).to_owned()));
            rest = &after[close + DATA_CLOSE.len_utf8()..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Words(rest.to_owned()));
        }
        pieces
    }

    /// A value of one of the closed vocabularies the forms offer, in words:
    /// `term("flag_kind", "risk_from_others")` is "Risk from others". Each
    /// vocabulary is one message, `term-<vocabulary>`, selecting on
    /// `$value` (`tests/resources.rs` checks it has every value).
    pub fn term(&self, vocabulary: &str, value: &str) -> String {
        self.text_with(&format!("term-{vocabulary}"), &[("value", value.into())])
    }

    /// A timeline entry's title in this language, what people wrote (a
    /// session's title, a programme's or a file's name) marked as data.
    pub fn timeline_event(&self, event: &TimelineEvent) -> Vec<Piece> {
        use TimelineEvent as E;
        match event {
            E::Note {
                contact_type,
                amended,
            } => {
                let contact = self.term("contact_type", contact_type.as_str());
                match amended {
                    false => self.text_marked("timeline-note", &[("contact", contact.into())], &[]),
                    true => self.text_marked(
                        "timeline-note-amended",
                        &[("contact", contact.into())],
                        &[],
                    ),
                }
            }
            E::Appointment { agency, outcome } => {
                let agency = self.term("agency", agency.as_str());
                match outcome {
                    None => {
                        self.text_marked("timeline-appointment", &[("agency", agency.into())], &[])
                    }
                    Some(o) => self.text_marked(
                        "timeline-appointment-outcome",
                        &[
                            ("agency", agency.into()),
                            (
                                "outcome",
                                self.term("appointment_outcome", o.as_str()).into(),
                            ),
                        ],
                        &[],
                    ),
                }
            }
            E::Attendance { title, attended } => match attended {
                true => self.text_marked("timeline-attended", &[], &[("title", title)]),
                false => self.text_marked("timeline-not-attended", &[], &[("title", title)]),
            },
            E::Assessment {
                template_key,
                score,
                level,
            } => self.text_marked(
                "timeline-assessment",
                &[("score", (*score).into())],
                &[("template", template_key), ("level", level)],
            ),
            E::Referral { agency, status } => self.text_marked(
                "timeline-referral",
                &[
                    ("agency", self.term("agency", agency.as_str()).into()),
                    (
                        "status",
                        self.term("referral_status", status.as_str()).into(),
                    ),
                ],
                &[],
            ),
            E::Goal { need_area } => self.text_marked(
                "timeline-goal",
                &[("area", self.term("need_area", need_area.as_str()).into())],
                &[],
            ),
            E::OutcomeRating { rating } => {
                self.text_marked("timeline-rating", &[("rating", (*rating).into())], &[])
            }
            E::FlagRaised { kind } => self.text_marked(
                "timeline-flag-raised",
                &[("kind", self.term("flag_kind", kind.as_str()).into())],
                &[],
            ),
            E::FlagResolved { kind } => self.text_marked(
                "timeline-flag-resolved",
                &[("kind", self.term("flag_kind", kind.as_str()).into())],
                &[],
            ),
            E::EpisodeOpened { programme } => {
                self.text_marked("timeline-episode-opened", &[], &[("programme", programme)])
            }
            E::EpisodeClosed { programme } => {
                self.text_marked("timeline-episode-closed", &[], &[("programme", programme)])
            }
            E::Attachment { file_name } => {
                self.text_marked("timeline-attachment", &[], &[("name", file_name)])
            }
        }
    }

    /// A problem's words in this language: its reason's when it has one,
    /// else the core's own (English) message.
    pub fn problem(&self, problem: &Problem) -> String {
        match &problem.reason {
            Some(reason) => self.reason(reason),
            None => problem.message.clone(),
        }
    }

    /// A problem on its own line: the field it is about (its name in
    /// words), then its words in this language.
    pub fn problem_line(&self, problem: &Problem) -> String {
        match &problem.field {
            Some(field) => format!("{}: {}", field.replace('_', " "), self.problem(problem)),
            None => self.problem(problem),
        }
    }

    /// The words for `field`, if the problem is about it.
    pub fn about(&self, problem: &Problem, field: &str) -> Option<String> {
        problem.is_about(field).then(|| self.problem(problem))
    }

    /// Why a field was refused, in this language (dates in UK form).
    pub fn reason(&self, reason: &Reason) -> String {
        use chrono::Datelike;
        let day = |d: &chrono::NaiveDate| self.date(d.year(), d.month(), d.day());
        match reason {
            Reason::Empty => self.text("reason-empty"),
            Reason::TooLong { max } => self.text_with("reason-too-long", &[("max", (*max).into())]),
            Reason::DateInFuture { date } => {
                self.text_with("reason-date-in-future", &[("date", day(date).into())])
            }
            Reason::InFuture => self.text("reason-in-future"),
            Reason::DateInPast { date } => {
                self.text_with("reason-date-in-past", &[("date", day(date).into())])
            }
            Reason::Before1900 { date } => {
                self.text_with("reason-before-1900", &[("date", day(date).into())])
            }
            Reason::BeforeEpisodeOpened { date, opened } => self.text_with(
                "reason-before-episode-opened",
                &[("date", day(date).into()), ("opened", day(opened).into())],
            ),
            Reason::BeforeLastMove { date, last } => self.text_with(
                "reason-before-last-move",
                &[("date", day(date).into()), ("last", day(last).into())],
            ),
            Reason::FromTo { min, max } => self.text_with(
                "reason-from-to",
                &[("min", (*min).into()), ("max", (*max).into())],
            ),
            Reason::AtLeast { min } => self.text_with("reason-at-least", &[("min", (*min).into())]),
            Reason::AtMost { max } => self.text_with("reason-at-most", &[("max", (*max).into())]),
            Reason::NamedTwice { name } => {
                self.text_with("reason-named-twice", &[("name", name.as_str().into())])
            }
            Reason::EndsBeforeStart => self.text("reason-ends-before-start"),
            Reason::LongerThanADay => self.text("reason-longer-than-a-day"),
            Reason::MoreThanAYearAhead => self.text("reason-more-than-a-year-ahead"),
            Reason::Required => self.text("reason-required"),
            Reason::BeforeMeeting { date, meeting } => self.text_with(
                "reason-before-meeting",
                &[("date", day(date).into()), ("meeting", day(meeting).into())],
            ),
            Reason::NotAfterEpisodeClosed { date, closed } => self.text_with(
                "reason-not-after-episode-closed",
                &[("date", day(date).into()), ("closed", day(closed).into())],
            ),
            Reason::AlreadyDone => self.text("reason-already-done"),
            Reason::AlreadyClosed => self.text("reason-already-closed"),
            Reason::EpisodeClosed => self.text("reason-episode-closed"),
            Reason::NotPhoneNumber => self.text("reason-not-phone-number"),
            Reason::NotEmailAddress => self.text("reason-not-email-address"),
            Reason::NeedListedTwice { need } => self.text_with(
                "reason-need-listed-twice",
                &[("need", self.term("need_area", need).into())],
            ),
            Reason::RequiredToClose => self.text("reason-required-to-close"),
            Reason::AlreadyResolved => self.text("reason-already-resolved"),
            Reason::NotAgreedConsent => self.text("reason-not-agreed-consent"),
            Reason::NotANeed => self.text("reason-not-a-need"),
            Reason::PoundsFromTo {
                min_pence,
                max_pence,
            } => self.text_with(
                "reason-pounds-from-to",
                &[
                    ("min", waymark_model::problem::pounds(*min_pence).into()),
                    ("max", waymark_model::problem::pounds(*max_pence).into()),
                ],
            ),
            Reason::ScoreOrWords { min, max } => self.text_with(
                "reason-score-or-words",
                &[("min", (*min).into()), ("max", (*max).into())],
            ),
            Reason::BeforeAppointmentStarts => self.text("reason-before-appointment-starts"),
            Reason::BeforeFlagRaised => self.text("reason-before-flag-raised"),
            Reason::FileTooLarge {
                tenths_of_mib,
                limit_mib,
            } => self.text_with(
                "reason-file-too-large",
                &[
                    (
                        "size",
                        format!("{}.{}", tenths_of_mib / 10, tenths_of_mib % 10).into(),
                    ),
                    ("limit", (*limit_mib).into()),
                ],
            ),
            Reason::NotAFileName => self.text("reason-not-a-file-name"),
            Reason::OtherNeedsWords => self.text("reason-other-needs-words"),
            Reason::SameAsNoteText => self.text("reason-same-as-note-text"),
            Reason::NoLetterOrDigit => self.text("reason-no-letter-or-digit"),
            Reason::NotAUserName => self.text("reason-not-a-user-name"),
            Reason::GiveUserName { shared_laptop } => match shared_laptop {
                true => self.text("reason-give-user-name-shared"),
                false => self.text("reason-give-user-name"),
            },
            Reason::PassphraseChanged => self.text("reason-passphrase-changed"),
            Reason::RemovedFromDevice { name } => self.text_with(
                "reason-removed-from-device",
                &[("name", name.as_str().into())],
            ),
            Reason::AlreadySignedOff => self.text("reason-already-signed-off"),
            Reason::AlreadyDecided => self.text("reason-already-decided"),
            Reason::SayWhyErased => self.text("reason-say-why-erased"),
            Reason::AfterPeriodEnd { from, to } => self.text_with(
                "reason-after-period-end",
                &[("from", day(from).into()), ("to", day(to).into())],
            ),
            Reason::PassphraseTooShort { min } => {
                self.text_with("reason-passphrase-too-short", &[("min", (*min).into())])
            }
            Reason::NotEnrolledHere { name } => self.text_with(
                "reason-not-enrolled-here",
                &[("name", name.as_str().into())],
            ),
            Reason::ManagerReadsOnly => self.text("reason-manager-reads-only"),
            Reason::VolunteerNotesOnly => self.text("reason-volunteer-notes-only"),
            Reason::OnlySupervisorSignsOff => self.text("reason-only-supervisor-signs-off"),
            Reason::OnlySupervisorWritesNotes => self.text("reason-only-supervisor-writes-notes"),
            Reason::OnlySupervisorErases => self.text("reason-only-supervisor-erases"),
            Reason::ConditionSettled { status, on } => self.text_with(
                "reason-condition-settled",
                &[("status", status.as_str().into()), ("on", day(on).into())],
            ),
            Reason::OnlyVariedChangesDue => self.text("reason-only-varied-changes-due"),
            Reason::EpisodeStillOpen => self.text("reason-episode-still-open"),
            Reason::FollowUpNotDue { months, due } => self.text_with(
                "reason-follow-up-not-due",
                &[("months", (*months).into()), ("due", day(due).into())],
            ),
            Reason::FollowUpRecorded { months, on } => self.text_with(
                "reason-follow-up-recorded",
                &[("months", (*months).into()), ("on", day(on).into())],
            ),
            Reason::ProgrammeNameTaken { name } => self.text_with(
                "reason-programme-name-taken",
                &[("name", name.as_str().into())],
            ),
            Reason::ProgrammeRetired { name } => self.text_with(
                "reason-programme-retired",
                &[("name", name.as_str().into())],
            ),
            Reason::OtherPartyNotACase => self.text("reason-other-party-not-a-case"),
            Reason::HasOwnCase => self.text("reason-has-own-case"),
            Reason::NoEscalation => self.text("reason-no-escalation"),
            Reason::NotOnDeviceYet => self.text("reason-not-on-device-yet"),
            Reason::Removed => self.text("reason-removed"),
            Reason::RestrictedWithoutAddress => self.text("reason-restricted-without-address"),
            Reason::FeedbackGiven { on } => {
                self.text_with("reason-feedback-given", &[("on", day(on).into())])
            }
            Reason::TemplateVersionExists { key, version } => self.text_with(
                "reason-template-version-exists",
                &[("key", key.as_str().into()), ("version", (*version).into())],
            ),
            Reason::RecoveryKeyFirst => self.text("reason-recovery-key-first"),
            Reason::OnlyConfirmedAdmin => self.text("reason-only-confirmed-admin"),
            Reason::LogInFirst => self.text("reason-log-in-first"),
            Reason::DeclinedOnly => self.text("reason-declined-only"),
            Reason::Unreachable { failure } => self.text_with(
                "reason-unreachable",
                &[("failure", failure.as_str().into())],
            ),
            Reason::NotConnectedYet => self.text("reason-not-connected-yet"),
            Reason::NotAServerAddress => self.text("reason-not-a-server-address"),
            Reason::UnknownCredentials => self.text("reason-unknown-credentials"),
            Reason::EnrolmentCodeRefused => self.text("reason-enrolment-code-refused"),
            Reason::ChooseOwnPassphrase => self.text("reason-choose-own-passphrase"),
            Reason::AccountDisabled => self.text("reason-account-disabled"),
            Reason::AccessWithdrawn => self.text("reason-access-withdrawn"),
            Reason::ConditionsNotMet { unmet } => {
                let each: Vec<String> = unmet
                    .iter()
                    .map(|(kind, due, status)| {
                        self.text_with(
                            "reason-condition-unmet",
                            &[
                                ("kind", self.term("condition_kind", kind.as_str()).into()),
                                ("due", day(due).into()),
                                ("status", status.as_str().into()),
                            ],
                        )
                    })
                    .collect();
                self.text_with(
                    "reason-conditions-not-met",
                    &[
                        ("count", unmet.len().into()),
                        ("unmet", each.join(", ").into()),
                    ],
                )
            }
            Reason::EpisodeEnded { stage } => self.text_with(
                "reason-episode-ended",
                &[("stage", self.term("stage", stage.as_str()).into())],
            ),
            Reason::NotOnward { stage, onward, to } => {
                let onward: Vec<String> = onward
                    .iter()
                    .map(|s| self.term("stage", s.as_str()))
                    .collect();
                self.text_with(
                    "reason-not-onward",
                    &[
                        ("stage", self.term("stage", stage.as_str()).into()),
                        ("onward", onward.join(", ").into()),
                        ("to", self.term("stage", to.as_str()).into()),
                    ],
                )
            }
            Reason::NoDisposalRoute => self.text("reason-no-disposal-route"),
            Reason::OnlyAdmin { task } => {
                self.text_with("reason-only-admin", &[("task", task.as_str().into())])
            }
            Reason::NoSuchProgramme { name, open } => match open.is_empty() {
                true => self.text_with(
                    "reason-no-such-programme",
                    &[("name", name.as_str().into())],
                ),
                false => self.text_with(
                    "reason-no-such-programme-listed",
                    &[
                        ("name", name.as_str().into()),
                        ("open", open.join(", ").into()),
                    ],
                ),
            },
            Reason::EasyToGuess { warning, advice } => {
                let advice = self.text_with("guess-advice", &[("advice", advice.as_str().into())]);
                match warning {
                    Some(warning) => self.text_with(
                        "reason-easy-to-guess-because",
                        &[
                            (
                                "warning",
                                self.text_with(
                                    "guess-warning",
                                    &[("warning", warning.as_str().into())],
                                )
                                .into(),
                            ),
                            ("advice", advice.into()),
                        ],
                    ),
                    None => self.text_with("reason-easy-to-guess", &[("advice", advice.into())]),
                }
            }
            Reason::FollowUpMonths {
                programme,
                months,
                asked,
            } => match months.as_slice() {
                [] => self.text_with(
                    "reason-no-follow-ups",
                    &[("programme", programme.as_str().into())],
                ),
                months => {
                    let at: Vec<String> = months.iter().map(|m| m.to_string()).collect();
                    self.text_with(
                        "reason-follow-up-months",
                        &[
                            ("programme", programme.as_str().into()),
                            ("months", self.and_list(&at).into()),
                            ("asked", (*asked).into()),
                        ],
                    )
                }
            },
            Reason::NotAnOutcomeArea {
                programme,
                areas,
                asked,
            } => match areas.is_empty() {
                true => self.text_with(
                    "reason-no-outcome-areas",
                    &[("programme", programme.as_str().into())],
                ),
                false => self.text_with(
                    "reason-not-an-outcome-area",
                    &[
                        ("programme", programme.as_str().into()),
                        ("areas", areas.join(", ").into()),
                        ("asked", asked.as_str().into()),
                    ],
                ),
            },
            Reason::InNoProgramme { for_follow_ups } => match for_follow_ups {
                true => self.text("reason-in-no-programme-follow-ups"),
                false => self.text("reason-in-no-programme-outcomes"),
            },
            Reason::OnlyReportRoles => self.text("reason-only-report-roles"),
            Reason::NoSuchTeam { asked, teams } => match teams.is_empty() {
                true => self.text_with("reason-no-team-yet", &[("asked", asked.as_str().into())]),
                false => self.text_with(
                    "reason-no-such-team",
                    &[
                        ("asked", asked.as_str().into()),
                        ("teams", teams.join(", ").into()),
                    ],
                ),
            },
            Reason::ProgrammeNamedMoreThanOnce { name, count } => self.text_with(
                "reason-programme-named-more-than-once",
                &[("name", name.as_str().into()), ("count", (*count).into())],
            ),
            Reason::RouteOnlyForDiversion { programme } => self.text_with(
                "reason-route-only-for-diversion",
                &[("programme", programme.as_str().into())],
            ),
            Reason::NotAMaracReferral => self.text("reason-not-a-marac-referral"),
            Reason::NotARiskAssessment { template } => self.text_with(
                "reason-not-a-risk-assessment",
                &[("template", template.as_str().into())],
            ),
            Reason::NoSuchAction { count } => {
                self.text_with("reason-no-such-action", &[("count", (*count).into())])
            }
            Reason::NoSuchPrompt { number } => {
                self.text_with("reason-no-such-prompt", &[("number", (*number).into())])
            }
            Reason::NoSuchTemplate { key, version } => match version {
                Some(version) => self.text_with(
                    "reason-no-such-template-version",
                    &[("key", key.as_str().into()), ("version", (*version).into())],
                ),
                None => self.text_with("reason-no-such-template", &[("key", key.as_str().into())]),
            },
            Reason::MetMissedOrVaried => self.text("reason-met-missed-or-varied"),
            Reason::SetOrAskInTerminal { var } => self.text_with(
                "reason-set-or-ask-in-terminal",
                &[("var", var.as_str().into())],
            ),
            Reason::PassphrasesDiffer => self.text("reason-passphrases-differ"),
            Reason::SayWhyNotMade => {
                let reasons: Vec<String> = waymark_model::vocab::DeclineReason::ALL
                    .iter()
                    .map(|r| self.term("decline_reason", r))
                    .collect();
                self.text_with(
                    "reason-say-why-not-made",
                    &[("reasons", reasons.join(", ").into())],
                )
            }
        }
    }

    /// A record's field as a conflict or a change set aside names it; one
    /// no record has (a newer device's) in plain words, never another's
    /// name (a selection gives its last variant for a value it lacks).
    pub fn record_field(&self, field: &str) -> String {
        const LAST: &str = "written_by";
        let said = self.term("record_field", field);
        match field != LAST && said == self.term("record_field", LAST) {
            true => waymark_model::report::words(&field.replace('.', "_")),
            false => said,
        }
    }

    /// A report section's title (`Section::key`).
    pub fn report_section(&self, key: &str) -> String {
        match key.strip_prefix("equality_") {
            Some(question) => self.text_with(
                "report-section-equality",
                &[("question", self.term("equality_question", question).into())],
            ),
            None => self.text(&format!("report-section-{key}")),
        }
    }

    /// A report table's title (`Breakdown::key`); the equality tables, one
    /// of four for each question.
    pub fn report_table(&self, key: &str) -> String {
        let Some(rest) = key.strip_prefix("equality_") else {
            return self.text(&format!("report-table-{key}"));
        };
        let (question, of) = ["endings", "reoffending", "housed"]
            .iter()
            .find_map(|of| Some((rest.strip_suffix(&format!("_{of}"))?, *of)))
            .unwrap_or((rest, "engaged"));
        self.text_with(
            &format!("report-table-equality-{of}"),
            &[("question", self.term("equality_question", question).into())],
        )
    }

    /// A report's row or column word ("ended otherwise", "asian_indian"),
    /// if it is one of the report's own; `None` for what people named (a
    /// first language, a site), shown as it is.
    pub fn report_word(&self, value: &str) -> Option<String> {
        let id = format!("report-word-{}", report_word_id(value));
        self.has(&id).then(|| self.text(&id))
    }

    /// A report's measure as a line: its title, its value as published
    /// (or why it is not), and how many it is over. A distance travelled
    /// names its outcome area as the organisation gave it (data).
    pub fn report_measure(&self, m: &waymark_model::report::Measure) -> Vec<Piece> {
        use waymark_model::report::Figure;
        let shown = match (m.value, m.span) {
            (Some(change), Some((from, to))) => self.text_with(
                "report-measure-change",
                &[
                    ("change", format!("{change:+.1}").into()),
                    ("from", format!("{from:.1}").into()),
                    ("to", format!("{to:.1}").into()),
                ],
            ),
            (Some(value), None) => format!("{value:.2}"),
            (None, _) if m.n == Figure::Count(0) => self.text("report-measure-none"),
            (None, _) => self.text("report-measure-hidden"),
        };
        let words = [("shown", shown.into()), ("n", m.n.to_string().into())];
        match &m.area {
            Some(area) => self.text_marked("report-measure-distance", &words, &[("area", area)]),
            None => self.text_marked(&format!("report-measure-{}", m.key), &words, &[]),
        }
    }

    /// A day in UK form, in this language: "3 Feb 2026", "3 Chwef 2026".
    pub fn date(&self, year: i32, month: u32, day: u32) -> String {
        self.text_with(
            "date",
            &[
                ("day", day.into()),
                (
                    "month",
                    self.text_with("month-short", &[("month", month.into())])
                        .into(),
                ),
                ("year", year.to_string().into()),
            ],
        )
    }

    /// A time on a day: "3 Feb 2026, 14:05".
    pub fn date_time(&self, year: i32, month: u32, day: u32, hour: u32, minute: u32) -> String {
        self.text_with(
            "date-time",
            &[
                ("date", self.date(year, month, day).into()),
                ("time", format!("{hour:02}:{minute:02}").into()),
            ],
        )
    }
}

const DATA_OPEN: char = '\u{E000}';
const DATA_CLOSE: char = '\u{E001}';

/// Part of a message: the app's words, or something people wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Words(String),
    Data(String),
}

/// A report word's message id: its letters and digits, each run of
/// anything else a hyphen ("not made: no_consent" → "not-made-no-consent").
pub fn report_word_id(value: &str) -> String {
    value
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Pieces as one plain text (the CLI's output).
pub fn plain(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Words(w) | Piece::Data(w) => w.as_str(),
        })
        .collect()
}

fn split_id(id: &str) -> (&str, Option<&str>) {
    match id.split_once('.') {
        Some((message, attribute)) => (message, Some(attribute)),
        None => (id, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_read_from_tags_and_posix_locales() {
        for (code, language) in [
            ("en", Language::English),
            ("en-GB", Language::English),
            ("en_GB.UTF-8", Language::English),
            ("cy", Language::Welsh),
            ("CY-gb", Language::Welsh),
            ("cy_GB.UTF-8@euro", Language::Welsh),
        ] {
            assert_eq!(Language::from_code(code), Some(language), "{code}");
        }
        for code in ["", "fr", "C", "POSIX", "english"] {
            assert_eq!(Language::from_code(code), None, "{code}");
        }
        for language in Language::ALL {
            assert_eq!(Language::from_code(language.code()), Some(language));
        }
    }

    #[test]
    fn dates_are_in_uk_form_in_both_languages() {
        let en = Texts::new(Language::English);
        assert_eq!(en.date(2026, 2, 3), "3 Feb 2026");
        assert_eq!(en.date(2026, 9, 30), "30 Sep 2026");
        assert_eq!(en.date_time(2026, 2, 3, 14, 5), "3 Feb 2026, 14:05");
        let cy = Texts::new(Language::Welsh);
        assert_eq!(cy.date(2026, 2, 3), "3 Chwef 2026");
        assert_eq!(cy.date_time(2026, 12, 25, 9, 0), "25 Rhag 2026, 09:00");
        // No thousands separator in a year, in either language.
        assert!(!en.date(2026, 1, 1).contains(','));
    }

    #[test]
    fn marked_text_keeps_data_apart_and_unaccented() {
        let en = Texts::new(Language::English);
        let pieces = en.text_marked(
            "due-marac-action",
            &[("agency", "MARAC".into())],
            &[("action", "Call {the} GP"), ("owner", "amina")],
        );
        assert_eq!(
            pieces,
            vec![
                Piece::Words("MARAC action overdue: ".into()),
                Piece::Data("Call {the} GP".into()),
                Piece::Words(" (MARAC, ".into()),
                Piece::Data("amina".into()),
                Piece::Words(")".into()),
            ]
        );
        let pseudo = Texts::pseudo(Language::English);
        let pieces = pseudo.text_marked(
            "due-marac-action",
            &[("agency", "x".into())],
            &[("action", "Plain"), ("owner", "o")],
        );
        assert!(pieces.contains(&Piece::Data("Plain".into())), "{pieces:?}");
        for p in &pieces {
            if let Piece::Words(w) = p {
                assert!(!w.contains("overdue"), "words accented: {w}");
            }
        }
    }

    #[test]
    fn a_missing_id_is_shown_bracketed_and_pseudo_accents_every_word() {
        let en = Texts::new(Language::English);
        assert_eq!(en.text("no-such-message"), "⟦no-such-message⟧");
        assert!(!en.has("no-such-message"));
        assert!(en.has("unlock-title"));
        let pseudo = Texts::pseudo(Language::English);
        let shown = pseudo.text("unlock-title");
        assert_ne!(shown, en.text("unlock-title"));
        assert!(
            !shown.chars().any(|c| c.is_ascii_alphabetic()),
            "every letter accented: {shown}"
        );
    }

    #[test]
    fn a_field_no_record_has_is_said_as_it_is_never_as_another() {
        let cy = Texts::new(Language::Welsh);
        assert_eq!(cy.record_field("phone"), "Ffôn");
        assert_eq!(cy.record_field("written_by"), "Ysgrifennwyd gan");
        assert_eq!(cy.record_field("favourite_colour"), "Favourite colour");
        let en = Texts::new(Language::English);
        assert_eq!(en.record_field("date_of_birth"), "Date of birth");
    }
}
