//! Before anyone is unlocked: first run (join an organisation, or the demo)
//! and the unlock screen.

use crate::backend::{self, DemoHint, Problem};
use crate::form::{self, ErrorSummary, Field, Kind};
use crate::l10n::{use_texts, LanguageSwitch};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FirstRunProps {
    pub demo: Option<DemoHint>,
    /// Why we are here again (a revoked laptop, wiped).
    #[prop_or_default]
    pub message: Option<String>,
    pub on_done: Callback<()>,
    /// Back to the unlock screen, where someone already uses this laptop.
    #[prop_or_default]
    pub on_back: Option<Callback<()>>,
}

#[function_component(FirstRun)]
pub fn first_run(p: &FirstRunProps) -> Html {
    let (server, user, code, pass, pass2) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let problem = use_state(|| None::<Problem>);
    let busy = use_state(|| false);
    let t = use_texts();
    crate::app::use_focus_heading("first-run-title");
    let onsubmit = {
        let (server, user, code, pass, pass2) = (
            server.clone(),
            user.clone(),
            code.clone(),
            pass.clone(),
            pass2.clone(),
        );
        let (problem, busy, done) = (problem.clone(), busy.clone(), p.on_done.clone());
        let differ = t.text("passphrases-differ");
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (s, u, c, p1, p2) = (
                form::value(&server),
                form::value(&user),
                form::value(&code),
                form::value(&pass),
                form::value(&pass2),
            );
            if p1 != p2 {
                problem.set(Some(Problem::at("passphrase-again", differ.clone())));
                return;
            }
            let (problem, busy, done) = (problem.clone(), busy.clone(), done.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result = backend::call(&backend::Enrol {
                    server: s,
                    user: u,
                    enrolment_code: c,
                    passphrase: p1,
                })
                .await;
                busy.set(false);
                match result {
                    Ok(()) => {
                        // The first sync fetches the person's cases.
                        let _ = backend::call(&backend::SyncNow {}).await;
                        done.emit(());
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let use_demo = p.demo.as_ref().map(|d| {
        let (server, user, pass, pass2, d) = (
            server.clone(),
            user.clone(),
            pass.clone(),
            pass2.clone(),
            d.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            form::set_value(&server, &d.server);
            form::set_value(&user, &d.worker);
            form::set_value(&pass, &d.passphrase);
            form::set_value(&pass2, &d.passphrase);
            form::focus("join");
        })
    });
    let pr = (*problem).clone();
    html! {
        <section class="start" aria-labelledby="first-run-title">
            <LanguageSwitch />
            <h1 id="first-run-title" tabindex="-1">{ t.text("first-run-title") }</h1>
            if let Some(m) = &p.message { <p class="notice" role="alert" id="wiped">{ form::sentence(m) }</p> }
            <p>{ t.text("first-run-intro") }</p>
            if let (Some(d), Some(use_demo)) = (&p.demo, use_demo) {
                <aside class="demo" aria-labelledby="demo-title">
                    <h2 id="demo-title">{ t.text("demo-title") }</h2>
                    <p>{ t.text_with("demo-text", &[("server", d.server.as_str().into()), ("worker", d.worker.as_str().into()),
                        ("supervisor", d.supervisor.as_str().into()), ("passphrase", d.passphrase.as_str().into())]) }</p>
                    <button type="button" id="use-demo" onclick={use_demo}>{ t.text("demo-use") }</button>
                </aside>
            }
            <form onsubmit={onsubmit} aria-labelledby="first-run-title">
                <ErrorSummary problem={pr.clone()} fields={vec!["server", "user", "enrolment_code", "passphrase", "passphrase-again"]}
                    aliases={vec![("user name", "user")]} />
                <Field name="server" label={t.text("field-server")} node={server} problem={pr.clone()} required=true
                    hint={t.text("field-server.hint")} autocomplete="url" />
                <Field name="user" label={t.text("field-user")} node={user} problem={pr.clone()} required=true also={vec!["user name"]} autocomplete="username" />
                <Field name="enrolment_code" label={t.text("field-enrolment-code")} node={code} problem={pr.clone()}
                    hint={t.text("field-enrolment-code.hint")} autocomplete="one-time-code" />
                <Field name="passphrase" label={t.text("field-new-passphrase")} kind={Kind::Password} node={pass} problem={pr.clone()} required=true
                    hint={t.text("field-new-passphrase.hint")} autocomplete="new-password" />
                <Field name="passphrase-again" label={t.text("field-passphrase-again")} kind={Kind::Password} node={pass2} problem={pr.clone()} required=true autocomplete="new-password" />
                <button type="submit" id="join" disabled={*busy}>{ if *busy { t.text("joining") } else { t.text("join") } }</button>
            </form>
            if let Some(back) = &p.on_back {
                <p><button type="button" class="link" id="back-to-unlock" onclick={back.reform(|_| ())}>{ t.text("back-to-unlock") }</button></p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct UnlockProps {
    pub message: Option<String>,
    pub on_unlocked: Callback<()>,
    /// A new person on this laptop joins instead.
    pub on_join: Callback<()>,
}

#[function_component(Unlock)]
pub fn unlock(p: &UnlockProps) -> Html {
    let user = use_node_ref();
    let passphrase = use_node_ref();
    let problem = use_state(|| None::<Problem>);
    let busy = use_state(|| false);
    let t = use_texts();
    {
        let user = user.clone();
        use_effect_with((), move |_| {
            if let Some(i) = user.cast::<web_sys::HtmlInputElement>() {
                let _ = i.focus();
            }
        });
    }
    let onsubmit = {
        let (user, passphrase, problem, busy, done) = (
            user.clone(),
            passphrase.clone(),
            problem.clone(),
            busy.clone(),
            p.on_unlocked.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (u, pw) = (form::value(&user), form::value(&passphrase));
            form::set_value(&passphrase, "");
            let (problem, busy, done) = (problem.clone(), busy.clone(), done.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result = backend::call(&backend::Unlock {
                    user: u,
                    passphrase: pw,
                })
                .await;
                busy.set(false);
                match result {
                    Ok(()) => done.emit(()),
                    Err(e) => problem.set(Some(Problem::at("passphrase", e.message))),
                }
            });
        })
    };
    html! {
        <form class="unlock" onsubmit={onsubmit} aria-labelledby="unlock-title">
            <LanguageSwitch />
            <h1 id="unlock-title">{ t.text("unlock-title") }</h1>
            if let Some(m) = &p.message { <p class="notice" role="status">{ m }</p> }
            <Field name="user" label={t.text("field-user")} node={user} autocomplete="username"
                hint={t.text("unlock-user-hint")} />
            <Field name="passphrase" label={t.text("field-passphrase")} kind={Kind::Password} node={passphrase}
                problem={(*problem).clone()} required=true autocomplete="current-password" />
            <button type="submit" disabled={*busy}>{ if *busy { t.text("unlocking") } else { t.text("unlock") } }</button>
            <p class="hint">{ t.text_with("unlock-quick-exit", &[("key", crate::app::QUICK_EXIT_KEY.into())]) }</p>
            <p><button type="button" class="link" id="new-person" onclick={p.on_join.reform(|_| ())}>{ t.text("new-person") }</button></p>
        </form>
    }
}
