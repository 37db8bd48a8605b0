//! Live Q&A sessions on both backends: scheduling rules, the time window (nothing before it,
//! a read-only archive after), one vote per person, only the department's officials mark
//! and answer, and the event stream over HTTP: live delivery, and catch-up after a dropped
//! connection from the last event seen (on PostgreSQL through LISTEN/NOTIFY); and admins
//! changing or calling off a session until it starts.

use crate::common;

use std::time::Duration as StdDuration;

use crate::common::{account, department, problems, user, TestApp};
use chrono::{Duration, Utc};
use gongzhi_domain::live::{self, SessionInput};
use gongzhi_domain::model::live::{LiveEvent, QuestionStatus, State};
use gongzhi_domain::model::Role;
use gongzhi_domain::{with_db, Error, Problem, Services};

on_both_backends!(
    scheduling_rules_and_the_window,
    votes_answers_and_permissions,
    the_event_stream_delivers_live_and_catches_up,
    moderators_publish_held_and_remove_hidden_live_questions,
    admins_change_or_call_off_a_session_until_it_starts,
);

/// The city's local time `minutes` from now, as the form sends it.
fn local(minutes: i64) -> String {
    (Utc::now() + Duration::hours(8) + Duration::minutes(minutes))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

fn input(title: &str, department: i64, starts: i64, ends: i64) -> SessionInput {
    SessionInput {
        title: title.into(),
        description: "市民在线提问，部门现场答复。".into(),
        department: department.to_string(),
        starts: local(starts),
        ends: local(ends),
    }
}

async fn scheduling_rules_and_the_window(app: &TestApp) {
    let svc = app.demo().await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let resident = user(&svc, "直播居民", Role::Resident, None).await;
    let cgj = department(&svc, "cgj").await;
    assert!(matches!(
        live::schedule(&svc, Some(&resident), input("直播", cgj, -5, 60)).await,
        Err(Error::Forbidden)
    ));
    let e = live::schedule(
        &svc,
        Some(&admin),
        SessionInput {
            title: String::new(),
            description: "说".repeat(2001),
            department: "999999".into(),
            starts: "明天上午".into(),
            ends: String::new(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        problems(e),
        vec![
            ("title".into(), Problem::Required),
            ("description".into(), Problem::TooLong { max: 2000 }),
            ("department".into(), Problem::UnknownDepartment),
            ("starts".into(), Problem::NotADateTime),
            ("ends".into(), Problem::Required),
        ]
    );
    let e = live::schedule(&svc, Some(&admin), input("倒序", cgj, 60, 30))
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("ends".into(), Problem::DateOrder)]);
    let e = live::schedule(&svc, Some(&admin), input("太长", cgj, 0, 13 * 60))
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("ends".into(), Problem::OutOfRange { min: 0, max: 12 })]
    );
    let e = live::schedule(&svc, Some(&admin), input("已过", cgj, -120, -60))
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("ends".into(), Problem::DateInPast)]);

    // Before the window: nothing can be asked.
    let later = live::schedule(&svc, Some(&admin), input("下周直播", cgj, 60 * 24, 60 * 25))
        .await
        .unwrap();
    assert_eq!(
        live::session(&svc, later).await.unwrap().unwrap().state,
        State::Upcoming
    );
    let e = live::submit(&svc, Some(&resident), later, "能提前问吗？")
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("body".into(), Problem::NotStarted)]);

    // During it: questions; after it: a read-only archive.
    let now = live::schedule(&svc, Some(&admin), input("城管直播", cgj, -5, 60))
        .await
        .unwrap();
    let q = live::submit(&svc, Some(&resident), now, "夜市什么时候整治？")
        .await
        .unwrap();
    with_db!(&svc.db, p => sqlx::query("UPDATE live_sessions SET starts_at = $1, ends_at = $2 WHERE id = $3")
        .bind(Utc::now() - Duration::hours(2)).bind(Utc::now() - Duration::hours(1)).bind(now)
        .execute(p).await.map(|r| r.rows_affected()))
    .unwrap();
    let page = live::page(&svc, Some(&resident), now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page.session.state, State::Archived);
    assert_eq!(page.questions.len(), 1, "the archive keeps its questions");
    let e = live::submit(&svc, Some(&resident), now, "还能问吗？")
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("body".into(), Problem::SessionOver)]);
    let e = live::vote(&svc, Some(&resident), q, true)
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("vote".into(), Problem::SessionOver)]);
    let listed = live::list(&svc).await.unwrap();
    let states: Vec<(i64, State)> = listed
        .iter()
        .filter(|s| [now, later].contains(&s.id))
        .map(|s| (s.id, s.state))
        .collect();
    assert_eq!(
        states,
        vec![(later, State::Upcoming), (now, State::Archived)],
        "coming first, then the archive"
    );
}

async fn votes_answers_and_permissions(app: &TestApp) {
    let svc = app.demo().await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let cgj = department(&svc, "cgj").await;
    let jtj = department(&svc, "jtj").await;
    let a = user(&svc, "居民甲", Role::Resident, None).await;
    let b = user(&svc, "居民乙", Role::Resident, None).await;
    let official = user(&svc, "城管局局长", Role::Official, Some(cgj)).await;
    let other = user(&svc, "交通局官员", Role::Official, Some(jtj)).await;
    let s = live::schedule(&svc, Some(&admin), input("城管局长在线", cgj, -5, 60))
        .await
        .unwrap();
    let e = live::submit(&svc, Some(&a), s, "   ").await.unwrap_err();
    assert_eq!(problems(e), vec![("body".into(), Problem::Required)]);
    let e = live::submit(&svc, Some(&a), s, &"问".repeat(501))
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("body".into(), Problem::TooLong { max: 500 })]
    );
    assert!(matches!(
        live::submit(&svc, None, s, "匿名").await,
        Err(Error::Unauthenticated)
    ));
    let first = live::submit(&svc, Some(&a), s, "第一个问题").await.unwrap();
    let second = live::submit(&svc, Some(&b), s, "第二个问题").await.unwrap();

    // One vote per person; the ranking follows the votes, then the earliest.
    assert_eq!(live::vote(&svc, Some(&a), second, true).await.unwrap(), 1);
    let e = live::vote(&svc, Some(&a), second, true).await.unwrap_err();
    assert_eq!(
        problems(e),
        vec![("vote".into(), Problem::AlreadySupported)]
    );
    let page = live::page(&svc, Some(&a), s).await.unwrap().unwrap();
    assert_eq!(
        page.questions.iter().map(|q| q.id).collect::<Vec<_>>(),
        vec![second, first]
    );
    assert_eq!(page.voted, vec![second]);
    assert_eq!(live::vote(&svc, Some(&a), second, false).await.unwrap(), 0);
    let page = live::page(&svc, None, s).await.unwrap().unwrap();
    assert_eq!(
        page.questions.iter().map(|q| q.id).collect::<Vec<_>>(),
        vec![first, second]
    );
    assert!(!page.can_answer);

    // Only the department's officials mark and answer.
    for who in [&a, &other, &admin] {
        assert!(matches!(
            live::answering(&svc, Some(who), first).await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            live::answer(&svc, Some(who), first, "答").await,
            Err(Error::Forbidden)
        ));
    }
    assert!(
        live::page(&svc, Some(&official), s)
            .await
            .unwrap()
            .unwrap()
            .can_answer
    );
    live::answering(&svc, Some(&official), first).await.unwrap();
    live::answering(&svc, Some(&official), second)
        .await
        .unwrap();
    let page = live::page(&svc, None, s).await.unwrap().unwrap();
    let status = |id: i64| page.questions.iter().find(|q| q.id == id).unwrap().status;
    assert_eq!(
        (status(first), status(second)),
        (QuestionStatus::Waiting, QuestionStatus::Answering),
        "one question is answered at a time"
    );
    let e = live::answer(&svc, Some(&official), second, " ")
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("answer".into(), Problem::Required)]);
    live::answer(&svc, Some(&official), second, "本月底前完成**整治**。")
        .await
        .unwrap();
    let e = live::answer(&svc, Some(&official), second, "再答")
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("answer".into(), Problem::AlreadyAnswered)]
    );
    let page = live::page(&svc, None, s).await.unwrap().unwrap();
    let q = page.questions.iter().find(|q| q.id == second).unwrap();
    assert_eq!(q.status, QuestionStatus::Answered);
    assert!(q.answer_html.contains("<strong>整治</strong>"));

    // Every change is an event, in order, carrying the question as it became.
    let events = live::events_since(&svc, s, 0, 100).await.unwrap();
    let kinds: Vec<(String, i64)> = events
        .iter()
        .map(|w| {
            let e: LiveEvent = serde_json::from_str(&w.json).unwrap();
            (e.kind, e.question.id)
        })
        .collect();
    let expect: Vec<(String, i64)> = [
        ("question", first),
        ("question", second),
        ("votes", second),
        ("votes", second),
        ("status", first),
        ("status", first),
        ("status", second),
        ("answer", second),
    ]
    .iter()
    .map(|(k, id)| (k.to_string(), *id))
    .collect();
    assert_eq!(kinds, expect);
    assert!(events.windows(2).all(|w| w[0].id < w[1].id));
    let after = events[3].id;
    assert_eq!(
        live::events_since(&svc, s, after, 100).await.unwrap().len(),
        4
    );
}

/// Reads server-sent events from a streaming response until `want` says stop (or 10 s).
async fn read_events(
    res: &mut reqwest::Response,
    buf: &mut String,
    mut want: impl FnMut(&[(i64, LiveEvent)]) -> bool,
) -> Vec<(i64, LiveEvent)> {
    let mut got = Vec::new();
    let deadline = tokio::time::Instant::now() + StdDuration::from_secs(10);
    loop {
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let mut id = None;
            let mut data = String::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id:") {
                    id = v.trim().parse::<i64>().ok();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                }
            }
            if let (Some(id), false) = (id, data.is_empty()) {
                got.push((id, serde_json::from_str(&data).expect("event json")));
            }
        }
        if want(&got) {
            return got;
        }
        let chunk = tokio::time::timeout_at(deadline, res.chunk())
            .await
            .expect("events in time")
            .expect("stream")
            .expect("stream open");
        buf.push_str(&String::from_utf8_lossy(&chunk));
    }
}

async fn the_event_stream_delivers_live_and_catches_up(app: &TestApp) {
    let svc = app.demo().await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let cgj = department(&svc, "cgj").await;
    let s = live::schedule(&svc, Some(&admin), input("直播事件流", cgj, -5, 60))
        .await
        .unwrap();
    let sid = s.to_string();
    let a = app
        .resident("live-a@example.org", "甲", "live-a-pass-2026")
        .await;
    let b = app
        .resident("live-b@example.org", "乙", "live-b-pass-2026")
        .await;
    let (status, body, _) = app
        .call(
            &a,
            "live_submit",
            &[("session", sid.as_str()), ("body", "路灯坏了谁来修？")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let q = body.as_i64().expect("id").to_string();
    let page = live::page(&svc, None, s).await.unwrap().unwrap();

    // B's browser follows from where its page was.
    let watcher = common::new_client();
    let mut res = watcher
        .get(app.url(&format!("/live/{s}/events?after={}", page.last_event)))
        .timeout(StdDuration::from_secs(60))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream")
    );
    let mut buf = String::new();
    // A upvotes over HTTP: B hears of it.
    let (status, body, _) = app
        .call(&b, "live_vote", &[("id", q.as_str()), ("on", "true")])
        .await;
    assert_eq!(status, 200, "{body}");
    let got = read_events(&mut res, &mut buf, |g| !g.is_empty()).await;
    assert_eq!(got[0].1.kind, "votes");
    assert_eq!(got[0].1.question.votes, 1);
    let seen = got[0].0;
    drop(res);

    // Meanwhile (B is offline) a vote is taken back and the question asked again.
    let (status, _, _) = app
        .call(&b, "live_vote", &[("id", q.as_str()), ("on", "false")])
        .await;
    assert_eq!(status, 200);
    let (status, _, _) = app
        .call(
            &a,
            "live_submit",
            &[("session", sid.as_str()), ("body", "第二个问题")],
        )
        .await;
    assert_eq!(status, 200);
    // B reconnects with the last event it saw and gets exactly what it missed, in order.
    let mut res = watcher
        .get(app.url(&format!("/live/{s}/events")))
        .header("last-event-id", seen.to_string())
        .timeout(StdDuration::from_secs(60))
        .send()
        .await
        .unwrap();
    let mut buf = String::new();
    let got = read_events(&mut res, &mut buf, |g| g.len() >= 2).await;
    let kinds: Vec<(&str, i64)> = got
        .iter()
        .map(|(_, e)| (e.kind.as_str(), e.question.votes))
        .collect();
    assert_eq!(kinds, vec![("votes", 0), ("question", 0)]);
    assert!(got.iter().all(|(id, _)| *id > seen));
    // And then live again.
    let (status, _, _) = app
        .call(&b, "live_vote", &[("id", q.as_str()), ("on", "true")])
        .await;
    assert_eq!(status, 200);
    let got = read_events(&mut res, &mut buf, |g| !g.is_empty()).await;
    assert_eq!(
        (got[0].1.kind.as_str(), got[0].1.question.votes),
        ("votes", 1)
    );

    // An unknown session has no stream; a resident may not vote twice over HTTP either.
    let res = watcher
        .get(app.url("/live/999999/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let (status, body, _) = app
        .call(&b, "live_vote", &[("id", q.as_str()), ("on", "true")])
        .await;
    assert_eq!(status, 422, "{body}");
    // The page renders the ranking for anyone.
    let html = app.page(&watcher, &format!("/live/{s}"), "zh-CN").await;
    assert!(
        html.contains("路灯坏了谁来修？") && html.contains("直播中"),
        "{}",
        html.chars().take(400).collect::<String>()
    );
}

async fn moderators_publish_held_and_remove_hidden_live_questions(app: &TestApp) {
    use gongzhi_domain::model::moderation::ItemKind;
    use gongzhi_domain::moderation::queue::{self, Decision};
    let svc = app.demo().await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let moderator = account(&svc, "moderator@demo.gongzhi.org").await;
    let cgj = department(&svc, "cgj").await;
    let author = user(&svc, "直播发帖人", Role::Resident, None).await;
    let s = live::schedule(&svc, Some(&admin), input("审核直播", cgj, -5, 60))
        .await
        .unwrap();
    gongzhi_domain::moderation::settings::add_word(&svc, Some(&admin), "办证")
        .await
        .unwrap();
    let held = live::submit(&svc, Some(&author), s, "专业办证，加微信")
        .await
        .unwrap();
    let fine = live::submit(&svc, Some(&author), s, "夜市噪音怎么管？")
        .await
        .unwrap();
    // Held: no event, not in the public ranking; its author sees it waiting.
    let kinds = |svc: &Services| {
        let svc = svc.clone();
        async move {
            live::events_since(&svc, s, 0, 100)
                .await
                .unwrap()
                .iter()
                .map(|w| {
                    let e: LiveEvent = serde_json::from_str(&w.json).unwrap();
                    (e.kind, e.question.id)
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(kinds(&svc).await, vec![("question".to_string(), fine)]);
    let public = live::page(&svc, None, s).await.unwrap().unwrap();
    assert_eq!(
        public.questions.iter().map(|q| q.id).collect::<Vec<_>>(),
        vec![fine]
    );
    let own = live::page(&svc, Some(&author), s).await.unwrap().unwrap();
    assert!(own.questions.iter().any(|q| q.id == held && q.held));
    assert!(matches!(
        live::vote(&svc, Some(&admin), held, true).await,
        Err(Error::NotFound)
    ));
    // Approved: it joins every browser's ranking; hidden later: it leaves it.
    let act = |action: &str, reason: &str| Decision {
        action: action.into(),
        reason: reason.into(),
        note: String::new(),
    };
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::LiveQuestion,
        held,
        act("approve", ""),
    )
    .await
    .unwrap();
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::LiveQuestion,
        fine,
        act("hide", "off_topic"),
    )
    .await
    .unwrap();
    assert_eq!(
        kinds(&svc).await,
        vec![
            ("question".to_string(), fine),
            ("question".to_string(), held),
            ("hidden".to_string(), fine),
        ]
    );
    let public = live::page(&svc, None, s).await.unwrap().unwrap();
    assert_eq!(
        public.questions.iter().map(|q| q.id).collect::<Vec<_>>(),
        vec![held]
    );
    let log = gongzhi_domain::moderation::log::page(&svc, None)
        .await
        .unwrap();
    let link = format!("/live/{s}#lq-{fine}");
    assert!(log
        .entries
        .iter()
        .any(|e| e.link.as_deref() == Some(link.as_str())));
}

async fn admins_change_or_call_off_a_session_until_it_starts(app: &TestApp) {
    let svc = app.demo().await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let resident = user(&svc, "改期居民", Role::Resident, None).await;
    let cgj = department(&svc, "cgj").await;
    let jtj = department(&svc, "jtj").await;
    let id = live::schedule(&svc, Some(&admin), input("周五直播", cgj, 60 * 24, 60 * 25))
        .await
        .unwrap();

    // Only admins change a session, with the same checks as scheduling.
    assert!(matches!(
        live::update(&svc, Some(&resident), id, input("改", cgj, 60, 120)).await,
        Err(Error::Forbidden)
    ));
    let e = live::update(&svc, Some(&admin), id, input("", cgj, 120, 60))
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![
            ("title".into(), Problem::Required),
            ("ends".into(), Problem::DateOrder)
        ]
    );
    let unchanged = live::session(&svc, id).await.unwrap().unwrap();
    assert_eq!(
        unchanged.title, "周五直播",
        "a refused change saves nothing"
    );
    live::update(
        &svc,
        Some(&admin),
        id,
        input("周六交通直播", jtj, 60 * 48, 60 * 49),
    )
    .await
    .unwrap();
    let changed = live::session(&svc, id).await.unwrap().unwrap();
    assert_eq!(
        (changed.title.as_str(), changed.department_id),
        ("周六交通直播", jtj)
    );
    assert!(changed.starts_at > unchanged.starts_at + Duration::hours(23));

    // Calling off needs a public reason; then the session says so and takes nothing.
    assert!(matches!(
        live::cancel(&svc, Some(&resident), id, "不办了").await,
        Err(Error::Forbidden)
    ));
    let e = live::cancel(&svc, Some(&admin), id, "  ")
        .await
        .unwrap_err();
    assert_eq!(problems(e), vec![("cancel_note".into(), Problem::Required)]);
    live::cancel(&svc, Some(&admin), id, "部门负责人临时出差，改期另行通知。")
        .await
        .unwrap();
    let off = live::session(&svc, id).await.unwrap().unwrap();
    assert_eq!(off.state, State::Cancelled);
    assert_eq!(off.cancel_note, "部门负责人临时出差，改期另行通知。");
    assert!(off.cancelled_at.is_some());
    // Even once its window comes, a called-off session takes no questions.
    with_db!(&svc.db, p => sqlx::query("UPDATE live_sessions SET starts_at = $1, ends_at = $2 WHERE id = $3")
        .bind(Utc::now() - Duration::minutes(5)).bind(Utc::now() + Duration::hours(1)).bind(id)
        .execute(p).await.map(|r| r.rows_affected()))
    .unwrap();
    let e = live::submit(&svc, Some(&resident), id, "还办吗？")
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("body".into(), Problem::SessionCancelled)]
    );
    let e = live::update(&svc, Some(&admin), id, input("再改", cgj, 60, 120))
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("starts".into(), Problem::SessionCancelled)]
    );

    // A session that has started can no longer be changed or called off.
    let started = live::schedule(&svc, Some(&admin), input("进行中", cgj, -5, 60))
        .await
        .unwrap();
    let e = live::update(&svc, Some(&admin), started, input("改名", cgj, 60, 120))
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("starts".into(), Problem::SessionStarted)]
    );
    let e = live::cancel(&svc, Some(&admin), started, "取消")
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("cancel_note".into(), Problem::SessionStarted)]
    );

    // Over HTTP: the page says it was called off, and the admin's forms are gone.
    let html = app
        .page(&common::new_client(), &format!("/live/{id}"), "zh-CN")
        .await;
    assert!(html.contains("这场直播已取消") && html.contains("改期另行通知"));
    let admin_client = app.admin().await;
    let html = app
        .page(&admin_client, &format!("/live/{started}"), "zh-CN")
        .await;
    assert!(!html.contains("修改直播安排"), "no changes once started");
    let soon = live::schedule(&svc, Some(&admin), input("下月直播", cgj, 60 * 24, 60 * 25))
        .await
        .unwrap();
    let html = app
        .page(&admin_client, &format!("/live/{soon}"), "zh-CN")
        .await;
    assert!(html.contains("修改直播安排") && html.contains("取消直播"));
    assert!(
        html.contains("value=\"下月直播\""),
        "the form shows the session as it is"
    );
}
