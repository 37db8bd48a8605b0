//! Live Q&A under load (issue 7's target: an upvote reaches 500 connected browsers within
//! 1 s at the 99th percentile, the server holding them in under 100 MB). Run by
//! `bench/live.sh` against release servers: it schedules a session, connects the simulated
//! browsers (Server-Sent Events, spread over every base URL given), casts upvotes one after
//! another from a resident on the first server, and measures, for every browser and every
//! upvote, the time from sending the vote to the browser receiving its event.
//!
//! Usage: live_bench <clients> <votes> <base URL>...   (prints one JSON line of figures)

use std::time::{Duration, Instant};

use reqwest::Client;

fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

async fn call(c: &Client, base: &str, endpoint: &str, form: &[(&str, &str)]) -> String {
    let res = c
        .post(format!("{base}/api/{endpoint}"))
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .expect("request");
    let status = res.status();
    let body = res.text().await.expect("body");
    assert!(status.is_success(), "{endpoint}: {status} {body}");
    body
}

/// The city's local time (UTC+8) `minutes` from now, as the form takes it.
fn local(minutes: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(8 * 60 + minutes))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let clients: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(500);
    let votes: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(40);
    let bases: Vec<String> = args.iter().skip(3).cloned().collect();
    assert!(
        !bases.is_empty(),
        "usage: live_bench <clients> <votes> <base URL>..."
    );
    let first = bases[0].clone();

    let admin = client();
    call(
        &admin,
        &first,
        "log_in",
        &[
            ("email", "admin@demo.gongzhi.org"),
            ("password", "admin-demo-2026"),
            ("next", "/"),
        ],
    )
    .await;
    let departments = call(&admin, &first, "departments", &[]).await;
    let department = serde_json::from_str::<serde_json::Value>(&departments).expect("departments")
        ["rows"][1][0]["id"]
        .as_i64()
        .expect("a department")
        .to_string();
    let session = call(
        &admin,
        &first,
        "schedule_live",
        &[
            ("title", "压测直播"),
            ("department", &department),
            ("starts", &local(-5)),
            ("ends", &local(60)),
        ],
    )
    .await;
    let session: i64 = session.trim().parse().expect("session id");
    let resident = client();
    call(
        &resident,
        &first,
        "log_in",
        &[
            ("email", "resident@demo.gongzhi.org"),
            ("password", "resident-demo-2026"),
            ("next", "/"),
        ],
    )
    .await;
    let question = call(
        &resident,
        &first,
        "live_submit",
        &[("session", &session.to_string()), ("body", "压测问题")],
    )
    .await;
    let question = question.trim().to_string();
    let page = call(
        &resident,
        &first,
        "live_session",
        &[("id", &session.to_string())],
    )
    .await;
    let after = serde_json::from_str::<serde_json::Value>(&page).expect("page")["page"]
        ["last_event"]
        .as_i64()
        .expect("last event");

    // Set up (sign-ins included): the script reads the servers' memory before any browser.
    if let Ok(path) = std::env::var("LIVE_BENCH_SETUP") {
        std::fs::write(path, "setup").ok();
        tokio::time::sleep(Duration::from_secs(2)).await;
    }

    // The simulated browsers, each on its own connection, from after the question's event.
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(clients);
    let mut tasks = Vec::new();
    for n in 0..clients {
        let base = bases[n % bases.len()].clone();
        let ready = ready_tx.clone();
        tasks.push(tokio::spawn(async move {
            let c = Client::builder()
                .timeout(Duration::from_secs(600))
                .build()
                .expect("client");
            let mut res = c
                .get(format!("{base}/live/{session}/events?after={after}"))
                .send()
                .await
                .expect("stream");
            assert!(res.status().is_success(), "stream {}", res.status());
            ready.send(()).await.ok();
            let mut arrivals: Vec<Instant> = Vec::with_capacity(votes);
            let mut buf = String::new();
            while arrivals.len() < votes {
                let Ok(Ok(Some(chunk))) =
                    tokio::time::timeout(Duration::from_secs(60), res.chunk()).await
                else {
                    break;
                };
                let at = Instant::now();
                buf.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buf.find("\n\n") {
                    let block: String = buf.drain(..end + 2).collect();
                    if block.contains("\ndata:") || block.starts_with("data:") {
                        arrivals.push(at);
                    }
                }
            }
            arrivals
        }));
    }
    drop(ready_tx);
    for _ in 0..clients {
        ready_rx.recv().await.expect("all connected");
    }
    // Every browser has its response headers; give the streams a moment to be subscribed.
    tokio::time::sleep(Duration::from_millis(500)).await;
    println!("{{\"connected\": {clients}}}");
    // Tell the script the browsers are connected (it reads the server's memory now).
    if let Ok(path) = std::env::var("LIVE_BENCH_READY") {
        std::fs::write(path, "ready").ok();
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let mut sent = Vec::with_capacity(votes);
    for k in 0..votes {
        let on = if k % 2 == 0 { "true" } else { "false" };
        sent.push(Instant::now());
        call(
            &resident,
            &first,
            "live_vote",
            &[("id", &question), ("on", on)],
        )
        .await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut latencies = Vec::new();
    let mut missing = 0usize;
    for t in tasks {
        let arrivals = t.await.expect("browser");
        missing += votes.saturating_sub(arrivals.len());
        for (k, at) in arrivals.into_iter().enumerate() {
            if let Some(s) = sent.get(k) {
                latencies.push(at.saturating_duration_since(*s).as_secs_f64() * 1000.0);
            }
        }
    }
    latencies.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{{\"clients\": {clients}, \"votes\": {votes}, \"deliveries\": {}, \"missing\": {missing}, \"p50_ms\": {:.1}, \"p99_ms\": {:.1}, \"max_ms\": {:.1}}}",
        latencies.len(),
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        latencies.last().copied().unwrap_or(f64::NAN)
    );
}
