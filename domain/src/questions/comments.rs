//! Residents' comments on public questions: flat, screened like other posts (suspensions,
//! the word list, new accounts), told to the question's followers, and moderated with a
//! tombstone when hidden.

use chrono::{DateTime, Utc};

use crate::db::BeginWrite;
use crate::error::Error;
use crate::model::deliberation::Visibility;
use crate::model::moderation::{HiddenWhy, ItemKind, Mode};
use crate::model::question::{QuestionComment, COMMENTS_MAX, COMMENT_MAX};
use crate::model::Me;
use crate::moderation::hold_new;
use crate::ratelimit::{self, Scope};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// A signed-in resident comments on a public question. Returns the comment's id.
pub async fn post(
    svc: &Services,
    me: Option<&Me>,
    question_id: i64,
    body: &str,
    ip: &str,
) -> Result<i64, Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let visibility: Option<String> = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT visibility FROM questions WHERE id = $1")
            .bind(question_id)
            .fetch_optional(p)
            .await
    })?;
    if visibility.as_deref() != Some("visible") {
        return Err(Error::NotFound);
    }
    let body = body.trim();
    if body.is_empty() {
        return Err(Error::field("comment", Problem::Required));
    }
    if body.chars().count() > COMMENT_MAX {
        return Err(Error::field(
            "comment",
            Problem::TooLong { max: COMMENT_MAX },
        ));
    }
    let hold = crate::moderation::screen(svc, me, Mode::Post, body).await?;
    let limit = ratelimit::Post {
        scope: Scope::CommentAccount,
        account: me.id,
        max: svc.limits.comment_per_account,
        window: svc.limits.comment_window,
        ip,
    };
    limit.check(&svc.db, &svc.limits).await?;
    let t = now();
    let visibility = if hold.is_some() { "held" } else { "visible" };
    let id: i64 = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO question_comments (question_id, author_id, body, visibility, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(question_id).bind(me.id).bind(body).bind(visibility).bind(t)
        .fetch_one(&mut *tx).await?;
        match hold {
            Some(cause) => hold_new!(tx, ItemKind::QuestionComment, id, Some(me.id), cause, t).await?,
            None => {
                sqlx::query("UPDATE questions SET comment_count = comment_count + 1 WHERE id = $1")
                    .bind(question_id).execute(&mut *tx).await?;
                sqlx::query(super::NOTIFY_SQL).bind(question_id).bind("comment").bind(t).bind(me.id)
                    .execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(id)
    }.await)?;
    limit.record(&svc.db).await?;
    if hold.is_none() {
        super::engage::email_followers_about(svc, question_id, None, t).await;
    }
    Ok(id)
}

/// When moderators publish a held comment, or hide or restore a public one: the question's
/// count follows what the public sees, and a newly published comment is told to followers.
pub(crate) async fn moderated(
    svc: &Services,
    id: i64,
    was: Visibility,
    now_is: Visibility,
) -> Result<(), Error> {
    let delta: i64 = match (was == Visibility::Visible, now_is == Visibility::Visible) {
        (false, true) => 1,
        (true, false) => -1,
        _ => return Ok(()),
    };
    let t = now();
    with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let row: Option<(i64, Option<i64>)> = sqlx::query_as("SELECT question_id, author_id FROM question_comments WHERE id = $1")
            .bind(id).fetch_optional(&mut *tx).await?;
        if let Some((q, author)) = row {
            sqlx::query("UPDATE questions SET comment_count = comment_count + $1 WHERE id = $2")
                .bind(delta).bind(q).execute(&mut *tx).await?;
            if delta > 0 && was == Visibility::Held {
                sqlx::query(super::NOTIFY_SQL).bind(q).bind("comment").bind(t).bind(author.unwrap_or(0))
                    .execute(&mut *tx).await?;
            }
        }
        tx.commit().await
    }.await)?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    author_id: Option<i64>,
    author_name: Option<String>,
    body: String,
    visibility: String,
    hidden_reason: String,
    hidden_note: String,
    created_at: DateTime<Utc>,
    flagged: i64,
    appealed: i64,
}

/// A question's comments, oldest first: the public ones, tombstones of hidden ones, and the
/// viewer's own held ones.
pub async fn list(
    svc: &Services,
    me: Option<&Me>,
    question_id: i64,
) -> Result<Vec<QuestionComment>, Error> {
    let me_id = me.map(|m| m.id).unwrap_or(0);
    let rows: Vec<Row> = with_db!(&svc.db, p => {
        sqlx::query_as(&format!(
            "SELECT c.id, c.author_id, u.display_name AS author_name, c.body, c.visibility, c.hidden_reason, c.hidden_note, \
             c.created_at, \
             (SELECT count(*) FROM flags f WHERE f.item_kind = 'question_comment' AND f.item_id = c.id AND f.user_id = $2) AS flagged, \
             (SELECT count(*) FROM appeals a WHERE a.item_kind = 'question_comment' AND a.item_id = c.id AND a.user_id = $2) AS appealed \
             FROM question_comments c LEFT JOIN users u ON u.id = c.author_id \
             WHERE c.question_id = $1 AND (c.visibility <> 'held' OR c.author_id = $2) ORDER BY c.id LIMIT {COMMENTS_MAX}"
        ))
        .bind(question_id)
        .bind(me_id)
        .fetch_all(p)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let visibility = Visibility::parse(&r.visibility);
            let mine = me.is_some() && r.author_id == Some(me_id);
            let hidden = visibility == Visibility::Hidden;
            QuestionComment {
                id: r.id,
                author_name: r.author_name,
                body: if hidden && !mine {
                    String::new()
                } else {
                    r.body
                },
                visibility,
                hidden: hidden.then(|| HiddenWhy::from_stored(&r.hidden_reason, &r.hidden_note)),
                mine,
                flagged: r.flagged > 0,
                can_appeal: mine && hidden && r.appealed == 0,
                appealed: r.appealed > 0,
                created_at: r.created_at,
            }
        })
        .collect())
}
