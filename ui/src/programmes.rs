//! Admins: the organisation's programmes. Episodes join one and reports
//! group by them; adding or retiring one goes to every device.

use crate::backend::{self, NewProgramme, Problem, Programme, ProgrammeKind};
use crate::form::{self, ErrorSummary, Field, Kind};
use crate::l10n::Rich;
use crate::parts::submitter;
use yew::prelude::*;

/// The form's field ids; the core names them without the prefix.
const FIELDS: [&str; 5] = [
    "programme_name",
    "programme_kind",
    "planned_weeks",
    "outcome_areas",
    "follow_up_months",
];

/// Whole numbers from text ("6, 12"), or the problem beside `field`
/// naming the one that is not.
fn whole_numbers(field: &str, text: &str) -> Result<Vec<i64>, Problem> {
    text.split([',', ' ', ';'])
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse().map_err(|_| {
                Problem::at(
                    field,
                    crate::l10n::current().text_with("not-a-whole-number", &[("text", s.into())]),
                )
            })
        })
        .collect()
}

#[function_component(Programmes)]
pub fn programmes() -> Html {
    let t = crate::l10n::use_texts();
    let version = use_state(|| 0u32);
    let list = use_state(|| None::<Result<Vec<Programme>, Problem>>);
    {
        let list = list.clone();
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                list.set(Some(backend::call(&backend::ListProgrammes {}).await));
            });
        });
    }
    let problem = use_state(|| None::<Problem>);
    let refs = use_state(|| {
        (0..FIELDS.len())
            .map(|_| NodeRef::default())
            .collect::<Vec<_>>()
    });
    let add = {
        let refs = (*refs).clone();
        submitter(
            problem.clone(),
            version.clone(),
            Callback::noop(),
            move || {
                let v = |i: usize| form::value(&refs[i]);
                let input = (|| {
                    let weeks = match form::opt(v(2)) {
                        Some(w) => Some(
                            whole_numbers("planned_weeks", &w)?
                                .first()
                                .copied()
                                .unwrap_or_default(),
                        ),
                        None => None,
                    };
                    Ok::<_, Problem>(NewProgramme {
                        name: v(0),
                        kind: form::choice("kind", &v(1))?,
                        planned_weeks: weeks,
                        // One outcome area a line.
                        outcome_areas: v(3)
                            .lines()
                            .filter_map(|l| form::opt(l.to_owned()))
                            .collect(),
                        follow_up_months: whole_numbers("follow_up_months", &v(4))?,
                    })
                })();
                async move {
                    backend::call(&backend::AddProgramme { programme: input? })
                        .await
                        .map(|_| ())
                }
            },
        )
    };
    let retire = |name: String| {
        let (version, problem) = (version.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let (name, version, problem) = (name.clone(), version.clone(), problem.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::RetireProgramme { name }).await {
                    Ok(_) => version.set(*version + 1),
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let kinds = Kind::Select(
        ProgrammeKind::ALL
            .iter()
            .map(|k| (k.to_string(), t.term("programme_kind", k)))
            .collect(),
    );
    let pr = (*problem).clone();
    html! {
        <section aria-labelledby="programmes-title">
            <h2 id="programmes-title">{ t.text("programmes-title") }</h2>
            <p class="hint">{ t.text("programmes-hint") }</p>
            { match &*list {
                None => html! { <p role="status">{ t.text("loading") }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ t.problem(e) }</p> },
                Some(Ok(all)) if all.is_empty() => html! { <p>{ t.text("programmes-none") }</p> },
                Some(Ok(all)) => html! {
                    <ul id="programme-list">
                        { for all.iter().map(|p| html! {
                            <li key={p.id.to_string()} class={classes!(p.retired.then_some("retired"))}>
                                <strong translate="no">{ p.name.clone() }</strong>
                                { format!(" — {}", t.term("programme_kind", p.kind.as_str())) }
                                if let Some(w) = p.planned_weeks { { " · " }{ t.text_with("programme-weeks", &[("weeks", w.into())]) } }
                                if !p.outcome_areas.is_empty() {
                                    { " · " }{ t.rich("programme-areas", &[], &[("areas", &p.outcome_areas.join(", "))]) }
                                }
                                if !p.follow_up_months.is_empty() {
                                    { " · " }{ t.text_with("programme-follow-ups", &[("months",
                                        p.follow_up_months.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(", ").into())]) }
                                }
                                { " " }
                                if p.retired {
                                    <span class="done">{ t.text("programme-retired") }</span>
                                } else {
                                    <button type="button" class="secondary" id={format!("retire-{}", form::short(&p.id))}
                                        onclick={retire(p.name.clone())} aria-describedby={format!("programme-{}", form::short(&p.id))}>
                                        { t.text("programme-retire") }</button>
                                    <span id={format!("programme-{}", form::short(&p.id))} class="visually-hidden" translate="no">{ p.name.clone() }</span>
                                }
                            </li>
                        }) }
                    </ul>
                },
            } }
            <form onsubmit={add} aria-labelledby="add-programme-title">
                <h3 id="add-programme-title">{ t.text("programme-add-title") }</h3>
                <ErrorSummary problem={pr.clone()} fields={FIELDS.to_vec()} aliases={vec![("name", "programme_name"), ("kind", "programme_kind")]} />
                <Field name="programme_name" label={t.text("field-programme-name")} node={refs[0].clone()} problem={pr.clone()} required=true also={vec!["name"]} />
                <Field name="programme_kind" label={t.text("field-programme-kind")} kind={kinds} node={refs[1].clone()} problem={pr.clone()} also={vec!["kind"]} />
                <Field name="planned_weeks" label={t.text("field-planned-weeks")} kind={Kind::Number} node={refs[2].clone()} problem={pr.clone()}
                    hint={t.text("field-planned-weeks.hint")} />
                <Field name="outcome_areas" label={t.text("field-outcome-areas")} kind={Kind::TextArea} node={refs[3].clone()} problem={pr.clone()}
                    hint={t.text("field-outcome-areas.hint")} />
                <Field name="follow_up_months" label={t.text("field-follow-up-months")} node={refs[4].clone()} problem={pr.clone()}
                    hint={t.text("field-follow-up-months.hint")} />
                <button type="submit" id="add-programme">{ t.text("programme-add") }</button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_read_and_the_first_that_is_not_is_named() {
        assert_eq!(whole_numbers("f", "6, 12").unwrap(), vec![6, 12]);
        assert_eq!(whole_numbers("f", " 3;24 ").unwrap(), vec![3, 24]);
        assert!(whole_numbers("f", "").unwrap().is_empty());
        let e = whole_numbers("follow_up_months", "6, six, 12").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("follow_up_months"));
        assert!(e.message.contains("six"), "{}", e.message);
    }
}
