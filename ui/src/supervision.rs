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
                            due_on: form::date(&field, &due)?
                                .ok_or_else(|| Problem::at(&field, "say by when"))?,
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
            <h2 id="supervision-title">{ "Supervision" }</h2>
            <p class="hint">{ "Only the case's keyworker and the supervisors of its team receive these notes: not a colleague it is shared with, a manager or an admin." }</p>
            if p.entries.is_empty() { <p>{ "No supervision notes on this case." }</p> }
            <ol class="supervision" id="supervision-notes">
                { for p.entries.iter().map(|e| html! {
                    <li key={e.note.id.to_string()} class="supervision-note">
                        <p><strong>{ format!("Supervision on {} with {}", form::uk_date(e.note.held_on),
                            e.by.clone().unwrap_or_else(|| "someone not known here".into())) }</strong></p>
                        <p>{ format!("Discussed: {}", e.note.discussion) }</p>
                        if let Some(d) = &e.note.decision { <p>{ format!("Decided: {d}") }</p> }
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
                                            { format!("{} — {}, by {}", a.action, a.owner, form::uk_date(a.due_on)) }
                                            { match done {
                                                Some(d) => html! { <span class="done">{ format!(" · done on {} by {}", form::uk_date(d.done.done_on),
                                                    d.by.clone().unwrap_or_else(|| "someone not known here".into())) }</span> },
                                                None => html! { <>{ " " }<button class="secondary" onclick={mark}
                                                    aria-label={format!("Done: {}", a.action)}>{ "Done" }</button></> },
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
                <form onsubmit={save} aria-label="Write a supervision note">
                    <ErrorSummary problem={pr.clone()} fields={FIELDS.to_vec()} />
                    <Field name="held_on" label="Day of the supervision (today if blank)" kind={Kind::Date} node={held_on} problem={pr.clone()} />
                    <Field name="discussion" label="What was discussed" kind={Kind::TextArea} node={discussion} problem={pr.clone()} required=true />
                    <Field name="decision" label="What was decided" kind={Kind::TextArea} node={decision} problem={pr.clone()} />
                    <fieldset>
                        <legend>{ "Actions agreed" }</legend>
                        { for rows.iter().enumerate().map(|(i, [what, who, due])| html! {
                            <div class="agreed-action-row">
                                <Field name={format!("actions[{i}].action")} label={format!("Action {}", i + 1)} node={what.clone()} problem={pr.clone()} />
                                <Field name={format!("actions[{i}].owner")} label={format!("Who does action {}", i + 1)} node={who.clone()} problem={pr.clone()} />
                                <Field name={format!("actions[{i}].due_on")} label={format!("Action {} due by", i + 1)} kind={Kind::Date} node={due.clone()} problem={pr.clone()} />
                            </div>
                        }) }
                    </fieldset>
                    <button type="submit" id="add-supervision-note">{ "Save the supervision note" }</button>
                </form>
            }
        </section>
    }
}
