//! Who holds a case, changed from a device: sharing it with a colleague,
//! stopping, and giving it to another keyworker. The server decides and
//! keeps access (`rules::access_change_verdict`); the keyworker written on
//! the case's episode follows it here, in the same act.

use crate::*;
use uuid::Uuid;
use waymark_core::Session;
use waymark_protocol::*;

impl Client {
    /// Who holds the case now, as the server has it.
    pub async fn case_access(&self, session: &Session, case: Uuid) -> Result<CaseAccess> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        self.post(
            &format!("/v1/cases/{case}/access"),
            Some(&account.token),
            &serde_json::json!({}),
        )
        .await
    }

    /// Shares a case held here with a colleague (`share`), or stops: their
    /// devices receive it, or drop it, at their next sync; this device seals
    /// them its key (or makes the case's next one) at its own.
    pub async fn share(
        &self,
        session: &mut Session,
        case: Uuid,
        user: &str,
        share: bool,
    ) -> Result<CaseAccess> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        session.require_case(case)?;
        let user = colleague_name(user)?;
        let access: CaseAccess = self
            .post(
                &format!("/v1/cases/{case}/share"),
                Some(&account.token),
                &ShareRequest {
                    user: user.clone(),
                    share,
                },
            )
            .await?;
        if share && access.volunteers.contains(&user) {
            // Allocated: what a volunteer is told of the person goes in the
            // case's allocation log, with the next sync.
            session.brief_volunteers(case)?;
        }
        Ok(access)
    }

    /// Gives a case to another keyworker: the server moves the access (the
    /// keyworker before loses the case unless it is shared with them), then
    /// the case's episode here names the new keyworker, to reach every
    /// device at the next sync.
    pub async fn reassign(
        &self,
        session: &mut Session,
        case: Uuid,
        user: &str,
    ) -> Result<CaseAccess> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        session.require_case(case)?;
        let user = colleague_name(user)?;
        let access: CaseAccess = self
            .post(
                &format!("/v1/cases/{case}/keyworker"),
                Some(&account.token),
                &ReassignRequest { user: user.clone() },
            )
            .await?;
        session.set_keyworker(case, &user)?;
        Ok(access)
    }
}

/// A colleague's user name as typed: trimmed, and not empty.
fn colleague_name(user: &str) -> Result<String> {
    let user = user.trim();
    if user.is_empty() {
        return Err(waymark_core::Error::invalid("user", "name the colleague").into());
    }
    Ok(user.to_owned())
}
