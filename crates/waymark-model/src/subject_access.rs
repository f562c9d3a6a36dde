//! A subject access export's readable summary: one self-contained HTML
//! page (no scripts, nothing fetched) of what the record holds about the
//! person, in words, beside the whole record as JSON and the files. Every
//! value is escaped. Pure: the times come already in UK time.

use crate::records::*;
use crate::report::html::{esc, words};
use crate::views::CaseExport;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use std::fmt::Write;

/// A file of the record, as the export holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportedFile {
    pub file_name: String,
    /// Its path inside the export, or none when this laptop does not hold
    /// its contents (never downloaded).
    pub path: Option<String>,
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #999}h3{font-size:1rem;margin-bottom:.25rem}
dt{font-weight:600}dd{margin:0 0 .5rem 0}.meta{color:#444}.body{white-space:pre-wrap}";

/// The summary page. `local` turns a stored time into UK local time.
pub fn summary_html(
    export: &CaseExport,
    files: &[ExportedFile],
    local: &dyn Fn(DateTime<Utc>) -> NaiveDateTime,
) -> String {
    let p = &export.person;
    let when = |at: DateTime<Utc>| local(at).format("%-d %b %Y, %H:%M").to_string();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>Your record</title><style>{STYLE}</style></head><body>\
         <h1>The record we hold about {name}</h1>\
         <p class=\"meta\">Made {made} in answer to a subject access request. Everything the record holds is \
         in <code>record.json</code> beside this page, field by field; the files are in <code>files</code>.</p>",
        name = esc(&p.full_name),
        made = when(export.exported_at),
    );

    out += "<h2>About you</h2><dl>";
    let mut fact = |label: &str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(&v));
        }
    };
    fact("Name", Some(p.full_name.clone()));
    fact("Preferred name", p.preferred_name.clone());
    fact("Pronouns", p.pronouns.clone());
    fact("Date of birth", p.date_of_birth.map(day));
    fact("Phone", p.phone.clone());
    fact("Email", p.email.clone());
    fact("Address", p.address.clone());
    let sc = &p.safe_contact;
    let safe = |b: Option<bool>| b.map(|b| if b { "yes" } else { "no" }.to_owned());
    fact("Safe to call", safe(sc.calls_safe));
    fact("Safe to text", safe(sc.texts_safe));
    fact("Safe to leave voicemail", safe(sc.voicemail_safe));
    fact("Safe times", sc.safe_times.clone());
    fact("Code word", sc.code_word.clone());
    fact("How to contact you safely", sc.instructions.clone());
    fact(
        "Needs",
        Some(
            p.needs
                .iter()
                .map(|n| match n.since {
                    Some(since) => format!("{} (since {})", words(n.area.as_str()), day(since)),
                    None => words(n.area.as_str()),
                })
                .collect::<Vec<_>>()
                .join(", "),
        ),
    );
    out += "</dl>";
    if !p.consents.is_empty() {
        out += "<h3>Your consent and information-sharing decisions</h3><ul>";
        for c in &p.consents {
            let _ = write!(
                out,
                "<li>{}: {} ({}){}</li>",
                if c.agreed { "Agreed" } else { "Refused" },
                esc(&c.topic),
                day(c.decided_on),
                c.note
                    .as_deref()
                    .map(|n| format!(" — {}", esc(n)))
                    .unwrap_or_default()
            );
        }
        out += "</ul>";
    }

    section(&mut out, "Your support", &export.episodes, |e| {
        format!(
            "<li>{} from {}{}: referred by {}, keyworker {}</li>",
            esc(&e.programme),
            day(e.opened_on),
            match (e.closed_on, &e.closure_reason) {
                (Some(d), Some(r)) => format!(" to {} ({})", day(d), esc(r)),
                (Some(d), None) => format!(" to {}", day(d)),
                _ => " (open)".to_owned(),
            },
            esc(&words(e.referral_source.as_str())),
            esc(&e.keyworker),
        )
    });

    if !export.notes.is_empty() {
        out += "<h2>Notes</h2>";
        for h in &export.notes {
            let n = &h.note;
            let _ = write!(
                out,
                "<h3>{}, {}{}{}</h3><p class=\"body\">{}</p>",
                when(n.occurred_at),
                esc(&words(n.contact_type.as_str())),
                n.duration_minutes
                    .map(|m| format!(", {m} minutes"))
                    .unwrap_or_default(),
                n.location
                    .as_deref()
                    .map(|l| format!(", {}", esc(l)))
                    .unwrap_or_default(),
                esc(&n.body),
            );
            for a in &h.amendments {
                let _ = write!(
                    out,
                    "<p class=\"meta\">Corrected {} (because: {}):</p><p class=\"body\">{}</p>",
                    when(a.amended_at),
                    esc(&a.reason),
                    esc(&a.body),
                );
            }
        }
    }

    section(&mut out, "Your support plan", &export.support_plan, |g| {
        let mut li = format!(
            "<li>{} — {} ({}{})",
            esc(&words(g.goal.need_area.as_str())),
            esc(&g.goal.description),
            esc(&words(g.goal.status.as_str())),
            g.goal
                .review_on
                .map(|d| format!(", review {}", day(d)))
                .unwrap_or_default(),
        );
        for a in &g.actions {
            let _ = write!(
                li,
                "<br>Action: {} ({}{})",
                esc(&a.description),
                esc(&a.owner),
                match a.done_on {
                    Some(d) => format!(", done {}", day(d)),
                    None => a
                        .due_on
                        .map(|d| format!(", by {}", day(d)))
                        .unwrap_or_default(),
                }
            );
        }
        for r in &g.ratings {
            let _ = write!(li, "<br>Progress {} of 10 on {}", r.rating, day(r.rated_on));
        }
        li + "</li>"
    });

    section(
        &mut out,
        "Appointments",
        &export.appointments,
        |a: &Appointment| {
            format!(
                "<li>{}: {}{}{}</li>",
                when(a.starts_at),
                esc(&words(a.agency.as_str())),
                a.place
                    .as_deref()
                    .map(|p| format!(" at {}", esc(p)))
                    .unwrap_or_default(),
                a.outcome
                    .map(|o| format!(" — {}", esc(&words(o.as_str()))))
                    .unwrap_or_default(),
            )
        },
    );
    section(
        &mut out,
        "Assessments",
        &export.assessments,
        |a: &Assessment| {
            format!(
                "<li>{}: {} (score {}), {}</li>",
                esc(&words(&a.template_key.replace('-', " "))),
                esc(&a.level),
                a.score,
                when(a.completed_at),
            )
        },
    );
    section(&mut out, "Referrals", &export.referrals, |r: &Referral| {
        format!(
            "<li>To {} on {}: {} ({}){}</li>",
            esc(&words(r.agency.as_str())),
            day(r.made_on),
            esc(&r.reason),
            esc(&words(r.status.as_str())),
            r.outcome
                .as_deref()
                .map(|o| format!(" — {}", esc(o)))
                .unwrap_or_default(),
        )
    });
    section(&mut out, "Safeguarding flags", &export.flags, |f: &Flag| {
        format!(
            "<li>{}{}, raised {}{}</li>",
            esc(&words(f.kind.as_str())),
            f.detail
                .as_deref()
                .map(|d| format!(": {}", esc(d)))
                .unwrap_or_default(),
            when(f.raised_at),
            f.resolved_at
                .map(|r| format!(", resolved {}", when(r)))
                .unwrap_or_default(),
        )
    });
    section(&mut out, "Incidents", &export.incidents, |i: &Incident| {
        format!(
            "<li>{}: {}{}{}</li>",
            day(i.occurred_on),
            esc(&words(i.kind.as_str())),
            if i.police_called {
                ", police called"
            } else {
                ""
            },
            i.detail
                .as_deref()
                .map(|d| format!(" — {}", esc(d)))
                .unwrap_or_default(),
        )
    });
    if let Some(plan) = &export.safety_plan {
        out += "<h2>Your safety plan</h2><dl>";
        for (label, value) in [
            ("Safe places", &plan.safe_places),
            ("Trusted people", &plan.trusted_people),
            ("Code words", &plan.code_words),
            ("Escape bag", &plan.escape_bag),
            ("Phone and online safety", &plan.tech_safety),
            ("Children", &plan.child_arrangements),
        ] {
            if let Some(v) = value {
                let _ = write!(out, "<dt>{label}</dt><dd>{}</dd>", esc(v));
            }
        }
        let _ = write!(
            out,
            "<dt>To be reviewed by</dt><dd>{}</dd></dl>",
            day(plan.review_on)
        );
    }
    section(
        &mut out,
        "People recorded with you",
        &export.linked_people,
        |l: &LinkedPerson| {
            format!(
                "<li>{} ({}){}</li>",
                esc(&l.name),
                esc(&words(l.relation.as_str())),
                l.date_of_birth
                    .map(|d| format!(", born {}", day(d)))
                    .unwrap_or_default(),
            )
        },
    );
    section(&mut out, "Files", files, |f: &ExportedFile| match &f.path {
        Some(path) => format!(
            "<li>{}: in this export as <code>{}</code></li>",
            esc(&f.file_name),
            esc(path)
        ),
        None => format!(
            "<li>{}: not on the laptop that made this export; ask for it to be added</li>",
            esc(&f.file_name)
        ),
    });
    out += "</body></html>\n";
    out
}

/// A list section, left out when there is nothing in it.
fn section<T>(out: &mut String, title: &str, items: &[T], item: impl Fn(&T) -> String) {
    if items.is_empty() {
        return;
    }
    let _ = write!(out, "<h2>{}</h2><ul>", esc(title));
    for i in items {
        *out += &item(i);
    }
    *out += "</ul>";
}

fn day(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}
