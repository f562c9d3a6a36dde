//! Trust and case keys: the organisation's certificates (who may be
//! sealed a key), keys relayed to this device, and sealing this device's
//! case keys to colleagues the server lists.

use crate::*;
use serde_json::Value;
use waymark_core::sync::SyncAccount;
use waymark_core::Session;
use waymark_protocol::*;

impl Client {
    /// Fetches what the server relays of the organisation's trust and keeps
    /// what verifies against the pinned key. An admin's device makes the
    /// organisation's signing key when the organisation has none.
    pub(crate) async fn refresh_trust(
        &self,
        session: &mut Session,
        account: &SyncAccount,
        report: &mut SyncReport,
    ) -> Result<()> {
        let token = account.token.as_str();
        let empty = serde_json::json!({});
        let mut relayed: TrustResponse = self.post("/v1/trust", Some(token), &empty).await?;
        report.requests += 1;
        if relayed.org_key.is_none()
            && account.role == Role::Admin.as_str()
            && session.trust_state()?.org_key_phrase.is_none()
        {
            // The founding admin's certificate names their team as the
            // server lists it (the server refuses one that does not).
            let team = self
                .org_devices(session)
                .await?
                .into_iter()
                .find(|d| d.user_id == account.server_user_id)
                .and_then(|d| d.team);
            let key = session.new_org_key(account.org_id, team.as_deref())?;
            match self
                .post::<_, Value>("/v1/org/key", Some(token), &key.request)
                .await
            {
                Ok(_) => session.keep_org_key(account.org_id, key)?,
                // Another admin's device registered one first: pin theirs.
                Err(SyncError::Refused { status: 409, .. }) => {}
                Err(e) => return Err(e),
            }
            relayed = self.post("/v1/trust", Some(token), &empty).await?;
            report.requests += 3;
        }
        report.certificates_refused = session.accept_trust(account.org_id, &relayed)?.len() as u64;
        report.waiting_for_confirmation = session.trust_state()?.confirmed_as.is_none();
        Ok(())
    }

    /// The case keys sealed to this device (they open changes waiting for
    /// them).
    pub(crate) async fn receive_keys(
        &self,
        session: &mut Session,
        token: &str,
        report: &mut SyncReport,
    ) -> Result<()> {
        loop {
            let request = MyKeysRequest {
                after: session.keys_after()?,
                limit: None,
            };
            let answer: MyKeysResponse = self.post("/v1/keys/mine", Some(token), &request).await?;
            report.requests += 1;
            if answer.keys.is_empty() {
                break;
            }
            let received = session.receive_case_keys(&answer.keys)?;
            report.keys_received += received.keys;
            report.applied.add(&received.applied);
            if answer.keys.len() < MAX_KEYS_PAGE as usize {
                break;
            }
        }
        Ok(())
    }

    /// Seals the keys this device holds for members' devices and the
    /// recovery key that lack them (a new case's first key; a new member; a
    /// new laptop), and makes the next key of cases a member left.
    pub(crate) async fn seal_keys(
        &self,
        session: &mut Session,
        token: &str,
        report: &mut SyncReport,
    ) -> Result<()> {
        let mut after = None;
        loop {
            let answer: KeysNeededResponse = self
                .post("/v1/keys/needed", Some(token), &KeysNeededRequest { after })
                .await?;
            report.requests += 1;
            let sealing = session.seal_case_keys(&answer.needed)?;
            for batch in sealing.keys.chunks(MAX_KEYS_PAGE as usize) {
                let request = StoreKeysRequest {
                    keys: batch.to_vec(),
                    rotation: false,
                };
                let stored: StoreKeysResponse =
                    self.post("/v1/keys", Some(token), &request).await?;
                report.requests += 1;
                report.keys_sealed += stored.stored;
            }
            for rotation in sealing.rotations {
                let request = StoreKeysRequest {
                    keys: rotation.sealed,
                    rotation: true,
                };
                report.requests += 1;
                match self
                    .post::<_, StoreKeysResponse>("/v1/keys", Some(token), &request)
                    .await
                {
                    Ok(stored) => {
                        session.keep_rotated_key(rotation.log_id, &rotation.key)?;
                        report.keys_sealed += stored.stored;
                        report.keys_rotated += 1;
                    }
                    // Another member's device rotated first: its key
                    // arrives sealed to us; this one is dropped unused.
                    Err(SyncError::Refused { status: 409, .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            match answer.next_after {
                Some(next) => after = Some(next),
                None => return Ok(()),
            }
        }
    }
}
