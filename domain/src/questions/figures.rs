//! Accountability: for each department, the public questions it received, how many it
//! answered (first answers) and how many on time, how many are overdue now, the median
//! time to the first answer (as the results page counts it, in duration classes), and the
//! askers' ratings of its answers. All but "overdue now" come from the published counts
//! ([`crate::stats`]), so department pages, the results page and open data agree.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::model::question::DepartmentFigures;
use crate::model::rating::Level;
use crate::model::stats::{satisfied_in, Figures};
use crate::time::now;
use crate::{with_db, Services};

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
    // The same counts as the results page and open data (all time), so that every page
    // agrees; only "overdue now" is read here.
    let results = crate::stats::results(svc, None, only).await?;
    let t = now();
    let only = only.unwrap_or(0);
    type Rows = (Vec<i64>, Vec<(i64, i64)>);
    let (departments, overdue): Rows = with_db!(&svc.db, p => async {
            let departments = sqlx::query_scalar("SELECT id FROM departments WHERE ($1 = 0 OR id = $1) ORDER BY id")
                .bind(only).fetch_all(p).await?;
            let overdue = sqlx::query_as(
                "SELECT department_id, count(*) FROM questions \
                 WHERE visibility = 'visible' AND department_id IS NOT NULL AND ($1 = 0 OR department_id = $1) \
                 AND status <> 'answered' AND due_at < $2 GROUP BY department_id",
            )
            .bind(only).bind(t).fetch_all(p).await?;
            Ok::<_, sqlx::Error>((departments, overdue))
        }.await)?;
    let by: BTreeMap<i64, &Figures> = results.departments.iter().map(|(d, f)| (*d, f)).collect();
    let overdue: BTreeMap<i64, i64> = overdue.into_iter().collect();
    Ok(departments
        .into_iter()
        .map(|d| {
            let mut out = DepartmentFigures {
                department_id: d,
                overdue: overdue.get(&d).copied().unwrap_or(0),
                ..Default::default()
            };
            if let Some(f) = by.get(&d) {
                out.received = f.asked;
                out.answered = f.answered;
                out.answered_on_time = f.answered_on_time;
                // "Longer than 368 days" is shown as 368 days.
                out.median_answer_secs = f.answer_median.map(|m| m.unwrap_or(368 * 86_400));
                let levels = f
                    .ratings_by_subject
                    .get("answer")
                    .cloned()
                    .unwrap_or_default();
                let n: i64 = levels.values().sum();
                if n > 0 {
                    let sum: i64 = levels
                        .iter()
                        .filter_map(|(l, c)| Level::parse(l).map(|l| l.score() * c))
                        .sum();
                    out.ratings = n;
                    out.average_rating = Some(sum as f64 / n as f64);
                    out.satisfied_share = Some(satisfied_in(&levels) as f64 / n as f64);
                }
            }
            out
        })
        .collect())
}
