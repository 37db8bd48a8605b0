//! The moderators' review queue: what waits, oldest first, with its context; claims so two
//! moderators never judge one item unawares; and the actions, each logged publicly.

use chrono::{DateTime, Duration, Utc};

use crate::db::BeginWrite;
use crate::error::{Error, FieldError};
use crate::model::deliberation::Visibility;
use crate::model::moderation::{Action, Cause, FlagCount, ItemKind, QueueEntry, Reason};
use crate::model::Me;
use crate::time::now;
use crate::{with_db, Problem, Services};

/// Items on one queue page.
pub const QUEUE_PAGE: i64 = 50;
/// The longest public note on an action.
pub const NOTE_MAX: usize = 500;

#[derive(sqlx::FromRow)]
struct QueueRow {
    item_kind: String,
    item_id: i64,
    author_id: Option<i64>,
    cause: String,
    queued_at: DateTime<Utc>,
    claimed_by: Option<i64>,
    claimed_until: Option<DateTime<Utc>>,
    claimer: Option<String>,
    author_name: Option<String>,
}

#[derive(sqlx::FromRow, Default)]
struct ItemRow {
    visibility: String,
    title: String,
    body_html: String,
    body_text: String,
    link: String,
    locked: bool,
    photo_uid: Option<String>,
    blurred: bool,
}

/// The item's text and place, as a moderator reads it.
async fn item(svc: &Services, kind: ItemKind, id: i64) -> Result<Option<ItemRow>, Error> {
    let sql = match kind {
        ItemKind::Comment => {
            "SELECT c.visibility, COALESCE(x.title, pr.title) AS title, c.body_html, '' AS body_text, \
             CASE WHEN c.proposal_id IS NULL THEN '/deliberation/' || CAST(c.process_id AS TEXT) \
                  ELSE '/proposals/' || CAST(c.proposal_id AS TEXT) END \
               || '?corder=oldest&after=' || CAST(COALESCE(c.root_id, c.id) - 1 AS TEXT) || '#comment-' || CAST(c.id AS TEXT) AS link, \
             (c.locked_at IS NOT NULL OR r.locked_at IS NOT NULL OR x.locked_at IS NOT NULL) AS locked, \
             NULL AS photo_uid, FALSE AS blurred \
             FROM comments c JOIN processes pr ON pr.id = c.process_id LEFT JOIN proposals x ON x.id = c.proposal_id \
             LEFT JOIN comments r ON r.id = c.root_id WHERE c.id = $1"
        }
        ItemKind::Proposal => {
            "SELECT visibility, title, body_html, '' AS body_text, '/proposals/' || CAST(id AS TEXT) AS link, \
             locked_at IS NOT NULL AS locked, NULL AS photo_uid, FALSE AS blurred FROM proposals WHERE id = $1"
        }
        ItemKind::Report => {
            "SELECT r.visibility, c.name_zh || ' / ' || c.name_en AS title, '' AS body_html, r.description AS body_text, \
             '/reports/' || CAST(r.id AS TEXT) AS link, FALSE AS locked, NULL AS photo_uid, FALSE AS blurred \
             FROM reports r JOIN categories c ON c.id = r.category_id WHERE r.id = $1"
        }
        ItemKind::Question => {
            "SELECT visibility, title, '' AS body_html, body AS body_text, '/questions/' || CAST(id AS TEXT) AS link, \
             FALSE AS locked, NULL AS photo_uid, FALSE AS blurred FROM questions WHERE id = $1"
        }
        ItemKind::QuestionComment => {
            "SELECT c.visibility, q.title, '' AS body_html, c.body AS body_text, \
             '/questions/' || CAST(q.id AS TEXT) || '#qc-' || CAST(c.id AS TEXT) AS link, \
             FALSE AS locked, NULL AS photo_uid, FALSE AS blurred \
             FROM question_comments c JOIN questions q ON q.id = c.question_id WHERE c.id = $1"
        }
        ItemKind::QuestionFollowUp => {
            "SELECT f.visibility, q.title, '' AS body_html, f.body AS body_text, \
             '/questions/' || CAST(q.id AS TEXT) || '#follow-up' AS link, \
             FALSE AS locked, NULL AS photo_uid, FALSE AS blurred \
             FROM question_follow_ups f JOIN questions q ON q.id = f.question_id WHERE f.id = $1"
        }
        ItemKind::LiveQuestion => {
            "SELECT q.visibility, s.title, '' AS body_html, q.body AS body_text, \
             '/live/' || CAST(s.id AS TEXT) || '#lq-' || CAST(q.id AS TEXT) AS link, \
             FALSE AS locked, NULL AS photo_uid, FALSE AS blurred \
             FROM live_questions q JOIN live_sessions s ON s.id = q.session_id WHERE q.id = $1"
        }
        ItemKind::Photo => {
            "SELECT r.visibility, '' AS title, '' AS body_html, '' AS body_text, \
             '/reports/' || CAST(r.id AS TEXT) AS link, FALSE AS locked, ph.uid AS photo_uid, \
             ph.blurred_at IS NOT NULL AS blurred \
             FROM photos ph JOIN reports r ON r.id = ph.report_id WHERE ph.id = $1"
        }
        ItemKind::Account => return Ok(None),
    };
    Ok(with_db!(&svc.db, p => {
        sqlx::query_as(sql).bind(id).fetch_optional(p).await
    })?)
}

/// The open queue, oldest first.
pub async fn list(svc: &Services, me: Option<&Me>) -> Result<Vec<QueueEntry>, Error> {
    let me = super::require_moderator(me)?;
    let rows: Vec<QueueRow> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT q.item_kind, q.item_id, q.author_id, q.cause, q.queued_at, q.claimed_by, q.claimed_until, \
             m.display_name AS claimer, a.display_name AS author_name \
             FROM moderation_queue q LEFT JOIN users m ON m.id = q.claimed_by LEFT JOIN users a ON a.id = q.author_id \
             WHERE q.open ORDER BY q.queued_at, q.id LIMIT $1",
        )
        .bind(QUEUE_PAGE)
        .fetch_all(p)
        .await
    })?;
    // What the page needs besides each item's own text, for every open item at once (four
    // statements, however long the queue): open flags, pending appeals, the authors'
    // earlier hidings and who of them is suspended now.
    let t = now();
    type Keyed = (String, i64, String, String);
    type Context = (
        Vec<Keyed>,
        Vec<(String, i64, String)>,
        Vec<(i64, i64)>,
        Vec<i64>,
    );
    let (flags, appeals, hidden, suspended): Context = with_db!(&svc.db, p => async {
            let flags = sqlx::query_as(
                "SELECT f.item_kind, f.item_id, f.reason, f.note FROM flags f JOIN moderation_queue q \
                 ON q.item_kind = f.item_kind AND q.item_id = f.item_id WHERE q.open AND f.resolved_at IS NULL ORDER BY f.id",
            )
            .fetch_all(p).await?;
            let appeals = sqlx::query_as(
                "SELECT a.item_kind, a.item_id, a.body FROM appeals a JOIN moderation_queue q \
                 ON q.item_kind = a.item_kind AND q.item_id = a.item_id WHERE q.open AND a.decided_at IS NULL",
            )
            .fetch_all(p).await?;
            let hidden = sqlx::query_as(
                "SELECT author_id, count(*) FROM moderation_log WHERE action = 'hide' AND item_kind <> 'account' \
                 AND author_id IN (SELECT author_id FROM moderation_queue WHERE open) GROUP BY author_id",
            )
            .fetch_all(p).await?;
            let suspended = sqlx::query_scalar(
                "SELECT DISTINCT user_id FROM suspensions WHERE lifted_at IS NULL AND (ends_at IS NULL OR ends_at > $1) \
                 AND user_id IN (SELECT author_id FROM moderation_queue WHERE open)",
            )
            .bind(t)
            .fetch_all(p).await?;
            Ok::<_, sqlx::Error>((flags, appeals, hidden, suspended))
        }.await)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(kind) = ItemKind::parse(&r.item_kind) else {
            continue;
        };
        let it = item(svc, kind, r.item_id).await?.unwrap_or_default();
        let mut counts: Vec<FlagCount> = Vec::new();
        for (_, _, reason, note) in flags
            .iter()
            .filter(|f| f.0 == r.item_kind && f.1 == r.item_id)
        {
            let reason = Reason::parse(reason).unwrap_or_default();
            let i = match counts.iter().position(|c| c.reason == reason) {
                Some(i) => i,
                None => {
                    counts.push(FlagCount {
                        reason,
                        count: 0,
                        notes: Vec::new(),
                    });
                    counts.len() - 1
                }
            };
            counts[i].count += 1;
            if !note.is_empty() {
                counts[i].notes.push(note.clone());
            }
        }
        counts.sort_by_key(|c| std::cmp::Reverse(c.count));
        let appeal = appeals
            .iter()
            .find(|a| a.0 == r.item_kind && a.1 == r.item_id)
            .map(|a| a.2.clone());
        let author_hidden = r
            .author_id
            .and_then(|a| hidden.iter().find(|h| h.0 == a))
            .map(|h| h.1)
            .unwrap_or(0);
        let author_suspended = r.author_id.is_some_and(|a| suspended.contains(&a));
        let claimed = r.claimed_by.is_some() && r.claimed_until.is_some_and(|u| u > t);
        out.push(QueueEntry {
            kind,
            item_id: r.item_id,
            cause: Cause::parse(&r.cause),
            queued_at: r.queued_at,
            visibility: Visibility::parse(&it.visibility),
            title: it.title,
            body_html: it.body_html,
            body_text: it.body_text,
            photo_url: it.photo_uid.map(|u| format!("/photos/{u}/display")),
            link: it.link,
            author_name: r.author_name,
            author_id: r.author_id,
            author_hidden,
            author_suspended,
            flags: counts,
            appeal,
            claimed_by: claimed.then_some(r.claimer).flatten(),
            claimed_by_me: claimed && r.claimed_by == Some(me.id),
            locked: it.locked,
            blurred: it.blurred,
        });
    }
    Ok(out)
}

/// How many items wait (for the moderators' menu badge).
pub async fn open_count(svc: &Services) -> Result<i64, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT count(*) FROM moderation_queue WHERE open").fetch_one(p).await
    })?)
}

/// `me` claims an item for [`super::ModerationSettings::claim_minutes`]; refused, naming
/// the other moderator, while someone else's claim runs.
pub async fn claim(svc: &Services, me: Option<&Me>, kind: ItemKind, id: i64) -> Result<(), Error> {
    let me = super::require_moderator(me)?;
    let t = now();
    let until = t + Duration::minutes(svc.moderation.claim_minutes);
    let n = with_db!(&svc.db, p => {
        sqlx::query(
            "UPDATE moderation_queue SET claimed_by = $1, claimed_until = $2 WHERE item_kind = $3 AND item_id = $4 \
             AND (claimed_by IS NULL OR claimed_by = $1 OR claimed_until IS NULL OR claimed_until <= $5)",
        )
        .bind(me.id).bind(until).bind(kind.as_str()).bind(id).bind(t)
        .execute(p).await.map(|r| r.rows_affected())
    })?;
    if n > 0 {
        return Ok(());
    }
    let other: Option<Option<String>> = with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "SELECT u.display_name FROM moderation_queue q LEFT JOIN users u ON u.id = q.claimed_by \
             WHERE q.item_kind = $1 AND q.item_id = $2",
        )
        .bind(kind.as_str()).bind(id)
        .fetch_optional(p).await
    })?;
    match other {
        // Not in the queue: nothing to claim; acting on it is still possible.
        None => Ok(()),
        Some(name) => Err(Error::field(
            "item",
            Problem::ClaimedByOther {
                name: name.unwrap_or_default(),
            },
        )),
    }
}

/// Where an item lives, as a notification names it.
#[derive(sqlx::FromRow)]
struct Place {
    report_id: Option<i64>,
    process_id: Option<i64>,
    proposal_id: Option<i64>,
    comment_id: Option<i64>,
    question_id: Option<i64>,
}

async fn place(svc: &Services, kind: ItemKind, id: i64) -> Result<Option<Place>, Error> {
    let sql = match kind {
        ItemKind::Comment => {
            "SELECT CAST(NULL AS BIGINT) AS report_id, process_id, proposal_id, id AS comment_id, \
             CAST(NULL AS BIGINT) AS question_id FROM comments WHERE id = $1"
        }
        ItemKind::Proposal => {
            "SELECT CAST(NULL AS BIGINT) AS report_id, process_id, id AS proposal_id, CAST(NULL AS BIGINT) AS comment_id, \
             CAST(NULL AS BIGINT) AS question_id FROM proposals WHERE id = $1"
        }
        ItemKind::Report => {
            "SELECT id AS report_id, CAST(NULL AS BIGINT) AS process_id, CAST(NULL AS BIGINT) AS proposal_id, \
             CAST(NULL AS BIGINT) AS comment_id, CAST(NULL AS BIGINT) AS question_id FROM reports WHERE id = $1"
        }
        ItemKind::Question => {
            "SELECT CAST(NULL AS BIGINT) AS report_id, CAST(NULL AS BIGINT) AS process_id, CAST(NULL AS BIGINT) AS proposal_id, \
             CAST(NULL AS BIGINT) AS comment_id, id AS question_id FROM questions WHERE id = $1"
        }
        ItemKind::QuestionComment => {
            "SELECT CAST(NULL AS BIGINT) AS report_id, CAST(NULL AS BIGINT) AS process_id, CAST(NULL AS BIGINT) AS proposal_id, \
             CAST(NULL AS BIGINT) AS comment_id, question_id FROM question_comments WHERE id = $1"
        }
        ItemKind::QuestionFollowUp => {
            "SELECT CAST(NULL AS BIGINT) AS report_id, CAST(NULL AS BIGINT) AS process_id, CAST(NULL AS BIGINT) AS proposal_id, \
             CAST(NULL AS BIGINT) AS comment_id, question_id FROM question_follow_ups WHERE id = $1"
        }
        // Live questions last an hour or two: their authors are not notified.
        ItemKind::Photo | ItemKind::Account | ItemKind::LiveQuestion => return Ok(None),
    };
    Ok(with_db!(&svc.db, p => {
        sqlx::query_as(sql).bind(id).fetch_optional(p).await
    })?)
}

/// A moderator's decision on an item.
#[derive(Clone, Debug, Default)]
pub struct Decision {
    /// hide, restore, approve, dismiss, lock, unlock, blur, unblur, uphold.
    pub action: String,
    /// A reason code (required to hide).
    pub reason: String,
    /// Public words beside the reason.
    pub note: String,
}

#[derive(sqlx::FromRow)]
struct Appeal {
    hidden_by: Option<i64>,
}

/// What the item becomes, for each action on its visibility.
fn new_visibility(action: Action) -> Option<Visibility> {
    match action {
        Action::Hide => Some(Visibility::Hidden),
        Action::Restore | Action::Approve => Some(Visibility::Visible),
        _ => None,
    }
}

/// `me` acts on an item: the item changes, its open flags are resolved, it leaves the
/// queue (claims are checked first) and the log records the action.
pub async fn act(
    svc: &Services,
    me: Option<&Me>,
    kind: ItemKind,
    id: i64,
    d: Decision,
) -> Result<(), Error> {
    let me = super::require_moderator(me)?;
    let mut problems = Vec::new();
    let action = Action::parse(d.action.trim()).filter(|a| {
        matches!(
            a,
            Action::Hide
                | Action::Restore
                | Action::Approve
                | Action::Dismiss
                | Action::Lock
                | Action::Unlock
                | Action::Blur
                | Action::Unblur
                | Action::Uphold
        )
    });
    let Some(action) = action else {
        return Err(Error::field("action", Problem::InvalidChoice));
    };
    let note = d.note.trim().to_string();
    if note.chars().count() > NOTE_MAX {
        problems.push(FieldError::new("note", Problem::TooLong { max: NOTE_MAX }));
    }
    let reason = match (action, d.reason.trim()) {
        (Action::Hide, "") => {
            problems.push(FieldError::new("reason", Problem::Required));
            None
        }
        (_, "") => None,
        (_, r) => match Reason::parse(r) {
            Some(r) => Some(r),
            None => {
                problems.push(FieldError::new("reason", Problem::InvalidChoice));
                None
            }
        },
    };
    if reason == Some(Reason::Other) && note.is_empty() {
        problems.push(FieldError::new("note", Problem::Required));
    }
    let (author, visibility) = super::item_state(svc, kind, id)
        .await?
        .ok_or(Error::NotFound)?;
    let visibility = Visibility::parse(&visibility);
    // What each action applies to.
    let fits = match action {
        Action::Hide => kind != ItemKind::Photo && visibility != Visibility::Hidden,
        Action::Restore => kind != ItemKind::Photo && visibility == Visibility::Hidden,
        Action::Approve => kind != ItemKind::Photo && visibility == Visibility::Held,
        Action::Dismiss => true,
        Action::Lock | Action::Unlock => matches!(kind, ItemKind::Comment | ItemKind::Proposal),
        Action::Blur | Action::Unblur => kind == ItemKind::Photo,
        Action::Uphold => visibility == Visibility::Hidden,
        _ => false,
    };
    if !fits {
        problems.push(FieldError::new("action", Problem::InvalidChoice));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    // An appeal is decided by someone other than who hid the item.
    let appeal: Option<Appeal> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT hidden_by FROM appeals WHERE item_kind = $1 AND item_id = $2 AND decided_at IS NULL")
            .bind(kind.as_str()).bind(id)
            .fetch_optional(p).await
    })?;
    let decides_appeal = appeal.is_some() && matches!(action, Action::Restore | Action::Uphold);
    if action == Action::Uphold && appeal.is_none() {
        return Err(Error::field("action", Problem::InvalidChoice));
    }
    if let Some(a) = &appeal {
        if decides_appeal && a.hidden_by == Some(me.id) {
            return Err(Error::field("action", Problem::OwnDecision));
        }
    }
    claim(svc, Some(me), kind, id).await?;

    // The photo's blurred copy is made (or dropped) before the action is recorded.
    if matches!(action, Action::Blur | Action::Unblur) {
        crate::reports::photos::set_blur(svc, id, action == Action::Blur).await?;
    }
    // Where the author is sent to read about it, for actions they are told of.
    let tells = match action {
        Action::Hide | Action::Uphold => true,
        Action::Restore => visibility == Visibility::Hidden,
        _ => false,
    };
    let tell = if tells {
        place(svc, kind, id).await?
    } else {
        None
    };
    let t = now();
    let was_held = visibility == Visibility::Held;
    let reason_code = reason.map(|r| r.as_str()).unwrap_or_default();
    let table = super::table(kind);
    with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        if let (Some(table), Some(v)) = (table, new_visibility(action)) {
            let sql = match v {
                Visibility::Hidden => format!("UPDATE {table} SET visibility = 'hidden', hidden_reason = $1, hidden_note = $2 WHERE id = $3"),
                _ => format!("UPDATE {table} SET visibility = 'visible', hidden_reason = $1, hidden_note = $2 WHERE id = $3"),
            };
            let (r, n) = if v == Visibility::Hidden { (reason_code, note.as_str()) } else { ("", "") };
            sqlx::query(&sql).bind(r).bind(n).bind(id).execute(&mut *tx).await?;
        }
        // Dismissed flags on content they held: it goes back up.
        if action == Action::Dismiss && was_held {
            if let Some(table) = table {
                let sql = format!("UPDATE {table} SET visibility = 'visible' WHERE id = $1 AND visibility = 'held'");
                sqlx::query(&sql).bind(id).execute(&mut *tx).await?;
            }
        }
        match (action, kind) {
            (Action::Lock | Action::Unlock, ItemKind::Comment) => {
                // A thread is locked at its first comment.
                sqlx::query("UPDATE comments SET locked_at = $1 WHERE id = (SELECT COALESCE(root_id, id) FROM comments WHERE id = $2)")
                    .bind((action == Action::Lock).then_some(t)).bind(id)
                    .execute(&mut *tx).await?;
            }
            (Action::Lock | Action::Unlock, ItemKind::Proposal) => {
                sqlx::query("UPDATE proposals SET locked_at = $1 WHERE id = $2")
                    .bind((action == Action::Lock).then_some(t)).bind(id)
                    .execute(&mut *tx).await?;
            }
            _ => {}
        }
        if decides_appeal {
            sqlx::query("UPDATE appeals SET decided_by = $1, decided_at = $2, outcome = $3 WHERE item_kind = $4 AND item_id = $5")
                .bind(me.id).bind(t)
                .bind(if action == Action::Restore { "restored" } else { "upheld" })
                .bind(kind.as_str()).bind(id)
                .execute(&mut *tx).await?;
        }
        // Locks and blurs leave the rest of the item's review open; everything else settles it.
        if !matches!(action, Action::Lock | Action::Unlock | Action::Blur | Action::Unblur) {
            sqlx::query("UPDATE flags SET resolved_at = $1 WHERE item_kind = $2 AND item_id = $3 AND resolved_at IS NULL")
                .bind(t).bind(kind.as_str()).bind(id)
                .execute(&mut *tx).await?;
            sqlx::query(
                "UPDATE moderation_queue SET open = FALSE, open_flags = 0, claimed_by = NULL, claimed_until = NULL \
                 WHERE item_kind = $1 AND item_id = $2",
            )
            .bind(kind.as_str()).bind(id)
            .execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO moderation_log (item_kind, item_id, action, reason, note, moderator_id, moderator_handle, author_id, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(kind.as_str()).bind(id).bind(action.as_str()).bind(reason_code).bind(&note)
        .bind(me.id).bind(&me.display_name).bind(author).bind(t)
        .execute(&mut *tx).await?;
        // The author is told what became of their content (the page says why).
        if let (Some(a), Some(place)) = (author.filter(|a| *a != me.id), tell.as_ref()) {
            sqlx::query(
                "INSERT INTO notifications (user_id, kind, report_id, process_id, proposal_id, comment_id, question_id, detail, created_at) \
                 VALUES ($1, 'moderation', $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(a).bind(place.report_id).bind(place.process_id).bind(place.proposal_id).bind(place.comment_id)
            .bind(place.question_id)
            .bind(action.as_str()).bind(t)
            .execute(&mut *tx).await?;
        }
        tx.commit().await
    }.await)?;
    // The author hears of it by email too, if they asked for email.
    if let (Some(a), Some(p)) = (author.filter(|a| *a != me.id), tell.as_ref()) {
        let path = match (p.report_id, p.proposal_id, p.process_id) {
            _ if p.question_id.is_some() => format!("/questions/{}", p.question_id.unwrap_or(0)),
            (Some(r), ..) => format!("/reports/{r}"),
            (None, Some(x), _) => format!("/proposals/{x}"),
            (None, None, Some(pr)) => format!("/deliberation/{pr}"),
            _ => String::new(),
        };
        crate::notifications::email_moderation(svc, a, &path, action.as_str()).await;
    }
    // Content published only now tells those it concerns, as it would have when posted.
    let published =
        was_held && matches!(action, Action::Approve | Action::Restore | Action::Dismiss);
    if published && kind == ItemKind::Comment {
        crate::deliberation::comments::announce(svc, id).await?;
    }
    if published && kind == ItemKind::Question {
        crate::questions::published(svc, id).await?;
    }
    if kind == ItemKind::LiveQuestion {
        if let Some(v) = new_visibility(action)
            .or_else(|| (action == Action::Dismiss && was_held).then_some(Visibility::Visible))
        {
            crate::live::moderated(svc, id, visibility, v).await?;
        }
    }
    if published && kind == ItemKind::QuestionFollowUp {
        crate::questions::answers::follow_up_published(svc, id).await?;
    }
    if kind == ItemKind::QuestionComment {
        if let Some(v) = new_visibility(action)
            .or_else(|| (action == Action::Dismiss && was_held).then_some(Visibility::Visible))
        {
            crate::questions::comments::moderated(svc, id, visibility, v).await?;
        }
    }
    tracing::info!(
        kind = kind.as_str(),
        item = id,
        action = action.as_str(),
        by = me.id,
        "moderated"
    );
    Ok(())
}
