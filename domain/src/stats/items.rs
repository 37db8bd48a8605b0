//! The items behind the published figures that have no list of their own elsewhere: the
//! ratings the satisfaction rates count and the rectifications (整改) poor ratings opened.
//! Each list applies the same rules as the counts in [`super::facts`], so a figure on the
//! results page and the total of the list it links to agree.

use chrono::{DateTime, Utc};

use crate::error::Error;
use crate::model::rating::{Level, Subject};
use crate::model::stats::{
    ItemRange, RatedItem, RatedPage, RatingFilter, RectFilter, RectItem, RectPage, RectState,
    ITEMS_PAGE,
};
use crate::time::{day_bounds, now};
use crate::{with_db, Services};

/// The deepest page offered (a list this long is better downloaded as open data).
const PAGE_MAX: i64 = 2_000;

/// The UTC bounds `[start, end)` of a range of local days.
fn bounds(svc: &Services, r: &ItemRange) -> (DateTime<Utc>, DateTime<Utc>) {
    day_bounds(r.from, r.to, svc.reports.utc_offset_minutes)
}

/// A report's category or a service's name in both languages, through a subquery on the
/// rating or rectification row `t` (whose `subject_id` names a report, an answer, or a
/// service / service rating).
fn title_sql(t: &str, lang: &str, service_via_rating: bool) -> String {
    let service = if service_via_rating {
        format!("SELECT s.name_{lang} FROM ratings g JOIN services s ON s.id = g.subject_id WHERE g.id = {t}.subject_id")
    } else {
        format!("SELECT s.name_{lang} FROM services s WHERE s.id = {t}.subject_id")
    };
    format!(
        "COALESCE(CASE {t}.subject_kind \
         WHEN 'report' THEN (SELECT c.name_{lang} FROM reports p JOIN categories c ON c.id = p.category_id WHERE p.id = {t}.subject_id) \
         WHEN 'answer' THEN (SELECT q.title FROM answers a JOIN questions q ON q.id = a.question_id \
                             WHERE a.id = {t}.subject_id AND q.visibility = 'visible') \
         ELSE ({service}) END, '')"
    )
}

#[derive(sqlx::FromRow)]
struct RatedRow {
    id: i64,
    subject_kind: String,
    subject_id: i64,
    department_id: Option<i64>,
    level: String,
    round: i64,
    created_at: DateTime<Utc>,
    title_zh: String,
    title_en: String,
    question_id: i64,
    code: String,
}

/// The ratings a satisfaction figure counts (each rater's newest round of a report, every
/// answer and service rating), newest first, rated in the range's days.
pub async fn ratings(svc: &Services, f: &RatingFilter) -> Result<RatedPage, Error> {
    let (start, end) = bounds(svc, &f.range);
    let department = f.range.department.unwrap_or(-1);
    let subject = f.subject.map(Subject::as_str).unwrap_or("");
    // Level names come from the enum, never from the request.
    let levels = if f.levels.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = f
            .levels
            .iter()
            .map(|l| format!("'{}'", l.as_str()))
            .collect();
        format!(" AND r.level IN ({})", names.join(", "))
    };
    let where_ = format!(
        "r.created_at >= $1 AND r.created_at < $2 AND ($3 = -1 OR COALESCE(r.department_id, 0) = $3) \
         AND ($4 = '' OR r.subject_kind = $4){levels} \
         AND NOT (r.subject_kind = 'report' AND EXISTS (SELECT 1 FROM ratings n WHERE n.subject_kind = 'report' \
              AND n.subject_id = r.subject_id AND n.rater_key = r.rater_key AND n.reference = r.reference \
              AND n.round > r.round))"
    );
    let page = f.range.page.clamp(0, PAGE_MAX);
    let sql = format!(
        "SELECT r.id, r.subject_kind, r.subject_id, r.department_id, r.level, r.round, r.created_at, \
         {} AS title_zh, {} AS title_en, \
         COALESCE((SELECT a.question_id FROM answers a WHERE r.subject_kind = 'answer' AND a.id = r.subject_id), 0) AS question_id, \
         COALESCE((SELECT s.code FROM services s WHERE r.subject_kind = 'service' AND s.id = r.subject_id), '') AS code \
         FROM ratings r WHERE {where_} ORDER BY r.created_at DESC, r.id DESC LIMIT {} OFFSET {}",
        title_sql("r", "zh", false),
        title_sql("r", "en", false),
        ITEMS_PAGE + 1,
        page * ITEMS_PAGE
    );
    let count_sql =
        format!("SELECT r.level, count(*) FROM ratings r WHERE {where_} GROUP BY r.level");
    let (rows, counts): (Vec<RatedRow>, Vec<(String, i64)>) = with_db!(&svc.db, p => async {
        let rows = sqlx::query_as(&sql).bind(start).bind(end).bind(department).bind(subject)
            .fetch_all(p).await?;
        let counts = sqlx::query_as(&count_sql).bind(start).bind(end).bind(department).bind(subject)
            .fetch_all(p).await?;
        Ok::<_, sqlx::Error>((rows, counts))
    }.await)?;
    let has_more = rows.len() as i64 > ITEMS_PAGE;
    let items = rows
        .into_iter()
        .take(ITEMS_PAGE as usize)
        .filter_map(|r| {
            let subject = Subject::parse(&r.subject_kind)?;
            let href = match subject {
                Subject::Report => format!("/reports/{}", r.subject_id),
                Subject::Answer if r.title_zh.is_empty() => String::new(),
                Subject::Answer => format!("/questions/{}", r.question_id),
                Subject::Service => format!("/services/{}", r.code),
            };
            Some(RatedItem {
                id: r.id,
                subject,
                subject_id: r.subject_id,
                title_zh: r.title_zh,
                title_en: r.title_en,
                href,
                department_id: r.department_id,
                level: Level::parse(&r.level)?,
                round: r.round,
                created_at: r.created_at,
            })
        })
        .collect();
    Ok(RatedPage {
        items,
        total: counts.iter().map(|(_, n)| n).sum(),
        by_level: counts.into_iter().collect(),
        page,
        has_more,
    })
}

#[derive(sqlx::FromRow)]
struct RectRow {
    id: i64,
    subject_kind: String,
    subject_id: i64,
    department_id: i64,
    created_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
    done_at: Option<DateTime<Utc>>,
    title_zh: String,
    title_en: String,
    code: String,
}

/// Rectifications opened (or, with `by_done`, done) in the range's days, newest first.
pub async fn rectifications(svc: &Services, f: &RectFilter) -> Result<RectPage, Error> {
    let (start, end) = bounds(svc, &f.range);
    let department = f.range.department.unwrap_or(-1);
    let column = if f.by_done { "done_at" } else { "created_at" };
    let state = match f.state {
        RectState::Any => "",
        RectState::Open => " AND x.done_at IS NULL",
        RectState::Overdue => " AND x.done_at IS NULL AND x.due_at < $4",
        RectState::Done => " AND x.done_at IS NOT NULL",
        RectState::DoneOnTime => " AND x.done_at <= x.due_at",
        RectState::DoneLate => " AND x.done_at > x.due_at",
    };
    // $4 is used by the overdue state only; every statement binds it so the numbering holds.
    let where_ = format!(
        "x.{column} >= $1 AND x.{column} < $2 AND ($3 = -1 OR x.department_id = $3) AND $4 = $4{state}"
    );
    let page = f.range.page.clamp(0, PAGE_MAX);
    let sql = format!(
        "SELECT x.id, x.subject_kind, x.subject_id, x.department_id, x.created_at, x.due_at, x.done_at, \
         {} AS title_zh, {} AS title_en, \
         COALESCE((SELECT s.code FROM ratings g JOIN services s ON s.id = g.subject_id \
                   WHERE x.subject_kind = 'service' AND g.id = x.subject_id), '') AS code \
         FROM rectifications x WHERE {where_} ORDER BY x.{column} DESC, x.id DESC LIMIT {} OFFSET {}",
        title_sql("x", "zh", true),
        title_sql("x", "en", true),
        ITEMS_PAGE + 1,
        page * ITEMS_PAGE
    );
    let count_sql = format!(
        "SELECT count(*), count(x.done_at), COALESCE(sum(CASE WHEN x.done_at <= x.due_at THEN 1 ELSE 0 END), 0) \
         FROM rectifications x WHERE {where_}"
    );
    let t = now();
    let (rows, counts): (Vec<RectRow>, (i64, i64, i64)) = with_db!(&svc.db, p => async {
        let rows = sqlx::query_as(&sql).bind(start).bind(end).bind(department).bind(t)
            .fetch_all(p).await?;
        let counts = sqlx::query_as(&count_sql).bind(start).bind(end).bind(department).bind(t)
            .fetch_one(p).await?;
        Ok::<_, sqlx::Error>((rows, counts))
    }.await)?;
    let has_more = rows.len() as i64 > ITEMS_PAGE;
    let items = rows
        .into_iter()
        .take(ITEMS_PAGE as usize)
        .filter_map(|r| {
            let subject = Subject::parse(&r.subject_kind)?;
            let href = match subject {
                Subject::Service => format!("/services/{}", r.code),
                _ => format!("/reports/{}", r.subject_id),
            };
            Some(RectItem {
                id: r.id,
                subject,
                title_zh: r.title_zh,
                title_en: r.title_en,
                href,
                department_id: r.department_id,
                created_at: r.created_at,
                due_at: r.due_at,
                done_at: r.done_at,
            })
        })
        .collect();
    Ok(RectPage {
        items,
        total: counts.0,
        done: counts.1,
        done_on_time: counts.2,
        page,
        has_more,
    })
}
