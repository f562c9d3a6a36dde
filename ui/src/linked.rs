//! People linked to a case: children, household members and the other
//! party (shown hidden until revealed, which is recorded). A child or a
//! household member opens as a case of their own and stays linked.

use crate::app::{Ctx, Screen};
use crate::backend::{
    self, AddLinkedPerson, LinkedFrom, LinkedPerson, NewLinkedPerson, OpenLinkedCase, Problem,
    Relation, RevealLinkedPerson,
};
use crate::form::{self, ErrorSummary, Field, Kind};
use crate::l10n::Rich;
use crate::parts::submitter;
use uuid::Uuid;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub ctx: Ctx,
    pub case_id: Uuid,
    pub linked: Vec<LinkedPerson>,
    pub linked_from: Vec<LinkedFrom>,
    pub on_changed: Callback<()>,
}

#[function_component(Linked)]
pub fn linked(p: &Props) -> Html {
    let t = crate::l10n::use_texts();
    let problem = use_state(|| None::<Problem>);
    let open_problem = use_state(|| None::<Problem>);
    let version = use_state(|| 0u32);
    let revealed = use_state(Vec::<LinkedPerson>::new);
    let opening = use_state(|| None::<Uuid>);
    let refs: [NodeRef; 6] = Default::default();
    let (source, programme) = (use_node_ref(), use_node_ref());
    let case_id = p.case_id;
    let add = {
        let refs = refs.clone();
        submitter(
            problem.clone(),
            version.clone(),
            p.on_changed.clone(),
            move || {
                let v = |i: usize| form::value(&refs[i]);
                let input = (|| {
                    Ok::<_, Problem>(NewLinkedPerson {
                        case_id,
                        relation: form::choice("relation", &v(0))?,
                        name: v(1),
                        date_of_birth: form::date("date_of_birth", &v(2))?,
                        lives: form::opt(v(3)),
                        known_to_childrens_services: match v(4).as_str() {
                            "yes" => Some(true),
                            "no" => Some(false),
                            _ => None,
                        },
                        details: form::opt(v(5)),
                    })
                })();
                async move {
                    backend::call(&AddLinkedPerson { person: input? })
                        .await
                        .map(|_| ())
                }
            },
        )
    };
    let reveal = |link_id: Uuid| {
        let (revealed, problem) = (revealed.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let (revealed, problem) = (revealed.clone(), problem.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&RevealLinkedPerson { link_id }).await {
                    Ok(link) => {
                        let mut shown = (*revealed).clone();
                        shown.retain(|l| l.id != link.id);
                        shown.push(link);
                        revealed.set(shown);
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let hide = |link_id: Uuid| {
        let revealed = revealed.clone();
        Callback::from(move |_: MouseEvent| {
            revealed.set(
                revealed
                    .iter()
                    .filter(|l| l.id != link_id)
                    .cloned()
                    .collect(),
            )
        })
    };
    let choose_open = |link_id: Uuid| {
        let opening = opening.clone();
        Callback::from(move |_: MouseEvent| opening.set(Some(link_id)))
    };
    let open = {
        let (opening, problem, go) = (opening.clone(), open_problem.clone(), p.ctx.go.clone());
        let (source, programme) = (source.clone(), programme.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(link_id) = *opening else { return };
            let source = match form::choice("referral_source", &form::value(&source)) {
                Ok(s) => s,
                Err(e) => return problem.set(Some(e)),
            };
            let programme = form::value(&programme);
            let (problem, go) = (problem.clone(), go.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&OpenLinkedCase {
                    link_id,
                    programme,
                    referral_source: source,
                })
                .await
                {
                    Ok(id) => go.emit(Screen::Case { id }),
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let pr = (*problem).clone();
    let op = (*open_problem).clone();
    let show = |l: &LinkedPerson| -> LinkedPerson {
        revealed
            .iter()
            .find(|r| r.id == l.id)
            .cloned()
            .unwrap_or_else(|| l.clone())
    };
    let go_to = |id: Uuid| p.ctx.go.reform(move |_: MouseEvent| Screen::Case { id });
    html! {
        <section aria-labelledby="linked-title">
            <h2 id="linked-title">{ t.text("linked-title") }</h2>
            if !p.linked_from.is_empty() {
                <ul class="linked-from">
                    { for p.linked_from.iter().map(|f| html! {
                        <li>{ t.text_with("linked-as", &[("relation", t.term("relation", f.relation.as_str()).into())]) }{ " " }
                            <button class="link" onclick={go_to(f.case_id)} translate="no">{ f.person_name.clone() }</button></li>
                    }) }
                </ul>
            }
            if p.linked.is_empty() { <p>{ t.text("linked-none") }</p> }
            <ul class="linked" id="linked-people">
                { for p.linked.iter().map(|l| {
                    let shown = show(l);
                    let is_revealed = revealed.iter().any(|r| r.id == l.id);
                    // The app's words, then where they live as written.
                    let mut facts = vec![t.term("relation", shown.relation.as_str())];
                    facts.extend(shown.date_of_birth.map(|d| t.text_with("case-born", &[("date", form::uk_date(d).into())])));
                    facts.extend(shown.known_to_childrens_services.map(|k|
                        t.text_with("linked-known", &[("answer", if k { "yes" } else { "no" }.into())])));
                    html! {
                        <li key={l.id.to_string()} class={classes!("linked-person", form::words(l.relation))}>
                            <strong translate="no">{ shown.name.clone() }</strong>{ format!(" ({}", facts.join(", ")) }
                            if let Some(w) = &shown.lives { { ", " }{ t.rich("linked-lives", &[], &[("where", w)]) } }
                            { ")" }
                            if let Some(d) = &shown.details { <p class="detail" translate="no">{ d.clone() }</p> }
                            if l.relation == Relation::OtherParty {
                                { " " }
                                if is_revealed {
                                    <button class="secondary" onclick={hide(l.id)}>{ t.text("linked-hide") }</button>
                                } else {
                                    <button class="secondary reveal-linked" onclick={reveal(l.id)}
                                        title={t.text("linked-reveal.title")}>{ t.text("linked-reveal") }</button>
                                }
                            } else {
                                { " " }
                                { match l.own_case_id {
                                    Some(id) => html! { <button class="link" onclick={go_to(id)}>{ t.text("linked-own-case") }</button> },
                                    None => html! { <button class="secondary open-linked" onclick={choose_open(l.id)}>
                                        { t.rich("linked-open-case", &[], &[("name", &l.name)]) }</button> },
                                } }
                            }
                        </li>
                    }
                }) }
            </ul>
            if opening.is_some() {
                <form onsubmit={open} aria-label={t.text("form-linked-open")}>
                    <ErrorSummary problem={op.clone()} fields={vec!["open_referral_source", "open_programme"]}
                        aliases={vec![("referral_source", "open_referral_source"), ("programme", "open_programme")]} />
                    <Field name="open_referral_source" label={t.text("field-referred-by")} kind={p.ctx.choices("referral_source")} node={source} problem={op.clone()}
                        also={vec!["referral_source"]} />
                    <Field name="open_programme" label={t.text("field-programme")} node={programme} problem={op.clone()} required=true also={vec!["programme"]} />
                    <button type="submit" id="open-linked-case">{ t.text("linked-open") }</button>
                </form>
            }
            <form onsubmit={add} aria-label={t.text("form-link")}>
                <ErrorSummary problem={pr.clone()} fields={vec!["relation", "name", "date_of_birth", "lives", "known_to_childrens_services", "details"]} />
                <Field name="relation" label={t.text("field-relation")} kind={p.ctx.choices("relation")} node={refs[0].clone()} problem={pr.clone()} />
                <Field name="name" label={t.text("field-name")} node={refs[1].clone()} problem={pr.clone()} required=true />
                <Field name="date_of_birth" label={t.text("field-date-of-birth")} kind={Kind::Date} node={refs[2].clone()} problem={pr.clone()} />
                <Field name="lives" label={t.text("field-lives")} node={refs[3].clone()} problem={pr.clone()} />
                <Field name="known_to_childrens_services" label={t.text("field-known-childrens")}
                    kind={Kind::Select(vec![("".into(), t.text("answer-not-known")), ("yes".into(), t.text("answer-yes")), ("no".into(), t.text("answer-no"))])} node={refs[4].clone()} problem={pr.clone()} />
                <Field name="details" label={t.text("field-linked-details")} kind={Kind::TextArea} node={refs[5].clone()} problem={pr.clone()}
                    hint={t.text("field-linked-details.hint")} />
                <button type="submit" id="add-linked-person">{ t.text("linked-add") }</button>
            </form>
        </section>
    }
}
