//! `/results`: the public results dashboard, served as plain HTML (no wasm). For the city
//! or one department over whole months: reports received and closed, the on-time share,
//! median and 90th-percentile time to close, satisfaction, rectifications, questions
//! answered and the median time to answer; a weekly trend, bars per category and a map by
//! grid, each an SVG drawn on the server with its data in a table beside it. Every count
//! links to the list of what it counts.

use gongzhi_domain::model::rating::Level;
use gongzhi_domain::model::stats::{satisfied_in, share, Figures, Week};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::results::{results_page, ResultsData, MAP_WIDTH};
use crate::error::problem_text;
use crate::i18n::{level_name, msg, t, use_lang, Lang};
use crate::pages::LoadError;
use crate::util::query_escape;

fn percent(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0))
        .unwrap_or_else(|| "—".into())
}

/// A duration class's upper bound as people read it: hours within a day, else days.
pub fn duration(v: Option<Option<i64>>, lang: Lang) -> String {
    match v {
        None => "—".into(),
        Some(None) => msg::RS_OVER_A_YEAR.get(lang).into(),
        Some(Some(secs)) if secs <= 24 * 3600 => {
            format!("{} {}", (secs + 3599) / 3600, msg::RS_HOURS.get(lang))
        }
        Some(Some(secs)) => {
            let days = secs as f64 / 86400.0;
            let s = format!("{days:.2}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            format!("{s} {}", msg::RS_DAYS.get(lang))
        }
    }
}

/// Links to lists, with the period's dates and the department.
#[derive(Clone)]
struct Links {
    department: String,
    /// The period's first and last local dates (`YYYY-MM-DD`), empty for all time.
    first: String,
    last: String,
}

impl Links {
    fn query(&self, pairs: &[(&str, &str)]) -> String {
        let mut all: Vec<(&str, &str)> = pairs.to_vec();
        if !self.department.is_empty() {
            all.push(("department", &self.department));
        }
        all.iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", query_escape(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
    /// Reports received in the period.
    fn received(&self, extra: &[(&str, &str)]) -> String {
        let mut p = vec![("from", self.first.as_str()), ("to", self.last.as_str())];
        p.extend_from_slice(extra);
        format!("/reports?{}", self.query(&p))
    }
    /// Reports closed in the period.
    fn closed(&self, extra: &[(&str, &str)]) -> String {
        let mut p = vec![
            ("status", "closed"),
            ("closed_from", self.first.as_str()),
            ("closed_to", self.last.as_str()),
        ];
        p.extend_from_slice(extra);
        format!("/reports?{}", self.query(&p))
    }
    /// One of the lists behind the rating and rectification figures, over the period's days.
    fn items(&self, path: &str, extra: &[(&str, &str)]) -> String {
        let mut p = vec![("from", self.first.as_str()), ("to", self.last.as_str())];
        p.extend_from_slice(extra);
        format!("/results/{path}?{}", self.query(&p))
    }
    /// Public questions of the department asked (or, `answered`, first answered) in the period.
    fn questions(&self, answered: bool, department_id: Option<i64>) -> String {
        let d = department_id.map(|d| d.to_string()).unwrap_or_default();
        let (from, to) = if answered {
            ("answered_from", "answered_to")
        } else {
            ("asked_from", "asked_to")
        };
        let q: Vec<String> = [
            ("department", d.as_str()),
            (from, self.first.as_str()),
            (to, self.last.as_str()),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
        format!("/ask?{}", q.join("&"))
    }
}

/// One headline figure: what it is, its value (a link to what it counts), and a note.
#[component]
fn Figure(
    name: &'static str,
    label: Msg,
    value: String,
    href: String,
    #[prop(optional)] note: String,
) -> impl IntoView {
    view! {
        <div class="figure" id=format!("fig-{name}")>
            <dt>{t(label)}</dt>
            <dd><a href=href class="figure-value">{value}</a>
                {(!note.is_empty()).then(|| view! { <span class="figure-note">{note}</span> })}
            </dd>
        </div>
    }
}

use crate::i18n::Msg;

#[component]
fn Headline(f: Figures, links: Links, department_id: Option<i64>) -> impl IntoView {
    let lang = use_lang();
    let of = |a: i64, b: i64| format!("{a} / {b}");
    view! {
        <dl class="headline" id="figures">
            <Figure name="received" label=msg::RS_RECEIVED value=f.received.to_string() href=links.received(&[])/>
            <Figure name="closed" label=msg::RS_CLOSED value=f.closed.to_string() href=links.closed(&[])/>
            <Figure name="on-time" label=msg::RS_ON_TIME value=percent(f.on_time_rate()) href=links.closed(&[("timely", "on_time")])
                note=of(f.closed_on_time, f.closed)/>
            <Figure name="median" label=msg::RS_MEDIAN_CLOSE value=duration(f.close_median, lang) href=links.closed(&[])/>
            <Figure name="p90" label=msg::RS_P90_CLOSE value=duration(f.close_p90, lang) href=links.closed(&[])/>
            <Figure name="satisfaction" label=msg::RS_SATISFACTION value=percent(f.satisfaction_rate()) href=links.items("ratings", &[])
                note=of(f.satisfied(), f.rated())/>
            <Figure name="rectified" label=msg::RS_RECTIFIED_ON_TIME value=percent(f.rectified_on_time_rate()) href=links.items("rectifications", &[("by", "done")])
                note=format!("{} / {} · {} {}", f.rectifications_done_on_time, f.rectifications_done, msg::RS_RECT_OPENED.get(lang), f.rectifications_opened)/>
            <Figure name="asked" label=msg::RS_ASKED value=f.asked.to_string() href=links.questions(false, department_id)/>
            <Figure name="answered" label=msg::RS_ANSWERED value=f.answered.to_string() href=links.questions(true, department_id)
                note=format!("{} {}", msg::RS_ON_TIME_SHORT.get(lang), percent(f.answered_on_time_rate()))/>
            <Figure name="answer-median" label=msg::RS_MEDIAN_ANSWER value=duration(f.answer_median, lang) href=links.questions(true, department_id)/>
        </dl>
    }
    .into_any()
}

/// The key of a chart's two series.
#[component]
fn Keys() -> impl IntoView {
    view! {
        <span class="key key-received">{t(msg::RS_RECEIVED)}</span>" "
        <span class="key key-closed">{t(msg::RS_CLOSED)}</span>
    }
}

/// A chart's figures as a table, folded under "Data table".
#[component]
fn DataTable(caption: Msg, heads: Vec<Msg>, children: Children) -> impl IntoView {
    view! {
        <details class="data-table">
            <summary>{t(msg::RS_DATA_TABLE)}</summary>
            <div class="table-wrap" tabindex="0" role="region" aria-label=t(caption)>
                <table class="figures">
                    <caption>{t(caption)}</caption>
                    <thead><tr>
                        {heads.into_iter().map(|h| view! { <th scope="col">{t(h)}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>{children()}</tbody>
                </table>
            </div>
        </details>
    }
}

/// Weekly received and closed reports as bars (the last 60 weeks of a longer period).
#[component]
fn Trend(weeks: Vec<Week>) -> impl IntoView {
    const W: f64 = 640.0;
    const H: f64 = 200.0;
    const TOP: f64 = 16.0;
    const BOTTOM: f64 = 24.0;
    let shown: Vec<Week> = weeks.iter().rev().take(60).rev().cloned().collect();
    let max = shown
        .iter()
        .map(|w| w.received.max(w.closed))
        .max()
        .unwrap_or(0)
        .max(1);
    let n = shown.len().max(1) as f64;
    let slot = W / n;
    let bar = (slot / 2.0 - 1.0).max(0.5);
    let y = move |v: i64| (H - BOTTOM) - (v as f64 / max as f64) * (H - BOTTOM - TOP);
    let label_every = (shown.len() / 6).max(1);
    let bars = shown
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let x = i as f64 * slot;
            let label = (i % label_every == 0).then(|| w.monday.format("%m-%d").to_string());
            view! {
                <rect class="bar-received" x=format!("{x:.1}") y=format!("{:.1}", y(w.received)) width=format!("{bar:.1}")
                    height=format!("{:.1}", (H - BOTTOM) - y(w.received))/>
                <rect class="bar-closed" x=format!("{:.1}", x + bar + 1.0) y=format!("{:.1}", y(w.closed)) width=format!("{bar:.1}")
                    height=format!("{:.1}", (H - BOTTOM) - y(w.closed))/>
                {label.map(|l| view! { <text class="axis" x=format!("{x:.1}") y=format!("{:.1}", H - 6.0)>{l}</text> })}
            }
        })
        .collect_view();
    let more = weeks.len() > shown.len();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby="trend-title" class="chart-svg">
                <title id="trend-title">{t(msg::RS_TREND_ALT)}</title>
                <line class="axis-line" x1="0" x2=W.to_string() y1=(H - BOTTOM).to_string() y2=(H - BOTTOM).to_string()/>
                <text class="axis" x="2" y="12">{max}</text>
                {bars}
            </svg>
            <figcaption>
                <Keys/>
                {more.then(|| view! { " · "{t(msg::RS_LAST_60_WEEKS)} })}
            </figcaption>
        </figure>
        <DataTable caption=msg::RS_TREND_TITLE
            heads=vec![msg::RS_WEEK_OF, msg::RS_RECEIVED, msg::RS_CLOSED, msg::RS_ASKED, msg::RS_ANSWERED]>
                    {weeks.into_iter().map(|w| view! {
                        <tr><th scope="row">{w.monday.to_string()}</th><td>{w.received}</td><td>{w.closed}</td>
                            <td>{w.asked}</td><td>{w.answered}</td></tr>
                    }).collect_view()}
        </DataTable>
    }
    .into_any()
}

/// Reports per category as horizontal bars, most first.
#[component]
fn Categories(data: ResultsData, links: Links) -> impl IntoView {
    let lang = use_lang();
    let mut rows = data.results.categories.clone();
    rows.sort_by(|a, b| {
        b.received
            .cmp(&a.received)
            .then(a.category_id.cmp(&b.category_id))
    });
    let max = rows
        .iter()
        .map(|c| c.received.max(c.closed))
        .max()
        .unwrap_or(0)
        .max(1);
    const W: f64 = 640.0;
    const LABEL: f64 = 170.0;
    const ROW: f64 = 26.0;
    let h = ROW * rows.len().max(1) as f64 + 4.0;
    let name = |id: i64| {
        data.catalog
            .category(id)
            .map(|c| (c.code.clone(), c.name(lang).to_string()))
            .unwrap_or_default()
    };
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (code, label) = name(c.category_id);
            let y = i as f64 * ROW + 4.0;
            let w = |v: i64| (v as f64 / max as f64) * (W - LABEL - 50.0);
            view! {
                <a href=links.received(&[("category", code.as_str())])>
                    <text class="bar-label" x=(LABEL - 6.0).to_string() y=format!("{:.1}", y + 15.0)>{label}</text>
                </a>
                <rect class="bar-received" x=LABEL.to_string() y=format!("{y:.1}") width=format!("{:.1}", w(c.received)) height="10"/>
                <rect class="bar-closed" x=LABEL.to_string() y=format!("{:.1}", y + 11.0) width=format!("{:.1}", w(c.closed)) height="10"/>
                <text class="axis" x=format!("{:.1}", LABEL + w(c.received.max(c.closed)) + 4.0) y=format!("{:.1}", y + 15.0)>{c.received}</text>
            }
        })
        .collect_view();
    let table = rows
        .iter()
        .map(|c| {
            let (code, label) = name(c.category_id);
            view! {
                <tr><th scope="row">{label}</th>
                    <td><a href=links.received(&[("category", code.as_str())])>{c.received}</a></td>
                    <td><a href=links.closed(&[("category", code.as_str())])>{c.closed}</a></td>
                    <td>{percent(share(c.closed_on_time, c.closed))}</td></tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {h}") role="group" aria-labelledby="categories-title" class="chart-svg">
                <title id="categories-title">{t(msg::RS_CATEGORIES_ALT)}</title>
                {bars}
            </svg>
            <figcaption><Keys/></figcaption>
        </figure>
        <DataTable caption=msg::RS_CATEGORIES_TITLE
            heads=vec![msg::CATEGORY, msg::RS_RECEIVED, msg::RS_CLOSED, msg::RS_ON_TIME]>
            {table}
        </DataTable>
    }
    .into_any()
}

/// The grids shaded by reports received, each a link to its reports.
#[component]
fn GridMap(data: ResultsData, links: Links) -> impl IntoView {
    let lang = use_lang();
    let count = |id: i64| {
        data.results
            .grids
            .iter()
            .find(|g| g.grid_id == id)
            .map(|g| (g.received, g.closed))
            .unwrap_or((0, 0))
    };
    let max = data
        .results
        .grids
        .iter()
        .filter(|g| g.grid_id != 0)
        .map(|g| g.received)
        .max()
        .unwrap_or(0);
    // Five shades: none, then quarters of the busiest grid's count.
    let shade = move |n: i64| {
        if n == 0 || max == 0 {
            0
        } else {
            ((n * 4 + max - 1) / max).clamp(1, 4)
        }
    };
    let outside = count(0).0;
    let shapes = data
        .shapes
        .iter()
        .map(|s| {
            let g = data.catalog.grid(s.grid_id);
            let code = g.map(|g| g.code.clone()).unwrap_or_default();
            let name = g.map(|g| g.name(lang).to_string()).unwrap_or_default();
            let (received, _) = count(s.grid_id);
            view! {
                <a href=links.received(&[("grid", code.as_str())]) aria-label=format!("{name}: {received}")>
                    <path class=format!("grid-shape heat-{}", shade(received)) d=s.path.clone()>
                        <title>{format!("{name}: {received}")}</title>
                    </path>
                    <text class="grid-count" x=format!("{:.1}", s.label_x) y=format!("{:.1}", s.label_y)>{received}</text>
                </a>
            }
        })
        .collect_view();
    let mut rows: Vec<_> = data
        .catalog
        .grids
        .iter()
        .map(|g| (g.code.clone(), g.name(lang).to_string(), g.id))
        .collect();
    rows.sort_by_key(|(_, _, id)| std::cmp::Reverse(count(*id).0));
    let outside_closed = count(0).1;
    let table = view! {
        {rows.into_iter().map(|(code, name, id)| {
            let (r, c) = count(id);
            view! {
                <tr><th scope="row">{name}</th>
                    <td><a href=links.received(&[("grid", code.as_str())])>{r}</a></td>
                    <td><a href=links.closed(&[("grid", code.as_str())])>{c}</a></td></tr>
            }
        }).collect_view()}
        {(outside > 0).then(|| view! {
            <tr><th scope="row">{t(msg::RS_OUTSIDE_GRIDS)}</th><td>{outside}</td><td>{outside_closed}</td></tr>
        })}
    };
    view! {
        {(!data.shapes.is_empty()).then(|| view! {
            <figure class="chart">
                <svg viewBox=format!("-4 -4 {} {:.1}", MAP_WIDTH + 8.0, data.map_height + 8.0) role="group"
                    aria-labelledby="map-title" class="chart-svg map-svg">
                    <title id="map-title">{t(msg::RS_MAP_ALT)}</title>
                    {shapes.clone()}
                </svg>
                <figcaption>{t(msg::RS_MAP_KEY)}</figcaption>
            </figure>
        })}
        <DataTable caption=msg::RS_MAP_TITLE heads=vec![msg::GRID, msg::RS_RECEIVED, msg::RS_CLOSED]>
            {table}
        </DataTable>
    }
    .into_any()
}

/// Each department's figures (the city's view).
#[component]
fn Departments(data: ResultsData, links: Links) -> impl IntoView {
    let lang = use_lang();
    let link = move |code: &str| {
        let mut q = vec![format!("department={}", query_escape(code))];
        if !links.first.is_empty() {
            q.push(format!("from={}", &links.first[..7]));
            q.push(format!("to={}", &links.last[..7]));
        } else {
            q.push("period=all".into());
        }
        format!("/results?{}", q.join("&"))
    };
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=t(msg::RS_DEPARTMENTS_TITLE)>
            <table class="figures wide">
                <caption class="visually-hidden">{t(msg::RS_DEPARTMENTS_TITLE)}</caption>
                <thead><tr>
                    <th scope="col">{t(msg::DEPARTMENT)}</th>
                    <th scope="col">{t(msg::RS_RECEIVED)}</th>
                    <th scope="col">{t(msg::RS_CLOSED)}</th>
                    <th scope="col">{t(msg::RS_ON_TIME)}</th>
                    <th scope="col">{t(msg::RS_MEDIAN_CLOSE)}</th>
                    <th scope="col">{t(msg::RS_SATISFACTION)}</th>
                    <th scope="col">{t(msg::RS_ANSWERED)}</th>
                    <th scope="col">{t(msg::RS_MEDIAN_ANSWER)}</th>
                </tr></thead>
                <tbody>
                    {data.catalog.departments.iter().map(|d| {
                        let f = data.results.departments.iter().find(|(id, _)| *id == d.id).map(|(_, f)| f.clone()).unwrap_or_default();
                        view! {
                            <tr>
                                <th scope="row"><a href=link(&d.code)>{d.name(lang).to_string()}</a></th>
                                <td>{f.received}</td><td>{f.closed}</td><td>{percent(f.on_time_rate())}</td>
                                <td>{duration(f.close_median, lang)}</td><td>{percent(f.satisfaction_rate())}</td>
                                <td>{f.answered}" / "{f.asked}</td><td>{duration(f.answer_median, lang)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Ratings by what was rated and level.
#[component]
fn Ratings(f: Figures, links: Links) -> impl IntoView {
    let lang = use_lang();
    let subjects = [
        ("report", msg::RS_RATED_REPORTS),
        ("answer", msg::RS_RATED_ANSWERS),
        ("service", msg::RS_RATED_SERVICES),
    ];
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=t(msg::RS_RATINGS_TITLE)>
            <table class="figures wide">
                <caption class="visually-hidden">{t(msg::RS_RATINGS_TITLE)}</caption>
                <thead><tr>
                    <th scope="col">{t(msg::RS_RATED)}</th>
                    {Level::ALL.into_iter().map(|l| view! { <th scope="col">{level_name(l).get(lang)}</th> }).collect_view()}
                    <th scope="col">{t(msg::RS_SATISFACTION)}</th>
                </tr></thead>
                <tbody>
                    {subjects.into_iter().map(|(key, label)| {
                        let levels = f.ratings_by_subject.get(key).cloned().unwrap_or_default();
                        let total: i64 = levels.values().sum();
                        view! {
                            <tr><th scope="row"><a href=links.items("ratings", &[("subject", key)])>{label.get(lang)}</a></th>
                                {Level::ALL.into_iter().map(|l| view! {
                                    <td><a href=links.items("ratings", &[("subject", key), ("level", l.as_str())])>
                                        {levels.get(l.as_str()).copied().unwrap_or(0)}</a></td>
                                }).collect_view()}
                                <td><a href=links.items("ratings", &[("subject", key), ("level", "satisfied")])>
                                    {percent(share(satisfied_in(&levels), total))}</a></td></tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The period and department form, with the usual periods one tap away.
#[component]
fn PeriodForm(data: ResultsData) -> impl IntoView {
    let lang = use_lang();
    let err = |field: &str| {
        data.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| problem_text(&e.problem, lang))
    };
    let (from_err, to_err, dept_err, period_err) =
        (err("from"), err("to"), err("department"), err("period"));
    let dept_q = if data.department.is_empty() {
        String::new()
    } else {
        format!("&department={}", query_escape(&data.department))
    };
    let presets = [
        ("this_month", msg::RS_THIS_MONTH),
        ("last_month", msg::RS_LAST_MONTH),
        ("last_12", msg::RS_LAST_12),
        ("this_year", msg::RS_THIS_YEAR),
        ("last_year", msg::RS_LAST_YEAR),
        ("all", msg::RS_ALL_TIME),
    ];
    view! {
        <form method="get" action="/results" class="filter-form results-form">
            <div class="field">
                <label for="rs-department">{t(msg::DEPARTMENT)}</label>
                <select id="rs-department" name="department" aria-invalid=dept_err.is_some().then_some("true")
                    aria-describedby=dept_err.is_some().then_some("rs-department-error")>
                    <option value="">{t(msg::RS_WHOLE_CITY)}</option>
                    {data.catalog.departments.iter().map(|d| view! {
                        <option value=d.code.clone() selected=d.code == data.department>{crate::i18n::marked_department_name(d, lang)}</option>
                    }).collect_view()}
                </select>
                {dept_err.map(|e| view! { <p class="field-error" id="rs-department-error">{e}</p> })}
            </div>
            <div class="field">
                <label for="rs-from">{t(msg::RS_FROM_MONTH)}</label>
                <input id="rs-from" name="from" type="month" placeholder="2026-01" value=data.from.clone()
                    aria-invalid=from_err.is_some().then_some("true") aria-describedby=from_err.is_some().then_some("rs-from-error")/>
                {from_err.map(|e| view! { <p class="field-error" id="rs-from-error">{e}</p> })}
            </div>
            <div class="field">
                <label for="rs-to">{t(msg::RS_TO_MONTH)}</label>
                <input id="rs-to" name="to" type="month" placeholder="2026-12" value=data.to.clone()
                    aria-invalid=to_err.is_some().then_some("true") aria-describedby=to_err.is_some().then_some("rs-to-error")/>
                {to_err.map(|e| view! { <p class="field-error" id="rs-to-error">{e}</p> })}
            </div>
            <div class="filter-actions">
                <button type="submit" class="btn btn-primary">{t(msg::RS_SHOW)}</button>
            </div>
        </form>
        {period_err.map(|e| view! { <p class="field-error" role="alert">{t(msg::RS_PERIOD)}": "{e}</p> })}
        <p class="presets">
            {presets.into_iter().map(|(key, label)| view! {
                <a class="chip" href=format!("/results?period={key}{dept_q}")>{label.get(lang)}</a>" "
            }).collect_view()}
        </p>
    }
    .into_any()
}

#[component]
pub fn ResultsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.get();
            let g = |k: &str| q.get(k).unwrap_or_default();
            (g("period"), g("from"), g("to"), g("department"))
        },
        |(period, from, to, department)| results_page(period, from, to, department),
    );
    view! {
        <Title text=t(msg::NAV_RESULTS)/>
        <h1>{t(msg::NAV_RESULTS)}</h1>
        <p>{t(msg::RS_INTRO)}</p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(d) => {
                    let first = if d.from.is_empty() { String::new() } else { format!("{}-01", d.from) };
                    let last = gongzhi_domain::model::stats::Month::parse(&d.to)
                        .map(|m| m.last_day().to_string())
                        .unwrap_or_default();
                    let links = Links { department: d.department.clone(), first, last };
                    let dept = d.catalog.departments.iter().find(|x| x.code == d.department).cloned();
                    let whom = dept.as_ref().map(|x| x.name(lang).to_string()).unwrap_or_else(|| msg::RS_WHOLE_CITY.get(lang).to_string());
                    let when = if d.from.is_empty() {
                        msg::RS_ALL_TIME.get(lang).to_string()
                    } else if d.from == d.to {
                        d.from.clone()
                    } else {
                        format!("{} – {}", d.from, d.to)
                    };
                    let f = d.results.figures.clone();
                    let department_id = d.results.department_id;
                    view! {
                        <PeriodForm data=d.clone()/>
                        <h2 id="figures-title">{whom}" · "{when}</h2>
                        {(d.results.pending > 0).then(|| view! { <p class="muted">{t(msg::RS_PENDING)}</p> })}
                        <Headline f=f.clone() links=links.clone() department_id/>
                        <section aria-labelledby="trend-h">
                            <h2 id="trend-h">{t(msg::RS_TREND_TITLE)}</h2>
                            <Trend weeks=d.results.weeks.clone()/>
                        </section>
                        <section aria-labelledby="categories-h">
                            <h2 id="categories-h">{t(msg::RS_CATEGORIES_TITLE)}</h2>
                            <Categories data=d.clone() links=links.clone()/>
                        </section>
                        <section aria-labelledby="map-h">
                            <h2 id="map-h">{t(msg::RS_MAP_TITLE)}</h2>
                            <GridMap data=d.clone() links=links.clone()/>
                        </section>
                        {department_id.is_none().then(|| view! {
                            <section aria-labelledby="departments-h">
                                <h2 id="departments-h">{t(msg::RS_DEPARTMENTS_TITLE)}</h2>
                                <Departments data=d.clone() links=links.clone()/>
                            </section>
                        })}
                        <section aria-labelledby="ratings-h" id="ratings">
                            <h2 id="ratings-h">{t(msg::RS_RATINGS_TITLE)}</h2>
                            <Ratings f=f.clone() links=links.clone()/>
                        </section>
                        <section aria-labelledby="how-h" class="card">
                            <h2 id="how-h">{t(msg::RS_HOW_TITLE)}</h2>
                            <ul class="definitions">
                                <li>{t(msg::RS_HOW_PERIOD)}</li>
                                <li>{t(msg::RS_HOW_CLOSED)}</li>
                                <li>{t(msg::RS_HOW_DURATION)}</li>
                                <li>{t(msg::RS_HOW_SATISFACTION)}</li>
                                <li>{t(msg::RS_HOW_QUESTIONS)}</li>
                            </ul>
                            <p><a href="/open-data">{t(msg::RS_OPEN_DATA)}</a></p>
                        </section>
                    }.into_any()
                }
            })}
        </Transition>
    }
}
