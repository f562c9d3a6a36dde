//! The `waymark` CLI as a script sees it: output, `--json`, exit codes.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const PASS: &str = "correct horse battery staple";

fn waymark(store: &Path, args: &[&str]) -> Output {
    waymark_as(store, args, PASS)
}

fn waymark_as(store: &Path, args: &[&str], passphrase: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waymark"))
        .env("WAYMARK_TEST_KDF", "cheap")
        .arg("--store")
        .arg(store)
        .args(args)
        .env("WAYMARK_PASSPHRASE", passphrase)
        .env_remove("WAYMARK_USER")
        .output()
        .unwrap()
}

fn ok(store: &Path, args: &[&str]) -> String {
    let out = waymark(store, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(store: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(store, args)).unwrap()
}

fn fails(store: &Path, args: &[&str], code: i32, message: &str) {
    let out = waymark(store, args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    assert!(
        err.contains(message),
        "{args:?}: expected {message:?} in {err}"
    );
}

#[test]
fn a_day_of_work_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("store");
    ok(&s, &["init", "--user", "amina"]);
    let case = ok(
        &s,
        &[
            "person",
            "add",
            "--name",
            "Tamsin Example",
            "--dob",
            "1988-04-01",
            "--code-word",
            "harbour",
            "--calls-safe",
            "false",
        ],
    );
    let case = case.trim();
    uuid::Uuid::parse_str(case).expect("person add prints the case id");
    let note = ok(
        &s,
        &[
            "note",
            "add",
            case,
            "--body",
            "Went with her to the housing office",
            "--type",
            "outreach",
            "--duration",
            "45",
        ],
    );
    uuid::Uuid::parse_str(note.trim()).unwrap();

    let hits = json(&s, &["search", "housing", "--json"]);
    assert_eq!(hits[0]["case_id"], case);
    assert_eq!(hits[0]["snippet"], "Went with her to the «housing» office");
    let caseload = json(&s, &["caseload", "--json"]);
    assert_eq!(caseload.as_array().unwrap().len(), 1);
    assert_eq!(caseload[0]["full_name"], "Tamsin Example");
    assert!(caseload[0]["last_contact_at"].is_string());

    let appt = ok(
        &s,
        &[
            "appointment",
            "add",
            case,
            "--at",
            "2026-01-05 10:00",
            "--agency",
            "probation",
            "--accompany",
        ],
    );
    ok(&s, &["appointment", "outcome", appt.trim(), "attended"]);
    // The timeline in the language the environment names; what people
    // wrote as written.
    let in_language = |lang: &str| {
        let out = waymark_env(
            &s,
            &["timeline", case],
            &[("WAYMARK_PASSPHRASE", PASS), ("WAYMARK_LANG", lang)],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let english = in_language("en-GB");
    assert!(
        english.contains("Outreach note: Went with her to the housing office"),
        "{english}"
    );
    assert!(
        english.contains("Appointment: Probation (Attended)"),
        "{english}"
    );
    let welsh = in_language("cy");
    assert!(
        welsh.contains("Nodyn: Allgymorth: Went with her to the housing office"),
        "{welsh}"
    );
    assert!(welsh.contains("Apwyntiad: Prawf (Wedi mynychu)"), "{welsh}");
    let agenda = json(&s, &["agenda", "--date", "2026-01-05", "--json"]);
    assert_eq!(agenda[0]["appointment"]["outcome"], "attended");
    assert_eq!(
        agenda[0]["appointment"]["starts_at"], "2026-01-05T10:00:00Z",
        "London is UTC in winter"
    );

    let revealed = json(&s, &["person", "reveal-address", case, "--json"]);
    assert!(revealed["address"].is_null(), "no address was recorded");
    let view = json(&s, &["person", "show", case, "--json"]);
    assert_eq!(view["person"]["safe_contact"]["code_word"], "harbour");
    let export = json(&s, &["export", case]);
    assert_eq!(
        export["notes"][0]["current_body"],
        "Went with her to the housing office"
    );
    let again = json(&s, &["export", case, "--json"]);
    assert_eq!(
        (&again["person"], &again["notes"]),
        (&export["person"], &export["notes"]),
        "every read takes --json"
    );
    // A reader that stops early (`export | head`): a quiet end, not a panic.
    let mut cut_short = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .env("WAYMARK_TEST_KDF", "cheap")
        .arg("--store")
        .arg(&s)
        .args(["export", case])
        .env("WAYMARK_PASSPHRASE", PASS)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(cut_short.stdout.take());
    let out = cut_short.wait_with_output().unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let audit = json(&s, &["audit", "--case", case, "--json"]);
    assert_eq!(audit[0]["action"], "export");
    let status = json(&s, &["status", "--json"]);
    assert_eq!(
        status["schema_version"],
        waymark_core::raw::SCHEMA_VERSION,
        "the store is at the newest schema"
    );
    assert!(status["sync"].is_null(), "not logged in to a server");
    assert!(status["pending_changes"].as_i64().unwrap() >= 4);
    assert_eq!(
        json(&s, &["refused", "--json"]),
        serde_json::json!({"changes": [], "recipients": [], "keys": []})
    );
    let identity = json(&s, &["identity", "--json"]);
    assert!(
        identity["confirmed_as"].is_null(),
        "no admin confirmed anyone"
    );
}

#[test]
fn bad_input_exits_2_naming_the_problem_and_other_failures_exit_1() {
    // A failed sync, for a script: a JSON error on stdout too.
    let lone = tempfile::tempdir().unwrap();
    ok(lone.path(), &["init", "--user", "amina"]);
    let out = waymark(lone.path(), &["sync", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let stopped: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stopped["error"]["kind"], "not_logged_in", "{stopped}");
    assert_eq!(stopped["ok"], false);

    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("store");
    fails(&s, &["caseload"], 2, "no Waymark store at");
    ok(&s, &["init", "--user", "amina"]);
    fails(&s, &["init", "--user", "amina"], 2, "already exists");
    let case = ok(&s, &["person", "add", "--name", "Una Example"]);
    let case = case.trim();
    let queued_before = json(&s, &["status", "--json"])["pending_changes"].clone();
    fails(
        &s,
        &["person", "add", "--name", "Late", "--dob", "2999-01-01"],
        2,
        "date_of_birth: 2999-01-01 is in the future",
    );
    fails(
        &s,
        &["note", "add", case, "--body", "x", "--type", "pigeon"],
        2,
        "\"pigeon\" is not one of: face_to_face",
    );
    // A template goes to every device: only a confirmed admin imports one.
    let template = dir.path().join("template.json");
    let mut t: Value = serde_json::from_str(include_str!(
        "../../waymark-model/templates/da-risk-checklist-v1.json"
    ))
    .unwrap();
    t["version"] = serde_json::json!(2);
    std::fs::write(&template, t.to_string()).unwrap();
    fails(
        &s,
        &["template", "import", template.to_str().unwrap()],
        2,
        "template: only an admin the organisation confirmed",
    );
    let missing = uuid::Uuid::new_v4().to_string();
    fails(
        &s,
        &["note", "add", &missing, "--body", "x"],
        2,
        &format!("no case with id {missing}"),
    );
    fails(
        &s,
        &[
            "appointment",
            "add",
            case,
            "--at",
            "2026-01-05 10:00",
            "--until",
            "2026-01-05 09:00",
            "--agency",
            "gp",
        ],
        2,
        "ends_at: ends before it starts",
    );
    fails(
        &s,
        &[
            "appointment",
            "add",
            case,
            "--at",
            "tomorrow",
            "--agency",
            "gp",
        ],
        2,
        "is not a time",
    );
    fails(
        &s,
        &[
            "assessment",
            "add",
            case,
            "--template",
            "da-risk-checklist",
            "--answer",
            "injured=yes",
        ],
        2,
        "is not answered",
    );
    fails(
        &s,
        &["search", "--", "--"],
        2,
        "query: must contain at least one letter or digit",
    );
    let big = dir.path().join("big.bin");
    std::fs::write(&big, vec![0u8; 11 * 1024 * 1024]).unwrap();
    fails(
        &s,
        &["attachment", "add", case, big.to_str().unwrap()],
        2,
        "attachment: is 11.0 MiB; the limit is 10 MiB",
    );
    // A refusal in the language the environment names: the field as the
    // CLI names it, why in Welsh; one without a reason stays English.
    let in_welsh = |args: &[&str]| {
        let out = waymark_env(
            &s,
            args,
            &[("WAYMARK_PASSPHRASE", PASS), ("WAYMARK_LANG", "cy")],
        );
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8(out.stderr).unwrap()
    };
    let said = in_welsh(&["search", "--", "--"]);
    assert_eq!(
        said.trim(),
        "waymark: query: rhaid iddo gynnwys o leiaf un llythyren neu ddigid"
    );
    let said = in_welsh(&["attachment", "add", case, big.to_str().unwrap()]);
    assert!(
        said.contains("attachment: mae'n 11.0 MiB"),
        "a size said in Welsh: {said}"
    );
    // zxcvbn's finding and advice, in Welsh too.
    let weak = waymark_env(
        &s,
        &["passphrase", "change"],
        &[
            ("WAYMARK_PASSPHRASE", PASS),
            ("WAYMARK_NEW_PASSPHRASE", "password1234"),
            ("WAYMARK_LANG", "cy"),
        ],
    );
    assert_eq!(weak.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&weak.stderr).trim(),
        "waymark: new passphrase: mae'n rhy hawdd ei ddyfalu (mae hwn yn gyfrinair cyffredin iawn): \
         ychwanegwch air neu ddau arall; mae geiriau anghyffredin yn well"
    );
    assert_eq!(
        json(&s, &["status", "--json"])["pending_changes"],
        queued_before,
        "none of the bad commands queued a change: nothing was half-written"
    );

    let out = waymark_as(&s, &["caseload"], "a wrong passphrase");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("wrong user name or passphrase for amina")
    );

    // A damaged database is a failure of the machine, not of the input.
    let db = waymark_core::Laptop::new(&s).person("amina").database();
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().take(4096) {
        *b = 0;
    }
    std::fs::write(&db, bytes).unwrap();
    let _ = std::fs::remove_file(db.with_extension("db-wal"));
    fails(&s, &["caseload"], 1, "cannot be opened with its key file");
}

#[test]
fn demo_data_fills_a_store_with_fictional_cases() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("store");
    ok(&s, &["init", "--user", "demo"]);
    let out = ok(&s, &["demo-data", "--cases", "25", "--notes-per-case", "4"]);
    assert!(out.contains("made 25 cases, 100 notes"), "{out}");
    let caseload = json(&s, &["caseload", "--json"]);
    assert_eq!(caseload.as_array().unwrap().len(), 25);
    let attention: Vec<i64> = caseload
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["attention"].as_i64().unwrap())
        .collect();
    assert!(
        attention.windows(2).all(|w| w[0] >= w[1]),
        "sorted by attention"
    );
    assert!(!json(&s, &["search", "tenancy", "--json"])
        .as_array()
        .unwrap()
        .is_empty());
    // The domestic-abuse cases show the MARAC process and safety plans.
    let (mut meetings, mut plans) = (0, 0);
    for case in caseload.as_array().unwrap() {
        let listed = json(
            &s,
            &["marac", "list", case["case_id"].as_str().unwrap(), "--json"],
        );
        meetings += listed["meetings"].as_array().unwrap().len();
        let plan = json(
            &s,
            &["safety-plan", case["case_id"].as_str().unwrap(), "--json"],
        );
        plans += usize::from(!plan.is_null());
    }
    assert!(
        meetings > 0 && plans > 0,
        "{meetings} meetings, {plans} safety plans"
    );
    let team = json(&s, &["team", "--json"]);
    assert!(team[0]["open_cases"].as_i64().unwrap() > 0, "{team}");
}

fn waymark_env(store: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_waymark"));
    c.env("WAYMARK_TEST_KDF", "cheap")
        .arg("--store")
        .arg(store)
        .args(args)
        .env_remove("WAYMARK_USER");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

#[test]
fn people_on_a_shared_laptop_each_have_their_own_store_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("laptop");
    ok(&s, &["init", "--user", "amina"]);
    ok(&s, &["person", "add", "--name", "Orla Kestrel"]);
    // Bethan is added with her own passphrase alone: no unlock, no one else's.
    let bethan = "bethan's own long passphrase";
    let out = waymark_env(
        &s,
        &["user", "add", "--name", "bethan"],
        &[("WAYMARK_NEW_PASSPHRASE", bethan)],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Without a name, the CLI asks for one and names no one.
    let out = waymark(&s, &["caseload"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("give your user name"), "{err}");
    assert!(!err.contains("amina") && !err.contains("bethan"), "{err}");
    // Bethan sees none of Amina's cases.
    let as_bethan = |args: &[&str], pass: &str| {
        let mut all = vec!["--user", "bethan"];
        all.extend_from_slice(args);
        waymark_env(&s, &all, &[("WAYMARK_PASSPHRASE", pass)])
    };
    let out = as_bethan(&["caseload", "--json"], bethan);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 0, "{rows}");
    let out = ok(&s, &["--user", "amina", "caseload"]);
    assert!(out.contains("Orla Kestrel"), "{out}");
    // Removing Bethan takes her passphrase; Amina's would not do.
    let out = waymark_env(
        &s,
        &["user", "remove", "bethan"],
        &[("WAYMARK_PASSPHRASE", PASS)],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrong user name or passphrase"));
    let out = waymark_env(
        &s,
        &["user", "remove", "bethan"],
        &[("WAYMARK_PASSPHRASE", bethan)],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(as_bethan(&["caseload"], bethan).status.code(), Some(2));
    // One person left: no name needed again.
    assert!(ok(&s, &["caseload"]).contains("Orla Kestrel"));
}

/// Incidents through the CLI: the third police call-out in twelve months
/// prompts a MARAC referral (said on stderr), decided with `incident
/// decide`; `--json` reads; bad input exits 2 naming the field.
#[test]
fn incidents_and_the_escalation_prompt_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("store");
    ok(&s, &["init", "--user", "amina"]);
    let case = ok(&s, &["person", "add", "--name", "Iris Example"]);
    let case = case.trim();
    let today = chrono::Utc::now().date_naive();
    let ago = |days: u64| (today - chrono::Days::new(days)).to_string();
    fails(
        &s,
        &[
            "incident",
            "add",
            case,
            "--on",
            &ago(1),
            "--kind",
            "shouting",
        ],
        2,
        "\"shouting\" is not one of: physical",
    );
    let future = (today + chrono::Days::new(60)).to_string();
    fails(
        &s,
        &[
            "incident", "add", case, "--on", &future, "--kind", "threats",
        ],
        2,
        "occurred_on:",
    );
    let mut prompted = String::new();
    for days in [90, 30, 2] {
        let out = waymark(
            &s,
            &[
                "incident",
                "add",
                case,
                "--on",
                &ago(days),
                "--kind",
                "physical",
                "--police-called",
                "--injuries",
            ],
        );
        assert!(out.status.success());
        prompted = String::from_utf8(out.stderr).unwrap();
    }
    assert!(
        prompted.contains("3 police call-outs in 12 months meets the escalation criterion"),
        "{prompted}"
    );
    ok(
        &s,
        &[
            "incident",
            "add",
            case,
            "--on",
            &ago(1),
            "--kind",
            "coercive_control",
        ],
    );
    let listed = json(&s, &["incident", "list", case, "--json"]);
    assert_eq!(listed["last_year"]["incidents"], 4);
    assert_eq!(listed["last_year"]["police_call_outs"], 3);
    let third = listed["incidents"][1]["id"].as_str().unwrap().to_owned();
    assert_eq!(listed["incidents"][1]["escalation"]["police_call_outs"], 3);
    assert!(listed["incidents"][0]["escalation"].is_null());
    fails(
        &s,
        &["incident", "decide", &third, "declined"],
        2,
        "because: say why",
    );
    let referral = ok(&s, &["incident", "decide", &third, "made"]);
    let referrals = json(&s, &["referral", "list", case, "--json"]);
    assert_eq!(
        referrals[0]["id"],
        referral.trim().strip_prefix("referral made: ").unwrap()
    );
    assert_eq!(referrals[0]["agency"], "marac");
    // Another MARAC referral within twelve months of that one is a repeat.
    let again = ok(
        &s,
        &[
            "referral",
            "add",
            case,
            "--agency",
            "marac",
            "--reason",
            "Seen again",
        ],
    );
    let listed = ok(&s, &["referral", "list", case]);
    let repeat_line = listed
        .lines()
        .find(|l| l.starts_with(again.trim()))
        .unwrap();
    assert!(repeat_line.contains("marac (repeat MARAC)"), "{listed}");
    assert_eq!(
        listed.matches("repeat MARAC").count(),
        1,
        "the first is not a repeat"
    );
    let text = ok(&s, &["incident", "list", case]);
    assert!(
        text.contains("last 12 months: 4 incident(s), 3 police call-out(s)"),
        "{text}"
    );
    assert!(text.contains("[MARAC prompted: made]"), "{text}");
}

/// The MARAC process and the safety plan through the CLI: a meeting on the
/// MARAC referral, its actions (bad input named, exit 2), done, its outcome;
/// the safety plan set in parts and shown; `--json` on the reads.
#[test]
fn marac_meetings_and_the_safety_plan_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("store");
    ok(&s, &["init", "--user", "amina"]);
    let case = ok(&s, &["person", "add", "--name", "Mina Example"]);
    let case = case.trim();
    let today = chrono::Utc::now().date_naive();
    let ago = |days: u64| (today - chrono::Days::new(days)).to_string();
    let referral = ok(
        &s,
        &[
            "referral",
            "add",
            case,
            "--agency",
            "marac",
            "--reason",
            "High risk",
        ],
    );
    let meeting = ok(
        &s,
        &[
            "marac",
            "meeting",
            case,
            "--on",
            &ago(10),
            "--referral",
            referral.trim(),
        ],
    );
    let meeting = meeting.trim();
    fails(
        &s,
        &[
            "marac",
            "action",
            meeting,
            "--agency",
            "polis",
            "--owner",
            "PC Jones",
            "--do",
            "Flag the address",
            "--due",
            &ago(1),
        ],
        2,
        "\"polis\" is not one of",
    );
    fails(
        &s,
        &[
            "marac",
            "action",
            meeting,
            "--agency",
            "police",
            "--owner",
            " ",
            "--do",
            "Flag the address",
            "--due",
            &ago(1),
        ],
        2,
        "owner:",
    );
    let action = ok(
        &s,
        &[
            "marac",
            "action",
            meeting,
            "--agency",
            "police",
            "--owner",
            "PC Jones",
            "--do",
            "Flag the address",
            "--due",
            &ago(1),
        ],
    );
    let due = json(&s, &["due", "--json"]);
    assert_eq!(due[0]["due"]["kind"], "marac_action_overdue", "{due}");
    ok(&s, &["marac", "done", action.trim()]);
    fails(&s, &["marac", "done", action.trim()], 2, "done already");
    ok(
        &s,
        &["marac", "outcome", meeting, "--outcome", "Actions agreed"],
    );
    let listed = json(&s, &["marac", "list", case, "--json"]);
    assert_eq!(listed["meetings"][0]["outcome"], "Actions agreed");
    assert_eq!(listed["actions"][0]["done_on"], today.to_string());
    assert!(ok(&s, &["marac", "list", case]).contains("Flag the address (police, PC Jones)"));

    // The MARAC referral form, from the risk assessment's own answers.
    let answers = dir.path().join("answers.json");
    let mut all: serde_json::Map<String, Value> = [
        "injured",
        "very_frightened",
        "fears_worse",
        "isolated",
        "low_mood",
        "recent_separation",
        "child_contact_conflict",
        "stalking",
        "pregnant_or_new_baby",
        "children_in_household",
        "children_harmed",
        "escalating",
        "controlling",
        "weapon",
        "threat_to_kill",
        "strangulation",
        "sexual_abuse",
        "others_threatened",
        "animal_cruelty",
        "financial_control",
        "substance_or_mental_health",
        "suicide_threats",
        "breached_orders",
        "criminal_history",
        "professional_judgement",
    ]
    .iter()
    .map(|q| (q.to_string(), Value::Bool(*q != "animal_cruelty")))
    .collect();
    all.insert(
        "notes".into(),
        Value::String("Seen at the van <script>".into()),
    );
    std::fs::write(&answers, serde_json::to_vec(&all).unwrap()).unwrap();
    let assessment = json(
        &s,
        &[
            "assessment",
            "add",
            case,
            "--template",
            "da-risk-checklist",
            "--answers-file",
            answers.to_str().unwrap(),
            "--json",
        ],
    );
    let form = dir.path().join("marac.html");
    ok(
        &s,
        &[
            "marac",
            "form",
            assessment["id"].as_str().unwrap(),
            "--out",
            form.to_str().unwrap(),
        ],
    );
    let html = std::fs::read_to_string(&form).unwrap();
    assert!(html.contains("Mina Example"));
    assert!(
        html.contains("<td>Seen at the van &lt;script&gt;</td>"),
        "the assessment's own words"
    );
    assert!(
        html.contains("No earlier referral recorded"),
        "the referral above came after it"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&form).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let audit = ok(&s, &["audit", "--case", case]);
    assert!(audit.contains("marac_form"), "{audit}");
    fails(
        &s,
        &["marac", "form", case, "--out", form.to_str().unwrap()],
        2,
        "no assessment with id",
    );

    assert!(ok(&s, &["safety-plan", case]).contains("No safety plan yet"));
    fails(
        &s,
        &["safety-plan", case, "--safe-places", "Her sister's"],
        2,
        "review_on:",
    );
    let review = (today + chrono::Days::new(28)).to_string();
    ok(
        &s,
        &[
            "safety-plan",
            case,
            "--safe-places",
            "Her sister's",
            "--review-on",
            &review,
        ],
    );
    let plan = json(
        &s,
        &[
            "safety-plan",
            case,
            "--code-words",
            "'Kettle on' means call 999",
            "--json",
        ],
    );
    assert_eq!(plan["code_words"], "'Kettle on' means call 999");
    assert_eq!(
        plan["safe_places"], "Her sister's",
        "a part not named stays"
    );
    let cleared = json(&s, &["safety-plan", case, "--safe-places", "", "--json"]);
    assert!(cleared["safe_places"].is_null(), "{cleared}");
    assert_eq!(plan["review_on"], review);
    assert!(ok(&s, &["safety-plan", case]).contains("code words: 'Kettle on' means call 999"));
}

#[test]
fn linked_people_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("store");
    ok(&s, &["init", "--user", "amina"]);
    let case = ok(&s, &["person", "add", "--name", "Lena Example"])
        .trim()
        .to_owned();
    fails(
        &s,
        &["link", "add", &case, "--relation", "cousin", "--name", "X"],
        2,
        "relation",
    );
    fails(
        &s,
        &[
            "link",
            "add",
            &case,
            "--relation",
            "child",
            "--name",
            "X",
            "--childrens-services",
            "maybe",
        ],
        2,
        "yes or no",
    );
    fails(
        &s,
        &["link", "add", &case, "--relation", "child", "--name", " "],
        2,
        "name",
    );
    let child = ok(
        &s,
        &[
            "link",
            "add",
            &case,
            "--relation",
            "child",
            "--name",
            "Ada Example",
            "--dob",
            "2019-04-02",
            "--lives",
            "With Lena",
            "--childrens-services",
            "yes",
        ],
    )
    .trim()
    .to_owned();
    let other = ok(
        &s,
        &[
            "link",
            "add",
            &case,
            "--relation",
            "other_party",
            "--name",
            "Victor Quarry",
            "--details",
            "Drives a blue van",
        ],
    )
    .trim()
    .to_owned();
    let listed = json(&s, &["link", "list", &case, "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    assert_eq!(listed[0]["name"], "Ada Example");
    assert_eq!(listed[0]["known_to_childrens_services"], true);
    assert_eq!(listed[1]["name"], "Other party (hidden)");
    let text = ok(&s, &["link", "list", &case]);
    assert!(text.contains("known to children's services: yes"), "{text}");
    assert!(
        !text.contains("Victor") && !text.contains("blue van"),
        "{text}"
    );
    let shown = json(&s, &["link", "reveal", &other, "--json"]);
    assert_eq!(shown[0]["name"], "Victor Quarry");
    let audit = ok(&s, &["audit", "--case", &case]);
    assert!(audit.contains("reveal_linked"), "{audit}");
    let export = ok(&s, &["export", &case]);
    assert!(!export.contains("Victor") && export.contains("Ada Example"));
    fails(
        &s,
        &[
            "link",
            "open",
            &other,
            "--source",
            "self",
            "--programme",
            "Keywork",
        ],
        2,
        "link_id",
    );
    let own = ok(
        &s,
        &[
            "link",
            "open",
            &child,
            "--source",
            "self",
            "--programme",
            "Keywork",
        ],
    )
    .trim()
    .to_owned();
    assert_eq!(
        json(&s, &["person", "show", &own, "--json"])["person"]["full_name"],
        "Ada Example"
    );
    assert_eq!(
        json(&s, &["link", "list", &case, "--json"])[0]["own_case_id"],
        own.as_str()
    );
}

#[test]
fn groups_and_tallies_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("store");
    ok(&s, &["init", "--user", "amina"]);
    let case = ok(&s, &["person", "add", "--name", "Gail Example"])
        .trim()
        .to_owned();
    let today = chrono::Utc::now().date_naive().to_string();
    fails(
        &s,
        &[
            "group",
            "add",
            "--title",
            " ",
            "--place",
            "Hall",
            "--on",
            &today,
            "--facilitators",
            "Jo",
        ],
        2,
        "title",
    );
    fails(
        &s,
        &[
            "group",
            "add",
            "--title",
            "Drop-in",
            "--place",
            "Hall",
            "--on",
            "soon",
            "--facilitators",
            "Jo",
        ],
        2,
        "--on",
    );
    let session = ok(
        &s,
        &[
            "group",
            "add",
            "--title",
            "Drop-in",
            "--place",
            "Hall",
            "--on",
            &today,
            "--facilitators",
            "Jo",
            "--note",
            "Quiet week",
        ],
    )
    .trim()
    .to_owned();
    fails(&s, &["group", "attend", &session], 2, "CASE_IDS");
    ok(&s, &["group", "attend", &session, &case]);
    let shown = json(&s, &["group", "show", &session, "--json"]);
    assert_eq!(shown["register"][0]["person_name"], "Gail Example");
    assert_eq!(shown["register"][0]["attended"], true);
    ok(&s, &["group", "attend", &session, &case, "--absent"]);
    assert!(ok(&s, &["group", "show", &session]).contains("Gail Example did not come"));
    assert_eq!(
        json(&s, &["group", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    fails(
        &s,
        &["tally", "add", "--site", "Car park", "--count", "0"],
        2,
        "count",
    );
    fails(
        &s,
        &[
            "tally",
            "add",
            "--site",
            "Car park",
            "--count",
            "3",
            "--help-given",
            "hugs",
        ],
        2,
        "help-given",
    );
    ok(
        &s,
        &[
            "tally",
            "add",
            "--site",
            "Car park",
            "--count",
            "3",
            "--help-given",
            "food",
            "--help-given",
            "hygiene",
        ],
    );
    let tallies = json(&s, &["tally", "list", "--json"]);
    assert_eq!(tallies[0]["count"], 3);
    assert_eq!(tallies[0]["help"], serde_json::json!(["food", "hygiene"]));
    assert!(ok(&s, &["tally", "list"]).contains("Car park: 3 contacts (food, hygiene)"));
}

#[test]
fn consent_decisions_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("store");
    ok(&s, &["init", "--user", "amina"]);
    let case = ok(&s, &["person", "add", "--name", "Tamsin Example"]);
    let case = case.trim();
    ok(
        &s,
        &[
            "person",
            "consent",
            case,
            "--topic",
            "share with her GP",
            "--agreed",
            "--on",
            "2026-01-05",
            "--note",
            "Dr Ahmed",
        ],
    );
    ok(
        &s,
        &[
            "person",
            "consent",
            case,
            "--topic",
            "share with housing",
            "--on",
            "2026-01-06",
        ],
    );
    fails(
        &s,
        &[
            "person",
            "consent",
            case,
            "--topic",
            "share with police",
            "--on",
            "2999-01-01",
        ],
        2,
        "consents.decided_on",
    );
    fails(
        &s,
        &["person", "consent", case, "--topic", "  "],
        2,
        "consents.topic: must not be empty",
    );
    let shown = json(&s, &["person", "show", case, "--json"]);
    let consents = &shown["person"]["consents"];
    assert_eq!(consents.as_array().map(Vec::len), Some(2), "{consents}");
    assert_eq!(consents[0]["topic"], "share with her GP");
    assert_eq!(
        (&consents[0]["agreed"], &consents[0]["note"]),
        (&Value::Bool(true), &Value::from("Dr Ahmed"))
    );
    assert_eq!(
        (&consents[1]["agreed"], &consents[1]["decided_on"]),
        (&Value::Bool(false), &Value::from("2026-01-06"))
    );

    // A referral names the consent that covers it: only one agreed.
    for (topic, agreed) in [("share with housing", false), ("share with her GP", true)] {
        let args = [
            "referral",
            "add",
            case,
            "--agency",
            "gp",
            "--reason",
            "registration",
            "--consent",
            topic,
        ];
        if agreed {
            ok(&s, &args);
        } else {
            fails(
                &s,
                &args,
                2,
                "consent_topic: is not a consent the person has agreed to",
            );
        }
    }
    let listed = ok(&s, &["referral", "list", case]);
    assert!(
        listed.contains("registration (consent: share with her GP)"),
        "{listed}"
    );
    assert_eq!(listed.lines().count(), 1, "the refused one was not written");

    // Needs, each with the day it was known.
    ok(
        &s,
        &["person", "need", case, "housing", "--since", "2026-02-03"],
    );
    ok(&s, &["person", "need", case, "finance"]);
    fails(
        &s,
        &["person", "need", case, "housing"],
        2,
        "needs: housing is listed twice",
    );
    fails(
        &s,
        &[
            "person",
            "need",
            case,
            "education_training_employment",
            "--remove",
        ],
        2,
        "need: is not one of the person's needs",
    );
    fails(&s, &["person", "need", case, "gardening"], 2, "gardening");
    ok(&s, &["person", "need", case, "finance", "--remove"]);
    let shown = ok(&s, &["person", "show", case]);
    assert!(
        shown.contains("Needs: housing (since 2026-02-03)\n"),
        "{shown}"
    );

    // A subject access export: a zip, readable by its owner alone; it needs somewhere to go.
    let sar = dir.path().join("sar.zip");
    ok(
        &s,
        &[
            "export",
            case,
            "--subject-access",
            "--out",
            sar.to_str().unwrap(),
        ],
    );
    let bytes = std::fs::read(&sar).unwrap();
    assert_eq!(&bytes[..2], b"PK", "a zip");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&sar).unwrap().permissions().mode() & 0o777,
        0o600
    );
    fails(&s, &["export", case, "--subject-access"], 2, "--out");
}

/// The CLI's messages to the person (its questions, what a command did,
/// why it refused) read in the language the environment names; what a
/// script reads (ids, JSON) does not change with it.
#[test]
fn the_cli_speaks_welsh_when_the_environment_asks() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("store");
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let out = waymark_env(&s, args, env);
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let welsh = [("WAYMARK_PASSPHRASE", PASS), ("LANG", "cy_GB.UTF-8")];
    let (code, said, _) = run(&["init", "--user", "amina"], &welsh);
    assert_eq!(code, Some(0));
    assert!(
        said.starts_with("crëwyd storfa Waymark amina ar y gliniadur hwn yn "),
        "{said}"
    );
    // In English, the same words as ever.
    let (_, said, _) = run(
        &["user", "add", "--name", "bethan"],
        &[("WAYMARK_NEW_PASSPHRASE", "bethan's own long passphrase")],
    );
    assert!(uuid::Uuid::parse_str(said.trim()).is_ok(), "an id: {said}");
    let (code, said, _) = run(
        &["passphrase", "change"],
        &[
            ("WAYMARK_PASSPHRASE", PASS),
            ("WAYMARK_NEW_PASSPHRASE", "a different long passphrase"),
            ("WAYMARK_LANG", "cy"),
            ("WAYMARK_USER", "amina"),
        ],
    );
    assert_eq!(code, Some(0));
    assert_eq!(
        said.trim(),
        "newidiwyd y cyfrinymadrodd (mae allwedd newydd i'ch storfa; ac i'ch mewngofnodi hefyd, os yw wedi'i gysylltu â gweinydd)"
    );
    // Asked for a passphrase with no terminal to ask at: why, in Welsh.
    let (code, _, err) = run(
        &["caseload"],
        &[("WAYMARK_LANG", "cy"), ("WAYMARK_USER", "amina")],
    );
    assert_eq!(code, Some(2));
    assert_eq!(
        err.trim(),
        "waymark: passphrase: gosodwch WAYMARK_PASSPHRASE neu rhedwch mewn terfynell i gael eich holi"
    );
    let (code, _, err) = run(&["caseload"], &[("WAYMARK_USER", "amina")]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err.trim(),
        "waymark: passphrase: set WAYMARK_PASSPHRASE or run in a terminal to be asked"
    );
    // Who this is on the device, in Welsh; as JSON, as ever.
    let amina = [
        ("WAYMARK_PASSPHRASE", "a different long passphrase"),
        ("WAYMARK_LANG", "cy"),
        ("WAYMARK_USER", "amina"),
    ];
    let (code, said, _) = run(&["identity"], &amina);
    assert_eq!(code, Some(0));
    assert!(
        said.starts_with("amina ar y ddyfais hon\nymadrodd olion bysedd: "),
        "{said}"
    );
    assert!(said.contains("yn aros i weinyddwr gadarnhau"), "{said}");
    let (_, said, _) = run(&["identity", "--json"], &amina);
    let identity: Value = serde_json::from_str(&said).unwrap();
    assert_eq!(identity["user"], "amina");
    // An empty list says so in the reader's language too.
    let (_, said, _) = run(&["due"], &amina);
    assert_eq!(said.trim(), "Does dim yn ddyledus.");
    let (_, said, _) = run(&["conflicts"], &amina);
    assert_eq!(said.trim(), "dim gwrthdaro");
}
