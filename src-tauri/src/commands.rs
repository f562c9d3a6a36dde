//! The commands the UI may invoke. Each is a thin adapter from IPC to the
//! core's `Session` (or the sync client): parse, call, convert the error.
//! No business logic here; errors cross as `Problem` (field + plain words,
//! never case data).

use crate::state::{AppState, SyncState};
use base64::Engine;
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tauri::State;
use uuid::Uuid;
use waymark_core::api::{
    NewAppointment, NewAssessment, NewCase, NewGoal, NewNote, NewPlanAction, NewReferral,
};
use waymark_core::assessment::Answer;
use waymark_core::domain::*;
use waymark_core::local::{CaseloadPage, ConflictView, LiveScore, NoteDraft, Pick, Settings};
use waymark_core::queries::{self, CaseloadFilter};
use waymark_core::{Passphrase, Session};
use waymark_protocol::ErrorCode;
use waymark_sync::{BlockingClient, SyncError};

/// An error as the UI shows it: next to `field` when there is one; `code`
/// says what kind it is when the UI acts on the kind (never in `field`).
#[derive(Debug, Default, Serialize)]
pub struct Problem {
    pub code: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

impl Problem {
    pub(crate) fn plain(message: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            ..Default::default()
        }
    }
    pub(crate) fn locked() -> Self {
        Problem::plain("Waymark is locked: unlock it first")
    }
}

impl From<waymark_core::Error> for Problem {
    fn from(e: waymark_core::Error) -> Self {
        match e {
            e @ waymark_core::Error::DeviceRevoked(_) => Problem {
                code: Some("device_revoked".into()),
                field: None,
                message: e.to_string(),
            },
            waymark_core::Error::Invalid { field, problem } => Problem {
                code: None,
                field: Some(field),
                message: problem,
            },
            other => Problem::plain(other.to_string()),
        }
    }
}

impl From<SyncError> for Problem {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Core(e) => e.into(),
            SyncError::Network { failure, .. } => {
                Problem::plain(format!("{}; your work is kept", failure.sentence()))
            }
            SyncError::BadServerUrl(_) => Problem {
                code: None,
                field: Some("server".into()),
                message: "must start with https:// (or http:// on this computer)".into(),
            },
            SyncError::NotLoggedIn => {
                Problem::plain("this person is not connected to a server yet (Sync → Connect)")
            }
            SyncError::Refused { code, message, .. } => match code {
                ErrorCode::BadCredentials => Problem {
                    code: None,
                    field: Some("passphrase".into()),
                    message: "the server does not know this user name with this passphrase".into(),
                },
                ErrorCode::TooManyAttempts => Problem::plain(format!("the server says: {message}")),
                ErrorCode::UserDisabled => {
                    Problem::plain("your account is disabled: ask your administrator")
                }
                ErrorCode::DeviceRevoked => {
                    Problem::plain("this laptop's access was withdrawn by your administrator")
                }
                // "field: problem" from the server: shown beside the field.
                ErrorCode::Invalid | ErrorCode::Conflict => match message.split_once(": ") {
                    Some((field, problem))
                        if field.chars().all(|c| c.is_ascii_lowercase() || c == '_') =>
                    {
                        Problem {
                            code: None,
                            field: Some(field.into()),
                            message: problem.into(),
                        }
                    }
                    _ => Problem::plain(format!("the server refused: {message}")),
                },
                _ => Problem::plain(format!("the server refused: {message}")),
            },
            other => Problem::plain(other.to_string()),
        }
    }
}

type Answer_<T> = Result<T, Problem>;

/// Runs `f` with the unlocked session.
async fn with_session<T>(
    state: &State<'_, AppState>,
    f: impl FnOnce(&mut Session) -> waymark_core::Result<T>,
) -> Answer_<T> {
    let mut guard = state.session.lock().await;
    let session = guard.as_mut().ok_or_else(Problem::locked)?;
    Ok(f(session)?)
}

fn today() -> NaiveDate {
    queries::local_today(Utc::now())
}

fn parse_id(field: &str, text: &str) -> Answer_<Uuid> {
    Uuid::parse_str(text).map_err(|_| Problem {
        code: None,
        field: Some(field.into()),
        message: "is not a valid id".into(),
    })
}

// --- Opening, enrolling, locking ----------------------------------------------

#[derive(Serialize)]
pub struct StoreStatus {
    exists: bool,
    unlocked_as: Option<String>,
    role: Option<String>,
    /// The local demo server's details, when the run command started one.
    demo: Option<DemoHint>,
}

#[derive(Clone, Serialize)]
pub struct DemoHint {
    pub server: String,
    pub worker: String,
    pub supervisor: String,
    pub passphrase: String,
}

#[tauri::command]
pub async fn store_status(state: State<'_, AppState>) -> Answer_<StoreStatus> {
    let guard = state.session.lock().await;
    let role = match guard.as_ref() {
        Some(s) => s.sync_account()?.map(|a| a.role),
        None => None,
    };
    Ok(StoreStatus {
        exists: waymark_core::StorePaths::new(&state.store).exists(),
        unlocked_as: guard.as_ref().map(|s| s.user().name.clone()),
        role,
        demo: state.demo.clone(),
    })
}

#[tauri::command]
pub async fn unlock(state: State<'_, AppState>, user: String, passphrase: String) -> Answer_<()> {
    let user = (!user.trim().is_empty()).then(|| user.trim().to_owned());
    let store = state.store.clone();
    let pass = Passphrase::new(passphrase);
    // Argon2id takes a moment: off the async workers.
    let session = tauri::async_runtime::spawn_blocking(move || {
        Session::unlock(&store, user.as_deref(), &pass)
    })
    .await
    .map_err(|_| Problem::plain("unlocking stopped unexpectedly"))??;
    *state.session.lock().await = Some(session);
    Ok(())
}

/// Quick exit and idle lock: the UI has already hidden everything; this
/// drops the session and with it the store key.
#[tauri::command]
pub async fn lock(state: State<'_, AppState>) -> Answer_<()> {
    state.session.lock().await.take();
    Ok(())
}

/// First run: creates this laptop's store for the person, connects them to
/// their organisation's server and fetches their cases. If the server
/// refuses, the new store is removed again: nothing half-made is left.
#[tauri::command]
pub async fn enrol(
    state: State<'_, AppState>,
    server: String,
    user: String,
    passphrase: String,
) -> Answer_<()> {
    if waymark_core::StorePaths::new(&state.store).exists() {
        return Err(Problem::plain(
            "this laptop already has a Waymark store: unlock it, then add a person in Settings",
        ));
    }
    let dir = state.store.clone();
    let pass = Passphrase::new(passphrase);
    let user = user.trim().to_owned();
    // Argon2id and the login run off the async workers; a refused join
    // leaves no store behind.
    let session = crate::state::run_sync_task(move || {
        BlockingClient::from_env(&server)?.enrol(&dir, &user, &pass, &waymark_sync::device_label())
    })
    .await??;
    *state.session.lock().await = Some(session);
    // The first sync runs like any other, with its progress shown.
    Ok(())
}

/// Another person on this shared laptop, with their own passphrase.
#[tauri::command]
pub async fn enrol_person(
    state: State<'_, AppState>,
    user: String,
    passphrase: String,
) -> Answer_<()> {
    with_session(&state, |s| {
        s.enrol_user(user.trim(), &Passphrase::new(passphrase))
            .map(|_| ())
    })
    .await
}

#[tauri::command]
pub async fn change_passphrase(
    state: State<'_, AppState>,
    current: String,
    new: String,
) -> Answer_<()> {
    with_session(&state, |s| {
        s.change_passphrase(&Passphrase::new(current), &Passphrase::new(new))
    })
    .await
}

#[tauri::command]
pub async fn settings(state: State<'_, AppState>) -> Answer_<Settings> {
    with_session(&state, |s| s.settings()).await
}

#[tauri::command]
pub async fn save_settings(state: State<'_, AppState>, settings: Settings) -> Answer_<()> {
    with_session(&state, |s| s.save_settings(&settings)).await
}

// --- Caseload and search ---------------------------------------------------------

#[tauri::command]
pub async fn caseload(
    state: State<'_, AppState>,
    filter: CaseloadFilter,
    offset: usize,
    limit: usize,
) -> Answer_<CaseloadPage> {
    with_session(&state, |s| s.caseload_page(&filter, offset, limit)).await
}

#[tauri::command]
pub async fn search(state: State<'_, AppState>, query: String) -> Answer_<Vec<queries::SearchHit>> {
    with_session(&state, |s| s.search(&query, 50)).await
}

// --- A case ------------------------------------------------------------------------

#[tauri::command]
pub async fn create_case(state: State<'_, AppState>, case: NewCase) -> Answer_<String> {
    with_session(&state, |s| s.create_case(case).map(|id| id.to_string())).await
}

#[derive(Serialize)]
pub struct CasePage {
    view: queries::CaseView,
    timeline: Vec<queries::TimelineItem>,
}

#[tauri::command]
pub async fn open_case(state: State<'_, AppState>, case_id: String) -> Answer_<CasePage> {
    let id = parse_id("case", &case_id)?;
    with_session(&state, |s| {
        Ok(CasePage {
            view: s.open_case(id)?,
            timeline: s.timeline(id)?,
        })
    })
    .await
}

#[tauri::command]
pub async fn reveal_address(
    state: State<'_, AppState>,
    case_id: String,
) -> Answer_<Option<String>> {
    let id = parse_id("case", &case_id)?;
    with_session(&state, |s| s.reveal_address(id)).await
}

// --- Notes ---------------------------------------------------------------------------

#[tauri::command]
pub async fn add_note(state: State<'_, AppState>, note: NewNote) -> Answer_<String> {
    with_session(&state, |s| s.add_note(note).map(|id| id.to_string())).await
}

#[tauri::command]
pub async fn amend_note(
    state: State<'_, AppState>,
    note_id: String,
    body: String,
    reason: String,
) -> Answer_<()> {
    let id = parse_id("note", &note_id)?;
    with_session(&state, |s| s.amend_note(id, &body, &reason).map(|_| ())).await
}

#[tauri::command]
pub async fn note_history(
    state: State<'_, AppState>,
    note_id: String,
) -> Answer_<queries::NoteHistory> {
    let id = parse_id("note", &note_id)?;
    with_session(&state, |s| s.note_history(id)).await
}

#[tauri::command]
pub async fn save_note_draft(
    state: State<'_, AppState>,
    case_id: String,
    draft: NoteDraft,
) -> Answer_<chrono::DateTime<Utc>> {
    let id = parse_id("case", &case_id)?;
    with_session(&state, |s| s.save_note_draft(id, &draft)).await
}

#[tauri::command]
pub async fn note_draft(state: State<'_, AppState>, case_id: String) -> Answer_<Option<NoteDraft>> {
    let id = parse_id("case", &case_id)?;
    with_session(&state, |s| s.note_draft(id)).await
}

#[tauri::command]
pub async fn discard_note_draft(state: State<'_, AppState>, case_id: String) -> Answer_<()> {
    let id = parse_id("case", &case_id)?;
    with_session(&state, |s| s.discard_note_draft(id)).await
}

// --- Support plan --------------------------------------------------------------------

#[tauri::command]
pub async fn support_plan(
    state: State<'_, AppState>,
    case_id: String,
) -> Answer_<Vec<queries::GoalView>> {
    let id = parse_id("case", &case_id)?;
    with_session(&state, |s| s.support_plan(id)).await
}

#[tauri::command]
pub async fn add_goal(state: State<'_, AppState>, goal: NewGoal) -> Answer_<String> {
    with_session(&state, |s| s.add_goal(goal).map(|id| id.to_string())).await
}

#[tauri::command]
pub async fn add_plan_action(state: State<'_, AppState>, action: NewPlanAction) -> Answer_<String> {
    with_session(&state, |s| {
        s.add_plan_action(action).map(|id| id.to_string())
    })
    .await
}

#[tauri::command]
pub async fn complete_plan_action(state: State<'_, AppState>, action_id: String) -> Answer_<()> {
    let id = parse_id("action", &action_id)?;
    with_session(&state, |s| s.complete_plan_action(id, today())).await
}

#[tauri::command]
pub async fn rate_goal(
    state: State<'_, AppState>,
    goal_id: String,
    rating: i64,
    comment: Option<String>,
) -> Answer_<()> {
    let id = parse_id("goal", &goal_id)?;
    with_session(&state, |s| {
        s.rate_goal(id, rating, today(), comment).map(|_| ())
    })
    .await
}

// --- Appointments ----------------------------------------------------------------------

/// `week`: the Monday-to-Sunday week of `date` (today if not given), else that day.
#[tauri::command]
pub async fn agenda(
    state: State<'_, AppState>,
    week: bool,
    date: Option<NaiveDate>,
) -> Answer_<Vec<queries::AgendaEntry>> {
    with_session(&state, |s| s.agenda_of(date, week)).await
}

#[tauri::command]
pub async fn case_appointments(
    state: State<'_, AppState>,
    case_id: String,
) -> Answer_<Vec<Appointment>> {
    let id = parse_id("case", &case_id)?;
    with_session(&state, |s| s.appointments(id)).await
}

#[tauri::command]
pub async fn add_appointment(
    state: State<'_, AppState>,
    appointment: NewAppointment,
) -> Answer_<String> {
    with_session(&state, |s| {
        s.add_appointment(appointment).map(|id| id.to_string())
    })
    .await
}

#[tauri::command]
pub async fn record_outcome(
    state: State<'_, AppState>,
    appointment_id: String,
    outcome: AppointmentOutcome,
    note: Option<String>,
) -> Answer_<()> {
    let id = parse_id("appointment", &appointment_id)?;
    with_session(&state, |s| s.record_appointment_outcome(id, outcome, note)).await
}

// --- Assessments -------------------------------------------------------------------------

#[tauri::command]
pub async fn templates(state: State<'_, AppState>) -> Answer_<Vec<AssessmentTemplate>> {
    with_session(&state, |s| s.templates()).await
}

#[tauri::command]
pub async fn score_assessment(
    state: State<'_, AppState>,
    template_key: String,
    answers: BTreeMap<String, Answer>,
) -> Answer_<LiveScore> {
    with_session(&state, |s| {
        s.score_assessment(&template_key, None, &answers)
    })
    .await
}

#[tauri::command]
pub async fn complete_assessment(
    state: State<'_, AppState>,
    assessment: NewAssessment,
) -> Answer_<Assessment> {
    with_session(&state, |s| s.complete_assessment(assessment)).await
}

#[tauri::command]
pub async fn decide_prompt(
    state: State<'_, AppState>,
    assessment_id: String,
    prompt_index: usize,
    decision: DecisionKind,
    reason: Option<String>,
) -> Answer_<Option<String>> {
    let id = parse_id("assessment", &assessment_id)?;
    with_session(&state, |s| {
        s.decide_prompt(id, prompt_index, decision, reason)
            .map(|r| r.map(|id| id.to_string()))
    })
    .await
}

#[tauri::command]
pub async fn assessments(state: State<'_, AppState>, case_id: String) -> Answer_<Vec<Assessment>> {
    let id = parse_id("case", &case_id)?;
    with_session(&state, |s| s.assessments(id)).await
}

// --- Referrals, flags, attachments ---------------------------------------------------------

#[tauri::command]
pub async fn referrals(state: State<'_, AppState>, case_id: String) -> Answer_<Vec<Referral>> {
    let id = parse_id("case", &case_id)?;
    with_session(&state, |s| s.referrals(id)).await
}

#[tauri::command]
pub async fn add_referral(state: State<'_, AppState>, referral: NewReferral) -> Answer_<String> {
    with_session(&state, |s| {
        s.add_referral(referral).map(|id| id.to_string())
    })
    .await
}

#[tauri::command]
pub async fn update_referral(
    state: State<'_, AppState>,
    referral_id: String,
    status: ReferralStatus,
    outcome: Option<String>,
) -> Answer_<()> {
    let id = parse_id("referral", &referral_id)?;
    with_session(&state, |s| s.update_referral(id, status, outcome)).await
}

#[tauri::command]
pub async fn flags(state: State<'_, AppState>, case_id: String) -> Answer_<Vec<Flag>> {
    let id = parse_id("case", &case_id)?;
    with_session(&state, |s| s.flags(id, true)).await
}

#[tauri::command]
pub async fn raise_flag(
    state: State<'_, AppState>,
    case_id: String,
    kind: FlagKind,
    detail: Option<String>,
) -> Answer_<()> {
    let id = parse_id("case", &case_id)?;
    with_session(&state, |s| s.raise_flag(id, kind, detail).map(|_| ())).await
}

#[tauri::command]
pub async fn resolve_flag(state: State<'_, AppState>, flag_id: String) -> Answer_<()> {
    let id = parse_id("flag", &flag_id)?;
    with_session(&state, |s| s.resolve_flag(id)).await
}

#[tauri::command]
pub async fn attachments(state: State<'_, AppState>, case_id: String) -> Answer_<Vec<Attachment>> {
    let id = parse_id("case", &case_id)?;
    with_session(&state, |s| s.attachments(id)).await
}

#[tauri::command]
pub async fn add_attachment(
    state: State<'_, AppState>,
    case_id: String,
    file_name: String,
    media_type: String,
    data_base64: String,
) -> Answer_<String> {
    let id = parse_id("case", &case_id)?;
    let data = base64::engine::general_purpose::STANDARD
        .decode(data_base64.as_bytes())
        .map_err(|_| Problem {
            code: None,
            field: Some("attachment".into()),
            message: "the file could not be read".into(),
        })?;
    with_session(&state, |s| {
        s.add_attachment(id, &file_name, &media_type, &data)
            .map(|id| id.to_string())
    })
    .await
}

/// An attachment's contents, for showing inside the app only: nothing is
/// written to a temporary file the OS could keep.
#[derive(Serialize)]
pub struct OpenedAttachment {
    file_name: String,
    media_type: String,
    size_bytes: u64,
    data_base64: String,
}

#[tauri::command]
pub async fn open_attachment(
    state: State<'_, AppState>,
    attachment_id: String,
) -> Answer_<OpenedAttachment> {
    let id = parse_id("attachment", &attachment_id)?;
    with_session(&state, |s| {
        let (a, data) = s.open_attachment(id)?;
        Ok(OpenedAttachment {
            file_name: a.file_name,
            media_type: a.media_type,
            size_bytes: data.len() as u64,
            data_base64: base64::engine::general_purpose::STANDARD.encode(&data),
        })
    })
    .await
}

// --- Sync ----------------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct ConnectForm {
    server: String,
    passphrase: String,
}

/// Connects the unlocked person to their organisation's server.
#[tauri::command]
pub async fn connect(state: State<'_, AppState>, form: ConnectForm) -> Answer_<()> {
    let client = BlockingClient::from_env(&form.server)?;
    let session = {
        let guard = state.session.lock().await;
        guard.as_ref().ok_or_else(Problem::locked)?.beside()?
    };
    let pass = Passphrase::new(form.passphrase);
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
pub async fn sync_now(state: State<'_, AppState>) -> Answer_<SyncState> {
    crate::state::sync_now(&state).await?;
    Ok(state.sync_state().await)
}

#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Answer_<SyncState> {
    Ok(state.sync_state().await)
}

#[tauri::command]
pub async fn identity(state: State<'_, AppState>) -> Answer_<waymark_core::identity::Identity> {
    with_session(&state, |s| s.identity()).await
}

#[tauri::command]
pub async fn refused_changes(
    state: State<'_, AppState>,
) -> Answer_<Vec<waymark_core::e2e::RefusedChange>> {
    with_session(&state, |s| s.refused_changes()).await
}

#[tauri::command]
pub async fn refused_recipients(
    state: State<'_, AppState>,
) -> Answer_<Vec<waymark_core::trust::RefusedRecipient>> {
    with_session(&state, |s| s.refused_recipients()).await
}

#[tauri::command]
pub async fn refused_keys(
    state: State<'_, AppState>,
) -> Answer_<Vec<waymark_core::trust::RefusedKey>> {
    with_session(&state, |s| s.refused_keys()).await
}

#[tauri::command]
pub async fn conflicts(state: State<'_, AppState>) -> Answer_<Vec<ConflictView>> {
    with_session(&state, |s| s.conflict_views(false)).await
}

#[tauri::command]
pub async fn resolve_conflict(
    state: State<'_, AppState>,
    conflict_id: String,
    pick: Pick,
) -> Answer_<()> {
    let id = parse_id("conflict", &conflict_id)?;
    with_session(&state, |s| s.settle_conflict(id, pick)).await
}

/// The closed vocabularies the forms offer, from the core's own lists.
#[tauri::command]
pub fn vocabularies() -> BTreeMap<&'static str, &'static [&'static str]> {
    BTreeMap::from([
        ("contact_type", ContactType::ALL),
        ("referral_source", ReferralSource::ALL),
        ("need_area", NeedArea::ALL),
        ("agency", Agency::ALL),
        ("appointment_outcome", AppointmentOutcome::ALL),
        ("referral_status", ReferralStatus::ALL),
        ("flag_kind", FlagKind::ALL),
    ])
}

/// Closes a case's episode (the case stays, read-only in effect, until
/// retention review).
#[tauri::command]
pub async fn close_episode(
    state: State<'_, AppState>,
    episode_id: String,
    closed_on: NaiveDate,
    reason: String,
) -> Answer_<()> {
    let id = parse_id("episode", &episode_id)?;
    with_session(&state, |s| s.close_episode(id, closed_on, &reason)).await
}

/// Cases closed for at least `closed_for_days`, for review and erasure.
#[tauri::command]
pub async fn retention_review(
    state: State<'_, AppState>,
    closed_for_days: i64,
) -> Answer_<Vec<queries::RetentionItem>> {
    with_session(&state, |s| s.retention_review(closed_for_days)).await
}

// --- Organisation tasks that need the server (roles checked there) -----------------

/// Runs a server call with the session on a blocking thread (the sync
/// client's futures are not `Send`), then puts the session back.
async fn with_server<T: Send + 'static>(
    state: &State<'_, AppState>,
    call: impl FnOnce(&mut Session, &BlockingClient) -> Result<T, SyncError> + Send + 'static,
) -> Answer_<T> {
    // On a session of its own, beside the person's: the screen stays usable.
    let session = {
        let guard = state.session.lock().await;
        guard.as_ref().ok_or_else(Problem::locked)?.beside()?
    };
    crate::state::run_sync_task(move || {
        let mut session = session;
        let client = BlockingClient::for_session(&session)?;
        call(&mut session, &client)
    })
    .await?
    .map_err(Problem::from)
}

/// Erases a case for good, everywhere (a supervisor or an admin).
#[tauri::command]
pub async fn erase_case(
    state: State<'_, AppState>,
    case_id: String,
    reason: String,
) -> Answer_<()> {
    let id = parse_id("case", &case_id)?;
    if reason.trim().is_empty() {
        return Err(Problem {
            code: None,
            field: Some("reason".into()),
            message: "say why the case is erased".into(),
        });
    }
    with_server(&state, move |s, client| client.erase_case(s, id, &reason)).await
}

/// The organisation's devices (an admin), each person's identity checked
/// here.
#[tauri::command]
pub async fn org_devices(
    state: State<'_, AppState>,
) -> Answer_<Vec<waymark_core::identity::ListedDevice>> {
    with_server(&state, |s, client| client.listed_devices(s)).await
}

/// Confirms a person (an admin) by the phrase they read from their own
/// laptop; colleagues' laptops then pass them case keys.
#[tauri::command]
pub async fn confirm_person(
    state: State<'_, AppState>,
    user: String,
    phrase: String,
    as_admin: bool,
) -> Answer_<waymark_sync::Confirmed> {
    with_server(&state, move |s, client| {
        client.confirm(s, user.trim(), &phrase, as_admin)
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
pub async fn revoke_device(state: State<'_, AppState>, device_id: String) -> Answer_<()> {
    let id = parse_id("device", &device_id)?;
    with_server(&state, move |s, client| client.revoke_device(s, id)).await
}

/// The recovery key just made: shown once, never kept by the app.
#[derive(Serialize)]
pub struct RecoveryKeyMade {
    pub fingerprint: String,
    pub text: String,
}

/// Makes the organisation's recovery key pair (an admin, once) and registers
/// its public half; the secret goes back to the screen to be kept offline.
#[tauri::command]
pub async fn make_recovery_key(state: State<'_, AppState>) -> Answer_<RecoveryKeyMade> {
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
    person: String,
    recovery_key: String,
) -> Answer_<u64> {
    let recovery_key = zeroize::Zeroizing::new(recovery_key);
    let secret = waymark_crypto::parse_recovery_key(&recovery_key).map_err(|e| Problem {
        code: None,
        field: Some("recovery_key".into()),
        message: e.to_string(),
    })?;
    if person.trim().is_empty() {
        return Err(Problem {
            code: None,
            field: Some("person".into()),
            message: "name the person whose access to restore".into(),
        });
    }
    with_server(&state, move |s, client| {
        client.recover_user(s, &secret, person.trim())
    })
    .await
}
