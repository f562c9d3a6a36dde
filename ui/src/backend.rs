//! The one boundary between the UI and the shell: every call goes through
//! `call`, with a command type from `waymark_model::commands` whose name,
//! argument and answer the shell's handler shares. Screens never touch IPC
//! and never spell a command's fields themselves.

use serde::Serialize;
use wasm_bindgen::prelude::*;
pub use waymark_model::assessment;
pub use waymark_model::commands::*;
pub use waymark_model::inputs::*;
pub use waymark_model::records::*;
pub use waymark_model::views::*;
pub use waymark_model::vocab::*;
pub use waymark_model::{Problem, ProblemCode};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], catch)]
    async fn invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

pub type Answer<T> = Result<T, Problem>;

/// The shell's handlers take their argument as `args`.
#[derive(Serialize)]
struct Envelope<'a, C> {
    args: &'a C,
}

/// Invokes `C` in the shell and reads its answer.
pub async fn call<C: Command>(args: &C) -> Answer<C::Output> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = Envelope { args }
        .serialize(&serializer)
        .map_err(|e| Problem::plain(e.to_string()))?;
    match invoke(C::NAME, args).await {
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

thread_local! {
    /// Saves a lock must not cut off (a draft written as the screen closes).
    static SAVES_IN_FLIGHT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Held while such a save is on its way: a lock waits for it.
pub struct SaveInFlight(());

/// Marks a save a lock must wait for, from the moment it is decided (not
/// when its task first runs).
pub fn save_in_flight() -> SaveInFlight {
    SAVES_IN_FLIGHT.with(|n| n.set(n.get() + 1));
    SaveInFlight(())
}

impl Drop for SaveInFlight {
    fn drop(&mut self) {
        SAVES_IN_FLIGHT.with(|n| n.set(n.get().saturating_sub(1)));
    }
}

/// Waits until no such save is on its way (at most `limit_ms`): the lock
/// drops the session and reloads the page, which would lose it.
pub async fn saves_done(limit_ms: u32) {
    let mut waited = 0;
    while SAVES_IN_FLIGHT.with(|n| n.get()) > 0 && waited < limit_ms {
        gloo_timers::future::TimeoutFuture::new(10).await;
        waited += 10;
    }
}
