//! Measures the foundation's budgets on this machine and prints the figures
//! (`--json` for machines). Budgets (issue 2): single note save p95 < 5 ms;
//! search p95 < 50 ms over 1,000,000 notes; caseload of 10,000 cases < 30 ms;
//! encrypted/plain workload ratio <= 1.25; whole note-save path vs a bare
//! insert ratio <= 2.

use clap::Parser;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use waymark_core::api::NewNote;
use waymark_core::demo::DemoOptions;
use waymark_core::domain::ContactType;
use waymark_core::queries::CaseloadFilter;
use waymark_core::{Passphrase, Session};

#[derive(Parser)]
#[command(about = "Waymark foundation benchmarks")]
struct Args {
    /// Cases in the large demo store
    #[arg(long, default_value_t = 10_000)]
    cases: u64,
    #[arg(long, default_value_t = 100)]
    notes_per_case: u64,
    /// Keep (and reuse) the large demo store here instead of a temp dir
    #[arg(long)]
    store: Option<PathBuf>,
    /// Cases in each of the two small stores of the encrypted/plain comparison
    #[arg(long, default_value_t = 2_000)]
    compare_cases: u64,
    #[arg(long)]
    json: bool,
}

const PASS: &str = "benchmark passphrase";
const QUERIES: &[&str] = &[
    "housing",
    "court date",
    "rent arrears",
    "sober",
    "screenshots",
    "mental health",
    "college course",
    "medication review",
    "safety plan",
    "job centre",
    "accomm",
    "magistr",
    "childcare",
    "tenancy",
    "duty line",
];

#[derive(Serialize, Default)]
struct Stats {
    n: usize,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    mean_ms: f64,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let at = |q: f64| ms(samples[((samples.len() as f64 - 1.0) * q).round() as usize]);
    Stats {
        n: samples.len(),
        p50_ms: at(0.5),
        p95_ms: at(0.95),
        p99_ms: at(0.99),
        max_ms: ms(*samples.last().unwrap()),
        mean_ms: samples.iter().map(|d| ms(*d)).sum::<f64>() / samples.len() as f64,
    }
}

#[derive(Serialize)]
struct Report {
    cases: u64,
    notes: u64,
    demo_data_seconds: Option<f64>,
    store_bytes: u64,
    note_save: Stats,
    search: Stats,
    caseload: Stats,
    encrypted_workload_s: f64,
    plain_workload_s: f64,
    encrypted_over_plain: f64,
    note_save_path: Stats,
    bare_insert: Stats,
    save_path_over_bare_insert: f64,
    budgets_met: Vec<(String, bool)>,
}

fn note(case: uuid::Uuid, i: usize) -> NewNote {
    NewNote {
        case_id: case,
        body: format!("Benchmark note {i}: phoned at the safe time, talked through the housing letter and the court date."),
        contact_type: ContactType::Phone,
        occurred_at: None,
        duration_minutes: Some(15),
        location: None,
    }
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed(), out)
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |d| {
        d.flatten()
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum()
    })
}

/// The same mixed workload (saves, searches, caseload reads) on one store.
fn workload(s: &mut Session) -> f64 {
    let cases: Vec<uuid::Uuid> = s
        .caseload(&CaseloadFilter::default())
        .unwrap()
        .iter()
        .map(|e| e.case_id)
        .collect();
    let (took, ()) = time(|| {
        for i in 0..300 {
            s.add_note(note(cases[i % cases.len()], i)).unwrap();
            if i % 3 == 0 {
                s.search(QUERIES[i % QUERIES.len()], 20).unwrap();
            }
            if i % 30 == 0 {
                s.caseload(&CaseloadFilter::default()).unwrap();
            }
        }
    });
    took.as_secs_f64()
}

fn small_store(dir: &Path, encrypted: bool, cases: u64) -> Session {
    let pass = Passphrase::new(PASS);
    let mut s = if encrypted {
        Session::create(dir, "bench", &pass).unwrap()
    } else {
        Session::create_unencrypted_for_benchmark(dir, "bench", &pass).unwrap()
    };
    let options = DemoOptions {
        cases,
        notes_per_case: 20,
        seed: 7,
        ..Default::default()
    };
    s.demo_data(&options, &mut |_, _| {}).unwrap();
    s
}

fn main() {
    let args = Args::parse();
    let tmp = tempfile::tempdir().unwrap();
    let store = args
        .store
        .clone()
        .unwrap_or_else(|| tmp.path().join("large"));
    let pass = Passphrase::new(PASS);
    let (mut s, demo_seconds) = if store.join("keys.json").exists() {
        (Session::unlock(&store, None, &pass).unwrap(), None)
    } else {
        let mut s = Session::create(&store, "bench", &pass).unwrap();
        let options = DemoOptions {
            cases: args.cases,
            notes_per_case: args.notes_per_case,
            seed: 1,
            ..Default::default()
        };
        let report = s
            .demo_data(&options, &mut |done, total| {
                if !args.json && done % 100_000 < 4000 {
                    eprint!("\rdemo data: {done}/{total} notes");
                }
            })
            .unwrap();
        eprintln!();
        (s, Some(report.seconds))
    };
    let count = |sql: &str| {
        s.connection()
            .query_row(sql, [], |r| r.get::<_, i64>(0))
            .unwrap() as u64
    };
    let (cases, notes) = (
        count("SELECT count(*) FROM persons"),
        count("SELECT count(*) FROM notes"),
    );
    let case_ids: Vec<uuid::Uuid> = s
        .caseload(&CaseloadFilter::default())
        .unwrap()
        .iter()
        .map(|e| e.case_id)
        .collect();

    // Warm the page cache the way a worker's first minutes would.
    for q in QUERIES {
        s.search(q, 20).unwrap();
    }
    let note_save = stats(
        (0..300)
            .map(|i| {
                time(|| {
                    s.add_note(note(case_ids[i * 31 % case_ids.len()], i))
                        .unwrap()
                })
                .0
            })
            .collect(),
    );
    let search = stats(
        (0..300)
            .map(|i| time(|| s.search(QUERIES[i % QUERIES.len()], 20).unwrap()).0)
            .collect(),
    );
    let caseload = stats(
        (0..30)
            .map(|_| time(|| s.caseload(&CaseloadFilter::default()).unwrap()).0)
            .collect(),
    );
    let store_bytes = dir_size(&store);
    drop(s);

    // Encrypted vs plain: identical stores and workload, alternated, best of 3.
    let mut enc = Vec::new();
    let mut plain = Vec::new();
    {
        let mut e = small_store(&tmp.path().join("enc"), true, args.compare_cases);
        let mut p = small_store(&tmp.path().join("plain"), false, args.compare_cases);
        for _ in 0..3 {
            enc.push(workload(&mut e));
            plain.push(workload(&mut p));
        }
    }
    let best = |v: &[f64]| v.iter().cloned().fold(f64::MAX, f64::min);
    let (enc_s, plain_s) = (best(&enc), best(&plain));

    // The whole note-save path against a bare insert of the same note into a
    // plain SQLite table with the same durability settings.
    let mut e = Session::unlock(&tmp.path().join("enc"), None, &pass).unwrap();
    let cases_small: Vec<uuid::Uuid> = e
        .caseload(&CaseloadFilter::default())
        .unwrap()
        .iter()
        .map(|x| x.case_id)
        .collect();
    let save_path = stats(
        (0..500)
            .map(|i| {
                time(|| {
                    e.add_note(note(cases_small[i % cases_small.len()], i))
                        .unwrap()
                })
                .0
            })
            .collect(),
    );
    let bare = rusqlite::Connection::open(tmp.path().join("bare.db")).unwrap();
    bare.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY;
         CREATE TABLE notes (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, occurred_at INTEGER NOT NULL, contact_type TEXT NOT NULL, body TEXT NOT NULL);",
    )
    .unwrap();
    let bare_insert = stats(
        (0..500)
            .map(|i| {
                let n = note(cases_small[i % cases_small.len()], i);
                time(|| {
                    bare.execute(
                        "INSERT INTO notes VALUES (?1, ?2, ?3, ?4, ?5)",
                        rusqlite::params![
                            uuid::Uuid::new_v4().to_string(),
                            n.case_id.to_string(),
                            0,
                            "phone",
                            n.body
                        ],
                    )
                    .unwrap()
                })
                .0
            })
            .collect(),
    );
    let save_ratio = save_path.p50_ms / bare_insert.p50_ms;

    let budgets_met = vec![
        ("note save p95 < 5 ms".to_owned(), note_save.p95_ms < 5.0),
        (
            format!("search p95 < 50 ms over {notes} notes"),
            search.p95_ms < 50.0,
        ),
        (
            format!("caseload of {cases} cases < 30 ms (p95)"),
            caseload.p95_ms < 30.0,
        ),
        (
            "encrypted/plain <= 1.25".to_owned(),
            enc_s / plain_s <= 1.25,
        ),
        (
            "note-save path / bare insert <= 2".to_owned(),
            save_ratio <= 2.0,
        ),
    ];
    let report = Report {
        cases,
        notes,
        demo_data_seconds: demo_seconds,
        store_bytes,
        note_save,
        search,
        caseload,
        encrypted_workload_s: enc_s,
        plain_workload_s: plain_s,
        encrypted_over_plain: enc_s / plain_s,
        note_save_path: save_path,
        bare_insert,
        save_path_over_bare_insert: save_ratio,
        budgets_met,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report).unwrap());
        return;
    }
    let line = |name: &str, s: &Stats| {
        println!(
            "{name:<28} p50 {:>8.3} ms  p95 {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms  (n={})",
            s.p50_ms, s.p95_ms, s.p99_ms, s.max_ms, s.n
        )
    };
    println!(
        "store: {} cases, {} notes, {:.1} MiB",
        report.cases,
        report.notes,
        report.store_bytes as f64 / 1048576.0
    );
    if let Some(sec) = report.demo_data_seconds {
        println!("demo data generated in {sec:.1} s");
    }
    line("note save", &report.note_save);
    line("full-text search (20 hits)", &report.search);
    line("caseload (all cases)", &report.caseload);
    println!(
        "mixed workload encrypted {:.3} s vs plain {:.3} s: ratio {:.3}",
        enc_s, plain_s, report.encrypted_over_plain
    );
    line("note-save path", &report.note_save_path);
    line("bare insert", &report.bare_insert);
    println!("note-save path / bare insert (p50): {:.2}", save_ratio);
    for (budget, met) in &report.budgets_met {
        println!("{} {budget}", if *met { "MET   " } else { "MISSED" });
    }
}
