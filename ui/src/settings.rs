//! Settings: lock timeout, passphrase, language (saved, it applies at once). (A
//! second person on a shared laptop joins from the unlock screen, with a
//! store of their own.)

use crate::app::Ctx;
use crate::backend::{self, Problem, ProblemCode, Role, Settings};
use crate::form::{self, ErrorSummary, Field, Kind};
use crate::l10n::Rich;
use uuid::Uuid;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub ctx: Ctx,
}

#[function_component(SettingsScreen)]
pub fn settings_screen(p: &Props) -> Html {
    let current = use_state(|| None::<Settings>);
    let (minutes, language) = (use_node_ref(), use_node_ref());
    let (old_pass, new_pass, new_pass2) = (use_node_ref(), use_node_ref(), use_node_ref());
    let (p1, p2) = (use_state(|| None::<Problem>), use_state(|| None::<Problem>));
    let changing = use_state(|| false);
    let done = use_state(|| None::<Done>);
    {
        let current = current.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                current.set(backend::call(&backend::GetSettings {}).await.ok())
            });
        });
    }
    let lang = crate::l10n::use_lang();
    let t = crate::l10n::use_texts();
    let save = {
        let (minutes, language, problem, done) =
            (minutes.clone(), language.clone(), p1.clone(), done.clone());
        let apply = lang.as_ref().map(|l| l.set.clone());
        let whole_minutes = t.text("settings-whole-minutes");
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let lock: u32 = match form::value(&minutes).trim().parse() {
                Ok(m) => m,
                Err(_) => {
                    problem.set(Some(Problem::at("lock_minutes", whole_minutes.clone())));
                    return;
                }
            };
            let s = Settings {
                lock_minutes: lock,
                language: form::value(&language),
            };
            let (problem, done, apply) = (problem.clone(), done.clone(), apply.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::SaveSettings {
                    settings: s.clone(),
                })
                .await
                {
                    Ok(()) => {
                        problem.set(None);
                        done.set(Some(Done::Saved));
                        if let (Some(apply), Some(language)) =
                            (apply, waymark_l10n::Language::from_code(&s.language))
                        {
                            apply.emit(language);
                        }
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let change = {
        let (o, n, n2, problem, done, changing) = (
            old_pass.clone(),
            new_pass.clone(),
            new_pass2.clone(),
            p2.clone(),
            done.clone(),
            changing.clone(),
        );
        let differ = t.text("passphrases-differ");
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (a, b, c) = (form::value(&o), form::value(&n), form::value(&n2));
            for r in [&o, &n, &n2] {
                form::set_value(r, "");
            }
            if b != c {
                problem.set(Some(Problem::at("new-passphrase-again", differ.clone())));
                return;
            }
            let (problem, done, changing) = (problem.clone(), done.clone(), changing.clone());
            changing.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result = backend::call(&backend::ChangePassphrase { current: a, new: b }).await;
                changing.set(false);
                match result {
                    Ok(()) => {
                        problem.set(None);
                        done.set(Some(Done::PassphraseChanged));
                    }
                    Err(e) => problem.set(Some(match e.field.as_deref() {
                        Some("new passphrase") => Problem::at("new-passphrase", e.message),
                        None if e.code == Some(ProblemCode::WrongPassphrase) => {
                            Problem::at("current-passphrase", e.message)
                        }
                        _ => e,
                    })),
                }
            });
        })
    };
    let Some(s) = (*current).clone() else {
        return html! { <p role="status">{ t.text("loading") }</p> };
    };
    let (e1, e2) = ((*p1).clone(), (*p2).clone());
    html! {
        <section aria-labelledby="settings-title">
            <h1 id="settings-title">{ t.text("nav-settings") }</h1>
            if let Some(d) = *done { <p class="notice" role="status">{ d.said(&t) }</p> }
            <form onsubmit={save} aria-labelledby="prefs-title">
                <h2 id="prefs-title">{ t.text("settings-prefs") }</h2>
                <ErrorSummary problem={e1.clone()} fields={vec!["lock_minutes", "language"]} />
                <Field name="lock_minutes" label={t.text("settings-lock-minutes")} kind={Kind::Number} node={minutes}
                    value={s.lock_minutes.to_string()} problem={e1.clone()}
                    hint={t.text_with("settings-lock-minutes.hint", &[("key", crate::app::QUICK_EXIT_KEY.into())])} />
                // Each language in its own name.
                <Field name="language" label={t.text("settings-language")} node={language} value={s.language.clone()} problem={e1.clone()}
                    kind={Kind::Select(vec![("en".into(), "English".into()), ("cy".into(), "Cymraeg".into())])}
                    hint={t.text("settings-language.hint")} />
                <button type="submit" id="save-settings">{ t.text("settings-save") }</button>
            </form>
            <form onsubmit={change} aria-labelledby="pass-title">
                <h2 id="pass-title">{ t.text("settings-passphrase") }</h2>
                <ErrorSummary problem={e2.clone()} fields={vec!["current-passphrase", "new-passphrase", "new-passphrase-again"]} />
                <Field name="current-passphrase" label={t.text("settings-current-passphrase")} kind={Kind::Password} node={old_pass} problem={e2.clone()} required=true autocomplete="current-password" />
                <Field name="new-passphrase" label={t.text("settings-new-passphrase")} kind={Kind::Password} node={new_pass} problem={e2.clone()} required=true autocomplete="new-password" />
                <Field name="new-passphrase-again" label={t.text("settings-new-passphrase-again")} kind={Kind::Password} node={new_pass2} problem={e2.clone()} required=true autocomplete="new-password" />
                <p class="hint">{ t.text("settings-rekey-hint") }</p>
                <button type="submit" id="change-passphrase" disabled={*changing}>
                    { if *changing { t.text("settings-rekeying") } else { t.text("settings-change-passphrase") } }
                </button>
            </form>
            <OwnIdentity />
            if matches!(p.ctx.role, Some(Role::Supervisor | Role::Admin)) {
                <Retention />
            }
            if p.ctx.role == Some(Role::Admin) {
                <crate::programmes::Programmes />
                <Templates />
                <Devices />
                <RecoveryKey />
                <RestoreAccess />
            }
            <p class="hint">{ t.text_with("settings-signed-in-as", &[("user", p.ctx.user.as_str().into())]) }</p>
        </section>
    }
}

/// What the screen's forms did, said in the language in force when shown
/// (saving a new language says so in that language).
#[derive(Clone, Copy, PartialEq)]
enum Done {
    Saved,
    PassphraseChanged,
}

impl Done {
    fn said(self, t: &waymark_l10n::Texts) -> String {
        match self {
            Done::Saved => t.text("settings-saved"),
            Done::PassphraseChanged => t.text("settings-passphrase-changed"),
        }
    }
}

/// Everyone: their identity phrase on this laptop, which an admin compares
/// with what their own laptop shows before confirming them.
#[function_component(OwnIdentity)]
fn own_identity() -> Html {
    let t = crate::l10n::use_texts();
    let identity = use_state(|| None::<Result<backend::Identity, Problem>>);
    {
        let identity = identity.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                identity.set(Some(backend::call(&backend::GetIdentity {}).await));
            });
        });
    }
    html! {
        <section aria-labelledby="identity-title">
            <h2 id="identity-title">{ t.text("identity-title") }</h2>
            { match &*identity {
                None => html! { <p role="status">{ t.text("loading") }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ t.problem(e) }</p> },
                Some(Ok(id)) => html! {
                    <>
                    <p><code id="identity-phrase">{ id.fingerprint_phrase.clone() }</code></p>
                    <p id="identity-state">{ match &id.confirmed_as {
                        Some(role) => t.text_with("identity-confirmed", &[("role", role.to_string().into())]),
                        None => t.text("identity-waiting"),
                    } }</p>
                    <p class="hint">{ t.text("identity-hint") }</p>
                    </>
                },
            } }
        </section>
    }
}

/// Supervisors and admins: cases closed longer than the retention period,
/// for review (each is erased from its case page).
#[function_component(Retention)]
fn retention() -> Html {
    let t = crate::l10n::use_texts();
    let days = use_node_ref();
    let problem = use_state(|| None::<Problem>);
    let items = use_state(|| None::<Vec<backend::RetentionItem>>);
    let onsubmit = {
        let (days, problem, items) = (days.clone(), problem.clone(), items.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let n: i64 = form::value(&days).trim().parse().unwrap_or(0);
            let (problem, items) = (problem.clone(), items.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::RetentionReview { closed_for_days: n }).await {
                    Ok(list) => {
                        problem.set(None);
                        items.set(Some(list));
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let pr = (*problem).clone();
    html! {
        <form onsubmit={onsubmit} aria-labelledby="retention-title">
            <h2 id="retention-title">{ t.text("retention-title") }</h2>
            <ErrorSummary problem={pr.clone()} fields={vec!["closed_for_days"]} />
            <Field name="closed_for_days" label={t.text("field-closed-for")} kind={Kind::Number} node={days}
                value="2190" problem={pr.clone()} hint={t.text("field-closed-for.hint")} />
            <button type="submit" id="review-retention">{ t.text("retention-list") }</button>
            { match &*items {
                None => html! {},
                Some(list) if list.is_empty() => html! { <p role="status" id="retention-result">{ t.text("retention-none") }</p> },
                Some(list) => html! {
                    <ul id="retention-result">
                        { for list.iter().map(|i| html! {
                            <li key={i.case_id.to_string()}><span translate="no">{ i.person_name.clone() }</span>{ " — " }
                                { t.text_with("retention-closed", &[("date", form::uk_date(i.closed_on).into()), ("days", i.days_closed.into())]) }
                                if let Some(r) = &i.closure_reason { { ": " }<span translate="no">{ r.clone() }</span> }</li>
                        }) }
                    </ul>
                },
            } }
        </form>
    }
}

/// Admins: the assessment templates every device of the organisation has,
/// and importing one (a new template, or a new version of one) from its
/// JSON file.
#[function_component(Templates)]
fn templates() -> Html {
    let t = crate::l10n::use_texts();
    let version = use_state(|| 0u32);
    let list = use_state(|| None::<backend::Answer<Vec<backend::AssessmentTemplate>>>);
    {
        let list = list.clone();
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                list.set(Some(backend::call(&backend::GetTemplates {}).await));
            });
        });
    }
    let file = use_node_ref();
    let problem = use_state(|| None::<Problem>);
    let imported = use_state(|| None::<String>);
    let onsubmit = {
        let (file, problem, imported, version) = (
            file.clone(),
            problem.clone(),
            imported.clone(),
            version.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let chosen = file
                .cast::<web_sys::HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0));
            let (problem, imported, version) = (problem.clone(), imported.clone(), version.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let answer = async {
                    let f = chosen.ok_or(Problem::at(
                        "template",
                        crate::l10n::current().text("template-choose-first"),
                    ))?;
                    let text = wasm_bindgen_futures::JsFuture::from(f.text())
                        .await
                        .ok()
                        .and_then(|t| t.as_string())
                        .ok_or(Problem::at(
                            "template",
                            crate::l10n::current().text("template-unreadable"),
                        ))?;
                    backend::call(&backend::ImportTemplate { json: text }).await?;
                    Ok::<_, Problem>(f.name())
                };
                match answer.await {
                    Ok(name) => {
                        problem.set(None);
                        imported.set(Some(name));
                        version.set(*version + 1);
                    }
                    Err(e) => {
                        imported.set(None);
                        problem.set(Some(e));
                    }
                }
            });
        })
    };
    let pr = (*problem).clone();
    html! {
        <section aria-labelledby="templates-title">
            <h2 id="templates-title">{ t.text("templates-title") }</h2>
            { match &*list {
                None => html! { <p role="status">{ t.text("loading") }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ t.problem(e) }</p> },
                Some(Ok(all)) => html! {
                    <ul id="template-list">
                        { for all.iter().map(|template| html! {
                            <li key={template.id.to_string()}>{ t.rich("template-line", &[("version", template.template_version.into())],
                                &[("name", &template.name), ("key", &template.key)]) }</li>
                        }) }
                    </ul>
                },
            } }
            <form onsubmit={onsubmit} aria-labelledby="import-template-title">
                <h3 id="import-template-title">{ t.text("template-import-title") }</h3>
                <ErrorSummary problem={pr.clone()} fields={vec!["template"]} />
                <div class="field">
                    <label for="template">{ t.text("field-template") }</label>
                    <input id="template" type="file" accept="application/json,.json" ref={file}
                        aria-invalid={pr.as_ref().and_then(|x| t.about(x, "template")).map(|_| "true")}
                        aria-describedby={pr.as_ref().and_then(|x| t.about(x, "template")).map(|_| "template-error")} />
                    if let Some(e) = pr.as_ref().and_then(|x| t.about(x, "template")) { <p class="error" id="template-error" role="alert">{ e }</p> }
                </div>
                <button type="submit" id="import-template">{ t.text("template-import") }</button>
                if let Some(name) = &*imported { <p role="status" id="template-imported">{ t.rich("template-imported", &[], &[("name", name)]) }</p> }
            </form>
        </section>
    }
}

/// Admins: the organisation's devices; revoking one makes the server refuse
/// it, and it erases its store when it next reaches the server.
#[function_component(Devices)]
fn devices() -> Html {
    let t = crate::l10n::use_texts();
    let list = use_state(|| None::<Result<Vec<backend::ListedDevice>, Problem>>);
    let version = use_state(|| 0u32);
    let confirm = use_state(|| None::<Uuid>);
    {
        let list = list.clone();
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                list.set(Some(backend::call(&backend::GetOrgDevices {}).await));
            });
        });
    }
    let revoke = {
        let (version, confirm, list) = (version.clone(), confirm.clone(), list.clone());
        Callback::from(move |id: Uuid| {
            let (version, confirm, list) = (version.clone(), confirm.clone(), list.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::RevokeDevice { device_id: id }).await {
                    Ok(()) => version.set(*version + 1),
                    Err(e) => list.set(Some(Err(e))),
                }
                confirm.set(None);
            });
        })
    };
    html! {
        <section aria-labelledby="devices-title">
            <h2 id="devices-title">{ t.text("devices-title") }</h2>
            <p class="hint">{ t.text("devices-hint") }</p>
            { match &*list {
                None => html! { <p role="status">{ t.text("loading") }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ t.problem(e) }</p> },
                Some(Ok(devices)) => html! {
                    <table class="devices" id="devices">
                        <thead><tr><th>{ t.text("devices-person") }</th><th>{ t.text("devices-device") }</th><th>{ t.text("devices-phrase") }</th>
                            <th>{ t.text("devices-confirmed") }</th><th>{ t.text("devices-last-seen") }</th><th>{ t.text("devices-access") }</th></tr></thead>
                        <tbody>
                            { for devices.iter().map(|d| {
                                let id = d.device_id;
                                let asking = *confirm == Some(id);
                                let ask = { let confirm = confirm.clone(); Callback::from(move |_| confirm.set(Some(id))) };
                                let cancel = { let confirm = confirm.clone(); Callback::from(move |_| confirm.set(None)) };
                                let yes = { let revoke = revoke.clone(); Callback::from(move |_| revoke.emit(id)) };
                                html! {
                                    <tr key={id.to_string()} id={format!("device-{id}")}>
                                        <td translate="no">{ d.user.clone() }</td>
                                        <td translate="no">{ d.label.clone() }</td>
                                        <td>{ match (&d.fingerprint_phrase, d.key_vouched) {
                                            (Some(phrase), true) => html! { <code translate="no">{ phrase.clone() }</code> },
                                            (Some(phrase), false) => html! { <><code translate="no">{ phrase.clone() }</code>{ " " }{ t.text("devices-not-vouching") }</> },
                                            (None, _) => html! { { t.text("devices-no-phrase") } },
                                        } }</td>
                                        <td>{ match (&d.confirmed_as, d.revoked || !d.key_vouched) {
                                            (Some(role), _) => html! { { t.text_with("devices-confirmed-as", &[("role", t.term("role", role.as_str()).into())]) } },
                                            (None, true) => html! { { t.text("answer-no") } },
                                            (None, false) => html! { <ConfirmPerson user={d.user.clone()} device_id={id}
                                                is_admin={d.role == Role::Admin} done={{ let version = version.clone(); Callback::from(move |_| version.set(*version + 1)) }} /> },
                                        } }</td>
                                        <td>{ form::local_time_ms(d.last_seen_at_ms) }</td>
                                        <td>{ if d.revoked { html! { { t.text("devices-revoked") } } } else if asking { html! {
                                            <span role="group" aria-label={t.text("devices-confirm-revoking")}>
                                                <button type="button" class="danger" id={format!("confirm-revoke-{id}")} onclick={yes}>
                                                    { t.rich("devices-revoke-this", &[], &[("user", &d.user), ("device", &d.label)]) }</button>
                                                <button type="button" onclick={cancel}>{ t.text("devices-keep") }</button>
                                            </span>
                                        } } else { html! {
                                            <button type="button" id={format!("revoke-{id}")} onclick={ask}
                                                aria-describedby={format!("device-{id}")}>{ t.text("devices-revoke") }</button>
                                        } } }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                },
            } }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ConfirmProps {
    user: String,
    device_id: Uuid,
    is_admin: bool,
    done: Callback<()>,
}

/// An admin confirms a person by the phrase they read from their own
/// laptop (in person or on a call); a phrase that matches none of their
/// identities confirms nothing.
#[function_component(ConfirmPerson)]
fn confirm_person(p: &ConfirmProps) -> Html {
    let t = crate::l10n::use_texts();
    let (phrase, as_admin) = (use_node_ref(), use_node_ref());
    let problem = use_state(|| None::<Problem>);
    let onsubmit = {
        let (phrase, as_admin, problem, done, user) = (
            phrase.clone(),
            as_admin.clone(),
            problem.clone(),
            p.done.clone(),
            p.user.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (typed, admin) = (form::value(&phrase), form::checked(&as_admin));
            let (problem, done, user) = (problem.clone(), done.clone(), user.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::ConfirmPerson {
                    user,
                    phrase: typed,
                    as_admin: admin,
                })
                .await
                {
                    Ok(_) => done.emit(()),
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let id = &p.device_id;
    let error_id = format!("phrase-{id}-error");
    html! {
        <form class="confirm-person" onsubmit={onsubmit} aria-labelledby={format!("confirm-{id}")}>
            <label for={format!("phrase-{id}")}>{ t.rich("confirm-phrase", &[], &[("user", &p.user)]) }</label>
            <input id={format!("phrase-{id}")} ref={phrase} inputmode="numeric" autocomplete="off"
                aria-invalid={problem.is_some().to_string()} aria-describedby={error_id.clone()} />
            if p.is_admin {
                <label><input type="checkbox" id={format!("as-admin-{id}")} ref={as_admin} />
                    { " " }{ t.rich("confirm-as-admin", &[], &[("user", &p.user)]) }</label>
            }
            <button type="submit" id={format!("confirm-{id}")}>{ t.rich("confirm-person", &[], &[("user", &p.user)]) }</button>
            <p class="error" role="alert" id={error_id}>{ problem.as_ref().map(|e| t.problem(e)).unwrap_or_default() }</p>
        </form>
    }
}

/// Admins: the organisation's recovery key, made once. Its secret is shown
/// here this once and never kept by the app.
#[function_component(RecoveryKey)]
fn recovery_key() -> Html {
    let t = crate::l10n::use_texts();
    let made = use_state(|| None::<backend::RecoveryKeyMade>);
    let problem = use_state(|| None::<Problem>);
    let make = {
        let (made, problem) = (made.clone(), problem.clone());
        Callback::from(move |_| {
            let (made, problem) = (made.clone(), problem.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::MakeRecoveryKey {}).await {
                    Ok(m) => {
                        problem.set(None);
                        made.set(Some(m));
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let kept = {
        let made = made.clone();
        Callback::from(move |_| made.set(None))
    };
    html! {
        <section aria-labelledby="recovery-title">
            <h2 id="recovery-title">{ t.text("recovery-title") }</h2>
            { match &*made {
                Some(m) => html! {
                    <div id="recovery-made">
                        <p class="notice" role="status">{ t.rich("recovery-made", &[], &[("fingerprint", &m.fingerprint)]) }</p>
                        <pre id="recovery-text" aria-label={t.text("recovery-text")} translate="no">{ m.text.clone() }</pre>
                        <button type="button" id="recovery-kept" onclick={kept}>{ t.text("recovery-kept") }</button>
                    </div>
                },
                None => html! {
                    <>
                        <p class="hint">{ t.text("recovery-hint") }</p>
                        if let Some(e) = &*problem { <p class="error" role="alert" id="recovery-error">{ t.problem(e) }</p> }
                        <button type="button" id="make-recovery-key" onclick={make}>{ t.text("recovery-make") }</button>
                    </>
                },
            } }
        </section>
    }
}

/// Admins: restore a person's access with the recovery key (their new
/// laptop must have connected first).
#[function_component(RestoreAccess)]
fn restore_access() -> Html {
    let t = crate::l10n::use_texts();
    let (person, key) = (use_node_ref(), use_node_ref());
    let problem = use_state(|| None::<Problem>);
    // How many case keys were resealed, and for whom.
    let done = use_state(|| None::<(u64, String)>);
    let onsubmit = {
        let (person, key, problem, done) =
            (person.clone(), key.clone(), problem.clone(), done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (who, text) = (form::value(&person), form::value(&key));
            let (problem, done, key) = (problem.clone(), done.clone(), key.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match backend::call(&backend::RecoverPerson {
                    person: who.clone(),
                    recovery_key: text,
                })
                .await
                {
                    Ok(n) => {
                        problem.set(None);
                        form::set_value(&key, "");
                        done.set(Some((n, who)));
                    }
                    Err(e) => {
                        done.set(None);
                        problem.set(Some(e));
                    }
                }
            });
        })
    };
    let pr = (*problem).clone();
    html! {
        <form onsubmit={onsubmit} aria-labelledby="restore-title">
            <h2 id="restore-title">{ t.text("restore-title") }</h2>
            <ErrorSummary problem={pr.clone()} fields={vec!["person", "recovery_key"]} />
            if let Some((n, who)) = &*done { <p class="notice" role="status" id="restore-done">
                { t.rich("restore-done", &[("count", (*n).into())], &[("who", who)]) }</p> }
            <Field name="person" label={t.text("field-restore-person")} node={person} problem={pr.clone()} required=true />
            <Field name="recovery_key" label={t.text("field-recovery-key")} kind={Kind::TextArea} node={key} problem={pr.clone()} required=true />
            <button type="submit" id="restore-access">{ t.text("restore-access") }</button>
        </form>
    }
}
