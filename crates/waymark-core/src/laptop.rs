//! A laptop's store directory: one store per person, so people sharing a
//! laptop are kept apart by their own keys, not by what a screen shows.
//!
//! ```text
//! DIR/people/<slot>/          one person's store (waymark.db, keys.json)
//! DIR/people/<slot>.partial/  a split from the shared store, not yet done
//! DIR/waymark.db, keys.json   a store from before (shared by everyone
//!                             enrolled), split on each person's first
//!                             unlock: `split`
//! DIR/unlock-failures.json    wrong names and passphrases for the laptop
//! ```
//!
//! A slot is a hash of the user name, so the directory does not list who
//! is enrolled. (Each key file still names its person, for whoever can read
//! the laptop's files; the database is what is kept from them.)

use crate::api::StorePaths;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct Laptop {
    dir: PathBuf,
}

impl Laptop {
    pub fn new(dir: impl Into<PathBuf>) -> Laptop {
        Laptop { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where `user_name`'s store is (or would be).
    pub fn person(&self, user_name: &str) -> StorePaths {
        StorePaths::new(self.people_dir().join(slot(user_name)))
    }

    /// Whether anyone can unlock Waymark here.
    pub fn has_people(&self) -> bool {
        self.shared().exists() || !self.people().is_empty()
    }

    /// The people's stores that are complete (a key file written last).
    pub(crate) fn people(&self) -> Vec<StorePaths> {
        let Ok(entries) = std::fs::read_dir(self.people_dir()) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok())
            .filter(|e| !e.file_name().to_string_lossy().ends_with(PARTIAL))
            .map(|e| StorePaths::new(e.path()))
            .filter(|p| p.exists())
            .collect()
    }

    pub(crate) fn people_dir(&self) -> PathBuf {
        self.dir.join("people")
    }

    /// Where a split of `user_name`'s cases is built before it is renamed
    /// into place, so a store in `people/` is always whole.
    pub(crate) fn partial(&self, user_name: &str) -> PathBuf {
        self.people_dir()
            .join(format!("{}{PARTIAL}", slot(user_name)))
    }

    /// The store from before, shared by everyone enrolled.
    pub(crate) fn shared(&self) -> StorePaths {
        StorePaths::new(&self.dir)
    }

    /// Failed unlocks for names no store here answers to.
    pub(crate) fn unlock_failures(&self) -> PathBuf {
        self.dir.join("unlock-failures.json")
    }
}

const PARTIAL: &str = ".partial";

fn slot(user_name: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"waymark person store v1\0")
        .chain_update(user_name.as_bytes())
        .finalize();
    hex::encode(&digest[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_names_no_one_and_differs_per_person() {
        let laptop = Laptop::new("/tmp/laptop");
        let (a, b) = (laptop.person("amina"), laptop.person("bethan"));
        assert_ne!(a.dir, b.dir);
        assert_eq!(a.dir, laptop.person("amina").dir);
        for p in [&a, &b] {
            let name = p.dir.file_name().unwrap().to_string_lossy().into_owned();
            assert!(!name.contains("amina") && !name.contains("bethan"));
            assert_eq!(name.len(), 32);
        }
    }
}
