//! This person's identity on this device: an Ed25519 key pair made at
//! enrolment (or at the first need in an older store), the secret only in
//! the encrypted store. It vouches for the person's X25519 key (what login
//! registers), and people compare it by its fingerprint phrase before an
//! admin certifies it.

use crate::api::Session;
use crate::error::{Error, Result};
use uuid::Uuid;
use waymark_crypto::{IdentityPublic, IdentitySecret, Signature, Statement};
pub use waymark_model::views::{Identity, ListedDevice};

/// The person's identity key pair on this device, made on first need.
pub(crate) fn ensure_identity(conn: &rusqlite::Connection, user: Uuid) -> Result<IdentityPublic> {
    let public = crate::e2e::ensure_key_pair(conn, "identity_keys", user, || {
        let secret = IdentitySecret::generate();
        (secret.to_bytes(), secret.public().0)
    })?;
    IdentityPublic::from_bytes(&public).map_err(|e| Error::Storage(e.to_string()))
}

impl Session {
    /// This person's identity on this device (made if missing).
    pub fn identity(&self) -> Result<Identity> {
        let public = ensure_identity(self.connection(), self.user().id)?;
        Ok(Identity {
            user: self.user().name.clone(),
            fingerprint_phrase: waymark_crypto::fingerprint_phrase(&public),
            public_key: hex::encode(public.0),
            confirmed_as: self.trust_state()?.confirmed_as,
        })
    }

    pub fn identity_key(&self) -> Result<IdentityPublic> {
        ensure_identity(self.connection(), self.user().id)
    }

    /// This person's identity secret, read from the store once per session:
    /// it signs every change written.
    pub(crate) fn identity_secret(&self) -> Result<&IdentitySecret> {
        if let Some(secret) = self.identity.get() {
            return Ok(secret);
        }
        self.identity_key()?;
        let secret = crate::e2e::stored_secret(self.connection(), "identity_keys", self.user().id)?;
        let secret =
            IdentitySecret::from_bytes(&secret).map_err(|e| Error::Storage(e.to_string()))?;
        Ok(self.identity.get_or_init(|| secret))
    }

    /// The person's identity signature over their X25519 key on this device:
    /// registered with it at login.
    pub fn device_key_signature(&self) -> Result<Signature> {
        let key = self.public_key()?;
        Ok(self
            .identity_secret()?
            .sign(&Statement::DeviceKey { key: &key }))
    }
}

impl Session {
    /// Devices the server lists, as this device makes them out
    /// (`check_listed`), each with whether its identity is confirmed here.
    pub fn listed_devices(
        &self,
        devices: Vec<waymark_protocol::DeviceInfo>,
    ) -> Result<Vec<ListedDevice>> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT identity_key, role FROM certified_identities WHERE user_id = ?1",
        )?;
        let confirmed: std::collections::HashMap<Vec<u8>, String> = stmt
            .query_map([self.user().id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(devices
            .into_iter()
            .map(|device| {
                let role = device
                    .identity_key
                    .as_ref()
                    .and_then(|k| confirmed.get(k))
                    .and_then(|r| r.parse().ok());
                ListedDevice {
                    confirmed_as: role,
                    ..check_listed(device)
                }
            })
            .collect())
    }
}

/// Checks what the server says of a device (pure: no store).
pub fn check_listed(device: waymark_protocol::DeviceInfo) -> ListedDevice {
    let identity = device
        .identity_key
        .as_deref()
        .and_then(|k| IdentityPublic::from_bytes(k).ok());
    let key_vouched = match (&identity, &device.public_key, &device.key_signature) {
        (Some(identity), Some(key), Some(signature)) => {
            match (
                <[u8; 32]>::try_from(key.as_slice()),
                Signature::from_bytes(signature),
            ) {
                (Ok(key), Ok(signature)) => identity
                    .verify(
                        &Statement::DeviceKey {
                            key: &waymark_crypto::UserPublic(key),
                        },
                        &signature,
                    )
                    .is_ok(),
                _ => false,
            }
        }
        _ => false,
    };
    ListedDevice {
        fingerprint_phrase: identity.as_ref().map(waymark_crypto::fingerprint_phrase),
        key_vouched,
        confirmed_as: None,
        device_id: device.device_id,
        user: device.user,
        user_id: device.user_id,
        role: device.role,
        // Chosen on another device: shown without bidirectional controls.
        label: waymark_model::views::without_bidi_controls(&device.label),
        last_seen_at_ms: device.last_seen_at_ms,
        revoked: device.revoked,
        key_fingerprint: device.key_fingerprint,
        public_key: device.public_key.as_deref().map(base64_text),
        identity_key: device.identity_key.as_deref().map(base64_text),
        key_signature: device.key_signature.as_deref().map(base64_text),
    }
}

fn base64_text(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use crate::{Passphrase, Session};
    use waymark_crypto::Statement;

    #[test]
    fn each_person_has_an_identity_that_stays_and_vouches_for_their_key() {
        let dir = tempfile::tempdir().unwrap();
        let pass = Passphrase::new("correct horse battery staple");
        let s = Session::create(dir.path(), "amina", &pass).unwrap();
        let amina = s.identity().unwrap();
        assert_eq!(amina.fingerprint_phrase.split(' ').count(), 6);
        let signature = s.device_key_signature().unwrap();
        let key = s.public_key().unwrap();
        s.identity_key()
            .unwrap()
            .verify(&Statement::DeviceKey { key: &key }, &signature)
            .unwrap();
        Session::create(dir.path(), "bea", &pass).unwrap().lock();
        s.lock();
        let s = Session::unlock(dir.path(), Some("bea"), &pass).unwrap();
        assert_ne!(
            s.identity().unwrap().fingerprint_phrase,
            amina.fingerprint_phrase
        );
        s.lock();
        let s = Session::unlock(dir.path(), Some("amina"), &pass).unwrap();
        assert_eq!(
            s.identity().unwrap(),
            amina,
            "the same identity after a lock"
        );
        assert_eq!(
            format!("{:?}", s.identity_secret().unwrap()),
            "IdentitySecret(..)"
        );
    }

    #[test]
    fn a_listed_device_is_vouched_for_only_by_its_own_identitys_signature() {
        let dir = tempfile::tempdir().unwrap();
        let pass = Passphrase::new("correct horse battery staple");
        let s = Session::create(dir.path(), "amina", &pass).unwrap();
        let listed = |public_key: Vec<u8>, identity_key: Vec<u8>, key_signature: Vec<u8>| {
            super::check_listed(waymark_protocol::DeviceInfo {
                device_id: uuid::Uuid::nil(),
                user: "amina".into(),
                user_id: uuid::Uuid::nil(),
                role: waymark_protocol::Role::Worker,
                team: None,
                label: "van \u{202E}laptop".into(),
                last_seen_at_ms: 0,
                revoked: false,
                key_fingerprint: None,
                public_key: Some(public_key),
                identity_key: Some(identity_key),
                key_signature: Some(key_signature),
            })
        };
        let key = s.public_key().unwrap().0.to_vec();
        let identity = s.identity_key().unwrap().0.to_vec();
        let signature = s.device_key_signature().unwrap().0.to_vec();
        let genuine = listed(key.clone(), identity.clone(), signature.clone());
        assert!(genuine.key_vouched);
        // The label another device chose shows without a right-to-left override.
        assert_eq!(genuine.label, "van laptop");
        assert_eq!(
            genuine.fingerprint_phrase.as_deref(),
            Some(s.identity().unwrap().fingerprint_phrase.as_str())
        );
        // The server swaps in a key of its own under her identity.
        let planted = waymark_crypto::UserSecret::generate().public().0.to_vec();
        assert!(!listed(planted, identity.clone(), signature.clone()).key_vouched);
        // Or an identity of its own, with her signature.
        let other = waymark_crypto::IdentitySecret::generate()
            .public()
            .0
            .to_vec();
        let swapped = listed(key.clone(), other, signature.clone());
        assert!(!swapped.key_vouched);
        assert_ne!(swapped.fingerprint_phrase, genuine.fingerprint_phrase);
        // Junk is no identity at all.
        let junk = listed(key, vec![1; 5], vec![2; 64]);
        assert_eq!((junk.key_vouched, junk.fingerprint_phrase), (false, None));
    }
}
