//! Waymark's desktop shell: window, state and the command list. The
//! commands (`commands`) are thin adapters over the core's `Session`.

mod commands;
mod lock;
mod state;

use state::AppState;
use std::path::PathBuf;
use tauri::Manager;
use waymark_core::model::views::DemoHint;

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
            let _ = notify_rust::Notification::new()
                .appname("Waymark")
                .summary("Waymark")
                .body(&text)
                .show_async()
                .await;
        }
    }
}

fn main() {
    waymark_core::harden_process();
    tauri::Builder::default()
        .manage(AppState::new(store_dir(), demo_hint()))
        .setup(|app| {
            dates_in_uk_form(app)?;
            tauri::async_runtime::spawn(remind(app.handle().clone()));
            tauri::async_runtime::spawn(lock::lock_when_idle(app.handle().clone()));
            tauri::async_runtime::spawn(lock::lock_on_desktop_signals(app.handle().clone()));
            Ok(())
        })
        .invoke_handler(handler())
        .run(tauri::generate_context!())
        .expect("the Waymark window could not start");
}

/// The webview draws a date or time box (`<input type="date">`) in the
/// order of its preferred language, which WebKitGTK takes from the process
/// locale (US order under C.UTF-8, whatever the page's `lang`). Every date
/// Waymark shows is UK form, so the boxes are too: 03/02/2026, 14:05.
fn dates_in_uk_form(app: &tauri::App) -> tauri::Result<()> {
    #[cfg(target_os = "linux")]
    for window in app.webview_windows().values() {
        window.with_webview(|webview| {
            use webkit2gtk::{WebContextExt, WebViewExt};
            if let Some(context) = webview.inner().context() {
                context.set_preferred_languages(&["en-GB"]);
            }
        })?;
    }
    Ok(())
}

/// The handlers the UI may invoke, one per `waymark_model::commands` type,
/// with their names for the test below.
macro_rules! registered {
    ($($name:ident),* $(,)?) => {
        #[cfg(test)]
        const REGISTERED: &[&str] = &[$(stringify!($name)),*];
        fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(commands::$name),*]
        }
    };
}

registered! {
    store_status,
    unlock,
    lock,
    still_here,
    enrol,
    change_passphrase,
    settings,
    save_settings,
    caseload,
    search,
    create_case,
    open_case,
    reveal_address,
    add_note,
    amend_note,
    note_history,
    save_note_draft,
    note_draft,
    discard_note_draft,
    support_plan,
    add_goal,
    add_plan_action,
    complete_plan_action,
    update_goal,
    rate_goal,
    agenda,
    case_appointments,
    add_appointment,
    record_outcome,
    templates,
    import_template,
    score_assessment,
    complete_assessment,
    decide_prompt,
    assessments,
    referrals,
    add_referral,
    update_referral,
    flags,
    raise_flag,
    record_incident,
    decide_escalation,
    resolve_flag,
    attachments,
    add_attachment,
    open_attachment,
    connect,
    sync_now,
    sync_status,
    conflicts,
    refused_changes,
    refused_recipients,
    refused_keys,
    identity,
    resolve_conflict,
    vocabularies,
    edit_person,
    record_consent,
    add_episode,
    close_episode,
    move_stage,
    programmes,
    add_programme,
    retire_programme,
    report,
    report_teams,
    case_names,
    due,
    retention_review,
    erase_case,
    cancel_erasure,
    case_access,
    share_case,
    reassign_case,
    team,
    sign_off,
    add_supervision_note,
    complete_supervision_action,
    allocated_cases,
    open_allocated_case,
    add_linked_person,
    set_aside_changes,
    add_group_session,
    group_sessions,
    group_register,
    mark_attendance,
    add_outreach_tally,
    outreach_tallies,
    reveal_linked_person,
    open_linked_case,
    save_safety_plan,
    add_marac_meeting,
    set_marac_outcome,
    add_marac_action,
    complete_marac_action,
    write_marac_form,
    write_subject_access_export,
    org_devices,
    revoke_device,
    confirm_person,
    make_recovery_key,
    recover_person,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// A command the UI compiles against but the shell never registered
    /// would fail only when a screen calls it: caught here instead.
    #[test]
    fn the_shell_registers_exactly_the_commands_the_ui_may_call() {
        let registered: BTreeSet<_> = super::REGISTERED.iter().collect();
        let defined: BTreeSet<_> = waymark_core::model::commands::NAMES.iter().collect();
        assert_eq!(registered, defined);
        assert_eq!(
            registered.len(),
            super::REGISTERED.len(),
            "registered twice"
        );
    }
}
