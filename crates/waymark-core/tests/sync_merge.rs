//! Convergence in one process: several devices edit offline, sync in random
//! orders with interruptions (pushes cut short, acknowledgements lost, pulls
//! stopped part-way), and in the end hold identical records, the same
//! conflicts, every note, and every concurrent edit either kept or visible as
//! a conflict. The log here follows the server's contract (per-log order,
//! idempotent by change id); the real server has its own tests.

use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use uuid::Uuid;
use waymark_core::sync::{Acked, ChangeBody, Envelope, Keep, Logged};
use waymark_core::Session;
use waymark_testkit::device::*;

#[derive(Default)]
struct Logs {
    logs: BTreeMap<Uuid, Vec<Logged>>,
    seen: HashSet<Uuid>,
}

impl Logs {
    fn push(&mut self, envelopes: &[Envelope]) {
        for e in envelopes {
            if self.seen.insert(e.change_id) {
                let log = self.logs.entry(e.log_id).or_default();
                log.push(Logged {
                    seq: log.len() as i64 + 1,
                    change_id: e.change_id,
                    received_ms: e.clock_ms,
                    body: e.body.clone(),
                });
            }
        }
    }
}

#[derive(Clone, Debug)]
enum Op {
    Edit {
        dev: usize,
        case: usize,
        field: bool,
        value: usize,
    },
    Note {
        dev: usize,
        case: usize,
    },
    Sync {
        dev: usize,
        push: Option<usize>,
        ack: bool,
        pages: Option<usize>,
    },
    Resolve {
        dev: usize,
        mine: bool,
    },
}

fn op(devices: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..devices, 0..2usize, any::<bool>(), 0..3usize)
            .prop_map(|(dev, case, field, value)| Op::Edit { dev, case, field, value }),
        2 => (0..devices, 0..2usize).prop_map(|(dev, case)| Op::Note { dev, case }),
        3 => (0..devices, prop::option::of(0..4usize), any::<bool>(), prop::option::of(0..3usize))
            .prop_map(|(dev, push, ack, pages)| Op::Sync { dev, push, ack, pages }),
        1 => (0..devices, any::<bool>()).prop_map(|(dev, mine)| Op::Resolve { dev, mine }),
    ]
}

const VALUES: [&str; 3] = ["Ash", "Birch", "Cedar"];

/// Push (maybe only some, maybe without hearing the acknowledgement), then
/// pull every log in pages of two (maybe stopping after a few pages).
fn sync(dev: &mut Session, logs: &mut Logs, push: Option<usize>, ack: bool, pages: Option<usize>) {
    let out = dev.outgoing(100_000).unwrap();
    let n = push.map_or(out.len(), |p| p.min(out.len()));
    logs.push(
        &out[..n]
            .iter()
            .map(|o| o.envelope.clone())
            .collect::<Vec<_>>(),
    );
    if ack {
        let acked: Vec<Acked> = out[..n]
            .iter()
            .map(|o| Acked {
                outbox_seq: o.seq,
                change_id: o.envelope.change_id,
            })
            .collect();
        dev.acknowledge(&acked).unwrap();
    }
    let mut budget = pages.unwrap_or(usize::MAX);
    for (log_id, entries) in &logs.logs {
        loop {
            if budget == 0 {
                return;
            }
            let cursor = dev.sync_cursor(*log_id).unwrap();
            let page: Vec<Logged> = entries
                .iter()
                .filter(|e| e.seq > cursor)
                .take(2)
                .cloned()
                .collect();
            if page.is_empty() {
                break;
            }
            let report = dev.apply_pulled(*log_id, &page).unwrap();
            // What a device wrote through the API passes every arrival
            // check, whatever the order it arrives in.
            assert_eq!((report.refused, report.misrouted), (0, 0), "{report:?}");
            budget -= 1;
        }
    }
}

/// Per case: (full name, preferred name, pronouns), and the note ids.
type Snapshot = (
    Vec<(String, Option<String>, Option<String>)>,
    Vec<BTreeSet<Uuid>>,
);

fn snapshot(dev: &Session, cases: &[Uuid]) -> Snapshot {
    let people = cases
        .iter()
        .map(|c| {
            let p = dev.person(*c).unwrap();
            (p.full_name, p.preferred_name, p.pronouns)
        })
        .collect();
    let notes = cases
        .iter()
        .map(|c| {
            let ids: Vec<String> = dev
                .connection()
                .prepare("SELECT id FROM notes WHERE case_id = ?1")
                .unwrap()
                .query_map([c.to_string()], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            ids.iter().map(|i| Uuid::parse_str(i).unwrap()).collect()
        })
        .collect();
    (people, notes)
}

fn run(devices: usize, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let dirs: Vec<_> = (0..devices).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut devs: Vec<Session> = dirs.iter().map(|d| new_store(d.path())).collect();
    let mut logs = Logs::default();
    // The organisation's admin confirmed everyone: each signs what it sends.
    certify_all(&mut devs);
    let cases = vec![
        person(&mut devs[0], "Case One"),
        person(&mut devs[0], "Case Two"),
    ];
    for d in devs.iter_mut() {
        sync(d, &mut logs, None, true, None);
    }
    // The others pulled the cases before holding their key: held, not lost,
    // and applied when the key arrives.
    let (first, others) = devs.split_first_mut().unwrap();
    for d in others {
        prop_assert!(d.awaiting_key().unwrap() > 0);
        let got = hand_case_keys(first, d, &cases);
        prop_assert_eq!(got.keys, 2);
        prop_assert_eq!(d.awaiting_key().unwrap(), 0);
        prop_assert_eq!(d.person(cases[0]).unwrap().full_name, "Case One");
    }
    sync(&mut devs[0], &mut logs, None, true, None);
    let mut notes_written = BTreeSet::new();
    for op in ops {
        match op {
            Op::Edit {
                dev,
                case,
                field,
                value,
            } => {
                let mut p = devs[dev].person(cases[case]).unwrap();
                let v = Some(VALUES[value].to_owned());
                if field {
                    p.preferred_name = v;
                } else {
                    p.pronouns = v;
                }
                devs[dev].update_person(p).unwrap();
            }
            Op::Note { dev, case } => {
                notes_written.insert(note(&mut devs[dev], cases[case], "visited"));
            }
            Op::Sync {
                dev,
                push,
                ack,
                pages,
            } => sync(&mut devs[dev], &mut logs, push, ack, pages),
            Op::Resolve { dev, mine } => {
                if let Some(c) = devs[dev].conflicts(true).unwrap().first() {
                    devs[dev]
                        .resolve_conflict(c.id, if mine { Keep::Mine } else { Keep::Theirs })
                        .unwrap();
                }
            }
        }
    }
    // Everyone back online: sync until quiet.
    for _ in 0..3 {
        for d in devs.iter_mut() {
            sync(d, &mut logs, None, true, None);
        }
    }
    let first = snapshot(&devs[0], &cases);
    let conflict_ids = |d: &Session, open: bool| -> BTreeSet<Uuid> {
        d.conflicts(open).unwrap().iter().map(|c| c.id).collect()
    };
    for d in &devs[1..] {
        prop_assert_eq!(&snapshot(d, &cases), &first, "devices converge");
        prop_assert_eq!(
            conflict_ids(d, true),
            conflict_ids(&devs[0], true),
            "same open conflicts everywhere:\n{:#?}\nvs\n{:#?}",
            d.conflicts(true).unwrap(),
            devs[0].conflicts(true).unwrap()
        );
    }
    for d in &mut devs[1..] {
        prop_assert_eq!(d.outgoing(10).unwrap().len(), 0);
    }
    let all_notes: BTreeSet<Uuid> = first.1.iter().flatten().copied().collect();
    prop_assert!(
        notes_written.is_subset(&all_notes),
        "every note reaches every device"
    );

    // Nothing lost: per person field, every edit that no later edit
    // superseded (a leaf of the version graph) is the value shown or an open
    // conflict, on every device.
    let lost: BTreeSet<String> = devs[0]
        .conflicts(true)
        .unwrap()
        .into_iter()
        .map(|c| c.lost_clock)
        .collect();
    let mut written: BTreeMap<(Uuid, String), Vec<(String, serde_json::Value)>> = BTreeMap::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (log_id, entries) in &logs.logs {
        for e in entries {
            let body: ChangeBody = devs[0].open_logged(*log_id, e).unwrap().unwrap();
            if body.kind != "person" {
                continue;
            }
            for (field, value) in body.payload.fields().expect("a person is only put") {
                written
                    .entry((body.record_id, field.clone()))
                    .or_default()
                    .push((body.clock.to_string(), value.clone()));
                // What it replaced, and what a resolution settled.
                for other in body.payload.superseded(field) {
                    seen.insert(format!("{}/{field}/{other}", body.record_id));
                }
            }
        }
    }
    for ((record, field), versions) in &written {
        let idx = cases.iter().position(|c| c == record).unwrap();
        let finals = &first.0[idx];
        let final_value = match field.as_str() {
            "preferred_name" => serde_json::json!(finals.1),
            "pronouns" => serde_json::json!(finals.2),
            "full_name" => serde_json::json!(finals.0),
            _ => continue,
        };
        for (clock, value) in versions {
            let leaf = !seen.contains(&format!("{record}/{field}/{clock}"));
            if leaf && *value != final_value {
                prop_assert!(
                    lost.contains(clock),
                    "{field} = {value} at {clock} vanished without an open conflict"
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, max_shrink_iters: 50, ..ProptestConfig::default() })]

    #[test]
    fn devices_converge_and_lose_nothing(devices in 3usize..=5, ops in prop::collection::vec(op(5), 5..40)) {
        let ops = ops.into_iter().map(|o| match o {
            Op::Edit { dev, case, field, value } => Op::Edit { dev: dev % devices, case, field, value },
            Op::Note { dev, case } => Op::Note { dev: dev % devices, case },
            Op::Sync { dev, push, ack, pages } => Op::Sync { dev: dev % devices, push, ack, pages },
            Op::Resolve { dev, mine } => Op::Resolve { dev: dev % devices, mine },
        }).collect();
        run(devices, ops)?;
    }
}

/// The simplest conflict, spelled out: two devices change the same field
/// offline; both end with the higher stamp's value and the same conflict;
/// settling it on one device settles it everywhere.
#[test]
fn concurrent_edits_become_one_conflict_that_settles_everywhere() {
    let (a_dir, b_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut a, mut b) = (new_store(a_dir.path()), new_store(b_dir.path()));
    let mut logs = Logs::default();
    let case = person(&mut a, "Yasmin Example");
    sync(&mut a, &mut logs, None, true, None);
    share_case_keys(&mut a, &mut b, &[case]);
    sync(&mut b, &mut logs, None, true, None);
    for (dev, value) in [(&mut a, "Yas"), (&mut b, "Min")] {
        let mut p = dev.person(case).unwrap();
        p.preferred_name = Some(value.into());
        dev.update_person(p).unwrap();
    }
    for _ in 0..2 {
        sync(&mut a, &mut logs, None, true, None);
        sync(&mut b, &mut logs, None, true, None);
    }
    let (pa, pb) = (a.person(case).unwrap(), b.person(case).unwrap());
    assert_eq!(pa.preferred_name, pb.preferred_name);
    let (ca, cb) = (a.conflicts(true).unwrap(), b.conflicts(true).unwrap());
    assert_eq!(ca.len(), 1);
    assert_eq!(ca[0].id, cb[0].id);
    let values: BTreeSet<String> = [&ca[0].kept_value, &ca[0].lost_value]
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        values,
        BTreeSet::from(["Yas".to_owned(), "Min".to_owned()]),
        "both versions kept"
    );

    // b keeps its own value; the choice travels and closes a's conflict too.
    b.resolve_conflict(cb[0].id, Keep::Mine).unwrap();
    sync(&mut b, &mut logs, None, true, None);
    sync(&mut a, &mut logs, None, true, None);
    assert_eq!(
        a.person(case).unwrap().preferred_name.as_deref(),
        Some("Min")
    );
    assert_eq!(
        b.person(case).unwrap().preferred_name.as_deref(),
        Some("Min")
    );
    assert!(a.conflicts(true).unwrap().is_empty());
    assert!(b.conflicts(true).unwrap().is_empty());
}
