//! The app's commands, each defined once: its name, its argument (a struct
//! the UI sends as `{ "args": ... }`) and its answer. The shell's handler
//! for `OpenCase` takes an `OpenCase` and returns `Reply<OpenCase>`; the UI
//! calls `call(&OpenCase { .. })` and gets `OpenCase::Output` back. Neither
//! side spells a field or a type the compiler does not check.

use crate::assessment::Answer;
use crate::inputs::*;
use crate::records::*;
use crate::views::*;
use crate::vocab::*;
use crate::Problem;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A command the UI may invoke in the shell.
pub trait Command: Serialize + DeserializeOwned {
    /// The shell's handler has this name.
    const NAME: &'static str;
    type Output: Serialize + DeserializeOwned;
}

/// What a command's handler returns.
pub type Reply<C> = Result<<C as Command>::Output, Problem>;

macro_rules! commands {
    ($( $(#[$doc:meta])* $name:literal => $args:ident { $($field:ident : $ty:ty),* $(,)? } -> $out:ty; )*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
            pub struct $args { $(pub $field: $ty),* }
            impl Command for $args {
                const NAME: &'static str = $name;
                type Output = $out;
            }
        )*
        /// Every command's name: the shell registers exactly these.
        pub const NAMES: &[&str] = &[$($name),*];
    };
}

commands! {
    // Opening, enrolling, locking.
    "store_status" => GetStoreStatus {} -> StoreStatus;
    /// Unlocks the store for `user` (the only person here if empty).
    "unlock" => Unlock { user: String, passphrase: String } -> ();
    /// Quick exit and idle lock: drops the session and its key.
    "lock" => Lock {} -> ();
    "still_here" => StillHere {} -> ();
    /// Joining: the person's own store on this laptop, joined to their organisation.
    "enrol" => Enrol { server: String, user: String, enrolment_code: String, passphrase: String } -> ();
    "change_passphrase" => ChangePassphrase { current: String, new: String } -> ();
    "settings" => GetSettings {} -> Settings;
    "save_settings" => SaveSettings { settings: Settings } -> ();

    // Caseload and search.
    "caseload" => Caseload { filter: CaseloadFilter, offset: usize, limit: usize } -> CaseloadPage;
    "search" => Search { query: String } -> Vec<SearchHit>;

    // A case.
    "create_case" => CreateCase { case: NewCase } -> Uuid;
    "open_case" => OpenCase { case_id: Uuid } -> CasePage;
    /// Shows a restricted address on purpose (audited).
    "reveal_address" => RevealAddress { case_id: Uuid } -> Option<String>;
    /// Saves what the edit form changed from what it showed (a restricted
    /// address it never showed stays).
    "edit_person" => EditPerson { case_id: Uuid, shown: PersonEdit, edit: PersonEdit } -> ();
    /// Writes the person's subject access export (a zip: a readable summary,
    /// the whole record as JSON, the files) to Documents/Waymark; its path.
    "write_subject_access_export" => WriteSubjectAccessExport { case_id: Uuid } -> String;
    /// Records a consent or information-sharing decision.
    "record_consent" => RecordConsent { case_id: Uuid, consent: ConsentDecision } -> ();
    /// Opens another episode for the person (a re-referral, or another programme).
    "add_episode" => AddEpisode { episode: NewEpisode } -> Uuid;
    "close_episode" => CloseEpisode { episode_id: Uuid, closed_on: NaiveDate, reason: String } -> ();
    /// Moves an episode on a stage (an end closes it).
    "move_stage" => MoveStage { episode_id: Uuid, to: Stage, on: NaiveDate } -> StageMove;
    /// The commissioner's report for a period (supervisors and admins).
    "report" => RunReport { scope: crate::report::Scope } -> crate::report::Report;
    /// The names of the cases behind a report's figure (its drill-down).
    "case_names" => CaseNames { cases: Vec<Uuid> } -> Vec<(Uuid, String)>;
    /// The teams a report can be run for, as the organisation certified them.
    "report_teams" => ReportTeams {} -> Vec<String>;
    /// The organisation's programmes, retired ones last.
    "programmes" => ListProgrammes {} -> Vec<Programme>;
    /// Adds a programme (admins; every device of the organisation gets it).
    "add_programme" => AddProgramme { programme: NewProgramme } -> Programme;
    /// Retires a programme: no new episodes join it; its figures stay.
    "retire_programme" => RetireProgramme { name: String } -> Programme;

    // Notes.
    "add_note" => AddNote { note: NewNote } -> Uuid;
    "amend_note" => AmendNote { note_id: Uuid, body: String, reason: String } -> ();
    "note_history" => GetNoteHistory { note_id: Uuid } -> NoteHistory;
    /// Keeps the note being written; answers when it was saved.
    "save_note_draft" => SaveNoteDraft { case_id: Uuid, draft: NoteDraft } -> DateTime<Utc>;
    "note_draft" => GetNoteDraft { case_id: Uuid } -> Option<NoteDraft>;
    "discard_note_draft" => DiscardNoteDraft { case_id: Uuid } -> ();

    // Support plan.
    "support_plan" => GetSupportPlan { case_id: Uuid } -> Vec<GoalView>;
    "add_goal" => AddGoal { goal: NewGoal } -> Uuid;
    "add_plan_action" => AddPlanAction { action: NewPlanAction } -> Uuid;
    "complete_plan_action" => CompletePlanAction { action_id: Uuid } -> ();
    /// A goal's status (achieved, dropped) and review date, as the form holds them.
    "update_goal" => UpdateGoal { goal_id: Uuid, status: GoalStatus, review_on: Option<NaiveDate> } -> ();
    "rate_goal" => RateGoal { goal_id: Uuid, rating: i64, comment: Option<String> } -> ();

    // Appointments.
    /// The Monday-to-Sunday week of `date` (today if none) if `week`, else that day.
    "agenda" => GetAgenda { week: bool, date: Option<NaiveDate> } -> Vec<AgendaEntry>;
    /// Overdue and missed conditions, follow-ups fallen due, for this
    /// person (`Session::due_for_me`).
    "due" => GetDue {} -> Vec<DueItem>;
    "case_appointments" => CaseAppointments { case_id: Uuid } -> Vec<Appointment>;
    "add_appointment" => AddAppointment { appointment: NewAppointment } -> Uuid;
    "record_outcome" => RecordOutcome { appointment_id: Uuid, outcome: AppointmentOutcome, note: Option<String> } -> ();

    // Assessments.
    "templates" => GetTemplates {} -> Vec<AssessmentTemplate>;
    /// An admin's: a template (a new one, or a new version) from its JSON, for every device.
    "import_template" => ImportTemplate { json: String } -> Uuid;
    /// The score so far, as the form is filled in (nothing is saved).
    "score_assessment" => ScoreAssessment { template_key: String, answers: BTreeMap<String, Answer> } -> LiveScore;
    "complete_assessment" => CompleteAssessment { assessment: NewAssessment } -> Assessment;
    /// Records the decision on a prompted action; a referral's id if one was made.
    "decide_prompt" => DecidePrompt { assessment_id: Uuid, prompt_index: usize, decision: DecisionKind, because: Option<DeclineReason>, reason: Option<String> } -> Option<Uuid>;
    "assessments" => GetAssessments { case_id: Uuid } -> Vec<Assessment>;

    // Referrals, flags, attachments.
    "referrals" => GetReferrals { case_id: Uuid } -> Vec<Referral>;
    "add_referral" => AddReferral { referral: NewReferral } -> Uuid;
    "update_referral" => UpdateReferral { referral_id: Uuid, status: ReferralStatus, outcome: Option<String> } -> ();
    "flags" => GetFlags { case_id: Uuid } -> Vec<Flag>;
    "raise_flag" => RaiseFlag { case_id: Uuid, kind: FlagKind, detail: Option<String> } -> ();
    "resolve_flag" => ResolveFlag { flag_id: Uuid } -> ();
    /// Records an incident; it carries a MARAC prompt if its police call-out meets the escalation criterion.
    "record_incident" => RecordIncident { incident: NewIncident } -> Incident;
    /// Records the decision on an incident's MARAC prompt; the referral's id if one was made.
    "decide_escalation" => DecideEscalation { incident_id: Uuid, decision: DecisionKind, because: Option<DeclineReason>, reason: Option<String> } -> Option<Uuid>;
    "attachments" => GetAttachments { case_id: Uuid } -> Vec<Attachment>;
    "add_attachment" => AddAttachment { case_id: Uuid, file_name: String, media_type: String, data_base64: String } -> Uuid;
    "open_attachment" => OpenAttachment { attachment_id: Uuid } -> OpenedAttachment;

    // Sync and trust.
    /// Connects the unlocked person to their organisation's server.
    "connect" => Connect { server: String, passphrase: String } -> ();
    "sync_now" => SyncNow {} -> SyncState;
    "sync_status" => GetSyncStatus {} -> SyncState;
    "identity" => GetIdentity {} -> Identity;
    "refused_changes" => GetRefusedChanges {} -> Vec<RefusedChange>;
    /// This person's changes in cases taken from them too long ago to send: kept here.
    "set_aside_changes" => GetSetAsideChanges {} -> Vec<SetAsideChange>;
    "refused_recipients" => GetRefusedRecipients {} -> Vec<RefusedRecipient>;
    "refused_keys" => GetRefusedKeys {} -> Vec<RefusedKey>;
    "conflicts" => GetConflicts {} -> Vec<ConflictView>;
    "resolve_conflict" => ResolveConflict { conflict_id: Uuid, keep: Keep } -> ();
    "vocabularies" => GetVocabularies {} -> Vocabularies;

    // Supervision and the organisation (roles checked by the server).
    /// Cases closed for at least `closed_for_days`, for review and erasure.
    "retention_review" => RetentionReview { closed_for_days: i64 } -> Vec<RetentionItem>;
    /// Erases a case for good, everywhere (a supervisor or an admin).
    "erase_case" => EraseCase { case_id: Uuid, reason: String } -> Erasure;
    /// Who holds a case (from the server).
    "case_access" => GetCaseAccess { case_id: Uuid } -> CaseAccess;
    /// Shares a case with a colleague, or stops (its keyworker, a supervisor of its team, an admin).
    "share_case" => ShareCase { case_id: Uuid, user: String, share: bool } -> CaseAccess;
    /// Gives a case to another keyworker (a supervisor of its team, an admin).
    "reassign_case" => ReassignCase { case_id: Uuid, user: String } -> CaseAccess;
    /// Each keyworker's open and high-risk cases and what is overdue.
    "team" => GetTeam {} -> Vec<TeamMember>;
    /// Signs off a risk assessment, a MARAC decision or a closure as reviewed (a supervisor or an admin).
    "sign_off" => SignOffCmd { sign_off: NewSignOff } -> SignedOff;
    /// Records a group session or drop-in; answers it.
    "add_group_session" => AddGroupSession { session: NewGroupSession } -> GroupSession;
    /// The group sessions this device holds, the latest first.
    "group_sessions" => ListGroupSessions {} -> Vec<GroupSession>;
    /// A session and the register of the cases this device holds.
    "group_register" => GetGroupRegister { session_id: Uuid } -> GroupRegister;
    /// Puts a person (by their case) on a session's register: came or not.
    "mark_attendance" => MarkAttendance { session_id: Uuid, case_id: Uuid, attended: bool } -> GroupRegister;
    /// Records an outreach tally; answers it.
    "add_outreach_tally" => AddOutreachTally { tally: NewOutreachTally } -> OutreachTally;
    /// Outreach tallies this device holds from a day on, the latest first.
    "outreach_tallies" => ListOutreachTallies { from: NaiveDate } -> Vec<OutreachTally>;
    /// Links someone to a case: a child, a household member, the other party.
    "add_linked_person" => AddLinkedPerson { person: NewLinkedPerson } -> LinkedPerson;
    /// Shows a linked other party's details (recorded in the audit trail).
    "reveal_linked_person" => RevealLinkedPerson { link_id: Uuid } -> LinkedPerson;
    /// Opens a linked child or household member as a case of their own; answers its id.
    "open_linked_case" => OpenLinkedCase { link_id: Uuid, programme: String, referral_source: ReferralSource } -> Uuid;
    /// The cases allocated to this person as a volunteer (with a contact brief here).
    "allocated_cases" => ListAllocatedCases {} -> Vec<AllocatedCase>;
    /// One allocated case as a volunteer sees it (audited).
    "open_allocated_case" => OpenAllocatedCase { case_id: Uuid } -> AllocatedCaseView;
    /// Records an action agreed in supervision done (`on`, today if none).
    "complete_supervision_action" => CompleteSupervisionAction { note_id: Uuid, action_index: usize, on: Option<NaiveDate> } -> SupervisionActionDone;
    /// Writes a supervision note on a case (a supervisor of its team).
    "add_supervision_note" => AddSupervisionNote { note: NewSupervisionNote } -> SupervisionEntry;
    /// Writes the case's safety plan as it now stands.
    "save_safety_plan" => SaveSafetyPlan { plan: SafetyPlanInput } -> SafetyPlan;
    "add_marac_meeting" => AddMaracMeeting { meeting: NewMaracMeeting } -> MaracMeeting;
    "set_marac_outcome" => SetMaracOutcome { meeting_id: Uuid, outcome: String } -> ();
    "add_marac_action" => AddMaracAction { action: NewMaracAction } -> MaracAction;
    /// Writes a risk assessment's MARAC referral form (HTML) to the person's
    /// Documents/Waymark folder, readable by them alone; answers its path.
    "write_marac_form" => WriteMaracForm { assessment_id: Uuid } -> String;
    /// Marks a MARAC action done (today if no day is given).
    "complete_marac_action" => CompleteMaracAction { action_id: Uuid, on: Option<NaiveDate> } -> ();
    "cancel_erasure" => CancelErasure { case_id: Uuid } -> ();
    "org_devices" => GetOrgDevices {} -> Vec<ListedDevice>;
    /// Confirms a person by the phrase read from their own laptop (an admin).
    "confirm_person" => ConfirmPerson { user: String, phrase: String, as_admin: bool } -> Confirmed;
    "revoke_device" => RevokeDevice { device_id: Uuid } -> ();
    "make_recovery_key" => MakeRecoveryKey {} -> RecoveryKeyMade;
    /// Restores a person's access with the recovery key (an admin); how many keys.
    "recover_person" => RecoverPerson { person: String, recovery_key: String } -> u64;
}

/// The vocabularies by the names the forms use.
pub fn vocabularies() -> Vocabularies {
    [
        ("contact_type", ContactType::ALL),
        ("referral_source", ReferralSource::ALL),
        ("need_area", NeedArea::ALL),
        ("agency", Agency::ALL),
        ("appointment_outcome", AppointmentOutcome::ALL),
        ("referral_status", ReferralStatus::ALL),
        ("flag_kind", FlagKind::ALL),
        ("incident_kind", IncidentKind::ALL),
        ("relation", Relation::ALL),
        ("help_kind", HelpKind::ALL),
    ]
    .into_iter()
    .map(|(name, all)| (name.to_owned(), all.iter().map(|v| v.to_string()).collect()))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_its_own_name() {
        let mut names = NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), NAMES.len(), "a command name is used twice");
    }

    #[test]
    fn arguments_cross_as_the_shell_reads_them() {
        let id = Uuid::from_u128(7);
        let args = serde_json::to_value(OpenCase { case_id: id }).unwrap();
        assert_eq!(args, serde_json::json!({ "case_id": id.to_string() }));
        let back: OpenCase = serde_json::from_value(args).unwrap();
        assert_eq!(back.case_id, id);
        // A field the UI and the shell disagree on is refused, not ignored.
        assert!(serde_json::from_value::<OpenCase>(serde_json::json!({ "caseId": id })).is_err());
    }
}
