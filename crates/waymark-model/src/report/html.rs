//! The report as one self-contained HTML file for a commissioner: the
//! published tables, a bar chart (inline SVG) beside each one-column table,
//! no scripts, nothing fetched, and never the cases behind a figure.

use super::{Breakdown, Figure, Measure, Report};
use std::fmt::Write;

/// Text made safe inside HTML (and inside an attribute).
pub(crate) fn esc(text: &str) -> String {
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

/// A snake_case value as words: "ended_otherwise" → "Ended otherwise".
pub fn words(text: &str) -> String {
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
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>Report, {from} to {to}</title><style>{STYLE}</style></head><body>\
         <h1>Report, {from} to {to}</h1><p>{covers}. Computed from {cases} cases.</p>\
         <p class=\"note\">Counts of 1 to 4 show as &lt;5; a count that would let one be worked out shows as *. \
         An average over fewer than five is not shown.</p>",
        from = s.from.format("%-d %B %Y"),
        to = s.to.format("%-d %B %Y"),
        covers = esc(&words(&s.covers())),
        cases = report.cases_held,
    );
    for section in &report.sections {
        let _ = write!(out, "<h2>{}</h2>", esc(&section.title));
        for b in &section.breakdowns {
            out += &table(b);
            out += &bar_chart(b).unwrap_or_default();
        }
        out += &distance_chart(&section.measures).unwrap_or_default();
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

/// Horizontal bars of a one-column table's shown counts (SVG, for this
/// file and the app); a hidden count gets no bar, only its published sign.
/// None for a table of more columns, or of nothing.
pub fn bar_chart(b: &Breakdown) -> Option<String> {
    bar_chart_in(b, &format!("{} (chart)", b.title), &|row| Some(words(row)))
}

/// As `bar_chart`, in the person's language: what a screen reader says of
/// it (`title`), and each row's `label`; a row without one is what people
/// named, shown as it is and marked so that nothing translates it.
pub fn bar_chart_in(
    b: &Breakdown,
    title: &str,
    label: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    let t = &b.table;
    if t.columns.len() != 1 {
        return None;
    }
    let largest = t
        .cells
        .iter()
        .filter_map(|r| r[0].count())
        .max()
        .unwrap_or(0);
    if largest == 0 {
        return None;
    }
    let (row_h, label_w, bar_w) = (22, 220, 420);
    let height = row_h * t.rows.len() + 4;
    let mut out = format!(
        "<svg role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(title),
        label_w + bar_w + 60,
        label_w + bar_w + 60,
    );
    for (i, row) in t.rows.iter().enumerate() {
        let y = i * row_h + 2;
        let (text, data) = match label(row) {
            Some(text) => (text, ""),
            None => (row.clone(), " translate=\"no\""),
        };
        let _ = write!(
            out,
            "<text x=\"0\" y=\"{}\" font-size=\"13\"{data}>{}</text>",
            y + 15,
            esc(&text)
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
    Some(out + "</svg>")
}

/// Distance travelled per outcome area on one scale: a line from the
/// average first rating to the average latest, for the areas shown. None
/// when no area has enough cases.
pub fn distance_chart(measures: &[Measure]) -> Option<String> {
    distance_chart_in(
        measures,
        "Distance travelled, first to latest average rating (chart)",
    )
}

/// As `distance_chart`, with its `title` in the person's language (the
/// areas are the organisation's names: marked so that nothing translates
/// them).
pub fn distance_chart_in(measures: &[Measure], title: &str) -> Option<String> {
    let shown: Vec<(&Measure, (f64, f64))> = measures
        .iter()
        .filter_map(|m| m.span.map(|s| (m, s)))
        .collect();
    if shown.is_empty() {
        return None;
    }
    // Ratings run from 1; the scale reaches the highest average or 10.
    let top = shown
        .iter()
        .map(|(_, (a, b))| a.max(*b))
        .fold(10.0, f64::max);
    let (row_h, label_w, scale_w) = (26, 220, 400);
    let x = |v: f64| label_w as f64 + (v - 1.0).max(0.0) / (top - 1.0) * scale_w as f64;
    let height = row_h * shown.len() + 24;
    let width = label_w + scale_w + 20;
    let mut out = format!(
        "<svg role=\"img\" aria-label=\"{}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(title)
    );
    for (i, (m, (from, to))) in shown.iter().enumerate() {
        let y = i * row_h + 14;
        let area = m
            .area
            .as_deref()
            .unwrap_or_else(|| m.title.split(':').next().unwrap_or(&m.title));
        let colour = if to >= from { "#1d4f5c" } else { "#a4262c" };
        let _ = write!(
            out,
            "<text x=\"0\" y=\"{}\" font-size=\"13\" translate=\"no\">{}</text>\
             <line x1=\"{:.1}\" y1=\"{y}\" x2=\"{:.1}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"4\"/>\
             <circle cx=\"{:.1}\" cy=\"{y}\" r=\"4\" fill=\"#fff\" stroke=\"{colour}\" stroke-width=\"2\"/>\
             <circle cx=\"{:.1}\" cy=\"{y}\" r=\"5\" fill=\"{colour}\"/>",
            y + 5,
            esc(area),
            x(*from),
            x(*to),
            x(*from),
            x(*to),
        );
    }
    // The scale's ends.
    let base = row_h * shown.len() + 18;
    let _ = write!(
        out,
        "<text x=\"{label_w}\" y=\"{base}\" font-size=\"12\">1</text>\
         <text x=\"{}\" y=\"{base}\" font-size=\"12\">{top:.0}</text>",
        label_w + scale_w - 10
    );
    Some(out + "</svg>")
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
            team: Some("<b>".into()),
        };
        let page = html(&compute(
            &[CaseFacts::default()],
            &[],
            &Default::default(),
            &scope,
        ));
        assert!(!page.contains("<b>"), "a team's name is text");
        assert!(!page.contains("<img"), "a programme's name is text");
        assert!(!page.contains("<script"), "no scripts at all");
        assert!(page.contains("default-src 'none'"), "nothing is fetched");
    }

    #[test]
    fn distance_is_drawn_only_for_the_areas_shown() {
        let m = |title: &str, span: Option<(f64, f64)>| Measure {
            key: title.into(),
            title: format!("{title}: distance travelled"),
            area: Some(title.into()),
            n: crate::report::Figure::Count(7),
            value: span.map(|(a, b)| b - a),
            detail: None,
            span,
            behind: vec![],
        };
        assert_eq!(distance_chart(&[m("Hidden", None)]), None);
        let svg = distance_chart(&[m("Housing", Some((3.0, 8.0))), m("Hidden", None)]).unwrap();
        assert!(
            svg.contains(">Housing<") && !svg.contains("Hidden"),
            "{svg}"
        );
        assert_eq!(svg.matches("<line").count(), 1);
        // 3 of 1..10 is two ninths along the 400-wide scale after 220.
        assert!(svg.contains("x1=\"308.9\""), "{svg}");
    }
}
