//! The platform around the app, on both backends: pages, language, security headers,
//! cross-site refusal, health checks, schema parity, migrations.

use crate::common;

use crate::common::{new_client, Backend, TestApp};

on_both_backends!(
    pages_render_in_the_browsers_language,
    the_language_switch_is_remembered,
    pages_carry_security_headers_and_a_nonce_csp,
    cross_site_posts_are_refused,
    health_and_readiness,
    unknown_pages_are_404_with_the_app_frame,
    read_then_write_transactions_at_once_all_commit,
    unreadable_server_function_calls_are_the_callers_error,
);
on_both_backends_with!(times_show_in_the_configured_city_time);

/// Many transactions that read and then write, all at once: every one commits. On SQLite a
/// deferred transaction is refused ("database is locked") when another writer commits
/// between its read and its write; `begin_write` takes the write lock first, so they queue.
async fn read_then_write_transactions_at_once_all_commit(app: &TestApp) {
    use gongzhi_domain::db::BeginWrite;
    use gongzhi_domain::with_db;
    const N: i64 = 24;
    with_db!(&app.db, p => sqlx::query("CREATE TABLE write_probe (seen BIGINT NOT NULL)").execute(p).await.map(drop))
        .unwrap();
    let tasks: Vec<_> = (0..N)
        .map(|_| {
            let db = app.db.clone();
            tokio::spawn(async move {
                with_db!(&db, p => async {
                    let mut tx = p.begin_write().await?;
                    let seen: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM write_probe")
                        .fetch_one(&mut *tx)
                        .await?;
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                    sqlx::query("INSERT INTO write_probe (seen) VALUES ($1)")
                        .bind(seen)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await
                }.await)
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().expect("every transaction commits");
    }
    let seen: Vec<i64> = with_db!(&app.db, p => sqlx::query_scalar("SELECT seen FROM write_probe ORDER BY seen").fetch_all(p).await)
        .unwrap();
    assert_eq!(seen.len() as i64, N);
    if matches!(app.backend, Backend::Sqlite) {
        // One after another: each saw every one before it.
        assert_eq!(seen, (0..N).collect::<Vec<_>>());
    }
}

/// A server function call it cannot read (arguments missing or malformed, a body over the
/// limit) answers 400 or 413 with the reason, never 500.
async fn unreadable_server_function_calls_are_the_callers_error(app: &TestApp) {
    let c = new_client();
    let (status, body, _) = app.call(&c, "log_in", &[("x", "1")]).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("missing field"), "{body}");
    let (status, body, _) = app
        .call(&c, "live_vote", &[("id", "one"), ("on", "true")])
        .await;
    assert_eq!(status, 400, "{body}");
    // Just over the 2 MB default, so the body is all sent before the answer.
    let huge = "a".repeat(2_200_000);
    let (status, body, _) = app.call(&c, "log_in", &[("email", huge.as_str())]).await;
    assert_eq!(status, 413, "{body}");
    drop(huge);
    // Every route has a body limit: a plain route (2 MB) and Open311 (64 KB) too. The
    // server may answer 413 before the body is all sent and close the connection; either
    // way it is refused, and the server carries on.
    for (path, size) in [
        ("/lang", 3 * 1024 * 1024),
        ("/open311/v2/requests.json", 200 * 1024),
    ] {
        let res = c
            .post(app.url(path))
            .header("origin", app.base.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .body("a".repeat(size))
            .send()
            .await;
        match res {
            Ok(r) => assert_eq!(r.status(), 413, "{path}"),
            Err(e) => assert!(e.is_request(), "{path}: {e}"),
        }
        let health = new_client().get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), 200);
    }
}

async fn pages_render_in_the_browsers_language(app: &TestApp) {
    let c = new_client();
    let zh = app.page(&c, "/", "").await;
    assert!(
        zh.contains("<html lang=\"zh-CN\""),
        "Chinese is the default"
    );
    assert!(zh.contains("一起把城市变得更好"));
    let en = app.page(&c, "/", "en-GB,en;q=0.9,zh;q=0.5").await;
    assert!(en.contains("<html lang=\"en\""));
    assert!(en.contains("Make the city better, together"));
}

async fn the_language_switch_is_remembered(app: &TestApp) {
    let c = new_client();
    let res = c
        .post(app.url("/lang"))
        .header("origin", app.base.clone())
        .form(&[("lang", "en"), ("next", "/signup")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/signup");
    let page = app.page(&c, "/signup", "zh-CN").await;
    assert!(
        page.contains("<html lang=\"en\""),
        "the cookie wins over Accept-Language"
    );
    // Only same-site destinations.
    let res = c
        .post(app.url("/lang"))
        .form(&[("lang", "zh-CN"), ("next", "//evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/me");
    let res = c
        .post(app.url("/lang"))
        .form(&[("lang", "fr"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
}

async fn pages_carry_security_headers_and_a_nonce_csp(app: &TestApp) {
    // A page, a server-rendered page with data, and the app's own 404 page.
    for path in ["/login", "/deliberation", "/no-such-page"] {
        page_nonce_matches_its_scripts(app, path).await;
    }
    let health = new_client().get(app.url("/healthz")).send().await.unwrap();
    assert!(health.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'self'"));
}

/// The page's CSP names one nonce, and every inline script of the page carries it.
async fn page_nonce_matches_its_scripts(app: &TestApp, path: &str) {
    let res = new_client().get(app.url(path)).send().await.unwrap();
    let h = res.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("nonce in CSP")
        .to_string();
    assert!(nonce.len() >= 16);
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
    assert_eq!(h["x-frame-options"], "DENY");
    let body = res.text().await.unwrap();
    // Every inline script carries the nonce.
    for (i, _) in body.match_indices("<script") {
        let tag: String = body[i..].chars().take_while(|c| *c != '>').collect();
        if !tag.contains(" src=") {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: inline script without the nonce: {tag}"
            );
        }
    }
}

async fn cross_site_posts_are_refused(app: &TestApp) {
    let c = new_client();
    let res = c
        .post(app.url("/api/log_in"))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .form(&[("email", "a@b.cn"), ("password", "x"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = c
        .post(app.url("/lang"))
        .header("origin", "https://evil.example")
        .form(&[("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = c
        .post(app.url("/api/me"))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

async fn health_and_readiness(app: &TestApp) {
    let c = new_client();
    assert_eq!(app.page(&c, "/healthz", "").await, "ok");
    let ready: serde_json::Value = c
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let expected = match app.backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(
        ready,
        serde_json::json!({"status": "ready", "database": expected})
    );
}

async fn unknown_pages_are_404_with_the_app_frame(app: &TestApp) {
    let res = new_client()
        .get(app.url("/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let body = res.text().await.unwrap();
    assert!(body.contains("找不到这个页面"));
}

/// Both backends' migrations create the same tables with the same columns.
#[tokio::test]
async fn both_schemas_have_the_same_tables_and_columns() {
    let (sqlite_url, _dir, _) = common::fresh_database(Backend::Sqlite).await;
    let (pg_url, _, pg) = common::fresh_database(Backend::Postgres).await;
    let sqlite = gongzhi_domain::db::Db::connect(&sqlite_url, 1)
        .await
        .unwrap();
    let postgres = gongzhi_domain::db::Db::connect(&pg_url, 1).await.unwrap();
    sqlite.migrate().await.unwrap();
    postgres.migrate().await.unwrap();
    let a = sqlite.schema_columns().await.unwrap();
    let b = postgres.schema_columns().await.unwrap();
    assert!(a.len() > 20, "{a:?}");
    assert_eq!(a, b);
    postgres.close().await;
    common::drop_database(pg).await;
}

/// A migration that cannot apply stops start-up with a message that says so.
#[tokio::test]
async fn a_failed_migration_stops_the_server_with_a_clear_message() {
    let (url, _dir, _) = common::fresh_database(Backend::Sqlite).await;
    let db = gongzhi_domain::db::Db::connect(&url, 1).await.unwrap();
    // A table in the way of the first migration.
    gongzhi_domain::with_db!(&db, p => sqlx::query("CREATE TABLE users (x INTEGER)").execute(p).await.map(|_| ())).unwrap();
    db.close().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = gongzhi_server::serve(
        gongzhi_server::Config::with_database(&url),
        listener,
        async {},
    )
    .await
    .expect_err("start-up must fail");
    let text = err.to_string();
    assert!(text.contains("migration"), "{text}");
}

/// Pages show times in the city's configured offset (the one the phase dates and Open311
/// use), and tell the browser which it is, so hydration shows the same.
async fn times_show_in_the_configured_city_time(backend: Backend) {
    use gongzhi_domain::deliberation::{processes, proposals};
    for (offset, shown) in [
        (480, "2026-01-02 11:04"),
        (0, "2026-01-02 03:04"),
        (-300, "2026-01-01 22:04"),
    ] {
        let app = TestApp::start_with(backend, |c| c.utc_offset_minutes = offset).await;
        let svc = app.demo().await;
        let official = common::account(&svc, "official@demo.gongzhi.org").await;
        let resident = common::account(&svc, "resident@demo.gongzhi.org").await;
        let process = processes::save(
            &svc,
            Some(&official),
            None,
            processes::ProcessInput {
                title: "时间显示".into(),
                department: official.department_id.unwrap().to_string(),
                information: common::local_day(-5),
                proposals: common::local_day(-1),
                discussion: common::local_day(5),
                decision: common::local_day(10),
                closes: common::local_day(20),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let id = proposals::create(
            &svc,
            Some(&resident),
            process,
            proposals::ProposalInput {
                title: "建议".into(),
                body: "内容".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let at = chrono::DateTime::parse_from_rfc3339("2026-01-02T03:04:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        gongzhi_domain::with_db!(&svc.db, p => sqlx::query("UPDATE proposals SET created_at = $1 WHERE id = $2")
            .bind(at).bind(id).execute(p).await.map(|r| r.rows_affected()))
        .unwrap();
        let html = app
            .page(&new_client(), &format!("/proposals/{id}"), "zh-CN")
            .await;
        assert!(html.contains(shown), "offset {offset}: expected {shown}");
        let home = app.page(&new_client(), "/", "zh-CN").await;
        assert!(
            home.contains(&format!("data-utc-offset=\"{offset}\"")),
            "offset {offset}: the browser is told"
        );
        app.stop().await;
    }
}

/// SQLite's WAL is copied back into the database file by a background task, not by the
/// commit that crosses a threshold (that was the report writer's, with reports waiting).
/// Under a stream of commits with readers about, a passive copy never catches up with the
/// last commits, and SQLite starts a WAL over only once all of it is copied: the task then
/// has it started over, so the WAL stays bounded. Here 12,000 commits of a page each
/// made a WAL of 142 MB without that; it stays under 32 MB, and nothing is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_wal_stays_bounded_under_a_stream_of_commits() {
    use gongzhi_domain::db::{BeginWrite, Db};
    const COMMITS: i64 = 12_000;
    common::bounded(async {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("wal.db");
        let db = Db::connect(&format!("sqlite://{}", path.display()), 4)
            .await
            .expect("db");
        let Db::Sqlite(pool) = &db else {
            unreachable!()
        };
        sqlx::query("CREATE TABLE wal_probe (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
            .execute(pool)
            .await
            .expect("table");
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        // Readers about, as pages are read while reports arrive.
        let reader = {
            let (pool, done) = (pool.clone(), done.clone());
            tokio::spawn(async move {
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let _: i64 = sqlx::query_scalar("SELECT count(*) FROM wal_probe")
                        .fetch_one(&pool)
                        .await
                        .expect("read");
                }
            })
        };
        let wal = dir.path().join("wal.db-wal");
        let mut largest = 0;
        for i in 0..COMMITS {
            let mut tx = pool.begin_write().await.expect("begin");
            sqlx::query("INSERT INTO wal_probe (id, body) VALUES ($1, zeroblob(3900))")
                .bind(i)
                .execute(&mut *tx)
                .await
                .expect("insert");
            tx.commit().await.expect("commit");
            if i % 100 == 0 {
                largest = largest.max(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0));
            }
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        reader.await.expect("reader");
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM wal_probe")
            .fetch_one(pool)
            .await
            .expect("count");
        assert_eq!(n, COMMITS, "every commit is there");
        assert!(largest < 32 << 20, "the WAL grew to {} MB", largest >> 20);
        db.close().await;
    })
    .await;
}
