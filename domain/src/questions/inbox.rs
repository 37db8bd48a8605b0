//! Who must act on a question is told: the officials of the department a question reaches
//! (published with it, routed or handed over to it, or given back by the asker's
//! follow-up), the admins when a question waits for routing, and the officials again when
//! its deadline is near and when it has passed. In the app, and by email for those who
//! opted in.
//!
//! The deadline notices are sent by the job runner's sweep ([`remind`]), once per
//! deadline: the question row keeps the `due_at` each notice was sent for, claimed with a
//! conditional update, so two instances never send one twice and a new deadline (after a
//! hand-over or a follow-up) is told about again.

use chrono::{DateTime, Utc};

use crate::db::BeginWrite;
use crate::error::Error;
use crate::model::question::InboxDetail;
use crate::time::now;
use crate::{with_db, Services};

/// How long before its deadline a question counts as due soon.
pub const DUE_SOON_HOURS: i64 = 24;

/// Tells the officials of a department (except the actor) that a question needs them; bind
/// question, detail, time, department and actor (0: nobody).
pub(crate) const INBOX_SQL: &str = "INSERT INTO notifications (user_id, kind, question_id, detail, created_at) \
     SELECT id, 'inbox', $1, $2, $3 FROM users WHERE role = 'official' AND department_id = $4 AND id <> $5";

/// Tells the admins that a question waits for routing; bind question and time.
pub(crate) const ROUTING_SQL: &str =
    "INSERT INTO notifications (user_id, kind, question_id, detail, created_at) \
     SELECT id, 'inbox', $1, 'routing', $2 FROM users WHERE role = 'admin'";

/// After the notice's transaction committed: emails it to its recipients who opted in.
/// Mail that cannot be queued is logged; the in-app notification stands.
pub(crate) async fn email(
    svc: &Services,
    question_id: i64,
    detail: InboxDetail,
    at: DateTime<Utc>,
) {
    if matches!(svc.mailer, crate::mail::Mailer::OutboxOnly) {
        return;
    }
    let to: Result<Vec<String>, sqlx::Error> = with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id \
             WHERE n.kind = 'inbox' AND n.question_id = $1 AND n.detail = $2 AND n.created_at = $3 \
             AND u.email_notifications",
        )
        .bind(question_id)
        .bind(detail.as_str())
        .bind(at)
        .fetch_all(p)
        .await
    });
    let (zh, en) = match detail {
        InboxDetail::Received => (
            "您的部门收到一个新提问",
            "A question reached your department",
        ),
        InboxDetail::FollowUp => (
            "提问人对您部门的答复追问",
            "The asker followed up your department's answer",
        ),
        InboxDetail::DueSoon => ("提问即将到期，请尽快答复", "A question is due soon"),
        InboxDetail::Overdue => ("提问已超过答复期限", "A question is past its deadline"),
        InboxDetail::Routing => ("有提问等待分派部门", "A question waits for a department"),
    };
    let link = format!(
        "{}/questions/{question_id}",
        svc.public_url.trim_end_matches('/')
    );
    crate::notifications::mail_each(svc, to.unwrap_or_default(), zh, en, &link).await;
}

#[derive(sqlx::FromRow)]
struct Due {
    id: i64,
    department_id: i64,
    due_at: DateTime<Utc>,
    soon_told: bool,
    over_told: bool,
}

/// Tells departments of questions whose deadline is within [`DUE_SOON_HOURS`] or past,
/// each notice once per deadline. Returns how many notices went out (one per question).
pub async fn remind(svc: &Services) -> Result<usize, Error> {
    let t = now();
    let soon = t + chrono::Duration::hours(DUE_SOON_HOURS);
    let rows: Vec<Due> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT id, department_id, due_at, \
             COALESCE(due_soon_told = due_at, FALSE) AS soon_told, COALESCE(overdue_told = due_at, FALSE) AS over_told \
             FROM questions WHERE status IN ('open', 'looking_into') AND visibility = 'visible' \
             AND department_id IS NOT NULL AND due_at IS NOT NULL AND due_at <= $1 \
             AND (due_soon_told IS NULL OR due_soon_told <> due_at OR ((overdue_told IS NULL OR overdue_told <> due_at) AND due_at <= $2)) \
             ORDER BY due_at LIMIT 500",
        )
        .bind(soon)
        .bind(t)
        .fetch_all(p)
        .await
    })?;
    let mut sent = 0;
    for r in rows {
        let (detail, claim) = if r.due_at <= t && !r.over_told {
            // Past the deadline: the "due soon" notice is moot from now on.
            (
                InboxDetail::Overdue,
                "UPDATE questions SET overdue_told = due_at, due_soon_told = due_at \
                 WHERE id = $1 AND due_at <= $2 AND due_at > $3 AND (overdue_told IS NULL OR overdue_told <> due_at)",
            )
        } else if !r.soon_told && r.due_at > t {
            (
                InboxDetail::DueSoon,
                "UPDATE questions SET due_soon_told = due_at \
                 WHERE id = $1 AND due_at <= $2 AND due_at > $3 AND (due_soon_told IS NULL OR due_soon_told <> due_at)",
            )
        } else {
            continue;
        };
        let won: bool = with_db!(&svc.db, p => async {
            let mut tx = p.begin_write().await?;
            // Claimed only while the deadline still is what made the notice due (a hand-over
            // may have set a new one meanwhile).
            let (upto, after) = match detail {
                InboxDetail::Overdue => (t, t - chrono::Duration::days(36500)),
                _ => (soon, t),
            };
            let n = sqlx::query(claim).bind(r.id).bind(upto).bind(after).execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                sqlx::query(INBOX_SQL)
                    .bind(r.id).bind(detail.as_str()).bind(t).bind(r.department_id).bind(0_i64)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n == 1)
        }.await)?;
        if won {
            sent += 1;
            email(svc, r.id, detail, t).await;
        }
    }
    if sent > 0 {
        tracing::info!(sent, "question deadline notices sent");
    }
    Ok(sent)
}
