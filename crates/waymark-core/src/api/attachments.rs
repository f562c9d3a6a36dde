//! Attachments: encrypted in the store, uploaded and fetched in chunks.
use super::*;

impl Session {
    // --- Attachments ---------------------------------------------------------------

    /// Stores a file with the case, inside the encrypted database. The size
    /// limit is checked before anything is written.
    pub fn add_attachment(
        &mut self,
        case_id: Uuid,
        file_name: &str,
        media_type: &str,
        data: &[u8],
    ) -> Result<Uuid> {
        check_attachment_size(data.len() as u64)?;
        let mut tx = self.begin()?;
        require_case(&tx.tx, case_id)?;
        let a = Attachment {
            id: record::new_record_id(),
            case_id,
            file_name: file_name.trim().to_owned(),
            media_type: media_type.trim().to_owned(),
            size_bytes: data.len() as i64,
            added_at: tx.now,
            added_by: tx.user,
        };
        tx.put(&a)?;
        tx.tx.execute(
            "INSERT INTO attachment_blobs (attachment_id, data) VALUES (?1, ?2)",
            params![a.id.to_string(), data],
        )?;
        tx.commit()?;
        Ok(a.id)
    }

    /// Removes a wrongly added attachment: its contents are deleted, its
    /// record becomes a tombstone, and the removal is audited.
    pub fn remove_attachment(&mut self, id: Uuid) -> Result<()> {
        let a: Attachment = get_or(&self.conn, id, "attachment")?;
        let tx = self.begin()?;
        record::remove(&tx.tx, tx.author(), Attachment::KIND, id, Some(a.case_id))?;
        for table in ["attachment_blobs", "attachment_downloads"] {
            tx.tx.execute(
                &format!("DELETE FROM {table} WHERE attachment_id = ?1"),
                [id.to_string()],
            )?;
        }
        tx.audit("remove", Attachment::KIND, Some(id), Some(a.case_id))?;
        tx.commit()
    }

    pub fn attachments(&self, case_id: Uuid) -> Result<Vec<Attachment>> {
        require_case(&self.conn, case_id)?;
        record::list(
            &self.conn,
            "case_id = ?1 ORDER BY added_at DESC, id",
            &[&case_id.to_string()],
        )
    }

    /// Opens an attachment's contents (an audited view).
    pub fn open_attachment(&mut self, id: Uuid) -> Result<(Attachment, Vec<u8>)> {
        let a: Attachment = get_or(&self.conn, id, "attachment")?;
        let data = attachment_data(&self.conn, id)?
            .ok_or_else(|| Error::because("attachment", waymark_model::Reason::NotOnDeviceYet))?;
        let tx = self.begin()?;
        tx.audit("view", Attachment::KIND, Some(id), Some(a.case_id))?;
        tx.commit()?;
        Ok((a, data))
    }

    /// Whether an attachment's contents are on this device.
    pub fn attachment_on_device(&self, id: Uuid) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT count(*) > 0 FROM attachment_blobs WHERE attachment_id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )?)
    }

    /// Attachment contents the server has not confirmed in full, encrypted
    /// under their case's key (made once per upload, in one transaction, so a
    /// resumed upload sends the same bytes).
    pub fn blobs_to_upload(&mut self) -> Result<Vec<crate::sync::BlobUpload>> {
        let tx = self.begin()?;
        let unsealed: Vec<(String, String)> = tx
            .tx
            .prepare(
                "SELECT b.attachment_id, a.case_id FROM attachment_blobs b JOIN attachments a ON a.id = b.attachment_id
                 WHERE b.sealed IS NULL AND b.uploaded = 0 AND a.removed_at IS NULL",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, case) in unsealed {
            let (id, case) = (parse_id(&id)?, parse_id(&case)?);
            let key = crate::e2e::key_for_outgoing(&tx.tx, case, None)?;
            let data: zeroize::Zeroizing<Vec<u8>> = zeroize::Zeroizing::new(tx.tx.query_row(
                "SELECT data FROM attachment_blobs WHERE attachment_id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )?);
            let sealed = waymark_crypto::encrypt_attachment(&key, case, id, &data);
            tx.tx.execute(
                "UPDATE attachment_blobs SET sealed = ?2 WHERE attachment_id = ?1",
                params![id.to_string(), sealed],
            )?;
        }
        let pending: Vec<crate::sync::BlobUpload> = tx
            .tx
            .prepare(
                "SELECT b.attachment_id, a.case_id, length(b.sealed), b.uploaded
                 FROM attachment_blobs b JOIN attachments a ON a.id = b.attachment_id
                 WHERE b.sealed IS NOT NULL AND a.removed_at IS NULL",
            )?
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })?
            .map(|row| {
                let (id, case, size, up) = row?;
                Ok(crate::sync::BlobUpload {
                    attachment_id: parse_id(&id)?,
                    case_id: parse_id(&case)?,
                    sealed_size: size as u64,
                    confirmed: up as u64,
                })
            })
            .collect::<Result<_>>()?;
        tx.commit()?;
        Ok(pending)
    }

    /// Up to `len` bytes of an attachment's encrypted contents from `offset`.
    pub fn blob_bytes(&self, id: Uuid, offset: u64, len: usize) -> Result<Vec<u8>> {
        Ok(self.conn.query_row(
            "SELECT substr(sealed, ?2, ?3) FROM attachment_blobs WHERE attachment_id = ?1",
            params![id.to_string(), offset as i64 + 1, len as i64],
            |r| r.get(0),
        )?)
    }

    /// Records how many bytes of an attachment the server has confirmed;
    /// once it holds them all, the encrypted copy here is dropped.
    pub fn mark_uploaded(&mut self, id: Uuid, bytes: u64) -> Result<()> {
        let tx = self.begin()?;
        tx.tx.execute(
            "UPDATE attachment_blobs SET uploaded = max(uploaded, ?2) WHERE attachment_id = ?1",
            params![id.to_string(), bytes as i64],
        )?;
        tx.tx.execute(
            "UPDATE attachment_blobs SET sealed = NULL WHERE attachment_id = ?1 AND uploaded >= length(sealed)",
            [id.to_string()],
        )?;
        tx.commit()
    }

    /// The case of an attachment and how many bytes of its contents a
    /// download in progress holds.
    pub fn download_state(&self, id: Uuid) -> Result<(Uuid, u64, u64)> {
        let a: Attachment = get_or(&self.conn, id, "attachment")?;
        let have: Option<i64> = self
            .conn
            .query_row(
                "SELECT length(data) FROM attachment_downloads WHERE attachment_id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        Ok((
            a.case_id,
            have.unwrap_or(0) as u64,
            a.size_bytes as u64 + waymark_crypto::ENCRYPTION_OVERHEAD as u64,
        ))
    }

    /// Appends a fetched chunk at `offset` (the bytes held so far); once the
    /// contents are whole, they move into place. Returns whether whole.
    pub fn append_download(&mut self, id: Uuid, offset: u64, chunk: &[u8]) -> Result<bool> {
        let (_, have, size) = self.download_state(id)?;
        if offset != have || have + chunk.len() as u64 > size {
            return Err(Error::Storage(format!(
                "attachment {id}: a chunk at {offset} does not continue the {have} of {size} bytes fetched"
            )));
        }
        let tx = self.begin()?;
        // Concatenated here, not with SQL's `||` (which makes text of blobs).
        let mut data: Vec<u8> = tx
            .tx
            .query_row(
                "SELECT data FROM attachment_downloads WHERE attachment_id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_default();
        data.extend_from_slice(chunk);
        tx.tx.execute(
            "INSERT OR REPLACE INTO attachment_downloads (attachment_id, data) VALUES (?1, ?2)",
            params![id.to_string(), data],
        )?;
        let whole = have + chunk.len() as u64 == size;
        if whole {
            // Opened with the case key at the epoch it names; a download
            // that fails authentication is dropped, never kept.
            let case = case_of_attachment(&tx.tx, id)?;
            let opened = waymark_crypto::epoch_of("attachment", &data)
                .map_err(|e| e.to_string())
                .and_then(|epoch| {
                    crate::e2e::case_key(&tx.tx, case, epoch)
                        .map_err(|e| e.to_string())?
                        .ok_or_else(|| {
                            format!("its case key (epoch {epoch}) has not reached this device")
                        })
                })
                .and_then(|key| {
                    waymark_crypto::decrypt_attachment(&key, case, id, &data)
                        .map_err(|e| e.to_string())
                });
            tx.tx.execute(
                "DELETE FROM attachment_downloads WHERE attachment_id = ?1",
                [id.to_string()],
            )?;
            let contents = match opened {
                Ok(contents) => contents,
                Err(reason) => {
                    tx.commit()?;
                    return Err(Error::Storage(format!("attachment {id} refused: {reason}")));
                }
            };
            let len = contents.len() as i64;
            tx.tx.execute(
                "INSERT OR REPLACE INTO attachment_blobs (attachment_id, data, uploaded) VALUES (?1, ?2, ?3)",
                params![id.to_string(), contents.as_slice(), len.max(1)],
            )?;
        }
        tx.commit()?;
        Ok(whole)
    }
}

/// An attachment's contents, if they are on this device.
pub(super) fn attachment_data(conn: &Connection, id: Uuid) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row(
            "SELECT data FROM attachment_blobs WHERE attachment_id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()?)
}
