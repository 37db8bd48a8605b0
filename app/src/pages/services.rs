//! Government services residents rate (办事服务好差评), served as plain HTML (no wasm): the
//! catalogue with each service's satisfaction (`/services`, with the department's
//! rectifications for officials and the catalogue form for admins), and one service
//! (`/services/:code`) with its rating form and what the department did about poor ratings.

use gongzhi_domain::model::rating::{
    Service, ServiceFigures, ServiceRectification, RECTIFY_NOTE_MAX, REFERENCE_MAX,
    SERVICE_CODE_MAX, SERVICE_DESCRIPTION_MAX, SERVICE_NAME_MAX,
};
use gongzhi_domain::model::Department;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::services::{
    service_page, services_page, RateService, RecordRectification, SaveService,
};
use crate::components::form::{action_error, DepartmentField, Field, FormAlert, TextArea};
use crate::components::rating::RatingFields;
use crate::i18n::{level_name, msg, t, use_lang};
use crate::pages::LoadError;
use crate::util::local_datetime;

fn percent(x: Option<f64>) -> String {
    x.map(|v| format!("{:.0}%", v * 100.0))
        .unwrap_or_else(|| "—".into())
}

/// A service's figures as table cells.
#[component]
fn FigureCells(f: ServiceFigures) -> impl IntoView {
    view! {
        <td>{f.ratings}</td>
        <td>{percent(f.satisfaction())}</td>
        <td>{f.average().map(|a| format!("{a:.1}")).unwrap_or_else(|| "—".into())}</td>
        <td>{f.rectifications}</td>
        <td>{f.rectified_on_time}" / "{f.rectified}</td>
    }
}

#[component]
fn FigureHeads() -> impl IntoView {
    view! {
        <th scope="col">{t(msg::SV_COL_RATINGS)}</th>
        <th scope="col">{t(msg::SV_COL_SATISFACTION)}</th>
        <th scope="col">{t(msg::SV_COL_AVERAGE)}</th>
        <th scope="col">{t(msg::SV_COL_RECTIFY)}</th>
        <th scope="col">{t(msg::SV_COL_ON_TIME)}</th>
    }
}

/// The admins' form: a new service, or (with `service`) changes to one; the code names it.
#[component]
fn ServiceForm(departments: Vec<Department>, service: Option<Service>) -> impl IntoView {
    let action = ServerAction::<SaveService>::new();
    let error = action_error(action);
    let s = service.clone();
    let v = move |f: fn(&Service) -> String| s.as_ref().map(f).unwrap_or_default();
    let active = service.as_ref().is_none_or(|s| s.active);
    view! {
        <ActionForm action attr:class="stack">
            <FormAlert error/>
            <Field name="code" label=msg::SV_F_CODE hint=msg::SV_F_CODE_HINT required=true maxlength=SERVICE_CODE_MAX
                value=v(|s| s.code.clone()) error/>
            <Field name="name_zh" label=msg::SV_F_NAME_ZH required=true maxlength=SERVICE_NAME_MAX value=v(|s| s.name_zh.clone()) error/>
            <Field name="name_en" label=msg::SV_F_NAME_EN required=true maxlength=SERVICE_NAME_MAX value=v(|s| s.name_en.clone()) error/>
            <TextArea name="description_zh" label=msg::SV_F_DESC_ZH maxlength=SERVICE_DESCRIPTION_MAX rows=2
                value=v(|s| s.description_zh.clone()) error/>
            <TextArea name="description_en" label=msg::SV_F_DESC_EN maxlength=SERVICE_DESCRIPTION_MAX rows=2
                value=v(|s| s.description_en.clone()) error/>
            <DepartmentField id="f-department" label=msg::DEPARTMENT departments
                selected=service.as_ref().map(|s| s.department_id) error/>
            <label class="check"><input type="checkbox" name="active" value="on" checked=active/>" "{t(msg::SV_F_ACTIVE)}</label>
            <button type="submit" class="btn btn-primary">{t(msg::SV_SAVE)}</button>
        </ActionForm>
    }
    .into_any()
}

/// A rectification as the department works it: what was rated, the rater's words, the
/// deadline, and the form to record what was done.
#[component]
fn RectificationItem(r: ServiceRectification) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<RecordRectification>::new();
    let error = action_error(action);
    let overdue = r.done_at.is_none() && r.due_at < chrono::Utc::now();
    let name = if lang == crate::i18n::Lang::Zh {
        r.service_name_zh.clone()
    } else {
        r.service_name_en.clone()
    };
    view! {
        <li class="card">
            <p class="report-meta">
                <a href=format!("/services/{}", r.service_code)>{name}</a>" · "<strong>{level_name(r.level).get(lang)}</strong>
                {(!r.reference.is_empty()).then(|| view! { " · "{msg::SV_F_REFERENCE.get(lang)}" "{r.reference.clone()} })}
            </p>
            {(!r.comment.is_empty()).then(|| view! { <p class="question-body">{r.comment.clone()}</p> })}
            <p class="muted">{msg::R_DUE.get(lang)}" "{local_datetime(r.due_at)}
                {overdue.then(|| view! { " "<span class="badge badge-overdue">{t(msg::OVERDUE)}</span> })}
            </p>
            {match r.done_at {
                Some(d) => view! {
                    <p>{msg::R_DONE.get(lang)}" "{local_datetime(d)}": "{r.done_note.clone()}</p>
                }.into_any(),
                None => view! {
                    <ActionForm action attr:class="stack">
                        <FormAlert error/>
                        <input type="hidden" name="id" value=r.id.to_string()/>
                        <TextArea name="done_note" label=msg::SV_F_DONE hint=msg::SV_F_DONE_HINT required=true
                            maxlength=RECTIFY_NOTE_MAX rows=2 error/>
                        <button type="submit" class="btn btn-primary">{t(msg::SV_RECORD)}</button>
                    </ActionForm>
                }.into_any(),
            }}
        </li>
    }
    .into_any()
}

/// `/services`: the catalogue by department with each service's satisfaction.
#[component]
pub fn ServicesPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| services_page());
    view! {
        <Title text=t(msg::SV_TITLE)/>
        <h1>{t(msg::SV_TITLE)}</h1>
        <p>{t(msg::SV_INTRO)}</p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(d) => {
                    let dept = |id: i64| d.departments.iter().find(|x| x.id == id).map(|x| x.name(lang).to_string()).unwrap_or_default();
                    let open: usize = d.rectifications.as_ref().map(|l| l.iter().filter(|r| r.done_at.is_none()).count()).unwrap_or(0);
                    view! {
                        {d.rectifications.clone().map(|list| view! {
                            <section class="card" aria-labelledby="rectify-title" id="rectifications">
                                <h2 id="rectify-title">{t(msg::SV_RECTIFY_TITLE)}" ("{open}")"</h2>
                                {list.is_empty().then(|| view! { <p class="muted">{t(msg::SV_RECTIFY_NONE)}</p> })}
                                <ul class="cards">
                                    {list.into_iter().map(|r| view! { <RectificationItem r/> }).collect_view()}
                                </ul>
                            </section>
                        })}
                        {d.services.is_empty().then(|| view! { <p>{t(msg::SV_NONE)}</p> })}
                        <div class="table-wrap" tabindex="0" role="region" aria-label=t(msg::SV_TITLE)>
                            <table class="figures">
                                <caption class="visually-hidden">{t(msg::SV_TITLE)}</caption>
                                <thead><tr>
                                    <th scope="col">{t(msg::SV_COL_NAME)}</th>
                                    <th scope="col">{t(msg::DEPARTMENT)}</th>
                                    <FigureHeads/>
                                </tr></thead>
                                <tbody>
                                    {d.services.clone().into_iter().map(|(s, f)| view! {
                                        <tr>
                                            <th scope="row"><a href=format!("/services/{}", s.code)>{s.name(lang).to_string()}</a>
                                                {(!s.active).then(|| view! { " "<span class="badge">{t(msg::SV_INACTIVE)}</span> })}</th>
                                            <td>{dept(s.department_id)}</td>
                                            <FigureCells f/>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {d.is_admin.then(|| view! {
                            <section class="card" aria-labelledby="new-service-title">
                                <h2 id="new-service-title">{t(msg::SV_NEW)}</h2>
                                <ServiceForm departments=d.departments.clone() service=None/>
                            </section>
                        })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// A resident rates the service, naming the case or reference number if they wish.
#[component]
fn RateServiceForm(id: i64) -> impl IntoView {
    let action = ServerAction::<RateService>::new();
    let error = action_error(action);
    let done = move || matches!(action.value().get(), Some(Ok(_)));
    view! {
        <section class="card rating-form" aria-labelledby="rate-title">
            <h2 id="rate-title">{t(msg::SV_RATE)}</h2>
            <p class="hint">{t(msg::SV_RATE_HINT)}</p>
            {move || done().then(|| view! { <p class="alert alert-success" role="status">{t(msg::SV_RATED)}</p> })}
            <ActionForm action attr:class="stack">
                <FormAlert error/>
                <input type="hidden" name="id" value=id.to_string()/>
                <Field name="reference" label=msg::SV_F_REFERENCE hint=msg::SV_F_REFERENCE_HINT maxlength=REFERENCE_MAX error/>
                <RatingFields rating=None error/>
                <button type="submit" class="btn btn-primary">{t(msg::Q_RATE_SUBMIT)}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// `/services/:code`: one service, its figures, the rating form and what was done.
#[component]
pub fn ServicePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(code, service_page);
    view! {
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(d) => {
                    let s = d.service.clone();
                    let name = s.name(lang).to_string();
                    let dept = d.departments.iter().find(|x| x.id == s.department_id).map(|x| x.name(lang).to_string()).unwrap_or_default();
                    view! {
                        <Title text=name.clone()/>
                        <p><a href="/services">{t(msg::SV_TITLE)}</a></p>
                        <h1>{name.clone()}</h1>
                        <p class="muted">{dept}{(!s.active).then(|| view! { " · "<span class="badge">{t(msg::SV_INACTIVE)}</span> })}</p>
                        {(!s.description(lang).is_empty()).then(|| view! { <p>{s.description(lang).to_string()}</p> })}
                        <div class="table-wrap" tabindex="0" role="region" aria-label=name.clone()>
                            <table class="figures">
                                <caption class="visually-hidden">{name.clone()}</caption>
                                <thead><tr><FigureHeads/></tr></thead>
                                <tbody><tr><FigureCells f=d.figures.clone()/></tr></tbody>
                            </table>
                        </div>
                        {(!d.own.is_empty()).then(|| view! {
                            <section class="card" aria-labelledby="own-title">
                                <h2 id="own-title">{t(msg::SV_OWN)}</h2>
                                <ul class="plain-list">
                                    {d.own.iter().map(|o| view! {
                                        <li class="rating-line"><strong>{level_name(o.rating.level).get(lang)}</strong>
                                            {(!o.reference.is_empty()).then(|| view! { " · "{msg::SV_F_REFERENCE.get(lang)}" "{o.reference.clone()} })}
                                            " · "<time datetime=o.rating.created_at.to_rfc3339()>{local_datetime(o.rating.created_at)}</time>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        })}
                        {match (d.signed_in, s.active) {
                            (true, true) => view! { <RateServiceForm id=s.id/> }.into_any(),
                            (false, true) => view! {
                                <p class="muted">{t(msg::SV_SIGN_IN)}" "<a href=format!("/login?next=/services/{}", s.code)>{t(msg::LOG_IN)}</a></p>
                            }.into_any(),
                            _ => ().into_any(),
                        }}
                        <section class="card" aria-labelledby="done-title">
                            <h2 id="done-title">{t(msg::SV_DONE_TITLE)}</h2>
                            {d.done.is_empty().then(|| view! { <p class="muted">{t(msg::SV_DONE_NONE)}</p> })}
                            <ul class="plain-list">
                                {d.done.iter().map(|r| {
                                    let on_time = r.done_at.is_some_and(|x| x <= r.due_at);
                                    view! {
                                        <li>
                                            <p class="muted">{local_datetime(r.done_at.unwrap_or(r.created_at))}" "
                                                <span class=if on_time { "badge badge-resolved" } else { "badge badge-overdue" }>
                                                    {if on_time { msg::R_ON_TIME.get(lang) } else { msg::R_LATE.get(lang) }}
                                                </span></p>
                                            <p>{r.done_note.clone()}</p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                        {d.is_admin.then(|| view! {
                            <details class="card">
                                <summary>{t(msg::SV_EDIT)}</summary>
                                <ServiceForm departments=d.departments.clone() service=Some(s.clone())/>
                            </details>
                        })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}
