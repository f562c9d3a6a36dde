//! The sync protocol between a device and the server: JSON over HTTPS.
//!
//! The server routes changes by log (a case, or the organisation's log) and
//! change id, and never reads a change's body: it is opaque bytes (base64 on
//! the wire), which the end-to-end keys work encrypts.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use zeroize::Zeroizing;

pub mod auth;

/// The log of records that belong to no case (assessment templates): one per
/// organisation, readable and writable by all its members.
pub const ORG_LOG: Uuid = Uuid::nil();

/// A case's supervision log: the supervision notes on it, read only by its
/// keyworker and the supervisors of its team (never by a colleague it is
/// shared with, a manager or an admin), under a key of its own. Its id
/// follows from the case's, so every device and the server agree on it.
pub fn supervision_log(case: Uuid) -> Uuid {
    Uuid::new_v5(&case, b"waymark supervision log")
}

/// A case's allocation log: what a volunteer allocated to the case holds (a
/// contact brief, appointments, the notes volunteers write), read by
/// everyone who holds the case and by the volunteers it is allocated to,
/// who never read the case's own log. Its id follows from the case's.
pub fn allocation_log(case: Uuid) -> Uuid {
    Uuid::new_v5(&case, b"waymark allocation log")
}

/// Most changes one push may carry.
pub const MAX_PUSH_CHANGES: usize = 5_000;
/// Largest body of one change. Attachments travel as blobs, not changes.
pub const MAX_CHANGE_BYTES: usize = 256 * 1024;
/// Largest request the server reads.
pub const MAX_REQUEST_BYTES: usize = 48 * 1024 * 1024;
/// Most changes one pull page returns.
pub const MAX_PULL_LIMIT: u32 = 10_000;
/// Most bytes of change bodies in one pull page (besides the count limit):
/// a page of large changes stops early and says what remains.
pub const MAX_PULL_BYTES: usize = 16 * 1024 * 1024;
/// Most cursors one pull may send (one per case the device holds).
pub const MAX_PULL_CURSORS: usize = 100_000;
/// How far ahead of the server's clock a change's stamp may be. A device
/// whose clock runs further ahead re-stamps before pushing, so it cannot win
/// every later conflict.
pub const MAX_CLOCK_AHEAD_MS: i64 = 5 * 60 * 1000;

/// A change as a device pushes it. `clock_ms` is the wall time of its stamp
/// (routing metadata: the server bounds it); the body is opaque.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Envelope {
    pub change_id: Uuid,
    pub log_id: Uuid,
    /// For a change in a case's supervision or allocation log, the case:
    /// the server makes the log with the case's keyworker and team, and
    /// checks `log_id` is `supervision_log(case)` or `allocation_log(case)`.
    /// Absent for a case's own log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub companion_of: Option<Uuid>,
    pub clock_ms: i64,
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub body: Vec<u8>,
}

/// A change as a server log returns it: its position in the log and the body
/// as it was pushed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Logged {
    pub seq: i64,
    pub change_id: Uuid,
    /// When the server took the push (ms since the epoch). A device holds
    /// the clock inside the change to this plus `MAX_CLOCK_AHEAD_MS`, the
    /// bound the server held the push to.
    pub received_ms: i64,
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub body: Vec<u8>,
}

/// An erasure's rule, state and answer are shared values too: the app
/// words the answer.
pub use waymark_model::views::{CaseAccess, Erasure};
/// Roles are shared values (`waymark-model`): the app shows them too.
pub use waymark_model::vocab::Role;
pub use waymark_model::vocab::{ErasureRule, ErasureState};

#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub user: String,
    /// The key derived from the passphrase with [`auth::derive_auth_key`]
    /// (32 bytes, base64). The passphrase itself never leaves the device.
    #[serde(with = "b64_secret")]
    #[schema(value_type = String, format = Byte)]
    pub auth_key: Zeroizing<Vec<u8>>,
    /// The device's own id (from its store); a device logs in once per user.
    pub device_id: Uuid,
    pub device_label: String,
    /// This person's public X25519 key on this device (32 bytes, base64):
    /// case keys are sealed to it. Registered once per device and person.
    #[serde(default, with = "b64_opt", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub public_key: Option<Vec<u8>>,
    /// This person's Ed25519 identity key on this device (32 bytes, base64),
    /// with `key_signature`; registered once per device and person.
    #[serde(default, with = "b64_opt", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub identity_key: Option<Vec<u8>>,
    /// The identity's signature over `public_key` (64 bytes, base64).
    #[serde(default, with = "b64_opt", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub key_signature: Option<Vec<u8>>,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("user", &self.user)
            .field("device_id", &self.device_id)
            .finish_non_exhaustive()
    }
}

/// `POST /v1/login-salt`: what a device salts a person's login key with.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct LoginSaltRequest {
    pub user: String,
}

/// The salts for [`auth::derive_auth_key`]. A name the server does not know
/// gets salts as well, the same every time, so the answer tells no one who
/// has an account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LoginSalt {
    /// For the passphrase the person has now (32 bytes, base64).
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub salt: Vec<u8>,
    /// For a passphrase they choose now, joining or changing it: it
    /// includes their organisation (32 bytes, base64).
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub new_salt: Vec<u8>,
}

/// `POST /v1/join`: a person's first passphrase, set with the one-time
/// enrolment code an administrator gave them. Sent again after it went
/// through (the same key), it is answered the same way.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct JoinRequest {
    pub user: String,
    /// The code as the administrator gave it (case, spaces and dashes do
    /// not matter).
    pub enrolment_code: String,
    /// The login key of the chosen passphrase, salted with `new_salt`
    /// (32 bytes, base64).
    #[serde(with = "b64_secret")]
    #[schema(value_type = String, format = Byte)]
    pub auth_key: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for JoinRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JoinRequest")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// `POST /v1/credential`: a person changed their passphrase on a device;
/// the new passphrase's login key replaces the old, proven by the old. Sent
/// again after the change went through, it is answered the same way.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct CredentialRequest {
    /// The caller's user name (the signed-in person's).
    pub user: String,
    /// The login key of the passphrase until now (32 bytes, base64).
    #[serde(with = "b64_secret")]
    #[schema(value_type = String, format = Byte)]
    pub current_auth_key: Zeroizing<Vec<u8>>,
    /// The login key of the new passphrase (32 bytes, base64).
    #[serde(with = "b64_secret")]
    #[schema(value_type = String, format = Byte)]
    pub new_auth_key: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for CredentialRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialRequest")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CredentialResponse {
    pub changed_at_ms: i64,
}

#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginResponse {
    /// Bearer token for this device. Shown once; the server keeps a hash.
    pub token: String,
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub role: Role,
    pub server_time_ms: i64,
    /// The passphrase was set by an administrator: the device must change
    /// it (`POST /v1/credential`) before anything else is answered.
    #[serde(default)]
    pub must_change_passphrase: bool,
}

impl std::fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginResponse")
            .field("user_id", &self.user_id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct PushRequest {
    pub changes: Vec<Envelope>,
}

/// Where a pushed change now sits. `duplicate` when the server already had
/// it (a retried push): it is stored once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Accepted {
    pub change_id: Uuid,
    pub log_id: Uuid,
    pub seq: i64,
    pub duplicate: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct PushResponse {
    pub accepted: Vec<Accepted>,
    pub server_time_ms: i64,
}

/// How far a device has applied one log, and the log's tip there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Cursor {
    pub log_id: Uuid,
    pub after: i64,
    /// The tip at `after` ([`GENESIS_TIP`] at 0). The server answers with a
    /// reset when its log does not hold this tip at `after` (it was restored
    /// from an older backup, or is not the log this device knew).
    pub tip: String,
}

/// The tip of an empty log.
pub const GENESIS_TIP: &str = "00000000000000000000000000000000";

/// A log's tip after one more change: a hash chain over the change ids in
/// log order, so a device and the server can tell, by comparing one value,
/// that they hold the same history up to a seq. Not a secret; SHA-256
/// truncated to 128 bits.
pub fn next_tip(prev: &str, change_id: Uuid) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(change_id.as_bytes());
    let digest = h.finalize();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(32);
    for b in &digest[..16] {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct PullRequest {
    /// The device's cursors; a log the caller may read but does not list
    /// is read from its start. At most [`MAX_PULL_CURSORS`].
    #[schema(max_items = 100_000)]
    pub cursors: Vec<Cursor>,
    /// Most changes in this page: 1 to [`MAX_PULL_LIMIT`] (the default).
    #[schema(minimum = 1, maximum = 10_000)]
    pub limit: Option<u32>,
    /// The cursors are where the device will be once it has applied the
    /// page it holds (it asks for the next page meanwhile): the server
    /// answers from them but does not record them as read.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ahead: bool,
}

/// Changes of one log after the caller's cursor, in order, with no gaps.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct LogPage {
    pub log_id: Uuid,
    /// The log's last seq and its tip now.
    pub head: i64,
    pub tip: String,
    /// The caller's cursor is not in this log's history (the server was
    /// restored from an older backup): `changes` start again from seq 1, and
    /// the device must re-push its own changes the server may have lost.
    pub reset: bool,
    pub changes: Vec<Logged>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct PullResponse {
    /// Only logs with something new for the caller (or behind its cursor).
    pub logs: Vec<LogPage>,
    /// Changes still waiting after this page, over all the caller's logs.
    pub remaining: u64,
    pub server_time_ms: i64,
    /// Cases among the caller's cursors that were erased: the device drops
    /// its copy (records, attachments, case keys) and writes no more to them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub erased: Vec<Uuid>,
    /// Cases among the caller's cursors it may no longer read (unshared, or
    /// reassigned to another keyworker): the device drops its copy once
    /// nothing it wrote there waits to be sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withdrawn: Vec<Uuid>,
}

/// `POST /v1/cases/{log_id}/share`: the case's keyworker, a supervisor of
/// its team or an admin shares it with a colleague (`share: true`) or stops
/// sharing it (`false`; the case then takes a new key).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ShareRequest {
    /// The colleague's user name.
    pub user: String,
    pub share: bool,
}

/// `POST /v1/cases/{log_id}/keyworker`: a supervisor of the case's team (or
/// an admin) gives it to another keyworker; the one before loses access
/// unless it is shared with them.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ReassignRequest {
    /// The new keyworker's user name (a worker or a supervisor).
    pub user: String,
}

/// `POST /v1/cases/{log_id}/erase`: a supervisor or an admin asks for a
/// case to be erased, or confirms another's request (the organisation's
/// `ErasureRule` says which it takes).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct EraseRequest {
    /// Why, sealed on the device to the organisation's recovery key
    /// (`waymark_crypto::seal_erasure_reason`): the server keeps only this.
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub reason_sealed: Vec<u8>,
}

/// An erasure asked for and not yet done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PendingErasure {
    pub log_id: Uuid,
    pub requested_by: String,
    pub requested_at_ms: i64,
    /// When it lapses (second person) or runs (grace).
    pub due_at_ms: i64,
    /// The rule it was asked under.
    pub rule: ErasureRule,
}

/// `POST /v1/erasures`: the organisation's rule and the requests waiting
/// on cases the caller (a supervisor or an admin) may read.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ErasuresResponse {
    pub rule: ErasureRule,
    pub hours: u32,
    pub pending: Vec<PendingErasure>,
}

/// Which logs' horizons a device asks for.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct HorizonRequest {
    pub log_ids: Vec<Uuid>,
}

/// A log's horizon: the lowest seq every device that may read the log has
/// read up to. A tombstone at or below it has reached every device, so it
/// can be purged without the record coming back.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Horizon {
    pub log_id: Uuid,
    pub horizon: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct HorizonResponse {
    pub horizons: Vec<Horizon>,
}

/// A case key sealed to one recipient's public key (a member's device, or
/// the organisation's recovery key). The server stores and relays these; it
/// cannot open them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SealedKey {
    pub log_id: Uuid,
    /// The case key's epoch (1 for a case's first key; it rises on rotation).
    pub epoch: u32,
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub recipient_key: Vec<u8>,
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub sealed: Vec<u8>,
    /// The sealing person's identity and its signature over the sealed key
    /// (`Statement::SealedKey`): a device keeps a key only when a confirmed
    /// identity (or its own) signed it.
    #[serde(default, with = "b64_opt", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub sender_identity: Option<Vec<u8>>,
    #[serde(default, with = "b64_opt", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub signature: Option<Vec<u8>>,
}

/// `POST /v1/keys`: sealed keys a device made for recipients that lacked them.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct StoreKeysRequest {
    pub keys: Vec<SealedKey>,
    /// A new key for cases whose member left (epoch + 1): accepted only from
    /// the first device to send it, so a case never has two keys at an epoch.
    #[serde(default)]
    pub rotation: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct StoreKeysResponse {
    /// How many were new (a key already stored for its recipient is kept).
    pub stored: u64,
}

/// `POST /v1/keys/mine`: the case keys sealed to the calling device's key,
/// after a position (`id` of the last one received).
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct MyKeysRequest {
    pub after: i64,
    /// Most keys in this page: 1 to [`MAX_KEYS_PAGE`] (the default).
    #[schema(minimum = 1, maximum = 5_000)]
    pub limit: Option<u32>,
}

/// One case key sealed to the caller, with its place in the server's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MyKey {
    pub id: i64,
    pub log_id: Uuid,
    pub epoch: u32,
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub sealed: Vec<u8>,
    /// As the sealing device sent them (see `SealedKey`).
    #[serde(default, with = "b64_opt", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub sender_identity: Option<Vec<u8>>,
    #[serde(default, with = "b64_opt", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub signature: Option<Vec<u8>>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct MyKeysResponse {
    pub keys: Vec<MyKey>,
}

/// Most sealed keys one answer carries.
pub const MAX_KEYS_PAGE: u32 = 5_000;

/// `POST /v1/keys/needed`: which recipients of the caller's cases lack the
/// current case key, by case id after `after`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct KeysNeededRequest {
    pub after: Option<Uuid>,
}

/// A recipient that lacks a case's key at `epoch` (0: the case has no key on
/// the server yet; the device that made it seals its first one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct KeyNeeded {
    pub log_id: Uuid,
    pub epoch: u32,
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub recipient_key: Vec<u8>,
    /// The identity that signed `recipient_key`, and its signature (none
    /// for the recovery key): the sealing device seals only to a key whose
    /// identity an admin certified.
    #[serde(default, with = "b64_opt", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub identity_key: Option<Vec<u8>>,
    #[serde(default, with = "b64_opt", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub key_signature: Option<Vec<u8>>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct KeysNeededResponse {
    pub needed: Vec<KeyNeeded>,
    /// Ask again after this case id for the rest.
    pub next_after: Option<Uuid>,
}

/// `POST /v1/recovery/key` (an admin, once): the organisation's recovery
/// public key. Every case key is then sealed to it as well; its private half
/// is kept offline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RecoveryKeyRequest {
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub public_key: Vec<u8>,
    /// Who vouches for it (the organisation key or a certified admin's
    /// identity) and the signature: devices seal to it only then.
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub signer_key: Vec<u8>,
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub signature: Vec<u8>,
}

/// `POST /v1/recovery/needed` (an admin): the case keys sealed to the
/// recovery key that `user`'s devices lack, to open offline and reseal.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RecoveryNeededRequest {
    pub user: String,
}

/// A case key sealed to the recovery key, and a device of the person that
/// lacks it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RecoveryNeed {
    pub log_id: Uuid,
    pub epoch: u32,
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub sealed_to_recovery: Vec<u8>,
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub recipient_key: Vec<u8>,
    /// The identity that signed `recipient_key`, and its signature: the
    /// admin's device reseals only to a key a confirmed identity signed.
    #[serde(default, with = "b64_opt", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub identity_key: Option<Vec<u8>>,
    #[serde(default, with = "b64_opt", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub key_signature: Option<Vec<u8>>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RecoveryNeededResponse {
    pub needed: Vec<RecoveryNeed>,
}

/// `POST /v1/recovery/keys` (an admin): case keys resealed to `user`'s
/// devices with the recovery key.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RecoveryKeysRequest {
    pub user: String,
    pub keys: Vec<SealedKey>,
}

/// A device enrolled in the organisation, as an admin sees it
/// (`POST /v1/devices`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DeviceInfo {
    pub device_id: Uuid,
    pub user: String,
    pub user_id: Uuid,
    pub role: Role,
    /// The person's team, if they have one: certified with the role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    pub label: String,
    pub last_seen_at_ms: i64,
    pub revoked: bool,
    /// The first 16 hex digits of the SHA-256 of the person's public key
    /// there, to compare with what the device shows.
    pub key_fingerprint: Option<String>,
    /// The person's public X25519 key there (32 bytes, base64).
    #[serde(default, with = "b64_opt", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub public_key: Option<Vec<u8>>,
    /// Their identity key there, and its signature over `public_key`: an
    /// admin's device checks both and shows the identity's fingerprint
    /// phrase (the server's word is not enough).
    #[serde(default, with = "b64_opt", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub identity_key: Option<Vec<u8>>,
    #[serde(default, with = "b64_opt", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub key_signature: Option<Vec<u8>>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct DevicesResponse {
    pub devices: Vec<DeviceInfo>,
}

/// An admin's certification of a person's identity: the statement
/// `Certificate { org, user_id, user_name, role, team, identity_key }` signed by
/// `signer_key` (the organisation key, or a certified admin's identity).
/// The server stores and relays it; devices verify it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Certificate {
    pub user_id: Uuid,
    /// The person's user name, as the certificate's signature binds it:
    /// how devices name the person behind a change.
    pub user_name: String,
    pub role: Role,
    /// The team the person works in, as the signature binds it (a
    /// certificate made before teams were certified has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub identity_key: Vec<u8>,
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub signer_key: Vec<u8>,
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub signature: Vec<u8>,
}

/// `POST /v1/org/key` (an admin, once per organisation): the organisation's
/// Ed25519 signing key, with the admin's own certificate signed by it.
/// Devices pin the key when they join.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct OrgKeyRequest {
    #[serde(with = "b64")]
    #[schema(value_type = String, format = Byte)]
    pub public_key: Vec<u8>,
    pub certificate: Certificate,
}

/// `POST /v1/trust`: what devices verify recipients with, relayed as
/// stored: the organisation key, every certificate, and the recovery key
/// with its signature.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TrustResponse {
    #[serde(default, with = "b64_opt", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub org_key: Option<Vec<u8>>,
    pub certificates: Vec<Certificate>,
    pub recovery: Option<RecoveryKeyRequest>,
}

/// Largest attachment (as on the device).
pub const MAX_BLOB_BYTES: u64 = 25 * 1024 * 1024;
/// Largest chunk of one blob upload.
pub const MAX_BLOB_CHUNK: usize = 1024 * 1024;

/// How much of a blob the server holds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BlobStatus {
    pub size: u64,
    pub received: u64,
}

/// What went wrong, as every 4xx and 5xx answer names it. The one list of
/// error codes: the server answers with them, clients match on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is not what the route reads (bad JSON, a wrong path or
    /// query parameter, an array where an object belongs).
    MalformedRequest,
    /// Well-formed, but a value is wrong: the message names the field.
    Invalid,
    /// The request is larger than the server reads.
    TooLarge,
    /// The body is not `application/json` (or, for blobs, octet-stream).
    UnsupportedMediaType,
    /// No such route, or no such thing the caller may see.
    NotFound,
    /// The route exists, but not with this method.
    MethodNotAllowed,
    /// The request disagrees with what the server holds (a chunk at the
    /// wrong offset, a change id reused with another body, a key set twice).
    Conflict,
    /// A case the request names was erased; `erased` lists them.
    CaseErased,
    /// A change's clock is too far ahead; `server_time_ms` is the server's.
    ClockAhead,
    /// The server's store failed; nothing was written; try again.
    StoreUnavailable,
    /// The request (its body included) took longer than the server waits:
    /// nothing was written; try again.
    TimedOut,
    /// No `Authorization: Bearer` token.
    MissingToken,
    /// The token is malformed or unknown: log in again.
    InvalidToken,
    /// The device's token went unused longer than the server allows (90
    /// days unless configured): log in again; nothing on the device is lost.
    TokenExpired,
    /// An administrator revoked this device: it erases its store.
    DeviceRevoked,
    UserDisabled,
    /// The user name or passphrase is wrong.
    BadCredentials,
    /// The enrolment code is wrong, used already or expired.
    BadEnrolmentCode,
    /// Too many failed logins; `Retry-After` says when to try again.
    TooManyAttempts,
    /// The person's passphrase was set by an administrator (before
    /// enrolment codes): nothing but `POST /v1/credential` is answered until
    /// they choose their own.
    PassphraseChangeRequired,
    /// The caller's role or team may not do this.
    NoAccess,
    /// A code this client does not know (a newer server).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The code as it is on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MalformedRequest => "malformed_request",
            ErrorCode::Invalid => "invalid",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Conflict => "conflict",
            ErrorCode::CaseErased => "case_erased",
            ErrorCode::ClockAhead => "clock_ahead",
            ErrorCode::StoreUnavailable => "store_unavailable",
            ErrorCode::TimedOut => "timed_out",
            ErrorCode::MissingToken => "missing_token",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::TokenExpired => "token_expired",
            ErrorCode::DeviceRevoked => "device_revoked",
            ErrorCode::UserDisabled => "user_disabled",
            ErrorCode::BadCredentials => "bad_credentials",
            ErrorCode::BadEnrolmentCode => "bad_enrolment_code",
            ErrorCode::TooManyAttempts => "too_many_attempts",
            ErrorCode::PassphraseChangeRequired => "passphrase_change_required",
            ErrorCode::NoAccess => "no_access",
            ErrorCode::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every 4xx and 5xx answer: a stable code and a sentence naming the problem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorCode,
    pub message: String,
    /// The server's clock, with `clock_ahead`: the device re-stamps against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_time_ms: Option<i64>,
    /// With `case_erased`: the erased cases a push named. The device drops
    /// its copies (and their unsent changes) and pushes the rest again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub erased: Vec<Uuid>,
    /// With `no_access` on a push: the cases the pusher held once and lost
    /// longer ago than a late write is taken. The device sets its unsent
    /// changes there aside (kept, shown to the person) and pushes the rest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withdrawn: Vec<Uuid>,
}

/// `POST /v1/devices/{device_id}/revoke`: the device's enrolments revoked.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RevokeResponse {
    pub revoked_enrolments: u64,
}

/// `POST /v1/recovery/key`: the fingerprint of the key now registered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RecoveryKeyResponse {
    pub fingerprint: String,
}

/// The answer of a request that only stores something: done, nothing to say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Done {}

/// Health: the server answers and its store does.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    pub status: String,
    pub store: String,
}

mod b64 {
    use super::*;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        // Borrowed when the JSON has no escapes (the usual case): no copy.
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        STANDARD
            .decode(text.as_bytes())
            .map_err(|_| serde::de::Error::custom("a body or key is not base64"))
    }
}

mod b64_opt {
    use super::*;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(b) => s.serialize_str(&STANDARD.encode(b)),
            None => s.serialize_none(),
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| {
                STANDARD
                    .decode(text.as_bytes())
                    .map_err(|_| serde::de::Error::custom("public_key is not base64"))
            })
            .transpose()
    }
}

mod b64_secret {
    use super::*;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &Zeroizing<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&Zeroizing::new(STANDARD.encode(bytes.as_slice())))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Zeroizing<Vec<u8>>, D::Error> {
        let text = Zeroizing::new(String::deserialize(d)?);
        STANDARD
            .decode(text.as_bytes())
            .map(Zeroizing::new)
            .map_err(|_| serde::de::Error::custom("auth_key is not base64"))
    }
}
