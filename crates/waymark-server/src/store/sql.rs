//! SQL both stores run as written (SQLite and PostgreSQL read the same
//! `?N` parameters): certificates, sealed keys and recovery, the caller's
//! logs, devices, rotations. `caller_sql` fills in the membership rule.

/// What a certificate is checked against (?1 org, ?2 person, ?3 identity,
/// ?4 signer): the person's role and name (no row: not an active person of
/// the organisation), whether the identity is one their devices registered,
/// whether the signer is the organisation's key or a certified admin, and
/// the person's team.
pub const CERTIFY_CHECK_SQL: &str = "SELECT u.role, u.name,
       EXISTS (SELECT 1 FROM devices d WHERE d.user_id = u.id AND d.identity_key = ?3),
       EXISTS (SELECT 1 FROM orgs o WHERE o.id = ?1 AND o.signing_key = ?4)
         OR EXISTS (SELECT 1 FROM certificates c WHERE c.org_id = ?1 AND c.identity_key = ?4 AND c.role = 'admin'),
       (SELECT t.name FROM teams t WHERE t.id = u.team_id)
     FROM users u WHERE u.id = ?2 AND u.org_id = ?1 AND u.disabled_at IS NULL";

/// Certificates as relayed (?1 org), with the name each binds.
pub const RELAY_CERTIFICATES_SQL: &str =
    "SELECT c.user_id, c.role, c.identity_key, c.signer_key, c.signature, u.name, c.team
     FROM certificates c JOIN users u ON u.id = c.user_id
     WHERE c.org_id = ?1 ORDER BY c.created_at, c.identity_key";

/// Stores a certificate (?1 org .. ?7 now, ?8 team): one per identity, the newest.
pub const INSERT_CERTIFICATE_SQL: &str =
    "INSERT INTO certificates (org_id, identity_key, user_id, role, signer_key, signature, created_at, team)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
     ON CONFLICT (org_id, identity_key) DO UPDATE SET user_id = excluded.user_id, role = excluded.role,
         signer_key = excluded.signer_key, signature = excluded.signature, created_at = excluded.created_at,
         team = excluded.team";

/// Stores a sealed key (?1 org, ?2 case, ?3 epoch, ?4 recipient, ?5 sealed,
/// ?6 sealing device, ?7 now, ?8 sender identity, ?9 its signature).
pub const INSERT_SEALED_KEY_SQL: &str =
    "INSERT INTO sealed_keys (org_id, log_id, epoch, recipient_key, sealed, sealed_by_device, created_at, sender_identity, signature)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING";

/// Case keys sealed to the recovery key that a person's usable devices lack
/// (both stores; ?1 org, ?2 the person; PostgreSQL writes `$`).
pub const RECOVERY_NEEDED_SQL: &str =
    "SELECT l.log_id, l.key_epoch, k.sealed, d.public_key, d.identity_key, d.key_signature
     FROM logs l JOIN orgs o ON o.id = l.org_id
     JOIN users u ON u.org_id = l.org_id AND u.id = ?2 AND u.disabled_at IS NULL
     JOIN devices d ON d.user_id = u.id AND d.revoked_at IS NULL AND d.public_key IS NOT NULL
     JOIN sealed_keys k ON k.org_id = l.org_id AND k.log_id = l.log_id AND k.epoch = l.key_epoch
                       AND k.recipient_key = o.recovery_key
     WHERE l.org_id = ?1 AND l.key_epoch > 0 AND {MEMBER}
       AND NOT EXISTS (SELECT 1 FROM sealed_keys s WHERE s.org_id = l.org_id AND s.log_id = l.log_id
                       AND s.epoch = l.key_epoch AND s.recipient_key = d.public_key)
     ORDER BY l.log_id LIMIT 5000";

/// Whether ?3 is a usable device key of person ?2 who may read case ?4 at
/// its current epoch ?5 (org ?1).
pub const RECOVERY_RECIPIENT_SQL: &str =
    "SELECT count(*) FROM logs l JOIN orgs o ON o.id = l.org_id
     JOIN users u ON u.org_id = l.org_id AND u.id = ?2 AND u.disabled_at IS NULL
     JOIN devices d ON d.user_id = u.id AND d.revoked_at IS NULL AND d.public_key = ?3
     WHERE l.org_id = ?1 AND l.log_id = ?4 AND l.key_epoch = ?5 AND {MEMBER}";

/// "The caller may read log `l`", the caller being ?1 org, ?3 user, ?4 reads
/// the team's cases, ?5 team, ?6 reads every case; ?2 is the organisation's
/// log (each store's `caller_params` gives ?1..?6).
pub(crate) const CALLER_LOGS_SQL: &str =
    "l.org_id = ?1 AND (l.keyworker_id = ?3 OR (?4 AND l.team_id = ?5)
     OR (l.audience <> 'supervision' AND (?6
         OR l.log_id IN (SELECT log_id FROM log_shares WHERE org_id = ?1 AND user_id = ?3)
         OR l.case_id IN (SELECT log_id FROM log_shares WHERE org_id = ?1 AND user_id = ?3))))";

/// The current keys that the caller's cases after ?7 lack, for each member's
/// usable device and the recovery key, and the earlier epochs' keys a
/// member's device lacks (someone who joined after a rotation reads the
/// case's history too), at most ?8 rows.
pub const KEYS_NEEDED_SQL: &str = "SELECT log_id, key_epoch, recipient, identity_key, key_signature FROM (
     SELECT l.log_id AS log_id, l.key_epoch + l.needs_rotation AS key_epoch, d.public_key AS recipient,
            d.identity_key AS identity_key, d.key_signature AS key_signature
     FROM logs l JOIN orgs o ON o.id = l.org_id
     JOIN users u ON u.org_id = l.org_id AND u.disabled_at IS NULL
     JOIN devices d ON d.user_id = u.id AND d.revoked_at IS NULL AND d.public_key IS NOT NULL
     WHERE {CALLER_LOGS} AND l.log_id <> ?2 AND l.log_id > ?7 AND {MEMBER}
       AND NOT EXISTS (SELECT 1 FROM sealed_keys k WHERE k.org_id = l.org_id AND k.log_id = l.log_id
                       AND k.epoch = l.key_epoch + l.needs_rotation AND k.recipient_key = d.public_key)
     UNION
     SELECT l.log_id, l.key_epoch + l.needs_rotation, o.recovery_key, NULL, NULL
     FROM logs l JOIN orgs o ON o.id = l.org_id
     WHERE {CALLER_LOGS} AND l.log_id <> ?2 AND l.log_id > ?7 AND o.recovery_key IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sealed_keys k WHERE k.org_id = l.org_id AND k.log_id = l.log_id
                       AND k.epoch = l.key_epoch + l.needs_rotation AND k.recipient_key = o.recovery_key)
     UNION
     SELECT l.log_id, k.epoch, d.public_key, d.identity_key, d.key_signature
     FROM logs l JOIN orgs o ON o.id = l.org_id
     JOIN users u ON u.org_id = l.org_id AND u.disabled_at IS NULL
     JOIN devices d ON d.user_id = u.id AND d.revoked_at IS NULL AND d.public_key IS NOT NULL
     JOIN sealed_keys k ON k.org_id = l.org_id AND k.log_id = l.log_id AND k.epoch < l.key_epoch
     WHERE {CALLER_LOGS} AND l.log_id <> ?2 AND l.log_id > ?7 AND l.key_epoch > 1 AND {MEMBER}
       AND NOT EXISTS (SELECT 1 FROM sealed_keys s WHERE s.org_id = l.org_id AND s.log_id = l.log_id
                       AND s.epoch = k.epoch AND s.recipient_key = d.public_key)) needs
   ORDER BY log_id LIMIT ?8";

/// Keys sealed to the calling device ?9 after ?7 for cases it may read, at
/// most ?8.
pub const MY_KEYS_SQL: &str =
    "SELECT k.id, k.log_id, k.epoch, k.sealed, k.sender_identity, k.signature FROM sealed_keys k
     JOIN logs l ON l.org_id = k.org_id AND l.log_id = k.log_id
     WHERE k.recipient_key = (SELECT public_key FROM devices WHERE id = ?9 AND user_id = ?3)
       AND k.id > ?7 AND {CALLER_LOGS} AND l.log_id <> ?2
     ORDER BY k.id LIMIT ?8";

/// Shared SQL with the caller's and the membership predicate filled in
/// (`member`: `MEMBER_SQL` as the store writes it).
pub fn caller_sql(template: &str, member: &str) -> String {
    template
        .replace("{CALLER_LOGS}", CALLER_LOGS_SQL)
        .replace("{MEMBER}", member)
}

/// Revokes device ?2 at ?1 for every person enrolled on it; with ?3, only
/// if it is enrolled in organisation ?3. (An optional parameter is compared
/// before its `IS NULL`: PostgreSQL types a parameter where it first meets it.)
/// Whether a device id was revoked in the organisation of a user (?2):
/// a revocation holds within its organisation, and only there (another
/// organisation's device may carry the same id).
pub const DEVICE_REVOKED_IN_ORG_SQL: &str = "SELECT count(*) > 0 FROM devices
     WHERE id = ?1 AND revoked_at IS NOT NULL
       AND user_id IN (SELECT id FROM users WHERE org_id = (SELECT org_id FROM users WHERE id = ?2))";

/// The organisations holding a log with this id (the admin command names
/// one when there are several).
pub const ORGS_OF_LOG_SQL: &str = "SELECT org_id FROM logs WHERE log_id = ?1
     UNION SELECT org_id FROM erased_logs WHERE log_id = ?1";

/// Counts a wrong passphrase (?1 user, ?2 now); returns the count.
pub const RECORD_FAILED_LOGIN_SQL: &str = "UPDATE users
     SET failed_logins = failed_logins + 1, last_failed_login_at = ?2
     WHERE id = ?1 RETURNING failed_logins";

pub const CLEAR_FAILED_LOGINS_SQL: &str =
    "UPDATE users SET failed_logins = 0 WHERE id = ?1 AND failed_logins > 0";

pub const REVOKE_DEVICE_SQL: &str = "UPDATE devices SET revoked_at = coalesce(revoked_at, ?1)
     WHERE id = ?2 AND (user_id IN (SELECT id FROM users WHERE org_id = ?3) OR ?3 IS NULL)";

/// Enrols a device for a person (?1 device, ?2 user, ?3 label, ?4 token
/// hash, ?5 now, ?6 X25519 key, ?7 identity, ?8 its signature), or logs it in
/// again with a new token. Keys are kept once registered (checked before by
/// `check_keys_unchanged`); an identity comes with its signature.
pub const ENROL_DEVICE_SQL: &str =
    "INSERT INTO devices (id, user_id, label, token_hash, created_at, last_seen_at, public_key, identity_key, key_signature)
     VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8)
     ON CONFLICT (id, user_id) DO UPDATE SET token_hash = excluded.token_hash,
         label = excluded.label, last_seen_at = excluded.last_seen_at,
         public_key = coalesce(devices.public_key, excluded.public_key),
         key_signature = CASE WHEN devices.identity_key IS NULL THEN excluded.key_signature ELSE devices.key_signature END,
         identity_key = coalesce(devices.identity_key, excluded.identity_key)";

/// Enrolled devices, of person ?1 and organisation ?2 where given.
pub const LIST_DEVICES_SQL: &str =
    "SELECT d.id, u.name, d.label, d.created_at, d.last_seen_at, d.revoked_at IS NOT NULL,
            d.public_key, u.org_id, d.identity_key, d.key_signature, u.id, u.role, t.name
     FROM devices d JOIN users u ON u.id = d.user_id LEFT JOIN teams t ON t.id = u.team_id
     WHERE (u.name = ?1 OR ?1 IS NULL) AND (u.org_id = ?2 OR ?2 IS NULL)
     ORDER BY u.name, d.created_at";

/// The SQL of `mark_rotations` (both stores): cases whose current key went
/// to a recipient that is neither a member's usable device nor the recovery
/// key any more.
pub const MARK_ROTATIONS_SQL: &str = "UPDATE logs AS l SET needs_rotation = 1
     WHERE l.key_epoch > 0 AND l.needs_rotation = 0 AND EXISTS (
       SELECT 1 FROM sealed_keys k JOIN orgs r ON r.id = k.org_id
       WHERE k.org_id = l.org_id AND k.log_id = l.log_id AND k.epoch = l.key_epoch
         AND (r.recovery_key IS NULL OR k.recipient_key <> r.recovery_key)
         AND NOT EXISTS (
           SELECT 1 FROM devices d JOIN users u ON u.id = d.user_id JOIN orgs o ON o.id = u.org_id
           WHERE u.org_id = l.org_id AND d.public_key = k.recipient_key
             AND d.revoked_at IS NULL AND u.disabled_at IS NULL AND {MEMBER}))";

/// The SQL condition "user `u` may read log `l`" (with org `o`), the access
/// rule of `may_access` as the horizon queries need it.
pub const MEMBER_SQL: &str = "(l.log_id = '00000000-0000-0000-0000-000000000000'
     OR u.id = l.keyworker_id
     OR (u.role = 'supervisor' AND u.team_id IS NOT NULL AND u.team_id = l.team_id)
     OR (l.audience <> 'supervision' AND (u.role = 'manager'
         OR (u.role = 'admin' AND o.admins_see_cases)
         OR EXISTS (SELECT 1 FROM log_shares s WHERE s.org_id = l.org_id AND s.log_id IN (l.log_id, l.case_id) AND s.user_id = u.id))))";

/// Uses a current enrolment code (?1 name, ?2 its hash, ?3 the new login
/// key's hash, ?4 now): the person's own passphrase from here on. The used
/// code's hash stays (without an expiry it works no more), so the same
/// request sent again is known.
pub const REDEEM_CODE_SQL: &str =
    "UPDATE users SET auth_hash = ?3, credential = 'own', enrolment_code_expires_at = NULL
     WHERE name = ?1 AND enrolment_code_hash = ?2 AND enrolment_code_expires_at > ?4
       AND disabled_at IS NULL";

/// A person's new enrolment code (?1 name, ?2 hash, ?3 expiry).
pub const SET_CODE_SQL: &str =
    "UPDATE users SET enrolment_code_hash = ?2, enrolment_code_expires_at = ?3 WHERE name = ?1";

/// The person's own new login key (?1 hash, ?2 name).
pub const SET_AUTH_HASH_SQL: &str =
    "UPDATE users SET auth_hash = ?1, credential = 'own' WHERE name = ?2";

/// Keeps a server secret (?1 name, ?2 value) unless one is kept already.
pub const INSERT_SECRET_SQL: &str =
    "INSERT INTO server_secrets (name, value) VALUES (?1, ?2) ON CONFLICT DO NOTHING";
pub const SECRET_SQL: &str = "SELECT value FROM server_secrets WHERE name = ?1";

/// A person as login reads them (?1 name).
pub const USER_BY_NAME_SQL: &str =
    "SELECT id, org_id, name, role, auth_hash, credential, disabled_at IS NOT NULL,
            enrolment_code_hash, enrolment_code_expires_at IS NULL
     FROM users WHERE name = ?1";

/// An organisation's erasure rule (?1 org).
pub const ERASURE_RULE_SQL: &str = "SELECT erasure_rule, erasure_hours FROM orgs WHERE id = ?1";

/// Sets it (?1 org name, ?2 rule, ?3 hours).
pub const SET_ERASURE_RULE_SQL: &str =
    "UPDATE orgs SET erasure_rule = ?2, erasure_hours = ?3 WHERE name = ?1";

/// The request waiting on a case (?1 org, ?2 case).
pub const WAITING_ERASURE_SQL: &str =
    "SELECT requested_by, due_at, reason, rule FROM erasure_requests WHERE org_id = ?1 AND log_id = ?2";

/// Keeps a (new) request (?1 org, ?2 case, ?3 who, ?4 now, ?5 due, ?6 sealed
/// reason, ?7 the rule it is asked under).
pub const UPSERT_ERASURE_REQUEST_SQL: &str =
    "INSERT INTO erasure_requests (org_id, log_id, requested_by, requested_at, due_at, reason, rule)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
     ON CONFLICT (org_id, log_id) DO UPDATE SET requested_by = excluded.requested_by,
         requested_at = excluded.requested_at, due_at = excluded.due_at, reason = excluded.reason,
         rule = excluded.rule";

pub const CANCEL_ERASURE_SQL: &str =
    "DELETE FROM erasure_requests WHERE org_id = ?1 AND log_id = ?2";

/// The organisation's waiting requests (?1 org), with who asked and the
/// rule each is under.
pub const PENDING_ERASURES_SQL: &str = "SELECT r.log_id, u.name, r.requested_at, r.due_at, r.rule
     FROM erasure_requests r JOIN users u ON u.id = r.requested_by
     WHERE r.org_id = ?1 ORDER BY r.due_at, r.log_id";

/// Second-person requests nobody confirmed in time (?1 now).
pub const LAPSE_ERASURES_SQL: &str =
    "DELETE FROM erasure_requests WHERE due_at <= ?1 AND rule = 'second-person'";

/// Grace-period requests whose time is up (?1 now).
pub const DUE_ERASURES_SQL: &str =
    "SELECT org_id, log_id, requested_by, reason FROM erasure_requests
     WHERE rule = 'grace' AND due_at <= ?1 ORDER BY org_id, log_id";

/// A done erasure (?1 org, ?2 case, ?3 now, ?4 who asked, ?5 sealed
/// reason, ?6 who confirmed).
pub const INSERT_ERASED_SQL: &str =
    "INSERT INTO erased_logs (org_id, log_id, erased_at, erased_by, reason, reason_sealed, confirmed_by)
     VALUES (?1, ?2, ?3, ?4, '', ?5, ?6)";

/// Who holds case ?2 of organisation ?1: its team and keyworker (a case's
/// own log: who holds its supervision log follows).
pub const CASE_OWNER_SQL: &str =
    "SELECT team_id, keyworker_id FROM logs WHERE org_id = ?1 AND log_id = ?2 AND audience = 'case'";

/// The colleague named ?3 in organisation ?1, and whether case ?2 (or its
/// allocation log ?4, for a volunteer) is shared with them.
pub const COLLEAGUE_SQL: &str =
    "SELECT u.id, u.name, u.role, u.team_id, u.disabled_at IS NOT NULL,
            EXISTS (SELECT 1 FROM log_shares s WHERE s.org_id = ?1 AND s.log_id IN (?2, ?4) AND s.user_id = u.id)
     FROM users u WHERE u.org_id = ?1 AND u.name = ?3";

pub const SHARE_SQL: &str =
    "INSERT INTO log_shares (org_id, log_id, user_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
pub const UNSHARE_SQL: &str =
    "DELETE FROM log_shares WHERE org_id = ?1 AND log_id = ?2 AND user_id = ?3";
/// Person ?3 lost case ?2 at ?4 (see `rules::late_write_allowed`).
pub const WITHDRAW_SQL: &str =
    "INSERT INTO withdrawals (org_id, log_id, user_id, withdrawn_at) VALUES (?1, ?2, ?3, ?4)
     ON CONFLICT (org_id, log_id, user_id) DO UPDATE SET withdrawn_at = excluded.withdrawn_at";
/// Person ?3 holds case ?2 again (run `REGAIN_KEYS_SQL` first).
pub const UNWITHDRAW_SQL: &str =
    "DELETE FROM withdrawals WHERE org_id = ?1 AND log_id = ?2 AND user_id = ?3";
/// Person ?3, who lost case ?2 and now holds it again, gets its keys again:
/// their devices dropped the ones sealed to them before (and read keys from
/// a cursor long past them), so those go and members' devices seal anew.
pub const REGAIN_KEYS_SQL: &str =
    "DELETE FROM sealed_keys WHERE org_id = ?1
       AND (log_id = ?2 OR log_id IN (SELECT log_id FROM logs WHERE org_id = ?1 AND case_id = ?2))
       AND EXISTS (SELECT 1 FROM withdrawals w WHERE w.org_id = ?1 AND w.log_id = ?2 AND w.user_id = ?3)
       AND recipient_key IN (SELECT public_key FROM devices WHERE user_id = ?3 AND public_key IS NOT NULL)";
/// Case ?2's new keyworker ?3, and their team ?4 (its supervision log's too).
pub const REASSIGN_SQL: &str = "UPDATE logs SET keyworker_id = ?3, team_id = ?4
     WHERE org_id = ?1 AND (log_id = ?2 OR case_id = ?2)";

/// Makes case ?3's companion log ?2 for audience ?6 (org ?1, ?4 now, ?5
/// genesis tip) held as the case is; nothing when there is no such case.
pub const CREATE_COMPANION_LOG_SQL: &str =
    "INSERT INTO logs (org_id, log_id, team_id, keyworker_id, head, tip, created_at, case_id, audience)
     SELECT org_id, ?2, team_id, keyworker_id, 0, ?5, ?4, log_id, ?6
     FROM logs WHERE org_id = ?1 AND log_id = ?3 AND audience = 'case'
     ON CONFLICT DO NOTHING";

/// The logs that belong to case ?2 (org ?1): its supervision and
/// allocation logs.
pub const COMPANION_LOGS_SQL: &str =
    "SELECT log_id FROM logs WHERE org_id = ?1 AND case_id = ?2 ORDER BY log_id";

/// Case ?2's keyworker and team by name.
pub const CASE_ACCESS_SQL: &str =
    "SELECT (SELECT name FROM users WHERE id = l.keyworker_id), (SELECT name FROM teams WHERE id = l.team_id)
     FROM logs l WHERE l.org_id = ?1 AND l.log_id = ?2";
/// Who case ?2 (or its allocation log ?3) is shared with, by name.
pub const CASE_SHARES_SQL: &str =
    "SELECT u.name, u.role = 'volunteer' FROM log_shares s JOIN users u ON u.id = s.user_id
     WHERE s.org_id = ?1 AND s.log_id IN (?2, ?3) ORDER BY u.name";

/// When person ?3 lost case ?2 (if they did), and whether device ?4 held
/// it (read it, or wrote to it): what a late write needs.
pub const LATE_WRITE_SQL: &str =
    "SELECT (SELECT withdrawn_at FROM withdrawals WHERE org_id = ?1 AND log_id = ?2 AND user_id = ?3),
            EXISTS (SELECT 1 FROM device_positions WHERE device_id = ?4 AND user_id = ?3 AND log_id = ?2)
            OR EXISTS (SELECT 1 FROM changes WHERE org_id = ?1 AND log_id = ?2 AND device_id = ?4)";
