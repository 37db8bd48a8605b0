//! Following processes and proposals, and telling followers when a process enters a new
//! phase. A proposal's author follows it (and its process) from the moment it is made, and
//! may stop.

use crate::db::BeginWrite;
use crate::error::Error;
use crate::model::deliberation::{Phase, PhaseDates, Visibility};
use crate::model::notification::NotificationKind;
use crate::model::Me;
use crate::notifications::{notify, Audience, Notice};
use crate::time::now;
use crate::{with_db, Services};

/// What a resident follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Process(i64),
    Proposal(i64),
}

/// Follows (`on`) or stops following. Following twice, or stopping what one does not
/// follow, changes nothing.
pub async fn follow(
    svc: &Services,
    me: Option<&Me>,
    target: Target,
    on: bool,
) -> Result<(), Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    // Only what the public may see can be followed (a held proposal, by its author).
    match target {
        Target::Process(id) => {
            super::processes::get(svc, id)
                .await?
                .ok_or(Error::NotFound)?;
        }
        Target::Proposal(id) => {
            let row: Option<(Option<i64>, String)> = with_db!(&svc.db, p => {
                sqlx::query_as("SELECT author_id, visibility FROM proposals WHERE id = $1")
                    .bind(id)
                    .fetch_optional(p)
                    .await
            })?;
            let (author, visibility) = row.ok_or(Error::NotFound)?;
            if Visibility::parse(&visibility) == Visibility::Held && author != Some(me.id) {
                return Err(Error::NotFound);
            }
        }
    }
    let (sql, id) = match (target, on) {
        (Target::Process(id), true) => (
            "INSERT INTO process_follows (process_id, user_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (process_id, user_id) DO NOTHING",
            id,
        ),
        (Target::Process(id), false) => (
            "DELETE FROM process_follows WHERE process_id = $1 AND user_id = $2",
            id,
        ),
        (Target::Proposal(id), true) => (
            "INSERT INTO proposal_follows (proposal_id, user_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (proposal_id, user_id) DO NOTHING",
            id,
        ),
        (Target::Proposal(id), false) => (
            "DELETE FROM proposal_follows WHERE proposal_id = $1 AND user_id = $2",
            id,
        ),
    };
    let t = now();
    with_db!(&svc.db, p => {
        let q = sqlx::query(sql).bind(id).bind(me.id);
        if on { q.bind(t) } else { q }.execute(p).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Whether `me` follows `target`.
pub async fn following(svc: &Services, me: Option<&Me>, target: Target) -> Result<bool, Error> {
    let Some(me) = me else { return Ok(false) };
    let (sql, id) = match target {
        Target::Process(id) => (
            "SELECT count(*) FROM process_follows WHERE process_id = $1 AND user_id = $2",
            id,
        ),
        Target::Proposal(id) => (
            "SELECT count(*) FROM proposal_follows WHERE proposal_id = $1 AND user_id = $2",
            id,
        ),
    };
    let n: i64 = with_db!(&svc.db, p => {
        sqlx::query_scalar(sql).bind(id).bind(me.id).fetch_one(p).await
    })?;
    Ok(n > 0)
}

#[derive(sqlx::FromRow)]
struct PhaseRow {
    id: i64,
    information_at: chrono::DateTime<chrono::Utc>,
    proposals_at: chrono::DateTime<chrono::Utc>,
    discussion_at: chrono::DateTime<chrono::Utc>,
    decision_at: chrono::DateTime<chrono::Utc>,
    closes_at: chrono::DateTime<chrono::Utc>,
    announced_phase: Option<String>,
}

/// Tells the followers of every process that has entered a new phase since it was last
/// looked at; returns how many processes moved. The phase is recorded with a
/// compare-and-set, so two server instances running this at once tell each change once.
/// A process never looked at before (NULL) is recorded without telling anyone.
pub async fn announce_phases(svc: &Services) -> Result<usize, Error> {
    let t = now();
    let rows: Vec<PhaseRow> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT id, information_at, proposals_at, discussion_at, decision_at, closes_at, announced_phase \
             FROM processes WHERE announced_phase IS NULL OR announced_phase <> 'closed' OR closes_at > $1",
        )
        .bind(t)
        .fetch_all(p)
        .await
    })?;
    let mut moved = 0;
    for r in rows {
        let phase = PhaseDates {
            information_at: r.information_at,
            proposals_at: r.proposals_at,
            discussion_at: r.discussion_at,
            decision_at: r.decision_at,
            closes_at: r.closes_at,
        }
        .phase_at(t);
        if r.announced_phase.as_deref() == Some(phase.as_str()) {
            continue;
        }
        let tell = r.announced_phase.is_some() && phase != Phase::Upcoming;
        let notice = Notice {
            kind: NotificationKind::Phase,
            process_id: r.id,
            proposal_id: None,
            comment_id: None,
            detail: phase.as_str().to_string(),
            actor: 0,
            at: t,
            audience: Audience::ProcessFollowers(r.id),
        };
        let old = r.announced_phase.clone().unwrap_or_default();
        let won: bool = with_db!(&svc.db, p => async {
            let mut tx = p.begin_write().await?;
            let n = sqlx::query(
                "UPDATE processes SET announced_phase = $1 WHERE id = $2 AND COALESCE(announced_phase, '') = $3",
            )
            .bind(phase.as_str())
            .bind(r.id)
            .bind(&old)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 && tell {
                notify!(&mut *tx, notice).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n == 1)
        }.await)?;
        if won {
            moved += 1;
            if tell {
                tracing::info!(process = r.id, phase = phase.as_str(), "phase announced");
                crate::notifications::email_notice(svc, &notice).await;
            }
        }
    }
    Ok(moved)
}
