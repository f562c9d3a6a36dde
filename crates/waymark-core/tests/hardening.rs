//! A crash of anything holding a store key writes no core file, and other
//! processes of the same user cannot attach to read its memory.

#[cfg(target_os = "linux")]
#[test]
fn a_process_that_holds_keys_leaves_no_core_dump_and_cannot_be_read() {
    waymark_core::harden_process();
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    let fields: Vec<&str> = core.split_whitespace().collect();
    assert_eq!(&fields[4..6], ["0", "0"], "{core}");
    assert_eq!(
        rustix::process::dumpable_behavior().unwrap(),
        rustix::process::DumpableBehavior::NotDumpable
    );
}
