//! Published results on both backends, on a hand-built data set with known answers: the
//! city's local months (a report made just after midnight local time is the next month's
//! in UTC's eyes), reports closed again after reopening (counted when they close again,
//! not before), empty periods, medians and 90th percentiles, on-time shares, ratings
//! (a rater's newest round counts), rectifications, questions; counts follow changes
//! made through any code path, and are made again when the city's UTC offset changes.

use crate::common::{department, TestApp};
use chrono::{DateTime, Duration, TimeZone, Utc};
use gongzhi_domain::model::stats::{Month, Period};
use gongzhi_domain::{stats, with_db, Services};

on_both_backends!(
    each_statistic_has_its_known_answer,
    a_changed_offset_counts_again,
);

const H: i64 = 3600;
const D: i64 = 24 * H;

fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

fn months(from: &str, to: &str) -> Option<Period> {
    Some(Period {
        from: Month::parse(from).unwrap(),
        to: Month::parse(to).unwrap(),
    })
}

async fn sql(svc: &Services, q: &str, binds: &[&(dyn ToBind + Sync)]) {
    with_db!(&svc.db, p => {
        let mut query = sqlx::query(q);
        for b in binds {
            query = match b.value() {
                Val::I(i) => query.bind(i),
                Val::T(t) => query.bind(t),
                Val::OT(t) => query.bind(t),
                Val::S(s) => query.bind(s),
            };
        }
        query.execute(p).await.map(|r| r.rows_affected())
    })
    .unwrap_or_else(|e| panic!("{q}: {e}"));
}

enum Val {
    I(i64),
    T(DateTime<Utc>),
    OT(Option<DateTime<Utc>>),
    S(String),
}
trait ToBind {
    fn value(&self) -> Val;
}
impl ToBind for i64 {
    fn value(&self) -> Val {
        Val::I(*self)
    }
}
impl ToBind for DateTime<Utc> {
    fn value(&self) -> Val {
        Val::T(*self)
    }
}
impl ToBind for Option<DateTime<Utc>> {
    fn value(&self) -> Val {
        Val::OT(*self)
    }
}
impl ToBind for &str {
    fn value(&self) -> Val {
        Val::S(self.to_string())
    }
}

/// A report written directly, with the times a test wants; returns its id.
async fn report(
    svc: &Services,
    department: i64,
    category: i64,
    created: DateTime<Utc>,
    due: DateTime<Utc>,
    closed: Option<DateTime<Utc>>,
) -> i64 {
    let status = if closed.is_some() {
        "closed"
    } else {
        "accepted"
    };
    let token = format!("stats-{}-{}", created.timestamp(), rand_suffix());
    with_db!(&svc.db, p => sqlx::query_scalar(
        "INSERT INTO reports (category_id, department_id, status, description, lat, lon, submit_token, due_at, closed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, 'hand-built', 22.8, 108.3, $4, $5, $6, $7, $7) RETURNING id")
        .bind(category).bind(department).bind(status).bind(&token).bind(due).bind(closed).bind(created)
        .fetch_one(p).await)
    .expect("report")
}

fn rand_suffix() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    N.fetch_add(1, Ordering::SeqCst)
}

async fn category(svc: &Services, code: &str) -> i64 {
    with_db!(&svc.db, p => sqlx::query_scalar("SELECT id FROM categories WHERE code = $1").bind(code).fetch_one(p).await)
        .expect("category")
}

async fn each_statistic_has_its_known_answer(app: &TestApp) {
    let svc = app.demo().await;
    let a = department(&svc, "cgj").await;
    let b = department(&svc, "jtj").await;
    let graffiti = category(&svc, "graffiti").await;

    // An empty period: nothing counted, no medians, every week shown with zeros.
    let empty = stats::results(&svc, months("2031-06", "2031-07"), None)
        .await
        .unwrap();
    assert_eq!(empty.figures.received, 0);
    assert_eq!(empty.figures.closed, 0);
    assert_eq!(empty.figures.close_median, None);
    assert_eq!(empty.figures.on_time_rate(), None);
    assert_eq!(empty.figures.satisfaction_rate(), None);
    assert_eq!(
        empty.weeks.len(),
        10,
        "the weeks touching June and July 2031"
    );
    assert!(empty.weeks.iter().all(|w| w.received == 0));

    // R1: made at 02:00 on 1 March local time (18:00 on 28 February UTC), closed three
    // hours later, on time.
    let r1_made = utc(2031, 2, 28, 18);
    let r1 = report(
        &svc,
        a,
        graffiti,
        r1_made,
        r1_made + Duration::days(5),
        Some(r1_made + Duration::hours(3)),
    )
    .await;
    // R2: made 10 March, closed five days later, two days late.
    let r2_made = utc(2031, 3, 10, 0);
    let r2 = report(
        &svc,
        a,
        graffiti,
        r2_made,
        r2_made + Duration::days(3),
        Some(r2_made + Duration::days(5)),
    )
    .await;
    // R3: made 20 March, closed 22 March, reopened, closed again on 2 April (late).
    let r3_made = utc(2031, 3, 20, 0);
    let r3 = report(
        &svc,
        a,
        graffiti,
        r3_made,
        r3_made + Duration::days(5),
        Some(utc(2031, 3, 22, 0)),
    )
    .await;
    // R4: the transport bureau's, made 5 April, still open.
    report(
        &svc,
        b,
        graffiti,
        utc(2031, 4, 5, 0),
        utc(2031, 4, 10, 0),
        None,
    )
    .await;

    // Before the reopening, March has three closings.
    let march = stats::results(&svc, months("2031-03", "2031-03"), None)
        .await
        .unwrap();
    assert_eq!(march.figures.closed, 3);
    sql(
        &svc,
        "UPDATE reports SET status = 'reopened', closed_at = NULL WHERE id = $1",
        &[&r3],
    )
    .await;
    let march = stats::results(&svc, months("2031-03", "2031-03"), None)
        .await
        .unwrap();
    assert_eq!(
        march.figures.closed, 2,
        "a reopened report is no longer closed"
    );
    let r3_closed = Some(utc(2031, 4, 2, 0));
    sql(
        &svc,
        "UPDATE reports SET status = 'closed', closed_at = $1 WHERE id = $2",
        &[&r3_closed, &r3],
    )
    .await;

    // A public question answered in two days, on time; a held one does not count.
    let q_made = utc(2031, 3, 2, 0);
    for (visibility, title) in [("visible", "公开的问题"), ("held", "待审的问题")] {
        let q: i64 = with_db!(&svc.db, p => sqlx::query_scalar(
            "INSERT INTO questions (department_id, title, body, status, received_at, due_at, visibility, created_at, updated_at) \
             VALUES ($1, $2, '', 'answered', $3, $4, $5, $3, $3) RETURNING id")
            .bind(a).bind(title).bind(q_made).bind(q_made + Duration::days(7)).bind(visibility)
            .fetch_one(p).await)
        .unwrap();
        sql(&svc, "INSERT INTO answers (question_id, department_id, body, body_html, received_at, due_at, created_at) \
                   VALUES ($1, $2, 'a', '<p>a</p>', $3, $4, $5)",
            &[&q, &a, &q_made, &(q_made + Duration::days(7)), &(q_made + Duration::days(2))]).await;
    }

    // Ratings: R1's reporter rated 非常不满意, then 满意 after the rectification (the newer
    // round counts); R2's 基本满意; an answer's 不满意.
    let rate = |subject: &'static str,
                id: i64,
                key: &'static str,
                round: i64,
                level: &'static str,
                at: DateTime<Utc>| {
        let svc = svc.clone();
        async move {
            with_db!(&svc.db, p => sqlx::query(
                "INSERT INTO ratings (subject_kind, subject_id, rater_key, department_id, level, round, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
                .bind(subject).bind(id).bind(key).bind(a).bind(level).bind(round).bind(at)
                .execute(p).await.map(|r| r.rows_affected()))
            .unwrap();
        }
    };
    rate(
        "report",
        r1,
        "u1",
        1,
        "very_dissatisfied",
        utc(2031, 3, 2, 0),
    )
    .await;
    rate("report", r1, "u1", 2, "satisfied", utc(2031, 3, 20, 0)).await;
    rate("report", r2, "u2", 1, "basic", utc(2031, 3, 16, 0)).await;
    rate("answer", 1, "u3", 1, "dissatisfied", utc(2031, 3, 5, 0)).await;

    // Rectifications: one done on time in March, one done late in April.
    sql(&svc, "INSERT INTO rectifications (subject_kind, subject_id, round, department_id, due_at, done_at, created_at) \
               VALUES ('report', $1, 1, $2, $3, $4, $5)",
        &[&r1, &a, &utc(2031, 3, 10, 0), &Some(utc(2031, 3, 9, 0)), &utc(2031, 3, 2, 0)]).await;
    sql(&svc, "INSERT INTO rectifications (subject_kind, subject_id, round, department_id, due_at, done_at, created_at) \
               VALUES ('service', 999, 1, $1, $2, $3, $4)",
        &[&a, &utc(2031, 3, 6, 0), &Some(utc(2031, 4, 1, 0)), &utc(2031, 3, 5, 0)]).await;

    // February (local): nothing, though R1 was made in February by UTC.
    let feb = stats::results(&svc, months("2031-02", "2031-02"), None)
        .await
        .unwrap();
    assert_eq!(feb.figures.received, 0);

    let march = stats::results(&svc, months("2031-03", "2031-03"), None)
        .await
        .unwrap();
    let f = &march.figures;
    assert_eq!(f.received, 3);
    assert_eq!(f.closed, 2);
    assert_eq!(f.closed_on_time, 1);
    assert_eq!(f.on_time_rate(), Some(0.5));
    assert_eq!(
        f.close_median,
        Some(Some(3 * H)),
        "the lower middle of 3 hours and 5 days"
    );
    assert_eq!(f.close_p90, Some(Some(5 * D)));
    assert_eq!(f.rated(), 3);
    assert_eq!(f.satisfied(), 2);
    assert_eq!(f.ratings.get("very_dissatisfied"), None);
    assert_eq!(f.ratings_by_subject["answer"]["dissatisfied"], 1);
    assert_eq!(f.rectifications_opened, 2);
    assert_eq!(f.rectifications_done, 1);
    assert_eq!(f.rectifications_done_on_time, 1);
    assert_eq!(f.asked, 1);
    assert_eq!(f.answered, 1);
    assert_eq!(f.answered_on_time, 1);
    assert_eq!(f.answer_median, Some(Some(2 * D)));
    // R1 counts on 1 March, the day it was made in the city.
    let first_week = march
        .weeks
        .iter()
        .find(|w| w.monday.to_string() == "2031-02-24")
        .unwrap();
    assert_eq!(first_week.received, 1);
    assert_eq!(march.weeks.iter().map(|w| w.received).sum::<i64>(), 3);
    assert_eq!(march.weeks.iter().map(|w| w.closed).sum::<i64>(), 2);
    assert_eq!(march.categories.len(), 1);
    assert_eq!(march.categories[0].received, 3);
    assert_eq!(march.grids.iter().map(|g| g.received).sum::<i64>(), 3);

    // March and April for the city: R3's closing after the reopening is April's.
    let spring = stats::results(&svc, months("2031-03", "2031-04"), None)
        .await
        .unwrap();
    let f = &spring.figures;
    assert_eq!((f.received, f.closed, f.closed_on_time), (4, 3, 1));
    assert_eq!(f.close_median, Some(Some(5 * D)));
    assert_eq!(
        f.close_p90,
        Some(Some(13 * D)),
        "R3: made 20 March, closed 2 April"
    );
    assert_eq!(
        (f.rectifications_done, f.rectifications_done_on_time),
        (2, 1)
    );
    assert_eq!(spring.departments.len(), 2);
    let only_a = &spring.departments.iter().find(|(d, _)| *d == a).unwrap().1;
    assert_eq!((only_a.received, only_a.closed), (3, 3));

    // One department: the transport bureau's open report, nothing closed.
    let jtj = stats::results(&svc, months("2031-03", "2031-04"), Some(b))
        .await
        .unwrap();
    assert_eq!((jtj.figures.received, jtj.figures.closed), (1, 0));
    assert_eq!(jtj.figures.close_median, None);
    assert_eq!(jtj.figures.rated(), 0);
    assert_eq!(jtj.departments.len(), 1);

    // A hand-over moves the report's counts to the new department.
    sql(
        &svc,
        "UPDATE reports SET department_id = $1 WHERE id = $2",
        &[&b, &r1],
    )
    .await;
    let jtj = stats::results(&svc, months("2031-03", "2031-04"), Some(b))
        .await
        .unwrap();
    assert_eq!((jtj.figures.received, jtj.figures.closed), (2, 1));

    // Nothing is left uncounted, and counting everything again from nothing agrees.
    assert_eq!(jtj.pending, 0);
    let before = stats::results(&svc, None, None).await.unwrap();
    let mut other = svc.clone();
    other.reports.utc_offset_minutes = 0;
    stats::ensure(&other).await.unwrap();
    stats::ensure(&svc).await.unwrap();
    let again = stats::results(&svc, None, None).await.unwrap();
    assert_eq!(before.figures, again.figures);
    assert_eq!(before.departments, again.departments);
    // Counted from scratch, a change is still counted as a difference from the kept rows.
    sql(
        &svc,
        "UPDATE reports SET status = 'reopened', closed_at = NULL WHERE id = $1",
        &[&r2],
    )
    .await;
    let after = stats::results(&svc, None, None).await.unwrap();
    assert_eq!(after.figures.closed, again.figures.closed - 1);
    assert_eq!(after.figures.received, again.figures.received);
    assert!(stats::rebuild(&svc).await.unwrap() > 0);
    assert_eq!(
        stats::results(&svc, None, None).await.unwrap().figures,
        after.figures
    );
}

async fn a_changed_offset_counts_again(app: &TestApp) {
    let svc = app.demo().await;
    let a = department(&svc, "cgj").await;
    let graffiti = category(&svc, "graffiti").await;
    let made = utc(2031, 2, 28, 18);
    report(&svc, a, graffiti, made, made + Duration::days(5), None).await;
    let march = stats::results(&svc, months("2031-03", "2031-03"), None)
        .await
        .unwrap();
    assert_eq!(march.figures.received, 1);

    // The city's offset becomes UTC: the report was made in February.
    let mut utc_city = svc.clone();
    utc_city.reports.utc_offset_minutes = 0;
    stats::ensure(&utc_city).await.unwrap();
    let feb = stats::results(&utc_city, months("2031-02", "2031-02"), None)
        .await
        .unwrap();
    assert_eq!(feb.figures.received, 1);
    let march = stats::results(&utc_city, months("2031-03", "2031-03"), None)
        .await
        .unwrap();
    assert_eq!(march.figures.received, 0);
    // Unchanged, nothing is counted again.
    stats::ensure(&utc_city).await.unwrap();
    assert_eq!(stats::pending(&svc.db).await.unwrap(), 0);
}
