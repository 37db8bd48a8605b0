//! Two Gongzhi instances chained over HTTP, as two real server processes: A faces residents
//! and passes reports on with the `open311` connector; B is the back office (`builtin`).
//! A report filed on A arrives in B, B's dispatch centre and department work it from 受理 to
//! 结案, and A's report page shows each change of status within a poll interval; and with B
//! down, 50 reports filed on A wait, then each arrives in B exactly once when B is back.
//! A runs on SQLite and on PostgreSQL.

use crate::common;

use std::time::{Duration, Instant};

use crate::common::process::{graffiti_form, issue_key, waiting_for, Instance};
use crate::common::{fresh_database, new_client, Backend};
use gongzhi_domain::db::Db;
use reqwest::multipart::Form;
use serde_json::Value;

impl Instance {
    /// Takes a step of B's case workflow with the back office's plain form.
    async fn step(
        &self,
        client: &reqwest::Client,
        id: i64,
        step: &str,
        stage: &str,
        note: &str,
        department: Option<i64>,
    ) {
        let token = format!("chain-step-{step}-{id:08}-0000000000000000000000");
        let mut form = Form::new()
            .text("form_token", token)
            .text("step", step.to_string())
            .text("stage", stage.to_string())
            .text("note", note.to_string());
        if let Some(d) = department {
            form = form.text("department", d.to_string());
        }
        let res = client
            .post(format!("{}/cases/{id}", self.base))
            .header("origin", self.base.clone())
            .multipart(form)
            .send()
            .await
            .expect("step");
        let to = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert_eq!(res.status(), 303, "{step}");
        assert_eq!(to, format!("/cases/{id}?done={step}"), "{step} was taken");
    }
}

async fn a_closes_when_b_closes(backend: Backend) {
    // B: the back office, on SQLite.
    let b_dir = tempfile::tempdir().expect("dir");
    let b = Instance::start(&format!("sqlite://{}/b.db", b_dir.path().display()), &[]).await;
    let key = issue_key(&b, "A: resident-facing Gongzhi").await;

    // A: faces residents, forwards to B, polls B every second.
    let (a_url, _a_dir, a_pg) = fresh_database(backend).await;
    let a = Instance::start(
        &a_url,
        &[
            ("GONGZHI_CASE_CONNECTOR", "open311".into()),
            ("GONGZHI_OPEN311_URL", format!("{}/open311/v2", b.base)),
            ("GONGZHI_OPEN311_API_KEY", key.clone()),
            ("GONGZHI_OPEN311_POLL_SECONDS", "1".into()),
            ("GONGZHI_OPEN311_REF_PREFIX", "nanning-a".into()),
        ],
    )
    .await;
    let a_db = Db::connect(&a_url, 2).await.expect("A's database");

    // A's demo reports reach B too (each once).
    let a_demo: i64 = gongzhi_domain::with_db!(&a_db, p => sqlx::query_scalar("SELECT count(*) FROM reports").fetch_one(p).await).unwrap();
    // A resident files a report on A with the web form.
    let resident = new_client();
    let page = resident
        .get(format!("{}/reports/new", a.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = page
        .find("name=\"submit_token\"")
        .expect("the form's token");
    let start = at + page[at..].find("value=\"").expect("its value") + "value=\"".len();
    let token: String = page[start..].chars().take_while(|c| *c != '"').collect();
    let form = graffiti_form(token, "链式测试：桥墩上有大片涂鸦".into());
    let submitted = Instant::now();
    let res = resident
        .post(format!("{}/reports/new", a.base))
        .header("origin", a.base.clone())
        .multipart(form)
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), 303);
    // Anonymous: the tracking code is the resident's key to the report.
    let code = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .and_then(|l| l.strip_prefix("/track/"))
        .and_then(|l| l.split('?').next())
        .expect("sent to the tracking page")
        .to_string();
    let id: i64 = gongzhi_domain::with_db!(&a_db, p => sqlx::query_scalar(
        "SELECT id FROM reports WHERE description = '链式测试：桥墩上有大片涂鸦'").fetch_one(p).await).unwrap();

    // It arrives in B: A stores B's id.
    let b_id: String = waiting_for("the report to reach B", Duration::from_secs(10), || {
        let db = a_db.clone();
        async move {
            let row: Option<(String, Option<String>)> = gongzhi_domain::with_db!(&db, p => sqlx::query_as(
                "SELECT forward_state, external_id FROM reports WHERE id = $1").bind(id).fetch_optional(p).await).unwrap();
            match row {
                Some((s, Some(ext))) if s == "sent" => Some(ext),
                _ => None,
            }
        }
    })
    .await;
    let arrival = submitted.elapsed();
    let res = new_client()
        .get(format!("{}/open311/v2/requests/{b_id}.json", b.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let in_b: Value = res.json().await.unwrap();
    assert_eq!(in_b[0]["description"], "链式测试：桥墩上有大片涂鸦");
    assert_eq!(in_b[0]["service_code"], "graffiti");
    println!(
        "{backend:?}: submit on A to arrival in B: {} ms",
        arrival.as_millis()
    );
    assert!(
        arrival < Duration::from_secs(5),
        "forwarding took {arrival:?}"
    );

    // Every report of A is in B exactly once (the demo ones too).
    let b_count = |db: Db| async move {
        gongzhi_domain::with_db!(&db, p => sqlx::query_scalar::<_, i64>("SELECT count(*) FROM reports WHERE api_key_id IS NOT NULL").fetch_one(p).await).unwrap()
    };
    let b_db = Db::connect(&format!("sqlite://{}/b.db", b_dir.path().display()), 1)
        .await
        .expect("B's database");
    waiting_for(
        "A's demo reports to reach B",
        Duration::from_secs(20),
        || {
            let db = b_db.clone();
            async move { (b_count(db).await == a_demo + 1).then_some(()) }
        },
    )
    .await;

    // B's dispatch centre and the department work the case through the built-in workflow,
    // with the back office's plain forms; after each step that changes the status, A shows
    // it within a poll interval.
    let dispatcher = b
        .log_in("dispatcher@demo.gongzhi.org", "dispatcher-demo-2026")
        .await;
    let official = b
        .log_in("official@demo.gongzhi.org", "official-demo-2026")
        .await;
    let b_report: i64 = b_id.parse().expect("B's id is a number");
    let dept: i64 = gongzhi_domain::with_db!(&b_db, p => sqlx::query_scalar(
        "SELECT department_id FROM reports WHERE id = $1").bind(b_report).fetch_one(p).await)
    .unwrap();
    let a_status = |want: &'static str| {
        let db = a_db.clone();
        async move {
            waiting_for(
                &format!("A to show {want}"),
                Duration::from_secs(10),
                || {
                    let db = db.clone();
                    async move {
                        let s: String = gongzhi_domain::with_db!(&db, p => sqlx::query_scalar(
                        "SELECT status FROM reports WHERE id = $1").bind(id).fetch_one(p).await)
                        .unwrap();
                        (s == want).then_some(())
                    }
                },
            )
            .await
        }
    };
    // B's own case system takes it into the dispatch centre's inbox at once.
    waiting_for("the case in B's inbox", Duration::from_secs(10), || {
        let db = b_db.clone();
        async move {
            let stage: Option<String> = gongzhi_domain::with_db!(&db, p => sqlx::query_scalar(
                "SELECT stage FROM cases WHERE report_id = $1").bind(b_report).fetch_optional(p).await)
            .unwrap();
            stage.filter(|s| s == "new")
        }
    })
    .await;
    b.step(
        &dispatcher,
        b_report,
        "accept",
        "new",
        "已受理，转城管局",
        None,
    )
    .await;
    a_status("accepted").await;
    b.step(&dispatcher, b_report, "register", "accepted", "", None)
        .await;
    b.step(
        &dispatcher,
        b_report,
        "dispatch",
        "registered",
        "派遣城管局处置",
        Some(dept),
    )
    .await;
    a_status("in_progress").await;

    // The resident adds a follow-up on A: it reaches B's case record as the reporter's.
    let sid = id.to_string();
    let (status, body) = a
        .call(
            &resident,
            "report_follow_up",
            &[
                ("id", &sid),
                ("note", "补充：桥墩北侧也有涂鸦"),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let b_has = |kind: &'static str, count: i64| {
        let db = b_db.clone();
        async move {
            waiting_for(&format!("{count} {kind} in B"), Duration::from_secs(10), || {
                let db = db.clone();
                async move {
                    let n: i64 = gongzhi_domain::with_db!(&db, p => sqlx::query_scalar(
                        "SELECT count(*) FROM report_events WHERE report_id = $1 AND kind = $2 AND actor_role = 'reporter'")
                        .bind(b_report).bind(kind).fetch_one(p).await)
                    .unwrap();
                    (n == count).then_some(())
                }
            })
            .await
        }
    };
    b_has("follow_up", 1).await;
    // B stores the update before it answers, and A marks it sent once the answer is
    // back: wait for A's mark rather than race it.
    waiting_for("A marks the follow-up sent", Duration::from_secs(10), || {
        let db = a_db.clone();
        async move {
            let relayed: Vec<Option<String>> = gongzhi_domain::with_db!(&db, p => sqlx::query_scalar(
                "SELECT relay FROM report_events WHERE report_id = $1 AND kind = 'follow_up'").bind(id).fetch_all(p).await)
            .unwrap();
            (relayed == [Some("sent".to_string())]).then_some(())
        }
    })
    .await;
    b.step(
        &official,
        b_report,
        "handle",
        "dispatched",
        "已安排清洗，涂鸦已清除",
        None,
    )
    .await;
    a_status("resolved").await;
    b.step(&dispatcher, b_report, "verify", "handled", "", None)
        .await;
    b.step(
        &dispatcher,
        b_report,
        "close",
        "verified",
        "涂鸦已清除，恢复原貌",
        None,
    )
    .await;
    let closed_in_b = Instant::now();

    // A shows it within a poll interval (1 s here; allow for a slow machine).
    waiting_for("A to show the close", Duration::from_secs(10), || {
        let db = a_db.clone();
        async move {
            let s: String = gongzhi_domain::with_db!(&db, p => sqlx::query_scalar(
                "SELECT status FROM reports WHERE id = $1").bind(id).fetch_one(p).await)
            .unwrap();
            (s == "closed").then_some(())
        }
    })
    .await;
    println!(
        "{backend:?}: close in B to close on A: {} ms",
        closed_in_b.elapsed().as_millis()
    );
    let page = new_client()
        .get(format!("{}/reports/{id}", a.base))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("涂鸦已清除，恢复原貌"),
        "A's page shows B's note"
    );
    assert!(
        page.contains("已安排清洗，涂鸦已清除"),
        "and the steps before it"
    );
    assert!(page.contains("派遣城管局处置"));
    // Each update once, however many polls ran.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let entries: i64 = gongzhi_domain::with_db!(&a_db, p => sqlx::query_scalar(
        "SELECT count(*) FROM report_events WHERE report_id = $1 AND external_id IS NOT NULL").bind(id).fetch_one(p).await).unwrap();
    let rows: Vec<(String, Option<String>, String, Option<String>)> = gongzhi_domain::with_db!(&a_db, p => sqlx::query_as(
        "SELECT kind, status, note, external_id FROM report_events WHERE report_id = $1 AND external_id IS NOT NULL ORDER BY id").bind(id).fetch_all(p).await).unwrap();
    // accept, dispatch, handle and close; register and verify said nothing new; the
    // resident's own follow-up did not come back as B's.
    assert_eq!(entries, 4, "{rows:?}");

    // "Not fixed": the resident reopens on A; B's case goes back to the department for a
    // second round, and B's next step shows on A.
    let (status, body) = a
        .call(
            &resident,
            "report_follow_up",
            &[
                ("id", &sid),
                ("note", "涂鸦又出现了"),
                ("reopen", "on"),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    a_status("reopened").await;
    b_has("reopen", 1).await;
    let (stage, round): (String, i64) = gongzhi_domain::with_db!(&b_db, p => sqlx::query_as(
        "SELECT stage, round FROM cases WHERE report_id = $1").bind(b_report).fetch_one(p).await)
    .unwrap();
    assert_eq!((stage.as_str(), round), ("dispatched", 2));
    b.step(
        &official,
        b_report,
        "handle",
        "dispatched",
        "已再次清洗",
        None,
    )
    .await;
    a_status("resolved").await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let mine: i64 = gongzhi_domain::with_db!(&a_db, p => sqlx::query_scalar(
        "SELECT count(*) FROM report_events WHERE report_id = $1 AND actor_role = 'reporter'").bind(id).fetch_one(p).await).unwrap();
    let entries: i64 = gongzhi_domain::with_db!(&a_db, p => sqlx::query_scalar(
        "SELECT count(*) FROM report_events WHERE report_id = $1 AND external_id IS NOT NULL").bind(id).fetch_one(p).await).unwrap();
    assert_eq!((mine, entries), (2, 5), "each once, none echoed back");

    a_db.close().await;
    b_db.close().await;
    a.stop().await;
    b.stop().await;
    common::drop_database(a_pg).await;
}

/// B is down while 50 reports are filed on A; when B is back, each arrives once and A shows
/// every one as sent.
async fn nothing_is_lost_or_doubled_while_b_is_down(backend: Backend) {
    let b_dir = tempfile::tempdir().expect("dir");
    let b_url = format!("sqlite://{}/b.db", b_dir.path().display());
    let b = Instance::start(&b_url, &[]).await;
    let key = issue_key(&b, "A").await;
    let (a_url, _a_dir, a_pg) = fresh_database(backend).await;
    let a = Instance::start(
        &a_url,
        &[
            ("GONGZHI_CASE_CONNECTOR", "open311".into()),
            ("GONGZHI_OPEN311_URL", format!("{}/open311/v2", b.base)),
            ("GONGZHI_OPEN311_API_KEY", key),
            ("GONGZHI_OPEN311_POLL_SECONDS", "1".into()),
            ("GONGZHI_OPEN311_TIMEOUT_SECONDS", "2".into()),
            ("GONGZHI_REPORT_LIMIT_PER_IP", "10000".into()),
        ],
    )
    .await;
    let a_db = Db::connect(&a_url, 2).await.expect("A's database");
    let waiting = |db: Db| async move {
        gongzhi_domain::with_db!(&db, p => sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM reports WHERE forward_state = 'waiting'").fetch_one(p).await)
        .unwrap()
    };
    // A's demo reports reach B first, so B's count below is ours alone.
    waiting_for(
        "A's demo reports to reach B",
        Duration::from_secs(20),
        || {
            let db = a_db.clone();
            async move { (waiting(db).await == 0).then_some(()) }
        },
    )
    .await;

    let b_port = b.port;
    b.stop().await;
    let resident = new_client();
    for i in 0..50 {
        let token = format!(
            "outage-test-{i:04}-{:08}-0000000000000000",
            std::process::id()
        );
        let form = graffiti_form(token, format!("停机期间的报告 {i}"));
        let res = resident
            .post(format!("{}/reports/new", a.base))
            .header("origin", a.base.clone())
            .multipart(form)
            .send()
            .await
            .expect("submit");
        assert_eq!(res.status(), 303, "report {i}");
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(waiting(a_db.clone()).await, 50, "all wait while B is down");
    let failed: i64 = gongzhi_domain::with_db!(&a_db, p => sqlx::query_scalar(
        "SELECT count(*) FROM reports WHERE forward_state = 'waiting' AND forward_error <> ''").fetch_one(p).await).unwrap();
    assert!(failed > 0, "the pages say why they wait");

    let b = Instance::start_on(b_port, &b_url, &[]).await;
    let back = Instant::now();
    waiting_for("all 50 to be sent", Duration::from_secs(60), || {
        let db = a_db.clone();
        async move { (waiting(db).await == 0).then_some(()) }
    })
    .await;
    println!(
        "{backend:?}: B back to all 50 sent: {} ms",
        back.elapsed().as_millis()
    );
    let b_db = Db::connect(&b_url, 1).await.expect("B's database");
    let (n, distinct): (i64, i64) = gongzhi_domain::with_db!(&b_db, p => sqlx::query_as(
        "SELECT count(*), count(DISTINCT description) FROM reports WHERE description LIKE '停机期间的报告 %'").fetch_one(p).await).unwrap();
    assert_eq!(
        (n, distinct),
        (50, 50),
        "each report arrived in B exactly once"
    );
    let ids: Vec<String> = gongzhi_domain::with_db!(&a_db, p => sqlx::query_scalar(
        "SELECT external_id FROM reports WHERE description LIKE '停机期间的报告 %'").fetch_all(p).await).unwrap();
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), 50, "each under its own id in B");

    a_db.close().await;
    b_db.close().await;
    a.stop().await;
    b.stop().await;
    common::drop_database(a_pg).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outage_sqlite() {
    common::bounded(nothing_is_lost_or_doubled_while_b_is_down(Backend::Sqlite)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outage_postgres() {
    common::bounded(nothing_is_lost_or_doubled_while_b_is_down(
        Backend::Postgres,
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    common::bounded(a_closes_when_b_closes(Backend::Sqlite)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    common::bounded(a_closes_when_b_closes(Backend::Postgres)).await;
}
