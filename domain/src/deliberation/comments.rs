//! Discussion (讨论) on a process or one of its proposals: threaded comments, each taking a
//! stance (for, against, neutral) so a reader sees both sides at a glance, with "helpful"
//! votes that rank the strongest arguments on each side.
//!
//! Replies nest to [`COMMENT_DEPTH_MAX`]; a reply to the deepest level joins that level.
//! Authors may edit for [`COMMENT_EDIT_MINUTES`]; deleting leaves a tombstone so the replies
//! stay readable. Threads come in pages of [`COMMENT_PAGE`] by keyset (never OFFSET), and a
//! page costs the same few statements however long the discussion is.

use chrono::{DateTime, Utc};

use crate::db::BeginWrite;
use crate::error::{Error, FieldError};
use crate::model::deliberation::{
    Comment, CommentOrder, CommentPage, CommentState, Stance, Thread, Visibility,
    COMMENT_DEPTH_MAX, COMMENT_EDIT_MINUTES, COMMENT_MAX, COMMENT_PAGE, STRONGEST,
};
use crate::model::moderation::{HiddenWhy, ItemKind};
use crate::model::notification::NotificationKind;
use crate::model::Me;
use crate::moderation::{self, hold_new};
use crate::notifications::{email_notice, notify, Audience, Notice};
use crate::ratelimit::{self, Scope};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// What a discussion is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Process(i64),
    Proposal(i64),
}

/// The process a subject belongs to, the proposal (if it is one), whether that proposal
/// was merged into another (its discussion then continues there), and whether moderators
/// locked its discussion.
async fn resolve(
    svc: &Services,
    subject: Subject,
) -> Result<(i64, Option<i64>, bool, bool), Error> {
    match subject {
        Subject::Process(id) => {
            let found: Option<i64> = with_db!(&svc.db, p => {
                sqlx::query_scalar("SELECT id FROM processes WHERE id = $1").bind(id).fetch_optional(p).await
            })?;
            Ok((found.ok_or(Error::NotFound)?, None, false, false))
        }
        Subject::Proposal(id) => {
            let row: Option<(i64, String, Option<i64>, bool)> = with_db!(&svc.db, p => {
                sqlx::query_as("SELECT process_id, visibility, merged_into, locked_at IS NOT NULL FROM proposals WHERE id = $1")
                    .bind(id)
                    .fetch_optional(p)
                    .await
            })?;
            match row {
                Some((process, v, merged, locked))
                    if Visibility::parse(&v) == Visibility::Visible =>
                {
                    Ok((process, Some(id), merged.is_some(), locked))
                }
                _ => Err(Error::NotFound),
            }
        }
    }
}

/// Whether the process takes comments now (while proposals and discussion run).
async fn open_now(svc: &Services, process_id: i64) -> Result<bool, Error> {
    let p = super::processes::brief(svc, process_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(p.dates.takes_supports(now()))
}

/// The subject's condition on `comments c`: the process is `$1`, the proposal `$2` (0 for
/// the process's own discussion; each form keeps to the index).
fn subject_sql(proposal: Option<i64>) -> &'static str {
    if proposal.is_some() {
        "c.process_id = $1 AND c.proposal_id = $2"
    } else {
        "c.process_id = $1 AND c.proposal_id IS NULL AND $2 = 0"
    }
}

/// A comment as typed.
#[derive(Clone, Debug, Default)]
pub struct NewComment {
    pub stance: String,
    pub body: String,
    /// The comment replied to.
    pub parent: Option<i64>,
    /// The client's address, for the per-address posting limit (empty: not counted).
    pub ip: String,
}

fn check_body(problems: &mut Vec<FieldError>, body: &str) -> String {
    let body = body.trim().to_string();
    if body.is_empty() {
        problems.push(FieldError::new("body", Problem::Required));
    } else if body.chars().count() > COMMENT_MAX {
        problems.push(FieldError::new(
            "body",
            Problem::TooLong { max: COMMENT_MAX },
        ));
    }
    body
}

#[derive(sqlx::FromRow)]
struct ParentRow {
    process_id: i64,
    proposal_id: Option<i64>,
    parent_id: Option<i64>,
    root_id: Option<i64>,
    depth: i64,
    /// Moderators locked the thread (at its first comment).
    thread_locked: bool,
}

/// Who hears of a new comment: the author of the comment replied to, or, for a new thread
/// on a proposal, the proposal's author. A new thread on a process tells nobody.
fn reply_notice(
    process_id: i64,
    proposal_id: Option<i64>,
    replied_to: Option<i64>,
    comment_id: i64,
    actor: i64,
    at: DateTime<Utc>,
) -> Option<Notice> {
    let audience = match (replied_to, proposal_id) {
        (Some(parent), _) => Audience::CommentAuthor(parent),
        (None, Some(proposal)) => Audience::ProposalAuthor(proposal),
        (None, None) => return None,
    };
    Some(Notice {
        kind: NotificationKind::Reply,
        process_id,
        proposal_id,
        comment_id: Some(comment_id),
        detail: String::new(),
        actor,
        at,
        audience,
    })
}

/// Posts a comment (or a reply) on `subject`. Returns its id.
pub async fn post(
    svc: &Services,
    me: Option<&Me>,
    subject: Subject,
    input: NewComment,
) -> Result<i64, Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let (process_id, proposal_id, merged, locked) = resolve(svc, subject).await?;
    if merged {
        return Err(Error::field("body", Problem::MergedAway));
    }
    if !open_now(svc, process_id).await? {
        return Err(Error::field("phase", Problem::CommentsClosed));
    }
    if locked {
        return Err(Error::field("body", Problem::DiscussionLocked));
    }
    let mut problems = Vec::new();
    let stance = Stance::parse(input.stance.trim());
    if stance.is_none() {
        problems.push(FieldError::new("stance", Problem::InvalidChoice));
    }
    let body = check_body(&mut problems, &input.body);
    // Where a reply goes: under its parent, or beside it at the deepest level.
    let (parent_id, root_id, depth) = match input.parent {
        None => (None, None, 1),
        Some(pid) => {
            let parent: Option<ParentRow> = with_db!(&svc.db, p => {
                sqlx::query_as(
                    "SELECT c.process_id, c.proposal_id, c.parent_id, c.root_id, c.depth, r.locked_at IS NOT NULL AS thread_locked \
                     FROM comments c JOIN comments r ON r.id = COALESCE(c.root_id, c.id) WHERE c.id = $1",
                )
                    .bind(pid)
                    .fetch_optional(p)
                    .await
            })?;
            match parent {
                Some(r) if r.thread_locked => {
                    problems.push(FieldError::new("body", Problem::ThreadLocked));
                    (None, None, 1)
                }
                Some(r) if r.process_id == process_id && r.proposal_id == proposal_id => {
                    let root = r.root_id.unwrap_or(pid);
                    if r.depth >= COMMENT_DEPTH_MAX {
                        (r.parent_id, Some(root), COMMENT_DEPTH_MAX)
                    } else {
                        (Some(pid), Some(root), r.depth + 1)
                    }
                }
                _ => {
                    problems.push(FieldError::new("parent", Problem::InvalidChoice));
                    (None, None, 1)
                }
            }
        }
    };
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let stance = stance.unwrap_or(Stance::Neutral);
    let mode = moderation::settings::process_mode(svc, process_id).await?;
    let hold = moderation::screen(svc, me, mode, &body).await?;
    let limit = ratelimit::Post {
        scope: Scope::CommentAccount,
        account: me.id,
        max: svc.limits.comment_per_account,
        window: svc.limits.comment_window,
        ip: &input.ip,
    };
    limit.check(&svc.db, &svc.limits).await?;
    let body_html = super::markdown::render(&body);
    let t = now();
    let visibility = if hold.is_some() { "held" } else { "visible" };
    let (id, notice): (i64, Option<Notice>) = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO comments (process_id, proposal_id, parent_id, root_id, depth, author_id, stance, body, body_html, visibility, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(process_id).bind(proposal_id).bind(parent_id).bind(root_id).bind(depth)
        .bind(me.id).bind(stance.as_str()).bind(&body).bind(&body_html).bind(visibility).bind(t)
        .fetch_one(&mut *tx)
        .await?;
        if let Some(cause) = hold {
            hold_new!(tx, ItemKind::Comment, id, Some(me.id), cause, t).await?;
        }
        if let Some(proposal) = proposal_id {
            // Counted with the comment; a commented proposal is no longer editable.
            sqlx::query("UPDATE proposals SET comment_count = comment_count + 1 WHERE id = $1")
                .bind(proposal)
                .execute(&mut *tx)
                .await?;
        }
        // Held content tells nobody until a moderator publishes it.
        let notice = reply_notice(process_id, proposal_id, input.parent, id, me.id, t)
            .filter(|_| hold.is_none());
        if let Some(n) = &notice {
            notify!(&mut *tx, n).await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>((id, notice))
    }.await)?;
    limit.record(&svc.db).await?;
    if let Some(n) = notice {
        email_notice(svc, &n).await;
    }
    Ok(id)
}

/// A comment published only after review tells those it concerns now, as it would have
/// when posted: the author of what it answers (or of the proposal, for a new thread).
pub(crate) async fn announce(svc: &Services, id: i64) -> Result<(), Error> {
    type Posted = (i64, Option<i64>, Option<i64>, Option<i64>);
    let row: Option<Posted> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT process_id, proposal_id, parent_id, author_id FROM comments WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await
    })?;
    let Some((process_id, proposal_id, parent, author)) = row else {
        return Ok(());
    };
    let Some(n) = reply_notice(
        process_id,
        proposal_id,
        parent,
        id,
        author.unwrap_or(0),
        now(),
    ) else {
        return Ok(());
    };
    with_db!(&svc.db, p => notify!(p, &n).await.map(|r| r.rows_affected()))?;
    email_notice(svc, &n).await;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct OwnRow {
    process_id: i64,
    author_id: Option<i64>,
    visibility: String,
    deleted_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

async fn own(svc: &Services, me: &Me, id: i64) -> Result<OwnRow, Error> {
    let row: Option<OwnRow> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT process_id, author_id, visibility, deleted_at, created_at FROM comments WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await
    })?;
    let row = row.ok_or(Error::NotFound)?;
    if row.author_id != Some(me.id) || row.deleted_at.is_some() {
        return Err(Error::Forbidden);
    }
    Ok(row)
}

/// The author's edit, within [`COMMENT_EDIT_MINUTES`] of posting.
pub async fn edit(svc: &Services, me: Option<&Me>, id: i64, body: &str) -> Result<(), Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let row = own(svc, me, id).await?;
    let t = now();
    if Visibility::parse(&row.visibility) == Visibility::Hidden
        || t - row.created_at > chrono::Duration::minutes(COMMENT_EDIT_MINUTES)
    {
        return Err(Error::field(
            "body",
            Problem::EditWindowOver {
                minutes: COMMENT_EDIT_MINUTES,
            },
        ));
    }
    let mut problems = Vec::new();
    let body = check_body(&mut problems, body);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    // An edit passes the same rules as a new comment: what they hold waits for review again.
    let mode = moderation::settings::process_mode(svc, row.process_id).await?;
    let hold = moderation::screen(svc, me, mode, &body)
        .await?
        .filter(|_| Visibility::parse(&row.visibility) == Visibility::Visible);
    let body_html = super::markdown::render(&body);
    with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        sqlx::query("UPDATE comments SET body = $1, body_html = $2, edited_at = $3 WHERE id = $4")
            .bind(&body).bind(&body_html).bind(t).bind(id)
            .execute(&mut *tx)
            .await?;
        if let Some(cause) = hold {
            sqlx::query("UPDATE comments SET visibility = 'held' WHERE id = $1").bind(id).execute(&mut *tx).await?;
            hold_new!(tx, ItemKind::Comment, id, Some(me.id), cause, t).await?;
        }
        tx.commit().await
    }.await)?;
    Ok(())
}

/// The author deletes their comment: its text goes, a tombstone keeps the replies in place.
pub async fn delete(svc: &Services, me: Option<&Me>, id: i64) -> Result<(), Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    own(svc, me, id).await?;
    with_db!(&svc.db, p => {
        sqlx::query("UPDATE comments SET body = '', body_html = '', deleted_at = $1 WHERE id = $2")
            .bind(now()).bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Marks a comment helpful (`on`) or takes that back; returns its count. Not one's own.
pub async fn vote(svc: &Services, me: Option<&Me>, id: i64, on: bool) -> Result<i64, Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let row: Option<(Option<i64>, String, Option<DateTime<Utc>>)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT author_id, visibility, deleted_at FROM comments WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await
    })?;
    let (author, visibility, deleted) = row.ok_or(Error::NotFound)?;
    if Visibility::parse(&visibility) != Visibility::Visible || deleted.is_some() {
        return Err(Error::NotFound);
    }
    if author == Some(me.id) {
        return Err(Error::field("helpful", Problem::OwnContent));
    }
    let t = now();
    let count: Option<i64> = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let n = if on {
            sqlx::query("INSERT INTO comment_votes (comment_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (comment_id, user_id) DO NOTHING")
                .bind(id).bind(me.id).bind(t)
                .execute(&mut *tx).await?.rows_affected()
        } else {
            sqlx::query("DELETE FROM comment_votes WHERE comment_id = $1 AND user_id = $2")
                .bind(id).bind(me.id)
                .execute(&mut *tx).await?.rows_affected()
        };
        if n == 0 {
            return Ok::<_, sqlx::Error>(None);
        }
        let count: i64 = sqlx::query_scalar(
            "UPDATE comments SET helpful_count = helpful_count + $1 WHERE id = $2 RETURNING helpful_count",
        )
        .bind(if on { 1i64 } else { -1 }).bind(id)
        .fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(Some(count))
    }.await)?;
    match count {
        Some(c) => Ok(c),
        // Already so: the count as it is.
        None => Ok(with_db!(&svc.db, p => {
            sqlx::query_scalar("SELECT helpful_count FROM comments WHERE id = $1").bind(id).fetch_one(p).await
        })?),
    }
}

#[derive(sqlx::FromRow, Clone)]
struct Row {
    id: i64,
    parent_id: Option<i64>,
    root_id: Option<i64>,
    depth: i64,
    author_id: Option<i64>,
    author_name: Option<String>,
    stance: String,
    body: String,
    body_html: String,
    helpful_count: i64,
    visibility: String,
    hidden_reason: String,
    hidden_note: String,
    locked_at: Option<DateTime<Utc>>,
    deleted_at: Option<DateTime<Utc>>,
    edited_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

const SELECTED: &str = "c.id, c.parent_id, c.root_id, c.depth, c.author_id, u.display_name AS author_name, c.stance, \
     c.body, c.body_html, c.helpful_count, c.visibility, c.hidden_reason, c.hidden_note, c.locked_at, c.deleted_at, \
     c.edited_at, c.created_at";
const FROM: &str = "FROM comments c LEFT JOIN users u ON u.id = c.author_id";

/// Who sees what: the public sees visible comments and tombstones; a held comment only by
/// its author (`$3`, 0 for nobody).
const SEEN: &str = "(c.visibility <> 'held' OR c.author_id = $3)";

/// What the viewer did about the comments on a page: found them helpful, flagged them,
/// appealed their hiding.
#[derive(Default)]
struct Marks {
    votes: Vec<i64>,
    flags: Vec<i64>,
    appeals: Vec<i64>,
}

fn to_comment(r: Row, me: Option<&Me>, marks: &Marks, t: DateTime<Utc>) -> Comment {
    let mine = me.is_some_and(|m| r.author_id == Some(m.id));
    let state = if r.deleted_at.is_some() {
        CommentState::Deleted
    } else {
        match Visibility::parse(&r.visibility) {
            Visibility::Visible => CommentState::Visible,
            Visibility::Held => CommentState::Held,
            Visibility::Hidden => {
                CommentState::Hidden(HiddenWhy::from_stored(&r.hidden_reason, &r.hidden_note))
            }
        }
    };
    // The author still reads what was hidden (to appeal it); nobody else does.
    let shown = match state {
        CommentState::Visible | CommentState::Held => true,
        CommentState::Hidden(_) => mine,
        CommentState::Deleted => false,
    };
    Comment {
        id: r.id,
        parent_id: r.parent_id,
        depth: r.depth,
        author_name: if r.deleted_at.is_some() {
            None
        } else {
            r.author_name
        },
        stance: Stance::parse(&r.stance).unwrap_or(Stance::Neutral),
        body_html: if shown { r.body_html } else { String::new() },
        body: if shown && mine { r.body } else { String::new() },
        helpful_count: r.helpful_count,
        can_edit: mine
            && state == CommentState::Visible
            && t - r.created_at <= chrono::Duration::minutes(COMMENT_EDIT_MINUTES),
        can_appeal: mine
            && matches!(state, CommentState::Hidden(_))
            && !marks.appeals.contains(&r.id),
        appealed: marks.appeals.contains(&r.id),
        state,
        edited_at: r.edited_at,
        created_at: r.created_at,
        mine,
        voted: marks.votes.contains(&r.id),
        flagged: marks.flags.contains(&r.id),
        locked: r.locked_at.is_some(),
    }
}

/// Parses a page cursor: `id` (oldest, newest) or `helpful.id` (most helpful).
fn cursor(order: CommentOrder, after: Option<&str>) -> Option<(i64, i64)> {
    let after = after?.trim();
    match order {
        CommentOrder::Helpful => {
            let (h, id) = after.split_once('.')?;
            Some((h.parse().ok()?, id.parse().ok()?))
        }
        _ => Some((0, after.parse().ok()?)),
    }
}

/// One page of the discussion on `subject`, in `order`, after the cursor `after` (from the
/// previous page's `next`), with the balance of the whole discussion.
pub async fn page(
    svc: &Services,
    me: Option<&Me>,
    subject: Subject,
    order: CommentOrder,
    after: Option<&str>,
) -> Result<CommentPage, Error> {
    let (process_id, proposal_id, merged, locked) = resolve(svc, subject).await?;
    let open = !merged && !locked && open_now(svc, process_id).await?;
    let me_id = me.map(|m| m.id).unwrap_or(0);
    let subject_sql = subject_sql(proposal_id);
    let at = cursor(order, after);
    let (keyset, order_sql) = match (order, at) {
        (CommentOrder::Oldest, Some(_)) => (" AND c.id > $4", "c.id"),
        (CommentOrder::Oldest, None) => ("", "c.id"),
        (CommentOrder::Newest, Some(_)) => (" AND c.id < $4", "c.id DESC"),
        (CommentOrder::Newest, None) => ("", "c.id DESC"),
        (CommentOrder::Helpful, Some(_)) => (
            " AND (c.helpful_count < $5 OR (c.helpful_count = $5 AND c.id > $4))",
            "c.helpful_count DESC, c.id",
        ),
        (CommentOrder::Helpful, None) => ("", "c.helpful_count DESC, c.id"),
    };
    let roots_sql = format!(
        "SELECT {SELECTED} {FROM} WHERE {subject_sql} AND c.parent_id IS NULL AND {SEEN}{keyset} ORDER BY {order_sql} LIMIT {}",
        COMMENT_PAGE + 1
    );
    let (cursor_h, cursor_id) = at.unwrap_or((0, 0));
    let mut roots: Vec<Row> = with_db!(&svc.db, p => {
        let mut q = sqlx::query_as(&roots_sql).bind(process_id).bind(proposal_id.unwrap_or(0)).bind(me_id);
        if at.is_some() {
            q = q.bind(cursor_id);
            if order == CommentOrder::Helpful {
                q = q.bind(cursor_h);
            }
        }
        q.fetch_all(p).await
    })?;
    let more = roots.len() > COMMENT_PAGE;
    roots.truncate(COMMENT_PAGE);
    let next = more.then(|| {
        let last = roots
            .last()
            .map(|r| (r.helpful_count, r.id))
            .unwrap_or_default();
        match order {
            CommentOrder::Helpful => format!("{}.{}", last.0, last.1),
            _ => last.1.to_string(),
        }
    });

    // Every reply of this page's threads, in one statement.
    let replies: Vec<Row> = if roots.is_empty() {
        Vec::new()
    } else {
        let sql = format!(
            "SELECT {SELECTED} {FROM} WHERE c.root_id IN ({}) AND (c.visibility <> 'held' OR c.author_id = $1) ORDER BY c.id",
            crate::db::marks(2, roots.len())
        );
        with_db!(&svc.db, p => {
            let mut q = sqlx::query_as(&sql).bind(me_id);
            for r in &roots {
                q = q.bind(r.id);
            }
            q.fetch_all(p).await
        })?
    };

    // The balance of the whole discussion, and its strongest arguments on each side.
    let counts_sql = format!(
        "SELECT c.stance, count(*) FROM comments c WHERE {subject_sql} AND c.visibility = 'visible' \
         AND c.deleted_at IS NULL GROUP BY c.stance"
    );
    let counts: Vec<(String, i64)> = with_db!(&svc.db, p => {
        sqlx::query_as(&counts_sql).bind(process_id).bind(proposal_id.unwrap_or(0)).fetch_all(p).await
    })?;
    let count = |s: Stance| {
        counts
            .iter()
            .find(|(x, _)| x == s.as_str())
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    // Each side's first entries in the comments_balance index: a few rows read, however
    // long the discussion.
    let side = |stance: &str| {
        format!(
            "SELECT * FROM (SELECT {SELECTED} {FROM} WHERE {subject_sql} AND c.stance = '{stance}' \
             AND c.visibility = 'visible' AND c.deleted_at IS NULL AND c.helpful_count > 0 \
             ORDER BY c.helpful_count DESC, c.id LIMIT {STRONGEST}) s_{stance}"
        )
    };
    let strongest_sql = format!("{} UNION ALL {}", side("for"), side("against"));
    let strongest: Vec<Row> = with_db!(&svc.db, p => {
        sqlx::query_as(&strongest_sql).bind(process_id).bind(proposal_id.unwrap_or(0)).fetch_all(p).await
    })?;

    // The viewer's "helpful" marks among everything on the page.
    let shown_ids: Vec<i64> = roots
        .iter()
        .chain(&replies)
        .chain(&strongest)
        .map(|r| r.id)
        .collect();
    let mut marks = Marks::default();
    if let Some(m) = me {
        let own_hidden: Vec<i64> = roots
            .iter()
            .chain(&replies)
            .filter(|r| r.author_id == Some(m.id) && r.visibility == "hidden")
            .map(|r| r.id)
            .collect();
        marks.appeals = moderation::appeals::mine(svc, m, ItemKind::Comment, &own_hidden)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
    }
    // The viewer's "helpful" marks and flags, in one statement.
    let mine: Vec<(String, i64)> = match me {
        Some(m) if !shown_ids.is_empty() => {
            let marks = crate::db::marks(2, shown_ids.len());
            let sql = format!(
                "SELECT 'vote', comment_id FROM comment_votes WHERE user_id = $1 AND comment_id IN ({marks}) \
                 UNION ALL SELECT 'flag', item_id FROM flags WHERE user_id = $1 AND item_kind = 'comment' AND item_id IN ({marks})"
            );
            with_db!(&svc.db, p => {
                let mut q = sqlx::query_as(&sql).bind(m.id);
                for id in &shown_ids {
                    q = q.bind(*id);
                }
                q.fetch_all(p).await
            })?
        }
        _ => Vec::new(),
    };
    for (what, id) in mine {
        if what == "vote" {
            marks.votes.push(id);
        } else {
            marks.flags.push(id);
        }
    }

    let t = now();
    let threads = roots
        .into_iter()
        .map(|root| {
            let replies = replies
                .iter()
                .filter(|r| r.root_id == Some(root.id))
                .cloned()
                .map(|r| to_comment(r, me, &marks, t))
                .collect();
            Thread {
                root: to_comment(root, me, &marks, t),
                replies,
            }
        })
        .collect();
    let (mut strongest_for, mut strongest_against): (Vec<Row>, Vec<Row>) =
        strongest.into_iter().partition(|r| r.stance == "for");
    for side in [&mut strongest_for, &mut strongest_against] {
        side.sort_by_key(|r| (std::cmp::Reverse(r.helpful_count), r.id));
    }
    Ok(CommentPage {
        threads,
        next,
        count_for: count(Stance::For),
        count_against: count(Stance::Against),
        count_neutral: count(Stance::Neutral),
        strongest_for: strongest_for
            .into_iter()
            .map(|r| to_comment(r, me, &marks, t))
            .collect(),
        strongest_against: strongest_against
            .into_iter()
            .map(|r| to_comment(r, me, &marks, t))
            .collect(),
        open,
        locked,
        moderator: moderation::require_moderator(me).is_ok(),
    })
}
