//! The authorization matrix: every server function the app registers is called as an
//! anonymous visitor, a resident, a civic-volunteer moderator, an official (城市管理局), an
//! official of another department (the dispatch centre) and an admin, and each refuses
//! (401 or 403) everyone below the level the table here gives it. A new server function
//! fails this test until it is given a level. Arguments are found by asking: a call that
//! lacks one is told which (400 "missing field"), so each gets a placeholder. Nobody gets a
//! server error. Department-by-department rules (an official of another department) are
//! checked in the feature tests; here both officials count as staff.
//!
//! The plain routes (forms posted without wasm, files, feeds, open data, live events, the
//! case system's hook, Open311) get the same treatment from a table of their own: refused
//! means 401 or 403, or for a visitor not signed in, a redirect to the sign-in page.

use crate::common;

use std::collections::BTreeMap;

use crate::common::{new_client, TestApp};

on_both_backends!(
    every_server_function_refuses_who_may_not,
    every_plain_route_refuses_who_may_not
);

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

/// A live session under way (scheduled by the admin) with a resident's question: their ids.
async fn live_session(svc: &gongzhi_domain::Services) -> (i64, i64) {
    let admin_me = common::account(svc, "admin@demo.gongzhi.org").await;
    let resident_me = common::account(svc, "resident@demo.gongzhi.org").await;
    let local = |minutes: i64| {
        (chrono::Utc::now() + chrono::Duration::hours(8) + chrono::Duration::minutes(minutes))
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let session = gongzhi_domain::live::schedule(
        svc,
        Some(&admin_me),
        gongzhi_domain::live::SessionInput {
            title: "权限矩阵直播".into(),
            description: "市民在线提问，部门现场答复。".into(),
            department: common::department(svc, "cgj").await.to_string(),
            starts: local(-5),
            ends: local(60),
        },
    )
    .await
    .expect("live session");
    let live_question =
        gongzhi_domain::live::submit(svc, Some(&resident_me), session, "谁来修路灯？")
            .await
            .expect("live question");
    (session, live_question)
}

/// Anonymous, resident, moderator, official (城市管理局), official of another department
/// (the dispatch centre) and admin, each signed in with its demo account.
async fn callers(app: &TestApp) -> Vec<Caller> {
    vec![
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
    ]
}

async fn every_server_function_refuses_who_may_not(app: &TestApp) {
    let svc = app.demo().await;
    // A live session under way with a question, for the live-answer functions.
    let (_, live_question) = live_session(&svc).await;
    let callers = callers(app).await;
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

/// A plain route: how it is called and who may.
struct Plain {
    method: &'static str,
    path: String,
    /// Multipart text fields (a form posted without wasm), with a fresh form token added.
    fields: Vec<(&'static str, String)>,
    /// A file part: (field, bytes).
    file: Option<(&'static str, Vec<u8>)>,
    need: Need,
}

#[derive(Clone, Copy, Debug)]
enum Need {
    Level(Level),
    /// Nobody by their session: an API key or a signature is what counts.
    Credential,
}

async fn every_plain_route_refuses_who_may_not(app: &TestApp) {
    use gongzhi_domain::with_db;
    let svc = app.demo().await;
    let callers = callers(app).await;
    let one = |sql: &'static str| {
        let svc = svc.clone();
        async move {
            with_db!(&svc.db, p => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await)
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
        }
    };
    // Things to act on: a new case, and the demo city's first answer, process and proposal.
    let case = gongzhi_domain::reports::submit(
        &svc,
        gongzhi_domain::reports::Reporter {
            user: None,
            ip: "10.9.9.9",
            api_key: None,
        },
        gongzhi_domain::reports::NewReport {
            category: "graffiti".into(),
            lat: "22.8172".into(),
            lon: "108.3661".into(),
            description: "桥墩上的涂鸦，权限矩阵用。".into(),
            submit_token: format!("authz-plain-case-{:032}", std::process::id()),
            ..Default::default()
        },
    )
    .await
    .expect("report")
    .id;
    // Passed to the built-in case system: a case waiting for 受理.
    gongzhi_domain::cases::forward(&svc, case)
        .await
        .unwrap_or_else(|_| panic!("case {case}"));
    let answer = one("SELECT id FROM answers ORDER BY id LIMIT 1").await;
    let process = one("SELECT id FROM processes ORDER BY id LIMIT 1").await;
    let proposal = one("SELECT id FROM proposals ORDER BY id LIMIT 1").await;
    let (live, _) = live_session(&svc).await;
    let photo = common::png(40, 30);
    let plain = |method, path: String, fields: Vec<(&'static str, String)>, file, need| Plain {
        method,
        path,
        fields,
        file,
        need,
    };
    use Level::*;
    let routes = vec![
        plain(
            "POST",
            format!("/cases/{case}"),
            vec![("step", "accept".into()), ("stage", "new".into())],
            None,
            Need::Level(Staff),
        ),
        plain(
            "POST",
            format!("/answers/{answer}/files"),
            vec![],
            Some(("file", photo.clone())),
            Need::Level(Staff),
        ),
        plain(
            "POST",
            format!("/deliberation/{process}/image"),
            vec![("alt", "示意图".into())],
            Some(("image", photo.clone())),
            Need::Level(Staff),
        ),
        plain(
            "POST",
            format!("/proposals/{proposal}/image"),
            vec![("alt", "示意图".into())],
            Some(("image", photo.clone())),
            Need::Level(SignedIn),
        ),
        plain(
            "POST",
            "/reports/new".into(),
            vec![
                ("category", "graffiti".into()),
                ("lat", "22.8172".into()),
                ("lon", "108.3661".into()),
                ("description", "桥墩上的涂鸦。".into()),
            ],
            None,
            Need::Level(Anyone),
        ),
        plain(
            "POST",
            "/api/photos".into(),
            vec![],
            Some(("photo", photo.clone())),
            Need::Level(Anyone),
        ),
        plain(
            "POST",
            "/open311/v2/requests.json".into(),
            vec![
                ("service_code", "graffiti".into()),
                ("lat", "22.8172".into()),
                ("long", "108.3661".into()),
                ("description", "graffiti".into()),
            ],
            None,
            Need::Credential,
        ),
        plain(
            "POST",
            "/hooks/case-updates".into(),
            vec![],
            None,
            Need::Credential,
        ),
        plain(
            "GET",
            "/photos/none.jpg".into(),
            vec![],
            None,
            Need::Level(Anyone),
        ),
        plain(
            "GET",
            "/answer-files/none".into(),
            vec![],
            None,
            Need::Level(Anyone),
        ),
        plain(
            "GET",
            "/feeds/reports.atom".into(),
            vec![],
            None,
            Need::Level(Anyone),
        ),
        plain(
            "GET",
            "/feeds/answers.atom".into(),
            vec![],
            None,
            Need::Level(Anyone),
        ),
        plain(
            "GET",
            "/open-data/reports.csv".into(),
            vec![],
            None,
            Need::Level(Anyone),
        ),
        plain(
            "GET",
            "/api/reports/nearby?lat=22.8172&lon=108.3661".into(),
            vec![],
            None,
            Need::Level(Anyone),
        ),
        plain(
            "GET",
            "/grids.geojson".into(),
            vec![],
            None,
            Need::Level(Anyone),
        ),
        plain(
            "GET",
            "/reports.geojson".into(),
            vec![],
            None,
            Need::Level(Anyone),
        ),
        plain("GET", "/healthz".into(), vec![], None, Need::Level(Anyone)),
        plain("GET", "/readyz".into(), vec![], None, Need::Level(Anyone)),
        plain(
            "GET",
            format!("/live/{live}/events"),
            vec![],
            None,
            Need::Level(Anyone),
        ),
        plain(
            "GET",
            "/open311/v2/requests.json".into(),
            vec![],
            None,
            Need::Level(Anyone),
        ),
    ];
    let mut wrong = Vec::new();
    for (k, route) in routes.iter().enumerate() {
        let mut statuses = Vec::new();
        for (i, c) in callers.iter().enumerate() {
            let url = app.url(&route.path);
            let req = if route.method == "GET" {
                c.client.get(&url)
            } else if route.path.starts_with("/open311/") {
                c.client.post(&url).form(&route.fields)
            } else {
                let mut form = reqwest::multipart::Form::new().text(
                    if route.path.contains("/reports/new") || route.path.contains("/photos") {
                        "submit_token"
                    } else {
                        "form_token"
                    },
                    format!(
                        "authz-plain-route-{k:03}-caller-{i:02}-{:016}",
                        std::process::id()
                    ),
                );
                for (name, value) in &route.fields {
                    form = form.text(*name, value.clone());
                }
                if let Some((name, bytes)) = &route.file {
                    form = form.part(
                        *name,
                        reqwest::multipart::Part::bytes(bytes.clone())
                            .file_name("x.png")
                            .mime_str("image/png")
                            .expect("mime"),
                    );
                }
                c.client
                    .post(&url)
                    .header("origin", app.url(""))
                    .multipart(form)
            };
            let res = req.send().await.expect("plain route");
            let status = res.status().as_u16();
            let to_login = status == 303
                && res
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .is_some_and(|l| l.starts_with("/login"));
            // A live event stream never ends: its headers are the answer.
            if !route.path.starts_with("/live/") {
                let _ = res.bytes().await;
            }
            statuses.push(status);
            // The case system's hook is not there at all where no secret is configured.
            let refused = matches!(status, 401 | 403)
                || to_login
                || (matches!(route.need, Need::Credential) && status == 404);
            let may = match route.need {
                Need::Level(l) => c.may(l),
                Need::Credential => false,
            };
            let what = format!("{} {} as {}", route.method, route.path, c.name);
            if status >= 500 {
                wrong.push(format!("{what}: server error {status}"));
            } else if !may && !refused {
                wrong.push(format!("{what}: {status}, not refused"));
            } else if may && (status == 401 || to_login) {
                wrong.push(format!("{what}: {status}, but signed in enough"));
            }
        }
        println!("{:5} {:40} {statuses:?}", route.method, route.path);
    }
    assert!(
        wrong.is_empty(),
        "{} problems:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
