//! Groups and outreach: group sessions and drop-ins with their registers
//! (attendance goes on each person's case; the group note stays here), and
//! outreach tallies (counts of contacts with people who have no case).

use crate::backend::{
    self, AddGroupSession, AddOutreachTally, CaseloadEntry, CaseloadFilter, GetGroupRegister,
    GroupRegister, GroupSession, HelpKind, ListGroupSessions, ListOutreachTallies, MarkAttendance,
    NewGroupSession, NewOutreachTally, OutreachTally, Problem,
};
use crate::form::{self, ErrorSummary, Field, Kind};
use crate::l10n::Rich;
use crate::parts::submitter;
use uuid::Uuid;
use yew::prelude::*;

#[function_component(Groups)]
pub fn groups() -> Html {
    let t = crate::l10n::use_texts();
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
                        held_on: form::date("held_on", &v(3))?.ok_or_else(|| {
                            Problem::at("held_on", crate::l10n::current().text("marac-day-problem"))
                        })?,
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
                            Problem::at(
                                "count",
                                crate::l10n::current().text_with(
                                    "not-a-whole-number",
                                    &[("text", count.as_str().into())],
                                ),
                            )
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
            <h1 id="groups-title" tabindex="-1">{ t.text("groups-title") }</h1>
            <h2 id="sessions-title">{ t.text("groups-sessions") }</h2>
            { match &*sessions {
                None => html! { <p role="status">{ t.text("loading") }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ t.problem_line(e) }</p> },
                Some(Ok(list)) if list.is_empty() => html! { <p>{ t.text("groups-none") }</p> },
                Some(Ok(list)) => html! {
                    <ul class="group-sessions" id="group-sessions" aria-labelledby="sessions-title">
                        { for list.iter().map(|g| html! {
                            <li key={g.id.to_string()}>
                                <button class="link" onclick={choose(g.id)}>
                                    { format!("{} — ", form::uk_date(g.held_on)) }<span translate="no">{ format!("{}, {}", g.title, g.place) }</span>
                                </button>
                            </li>
                        }) }
                    </ul>
                },
            } }
            if let Some(id) = *open {
                <Register session_id={id} key={id.to_string()} />
            }
            <form onsubmit={add_session} aria-label={t.text("form-group-session")}>
                <ErrorSummary problem={sp.clone()} fields={vec!["title", "programme", "place", "held_on", "facilitators", "note"]} />
                <Field name="title" label={t.text("field-title")} node={session_refs[0].clone()} problem={sp.clone()} required=true />
                <Field name="programme" label={t.text("field-programme-if-any")} node={session_refs[1].clone()} problem={sp.clone()} />
                <Field name="place" label={t.text("field-place")} node={session_refs[2].clone()} problem={sp.clone()} required=true />
                <Field name="held_on" label={t.text("field-day-it-met")} kind={Kind::Date} node={session_refs[3].clone()} problem={sp.clone()} required=true />
                <Field name="facilitators" label={t.text("field-facilitators")} node={session_refs[4].clone()} problem={sp.clone()} required=true />
                <Field name="note" label={t.text("field-group-note")} kind={Kind::TextArea} node={session_refs[5].clone()} problem={sp.clone()}
                    hint={t.text("field-group-note.hint")} />
                <button type="submit" id="add-group-session">{ t.text("groups-record") }</button>
            </form>

            <h2 id="tallies-title">{ t.text("tallies-title") }</h2>
            <p class="hint">{ t.text("tallies-hint") }</p>
            { match &*tallies {
                None => html! { <p role="status">{ t.text("loading") }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ t.problem_line(e) }</p> },
                Some(Ok(list)) if list.is_empty() => html! { <p>{ t.text("tallies-none") }</p> },
                Some(Ok(list)) => html! {
                    <ul class="tallies" id="tallies" aria-labelledby="tallies-title">
                        { for list.iter().map(|tally| html! {
                            <li key={tally.id.to_string()}>{ format!("{} — ", form::uk_date(tally.counted_on)) }
                                <span translate="no">{ tally.site.clone() }</span>{ ": " }
                                { t.text_with("tally-contacts", &[("count", tally.count.into())]) }
                                if !tally.help.is_empty() {
                                    { format!(" ({})", tally.help.iter().map(|h| t.term("help_kind", h.as_str())).collect::<Vec<_>>().join(", ")) }
                                }</li>
                        }) }
                    </ul>
                },
            } }
            <form onsubmit={add_tally} aria-label={t.text("form-tally")}>
                <ErrorSummary problem={tp.clone()} fields={vec!["counted_on", "site", "count", "tally_note"]} aliases={vec![("note", "tally_note")]} />
                <Field name="counted_on" label={t.text("field-tally-day")} kind={Kind::Date} node={tally_refs[0].clone()} problem={tp.clone()} />
                <Field name="site" label={t.text("field-site")} node={tally_refs[1].clone()} problem={tp.clone()} required=true />
                <Field name="count" label={t.text("field-contacts")} kind={Kind::Number} node={tally_refs[2].clone()} problem={tp.clone()} required=true />
                <fieldset class="checks"><legend>{ t.text("tally-help") }</legend>
                    { for help_refs.iter().map(|(h, node)| html! {
                        <label><input type="checkbox" id={format!("help-{h}")} ref={node.clone()} />{ " " }{ t.term("help_kind", h.as_str()) }</label>
                    }) }
                </fieldset>
                <Field name="tally_note" label={t.text("field-tally-note")} node={tally_refs[3].clone()} problem={tp.clone()} also={vec!["note"]} />
                <button type="submit" id="add-tally">{ t.text("tally-record") }</button>
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
    let t = crate::l10n::use_texts();
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
        None => return html! { <p role="status">{ t.text("loading") }</p> },
        Some(Err(e)) => return html! { <p class="error" role="alert">{ t.problem_line(e) }</p> },
        Some(Ok(r)) => r.clone(),
    };
    let g = &r.session;
    html! {
        <section class="register" aria-labelledby="register-title">
            <h3 id="register-title">{ t.rich("register-title", &[("date", form::uk_date(g.held_on).into())], &[("title", &g.title)]) }</h3>
            <p translate="no">{ format!("{} · {}{}", g.place, g.facilitators, g.programme.clone().map(|p| format!(" · {p}")).unwrap_or_default()) }</p>
            if let Some(n) = &g.note { <p class="detail" translate="no">{ n.clone() }</p> }
            if r.register.is_empty() { <p>{ t.text("register-none") }</p> }
            <ul id="register">
                { for r.register.iter().map(|e| html! {
                    <li key={e.case_id.to_string()}><span translate="no">{ e.person_name.clone() }</span>{ " — " }
                        { if e.attended { t.text("register-came") } else { t.text("register-not-came") } }
                        { " " }
                        <button class="secondary" onclick={mark(e.case_id, !e.attended)}>
                            { if e.attended { t.rich("register-mark-not-came", &[], &[("name", &e.person_name)]) } else { t.rich("register-mark-came", &[], &[("name", &e.person_name)]) } }
                        </button>
                    </li>
                }) }
            </ul>
            <form onsubmit={find} aria-label={t.text("form-register-find")}>
                <Field name="register_name" label={t.text("field-register-name")} node={who} problem={(*problem).clone()} />
                <button type="submit" id="find-for-register">{ t.text("register-find") }</button>
            </form>
            <ul class="found" id="register-found">
                { for found.iter().map(|c| html! {
                    <li key={c.case_id.to_string()}><span translate="no">{ c.full_name.clone() }</span>{ " " }
                        <button class="secondary" onclick={mark(c.case_id, true)}>{ t.rich("register-came-button", &[], &[("name", &c.full_name)]) }</button>
                    </li>
                }) }
            </ul>
        </section>
    }
}
