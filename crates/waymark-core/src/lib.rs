//! Waymark's core: the domain, the encrypted device store, search, audit and
//! the one application API (`Session`) that every front end calls. Tauri-free.

pub mod api;
mod arrival;
pub mod assessment;
mod basics;
pub mod change;
pub mod db;
pub mod demo;
pub mod domain;
pub mod e2e;
pub mod error;
pub mod hlc;
pub mod identity;
pub mod keys;
pub mod local;
pub mod queries;
pub mod record;
pub mod sync;
pub mod trust;

pub use api::{Session, StorePaths, User};
pub use error::{Error, Result};
pub use keys::Passphrase;
