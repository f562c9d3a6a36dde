//! `report`: the commissioner's report, as text, JSON, or one CSV file per
//! published table.
use crate::output;
use std::path::{Path, PathBuf};
use waymark_core::report::{Breakdown, Report, Scope};
use waymark_core::{Error, Session};

/// How the report is given: text (or `--json`) here, or published to files.
pub(crate) struct Form {
    pub json: bool,
    pub csv: Option<PathBuf>,
    pub html: Option<PathBuf>,
}

pub(crate) fn report(s: &mut Session, scope: &Scope, form: Form) -> Result<(), Error> {
    let report = s.report(scope)?;
    if let Some(dir) = &form.csv {
        return write_csv(&report, dir);
    }
    if let Some(file) = &form.html {
        std::fs::write(file, waymark_core::report::html(&report))
            .map_err(|e| Error::invalid("html", format!("{}: {e}", file.display())))?;
        say!("{}", file.display());
        return Ok(());
    }
    output::report(&report, form.json)
}

/// Each table as published (never the cases behind it), and the measures.
fn write_csv(report: &Report, dir: &Path) -> Result<(), Error> {
    let fail = |e: std::io::Error| Error::invalid("csv", format!("{}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut written = Vec::new();
    for b in report.sections.iter().flat_map(|s| &s.breakdowns) {
        let path = dir.join(format!("{}.csv", b.key));
        std::fs::write(&path, table_csv(b)).map_err(fail)?;
        written.push(path);
    }
    let mut measures = String::from("measure,n,value\n");
    for m in report.sections.iter().flat_map(|s| &s.measures) {
        let value = m
            .value
            .map(|v| format!("{v:.2}"))
            .unwrap_or_else(|| "*".into());
        measures += &format!("{},{},{value}\n", field(&m.title), m.n);
    }
    let path = dir.join("measures.csv");
    std::fs::write(&path, measures).map_err(fail)?;
    written.push(path);
    for p in written {
        say!("{}", p.display());
    }
    Ok(())
}

fn table_csv(b: &Breakdown) -> String {
    let t = &b.table;
    let mut out = format!("{},", field(&b.title));
    out += &t
        .columns
        .iter()
        .map(|c| field(c))
        .collect::<Vec<_>>()
        .join(",");
    out += ",total\n";
    for (i, row) in t.rows.iter().enumerate() {
        let cells: Vec<String> = t.cells[i].iter().map(ToString::to_string).collect();
        out += &format!("{},{},{}\n", field(row), cells.join(","), t.row_totals[i]);
    }
    if !b.rows_overlap {
        let totals: Vec<String> = t.column_totals.iter().map(ToString::to_string).collect();
        out += &format!("total,{},{}\n", totals.join(","), t.total);
    }
    out
}

/// A CSV field, quoted when it needs to be; a leading formula character is
/// defused so a spreadsheet never runs it.
fn field(text: &str) -> String {
    let text = match text.starts_with(['=', '+', '-', '@']) {
        true => format!("'{text}"),
        false => text.to_owned(),
    };
    match text.contains([',', '"', '\n']) {
        true => format!("\"{}\"", text.replace('"', "\"\"")),
        false => text,
    }
}
