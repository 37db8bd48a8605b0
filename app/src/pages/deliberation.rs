//! E-deliberation pages, served as plain HTML (no wasm): the processes (`/deliberation`),
//! one process with its phases and proposals (`/deliberation/:id`), the process form for
//! officials and admins (`/deliberation/new`, `/deliberation/:id/edit`), and one proposal
//! (`/proposals/:id`) with support and, for its author, the edit form.

use gongzhi_domain::model::deliberation::{
    Comment, CommentOrder, CommentPage, CommentState, Phase, ProcessView, ProposalOrder, Stance,
    Visibility, COMMENT_MAX, PROCESS_BODY_MAX, PROCESS_SUMMARY_MAX, PROCESS_TITLE_MAX,
    PROPOSAL_BODY_MAX, PROPOSAL_TITLE_MAX,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::deliberation::{
    get_process, get_proposal, list_processes, process_form, CreateProposal, DeleteComment,
    EditComment, EditProposal, MapView, PostComment, SaveProcess, SupportProposal, VoteComment,
};
use crate::components::form::{action_error, ErrorSignal, Field, FormAlert, TextArea};
use crate::components::image::{ImageUpload, Picture, Thumb};
use crate::components::moderation::{
    fitting_actions, hidden_text, AppealForm, FlagForm, ModerateForm,
};
use crate::error::problem_text;
use crate::i18n::{msg, outcome_name, phase_name, t, use_lang, Msg};
use crate::pages::outcomes::{AnswerForm, ClosingReport, FollowButton, MergeForm, OutcomeSection};
use crate::pages::LoadError;
use crate::util::{local_date, local_datetime, query_escape};
use gongzhi_domain::model::moderation::ItemKind;

fn view_name(v: ProcessView) -> Msg {
    match v {
        ProcessView::Open => msg::DELIB_VIEW_OPEN,
        ProcessView::Upcoming => msg::DELIB_VIEW_UPCOMING,
        ProcessView::Closed => msg::DELIB_VIEW_CLOSED,
    }
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

fn id_param() -> impl Fn() -> i64 + Copy {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

/// `/deliberation`: processes running, coming or closed, and a search.
#[component]
pub fn ProcessListPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let current = move || {
        query
            .read()
            .get("view")
            .and_then(|v| ProcessView::parse(&v))
            .unwrap_or_default()
    };
    let search = move || query.read().get("q").unwrap_or_default();
    let data = Resource::new(
        move || (current(), search()),
        |(v, q)| list_processes(v.as_str().to_string(), q),
    );
    view! {
        <Title text=t(msg::NAV_DELIBERATION)/>
        <h1>{t(msg::NAV_DELIBERATION)}</h1>
        <p>{t(msg::DELIB_INTRO)}</p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(page) => {
                    let here = current();
                    let q = search();
                    let departments = page.departments;
                    view! {
                        {page.can_open.then(|| view! {
                            <p><a class="btn btn-primary" href="/deliberation/new">{t(msg::DELIB_OPEN_NEW)}</a></p>
                        })}
                        <nav class="tabs" aria-label=msg::NAV_DELIBERATION.get(lang)>
                            {ProcessView::ALL.into_iter().map(|v| view! {
                                <a href=format!("/deliberation?view={}", v.as_str())
                                    aria-current=(v == here).then_some("page")>{view_name(v).get(lang)}</a>
                            }).collect_view()}
                        </nav>
                        <form method="get" action="/deliberation" class="search-form" role="search">
                            <input type="hidden" name="view" value=here.as_str()/>
                            <label for="delib-q">{t(msg::SEARCH_TEXT)}</label>
                            <div class="row">
                                <input id="delib-q" name="q" type="search" value=q/>
                                <button type="submit" class="btn">{t(msg::SEARCH)}</button>
                            </div>
                        </form>
                        {if page.processes.is_empty() {
                            view! { <p>{t(msg::DELIB_NONE)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="process-list">
                                    {page.processes.into_iter().map(|p| {
                                        let phase = p.dates.phase_at(now());
                                        let dept = departments.iter().find(|d| d.id == p.department_id).map(|d| d.name(lang).to_string()).unwrap_or_default();
                                        view! {
                                            <li class="card process-card">
                                                {p.cover.clone().map(|c| view! { <Thumb image=c/> })}
                                                <h2><a href=format!("/deliberation/{}", p.id)>{p.title.clone()}</a></h2>
                                                <p class="report-meta">
                                                    <span class=format!("badge badge-phase-{}", phase.as_str())>{phase_name(phase).get(lang)}</span>
                                                    " "<span class="muted">{dept}" · "{local_date(p.dates.information_at)}" – "
                                                    {local_date(p.dates.closes_at - chrono::Duration::days(1))}
                                                    " · "{p.proposal_count}" "{msg::DELIB_PROPOSAL_COUNT.get(lang)}</span>
                                                </p>
                                                {(!p.summary.is_empty()).then(|| view! { <p>{p.summary.clone()}</p> })}
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

/// `/deliberation/:id`: the process, its phases on a time line, and its proposals.
#[component]
pub fn ProcessPage() -> impl IntoView {
    let lang = use_lang();
    let id = id_param();
    let query = use_query_map();
    let order = move || ProposalOrder::parse(&query.read().get("order").unwrap_or_default());
    let corder = move || query.read().get("corder").unwrap_or_default();
    let after = move || query.read().get("after").unwrap_or_default();
    let draft = move || query.read().get("draft").unwrap_or_default();
    let propose = ServerAction::<CreateProposal>::new();
    let data = Resource::new(
        move || (id(), order(), corder(), after(), draft()),
        |(id, order, corder, after, draft)| {
            get_process(id, order.as_str().to_string(), corder, after, draft)
        },
    );
    view! {
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(page) => {
                    let p = page.process;
                    let at = now();
                    let phase = p.dates.phase_at(at);
                    let here = order();
                    let dept = page.department.map(|d| d.name(lang).to_string()).unwrap_or_default();
                    let pid = p.id;
                    view! {
                        <Title text=p.title.clone()/>
                        <article class="process">
                            <h1>{p.title.clone()}</h1>
                            {p.cover.clone().map(|c| view! { <Picture image=c class="cover"/> })}
                            <p class="report-meta">
                                <span class=format!("badge badge-phase-{}", phase.as_str())>{phase_name(phase).get(lang)}</span>
                                " "<span class="muted">{dept}</span>
                            </p>
                            {page.can_manage.then(|| view! {
                                <p><a class="btn" href=format!("/deliberation/{pid}/edit")>{t(msg::DELIB_EDIT)}</a></p>
                            })}
                            {page.image_form.clone().map(|form| view! {
                                <ImageUpload action=format!("/deliberation/{pid}/image") form current=p.cover.clone() title=msg::IMAGE_COVER/>
                            })}
                            {page.signed_in.then(|| view! { <FollowButton kind="process" id=pid following=page.following/> })}
                            {(!p.summary.is_empty()).then(|| view! { <p class="lead">{p.summary.clone()}</p> })}
                            <section aria-labelledby="phases-title">
                                <h2 id="phases-title">{t(msg::DELIB_PHASES)}</h2>
                                <ol class="phases">
                                    {p.dates.steps().into_iter().map(|(step, start, end)| {
                                        let current = step == phase;
                                        view! {
                                            <li class="phase" class:phase-current=current class:phase-done=end <= at
                                                aria-current=current.then_some("step")>
                                                <strong>{phase_name(step).get(lang)}</strong>
                                                {current.then(|| view! { " "<span class="badge">{msg::PHASE_NOW.get(lang)}</span> })}
                                                <span class="muted">" "{local_date(start)}" – "{local_date(end - chrono::Duration::days(1))}</span>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            </section>
                            <ClosingReport process=p.clone() phase can_manage=page.can_manage/>
                            <div class="markdown" inner_html=p.body_html.clone()></div>
                            {p.support_threshold.map(|n| view! {
                                <p class="card">{msg::DELIB_THRESHOLD_A.get(lang)}" "<strong>{n}</strong>" "{msg::DELIB_THRESHOLD_B.get(lang)}</p>
                            })}
                            <section aria-labelledby="proposals-title">
                                <h2 id="proposals-title">{t(msg::PROPOSALS_TITLE)}</h2>
                                <nav class="tabs" aria-label=msg::PROPOSALS_TITLE.get(lang)>
                                    {[(ProposalOrder::Supports, msg::ORDER_SUPPORTS), (ProposalOrder::Newest, msg::ORDER_NEWEST)].into_iter().map(|(o, label)| view! {
                                        <a href=format!("/deliberation/{pid}?order={}", o.as_str()) aria-current=(o == here).then_some("page")>{label.get(lang)}</a>
                                    }).collect_view()}
                                </nav>
                                {if page.proposals.is_empty() {
                                    view! { <p>{t(msg::PROPOSALS_NONE)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="proposal-list">
                                            {page.proposals.into_iter().map(|x| view! {
                                                <li class="proposal-row">
                                                    {x.image.clone().map(|i| view! { <Thumb image=i/> })}
                                                    <a href=format!("/proposals/{}", x.id)><strong>{x.title.clone()}</strong></a>
                                                    {(x.visibility == Visibility::Held).then(|| view! { " "<span class="badge">{msg::PROPOSAL_HELD.get(lang)}</span> })}
                                                    {x.outcome.map(|o| view! { " "<span class=format!("badge badge-outcome-{}", o.as_str())>{outcome_name(o).get(lang)}</span> })}
                                                    {(x.outcome.is_none() && p.support_threshold.is_some_and(|n| x.support_count >= n)).then(|| view! {
                                                        " "<span class="badge badge-awaiting">{msg::OUTCOME_AWAITING.get(lang)}</span>
                                                    })}
                                                    <p class="muted">
                                                        <span class="supports">{x.support_count}" "{msg::SUPPORT_COUNT.get(lang)}</span>
                                                        {x.author_name.clone().map(|n| format!(" · {n}"))}
                                                        " · "{local_date(x.created_at)}
                                                    </p>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            {match (p.dates.takes_proposals(at), page.signed_in) {
                                (false, _) if phase != Phase::Closed => view! { <p class="muted">{t(msg::PROPOSE_CLOSED)}</p> }.into_any(),
                                (false, _) => ().into_any(),
                                (true, false) => view! {
                                    <p><a href=format!("/login?next={}", query_escape(&format!("/deliberation/{pid}")))>{t(msg::LOG_IN)}</a>
                                    " · "{t(msg::PROPOSE_SIGN_IN)}</p>
                                }.into_any(),
                                (true, true) => view! { <ProposalForm process=pid action=propose map=page.map.clone()/> }.into_any(),
                            }}
                            <Discussion kind="process" id=pid base=format!("/deliberation/{pid}") signed_in=page.signed_in page=page.discussion/>
                        </article>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// A resident's new proposal.
#[component]
fn ProposalForm(process: i64, action: ServerAction<CreateProposal>, map: MapView) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section class="card" aria-labelledby="propose-title">
            <h2 id="propose-title">{t(msg::PROPOSE_TITLE)}</h2>
            <ActionForm action attr:class="stack">
                <FormAlert error/>
                <input type="hidden" name="process" value=process.to_string()/>
                <Field name="title" label=msg::F_TITLE required=true maxlength=PROPOSAL_TITLE_MAX error/>
                <TextArea name="body" label=msg::F_MARKDOWN_BODY hint=msg::F_MARKDOWN_HINT required=true maxlength=PROPOSAL_BODY_MAX rows=6 error/>
                <fieldset class="stack">
                    <legend>{t(msg::PROPOSAL_PLACE)}</legend>
                    <div class="map map-picker" data-map="picker" data-lat=map.center.0.to_string() data-lon=map.center.1.to_string()
                        data-tiles=map.tile_url data-attribution=map.attribution hidden=true></div>
                    <p class="hint">{t(msg::PROPOSAL_COORDS_HINT)}</p>
                    <div class="row-2">
                        <Field name="lat" label=msg::LAT error/>
                        <Field name="lon" label=msg::LON error/>
                    </div>
                    <Field name="address" label=msg::ADDRESS hint=msg::F_PLACE_HINT maxlength=200 error/>
                </fieldset>
                <button type="submit" class="btn btn-primary">{t(msg::PROPOSAL_SUBMIT)}</button>
            </ActionForm>
        </section>
    }
}

/// `/deliberation/new` and `/deliberation/:id/edit`: officials (for their department) and
/// admins open and edit processes.
#[component]
pub fn ProcessFormPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let save = ServerAction::<SaveProcess>::new();
    let error = action_error(save);
    let data = Resource::new(id, process_form);
    view! {
        <Title text=t(msg::DELIB_OPEN_NEW)/>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(form) => {
                    let p = form.process.clone();
                    let get = |f: fn(&gongzhi_domain::model::deliberation::ProcessDetail) -> String| p.as_ref().map(f).unwrap_or_default();
                    let dept_now = p.as_ref().map(|p| p.department_id).or(form.own_department);
                    let editing = p.as_ref().map(|p| p.id);
                    let [title, summary, body, information, proposals, discussion, decision, closes, threshold] = [
                        get(|p| p.title.clone()),
                        get(|p| p.summary.clone()),
                        get(|p| p.body.clone()),
                        get(|p| local_date(p.dates.information_at)),
                        get(|p| local_date(p.dates.proposals_at)),
                        get(|p| local_date(p.dates.discussion_at)),
                        get(|p| local_date(p.dates.decision_at)),
                        get(|p| local_date(p.dates.closes_at - chrono::Duration::days(1))),
                        get(|p| p.support_threshold.map(|n| n.to_string()).unwrap_or_default()),
                    ];
                    view! {
                        <h1>{if editing.is_some() { t(msg::DELIB_EDIT) } else { t(msg::DELIB_OPEN_NEW) }}</h1>
                        <ActionForm action=save attr:class="stack card">
                            <FormAlert error/>
                            {editing.map(|id| view! { <input type="hidden" name="id" value=id.to_string()/> })}
                            <Field name="title" label=msg::F_TITLE required=true maxlength=PROCESS_TITLE_MAX value=title error/>
                            <TextArea name="summary" label=msg::F_SUMMARY hint=msg::F_SUMMARY_HINT maxlength=PROCESS_SUMMARY_MAX rows=2 value=summary error/>
                            <TextArea name="body" label=msg::F_DESCRIPTION hint=msg::F_MARKDOWN_HINT maxlength=PROCESS_BODY_MAX rows=10 value=body error/>
                            {if form.choose_department {
                                let problem = move || error.get().and_then(|e| e.field("department").cloned())
                                    .map(|p| crate::error::problem_text(&p, lang));
                                view! {
                                    <div class="field">
                                        <label for="f-department">{t(msg::DEPARTMENT)}</label>
                                        <select id="f-department" name="department" aria-describedby="f-department-error">
                                            {form.departments.iter().filter(|d| !d.retired).map(|d| view! {
                                                <option value=d.id.to_string() selected=dept_now == Some(d.id)>{d.name(lang).to_string()}</option>
                                            }).collect_view()}
                                        </select>
                                        <p class="field-error" id="f-department-error" hidden=move || problem().is_none()>{problem}</p>
                                    </div>
                                }.into_any()
                            } else {
                                view! { <input type="hidden" name="department" value=dept_now.map(|d| d.to_string()).unwrap_or_default()/> }.into_any()
                            }}
                            <fieldset class="stack">
                                <legend>{t(msg::DELIB_PHASES)}</legend>
                                <p class="hint">{t(msg::F_PHASES_HINT)}</p>
                                <Field name="information" label=msg::F_INFORMATION_AT input_type="date" required=true value=information error/>
                                <Field name="proposals" label=msg::F_PROPOSALS_AT input_type="date" required=true value=proposals error/>
                                <Field name="discussion" label=msg::F_DISCUSSION_AT input_type="date" required=true value=discussion error/>
                                <Field name="decision" label=msg::F_DECISION_AT input_type="date" required=true value=decision error/>
                                <Field name="closes" label=msg::F_CLOSES input_type="date" required=true value=closes error/>
                            </fieldset>
                            <Field name="support_threshold" label=msg::F_THRESHOLD input_type="number" value=threshold error/>
                            <button type="submit" class="btn btn-primary">{t(msg::SAVE)}</button>
                        </ActionForm>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// `/proposals/:id`: one proposal, its supports, and the author's edit form.
#[component]
pub fn ProposalPage() -> impl IntoView {
    let lang = use_lang();
    let id = id_param();
    let support = ServerAction::<SupportProposal>::new();
    let edit = ServerAction::<EditProposal>::new();
    let support_error = action_error(support);
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (
                id(),
                q.get("corder").unwrap_or_default(),
                q.get("after").unwrap_or_default(),
                q.get("draft").unwrap_or_default(),
                support.version().get(),
                edit.version().get(),
            )
        },
        |(id, corder, after, draft, ..)| get_proposal(id, corder, after, draft),
    );
    view! {
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(page) => {
                    let x = page.proposal;
                    let v = page.viewer;
                    let reached = page.process.support_threshold.is_some_and(|n| x.support_count >= n);
                    let hidden = x.visibility == Visibility::Hidden;
                    view! {
                        <Title text=x.title.clone()/>
                        <article class="proposal">
                            <p><a href=format!("/deliberation/{}", page.process.id)>{t(msg::BACK_TO_PROCESS)}{page.process.title.clone()}</a></p>
                            <h1>{x.title.clone()}</h1>
                            {x.merged_into.clone().map(|m| view! {
                                <p class="alert">{t(msg::MERGED_INTO)}<a href=format!("/proposals/{}", m.id)>{format!("#{} {}", m.id, m.title)}</a></p>
                            })}
                            {(x.visibility == Visibility::Held).then(|| view! { <p class="alert">{t(msg::PROPOSAL_HELD)}</p> })}
                            {x.hidden.clone().map(|h| view! {
                                <p class="alert alert-error tombstone">{t(msg::PROPOSAL_HIDDEN)}{hidden_text(&h, lang)}</p>
                                {v.is_author.then(|| view! { <p class="muted">{t(msg::HIDDEN_OWN_NOTE)}</p> })}
                            })}
                            <AppealForm kind=ItemKind::Proposal id=x.id can_appeal=v.can_appeal appealed=v.appealed/>
                            <p class="muted">
                                {x.author_name.clone().map(|n| format!("{} {n} · ", msg::PROPOSED_BY.get(lang)))}
                                {msg::PROPOSED_AT.get(lang)}" "{local_datetime(x.created_at)}
                                {x.edited_at.map(|e| format!(" · {} {}", msg::EDITED_AT.get(lang), local_datetime(e)))}
                            </p>
                            <div class="markdown" inner_html=x.body_html.clone()></div>
                            {x.image.clone().map(|i| view! { <Picture image=i/> })}
                            {(!x.address.is_empty()).then(|| view! { <p class="muted">{msg::PLACE.get(lang)}{x.address.clone()}</p> })}
                            {x.lat.zip(x.lon).map(|(lat, lon)| view! {
                                <div class="map map-small" data-map="point" data-lat=lat.to_string() data-lon=lon.to_string()
                                    data-tiles=page.map.tile_url.clone() data-attribution=page.map.attribution.clone() hidden=true></div>
                            })}
                            {(!x.merged_from.is_empty()).then(|| view! {
                                <p class="muted">{t(msg::MERGED_FROM)}
                                    {x.merged_from.iter().map(|m| view! { <a href=format!("/proposals/{}", m.id)>{format!("#{} {}", m.id, m.title)}</a>" " }).collect_view()}
                                </p>
                            })}
                            <OutcomeSection outcomes=x.outcomes.clone() department=page.department.as_ref().map(|d| d.name(lang).to_string()).unwrap_or_default()/>
                            <section class="engage" aria-label=msg::SUPPORT_ON.get(lang)>
                                <p><strong class="supports">{x.support_count}</strong>" "{t(msg::SUPPORT_COUNT)}</p>
                                {reached.then(|| view! { <p class="badge">{t(msg::THRESHOLD_REACHED)}</p> })}
                                {(reached && x.outcomes.is_empty()).then(|| view! { <p class="badge badge-awaiting">{t(msg::OUTCOME_AWAITING)}</p> })}
                                {(v.signed_in && !hidden).then(|| view! { <FollowButton kind="proposal" id=x.id following=v.following/> })}
                                {match (v.signed_in, v.can_support && !hidden) {
                                    (true, true) => view! {
                                        <ActionForm action=support attr:class="inline-form">
                                            <FormAlert error=support_error/>
                                            <input type="hidden" name="id" value=x.id.to_string()/>
                                            <input type="hidden" name="on" value=(!v.supported).to_string()/>
                                            <button type="submit" class="btn" class:btn-on=v.supported aria-pressed=v.supported.to_string()>
                                                {if v.supported { t(msg::SUPPORT_OFF) } else { t(msg::SUPPORT_ON) }}
                                            </button>
                                        </ActionForm>
                                    }.into_any(),
                                    (false, true) => view! {
                                        <p><a href=format!("/login?next={}", query_escape(&format!("/proposals/{}", x.id)))>{t(msg::LOG_IN)}</a>
                                        " · "{t(msg::PROPOSE_SIGN_IN)}</p>
                                    }.into_any(),
                                    (_, false) => view! { <p class="muted">{t(msg::SUPPORTS_CLOSED_NOTE)}</p> }.into_any(),
                                }}
                            </section>
                            {v.can_edit.then(|| {
                                let error = action_error(edit);
                                view! {
                                    <details class="card">
                                        <summary>{t(msg::PROPOSAL_EDIT)}</summary>
                                        <p class="hint">{t(msg::PROPOSAL_EDIT_NOTE)}</p>
                                        <ActionForm action=edit attr:class="stack">
                                            <FormAlert error/>
                                            <input type="hidden" name="id" value=x.id.to_string()/>
                                            // The place is kept as it is.
                                            <input type="hidden" name="lat" value=x.lat.map(|l| l.to_string()).unwrap_or_default()/>
                                            <input type="hidden" name="lon" value=x.lon.map(|l| l.to_string()).unwrap_or_default()/>
                                            <Field name="title" label=msg::F_TITLE required=true maxlength=PROPOSAL_TITLE_MAX value=x.title.clone() error/>
                                            <TextArea name="body" label=msg::F_MARKDOWN_BODY hint=msg::F_MARKDOWN_HINT required=true maxlength=PROPOSAL_BODY_MAX rows=6 value=x.body.clone() error/>
                                            <Field name="address" label=msg::ADDRESS hint=msg::F_PLACE_HINT maxlength=200 value=x.address.clone() error/>
                                            <button type="submit" class="btn btn-primary">{t(msg::SAVE)}</button>
                                        </ActionForm>
                                    </details>
                                }.into_any()
                            })}
                            {page.image_form.clone().map(|form| view! {
                                <ImageUpload action=format!("/proposals/{}/image", x.id) form current=x.image.clone() title=msg::IMAGE_PROPOSAL/>
                            })}
                            {(v.signed_in && !v.is_author && x.visibility == Visibility::Visible).then(|| view! {
                                <FlagForm kind=ItemKind::Proposal id=x.id flagged=v.flagged/>
                            })}
                            {v.moderator.then(|| view! {
                                <ModerateForm kind=ItemKind::Proposal id=x.id
                                    actions=fitting_actions(ItemKind::Proposal, x.visibility, x.locked, v.appealed, false)/>
                            })}
                            {v.can_answer.then(|| view! { <AnswerForm id=x.id/> })}
                            {v.can_answer.then(|| view! { <MergeForm id=x.id targets=v.merge_targets.clone()/> })}
                            {page.discussion.map(|d| view! {
                                <Discussion kind="proposal" id=x.id base=format!("/proposals/{}", x.id) signed_in=v.signed_in page=d/>
                            })}
                        </article>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

fn stance_name(s: Stance) -> Msg {
    match s {
        Stance::For => msg::STANCE_FOR,
        Stance::Against => msg::STANCE_AGAINST,
        Stance::Neutral => msg::STANCE_NEUTRAL,
    }
}

fn order_name(o: CommentOrder) -> Msg {
    match o {
        CommentOrder::Oldest => msg::ORDER_OLDEST,
        CommentOrder::Newest => msg::ORDER_NEWEST,
        CommentOrder::Helpful => msg::ORDER_HELPFUL,
    }
}

/// A discussion's order and whether a later page is shown, from the page's query (`corder`,
/// `after`).
fn discussion_query() -> (CommentOrder, String) {
    let query = use_query_map();
    let q = query.read_untracked();
    (
        CommentOrder::parse(&q.get("corder").unwrap_or_default()),
        q.get("after").unwrap_or_default(),
    )
}

/// The discussion under a process or a proposal: the balance of for and against with the
/// strongest arguments of each side, the comment form, and the threads, 20 at a time. The
/// page's own server function loads it (one request for the whole page).
#[component]
fn Discussion(
    kind: &'static str,
    id: i64,
    base: String,
    signed_in: bool,
    page: CommentPage,
) -> impl IntoView {
    let lang = use_lang();
    let (order, after) = discussion_query();
    let post = ServerAction::<PostComment>::new();
    let post_error = action_error(post);
    let body_problem = move || {
        post_error
            .get()
            .and_then(|e| e.field("body").cloned())
            .map(|p| problem_text(&p, lang))
    };
    // A comment posted without wasm that came back refused: what was typed.
    #[cfg(feature = "ssr")]
    let typed_body = crate::state::typed_value("body").unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let typed_body = String::new();
    view! {
        <section id="discussion" aria-labelledby="discussion-title" class="discussion">
            <h2 id="discussion-title">{t(msg::DISCUSSION)}</h2>
            <Balance page=page.clone()/>
                            {match (page.open, signed_in) {
                                (false, _) if page.locked => view! { <p class="alert">{t(msg::DISCUSSION_LOCKED)}</p> }.into_any(),
                                (false, _) => view! { <p class="muted">{t(msg::COMMENTS_CLOSED)}</p> }.into_any(),
                                (true, false) => view! {
                                    <p><a href=format!("/login?next={}", query_escape(&base))>{t(msg::LOG_IN)}</a>" · "{t(msg::COMMENT_SIGN_IN)}</p>
                                }.into_any(),
                                (true, true) => view! {
                                    <ActionForm action=post attr:class="stack card comment-form">
                                        <FormAlert error=post_error/>
                                        <input type="hidden" name="kind" value=kind/>
                                        <input type="hidden" name="id" value=id.to_string()/>
                                        <StanceChoice prefix="new" error=post_error/>
                                        <div class="field">
                                            <label for="comment-body">{t(msg::COMMENT_BODY)}</label>
                                            <p class="hint" id="comment-body-hint">{t(msg::F_MARKDOWN_HINT)}</p>
                                            <textarea id="comment-body" name="body" rows="4" required=true maxlength=COMMENT_MAX.to_string()
                                                aria-describedby="comment-body-hint comment-body-error"
                                                aria-invalid=move || body_problem().is_some().then_some("true")>{typed_body.clone()}</textarea>
                                            <p class="field-error" id="comment-body-error" hidden=move || body_problem().is_none()>{body_problem}</p>
                                        </div>
                                        <button type="submit" class="btn btn-primary">{t(msg::COMMENT_SUBMIT)}</button>
                                    </ActionForm>
                                }.into_any(),
                            }}
                            <nav class="tabs" aria-label=msg::DISCUSSION.get(lang)>
                                {CommentOrder::ALL.into_iter().map(|o| view! {
                                    <a href=format!("{base}?corder={}#discussion", o.as_str()) aria-current=(o == order).then_some("page")>{order_name(o).get(lang)}</a>
                                }).collect_view()}
                            </nav>
                            {if page.threads.is_empty() {
                                view! { <p>{t(msg::NO_COMMENTS)}</p> }.into_any()
                            } else {
                                view! {
                                    <ol class="threads">
                                        {page.threads.into_iter().map(|th| {
                                            let names: Vec<(i64, Option<String>)> = std::iter::once(&th.root).chain(th.replies.iter())
                                                .map(|c| (c.id, c.author_name.clone())).collect();
                                            let thread_locked = th.root.locked;
                                            let ordered = thread_order(th);
                                            view! {
                                                <li class="thread">
                                                    <ol class="thread-comments">
                                                        {ordered.into_iter().map(|c| {
                                                            let to = c.parent_id.and_then(|p| names.iter().find(|(id, _)| *id == p).and_then(|(_, n)| n.clone()));
                                                            view! { <CommentItem c to open=page.open && !thread_locked signed_in kind subject=id moderator=page.moderator/> }
                                                        }).collect_view()}
                                                    </ol>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                            <p class="pager">
                                {(!after.is_empty()).then(|| view! {
                                    <a href=format!("{base}?corder={}#discussion", order.as_str())>{t(msg::COMMENTS_START)}</a>" "
                                })}
                                {page.next.map(|n| view! {
                                    <a class="btn show-more" href=format!("{base}?corder={}&after={}#discussion", order.as_str(), query_escape(&n))>{t(msg::SHOW_MORE)}</a>
                                })}
                            </p>
        </section>
    }
    .into_any()
}

/// The balance of a discussion: the count of each side with a bar, and the most helpful
/// arguments for and against. (Its own component, type-erased: the discussion's view type
/// is deep enough already for a debug build's stack.)
#[component]
fn Balance(page: CommentPage) -> impl IntoView {
    let lang = use_lang();
    let total = page.count_for + page.count_against + page.count_neutral;
    let pct = |n: i64| if total == 0 { 0 } else { n * 100 / total };
    let (f, n) = (pct(page.count_for), pct(page.count_neutral));
    let a = if total == 0 { 0 } else { (100 - f - n).max(0) };
    let strongest = |list: Vec<Comment>| {
        list.into_iter()
            .map(|c| {
                view! {
                    <li><div class="markdown" inner_html=c.body_html></div>
                        <p class="muted">{c.author_name}" · "{msg::HELPFUL.get(lang)}" "{c.helpful_count}</p></li>
                }
            })
            .collect_view()
    };
    let any_strong = !page.strongest_for.is_empty() || !page.strongest_against.is_empty();
    view! {
        <div class="balance" role="group" aria-label=msg::DISCUSSION.get(lang)>
            <p>
                <span class="stance stance-for">{msg::STANCE_FOR.get(lang)}" "{page.count_for}</span>" · "
                <span class="stance stance-against">{msg::STANCE_AGAINST.get(lang)}" "{page.count_against}</span>" · "
                <span class="stance stance-neutral">{msg::STANCE_NEUTRAL.get(lang)}" "{page.count_neutral}</span>
            </p>
            // SVG attributes, not inline styles: the CSP allows no style attribute.
            <svg class="balance-bar" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <rect class="bar-for" x="0" y="0" height="4" width=f.to_string()/>
                <rect class="bar-neutral" x=f.to_string() y="0" height="4" width=n.to_string()/>
                <rect class="bar-against" x=(f + n).to_string() y="0" height="4" width=a.to_string()/>
            </svg>
        </div>
        {any_strong.then(|| view! {
            <div class="strongest">
                <div>
                    <h3>{t(msg::STRONGEST_FOR)}</h3>
                    <ol>{strongest(page.strongest_for)}</ol>
                </div>
                <div>
                    <h3>{t(msg::STRONGEST_AGAINST)}</h3>
                    <ol>{strongest(page.strongest_against)}</ol>
                </div>
            </div>
        })}
    }
    .into_any()
}

/// A thread's comments in reading order: each reply right after what it answers.
fn thread_order(th: gongzhi_domain::model::deliberation::Thread) -> Vec<Comment> {
    let mut out = Vec::with_capacity(th.replies.len() + 1);
    let mut replies = th.replies;
    let mut stack = vec![th.root];
    while let Some(c) = stack.pop() {
        let id = c.id;
        out.push(c);
        // Children in posting order: push the newest first so the oldest comes out next.
        let mut children: Vec<Comment> = Vec::new();
        let mut rest = Vec::with_capacity(replies.len());
        for r in replies {
            if r.parent_id == Some(id) {
                children.push(r);
            } else {
                rest.push(r);
            }
        }
        replies = rest;
        stack.extend(children.into_iter().rev());
    }
    out
}

/// The stance radios of a comment form.
#[component]
fn StanceChoice(#[prop(into)] prefix: String, error: ErrorSignal) -> impl IntoView {
    let lang = use_lang();
    let problem = move || {
        error
            .get()
            .and_then(|e| e.field("stance").cloned())
            .map(|p| problem_text(&p, lang))
    };
    let err_id = format!("{prefix}-stance-error");
    view! {
        <fieldset class="stance-choice" aria-describedby=err_id.clone()>
            <legend>{t(msg::YOUR_STANCE)}</legend>
            {Stance::ALL.into_iter().map(|s| {
                let rid = format!("{prefix}-stance-{}", s.as_str());
                view! {
                    <label class="check" for=rid.clone()>
                        <input type="radio" id=rid.clone() name="stance" value=s.as_str() required=true/>" "{stance_name(s).get(lang)}
                    </label>
                }
            }).collect_view()}
            <p class="field-error" id=err_id.clone() hidden=move || problem().is_none()>{problem}</p>
        </fieldset>
    }
}

/// One comment (or its tombstone) with what the viewer may do with it.
#[component]
fn CommentItem(
    c: Comment,
    to: Option<String>,
    open: bool,
    signed_in: bool,
    kind: &'static str,
    subject: i64,
    moderator: bool,
) -> impl IntoView {
    let lang = use_lang();
    let vote = ServerAction::<VoteComment>::new();
    let reply = ServerAction::<PostComment>::new();
    let edit = ServerAction::<EditComment>::new();
    let delete = ServerAction::<DeleteComment>::new();
    let reply_error = action_error(reply);
    let edit_error = action_error(edit);
    let visible = c.state == CommentState::Visible;
    let cid = c.id;
    let prefix = format!("c{cid}");
    let (reply_id, edit_id) = (format!("c{cid}-reply"), format!("c{cid}-edit"));
    view! {
        <li class=format!("comment depth-{}", c.depth) id=format!("comment-{cid}")>
            <p class="comment-head">
                <span class=format!("badge stance-{}", c.stance.as_str())>{stance_name(c.stance).get(lang)}</span>" "
                <strong>{c.author_name.clone().unwrap_or_default()}</strong>
                {to.map(|n| format!(" {} {n}", msg::REPLY_TO.get(lang)))}
                <span class="muted">" · "{local_datetime(c.created_at)}
                    {c.edited_at.map(|_| format!(" · {}", msg::EDITED.get(lang)))}</span>
            </p>
            {match &c.state {
                CommentState::Deleted => view! { <p class="tombstone">{t(msg::COMMENT_DELETED)}</p> }.into_any(),
                CommentState::Hidden(why) => view! {
                    <p class="tombstone">{t(msg::COMMENT_HIDDEN)}{hidden_text(why, lang)}</p>
                    {c.mine.then(|| view! {
                        <p class="muted">{t(msg::HIDDEN_OWN_NOTE)}</p>
                        <div class="markdown hidden-own" inner_html=c.body_html.clone()></div>
                    })}
                    <AppealForm kind=ItemKind::Comment id=cid can_appeal=c.can_appeal appealed=c.appealed/>
                }.into_any(),
                CommentState::Held => view! {
                    <p class="badge">{t(msg::COMMENT_HELD)}</p>
                    <div class="markdown" inner_html=c.body_html.clone()></div>
                }.into_any(),
                CommentState::Visible => view! { <div class="markdown" inner_html=c.body_html.clone()></div> }.into_any(),
            }}
            {c.locked.then(|| view! { <p class="badge">{t(msg::THREAD_LOCKED)}</p> })}
            {moderator.then(|| {
                let visibility = match &c.state {
                    CommentState::Held => Visibility::Held,
                    CommentState::Hidden(_) => Visibility::Hidden,
                    _ => Visibility::Visible,
                };
                (c.state != CommentState::Deleted).then(|| view! {
                    <ModerateForm kind=ItemKind::Comment id=cid actions=fitting_actions(ItemKind::Comment, visibility, c.locked, false, false)/>
                })
            })}
            {visible.then(|| view! {
                <div class="comment-actions">
                    {if signed_in && !c.mine {
                        view! {
                            <ActionForm action=vote attr:class="inline-form">
                                <input type="hidden" name="id" value=cid.to_string()/>
                                <input type="hidden" name="on" value=(!c.voted).to_string()/>
                                <button type="submit" class="btn btn-small" class:btn-on=c.voted aria-pressed=c.voted.to_string()>
                                    {msg::HELPFUL.get(lang)}" "{c.helpful_count}
                                </button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! { <span class="muted">{msg::HELPFUL.get(lang)}" "{c.helpful_count}</span> }.into_any()
                    }}
                    {(open && signed_in).then(|| view! {
                        <details>
                            <summary>{t(msg::REPLY)}</summary>
                            <ActionForm action=reply attr:class="stack">
                                <FormAlert error=reply_error/>
                                <input type="hidden" name="kind" value=kind/>
                                <input type="hidden" name="id" value=subject.to_string()/>
                                <input type="hidden" name="parent" value=cid.to_string()/>
                                <StanceChoice prefix=prefix error=reply_error/>
                                <div class="field">
                                    <label for=reply_id.clone()>{t(msg::COMMENT_BODY)}</label>
                                    <textarea id=reply_id name="body" rows="3" required=true maxlength=COMMENT_MAX.to_string()></textarea>
                                </div>
                                <button type="submit" class="btn btn-primary">{t(msg::REPLY_SUBMIT)}</button>
                            </ActionForm>
                        </details>
                    })}
                    {c.can_edit.then(|| view! {
                        <details>
                            <summary>{t(msg::EDIT)}</summary>
                            <p class="hint">{t(msg::EDIT_WINDOW_NOTE)}</p>
                            <ActionForm action=edit attr:class="stack">
                                <FormAlert error=edit_error/>
                                <input type="hidden" name="id" value=cid.to_string()/>
                                <div class="field">
                                    <label for=edit_id.clone()>{t(msg::COMMENT_BODY)}</label>
                                    <textarea id=edit_id name="body" rows="3" required=true maxlength=COMMENT_MAX.to_string()>{c.body.clone()}</textarea>
                                </div>
                                <button type="submit" class="btn btn-primary">{t(msg::SAVE)}</button>
                            </ActionForm>
                        </details>
                    })}
                    {(signed_in && !c.mine).then(|| view! { <FlagForm kind=ItemKind::Comment id=cid flagged=c.flagged/> })}
                    {c.mine.then(|| view! {
                        <ActionForm action=delete attr:class="inline-form">
                            <input type="hidden" name="id" value=cid.to_string()/>
                            <button type="submit" class="btn btn-small">{t(msg::DELETE)}</button>
                        </ActionForm>
                    })}
                </div>
            })}
        </li>
    }
    .into_any()
}
