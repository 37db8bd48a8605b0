//! Published results, counted as things change.
//!
//! Triggers in the database mark every report, public question (with its answers),
//! rated subject and rectification that changed, whatever code changed it (see migration
//! 0022). [`drain`] takes those marks in batches: for each subject it reads the rows, works
//! out what the subject adds to the counts now ([`facts::counts`]), and in the same
//! transaction adds the difference from what it added before. Reading results for any
//! period is then a sum over a few thousand monthly counts, however many reports the city
//! has. The background runner drains every second; [`results`] drains what is left first,
//! so a page always shows what has happened.

pub mod facts;
pub mod map;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::db::Db;
use crate::error::Error;
use crate::model::rating::Subject;
use crate::model::stats::{
    monday_of, percentile, subject_item, CategoryFigures, Figures, GridFigures, Month, Period,
    Results, Week,
};
use crate::{with_db, Services};

use facts::Fact;

/// Subjects counted per transaction.
pub const BATCH: i64 = 500;
/// The most subjects a reader counts before reading (the runner does the rest).
const READ_DRAIN: usize = 5_000;
/// The PostgreSQL advisory lock that lets one instance at a time count.
const PG_LOCK: i64 = 0x6767_7374; // "ggst"

/// Counts up to `limit` marked subjects; returns how many were counted.
pub async fn drain(svc: &Services, limit: usize) -> Result<usize, Error> {
    let mut done = 0;
    while done < limit {
        let n = drain_batch(
            &svc.db,
            svc.reports.utc_offset_minutes,
            BATCH.min((limit - done) as i64),
        )
        .await?;
        done += n;
        if n == 0 {
            break;
        }
    }
    Ok(done)
}

async fn drain_batch(db: &Db, offset: i32, batch: i64) -> Result<usize, Error> {
    let postgres = db.backend() == "postgres";
    // Most of the time nothing changed: look before taking a write transaction.
    let any: Option<i64> = with_db!(db, p => sqlx::query_scalar("SELECT seq FROM stats_dirty LIMIT 1").fetch_optional(p).await)?;
    if any.is_none() {
        return Ok(0);
    }
    let n = with_db!(db, p => async {
        let mut tx = p.begin().await?;
        if postgres {
            let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
                .bind(PG_LOCK).fetch_one(&mut *tx).await?;
            if !got {
                // Another instance is counting; it will count these too.
                return Ok(0);
            }
        }
        // The offset the counts were made with (see [`ensure`]) rules, whatever this
        // instance was started with, so that instances never count with two offsets.
        let kept: Option<String> = sqlx::query_scalar("SELECT value FROM stats_meta WHERE name = 'utc_offset_minutes'")
            .fetch_optional(&mut *tx).await?;
        let offset = kept.and_then(|k| k.parse().ok()).unwrap_or(offset);
        let marked: Vec<(String, i64)> = sqlx::query_as(
            "DELETE FROM stats_dirty WHERE seq IN (SELECT seq FROM stats_dirty ORDER BY seq LIMIT $1) \
             RETURNING kind, subject_id",
        )
        .bind(batch).fetch_all(&mut *tx).await?;
        for (kind, id) in &marked {
            let fact = match kind.as_str() {
                "report" => Fact::Report(
                    sqlx::query_as("SELECT created_at, closed_at, due_at, status, department_id, category_id, grid_id \
                                    FROM reports WHERE id = $1")
                        .bind(id).fetch_optional(&mut *tx).await?),
                "question" => {
                    let q = sqlx::query_as("SELECT created_at, department_id, visibility FROM questions WHERE id = $1")
                        .bind(id).fetch_optional(&mut *tx).await?;
                    let a = sqlx::query_as("SELECT department_id, received_at, due_at, created_at FROM answers \
                                            WHERE question_id = $1 ORDER BY created_at, id LIMIT 1")
                        .bind(id).fetch_optional(&mut *tx).await?;
                    Fact::Question(q, a)
                }
                "rectification" => Fact::Rectification(
                    sqlx::query_as("SELECT department_id, created_at, due_at, done_at FROM rectifications WHERE id = $1")
                        .bind(id).fetch_optional(&mut *tx).await?),
                other => match other.strip_prefix("ratings:").and_then(subject) {
                    Some(s) => Fact::Ratings(s, sqlx::query_as(
                        "SELECT rater_key, reference, round, department_id, level, created_at FROM ratings \
                         WHERE subject_kind = $1 AND subject_id = $2")
                        .bind(s.as_str()).bind(id).fetch_all(&mut *tx).await?),
                    None => continue,
                },
            };
            let new = facts::counts(&fact, offset);
            let old: Option<String> = sqlx::query_scalar("SELECT cells FROM stats_facts WHERE kind = $1 AND subject_id = $2")
                .bind(kind).bind(id).fetch_optional(&mut *tx).await?;
            let old = old.map(|s| facts::decode(&s)).unwrap_or_default();
            for ((month, department, dim, item, metric), delta) in facts::diff(&old, &new) {
                sqlx::query(
                    "INSERT INTO stats_cells (month, department_id, dim, item, metric, value) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (month, department_id, dim, item, metric) DO UPDATE SET value = stats_cells.value + excluded.value",
                )
                .bind(month).bind(department).bind(dim).bind(item).bind(metric).bind(delta)
                .execute(&mut *tx).await?;
            }
            if new.is_empty() {
                sqlx::query("DELETE FROM stats_facts WHERE kind = $1 AND subject_id = $2")
                    .bind(kind).bind(id).execute(&mut *tx).await?;
            } else if new != old {
                sqlx::query("INSERT INTO stats_facts (kind, subject_id, cells) VALUES ($1, $2, $3) \
                             ON CONFLICT (kind, subject_id) DO UPDATE SET cells = excluded.cells")
                    .bind(kind).bind(id).bind(facts::encode(&new)).execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(marked.len())
    }.await)?;
    Ok(n)
}

fn subject(s: &str) -> Option<Subject> {
    [Subject::Report, Subject::Answer, Subject::Service]
        .into_iter()
        .find(|x| x.as_str() == s)
}

/// At start-up: when the counts were made with another UTC offset (or never), every
/// subject is marked to be counted again from nothing.
pub async fn ensure(svc: &Services) -> Result<(), Error> {
    let offset = svc.reports.utc_offset_minutes.to_string();
    with_db!(&svc.db, p => async {
        let mut tx = p.begin().await?;
        let kept: Option<String> = sqlx::query_scalar("SELECT value FROM stats_meta WHERE name = 'utc_offset_minutes'")
            .fetch_optional(&mut *tx).await?;
        match kept {
            Some(k) if k == offset => {}
            Some(_) => {
                tracing::info!(offset = %offset, "the city's UTC offset changed: counting results again");
                for sql in [
                    "DELETE FROM stats_cells",
                    "DELETE FROM stats_facts",
                    "INSERT INTO stats_dirty (kind, subject_id) SELECT 'report', id FROM reports WHERE true ON CONFLICT DO NOTHING",
                    "INSERT INTO stats_dirty (kind, subject_id) SELECT 'question', id FROM questions WHERE true ON CONFLICT DO NOTHING",
                    "INSERT INTO stats_dirty (kind, subject_id) SELECT DISTINCT 'ratings:' || subject_kind, subject_id FROM ratings \
                     WHERE true ON CONFLICT DO NOTHING",
                    "INSERT INTO stats_dirty (kind, subject_id) SELECT 'rectification', id FROM rectifications WHERE true ON CONFLICT DO NOTHING",
                    "UPDATE stats_meta SET value = $1 WHERE name = 'utc_offset_minutes'",
                ] {
                    let q = sqlx::query(sql);
                    let q = if sql.contains("$1") { q.bind(&offset) } else { q };
                    q.execute(&mut *tx).await?;
                }
            }
            None => {
                sqlx::query("INSERT INTO stats_meta (name, value) VALUES ('utc_offset_minutes', $1)")
                    .bind(&offset).execute(&mut *tx).await?;
            }
        }
        tx.commit().await
    }.await)?;
    Ok(())
}

/// Subjects changed but not yet counted.
pub async fn pending(db: &Db) -> Result<i64, Error> {
    Ok(
        with_db!(db, p => sqlx::query_scalar("SELECT count(*) FROM stats_dirty").fetch_one(p).await)?,
    )
}

/// Adds the counts of one department's cells into figures.
#[derive(Default)]
struct Tally {
    figures: Figures,
    close: BTreeMap<i64, i64>,
    answer: BTreeMap<i64, i64>,
}

impl Tally {
    fn add(&mut self, dim: &str, item: i64, metric: &str, v: i64) {
        let f = &mut self.figures;
        match (dim, metric) {
            ("all", "received") => f.received += v,
            ("all", "closed") => f.closed += v,
            ("all", "closed_on_time") => f.closed_on_time += v,
            ("all", "asked") => f.asked += v,
            ("all", "answered") => f.answered += v,
            ("all", "answered_on_time") => f.answered_on_time += v,
            ("all", "rect_opened") => f.rectifications_opened += v,
            ("all", "rect_done") => f.rectifications_done += v,
            ("all", "rect_done_on_time") => f.rectifications_done_on_time += v,
            ("close_time", _) => *self.close.entry(item).or_insert(0) += v,
            ("answer_time", _) => *self.answer.entry(item).or_insert(0) += v,
            ("rating", level) => {
                *f.ratings.entry(level.to_string()).or_insert(0) += v;
                let s = [Subject::Report, Subject::Answer, Subject::Service]
                    .into_iter()
                    .find(|s| subject_item(*s) == item);
                if let Some(s) = s {
                    *f.ratings_by_subject
                        .entry(s.as_str().to_string())
                        .or_default()
                        .entry(level.to_string())
                        .or_insert(0) += v;
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Figures {
        self.figures.close_median = percentile(&self.close, 0.5);
        self.figures.close_p90 = percentile(&self.close, 0.9);
        self.figures.answer_median = percentile(&self.answer, 0.5);
        self.figures
    }
}

/// The results for `period` (all time when `None`), for the city or one department.
pub async fn results(
    svc: &Services,
    period: Option<Period>,
    department_id: Option<i64>,
) -> Result<Results, Error> {
    if let Err(e) = drain(svc, READ_DRAIN).await {
        tracing::warn!(error = %e, "counting changed results failed; showing the counts as they are");
    }
    let (from, to) = match period {
        Some(p) => (p.from.key(), p.to.key()),
        None => ("0000-00".to_string(), "9999-99".to_string()),
    };
    let only = department_id.unwrap_or(0);
    type Row = (i64, String, i64, String, i64);
    type DayRow = (String, i64, String, i64);
    let (rows, days): (Vec<Row>, Vec<DayRow>) = with_db!(&svc.db, p => async {
        let rows = sqlx::query_as(
            "SELECT department_id, dim, item, metric, CAST(SUM(value) AS BIGINT) FROM stats_cells \
             WHERE month >= $1 AND month <= $2 AND dim <> 'day' GROUP BY department_id, dim, item, metric",
        ).bind(&from).bind(&to).fetch_all(p).await?;
        let days = sqlx::query_as(
            "SELECT month, item, metric, CAST(SUM(value) AS BIGINT) FROM stats_cells \
             WHERE dim = 'day' AND month >= $1 AND month <= $2 AND ($3 = 0 OR department_id = $3) \
             GROUP BY month, item, metric",
        ).bind(&from).bind(&to).bind(only).fetch_all(p).await?;
        Ok::<_, sqlx::Error>((rows, days))
    }.await)?;
    let pending = pending(&svc.db).await.unwrap_or(0);

    let mut whole = Tally::default();
    let mut by_department: BTreeMap<i64, Tally> = BTreeMap::new();
    let mut categories: BTreeMap<i64, CategoryFigures> = BTreeMap::new();
    let mut grids: BTreeMap<i64, GridFigures> = BTreeMap::new();
    for (d, dim, item, metric, v) in rows {
        by_department
            .entry(d)
            .or_default()
            .add(&dim, item, &metric, v);
        if only != 0 && d != only {
            continue;
        }
        whole.add(&dim, item, &metric, v);
        match dim.as_str() {
            "category" => {
                let c = categories.entry(item).or_insert(CategoryFigures {
                    category_id: item,
                    ..Default::default()
                });
                match metric.as_str() {
                    "received" => c.received += v,
                    "closed" => c.closed += v,
                    "closed_on_time" => c.closed_on_time += v,
                    _ => {}
                }
            }
            "grid" => {
                let g = grids.entry(item).or_insert(GridFigures {
                    grid_id: item,
                    ..Default::default()
                });
                match metric.as_str() {
                    "received" => g.received += v,
                    "closed" => g.closed += v,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let mut weeks: BTreeMap<NaiveDate, Week> = BTreeMap::new();
    for (month, day, metric, v) in days {
        let Some(date) =
            Month::parse(&month).and_then(|m| NaiveDate::from_ymd_opt(m.year, m.month, day as u32))
        else {
            continue;
        };
        let monday = monday_of(date);
        let w = weeks.entry(monday).or_insert(Week {
            monday,
            ..Default::default()
        });
        match metric.as_str() {
            "received" => w.received += v,
            "closed" => w.closed += v,
            "asked" => w.asked += v,
            "answered" => w.answered += v,
            _ => {}
        }
    }
    // With a period, every week of it is shown, quiet ones too.
    if let Some(p) = period {
        let mut monday = monday_of(p.first_day());
        while monday <= p.last_day() && weeks.len() < 6000 {
            weeks.entry(monday).or_insert(Week {
                monday,
                ..Default::default()
            });
            monday += chrono::Duration::days(7);
        }
    }
    let departments = by_department
        .into_iter()
        .filter(|(d, _)| *d != 0 && (only == 0 || *d == only))
        .map(|(d, t)| (d, t.finish()))
        .collect();
    Ok(Results {
        from: period.map(|p| p.from),
        to: period.map(|p| p.to),
        department_id,
        figures: whole.finish(),
        departments,
        categories: categories.into_values().collect(),
        grids: grids.into_values().collect(),
        weeks: weeks.into_values().collect(),
        pending,
    })
}
