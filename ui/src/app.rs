//! The root: which screen is showing, the bar that is always there while
//! unlocked (navigation, sync status, quick exit), the quick-exit keystroke
//! and the triple-Shift gesture (`exit`), and telling the backend's idle
//! lock the person is here. Screens reach
//! the backend only through `backend`.

use crate::backend::{self, Role, StoreStatus, SyncState, Vocabularies};
use crate::l10n::{self, use_texts};
use crate::{agenda, case, caseload, exit, form, reports, settings, start, sync, team, volunteers};
use gloo_events::EventListener;
use std::cell::Cell;
use std::rc::Rc;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The documented quick-exit keystroke (also the "Quick exit" button).
pub const QUICK_EXIT_KEY: &str = "Ctrl+L";

#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    Loading,
    FirstRun {
        message: Option<String>,
    },
    Unlock {
        message: Option<String>,
    },
    Caseload,
    /// One keyworker's cases (from the team view).
    KeyworkerCases {
        keyworker: String,
    },
    Team,
    Groups,
    Case {
        id: Uuid,
    },
    /// A case allocated to this volunteer.
    AllocatedCase {
        id: Uuid,
    },
    NewCase,
    Agenda,
    Reports,
    Sync,
    Settings,
}

impl Screen {
    fn unlocked(&self) -> bool {
        !matches!(
            self,
            Screen::Loading | Screen::FirstRun { .. } | Screen::Unlock { .. }
        )
    }
}

/// What every unlocked screen gets: where to go, and who is here.
#[derive(Clone, PartialEq)]
pub struct Ctx {
    pub go: Callback<Screen>,
    pub user: String,
    /// The person's role on the server (worker, supervisor, admin), once connected.
    pub role: Option<Role>,
    pub sync: SyncState,
    pub refresh_sync: Callback<()>,
    pub vocab: Rc<Vocabularies>,
}

impl Ctx {
    /// A select's choices from one of the core's vocabularies, each in
    /// the words of the language in force.
    pub fn choices(&self, name: &str) -> form::Kind {
        let t = l10n::current();
        form::Kind::Select(
            self.vocab
                .get(name)
                .map(|values| {
                    values
                        .iter()
                        .map(|v| (v.clone(), t.term(name, v)))
                        .collect()
                })
                .unwrap_or_default(),
        )
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let screen = use_state(|| Screen::Loading);
    let status = use_state(|| None::<StoreStatus>);
    let vocab = use_state(|| Rc::new(Vocabularies::new()));
    let sync_state = use_state(SyncState::default);
    // When the backend last heard the person was here (for its idle lock).
    let last_reported = use_mut_ref(|| 0.0f64);
    let gesture = use_mut_ref(exit::ShiftExit::default);
    let exit_heard = use_state(String::new);
    let unlocked = Rc::new(Cell::new(screen.unlocked()));
    let texts = use_state(|| Rc::new(l10n::saved_texts()));
    // A switch applies at once; once someone is unlocked it is their
    // setting too, so their next unlock on any shared laptop speaks it.
    let set_language = {
        let (texts, unlocked) = (texts.clone(), unlocked.clone());
        use_callback(
            screen.unlocked(),
            move |language: waymark_l10n::Language, _| {
                l10n::remember(language);
                texts.set(Rc::new(waymark_l10n::Texts::new(language)));
                if unlocked.get() {
                    wasm_bindgen_futures::spawn_local(l10n::save_for_person(language));
                }
            },
        )
    };
    {
        let language = texts.language();
        use_effect_with(language, |language| l10n::mark_page(*language));
    }
    let t = (*texts).clone();
    l10n::set_current(t.clone());

    // Where to start: first run, or the unlock screen.
    {
        let (screen, status, vocab) = (screen.clone(), status.clone(), vocab.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(v) = backend::call(&backend::GetVocabularies {}).await {
                    vocab.set(Rc::new(v));
                }
                match backend::call(&backend::GetStoreStatus {}).await {
                    Ok(s) => {
                        screen.set(if s.unlocked_as.is_some() {
                            Screen::Caseload
                        } else if s.exists {
                            // After a lock the page was reloaded: why.
                            Screen::Unlock {
                                message: s.why_locked.clone(),
                            }
                        } else {
                            Screen::FirstRun { message: None }
                        });
                        status.set(Some(s));
                    }
                    Err(e) => screen.set(Screen::Unlock {
                        message: Some(e.to_string()),
                    }),
                }
            });
        });
    }

    // Quick exit: hide everything now, then drop the session (after any
    // draft save the closing screen sends, so nothing typed is lost); the
    // backend then reloads the page, emptying its memory.
    let quick_exit = {
        let screen = screen.clone();
        Callback::from(move |message: Option<String>| {
            blank_window(true);
            screen.set(Screen::Unlock { message });
            wasm_bindgen_futures::spawn_local(async move {
                // The closing screen saves its draft first (the lock drops
                // the session and reloads the page).
                gloo_timers::future::TimeoutFuture::new(0).await;
                backend::saves_done(3_000).await;
                let _ = backend::call(&backend::Lock {}).await;
                // The reload comes next; if it does not, the unlock screen
                // (which shows nothing of a case) is not left blank.
                gloo_timers::future::TimeoutFuture::new(1_000).await;
                blank_window(false);
            });
        })
    };

    // The keystroke; and keys and clicks tell the backend's idle lock the
    // person is here (at most every 10 s). The lock itself is the
    // backend's: a page that stops running cannot keep a store open.
    {
        let (quick_exit, last_reported) = (quick_exit.clone(), last_reported.clone());
        let (gesture, heard) = (gesture.clone(), exit_heard.clone());
        let unlocked = unlocked.clone();
        use_effect_with(screen.unlocked(), move |_| {
            let window = web_sys::window().expect("a window");
            let here = Rc::new(move || {
                let now = js_sys::Date::now();
                if now - *last_reported.borrow() > 10_000.0 {
                    *last_reported.borrow_mut() = now;
                    wasm_bindgen_futures::spawn_local(async {
                        let _ = backend::call(&backend::StillHere {}).await;
                    });
                }
            });
            let key_here = here.clone();
            let unlocked_for_keys = unlocked.clone();
            let quick_exit_for_keys = quick_exit.clone();
            let keys = EventListener::new(&window, "keydown", move |e| {
                key_here();
                if let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() {
                    if (k.ctrl_key() || k.meta_key()) && k.key().eq_ignore_ascii_case("l") {
                        k.prevent_default();
                        if unlocked_for_keys.get() {
                            quick_exit_for_keys.emit(None);
                        }
                    }
                }
            });
            // GOV.UK's "Exit this page": Shift three times on its own.
            let (quick_exit, gesture, heard) = (quick_exit.clone(), gesture.clone(), heard.clone());
            let shifts = EventListener::new(&window, "keyup", move |e| {
                let Some(k) = e
                    .dyn_ref::<web_sys::KeyboardEvent>()
                    .filter(|_| unlocked.get())
                else {
                    return;
                };
                let step =
                    gesture
                        .borrow_mut()
                        .key_up(&k.key(), k.shift_key(), js_sys::Date::now());
                // The language in force now, not when the listener was made.
                if let Some(words) = exit::announcement(&l10n::current(), step) {
                    heard.set(words);
                }
                if let exit::Step::ToGo(_) = step {
                    // Say so when the time for the next press has run out.
                    let (gesture, heard) = (gesture.clone(), heard.clone());
                    gloo_timers::callback::Timeout::new(
                        exit::PRESS_WITHIN_MS as u32 + 50,
                        move || {
                            if gesture.borrow_mut().expire(js_sys::Date::now()) {
                                heard.set(
                                    exit::announcement(&l10n::current(), exit::Step::Expired)
                                        .unwrap_or_default(),
                                );
                            }
                        },
                    )
                    .forget();
                }
                if step == exit::Step::Exit {
                    quick_exit.emit(None);
                }
            });
            let pointer = EventListener::new(&window, "pointerdown", move |_| here());
            move || drop((keys, shifts, pointer))
        });
    }

    // The sync status, refreshed while unlocked (fast while a sync runs).
    let refresh_sync = {
        let (sync_state, status) = (sync_state.clone(), status.clone());
        Callback::from(move |_| {
            let (sync_state, status) = (sync_state.clone(), status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(s) = backend::call(&backend::GetSyncStatus {}).await {
                    // Connecting changes the role the screens offer.
                    if s.connected != sync_state.connected {
                        if let Ok(st) = backend::call(&backend::GetStoreStatus {}).await {
                            status.set(Some(st));
                        }
                    }
                    sync_state.set(s);
                }
            });
        })
    };
    {
        let refresh = refresh_sync.clone();
        let running = sync_state.running;
        use_effect_with((screen.unlocked(), running), move |(on, running)| {
            let timer = on.then(|| {
                refresh.emit(());
                let every = if *running { 300 } else { 5_000 };
                gloo_timers::callback::Interval::new(every, move || refresh.emit(()))
            });
            move || drop(timer)
        });
    }

    let on_unlocked = {
        let (screen, status, texts) = (screen.clone(), status.clone(), texts.clone());
        Callback::from(move |_| {
            let (screen, status, texts) = (screen.clone(), status.clone(), texts.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(s) = backend::call(&backend::GetStoreStatus {}).await {
                    status.set(Some(s));
                }
                // The person's own language, from their store.
                if let Some(language) = l10n::person_language().await {
                    if language != texts.language() && !texts.is_pseudo() {
                        l10n::remember(language);
                        texts.set(Rc::new(waymark_l10n::Texts::new(language)));
                    }
                }
                screen.set(Screen::Caseload);
            });
        })
    };
    let go = {
        let screen = screen.clone();
        Callback::from(move |s: Screen| screen.set(s))
    };
    unlocked.set(screen.unlocked());

    let demo = status.as_ref().and_then(|s| s.demo.clone());
    let body = match &*screen {
        Screen::Loading => html! { <main id="main"><p>{ t.text("opening") }</p></main> },
        Screen::FirstRun { message } => {
            // Someone already uses this laptop: a way back to unlocking.
            let on_back = status.as_ref().is_some_and(|s| s.exists).then(|| {
                let screen = screen.clone();
                Callback::from(move |_| screen.set(Screen::Unlock { message: None }))
            });
            html! {
                <main id="main"><start::FirstRun demo={demo} message={message.clone()} on_done={on_unlocked.clone()} {on_back} /></main>
            }
        }
        Screen::Unlock { message } => {
            let on_join = {
                let screen = screen.clone();
                Callback::from(move |_| screen.set(Screen::FirstRun { message: None }))
            };
            html! {
                <main id="main"><start::Unlock message={message.clone()} on_unlocked={on_unlocked.clone()} {on_join} /></main>
            }
        }
        current => {
            let ctx = Ctx {
                go: go.clone(),
                user: status
                    .as_ref()
                    .and_then(|s| s.unlocked_as.clone())
                    .unwrap_or_default(),
                role: status.as_ref().and_then(|s| s.role),
                sync: (*sync_state).clone(),
                refresh_sync: refresh_sync.clone(),
                vocab: (*vocab).clone(),
            };
            let volunteer = ctx.role == Some(Role::Volunteer);
            let page = match current {
                // A volunteer holds their allocated cases only.
                Screen::Caseload if volunteer => {
                    html! { <volunteers::Allocated ctx={ctx.clone()} /> }
                }
                Screen::Caseload => html! { <caseload::Caseload ctx={ctx.clone()} /> },
                Screen::AllocatedCase { id } => html! {
                    <volunteers::AllocatedCasePage ctx={ctx.clone()} id={*id} key={id.to_string()} />
                },
                Screen::KeyworkerCases { keyworker } => html! {
                    <caseload::Caseload ctx={ctx.clone()} keyworker={Some(keyworker.clone())} key={keyworker.clone()} />
                },
                Screen::Team => html! { <team::Team ctx={ctx.clone()} /> },
                Screen::Groups => html! { <crate::groups::Groups /> },
                Screen::Case { id } => {
                    html! { <case::CasePage ctx={ctx.clone()} id={*id} key={id.to_string()} /> }
                }
                Screen::NewCase => html! { <case::NewCase ctx={ctx.clone()} /> },
                Screen::Agenda => html! { <agenda::Agenda ctx={ctx.clone()} /> },
                Screen::Reports => html! { <reports::Reports ctx={ctx.clone()} /> },
                Screen::Sync => html! { <sync::SyncScreen ctx={ctx.clone()} /> },
                Screen::Settings => {
                    html! { <settings::SettingsScreen ctx={ctx.clone()} /> }
                }
                _ => html! {},
            };
            html! {
                <>
                    <Bar ctx={ctx} current={current.clone()} on_quick_exit={quick_exit.reform(|_| None)} />
                    <main id="main" tabindex="-1">{ page }</main>
                </>
            }
        }
    };
    let lang = l10n::Lang {
        texts: t.clone(),
        set: set_language,
    };
    html! {
        <ContextProvider<l10n::Lang> context={lang}>
            <a class="skip" href="#main">{ t.text("skip-to-content") }</a>
            { body }
            <p class="visually-hidden" role="status" id="exit-status">{ (*exit_heard).clone() }</p>
        </ContextProvider<l10n::Lang>>
    }
}

/// Hides the whole window at once (`html.exiting` in the style sheet), before
/// any screen changes; or shows it again.
fn blank_window(blank: bool) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let classes = root.class_list();
        let _ = if blank {
            classes.add_1("exiting")
        } else {
            classes.remove_1("exiting")
        };
    }
}

#[derive(Properties, PartialEq)]
struct BarProps {
    ctx: Ctx,
    current: Screen,
    on_quick_exit: Callback<()>,
}

/// Navigation, the sync status and the quick-exit button: always visible.
#[function_component(Bar)]
fn bar(p: &BarProps) -> Html {
    let t = use_texts();
    // Each button has an id (`nav-caseload`…), whatever language it speaks.
    let link = |screen: Screen, id: &'static str, label: &str| {
        let current = std::mem::discriminant(&p.current) == std::mem::discriminant(&screen);
        let go = p.ctx.go.reform(move |_: MouseEvent| screen.clone());
        html! {
            <li><button class="nav" id={id} onclick={go} aria-current={current.then_some("page")}>{ label.to_owned() }</button></li>
        }
    };
    let exit = p.on_quick_exit.reform(|_: MouseEvent| ());
    let conflicts = p.ctx.sync.open_conflicts;
    let sync_label = if conflicts > 0 {
        t.text_with("nav-sync-conflicts", &[("count", conflicts.into())])
    } else {
        t.text("nav-sync")
    };
    let key = || [("key", QUICK_EXIT_KEY.into())];
    html! {
        <header class="bar">
            <span class="brand">{ t.text("brand") }</span>
            <nav aria-label={t.text("nav-main")}>
                <ul>
                    if p.ctx.role == Some(Role::Volunteer) {
                        { link(Screen::Caseload, "nav-caseload", &t.text("nav-your-cases")) }
                    } else {
                        { link(Screen::Caseload, "nav-caseload", &t.text("nav-caseload")) }
                        { link(Screen::Agenda, "nav-agenda", &t.text("nav-agenda")) }
                    }
                    if !matches!(p.ctx.role, Some(Role::Manager | Role::Volunteer)) {
                        { link(Screen::Groups, "nav-groups", &t.text("nav-groups")) }
                    }
                    if matches!(p.ctx.role, Some(Role::Supervisor | Role::Manager | Role::Admin)) {
                        { link(Screen::Team, "nav-team", &t.text("nav-team")) }
                        { link(Screen::Reports, "nav-reports", &t.text("nav-reports")) }
                    }
                    { link(Screen::Sync, "nav-sync", &sync_label) }
                    { link(Screen::Settings, "nav-settings", &t.text("nav-settings")) }
                </ul>
            </nav>
            <sync::StatusLine state={p.ctx.sync.clone()} />
            <span class="who" translate="no">{ p.ctx.user.clone() }</span>
            <l10n::LanguageSwitch />
            <button id="quick-exit" class="quick-exit" onclick={exit}
                title={t.text_with("quick-exit.title", &key())}>
                { t.text_with("quick-exit", &key()) }
            </button>
        </header>
    }
}

/// Moves keyboard focus to a screen's heading when it opens.
#[hook]
pub fn use_focus_heading(id: &'static str) {
    use_effect_with((), move |_| form::focus(id));
}
