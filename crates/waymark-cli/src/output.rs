//! How each read prints: `--json` for scripts, plain text for people.
//! Times print in Europe/London.

use chrono::{DateTime, Utc};
use serde::Serialize;
use waymark_core::domain::*;
use waymark_core::queries::*;
use waymark_core::{Error, Session};
use waymark_l10n::FluentValue;

/// One line on stdout; see `say!`.
pub fn write_line(line: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(line).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        let error = e.to_string();
        eprintln!(
            "waymark: {}",
            said("cli-cannot-write", &[("error", error.into())])
        );
        std::process::exit(1);
    }
}

thread_local! {
    static TEXTS: waymark_l10n::Texts = texts();
}

/// One of the CLI's own messages to the person, in their language (see
/// `texts`). What scripts read (ids, JSON, listings' columns) stays as is.
pub fn said(id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    // Never a panic of its own (it serves the panic hook too): a thread
    // being torn down gets the message's id.
    TEXTS
        .try_with(|texts| texts.text_with(id, args))
        .unwrap_or_else(|_| id.to_owned())
}

/// A message of the CLI's own (`said`) as one line on stdout.
pub fn tell(id: &str, args: &[(&str, FluentValue<'_>)]) {
    say!("{}", said(id, args));
}

fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::London)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The words of the language the person's environment names
/// (`WAYMARK_LANG`, else the POSIX locale), English otherwise.
pub fn texts() -> waymark_l10n::Texts {
    let named = ["WAYMARK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty());
    let language = named
        .as_deref()
        .and_then(waymark_l10n::Language::from_code)
        .unwrap_or(waymark_l10n::Language::English);
    waymark_l10n::Texts::new(language)
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "-".to_owned(), T::to_string)
}

fn emit<T: Serialize + ?Sized>(value: &T, json: bool, text: impl FnOnce()) -> Result<(), Error> {
    if json {
        say!(
            "{}",
            serde_json::to_string_pretty(value).map_err(|e| Error::Storage(e.to_string()))?
        );
    } else {
        text();
    }
    Ok(())
}

pub fn status(s: &Session, json: bool) -> Result<(), Error> {
    let value = serde_json::json!({
        "store": s.store_dir(),
        "device_id": s.device_id(),
        "user": s.user().name,
        "schema_version": s.schema_version()?,
        "pending_changes": s.pending_changes()?,
        "sync": s.sync_account()?.map(|a| serde_json::json!({
            "server": a.server_url,
            "user": a.server_user,
            "role": a.role,
            "last_synced": a.synced_at_ms.and_then(chrono::DateTime::from_timestamp_millis).map(local),
            "open_conflicts": s.conflicts(true).map(|c| c.len()).unwrap_or(0),
            "held_for_upgrade": s.held_for_upgrade().unwrap_or(0),
            "awaiting_key": s.awaiting_key().unwrap_or(0),
            "refused_changes": s.refused_changes().unwrap_or_default(),
            "refused_recipients": s.refused_recipients().unwrap_or_default(),
            "tombstones_waiting": s.tombstone_counts().map(|c| c.0).unwrap_or(0),
            "records_purged": s.tombstone_counts().map(|c| c.1).unwrap_or(0),
            "unsynced_cases": s.unsynced_by_case().unwrap_or_default(),
        })),
    });
    emit(&value, json, || {
        for (k, v) in value.as_object().unwrap() {
            say!(
                "{k}: {}",
                v.as_str().map_or_else(|| v.to_string(), str::to_owned)
            );
        }
    })
}

pub fn refused(
    list: &[waymark_core::e2e::RefusedChange],
    recipients: &[waymark_core::trust::RefusedRecipient],
    keys: &[waymark_core::trust::RefusedKey],
    json: bool,
) -> Result<(), Error> {
    let value = serde_json::json!({ "changes": list, "recipients": recipients, "keys": keys });
    emit(&value, json, || {
        if list.is_empty() {
            tell("cli-no-refused-changes", &[]);
        }
        if recipients.is_empty() {
            tell("cli-no-refused-recipients", &[]);
        }
        for k in keys {
            say!(
                "{}  case key of {} (epoch {}): held aside, never opened ({})",
                local(k.refused_at),
                k.log_id,
                k.epoch,
                k.reason
            );
        }
        for r in recipients {
            say!(
                "recipient key {}: never sealed to ({}; last listed by the server {})",
                &r.recipient_key[..16.min(r.recipient_key.len())],
                r.reason,
                local(r.last_refused_at)
            );
        }
        for r in list {
            say!(
                "{}  log {} seq {}  change {}  ({} bytes kept): {}",
                local(r.refused_at),
                r.log_id,
                r.seq,
                r.change_id,
                r.bytes,
                r.reason
            );
        }
    })
}

pub fn identity(id: &waymark_core::identity::Identity, json: bool) -> Result<(), Error> {
    emit(id, json, || {
        tell("cli-identity-here", &[("user", id.user.as_str().into())]);
        tell(
            "cli-identity-phrase",
            &[("phrase", id.fingerprint_phrase.as_str().into())],
        );
        match id.confirmed_as {
            Some(role) => tell("cli-identity-confirmed", &[("role", role.as_str().into())]),
            None => tell("cli-identity-waiting", &[]),
        }
    })
}

pub fn confirmed(c: &waymark_sync::Confirmed, json: bool) -> Result<(), Error> {
    emit(c, json, || {
        let mut args = vec![
            ("user", c.user.as_str().into()),
            ("role", c.role.as_str().into()),
            ("phrase", c.fingerprint_phrase.as_str().into()),
        ];
        let id = match c.team.as_deref() {
            Some(team) => {
                args.push(("team", team.into()));
                "cli-confirmed-in-team"
            }
            None => "cli-confirmed",
        };
        tell(id, &args)
    })
}

pub fn devices(list: &[waymark_core::identity::ListedDevice], json: bool) -> Result<(), Error> {
    emit(list, json, || {
        for d in list {
            say!(
                "{}  {}  {}{}  identity {}{}  {}",
                d.device_id,
                d.user,
                d.label,
                if d.revoked { " (revoked)" } else { "" },
                d.fingerprint_phrase.as_deref().unwrap_or("none registered"),
                if d.fingerprint_phrase.is_some() && !d.key_vouched {
                    "  (its signature over the device's key does NOT hold)"
                } else {
                    ""
                },
                match d.confirmed_as {
                    Some(role) => format!("confirmed as {}", role.as_str()),
                    None => "waiting for an admin to confirm".to_owned(),
                }
            );
        }
    })
}

/// Where an erasure stands after `erase-case`.
pub fn erasure(answer: &waymark_protocol::Erasure, json: bool) -> Result<(), Error> {
    use waymark_protocol::{ErasureRule, ErasureState};
    let when = |ms: Option<i64>| {
        ms.and_then(DateTime::from_timestamp_millis)
            .map(local)
            .unwrap_or_default()
    };
    emit(answer, json, || {
        let id = match (answer.state, answer.rule) {
            (ErasureState::Erased, _) => "cli-erased",
            (ErasureState::Requested, ErasureRule::SecondPerson) => "cli-erasure-second-person",
            (ErasureState::Requested, ErasureRule::Grace) => "cli-erasure-grace",
        };
        let case = answer.log_id.to_string();
        tell(
            id,
            &[
                ("case", case.into()),
                ("when", when(answer.due_at_ms).into()),
            ],
        )
    })
}

/// The erasures waiting, and the organisation's rule.
pub fn erasures(list: &waymark_protocol::ErasuresResponse, json: bool) -> Result<(), Error> {
    emit(list, json, || {
        say!("rule: {} ({} hours)", list.rule.as_str(), list.hours);
        for p in &list.pending {
            say!(
                "{}  asked by {} at {}  {} {}",
                p.log_id,
                p.requested_by,
                DateTime::from_timestamp_millis(p.requested_at_ms)
                    .map(local)
                    .unwrap_or_default(),
                match p.rule {
                    waymark_protocol::ErasureRule::SecondPerson => "lapses unless confirmed at",
                    waymark_protocol::ErasureRule::Grace => "runs at",
                },
                DateTime::from_timestamp_millis(p.due_at_ms)
                    .map(local)
                    .unwrap_or_default()
            );
        }
    })
}

pub fn case_access(access: &waymark_protocol::CaseAccess, json: bool) -> Result<(), Error> {
    emit(access, json, || {
        say!(
            "keyworker: {}",
            access.keyworker.as_deref().unwrap_or("(none)")
        );
        say!("team: {}", access.team.as_deref().unwrap_or("(none)"));
        if access.shared_with.is_empty() {
            tell("cli-shared-with-no-one", &[]);
        } else {
            let named: Vec<String> = access
                .shared_with
                .iter()
                .map(|u| match access.volunteers.contains(u) {
                    true => format!("{u} (volunteer)"),
                    false => u.clone(),
                })
                .collect();
            say!("shared with: {}", named.join(", "));
        }
    })
}

/// How to reach someone safely, in one line.
fn safe_contact_line(c: &waymark_core::domain::SafeContact) -> String {
    let yes_no = |v: Option<bool>| match v {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "not recorded",
    };
    let mut line = format!(
        "calls {}, texts {}, voicemail {}",
        yes_no(c.calls_safe),
        yes_no(c.texts_safe),
        yes_no(c.voicemail_safe)
    );
    if let Some(t) = &c.safe_times {
        line.push_str(&format!("; safe times: {t}"));
    }
    if let Some(i) = &c.instructions {
        line.push_str(&format!("; {i}"));
    }
    line
}

pub fn allocated(
    rows: &[waymark_core::model::views::AllocatedCase],
    json: bool,
) -> Result<(), Error> {
    emit(rows, json, || {
        if rows.is_empty() {
            tell("cli-none-allocated", &[]);
        }
        for r in rows {
            say!("{} {}", r.brief.case_id, r.brief.name);
            say!(
                "  phone: {}; {}",
                r.brief.phone.as_deref().unwrap_or("(none)"),
                safe_contact_line(&r.brief.safe_contact)
            );
            if let Some(a) = &r.next_appointment {
                say!(
                    "  next: {} at {}",
                    a.starts_at.format("%Y-%m-%d %H:%M"),
                    a.place.as_deref().unwrap_or("(no place)")
                );
            }
        }
    })
}

pub fn allocated_case(
    view: &waymark_core::model::views::AllocatedCaseView,
    json: bool,
) -> Result<(), Error> {
    emit(view, json, || {
        let b = &view.brief;
        say!("{} (case {})", b.name, b.case_id);
        say!("Phone: {}", b.phone.as_deref().unwrap_or("(none)"));
        say!("Contact: {}", safe_contact_line(&b.safe_contact));
        say!("Appointments:");
        if view.appointments.is_empty() {
            say!("  none");
        }
        for a in &view.appointments {
            say!(
                "  {} {} at {}{}",
                a.id,
                a.starts_at.format("%Y-%m-%d %H:%M"),
                a.place.as_deref().unwrap_or("(no place)"),
                a.outcome
                    .map(|o| format!(" - {}", o.as_str()))
                    .unwrap_or_default()
            );
        }
        say!("Your notes:");
        if view.own_notes.is_empty() {
            say!("  none");
        }
        for n in &view.own_notes {
            say!(
                "  {} {}: {}",
                n.id,
                n.occurred_at.format("%Y-%m-%d"),
                n.body
            );
        }
    })
}

pub fn team(rows: &[waymark_core::model::views::TeamMember], json: bool) -> Result<(), Error> {
    emit(rows, json, || {
        say!(
            "{:<20} {:>5} {:>9} {:>15} {:>18} {:>10} {:>9} {:>9} {:>11}",
            "keyworker",
            "open",
            "high risk",
            "reviews overdue",
            "follow-ups overdue",
            "conditions",
            "undecided",
            "sign-offs",
            "no contact"
        );
        for r in rows {
            say!(
                "{:<20} {:>5} {:>9} {:>15} {:>18} {:>10} {:>9} {:>9} {:>11}",
                r.keyworker.as_deref().unwrap_or("(no keyworker)"),
                r.open_cases,
                r.high_risk,
                r.overdue_reviews,
                r.overdue_follow_ups,
                r.conditions_due,
                r.undecided_prompts,
                r.sign_offs_pending,
                r.no_recent_contact
            );
        }
        say!(
            "conditions: overdue or missed; undecided: referral prompts; sign-offs: waiting for a supervisor; no contact: open cases with none in {} days",
            waymark_core::model::views::TeamMember::NO_CONTACT_DAYS
        );
    })
}

pub fn caseload(rows: &[CaseloadEntry], json: bool) -> Result<(), Error> {
    emit(rows, json, || {
        say!(
            "{:<36}  {:<24} {:<12} {:<8} {:>5} {:<16} {:<16} {:<10}",
            "case",
            "name",
            "keyworker",
            "risk",
            "flags",
            "last contact",
            "next appt",
            "review"
        );
        for r in rows {
            let name = r
                .preferred_name
                .as_ref()
                .map_or(r.full_name.clone(), |p| format!("{} ({p})", r.full_name));
            let review = match r.next_review_on {
                Some(d) if r.review_overdue => format!("{d} OVERDUE"),
                d => opt(&d),
            };
            say!(
                "{}  {:<24} {:<12} {:<8} {:>5} {:<16} {:<16} {}",
                r.case_id,
                name.chars().take(24).collect::<String>(),
                opt(&r.keyworker).chars().take(12).collect::<String>(),
                opt(&r.risk_level),
                r.open_flags,
                r.last_contact_at.map_or("never".into(), local),
                r.next_appointment_at.map_or("-".into(), local),
                review
            );
        }
        say!("{} cases", rows.len());
    })
}

pub fn case_view(v: &CaseView, json: bool) -> Result<(), Error> {
    emit(v, json, || {
        let p = &v.person;
        say!(
            "{}{}",
            p.full_name,
            p.preferred_name
                .as_ref()
                .map_or(String::new(), |n| format!(" (\"{n}\")"))
        );
        say!("case {}  risk: {}", p.id, opt(&v.risk_level));
        for f in &v.open_flags {
            say!(
                "FLAG: {}{}",
                f.kind,
                f.detail
                    .as_ref()
                    .map_or(String::new(), |d| format!(": {d}"))
            );
        }
        let sc = &p.safe_contact;
        let yn = |b: Option<bool>| b.map_or("unknown", |b| if b { "yes" } else { "NO" });
        say!(
            "Safe contact: calls {}, texts {}, voicemail {}; times: {}; code word: {}",
            yn(sc.calls_safe),
            yn(sc.texts_safe),
            yn(sc.voicemail_safe),
            opt(&sc.safe_times),
            opt(&sc.code_word)
        );
        if let Some(i) = &sc.instructions {
            say!("  {i}");
        }
        say!("Address: {}", opt(&v.address_shown));
        say!(
            "Born: {}  Pronouns: {}  Phone: {}",
            opt(&p.date_of_birth),
            opt(&p.pronouns),
            opt(&p.phone)
        );
        let needs: Vec<String> = p
            .needs
            .iter()
            .map(|n| match n.since {
                Some(since) => format!("{} (since {since})", n.area),
                None => n.area.to_string(),
            })
            .collect();
        say!("Needs: {}", needs.join(", "));
        for e in &v.episodes {
            let route = e.route.map(|r| format!(", {r}")).unwrap_or_default();
            say!(
                "Episode {}: {} ({}{route}), {}, keyworker {}, opened {}",
                e.id,
                e.programme,
                e.status,
                StageMove::current(e.id, &v.stage_moves).label(),
                e.keyworker,
                e.opened_on
            );
            for m in v.stage_moves.iter().filter(|m| m.episode_id == e.id) {
                say!("  {} {}", m.moved_on, m.stage.label());
            }
        }
    })
}

pub fn stage_move(m: &StageMove, json: bool) -> Result<(), Error> {
    emit(m, json, || {
        say!(
            "Episode {} {} on {}",
            m.episode_id,
            m.stage.label(),
            m.moved_on
        )
    })
}

pub fn note_history(h: &NoteHistory, json: bool) -> Result<(), Error> {
    let by = |who: &Option<String>| {
        who.as_deref()
            .map(|w| format!(" by {w}"))
            .unwrap_or_default()
    };
    emit(h, json, || {
        say!(
            "{} note, {}{}: {}",
            h.note.contact_type,
            local(h.note.occurred_at),
            by(&h.written_by),
            h.note.body
        );
        for (a, who) in h.amendments.iter().zip(&h.amended_by) {
            say!(
                "amended {}{} ({}): {}",
                local(a.amended_at),
                by(who),
                a.reason,
                a.body
            );
        }
    })
}

pub fn plan(goals: &[GoalView], json: bool) -> Result<(), Error> {
    emit(goals, json, || {
        for g in goals {
            say!(
                "Goal {} [{}] {}: {} (review {})",
                g.goal.id,
                g.goal.status,
                g.goal.need_area,
                g.goal.description,
                opt(&g.goal.review_on)
            );
            for a in &g.actions {
                say!(
                    "  action {}: {} — {} due {} done {}",
                    a.id,
                    a.description,
                    a.owner,
                    opt(&a.due_on),
                    opt(&a.done_on)
                );
            }
            let points: Vec<String> = g
                .ratings
                .iter()
                .map(|r| format!("{} {}", r.rated_on, r.rating))
                .collect();
            if !points.is_empty() {
                say!("  ratings: {}", points.join(", "));
            }
        }
    })
}

pub fn agenda(rows: &[AgendaEntry], json: bool) -> Result<(), Error> {
    emit(rows, json, || {
        for r in rows {
            let a = &r.appointment;
            say!(
                "{}  {:<20} {:<14} {}{}{}",
                local(a.starts_at),
                r.person_name,
                a.agency.as_str(),
                opt(&a.place),
                if a.accompany { " (accompany)" } else { "" },
                a.outcome.map_or(String::new(), |o| format!(" [{o}]"))
            );
        }
        say!("{} appointments", rows.len());
    })
}

pub fn programme(p: &Programme, json: bool) -> Result<(), Error> {
    emit(p, json, || say!("{}", programme_line(p)))
}

pub fn programmes(list: &[Programme], json: bool) -> Result<(), Error> {
    emit(list, json, || {
        list.iter().for_each(|p| say!("{}", programme_line(p)))
    })
}

fn programme_line(p: &Programme) -> String {
    let mut line = format!("{} ({})", p.name, p.kind);
    if let Some(weeks) = p.planned_weeks {
        line += &format!(", {weeks} weeks");
    }
    if !p.follow_up_months.is_empty() {
        let months: Vec<String> = p.follow_up_months.iter().map(i64::to_string).collect();
        line += &format!(", follow-ups at {} months", months.join(" and "));
    }
    if !p.outcome_areas.is_empty() {
        line += &format!("; outcome areas: {}", p.outcome_areas.join(", "));
    }
    if p.retired {
        line += " [retired]";
    }
    line
}

/// The report as text: each table as published, a share beside each
/// yes/no line where both its counts are shown.
pub fn report(r: &waymark_core::report::Report, json: bool) -> Result<(), Error> {
    use waymark_core::report::Figure;
    emit(r, json, || {
        say!(
            "Report for {} to {}, {}, from the {} cases this device holds",
            r.scope.from,
            r.scope.to,
            r.scope.covers(),
            r.cases_held
        );
        tell("cli-small-numbers", &[]);
        for section in &r.sections {
            say!("\n== {} ==", section.title);
            for b in &section.breakdowns {
                let t = &b.table;
                say!("\n{}", b.title);
                let width = t
                    .rows
                    .iter()
                    .map(|r| r.chars().count())
                    .max()
                    .unwrap_or(0)
                    .max(5);
                let words = |s: &str| s.replace('_', " ");
                let head: Vec<String> = t
                    .columns
                    .iter()
                    .map(|c| format!("{:>12}", words(c)))
                    .collect();
                say!("  {:width$} {} {:>8}", "", head.join(" "), "total");
                for (i, row) in t.rows.iter().enumerate() {
                    let cells: Vec<String> = t.cells[i]
                        .iter()
                        .map(|f| format!("{:>12}", f.to_string()))
                        .collect();
                    let share = match (t.columns.as_slice(), t.cells[i].as_slice(), t.row_totals[i])
                    {
                        ([y, _], [Figure::Count(yes), _], Figure::Count(all))
                            if y == "yes" && all > 0 =>
                        {
                            format!("  ({:.0}%)", 100.0 * *yes as f64 / all as f64)
                        }
                        _ => String::new(),
                    };
                    let row = words(row);
                    say!(
                        "  {row:width$} {} {:>8}{share}",
                        cells.join(" "),
                        t.row_totals[i].to_string()
                    );
                }
                if !b.rows_overlap {
                    let totals: Vec<String> = t
                        .column_totals
                        .iter()
                        .map(|f| format!("{:>12}", f.to_string()))
                        .collect();
                    say!(
                        "  {:width$} {} {:>8}",
                        "total",
                        totals.join(" "),
                        t.total.to_string()
                    );
                }
            }
            for m in &section.measures {
                say!("\n{}: {}, n = {}", m.title, m.shown(), m.n);
            }
        }
    })
}

/// A record just written: its JSON, or its id.
pub fn recorded<T: Serialize>(record: &T, id: uuid::Uuid, json: bool) -> Result<(), Error> {
    emit(record, json, || say!("{id}"))
}

pub fn outcomes(o: &CaseOutcomes, json: bool) -> Result<(), Error> {
    emit(o, json, || {
        for r in &o.statuses {
            say!("{} {}: {} ({})", r.recorded_on, r.area, r.value, r.point);
        }
        for r in &o.area_ratings {
            say!("{} {} rated {}/10", r.rated_on, r.area, r.rating);
        }
        for g in &o.support {
            let amount = g
                .amount_pence
                .map(|p| format!(" £{}.{:02}", p / 100, p % 100))
                .unwrap_or_default();
            say!("{} support given: {}{amount}", g.given_on, g.kind);
        }
        for f in &o.feedback {
            let score = f
                .satisfaction
                .map(|s| format!(" {s}/5"))
                .unwrap_or_default();
            say!(
                "{} feedback:{score} {}",
                f.given_on,
                f.words.as_deref().unwrap_or("")
            );
        }
        if o.equality.is_some() {
            tell("cli-equality-recorded", &[]);
        }
    })
}

pub fn conditions(list: &[Condition], json: bool) -> Result<(), Error> {
    emit(list, json, || {
        list.iter().for_each(|c| say!("{}", condition_line(c)))
    })
}

fn condition_line(c: &Condition) -> String {
    let mut line = format!("{} {}", c.id, c.kind);
    if let Some(d) = &c.detail {
        line += &format!(" ({d})");
    }
    line += &format!(", due {}: {}", c.due_on, c.status);
    if let Some(on) = c.status_on {
        line += &format!(" on {on}");
    }
    if let Some(n) = &c.note {
        line += &format!(" ({n})");
    }
    line
}

pub fn follow_ups(list: &[FollowUp], json: bool) -> Result<(), Error> {
    emit(list, json, || list.iter().for_each(follow_up_line))
}

fn follow_up_line(f: &FollowUp) {
    let offence = match (&f.offence, f.offence_on) {
        (Some(what), Some(on)) => format!(": {what} on {on}"),
        _ => String::new(),
    };
    say!(
        "{}-month follow-up of episode {}, checked {}: {}{offence}",
        f.months,
        f.episode_id,
        f.checked_on,
        f.result
    )
}

pub fn due(items: &[DueItem], json: bool) -> Result<(), Error> {
    emit(items, json, || {
        if items.is_empty() {
            tell("cli-nothing-due", &[]);
        }
        for i in items {
            let what = match &i.due {
                Due::ConditionOverdue { condition } => {
                    format!(
                        "condition overdue, record met or missed: {}",
                        condition_line(condition)
                    )
                }
                Due::ConditionMissed { condition } => {
                    format!(
                        "condition missed, decide on a breach: {}",
                        condition_line(condition)
                    )
                }
                Due::FollowUp {
                    episode_id,
                    programme,
                    months,
                } => format!("{months}-month follow-up of {programme} (episode {episode_id})"),
                Due::AssessmentPrompt {
                    assessment_id,
                    prompt,
                } => format!(
                    "undecided, make it or say why not (assessment decide {assessment_id}): {}",
                    prompt.text
                ),
                Due::EscalationPrompt {
                    incident_id,
                    prompt,
                    ..
                } => format!(
                    "undecided, make it or say why not (incident decide {incident_id}): {}",
                    prompt.text
                ),
                Due::MaracActionOverdue { action } => format!(
                    "MARAC action overdue (marac done {}): {}, {} by {}",
                    action.id, action.action, action.owner, action.due_on
                ),
                Due::SafetyPlanReview { review_on } => {
                    format!("safety plan review was due on {review_on} (safety-plan)")
                }
                Due::SupervisionAction {
                    note_id,
                    action_index,
                    action,
                } => format!(
                    "agreed in supervision (supervision done {note_id} --action {}): {}, {} by {}",
                    action_index + 1,
                    action.action,
                    action.owner,
                    action.due_on
                ),
                Due::SignOff {
                    subject,
                    subject_id,
                    what,
                } => format!(
                    "to sign off (signoff add --{} {subject_id}): {what}",
                    subject.as_str().replace('_', "-")
                ),
            };
            say!(
                "{} {} [{}] keyworker {}: {what}",
                i.due_on,
                i.person_name,
                i.case_id,
                i.keyworker.as_deref().unwrap_or("none")
            );
        }
    })
}

pub fn sign_offs(list: &[waymark_core::model::views::SignedOff], json: bool) -> Result<(), Error> {
    emit(list, json, || {
        if list.is_empty() {
            tell("cli-nothing-signed-off", &[]);
        }
        for s in list {
            let o = &s.sign_off;
            say!(
                "{} {} {} signed off by {} at {}{}",
                o.id,
                o.subject.as_str().replace('_', " "),
                o.subject_id,
                s.by.as_deref().unwrap_or("(not known)"),
                local(o.signed_at),
                o.comment
                    .as_deref()
                    .map(|c| format!(": {c}"))
                    .unwrap_or_default()
            );
        }
    })
}

pub fn set_aside(
    list: &[waymark_core::model::views::SetAsideChange],
    json: bool,
) -> Result<(), Error> {
    emit(list, json, || {
        if list.is_empty() {
            tell("cli-nothing-set-aside", &[]);
        }
        for c in list {
            say!(
                "{} {} in case {} (set aside {})",
                c.change_id,
                c.kind.replace('_', " "),
                c.case_id
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "-".into()),
                local(c.set_aside_at)
            );
            for (field, value) in &c.fields {
                if let Some(text) = value.as_str().filter(|t| !t.is_empty()) {
                    say!("  {field}: {text}");
                }
            }
        }
    })
}

pub fn group_sessions(
    list: &[waymark_core::domain::GroupSession],
    json: bool,
) -> Result<(), Error> {
    emit(list, json, || {
        if list.is_empty() {
            tell("cli-no-group-sessions", &[]);
        }
        for g in list {
            say!(
                "{} {} {} at {} ({}){}",
                g.id,
                g.held_on,
                g.title,
                g.place,
                g.facilitators,
                g.programme
                    .as_ref()
                    .map(|p| format!(", {p}"))
                    .unwrap_or_default()
            );
        }
    })
}

pub fn group_register(
    register: &waymark_core::model::views::GroupRegister,
    json: bool,
) -> Result<(), Error> {
    emit(register, json, || {
        let g = &register.session;
        say!(
            "{} on {} at {} ({})",
            g.title,
            g.held_on,
            g.place,
            g.facilitators
        );
        if let Some(n) = &g.note {
            say!("Note: {n}");
        }
        if register.register.is_empty() {
            tell("cli-no-one-registered", &[]);
        }
        for r in &register.register {
            say!(
                "{} {} {}",
                r.case_id,
                r.person_name,
                if r.attended { "came" } else { "did not come" }
            );
        }
    })
}

pub fn tallies(list: &[waymark_core::domain::OutreachTally], json: bool) -> Result<(), Error> {
    emit(list, json, || {
        if list.is_empty() {
            tell("cli-no-tallies", &[]);
        }
        for t in list {
            let help: Vec<String> = t
                .help
                .iter()
                .map(|h| h.as_str().replace('_', " "))
                .collect();
            say!(
                "{} {} {}: {} contact{}{}{}",
                t.id,
                t.counted_on,
                t.site,
                t.count,
                if t.count == 1 { "" } else { "s" },
                if help.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", help.join(", "))
                },
                t.note
                    .as_ref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            );
        }
    })
}

pub fn linked(list: &[waymark_core::domain::LinkedPerson], json: bool) -> Result<(), Error> {
    emit(list, json, || {
        if list.is_empty() {
            tell("cli-no-one-linked", &[]);
        }
        for l in list {
            let mut facts = vec![l.relation.as_str().replace('_', " ")];
            facts.extend(l.date_of_birth.map(|d| format!("born {d}")));
            facts.extend(l.lives.as_ref().map(|w| format!("lives: {w}")));
            facts.extend(l.known_to_childrens_services.map(|k| {
                format!(
                    "known to children's services: {}",
                    if k { "yes" } else { "no" }
                )
            }));
            facts.extend(l.own_case_id.map(|c| format!("own case {c}")));
            say!("{} {} ({})", l.id, l.name, facts.join(", "));
            if let Some(d) = &l.details {
                say!("  {d}");
            }
        }
    })
}

pub fn supervision(
    list: &[waymark_core::model::views::SupervisionEntry],
    json: bool,
) -> Result<(), Error> {
    emit(list, json, || {
        if list.is_empty() {
            tell("cli-no-supervision-notes", &[]);
        }
        for e in list {
            let n = &e.note;
            say!(
                "{} supervision on {} by {}",
                n.id,
                n.held_on,
                e.by.as_deref().unwrap_or("(not known)")
            );
            say!("  Discussed: {}", n.discussion);
            if let Some(d) = &n.decision {
                say!("  Decided: {d}");
            }
            for (i, a) in n.actions.iter().enumerate() {
                let done = e
                    .done
                    .iter()
                    .find(|d| d.done.action_index == i as i64)
                    .map(|d| {
                        format!(
                            "; done on {} by {}",
                            d.done.done_on,
                            d.by.as_deref().unwrap_or("(not known)")
                        )
                    })
                    .unwrap_or_default();
                say!(
                    "  Action {}: {} ({}, by {}{done})",
                    i + 1,
                    a.action,
                    a.owner,
                    a.due_on
                );
            }
        }
    })
}

pub fn marac(
    meetings: &[waymark_core::domain::MaracMeeting],
    actions: &[waymark_core::domain::MaracAction],
    json: bool,
) -> Result<(), Error> {
    #[derive(serde::Serialize)]
    struct Listed<'a> {
        meetings: &'a [waymark_core::domain::MaracMeeting],
        actions: &'a [waymark_core::domain::MaracAction],
    }
    emit(&Listed { meetings, actions }, json, || {
        if meetings.is_empty() {
            tell("cli-no-marac-meeting", &[]);
        }
        for m in meetings {
            say!(
                "{} MARAC meeting on {}: {}",
                m.id,
                m.meeting_on,
                m.outcome.as_deref().unwrap_or("(outcome not yet recorded)")
            );
            for a in actions.iter().filter(|a| a.meeting_id == m.id) {
                say!(
                    "  {} {} ({}, {}) by {}{}",
                    a.id,
                    a.action,
                    a.agency,
                    a.owner,
                    a.due_on,
                    a.done_on.map(|d| format!(": done {d}")).unwrap_or_default()
                );
            }
        }
    })
}

pub fn safety_plan(
    plan: Option<&waymark_core::domain::SafetyPlan>,
    json: bool,
) -> Result<(), Error> {
    emit(&plan, json, || match plan {
        None => tell("cli-no-safety-plan", &[]),
        Some(p) => {
            for (label, value) in [
                ("safe places", &p.safe_places),
                ("trusted people", &p.trusted_people),
                ("code words", &p.code_words),
                ("escape bag", &p.escape_bag),
                ("tech safety", &p.tech_safety),
                ("child arrangements", &p.child_arrangements),
            ] {
                say!("{label}: {}", value.as_deref().unwrap_or("-"));
            }
            say!("review by: {}", p.review_on);
        }
    })
}

pub fn templates(ts: &[AssessmentTemplate], json: bool) -> Result<(), Error> {
    emit(ts, json, || {
        ts.iter().for_each(|t| {
            say!(
                "{} v{}: {} ({} questions)",
                t.key,
                t.template_version,
                t.name,
                t.definition.questions.len()
            )
        })
    })
}

pub fn assessment(a: &Assessment, json: bool) -> Result<(), Error> {
    emit(a, json, || {
        say!("assessment {}: score {}, level {}", a.id, a.score, a.level);
        for (i, p) in a.prompts.iter().enumerate() {
            say!("PROMPT {i}: {} ({} to {})", p.text, p.action, p.agency);
        }
    })
}

pub fn assessments(list: &[Assessment], json: bool) -> Result<(), Error> {
    emit(list, json, || {
        list.iter().for_each(|a| {
            say!(
                "{} {} {} v{}: score {}, {}",
                a.id,
                local(a.completed_at),
                a.template_key,
                a.template_version,
                a.score,
                a.level
            )
        })
    })
}

pub fn referrals(list: &[Referral], json: bool) -> Result<(), Error> {
    let repeats = repeat_maracs(list);
    emit(list, json, || {
        list.iter().for_each(|r| {
            let repeat = if repeats.contains(&r.id) {
                " (repeat MARAC)"
            } else {
                ""
            };
            let consent = r
                .consent_topic
                .as_ref()
                .map(|t| format!(" (consent: {t})"))
                .unwrap_or_default();
            say!(
                "{} {} {}{repeat} [{}] {}{consent} {}",
                r.id,
                r.made_on,
                r.agency,
                r.status,
                r.reason,
                opt(&r.outcome)
            )
        })
    })
}

pub fn flags(list: &[Flag], json: bool) -> Result<(), Error> {
    emit(list, json, || {
        list.iter().for_each(|f| {
            let state = f
                .resolved_at
                .map_or("open".to_owned(), |t| format!("resolved {}", local(t)));
            say!(
                "{} {} {} [{state}] {}",
                f.id,
                local(f.raised_at),
                f.kind,
                opt(&f.detail)
            )
        })
    })
}

pub fn incidents(listed: &CaseIncidents, json: bool) -> Result<(), Error> {
    if json {
        return emit(listed, true, || {});
    }
    let last_year = listed.last_year;
    say!(
        "last 12 months: {} incident(s), {} police call-out(s)",
        last_year.incidents,
        last_year.police_call_outs
    );
    for i in &listed.incidents {
        let mut facts = vec![i.kind.to_string()];
        for (yes, words) in [
            (i.police_called, "police called"),
            (i.injuries, "injuries"),
            (i.children_present, "children present"),
        ] {
            if yes {
                facts.push(words.to_owned());
            }
        }
        let prompt = match &i.escalation {
            None => String::new(),
            Some(e) => match &e.decision {
                None => " [MARAC prompted: not yet decided]".to_owned(),
                Some(d) => format!(" [MARAC prompted: {}]", d.decision),
            },
        };
        say!(
            "{} {} {}{prompt} {}",
            i.id,
            i.occurred_on,
            facts.join(", "),
            opt(&i.detail)
        );
    }
    Ok(())
}

pub fn attachments(list: &[Attachment], json: bool) -> Result<(), Error> {
    emit(list, json, || {
        list.iter().for_each(|a| {
            say!(
                "{} {} {} {} bytes, added {}",
                a.id,
                a.file_name,
                a.media_type,
                a.size_bytes,
                local(a.added_at)
            )
        })
    })
}

pub fn search(hits: &[SearchHit], json: bool) -> Result<(), Error> {
    emit(hits, json, || {
        for h in hits {
            say!(
                "{} {:<6} {} — {}: {}",
                h.case_id,
                h.kind,
                h.at.map_or("".into(), local),
                h.person_name,
                h.snippet
            );
        }
        say!("{} results", hits.len());
    })
}

pub fn timeline(items: &[TimelineItem], json: bool) -> Result<(), Error> {
    emit(items, json, || {
        let t = texts();
        for i in items {
            say!(
                "{}  {}{}",
                local(i.at),
                waymark_l10n::plain(&t.timeline_event(&i.event)),
                i.detail
                    .as_ref()
                    .map_or(String::new(), |d| format!(": {d}"))
            );
        }
    })
}

pub fn retention(items: &[waymark_core::queries::RetentionItem], json: bool) -> Result<(), Error> {
    emit(items, json, || {
        if items.is_empty() {
            tell("cli-none-closed-that-long", &[]);
        }
        for i in items {
            say!(
                "{}  {:<28} closed {} ({} days){}",
                i.case_id,
                i.person_name,
                i.closed_on,
                i.days_closed,
                i.closure_reason
                    .as_deref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            );
        }
    })
}

pub fn audit(entries: &[AuditEntry], json: bool) -> Result<(), Error> {
    emit(entries, json, || {
        for e in entries {
            say!(
                "{}  {:<12} {:<18} {:<20} {}",
                local(e.at),
                opt(&e.user_name),
                e.action,
                e.kind,
                opt(&e.record_id)
            );
        }
    })
}

/// A failed sync, for scripts: where it stopped, what moved before, why.
/// (People read the error on stderr.)
pub fn sync_stopped(stopped: &waymark_sync::SyncStopped) -> Result<(), Error> {
    #[derive(Serialize)]
    struct Stopped<'a> {
        ok: bool,
        stage: waymark_sync::Stage,
        moved: &'a waymark_sync::SyncReport,
        error: waymark_sync::ErrorSummary,
    }
    emit(
        &Stopped {
            ok: false,
            stage: stopped.stage,
            moved: &stopped.moved,
            error: stopped.error.summary(),
        },
        true,
        || {},
    )
}

pub fn sync_report(r: &waymark_sync::SyncReport, json: bool) -> Result<(), Error> {
    emit(r, json, || {
        let count = |n: FluentValue<'static>| [("count", n)];
        tell(
            "cli-synced",
            &[
                ("pushed", r.pushed.into()),
                ("already", r.already_on_server.into()),
                ("pulled", r.pulled.into()),
                ("applied", r.applied.applied.into()),
            ],
        );
        if r.applied.conflicts > 0 || r.open_conflicts > 0 {
            tell(
                "cli-synced-conflicts",
                &[
                    ("new", r.applied.conflicts.into()),
                    ("open", r.open_conflicts.into()),
                ],
            );
        }
        let counted: [(&str, bool, FluentValue); 4] = [
            (
                "cli-synced-held",
                r.held_for_upgrade > 0,
                r.held_for_upgrade.into(),
            ),
            (
                "cli-synced-withdrawn",
                r.cases_withdrawn > 0,
                r.cases_withdrawn.into(),
            ),
            ("cli-synced-set-aside", r.set_aside > 0, r.set_aside.into()),
            (
                "cli-synced-awaiting-key",
                r.awaiting_key > 0,
                r.awaiting_key.into(),
            ),
        ];
        for (id, any, n) in counted {
            if any {
                tell(id, &count(n));
            }
        }
        if r.waiting_for_confirmation {
            tell("cli-synced-waiting", &[]);
        }
        if r.keys_refused > 0 {
            tell("cli-synced-keys-refused", &count(r.keys_refused.into()));
        }
        if r.recipients_refused > 0 || r.certificates_refused > 0 {
            tell(
                "cli-synced-recipients-refused",
                &[
                    ("recipients", r.recipients_refused.into()),
                    ("certificates", r.certificates_refused.into()),
                ],
            );
        }
        let refused = r.applied.refused + r.applied.misrouted;
        if refused > 0 {
            tell("cli-synced-refused", &count(refused.into()));
        }
        if !r.logs_behind_on_server.is_empty() {
            tell(
                "cli-synced-behind",
                &count(r.logs_behind_on_server.len().into()),
            );
        }
    })
}

/// "mine" is the value written on this device (the stamp ends with its id).
pub fn conflicts(list: &[waymark_core::local::ConflictView], json: bool) -> Result<(), Error> {
    let whose = |s: &waymark_core::local::Side| if s.by_this_device { "mine" } else { "theirs" };
    // Each conflict as stored, with whose each side is (what `--keep`
    // takes: `mine` is this device's) and the person behind it (as their
    // signed changes name them; `null`: not known here).
    let listed = list
        .iter()
        .map(|v| {
            let mut c = serde_json::to_value(&v.conflict)?;
            c["kept_side"] = serde_json::json!(whose(&v.kept));
            c["kept_by"] = serde_json::json!(v.kept.by);
            c["lost_side"] = serde_json::json!(whose(&v.other));
            c["lost_by"] = serde_json::json!(v.other.by);
            Ok(c)
        })
        .collect::<serde_json::Result<Vec<_>>>()
        .map_err(|e| Error::Storage(e.to_string()))?;
    let side = |s: &waymark_core::local::Side| {
        let whose = whose(s);
        match &s.by {
            Some(by) => format!("{whose}, {by}"),
            None => whose.to_owned(),
        }
    };
    emit(&listed, json, || {
        if list.is_empty() {
            tell("cli-no-conflicts", &[]);
        }
        for v in list {
            let c = &v.conflict;
            say!(
                "{}  {} {} field {}: shown {} ({}), other {} ({}){}",
                c.id,
                c.kind,
                c.record_id,
                c.field,
                c.kept_value,
                side(&v.kept),
                c.lost_value,
                side(&v.other),
                if c.resolved_at.is_some() {
                    "  [settled]"
                } else {
                    ""
                }
            );
        }
    })
}
