//! Processes: opened and edited by officials (for their own department) and admins, listed
//! as open, upcoming or closed, searchable by title.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{Error, FieldError};
use crate::model::deliberation::{
    PhaseDates, ProcessBrief, ProcessDetail, ProcessSummary, ProcessView, PROCESS_BODY_MAX,
    PROCESS_SUMMARY_MAX, PROCESS_TITLE_MAX,
};
use crate::model::{Me, Role};
use crate::time::{day_start, now};
use crate::{with_db, Problem, Services};

/// A process as its form sends it. Dates are local calendar days (`YYYY-MM-DD`): each
/// phase starts at the beginning of its day, and `closes` is the last day of the decision.
#[derive(Clone, Debug, Default)]
pub struct ProcessInput {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub department: String,
    pub information: String,
    pub proposals: String,
    pub discussion: String,
    pub decision: String,
    pub closes: String,
    /// Supports from which the department must answer; empty for none.
    pub support_threshold: String,
}

/// Whether `me` may open or edit processes of `department`.
pub(crate) fn may_manage(me: &Me, department: i64) -> bool {
    me.role == Role::Admin || (me.role == Role::Official && me.department_id == Some(department))
}

fn text(
    problems: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    required: bool,
    max: usize,
) -> String {
    let v = value.trim().to_string();
    if required && v.is_empty() {
        problems.push(FieldError::new(field, Problem::Required));
    } else if v.chars().count() > max {
        problems.push(FieldError::new(field, Problem::TooLong { max }));
    }
    v
}

/// Checks a process form; every problem is named by its field.
async fn check(
    svc: &Services,
    me: &Me,
    input: &ProcessInput,
) -> Result<(String, String, String, i64, PhaseDates, Option<i64>), Error> {
    let mut problems = Vec::new();
    let title = text(
        &mut problems,
        "title",
        &input.title,
        true,
        PROCESS_TITLE_MAX,
    );
    let summary = text(
        &mut problems,
        "summary",
        &input.summary,
        false,
        PROCESS_SUMMARY_MAX,
    );
    let body = text(&mut problems, "body", &input.body, false, PROCESS_BODY_MAX);
    let department = match input.department.trim() {
        "" => match (me.role, me.department_id) {
            (Role::Official, Some(d)) => Some(d),
            _ => {
                problems.push(FieldError::new("department", Problem::Required));
                None
            }
        },
        d => match d.parse::<i64>() {
            Ok(id) => match crate::departments::unchoosable(&svc.db, id).await? {
                None => Some(id),
                Some(problem) => {
                    problems.push(FieldError::new("department", problem));
                    None
                }
            },
            _ => {
                problems.push(FieldError::new("department", Problem::UnknownDepartment));
                None
            }
        },
    };
    let offset = svc.reports.utc_offset_minutes;
    let mut day = |field: &str, value: &str| -> Option<NaiveDate> {
        match value.trim() {
            "" => {
                problems.push(FieldError::new(field, Problem::Required));
                None
            }
            v => match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    problems.push(FieldError::new(field, Problem::NotADate));
                    None
                }
            },
        }
    };
    let days = [
        ("information", day("information", &input.information)),
        ("proposals", day("proposals", &input.proposals)),
        ("discussion", day("discussion", &input.discussion)),
        ("decision", day("decision", &input.decision)),
        ("closes", day("closes", &input.closes)),
    ];
    // Each phase starts no earlier than the one before (equal: that phase is skipped).
    for pair in days.windows(2) {
        if let ((_, Some(before)), (field, Some(after))) = (pair[0], pair[1]) {
            if after < before {
                problems.push(FieldError::new(field, Problem::DateOrder));
            }
        }
    }
    let threshold = match input.support_threshold.trim() {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                problems.push(FieldError::new("support_threshold", Problem::NotANumber));
                None
            }
        },
    };
    // An official opens processes for their own department only.
    if department.is_some_and(|d| !may_manage(me, d)) {
        problems.push(FieldError::new("department", Problem::InvalidChoice));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let at = |i: usize| day_start(days[i].1.unwrap_or_default(), offset);
    let dates = PhaseDates {
        information_at: at(0),
        proposals_at: at(1),
        discussion_at: at(2),
        decision_at: at(3),
        // The closing day is the decision's last.
        closes_at: at(4) + chrono::Duration::days(1),
    };
    let department = department.ok_or_else(|| Error::Internal("department".into()))?;
    Ok((title, summary, body, department, dates, threshold))
}

/// Opens a process (`id` None) or saves changes to one. Returns its id.
pub async fn save(
    svc: &Services,
    me: Option<&Me>,
    id: Option<i64>,
    input: ProcessInput,
) -> Result<i64, Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    if !matches!(me.role, Role::Admin | Role::Official) {
        return Err(Error::Forbidden);
    }
    if let Some(id) = id {
        let current = get(svc, id).await?.ok_or(Error::NotFound)?;
        if !may_manage(me, current.department_id) {
            return Err(Error::Forbidden);
        }
    }
    let (title, summary, body, department, d, threshold) = check(svc, me, &input).await?;
    let body_html = super::markdown::render(&body);
    let t = now();
    let id = with_db!(&svc.db, p => async {
        match id {
            None => sqlx::query_scalar(
                "INSERT INTO processes (title, summary, body, body_html, department_id, information_at, proposals_at, \
                 discussion_at, decision_at, closes_at, support_threshold, created_by, created_at, updated_at, announced_phase) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14) RETURNING id",
            )
            .bind(&title).bind(&summary).bind(&body).bind(&body_html).bind(department)
            .bind(d.information_at).bind(d.proposals_at).bind(d.discussion_at).bind(d.decision_at).bind(d.closes_at)
            // Nobody follows a new process yet: its present phase needs no announcement.
            .bind(threshold).bind(me.id).bind(t).bind(d.phase_at(t).as_str())
            .fetch_one(p)
            .await,
            Some(id) => sqlx::query(
                "UPDATE processes SET title = $1, summary = $2, body = $3, body_html = $4, department_id = $5, \
                 information_at = $6, proposals_at = $7, discussion_at = $8, decision_at = $9, closes_at = $10, \
                 support_threshold = $11, updated_at = $12 WHERE id = $13",
            )
            .bind(&title).bind(&summary).bind(&body).bind(&body_html).bind(department)
            .bind(d.information_at).bind(d.proposals_at).bind(d.discussion_at).bind(d.decision_at).bind(d.closes_at)
            .bind(threshold).bind(t).bind(id)
            .execute(p)
            .await
            .map(|_| id),
        }
    }.await)?;
    tracing::info!(process = id, by = me.id, "process saved");
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    title: String,
    summary: String,
    department_id: i64,
    #[sqlx(flatten)]
    dates: PhaseDates,
    proposal_count: i64,
    #[sqlx(flatten)]
    image: super::images::ImageColumns,
}

/// Most processes one list shows.
pub const LIST_MAX: i64 = 100;

/// Processes running now, coming, or closed (newest first; running ones by the nearest
/// close), with `search` in the title or summary.
pub async fn list(
    svc: &Services,
    view: ProcessView,
    search: &str,
) -> Result<Vec<ProcessSummary>, Error> {
    let (filter, order) = match view {
        ProcessView::Open => (
            "p.information_at <= $1 AND p.closes_at > $1",
            "p.closes_at, p.id",
        ),
        ProcessView::Upcoming => ("p.information_at > $1", "p.information_at, p.id"),
        ProcessView::Closed => ("p.closes_at <= $1", "p.closes_at DESC, p.id DESC"),
    };
    let search = search.trim();
    let text = if search.is_empty() {
        ""
    } else {
        " AND (lower(p.title) LIKE $2 ESCAPE '\\' OR lower(p.summary) LIKE $2 ESCAPE '\\')"
    };
    let sql = format!(
        "SELECT p.id, p.title, p.summary, p.department_id, p.information_at, p.proposals_at, p.discussion_at, \
         p.decision_at, p.closes_at, \
         (SELECT count(*) FROM proposals x WHERE x.process_id = p.id AND x.visibility = 'visible') AS proposal_count, \
         {image} FROM processes p LEFT JOIN photos ph ON ph.process_id = p.id \
         WHERE {filter}{text} ORDER BY {order} LIMIT {LIST_MAX}",
        image = super::images::COLUMNS
    );
    let pattern = crate::reports::like_pattern(search);
    let t = now();
    let rows: Vec<SummaryRow> = with_db!(&svc.db, p => {
        let q = sqlx::query_as(&sql).bind(t);
        if search.is_empty() { q } else { q.bind(&pattern) }
            .fetch_all(p)
            .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| ProcessSummary {
            id: r.id,
            title: r.title,
            summary: r.summary,
            department_id: r.department_id,
            dates: r.dates,
            proposal_count: r.proposal_count,
            cover: r.image.image(),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: i64,
    title: String,
    summary: String,
    body: String,
    body_html: String,
    department_id: i64,
    #[sqlx(flatten)]
    dates: PhaseDates,
    support_threshold: Option<i64>,
    closing_report: String,
    closing_report_html: String,
    closing_report_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    #[sqlx(flatten)]
    image: super::images::ImageColumns,
}

/// One process, or `None`.
pub async fn get(svc: &Services, id: i64) -> Result<Option<ProcessDetail>, Error> {
    let row: Option<DetailRow> = with_db!(&svc.db, p => {
        sqlx::query_as(&format!(
            "SELECT p.id, p.title, p.summary, p.body, p.body_html, p.department_id, p.information_at, p.proposals_at, \
             p.discussion_at, p.decision_at, p.closes_at, p.support_threshold, p.closing_report, p.closing_report_html, \
             p.closing_report_at, p.created_at, p.updated_at, {image} \
             FROM processes p LEFT JOIN photos ph ON ph.process_id = p.id WHERE p.id = $1",
            image = super::images::COLUMNS
        ))
        .bind(id)
        .fetch_optional(p)
        .await
    })?;
    Ok(row.map(|r| ProcessDetail {
        id: r.id,
        title: r.title,
        summary: r.summary,
        body: r.body,
        body_html: r.body_html,
        department_id: r.department_id,
        dates: r.dates,
        support_threshold: r.support_threshold,
        closing_report: r.closing_report,
        closing_report_html: r.closing_report_html,
        closing_report_at: r.closing_report_at,
        cover: r.image.image(),
        created_at: r.created_at,
        updated_at: r.updated_at,
    }))
}

/// The light read of a process (title, department, dates, threshold), or `None`.
pub async fn brief(svc: &Services, id: i64) -> Result<Option<ProcessBrief>, Error> {
    let row: Option<BriefRow> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT id, title, department_id, information_at, proposals_at, discussion_at, decision_at, closes_at, \
             support_threshold FROM processes WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(p)
        .await
    })?;
    Ok(row.map(|r| ProcessBrief {
        id: r.id,
        title: r.title,
        department_id: r.department_id,
        dates: r.dates,
        support_threshold: r.support_threshold,
    }))
}

#[derive(sqlx::FromRow)]
struct BriefRow {
    id: i64,
    title: String,
    department_id: i64,
    #[sqlx(flatten)]
    dates: PhaseDates,
    support_threshold: Option<i64>,
}

/// Whether `me` may edit process `id` (for showing the edit link).
pub fn can_manage(me: Option<&Me>, process: &ProcessDetail) -> bool {
    me.is_some_and(|m| may_manage(m, process.department_id))
}
