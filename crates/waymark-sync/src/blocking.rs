//! The sync client for front ends that are not async (the CLI, the app's
//! blocking threads): the same calls, each run to completion on the
//! client's own runtime, plus the two things every front end does alike:
//! joining a server with a new store (removed again if the join fails) and
//! erasing the store when the organisation revoked this device.

use crate::{
    revocation_is_trusted, Client, Confirmed, Progress, Result, SyncError, SyncReport, SyncStopped,
};
use std::path::Path;
use uuid::Uuid;
use waymark_core::sync::SyncAccount;
use waymark_core::{Passphrase, Session};
use waymark_protocol::{CaseAccess, Erasure, ErasuresResponse};

pub struct BlockingClient {
    client: Client,
    runtime: tokio::runtime::Runtime,
}

impl BlockingClient {
    /// A client for `server_url` with the default options and the
    /// certificate authority WAYMARK_CA_CERT names, as every front end uses.
    pub fn from_env(server_url: &str) -> Result<BlockingClient> {
        BlockingClient::new(Client::from_env(server_url)?)
    }

    pub fn new(client: Client) -> Result<BlockingClient> {
        // One worker besides the calling thread: the next page of a pull
        // is fetched there while the caller applies this one.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| SyncError::Core(e.into()))?;
        Ok(BlockingClient { client, runtime })
    }

    /// The account's server, for a logged-in session.
    pub fn for_session(session: &Session) -> Result<BlockingClient> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        BlockingClient::from_env(&account.server_url)
    }

    /// Creates `user`'s store on the laptop at `dir`, joins the server with
    /// it and returns it unlocked. If anything fails (most often: the
    /// server does not know this name with this passphrase), the new store
    /// is erased again, and the laptop's directory removed if this made it:
    /// nothing half-made is left to confuse the next try. Other people's
    /// stores on the laptop are not touched.
    pub fn enrol(
        &self,
        dir: &Path,
        user: &str,
        passphrase: &Passphrase,
        device_label: &str,
    ) -> Result<Session> {
        let laptop = waymark_core::Laptop::new(dir);
        let made_dir = !laptop.has_people();
        let joined = Session::create(dir, user, passphrase)
            .map_err(SyncError::from)
            .and_then(|mut session| {
                let joined = self.login(&mut session, user, passphrase, device_label);
                match joined {
                    Ok(_) => Ok(session),
                    Err(e) => {
                        let _ = session.wipe();
                        Err(e)
                    }
                }
            });
        if joined.is_err() && made_dir {
            let _ = std::fs::remove_dir(dir.join("people"));
            let _ = std::fs::remove_dir(dir);
        }
        joined
    }

    /// A person joins with the one-time code their administrator gave
    /// them: the server takes the passphrase they chose (refused before
    /// anything is sent if it is weak), then their store is made on the
    /// laptop at `dir` and logged in, as [`BlockingClient::enrol`]. A wrong,
    /// used or expired code leaves nothing behind on the laptop.
    pub fn join(
        &self,
        dir: &Path,
        user: &str,
        code: &str,
        passphrase: &Passphrase,
        device_label: &str,
    ) -> Result<Session> {
        self.runtime
            .block_on(self.client.join(user, code, passphrase))?;
        self.enrol(dir, user, passphrase, device_label)
    }

    pub fn login(
        &self,
        session: &mut Session,
        user: &str,
        passphrase: &Passphrase,
        device_label: &str,
    ) -> Result<SyncAccount> {
        self.runtime
            .block_on(self.client.login(session, user, passphrase, device_label))
    }

    pub fn change_passphrase(
        &self,
        session: &mut Session,
        current: &Passphrase,
        new: &Passphrase,
    ) -> Result<()> {
        self.runtime
            .block_on(self.client.change_passphrase(session, current, new))
    }

    pub fn sync(
        &self,
        session: &mut Session,
        progress: &mut dyn FnMut(Progress),
    ) -> std::result::Result<SyncReport, SyncStopped> {
        self.runtime.block_on(self.client.sync(session, progress))
    }

    pub fn confirm(
        &self,
        session: &mut Session,
        user: &str,
        phrase: &str,
        as_admin: bool,
    ) -> Result<Confirmed> {
        self.runtime
            .block_on(self.client.confirm(session, user, phrase, as_admin))
    }

    pub fn listed_devices(
        &self,
        session: &Session,
    ) -> Result<Vec<waymark_core::identity::ListedDevice>> {
        self.runtime.block_on(self.client.listed_devices(session))
    }

    pub fn revoke_device(&self, session: &Session, device: Uuid) -> Result<()> {
        self.runtime
            .block_on(self.client.revoke_device(session, device))
    }

    pub fn create_recovery_key(
        &self,
        session: &Session,
        keep: impl FnOnce(&str) -> waymark_core::Result<()>,
    ) -> Result<String> {
        self.runtime
            .block_on(self.client.create_recovery_key(session, keep))
    }

    pub fn recover_user(
        &self,
        session: &mut Session,
        recovery: &waymark_crypto::UserSecret,
        user: &str,
    ) -> Result<u64> {
        self.runtime
            .block_on(self.client.recover_user(session, recovery, user))
    }

    pub fn erase_case(&self, session: &mut Session, case: Uuid, reason: &str) -> Result<Erasure> {
        self.runtime
            .block_on(self.client.erase_case(session, case, reason))
    }

    pub fn cancel_erasure(&self, session: &Session, case: Uuid) -> Result<()> {
        self.runtime
            .block_on(self.client.cancel_erasure(session, case))
    }

    pub fn erasures(&self, session: &Session) -> Result<ErasuresResponse> {
        self.runtime.block_on(self.client.erasures(session))
    }

    pub fn case_access(&self, session: &Session, case: Uuid) -> Result<CaseAccess> {
        self.runtime
            .block_on(self.client.case_access(session, case))
    }

    pub fn share(
        &self,
        session: &mut Session,
        case: Uuid,
        user: &str,
        share: bool,
    ) -> Result<CaseAccess> {
        self.runtime
            .block_on(self.client.share(session, case, user, share))
    }

    pub fn reassign(&self, session: &mut Session, case: Uuid, user: &str) -> Result<CaseAccess> {
        self.runtime
            .block_on(self.client.reassign(session, case, user))
    }

    pub fn fetch_attachment(&self, session: &mut Session, id: Uuid) -> Result<()> {
        self.runtime
            .block_on(self.client.fetch_attachment(session, id))
    }
}

/// Changes the person's passphrase: on the server too when this store is
/// linked to one (`Client::change_passphrase`), else here alone.
pub fn change_passphrase(
    session: &mut Session,
    current: &Passphrase,
    new: &Passphrase,
) -> Result<()> {
    match session.sync_account()? {
        Some(_) => BlockingClient::for_session(session)?.change_passphrase(session, current, new),
        None => Ok(session.change_passphrase(current, new)?),
    }
}

/// After a failed sync: if the server said an administrator revoked this
/// device, and the answer may be believed (`revocation_is_trusted`: a
/// server whose identity was checked, or this machine), erases the store
/// and returns the error to show (`DeviceRevoked`, naming where the store
/// was). Otherwise the session comes back for the caller to keep.
pub fn erase_if_revoked(
    session: Session,
    error: &SyncError,
) -> std::result::Result<Session, waymark_core::Error> {
    let trusted = session
        .sync_account()?
        .is_some_and(|account| revocation_is_trusted(&account.server_url));
    if !(error.is_device_revoked() && trusted) {
        return Ok(session);
    }
    let dir = session.store_dir().display().to_string();
    session.wipe()?;
    Err(waymark_core::Error::DeviceRevoked(dir))
}
