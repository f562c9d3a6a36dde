//! Waymark's core: the domain rules, the encrypted device store, search,
//! audit and the one application API (`Session`) that every front end
//! calls. Tauri-free.
//!
//! The surface: `Session` (in `api`, with its areas' methods) and the values
//! it takes and gives (`model`, re-exported from `waymark-model`, and the
//! types of `queries`, `local`, `sync`, `trust`, `identity`, `e2e`). The
//! store itself (`db`, the write path `record`, arrival checks) is private:
//! nothing outside writes a row but through `Session`. The `raw-access`
//! feature (tests and the bench only) adds read access to the SQL
//! connection and the schema builder.

pub mod api;
mod arrival;
mod basics;
pub mod change;
mod db;
pub mod demo;
pub mod domain;
pub mod e2e;
pub mod error;
pub mod hlc;
pub mod identity;
pub mod keys;
pub mod laptop;
pub mod local;
mod process;
pub mod queries;
mod record;
mod split;
pub mod sync;
pub mod trust;

pub use api::{Session, StorePaths, User};
pub use basics::write_private;
pub use error::{Error, Result};
pub use keys::Passphrase;
pub use laptop::Laptop;
pub use process::harden_process;

/// Every kind of record the core writes ("note", "goal", …): what a
/// conflict or a change set aside names, and the words for each must exist.
pub fn record_kinds() -> impl Iterator<Item = &'static str> {
    record::KINDS.iter().map(|k| k.kind)
}

/// The fields a record of `kind` has, if it is a kind.
pub fn fields_of(kind: &str) -> Option<Vec<&'static str>> {
    record::KINDS
        .iter()
        .find(|k| k.kind == kind)
        .map(|k| k.fields.iter().map(|(name, _)| *name).collect())
}

/// Every field a record of any kind has, once each, sorted (a conflict or
/// a change set aside names them).
pub fn record_fields() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = record::KINDS
        .iter()
        .flat_map(|k| k.fields.iter().map(|(name, _)| *name))
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}
/// The shared values (records, views, inputs, commands), defined once in
/// `waymark-model` for the core, the shell and the UI.
pub use waymark_model as model;
pub use waymark_model::assessment;
pub use waymark_model::report;

/// The store underneath `Session`, for the tests and the bench: never built
/// into what ships.
#[cfg(feature = "raw-access")]
pub mod raw {
    pub use crate::api::{create_shared_store, open_shared_store, report_facts};
    pub use crate::db::{create_at_version, schema_version, RECORDS_VERSION, SCHEMA_VERSION};
}
