//! Crash safety, with real server processes: residents keep submitting reports to A while A
//! is killed with SIGKILL three times and restarted. A submission whose answer was lost is
//! sent again with the same form token, as a browser does. Afterwards every acknowledged
//! report exists exactly once in A, arrived exactly once in the case system (B, a second
//! instance with the built-in workflow), and no job is left stuck. A runs on SQLite and on
//! PostgreSQL.

use crate::common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::process::{graffiti_form, issue_key, until_all_sent, Instance};
use crate::common::{fresh_database, new_client, Backend};
use gongzhi_domain::db::Db;
use gongzhi_domain::with_db;

/// Submitters running at once.
const SUBMITTERS: usize = 4;
/// How long the load runs between kills.
const BETWEEN_KILLS: Duration = Duration::from_millis(1500);

/// Files reports on `base` one after another until `stop`, each acknowledged (303) before
/// the next; returns the descriptions acknowledged. Any answer but 303 fails the test: a
/// refusal under load is a lost report too.
async fn submitter(n: usize, base: String, stop: Arc<AtomicBool>, acked: Arc<Mutex<Vec<String>>>) {
    let client = new_client();
    for i in 0.. {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let token = format!(
            "crash-test-{n}-{i:05}-{:08}-000000000000000",
            std::process::id()
        );
        let description = format!("崩溃测试 {n}-{i}");
        let mut tries = 0;
        loop {
            tries += 1;
            assert!(tries < 400, "{description}: no answer for 20 s");
            let form = graffiti_form(token.clone(), description.clone());
            let sent = client
                .post(format!("{base}/reports/new"))
                .header("origin", base.clone())
                .multipart(form)
                .timeout(Duration::from_secs(10))
                .send()
                .await;
            match sent {
                Ok(res) => {
                    let status = res.status().as_u16();
                    let body = res.text().await.unwrap_or_default();
                    assert_eq!(
                        status,
                        303,
                        "{description}: {}",
                        &body[..body.len().min(600)]
                    );
                    acked.lock().unwrap().push(description);
                    break;
                }
                // The server died under the request (or is not back yet): the answer is
                // lost, so send the same form again.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }
}

async fn count(db: &Db, sql: &str) -> i64 {
    with_db!(db, p => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await).unwrap()
}

async fn killed_three_times_under_load(backend: Backend) {
    // B, the case system, stays up throughout.
    let b_dir = tempfile::tempdir().expect("dir");
    let b_url = format!("sqlite://{}/b.db", b_dir.path().display());
    let b = Instance::start(&b_url, &[]).await;
    let key = issue_key(&b, "A").await;

    let (a_url, _a_dir, a_pg) = fresh_database(backend).await;
    let a_env = [
        ("GONGZHI_CASE_CONNECTOR", "open311".to_string()),
        ("GONGZHI_OPEN311_URL", format!("{}/open311/v2", b.base)),
        ("GONGZHI_OPEN311_API_KEY", key),
        ("GONGZHI_OPEN311_POLL_SECONDS", "1".into()),
        ("GONGZHI_OPEN311_TIMEOUT_SECONDS", "2".into()),
        ("GONGZHI_REPORT_LIMIT_PER_IP", "100000".into()),
        // A killed runner's claims end soon, so its jobs are taken up again in the test's
        // time (a live runner keeps renewing its own).
        ("GONGZHI_JOB_LEASE_SECONDS", "2".into()),
    ];
    let mut a = Instance::start(&a_url, &a_env).await;
    let (port, base) = (a.port, a.base.clone());

    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let load: Vec<_> = (0..SUBMITTERS)
        .map(|n| tokio::spawn(submitter(n, base.clone(), stop.clone(), acked.clone())))
        .collect();
    for kill in 1..=3 {
        tokio::time::sleep(BETWEEN_KILLS).await;
        let before = acked.lock().unwrap().len();
        a.child.start_kill().expect("SIGKILL");
        a.child.wait().await.expect("A is gone");
        println!("{backend:?}: kill {kill} after {before} acknowledged reports");
        a = Instance::start_on(port, &a_url, &a_env).await;
    }
    tokio::time::sleep(BETWEEN_KILLS).await;
    stop.store(true, Ordering::SeqCst);
    for t in load {
        t.await.expect("submitter");
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 20, "the load ran: {} reports", acked.len());

    let a_db = Db::connect(&a_url, 2).await.expect("A's database");
    let b_db = Db::connect(&b_url, 1).await.expect("B's database");
    until_all_sent(&a_db).await;

    // Exactly once in A: each acknowledged report, and nothing else from the load.
    type Row = (String, i64, i64);
    let in_a: Vec<Row> = with_db!(&a_db, p => sqlx::query_as(
        "SELECT description, count(*), count(DISTINCT external_id) FROM reports \
         WHERE description LIKE '崩溃测试 %' GROUP BY description").fetch_all(p).await)
    .unwrap();
    let in_b: Vec<Row> = with_db!(&b_db, p => sqlx::query_as(
        "SELECT description, count(*), count(*) FROM reports \
         WHERE description LIKE '崩溃测试 %' GROUP BY description").fetch_all(p).await)
    .unwrap();
    for (place, rows) in [("A", &in_a), ("B", &in_b)] {
        let mut got: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        let mut want: Vec<&str> = acked.iter().map(String::as_str).collect();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(
            got, want,
            "the acknowledged reports, and only they, are in {place}"
        );
        let doubled: Vec<&Row> = rows.iter().filter(|r| r.1 != 1 || r.2 != 1).collect();
        assert!(doubled.is_empty(), "doubled in {place}: {doubled:?}");
    }
    let cases: i64 = count(
        &a_db,
        "SELECT count(DISTINCT external_id) FROM reports WHERE description LIKE '崩溃测试 %'",
    )
    .await;
    assert_eq!(
        cases as usize,
        acked.len(),
        "each report is its own case in B"
    );

    // No job is stuck: none dead, none held by a runner that died, none overdue.
    let now = chrono::Utc::now();
    let overdue = now - chrono::Duration::seconds(5);
    let stuck: i64 = with_db!(&a_db, p => sqlx::query_scalar(
        "SELECT count(*) FROM jobs WHERE state = 'dead' \
         OR (state = 'running' AND locked_until < $1) OR (state = 'queued' AND run_at < $2)")
        .bind(now).bind(overdue).fetch_one(p).await)
    .unwrap();
    assert_eq!(stuck, 0, "no job is stuck");
    println!(
        "{backend:?}: {} reports acknowledged across 3 kills; each once in A and once in B",
        acked.len()
    );

    a_db.close().await;
    b_db.close().await;
    a.stop().await;
    b.stop().await;
    common::drop_database(a_pg).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    common::bounded(killed_three_times_under_load(Backend::Sqlite)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    common::bounded(killed_three_times_under_load(Backend::Postgres)).await;
}
