//! `gongzhi`: start-up is config → logging → command. Everything else is in the library.

use std::io::BufRead;
use std::process::ExitCode;

use clap::Parser;
use gongzhi_domain::seed::DEMO_ACCOUNTS;
use gongzhi_server::cli::{AdminCommand, Cli, Command};
use gongzhi_server::{router, serve, shutdown_signal, startup, Config, StartError};
use tracing_subscriber::EnvFilter;

/// The process's memory comes from mimalloc, SQLite's included (its `override` feature
/// replaces `malloc` and `free`): under a stream of reports glibc's allocator (with its
/// per-thread arenas and their locks) was about a tenth of the server's CPU. Measured by
/// preloading Debian's libmimalloc under 32 connections of web submissions: 402 → 367 µs
/// of CPU each, 3,093 → 3,343 a second.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn")),
        )
        .init();

    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => run_server(cli.config).await,
        Command::Migrate => startup::open_db(&cli.config).await.map(|db| {
            tracing::info!(database = db.backend(), "migrations applied");
        }),
        Command::SeedDemo => seed_demo(cli.config).await,
        Command::SeedLoad {
            reports,
            comments,
            questions,
        } => seed_load(cli.config, reports, comments, questions).await,
        Command::CommitRate { seconds } => commit_rate(cli.config, seconds).await,
        Command::Admin {
            command:
                AdminCommand::Create {
                    email,
                    name,
                    password,
                },
        } => create_admin(cli.config, &email, &name, password).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("gongzhi: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run_server(config: Config) -> Result<(), StartError> {
    let addr = router::leptos_options().site_addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(StartError::Io)?;
    tracing::info!("Gongzhi is at http://{addr}");
    if config.seed_demo {
        for a in DEMO_ACCOUNTS {
            tracing::info!("demo account ({:?}): {} / {}", a.role, a.email, a.password);
        }
    }
    serve(config, listener, shutdown_signal()).await
}

async fn seed_demo(mut config: Config) -> Result<(), StartError> {
    config.seed_demo = false;
    let state = startup::open_state(&config).await?;
    gongzhi_domain::seed::seed_demo(&state.svc)
        .await
        .map_err(StartError::Seed)?;
    tracing::info!("demo data loaded");
    Ok(())
}

async fn seed_load(
    mut config: Config,
    reports: usize,
    comments: usize,
    questions: usize,
) -> Result<(), StartError> {
    config.seed_demo = false;
    let state = startup::open_state(&config).await?;
    if reports > 0 {
        let started = std::time::Instant::now();
        let n = gongzhi_domain::seed::load::synthetic_reports(&state.svc, reports)
            .await
            .map_err(StartError::Seed)?;
        tracing::info!(
            reports = n,
            seconds = started.elapsed().as_secs_f64(),
            "synthetic reports added"
        );
    }
    if questions > 0 {
        let started = std::time::Instant::now();
        let n = gongzhi_domain::seed::load::synthetic_questions(&state.svc, questions)
            .await
            .map_err(StartError::Seed)?;
        tracing::info!(
            questions = n,
            seconds = started.elapsed().as_secs_f64(),
            "synthetic questions added"
        );
    }
    if comments > 0 {
        let started = std::time::Instant::now();
        let id = gongzhi_domain::seed::load::synthetic_discussion(&state.svc, comments)
            .await
            .map_err(StartError::Seed)?;
        tracing::info!(
            proposal = id,
            comments,
            seconds = started.elapsed().as_secs_f64(),
            "synthetic discussion added"
        );
        // For scripts (bench/deliberation.sh): the proposal to measure.
        println!("proposal {id}");
    }
    Ok(())
}

async fn commit_rate(config: Config, seconds: f64) -> Result<(), StartError> {
    let db = startup::open_db(&config).await?;
    let (n, took) = db
        .commit_rate(seconds)
        .await
        .map_err(StartError::CommitRate)?;
    println!(
        "commits {n} seconds {took:.3} per_second {:.1}",
        n as f64 / took
    );
    Ok(())
}

async fn create_admin(
    mut config: Config,
    email: &str,
    name: &str,
    password: Option<String>,
) -> Result<(), StartError> {
    let password = match password {
        Some(p) => p,
        None => {
            eprintln!("Password for {email} (one line on standard input):");
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(StartError::Io)?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    config.seed_demo = false;
    let state = startup::open_state(&config).await?;
    match gongzhi_domain::accounts::create_admin(&state.svc, email, name, &password).await {
        Ok((id, true)) => tracing::info!(user_id = id, "admin account created: {email}"),
        Ok((id, false)) => {
            tracing::info!(user_id = id, "existing account is now an admin: {email}")
        }
        Err(gongzhi_domain::Error::Invalid(problems)) => {
            let text = problems
                .iter()
                .map(|p| format!("{}: {}", p.field, p.problem.english()))
                .collect::<Vec<_>>()
                .join("; ");
            return Err(StartError::Config(text));
        }
        Err(e) => return Err(StartError::Seed(e)),
    }
    Ok(())
}
