//! Measures the foundation's budgets on this machine and prints the figures
//! (`--json` for machines). Budgets: single note save p95 < 5 ms;
//! search p95 < 50 ms over 1,000,000 notes; caseload of 10,000 cases < 30 ms;
//! encrypted/plain workload ratio <= 1.25; whole note-save path vs a bare
//! insert ratio <= 2; a supervisor's team view over 2,000 cases < 200 ms.

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
    /// Cases in each of the two stores of the encrypted/plain comparison
    #[arg(long, default_value_t = 2_000)]
    compare_cases: u64,
    /// Notes per case in those two stores (100 with 10,000 cases: the
    /// comparison over the full store)
    #[arg(long, default_value_t = 20)]
    compare_notes_per_case: u64,
    #[arg(long)]
    json: bool,
    /// Measure only the large store's reads (search and caseload) and stop:
    /// for working on them with a kept --store
    #[arg(long)]
    reads_only: bool,
    /// Child mode: open the store in DIR ("encrypted" or "plain"), run
    /// WORKLOAD ("session" or "writes") ROUNDS times and print each round's
    /// seconds as JSON. Also the way to profile one side with perf.
    #[arg(long, value_names = ["KIND", "DIR", "WORKLOAD", "ROUNDS"], num_args = 4)]
    run_workload: Option<Vec<String>>,
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
/// Beside the easy queries (words of the demo sentences): rare words (the
/// bench's own notes, surnames held only by the index of names), words in
/// no note (and two common words never in one note: both lists walked to
/// the end), and short prefixes, as a search-as-you-type box sends them.
const HARDER_QUERIES: &[(&str, &[&str])] = &[
    (
        "rare word",
        &["benchmark", "Kettering", "Nettleton", "benchmark 157"],
    ),
    (
        "no hit",
        &["xylophone", "zebra crossing", "sober tenancy", "qwertyuiop"],
    ),
    ("short prefix", &["s", "co", "ho", "me"]),
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
struct Comparison {
    encrypted_min_s: f64,
    plain_min_s: f64,
    ratio_of_minimums: f64,
    ratio_of_medians: f64,
}

#[derive(Serialize)]
struct Report {
    cases: u64,
    notes: u64,
    demo_data_seconds: Option<f64>,
    store_bytes: u64,
    /// A passphrase change: every page re-keyed, in seconds.
    passphrase_change_seconds: f64,
    note_save: Stats,
    search: Stats,
    /// The harder queries, each kind on its own.
    search_harder: Vec<(String, Stats)>,
    caseload: Stats,
    /// The commissioner's report over every case (facts gathered, computed).
    report: Stats,
    /// A supervisor's team view over the comparison store's cases.
    team_cases: usize,
    team_view: Stats,
    /// The comparison's stores: cases, notes each.
    compare_store: (u64, u64),
    /// The budget's workload: a caseworker's session.
    encrypted_vs_plain_session: Comparison,
    /// Reported beside it: note saves only, the worst case for encryption.
    encrypted_vs_plain_writes_only: Comparison,
    note_save_path: Stats,
    bare_insert: Stats,
    save_path_over_bare_insert: f64,
    budgets_met: Vec<(String, bool)>,
}

fn note(case: uuid::Uuid, i: usize) -> NewNote {
    NewNote {
        case_id: case,
        body: format!(
            "Benchmark note {i}: phoned at the safe time, talked through the housing letter and the court date."
        ),
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

fn case_ids(s: &Session) -> Vec<uuid::Uuid> {
    s.caseload(&CaseloadFilter::default())
        .unwrap()
        .iter()
        .map(|e| e.case_id)
        .collect()
}

/// A caseworker's session: for each note written, look at the caseload, open
/// a case (header and timeline, both audited views, so writes too) and search.
fn session_workload(s: &mut Session) -> f64 {
    let cases = case_ids(s);
    let (took, ()) = time(|| {
        for i in 0..100 {
            let case = cases[i * 7 % cases.len()];
            s.caseload(&CaseloadFilter::default()).unwrap();
            s.open_case(case).unwrap();
            s.timeline(case).unwrap();
            s.search(QUERIES[i % QUERIES.len()], 20).unwrap();
            s.add_note(note(case, i)).unwrap();
        }
    });
    took.as_secs_f64()
}

/// Note saves back to back.
fn write_workload(s: &mut Session) -> f64 {
    let cases = case_ids(s);
    let (took, ()) = time(|| {
        for i in 0..300 {
            s.add_note(note(cases[i * 7 % cases.len()], i)).unwrap();
        }
    });
    took.as_secs_f64()
}

/// Runs a workload on each store in a process of its own, as the app would
/// (SQLite shares one page cache among every database a process has open, so
/// two stores in one process would evict each other), alternating processes;
/// compares the best rounds and the median rounds.
fn compare(enc: &Path, plain: &Path, workload: &str) -> Comparison {
    let exe = std::env::current_exe().unwrap();
    let run = |kind: &str, dir: &Path| -> Vec<f64> {
        let out = std::process::Command::new(&exe)
            .args(["--run-workload", kind, dir.to_str().unwrap(), workload, "3"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let (mut e, mut p) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        e.extend(run("encrypted", enc));
        p.extend(run("plain", plain));
    }
    e.sort_by(f64::total_cmp);
    p.sort_by(f64::total_cmp);
    let mid = e.len() / 2;
    Comparison {
        encrypted_min_s: e[0],
        plain_min_s: p[0],
        ratio_of_minimums: e[0] / p[0],
        ratio_of_medians: e[mid] / p[mid],
    }
}

/// One side of the comparison; kept (and reused) beside `--store`.
fn comparison_store(dir: &Path, encrypted: bool, cases: u64, notes_per_case: u64) {
    let pass = Passphrase::new(PASS);
    if waymark_core::Laptop::new(dir).has_people() {
        return;
    }
    let mut s = if encrypted {
        Session::create(dir, "bench", &pass).unwrap()
    } else {
        Session::create_unencrypted_for_benchmark(dir, "bench", &pass).unwrap()
    };
    let options = DemoOptions {
        cases,
        notes_per_case,
        seed: 7,
        ..Default::default()
    };
    s.demo_data(&options, &mut |_, _| {}).unwrap();
}

fn run_child(w: &[String]) {
    let (kind, dir, workload) = (&w[0], Path::new(&w[1]), &w[2]);
    let rounds: usize = w[3].parse().expect("ROUNDS is a number");
    let mut s = match kind.as_str() {
        "encrypted" => Session::unlock(dir, None, &Passphrase::new(PASS)).unwrap(),
        "plain" => Session::open_unencrypted_for_benchmark(dir, "bench").unwrap(),
        other => panic!("KIND must be encrypted or plain, not {other}"),
    };
    let run = match workload.as_str() {
        "session" => session_workload,
        "writes" => write_workload,
        other => panic!("WORKLOAD must be session or writes, not {other}"),
    };
    let times: Vec<f64> = (0..rounds).map(|_| run(&mut s)).collect();
    println!("{}", serde_json::to_string(&times).unwrap());
}

fn main() {
    let args = Args::parse();
    if let Some(w) = &args.run_workload {
        return run_child(w);
    }
    let tmp = tempfile::tempdir().unwrap();
    let store = args
        .store
        .clone()
        .unwrap_or_else(|| tmp.path().join("large"));
    let pass = Passphrase::new(PASS);
    let (mut s, demo_seconds) = if waymark_core::Laptop::new(&store).has_people() {
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
    let count = |s: &Session, sql: &str| {
        s.connection()
            .query_row(sql, [], |r| r.get::<_, i64>(0))
            .unwrap() as u64
    };
    let (cases, notes) = (
        count(&s, "SELECT count(*) FROM persons"),
        count(&s, "SELECT count(*) FROM notes"),
    );
    let ids = case_ids(&s);

    // Warm the page cache the way a worker's first minutes would.
    for q in QUERIES {
        s.search(q, 20).unwrap();
    }
    let note_save = stats(
        (0..300)
            .map(|i| time(|| s.add_note(note(ids[i * 31 % ids.len()], i)).unwrap()).0)
            .collect(),
    );
    let search = stats(
        (0..300)
            .map(|i| time(|| s.search(QUERIES[i % QUERIES.len()], 20).unwrap()).0)
            .collect(),
    );
    let search_harder: Vec<(String, Stats)> = HARDER_QUERIES
        .iter()
        .map(|(kind, queries)| {
            let samples = (0..100)
                .map(|i| time(|| s.search(queries[i % queries.len()], 20).unwrap()).0)
                .collect();
            (kind.to_string(), stats(samples))
        })
        .collect();
    // Enough samples for a p95 that holds still between runs.
    let caseload = stats(
        (0..200)
            .map(|_| time(|| s.caseload(&CaseloadFilter::default()).unwrap()).0)
            .collect(),
    );
    if args.reads_only {
        println!("store: {cases} cases, {notes} notes");
        for (name, s) in [("search", &search), ("caseload", &caseload)]
            .into_iter()
            .chain(search_harder.iter().map(|(k, s)| (k.as_str(), s)))
        {
            println!(
                "{name:<14} p50 {:.3} ms  p95 {:.3} ms  max {:.3} ms",
                s.p50_ms, s.p95_ms, s.max_ms
            );
        }
        return;
    }
    // The commissioner's report: every case's facts gathered, then computed
    // (`Session::report` adds only the role check and an audit line).
    let scope = waymark_core::report::Scope {
        from: chrono::Utc::now().date_naive() - chrono::Duration::days(365),
        to: chrono::Utc::now().date_naive(),
        programme: None,
        team: None,
    };
    let programmes = s.programmes().unwrap();
    let teams = s.teams().unwrap();
    let report_run = stats(
        (0..5)
            .map(|_| {
                time(|| {
                    let facts = waymark_core::raw::report_facts(s.connection()).unwrap();
                    waymark_core::report::compute(&facts, &programmes, &teams, &scope)
                })
                .0
            })
            .collect(),
    );
    let store_bytes = dir_size(s.store_dir());
    // A passphrase change re-keys every page (and derives two wraps); then
    // back, so a store kept with --store opens with the same passphrase.
    let changed = Passphrase::new("a changed benchmark passphrase");
    let (rekey, ()) = time(|| s.change_passphrase(&pass, &changed).unwrap());
    s.change_passphrase(&changed, &pass).unwrap();
    drop(s);

    // Encrypted vs plain: identical stores and workloads, side by side.
    let beside = |side: &str| match &args.store {
        Some(store) => store.with_extension(format!(
            "compare-{}x{}-{side}",
            args.compare_cases, args.compare_notes_per_case
        )),
        None => tmp.path().join(side),
    };
    let (enc_dir, plain_dir) = (beside("enc"), beside("plain"));
    let per_case = args.compare_notes_per_case;
    comparison_store(&enc_dir, true, args.compare_cases, per_case);
    comparison_store(&plain_dir, false, args.compare_cases, per_case);
    let session = compare(&enc_dir, &plain_dir, "session");
    let writes = compare(&enc_dir, &plain_dir, "writes");

    // The whole note-save path (SQLCipher, outbox, FTS, audit) against a bare
    // insert of the same note into a plain SQLite table, same durability.
    let mut e = Session::unlock(&enc_dir, None, &pass).unwrap();
    let small_ids = case_ids(&e);
    let save_path = stats(
        (0..500)
            .map(|i| time(|| e.add_note(note(small_ids[i % small_ids.len()], i)).unwrap()).0)
            .collect(),
    );
    // A supervisor's team view over the small store's cases (2,000 by
    // default, the team a supervisor holds).
    let team_cases = e.caseload(&CaseloadFilter::default()).unwrap().len();
    let team_view = stats((0..30).map(|_| time(|| e.team().unwrap()).0).collect());
    drop(e);
    let bare = rusqlite::Connection::open(tmp.path().join("bare.db")).unwrap();
    bare.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY;
         CREATE TABLE notes (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, occurred_at INTEGER NOT NULL,
                             contact_type TEXT NOT NULL, body TEXT NOT NULL);",
    )
    .unwrap();
    let bare_insert = stats(
        (0..500)
            .map(|i| {
                let n = note(small_ids[i % small_ids.len()], i);
                let id = uuid::Uuid::now_v7().to_string();
                time(|| {
                    bare.execute(
                        "INSERT INTO notes VALUES (?1, ?2, ?3, ?4, ?5)",
                        rusqlite::params![id, n.case_id.to_string(), 0, "phone", n.body],
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
            format!(
                "search p95 < 50 ms over {notes} notes, rare words, no hits and short prefixes"
            ),
            search_harder.iter().all(|(_, s)| s.p95_ms < 50.0),
        ),
        (
            format!("caseload of {cases} cases < 30 ms (p95)"),
            caseload.p95_ms < 30.0,
        ),
        (
            format!("report over {cases} cases < 1 s (p95)"),
            report_run.p95_ms < 1000.0,
        ),
        (
            format!("team view over {team_cases} cases < 200 ms (p95)"),
            team_view.p95_ms < 200.0,
        ),
        (
            "encrypted/plain, caseworker session <= 1.25".to_owned(),
            session.ratio_of_minimums <= 1.25,
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
        passphrase_change_seconds: rekey.as_secs_f64(),
        note_save,
        search,
        search_harder,
        caseload,
        report: report_run,
        team_cases,
        team_view,
        compare_store: (args.compare_cases, args.compare_notes_per_case),
        encrypted_vs_plain_session: session,
        encrypted_vs_plain_writes_only: writes,
        note_save_path: save_path,
        bare_insert,
        save_path_over_bare_insert: save_ratio,
        budgets_met,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report).unwrap());
    } else {
        print_report(&report);
    }
}

fn print_report(r: &Report) {
    let line = |name: &str, s: &Stats| {
        println!(
            "{name:<28} p50 {:>8.3} ms  p95 {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms  (n={})",
            s.p50_ms, s.p95_ms, s.p99_ms, s.max_ms, s.n
        )
    };
    println!(
        "store: {} cases, {} notes, {:.1} MiB",
        r.cases,
        r.notes,
        r.store_bytes as f64 / 1048576.0
    );
    if let Some(sec) = r.demo_data_seconds {
        println!("demo data generated in {sec:.1} s");
    }
    println!(
        "passphrase change (re-keys the whole store): {:.2} s",
        r.passphrase_change_seconds
    );
    line("note save", &r.note_save);
    line("full-text search (20 hits)", &r.search);
    for (kind, s) in &r.search_harder {
        line(&format!("  search, {kind}"), s);
    }
    line("caseload (all cases)", &r.caseload);
    line("report (every case)", &r.report);
    line(&format!("team view ({} cases)", r.team_cases), &r.team_view);
    for (name, c) in [
        ("caseworker session", &r.encrypted_vs_plain_session),
        ("writes only", &r.encrypted_vs_plain_writes_only),
    ] {
        println!(
            "encrypted vs plain ({} cases x {} notes), {name:<18} {:.3} s vs {:.3} s: ratio {:.3} (of medians {:.3})",
            r.compare_store.0,
            r.compare_store.1,
            c.encrypted_min_s, c.plain_min_s, c.ratio_of_minimums, c.ratio_of_medians
        );
    }
    line("note-save path", &r.note_save_path);
    line("bare insert", &r.bare_insert);
    println!(
        "note-save path / bare insert (p50): {:.2}",
        r.save_path_over_bare_insert
    );
    for (budget, met) in &r.budgets_met {
        println!("{} {budget}", if *met { "MET   " } else { "MISSED" });
    }
}
