//! E-deliberation on both backends: officials and admins open processes (every bad field
//! named, each official for their own department only); residents propose only during the
//! proposal phase, support once and take it back while supports are open; authors edit
//! until the first support; and what anyone types is sanitized before any page shows it.

use crate::common;

use crate::common::{account, local_day};

use crate::common::TestApp;
use gongzhi_domain::deliberation::processes::{self, ProcessInput};
use gongzhi_domain::deliberation::proposals::{self, ProposalInput};
use gongzhi_domain::model::deliberation::{Phase, ProcessView, ProposalOrder};
use gongzhi_domain::model::Me;
use gongzhi_domain::{with_db, Error, Problem, Services};

on_both_backends!(
    officials_and_admins_open_processes_and_every_bad_field_is_named,
    residents_propose_in_the_proposal_phase_and_support_once_while_it_runs,
    authors_edit_until_the_first_support_and_markdown_is_sanitized,
    the_pages_and_their_forms_work_over_http,
    discussion_threads_stances_helpful_votes_and_pages,
    answers_merges_and_closing_reports_reach_supporters_and_followers,
);

/// A process whose phases start `starts` days from today, in order.
fn input(title: &str, department: i64, starts: [i64; 5]) -> ProcessInput {
    ProcessInput {
        title: title.into(),
        summary: "朝阳菜市场改造方案征求意见".into(),
        body: "## 背景\n\n菜市场建于 **1998 年**，[方案](https://example.gov.cn/plan.pdf)".into(),
        department: department.to_string(),
        information: local_day(starts[0]),
        proposals: local_day(starts[1]),
        discussion: local_day(starts[2]),
        decision: local_day(starts[3]),
        closes: local_day(starts[4]),
        support_threshold: "3".into(),
    }
}

fn problems(e: Error) -> Vec<(String, Problem)> {
    match e {
        Error::Invalid(list) => list.into_iter().map(|f| (f.field, f.problem)).collect(),
        other => panic!("expected field problems, got {other:?}"),
    }
}

async fn officials_and_admins_open_processes_and_every_bad_field_is_named(app: &TestApp) {
    let svc = app.demo().await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let resident = account(&svc, "resident@demo.gongzhi.org").await;
    let own = official.department_id.expect("an official's department");
    let other: i64 = with_db!(&svc.db, p => sqlx::query_scalar("SELECT id FROM departments WHERE id <> $1 ORDER BY id LIMIT 1")
        .bind(own).fetch_one(p).await).unwrap();

    // Only officials and admins; a resident is refused, a visitor asked to sign in.
    let good = input("朝阳菜市场改造", own, [-5, -1, 5, 10, 20]);
    assert!(matches!(
        processes::save(&svc, Some(&resident), None, good.clone()).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        processes::save(&svc, None, None, good.clone()).await,
        Err(Error::Unauthenticated)
    ));
    let id = processes::save(&svc, Some(&official), None, good.clone())
        .await
        .expect("opened");
    let p = processes::get(&svc, id).await.unwrap().expect("saved");
    assert_eq!(p.dates.phase_at(chrono::Utc::now()), Phase::Proposals);
    assert_eq!(p.support_threshold, Some(3));
    assert!(
        p.body_html.contains("<strong>1998 年</strong>"),
        "{}",
        p.body_html
    );
    // The last day is the decision's last: closed from the next day on.
    assert_eq!(
        p.dates.closes_at - p.dates.decision_at,
        chrono::Duration::days(11)
    );

    // Every bad field named at once.
    let bad = ProcessInput {
        title: " ".into(),
        summary: "长".repeat(501),
        department: other.to_string(),
        information: "2026-13-40".into(),
        proposals: local_day(3),
        discussion: local_day(1),
        decision: local_day(5),
        closes: String::new(),
        support_threshold: "-2".into(),
        ..Default::default()
    };
    let mut got = problems(
        processes::save(&svc, Some(&official), None, bad)
            .await
            .unwrap_err(),
    );
    got.sort_by(|a, b| a.0.cmp(&b.0));
    let fields: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
            "closes",
            "department",
            "discussion",
            "information",
            "summary",
            "support_threshold",
            "title"
        ],
        "{got:?}"
    );
    assert!(got.contains(&("discussion".into(), Problem::DateOrder)));
    assert!(got.contains(&("information".into(), Problem::NotADate)));
    // An official manages their own department's processes only; an admin any.
    assert!(matches!(
        processes::save(
            &svc,
            Some(&official),
            None,
            input("别的部门", other, [0, 1, 2, 3, 4])
        )
        .await,
        Err(Error::Invalid(_))
    ));
    let theirs = processes::save(
        &svc,
        Some(&admin),
        None,
        input("公园开放时间", other, [3, 4, 5, 6, 7]),
    )
    .await
    .expect("admins open any department's");
    assert!(matches!(
        processes::save(
            &svc,
            Some(&official),
            Some(theirs),
            input("改", own, [3, 4, 5, 6, 7])
        )
        .await,
        Err(Error::Forbidden)
    ));
    let closed = processes::save(
        &svc,
        Some(&admin),
        None,
        input("已结束的议题", own, [-30, -20, -10, -5, -2]),
    )
    .await
    .unwrap();

    // Listed by where they are (beside the demo city's), and found by words in the title.
    let ids = |list: Vec<gongzhi_domain::model::deliberation::ProcessSummary>| {
        list.into_iter().map(|p| p.id).collect::<Vec<_>>()
    };
    let open = ids(processes::list(&svc, ProcessView::Open, "").await.unwrap());
    assert!(
        open.contains(&id) && !open.contains(&theirs) && !open.contains(&closed),
        "{open:?}"
    );
    let upcoming = ids(processes::list(&svc, ProcessView::Upcoming, "")
        .await
        .unwrap());
    assert!(
        upcoming.contains(&theirs) && !upcoming.contains(&id),
        "{upcoming:?}"
    );
    let done = ids(processes::list(&svc, ProcessView::Closed, "")
        .await
        .unwrap());
    assert!(done.contains(&closed) && !done.contains(&id), "{done:?}");
    assert_eq!(
        ids(processes::list(&svc, ProcessView::Open, "朝阳菜市场改造")
            .await
            .unwrap())
        .len(),
        2,
        "ours and the demo's"
    );
    assert_eq!(
        ids(processes::list(&svc, ProcessView::Closed, "已结束的")
            .await
            .unwrap()),
        [closed]
    );
    assert!(processes::list(&svc, ProcessView::Open, "100%_")
        .await
        .unwrap()
        .is_empty());
}

async fn residents_propose_in_the_proposal_phase_and_support_once_while_it_runs(app: &TestApp) {
    let svc = app.demo().await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let resident = account(&svc, "resident@demo.gongzhi.org").await;
    let own = official.department_id.unwrap();
    let id = processes::save(
        &svc,
        Some(&official),
        None,
        input("朝阳菜市场改造", own, [-5, -1, 5, 10, 20]),
    )
    .await
    .unwrap();
    let proposal = |title: &str| ProposalInput {
        title: title.into(),
        body: "增加**无障碍**通道".into(),
        ..Default::default()
    };
    assert!(matches!(
        proposals::create(&svc, None, id, proposal("匿名")).await,
        Err(Error::Unauthenticated)
    ));
    let first = proposals::create(&svc, Some(&resident), id, proposal("增加无障碍通道"))
        .await
        .expect("proposed");
    // Bad fields named.
    let bad = ProposalInput {
        title: "标".repeat(151),
        body: String::new(),
        lat: "91".into(),
        lon: "108.3".into(),
        ..Default::default()
    };
    let got = problems(
        proposals::create(&svc, Some(&resident), id, bad)
            .await
            .unwrap_err(),
    );
    let fields: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["title", "body", "lat"], "{got:?}");

    // Supports: once per resident, taken back, counted.
    let neighbours: Vec<Me> = {
        let mut v = Vec::new();
        for i in 0..3 {
            let c = app
                .resident(
                    &format!("n{i}@example.org"),
                    &format!("邻居{i}"),
                    "neighbour-pass-2026",
                )
                .await;
            drop(c);
            v.push(account(&svc, &format!("n{i}@example.org")).await);
        }
        v
    };
    for n in &neighbours {
        proposals::support(&svc, Some(n), first, true)
            .await
            .expect("support");
    }
    assert_eq!(
        problems(
            proposals::support(&svc, Some(&neighbours[0]), first, true)
                .await
                .unwrap_err()
        ),
        [("support".into(), Problem::AlreadySupported)]
    );
    assert_eq!(
        proposals::support(&svc, Some(&neighbours[0]), first, false)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        proposals::support(&svc, Some(&neighbours[0]), first, false)
            .await
            .unwrap(),
        2,
        "twice is once"
    );
    let (detail, viewer) = proposals::get(&svc, Some(&neighbours[1]), first)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(detail.support_count, 2);
    assert!(viewer.supported && viewer.can_support && !viewer.is_author);
    let second = proposals::create(&svc, Some(&neighbours[2]), id, proposal("延长营业时间"))
        .await
        .unwrap();
    let order: Vec<i64> = proposals::list(&svc, None, id, ProposalOrder::Supports)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(order, [first, second]);
    let order: Vec<i64> = proposals::list(&svc, None, id, ProposalOrder::Newest)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(order, [second, first]);

    // Discussion: no new proposals, supports still open.
    processes::save(
        &svc,
        Some(&official),
        Some(id),
        input("朝阳菜市场改造", own, [-5, -3, -1, 10, 20]),
    )
    .await
    .unwrap();
    assert_eq!(
        problems(
            proposals::create(&svc, Some(&resident), id, proposal("迟到的建议"))
                .await
                .unwrap_err()
        ),
        [("phase".into(), Problem::ProposalsClosed)]
    );
    proposals::support(&svc, Some(&neighbours[0]), first, true)
        .await
        .expect("still open");
    // Decision: supports are closed, both ways.
    processes::save(
        &svc,
        Some(&official),
        Some(id),
        input("朝阳菜市场改造", own, [-5, -4, -3, -1, 20]),
    )
    .await
    .unwrap();
    assert_eq!(
        problems(
            proposals::support(&svc, Some(&neighbours[1]), first, false)
                .await
                .unwrap_err()
        ),
        [("support".into(), Problem::SupportsClosed)]
    );
    let (_, viewer) = proposals::get(&svc, Some(&neighbours[1]), first)
        .await
        .unwrap()
        .unwrap();
    assert!(!viewer.can_support);
    // Before the proposal phase there is nothing to propose either.
    let later = processes::save(
        &svc,
        Some(&official),
        None,
        input("下一个议题", own, [1, 2, 3, 4, 5]),
    )
    .await
    .unwrap();
    assert_eq!(
        problems(
            proposals::create(&svc, Some(&resident), later, proposal("太早"))
                .await
                .unwrap_err()
        ),
        [("phase".into(), Problem::ProposalsClosed)]
    );
    assert!(matches!(
        proposals::create(&svc, Some(&resident), 999_999, proposal("无")).await,
        Err(Error::NotFound)
    ));
}

async fn authors_edit_until_the_first_support_and_markdown_is_sanitized(app: &TestApp) {
    let svc = app.demo().await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let resident = account(&svc, "resident@demo.gongzhi.org").await;
    let own = official.department_id.unwrap();
    let process = processes::save(
        &svc,
        Some(&official),
        None,
        input("议题", own, [-5, -1, 5, 10, 20]),
    )
    .await
    .unwrap();
    let hostile = ProposalInput {
        title: "<script>alert(1)</script>标题".into(),
        body:
            "正文 <script>alert(1)</script> [点](javascript:alert(1)) <img src=x onerror=alert(1)>"
                .into(),
        lat: "22.8172".into(),
        lon: "108.3661".into(),
        address: "朝阳菜市场".into(),
        ..Default::default()
    };
    let id = proposals::create(&svc, Some(&resident), process, hostile)
        .await
        .unwrap();
    let (p, viewer) = proposals::get(&svc, Some(&resident), id)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !p.body_html.contains("<script") && !p.body_html.contains("<img"),
        "{}",
        p.body_html
    );
    assert!(!p.body_html.contains("javascript:"), "{}", p.body_html);
    assert!(
        p.body_html.contains("&lt;script&gt;"),
        "shown as text: {}",
        p.body_html
    );
    assert_eq!((p.lat, p.lon), (Some(22.8172), Some(108.3661)));
    assert!(viewer.is_author && viewer.can_edit);

    // Someone else may not edit it; the author may, and it shows as edited.
    let official_edit = ProposalInput {
        title: "改".into(),
        body: "改".into(),
        ..Default::default()
    };
    assert!(matches!(
        proposals::edit(&svc, Some(&official), id, official_edit).await,
        Err(Error::Forbidden)
    ));
    let edit = ProposalInput {
        title: "增加无障碍通道".into(),
        body: "修改后的正文".into(),
        ..Default::default()
    };
    proposals::edit(&svc, Some(&resident), id, edit.clone())
        .await
        .expect("edited");
    let (p, _) = proposals::get(&svc, None, id).await.unwrap().unwrap();
    assert!(p.edited_at.is_some());
    assert_eq!((p.title.as_str(), p.lat), ("增加无障碍通道", None));
    // After the first support, what people supported stays as they read it.
    proposals::support(&svc, Some(&official), id, true)
        .await
        .unwrap();
    assert_eq!(
        problems(
            proposals::edit(&svc, Some(&resident), id, edit)
                .await
                .unwrap_err()
        ),
        [("body".into(), Problem::EditLocked)]
    );
    let (_, viewer) = proposals::get(&svc, Some(&resident), id)
        .await
        .unwrap()
        .unwrap();
    assert!(!viewer.can_edit);

    // Held content is seen by its author only; hidden content leaves a tombstone.
    with_db!(&svc.db, p => sqlx::query("UPDATE proposals SET visibility = 'held' WHERE id = $1").bind(id).execute(p).await
        .map(|r| r.rows_affected())).unwrap();
    assert!(proposals::get(&svc, None, id).await.unwrap().is_none());
    assert!(proposals::get(&svc, Some(&resident), id)
        .await
        .unwrap()
        .is_some());
    assert!(proposals::list(&svc, None, process, ProposalOrder::Newest)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        proposals::list(&svc, Some(&resident), process, ProposalOrder::Newest)
            .await
            .unwrap()
            .len(),
        1
    );
    let listed = processes::list(&svc, ProcessView::Open, "").await.unwrap();
    assert_eq!(
        listed
            .iter()
            .find(|p| p.id == process)
            .map(|p| p.proposal_count),
        Some(0),
        "held ones are not counted"
    );
    with_db!(&svc.db, p => sqlx::query("UPDATE proposals SET visibility = 'hidden', hidden_reason = 'spam', hidden_note = '广告' WHERE id = $1").bind(id).execute(p).await
        .map(|r| r.rows_affected())).unwrap();
    let (p, _) = proposals::get(&svc, None, id).await.unwrap().unwrap();
    assert_eq!(p.body_html, "");
    assert_eq!(
        p.hidden,
        Some(gongzhi_domain::model::moderation::HiddenWhy {
            reason: gongzhi_domain::model::moderation::Reason::Spam,
            note: "广告".into()
        })
    );
    assert!(matches!(
        proposals::support(&svc, Some(&resident), id, true).await,
        Err(Error::NotFound)
    ));
}

async fn the_pages_and_their_forms_work_over_http(app: &TestApp) {
    let svc = app.demo().await;
    let official = app
        .logged_in("official@demo.gongzhi.org", "official-demo-2026")
        .await;
    let resident = app
        .logged_in("resident@demo.gongzhi.org", "resident-demo-2026")
        .await;
    let dept = account(&svc, "official@demo.gongzhi.org")
        .await
        .department_id
        .unwrap()
        .to_string();
    // The form page is for officials and admins.
    let html = app.page(&resident, "/deliberation/new", "zh-CN").await;
    assert!(!html.contains("name=\"information\""));
    let html = app.page(&official, "/deliberation/new", "zh-CN").await;
    assert!(html.contains("name=\"information\"") && html.contains("type=\"date\""));
    let form = |title: &str| {
        vec![
            ("title", title.to_string()),
            ("summary", "征求意见".to_string()),
            ("body", "**说明** <script>alert(1)</script>".to_string()),
            ("department", dept.clone()),
            ("information", local_day(-5)),
            ("proposals", local_day(-1)),
            ("discussion", local_day(5)),
            ("decision", local_day(10)),
            ("closes", local_day(20)),
            ("support_threshold", "2".to_string()),
        ]
    };
    let as_refs = |v: &Vec<(&'static str, String)>| {
        v.iter().map(|(a, b)| (*a, b.clone())).collect::<Vec<_>>()
    };
    let call =
        |client: &reqwest::Client, endpoint: &'static str, form: Vec<(&'static str, String)>| {
            let client = client.clone();
            async move {
                let f: Vec<(&str, &str)> = form.iter().map(|(a, b)| (*a, b.as_str())).collect();
                app.call(&client, endpoint, &f).await
            }
        };
    let (status, body, _) = call(&official, "save_process", as_refs(&form(""))).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Invalid"][0]["field"], "title");
    let (status, id, _) = call(
        &official,
        "save_process",
        as_refs(&form("南湖公园开放时间")),
    )
    .await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_i64().expect("the process id");

    // Listed, and its page shows the phases, the sanitized description and the form.
    let html = app
        .page(&common::new_client(), "/deliberation", "zh-CN")
        .await;
    assert!(html.contains(&format!("/deliberation/{id}")) && html.contains("南湖公园开放时间"));
    // Plain HTML: no wasm to load on a cheap phone (the home page, hydrated, has it).
    let home = app.page(&common::new_client(), "/", "zh-CN").await;
    assert!(
        home.contains(".wasm"),
        "the hydrated home page names its wasm"
    );
    assert!(!html.contains(".wasm"), "the deliberation pages do not");
    let html = app
        .page(
            &common::new_client(),
            &format!("/deliberation/{id}"),
            "zh-CN",
        )
        .await;
    assert!(html.contains("<strong>说明</strong>"));
    assert!(
        !html.contains("<script>alert(1)"),
        "never a script from the description"
    );
    assert!(html.contains("征集建议") && html.contains("aria-current=\"step\""));
    assert!(
        html.contains(&format!("/login?next=%2Fdeliberation%2F{id}")),
        "visitors are asked to log in"
    );
    let html = app
        .page(&resident, &format!("/deliberation/{id}"), "zh-CN")
        .await;
    assert!(
        html.contains("name=\"process\""),
        "residents get the proposal form"
    );

    let (status, pid, _) = call(
        &resident,
        "create_proposal",
        vec![
            ("process", id.to_string()),
            ("title", "延长夏季开放时间".into()),
            ("body", "夏天晚上**人多**".into()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{pid}");
    let pid = pid.as_i64().unwrap();
    let html = app
        .page(&resident, &format!("/proposals/{pid}"), "zh-CN")
        .await;
    assert!(html.contains("<strong>人多</strong>"));
    assert!(
        html.contains("name=\"on\" value=\"true\""),
        "a support button"
    );
    assert!(html.contains("修改建议"), "the author may edit");
    let (status, count, _) = call(
        &official,
        "support_proposal",
        vec![("id", pid.to_string()), ("on", "true".into())],
    )
    .await;
    assert_eq!((status, count), (200, serde_json::json!(1)));
    let (status, body, _) = call(
        &official,
        "support_proposal",
        vec![("id", pid.to_string()), ("on", "true".into())],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let html = app
        .page(&official, &format!("/proposals/{pid}"), "zh-CN")
        .await;
    assert!(html.contains("撤回支持"));
    let html = app
        .page(&resident, &format!("/proposals/{pid}"), "zh-CN")
        .await;
    assert!(
        !html.contains("修改建议"),
        "no edits after the first support"
    );
    // The discussion: a comment with its stance, refused without one.
    let (status, body, _) = call(
        &official,
        "post_comment",
        vec![
            ("kind", "proposal".into()),
            ("id", pid.to_string()),
            ("body", "场地要先协调".into()),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Invalid"][0]["field"], "stance");
    let (status, cid, _) = call(
        &official,
        "post_comment",
        vec![
            ("kind", "proposal".into()),
            ("id", pid.to_string()),
            ("stance", "against".into()),
            ("body", "学校**安全**要先协调".into()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{cid}");
    let html = app
        .page(&resident, &format!("/proposals/{pid}"), "zh-CN")
        .await;
    assert!(html.contains("<strong>安全</strong>") && html.contains("stance-against"));
    assert!(
        html.contains(&format!("name=\"parent\" value=\"{}\"", cid)),
        "a reply form"
    );
    let (status, n, _) = call(
        &resident,
        "vote_comment",
        vec![("id", cid.to_string()), ("on", "true".into())],
    )
    .await;
    assert_eq!((status, n), (200, serde_json::json!(1)));
    let html = app
        .page(
            &common::new_client(),
            &format!("/proposals/{pid}?corder=helpful"),
            "zh-CN",
        )
        .await;
    assert!(
        html.contains("反对方最有帮助的观点"),
        "the strongest argument against is shown"
    );
    assert!(html.contains("class=\"balance-bar\""));
    assert!(
        !html.contains(" style="),
        "no inline style: the page's CSP would block it"
    );
    // In English too.
    let html = app
        .page(&common::new_client(), &format!("/deliberation/{id}"), "en")
        .await;
    assert!(html.contains("Proposals") && html.contains("Most supported"));
}

async fn discussion_threads_stances_helpful_votes_and_pages(app: &TestApp) {
    use gongzhi_domain::deliberation::comments::{self, NewComment, Subject};
    use gongzhi_domain::model::deliberation::{CommentOrder, CommentState, COMMENT_PAGE};
    let svc = app.demo().await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let resident = account(&svc, "resident@demo.gongzhi.org").await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let own = official.department_id.unwrap();
    let process = processes::save(
        &svc,
        Some(&official),
        None,
        input("议题", own, [-5, -1, 5, 10, 20]),
    )
    .await
    .unwrap();
    let proposal = proposals::create(
        &svc,
        Some(&resident),
        process,
        ProposalInput {
            title: "建议".into(),
            body: "正文".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let on = Subject::Proposal(proposal);
    let say = |stance: &str, body: &str, parent: Option<i64>| NewComment {
        stance: stance.into(),
        body: body.into(),
        parent,
        ..Default::default()
    };

    // Bad input named: stance, body, a parent from elsewhere; visitors sign in first.
    assert!(matches!(
        comments::post(&svc, None, on, say("for", "好", None)).await,
        Err(Error::Unauthenticated)
    ));
    let got = problems(
        comments::post(&svc, Some(&resident), on, say("maybe", " ", None))
            .await
            .unwrap_err(),
    );
    assert_eq!(
        got,
        [
            ("stance".into(), Problem::InvalidChoice),
            ("body".into(), Problem::Required)
        ]
    );
    let elsewhere = comments::post(
        &svc,
        Some(&resident),
        Subject::Process(process),
        say("neutral", "关于议题本身", None),
    )
    .await
    .unwrap();
    let got = problems(
        comments::post(
            &svc,
            Some(&resident),
            on,
            say("for", "回复", Some(elsewhere)),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(got, [("parent".into(), Problem::InvalidChoice)]);

    // A thread: replies nest to depth 3, and a reply to the deepest joins that level.
    let root = comments::post(
        &svc,
        Some(&resident),
        on,
        say("for", "**支持**，通道太窄", None),
    )
    .await
    .unwrap();
    let r2 = comments::post(
        &svc,
        Some(&official),
        on,
        say("against", "预算不够", Some(root)),
    )
    .await
    .unwrap();
    let r3 = comments::post(&svc, Some(&admin), on, say("neutral", "可以分期", Some(r2)))
        .await
        .unwrap();
    let r4 = comments::post(&svc, Some(&resident), on, say("for", "分期也好", Some(r3)))
        .await
        .unwrap();
    let against = comments::post(
        &svc,
        Some(&official),
        on,
        say("against", "会影响摊位数量", None),
    )
    .await
    .unwrap();
    let page = comments::page(&svc, Some(&resident), on, CommentOrder::Oldest, None)
        .await
        .unwrap();
    assert_eq!(page.threads.len(), 2);
    let t = &page.threads[0];
    assert_eq!(t.root.id, root);
    assert!(t.root.body_html.contains("<strong>支持</strong>"));
    let shape: Vec<(i64, Option<i64>, i64)> = t
        .replies
        .iter()
        .map(|c| (c.id, c.parent_id, c.depth))
        .collect();
    assert_eq!(
        shape,
        [(r2, Some(root), 2), (r3, Some(r2), 3), (r4, Some(r2), 3)]
    );
    assert_eq!(
        (page.count_for, page.count_against, page.count_neutral),
        (2, 2, 1)
    );
    assert!(page.open && t.root.mine && t.root.can_edit);
    // Commented: the proposal can no longer be edited.
    let (_, viewer) = proposals::get(&svc, Some(&resident), proposal)
        .await
        .unwrap()
        .unwrap();
    assert!(!viewer.can_edit);

    // "Helpful": not one's own, once each; the strongest arguments of each side rise.
    assert_eq!(
        problems(
            comments::vote(&svc, Some(&resident), root, true)
                .await
                .unwrap_err()
        ),
        [("helpful".into(), Problem::OwnContent)]
    );
    assert_eq!(
        comments::vote(&svc, Some(&official), root, true)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        comments::vote(&svc, Some(&official), root, true)
            .await
            .unwrap(),
        1,
        "once"
    );
    assert_eq!(
        comments::vote(&svc, Some(&admin), root, true)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        comments::vote(&svc, Some(&resident), against, true)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        comments::vote(&svc, Some(&admin), r2, true).await.unwrap(),
        1
    );
    let page = comments::page(&svc, Some(&official), on, CommentOrder::Helpful, None)
        .await
        .unwrap();
    assert_eq!(
        page.strongest_for.iter().map(|c| c.id).collect::<Vec<_>>(),
        [root]
    );
    assert_eq!(
        page.strongest_against
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>(),
        [r2, against]
    );
    assert!(page.threads[0].root.voted, "the viewer's own mark shows");
    assert_eq!(
        comments::vote(&svc, Some(&official), root, false)
            .await
            .unwrap(),
        1
    );

    // Edits within 15 minutes; after, refused. Deleting leaves a tombstone over the replies.
    comments::edit(
        &svc,
        Some(&resident),
        root,
        "**支持**，通道太窄，轮椅过不去",
    )
    .await
    .expect("edit");
    assert!(matches!(
        comments::edit(&svc, Some(&official), root, "改").await,
        Err(Error::Forbidden)
    ));
    with_db!(&svc.db, p => sqlx::query("UPDATE comments SET created_at = $1 WHERE id = $2")
        .bind(chrono::Utc::now() - chrono::Duration::minutes(16)).bind(against).execute(p).await.map(|r| r.rows_affected()))
    .unwrap();
    assert_eq!(
        problems(
            comments::edit(&svc, Some(&official), against, "改")
                .await
                .unwrap_err()
        ),
        [("body".into(), Problem::EditWindowOver { minutes: 15 })]
    );
    comments::delete(&svc, Some(&official), r2)
        .await
        .expect("delete");
    let page = comments::page(&svc, None, on, CommentOrder::Oldest, None)
        .await
        .unwrap();
    let tomb = &page.threads[0].replies[0];
    assert_eq!(
        (
            tomb.id,
            &tomb.state,
            tomb.body_html.as_str(),
            tomb.author_name.clone()
        ),
        (r2, &CommentState::Deleted, "", None)
    );
    assert_eq!(page.threads[0].replies.len(), 3, "its replies stay");
    assert!(
        page.threads[0].root.body_html.contains("轮椅"),
        "the edit shows"
    );
    assert!(page.threads[0].root.edited_at.is_some());

    // A flood is stopped: 30 comments an hour per account.
    let mut posted = 0;
    for who in [&admin, &official] {
        loop {
            match comments::post(
                &svc,
                Some(who),
                on,
                say(
                    if posted % 2 == 0 { "for" } else { "neutral" },
                    &format!("第 {posted} 条"),
                    None,
                ),
            )
            .await
            {
                Ok(_) => posted += 1,
                Err(Error::RateLimited { .. }) => break,
                Err(e) => panic!("{e:?}"),
            }
            assert!(posted < 100, "never limited");
        }
    }
    // Admin had one comment, the official two.
    assert_eq!(posted, 29 + 28);

    // Pages of 20 by keyset, in each order, every thread once.
    for order in [
        CommentOrder::Oldest,
        CommentOrder::Newest,
        CommentOrder::Helpful,
    ] {
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        let mut pages = 0;
        loop {
            let page = comments::page(&svc, None, on, order, after.as_deref())
                .await
                .unwrap();
            assert!(page.threads.len() <= COMMENT_PAGE);
            seen.extend(page.threads.iter().map(|t| t.root.id));
            pages += 1;
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "{order:?}: no thread twice");
        assert_eq!(seen.len(), 2 + 57, "{order:?}: every thread");
        assert_eq!(pages, 3, "{order:?}");
        if order == CommentOrder::Newest {
            assert!(seen.windows(2).all(|w| w[0] > w[1]));
        }
        if order == CommentOrder::Helpful {
            assert_eq!(seen[0], root, "the most helpful first");
        }
    }

    // In the decision phase the discussion is closed.
    processes::save(
        &svc,
        Some(&official),
        Some(process),
        input("议题", own, [-5, -4, -3, -1, 20]),
    )
    .await
    .unwrap();
    assert_eq!(
        problems(
            comments::post(&svc, Some(&resident), on, say("for", "还想说", None))
                .await
                .unwrap_err()
        ),
        [("phase".into(), Problem::CommentsClosed)]
    );
    assert!(
        !comments::page(&svc, None, on, CommentOrder::Oldest, None)
            .await
            .unwrap()
            .open
    );
}

/// Who got notices of `kind`, with each notice's detail, in user order.
async fn notices(svc: &Services, kind: &str) -> Vec<(i64, String)> {
    with_db!(&svc.db, p => sqlx::query_as(
        "SELECT user_id, detail FROM notifications WHERE kind = $1 ORDER BY user_id, id")
        .bind(kind).fetch_all(p).await)
    .unwrap()
}

async fn answers_merges_and_closing_reports_reach_supporters_and_followers(app: &TestApp) {
    use gongzhi_domain::deliberation::comments::{self, NewComment, Subject};
    use gongzhi_domain::deliberation::follows::{self, Target};
    use gongzhi_domain::deliberation::outcomes::{self, OutcomeInput};
    use gongzhi_domain::model::deliberation::Outcome;
    let svc = app.demo().await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let resident = account(&svc, "resident@demo.gongzhi.org").await;
    let own = official.department_id.unwrap();
    let mut people = Vec::new();
    for i in 0..5 {
        drop(
            app.resident(
                &format!("p{i}@example.org"),
                &format!("居民{i}"),
                "resident-pass-2026",
            )
            .await,
        );
        people.push(account(&svc, &format!("p{i}@example.org")).await);
    }
    let ids = |v: &[&Me]| {
        let mut v: Vec<i64> = v.iter().map(|m| m.id).collect();
        v.sort();
        v
    };
    // Settle the seeded processes' phases: nothing new to tell after that.
    follows::announce_phases(&svc).await.unwrap();
    let process = processes::save(
        &svc,
        Some(&official),
        None,
        input("菜市场改造", own, [-5, -1, 5, 10, 20]),
    )
    .await
    .unwrap();
    assert_eq!(
        follows::announce_phases(&svc).await.unwrap(),
        0,
        "a new process's phase needs no telling"
    );
    let propose = |title: &str| ProposalInput {
        title: title.into(),
        body: "正文".into(),
        ..Default::default()
    };
    let a = proposals::create(&svc, Some(&resident), process, propose("增设早市时段"))
        .await
        .unwrap();
    let b = proposals::create(&svc, Some(&resident), process, propose("早上开市（重复）"))
        .await
        .unwrap();
    for m in &people[0..2] {
        proposals::support(&svc, Some(m), a, true).await.unwrap();
    }
    proposals::support(&svc, Some(&people[0]), b, true)
        .await
        .unwrap();
    proposals::support(&svc, Some(&people[3]), b, true)
        .await
        .unwrap();

    // Following: visitors sign in first, unknown things are not found, twice is once.
    assert!(matches!(
        follows::follow(&svc, None, Target::Proposal(a), true).await,
        Err(Error::Unauthenticated)
    ));
    assert!(matches!(
        follows::follow(&svc, Some(&people[2]), Target::Proposal(999_999), true).await,
        Err(Error::NotFound)
    ));
    follows::follow(&svc, Some(&people[2]), Target::Proposal(a), true)
        .await
        .unwrap();
    follows::follow(&svc, Some(&people[2]), Target::Proposal(a), true)
        .await
        .unwrap();
    follows::follow(&svc, Some(&people[4]), Target::Process(process), true)
        .await
        .unwrap();
    assert!(
        follows::following(&svc, Some(&people[4]), Target::Process(process))
            .await
            .unwrap()
    );
    follows::follow(&svc, Some(&people[3]), Target::Process(process), true)
        .await
        .unwrap();
    follows::follow(&svc, Some(&people[3]), Target::Process(process), false)
        .await
        .unwrap();
    assert!(
        !follows::following(&svc, Some(&people[3]), Target::Process(process))
            .await
            .unwrap()
    );
    // The author follows their proposal and its process from the start.
    assert!(
        follows::following(&svc, Some(&resident), Target::Proposal(a))
            .await
            .unwrap()
    );
    assert!(
        follows::following(&svc, Some(&resident), Target::Process(process))
            .await
            .unwrap()
    );

    // Replies: a new thread on a proposal tells its author; a reply tells the one replied to.
    let say = |stance: &str, body: &str, parent: Option<i64>| NewComment {
        stance: stance.into(),
        body: body.into(),
        parent,
        ..Default::default()
    };
    let c = comments::post(
        &svc,
        Some(&people[0]),
        Subject::Proposal(a),
        say("for", "赞成", None),
    )
    .await
    .unwrap();
    let r = comments::post(
        &svc,
        Some(&resident),
        Subject::Proposal(a),
        say("for", "谢谢支持", Some(c)),
    )
    .await
    .unwrap();
    comments::post(
        &svc,
        Some(&resident),
        Subject::Proposal(a),
        say("neutral", "补充一点", Some(r)),
    )
    .await
    .unwrap();
    assert_eq!(
        notices(&svc, "reply").await,
        [
            (resident.id.min(people[0].id), String::new()),
            (resident.id.max(people[0].id), String::new())
        ],
        "the author of the proposal and of the comment replied to; never oneself"
    );
    // The notice names the reply and its thread, so its link opens the page with that thread.
    let told = gongzhi_domain::notifications::list(&svc, &people[0], 10)
        .await
        .unwrap();
    let reply = told
        .iter()
        .find(|n| n.kind == "reply")
        .expect("a reply notice");
    assert_eq!((reply.comment_id, reply.thread_id), (Some(r), Some(c)));

    // Answers: only the department's officials (and admins); every bad field named.
    let answer = |outcome: &str, text: &str, progress: &str| OutcomeInput {
        outcome: outcome.into(),
        answer: text.into(),
        progress: progress.into(),
    };
    assert!(matches!(
        outcomes::answer(&svc, Some(&resident), a, answer("accepted", "好", "")).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        outcomes::answer(&svc, None, a, answer("accepted", "好", "")).await,
        Err(Error::Unauthenticated)
    ));
    assert_eq!(
        problems(
            outcomes::answer(&svc, Some(&official), a, answer("maybe", " ", ""))
                .await
                .unwrap_err()
        ),
        [
            ("outcome".into(), Problem::InvalidChoice),
            ("answer".into(), Problem::Required)
        ]
    );
    assert_eq!(
        problems(
            outcomes::answer(
                &svc,
                Some(&official),
                a,
                answer("implemented", "已开工", "")
            )
            .await
            .unwrap_err()
        ),
        [("progress".into(), Problem::Required)]
    );
    assert_eq!(
        problems(
            outcomes::answer(
                &svc,
                Some(&official),
                a,
                answer("implemented", "已开工", "150")
            )
            .await
            .unwrap_err()
        ),
        [("progress".into(), Problem::OutOfRange { min: 0, max: 100 })]
    );
    assert_eq!(
        problems(
            outcomes::answer(
                &svc,
                Some(&official),
                a,
                answer("rejected", &"长".repeat(5001), "")
            )
            .await
            .unwrap_err()
        ),
        [("answer".into(), Problem::TooLong { max: 5000 })]
    );
    outcomes::answer(
        &svc,
        Some(&official),
        a,
        answer(
            "under_study",
            "正在评估<script>alert(1)</script>**场地**",
            "",
        ),
    )
    .await
    .unwrap();
    outcomes::answer(
        &svc,
        Some(&official),
        a,
        answer("implemented", "早市已于 6 点开放", "40%"),
    )
    .await
    .unwrap();
    let (detail, _) = proposals::get(&svc, None, a).await.unwrap().unwrap();
    let got: Vec<(Outcome, Option<i64>)> = detail
        .outcomes
        .iter()
        .map(|o| (o.outcome, o.progress))
        .collect();
    assert_eq!(
        got,
        [
            (Outcome::UnderStudy, None),
            (Outcome::Implemented, Some(40))
        ]
    );
    assert!(
        !detail.outcomes[0].body_html.contains("<script"),
        "{}",
        detail.outcomes[0].body_html
    );
    assert!(detail.outcomes[0]
        .body_html
        .contains("<strong>场地</strong>"));
    let listed = proposals::list(&svc, None, process, ProposalOrder::Supports)
        .await
        .unwrap();
    assert_eq!(
        listed.iter().find(|x| x.id == a).and_then(|x| x.outcome),
        Some(Outcome::Implemented)
    );
    // Each answer told the supporters, the follower and the author (who follows), not the official.
    let told = notices(&svc, "outcome").await;
    let mut expected: Vec<(i64, String)> = Vec::new();
    for id in ids(&[&resident, &people[0], &people[1], &people[2]]) {
        expected.push((id, "under_study".into()));
        expected.push((id, "implemented".into()));
    }
    assert_eq!(told, expected);
    let list = gongzhi_domain::notifications::list(&svc, &people[2], 10)
        .await
        .unwrap();
    assert_eq!(list[0].title.as_deref(), Some("增设早市时段"));
    assert_eq!(list[0].proposal_id, Some(a));

    // Merging a duplicate: bad targets named; supports carried (one per resident).
    for (into, problem) in [
        ("", Problem::Required),
        ("abc", Problem::NotANumber),
        (&b.to_string()[..], Problem::InvalidChoice),
        ("999999", Problem::InvalidChoice),
    ] {
        assert_eq!(
            problems(
                outcomes::merge(&svc, Some(&official), b, into)
                    .await
                    .unwrap_err()
            ),
            [("into".to_string(), problem)],
            "{into}"
        );
    }
    assert!(matches!(
        outcomes::merge(&svc, Some(&resident), b, &a.to_string()).await,
        Err(Error::Forbidden)
    ));
    outcomes::merge(&svc, Some(&official), b, &format!("#{a}"))
        .await
        .unwrap();
    let (merged, viewer) = proposals::get(&svc, Some(&people[3]), b)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(merged.merged_into.as_ref().map(|m| m.id), Some(a));
    assert!(!viewer.can_support);
    let (target, viewer) = proposals::get(&svc, Some(&people[3]), a)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(target.support_count, 3, "p0 supported both: counted once");
    assert!(viewer.supported, "p3's support moved with the duplicate");
    assert_eq!(
        target.merged_from.iter().map(|m| m.id).collect::<Vec<_>>(),
        [b]
    );
    let listed = proposals::list(&svc, None, process, ProposalOrder::Supports)
        .await
        .unwrap();
    assert!(
        listed.iter().all(|x| x.id != b),
        "a merged duplicate leaves the list"
    );
    let detail_a = a.to_string();
    assert_eq!(
        notices(&svc, "merged").await,
        ids(&[&resident, &people[0], &people[3]])
            .into_iter()
            .map(|id| (id, detail_a.clone()))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        problems(
            proposals::support(&svc, Some(&people[4]), b, true)
                .await
                .unwrap_err()
        ),
        [("support".into(), Problem::MergedAway)]
    );
    assert_eq!(
        problems(
            comments::post(
                &svc,
                Some(&people[4]),
                Subject::Proposal(b),
                say("for", "好", None)
            )
            .await
            .unwrap_err()
        ),
        [("body".into(), Problem::MergedAway)]
    );
    assert_eq!(
        problems(
            outcomes::merge(&svc, Some(&official), b, &a.to_string())
                .await
                .unwrap_err()
        ),
        [("into".into(), Problem::MergedAway)]
    );

    // The closing report waits for the decision phase.
    assert_eq!(
        problems(
            outcomes::closing_report(&svc, Some(&official), process, "结果")
                .await
                .unwrap_err()
        ),
        [("report".into(), Problem::BeforeDecision)]
    );
    processes::save(
        &svc,
        Some(&official),
        Some(process),
        input("菜市场改造", own, [-20, -15, -10, -1, 5]),
    )
    .await
    .unwrap();
    // The phase change is told to the process's followers, once.
    // (The server's own runner may get there first, within its minute: either way, once.)
    follows::announce_phases(&svc).await.unwrap();
    assert_eq!(follows::announce_phases(&svc).await.unwrap(), 0);
    assert_eq!(
        notices(&svc, "phase").await,
        ids(&[&resident, &people[4]])
            .into_iter()
            .map(|id| (id, "decision".to_string()))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        problems(
            outcomes::closing_report(&svc, Some(&official), process, " ")
                .await
                .unwrap_err()
        ),
        [("report".into(), Problem::Required)]
    );
    outcomes::closing_report(
        &svc,
        Some(&official),
        process,
        "## 结果\n\n采纳 1 条建议。<iframe src=x></iframe>",
    )
    .await
    .unwrap();
    outcomes::closing_report(
        &svc,
        Some(&official),
        process,
        "## 结果\n\n采纳 1 条建议，已实施。",
    )
    .await
    .unwrap();
    let p = processes::get(&svc, process).await.unwrap().unwrap();
    assert!(p.closing_report_at.is_some());
    assert!(
        p.closing_report_html.contains("已实施"),
        "{}",
        p.closing_report_html
    );
    // Told once, to followers of the process and supporters and followers of its proposals.
    assert_eq!(
        notices(&svc, "closing_report").await,
        ids(&[&resident, &people[0], &people[1], &people[2], &people[3], &people[4]])
            .into_iter()
            .map(|id| (id, String::new()))
            .collect::<Vec<_>>()
    );
}
