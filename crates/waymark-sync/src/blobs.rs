//! Attachment contents, apart from the records: uploaded in chunks the
//! server confirms, fetched on demand; both resume where they stopped.

use crate::*;
use uuid::Uuid;
use waymark_core::Session;
use waymark_protocol::*;

impl Client {
    /// Uploads attachment contents the server lacks, chunk by chunk, each
    /// chunk recorded as confirmed: an upload cut off resumes where the
    /// server says it stopped.
    pub(crate) async fn upload_blobs(
        &self,
        session: &mut Session,
        token: &str,
        report: &mut SyncReport,
    ) -> Result<()> {
        for blob in session.blobs_to_upload()? {
            let (id, case, size) = (blob.attachment_id, blob.case_id, blob.sealed_size);
            let mut done = blob.confirmed;
            let url = format!("{}/v1/blobs/{case}/{id}", self.base);
            while done < size {
                let chunk = session.blob_bytes(id, done, MAX_BLOB_CHUNK)?;
                let put = format!("{url}?offset={done}&size={size}");
                match self.send_bytes(&put, token, chunk).await {
                    Ok(status) => {
                        report.blob_bytes_uploaded += status.received.saturating_sub(done);
                        done = status.received;
                    }
                    // The server holds another amount (an earlier upload's
                    // answer was lost): ask, and resume from there.
                    Err(SyncError::Refused { status: 409, .. }) => {
                        let held: BlobStatus =
                            self.get_json(&format!("{url}/status"), token).await?;
                        done = held.received;
                    }
                    Err(e) => return Err(e),
                }
                session.mark_uploaded(id, done)?;
            }
        }
        Ok(())
    }

    /// Fetches an attachment's contents from the server (resumable: a
    /// download cut off continues from the bytes already kept).
    pub async fn fetch_attachment(&self, session: &mut Session, id: Uuid) -> Result<()> {
        let account = session.sync_account()?.ok_or(SyncError::NotLoggedIn)?;
        while !session.attachment_on_device(id)? {
            let (case, have, _) = session.download_state(id)?;
            let url = format!("{}/v1/blobs/{case}/{id}?offset={have}", self.base);
            let chunk = self.get_bytes(&url, &account.token).await?;
            if chunk.is_empty() {
                return Err(SyncError::Protocol(format!(
                    "an empty chunk of attachment {id}"
                )));
            }
            session.append_download(id, have, &chunk)?;
            let (_, now_have, _) = session.download_state(id)?;
            if now_have <= have && !session.attachment_on_device(id)? {
                return Err(SyncError::Protocol(format!(
                    "attachment {id}: a chunk did not move the download on"
                )));
            }
        }
        Ok(())
    }
}
