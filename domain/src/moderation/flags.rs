//! Residents' flags: one per user per item, with a reason. A flagged item enters the review
//! queue at once; at [`super::ModerationSettings::flags_to_hold`] open flags it is also held
//! (taken off public pages) until a moderator looks.

use crate::db::BeginWrite;
use crate::error::{Error, FieldError};
use crate::model::deliberation::Visibility;
use crate::model::moderation::{ItemKind, Reason, ReportMarks};
use crate::model::Me;
use crate::ratelimit::{self, Scope};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// The longest note on a flag.
pub const FLAG_NOTE_MAX: usize = 500;

/// What the flagger saw happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flagged {
    /// Counted; the item stays up.
    Counted,
    /// This flag reached the threshold: the item is held for review.
    Held,
}

/// `me` flags an item.
pub async fn flag(
    svc: &Services,
    me: Option<&Me>,
    kind: ItemKind,
    id: i64,
    reason: &str,
    note: &str,
) -> Result<Flagged, Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    if !ItemKind::FLAGGABLE.contains(&kind) {
        return Err(Error::NotFound);
    }
    let (author, visibility) = super::item_state(svc, kind, id)
        .await?
        .ok_or(Error::NotFound)?;
    if Visibility::parse(&visibility) == Visibility::Hidden && kind != ItemKind::Photo {
        return Err(Error::NotFound);
    }
    if author == Some(me.id) {
        return Err(Error::field("reason", Problem::OwnContent));
    }
    let mut problems = Vec::new();
    let reason = Reason::parse(reason.trim());
    let note = note.trim().to_string();
    match reason {
        None => problems.push(FieldError::new("reason", Problem::InvalidChoice)),
        Some(Reason::Other) if note.is_empty() => {
            problems.push(FieldError::new("note", Problem::Required))
        }
        _ => {}
    }
    if note.chars().count() > FLAG_NOTE_MAX {
        problems.push(FieldError::new(
            "note",
            Problem::TooLong { max: FLAG_NOTE_MAX },
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let reason = reason.unwrap_or_default();
    let key = me.id.to_string();
    let limits = &svc.limits;
    ratelimit::check(
        &svc.db,
        Scope::FlagAccount,
        &key,
        limits.flag_per_account,
        limits.flag_window,
    )
    .await?;
    let t = now();
    let threshold = svc.moderation.flags_to_hold;
    let table = super::table(kind);
    let outcome: Option<Flagged> = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(
            "INSERT INTO flags (item_kind, item_id, user_id, reason, note, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (item_kind, item_id, user_id) DO NOTHING",
        )
        .bind(kind.as_str()).bind(id).bind(me.id).bind(reason.as_str()).bind(&note).bind(t)
        .execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            return Ok::<_, sqlx::Error>(None);
        }
        // Into the queue (or back into it); an item already waiting keeps its place.
        let open_flags: i64 = sqlx::query_scalar(
            "INSERT INTO moderation_queue (item_kind, item_id, author_id, cause, open_flags, queued_at, open) \
             VALUES ($1, $2, $3, 'flags', 1, $4, TRUE) ON CONFLICT (item_kind, item_id) DO UPDATE SET \
             open_flags = moderation_queue.open_flags + 1, \
             cause = CASE WHEN moderation_queue.open THEN moderation_queue.cause ELSE 'flags' END, \
             queued_at = CASE WHEN moderation_queue.open THEN moderation_queue.queued_at ELSE excluded.queued_at END, \
             open = TRUE RETURNING open_flags",
        )
        .bind(kind.as_str()).bind(id).bind(author).bind(t)
        .fetch_one(&mut *tx).await?;
        let mut held = false;
        if let Some(table) = table {
            if open_flags >= threshold {
                let sql = format!("UPDATE {table} SET visibility = 'held' WHERE id = $1 AND visibility = 'visible'");
                held = sqlx::query(&sql).bind(id).execute(&mut *tx).await?.rows_affected() > 0;
                if held {
                    sqlx::query(
                        "INSERT INTO moderation_log (item_kind, item_id, action, reason, author_id, at) \
                         VALUES ($1, $2, 'hold', 'flags', $3, $4)",
                    )
                    .bind(kind.as_str()).bind(id).bind(author).bind(t)
                    .execute(&mut *tx).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(Some(if held { Flagged::Held } else { Flagged::Counted }))
    }.await)?;
    let outcome = outcome.ok_or_else(|| Error::field("reason", Problem::AlreadyFlagged))?;
    ratelimit::record(&svc.db, Scope::FlagAccount, &key).await?;
    tracing::info!(kind = kind.as_str(), item = id, ?outcome, "flagged");
    Ok(outcome)
}

/// Which of `ids` (of one kind) `me` has flagged.
pub async fn mine(svc: &Services, me: &Me, kind: ItemKind, ids: &[i64]) -> Result<Vec<i64>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT item_id FROM flags WHERE user_id = $1 AND item_kind = $2 AND item_id IN ({})",
        crate::db::marks(3, ids.len())
    );
    Ok(with_db!(&svc.db, p => {
        let mut q = sqlx::query_scalar(&sql).bind(me.id).bind(kind.as_str());
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(p).await
    })?)
}

/// [`ReportMarks`] of report `id` for `me`.
pub async fn report_marks(
    svc: &Services,
    me: Option<&Me>,
    id: i64,
    reporter: bool,
    hidden: bool,
) -> Result<ReportMarks, Error> {
    let photos: Vec<(i64, bool)> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT id, blurred_at IS NOT NULL FROM photos WHERE report_id = $1 AND event_id IS NULL ORDER BY position",
        )
        .bind(id)
        .fetch_all(p)
        .await
    })?;
    let mut marks = ReportMarks {
        photo_ids: photos.iter().map(|(id, _)| *id).collect(),
        blurred: photos
            .iter()
            .filter(|(_, b)| *b)
            .map(|(id, _)| *id)
            .collect(),
        moderator: super::require_moderator(me).is_ok(),
        ..Default::default()
    };
    if let Some(m) = me {
        marks.flagged = !mine(svc, m, ItemKind::Report, &[id]).await?.is_empty();
        marks.flagged_photos = mine(svc, m, ItemKind::Photo, &marks.photo_ids).await?;
        if reporter && hidden {
            marks.appealed = !super::appeals::mine(svc, m, ItemKind::Report, &[id])
                .await?
                .is_empty();
            marks.can_appeal = !marks.appealed;
        }
    }
    Ok(marks)
}
