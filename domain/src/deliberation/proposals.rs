//! Proposals: made by signed-in residents during a process's proposal phase, editable by
//! their author until the first support or comment (later edits are not possible, so what
//! people supported stays what they read), and supported once per resident while the
//! process takes supports.

use chrono::{DateTime, Utc};

use crate::db::BeginWrite;
use crate::error::{Error, FieldError};
use crate::model::deliberation::{
    Outcome, OutcomeEntry, ProposalDetail, ProposalOrder, ProposalRef, ProposalSummary,
    ProposalViewer, Visibility, PROPOSAL_BODY_MAX, PROPOSAL_TITLE_MAX,
};
use crate::model::moderation::{HiddenWhy, ItemKind};
use crate::model::Me;
use crate::moderation::{self, hold_new};
use crate::ratelimit::{self, Scope};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// A proposal as its form sends it; the place is optional (both coordinates or none).
#[derive(Clone, Debug, Default)]
pub struct ProposalInput {
    pub title: String,
    pub body: String,
    pub lat: String,
    pub lon: String,
    pub address: String,
    /// The client's address, for the per-address posting limit (empty: not counted).
    pub ip: String,
}

/// The longest address kept with a proposal.
const ADDRESS_MAX: usize = 200;

struct Checked {
    title: String,
    body: String,
    body_html: String,
    lat: Option<f64>,
    lon: Option<f64>,
    address: String,
}

fn check(input: &ProposalInput) -> Result<Checked, Error> {
    let mut problems = Vec::new();
    let title = input.title.trim().to_string();
    if title.is_empty() {
        problems.push(FieldError::new("title", Problem::Required));
    } else if title.chars().count() > PROPOSAL_TITLE_MAX {
        problems.push(FieldError::new(
            "title",
            Problem::TooLong {
                max: PROPOSAL_TITLE_MAX,
            },
        ));
    }
    let body = input.body.trim().to_string();
    if body.is_empty() {
        problems.push(FieldError::new("body", Problem::Required));
    } else if body.chars().count() > PROPOSAL_BODY_MAX {
        problems.push(FieldError::new(
            "body",
            Problem::TooLong {
                max: PROPOSAL_BODY_MAX,
            },
        ));
    }
    let address = input.address.trim().to_string();
    if address.chars().count() > ADDRESS_MAX {
        problems.push(FieldError::new(
            "address",
            Problem::TooLong { max: ADDRESS_MAX },
        ));
    }
    let (lat, lon) = match (input.lat.trim(), input.lon.trim()) {
        ("", "") => (None, None),
        (lat, lon) => match crate::reports::parse_point(lat, lon) {
            Ok(p) => (Some(p.lat), Some(p.lon)),
            Err(problem) => {
                problems.push(FieldError::new("lat", problem));
                (None, None)
            }
        },
    };
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let body_html = super::markdown::render(&body);
    Ok(Checked {
        title,
        body,
        body_html,
        lat,
        lon,
        address,
    })
}

/// The process's phase dates, or not found.
async fn process_dates(
    svc: &Services,
    process_id: i64,
) -> Result<crate::model::deliberation::PhaseDates, Error> {
    Ok(super::processes::brief(svc, process_id)
        .await?
        .ok_or(Error::NotFound)?
        .dates)
}

/// A resident's new proposal in `process_id`. Returns its id.
pub async fn create(
    svc: &Services,
    me: Option<&Me>,
    process_id: i64,
    input: ProposalInput,
) -> Result<i64, Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let dates = process_dates(svc, process_id).await?;
    let t = now();
    if !dates.takes_proposals(t) {
        return Err(Error::field("phase", Problem::ProposalsClosed));
    }
    let c = check(&input)?;
    let mode = moderation::settings::process_mode(svc, process_id).await?;
    let hold = moderation::screen(svc, me, mode, &format!("{}\n{}", c.title, c.body)).await?;
    let limit = ratelimit::Post {
        scope: Scope::ProposalAccount,
        account: me.id,
        max: svc.limits.proposal_per_account,
        window: svc.limits.proposal_window,
        ip: &input.ip,
    };
    limit.check(&svc.db, &svc.limits).await?;
    let visibility = if hold.is_some() { "held" } else { "visible" };
    // The author follows the proposal and its process from the start (and may stop).
    let id: i64 = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO proposals (process_id, author_id, title, body, body_html, lat, lon, address, visibility, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(process_id).bind(me.id).bind(&c.title).bind(&c.body).bind(&c.body_html)
        .bind(c.lat).bind(c.lon).bind(&c.address).bind(visibility).bind(t)
        .fetch_one(&mut *tx)
        .await?;
        if let Some(cause) = hold {
            hold_new!(tx, ItemKind::Proposal, id, Some(me.id), cause, t).await?;
        }
        sqlx::query("INSERT INTO proposal_follows (proposal_id, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(id).bind(me.id).bind(t)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO process_follows (process_id, user_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (process_id, user_id) DO NOTHING",
        )
        .bind(process_id).bind(me.id).bind(t)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(id)
    }.await)?;
    limit.record(&svc.db).await?;
    tracing::info!(proposal = id, process = process_id, "proposal made");
    Ok(id)
}

/// The author's edit, possible until the first support or comment.
pub async fn edit(
    svc: &Services,
    me: Option<&Me>,
    id: i64,
    input: ProposalInput,
) -> Result<(), Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let row: Option<(Option<i64>, i64, i64, i64, String)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT author_id, process_id, support_count, comment_count, visibility FROM proposals WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await
    })?;
    let (author, process_id, supports, comments, visibility) = row.ok_or(Error::NotFound)?;
    if author != Some(me.id) {
        return Err(Error::Forbidden);
    }
    let visibility = Visibility::parse(&visibility);
    if supports > 0 || comments > 0 || visibility == Visibility::Hidden {
        return Err(Error::field("body", Problem::EditLocked));
    }
    let c = check(&input)?;
    // An edit passes the same rules as a new proposal: what they hold waits for review again.
    let mode = moderation::settings::process_mode(svc, process_id).await?;
    let hold = moderation::screen(svc, me, mode, &format!("{}\n{}", c.title, c.body))
        .await?
        .filter(|_| visibility == Visibility::Visible);
    let t = now();
    // Checked again in the write: a support arriving meanwhile wins.
    let n = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(
            "UPDATE proposals SET title = $1, body = $2, body_html = $3, lat = $4, lon = $5, address = $6, \
             edited_at = $7, updated_at = $7 WHERE id = $8 AND support_count = 0 AND comment_count = 0 AND merged_into IS NULL \
             AND visibility <> 'hidden'",
        )
        .bind(&c.title).bind(&c.body).bind(&c.body_html).bind(c.lat).bind(c.lon).bind(&c.address)
        .bind(t).bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if let (1, Some(cause)) = (n, hold) {
            sqlx::query("UPDATE proposals SET visibility = 'held' WHERE id = $1").bind(id).execute(&mut *tx).await?;
            hold_new!(tx, ItemKind::Proposal, id, Some(me.id), cause, t).await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(n)
    }.await)?;
    if n != 1 {
        return Err(Error::field("body", Problem::EditLocked));
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    title: String,
    author_name: Option<String>,
    support_count: i64,
    comment_count: i64,
    visibility: String,
    outcome: Option<String>,
    merged_into: Option<i64>,
    created_at: DateTime<Utc>,
    #[sqlx(flatten)]
    image: super::images::ImageColumns,
}

/// Most proposals one list shows.
pub const LIST_MAX: i64 = 200;

/// A process's proposals the public sees (and `me`'s own held ones); duplicates merged
/// into another are left out (the other names them).
pub async fn list(
    svc: &Services,
    me: Option<&Me>,
    process_id: i64,
    order: ProposalOrder,
) -> Result<Vec<ProposalSummary>, Error> {
    let order = match order {
        ProposalOrder::Supports => "x.support_count DESC, x.id DESC",
        ProposalOrder::Newest => "x.id DESC",
    };
    let sql = format!(
        "SELECT x.id, x.title, u.display_name AS author_name, x.support_count, x.comment_count, x.visibility, \
         x.outcome, x.merged_into, x.created_at, {image} \
         FROM proposals x LEFT JOIN users u ON u.id = x.author_id LEFT JOIN photos ph ON ph.proposal_id = x.id \
         WHERE x.process_id = $1 AND x.merged_into IS NULL \
         AND (x.visibility = 'visible' OR (x.visibility = 'held' AND x.author_id = $2)) \
         ORDER BY {order} LIMIT {LIST_MAX}",
        image = super::images::COLUMNS
    );
    let me_id = me.map(|m| m.id).unwrap_or(0);
    let rows: Vec<SummaryRow> = with_db!(&svc.db, p => {
        sqlx::query_as(&sql).bind(process_id).bind(me_id).fetch_all(p).await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| ProposalSummary {
            id: r.id,
            title: r.title,
            author_name: r.author_name,
            support_count: r.support_count,
            comment_count: r.comment_count,
            visibility: Visibility::parse(&r.visibility),
            outcome: r.outcome.as_deref().and_then(Outcome::parse),
            merged_into: r.merged_into,
            image: r.image.image(),
            created_at: r.created_at,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: i64,
    process_id: i64,
    author_id: Option<i64>,
    title: String,
    body: String,
    body_html: String,
    lat: Option<f64>,
    lon: Option<f64>,
    address: String,
    author_name: Option<String>,
    support_count: i64,
    comment_count: i64,
    visibility: String,
    hidden_reason: String,
    hidden_note: String,
    locked_at: Option<DateTime<Utc>>,
    edited_at: Option<DateTime<Utc>>,
    merged_into: Option<i64>,
    merged_title: Option<String>,
    merged_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    #[sqlx(flatten)]
    image: super::images::ImageColumns,
}

#[derive(sqlx::FromRow)]
struct OutcomeRow {
    outcome: String,
    body_html: String,
    progress: Option<i64>,
    department_id: i64,
    created_at: DateTime<Utc>,
}

/// One proposal as `me` may see it, with what `me` may do; `None` when it does not exist
/// or is held for review and `me` is not its author.
pub async fn get(
    svc: &Services,
    me: Option<&Me>,
    id: i64,
) -> Result<Option<(ProposalDetail, ProposalViewer)>, Error> {
    let row: Option<DetailRow> = with_db!(&svc.db, p => {
        sqlx::query_as(&format!(
            "SELECT x.id, x.process_id, x.author_id, x.title, x.body, x.body_html, x.lat, x.lon, x.address, \
             u.display_name AS author_name, x.support_count, x.comment_count, x.visibility, x.hidden_reason, \
             x.hidden_note, x.locked_at, x.edited_at, x.merged_into, m.title AS merged_title, x.merged_at, x.created_at, {image} \
             FROM proposals x LEFT JOIN users u ON u.id = x.author_id LEFT JOIN proposals m ON m.id = x.merged_into \
             LEFT JOIN photos ph ON ph.proposal_id = x.id WHERE x.id = $1",
            image = super::images::COLUMNS
        ))
        .bind(id)
        .fetch_optional(p)
        .await
    })?;
    let Some(r) = row else { return Ok(None) };
    let visibility = Visibility::parse(&r.visibility);
    let is_author = me.is_some_and(|m| r.author_id == Some(m.id));
    let moderator = crate::moderation::require_moderator(me).is_ok();
    if visibility == Visibility::Held && !is_author && !moderator {
        return Ok(None);
    }
    let process = super::processes::brief(svc, r.process_id)
        .await?
        .ok_or(Error::NotFound)?;
    let dates = process.dates;
    let can_answer = me.is_some_and(|m| super::processes::may_manage(m, process.department_id));
    let outcomes: Vec<OutcomeRow> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT outcome, body_html, progress, department_id, created_at FROM proposal_outcomes \
             WHERE proposal_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(p)
        .await
    })?;
    let merged_from: Vec<(i64, String)> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT id, title FROM proposals WHERE merged_into = $1 AND visibility = 'visible' ORDER BY id",
        )
        .bind(id)
        .fetch_all(p)
        .await
    })?;
    // Officials choose where a duplicate goes among the process's other open proposals.
    let merge_targets: Vec<(i64, String)> = if can_answer && r.merged_into.is_none() {
        with_db!(&svc.db, p => {
            sqlx::query_as(
                "SELECT id, title FROM proposals WHERE process_id = $1 AND id <> $2 AND merged_into IS NULL \
                 AND visibility = 'visible' ORDER BY support_count DESC, id LIMIT 200",
            )
            .bind(r.process_id)
            .bind(id)
            .fetch_all(p)
            .await
        })?
    } else {
        Vec::new()
    };
    let following =
        super::follows::following(svc, me, super::follows::Target::Proposal(id)).await?;
    // What the viewer did: supported it, flagged it, appealed its hiding.
    let (supported, flagged, appealed) = match me {
        Some(m) => {
            let (s, f, a): (i64, i64, i64) = with_db!(&svc.db, p => {
                sqlx::query_as(
                    "SELECT (SELECT count(*) FROM proposal_supports WHERE proposal_id = $1 AND user_id = $2), \
                     (SELECT count(*) FROM flags WHERE item_kind = 'proposal' AND item_id = $1 AND user_id = $2), \
                     (SELECT count(*) FROM appeals WHERE item_kind = 'proposal' AND item_id = $1 AND user_id = $2)",
                )
                .bind(id)
                .bind(m.id)
                .fetch_one(p)
                .await
            })?;
            (s > 0, f > 0, a > 0)
        }
        None => (false, false, false),
    };
    let hidden = visibility == Visibility::Hidden;
    let merged = r.merged_into.is_some();

    let viewer = ProposalViewer {
        signed_in: me.is_some(),
        supported,
        following,
        is_author,
        can_answer: can_answer && !hidden && !merged,
        merge_targets: merge_targets
            .into_iter()
            .map(|(id, title)| ProposalRef { id, title })
            .collect(),
        can_edit: is_author && !hidden && !merged && r.support_count == 0 && r.comment_count == 0,
        can_support: dates.takes_supports(now()) && visibility == Visibility::Visible && !merged,
        flagged,
        can_appeal: is_author && hidden && !appealed,
        appealed,
        moderator,
    };
    // A hidden proposal leaves a tombstone: its title and reason, not its text.
    let (body, body_html, image) = if hidden && !is_author {
        (String::new(), String::new(), None)
    } else {
        (r.body, r.body_html, r.image.image())
    };
    Ok(Some((
        ProposalDetail {
            id: r.id,
            process_id: r.process_id,
            process,
            title: r.title,
            body,
            body_html,
            lat: r.lat,
            lon: r.lon,
            address: r.address,
            image,
            author_name: r.author_name,
            support_count: r.support_count,
            comment_count: r.comment_count,
            visibility,
            hidden: hidden.then(|| HiddenWhy::from_stored(&r.hidden_reason, &r.hidden_note)),
            locked: r.locked_at.is_some(),
            edited_at: r.edited_at,
            created_at: r.created_at,
            outcomes: outcomes
                .into_iter()
                .filter_map(|o| {
                    Some(OutcomeEntry {
                        outcome: Outcome::parse(&o.outcome)?,
                        body_html: o.body_html,
                        progress: o.progress,
                        department_id: o.department_id,
                        created_at: o.created_at,
                    })
                })
                .collect(),
            merged_into: r.merged_into.map(|id| ProposalRef {
                id,
                title: r.merged_title.unwrap_or_default(),
            }),
            merged_at: r.merged_at,
            merged_from: merged_from
                .into_iter()
                .map(|(id, title)| ProposalRef { id, title })
                .collect(),
        },
        viewer,
    )))
}

/// Supports a proposal (`on`) or takes the support back. Returns the new count.
pub async fn support(svc: &Services, me: Option<&Me>, id: i64, on: bool) -> Result<i64, Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let row: Option<(i64, String, Option<i64>)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT process_id, visibility, merged_into FROM proposals WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await
    })?;
    let (process_id, visibility, merged_into) = row.ok_or(Error::NotFound)?;
    if Visibility::parse(&visibility) != Visibility::Visible {
        return Err(Error::NotFound);
    }
    if merged_into.is_some() {
        return Err(Error::field("support", Problem::MergedAway));
    }
    let dates = process_dates(svc, process_id).await?;
    let t = now();
    if !dates.takes_supports(t) {
        return Err(Error::field("support", Problem::SupportsClosed));
    }
    // The count moves in the same transaction as the support, and only when the support
    // row really changed.
    let changed: Result<Option<i64>, sqlx::Error> = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let n = if on {
            sqlx::query(
                "INSERT INTO proposal_supports (proposal_id, user_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (proposal_id, user_id) DO NOTHING",
            )
            .bind(id).bind(me.id).bind(t)
            .execute(&mut *tx).await?.rows_affected()
        } else {
            sqlx::query("DELETE FROM proposal_supports WHERE proposal_id = $1 AND user_id = $2")
                .bind(id).bind(me.id)
                .execute(&mut *tx).await?.rows_affected()
        };
        if n == 0 {
            return Ok(None);
        }
        let delta: i64 = if on { 1 } else { -1 };
        let count: i64 = sqlx::query_scalar(
            "UPDATE proposals SET support_count = support_count + $1 WHERE id = $2 RETURNING support_count",
        )
        .bind(delta).bind(id)
        .fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(Some(count))
    }.await);
    match changed? {
        Some(count) => Ok(count),
        None if on => Err(Error::field("support", Problem::AlreadySupported)),
        // Taking back a support that was not there: nothing to do.
        None => Ok(with_db!(&svc.db, p => {
            sqlx::query_scalar("SELECT support_count FROM proposals WHERE id = $1")
                .bind(id)
                .fetch_one(p)
                .await
        })?),
    }
}
