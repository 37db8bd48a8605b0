//! Start-up: open and migrate the database, load demo data on a first start, set up mail.

use chrono::Duration;
use gongzhi_app::state::AppState;
use gongzhi_domain::db::{Db, DbError};
use gongzhi_domain::mail::Mailer;
use gongzhi_domain::ratelimit::Limits;
use gongzhi_domain::reports::ReportSettings;
use gongzhi_domain::{seed, Services};

use crate::config::Config;

/// Why the server could not start. Each message says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("configuration: {0}")]
    Config(String),
    #[error("loading demo data failed: {0}")]
    Seed(gongzhi_domain::Error),
    #[error("queueing the case-system poller failed: {0}")]
    Poller(gongzhi_domain::Error),
    #[error("preparing the published results failed: {0}")]
    Stats(gongzhi_domain::Error),
    #[error("leptos configuration: {0}")]
    Leptos(String),
    #[error("network: {0}")]
    Io(std::io::Error),
    #[error("measuring the commit rate failed: {0}")]
    CommitRate(gongzhi_domain::Error),
}

/// Opens the database and runs migrations. A failed migration stops here.
pub async fn open_db(config: &Config) -> Result<Db, StartError> {
    let db = Db::connect(&config.database_url, config.db_max_connections).await?;
    db.migrate().await?;
    Ok(db)
}

/// Builds the shared state: database (migrated), mail, limits; demo data on a first start.
pub async fn open_state(config: &Config) -> Result<AppState, StartError> {
    if config.session_days < 1 {
        return Err(StartError::Config(
            "GONGZHI_SESSION_DAYS must be at least 1".into(),
        ));
    }
    let db = open_db(config).await?;
    let mailer = match &config.smtp_url {
        Some(url) if !url.trim().is_empty() => {
            Mailer::smtp(url, &config.mail_from).map_err(StartError::Config)?
        }
        _ => Mailer::OutboxOnly,
    };
    let smtp_configured = matches!(mailer, Mailer::Smtp { .. });
    let limits = Limits {
        login_per_account: config.login_limit_per_account,
        login_per_ip: config.login_limit_per_ip,
        signup_per_ip: config.signup_limit_per_ip,
        report_per_ip: config.report_limit_per_ip,
        report_per_account: config.report_limit_per_account,
        ..Limits::default()
    };
    if !(config.duplicate_radius_m.is_finite()
        && (0.0..=5000.0).contains(&config.duplicate_radius_m))
    {
        return Err(StartError::Config(
            "GONGZHI_DUPLICATE_RADIUS_M must be between 0 and 5000".into(),
        ));
    }
    if config.max_photo_mb == 0 || config.max_photo_mb > 50 {
        return Err(StartError::Config(
            "GONGZHI_MAX_PHOTO_MB must be between 1 and 50".into(),
        ));
    }
    let blobs = gongzhi_domain::blobs::from_config(&config.blob_store)
        .map_err(|e| StartError::Config(format!("GONGZHI_BLOB_STORE: {e}")))?;
    tracing::info!(store = %blobs.describe(), "photos are stored here");
    let reports = ReportSettings {
        allow_anonymous: config.allow_anonymous,
        duplicate_radius_m: config.duplicate_radius_m,
        max_photo_bytes: config.max_photo_mb * 1024 * 1024,
        default_grid: config.default_grid.clone().filter(|g| !g.trim().is_empty()),
        utc_offset_minutes: config.utc_offset_minutes,
        rectify_days: config.rectify_days,
    };
    if !(1..=60).contains(&config.rectify_days) {
        return Err(StartError::Config(format!(
            "GONGZHI_RECTIFY_DAYS must be 1 to 60 working days, not {}",
            config.rectify_days
        )));
    }
    if !(1..=100).contains(&config.job_max_attempts) {
        return Err(StartError::Config(
            "GONGZHI_JOB_MAX_ATTEMPTS must be between 1 and 100".into(),
        ));
    }
    if !(1..=3_600_000).contains(&config.job_backoff_ms) {
        return Err(StartError::Config(
            "GONGZHI_JOB_BACKOFF_MS must be between 1 and 3600000".into(),
        ));
    }
    if !(1..=3600).contains(&config.job_lease_seconds) {
        return Err(StartError::Config(
            "GONGZHI_JOB_LEASE_SECONDS must be between 1 and 3600".into(),
        ));
    }
    let jobs = gongzhi_domain::jobs::JobSettings {
        max_attempts: config.job_max_attempts,
        backoff_base: Duration::milliseconds(config.job_backoff_ms),
        lease: Duration::seconds(config.job_lease_seconds),
        ..Default::default()
    };
    if !(1..=100).contains(&config.flags_to_hold) {
        return Err(StartError::Config(
            "GONGZHI_FLAGS_TO_HOLD must be between 1 and 100".into(),
        ));
    }
    if !(1..=100).contains(&config.new_account_posts) {
        return Err(StartError::Config(
            "GONGZHI_NEW_ACCOUNT_POSTS must be between 1 and 100".into(),
        ));
    }
    let moderation = gongzhi_domain::moderation::ModerationSettings {
        flags_to_hold: config.flags_to_hold,
        hold_new_accounts: config.hold_new_accounts,
        new_account_posts: config.new_account_posts,
        ..Default::default()
    };
    let cases = config.case_system().map_err(StartError::Config)?;
    tracing::info!(connector = cases.name(), "reports go to this case system");
    let svc = Services {
        db,
        mailer,
        limits,
        public_url: config.public_base(),
        session_ttl: Duration::days(config.session_days),
        blobs,
        reports,
        jobs,
        cases,
        moderation,
        live: gongzhi_domain::live::Hub::new(),
        filing: Default::default(),
        kept: Default::default(),
        catalogue: Default::default(),
    };
    if matches!(svc.cases, gongzhi_domain::cases::CaseSystem::Open311(_)) {
        // One poller for the city: enqueuing it again (another instance, a restart) is a no-op.
        gongzhi_domain::jobs::enqueue(
            &svc.db,
            &svc.jobs,
            &gongzhi_domain::jobs::Task::PollUpdates { since: None },
        )
        .await
        .map_err(StartError::Poller)?;
    }
    gongzhi_domain::stats::ensure(&svc)
        .await
        .map_err(StartError::Stats)?;
    if config.seed_demo && seed::is_empty(&svc).await.map_err(StartError::Seed)? {
        tracing::info!("empty database: loading the demo city");
        seed::seed_demo(&svc).await.map_err(StartError::Seed)?;
    } else if config.seed_demo && seed::has_no_catalog(&svc).await.map_err(StartError::Seed)? {
        // A demo database from before reporting existed: add the catalogue, grids and reports.
        tracing::info!("demo database without a report catalogue: loading it");
        seed::seed_catalog(&svc).await.map_err(StartError::Seed)?;
        seed::seed_reports(&svc).await.map_err(StartError::Seed)?;
    }
    Ok(AppState {
        svc,
        secure_cookies: config.is_https(),
        trust_forwarded_for: config.trust_forwarded_for,
        smtp_configured,
        data_licence: config.data_licence.clone(),
        map: gongzhi_app::state::MapConfig {
            tile_url: config.map_tile_url.clone(),
            attribution: config.map_attribution.clone(),
        },
    })
}
