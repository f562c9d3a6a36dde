//! The closed vocabularies: each a set of values stored and sent as
//! snake_case text, with the list (`ALL`) that help texts, forms and error
//! messages ("must be one of ...") show.

use crate::Invalid;
use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }
        impl $name {
            pub const ALL: &'static [&'static str] = &[$($text),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text),+ } }
            /// Parses the text form, naming `field` and the allowed values on error.
            pub fn parse(field: &str, text: &str) -> Result<Self, Invalid> {
                text.parse().map_err(|problem| Invalid::new(field, problem))
            }
        }
        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                match text { $($text => Ok($name::$variant),)+
                    _ => Err(format!("{text:?} is not one of: {}", Self::ALL.join(", "))) }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

text_enum!(ContactType {
    FaceToFace = "face_to_face", Phone = "phone", Visit = "visit", Outreach = "outreach",
    Text = "text", Email = "email", Video = "video", Letter = "letter", Other = "other",
});
text_enum!(ReferralSource {
    Police = "police", Probation = "probation", Court = "court", LiaisonAndDiversion = "liaison_and_diversion",
    SelfReferral = "self", Health = "health", Housing = "housing", SocialCare = "social_care",
    VoluntarySector = "voluntary_sector", Other = "other",
});
text_enum!(EpisodeStatus { Open = "open", Closed = "closed" });
text_enum!(NeedArea {
    MentalHealth = "mental_health", SubstanceUse = "substance_use", Housing = "housing",
    DomesticAbuse = "domestic_abuse", Offending = "offending", Finance = "finance",
    PhysicalHealth = "physical_health", Education = "education_training_employment",
    FamilyAndChildren = "family_and_children", Other = "other",
});
text_enum!(GoalStatus { Active = "active", Achieved = "achieved", Dropped = "dropped" });
text_enum!(Agency {
    Probation = "probation", Court = "court", Gp = "gp", Housing = "housing", Police = "police",
    MentalHealth = "mental_health", SubstanceUse = "substance_use_service", SocialCare = "social_care",
    Marac = "marac", Idva = "idva", JobCentre = "job_centre", Solicitor = "solicitor",
    Refuge = "refuge", Other = "other",
});
text_enum!(AppointmentOutcome {
    Attended = "attended", DidNotAttend = "did_not_attend", Cancelled = "cancelled", Rescheduled = "rescheduled",
});
text_enum!(ReferralStatus { Made = "made", Accepted = "accepted", Declined = "declined", Closed = "closed" });
text_enum!(FlagKind {
    RiskFromOthers = "risk_from_others", RiskToSelf = "risk_to_self", RiskToOthers = "risk_to_others",
    ChildrenAtRisk = "children_at_risk", Stalking = "stalking", NoPhoneContact = "no_phone_contact",
    RefugeAddress = "refuge_address", Exploitation = "exploitation",
    HonourBasedAbuse = "honour_based_abuse", ForcedMarriage = "forced_marriage",
    ModernSlavery = "modern_slavery", Other = "other",
});

text_enum!(
    /// What a supervisor signs off as reviewed: a risk assessment, the
    /// decision on a MARAC prompt (an assessment's or an incident's), or a
    /// case's closure (an episode's).
    SignOffSubject {
        RiskAssessment = "risk_assessment", MaracDecision = "marac_decision", Closure = "closure",
    }
);

text_enum!(
    /// What happened in a domestic-abuse incident (its main kind).
    IncidentKind {
        Physical = "physical", Sexual = "sexual", CoerciveControl = "coercive_control",
        Threats = "threats", StalkingHarassment = "stalking_harassment", Economic = "economic",
        DamageToProperty = "damage_to_property", BreachOfOrder = "breach_of_order", Other = "other",
    }
);

text_enum!(DecisionKind { Made = "made", Declined = "declined" });
text_enum!(
    /// Help given at an outreach contact with someone who has no case.
    HelpKind {
        Information = "information", Food = "food", Clothing = "clothing",
        Hygiene = "hygiene", HarmReduction = "harm_reduction", Signposting = "signposting",
        EmotionalSupport = "emotional_support", Other = "other",
    }
);
text_enum!(
    /// How someone linked to a case is linked to the person: a child, a
    /// household member, or the other party in a domestic-abuse case.
    Relation {
        Child = "child", HouseholdMember = "household_member", OtherParty = "other_party",
    }
);
text_enum!(
    /// Why a prompted referral was not made: reported, so a fixed list
    /// (the words go in the decision's reason).
    DeclineReason {
        NoConsent = "no_consent", AlreadyReferred = "already_referred",
        RiskReduced = "risk_reduced", OutOfArea = "out_of_area", Other = "other",
    }
);
text_enum!(
    /// What a programme is: it decides which stages, routes and follow-ups
    /// make sense for its episodes.
    ProgrammeKind {
        Diversion = "diversion", WomensCentre = "womens_centre",
        LiaisonAndDiversion = "liaison_and_diversion", Iom = "iom",
        DomesticAbuse = "domestic_abuse", Outreach = "outreach", Other = "other",
    }
);

text_enum!(
    /// How a person diverted from court came to the programme.
    DisposalRoute {
        ConditionalCaution = "conditional_caution", CommunityResolution = "community_resolution",
        DeferredProsecution = "deferred_prosecution", Voluntary = "voluntary",
    }
);
text_enum!(
    /// Where an episode has got to. Every episode starts `referred` on the
    /// day it opens; each later move is its own dated record.
    Stage {
        Referred = "referred", Engaged = "engaged", Completed = "completed",
        Disengaged = "disengaged", Declined = "declined", Deselected = "deselected",
        Breached = "breached", ReturnedToCourt = "returned_to_court",
    }
);

impl Stage {
    /// The stages a worker may move an episode to from this one. Referred
    /// leads to engaged or to an end; engaged to an end; a person who
    /// declined, was deselected or breached may then be returned to court.
    /// Anyone coming back later is a new episode (a re-referral).
    pub fn next(self) -> &'static [Stage] {
        use Stage::*;
        match self {
            Referred => &[Engaged, Declined, Deselected, Disengaged, ReturnedToCourt],
            Engaged => &[Completed, Disengaged, Deselected, Breached, ReturnedToCourt],
            Declined | Deselected | Breached => &[ReturnedToCourt],
            Completed | Disengaged | ReturnedToCourt => &[],
        }
    }

    /// Whether the episode's work ends here (moving to it closes the
    /// episode).
    pub fn ends(self) -> bool {
        !matches!(self, Stage::Referred | Stage::Engaged)
    }

    /// The words a person reads ("returned to court").
    pub fn label(self) -> &'static str {
        match self {
            Stage::ReturnedToCourt => "returned to court",
            other => other.as_str(),
        }
    }
}

text_enum!(
    /// What a diversion's condition asks of the person.
    ConditionKind {
        NoFurtherOffence = "no_further_offence", Restorative = "restorative", Apology = "apology",
        Compensation = "compensation", Pathway = "pathway", UnpaidHours = "unpaid_hours",
    }
);
text_enum!(
    /// Where a condition stands: pending until it is met or missed; varied
    /// when it was changed (a new due date), and then still to be met.
    ConditionStatus { Pending = "pending", Met = "met", Missed = "missed", Varied = "varied" }
);

impl ConditionStatus {
    /// Met or missed: nothing more is recorded of it.
    pub fn settled(self) -> bool {
        matches!(self, ConditionStatus::Met | ConditionStatus::Missed)
    }
}

text_enum!(
    /// What a follow-up after closure found.
    FollowUpResult {
        NoneKnown = "none_known", FurtherOffence = "further_offence", CouldNotCheck = "could_not_check",
    }
);

text_enum!(
    /// The parts of a person's life whose state is recorded over time.
    StatusArea {
        Accommodation = "accommodation", Ete = "employment_education_training",
        SubstanceTreatment = "substance_use_treatment", MentalHealth = "mental_health_support",
        Finances = "finances",
    }
);

impl StatusArea {
    /// The states each area is recorded in.
    pub fn values(self) -> &'static [&'static str] {
        match self {
            StatusArea::Accommodation => &[
                "settled",
                "temporary",
                "refuge",
                "sofa_surfing",
                "rough_sleeping",
                "custody",
                "other",
            ],
            StatusArea::Ete => &[
                "employed",
                "self_employed",
                "education",
                "training",
                "volunteering",
                "unemployed",
                "unable_to_work",
                "other",
            ],
            StatusArea::SubstanceTreatment | StatusArea::MentalHealth => &[
                "not_needed",
                "in_treatment",
                "referred",
                "waiting",
                "not_engaged",
            ],
            StatusArea::Finances => &["managing", "struggling", "in_crisis"],
        }
    }

    /// The states a report counts as a good outcome (e.g. "housed": settled).
    pub fn good(self) -> &'static [&'static str] {
        match self {
            StatusArea::Accommodation => &["settled"],
            StatusArea::Ete => &[
                "employed",
                "self_employed",
                "education",
                "training",
                "volunteering",
            ],
            StatusArea::SubstanceTreatment | StatusArea::MentalHealth => {
                &["not_needed", "in_treatment"]
            }
            StatusArea::Finances => &["managing"],
        }
    }
}

text_enum!(
    /// When in an episode a status was taken.
    StatusPoint { Start = "start", Review = "review", Closure = "closure" }
);
text_enum!(
    /// Practical help given there and then.
    SupportKind {
        FoodParcel = "food_parcel", Phone = "phone", Travel = "travel", Grant = "grant",
        Clothing = "clothing", Other = "other",
    }
);
text_enum!(
    /// The equality monitoring questions, each optional: an unanswered one
    /// was not asked; every one offers "prefer_not_to_say".
    EqualityQuestion {
        Ethnicity = "ethnicity", Sex = "sex", GenderIdentity = "gender_identity",
        SexualOrientation = "sexual_orientation", Disability = "disability", Religion = "religion",
        CareExperience = "care_experience", FirstLanguage = "first_language",
        Interpreter = "interpreter",
    }
);

impl EqualityQuestion {
    /// The answers it takes; `None`: free text (a first language).
    pub fn answers(self) -> Option<&'static [&'static str]> {
        use EqualityQuestion::*;
        Some(match self {
            // The 2021 census groups for England and Wales.
            Ethnicity => &[
                "asian_bangladeshi",
                "asian_chinese",
                "asian_indian",
                "asian_pakistani",
                "asian_other",
                "black_african",
                "black_caribbean",
                "black_other",
                "mixed_white_and_asian",
                "mixed_white_and_black_african",
                "mixed_white_and_black_caribbean",
                "mixed_other",
                "white_british",
                "white_irish",
                "white_gypsy_or_irish_traveller",
                "white_roma",
                "white_other",
                "other_arab",
                "other_any",
                "prefer_not_to_say",
            ],
            Sex => &["female", "male", "prefer_not_to_say"],
            GenderIdentity => &[
                "same_as_registered_at_birth",
                "different",
                "prefer_not_to_say",
            ],
            SexualOrientation => &[
                "straight",
                "gay_or_lesbian",
                "bisexual",
                "other",
                "prefer_not_to_say",
            ],
            Disability => &[
                "yes_limited_a_lot",
                "yes_limited_a_little",
                "no",
                "prefer_not_to_say",
            ],
            Religion => &[
                "none",
                "christian",
                "buddhist",
                "hindu",
                "jewish",
                "muslim",
                "sikh",
                "other",
                "prefer_not_to_say",
            ],
            CareExperience | Interpreter => &["yes", "no", "prefer_not_to_say"],
            FirstLanguage => return None,
        })
    }
}

/// How an organisation erases a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ErasureRule {
    /// A second supervisor or admin confirms within the hours set, or the
    /// request lapses.
    SecondPerson,
    /// It runs once the hours set have passed, unless cancelled meanwhile.
    Grace,
}

impl ErasureRule {
    pub fn as_str(self) -> &'static str {
        match self {
            ErasureRule::SecondPerson => "second-person",
            ErasureRule::Grace => "grace",
        }
    }
}

impl std::str::FromStr for ErasureRule {
    type Err = String;
    fn from_str(s: &str) -> Result<ErasureRule, String> {
        match s {
            "second-person" => Ok(ErasureRule::SecondPerson),
            "grace" => Ok(ErasureRule::Grace),
            other => Err(format!(
                "{other:?} is not an erasure rule: second-person or grace"
            )),
        }
    }
}

/// Where an erasure stands after a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErasureState {
    /// Asked for: waits for a second person, or for its time.
    Requested,
    /// Done: the case is gone from the server.
    Erased,
}

/// What a person may do in their organisation, as an admin certified it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Worker,
    Supervisor,
    /// Reads every case of the organisation (reports, oversight) and
    /// changes none.
    Manager,
    Admin,
    /// A volunteer or peer mentor: holds only the cases allocated to them,
    /// and of those only the allocation log (contact brief, appointments,
    /// volunteers' notes), never the case's own.
    Volunteer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Worker => "worker",
            Role::Supervisor => "supervisor",
            Role::Manager => "manager",
            Role::Admin => "admin",
            Role::Volunteer => "volunteer",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "worker" => Ok(Role::Worker),
            "supervisor" => Ok(Role::Supervisor),
            "manager" => Ok(Role::Manager),
            "admin" => Ok(Role::Admin),
            "volunteer" => Ok(Role::Volunteer),
            other => Err(format!(
                "unknown role {other:?} (worker, supervisor, manager, admin or volunteer)"
            )),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The record fields whose values come from a closed vocabulary: (record
/// kind, field, vocabulary). A conflict shows such a value in words.
pub const FIELD_VOCABULARIES: &[(&str, &str, &str)] = &[
    ("referral", "status", "referral_status"),
    ("referral", "agency", "agency"),
    ("appointment", "agency", "agency"),
    ("marac_action", "agency", "agency"),
    ("appointment", "outcome", "appointment_outcome"),
    ("episode", "referral_source", "referral_source"),
    ("episode", "status", "episode_status"),
    ("episode", "route", "disposal_route"),
    ("stage_move", "stage", "stage"),
    ("note", "contact_type", "contact_type"),
    ("goal", "status", "goal_status"),
    ("goal", "need_area", "need_area"),
    ("flag", "kind", "flag_kind"),
    ("incident", "kind", "incident_kind"),
    ("linked_person", "relation", "relation"),
    ("condition", "kind", "condition_kind"),
    ("programme", "kind", "programme_kind"),
    ("sign_off", "subject", "sign_off_subject"),
];

/// The vocabulary a record's field takes its values from, if any.
pub fn field_vocabulary(kind: &str, field: &str) -> Option<&'static str> {
    FIELD_VOCABULARIES
        .iter()
        .find(|(k, f, _)| *k == kind && *f == field)
        .map(|(_, _, vocabulary)| *vocabulary)
}

text_enum!(
    /// What only an admin does (organisation data: it goes to every device).
    AdminTask {
        ImportTemplate = "import_template", AddProgramme = "add_programme",
        RetireProgramme = "retire_programme",
    }
);

impl AdminTask {
    /// What it is, in the core's English.
    pub fn words(self) -> &'static str {
        match self {
            AdminTask::ImportTemplate => "import a template",
            AdminTask::AddProgramme => "add a programme",
            AdminTask::RetireProgramme => "retire a programme",
        }
    }
}

text_enum!(
    /// Why a request did not reach the server, as precisely as the network says.
    NetworkFailure {
        NameNotFound = "name_not_found", Refused = "refused", Reset = "reset",
        TimedOut = "timed_out", Truncated = "truncated", Certificate = "certificate",
        Other = "other",
    }
);

impl NetworkFailure {
    /// What happened, in words a caseworker can act on.
    pub fn sentence(self) -> &'static str {
        match self {
            NetworkFailure::NameNotFound => {
                "cannot reach the server: its name does not resolve (offline, or a wrong address)"
            }
            NetworkFailure::Refused => {
                "cannot reach the server: the connection was refused (nothing listens at that address)"
            }
            NetworkFailure::Reset => "the connection to the server was reset before it answered",
            NetworkFailure::TimedOut => "the server did not answer in time",
            NetworkFailure::Truncated => "the server's answer was cut off before it was complete",
            NetworkFailure::Certificate => {
                "the server's certificate is not trusted (WAYMARK_CA_CERT names an organisation's own authority)"
            }
            NetworkFailure::Other => "cannot reach the server",
        }
    }
}

text_enum!(
    /// What makes a passphrase easy to guess, as zxcvbn finds it.
    GuessWarning {
        StraightRowsOfKeys = "straight_rows_of_keys",
        ShortKeyboardPatterns = "short_keyboard_patterns",
        RepeatsLikeAaa = "repeats_like_aaa", RepeatsLikeAbcAbc = "repeats_like_abcabc",
        Top10 = "top_10", Top100 = "top_100", CommonPassword = "common_password",
        LikeACommonPassword = "like_a_common_password", Sequences = "sequences",
        RecentYears = "recent_years", AWordOnItsOwn = "a_word_on_its_own", Dates = "dates",
        NamesOnTheirOwn = "names_on_their_own", CommonNames = "common_names",
    }
);

impl GuessWarning {
    /// The core's English for it (the CLI's and the logs').
    pub fn sentence(self) -> &'static str {
        match self {
            GuessWarning::StraightRowsOfKeys => "straight rows of keys are easy to guess",
            GuessWarning::ShortKeyboardPatterns => "short keyboard patterns are easy to guess",
            GuessWarning::RepeatsLikeAaa => "repeats like \"aaa\" are easy to guess",
            GuessWarning::RepeatsLikeAbcAbc => {
                "repeats like \"abcabcabc\" are only a little harder to guess than \"abc\""
            }
            GuessWarning::Top10 => "this is one of the 10 most common passwords",
            GuessWarning::Top100 => "this is one of the 100 most common passwords",
            GuessWarning::CommonPassword => "this is a very common password",
            GuessWarning::LikeACommonPassword => "this is like a commonly used password",
            GuessWarning::Sequences => "sequences like abc or 6543 are easy to guess",
            GuessWarning::RecentYears => "recent years are easy to guess",
            GuessWarning::AWordOnItsOwn => "a word on its own is easy to guess",
            GuessWarning::Dates => "dates are often easy to guess",
            GuessWarning::NamesOnTheirOwn => "names and surnames on their own are easy to guess",
            GuessWarning::CommonNames => "common names and surnames are easy to guess",
        }
    }
}

text_enum!(
    /// How to make a passphrase harder to guess, as zxcvbn suggests.
    GuessAdvice {
        UseAFewWords = "use_a_few_words", NoNeedForSymbols = "no_need_for_symbols",
        AddAWordOrTwo = "add_a_word_or_two", CapitalsHelpLittle = "capitals_help_little",
        AllCapitals = "all_capitals", ReversedWords = "reversed_words",
        PredictableSwaps = "predictable_swaps", LongerKeyboardPattern = "longer_keyboard_pattern",
        AvoidRepeats = "avoid_repeats", AvoidSequences = "avoid_sequences",
        AvoidRecentYears = "avoid_recent_years", AvoidYourYears = "avoid_your_years",
        AvoidYourDates = "avoid_your_dates",
    }
);

impl GuessAdvice {
    /// The core's English for it (the CLI's and the logs').
    pub fn sentence(self) -> &'static str {
        match self {
            GuessAdvice::UseAFewWords => "use a few words, and avoid common phrases",
            GuessAdvice::NoNeedForSymbols => {
                "there is no need for symbols, digits or capital letters"
            }
            GuessAdvice::AddAWordOrTwo => "add another word or two; uncommon words are better",
            GuessAdvice::CapitalsHelpLittle => "capital letters do not help much",
            GuessAdvice::AllCapitals => {
                "all capitals is almost as easy to guess as all small letters"
            }
            GuessAdvice::ReversedWords => "words spelt backwards are not much harder to guess",
            GuessAdvice::PredictableSwaps => "predictable swaps, like @ for a, do not help much",
            GuessAdvice::LongerKeyboardPattern => "use a longer keyboard pattern with more turns",
            GuessAdvice::AvoidRepeats => "avoid repeated words and characters",
            GuessAdvice::AvoidSequences => "avoid sequences",
            GuessAdvice::AvoidRecentYears => "avoid recent years",
            GuessAdvice::AvoidYourYears => "avoid years that are linked to you",
            GuessAdvice::AvoidYourDates => "avoid dates and years that are linked to you",
        }
    }
}
