//! The built-in case system: each report it accepts is a case that the dispatch centre
//! (指挥中心) and the departments work through the stages of [`Stage`]. Every step is a
//! timeline entry with its actor, time and note; the public sees the public part.
//!
//! Two officials acting on the same case at once cannot both move it: a step names the
//! stage it was taken from, and only the first to commit finds the case still there.

use crate::db::BeginWrite;
use crate::error::Error;
use crate::model::case::{
    CaseDetail, CaseEntry, CaseSummary, Inbox, InboxView, Stage, Step, CASE_NOTE_MAX,
};
use crate::model::report::PhotoRef;
use crate::model::{Me, Role};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// A step as an official submits it.
#[derive(Clone, Debug, Default)]
pub struct StepInput {
    /// The step's name (see [`Step::as_str`]).
    pub step: String,
    /// The stage the official saw when choosing the step.
    pub stage: String,
    pub note: String,
    /// Dispatch: the department's id.
    pub department: String,
    /// Notes only: whether the public sees it (every other step is public).
    pub public: bool,
    /// Handle: the form token the after-photos were uploaded with.
    pub photo_token: Option<String>,
}

/// Whether `me` works for the dispatch centre (admins do everything it does).
pub async fn is_dispatcher(svc: &Services, me: &Me) -> Result<bool, Error> {
    match (me.role, me.department_id) {
        (Role::Admin, _) => Ok(true),
        (Role::Official, Some(dept)) => Ok(with_db!(&svc.db, p => {
            sqlx::query_scalar::<_, bool>("SELECT dispatch FROM departments WHERE id = $1")
                .bind(dept)
                .fetch_optional(p)
                .await
        })?
        .unwrap_or(false)),
        _ => Ok(false),
    }
}

/// The back office: officials and admins only.
fn staff(me: Option<&Me>) -> Result<&Me, Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    match me.role {
        Role::Admin | Role::Official => Ok(me),
        _ => Err(Error::Forbidden),
    }
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    stage: String,
    department_id: Option<i64>,
    round: i64,
    returns: i64,
}

async fn case_row(svc: &Services, report_id: i64) -> Result<Option<CaseRow>, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_as("SELECT stage, department_id, round, returns FROM cases WHERE report_id = $1")
            .bind(report_id)
            .fetch_optional(p)
            .await
    })?)
}

/// The steps `me` may take on a case at `stage` handled by `department`.
fn allowed(me: &Me, dispatcher: bool, stage: Stage, department: Option<i64>) -> Vec<Step> {
    let handler = me.role == Role::Admin
        || (me.role == Role::Official && department.is_some() && me.department_id == department);
    Step::ALL
        .into_iter()
        .filter(|s| s.next(stage).is_some())
        .filter(|s| match s {
            Step::Note => dispatcher || handler,
            s if s.by_department() => handler,
            _ => dispatcher,
        })
        .collect()
}

/// Takes one step. Returns the new timeline entry's id.
pub async fn take_step(
    svc: &Services,
    me: Option<&Me>,
    report_id: i64,
    input: StepInput,
) -> Result<i64, Error> {
    let me = staff(me)?;
    let step = Step::parse(input.step.trim())
        .ok_or_else(|| Error::field("step", Problem::InvalidChoice))?;
    let case = case_row(svc, report_id).await?.ok_or(Error::NotFound)?;
    let current = Stage::parse(&case.stage).ok_or_else(|| Error::Internal(case.stage.clone()))?;
    if Stage::parse(input.stage.trim()) != Some(current) {
        return Err(Error::field("stage", Problem::CaseMoved));
    }
    let Some(next) = step.next(current) else {
        return Err(Error::field("step", Problem::InvalidChoice));
    };
    let dispatcher = is_dispatcher(svc, me).await?;
    if !allowed(me, dispatcher, current, case.department_id).contains(&step) {
        return Err(Error::Forbidden);
    }

    let mut problems = Vec::new();
    let note = input.note.trim().to_string();
    if note.is_empty() && step.needs_note() {
        problems.push(crate::error::FieldError::new("note", Problem::Required));
    } else if note.chars().count() > CASE_NOTE_MAX {
        problems.push(crate::error::FieldError::new(
            "note",
            Problem::TooLong { max: CASE_NOTE_MAX },
        ));
    }
    let mut department = case.department_id;
    if step == Step::Dispatch {
        match input.department.trim() {
            "" => problems.push(crate::error::FieldError::new(
                "department",
                Problem::Required,
            )),
            d => match d.parse::<i64>() {
                Ok(id) => match crate::departments::unchoosable(&svc.db, id).await? {
                    None => department = Some(id),
                    Some(problem) => {
                        problems.push(crate::error::FieldError::new("department", problem))
                    }
                },
                _ => problems.push(crate::error::FieldError::new(
                    "department",
                    Problem::UnknownDepartment,
                )),
            },
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }

    let public = step.always_public() || input.public;
    let status = (next.status() != current.status()).then(|| next.status());
    let kind = if status.is_some() { "status" } else { "note" };
    let closed = next == Stage::Closed || next == Stage::Declined;
    let round = case.round + i64::from(matches!(step, Step::Dispatch | Step::VerifyFailed));
    let returns = case.returns + i64::from(step == Step::Return);
    let photo_hash = match (step, &input.photo_token) {
        (Step::Handle, Some(token)) if crate::reports::valid_token(token) => {
            Some(crate::accounts::tokens::hash_token(token))
        }
        _ => None,
    };
    let t = now();
    let event_id: Option<i64> = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        // The first write names the stage the official saw: a step taken meanwhile by
        // someone else leaves nothing to update.
        let moved = sqlx::query(
            "UPDATE cases SET stage = $1, department_id = $2, round = $3, returns = $4, updated_at = $5 \
             WHERE report_id = $6 AND stage = $7",
        )
        .bind(next.as_str())
        .bind(department)
        .bind(round)
        .bind(returns)
        .bind(t)
        .bind(report_id)
        .bind(current.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved != 1 {
            return Ok::<_, sqlx::Error>(None);
        }
        let event_id: i64 = sqlx::query_scalar(
            "INSERT INTO report_events (report_id, kind, status, public, actor_role, actor_department_id, actor_id, note, at, step) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(report_id)
        .bind(kind)
        .bind(status.map(|s| s.as_str()))
        .bind(public)
        .bind(me.role.as_str())
        .bind(me.department_id)
        .bind(me.id)
        .bind(&note)
        .bind(t)
        .bind(step.as_str())
        .fetch_one(&mut *tx)
        .await?;
        if let Some(status) = status {
            sqlx::query(
                "UPDATE reports SET status = $1, updated_at = $2, closed_at = CASE WHEN $3 THEN $2 ELSE NULL END, \
                 department_id = COALESCE($4, department_id) WHERE id = $5",
            )
            .bind(status.as_str())
            .bind(t)
            .bind(closed)
            .bind(department)
            .bind(report_id)
            .execute(&mut *tx)
            .await?;
            if status == crate::model::report::ReportStatus::Closed {
                crate::ratings::reports::rectified!(tx, t, report_id).await?;
            }
        } else if public {
            sqlx::query("UPDATE reports SET updated_at = $1, department_id = COALESCE($2, department_id) WHERE id = $3")
                .bind(t)
                .bind(department)
                .bind(report_id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(hash) = &photo_hash {
            sqlx::query(
                "UPDATE photos SET report_id = $1, event_id = $2 WHERE form_token = $3 AND report_id IS NULL",
            )
            .bind(report_id)
            .bind(event_id)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
        }
        if public {
            sqlx::query(crate::notifications::NOTIFY_FOLLOWERS_SQL)
                .bind(report_id)
                .bind(event_id)
                .bind(me.id)
                .bind(t)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Some(event_id))
    }.await)?;
    let Some(event_id) = event_id else {
        return Err(Error::field("stage", Problem::CaseMoved));
    };
    tracing::info!(
        report = report_id,
        step = step.as_str(),
        stage = next.as_str(),
        "case step"
    );
    if public {
        crate::reports::email_followers(svc, report_id, me.id).await;
    }
    Ok(event_id)
}

pub(crate) const OPEN_STAGES: &str =
    "('new', 'accepted', 'registered', 'dispatched', 'handled', 'verified')";
const DISPATCH_STAGES: &str = "('new', 'accepted', 'registered', 'handled', 'verified')";

/// Cases on one inbox page; the most urgent come first, later pages follow.
pub const INBOX_PAGE: i64 = 100;

/// The inbox: the dispatch centre sees every case, a department the cases dispatched to it.
/// `page` counts from 0.
pub async fn inbox(
    svc: &Services,
    me: Option<&Me>,
    view: InboxView,
    page: i64,
) -> Result<Inbox, Error> {
    let me = staff(me)?;
    let dispatcher = is_dispatcher(svc, me).await?;
    let t = now();
    // $1: the department (unused for the dispatcher), $2: now.
    let scope = if dispatcher {
        "($1 = $1)"
    } else {
        "(c.department_id = $1)"
    };
    let mine = if dispatcher {
        format!("c.stage IN {DISPATCH_STAGES}")
    } else {
        "c.stage = 'dispatched'".to_string()
    };
    let overdue = format!("c.stage IN {OPEN_STAGES} AND r.due_at < $2");
    let (filter, order) = match view {
        InboxView::Mine => (mine.clone(), "r.due_at, r.id"),
        InboxView::Overdue => (overdue.clone(), "r.due_at, r.id"),
        InboxView::Open => (format!("c.stage IN {OPEN_STAGES}"), "r.due_at, r.id"),
        InboxView::Done => (
            "c.stage IN ('closed', 'declined')".to_string(),
            "c.updated_at DESC, r.id DESC",
        ),
    };
    // Pages by offset: an inbox is a work list of hundreds, read from the top.
    let page = page.clamp(0, 100_000);
    let sql = format!(
        "SELECT c.report_id, r.category_id, c.stage, c.department_id, r.description, r.address, c.round, c.returns, \
         r.due_at, r.closed_at, r.created_at, c.updated_at FROM cases c JOIN reports r ON r.id = c.report_id \
         WHERE {scope} AND {filter} AND ($2 = $2) ORDER BY {order} LIMIT {} OFFSET {}",
        INBOX_PAGE + 1,
        page * INBOX_PAGE
    );
    let count = |f: &str| {
        format!(
            "SELECT count(*) FROM cases c JOIN reports r ON r.id = c.report_id WHERE {scope} AND {f} AND ($2 = $2)"
        )
    };
    let dept = me.department_id.unwrap_or(0);
    let (mut cases, n_mine, n_overdue, total): (Vec<CaseSummary>, i64, i64, i64) = with_db!(&svc.db, p => {
        let cases = sqlx::query_as(&sql).bind(dept).bind(t).fetch_all(p).await?;
        let n_mine = sqlx::query_scalar(&count(&mine)).bind(dept).bind(t).fetch_one(p).await?;
        let n_overdue = sqlx::query_scalar(&count(&overdue)).bind(dept).bind(t).fetch_one(p).await?;
        let total = sqlx::query_scalar(&count(&filter)).bind(dept).bind(t).fetch_one(p).await?;
        Ok::<_, sqlx::Error>((cases, n_mine, n_overdue, total))
    })?;
    let has_more = cases.len() as i64 > INBOX_PAGE;
    cases.truncate(INBOX_PAGE as usize);
    for c in &mut cases {
        c.description = c.description.chars().take(80).collect();
    }
    Ok(Inbox {
        cases,
        mine: n_mine,
        overdue: n_overdue,
        total,
        page,
        first: page * INBOX_PAGE + 1,
        has_more,
        dispatcher,
        now: Some(t),
    })
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    kind: String,
    step: Option<String>,
    status: Option<String>,
    public: bool,
    actor_role: String,
    actor_department_id: Option<i64>,
    actor_name: Option<String>,
    note: String,
    at: chrono::DateTime<chrono::Utc>,
}

#[derive(sqlx::FromRow)]
struct EventPhoto {
    event_id: i64,
    uid: String,
    display_width: i64,
    display_height: i64,
    thumb_width: i64,
    thumb_height: i64,
}

/// Photos of timeline entries (after-photos), by entry id.
pub(crate) async fn event_photos(
    svc: &Services,
    report_id: i64,
) -> Result<Vec<(i64, PhotoRef)>, Error> {
    let rows: Vec<EventPhoto> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT event_id, uid, display_width, display_height, thumb_width, thumb_height FROM photos \
             WHERE report_id = $1 AND event_id IS NOT NULL ORDER BY id",
        )
        .bind(report_id)
        .fetch_all(p)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.event_id,
                PhotoRef {
                    uid: r.uid,
                    display_width: r.display_width,
                    display_height: r.display_height,
                    thumb_width: r.thumb_width,
                    thumb_height: r.thumb_height,
                },
            )
        })
        .collect())
}

/// A case with its full record and the steps the viewer may take.
pub async fn detail(svc: &Services, me: Option<&Me>, report_id: i64) -> Result<CaseDetail, Error> {
    let me = staff(me)?;
    let case = case_row(svc, report_id).await?.ok_or(Error::NotFound)?;
    let dispatcher = is_dispatcher(svc, me).await?;
    if !dispatcher
        && me
            .department_id
            .is_none_or(|d| case.department_id != Some(d))
    {
        return Err(Error::Forbidden);
    }
    let mut report = crate::reports::get(svc, report_id)
        .await?
        .ok_or(Error::NotFound)?;
    // Staff work the case on the reporter's words, even while moderators hold or hid them.
    if report.visibility != crate::model::deliberation::Visibility::Visible {
        report.description = crate::reports::own_text(svc, report_id)
            .await?
            .unwrap_or_default();
    }
    let rows: Vec<EntryRow> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT e.id, e.kind, e.step, e.status, e.public, e.actor_role, e.actor_department_id, \
             u.display_name AS actor_name, e.note, e.at FROM report_events e LEFT JOIN users u ON u.id = e.actor_id \
             WHERE e.report_id = $1 ORDER BY e.id",
        )
        .bind(report_id)
        .fetch_all(p)
        .await
    })?;
    let photos = event_photos(svc, report_id).await?;
    let record = rows
        .into_iter()
        .map(|r| CaseEntry {
            photos: photos
                .iter()
                .filter(|(e, _)| *e == r.id)
                .map(|(_, p)| p.clone())
                .collect(),
            id: r.id,
            kind: r.kind,
            step: r.step,
            status: r
                .status
                .as_deref()
                .and_then(crate::model::report::ReportStatus::parse),
            public: r.public,
            // Residents' names stay private even here.
            actor_name: if matches!(r.actor_role.as_str(), "resident" | "reporter") {
                None
            } else {
                r.actor_name
            },
            actor_role: r.actor_role,
            actor_department_id: r.actor_department_id,
            note: r.note,
            at: r.at,
        })
        .collect();
    let stage = Stage::parse(&case.stage).unwrap_or(Stage::New);
    Ok(CaseDetail {
        overdue: report.overdue,
        report,
        stage,
        department_id: case.department_id,
        round: case.round,
        returns: case.returns,
        record,
        steps: allowed(me, dispatcher, stage, case.department_id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me(role: Role, dept: Option<i64>) -> Me {
        Me {
            id: 1,
            email: "x@example.cn".into(),
            display_name: "x".into(),
            role,
            department_id: dept,
        }
    }

    #[test]
    fn each_side_gets_only_its_own_moves() {
        let dispatcher = me(Role::Official, Some(1));
        let dept = me(Role::Official, Some(2));
        let other = me(Role::Official, Some(3));
        assert_eq!(
            allowed(&dispatcher, true, Stage::New, None),
            vec![Step::Accept, Step::Decline, Step::Note]
        );
        assert_eq!(allowed(&dept, false, Stage::New, None), Vec::<Step>::new());
        assert_eq!(
            allowed(&dept, false, Stage::Dispatched, Some(2)),
            vec![Step::Return, Step::Handle, Step::Note]
        );
        assert_eq!(
            allowed(&dispatcher, true, Stage::Dispatched, Some(2)),
            vec![Step::Note]
        );
        assert!(allowed(&other, false, Stage::Dispatched, Some(2)).is_empty());
        assert_eq!(
            allowed(&dispatcher, true, Stage::Handled, Some(2)),
            vec![Step::Verify, Step::VerifyFailed, Step::Note]
        );
        assert!(allowed(&dispatcher, true, Stage::Closed, Some(2)).is_empty());
    }
}
