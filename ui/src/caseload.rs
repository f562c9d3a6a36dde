//! The caseload: my cases or my team's, search as you type, filters, most
//! in need of attention first, a page at a time.

use crate::app::{Ctx, Screen};
use crate::backend::{self, CaseloadEntry, CaseloadFilter, Problem, SearchHit};
use crate::form;
use crate::l10n::use_texts;
use uuid::Uuid;
use waymark_l10n::Texts;
use yew::prelude::*;

const PAGE: usize = 50;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub ctx: Ctx,
    /// Only this keyworker's cases (opened from the team view).
    #[prop_or_default]
    pub keyworker: Option<String>,
}

#[function_component(Caseload)]
pub fn caseload(p: &Props) -> Html {
    let t = use_texts();
    let filter = {
        let keyworker = p.keyworker.clone();
        use_state(move || CaseloadFilter {
            keyworker,
            ..CaseloadFilter::default()
        })
    };
    let grouped = use_state(|| false);
    let group_box = use_node_ref();
    let rows = use_state(Vec::<CaseloadEntry>::new);
    let total = use_state(|| None::<usize>);
    let hits = use_state(Vec::<SearchHit>::new);
    let problem = use_state(|| None::<Problem>);
    let (query, risk, overdue, silent, flagged, mine_box) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );

    // Reload the first page whenever the filter changes.
    {
        let (rows, total, problem, hits) =
            (rows.clone(), total.clone(), problem.clone(), hits.clone());
        use_effect_with((*filter).clone(), move |f| {
            let f = f.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::Caseload {
                    filter: f.clone(),
                    offset: 0,
                    limit: PAGE,
                })
                .await
                {
                    Ok(page) => {
                        total.set(Some(page.total));
                        rows.set(page.entries);
                        problem.set(None);
                    }
                    Err(e) => problem.set(Some(e)),
                }
                // Words anywhere in notes, for the same query.
                match f.name.as_deref().filter(|q| q.trim().chars().count() >= 2) {
                    Some(q) => hits.set(
                        backend::call(&backend::Search {
                            query: q.to_owned(),
                        })
                        .await
                        .unwrap_or_default(),
                    ),
                    None => hits.set(Vec::new()),
                }
            });
            || ()
        });
    }
    let read_filter = {
        let filter = filter.clone();
        let (query, risk, overdue, silent, flagged, mine_box) = (
            query.clone(),
            risk.clone(),
            overdue.clone(),
            silent.clone(),
            flagged.clone(),
            mine_box.clone(),
        );
        let keyworker = p.keyworker.clone();
        Callback::from(move |_: ()| {
            filter.set(CaseloadFilter {
                name: form::opt(form::value(&query)),
                risk_level: form::opt(form::value(&risk)),
                overdue_review: form::checked(&overdue),
                no_contact_days: form::value(&silent).trim().parse().ok(),
                flagged: form::checked(&flagged),
                mine: form::checked(&mine_box),
                keyworker: keyworker.clone(),
            });
        })
    };
    let on_group = {
        let (grouped, group_box) = (grouped.clone(), group_box.clone());
        Callback::from(move |_: Event| grouped.set(form::checked(&group_box)))
    };
    let on_input = read_filter.reform(|_: InputEvent| ());
    let on_change = read_filter.reform(|_: Event| ());
    let more = {
        let (rows, filter, problem) = (rows.clone(), filter.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let (rows, f, problem) = (rows.clone(), (*filter).clone(), problem.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::Caseload {
                    filter: f,
                    offset: rows.len(),
                    limit: PAGE,
                })
                .await
                {
                    Ok(page) => {
                        let mut all = (*rows).clone();
                        all.extend(page.entries);
                        rows.set(all);
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let open = |id: Uuid| p.ctx.go.reform(move |_: MouseEvent| Screen::Case { id });
    let new_case = p.ctx.go.reform(|_: MouseEvent| Screen::NewCase);
    let shown = rows.len();
    // Grouped by keyworker: the shown rows, each keyworker's in attention
    // order, under a heading row.
    let mut ordered: Vec<&CaseloadEntry> = rows.iter().collect();
    if *grouped {
        ordered.sort_by_key(|r| (r.keyworker.is_none(), r.keyworker.clone()));
    }
    let row = |r: &CaseloadEntry| {
        html! {
            <tr key={r.case_id.to_string()}>
                <td><button class="link" translate="no" onclick={open(r.case_id)}>
                    { r.preferred_name.clone().map_or(r.full_name.clone(), |pn| format!("{} ({pn})", r.full_name)) }
                </button></td>
                <td translate="no">{ r.keyworker.clone().unwrap_or_else(|| "–".into()) }</td>
                <td>{ risk_badge(&t, r.risk_level.as_deref()) }</td>
                <td>{ if r.open_flags > 0 { r.open_flags.to_string() } else { "–".into() } }</td>
                <td>{ match r.days_since_contact {
                    Some(days) => t.text_with("caseload-last-contact", &[("days", days.into())]),
                    None => t.text("caseload-never"),
                } }</td>
                <td>{ r.next_appointment_at.as_ref().map(form::local_time).unwrap_or_else(|| "–".into()) }</td>
                <td>{ match (&r.next_review_on, r.review_overdue) {
                    (Some(d), true) => html! { <span class="overdue">{ t.text_with("caseload-overdue", &[("date", form::uk_date(*d).into())]) }</span> },
                    (Some(d), false) => html! { { form::uk_date(*d) } },
                    (None, _) => html! { "–" },
                } }</td>
            </tr>
        }
    };
    let mut body = Vec::new();
    let mut last: Option<Option<String>> = None;
    for r in &ordered {
        if *grouped && last.as_ref() != Some(&r.keyworker) {
            let n = ordered
                .iter()
                .filter(|o| o.keyworker == r.keyworker)
                .count();
            let who = r
                .keyworker
                .clone()
                .unwrap_or_else(|| t.text("caseload-no-keyworker"));
            body.push(html! {
                <tr class="group" key={format!("group-{who}")}>
                    <th colspan="7" scope="rowgroup">{ format!("{who} ({n})") }</th>
                </tr>
            });
            last = Some(r.keyworker.clone());
        }
        body.push(row(r));
    }
    html! {
        <section aria-labelledby="caseload-title">
            <div class="title-row">
                <h1 id="caseload-title">{ match &p.keyworker {
                    Some(k) => t.text_with("caseload-of", &[("keyworker", k.as_str().into())]),
                    None => t.text("caseload-title"),
                } }</h1>
                <button id="new-case" onclick={new_case}>{ t.text("caseload-new-case") }</button>
            </div>
            <form class="filters" role="search" aria-label={t.text("caseload-filters")} onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <div class="field">
                    <label for="search">{ t.text("caseload-search") }</label>
                    <input id="search" type="search" ref={query} oninput={on_input.clone()} autocomplete="off" />
                </div>
                <div class="field">
                    <label for="risk">{ t.text("caseload-risk-level") }</label>
                    <select id="risk" ref={risk} onchange={on_change.clone()}>
                        <option value="">{ t.text("caseload-risk-any") }</option>
                        <option value="high">{ t.text_with("risk-level", &[("level", "high".into())]) }</option>
                        <option value="medium">{ t.text_with("risk-level", &[("level", "medium".into())]) }</option>
                        <option value="standard">{ t.text_with("risk-level", &[("level", "standard".into())]) }</option>
                    </select>
                </div>
                <div class="field">
                    <label for="silent">{ t.text("caseload-no-contact-days") }</label>
                    <input id="silent" type="number" min="0" ref={silent} oninput={on_input.clone()} />
                </div>
                <div class="checks">
                    <label><input id="overdue" type="checkbox" ref={overdue} onchange={on_change.clone()} />{ " " }{ t.text("caseload-review-overdue") }</label>
                    <label><input id="flagged" type="checkbox" ref={flagged} onchange={on_change.clone()} />{ " " }{ t.text("caseload-has-flags") }</label>
                    if p.keyworker.is_none() {
                        <label><input id="mine" type="checkbox" ref={mine_box} onchange={on_change} />{ " " }{ t.text("caseload-only-mine") }</label>
                    }
                    <label><input id="group-by-keyworker" type="checkbox" ref={group_box} onchange={on_group} />{ " " }{ t.text("caseload-group") }</label>
                </div>
            </form>
            if let Some(e) = &*problem { <p class="error" role="alert">{ t.problem_line(e) }</p> }
            <p role="status" id="caseload-count">{ match *total {
                Some(total) => t.text_with("caseload-count", &[("total", total.into()), ("shown", shown.into())]),
                None => t.text("loading"),
            } }</p>
            <table class="caseload">
                <caption class="visually-hidden">{ t.text("caseload-caption") }</caption>
                <thead><tr>
                    <th scope="col">{ t.text("caseload-col-name") }</th><th scope="col">{ t.text("caseload-col-keyworker") }</th>
                    <th scope="col">{ t.text("caseload-col-risk") }</th><th scope="col">{ t.text("caseload-col-flags") }</th>
                    <th scope="col">{ t.text("caseload-col-last-contact") }</th><th scope="col">{ t.text("caseload-col-next-appointment") }</th>
                    <th scope="col">{ t.text("caseload-col-review") }</th>
                </tr></thead>
                <tbody>
                    { for body }
                </tbody>
            </table>
            if total.is_some_and(|t| t > shown) {
                <button class="secondary" onclick={more}>{ t.text("caseload-show-more") }</button>
            }
            if !hits.is_empty() {
                <section aria-labelledby="hits-title" class="hits">
                    <h2 id="hits-title">{ t.text("caseload-found") }</h2>
                    <ul>
                        { for hits.iter().map(|h| html! {
                            <li key={h.record_id.to_string()}>
                                <button class="link" onclick={open(h.case_id)}>{ format!("{} — {}", h.person_name, t.text_with("search-hit-kind", &[("kind", h.kind.as_str().into())])) }</button>
                                <p class="snippet">{ snippet(&h.snippet) }</p>
                            </li>
                        }) }
                    </ul>
                </section>
            }
        </section>
    }
}

pub fn risk_badge(t: &Texts, level: Option<&str>) -> Html {
    match level {
        Some(l) => {
            html! { <span class={classes!("risk", format!("risk-{l}"))}>{ t.text_with("risk-level", &[("level", l.into())]) }</span> }
        }
        None => html! { <span class="risk">{ t.text("risk-not-assessed") }</span> },
    }
}

/// Search snippets mark matches between « and »: show them as <mark>.
fn snippet(text: &str) -> Html {
    let mut out = Vec::new();
    for (i, part) in text.split(['«', '»']).enumerate() {
        if i % 2 == 1 {
            out.push(html! { <mark>{ part.to_owned() }</mark> });
        } else {
            out.push(html! { { part.to_owned() } });
        }
    }
    out.into_iter().collect::<Html>()
}
