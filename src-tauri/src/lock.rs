//! Locking, enforced here rather than by a timer in the page: after the
//! person's idle time, on quick exit, and when the desktop says the laptop
//! is going to sleep or its screen locked. A lock drops the session (its
//! store key is zeroized) and reloads the webview, so nothing of a case
//! stays in the page's memory; the unlock screen then says why.

use crate::state::AppState;
use futures_util::StreamExt;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Manager};

/// How often the idle time is checked.
const IDLE_CHECK: Duration = Duration::from_secs(5);

/// When the person last did something (a key, a click: the page reports
/// them, at most every few seconds), and why the last lock happened.
pub struct Activity {
    last: std::sync::Mutex<Instant>,
    why_locked: std::sync::Mutex<Option<String>>,
}

impl Activity {
    pub fn new() -> Activity {
        Activity {
            last: std::sync::Mutex::new(Instant::now()),
            why_locked: std::sync::Mutex::new(None),
        }
    }

    pub fn seen(&self) {
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
    }

    fn idle(&self) -> Duration {
        self.last
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .elapsed()
    }

    /// Why the last lock happened, said once (the unlock screen shows it).
    pub fn take_why_locked(&self) -> Option<String> {
        self.why_locked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }
}

/// Locks now, if someone is unlocked: the session goes (and its key with
/// it), then the page is reloaded, emptying its memory.
pub async fn lock_now(app: &AppHandle, why: Option<String>) {
    let state = app.state::<AppState>();
    let was_unlocked = state.session.lock().await.take().is_some();
    if !was_unlocked {
        return;
    }
    *state
        .activity
        .why_locked
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = why;
    for window in app.webview_windows().values() {
        let _ = window.reload();
    }
}

/// The idle lock: checks every few seconds whether the unlocked person has
/// been away longer than their setting allows.
pub async fn lock_when_idle(app: AppHandle) {
    loop {
        tokio::time::sleep(IDLE_CHECK).await;
        let state = app.state::<AppState>();
        // Busy (a command running) is not idle: look again next time.
        let minutes = match state.session.try_lock() {
            Ok(guard) => match guard.as_ref().map(|s| s.settings()) {
                Some(Ok(settings)) => settings.lock_minutes,
                Some(Err(_)) => 5,
                None => continue,
            },
            Err(_) => continue,
        };
        if state.activity.idle() > Duration::from_secs(u64::from(minutes) * 60) {
            let unit = if minutes == 1 { "minute" } else { "minutes" };
            lock_now(
                &app,
                Some(format!("Locked after {minutes} {unit} without use.")),
            )
            .await;
        }
    }
}

/// Locks when the desktop signals it: logind's PrepareForSleep (system
/// bus), and the screen saver's ActiveChanged (session bus, freedesktop and
/// GNOME names). Without a bus (a bare X server) there is nothing to hear.
pub async fn lock_on_desktop_signals(app: AppHandle) {
    let sleep = listen(
        app.clone(),
        zbus::Connection::system().await,
        "org.freedesktop.login1.Manager",
        "PrepareForSleep",
        "Locked: the laptop went to sleep.",
    );
    let session = zbus::Connection::session().await;
    let screen = listen(
        app.clone(),
        session.clone(),
        "org.freedesktop.ScreenSaver",
        "ActiveChanged",
        "Locked: the screen was locked.",
    );
    let gnome = listen(
        app,
        session,
        "org.gnome.ScreenSaver",
        "ActiveChanged",
        "Locked: the screen was locked.",
    );
    tokio::join!(sleep, screen, gnome);
}

/// Locks each time `interface.member(true)` is signalled on the bus.
async fn listen(
    app: AppHandle,
    bus: zbus::Result<zbus::Connection>,
    interface: &'static str,
    member: &'static str,
    why: &'static str,
) {
    let stream = async {
        let rule = zbus::MatchRule::builder()
            .msg_type(zbus::message::Type::Signal)
            .interface(interface)
            .member(member)
            .build()?;
        let queue = std::num::NonZeroUsize::new(16).expect("16 is not zero");
        zbus::MessageStream::for_match_rule(rule, &bus?, Some(queue)).await
    };
    let mut stream = match stream.await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("waymark: not locking on {interface}.{member}: {e}");
            return;
        }
    };
    while let Some(Ok(message)) = stream.next().await {
        if message.body().deserialize::<bool>().unwrap_or(false) {
            lock_now(&app, Some(why.to_owned())).await;
        }
    }
}
