//! Moderation by civic volunteers. Residents flag content; enough flags hold it for review
//! automatically, and so do the admins' word list, pre-moderated processes and (when the
//! city enables it) the first posts of a new account. Moderators work a queue, oldest
//! first, claiming an item while they judge it; every action goes to a public log; hidden
//! content leaves a tombstone with the reason, its author may appeal once, and someone
//! other than who hid it decides. Suspended users read but cannot post.
//!
//! Content kinds carry their own `visibility` column ('visible', 'held', 'hidden'); every
//! public read shows only 'visible' rows (and tombstones), held ones only to their authors.

pub mod appeals;
pub mod flags;
pub mod gate;
pub mod log;
pub mod queue;
pub mod settings;
pub mod suspensions;

use crate::error::Error;
use crate::model::moderation::ItemKind;
use crate::model::{Me, Role};

pub use gate::{ensure_can_post, screen};

/// The city's moderation rules, from config.
#[derive(Clone, Debug)]
pub struct ModerationSettings {
    /// Open flags at which an item is held for review automatically.
    pub flags_to_hold: i64,
    /// Hold the first posts of every new account for review.
    pub hold_new_accounts: bool,
    /// How many first posts that is.
    pub new_account_posts: i64,
    /// How long a moderator's claim on an item lasts without action.
    pub claim_minutes: i64,
}

impl Default for ModerationSettings {
    fn default() -> Self {
        ModerationSettings {
            flags_to_hold: 3,
            hold_new_accounts: false,
            new_account_posts: 3,
            claim_minutes: 10,
        }
    }
}

/// Moderators and admins moderate.
pub fn require_moderator(me: Option<&Me>) -> Result<&Me, Error> {
    match me {
        None => Err(Error::Unauthenticated),
        Some(m) if matches!(m.role, Role::Moderator | Role::Admin) => Ok(m),
        Some(_) => Err(Error::Forbidden),
    }
}

/// The table holding an item kind's `visibility`, `hidden_reason` and `hidden_note`.
pub(crate) fn table(kind: ItemKind) -> Option<&'static str> {
    match kind {
        ItemKind::Comment => Some("comments"),
        ItemKind::Proposal => Some("proposals"),
        ItemKind::Report => Some("reports"),
        ItemKind::Question => Some("questions"),
        ItemKind::QuestionComment => Some("question_comments"),
        ItemKind::LiveQuestion => Some("live_questions"),
        ItemKind::QuestionFollowUp => Some("question_follow_ups"),
        ItemKind::Photo | ItemKind::Account => None,
    }
}

/// An item's author and visibility, as stored; `None` when there is no such item (or a
/// comment its author deleted).
pub(crate) async fn item_state(
    svc: &crate::Services,
    kind: ItemKind,
    id: i64,
) -> Result<Option<(Option<i64>, String)>, Error> {
    let sql = match kind {
        ItemKind::Comment => {
            "SELECT author_id, visibility FROM comments WHERE id = $1 AND deleted_at IS NULL"
        }
        ItemKind::Proposal => "SELECT author_id, visibility FROM proposals WHERE id = $1",
        ItemKind::Report => "SELECT reporter_id, visibility FROM reports WHERE id = $1",
        ItemKind::Question => "SELECT asker_id, visibility FROM questions WHERE id = $1",
        ItemKind::QuestionComment => {
            "SELECT author_id, visibility FROM question_comments WHERE id = $1"
        }
        ItemKind::LiveQuestion => "SELECT author_id, visibility FROM live_questions WHERE id = $1",
        ItemKind::QuestionFollowUp => {
            "SELECT author_id, visibility FROM question_follow_ups WHERE id = $1"
        }
        ItemKind::Photo => {
            "SELECT r.reporter_id, r.visibility FROM photos ph JOIN reports r ON r.id = ph.report_id WHERE ph.id = $1"
        }
        ItemKind::Account => return Ok(None),
    };
    Ok(crate::with_db!(&svc.db, p => {
        sqlx::query_as(sql).bind(id).fetch_optional(p).await
    })?)
}

/// Writes "held for review" for a new item inside the transaction `$tx` that inserted it:
/// it enters the queue (for `$cause`) and the log (an automatic hold). Yields a future of
/// `Result<(), sqlx::Error>`.
macro_rules! hold_new {
    ($tx:ident, $kind:expr, $id:expr, $author:expr, $cause:expr, $at:expr) => {
        async {
            sqlx::query(
                "INSERT INTO moderation_queue (item_kind, item_id, author_id, cause, queued_at, open) \
                 VALUES ($1, $2, $3, $4, $5, TRUE) ON CONFLICT (item_kind, item_id) DO UPDATE SET \
                 cause = excluded.cause, queued_at = excluded.queued_at, open = TRUE",
            )
            .bind($kind.as_str())
            .bind($id)
            .bind($author)
            .bind($cause.as_str())
            .bind($at)
            .execute(&mut *$tx)
            .await?;
            sqlx::query(
                "INSERT INTO moderation_log (item_kind, item_id, action, reason, author_id, at) \
                 VALUES ($1, $2, 'hold', $3, $4, $5)",
            )
            .bind($kind.as_str())
            .bind($id)
            .bind($cause.as_str())
            .bind($author)
            .bind($at)
            .execute(&mut *$tx)
            .await?;
            Ok::<_, sqlx::Error>(())
        }
    };
}
pub(crate) use hold_new;
