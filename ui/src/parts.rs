//! The sections of a case page besides notes: support plan (with the
//! ratings chart), appointments, assessments, referrals and flags,
//! attachments.

use crate::app::Ctx;
use crate::backend::assessment::{Answer as QuestionAnswer, AnswerKind};
use crate::backend::{self, *};
use crate::form::{self, ErrorSummary, Field, Kind};
use crate::l10n::Rich;
use base64::Engine;
use std::collections::BTreeMap;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PartProps {
    pub ctx: Ctx,
    pub case_id: Uuid,
    pub on_changed: Callback<()>,
}

/// Loads `T` for the case, again whenever `version` moves.
#[hook]
fn use_loaded<T, F, Fut>(case_id: Uuid, version: u32, load: F) -> UseStateHandle<Option<Answer<T>>>
where
    T: 'static,
    F: Fn(Uuid) -> Fut + 'static,
    Fut: std::future::Future<Output = Answer<T>> + 'static,
{
    let data = use_state(|| None);
    {
        let (data, id) = (data.clone(), case_id);
        use_effect_with(version, move |_| {
            wasm_bindgen_futures::spawn_local(async move { data.set(Some(load(id).await)) });
        });
    }
    data
}

fn loaded<T>(data: &Option<Answer<T>>, show: impl FnOnce(&T) -> Html) -> Html {
    match data {
        None => html! { <p role="status">{ crate::l10n::current().text("loading") }</p> },
        Some(Err(e)) => {
            html! { <p class="error" role="alert">{ crate::l10n::current().problem_line(e) }</p> }
        }
        Some(Ok(d)) => show(d),
    }
}

/// A form's submit: `send` the values, then reset and reload, or show the problem.
pub(crate) fn submitter<Fut>(
    problem: UseStateHandle<Option<Problem>>,
    version: UseStateHandle<u32>,
    changed: Callback<()>,
    send: impl Fn() -> Fut + 'static,
) -> Callback<SubmitEvent>
where
    Fut: std::future::Future<Output = Answer<()>> + 'static,
{
    submit(true, problem, version, changed, send)
}

/// As `submitter`, for a form showing a record's current values: they stay.
pub(crate) fn saver<Fut>(
    problem: UseStateHandle<Option<Problem>>,
    version: UseStateHandle<u32>,
    changed: Callback<()>,
    send: impl Fn() -> Fut + 'static,
) -> Callback<SubmitEvent>
where
    Fut: std::future::Future<Output = Answer<()>> + 'static,
{
    submit(false, problem, version, changed, send)
}

fn submit<Fut>(
    reset: bool,
    problem: UseStateHandle<Option<Problem>>,
    version: UseStateHandle<u32>,
    changed: Callback<()>,
    send: impl Fn() -> Fut + 'static,
) -> Callback<SubmitEvent>
where
    Fut: std::future::Future<Output = Answer<()>> + 'static,
{
    Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        let form_el = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok());
        let (problem, version, changed) = (problem.clone(), version.clone(), changed.clone());
        let fut = send();
        wasm_bindgen_futures::spawn_local(async move {
            match fut.await {
                Ok(()) => {
                    problem.set(None);
                    if let Some(f) = form_el.filter(|_| reset) {
                        f.reset();
                    }
                    version.set(*version + 1);
                    changed.emit(());
                }
                Err(e) => problem.set(Some(e)),
            }
        });
    })
}

// --- Support plan ---------------------------------------------------------------------

#[function_component(Plan)]
pub fn plan(p: &PartProps) -> Html {
    let t = crate::l10n::use_texts();
    let version = use_state(|| 0u32);
    let goals = use_loaded(p.case_id, *version, |id| async move {
        backend::call(&backend::GetSupportPlan { case_id: id }).await
    });
    let problem = use_state(|| None::<Problem>);
    let (need, description, review) = (use_node_ref(), use_node_ref(), use_node_ref());
    let add_goal = {
        let (need, description, review, case_id) =
            (need.clone(), description.clone(), review.clone(), p.case_id);
        submitter(
            problem.clone(),
            version.clone(),
            p.on_changed.clone(),
            move || {
                let goal = (|| {
                    Ok::<_, Problem>(NewGoal {
                        case_id,
                        need_area: form::choice("need_area", &form::value(&need))?,
                        description: form::value(&description),
                        review_on: form::date("review_on", &form::value(&review))?,
                    })
                })();
                async move { backend::call(&AddGoal { goal: goal? }).await.map(|_| ()) }
            },
        )
    };
    let pr = (*problem).clone();
    html! {
        <section aria-labelledby="plan-title">
            <h2 id="plan-title">{ t.text("plan-title") }</h2>
            { loaded(&goals, |goals: &Vec<GoalView>| html! {
                <>
                    if goals.is_empty() { <p>{ t.text("plan-no-goals") }</p> }
                    { for goals.iter().map(|g| html! {
                        <GoalCard key={g.goal.id.to_string()} goal={g.clone()} ctx={p.ctx.clone()} on_changed={
                            let version = version.clone();
                            Callback::from(move |_| version.set(*version + 1))
                        } />
                    }) }
                </>
            }) }
            <form onsubmit={add_goal} aria-labelledby="add-goal-title">
                <h3 id="add-goal-title">{ t.text("plan-add-goal-title") }</h3>
                <ErrorSummary problem={pr.clone()} fields={vec!["need_area", "description", "review_on"]} />
                <Field name="need_area" label={t.text("field-need-area")} kind={p.ctx.choices("need_area")} node={need} problem={pr.clone()} />
                <Field name="description" label={t.text("field-goal")} node={description} problem={pr.clone()} required=true />
                <Field name="review_on" label={t.text("field-review-on")} kind={Kind::Date} node={review} problem={pr.clone()} />
                <button type="submit">{ t.text("plan-add-goal") }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct GoalProps {
    goal: GoalView,
    ctx: Ctx,
    on_changed: Callback<()>,
}

#[function_component(GoalCard)]
fn goal_card(p: &GoalProps) -> Html {
    let t = crate::l10n::use_texts();
    let g = &p.goal;
    let short = form::short(&g.goal.id);
    let problem = use_state(|| None::<Problem>);
    let version = use_state(|| 0u32);
    let (rating, comment, action, owner, due) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let rate = {
        let (rating, comment, id) = (rating.clone(), comment.clone(), g.goal.id);
        submitter(
            problem.clone(),
            version.clone(),
            p.on_changed.clone(),
            move || {
                let (r, c, id) = (
                    form::value(&rating).trim().parse::<i64>(),
                    form::opt(form::value(&comment)),
                    id,
                );
                async move {
                    let r = r.map_err(|_| {
                        Problem::at("rating", crate::l10n::current().text("goal-rating-problem"))
                    })?;
                    backend::call(&backend::RateGoal {
                        goal_id: id,
                        rating: r,
                        comment: c,
                    })
                    .await
                }
            },
        )
    };
    let add_action = {
        let (action, owner, due, id, me) = (
            action.clone(),
            owner.clone(),
            due.clone(),
            g.goal.id,
            p.ctx.user.clone(),
        );
        submitter(
            problem.clone(),
            version.clone(),
            p.on_changed.clone(),
            move || {
                let action = form::date("due_on", &form::value(&due)).map(|due_on| NewPlanAction {
                    goal_id: id,
                    description: form::value(&action),
                    owner: form::opt(form::value(&owner)).unwrap_or_else(|| me.clone()),
                    due_on,
                });
                async move {
                    backend::call(&AddPlanAction { action: action? })
                        .await
                        .map(|_| ())
                }
            },
        )
    };
    let (status, review) = (use_node_ref(), use_node_ref());
    let update = {
        let (status, review, id) = (status.clone(), review.clone(), g.goal.id);
        saver(
            problem.clone(),
            version.clone(),
            p.on_changed.clone(),
            move || {
                let status = form::choice::<GoalStatus>("status", &form::value(&status));
                let review_on = form::date("review_on", &form::value(&review));
                async move {
                    backend::call(&backend::UpdateGoal {
                        goal_id: id,
                        status: status?,
                        review_on: review_on?,
                    })
                    .await
                }
            },
        )
    };
    let done = |action_id: Uuid| {
        let changed = p.on_changed.clone();
        Callback::from(move |_: MouseEvent| {
            let (id, changed) = (action_id, changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if backend::call(&backend::CompletePlanAction { action_id: id })
                    .await
                    .is_ok()
                {
                    changed.emit(());
                }
            });
        })
    };
    // Ids unique per goal; the form-level error keeps the backend's names.
    let pr = problem.as_ref().map(|x| x.scoped(&short));
    html! {
        <div class="goal">
            <h3>{ t.rich("goal-heading", &[("area", t.term("need_area", g.goal.need_area.as_str()).into())], &[("goal", &g.goal.description)]) }</h3>
            <p class="meta">{ match g.goal.review_on {
                Some(d) => t.text_with("goal-status-review", &[("status", t.term("goal_status", g.goal.status.as_str()).into()), ("date", form::uk_date(d).into())]),
                None => t.term("goal_status", g.goal.status.as_str()),
            } }</p>
            <ErrorSummary problem={(*problem).clone()} fields={vec!["rating", "comment", "description", "owner", "due_on", "status", "review_on"]} scope={short.clone()} />
            <RatingChart ratings={g.ratings.clone()} title={g.goal.description.clone()} />
            <ul class="actions">
                { for g.actions.iter().map(|a| html! {
                    <li key={a.id.to_string()}>
                        { match a.due_on {
                            Some(d) => t.rich("goal-action-due", &[("date", form::uk_date(d).into())], &[("action", &a.description), ("owner", &a.owner)]),
                            None => t.rich("goal-action", &[], &[("action", &a.description), ("owner", &a.owner)]),
                        } }
                        { match &a.done_on {
                            Some(d) => html! { <span class="done">{ " " }{ t.text_with("goal-action-done", &[("date", form::uk_date(*d).into())]) }</span> },
                            None => html! { <>{ " " }<button class="secondary" onclick={done(a.id)}>{ t.text("goal-mark-done") }</button></> },
                        } }
                    </li>
                }) }
            </ul>
            <div class="row">
                <form onsubmit={rate} aria-label={t.text("form-rate-progress")}>
                    <Field name={format!("rating-{short}")} label={t.text("field-rating")} kind={Kind::Number} node={rating} problem={pr.clone()} required=true />
                    <Field name={format!("comment-{short}")} label={t.text("field-comment")} node={comment} problem={pr.clone()} />
                    <button type="submit">{ t.text("goal-record-rating") }</button>
                </form>
                <form onsubmit={add_action} aria-label={t.text("form-add-action")}>
                    <Field name={format!("description-{short}")} label={t.text("field-action")} node={action} problem={pr.clone()} required=true />
                    <Field name={format!("owner-{short}")} label={t.text("field-action-owner")} node={owner} problem={pr.clone()} />
                    <Field name={format!("due_on-{short}")} label={t.text("field-due")} kind={Kind::Date} node={due} problem={pr.clone()} />
                    <button type="submit">{ t.text("goal-add-action") }</button>
                </form>
            </div>
            <form class="row" onsubmit={update} aria-label={t.text("form-status-review")}>
                <Field name={format!("status-{short}")} label={t.text("field-status")} kind={form::Kind::Select(GoalStatus::ALL.iter().map(|v| (v.to_string(), t.term("goal_status", v))).collect())}
                    node={status} problem={pr.clone()} value={AttrValue::from(g.goal.status.as_str())} />
                <Field name={format!("review_on-{short}")} label={t.text("field-review-on")} kind={Kind::Date} node={review} problem={pr.clone()}
                    value={g.goal.review_on.map(|d| AttrValue::from(d.to_string()))} />
                <button type="submit" id={format!("update-goal-{short}")}>{ t.text("goal-update") }</button>
            </form>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ReferralOutcomeProps {
    referral: Referral,
    on_changed: Callback<()>,
}

/// What came of a referral, in words, kept as it stands or with the
/// referral closed.
#[function_component(ReferralOutcome)]
fn referral_outcome(p: &ReferralOutcomeProps) -> Html {
    let t = crate::l10n::use_texts();
    let r = &p.referral;
    let short = form::short(&r.id);
    let outcome = use_node_ref();
    let problem = use_state(|| None::<Problem>);
    let save = |status: ReferralStatus| {
        let (outcome, problem, changed, id) =
            (outcome.clone(), problem.clone(), p.on_changed.clone(), r.id);
        Callback::from(move |_: MouseEvent| {
            let (problem, changed) = (problem.clone(), changed.clone());
            let text = form::opt(form::value(&outcome));
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::UpdateReferral {
                    referral_id: id,
                    status,
                    outcome: text,
                })
                .await
                {
                    Ok(()) => {
                        problem.set(None);
                        changed.emit(());
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let pr = problem.as_ref().map(|x| x.scoped(&short));
    html! {
        <form class="referral-outcome" aria-label={t.text("form-referral-outcome")}
            onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <ErrorSummary problem={(*problem).clone()} fields={vec!["outcome"]} scope={short.clone()} />
            <Field name={format!("outcome-{short}")} label={t.text("field-outcome")} node={outcome.clone()} problem={pr}
                value={r.outcome.clone().map(AttrValue::from)} />
            <button type="button" class="secondary" id={format!("save-outcome-{short}")} onclick={save(r.status)}>{ t.text("referral-save-outcome") }</button>
            { " " }
            <button type="button" class="secondary" id={format!("close-referral-{short}")} onclick={save(ReferralStatus::Closed)}>{ t.text("referral-close") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct ChartProps {
    ratings: Vec<OutcomeRating>,
    title: String,
}

/// Ratings over time as a line (1–10), with the figures as text too.
#[function_component(RatingChart)]
fn rating_chart(p: &ChartProps) -> Html {
    let t = crate::l10n::use_texts();
    if p.ratings.is_empty() {
        return html! { <p class="hint">{ t.text("chart-no-ratings") }</p> };
    }
    let (w, h, pad) = (320.0, 120.0, 14.0);
    let n = p.ratings.len();
    let x = |i: usize| {
        if n == 1 {
            w / 2.0
        } else {
            pad + (w - 2.0 * pad) * i as f64 / (n - 1) as f64
        }
    };
    let y = |r: i64| h - pad - (h - 2.0 * pad) * (r as f64 - 1.0) / 9.0;
    let points: String = p
        .ratings
        .iter()
        .enumerate()
        .map(|(i, r)| format!("{:.1},{:.1}", x(i), y(r.rating)))
        .collect::<Vec<_>>()
        .join(" ");
    let described = p
        .ratings
        .iter()
        .map(|r| format!("{}: {}", form::uk_date(r.rated_on), r.rating))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <figure class="chart">
            <svg viewBox={format!("0 0 {w} {h}")} width={w.to_string()} height={h.to_string()} role="img"
                aria-label={t.text_with("chart-label", &[("ratings", described.clone().into())])}>
                <line x1={pad.to_string()} y1={y(1).to_string()} x2={(w - pad).to_string()} y2={y(1).to_string()} class="axis" />
                <line x1={pad.to_string()} y1={y(10).to_string()} x2={(w - pad).to_string()} y2={y(10).to_string()} class="axis faint" />
                <polyline points={points} class="line" />
                { for p.ratings.iter().enumerate().map(|(i, r)| html! {
                    <circle cx={format!("{:.1}", x(i))} cy={format!("{:.1}", y(r.rating))} r="4" class="dot" />
                }) }
            </svg>
            <figcaption>{ t.text_with("chart-caption", &[("ratings", described.into())]) }</figcaption>
        </figure>
    }
}

// --- Appointments -----------------------------------------------------------------------

#[function_component(Appointments)]
pub fn appointments(p: &PartProps) -> Html {
    let t = crate::l10n::use_texts();
    let version = use_state(|| 0u32);
    let list = use_loaded(p.case_id, *version, |id| async move {
        backend::call(&backend::CaseAppointments { case_id: id }).await
    });
    let problem = use_state(|| None::<Problem>);
    let first_start = form::use_first_value(24.0 * 60.0);
    let (starts, minutes, place, agency, with, reminder) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let add = {
        let (starts, minutes, place, agency, with, reminder, case_id) = (
            starts.clone(),
            minutes.clone(),
            place.clone(),
            agency.clone(),
            with.clone(),
            reminder.clone(),
            p.case_id,
        );
        submitter(
            problem.clone(),
            version.clone(),
            p.on_changed.clone(),
            move || {
                let length: i64 = form::value(&minutes).trim().parse().unwrap_or(60);
                let appointment = (|| {
                    let starts_at =
                        form::from_local_input(&form::value(&starts)).ok_or_else(|| {
                            Problem::at(
                                "starts_at",
                                crate::l10n::current().text("appt-starts-problem"),
                            )
                        })?;
                    Ok::<_, Problem>(NewAppointment {
                        case_id,
                        starts_at,
                        ends_at: starts_at + chrono::Duration::minutes(length),
                        place: form::opt(form::value(&place)),
                        agency: form::choice("agency", &form::value(&agency))?,
                        with_whom: form::opt(form::value(&with)),
                        reminder_minutes: form::value(&reminder).trim().parse().ok(),
                        accompany: false,
                    })
                })();
                async move {
                    backend::call(&AddAppointment {
                        appointment: appointment?,
                    })
                    .await
                    .map(|_| ())
                }
            },
        )
    };
    let pr = (*problem).clone();
    html! {
        <section aria-labelledby="appts-title">
            <h2 id="appts-title">{ t.text("appts-title") }</h2>
            { loaded(&list, |list: &Vec<Appointment>| html! {
                <ul class="appointments">
                    if list.is_empty() { <li>{ t.text("appts-none") }</li> }
                    { for list.iter().map(|a| html! {
                        <AppointmentItem key={a.id.to_string()} appointment={a.clone()} ctx={p.ctx.clone()} on_changed={
                            let version = version.clone();
                            Callback::from(move |_| version.set(*version + 1))
                        } />
                    }) }
                </ul>
            }) }
            <form onsubmit={add} aria-labelledby="add-appt-title">
                <h3 id="add-appt-title">{ t.text("appts-add-title") }</h3>
                <ErrorSummary problem={pr.clone()} fields={vec!["starts_at", "ends_at", "agency", "place", "with_whom", "reminder_minutes"]} />
                <div class="row">
                    <Field name="starts_at" label={t.text("field-starts")} kind={Kind::DateTime} node={starts} problem={pr.clone()} required=true
                        value={first_start} />
                    <Field name="ends_at" label={t.text("field-length")} kind={Kind::Number} node={minutes} problem={pr.clone()} value="60" />
                    <Field name="agency" label={t.text("field-with-service")} kind={p.ctx.choices("agency")} node={agency} problem={pr.clone()} />
                </div>
                <div class="row">
                    <Field name="place" label={t.text("field-where")} node={place} problem={pr.clone()} />
                    <Field name="with_whom" label={t.text("field-with-whom")} node={with} problem={pr.clone()} />
                    <Field name="reminder_minutes" label={t.text("field-reminder")} kind={Kind::Number} node={reminder} problem={pr.clone()} value="30"
                        hint={t.text("field-reminder.hint")} />
                </div>
                <button type="submit">{ t.text("appts-add") }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct AppointmentProps {
    pub appointment: Appointment,
    pub ctx: Ctx,
    pub on_changed: Callback<()>,
    #[prop_or_default]
    pub person_name: Option<String>,
}

/// One appointment, with its outcome or a form to record it.
#[function_component(AppointmentItem)]
pub fn appointment_item(p: &AppointmentProps) -> Html {
    let t = crate::l10n::use_texts();
    let a = &p.appointment;
    let short = form::short(&a.id);
    let problem = use_state(|| None::<Problem>);
    let (outcome, note) = (use_node_ref(), use_node_ref());
    let onsubmit = {
        let (outcome, note, id, changed, problem) = (
            outcome.clone(),
            note.clone(),
            a.id,
            p.on_changed.clone(),
            problem.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let n = form::opt(form::value(&note));
            let o = match form::choice("outcome", &form::value(&outcome)) {
                Ok(o) => o,
                Err(e) => return problem.set(Some(e)),
            };
            let (id, changed, problem) = (id, changed.clone(), problem.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::RecordOutcome {
                    appointment_id: id,
                    outcome: o,
                    note: n,
                })
                .await
                {
                    Ok(()) => changed.emit(()),
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let pr = problem.as_ref().map(|x| x.scoped(&short));
    html! {
        <li class="appointment">
            <p>
                <strong>{ form::local_time(&a.starts_at) }</strong>
                if let Some(n) = &p.person_name { { " · " }<span translate="no">{ n.clone() }</span> }
                { format!(" · {}", t.term("agency", a.agency.as_str())) }
                if let Some(x) = &a.place { { " " }{ t.rich("appt-at", &[], &[("place", x)]) } }
                if let Some(x) = &a.with_whom { { " " }{ t.rich("appt-with", &[], &[("whom", x)]) } }
            </p>
            { match &a.outcome {
                Some(o) => html! { <p class="outcome">{ t.text_with("outcome-shown", &[("outcome", t.term("appointment_outcome", o.as_str()).into())]) }
                    if let Some(n) = &a.outcome_note { { " — " }<span translate="no">{ n.clone() }</span> }</p> },
                None => html! {
                    <form class="row" onsubmit={onsubmit} aria-label={t.text("form-record-outcome")}>
                        <ErrorSummary problem={(*problem).clone()} fields={vec!["outcome", "outcome_note"]}
                            aliases={vec![("note", "outcome_note")]} scope={short.clone()} />
                        <Field name={format!("outcome-{short}")} label={t.text("field-outcome")} kind={p.ctx.choices("appointment_outcome")} node={outcome} problem={pr.clone()} />
                        <Field name={format!("outcome_note-{short}")} label={t.text("field-outcome-note")} node={note} problem={pr.clone()} />
                        <button type="submit">{ t.text("appt-record-outcome") }</button>
                    </form>
                },
            } }
        </li>
    }
}

// --- Assessments --------------------------------------------------------------------------

#[function_component(Assessments)]
pub fn assessments(p: &PartProps) -> Html {
    let t = crate::l10n::use_texts();
    let version = use_state(|| 0u32);
    let done = use_loaded(p.case_id, *version, |id| async move {
        backend::call(&backend::GetAssessments { case_id: id }).await
    });
    let templates = use_loaded(p.case_id, 0, |_| async move {
        backend::call(&backend::GetTemplates {}).await
    });
    let reload = {
        let (version, changed) = (version.clone(), p.on_changed.clone());
        Callback::from(move |_| {
            version.set(*version + 1);
            changed.emit(());
        })
    };
    html! {
        <section aria-labelledby="assess-title">
            <h2 id="assess-title">{ t.text("assess-title") }</h2>
            { loaded(&done, |list: &Vec<Assessment>| html! {
                <ul class="assessments">
                    { for list.iter().map(|a| html! {
                        <AssessmentItem key={a.id.to_string()} assessment={a.clone()} on_changed={reload.clone()} />
                    }) }
                </ul>
            }) }
            { loaded(&templates, |ts: &Vec<AssessmentTemplate>| html! {
                { for ts.iter().map(|template| html! {
                    <AssessmentForm key={template.key.clone()} template={template.clone()} case_id={p.case_id} on_saved={reload.clone()} />
                }) }
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct AssessmentItemProps {
    assessment: Assessment,
    on_changed: Callback<()>,
}

/// A saved assessment: its level, and each prompted action with the
/// decision recorded, or buttons to record it.
#[function_component(AssessmentItem)]
fn assessment_item(p: &AssessmentItemProps) -> Html {
    let t = crate::l10n::use_texts();
    let a = &p.assessment;
    html! {
        <li class="assessment">
            <p><strong>{ t.rich("assessment-done", &[("score", a.score.into())], &[("template", &form::words(&a.template_key)), ("level", &form::words(&a.level))]) }</strong>
               { format!(" · {}", form::local_time(&a.completed_at)) }</p>
            { for a.prompts.iter().enumerate().map(|(i, prompt)| html! {
                <PromptBox of={PromptOf::Assessment { id: a.id, index: i }} prompt={prompt.clone()}
                    decided={a.decisions.iter().find(|d| d.prompt_index == i).cloned()} on_changed={p.on_changed.clone()} />
            }) }
            if a.prompts.iter().any(|pr| pr.agency == Agency::Marac) {
                <MaracForm assessment_id={a.id} />
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct MaracFormProps {
    assessment_id: Uuid,
}

/// The MARAC referral form, filled from this assessment's answers and the
/// case, written as a file to send by the MARAC's secure route.
#[function_component(MaracForm)]
fn marac_form(p: &MaracFormProps) -> Html {
    let t = crate::l10n::use_texts();
    let written = use_state(|| None::<Answer<String>>);
    let onclick = {
        let (written, assessment_id) = (written.clone(), p.assessment_id);
        Callback::from(move |_: MouseEvent| {
            let written = written.clone();
            wasm_bindgen_futures::spawn_local(async move {
                written.set(Some(backend::call(&WriteMaracForm { assessment_id }).await));
            });
        })
    };
    html! {
        <div class="marac-form">
            <button class="secondary" id={format!("marac-form-{}", p.assessment_id)} {onclick}>{ t.text("marac-form-write") }</button>
            <p class="hint">{ t.text("marac-form-hint") }</p>
            { match &*written {
                Some(Ok(path)) => html! { <p role="status" class="marac-form-written">{ t.rich("marac-form-written", &[], &[("path", path)]) }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ t.problem_line(e) }</p> },
                None => html! {},
            } }
        </div>
    }
}

/// What prompted an action: an assessment's threshold, or an incident's
/// police call-out meeting the escalation criterion.
#[derive(Clone, Copy, PartialEq)]
pub enum PromptOf {
    Assessment { id: Uuid, index: usize },
    Incident { id: Uuid },
}

#[derive(Properties, PartialEq)]
pub struct PromptBoxProps {
    pub of: PromptOf,
    pub prompt: backend::assessment::Prompt,
    /// The prompt in the app's words (an incident's escalation); without
    /// it, the template's own words as written.
    #[prop_or_default]
    pub said: Option<String>,
    pub decided: Option<PromptDecision>,
    pub on_changed: Callback<()>,
}

/// A prompted action: the decision recorded, or the buttons to make it or
/// say why not now.
#[function_component(PromptBox)]
pub fn prompt_box(p: &PromptBoxProps) -> Html {
    let t = crate::l10n::use_texts();
    let problem = use_state(|| None::<Problem>);
    let reason = use_node_ref();
    let because = use_node_ref();
    let decide = |decision: DecisionKind| {
        let (of, reason, because, problem, changed) = (
            p.of,
            reason.clone(),
            because.clone(),
            problem.clone(),
            p.on_changed.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let r = form::opt(form::value(&reason));
            // Only a decision not to act says why; the core names a missing one.
            let why = match (decision, form::opt(form::value(&because))) {
                (DecisionKind::Declined, Some(text)) => {
                    match form::choice::<DeclineReason>("because", &text) {
                        Ok(v) => Some(v),
                        Err(e) => return problem.set(Some(e)),
                    }
                }
                _ => None,
            };
            let (problem, changed) = (problem.clone(), changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let done = match of {
                    PromptOf::Assessment { id, index } => {
                        backend::call(&backend::DecidePrompt {
                            assessment_id: id,
                            prompt_index: index,
                            decision,
                            because: why,
                            reason: r,
                        })
                        .await
                    }
                    PromptOf::Incident { id } => {
                        backend::call(&backend::DecideEscalation {
                            incident_id: id,
                            decision,
                            because: why,
                            reason: r,
                        })
                        .await
                    }
                };
                match done {
                    Ok(_) => changed.emit(()),
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let short = match p.of {
        PromptOf::Assessment { id, index } => format!("{}-{index}", form::short(&id)),
        PromptOf::Incident { id } => form::short(&id),
    };
    let pr = problem.as_ref().map(|x| x.scoped(&short));
    html! {
        <div class="prompt" role="group" aria-label={t.text("prompt-group")}>
            { match &p.said {
                Some(words) => html! { <p>{ words.clone() }</p> },
                // The template's words, the organisation's own.
                None => html! { <p translate="no">{ p.prompt.text.clone() }</p> },
            } }
            { match &p.decided {
                Some(d) => html! { <p class="decided">{ t.text_with("prompt-decision", &[("decision", t.term("decision_kind", d.decision.as_str()).into())]) }
                    { d.because.map(|b| format!(": {}", t.term("decline_reason", b.as_str()))).unwrap_or_default() }
                    if let Some(r) = &d.reason { { " — " }<span translate="no">{ r.clone() }</span> }</p> },
                None => html! { <>
                    <Field name={format!("because-{short}")} label={t.text("field-because")} node={because.clone()} problem={pr.clone()}
                        kind={form::Kind::Select(std::iter::once((String::new(), t.text("choose-reason")))
                            .chain(DeclineReason::ALL.iter().map(|v| (v.to_string(), t.term("decline_reason", v)))).collect())} />
                    <Field name={format!("reason-{short}")} label={t.text("field-reason-words")} node={reason.clone()} problem={pr.clone()} />
                    <button class="make-referral" onclick={decide(DecisionKind::Made)}>{ t.text_with("prompt-make", &[("agency", t.term("agency", p.prompt.agency.as_str()).into())]) }</button>
                    { " " }
                    <button class="secondary" onclick={decide(DecisionKind::Declined)}>{ t.text("prompt-not-now") }</button>
                    <ErrorSummary problem={(*problem).clone()} fields={vec!["because", "reason"]} scope={short.clone()} />
                </> },
            } }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct AssessmentFormProps {
    template: AssessmentTemplate,
    case_id: Uuid,
    on_saved: Callback<()>,
}

/// Filling in a template, with the score and level shown live.
#[function_component(AssessmentForm)]
fn assessment_form(p: &AssessmentFormProps) -> Html {
    let texts = crate::l10n::use_texts();
    let answers = use_state(BTreeMap::<String, QuestionAnswer>::new);
    let live = use_state(|| None::<Answer<LiveScore>>);
    let problem = use_state(|| None::<Problem>);
    {
        let (live, key) = (live.clone(), p.template.key.clone());
        use_effect_with((*answers).clone(), move |answers| {
            let answers = answers.clone();
            wasm_bindgen_futures::spawn_local(async move {
                live.set(Some(
                    backend::call(&backend::ScoreAssessment {
                        template_key: key,
                        answers,
                    })
                    .await,
                ));
            });
        });
    }
    let set = |id: String, value: QuestionAnswer| {
        let answers = answers.clone();
        move || {
            let mut a = (*answers).clone();
            a.insert(id.clone(), value.clone());
            answers.set(a);
        }
    };
    let onsubmit = {
        let (answers, problem, saved, case_id, key) = (
            answers.clone(),
            problem.clone(),
            p.on_saved.clone(),
            p.case_id,
            p.template.key.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (a, problem, saved, case_id, key, answers) = (
                (*answers).clone(),
                problem.clone(),
                saved.clone(),
                case_id,
                key.clone(),
                answers.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::CompleteAssessment {
                    assessment: NewAssessment {
                        case_id,
                        template_key: key,
                        template_version: None,
                        answers: a,
                    },
                })
                .await
                {
                    Ok(_) => {
                        answers.set(BTreeMap::new());
                        problem.set(None);
                        saved.emit(());
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let t = &p.template;
    let pr = (*problem).clone();
    html! {
        <form class="assessment-form" onsubmit={onsubmit} aria-labelledby={format!("t-{}", t.key)}>
            <h3 id={format!("t-{}", t.key)}>{ texts.rich("assessment-new", &[], &[("name", &t.name)]) }</h3>
            <ErrorSummary problem={pr.clone().filter(|x| !x.field.as_deref().unwrap_or("").starts_with("answers."))} fields={vec![]} />
            // A template's questions and labels are the organisation's words
            // (imported by an admin), shown as written.
            <p class="hint" translate="no">{ t.definition.description.clone() }</p>
            <div class="live" role="status" aria-live="polite" id="live-score">
                { match &*live {
                    Some(Ok(l)) => html! { <>
                        <strong>{ texts.rich("live-score", &[("score", l.result.score.into())], &[("label", &l.result.label)]) }</strong>
                        { " " }{ texts.text_with("live-unanswered", &[("count", l.unanswered.len().into())]) }
                        { for l.result.prompts.iter().map(|pr| html! {
                            <p class="prompt-live">{ texts.rich("live-prompts", &[], &[("prompt", &pr.text)]) }</p>
                        }) }
                    </> },
                    Some(Err(e)) => html! { <span class="error">{ texts.problem_line(e) }</span> },
                    None => html! {},
                } }
            </div>
            { for t.definition.questions.iter().map(|q| {
                let field = format!("answers.{}", q.id);
                let error = pr.as_ref().and_then(|x| texts.about(x, &field));
                let current = answers.get(&q.id).cloned();
                let control = match &q.answer {
                    AnswerKind::YesNo => {
                        let yes = set(q.id.clone(), QuestionAnswer::YesNo(true));
                        let no = set(q.id.clone(), QuestionAnswer::YesNo(false));
                        let unknown = set(q.id.clone(), QuestionAnswer::NotKnown(()));
                        html! {
                            <fieldset class="yes-no">
                                <legend translate="no">{ q.text.clone() }</legend>
                                <label><input type="radio" name={q.id.clone()} value="yes" checked={current == Some(QuestionAnswer::YesNo(true))}
                                    onchange={Callback::from(move |_: Event| yes())} />{ " " }{ texts.text("answer-yes") }</label>
                                <label><input type="radio" name={q.id.clone()} value="no" checked={current == Some(QuestionAnswer::YesNo(false))}
                                    onchange={Callback::from(move |_: Event| no())} />{ " " }{ texts.text("answer-no") }</label>
                                <label><input type="radio" name={q.id.clone()} value="unknown" checked={current == Some(QuestionAnswer::NotKnown(()))}
                                    onchange={Callback::from(move |_: Event| unknown())} />{ " " }{ texts.text("answer-not-known") }</label>
                            </fieldset>
                        }
                    }
                    AnswerKind::Scale { min, max } => {
                        let (answers, id) = (answers.clone(), q.id.clone());
                        html! { <div class="field">
                            <label for={format!("q-{}", q.id)}><span translate="no">{ q.text.clone() }</span>{ format!(" ({min}–{max})") }</label>
                            <input id={format!("q-{}", q.id)} type="number" min={min.to_string()} max={max.to_string()}
                                oninput={Callback::from(move |e: InputEvent| {
                                    let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                                    let mut a = (*answers).clone();
                                    match v.trim().parse::<i64>() { Ok(n) => { a.insert(id.clone(), QuestionAnswer::Number(n)); } Err(_) => { a.remove(&id); } }
                                    answers.set(a);
                                })} />
                        </div> }
                    }
                    AnswerKind::Choice { options } => {
                        let (answers, id) = (answers.clone(), q.id.clone());
                        html! { <div class="field">
                            <label for={format!("q-{}", q.id)} translate="no">{ q.text.clone() }</label>
                            <select id={format!("q-{}", q.id)} onchange={Callback::from(move |e: Event| {
                                let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
                                let mut a = (*answers).clone();
                                if v.is_empty() { a.remove(&id); } else { a.insert(id.clone(), QuestionAnswer::Text(v)); }
                                answers.set(a);
                            })}>
                                <option value="">{ texts.text("choose") }</option>
                                { for options.iter().map(|o| html! { <option value={o.value.clone()} translate="no">{ o.label.clone() }</option> }) }
                            </select>
                        </div> }
                    }
                    AnswerKind::Text => {
                        let (answers, id) = (answers.clone(), q.id.clone());
                        html! { <div class="field">
                            <label for={format!("q-{}", q.id)} translate="no">{ q.text.clone() }</label>
                            <textarea id={format!("q-{}", q.id)} rows="3" oninput={Callback::from(move |e: InputEvent| {
                                let v = e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value();
                                let mut a = (*answers).clone();
                                a.insert(id.clone(), QuestionAnswer::Text(v));
                                answers.set(a);
                            })} />
                        </div> }
                    }
                };
                html! { <div class="question" id={format!("question-{}", q.id)}>
                    { control }
                    if let Some(e) = error { <p class="error" role="alert">{ e }</p> }
                </div> }
            }) }
            if pr.as_ref().is_some_and(|x| x.field.as_deref().unwrap_or("").starts_with("answers.")) {
                <p class="error" role="alert">{ texts.text("assessment-unanswered") }</p>
            }
            <button type="submit" id="save-assessment">{ texts.text("assessment-save") }</button>
        </form>
    }
}

// --- Referrals and flags --------------------------------------------------------------------

#[derive(Properties, PartialEq)]
pub struct ReferralsProps {
    pub ctx: Ctx,
    pub case_id: Uuid,
    /// The consents the person has agreed to, one of which a referral may name.
    pub agreed: Vec<String>,
    pub on_changed: Callback<()>,
}

#[function_component(ReferralsAndFlags)]
pub fn referrals_and_flags(p: &ReferralsProps) -> Html {
    let t = crate::l10n::use_texts();
    let version = use_state(|| 0u32);
    let referrals = use_loaded(p.case_id, *version, |id| async move {
        backend::call(&backend::GetReferrals { case_id: id }).await
    });
    let flags = use_loaded(p.case_id, *version, |id| async move {
        backend::call(&backend::GetFlags { case_id: id }).await
    });
    let problem = use_state(|| None::<Problem>);
    let flag_problem = use_state(|| None::<Problem>);
    let (agency, reason, consent, kind, detail) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let add_referral = {
        let (agency, reason, consent, case_id) =
            (agency.clone(), reason.clone(), consent.clone(), p.case_id);
        submitter(
            problem.clone(),
            version.clone(),
            p.on_changed.clone(),
            move || {
                let referral =
                    form::choice("agency", &form::value(&agency)).map(|agency| NewReferral {
                        case_id,
                        agency,
                        reason: form::value(&reason),
                        made_on: None,
                        assessment_id: None,
                        consent_topic: form::opt(form::value(&consent)),
                    });
                async move {
                    backend::call(&AddReferral {
                        referral: referral?,
                    })
                    .await
                    .map(|_| ())
                }
            },
        )
    };
    let raise = {
        let (kind, detail, case_id) = (kind.clone(), detail.clone(), p.case_id);
        submitter(
            flag_problem.clone(),
            version.clone(),
            p.on_changed.clone(),
            move || {
                let (k, d, id) = (
                    form::choice("kind", &form::value(&kind)),
                    form::opt(form::value(&detail)),
                    case_id,
                );
                async move {
                    backend::call(&RaiseFlag {
                        case_id: id,
                        kind: k?,
                        detail: d,
                    })
                    .await
                }
            },
        )
    };
    let resolve = |flag_id: Uuid| {
        let (version, changed) = (version.clone(), p.on_changed.clone());
        Callback::from(move |_: MouseEvent| {
            let (id, version, changed) = (flag_id, version.clone(), changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if backend::call(&backend::ResolveFlag { flag_id: id })
                    .await
                    .is_ok()
                {
                    version.set(*version + 1);
                    changed.emit(());
                }
            });
        })
    };
    let set_status = |referral_id: Uuid, status: ReferralStatus| {
        let (version, changed) = (version.clone(), p.on_changed.clone());
        Callback::from(move |_: MouseEvent| {
            let (id, version, changed) = (referral_id, version.clone(), changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if backend::call(&backend::UpdateReferral {
                    referral_id: id,
                    status,
                    outcome: None,
                })
                .await
                .is_ok()
                {
                    version.set(*version + 1);
                    changed.emit(());
                }
            });
        })
    };
    let (pr, fpr) = ((*problem).clone(), (*flag_problem).clone());
    html! {
        <section aria-labelledby="refs-title">
            <h2 id="refs-title">{ t.text("refs-title") }</h2>
            { loaded(&referrals, |list: &Vec<Referral>| { let repeats = backend::repeat_maracs(list); html! {
                <ul>
                    if list.is_empty() { <li>{ t.text("refs-none") }</li> }
                    { for list.iter().map(|r| html! {
                        <li key={r.id.to_string()}>
                            { t.rich("referral-line", &[("agency", t.term("agency", r.agency.as_str()).into()), ("status", t.term("referral_status", r.status.as_str()).into()),
                                ("date", form::uk_date(r.made_on).into())], &[("reason", &r.reason)]) }
                            if repeats.contains(&r.id) {
                                <strong class="repeat">{ " " }{ t.text("referral-repeat") }</strong>
                            }
                            if let Some(topic) = &r.consent_topic {
                                <span class="consent">{ " · " }{ t.rich("referral-consent", &[], &[("topic", topic)]) }</span>
                            }
                            if r.status == ReferralStatus::Made {
                                { " " }<button class="secondary" onclick={set_status(r.id, ReferralStatus::Accepted)}>{ t.term("referral_status", "accepted") }</button>
                                { " " }<button class="secondary" onclick={set_status(r.id, ReferralStatus::Declined)}>{ t.term("referral_status", "declined") }</button>
                            }
                            if let Some(o) = &r.outcome { <p class="outcome" id={format!("ref-outcome-{}", form::short(&r.id))}>{ t.rich("outcome-shown", &[], &[("outcome", o)]) }</p> }
                            if r.status != ReferralStatus::Closed {
                                <ReferralOutcome referral={r.clone()} on_changed={Callback::from({
                                    let (version, changed) = (version.clone(), p.on_changed.clone());
                                    move |_| { version.set(*version + 1); changed.emit(()); }
                                })} />
                            }
                        </li>
                    }) }
                </ul>
            }}) }
            <form onsubmit={add_referral} aria-labelledby="add-ref-title">
                <h3 id="add-ref-title">{ t.text("refs-make-title") }</h3>
                <ErrorSummary problem={pr.clone()} fields={vec!["agency", "reason", "consent_topic"]} />
                <Field name="agency" label={t.text("field-referral-to")} kind={p.ctx.choices("agency")} node={agency} problem={pr.clone()} />
                <Field name="reason" label={t.text("field-reason")} node={reason} problem={pr.clone()} required=true />
                if !p.agreed.is_empty() {
                    <Field name="consent_topic" label={t.text("field-referral-consent")} node={consent} problem={pr.clone()} written_options=true
                        kind={form::Kind::Select(std::iter::once((String::new(), t.text("consent-none-named")))
                            .chain(p.agreed.iter().map(|topic| (topic.clone(), topic.clone()))).collect())} />
                }
                <button type="submit">{ t.text("refs-make") }</button>
            </form>
            <h2 id="flags-title">{ t.text("flags-title") }</h2>
            { loaded(&flags, |list: &Vec<Flag>| html! {
                <ul aria-labelledby="flags-title">
                    if list.is_empty() { <li>{ t.text("flags-none") }</li> }
                    { for list.iter().map(|f| html! {
                        <li key={f.id.to_string()}>
                            { match &f.detail {
                                Some(d) => t.rich("flag-line-detail", &[("kind", t.term("flag_kind", f.kind.as_str()).into()), ("date", form::local_time(&f.raised_at).into())], &[("detail", d)]),
                                None => html! { { t.text_with("flag-line", &[("kind", t.term("flag_kind", f.kind.as_str()).into()), ("date", form::local_time(&f.raised_at).into())]) } },
                            } }
                            { match &f.resolved_at {
                                Some(at) => html! { <span class="done">{ " " }{ t.text_with("flag-resolved", &[("date", form::local_time(at).into())]) }</span> },
                                None => html! { <>{ " " }<button class="secondary" onclick={resolve(f.id)}>{ t.text("flag-resolve") }</button></> },
                            } }
                        </li>
                    }) }
                </ul>
            }) }
            <form onsubmit={raise} aria-label={t.text("form-raise-flag")}>
                <ErrorSummary problem={fpr.clone()} fields={vec!["kind", "detail"]} />
                <Field name="kind" label={t.text("field-flag")} kind={p.ctx.choices("flag_kind")} node={kind} problem={fpr.clone()} />
                <Field name="detail" label={t.text("field-detail")} node={detail} problem={fpr.clone()} />
                <button type="submit">{ t.text("flags-raise") }</button>
            </form>
        </section>
    }
}

// --- Attachments ------------------------------------------------------------------------------

#[function_component(Attachments)]
pub fn attachments(p: &PartProps) -> Html {
    let t = crate::l10n::use_texts();
    let version = use_state(|| 0u32);
    let list = use_loaded(p.case_id, *version, |id| async move {
        backend::call(&backend::GetAttachments { case_id: id }).await
    });
    let problem = use_state(|| None::<Problem>);
    let opened = use_state(|| None::<OpenedAttachment>);
    let file = use_node_ref();
    let add = {
        let (file, case_id) = (file.clone(), p.case_id);
        submitter(
            problem.clone(),
            version.clone(),
            p.on_changed.clone(),
            move || {
                let chosen = file
                    .cast::<web_sys::HtmlInputElement>()
                    .and_then(|i| i.files())
                    .and_then(|f| f.get(0));
                let case_id = case_id;
                async move {
                    let f = chosen.ok_or(Problem::at(
                        "attachment",
                        crate::l10n::current().text("att-choose-first"),
                    ))?;
                    let buffer = wasm_bindgen_futures::JsFuture::from(f.array_buffer())
                        .await
                        .map_err(|_| {
                            Problem::at("attachment", crate::l10n::current().text("att-unreadable"))
                        })?;
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    let media = if f.type_().is_empty() {
                        "application/octet-stream".to_owned()
                    } else {
                        f.type_()
                    };
                    let data = base64::engine::general_purpose::STANDARD.encode(&bytes);
                    backend::call(&backend::AddAttachment {
                        case_id,
                        file_name: f.name(),
                        media_type: media,
                        data_base64: data,
                    })
                    .await
                    .map(|_| ())
                }
            },
        )
    };
    let open = |id: Uuid| {
        let (opened, problem) = (opened.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let (id, opened, problem) = (id, opened.clone(), problem.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::OpenAttachment { attachment_id: id }).await {
                    Ok(a) => opened.set(Some(a)),
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let close = {
        let opened = opened.clone();
        Callback::from(move |_: MouseEvent| opened.set(None))
    };
    let pr = (*problem).clone();
    html! {
        <section aria-labelledby="att-title">
            <h2 id="att-title">{ t.text("att-title") }</h2>
            { loaded(&list, |list: &Vec<backend::Attachment>| html! {
                <ul>
                    if list.is_empty() { <li>{ t.text("att-none") }</li> }
                    { for list.iter().map(|a| html! {
                        <li key={a.id.to_string()}>
                            <button class="link" onclick={open(a.id)} translate="no">{ a.file_name.clone() }</button>
                            { " " }{ t.rich("att-line", &[("size", size(&t, a.size_bytes as u64).into()), ("date", form::local_time(&a.added_at).into())], &[("type", &a.media_type)]) }
                        </li>
                    }) }
                </ul>
            }) }
            if let Some(a) = &*opened {
                <figure class="viewer">
                    <figcaption translate="no">{ a.file_name.clone() }</figcaption>
                    { if a.media_type.starts_with("image/") {
                        html! { <img src={format!("data:{};base64,{}", a.media_type, a.data_base64)} alt={a.file_name.clone()} translate="no" /> }
                    } else if a.media_type.starts_with("text/") {
                        let text = base64::engine::general_purpose::STANDARD.decode(&a.data_base64).ok()
                            .map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
                        html! { <pre>{ text }</pre> }
                    } else {
                        html! { <p>{ t.rich("att-cannot-show", &[("size", size(&t, a.size_bytes).into())], &[("name", &a.file_name)]) }</p> }
                    } }
                    <button class="secondary" onclick={close}>{ t.text("close") }</button>
                </figure>
            }
            <form onsubmit={add} aria-label={t.text("form-add-attachment")}>
                <ErrorSummary problem={pr.clone()} fields={vec!["attachment"]} />
                <div class="field">
                    <label for="attachment">{ t.text("field-attachment") }</label>
                    <input id="attachment" type="file" ref={file}
                        aria-invalid={pr.as_ref().and_then(|x| t.about(x, "attachment")).map(|_| "true")}
                        aria-describedby={pr.as_ref().and_then(|x| t.about(x, "attachment")).map(|_| "attachment-error")} />
                    if let Some(e) = pr.as_ref().and_then(|x| t.about(x, "attachment")) {
                        <p class="error" id="attachment-error" role="alert">{ e }</p>
                    }
                </div>
                <button type="submit">{ t.text("att-add") }</button>
            </form>
        </section>
    }
}

fn size(t: &waymark_l10n::Texts, bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => t.text_with(
            "size-mib",
            &[(
                "size",
                format!("{:.1}", b as f64 / (1024.0 * 1024.0)).into(),
            )],
        ),
        b if b >= 1024 => t.text_with(
            "size-kib",
            &[("size", format!("{:.0}", b as f64 / 1024.0).into())],
        ),
        b => t.text_with("size-bytes", &[("size", b.into())]),
    }
}

#[derive(Properties, PartialEq)]
pub struct IncidentsProps {
    pub ctx: Ctx,
    pub case_id: Uuid,
    /// The case's incidents, the latest first (from the case view).
    pub incidents: Vec<Incident>,
    pub on_changed: Callback<()>,
}

/// Domestic-abuse incidents: recording one, and the MARAC referral a
/// police call-out meeting the escalation criterion prompts.
#[function_component(Incidents)]
pub fn incidents(p: &IncidentsProps) -> Html {
    let t = crate::l10n::use_texts();
    let problem = use_state(|| None::<Problem>);
    let version = use_state(|| 0u32);
    let (on, kind, police, injuries, children, detail) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let record = {
        let (on, kind, police, injuries, children, detail, case_id) = (
            on.clone(),
            kind.clone(),
            police.clone(),
            injuries.clone(),
            children.clone(),
            detail.clone(),
            p.case_id,
        );
        submitter(
            problem.clone(),
            version.clone(),
            p.on_changed.clone(),
            move || {
                let incident = (|| {
                    Ok::<_, Problem>(NewIncident {
                        case_id,
                        occurred_on: form::date("occurred_on", &form::value(&on))?.ok_or_else(
                            || {
                                Problem::at(
                                    "occurred_on",
                                    crate::l10n::current().text("incident-day-problem"),
                                )
                            },
                        )?,
                        kind: form::choice("kind", &form::value(&kind))?,
                        police_called: form::checked(&police),
                        injuries: form::checked(&injuries),
                        children_present: form::checked(&children),
                        detail: form::opt(form::value(&detail)),
                    })
                })();
                async move {
                    backend::call(&RecordIncident {
                        incident: incident?,
                    })
                    .await
                    .map(|_| ())
                }
            },
        )
    };
    let pr = (*problem).clone();
    html! {
        <section aria-labelledby="incidents-title">
            <h2 id="incidents-title">{ t.text("incidents-title") }</h2>
            if p.incidents.is_empty() {
                <p>{ t.text("incidents-none") }</p>
            }
            <ul class="incidents">
                { for p.incidents.iter().map(|i| {
                    let facts: Vec<String> = [(i.police_called, t.text("incident-police")), (i.injuries, t.text("incident-injuries")), (i.children_present, t.text("incident-children"))]
                        .into_iter().filter_map(|(yes, words)| yes.then_some(words)).collect();
                    html! {
                        <li key={i.id.to_string()} class="incident">
                            <p><strong>{ format!("{} — {}", form::uk_date(i.occurred_on), t.term("incident_kind", i.kind.as_str())) }</strong>
                                { facts.iter().map(|f| format!(" · {f}")).collect::<String>() }
                                if let Some(d) = &i.detail { { " · " }<span translate="no">{ d.clone() }</span> }</p>
                            if let Some(e) = &i.escalation {
                                <PromptBox of={PromptOf::Incident { id: i.id }} prompt={e.prompt.clone()}
                                    said={crate::agenda::escalation_words(&t, e.police_call_outs, &e.criterion)}
                                    decided={e.decision.clone()} on_changed={p.on_changed.clone()} />
                            }
                        </li>
                    }
                }) }
            </ul>
            <form onsubmit={record} aria-label={t.text("form-record-incident")}>
                <ErrorSummary problem={pr.clone()} fields={vec!["occurred_on", "kind", "detail"]} />
                <Field name="occurred_on" label={t.text("field-occurred-on")} kind={Kind::Date} node={on} problem={pr.clone()} required=true />
                <Field name="kind" label={t.text("field-what-happened")} kind={p.ctx.choices("incident_kind")} node={kind} problem={pr.clone()} />
                <div class="checks">
                    <label><input id="police_called" type="checkbox" ref={police} />{ " " }{ t.text("check-police") }</label>
                    <label><input id="injuries" type="checkbox" ref={injuries} />{ " " }{ t.text("check-injuries") }</label>
                    <label><input id="children_present" type="checkbox" ref={children} />{ " " }{ t.text("check-children") }</label>
                </div>
                <Field name="detail" label={t.text("field-detail-short")} node={detail} problem={pr.clone()} />
                <button type="submit" id="record-incident">{ t.text("incident-record") }</button>
            </form>
        </section>
    }
}

// --- Who holds the case ---------------------------------------------------------------

/// What was just done to a case's access, said above it.
#[derive(Clone, Copy, PartialEq)]
enum AccessDone {
    Allocated,
    Shared,
    Unshared,
    Reassigned,
}

/// What the access section asks of the server, and whose name it reads.
#[derive(Clone)]
enum AccessAct {
    Share(NodeRef),
    Unshare(String),
    Reassign(NodeRef),
}

/// Who holds the case, from the server: its keyworker, team and the
/// colleagues it is shared with. The keyworker, a supervisor of the team or
/// an admin shares it or stops; a supervisor or an admin gives it to
/// another keyworker (the server decides who may: its refusal shows here).
#[function_component(Access)]
pub fn access(p: &PartProps) -> Html {
    let t = crate::l10n::use_texts();
    let version = use_state(|| 0u32);
    let data = use_loaded(p.case_id, *version, |case_id| async move {
        backend::call(&GetCaseAccess { case_id }).await
    });
    let (share_problem, move_problem) =
        (use_state(|| None::<Problem>), use_state(|| None::<Problem>));
    // What the last act did (its message id) and to whom.
    let done = use_state(|| None::<(AccessDone, String)>);
    let (colleague, new_keyworker) = (use_node_ref(), use_node_ref());
    let act = |what: AccessAct, problem: UseStateHandle<Option<Problem>>| {
        let (version, done, changed, case_id) = (
            version.clone(),
            done.clone(),
            p.on_changed.clone(),
            p.case_id,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let user = match &what {
                AccessAct::Share(n) | AccessAct::Reassign(n) => form::value(n).trim().to_owned(),
                AccessAct::Unshare(u) => u.clone(),
            };
            let share = match &what {
                AccessAct::Share(_) => Some(true),
                AccessAct::Unshare(_) => Some(false),
                AccessAct::Reassign(_) => None,
            };
            let (version, done, changed, problem) = (
                version.clone(),
                done.clone(),
                changed.clone(),
                problem.clone(),
            );
            let form_el = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok());
            wasm_bindgen_futures::spawn_local(async move {
                let answer = match share {
                    Some(share) => {
                        backend::call(&ShareCase {
                            case_id,
                            user: user.clone(),
                            share,
                        })
                        .await
                    }
                    None => {
                        backend::call(&ReassignCase {
                            case_id,
                            user: user.clone(),
                        })
                        .await
                    }
                };
                match answer {
                    Ok(access) => {
                        problem.set(None);
                        let said = match share {
                            Some(true) if access.volunteers.contains(&user) => {
                                AccessDone::Allocated
                            }
                            Some(true) => AccessDone::Shared,
                            Some(false) => AccessDone::Unshared,
                            None => AccessDone::Reassigned,
                        };
                        done.set(Some((said, user)));
                        if let Some(f) = form_el {
                            f.reset();
                        }
                        version.set(*version + 1);
                        changed.emit(());
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let share = act(AccessAct::Share(colleague.clone()), share_problem.clone());
    let reassign = act(
        AccessAct::Reassign(new_keyworker.clone()),
        move_problem.clone(),
    );
    let unshare = |user: String| act(AccessAct::Unshare(user), share_problem.clone());
    let oversees = matches!(p.ctx.role, Some(Role::Supervisor | Role::Admin));
    let (sp, mp) = ((*share_problem).clone(), (*move_problem).clone());
    html! {
        <section aria-labelledby="access-title">
            <h2 id="access-title">{ t.text("access-title") }</h2>
            if let Some((said, user)) = &*done { <p role="status" id="access-done">{ match said {
                AccessDone::Allocated => t.rich("access-allocated", &[], &[("user", user)]),
                AccessDone::Shared => t.rich("access-shared", &[], &[("user", user)]),
                AccessDone::Unshared => t.rich("access-unshared", &[], &[("user", user)]),
                AccessDone::Reassigned => t.rich("access-reassigned", &[], &[("user", user)]),
            } }</p> }
            { loaded(&data, |a: &CaseAccess| html! {
                <dl class="access" id="case-access">
                    <dt>{ t.text("access-keyworker") }</dt><dd id="access-keyworker" translate="no">{ a.keyworker.clone().unwrap_or_else(|| "–".into()) }</dd>
                    <dt>{ t.text("access-team") }</dt><dd translate="no">{ a.team.clone().unwrap_or_else(|| "–".into()) }</dd>
                    <dt>{ t.text("access-shared-with") }</dt>
                    <dd>
                        if a.shared_with.is_empty() { { t.text("access-no-one") } }
                        <ul class="shared-with">
                            { for a.shared_with.iter().map(|u| html! {
                                <li key={u.clone()}>
                                    <form onsubmit={unshare(u.clone())} class="inline" aria-labelledby={format!("unshare-{u}")}>
                                        <span translate="no">{ u.clone() }</span>
                                        if a.volunteers.contains(u) { { " " }{ t.text("access-volunteer-note") } }
                                        { " " }
                                        <button type="submit" class="secondary" id={format!("unshare-{u}")}>{ t.rich("access-stop-sharing", &[], &[("user", u)]) }</button>
                                    </form>
                                </li>
                            }) }
                        </ul>
                    </dd>
                </dl>
            }) }
            <form onsubmit={share} aria-label={t.text("form-share")}>
                <ErrorSummary problem={sp.clone()} fields={vec!["user"]} />
                <Field name="user" label={t.text("field-share-with")} node={colleague} problem={sp.clone()}
                    hint={t.text("field-share-with.hint")} />
                <button type="submit" id="share-case">{ t.text("access-share") }</button>
            </form>
            if oversees {
                <form onsubmit={reassign} aria-label={t.text("form-reassign")}>
                    <ErrorSummary problem={mp.clone()} fields={vec!["new_keyworker"]} aliases={vec![("user", "new_keyworker")]} />
                    <Field name="new_keyworker" label={t.text("field-new-keyworker")} node={new_keyworker}
                        problem={mp.clone()} also={vec!["user"]}
                        hint={t.text("field-new-keyworker.hint")} />
                    <button type="submit" id="reassign-case">{ t.text("access-reassign") }</button>
                </form>
            }
        </section>
    }
}

// --- Safety plan and MARAC ------------------------------------------------------------

#[derive(Properties, PartialEq)]
pub struct SafetyProps {
    pub ctx: Ctx,
    pub case_id: Uuid,
    pub plan: Option<SafetyPlan>,
    pub meetings: Vec<MaracMeeting>,
    pub actions: Vec<MaracAction>,
    pub on_changed: Callback<()>,
}

/// The case's safety plan (each part, and when to review it) and the MARAC
/// meetings that heard it, with the actions they agreed and their outcome.
#[function_component(SafetyAndMarac)]
pub fn safety_and_marac(p: &SafetyProps) -> Html {
    let t = crate::l10n::use_texts();
    let (plan_problem, meeting_problem, action_problem) = (
        use_state(|| None::<Problem>),
        use_state(|| None::<Problem>),
        use_state(|| None::<Problem>),
    );
    let version = use_state(|| 0u32);
    let parts: [(&str, String, NodeRef); 6] = [
        ("safe_places", t.text("safety-safe-places"), use_node_ref()),
        (
            "trusted_people",
            t.text("safety-trusted-people"),
            use_node_ref(),
        ),
        ("code_words", t.text("safety-code-words"), use_node_ref()),
        ("escape_bag", t.text("safety-escape-bag"), use_node_ref()),
        ("tech_safety", t.text("safety-tech"), use_node_ref()),
        (
            "child_arrangements",
            t.text("safety-children"),
            use_node_ref(),
        ),
    ];
    let review = use_node_ref();
    let (meeting_on, outcome) = (use_node_ref(), use_node_ref());
    let (agency, owner, what, due) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let case_id = p.case_id;
    let save_plan = {
        let nodes: Vec<NodeRef> = parts.iter().map(|(_, _, n)| n.clone()).collect();
        let review = review.clone();
        submitter(
            plan_problem.clone(),
            version.clone(),
            p.on_changed.clone(),
            move || {
                let v = |i: usize| form::opt(form::value(&nodes[i]));
                let input = (|| {
                    Ok::<_, Problem>(SafetyPlanInput {
                        case_id,
                        safe_places: v(0),
                        trusted_people: v(1),
                        code_words: v(2),
                        escape_bag: v(3),
                        tech_safety: v(4),
                        child_arrangements: v(5),
                        review_on: form::date("review_on", &form::value(&review))?,
                    })
                })();
                async move {
                    backend::call(&SaveSafetyPlan { plan: input? })
                        .await
                        .map(|_| ())
                }
            },
        )
    };
    let latest = p.meetings.first().map(|m| m.id);
    let add_meeting = {
        let (meeting_on, outcome) = (meeting_on.clone(), outcome.clone());
        submitter(
            meeting_problem.clone(),
            version.clone(),
            p.on_changed.clone(),
            move || {
                let input = (|| {
                    Ok::<_, Problem>(NewMaracMeeting {
                        case_id,
                        meeting_on: form::date("meeting_on", &form::value(&meeting_on))?
                            .ok_or_else(|| {
                                Problem::at(
                                    "meeting_on",
                                    crate::l10n::current().text("marac-day-problem"),
                                )
                            })?,
                        referral_id: None,
                        outcome: form::opt(form::value(&outcome)),
                    })
                })();
                async move {
                    backend::call(&AddMaracMeeting { meeting: input? })
                        .await
                        .map(|_| ())
                }
            },
        )
    };
    let add_action = {
        let (agency, owner, what, due) = (agency.clone(), owner.clone(), what.clone(), due.clone());
        submitter(
            action_problem.clone(),
            version.clone(),
            p.on_changed.clone(),
            move || {
                let input = (|| {
                    Ok::<_, Problem>(NewMaracAction {
                        meeting_id: latest.ok_or_else(|| {
                            Problem::at(
                                "action",
                                crate::l10n::current().text("marac-meeting-first"),
                            )
                        })?,
                        agency: form::choice("agency", &form::value(&agency))?,
                        owner: form::value(&owner),
                        action: form::value(&what),
                        due_on: form::date("due_on", &form::value(&due))?.ok_or_else(|| {
                            Problem::at("due_on", crate::l10n::current().text("marac-due-problem"))
                        })?,
                    })
                })();
                async move {
                    backend::call(&AddMaracAction { action: input? })
                        .await
                        .map(|_| ())
                }
            },
        )
    };
    let done = |action_id: Uuid| {
        let (changed, problem) = (p.on_changed.clone(), action_problem.clone());
        Callback::from(move |_: MouseEvent| {
            let (changed, problem) = (changed.clone(), problem.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&CompleteMaracAction {
                    action_id,
                    on: None,
                })
                .await
                {
                    Ok(()) => changed.emit(()),
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let (pp, mp, ap) = (
        (*plan_problem).clone(),
        (*meeting_problem).clone(),
        (*action_problem).clone(),
    );
    let plan = p.plan.clone();
    html! {
        <section aria-labelledby="safety-title">
            <h2 id="safety-title">{ t.text("safety-title") }</h2>
            { match &plan {
                None => html! { <p>{ t.text("safety-none") }</p> },
                Some(plan) => html! {
                    <dl class="safety-plan" id="safety-plan">
                        { for parts.iter().zip([&plan.safe_places, &plan.trusted_people, &plan.code_words,
                            &plan.escape_bag, &plan.tech_safety, &plan.child_arrangements]).map(|((_, label, _), v)| html! {
                            <><dt>{ label.clone() }</dt><dd translate="no">{ v.clone().unwrap_or_else(|| "–".into()) }</dd></>
                        }) }
                        <dt>{ t.text("field-review-by") }</dt><dd id="safety-review">{ form::uk_date(plan.review_on) }</dd>
                    </dl>
                },
            } }
            <form onsubmit={save_plan} aria-label={t.text("safety-title")}>
                <ErrorSummary problem={pp.clone()} fields={vec!["safe_places", "trusted_people", "code_words", "escape_bag", "tech_safety", "child_arrangements", "review_on"]} />
                { for parts.iter().enumerate().map(|(i, (name, label, node))| {
                    let current = plan.as_ref().and_then(|pl| [&pl.safe_places, &pl.trusted_people, &pl.code_words,
                        &pl.escape_bag, &pl.tech_safety, &pl.child_arrangements][i].clone());
                    html! { <Field name={*name} label={label.clone()} kind={Kind::TextArea} node={node.clone()}
                        problem={pp.clone()} value={current.map(AttrValue::from)} /> }
                }) }
                <Field name="review_on" label={t.text("field-review-by")} kind={Kind::Date} node={review} problem={pp.clone()} required=true
                    value={plan.as_ref().map(|pl| AttrValue::from(pl.review_on.to_string()))} />
                <button type="submit" id="save-safety-plan">{ t.text("safety-save") }</button>
            </form>

            <h2 id="marac-title">{ t.text("marac-title") }</h2>
            if p.meetings.is_empty() { <p>{ t.text("marac-none") }</p> }
            <ul class="marac" aria-labelledby="marac-title">
                { for p.meetings.iter().map(|m| html! {
                    <li key={m.id.to_string()} class="marac-meeting">
                        <p><strong>{ t.text_with("marac-meeting", &[("date", form::uk_date(m.meeting_on).into())]) }</strong>
                            { " · " }{ match &m.outcome {
                                Some(o) => html! { <span translate="no">{ o.clone() }</span> },
                                None => html! { { t.text("marac-no-outcome") } },
                            } }</p>
                        <ul class="marac-actions">
                            { for p.actions.iter().filter(|a| a.meeting_id == m.id).map(|a| html! {
                                <li key={a.id.to_string()}>
                                    { t.rich("marac-action-line", &[("agency", t.term("agency", a.agency.as_str()).into()), ("date", form::uk_date(a.due_on).into())],
                                        &[("action", &a.action), ("owner", &a.owner)]) }
                                    { match a.done_on {
                                        Some(d) => html! { <>{ " · " }{ t.text_with("goal-action-done", &[("date", form::uk_date(d).into())]) }</> },
                                        None => html! { <>{ " " }<button class="secondary" onclick={done(a.id)}>{ t.rich("marac-done-button", &[], &[("action", &a.action)]) }</button></> },
                                    } }
                                </li>
                            }) }
                        </ul>
                    </li>
                }) }
            </ul>
            <form onsubmit={add_meeting} aria-label={t.text("form-marac-meeting")}>
                <ErrorSummary problem={mp.clone()} fields={vec!["meeting_on", "outcome"]} />
                <Field name="meeting_on" label={t.text("field-meeting-on")} kind={Kind::Date} node={meeting_on} problem={mp.clone()} required=true />
                <Field name="outcome" label={t.text("field-decided")} node={outcome} problem={mp.clone()} />
                <button type="submit" id="add-marac-meeting">{ t.text("marac-record-meeting") }</button>
            </form>
            if latest.is_some() {
                <form onsubmit={add_action} aria-label={t.text("form-marac-action")}>
                    <ErrorSummary problem={ap.clone()} fields={vec!["agency", "owner", "action", "due_on"]} />
                    <Field name="agency" label={t.text("field-agency")} kind={p.ctx.choices("agency")} node={agency} problem={ap.clone()} />
                    <Field name="owner" label={t.text("field-owner")} node={owner} problem={ap.clone()} required=true />
                    <Field name="action" label={t.text("field-what-to-do")} node={what} problem={ap.clone()} required=true />
                    <Field name="due_on" label={t.text("field-by-when")} kind={Kind::Date} node={due} problem={ap.clone()} required=true />
                    <button type="submit" id="add-marac-action">{ t.text("marac-add-action") }</button>
                </form>
            }
        </section>
    }
}
