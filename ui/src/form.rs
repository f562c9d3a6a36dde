//! Labelled fields with their error beside them, and small formatting
//! helpers shared by the screens.

use crate::backend::Problem;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The current value of an input, textarea or select.
pub fn value(node: &NodeRef) -> String {
    if let Some(i) = node.cast::<HtmlInputElement>() {
        i.value()
    } else if let Some(t) = node.cast::<HtmlTextAreaElement>() {
        t.value()
    } else if let Some(s) = node.cast::<HtmlSelectElement>() {
        s.value()
    } else {
        String::new()
    }
}

pub fn checked(node: &NodeRef) -> bool {
    node.cast::<HtmlInputElement>().is_some_and(|i| i.checked())
}

pub fn set_value(node: &NodeRef, text: &str) {
    if let Some(i) = node.cast::<HtmlInputElement>() {
        i.set_value(text);
    } else if let Some(t) = node.cast::<HtmlTextAreaElement>() {
        t.set_value(text);
    } else if let Some(s) = node.cast::<HtmlSelectElement>() {
        s.set_value(text);
    }
}

/// Puts `first` in an input or textarea as its default value: shown until
/// the person changes it, shown again when its form is reset, and never
/// written over what they typed. Yew writes a `value` given in `html!` over
/// the box's on every draw, so a refusal's redraw would put back what the
/// person had changed (a consent's date, a whole edit of their details).
pub fn set_default(node: &NodeRef, first: &str) {
    if let Some(i) = node.cast::<HtmlInputElement>() {
        i.set_default_value(first);
    } else if let Some(t) = node.cast::<HtmlTextAreaElement>() {
        // Fails only when the document is gone.
        let _ = t.set_default_value(first);
    }
}

/// As `set_default`, for a tick box: Yew sets `checked` on every draw.
pub fn set_default_checked(node: &NodeRef, first: bool) {
    if let Some(i) = node.cast::<HtmlInputElement>() {
        i.set_default_checked(first);
    }
}

/// Empty text is "not given".
pub fn opt(text: String) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Words for a snake_case vocabulary value: "face_to_face" → "Face to face".
pub fn words(value: impl std::fmt::Display) -> String {
    sentence(&value.to_string().replace('_', " "))
}

/// A message as a sentence: the core's messages start in lower case.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// A date as people in the UK write it ("3 Feb 2026"), whatever the
/// webview's locale.
pub fn uk_date(day: NaiveDate) -> String {
    crate::l10n::current().date(day.year(), day.month(), day.day())
}

/// A UTC time as the person's local date and time ("3 Feb 2026, 14:05").
pub fn local_time(at: &DateTime<Utc>) -> String {
    local_time_ms(at.timestamp_millis())
}

pub fn local_time_ms(ms: i64) -> String {
    // The local calendar fields from the webview, the words from us: Intl's
    // "en-GB" differs between engines (Sep or Sept).
    let d = js_sys::Date::new(&(ms as f64).into());
    NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
        .and_then(|day| day.and_hms_opt(d.get_hours(), d.get_minutes(), 0))
        .map(uk_date_time)
        .unwrap_or_default()
}

/// A local date and time as people in the UK write it: "3 Feb 2026, 14:05".
pub fn uk_date_time(at: NaiveDateTime) -> String {
    crate::l10n::current().date_time(at.year(), at.month(), at.day(), at.hour(), at.minute())
}

/// A `datetime-local` value (the person's time) as a UTC time.
pub fn from_local_input(text: &str) -> Option<DateTime<Utc>> {
    if text.trim().is_empty() {
        return None;
    }
    let d = js_sys::Date::new(&text.into());
    let ms = d.get_time();
    if ms.is_nan() {
        return None;
    }
    DateTime::from_timestamp_millis(ms as i64)
}

/// A closed-vocabulary value from a form's text, or the problem beside
/// `field` (the same words the core would use).
pub fn choice<T: std::str::FromStr<Err = String>>(field: &str, text: &str) -> Result<T, Problem> {
    text.parse()
        .map_err(|message: String| Problem::at(field, message))
}

/// An optional date from a date input; the problem beside `field` if it is
/// not one.
pub fn date(field: &str, text: &str) -> Result<Option<NaiveDate>, Problem> {
    match opt(text.to_owned()) {
        None => Ok(None),
        Some(t) => NaiveDate::parse_from_str(&t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| Problem::at(field, crate::l10n::current().text("not-a-date"))),
    }
}

/// `datetime-local` text for now plus `minutes`, in the person's time.
pub fn local_input_in(minutes: f64) -> String {
    let d = js_sys::Date::new(&(js_sys::Date::now() + minutes * 60_000.0).into());
    let offset = d.get_timezone_offset() * 60_000.0;
    let local = js_sys::Date::new(&(d.get_time() - offset).into());
    let iso: String = local.to_iso_string().into();
    iso[..16].to_owned()
}

/// A date or time box's first value (`local_input_in`, now plus `minutes`),
/// fixed when the form first draws. Worked out on every draw it would move
/// with the clock, and Yew would write the new value over what the person
/// typed (an appointment's start, a minute later, became tomorrow's).
#[hook]
pub fn use_first_value(minutes: f64) -> String {
    (*use_state(|| local_input_in(minutes))).clone()
}

/// The first value of a date box: today, fixed when the form first draws.
#[hook]
pub fn use_first_day() -> String {
    use_first_value(0.0)[..10].to_owned()
}

/// Today, in the person's time.
pub fn today() -> NaiveDate {
    NaiveDate::parse_from_str(&local_input_in(0.0)[..10], "%Y-%m-%d").expect("an ISO date")
}

#[derive(Clone, PartialEq)]
pub enum Kind {
    Text,
    Password,
    Number,
    Date,
    DateTime,
    TextArea,
    Select(Vec<(String, String)>),
}

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    /// The element id, and the field name the backend's errors use.
    pub name: AttrValue,
    pub label: AttrValue,
    #[prop_or(Kind::Text)]
    pub kind: Kind,
    pub node: NodeRef,
    #[prop_or_default]
    pub problem: Option<Problem>,
    /// Other names the backend may use for this field.
    #[prop_or_default]
    pub also: Vec<&'static str>,
    #[prop_or_default]
    pub required: bool,
    /// What the box shows first, and again when its form is reset (a select:
    /// the option chosen first). What the person types is never written over.
    #[prop_or_default]
    pub value: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub oninput: Option<Callback<InputEvent>>,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    /// A select's options (other than an empty first) are what people
    /// wrote: marked `translate="no"`.
    #[prop_or_default]
    pub written_options: bool,
}

/// A label, its control, an optional hint and the error about it (linked
/// with aria-describedby, so a screen reader reads it with the field).
#[function_component(Field)]
pub fn field(p: &FieldProps) -> Html {
    let t = crate::l10n::use_texts();
    let error = p.problem.as_ref().and_then(|pr| {
        t.about(pr, &p.name)
            .or_else(|| p.also.iter().find_map(|a| t.about(pr, a)))
    });
    let error_id = format!("{}-error", p.name);
    let hint_id = format!("{}-hint", p.name);
    let described = match (&error, &p.hint) {
        (Some(_), Some(_)) => Some(format!("{error_id} {hint_id}")),
        (Some(_), None) => Some(error_id.clone()),
        (None, Some(_)) => Some(hint_id.clone()),
        (None, None) => None,
    };
    let invalid = error.as_ref().map(|_| "true");
    let id = p.name.clone();
    let value = p.value.clone();
    {
        let node = p.node.clone();
        use_effect_with((value.clone(), p.kind.clone()), move |(first, _)| {
            set_default(&node, first.as_deref().unwrap_or(""))
        });
    }
    let control = match &p.kind {
        Kind::TextArea => html! {
            // What people write is theirs: never translated (its first
            // text is the box's content, `set_default`).
            <textarea id={id} ref={p.node.clone()} required={p.required} rows="6" translate="no"
                aria-invalid={invalid} aria-describedby={described}
                oninput={p.oninput.clone()} />
        },
        Kind::Select(options) => html! {
            <select id={id} ref={p.node.clone()} required={p.required}
                aria-invalid={invalid} aria-describedby={described}>
                { for options.iter().enumerate().map(|(i, (v, l))| html! {
                    <option value={v.clone()} selected={value.as_deref().map_or(i == 0, |x| x == v.as_str())}
                        translate={(p.written_options && !v.is_empty()).then_some("no")}>{ l }</option>
                }) }
            </select>
        },
        kind => {
            let t = match kind {
                Kind::Password => "password",
                Kind::Number => "number",
                Kind::Date => "date",
                Kind::DateTime => "datetime-local",
                _ => "text",
            };
            html! {
                <input id={id} type={t} ref={p.node.clone()} required={p.required}
                    aria-invalid={invalid} aria-describedby={described}
                    autocomplete={p.autocomplete.clone()} oninput={p.oninput.clone()} />
            }
        }
    };
    html! {
        <div class="field">
            <label for={p.name.clone()}>{ p.label.clone() }{ if p.required { format!(" {}", t.text("field-required")) } else { String::new() } }</label>
            if let Some(h) = &p.hint { <p class="hint" id={hint_id}>{ h.clone() }</p> }
            { control }
            if let Some(e) = error { <p class="error" id={error_id} role="alert">{ e }</p> }
        </div>
    }
}

/// The GOV.UK error summary, at the top of a form: "There is a problem",
/// then the problem, linked to its field when it is about one of `fields`
/// (the message is beside the field too). It takes focus when it appears,
/// so a keyboard or screen reader user lands on it after a failed submit.
#[derive(Properties, PartialEq)]
pub struct ErrorSummaryProps {
    pub problem: Option<Problem>,
    pub fields: Vec<&'static str>,
    /// The core's names for fields whose elements have other ids: (its
    /// name, the element's id), as a `Field`'s `also`.
    #[prop_or_default]
    pub aliases: Vec<(&'static str, &'static str)>,
    /// For a form repeated on a screen: its field ids end in `-{scope}`
    /// (see `Problem::scoped`).
    #[prop_or_default]
    pub scope: Option<AttrValue>,
}

#[function_component(ErrorSummary)]
pub fn error_summary(p: &ErrorSummaryProps) -> Html {
    let t = crate::l10n::use_texts();
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(p.problem.clone(), move |problem| {
            if problem.is_some() {
                if let Some(summary) = node.cast::<web_sys::HtmlElement>() {
                    let _ = summary.focus();
                }
            }
        });
    }
    let target = p
        .problem
        .as_ref()
        .and_then(|problem| problem.field.as_deref())
        .and_then(|field| {
            p.aliases
                .iter()
                .find(|(name, _)| *name == field)
                .map(|(_, id)| *id)
                .or_else(|| p.fields.contains(&field).then_some(field))
        });
    let target = target.map(|field| match &p.scope {
        Some(scope) => format!("{field}-{scope}"),
        None => field.to_owned(),
    });
    // The field's label as the page shows it, read after each render: a
    // language switch re-renders the label and this summary in one pass, so
    // read during the render it would still be in the old language.
    let label = use_state(|| None::<(String, String)>);
    {
        let (label, target, required) = (label.clone(), target.clone(), t.text("field-required"));
        use_effect(move || {
            let now = target.map(|field| {
                let read = label_of(&field, &required);
                (field, read)
            });
            if *label != now {
                label.set(now);
            }
        });
    }
    let Some(problem) = &p.problem else {
        return html! {};
    };
    let item = match target {
        Some(field) => {
            let shown = match &*label {
                Some((read_for, read)) if *read_for == field => read.clone(),
                _ => label_of(&field, &t.text("field-required")),
            };
            let target = field.clone();
            let onclick = Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                focus(&target);
            });
            html! {
                <a href={format!("#{field}")} {onclick}>
                    { format!("{shown}: {}", t.problem(problem)) }
                </a>
            }
        }
        _ => html! { { sentence(&t.problem_line(problem)) } },
    };
    html! {
        <div class="error-summary" tabindex="-1" ref={node}>
            <div role="alert">
                <h2 class="error-summary-title">{ t.text("error-summary-title") }</h2>
                <ul><li>{ item }</li></ul>
            </div>
        </div>
    }
}

/// A field's label as the screen shows it, for the error summary; its name
/// in words if it has none.
fn label_of(field: &str, required: &str) -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            // A field's label, or a group's legend (a fieldset of boxes).
            d.query_selector(&format!(
                "label[for=\"{field}\"], fieldset[id=\"{field}\"] > legend"
            ))
            .ok()
            .flatten()
        })
        .and_then(|l| l.text_content())
        .map(|t| t.trim().trim_end_matches(required).trim().to_owned())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| words(field.split(['-', '.']).next().unwrap_or(field)))
}

/// Focus an element by id (after a screen change, for keyboard users).
pub fn focus(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The first eight hex digits of an id: enough to keep a repeated form's
/// field ids unique on one screen.
pub fn short(id: &uuid::Uuid) -> String {
    id.simple().to_string()[..8].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_show_as_people_in_the_uk_write_them() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(uk_date(day(2026, 2, 3)), "3 Feb 2026");
        assert_eq!(uk_date(day(2026, 12, 25)), "25 Dec 2026");
        assert_eq!(uk_date(day(1999, 9, 9)), "9 Sep 1999");
        let at = day(2026, 2, 3).and_hms_opt(14, 5, 0).unwrap();
        assert_eq!(uk_date_time(at), "3 Feb 2026, 14:05");
        let at = day(2026, 9, 30).and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(uk_date_time(at), "30 Sep 2026, 00:00");
    }
}
