//! Moderation pages, served as plain HTML (no wasm): the moderators' review queue
//! (`/moderation`), the public log (`/moderation/log`) and the admins' settings
//! (`/moderation/settings`).

use gongzhi_domain::model::moderation::{Action, ItemKind, LogEntry, Mode, QueueEntry, Reason};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::moderation::{
    moderation_log, moderation_queue, moderation_settings, AddWord, ClaimItem, LiftSuspension,
    RemoveWord, SetMode, SuspendUser,
};
use crate::components::form::{action_error, ErrorSignal};
use crate::components::moderation::{came_back, fitting_actions, typed, ErrorLine, ModerateForm};
use crate::i18n::{action_name, cause_name, kind_name, msg, reason_name, t, use_lang, Lang};
use crate::pages::LoadError;
use crate::util::local_datetime;

fn visibility_name(v: gongzhi_domain::model::deliberation::Visibility) -> crate::i18n::Msg {
    use gongzhi_domain::model::deliberation::Visibility as V;
    match v {
        V::Visible => msg::VIS_VISIBLE,
        V::Held => msg::VIS_HELD,
        V::Hidden => msg::VIS_HIDDEN,
    }
}

fn moderation_nav(lang: Lang, admin: bool, here: &'static str) -> impl IntoView {
    let current = move |path: &str| (path == here).then_some("page");
    view! {
        <nav class="tabs" aria-label=msg::NAV_MODERATION.get(lang)>
            <a href="/moderation" aria-current=current("/moderation")>{msg::MOD_QUEUE_TITLE.get(lang)}</a>
            <a href="/moderation/log">{msg::MOD_LOG_TITLE.get(lang)}</a>
            {admin.then(|| view! {
                <a href="/moderation/settings" aria-current=current("/moderation/settings")>{msg::MOD_SETTINGS_TITLE.get(lang)}</a>
            })}
        </nav>
    }
}

/// `/moderation`: what waits for a moderator, oldest first.
#[component]
pub fn ModerationQueuePage() -> impl IntoView {
    let lang = use_lang();
    let queue = Resource::new(|| (), |_| moderation_queue());
    view! {
        <Title text=t(msg::MOD_QUEUE_TITLE)/>
        <h1>{t(msg::MOD_QUEUE_TITLE)}</h1>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || queue.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(q) => view! {
                    {moderation_nav(lang, q.admin, "/moderation")}
                    <p class="hint">{t(msg::MOD_QUEUE_INTRO)}</p>
                    {if q.entries.is_empty() {
                        view! { <p>{t(msg::MOD_QUEUE_EMPTY)}</p> }.into_any()
                    } else {
                        let admin = q.admin;
                        view! {
                            <ol class="queue">
                                {q.entries.into_iter().map(|e| view! { <QueueItem e admin/> }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                    <Suspended list=q.suspended admin=q.admin/>
                }.into_any(),
            })}
        </Transition>
    }
}

/// One item of the queue with its context and the forms to decide it.
#[component]
fn QueueItem(e: QueueEntry, admin: bool) -> impl IntoView {
    let lang = use_lang();
    let claim = ServerAction::<ClaimItem>::new();
    let target = format!("claim-{}-{}", e.kind.as_str(), e.item_id);
    let here = came_back(&target);
    let claim_all = action_error(claim);
    let claim_error: ErrorSignal = Signal::derive(move || claim_all.get().filter(|_| here));
    let appealed = e.appeal.is_some();
    let actions = fitting_actions(e.kind, e.visibility, e.locked, appealed, e.blurred);
    let anchor = format!("q-{}-{}", e.kind.as_str(), e.item_id);
    view! {
        <li class="card queue-item" id=anchor.clone() aria-labelledby=format!("{anchor}-h")>
            <h2 id=format!("{anchor}-h")>
                {kind_name(e.kind).get(lang)}" #"{e.item_id}
                {(!e.title.is_empty()).then(|| format!(" · {}", e.title))}
            </h2>
            <dl class="facts">
                <dt>{t(msg::MOD_CAUSE)}</dt><dd>{cause_name(e.cause).get(lang)}" · "{local_datetime(e.queued_at)}</dd>
                <dt>{t(msg::MOD_STATE)}</dt><dd>
                    {visibility_name(e.visibility).get(lang)}
                    {e.locked.then(|| format!(" · {}", msg::LOCKED.get(lang)))}
                    {e.blurred.then(|| format!(" · {}", msg::BLURRED.get(lang)))}
                </dd>
                <dt>{t(msg::MOD_AUTHOR)}</dt><dd>
                    {e.author_name.clone().unwrap_or_else(|| "—".into())}
                    " · "{t(msg::MOD_AUTHOR_HIDDEN)}": "{e.author_hidden}
                    {e.author_suspended.then(|| view! { " · "<strong>{t(msg::MOD_AUTHOR_SUSPENDED)}</strong> })}
                </dd>
            </dl>
            <blockquote class="queue-content">
                {(!e.body_html.is_empty()).then(|| view! { <div class="markdown" inner_html=e.body_html.clone()></div> })}
                {(!e.body_text.is_empty()).then(|| view! { <p>{e.body_text.clone()}</p> })}
                {e.photo_url.clone().map(|u| view! { <img src=u alt=msg::KIND_PHOTO.get(lang) class="queue-photo"/> })}
            </blockquote>
            <p><a href=e.link.clone()>{t(msg::MOD_CONTEXT)}</a></p>
            {(!e.flags.is_empty()).then(|| view! {
                <h3>{t(msg::MOD_FLAGS)}</h3>
                <ul class="flag-counts">
                    {e.flags.iter().map(|f| view! {
                        <li>{reason_name(f.reason).get(lang)}" × "{f.count}
                            {(!f.notes.is_empty()).then(|| view! {
                                <ul>{f.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {e.appeal.clone().map(|a| view! {
                <h3>{t(msg::MOD_APPEAL)}</h3>
                <blockquote><p>{a}</p></blockquote>
            })}
            {match (e.claimed_by_me, e.claimed_by.clone()) {
                (true, _) => view! { <p class="badge">{t(msg::MOD_CLAIMED_BY_ME)}</p> }.into_any(),
                (false, Some(name)) => view! { <p class="alert">{t(msg::MOD_CLAIMED_BY)}{name}</p> }.into_any(),
                (false, None) => view! {
                    <ActionForm action=claim attr:class="inline-form">
                        <ErrorLine error=claim_error fields=&["item"]/>
                        <input type="hidden" name="kind" value=e.kind.as_str()/>
                        <input type="hidden" name="id" value=e.item_id.to_string()/>
                        <input type="hidden" name="target" value=target.clone()/>
                        <button type="submit" class="btn btn-small">{t(msg::MOD_CLAIM)}</button>
                    </ActionForm>
                }.into_any(),
            }}
            <ModerateForm kind=e.kind id=e.item_id actions open=e.claimed_by_me/>
            {e.author_id.map(|uid| view! { <SuspendForm user_id=uid suspended=e.author_suspended admin/> })}
        </li>
    }
    .into_any()
}

/// Who is suspended now, why, until when, and by whom, with a way to lift it.
#[component]
fn Suspended(
    list: Vec<gongzhi_domain::model::moderation::SuspendedUser>,
    admin: bool,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section aria-labelledby="suspended-h">
            <h2 id="suspended-h">{t(msg::SUSPENDED_USERS)}</h2>
            {if list.is_empty() {
                view! { <p>{t(msg::SUSPENDED_NONE)}</p> }.into_any()
            } else {
                view! {
                    <ul class="suspended">
                        {list.into_iter().map(|s| {
                            let lift = ServerAction::<LiftSuspension>::new();
                            let until = match s.suspension.ends_at {
                                Some(t) => format!("{}{}", msg::SUSPENDED_UNTIL.get(lang), local_datetime(t)),
                                None => msg::SUSPENDED_BANNED.get(lang).to_string(),
                            };
                            let liftable = admin || s.suspension.ends_at.is_some();
                            view! {
                                <li class="card">
                                    <p><strong>{s.name.clone()}</strong>" · "{until}</p>
                                    <p class="muted">{reason_name(s.suspension.reason).get(lang)}
                                        {(!s.suspension.note.is_empty()).then(|| format!(" · {}", s.suspension.note))}
                                        {s.by.clone().map(|b| format!(" · {b}"))}" · "{local_datetime(s.since)}</p>
                                    {liftable.then(|| view! {
                                        <ActionForm action=lift attr:class="inline-form">
                                            <input type="hidden" name="user_id" value=s.user_id.to_string()/>
                                            <button type="submit" class="btn btn-small"
                                                aria-label=format!("{} {}", msg::LIFT_SUSPENSION.get(lang), s.name)>{t(msg::LIFT_SUSPENSION)}</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// Suspend an item's author from posting (or lift it).
#[component]
fn SuspendForm(user_id: i64, suspended: bool, admin: bool) -> impl IntoView {
    let lang = use_lang();
    if suspended {
        let lift = ServerAction::<LiftSuspension>::new();
        return view! {
            <ActionForm action=lift attr:class="inline-form">
                <input type="hidden" name="user_id" value=user_id.to_string()/>
                <button type="submit" class="btn btn-small">{t(msg::LIFT_SUSPENSION)}</button>
            </ActionForm>
        }
        .into_any();
    }
    let action = ServerAction::<SuspendUser>::new();
    let target = format!("suspend-{user_id}");
    let here = came_back(&target);
    let all = action_error(action);
    let error: ErrorSignal = Signal::derive(move || all.get().filter(|_| here));
    let prefix = format!("u{user_id}-suspend");
    let (reason_id, days_id, note_id) = (
        format!("{prefix}-reason"),
        format!("{prefix}-days"),
        format!("{prefix}-note"),
    );
    view! {
        <details class="suspend" open=here>
            <summary>{t(msg::SUSPEND_TITLE)}</summary>
            <ActionForm action=action attr:class="stack">
                <ErrorLine error=error fields=&["user", "reason", "days", "note"]/>
                <input type="hidden" name="user_id" value=user_id.to_string()/>
                <input type="hidden" name="target" value=target/>
                <div class="field">
                    <label for=reason_id.clone()>{t(msg::LOG_REASON)}</label>
                    <select id=reason_id name="reason" required=true>
                        {Reason::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{reason_name(r).get(lang)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=days_id.clone()>{t(msg::SUSPEND_DAYS)}</label>
                    <p class="hint">{t(msg::SUSPEND_DAYS_HINT)}</p>
                    <input id=days_id name="days" type="number" min="1" max="365" inputmode="numeric" value="7" required=!admin/>
                </div>
                <div class="field">
                    <label for=note_id.clone()>{t(msg::SUSPEND_NOTE)}</label>
                    <textarea id=note_id name="note" rows="2" maxlength="500">{typed("suspend_note", here)}</textarea>
                </div>
                <button type="submit" class="btn btn-small">{t(msg::SUSPEND_SUBMIT)}</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// `/moderation/log`: every moderation action, newest first, public.
#[component]
pub fn ModerationLogPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let before = move || {
        query
            .read()
            .get("before")
            .and_then(|b| b.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let page = Resource::new(before, moderation_log);
    view! {
        <Title text=t(msg::MOD_LOG_TITLE)/>
        <h1>{t(msg::MOD_LOG_TITLE)}</h1>
        <p class="hint">{t(msg::MOD_LOG_INTRO)}</p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || page.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(p) if p.entries.is_empty() => view! { <p>{t(msg::MOD_LOG_EMPTY)}</p> }.into_any(),
                Ok(p) => view! {
                    <div class="table-wrap">
                        <table class="log">
                            <caption class="visually-hidden">{t(msg::MOD_LOG_TITLE)}</caption>
                            <thead><tr>
                                <th scope="col">{t(msg::LOG_WHEN)}</th>
                                <th scope="col">{t(msg::LOG_WHAT)}</th>
                                <th scope="col">{t(msg::LOG_ACTION)}</th>
                                <th scope="col">{t(msg::LOG_REASON)}</th>
                                <th scope="col">{t(msg::LOG_WHO)}</th>
                            </tr></thead>
                            <tbody>
                                {p.entries.into_iter().map(|e| log_row(e, lang)).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <p class="pager">
                        {(before() > 0).then(|| view! { <a href="/moderation/log">{t(msg::LOG_NEWEST)}</a>" " })}
                        {p.next.map(|n| view! { <a class="btn" href=format!("/moderation/log?before={n}")>{t(msg::LOG_OLDER)}</a> })}
                    </p>
                }.into_any(),
            })}
        </Transition>
    }
}

fn log_row(e: LogEntry, lang: Lang) -> impl IntoView {
    let what = match (&e.link, e.kind) {
        (_, ItemKind::Account) => view! { {kind_name(e.kind).get(lang)} }.into_any(),
        (Some(l), _) => {
            view! { <a href=l.clone()>{kind_name(e.kind).get(lang)}" #"{e.item_id}</a> }.into_any()
        }
        (None, _) => view! { {kind_name(e.kind).get(lang)}" #"{e.item_id} }.into_any(),
    };
    let mut reason = match (e.reason, e.cause) {
        (Some(r), _) => reason_name(r).get(lang).to_string(),
        (None, Some(c)) => cause_name(c).get(lang).to_string(),
        (None, None) => String::new(),
    };
    // A suspension's note is its length in days; other notes are the moderator's words.
    let note = match e.action {
        Action::Suspend if !e.note.is_empty() => format!("{} {}", e.note, msg::LOG_DAYS.get(lang)),
        _ => e.note.clone(),
    };
    if !note.is_empty() {
        if !reason.is_empty() {
            reason.push_str(" · ");
        }
        reason.push_str(&note);
    }
    view! {
        <tr>
            <td>{local_datetime(e.at)}</td>
            <td>{what}</td>
            <td>{action_name(e.action).get(lang)}</td>
            <td>{reason}</td>
            <td>{e.moderator.clone().unwrap_or_else(|| msg::LOG_AUTOMATIC.get(lang).to_string())}</td>
        </tr>
    }
}

/// `/moderation/settings`: the word list and pre-moderation, for admins.
#[component]
pub fn ModerationSettingsPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| moderation_settings());
    let add = ServerAction::<AddWord>::new();
    let add_error = action_error(add);
    view! {
        <Title text=t(msg::MOD_SETTINGS_TITLE)/>
        <h1>{t(msg::MOD_SETTINGS_TITLE)}</h1>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(s) => view! {
                    {moderation_nav(lang, true, "/moderation/settings")}
                    <section aria-labelledby="rules-h" class="card">
                        <h2 id="rules-h">{t(msg::MOD_RULES)}</h2>
                        <dl class="facts">
                            <dt>{t(msg::MOD_RULE_FLAGS)}</dt><dd>{s.flags_to_hold}</dd>
                            <dt>{t(msg::MOD_RULE_NEW)}</dt><dd>
                                {if s.hold_new_accounts { s.new_account_posts.to_string() } else { msg::MOD_RULE_OFF.get(lang).to_string() }}
                            </dd>
                        </dl>
                    </section>
                    <section aria-labelledby="words-h" class="card">
                        <h2 id="words-h">{t(msg::WORDS_TITLE)}</h2>
                        <p class="hint">{t(msg::WORDS_HINT)}</p>
                        {if s.words.is_empty() {
                            view! { <p>{t(msg::WORDS_EMPTY)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="words">
                                    {s.words.into_iter().map(|(id, w)| view! { <WordItem id word=w/> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <ActionForm action=add attr:class="stack">
                            <ErrorLine error=add_error fields=&["word"]/>
                            <div class="field">
                                <label for="new-word">{t(msg::WORD)}</label>
                                <div class="row">
                                    <input id="new-word" name="word" maxlength="100" required=true/>
                                    <button type="submit" class="btn">{t(msg::WORD_ADD)}</button>
                                </div>
                            </div>
                        </ActionForm>
                    </section>
                    <section aria-labelledby="modes-h" class="card">
                        <h2 id="modes-h">{t(msg::MODE_QA)}</h2>
                        <ModeForm process=0 label=msg::MODE_QA.get(lang).to_string() mode=s.qa_mode/>
                        <h2>{t(msg::MODE_PROCESSES)}</h2>
                        <ul class="modes">
                            {s.processes.into_iter().map(|(id, title, mode)| view! {
                                <li><ModeForm process=id label=title mode/></li>
                            }).collect_view()}
                        </ul>
                    </section>
                }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn WordItem(id: i64, word: String) -> impl IntoView {
    let remove = ServerAction::<RemoveWord>::new();
    view! {
        <li>
            <span>{word.clone()}</span>" "
            <ActionForm action=remove attr:class="inline-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <button type="submit" class="btn btn-small" aria-label=format!("{} {word}", t(msg::WORD_REMOVE))>{t(msg::WORD_REMOVE)}</button>
            </ActionForm>
        </li>
    }
}

/// Pre- or post-moderation for one process (or for Q&A, `process` 0).
#[component]
fn ModeForm(process: i64, label: String, mode: Mode) -> impl IntoView {
    let set = ServerAction::<SetMode>::new();
    let sid = format!("mode-{process}");
    view! {
        <ActionForm action=set attr:class="row mode-form">
            <input type="hidden" name="process" value=process.to_string()/>
            <label for=sid.clone()>{label}</label>
            <select id=sid name="mode">
                <option value="post" selected=mode == Mode::Post>{t(msg::MODE_POST)}</option>
                <option value="pre" selected=mode == Mode::Pre>{t(msg::MODE_PRE)}</option>
            </select>
            <button type="submit" class="btn btn-small">{t(msg::MODE_SET)}</button>
        </ActionForm>
    }
}
