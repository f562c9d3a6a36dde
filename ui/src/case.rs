//! A case: the header (flags, safe-contact instructions, the masked
//! address), its sections, the timeline and notes; and the new-case form.

use crate::app::{Ctx, Screen};
use crate::backend::{
    self, CasePage as Page, ErasureRule, ErasureState, NewNote, NoteDraft, NoteHistory, Problem,
    Role, Stage, TimelineItem,
};
use crate::form::{self, ErrorSummary, Field, Kind};
use crate::l10n::Rich;
use crate::parts;
use uuid::Uuid;
use waymark_l10n::Texts;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub ctx: Ctx,
    pub id: Uuid,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Section {
    Timeline,
    Details,
    Notes,
    Plan,
    Appointments,
    Assessments,
    Incidents,
    Safety,
    Referrals,
    Attachments,
    Linked,
    Supervision,
    Access,
}

const SECTIONS: [Section; 13] = [
    Section::Timeline,
    Section::Details,
    Section::Notes,
    Section::Plan,
    Section::Appointments,
    Section::Assessments,
    Section::Incidents,
    Section::Safety,
    Section::Referrals,
    Section::Attachments,
    Section::Linked,
    Section::Supervision,
    Section::Access,
];

impl Section {
    /// The tab's id: `tab-<section>`, the same in every language.
    fn id(self) -> String {
        format!("tab-{self:?}").to_lowercase()
    }

    fn name(self, t: &Texts) -> String {
        match self {
            Section::Timeline => t.text("section-timeline"),
            Section::Details => t.text("section-details"),
            Section::Notes => t.text("section-notes"),
            Section::Plan => t.text("section-plan"),
            Section::Appointments => t.text("section-appointments"),
            Section::Assessments => t.text("section-assessments"),
            Section::Incidents => t.text("section-incidents"),
            Section::Safety => t.text("section-safety"),
            Section::Referrals => t.text("section-referrals"),
            Section::Attachments => t.text("section-attachments"),
            Section::Linked => t.text("section-linked"),
            Section::Supervision => t.text("section-supervision"),
            Section::Access => t.text("section-access"),
        }
    }
}

#[function_component(CasePage)]
pub fn case_page(p: &Props) -> Html {
    let t = crate::l10n::use_texts();
    let page = use_state(|| None::<Result<Page, Problem>>);
    let section = use_state(|| Section::Notes);
    let revealed = use_state(|| None::<String>);
    let version = use_state(|| 0u32);
    {
        let (page, id) = (page.clone(), p.id);
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                page.set(Some(
                    backend::call(&backend::OpenCase { case_id: id }).await,
                ));
            });
        });
    }
    let changed = {
        let version = version.clone();
        Callback::from(move |_: ()| version.set(*version + 1))
    };
    let reveal = {
        let (revealed, id) = (revealed.clone(), p.id);
        Callback::from(move |_: MouseEvent| {
            let (revealed, id) = (revealed.clone(), id);
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Some(a)) = backend::call(&backend::RevealAddress { case_id: id }).await {
                    revealed.set(Some(a));
                }
            });
        })
    };
    let hide = {
        let revealed = revealed.clone();
        Callback::from(move |_: MouseEvent| revealed.set(None))
    };
    let back = p.ctx.go.reform(|_: MouseEvent| Screen::Caseload);
    let page = match &*page {
        None => return html! { <p role="status">{ t.text("case-opening") }</p> },
        Some(Err(e)) => return html! { <p class="error" role="alert">{ t.problem_line(e) }</p> },
        Some(Ok(page)) => page.clone(),
    };
    let v = &page.view;
    let person = &v.person;
    let sc = &person.safe_contact;
    let tab = |s: Section| {
        let section = section.clone();
        let current = *section == s;
        html! {
            <li><button class="tab" id={s.id()} aria-current={current.then_some("true")}
                onclick={Callback::from(move |_: MouseEvent| section.set(s))}>{ s.name(&t) }</button></li>
        }
    };
    let id = p.id;
    // Supervision notes reach the keyworker's and the supervisors' devices
    // only: the tab shows where there are some, or for a supervisor.
    let shows = |s: &Section| {
        *s != Section::Supervision
            || !v.supervision.is_empty()
            || p.ctx.role == Some(Role::Supervisor)
    };
    html! {
        <article aria-labelledby="case-title">
            <button class="secondary back" onclick={back}>{ t.text("case-back") }</button>
            <header class="case-header">
                <div>
                    <h1 id="case-title" tabindex="-1" translate="no">
                        { person.preferred_name.clone().map_or(person.full_name.clone(), |pn| format!("{} ({pn})", person.full_name)) }
                    </h1>
                    <p class="meta">
                        if let Some(p) = &person.pronouns { <span translate="no">{ p.clone() }</span>{ " · " } }
                        { person.date_of_birth.map(|d| format!("{} · ", t.text_with("case-born", &[("date", form::uk_date(d).into())]))).unwrap_or_default() }
                        { t.text("case-risk") }{ " " }{ crate::caseload::risk_badge(&t, v.risk_level.as_deref()) }
                        // Other kinds of assessment keep their own level, beside the risk.
                        { for v.levels.iter().filter(|l| !l.risk).map(|l| html! { <>{ " · " }<span translate="no">{ format!("{}: {}", l.template_name, l.label) }</span></> }) }
                        if v.incidents_last_year.incidents > 0 {
                            <span id="incident-count">{ " · " }{ t.text_with("case-incidents", &[
                                ("count", v.incidents_last_year.incidents.into()),
                                ("police", v.incidents_last_year.police_call_outs.into())]) }</span>
                        }
                        { for v.episodes.iter().take(1).map(|e| html! { <>{ " · " }{ t.rich("case-episode", &[
                            ("status", t.term("episode_status", e.status.as_str()).into()),
                            ("stage", t.term("stage", backend::StageMove::current(e.id, &v.stage_moves).as_str()).into())],
                            &[("programme", &e.programme), ("keyworker", &e.keyworker)]) }</> }) }
                    </p>
                    if let Some(e) = v.episodes.first() {
                        <MoveStage episode={e.clone()} stage={backend::StageMove::current(e.id, &v.stage_moves)} on_changed={changed.clone()} />
                        <CloseCase episode={e.clone()} on_changed={changed.clone()} />
                    }
                    <OpenEpisode ctx={p.ctx.clone()} case_id={id} on_changed={changed.clone()} />
                    if matches!(p.ctx.role, Some(Role::Supervisor | Role::Admin)) {
                        <EraseCase ctx={p.ctx.clone()} case_id={id} />
                    }
                    if !v.sign_offs.is_empty() {
                        <ul class="sign-offs" id="sign-offs" aria-label={t.text("case-sign-offs")}>
                            { for v.sign_offs.iter().map(|s| html! {
                                <li>{ match &s.by {
                                    Some(by) => t.rich("case-signed-off", &[
                                        ("what", t.term("sign_off_subject", s.sign_off.subject.as_str()).into()),
                                        ("when", form::local_time(&s.sign_off.signed_at).into())], &[("by", by)]),
                                    None => html! { { t.text_with("case-signed-off", &[
                                        ("what", t.term("sign_off_subject", s.sign_off.subject.as_str()).into()),
                                        ("by", t.text("someone-unknown").into()),
                                        ("when", form::local_time(&s.sign_off.signed_at).into())]) } },
                                } }
                                    if let Some(c) = &s.sign_off.comment { { " — " }<span translate="no">{ c.clone() }</span> }</li>
                            }) }
                        </ul>
                    }
                    if !v.open_flags.is_empty() {
                        <ul class="flags" aria-label={t.text("case-flags")}>
                            { for v.open_flags.iter().map(|f| html! {
                                <li class="flag">{ t.term("flag_kind", f.kind.as_str()) }
                                    if let Some(d) = &f.detail { { ": " }<span translate="no">{ d.clone() }</span> }</li>
                            }) }
                        </ul>
                    }
                </div>
                <section class="safe-contact" aria-labelledby="safe-title">
                    <h2 id="safe-title">{ t.text("case-safe-contact") }</h2>
                    <p>{ safe_ways(&t, sc) }</p>
                    if let Some(times) = &sc.safe_times { <p>{ t.text("case-safe-times") }{ " " }<span translate="no">{ times }</span></p> }
                    if let Some(c) = &sc.code_word { <p>{ t.text("case-code-word") }{ " " }<span translate="no">{ c }</span></p> }
                    <p id="safe-instructions">{ match &sc.instructions {
                        Some(i) => html! { <span translate="no">{ i.clone() }</span> },
                        None => html! { { t.text("case-no-instructions") } },
                    } }</p>
                    <p>{ t.text("case-phone") }{ " " }<span translate="no">{ person.phone.clone().unwrap_or_else(|| "–".into()) }</span></p>
                    <p>{ t.text("case-address") }{ " " }
                        { match (&*revealed, &v.address_shown) {
                            (Some(a), _) => html! { <>
                                <span id="address" translate="no">{ a.clone() }</span>{ " " }
                                <button class="secondary" onclick={hide}>{ t.text("case-hide-address") }</button>
                            </> },
                            // Masked by the core; the words are ours.
                            (None, Some(_)) if person.address_restricted => html! { <>
                                <span id="address">{ t.text("case-address-masked") }</span>{ " " }
                                <button class="secondary" id="reveal-address" onclick={reveal}
                                    title={t.text("case-reveal.title")}>{ t.text("case-reveal") }</button>
                            </> },
                            (None, Some(shown)) => html! { <span id="address" translate="no">{ shown.clone() }</span> },
                            (None, None) => html! { "–" },
                        } }
                    </p>
                </section>
            </header>
            <nav aria-label={t.text("case-sections")}><ul class="tabs">{ for SECTIONS.into_iter().filter(shows).map(tab) }</ul></nav>
            <div class="section">
                { match *section {
                    Section::Timeline => html! { <Timeline items={page.timeline.clone()} /> },
                    Section::Details => html! { <crate::details::Details person={person.clone()} on_changed={changed.clone()} /> },
                    Section::Notes => html! { <Notes ctx={p.ctx.clone()} case_id={id} items={page.timeline.clone()} on_changed={changed} /> },
                    Section::Plan => html! { <parts::Plan ctx={p.ctx.clone()} case_id={id} on_changed={changed} /> },
                    Section::Appointments => html! { <parts::Appointments ctx={p.ctx.clone()} case_id={id} on_changed={changed} /> },
                    Section::Assessments => html! { <parts::Assessments ctx={p.ctx.clone()} case_id={id} on_changed={changed} /> },
                    Section::Incidents => html! { <parts::Incidents ctx={p.ctx.clone()} case_id={id} incidents={v.incidents.clone()} on_changed={changed} /> },
                    Section::Referrals => html! { <parts::ReferralsAndFlags ctx={p.ctx.clone()} case_id={id} agreed={person.agreed_topics()} on_changed={changed} /> },
                    Section::Attachments => html! { <parts::Attachments ctx={p.ctx.clone()} case_id={id} on_changed={changed} /> },
                    Section::Safety => html! { <parts::SafetyAndMarac ctx={p.ctx.clone()} case_id={id} plan={v.safety_plan.clone()}
                        meetings={v.marac_meetings.clone()} actions={v.marac_actions.clone()} on_changed={changed.clone()} /> },
                    Section::Linked => html! { <crate::linked::Linked ctx={p.ctx.clone()} case_id={id}
                        linked={v.linked.clone()} linked_from={v.linked_from.clone()} on_changed={changed.clone()} /> },
                    Section::Supervision => html! { <crate::supervision::Supervision ctx={p.ctx.clone()} case_id={id}
                        entries={v.supervision.clone()} on_changed={changed.clone()} /> },
                    Section::Access => html! { <parts::Access ctx={p.ctx.clone()} case_id={id} on_changed={changed} /> },
                } }
            </div>
        </article>
    }
}

/// Whether calls, texts and voicemail are safe, in a few words (the case
/// header's and a volunteer's brief).
pub fn safe_ways(t: &Texts, c: &backend::SafeContact) -> String {
    let said = |v: Option<bool>| {
        let answer = match v {
            Some(true) => "yes",
            Some(false) => "no",
            None => "unknown",
        };
        t.text_with("case-safe", &[("answer", answer.into())])
    };
    t.text_with(
        "case-safe-ways",
        &[
            ("calls", said(c.calls_safe).into()),
            ("texts", said(c.texts_safe).into()),
            ("voicemail", said(c.voicemail_safe).into()),
        ],
    )
}

#[derive(Properties, PartialEq)]
struct TimelineProps {
    items: Vec<TimelineItem>,
}

#[function_component(Timeline)]
fn timeline(p: &TimelineProps) -> Html {
    let t = crate::l10n::use_texts();
    html! {
        <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">{ t.text("section-timeline") }</h2>
            if p.items.is_empty() { <p>{ t.text("timeline-empty") }</p> }
            <ol class="timeline">
                { for p.items.iter().map(|i| html! {
                    <li key={format!("{}{}", i.id, i.at)} class={classes!("kind", i.kind.clone())}>
                        <span class="when">{ form::local_time(&i.at) }</span>
                        <strong>{ crate::l10n::pieces(t.timeline_event(&i.event)) }</strong>
                        if let Some(d) = &i.detail { <p class="detail" translate="no">{ d.clone() }</p> }
                    </li>
                }) }
            </ol>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct SectionProps {
    pub ctx: Ctx,
    pub case_id: Uuid,
    pub items: Vec<TimelineItem>,
    pub on_changed: Callback<()>,
}

/// Writing a note, with the draft saved as you type; the notes so far, each
/// amendable with a reason and its history on request.
#[function_component(Notes)]
fn notes(p: &SectionProps) -> Html {
    let t = crate::l10n::use_texts();
    let (body, contact, minutes, place) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let problem = use_state(|| None::<Problem>);
    // What became of the draft, said in the language in force when shown.
    let draft_status = use_state(|| None::<DraftStatus>);
    let pending = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    // What was typed since the last draft save, read from the form as it was
    // typed: leaving saves this, never the form as it is torn down.
    let unsaved = use_mut_ref(|| None::<NoteDraft>);
    let read = {
        let (body, contact, minutes, place) = (
            body.clone(),
            contact.clone(),
            minutes.clone(),
            place.clone(),
        );
        move || NoteDraft {
            body: form::value(&body),
            contact_type: form::value(&contact).parse().ok(),
            duration_minutes: form::value(&minutes).trim().parse().ok(),
            location: form::opt(form::value(&place)),
            saved_at: None,
        }
    };
    // Bring back this person's draft of this case.
    {
        let (body, contact, minutes, place, draft_status) = (
            body.clone(),
            contact.clone(),
            minutes.clone(),
            place.clone(),
            draft_status.clone(),
        );
        let case_id = p.case_id;
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Some(d)) = backend::call(&backend::GetNoteDraft { case_id }).await {
                    form::set_value(&body, &d.body);
                    if let Some(c) = d.contact_type {
                        form::set_value(&contact, c.as_str());
                    }
                    form::set_value(
                        &minutes,
                        &d.duration_minutes
                            .map(|m| m.to_string())
                            .unwrap_or_default(),
                    );
                    form::set_value(&place, &d.location.unwrap_or_default());
                    draft_status.set(Some(DraftStatus::BroughtBack(
                        d.saved_at
                            .as_ref()
                            .map(form::local_time)
                            .unwrap_or_default(),
                    )));
                }
            });
        });
    }
    // Save what was typed, if anything (a timer fires this, and leaving the
    // screen does too).
    let save_draft = {
        let (unsaved, draft_status, case_id) = (unsaved.clone(), draft_status.clone(), p.case_id);
        move || {
            let Some(draft) = unsaved.borrow_mut().take() else {
                return;
            };
            let (draft_status, case_id) = (draft_status.clone(), case_id);
            // A quick exit waits for this before it locks.
            let held = backend::save_in_flight();
            wasm_bindgen_futures::spawn_local(async move {
                let saved = backend::call(&backend::SaveNoteDraft { case_id, draft }).await;
                drop(held);
                draft_status.set(Some(match saved {
                    Ok(at) => DraftStatus::Saved(form::local_time(&at)),
                    Err(e) => DraftStatus::NotSaved(e.to_string()),
                }));
            });
        }
    };
    let oninput = {
        let (pending, unsaved, save_draft, read) = (
            pending.clone(),
            unsaved.clone(),
            save_draft.clone(),
            read.clone(),
        );
        Callback::from(move |_: InputEvent| {
            *unsaved.borrow_mut() = Some(read());
            let save = save_draft.clone();
            *pending.borrow_mut() = Some(gloo_timers::callback::Timeout::new(400, save));
        })
    };
    {
        // Leaving (quick exit included) saves what a timer had not yet.
        let (pending, save_draft) = (pending.clone(), save_draft.clone());
        use_effect_with((), move |_| {
            move || {
                if let Some(t) = pending.borrow_mut().take() {
                    t.cancel();
                }
                save_draft();
            }
        });
    }
    let onsubmit = {
        let (read, problem, draft_status, body, minutes, place) = (
            read.clone(),
            problem.clone(),
            draft_status.clone(),
            body.clone(),
            minutes.clone(),
            place.clone(),
        );
        let (case_id, changed, pending, unsaved) = (
            p.case_id,
            p.on_changed.clone(),
            pending.clone(),
            unsaved.clone(),
        );
        let choose = t.text("notes-choose-contact");
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(t) = pending.borrow_mut().take() {
                t.cancel();
            }
            unsaved.borrow_mut().take();
            let d = read();
            let Some(contact_type) = d.contact_type else {
                problem.set(Some(Problem::at("contact_type", choose.clone())));
                return;
            };
            let note = NewNote {
                case_id,
                body: d.body,
                contact_type,
                occurred_at: None,
                duration_minutes: d.duration_minutes,
                location: d.location,
            };
            let (problem, draft_status, changed) =
                (problem.clone(), draft_status.clone(), changed.clone());
            let (body, minutes, place) = (body.clone(), minutes.clone(), place.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::AddNote { note }).await {
                    Ok(_) => {
                        form::set_value(&body, "");
                        form::set_value(&minutes, "");
                        form::set_value(&place, "");
                        problem.set(None);
                        draft_status.set(Some(DraftStatus::NoteSaved));
                        changed.emit(());
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let discard = {
        let (body, minutes, place, draft_status, case_id, pending, unsaved) = (
            body.clone(),
            minutes.clone(),
            place.clone(),
            draft_status.clone(),
            p.case_id,
            pending.clone(),
            unsaved.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if let Some(t) = pending.borrow_mut().take() {
                t.cancel();
            }
            unsaved.borrow_mut().take();
            for r in [&body, &minutes, &place] {
                form::set_value(r, "");
            }
            let (draft_status, case_id) = (draft_status.clone(), case_id);
            wasm_bindgen_futures::spawn_local(async move {
                if backend::call(&backend::DiscardNoteDraft { case_id })
                    .await
                    .is_ok()
                {
                    draft_status.set(Some(DraftStatus::Discarded));
                }
            });
        })
    };
    let pr = (*problem).clone();
    let notes: Vec<&TimelineItem> = p.items.iter().filter(|i| i.kind == "note").collect();
    html! {
        <section aria-labelledby="notes-title">
            <h2 id="notes-title">{ t.text("section-notes") }</h2>
            <form class="note-form" onsubmit={onsubmit} aria-label={t.text("notes-write")}>
                <ErrorSummary problem={pr.clone()} fields={vec!["contact_type", "duration_minutes", "location", "body"]} />
                <div class="row">
                    <Field name="contact_type" label={t.text("notes-contact-type")} kind={p.ctx.choices("contact_type")} node={contact} problem={pr.clone()} required=true />
                    <Field name="duration_minutes" label={t.text("notes-duration")} kind={Kind::Number} node={minutes} problem={pr.clone()} oninput={oninput.clone()} />
                    <Field name="location" label={t.text("notes-where")} node={place} problem={pr.clone()} oninput={oninput.clone()} />
                </div>
                <Field name="body" label={t.text("notes-body")} kind={Kind::TextArea} node={body} problem={pr.clone()} required=true oninput={oninput}
                    hint={t.text("notes-body.hint")} />
                <p class="hint" role="status" id="draft-status">{ draft_status.as_ref().map(|d| d.said(&t)).unwrap_or_default() }</p>
                <button type="submit" id="save-note">{ t.text("notes-save") }</button>
                { " " }
                <button type="button" class="secondary" onclick={discard}>{ t.text("notes-discard") }</button>
            </form>
            <h3>{ t.text_with("notes-so-far", &[("count", notes.len().into())]) }</h3>
            <ol class="notes">
                { for notes.into_iter().map(|n| html! {
                    <NoteItem key={n.id.to_string()} item={n.clone()} on_changed={p.on_changed.clone()} />
                }) }
            </ol>
        </section>
    }
}

/// What became of the note being written.
#[derive(Clone, PartialEq)]
enum DraftStatus {
    BroughtBack(String),
    Saved(String),
    NotSaved(String),
    NoteSaved,
    Discarded,
}

impl DraftStatus {
    fn said(&self, t: &Texts) -> String {
        match self {
            DraftStatus::BroughtBack(when) => {
                t.text_with("draft-brought-back", &[("when", when.as_str().into())])
            }
            DraftStatus::Saved(when) => {
                t.text_with("draft-saved", &[("when", when.as_str().into())])
            }
            DraftStatus::NotSaved(why) => {
                t.text_with("draft-not-saved", &[("why", why.as_str().into())])
            }
            DraftStatus::NoteSaved => t.text("note-saved"),
            DraftStatus::Discarded => t.text("draft-discarded"),
        }
    }
}

#[derive(Properties, PartialEq)]
struct NoteItemProps {
    item: TimelineItem,
    on_changed: Callback<()>,
}

#[function_component(NoteItem)]
fn note_item(p: &NoteItemProps) -> Html {
    let t = crate::l10n::use_texts();
    let amending = use_state(|| false);
    let history = use_state(|| None::<NoteHistory>);
    let problem = use_state(|| None::<Problem>);
    let (body, reason) = (use_node_ref(), use_node_ref());
    let id = p.item.id;
    let toggle_amend = {
        let amending = amending.clone();
        Callback::from(move |_: MouseEvent| amending.set(!*amending))
    };
    let show_history = {
        let (history, id) = (history.clone(), id);
        Callback::from(move |_: MouseEvent| {
            if history.is_some() {
                history.set(None);
                return;
            }
            let (history, id) = (history.clone(), id);
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(h) = backend::call(&backend::GetNoteHistory { note_id: id }).await {
                    history.set(Some(h));
                }
            });
        })
    };
    let onsubmit = {
        let (body, reason, problem, amending, changed, id) = (
            body.clone(),
            reason.clone(),
            problem.clone(),
            amending.clone(),
            p.on_changed.clone(),
            id,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (b, r) = (form::value(&body), form::value(&reason));
            let (problem, amending, changed, id) =
                (problem.clone(), amending.clone(), changed.clone(), id);
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::AmendNote {
                    note_id: id,
                    body: b,
                    reason: r,
                })
                .await
                {
                    Ok(()) => {
                        amending.set(false);
                        changed.emit(());
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let short = &id.simple().to_string()[..8];
    let (body_id, reason_id) = (format!("body-{short}"), format!("reason-{short}"));
    let pr = (*problem).clone();
    let scoped = pr.as_ref().map(|x| x.scoped(short));
    html! {
        <li class="note">
            <p class="when">
                { form::local_time(&p.item.at) }{ " · " }{ crate::l10n::pieces(t.timeline_event(&p.item.event)) }
                if let Some(by) = &p.item.by { { " · " }{ t.rich("note-by", &[], &[("who", by)]) } }
            </p>
            <p class="note-body" translate="no">{ p.item.detail.clone().unwrap_or_default() }</p>
            <button class="secondary" onclick={toggle_amend} aria-expanded={(*amending).to_string()}>{ t.text("note-amend") }</button>
            { " " }
            <button class="secondary" onclick={show_history} aria-expanded={history.is_some().to_string()}>{ t.text("note-history") }</button>
            if *amending {
                <form onsubmit={onsubmit} aria-label={t.text("note-amend-form")}>
                    <ErrorSummary problem={pr.clone()} fields={vec!["body", "reason"]} scope={AttrValue::from(short.to_owned())} />
                    <Field name={body_id} label={t.text("note-corrected")} kind={Kind::TextArea} node={body} required=true
                        value={p.item.detail.clone().unwrap_or_default()} problem={scoped.clone()} />
                    <Field name={reason_id} label={t.text("note-reason")} node={reason} required=true
                        problem={scoped} />
                    <button type="submit">{ t.text("note-save-amendment") }</button>
                </form>
            }
            if let Some(h) = &*history {
                <ol class="history" aria-label={t.text("note-versions")}>
                    <li>{ t.text_with("note-original", &[("when", form::local_time(&h.note.occurred_at).into()),
                        ("by", by_whom(&t, &h.written_by).into())]) }{ " " }<span translate="no">{ h.note.body.clone() }</span></li>
                    { for h.amendments.iter().zip(&h.amended_by).map(|(a, who)| html! {
                        <li>{ t.text_with("note-amended", &[("when", form::local_time(&a.amended_at).into()),
                            ("by", by_whom(&t, who).into())]) }{ " " }<span translate="no">{ format!("{} — {}", a.reason, a.body) }</span></li>
                    }) }
                </ol>
            }
        </li>
    }
}

/// " by NAME", where the writer is known.
fn by_whom(t: &Texts, who: &Option<String>) -> String {
    who.as_deref()
        .map(|w| format!(" {}", t.text_with("note-by", &[("who", w.into())])))
        .unwrap_or_default()
}

/// Opening a new case: the person, how to contact them safely, how they
/// came to us. One transaction in the core.
#[function_component(NewCase)]
pub fn new_case(p: &crate::caseload::Props) -> Html {
    let t = crate::l10n::use_texts();
    let refs: Vec<NodeRef> = (0..16).map(|_| NodeRef::default()).collect();
    let refs = use_state(|| refs);
    let problem = use_state(|| None::<Problem>);
    crate::app::use_focus_heading("new-case-title");
    let r = |i: usize| refs[i].clone();
    let onsubmit = {
        let (refs, problem, go) = (refs.clone(), problem.clone(), p.ctx.go.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let case = crate::details::read_person(&refs).and_then(|person| {
                Ok(backend::NewCase {
                    person: person.into(),
                    referral_source: form::choice("referral_source", &form::value(&refs[14]))?,
                    programme: form::value(&refs[15]),
                })
            });
            let case = match case {
                Ok(case) => case,
                Err(e) => return problem.set(Some(e)),
            };
            let (problem, go) = (problem.clone(), go.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::CreateCase { case }).await {
                    Ok(id) => go.emit(Screen::Case { id }),
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let pr = (*problem).clone();
    let (mut fields, aliases) = crate::details::person_field_names("address");
    fields.extend(["referral_source", "programme"]);
    let cancel = p.ctx.go.reform(|_: MouseEvent| Screen::Caseload);
    let (programmes, programme_kind) = use_programmes();
    html! {
        <section aria-labelledby="new-case-title">
            <h1 id="new-case-title" tabindex="-1">{ t.text("new-case-title") }</h1>
            <form onsubmit={onsubmit} aria-labelledby="new-case-title">
                <ErrorSummary problem={pr.clone()} fields={fields} aliases={aliases} />
                <crate::details::PersonFields refs={(*refs)[..14].to_vec()} problem={pr.clone()} address_id="address" />
                <Field name="referral_source" label={t.text("field-referred-by")} kind={p.ctx.choices("referral_source")} node={r(14)} problem={pr.clone()} />
                <Field name="programme" label={t.text("field-programme")} kind={programme_kind} node={r(15)} problem={pr.clone()} required=true
                    value={programmes.is_empty().then_some("Women's support")} written_options=true />
                <button type="submit" id="create-case">{ t.text("new-case-open") }</button>
                { " " }
                <button type="button" class="secondary" onclick={cancel}>{ t.text("cancel") }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct MoveStageProps {
    episode: backend::Episode,
    stage: Stage,
    on_changed: Callback<()>,
}

/// Recording where the case's current episode has got to (engaged, then
/// completed or another end), with the day; an end closes the episode.
#[function_component(MoveStage)]
fn move_stage(p: &MoveStageProps) -> Html {
    let t = crate::l10n::use_texts();
    let first_day = form::use_first_day();
    let open = use_state(|| false);
    let problem = use_state(|| None::<Problem>);
    let (to, on) = (use_node_ref(), use_node_ref());
    if p.stage.next().is_empty() {
        return html! {};
    }
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let onsubmit = {
        let (to, on, problem, changed, open, id) = (
            to.clone(),
            on.clone(),
            problem.clone(),
            p.on_changed.clone(),
            open.clone(),
            p.episode.id,
        );
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let chosen = (|| {
                let stage: Stage = form::choice("stage", &form::value(&to))?;
                match form::date("on", &form::value(&on))? {
                    Some(day) => Ok((stage, day)),
                    None => Err(Problem::at(
                        "on",
                        crate::l10n::current().text("must-not-be-empty"),
                    )),
                }
            })();
            let (stage, day) = match chosen {
                Ok(chosen) => chosen,
                Err(e) => return problem.set(Some(e)),
            };
            let (problem, changed, open) = (problem.clone(), changed.clone(), open.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::MoveStage {
                    episode_id: id,
                    to: stage,
                    on: day,
                })
                .await
                {
                    Ok(_) => {
                        open.set(false);
                        changed.emit(())
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let onward = Kind::Select(
        p.stage
            .next()
            .iter()
            .map(|s| (s.to_string(), form::sentence(&t.term("stage", s.as_str()))))
            .collect(),
    );
    let pr = (*problem).clone();
    html! {
        <div class="move-stage">
            <button class="secondary" id="move-stage" onclick={toggle} aria-expanded={(*open).to_string()}>{ t.text("stage-record-open") }</button>
            if *open {
                <form onsubmit={onsubmit} aria-label={t.text("form-stage")}>
                    <ErrorSummary problem={pr.clone()} fields={vec!["stage", "on"]} aliases={vec![("moved_on", "on")]} />
                    <Field name="stage" label={t.text("field-moved-to")} kind={onward} node={to} problem={pr.clone()} />
                    <Field name="on" label={t.text("field-on")} kind={Kind::Date} node={on} problem={pr.clone()} required=true
                        also={vec!["moved_on"]} value={first_day.clone()} />
                    <button type="submit" id="confirm-stage">{ t.text("stage-record") }</button>
                </form>
            }
        </div>
    }
}

/// The organisation's programmes a new episode may join, and the field for
/// choosing one (free text where it has defined none).
#[hook]
fn use_programmes() -> (UseStateHandle<Vec<String>>, Kind) {
    let programmes = use_state(Vec::<String>::new);
    {
        let programmes = programmes.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(all) = backend::call(&backend::ListProgrammes {}).await {
                    programmes.set(
                        all.into_iter()
                            .filter(|p| !p.retired)
                            .map(|p| p.name)
                            .collect(),
                    );
                }
            });
        });
    }
    let kind = match programmes.is_empty() {
        true => Kind::Text,
        false => Kind::Select(programmes.iter().map(|n| (n.clone(), n.clone())).collect()),
    };
    (programmes, kind)
}

#[derive(Properties, PartialEq)]
struct OpenEpisodeProps {
    ctx: Ctx,
    case_id: Uuid,
    on_changed: Callback<()>,
}

/// Another episode for the person: a re-referral, or another programme.
#[function_component(OpenEpisode)]
fn open_episode(p: &OpenEpisodeProps) -> Html {
    let t = crate::l10n::use_texts();
    let open = use_state(|| false);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let opened = {
        let (open, changed) = (open.clone(), p.on_changed.clone());
        Callback::from(move |()| {
            open.set(false);
            changed.emit(());
        })
    };
    html! {
        <div class="open-episode">
            <button class="secondary" id="open-episode" onclick={toggle} aria-expanded={(*open).to_string()}>{ t.text("episode-open-more") }</button>
            if *open {
                <OpenEpisodeForm ctx={p.ctx.clone()} case_id={p.case_id} on_changed={opened} />
            }
        </div>
    }
}

/// The form itself, mounted only while open: the programmes are fetched
/// when someone means to open an episode, not with every case.
#[function_component(OpenEpisodeForm)]
fn open_episode_form(p: &OpenEpisodeProps) -> Html {
    let t = crate::l10n::use_texts();
    let first_day = form::use_first_day();
    let problem = use_state(|| None::<Problem>);
    let (source, programme, keyworker, on, route) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let (programmes, programme_kind) = use_programmes();
    let onsubmit = {
        let (source, programme, keyworker, on, route) = (
            source.clone(),
            programme.clone(),
            keyworker.clone(),
            on.clone(),
            route.clone(),
        );
        let (problem, changed, case_id, me) = (
            problem.clone(),
            p.on_changed.clone(),
            p.case_id,
            p.ctx.user.clone(),
        );
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let episode = (|| {
                Ok::<_, Problem>(backend::NewEpisode {
                    case_id,
                    referral_source: form::choice("referral_source", &form::value(&source))?,
                    programme: form::value(&programme),
                    keyworker: form::opt(form::value(&keyworker)).unwrap_or_else(|| me.clone()),
                    opened_on: form::date("opened_on", &form::value(&on))?
                        .unwrap_or_else(form::today),
                    route: match form::opt(form::value(&route)) {
                        Some(r) => Some(form::choice("route", &r)?),
                        None => None,
                    },
                })
            })();
            let episode = match episode {
                Ok(e) => e,
                Err(e) => return problem.set(Some(e)),
            };
            let (problem, changed) = (problem.clone(), changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::AddEpisode { episode }).await {
                    Ok(_) => changed.emit(()),
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let pr = (*problem).clone();
    let routes = Kind::Select(
        std::iter::once((String::new(), t.text("route-none")))
            .chain(
                backend::DisposalRoute::ALL
                    .iter()
                    .map(|r| (r.to_string(), t.term("disposal_route", r))),
            )
            .collect(),
    );
    html! {
        <form onsubmit={onsubmit} aria-label={t.text("form-episode")}>
            <ErrorSummary problem={pr.clone()}
                fields={vec!["episode_source", "episode_programme", "episode_keyworker", "episode_opened_on", "episode_route"]}
                aliases={vec![("referral_source", "episode_source"), ("programme", "episode_programme"),
                    ("keyworker", "episode_keyworker"), ("opened_on", "episode_opened_on"), ("route", "episode_route")]} />
            <Field name="episode_source" label={t.text("field-referred-by")} kind={p.ctx.choices("referral_source")} node={source}
                problem={pr.clone()} also={vec!["referral_source"]} />
            <Field name="episode_programme" label={t.text("field-programme")} kind={programme_kind} node={programme} problem={pr.clone()}
                required=true also={vec!["programme"]} value={programmes.is_empty().then_some("Women's support")} written_options=true />
            <Field name="episode_keyworker" label={t.text("field-keyworker-or-you")} node={keyworker} problem={pr.clone()}
                also={vec!["keyworker"]} />
            <Field name="episode_opened_on" label={t.text("field-opened-on")} kind={Kind::Date} node={on} problem={pr.clone()}
                also={vec!["opened_on"]} value={first_day.clone()} />
            <Field name="episode_route" label={t.text("field-route")} kind={routes} node={route}
                problem={pr.clone()} also={vec!["route"]} />
            <button type="submit" id="confirm-episode">{ t.text("episode-open") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct CloseCaseProps {
    episode: backend::Episode,
    on_changed: Callback<()>,
}

/// Closing the case's current episode, with the date and a reason; a
/// closed one says when and why.
#[function_component(CloseCase)]
fn close_case(p: &CloseCaseProps) -> Html {
    let t = crate::l10n::use_texts();
    let first_day = form::use_first_day();
    let open = use_state(|| false);
    let problem = use_state(|| None::<Problem>);
    let (on, reason) = (use_node_ref(), use_node_ref());
    let e = &p.episode;
    if e.status == backend::EpisodeStatus::Closed {
        return html! {
            <p class="meta" id="case-closed">{ t.text_with("case-closed-on", &[("date", e.closed_on.map(form::uk_date).unwrap_or_default().into())]) }
                if let Some(r) = &e.closure_reason { { ": " }<span translate="no">{ r.clone() }</span> }</p>
        };
    }
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let onsubmit = {
        let (on, reason, problem, changed, id) = (
            on.clone(),
            reason.clone(),
            problem.clone(),
            p.on_changed.clone(),
            e.id,
        );
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let why = form::value(&reason);
            let day = match form::date("closed_on", &form::value(&on)) {
                Ok(Some(day)) => day,
                Ok(None) => {
                    return problem.set(Some(Problem::at(
                        "closed_on",
                        crate::l10n::current().text("must-not-be-empty"),
                    )))
                }
                Err(e) => return problem.set(Some(e)),
            };
            let (problem, changed, id) = (problem.clone(), changed.clone(), id);
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::CloseEpisode {
                    episode_id: id,
                    closed_on: day,
                    reason: why,
                })
                .await
                {
                    Ok(()) => changed.emit(()),
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let pr = (*problem).clone();
    html! {
        <div class="close-case">
            <button class="secondary" id="close-case" onclick={toggle} aria-expanded={(*open).to_string()}>{ t.text("close-case-more") }</button>
            if *open {
                <form onsubmit={onsubmit} aria-label={t.text("close-case")}>
                    <ErrorSummary problem={pr.clone()} fields={vec!["closed_on", "reason"]} aliases={vec![("closure_reason", "reason")]} />
                    <Field name="closed_on" label={t.text("field-closed-on")} kind={Kind::Date} node={on} problem={pr.clone()} required=true
                        value={first_day.clone()} />
                    <Field name="reason" label={t.text("field-closing-reason")} node={reason} problem={pr.clone()} required=true
                        also={vec!["closure_reason"]} />
                    <button type="submit" id="confirm-close">{ t.text("close-case") }</button>
                </form>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct EraseCaseProps {
    ctx: Ctx,
    case_id: Uuid,
}

/// Supervisors and admins: erase the case for good, everywhere (its keys
/// too), with a reason kept sealed for the record. As the organisation's
/// rule has it, a second supervisor or admin confirms the same way, or it
/// runs after a grace period; meanwhile it can be cancelled.
/// What an erasure request came to: waiting (for whom or until when), or
/// cancelled.
#[derive(Clone, PartialEq)]
enum Erasure {
    Waiting(ErasureRule, String),
    Cancelled,
}

#[function_component(EraseCase)]
fn erase_case(p: &EraseCaseProps) -> Html {
    let t = crate::l10n::use_texts();
    let open = use_state(|| false);
    let problem = use_state(|| None::<Problem>);
    // What became of the request, said in the language in force.
    let asked = use_state(|| None::<Erasure>);
    // An erasure waits (for a second person or its time) and can be cancelled.
    let waiting = use_state(|| false);
    let reason = use_node_ref();
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let onsubmit = {
        let (reason, problem, asked, pending, go, id) = (
            reason.clone(),
            problem.clone(),
            asked.clone(),
            waiting.clone(),
            p.ctx.go.clone(),
            p.case_id,
        );
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let why = form::value(&reason);
            let (problem, asked, pending, go, id) = (
                problem.clone(),
                asked.clone(),
                pending.clone(),
                go.clone(),
                id,
            );
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::EraseCase {
                    case_id: id,
                    reason: why,
                })
                .await
                {
                    Ok(done) if done.state == ErasureState::Erased => go.emit(Screen::Caseload),
                    Ok(waiting) => {
                        let when = waiting
                            .due_at_ms
                            .map(form::local_time_ms)
                            .unwrap_or_default();
                        problem.set(None);
                        pending.set(true);
                        asked.set(Some(Erasure::Waiting(waiting.rule, when)));
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let cancel = {
        let (asked, problem, pending, id) =
            (asked.clone(), problem.clone(), waiting.clone(), p.case_id);
        Callback::from(move |_: MouseEvent| {
            let (asked, problem, pending) = (asked.clone(), problem.clone(), pending.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::CancelErasure { case_id: id }).await {
                    Ok(()) => {
                        pending.set(false);
                        asked.set(Some(Erasure::Cancelled));
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let pr = (*problem).clone();
    html! {
        <div class="erase-case">
            <button class="secondary" id="erase-case" onclick={toggle} aria-expanded={(*open).to_string()}>{ t.text("erase-more") }</button>
            if *open && !*waiting {
                <form onsubmit={onsubmit} aria-label={t.text("form-erase")}>
                    <ErrorSummary problem={pr.clone()} fields={vec!["erase-reason"]} aliases={vec![("reason", "erase-reason")]} />
                    <p class="hint">{ t.text("erase-hint") }</p>
                    <Field name="erase-reason" label={t.text("field-erase-reason")} node={reason} problem={pr.clone()} required=true also={vec!["reason"]} />
                    <button type="submit" class="danger" id="confirm-erase">{ t.text("erase-confirm") }</button>
                </form>
            }
            if let Some(said) = &*asked {
                <p class="notice" role="status" id="erase-asked">{ match said {
                    Erasure::Waiting(ErasureRule::SecondPerson, when) => t.text_with("erase-second-person", &[("when", when.as_str().into())]),
                    Erasure::Waiting(ErasureRule::Grace, when) => t.text_with("erase-grace", &[("when", when.as_str().into())]),
                    Erasure::Cancelled => t.text("erase-cancelled"),
                } }</p>
            }
            if *waiting {
                <ErrorSummary problem={pr.clone()} fields={vec![]} />
                <button type="button" class="secondary" id="cancel-erasure" onclick={cancel}>{ t.text("erase-cancel") }</button>
            }
        </div>
    }
}
