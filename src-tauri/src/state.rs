//! What the shell holds while running: the store's place, the unlocked
//! session (if any), and the state of the last sync for the status bar.

use crate::commands::locked;
use std::path::PathBuf;
use std::sync::Arc;
use waymark_core::model::views::{DemoHint, SyncState};
use waymark_core::model::Problem;
use waymark_core::Session;
use waymark_sync::{BlockingClient, Progress, SyncError};

pub struct AppState {
    pub store: PathBuf,
    /// The unlocked session. Server calls and sync run on a session beside
    /// it (`Session::beside`), so it is held only for a command's moment.
    pub session: tokio::sync::Mutex<Option<Session>>,
    /// One sync at a time.
    pub sync_turn: tokio::sync::Mutex<()>,
    pub sync: Arc<std::sync::Mutex<SyncProgress>>,
    pub demo: Option<DemoHint>,
    /// For the idle lock.
    pub activity: crate::lock::Activity,
}

/// The running sync's progress and how the last one ended.
#[derive(Clone, Debug, Default)]
pub struct SyncProgress {
    pub running: bool,
    pub progress: Option<Progress>,
    pub offline: bool,
    pub last_error: Option<String>,
}

impl AppState {
    pub fn new(store: PathBuf, demo: Option<DemoHint>) -> Self {
        AppState {
            store,
            session: tokio::sync::Mutex::new(None),
            sync_turn: tokio::sync::Mutex::new(()),
            sync: Arc::new(std::sync::Mutex::new(SyncProgress::default())),
            demo,
            activity: crate::lock::Activity::new(),
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

pub async fn run_sync_task<T: Send + 'static>(
    task: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Problem> {
    tauri::async_runtime::spawn_blocking(task)
        .await
        .map_err(|_| Problem::plain("sync stopped unexpectedly; your work is kept"))
}

/// Pushes and pulls for the unlocked person, with progress for the status
/// bar, on a session beside theirs: their commands go on meanwhile. One
/// sync at a time.
pub async fn sync_now(state: &AppState) -> Result<(), Problem> {
    let _turn = state.sync_turn.lock().await;
    let session = {
        let guard = state.session.lock().await;
        guard.as_ref().ok_or_else(locked)?.beside()?
    };
    {
        let mut p = state.sync.lock().unwrap_or_else(|p| p.into_inner());
        p.running = true;
        p.progress = None;
    }
    let shared = state.sync.clone();
    let outcome = run_sync_task(move || {
        let mut session = session;
        let mut on_progress = |p: Progress| {
            shared.lock().unwrap_or_else(|p| p.into_inner()).progress = Some(p);
        };
        let synced = BlockingClient::for_session(&session).and_then(|client| {
            client
                .sync(&mut session, &mut on_progress)
                .map_err(|stopped| stopped.error)
        });
        match synced {
            Ok(_) => Ok(()),
            // Revoked by the organisation: the store is erased here.
            Err(e) => match waymark_sync::erase_if_revoked(session, &e) {
                Ok(_) => Err(Outcome::Failed(e)),
                Err(erased) => Err(Outcome::Erased(erased)),
            },
        }
    })
    .await?;
    let outcome = match outcome {
        Err(Outcome::Erased(e)) => {
            // The person's session goes too: its store is gone.
            state.session.lock().await.take();
            *state.sync.lock().unwrap_or_else(|p| p.into_inner()) = SyncProgress::default();
            return Err(Problem::from(e));
        }
        Err(Outcome::Failed(e)) => Err(e),
        Ok(()) => Ok(()),
    };
    let offline = matches!(outcome, Err(SyncError::Network { .. }));
    let outcome = outcome.map_err(Problem::from);
    {
        let mut p = state.sync.lock().unwrap_or_else(|p| p.into_inner());
        p.running = false;
        p.progress = None;
        p.offline = offline;
        p.last_error = outcome.as_ref().err().map(|e| e.message.clone());
    }
    outcome
}

/// How a failed sync ended: an error, or the store erased (revoked).
enum Outcome {
    Failed(SyncError),
    Erased(waymark_core::Error),
}
