//! Attachments: `attachment add|list|get|remove`. Contents travel apart
//! from the record: `get` fetches them from the server when this device
//! does not hold them yet.

use crate::cli::AttachmentCmd;
use crate::input::write_private;
use crate::{output, Failure};
use waymark_core::domain::check_attachment_size;
use waymark_core::{Error, Session};
use waymark_sync::BlockingClient;

pub(crate) fn attachment(s: &mut Session, cmd: AttachmentCmd) -> Result<(), Failure> {
    if let AttachmentCmd::Get { attachment_id, .. } = &cmd {
        if !s.attachment_on_device(*attachment_id)? {
            let client = BlockingClient::for_session(s)?;
            client.fetch_attachment(s, *attachment_id)?;
        }
    }
    Ok(write_out(s, cmd)?)
}

fn write_out(s: &mut Session, cmd: AttachmentCmd) -> Result<(), Error> {
    match cmd {
        AttachmentCmd::Add {
            case_id,
            file,
            media_type,
        } => {
            let meta = std::fs::metadata(&file).map_err(|e| {
                Error::invalid("file", format!("cannot read {}: {e}", file.display()))
            })?;
            // Refuse an oversized file before reading it into memory.
            check_attachment_size(meta.len())?;
            let data = std::fs::read(&file)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let media = media_type.unwrap_or_else(|| guess_media_type(&name).to_owned());
            say!("{}", s.add_attachment(case_id, &name, &media, &data)?);
        }
        AttachmentCmd::List { case_id, json } => {
            output::attachments(&s.attachments(case_id)?, json.json)?
        }
        AttachmentCmd::Get { attachment_id, out } => {
            let (_, data) = s.open_attachment(attachment_id)?;
            write_private(&out, &data)?;
        }
        AttachmentCmd::Remove { attachment_id } => s.remove_attachment(attachment_id)?,
    }
    Ok(())
}

fn guess_media_type(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "txt" => "text/plain",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}
