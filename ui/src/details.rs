//! A case's "Details and consents" section: every detail of the person the
//! CLI can set, edited in one form (a restricted address is never put in
//! it: left empty, it stays), their needs, and their consent and
//! information-sharing decisions, recorded one at a time.

use crate::backend::{self, *};
use crate::form::{self, ErrorSummary, Field, Kind};
use crate::l10n::Rich;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DetailsProps {
    /// The person as the case view has it (a restricted address masked).
    pub person: Person,
    pub on_changed: Callback<()>,
}

/// The person's fields, the same in the new-case form and the edit form:
/// refs 0 to 13 in the order `read_person` reads them.
#[derive(Properties, PartialEq)]
pub struct PersonFieldsProps {
    pub refs: Vec<NodeRef>,
    pub problem: Option<Problem>,
    /// The values shown to start with (an edit); none for a new case.
    #[prop_or_default]
    pub shown: Option<PersonEdit>,
    /// The address field's id ("address" is the case header's on a case page).
    pub address_id: AttrValue,
}

#[function_component(PersonFields)]
pub fn person_fields(p: &PersonFieldsProps) -> Html {
    let t = crate::l10n::use_texts();
    let (r, pr) = (|i: usize| p.refs[i].clone(), p.problem.clone());
    let shown = p.shown.as_ref();
    let text = |get: fn(&PersonEdit) -> &Option<String>| {
        shown.and_then(|s| get(s).clone()).map(AttrValue::from)
    };
    let tri = |get: fn(&SafeContact) -> Option<bool>| {
        (
            Kind::Select(vec![
                (String::new(), t.text("answer-not-known")),
                ("true".into(), t.text("answer-yes")),
                ("false".into(), t.text("answer-no")),
            ]),
            AttrValue::from(
                shown
                    .and_then(|s| get(&s.safe_contact))
                    .map(|b| b.to_string())
                    .unwrap_or_default(),
            ),
        )
    };
    let (calls, calls_now) = tri(|c| c.calls_safe);
    let (texts, texts_now) = tri(|c| c.texts_safe);
    let (voicemail, voicemail_now) = tri(|c| c.voicemail_safe);
    let sc = |get: fn(&SafeContact) -> &Option<String>| {
        shown
            .and_then(|s| get(&s.safe_contact).clone())
            .map(AttrValue::from)
    };
    let restricted = shown.is_some_and(|s| s.address_restricted);
    // An edit never shows a restricted address: say what leaving it empty does.
    let address_hint = restricted.then(|| t.text("field-address.restricted"));
    {
        let node = r(7);
        use_effect_with(restricted, move |first| {
            form::set_default_checked(&node, *first)
        });
    }
    html! {
        <>
            <fieldset><legend>{ t.text("person-legend") }</legend>
                <Field name="full_name" label={t.text("field-full-name")} node={r(0)} problem={pr.clone()} required=true
                    value={shown.map(|s| AttrValue::from(s.full_name.clone()))} />
                <Field name="preferred_name" label={t.text("field-preferred-name")} node={r(1)} problem={pr.clone()} value={text(|s| &s.preferred_name)} />
                <Field name="pronouns" label={t.text("field-pronouns")} node={r(2)} problem={pr.clone()} value={text(|s| &s.pronouns)} />
                <Field name="date_of_birth" label={t.text("field-date-of-birth")} kind={Kind::Date} node={r(3)} problem={pr.clone()}
                    value={shown.and_then(|s| s.date_of_birth).map(|d| AttrValue::from(d.to_string()))} />
                <Field name="phone" label={t.text("field-phone")} node={r(4)} problem={pr.clone()} value={text(|s| &s.phone)} />
                <Field name="email" label={t.text("field-email")} node={r(5)} problem={pr.clone()} value={text(|s| &s.email)} />
                <Field name={p.address_id.clone()} label={t.text("field-address")} kind={Kind::TextArea} node={r(6)} problem={pr.clone()}
                    value={text(|s| &s.address)} hint={address_hint} also={vec!["address"]} />
                <div class="checks"><label><input id="address_restricted" type="checkbox" ref={r(7)} />
                    { " " }{ t.text("field-address-restricted") }</label></div>
            </fieldset>
            <fieldset><legend>{ t.text("case-safe-contact") }</legend>
                <Field name="calls_safe" label={t.text("field-calls-safe")} kind={calls} node={r(8)} problem={pr.clone()} value={calls_now} />
                <Field name="texts_safe" label={t.text("field-texts-safe")} kind={texts} node={r(9)} problem={pr.clone()} value={texts_now} />
                <Field name="voicemail_safe" label={t.text("field-voicemail-safe")} kind={voicemail} node={r(10)} problem={pr.clone()} value={voicemail_now} />
                <Field name="safe_times" label={t.text("field-safe-times")} node={r(11)} problem={pr.clone()} value={sc(|c| &c.safe_times)}
                    also={vec!["safe_contact.safe_times"]} />
                <Field name="code_word" label={t.text("field-code-word")} node={r(12)} problem={pr.clone()} value={sc(|c| &c.code_word)}
                    also={vec!["safe_contact.code_word"]} />
                <Field name="instructions" label={t.text("field-instructions")} kind={Kind::TextArea} node={r(13)} problem={pr.clone()}
                    value={sc(|c| &c.instructions)} also={vec!["safe_contact.instructions"]} />
            </fieldset>
        </>
    }
}

/// The person as `PersonFields` holds them (no needs: the edit form adds
/// them); a date that is not one is named.
pub fn read_person(refs: &[NodeRef]) -> Result<PersonEdit, Problem> {
    let v = |i: usize| form::value(&refs[i]);
    let o = |i: usize| form::opt(v(i));
    let b = |i: usize| match v(i).as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    };
    Ok(PersonEdit {
        full_name: v(0),
        preferred_name: o(1),
        pronouns: o(2),
        date_of_birth: form::date("date_of_birth", &v(3))?,
        phone: o(4),
        email: o(5),
        address: o(6),
        address_restricted: form::checked(&refs[7]),
        safe_contact: SafeContact {
            calls_safe: b(8),
            texts_safe: b(9),
            voicemail_safe: b(10),
            safe_times: o(11),
            code_word: o(12),
            instructions: o(13),
        },
        needs: vec![],
    })
}

/// The fields of `PersonFields` as the core names them, and the aliases
/// for an error summary (the core's name, the element's id).
pub fn person_field_names(
    address_id: &'static str,
) -> (Vec<&'static str>, Vec<(&'static str, &'static str)>) {
    (
        vec![
            "full_name",
            "preferred_name",
            "pronouns",
            "date_of_birth",
            "phone",
            "email",
            address_id,
            "address_restricted",
            "calls_safe",
            "texts_safe",
            "voicemail_safe",
            "safe_times",
            "code_word",
            "instructions",
        ],
        vec![
            ("address", address_id),
            ("safe_contact.safe_times", "safe_times"),
            ("safe_contact.code_word", "code_word"),
            ("safe_contact.instructions", "instructions"),
        ],
    )
}

#[function_component(Details)]
pub fn details(p: &DetailsProps) -> Html {
    let t = crate::l10n::use_texts();
    let refs = use_state(|| (0..14).map(|_| NodeRef::default()).collect::<Vec<_>>());
    // Per need: its box, and the day it was known.
    let need_refs = use_state(|| {
        NeedArea::ALL
            .iter()
            .map(|_| (NodeRef::default(), NodeRef::default()))
            .collect::<Vec<_>>()
    });
    let problem = use_state(|| None::<Problem>);
    let saved = use_state(|| false);
    let person = &p.person;
    let case_id = person.id;
    {
        // The needs held, ticked to start with (kept over a refusal's redraw).
        let need_refs = need_refs.clone();
        use_effect_with(person.needs.clone(), move |held| {
            for (need, (tick, since)) in NeedArea::ALL.iter().zip(need_refs.iter()) {
                let held = held.iter().find(|n| n.area.as_str() == *need);
                form::set_default_checked(tick, held.is_some());
                let day = held.and_then(|n| n.since).map(|d| d.to_string());
                form::set_default(since, day.as_deref().unwrap_or(""));
            }
        });
    }
    // What the form shows: saving writes only what differs from it.
    let shown = PersonEdit::of(person);
    let onsubmit = {
        let shown = shown.clone();
        let (refs, need_refs, problem, saved, changed) = (
            refs.clone(),
            need_refs.clone(),
            problem.clone(),
            saved.clone(),
            p.on_changed.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let edit = read_person(&refs).and_then(|person| {
                Ok(PersonEdit {
                    needs: NeedArea::ALL
                        .iter()
                        .zip(need_refs.iter())
                        .filter(|(_, (tick, _))| form::checked(tick))
                        .map(|(need, (_, since))| {
                            Ok(Need::new(
                                form::choice("needs", need)?,
                                form::date("needs.since", &form::value(since))?,
                            ))
                        })
                        .collect::<Result<_, Problem>>()?,
                    ..person
                })
            });
            saved.set(false);
            let edit = match edit {
                Ok(edit) => edit,
                Err(e) => return problem.set(Some(e)),
            };
            let (problem, saved, changed, shown) = (
                problem.clone(),
                saved.clone(),
                changed.clone(),
                shown.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::EditPerson {
                    case_id,
                    shown,
                    edit,
                })
                .await
                {
                    Ok(()) => {
                        problem.set(None);
                        saved.set(true);
                        changed.emit(());
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let pr = (*problem).clone();
    let (mut fields, mut aliases) = person_field_names("person_address");
    fields.push("needs");
    aliases.push(("needs.since", "needs"));
    let needs_error = pr
        .as_ref()
        .and_then(|x| t.about(x, "needs").or_else(|| t.about(x, "needs.since")));
    let need_words = |n: &Need| {
        let area = t.term("need_area", n.area.as_str());
        match n.since {
            Some(d) => t.text_with(
                "need-since",
                &[("need", area.into()), ("date", form::uk_date(d).into())],
            ),
            None => area,
        }
    };
    html! {
        <section aria-labelledby="details-title">
            <h2 id="details-title">{ t.text("section-details") }</h2>
            <p id="needs-now">{ if person.needs.is_empty() {
                t.text("needs-none")
            } else {
                t.text_with("needs-now", &[("needs", person.needs.iter().map(need_words).collect::<Vec<_>>().join(", ").into())])
            } }</p>
            <form onsubmit={onsubmit} aria-labelledby="edit-person-title">
                <h3 id="edit-person-title">{ t.text("person-edit") }</h3>
                <ErrorSummary problem={pr.clone()} fields={fields} aliases={aliases} />
                <PersonFields refs={(*refs).clone()} problem={pr.clone()} shown={shown} address_id="person_address" />
                <fieldset id="needs" aria-describedby={needs_error.as_ref().map(|_| "needs-error")}>
                    <legend>{ t.text("needs-legend") }</legend>
                    <div class="needs">
                        { for NeedArea::ALL.iter().zip(need_refs.iter()).map(|(need, (tick, since))| {
                            let area = t.term("need_area", need);
                            html! { <div class="need">
                                <label><input type="checkbox" id={format!("need-{need}")} ref={tick.clone()} />
                                    { " " }{ area.clone() }</label>
                                <label class="since">{ t.text("need-since-short") }{ " " }
                                    <input type="date" id={format!("need-since-{need}")} ref={since.clone()}
                                        aria-label={t.text_with("need-since-label", &[("need", area.into())])} /></label>
                            </div> }
                        }) }
                    </div>
                    if let Some(e) = needs_error { <p class="error" id="needs-error" role="alert">{ e }</p> }
                </fieldset>
                <button type="submit" id="save-person">{ t.text("person-save") }</button>
                if *saved { <p role="status" id="person-saved">{ t.text("saved") }</p> }
            </form>
            <Consents case_id={case_id} consents={person.consents.clone()} on_changed={p.on_changed.clone()} />
            <SubjectAccess case_id={case_id} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ConsentsProps {
    case_id: uuid::Uuid,
    consents: Vec<ConsentDecision>,
    on_changed: Callback<()>,
}

/// The consent and information-sharing decisions, latest first, and the
/// form recording another.
#[function_component(Consents)]
fn consents(p: &ConsentsProps) -> Html {
    let t = crate::l10n::use_texts();
    let first_day = form::use_first_day();
    let (topic, agreed, on, note) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let problem = use_state(|| None::<Problem>);
    let version = use_state(|| 0u32);
    let record = {
        let (topic, agreed, on, note, case_id) = (
            topic.clone(),
            agreed.clone(),
            on.clone(),
            note.clone(),
            p.case_id,
        );
        crate::parts::submitter(
            problem.clone(),
            version.clone(),
            p.on_changed.clone(),
            move || {
                let consent = (|| {
                    Ok::<_, Problem>(ConsentDecision {
                        topic: form::value(&topic),
                        agreed: form::value(&agreed) == "agreed",
                        decided_on: form::date("consent_on", &form::value(&on))?
                            .unwrap_or_else(form::today),
                        note: form::opt(form::value(&note)),
                    })
                })();
                async move {
                    backend::call(&backend::RecordConsent {
                        case_id,
                        consent: consent?,
                    })
                    .await
                }
            },
        )
    };
    let mut decisions = p.consents.clone();
    decisions.sort_by_key(|c| std::cmp::Reverse(c.decided_on));
    let pr = (*problem).clone();
    html! {
        <section aria-labelledby="consents-title">
            <h3 id="consents-title">{ t.text("consents-title") }</h3>
            if decisions.is_empty() {
                <p>{ t.text("consents-none") }</p>
            } else {
                <ul class="consents" id="consents">
                    { for decisions.iter().map(|c| html! {
                        <li>
                            <strong>{ t.term("consent", if c.agreed { "agreed" } else { "refused" }) }</strong>
                            { ": " }{ t.rich("consent-line", &[("date", form::uk_date(c.decided_on).into())], &[("topic", &c.topic)]) }
                            if let Some(n) = &c.note { { " (" }<span translate="no">{ n.clone() }</span>{ ")" } }
                        </li>
                    }) }
                </ul>
            }
            <form onsubmit={record} aria-labelledby="add-consent-title">
                <h4 id="add-consent-title">{ t.text("consent-record-title") }</h4>
                <ErrorSummary problem={pr.clone()} fields={vec!["consent_topic", "consent_agreed", "consent_on", "consent_note"]}
                    aliases={vec![("consents.topic", "consent_topic"), ("consents.decided_on", "consent_on")]} />
                <Field name="consent_topic" label={t.text("field-consent-topic")} node={topic} problem={pr.clone()} required=true
                    also={vec!["consents.topic"]} hint={t.text("field-consent-topic.hint")} />
                <Field name="consent_agreed" label={t.text("field-consent-decision")} node={agreed} problem={pr.clone()}
                    kind={Kind::Select(["agreed", "refused"].iter().map(|v| (v.to_string(), t.term("consent", v))).collect())} />
                <Field name="consent_on" label={t.text("field-decided-on")} kind={Kind::Date} node={on} problem={pr.clone()}
                    also={vec!["consents.decided_on"]} value={first_day} />
                <Field name="consent_note" label={t.text("field-consent-note")} node={note} problem={pr.clone()} />
                <button type="submit" id="record-consent">{ t.text("consent-record") }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SubjectAccessProps {
    case_id: uuid::Uuid,
}

/// A subject access request answered: the person's whole record as one
/// file they can read, written to Documents/Waymark (audited), with the
/// warning that it leaves the encrypted store.
#[function_component(SubjectAccess)]
fn subject_access(p: &SubjectAccessProps) -> Html {
    let t = crate::l10n::use_texts();
    let written = use_state(|| None::<Result<String, Problem>>);
    // The shell writes it off the UI's thread: the person may carry on.
    let writing = use_state(|| false);
    let write = {
        let (written, writing, case_id) = (written.clone(), writing.clone(), p.case_id);
        Callback::from(move |_: MouseEvent| {
            let (written, writing) = (written.clone(), writing.clone());
            writing.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                written.set(Some(
                    backend::call(&backend::WriteSubjectAccessExport { case_id }).await,
                ));
                writing.set(false);
            });
        })
    };
    html! {
        <section aria-labelledby="sar-title">
            <h3 id="sar-title">{ t.text("sar-title") }</h3>
            <p class="notice" id="sar-warning">{ t.text("sar-warning") }</p>
            <button class="secondary" id="write-sar" onclick={write} disabled={*writing}>{ t.text("sar-write") }</button>
            if *writing {
                <p role="status" id="sar-writing">{ t.text("sar-writing") }</p>
            }
            { match &*written {
                None => html! {},
                Some(Ok(path)) => html! { <p role="status" id="sar-written">{ t.rich("marac-form-written", &[], &[("path", path)]) }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert" id="sar-error">{ t.problem_line(e) }</p> },
            } }
        </section>
    }
}
