//! Accountability: for each department, the public questions it received, how many it
//! answered and how many on time, how many are overdue now, the median time it took to
//! answer, and the askers' ratings of its answers.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::error::Error;
use crate::model::question::DepartmentFigures;
use crate::model::rating::Level;
use crate::time::now;
use crate::{with_db, Services};

/// The median of some durations in seconds (the lower middle of an even count).
pub fn median(mut secs: Vec<i64>) -> Option<i64> {
    if secs.is_empty() {
        return None;
    }
    secs.sort_unstable();
    Some(secs[(secs.len() - 1) / 2])
}

/// Every department's figures, in department order (departments without questions too).
pub async fn all(svc: &Services) -> Result<Vec<DepartmentFigures>, Error> {
    figures(svc, None).await
}

/// One department's figures.
pub async fn department(svc: &Services, department_id: i64) -> Result<DepartmentFigures, Error> {
    Ok(figures(svc, Some(department_id))
        .await?
        .into_iter()
        .next()
        .unwrap_or(DepartmentFigures {
            department_id,
            ..Default::default()
        }))
}

async fn figures(svc: &Services, only: Option<i64>) -> Result<Vec<DepartmentFigures>, Error> {
    let t = now();
    let only = only.unwrap_or(0);
    type Counts = (i64, i64, i64, i64);
    // An answer's department, when the question reached it, its deadline, and the answer's time.
    type AnswerClock = (i64, DateTime<Utc>, DateTime<Utc>, DateTime<Utc>);
    type Rows = (Vec<i64>, Vec<Counts>, Vec<AnswerClock>, Vec<(i64, String)>);
    let (departments, counts, answers, ratings): Rows = with_db!(&svc.db, p => async {
            let departments = sqlx::query_scalar("SELECT id FROM departments WHERE ($1 = 0 OR id = $1) ORDER BY id")
                .bind(only).fetch_all(p).await?;
            // Questions the public sees, by the department they are with.
            let counts = sqlx::query_as(
                "SELECT department_id, count(*), \
                 SUM(CASE WHEN status = 'answered' THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN status <> 'answered' AND due_at < $2 THEN 1 ELSE 0 END) \
                 FROM questions WHERE visibility = 'visible' AND department_id IS NOT NULL AND ($1 = 0 OR department_id = $1) \
                 GROUP BY department_id",
            )
            .bind(only).bind(t).fetch_all(p).await?;
            // Every answer of a public question, with the clock it ran against.
            let answers = sqlx::query_as(
                "SELECT a.department_id, a.received_at, a.due_at, a.created_at FROM answers a \
                 JOIN questions q ON q.id = a.question_id WHERE q.visibility = 'visible' AND ($1 = 0 OR a.department_id = $1)",
            )
            .bind(only).fetch_all(p).await?;
            let ratings = sqlx::query_as(
                "SELECT g.department_id, g.level FROM ratings g JOIN answers a ON a.id = g.subject_id \
                 JOIN questions q ON q.id = a.question_id \
                 WHERE g.subject_kind = 'answer' AND q.visibility = 'visible' AND ($1 = 0 OR g.department_id = $1)",
            )
            .bind(only).fetch_all(p).await?;
            Ok::<_, sqlx::Error>((departments, counts, answers, ratings))
        }.await)?;
    let mut by: BTreeMap<i64, DepartmentFigures> = departments
        .into_iter()
        .map(|d| {
            (
                d,
                DepartmentFigures {
                    department_id: d,
                    ..Default::default()
                },
            )
        })
        .collect();
    for (d, received, answered, overdue) in counts {
        if let Some(f) = by.get_mut(&d) {
            f.received = received;
            f.answered = answered;
            f.overdue = overdue;
        }
    }
    let mut times: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (d, received, due, answered) in answers {
        if let Some(f) = by.get_mut(&d) {
            if answered <= due {
                f.answered_on_time += 1;
            }
            times
                .entry(d)
                .or_default()
                .push((answered - received).num_seconds().max(0));
        }
    }
    for (d, secs) in times {
        if let Some(f) = by.get_mut(&d) {
            f.median_answer_secs = median(secs);
        }
    }
    let mut scores: BTreeMap<i64, (i64, i64, i64)> = BTreeMap::new();
    for (d, level) in ratings {
        if let Some(l) = Level::parse(&level) {
            let e = scores.entry(d).or_default();
            e.0 += 1;
            e.1 += l.score();
            e.2 += i64::from(l.satisfied());
        }
    }
    for (d, (n, sum, satisfied)) in scores {
        if let Some(f) = by.get_mut(&d) {
            f.ratings = n;
            f.average_rating = Some(sum as f64 / n as f64);
            f.satisfied_share = Some(satisfied as f64 / n as f64);
        }
    }
    Ok(by.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_takes_the_lower_middle() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![7]), Some(7));
        assert_eq!(median(vec![30, 10, 20]), Some(20));
        assert_eq!(median(vec![40, 10, 30, 20]), Some(20));
    }
}
