//! Labelled fields with their error beside them, and small formatting
//! helpers shared by the screens.

use crate::backend::Problem;
use chrono::{DateTime, NaiveDate, Utc};
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

/// A UTC time as the person's local date and time.
pub fn local_time(at: &DateTime<Utc>) -> String {
    local_time_ms(at.timestamp_millis())
}

pub fn local_time_ms(ms: i64) -> String {
    let d = js_sys::Date::new(&(ms as f64).into());
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
    };
    set("dateStyle", "medium");
    set("timeStyle", "short");
    d.to_locale_string("en-GB", &options).into()
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
            .map_err(|_| Problem::at(field, "is not a date")),
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

/// Choices from snake_case values, labelled in words.
pub fn choices(values: &[&str]) -> Kind {
    Kind::Select(values.iter().map(|v| (v.to_string(), words(v))).collect())
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
    #[prop_or_default]
    pub value: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub oninput: Option<Callback<InputEvent>>,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
}

/// A label, its control, an optional hint and the error about it (linked
/// with aria-describedby, so a screen reader reads it with the field).
#[function_component(Field)]
pub fn field(p: &FieldProps) -> Html {
    let error = p.problem.as_ref().and_then(|pr| {
        pr.about(&p.name)
            .or_else(|| p.also.iter().find_map(|a| pr.about(a)))
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
    let control = match &p.kind {
        Kind::TextArea => html! {
            <textarea id={id} ref={p.node.clone()} required={p.required} rows="6"
                aria-invalid={invalid} aria-describedby={described} value={value}
                oninput={p.oninput.clone()} />
        },
        Kind::Select(options) => html! {
            <select id={id} ref={p.node.clone()} required={p.required}
                aria-invalid={invalid} aria-describedby={described}>
                { for options.iter().enumerate().map(|(i, (v, l))| html! {
                    <option value={v.clone()} selected={value.as_deref().map_or(i == 0, |x| x == v.as_str())}>{ l }</option>
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
                    aria-invalid={invalid} aria-describedby={described} value={value}
                    autocomplete={p.autocomplete.clone()} oninput={p.oninput.clone()} />
            }
        }
    };
    html! {
        <div class="field">
            <label for={p.name.clone()}>{ p.label.clone() }{ if p.required { " (required)" } else { "" } }</label>
            if let Some(h) = &p.hint { <p class="hint" id={hint_id}>{ h.clone() }</p> }
            { control }
            if let Some(e) = error { <p class="error" id={error_id} role="alert">{ e }</p> }
        </div>
    }
}

/// A form's error that is about none of its fields.
#[derive(Properties, PartialEq)]
pub struct FormErrorProps {
    pub problem: Option<Problem>,
    pub fields: Vec<&'static str>,
}

#[function_component(FormError)]
pub fn form_error(p: &FormErrorProps) -> Html {
    match &p.problem {
        Some(pr) if pr.field.as_deref().is_none_or(|f| !p.fields.contains(&f)) => {
            html! { <p class="error" role="alert">{ pr.to_string() }</p> }
        }
        _ => html! {},
    }
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
