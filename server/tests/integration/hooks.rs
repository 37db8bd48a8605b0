//! The signed case-update webhook, on both backends: only a fresh signature over the body
//! is accepted, each update is recorded once however often it is pushed (or also polled),
//! and updates for requests that are not ours are ignored.

use crate::common;

use crate::common::{new_client, Backend, TestApp};
use gongzhi_domain::cases::webhook::sign;
use gongzhi_domain::reports::{NewReport, Reporter};
use gongzhi_domain::with_db;
use serde_json::Value;

on_both_backends_with!(
    pushed_updates_are_signed_fresh_and_recorded_once,
    the_webhook_is_off_without_a_secret
);

const SECRET: &str = "shared-secret-for-tests";

async fn push(app: &TestApp, body: &str, ts: i64, secret: &str) -> (u16, Value) {
    let res = new_client()
        .post(app.url("/hooks/case-updates"))
        .header("content-type", "application/json")
        .header("x-gongzhi-timestamp", ts.to_string())
        .header("x-gongzhi-signature", sign(secret, ts, body.as_bytes()))
        .body(body.to_string())
        .send()
        .await
        .expect("push");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn pushed_updates_are_signed_fresh_and_recorded_once(backend: Backend) {
    let app = TestApp::start_with(backend, |c| {
        c.webhook_secret = SECRET.into();
        c.job_runner = false;
    })
    .await;
    common::bounded(async {
        gongzhi_domain::seed::seed_catalog(&app.services()).await.expect("catalogue");
        let done = gongzhi_domain::reports::submit(
            &app.services(),
            Reporter { user: None, ip: "203.0.113.1", api_key: None },
            NewReport {
                category: "graffiti".into(),
                lat: "22.8172".into(),
                lon: "108.3661".into(),
                description: "墙上的涂鸦需要清理".into(),
                submit_token: "hooks-test-token-000000000000000000000000000".into(),
                ..Default::default()
            },
        )
        .await
        .expect("report");
        // As if the case system had taken it as CASE-7.
        with_db!(&app.db, p => sqlx::query("UPDATE reports SET forward_state = 'sent', external_id = 'CASE-7' WHERE id = $1")
            .bind(done.id).execute(p).await.map(|r| r.rows_affected())).unwrap();
        let now = chrono::Utc::now().timestamp();
        let body = r#"[{"update_id":"w-1","service_request_id":"CASE-7","status":"in_progress","description":"已派单"},
                      {"update_id":"w-2","service_request_id":"OTHER-1","status":"closed"}]"#;

        let (status, _) = push(&app, body, now, "wrong-secret").await;
        assert_eq!(status, 401, "a wrong secret");
        let (status, _) = push(&app, body, now - 600, SECRET).await;
        assert_eq!(status, 401, "a stale timestamp");
        let res = new_client().post(app.url("/hooks/case-updates")).body(body).send().await.unwrap();
        assert_eq!(res.status(), 401, "no signature");
        let (status, answer) = push(&app, "not json", now, SECRET).await;
        assert_eq!(status, 400, "{answer}");

        let (status, answer) = push(&app, body, now, SECRET).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer, serde_json::json!({"applied": 1, "ignored": 1}));
        // A replay inside the window changes nothing.
        let (status, answer) = push(&app, body, now, SECRET).await;
        assert_eq!(status, 200);
        assert_eq!(answer, serde_json::json!({"applied": 0, "ignored": 2}));
        let (status, count): (String, i64) = with_db!(&app.db, p => sqlx::query_as(
            "SELECT r.status, (SELECT count(*) FROM report_events e WHERE e.report_id = r.id AND e.external_id IS NOT NULL) FROM reports r WHERE r.id = $1",
        ).bind(done.id).fetch_one(p).await).unwrap();
        assert_eq!((status.as_str(), count), ("in_progress", 1));
        // One update in an object, closing the case; the page shows it.
        let one = r#"{"update_id":"w-3","service_request_id":"CASE-7","status":"CLOSED","description":"已清理完毕","updated_datetime":"2026-11-20T10:00:05.500+08:00"}"#;
        let (status, answer) = push(&app, one, now, SECRET).await;
        assert_eq!((status, answer), (200, serde_json::json!({"applied": 1, "ignored": 0})));
        // An older update delivered late does not undo the close.
        let late = r#"{"update_id":"w-0","service_request_id":"CASE-7","status":"in_progress","description":"","updated_datetime":"2026-11-20T10:00:05.200+08:00"}"#;
        let (status, answer) = push(&app, late, now, SECRET).await;
        assert_eq!((status, answer), (200, serde_json::json!({"applied": 0, "ignored": 1})));
        let status: String = with_db!(&app.db, p => sqlx::query_scalar("SELECT status FROM reports WHERE id = $1")
            .bind(done.id).fetch_one(p).await).unwrap();
        assert_eq!(status, "closed");
        let page = app.page(&new_client(), &format!("/reports/{}", done.id), "zh-CN").await;
        assert!(page.contains("已清理完毕") && page.contains("已派单"), "the timeline shows both");
    })
    .await;
    app.stop().await;
}

async fn the_webhook_is_off_without_a_secret(backend: Backend) {
    let app = TestApp::start(backend).await;
    common::bounded(async {
        let (status, answer) = push(&app, "[]", chrono::Utc::now().timestamp(), "").await;
        assert_eq!(status, 404, "{answer}");
    })
    .await;
    app.stop().await;
}
