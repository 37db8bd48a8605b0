//! The case bridge's back office: API keys for other software (Open311), and the job queue
//! with what is waiting, failing or dead, and a retry for each.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::cases::{api_keys, jobs, IssueApiKey, RetryJob, RevokeApiKey};
use crate::components::form::{action_error, Field, FormAlert, Submit};
use crate::i18n::{msg, t, use_lang, Msg};
use crate::pages::admin_catalog::AdminTabs;
use crate::pages::LoadError;
use crate::util::local_datetime;

#[component]
pub fn AdminApiKeysPage() -> impl IntoView {
    let lang = use_lang();
    let issue = ServerAction::<IssueApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let error = action_error(issue);
    let pending = issue.pending().into();
    let keys = Resource::new(
        move || (issue.version().get(), revoke.version().get()),
        |_| api_keys(),
    );
    let issued = move || issue.value().get().and_then(|r| r.ok());
    // An empty name field after each key issued (a refused form keeps what was typed).
    let name_input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if issued().is_some() {
            if let Some(input) = name_input.get_untracked() {
                input.set_value("");
            }
        }
    });
    view! {
        <Title text=t(msg::ADMIN_KEYS_TITLE)/>
        <AdminTabs/>
        <h1>{t(msg::ADMIN_KEYS_TITLE)}</h1>
        <p>{t(msg::ADMIN_KEYS_INTRO)}" "
            <a href="/open311/v2/discovery.json" rel="external">"discovery.json"</a>" · "
            <a href="/open311/v2/openapi.json" rel="external">"openapi.json"</a>
        </p>
        <div class="alert alert-success" role="status" hidden=move || issued().is_none()>
            <p>{t(msg::KEY_ISSUED)}</p>
            <p><code class="secret" data-testid="new-key">{move || issued().map(|k| k.key)}</code></p>
        </div>
        <ActionForm action=issue attr:class="stack" attr:novalidate=true>
            <FormAlert error/>
            <Field name="name" label=msg::KEY_NAME hint=msg::KEY_NAME_HINT required=true maxlength=100 node_ref=name_input error/>
            <Submit label=msg::ISSUE_KEY pending/>
        </ActionForm>
        <h2>{t(msg::KEYS_LIST)}</h2>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || keys.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p>{t(msg::NO_KEYS)}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="admin-list">
                        {list.into_iter().map(|k| {
                            let live = k.revoked_at.is_none();
                            view! {
                                <li class="admin-row">
                                    <strong>{k.name}</strong>" "<code>{format!("{}…", k.key_prefix)}</code>
                                    <span class="muted">
                                        " · "{msg::ISSUED_AT.get(lang)}" "{local_datetime(k.created_at)}
                                        " · "{msg::LAST_USED.get(lang)}" "
                                        {k.last_used_at.map(local_datetime).unwrap_or_else(|| msg::NEVER_USED.get(lang).to_string())}
                                    </span>
                                    {match k.revoked_at {
                                        Some(at) => view! { <span class="badge">{msg::REVOKED.get(lang)}" "{local_datetime(at)}</span> }.into_any(),
                                        None => ().into_any(),
                                    }}
                                    {live.then(|| view! {
                                        <ActionForm action=revoke attr:class="inline">
                                            <input type="hidden" name="id" value=k.id/>
                                            <button type="submit" class="btn btn-small">{msg::REVOKE.get(lang)}</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Transition>
    }
}

const VIEWS: [(&str, Msg); 4] = [
    ("failing", msg::JOBS_FAILING),
    ("dead", msg::JOBS_DEAD),
    ("queued", msg::JOBS_QUEUED),
    ("running", msg::JOBS_RUNNING),
];

#[component]
pub fn AdminJobsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let view_name = move || {
        let v = query.read().get("view").unwrap_or_default();
        if VIEWS.iter().any(|(n, _)| *n == v) {
            v
        } else {
            "failing".to_string()
        }
    };
    let retry = ServerAction::<RetryJob>::new();
    let data = Resource::new(
        move || (view_name(), retry.version().get()),
        |(v, _)| jobs(v),
    );
    view! {
        <Title text=t(msg::ADMIN_JOBS_TITLE)/>
        <AdminTabs/>
        <h1>{t(msg::ADMIN_JOBS_TITLE)}</h1>
        <p>{t(msg::JOBS_INTRO)}</p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(page) => {
                    let current = view_name();
                    let c = page.counts.clone();
                    let count = move |v: &str| match v {
                        "failing" => c.failing,
                        "dead" => c.dead,
                        "queued" => c.queued - c.failing,
                        _ => c.running,
                    };
                    view! {
                        <p class="muted">{msg::CONNECTOR.get(lang)}": "<code>{page.connector.clone()}</code></p>
                        <nav class="tabs" aria-label=msg::ADMIN_JOBS_TITLE.get(lang)>
                            {VIEWS.iter().map(|(v, label)| {
                                let here = current == *v;
                                view! {
                                    // A plain link: the router's <A> marks every view of the
                                    // same path as current (it ignores the query).
                                    <a href=format!("/admin/jobs?view={v}") aria-current=here.then_some("page")>
                                        {label.get(lang)}" ("{count(v)}")"
                                    </a>
                                }
                            }).collect_view()}
                        </nav>
                        {if page.jobs.is_empty() {
                            view! { <p>{t(msg::NO_JOBS)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="admin-list jobs">
                                    {page.jobs.into_iter().map(|j| {
                                        let what = job_label(&j.kind, &j.payload, lang);
                                        let can_retry = j.state == "dead" || j.state == "queued";
                                        view! {
                                            <li class="admin-row job">
                                                <strong>{what}</strong>
                                                <span class="muted">
                                                    " · #"{j.id}" · "{msg::ATTEMPTS.get(lang)}" "{j.attempts}"/"{j.max_attempts}
                                                    {(j.state == "queued").then(|| format!(" · {} {}", msg::NEXT_TRY.get(lang), local_datetime(j.run_at)))}
                                                </span>
                                                {(!j.last_error.is_empty()).then(|| view! {
                                                    <p class="job-error">{msg::LAST_ERROR.get(lang)}": "{j.last_error.clone()}</p>
                                                })}
                                                {can_retry.then(|| view! {
                                                    <ActionForm action=retry attr:class="inline">
                                                        <input type="hidden" name="id" value=j.id/>
                                                        <button type="submit" class="btn btn-small">{msg::RETRY_NOW.get(lang)}</button>
                                                    </ActionForm>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// What a job does, in words, with a link where it concerns a report.
fn job_label(kind: &str, payload: &str, lang: crate::i18n::Lang) -> AnyView {
    let v: serde_json::Value = serde_json::from_str(payload).unwrap_or_default();
    match kind {
        "forward_report" => {
            let id = v["report_id"].as_i64().unwrap_or_default();
            view! {
                {msg::JOB_FORWARD.get(lang)}" "
                <a href=format!("/reports/{id}") rel="external">{format!("#{id}")}</a>
            }
            .into_any()
        }
        "send_mail" => view! { {msg::JOB_MAIL.get(lang)} }.into_any(),
        other => view! { <code>{other.to_string()}</code> }.into_any(),
    }
}
