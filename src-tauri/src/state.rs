//! What the shell holds while running: the store's place, the unlocked
//! session (if any), and the state of the last sync for the status bar.

use crate::commands::{DemoHint, Problem};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use waymark_core::Session;
use waymark_sync::{Phase, Progress, SyncError};

pub struct AppState {
    pub store: PathBuf,
    /// The unlocked session. A tokio mutex: sync holds it across awaits.
    pub session: tokio::sync::Mutex<Option<Session>>,
    /// Set by `lock` while a sync holds the session: the sync drops the
    /// session instead of handing it back.
    pub lock_requested: AtomicBool,
    pub sync: Arc<std::sync::Mutex<SyncProgress>>,
    pub demo: Option<DemoHint>,
}

/// The running sync's progress and how the last one ended.
#[derive(Clone, Debug, Default)]
pub struct SyncProgress {
    pub running: bool,
    pub progress: Option<Progress>,
    pub offline: bool,
    pub last_error: Option<String>,
}

/// The status bar: always visible while unlocked.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SyncState {
    pub connected: bool,
    pub server: Option<String>,
    pub running: bool,
    pub phase: Option<Phase>,
    pub done: u64,
    pub total: u64,
    pub offline: bool,
    pub last_error: Option<String>,
    pub last_synced_ms: Option<i64>,
    pub unsynced_changes: i64,
    pub open_conflicts: usize,
    /// Changes pulled before their case key reached this laptop.
    pub awaiting_key: i64,
    /// Changes refused on arrival (tampered with, or breaking a rule).
    pub refused_changes: i64,
    /// No admin has confirmed this person's identity yet: colleagues'
    /// devices seal them no case keys.
    pub waiting_for_confirmation: bool,
}

impl AppState {
    pub fn new(store: PathBuf, demo: Option<DemoHint>) -> Self {
        AppState {
            store,
            session: tokio::sync::Mutex::new(None),
            lock_requested: AtomicBool::new(false),
            sync: Arc::new(std::sync::Mutex::new(SyncProgress::default())),
            demo,
        }
    }

    fn progress(&self) -> SyncProgress {
        self.sync.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Never waits for a running sync: the store's figures are read only
    /// when the session is free.
    pub async fn sync_state(&self) -> SyncState {
        let p = self.progress();
        let mut state = SyncState {
            running: p.running,
            phase: p.progress.map(|p| p.phase),
            done: p.progress.map_or(0, |p| p.done),
            total: p.progress.map_or(0, |p| p.total),
            offline: p.offline,
            last_error: p.last_error,
            ..Default::default()
        };
        if let Ok(guard) = self.session.try_lock() {
            if let Some(s) = guard.as_ref() {
                if let Ok(Some(account)) = s.sync_account() {
                    state.connected = true;
                    state.server = Some(account.server_url.clone());
                    state.last_synced_ms = account.synced_at_ms;
                    state.waiting_for_confirmation =
                        s.trust_state().is_ok_and(|t| t.confirmed_as.is_none());
                }
                state.unsynced_changes = s.pending_changes().unwrap_or(0);
                state.open_conflicts = s.conflicts(true).map_or(0, |c| c.len());
                state.awaiting_key = s.awaiting_key().unwrap_or(0);
                state.refused_changes = s.refused_count().unwrap_or(0);
            }
        }
        state
    }
}

/// Runs a future to completion on a runtime of this thread's own. The sync
/// client's futures borrow the session and a progress callback, so they run
/// on a blocking thread rather than on Tauri's async workers.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for sync")
        .block_on(f)
}

pub async fn run_sync_task<T: Send + 'static>(
    task: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Problem> {
    tauri::async_runtime::spawn_blocking(task)
        .await
        .map_err(|_| Problem {
            field: None,
            message: "sync stopped unexpectedly; your work is kept".into(),
        })
}

/// Pushes and pulls for the unlocked person, with progress for the status
/// bar. Other commands wait for the session meanwhile.
pub async fn sync_now(state: &AppState) -> Result<(), Problem> {
    let mut guard = state.session.lock().await;
    let session = guard.take().ok_or(Problem {
        field: None,
        message: "Waymark is locked: unlock it first".into(),
    })?;
    let prepared = session
        .sync_account()
        .map_err(Problem::from)
        .and_then(|a| a.ok_or_else(|| SyncError::NotLoggedIn.into()))
        .and_then(|a| Ok((waymark_sync::Client::from_env(&a.server_url)?, a)));
    let (client, account) = match prepared {
        Ok(ready) => ready,
        Err(e) => {
            *guard = Some(session);
            return Err(e);
        }
    };
    {
        let mut p = state.sync.lock().unwrap_or_else(|p| p.into_inner());
        p.running = true;
        p.progress = None;
    }
    let shared = state.sync.clone();
    let (session, outcome) = run_sync_task(move || {
        let mut session = session;
        let mut on_progress = |p: Progress| {
            shared.lock().unwrap_or_else(|p| p.into_inner()).progress = Some(p);
        };
        let outcome = block_on(client.sync(&mut session, &mut on_progress));
        (session, outcome.map_err(|stopped| stopped.error))
    })
    .await?;
    let revoked = outcome.as_ref().is_err_and(|e| {
        e.is_device_revoked() && waymark_sync::revocation_is_trusted(&account.server_url)
    });
    if revoked {
        // The organisation withdrew this laptop: erase its store, say why.
        let dir = session.store_dir().display().to_string();
        let wiped = session.wipe();
        *state.sync.lock().unwrap_or_else(|p| p.into_inner()) = SyncProgress::default();
        return Err(match wiped {
            Ok(()) => Problem {
                field: Some("device_revoked".into()),
                message: waymark_core::Error::DeviceRevoked(dir).to_string(),
            },
            Err(e) => e.into(),
        });
    }
    let offline = matches!(outcome, Err(SyncError::Network { .. }));
    let outcome = outcome.map(|_| ()).map_err(Problem::from);
    {
        let mut p = state.sync.lock().unwrap_or_else(|p| p.into_inner());
        p.running = false;
        p.progress = None;
        p.offline = offline;
        p.last_error = outcome.as_ref().err().map(|e| e.message.clone());
    }
    if state.lock_requested.load(Ordering::SeqCst) {
        session.lock();
    } else {
        *guard = Some(session);
    }
    outcome
}
