//! Waymark's desktop shell: window, state and the command list. The
//! commands (`commands`) are thin adapters over the core's `Session`.

mod commands;
mod state;

use commands::DemoHint;
use state::AppState;
use std::path::PathBuf;
use tauri::Manager;
use tauri_plugin_notification::NotificationExt;

/// WAYMARK_STORE, as for the CLI, else the core's default.
fn store_dir() -> PathBuf {
    std::env::var_os("WAYMARK_STORE")
        .map(PathBuf::from)
        .or_else(|| waymark_core::api::default_store_dir().ok())
        .unwrap_or_else(|| PathBuf::from("waymark-store"))
}

/// Set by the run command when it started a local demo server.
fn demo_hint() -> Option<DemoHint> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    Some(DemoHint {
        server: var("WAYMARK_DEMO_SERVER")?,
        worker: var("WAYMARK_DEMO_WORKER")?,
        supervisor: var("WAYMARK_DEMO_SUPERVISOR")?,
        passphrase: var("WAYMARK_DEMO_PASSPHRASE")?,
    })
}

/// Every half minute, while someone is unlocked and not syncing: show the
/// appointment reminders that are due. The words carry times only.
async fn remind(app: tauri::AppHandle) {
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        let state = app.state::<AppState>();
        let text = match state.session.try_lock() {
            Ok(mut guard) => match guard.as_mut() {
                Some(s) => s.take_due_reminders(chrono::Utc::now()).ok().flatten(),
                None => None,
            },
            Err(_) => None,
        };
        if let Some(text) = text {
            // No notification service (a bare X server) is not an error worth a window.
            let _ = app
                .notification()
                .builder()
                .title("Waymark")
                .body(text)
                .show();
        }
    }
}

fn main() {
    tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .manage(AppState::new(store_dir(), demo_hint()))
        .setup(|app| {
            tauri::async_runtime::spawn(remind(app.handle().clone()));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::store_status,
            commands::unlock,
            commands::lock,
            commands::enrol,
            commands::enrol_person,
            commands::change_passphrase,
            commands::settings,
            commands::save_settings,
            commands::caseload,
            commands::search,
            commands::create_case,
            commands::open_case,
            commands::reveal_address,
            commands::add_note,
            commands::amend_note,
            commands::note_history,
            commands::save_note_draft,
            commands::note_draft,
            commands::discard_note_draft,
            commands::support_plan,
            commands::add_goal,
            commands::add_plan_action,
            commands::complete_plan_action,
            commands::rate_goal,
            commands::agenda,
            commands::case_appointments,
            commands::add_appointment,
            commands::record_outcome,
            commands::templates,
            commands::score_assessment,
            commands::complete_assessment,
            commands::decide_prompt,
            commands::assessments,
            commands::referrals,
            commands::add_referral,
            commands::update_referral,
            commands::flags,
            commands::raise_flag,
            commands::resolve_flag,
            commands::attachments,
            commands::add_attachment,
            commands::open_attachment,
            commands::connect,
            commands::sync_now,
            commands::sync_status,
            commands::conflicts,
            commands::refused_changes,
            commands::refused_recipients,
            commands::refused_keys,
            commands::identity,
            commands::resolve_conflict,
            commands::vocabularies,
            commands::close_episode,
            commands::retention_review,
            commands::erase_case,
            commands::org_devices,
            commands::revoke_device,
            commands::confirm_person,
            commands::make_recovery_key,
            commands::recover_person,
        ])
        .run(tauri::generate_context!())
        .expect("the Waymark window could not start");
}
