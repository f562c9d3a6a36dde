//! The commissioner's report (supervisors and admins): a period and a
//! programme, then every table as published, computed on this device.

use crate::app::{Ctx, Screen};
use crate::backend::{self, Problem, Programme};
use crate::form::{self, ErrorSummary, Field, Kind};
use waymark_model::report::{self, Breakdown, Figure, Report, Scope};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub ctx: Ctx,
}

#[function_component(Reports)]
pub fn reports(p: &Props) -> Html {
    let t = crate::l10n::use_texts();
    crate::app::use_focus_heading("reports-title");
    let (from, to, programme, team) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let problem = use_state(|| None::<Problem>);
    let report = use_state(|| None::<Report>);
    let running = use_state(|| false);
    let programmes = use_state(Vec::<Programme>::new);
    let teams = use_state(Vec::<String>::new);
    {
        let (programmes, teams) = (programmes.clone(), teams.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(all) = backend::call(&backend::ListProgrammes {}).await {
                    programmes.set(all);
                }
                if let Ok(all) = backend::call(&backend::ReportTeams {}).await {
                    teams.set(all);
                }
            });
        });
    }
    let today = form::use_first_day();
    let year_ago = chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_sub_months(chrono::Months::new(12)))
        .map(|d| d.succ_opt().unwrap_or(d).to_string())
        .unwrap_or_default();
    let onsubmit = {
        let (from, to, programme, team) =
            (from.clone(), to.clone(), programme.clone(), team.clone());
        let (problem, report, running) = (problem.clone(), report.clone(), running.clone());
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let scope = (|| {
                let day = |field: &str, node: &NodeRef| match form::date(field, &form::value(node))?
                {
                    Some(d) => Ok(d),
                    None => Err(Problem::at(
                        field,
                        crate::l10n::current().text("must-not-be-empty"),
                    )),
                };
                Ok::<_, Problem>(Scope {
                    from: day("from", &from)?,
                    to: day("to", &to)?,
                    programme: form::opt(form::value(&programme)),
                    team: form::opt(form::value(&team)),
                })
            })();
            let scope = match scope {
                Ok(scope) => scope,
                Err(e) => return problem.set(Some(e)),
            };
            let (problem, report, running) = (problem.clone(), report.clone(), running.clone());
            running.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::RunReport { scope }).await {
                    Ok(r) => {
                        problem.set(None);
                        report.set(Some(r));
                    }
                    Err(e) => problem.set(Some(e)),
                }
                running.set(false);
            });
        })
    };
    let choices = Kind::Select(
        std::iter::once((String::new(), t.text("reports-all-programmes")))
            .chain(programmes.iter().map(|p| (p.name.clone(), p.name.clone())))
            .collect(),
    );
    let team_choices = Kind::Select(
        std::iter::once((String::new(), t.text("reports-all-teams")))
            .chain(teams.iter().map(|team| (team.clone(), team.clone())))
            .collect(),
    );
    let pr = (*problem).clone();
    html! {
        <section aria-labelledby="reports-title">
            <h1 id="reports-title" tabindex="-1">{ t.text("nav-reports") }</h1>
            <p class="hint">{ t.text("reports-hint") }</p>
            <form onsubmit={onsubmit} aria-label={t.text("form-report")}>
                <ErrorSummary problem={pr.clone()} fields={vec!["from", "to", "programme", "team", "report"]} />
                <Field name="from" label={t.text("field-from")} kind={Kind::Date} node={from} problem={pr.clone()} required=true value={year_ago} />
                <Field name="to" label={t.text("field-to")} kind={Kind::Date} node={to} problem={pr.clone()} required=true value={today} />
                <Field name="programme" label={t.text("field-programme")} kind={choices} node={programme} problem={pr.clone()} written_options=true />
                if !teams.is_empty() {
                    <Field name="team" label={t.text("field-team")} kind={team_choices} node={team} problem={pr.clone()} written_options=true />
                }
                <button type="submit" id="run-report" disabled={*running}>{ if *running { t.text("working") } else { t.text("reports-run") } }</button>
            </form>
            if let Some(r) = &*report {
                <ReportView report={r.clone()} go={p.ctx.go.clone()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ReportViewProps {
    report: Report,
    go: Callback<Screen>,
}

/// The figure opened to its cases: where it is, and who.
#[derive(Clone, PartialEq)]
struct Drill {
    figure: String,
    cases: Vec<(uuid::Uuid, String)>,
}

#[function_component(ReportView)]
fn report_view(p: &ReportViewProps) -> Html {
    let t = crate::l10n::use_texts();
    let r = &p.report;
    let drill = use_state(|| None::<Drill>);
    // The list opens where the person's focus goes, above the tables.
    use_effect_with((*drill).clone(), |d| {
        if d.is_some() {
            form::focus("drill-title");
        }
    });
    // Opens a figure: the names of the cases behind it, on this laptop.
    let open = {
        let drill = drill.clone();
        Callback::from(move |(figure, cases): (String, Vec<uuid::Uuid>)| {
            let drill = drill.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(named) = backend::call(&backend::CaseNames { cases }).await {
                    drill.set(Some(Drill {
                        figure,
                        cases: named,
                    }));
                }
            });
        })
    };
    html! {
        <div class="report" id="report">
            <p role="status">{ t.text_with("reports-scope", &[("from", form::uk_date(r.scope.from).into()), ("to", form::uk_date(r.scope.to).into()),
                ("programme", r.scope.programme.clone().unwrap_or_else(|| t.text("reports-all-programmes-lower")).into()),
                ("team", r.scope.team.clone().map_or_else(|| t.text("reports-all-teams-lower"), |team| t.text_with("reports-team", &[("team", team.into())])).into()),
                ("cases", r.cases_held.into())]) }</p>
            if let Some(d) = &*drill {
                <section id="drill" aria-labelledby="drill-title" class="drill">
                    <h2 id="drill-title" tabindex="-1">{ t.text_with("reports-behind", &[("figure", d.figure.clone().into())]) }</h2>
                    <ul>
                        { for d.cases.iter().map(|(id, name)| {
                            let id = *id;
                            html! { <li><button class="link" onclick={p.go.reform(move |_: MouseEvent| Screen::Case { id })} translate="no">{ name.clone() }</button></li> }
                        }) }
                    </ul>
                </section>
            }
            { for r.sections.iter().map(|s| {
                let body = html! { <>
                    { for s.breakdowns.iter().map(|b| html! { <>
                        { table(&t, b, &open) }
                        { chart(report::bar_chart_in(
                            b,
                            &t.text_with("reports-chart", &[("title", t.report_table(&b.key).into())]),
                            &|row| word(&t, row, b.rows_are_data),
                        )) }
                    </> }) }
                    { chart(report::distance_chart_in(&s.measures, &t.text("reports-distance-chart"))) }
                    { for s.measures.iter().map(|m| html! {
                        <p class="measure">{ crate::l10n::pieces(t.report_measure(m)) }</p>
                    }) }
                </> };
                match s.folded {
                    true => html! {
                        <details class="report-section">
                            <summary><h2>{ t.report_section(&s.key) }</h2></summary>
                            { body }
                        </details>
                    },
                    false => html! {
                        <section class="report-section">
                            <h2>{ t.report_section(&s.key) }</h2>
                            { body }
                        </section>
                    },
                }
            }) }
        </div>
    }
}

/// A row's or column's words in the reader's language; `None` for what
/// people named (`data`, or no word of the report's), shown as written.
fn word(texts: &waymark_l10n::Texts, value: &str, data: bool) -> Option<String> {
    (!data).then(|| texts.report_word(value)).flatten()
}

/// A chart the report drew (SVG of published figures only, its text
/// escaped where it was made: the same as the HTML file's).
fn chart(svg: Option<String>) -> Html {
    match svg {
        Some(svg) => html! { <div class="chart">{ Html::from_html_unchecked(svg.into()) }</div> },
        None => html! {},
    }
}

/// A published table; rows of nothing but zeros are left out on screen (the
/// CSV keeps them), and a table of nothing says so. Each figure above zero
/// opens to the cases behind it (this laptop holds them all).
fn table(
    texts: &waymark_l10n::Texts,
    b: &Breakdown,
    open: &Callback<(String, Vec<uuid::Uuid>)>,
) -> Html {
    let t = &b.table;
    let title = texts.report_table(&b.key);
    if t.total == Figure::Count(0) {
        return html! { <p class="empty-table"><strong>{ title }</strong>{ ": " }{ texts.text("reports-none") }</p> };
    }
    // A row or column in the person's language, or as people named it.
    let said = |value: &str, data: bool| match word(texts, value, data) {
        Some(words) => (words, false),
        None => (value.to_owned(), true),
    };
    let cell = |value: &str, data: bool| {
        let (words, data) = said(value, data);
        html! { <span translate={data.then_some("no")}>{ words }</span> }
    };
    let shown: Vec<usize> = (0..t.rows.len())
        .filter(|&i| t.row_totals[i] != Figure::Count(0))
        .collect();
    html! {
        <table class="report-table" id={format!("table-{}", b.key)}>
            <caption>{ title.clone() }</caption>
            <thead><tr>
                <td></td>
                { for t.columns.iter().map(|c| html! { <th scope="col">{ cell(c, false) }</th> }) }
                <th scope="col">{ texts.text("reports-total") }</th>
            </tr></thead>
            <tbody>
                { for shown.iter().map(|&i| html! {
                    <tr>
                        <th scope="row">{ cell(&t.rows[i], b.rows_are_data) }</th>
                        { for t.cells[i].iter().enumerate().map(|(j, f)| {
                            let behind = b.behind[i][j].clone();
                            if behind.is_empty() {
                                return html! { <td>{ f.to_string() }</td> };
                            }
                            let ((row, row_data), column) = (said(&t.rows[i], b.rows_are_data), said(&t.columns[j], false).0);
                            let figure = format!("{title}: {row}, {column}");
                            // Named in full for a screen reader, what people
                            // named kept apart (never translated).
                            let (mut words, mut data) = (vec![("table", title.clone().into()), ("column", column.into()),
                                ("figure", f.to_string().into())], vec![]);
                            match row_data {
                                true => data.push(("row", row.as_str())),
                                false => words.push(("row", row.clone().into())),
                            }
                            let named = crate::l10n::pieces(texts.text_marked("reports-show-cases", &words, &data));
                            html! { <td><button class="link figure"
                                onclick={open.reform(move |_: MouseEvent| (figure.clone(), behind.clone()))}>
                                <span aria-hidden="true">{ f.to_string() }</span><span class="visually-hidden">{ named }</span></button></td> }
                        }) }
                        <td>{ t.row_totals[i].to_string() }</td>
                    </tr>
                }) }
            </tbody>
            if !b.rows_overlap {
                <tfoot><tr>
                    <th scope="row">{ texts.text("reports-total") }</th>
                    { for t.column_totals.iter().map(|f| html! { <td>{ f.to_string() }</td> }) }
                    <td>{ t.total.to_string() }</td>
                </tr></tfoot>
            }
        </table>
    }
}
