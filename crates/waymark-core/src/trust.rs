//! Certification on this device: whom it seals case keys to. The server
//! relays the organisation's signing key, admins' certificates and the
//! recovery key's signature; this device verifies them against the key it
//! pinned when it first saw one (a later different key is refused) and keeps
//! what holds. A recipient the server lists counts only if an admin
//! certified its identity (after comparing fingerprint phrases) and that
//! identity signed the recipient's key, or if it is the recovery key the
//! organisation vouched for. Everything else is refused, reported, and
//! never sealed to.

use crate::api::Session;
use crate::error::{Error, Result};
use crate::identity::ensure_identity;
use rusqlite::{params, OptionalExtension};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;
use waymark_crypto::{
    IdentityPublic, IdentitySecret, Signature, SignedChange, Statement, UserPublic, Verifier,
};
pub use waymark_model::views::{RefusedKey, RefusedRecipient, TrustState};
use waymark_protocol::{
    Certificate, KeyNeeded, MyKey, OrgKeyRequest, Role, SealedKey, TrustResponse,
};

/// A person as an admin certified them: their id, user name and role.
#[derive(Clone, Debug, PartialEq)]
pub struct CertifiedPerson {
    pub person: Uuid,
    pub name: String,
    pub role: Role,
    pub team: Option<String>,
}

/// What verified of what the server relayed.
#[derive(Debug, Default, PartialEq)]
pub struct Verified {
    /// Certified identities: the person each was certified as.
    pub identities: HashMap<[u8; 32], CertifiedPerson>,
    /// The recovery key, if a certified admin (or the organisation key)
    /// vouched for it.
    pub recovery: Option<UserPublic>,
    /// Why each thing that did not verify was refused (ids, no contents).
    pub refused: Vec<String>,
}

/// Why a case is erased, as a person gives it: said, and short.
pub fn check_erasure_reason(reason: &str) -> Result<&str> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::because(
            "reason",
            waymark_model::Reason::SayWhyErased,
        ));
    }
    if reason.chars().count() > 500 {
        return Err(Error::because(
            "reason",
            waymark_model::Reason::TooLong { max: 500 },
        ));
    }
    Ok(reason)
}

/// Verifies certificates and the recovery key against the organisation key
/// (pure). A certificate counts when signed by the organisation key or by
/// an identity certified as an admin (in any order the server sends them);
/// one with a bad signature, or signed by anyone else, is refused.
pub fn verify_trust(org: Uuid, org_key: &IdentityPublic, relayed: &TrustResponse) -> Verified {
    let mut verified = Verified::default();
    let mut authorities: HashSet<[u8; 32]> = HashSet::from([org_key.0]);
    let mut waiting: Vec<&Certificate> = relayed.certificates.iter().collect();
    loop {
        let before = waiting.len();
        waiting.retain(|cert| {
            if !authorities.contains(cert.signer_key.as_slice()) {
                return true;
            }
            match check_certificate(org, cert) {
                Ok(identity) => {
                    if cert.role == Role::Admin {
                        authorities.insert(identity.0);
                    }
                    verified.identities.insert(
                        identity.0,
                        CertifiedPerson {
                            person: cert.user_id,
                            name: cert.user_name.clone(),
                            role: cert.role,
                            team: cert.team.clone(),
                        },
                    );
                }
                Err(why) => verified.refused.push(why),
            }
            false
        });
        if waiting.len() == before {
            break;
        }
    }
    for cert in waiting {
        verified.refused.push(format!(
            "certificate of person {}: signed by neither the organisation's key nor a certified admin",
            cert.user_id
        ));
    }
    if let Some(r) = &relayed.recovery {
        let vouched = <[u8; 32]>::try_from(r.public_key.as_slice())
            .ok()
            .map(UserPublic)
            .filter(|key| {
                authorities.contains(r.signer_key.as_slice())
                    && verify(
                        &r.signer_key,
                        &Statement::RecoveryKey { org, key },
                        &r.signature,
                    )
            });
        match vouched {
            Some(key) => verified.recovery = Some(key),
            None => verified.refused.push(
                "recovery key: not vouched for by the organisation's key or a certified admin"
                    .into(),
            ),
        }
    }
    verified
}

fn verify(signer: &[u8], statement: &Statement, signature: &[u8]) -> bool {
    match (
        IdentityPublic::from_bytes(signer),
        Signature::from_bytes(signature),
    ) {
        (Ok(signer), Ok(signature)) => signer.verify(statement, &signature).is_ok(),
        _ => false,
    }
}

fn check_certificate(org: Uuid, cert: &Certificate) -> std::result::Result<IdentityPublic, String> {
    let refused = |why: &str| format!("certificate of person {}: {why}", cert.user_id);
    let identity = IdentityPublic::from_bytes(&cert.identity_key)
        .map_err(|_| refused("not an identity key"))?;
    let statement = Statement::Certificate {
        org,
        user: cert.user_id,
        name: &cert.user_name,
        role: cert.role.as_str(),
        team: cert.team.as_deref(),
        identity: &identity,
    };
    match verify(&cert.signer_key, &statement, &cert.signature) {
        true => Ok(identity),
        false => Err(refused("the signature does not hold")),
    }
}

/// Whether `need`'s recipient may receive a case key (pure): this person's
/// own key here, the vouched recovery key, or a key its certified identity
/// signed. `Err` names why not.
pub fn check_recipient(
    need: &KeyNeeded,
    own_key: &UserPublic,
    certified: &HashSet<[u8; 32]>,
    recovery: Option<&UserPublic>,
) -> std::result::Result<(), &'static str> {
    let key = <[u8; 32]>::try_from(need.recipient_key.as_slice())
        .map(UserPublic)
        .map_err(|_| "not a public key")?;
    if key == *own_key || Some(&key) == recovery {
        return Ok(());
    }
    let (Some(identity), Some(signature)) = (&need.identity_key, &need.key_signature) else {
        return Err("no identity vouches for the key");
    };
    if !certified.contains(identity.as_slice()) {
        return Err("its identity is not certified: waiting for an admin to confirm");
    }
    match verify(identity, &Statement::DeviceKey { key: &key }, signature) {
        true => Ok(()),
        false => Err("its identity's signature over the key does not hold"),
    }
}

/// A person as the organisation certified an identity of theirs.
#[derive(Clone, Debug, PartialEq)]
pub struct Certified {
    pub name: Option<String>,
    pub role: String,
    pub team: Option<String>,
}

/// Whether a certified recipient may hold a case's supervision log key
/// (pure): the case's keyworker, or a supervisor certified in the
/// keyworker's team. The server names the members; a device holds the
/// facts to check it, so a hostile server cannot have the notes sealed to
/// a colleague the case is only shared with, or to anyone else.
pub fn may_hold_supervision(
    recipient: Option<&Certified>,
    keyworker: Option<&str>,
    keyworker_team: Option<&str>,
) -> std::result::Result<(), &'static str> {
    let Some(who) = recipient else {
        return Err("a supervision log's key: its identity is not certified");
    };
    let is_keyworker = keyworker.is_some() && who.name.as_deref() == keyworker;
    let supervises = who.role == Role::Supervisor.as_str()
        && keyworker_team.is_some()
        && who.team.as_deref() == keyworker_team;
    match is_keyworker || supervises {
        true => Ok(()),
        false => Err(
            "a supervision log's key goes only to the case's keyworker and its team's supervisors",
        ),
    }
}

/// Whether a certified recipient may hold the key of a log that is not a
/// case's allocation log (pure): anyone the server names but a volunteer,
/// who holds only allocation logs' keys. So a hostile server cannot have a
/// case's own key (assessments, flags, the address, every note) sealed to
/// a volunteer's device.
pub fn may_hold_case_key(recipient: Option<&Certified>) -> std::result::Result<(), &'static str> {
    match recipient {
        Some(who) if who.role == Role::Volunteer.as_str() => {
            Err("a volunteer holds only the key of a case's allocation log")
        }
        _ => Ok(()),
    }
}

/// Whether `person` (a signer, by their server id) is certified as a
/// supervisor or an admin: this person's own role, or an admin's
/// certificate of them.
pub(crate) fn oversees(conn: &rusqlite::Connection, person: Uuid) -> Result<bool> {
    let (supervisor, admin) = (Role::Supervisor.as_str(), Role::Admin.as_str());
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM certified_identities WHERE subject_id = ?1 AND role IN (?2, ?3))
                 OR EXISTS (SELECT 1 FROM sync_accounts a JOIN org_trust t ON t.user_id = a.user_id
                            WHERE a.server_user_id = ?1 AND t.own_role IN (?2, ?3))",
        )?
        .query_row(params![person.to_string(), supervisor, admin], |r| r.get(0))?)
}

/// Whether `person` (a signer, by their server id) is certified as a
/// volunteer: this person's own role, or an admin's certificate of them.
pub(crate) fn is_volunteer(conn: &rusqlite::Connection, person: Uuid) -> Result<bool> {
    let volunteer = Role::Volunteer.as_str();
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM certified_identities WHERE subject_id = ?1 AND role = ?2)
                 OR EXISTS (SELECT 1 FROM sync_accounts a JOIN org_trust t ON t.user_id = a.user_id
                            WHERE a.server_user_id = ?1 AND t.own_role = ?2)",
        )?
        .query_row(params![person.to_string(), volunteer], |r| r.get(0))?)
}

/// Whose signed changes this device applies, and the person each names:
/// this person's own identity here and every identity an admin confirmed
/// (as verified at the last sync). Read once per pull; shared with the
/// threads that open changes ahead of the writer.
pub(crate) struct Signers {
    by_identity: HashMap<[u8; 32], Signer>,
}

struct Signer {
    person: Uuid,
    admin: bool,
    /// A manager: reads cases, changes none.
    reads_only: bool,
    verifier: Verifier,
}

impl Signers {
    pub(crate) fn load(conn: &rusqlite::Connection, user: Uuid) -> Result<Signers> {
        let mut by_identity = HashMap::new();
        let admin = Role::Admin.as_str();
        let mut stmt = conn.prepare_cached(
            "SELECT identity_key, subject_id, role FROM certified_identities WHERE user_id = ?1",
        )?;
        let rows = stmt.query_map([user.to_string()], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (key, subject, role) = row?;
            let (Ok(identity), Ok(person)) =
                (IdentityPublic::from_bytes(&key), Uuid::parse_str(&subject))
            else {
                continue;
            };
            if let Ok(verifier) = Verifier::new(&identity) {
                by_identity.insert(
                    identity.0,
                    Signer {
                        person,
                        admin: role == admin,
                        reads_only: role == Role::Manager.as_str(),
                        verifier,
                    },
                );
            }
        }
        // Our own changes come back after a log is read again from the
        // start: this person, under their server id once they have one.
        let own_identity = ensure_identity(conn, user)?;
        let own_person: Option<String> = conn
            .query_row(
                "SELECT server_user_id FROM sync_accounts WHERE user_id = ?1",
                [user.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let own_role: Option<String> = conn
            .query_row(
                "SELECT own_role FROM org_trust WHERE user_id = ?1",
                [user.to_string()],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let own = Signer {
            person: own_person
                .and_then(|p| Uuid::parse_str(&p).ok())
                .unwrap_or(user),
            admin: own_role.as_deref() == Some(admin),
            reads_only: own_role.as_deref() == Some(Role::Manager.as_str()),
            verifier: Verifier::new(&own_identity).map_err(|e| Error::Storage(e.to_string()))?,
        };
        by_identity.insert(own_identity.0, own);
        Ok(Signers { by_identity })
    }

    /// Reads a change of `log` as signed: the person whose identity signed
    /// exactly these bytes for this log and change id, and the change's
    /// bytes. The organisation's log takes only what an admin signed. `Err`
    /// names why not, and no contents.
    pub(crate) fn check<'a>(
        &self,
        log: Uuid,
        change: Uuid,
        bytes: &'a [u8],
    ) -> std::result::Result<(Uuid, &'a [u8]), String> {
        if crate::e2e::unsigned_sync() {
            return Ok((Uuid::nil(), bytes));
        }
        let (signed, signer) = self.signer_of(log, bytes)?;
        signed
            .verify(&signer.verifier, log, change)
            .map_err(|e| e.to_string())?;
        Ok((signer.person, signed.body))
    }

    /// `check` of many changes (log, change id, bytes), their signatures
    /// verified as one batch: the same verdicts, a fraction of the cost.
    pub(crate) fn check_many<'a>(
        &self,
        changes: &[(Uuid, Uuid, &'a [u8])],
    ) -> Vec<std::result::Result<(Uuid, &'a [u8]), String>> {
        if crate::e2e::unsigned_sync() {
            return changes
                .iter()
                .map(|&(_, _, b)| Ok((Uuid::nil(), b)))
                .collect();
        }
        let mut verdicts = Vec::with_capacity(changes.len());
        let mut signed = Vec::with_capacity(changes.len());
        for (at, &(log, change, bytes)) in changes.iter().enumerate() {
            match self.signer_of(log, bytes) {
                Ok((read, signer)) => {
                    verdicts.push(Ok((signer.person, read.body)));
                    signed.push((at, read, log, change));
                }
                Err(why) => verdicts.push(Err(why)),
            }
        }
        let batch: Vec<_> = signed
            .iter()
            .map(|(_, read, log, change)| (read, *log, *change))
            .collect();
        let held = waymark_crypto::verify_changes(&batch);
        for ((at, ..), holds) in signed.iter().zip(held) {
            if !holds {
                verdicts[*at] = Err(waymark_crypto::CryptoError::BadSignature {
                    what: "change signature",
                }
                .to_string());
            }
        }
        verdicts
    }

    /// The signed change in `bytes` and its signer, if this device accepts
    /// that signer for `log` (signature not yet verified).
    fn signer_of<'a>(
        &self,
        log: Uuid,
        bytes: &'a [u8],
    ) -> std::result::Result<(SignedChange<'a>, &Signer), String> {
        let signed = SignedChange::read(bytes).map_err(|e| e.to_string())?;
        let Some(signer) = self.by_identity.get(&signed.signer.0) else {
            return Err("signed by an identity no admin confirmed".into());
        };
        if log == crate::sync::ORG_LOG && !signer.admin {
            return Err("an organisation record not signed by an admin".into());
        }
        if signer.reads_only {
            return Err("signed by a manager, who reads cases and changes none".into());
        }
        Ok((signed, signer))
    }
}

/// Whether a sealed key relayed to this device may be kept (pure): signed
/// over exactly what it is (case, epoch, this device's key, the bytes) by
/// this person's own identity or a confirmed one. `Err` names why not.
pub fn check_sealed_key(
    key: &MyKey,
    own_key: &UserPublic,
    own_identity: &IdentityPublic,
    certified: &HashSet<[u8; 32]>,
) -> std::result::Result<(), &'static str> {
    let (Some(identity), Some(signature)) = (&key.sender_identity, &key.signature) else {
        return Err("unsigned sealed key");
    };
    if identity.as_slice() != own_identity.0 && !certified.contains(identity.as_slice()) {
        return Err("sealed by an identity no admin confirmed");
    }
    let statement = Statement::SealedKey {
        case: key.log_id,
        epoch: key.epoch,
        recipient: own_key,
        sealed: &key.sealed,
    };
    match verify(identity, &statement, signature) {
        true => Ok(()),
        false => Err("its signature does not hold"),
    }
}

/// Signs sealed keys with `signer` (pure).
pub fn sign_sealed_keys(signer: &IdentitySecret, keys: &mut [SealedKey]) {
    let identity = signer.public().0.to_vec();
    for key in keys {
        let Ok(recipient) = <[u8; 32]>::try_from(key.recipient_key.as_slice()) else {
            continue;
        };
        let signature = signer.sign(&Statement::SealedKey {
            case: key.log_id,
            epoch: key.epoch,
            recipient: &UserPublic(recipient),
            sealed: &key.sealed,
        });
        key.sender_identity = Some(identity.clone());
        key.signature = Some(signature.0.to_vec());
    }
}

/// A new organisation signing key, to keep once the server has taken it.
pub struct NewOrgKey {
    pub request: OrgKeyRequest,
    secret: IdentitySecret,
}

impl Session {
    fn pinned(&self) -> Result<Option<(Uuid, IdentityPublic)>> {
        let row: Option<(String, Vec<u8>)> = self
            .connection()
            .query_row(
                "SELECT org_id, org_key FROM org_trust WHERE user_id = ?1",
                [self.user().id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(org, key)| {
            let org = Uuid::parse_str(&org).map_err(|e| Error::Storage(e.to_string()))?;
            let key =
                IdentityPublic::from_bytes(&key).map_err(|e| Error::Storage(e.to_string()))?;
            Ok((org, key))
        })
        .transpose()
    }

    pub fn trust_state(&self) -> Result<TrustState> {
        let conn = self.connection();
        let user = self.user().id.to_string();
        let row: Option<(Vec<u8>, bool, Option<String>)> = conn
            .query_row(
                "SELECT org_key, org_secret IS NOT NULL, own_role FROM org_trust WHERE user_id = ?1",
                [&user],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let certified_identities = conn.query_row(
            "SELECT count(*) FROM certified_identities WHERE user_id = ?1",
            [&user],
            |r| r.get(0),
        )?;
        Ok(match row {
            None => TrustState {
                org_key_phrase: None,
                confirmed_as: None,
                holds_org_key: false,
                certified_identities,
            },
            Some((key, holds_org_key, role)) => TrustState {
                org_key_phrase: IdentityPublic::from_bytes(&key)
                    .ok()
                    .map(|k| waymark_crypto::fingerprint_phrase(&k)),
                confirmed_as: role.and_then(|r| r.parse().ok()),
                holds_org_key,
                certified_identities,
            },
        })
    }

    /// Takes what the server relayed: pins the organisation key the first
    /// time one is seen, refuses a different one later, and keeps the
    /// identities and recovery key that verify (replacing the last sync's).
    /// Returns what was refused.
    pub fn accept_trust(&mut self, org: Uuid, relayed: &TrustResponse) -> Result<Vec<String>> {
        let pinned = self.pinned()?;
        let offered = relayed
            .org_key
            .as_deref()
            .map(IdentityPublic::from_bytes)
            .transpose()
            .map_err(|_| {
                Error::Untrusted("the server's organisation key is not an Ed25519 key".into())
            })?;
        let key = match (pinned, offered) {
            (None, None) => return Ok(Vec::new()),
            (Some((pinned_org, key)), offered) => {
                if pinned_org != org || offered != Some(key) {
                    return Err(Error::Untrusted(
                        "the server's organisation key is not the one this device pinned when it joined: nothing was sealed; tell your admin"
                            .into(),
                    ));
                }
                key
            }
            (None, Some(key)) => key,
        };
        let verified = verify_trust(org, &key, relayed);
        let own = ensure_identity(self.connection(), self.user().id)?;
        let user = self.user().id.to_string();
        let tx = self.begin()?;
        tx.tx.execute(
            "INSERT INTO org_trust (user_id, org_id, org_key, pinned_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (user_id) DO NOTHING",
            params![
                user,
                org.to_string(),
                key.0.as_slice(),
                crate::basics::now().timestamp_millis()
            ],
        )?;
        tx.tx.execute(
            "UPDATE org_trust SET recovery_key = ?2, own_role = ?3 WHERE user_id = ?1",
            params![
                user,
                verified.recovery.as_ref().map(|k| k.0.to_vec()),
                verified.identities.get(&own.0).map(|c| c.role.as_str()),
            ],
        )?;
        tx.tx.execute(
            "DELETE FROM certified_identities WHERE user_id = ?1",
            [&user],
        )?;
        {
            let mut insert = tx.tx.prepare_cached(
                "INSERT INTO certified_identities (user_id, identity_key, subject_id, role, subject_name, team)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (identity, c) in &verified.identities {
                insert.execute(params![
                    user,
                    identity.as_slice(),
                    c.person.to_string(),
                    c.role.as_str(),
                    c.name,
                    c.team,
                ])?;
            }
        }
        tx.commit()?;
        Ok(verified.refused)
    }

    /// Makes the organisation's signing key (an admin's device, when the
    /// organisation has none), with this admin's certificate (in `team`)
    /// signed by it. Kept by `keep_org_key` once the server has taken it.
    pub fn new_org_key(&self, org: Uuid, team: Option<&str>) -> Result<NewOrgKey> {
        if self.pinned()?.is_some() {
            return Err(Error::Untrusted(
                "this device already pinned an organisation key".into(),
            ));
        }
        let secret = IdentitySecret::generate();
        let own = self.identity_key()?;
        let account = self
            .sync_account()?
            .ok_or_else(|| Error::because("server", waymark_model::Reason::LogInFirst))?;
        let certificate = certificate(
            &secret,
            org,
            (account.server_user_id, &account.server_user),
            (Role::Admin, team),
            &own,
        );
        Ok(NewOrgKey {
            request: OrgKeyRequest {
                public_key: secret.public().0.to_vec(),
                certificate,
            },
            secret,
        })
    }

    pub fn keep_org_key(&mut self, org: Uuid, key: NewOrgKey) -> Result<()> {
        let user = self.user().id.to_string();
        let tx = self.begin()?;
        tx.tx.execute(
            "INSERT INTO org_trust (user_id, org_id, org_key, org_secret, own_role, pinned_at)
             VALUES (?1, ?2, ?3, ?4, 'admin', ?5)",
            params![
                user,
                org.to_string(),
                key.request.public_key,
                key.secret.to_bytes().as_slice(),
                crate::basics::now().timestamp_millis()
            ],
        )?;
        tx.commit()
    }

    /// The key this device signs an admin's acts with: the organisation's
    /// (where it was made) or the person's identity once certified as an
    /// admin.
    fn admin_signer(&self) -> Result<IdentitySecret> {
        let row: Option<(Option<Vec<u8>>, Option<String>)> = self
            .connection()
            .query_row(
                "SELECT org_secret, own_role FROM org_trust WHERE user_id = ?1",
                [self.user().id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match row {
            Some((Some(secret), _)) => {
                let secret = zeroize::Zeroizing::new(secret);
                IdentitySecret::from_bytes(&secret).map_err(|e| Error::Storage(e.to_string()))
            }
            Some((None, Some(role))) if role == Role::Admin.as_str() => {
                IdentitySecret::from_bytes(self.identity_secret()?.to_bytes().as_slice())
                    .map_err(|e| Error::Storage(e.to_string()))
            }
            _ => Err(Error::because(
                "role",
                waymark_model::Reason::OnlyConfirmedAdmin,
            )),
        }
    }

    /// An admin's certificate of `identity` as person `user` in `role` and
    /// `team`, made after comparing its fingerprint phrase.
    pub fn certify(
        &self,
        org: Uuid,
        (user, name): (Uuid, &str),
        (role, team): (Role, Option<&str>),
        identity: &IdentityPublic,
    ) -> Result<Certificate> {
        Ok(certificate(
            &self.admin_signer()?,
            org,
            (user, name),
            (role, team),
            identity,
        ))
    }

    /// The signature vouching for the organisation's recovery key: the
    /// signer's key and the signature.
    pub fn vouch_for_recovery_key(
        &self,
        org: Uuid,
        key: &UserPublic,
    ) -> Result<(Vec<u8>, Vec<u8>)> {
        let signer = self.admin_signer()?;
        let signature = signer.sign(&Statement::RecoveryKey { org, key });
        Ok((signer.public().0.to_vec(), signature.0.to_vec()))
    }

    /// Why `case` is erased, checked and sealed to the organisation's
    /// recovery key as it verified at the last sync: the server keeps only
    /// this. Without a recovery key there is nothing to seal it to.
    pub fn seal_erasure_reason(&self, org: Uuid, case: Uuid, reason: &str) -> Result<Vec<u8>> {
        let reason = check_erasure_reason(reason)?;
        // The server decides; a worker is told here, before anything is sealed.
        if self.trust_state()?.confirmed_as == Some(Role::Worker) {
            return Err(Error::because(
                "case",
                waymark_model::Reason::OnlySupervisorErases,
            ));
        }
        let (_, recovery) = self.certified_recipients()?;
        let recovery = recovery
            .ok_or_else(|| Error::because("reason", waymark_model::Reason::RecoveryKeyFirst))?;
        waymark_crypto::seal_erasure_reason(&recovery, org, case, reason).map_err(|e| {
            Error::invalid(
                "reason",
                format!("cannot be sealed to the organisation's recovery key: {e}"),
            )
        })
    }

    /// Identities that verified at the last sync, and the recovery key.
    pub(crate) fn certified_recipients(&self) -> Result<(HashSet<[u8; 32]>, Option<UserPublic>)> {
        let conn = self.connection();
        let user = self.user().id.to_string();
        let mut stmt = conn
            .prepare_cached("SELECT identity_key FROM certified_identities WHERE user_id = ?1")?;
        let identities = stmt
            .query_map([&user], |r| r.get::<_, Vec<u8>>(0))?
            .filter_map(|k| k.map(|k| <[u8; 32]>::try_from(k).ok()).transpose())
            .collect::<rusqlite::Result<_>>()?;
        let recovery: Option<Vec<u8>> = conn
            .query_row(
                "SELECT recovery_key FROM org_trust WHERE user_id = ?1",
                [&user],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        Ok((
            identities,
            recovery.and_then(|k| <[u8; 32]>::try_from(k).ok().map(UserPublic)),
        ))
    }

    /// Which of `needs` may be sealed to (`check_recipient`); the others
    /// are recorded in `refused_recipients` with the reason.
    pub fn screen_recipients(&mut self, needs: &[KeyNeeded]) -> Result<Vec<bool>> {
        let own_key = self.public_key()?;
        let (certified, recovery) = self.certified_recipients()?;
        let supervised = crate::e2e::supervision_logs(self.connection())?;
        let allocated = crate::e2e::allocation_logs(self.connection())?;
        let teams = self.teams()?;
        let mut refused = Vec::new();
        let mut allowed = Vec::with_capacity(needs.len());
        for need in needs {
            let mut verdict = check_recipient(need, &own_key, &certified, recovery.as_ref());
            if verdict.is_ok() && !allocated.contains_key(&need.log_id) {
                verdict =
                    may_hold_case_key(self.certified_as(need.identity_key.as_deref())?.as_ref());
            }
            if let (Ok(()), Some(case)) = (verdict, supervised.get(&need.log_id)) {
                let key = need.recipient_key.as_slice();
                let own_or_recovery = key == own_key.0.as_slice()
                    || recovery.as_ref().is_some_and(|r| key == r.0.as_slice());
                if !own_or_recovery {
                    let keyworker: Option<String> = self
                        .connection()
                        .prepare_cached("SELECT keyworker FROM case_summary WHERE case_id = ?1")?
                        .query_row([case.to_string()], |r| r.get(0))
                        .optional()?
                        .flatten();
                    let holder = self.certified_as(need.identity_key.as_deref())?;
                    verdict = may_hold_supervision(
                        holder.as_ref(),
                        keyworker.as_deref(),
                        keyworker
                            .as_deref()
                            .and_then(|k| teams.get(k))
                            .map(String::as_str),
                    );
                }
            }
            if let Err(why) = verdict {
                refused.push((need.recipient_key.clone(), why));
            }
            allowed.push(verdict.is_ok());
        }
        if !refused.is_empty() {
            refused.sort();
            refused.dedup();
            let user = self.user().id;
            let tx = self.begin()?;
            record_refused(&tx.tx, user, &refused)?;
            tx.commit()?;
        }
        Ok(allowed)
    }

    /// Who an identity key is as the organisation certified them here.
    fn certified_as(&self, identity: Option<&[u8]>) -> Result<Option<Certified>> {
        let Some(identity) = identity else {
            return Ok(None);
        };
        Ok(self
            .connection()
            .prepare_cached(
                "SELECT subject_name, role, team FROM certified_identities
                 WHERE user_id = ?1 AND identity_key = ?2",
            )?
            .query_row(params![self.user().id.to_string(), identity], |r| {
                Ok(Certified {
                    name: r.get(0)?,
                    role: r.get(1)?,
                    team: r.get(2)?,
                })
            })
            .optional()?)
    }

    /// Signs sealed keys with this person's identity before they leave.
    pub fn sign_sealed_keys(&self, keys: &mut [SealedKey]) -> Result<()> {
        sign_sealed_keys(self.identity_secret()?, keys);
        Ok(())
    }

    /// Sealed keys refused here, kept to be checked again.
    pub fn refused_keys(&self) -> Result<Vec<RefusedKey>> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT log_id, epoch, reason, refused_at FROM refused_keys
             WHERE user_id = ?1 ORDER BY refused_at DESC, key_id",
        )?;
        let rows = stmt.query_map([self.user().id.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        rows.map(|row| {
            let (log, epoch, reason, at) = row?;
            Ok(RefusedKey {
                log_id: Uuid::parse_str(&log).map_err(|e| Error::Storage(e.to_string()))?,
                epoch,
                reason,
                refused_at: crate::record::ms_to_time(at),
            })
        })
        .collect()
    }

    /// Checks the refused sealed keys again (after a trust update: their
    /// sealer may have been confirmed since) and keeps those that now pass.
    pub fn recheck_refused_keys(&mut self) -> Result<crate::e2e::KeysReceived> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT key_id, log_id, epoch, sealed, sender_identity, signature FROM refused_keys
             WHERE user_id = ?1 ORDER BY key_id",
        )?;
        let keys: Vec<MyKey> = stmt
            .query_map([self.user().id.to_string()], |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, String>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .map(|row| {
                let (id, log, epoch, sealed, sender_identity, signature) = row?;
                Ok(MyKey {
                    id,
                    log_id: Uuid::parse_str(&log).map_err(|e| Error::Storage(e.to_string()))?,
                    epoch,
                    sealed,
                    sender_identity,
                    signature,
                })
            })
            .collect::<Result<_>>()?;
        drop(stmt);
        match keys.is_empty() {
            true => Ok(Default::default()),
            false => self.receive_case_keys(&keys),
        }
    }

    /// How many recipients were refused at `since_ms` or later (each once).
    pub fn recipients_refused_since(&self, since_ms: i64) -> Result<u64> {
        Ok(self.connection().query_row(
            "SELECT count(*) FROM refused_recipients WHERE user_id = ?1 AND last_at >= ?2",
            params![self.user().id.to_string(), since_ms],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    pub fn refused_recipients(&self) -> Result<Vec<RefusedRecipient>> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT recipient_key, reason, first_at, last_at FROM refused_recipients
             WHERE user_id = ?1 ORDER BY last_at DESC, recipient_key",
        )?;
        let rows = stmt.query_map([self.user().id.to_string()], |r| {
            Ok(RefusedRecipient {
                recipient_key: hex::encode(r.get::<_, Vec<u8>>(0)?),
                reason: r.get(1)?,
                first_refused_at: crate::record::ms_to_time(r.get(2)?),
                last_refused_at: crate::record::ms_to_time(r.get(3)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn certificate(
    signer: &IdentitySecret,
    org: Uuid,
    (user, name): (Uuid, &str),
    (role, team): (Role, Option<&str>),
    identity: &IdentityPublic,
) -> Certificate {
    let signature = signer.sign(&Statement::Certificate {
        org,
        user,
        name,
        role: role.as_str(),
        team,
        identity,
    });
    Certificate {
        user_id: user,
        user_name: name.to_owned(),
        role,
        team: team.map(str::to_owned),
        identity_key: identity.0.to_vec(),
        signer_key: signer.public().0.to_vec(),
        signature: signature.0.to_vec(),
    }
}

/// Records recipients refused while sealing (one row per key, its latest
/// reason).
fn record_refused(
    tx: &rusqlite::Connection,
    user: Uuid,
    refused: &[(Vec<u8>, &'static str)],
) -> Result<()> {
    let now = crate::basics::now().timestamp_millis();
    let mut stmt = tx.prepare_cached(
        "INSERT INTO refused_recipients (user_id, recipient_key, reason, first_at, last_at)
         VALUES (?1, ?2, ?3, ?4, ?4)
         ON CONFLICT (user_id, recipient_key) DO UPDATE SET reason = excluded.reason, last_at = excluded.last_at",
    )?;
    for (key, reason) in refused {
        stmt.execute(params![user.to_string(), key, reason, now])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_volunteer_holds_no_key_but_an_allocation_logs() {
        let who = |role: Role| Certified {
            name: Some("vic".into()),
            role: role.as_str().into(),
            team: Some("outreach".into()),
        };
        assert!(may_hold_case_key(Some(&who(Role::Volunteer))).is_err());
        for role in [Role::Worker, Role::Supervisor, Role::Manager, Role::Admin] {
            assert!(may_hold_case_key(Some(&who(role))).is_ok(), "{role}");
        }
    }

    #[test]
    fn a_supervision_logs_key_goes_to_the_keyworker_and_the_teams_supervisors() {
        let who = |name: &str, role: Role, team: Option<&str>| Certified {
            name: Some(name.into()),
            role: role.as_str().into(),
            team: team.map(Into::into),
        };
        let (kw, team) = (Some("amira"), Some("outreach"));
        let ok = |c: &Certified| may_hold_supervision(Some(c), kw, team).is_ok();
        assert!(ok(&who("amira", Role::Worker, team)), "the keyworker");
        assert!(
            ok(&who("sam", Role::Supervisor, team)),
            "a supervisor of the team"
        );
        assert!(
            !ok(&who("bea", Role::Worker, team)),
            "a colleague in the team"
        );
        assert!(
            !ok(&who("dee", Role::Supervisor, Some("refuge"))),
            "another team's supervisor"
        );
        assert!(!ok(&who("mo", Role::Manager, None)), "a manager");
        assert!(!ok(&who("ann", Role::Admin, None)), "an admin");
        assert!(
            may_hold_supervision(None, kw, team).is_err(),
            "not certified"
        );
        // A keyworker in no certified team: their supervisors cannot be
        // told apart, so only the keyworker.
        assert!(may_hold_supervision(Some(&who("sam", Role::Supervisor, None)), kw, None).is_err());
    }

    struct Person {
        id: Uuid,
        identity: IdentitySecret,
        device: waymark_crypto::UserSecret,
    }

    fn person() -> Person {
        Person {
            id: Uuid::new_v4(),
            identity: IdentitySecret::generate(),
            device: waymark_crypto::UserSecret::generate(),
        }
    }

    fn certified_by(signer: &IdentitySecret, org: Uuid, p: &Person, role: Role) -> Certificate {
        certificate(signer, org, (p.id, "p"), (role, None), &p.identity.public())
    }

    fn need_for(p: &Person) -> KeyNeeded {
        let key = p.device.public();
        KeyNeeded {
            log_id: Uuid::new_v4(),
            epoch: 0,
            recipient_key: key.0.to_vec(),
            identity_key: Some(p.identity.public().0.to_vec()),
            key_signature: Some(
                p.identity
                    .sign(&Statement::DeviceKey { key: &key })
                    .0
                    .to_vec(),
            ),
        }
    }

    #[test]
    fn certificates_count_only_from_the_organisation_key_or_a_certified_admin() {
        let org = Uuid::new_v4();
        let root = IdentitySecret::generate();
        let (admin, worker, stranger, forger) = (person(), person(), person(), person());
        let relayed = TrustResponse {
            org_key: Some(root.public().0.to_vec()),
            certificates: vec![
                // Listed before the admin's own: order does not matter.
                certified_by(&admin.identity, org, &worker, Role::Worker),
                certified_by(&root, org, &admin, Role::Admin),
                // A worker cannot certify anyone.
                certified_by(&worker.identity, org, &stranger, Role::Worker),
                // Nor can a key of the server's.
                certified_by(&forger.identity, org, &forger, Role::Admin),
                // Another organisation's certificate does not verify here.
                certified_by(&root, Uuid::new_v4(), &stranger, Role::Worker),
            ],
            recovery: None,
        };
        let v = verify_trust(org, &root.public(), &relayed);
        let mut ids: Vec<Uuid> = v.identities.values().map(|c| c.person).collect();
        ids.sort();
        let mut expected = vec![admin.id, worker.id];
        expected.sort();
        assert_eq!(ids, expected);
        assert_eq!(v.refused.len(), 3, "{:?}", v.refused);
        assert!(v.refused.iter().any(|r| r.contains("does not hold")));
        assert!(v
            .refused
            .iter()
            .any(|r| r.contains("neither the organisation's key")));
        // A certificate whose role was raised after signing is refused.
        let mut raised = certified_by(&root, org, &stranger, Role::Worker);
        raised.role = Role::Admin;
        let v = verify_trust(
            org,
            &root.public(),
            &TrustResponse {
                certificates: vec![raised],
                ..relayed.clone()
            },
        );
        assert!(v.identities.is_empty());
        // The team is as signed: one moved to another team by the server,
        // or given one it was not signed with, or stripped of it, is refused.
        let in_team = certificate(
            &root,
            org,
            (worker.id, "p"),
            (Role::Worker, Some("outreach")),
            &worker.identity.public(),
        );
        let verified = |cert: Certificate| {
            verify_trust(
                org,
                &root.public(),
                &TrustResponse {
                    certificates: vec![cert],
                    ..relayed.clone()
                },
            )
        };
        let v = verified(in_team.clone());
        let teams: Vec<Option<String>> = v.identities.values().map(|c| c.team.clone()).collect();
        assert_eq!(teams, [Some("outreach".to_owned())]);
        for team in [Some("diversion".to_owned()), None] {
            let moved = Certificate {
                team,
                ..in_team.clone()
            };
            assert!(verified(moved).identities.is_empty());
        }
        let given = Certificate {
            team: Some("outreach".into()),
            ..certified_by(&root, org, &worker, Role::Worker)
        };
        assert!(verified(given).identities.is_empty());
    }

    #[test]
    fn only_a_certified_identitys_signed_key_the_vouched_recovery_key_or_ones_own_is_sealed_to() {
        let org = Uuid::new_v4();
        let root = IdentitySecret::generate();
        let (worker, planted) = (person(), person());
        let recovery = waymark_crypto::UserSecret::generate().public();
        let forged_recovery = waymark_crypto::UserSecret::generate().public();
        let vouch = |key: &UserPublic, by: &IdentitySecret| waymark_protocol::RecoveryKeyRequest {
            public_key: key.0.to_vec(),
            signer_key: by.public().0.to_vec(),
            signature: by.sign(&Statement::RecoveryKey { org, key }).0.to_vec(),
        };
        let relayed = TrustResponse {
            org_key: Some(root.public().0.to_vec()),
            certificates: vec![certified_by(&root, org, &worker, Role::Worker)],
            recovery: Some(vouch(&recovery, &root)),
        };
        let v = verify_trust(org, &root.public(), &relayed);
        assert_eq!(v.recovery, Some(recovery));
        let certified: HashSet<[u8; 32]> = v.identities.keys().copied().collect();
        let own = waymark_crypto::UserSecret::generate().public();
        let check = |need: &KeyNeeded| check_recipient(need, &own, &certified, v.recovery.as_ref());

        assert_eq!(check(&need_for(&worker)), Ok(()));
        assert_eq!(
            check(&need_for(&planted)),
            Err("its identity is not certified: waiting for an admin to confirm")
        );
        // The server pairs a planted key with the worker's identity.
        let mut swapped = need_for(&worker);
        swapped.recipient_key = planted.device.public().0.to_vec();
        assert_eq!(
            check(&swapped),
            Err("its identity's signature over the key does not hold")
        );
        let mut bare = need_for(&planted);
        (bare.identity_key, bare.key_signature) = (None, None);
        assert_eq!(check(&bare), Err("no identity vouches for the key"));
        bare.recipient_key = recovery.0.to_vec();
        assert_eq!(check(&bare), Ok(()));
        bare.recipient_key = own.0.to_vec();
        assert_eq!(check(&bare), Ok(()));
        // A recovery key vouched for by a key of the server's is refused.
        let planted_root = IdentitySecret::generate();
        let v = verify_trust(
            org,
            &root.public(),
            &TrustResponse {
                recovery: Some(vouch(&forged_recovery, &planted_root)),
                ..relayed
            },
        );
        assert_eq!(v.recovery, None);
        assert_eq!(v.refused.len(), 1);
    }

    #[test]
    fn a_sealed_key_is_kept_only_as_signed_by_a_confirmed_identity_or_ones_own() {
        let (me, colleague, stranger) = (person(), person(), person());
        let certified = HashSet::from([colleague.identity.public().0]);
        let own_key = me.device.public();
        let sealed_by = |who: &IdentitySecret| {
            let mut keys = [SealedKey {
                log_id: Uuid::new_v4(),
                epoch: 2,
                recipient_key: own_key.0.to_vec(),
                sealed: vec![7; 90],
                sender_identity: None,
                signature: None,
            }];
            sign_sealed_keys(who, &mut keys);
            let [k] = keys;
            MyKey {
                id: 1,
                log_id: k.log_id,
                epoch: k.epoch,
                sealed: k.sealed,
                sender_identity: k.sender_identity,
                signature: k.signature,
            }
        };
        let check = |k: &MyKey| check_sealed_key(k, &own_key, &me.identity.public(), &certified);
        assert_eq!(check(&sealed_by(&colleague.identity)), Ok(()));
        assert_eq!(check(&sealed_by(&me.identity)), Ok(()), "its own");
        assert_eq!(
            check(&sealed_by(&stranger.identity)),
            Err("sealed by an identity no admin confirmed")
        );
        let mut unsigned = sealed_by(&colleague.identity);
        unsigned.signature = None;
        assert_eq!(check(&unsigned), Err("unsigned sealed key"));
        // Any field changed after signing: the epoch (a planted rotation),
        // the case, the bytes; or a confirmed identity named falsely.
        let genuine = sealed_by(&colleague.identity);
        for forged in [
            MyKey {
                epoch: 3,
                ..genuine.clone()
            },
            MyKey {
                log_id: Uuid::new_v4(),
                ..genuine.clone()
            },
            MyKey {
                sealed: vec![8; 90],
                ..genuine.clone()
            },
            MyKey {
                signature: sealed_by(&stranger.identity).signature,
                ..genuine.clone()
            },
        ] {
            assert_eq!(check(&forged), Err("its signature does not hold"));
        }
        // Signed for another recipient, it does not hold for this one.
        let other = person().device.public();
        assert_eq!(
            check_sealed_key(&genuine, &other, &me.identity.public(), &certified),
            Err("its signature does not hold")
        );
    }

    proptest! {
        /// Whatever order the server relays certificates in, and however
        /// often it repeats them, the same identities verify.
        #[test]
        fn verification_is_the_same_in_any_order(seed in any::<u64>(), n in 1usize..6) {
            let org = Uuid::new_v4();
            let root = IdentitySecret::generate();
            let people: Vec<Person> = (0..n).map(|_| person()).collect();
            // A chain: root certifies admin 0, each admin the next.
            let mut certs = vec![certified_by(&root, org, &people[0], Role::Admin)];
            for w in people.windows(2) {
                certs.push(certified_by(&w[0].identity, org, &w[1], Role::Admin));
            }
            let relayed = TrustResponse { org_key: Some(root.public().0.to_vec()), certificates: certs.clone(), recovery: None };
            let in_order = verify_trust(org, &root.public(), &relayed);
            prop_assert_eq!(in_order.identities.len(), n);
            let mut shuffled = certs.clone();
            shuffled.extend(certs);
            let mut s = seed;
            for i in (1..shuffled.len()).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (s >> 33) as usize % (i + 1));
            }
            let again = verify_trust(org, &root.public(), &TrustResponse { certificates: shuffled, ..relayed });
            prop_assert_eq!(again.identities, in_order.identities);
        }
    }
}
