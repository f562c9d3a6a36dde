//! Today's and this week's appointments across my cases, with outcomes.

use crate::app::{Ctx, Screen};
use crate::backend::{self, AgendaEntry, Answer};
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
