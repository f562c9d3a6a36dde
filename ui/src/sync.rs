//! Sync: the status line in the bar, and the sync screen (connect, sync
//! now with progress, conflicts to review).

use crate::app::Ctx;
use crate::backend::{
    self, Answer, ConflictView, Keep, Problem, ProblemCode, RefusedChange, RefusedKey,
    RefusedRecipient, SyncState,
};
use crate::form::{self, ErrorSummary, Field, Kind};
use crate::l10n::Rich;
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
    let t = crate::l10n::use_texts();
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
        let when = who
            .written_at
            .as_ref()
            .map(form::local_time)
            .unwrap_or_else(|| t.text("sync-time-unknown"));
        let device = who.device.to_string();
        match (who.by_this_device, &who.by) {
            (true, _) => html! { { t.text_with("sync-side-here", &[("when", when.into())]) } },
            (false, Some(by)) => t.rich(
                "sync-side-by",
                &[("when", when.into())],
                &[("by", by), ("device", &device)],
            ),
            (false, None) => t.rich(
                "sync-side-device",
                &[("when", when.into())],
                &[("device", &device)],
            ),
        }
    };
    html! {
        <section aria-labelledby="sync-title">
            <h1 id="sync-title">{ t.text("nav-sync") }</h1>
            <StatusLine state={s.clone()} />
            if s.connected {
                <p>{ t.rich("sync-server", &[], &[("server", s.server.as_deref().unwrap_or_default())]) }</p>
                <button id="sync-now" onclick={sync_now} disabled={s.running}>{ if s.running { t.text("sync-syncing") } else { t.text("sync-now") } }</button>
                <ErrorSummary problem={pr.clone()} fields={vec![]} />
            } else {
                <form onsubmit={connect} aria-labelledby="connect-title">
                    <h2 id="connect-title">{ t.text("sync-connect-title") }</h2>
                    <ErrorSummary problem={pr.clone()} fields={vec!["server", "passphrase"]} />
                    <Field name="server" label={t.text("field-server")} node={server} problem={pr.clone()} required=true />
                    <Field name="passphrase" label={t.text("field-your-passphrase")} kind={Kind::Password} node={pass} problem={pr.clone()} required=true />
                    <button type="submit">{ t.text("sync-connect") }</button>
                </form>
            }
            <h2 id="conflicts-title">{ t.text("sync-conflicts-title") }</h2>
            { match &*conflicts {
                None => html! { <p role="status">{ t.text("loading") }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ t.problem_line(e) }</p> },
                Some(Ok(list)) if list.is_empty() => html! { <p>{ t.text("sync-conflicts-none") }</p> },
                Some(Ok(list)) => html! {
                    <ul class="conflicts" aria-labelledby="conflicts-title">
                        { for list.iter().map(|c| html! {
                            <li key={c.conflict.id.to_string()} class="conflict">
                                <p><strong>{ match &c.case_name {
                                    Some(n) => html! { <span translate="no">{ n.clone() }</span> },
                                    None => html! { { t.text("sync-organisation") } },
                                } }{ format!(" · {} · {}", t.term("record_kind", &c.conflict.kind), t.record_field(&c.conflict.field)) }</strong></p>
                                <div class="sides">
                                    <div><h3>{ t.text("sync-shown-now") }</h3>{ value(&t, &c.conflict, &c.conflict.kept_value) }
                                        <p class="hint">{ side(&c.kept) }</p>
                                        <button onclick={pick(c.conflict.id, Keep::Shown)}>{ t.text("sync-keep-this") }</button></div>
                                    <div><h3>{ t.text("sync-other-edit") }</h3>{ value(&t, &c.conflict, &c.conflict.lost_value) }
                                        <p class="hint">{ side(&c.other) }</p>
                                        <button onclick={pick(c.conflict.id, Keep::Other)}>{ t.text("sync-keep-other") }</button></div>
                                </div>
                            </li>
                        }) }
                    </ul>
                },
            } }
            { match &*set_aside {
                Some(Ok(list)) if !list.is_empty() => html! {
                    <>
                    <h2 id="set-aside-title">{ t.text("sync-set-aside-title") }</h2>
                    <p>{ t.text("sync-set-aside") }</p>
                    <ul class="set-aside" id="set-aside" aria-labelledby="set-aside-title">
                        { for list.iter().map(|c| html! {
                            <li key={c.change_id.to_string()}>
                                <strong>{ t.term("record_kind", &c.kind) }</strong>{ " " }{ t.text_with("sync-set-aside-at", &[("date", form::local_time(&c.set_aside_at).into())]) }
                                { for c.fields.iter().filter_map(|(f, v)| v.as_str().filter(|text| !text.is_empty()).map(|text| html! {
                                    <p class="detail">{ format!("{}: ", t.record_field(f)) }<span translate="no">{ text.to_owned() }</span></p>
                                })) }
                            </li>
                        }) }
                    </ul>
                    </>
                },
                _ => html! {},
            } }
            <h2 id="refused-title">{ t.text("sync-refused-title") }</h2>
            { match &*refused {
                None => html! {},
                Some(Err(e)) => html! { <p class="error" role="alert">{ t.problem_line(e) }</p> },
                Some(Ok(list)) if list.is_empty() => html! { <p>{ t.text("sync-refused-none") }</p> },
                Some(Ok(list)) => html! {
                    <>
                    <p>{ t.text("sync-refused-intro") }</p>
                    <ul class="refused" aria-labelledby="refused-title">
                        { for list.iter().map(|r| html! {
                            <li key={format!("{}-{}", r.log_id, r.seq)}>
                                <strong>{ form::local_time(&r.refused_at) }</strong>{ ": " }{ capitalised(&r.reason) }
                                <span class="hint">{ " " }{ t.text_with("sync-change-id", &[("id", r.change_id.to_string().into())]) }</span>
                            </li>
                        }) }
                    </ul>
                    </>
                },
            } }
            { match &*recipients {
                Some(Ok(list)) if !list.is_empty() => html! {
                    <>
                    <h2 id="recipients-title">{ t.text("sync-recipients-title") }</h2>
                    <p>{ t.text("sync-recipients") }</p>
                    <ul class="refused" id="refused-recipients" aria-labelledby="recipients-title">
                        { for list.iter().map(|r| html! {
                            <li key={r.recipient_key.clone()}>
                                <strong>{ form::local_time(&r.last_refused_at) }</strong>{ ": " }{ capitalised(&r.reason) }
                                <span class="hint">{ " " }{ t.text_with("sync-key-id", &[("key", r.recipient_key[..16.min(r.recipient_key.len())].into())]) }</span>
                            </li>
                        }) }
                    </ul>
                    </>
                },
                Some(Err(e)) => html! { <p class="error" role="alert">{ t.problem_line(e) }</p> },
                _ => html! {},
            } }
            { match &*keys {
                Some(Ok(list)) if !list.is_empty() => html! {
                    <>
                    <h2 id="keys-title">{ t.text("sync-keys-title") }</h2>
                    <p>{ t.text("sync-keys") }</p>
                    <ul class="refused" id="refused-keys" aria-labelledby="keys-title">
                        { for list.iter().map(|k| html! {
                            <li key={format!("{}-{}-{}", k.log_id, k.epoch, k.refused_at)}>
                                <strong>{ form::local_time(&k.refused_at) }</strong>{ ": " }{ capitalised(&k.reason) }
                                <span class="hint">{ " " }{ t.text_with("sync-case-key", &[("case", form::short(&k.log_id).into()), ("epoch", k.epoch.into())]) }</span>
                            </li>
                        }) }
                    </ul>
                    </>
                },
                Some(Err(e)) => html! { <p class="error" role="alert">{ t.problem_line(e) }</p> },
                _ => html! {},
            } }
        </section>
    }
}

/// A side's value: a vocabulary's value in words, what people wrote as
/// written (marked so that nothing translates it).
fn value(
    t: &waymark_l10n::Texts,
    conflict: &waymark_model::views::Conflict,
    v: &serde_json::Value,
) -> Html {
    let vocabulary = waymark_model::vocab::field_vocabulary(&conflict.kind, &conflict.field);
    match (vocabulary, v) {
        (Some(vocabulary), serde_json::Value::String(s)) => {
            html! { <p class="value">{ t.term(vocabulary, s) }</p> }
        }
        _ => html! { <p class="value" translate="no">{ show_value(t, v) }</p> },
    }
}

fn show_value(t: &waymark_l10n::Texts, v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => t.text("sync-empty"),
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
