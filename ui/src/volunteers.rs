//! A volunteer's cases: each case allocated to them, with what they are
//! told of the person (the contact brief), its appointments (they record
//! the outcome) and the notes they wrote (they write more). Nothing else of
//! a case reaches their device, so there is nothing else to show.

use crate::app::{Ctx, Screen};
use crate::backend::{
    self, AddNote, AllocatedCase, AllocatedCaseView, ListAllocatedCases, NewNote,
    OpenAllocatedCase, Problem,
};
use crate::form::{self, ErrorSummary, Field, Kind};
use crate::l10n::Rich;
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
    let t = crate::l10n::use_texts();
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
            <h1 id="allocated-title" tabindex="-1">{ t.text("nav-your-cases") }</h1>
            <p class="hint">{ t.text("allocated-hint") }</p>
            { match &*list {
                None => html! { <p role="status">{ t.text("loading") }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ t.problem_line(e) }</p> },
                Some(Ok(rows)) if rows.is_empty() => html! {
                    <p id="no-allocated">{ t.text("allocated-none") }</p>
                },
                Some(Ok(rows)) => html! {
                    <ul class="allocated" id="allocated-cases">
                        { for rows.iter().map(|r| {
                            let id = r.brief.case_id;
                            let open = p.ctx.go.reform(move |_: MouseEvent| Screen::AllocatedCase { id });
                            html! {
                                <li key={id.to_string()} class="allocated-case">
                                    <button class="link" onclick={open} translate="no">{ r.brief.name.clone() }</button>
                                    <span>{ " · " }{ crate::case::safe_ways(&t, &r.brief.safe_contact) }</span>
                                    <span>{ " · " }{ match &r.next_appointment {
                                        Some(a) => html! { <>{ t.text_with("allocated-next", &[("when", form::local_time(&a.starts_at).into())]) }
                                            if let Some(x) = &a.place { { " " }{ t.rich("appt-at", &[], &[("place", x)]) } }</> },
                                        None => html! { { t.text("allocated-no-appointment") } },
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

#[derive(Properties, PartialEq)]
pub struct CaseProps {
    pub ctx: Ctx,
    pub id: Uuid,
}

/// One allocated case: the brief, the appointments, the volunteer's notes.
#[function_component(AllocatedCasePage)]
pub fn allocated_case_page(p: &CaseProps) -> Html {
    let t = crate::l10n::use_texts();
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
        None => return html! { <p role="status">{ t.text("loading") }</p> },
        Some(Err(e)) => return html! { <p class="error" role="alert">{ t.problem_line(e) }</p> },
        Some(Ok(v)) => v.clone(),
    };
    let b = &v.brief;
    let sc = &b.safe_contact;
    html! {
        <article class="allocated-page" aria-labelledby="allocated-case-title">
            <button class="secondary" onclick={back}>{ t.text("allocated-back") }</button>
            <h1 id="allocated-case-title" tabindex="-1" translate="no">{ b.name.clone() }</h1>
            <section class="safe-contact" aria-labelledby="brief-title">
                <h2 id="brief-title">{ t.text("allocated-brief") }</h2>
                <p id="brief-contact">{ crate::case::safe_ways(&t, sc) }</p>
                if let Some(times) = &sc.safe_times { <p>{ t.text("case-safe-times") }{ " " }<span translate="no">{ times.clone() }</span></p> }
                if let Some(i) = &sc.instructions { <p translate="no">{ i.clone() }</p> }
                <p id="brief-phone">{ t.text("case-phone") }{ " " }<span translate="no">{ b.phone.clone().unwrap_or_else(|| "–".into()) }</span></p>
            </section>
            <section aria-labelledby="allocated-appts-title">
                <h2 id="allocated-appts-title">{ t.text("appts-title") }</h2>
                <ul class="appointments" id="allocated-appointments">
                    if v.appointments.is_empty() { <li>{ t.text("appts-none") }</li> }
                    { for v.appointments.iter().map(|a| html! {
                        <AppointmentItem key={a.id.to_string()} appointment={a.clone()} ctx={p.ctx.clone()} on_changed={reload.clone()} />
                    }) }
                </ul>
            </section>
            <section aria-labelledby="own-notes-title">
                <h2 id="own-notes-title">{ t.text("allocated-notes") }</h2>
                <ol class="notes" id="own-notes">
                    if v.own_notes.is_empty() { <li>{ t.text("allocated-no-notes") }</li> }
                    { for v.own_notes.iter().map(|n| html! {
                        <li key={n.id.to_string()} class="note">
                            <p><strong>{ form::local_time(&n.occurred_at) }</strong>{ format!(" · {}", t.term("contact_type", n.contact_type.as_str())) }</p>
                            <p translate="no">{ n.body.clone() }</p>
                        </li>
                    }) }
                </ol>
                <form onsubmit={add_note} aria-label={t.text("notes-write")}>
                    <ErrorSummary problem={pr.clone()} fields={vec!["body", "contact_type"]} />
                    <Field name="body" label={t.text("notes-body")} kind={Kind::TextArea} node={body} problem={pr.clone()} required=true />
                    <Field name="contact_type" label={t.text("field-in-touch")} kind={p.ctx.choices("contact_type")} node={contact_type} problem={pr.clone()} />
                    <button type="submit" id="add-volunteer-note">{ t.text("notes-save") }</button>
                </form>
            </section>
        </article>
    }
}
