//! The end of a deliberation on its pages: the department's answers on a proposal (with
//! progress for an implementation), the form officials answer with, merging a duplicate,
//! the process's closing report, and following a process or a proposal. Plain HTML forms,
//! like the rest of the deliberation pages.

use gongzhi_domain::model::deliberation::{
    Outcome, OutcomeEntry, Phase, ProcessDetail, ProposalRef, CLOSING_REPORT_MAX, OUTCOME_BODY_MAX,
};
use leptos::prelude::*;

use crate::api::deliberation::{AnswerProposal, Follow, MergeProposal, PublishClosingReport};
use crate::components::form::{action_error, Field, FormAlert, TextArea};
use crate::error::problem_text;
use crate::i18n::{msg, outcome_name, t, use_lang};
use crate::util::local_datetime;

/// Follow or stop following a process or a proposal (`kind`).
#[component]
pub fn FollowButton(kind: &'static str, id: i64, following: bool) -> impl IntoView {
    let action = ServerAction::<Follow>::new();
    let error = action_error(action);
    // After a post with wasm, the new state; without, the page comes back reloaded.
    let now_following = move || match action.value().get() {
        Some(Ok(())) => !following,
        _ => following,
    };
    view! {
        <ActionForm action attr:class="inline-form follow-form">
            <FormAlert error/>
            <input type="hidden" name="kind" value=kind/>
            <input type="hidden" name="id" value=id.to_string()/>
            <input type="hidden" name="on" value=move || (!now_following()).to_string()/>
            <button type="submit" class="btn" class:btn-on=now_following aria-pressed=move || now_following().to_string()>
                {move || if now_following() { t(msg::UNFOLLOW) } else { t(msg::FOLLOW_DELIB) }}
            </button>
            {move || now_following().then(|| view! { <p class="hint">{t(msg::FOLLOWING_DELIB_NOTE)}</p> })}
        </ActionForm>
    }
}

/// The department's answers on a proposal: the newest as its outcome, earlier ones below.
#[component]
pub fn OutcomeSection(outcomes: Vec<OutcomeEntry>, department: String) -> impl IntoView {
    let lang = use_lang();
    let mut outcomes = outcomes;
    let Some(latest) = outcomes.pop() else {
        return ().into_any();
    };
    outcomes.reverse();
    view! {
        <section class="card outcome" aria-labelledby="outcome-title">
            <h2 id="outcome-title">{t(msg::OUTCOME_TITLE)}</h2>
            <OutcomeBody entry=latest department=department.clone()/>
            {(!outcomes.is_empty()).then(|| view! {
                <details>
                    <summary>{msg::OUTCOME_EARLIER.get(lang)}" ("{outcomes.len()}")"</summary>
                    <ol class="outcome-history">
                        {outcomes.into_iter().map(|o| view! { <li><OutcomeBody entry=o department=department.clone()/></li> }).collect_view()}
                    </ol>
                </details>
            })}
        </section>
    }
    .into_any()
}

#[component]
fn OutcomeBody(entry: OutcomeEntry, department: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="report-meta">
            <span class=format!("badge badge-outcome-{}", entry.outcome.as_str())>{outcome_name(entry.outcome).get(lang)}</span>
            " "<span class="muted">{department}" · "
                <time datetime=entry.created_at.to_rfc3339()>{local_datetime(entry.created_at)}</time></span>
        </p>
        {entry.progress.map(|p| view! {
            <p class="progress-line">
                <label>{msg::OUTCOME_PROGRESS.get(lang)}" "
                    <progress max="100" value=p.to_string()>{format!("{p}%")}</progress>
                </label>
                " "<strong>{format!("{p}%")}</strong>
            </p>
        })}
        <div class="markdown" inner_html=entry.body_html></div>
    }
}

/// An official's answer on a proposal.
#[component]
pub fn AnswerForm(id: i64) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<AnswerProposal>::new();
    let error = action_error(action);
    let problem = move || {
        error
            .get()
            .and_then(|e| e.field("outcome").cloned())
            .map(|p| problem_text(&p, lang))
    };
    #[cfg(feature = "ssr")]
    let typed = crate::state::typed_value("outcome").unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let typed = String::new();
    view! {
        <details class="card" open=error.get_untracked().is_some()>
            <summary>{t(msg::ANSWER_FORM_TITLE)}</summary>
            <p class="hint">{t(msg::ANSWER_FORM_HINT)}</p>
            <ActionForm action attr:class="stack">
                <FormAlert error/>
                <input type="hidden" name="id" value=id.to_string()/>
                <fieldset class="stance-choice" aria-describedby="outcome-error">
                    <legend>{t(msg::F_OUTCOME)}</legend>
                    {Outcome::ALL.into_iter().map(|o| {
                        let rid = format!("outcome-{}", o.as_str());
                        view! {
                            <label class="check" for=rid.clone()>
                                <input type="radio" id=rid.clone() name="outcome" value=o.as_str() required=true
                                    checked=typed == o.as_str()/>" "{outcome_name(o).get(lang)}
                            </label>
                        }
                    }).collect_view()}
                    <p class="field-error" id="outcome-error" hidden=move || problem().is_none()>{problem}</p>
                </fieldset>
                <TextArea name="answer" label=msg::F_OUTCOME_BODY hint=msg::F_MARKDOWN_HINT required=true maxlength=OUTCOME_BODY_MAX rows=5 error/>
                <Field name="progress" label=msg::F_PROGRESS hint=msg::F_PROGRESS_HINT input_type="number" error/>
                <button type="submit" class="btn btn-primary">{t(msg::ANSWER_SUBMIT)}</button>
            </ActionForm>
        </details>
    }
}

/// An official merges a duplicate into another proposal of the same process.
#[component]
pub fn MergeForm(id: i64, targets: Vec<ProposalRef>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<MergeProposal>::new();
    let error = action_error(action);
    let problem = move || {
        error
            .get()
            .and_then(|e| e.field("into").cloned())
            .map(|p| problem_text(&p, lang))
    };
    if targets.is_empty() {
        return ().into_any();
    }
    view! {
        <details class="card">
            <summary>{t(msg::MERGE_TITLE)}</summary>
            <p class="hint" id="merge-hint">{t(msg::MERGE_HINT)}</p>
            <ActionForm action attr:class="stack">
                <FormAlert error/>
                <input type="hidden" name="id" value=id.to_string()/>
                <div class="field">
                    <label for="f-into">{t(msg::F_MERGE_INTO)}</label>
                    <select id="f-into" name="into" required=true aria-describedby="merge-hint f-into-error">
                        <option value="">{msg::CHOOSE.get(lang)}</option>
                        {targets.into_iter().map(|x| view! {
                            <option value=x.id.to_string()>{format!("#{} {}", x.id, x.title)}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="f-into-error" hidden=move || problem().is_none()>{problem}</p>
                </div>
                <button type="submit" class="btn">{t(msg::MERGE_SUBMIT)}</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// The process's closing report, and for its officials the form to publish or correct it
/// (from the decision phase on).
#[component]
pub fn ClosingReport(process: ProcessDetail, phase: Phase, can_manage: bool) -> impl IntoView {
    let lang = use_lang();
    let published = process.closing_report_at;
    let may_publish = can_manage && matches!(phase, Phase::Decision | Phase::Closed);
    if published.is_none() && !may_publish {
        return ().into_any();
    }
    let action = ServerAction::<PublishClosingReport>::new();
    let error = action_error(action);
    view! {
        <section class="card closing-report" aria-labelledby="closing-report-title">
            <h2 id="closing-report-title">{t(msg::CLOSING_REPORT)}</h2>
            {published.map(|at| view! {
                <p class="muted">{msg::PUBLISHED_AT.get(lang)}" "<time datetime=at.to_rfc3339()>{local_datetime(at)}</time></p>
                <div class="markdown" inner_html=process.closing_report_html.clone()></div>
            })}
            {may_publish.then(|| view! {
                <details open=error.get_untracked().is_some()>
                    <summary>{if published.is_some() { t(msg::CLOSING_REPORT_EDIT) } else { t(msg::CLOSING_REPORT_PUBLISH) }}</summary>
                    <ActionForm action attr:class="stack">
                        <FormAlert error/>
                        <input type="hidden" name="id" value=process.id.to_string()/>
                        <TextArea name="report" label=msg::F_REPORT hint=msg::CLOSING_REPORT_HINT required=true
                            maxlength=CLOSING_REPORT_MAX rows=8 value=process.closing_report.clone() error/>
                        <button type="submit" class="btn btn-primary">{t(msg::CLOSING_REPORT_PUBLISH)}</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
    .into_any()
}
