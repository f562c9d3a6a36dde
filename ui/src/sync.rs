//! Sync: the status line in the bar, and the sync screen (connect, sync
//! now with progress, conflicts to review).

use crate::app::Ctx;
use crate::backend::{
    self, Answer, ConflictView, Keep, Problem, ProblemCode, RefusedChange, RefusedKey,
    RefusedRecipient, SyncState,
};
use crate::form::{self, ErrorSummary, Field, Kind};
use uuid::Uuid;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub state: SyncState,
}

/// Offline / syncing (with a bar) / up to date / last synced at.
#[function_component(StatusLine)]
pub fn status_line(p: &StatusProps) -> Html {
    let t = crate::l10n::use_texts();
    let s = &p.state;
    let count = |n: usize| [("count", n.into())];
    let text = if s.running {
        match &s.phase {
            Some(phase) if s.total > 0 => t.text_with(
                "sync-running-phase",
                &[
                    ("phase", phase.to_string().into()),
                    ("done", s.done.into()),
                    ("total", s.total.into()),
                ],
            ),
            _ => t.text("sync-running"),
        }
    } else if !s.connected {
        t.text("sync-not-connected")
    } else if s.offline {
        t.text_with("sync-offline", &count(s.unsynced_changes as usize))
    } else if s.unsynced_changes > 0 {
        t.text_with("sync-unsynced", &count(s.unsynced_changes as usize))
    } else if s.waiting_for_confirmation {
        // Colleagues' laptops seal case keys only to people an admin
        // confirmed.
        t.text("sync-waiting-for-confirmation")
    } else if s.awaiting_key > 0 {
        // Pulled, but sealed for a key a colleague's device has not yet
        // passed to this laptop: kept, and shown once it arrives.
        t.text_with("sync-awaiting-keys", &count(s.awaiting_key as usize))
    } else {
        let synced = match s.last_synced_ms {
            Some(ms) => t.text_with(
                "sync-up-to-date",
                &[("when", form::local_time_ms(ms).into())],
            ),
            None => t.text("sync-never"),
        };
        match s.refused_changes {
            0 => synced,
            n => t.text_with(
                "sync-refused",
                &[("synced", synced.into()), ("count", (n as usize).into())],
            ),
        }
    };
    html! {
        <div class="sync-status" role="status" id="sync-status">
            <span>{ text }</span>
            if s.running && s.total > 0 {
                <progress max={s.total.to_string()} value={s.done.to_string()} aria-label={t.text("sync-progress")} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub ctx: Ctx,
}

#[function_component(SyncScreen)]
pub fn sync_screen(p: &Props) -> Html {
    let problem = use_state(|| None::<Problem>);
    let version = use_state(|| 0u32);
    let conflicts = use_state(|| None::<Answer<Vec<ConflictView>>>);
    let refused = use_state(|| None::<Answer<Vec<RefusedChange>>>);
    let recipients = use_state(|| None::<Answer<Vec<RefusedRecipient>>>);
    let keys = use_state(|| None::<Answer<Vec<RefusedKey>>>);
    let set_aside = use_state(|| None::<Answer<Vec<backend::SetAsideChange>>>);
    let (server, pass) = (use_node_ref(), use_node_ref());
    {
        let (conflicts, refused, recipients, keys, set_aside) = (
            conflicts.clone(),
            refused.clone(),
            recipients.clone(),
            keys.clone(),
            set_aside.clone(),
        );
        use_effect_with(*version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                set_aside.set(Some(backend::call(&backend::GetSetAsideChanges {}).await));
                conflicts.set(Some(backend::call(&backend::GetConflicts {}).await));
                refused.set(Some(backend::call(&backend::GetRefusedChanges {}).await));
                recipients.set(Some(backend::call(&backend::GetRefusedRecipients {}).await));
                keys.set(Some(backend::call(&backend::GetRefusedKeys {}).await));
            });
        });
    }
    let sync_now = {
        let (problem, version, refresh, go) = (
            problem.clone(),
            version.clone(),
            p.ctx.refresh_sync.clone(),
            p.ctx.go.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (problem, version, refresh, go) = (
                problem.clone(),
                version.clone(),
                refresh.clone(),
                go.clone(),
            );
            refresh.emit(());
            wasm_bindgen_futures::spawn_local(async move {
                let r = backend::call(&backend::SyncNow {}).await;
                if let Err(e) = &r {
                    if e.code == Some(ProblemCode::DeviceRevoked) {
                        // This laptop's store is gone: start again, saying why.
                        go.emit(crate::app::Screen::FirstRun {
                            message: Some(e.message.clone()),
                        });
                        return;
                    }
                }
                problem.set(r.err());
                version.set(*version + 1);
                refresh.emit(());
            });
        })
    };
    let connect = {
        let (server, pass, problem, refresh) = (
            server.clone(),
            pass.clone(),
            problem.clone(),
            p.ctx.refresh_sync.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (s, pw) = (form::value(&server), form::value(&pass));
            form::set_value(&pass, "");
            let (problem, refresh) = (problem.clone(), refresh.clone());
            wasm_bindgen_futures::spawn_local(async move {
                problem.set(
                    backend::call(&backend::Connect {
                        server: s,
                        passphrase: pw,
                    })
                    .await
                    .err(),
                );
                refresh.emit(());
            });
        })
    };
    let pick = |id: Uuid, which: Keep| {
        let (version, problem, refresh) =
            (version.clone(), problem.clone(), p.ctx.refresh_sync.clone());
        Callback::from(move |_: MouseEvent| {
            let (id, version, problem, refresh) =
                (id, version.clone(), problem.clone(), refresh.clone());
            wasm_bindgen_futures::spawn_local(async move {
                problem.set(
                    backend::call(&backend::ResolveConflict {
                        conflict_id: id,
                        keep: which,
                    })
                    .await
                    .err(),
                );
                version.set(*version + 1);
                refresh.emit(());
            });
        })
    };
    let s = &p.ctx.sync;
    let pr = (*problem).clone();
    let side = |who: &backend::Side| {
        format!(
            "{}, {}",
            match (who.by_this_device, &who.by) {
                (true, _) => "this laptop".to_owned(),
                (false, Some(by)) => format!("{by} (device {})", who.device),
                (false, None) => format!("device {}", who.device),
            },
            who.written_at
                .as_ref()
                .map(form::local_time)
                .unwrap_or_else(|| "time unknown".into())
        )
    };
    html! {
        <section aria-labelledby="sync-title">
            <h1 id="sync-title">{ "Sync" }</h1>
            <StatusLine state={s.clone()} />
            if s.connected {
                <p>{ format!("Server: {}", s.server.clone().unwrap_or_default()) }</p>
                <button id="sync-now" onclick={sync_now} disabled={s.running}>{ if s.running { "Syncing…" } else { "Sync now" } }</button>
                <ErrorSummary problem={pr.clone()} fields={vec![]} />
            } else {
                <form onsubmit={connect} aria-labelledby="connect-title">
                    <h2 id="connect-title">{ "Connect to your organisation's server" }</h2>
                    <ErrorSummary problem={pr.clone()} fields={vec!["server", "passphrase"]} />
                    <Field name="server" label="Server address" node={server} problem={pr.clone()} required=true />
                    <Field name="passphrase" label="Your passphrase" kind={Kind::Password} node={pass} problem={pr.clone()} required=true />
                    <button type="submit">{ "Connect" }</button>
                </form>
            }
            <h2 id="conflicts-title">{ "Conflicts to review" }</h2>
            { match &*conflicts {
                None => html! { <p role="status">{ "Loading…" }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ e.to_string() }</p> },
                Some(Ok(list)) if list.is_empty() => html! { <p>{ "None: every change agrees." }</p> },
                Some(Ok(list)) => html! {
                    <ul class="conflicts" aria-labelledby="conflicts-title">
                        { for list.iter().map(|c| html! {
                            <li key={c.conflict.id.to_string()} class="conflict">
                                <p><strong>{ format!("{} · {} · {}", c.case_name.clone().unwrap_or_else(|| "Organisation".into()),
                                    form::words(&c.conflict.kind), form::words(&c.conflict.field)) }</strong></p>
                                <div class="sides">
                                    <div><h3>{ "Shown now" }</h3><p class="value">{ show_value(&c.conflict.kept_value) }</p>
                                        <p class="hint">{ side(&c.kept) }</p>
                                        <button onclick={pick(c.conflict.id, Keep::Shown)}>{ "Keep this" }</button></div>
                                    <div><h3>{ "The other edit" }</h3><p class="value">{ show_value(&c.conflict.lost_value) }</p>
                                        <p class="hint">{ side(&c.other) }</p>
                                        <button onclick={pick(c.conflict.id, Keep::Other)}>{ "Keep this instead" }</button></div>
                                </div>
                            </li>
                        }) }
                    </ul>
                },
            } }
            { match &*set_aside {
                Some(Ok(list)) if !list.is_empty() => html! {
                    <>
                    <h2 id="set-aside-title">{ "Not sent: cases taken from you" }</h2>
                    <p>{ "You wrote these in cases taken from you more than 30 days before this laptop could send them, so the server no longer takes them. They are kept here, on this laptop only: pass them to the case's keyworker another way." }</p>
                    <ul class="set-aside" id="set-aside" aria-labelledby="set-aside-title">
                        { for list.iter().map(|c| html! {
                            <li key={c.change_id.to_string()}>
                                <strong>{ form::words(&c.kind) }</strong>{ format!(" (set aside {})", form::local_time(&c.set_aside_at)) }
                                { for c.fields.iter().filter_map(|(f, v)| v.as_str().filter(|t| !t.is_empty()).map(|t| html! {
                                    <p class="detail">{ format!("{}: {t}", form::words(f)) }</p>
                                })) }
                            </li>
                        }) }
                    </ul>
                    </>
                },
                _ => html! {},
            } }
            <h2 id="refused-title">{ "Changes refused" }</h2>
            { match &*refused {
                None => html! {},
                Some(Err(e)) => html! { <p class="error" role="alert">{ e.to_string() }</p> },
                Some(Ok(list)) if list.is_empty() => html! { <p>{ "None: every change that reached this laptop passed its checks." }</p> },
                Some(Ok(list)) => html! {
                    <>
                    <p>{ "These changes reached this laptop but were tampered with or broke a rule, so they were not applied. Each is kept as it came: tell your administrator." }</p>
                    <ul class="refused" aria-labelledby="refused-title">
                        { for list.iter().map(|r| html! {
                            <li key={format!("{}-{}", r.log_id, r.seq)}>
                                <strong>{ form::local_time(&r.refused_at) }</strong>{ ": " }{ capitalised(&r.reason) }
                                <span class="hint">{ format!(" (change {})", r.change_id) }</span>
                            </li>
                        }) }
                    </ul>
                    </>
                },
            } }
            { match &*recipients {
                Some(Ok(list)) if !list.is_empty() => html! {
                    <>
                    <h2 id="recipients-title">{ "Recipients refused" }</h2>
                    <p>{ "The server asked this laptop to pass case keys to these keys, but no administrator confirmed whose they are, so none were passed. If a colleague is waiting for an admin to confirm them, this clears once they are; otherwise tell your administrator." }</p>
                    <ul class="refused" id="refused-recipients" aria-labelledby="recipients-title">
                        { for list.iter().map(|r| html! {
                            <li key={r.recipient_key.clone()}>
                                <strong>{ form::local_time(&r.last_refused_at) }</strong>{ ": " }{ capitalised(&r.reason) }
                                <span class="hint">{ format!(" (key {})", &r.recipient_key[..16.min(r.recipient_key.len())]) }</span>
                            </li>
                        }) }
                    </ul>
                    </>
                },
                Some(Err(e)) => html! { <p class="error" role="alert">{ e.to_string() }</p> },
                _ => html! {},
            } }
            { match &*keys {
                Some(Ok(list)) if !list.is_empty() => html! {
                    <>
                    <h2 id="keys-title">{ "Case keys held aside" }</h2>
                    <p>{ "These case keys reached this laptop without the signature of a colleague an administrator confirmed, so they were not opened and the cases stay under the keys they had. If a colleague is waiting for an admin to confirm them, their keys are taken once they are; otherwise tell your administrator." }</p>
                    <ul class="refused" id="refused-keys" aria-labelledby="keys-title">
                        { for list.iter().map(|k| html! {
                            <li key={format!("{}-{}-{}", k.log_id, k.epoch, k.refused_at)}>
                                <strong>{ form::local_time(&k.refused_at) }</strong>{ ": " }{ capitalised(&k.reason) }
                                <span class="hint">{ format!(" (case {}, key {})", form::short(&k.log_id), k.epoch) }</span>
                            </li>
                        }) }
                    </ul>
                    </>
                },
                Some(Err(e)) => html! { <p class="error" role="alert">{ e.to_string() }</p> },
                _ => html! {},
            } }
        </section>
    }
}

fn show_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "(empty)".into(),
        other => other.to_string(),
    }
}

/// "rewrites a saved note" → "Rewrites a saved note".
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
