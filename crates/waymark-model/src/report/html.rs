//! The report as one self-contained HTML file for a commissioner: the
//! published tables, a bar chart (inline SVG) beside each one-column table,
//! no scripts, nothing fetched, and never the cases behind a figure.

use super::{Breakdown, Figure, Measure, Report};
use std::fmt::Write;

/// Text made safe inside HTML (and inside an attribute).
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A snake_case value in words.
fn words(text: &str) -> String {
    let spaced = text.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;margin:1rem 0 .5rem}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border-bottom:1px solid #ccc;padding:.25rem .75rem;text-align:right}th[scope=row]{text-align:left;font-weight:normal}
thead th{font-weight:600}tfoot{font-weight:600}.note{color:#444}svg{display:block;margin-bottom:1.5rem}
@media print{h2{break-before:page}}";

/// The whole report, as published.
pub fn html(report: &Report) -> String {
    let s = &report.scope;
    let programme = s.programme.as_deref().unwrap_or("all programmes");
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>Report, {from} to {to}</title><style>{STYLE}</style></head><body>\
         <h1>Report, {from} to {to}</h1><p>{programme}. Computed from {cases} cases.</p>\
         <p class=\"note\">Counts of 1 to 4 show as &lt;5; a count that would let one be worked out shows as *. \
         An average over fewer than five is not shown.</p>",
        from = s.from.format("%-d %B %Y"),
        to = s.to.format("%-d %B %Y"),
        programme = esc(&words(programme)),
        cases = report.cases_held,
    );
    for section in &report.sections {
        let _ = write!(out, "<h2>{}</h2>", esc(&section.title));
        for b in &section.breakdowns {
            out += &table(b);
            if b.table.columns.len() == 1 {
                out += &chart(b);
            }
        }
        for m in &section.measures {
            out += &measure(m);
        }
    }
    out += "</body></html>\n";
    out
}

fn table(b: &Breakdown) -> String {
    let t = &b.table;
    let mut out = format!(
        "<table><caption>{}</caption><thead><tr><td></td>",
        esc(&b.title)
    );
    for c in &t.columns {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(&words(c)));
    }
    out += "<th scope=\"col\">Total</th></tr></thead><tbody>";
    for (i, row) in t.rows.iter().enumerate() {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", esc(&words(row)));
        for f in &t.cells[i] {
            let _ = write!(out, "<td>{}</td>", esc(&f.to_string()));
        }
        let _ = write!(out, "<td>{}</td></tr>", esc(&t.row_totals[i].to_string()));
    }
    out += "</tbody>";
    if !b.rows_overlap {
        out += "<tfoot><tr><th scope=\"row\">Total</th>";
        for f in &t.column_totals {
            let _ = write!(out, "<td>{}</td>", esc(&f.to_string()));
        }
        let _ = write!(out, "<td>{}</td></tr></tfoot>", esc(&t.total.to_string()));
    }
    out + "</table>"
}

/// Horizontal bars of a one-column table's shown counts; a hidden count
/// gets no bar, only its published sign.
fn chart(b: &Breakdown) -> String {
    let t = &b.table;
    let largest = t
        .cells
        .iter()
        .filter_map(|r| r[0].count())
        .max()
        .unwrap_or(0);
    if largest == 0 {
        return String::new();
    }
    let (row_h, label_w, bar_w) = (22, 220, 420);
    let height = row_h * t.rows.len() + 4;
    let mut out = format!(
        "<svg role=\"img\" aria-label=\"{} (chart)\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(&b.title),
        label_w + bar_w + 60,
        label_w + bar_w + 60,
    );
    for (i, row) in t.rows.iter().enumerate() {
        let y = i * row_h + 2;
        let _ = write!(
            out,
            "<text x=\"0\" y=\"{}\" font-size=\"13\">{}</text>",
            y + 15,
            esc(&words(row))
        );
        let f = t.cells[i][0];
        let width = match f {
            Figure::Count(n) => (n as f64 / largest as f64 * bar_w as f64).round() as usize,
            Figure::Small | Figure::Withheld => 0,
        };
        if width > 0 {
            let _ = write!(
                out,
                "<rect x=\"{label_w}\" y=\"{}\" width=\"{width}\" height=\"{}\" fill=\"#1d4f5c\"/>",
                y + 2,
                row_h - 6
            );
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"13\">{}</text>",
            label_w + width + 6,
            y + 15,
            esc(&f.to_string())
        );
    }
    out + "</svg>"
}

fn measure(m: &Measure) -> String {
    format!(
        "<p>{}: {}, n = {}</p>",
        esc(&m.title),
        esc(&m.shown()),
        esc(&m.n.to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{compute, CaseFacts, Scope};
    use chrono::NaiveDate;

    #[test]
    fn text_from_people_cannot_become_markup() {
        assert_eq!(
            esc("<script>\"x\" & 'y'</script>"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
        let day = |m| NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
        let scope = Scope {
            from: day(1),
            to: day(6),
            programme: Some("<img src=x onerror=alert(1)>".into()),
        };
        let page = html(&compute(&[CaseFacts::default()], &[], &scope));
        assert!(!page.contains("<img"), "a programme's name is text");
        assert!(!page.contains("<script"), "no scripts at all");
        assert!(page.contains("default-src 'none'"), "nothing is fetched");
    }
}
