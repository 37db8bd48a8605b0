//! Ask the government (网络问政): a signed-in resident asks a department a public question
//! (or, not sure which, leaves it to an admin to route); the city reviews questions before
//! they are published unless it turned that off; the department answers in public within its
//! deadline of working days, may hand the question to another department or say it is
//! looking into it; the asker may follow up once, which reopens it, and rates the answer.
//! Everyone sees who answers and how fast.

pub mod answers;
pub mod comments;
pub mod deadlines;
pub mod engage;
pub mod figures;
pub mod files;
pub mod inbox;
pub mod read;

use chrono::{DateTime, Utc};

use crate::db::BeginWrite;
use crate::error::{Error, FieldError};
use crate::model::moderation::ItemKind;
use crate::model::question::{EventKind, InboxDetail, BODY_MAX, TITLE_MAX};
use crate::model::{Me, Role};
use crate::moderation::{self, hold_new};
use crate::ratelimit::{self, Scope};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// A question as the form sends it.
#[derive(Clone, Debug, Default)]
pub struct QuestionInput {
    pub title: String,
    pub body: String,
    /// A department's id, or `unsure` for "not sure which department".
    pub department: String,
    /// The client's address, for the per-address posting limit (empty: not counted).
    pub ip: String,
}

/// Appends a public timeline entry; bind question, kind, department, from-department, note,
/// expected date, actor and time.
pub(crate) const EVENT_SQL: &str = "INSERT INTO question_events \
     (question_id, kind, department_id, from_department_id, note, expected_on, actor_id, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// Tells the question's followers (except the actor) of an event; bind question, event kind,
/// time and actor.
pub(crate) const NOTIFY_SQL: &str = "INSERT INTO notifications (user_id, kind, question_id, detail, created_at) \
     SELECT user_id, 'question', $1, $2, $3 FROM question_follows WHERE question_id = $1 AND user_id <> $4";

/// Who is told that a published question needs acting on: its department's officials
/// ("received"), or the admins when it has no department yet ("routing").
fn inbox_detail(department: Option<i64>) -> InboxDetail {
    if department.is_some() {
        InboxDetail::Received
    } else {
        InboxDetail::Routing
    }
}

/// Writes the notices of [`inbox_detail`] inside the transaction `$tx`; `$actor` (0: none)
/// is not told. Yields a future of `Result<_, sqlx::Error>`.
macro_rules! tell_inbox {
    ($tx:ident, $id:expr, $department:expr, $at:expr, $actor:expr) => {
        async {
            match $department {
                Some(d) => {
                    sqlx::query($crate::questions::inbox::INBOX_SQL)
                        .bind($id)
                        .bind($crate::model::question::InboxDetail::Received.as_str())
                        .bind($at)
                        .bind(d)
                        .bind($actor)
                        .execute(&mut *$tx)
                        .await
                }
                None => {
                    sqlx::query($crate::questions::inbox::ROUTING_SQL)
                        .bind($id)
                        .bind($at)
                        .execute(&mut *$tx)
                        .await
                }
            }
        }
    };
}
pub(crate) use tell_inbox;

/// Checks a question's text; returns the title, the details and the department (None: not
/// sure which).
async fn check(
    svc: &Services,
    input: &QuestionInput,
) -> Result<(String, String, Option<i64>), Error> {
    let mut problems = Vec::new();
    let title = input.title.trim().to_string();
    if title.is_empty() {
        problems.push(FieldError::new("title", Problem::Required));
    } else if title.chars().count() > TITLE_MAX {
        problems.push(FieldError::new(
            "title",
            Problem::TooLong { max: TITLE_MAX },
        ));
    }
    let body = input.body.trim().to_string();
    if body.is_empty() {
        problems.push(FieldError::new("body", Problem::Required));
    } else if body.chars().count() > BODY_MAX {
        problems.push(FieldError::new("body", Problem::TooLong { max: BODY_MAX }));
    }
    let department = match input.department.trim() {
        "" => {
            problems.push(FieldError::new("department", Problem::Required));
            None
        }
        "unsure" => None,
        id => match id.parse::<i64>() {
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
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok((title, body, department))
}

/// A resident's new question. Returns its id. It is held for review when the city reviews
/// questions (the default) or the moderation rules hold it; the department's clock starts
/// when it is public and with a department.
pub async fn ask(svc: &Services, me: Option<&Me>, input: QuestionInput) -> Result<i64, Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let (title, body, department) = check(svc, &input).await?;
    let mode = moderation::settings::qa_mode(svc).await?;
    let hold = moderation::screen(svc, me, mode, &format!("{title}\n{body}")).await?;
    let limit = ratelimit::Post {
        scope: Scope::QuestionAccount,
        account: me.id,
        max: svc.limits.question_per_account,
        window: svc.limits.question_window,
        ip: &input.ip,
    };
    limit.check(&svc.db, &svc.limits).await?;
    let t = now();
    let status = if department.is_some() {
        "open"
    } else {
        "routing"
    };
    // The clock runs only for a published question with a department.
    let due_at = match (department, hold) {
        (Some(d), None) => Some(deadlines::due(svc, d, t).await?),
        _ => None,
    };
    let received_at = due_at.map(|_| t);
    let visibility = if hold.is_some() { "held" } else { "visible" };
    let id: i64 = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO questions (asker_id, department_id, title, body, status, received_at, due_at, visibility, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(me.id).bind(department).bind(&title).bind(&body).bind(status)
        .bind(received_at).bind(due_at).bind(visibility).bind(t)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(EVENT_SQL)
            .bind(id).bind(EventKind::Asked.as_str()).bind(department).bind(None::<i64>)
            .bind("").bind(None::<chrono::NaiveDate>).bind(me.id).bind(t)
            .execute(&mut *tx)
            .await?;
        if let Some(cause) = hold {
            hold_new!(tx, ItemKind::Question, id, Some(me.id), cause, t).await?;
        }
        // The asker follows their question from the start (and may stop).
        sqlx::query("INSERT INTO question_follows (question_id, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(id).bind(me.id).bind(t)
            .execute(&mut *tx)
            .await?;
        if hold.is_none() {
            tell_inbox!(tx, id, department, t, me.id).await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(id)
    }.await)?;
    limit.record(&svc.db).await?;
    if hold.is_none() {
        inbox::email(svc, id, inbox_detail(department), t).await;
    }
    tracing::info!(question = id, department = ?department, held = hold.is_some(), "question asked");
    Ok(id)
}

/// Called when moderators publish a held question: the public timeline says so, and the
/// department's clock starts now (the department never saw it before).
pub(crate) async fn published(svc: &Services, id: i64) -> Result<(), Error> {
    let row: Option<(Option<i64>, Option<DateTime<Utc>>)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT department_id, received_at FROM questions WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await
    })?;
    let Some((department, received)) = row else {
        return Ok(());
    };
    let t = now();
    let due_at = match (department, received) {
        (Some(d), None) => Some(deadlines::due(svc, d, t).await?),
        _ => None,
    };
    with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        if let Some(due) = due_at {
            sqlx::query("UPDATE questions SET received_at = $1, due_at = $2, updated_at = $1 WHERE id = $3 AND received_at IS NULL")
                .bind(t).bind(due).bind(id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(EVENT_SQL)
            .bind(id).bind(EventKind::Published.as_str()).bind(department).bind(None::<i64>)
            .bind("").bind(None::<chrono::NaiveDate>).bind(None::<i64>).bind(t)
            .execute(&mut *tx)
            .await?;
        tell_inbox!(tx, id, department, t, 0_i64).await?;
        tx.commit().await
    }.await)?;
    inbox::email(svc, id, inbox_detail(department), t).await;
    Ok(())
}

/// An admin routes a question whose asker was not sure of the department (or re-routes one
/// no department has answered yet). The department's clock starts now.
pub async fn route(
    svc: &Services,
    me: Option<&Me>,
    id: i64,
    department: &str,
) -> Result<(), Error> {
    let me = match me {
        None => return Err(Error::Unauthenticated),
        Some(m) if m.role == Role::Admin => m,
        Some(_) => return Err(Error::Forbidden),
    };
    let department_id: i64 = match department.trim().parse() {
        Ok(d) => match crate::departments::unchoosable(&svc.db, d).await? {
            None => d,
            Some(problem) => return Err(Error::field("department", problem)),
        },
        _ if department.trim().is_empty() => {
            return Err(Error::field("department", Problem::Required))
        }
        _ => return Err(Error::field("department", Problem::UnknownDepartment)),
    };
    let row: Option<(String, String, Option<i64>)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT status, visibility, department_id FROM questions WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await
    })?;
    let (status, visibility, current) = row.ok_or(Error::NotFound)?;
    if status == "answered" || visibility == "hidden" {
        return Err(Error::field("department", Problem::AlreadyAnswered));
    }
    if current == Some(department_id) {
        return Err(Error::field("department", Problem::SameDepartment));
    }
    let t = now();
    let published = visibility == "visible";
    let due_at = if published {
        Some(deadlines::due(svc, department_id, t).await?)
    } else {
        None
    };
    let n = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(
            "UPDATE questions SET department_id = $1, status = 'open', received_at = $2, due_at = $3, expected_on = NULL, \
             updated_at = $4 WHERE id = $5 AND status <> 'answered'",
        )
        .bind(department_id).bind(due_at.map(|_| t)).bind(due_at).bind(t).bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 1 {
            sqlx::query(EVENT_SQL)
                .bind(id).bind(EventKind::Routed.as_str()).bind(department_id).bind(current)
                .bind("").bind(None::<chrono::NaiveDate>).bind(me.id).bind(t)
                .execute(&mut *tx)
                .await?;
            if published {
                sqlx::query(NOTIFY_SQL).bind(id).bind(EventKind::Routed.as_str()).bind(t).bind(me.id)
                    .execute(&mut *tx)
                    .await?;
                tell_inbox!(tx, id, Some(department_id), t, me.id).await?;
            }
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(n)
    }.await)?;
    if n != 1 {
        return Err(Error::field("department", Problem::AlreadyAnswered));
    }
    if published {
        engage::email_followers(svc, id, EventKind::Routed, t).await;
        inbox::email(svc, id, InboxDetail::Received, t).await;
    }
    tracing::info!(question = id, department = department_id, "question routed");
    Ok(())
}
