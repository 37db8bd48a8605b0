//! Appeals: the author of hidden content may ask once for another look. The item goes back
//! into the queue, and someone other than the moderator who hid it decides (restore, or
//! uphold the hiding).

use crate::db::BeginWrite;
use crate::error::{Error, FieldError};
use crate::model::deliberation::Visibility;
use crate::model::moderation::{Cause, ItemKind};
use crate::model::Me;
use crate::time::now;
use crate::{with_db, Problem, Services};

/// The longest appeal.
pub const APPEAL_MAX: usize = 1000;

/// The author appeals the hiding of their item.
pub async fn appeal(
    svc: &Services,
    me: Option<&Me>,
    kind: ItemKind,
    id: i64,
    body: &str,
) -> Result<(), Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let (author, visibility) = super::item_state(svc, kind, id)
        .await?
        .ok_or(Error::NotFound)?;
    if author != Some(me.id) || kind == ItemKind::Photo {
        return Err(Error::Forbidden);
    }
    if Visibility::parse(&visibility) != Visibility::Hidden {
        return Err(Error::field("body", Problem::NotHidden));
    }
    let body = body.trim();
    let problem = if body.is_empty() {
        Some(Problem::Required)
    } else if body.chars().count() > APPEAL_MAX {
        Some(Problem::TooLong { max: APPEAL_MAX })
    } else {
        None
    };
    if let Some(p) = problem {
        return Err(Error::Invalid(vec![FieldError::new("body", p)]));
    }
    let t = now();
    let cause = Cause::Appeal;
    let done: bool = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let hidden_by: Option<i64> = sqlx::query_scalar(
            "SELECT moderator_id FROM moderation_log WHERE item_kind = $1 AND item_id = $2 AND action = 'hide' ORDER BY id DESC LIMIT 1",
        )
        .bind(kind.as_str()).bind(id)
        .fetch_optional(&mut *tx).await?.flatten();
        let n = sqlx::query(
            "INSERT INTO appeals (item_kind, item_id, user_id, body, hidden_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (item_kind, item_id) DO NOTHING",
        )
        .bind(kind.as_str()).bind(id).bind(me.id).bind(body).bind(hidden_by).bind(t)
        .execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            return Ok::<_, sqlx::Error>(false);
        }
        sqlx::query(
            "INSERT INTO moderation_queue (item_kind, item_id, author_id, cause, queued_at, open) \
             VALUES ($1, $2, $3, $4, $5, TRUE) ON CONFLICT (item_kind, item_id) DO UPDATE SET \
             cause = excluded.cause, queued_at = excluded.queued_at, open = TRUE, claimed_by = NULL, claimed_until = NULL",
        )
        .bind(kind.as_str()).bind(id).bind(me.id).bind(cause.as_str()).bind(t)
        .execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    }.await)?;
    if !done {
        return Err(Error::field("body", Problem::AlreadyAppealed));
    }
    Ok(())
}

/// Where the author's appeals on `ids` (of one kind) stand: (item, decided).
pub async fn mine(
    svc: &Services,
    me: &Me,
    kind: ItemKind,
    ids: &[i64],
) -> Result<Vec<(i64, bool)>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT item_id, decided_at IS NOT NULL FROM appeals WHERE user_id = $1 AND item_kind = $2 AND item_id IN ({})",
        crate::db::marks(3, ids.len())
    );
    Ok(with_db!(&svc.db, p => {
        let mut q = sqlx::query_as(&sql).bind(me.id).bind(kind.as_str());
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(p).await
    })?)
}
