//! Accounts over HTTP, on SQLite and PostgreSQL: sign-up, activation, sign-in, sessions,
//! password change and reset, rate limits, roles.

use crate::common;

use crate::common::{new_client, TestApp};
use serde_json::json;

on_both_backends!(
    sign_up_names_each_bad_field_and_saves_nothing,
    sign_up_then_activation_link_signs_in,
    sign_up_with_a_registered_email_answers_the_same,
    wrong_password_and_unknown_email_get_the_same_error,
    inactive_account_cannot_sign_in_and_gets_a_new_link,
    failed_logins_are_rate_limited_per_account,
    session_id_changes_at_login_and_old_one_dies,
    log_out_ends_the_session,
    change_password_checks_current_and_ends_other_sessions,
    password_reset_by_one_time_link,
    only_admins_list_users_and_change_roles,
    the_last_admin_keeps_the_role,
    a_form_posted_without_wasm_comes_back_filled_in,
);

async fn a_form_posted_without_wasm_comes_back_filled_in(app: &TestApp) {
    let c = common::new_client();
    // A browser without wasm posts the form itself and follows the redirect back.
    let res = c
        .post(app.url("/api/sign_up"))
        .header("accept", "text/html")
        .header("referer", app.url("/signup"))
        .header("origin", app.base.clone())
        .form(&[
            ("email", "not-an-address"),
            ("display_name", "张 & 李"),
            ("password", "secret words 123"),
            ("password_confirm", "other words 123"),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = res.headers()["location"].to_str().unwrap().to_string();
    let back = back.strip_prefix(&app.base).unwrap_or(&back).to_string();
    let page = app.page(&c, &back, "zh-CN").await;
    assert!(
        page.contains("value=\"not-an-address\""),
        "email kept: {back}"
    );
    assert!(page.contains("value=\"张 &amp; 李\""), "name kept");
    assert!(
        !page.contains("secret words 123"),
        "passwords are never kept"
    );
    assert!(
        page.contains("请输入有效的邮箱地址"),
        "the problem is shown"
    );
}

fn field_problems(body: &serde_json::Value) -> Vec<(String, String)> {
    body["Invalid"]
        .as_array()
        .unwrap_or_else(|| panic!("not a validation error: {body}"))
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["problem"]["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn sign_up_names_each_bad_field_and_saves_nothing(app: &TestApp) {
    let c = new_client();
    let (status, body, _) = app
        .call(
            &c,
            "sign_up",
            &[
                ("email", "not-an-email"),
                ("display_name", "  "),
                ("password", "short"),
                ("password_confirm", "different"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    let problems = field_problems(&body);
    assert_eq!(
        problems,
        vec![
            ("email".into(), "invalid_email".into()),
            ("display_name".into(), "required".into()),
            ("password".into(), "too_short".into()),
            ("password_confirm".into(), "password_mismatch".into()),
        ]
    );
    let (status, body, _) = app
        .call(
            &c,
            "sign_up",
            &[
                ("email", "a@b.cn"),
                ("display_name", &"名".repeat(41)),
                ("password", "password"),
                ("password_confirm", "password"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_problems(&body),
        vec![
            ("display_name".into(), "too_long".into()),
            ("password".into(), "password_too_common".into())
        ]
    );
    let users: i64 = gongzhi_domain::with_db!(&app.db, p => sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(p).await).unwrap();
    assert_eq!(users, 0, "nothing may be saved from a rejected form");
}

async fn sign_up_then_activation_link_signs_in(app: &TestApp) {
    let c = app
        .resident("Li.Wei@Example.cn", "李伟", "绿城南宁的春天来了")
        .await;
    let me = app.me(&c).await;
    assert_eq!(me["display_name"], "李伟");
    assert_eq!(
        me["email"], "li.wei@example.cn",
        "emails are stored normalized"
    );
    assert_eq!(me["role"], "resident");
    // The activation link works once.
    let token = app.link_token("li.wei@example.cn", "activate").await;
    let (status, body, _) = app
        .call(&new_client(), "activate", &[("token", &token)])
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_problems(&body),
        vec![("token".into(), "expired_link".into())]
    );
    // Signing in with mixed-case email works too.
    let c2 = app
        .logged_in("LI.WEI@example.CN", "绿城南宁的春天来了")
        .await;
    assert_eq!(app.me(&c2).await["display_name"], "李伟");
}

async fn sign_up_with_a_registered_email_answers_the_same(app: &TestApp) {
    app.resident("taken@example.cn", "First", "a long enough pass")
        .await;
    let (status, body, _) = app
        .call(
            &new_client(),
            "sign_up",
            &[
                ("email", "taken@example.cn"),
                ("display_name", "Second"),
                ("password", "another long pass"),
                ("password_confirm", "another long pass"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({"mail_sent": false}));
    let mail = app.last_mail_to("taken@example.cn").await.unwrap();
    assert!(mail.contains("already has an account"), "{mail}");
    // The original password still works; the second sign-up changed nothing.
    app.logged_in("taken@example.cn", "a long enough pass")
        .await;
}

async fn wrong_password_and_unknown_email_get_the_same_error(app: &TestApp) {
    app.resident("known@example.cn", "Known", "the right password")
        .await;
    let c = new_client();
    let (s1, b1, _) = app
        .try_log_in(&c, "known@example.cn", "the wrong password")
        .await;
    let (s2, b2, _) = app
        .try_log_in(&c, "nobody@example.cn", "the wrong password")
        .await;
    assert_eq!((s1, s2), (401, 401));
    assert_eq!(b1, json!("BadCredentials"));
    assert_eq!(b1, b2);
    let (s3, b3, _) = app.try_log_in(&c, "", "").await;
    assert_eq!(s3, 422);
    assert_eq!(
        field_problems(&b3),
        vec![
            ("email".into(), "required".into()),
            ("password".into(), "required".into())
        ]
    );
}

async fn inactive_account_cannot_sign_in_and_gets_a_new_link(app: &TestApp) {
    let c = new_client();
    app.call(
        &c,
        "sign_up",
        &[
            ("email", "late@example.cn"),
            ("display_name", "Late"),
            ("password", "a fine password"),
            ("password_confirm", "a fine password"),
        ],
    )
    .await;
    let first = app.link_token("late@example.cn", "activate").await;
    let (status, body, _) = app
        .try_log_in(&c, "late@example.cn", "a fine password")
        .await;
    assert_eq!(status, 401);
    assert_eq!(body, json!("NotActivated"));
    let second = app.link_token("late@example.cn", "activate").await;
    assert_ne!(first, second, "a fresh link is sent");
    // A wrong password on an inactive account says nothing about activation.
    let (_, body, _) = app
        .try_log_in(&c, "late@example.cn", "wrong password!")
        .await;
    assert_eq!(body, json!("BadCredentials"));
}

async fn failed_logins_are_rate_limited_per_account(app: &TestApp) {
    app.resident("target@example.cn", "Target", "the real password")
        .await;
    let c = new_client();
    for _ in 0..5 {
        let (status, _, _) = app.try_log_in(&c, "target@example.cn", "guess guess").await;
        assert_eq!(status, 401);
    }
    // Even the right password is refused now, with a clear message and a wait time.
    let (status, body, _) = app
        .try_log_in(&c, "target@example.cn", "the real password")
        .await;
    assert_eq!(status, 429);
    let wait = body["RateLimited"]["retry_after_secs"]
        .as_u64()
        .expect("retry time");
    assert!(wait > 0 && wait <= 15 * 60, "{wait}");
    // An unknown account is limited the same way, so the limit reveals nothing.
    for _ in 0..5 {
        app.try_log_in(&c, "ghost@example.cn", "guess guess").await;
    }
    let (status, _, _) = app.try_log_in(&c, "ghost@example.cn", "guess guess").await;
    assert_eq!(status, 429);
}

fn session_cookie(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("gz_session="))
        .map(|v| v.to_string())
}

async fn session_id_changes_at_login_and_old_one_dies(app: &TestApp) {
    app.resident("rot@example.cn", "Rot", "rotate me please")
        .await;
    let c = new_client();
    let form = [
        ("email", "rot@example.cn"),
        ("password", "rotate me please"),
        ("next", "/me"),
    ];
    let (_, _, h1) = app.call(&c, "log_in", &form).await;
    let first = session_cookie(&h1).expect("cookie set at login");
    assert!(
        first.contains("HttpOnly") && first.contains("SameSite=Lax") && first.contains("Path=/"),
        "{first}"
    );
    let first_token = first
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("gz_session=")
        .to_string();
    let (_, _, h2) = app.call(&c, "log_in", &form).await;
    let second = session_cookie(&h2).expect("cookie set at second login");
    let second_token = second
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("gz_session=")
        .to_string();
    assert_ne!(first_token, second_token, "a new session id at every login");
    assert!(
        gongzhi_domain::accounts::sessions::user(&app.db, &first_token)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        gongzhi_domain::accounts::sessions::user(&app.db, &second_token)
            .await
            .unwrap()
            .is_some()
    );
    // Only a hash of the token is stored.
    let stored: i64 = gongzhi_domain::with_db!(&app.db, p => sqlx::query_scalar("SELECT count(*) FROM sessions WHERE id_hash = $1").bind(&second_token).fetch_one(p).await).unwrap();
    assert_eq!(stored, 0);
}

async fn log_out_ends_the_session(app: &TestApp) {
    let c = app
        .resident("out@example.cn", "Out", "leaving soon now")
        .await;
    assert_eq!(app.me(&c).await["display_name"], "Out");
    let (status, _, headers) = app.call(&c, "log_out", &[]).await;
    assert_eq!(status, 200);
    assert!(session_cookie(&headers).unwrap().contains("Max-Age=0"));
    assert_eq!(app.me(&c).await, json!(null));
}

async fn change_password_checks_current_and_ends_other_sessions(app: &TestApp) {
    let phone = app
        .resident("cp@example.cn", "CP", "old password here")
        .await;
    let laptop = app.logged_in("cp@example.cn", "old password here").await;
    let (status, body, _) = app
        .call(
            &phone,
            "change_password",
            &[
                ("current_password", "not it at all"),
                ("new_password", "new password here"),
                ("new_password_confirm", "new password here"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_problems(&body),
        vec![("current_password".into(), "wrong_password".into())]
    );
    let (status, body, _) = app
        .call(
            &phone,
            "change_password",
            &[
                ("current_password", "old password here"),
                ("new_password", "new password here"),
                ("new_password_confirm", "typo here"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_problems(&body),
        vec![("new_password_confirm".into(), "password_mismatch".into())]
    );
    let (status, _, _) = app
        .call(
            &phone,
            "change_password",
            &[
                ("current_password", "old password here"),
                ("new_password", "new password here"),
                ("new_password_confirm", "new password here"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        app.me(&phone).await["display_name"],
        "CP",
        "this browser stays signed in"
    );
    assert_eq!(app.me(&laptop).await, json!(null), "other sessions end");
    app.logged_in("cp@example.cn", "new password here").await;
}

async fn password_reset_by_one_time_link(app: &TestApp) {
    let c = app
        .resident("forgot@example.cn", "Forgot", "i will forget it")
        .await;
    let anon = new_client();
    let (s1, b1, _) = app
        .call(&anon, "request_reset", &[("email", "forgot@example.cn")])
        .await;
    let (s2, b2, _) = app
        .call(&anon, "request_reset", &[("email", "stranger@example.cn")])
        .await;
    assert_eq!((s1, s2), (200, 200));
    assert_eq!(
        b1, b2,
        "the answer does not tell whether the account exists"
    );
    assert!(app.last_mail_to("stranger@example.cn").await.is_none());
    let token = app.link_token("forgot@example.cn", "reset").await;
    let (status, body, _) = app
        .call(
            &anon,
            "reset_password",
            &[
                ("token", &token),
                ("new_password", "short"),
                ("new_password_confirm", "short"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_problems(&body),
        vec![("new_password".into(), "too_short".into())]
    );
    let (status, _, _) = app
        .call(
            &anon,
            "reset_password",
            &[
                ("token", &token),
                ("new_password", "remembered now"),
                ("new_password_confirm", "remembered now"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.me(&c).await, json!(null), "a reset ends every session");
    let (_, body, _) = app
        .call(
            &anon,
            "reset_password",
            &[
                ("token", &token),
                ("new_password", "again and again"),
                ("new_password_confirm", "again and again"),
            ],
        )
        .await;
    assert_eq!(
        field_problems(&body),
        vec![("token".into(), "expired_link".into())]
    );
    app.logged_in("forgot@example.cn", "remembered now").await;
}

async fn only_admins_list_users_and_change_roles(app: &TestApp) {
    let resident = app
        .resident("res@example.cn", "Res", "resident password")
        .await;
    let (status, body, _) = app
        .call(
            &new_client(),
            "admin_users",
            &[("query", ""), ("page", "0")],
        )
        .await;
    assert_eq!((status, body), (401, json!("Unauthenticated")));
    let (status, body, _) = app
        .call(&resident, "admin_users", &[("query", ""), ("page", "0")])
        .await;
    assert_eq!((status, body), (403, json!("Forbidden")));
    let me = app.me(&resident).await;
    let id = me["id"].as_i64().unwrap().to_string();
    let (status, _, _) = app
        .call(
            &resident,
            "admin_set_role",
            &[("user_id", &id), ("role", "admin"), ("department_id", "")],
        )
        .await;
    assert_eq!(status, 403, "a resident cannot make themselves admin");

    let admin = app.admin().await;
    let dept =
        gongzhi_domain::departments::upsert(&app.db, "cgj", "城市管理局", "Urban Management")
            .await
            .unwrap()
            .to_string();
    let (status, body, _) = app
        .call(&admin, "admin_users", &[("query", "res@"), ("page", "0")])
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["total"], 1);
    assert_eq!(body["users"][0]["email"], "res@example.cn");
    let (status, body, _) = app
        .call(
            &admin,
            "admin_set_role",
            &[
                ("user_id", &id),
                ("role", "official"),
                ("department_id", ""),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_problems(&body),
        vec![("department_id".into(), "department_required".into())]
    );
    let (status, body, _) = app
        .call(
            &admin,
            "admin_set_role",
            &[("user_id", &id), ("role", "mayor"), ("department_id", "")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_problems(&body),
        vec![("role".into(), "invalid_choice".into())]
    );
    let (status, _, _) = app
        .call(
            &admin,
            "admin_set_role",
            &[
                ("user_id", &id),
                ("role", "official"),
                ("department_id", &dept),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let me = app.me(&resident).await;
    assert_eq!(me["role"], "official");
    assert_eq!(me["department_id"].as_i64().unwrap().to_string(), dept);
    let audit: i64 = gongzhi_domain::with_db!(&app.db, p => sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'set_role'").fetch_one(p).await).unwrap();
    assert_eq!(audit, 1, "role changes are audited");
    // Back to moderator: the department goes.
    app.call(
        &admin,
        "admin_set_role",
        &[
            ("user_id", &id),
            ("role", "moderator"),
            ("department_id", &dept),
        ],
    )
    .await;
    let me = app.me(&resident).await;
    assert_eq!(
        (me["role"].clone(), me["department_id"].clone()),
        (json!("moderator"), json!(null))
    );
}

async fn the_last_admin_keeps_the_role(app: &TestApp) {
    let admin = app.admin().await;
    let id = app.me(&admin).await["id"].as_i64().unwrap().to_string();
    let (status, body, _) = app
        .call(
            &admin,
            "admin_set_role",
            &[
                ("user_id", &id),
                ("role", "resident"),
                ("department_id", ""),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(app.me(&admin).await["role"], "admin");
}
