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
pub mod items;
pub mod map;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use crate::db::BeginWrite;
use crate::db::Db;
use crate::error::Error;
use crate::model::rating::Subject;
use crate::model::stats::{
    monday_of, percentile, subject_item, CategoryFigures, Figures, GridFigures, Month, Period,
    Results, Week,
};
use crate::{with_db, Services};

use facts::Fact;

/// The version of the counting rules in [`facts::counts`]: when it changes, the next start
/// counts everything again (see [`ensure`]). 2: public questions not yet routed to a
/// department count as asked city-wide.
pub const RULES: &str = "2";
/// Subjects counted per transaction.
pub const BATCH: i64 = 500;
/// Rows per statement where a batch is read or written with one statement per table
/// (well inside both backends' limits on bound values).
const CHUNK: usize = 500;
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
    let marks = crate::db::InOrder::of(db);
    // Most of the time nothing changed: look before taking a write transaction.
    let any: Option<i64> = with_db!(db, p => sqlx::query_scalar("SELECT seq FROM stats_dirty LIMIT 1").fetch_optional(p).await)?;
    if any.is_none() {
        return Ok(0);
    }
    let n = with_db!(db, p => async {
        let mut tx = p.begin_write().await?;
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
        // The batch's reports, read at once (most marks are reports), and what each
        // marked subject added before, read at once per kind: a statement per subject,
        // each a round trip, held the write turn (and new reports) for many milliseconds.
        let report_ids: Vec<i64> = marked.iter().filter(|(k, _)| k == "report").map(|(_, id)| *id).collect();
        let mut reports: HashMap<i64, facts::ReportRow> = HashMap::with_capacity(report_ids.len());
        for ids in report_ids.chunks(CHUNK) {
            let sql = format!(
                "SELECT id, created_at, closed_at, due_at, status, department_id, category_id, grid_id \
                 FROM reports WHERE id IN ({})", marks.marks(1, ids.len()));
            let mut q = sqlx::query_as::<_, facts::NumberedReport>(&sql);
            for id in ids {
                q = q.bind(id);
            }
            reports.extend(q.fetch_all(&mut *tx).await?.into_iter().map(|r| (r.id, r.row)));
        }
        let mut kinds: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
        for (kind, id) in &marked {
            kinds.entry(kind.as_str()).or_default().push(*id);
        }
        let mut kept: HashMap<(&str, i64), String> = HashMap::with_capacity(marked.len());
        for (kind, ids) in &kinds {
            for ids in ids.chunks(CHUNK) {
                let sql = format!(
                    "SELECT subject_id, cells FROM stats_facts WHERE kind = {} AND subject_id IN ({})",
                    marks.one(1), marks.marks(2, ids.len()));
                let mut q = sqlx::query_as::<_, (i64, String)>(&sql).bind(*kind);
                for id in ids {
                    q = q.bind(id);
                }
                kept.extend(q.fetch_all(&mut *tx).await?.into_iter().map(|(id, cells)| ((*kind, id), cells)));
            }
        }
        // The batch's changes to each cell, summed: subjects of one month and department
        // change the same cells, which are then written once each.
        let mut deltas = facts::Counts::new();
        let mut store: BTreeMap<(&str, i64), String> = BTreeMap::new();
        let mut forget: Vec<(&str, i64)> = Vec::new();
        for (kind, id) in &marked {
            let fact = match kind.as_str() {
                "report" => Fact::Report(reports.remove(id)),
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
                "ratings:report" => Fact::Ratings(Subject::Report, sqlx::query_as(
                    "SELECT subject_kind, rater_key, reference, round, department_id, level, created_at FROM ratings \
                     WHERE subject_kind = 'report' AND subject_id = $1")
                    .bind(id).fetch_all(&mut *tx).await?),
                "rating" => {
                    let rows: Vec<facts::RatingRow> = sqlx::query_as(
                        "SELECT subject_kind, rater_key, reference, round, department_id, level, created_at FROM ratings WHERE id = $1")
                        .bind(id).fetch_all(&mut *tx).await?;
                    let s = rows.first().and_then(|r| facts::subject_of(&r.subject_kind)).unwrap_or(Subject::Service);
                    Fact::Ratings(s, rows)
                }
                _ => continue,
            };
            let new = facts::counts(&fact, offset);
            let before = kept.get(&(kind.as_str(), *id));
            let old = before.and_then(|s| facts::decode(kind, s))
                .map(|f| facts::counts(&f, offset)).unwrap_or_default();
            let stored = facts::encode(&fact);
            for (key, delta) in facts::diff(&old, &new) {
                *deltas.entry(key).or_insert(0) += delta;
            }
            if stored.is_empty() {
                if before.is_some() {
                    forget.push((kind.as_str(), *id));
                }
            } else if before != Some(&stored) {
                store.insert((kind.as_str(), *id), stored);
            }
        }
        for kind in kinds.keys() {
            let ids: Vec<i64> = forget.iter().filter(|(k, _)| k == kind).map(|(_, id)| *id).collect();
            for ids in ids.chunks(CHUNK) {
                let sql = format!("DELETE FROM stats_facts WHERE kind = {} AND subject_id IN ({})", marks.one(1), marks.marks(2, ids.len()));
                let mut q = sqlx::query(&sql).bind(*kind);
                for id in ids {
                    q = q.bind(id);
                }
                q.execute(&mut *tx).await?;
            }
        }
        let store: Vec<((&str, i64), String)> = store.into_iter().collect();
        for rows in store.chunks(CHUNK) {
            let sql = format!(
                "INSERT INTO stats_facts (kind, subject_id, cells) VALUES {} \
                 ON CONFLICT (kind, subject_id) DO UPDATE SET cells = excluded.cells",
                marks.rows(1, rows.len(), 3));
            let mut q = sqlx::query(&sql);
            for ((kind, id), cells) in rows {
                q = q.bind(*kind).bind(id).bind(cells);
            }
            q.execute(&mut *tx).await?;
        }
        let cells: Vec<(facts::Key, i64)> = deltas.into_iter().filter(|(_, d)| *d != 0).collect();
        for rows in cells.chunks(CHUNK) {
            let sql = format!(
                "INSERT INTO stats_cells (month, department_id, dim, item, metric, value) VALUES {} \
                 ON CONFLICT (month, department_id, dim, item, metric) DO UPDATE SET value = stats_cells.value + excluded.value",
                marks.rows(1, rows.len(), 6));
            let mut q = sqlx::query(&sql);
            for ((month, department, dim, item, metric), delta) in rows {
                q = q.bind(month).bind(department).bind(dim).bind(item).bind(metric).bind(delta);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(marked.len())
    }.await)?;
    Ok(n)
}

/// More marked subjects than this at start-up (an upgrade of a big database, a bulk
/// load) are counted by [`rebuild`] rather than one by one.
const REBUILD_ABOVE: i64 = 20_000;

/// At start-up: when the counts were made with another UTC offset, or many subjects wait
/// to be counted, everything is counted again from nothing ([`rebuild`]).
pub async fn ensure(svc: &Services) -> Result<(), Error> {
    let offset = svc.reports.utc_offset_minutes.to_string();
    let (kept, rules): (Option<String>, Option<String>) = with_db!(&svc.db, p => async {
        let kept = sqlx::query_scalar("SELECT value FROM stats_meta WHERE name = 'utc_offset_minutes'")
            .fetch_optional(p).await?;
        let rules = sqlx::query_scalar("SELECT value FROM stats_meta WHERE name = 'rules'")
            .fetch_optional(p).await?;
        Ok::<_, sqlx::Error>((kept, rules))
    }.await)?;
    let waiting = pending(&svc.db).await?;
    if kept.is_some() && rules.as_deref() != Some(RULES) {
        tracing::info!(
            rules = RULES,
            "the counting rules changed: counting results again"
        );
        return rebuild(svc).await.map(|_| ());
    }
    match kept {
        Some(k) if k == offset && waiting <= REBUILD_ABOVE => Ok(()),
        Some(k) if k == offset => {
            tracing::info!(
                waiting,
                "many changes not yet counted: counting results from scratch"
            );
            rebuild(svc).await.map(|_| ())
        }
        Some(_) => {
            tracing::info!(offset = %offset, "the city's UTC offset changed: counting results again");
            rebuild(svc).await.map(|_| ())
        }
        None if waiting > REBUILD_ABOVE => rebuild(svc).await.map(|_| ()),
        None => {
            with_db!(&svc.db, p => async {
                sqlx::query(
                    "INSERT INTO stats_meta (name, value) VALUES ('utc_offset_minutes', $1) ON CONFLICT (name) DO NOTHING")
                    .bind(&offset).execute(p).await?;
                sqlx::query("INSERT INTO stats_meta (name, value) VALUES ('rules', $1) ON CONFLICT (name) DO NOTHING")
                    .bind(RULES).execute(p).await.map(|_| ())
            }.await)?;
            Ok(())
        }
    }
}

/// Rows read per query while rebuilding.
const REBUILD_PAGE: i64 = 5_000;
/// Rows per multi-row insert while rebuilding.
const INSERT_ROWS: usize = 400;

// Rows as the rebuild reads them.
type ReportTuple = (
    i64,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
    String,
    i64,
    i64,
    Option<i64>,
);
type AnswerTuple = (i64, i64, DateTime<Utc>, DateTime<Utc>, DateTime<Utc>);
type RatingTuple = (
    i64,
    i64,
    String,
    String,
    String,
    i64,
    Option<i64>,
    String,
    DateTime<Utc>,
);
type RectTuple = (
    i64,
    i64,
    DateTime<Utc>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

/// `INSERT INTO <into> VALUES (…), (…)` for `rows` rows of `cols` values.
fn insert_sql(marks: crate::db::InOrder, into: &str, rows: usize, cols: usize) -> String {
    format!("INSERT INTO {into} VALUES {}", marks.rows(1, rows, cols))
}

/// Counts everything again from nothing, with the configured offset, in one transaction:
/// every subject's counts are summed in memory, and its compact rows kept. Reports are read
/// a page at a time. Returns how many subjects were counted. Meant for start-up (see
/// [`ensure`]); marks made while it runs are counted afterwards as usual.
pub async fn rebuild(svc: &Services) -> Result<usize, Error> {
    let offset = svc.reports.utc_offset_minutes;
    let started = std::time::Instant::now();
    let marks = crate::db::InOrder::of(&svc.db);
    let n = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let last_mark: i64 = sqlx::query_scalar("SELECT COALESCE(max(seq), 0) FROM stats_dirty").fetch_one(&mut *tx).await?;
        sqlx::query("DELETE FROM stats_cells").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM stats_facts").execute(&mut *tx).await?;
        let mut total = facts::Counts::new();
        let mut kept: Vec<(&'static str, i64, String)> = Vec::new();
        let mut subjects = 0usize;
        // Writes the kept rows in one statement.
        macro_rules! flush {
            () => {{
                let sql = insert_sql(marks, "stats_facts (kind, subject_id, cells)", kept.len(), 3);
                let mut q = sqlx::query(&sql);
                for (k, id, c) in kept.drain(..) {
                    q = q.bind(k).bind(id).bind(c);
                }
                q.execute(&mut *tx).await?;
            }};
        }
        // Adds a subject's counts and keeps its rows; writes kept rows in batches.
        macro_rules! add {
            ($kind:expr, $id:expr, $fact:expr) => {{
                let fact = $fact;
                for (k, v) in facts::counts(&fact, offset) {
                    *total.entry(k).or_insert(0) += v;
                }
                let stored = facts::encode(&fact);
                if !stored.is_empty() {
                    kept.push(($kind, $id, stored));
                }
                subjects += 1;
                if kept.len() >= INSERT_ROWS {
                    flush!();
                }
            }};
        }
        // Reports, a page at a time.
        let mut after = 0i64;
        loop {
            let page: Vec<ReportTuple> = sqlx::query_as(
                "SELECT id, created_at, closed_at, due_at, status, department_id, category_id, grid_id FROM reports \
                 WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after).bind(REBUILD_PAGE).fetch_all(&mut *tx).await?;
            let Some(last) = page.last().map(|r| r.0) else { break };
            after = last;
            for (id, created_at, closed_at, due_at, status, department_id, category_id, grid_id) in page {
                add!("report", id, Fact::Report(Some(facts::ReportRow {
                    created_at, closed_at, due_at, status, department_id, category_id, grid_id,
                })));
            }
        }
        // Public questions with their first answers.
        let answers: Vec<AnswerTuple> = sqlx::query_as(
            "SELECT question_id, department_id, received_at, due_at, created_at FROM answers ORDER BY question_id, created_at, id")
            .fetch_all(&mut *tx).await?;
        let mut first: BTreeMap<i64, facts::AnswerRow> = BTreeMap::new();
        for (q, department_id, received_at, due_at, created_at) in answers {
            first.entry(q).or_insert(facts::AnswerRow { department_id, received_at, due_at, created_at });
        }
        let questions: Vec<(i64, DateTime<Utc>, Option<i64>, String)> = sqlx::query_as(
            "SELECT id, created_at, department_id, visibility FROM questions ORDER BY id").fetch_all(&mut *tx).await?;
        for (id, created_at, department_id, visibility) in questions {
            let a = first.remove(&id);
            add!("question", id, Fact::Question(Some(facts::QuestionRow { created_at, department_id, visibility }), a));
        }
        // Ratings: a report's together (the newest round counts), others one by one.
        let ratings: Vec<RatingTuple> = sqlx::query_as(
            "SELECT id, subject_id, subject_kind, rater_key, reference, round, department_id, level, created_at FROM ratings \
             ORDER BY subject_kind, subject_id, id").fetch_all(&mut *tx).await?;
        let mut group: Vec<facts::RatingRow> = Vec::new();
        let mut group_id = 0i64;
        for (id, subject_id, subject_kind, rater_key, reference, round, department_id, level, created_at) in ratings {
            let row = facts::RatingRow { subject_kind, rater_key, reference, round, department_id, level, created_at };
            if row.subject_kind == "report" {
                if group_id != subject_id && !group.is_empty() {
                    add!("ratings:report", group_id, Fact::Ratings(Subject::Report, std::mem::take(&mut group)));
                }
                group_id = subject_id;
                group.push(row);
            } else {
                let s = facts::subject_of(&row.subject_kind).unwrap_or(Subject::Service);
                add!("rating", id, Fact::Ratings(s, vec![row]));
            }
        }
        if !group.is_empty() {
            add!("ratings:report", group_id, Fact::Ratings(Subject::Report, std::mem::take(&mut group)));
        }
        let rects: Vec<RectTuple> = sqlx::query_as(
            "SELECT id, department_id, created_at, due_at, done_at FROM rectifications ORDER BY id").fetch_all(&mut *tx).await?;
        for (id, department_id, created_at, due_at, done_at) in rects {
            add!("rectification", id, Fact::Rectification(Some(facts::RectificationRow { department_id, created_at, due_at, done_at })));
        }
        // The last kept rows, then the counts.
        if !kept.is_empty() {
            flush!();
        }
        let cells: Vec<(facts::Key, i64)> = total.into_iter().filter(|(_, v)| *v != 0).collect();
        for chunk in cells.chunks(INSERT_ROWS) {
            let sql = insert_sql(marks, "stats_cells (month, department_id, dim, item, metric, value)", chunk.len(), 6);
            let mut q = sqlx::query(&sql);
            for ((month, d, dim, item, metric), v) in chunk {
                q = q.bind(month).bind(d).bind(dim).bind(item).bind(metric).bind(v);
            }
            q.execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM stats_dirty WHERE seq <= $1").bind(last_mark).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM stats_meta WHERE name IN ('utc_offset_minutes', 'rules')").execute(&mut *tx).await?;
        sqlx::query("INSERT INTO stats_meta (name, value) VALUES ('utc_offset_minutes', $1), ('rules', $2)")
            .bind(offset.to_string()).bind(RULES).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(subjects)
    }.await)?;
    tracing::info!(
        subjects = n,
        ms = started.elapsed().as_millis() as u64,
        "published results counted from scratch"
    );
    Ok(n)
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

#[cfg(test)]
mod tests {
    use crate::db::{Db, InOrder};

    /// Numbered on PostgreSQL, unnamed on SQLite (see [`InOrder`]).
    #[tokio::test]
    async fn insert_statements_place_their_values_in_order() {
        let db = Db::connect("sqlite::memory:", 1).await.expect("database");
        assert_eq!(
            super::insert_sql(InOrder::of(&db), "t (a, b)", 2, 2),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
        let Db::Sqlite(pool) = &db else {
            unreachable!("a sqlite: URL")
        };
        // sqlx binds the unnamed placeholders in order.
        sqlx::query("CREATE TABLE t (a INTEGER, b INTEGER)")
            .execute(pool)
            .await
            .expect("table");
        let sql = super::insert_sql(InOrder::of(&db), "t (a, b)", 2, 2);
        let mut q = sqlx::query(&sql);
        for v in [1, 2, 3, 4] {
            q = q.bind(v);
        }
        q.execute(pool).await.expect("insert");
        let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT a, b FROM t ORDER BY a")
            .fetch_all(pool)
            .await
            .expect("rows");
        assert_eq!(rows, vec![(1, 2), (3, 4)]);
    }
}
