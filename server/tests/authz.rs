//! The authorization matrix: every server function the app registers is called as an
//! anonymous visitor, a resident, a civic-volunteer moderator, an official (城市管理局), an
//! official of another department (the dispatch centre) and an admin, and each refuses
//! (401 or 403) everyone below the level the table here gives it. A new server function
//! fails this test until it is given a level. Arguments are found by asking: a call that
//! lacks one is told which (400 "missing field"), so each gets a placeholder. Nobody gets a
//! server error. Department-by-department rules (an official of another department) are
//! checked in the feature tests; here both officials count as staff.

mod common;

use std::collections::BTreeMap;

use common::{new_client, TestApp};

on_both_backends!(every_server_function_refuses_who_may_not);

/// Who may call a server function at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    /// Anyone, signed in or not (public pages, signing in, anonymous reporting).
    Anyone,
    /// Any signed-in account.
    SignedIn,
    /// Moderators (civic volunteers) and admins.
    Moderator,
    /// Officials of any department and admins.
    Staff,
    /// Admins only.
    Admin,
}

fn level(endpoint: &str) -> Option<Level> {
    use Level::*;
    let l = match endpoint {
        "me"
        | "sign_up"
        | "activate"
        | "log_in"
        | "log_out"
        | "request_reset"
        | "reset_password"
        | "processes"
        | "process"
        | "proposal"
        | "moderation_log"
        | "open_data"
        | "questions"
        | "question"
        | "ask_form"
        | "similar_questions"
        | "departments"
        | "department"
        | "catalog"
        | "reports"
        | "report"
        | "track"
        | "report_form"
        | "results"
        | "results_ratings"
        | "results_rectifications"
        | "services"
        | "service"
        | "live_sessions"
        | "live_session"
        | "reports_nearby" => Anyone,
        "account"
        | "change_password"
        | "support_proposal"
        | "create_proposal"
        | "edit_proposal"
        | "post_comment"
        | "edit_comment"
        | "delete_comment"
        | "vote_comment"
        | "follow"
        | "live_submit"
        | "live_vote"
        | "flag"
        | "appeal"
        | "my_suspension"
        | "ask"
        | "comment_question"
        | "follow_up_question"
        | "want_question"
        | "follow_question"
        | "rate_answer"
        | "support_report"
        | "follow_report"
        | "notifications"
        | "notifications_read"
        | "email_notifications"
        | "rate_service"
        // Anonymous reporters act on their report with its tracking code (checked in the
        // report tests); without one they are refused like any stranger.
        | "report_follow_up" | "rate_report" => SignedIn,
        "moderation_queue" | "moderation_claim" | "moderate" | "suspend" | "lift_suspension" => {
            Moderator
        }
        "case_inbox"
        | "case"
        | "process_form"
        | "save_process"
        | "answer_proposal"
        | "closing_report"
        | "merge_proposal"
        | "live_answering"
        | "live_answer"
        | "route_question"
        | "answer_question"
        | "edit_answer"
        | "hand_over_question"
        | "looking_into_question"
        | "report_update"
        | "record_rectification"
        | "moderation_mode" => Staff,
        "schedule_live"
        | "update_live"
        | "cancel_live"
        | "moderation_settings"
        | "moderation_add_word"
        | "moderation_remove_word"
        | "set_calendar_day"
        | "remove_calendar_day"
        | "save_service"
        | "deadlines"
        | "set_answer_days" => Admin,
        e if e.starts_with("admin_") => Admin,
        _ => return None,
    };
    Some(l)
}

/// The callers, each with the level it reaches.
struct Caller {
    name: &'static str,
    client: reqwest::Client,
    reaches: Level,
    moderator: bool,
}

impl Caller {
    fn may(&self, level: Level) -> bool {
        match level {
            Level::Moderator => self.moderator,
            Level::Staff => matches!(self.reaches, Level::Staff | Level::Admin),
            l => self.reaches >= l,
        }
    }
}

/// A value for `field` of `endpoint` that names something that exists in the demo city, so
/// that the call reaches the permission check instead of stopping at "not found".
fn placeholder(endpoint: &str, field: &str, live_question: i64) -> String {
    match (endpoint, field) {
        ("live_answer" | "live_answering", "id") => live_question.to_string(),
        (_, "kind") => "proposal".into(),
        (_, "mode") => "pre".into(),
        (_, "action") => "hide".into(),
        (_, "on") => "true".into(),
        _ => "1".into(),
    }
}

/// Calls a server function as `client`: a POST of the form, or a GET with it as the query
/// for the few that read by GET.
async fn call(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    get: bool,
    form: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    if !get {
        let (status, body, _) = app.call(client, endpoint, form).await;
        return (status, body);
    }
    let res = client
        .get(app.url(&format!("/api/{endpoint}")))
        .header("accept", "application/json")
        .query(form)
        .send()
        .await
        .expect("server function");
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// The form that gets past argument parsing: each missing field the server names is added
/// with a placeholder (or "true" where a yes/no is wanted). None when it never does.
async fn arguments(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    get: bool,
    live_question: i64,
) -> Option<Vec<(String, String)>> {
    let mut form: Vec<(String, String)> = Vec::new();
    for _ in 0..24 {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (status, body) = call(app, client, endpoint, get, &pairs).await;
        let text = body.to_string();
        if status != 400 {
            return Some(form);
        }
        if let Some(field) = text
            .split("missing field `")
            .nth(1)
            .and_then(|r| r.split('`').next())
        {
            form.push((
                field.to_string(),
                placeholder(endpoint, field, live_question),
            ));
        } else if text.contains("bool") || text.contains("true") {
            let last = form.last_mut()?;
            if last.1 == "true" {
                return None;
            }
            last.1 = "true".into();
        } else {
            return None;
        }
    }
    None
}

async fn every_server_function_refuses_who_may_not(app: &TestApp) {
    let svc = app.demo().await;
    // A live session under way with a question, for the live-answer functions.
    let admin_me = common::account(&svc, "admin@demo.gongzhi.org").await;
    let resident_me = common::account(&svc, "resident@demo.gongzhi.org").await;
    let local = |minutes: i64| {
        (chrono::Utc::now() + chrono::Duration::hours(8) + chrono::Duration::minutes(minutes))
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let session = gongzhi_domain::live::schedule(
        &svc,
        Some(&admin_me),
        gongzhi_domain::live::SessionInput {
            title: "权限矩阵直播".into(),
            description: "市民在线提问，部门现场答复。".into(),
            department: common::department(&svc, "cgj").await.to_string(),
            starts: local(-5),
            ends: local(60),
        },
    )
    .await
    .expect("live session");
    let live_question =
        gongzhi_domain::live::submit(&svc, Some(&resident_me), session, "谁来修路灯？")
            .await
            .expect("live question");
    let callers = vec![
        Caller {
            name: "anonymous",
            client: new_client(),
            reaches: Level::Anyone,
            moderator: false,
        },
        Caller {
            name: "resident",
            client: app
                .logged_in("resident@demo.gongzhi.org", "resident-demo-2026")
                .await,
            reaches: Level::SignedIn,
            moderator: false,
        },
        Caller {
            name: "moderator",
            client: app
                .logged_in("moderator@demo.gongzhi.org", "moderator-demo-2026")
                .await,
            reaches: Level::SignedIn,
            moderator: true,
        },
        Caller {
            name: "official",
            client: app
                .logged_in("official@demo.gongzhi.org", "official-demo-2026")
                .await,
            reaches: Level::Staff,
            moderator: false,
        },
        Caller {
            name: "official of another department",
            client: app
                .logged_in("dispatcher@demo.gongzhi.org", "dispatcher-demo-2026")
                .await,
            reaches: Level::Staff,
            moderator: false,
        },
        Caller {
            name: "admin",
            client: app
                .logged_in("admin@demo.gongzhi.org", "admin-demo-2026")
                .await,
            reaches: Level::Admin,
            moderator: true,
        },
    ];
    let admin = &callers[5].client;

    let mut registered: Vec<(String, bool)> = leptos::server_fn::axum::server_fn_paths()
        .filter_map(|(path, method)| {
            path.strip_prefix("/api/")
                .map(|e| (e.to_string(), method == http::Method::GET))
        })
        .collect();
    registered.sort();
    registered.dedup();
    let gets: Vec<String> = registered
        .iter()
        .filter(|(_, get)| *get)
        .map(|(e, _)| e.clone())
        .collect();
    let endpoints: Vec<String> = registered.into_iter().map(|(e, _)| e).collect();
    assert!(
        endpoints.len() >= 100,
        "{} server functions registered",
        endpoints.len()
    );
    let unknown: Vec<&String> = endpoints.iter().filter(|e| level(e).is_none()).collect();
    assert!(
        unknown.is_empty(),
        "give these server functions a level: {unknown:?}"
    );

    let mut wrong = Vec::new();
    let mut table: BTreeMap<&str, Vec<u16>> = BTreeMap::new();
    for endpoint in &endpoints {
        // Signing out ends the caller's session: only the anonymous visitor tries it.
        if endpoint == "log_out" {
            let (status, body, _) = app.call(&callers[0].client, endpoint, &[]).await;
            assert!(status < 500, "log_out: {status} {body}");
            continue;
        }
        let get = gets.contains(endpoint);
        let Some(form) = arguments(app, admin, endpoint, get, live_question).await else {
            wrong.push(format!("{endpoint}: its arguments could not be found"));
            continue;
        };
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let need = level(endpoint).expect("classified");
        for c in &callers {
            let (status, body) = call(app, &c.client, endpoint, get, &pairs).await;
            table.entry(endpoint.as_str()).or_default().push(status);
            if status >= 500 {
                wrong.push(format!(
                    "{endpoint} as {}: server error {status} {body}",
                    c.name
                ));
            } else if !c.may(need) && !matches!(status, 401 | 403) {
                wrong.push(format!(
                    "{endpoint} ({need:?}) as {}: {status}, not refused",
                    c.name
                ));
            } else if c.may(need) && status == 401 && endpoint != "log_in" {
                wrong.push(format!(
                    "{endpoint} ({need:?}) as {}: 401, but signed in enough",
                    c.name
                ));
            }
        }
    }
    for (e, statuses) in &table {
        println!("{e:28} {statuses:?}");
    }
    assert!(
        wrong.is_empty(),
        "{} problems:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
