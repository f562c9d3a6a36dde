//! What the process does to keep keys and case data out of reach of other
//! programs: no core dump (a crash would write the memory holding the store
//! key and open cases to disk), and not dumpable, which on Linux also keeps
//! other processes of the same user from attaching to read its memory.

/// Call first thing in `main` of anything that unlocks a store. Failing is
/// not fatal (a sandbox may forbid it); it is said on stderr.
pub fn harden_process() {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{setrlimit, Resource, Rlimit};
        let none = Rlimit {
            current: Some(0),
            maximum: Some(0),
        };
        if let Err(e) = setrlimit(Resource::Core, none) {
            eprintln!("waymark: could not turn off core dumps: {e}");
        }
        if let Err(e) =
            rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)
        {
            eprintln!("waymark: could not make the process undumpable: {e}");
        }
    }
}
