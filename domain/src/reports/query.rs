//! Reading reports: the public list with filters and keyset pagination, one report's page,
//! open reports near a place, and an anonymous reporter's tracking code.
//!
//! Queries here select public columns only; nothing that names a reporter is read except
//! the display name of a reporter who chose to show it.

use chrono::{DateTime, Utc};

use crate::db::Db;
use crate::error::Error;
use crate::geo::{distance_m, BBox, Point};
use crate::model::deliberation::Visibility;
use crate::model::moderation::HiddenWhy;
use crate::model::report::{
    Actor, Forwarding, Nearby, PhotoRef, Relay, ReportDetail, ReportFilter, ReportPage,
    ReportStatus, ReportSummary, TimelineEntry,
};
use crate::model::Role;
use crate::{with_db, Services};

use super::tracking_hash;

/// The most reports one page may hold.
pub const LIST_MAX: i64 = 100;
const EXCERPT_CHARS: usize = 120;

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    category_id: i64,
    status: String,
    /// Empty when moderators hold or hid the text.
    description: String,
    visibility: String,
    address: String,
    lat: f64,
    lon: f64,
    grid_id: Option<i64>,
    department_id: i64,
    support_count: i64,
    created_at: DateTime<Utc>,
    photo_uid: Option<String>,
    display_width: Option<i64>,
    display_height: Option<i64>,
    thumb_width: Option<i64>,
    thumb_height: Option<i64>,
}

const SUMMARY_SELECT: &str = "SELECT r.id, r.category_id, r.status, \
     CASE WHEN r.visibility = 'visible' THEN r.description ELSE '' END AS description, r.visibility, r.address, r.lat, r.lon, r.grid_id, \
     r.department_id, r.support_count, r.created_at, ph.uid AS photo_uid, ph.display_width, ph.display_height, \
     ph.thumb_width, ph.thumb_height FROM reports r \
     LEFT JOIN photos ph ON ph.report_id = r.id AND ph.position = 0 AND ph.event_id IS NULL";

fn status(s: &str) -> ReportStatus {
    ReportStatus::parse(s).unwrap_or(ReportStatus::Submitted)
}

impl SummaryRow {
    fn into_summary(self) -> ReportSummary {
        let excerpt = if self.description.chars().count() > EXCERPT_CHARS {
            let mut e: String = self.description.chars().take(EXCERPT_CHARS).collect();
            e.push('…');
            e
        } else {
            self.description
        };
        let thumb = match (
            self.photo_uid,
            self.display_width,
            self.display_height,
            self.thumb_width,
            self.thumb_height,
        ) {
            (Some(uid), Some(dw), Some(dh), Some(tw), Some(th)) => Some(PhotoRef {
                uid,
                display_width: dw,
                display_height: dh,
                thumb_width: tw,
                thumb_height: th,
            }),
            _ => None,
        };
        ReportSummary {
            text_withheld: self.visibility != "visible",
            id: self.id,
            category_id: self.category_id,
            status: status(&self.status),
            excerpt,
            address: self.address,
            lat: self.lat,
            lon: self.lon,
            grid_id: self.grid_id,
            department_id: self.department_id,
            support_count: self.support_count,
            thumb,
            created_at: self.created_at,
        }
    }
}

/// A value to bind to a dynamically built query.
enum Bind {
    I64(i64),
    F64(f64),
    Text(String),
    Time(DateTime<Utc>),
}

/// Builds `WHERE` conditions with numbered placeholders.
#[derive(Default)]
struct Conditions {
    sql: Vec<String>,
    binds: Vec<Bind>,
}

impl Conditions {
    fn push(&mut self, sql: &str, values: Vec<Bind>) {
        let mut s = sql.to_string();
        for v in values {
            self.binds.push(v);
            // `?` marks where the next placeholder goes.
            s = s.replacen('?', &format!("${}", self.binds.len()), 1);
        }
        self.sql.push(s);
    }
    fn where_clause(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.sql.join(" AND "))
        }
    }
}

async fn fetch_summaries(db: &Db, sql: &str, binds: &[Bind]) -> Result<Vec<ReportSummary>, Error> {
    let rows: Vec<SummaryRow> = with_db!(db, p => {
        let mut q = sqlx::query_as(sql);
        for b in binds {
            q = match b {
                Bind::I64(v) => q.bind(*v),
                Bind::F64(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.as_str()),
                Bind::Time(v) => q.bind(*v),
            };
        }
        q.fetch_all(p).await
    })?;
    Ok(rows.into_iter().map(SummaryRow::into_summary).collect())
}

use crate::time::day_start;

/// Escapes LIKE wildcards so a search for "50%" means those characters.
pub(crate) fn like_pattern(q: &str) -> String {
    let escaped = q
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The `WHERE` conditions of a filter.
fn conditions(svc: &Services, filter: &ReportFilter) -> Conditions {
    let mut c = Conditions::default();
    if let Some(code) = filter.category.as_deref().filter(|s| !s.is_empty()) {
        c.push(
            "r.category_id = (SELECT id FROM categories WHERE code = ?)",
            vec![Bind::Text(code.into())],
        );
    }
    if let Some(code) = filter.group.as_deref().filter(|s| !s.is_empty()) {
        c.push(
            "r.category_id IN (SELECT c.id FROM categories c JOIN category_groups g ON g.id = c.group_id WHERE g.code = ?)",
            vec![Bind::Text(code.into())],
        );
    }
    if let Some(s) = filter.status {
        c.push("r.status = ?", vec![Bind::Text(s.as_str().into())]);
    }
    match filter.open {
        Some(true) => c.push("r.status NOT IN ('closed', 'rejected')", vec![]),
        Some(false) => c.push("r.status IN ('closed', 'rejected')", vec![]),
        None => {}
    }
    if let Some(code) = filter.grid.as_deref().filter(|s| !s.is_empty()) {
        c.push(
            "r.grid_id = (SELECT id FROM grids WHERE code = ?)",
            vec![Bind::Text(code.into())],
        );
    }
    if let Some(code) = filter.department.as_deref().filter(|s| !s.is_empty()) {
        c.push(
            "r.department_id = (SELECT id FROM departments WHERE code = ?)",
            vec![Bind::Text(code.into())],
        );
    }
    let offset = svc.reports.utc_offset_minutes;
    if let Some(d) = filter.from {
        c.push("r.created_at >= ?", vec![Bind::Time(day_start(d, offset))]);
    }
    if let Some(d) = filter.to.and_then(|d| d.succ_opt()) {
        c.push("r.created_at < ?", vec![Bind::Time(day_start(d, offset))]);
    }
    if let Some(d) = filter.closed_from {
        c.push(
            "r.status = 'closed' AND r.closed_at >= ?",
            vec![Bind::Time(day_start(d, offset))],
        );
    }
    if let Some(d) = filter.closed_to.and_then(|d| d.succ_opt()) {
        c.push(
            "r.status = 'closed' AND r.closed_at < ?",
            vec![Bind::Time(day_start(d, offset))],
        );
    }
    match filter.on_time {
        Some(true) => c.push("r.status = 'closed' AND r.closed_at <= r.due_at", vec![]),
        Some(false) => c.push("r.status = 'closed' AND r.closed_at > r.due_at", vec![]),
        None => {}
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // LIKE decides on both backends (and for Chinese, which has no spaces). Dialect spot:
        // on SQLite, a search of three or more characters first narrows the reports to those
        // the trigram index holds the text in (migration 0023), and those whose text waits
        // to be indexed (migration 0026, `search::index_waiting`); PostgreSQL's planner
        // uses its trigram indexes for the LIKE itself.
        if matches!(svc.db, crate::db::Db::Sqlite(_)) && q.chars().count() >= 3 {
            c.push(
                "r.id IN (SELECT rowid FROM reports_search WHERE reports_search MATCH ? \
                 UNION ALL SELECT report_id FROM reports_search_pending)",
                vec![Bind::Text(format!("\"{}\"", q.replace('"', "\"\"")))],
            );
        }
        let pat = like_pattern(q);
        c.push(
            "((r.visibility = 'visible' AND lower(r.description) LIKE ? ESCAPE '\\') OR lower(r.address) LIKE ? ESCAPE '\\')",
            vec![Bind::Text(pat.clone()), Bind::Text(pat)],
        );
    }
    if let Some(id) = filter.reporter_id {
        c.push("r.reporter_id = ?", vec![Bind::I64(id)]);
    }
    c
}

/// A page of reports, newest first, matching `filter`; `before` is the previous page's
/// `next_before` (keyset pagination, so deep pages cost the same as the first).
pub async fn list(
    svc: &Services,
    filter: &ReportFilter,
    before: Option<i64>,
    limit: i64,
) -> Result<ReportPage, Error> {
    let limit = limit.clamp(1, LIST_MAX);
    let mut c = conditions(svc, filter);
    if let Some(b) = before {
        c.push("r.id < ?", vec![Bind::I64(b)]);
    }
    let sql = format!(
        "{SUMMARY_SELECT}{} ORDER BY r.id DESC LIMIT {}",
        c.where_clause(),
        limit + 1
    );
    let mut reports = fetch_summaries(&svc.db, &sql, &c.binds).await?;
    let next_before = if reports.len() as i64 > limit {
        reports.truncate(limit as usize);
        reports.last().map(|r| r.id)
    } else {
        None
    };
    Ok(ReportPage {
        reports,
        next_before,
    })
}

/// A report as a point on the map.
#[derive(Clone, Debug, PartialEq, serde::Serialize, sqlx::FromRow)]
pub struct MapPoint {
    pub id: i64,
    pub category_id: i64,
    pub status: String,
    pub lat: f64,
    pub lon: f64,
}

/// The most points a map shows at once (the newest).
pub const MAP_MAX: i64 = 2000;

/// The newest reports matching `filter`, as points for the map view.
pub async fn points(svc: &Services, filter: &ReportFilter) -> Result<Vec<MapPoint>, Error> {
    let c = conditions(svc, filter);
    let sql = format!(
        "SELECT r.id, r.category_id, r.status, r.lat, r.lon FROM reports r{} ORDER BY r.id DESC LIMIT {MAP_MAX}",
        c.where_clause()
    );
    Ok(with_db!(&svc.db, p => {
        let mut q = sqlx::query_as(&sql);
        for b in &c.binds {
            q = match b {
                Bind::I64(v) => q.bind(*v),
                Bind::F64(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.as_str()),
                Bind::Time(v) => q.bind(*v),
            };
        }
        q.fetch_all(p).await
    })?)
}

/// Open reports of a category within the configured radius of `point`, nearest first.
pub async fn nearby(svc: &Services, category: &str, point: Point) -> Result<Vec<Nearby>, Error> {
    let radius = svc.reports.duplicate_radius_m;
    let b = BBox::around(point, radius);
    let mut c = Conditions::default();
    c.push(
        "r.category_id = (SELECT id FROM categories WHERE code = ?)",
        vec![Bind::Text(category.trim().into())],
    );
    c.push("r.status NOT IN ('closed', 'rejected')", vec![]);
    c.push(
        "r.lat BETWEEN ? AND ?",
        vec![Bind::F64(b.min_lat), Bind::F64(b.max_lat)],
    );
    c.push(
        "r.lon BETWEEN ? AND ?",
        vec![Bind::F64(b.min_lon), Bind::F64(b.max_lon)],
    );
    let sql = format!(
        "{SUMMARY_SELECT}{} ORDER BY r.id DESC LIMIT 200",
        c.where_clause()
    );
    let mut found: Vec<Nearby> = fetch_summaries(&svc.db, &sql, &c.binds)
        .await?
        .into_iter()
        .map(|r| Nearby {
            distance_m: distance_m(
                point,
                Point {
                    lat: r.lat,
                    lon: r.lon,
                },
            ),
            report: r,
        })
        .filter(|n| n.distance_m <= radius)
        .collect();
    found.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
    found.truncate(5);
    Ok(found)
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: i64,
    category_id: i64,
    status: String,
    description: String,
    visibility: String,
    hidden_reason: String,
    hidden_note: String,
    address: String,
    lat: f64,
    lon: f64,
    grid_id: Option<i64>,
    department_id: i64,
    attributes: String,
    hide_name: bool,
    reporter_name: Option<String>,
    support_count: i64,
    due_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    forward_state: String,
    forward_error: String,
    sent_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    kind: String,
    step: Option<String>,
    status: Option<String>,
    actor_role: String,
    actor_department_id: Option<i64>,
    note: String,
    at: DateTime<Utc>,
    relay: Option<String>,
    relay_error: String,
}

/// One report's public page, or `None`.
pub async fn get(svc: &Services, id: i64) -> Result<Option<ReportDetail>, Error> {
    let (row, events, photos): (Option<DetailRow>, Vec<EventRow>, Vec<PhotoRef>) = with_db!(&svc.db, p => {
        let row = sqlx::query_as(
            "SELECT r.id, r.category_id, r.status, r.description, r.visibility, r.hidden_reason, r.hidden_note, \
             r.address, r.lat, r.lon, r.grid_id, r.department_id, \
             r.attributes, r.hide_name, u.display_name AS reporter_name, r.support_count, r.due_at, r.closed_at, \
             r.created_at, r.updated_at, r.forward_state, r.forward_error, r.sent_at \
             FROM reports r LEFT JOIN users u ON u.id = r.reporter_id WHERE r.id = $1",
        )
        .bind(id)
        .fetch_optional(p)
        .await?;
        let events = sqlx::query_as(
            "SELECT id, kind, step, status, actor_role, actor_department_id, note, at, relay, relay_error \
             FROM report_events WHERE report_id = $1 AND public ORDER BY id",
        )
        .bind(id)
        .fetch_all(p)
        .await?;
        let photos: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT uid, display_width, display_height, thumb_width, thumb_height FROM photos \
             WHERE report_id = $1 AND event_id IS NULL ORDER BY position",
        )
        .bind(id)
        .fetch_all(p)
        .await?;
        let photos = photos
            .into_iter()
            .map(|(uid, display_width, display_height, thumb_width, thumb_height)| PhotoRef {
                uid,
                display_width,
                display_height,
                thumb_width,
                thumb_height,
            })
            .collect();
        Ok::<_, sqlx::Error>((row, events, photos))
    })?;
    let Some(r) = row else { return Ok(None) };
    // Text moderators hold or hid is not public: the reporter and staff get it through
    // [`own_text`].
    let visibility = Visibility::parse(&r.visibility);
    let hidden = (visibility == Visibility::Hidden)
        .then(|| HiddenWhy::from_stored(&r.hidden_reason, &r.hidden_note));
    let description = if visibility == Visibility::Visible {
        r.description
    } else {
        String::new()
    };
    let event_photos = crate::cases::builtin::event_photos(svc, id).await?;
    let timeline = events
        .into_iter()
        .map(|e| TimelineEntry {
            photos: event_photos
                .iter()
                .filter(|(event, _)| *event == e.id)
                .map(|(_, p)| p.clone())
                .collect(),
            id: e.id,
            kind: e.kind,
            step: e.step,
            status: e.status.as_deref().and_then(ReportStatus::parse),
            actor: Actor {
                role: Role::parse(&e.actor_role),
                department_id: e.actor_department_id,
                reporter: e.actor_role == "reporter",
            },
            relay: Relay::from_columns(e.relay.as_deref(), &e.relay_error),
            note: e.note,
            at: e.at,
        })
        .collect();
    Ok(Some(ReportDetail {
        id: r.id,
        category_id: r.category_id,
        status: status(&r.status),
        description,
        visibility,
        hidden,
        address: r.address,
        lat: r.lat,
        lon: r.lon,
        grid_id: r.grid_id,
        department_id: r.department_id,
        answers: serde_json::from_str(&r.attributes).unwrap_or_default(),
        reporter_name: if r.hide_name { None } else { r.reporter_name },
        support_count: r.support_count,
        photos,
        timeline,
        overdue: crate::model::case::overdue(r.due_at, r.closed_at, crate::time::now())
            && status(&r.status) != ReportStatus::Rejected,
        due_at: r.due_at,
        closed_at: r.closed_at,
        created_at: r.created_at,
        updated_at: r.updated_at,
        forwarding: if r.forward_state == "sent" {
            Forwarding::Sent { at: r.sent_at }
        } else {
            Forwarding::Waiting {
                error: (!r.forward_error.is_empty()).then_some(r.forward_error),
            }
        },
    }))
}

/// A report's text as typed, for its reporter and staff even when moderators hold or hid it.
pub async fn own_text(svc: &Services, id: i64) -> Result<Option<String>, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT description FROM reports WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await
    })?)
}

/// The report an anonymous reporter's tracking code belongs to.
pub async fn track(svc: &Services, code: &str) -> Result<Option<i64>, Error> {
    let hash = tracking_hash(code);
    Ok(with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT id FROM reports WHERE tracking_hash = $1")
            .bind(&hash)
            .fetch_optional(p)
            .await
    })?)
}
