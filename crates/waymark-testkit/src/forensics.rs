//! The database file as a forensic examiner who has its key reads it: every
//! page decrypted, free pages and slack included, not only what SQL shows.
//!
//! SQLCipher 4's page layout (with the raw-key form Waymark keys with): page
//! 1 starts with the 16-byte salt; every page ends with a reserve of the
//! 16-byte IV and the 32-byte HMAC-SHA256; the rest is AES-256-CBC under the
//! key itself. The HMAC is not checked here: reading is the point.

use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, KeyIvInit};
use std::path::Path;

const PAGE: usize = 4096;
const SALT: usize = 16;
const IV: usize = 16;
const RESERVE: usize = IV + 32;

/// Every page of the database at `db`, decrypted with `key`.
pub fn decrypted_pages(db: &Path, key: &[u8; 32]) -> Vec<Vec<u8>> {
    let file = std::fs::read(db).expect("read the database file");
    assert_eq!(file.len() % PAGE, 0, "whole pages");
    file.chunks(PAGE)
        .enumerate()
        .map(|(n, page)| {
            let start = if n == 0 { SALT } else { 0 };
            let (body, reserve) = page.split_at(PAGE - RESERVE);
            let iv = &reserve[..IV];
            let mut plain = body[start..].to_vec();
            cbc::Decryptor::<aes::Aes256>::new(key.into(), iv.into())
                .decrypt_padded_mut::<NoPadding>(&mut plain)
                .expect("whole blocks");
            plain
        })
        .collect()
}

/// Whether any page holds `needle` (ASCII case ignored).
pub fn any_page_holds(pages: &[Vec<u8>], needle: &[u8]) -> bool {
    let needle = needle.to_ascii_lowercase();
    pages.iter().any(|p| {
        p.to_ascii_lowercase()
            .windows(needle.len())
            .any(|w| w == needle.as_slice())
    })
}

/// Every page of `user`'s store on the laptop at `dir` (as the CLI's
/// `--store` names it), decrypted with its key: what an examiner holding
/// that person's passphrase finds, the journal checkpointed into the file
/// first.
pub fn store_pages(dir: &Path, user: &str, passphrase: &str) -> Vec<Vec<u8>> {
    let passphrase = waymark_core::Passphrase::new(passphrase);
    let s = waymark_core::Session::unlock(dir, Some(user), &passphrase).expect("unlock");
    s.connection()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    let key = s.store_key_for_forensics();
    let db = s.store_dir().join("waymark.db");
    s.lock();
    decrypted_pages(&db, &key)
}
