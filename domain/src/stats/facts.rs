//! What one subject (a report, a public question with its first answer, the ratings of a
//! report or one rating of an answer or a service, a rectification) adds to the counts, as
//! plain rows in and counts out; and the compact form in which a subject's rows are kept
//! (stats_facts) so that what it added before can be taken away when it changes.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::model::rating::{Level, Subject};
use crate::model::stats::{class_of, subject_item};

/// A count's place: month (`YYYY-MM`), department (0: none), dimension, item, metric.
pub type Key = (String, i64, String, i64, String);
/// The counts a subject adds.
pub type Counts = BTreeMap<Key, i64>;

#[derive(Debug, sqlx::FromRow)]
pub struct ReportRow {
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub due_at: DateTime<Utc>,
    pub status: String,
    pub department_id: i64,
    pub category_id: i64,
    pub grid_id: Option<i64>,
}

/// A report's row with its id, as a batch reads them.
#[derive(Debug, sqlx::FromRow)]
pub struct NumberedReport {
    pub id: i64,
    #[sqlx(flatten)]
    pub row: ReportRow,
}

#[derive(Debug, sqlx::FromRow)]
pub struct QuestionRow {
    pub created_at: DateTime<Utc>,
    pub department_id: Option<i64>,
    pub visibility: String,
}

#[derive(Debug, sqlx::FromRow)]
pub struct AnswerRow {
    pub department_id: i64,
    pub received_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, sqlx::FromRow)]
pub struct RatingRow {
    pub subject_kind: String,
    pub rater_key: String,
    pub reference: String,
    pub round: i64,
    pub department_id: Option<i64>,
    pub level: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, sqlx::FromRow)]
pub struct RectificationRow {
    pub department_id: i64,
    pub created_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
}

/// A subject as read from the tables (`None`: it no longer exists or no longer counts).
#[derive(Debug)]
pub enum Fact {
    Report(Option<ReportRow>),
    Question(Option<QuestionRow>, Option<AnswerRow>),
    Ratings(Subject, Vec<RatingRow>),
    Rectification(Option<RectificationRow>),
}

fn local(t: DateTime<Utc>, offset: i32) -> NaiveDate {
    (t + Duration::minutes(i64::from(offset))).date_naive()
}

fn month(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

struct Adder<'a> {
    out: &'a mut Counts,
    offset: i32,
}

impl Adder<'_> {
    /// Adds one to `metric` of `dim`/`item` in the month of `at` for `department`.
    fn add(&mut self, at: DateTime<Utc>, department: i64, dim: &str, item: i64, metric: &str) {
        let d = local(at, self.offset);
        *self
            .out
            .entry((month(d), department, dim.into(), item, metric.into()))
            .or_insert(0) += 1;
    }

    /// Adds one to `metric` for the whole and for the day of the month of `at`.
    fn add_daily(&mut self, at: DateTime<Utc>, department: i64, metric: &str) {
        let day = i64::from(local(at, self.offset).day());
        self.add(at, department, "all", 0, metric);
        self.add(at, department, "day", day, metric);
    }
}

/// The counts a subject adds, with local months and days at `offset` minutes east of UTC.
pub fn counts(fact: &Fact, offset: i32) -> Counts {
    let mut out = Counts::new();
    let mut a = Adder {
        out: &mut out,
        offset,
    };
    match fact {
        Fact::Report(Some(r)) => {
            let d = r.department_id;
            let grid = r.grid_id.unwrap_or(0);
            a.add_daily(r.created_at, d, "received");
            a.add(r.created_at, d, "category", r.category_id, "received");
            a.add(r.created_at, d, "grid", grid, "received");
            if let (Some(closed), "closed") = (r.closed_at, r.status.as_str()) {
                a.add_daily(closed, d, "closed");
                a.add(closed, d, "category", r.category_id, "closed");
                a.add(closed, d, "grid", grid, "closed");
                a.add(
                    closed,
                    d,
                    "close_time",
                    class_of((closed - r.created_at).num_seconds()),
                    "n",
                );
                if closed <= r.due_at {
                    a.add(closed, d, "all", 0, "closed_on_time");
                    a.add(closed, d, "category", r.category_id, "closed_on_time");
                }
            }
        }
        Fact::Question(Some(q), answer) => {
            if q.visibility == "visible" {
                // A question waiting to be routed counts city-wide (department 0).
                a.add_daily(q.created_at, q.department_id.unwrap_or(0), "asked");
                if let Some(ans) = answer {
                    let ad = ans.department_id;
                    a.add_daily(ans.created_at, ad, "answered");
                    let secs = (ans.created_at - ans.received_at).num_seconds();
                    a.add(ans.created_at, ad, "answer_time", class_of(secs), "n");
                    if ans.created_at <= ans.due_at {
                        a.add(ans.created_at, ad, "all", 0, "answered_on_time");
                    }
                }
            }
        }
        Fact::Ratings(subject, rows) => {
            // Each rater's newest round (per reference number, for services) is what counts.
            let mut newest: BTreeMap<(&str, &str), &RatingRow> = BTreeMap::new();
            for r in rows {
                let e = newest
                    .entry((r.rater_key.as_str(), r.reference.as_str()))
                    .or_insert(r);
                if r.round > e.round {
                    *e = r;
                }
            }
            for r in newest.values() {
                if let Some(level) = Level::parse(&r.level) {
                    let d = r.department_id.unwrap_or(0);
                    a.add(
                        r.created_at,
                        d,
                        "rating",
                        subject_item(*subject),
                        level.as_str(),
                    );
                }
            }
        }
        Fact::Rectification(Some(r)) => {
            let d = r.department_id;
            a.add(r.created_at, d, "all", 0, "rect_opened");
            if let Some(done) = r.done_at {
                a.add(done, d, "all", 0, "rect_done");
                if done <= r.due_at {
                    a.add(done, d, "all", 0, "rect_done_on_time");
                }
            }
        }
        Fact::Report(None) | Fact::Question(None, _) | Fact::Rectification(None) => {}
    }
    out
}

fn us(t: DateTime<Utc>) -> String {
    t.timestamp_micros().to_string()
}

fn opt_us(t: Option<DateTime<Utc>>) -> String {
    t.map(us).unwrap_or_else(|| "-".into())
}

fn opt_i(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "-".into())
}

/// Text kept in a tab-separated line (tabs and line breaks become spaces).
fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// The compact stored form of a subject's rows: one tab-separated line per row, times in
/// microseconds. Empty when the subject adds nothing.
pub fn encode(fact: &Fact) -> String {
    match fact {
        Fact::Report(Some(r)) => format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            us(r.created_at),
            opt_us(r.closed_at),
            us(r.due_at),
            clean(&r.status),
            r.department_id,
            r.category_id,
            opt_i(r.grid_id)
        ),
        Fact::Question(Some(q), a) => {
            let mut s = format!(
                "{}\t{}\t{}",
                us(q.created_at),
                opt_i(q.department_id),
                clean(&q.visibility)
            );
            if let Some(a) = a {
                s.push_str(&format!(
                    "\n{}\t{}\t{}\t{}",
                    a.department_id,
                    us(a.received_at),
                    us(a.due_at),
                    us(a.created_at)
                ));
            }
            s
        }
        Fact::Ratings(_, rows) => rows
            .iter()
            .map(|r| {
                format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    clean(&r.subject_kind),
                    clean(&r.rater_key),
                    clean(&r.reference),
                    r.round,
                    opt_i(r.department_id),
                    clean(&r.level),
                    us(r.created_at)
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Fact::Rectification(Some(r)) => format!(
            "{}\t{}\t{}\t{}",
            r.department_id,
            us(r.created_at),
            us(r.due_at),
            opt_us(r.done_at)
        ),
        Fact::Report(None) | Fact::Question(None, _) | Fact::Rectification(None) => String::new(),
    }
}

fn t_of(s: &str) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_micros(s.parse().ok()?)
}

fn ot_of(s: &str) -> Option<Option<DateTime<Utc>>> {
    if s == "-" {
        Some(None)
    } else {
        t_of(s).map(Some)
    }
}

fn oi_of(s: &str) -> Option<Option<i64>> {
    if s == "-" {
        Some(None)
    } else {
        s.parse().ok().map(Some)
    }
}

/// Reads [`encode`]'s form back for a subject of `kind`; `None` when it cannot be read.
pub fn decode(kind: &str, s: &str) -> Option<Fact> {
    let lines: Vec<Vec<&str>> = s.lines().map(|l| l.split('\t').collect()).collect();
    match kind {
        "report" => {
            let Some([c, x, d, st, dep, cat, g]) = lines.first().map(|l| l.as_slice()) else {
                return None;
            };
            Some(Fact::Report(Some(ReportRow {
                created_at: t_of(c)?,
                closed_at: ot_of(x)?,
                due_at: t_of(d)?,
                status: st.to_string(),
                department_id: dep.parse().ok()?,
                category_id: cat.parse().ok()?,
                grid_id: oi_of(g)?,
            })))
        }
        "question" => {
            let Some([c, dep, vis]) = lines.first().map(|l| l.as_slice()) else {
                return None;
            };
            let q = QuestionRow {
                created_at: t_of(c)?,
                department_id: oi_of(dep)?,
                visibility: vis.to_string(),
            };
            let a = match lines.get(1).map(|l| l.as_slice()) {
                Some([dep, r, d, c]) => Some(AnswerRow {
                    department_id: dep.parse().ok()?,
                    received_at: t_of(r)?,
                    due_at: t_of(d)?,
                    created_at: t_of(c)?,
                }),
                _ => None,
            };
            Some(Fact::Question(Some(q), a))
        }
        "rectification" => {
            let Some([dep, c, d, done]) = lines.first().map(|l| l.as_slice()) else {
                return None;
            };
            Some(Fact::Rectification(Some(RectificationRow {
                department_id: dep.parse().ok()?,
                created_at: t_of(c)?,
                due_at: t_of(d)?,
                done_at: ot_of(done)?,
            })))
        }
        _ => {
            let mut rows = Vec::new();
            for l in &lines {
                let [sk, key, reference, round, dep, level, c] = l.as_slice() else {
                    return None;
                };
                rows.push(RatingRow {
                    subject_kind: sk.to_string(),
                    rater_key: key.to_string(),
                    reference: reference.to_string(),
                    round: round.parse().ok()?,
                    department_id: oi_of(dep)?,
                    level: level.to_string(),
                    created_at: t_of(c)?,
                });
            }
            let subject = rows
                .first()
                .and_then(|r| subject_of(&r.subject_kind))
                .unwrap_or(Subject::Report);
            Some(Fact::Ratings(subject, rows))
        }
    }
}

/// A rated subject's kind from its stored name.
pub fn subject_of(s: &str) -> Option<Subject> {
    [Subject::Report, Subject::Answer, Subject::Service]
        .into_iter()
        .find(|x| x.as_str() == s)
}

/// What to add to the counts to go from `old` to `new` (non-zero changes only).
pub fn diff(old: &Counts, new: &Counts) -> Counts {
    let mut out = Counts::new();
    for (k, v) in new {
        *out.entry(k.clone()).or_insert(0) += v;
    }
    for (k, v) in old {
        *out.entry(k.clone()).or_insert(0) -= v;
    }
    out.retain(|_, v| *v != 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn get(c: &Counts, month: &str, dim: &str, item: i64, metric: &str) -> i64 {
        c.iter()
            .filter(|((m, _, di, it, me), _)| {
                m == month && di == dim && *it == item && me == metric
            })
            .map(|(_, v)| v)
            .sum()
    }

    #[test]
    fn a_report_counts_by_the_city_local_month() {
        // 2026-01-31 20:00 UTC is 2026-02-01 04:00 in China (UTC+8).
        let r = ReportRow {
            created_at: t(2026, 1, 31, 20),
            closed_at: Some(t(2026, 2, 3, 20)),
            due_at: t(2026, 2, 10, 0),
            status: "closed".into(),
            department_id: 3,
            category_id: 7,
            grid_id: None,
        };
        let c = counts(&Fact::Report(Some(r)), 480);
        assert_eq!(get(&c, "2026-02", "all", 0, "received"), 1);
        assert_eq!(get(&c, "2026-02", "day", 1, "received"), 1);
        assert_eq!(get(&c, "2026-02", "day", 4, "closed"), 1);
        assert_eq!(get(&c, "2026-02", "all", 0, "closed_on_time"), 1);
        assert_eq!(
            get(&c, "2026-02", "close_time", class_of(3 * 86400), "n"),
            1
        );
        assert_eq!(get(&c, "2026-02", "grid", 0, "received"), 1);
        // In UTC the same report was received in January.
        let r = ReportRow {
            created_at: t(2026, 1, 31, 20),
            closed_at: None,
            due_at: t(2026, 2, 10, 0),
            status: "reopened".into(),
            department_id: 3,
            category_id: 7,
            grid_id: Some(2),
        };
        let c = counts(&Fact::Report(Some(r)), 0);
        assert_eq!(get(&c, "2026-01", "all", 0, "received"), 1);
        assert_eq!(get(&c, "2026-01", "all", 0, "closed"), 0);
    }

    #[test]
    fn the_newest_round_of_each_rater_counts() {
        let row = |key: &str, round, level: &str| RatingRow {
            subject_kind: "report".into(),
            rater_key: key.into(),
            reference: String::new(),
            round,
            department_id: Some(3),
            level: level.into(),
            created_at: t(2026, 3, 1, 0),
        };
        let fact = Fact::Ratings(
            Subject::Report,
            vec![
                row("u1", 1, "very_dissatisfied"),
                row("u1", 2, "satisfied"),
                row("u2", 1, "basic"),
            ],
        );
        let c = counts(&fact, 480);
        assert_eq!(get(&c, "2026-03", "rating", 1, "very_dissatisfied"), 0);
        assert_eq!(get(&c, "2026-03", "rating", 1, "satisfied"), 1);
        assert_eq!(get(&c, "2026-03", "rating", 1, "basic"), 1);
    }

    #[test]
    fn counts_survive_storage_and_differences_are_exact() {
        let r = |status: &str| ReportRow {
            created_at: t(2026, 5, 1, 0),
            closed_at: Some(t(2026, 5, 2, 0)),
            due_at: t(2026, 5, 3, 0),
            status: status.into(),
            department_id: 1,
            category_id: 2,
            grid_id: Some(4),
        };
        let fact = Fact::Report(Some(r("closed")));
        let closed = counts(&fact, 480);
        let stored = encode(&fact);
        assert!(stored.len() < 80, "{stored}");
        assert_eq!(counts(&decode("report", &stored).unwrap(), 480), closed);
        let q = Fact::Question(
            Some(QuestionRow {
                created_at: t(2026, 5, 1, 0),
                department_id: Some(2),
                visibility: "visible".into(),
            }),
            Some(AnswerRow {
                department_id: 2,
                received_at: t(2026, 5, 1, 0),
                due_at: t(2026, 5, 8, 0),
                created_at: t(2026, 5, 3, 0),
            }),
        );
        assert_eq!(
            counts(&decode("question", &encode(&q)).unwrap(), 480),
            counts(&q, 480)
        );
        let g = Fact::Ratings(
            Subject::Service,
            vec![RatingRow {
                subject_kind: "service".into(),
                rater_key: "u\t1".into(),
                reference: "A-1".into(),
                round: 1,
                department_id: None,
                level: "basic".into(),
                created_at: t(2026, 5, 2, 0),
            }],
        );
        assert_eq!(
            counts(&decode("rating", &encode(&g)).unwrap(), 480),
            counts(&g, 480)
        );
        assert!(decode("report", "garbage").is_none());
        let reopened = counts(&Fact::Report(Some(r("reopened"))), 480);
        let d = diff(&closed, &reopened);
        assert!(d.values().all(|v| *v == -1));
        assert_eq!(get(&d, "2026-05", "all", 0, "closed"), -1);
        assert_eq!(get(&d, "2026-05", "all", 0, "received"), 0);
        assert!(diff(&closed, &closed).is_empty());
    }
}
