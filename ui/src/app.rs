//! Screens. They reach the backend only through `backend`.

use crate::backend::{self, CaseRow};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
enum Screen {
    Loading,
    Unlock { error: Option<String> },
    Caseload(Vec<CaseRow>),
}

#[function_component(App)]
pub fn app() -> Html {
    let screen = use_state(|| Screen::Loading);
    {
        let screen = screen.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                screen.set(match backend::store_status().await {
                    Ok(status) if status.unlocked_as.is_some() => match backend::caseload().await {
                        Ok(rows) => Screen::Caseload(rows),
                        Err(e) => Screen::Unlock { error: Some(e) },
                    },
                    Ok(_) => Screen::Unlock { error: None },
                    Err(e) => Screen::Unlock { error: Some(e) },
                });
            });
        });
    }
    let on_unlocked = {
        let screen = screen.clone();
        Callback::from(move |rows: Result<Vec<CaseRow>, String>| {
            screen.set(match rows {
                Ok(rows) => Screen::Caseload(rows),
                Err(e) => Screen::Unlock { error: Some(e) },
            })
        })
    };
    let on_lock = {
        let screen = screen.clone();
        Callback::from(move |_| {
            let screen = screen.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = backend::lock().await;
                screen.set(Screen::Unlock { error: None });
            });
        })
    };
    html! {
        <main>
            { match &*screen {
                Screen::Loading => html! { <p>{ "Opening Waymark…" }</p> },
                Screen::Unlock { error } => html! { <Unlock error={error.clone()} on_unlocked={on_unlocked} /> },
                Screen::Caseload(rows) => html! { <Caseload rows={rows.clone()} on_lock={on_lock} /> },
            } }
        </main>
    }
}

#[derive(Properties, PartialEq)]
struct UnlockProps {
    error: Option<String>,
    on_unlocked: Callback<Result<Vec<CaseRow>, String>>,
}

#[function_component(Unlock)]
fn unlock(props: &UnlockProps) -> Html {
    let user = use_node_ref();
    let passphrase = use_node_ref();
    let onsubmit = {
        let (user, passphrase, done) =
            (user.clone(), passphrase.clone(), props.on_unlocked.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let (u, p) = (value(&user), value(&passphrase));
            if let Some(field) = passphrase.cast::<HtmlInputElement>() {
                field.set_value("");
            }
            let done = done.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = match backend::unlock(&u, &p).await {
                    Ok(()) => backend::caseload().await,
                    Err(e) => Err(e),
                };
                done.emit(result);
            });
        })
    };
    html! {
        <form class="unlock" onsubmit={onsubmit} aria-labelledby="unlock-title">
            <h1 id="unlock-title">{ "Unlock Waymark" }</h1>
            <label for="user">{ "Your name on this laptop" }</label>
            <input id="user" ref={user} autocomplete="username" required=true />
            <label for="passphrase">{ "Passphrase" }</label>
            <input id="passphrase" ref={passphrase} type="password" autocomplete="current-password" required=true />
            if let Some(error) = &props.error {
                <p class="error" role="alert">{ error }</p>
            }
            <button type="submit">{ "Unlock" }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct CaseloadProps {
    rows: Vec<CaseRow>,
    on_lock: Callback<()>,
}

#[function_component(Caseload)]
fn caseload(props: &CaseloadProps) -> Html {
    let lock = props.on_lock.reform(|_: MouseEvent| ());
    html! {
        <section aria-labelledby="caseload-title">
            <header>
                <h1 id="caseload-title">{ "Caseload" }</h1>
                <button class="quick-exit" onclick={lock}>{ "Lock" }</button>
            </header>
            <table>
                <thead><tr><th scope="col">{ "Name" }</th><th scope="col">{ "Risk" }</th><th scope="col">{ "Flags" }</th></tr></thead>
                <tbody>
                    { for props.rows.iter().map(|r| html! {
                        <tr key={r.case_id.clone()}>
                            <td>{ r.preferred_name.clone().map_or(r.full_name.clone(), |p| format!("{} ({p})", r.full_name)) }</td>
                            <td>{ r.risk_level.clone().unwrap_or_else(|| "-".into()) }</td>
                            <td>{ r.open_flags }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
