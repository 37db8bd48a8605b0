//! Ask the government on both backends: asking with review before publication (and a
//! reason when refused), routing by admins, the public list's filters and orders, one "I
//! want to know too" per person, permission checks (only the addressed department's
//! officials answer, hand over or say they are looking into it), answer edits kept as
//! history, the asker's one follow-up reopening the question, ratings, deadlines counted in
//! working days with the holiday calendar, the accountability figures, and the pages.

use crate::common;

use crate::common::{account, department, problems, user, TestApp};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use gongzhi_domain::model::moderation::{Action, ItemKind};
use gongzhi_domain::model::question::{EventKind, Filter, Show, Sort, Status};
use gongzhi_domain::model::rating::Level;
use gongzhi_domain::model::Role;
use gongzhi_domain::moderation::queue::{self, Decision};
use gongzhi_domain::questions::engage::{self, RatingInput};
use gongzhi_domain::questions::{self, answers, deadlines, figures, read, QuestionInput};
use gongzhi_domain::{with_db, Error, Problem, Services};

on_both_backends!(
    review_routing_and_bad_input,
    the_list_filters_and_orders,
    one_want_per_person_and_following,
    only_the_departments_officials_act_and_answers_keep_their_history,
    a_follow_up_reopens_the_question_and_the_asker_rates,
    deadlines_count_working_days_from_the_calendar,
    the_question_pages_work_over_http,
    comments_are_screened_counted_and_moderated,
);

fn question(title: &str, department: impl ToString) -> QuestionInput {
    QuestionInput {
        title: title.into(),
        body: format!("{title}：详细情况说明。"),
        department: department.to_string(),
        ip: String::new(),
    }
}

fn approve() -> Decision {
    Decision {
        action: Action::Approve.as_str().into(),
        ..Default::default()
    }
}

/// Publication without review, so that questions are public at once.
async fn post_moderated(svc: &Services) {
    let admin = user(svc, "管理员", Role::Admin, None).await;
    gongzhi_domain::moderation::settings::set_qa_mode(
        svc,
        Some(&admin),
        gongzhi_domain::model::moderation::Mode::Post,
    )
    .await
    .expect("qa mode");
}

async fn count_questions(svc: &Services) -> i64 {
    with_db!(&svc.db, p => sqlx::query_scalar("SELECT count(*) FROM questions").fetch_one(p).await)
        .unwrap()
}

async fn review_routing_and_bad_input(app: &TestApp) {
    let svc = app.demo().await;
    let cgj = department(&svc, "cgj").await;
    let jtj = department(&svc, "jtj").await;
    let asker = user(&svc, "提问的人", Role::Resident, None).await;
    let other = user(&svc, "路过的人", Role::Resident, None).await;
    let moderator = account(&svc, "moderator@demo.gongzhi.org").await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let before = count_questions(&svc).await;

    // Bad input names each field and saves nothing.
    let mut bad = question("", "");
    bad.body = String::new();
    let got = problems(questions::ask(&svc, Some(&asker), bad).await.unwrap_err());
    assert_eq!(
        got,
        vec![
            ("title".into(), Problem::Required),
            ("body".into(), Problem::Required),
            ("department".into(), Problem::Required),
        ]
    );
    let mut long = question(&"长".repeat(201), "999999");
    long.body = "细".repeat(2001);
    let got = problems(questions::ask(&svc, Some(&asker), long).await.unwrap_err());
    assert_eq!(
        got,
        vec![
            ("title".into(), Problem::TooLong { max: 200 }),
            ("body".into(), Problem::TooLong { max: 2000 }),
            ("department".into(), Problem::UnknownDepartment),
        ]
    );
    assert!(matches!(
        questions::ask(&svc, None, question("匿名提问", cgj)).await,
        Err(Error::Unauthenticated)
    ));
    assert_eq!(count_questions(&svc).await, before, "nothing saved");

    // Reviewed before publication (the default): held, seen by its asker and moderators only,
    // and the department's clock has not started.
    let id = questions::ask(
        &svc,
        Some(&asker),
        question("民族大道夜间施工噪音何时停止", cgj),
    )
    .await
    .unwrap();
    let (q, _) = read::get(&svc, Some(&asker), id)
        .await
        .unwrap()
        .expect("asker sees it");
    assert_eq!(
        q.visibility,
        gongzhi_domain::model::deliberation::Visibility::Held
    );
    assert!(q.due_at.is_none() && q.received_at.is_none());
    assert!(read::get(&svc, Some(&other), id).await.unwrap().is_none());
    assert!(read::get(&svc, None, id).await.unwrap().is_none());
    let public = read::list(&svc, None, &Filter::default()).await.unwrap();
    assert!(public.items.iter().all(|x| x.id != id), "held: not listed");
    let own = read::list(&svc, Some(&asker), &Filter::default())
        .await
        .unwrap();
    assert!(
        own.items.iter().any(|x| x.id == id),
        "its asker sees it listed"
    );
    // Nobody else can want or follow it.
    assert!(matches!(
        engage::want(&svc, Some(&other), id, true).await,
        Err(Error::NotFound)
    ));

    // A moderator publishes it: public now, and the clock starts.
    queue::act(&svc, Some(&moderator), ItemKind::Question, id, approve())
        .await
        .unwrap();
    let (q, _) = read::get(&svc, None, id).await.unwrap().expect("public");
    assert_eq!(q.status, Status::Open);
    let received = q.received_at.expect("clock started");
    assert!(q.due_at.expect("due") > received + Duration::days(5));
    assert_eq!(
        q.events.iter().map(|e| e.kind).collect::<Vec<_>>(),
        vec![EventKind::Asked, EventKind::Published]
    );

    // Refused with a reason: a tombstone, and the asker is told.
    let spam = questions::ask(&svc, Some(&asker), question("广告：专业办证", cgj))
        .await
        .unwrap();
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::Question,
        spam,
        Decision {
            action: "hide".into(),
            reason: "spam".into(),
            note: "与政务无关".into(),
        },
    )
    .await
    .unwrap();
    let (q, _) = read::get(&svc, Some(&other), spam)
        .await
        .unwrap()
        .expect("tombstone");
    let why = q.hidden.expect("reason shown");
    assert_eq!(why.note, "与政务无关");
    assert!(q.body.is_empty(), "the text is gone for others");
    let told: i64 = with_db!(&svc.db, p => sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'moderation' AND question_id = $2")
        .bind(asker.id).bind(spam).fetch_one(p).await).unwrap();
    assert_eq!(told, 1);

    // "Not sure which department": an admin routes it; nobody else may.
    let unsure = questions::ask(
        &svc,
        Some(&asker),
        question("小区门口公交站牌谁来管", "unsure"),
    )
    .await
    .unwrap();
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::Question,
        unsure,
        approve(),
    )
    .await
    .unwrap();
    let (q, v) = read::get(&svc, Some(&admin), unsure)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(q.status, Status::Routing);
    assert!(q.due_at.is_none(), "no department, no clock");
    assert!(v.can_route);
    let routing = read::list(
        &svc,
        None,
        &Filter {
            show: Show::Routing,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(routing.items.iter().any(|x| x.id == unsure));
    assert!(matches!(
        questions::route(&svc, Some(&asker), unsure, &jtj.to_string()).await,
        Err(Error::Forbidden)
    ));
    let e = questions::route(&svc, Some(&admin), unsure, "999999")
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("department".into(), Problem::UnknownDepartment)]
    );
    questions::route(&svc, Some(&admin), unsure, &jtj.to_string())
        .await
        .unwrap();
    let (q, _) = read::get(&svc, None, unsure).await.unwrap().unwrap();
    assert_eq!((q.status, q.department_id), (Status::Open, Some(jtj)));
    assert!(q.due_at.is_some());
    assert_eq!(q.events.last().map(|e| e.kind), Some(EventKind::Routed));
    let e = questions::route(&svc, Some(&admin), unsure, &jtj.to_string())
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("department".into(), Problem::SameDepartment)]
    );
}

async fn the_list_filters_and_orders(app: &TestApp) {
    let svc = app.demo().await;
    post_moderated(&svc).await;
    let cgj = department(&svc, "cgj").await;
    let jtj = department(&svc, "jtj").await;
    let asker = user(&svc, "列表提问人", Role::Resident, None).await;
    let official = user(&svc, "交通局答复人", Role::Official, Some(jtj)).await;
    let a = questions::ask(
        &svc,
        Some(&asker),
        question("地铁五号线延长线规划进展", jtj),
    )
    .await
    .unwrap();
    let b = questions::ask(&svc, Some(&asker), question("垃圾分类投放点夜间照明", cgj))
        .await
        .unwrap();
    let c = questions::ask(&svc, Some(&asker), question("公交52路末班车时间调整", jtj))
        .await
        .unwrap();
    answers::answer(&svc, Some(&official), c, "末班车已调整为 22:30。")
        .await
        .unwrap();
    // b has waited past its deadline.
    with_db!(&svc.db, p => sqlx::query("UPDATE questions SET received_at = $1, due_at = $2 WHERE id = $3")
        .bind(Utc::now() - Duration::days(20)).bind(Utc::now() - Duration::days(10)).bind(b)
        .execute(p).await.map(|r| r.rows_affected())).unwrap();
    for n in 0..2 {
        let fan = user(&svc, &format!("关心的人{n}"), Role::Resident, None).await;
        engage::want(&svc, Some(&fan), a, true).await.unwrap();
    }
    let ids = |f: Filter| {
        let svc = svc.clone();
        async move {
            read::list(&svc, None, &f)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|q| q.id)
                .filter(|id| [a, b, c].contains(id))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(ids(Filter::default()).await, vec![c, b, a], "newest first");
    assert_eq!(
        ids(Filter {
            sort: Sort::Wanted,
            ..Default::default()
        })
        .await[0],
        a,
        "most wanted first"
    );
    assert_eq!(
        ids(Filter {
            department: Some(jtj),
            ..Default::default()
        })
        .await,
        vec![c, a]
    );
    assert_eq!(
        ids(Filter {
            show: Show::Answered,
            ..Default::default()
        })
        .await,
        vec![c]
    );
    assert_eq!(
        ids(Filter {
            show: Show::Unanswered,
            ..Default::default()
        })
        .await,
        vec![b, a]
    );
    assert_eq!(
        ids(Filter {
            show: Show::Overdue,
            ..Default::default()
        })
        .await,
        vec![b]
    );
    assert_eq!(
        ids(Filter {
            sort: Sort::OldestUnanswered,
            ..Default::default()
        })
        .await,
        vec![b, a],
        "the longest waiting first, answered left out"
    );
    assert_eq!(
        ids(Filter {
            q: "末班车".into(),
            ..Default::default()
        })
        .await,
        vec![c]
    );
    // A search for wildcard characters means those characters.
    assert!(ids(Filter {
        q: "%".into(),
        ..Default::default()
    })
    .await
    .is_empty());
    let overdue = read::list(&svc, None, &Filter::default()).await.unwrap();
    let flags: Vec<(i64, bool)> = overdue
        .items
        .iter()
        .filter(|q| [a, b, c].contains(&q.id))
        .map(|q| (q.id, q.overdue))
        .collect();
    assert_eq!(flags, vec![(c, false), (b, true), (a, false)]);

    // Similar questions share words with a title being typed.
    let similar = read::similar(&svc, "五号线什么时候通车").await.unwrap();
    assert_eq!(similar.first().map(|s| s.id), Some(a));
    assert!(read::similar(&svc, "   ").await.unwrap().is_empty());
}

async fn one_want_per_person_and_following(app: &TestApp) {
    let svc = app.demo().await;
    post_moderated(&svc).await;
    let cgj = department(&svc, "cgj").await;
    let asker = user(&svc, "想知道提问人", Role::Resident, None).await;
    let fan = user(&svc, "也想知道", Role::Resident, None).await;
    let id = questions::ask(&svc, Some(&asker), question("共享单车乱停放谁来管", cgj))
        .await
        .unwrap();
    assert_eq!(engage::want(&svc, Some(&fan), id, true).await.unwrap(), 1);
    let e = engage::want(&svc, Some(&fan), id, true).await.unwrap_err();
    assert_eq!(problems(e), vec![("want".into(), Problem::AlreadyWanted)]);
    let e = engage::want(&svc, Some(&asker), id, true)
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("want".into(), Problem::OwnContent)]);
    assert!(matches!(
        engage::want(&svc, None, id, true).await,
        Err(Error::Unauthenticated)
    ));
    // Wanting follows the question.
    let (q, v) = read::get(&svc, Some(&fan), id).await.unwrap().unwrap();
    assert_eq!(q.want_count, 1);
    assert!(v.wanted && v.following);
    // Taken back: the count drops once, however often.
    assert_eq!(engage::want(&svc, Some(&fan), id, false).await.unwrap(), 0);
    assert_eq!(engage::want(&svc, Some(&fan), id, false).await.unwrap(), 0);
    engage::follow(&svc, Some(&fan), id, false).await.unwrap();
    engage::follow(&svc, Some(&fan), id, false).await.unwrap();
    let (_, v) = read::get(&svc, Some(&fan), id).await.unwrap().unwrap();
    assert!(!v.wanted && !v.following);
    // Many at once still count one each.
    let mut tasks = Vec::new();
    for n in 0..6 {
        let svc = svc.clone();
        let someone = user(&svc, &format!("同时{n}"), Role::Resident, None).await;
        tasks.push(tokio::spawn(async move {
            let _ = engage::want(&svc, Some(&someone), id, true).await;
            engage::want(&svc, Some(&someone), id, true).await.is_err()
        }));
    }
    for t in tasks {
        assert!(t.await.unwrap(), "the second want of each is refused");
    }
    let (q, _) = read::get(&svc, None, id).await.unwrap().unwrap();
    assert_eq!(q.want_count, 6);
}

async fn only_the_departments_officials_act_and_answers_keep_their_history(app: &TestApp) {
    let svc = app.demo().await;
    post_moderated(&svc).await;
    let cgj = department(&svc, "cgj").await;
    let ylj = department(&svc, "ylj").await;
    let asker = user(&svc, "园林提问人", Role::Resident, None).await;
    let follower = user(&svc, "关注的人", Role::Resident, None).await;
    let official = user(&svc, "城管局答复人", Role::Official, Some(cgj)).await;
    let gardens = user(&svc, "园林局答复人", Role::Official, Some(ylj)).await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let id = questions::ask(&svc, Some(&asker), question("人民公园古树枝干开裂", cgj))
        .await
        .unwrap();
    engage::follow(&svc, Some(&follower), id, true)
        .await
        .unwrap();

    // Only officials of the addressed department act on it.
    for who in [&asker, &gardens, &admin] {
        assert!(matches!(
            answers::answer(&svc, Some(who), id, "答复").await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            answers::hand_over(&svc, Some(who), id, &ylj.to_string(), "转").await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            answers::looking_into(&svc, Some(who), id, "2099-01-01", "").await,
            Err(Error::Forbidden)
        ));
    }
    assert!(matches!(
        answers::answer(&svc, None, id, "答复").await,
        Err(Error::Unauthenticated)
    ));
    let (_, v) = read::get(&svc, Some(&gardens), id).await.unwrap().unwrap();
    assert!(!v.can_answer);
    let (_, v) = read::get(&svc, Some(&official), id).await.unwrap().unwrap();
    assert!(v.can_answer);

    // "Being looked into": a date from today on.
    let e = answers::looking_into(&svc, Some(&official), id, "2020-01-01", "")
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("expected_on".into(), Problem::DateInPast)]
    );
    let e = answers::looking_into(&svc, Some(&official), id, "下周", "")
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("expected_on".into(), Problem::NotADate)]);
    let expected = common::local_day(10);
    answers::looking_into(&svc, Some(&official), id, &expected, "需要实地查看")
        .await
        .unwrap();
    let (q, _) = read::get(&svc, None, id).await.unwrap().unwrap();
    assert_eq!(q.status, Status::LookingInto);
    assert_eq!(q.expected_on.map(|d| d.to_string()), Some(expected));

    // Handed over with a public note; the new department's clock starts.
    let e = answers::hand_over(&svc, Some(&official), id, &cgj.to_string(), "自己")
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("department".into(), Problem::SameDepartment)]
    );
    let e = answers::hand_over(&svc, Some(&official), id, &ylj.to_string(), "  ")
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("note".into(), Problem::Required)]);
    answers::hand_over(
        &svc,
        Some(&official),
        id,
        &ylj.to_string(),
        "古树由园林局养护",
    )
    .await
    .unwrap();
    let (q, _) = read::get(&svc, None, id).await.unwrap().unwrap();
    assert_eq!((q.department_id, q.status), (Some(ylj), Status::Open));
    assert!(q.expected_on.is_none());
    let handed = q.events.last().expect("event");
    assert_eq!(
        (
            handed.kind,
            handed.from_department_id,
            handed.department_id,
            handed.note.as_str()
        ),
        (
            EventKind::HandedOver,
            Some(cgj),
            Some(ylj),
            "古树由园林局养护"
        )
    );
    assert!(matches!(
        answers::answer(&svc, Some(&official), id, "答复").await,
        Err(Error::Forbidden)
    ));

    // The new department answers; a second answer is refused, an edit keeps the old words.
    let e = answers::answer(&svc, Some(&gardens), id, "   ")
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("body".into(), Problem::Required)]);
    let answer = answers::answer(&svc, Some(&gardens), id, "已派人**加固**支撑。")
        .await
        .unwrap();
    let e = answers::answer(&svc, Some(&gardens), id, "再答一次")
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("body".into(), Problem::AlreadyAnswered)]);
    assert!(matches!(
        answers::edit(&svc, Some(&official), answer, "改").await,
        Err(Error::Forbidden)
    ));
    answers::edit(
        &svc,
        Some(&gardens),
        answer,
        "已派人加固支撑，并安排专家评估。",
    )
    .await
    .unwrap();
    let (q, v) = read::get(&svc, Some(&asker), id).await.unwrap().unwrap();
    assert_eq!(q.status, Status::Answered);
    let a = &q.answers[0];
    assert!(a.body_html.contains("专家评估") && a.edited_at.is_some());
    assert!(
        a.body.is_empty(),
        "the markdown source is for its department only"
    );
    assert!(a.on_time);
    assert_eq!(a.revisions.len(), 1);
    assert!(a.revisions[0].body_html.contains("<strong>加固</strong>"));
    assert_eq!(v.can_rate, Some(answer));
    let (q, _) = read::get(&svc, Some(&gardens), id).await.unwrap().unwrap();
    assert_eq!(q.answers[0].body, "已派人加固支撑，并安排专家评估。");

    // Followers heard of each step; the actor never hears of their own.
    let notes: Vec<String> = with_db!(&svc.db, p => sqlx::query_scalar(
        "SELECT detail FROM notifications WHERE user_id = $1 AND question_id = $2 ORDER BY id")
        .bind(follower.id).bind(id).fetch_all(p).await)
    .unwrap();
    assert_eq!(
        notes,
        vec!["looking_into", "handed_over", "answered", "answer_edited"]
    );
    // (The department's own inbox notices are not news of its own acts.)
    let own: i64 = with_db!(&svc.db, p => sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE user_id = $1 AND question_id = $2 AND kind = 'question'")
        .bind(gardens.id).bind(id).fetch_one(p).await)
    .unwrap();
    assert_eq!(own, 0);
    let listed = gongzhi_domain::notifications::list(&svc, &follower, 10)
        .await
        .unwrap();
    assert_eq!(listed[0].question_id, Some(id));
    assert_eq!(listed[0].title.as_deref(), Some("人民公园古树枝干开裂"));
}

async fn a_follow_up_reopens_the_question_and_the_asker_rates(app: &TestApp) {
    let svc = app.demo().await;
    post_moderated(&svc).await;
    let zjj = department(&svc, "zjj").await;
    let asker = user(&svc, "追问的人", Role::Resident, None).await;
    let other = user(&svc, "别人", Role::Resident, None).await;
    let official = user(&svc, "住建局答复人", Role::Official, Some(zjj)).await;
    let id = questions::ask(
        &svc,
        Some(&asker),
        question("老旧小区加装电梯补贴标准", zjj),
    )
    .await
    .unwrap();
    let e = answers::follow_up(&svc, Some(&asker), id, "追问")
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("follow_up".into(), Problem::NotAnswered)]
    );
    let first = answers::answer(&svc, Some(&official), id, "每台补贴 15 万元。")
        .await
        .unwrap();
    assert!(matches!(
        answers::follow_up(&svc, Some(&other), id, "我也追问").await,
        Err(Error::Forbidden)
    ));
    let e = answers::follow_up(&svc, Some(&asker), id, " ")
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("follow_up".into(), Problem::Required)]);
    let (before, _) = read::get(&svc, None, id).await.unwrap().unwrap();
    answers::follow_up(&svc, Some(&asker), id, "补贴何时发放？向哪个部门申请？")
        .await
        .unwrap();
    let (q, v) = read::get(&svc, Some(&asker), id).await.unwrap().unwrap();
    assert_eq!(q.status, Status::Open, "reopened for the department");
    // The clock restarts now (counted in whole working days, so the due date moves on
    // unless the follow-up comes the same day).
    assert!(q.received_at > before.received_at, "the clock restarts");
    assert!(q.due_at >= before.due_at);
    assert_eq!(q.events.last().map(|e| e.kind), Some(EventKind::FollowUp));
    assert_eq!(
        q.follow_up.as_deref(),
        Some("补贴何时发放？向哪个部门申请？")
    );
    assert!(!v.can_follow_up && v.can_rate.is_none());
    let e = answers::follow_up(&svc, Some(&asker), id, "再追问")
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("follow_up".into(), Problem::FollowUpUsed)]
    );
    let second = answers::answer(
        &svc,
        Some(&official),
        id,
        "审核通过后 30 日内发放，向所在城区住建局申请。",
    )
    .await
    .unwrap();
    let (q, v) = read::get(&svc, Some(&asker), id).await.unwrap().unwrap();
    assert_eq!(
        q.answers.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![first, second]
    );
    assert_eq!(v.can_rate, Some(second), "the newest answer is rated");
    assert!(!v.can_follow_up, "one follow-up only");

    // Ratings: the asker only, five levels, changeable for 7 days.
    let rating = |level: &str| RatingInput {
        level: level.into(),
        speed: "satisfied".into(),
        comment: "说得清楚".into(),
        ..Default::default()
    };
    assert!(matches!(
        engage::rate(&svc, Some(&other), second, rating("satisfied")).await,
        Err(Error::Forbidden)
    ));
    let e = engage::rate(
        &svc,
        Some(&asker),
        second,
        RatingInput {
            level: "great".into(),
            attitude: "so-so".into(),
            comment: "字".repeat(501),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        problems(e),
        vec![
            ("level".into(), Problem::InvalidChoice),
            ("attitude".into(), Problem::InvalidChoice),
            ("comment".into(), Problem::TooLong { max: 500 }),
        ]
    );
    engage::rate(&svc, Some(&asker), second, rating("dissatisfied"))
        .await
        .unwrap();
    engage::rate(&svc, Some(&asker), second, rating("basic"))
        .await
        .unwrap();
    let (q, _) = read::get(&svc, None, id).await.unwrap().unwrap();
    let r = q.answers[1].rating.clone().expect("rating shown");
    assert_eq!((r.level, r.speed), (Level::Basic, Some(Level::Satisfied)));
    assert!(r.comment.is_empty(), "the comment is the asker's to read");
    let (q, _) = read::get(&svc, Some(&asker), id).await.unwrap().unwrap();
    assert_eq!(
        q.answers[1].rating.as_ref().map(|r| r.comment.as_str()),
        Some("说得清楚")
    );
    let n: i64 = with_db!(&svc.db, p => sqlx::query_scalar(
        "SELECT count(*) FROM ratings WHERE subject_kind = 'answer' AND subject_id = $1").bind(second).fetch_one(p).await).unwrap();
    assert_eq!(n, 1, "one rating per rater, changed in place");
    with_db!(&svc.db, p => sqlx::query("UPDATE ratings SET created_at = $1 WHERE subject_id = $2")
        .bind(Utc::now() - Duration::days(8)).bind(second)
        .execute(p).await.map(|r| r.rows_affected()))
    .unwrap();
    let e = engage::rate(&svc, Some(&asker), second, rating("very_satisfied"))
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("level".into(), Problem::RatingLocked { days: 7 })]
    );

    // The department's figures: one question, first answered on time (within the first
    // hour's class), its second answer rated 3 of 5.
    let f = figures::department(&svc, zjj).await.unwrap();
    assert_eq!(
        (f.received, f.answered, f.answered_on_time, f.overdue),
        (1, 1, 1, 0)
    );
    assert_eq!(f.ratings, 1);
    assert_eq!(f.average_rating, Some(3.0));
    assert_eq!(f.satisfied_share, Some(1.0));
    assert_eq!(f.median_answer_secs, Some(3600));
    let all = figures::all(&svc).await.unwrap();
    assert_eq!(all.iter().find(|x| x.department_id == zjj), Some(&f));
}

async fn deadlines_count_working_days_from_the_calendar(app: &TestApp) {
    let svc = app.demo().await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let resident = user(&svc, "居民", Role::Resident, None).await;
    let cgj = department(&svc, "cgj").await;
    // Only admins edit the calendar; each field is checked by name.
    assert!(matches!(
        deadlines::set_day(&svc, Some(&resident), "2026-10-01", "holiday", "国庆节").await,
        Err(Error::Forbidden)
    ));
    let e = deadlines::set_day(&svc, Some(&admin), "10/01", "party", &"节".repeat(51))
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![
            ("day".into(), Problem::NotADate),
            ("kind".into(), Problem::InvalidChoice),
            ("name".into(), Problem::TooLong { max: 50 }),
        ]
    );
    for n in 1..=7 {
        deadlines::set_day(
            &svc,
            Some(&admin),
            &format!("2026-10-0{n}"),
            "holiday",
            "国庆节",
        )
        .await
        .unwrap();
    }
    deadlines::set_day(&svc, Some(&admin), "2026-10-10", "workday", "调休上班")
        .await
        .unwrap();
    // Setting a day again changes it.
    deadlines::set_day(&svc, Some(&admin), "2026-10-10", "workday", "国庆调休")
        .await
        .unwrap();
    let days = deadlines::days(&svc).await.unwrap();
    let oct10 = NaiveDate::from_ymd_opt(2026, 10, 10).unwrap();
    assert_eq!(days.iter().filter(|d| d.day == oct10).count(), 1);
    assert_eq!(
        days.iter()
            .find(|d| d.day == oct10)
            .map(|d| d.name.as_str()),
        Some("国庆调休")
    );

    // Asked on Wednesday 30 September at 15:00 in Beijing: 1–7 October are off, Saturday the
    // 10th is worked, so the 5th working day is Tuesday 13 October, due by its end.
    let asked = Utc.with_ymd_and_hms(2026, 9, 30, 7, 0, 0).unwrap();
    let due = deadlines::due(&svc, cgj, asked).await.unwrap();
    let end_of_13th = gongzhi_domain::time::day_start(
        NaiveDate::from_ymd_opt(2026, 10, 14).unwrap(),
        svc.reports.utc_offset_minutes,
    );
    assert_eq!(due, end_of_13th);
    // Without the holidays, a plain week: Wednesday + 5 working days = Wednesday 7 October.
    deadlines::remove_day(&svc, Some(&admin), "2026-10-01")
        .await
        .unwrap();
    for n in 2..=7 {
        deadlines::remove_day(&svc, Some(&admin), &format!("2026-10-0{n}"))
            .await
            .unwrap();
    }
    deadlines::remove_day(&svc, Some(&admin), "2026-10-10")
        .await
        .unwrap();
    let due = deadlines::due(&svc, cgj, asked).await.unwrap();
    assert_eq!(
        due,
        gongzhi_domain::time::day_start(
            NaiveDate::from_ymd_opt(2026, 10, 8).unwrap(),
            svc.reports.utc_offset_minutes
        )
    );

    // A department's deadline in working days: 1 to 60.
    for (bad, problem) in [
        ("0", Problem::OutOfRange { min: 1, max: 60 }),
        ("61", Problem::OutOfRange { min: 1, max: 60 }),
        ("五", Problem::NotANumber),
    ] {
        let e = deadlines::set_answer_days(&svc, Some(&admin), cgj, bad)
            .await
            .unwrap_err();
        assert_eq!(problems(e), vec![("answer_days".into(), problem)]);
    }
    assert!(matches!(
        deadlines::set_answer_days(&svc, Some(&resident), cgj, "3").await,
        Err(Error::Forbidden)
    ));
    deadlines::set_answer_days(&svc, Some(&admin), cgj, "3")
        .await
        .unwrap();
    assert_eq!(deadlines::answer_days(&svc, cgj).await.unwrap(), 3);
    let due = deadlines::due(&svc, cgj, asked).await.unwrap();
    assert_eq!(
        due,
        gongzhi_domain::time::day_start(
            NaiveDate::from_ymd_opt(2026, 10, 6).unwrap(),
            svc.reports.utc_offset_minutes
        ),
        "Wednesday + 3 working days = Monday"
    );
}

async fn the_question_pages_work_over_http(app: &TestApp) {
    let svc = app.demo().await;
    let cgj = department(&svc, "cgj").await;
    let resident = app
        .resident("asker@example.org", "网上提问人", "asker-pass-2026")
        .await;
    // Bad input over HTTP: 422 naming the field.
    let (status, body, _) = app
        .call(
            &resident,
            "ask",
            &[("title", ""), ("body", "内容"), ("department", "unsure")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("title"), "{body}");
    let dept = cgj.to_string();
    let (status, body, _) = app
        .call(
            &resident,
            "ask",
            &[
                ("title", "青秀山周边停车位太少"),
                ("body", "节假日停车要排队一小时。"),
                ("department", dept.as_str()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let id = body.as_i64().expect("id");
    let html = app
        .page(&resident, &format!("/questions/{id}"), "zh-CN")
        .await;
    assert!(
        html.contains("青秀山周边停车位太少") && html.contains("等待审核"),
        "{}",
        html.chars().take(400).collect::<String>()
    );
    // Held: nobody else sees it.
    let anonymous = common::new_client();
    let html = app.page(&anonymous, "/ask", "zh-CN").await;
    assert!(!html.contains("青秀山周边停车位太少"));

    // A moderator publishes it over HTTP; an official of the department answers.
    let moderator = app
        .logged_in("moderator@demo.gongzhi.org", "moderator-demo-2026")
        .await;
    let qid = id.to_string();
    let (status, body, _) = app
        .call(
            &moderator,
            "moderate",
            &[
                ("kind", "question"),
                ("id", qid.as_str()),
                ("action", "approve"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let html = app.page(&anonymous, "/ask", "en").await;
    assert!(
        html.contains("青秀山周边停车位太少") && html.contains("Waiting for an answer"),
        "{}",
        html.chars().take(400).collect::<String>()
    );
    let official = app
        .logged_in("official@demo.gongzhi.org", "official-demo-2026")
        .await;
    let html = app
        .page(&official, &format!("/questions/{id}"), "zh-CN")
        .await;
    assert!(
        html.contains("答复这个提问"),
        "the official is offered the answer form"
    );
    let (status, body, _) = app
        .call(
            &resident,
            "answer_question",
            &[("id", qid.as_str()), ("answer", "我来答")],
        )
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, body, _) = app
        .call(
            &official,
            "answer_question",
            &[
                ("id", qid.as_str()),
                ("answer", "已协调增设临时停车场 **300** 个车位。"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let html = app
        .page(&anonymous, &format!("/questions/{id}"), "zh-CN")
        .await;
    assert!(
        html.contains("<strong>300</strong>") && html.contains("按期答复"),
        "{}",
        html.chars().take(400).collect::<String>()
    );
    // The asker rates it over HTTP; a bad level is refused by name.
    let answer_id: i64 =
        with_db!(&svc.db, p => sqlx::query_scalar("SELECT id FROM answers WHERE question_id = $1")
        .bind(id).fetch_one(p).await)
        .unwrap();
    let aid = answer_id.to_string();
    let (status, body, _) = app
        .call(
            &resident,
            "rate_answer",
            &[("id", aid.as_str()), ("level", "superb")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("level"), "{body}");
    let (status, body, _) = app
        .call(
            &resident,
            "rate_answer",
            &[
                ("id", aid.as_str()),
                ("level", "very_satisfied"),
                ("rating_comment", "很快"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // The comparison page and the department's page show the figures.
    let html = app.page(&anonymous, "/departments", "en").await;
    assert!(
        html.contains("How departments answer") && html.contains("Nanning Urban Management Bureau"),
        "{}",
        html.chars().take(400).collect::<String>()
    );
    let html = app.page(&anonymous, "/departments/cgj", "zh-CN").await;
    assert!(
        html.contains("南宁市城市管理局")
            && html.contains("青秀山周边停车位太少")
            && html.contains("答复率"),
        "{}",
        html.chars().take(400).collect::<String>()
    );
    let html = app
        .page(&anonymous, "/ask/new?title=青秀山停车", "zh-CN")
        .await;
    assert!(html.contains("登录后才能提问"));
    let html = app
        .page(&resident, "/ask/new?title=青秀山停车", "zh-CN")
        .await;
    assert!(
        html.contains("已有的类似提问") && html.contains(&format!("/questions/{id}")),
        "{}",
        html.chars().take(400).collect::<String>()
    );
}

async fn comments_are_screened_counted_and_moderated(app: &TestApp) {
    use gongzhi_domain::questions::comments;
    let svc = app.demo().await;
    post_moderated(&svc).await;
    let cgj = department(&svc, "cgj").await;
    let asker = user(&svc, "评论区提问人", Role::Resident, None).await;
    let neighbour = user(&svc, "评论的邻居", Role::Resident, None).await;
    let moderator = account(&svc, "moderator@demo.gongzhi.org").await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let id = questions::ask(&svc, Some(&asker), question("菜市场周边占道经营", cgj))
        .await
        .unwrap();
    // Bad input names the field; nobody comments anonymously.
    let e = comments::post(&svc, Some(&neighbour), id, "  ", "")
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("comment".into(), Problem::Required)]);
    let e = comments::post(&svc, Some(&neighbour), id, &"长".repeat(1001), "")
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("comment".into(), Problem::TooLong { max: 1000 })]
    );
    assert!(matches!(
        comments::post(&svc, None, id, "匿名", "").await,
        Err(Error::Unauthenticated)
    ));
    let c = comments::post(
        &svc,
        Some(&neighbour),
        id,
        "早上七点最堵，希望尽快处理。",
        "",
    )
    .await
    .unwrap();
    let (q, _) = read::get(&svc, None, id).await.unwrap().unwrap();
    assert_eq!(q.comment_count, 1);
    // The asker follows the question: they hear of the comment; the commenter does not.
    let told: Vec<String> = with_db!(&svc.db, p => sqlx::query_scalar(
        "SELECT detail FROM notifications WHERE user_id = $1 AND question_id = $2")
        .bind(asker.id).bind(id).fetch_all(p).await)
    .unwrap();
    assert_eq!(told, vec!["comment"]);

    // A word on the admins' list holds a comment for review: only its author sees it.
    gongzhi_domain::moderation::settings::add_word(&svc, Some(&admin), "代开发票")
        .await
        .unwrap();
    let held = comments::post(&svc, Some(&neighbour), id, "代开发票，联系我", "")
        .await
        .unwrap();
    let public = comments::list(&svc, None, id).await.unwrap();
    assert_eq!(public.iter().map(|c| c.id).collect::<Vec<_>>(), vec![c]);
    let own = comments::list(&svc, Some(&neighbour), id).await.unwrap();
    assert_eq!(own.len(), 2);
    let (q, _) = read::get(&svc, None, id).await.unwrap().unwrap();
    assert_eq!(q.comment_count, 1, "held comments are not counted");

    // Hidden with a reason: a tombstone for others, the count drops, the author may appeal.
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::QuestionComment,
        held,
        Decision {
            action: "hide".into(),
            reason: "spam".into(),
            note: String::new(),
        },
    )
    .await
    .unwrap();
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::QuestionComment,
        c,
        Decision {
            action: "hide".into(),
            reason: "off_topic".into(),
            note: "与提问无关".into(),
        },
    )
    .await
    .unwrap();
    let public = comments::list(&svc, None, id).await.unwrap();
    assert!(public
        .iter()
        .all(|x| x.body.is_empty() && x.hidden.is_some()));
    let own = comments::list(&svc, Some(&neighbour), id).await.unwrap();
    assert!(own.iter().all(|x| x.can_appeal && !x.body.is_empty()));
    let (q, _) = read::get(&svc, None, id).await.unwrap().unwrap();
    assert_eq!(q.comment_count, 0);
    // Restored: counted again; the public log links to it on the question's page.
    queue::act(
        &svc,
        Some(&admin),
        ItemKind::QuestionComment,
        c,
        Decision {
            action: "restore".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (q, _) = read::get(&svc, None, id).await.unwrap().unwrap();
    assert_eq!(q.comment_count, 1);
    let log = gongzhi_domain::moderation::log::page(&svc, None)
        .await
        .unwrap();
    let link = format!("/questions/{id}#qc-{c}");
    assert!(log
        .entries
        .iter()
        .any(|e| e.link.as_deref() == Some(link.as_str())));
    // Residents flag comments like anything else.
    let flagger = user(&svc, "举报人", Role::Resident, None).await;
    gongzhi_domain::moderation::flags::flag(
        &svc,
        Some(&flagger),
        ItemKind::QuestionComment,
        c,
        "abuse",
        "",
    )
    .await
    .unwrap();
    let mine = comments::list(&svc, Some(&flagger), id).await.unwrap();
    assert!(mine.iter().find(|x| x.id == c).is_some_and(|x| x.flagged));
}
