//! The public list of reports with filters (a plain GET form, so it works without wasm)
//! and keyset pagination; also "My reports".

use gongzhi_domain::model::report::{ReportStatus, ReportSummary};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::reports::{list_reports, Catalog, ListQuery};
use crate::components::reports::{StatusBadge, Thumb};
use crate::error::problem_text;
use crate::i18n::{msg, status_name, t, use_lang};
use crate::pages::LoadError;
use crate::util::query_escape;

fn read_query(q: &leptos_router::params::ParamsMap) -> ListQuery {
    let g = |k: &str| q.get(k).unwrap_or_default();
    ListQuery {
        category: g("category"),
        group: g("group"),
        status: g("status"),
        grid: g("grid"),
        department: g("department"),
        from: g("from"),
        to: g("to"),
        closed_from: g("closed_from"),
        closed_to: g("closed_to"),
        timely: g("timely"),
        q: g("q"),
        before: g("before"),
    }
}

/// The query string of the filters (without the page cursor).
fn filter_string(q: &ListQuery) -> String {
    [
        ("category", &q.category),
        ("group", &q.group),
        ("status", &q.status),
        ("grid", &q.grid),
        ("department", &q.department),
        ("from", &q.from),
        ("to", &q.to),
        ("closed_from", &q.closed_from),
        ("closed_to", &q.closed_to),
        ("timely", &q.timely),
        ("q", &q.q),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", query_escape(v)))
    .collect::<Vec<_>>()
    .join("&")
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    view! { <ReportList mine=false/> }
}

#[cfg(not(feature = "ssr"))]
pub use crate::pages::FullPageLoad as ReportsMapPage;

/// The map view: the same filters, the reports as pins (drawn by `/js/gongzhi.js` from
/// `/reports.geojson`); the list stays one link away for readers without a map.
#[cfg(feature = "ssr")]
#[component]
pub fn ReportsMapPage() -> impl IntoView {
    let query = use_query_map();
    let lq = Memo::new(move |_| read_query(&query.read()));
    let catalog = Resource::new(|| (), |_| crate::api::reports::report_catalog());
    view! {
        <Title text=t(msg::REPORTS_MAP)/>
        <div class="page-head">
            <h1>{t(msg::REPORTS_MAP)}</h1>
            <a href="/reports/new" rel="external" class="btn btn-accent">{t(msg::REPORT_NEW)}</a>
        </div>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || catalog.get().map(|r| {
                let q = lq.get();
                let filters = filter_string(&q);
                let list_href = format!("/reports?{filters}");
                match r {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(cat) => view! {
                        <FilterForm base="/reports/map" query=q catalog=cat error=None/>
                        <p><A href=list_href>{t(msg::LIST_VIEW)}</A></p>
                        <div class="map map-reports" data-map="reports" data-src=format!("/reports.geojson?{filters}")
                            data-lat="22.817" data-lon="108.366" hidden=true></div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
pub fn MyReportsPage() -> impl IntoView {
    view! { <ReportList mine=true/> }
}

#[component]
fn ReportList(mine: bool) -> impl IntoView {
    let query = use_query_map();
    let lq = Memo::new(move |_| read_query(&query.read()));
    let data = Resource::new(move || lq.get(), move |q| list_reports(q, mine));
    let base = if mine { "/me/reports" } else { "/reports" };
    let title = if mine {
        msg::MY_REPORTS
    } else {
        msg::REPORTS_TITLE
    };
    view! {
        <Title text=t(title)/>
        <div class="page-head">
            <h1>{t(title)}</h1>
            <a href="/reports/new" rel="external" class="btn btn-accent">{t(msg::REPORT_NEW)}</a>
        </div>
        {(!mine).then(|| view! {
            <p class="lead">{t(msg::REPORTS_LEAD)}" "
                <a href="/feeds/reports.atom" rel="external" type="application/atom+xml">{t(msg::FEED_REPORTS)}</a></p>
            <p><A href=move || format!("/reports/map?{}", filter_string(&lq.get()))>{t(msg::MAP_VIEW)}</A></p>
        })}
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! {
                    <FilterForm base query=lq.get() catalog=Catalog::default() error=Some(e.clone())/>
                    <LoadError error=e/>
                }.into_any(),
                Ok(res) => {
                    let q = lq.get();
                    let filters = filter_string(&q);
                    let next = res.page.next_before.map(|b| {
                        let sep = if filters.is_empty() { "" } else { "&" };
                        format!("{base}?{filters}{sep}before={b}")
                    });
                    let first = (!q.before.is_empty()).then(|| format!("{base}?{filters}"));
                    let catalog = res.catalog.clone();
                    let empty = res.page.reports.is_empty();
                    let ignored = !res.problems.is_empty();
                    let error = ignored.then(|| crate::error::AppError::Invalid(res.problems.clone()));
                    view! {
                        <FilterForm base query=q catalog=catalog.clone() error/>
                        {ignored.then(|| view! { <p class="notice" role="alert">{t(msg::FILTERS_IGNORED)}</p> })}
                        {empty.then(|| view! { <p class="notice">{t(msg::NO_REPORTS)}</p> })}
                        <ul class="report-list">
                            {res.page.reports.into_iter().map(|r| view! { <ReportItem report=r catalog=catalog.clone()/> }).collect_view()}
                        </ul>
                        <nav class="pager" aria-label=t(msg::PAGES)>
                            {first.map(|href| view! { <A href=href>{t(msg::FIRST_PAGE)}</A> })}
                            {next.map(|href| view! { <A href=href attr:rel="next">{t(msg::OLDER)}</A> })}
                        </nav>
                    }.into_any()
                }
            })}
        </Transition>
    }
    .into_any()
}

/// The filters: a GET form, so results have a URL to bookmark and share.
#[component]
fn FilterForm(
    base: &'static str,
    query: ListQuery,
    catalog: Catalog,
    error: Option<crate::error::AppError>,
) -> impl IntoView {
    let lang = use_lang();
    let field_error = move |name: &str| {
        error
            .as_ref()
            .and_then(|e| e.field(name))
            .map(|p| problem_text(p, lang))
    };
    let from_err = field_error("from");
    let to_err = field_error("to");
    let status_err = field_error("status");
    let closed_from_err = field_error("closed_from");
    let closed_to_err = field_error("closed_to");
    let timely_err = field_error("timely");
    let open = !filter_string(&query).is_empty();
    let statuses = ReportStatus::ALL;
    view! {
        <details class="filters" open=open>
            <summary>{t(msg::FILTERS)}</summary>
            <form method="get" action=base class="filter-form" role="search">
                <div class="field">
                    <label for="flt-q">{t(msg::SEARCH_TEXT)}</label>
                    <input id="flt-q" name="q" type="search" value=query.q.clone()/>
                </div>
                <div class="field">
                    <label for="flt-group">{t(msg::GROUP)}</label>
                    <select id="flt-group" name="group">
                        <option value="">{t(msg::ANY)}</option>
                        {catalog.groups.iter().map(|g| view! {
                            <option value=g.code.clone() selected=g.code == query.group>{g.name(lang).to_string()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="flt-category">{t(msg::CATEGORY)}</label>
                    <select id="flt-category" name="category">
                        <option value="">{t(msg::ANY)}</option>
                        {catalog.categories.iter().map(|c| view! {
                            <option value=c.code.clone() selected=c.code == query.category>{c.name(lang).to_string()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="flt-status">{t(msg::STATUS)}</label>
                    <select id="flt-status" name="status" aria-invalid=status_err.is_some().then_some("true") aria-describedby=status_err.is_some().then_some("flt-status-error")>
                        <option value="">{t(msg::ANY)}</option>
                        <option value="open" selected=query.status == "open">{t(msg::STATUS_OPEN_ALL)}</option>
                        <option value="closed_all" selected=query.status == "closed_all">{t(msg::STATUS_CLOSED_ALL)}</option>
                        {statuses.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=s.as_str() == query.status>{status_name(s).get(lang)}</option>
                        }).collect_view()}
                    </select>
                    {status_err.map(|e| view! { <p class="field-error" id="flt-status-error">{e}</p> })}
                </div>
                <div class="field">
                    <label for="flt-department">{t(msg::DEPARTMENT)}</label>
                    <select id="flt-department" name="department">
                        <option value="">{t(msg::ANY)}</option>
                        {catalog.departments.iter().map(|d| view! {
                            <option value=d.code.clone() selected=d.code == query.department>{crate::i18n::marked_department_name(d, lang)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="flt-grid">{t(msg::GRID)}</label>
                    <select id="flt-grid" name="grid">
                        <option value="">{t(msg::ANY)}</option>
                        {catalog.grids.iter().map(|g| view! {
                            <option value=g.code.clone() selected=g.code == query.grid>{g.name(lang).to_string()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="flt-from">{t(msg::DATE_FROM)}</label>
                    <input id="flt-from" name="from" type="date" value=query.from.clone()
                        aria-invalid=from_err.is_some().then_some("true") aria-describedby=from_err.is_some().then_some("flt-from-error")/>
                    {from_err.map(|e| view! { <p class="field-error" id="flt-from-error">{e}</p> })}
                </div>
                <div class="field">
                    <label for="flt-to">{t(msg::DATE_TO)}</label>
                    <input id="flt-to" name="to" type="date" value=query.to.clone()
                        aria-invalid=to_err.is_some().then_some("true") aria-describedby=to_err.is_some().then_some("flt-to-error")/>
                    {to_err.map(|e| view! { <p class="field-error" id="flt-to-error">{e}</p> })}
                </div>
                <div class="field">
                    <label for="flt-closed-from">{t(msg::CLOSED_FROM)}</label>
                    <input id="flt-closed-from" name="closed_from" type="date" value=query.closed_from.clone()
                        aria-invalid=closed_from_err.is_some().then_some("true") aria-describedby=closed_from_err.is_some().then_some("flt-closed-from-error")/>
                    {closed_from_err.map(|e| view! { <p class="field-error" id="flt-closed-from-error">{e}</p> })}
                </div>
                <div class="field">
                    <label for="flt-closed-to">{t(msg::CLOSED_TO)}</label>
                    <input id="flt-closed-to" name="closed_to" type="date" value=query.closed_to.clone()
                        aria-invalid=closed_to_err.is_some().then_some("true") aria-describedby=closed_to_err.is_some().then_some("flt-closed-to-error")/>
                    {closed_to_err.map(|e| view! { <p class="field-error" id="flt-closed-to-error">{e}</p> })}
                </div>
                <div class="field">
                    <label for="flt-timely">{t(msg::TIMELY)}</label>
                    <select id="flt-timely" name="timely" aria-invalid=timely_err.is_some().then_some("true") aria-describedby=timely_err.is_some().then_some("flt-timely-error")>
                        <option value="">{t(msg::ANY)}</option>
                        <option value="on_time" selected=query.timely == "on_time">{t(msg::TIMELY_ON_TIME)}</option>
                        <option value="late" selected=query.timely == "late">{t(msg::TIMELY_LATE)}</option>
                    </select>
                    {timely_err.map(|e| view! { <p class="field-error" id="flt-timely-error">{e}</p> })}
                </div>
                <div class="filter-actions">
                    <button type="submit" class="btn btn-primary">{t(msg::APPLY_FILTERS)}</button>
                    <A href=base attr:class="btn">{t(msg::CLEAR_FILTERS)}</A>
                </div>
            </form>
        </details>
    }
    .into_any()
}

#[component]
fn ReportItem(report: ReportSummary, catalog: Catalog) -> impl IntoView {
    let lang = use_lang();
    let category = catalog
        .category(report.category_id)
        .map(|c| c.name(lang).to_string())
        .unwrap_or_default();
    let href = format!("/reports/{}", report.id);
    view! {
        <li class="report-item" data-report-id=report.id.to_string()>
            <Thumb photo=report.thumb.clone()/>
            <div class="report-item-body">
                <h2 class="report-item-title"><A href=href attr:rel="external">{category}" #"{report.id}</A></h2>
                <p class="report-meta">
                    <StatusBadge status=report.status/>
                    " "<span class="muted">{report.address.clone()}</span>
                </p>
                {if report.text_withheld {
                    view! { <p class="excerpt tombstone">{t(msg::REPORT_TEXT_WITHHELD)}</p> }.into_any()
                } else {
                    view! { <p class="excerpt">{report.excerpt.clone()}</p> }.into_any()
                }}
                <p class="report-meta muted">
                    <time datetime=report.created_at.to_rfc3339()>{crate::util::local_datetime(report.created_at)}</time>
                    {(report.support_count > 0).then(|| view! { " · "{report.support_count}" "{t(msg::SUPPORTS)} })}
                </p>
            </div>
        </li>
    }
    .into_any()
}
