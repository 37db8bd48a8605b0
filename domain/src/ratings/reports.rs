//! Rating a closed report: its reporter (signed in, or holding the tracking code) rates how
//! it was handled. A poor rating (不满意, 非常不满意) sends it back for rectification (整改):
//! the report is reopened with the city's rectification deadline (in working days) — in
//! the built-in workflow as a new 处置 round for its department, over Open311 as a reopen
//! update to the external case system — and when it closes again the rectification counts
//! as done and its reporter is asked to rate the new round.

use chrono::{DateTime, Utc};

use super::{check, rectify_due, save, RatingInput, Target};
use crate::error::Error;
use crate::model::rating::{
    Level, Rating, Rectification, ReportRatings, RoundRating, Subject, CHANGE_DAYS,
};
use crate::model::report::ReportStatus;
use crate::model::Me;
use crate::reports::{FollowUp, Voice};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// Marks a report's rectification done when it closes; bind the time and the report. Run
/// in the transaction that closes it.
pub(crate) const RECTIFIED_SQL: &str = "UPDATE rectifications SET done_at = $1 \
     WHERE subject_kind = 'report' AND subject_id = $2 AND done_at IS NULL";

/// Asks a signed-in reporter to rate a report whose rectification just closed; bind the
/// time and the report. Run after [`RECTIFIED_SQL`], in the same transaction.
pub(crate) const RATE_AGAIN_SQL: &str = "INSERT INTO notifications (user_id, kind, report_id, created_at) \
     SELECT r.reporter_id, 'rate_again', r.id, $1 FROM reports r WHERE r.id = $2 AND r.reporter_id IS NOT NULL \
     AND EXISTS (SELECT 1 FROM rectifications x WHERE x.subject_kind = 'report' AND x.subject_id = $2 AND x.done_at = $1)";

/// In the transaction `$tx` that closes report `$report` at `$t`: its rectification (if
/// any) is done, and its signed-in reporter is asked to rate again. Yields a future of
/// `Result<(), sqlx::Error>`.
macro_rules! rectified {
    ($tx:ident, $t:expr, $report:expr) => {
        async {
            sqlx::query($crate::ratings::reports::RECTIFIED_SQL)
                .bind($t)
                .bind($report)
                .execute(&mut *$tx)
                .await?;
            sqlx::query($crate::ratings::reports::RATE_AGAIN_SQL)
                .bind($t)
                .bind($report)
                .execute(&mut *$tx)
                .await?;
            Ok::<_, sqlx::Error>(())
        }
    };
}
pub(crate) use rectified;

#[derive(sqlx::FromRow)]
struct ReportRow {
    reporter_id: Option<i64>,
    status: String,
    visibility: String,
    department_id: i64,
}

/// The key a report's reporter rates under: a report has one reporter, known by account
/// or (anonymous) only by the tracking code.
fn rater_key(reporter: Option<i64>) -> String {
    match reporter {
        Some(id) => format!("u:{id}"),
        None => "anon".into(),
    }
}

/// The round of ratings open now: one more than the rectifications so far.
async fn current_round(svc: &Services, report_id: i64) -> Result<i64, Error> {
    let n: i64 = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT count(*) FROM rectifications WHERE subject_kind = 'report' AND subject_id = $1")
            .bind(report_id)
            .fetch_one(p)
            .await
    })?;
    Ok(n + 1)
}

/// The reporter rates a closed report (or changes the rating within [`CHANGE_DAYS`] days);
/// a poor rating sends it back for rectification. Returns the round rated.
pub async fn rate(
    svc: &Services,
    me: Option<&Me>,
    tracking_code: Option<&str>,
    report_id: i64,
    input: RatingInput,
) -> Result<i64, Error> {
    let row: Option<ReportRow> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT r.reporter_id, r.status, r.visibility, COALESCE(c.department_id, r.department_id) AS department_id \
             FROM reports r LEFT JOIN cases c ON c.report_id = r.id WHERE r.id = $1",
        )
        .bind(report_id)
        .fetch_optional(p)
        .await
    })?;
    let row = row.ok_or(Error::NotFound)?;
    let code = tracking_code.map(str::trim).filter(|c| !c.is_empty());
    let by_code = match code {
        Some(c) => crate::reports::track(svc, c).await? == Some(report_id),
        None => false,
    };
    let by_account = me.is_some_and(|m| row.reporter_id == Some(m.id));
    if !by_code && !by_account {
        return Err(if me.is_none() && code.is_none() {
            Error::Unauthenticated
        } else {
            Error::Forbidden
        });
    }
    if row.visibility == "hidden" {
        return Err(Error::Forbidden);
    }
    let checked = check(&input)?;
    if ReportStatus::parse(&row.status) != Some(ReportStatus::Closed) {
        return Err(Error::field("level", Problem::NotClosed));
    }
    let round = current_round(svc, report_id).await?;
    let target = Target {
        subject: Subject::Report,
        subject_id: report_id,
        rater_key: rater_key(row.reporter_id),
        rater_id: row.reporter_id,
        department_id: Some(row.department_id),
        round,
        reference: String::new(),
    };
    let rating_id = save(svc, &target, &checked).await?;
    if checked.level.poor() {
        let voice = Voice::Reporter {
            user_id: me.filter(|_| by_account).map(|m| m.id),
        };
        rectify(
            svc,
            report_id,
            round,
            rating_id,
            row.department_id,
            &checked,
            voice,
        )
        .await?;
    }
    Ok(round)
}

/// Sends a report back for rectification after the poor rating `rating_id` of `round`
/// (once per round: changing a poor rating to another poor one sends nothing more).
async fn rectify(
    svc: &Services,
    report_id: i64,
    round: i64,
    rating_id: i64,
    department_id: i64,
    checked: &super::Checked,
    voice: Voice<'_>,
) -> Result<(), Error> {
    let t = now();
    let due = rectify_due(svc, t).await?;
    let inserted = with_db!(&svc.db, p => {
        sqlx::query(
            "INSERT INTO rectifications (subject_kind, subject_id, round, rating_id, department_id, due_at, created_at) \
             VALUES ('report', $1, $2, $3, $4, $5, $6) ON CONFLICT (subject_kind, subject_id, round) DO NOTHING",
        )
        .bind(report_id).bind(round).bind(rating_id).bind(department_id).bind(due).bind(t)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    if inserted == 0 {
        return Ok(());
    }
    let level = match checked.level {
        Level::VeryDissatisfied => "非常不满意 / very dissatisfied",
        _ => "不满意 / dissatisfied",
    };
    let mut note =
        format!("满意度评价：{level}，要求整改 / rated {level}: rectification requested");
    if !checked.comment.is_empty() {
        note.push('\n');
        note.push_str(&checked.comment);
    }
    let input = FollowUp {
        note,
        reopen: true,
        rectify_by: Some(due),
    };
    if let Err(e) = crate::reports::record_follow_up(svc, report_id, voice, input).await {
        // Not reopened: no rectification either, so a later rating may try again.
        with_db!(&svc.db, p => {
            sqlx::query("DELETE FROM rectifications WHERE subject_kind = 'report' AND subject_id = $1 AND round = $2")
                .bind(report_id)
                .bind(round)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        return Err(e);
    }
    tracing::info!(report = report_id, round, due = %due, "poor rating: report sent back for rectification");
    Ok(())
}

#[derive(sqlx::FromRow)]
struct RatingRow {
    round: i64,
    level: String,
    speed: Option<String>,
    result: Option<String>,
    attitude: Option<String>,
    comment: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A rectification as stored: round, asked, due, done, what was done.
type FixRow = (
    i64,
    DateTime<Utc>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    String,
);

/// A report's ratings (comments only for `reporter`) and rectifications, and the round its
/// reporter may rate now.
pub async fn of_report(
    svc: &Services,
    report_id: i64,
    status: ReportStatus,
    reporter: bool,
) -> Result<ReportRatings, Error> {
    let (rows, fixes): (Vec<RatingRow>, Vec<FixRow>) = with_db!(&svc.db, p => async {
            let rows = sqlx::query_as(
                "SELECT round, level, speed, result, attitude, comment, created_at, updated_at FROM ratings \
                 WHERE subject_kind = 'report' AND subject_id = $1 ORDER BY round",
            )
            .bind(report_id).fetch_all(p).await?;
            let fixes = sqlx::query_as(
                "SELECT round, created_at, due_at, done_at, done_note FROM rectifications \
                 WHERE subject_kind = 'report' AND subject_id = $1 ORDER BY round",
            )
            .bind(report_id).fetch_all(p).await?;
            Ok::<_, sqlx::Error>((rows, fixes))
        }.await)?;
    let t = now();
    let rounds: Vec<RoundRating> = rows
        .into_iter()
        .filter_map(|r| {
            Some(RoundRating {
                round: r.round,
                rating: Rating {
                    level: Level::parse(&r.level)?,
                    speed: r.speed.as_deref().and_then(Level::parse),
                    result: r.result.as_deref().and_then(Level::parse),
                    attitude: r.attitude.as_deref().and_then(Level::parse),
                    comment: if reporter { r.comment } else { String::new() },
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                    changeable: t < r.created_at + chrono::Duration::days(CHANGE_DAYS),
                },
            })
        })
        .collect();
    let rectifications: Vec<Rectification> = fixes
        .into_iter()
        .map(
            |(round, created_at, due_at, done_at, done_note)| Rectification {
                round,
                created_at,
                due_at,
                done_at,
                done_note,
            },
        )
        .collect();
    let round = rectifications.len() as i64 + 1;
    let open_round = (status == ReportStatus::Closed)
        .then_some(round)
        .filter(|r| {
            rounds
                .iter()
                .find(|x| x.round == *r)
                .is_none_or(|x| x.rating.changeable)
        });
    Ok(ReportRatings {
        rounds,
        rectifications,
        open_round,
        rectify_days: svc.reports.rectify_days,
    })
}
