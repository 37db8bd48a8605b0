//! Start-up: open and migrate the database, load demo data on a first start, set up mail.

use chrono::Duration;
use gongzhi_app::state::AppState;
use gongzhi_domain::db::{Db, DbError};
use gongzhi_domain::mail::Mailer;
use gongzhi_domain::ratelimit::Limits;
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
    #[error("leptos configuration: {0}")]
    Leptos(String),
    #[error("network: {0}")]
    Io(std::io::Error),
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
        ..Limits::default()
    };
    let svc = Services {
        db,
        mailer,
        limits,
        public_url: config.public_base(),
        session_ttl: Duration::days(config.session_days),
    };
    if config.seed_demo && seed::is_empty(&svc).await.map_err(StartError::Seed)? {
        tracing::info!("empty database: loading the demo city");
        seed::seed_demo(&svc).await.map_err(StartError::Seed)?;
    }
    Ok(AppState {
        svc,
        secure_cookies: config.is_https(),
        trust_forwarded_for: config.trust_forwarded_for,
        smtp_configured,
    })
}
