//! What Waymark's tests share, so no test reaches into another crate's
//! `tests/` directory:
//!
//! - `server`: a real `waymark-server` process over a SQLite file or a fresh
//!   PostgreSQL database, its admin commands, and HTTP helpers;
//! - `in_process`: the server's router on a loopback port in the test's own
//!   process (the sync client's tests);
//! - `device`: device stores, certificates and sealed keys for the core's
//!   tests, without a server;
//! - `forensics`: a store's database file read page by page with its key.

pub mod device;
pub mod forensics;
pub mod in_process;
pub mod server;
