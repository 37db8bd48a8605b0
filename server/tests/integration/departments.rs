//! Departments in a reorganisation, on both backends: an admin retires a department into a
//! successor; its open cases, unanswered questions, officials and categories move with a
//! public timeline entry each, while closed cases stay its own; a retired dispatch centre's
//! role passes on; a retired department is no longer a choice anywhere, and bad or
//! unauthorised retirements are refused with the field named and nothing moved.

use crate::common;

use std::sync::atomic::{AtomicU32, Ordering};

use crate::common::{account, department, problems, user, TestApp};
use gongzhi_domain::cases::builtin::{is_dispatcher, take_step, StepInput};
use gongzhi_domain::departments::{retire, DepartmentInput, RetireInput};
use gongzhi_domain::model::question::EventKind;
use gongzhi_domain::model::Role;
use gongzhi_domain::questions::{self, read, QuestionInput};
use gongzhi_domain::reports::{NewReport, Reporter};
use gongzhi_domain::{with_db, Error, Problem, Services};

on_both_backends!(
    a_retired_department_hands_its_open_work_to_its_successor,
    retiring_is_for_admins_and_names_each_bad_field,
);

static TOKENS: AtomicU32 = AtomicU32::new(0);

/// A graffiti report (the urban management bureau's), taken by the built-in case system.
async fn new_case(svc: &Services) -> i64 {
    let done = gongzhi_domain::reports::submit(
        svc,
        Reporter {
            user: None,
            ip: "203.0.113.9",
            api_key: None,
        },
        NewReport {
            category: "graffiti".into(),
            lat: "22.8172".into(),
            lon: "108.3661".into(),
            description: "桥墩上有大片涂鸦".into(),
            submit_token: format!(
                "departments-test-{:08}-{:020}",
                std::process::id(),
                TOKENS.fetch_add(1, Ordering::SeqCst)
            ),
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

/// Takes the case through `steps` (the dispatcher and the bureau's official).
async fn steps(svc: &Services, id: i64, steps: &[(&str, &str, &str)]) {
    let dispatcher = account(svc, "dispatcher@demo.gongzhi.org").await;
    let official = account(svc, "official@demo.gongzhi.org").await;
    let cgj = department(svc, "cgj").await;
    for &(step, stage, note) in steps {
        let who = if step == "handle" {
            &official
        } else {
            &dispatcher
        };
        let input = StepInput {
            step: step.into(),
            stage: stage.into(),
            note: note.into(),
            department: if step == "dispatch" {
                cgj.to_string()
            } else {
                String::new()
            },
            ..Default::default()
        };
        take_step(svc, Some(who), id, input)
            .await
            .unwrap_or_else(|e| panic!("{step}: {e:?}"));
    }
}

const TO_CLOSE: &[(&str, &str, &str)] = &[
    ("accept", "new", ""),
    ("register", "accepted", ""),
    ("dispatch", "registered", ""),
    ("handle", "dispatched", "涂鸦已清除"),
    ("verify", "handled", ""),
    ("close", "verified", "已结案"),
];

async fn scalar(svc: &Services, sql: &str, id: i64) -> i64 {
    with_db!(&svc.db, p => sqlx::query_scalar(sql).bind(id).fetch_one(p).await)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn retiring(department: i64, successor: i64) -> RetireInput {
    RetireInput {
        department: department.to_string(),
        successor: successor.to_string(),
        note: "机构改革：并入新组建的城市综合管理局".into(),
        confirm: true,
    }
}

async fn a_retired_department_hands_its_open_work_to_its_successor(app: &TestApp) {
    let svc = app.demo().await;
    let root = user(&svc, "管理员", Role::Admin, None).await;
    let cgj = department(&svc, "cgj").await;
    let zhzx = department(&svc, "zhzx").await;
    // A follower of the open case hears of the move.
    let closed = new_case(&svc).await;
    steps(&svc, closed, TO_CLOSE).await;
    let open = new_case(&svc).await;
    steps(&svc, open, &TO_CLOSE[..3]).await;
    let follower = account(&svc, "resident@demo.gongzhi.org").await;
    gongzhi_domain::reports::follow(&svc, Some(&follower), open)
        .await
        .expect("follow");
    // An unanswered public question to the bureau.
    let asker = account(&svc, "resident@demo.gongzhi.org").await;
    let moderator = account(&svc, "moderator@demo.gongzhi.org").await;
    let question = questions::ask(
        &svc,
        Some(&asker),
        QuestionInput {
            title: "桥下涂鸦多久清理一次".into(),
            body: "桥下涂鸦多久清理一次：详细情况说明。".into(),
            department: cgj.to_string(),
            ip: String::new(),
        },
    )
    .await
    .expect("asked");
    gongzhi_domain::moderation::queue::act(
        &svc,
        Some(&moderator),
        gongzhi_domain::model::moderation::ItemKind::Question,
        question,
        gongzhi_domain::moderation::queue::Decision {
            action: gongzhi_domain::model::moderation::Action::Approve
                .as_str()
                .into(),
            ..Default::default()
        },
    )
    .await
    .expect("published");
    let due_before: Option<String> = with_db!(&svc.db, p => sqlx::query_scalar(
        "SELECT CAST(due_at AS TEXT) FROM questions WHERE id = $1").bind(question).fetch_one(p).await)
    .unwrap();
    assert!(due_before.is_some(), "published with a deadline");

    let open_reports = scalar(
        &svc,
        "SELECT count(*) FROM reports WHERE department_id = $1 AND status NOT IN ('closed', 'rejected')",
        cgj,
    )
    .await;
    let officials = scalar(
        &svc,
        "SELECT count(*) FROM users WHERE department_id = $1",
        cgj,
    )
    .await;
    let categories = scalar(
        &svc,
        "SELECT count(*) FROM categories WHERE department_id = $1",
        cgj,
    )
    .await;
    assert!(open_reports >= 1 && officials >= 1 && categories >= 1);

    // The new bureau, then the old one retired into it.
    let new = gongzhi_domain::departments::save(
        &svc.db,
        Some(&root),
        DepartmentInput {
            code: "zhglj".into(),
            name_zh: "南宁市城市综合管理局".into(),
            name_en: "Nanning Urban Administration Bureau".into(),
            dispatch: false,
        },
    )
    .await
    .expect("new department");
    let moved = retire(&svc.db, Some(&root), retiring(cgj, new))
        .await
        .expect("retired");
    assert_eq!(moved.reports, open_reports as u64);
    assert_eq!(moved.officials, officials as u64);
    assert_eq!(moved.categories, categories as u64);
    assert!(moved.questions >= 1);

    // Open work moved; the closed case stays the retired bureau's (its results are its own).
    let dept_of = "SELECT department_id FROM reports WHERE id = $1";
    assert_eq!(scalar(&svc, dept_of, open).await, new);
    assert_eq!(
        scalar(
            &svc,
            "SELECT department_id FROM cases WHERE report_id = $1",
            open
        )
        .await,
        new
    );
    assert_eq!(scalar(&svc, dept_of, closed).await, cgj);
    assert_eq!(
        scalar(
            &svc,
            "SELECT count(*) FROM reports WHERE department_id = $1 AND status NOT IN ('closed', 'rejected')",
            cgj
        )
        .await,
        0
    );
    // The open case's public timeline says so, with the note; its follower is told.
    let detail = gongzhi_domain::reports::get(&svc, open)
        .await
        .unwrap()
        .expect("public");
    let entry = detail
        .timeline
        .iter()
        .find(|e| e.kind == "transferred")
        .expect("a timeline entry for the move");
    assert_eq!(entry.note, "机构改革：并入新组建的城市综合管理局");
    assert_eq!(entry.actor.department_id, Some(new));
    let closed_detail = gongzhi_domain::reports::get(&svc, closed)
        .await
        .unwrap()
        .expect("public");
    assert!(closed_detail
        .timeline
        .iter()
        .all(|e| e.kind != "transferred"));
    assert!(
        scalar(
            &svc,
            "SELECT count(*) FROM notifications WHERE report_id = $1",
            open
        )
        .await
            >= 1
    );
    // The bureau's official now works for the successor and finds the case in its inbox.
    let official = account(&svc, "official@demo.gongzhi.org").await;
    assert_eq!(official.department_id, Some(new));
    let inbox = gongzhi_domain::cases::builtin::inbox(
        &svc,
        Some(&official),
        gongzhi_domain::model::case::InboxView::Open,
        0,
    )
    .await
    .expect("inbox");
    assert!(inbox.cases.iter().any(|c| c.report_id == open));
    // New graffiti reports go to the successor.
    let later = new_case(&svc).await;
    assert_eq!(scalar(&svc, dept_of, later).await, new);
    // The question moved with a hand-over entry and kept its deadline.
    let (q, _) = read::get(&svc, None, question)
        .await
        .unwrap()
        .expect("public");
    assert_eq!(q.department_id, Some(new));
    let due_after: Option<String> = with_db!(&svc.db, p => sqlx::query_scalar(
        "SELECT CAST(due_at AS TEXT) FROM questions WHERE id = $1").bind(question).fetch_one(p).await)
    .unwrap();
    assert_eq!(due_after, due_before, "the clock goes on");
    assert_eq!(
        scalar(
            &svc,
            "SELECT count(*) FROM notifications WHERE question_id = $1 AND detail = 'handed_over'",
            question
        )
        .await,
        1,
        "the asker, who follows the question, is told once"
    );
    assert!(q.events.iter().any(|e| e.kind == EventKind::HandedOver
        && e.from_department_id == Some(cgj)
        && e.department_id == Some(new)));

    // Listed as retired, with its successor; no longer a choice.
    let d = gongzhi_domain::departments::get(&svc.db, cgj)
        .await
        .unwrap()
        .unwrap();
    assert!(d.retired && d.successor_id == Some(new));
    let official_again =
        gongzhi_domain::accounts::set_role(&svc, Some(&root), official.id, "official", Some(cgj))
            .await
            .unwrap_err();
    assert_eq!(
        problems(official_again),
        [("department_id".to_string(), Problem::DepartmentRetired)]
    );
    let asked = questions::ask(
        &svc,
        Some(&asker),
        QuestionInput {
            title: "还能问原来的部门吗".into(),
            body: "还能问原来的部门吗：详细情况说明。".into(),
            department: cgj.to_string(),
            ip: String::new(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        problems(asked),
        [("department".to_string(), Problem::DepartmentRetired)]
    );
    let renamed = gongzhi_domain::departments::save(
        &svc.db,
        Some(&root),
        DepartmentInput {
            code: "cgj".into(),
            name_zh: "城管".into(),
            name_en: "Urban".into(),
            dispatch: false,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        problems(renamed),
        [("code".to_string(), Problem::DepartmentRetired)]
    );
    let again = retire(&svc.db, Some(&root), retiring(cgj, new))
        .await
        .unwrap_err();
    assert_eq!(
        problems(again),
        [("department".to_string(), Problem::DepartmentRetired)]
    );

    // The dispatch centre retired into the new bureau: the role passes with its people.
    let dispatcher = account(&svc, "dispatcher@demo.gongzhi.org").await;
    assert!(is_dispatcher(&svc, &dispatcher).await.unwrap());
    retire(&svc.db, Some(&root), retiring(zhzx, new))
        .await
        .expect("retired");
    let dispatcher = account(&svc, "dispatcher@demo.gongzhi.org").await;
    assert_eq!(dispatcher.department_id, Some(new));
    assert!(is_dispatcher(&svc, &dispatcher).await.unwrap());
    let new_dept = gongzhi_domain::departments::get(&svc.db, new)
        .await
        .unwrap()
        .unwrap();
    assert!(new_dept.dispatch && !new_dept.retired);
    // The case that moved goes on to its close in the successor.
    steps(&svc, later, &TO_CLOSE[..2]).await;
}

/// The retirement form as the page posts it.
fn form<'a>(
    department: &'a str,
    successor: &'a str,
    note: &'a str,
    confirm: bool,
) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("department", department),
        ("successor", successor),
        ("note", note),
    ];
    if confirm {
        f.push(("confirm", "on"));
    }
    f
}

async fn retiring_is_for_admins_and_names_each_bad_field(app: &TestApp) {
    let svc = app.demo().await;
    let cgj = department(&svc, "cgj").await;
    let jtj = department(&svc, "jtj").await;
    let admin = app.admin().await;
    let resident = app
        .logged_in("resident@demo.gongzhi.org", "resident-demo-2026")
        .await;
    let (c, j) = (cgj.to_string(), jtj.to_string());
    let counts = |svc: Services| async move {
        (
            scalar(
                &svc,
                "SELECT count(*) FROM reports WHERE department_id = $1",
                cgj,
            )
            .await,
            scalar(
                &svc,
                "SELECT count(*) FROM departments WHERE retired_at IS NOT NULL AND id <> $1",
                0,
            )
            .await,
        )
    };
    let before = counts(svc.clone()).await;

    let (status, _, _) = app
        .call(
            &resident,
            "admin_retire_department",
            &form(&c, &j, "合并", true),
        )
        .await;
    assert_eq!(status, 403, "admins only");
    let anonymous = common::new_client();
    let (status, _, _) = app
        .call(
            &anonymous,
            "admin_retire_department",
            &form(&c, &j, "合并", true),
        )
        .await;
    assert_eq!(status, 401);

    // Each bad field named at once.
    let (status, body, _) = app
        .call(
            &admin,
            "admin_retire_department",
            &form("", "abc", "", false),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["Invalid"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|p| p["field"].as_str())
        .collect();
    assert_eq!(fields, ["department", "successor", "note", "confirm"]);
    // Into itself, or into a department that does not exist.
    let root = account(&svc, "root@city.example").await;
    let same = retire(&svc.db, Some(&root), retiring(cgj, cgj))
        .await
        .unwrap_err();
    assert_eq!(
        problems(same),
        [("successor".to_string(), Problem::InvalidChoice)]
    );
    let unknown = retire(&svc.db, Some(&root), retiring(cgj, 999_999))
        .await
        .unwrap_err();
    assert_eq!(
        problems(unknown),
        [("successor".to_string(), Problem::UnknownDepartment)]
    );
    let long = RetireInput {
        note: "很".repeat(501),
        ..retiring(cgj, jtj)
    };
    assert_eq!(
        problems(retire(&svc.db, Some(&root), long).await.unwrap_err()),
        [("note".to_string(), Problem::TooLong { max: 500 })]
    );
    let resident_me = account(&svc, "resident@demo.gongzhi.org").await;
    assert!(matches!(
        retire(&svc.db, Some(&resident_me), retiring(cgj, jtj)).await,
        Err(Error::Forbidden)
    ));
    assert_eq!(counts(svc.clone()).await, before, "nothing moved");

    // Over HTTP, as the page posts it.
    let (status, body, _) = app
        .call(
            &admin,
            "admin_retire_department",
            &form(&c, &j, "合并", true),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["categories"].as_u64().unwrap_or(0) >= 1, "{body}");
    let (_, list, _) = app.call(&admin, "admin_departments", &[]).await;
    let listed = list
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["code"] == "cgj")
        .expect("still listed")
        .clone();
    assert_eq!(
        (listed["retired"].as_bool(), listed["successor_id"].as_i64()),
        (Some(true), Some(jtj))
    );
    // The public department page keeps the retired bureau's history and names the one working now.
    let (status, page, _) = app.call(&anonymous, "department", &[("code", "cgj")]).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["department"]["retired"], true);
    assert_eq!(page["successor"]["code"], "jtj");
}
