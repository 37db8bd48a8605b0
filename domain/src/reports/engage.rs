//! What people do with a filed report: "me too" supports and follows by residents, and
//! timeline updates by the responsible department, which notify every follower.

use crate::db::BeginWrite;
use crate::error::Error;
use crate::mail::Mailer;
use crate::model::report::{ReportStatus, Viewer};
use crate::model::{Me, Role};
use crate::time::now;
use crate::{with_db, Problem, Services};

async fn report_exists(svc: &Services, id: i64) -> Result<(), Error> {
    let found: Option<i64> = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT id FROM reports WHERE id = $1").bind(id).fetch_optional(p).await
    })?;
    found.map(|_| ()).ok_or(Error::NotFound)
}

/// Adds the user's "me too" (once per person) and follows the report. Returns the new count.
pub async fn support(svc: &Services, actor: Option<&Me>, report_id: i64) -> Result<i64, Error> {
    let me = actor.ok_or(Error::Unauthenticated)?;
    report_exists(svc, report_id).await?;
    let t = now();
    Ok(with_db!(&svc.db, p => {
        let mut tx = p.begin_write().await?;
        // ON CONFLICT DO NOTHING makes a second "me too" (or a double click) a no-op.
        let added = sqlx::query(
            "INSERT INTO report_supports (report_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(report_id)
        .bind(me.id)
        .bind(t)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if added > 0 {
            sqlx::query("UPDATE reports SET support_count = support_count + 1 WHERE id = $1")
                .bind(report_id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("INSERT INTO report_follows (report_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(report_id)
            .bind(me.id)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        let count: i64 = sqlx::query_scalar("SELECT support_count FROM reports WHERE id = $1")
            .bind(report_id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(count)
    })?)
}

/// Takes back the user's "me too". Returns the new count.
pub async fn unsupport(svc: &Services, actor: Option<&Me>, report_id: i64) -> Result<i64, Error> {
    let me = actor.ok_or(Error::Unauthenticated)?;
    report_exists(svc, report_id).await?;
    Ok(with_db!(&svc.db, p => {
        let mut tx = p.begin_write().await?;
        let removed = sqlx::query("DELETE FROM report_supports WHERE report_id = $1 AND user_id = $2")
            .bind(report_id)
            .bind(me.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if removed > 0 {
            sqlx::query("UPDATE reports SET support_count = support_count - 1 WHERE id = $1")
                .bind(report_id)
                .execute(&mut *tx)
                .await?;
        }
        let count: i64 = sqlx::query_scalar("SELECT support_count FROM reports WHERE id = $1")
            .bind(report_id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(count)
    })?)
}

pub async fn follow(svc: &Services, actor: Option<&Me>, report_id: i64) -> Result<(), Error> {
    let me = actor.ok_or(Error::Unauthenticated)?;
    report_exists(svc, report_id).await?;
    with_db!(&svc.db, p => {
        sqlx::query("INSERT INTO report_follows (report_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(report_id)
            .bind(me.id)
            .bind(now())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn unfollow(svc: &Services, actor: Option<&Me>, report_id: i64) -> Result<(), Error> {
    let me = actor.ok_or(Error::Unauthenticated)?;
    with_db!(&svc.db, p => {
        sqlx::query("DELETE FROM report_follows WHERE report_id = $1 AND user_id = $2")
            .bind(report_id)
            .bind(me.id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// What the viewer has done with a report (for its buttons).
pub async fn viewer(svc: &Services, actor: Option<&Me>, report_id: i64) -> Result<Viewer, Error> {
    let Some(me) = actor else {
        return Ok(Viewer::default());
    };
    let (supported, following, reporter): (i64, i64, Option<i64>) = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT (SELECT count(*) FROM report_supports WHERE report_id = $1 AND user_id = $2), \
                    (SELECT count(*) FROM report_follows WHERE report_id = $1 AND user_id = $2), \
                    (SELECT reporter_id FROM reports WHERE id = $1)",
        )
        .bind(report_id)
        .bind(me.id)
        .fetch_one(p)
        .await
    })?;
    Ok(Viewer {
        signed_in: true,
        supported: supported > 0,
        following: following > 0,
        is_reporter: reporter == Some(me.id),
    })
}

/// A timeline entry added by the department: a status change, a note, or both.
#[derive(Clone, Debug)]
pub struct Update {
    pub status: Option<ReportStatus>,
    pub note: String,
    /// Internal notes stay in the back office and notify nobody.
    pub public: bool,
}

pub const NOTE_MAX: usize = 2000;

/// Adds a note to the timeline as an official of the report's department (or an admin),
/// and notifies the followers of public entries: in the app always, by email when SMTP is
/// configured and they opted in. Returns the entry's id.
///
/// The status is not changed here: it moves through the built-in case workflow
/// ([`crate::cases::builtin`]) or comes from the external case system.
pub async fn add_update(
    svc: &Services,
    actor: Option<&Me>,
    report_id: i64,
    update: Update,
) -> Result<i64, Error> {
    let me = actor.ok_or(Error::Unauthenticated)?;
    if update.status.is_some() {
        return Err(Error::field("status", Problem::InvalidChoice));
    }
    let department: Option<i64> = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT department_id FROM reports WHERE id = $1").bind(report_id).fetch_optional(p).await
    })?;
    let department = department.ok_or(Error::NotFound)?;
    let allowed = me.role == Role::Admin
        || (me.role == Role::Official && me.department_id == Some(department));
    if !allowed {
        return Err(Error::Forbidden);
    }
    let by = UpdateBy {
        role: me.role.as_str(),
        department_id: me.department_id,
        actor_id: Some(me.id),
        external_id: None,
    };
    record_update(svc, report_id, &by, update)
        .await
        .map(|(id, _)| id)
}

/// Who a timeline entry comes from.
#[derive(Clone, Debug)]
pub struct UpdateBy<'a> {
    /// `official`, `admin`, or `system` (the case system, through the bridge).
    pub role: &'a str,
    pub department_id: Option<i64>,
    pub actor_id: Option<i64>,
    /// The case system's id for this update: the same update arriving twice is one entry.
    pub external_id: Option<&'a str>,
}

/// Adds a checked timeline entry and notifies followers of a public one. Returns the
/// entry's id and whether it is new (false: an update with the same external id exists).
pub async fn record_update(
    svc: &Services,
    report_id: i64,
    by: &UpdateBy<'_>,
    update: Update,
) -> Result<(i64, bool), Error> {
    let note = update.note.trim();
    if update.status.is_none() && note.is_empty() {
        return Err(Error::field("note", Problem::Required));
    }
    if note.chars().count() > NOTE_MAX {
        return Err(Error::field("note", Problem::TooLong { max: NOTE_MAX }));
    }
    let t = now();
    let kind = if update.status.is_some() {
        "status"
    } else {
        "note"
    };
    let status = update.status.map(|s| s.as_str());
    let closed = update.status.map(|s| !s.is_open());
    // Nobody is left out of the notifications when the case system speaks.
    let actor = by.actor_id.unwrap_or(0);
    if let Some(ext) = by.external_id {
        if let Some(id) = event_by_external_id(svc, report_id, ext).await? {
            return Ok((id, false));
        }
    }
    // The transaction starts with a write: on SQLite a transaction that reads first and
    // writes later fails at once (SQLITE_BUSY) when another writer committed in between.
    // A race on the same external update is settled by the unique index below.
    let result: Result<(i64, bool), sqlx::Error> = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let event_id: i64 = sqlx::query_scalar(
            "INSERT INTO report_events (report_id, kind, status, public, actor_role, actor_department_id, actor_id, note, at, external_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(report_id)
        .bind(kind)
        .bind(status)
        .bind(update.public)
        .bind(by.role)
        .bind(by.department_id)
        .bind(by.actor_id)
        .bind(note)
        .bind(t)
        .bind(by.external_id)
        .fetch_one(&mut *tx)
        .await?;
        if let (Some(status), Some(closed)) = (status, closed) {
            sqlx::query(
                "UPDATE reports SET status = $1, updated_at = $2, \
                 closed_at = CASE WHEN $3 THEN $2 ELSE NULL END WHERE id = $4",
            )
            .bind(status)
            .bind(t)
            .bind(closed)
            .bind(report_id)
            .execute(&mut *tx)
            .await?;
            if status == ReportStatus::Closed.as_str() {
                crate::ratings::reports::rectified!(tx, t, report_id).await?;
            }
        } else if update.public {
            sqlx::query("UPDATE reports SET updated_at = $1 WHERE id = $2")
                .bind(t)
                .bind(report_id)
                .execute(&mut *tx)
                .await?;
        }
        if update.public {
            sqlx::query(crate::notifications::NOTIFY_FOLLOWERS_SQL)
                .bind(report_id)
                .bind(event_id)
                .bind(actor)
                .bind(t)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok((event_id, true))
    }.await);
    let (event_id, new) = match result {
        Ok(r) => r,
        // The same external update arriving twice at the same moment: the other one won.
        Err(e) if crate::db::is_unique_violation(&e) => {
            let id = match by.external_id {
                Some(ext) => event_by_external_id(svc, report_id, ext).await?,
                None => None,
            };
            (id.ok_or_else(|| Error::Internal(e.to_string()))?, false)
        }
        Err(e) => return Err(e.into()),
    };
    if new && update.public {
        email_followers(svc, report_id, actor).await;
    }
    Ok((event_id, new))
}

/// The timeline entry recorded for a case system's (or client's) update `external_id`.
pub(crate) async fn event_by_external_id(
    svc: &Services,
    report_id: i64,
    external_id: &str,
) -> Result<Option<i64>, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT id FROM report_events WHERE report_id = $1 AND external_id = $2")
            .bind(report_id)
            .bind(external_id)
            .fetch_optional(p)
            .await
    })?)
}

/// Emails the followers who opted in, when mail really leaves the server. A failure is
/// logged; the in-app notification is already saved.
pub(crate) async fn email_followers(svc: &Services, report_id: i64, actor_id: i64) {
    if matches!(svc.mailer, Mailer::OutboxOnly) {
        return;
    }
    let to: Result<Vec<String>, sqlx::Error> = with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "SELECT u.email FROM report_follows f JOIN users u ON u.id = f.user_id \
             WHERE f.report_id = $1 AND f.user_id <> $2 AND u.email_notifications",
        )
        .bind(report_id)
        .bind(actor_id)
        .fetch_all(p)
        .await
    });
    let link = format!(
        "{}/reports/{report_id}",
        svc.public_url.trim_end_matches('/')
    );
    for address in to.unwrap_or_default() {
        let body = format!(
            "您关注的问题 #{report_id} 有新进展：\n{link}\n\nThere is news on report #{report_id} you follow:\n{link}\n"
        );
        if let Err(e) = svc
            .mailer
            .send(
                &svc.db,
                &svc.jobs,
                &address,
                &format!("共治 Gongzhi: #{report_id}"),
                &body,
            )
            .await
        {
            tracing::warn!(report_id, error = %e, "follower email failed");
        }
    }
}
