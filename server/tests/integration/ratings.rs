//! Satisfaction ratings of reports on both backends: only the reporter rates (signed in, or
//! holding the tracking code), only a closed report, in the five levels with optional
//! dimensions, changeable for 7 days; a poor rating sends the report back for rectification
//! with a deadline in working days — a new 处置 round in the built-in workflow, a reopen
//! update queued for an external Open311 case system — and once it closes again the
//! rectification is done and the reporter rates the next round. Government services:
//! admins keep the catalogue, residents rate with an optional reference number, a poor
//! rating is a rectification the department records in public, and the rater is told.

use crate::common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration as StdDuration;

use crate::common::{account, problems, user, Backend, TestApp};
use chrono::{Duration, Utc};
use gongzhi_domain::cases::builtin::{take_step, StepInput};
use gongzhi_domain::cases::{open311::Target, CaseSystem};
use gongzhi_domain::model::rating::Level;
use gongzhi_domain::model::report::ReportStatus;
use gongzhi_domain::model::{Me, Role};
use gongzhi_domain::ratings::{reports as rating, RatingInput};
use gongzhi_domain::reports::{NewReport, Reporter, Update, UpdateBy};
use gongzhi_domain::{with_db, Error, Problem, Services};

on_both_backends!(
    a_poor_rating_sends_the_case_back_for_another_round,
    anonymous_reporters_rate_with_their_tracking_code,
    the_rating_form_works_over_http,
    services_are_rated_and_poor_ratings_rectified_in_public,
);
on_both_backends_with!(a_poor_rating_reopens_the_request_in_an_external_case_system,);

static TOKENS: AtomicU32 = AtomicU32::new(0);

fn token() -> String {
    format!(
        "ratings-test-token-{:08}-{:020}",
        std::process::id(),
        TOKENS.fetch_add(1, Ordering::SeqCst)
    )
}

/// A graffiti report (the urban management bureau's); returns its id and tracking code.
async fn file(svc: &Services, reporter: Option<&Me>) -> (i64, Option<String>) {
    let done = gongzhi_domain::reports::submit(
        svc,
        Reporter {
            user: reporter,
            ip: "203.0.113.21",
            api_key: None,
        },
        NewReport {
            category: "graffiti".into(),
            lat: "22.8172".into(),
            lon: "108.3661".into(),
            description: "桥墩上有大片涂鸦".into(),
            submit_token: token(),
            ..Default::default()
        },
    )
    .await
    .expect("report");
    (done.id, done.tracking_code)
}

fn step(step: &str, stage: &str, department: i64) -> StepInput {
    StepInput {
        step: step.into(),
        stage: stage.into(),
        note: "已办理".into(),
        department: department.to_string(),
        ..Default::default()
    }
}

/// Takes a built-in case from wherever it is (new, or sent back to the department) to 结案.
async fn close_case(svc: &Services, id: i64) {
    let dispatcher = account(svc, "dispatcher@demo.gongzhi.org").await;
    let official = account(svc, "official@demo.gongzhi.org").await;
    let dept = official.department_id.unwrap();
    let stage: String =
        with_db!(&svc.db, p => sqlx::query_scalar("SELECT stage FROM cases WHERE report_id = $1")
        .bind(id).fetch_one(p).await)
        .unwrap();
    let all: [(&Me, &str, &str); 6] = [
        (&dispatcher, "accept", "new"),
        (&dispatcher, "register", "accepted"),
        (&dispatcher, "dispatch", "registered"),
        (&official, "handle", "dispatched"),
        (&dispatcher, "verify", "handled"),
        (&dispatcher, "close", "verified"),
    ];
    let from = all
        .iter()
        .position(|(_, _, s)| *s == stage)
        .expect("a stage on the way");
    for (who, name, stage) in &all[from..] {
        take_step(svc, Some(who), id, step(name, stage, dept))
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
    }
}

fn rated(level: &str) -> RatingInput {
    RatingInput {
        level: level.into(),
        ..Default::default()
    }
}

async fn status_of(svc: &Services, id: i64) -> ReportStatus {
    gongzhi_domain::reports::get(svc, id)
        .await
        .unwrap()
        .unwrap()
        .status
}

async fn a_poor_rating_sends_the_case_back_for_another_round(app: &TestApp) {
    let svc = app.demo().await;
    let reporter = user(&svc, "评价的居民", Role::Resident, None).await;
    let other = user(&svc, "别的居民", Role::Resident, None).await;
    let (id, _) = file(&svc, Some(&reporter)).await;
    gongzhi_domain::cases::forward(&svc, id).await.unwrap();

    // Not before it is closed; only its reporter.
    let e = rating::rate(&svc, Some(&reporter), None, id, rated("satisfied"))
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("level".into(), Problem::NotClosed)]);
    close_case(&svc, id).await;
    assert!(matches!(
        rating::rate(&svc, Some(&other), None, id, rated("satisfied")).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        rating::rate(&svc, None, None, id, rated("satisfied")).await,
        Err(Error::Unauthenticated)
    ));
    // Bad input names each field and saves nothing.
    let e = rating::rate(
        &svc,
        Some(&reporter),
        None,
        id,
        RatingInput {
            level: String::new(),
            speed: "fast".into(),
            comment: "长".repeat(501),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        problems(e),
        vec![
            ("level".into(), Problem::Required),
            ("speed".into(), Problem::InvalidChoice),
            ("comment".into(), Problem::TooLong { max: 500 }),
        ]
    );
    let r = rating::of_report(&svc, id, ReportStatus::Closed, true)
        .await
        .unwrap();
    assert!(r.rounds.is_empty());
    assert_eq!(r.open_round, Some(1));

    // Satisfied, then changed (within 7 days) to dissatisfied: sent back for rectification.
    assert_eq!(
        rating::rate(&svc, Some(&reporter), None, id, rated("satisfied"))
            .await
            .unwrap(),
        1
    );
    assert_eq!(status_of(&svc, id).await, ReportStatus::Closed);
    let before = Utc::now();
    rating::rate(
        &svc,
        Some(&reporter),
        None,
        id,
        RatingInput {
            level: "dissatisfied".into(),
            attitude: "basic".into(),
            comment: "涂鸦只盖了一半".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(status_of(&svc, id).await, ReportStatus::Reopened);
    let (stage, round): (String, i64) = with_db!(&svc.db, p => sqlx::query_as(
        "SELECT stage, round FROM cases WHERE report_id = $1").bind(id).fetch_one(p).await)
    .unwrap();
    assert_eq!(
        (stage.as_str(), round),
        ("dispatched", 2),
        "a new 处置 round"
    );
    let r = rating::of_report(&svc, id, ReportStatus::Reopened, true)
        .await
        .unwrap();
    assert_eq!(r.rounds.len(), 1, "one rating, changed");
    assert_eq!(r.rounds[0].rating.level, Level::Dissatisfied);
    assert_eq!(r.rounds[0].rating.comment, "涂鸦只盖了一半");
    assert_eq!(
        r.open_round, None,
        "nothing to rate while it is being rectified"
    );
    let fix = &r.rectifications[0];
    assert!(fix.done_at.is_none());
    // Fifteen working days: three working weeks, at least 19 calendar days (from a Sunday).
    assert!(
        fix.due_at >= before + Duration::days(18),
        "{:?}",
        fix.due_at
    );
    let report = gongzhi_domain::reports::get(&svc, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        report.due_at, fix.due_at,
        "the report's deadline is the rectification's"
    );
    assert!(report.timeline.iter().any(|e| e.kind == "reopen"
        && e.note.contains("要求整改")
        && e.note.contains("涂鸦只盖了一半")));
    // A poor rating again changes nothing more; nor can it be rated while reopened.
    let e = rating::rate(&svc, Some(&reporter), None, id, rated("very_dissatisfied"))
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("level".into(), Problem::NotClosed)]);

    // Rectified and closed: done on time, and the reporter is asked to rate round 2.
    close_case(&svc, id).await;
    let r = rating::of_report(&svc, id, ReportStatus::Closed, true)
        .await
        .unwrap();
    assert_eq!(r.rectifications[0].on_time(), Some(true));
    assert_eq!(r.open_round, Some(2));
    let asked: i64 = with_db!(&svc.db, p => sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE user_id = $1 AND report_id = $2 AND kind = 'rate_again'")
        .bind(reporter.id).bind(id).fetch_one(p).await)
    .unwrap();
    assert_eq!(asked, 1);
    assert_eq!(
        rating::rate(&svc, Some(&reporter), None, id, rated("very_satisfied"))
            .await
            .unwrap(),
        2
    );
    let public = rating::of_report(&svc, id, ReportStatus::Closed, false)
        .await
        .unwrap();
    let levels: Vec<(i64, Level)> = public
        .rounds
        .iter()
        .map(|r| (r.round, r.rating.level))
        .collect();
    assert_eq!(
        levels,
        [(1, Level::Dissatisfied), (2, Level::VerySatisfied)]
    );
    assert!(
        public.rounds.iter().all(|r| r.rating.comment.is_empty()),
        "comments stay the reporter's"
    );

    // After 7 days a rating is final.
    with_db!(&svc.db, p => sqlx::query(
        "UPDATE ratings SET created_at = $1 WHERE subject_kind = 'report' AND subject_id = $2")
        .bind(Utc::now() - Duration::days(8)).bind(id).execute(p).await.map(|r| r.rows_affected()))
    .unwrap();
    let e = rating::rate(&svc, Some(&reporter), None, id, rated("dissatisfied"))
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("level".into(), Problem::RatingLocked { days: 7 })]
    );
    let r = rating::of_report(&svc, id, ReportStatus::Closed, true)
        .await
        .unwrap();
    assert_eq!(r.open_round, None);
    assert_eq!(status_of(&svc, id).await, ReportStatus::Closed);
}

async fn anonymous_reporters_rate_with_their_tracking_code(app: &TestApp) {
    let svc = app.demo().await;
    let (id, code) = file(&svc, None).await;
    let code = code.expect("a tracking code");
    gongzhi_domain::cases::forward(&svc, id).await.unwrap();
    close_case(&svc, id).await;
    let (other, other_code) = file(&svc, None).await;
    assert_ne!(other, id);
    assert!(matches!(
        rating::rate(&svc, None, other_code.as_deref(), id, rated("satisfied")).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        rating::rate(&svc, None, Some("WRONG-CODE"), id, rated("satisfied")).await,
        Err(Error::Forbidden)
    ));
    // A poor rating with the code sends it back too.
    rating::rate(
        &svc,
        None,
        Some(&code.to_lowercase()),
        id,
        rated("very_dissatisfied"),
    )
    .await
    .unwrap();
    assert_eq!(status_of(&svc, id).await, ReportStatus::Reopened);
    let rater: (Option<i64>, String) = with_db!(&svc.db, p => sqlx::query_as(
        "SELECT rater_id, rater_key FROM ratings WHERE subject_kind = 'report' AND subject_id = $1")
        .bind(id).fetch_one(p).await)
    .unwrap();
    assert_eq!(
        rater,
        (None, "anon".to_string()),
        "nothing names an anonymous reporter"
    );
}

async fn the_rating_form_works_over_http(app: &TestApp) {
    let svc = app.demo().await;
    let client = app
        .resident("rater@example.org", "网上评价人", "rater-pass-2026")
        .await;
    let me = account(&svc, "rater@example.org").await;
    let (id, _) = file(&svc, Some(&me)).await;
    gongzhi_domain::cases::forward(&svc, id).await.unwrap();
    let page = format!("/reports/{id}");
    let html = app.page(&client, &page, "zh-CN").await;
    assert!(
        !html.contains("评价办理结果"),
        "no form before it is closed"
    );
    close_case(&svc, id).await;
    let html = app.page(&client, &page, "zh-CN").await;
    assert!(html.contains("评价办理结果") && html.contains("name=\"level\""));
    let anonymous = common::new_client();
    assert!(!app
        .page(&anonymous, &page, "zh-CN")
        .await
        .contains("评价办理结果"));

    // Bad input over HTTP: 422 naming the field.
    let sid = id.to_string();
    let (status, body, _) = app
        .call(
            &client,
            "rate_report",
            &[("id", sid.as_str()), ("level", "")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("level"), "{body}");
    let (status, body, _) = app
        .call(
            &client,
            "rate_report",
            &[
                ("id", sid.as_str()),
                ("level", "dissatisfied"),
                ("rating_comment", "没有清理干净"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // Everyone sees the level and the rectification; the rating shows the reporter's words
    // only to them (though, as the reason for rectification, they are on the timeline).
    let html = app.page(&anonymous, &page, "en").await;
    assert!(
        html.contains("Dissatisfied") && html.contains("being rectified"),
        "{}",
        html.chars().take(400).collect::<String>()
    );
    let section = |html: &str| {
        let at = html.find("report-ratings").expect("the ratings");
        html[at..at + html[at..].find("</section>").unwrap()].to_string()
    };
    assert!(!section(&html).contains("没有清理干净"));
    // The comment is the reason on the public timeline's reopen entry.
    assert!(html.contains("没有清理干净"));
    let html = app.page(&client, &page, "zh-CN").await;
    assert!(section(&html).contains("没有清理干净") && html.contains("整改中"));
}

async fn a_poor_rating_reopens_the_request_in_an_external_case_system(backend: Backend) {
    let app = TestApp::start_with(backend, |c| c.job_runner = false).await;
    common::bounded(async {
        let mut svc = app.demo().await;
        // The external case system is not reached here: what matters is that the reopen
        // waits for it as an Open311 update, queued with the rating's reopen.
        svc.cases = CaseSystem::Open311(
            Target::new(
                "http://127.0.0.1:9/open311/v2",
                "key",
                "",
                BTreeMap::new(),
                StdDuration::from_secs(1),
            )
            .unwrap(),
        );
        let reporter = user(&svc, "外部系统评价人", Role::Resident, None).await;
        let (id, _) = file(&svc, Some(&reporter)).await;
        // The case system closes it (as its polled updates do).
        let by = UpdateBy {
            role: "system",
            department_id: None,
            actor_id: None,
            external_id: Some("ext-close-1"),
        };
        let close = |note: &str| Update {
            status: Some(ReportStatus::Closed),
            note: note.into(),
            public: true,
        };
        gongzhi_domain::reports::record_update(&svc, id, &by, close("已办结")).await.unwrap();
        rating::rate(&svc, Some(&reporter), None, id, rated("dissatisfied")).await.unwrap();
        assert_eq!(status_of(&svc, id).await, ReportStatus::Reopened);
        let (event, relay): (i64, Option<String>) = with_db!(&svc.db, p => sqlx::query_as(
            "SELECT id, relay FROM report_events WHERE report_id = $1 AND kind = 'reopen'")
            .bind(id).fetch_one(p).await)
        .unwrap();
        assert_eq!(relay.as_deref(), Some("waiting"));
        let job: i64 = with_db!(&svc.db, p => sqlx::query_scalar(
            "SELECT count(*) FROM jobs WHERE dedupe_key = $1").bind(format!("send_update:{event}")).fetch_one(p).await)
        .unwrap();
        assert_eq!(job, 1, "the reopen goes to the case system as an update");

        // Closed again by the case system: the rectification is done.
        let by = UpdateBy {
            external_id: Some("ext-close-2"),
            ..by
        };
        gongzhi_domain::reports::record_update(&svc, id, &by, close("已整改")).await.unwrap();
        let r = rating::of_report(&svc, id, ReportStatus::Closed, true).await.unwrap();
        assert_eq!(r.rectifications.len(), 1);
        assert_eq!(r.rectifications[0].on_time(), Some(true));
        assert_eq!(r.open_round, Some(2));
    })
    .await;
    app.stop().await;
}

async fn services_are_rated_and_poor_ratings_rectified_in_public(app: &TestApp) {
    use gongzhi_domain::ratings::services::{self, ServiceInput};
    let svc = app.demo().await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let cgj = common::department(&svc, "cgj").await;
    let jtj = common::department(&svc, "jtj").await;
    let resident = user(&svc, "办事的居民", Role::Resident, None).await;
    let city = user(&svc, "城管局审批科", Role::Official, Some(cgj)).await;
    let transport = user(&svc, "交通局审批科", Role::Official, Some(jtj)).await;
    let input = |code: &str, name: &str, department: i64| ServiceInput {
        code: code.into(),
        name_zh: name.into(),
        name_en: "Night market stall permit".into(),
        description_zh: String::new(),
        description_en: String::new(),
        department: department.to_string(),
        active: true,
    };

    // Only admins keep the catalogue; bad input names each field.
    assert!(matches!(
        services::save(
            &svc,
            Some(&resident),
            input("night-stall", "夜市摊位许可", cgj)
        )
        .await,
        Err(Error::Forbidden)
    ));
    let e = services::save(
        &svc,
        Some(&admin),
        ServiceInput {
            code: "夜市 许可".into(),
            name_zh: String::new(),
            name_en: "x".repeat(101),
            department: "999999".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        problems(e),
        vec![
            ("code".into(), Problem::InvalidChoice),
            ("name_zh".into(), Problem::Required),
            ("name_en".into(), Problem::TooLong { max: 100 }),
            ("department".into(), Problem::UnknownDepartment),
        ]
    );
    let id = services::save(
        &svc,
        Some(&admin),
        input("night-stall", "夜市摊位许可", cgj),
    )
    .await
    .unwrap();
    // The same code changes it.
    assert_eq!(
        services::save(
            &svc,
            Some(&admin),
            input("night-stall", "夜市临时摊位许可", cgj)
        )
        .await
        .unwrap(),
        id
    );
    let (s, _) = services::by_code(&svc, "night-stall")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.name_zh, "夜市临时摊位许可");

    // Signed-in residents rate, with an optional reference number.
    assert!(matches!(
        services::rate(&svc, None, id, "", rated("satisfied")).await,
        Err(Error::Unauthenticated)
    ));
    let e = services::rate(&svc, Some(&resident), id, &"9".repeat(65), rated(""))
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![
            ("level".into(), Problem::Required),
            ("reference".into(), Problem::TooLong { max: 64 }),
        ]
    );
    services::rate(&svc, Some(&resident), id, "YS-001", rated("satisfied"))
        .await
        .unwrap();
    let poor = RatingInput {
        level: "dissatisfied".into(),
        comment: "现场说材料不全，网上却没写".into(),
        ..Default::default()
    };
    services::rate(&svc, Some(&resident), id, "YS-002", poor)
        .await
        .unwrap();
    // Changing a rating (same reference, within 7 days) keeps one rating.
    services::rate(&svc, Some(&resident), id, "YS-001", rated("very_satisfied"))
        .await
        .unwrap();
    let (_, f) = services::by_code(&svc, "night-stall")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (f.ratings, f.satisfied, f.rectifications, f.rectified),
        (2, 1, 1, 0)
    );
    assert_eq!(f.average(), Some(3.5));
    let own = services::own(&svc, &resident, id).await.unwrap();
    assert_eq!(own.len(), 2);

    // The poor one is the department's to rectify, with the rater's words; others don't see it.
    let list = services::for_department(&svc, Some(&city)).await.unwrap();
    let r = list
        .iter()
        .find(|r| r.service_id == id)
        .expect("the rectification");
    assert_eq!(
        (r.reference.as_str(), r.comment.as_str()),
        ("YS-002", "现场说材料不全，网上却没写")
    );
    assert!(
        r.due_at > Utc::now() + Duration::days(18),
        "15 working days"
    );
    assert!(services::for_department(&svc, Some(&transport))
        .await
        .unwrap()
        .iter()
        .all(|x| x.service_id != id));
    assert!(matches!(
        services::for_department(&svc, Some(&resident)).await,
        Err(Error::Forbidden)
    ));
    let told: i64 = with_db!(&svc.db, p => sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'service_rectify' AND detail = 'new'")
        .bind(city.id).fetch_one(p).await)
    .unwrap();
    assert_eq!(told, 1);

    // The department records what it did, in public; the rater is told.
    assert!(matches!(
        services::record(&svc, Some(&transport), r.id, "改了").await,
        Err(Error::Forbidden)
    ));
    let e = services::record(&svc, Some(&city), r.id, " ")
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("done_note".into(), Problem::Required)]);
    services::record(&svc, Some(&city), r.id, "已在网上办事指南中补全材料清单。")
        .await
        .unwrap();
    let e = services::record(&svc, Some(&city), r.id, "再记一次")
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("done_note".into(), Problem::AlreadyAnswered)]
    );
    let done = services::done_for_service(&svc, id).await.unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].done_note, "已在网上办事指南中补全材料清单。");
    assert!(
        done[0].comment.is_empty() && done[0].reference.is_empty(),
        "the rater's words stay private"
    );
    let told: i64 = with_db!(&svc.db, p => sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'service_rectify' AND detail = 'done'")
        .bind(resident.id).fetch_one(p).await)
    .unwrap();
    assert_eq!(told, 1);
    let (_, f) = services::by_code(&svc, "night-stall")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((f.rectified, f.rectified_on_time), (1, 1));

    // A service no longer offered takes no ratings, but keeps its page.
    let mut off = input("night-stall", "夜市临时摊位许可", cgj);
    off.active = false;
    services::save(&svc, Some(&admin), off).await.unwrap();
    let e = services::rate(&svc, Some(&resident), id, "YS-003", rated("basic"))
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("level".into(), Problem::InvalidChoice)]);
    assert!(services::list(&svc, false)
        .await
        .unwrap()
        .iter()
        .all(|(s, _)| s.id != id));
    assert!(services::list(&svc, true)
        .await
        .unwrap()
        .iter()
        .any(|(s, _)| s.id == id));

    // Over HTTP: the catalogue with figures, the page with its form, rating by form post.
    let anonymous = common::new_client();
    let html = app.page(&anonymous, "/services", "zh-CN").await;
    assert!(html.contains("临时占道经营许可") && html.contains("/services/stall-permit"));
    let client = app
        .resident("service-rater@example.org", "网上办事人", "rater-pass-2026")
        .await;
    let html = app.page(&client, "/services/bus-card", "zh-CN").await;
    assert!(html.contains("评价这项服务") && html.contains("name=\"reference\""));
    let (bus, _) = services::by_code(&svc, "bus-card").await.unwrap().unwrap();
    let sid = bus.id.to_string();
    let (status, body, _) = app
        .call(
            &client,
            "rate_service",
            &[
                ("id", sid.as_str()),
                ("level", "basic"),
                ("reference", "LN-77"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let html = app.page(&client, "/services/bus-card", "en").await;
    assert!(html.contains("Your ratings") && html.contains("LN-77"));
    let html = app
        .page(&anonymous, "/services/stall-permit", "zh-CN")
        .await;
    assert!(
        html.contains("审批时限压缩至 3 个工作日"),
        "the demo's rectification is public"
    );
    assert!(
        !html.contains("网上申请提交后两周没有回音"),
        "the rater's words are not"
    );
}
