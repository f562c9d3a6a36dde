//! What is due (overdue and missed conditions, follow-ups fallen due), then
//! today's and this week's appointments across my cases, with outcomes.

use crate::app::{Ctx, Screen};
use crate::backend::{self, AgendaEntry, Answer, Due, DueItem, SignOffSubject};
use crate::form;
use crate::parts::AppointmentItem;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub ctx: Ctx,
}

#[function_component(Agenda)]
pub fn agenda(p: &Props) -> Html {
    let week = use_state(|| false);
    let version = use_state(|| 0u32);
    let entries = use_state(|| None::<Answer<Vec<AgendaEntry>>>);
    {
        let entries = entries.clone();
        use_effect_with((*week, *version), move |(week, _)| {
            let week = *week;
            wasm_bindgen_futures::spawn_local(async move {
                entries.set(Some(
                    backend::call(&backend::GetAgenda { week, date: None }).await,
                ));
            });
        });
    }
    let due = use_state(|| None::<Answer<Vec<DueItem>>>);
    {
        let due = due.clone();
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                due.set(Some(backend::call(&backend::GetDue {}).await));
            });
        });
    }
    let pick = |this_week: bool, label: &'static str| {
        let week = week.clone();
        html! {
            <button class="tab" aria-current={(*week == this_week).then_some("true")}
                onclick={Callback::from(move |_: MouseEvent| week.set(this_week))}>{ label }</button>
        }
    };
    let changed = {
        let version = version.clone();
        Callback::from(move |_| version.set(*version + 1))
    };
    html! {
        <section aria-labelledby="agenda-title">
            <h1 id="agenda-title">{ "Agenda" }</h1>
            if let Some(Ok(items)) = &*due {
                if !items.is_empty() {
                    <h2 id="due-title">{ "Due" }</h2>
                    <ul class="due" aria-labelledby="due-title">
                        { for items.iter().map(|i| {
                            let id = i.case_id;
                            html! {
                                <li>
                                    { format!("{} · {}: {}", form::uk_date(i.due_on), i.person_name, due_words(&i.due)) }
                                    { " " }
                                    if let Due::SignOff { subject, subject_id, .. } = &i.due {
                                        <SignOffButton subject={*subject} subject_id={*subject_id} on_changed={changed.clone()} />
                                        { " " }
                                    }
                                    <button class="link" onclick={p.ctx.go.reform(move |_: MouseEvent| Screen::Case { id })}>
                                        { format!("Open {}'s case", i.person_name) }</button>
                                </li>
                            }
                        }) }
                    </ul>
                }
            }
            <h2>{ "Appointments" }</h2>
            <div class="tabs">{ pick(false, "Today") }{ " " }{ pick(true, "This week") }</div>
            { match &*entries {
                None => html! { <p role="status">{ "Loading…" }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ e.to_string() }</p> },
                Some(Ok(list)) if list.is_empty() => html! { <p>{ "No appointments." }</p> },
                Some(Ok(list)) => html! {
                    <ul class="appointments">
                        { for list.iter().map(|e| {
                            let id = e.appointment.case_id;
                            html! { <>
                                <AppointmentItem key={e.appointment.id.to_string()} appointment={e.appointment.clone()}
                                    ctx={p.ctx.clone()} on_changed={changed.clone()} person_name={e.person_name.clone()} />
                                <li class="open-case"><button class="link" onclick={p.ctx.go.reform(move |_: MouseEvent| Screen::Case { id })}>
                                    { format!("Open {}'s case", e.person_name) }</button></li>
                            </> }
                        }) }
                    </ul>
                },
            } }
        </section>
    }
}

/// What is due, in words.
fn due_words(due: &Due) -> String {
    match due {
        Due::ConditionOverdue { condition } => format!(
            "{} condition overdue: record it met or missed",
            crate::form::words(condition.kind)
        ),
        Due::ConditionMissed { condition } => format!(
            "{} condition missed: decide on a breach",
            crate::form::words(condition.kind)
        ),
        Due::FollowUp {
            programme, months, ..
        } => format!("{months}-month follow-up ({programme}): is a further offence known?"),
        Due::AssessmentPrompt { prompt, .. } => format!(
            "Prompted by a risk assessment, not yet decided: {}",
            prompt.text
        ),
        Due::EscalationPrompt { prompt, .. } => {
            format!("Prompted by an incident, not yet decided: {}", prompt.text)
        }
        Due::SignOff { what, .. } => format!("To sign off as reviewed: {what}"),
        Due::MaracActionOverdue { action } => format!(
            "MARAC action overdue: {} ({}, {})",
            action.action,
            crate::form::words(action.agency),
            action.owner
        ),
        Due::SafetyPlanReview { review_on } => format!(
            "Safety plan review was due on {}",
            form::uk_date(*review_on)
        ),
        Due::SupervisionAction { action, .. } => format!(
            "Agreed in supervision: {} ({}, by {})",
            action.action,
            action.owner,
            form::uk_date(action.due_on)
        ),
    }
}

#[derive(Properties, PartialEq)]
struct SignOffProps {
    subject: SignOffSubject,
    subject_id: uuid::Uuid,
    on_changed: Callback<()>,
}

/// A supervisor signs something off as reviewed, from the Due list.
#[function_component(SignOffButton)]
fn sign_off_button(p: &SignOffProps) -> Html {
    let problem = use_state(|| None::<backend::Problem>);
    let onclick = {
        let (problem, changed, subject, subject_id) = (
            problem.clone(),
            p.on_changed.clone(),
            p.subject,
            p.subject_id,
        );
        Callback::from(move |_: MouseEvent| {
            let (problem, changed) = (problem.clone(), changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let sign_off = backend::NewSignOff {
                    subject,
                    subject_id,
                    comment: None,
                };
                match backend::call(&backend::SignOffCmd { sign_off }).await {
                    Ok(_) => changed.emit(()),
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    html! { <>
        <button class="secondary sign-off" {onclick}>{ "Sign off" }</button>
        if let Some(e) = &*problem { <span class="error" role="alert">{ format!(" {e}") }</span> }
    </> }
}
