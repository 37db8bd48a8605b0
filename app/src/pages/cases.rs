//! The built-in case workflow's back office: the inbox (`/cases`) and one case
//! (`/cases/:id`) with a form for each step the viewer may take. The forms are plain posts
//! (to the server's `/cases/{id}` route), so they work without wasm and carry photos.

use gongzhi_domain::model::case::{InboxView, Stage, Step};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::cases::{case_inbox, get_case, CaseFormFlash, CasePage};
use crate::components::reports::EntryPhotos;
use crate::components::{page_in, Pager};
use crate::error::problem_text;
use crate::i18n::{msg, role_name, stage_name, step_button, step_done, t, use_lang, Lang, Msg};
use crate::pages::LoadError;
use crate::util::local_datetime;

fn view_name(v: InboxView) -> Msg {
    match v {
        InboxView::Mine => msg::INBOX_MINE,
        InboxView::Overdue => msg::INBOX_OVERDUE,
        InboxView::Open => msg::INBOX_OPEN,
        InboxView::Done => msg::INBOX_DONE,
    }
}

#[component]
pub fn CaseInboxPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let current = move || {
        query
            .read()
            .get("view")
            .and_then(|v| InboxView::parse(&v))
            .unwrap_or_default()
    };
    let page = page_in(query);
    let data = Resource::new(
        move || (current(), page()),
        |(v, page)| case_inbox(v.as_str().to_string(), Some(page)),
    );
    view! {
        <Title text=t(msg::CASES_TITLE)/>
        <h1>{t(msg::CASES_TITLE)}</h1>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(page) => {
                    let inbox = page.inbox;
                    let catalog = page.catalog;
                    let now = inbox.now.unwrap_or_default();
                    let here = current();
                    let count = |v: InboxView| match v {
                        InboxView::Mine => Some(inbox.mine),
                        InboxView::Overdue => Some(inbox.overdue),
                        _ => None,
                    };
                    view! {
                        <p>{if inbox.dispatcher { t(msg::CASES_INTRO_DISPATCH) } else { t(msg::CASES_INTRO_DEPT) }}</p>
                        <nav class="tabs" aria-label=msg::CASES_TITLE.get(lang)>
                            {InboxView::ALL.into_iter().map(|v| {
                                let n = count(v);
                                view! {
                                    <a href=format!("/cases?view={}", v.as_str())
                                        aria-current=(v == here).then_some("page")>
                                        {view_name(v).get(lang)}{n.map(|n| format!(" ({n})"))}
                                    </a>
                                }
                            }).collect_view()}
                        </nav>
                        {(!inbox.cases.is_empty()).then(|| {
                            let last = inbox.first + inbox.cases.len() as i64 - 1;
                            let range = match lang {
                                Lang::Zh => format!("第 {}–{last} 件，共 {} 件", inbox.first, inbox.total),
                                Lang::En => format!("Cases {}–{last} of {}", inbox.first, inbox.total),
                            };
                            view! { <p class="muted" role="status">{range}</p> }
                        })}
                        {if inbox.cases.is_empty() {
                            view! { <p>{t(msg::NO_CASES)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="case-list">
                                    {inbox.cases.into_iter().map(|c| {
                                        let late = c.overdue(now);
                                        let stage = c.stage();
                                        let category = catalog.category(c.category_id).map(|x| x.name(lang).to_string()).unwrap_or_default();
                                        let dept = c.department_id.and_then(|d| catalog.department(d)).map(|d| d.name(lang).to_string());
                                        view! {
                                            <li class="case-row" class:case-overdue=late>
                                                <p class="case-row-head">
                                                    <a href=format!("/cases/{}", c.report_id)><strong>{format!("#{} {category}", c.report_id)}</strong></a>
                                                    " "<span class=format!("badge badge-stage-{}", stage.as_str())>{stage_name(stage).get(lang)}</span>
                                                    {late.then(|| view! { " "<span class="badge badge-overdue">{if stage.is_open() { msg::OVERDUE.get(lang) } else { msg::CLOSED_LATE.get(lang) }}</span> })}
                                                </p>
                                                <p class="muted">{c.address.clone()}</p>
                                                <p>{c.description.clone()}</p>
                                                <p class="muted">
                                                    {msg::DUE.get(lang)}" "{local_datetime(c.due_at)}
                                                    {dept.map(|d| format!(" · {d}"))}
                                                    {(c.returns > 0).then(|| format!(" · {} {}", msg::RETURNS.get(lang), c.returns))}
                                                </p>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <Pager base=format!("/cases?view={}&", here.as_str()) page=inbox.page has_more=inbox.has_more/>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
pub fn CaseWorkPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let draft = move || query.read().get("draft");
    let done = move || query.read().get("done").and_then(|s| Step::parse(&s));
    let data = Resource::new(move || (id(), draft()), |(id, draft)| get_case(id, draft));
    view! {
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(page) => view! { <CaseBody page done=done()/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn CaseBody(page: CasePage, done: Option<Step>) -> impl IntoView {
    let lang = use_lang();
    let case = page.case;
    let catalog = page.catalog;
    let r = &case.report;
    let id = r.id;
    let category = catalog
        .category(r.category_id)
        .map(|c| c.name(lang).to_string())
        .unwrap_or_default();
    let title = format!("{} #{id} {category}", msg::CASE_TITLE.get(lang));
    let dept_name = |d: Option<i64>| {
        d.and_then(|d| catalog.department(d))
            .map(|d| d.name(lang).to_string())
    };
    let handling = dept_name(case.department_id);
    let flash = page.flash.clone();
    let general = flash.as_ref().and_then(|f| f.general.clone());
    // Problems with the step itself (the case moved on, a step that no longer applies)
    // belong to no field of a form that may not be shown any more: they go on top.
    let step_problems: Vec<String> = flash
        .iter()
        .flat_map(|f| f.errors.iter())
        .filter(|e| e.field == "stage" || e.field == "step")
        .map(|e| problem_text(&e.problem, lang))
        .collect();
    let forms = case
        .steps
        .iter()
        .map(|&step| {
            let flash = flash.clone().filter(|f| f.step == step.as_str());
            let default_dept = catalog
                .category(r.category_id)
                .map(|c| c.department_id)
                .unwrap_or(r.department_id);
            view! {
                <StepForm id step stage=case.stage token=page.form_token.clone() flash
                    departments=catalog.departments.clone() default_dept
                    photos=page.photos.len() max_photo_mb=page.max_photo_mb/>
            }
        })
        .collect_view();
    let no_steps = case.steps.is_empty();
    view! {
        <Title text=title.clone()/>
        <p><A href="/cases">{"← "}{t(msg::CASES_TITLE)}</A></p>
        {done.map(|s| view! { <div class="alert alert-success" role="status">{t(msg::STEP_DONE)}{step_done(s).get(lang)}</div> })}
        {general.map(|e| view! {
            <div class="alert alert-error" role="alert" id="form-errors">
                <p>{e.message(lang)}</p>
                {step_problems.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            </div>
        })}
        <article class="case">
            <h1>{title}</h1>
            <p class="report-meta">
                <span class=format!("badge badge-stage-{}", case.stage.as_str())>{stage_name(case.stage).get(lang)}</span>
                {case.overdue.then(|| view! { " "<span class="badge badge-overdue">{if case.stage.is_open() { msg::OVERDUE.get(lang) } else { msg::CLOSED_LATE.get(lang) }}</span> })}
            </p>
            <p class="description">{r.description.clone()}</p>
            <EntryPhotos photos=r.photos.clone()/>
            <dl class="facts">
                <dt>{t(msg::LOCATION)}</dt>
                <dd>{r.address.clone()}" "<span class="muted">{format!("({:.5}, {:.5})", r.lat, r.lon)}</span></dd>
                <dt>{t(msg::DUE)}</dt><dd>{local_datetime(r.due_at)}</dd>
                <dt>{t(msg::HANDLING_DEPT)}</dt><dd>{handling.unwrap_or_else(|| "—".into())}</dd>
                <dt>{t(msg::ROUND)}</dt><dd>{case.round}</dd>
                <dt>{t(msg::RETURNS)}</dt><dd>{case.returns}</dd>
                <dt>{t(msg::PUBLIC_PAGE)}</dt><dd><a href=format!("/reports/{id}")>{format!("/reports/{id}")}</a></dd>
            </dl>
            <section aria-labelledby="act-title">
                <h2 id="act-title">{t(msg::CASE_ACTIONS)}</h2>
                <p class="muted">{t(msg::NOTE_PUBLIC_HINT)}</p>
                {no_steps.then(|| view! { <p>{t(msg::NO_STEPS)}</p> })}
                {forms}
            </section>
            <section aria-labelledby="record-title">
                <h2 id="record-title">{t(msg::CASE_RECORD)}</h2>
                <ol class="timeline">
                    {case.record.into_iter().map(|e| {
                        let what = match e.step.as_deref().and_then(Step::parse) {
                            Some(s) => step_done(s).get(lang).to_string(),
                            None => match (e.kind.as_str(), e.status) {
                                ("submitted", _) => msg::EV_SUBMITTED.get(lang).to_string(),
                                ("forwarded", _) => msg::EV_FORWARDED.get(lang).to_string(),
                                ("transferred", _) => msg::EV_TRANSFERRED.get(lang).to_string(),
                                ("follow_up", _) => msg::EV_FOLLOW_UP.get(lang).to_string(),
                                ("reopen", _) => msg::EV_REOPEN.get(lang).to_string(),
                                (_, Some(s)) => crate::i18n::status_name(s).get(lang).to_string(),
                                _ => msg::NOTE.get(lang).to_string(),
                            },
                        };
                        let who = [
                            if e.actor_role == "reporter" {
                                Some(msg::ACTOR_REPORTER.get(lang).to_string())
                            } else {
                                gongzhi_domain::model::Role::parse(&e.actor_role).map(|r| role_name(r).get(lang).to_string())
                            },
                            e.actor_department_id.and_then(|d| catalog.department(d)).map(|d| d.name(lang).to_string()),
                            e.actor_name.clone(),
                        ].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                        view! {
                            <li class="timeline-entry" class:internal=!e.public>
                                <p class="timeline-head"><strong>{what}</strong>" · "<span>{who}</span>
                                    {(!e.public).then(|| view! { " "<span class="badge">{msg::INTERNAL.get(lang)}</span> })}
                                </p>
                                <p class="muted"><time datetime=e.at.to_rfc3339()>{local_datetime(e.at)}</time></p>
                                {(!e.note.is_empty()).then(|| view! { <p class="timeline-note">{e.note.clone()}</p> })}
                                <EntryPhotos photos=e.photos/>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
        </article>
    }
    .into_any()
}

/// One step's form: a plain multipart post to `/cases/{id}`.
#[component]
#[allow(clippy::too_many_arguments)]
fn StepForm(
    id: i64,
    step: Step,
    stage: Stage,
    token: String,
    flash: Option<CaseFormFlash>,
    departments: Vec<gongzhi_domain::model::Department>,
    default_dept: i64,
    photos: usize,
    max_photo_mb: usize,
) -> impl IntoView {
    let lang = use_lang();
    let s = step.as_str();
    let error = |field: &str| {
        flash
            .as_ref()
            .and_then(|f| f.errors.iter().find(|e| e.field == field))
            .map(|e| problem_text(&e.problem, lang))
    };
    let note_error = error("note");
    let dept_error = error("department");
    let photo_error = error("photos");
    let note_value = flash.as_ref().map(|f| f.note.clone()).unwrap_or_default();
    let chosen_dept = flash
        .as_ref()
        .and_then(|f| f.department.parse::<i64>().ok())
        .unwrap_or(default_dept);
    let note_label = match step {
        Step::Handle | Step::Note => msg::NOTE,
        s if s.needs_note() => msg::REASON,
        _ => msg::NOTE,
    };
    let primary = !matches!(
        step,
        Step::Decline | Step::Return | Step::VerifyFailed | Step::Note
    );
    let note_id = format!("{s}-note");
    let note_err_id = format!("{s}-note-error");
    view! {
        <form method="post" action=format!("/cases/{id}") enctype="multipart/form-data"
            class="card stack step-form" id=format!("step-{s}") novalidate=true>
            <h3>{step_button(step).get(lang)}</h3>
            <input type="hidden" name="form_token" value=token/>
            <input type="hidden" name="step" value=s/>
            <input type="hidden" name="stage" value=stage.as_str()/>
            {(step == Step::Dispatch).then(|| {
                let dept_err_id = format!("{s}-department-error");
                view! {
                    <div class="field">
                        <label for=format!("{s}-department")>{msg::DISPATCH_TO.get(lang)}</label>
                        <select id=format!("{s}-department") name="department"
                            aria-invalid=dept_error.is_some().then_some("true") aria-describedby=dept_err_id.clone()>
                            <option value="">{msg::CHOOSE.get(lang)}</option>
                            {departments.into_iter().filter(|d| !d.retired).map(|d| view! {
                                <option value=d.id.to_string() selected=d.id == chosen_dept>{d.name(lang).to_string()}</option>
                            }).collect_view()}
                        </select>
                        <p class="field-error" id=dept_err_id hidden=dept_error.is_none()>{dept_error.clone()}</p>
                    </div>
                }
            })}
            <div class="field">
                <label for=note_id.clone()>{note_label.get(lang)}{step.needs_note().then_some(" *")}</label>
                <textarea id=note_id name="note" rows="3" maxlength="2000" required=step.needs_note()
                    aria-invalid=note_error.is_some().then_some("true") aria-describedby=note_err_id.clone()>{note_value}</textarea>
                <p class="field-error" id=note_err_id hidden=note_error.is_none()>{note_error.clone()}</p>
            </div>
            {(step == Step::Handle).then(|| {
                let photo_err_id = format!("{s}-photos-error");
                view! {
                    <div class="field">
                        <label for=format!("{s}-photos")>{msg::AFTER_PHOTOS.get(lang)}</label>
                        <input type="file" id=format!("{s}-photos") name="photo" multiple=true accept="image/jpeg,image/png,image/webp"
                            aria-invalid=photo_error.is_some().then_some("true") aria-describedby=photo_err_id.clone()/>
                        <p class="hint muted">{format!("≤ {max_photo_mb} MB")}{(photos > 0).then(|| format!(" · {photos} ✓"))}</p>
                        <p class="field-error" id=photo_err_id hidden=photo_error.is_none()>{photo_error.clone()}</p>
                    </div>
                }
            })}
            {(step == Step::Note).then(|| view! {
                <label class="check"><input type="checkbox" name="public" value="on"/>" "{msg::PUBLIC_NOTE.get(lang)}</label>
            })}
            <button type="submit" class="btn" class:btn-primary=primary>{step_button(step).get(lang)}</button>
        </form>
    }
}
