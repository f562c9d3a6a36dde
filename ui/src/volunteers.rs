//! A volunteer's cases: each case allocated to them, with what they are
//! told of the person (the contact brief), its appointments (they record
//! the outcome) and the notes they wrote (they write more). Nothing else of
//! a case reaches their device, so there is nothing else to show.

use crate::app::{Ctx, Screen};
use crate::backend::{
    self, AddNote, AllocatedCase, AllocatedCaseView, ListAllocatedCases, NewNote,
    OpenAllocatedCase, Problem, SafeContact,
};
use crate::form::{self, ErrorSummary, Field, Kind};
use crate::parts::{submitter, AppointmentItem};
use uuid::Uuid;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ListProps {
    pub ctx: Ctx,
}

/// The cases allocated to this volunteer, by name.
#[function_component(Allocated)]
pub fn allocated(p: &ListProps) -> Html {
    crate::app::use_focus_heading("allocated-title");
    let list = use_state(|| None::<Result<Vec<AllocatedCase>, Problem>>);
    {
        let (list, synced) = (list.clone(), p.ctx.sync.last_synced_ms);
        use_effect_with(synced, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                list.set(Some(backend::call(&ListAllocatedCases {}).await));
            });
        });
    }
    html! {
        <section aria-labelledby="allocated-title">
            <h1 id="allocated-title" tabindex="-1">{ "Your cases" }</h1>
            <p class="hint">{ "The people allocated to you: how to reach them safely and their next appointment. Only this reaches your laptop: ask their keyworker for anything more." }</p>
            { match &*list {
                None => html! { <p role="status">{ "Loading…" }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ e.to_string() }</p> },
                Some(Ok(rows)) if rows.is_empty() => html! {
                    <p id="no-allocated">{ "No one is allocated to you yet. Once a keyworker allocates someone, they appear here after the next sync." }</p>
                },
                Some(Ok(rows)) => html! {
                    <ul class="allocated" id="allocated-cases">
                        { for rows.iter().map(|r| {
                            let id = r.brief.case_id;
                            let open = p.ctx.go.reform(move |_: MouseEvent| Screen::AllocatedCase { id });
                            html! {
                                <li key={id.to_string()} class="allocated-case">
                                    <button class="link" onclick={open}>{ r.brief.name.clone() }</button>
                                    <span>{ format!(" · {}", contact_line(&r.brief.safe_contact)) }</span>
                                    <span>{ match &r.next_appointment {
                                        Some(a) => format!(" · next: {}{}", form::local_time(&a.starts_at),
                                            a.place.clone().map(|x| format!(" at {x}")).unwrap_or_default()),
                                        None => " · no appointment booked".to_owned(),
                                    } }</span>
                                </li>
                            }
                        }) }
                    </ul>
                },
            } }
        </section>
    }
}

/// Calls, texts and voicemail, in a few words.
fn contact_line(c: &SafeContact) -> String {
    let said = |v: Option<bool>| match v {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "not recorded",
    };
    format!(
        "Calls: {} · Texts: {} · Voicemail: {}",
        said(c.calls_safe),
        said(c.texts_safe),
        said(c.voicemail_safe)
    )
}

#[derive(Properties, PartialEq)]
pub struct CaseProps {
    pub ctx: Ctx,
    pub id: Uuid,
}

/// One allocated case: the brief, the appointments, the volunteer's notes.
#[function_component(AllocatedCasePage)]
pub fn allocated_case_page(p: &CaseProps) -> Html {
    crate::app::use_focus_heading("allocated-case-title");
    let version = use_state(|| 0u32);
    let view = use_state(|| None::<Result<AllocatedCaseView, Problem>>);
    {
        let (view, id) = (view.clone(), p.id);
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                view.set(Some(
                    backend::call(&OpenAllocatedCase { case_id: id }).await,
                ));
            });
        });
    }
    let reload = {
        let version = version.clone();
        Callback::from(move |_: ()| version.set(*version + 1))
    };
    let problem = use_state(|| None::<Problem>);
    let (body, contact_type) = (use_node_ref(), use_node_ref());
    let add_note = {
        let (body, contact_type, case_id) = (body.clone(), contact_type.clone(), p.id);
        submitter(
            problem.clone(),
            version.clone(),
            reload.clone(),
            move || {
                let note = (|| {
                    Ok::<_, Problem>(NewNote {
                        case_id,
                        body: form::value(&body),
                        contact_type: form::choice("contact_type", &form::value(&contact_type))?,
                        occurred_at: None,
                        duration_minutes: None,
                        location: None,
                    })
                })();
                async move { backend::call(&AddNote { note: note? }).await.map(|_| ()) }
            },
        )
    };
    let back = p.ctx.go.reform(|_: MouseEvent| Screen::Caseload);
    let pr = (*problem).clone();
    let v = match &*view {
        None => return html! { <p role="status">{ "Loading…" }</p> },
        Some(Err(e)) => return html! { <p class="error" role="alert">{ e.to_string() }</p> },
        Some(Ok(v)) => v.clone(),
    };
    let b = &v.brief;
    let sc = &b.safe_contact;
    html! {
        <article class="allocated-page" aria-labelledby="allocated-case-title">
            <button class="secondary" onclick={back}>{ "← Your cases" }</button>
            <h1 id="allocated-case-title" tabindex="-1">{ b.name.clone() }</h1>
            <section class="safe-contact" aria-labelledby="brief-title">
                <h2 id="brief-title">{ "How to reach them safely" }</h2>
                <p id="brief-contact">{ contact_line(sc) }</p>
                if let Some(t) = &sc.safe_times { <p>{ format!("Safe times: {t}") }</p> }
                if let Some(i) = &sc.instructions { <p>{ i.clone() }</p> }
                <p id="brief-phone">{ format!("Phone: {}", b.phone.clone().unwrap_or_else(|| "–".into())) }</p>
            </section>
            <section aria-labelledby="allocated-appts-title">
                <h2 id="allocated-appts-title">{ "Appointments" }</h2>
                <ul class="appointments" id="allocated-appointments">
                    if v.appointments.is_empty() { <li>{ "No appointments." }</li> }
                    { for v.appointments.iter().map(|a| html! {
                        <AppointmentItem key={a.id.to_string()} appointment={a.clone()} ctx={p.ctx.clone()} on_changed={reload.clone()} />
                    }) }
                </ul>
            </section>
            <section aria-labelledby="own-notes-title">
                <h2 id="own-notes-title">{ "Your notes" }</h2>
                <ol class="notes" id="own-notes">
                    if v.own_notes.is_empty() { <li>{ "You have written no notes on this case." }</li> }
                    { for v.own_notes.iter().map(|n| html! {
                        <li key={n.id.to_string()} class="note">
                            <p><strong>{ form::local_time(&n.occurred_at) }</strong>{ format!(" · {}", crate::l10n::current().term("contact_type", n.contact_type.as_str())) }</p>
                            <p>{ n.body.clone() }</p>
                        </li>
                    }) }
                </ol>
                <form onsubmit={add_note} aria-label="Write a note">
                    <ErrorSummary problem={pr.clone()} fields={vec!["body", "contact_type"]} />
                    <Field name="body" label="Note" kind={Kind::TextArea} node={body} problem={pr.clone()} required=true />
                    <Field name="contact_type" label="How you were in touch" kind={p.ctx.choices("contact_type")} node={contact_type} problem={pr.clone()} />
                    <button type="submit" id="add-volunteer-note">{ "Save note" }</button>
                </form>
            </section>
        </article>
    }
}
