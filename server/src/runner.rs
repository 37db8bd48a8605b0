//! The job runner inside the server: claims due jobs from the queue and performs them
//! (forwarding reports to the case system, sending mail), counts what changed into the
//! published results and indexes new reports' text for search (when idle, and at least
//! once a second), once a minute tells the
//! followers of processes that entered a new phase and departments of question deadlines
//! near or past, and once an hour removes finished jobs
//! and the photos of forms never sent. It sleeps until this instance
//! enqueues something or a second passes (jobs enqueued by other instances, and retries
//! whose backoff has ended, are found by that poll). Beside it a heartbeat renews its claims
//! on jobs, so that a runner that dies loses them within a lease.

use std::time::Duration;

use gongzhi_domain::{jobs, Services};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The longest a due job waits for a runner that was not woken.
const POLL: Duration = Duration::from_secs(1);
/// How often processes are checked for a new phase to tell their followers of.
const PHASES: Duration = Duration::from_secs(60);
/// How long the runner lets new jobs gather after a batch that emptied the queue.
const GATHER: Duration = Duration::from_millis(20);
/// The longest the published results wait to count a change while jobs keep coming.
const COUNT: Duration = Duration::from_secs(1);
/// Jobs claimed at once: after a flood of reports, a batch is claimed, taken by the built-in
/// case system and marked done in one commit. Each of the runner's commits takes
/// SQLite's write turn between two of the report writer's batches; with batches of 32 the
/// runner fell behind a storm of reports (15,000 waiting after 20 s at 2,500 reports/s),
/// with 128 it keeps up.
const BATCH: i64 = 128;

/// A name for this runner, unique across instances and restarts.
pub fn worker_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "gongzhi".into());
    let nonce: String = gongzhi_domain::accounts::tokens::new_token()
        .chars()
        .take(8)
        .collect();
    format!("{host}-{}-{nonce}", std::process::id())
}

/// Starts the runner; it stops (after the job in hand) when `stop` turns true.
pub fn spawn(svc: Services, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let worker = worker_name();
        tracing::info!(%worker, "job runner started");
        let heartbeat = renew_leases(svc.clone(), worker.clone());
        let mut last_prune = tokio::time::Instant::now();
        let mut last_count = tokio::time::Instant::now();
        // Phase changes are told within a minute of the phase's start.
        let mut last_phases: Option<tokio::time::Instant> = None;
        loop {
            if *stop.borrow() {
                break;
            }
            let pause = match jobs::run_due(&svc, &worker, BATCH).await {
                // A backlog: go again at once.
                Ok(n) if n >= BATCH as usize => None,
                // Jobs keep coming (a stream of reports): let the next ones gather a
                // moment, so that the runner's commits (each a turn at SQLite's lock that
                // new reports wait for) carry many reports each, not the few since the
                // last one.
                Ok(n) if n > 0 => {
                    tokio::select! {
                        _ = tokio::time::sleep(GATHER) => {}
                        _ = stop.changed() => {}
                    }
                    None
                }
                // Sleep until the next job is due (a retry, the next poll), at most POLL.
                Ok(_) => Some(match jobs::next_due(&svc.db).await {
                    Ok(Some(at)) => (at - gongzhi_domain::time::now())
                        .to_std()
                        .unwrap_or(Duration::ZERO)
                        .clamp(Duration::from_millis(10), POLL),
                    _ => POLL,
                }),
                Err(e) => {
                    tracing::warn!(error = %e, "job runner cannot reach the queue; trying again");
                    Some(POLL * 5)
                }
            };
            // Results are counted within about a second of a change, also while a storm
            // of reports keeps the runner busy.
            if pause.is_some() || last_count.elapsed() >= COUNT {
                last_count = tokio::time::Instant::now();
                if let Err(e) = gongzhi_domain::stats::drain(&svc, 10_000).await {
                    tracing::warn!(error = %e, "counting changed results failed");
                }
                // New reports' text, into the search index (SQLite) in a few commits.
                if let Err(e) = gongzhi_domain::reports::search::index_waiting(&svc.db).await {
                    tracing::warn!(error = %e, "indexing new reports for search failed");
                }
            }
            let Some(pause) = pause else { continue };
            if last_phases.is_none_or(|t| t.elapsed() >= PHASES) {
                last_phases = Some(tokio::time::Instant::now());
                if let Err(e) = gongzhi_domain::deliberation::follows::announce_phases(&svc).await {
                    tracing::warn!(error = %e, "announcing phase changes failed");
                }
                if let Err(e) = gongzhi_domain::questions::inbox::remind(&svc).await {
                    tracing::warn!(error = %e, "telling departments of question deadlines failed");
                }
            }
            if last_prune.elapsed() > Duration::from_secs(3600) {
                last_prune = tokio::time::Instant::now();
                match jobs::prune(&svc.db, chrono::Duration::days(7)).await {
                    Ok(n) if n > 0 => tracing::info!(removed = n, "old finished jobs removed"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "pruning finished jobs failed"),
                }
                // Photos of forms never sent (a refused form is kept for a day).
                match gongzhi_domain::reports::sweep_pending(&svc, chrono::Duration::days(2)).await
                {
                    Ok(n) if n > 0 => tracing::info!(removed = n, "photos of unsent forms removed"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "removing photos of unsent forms failed"),
                }
            }
            tokio::select! {
                _ = svc.jobs.wake.notified() => {}
                _ = tokio::time::sleep(pause) => {}
                _ = stop.changed() => {}
            }
        }
        heartbeat.abort();
        tracing::info!(%worker, "job runner stopped");
    })
}

/// Renews the runner's claims every third of the lease while it lives; when the process
/// dies the renewals stop and the claims run out.
fn renew_leases(svc: Services, worker: String) -> JoinHandle<()> {
    tokio::spawn(async move {
        let lease = svc.jobs.lease;
        let every = (lease / 3).to_std().unwrap_or(Duration::from_secs(1));
        loop {
            tokio::time::sleep(every).await;
            if let Err(e) = jobs::renew_leases(&svc.db, &worker, lease).await {
                tracing::warn!(error = %e, "renewing the runner's job claims failed");
            }
        }
    })
}
