//! The language the app speaks: `waymark_l10n::Texts` in a context that
//! every screen reads (`use_texts`), switched at once from the language
//! button (no restart; every screen that reads it renders again) and
//! remembered in this webview's local storage: a language code, nothing
//! about anyone. `<html lang>` follows, so a screen reader speaks Welsh as
//! Welsh.

use std::cell::RefCell;
use std::rc::Rc;
use waymark_l10n::{FluentValue, Language, Piece, Texts};
use yew::prelude::*;

thread_local! {
    /// The language in force, for helpers called while rendering that hold
    /// no context (`form::uk_date`); the root sets it before its children
    /// render. Components read `use_texts`, which re-renders them on a switch.
    static CURRENT: RefCell<Rc<Texts>> = RefCell::new(Rc::new(Texts::new(Language::English)));
}

pub fn set_current(texts: Rc<Texts>) {
    CURRENT.with(|c| *c.borrow_mut() = texts);
}

pub fn current() -> Rc<Texts> {
    CURRENT.with(|c| c.borrow().clone())
}

const STORAGE_KEY: &str = "waymark-language";
/// Stored instead of a language code by the end-to-end test: English with
/// every looked-up letter accented, so untranslated text stands out.
pub const PSEUDO: &str = "x-pseudo";

/// The language in force and the way to change it.
#[derive(Clone, PartialEq)]
pub struct Lang {
    pub texts: Rc<Texts>,
    pub set: Callback<Language>,
}

/// The words of the language in force.
#[hook]
pub fn use_texts() -> Rc<Texts> {
    use_context::<Lang>()
        .map(|l| l.texts)
        .unwrap_or_else(|| Rc::new(Texts::new(Language::English)))
}

/// The language in force and its setter (for the language button).
#[hook]
pub fn use_lang() -> Option<Lang> {
    use_context::<Lang>()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// What this webview last chose; English the first time.
pub fn saved_texts() -> Texts {
    match storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .as_deref()
    {
        Some(PSEUDO) => Texts::pseudo(Language::English),
        Some(code) => Texts::new(Language::from_code(code).unwrap_or(Language::English)),
        None => Texts::new(Language::English),
    }
}

/// Remembers the choice and marks the page's language.
pub fn remember(language: Language) {
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, language.code());
    }
    mark_page(language);
}

pub fn mark_page(language: Language) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", language.code());
    }
}

/// The person's saved language (their store's settings), once unlocked.
pub async fn person_language() -> Option<Language> {
    let settings = crate::backend::call(&crate::backend::GetSettings {})
        .await
        .ok()?;
    Language::from_code(&settings.language)
}

/// Saves `language` as the unlocked person's setting (their lock time kept).
pub async fn save_for_person(language: Language) {
    let Ok(mut settings) = crate::backend::call(&crate::backend::GetSettings {}).await else {
        return;
    };
    settings.language = match language {
        Language::English => "en",
        Language::Welsh => "cy",
    }
    .to_owned();
    let _ = crate::backend::call(&crate::backend::SaveSettings { settings }).await;
}

/// The other language, offered in its own name ("Cymraeg" when in
/// English), with its own `lang` so it is read in that language.
#[function_component(LanguageSwitch)]
pub fn language_switch() -> Html {
    let Some(lang) = use_lang() else {
        return html! {};
    };
    let current = lang.texts.language();
    let other = match current {
        Language::English => Language::Welsh,
        Language::Welsh => Language::English,
    };
    let onclick = lang.set.reform(move |_: MouseEvent| other);
    html! {
        <button type="button" class="link language" id="language-switch" lang={other.code()}
            aria-label={lang.texts.text("language-other.label")} {onclick}>
            { lang.texts.text("language-other") }
        </button>
    }
}

/// A message as markup, what people wrote (`data`) inside it marked
/// `translate="no"` (see `Texts::text_marked`).
pub trait Rich {
    fn rich(&self, id: &str, words: &[(&str, FluentValue<'_>)], data: &[(&str, &str)]) -> Html;
}

impl Rich for Texts {
    fn rich(&self, id: &str, words: &[(&str, FluentValue<'_>)], data: &[(&str, &str)]) -> Html {
        pieces(self.text_marked(id, words, data))
    }
}

/// Pieces of a message as markup, the data marked `translate="no"`.
pub fn pieces(pieces: Vec<Piece>) -> Html {
    pieces
        .into_iter()
        .map(|piece| match piece {
            Piece::Words(w) => html! { { w } },
            Piece::Data(d) => html! { <span translate="no">{ d }</span> },
        })
        .collect()
}
