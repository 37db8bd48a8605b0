//! The end of a deliberation, written by officials of the process's department (and
//! admins): the department's answer on each proposal (accepted, rejected with reasons,
//! under study, implemented with progress), the process's closing report, and merging
//! duplicate proposals. Each tells those who support or follow what it touches.

use crate::db::BeginWrite;
use crate::error::{Error, FieldError};
use crate::model::deliberation::{
    Outcome, Phase, Visibility, CLOSING_REPORT_MAX, OUTCOME_BODY_MAX,
};
use crate::model::notification::NotificationKind;
use crate::model::Me;
use crate::notifications::{email_notice, notify, Audience, Notice};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// An answer as its form sends it.
#[derive(Clone, Debug, Default)]
pub struct OutcomeInput {
    /// `accepted`, `rejected`, `under_study` or `implemented`.
    pub outcome: String,
    /// The reasons (required for every answer: a rejection must say why); field `answer`.
    pub answer: String,
    /// Implemented: how far, 0 to 100 (per cent).
    pub progress: String,
}

#[derive(sqlx::FromRow)]
struct ProposalRow {
    process_id: i64,
    visibility: String,
    merged_into: Option<i64>,
}

async fn proposal_row(svc: &Services, id: i64) -> Result<ProposalRow, Error> {
    let row: Option<ProposalRow> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT process_id, visibility, merged_into FROM proposals WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await
    })?;
    row.ok_or(Error::NotFound)
}

/// The process, when `me` may manage it (else Unauthenticated, Forbidden or NotFound).
async fn managed_process(
    svc: &Services,
    me: Option<&Me>,
    process_id: i64,
) -> Result<(Me, crate::model::deliberation::ProcessDetail), Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let process = super::processes::get(svc, process_id)
        .await?
        .ok_or(Error::NotFound)?;
    if !super::processes::may_manage(me, process.department_id) {
        return Err(Error::Forbidden);
    }
    Ok((me.clone(), process))
}

fn text(problems: &mut Vec<FieldError>, field: &str, value: &str, max: usize) -> String {
    let v = value.trim().to_string();
    if v.is_empty() {
        problems.push(FieldError::new(field, Problem::Required));
    } else if v.chars().count() > max {
        problems.push(FieldError::new(field, Problem::TooLong { max }));
    }
    v
}

/// Publishes the department's answer on proposal `id`; the newest answer is its outcome,
/// the earlier ones stay as its history. Returns the answer's id.
pub async fn answer(
    svc: &Services,
    me: Option<&Me>,
    id: i64,
    input: OutcomeInput,
) -> Result<i64, Error> {
    let row = proposal_row(svc, id).await?;
    let (me, process) = managed_process(svc, me, row.process_id).await?;
    if Visibility::parse(&row.visibility) != Visibility::Visible {
        return Err(Error::NotFound);
    }
    if row.merged_into.is_some() {
        return Err(Error::field("outcome", Problem::MergedAway));
    }
    let mut problems = Vec::new();
    let outcome = Outcome::parse(input.outcome.trim());
    if outcome.is_none() {
        problems.push(FieldError::new("outcome", Problem::InvalidChoice));
    }
    let body = text(&mut problems, "answer", &input.answer, OUTCOME_BODY_MAX);
    let progress = match (outcome, input.progress.trim()) {
        (Some(Outcome::Implemented), "") => {
            problems.push(FieldError::new("progress", Problem::Required));
            None
        }
        (Some(Outcome::Implemented), p) => match p.trim_end_matches('%').trim().parse::<i64>() {
            Ok(n) if (0..=100).contains(&n) => Some(n),
            Ok(_) => {
                problems.push(FieldError::new(
                    "progress",
                    Problem::OutOfRange { min: 0, max: 100 },
                ));
                None
            }
            Err(_) => {
                problems.push(FieldError::new("progress", Problem::NotANumber));
                None
            }
        },
        // Progress belongs to an implementation only.
        _ => None,
    };
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let outcome = outcome.unwrap_or(Outcome::UnderStudy);
    let body_html = super::markdown::render(&body);
    let t = now();
    let notice = Notice {
        kind: NotificationKind::Outcome,
        process_id: process.id,
        proposal_id: Some(id),
        comment_id: None,
        detail: outcome.as_str().to_string(),
        actor: me.id,
        at: t,
        audience: Audience::ProposalPeople(id),
    };
    let answer_id: i64 = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let answer_id: i64 = sqlx::query_scalar(
            "INSERT INTO proposal_outcomes (proposal_id, outcome, body, body_html, progress, department_id, author_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(id).bind(outcome.as_str()).bind(&body).bind(&body_html).bind(progress)
        .bind(process.department_id).bind(me.id).bind(t)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("UPDATE proposals SET outcome = $1, updated_at = $2 WHERE id = $3")
            .bind(outcome.as_str())
            .bind(t)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        notify!(&mut *tx, notice).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(answer_id)
    }.await)?;
    tracing::info!(
        proposal = id,
        outcome = outcome.as_str(),
        by = me.id,
        "proposal answered"
    );
    email_notice(svc, &notice).await;
    Ok(answer_id)
}

/// Publishes (or corrects) the closing report of process `id`, from its decision phase
/// on. The first publication tells everyone who follows the process or supports or
/// follows one of its proposals; corrections do not tell them again.
pub async fn closing_report(
    svc: &Services,
    me: Option<&Me>,
    id: i64,
    body: &str,
) -> Result<(), Error> {
    let (me, process) = managed_process(svc, me, id).await?;
    let t = now();
    let mut problems = Vec::new();
    if !matches!(process.dates.phase_at(t), Phase::Decision | Phase::Closed) {
        problems.push(FieldError::new("report", Problem::BeforeDecision));
    }
    let body = text(&mut problems, "report", body, CLOSING_REPORT_MAX);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let html = super::markdown::render(&body);
    let notice = Notice {
        kind: NotificationKind::ClosingReport,
        process_id: id,
        proposal_id: None,
        comment_id: None,
        detail: String::new(),
        actor: me.id,
        at: t,
        audience: Audience::ProcessPeople(id),
    };
    let first: bool = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let first = sqlx::query(
            "UPDATE processes SET closing_report_at = $1 WHERE id = $2 AND closing_report_at IS NULL",
        )
        .bind(t)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        sqlx::query(
            "UPDATE processes SET closing_report = $1, closing_report_html = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(&body)
        .bind(&html)
        .bind(t)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if first {
            notify!(&mut *tx, notice).await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(first)
    }.await)?;
    tracing::info!(process = id, first, by = me.id, "closing report published");
    if first {
        email_notice(svc, &notice).await;
    }
    Ok(())
}

/// Merges duplicate proposal `id` into `into` (same process): its supporters' supports and
/// its followers move to `into` (one support per resident still), each supporter and
/// follower is told, and the duplicate stays readable with a pointer to `into`.
pub async fn merge(svc: &Services, me: Option<&Me>, id: i64, into: &str) -> Result<(), Error> {
    let dup = proposal_row(svc, id).await?;
    let (me, process) = managed_process(svc, me, dup.process_id).await?;
    if Visibility::parse(&dup.visibility) != Visibility::Visible {
        return Err(Error::NotFound);
    }
    if dup.merged_into.is_some() {
        return Err(Error::field("into", Problem::MergedAway));
    }
    let into: i64 = match into.trim().trim_start_matches('#').parse() {
        Ok(n) => n,
        Err(_) if into.trim().is_empty() => return Err(Error::field("into", Problem::Required)),
        Err(_) => return Err(Error::field("into", Problem::NotANumber)),
    };
    let target: Option<ProposalRow> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT process_id, visibility, merged_into FROM proposals WHERE id = $1")
            .bind(into)
            .fetch_optional(p)
            .await
    })?;
    match target {
        Some(t)
            if into != id
                && t.process_id == dup.process_id
                && Visibility::parse(&t.visibility) == Visibility::Visible
                && t.merged_into.is_none() => {}
        _ => return Err(Error::field("into", Problem::InvalidChoice)),
    }
    let t = now();
    let notice = Notice {
        kind: NotificationKind::Merged,
        process_id: process.id,
        proposal_id: Some(id),
        comment_id: None,
        detail: into.to_string(),
        actor: me.id,
        at: t,
        audience: Audience::ProposalPeople(id),
    };
    let merged: bool = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        // Marked first, only if still unmerged: two officials merging at once merge once.
        let n = sqlx::query(
            "UPDATE proposals SET merged_into = $1, merged_at = $2, updated_at = $2 WHERE id = $3 AND merged_into IS NULL",
        )
        .bind(into)
        .bind(t)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Ok(false);
        }
        // Told while the duplicate still lists them.
        notify!(&mut *tx, notice).await?;
        sqlx::query(
            "INSERT INTO proposal_supports (proposal_id, user_id, created_at) \
             SELECT $1, user_id, created_at FROM proposal_supports WHERE proposal_id = $2 \
             ON CONFLICT (proposal_id, user_id) DO NOTHING",
        )
        .bind(into)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO proposal_follows (proposal_id, user_id, created_at) \
             SELECT $1, user_id, $3 FROM proposal_follows WHERE proposal_id = $2 \
             ON CONFLICT (proposal_id, user_id) DO NOTHING",
        )
        .bind(into)
        .bind(id)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE proposals SET support_count = (SELECT count(*) FROM proposal_supports WHERE proposal_id = $1), \
             updated_at = $2 WHERE id = $1",
        )
        .bind(into)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(true)
    }.await)?;
    if !merged {
        return Err(Error::field("into", Problem::MergedAway));
    }
    tracing::info!(proposal = id, into, by = me.id, "proposal merged");
    email_notice(svc, &notice).await;
    Ok(())
}
