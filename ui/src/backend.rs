//! The one boundary between the UI and the backend: every call into the
//! Tauri shell goes through here, so screens never touch IPC. Errors come
//! back as the core's plain-language message.

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], catch)]
    async fn invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

async fn call<A: Serialize, R: DeserializeOwned>(cmd: &str, args: &A) -> Result<R, String> {
    let args = serde_wasm_bindgen::to_value(args).map_err(|e| e.to_string())?;
    match invoke(cmd, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string()),
        Err(e) => Err(e
            .as_string()
            .unwrap_or_else(|| "the app could not do that".into())),
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct StoreStatus {
    pub exists: bool,
    pub unlocked_as: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CaseRow {
    pub case_id: String,
    pub full_name: String,
    pub preferred_name: Option<String>,
    pub risk_level: Option<String>,
    pub open_flags: i64,
}

#[derive(Serialize)]
struct Nothing {}

#[derive(Serialize)]
struct Credentials<'a> {
    user: &'a str,
    passphrase: &'a str,
}

pub async fn store_status() -> Result<StoreStatus, String> {
    call("store_status", &Nothing {}).await
}

pub async fn unlock(user: &str, passphrase: &str) -> Result<(), String> {
    call("unlock", &Credentials { user, passphrase }).await
}

pub async fn lock() -> Result<(), String> {
    call("lock", &Nothing {}).await
}

pub async fn caseload() -> Result<Vec<CaseRow>, String> {
    call("caseload", &Nothing {}).await
}
