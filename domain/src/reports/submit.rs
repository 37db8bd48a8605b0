//! Filing a report: checks, grid assignment, and one transaction for the report, its first
//! timeline entry, its photos, the reporter's follow and the job that passes it to the
//! case system.

use std::collections::BTreeMap;

use crate::catalogue::Snapshot;
use crate::error::{Error, Problems};
use crate::geo::Point;
use crate::model::catalog::{check_answers, Answer, Category, Grid};
use crate::model::report::{Submitted, ADDRESS_MAX, DESCRIPTION_MAX, DESCRIPTION_MIN, PHOTOS_MAX};
use crate::model::Me;
use crate::ratelimit::{self, Scope};
use crate::time::now;
use crate::{with_db, Problem, Services};
use sqlx::Row;

use super::writer::{Filed, Written};
use super::{tracking_code, tracking_hash};

/// What the report form (or the Open311 API) submits.
#[derive(Clone, Debug, Default)]
pub struct NewReport {
    /// The category's code (the Open311 `service_code`).
    pub category: String,
    /// As typed or set by the map; parsed here so a bad value gets a field error.
    pub lat: String,
    pub lon: String,
    pub address: String,
    pub description: String,
    /// Answers to the category's extra fields: attribute code → values.
    pub answers: BTreeMap<String, Vec<String>>,
    /// Photos uploaded with this form's token, in order.
    pub photos: Vec<String>,
    /// A signed-in reporter who does not want their name shown.
    pub hide_name: bool,
    /// The form's one-time token: submitting the same form twice files one report.
    pub submit_token: String,
}

/// Who is reporting.
#[derive(Clone, Debug)]
pub struct Reporter<'a> {
    pub user: Option<&'a Me>,
    /// The client's address, for rate limits.
    pub ip: &'a str,
    /// Posted through the Open311 API with this key (an admin issued it, so anonymous
    /// posting and per-address limits do not apply; revoking the key stops it).
    pub api_key: Option<i64>,
}

/// True for the tokens the form hands out: 43 URL-safe characters.
pub fn valid_token(t: &str) -> bool {
    (32..=64).contains(&t.len())
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Parses the two coordinate fields (a comma is accepted as the decimal mark).
pub fn parse_point(lat: &str, lon: &str) -> Result<Point, Problem> {
    let num = |s: &str| s.trim().replace(',', ".").parse::<f64>().ok();
    if lat.trim().is_empty() && lon.trim().is_empty() {
        return Err(Problem::Required);
    }
    match (num(lat), num(lon)) {
        (Some(la), Some(lo)) => Point::new(la, lo).ok_or(Problem::InvalidLocation),
        _ => Err(Problem::InvalidLocation),
    }
}

/// A form that passed every check, ready to file.
#[derive(Debug)]
pub struct Checked {
    category: Category,
    point: Point,
    grid: Option<Grid>,
    description: String,
    address: String,
    answers: BTreeMap<String, Answer>,
    photo_uids: Vec<String>,
}

/// Checks a report without filing it. Every problem with the input is reported at once, by
/// field.
pub async fn check(
    svc: &Services,
    who: &Reporter<'_>,
    input: &NewReport,
) -> Result<Checked, Error> {
    let catalogue = svc.catalogue.current(&svc.db).await?;
    check_with(svc, who, input, &catalogue).await
}

/// [`check`] against a copy of the catalogue.
async fn check_with(
    svc: &Services,
    who: &Reporter<'_>,
    input: &NewReport,
    catalogue: &Snapshot,
) -> Result<Checked, Error> {
    let settings = &svc.reports;
    if who.user.is_none() && who.api_key.is_none() && !settings.allow_anonymous {
        return Err(Error::Unauthenticated);
    }
    if !valid_token(&input.submit_token) {
        return Err(Error::field("submit_token", Problem::ExpiredLink));
    }
    let token_hash = crate::accounts::tokens::hash_token(&input.submit_token);
    let mut problems = Problems::default();
    let category = match input.category.trim() {
        "" => {
            problems.add("category", Problem::Required);
            None
        }
        code => match catalogue.category(code) {
            Some(c) if c.active => Some(c.clone()),
            _ => {
                problems.add("category", Problem::UnknownCategory);
                None
            }
        },
    };
    let point = match parse_point(&input.lat, &input.lon) {
        Ok(p) => Some(p),
        // No coordinates: find the place in the typed address (the gazetteer).
        Err(Problem::Required) if !input.address.trim().is_empty() => {
            match crate::places::geocode(&svc.db, &input.address).await? {
                Some(p) => Some(p),
                None => {
                    problems.add("address", Problem::AddressNotFound);
                    None
                }
            }
        }
        Err(p) => {
            problems.add("location", p);
            None
        }
    };
    let grid = match point {
        Some(p) => match catalogue.locate(p) {
            Some(g) => Some(g.clone()),
            None => match &settings.default_grid {
                Some(code) => catalogue.grid(code).cloned(),
                None => {
                    problems.add("location", Problem::OutsideGrids);
                    None
                }
            },
        },
        None => None,
    };
    let description = input.description.trim();
    let len = description.chars().count();
    if len == 0 {
        problems.add("description", Problem::Required);
    } else if len < DESCRIPTION_MIN {
        problems.add(
            "description",
            Problem::TooShort {
                min: DESCRIPTION_MIN,
            },
        );
    } else if len > DESCRIPTION_MAX {
        problems.add(
            "description",
            Problem::TooLong {
                max: DESCRIPTION_MAX,
            },
        );
    }
    let address = input.address.trim();
    if address.chars().count() > ADDRESS_MAX {
        problems.add("address", Problem::TooLong { max: ADDRESS_MAX });
    }
    let answers = match &category {
        Some(c) => match check_answers(&c.attributes, &input.answers) {
            Ok(a) => a,
            Err(list) => {
                problems.0.extend(list);
                BTreeMap::new()
            }
        },
        None => BTreeMap::new(),
    };
    let mut photo_uids: Vec<String> = Vec::new();
    for uid in input
        .photos
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        if !photo_uids.iter().any(|u| u == uid) {
            photo_uids.push(uid.to_string());
        }
    }
    if photo_uids.len() > PHOTOS_MAX {
        problems.add("photos", Problem::TooManyPhotos { max: PHOTOS_MAX });
    } else if !photo_uids.is_empty() {
        let pending = super::photos::pending_uids(&svc.db, &token_hash).await?;
        if photo_uids.iter().any(|u| !pending.iter().any(|p| p == u)) {
            problems.add("photos", Problem::ExpiredLink);
        }
    }
    problems.into_result()?;
    let (Some(category), Some(point)) = (category, point) else {
        return Err(Error::Internal(
            "checked input lost its category or place".into(),
        ));
    };
    Ok(Checked {
        category,
        point,
        grid,
        description: description.to_string(),
        address: address.to_string(),
        answers,
        photo_uids,
    })
}

/// Files a report after [`check`]ing it; nothing is saved unless everything is right.
/// Submitting the same form token again returns the report it already filed.
pub async fn submit(
    svc: &Services,
    who: Reporter<'_>,
    input: NewReport,
) -> Result<Submitted, Error> {
    if !valid_token(&input.submit_token) {
        return Err(Error::field("submit_token", Problem::ExpiredLink));
    }
    let token_hash = crate::accounts::tokens::hash_token(&input.submit_token);
    // The rate limits that apply: the sender's address (residents), their account.
    let limits = &svc.limits;
    let mut counted: Vec<(Scope, String, u32)> = Vec::new();
    if who.api_key.is_none() {
        counted.push((Scope::ReportIp, who.ip.to_string(), limits.report_per_ip));
    }
    if let Some(u) = who.user {
        counted.push((
            Scope::ReportAccount,
            u.id.to_string(),
            limits.report_per_account,
        ));
    }
    // All a report needs to read, in one statement: the form's report if it was filed
    // already, the catalogue's version, and the attempts in each rate limit's window.
    let mut sql = format!(
        "SELECT (SELECT id FROM reports WHERE submit_token = $1), {}",
        crate::catalogue::VERSION_SQL
    );
    for i in 0..counted.len() {
        sql.push_str(", ");
        sql.push_str(&ratelimit::window_columns(2 + 3 * i));
    }
    let since = now() - limits.report_window;
    type Window = (i64, Option<chrono::DateTime<chrono::Utc>>);
    type Read = (Option<i64>, i64, Vec<Window>);
    let binds: Vec<(&'static str, String)> = counted
        .iter()
        .map(|(scope, key, _)| (scope.as_str(), key.clone()))
        .collect();
    // The statement, run on either backend's connection or pool.
    macro_rules! read_on {
        ($e:expr, $sql:expr, $token_hash:expr, $binds:expr) => {{
            let mut q = sqlx::query($sql).bind($token_hash);
            for (scope, key) in $binds {
                q = q.bind(*scope).bind(key.as_str()).bind(since);
            }
            q.fetch_one($e).await.and_then(|row| {
                let windows = (0..$binds.len())
                    .map(|i| Ok((row.try_get(2 + 2 * i)?, row.try_get(3 + 2 * i)?)))
                    .collect::<Result<Vec<Window>, sqlx::Error>>()?;
                Ok::<Read, sqlx::Error>((row.try_get(0)?, row.try_get(1)?, windows))
            })
        }};
    }
    let (filed, version, windows): Read = match &svc.db {
        // On a connection kept for this read: no pool, and a warm page cache.
        crate::db::Db::Sqlite(pool) => {
            let token_hash = token_hash.clone();
            svc.kept
                .read(pool, move |c| {
                    Box::pin(async move { read_on!(&mut *c, &sql, &token_hash, &binds) })
                })
                .await?
        }
        // Kept prepared on PostgreSQL too: the report writer keeps the statistics of
        // `auth_attempts` current, so the kept plan finds attempts by the index however
        // fast the table grows (see `writer::AttemptStatistics`).
        crate::db::Db::Postgres(pool) => read_on!(pool, &sql, &token_hash, &binds)?,
    };
    if let Some(id) = filed {
        return Ok(Submitted {
            id,
            tracking_code: (who.user.is_none() && who.api_key.is_none())
                .then(|| tracking_code(&input.submit_token)),
        });
    }
    if let Some(u) = who.user {
        crate::moderation::ensure_can_post(svc, u).await?;
    }
    let Checked {
        category,
        point,
        grid,
        description,
        address,
        answers,
        photo_uids,
    } = check_with(
        svc,
        &who,
        &input,
        &*svc.catalogue.at(&svc.db, version).await?,
    )
    .await?;

    // Rate limits count only well-formed reports, so a resident fixing a mistake is not punished.
    for ((_, _, max), (count, oldest)) in counted.iter().zip(windows) {
        ratelimit::verdict(count, oldest, *max, limits.report_window)?;
    }

    let t = now();
    let answers_json =
        serde_json::to_string(&answers).map_err(|e| Error::Internal(e.to_string()))?;
    // Anonymous residents follow their report with a code; API clients by its id.
    let code =
        (who.user.is_none() && who.api_key.is_none()).then(|| tracking_code(&input.submit_token));
    let attempts = counted
        .into_iter()
        .map(|(scope, key, _)| (scope, key))
        .collect();
    let row = Filed {
        category_id: category.id,
        grid_id: grid.as_ref().map(|g| g.id),
        description,
        lat: point.lat,
        lon: point.lon,
        address,
        answers_json,
        reporter_id: who.user.map(|u| u.id),
        hide_name: input.hide_name && who.user.is_some(),
        tracking_hash: code.as_deref().map(tracking_hash),
        token_hash: token_hash.clone(),
        due: t + chrono::Duration::hours(category.time_limit_hours),
        at: t,
        api_key: who.api_key,
        photo_uids,
        attempts,
    };
    // Through the one writer task, which writes the reports queued together in one
    // transaction (group commit).
    let result = svc.filing.write(&svc.db, &svc.jobs, row).await;
    let id = match result {
        Ok(id) => id,
        // The same form submitted twice at the same moment: the other request filed it.
        Err(Written::Duplicate) => existing(svc, &token_hash)
            .await?
            .ok_or_else(|| Error::Internal("a report with this form token vanished".into()))?,
        Err(Written::Failed(e)) => return Err(Error::Internal(format!("database: {e}"))),
    };
    svc.jobs.wake();
    tracing::info!(report = id, category = %category.code, anonymous = who.user.is_none(), "report filed");
    Ok(Submitted {
        id,
        tracking_code: code,
    })
}

async fn existing(svc: &Services, token_hash: &str) -> Result<Option<i64>, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT id FROM reports WHERE submit_token = $1")
            .bind(token_hash)
            .fetch_optional(p)
            .await
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_parse_with_named_problems() {
        assert_eq!(parse_point("", " "), Err(Problem::Required));
        assert_eq!(parse_point("22.8", "abc"), Err(Problem::InvalidLocation));
        assert_eq!(parse_point("95", "108"), Err(Problem::InvalidLocation));
        let p = parse_point("22,817", "108.366").unwrap();
        assert!((p.lat - 22.817).abs() < 1e-12 && (p.lon - 108.366).abs() < 1e-12);
    }
}
