//! The commands the UI may invoke, one handler per `waymark_model::commands`
//! type: each takes its argument struct and returns `Reply<Command>`, so the
//! name, the argument and the answer are those the UI compiles against.
//! Each is a thin adapter to the core's `Session` (or the sync client); no
//! business logic here. Errors cross as `Problem` (never case data).

use crate::state::AppState;
use base64::Engine;
use chrono::{NaiveDate, Utc};
use tauri::State;
use waymark_core::model::commands::*;
use waymark_core::model::views::*;
use waymark_core::model::{Problem, ProblemCode};
use waymark_core::{queries, Passphrase, Session};
use waymark_sync::{BlockingClient, SyncError};

pub(crate) fn locked() -> Problem {
    Problem::of_kind(ProblemCode::Locked, "Waymark is locked: unlock it first")
}

/// Runs `f` with the unlocked session.
async fn with_session<T>(
    state: &State<'_, AppState>,
    f: impl FnOnce(&mut Session) -> waymark_core::Result<T>,
) -> Result<T, Problem> {
    let mut guard = state.session.lock().await;
    let session = guard.as_mut().ok_or_else(locked)?;
    Ok(f(session)?)
}

fn today() -> NaiveDate {
    queries::local_today(Utc::now())
}

// --- Opening, enrolling, locking ----------------------------------------------

#[tauri::command]
pub async fn store_status(
    state: State<'_, AppState>,
    args: GetStoreStatus,
) -> Reply<GetStoreStatus> {
    let GetStoreStatus {} = args;
    let guard = state.session.lock().await;
    let role = match guard.as_ref() {
        Some(s) => s.sync_account()?.and_then(|a| a.role.parse().ok()),
        None => None,
    };
    Ok(StoreStatus {
        exists: waymark_core::Laptop::new(&state.store).has_people(),
        unlocked_as: guard.as_ref().map(|s| s.user().name.clone()),
        role,
        demo: state.demo.clone(),
        why_locked: state.activity.take_why_locked(),
    })
}

#[tauri::command]
pub async fn unlock(state: State<'_, AppState>, args: Unlock) -> Reply<Unlock> {
    let user = (!args.user.trim().is_empty()).then(|| args.user.trim().to_owned());
    let store = state.store.clone();
    let pass = Passphrase::new(args.passphrase);
    // Argon2id takes a moment: off the async workers.
    let session = tauri::async_runtime::spawn_blocking(move || {
        Session::unlock(&store, user.as_deref(), &pass)
    })
    .await
    .map_err(|_| Problem::plain("unlocking stopped unexpectedly"))??;
    state.activity.seen();
    *state.session.lock().await = Some(session);
    Ok(())
}

/// Quick exit: the UI has already hidden everything; this drops the
/// session (and with it the store key) and reloads the page.
#[tauri::command]
pub async fn lock(app: tauri::AppHandle, args: Lock) -> Reply<Lock> {
    let Lock {} = args;
    crate::lock::lock_now(&app, None).await;
    Ok(())
}

/// A key or a click in the page: the idle lock starts counting again.
#[tauri::command]
pub async fn still_here(state: State<'_, AppState>, args: StillHere) -> Reply<StillHere> {
    let StillHere {} = args;
    state.activity.seen();
    Ok(())
}

/// Joining: with an enrolment code, sets the passphrase the person chose on
/// the server first (a wrong code writes nothing here); then creates their
/// own store on this laptop (beside anyone else's), connects them to their
/// organisation's server and fetches their cases. If the server refuses,
/// their new store is removed again: nothing half-made is left.
#[tauri::command]
pub async fn enrol(state: State<'_, AppState>, args: Enrol) -> Reply<Enrol> {
    let dir = state.store.clone();
    let pass = Passphrase::new(args.passphrase);
    let user = args.user.trim().to_owned();
    let (server, code) = (args.server, args.enrolment_code.trim().to_owned());
    // Argon2id and the login run off the async workers; a refused join
    // leaves no store behind.
    let session = crate::state::run_sync_task(move || {
        let client = BlockingClient::from_env(&server)?;
        let label = waymark_sync::device_label();
        match code.is_empty() {
            true => client.enrol(&dir, &user, &pass, &label),
            false => client.join(&dir, &user, &code, &pass, &label),
        }
    })
    .await??;
    state.activity.seen();
    *state.session.lock().await = Some(session);
    // The first sync runs like any other, with its progress shown.
    Ok(())
}

/// Changes the person's passphrase: their login on the server (when
/// linked), then their store, re-keyed. Re-keying needs the store to
/// itself, so it waits for any sync, and other commands wait for it.
#[tauri::command]
pub async fn change_passphrase(
    state: State<'_, AppState>,
    args: ChangePassphrase,
) -> Reply<ChangePassphrase> {
    let _turn = state.sync_turn.lock().await;
    let mut guard = state.session.lock().await;
    let mut session = guard.take().ok_or_else(locked)?;
    let (current, new) = (Passphrase::new(args.current), Passphrase::new(args.new));
    let (session, changed) = crate::state::run_sync_task(move || {
        let changed = waymark_sync::change_passphrase(&mut session, &current, &new);
        (session, changed)
    })
    .await?;
    *guard = Some(session);
    changed.map_err(Problem::from)
}

#[tauri::command]
pub async fn settings(state: State<'_, AppState>, args: GetSettings) -> Reply<GetSettings> {
    let GetSettings {} = args;
    with_session(&state, |s| s.settings()).await
}

#[tauri::command]
pub async fn save_settings(state: State<'_, AppState>, args: SaveSettings) -> Reply<SaveSettings> {
    with_session(&state, |s| s.save_settings(&args.settings)).await
}

// --- Caseload and search ---------------------------------------------------------

#[tauri::command]
pub async fn caseload(state: State<'_, AppState>, args: Caseload) -> Reply<Caseload> {
    with_session(&state, |s| {
        s.caseload_page(&args.filter, args.offset, args.limit)
    })
    .await
}

#[tauri::command]
pub async fn search(state: State<'_, AppState>, args: Search) -> Reply<Search> {
    with_session(&state, |s| s.search(&args.query, 50)).await
}

// --- A case ------------------------------------------------------------------------

#[tauri::command]
pub async fn create_case(state: State<'_, AppState>, args: CreateCase) -> Reply<CreateCase> {
    with_session(&state, |s| s.create_case(args.case)).await
}

#[tauri::command]
pub async fn open_case(state: State<'_, AppState>, args: OpenCase) -> Reply<OpenCase> {
    with_session(&state, |s| {
        Ok(CasePage {
            view: s.open_case(args.case_id)?,
            timeline: s.timeline(args.case_id)?,
        })
    })
    .await
}

#[tauri::command]
pub async fn reveal_address(
    state: State<'_, AppState>,
    args: RevealAddress,
) -> Reply<RevealAddress> {
    with_session(&state, |s| s.reveal_address(args.case_id)).await
}

/// Saves the person's details from the case's edit form.
#[tauri::command]
pub async fn edit_person(state: State<'_, AppState>, args: EditPerson) -> Reply<EditPerson> {
    with_session(&state, |s| {
        s.edit_person(args.case_id, &args.shown, args.edit)
    })
    .await
}

#[tauri::command]
pub async fn record_consent(
    state: State<'_, AppState>,
    args: RecordConsent,
) -> Reply<RecordConsent> {
    with_session(&state, |s| s.record_consent(args.case_id, args.consent)).await
}

#[tauri::command]
pub async fn add_episode(state: State<'_, AppState>, args: AddEpisode) -> Reply<AddEpisode> {
    with_session(&state, |s| s.add_episode(args.episode)).await
}

/// Closes a case's episode (the case stays, read-only in effect, until
/// retention review).
#[tauri::command]
pub async fn close_episode(state: State<'_, AppState>, args: CloseEpisode) -> Reply<CloseEpisode> {
    with_session(&state, |s| {
        s.close_episode(args.episode_id, args.closed_on, &args.reason)
    })
    .await
}

/// Records an episode's move to its next stage.
#[tauri::command]
pub async fn move_stage(state: State<'_, AppState>, args: MoveStage) -> Reply<MoveStage> {
    with_session(&state, |s| s.move_stage(args.episode_id, args.to, args.on)).await
}

/// The commissioner's report, computed here from the cases this device
/// holds.
#[tauri::command]
pub async fn report(state: State<'_, AppState>, args: RunReport) -> Reply<RunReport> {
    with_session(&state, |s| s.report(&args.scope)).await
}

/// The teams a report can be run for.
#[tauri::command]
pub async fn report_teams(state: State<'_, AppState>, _args: ReportTeams) -> Reply<ReportTeams> {
    with_session(&state, |s| s.team_names()).await
}

/// The names of the cases behind a report's figure.
#[tauri::command]
pub async fn case_names(state: State<'_, AppState>, args: CaseNames) -> Reply<CaseNames> {
    with_session(&state, |s| s.case_names(&args.cases)).await
}

/// The organisation's programmes, for the new-case form.
#[tauri::command]
pub async fn programmes(state: State<'_, AppState>, args: ListProgrammes) -> Reply<ListProgrammes> {
    let ListProgrammes {} = args;
    with_session(&state, |s| s.programmes()).await
}

// --- Notes ---------------------------------------------------------------------------

#[tauri::command]
pub async fn add_note(state: State<'_, AppState>, args: AddNote) -> Reply<AddNote> {
    with_session(&state, |s| s.add_note(args.note)).await
}

#[tauri::command]
pub async fn amend_note(state: State<'_, AppState>, args: AmendNote) -> Reply<AmendNote> {
    with_session(&state, |s| {
        s.amend_note(args.note_id, &args.body, &args.reason)
            .map(|_| ())
    })
    .await
}

#[tauri::command]
pub async fn note_history(
    state: State<'_, AppState>,
    args: GetNoteHistory,
) -> Reply<GetNoteHistory> {
    with_session(&state, |s| s.note_history(args.note_id)).await
}

#[tauri::command]
pub async fn save_note_draft(
    state: State<'_, AppState>,
    args: SaveNoteDraft,
) -> Reply<SaveNoteDraft> {
    with_session(&state, |s| s.save_note_draft(args.case_id, &args.draft)).await
}

#[tauri::command]
pub async fn note_draft(state: State<'_, AppState>, args: GetNoteDraft) -> Reply<GetNoteDraft> {
    with_session(&state, |s| s.note_draft(args.case_id)).await
}

#[tauri::command]
pub async fn discard_note_draft(
    state: State<'_, AppState>,
    args: DiscardNoteDraft,
) -> Reply<DiscardNoteDraft> {
    with_session(&state, |s| s.discard_note_draft(args.case_id)).await
}

// --- Support plan --------------------------------------------------------------------

#[tauri::command]
pub async fn support_plan(
    state: State<'_, AppState>,
    args: GetSupportPlan,
) -> Reply<GetSupportPlan> {
    with_session(&state, |s| s.support_plan(args.case_id)).await
}

#[tauri::command]
pub async fn add_goal(state: State<'_, AppState>, args: AddGoal) -> Reply<AddGoal> {
    with_session(&state, |s| s.add_goal(args.goal)).await
}

#[tauri::command]
pub async fn add_plan_action(
    state: State<'_, AppState>,
    args: AddPlanAction,
) -> Reply<AddPlanAction> {
    with_session(&state, |s| s.add_plan_action(args.action)).await
}

#[tauri::command]
pub async fn complete_plan_action(
    state: State<'_, AppState>,
    args: CompletePlanAction,
) -> Reply<CompletePlanAction> {
    with_session(&state, |s| s.complete_plan_action(args.action_id, today())).await
}

#[tauri::command]
pub async fn update_goal(state: State<'_, AppState>, args: UpdateGoal) -> Reply<UpdateGoal> {
    with_session(&state, |s| {
        s.update_goal(args.goal_id, Some(args.status), Some(args.review_on))
    })
    .await
}

#[tauri::command]
pub async fn rate_goal(state: State<'_, AppState>, args: RateGoal) -> Reply<RateGoal> {
    with_session(&state, |s| {
        s.rate_goal(args.goal_id, args.rating, today(), args.comment)
            .map(|_| ())
    })
    .await
}

// --- Appointments ----------------------------------------------------------------------

#[tauri::command]
pub async fn agenda(state: State<'_, AppState>, args: GetAgenda) -> Reply<GetAgenda> {
    with_session(&state, |s| s.agenda_of(args.date, args.week)).await
}

/// What is due: on the Agenda screen.
#[tauri::command]
pub async fn due(state: State<'_, AppState>, args: GetDue) -> Reply<GetDue> {
    let GetDue {} = args;
    with_session(&state, |s| s.due_for_me()).await
}

#[tauri::command]
pub async fn case_appointments(
    state: State<'_, AppState>,
    args: CaseAppointments,
) -> Reply<CaseAppointments> {
    with_session(&state, |s| s.appointments(args.case_id)).await
}

#[tauri::command]
pub async fn add_appointment(
    state: State<'_, AppState>,
    args: AddAppointment,
) -> Reply<AddAppointment> {
    with_session(&state, |s| s.add_appointment(args.appointment)).await
}

#[tauri::command]
pub async fn record_outcome(
    state: State<'_, AppState>,
    args: RecordOutcome,
) -> Reply<RecordOutcome> {
    with_session(&state, |s| {
        s.record_appointment_outcome(args.appointment_id, args.outcome, args.note)
    })
    .await
}

#[tauri::command]
pub async fn add_programme(state: State<'_, AppState>, args: AddProgramme) -> Reply<AddProgramme> {
    with_session(&state, move |s| s.add_programme(args.programme)).await
}

#[tauri::command]
pub async fn retire_programme(
    state: State<'_, AppState>,
    args: RetireProgramme,
) -> Reply<RetireProgramme> {
    with_session(&state, move |s| s.retire_programme(&args.name)).await
}

// --- Assessments -------------------------------------------------------------------------

#[tauri::command]
pub async fn import_template(
    state: State<'_, AppState>,
    args: ImportTemplate,
) -> Reply<ImportTemplate> {
    with_session(&state, move |s| s.import_template(&args.json)).await
}

#[tauri::command]
pub async fn templates(state: State<'_, AppState>, args: GetTemplates) -> Reply<GetTemplates> {
    let GetTemplates {} = args;
    with_session(&state, |s| s.templates()).await
}

#[tauri::command]
pub async fn score_assessment(
    state: State<'_, AppState>,
    args: ScoreAssessment,
) -> Reply<ScoreAssessment> {
    with_session(&state, |s| {
        s.score_assessment(&args.template_key, None, &args.answers)
    })
    .await
}

#[tauri::command]
pub async fn complete_assessment(
    state: State<'_, AppState>,
    args: CompleteAssessment,
) -> Reply<CompleteAssessment> {
    with_session(&state, |s| s.complete_assessment(args.assessment)).await
}

#[tauri::command]
pub async fn decide_prompt(state: State<'_, AppState>, args: DecidePrompt) -> Reply<DecidePrompt> {
    with_session(&state, |s| {
        s.decide_prompt(
            args.assessment_id,
            args.prompt_index,
            args.decision,
            args.because,
            args.reason,
        )
    })
    .await
}

#[tauri::command]
pub async fn assessments(
    state: State<'_, AppState>,
    args: GetAssessments,
) -> Reply<GetAssessments> {
    with_session(&state, |s| s.assessments(args.case_id)).await
}

// --- Referrals, flags, attachments ---------------------------------------------------------

#[tauri::command]
pub async fn referrals(state: State<'_, AppState>, args: GetReferrals) -> Reply<GetReferrals> {
    with_session(&state, |s| s.referrals(args.case_id)).await
}

#[tauri::command]
pub async fn add_referral(state: State<'_, AppState>, args: AddReferral) -> Reply<AddReferral> {
    with_session(&state, |s| s.add_referral(args.referral)).await
}

#[tauri::command]
pub async fn update_referral(
    state: State<'_, AppState>,
    args: UpdateReferral,
) -> Reply<UpdateReferral> {
    with_session(&state, |s| {
        s.update_referral(args.referral_id, args.status, args.outcome)
    })
    .await
}

#[tauri::command]
pub async fn flags(state: State<'_, AppState>, args: GetFlags) -> Reply<GetFlags> {
    with_session(&state, |s| s.flags(args.case_id, true)).await
}

#[tauri::command]
pub async fn record_incident(
    state: State<'_, AppState>,
    args: RecordIncident,
) -> Reply<RecordIncident> {
    with_session(&state, |s| s.record_incident(args.incident)).await
}

#[tauri::command]
pub async fn decide_escalation(
    state: State<'_, AppState>,
    args: DecideEscalation,
) -> Reply<DecideEscalation> {
    with_session(&state, |s| {
        s.decide_escalation(args.incident_id, args.decision, args.because, args.reason)
    })
    .await
}

#[tauri::command]
pub async fn raise_flag(state: State<'_, AppState>, args: RaiseFlag) -> Reply<RaiseFlag> {
    with_session(&state, |s| {
        s.raise_flag(args.case_id, args.kind, args.detail)
            .map(|_| ())
    })
    .await
}

#[tauri::command]
pub async fn resolve_flag(state: State<'_, AppState>, args: ResolveFlag) -> Reply<ResolveFlag> {
    with_session(&state, |s| s.resolve_flag(args.flag_id)).await
}

#[tauri::command]
pub async fn attachments(
    state: State<'_, AppState>,
    args: GetAttachments,
) -> Reply<GetAttachments> {
    with_session(&state, |s| s.attachments(args.case_id)).await
}

#[tauri::command]
pub async fn add_attachment(
    state: State<'_, AppState>,
    args: AddAttachment,
) -> Reply<AddAttachment> {
    let data = base64::engine::general_purpose::STANDARD
        .decode(args.data_base64.as_bytes())
        .map_err(|_| Problem::at("attachment", "the file could not be read"))?;
    with_session(&state, |s| {
        s.add_attachment(args.case_id, &args.file_name, &args.media_type, &data)
    })
    .await
}

/// An attachment's contents, for showing inside the app only: nothing is
/// written to a temporary file the OS could keep.
#[tauri::command]
pub async fn open_attachment(
    state: State<'_, AppState>,
    args: OpenAttachment,
) -> Reply<OpenAttachment> {
    with_session(&state, |s| {
        let (a, data) = s.open_attachment(args.attachment_id)?;
        Ok(OpenedAttachment {
            file_name: a.file_name,
            media_type: a.media_type,
            size_bytes: data.len() as u64,
            data_base64: base64::engine::general_purpose::STANDARD.encode(&data),
        })
    })
    .await
}

// --- Sync and trust ------------------------------------------------------------------

/// Connects the unlocked person to their organisation's server.
#[tauri::command]
pub async fn connect(state: State<'_, AppState>, args: Connect) -> Reply<Connect> {
    let client = BlockingClient::from_env(&args.server)?;
    let session = {
        let guard = state.session.lock().await;
        guard.as_ref().ok_or_else(locked)?.beside()?
    };
    let pass = Passphrase::new(args.passphrase);
    let label = waymark_sync::device_label();
    crate::state::run_sync_task(move || {
        let mut session = session;
        let user = session.user().name.clone();
        client.login(&mut session, &user, &pass, &label)
    })
    .await?
    .map(|_| ())
    .map_err(Problem::from)
}

#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>, args: SyncNow) -> Reply<SyncNow> {
    let SyncNow {} = args;
    crate::state::sync_now(&state).await?;
    Ok(state.sync_state().await)
}

#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>, args: GetSyncStatus) -> Reply<GetSyncStatus> {
    let GetSyncStatus {} = args;
    Ok(state.sync_state().await)
}

#[tauri::command]
pub async fn identity(state: State<'_, AppState>, args: GetIdentity) -> Reply<GetIdentity> {
    let GetIdentity {} = args;
    with_session(&state, |s| s.identity()).await
}

#[tauri::command]
pub async fn set_aside_changes(
    state: State<'_, AppState>,
    args: GetSetAsideChanges,
) -> Reply<GetSetAsideChanges> {
    let GetSetAsideChanges {} = args;
    with_session(&state, |s| s.set_aside_changes()).await
}

#[tauri::command]
pub async fn refused_changes(
    state: State<'_, AppState>,
    args: GetRefusedChanges,
) -> Reply<GetRefusedChanges> {
    let GetRefusedChanges {} = args;
    with_session(&state, |s| s.refused_changes()).await
}

#[tauri::command]
pub async fn refused_recipients(
    state: State<'_, AppState>,
    args: GetRefusedRecipients,
) -> Reply<GetRefusedRecipients> {
    let GetRefusedRecipients {} = args;
    with_session(&state, |s| s.refused_recipients()).await
}

#[tauri::command]
pub async fn refused_keys(
    state: State<'_, AppState>,
    args: GetRefusedKeys,
) -> Reply<GetRefusedKeys> {
    let GetRefusedKeys {} = args;
    with_session(&state, |s| s.refused_keys()).await
}

#[tauri::command]
pub async fn conflicts(state: State<'_, AppState>, args: GetConflicts) -> Reply<GetConflicts> {
    let GetConflicts {} = args;
    with_session(&state, |s| s.conflict_views(false)).await
}

#[tauri::command]
pub async fn resolve_conflict(
    state: State<'_, AppState>,
    args: ResolveConflict,
) -> Reply<ResolveConflict> {
    with_session(&state, |s| s.resolve_conflict(args.conflict_id, args.keep)).await
}

/// The closed vocabularies the forms offer, from the core's own lists.
#[tauri::command]
pub fn vocabularies(args: GetVocabularies) -> Reply<GetVocabularies> {
    let GetVocabularies {} = args;
    Ok(waymark_core::model::commands::vocabularies())
}

// --- Supervision and the organisation (roles checked by the server) ------------------

/// Cases closed for at least `closed_for_days`, for review and erasure.
#[tauri::command]
pub async fn retention_review(
    state: State<'_, AppState>,
    args: RetentionReview,
) -> Reply<RetentionReview> {
    with_session(&state, |s| s.retention_review(args.closed_for_days)).await
}

/// Runs a server call on a session beside the person's (the screen stays
/// usable) on a blocking thread, with the session's own client.
async fn with_server<T: Send + 'static>(
    state: &State<'_, AppState>,
    call: impl FnOnce(&mut Session, &BlockingClient) -> Result<T, SyncError> + Send + 'static,
) -> Result<T, Problem> {
    let session = {
        let guard = state.session.lock().await;
        guard.as_ref().ok_or_else(locked)?.beside()?
    };
    crate::state::run_sync_task(move || {
        let mut session = session;
        let client = BlockingClient::for_session(&session)?;
        call(&mut session, &client)
    })
    .await?
    .map_err(Problem::from)
}

/// Asks for a case's erasure, or confirms another's (a supervisor or an
/// admin): the organisation's rule decides; erased here once it is done.
#[tauri::command]
pub async fn erase_case(state: State<'_, AppState>, args: EraseCase) -> Reply<EraseCase> {
    with_server(&state, move |s, client| {
        client.erase_case(s, args.case_id, &args.reason)
    })
    .await
}

/// Who holds a case, from the server.
#[tauri::command]
pub async fn case_access(state: State<'_, AppState>, args: GetCaseAccess) -> Reply<GetCaseAccess> {
    with_server(&state, move |s, client| client.case_access(s, args.case_id)).await
}

/// Shares a case with a colleague, or stops.
#[tauri::command]
pub async fn share_case(state: State<'_, AppState>, args: ShareCase) -> Reply<ShareCase> {
    with_server(&state, move |s, client| {
        client.share(s, args.case_id, &args.user, args.share)
    })
    .await
}

/// Gives a case to another keyworker; the episode here names them.
#[tauri::command]
pub async fn reassign_case(state: State<'_, AppState>, args: ReassignCase) -> Reply<ReassignCase> {
    with_server(&state, move |s, client| {
        client.reassign(s, args.case_id, &args.user)
    })
    .await
}

/// Signs something off as reviewed.
#[tauri::command]
pub async fn sign_off(state: State<'_, AppState>, args: SignOffCmd) -> Reply<SignOffCmd> {
    with_session(&state, move |s| s.sign_off(args.sign_off)).await
}

#[tauri::command]
pub async fn add_group_session(
    state: State<'_, AppState>,
    args: AddGroupSession,
) -> Reply<AddGroupSession> {
    with_session(&state, move |s| s.add_group_session(args.session)).await
}

#[tauri::command]
pub async fn group_sessions(
    state: State<'_, AppState>,
    args: ListGroupSessions,
) -> Reply<ListGroupSessions> {
    let ListGroupSessions {} = args;
    with_session(&state, move |s| s.group_sessions()).await
}

#[tauri::command]
pub async fn group_register(
    state: State<'_, AppState>,
    args: GetGroupRegister,
) -> Reply<GetGroupRegister> {
    with_session(&state, move |s| s.group_register(args.session_id)).await
}

#[tauri::command]
pub async fn mark_attendance(
    state: State<'_, AppState>,
    args: MarkAttendance,
) -> Reply<MarkAttendance> {
    with_session(&state, move |s| {
        s.mark_attendance(args.session_id, args.case_id, args.attended)
    })
    .await
}

#[tauri::command]
pub async fn add_outreach_tally(
    state: State<'_, AppState>,
    args: AddOutreachTally,
) -> Reply<AddOutreachTally> {
    with_session(&state, move |s| s.add_outreach_tally(args.tally)).await
}

#[tauri::command]
pub async fn outreach_tallies(
    state: State<'_, AppState>,
    args: ListOutreachTallies,
) -> Reply<ListOutreachTallies> {
    with_session(&state, move |s| s.outreach_tallies(args.from)).await
}

#[tauri::command]
pub async fn add_linked_person(
    state: State<'_, AppState>,
    args: AddLinkedPerson,
) -> Reply<AddLinkedPerson> {
    with_session(&state, move |s| s.add_linked_person(args.person)).await
}

/// Shows a linked other party's details (audited).
#[tauri::command]
pub async fn reveal_linked_person(
    state: State<'_, AppState>,
    args: RevealLinkedPerson,
) -> Reply<RevealLinkedPerson> {
    with_session(&state, move |s| s.reveal_linked_person(args.link_id)).await
}

#[tauri::command]
pub async fn open_linked_case(
    state: State<'_, AppState>,
    args: OpenLinkedCase,
) -> Reply<OpenLinkedCase> {
    with_session(&state, move |s| {
        s.open_linked_case(args.link_id, &args.programme, args.referral_source)
    })
    .await
}

#[tauri::command]
pub async fn allocated_cases(
    state: State<'_, AppState>,
    args: ListAllocatedCases,
) -> Reply<ListAllocatedCases> {
    let ListAllocatedCases {} = args;
    with_session(&state, move |s| s.allocated_cases()).await
}

#[tauri::command]
pub async fn open_allocated_case(
    state: State<'_, AppState>,
    args: OpenAllocatedCase,
) -> Reply<OpenAllocatedCase> {
    with_session(&state, move |s| s.allocated_case(args.case_id)).await
}

#[tauri::command]
pub async fn complete_supervision_action(
    state: State<'_, AppState>,
    args: CompleteSupervisionAction,
) -> Reply<CompleteSupervisionAction> {
    with_session(&state, move |s| {
        s.complete_supervision_action(args.note_id, args.action_index, args.on)
    })
    .await
}

#[tauri::command]
pub async fn add_supervision_note(
    state: State<'_, AppState>,
    args: AddSupervisionNote,
) -> Reply<AddSupervisionNote> {
    with_session(&state, move |s| s.add_supervision_note(args.note)).await
}

#[tauri::command]
pub async fn save_safety_plan(
    state: State<'_, AppState>,
    args: SaveSafetyPlan,
) -> Reply<SaveSafetyPlan> {
    with_session(&state, move |s| s.save_safety_plan(args.plan)).await
}

#[tauri::command]
pub async fn add_marac_meeting(
    state: State<'_, AppState>,
    args: AddMaracMeeting,
) -> Reply<AddMaracMeeting> {
    with_session(&state, move |s| s.add_marac_meeting(args.meeting)).await
}

#[tauri::command]
pub async fn set_marac_outcome(
    state: State<'_, AppState>,
    args: SetMaracOutcome,
) -> Reply<SetMaracOutcome> {
    with_session(&state, move |s| {
        s.set_marac_outcome(args.meeting_id, &args.outcome)
    })
    .await
}

#[tauri::command]
pub async fn add_marac_action(
    state: State<'_, AppState>,
    args: AddMaracAction,
) -> Reply<AddMaracAction> {
    with_session(&state, move |s| s.add_marac_action(args.action)).await
}

#[tauri::command]
pub async fn complete_marac_action(
    state: State<'_, AppState>,
    args: CompleteMaracAction,
) -> Reply<CompleteMaracAction> {
    with_session(&state, move |s| {
        s.complete_marac_action(args.action_id, args.on)
    })
    .await
}

/// Where files leaving the encrypted store go: Documents/Waymark (the home
/// folder's Waymark where there is no Documents folder).
fn documents(app: &tauri::AppHandle, field: &str) -> Result<std::path::PathBuf, Problem> {
    use tauri::Manager;
    Ok(app
        .path()
        .document_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|_| Problem::at(field, "there is no Documents folder to write to"))?
        .join("Waymark"))
}

/// Writes a subject access export where the person keeps their documents
/// (named by date and case, never the person), readable by them alone.
#[tauri::command]
pub async fn write_subject_access_export(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    args: WriteSubjectAccessExport,
) -> Reply<WriteSubjectAccessExport> {
    let dir = documents(&app, "case_id")?;
    with_session(&state, move |s| {
        let export = s.subject_access_export(args.case_id)?;
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(&export.file_name);
        waymark_core::write_private(&path, &export.bytes)?;
        Ok(path.display().to_string())
    })
    .await
}

/// Writes the MARAC referral form where the person keeps their documents
/// (named by date and the assessment, never the person), readable by them
/// alone: it leaves the encrypted store to be sent securely.
#[tauri::command]
pub async fn write_marac_form(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    args: WriteMaracForm,
) -> Reply<WriteMaracForm> {
    let dir = documents(&app, "assessment_id")?;
    with_session(&state, move |s| {
        let html = s.marac_form(args.assessment_id)?;
        std::fs::create_dir_all(&dir)?;
        let id = args.assessment_id.simple().to_string();
        let path = dir.join(format!(
            "MARAC referral {} {}.html",
            today(),
            &id[id.len() - 8..]
        ));
        waymark_core::write_private(&path, html.as_bytes())?;
        Ok(path.display().to_string())
    })
    .await
}

/// The team view.
#[tauri::command]
pub async fn team(state: State<'_, AppState>, args: GetTeam) -> Reply<GetTeam> {
    let GetTeam {} = args;
    with_session(&state, |s| s.team()).await
}

/// Withdraws an erasure that waits.
#[tauri::command]
pub async fn cancel_erasure(
    state: State<'_, AppState>,
    args: CancelErasure,
) -> Reply<CancelErasure> {
    with_server(&state, move |s, client| {
        client.cancel_erasure(s, args.case_id)
    })
    .await
}

/// The organisation's devices (an admin), each person's identity checked
/// here.
#[tauri::command]
pub async fn org_devices(state: State<'_, AppState>, args: GetOrgDevices) -> Reply<GetOrgDevices> {
    let GetOrgDevices {} = args;
    with_server(&state, |s, client| client.listed_devices(s)).await
}

/// Confirms a person (an admin) by the phrase they read from their own
/// laptop; colleagues' laptops then pass them case keys.
#[tauri::command]
pub async fn confirm_person(
    state: State<'_, AppState>,
    args: ConfirmPerson,
) -> Reply<ConfirmPerson> {
    with_server(&state, move |s, client| {
        client.confirm(s, args.user.trim(), &args.phrase, args.as_admin)
    })
    .await
    .map_err(|mut p| {
        // The CLI's option names are this form's phrase field.
        if matches!(p.field.as_deref(), Some("--fingerprint" | "--admin")) {
            p.field = Some("phrase".into());
        }
        p
    })
}

/// Revokes a device (an admin): it erases its store when it next syncs.
#[tauri::command]
pub async fn revoke_device(state: State<'_, AppState>, args: RevokeDevice) -> Reply<RevokeDevice> {
    with_server(&state, move |s, client| {
        client.revoke_device(s, args.device_id)
    })
    .await
}

/// Makes the organisation's recovery key pair (an admin, once) and registers
/// its public half; the secret goes back to the screen to be kept offline.
#[tauri::command]
pub async fn make_recovery_key(
    state: State<'_, AppState>,
    args: MakeRecoveryKey,
) -> Reply<MakeRecoveryKey> {
    let MakeRecoveryKey {} = args;
    with_server(&state, move |s, client| {
        let mut text = String::new();
        let fingerprint = client.create_recovery_key(s, |made| {
            text.push_str(made);
            Ok(())
        })?;
        Ok(RecoveryKeyMade { fingerprint, text })
    })
    .await
}

/// Restores a person's access with the recovery key (an admin).
#[tauri::command]
pub async fn recover_person(
    state: State<'_, AppState>,
    args: RecoverPerson,
) -> Reply<RecoverPerson> {
    let recovery_key = zeroize::Zeroizing::new(args.recovery_key);
    let secret = waymark_crypto::parse_recovery_key(&recovery_key)
        .map_err(|e| Problem::at("recovery_key", e.to_string()))?;
    let person = args.person.trim().to_owned();
    if person.is_empty() {
        return Err(Problem::at(
            "person",
            "name the person whose access to restore",
        ));
    }
    with_server(&state, move |s, client| {
        client.recover_user(s, &secret, &person)
    })
    .await
}
