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
            <h1 id="team-title" tabindex="-1">{ "Team" }</h1>
            <p>{ format!("Each keyworker's open cases and what is overdue, over the cases this laptop holds (synced {}).",
                p.ctx.sync.last_synced_ms.map(crate::form::local_time_ms).unwrap_or_else(|| "never".into())) }</p>
            { match &*rows {
                None => html! { <p role="status">{ "Loading…" }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ e.to_string() }</p> },
                Some(Ok(rows)) if rows.is_empty() => html! { <p>{ "No cases on this laptop yet." }</p> },
                Some(Ok(rows)) => html! {
                    <table class="team" id="team-table">
                        <caption class="visually-hidden">{ "Each keyworker's cases" }</caption>
                        <thead><tr>
                            <th scope="col">{ "Keyworker" }</th>
                            <th scope="col">{ "Open cases" }</th>
                            <th scope="col">{ "High risk" }</th>
                            <th scope="col">{ "Reviews overdue" }</th>
                            <th scope="col">{ "Follow-ups overdue" }</th>
                            <th scope="col">{ "Conditions overdue or missed" }</th>
                            <th scope="col">{ "Referral prompts undecided" }</th>
                            <th scope="col">{ "Sign-offs pending" }</th>
                            <th scope="col">{ format!("No contact in {} days", TeamMember::NO_CONTACT_DAYS) }</th>
                        </tr></thead>
                        <tbody>
                            { for rows.iter().map(|r| html! {
                                <tr key={r.keyworker.clone().unwrap_or_default()}>
                                    <th scope="row">{ match &r.keyworker {
                                        Some(k) => html! { <button class="link" onclick={open(k.clone())}>{ k.clone() }</button> },
                                        None => html! { "No keyworker" },
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
