//! In-app notifications: one per follower for each public timeline entry of a report they
//! follow (never for the person who acted).

use crate::error::Error;
pub use crate::model::report::Notification;
use crate::model::Me;
use crate::time::now;
use crate::{with_db, Services};

/// Run inside the transaction that adds timeline entry `$2` of report `$1` at `$4`: a
/// notification for every follower of the report except the actor `$3`.
pub(crate) const NOTIFY_FOLLOWERS_SQL: &str = "INSERT INTO notifications (user_id, kind, report_id, event_id, created_at) \
     SELECT user_id, 'report_update', $1, $2, $4 FROM report_follows WHERE report_id = $1 AND user_id <> $3";

/// The user's newest notifications.
pub async fn list(svc: &Services, me: &Me, limit: i64) -> Result<Vec<Notification>, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT n.id, n.kind, n.report_id, e.status, e.note, n.created_at, n.read_at FROM notifications n \
             LEFT JOIN report_events e ON e.id = n.event_id WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2",
        )
        .bind(me.id)
        .bind(limit)
        .fetch_all(p)
        .await
    })?)
}

pub async fn unread_count(svc: &Services, me: &Me) -> Result<i64, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
            .bind(me.id)
            .fetch_one(p)
            .await
    })?)
}

/// Marks all the user's notifications read.
pub async fn mark_all_read(svc: &Services, me: &Me) -> Result<(), Error> {
    with_db!(&svc.db, p => {
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now())
            .bind(me.id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Whether the user also wants notifications by email.
pub async fn email_opt_in(svc: &Services, me: &Me) -> Result<bool, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT email_notifications FROM users WHERE id = $1")
            .bind(me.id)
            .fetch_one(p)
            .await
    })?)
}

pub async fn set_email_opt_in(svc: &Services, me: &Me, on: bool) -> Result<(), Error> {
    with_db!(&svc.db, p => {
        sqlx::query("UPDATE users SET email_notifications = $1, updated_at = $2 WHERE id = $3")
            .bind(on)
            .bind(now())
            .bind(me.id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}
