//! The team view (supervisors, managers, admins): each keyworker's open
//! cases, high-risk cases and what is overdue, over the cases this laptop
//! holds; a keyworker's name opens their cases.

use crate::app::{Ctx, Screen};
use crate::backend::{self, GetTeam, Problem, TeamMember};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub ctx: Ctx,
}

#[function_component(Team)]
pub fn team(p: &Props) -> Html {
    let t = crate::l10n::use_texts();
    let rows = use_state(|| None::<Result<Vec<TeamMember>, Problem>>);
    {
        let rows = rows.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                rows.set(Some(backend::call(&GetTeam {}).await));
            });
        });
    }
    crate::app::use_focus_heading("team-title");
    let open = |keyworker: String| {
        p.ctx
            .go
            .reform(move |_: MouseEvent| Screen::KeyworkerCases {
                keyworker: keyworker.clone(),
            })
    };
    let figure = |n: i64, warn: bool| {
        html! { <td class={classes!("num", (warn && n > 0).then_some("overdue"))}>{ n }</td> }
    };
    html! {
        <section aria-labelledby="team-title">
            <h1 id="team-title" tabindex="-1">{ t.text("nav-team") }</h1>
            <p>{ match p.ctx.sync.last_synced_ms {
                Some(ms) => t.text_with("team-intro", &[("synced", crate::form::local_time_ms(ms).into())]),
                None => t.text("team-intro-never"),
            } }</p>
            { match &*rows {
                None => html! { <p role="status">{ t.text("loading") }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ t.problem_line(e) }</p> },
                Some(Ok(rows)) if rows.is_empty() => html! { <p>{ t.text("team-none") }</p> },
                Some(Ok(rows)) => html! {
                    <table class="team" id="team-table">
                        <caption class="visually-hidden">{ t.text("team-caption") }</caption>
                        <thead><tr>
                            <th scope="col">{ t.text("access-keyworker") }</th>
                            <th scope="col">{ t.text("team-open") }</th>
                            <th scope="col">{ t.text("team-high-risk") }</th>
                            <th scope="col">{ t.text("team-reviews") }</th>
                            <th scope="col">{ t.text("team-follow-ups") }</th>
                            <th scope="col">{ t.text("team-conditions") }</th>
                            <th scope="col">{ t.text("team-prompts") }</th>
                            <th scope="col">{ t.text("team-sign-offs") }</th>
                            <th scope="col">{ t.text_with("team-no-contact", &[("days", TeamMember::NO_CONTACT_DAYS.into())]) }</th>
                        </tr></thead>
                        <tbody>
                            { for rows.iter().map(|r| html! {
                                <tr key={r.keyworker.clone().unwrap_or_default()}>
                                    <th scope="row">{ match &r.keyworker {
                                        Some(k) => html! { <button class="link" onclick={open(k.clone())} translate="no">{ k.clone() }</button> },
                                        None => html! { { t.text("caseload-no-keyworker") } },
                                    } }</th>
                                    { figure(r.open_cases, false) }
                                    { figure(r.high_risk, true) }
                                    { figure(r.overdue_reviews, true) }
                                    { figure(r.overdue_follow_ups, true) }
                                    { figure(r.conditions_due, true) }
                                    { figure(r.undecided_prompts, true) }
                                    { figure(r.sign_offs_pending, false) }
                                    { figure(r.no_recent_contact, true) }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                },
            } }
        </section>
    }
}
