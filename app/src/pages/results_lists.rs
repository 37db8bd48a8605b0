//! The lists behind the results page's rating and rectification figures, served as plain
//! HTML: `/results/ratings` (what the satisfaction rates count) and
//! `/results/rectifications` (the work poor ratings sent back). Reports and questions have
//! their own lists (`/reports`, `/ask`). Filters are a GET form, so every list has a URL;
//! a bad filter is left out and named at its field.

use gongzhi_domain::model::rating::{Level, Subject};
use gongzhi_domain::model::stats::RectState;
use gongzhi_domain::model::Department;
use gongzhi_domain::FieldError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::results::{rated_list, rectification_list};
use crate::components::Pager;
use crate::error::problem_text;
use crate::i18n::{level_name, msg, t, use_lang, Lang, Msg};
use crate::pages::LoadError;
use crate::util::{local_date, query_escape};

fn subject_name(s: Subject) -> Msg {
    match s {
        Subject::Report => msg::RS_RATED_REPORTS,
        Subject::Answer => msg::RS_RATED_ANSWERS,
        Subject::Service => msg::RS_RATED_SERVICES,
    }
}

fn state_name(s: RectState) -> Msg {
    match s {
        RectState::Any => msg::RL_STATE_ANY,
        RectState::Open => msg::RL_STATE_OPEN,
        RectState::Overdue => msg::RL_STATE_OVERDUE,
        RectState::Done => msg::RL_STATE_DONE,
        RectState::DoneOnTime => msg::RL_STATE_DONE_ON_TIME,
        RectState::DoneLate => msg::RL_STATE_DONE_LATE,
    }
}

fn department_label(departments: &[Department], id: Option<i64>, lang: Lang) -> String {
    id.and_then(|id| departments.iter().find(|d| d.id == id))
        .map(|d| d.name(lang).to_string())
        .unwrap_or_else(|| msg::RS_WHOLE_CITY.get(lang).to_string())
}

/// A select's options as (value, label) pairs.
type Options = Vec<(String, String)>;

/// The filter form: department, the days, and the list's own selects (name, label, options,
/// chosen value). Each field shows its problem, if any.
#[component]
fn Filters(
    action: &'static str,
    departments: Vec<Department>,
    errors: Vec<FieldError>,
    selects: Vec<(&'static str, Msg, Options, String)>,
) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let get = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let ignored = !errors.is_empty();
    let err = move |field: &str| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| problem_text(&e.problem, lang))
    };
    let department = get("department");
    let invalid = |e: &Option<String>| e.is_some().then_some("true");
    let described = |e: &Option<String>, id: &'static str| e.is_some().then_some(id);
    let (dept_err, from_err, to_err) = (err("department"), err("from"), err("to"));
    let selects: Vec<_> = selects
        .into_iter()
        .map(|(name, label, options, chosen)| {
            let e = err(name);
            let id = format!("rl-{name}");
            let error_id = format!("rl-{name}-error");
            view! {
                <div class="field">
                    <label for=id.clone()>{t(label)}</label>
                    <select id=id name=name aria-invalid=e.is_some().then_some("true")
                        aria-describedby=e.is_some().then(|| error_id.clone())>
                        {options.into_iter().map(|(value, text)| {
                            let selected = value == chosen;
                            view! { <option value=value selected=selected>{text}</option> }
                        }).collect_view()}
                    </select>
                    {e.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
                </div>
            }
        })
        .collect();
    view! {
        <form method="get" action=action class="filter-form results-form">
            <div class="field">
                <label for="rl-department">{t(msg::DEPARTMENT)}</label>
                <select id="rl-department" name="department" aria-invalid=invalid(&dept_err)
                    aria-describedby=described(&dept_err, "rl-department-error")>
                    <option value="">{t(msg::RS_WHOLE_CITY)}</option>
                    {departments.iter().map(|d| view! {
                        <option value=d.code.clone() selected=d.code == department>{crate::i18n::marked_department_name(d, lang)}</option>
                    }).collect_view()}
                </select>
                {dept_err.clone().map(|e| view! { <p class="field-error" id="rl-department-error">{e}</p> })}
            </div>
            <div class="field">
                <label for="rl-from">{t(msg::RL_FROM)}</label>
                <input id="rl-from" name="from" type="date" value=get("from")
                    aria-invalid=invalid(&from_err) aria-describedby=described(&from_err, "rl-from-error")/>
                {from_err.clone().map(|e| view! { <p class="field-error" id="rl-from-error">{e}</p> })}
            </div>
            <div class="field">
                <label for="rl-to">{t(msg::RL_TO)}</label>
                <input id="rl-to" name="to" type="date" value=get("to")
                    aria-invalid=invalid(&to_err) aria-describedby=described(&to_err, "rl-to-error")/>
                {to_err.clone().map(|e| view! { <p class="field-error" id="rl-to-error">{e}</p> })}
            </div>
            {selects}
            <div class="filter-actions">
                <button type="submit" class="btn btn-primary">{t(msg::RS_SHOW)}</button>
            </div>
        </form>
        {ignored.then(|| view! { <p class="notice" role="alert">{t(msg::FILTERS_IGNORED)}</p> })}
    }
}

/// A list's items as a table (the region and caption named `title`), or a line saying
/// nothing matches.
#[component]
fn ItemsTable(title: Msg, heads: Vec<Msg>, rows: Vec<AnyView>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="notice">{t(msg::RL_NONE)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=t(title)>
            <table class="figures items">
                <caption class="visually-hidden">{t(title)}</caption>
                <thead><tr>
                    {heads.into_iter().map(|h| view! { <th scope="col">{t(h)}</th> }).collect_view()}
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The query string of the current filters without `page`, for the pager's links.
fn without_page(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}&", query_escape(v)))
        .collect()
}

#[component]
pub fn RatingsListPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let keys = ["from", "to", "department", "subject", "level", "page"];
    let data = Resource::new(
        move || {
            let q = query.get();
            keys.map(|k| q.get(k).unwrap_or_default())
        },
        |[from, to, department, subject, level, page]| {
            rated_list(from, to, department, subject, level, page)
        },
    );
    view! {
        <Title text=t(msg::RL_RATINGS_TITLE)/>
        <p><a href="/results#ratings">{t(msg::RL_BACK)}</a></p>
        <h1>{t(msg::RL_RATINGS_TITLE)}</h1>
        <p>{t(msg::RL_RATINGS_INTRO)}</p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(list) => {
                    let q = query.read_untracked();
                    let get = |k: &str| q.get(k).unwrap_or_default();
                    let mut subjects = vec![(String::new(), msg::RL_ALL.get(lang).to_string())];
                    subjects.extend(Subject::ALL.map(|s| (s.as_str().to_string(), subject_name(s).get(lang).to_string())));
                    let mut levels = vec![
                        (String::new(), msg::RL_ALL.get(lang).to_string()),
                        ("satisfied".to_string(), msg::RL_SATISFIED.get(lang).to_string()),
                        ("poor".to_string(), msg::RL_POOR.get(lang).to_string()),
                    ];
                    levels.extend(Level::ALL.map(|l| (l.as_str().to_string(), level_name(l).get(lang).to_string())));
                    let selects = vec![
                        ("subject", msg::RS_RATED, subjects, get("subject")),
                        ("level", msg::RL_LEVEL, levels, get("level")),
                    ];
                    let base = format!("/results/ratings?{}", without_page(
                        &["from", "to", "department", "subject", "level"].map(|k| (k, get(k)))));
                    let p = list.page;
                    let satisfied: i64 = Level::ALL.iter().filter(|l| l.satisfied())
                        .map(|l| p.by_level.get(l.as_str()).copied().unwrap_or(0)).sum();
                    let departments = list.departments.clone();
                    let rows: Vec<_> = p.items.iter().map(|i| {
                        let title = match lang { Lang::Zh => i.title_zh.clone(), Lang::En => i.title_en.clone() };
                        let title = if title.is_empty() { msg::RL_NOT_PUBLIC.get(lang).to_string() } else { title };
                        let item = if i.href.is_empty() {
                            view! { <span>{title}</span> }.into_any()
                        } else {
                            view! { <a href=i.href.clone()>{title}</a> }.into_any()
                        };
                        view! {
                            <tr>
                                <td>{local_date(i.created_at)}</td>
                                <th scope="row">{item}<br/><span class="muted">{subject_name(i.subject).get(lang)}</span></th>
                                <td>{department_label(&departments, i.department_id, lang)}</td>
                                <td>{level_name(i.level).get(lang)}</td>
                                <td>{i.round}</td>
                            </tr>
                        }.into_any()
                    }).collect();
                    view! {
                        <Filters action="/results/ratings" departments=list.departments.clone() errors=list.errors.clone() selects/>
                        <p role="status" id="list-count">
                            <strong>{p.total}</strong>" "{t(msg::RL_COUNT_RATINGS)}" · "
                            {t(msg::RL_SATISFIED)}" "<strong>{satisfied}</strong>
                        </p>
                        <ItemsTable title=msg::RL_RATINGS_TITLE rows
                            heads=vec![msg::RL_COL_DATE, msg::RL_COL_ITEM, msg::DEPARTMENT, msg::RL_LEVEL, msg::RL_ROUND]/>
                        <Pager base page=p.page has_more=p.has_more/>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
pub fn RectificationsListPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let keys = ["from", "to", "department", "by", "state", "page"];
    let data = Resource::new(
        move || {
            let q = query.get();
            keys.map(|k| q.get(k).unwrap_or_default())
        },
        |[from, to, department, by, state, page]| {
            rectification_list(from, to, department, by, state, page)
        },
    );
    view! {
        <Title text=t(msg::RL_RECT_TITLE)/>
        <p><a href="/results#figures">{t(msg::RL_BACK)}</a></p>
        <h1>{t(msg::RL_RECT_TITLE)}</h1>
        <p>{t(msg::RL_RECT_INTRO)}</p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(list) => {
                    let q = query.read_untracked();
                    let get = |k: &str| q.get(k).unwrap_or_default();
                    let by = vec![
                        ("opened".to_string(), msg::RL_BY_OPENED.get(lang).to_string()),
                        ("done".to_string(), msg::RL_BY_DONE.get(lang).to_string()),
                    ];
                    let states = RectState::ALL
                        .map(|s| (s.as_str().to_string(), state_name(s).get(lang).to_string()))
                        .to_vec();
                    let chosen_by = if get("by") == "done" { "done".to_string() } else { "opened".to_string() };
                    let selects = vec![
                        ("by", msg::RL_BY, by, chosen_by),
                        ("state", msg::RL_STATE, states, get("state")),
                    ];
                    let base = format!("/results/rectifications?{}", without_page(
                        &["from", "to", "department", "by", "state"].map(|k| (k, get(k)))));
                    let p = list.page;
                    let departments = list.departments.clone();
                    let rows: Vec<_> = p.items.iter().map(|i| {
                        let title = match lang { Lang::Zh => i.title_zh.clone(), Lang::En => i.title_en.clone() };
                        let state = match i.on_time() {
                            None => msg::RL_STATE_OPEN,
                            Some(true) => msg::RL_STATE_DONE_ON_TIME,
                            Some(false) => msg::RL_STATE_DONE_LATE,
                        };
                        view! {
                            <tr>
                                <th scope="row"><a href=i.href.clone()>{title}</a><br/>
                                    <span class="muted">{subject_name(i.subject).get(lang)}</span></th>
                                <td>{department_label(&departments, Some(i.department_id), lang)}</td>
                                <td>{local_date(i.created_at)}</td>
                                <td>{local_date(i.due_at)}</td>
                                <td>{i.done_at.map(local_date).unwrap_or_else(|| "—".into())}</td>
                                <td>{state.get(lang)}</td>
                            </tr>
                        }.into_any()
                    }).collect();
                    view! {
                        <Filters action="/results/rectifications" departments=list.departments.clone() errors=list.errors.clone() selects/>
                        <p role="status" id="list-count">
                            <strong>{p.total}</strong>" "{t(msg::RL_COUNT_RECT)}" · "
                            {t(msg::RL_STATE_DONE)}" "<strong>{p.done}</strong>" · "
                            {t(msg::RL_STATE_DONE_ON_TIME)}" "<strong>{p.done_on_time}</strong>
                        </p>
                        <ItemsTable title=msg::RL_RECT_TITLE rows
                            heads=vec![msg::RL_COL_ITEM, msg::DEPARTMENT, msg::RL_COL_OPENED, msg::RL_COL_DUE, msg::RL_COL_DONE, msg::RL_STATE]/>
                        <Pager base page=p.page has_more=p.has_more/>
                    }.into_any()
                }
            })}
        </Transition>
    }
}
