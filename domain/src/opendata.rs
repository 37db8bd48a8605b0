//! Writing the open datasets (see [`crate::model::opendata`]) as CSV, JSON or GeoJSON.
//!
//! Rows are read from the database as a stream and written out in chunks of about 64 KB
//! through a channel, so a download of a million reports never holds more than a few
//! chunks in memory. The aggregates (ratings, monthly results) come from the same counts
//! as the results page, so the two always agree.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use futures::TryStreamExt;
use serde_json::{Map, Value};
use tokio::sync::mpsc::Sender;

use crate::error::Error;
use crate::model::opendata::{Dataset, Field, Format};
use crate::model::rating::{Level, Subject};
use crate::model::stats::{percentile, subject_item, Period};
use crate::{with_db, Services};

/// About how much is written before a chunk is sent.
const CHUNK: usize = 64 * 1024;

/// What to include: one department (by id), the months of a period (by when things were
/// made or, for aggregates, counted).
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub department_id: Option<i64>,
    pub period: Option<Period>,
}

/// The licence line and where the data came from, written into JSON and GeoJSON.
#[derive(Clone, Debug, Default)]
pub struct About {
    pub licence: String,
    pub source: String,
}

/// One value of a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Int(i64),
    Num(f64),
    Text(String),
    Bool(bool),
    Null,
}

impl Cell {
    fn time(t: Option<DateTime<Utc>>, offset: i32) -> Cell {
        match t {
            Some(t) => Cell::Text(iso(t, offset)),
            None => Cell::Null,
        }
    }
    fn text(s: Option<String>) -> Cell {
        s.map(Cell::Text).unwrap_or(Cell::Null)
    }
    fn json(&self) -> Value {
        match self {
            Cell::Int(i) => Value::from(*i),
            Cell::Num(n) => serde_json::Number::from_f64(*n)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            Cell::Text(s) => Value::from(s.as_str()),
            Cell::Bool(b) => Value::from(*b),
            Cell::Null => Value::Null,
        }
    }
}

/// A time in ISO 8601 with the city's offset.
pub fn iso(t: DateTime<Utc>, offset_minutes: i32) -> String {
    let tz = FixedOffset::east_opt(offset_minutes * 60)
        .unwrap_or(FixedOffset::east_opt(0).expect("UTC"));
    t.with_timezone(&tz)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A CSV field: quoted when it holds a comma, quote or line break. Text that a spreadsheet
/// would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) is
/// prefixed with `'`, as OWASP advises.
pub fn csv_field(c: &Cell, out: &mut String) {
    match c {
        Cell::Int(i) => out.push_str(&i.to_string()),
        Cell::Num(n) => out.push_str(&format!("{n}")),
        Cell::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Cell::Null => {}
        Cell::Text(s) => {
            let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
            let quote = formula || s.contains([',', '"', '\n', '\r']);
            if quote {
                out.push('"');
            }
            if formula {
                out.push('\'');
            }
            for ch in s.chars() {
                if ch == '"' {
                    out.push('"');
                }
                out.push(ch);
            }
            if quote {
                out.push('"');
            }
        }
    }
}

/// Writes rows in a format, sending a chunk whenever [`CHUNK`] bytes are ready.
struct Writer<'a> {
    format: Format,
    fields: &'static [Field],
    out: &'a Sender<String>,
    buf: String,
    rows: u64,
}

impl<'a> Writer<'a> {
    async fn start(
        format: Format,
        dataset: Dataset,
        about: &About,
        out: &'a Sender<String>,
    ) -> Result<Writer<'a>, Error> {
        let fields = dataset.fields();
        let mut buf = String::new();
        match format {
            Format::Csv => {
                // A byte-order mark, so spreadsheets read the Chinese text as UTF-8.
                buf.push('\u{feff}');
                let header: Vec<&str> = fields.iter().map(|f| f.name).collect();
                buf.push_str(&header.join(","));
                buf.push_str("\r\n");
            }
            Format::Json | Format::GeoJson => {
                let kind = if format == Format::GeoJson {
                    "\"type\":\"FeatureCollection\","
                } else {
                    ""
                };
                let list = if format == Format::GeoJson {
                    "features"
                } else {
                    "data"
                };
                buf.push_str(&format!(
                    "{{{kind}\"dataset\":{},\"licence\":{},\"source\":{},\"generated_at\":{},\"{list}\":[",
                    Value::from(dataset.name()),
                    Value::from(about.licence.as_str()),
                    Value::from(about.source.as_str()),
                    Value::from(Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)),
                ));
            }
        }
        Ok(Writer {
            format,
            fields,
            out,
            buf,
            rows: 0,
        })
    }

    /// One row; `place` is `(lat, lon)` for GeoJSON.
    async fn row(&mut self, cells: &[Cell], place: Option<(f64, f64)>) -> Result<(), Error> {
        match self.format {
            Format::Csv => {
                for (i, c) in cells.iter().enumerate() {
                    if i > 0 {
                        self.buf.push(',');
                    }
                    csv_field(c, &mut self.buf);
                }
                self.buf.push_str("\r\n");
            }
            Format::Json | Format::GeoJson => {
                if self.rows > 0 {
                    self.buf.push(',');
                }
                let mut m = Map::new();
                for (f, c) in self.fields.iter().zip(cells) {
                    m.insert(f.name.into(), c.json());
                }
                let v = match (self.format, place) {
                    (Format::GeoJson, Some((lat, lon))) => serde_json::json!({
                        "type": "Feature",
                        "geometry": { "type": "Point", "coordinates": [lon, lat] },
                        "properties": m,
                    }),
                    _ => Value::Object(m),
                };
                self.buf.push_str(&v.to_string());
            }
        }
        self.rows += 1;
        if self.buf.len() >= CHUNK {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), Error> {
        let chunk = std::mem::take(&mut self.buf);
        self.out
            .send(chunk)
            .await
            .map_err(|_| Error::Internal("the download was abandoned".into()))
    }

    async fn finish(mut self) -> Result<u64, Error> {
        if self.format != Format::Csv {
            self.buf.push_str("]}");
        }
        self.flush().await?;
        Ok(self.rows)
    }
}

/// The month range of a scope as stored keys (everything when no period).
fn months(scope: &Scope) -> (String, String) {
    match scope.period {
        Some(p) => (p.from.key(), p.to.key()),
        None => ("0000-00".into(), "9999-99".into()),
    }
}

/// The UTC bounds of a scope's period (local month starts), for filtering by time.
fn bounds(scope: &Scope, offset: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    match scope.period {
        Some(p) => (
            crate::time::day_start(p.first_day(), offset),
            crate::time::day_start(p.to.next().first_day(), offset),
        ),
        // Far enough either way, and in the stored text form on SQLite (which compares text).
        None => (
            DateTime::from_timestamp(0, 0).unwrap_or_default(),
            DateTime::from_timestamp(253_402_300_799, 0).unwrap_or_default(),
        ),
    }
}

#[derive(sqlx::FromRow)]
struct ReportOut {
    id: i64,
    category: String,
    category_name_zh: String,
    category_name_en: String,
    department: String,
    grid: Option<String>,
    status: String,
    description: String,
    address: String,
    lat: f64,
    lon: f64,
    supports: i64,
    created_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct QuestionOut {
    id: i64,
    department: Option<String>,
    title: String,
    body: String,
    status: String,
    wanted: i64,
    created_at: DateTime<Utc>,
    received_at: Option<DateTime<Utc>>,
    due_at: Option<DateTime<Utc>>,
    first_answered_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct AnswerOut {
    id: i64,
    question_id: i64,
    department: String,
    body: String,
    received_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    edited_at: Option<DateTime<Utc>>,
}

/// Writes `dataset` in `format` to `out`; returns the number of rows written.
pub async fn export(
    svc: &Services,
    dataset: Dataset,
    format: Format,
    scope: &Scope,
    about: &About,
    out: &Sender<String>,
) -> Result<u64, Error> {
    if !dataset.formats().contains(&format) {
        return Err(Error::NotFound);
    }
    let offset = svc.reports.utc_offset_minutes;
    let only = scope.department_id.unwrap_or(0);
    let (from, to) = bounds(scope, offset);
    let mut w = Writer::start(format, dataset, about, out).await?;
    match dataset {
        Dataset::Reports => {
            with_db!(&svc.db, p => {
                let mut rows = sqlx::query_as::<_, ReportOut>(
                    "SELECT r.id, c.code AS category, c.name_zh AS category_name_zh, c.name_en AS category_name_en, \
                     d.code AS department, g.code AS grid, r.status, \
                     CASE WHEN r.visibility = 'visible' THEN r.description ELSE '' END AS description, \
                     r.address, r.lat, r.lon, r.support_count AS supports, r.created_at, r.due_at, r.closed_at \
                     FROM reports r JOIN categories c ON c.id = r.category_id JOIN departments d ON d.id = r.department_id \
                     LEFT JOIN grids g ON g.id = r.grid_id \
                     WHERE ($1 = 0 OR r.department_id = $1) AND r.created_at >= $2 AND r.created_at < $3 ORDER BY r.id",
                )
                .bind(only).bind(from).bind(to).fetch(p);
                while let Some(r) = rows.try_next().await? {
                    let closed = r.status == "closed";
                    let cells = [
                        Cell::Int(r.id),
                        Cell::Text(r.category),
                        Cell::Text(r.category_name_zh),
                        Cell::Text(r.category_name_en),
                        Cell::Text(r.department),
                        Cell::text(r.grid),
                        Cell::Text(r.status),
                        Cell::Text(r.description),
                        Cell::Text(r.address),
                        Cell::Num(r.lat),
                        Cell::Num(r.lon),
                        Cell::Int(r.supports),
                        Cell::time(Some(r.created_at), offset),
                        Cell::time(Some(r.due_at), offset),
                        Cell::time(r.closed_at, offset),
                        match (closed, r.closed_at) {
                            (true, Some(c)) => Cell::Bool(c <= r.due_at),
                            _ => Cell::Null,
                        },
                    ];
                    w.row(&cells, Some((r.lat, r.lon))).await?;
                }
                Ok::<_, Error>(())
            })?;
        }
        Dataset::Questions => {
            with_db!(&svc.db, p => {
                let mut rows = sqlx::query_as::<_, QuestionOut>(
                    "SELECT q.id, d.code AS department, q.title, q.body, q.status, q.want_count AS wanted, q.created_at, \
                     q.received_at, q.due_at, q.first_answered_at FROM questions q LEFT JOIN departments d ON d.id = q.department_id \
                     WHERE q.visibility = 'visible' AND ($1 = 0 OR q.department_id = $1) AND q.created_at >= $2 AND q.created_at < $3 \
                     ORDER BY q.id",
                )
                .bind(only).bind(from).bind(to).fetch(p);
                while let Some(q) = rows.try_next().await? {
                    let cells = [
                        Cell::Int(q.id),
                        Cell::text(q.department),
                        Cell::Text(q.title),
                        Cell::Text(q.body),
                        Cell::Text(q.status),
                        Cell::Int(q.wanted),
                        Cell::time(Some(q.created_at), offset),
                        Cell::time(q.received_at, offset),
                        Cell::time(q.due_at, offset),
                        Cell::time(q.first_answered_at, offset),
                    ];
                    w.row(&cells, None).await?;
                }
                Ok::<_, Error>(())
            })?;
        }
        Dataset::Answers => {
            with_db!(&svc.db, p => {
                let mut rows = sqlx::query_as::<_, AnswerOut>(
                    "SELECT a.id, a.question_id, d.code AS department, a.body, a.received_at, a.due_at, a.created_at, a.edited_at \
                     FROM answers a JOIN questions q ON q.id = a.question_id JOIN departments d ON d.id = a.department_id \
                     WHERE q.visibility = 'visible' AND ($1 = 0 OR a.department_id = $1) AND a.created_at >= $2 AND a.created_at < $3 \
                     ORDER BY a.id",
                )
                .bind(only).bind(from).bind(to).fetch(p);
                while let Some(a) = rows.try_next().await? {
                    let cells = [
                        Cell::Int(a.id),
                        Cell::Int(a.question_id),
                        Cell::Text(a.department),
                        Cell::Text(a.body),
                        Cell::time(Some(a.received_at), offset),
                        Cell::time(Some(a.due_at), offset),
                        Cell::time(Some(a.created_at), offset),
                        Cell::time(a.edited_at, offset),
                        Cell::Bool(a.created_at <= a.due_at),
                    ];
                    w.row(&cells, None).await?;
                }
                Ok::<_, Error>(())
            })?;
        }
        Dataset::Ratings | Dataset::Results => {
            // Aggregates are small (months × departments): read them whole, from the same
            // counts as the results page, after counting what changed.
            crate::stats::drain(svc, 100_000).await?;
            let (m_from, m_to) = months(scope);
            let rows: Vec<AggRow> = with_db!(&svc.db, p => sqlx::query_as(
                "SELECT s.month, s.department_id, d.code, s.dim, s.item, s.metric, CAST(SUM(s.value) AS BIGINT) FROM stats_cells s \
                 LEFT JOIN departments d ON d.id = s.department_id \
                 WHERE s.month >= $1 AND s.month <= $2 AND ($3 = 0 OR s.department_id = $3) AND s.dim <> 'day' AND s.dim <> 'category' AND s.dim <> 'grid' \
                 GROUP BY s.month, s.department_id, d.code, s.dim, s.item, s.metric ORDER BY s.month, s.department_id")
                .bind(&m_from).bind(&m_to).bind(only).fetch_all(p).await)?;
            if dataset == Dataset::Ratings {
                write_ratings(&mut w, rows).await?;
            } else {
                write_results(&mut w, rows).await?;
            }
        }
    }
    w.finish().await
}

/// A summed count: month, department id and code, dimension, item, metric, value.
type AggRow = (String, i64, Option<String>, String, i64, String, i64);
/// A department's code and its counts by level.
type LevelTally = (Option<String>, BTreeMap<String, i64>);

async fn write_ratings(w: &mut Writer<'_>, rows: Vec<AggRow>) -> Result<(), Error> {
    let mut by: BTreeMap<(String, i64, i64), LevelTally> = BTreeMap::new();
    for (month, d, code, dim, item, metric, v) in rows {
        if dim == "rating" {
            let e = by
                .entry((month, d, item))
                .or_insert((code, BTreeMap::new()));
            *e.1.entry(metric).or_insert(0) += v;
        }
    }
    for ((month, _, item), (code, levels)) in by {
        let subject = [Subject::Report, Subject::Answer, Subject::Service]
            .into_iter()
            .find(|s| subject_item(*s) == item)
            .map(|s| s.as_str())
            .unwrap_or("");
        let total: i64 = levels.values().sum();
        if total == 0 {
            continue;
        }
        let mut cells = vec![
            Cell::Text(month),
            Cell::text(code),
            Cell::Text(subject.into()),
        ];
        for l in Level::ALL {
            cells.push(Cell::Int(levels.get(l.as_str()).copied().unwrap_or(0)));
        }
        cells.push(Cell::Int(total));
        let satisfied = crate::model::stats::satisfied_in(&levels);
        cells.push(Cell::Num(
            (satisfied as f64 / total as f64 * 10_000.0).round() / 10_000.0,
        ));
        w.row(&cells, None).await?;
    }
    Ok(())
}

async fn write_results(w: &mut Writer<'_>, rows: Vec<AggRow>) -> Result<(), Error> {
    #[derive(Default)]
    struct M {
        code: Option<String>,
        counts: BTreeMap<String, i64>,
        close: BTreeMap<i64, i64>,
        answer: BTreeMap<i64, i64>,
    }
    let mut by: BTreeMap<(String, i64), M> = BTreeMap::new();
    // Department 0 holds the questions no department has yet (a row with no code).
    for (month, d, code, dim, item, metric, v) in rows {
        let m = by.entry((month, d)).or_default();
        m.code = code;
        match dim.as_str() {
            "all" => *m.counts.entry(metric).or_insert(0) += v,
            "close_time" => *m.close.entry(item).or_insert(0) += v,
            "answer_time" => *m.answer.entry(item).or_insert(0) += v,
            _ => {}
        }
    }
    let secs = |p: Option<Option<i64>>| match p {
        Some(Some(s)) => Cell::Int(s),
        _ => Cell::Null,
    };
    for ((month, _), m) in by {
        let c = |k: &str| Cell::Int(m.counts.get(k).copied().unwrap_or(0));
        let cells = [
            Cell::Text(month),
            Cell::text(m.code.clone()),
            c("received"),
            c("closed"),
            c("closed_on_time"),
            secs(percentile(&m.close, 0.5)),
            secs(percentile(&m.close, 0.9)),
            c("rect_opened"),
            c("rect_done"),
            c("rect_done_on_time"),
            c("asked"),
            c("answered"),
            c("answered_on_time"),
            secs(percentile(&m.answer, 0.5)),
        ];
        w.row(&cells, None).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(c: Cell) -> String {
        let mut s = String::new();
        csv_field(&c, &mut s);
        s
    }

    #[test]
    fn csv_quotes_what_it_must_and_defuses_formulas() {
        assert_eq!(csv(Cell::Text("路灯不亮".into())), "路灯不亮");
        assert_eq!(csv(Cell::Text("a,b".into())), "\"a,b\"");
        assert_eq!(csv(Cell::Text("say \"hi\"".into())), "\"say \"\"hi\"\"\"");
        assert_eq!(csv(Cell::Text("line\nbreak".into())), "\"line\nbreak\"");
        assert_eq!(
            csv(Cell::Text("=HYPERLINK(\"x\")".into())),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(csv(Cell::Int(-3)), "-3");
        assert_eq!(csv(Cell::Null), "");
        assert_eq!(csv(Cell::Bool(true)), "true");
    }

    #[test]
    fn times_carry_the_city_offset() {
        let t = DateTime::parse_from_rfc3339("2026-11-27T01:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(iso(t, 480), "2026-11-27T09:30:00+08:00");
        assert_eq!(iso(t, 0), "2026-11-27T01:30:00+00:00");
    }
}
