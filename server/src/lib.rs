//! The `gongzhi` server: configuration, start-up, the axum router and the CLI's commands.
//!
//! [`serve`] takes a bound listener and a shutdown future, so tests run real servers on
//! port 0 and stop them cleanly.

pub mod cli;
pub mod config;
pub mod router;
pub mod routes;
pub mod runner;
pub mod security;
pub mod startup;

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;

pub use config::Config;
pub use startup::{open_state, StartError};

/// Serves Gongzhi on `listener` (and runs the job runner, unless configured off) until
/// `shutdown` completes, then finishes the requests and the job in flight and closes the
/// database.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let state = open_state(&config).await?;
    let app = router::build(&config, state.clone());
    let addr = listener.local_addr().map_err(StartError::Io)?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let runner = config
        .job_runner
        .then(|| runner::spawn(state.svc.clone(), stop_rx));
    // On PostgreSQL, live events from every instance reach this one's browsers.
    let listener_task = gongzhi_domain::live::listen(state.svc.clone());
    let hub = state.svc.live.clone();
    tracing::info!(%addr, database = state.svc.db.backend(), "serving");
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
        // Live event streams never end by themselves: end them so the server can stop.
        hub.close();
    })
    .await;
    if let Some(r) = runner {
        let _ = r.await;
    }
    if let Some(l) = listener_task {
        let _ = l.await;
    }
    served.map_err(StartError::Io)?;
    state.svc.db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown requested; finishing requests in flight");
}
