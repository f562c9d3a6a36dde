//! What is due (overdue and missed conditions, follow-ups fallen due), then
//! today's and this week's appointments across my cases, with outcomes.

use crate::app::{Ctx, Screen};
use crate::backend::{self, AgendaEntry, Answer, Due, DueItem, SignOffSubject};
use crate::form;
use crate::l10n::Rich;
use crate::parts::AppointmentItem;
use waymark_l10n::Texts;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub ctx: Ctx,
}

#[function_component(Agenda)]
pub fn agenda(p: &Props) -> Html {
    let t = crate::l10n::use_texts();
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
    let pick = |this_week: bool, label: String| {
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
            <h1 id="agenda-title">{ t.text("nav-agenda") }</h1>
            if let Some(Ok(items)) = &*due {
                if !items.is_empty() {
                    <h2 id="due-title">{ t.text("agenda-due") }</h2>
                    <ul class="due" aria-labelledby="due-title">
                        { for items.iter().map(|i| {
                            let id = i.case_id;
                            html! {
                                <li>
                                    { format!("{} · ", form::uk_date(i.due_on)) }<span translate="no">{ i.person_name.clone() }</span>
                                    { ": " }{ due_words(&t, &i.due) }
                                    { " " }
                                    if let Due::SignOff { subject, subject_id, .. } = &i.due {
                                        <SignOffButton subject={*subject} subject_id={*subject_id} on_changed={changed.clone()} />
                                        { " " }
                                    }
                                    <button class="link" onclick={p.ctx.go.reform(move |_: MouseEvent| Screen::Case { id })}>
                                        { t.rich("agenda-open-case", &[], &[("name", &i.person_name)]) }</button>
                                </li>
                            }
                        }) }
                    </ul>
                }
            }
            <h2>{ t.text("section-appointments") }</h2>
            <div class="tabs">{ pick(false, t.text("agenda-today")) }{ " " }{ pick(true, t.text("agenda-week")) }</div>
            { match &*entries {
                None => html! { <p role="status">{ t.text("loading") }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ t.problem_line(e) }</p> },
                Some(Ok(list)) if list.is_empty() => html! { <p>{ t.text("agenda-none") }</p> },
                Some(Ok(list)) => html! {
                    <ul class="appointments">
                        { for list.iter().map(|e| {
                            let id = e.appointment.case_id;
                            html! { <>
                                <AppointmentItem key={e.appointment.id.to_string()} appointment={e.appointment.clone()}
                                    ctx={p.ctx.clone()} on_changed={changed.clone()} person_name={e.person_name.clone()} />
                                <li class="open-case"><button class="link" onclick={p.ctx.go.reform(move |_: MouseEvent| Screen::Case { id })}>
                                    { t.rich("agenda-open-case", &[], &[("name", &e.person_name)]) }</button></li>
                            </> }
                        }) }
                    </ul>
                },
            } }
        </section>
    }
}

/// What is due, in words; what people wrote (an action, a template's
/// prompt, a programme's name) marked as theirs.
fn due_words(t: &Texts, due: &Due) -> Html {
    let condition = |kind: backend::ConditionKind| t.term("condition_kind", kind.as_str());
    match due {
        Due::ConditionOverdue { condition: c } => html! { { t.text_with(
            "due-condition-overdue",
            &[("kind", condition(c.kind).into())],
        ) } },
        Due::ConditionMissed { condition: c } => html! { { t.text_with(
            "due-condition-missed",
            &[("kind", condition(c.kind).into())],
        ) } },
        Due::FollowUp {
            programme, months, ..
        } => t.rich(
            "due-follow-up",
            &[("months", (*months).into())],
            &[("programme", programme)],
        ),
        Due::AssessmentPrompt { prompt, .. } => {
            t.rich("due-assessment-prompt", &[], &[("prompt", &prompt.text)])
        }
        Due::EscalationPrompt {
            police_call_outs,
            criterion,
            ..
        } => html! { { t.text_with(
            "due-incident-prompt",
            &[("prompt", escalation_words(t, *police_call_outs, criterion).into())],
        ) } },
        Due::SignOff { what, .. } => {
            html! { { t.text_with("due-sign-off", &[("what", what.as_str().into())]) } }
        }
        Due::MaracActionOverdue { action } => t.rich(
            "due-marac-action",
            &[("agency", t.term("agency", action.agency.as_str()).into())],
            &[("action", &action.action), ("owner", &action.owner)],
        ),
        Due::SafetyPlanReview { review_on } => html! { { t.text_with(
            "due-safety-plan",
            &[("date", form::uk_date(*review_on).into())],
        ) } },
        Due::SupervisionAction { action, .. } => t.rich(
            "due-supervision-action",
            &[("date", form::uk_date(action.due_on).into())],
            &[("action", &action.action), ("owner", &action.owner)],
        ),
    }
}

/// The MARAC referral an incident's police call-out prompts, in words.
pub fn escalation_words(
    t: &Texts,
    counted: u32,
    criterion: &backend::assessment::Escalation,
) -> String {
    t.text_with(
        "escalation-prompt",
        &[
            ("counted", counted.into()),
            ("months", criterion.within_months.into()),
            ("threshold", criterion.police_call_outs.into()),
        ],
    )
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
    let t = crate::l10n::use_texts();
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
        <button class="secondary sign-off" {onclick}>{ t.text("sign-off") }</button>
        if let Some(e) = &*problem { <span class="error" role="alert">{ format!(" {e}") }</span> }
    </> }
}
