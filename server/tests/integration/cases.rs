//! The built-in case workflow on both backends: a case goes from 受理 to 结案 with every step
//! on the record and the public part on the report page; steps out of turn, by the wrong
//! people, without a reason or on a stale page are refused with the field named; a
//! department may send a case back and a failed check starts another round; the inbox
//! shows each side its own cases and flags overdue ones; and the step forms work as plain
//! posts, after-photos included, coming back filled in when refused.

use crate::common;

use crate::common::account;

use std::io::Cursor;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::common::TestApp;
use gongzhi_domain::cases::builtin::{detail, inbox, take_step, StepInput};
use gongzhi_domain::model::case::{InboxView, Stage};
use gongzhi_domain::model::report::ReportStatus;
use gongzhi_domain::model::Me;
use gongzhi_domain::reports::{NewReport, Reporter};
use gongzhi_domain::{with_db, Error, Problem, Services};
use reqwest::multipart::{Form, Part};

on_both_backends!(
    a_case_runs_from_arrival_to_close_and_the_public_sees_its_public_part,
    steps_out_of_turn_by_the_wrong_people_or_without_a_reason_are_refused,
    a_department_returns_a_case_and_a_failed_check_starts_another_round,
    the_inbox_shows_each_side_its_own_cases_and_flags_overdue_ones,
    the_step_forms_work_as_plain_posts_with_after_photos,
    admins_manage_departments_and_choose_the_dispatch_centre,
    the_reporter_follows_up_and_reopens_a_closed_case_for_another_round,
    a_client_speaks_for_the_reporter_through_the_update_extension,
    the_inbox_pages_through_every_case,
);

static TOKENS: AtomicU32 = AtomicU32::new(0);

fn token() -> String {
    format!(
        "cases-test-token-{:08}-{:020}",
        std::process::id(),
        TOKENS.fetch_add(1, Ordering::SeqCst)
    )
}

/// A report of street graffiti (the urban management bureau's), taken by the case system.
async fn new_case(svc: &Services, reporter: Option<&Me>) -> i64 {
    let done = gongzhi_domain::reports::submit(
        svc,
        Reporter {
            user: reporter,
            ip: "203.0.113.7",
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
    gongzhi_domain::cases::forward(svc, done.id)
        .await
        .expect("the built-in case system takes it");
    done.id
}

fn input(step: &str, stage: &str, note: &str) -> StepInput {
    StepInput {
        step: step.into(),
        stage: stage.into(),
        note: note.into(),
        ..Default::default()
    }
}

async fn department_of(svc: &Services, id: i64) -> i64 {
    with_db!(&svc.db, p => sqlx::query_scalar("SELECT department_id FROM reports WHERE id = $1").bind(id).fetch_one(p).await).unwrap()
}

fn field_problem(e: Error, field: &str) -> Problem {
    match e {
        Error::Invalid(list) => list
            .into_iter()
            .find(|f| f.field == field)
            .map(|f| f.problem)
            .unwrap_or_else(|| panic!("no problem on {field}")),
        other => panic!("expected a problem on {field}, got {other:?}"),
    }
}

async fn a_case_runs_from_arrival_to_close_and_the_public_sees_its_public_part(app: &TestApp) {
    let svc = app.demo().await;
    let dispatcher = account(&svc, "dispatcher@demo.gongzhi.org").await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let resident = account(&svc, "resident@demo.gongzhi.org").await;
    let id = new_case(&svc, Some(&resident)).await;
    gongzhi_domain::reports::follow(&svc, Some(&resident), id)
        .await
        .expect("follow");
    let dept = department_of(&svc, id).await;
    assert_eq!(official.department_id, Some(dept));

    let steps: [(&Me, &str, &str, &str, ReportStatus); 6] = [
        (
            &dispatcher,
            "accept",
            "new",
            "已受理",
            ReportStatus::Accepted,
        ),
        (
            &dispatcher,
            "register",
            "accepted",
            "",
            ReportStatus::Accepted,
        ),
        (
            &dispatcher,
            "dispatch",
            "registered",
            "请城管局处置",
            ReportStatus::InProgress,
        ),
        (
            &official,
            "handle",
            "dispatched",
            "已清洗干净",
            ReportStatus::Resolved,
        ),
        (
            &dispatcher,
            "verify",
            "handled",
            "现场核查通过",
            ReportStatus::Resolved,
        ),
        (
            &dispatcher,
            "close",
            "verified",
            "结案",
            ReportStatus::Closed,
        ),
    ];
    // An internal note on the way, which the public never sees.
    take_step(
        &svc,
        Some(&dispatcher),
        id,
        input("note", "new", "内部：与城管局电话确认"),
    )
    .await
    .expect("note");
    for (who, step, stage, note, status) in steps {
        let mut i = input(step, stage, note);
        i.department = dept.to_string();
        take_step(&svc, Some(who), id, i)
            .await
            .unwrap_or_else(|e| panic!("{step}: {e:?}"));
        let r = gongzhi_domain::reports::get(&svc, id)
            .await
            .expect("get")
            .expect("report");
        assert_eq!(r.status, status, "after {step}");
    }
    let case = detail(&svc, Some(&dispatcher), id).await.expect("case");
    assert_eq!(case.stage, Stage::Closed);
    assert_eq!(case.round, 1);
    assert!(case.steps.is_empty(), "nothing left to do on a closed case");
    // The full record names every step with its actor; the internal note is marked.
    let record: Vec<(Option<String>, bool, Option<String>)> = case
        .record
        .iter()
        .filter(|e| e.step.is_some())
        .map(|e| (e.step.clone(), e.public, e.actor_name.clone()))
        .collect();
    assert_eq!(record.len(), 7);
    assert_eq!(
        record[0],
        (
            Some("note".into()),
            false,
            Some(dispatcher.display_name.clone())
        )
    );
    assert_eq!(record[4].0.as_deref(), Some("handle"));
    assert_eq!(record[4].2.as_deref(), Some(official.display_name.as_str()));

    // The public page: the six steps in order, no internal note, no names, closed on time.
    let public = gongzhi_domain::reports::get(&svc, id)
        .await
        .expect("get")
        .expect("report");
    let steps: Vec<&str> = public
        .timeline
        .iter()
        .filter_map(|e| e.step.as_deref())
        .collect();
    assert_eq!(
        steps,
        ["accept", "register", "dispatch", "handle", "verify", "close"]
    );
    assert!(!public.timeline.iter().any(|e| e.note.contains("内部")));
    assert!(public.closed_at.is_some());
    assert!(!public.overdue);
    // The follower heard of each public step.
    let heard = gongzhi_domain::notifications::list(&svc, &resident, 100)
        .await
        .expect("notifications")
        .into_iter()
        .filter(|n| n.report_id == Some(id))
        .count();
    assert_eq!(heard, 6);
    // A closed case takes no more steps, not even notes.
    let e = take_step(
        &svc,
        Some(&dispatcher),
        id,
        input("note", "closed", "再说一句"),
    )
    .await
    .expect_err("closed");
    assert_eq!(field_problem(e, "step"), Problem::InvalidChoice);
}

async fn steps_out_of_turn_by_the_wrong_people_or_without_a_reason_are_refused(app: &TestApp) {
    let svc = app.demo().await;
    let dispatcher = account(&svc, "dispatcher@demo.gongzhi.org").await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let resident = account(&svc, "resident@demo.gongzhi.org").await;
    let id = new_case(&svc, None).await;

    // Nobody signed in, a resident, and a department official cannot accept.
    assert!(matches!(
        take_step(&svc, None, id, input("accept", "new", "")).await,
        Err(Error::Unauthenticated)
    ));
    assert!(matches!(
        take_step(&svc, Some(&resident), id, input("accept", "new", "")).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        take_step(&svc, Some(&official), id, input("accept", "new", "")).await,
        Err(Error::Forbidden)
    ));
    // An unknown step, a step that does not apply here, and a stale page.
    let e = take_step(&svc, Some(&dispatcher), id, input("teleport", "new", ""))
        .await
        .expect_err("unknown");
    assert_eq!(field_problem(e, "step"), Problem::InvalidChoice);
    let e = take_step(&svc, Some(&dispatcher), id, input("close", "new", ""))
        .await
        .expect_err("out of turn");
    assert_eq!(field_problem(e, "step"), Problem::InvalidChoice);
    let e = take_step(
        &svc,
        Some(&dispatcher),
        id,
        input("register", "accepted", ""),
    )
    .await
    .expect_err("stale");
    assert_eq!(field_problem(e, "stage"), Problem::CaseMoved);
    // 不予立案 needs a reason.
    let e = take_step(&svc, Some(&dispatcher), id, input("decline", "new", "  "))
        .await
        .expect_err("no reason");
    assert_eq!(field_problem(e, "note"), Problem::Required);

    // Two dispatchers accept at once: one wins, the other is told the case moved.
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let (a, b) = tokio::join!(
        take_step(&svc, Some(&dispatcher), id, input("accept", "new", "")),
        take_step(&svc, Some(&admin), id, input("accept", "new", "")),
    );
    let wins = [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count();
    assert_eq!(wins, 1, "exactly one accept: {a:?} {b:?}");
    let loser = if a.is_err() { a } else { b };
    assert_eq!(
        field_problem(loser.expect_err("lost"), "stage"),
        Problem::CaseMoved
    );
    let accepts: i64 = with_db!(&svc.db, p => sqlx::query_scalar(
        "SELECT count(*) FROM report_events WHERE report_id = $1 AND step = 'accept'").bind(id).fetch_one(p).await).unwrap();
    assert_eq!(accepts, 1);

    take_step(
        &svc,
        Some(&dispatcher),
        id,
        input("register", "accepted", ""),
    )
    .await
    .expect("register");
    // Dispatch names a department that exists.
    let e = take_step(
        &svc,
        Some(&dispatcher),
        id,
        input("dispatch", "registered", ""),
    )
    .await
    .expect_err("no department");
    assert_eq!(field_problem(e, "department"), Problem::Required);
    let mut i = input("dispatch", "registered", "");
    i.department = "999999".into();
    let e = take_step(&svc, Some(&dispatcher), id, i)
        .await
        .expect_err("unknown department");
    assert_eq!(field_problem(e, "department"), Problem::UnknownDepartment);
    // Dispatched to the ecology bureau: the urban management official may not handle it.
    let other: i64 = with_db!(&svc.db, p => sqlx::query_scalar("SELECT id FROM departments WHERE code = 'sthjj'").fetch_one(p).await).unwrap();
    let mut i = input("dispatch", "registered", "");
    i.department = other.to_string();
    take_step(&svc, Some(&dispatcher), id, i)
        .await
        .expect("dispatch");
    assert!(matches!(
        take_step(
            &svc,
            Some(&official),
            id,
            input("handle", "dispatched", "已处理")
        )
        .await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        detail(&svc, Some(&official), id).await,
        Err(Error::Forbidden)
    ));
    // The dispatcher does not handle in the department's place.
    assert!(matches!(
        take_step(
            &svc,
            Some(&dispatcher),
            id,
            input("handle", "dispatched", "已处理")
        )
        .await,
        Err(Error::Forbidden)
    ));
    // The report now counts for the department it was dispatched to.
    assert_eq!(department_of(&svc, id).await, other);
    // Nothing above changed the case but the steps that were taken.
    let case = detail(&svc, Some(&dispatcher), id).await.expect("case");
    assert_eq!(case.stage, Stage::Dispatched);
    assert_eq!(case.department_id, Some(other));
}

async fn a_department_returns_a_case_and_a_failed_check_starts_another_round(app: &TestApp) {
    let svc = app.demo().await;
    let dispatcher = account(&svc, "dispatcher@demo.gongzhi.org").await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let id = new_case(&svc, None).await;
    let cgj = department_of(&svc, id).await;
    let zjj: i64 = with_db!(&svc.db, p => sqlx::query_scalar("SELECT id FROM departments WHERE code = 'zjj'").fetch_one(p).await).unwrap();
    for (step, stage) in [("accept", "new"), ("register", "accepted")] {
        take_step(&svc, Some(&dispatcher), id, input(step, stage, ""))
            .await
            .expect(step);
    }
    // Dispatched to the housing bureau by mistake; an official there returns it with a reason.
    let zjj_official = {
        let admin = account(&svc, "admin@demo.gongzhi.org").await;
        let (uid, _) = gongzhi_domain::accounts::create_admin(
            &svc,
            "zjj@city.example",
            "住建局办事员",
            "housing-official-2026",
        )
        .await
        .expect("account");
        gongzhi_domain::accounts::admin::set_role(&svc, Some(&admin), uid, "official", Some(zjj))
            .await
            .expect("made an official of the housing bureau");
        account(&svc, "zjj@city.example").await
    };
    let mut i = input("dispatch", "registered", "");
    i.department = zjj.to_string();
    take_step(&svc, Some(&dispatcher), id, i)
        .await
        .expect("dispatch");
    let e = take_step(
        &svc,
        Some(&zjj_official),
        id,
        input("return", "dispatched", ""),
    )
    .await
    .expect_err("a return says why");
    assert_eq!(field_problem(e, "note"), Problem::Required);
    take_step(
        &svc,
        Some(&zjj_official),
        id,
        input("return", "dispatched", "涂鸦清理属城管局职责"),
    )
    .await
    .expect("return");
    let case = detail(&svc, Some(&dispatcher), id).await.expect("case");
    assert_eq!(case.stage, Stage::Registered);
    assert_eq!(case.returns, 1);
    // Dispatched again, handled, but the check fails: back to the department, round 3.
    let mut i = input("dispatch", "registered", "改派城管局");
    i.department = cgj.to_string();
    take_step(&svc, Some(&dispatcher), id, i)
        .await
        .expect("dispatch");
    take_step(
        &svc,
        Some(&official),
        id,
        input("handle", "dispatched", "已清理"),
    )
    .await
    .expect("handle");
    let e = take_step(
        &svc,
        Some(&dispatcher),
        id,
        input("verify_failed", "handled", ""),
    )
    .await
    .expect_err("a failed check says why");
    assert_eq!(field_problem(e, "note"), Problem::Required);
    take_step(
        &svc,
        Some(&dispatcher),
        id,
        input("verify_failed", "handled", "现场仍有残留涂鸦"),
    )
    .await
    .expect("verify failed");
    let case = detail(&svc, Some(&dispatcher), id).await.expect("case");
    assert_eq!(case.stage, Stage::Dispatched);
    assert_eq!(case.round, 3);
    assert_eq!(case.report.status, ReportStatus::InProgress);
    assert_eq!(
        detail(&svc, Some(&official), id)
            .await
            .expect("the department sees it")
            .steps
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>(),
        ["return", "handle", "note"]
    );
}

async fn the_inbox_shows_each_side_its_own_cases_and_flags_overdue_ones(app: &TestApp) {
    let svc = app.demo().await;
    let dispatcher = account(&svc, "dispatcher@demo.gongzhi.org").await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let resident = account(&svc, "resident@demo.gongzhi.org").await;
    assert!(matches!(
        inbox(&svc, Some(&resident), InboxView::Mine, 0).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        inbox(&svc, None, InboxView::Mine, 0).await,
        Err(Error::Unauthenticated)
    ));
    let fresh = new_case(&svc, None).await;
    let late = new_case(&svc, None).await;
    // `late` is long past its deadline (the demo city may have a late report too).
    with_db!(&svc.db, p => sqlx::query("UPDATE reports SET due_at = $1 WHERE id = $2")
        .bind(chrono::Utc::now() - chrono::Duration::days(30)).bind(late).execute(p).await.map(|r| r.rows_affected())).unwrap();

    let d = inbox(&svc, Some(&dispatcher), InboxView::Mine, 0)
        .await
        .expect("inbox");
    assert!(d.dispatcher);
    let ids: Vec<i64> = d.cases.iter().map(|c| c.report_id).collect();
    assert!(ids.contains(&fresh) && ids.contains(&late));
    assert_eq!(ids[0], late, "the most urgent first");
    let now = d.now.expect("now");
    assert!(d.cases[0].overdue(now));
    let overdue = inbox(&svc, Some(&dispatcher), InboxView::Overdue, 0)
        .await
        .expect("inbox");
    assert_eq!(overdue.cases[0].report_id, late, "the latest first");
    assert!(overdue.cases.iter().all(|c| c.overdue(now)));
    assert!(!overdue.cases.iter().any(|c| c.report_id == fresh));
    assert_eq!(overdue.overdue, overdue.cases.len() as i64);
    // The public page flags it too.
    let public = gongzhi_domain::reports::get(&svc, late)
        .await
        .unwrap()
        .unwrap();
    assert!(public.overdue);

    // The department sees nothing until a case is dispatched to it.
    let o = inbox(&svc, Some(&official), InboxView::Open, 0)
        .await
        .expect("inbox");
    let before = o.cases.len();
    assert!(!o.cases.iter().any(|c| c.report_id == late));
    for (step, stage) in [("accept", "new"), ("register", "accepted")] {
        take_step(&svc, Some(&dispatcher), late, input(step, stage, ""))
            .await
            .expect(step);
    }
    let mut i = input("dispatch", "registered", "");
    i.department = department_of(&svc, late).await.to_string();
    take_step(&svc, Some(&dispatcher), late, i)
        .await
        .expect("dispatch");
    let o = inbox(&svc, Some(&official), InboxView::Mine, 0)
        .await
        .expect("inbox");
    assert!(!o.dispatcher);
    assert_eq!(o.cases.first().map(|c| c.report_id), Some(late));
    assert_eq!(o.overdue, 1);
    let o = inbox(&svc, Some(&official), InboxView::Open, 0)
        .await
        .expect("inbox");
    assert_eq!(o.cases.len(), before + 1);
    // It left the dispatcher's own list but stays in the overdue view.
    let d = inbox(&svc, Some(&dispatcher), InboxView::Mine, 0)
        .await
        .expect("inbox");
    assert!(!d.cases.iter().any(|c| c.report_id == late));
    let d = inbox(&svc, Some(&dispatcher), InboxView::Overdue, 0)
        .await
        .expect("inbox");
    assert!(d.cases.iter().any(|c| c.report_id == late));
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 60]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

async fn post_step(app: &TestApp, client: &reqwest::Client, id: i64, form: Form) -> (u16, String) {
    let res = client
        .post(app.url(&format!("/cases/{id}")))
        .header("origin", app.base.clone())
        .multipart(form)
        .send()
        .await
        .expect("post");
    let status = res.status().as_u16();
    let to = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, to)
}

fn step_form(token: &str, step: &str, stage: &str, note: &str) -> Form {
    Form::new()
        .text("form_token", token.to_string())
        .text("step", step.to_string())
        .text("stage", stage.to_string())
        .text("note", note.to_string())
}

async fn the_step_forms_work_as_plain_posts_with_after_photos(app: &TestApp) {
    let svc = app.demo().await;
    let dispatcher = app
        .logged_in("dispatcher@demo.gongzhi.org", "dispatcher-demo-2026")
        .await;
    let official = app
        .logged_in("official@demo.gongzhi.org", "official-demo-2026")
        .await;
    let id = new_case(&svc, None).await;

    // The inbox and the case page are there for the dispatcher, in plain HTML.
    let html = app.page(&dispatcher, "/cases", "zh-CN").await;
    assert!(html.contains(&format!("/cases/{id}")), "the inbox lists it");
    let html = app
        .page(&dispatcher, &format!("/cases/{id}"), "zh-CN")
        .await;
    assert!(html.contains("name=\"step\" value=\"accept\""));
    assert!(html.contains("name=\"step\" value=\"decline\""));
    assert!(!html.contains("name=\"step\" value=\"handle\""));
    // Residents and visitors are turned away.
    let html = app
        .page(&common::new_client(), &format!("/cases/{id}"), "zh-CN")
        .await;
    assert!(!html.contains("name=\"step\""));

    // 不予立案 without a reason comes back with the problem next to the field.
    let t = token();
    let (status, to) = post_step(app, &dispatcher, id, step_form(&t, "decline", "new", "")).await;
    assert_eq!(status, 303);
    assert_eq!(
        to,
        format!("/cases/{id}?draft={t}&step=decline#step-decline")
    );
    let html = app
        .page(&dispatcher, to.split('#').next().unwrap(), "zh-CN")
        .await;
    assert!(html.contains("id=\"decline-note-error\""));
    assert!(html.contains("请填写此项。"), "the problem is named");
    // Accepted with the plain form.
    let (status, to) = post_step(
        app,
        &dispatcher,
        id,
        step_form(&t, "accept", "new", "已受理"),
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (303, format!("/cases/{id}?done=accept").as_str())
    );
    // The same form again (a double click): the case moved, nothing is recorded twice.
    let (_, to) = post_step(
        app,
        &dispatcher,
        id,
        step_form(&token(), "accept", "new", "已受理"),
    )
    .await;
    assert!(to.contains("draft="), "{to}");
    let html = app.page(&dispatcher, &to, "zh-CN").await;
    assert!(
        html.contains("请刷新页面"),
        "the official is told the case moved"
    );

    let (_, to) = post_step(
        app,
        &dispatcher,
        id,
        step_form(&token(), "register", "accepted", ""),
    )
    .await;
    assert!(to.ends_with("done=register"), "{to}");
    let dept = department_of(&svc, id).await;
    let form =
        step_form(&token(), "dispatch", "registered", "").text("department", dept.to_string());
    let (_, to) = post_step(app, &dispatcher, id, form).await;
    assert!(to.ends_with("done=dispatch"), "{to}");

    // The department handles it with an after-photo; a file that is not an image is refused
    // and what was typed is kept.
    let t = token();
    let bad = step_form(&t, "handle", "dispatched", "已清洗").part(
        "photo",
        Part::bytes(b"not an image at all".to_vec()).file_name("x.jpg"),
    );
    let (_, to) = post_step(app, &official, id, bad).await;
    assert!(to.contains("draft="), "{to}");
    let html = app.page(&official, &to, "zh-CN").await;
    assert!(html.contains("已清洗"), "the note is kept");
    assert!(html.contains("id=\"handle-photos-error\""));
    let good = step_form(&t, "handle", "dispatched", "已清洗")
        .part("photo", Part::bytes(png()).file_name("after.png"));
    let (_, to) = post_step(app, &official, id, good).await;
    assert!(to.ends_with("done=handle"), "{to}");
    let public = gongzhi_domain::reports::get(&svc, id)
        .await
        .unwrap()
        .unwrap();
    let handled = public
        .timeline
        .iter()
        .find(|e| e.step.as_deref() == Some("handle"))
        .expect("the handle entry");
    assert_eq!(
        handled.photos.len(),
        1,
        "the after-photo belongs to the entry"
    );
    assert!(public.photos.is_empty(), "not to the report's own photos");
    let res = common::new_client()
        .get(app.url(&handled.photos[0].thumb_url()))
        .send()
        .await
        .expect("photo");
    assert_eq!(res.status(), 200);
    // And the public page shows it.
    let html = app
        .page(&common::new_client(), &format!("/reports/{id}"), "zh-CN")
        .await;
    assert!(html.contains("处置完毕"));
    assert!(html.contains(&handled.photos[0].thumb_url()));

    // A post from another site is refused (the back office keeps the cross-site check).
    let res = official
        .post(app.url(&format!("/cases/{id}")))
        .header("origin", "https://evil.example")
        .multipart(step_form(&token(), "note", "handled", "x"))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403);
}

async fn admins_manage_departments_and_choose_the_dispatch_centre(app: &TestApp) {
    let svc = app.demo().await;
    let admin = app.admin().await;
    let resident = app
        .logged_in("resident@demo.gongzhi.org", "resident-demo-2026")
        .await;
    let form = |code: &'static str, zh: &'static str, en: &'static str, dispatch: bool| {
        let mut f = vec![("code", code), ("name_zh", zh), ("name_en", en)];
        if dispatch {
            f.push(("dispatch", "on"));
        }
        f
    };
    let (status, _, _) = app
        .call(
            &resident,
            "admin_save_department",
            &form("szj", "市政局", "Works", false),
        )
        .await;
    assert_eq!(status, 403, "admins only");
    // Every bad field is named; nothing is saved.
    let (status, body, _) = app
        .call(
            &admin,
            "admin_save_department",
            &form("a b", "", "Works", false),
        )
        .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = body["Invalid"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|p| p["field"].as_str())
        .collect();
    assert_eq!(fields, ["code", "name_zh"], "{body}");
    // A new department that is also a dispatch centre; its official may dispatch.
    let (status, body, _) = app
        .call(
            &admin,
            "admin_save_department",
            &form("szj", "南宁市市政管理局", "Nanning Works Bureau", true),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let id = body.as_i64().expect("id");
    let (_, list, _) = app.call(&admin, "admin_departments", &[]).await;
    let saved = list
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["code"] == "szj")
        .expect("listed")
        .clone();
    assert_eq!(
        (saved["name_zh"].as_str(), saved["dispatch"].as_bool()),
        (Some("南宁市市政管理局"), Some(true))
    );
    let root = account(&svc, "root@city.example").await;
    let (uid, _) = gongzhi_domain::accounts::create_admin(
        &svc,
        "szj@city.example",
        "市政局值班员",
        "works-official-2026",
    )
    .await
    .expect("account");
    gongzhi_domain::accounts::set_role(&svc, Some(&root), uid, "official", Some(id))
        .await
        .expect("official");
    let works = account(&svc, "szj@city.example").await;
    assert!(gongzhi_domain::cases::builtin::is_dispatcher(&svc, &works)
        .await
        .unwrap());
    // The same code again changes the names and takes the role away.
    let (status, body, _) = app
        .call(
            &admin,
            "admin_save_department",
            &form("szj", "南宁市市政局", "Nanning Works", false),
        )
        .await;
    assert_eq!((status, body.as_i64()), (200, Some(id)));
    assert!(!gongzhi_domain::cases::builtin::is_dispatcher(&svc, &works)
        .await
        .unwrap());
    let d = gongzhi_domain::departments::get(&svc.db, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((d.name_zh.as_str(), d.dispatch), ("南宁市市政局", false));
}

/// Works a case from arrival to 结案 (the dispatch centre and the department).
async fn close_case(svc: &Services, id: i64) {
    let dispatcher = account(svc, "dispatcher@demo.gongzhi.org").await;
    let official = account(svc, "official@demo.gongzhi.org").await;
    let dept = department_of(svc, id).await;
    for (who, step, stage, note) in [
        (&dispatcher, "accept", "new", ""),
        (&dispatcher, "register", "accepted", ""),
        (&dispatcher, "dispatch", "registered", ""),
        (&official, "handle", "dispatched", "涂鸦已清除"),
        (&dispatcher, "verify", "handled", ""),
        (&dispatcher, "close", "verified", "已结案"),
    ] {
        let mut i = input(step, stage, note);
        if step == "dispatch" {
            i.department = dept.to_string();
        }
        take_step(svc, Some(who), id, i)
            .await
            .unwrap_or_else(|e| panic!("{step}: {e:?}"));
    }
}

async fn stage_and_round(svc: &Services, id: i64) -> (String, i64, String) {
    with_db!(&svc.db, p => sqlx::query_as(
        "SELECT c.stage, c.round, r.status FROM cases c JOIN reports r ON r.id = c.report_id WHERE c.report_id = $1")
        .bind(id).fetch_one(p).await)
    .unwrap()
}

fn problems(body: &serde_json::Value) -> Vec<(String, String)> {
    body["Invalid"]
        .as_array()
        .unwrap_or_else(|| panic!("field problems: {body}"))
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or_default().to_string(),
                f["problem"]["code"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

async fn the_reporter_follows_up_and_reopens_a_closed_case_for_another_round(app: &TestApp) {
    let svc = app.demo().await;
    let reporter = app
        .logged_in("resident@demo.gongzhi.org", "resident-demo-2026")
        .await;
    let resident = account(&svc, "resident@demo.gongzhi.org").await;
    let id = new_case(&svc, Some(&resident)).await;
    // Someone else follows the report and hears of every entry.
    let follower = app
        .resident("follower@example.org", "关注者", "follower-pass-2026")
        .await;
    let (status, body, _) = app
        .call(
            &follower,
            "follow_report",
            &[("id", &id.to_string()), ("on", "true")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let unread = |db: gongzhi_domain::db::Db| async move {
        with_db!(&db, p => sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'follower@example.org'")
            .fetch_one(p).await)
        .unwrap()
    };
    let before = unread(svc.db.clone()).await;

    // A follow-up while the case is open: on the public timeline as the reporter's, never
    // with a name.
    let sid = id.to_string();
    let (status, body, _) = app
        .call(
            &reporter,
            "report_follow_up",
            &[("id", &sid), ("note", "补充：桥墩北侧也有涂鸦")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        unread(svc.db.clone()).await,
        before + 1,
        "the follower is told"
    );
    let html = app
        .page(&common::new_client(), &format!("/reports/{id}"), "zh-CN")
        .await;
    assert!(html.contains("补充：桥墩北侧也有涂鸦"));
    assert!(html.contains("反映人补充说明"));
    assert!(
        !html.contains("等待转交办理系统"),
        "nothing to pass on: Gongzhi is the case system"
    );
    // The back office sees it on the case record too, without the reporter's name.
    let case = detail(
        &svc,
        Some(&account(&svc, "dispatcher@demo.gongzhi.org").await),
        id,
    )
    .await
    .expect("case");
    let entry = case
        .record
        .iter()
        .find(|e| e.kind == "follow_up")
        .expect("the follow-up");
    assert_eq!(entry.actor_role, "reporter");
    assert_eq!(entry.actor_name, None);

    // Bad input, each named: empty, too long, reopening an open report.
    let (status, body, _) = app
        .call(
            &reporter,
            "report_follow_up",
            &[("id", &sid), ("note", "  ")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        problems(&body),
        [("note".to_string(), "required".to_string())]
    );
    let long = "长".repeat(2001);
    let (status, body, _) = app
        .call(
            &reporter,
            "report_follow_up",
            &[("id", &sid), ("note", &long)],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(problems(&body)[0].0, "note");
    let (status, body, _) = app
        .call(
            &reporter,
            "report_follow_up",
            &[("id", &sid), ("note", "还没修好"), ("reopen", "on")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        problems(&body),
        [("reopen".to_string(), "not_closed".to_string())]
    );
    // Only the reporter may speak as the reporter.
    let (status, _, _) = app
        .call(
            &follower,
            "report_follow_up",
            &[("id", &sid), ("note", "我也来补充")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _, _) = app
        .call(
            &common::new_client(),
            "report_follow_up",
            &[("id", &sid), ("note", "匿名补充")],
        )
        .await;
    assert_eq!(status, 401);

    // Closed, then "not fixed": the case goes back to its department for a second round.
    close_case(&svc, id).await;
    assert_eq!(
        stage_and_round(&svc, id).await,
        ("closed".into(), 1, "closed".into())
    );
    let html = app
        .page(&reporter, &format!("/reports/{id}"), "zh-CN")
        .await;
    assert!(
        html.contains("name=\"reopen\""),
        "the reporter is offered a reopen"
    );
    let (status, body, _) = app
        .call(
            &reporter,
            "report_follow_up",
            &[
                ("id", &sid),
                ("note", "涂鸦又出现了，没有清理干净"),
                ("reopen", "on"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        stage_and_round(&svc, id).await,
        ("dispatched".into(), 2, "reopened".into())
    );
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let mine = inbox(&svc, Some(&official), InboxView::Mine, 0)
        .await
        .expect("inbox");
    assert!(
        mine.cases.iter().any(|c| c.report_id == id),
        "back in the department's inbox"
    );
    let report = gongzhi_domain::reports::get(&svc, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(report.status, ReportStatus::Reopened);
    assert_eq!(report.closed_at, None);
    assert!(report.due_at > chrono::Utc::now(), "a new deadline");
    let last = report.timeline.last().expect("entries");
    assert_eq!((last.kind.as_str(), last.actor.reporter), ("reopen", true));
    let html = app
        .page(&common::new_client(), &format!("/reports/{id}"), "zh-CN")
        .await;
    assert!(html.contains("反映人要求重新办理"));
    // The department handles it again; the case runs to its close as before.
    take_step(
        &svc,
        Some(&official),
        id,
        input("handle", "dispatched", "已重新清理"),
    )
    .await
    .expect("the second round");

    // An anonymous reporter holds the tracking code: it is their key.
    let done = gongzhi_domain::reports::submit(
        &svc,
        Reporter {
            user: None,
            ip: "203.0.113.9",
            api_key: None,
        },
        NewReport {
            category: "graffiti".into(),
            lat: "22.8172".into(),
            lon: "108.3661".into(),
            description: "匿名反映：路灯杆上有涂鸦".into(),
            submit_token: token(),
            ..Default::default()
        },
    )
    .await
    .expect("anonymous report");
    gongzhi_domain::cases::forward(&svc, done.id)
        .await
        .expect("taken");
    let code = done.tracking_code.expect("a tracking code");
    let anon = common::new_client();
    let aid = done.id.to_string();
    let (status, _, _) = app
        .call(
            &anon,
            "report_follow_up",
            &[("id", &aid), ("note", "补充"), ("code", "WRONG-CODE")],
        )
        .await;
    assert_eq!(status, 403);
    let html = app.page(&anon, &format!("/track/{code}"), "zh-CN").await;
    assert!(
        html.contains("name=\"code\""),
        "the tracking page offers the follow-up form"
    );
    assert!(
        !html.contains("name=\"reopen\""),
        "no reopen while it is open"
    );
    close_case(&svc, done.id).await;
    let (status, body, _) = app
        .call(
            &anon,
            "report_follow_up",
            &[
                ("id", &aid),
                ("note", "还有一处没清理"),
                ("reopen", "on"),
                ("code", &code.to_lowercase()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(stage_and_round(&svc, done.id).await.0, "dispatched");

    // Thirty days after the close it is too late: a new report is the way.
    close_case_again(&svc, done.id).await;
    with_db!(&svc.db, p => sqlx::query("UPDATE reports SET closed_at = $1 WHERE id = $2")
        .bind(chrono::Utc::now() - chrono::Duration::days(31)).bind(done.id).execute(p).await
        .map(|r| r.rows_affected()))
    .unwrap();
    let (status, body, _) = app
        .call(
            &anon,
            "report_follow_up",
            &[
                ("id", &aid),
                ("note", "又脏了"),
                ("reopen", "on"),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        problems(&body),
        [("reopen".to_string(), "reopen_too_late".to_string())]
    );
    let html = app.page(&anon, &format!("/track/{code}"), "zh-CN").await;
    assert!(!html.contains("name=\"reopen\""), "no longer offered");
}

/// The second round of a reopened case, from 处置 to 结案.
async fn close_case_again(svc: &Services, id: i64) {
    let dispatcher = account(svc, "dispatcher@demo.gongzhi.org").await;
    let official = account(svc, "official@demo.gongzhi.org").await;
    take_step(
        svc,
        Some(&official),
        id,
        input("handle", "dispatched", "再次清理"),
    )
    .await
    .expect("handle");
    take_step(svc, Some(&dispatcher), id, input("verify", "handled", ""))
        .await
        .expect("verify");
    take_step(svc, Some(&dispatcher), id, input("close", "verified", ""))
        .await
        .expect("close");
}

async fn a_client_speaks_for_the_reporter_through_the_update_extension(app: &TestApp) {
    let svc = app.demo().await;
    let admin = app.admin().await;
    let (status, issued, _) = app
        .call(&admin, "admin_issue_api_key", &[("name", "居民端")])
        .await;
    assert_eq!(status, 200, "{issued}");
    let key = issued["key"].as_str().expect("key").to_string();
    let id = new_case(&svc, None).await;
    let post = |status_word: &'static str, update_id: &'static str, text: &'static str| {
        let key = key.clone();
        async move {
            let res = common::new_client()
                .post(app.url("/open311/v2/servicerequestupdates.json"))
                .form(&[
                    ("api_key", key.as_str()),
                    ("service_request_id", &id.to_string()),
                    ("update_id", update_id),
                    ("status", status_word),
                    ("description", text),
                ])
                .send()
                .await
                .expect("post");
            let status = res.status().as_u16();
            (status, res.json::<serde_json::Value>().await.expect("json"))
        }
    };
    // The workflow sets the status: a client cannot close the case.
    let (status, body) = post("CLOSED", "c-1", "已解决").await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body[0]["description"]
            .as_str()
            .unwrap()
            .starts_with("status:"),
        "{body}"
    );
    // Nor reopen an open one.
    let (status, body) = post("REOPEN", "c-2", "没修好").await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body[0]["description"]
            .as_str()
            .unwrap()
            .contains("status: applies only to a closed"),
        "{body}"
    );
    // A note with the current status is the reporter's follow-up, recorded once.
    let (status, first) = post("OPEN", "c-3", "居民补充：晚上更明显").await;
    assert_eq!(status, 200, "{first}");
    let (_, again) = post("OPEN", "c-3", "居民补充：晚上更明显").await;
    assert_eq!(again[0]["update_id"], first[0]["update_id"]);
    let kinds: Vec<(String, String)> = with_db!(&svc.db, p => sqlx::query_as(
        "SELECT kind, actor_role FROM report_events WHERE report_id = $1 AND external_id IS NOT NULL").bind(id).fetch_all(p).await)
    .unwrap();
    assert_eq!(kinds, [("follow_up".to_string(), "reporter".to_string())]);

    // Closed in the workflow, then REOPEN: another round in the department.
    close_case(&svc, id).await;
    let (status, body) = post("REOPEN", "c-4", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        stage_and_round(&svc, id).await,
        ("dispatched".into(), 2, "reopened".into())
    );
    // The client that posted it is not sent it back; other readers see it.
    let mine: serde_json::Value = common::new_client()
        .get(app.url(&format!(
            "/open311/v2/servicerequestupdates.json?api_key={key}&service_request_id={id}"
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .all(|u| u["status"] != "reopen"),
        "{mine}"
    );
    let public: serde_json::Value = common::new_client()
        .get(app.url(&format!(
            "/open311/v2/servicerequestupdates.json?service_request_id={id}"
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        public
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["status"] == "reopen"),
        "{public}"
    );
}

/// 250 open cases: the dispatch centre's inbox shows them 100 to a page, the most urgent
/// first, each case on exactly one page, with the count of the whole view.
async fn the_inbox_pages_through_every_case(app: &TestApp) {
    let svc = app.demo().await;
    let dispatcher = account(&svc, "dispatcher@demo.gongzhi.org").await;
    gongzhi_domain::seed::load::synthetic_reports(&svc, 250)
        .await
        .expect("reports");
    with_db!(&svc.db, p => sqlx::query(
        "INSERT INTO cases (report_id, stage, created_at, updated_at) \
         SELECT id, 'new', created_at, created_at FROM reports WHERE id NOT IN (SELECT report_id FROM cases)")
        .execute(p).await.map(|r| r.rows_affected()))
    .expect("cases");
    let mut seen: Vec<i64> = Vec::new();
    let mut page = 0;
    let total = loop {
        let d = inbox(&svc, Some(&dispatcher), InboxView::Open, page)
            .await
            .expect("inbox");
        assert!(d.cases.len() as i64 <= gongzhi_domain::cases::builtin::INBOX_PAGE);
        assert_eq!(
            d.first,
            page * gongzhi_domain::cases::builtin::INBOX_PAGE + 1
        );
        let dues: Vec<_> = d.cases.iter().map(|c| (c.due_at, c.report_id)).collect();
        let mut sorted = dues.clone();
        sorted.sort();
        assert_eq!(dues, sorted, "page {page}: the most urgent first");
        seen.extend(d.cases.iter().map(|c| c.report_id));
        if !d.has_more {
            break d.total;
        }
        page += 1;
    };
    assert!(total >= 250, "{total} open cases");
    assert_eq!(
        page,
        (total - 1) / gongzhi_domain::cases::builtin::INBOX_PAGE
    );
    let n = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), n, "no case on two pages");
    assert_eq!(n as i64, total, "every case on a page");
}
