//! The HTTP API: login, push, pull, plus health, metrics and the OpenAPI
//! document. Handlers check input, resolve the caller from the device token
//! and call the store; every failure is a JSON `ErrorBody` naming the problem.

use crate::auth::{self, FailureLimiter};
use crate::metrics::{Metrics, RouteLabels};
use crate::store::{
    self, now_ms, AccessChange, Caller, DeviceKeys, Store, StoreError, TokenLookup,
};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{
    ConnectInfo, DefaultBodyLimit, FromRequest, FromRequestParts, MatchedPath, Request, State,
};
use axum::extract::{Path, Query};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use utoipa::OpenApi;
use waymark_protocol::*;

pub struct AppState {
    pub store: Store,
    pub metrics: Metrics,
    /// Failed logins per user name from one address (an IPv6 /64): 5 in 15
    /// minutes, then that address waits. Never per name alone, so no one
    /// is locked out by someone else's guesses.
    pub user_failures: FailureLimiter,
    /// Failed logins per user name from anywhere: past 5 each wrong guess
    /// is answered slowly (`auth::slow_down`).
    pub account_failures: FailureLimiter,
    /// Failed logins per client address: 30 in 15 minutes.
    pub address_failures: FailureLimiter,
    /// Argon2 checks, on at most half the cores, so a flood of logins
    /// leaves the rest for syncs (and bounded memory).
    pub verifier: auth::Verifier,
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The organisation names the server does not know are salted as if
    /// in: a secret made once, so no one can tell them from real ones.
    unknown_names_org: tokio::sync::OnceCell<uuid::Uuid>,
    /// The longest a request may take, its body included.
    pub request_timeout: Duration,
    /// How long a device's token may go unused before it must log in again.
    pub token_idle: Duration,
}

/// A request taking longer is answered 408 (`--request-timeout-seconds`):
/// a page of 10,000 changes on a slow line fits well within it.
pub const DEFAULT_REQUEST_TIMEOUT_SECONDS: u64 = 120;

/// A client sending its headers slower than this is cut off
/// (`--header-timeout-seconds`).
pub const DEFAULT_HEADER_TIMEOUT_SECONDS: u64 = 10;

/// A token unused this long is refused (`--token-idle-days`).
pub const DEFAULT_TOKEN_IDLE_DAYS: u32 = 90;

/// How often a device's last use is written: a day's requests need one.
const SEEN_EVERY_MS: i64 = 60 * 60 * 1000;

impl AppState {
    pub fn new(store: Store) -> Arc<AppState> {
        AppState::with_options(store, &ServeOptions::default())
    }

    /// The same, configured as `serve` is.
    pub fn with_options(store: Store, options: &ServeOptions) -> Arc<AppState> {
        Arc::new(AppState {
            store,
            metrics: Metrics::new(),
            user_failures: FailureLimiter::new(5, Duration::from_secs(15 * 60)),
            account_failures: FailureLimiter::new(100, Duration::from_secs(15 * 60)),
            address_failures: FailureLimiter::new(30, Duration::from_secs(15 * 60)),
            verifier: auth::Verifier::new(
                std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1)),
            ),
            trusted_proxies: options.trusted_proxies.clone(),
            unknown_names_org: tokio::sync::OnceCell::new(),
            request_timeout: Duration::from_secs(options.request_timeout_seconds),
            token_idle: Duration::from_secs(u64::from(options.token_idle_days) * 24 * 3600),
        })
    }

    /// The salt a name's current login key is derived with, and the one a
    /// new key takes: the organisation's for a person, a secret stand-in
    /// organisation's for a name no one has (the same every time).
    async fn salts_for(&self, name: &str) -> Result<(LoginSalt, Option<store::UserRow>), ApiError> {
        let user = self.store.user_by_name(name).await?;
        let org = match &user {
            Some(u) => u.org_id,
            None => {
                *self
                    .unknown_names_org
                    .get_or_try_init(|| async {
                        let secret = self.store.server_secret("unknown-names-salt").await?;
                        Ok::<_, StoreError>(
                            uuid::Builder::from_random_bytes(
                                secret[..16].try_into().expect("32 bytes kept"),
                            )
                            .into_uuid(),
                        )
                    })
                    .await?
            }
        };
        let new_salt = waymark_protocol::auth::salt(org, name).to_vec();
        let salt = match user.as_ref().map(|u| u.credential) {
            Some(store::Credential::AdminSet) => waymark_protocol::auth::legacy_salt(name).to_vec(),
            _ => new_salt.clone(),
        };
        Ok((LoginSalt { salt, new_salt }, user))
    }
}

/// How `serve` is configured beyond where it listens.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// A token unused this long is refused until its device logs in again.
    pub token_idle_days: u32,
    /// Where `/metrics` is served instead of beside the API (plain HTTP,
    /// for a monitoring network): not offered to the world.
    pub metrics_listen: Option<std::net::SocketAddr>,
    /// How long a client may take to send a request's headers before the
    /// connection is closed (a slow-headers attack holds no connection).
    pub header_timeout_seconds: u64,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The longest a request may take, its body included.
    pub request_timeout_seconds: u64,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            token_idle_days: DEFAULT_TOKEN_IDLE_DAYS,
            metrics_listen: None,
            header_timeout_seconds: DEFAULT_HEADER_TIMEOUT_SECONDS,
            trusted_proxies: Vec::new(),
            request_timeout_seconds: DEFAULT_REQUEST_TIMEOUT_SECONDS,
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Waymark sync server", description = "Per-case logs of opaque changes. Every error is an ErrorBody."),
    paths(login_salt, join, login, change_credential, push, pull, horizons, erase_case, case_access, share_case, reassign_case, store_keys, set_recovery_key, set_org_key, add_certificate, trust, org_devices, revoke_device, cancel_erasure, erasures, recovery_needed, recovery_keys, my_keys, keys_needed, blob_put, blob_status, blob_get, healthz, metrics_text),
    components(schemas(
        ErrorCode, RevokeResponse, RecoveryKeyResponse, Done,
        LoginSaltRequest, LoginSalt, JoinRequest, LoginRequest, LoginResponse, CredentialRequest, CredentialResponse, PushRequest, PushResponse, Accepted, PullRequest,
        PullResponse, LogPage, Cursor, Envelope, Logged, Role, ErrorBody, Health, BlobStatus, HorizonRequest, HorizonResponse, Horizon,
        SealedKey, StoreKeysRequest, StoreKeysResponse, MyKeysRequest, MyKey, MyKeysResponse,
        KeysNeededRequest, KeyNeeded, KeysNeededResponse, EraseRequest, Erasure, ErasureRule, ErasureState, PendingErasure, ErasuresResponse,
        RecoveryKeyRequest, RecoveryNeededRequest, RecoveryNeed, RecoveryNeededResponse, RecoveryKeysRequest,
        DeviceInfo, DevicesResponse, Certificate, OrgKeyRequest, TrustResponse,
        ShareRequest, ReassignRequest, CaseAccess
    )),
    modifiers(&CommonAnswers)
)]
pub struct ApiDoc;

/// The device token's scheme, and the error answers every route can give
/// (the extractors' and the router's), so each route lists only its own.
struct CommonAnswers;
impl utoipa::Modify for CommonAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        use utoipa::openapi::{Ref, ResponseBuilder};
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "device_token",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        let error = |what: &str| {
            ResponseBuilder::new()
                .description(what)
                .content(
                    "application/json",
                    utoipa::openapi::ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                let json_body = op
                    .request_body
                    .as_ref()
                    .is_some_and(|b| b.content.contains_key("application/json"));
                let any_body = op.request_body.is_some();
                let guarded = op.security.is_some();
                let answers = &mut op.responses.responses;
                let mut add = |status: &str, what: &str| {
                    answers
                        .entry(status.to_owned())
                        .or_insert_with(|| error(what).into());
                };
                add("400", "malformed_request: a path or query parameter, or the body, is not what the route reads");
                add("405", "method_not_allowed");
                add("503", "store_unavailable: nothing was written; try again");
                add(
                    "408",
                    "timed_out: the request took longer than the server waits; nothing was written",
                );
                if guarded {
                    add(
                        "401",
                        "missing_token, invalid_token, token_expired or device_revoked",
                    );
                    add(
                        "403",
                        "passphrase_change_required (an administrator set it) or user_disabled",
                    );
                }
                if any_body {
                    add("413", "too_large");
                }
                if json_body {
                    add(
                        "415",
                        "unsupported_media_type: the body must be application/json",
                    );
                    add(
                        "422",
                        "malformed_request or invalid: the message names the field",
                    );
                }
            }
        }
    }
}

/// Every route, `/metrics` included.
pub fn router(state: Arc<AppState>) -> Router {
    with_layers(api_routes().route("/metrics", get(metrics_text)), state)
}

/// The API without `/metrics`, for a server that serves its metrics on an
/// address of their own (`--metrics-listen`).
pub fn router_without_metrics(state: Arc<AppState>) -> Router {
    with_layers(api_routes(), state)
}

/// `/metrics` alone (and `/healthz`), for that other address.
pub fn metrics_router(state: Arc<AppState>) -> Router {
    with_layers(
        Router::new()
            .route("/metrics", get(metrics_text))
            .route("/healthz", get(healthz)),
        state,
    )
}

fn api_routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/login-salt", post(login_salt))
        .route("/v1/join", post(join))
        .route("/v1/login", post(login))
        .route("/v1/credential", post(change_credential))
        .route("/v1/push", post(push))
        .route("/v1/pull", post(pull))
        .route("/v1/horizons", post(horizons))
        .route("/v1/keys", post(store_keys))
        .route("/v1/recovery/key", post(set_recovery_key))
        .route("/v1/org/key", post(set_org_key))
        .route("/v1/certificates", post(add_certificate))
        .route("/v1/trust", post(trust))
        .route("/v1/devices", post(org_devices))
        .route("/v1/devices/{device_id}/revoke", post(revoke_device))
        .route("/v1/recovery/needed", post(recovery_needed))
        .route("/v1/recovery/keys", post(recovery_keys))
        .route("/v1/cases/{log_id}/erase", post(erase_case))
        .route("/v1/cases/{log_id}/erase/cancel", post(cancel_erasure))
        .route("/v1/cases/{log_id}/access", post(case_access))
        .route("/v1/cases/{log_id}/share", post(share_case))
        .route("/v1/cases/{log_id}/keyworker", post(reassign_case))
        .route("/v1/erasures", post(erasures))
        .route("/v1/keys/mine", post(my_keys))
        .route("/v1/keys/needed", post(keys_needed))
        .route("/v1/blobs/{log_id}/{blob_id}", get(blob_get).put(blob_put))
        .route("/v1/blobs/{log_id}/{blob_id}/status", get(blob_status))
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi))
}

fn with_layers(routes: Router<Arc<AppState>>, state: Arc<AppState>) -> Router {
    routes
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// Every request, its body included, within `request_timeout`: a client
/// that sends slowly (or never finishes) is answered 408 and let go, so it
/// cannot hold a connection and a worker. A handler stopped mid-way wrote
/// nothing: each writes in one transaction.
async fn deadline(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(state.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            ErrorCode::TimedOut,
            format!(
                "the request took longer than {} s; nothing was written; try again",
                state.request_timeout.as_secs()
            ),
        )
        .into_response(),
    }
}

/// An API failure: status, stable code, and a sentence naming the problem.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    retry_after: Option<Duration>,
    server_time_ms: Option<i64>,
    erased: Vec<uuid::Uuid>,
    withdrawn: Vec<uuid::Uuid>,
}

impl ApiError {
    fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
            server_time_ms: None,
            erased: Vec::new(),
            withdrawn: Vec::new(),
        }
    }
    fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Invalid,
            message,
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound(m) => ApiError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, m),
            StoreError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, ErrorCode::Conflict, m),
            StoreError::Forbidden { code, message } => {
                ApiError::new(StatusCode::FORBIDDEN, code, message)
            }
            StoreError::Invalid(m) => ApiError::invalid(m),
            StoreError::Erased { logs, message } => ApiError {
                erased: logs,
                ..ApiError::new(StatusCode::GONE, ErrorCode::CaseErased, message)
            },
            StoreError::Withdrawn { logs, message } => ApiError {
                withdrawn: logs,
                ..ApiError::new(StatusCode::FORBIDDEN, ErrorCode::NoAccess, message)
            },
            StoreError::ClockAhead(m) => ApiError {
                server_time_ms: Some(now_ms()),
                ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::ClockAhead, m)
            },
            StoreError::Backend(m) => {
                tracing::error!(error = %m, "store failure");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    ErrorCode::StoreUnavailable,
                    "the server's store failed; nothing was written; try again",
                )
            }
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        let status = r.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
            ErrorCode::TooLarge
        } else {
            ErrorCode::MalformedRequest
        };
        // serde's message names the field and position, never its value.
        ApiError::new(status, code, r.body_text())
    }
}

/// A JSON object body read as `T`: axum's `Json`, stricter. serde reads a
/// struct from an array of its fields too; the API declares objects, so an
/// array (or any other JSON value) is refused as malformed.
pub struct Body<T>(pub T);

/// The path of the first key or string holding a NUL, if any.
fn field_with_nul(value: &serde_json::Value, path: &str) -> Option<String> {
    let named = |p: &str| {
        if p.is_empty() {
            "body".to_owned()
        } else {
            p.to_owned()
        }
    };
    match value {
        serde_json::Value::String(s) => s.contains('\0').then(|| named(path)),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| field_with_nul(v, &format!("{}[{i}]", named(path)))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            let here = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if k.contains('\0') {
                Some(here)
            } else {
                field_with_nul(v, &here)
            }
        }),
        _ => None,
    }
}

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|m| {
                let m = m.trim().to_ascii_lowercase();
                m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                "the body must be JSON (Content-Type: application/json)",
            ));
        }
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|r| {
                let code = if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ErrorCode::TooLarge
                } else {
                    ErrorCode::MalformedRequest
                };
                ApiError::new(r.status(), code, r.body_text())
            })?;
        // PostgreSQL cannot store a NUL in text: refused here for both
        // stores alike, naming the field, before anything is written.
        if bytes.windows(6).any(|w| w == b"\\u0000") {
            if let Some(field) = serde_json::from_slice::<serde_json::Value>(&bytes)
                .ok()
                .and_then(|v| field_with_nul(&v, ""))
            {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::Invalid,
                    format!("{field}: must not contain a NUL character"),
                ));
            }
        }
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::MalformedRequest,
                "the body must be a JSON object",
            ));
        }
        let Json(value) = Json::<T>::from_bytes(&bytes)?;
        Ok(Body(value))
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedRequest,
            r.body_text(),
        )
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedRequest,
            r.body_text(),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.code,
            message: self.message,
            server_time_ms: self.server_time_ms,
            erased: self.erased,
            withdrawn: self.withdrawn,
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(wait) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, ApiError> {
        let unauthorised = |code, m: &str| ApiError::new(StatusCode::UNAUTHORIZED, code, m);
        let header = parts.headers.get(header::AUTHORIZATION).ok_or_else(|| {
            unauthorised(
                ErrorCode::MissingToken,
                "no Authorization: Bearer token; log in first",
            )
        })?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or_else(|| {
                unauthorised(
                    ErrorCode::InvalidToken,
                    "the Authorization header is not a Bearer token",
                )
            })?;
        match state
            .store
            .caller_by_token(&auth::token_hash(token))
            .await?
        {
            Some(TokenLookup::MustChangePassphrase(_, _))
                if parts.uri.path() != "/v1/credential" =>
            {
                Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    ErrorCode::PassphraseChangeRequired,
                    "your passphrase was set by an administrator: choose your own before anything else (waymark passphrase change, or Settings in the app)",
                ))
            }
            Some(
                TokenLookup::Valid(caller, last_seen_ms)
                | TokenLookup::MustChangePassphrase(caller, last_seen_ms),
            ) => {
                let idle_ms = now_ms().saturating_sub(last_seen_ms);
                if idle_ms > state.token_idle.as_millis() as i64 {
                    return Err(unauthorised(
                        ErrorCode::TokenExpired,
                        &format!(
                            "this device was not used for over {} days, so its sign-in expired: log in again (nothing on it is lost)",
                            state.token_idle.as_secs() / 86_400
                        ),
                    ));
                }
                if idle_ms > SEEN_EVERY_MS {
                    state.store.touch_device(&caller, now_ms()).await?;
                }
                Ok(caller)
            }
            Some(TokenLookup::Revoked) => Err(unauthorised(
                ErrorCode::DeviceRevoked,
                "this device was revoked by an administrator",
            )),
            Some(TokenLookup::UserDisabled) => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::UserDisabled,
                "this user is disabled",
            )),
            None => Err(unauthorised(
                ErrorCode::InvalidToken,
                "the device token is not known; log in again",
            )),
        }
    }
}

/// Counts and times every request, and logs its route and status: never a
/// body, a header or a query.
async fn observe(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = request.method().clone();
    let started = Instant::now();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let labels = RouteLabels {
        route: route.clone(),
        status: response.status().as_u16(),
    };
    state.metrics.requests.get_or_create(&labels).inc();
    state
        .metrics
        .latency
        .get_or_create(&labels)
        .observe(elapsed.as_secs_f64());
    tracing::info!(%method, %route, status = labels.status, ms = elapsed.as_secs_f64() * 1e3, "request");
    response
}

fn too_many(message: String, wait: Duration) -> ApiError {
    let mut e = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::TooManyAttempts,
        message,
    );
    e.retry_after = Some(wait);
    e
}

/// A page's `limit`: 1 to `max`, `max` when not given.
fn page_limit(limit: Option<u32>, max: u32) -> Result<u32, ApiError> {
    match limit {
        None => Ok(max),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::invalid(format!("limit: must be 1 to {max}"))),
    }
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
        "this route does not take that method (see /openapi.json)",
    )
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        "no such endpoint (see /openapi.json)",
    )
}

#[utoipa::path(post, path = "/v1/login", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn login(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    Body(request): Body<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let name = request.user.trim();
    check_user_name(name)?;
    if request.device_label.len() > 200 {
        return Err(ApiError::invalid("device_label: at most 200 characters"));
    }
    check_auth_key("auth_key", &request.auth_key)?;
    for (field, value, len, what) in [
        (
            "public_key",
            &request.public_key,
            32,
            "an X25519 public key",
        ),
        (
            "identity_key",
            &request.identity_key,
            32,
            "an Ed25519 public key",
        ),
        (
            "key_signature",
            &request.key_signature,
            64,
            "an Ed25519 signature",
        ),
    ] {
        if let Some(v) = value.as_ref().filter(|v| v.len() != len) {
            return Err(ApiError::invalid(format!(
                "{field}: must be {len} bytes ({what}), not {}",
                v.len()
            )));
        }
    }
    if request.identity_key.is_some() != request.key_signature.is_some()
        || (request.identity_key.is_some() && request.public_key.is_none())
    {
        return Err(ApiError::invalid(
            "identity_key: comes with key_signature, its signature over public_key",
        ));
    }
    let guess = Guess::new(&state, peer, &headers, name)?;
    let user = state.store.user_by_name(name).await?;
    let stored = stored_hash(user.as_ref());
    let key = request.auth_key.clone();
    // Argon2 under a cap: a flood of logins queues here, never starving syncs.
    let Some(verified) = state
        .verifier
        .verify(key, stored, Duration::from_secs(10))
        .await
    else {
        return Err(too_many(
            "the server is busy checking logins; try again in a moment".into(),
            Duration::from_secs(2),
        ));
    };
    let user = match user {
        Some(u) if verified => u,
        user => {
            return Err(guess
                .failed(
                    &state,
                    user.as_ref(),
                    ErrorCode::BadCredentials,
                    "the user name or passphrase is wrong",
                )
                .await)
        }
    };
    if user.disabled {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::UserDisabled,
            "this user is disabled",
        ));
    }
    guess.succeeded(&state, user.id).await?;
    let (token, hash) = auth::new_token();
    let label: String = request
        .device_label
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .collect();
    state
        .store
        .enrol_device(
            user.id,
            request.device_id,
            &label,
            &hash,
            &DeviceKeys {
                public_key: request.public_key.as_deref(),
                identity_key: request.identity_key.as_deref(),
                key_signature: request.key_signature.as_deref(),
            },
            now_ms(),
        )
        .await?;
    tracing::info!(device = %request.device_id, "device logged in");
    Ok(Json(LoginResponse {
        token: token.to_string(),
        user_id: user.id,
        org_id: user.org_id,
        role: user.role,
        server_time_ms: now_ms(),
        must_change_passphrase: user.credential == store::Credential::AdminSet,
    }))
}

/// The Unicode bidirectional controls: in a device label they could make
/// an admin's list read as something else.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A login or join attempt, for the failure limits: who it names, from
/// where (the client's address, an IPv6 /64).
struct Guess {
    user_key: String,
    address_key: String,
    account_key: String,
    at: Instant,
}

impl Guess {
    /// Refused (429) if this name from this address, or this address, has
    /// failed too often lately.
    fn new(
        state: &AppState,
        peer: SocketAddr,
        headers: &axum::http::HeaderMap,
        name: &str,
    ) -> Result<Guess, ApiError> {
        let account_key = name.to_lowercase();
        let forwarded: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let client = auth::client_address(peer.ip(), &forwarded, &state.trusted_proxies);
        let address_key = auth::address_key(client);
        let guess = Guess {
            user_key: format!("{account_key}\u{0}{address_key}"),
            address_key,
            account_key,
            at: Instant::now(),
        };
        let throttled = state
            .user_failures
            .check(&guess.user_key, guess.at)
            .and(state.address_failures.check(&guess.address_key, guess.at));
        if let Err(wait) = throttled {
            return Err(too_many(
                format!(
                    "too many failed logins from this address; try again in {} s",
                    wait.as_secs().max(1)
                ),
                wait,
            ));
        }
        Ok(guess)
    }

    /// Counts a wrong guess (admins see a person's count), slows the
    /// guesser (never refusing the person, logging in rightly from
    /// elsewhere), and gives the answer: 401 with `message`.
    async fn failed(
        &self,
        state: &AppState,
        user: Option<&store::UserRow>,
        code: ErrorCode,
        message: &str,
    ) -> ApiError {
        state.user_failures.record_failure(&self.user_key, self.at);
        state
            .address_failures
            .record_failure(&self.address_key, self.at);
        state
            .account_failures
            .record_failure(&self.account_key, self.at);
        state.metrics.login_failures.inc();
        tracing::warn!(address = %self.address_key, "failed login");
        if let Some(u) = user {
            match state.store.record_failed_login(u.id, now_ms()).await {
                Ok(5) => {
                    tracing::warn!(user = %u.id, "five wrong passphrases for one account: admins see it in list-users")
                }
                Ok(_) => {}
                Err(e) => return e.into(),
            }
        }
        let wait = auth::slow_down(state.account_failures.count(&self.account_key, self.at));
        tokio::time::sleep(wait).await;
        ApiError::new(StatusCode::UNAUTHORIZED, code, message)
    }

    async fn succeeded(&self, state: &AppState, user: uuid::Uuid) -> Result<(), ApiError> {
        state.user_failures.clear(&self.user_key);
        state.account_failures.clear(&self.account_key);
        state.store.clear_failed_logins(user).await?;
        Ok(())
    }
}

/// The hash a login key is checked against: a decoy where there is none
/// (no such person, or not joined yet), so every answer takes as long.
fn stored_hash(user: Option<&store::UserRow>) -> String {
    user.map(|u| u.auth_hash.clone())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| auth::decoy_hash().to_owned())
}

fn check_user_name(name: &str) -> Result<(), ApiError> {
    match name.is_empty() || name.len() > 200 {
        true => Err(ApiError::invalid("user: must be 1 to 200 characters")),
        false => Ok(()),
    }
}

fn check_auth_key(field: &str, key: &[u8]) -> Result<(), ApiError> {
    match key.len() == waymark_protocol::auth::AUTH_KEY_LEN {
        true => Ok(()),
        false => Err(ApiError::invalid(format!(
            "{field}: must be {} bytes (derived from the passphrase), not {}",
            waymark_protocol::auth::AUTH_KEY_LEN,
            key.len()
        ))),
    }
}

/// The salts a device derives a person's login key with. Answered for any
/// name, the same way every time.
#[utoipa::path(post, path = "/v1/login-salt", request_body = LoginSaltRequest,
    responses((status = 200, body = LoginSalt)))]
async fn login_salt(
    State(state): State<Arc<AppState>>,
    Body(request): Body<LoginSaltRequest>,
) -> Result<Json<LoginSalt>, ApiError> {
    let name = request.user.trim();
    check_user_name(name)?;
    Ok(Json(state.salts_for(name).await?.0))
}

/// A person joins: the one-time code an administrator gave them sets the
/// login key of the passphrase they chose. Wrong, used and expired codes
/// count as failed logins.
#[utoipa::path(post, path = "/v1/join", request_body = JoinRequest,
    responses((status = 200, body = Done), (status = 401, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
async fn join(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    Body(request): Body<JoinRequest>,
) -> Result<Json<Done>, ApiError> {
    let name = request.user.trim();
    check_user_name(name)?;
    check_auth_key("auth_key", &request.auth_key)?;
    if request.enrolment_code.len() > 100 {
        return Err(ApiError::invalid("enrolment_code: at most 100 characters"));
    }
    let guess = Guess::new(&state, peer, &headers, name)?;
    let wrong = "the user name or enrolment code is wrong, used already or expired (ask your administrator for a new code)";
    let user = state.store.user_by_name(name).await?;
    let Some(code_hash) = auth::enrolment_code_hash(&request.enrolment_code) else {
        return Err(guess
            .failed(&state, user.as_ref(), ErrorCode::BadEnrolmentCode, wrong)
            .await);
    };
    let key = request.auth_key.clone();
    let hash = tokio::task::spawn_blocking(move || auth::hash_auth_key(&key))
        .await
        .map_err(|e| ApiError::from(StoreError::Backend(e.to_string())))?;
    if state
        .store
        .redeem_enrolment_code(name, &code_hash, &hash, now_ms())
        .await?
    {
        // The code matched a row, so the person exists.
        if let Some(u) = &user {
            tracing::info!(user = %u.id, "joined with an enrolment code");
            guess.succeeded(&state, u.id).await?;
        }
        return Ok(Json(Done {}));
    }
    // The same request sent again after it went through: this code was
    // used, and the key is already theirs. (Checked against a decoy
    // otherwise, so no answer comes sooner for one kind of name.)
    let key = request.auth_key.clone();
    let stored = stored_hash(user.as_ref().filter(|u| {
        u.credential == store::Credential::Own
            && u.used_code_hash.as_deref() == Some(code_hash.as_slice())
    }));
    if state
        .verifier
        .verify(key, stored, Duration::from_secs(10))
        .await
        == Some(true)
    {
        return Ok(Json(Done {}));
    }
    Err(guess
        .failed(&state, user.as_ref(), ErrorCode::BadEnrolmentCode, wrong)
        .await)
}

/// A passphrase changed on a device: the new login key replaces the old,
/// which proves it. Wrong current keys count as failed logins.
#[utoipa::path(post, path = "/v1/credential", request_body = CredentialRequest, security(("device_token" = [])),
    responses((status = 200, body = CredentialResponse), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn change_credential(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(request): Body<CredentialRequest>,
) -> Result<Json<CredentialResponse>, ApiError> {
    check_auth_key("current_auth_key", &request.current_auth_key)?;
    check_auth_key("new_auth_key", &request.new_auth_key)?;
    let user = state
        .store
        .user_by_name(request.user.trim())
        .await?
        .filter(|u| u.id == caller.user_id)
        .ok_or_else(|| ApiError::invalid("user: is not the person signed in on this device"))?;
    // Tied to a device's token: counted per device, not per address.
    let user_key = format!("{}\u{0}{}", user.name.to_lowercase(), caller.device_id);
    let now = Instant::now();
    if let Err(wait) = state.user_failures.check(&user_key, now) {
        return Err(too_many(
            format!(
                "too many failed attempts; try again in {} s",
                wait.as_secs().max(1)
            ),
            wait,
        ));
    }
    let (current, new, stored) = (
        request.current_auth_key.clone(),
        request.new_auth_key.clone(),
        user.auth_hash.clone(),
    );
    let (current_ok, already, new_hash) = tokio::task::spawn_blocking(move || {
        let already = auth::verify_auth_key(&new, &stored);
        let current_ok = !already && auth::verify_auth_key(&current, &stored);
        let new_hash = current_ok.then(|| auth::hash_auth_key(&new));
        (current_ok, already, new_hash)
    })
    .await
    .unwrap_or((false, false, None));
    if !(current_ok || already) {
        state.user_failures.record_failure(&user_key, now);
        state.metrics.login_failures.inc();
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::BadCredentials,
            "current_auth_key: the current passphrase is wrong",
        ));
    }
    if let Some(hash) = new_hash {
        state.store.set_auth_hash(&user.name, &hash).await?;
        tracing::info!(device = %caller.device_id, "passphrase changed");
    }
    state.user_failures.clear(&user_key);
    Ok(Json(CredentialResponse {
        changed_at_ms: now_ms(),
    }))
}

#[utoipa::path(post, path = "/v1/push", request_body = PushRequest, security(("device_token" = [])),
    responses((status = 200, body = PushResponse), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 410, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn push(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(request): Body<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    let now = now_ms();
    caller.may_push()?;
    store::check_push(&request.changes, now)?;
    let n = request.changes.len();
    let accepted = state.store.push(&caller, request.changes, now).await?;
    let duplicates = accepted.iter().filter(|a| a.duplicate).count();
    state.metrics.changes_pushed.inc_by((n - duplicates) as u64);
    state.metrics.changes_duplicate.inc_by(duplicates as u64);
    tracing::info!(device = %caller.device_id, changes = n, duplicates, "push");
    Ok(Json(PushResponse {
        accepted,
        server_time_ms: now_ms(),
    }))
}

#[utoipa::path(post, path = "/v1/pull", request_body = PullRequest, security(("device_token" = [])),
    responses((status = 200, body = PullResponse), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn pull(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(request): Body<PullRequest>,
) -> Result<Json<PullResponse>, ApiError> {
    if let Some(bad) = request.cursors.iter().position(|c| c.after < 0) {
        return Err(ApiError::invalid(format!(
            "cursors[{bad}].after: must not be negative"
        )));
    }
    if request.cursors.len() > MAX_PULL_CURSORS {
        return Err(ApiError::invalid(format!(
            "cursors: at most {MAX_PULL_CURSORS} (one per case), not {}",
            request.cursors.len()
        )));
    }
    let limit = page_limit(request.limit, MAX_PULL_LIMIT)? as usize;
    let pages = state.store.pull(&caller, &request.cursors, limit).await?;
    // Read positions only for logs the caller may read: a cursor for any
    // other id is ignored, never stored; nor are cursors a device holds
    // only once it has applied the page before (`ahead`).
    if !request.ahead {
        let readable: Vec<Cursor> = request
            .cursors
            .iter()
            .filter(|c| pages.readable.contains(&c.log_id))
            .cloned()
            .collect();
        state.store.record_positions(&caller, &readable).await?;
    }
    let n: usize = pages.logs.iter().map(|l| l.changes.len()).sum();
    state.metrics.changes_pulled.inc_by(n as u64);
    if n > 0 {
        tracing::info!(device = %caller.device_id, changes = n, remaining = pages.remaining, "pull");
    }
    Ok(Json(PullResponse {
        logs: pages.logs,
        remaining: pages.remaining,
        erased: pages.erased,
        withdrawn: pages.withdrawn,
        server_time_ms: now_ms(),
    }))
}

/// The horizons of logs the caller may read (others are left out).
#[utoipa::path(post, path = "/v1/horizons", request_body = HorizonRequest, security(("device_token" = [])),
    responses((status = 200, body = HorizonResponse), (status = 401, body = ErrorBody)))]
async fn horizons(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(request): Body<HorizonRequest>,
) -> Result<Json<HorizonResponse>, ApiError> {
    if request.log_ids.len() > 100_000 {
        return Err(ApiError::invalid("log_ids: at most 100000"));
    }
    let horizons = state.store.horizons(&caller, &request.log_ids).await?;
    Ok(Json(HorizonResponse { horizons }))
}

/// Erases a case for good (a supervisor or an admin with access to it): its
/// log, attachments and sealed keys are deleted; devices drop their copies
/// at their next sync.
#[utoipa::path(post, path = "/v1/cases/{log_id}/erase", request_body = EraseRequest, security(("device_token" = [])),
    params(("log_id" = Uuid, Path, description = "The case")),
    responses((status = 200, body = Erasure), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn erase_case(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    path: Result<Path<CasePath>, PathRejection>,
    Body(request): Body<EraseRequest>,
) -> Result<Json<Erasure>, ApiError> {
    let Path(CasePath { log_id }) = path?;
    let answer = state
        .store
        .request_erasure(&caller, log_id, request.reason_sealed, now_ms())
        .await?;
    tracing::info!(device = %caller.device_id, case = %log_id, state = ?answer.state, "erasure");
    Ok(Json(answer))
}

/// Who holds a case: its keyworker, its team (whose supervisors hold it)
/// and the colleagues it is shared with (anyone who may read it, or an
/// admin).
#[utoipa::path(post, path = "/v1/cases/{log_id}/access", security(("device_token" = [])),
    params(("log_id" = Uuid, Path, description = "The case")),
    responses((status = 200, body = CaseAccess), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn case_access(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    path: Result<Path<CasePath>, PathRejection>,
) -> Result<Json<CaseAccess>, ApiError> {
    let Path(CasePath { log_id }) = path?;
    Ok(Json(state.store.case_access(&caller, log_id).await?))
}

/// Shares a case with a colleague, or stops sharing it (the case's
/// keyworker, a supervisor of its team, or an admin). Their devices receive
/// it, or drop it, at their next sync; a case someone left takes a new key.
#[utoipa::path(post, path = "/v1/cases/{log_id}/share", request_body = ShareRequest, security(("device_token" = [])),
    params(("log_id" = Uuid, Path, description = "The case")),
    responses((status = 200, body = CaseAccess), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn share_case(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    path: Result<Path<CasePath>, PathRejection>,
    Body(request): Body<ShareRequest>,
) -> Result<Json<CaseAccess>, ApiError> {
    let Path(CasePath { log_id }) = path?;
    let change = if request.share {
        AccessChange::Share
    } else {
        AccessChange::Unshare
    };
    let access = state
        .store
        .change_access(&caller, log_id, change, &request.user, now_ms())
        .await?;
    tracing::info!(device = %caller.device_id, case = %log_id, share = request.share, "case shared");
    Ok(Json(access))
}

/// Gives a case to another keyworker (a supervisor of its team, within the
/// team, or an admin): the keyworker and the access change together; the
/// one before loses the case unless it is shared with them.
#[utoipa::path(post, path = "/v1/cases/{log_id}/keyworker", request_body = ReassignRequest, security(("device_token" = [])),
    params(("log_id" = Uuid, Path, description = "The case")),
    responses((status = 200, body = CaseAccess), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn reassign_case(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    path: Result<Path<CasePath>, PathRejection>,
    Body(request): Body<ReassignRequest>,
) -> Result<Json<CaseAccess>, ApiError> {
    let Path(CasePath { log_id }) = path?;
    let access = state
        .store
        .change_access(
            &caller,
            log_id,
            AccessChange::Reassign,
            &request.user,
            now_ms(),
        )
        .await?;
    tracing::info!(device = %caller.device_id, case = %log_id, "case reassigned");
    Ok(Json(access))
}

/// Withdraws an erasure that waits (a supervisor or an admin).
#[utoipa::path(post, path = "/v1/cases/{log_id}/erase/cancel", security(("device_token" = [])),
    params(("log_id" = Uuid, Path, description = "The case")),
    responses((status = 200, body = Done), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn cancel_erasure(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    path: Result<Path<CasePath>, PathRejection>,
) -> Result<Json<Done>, ApiError> {
    let Path(CasePath { log_id }) = path?;
    state.store.cancel_erasure(&caller, log_id).await?;
    tracing::info!(device = %caller.device_id, case = %log_id, "erasure cancelled");
    Ok(Json(Done {}))
}

/// The organisation's erasure rule and the erasures waiting on cases the
/// caller may read (a supervisor or an admin).
#[utoipa::path(post, path = "/v1/erasures", security(("device_token" = [])),
    responses((status = 200, body = ErasuresResponse), (status = 403, body = ErrorBody)))]
async fn erasures(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<ErasuresResponse>, ApiError> {
    Ok(Json(state.store.erasures(&caller).await?))
}

/// The organisation's enrolled devices (an admin).
#[utoipa::path(post, path = "/v1/devices", security(("device_token" = [])),
    responses((status = 200, body = DevicesResponse), (status = 403, body = ErrorBody)))]
async fn org_devices(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<DevicesResponse>, ApiError> {
    let devices = state.store.org_devices(&caller).await?;
    Ok(Json(DevicesResponse {
        devices: devices
            .into_iter()
            .map(|d| DeviceInfo {
                device_id: d.device_id,
                user: d.user,
                user_id: d.user_id,
                role: d.role,
                team: d.team,
                label: d.label,
                last_seen_at_ms: d.last_seen_at_ms,
                revoked: d.revoked,
                key_fingerprint: d.key_fingerprint,
                public_key: d.public_key,
                identity_key: d.identity_key,
                key_signature: d.key_signature,
            })
            .collect(),
    }))
}

/// Revokes a device of the organisation (an admin): the server refuses it
/// from now on, and it erases its store when it next reaches the server.
#[utoipa::path(post, path = "/v1/devices/{device_id}/revoke", params(DevicePath), security(("device_token" = [])),
    responses((status = 200, body = RevokeResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn revoke_device(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    path: Result<Path<DevicePath>, PathRejection>,
) -> Result<Json<RevokeResponse>, ApiError> {
    let Path(DevicePath { device_id }) = path?;
    let n = state
        .store
        .revoke_org_device(&caller, device_id, now_ms())
        .await?;
    tracing::info!(device = %caller.device_id, revoked = %device_id, "device revoked");
    Ok(Json(RevokeResponse {
        revoked_enrolments: n,
    }))
}

/// Registers the organisation's recovery public key (an admin, once).
#[utoipa::path(post, path = "/v1/recovery/key", request_body = RecoveryKeyRequest, security(("device_token" = [])),
    responses((status = 200, body = RecoveryKeyResponse), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_recovery_key(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(request): Body<RecoveryKeyRequest>,
) -> Result<Json<RecoveryKeyResponse>, ApiError> {
    let fingerprint = store::fingerprint(&request.public_key);
    state.store.set_recovery_key(&caller, request).await?;
    tracing::info!(device = %caller.device_id, "recovery key set");
    Ok(Json(RecoveryKeyResponse { fingerprint }))
}

/// Registers the organisation's signing key (an admin's device, once) with
/// that admin's certificate signed by it.
#[utoipa::path(post, path = "/v1/org/key", request_body = OrgKeyRequest, security(("device_token" = [])),
    responses((status = 200, body = Done), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_org_key(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(request): Body<OrgKeyRequest>,
) -> Result<Json<Done>, ApiError> {
    state.store.set_org_key(&caller, request, now_ms()).await?;
    tracing::info!(device = %caller.device_id, "organisation signing key set");
    Ok(Json(Done {}))
}

/// Stores an admin's certificate of a person's identity.
#[utoipa::path(post, path = "/v1/certificates", request_body = Certificate, security(("device_token" = [])),
    responses((status = 200, body = Done), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_certificate(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(cert): Body<Certificate>,
) -> Result<Json<Done>, ApiError> {
    let user = cert.user_id;
    state.store.add_certificate(&caller, cert, now_ms()).await?;
    tracing::info!(device = %caller.device_id, %user, "identity certified");
    Ok(Json(Done {}))
}

/// What devices verify recipients with: the organisation's key, every
/// certificate, the recovery key and its signature.
#[utoipa::path(post, path = "/v1/trust", security(("device_token" = [])),
    responses((status = 200, body = TrustResponse), (status = 401, body = ErrorBody)))]
async fn trust(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<TrustResponse>, ApiError> {
    Ok(Json(state.store.trust(&caller).await?))
}

/// What an admin reseals with the recovery key for a person.
#[utoipa::path(post, path = "/v1/recovery/needed", request_body = RecoveryNeededRequest, security(("device_token" = [])),
    responses((status = 200, body = RecoveryNeededResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn recovery_needed(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(request): Body<RecoveryNeededRequest>,
) -> Result<Json<RecoveryNeededResponse>, ApiError> {
    let needed = state.store.recovery_needed(&caller, &request.user).await?;
    Ok(Json(RecoveryNeededResponse { needed }))
}

/// Stores case keys an admin resealed for a person's devices.
#[utoipa::path(post, path = "/v1/recovery/keys", request_body = RecoveryKeysRequest, security(("device_token" = [])),
    responses((status = 200, body = StoreKeysResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn recovery_keys(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(request): Body<RecoveryKeysRequest>,
) -> Result<Json<StoreKeysResponse>, ApiError> {
    if request.keys.len() > MAX_KEYS_PAGE as usize {
        return Err(ApiError::invalid(format!("keys: at most {MAX_KEYS_PAGE}")));
    }
    let stored = state
        .store
        .store_recovery_keys(&caller, &request.user, request.keys, now_ms())
        .await?;
    tracing::info!(device = %caller.device_id, stored, "access recovered");
    Ok(Json(StoreKeysResponse { stored }))
}

/// Stores case keys a device sealed for recipients that lacked them.
#[utoipa::path(post, path = "/v1/keys", request_body = StoreKeysRequest, security(("device_token" = [])),
    responses((status = 200, body = StoreKeysResponse), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn store_keys(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(request): Body<StoreKeysRequest>,
) -> Result<Json<StoreKeysResponse>, ApiError> {
    if request.keys.len() > MAX_KEYS_PAGE as usize {
        return Err(ApiError::invalid(format!("keys: at most {MAX_KEYS_PAGE}")));
    }
    let stored = state
        .store
        .store_keys(&caller, request.keys, request.rotation, now_ms())
        .await?;
    if stored > 0 {
        tracing::info!(device = %caller.device_id, stored, "keys sealed");
    }
    Ok(Json(StoreKeysResponse { stored }))
}

/// The case keys sealed to the calling device, after a position.
#[utoipa::path(post, path = "/v1/keys/mine", request_body = MyKeysRequest, security(("device_token" = [])),
    responses((status = 200, body = MyKeysResponse), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn my_keys(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(request): Body<MyKeysRequest>,
) -> Result<Json<MyKeysResponse>, ApiError> {
    let limit = page_limit(request.limit, MAX_KEYS_PAGE)?;
    let keys = state.store.my_keys(&caller, request.after, limit).await?;
    Ok(Json(MyKeysResponse { keys }))
}

/// Which recipients of the caller's cases lack the current case key.
#[utoipa::path(post, path = "/v1/keys/needed", request_body = KeysNeededRequest, security(("device_token" = [])),
    responses((status = 200, body = KeysNeededResponse), (status = 401, body = ErrorBody)))]
async fn keys_needed(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(request): Body<KeysNeededRequest>,
) -> Result<Json<KeysNeededResponse>, ApiError> {
    let (needed, next_after) = state.store.keys_needed(&caller, request.after).await?;
    Ok(Json(KeysNeededResponse { needed, next_after }))
}

/// A case's log, named in the path.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct CasePath {
    /// The case (its log's id).
    log_id: uuid::Uuid,
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct DevicePath {
    device_id: uuid::Uuid,
}

/// An attachment of a case, named in the path.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct BlobPath {
    /// The case (its log's id).
    log_id: uuid::Uuid,
    /// The attachment.
    blob_id: uuid::Uuid,
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct BlobPut {
    /// Where this chunk starts: the bytes the server holds so far.
    offset: u64,
    /// The whole blob's size.
    size: u64,
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct BlobGet {
    /// Where the wanted chunk starts (0, then each chunk's end).
    offset: u64,
}

/// One chunk of an attachment's contents. Resumable: a chunk is accepted
/// only at the offset the server holds so far (409 says where to resume).
#[utoipa::path(put, path = "/v1/blobs/{log_id}/{blob_id}", params(BlobPath, BlobPut), security(("device_token" = [])),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = BlobStatus), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn blob_put(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    path: Result<Path<BlobPath>, PathRejection>,
    query: Result<Query<BlobPut>, QueryRejection>,
    body: axum::body::Bytes,
) -> Result<Json<BlobStatus>, ApiError> {
    let Path(BlobPath {
        log_id: log,
        blob_id: blob,
    }) = path?;
    let Query(q) = query?;
    let status = state
        .store
        .blob_put(&caller, log, blob, q.offset, q.size, body.to_vec())
        .await?;
    Ok(Json(status))
}

#[utoipa::path(get, path = "/v1/blobs/{log_id}/{blob_id}/status", params(BlobPath), security(("device_token" = [])),
    responses((status = 200, body = BlobStatus), (status = 404, body = ErrorBody)))]
async fn blob_status(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    path: Result<Path<BlobPath>, PathRejection>,
) -> Result<Json<BlobStatus>, ApiError> {
    let Path(BlobPath {
        log_id: log,
        blob_id: blob,
    }) = path?;
    Ok(Json(state.store.blob_status(&caller, log, blob).await?))
}

/// The chunk of a complete blob that starts at `offset`; the header
/// `x-waymark-blob-size` gives the whole size.
#[utoipa::path(get, path = "/v1/blobs/{log_id}/{blob_id}", params(BlobPath, BlobGet), security(("device_token" = [])),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn blob_get(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    path: Result<Path<BlobPath>, PathRejection>,
    query: Result<Query<BlobGet>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Path(BlobPath {
        log_id: log,
        blob_id: blob,
    }) = path?;
    let Query(q) = query?;
    let (status, data) = state.store.blob_chunk(&caller, log, blob, q.offset).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (
                header::HeaderName::from_static("x-waymark-blob-size"),
                status.size.to_string(),
            ),
        ],
        data,
    )
        .into_response())
}

#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health), (status = 503, body = ErrorBody)))]
async fn healthz(State(state): State<Arc<AppState>>) -> Result<Json<Health>, ApiError> {
    state.store.health().await?;
    Ok(Json(Health {
        status: "ok".into(),
        store: state.store.kind().into(),
    }))
}

#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus text format")))]
async fn metrics_text(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.encode(),
    )
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
