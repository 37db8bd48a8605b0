//! Scale-out on PostgreSQL, with real server processes: two `gongzhi` instances on one
//! database, on different ports, both running the job runner and forwarding to a case
//! system (B). A session started on one works on the other; a report filed on one is on
//! the other's pages; live events reach browsers on both; and reports filed on both reach
//! the case system exactly once, however the two runners share the queue.

use crate::common;

use std::time::Duration;

use crate::common::process::{graffiti_form, issue_key, until_all_sent, Instance};
use crate::common::{fresh_database, new_client, Backend};
use chrono::Utc;
use gongzhi_domain::db::Db;
use gongzhi_domain::with_db;

async fn count(db: &Db, sql: &str) -> i64 {
    with_db!(db, p => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await).unwrap()
}

/// Files a report on `base` as `client`; returns where the server sent the browser.
async fn file(client: &reqwest::Client, base: &str, token: &str, description: &str) -> String {
    let form = graffiti_form(token.to_string(), description.to_string());
    let res = client
        .post(format!("{base}/reports/new"))
        .header("origin", base.to_string())
        .multipart(form)
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), 303, "{description}");
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Reads Server-Sent Events from `res` until one of `kind` comes (10 s at most).
async fn event_of_kind(res: &mut reqwest::Response, kind: &str) -> serde_json::Value {
    let mut buf = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let data: String = block
                .lines()
                .filter_map(|l| l.strip_prefix("data:"))
                .map(str::trim_start)
                .collect();
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&data) {
                if v["kind"] == kind {
                    return v;
                }
            }
        }
        let chunk = tokio::time::timeout_at(deadline, res.chunk())
            .await
            .unwrap_or_else(|_| panic!("no {kind} event within 10 s"))
            .expect("stream")
            .expect("stream open");
        buf.push_str(&String::from_utf8_lossy(&chunk));
    }
}

async fn two_instances_share_one_database() {
    let b_dir = tempfile::tempdir().expect("dir");
    let b_url = format!("sqlite://{}/b.db", b_dir.path().display());
    let b = Instance::start(&b_url, &[]).await;
    let key = issue_key(&b, "A").await;

    let (url, _dir, pg) = fresh_database(Backend::Postgres).await;
    let env = [
        ("GONGZHI_CASE_CONNECTOR", "open311".to_string()),
        ("GONGZHI_OPEN311_URL", format!("{}/open311/v2", b.base)),
        ("GONGZHI_OPEN311_API_KEY", key),
        ("GONGZHI_OPEN311_POLL_SECONDS", "1".into()),
        ("GONGZHI_REPORT_LIMIT_PER_IP", "100000".into()),
    ];
    let one = Instance::start(&url, &env).await;
    let two = Instance::start(&url, &env).await;
    let db = Db::connect(&url, 2).await.expect("the shared database");

    // A session started on one instance is good on the other (the cookie is per host, not
    // per port, as behind one proxy).
    let resident = one
        .log_in("resident@demo.gongzhi.org", "resident-demo-2026")
        .await;
    let (status, me) = two.call(&resident, "me", &[]).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["email"], "resident@demo.gongzhi.org", "{me}");

    // A report filed on one is on the other's pages at once.
    let token = format!(
        "scale-out-own-{:08}-00000000000000000000",
        std::process::id()
    );
    let to = file(&resident, &one.base, &token, "两个实例之间的报告").await;
    assert!(to.starts_with("/reports/"), "{to}");
    let page = resident
        .get(format!(
            "{}{}",
            two.base,
            to.split('?').next().unwrap_or_default()
        ))
        .send()
        .await
        .expect("report page");
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("两个实例之间的报告"));

    // Live events reach browsers on both instances.
    let cgj: i64 = count(&db, "SELECT id FROM departments WHERE code = 'cgj'").await;
    let admin = one
        .log_in("admin@demo.gongzhi.org", "admin-demo-2026")
        .await;
    let local = |minutes: i64| {
        (Utc::now() + chrono::Duration::hours(8) + chrono::Duration::minutes(minutes))
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let (status, session) = one
        .call(
            &admin,
            "schedule_live",
            &[
                ("title", "两个实例的直播"),
                ("description", "市民在线提问，部门现场答复。"),
                ("department", &cgj.to_string()),
                ("starts", &local(-5)),
                ("ends", &local(60)),
            ],
        )
        .await;
    assert_eq!(status, 200, "{session}");
    let session = session.as_i64().expect("session id");
    let (status, question) = two
        .call(
            &resident,
            "live_submit",
            &[
                ("session", &session.to_string()),
                ("body", "两个实例都听得到吗？"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{question}");
    let question = question.as_i64().expect("question id");
    let mut watchers = Vec::new();
    for inst in [&one, &two] {
        let res = new_client()
            .get(format!("{}/live/{session}/events?after=0", inst.base))
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .expect("event stream");
        assert_eq!(res.status(), 200);
        watchers.push(res);
    }
    let moderator = one
        .log_in("moderator@demo.gongzhi.org", "moderator-demo-2026")
        .await;
    let (status, votes) = one
        .call(
            &moderator,
            "live_vote",
            &[("id", &question.to_string()), ("on", "true")],
        )
        .await;
    assert_eq!(status, 200, "{votes}");
    for (name, res) in ["one", "two"].into_iter().zip(watchers.iter_mut()) {
        let e = event_of_kind(res, "votes").await;
        assert_eq!(e["question"]["votes"], 1, "instance {name}: {e}");
    }

    // Reports filed on both reach the case system exactly once: the two runners never run
    // the same forwarding job.
    let anonymous = new_client();
    for i in 0..30 {
        let inst = if i % 2 == 0 { &one } else { &two };
        let token = format!(
            "scale-out-{i:04}-{:08}-0000000000000000",
            std::process::id()
        );
        file(&anonymous, &inst.base, &token, &format!("扩容测试 {i}")).await;
    }
    until_all_sent(&db).await;
    let b_db = Db::connect(&b_url, 1).await.expect("B's database");
    let (n, distinct): (i64, i64) = with_db!(&b_db, p => sqlx::query_as(
        "SELECT count(*), count(DISTINCT description) FROM reports WHERE description LIKE '扩容测试 %'")
        .fetch_one(p).await).unwrap();
    assert_eq!((n, distinct), (30, 30), "each report arrived in B once");

    db.close().await;
    b_db.close().await;
    one.stop().await;
    two.stop().await;
    b.stop().await;
    common::drop_database(pg).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    common::bounded(two_instances_share_one_database()).await;
}
