//! What residents do with questions besides asking: "I want to know too" (once each),
//! following, and the asker's rating of the answer in the five levels.

use chrono::{DateTime, Utc};

use crate::db::BeginWrite;
use crate::error::Error;
use crate::model::question::EventKind;
use crate::model::rating::Subject;
use crate::model::Me;
use crate::time::now;
use crate::{with_db, Problem, Services};

/// The question's visibility and asker, or not found (also when it waits for review and
/// `me` did not ask it).
async fn seen_by(svc: &Services, me: &Me, id: i64) -> Result<(String, Option<i64>), Error> {
    let row: Option<(String, Option<i64>)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT visibility, asker_id FROM questions WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await
    })?;
    let (visibility, asker) = row.ok_or(Error::NotFound)?;
    if visibility == "held" && asker != Some(me.id) {
        return Err(Error::NotFound);
    }
    Ok((visibility, asker))
}

/// "I want to know too" (`on`), or taking it back. One per resident; the asker's own
/// question counts them already. Wanting a question also follows it. Returns the new count.
pub async fn want(svc: &Services, me: Option<&Me>, id: i64, on: bool) -> Result<i64, Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let (visibility, asker) = seen_by(svc, me, id).await?;
    if visibility != "visible" {
        return Err(Error::NotFound);
    }
    if asker == Some(me.id) {
        return Err(Error::field("want", Problem::OwnContent));
    }
    let t = now();
    let changed: Option<i64> = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let n = if on {
            sqlx::query(
                "INSERT INTO question_wants (question_id, user_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (question_id, user_id) DO NOTHING",
            )
            .bind(id).bind(me.id).bind(t)
            .execute(&mut *tx).await?.rows_affected()
        } else {
            sqlx::query("DELETE FROM question_wants WHERE question_id = $1 AND user_id = $2")
                .bind(id).bind(me.id)
                .execute(&mut *tx).await?.rows_affected()
        };
        if n == 0 {
            return Ok(None);
        }
        if on {
            sqlx::query(
                "INSERT INTO question_follows (question_id, user_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (question_id, user_id) DO NOTHING",
            )
            .bind(id).bind(me.id).bind(t)
            .execute(&mut *tx).await?;
        }
        let count: i64 = sqlx::query_scalar(
            "UPDATE questions SET want_count = want_count + $1 WHERE id = $2 RETURNING want_count",
        )
        .bind(if on { 1_i64 } else { -1 }).bind(id)
        .fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(Some(count))
    }.await)?;
    match changed {
        Some(count) => Ok(count),
        None if on => Err(Error::field("want", Problem::AlreadyWanted)),
        None => Ok(with_db!(&svc.db, p => {
            sqlx::query_scalar("SELECT want_count FROM questions WHERE id = $1").bind(id).fetch_one(p).await
        })?),
    }
}

/// Follows a question (`on`) or stops. Twice changes nothing.
pub async fn follow(svc: &Services, me: Option<&Me>, id: i64, on: bool) -> Result<(), Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    seen_by(svc, me, id).await?;
    let t = now();
    with_db!(&svc.db, p => async {
        if on {
            sqlx::query(
                "INSERT INTO question_follows (question_id, user_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (question_id, user_id) DO NOTHING",
            )
            .bind(id).bind(me.id).bind(t)
            .execute(p).await.map(|r| r.rows_affected())
        } else {
            sqlx::query("DELETE FROM question_follows WHERE question_id = $1 AND user_id = $2")
                .bind(id).bind(me.id)
                .execute(p).await.map(|r| r.rows_affected())
        }
    }.await)?;
    Ok(())
}

pub use crate::ratings::RatingInput;

/// The asker rates an answer to their question, or changes their rating within
/// [`CHANGE_DAYS`] days of first giving it.
pub async fn rate(
    svc: &Services,
    me: Option<&Me>,
    answer_id: i64,
    input: RatingInput,
) -> Result<(), Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let row: Option<(i64, i64, Option<i64>, String)> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT a.question_id, a.department_id, q.asker_id, q.visibility FROM answers a \
             JOIN questions q ON q.id = a.question_id WHERE a.id = $1",
        )
        .bind(answer_id)
        .fetch_optional(p)
        .await
    })?;
    let (question_id, department_id, asker, visibility) = row.ok_or(Error::NotFound)?;
    if asker != Some(me.id) || visibility != "visible" {
        return Err(Error::Forbidden);
    }
    let checked = crate::ratings::check(&input)?;
    let level = checked.level;
    let target = crate::ratings::Target {
        subject: Subject::Answer,
        subject_id: answer_id,
        rater_key: format!("u:{}", me.id),
        rater_id: Some(me.id),
        department_id: Some(department_id),
        round: 1,
        reference: String::new(),
    };
    crate::ratings::save(svc, &target, &checked).await?;
    tracing::info!(
        question = question_id,
        answer = answer_id,
        level = level.as_str(),
        "answer rated"
    );
    Ok(())
}

/// After an event's transaction committed: email its notification to the followers who got
/// it and asked for email. Mail that cannot be queued is logged; the in-app notice stands.
pub(crate) async fn email_followers(svc: &Services, id: i64, kind: EventKind, at: DateTime<Utc>) {
    email_followers_about(svc, id, Some(kind), at).await
}

/// Like [`email_followers`], for a notice that is no timeline event (`None`: a comment).
pub(crate) async fn email_followers_about(
    svc: &Services,
    id: i64,
    kind: Option<EventKind>,
    at: DateTime<Utc>,
) {
    if matches!(svc.mailer, crate::mail::Mailer::OutboxOnly) {
        return;
    }
    let to: Result<Vec<String>, sqlx::Error> = with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id \
             WHERE n.kind = 'question' AND n.question_id = $1 AND n.created_at = $2 AND u.email_notifications",
        )
        .bind(id)
        .bind(at)
        .fetch_all(p)
        .await
    });
    let (zh, en) = match kind {
        None => (
            "有人评论了您关注的提问",
            "Someone commented on a question you follow",
        ),
        Some(EventKind::Answered) => (
            "部门答复了您关注的提问",
            "A department answered a question you follow",
        ),
        Some(EventKind::HandedOver | EventKind::Routed) => (
            "您关注的提问已转交其他部门",
            "A question you follow went to another department",
        ),
        Some(EventKind::LookingInto) => (
            "部门正在研究您关注的提问",
            "A department is looking into a question you follow",
        ),
        Some(EventKind::FollowUp) => (
            "提问人追问了您关注的提问",
            "The asker followed up a question you follow",
        ),
        _ => (
            "您关注的提问有新进展",
            "There is news on a question you follow",
        ),
    };
    let link = format!("{}/questions/{id}", svc.public_url.trim_end_matches('/'));
    crate::notifications::mail_each(svc, to.unwrap_or_default(), zh, en, &link).await;
}
