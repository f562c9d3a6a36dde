//! What admins and supervisors ask of the server: devices and revocation,
//! confirming a person, the recovery key, restoring access, erasing a case.

use crate::*;
use serde_json::Value;
use uuid::Uuid;
use waymark_core::Session;
use waymark_protocol::*;

impl Client {
    /// The organisation's enrolled devices (an admin).
    pub async fn org_devices(&self, session: &Session) -> Result<Vec<DeviceInfo>> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        let answer: DevicesResponse = self
            .post("/v1/devices", Some(&account.token), &serde_json::json!({}))
            .await?;
        Ok(answer.devices)
    }

    /// The organisation's devices as this device makes them out: each
    /// identity's phrase computed here, whether it vouches for the device's
    /// key, and whether it is confirmed (an admin).
    pub async fn listed_devices(
        &self,
        session: &Session,
    ) -> Result<Vec<waymark_core::identity::ListedDevice>> {
        let devices = self.org_devices(session).await?;
        Ok(session.listed_devices(devices)?)
    }

    /// Revokes a device of the organisation (an admin).
    pub async fn revoke_device(&self, session: &Session, device: Uuid) -> Result<()> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        let _: serde_json::Value = self
            .post(
                &format!("/v1/devices/{device}/revoke"),
                Some(&account.token),
                &serde_json::json!({}),
            )
            .await?;
        Ok(())
    }

    /// Confirms a person's identity (an admin): among their devices the
    /// server lists, the identity whose fingerprint phrase, computed here,
    /// is `phrase` (as the person reads it from their own screen) is
    /// certified in the role the organisation gave them. A phrase that
    /// matches none certifies nothing. Certifying an admin (who may then
    /// confirm others) needs `as_admin`.
    pub async fn confirm(
        &self,
        session: &mut Session,
        user: &str,
        phrase: &str,
        as_admin: bool,
    ) -> Result<Confirmed> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        self.refresh_trust(session, &account, &mut SyncReport::default())
            .await?;
        let devices = self.org_devices(session).await?;
        let theirs: Vec<&DeviceInfo> = devices.iter().filter(|d| d.user == user).collect();
        if theirs.is_empty() {
            return Err(waymark_core::Error::invalid(
                "USER",
                format!("{user:?} has no device enrolled in your organisation"),
            )
            .into());
        }
        let matching = theirs.iter().find_map(|d| {
            let identity =
                waymark_crypto::IdentityPublic::from_bytes(d.identity_key.as_deref()?).ok()?;
            let listed = waymark_core::identity::check_listed((*d).clone());
            (listed.key_vouched && waymark_crypto::phrase_matches(&identity, phrase))
                .then_some((*d, identity))
        });
        let Some((device, identity)) = matching else {
            return Err(waymark_core::Error::invalid(
                "--fingerprint",
                format!(
                    "matches none of {user}'s identities: compare the phrase on their screen (waymark identity, or Settings in the app) again; nothing was confirmed"
                ),
            )
            .into());
        };
        if device.role == Role::Admin && !as_admin {
            return Err(waymark_core::Error::invalid(
                "--admin",
                format!("{user:?} is an admin: confirming them lets them confirm others; add --admin if that is meant"),
            )
            .into());
        }
        let certificate = session.certify(
            account.org_id,
            (device.user_id, &device.user),
            (device.role, device.team.as_deref()),
            &identity,
        )?;
        let _: Value = self
            .post("/v1/certificates", Some(&account.token), &certificate)
            .await?;
        self.refresh_trust(session, &account, &mut SyncReport::default())
            .await?;
        Ok(Confirmed {
            user: user.to_owned(),
            role: device.role,
            team: device.team.clone(),
            fingerprint_phrase: waymark_crypto::fingerprint_phrase(&identity),
        })
    }

    /// Registers the organisation's recovery public key (an admin, once).
    /// Makes the organisation's recovery key pair (an admin, once) and
    /// registers its public half. `keep` stores the secret's text (a private
    /// file, the screen) first: a key the server holds that nobody kept
    /// would be worse than none. When the server then refuses, the error
    /// comes back and the kept copy is the caller's to discard. Returns the
    /// key's fingerprint.
    pub async fn create_recovery_key(
        &self,
        session: &Session,
        keep: impl FnOnce(&str) -> waymark_core::Result<()>,
    ) -> Result<String> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        let secret = waymark_crypto::UserSecret::generate();
        let public = secret.public();
        // Devices seal to it only with an admin's signature over it.
        let (signer_key, signature) = session.vouch_for_recovery_key(account.org_id, &public)?;
        keep(&waymark_crypto::recovery_key_text(&secret))?;
        let _: serde_json::Value = self
            .post(
                "/v1/recovery/key",
                Some(&account.token),
                &RecoveryKeyRequest {
                    public_key: public.0.to_vec(),
                    signer_key,
                    signature,
                },
            )
            .await?;
        Ok(waymark_crypto::fingerprint(&public))
    }

    /// Restores a person's access with the organisation's recovery key (an
    /// admin): every case key sealed to the recovery key that their usable
    /// devices lack is opened here, in memory only, and sealed to those
    /// devices. This device never receives the cases themselves. Returns how
    /// many keys were resealed.
    pub async fn recover_user(
        &self,
        session: &mut Session,
        recovery: &waymark_crypto::UserSecret,
        user: &str,
    ) -> Result<u64> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        let token = account.token.as_str();
        let mut resealed = 0;
        loop {
            let answer: RecoveryNeededResponse = self
                .post(
                    "/v1/recovery/needed",
                    Some(token),
                    &RecoveryNeededRequest {
                        user: user.to_owned(),
                    },
                )
                .await?;
            // Resealed only to a device key a confirmed identity signed.
            let screened: Vec<KeyNeeded> = answer
                .needed
                .iter()
                .map(|n| KeyNeeded {
                    log_id: n.log_id,
                    epoch: n.epoch,
                    recipient_key: n.recipient_key.clone(),
                    identity_key: n.identity_key.clone(),
                    key_signature: n.key_signature.clone(),
                })
                .collect();
            let allowed = session.screen_recipients(&screened)?;
            let mut keys = Vec::with_capacity(answer.needed.len());
            for (need, _) in answer.needed.iter().zip(allowed).filter(|(_, ok)| *ok) {
                let key = waymark_crypto::open_case_key(
                    recovery,
                    need.log_id,
                    need.epoch,
                    &need.sealed_to_recovery,
                )
                .map_err(|e| SyncError::Protocol(format!("case {}: {e}", need.log_id)))?;
                let Ok(recipient) = <[u8; 32]>::try_from(need.recipient_key.as_slice()) else {
                    continue;
                };
                if let Ok(sealed) = waymark_crypto::seal_case_key(
                    &waymark_crypto::UserPublic(recipient),
                    need.log_id,
                    &key,
                ) {
                    keys.push(SealedKey {
                        log_id: need.log_id,
                        epoch: need.epoch,
                        recipient_key: need.recipient_key.clone(),
                        sealed,
                        sender_identity: None,
                        signature: None,
                    });
                }
            }
            if keys.is_empty() {
                return Ok(resealed);
            }
            session.sign_sealed_keys(&mut keys)?;
            let stored: StoreKeysResponse = self
                .post(
                    "/v1/recovery/keys",
                    Some(token),
                    &RecoveryKeysRequest {
                        user: user.to_owned(),
                        keys,
                    },
                )
                .await?;
            if stored.stored == 0 {
                return Ok(resealed);
            }
            resealed += stored.stored;
        }
    }

    /// Asks for a case's erasure, or confirms another supervisor's or
    /// admin's request, as the organisation's rule has it. The reason is
    /// sealed here to the organisation's recovery key (trust refreshed
    /// first). Once the server has erased the case, this device drops its
    /// copy at once (every other device at its next sync); a request that
    /// waits changes nothing here.
    pub async fn erase_case(
        &self,
        session: &mut Session,
        case: Uuid,
        reason: &str,
    ) -> Result<Erasure> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        waymark_core::trust::check_erasure_reason(reason)?;
        self.refresh_trust(session, &account, &mut SyncReport::default())
            .await?;
        let reason_sealed = session.seal_erasure_reason(account.org_id, case, reason)?;
        let answer: Erasure = self
            .post(
                &format!("/v1/cases/{case}/erase"),
                Some(&account.token),
                &EraseRequest { reason_sealed },
            )
            .await?;
        if answer.state == ErasureState::Erased {
            session.erase_cases(&[case])?;
        }
        Ok(answer)
    }

    /// Withdraws an erasure that waits.
    pub async fn cancel_erasure(&self, session: &Session, case: Uuid) -> Result<()> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        let _: Done = self
            .post(
                &format!("/v1/cases/{case}/erase/cancel"),
                Some(&account.token),
                &serde_json::json!({}),
            )
            .await?;
        Ok(())
    }

    /// The organisation's erasure rule and the requests waiting.
    pub async fn erasures(&self, session: &Session) -> Result<ErasuresResponse> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        self.post("/v1/erasures", Some(&account.token), &serde_json::json!({}))
            .await
    }
}
