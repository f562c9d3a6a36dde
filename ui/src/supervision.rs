//! A case's supervision notes: what the keyworker and their supervisor
//! discussed and decided, and the actions agreed. Only their devices hold
//! them (the case's supervision log); a supervisor writes them here.

use crate::app::Ctx;
use crate::backend::SupervisionEntry;
use crate::backend::{
    self, AddSupervisionNote, AgreedAction, CompleteSupervisionAction, NewSupervisionNote, Problem,
    Role,
};
use crate::form::{self, ErrorSummary, Field, Kind};
use crate::l10n::Rich;
use crate::parts::submitter;
use uuid::Uuid;
use yew::prelude::*;

/// How many actions the form offers at once (a note may agree up to 20,
/// from the CLI).
const ACTION_ROWS: usize = 3;

/// The form's fields, as the core names them in its errors.
const FIELDS: [&str; 4 + 3 * ACTION_ROWS] = [
    "held_on",
    "discussion",
    "decision",
    "actions",
    "actions[0].action",
    "actions[0].owner",
    "actions[0].due_on",
    "actions[1].action",
    "actions[1].owner",
    "actions[1].due_on",
    "actions[2].action",
    "actions[2].owner",
    "actions[2].due_on",
];

#[derive(Properties, PartialEq)]
pub struct Props {
    pub ctx: Ctx,
    pub case_id: Uuid,
    pub entries: Vec<SupervisionEntry>,
    pub on_changed: Callback<()>,
}

#[function_component(Supervision)]
pub fn supervision(p: &Props) -> Html {
    let t = crate::l10n::use_texts();
    let problem = use_state(|| None::<Problem>);
    let version = use_state(|| 0u32);
    let (held_on, discussion, decision) = (use_node_ref(), use_node_ref(), use_node_ref());
    let rows: Vec<[NodeRef; 3]> = (0..ACTION_ROWS)
        .map(|_| [NodeRef::default(), NodeRef::default(), NodeRef::default()])
        .collect();
    let rows = use_state(move || rows);
    let case_id = p.case_id;
    let save = {
        let (held_on, discussion, decision, rows) = (
            held_on.clone(),
            discussion.clone(),
            decision.clone(),
            (*rows).clone(),
        );
        submitter(
            problem.clone(),
            version.clone(),
            p.on_changed.clone(),
            move || {
                let input = (|| {
                    let mut actions = Vec::new();
                    for (i, [what, who, due]) in rows.iter().enumerate() {
                        let (what, who, due) =
                            (form::value(what), form::value(who), form::value(due));
                        if what.trim().is_empty() && who.trim().is_empty() && due.trim().is_empty()
                        {
                            continue;
                        }
                        let field = format!("actions[{i}].due_on");
                        actions.push(AgreedAction {
                            action: what,
                            owner: who,
                            due_on: form::date(&field, &due)?.ok_or_else(|| {
                                Problem::at(
                                    &field,
                                    crate::l10n::current().text("marac-due-problem"),
                                )
                            })?,
                        });
                    }
                    Ok::<_, Problem>(NewSupervisionNote {
                        case_id,
                        held_on: form::date("held_on", &form::value(&held_on))?,
                        discussion: form::value(&discussion),
                        decision: form::opt(form::value(&decision)),
                        actions,
                    })
                })();
                async move {
                    backend::call(&AddSupervisionNote { note: input? })
                        .await
                        .map(|_| ())
                }
            },
        )
    };
    let pr = (*problem).clone();
    let supervisor = p.ctx.role == Some(Role::Supervisor);
    html! {
        <section aria-labelledby="supervision-title">
            <h2 id="supervision-title">{ t.text("section-supervision") }</h2>
            <p class="hint">{ t.text("supervision-hint") }</p>
            if p.entries.is_empty() { <p>{ t.text("supervision-none") }</p> }
            <ol class="supervision" id="supervision-notes">
                { for p.entries.iter().map(|e| html! {
                    <li key={e.note.id.to_string()} class="supervision-note">
                        <p><strong>{ t.rich("supervision-on", &[("date", form::uk_date(e.note.held_on).into())],
                            &[("who", &e.by.clone().unwrap_or_else(|| t.text("someone-unknown")))]) }</strong></p>
                        <p>{ t.rich("supervision-discussed", &[], &[("text", &e.note.discussion)]) }</p>
                        if let Some(d) = &e.note.decision { <p>{ t.rich("supervision-decided", &[], &[("text", d)]) }</p> }
                        if !e.note.actions.is_empty() {
                            <ul class="agreed-actions">
                                { for e.note.actions.iter().enumerate().map(|(i, a)| {
                                    let done = e.done.iter().find(|d| d.done.action_index == i as i64);
                                    let mark = {
                                        let (note_id, changed, problem) = (e.note.id, p.on_changed.clone(), problem.clone());
                                        Callback::from(move |_: MouseEvent| {
                                            let (changed, problem) = (changed.clone(), problem.clone());
                                            wasm_bindgen_futures::spawn_local(async move {
                                                match backend::call(&CompleteSupervisionAction { note_id, action_index: i, on: None }).await {
                                                    Ok(_) => changed.emit(()),
                                                    Err(e) => problem.set(Some(e)),
                                                }
                                            });
                                        })
                                    };
                                    html! {
                                        <li>
                                            <span id={format!("action-{}-{i}", form::short(&e.note.id))}>
                                                { t.rich("supervision-action", &[("date", form::uk_date(a.due_on).into())], &[("action", &a.action), ("owner", &a.owner)]) }
                                            </span>
                                            { match done {
                                                Some(d) => html! { <span class="done">{ " · " }{ t.rich("supervision-done", &[("date", form::uk_date(d.done.done_on).into())],
                                                    &[("who", &d.by.clone().unwrap_or_else(|| t.text("someone-unknown")))]) }</span> },
                                                None => html! { <>{ " " }<button class="secondary" onclick={mark} id={format!("done-{}-{i}", form::short(&e.note.id))}
                                                    aria-describedby={format!("action-{}-{i}", form::short(&e.note.id))}>{ t.text("supervision-mark-done") }</button></> },
                                            } }
                                        </li>
                                    }
                                }) }
                            </ul>
                        }
                    </li>
                }) }
            </ol>
            if !supervisor {
                if let Some(pr) = &*problem { <p class="error" role="alert">{ pr.to_string() }</p> }
            }
            if supervisor {
                <form onsubmit={save} aria-label={t.text("form-supervision")}>
                    <ErrorSummary problem={pr.clone()} fields={FIELDS.to_vec()} />
                    <Field name="held_on" label={t.text("field-held-on")} kind={Kind::Date} node={held_on} problem={pr.clone()} />
                    <Field name="discussion" label={t.text("field-discussion")} kind={Kind::TextArea} node={discussion} problem={pr.clone()} required=true />
                    <Field name="decision" label={t.text("field-decision")} kind={Kind::TextArea} node={decision} problem={pr.clone()} />
                    <fieldset>
                        <legend>{ t.text("supervision-actions") }</legend>
                        { for rows.iter().enumerate().map(|(i, [what, who, due])| html! {
                            <div class="agreed-action-row">
                                <Field name={format!("actions[{i}].action")} label={t.text_with("field-sup-action", &[("n", (i + 1).into())])} node={what.clone()} problem={pr.clone()} />
                                <Field name={format!("actions[{i}].owner")} label={t.text_with("field-sup-owner", &[("n", (i + 1).into())])} node={who.clone()} problem={pr.clone()} />
                                <Field name={format!("actions[{i}].due_on")} label={t.text_with("field-sup-due", &[("n", (i + 1).into())])} kind={Kind::Date} node={due.clone()} problem={pr.clone()} />
                            </div>
                        }) }
                    </fieldset>
                    <button type="submit" id="add-supervision-note">{ t.text("supervision-save") }</button>
                </form>
            }
        </section>
    }
}
