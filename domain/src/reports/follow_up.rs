//! The reporter speaks back: a follow-up (补充说明) adds what they know now, and a closed
//! report that is not really fixed can be reopened (要求重新办理) for [`REOPEN_DAYS`] days.
//!
//! Both are public timeline entries by the reporter (named by that role only) and notify
//! the followers. Where Gongzhi is the case system, a reopen sends the case back into the
//! workflow: a closed case to its department for a new 处置 round, a declined one to the
//! dispatch centre. Where an external case system handles the report, each entry is passed
//! on as an Open311 update by a `send_update` job queued in the same transaction.

use crate::cases::CaseSystem;
use crate::db::BeginWrite;
use crate::error::{Error, FieldError};
use crate::jobs::Task;
use crate::model::report::{reopen_problem, ReportStatus};
use crate::model::Me;
use crate::ratelimit::{self, Scope};
use crate::time::now;
use crate::{with_db, Problem, Services};

use super::NOTE_MAX;

/// What the reporter says.
#[derive(Clone, Debug, Default)]
pub struct FollowUp {
    pub note: String,
    /// "Not fixed: handle it again", for a closed report.
    pub reopen: bool,
    /// A reopen for rectification (整改) after a poor rating, due by then: allowed however
    /// long ago the report closed.
    pub rectify_by: Option<chrono::DateTime<chrono::Utc>>,
}

/// Who speaks for the reporter.
#[derive(Clone, Copy, Debug)]
pub enum Voice<'a> {
    /// The reporter on the web: signed in, or (anonymous) holding the tracking code.
    Reporter { user_id: Option<i64> },
    /// A resident-facing client (such as another Gongzhi) passing on its resident's words
    /// through the Open311 update extension; the same external id is recorded once.
    Client { external_id: &'a str },
}

/// A follow-up by the report's reporter: the signed-in user who filed it, or whoever holds
/// its tracking code. Returns the new timeline entry's id.
pub async fn follow_up(
    svc: &Services,
    actor: Option<&Me>,
    tracking_code: Option<&str>,
    report_id: i64,
    input: FollowUp,
) -> Result<i64, Error> {
    let code = tracking_code.map(str::trim).filter(|c| !c.is_empty());
    let reporter: Option<Option<i64>> = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT reporter_id FROM reports WHERE id = $1")
            .bind(report_id)
            .fetch_optional(p)
            .await
    })?;
    let reporter = reporter.ok_or(Error::NotFound)?;
    let by_code = match code {
        Some(c) => super::track(svc, c).await? == Some(report_id),
        None => false,
    };
    let by_account = actor.is_some_and(|me| reporter == Some(me.id));
    if let Some(me) = actor {
        crate::moderation::ensure_can_post(svc, me).await?;
    }
    if !by_code && !by_account {
        return Err(if actor.is_none() && code.is_none() {
            Error::Unauthenticated
        } else {
            Error::Forbidden
        });
    }
    let limits = &svc.limits;
    let key = report_id.to_string();
    ratelimit::check(
        &svc.db,
        Scope::FollowUp,
        &key,
        limits.follow_up_per_report,
        limits.follow_up_window,
    )
    .await?;
    let voice = Voice::Reporter {
        user_id: actor.filter(|_| by_account).map(|me| me.id),
    };
    let (id, _) = record_follow_up(svc, report_id, voice, input).await?;
    ratelimit::record(&svc.db, Scope::FollowUp, &key).await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct Target {
    status: String,
    closed_at: Option<chrono::DateTime<chrono::Utc>>,
    time_limit_hours: i64,
}

/// Records a reporter's follow-up or reopen (checked here), moves the case where Gongzhi
/// is the case system, and queues the update for an external one. Returns the entry's id
/// and whether it is new (false: a client's update with this external id was taken).
pub async fn record_follow_up(
    svc: &Services,
    report_id: i64,
    voice: Voice<'_>,
    input: FollowUp,
) -> Result<(i64, bool), Error> {
    let external_id = match voice {
        Voice::Client { external_id } => Some(external_id),
        Voice::Reporter { .. } => None,
    };
    if let Some(ext) = external_id {
        if let Some(id) = super::engage::event_by_external_id(svc, report_id, ext).await? {
            return Ok((id, false));
        }
    }
    let report: Option<Target> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT r.status, r.closed_at, c.time_limit_hours FROM reports r \
             JOIN categories c ON c.id = r.category_id WHERE r.id = $1",
        )
        .bind(report_id)
        .fetch_optional(p)
        .await
    })?;
    let report = report.ok_or(Error::NotFound)?;
    let status = ReportStatus::parse(&report.status)
        .ok_or_else(|| Error::Internal(format!("report status {:?}", report.status)))?;

    let note = input.note.trim().to_string();
    let mut problems = Vec::new();
    if note.is_empty() {
        problems.push(FieldError::new("note", Problem::Required));
    } else if note.chars().count() > NOTE_MAX {
        problems.push(FieldError::new("note", Problem::TooLong { max: NOTE_MAX }));
    }
    let t = now();
    if input.reopen {
        let problem = match input.rectify_by {
            // Rectification: only the status matters.
            Some(_) => (status != ReportStatus::Closed).then_some(Problem::NotClosed),
            None => reopen_problem(status, report.closed_at, t),
        };
        if let Some(p) = problem {
            problems.push(FieldError::new("reopen", p));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }

    let (kind, new_status) = if input.reopen {
        ("reopen", Some(ReportStatus::Reopened.as_str()))
    } else {
        ("follow_up", None)
    };
    let builtin = matches!(svc.cases, CaseSystem::Builtin);
    // An update that came from a client is not sent back to it; from the web it goes on to
    // an external case system.
    let relay = (!builtin && external_id.is_none()).then_some("waiting");
    let user_id = match voice {
        Voice::Reporter { user_id } => user_id,
        Voice::Client { .. } => None,
    };
    let due = input
        .rectify_by
        .unwrap_or_else(|| t + chrono::Duration::hours(report.time_limit_hours));
    let seen_status = report.status.clone();
    let result: Result<Option<i64>, sqlx::Error> = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        // The first write checks the status the checks above saw: a report closed or
        // reopened meanwhile leaves nothing to update, and the caller is told.
        let moved = if input.reopen {
            sqlx::query(
                "UPDATE reports SET status = 'reopened', closed_at = NULL, due_at = $1, updated_at = $2 \
                 WHERE id = $3 AND status = $4",
            )
            .bind(due)
            .bind(t)
            .bind(report_id)
            .bind(&seen_status)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        } else {
            sqlx::query("UPDATE reports SET updated_at = $1 WHERE id = $2")
                .bind(t)
                .bind(report_id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        };
        if moved != 1 {
            return Ok(None);
        }
        if input.reopen && builtin {
            // Closed: back to the department for another round. Declined: back to the
            // dispatch centre to decide again.
            sqlx::query(
                "UPDATE cases SET stage = CASE WHEN stage = 'declined' THEN 'new' ELSE 'dispatched' END, \
                 round = round + CASE WHEN stage = 'closed' THEN 1 ELSE 0 END, updated_at = $1 \
                 WHERE report_id = $2 AND stage IN ('closed', 'declined')",
            )
            .bind(t)
            .bind(report_id)
            .execute(&mut *tx)
            .await?;
        }
        let event_id: i64 = sqlx::query_scalar(
            "INSERT INTO report_events (report_id, kind, status, public, actor_role, actor_id, note, at, external_id, relay) \
             VALUES ($1, $2, $3, TRUE, 'reporter', $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(report_id)
        .bind(kind)
        .bind(new_status)
        .bind(user_id)
        .bind(&note)
        .bind(t)
        .bind(external_id)
        .bind(relay)
        .fetch_one(&mut *tx)
        .await?;
        if relay.is_some() {
            crate::enqueue_in!(&mut *tx, svc.jobs, Task::SendUpdate { event_id })?;
        }
        sqlx::query(crate::notifications::NOTIFY_FOLLOWERS_SQL)
            .bind(report_id)
            .bind(event_id)
            .bind(user_id.unwrap_or(0))
            .bind(t)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(event_id))
    }.await);
    let event_id = match result {
        Ok(Some(id)) => id,
        Ok(None) => {
            // The status changed between the check and the write: check again to say why.
            let now_status: Option<String> = with_db!(&svc.db, p => {
                sqlx::query_scalar("SELECT status FROM reports WHERE id = $1").bind(report_id).fetch_optional(p).await
            })?;
            let problem = match now_status.as_deref().and_then(ReportStatus::parse) {
                Some(s) if s.is_open() => Problem::NotClosed,
                _ => Problem::CaseMoved,
            };
            return Err(Error::field("reopen", problem));
        }
        // The same client update arriving twice at the same moment: the other one won.
        Err(e) if crate::db::is_unique_violation(&e) && external_id.is_some() => {
            let id = match external_id {
                Some(ext) => super::engage::event_by_external_id(svc, report_id, ext).await?,
                None => None,
            };
            return Ok((id.ok_or_else(|| Error::Internal(e.to_string()))?, false));
        }
        Err(e) => return Err(e.into()),
    };
    if relay.is_some() {
        svc.jobs.wake();
    }
    tracing::info!(report = report_id, kind, "reporter follow-up");
    super::email_followers(svc, report_id, user_id.unwrap_or(0)).await;
    Ok((event_id, true))
}
