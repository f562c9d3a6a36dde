//! Waymark's desktop shell. Each command is a thin adapter from IPC to the
//! core's `Session`; no business logic lives here. Errors cross as the
//! core's plain-language message (never case data).

use serde::Serialize;
use std::path::PathBuf;
use std::sync::Mutex;
use waymark_core::queries::{CaseloadEntry, CaseloadFilter};
use waymark_core::{Passphrase, Session};

struct AppState {
    store: PathBuf,
    session: Mutex<Option<Session>>,
}

#[derive(Serialize)]
struct StoreStatus {
    exists: bool,
    unlocked_as: Option<String>,
}

/// WAYMARK_STORE, as for the CLI, else the core's default.
fn store_dir() -> PathBuf {
    std::env::var_os("WAYMARK_STORE")
        .map(PathBuf::from)
        .or_else(|| waymark_core::api::default_store_dir().ok())
        .unwrap_or_else(|| PathBuf::from("waymark-store"))
}

#[tauri::command]
fn store_status(state: tauri::State<AppState>) -> StoreStatus {
    let session = state.session.lock().unwrap_or_else(|p| p.into_inner());
    StoreStatus {
        exists: state.store.join("keys.json").exists(),
        unlocked_as: session.as_ref().map(|s| s.user().name.clone()),
    }
}

#[tauri::command]
fn unlock(state: tauri::State<AppState>, user: String, passphrase: String) -> Result<(), String> {
    let user = (!user.trim().is_empty()).then(|| user.trim().to_owned());
    let session = Session::unlock(&state.store, user.as_deref(), &Passphrase::new(passphrase))
        .map_err(|e| e.to_string())?;
    *state.session.lock().unwrap_or_else(|p| p.into_inner()) = Some(session);
    Ok(())
}

#[tauri::command]
fn lock(state: tauri::State<AppState>) {
    // Dropping the session drops the store key.
    state
        .session
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
}

#[tauri::command]
fn caseload(state: tauri::State<AppState>) -> Result<Vec<CaseloadEntry>, String> {
    let session = state.session.lock().unwrap_or_else(|p| p.into_inner());
    let session = session.as_ref().ok_or("locked: unlock first")?;
    session
        .caseload(&CaseloadFilter::default())
        .map_err(|e| e.to_string())
}

fn main() {
    tauri::Builder::default()
        .manage(AppState {
            store: store_dir(),
            session: Mutex::new(None),
        })
        .invoke_handler(tauri::generate_handler![
            store_status,
            unlock,
            lock,
            caseload
        ])
        .run(tauri::generate_context!())
        .expect("the Waymark window could not start");
}
