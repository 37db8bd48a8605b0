//! What the department does with a question: answers it in public (markdown), edits the
//! answer (every earlier wording stays readable), hands it to another department with a
//! public note, or says it is looking into it with the date it expects to answer. And the
//! asker's one follow-up, which gives the question back to the department with a new
//! deadline.

use chrono::{DateTime, NaiveDate, Utc};

use super::{deadlines, engage, inbox, EVENT_SQL, NOTIFY_SQL};
use crate::db::BeginWrite;
use crate::error::{Error, FieldError};
use crate::model::moderation::ItemKind;
use crate::model::question::{EventKind, InboxDetail, ANSWER_MAX, BODY_MAX, NOTE_MAX};
use crate::model::{Me, Role};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// The question as the department's actions need it.
struct Current {
    department_id: Option<i64>,
    status: String,
    visibility: String,
    asker_id: Option<i64>,
    received_at: Option<DateTime<Utc>>,
    due_at: Option<DateTime<Utc>>,
    follow_up: Option<String>,
}

async fn current(svc: &Services, id: i64) -> Result<Current, Error> {
    type Row = (
        Option<i64>,
        String,
        String,
        Option<i64>,
        Option<DateTime<Utc>>,
        Option<DateTime<Utc>>,
        Option<String>,
    );
    let row: Option<Row> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT department_id, status, visibility, asker_id, received_at, due_at, follow_up FROM questions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(p)
        .await
    })?;
    let r = row.ok_or(Error::NotFound)?;
    Ok(Current {
        department_id: r.0,
        status: r.1,
        visibility: r.2,
        asker_id: r.3,
        received_at: r.4,
        due_at: r.5,
        follow_up: r.6,
    })
}

/// Only officials of the department the question is with act on it; it must be public.
/// Returns the official and their department.
fn require_department<'a>(me: Option<&'a Me>, q: &Current) -> Result<(&'a Me, i64), Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    if q.visibility != "visible" {
        return Err(Error::NotFound);
    }
    match (me.role, me.department_id, q.department_id) {
        (Role::Official, Some(mine), Some(theirs)) if mine == theirs => Ok((me, mine)),
        _ => Err(Error::Forbidden),
    }
}

fn check_markdown(field: &str, text: &str, max: usize) -> Result<String, Error> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::field(field, Problem::Required));
    }
    if text.chars().count() > max {
        return Err(Error::field(field, Problem::TooLong { max }));
    }
    Ok(text.to_string())
}

/// The department's answer. A question has one answer per round: the first, and one more
/// after the asker's follow-up; later changes are edits. Returns the answer's id.
pub async fn answer(svc: &Services, me: Option<&Me>, id: i64, body: &str) -> Result<i64, Error> {
    let q = current(svc, id).await?;
    let (me, department_id) = require_department(me, &q)?;
    if q.status == "answered" {
        return Err(Error::field("body", Problem::AlreadyAnswered));
    }
    let body = check_markdown("body", body, ANSWER_MAX)?;
    let html = crate::deliberation::markdown::render(&body);
    let t = now();
    let (received, due) = match (q.received_at, q.due_at) {
        (Some(r), Some(d)) => (r, d),
        // A question always has a clock once public and routed; a missing one starts now.
        _ => (t, deadlines::due(svc, department_id, t).await?),
    };
    let answer_id: Option<i64> = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        // Checked again in the write: two officials answering at once make one answer.
        let n = sqlx::query(
            "UPDATE questions SET status = 'answered', expected_on = NULL, answered_at = $1, \
             first_answered_at = COALESCE(first_answered_at, $1), updated_at = $1 \
             WHERE id = $2 AND status <> 'answered' AND department_id = $3",
        )
        .bind(t).bind(id).bind(department_id)
        .execute(&mut *tx).await?.rows_affected();
        if n != 1 {
            return Ok(None);
        }
        let answer_id: i64 = sqlx::query_scalar(
            "INSERT INTO answers (question_id, department_id, author_id, body, body_html, received_at, due_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(id).bind(department_id).bind(me.id).bind(&body).bind(&html).bind(received).bind(due).bind(t)
        .fetch_one(&mut *tx).await?;
        sqlx::query(EVENT_SQL)
            .bind(id).bind(EventKind::Answered.as_str()).bind(department_id).bind(None::<i64>)
            .bind("").bind(None::<NaiveDate>).bind(me.id).bind(t)
            .execute(&mut *tx).await?;
        sqlx::query(NOTIFY_SQL).bind(id).bind(EventKind::Answered.as_str()).bind(t).bind(me.id)
            .execute(&mut *tx).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(Some(answer_id))
    }.await)?;
    let answer_id = answer_id.ok_or_else(|| Error::field("body", Problem::AlreadyAnswered))?;
    engage::email_followers(svc, id, EventKind::Answered, t).await;
    tracing::info!(
        question = id,
        answer = answer_id,
        department = department_id,
        "question answered"
    );
    Ok(answer_id)
}

/// An official of the answering department rewrites an answer; the wording it replaces is
/// kept, with when it was published and replaced.
pub async fn edit(
    svc: &Services,
    me: Option<&Me>,
    answer_id: i64,
    body: &str,
) -> Result<(), Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    type Row = (
        i64,
        i64,
        String,
        String,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
    );
    let row: Option<Row> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT question_id, department_id, body, body_html, created_at, edited_at FROM answers WHERE id = $1")
            .bind(answer_id)
            .fetch_optional(p)
            .await
    })?;
    let (question_id, department_id, old_body, old_html, created_at, edited_at) =
        row.ok_or(Error::NotFound)?;
    if !(me.role == Role::Official && me.department_id == Some(department_id)) {
        return Err(Error::Forbidden);
    }
    let body = check_markdown("body", body, ANSWER_MAX)?;
    if body == old_body {
        return Ok(());
    }
    let html = crate::deliberation::markdown::render(&body);
    let t = now();
    with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        sqlx::query(
            "INSERT INTO answer_revisions (answer_id, body, body_html, written_at, replaced_at, editor_id) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(answer_id).bind(&old_body).bind(&old_html).bind(edited_at.unwrap_or(created_at)).bind(t).bind(me.id)
        .execute(&mut *tx).await?;
        sqlx::query("UPDATE answers SET body = $1, body_html = $2, edited_at = $3 WHERE id = $4")
            .bind(&body).bind(&html).bind(t).bind(answer_id)
            .execute(&mut *tx).await?;
        sqlx::query(EVENT_SQL)
            .bind(question_id).bind(EventKind::AnswerEdited.as_str()).bind(department_id).bind(None::<i64>)
            .bind("").bind(None::<NaiveDate>).bind(me.id).bind(t)
            .execute(&mut *tx).await?;
        sqlx::query(NOTIFY_SQL).bind(question_id).bind(EventKind::AnswerEdited.as_str()).bind(t).bind(me.id)
            .execute(&mut *tx).await?;
        tx.commit().await
    }.await)?;
    tracing::info!(question = question_id, answer = answer_id, "answer edited");
    Ok(())
}

/// The department hands the question to another department with a public note; the new
/// department's clock starts now.
pub async fn hand_over(
    svc: &Services,
    me: Option<&Me>,
    id: i64,
    to: &str,
    note: &str,
) -> Result<(), Error> {
    let q = current(svc, id).await?;
    let (me, from) = require_department(me, &q)?;
    if q.status == "answered" {
        return Err(Error::field("department", Problem::AlreadyAnswered));
    }
    let mut problems = Vec::new();
    let to_id = match to.trim().parse::<i64>() {
        Ok(d) if d == from => {
            problems.push(FieldError::new("department", Problem::SameDepartment));
            None
        }
        Ok(d) => match crate::departments::unchoosable(&svc.db, d).await? {
            None => Some(d),
            Some(problem) => {
                problems.push(FieldError::new("department", problem));
                None
            }
        },
        _ if to.trim().is_empty() => {
            problems.push(FieldError::new("department", Problem::Required));
            None
        }
        _ => {
            problems.push(FieldError::new("department", Problem::UnknownDepartment));
            None
        }
    };
    let note = note.trim();
    if note.is_empty() {
        problems.push(FieldError::new("note", Problem::Required));
    } else if note.chars().count() > NOTE_MAX {
        problems.push(FieldError::new("note", Problem::TooLong { max: NOTE_MAX }));
    }
    let (Some(to_id), true) = (to_id, problems.is_empty()) else {
        return Err(Error::Invalid(problems));
    };
    let t = now();
    let due = deadlines::due(svc, to_id, t).await?;
    let n = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(
            "UPDATE questions SET department_id = $1, status = 'open', received_at = $2, due_at = $3, expected_on = NULL, \
             updated_at = $2 WHERE id = $4 AND department_id = $5 AND status <> 'answered'",
        )
        .bind(to_id).bind(t).bind(due).bind(id).bind(from)
        .execute(&mut *tx).await?.rows_affected();
        if n == 1 {
            sqlx::query(EVENT_SQL)
                .bind(id).bind(EventKind::HandedOver.as_str()).bind(to_id).bind(from)
                .bind(note).bind(None::<NaiveDate>).bind(me.id).bind(t)
                .execute(&mut *tx).await?;
            sqlx::query(NOTIFY_SQL).bind(id).bind(EventKind::HandedOver.as_str()).bind(t).bind(me.id)
                .execute(&mut *tx).await?;
            super::tell_inbox!(tx, id, Some(to_id), t, me.id).await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(n)
    }.await)?;
    if n != 1 {
        return Err(Error::field("department", Problem::CaseMoved));
    }
    engage::email_followers(svc, id, EventKind::HandedOver, t).await;
    inbox::email(svc, id, InboxDetail::Received, t).await;
    tracing::info!(question = id, from, to = to_id, "question handed over");
    Ok(())
}

/// The department says it is looking into the question and expects to answer by `expected`
/// (a local date from today on), with an optional public note. The deadline stays as it was.
pub async fn looking_into(
    svc: &Services,
    me: Option<&Me>,
    id: i64,
    expected: &str,
    note: &str,
) -> Result<(), Error> {
    let q = current(svc, id).await?;
    let (me, department_id) = require_department(me, &q)?;
    if q.status == "answered" {
        return Err(Error::field("expected_on", Problem::AlreadyAnswered));
    }
    let mut problems = Vec::new();
    let cal = deadlines::calendar(svc, now()).await?;
    let today = cal.local_date(now());
    let expected_on = match NaiveDate::parse_from_str(expected.trim(), "%Y-%m-%d") {
        Ok(d) if d < today => {
            problems.push(FieldError::new("expected_on", Problem::DateInPast));
            None
        }
        Ok(d) if d > today + chrono::Duration::days(366) => {
            problems.push(FieldError::new(
                "expected_on",
                Problem::OutOfRange { min: 0, max: 366 },
            ));
            None
        }
        Ok(d) => Some(d),
        Err(_) if expected.trim().is_empty() => {
            problems.push(FieldError::new("expected_on", Problem::Required));
            None
        }
        Err(_) => {
            problems.push(FieldError::new("expected_on", Problem::NotADate));
            None
        }
    };
    let note = note.trim();
    if note.chars().count() > NOTE_MAX {
        problems.push(FieldError::new("note", Problem::TooLong { max: NOTE_MAX }));
    }
    let (Some(expected_on), true) = (expected_on, problems.is_empty()) else {
        return Err(Error::Invalid(problems));
    };
    let t = now();
    with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(
            "UPDATE questions SET status = 'looking_into', expected_on = $1, updated_at = $2 \
             WHERE id = $3 AND department_id = $4 AND status <> 'answered'",
        )
        .bind(expected_on).bind(t).bind(id).bind(department_id)
        .execute(&mut *tx).await?.rows_affected();
        if n == 1 {
            sqlx::query(EVENT_SQL)
                .bind(id).bind(EventKind::LookingInto.as_str()).bind(department_id).bind(None::<i64>)
                .bind(note).bind(Some(expected_on)).bind(me.id).bind(t)
                .execute(&mut *tx).await?;
            sqlx::query(NOTIFY_SQL).bind(id).bind(EventKind::LookingInto.as_str()).bind(t).bind(me.id)
                .execute(&mut *tx).await?;
        }
        tx.commit().await
    }.await)?;
    engage::email_followers(svc, id, EventKind::LookingInto, t).await;
    Ok(())
}

/// The asker's one follow-up after an answer. Screened like the question itself: held for
/// review when the city reviews questions first (or the word list matches), else published
/// at once; published, it gives the question back to the department with a new deadline.
pub async fn follow_up(svc: &Services, me: Option<&Me>, id: i64, text: &str) -> Result<(), Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let q = current(svc, id).await?;
    if q.asker_id != Some(me.id) || q.visibility != "visible" {
        return Err(Error::Forbidden);
    }
    crate::moderation::ensure_can_post(svc, me).await?;
    let waiting: i64 = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT count(*) FROM question_follow_ups WHERE question_id = $1 AND visibility = 'held'")
            .bind(id)
            .fetch_one(p)
            .await
    })?;
    if q.follow_up.is_some() || waiting > 0 {
        return Err(Error::field("follow_up", Problem::FollowUpUsed));
    }
    if q.status != "answered" {
        return Err(Error::field("follow_up", Problem::NotAnswered));
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::field("follow_up", Problem::Required));
    }
    if text.chars().count() > BODY_MAX {
        return Err(Error::field(
            "follow_up",
            Problem::TooLong { max: BODY_MAX },
        ));
    }
    let mode = crate::moderation::settings::qa_mode(svc).await?;
    let hold = crate::moderation::screen(svc, me, mode, text).await?;
    let t = now();
    let visibility = if hold.is_some() { "held" } else { "visible" };
    let follow_up_id: i64 = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let fid: i64 = sqlx::query_scalar(
            "INSERT INTO question_follow_ups (question_id, author_id, body, visibility, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id).bind(me.id).bind(text).bind(visibility).bind(t)
        .fetch_one(&mut *tx).await?;
        if let Some(cause) = hold {
            crate::moderation::hold_new!(tx, ItemKind::QuestionFollowUp, fid, Some(me.id), cause, t).await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(fid)
    }.await)?;
    if hold.is_some() {
        tracing::info!(
            question = id,
            follow_up = follow_up_id,
            "asker's follow-up held for review"
        );
        return Ok(());
    }
    if !publish_follow_up(svc, follow_up_id).await? {
        // Another follow-up was published meanwhile: this one is not kept.
        with_db!(&svc.db, p => {
            sqlx::query("DELETE FROM question_follow_ups WHERE id = $1")
                .bind(follow_up_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        return Err(Error::field("follow_up", Problem::FollowUpUsed));
    }
    Ok(())
}

/// Called when moderators publish a held follow-up: the question goes back to the
/// department as if it had been published when written.
pub(crate) async fn follow_up_published(svc: &Services, follow_up_id: i64) -> Result<(), Error> {
    if !publish_follow_up(svc, follow_up_id).await? {
        tracing::warn!(
            follow_up = follow_up_id,
            "approved follow-up found its question no longer answered or already followed up"
        );
    }
    Ok(())
}

/// Publishes follow-up `follow_up_id` on its question: the text shows under the answer,
/// the question is open again with a new deadline, followers and the department are told.
/// False when the question has no answer to follow up any more, or has a follow-up.
async fn publish_follow_up(svc: &Services, follow_up_id: i64) -> Result<bool, Error> {
    let row: Option<(i64, Option<i64>, String)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT question_id, author_id, body FROM question_follow_ups WHERE id = $1")
            .bind(follow_up_id)
            .fetch_optional(p)
            .await
    })?;
    let (id, author, text) = row.ok_or(Error::NotFound)?;
    let q = current(svc, id).await?;
    let department_id = q.department_id.ok_or(Error::NotFound)?;
    let actor = author.unwrap_or(0);
    let t = now();
    let due = deadlines::due(svc, department_id, t).await?;
    let n = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(
            "UPDATE questions SET follow_up = $1, follow_up_at = $2, status = 'open', received_at = $2, due_at = $3, \
             updated_at = $2 WHERE id = $4 AND follow_up IS NULL AND status = 'answered'",
        )
        .bind(&text).bind(t).bind(due).bind(id)
        .execute(&mut *tx).await?.rows_affected();
        if n == 1 {
            sqlx::query(EVENT_SQL)
                .bind(id).bind(EventKind::FollowUp.as_str()).bind(department_id).bind(None::<i64>)
                .bind("").bind(None::<NaiveDate>).bind(author).bind(t)
                .execute(&mut *tx).await?;
            sqlx::query(NOTIFY_SQL).bind(id).bind(EventKind::FollowUp.as_str()).bind(t).bind(actor)
                .execute(&mut *tx).await?;
            sqlx::query(inbox::INBOX_SQL)
                .bind(id).bind(InboxDetail::FollowUp.as_str()).bind(t).bind(department_id).bind(actor)
                .execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(n)
    }.await)?;
    if n != 1 {
        return Ok(false);
    }
    engage::email_followers(svc, id, EventKind::FollowUp, t).await;
    inbox::email(svc, id, InboxDetail::FollowUp, t).await;
    tracing::info!(question = id, "asker followed up");
    Ok(true)
}
