//! Satisfaction ratings (好差评) in the five national levels, for every rated subject:
//! closed reports (by their reporter, signed in or holding the tracking code), answers to
//! questions (by their asker) and government services. One rating per subject per rater
//! and round, changeable for [`CHANGE_DAYS`] days; a poor rating (不满意, 非常不满意) of a
//! report sends it back for rectification (整改, see [`reports`]), and once it closes again
//! its reporter rates the next round.

pub mod reports;
pub mod services;

use chrono::{DateTime, Utc};

use crate::error::{Error, FieldError};
use crate::model::rating::{Level, Subject, CHANGE_DAYS, COMMENT_MAX};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// A rating as the form sends it.
#[derive(Clone, Debug, Default)]
pub struct RatingInput {
    pub level: String,
    /// Optional dimensions: speed, result, attitude ("" for none).
    pub speed: String,
    pub result: String,
    pub attitude: String,
    pub comment: String,
}

/// A rating checked.
#[derive(Clone, Debug)]
pub(crate) struct Checked {
    pub level: Level,
    pub speed: Option<Level>,
    pub result: Option<Level>,
    pub attitude: Option<Level>,
    pub comment: String,
}

fn optional_level(field: &str, value: &str, problems: &mut Vec<FieldError>) -> Option<Level> {
    match value.trim() {
        "" => None,
        v => {
            let l = Level::parse(v);
            if l.is_none() {
                problems.push(FieldError::new(field, Problem::InvalidChoice));
            }
            l
        }
    }
}

/// Checks a rating: the level is required, the dimensions optional, the comment short.
pub(crate) fn check(input: &RatingInput) -> Result<Checked, Error> {
    let mut problems = Vec::new();
    let level = match input.level.trim() {
        "" => {
            problems.push(FieldError::new("level", Problem::Required));
            None
        }
        v => {
            let l = Level::parse(v);
            if l.is_none() {
                problems.push(FieldError::new("level", Problem::InvalidChoice));
            }
            l
        }
    };
    let speed = optional_level("speed", &input.speed, &mut problems);
    let result = optional_level("result", &input.result, &mut problems);
    let attitude = optional_level("attitude", &input.attitude, &mut problems);
    let comment = input.comment.trim();
    if comment.chars().count() > COMMENT_MAX {
        problems.push(FieldError::new(
            "comment",
            Problem::TooLong { max: COMMENT_MAX },
        ));
    }
    match (level, problems.is_empty()) {
        (Some(level), true) => Ok(Checked {
            level,
            speed,
            result,
            attitude,
            comment: comment.to_string(),
        }),
        _ => Err(Error::Invalid(problems)),
    }
}

/// Who rates what.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub subject: Subject,
    pub subject_id: i64,
    /// `u:<user id>`, or for an anonymous reporter `anon` (a report has one reporter).
    pub rater_key: String,
    pub rater_id: Option<i64>,
    /// The department judged.
    pub department_id: Option<i64>,
    pub round: i64,
    pub reference: String,
}

/// Saves a rating, or changes it within [`CHANGE_DAYS`] days of the first one. Returns
/// the rating's id.
pub(crate) async fn save(svc: &Services, target: &Target, c: &Checked) -> Result<i64, Error> {
    let t = now();
    let first: Option<DateTime<Utc>> = with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "SELECT created_at FROM ratings WHERE subject_kind = $1 AND subject_id = $2 \
             AND rater_key = $3 AND round = $4 AND reference = $5",
        )
        .bind(target.subject.as_str())
        .bind(target.subject_id)
        .bind(&target.rater_key)
        .bind(target.round)
        .bind(&target.reference)
        .fetch_optional(p)
        .await
    })?;
    if first.is_some_and(|first| t >= first + chrono::Duration::days(CHANGE_DAYS)) {
        return Err(Error::field(
            "level",
            Problem::RatingLocked { days: CHANGE_DAYS },
        ));
    }
    let id: i64 = with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "INSERT INTO ratings (subject_kind, subject_id, rater_id, rater_key, department_id, level, speed, result, \
             attitude, comment, round, reference, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) \
             ON CONFLICT (subject_kind, subject_id, rater_key, round, reference) DO UPDATE SET level = excluded.level, \
             speed = excluded.speed, result = excluded.result, attitude = excluded.attitude, \
             comment = excluded.comment, updated_at = excluded.updated_at RETURNING id",
        )
        .bind(target.subject.as_str()).bind(target.subject_id).bind(target.rater_id).bind(&target.rater_key)
        .bind(target.department_id).bind(c.level.as_str()).bind(c.speed.map(Level::as_str))
        .bind(c.result.map(Level::as_str)).bind(c.attitude.map(Level::as_str)).bind(&c.comment)
        .bind(target.round).bind(&target.reference).bind(t)
        .fetch_one(p)
        .await
    })?;
    tracing::info!(
        subject = target.subject.as_str(),
        id = target.subject_id,
        round = target.round,
        level = c.level.as_str(),
        "rated"
    );
    Ok(id)
}

/// When rectification asked for at `t` is due: the city's rectification time in working
/// days, on its calendar.
pub(crate) async fn rectify_due(svc: &Services, t: DateTime<Utc>) -> Result<DateTime<Utc>, Error> {
    let cal = crate::questions::deadlines::calendar(svc, t).await?;
    Ok(cal.due(t, u32::try_from(svc.reports.rectify_days).unwrap_or(15)))
}
