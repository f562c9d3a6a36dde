//! The one boundary between the UI and the backend: every call into the
//! Tauri shell goes through here, so screens never touch IPC. Errors come
//! back as a `Problem`: the field it concerns (if any) and plain words.

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], catch)]
    async fn invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

/// What went wrong, in words for the person, next to `field` when known;
/// `code` names the kind when a screen acts on it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Problem {
    #[serde(default)]
    pub code: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn plain(message: impl Into<String>) -> Self {
        Problem {
            code: None,
            field: None,
            message: message.into(),
        }
    }
    /// The same problem for a form repeated on a screen, whose field ids
    /// end in `-{suffix}` so each stays unique.
    pub fn scoped(&self, suffix: &str) -> Problem {
        Problem {
            code: self.code.clone(),
            field: self.field.as_ref().map(|f| format!("{f}-{suffix}")),
            message: self.message.clone(),
        }
    }

    /// The message for `field`, if this problem is about it.
    pub fn about(&self, field: &str) -> Option<String> {
        (self.field.as_deref() == Some(field)).then(|| self.message.clone())
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}: {}", field.replace('_', " "), self.message),
            None => f.write_str(&self.message),
        }
    }
}

pub type Answer<T> = Result<T, Problem>;

async fn call<R: DeserializeOwned>(cmd: &str, args: Value) -> Answer<R> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = args
        .serialize(&serializer)
        .map_err(|e| Problem::plain(e.to_string()))?;
    match invoke(cmd, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value)
            .map_err(|e| Problem::plain(format!("the app sent something unexpected: {e}"))),
        Err(e) => Err(
            serde_wasm_bindgen::from_value::<Problem>(e.clone()).unwrap_or_else(|_| {
                Problem::plain(
                    e.as_string()
                        .unwrap_or_else(|| "the app could not do that".into()),
                )
            }),
        ),
    }
}

// --- Types the screens show (only the fields they use) -----------------------

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct StoreStatus {
    pub exists: bool,
    pub unlocked_as: Option<String>,
    pub role: Option<String>,
    pub demo: Option<DemoHint>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct DemoHint {
    pub server: String,
    pub worker: String,
    pub supervisor: String,
    pub passphrase: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CaseloadPage {
    pub total: usize,
    pub offset: usize,
    pub entries: Vec<CaseRow>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CaseRow {
    pub case_id: String,
    pub full_name: String,
    pub preferred_name: Option<String>,
    pub keyworker: Option<String>,
    pub risk_level: Option<String>,
    pub open_flags: i64,
    pub days_since_contact: Option<i64>,
    pub next_appointment_at: Option<String>,
    pub next_review_on: Option<String>,
    pub review_overdue: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CaseloadFilter {
    pub risk_level: Option<String>,
    pub overdue_review: bool,
    pub no_contact_days: Option<i64>,
    pub flagged: bool,
    pub mine: bool,
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct SearchHit {
    pub kind: String,
    pub case_id: String,
    pub record_id: String,
    pub person_name: String,
    pub snippet: String,
    pub at: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SafeContact {
    pub calls_safe: Option<bool>,
    pub texts_safe: Option<bool>,
    pub voicemail_safe: Option<bool>,
    pub safe_times: Option<String>,
    pub code_word: Option<String>,
    pub instructions: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Person {
    pub id: String,
    pub full_name: String,
    pub preferred_name: Option<String>,
    pub pronouns: Option<String>,
    pub date_of_birth: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub safe_contact: SafeContact,
    pub address_restricted: bool,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Episode {
    pub id: String,
    pub programme: String,
    pub keyworker: String,
    pub status: String,
    pub opened_on: String,
    pub closed_on: Option<String>,
    pub closure_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CaseView {
    pub person: Person,
    pub address_shown: Option<String>,
    pub open_flags: Vec<Flag>,
    pub episodes: Vec<Episode>,
    pub risk_level: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TimelineItem {
    pub at: String,
    pub kind: String,
    pub id: String,
    pub title: String,
    pub detail: Option<String>,
    /// Who wrote it, where known (notes).
    pub by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CasePage {
    pub view: CaseView,
    pub timeline: Vec<TimelineItem>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Note {
    pub id: String,
    pub occurred_at: String,
    pub contact_type: String,
    pub duration_minutes: Option<i64>,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Amendment {
    pub body: String,
    pub reason: String,
    pub amended_at: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct NoteHistory {
    pub note: Note,
    pub amendments: Vec<Amendment>,
    pub current_body: String,
    pub written_by: Option<String>,
    pub amended_by: Vec<Option<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NoteDraft {
    pub body: String,
    pub contact_type: Option<String>,
    pub duration_minutes: Option<i64>,
    pub location: Option<String>,
    #[serde(skip_serializing)]
    pub saved_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Goal {
    pub id: String,
    pub need_area: String,
    pub description: String,
    pub review_on: Option<String>,
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PlanAction {
    pub id: String,
    pub description: String,
    pub owner: String,
    pub due_on: Option<String>,
    pub done_on: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Rating {
    pub rating: i64,
    pub rated_on: String,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct GoalView {
    pub goal: Goal,
    pub actions: Vec<PlanAction>,
    pub ratings: Vec<Rating>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Appointment {
    pub id: String,
    pub case_id: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: Option<String>,
    pub agency: String,
    pub with_whom: Option<String>,
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AgendaEntry {
    pub appointment: Appointment,
    pub person_name: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Template {
    pub key: String,
    pub name: String,
    pub definition: TemplateDefinition,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TemplateDefinition {
    pub description: String,
    pub questions: Vec<Question>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub answer: AnswerKind,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerKind {
    YesNo,
    Scale { min: i64, max: i64 },
    Choice { options: Vec<ChoiceOption> },
    Text,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Prompt {
    pub action: String,
    pub agency: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ScoreResult {
    pub score: i64,
    pub level: String,
    pub label: String,
    pub prompts: Vec<Prompt>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct LiveScore {
    pub result: ScoreResult,
    pub unanswered: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Decision {
    pub prompt_index: usize,
    pub decision: String,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Assessment {
    pub id: String,
    pub template_key: String,
    pub score: i64,
    pub level: String,
    pub prompts: Vec<Prompt>,
    pub decisions: Vec<Decision>,
    pub completed_at: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Referral {
    pub id: String,
    pub agency: String,
    pub reason: String,
    pub status: String,
    pub outcome: Option<String>,
    pub made_on: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Flag {
    pub id: String,
    pub kind: String,
    pub detail: Option<String>,
    pub raised_at: String,
    pub resolved_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Attachment {
    pub id: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub added_at: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct OpenedAttachment {
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: u64,
    pub data_base64: String,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct SyncState {
    pub connected: bool,
    pub server: Option<String>,
    pub running: bool,
    pub phase: Option<String>,
    pub done: u64,
    pub total: u64,
    pub offline: bool,
    pub last_error: Option<String>,
    pub last_synced_ms: Option<i64>,
    pub unsynced_changes: i64,
    pub open_conflicts: usize,
    pub awaiting_key: i64,
    pub refused_changes: i64,
    pub waiting_for_confirmation: bool,
}

/// A recipient the server listed that this laptop never sealed a key to.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct RefusedRecipient {
    pub recipient_key: String,
    pub reason: String,
    pub last_refused_at: String,
}

pub async fn refused_recipients() -> Answer<Vec<RefusedRecipient>> {
    call("refused_recipients", json!({})).await
}

/// A case key relayed to this laptop that no confirmed colleague signed:
/// held aside unopened, checked again at each sync.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct RefusedKey {
    pub log_id: String,
    pub epoch: u32,
    pub reason: String,
    pub refused_at: String,
}

pub async fn refused_keys() -> Answer<Vec<RefusedKey>> {
    call("refused_keys", json!({})).await
}

/// A change this laptop refused on arrival: never applied, kept as it came.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct RefusedChange {
    pub log_id: String,
    pub seq: i64,
    pub change_id: String,
    pub reason: String,
    pub refused_at: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Conflict {
    pub id: String,
    pub kind: String,
    pub field: String,
    pub kept_value: Value,
    pub lost_value: Value,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Side {
    pub written_at: Option<String>,
    pub by_this_device: bool,
    pub device: String,
    /// Who signed what that device sent (user names), if known here.
    pub by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ConflictView {
    pub conflict: Conflict,
    pub case_name: Option<String>,
    pub kept: Side,
    pub other: Side,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub lock_minutes: u32,
    pub language: String,
}

// --- Calls ----------------------------------------------------------------------

pub async fn store_status() -> Answer<StoreStatus> {
    call("store_status", json!({})).await
}

pub async fn unlock(user: &str, passphrase: &str) -> Answer<()> {
    call("unlock", json!({ "user": user, "passphrase": passphrase })).await
}

pub async fn lock() -> Answer<()> {
    call("lock", json!({})).await
}

pub async fn enrol(server: &str, user: &str, passphrase: &str) -> Answer<()> {
    call(
        "enrol",
        json!({ "server": server, "user": user, "passphrase": passphrase }),
    )
    .await
}

pub async fn enrol_person(user: &str, passphrase: &str) -> Answer<()> {
    call(
        "enrol_person",
        json!({ "user": user, "passphrase": passphrase }),
    )
    .await
}

pub async fn change_passphrase(current: &str, new: &str) -> Answer<()> {
    call(
        "change_passphrase",
        json!({ "current": current, "new": new }),
    )
    .await
}

pub async fn settings() -> Answer<Settings> {
    call("settings", json!({})).await
}

pub async fn save_settings(settings: &Settings) -> Answer<()> {
    call("save_settings", json!({ "settings": settings })).await
}

pub async fn caseload(
    filter: &CaseloadFilter,
    offset: usize,
    limit: usize,
) -> Answer<CaseloadPage> {
    call(
        "caseload",
        json!({ "filter": filter, "offset": offset, "limit": limit }),
    )
    .await
}

pub async fn search(query: &str) -> Answer<Vec<SearchHit>> {
    call("search", json!({ "query": query })).await
}

/// `case` is a `NewCase`: { person: {...}, referral_source, programme }.
pub async fn create_case(case: Value) -> Answer<String> {
    call("create_case", json!({ "case": case })).await
}

pub async fn open_case(case_id: &str) -> Answer<CasePage> {
    call("open_case", json!({ "caseId": case_id })).await
}

pub async fn reveal_address(case_id: &str) -> Answer<Option<String>> {
    call("reveal_address", json!({ "caseId": case_id })).await
}

pub async fn add_note(note: Value) -> Answer<String> {
    call("add_note", json!({ "note": note })).await
}

pub async fn amend_note(note_id: &str, body: &str, reason: &str) -> Answer<()> {
    call(
        "amend_note",
        json!({ "noteId": note_id, "body": body, "reason": reason }),
    )
    .await
}

pub async fn note_history(note_id: &str) -> Answer<NoteHistory> {
    call("note_history", json!({ "noteId": note_id })).await
}

pub async fn save_note_draft(case_id: &str, draft: &NoteDraft) -> Answer<String> {
    call(
        "save_note_draft",
        json!({ "caseId": case_id, "draft": draft }),
    )
    .await
}

pub async fn note_draft(case_id: &str) -> Answer<Option<NoteDraft>> {
    call("note_draft", json!({ "caseId": case_id })).await
}

pub async fn discard_note_draft(case_id: &str) -> Answer<()> {
    call("discard_note_draft", json!({ "caseId": case_id })).await
}

pub async fn support_plan(case_id: &str) -> Answer<Vec<GoalView>> {
    call("support_plan", json!({ "caseId": case_id })).await
}

pub async fn add_goal(goal: Value) -> Answer<String> {
    call("add_goal", json!({ "goal": goal })).await
}

pub async fn add_plan_action(action: Value) -> Answer<String> {
    call("add_plan_action", json!({ "action": action })).await
}

pub async fn complete_plan_action(action_id: &str) -> Answer<()> {
    call("complete_plan_action", json!({ "actionId": action_id })).await
}

pub async fn rate_goal(goal_id: &str, rating: i64, comment: Option<String>) -> Answer<()> {
    call(
        "rate_goal",
        json!({ "goalId": goal_id, "rating": rating, "comment": comment }),
    )
    .await
}

pub async fn agenda(week: bool) -> Answer<Vec<AgendaEntry>> {
    call("agenda", json!({ "week": week, "date": null })).await
}

pub async fn case_appointments(case_id: &str) -> Answer<Vec<Appointment>> {
    call("case_appointments", json!({ "caseId": case_id })).await
}

pub async fn add_appointment(appointment: Value) -> Answer<String> {
    call("add_appointment", json!({ "appointment": appointment })).await
}

pub async fn record_outcome(
    appointment_id: &str,
    outcome: &str,
    note: Option<String>,
) -> Answer<()> {
    call(
        "record_outcome",
        json!({ "appointmentId": appointment_id, "outcome": outcome, "note": note }),
    )
    .await
}

pub async fn templates() -> Answer<Vec<Template>> {
    call("templates", json!({})).await
}

pub async fn score_assessment(
    template_key: &str,
    answers: &BTreeMap<String, Value>,
) -> Answer<LiveScore> {
    call(
        "score_assessment",
        json!({ "templateKey": template_key, "answers": answers }),
    )
    .await
}

pub async fn complete_assessment(
    case_id: &str,
    template_key: &str,
    answers: &BTreeMap<String, Value>,
) -> Answer<Assessment> {
    call(
        "complete_assessment",
        json!({ "assessment": { "case_id": case_id, "template_key": template_key,
                "template_version": null, "answers": answers } }),
    )
    .await
}

pub async fn decide_prompt(
    assessment_id: &str,
    prompt_index: usize,
    decision: &str,
    reason: Option<String>,
) -> Answer<Option<String>> {
    call(
        "decide_prompt",
        json!({ "assessmentId": assessment_id, "promptIndex": prompt_index,
                "decision": decision, "reason": reason }),
    )
    .await
}

pub async fn assessments(case_id: &str) -> Answer<Vec<Assessment>> {
    call("assessments", json!({ "caseId": case_id })).await
}

pub async fn referrals(case_id: &str) -> Answer<Vec<Referral>> {
    call("referrals", json!({ "caseId": case_id })).await
}

pub async fn add_referral(referral: Value) -> Answer<String> {
    call("add_referral", json!({ "referral": referral })).await
}

pub async fn update_referral(
    referral_id: &str,
    status: &str,
    outcome: Option<String>,
) -> Answer<()> {
    call(
        "update_referral",
        json!({ "referralId": referral_id, "status": status, "outcome": outcome }),
    )
    .await
}

pub async fn flags(case_id: &str) -> Answer<Vec<Flag>> {
    call("flags", json!({ "caseId": case_id })).await
}

pub async fn raise_flag(case_id: &str, kind: &str, detail: Option<String>) -> Answer<()> {
    call(
        "raise_flag",
        json!({ "caseId": case_id, "kind": kind, "detail": detail }),
    )
    .await
}

pub async fn resolve_flag(flag_id: &str) -> Answer<()> {
    call("resolve_flag", json!({ "flagId": flag_id })).await
}

pub async fn attachments(case_id: &str) -> Answer<Vec<Attachment>> {
    call("attachments", json!({ "caseId": case_id })).await
}

pub async fn add_attachment(
    case_id: &str,
    file_name: &str,
    media_type: &str,
    data_base64: String,
) -> Answer<String> {
    call(
        "add_attachment",
        json!({ "caseId": case_id, "fileName": file_name, "mediaType": media_type,
                "dataBase64": data_base64 }),
    )
    .await
}

pub async fn open_attachment(attachment_id: &str) -> Answer<OpenedAttachment> {
    call("open_attachment", json!({ "attachmentId": attachment_id })).await
}

pub async fn connect(server: &str, passphrase: &str) -> Answer<()> {
    call(
        "connect",
        json!({ "form": { "server": server, "passphrase": passphrase } }),
    )
    .await
}

pub async fn sync_now() -> Answer<SyncState> {
    call("sync_now", json!({})).await
}

pub async fn sync_status() -> Answer<SyncState> {
    call("sync_status", json!({})).await
}

pub async fn refused_changes() -> Answer<Vec<RefusedChange>> {
    call("refused_changes", json!({})).await
}

pub async fn conflicts() -> Answer<Vec<ConflictView>> {
    call("conflicts", json!({})).await
}

pub async fn resolve_conflict(conflict_id: &str, pick: &str) -> Answer<()> {
    call(
        "resolve_conflict",
        json!({ "conflictId": conflict_id, "pick": pick }),
    )
    .await
}

/// The closed vocabularies (contact types, agencies, ...) as the core lists them.
pub type Vocab = BTreeMap<String, Vec<String>>;

pub async fn vocabularies() -> Answer<Vocab> {
    call("vocabularies", json!({})).await
}

pub async fn close_episode(episode_id: &str, closed_on: &str, reason: &str) -> Answer<()> {
    call(
        "close_episode",
        json!({ "episodeId": episode_id, "closedOn": closed_on, "reason": reason }),
    )
    .await
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct RetentionItem {
    pub case_id: String,
    pub person_name: String,
    pub closed_on: String,
    pub days_closed: i64,
    pub closure_reason: Option<String>,
}

pub async fn retention_review(closed_for_days: i64) -> Answer<Vec<RetentionItem>> {
    call(
        "retention_review",
        json!({ "closedForDays": closed_for_days }),
    )
    .await
}

/// Erases a case for good, everywhere (a supervisor or an admin).
pub async fn erase_case(case_id: &str, reason: &str) -> Answer<()> {
    call("erase_case", json!({ "caseId": case_id, "reason": reason })).await
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct DeviceInfo {
    pub device_id: String,
    pub user: String,
    pub label: String,
    pub last_seen_at_ms: i64,
    pub revoked: bool,
    pub key_fingerprint: Option<String>,
    /// The person's identity phrase there, computed by this laptop.
    pub fingerprint_phrase: Option<String>,
    /// Whether that identity vouches for the device's key.
    pub key_vouched: bool,
    pub role: String,
    /// `None`: waiting for an admin to confirm the person.
    pub confirmed_as: Option<String>,
}

pub async fn confirm_person(user: &str, phrase: &str, as_admin: bool) -> Answer<()> {
    call::<serde_json::Value>(
        "confirm_person",
        json!({ "user": user, "phrase": phrase, "asAdmin": as_admin }),
    )
    .await
    .map(|_| ())
}

/// The person's identity on this laptop.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Identity {
    pub fingerprint_phrase: String,
    /// `None`: waiting for an admin to confirm.
    pub confirmed_as: Option<String>,
}

pub async fn identity() -> Answer<Identity> {
    call("identity", json!({})).await
}

pub async fn org_devices() -> Answer<Vec<DeviceInfo>> {
    call("org_devices", json!({})).await
}

pub async fn revoke_device(device_id: &str) -> Answer<()> {
    call("revoke_device", json!({ "deviceId": device_id })).await
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct RecoveryKeyMade {
    pub fingerprint: String,
    pub text: String,
}

pub async fn make_recovery_key() -> Answer<RecoveryKeyMade> {
    call("make_recovery_key", json!({})).await
}

pub async fn recover_person(person: &str, recovery_key: &str) -> Answer<u64> {
    call(
        "recover_person",
        json!({ "person": person, "recoveryKey": recovery_key }),
    )
    .await
}
