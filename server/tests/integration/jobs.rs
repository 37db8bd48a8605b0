//! The job queue and the forwarding of reports, on both backends: reports are passed on
//! by the runner inside the server, failures wait out an exponential backoff with jitter,
//! an unreachable case system is waited for (never dead-lettered), a refusal and a mail's
//! last failure are dead-lettered for an admin to retry, a runner that died loses its
//! claim, and two runners never hold the same job. A reporter's follow-up waits for its
//! report to reach the case system, is passed on once, and shows when the case system
//! refuses it.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::common::{Backend, TestApp};
use gongzhi_domain::cases::{open311::Target, CaseSystem};
use gongzhi_domain::jobs::{self, Failed, JobSettings, Task};
use gongzhi_domain::reports::{NewReport, Reporter};
use gongzhi_domain::with_db;

on_both_backends_with!(
    the_runner_in_the_server_passes_new_reports_on,
    failures_back_off_and_only_refusals_are_dead_lettered_for_an_admin,
    a_runner_that_dies_loses_its_claim_and_the_job_runs_once_more,
    two_runners_never_claim_the_same_job,
    reporters_updates_are_passed_on_once_or_marked_refused,
    the_built_in_case_system_takes_a_batch_of_reports_together,
);

static TOKENS: AtomicU32 = AtomicU32::new(0);

fn token() -> String {
    format!(
        "jobs-test-token-{:08}-{:020}",
        std::process::id(),
        TOKENS.fetch_add(1, Ordering::SeqCst)
    )
}

async fn catalog(app: &TestApp) {
    gongzhi_domain::seed::seed_catalog(&app.services())
        .await
        .expect("catalogue");
}

/// Files a report through the domain service, as the form does.
async fn file_report(svc: &gongzhi_domain::Services) -> i64 {
    gongzhi_domain::reports::submit(
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
            description: "桥墩上的涂鸦".into(),
            submit_token: token(),
            ..Default::default()
        },
    )
    .await
    .expect("report")
    .id
}

async fn forward_state(app: &TestApp, id: i64) -> (String, String, i64) {
    with_db!(&app.db, p => sqlx::query_as(
        "SELECT forward_state, forward_error, forward_attempts FROM reports WHERE id = $1",
    ).bind(id).fetch_one(p).await)
    .expect("report")
}

async fn job_state(app: &TestApp, key: &str) -> (String, i64, String) {
    with_db!(&app.db, p => sqlx::query_as(
        "SELECT state, attempts, last_error FROM jobs WHERE dedupe_key = $1",
    ).bind(key).fetch_one(p).await)
    .expect("job")
}

/// A case system that cannot be reached (nothing listens on port 9 here).
fn unreachable_case_system() -> CaseSystem {
    CaseSystem::Open311(
        Target::new(
            "http://127.0.0.1:9/open311/v2",
            "key",
            "",
            BTreeMap::new(),
            Duration::from_secs(2),
        )
        .expect("target"),
    )
}

async fn the_runner_in_the_server_passes_new_reports_on(backend: Backend) {
    let app = TestApp::start(backend).await;
    common::bounded(async {
        catalog(&app).await;
        let svc = app.services();
        let id = file_report(&svc).await;
        // The server's own runner picks the job up (the domain call above woke nobody in
        // the server, so this also proves the poll finds jobs enqueued elsewhere).
        let mut state = forward_state(&app, id).await;
        for _ in 0..100 {
            if state.0 == "sent" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            state = forward_state(&app, id).await;
        }
        assert_eq!(state, ("sent".into(), String::new(), 1), "{backend:?}");
        // The job is marked done just after the report is marked sent (two writes).
        let key = format!("forward_report:{id}");
        let mut job = job_state(&app, &key).await;
        for _ in 0..100 {
            if job.0 != "running" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
            job = job_state(&app, &key).await;
        }
        assert_eq!((job.0.as_str(), job.1), ("done", 1));
    })
    .await;
    app.stop().await;
}

async fn failures_back_off_and_only_refusals_are_dead_lettered_for_an_admin(backend: Backend) {
    let app = TestApp::start_with(backend, |c| c.job_runner = false).await;
    common::bounded(async {
        catalog(&app).await;
        let mut down = app.services();
        down.cases = unreachable_case_system();
        down.jobs = JobSettings {
            max_attempts: 3,
            backoff_base: chrono::Duration::milliseconds(400),
            ..JobSettings::default()
        };
        let id = file_report(&down).await;
        let key = format!("forward_report:{id}");
        let run_at = || async {
            let t: chrono::DateTime<chrono::Utc> = with_db!(&app.db, p => sqlx::query_scalar(
                "SELECT run_at FROM jobs WHERE dedupe_key = $1").bind(&key).fetch_one(p).await)
            .unwrap();
            t
        };

        // First try: refused connection, retried after 200..400 ms.
        let before = chrono::Utc::now();
        assert_eq!(jobs::run_due(&down, "runner-a", 10).await.unwrap(), 1);
        let wait = (run_at().await - before).num_milliseconds();
        assert!((150..=600).contains(&wait), "first backoff {wait} ms");
        let (state, attempts, error) = job_state(&app, &key).await;
        assert_eq!((state.as_str(), attempts), ("queued", 1));
        assert!(error.contains("cannot connect"), "{error}");
        // The report says it is waiting, and why.
        let (fs, ferr, fattempts) = forward_state(&app, id).await;
        assert_eq!((fs.as_str(), fattempts), ("waiting", 1));
        assert!(ferr.contains("cannot connect"), "{ferr}");
        let page = app
            .page(&common::new_client(), &format!("/reports/{id}"), "zh-CN")
            .await;
        assert!(
            page.contains("等待转交") && page.contains("cannot connect"),
            "the public page shows the wait"
        );

        // Not due yet: nothing is claimed.
        assert_eq!(jobs::run_due(&down, "runner-a", 10).await.unwrap(), 0);
        // Second try after the wait; the next wait doubles (400..800 ms).
        tokio::time::sleep(Duration::from_millis(450)).await;
        let before = chrono::Utc::now();
        assert_eq!(jobs::run_due(&down, "runner-a", 10).await.unwrap(), 1);
        let wait = (run_at().await - before).num_milliseconds();
        assert!((350..=1000).contains(&wait), "second backoff {wait} ms");
        // Past its tries, a report still waits for the case system to come back: it is never
        // dead-lettered for being unreachable.
        for _ in 0..2 {
            tokio::time::sleep(Duration::from_millis(1700)).await;
            assert_eq!(jobs::run_due(&down, "runner-a", 10).await.unwrap(), 1);
        }
        let (state, attempts, _) = job_state(&app, &key).await;
        assert_eq!((state.as_str(), attempts), ("queued", 4));
        assert_eq!(jobs::counts(&app.db).await.unwrap().failing, 1);
        // The case system answers again: the report goes at once, not at the end of its wait.
        let up = app.services();
        assert_eq!(jobs::nudge_forwarding(&app.db, &up.jobs).await.unwrap(), 1);
        assert_eq!(jobs::run_due(&up, "runner-b", 10).await.unwrap(), 1);
        assert_eq!(job_state(&app, &key).await.0, "done");
        assert_eq!(forward_state(&app, id).await.0, "sent");

        // A refusal trying cannot fix (here a key the case system does not know: 403) is
        // dead-lettered at once, kept with its reason.
        let mut refusing = app.services();
        refusing.cases = CaseSystem::Open311(
            Target::new(
                &app.url("/open311/v2"),
                "gz_unknown",
                "",
                BTreeMap::new(),
                Duration::from_secs(5),
            )
            .unwrap(),
        );
        let id = file_report(&refusing).await;
        let key = format!("forward_report:{id}");
        assert_eq!(jobs::run_due(&refusing, "runner-a", 10).await.unwrap(), 1);
        let (state, attempts, error) = job_state(&app, &key).await;
        assert_eq!((state.as_str(), attempts), ("dead", 1));
        assert!(
            error.contains("403") && error.contains("api_key"),
            "{error}"
        );
        assert_eq!(
            forward_state(&app, id).await.0,
            "waiting",
            "never marked sent"
        );

        // Mail is not like that: after its last try it is dead-lettered.
        let mut no_smtp = app.services();
        no_smtp.mailer = gongzhi_domain::mail::Mailer::smtp(
            "smtp://127.0.0.1:9",
            "Gongzhi <noreply@city.example>",
        )
        .unwrap();
        no_smtp.jobs = JobSettings {
            max_attempts: 2,
            backoff_base: chrono::Duration::milliseconds(50),
            ..JobSettings::default()
        };
        no_smtp
            .mailer
            .send(
                &app.db,
                &no_smtp.jobs,
                "someone@example.org",
                "subject",
                "body",
            )
            .await
            .unwrap();
        assert_eq!(jobs::run_due(&no_smtp, "runner-a", 10).await.unwrap(), 1);
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert_eq!(jobs::run_due(&no_smtp, "runner-a", 10).await.unwrap(), 1);
        let counts = jobs::counts(&app.db).await.unwrap();
        assert_eq!(counts.dead, 2, "{counts:?}");

        // The admin sees the dead report job and retries it once the case system is fixed
        // (built-in here).
        let admin = app.admin().await;
        let (status, page, _) = app.call(&admin, "admin_jobs", &[("view", "dead")]).await;
        assert_eq!(status, 200, "{page}");
        let job = page["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["kind"] == "forward_report")
            .expect("the dead forward")
            .clone();
        assert!(job["last_error"].as_str().unwrap().contains("403"));
        let job_id = job["id"].as_i64().unwrap().to_string();
        let resident = app
            .resident("r@example.org", "居民", "a long enough secret")
            .await;
        let (status, _, _) = app
            .call(&resident, "admin_retry_job", &[("id", &job_id)])
            .await;
        assert_eq!(status, 403, "only admins retry");
        let (status, body, _) = app
            .call(&admin, "admin_retry_job", &[("id", &job_id)])
            .await;
        assert_eq!((status, body), (200, serde_json::json!(true)));
        assert_eq!(job_state(&app, &key).await.0, "queued");
        assert_eq!(jobs::run_due(&up, "runner-b", 10).await.unwrap(), 1);
        assert_eq!(job_state(&app, &key).await.0, "done");
        assert_eq!(forward_state(&app, id).await.0, "sent");
        // Retrying a finished job does nothing.
        let (_, body, _) = app
            .call(&admin, "admin_retry_job", &[("id", &job_id)])
            .await;
        assert_eq!(body, serde_json::json!(false));
    })
    .await;
    app.stop().await;
}

async fn a_runner_that_dies_loses_its_claim_and_the_job_runs_once_more(backend: Backend) {
    let app = TestApp::start_with(backend, |c| c.job_runner = false).await;
    common::bounded(async {
        catalog(&app).await;
        let svc = app.services();
        let id = file_report(&svc).await;
        // Runner A claims with a short lease; while alive it renews the claim, and the
        // job stays A's past the first lease.
        let lease = chrono::Duration::milliseconds(200);
        let a = jobs::claim(&app.db, "runner-a", 10, lease).await.unwrap();
        assert_eq!(a.len(), 1);
        for _ in 0..4 {
            tokio::time::sleep(Duration::from_millis(80)).await;
            assert_eq!(
                jobs::renew_leases(&app.db, "runner-a", lease)
                    .await
                    .unwrap(),
                1
            );
        }
        assert!(
            jobs::claim(&app.db, "runner-b", 10, chrono::Duration::minutes(5))
                .await
                .unwrap()
                .is_empty(),
            "renewed: still A's after twice the lease"
        );
        // Then A "dies" (no more renewals, never finishes).
        assert!(
            jobs::claim(&app.db, "runner-b", 10, chrono::Duration::minutes(5))
                .await
                .unwrap()
                .is_empty(),
            "held while the lease lasts"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        let b = jobs::claim(&app.db, "runner-b", 10, chrono::Duration::minutes(5))
            .await
            .unwrap();
        assert_eq!(b.len(), 1, "the lease ended: B takes it");
        assert_eq!(b[0].attempts, 2);
        // A wakes up late: its outcome no longer counts.
        assert!(!jobs::complete(&app.db, a[0].id, "runner-a").await.unwrap());
        assert_eq!(
            jobs::fail(&app.db, &svc.jobs, &a[0], "runner-a", "late", false)
                .await
                .unwrap(),
            Failed::Lost
        );
        // B does the work, once: the report is sent once.
        gongzhi_domain::cases::forward(&svc, id).await.unwrap();
        gongzhi_domain::cases::forward(&svc, id).await.unwrap();
        assert!(jobs::complete(&app.db, b[0].id, "runner-b").await.unwrap());
        assert_eq!(
            forward_state(&app, id).await,
            ("sent".into(), String::new(), 1)
        );
    })
    .await;
    app.stop().await;
}

async fn two_runners_never_claim_the_same_job(backend: Backend) {
    let app = TestApp::start_with(backend, |c| c.job_runner = false).await;
    common::bounded(async {
        let svc = app.services();
        // 300 jobs (mail to send; without SMTP each is done at once).
        for i in 0..300 {
            jobs::enqueue(
                &app.db,
                &svc.jobs,
                &Task::SendMail {
                    outbox_id: 10_000 + i,
                },
            )
            .await
            .unwrap();
        }
        // Enqueuing the same work again is the same job.
        jobs::enqueue(&app.db, &svc.jobs, &Task::SendMail { outbox_id: 10_000 })
            .await
            .unwrap();
        // Two runners on their own connections claim small batches as fast as they can.
        let claimer = |name: &'static str| {
            let db = app.db.clone();
            tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let got = jobs::claim(&db, name, 7, chrono::Duration::minutes(5))
                        .await
                        .unwrap();
                    if got.is_empty() {
                        break;
                    }
                    for j in got {
                        assert!(jobs::complete(&db, j.id, name).await.unwrap());
                        mine.push(j.id);
                    }
                }
                mine
            })
        };
        let (a, b) = tokio::join!(claimer("runner-a"), claimer("runner-b"));
        let (a, b) = (a.unwrap(), b.unwrap());
        let sa: BTreeSet<i64> = a.iter().copied().collect();
        let sb: BTreeSet<i64> = b.iter().copied().collect();
        assert_eq!(sa.len(), a.len(), "A claimed nothing twice");
        assert!(sa.is_disjoint(&sb), "{backend:?}: both runners held a job");
        assert_eq!(sa.len() + sb.len(), 300, "every job was run");
        assert!(
            !a.is_empty() && !b.is_empty(),
            "{backend:?}: both runners worked ({} / {})",
            a.len(),
            b.len()
        );
        assert_eq!(jobs::counts(&app.db).await.unwrap().done, 300);
    })
    .await;
    app.stop().await;
}

async fn relay_of(app: &TestApp, event: i64) -> (Option<String>, String) {
    with_db!(&app.db, p => sqlx::query_as(
        "SELECT relay, relay_error FROM report_events WHERE id = $1").bind(event).fetch_one(p).await)
    .expect("entry")
}

async fn reporters_updates_are_passed_on_once_or_marked_refused(backend: Backend) {
    let app = TestApp::start_with(backend, |c| c.job_runner = false).await;
    common::bounded(async {
        catalog(&app).await;
        // The server under test is also the case system the reports go to (the built-in
        // one, over its own Open311 API).
        let admin = app.admin().await;
        let (status, issued, _) = app
            .call(&admin, "admin_issue_api_key", &[("name", "居民端")])
            .await;
        assert_eq!(status, 200, "{issued}");
        let key = issued["key"].as_str().unwrap().to_string();
        let target = |url: String| {
            CaseSystem::Open311(
                Target::new(&url, &key, "", BTreeMap::new(), Duration::from_secs(5)).unwrap(),
            )
        };
        let mut a = app.services();
        a.cases = target(app.url("/open311/v2"));
        let id = file_report(&a).await;
        let voice = gongzhi_domain::reports::Voice::Reporter { user_id: None };
        let follow_up = |note: &str| gongzhi_domain::reports::FollowUp {
            note: note.into(),
            reopen: false,
            rectify_by: None,
        };
        let (event, _) =
            gongzhi_domain::reports::record_follow_up(&a, id, voice, follow_up("补充：北侧也有"))
                .await
                .expect("follow-up");
        assert_eq!(relay_of(&app, event).await.0.as_deref(), Some("waiting"));
        // Not before the report itself is there.
        assert!(matches!(
            gongzhi_domain::cases::relay(&a, event).await,
            Err(gongzhi_domain::cases::ForwardError::Retry(m)) if m.contains("waiting for the report")
        ));
        let page = app.page(&common::new_client(), &format!("/reports/{id}"), "zh-CN").await;
        assert!(page.contains("等待转交办理系统"), "the timeline says it waits");
        // Queued with the entry. (The jobs run by hand here: this one database is both
        // sides, and a runner with A's settings would pass B's copies on too.)
        assert_eq!(job_state(&app, &format!("send_update:{event}")).await.0, "queued");
        gongzhi_domain::cases::forward(&a, id).await.expect("the report goes first");
        gongzhi_domain::cases::relay(&a, event).await.expect("then the follow-up");
        assert_eq!(relay_of(&app, event).await, (Some("sent".into()), String::new()));
        // The case system has it once, as the reporter's follow-up on its own copy.
        let theirs: String = with_db!(&app.db, p => sqlx::query_scalar(
            "SELECT external_id FROM reports WHERE id = $1").bind(id).fetch_one(p).await)
        .unwrap();
        let in_b = |db: gongzhi_domain::db::Db, theirs: String| async move {
            let rows: Vec<(String, String, String)> = with_db!(&db, p => sqlx::query_as(
                "SELECT kind, actor_role, note FROM report_events WHERE report_id = $1 AND kind = 'follow_up'")
                .bind(theirs.parse::<i64>().unwrap()).fetch_all(p).await)
            .unwrap();
            rows
        };
        assert_eq!(
            in_b(app.db.clone(), theirs.clone()).await,
            [("follow_up".to_string(), "reporter".to_string(), "补充：北侧也有".to_string())]
        );
        // Passed on again (a runner that died before recording the answer): still once.
        with_db!(&app.db, p => sqlx::query("UPDATE report_events SET relay = 'waiting' WHERE id = $1")
            .bind(event).execute(p).await.map(|r| r.rows_affected()))
        .unwrap();
        gongzhi_domain::cases::relay(&a, event).await.expect("again");
        assert_eq!(in_b(app.db.clone(), theirs).await.len(), 1);
        let page = app.page(&common::new_client(), &format!("/reports/{id}"), "zh-CN").await;
        assert!(page.contains("已转交办理系统"));

        // A case system that does not know the request says so; the reporter sees why.
        with_db!(&app.db, p => sqlx::query("UPDATE reports SET external_id = '999999' WHERE id = $1")
            .bind(id).execute(p).await.map(|r| r.rows_affected()))
        .unwrap();
        let (event, _) =
            gongzhi_domain::reports::record_follow_up(&a, id, voice, follow_up("再补充"))
                .await
                .expect("follow-up");
        gongzhi_domain::cases::relay(&a, event).await.expect("answered");
        let (relay, why) = relay_of(&app, event).await;
        assert_eq!(relay.as_deref(), Some("refused"));
        assert!(why.contains("999999"), "{why}");
        let page = app.page(&common::new_client(), &format!("/reports/{id}"), "zh-CN").await;
        assert!(page.contains("办理系统未接收"), "the refusal is shown");
        // One without the update extension at all (no such route: a 404 page).
        let mut plain = app.services();
        plain.cases = target(app.url("/no-updates-here"));
        let (event, _) =
            gongzhi_domain::reports::record_follow_up(&plain, id, voice, follow_up("第三次补充"))
                .await
                .expect("follow-up");
        gongzhi_domain::cases::relay(&plain, event).await.expect("answered");
        assert_eq!(
            relay_of(&app, event).await,
            (Some("refused".into()), "the case system does not take updates".into())
        );
    })
    .await;
    app.stop().await;
}

/// A flood of reports: the runner's batch is taken by the built-in case system together,
/// each report becoming one new case, every job done; a report deleted meanwhile and one
/// taken already are left alone; running again changes nothing.
async fn the_built_in_case_system_takes_a_batch_of_reports_together(backend: Backend) {
    let app = TestApp::start_with(backend, |c| c.job_runner = false).await;
    common::bounded(async {
        catalog(&app).await;
        let svc = app.services();
        let mut ids = Vec::new();
        for _ in 0..12 {
            ids.push(file_report(&svc).await);
        }
        // One taken already on its own, one deleted before the runner comes.
        gongzhi_domain::cases::forward(&svc, ids[0]).await.expect("taken");
        with_db!(&app.db, p => sqlx::query("DELETE FROM reports WHERE id = $1").bind(ids[1]).execute(p).await.map(|r| r.rows_affected()))
            .expect("deleted");
        let ran = jobs::run_due(&svc, "runner-a", 32).await.expect("run");
        assert_eq!(ran, 12, "one claim holds the whole batch");
        for &id in &ids[2..] {
            assert_eq!(forward_state(&app, id).await, ("sent".into(), String::new(), 1));
        }
        assert_eq!(forward_state(&app, ids[0]).await.2, 1, "taken once");
        let list = ids
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let cases: Vec<(i64, String)> = with_db!(&app.db, p => sqlx::query_as(&format!(
            "SELECT report_id, stage FROM cases WHERE report_id IN ({list}) ORDER BY report_id")).fetch_all(p).await)
            .expect("cases");
        let expected: Vec<(i64, String)> = ids
            .iter()
            .filter(|&&i| i != ids[1])
            .map(|&i| (i, "new".to_string()))
            .collect();
        assert_eq!(cases, expected);
        for id in &ids {
            let (state, attempts, _) = job_state(&app, &format!("forward_report:{id}")).await;
            assert_eq!((state.as_str(), attempts), ("done", 1), "report {id}");
        }
        assert_eq!(jobs::run_due(&svc, "runner-a", 32).await.expect("run"), 0);
    })
    .await;
    app.stop().await;
}
