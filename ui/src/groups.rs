//! Groups and outreach: group sessions and drop-ins with their registers
//! (attendance goes on each person's case; the group note stays here), and
//! outreach tallies (counts of contacts with people who have no case).

use crate::backend::{
    self, AddGroupSession, AddOutreachTally, CaseloadEntry, CaseloadFilter, GetGroupRegister,
    GroupRegister, GroupSession, HelpKind, ListGroupSessions, ListOutreachTallies, MarkAttendance,
    NewGroupSession, NewOutreachTally, OutreachTally, Problem,
};
use crate::form::{self, ErrorSummary, Field, Kind};
use crate::parts::submitter;
use uuid::Uuid;
use yew::prelude::*;

#[function_component(Groups)]
pub fn groups() -> Html {
    crate::app::use_focus_heading("groups-title");
    let version = use_state(|| 0u32);
    let sessions = use_state(|| None::<Result<Vec<GroupSession>, Problem>>);
    let tallies = use_state(|| None::<Result<Vec<OutreachTally>, Problem>>);
    {
        let (sessions, tallies) = (sessions.clone(), tallies.clone());
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                sessions.set(Some(backend::call(&ListGroupSessions {}).await));
                let from = form::today() - chrono::Days::new(30);
                tallies.set(Some(backend::call(&ListOutreachTallies { from }).await));
            });
        });
    }
    let open = use_state(|| None::<Uuid>);
    let reload = {
        let version = version.clone();
        Callback::from(move |_: ()| version.set(*version + 1))
    };
    let (session_problem, tally_problem) =
        (use_state(|| None::<Problem>), use_state(|| None::<Problem>));
    let session_refs: [NodeRef; 6] = Default::default();
    let add_session = {
        let refs = session_refs.clone();
        submitter(
            session_problem.clone(),
            version.clone(),
            reload.clone(),
            move || {
                let v = |i: usize| form::value(&refs[i]);
                let input = (|| {
                    Ok::<_, Problem>(NewGroupSession {
                        title: v(0),
                        programme: form::opt(v(1)),
                        place: v(2),
                        held_on: form::date("held_on", &v(3))?
                            .ok_or_else(|| Problem::at("held_on", "say on which day it met"))?,
                        facilitators: v(4),
                        note: form::opt(v(5)),
                    })
                })();
                async move {
                    backend::call(&AddGroupSession { session: input? })
                        .await
                        .map(|_| ())
                }
            },
        )
    };
    let tally_refs: [NodeRef; 4] = Default::default();
    let help_refs: Vec<(HelpKind, NodeRef)> = HelpKind::ALL
        .iter()
        .filter_map(|h| h.parse().ok())
        .map(|h| (h, NodeRef::default()))
        .collect();
    let help_refs = use_state(move || help_refs);
    let add_tally = {
        let (refs, help) = (tally_refs.clone(), (*help_refs).clone());
        submitter(
            tally_problem.clone(),
            version.clone(),
            reload.clone(),
            move || {
                let v = |i: usize| form::value(&refs[i]);
                let input = (|| {
                    let count = v(2).trim().to_owned();
                    Ok::<_, Problem>(NewOutreachTally {
                        counted_on: form::date("counted_on", &v(0))?.unwrap_or_else(form::today),
                        site: v(1),
                        count: count.parse().map_err(|_| {
                            Problem::at("count", format!("{count:?} is not a whole number"))
                        })?,
                        help: help
                            .iter()
                            .filter(|(_, n)| form::checked(n))
                            .map(|(h, _)| *h)
                            .collect(),
                        note: form::opt(v(3)),
                    })
                })();
                async move {
                    backend::call(&AddOutreachTally { tally: input? })
                        .await
                        .map(|_| ())
                }
            },
        )
    };
    let choose = |id: Uuid| {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(Some(id)))
    };
    let (sp, tp) = ((*session_problem).clone(), (*tally_problem).clone());
    html! {
        <section aria-labelledby="groups-title">
            <h1 id="groups-title" tabindex="-1">{ "Groups and outreach" }</h1>
            <h2 id="sessions-title">{ "Group sessions" }</h2>
            { match &*sessions {
                None => html! { <p role="status">{ "Loading…" }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ e.to_string() }</p> },
                Some(Ok(list)) if list.is_empty() => html! { <p>{ "No group sessions on this laptop yet." }</p> },
                Some(Ok(list)) => html! {
                    <ul class="group-sessions" id="group-sessions" aria-labelledby="sessions-title">
                        { for list.iter().map(|g| html! {
                            <li key={g.id.to_string()}>
                                <button class="link" onclick={choose(g.id)}>
                                    { format!("{} — {}, {}", form::uk_date(g.held_on), g.title, g.place) }
                                </button>
                            </li>
                        }) }
                    </ul>
                },
            } }
            if let Some(id) = *open {
                <Register session_id={id} key={id.to_string()} />
            }
            <form onsubmit={add_session} aria-label="Record a group session">
                <ErrorSummary problem={sp.clone()} fields={vec!["title", "programme", "place", "held_on", "facilitators", "note"]} />
                <Field name="title" label="Title" node={session_refs[0].clone()} problem={sp.clone()} required=true />
                <Field name="programme" label="Programme (if any)" node={session_refs[1].clone()} problem={sp.clone()} />
                <Field name="place" label="Place" node={session_refs[2].clone()} problem={sp.clone()} required=true />
                <Field name="held_on" label="Day it met" kind={Kind::Date} node={session_refs[3].clone()} problem={sp.clone()} required=true />
                <Field name="facilitators" label="Facilitators" node={session_refs[4].clone()} problem={sp.clone()} required=true />
                <Field name="note" label="A note about the group" kind={Kind::TextArea} node={session_refs[5].clone()} problem={sp.clone()}
                    hint="About the group, not a person: it is never copied into anyone's case." />
                <button type="submit" id="add-group-session">{ "Record the session" }</button>
            </form>

            <h2 id="tallies-title">{ "Outreach tallies" }</h2>
            <p class="hint">{ "A count of contacts with people who have no case: where, how many, what help. Name no one." }</p>
            { match &*tallies {
                None => html! { <p role="status">{ "Loading…" }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ e.to_string() }</p> },
                Some(Ok(list)) if list.is_empty() => html! { <p>{ "No tallies in the last 30 days." }</p> },
                Some(Ok(list)) => html! {
                    <ul class="tallies" id="tallies" aria-labelledby="tallies-title">
                        { for list.iter().map(|t| html! {
                            <li key={t.id.to_string()}>{ format!("{} — {}: {} contact{}{}",
                                form::uk_date(t.counted_on), t.site, t.count, if t.count == 1 { "" } else { "s" },
                                if t.help.is_empty() { String::new() } else {
                                    format!(" ({})", t.help.iter().map(form::words).collect::<Vec<_>>().join(", ")) }) }</li>
                        }) }
                    </ul>
                },
            } }
            <form onsubmit={add_tally} aria-label="Record an outreach tally">
                <ErrorSummary problem={tp.clone()} fields={vec!["counted_on", "site", "count", "tally_note"]} aliases={vec![("note", "tally_note")]} />
                <Field name="counted_on" label="Day (today if blank)" kind={Kind::Date} node={tally_refs[0].clone()} problem={tp.clone()} />
                <Field name="site" label="Site or area" node={tally_refs[1].clone()} problem={tp.clone()} required=true />
                <Field name="count" label="Contacts" kind={Kind::Number} node={tally_refs[2].clone()} problem={tp.clone()} required=true />
                <fieldset class="checks"><legend>{ "Help given" }</legend>
                    { for help_refs.iter().map(|(h, node)| html! {
                        <label><input type="checkbox" id={format!("help-{h}")} ref={node.clone()} />{ format!(" {}", crate::l10n::current().term("help_kind", h.as_str())) }</label>
                    }) }
                </fieldset>
                <Field name="tally_note" label="A few words (200 characters at most)" node={tally_refs[3].clone()} problem={tp.clone()} also={vec!["note"]} />
                <button type="submit" id="add-tally">{ "Record the tally" }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RegisterProps {
    session_id: Uuid,
}

/// A session's register (the cases this laptop holds) and finding people
/// to put on it.
#[function_component(Register)]
fn register(p: &RegisterProps) -> Html {
    let register = use_state(|| None::<Result<GroupRegister, Problem>>);
    let found = use_state(Vec::<CaseloadEntry>::new);
    let problem = use_state(|| None::<Problem>);
    let who = use_node_ref();
    let session_id = p.session_id;
    {
        let register = register.clone();
        use_effect_with(session_id, move |id| {
            let id = *id;
            wasm_bindgen_futures::spawn_local(async move {
                register.set(Some(
                    backend::call(&GetGroupRegister { session_id: id }).await,
                ));
            });
        });
    }
    let find = {
        let (found, who, problem) = (found.clone(), who.clone(), problem.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let name = form::value(&who);
            let (found, problem) = (found.clone(), problem.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let filter = CaseloadFilter {
                    name: Some(name),
                    ..Default::default()
                };
                match backend::call(&backend::Caseload {
                    filter,
                    offset: 0,
                    limit: 10,
                })
                .await
                {
                    Ok(page) => found.set(page.entries),
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let mark = |case_id: Uuid, attended: bool| {
        let (register, problem, found) = (register.clone(), problem.clone(), found.clone());
        Callback::from(move |_: MouseEvent| {
            let (register, problem, found) = (register.clone(), problem.clone(), found.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&MarkAttendance {
                    session_id,
                    case_id,
                    attended,
                })
                .await
                {
                    Ok(r) => {
                        register.set(Some(Ok(r)));
                        found.set(Vec::new());
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let r = match &*register {
        None => return html! { <p role="status">{ "Loading…" }</p> },
        Some(Err(e)) => return html! { <p class="error" role="alert">{ e.to_string() }</p> },
        Some(Ok(r)) => r.clone(),
    };
    let g = &r.session;
    html! {
        <section class="register" aria-labelledby="register-title">
            <h3 id="register-title">{ format!("{} on {}", g.title, form::uk_date(g.held_on)) }</h3>
            <p>{ format!("{} · {}{}", g.place, g.facilitators, g.programme.clone().map(|p| format!(" · {p}")).unwrap_or_default()) }</p>
            if let Some(n) = &g.note { <p class="detail">{ n.clone() }</p> }
            if r.register.is_empty() { <p>{ "No one on the register yet." }</p> }
            <ul id="register">
                { for r.register.iter().map(|e| html! {
                    <li key={e.case_id.to_string()}>{ format!("{} — {}", e.person_name, if e.attended { "came" } else { "did not come" }) }
                        { " " }
                        <button class="secondary" onclick={mark(e.case_id, !e.attended)}>
                            { if e.attended { format!("Mark {} as not come", e.person_name) } else { format!("Mark {} as came", e.person_name) } }
                        </button>
                    </li>
                }) }
            </ul>
            <form onsubmit={find} aria-label="Find someone for the register">
                <Field name="register_name" label="Find a person by name" node={who} problem={(*problem).clone()} />
                <button type="submit" id="find-for-register">{ "Find" }</button>
            </form>
            <ul class="found" id="register-found">
                { for found.iter().map(|c| html! {
                    <li key={c.case_id.to_string()}>{ c.full_name.clone() }{ " " }
                        <button class="secondary" onclick={mark(c.case_id, true)}>{ format!("{} came", c.full_name) }</button>
                    </li>
                }) }
            </ul>
        </section>
    }
}
