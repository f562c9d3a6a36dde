//! The MARAC referral form, filled from the risk assessment's own answers
//! and the case (nothing keyed again): one self-contained HTML file, no
//! scripts, nothing fetched, for the worker to send by the secure route
//! their MARAC uses. A restricted address never goes in it; nor the safe
//! contact's code word.

use crate::assessment::Answer;
use crate::records::*;
use crate::report::html::esc;
use chrono::NaiveDate;
use std::fmt::Write;

/// What the form is made from.
pub struct MaracFormFacts<'a> {
    pub person: &'a Person,
    pub assessment: &'a Assessment,
    pub template: &'a AssessmentTemplate,
    pub incidents: &'a [Incident],
    pub flags: &'a [Flag],
    pub referrals: &'a [Referral],
    /// Who refers (the worker producing the form).
    pub referrer: &'a str,
    pub today: NaiveDate,
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:1.5rem;border-bottom:1px solid #999}
dt{font-weight:600}dd{margin:0 0 .5rem 0}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}.marking{font-weight:700}";

fn answer_words(a: &Answer) -> String {
    match a {
        Answer::YesNo(true) => "Yes".into(),
        Answer::YesNo(false) => "No".into(),
        Answer::Number(n) => n.to_string(),
        Answer::Text(t) => t.clone(),
        Answer::NotKnown(()) => "Not known".into(),
    }
}

fn item(out: &mut String, label: &str, value: &str) {
    let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(value));
}

/// The form, as HTML.
pub fn render(f: &MaracFormFacts) -> String {
    let p = f.person;
    let a = f.assessment;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>MARAC referral</title><style>{STYLE}</style></head><body>\
         <p class=\"marking\">OFFICIAL-SENSITIVE: send only by your MARAC's secure route</p><h1>MARAC referral</h1>"
    );
    out.push_str("<h2>Referral</h2><dl>");
    item(&mut out, "Referred by", f.referrer);
    item(
        &mut out,
        "Date of referral",
        &f.today.format("%-d %B %Y").to_string(),
    );
    // Earlier MARAC referrals: made before this assessment, so not the one
    // it prompted (or the one made by hand after it).
    let assessed_on = a.completed_at.date_naive();
    let last = f
        .referrals
        .iter()
        .filter(|r| r.agency == crate::vocab::Agency::Marac && r.assessment_id != Some(a.id))
        .map(|r| r.made_on)
        .filter(|on| *on < assessed_on)
        .max();
    let repeat = match last {
        Some(last) => format!(
            "{}: the last referral was on {}",
            if is_repeat_marac(last, f.today) {
                "Yes"
            } else {
                "No"
            },
            last.format("%-d %B %Y")
        ),
        None => "No earlier referral recorded".into(),
    };
    item(
        &mut out,
        "Repeat referral (within 12 months of the last)",
        &repeat,
    );
    out.push_str("</dl><h2>The person at risk</h2><dl>");
    item(&mut out, "Name", &p.full_name);
    if let Some(pn) = &p.preferred_name {
        item(&mut out, "Known as", pn);
    }
    if let Some(d) = p.date_of_birth {
        item(
            &mut out,
            "Date of birth",
            &d.format("%-d %B %Y").to_string(),
        );
    }
    if let Some(pr) = &p.pronouns {
        item(&mut out, "Pronouns", pr);
    }
    let address = match (&p.address, p.address_restricted) {
        (_, true) => "Restricted: not included in this form; ask the referrer".to_owned(),
        (Some(a), false) => a.clone(),
        (None, false) => "Not recorded".to_owned(),
    };
    item(&mut out, "Address", &address);
    let sc = &p.safe_contact;
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "not known",
    };
    item(
        &mut out,
        "Safe to contact",
        &format!(
            "calls {}, texts {}, voicemail {}{}",
            yes_no(sc.calls_safe),
            yes_no(sc.texts_safe),
            yes_no(sc.voicemail_safe),
            sc.safe_times
                .as_deref()
                .map(|t| format!("; safe times: {t}"))
                .unwrap_or_default()
        ),
    );
    if let Some(i) = &sc.instructions {
        item(&mut out, "Contact instructions", i);
    }
    if let Some(phone) = &p.phone {
        item(&mut out, "Phone", phone);
    }
    let consents: Vec<String> = p
        .consents
        .iter()
        .map(|c| {
            format!(
                "{}: {} on {}",
                c.topic,
                if c.agreed { "agreed" } else { "refused" },
                c.decided_on.format("%-d %B %Y")
            )
        })
        .collect();
    item(
        &mut out,
        "Consent",
        &if consents.is_empty() {
            "None recorded".to_owned()
        } else {
            consents.join("; ")
        },
    );
    out.push_str("</dl>");

    let _ = write!(out, "<h2>Risk assessment</h2><dl>");
    item(&mut out, "Assessment", &f.template.name);
    item(
        &mut out,
        "Completed",
        &a.completed_at.format("%-d %B %Y").to_string(),
    );
    item(
        &mut out,
        "Score and level",
        &format!("{} ({})", a.score, a.level),
    );
    out.push_str("</dl><table><caption>The assessment's answers</caption><thead><tr><th scope=\"col\">Question</th><th scope=\"col\">Answer</th></tr></thead><tbody>");
    for q in &f.template.definition.questions {
        let answer = a
            .answers
            .get(&q.id)
            .map(answer_words)
            .unwrap_or_else(|| "Not asked".into());
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td></tr>",
            esc(&q.text),
            esc(&answer)
        );
    }
    out.push_str("</tbody></table>");

    let from = f
        .today
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    let recent: Vec<&Incident> = f
        .incidents
        .iter()
        .filter(|i| i.occurred_on > from && i.occurred_on <= f.today)
        .collect();
    let police = recent.iter().filter(|i| i.police_called).count();
    let _ = write!(
        out,
        "<h2>Incidents in the last 12 months</h2><p>{} incident(s), the police called to {}.</p>",
        recent.len(),
        police
    );
    if !recent.is_empty() {
        out.push_str("<table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">What happened</th><th scope=\"col\">Police called</th><th scope=\"col\">Injuries</th><th scope=\"col\">Children present</th></tr></thead><tbody>");
        for i in &recent {
            let yn = |b: bool| if b { "yes" } else { "no" };
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                i.occurred_on.format("%-d %b %Y"),
                esc(&i.kind.as_str().replace('_', " ")),
                i.detail
                    .as_deref()
                    .map(|d| format!(": {}", esc(d)))
                    .unwrap_or_default(),
                yn(i.police_called),
                yn(i.injuries),
                yn(i.children_present)
            );
        }
        out.push_str("</tbody></table>");
    }
    let open: Vec<String> = f
        .flags
        .iter()
        .filter(|fl| fl.resolved_at.is_none())
        .map(|fl| fl.kind.as_str().replace('_', " "))
        .collect();
    let _ = write!(
        out,
        "<h2>Safeguarding flags</h2><p>{}</p>",
        esc(&if open.is_empty() {
            "None open".to_owned()
        } else {
            open.join(", ")
        })
    );
    out.push_str("<h2>The person causing harm</h2><p>Not recorded in this form: add their details by your MARAC's secure route.</p></body></html>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    fn person(restricted: bool) -> Person {
        Person {
            id: Uuid::nil(),
            full_name: "Rhea <b>Example</b>".into(),
            preferred_name: None,
            date_of_birth: NaiveDate::from_ymd_opt(1990, 3, 4),
            pronouns: None,
            phone: Some("0700 000001".into()),
            email: None,
            safe_contact: SafeContact {
                calls_safe: Some(false),
                texts_safe: Some(true),
                voicemail_safe: None,
                safe_times: Some("weekday mornings".into()),
                code_word: Some("kestrel".into()),
                instructions: Some("Text first".into()),
            },
            address: Some("1 Refuge Road".into()),
            address_restricted: restricted,
            needs: vec![],
            consents: vec![],
            created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            created_by: Uuid::nil(),
        }
    }

    fn form(restricted: bool, referrals: &[Referral]) -> String {
        let definition = crate::assessment::builtin_templates()
            .into_iter()
            .find(|t| t.assesses_risk())
            .expect("a risk template");
        let template = AssessmentTemplate {
            id: Uuid::nil(),
            key: definition.key.clone(),
            template_version: definition.version,
            name: definition.name.clone(),
            definition,
        };
        let first = &template.definition.questions[0];
        let assessment = Assessment {
            id: Uuid::from_u128(9),
            case_id: Uuid::nil(),
            template_id: template.id,
            template_key: template.key.clone(),
            template_version: template.template_version,
            answers: [(first.id.clone(), Answer::YesNo(true))]
                .into_iter()
                .collect(),
            score: 14,
            level: "high".into(),
            prompts: vec![],
            decisions: vec![],
            completed_at: Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap(),
            completed_by: Uuid::nil(),
        };
        render(&MaracFormFacts {
            person: &person(restricted),
            assessment: &assessment,
            template: &template,
            incidents: &[],
            flags: &[],
            referrals,
            referrer: "amira",
            today: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        })
    }

    #[test]
    fn the_assessments_answers_fill_the_form_and_nothing_secret_goes_in() {
        let html = form(true, &[]);
        let template = crate::assessment::builtin_templates()
            .into_iter()
            .find(|t| t.assesses_risk())
            .unwrap();
        let first = &template.questions[0];
        assert!(
            html.contains(&format!(
                "<tr><td>{}</td><td>Yes</td></tr>",
                esc(&first.text)
            )),
            "the answer given"
        );
        assert!(
            html.contains("<td>Not asked</td>"),
            "the questions left unanswered"
        );
        assert!(html.contains("14 (high)"));
        assert!(
            html.contains("Rhea &lt;b&gt;Example&lt;/b&gt;"),
            "text never becomes markup"
        );
        assert!(!html.contains("<b>"));
        assert!(
            !html.contains("1 Refuge Road"),
            "a restricted address never goes in"
        );
        assert!(!html.contains("kestrel"), "nor the code word");
        assert!(!html.contains("<script"));
        assert!(form(false, &[]).contains("1 Refuge Road"));
    }

    #[test]
    fn an_earlier_referral_within_a_year_makes_it_a_repeat() {
        let referral = |on: NaiveDate, assessment: Option<Uuid>| Referral {
            id: Uuid::nil(),
            case_id: Uuid::nil(),
            agency: crate::vocab::Agency::Marac,
            reason: "High risk".into(),
            status: crate::vocab::ReferralStatus::Made,
            outcome: None,
            made_on: on,
            assessment_id: assessment,
            consent_topic: None,
        };
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(form(true, &[]).contains("No earlier referral recorded"));
        let this_one = referral(day(2026, 12, 1), Some(Uuid::from_u128(9)));
        assert!(
            form(true, std::slice::from_ref(&this_one)).contains("No earlier referral recorded"),
            "not its own"
        );
        let by_hand = referral(day(2026, 11, 30), None);
        assert!(
            form(true, &[by_hand]).contains("No earlier referral recorded"),
            "nor one made after it"
        );
        assert!(
            form(true, &[this_one.clone(), referral(day(2026, 3, 1), None)])
                .contains("Yes: the last referral was on 1 March 2026")
        );
        assert!(form(true, &[this_one, referral(day(2025, 11, 30), None)])
            .contains("No: the last referral was on 30 November 2025"));
    }
}
