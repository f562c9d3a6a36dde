//! A CLI store as the sync tests drive it: one `waymark` process per command.
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

pub struct Device {
    pub dir: PathBuf,
    pub user: String,
    /// A wall-clock shift for `faketime` (a laptop whose clock is wrong).
    pub clock: Option<String>,
    /// More environment for every command.
    pub env: Vec<(String, String)>,
}

impl Device {
    pub fn run(&self, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_waymark"));
        if let Some(offset) = &self.clock {
            // libfaketime preloaded, not the `faketime` wrapper: the wrapper
            // keeps a named semaphore per process id in /dev/shm, and one
            // left by a killed run makes a later process with that id fail.
            command
                .env("LD_PRELOAD", waymark_testkit::server::faketime_lib())
                .env("FAKETIME", offset);
        }
        command
            .arg("--store")
            .arg(&self.dir)
            .args(args)
            .env("WAYMARK_PASSPHRASE", format!("{} passphrase", self.user))
            .env_remove("WAYMARK_USER")
            // A store unlocks in milliseconds here (debug builds only: see
            // waymark_core::keys::kdf_cost); the cost itself is tested in the core.
            .env("WAYMARK_TEST_KDF", "cheap")
            // Timers need the true monotonic clock.
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .output()
            .unwrap()
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{} {args:?}: {}",
            self.user,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    pub fn sync(&self) -> Value {
        self.json(&["sync", "--json"])
    }

    /// The case as exported, without what is local to this export.
    pub fn case(&self, case: &str) -> Value {
        let mut v = self.json(&["export", case]);
        v.as_object_mut().unwrap().remove("exported_at");
        v
    }
}

impl Device {
    pub fn new(dir: PathBuf, user: &str) -> Device {
        Device {
            dir,
            user: user.to_owned(),
            clock: None,
            env: Vec::new(),
        }
    }

    /// A new store for `user`, logged in to the server at `url`.
    pub fn enrolled(dir: PathBuf, user: &str, url: &str) -> Device {
        let d = Device::new(dir, user);
        d.ok(&["init", "--user", user]);
        d.ok(&["login", "--server", url]);
        d
    }

    /// `enrolled`, then confirmed by `admin` (an admin of the organisation
    /// on the server): their laptop, next to `dir`, is enrolled on first
    /// need (its login makes the organisation's signing key). The admin
    /// compares the phrase this device shows, as they would side by side.
    pub fn confirmed(dir: PathBuf, user: &str, url: &str, admin: &str) -> Device {
        let d = Device::enrolled(dir.clone(), user, url);
        d.confirm_by(&Device::admin_laptop(&dir, admin, url));
        d
    }

    /// The admin's laptop next to `dir`, enrolled on first need.
    pub fn admin_laptop(dir: &std::path::Path, admin: &str, url: &str) -> Device {
        let laptop = dir.parent().unwrap().join(format!("{admin}-laptop"));
        match laptop.exists() {
            true => Device::new(laptop, admin),
            false => Device::enrolled(laptop, admin, url),
        }
    }

    /// `admin` confirms this device's person after comparing phrases.
    pub fn confirm_by(&self, admin: &Device) {
        let identity = self.json(&["identity", "--json"]);
        let phrase = identity["fingerprint_phrase"].as_str().unwrap();
        admin.ok(&["confirm", &self.user, "--fingerprint", phrase]);
    }

    /// This person's store opened in the test's own process, as the
    /// `waymark` processes (at the tests' cheap cost) wrote it.
    pub fn unlock_here(&self) -> waymark_core::Session {
        waymark_core::keys::use_test_kdf_cost();
        let passphrase = waymark_core::Passphrase::new(format!("{} passphrase", self.user));
        waymark_core::Session::unlock(&self.dir, None, &passphrase).expect("unlock")
    }

    /// Whether any page of this person's store, decrypted with its key,
    /// holds `needle`: free pages and the search index included.
    pub fn store_holds(&self, needle: &str) -> bool {
        // Written by `waymark` processes at the tests' cheap cost.
        waymark_core::keys::use_test_kdf_cost();
        let pages = waymark_testkit::forensics::store_pages(
            &self.dir,
            &self.user,
            &format!("{} passphrase", self.user),
        );
        waymark_testkit::forensics::any_page_holds(&pages, needle.as_bytes())
    }

    /// Runs under libfaketime with the wall clock shifted (e.g. "+1d").
    pub fn with_clock(mut self, offset: &str) -> Device {
        self.clock = Some(offset.to_owned());
        self
    }
}
