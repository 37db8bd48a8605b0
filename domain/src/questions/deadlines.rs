//! The departments' answer deadlines: how many working days each has (5 unless an admin
//! sets another), and the city's calendar of holidays and worked weekend days (调休) that
//! the count skips or includes.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::calendar::{Calendar, DayKind, MAX_DAYS};
use crate::error::{Error, FieldError};
use crate::model::question::CalendarDay;
use crate::model::{Me, Role};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// The longest name of a calendar day.
pub const DAY_NAME_MAX: usize = 50;

fn require_admin(me: Option<&Me>) -> Result<&Me, Error> {
    match me {
        None => Err(Error::Unauthenticated),
        Some(m) if m.role == Role::Admin => Ok(m),
        Some(_) => Err(Error::Forbidden),
    }
}

/// The city's calendar from a month before `t` on (earlier exceptions never matter to a
/// deadline counted from now).
pub async fn calendar(svc: &Services, t: DateTime<Utc>) -> Result<Calendar, Error> {
    let from = (t - Duration::days(31)).date_naive();
    let rows: Vec<(NaiveDate, String)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT day, kind FROM calendar_days WHERE day >= $1 ORDER BY day")
            .bind(from)
            .fetch_all(p)
            .await
    })?;
    Ok(Calendar::new(
        svc.reports.utc_offset_minutes,
        rows.into_iter()
            .filter_map(|(d, k)| Some((d, DayKind::parse(&k)?))),
    ))
}

/// The department's answer deadline in working days.
pub async fn answer_days(svc: &Services, department_id: i64) -> Result<i64, Error> {
    let days: Option<i64> = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT answer_days FROM departments WHERE id = $1")
            .bind(department_id)
            .fetch_optional(p)
            .await
    })?;
    days.ok_or_else(|| Error::field("department", Problem::UnknownDepartment))
}

/// Every department's answer deadline in working days, by department id.
pub async fn all_answer_days(svc: &Services) -> Result<Vec<(i64, i64)>, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_as("SELECT id, answer_days FROM departments ORDER BY id")
            .fetch_all(p)
            .await
    })?)
}

/// When a question reaching `department_id` at `t` is due.
pub async fn due(
    svc: &Services,
    department_id: i64,
    t: DateTime<Utc>,
) -> Result<DateTime<Utc>, Error> {
    let days = answer_days(svc, department_id).await?;
    let cal = calendar(svc, t).await?;
    Ok(cal.due(t, u32::try_from(days).unwrap_or(5)))
}

/// An admin sets a department's deadline (1 to 60 working days). Questions already with
/// the department keep the deadline they got.
pub async fn set_answer_days(
    svc: &Services,
    me: Option<&Me>,
    department_id: i64,
    days: &str,
) -> Result<(), Error> {
    require_admin(me)?;
    let max = i64::from(MAX_DAYS);
    let days: i64 = match days.trim().parse() {
        Ok(n) if (1..=max).contains(&n) => n,
        Ok(_) => {
            return Err(Error::field(
                "answer_days",
                Problem::OutOfRange { min: 1, max },
            ))
        }
        Err(_) => return Err(Error::field("answer_days", Problem::NotANumber)),
    };
    let n = with_db!(&svc.db, p => {
        sqlx::query("UPDATE departments SET answer_days = $1 WHERE id = $2")
            .bind(days)
            .bind(department_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// The calendar's exceptions from a year ago on.
pub async fn days(svc: &Services) -> Result<Vec<CalendarDay>, Error> {
    let from = (now() - Duration::days(366)).date_naive();
    let rows: Vec<(NaiveDate, String, String)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT day, kind, name FROM calendar_days WHERE day >= $1 ORDER BY day")
            .bind(from)
            .fetch_all(p)
            .await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|(day, kind, name)| {
            Some(CalendarDay {
                day,
                kind: DayKind::parse(&kind)?,
                name,
            })
        })
        .collect())
}

/// An admin adds (or changes) a holiday or a worked weekend day.
pub async fn set_day(
    svc: &Services,
    me: Option<&Me>,
    day: &str,
    kind: &str,
    name: &str,
) -> Result<(), Error> {
    require_admin(me)?;
    let mut problems = Vec::new();
    let parsed = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok();
    if day.trim().is_empty() {
        problems.push(FieldError::new("day", Problem::Required));
    } else if parsed.is_none() {
        problems.push(FieldError::new("day", Problem::NotADate));
    }
    let kind = DayKind::parse(kind.trim());
    if kind.is_none() {
        problems.push(FieldError::new("kind", Problem::InvalidChoice));
    }
    let name = name.trim();
    if name.chars().count() > DAY_NAME_MAX {
        problems.push(FieldError::new(
            "name",
            Problem::TooLong { max: DAY_NAME_MAX },
        ));
    }
    let (Some(day), Some(kind), true) = (parsed, kind, problems.is_empty()) else {
        return Err(Error::Invalid(problems));
    };
    with_db!(&svc.db, p => {
        sqlx::query(
            "INSERT INTO calendar_days (day, kind, name, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name",
        )
        .bind(day)
        .bind(kind.as_str())
        .bind(name)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// An admin removes a calendar exception: the day is an ordinary weekday or weekend again.
pub async fn remove_day(svc: &Services, me: Option<&Me>, day: &str) -> Result<(), Error> {
    require_admin(me)?;
    let day = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .map_err(|_| Error::field("day", Problem::NotADate))?;
    with_db!(&svc.db, p => {
        sqlx::query("DELETE FROM calendar_days WHERE day = $1")
            .bind(day)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}
