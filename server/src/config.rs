//! The typed configuration, read from `GONGZHI_*` environment variables (or flags).
//! Every field has its variable and default here and in `.env.example`.

use clap::{Args, ValueEnum};

/// Which case system receives the reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CaseConnector {
    /// Gongzhi's own back office for officials (the default, so the demo shows the whole loop).
    Builtin,
    /// An external Open311 GeoReport v2 server.
    Open311,
}

#[derive(Clone, Args)]
pub struct Config {
    /// Database URL: `sqlite://path` (default, created when missing) or `postgres://...`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/gongzhi.db")]
    pub database_url: String,

    /// Most database connections in the pool.
    #[arg(long, env = "GONGZHI_DB_MAX_CONNECTIONS", default_value_t = 10)]
    pub db_max_connections: u32,

    /// The address people use to reach this server, for links in mail. An https URL also
    /// marks cookies Secure and turns on HSTS.
    #[arg(
        long,
        env = "GONGZHI_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    pub public_url: String,

    /// SMTP server for outgoing mail, e.g. `smtps://user:pass@mail.example.org`. Without it,
    /// mail stays in the admin's outbox and is written to the log.
    #[arg(long, env = "GONGZHI_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// The sender of outgoing mail.
    #[arg(
        long,
        env = "GONGZHI_MAIL_FROM",
        default_value = "Gongzhi <noreply@gongzhi.invalid>"
    )]
    pub mail_from: String,

    /// Load the demo city (departments and one account per role) when the database is empty.
    #[arg(long, env = "GONGZHI_SEED_DEMO", default_value_t = true, action = clap::ArgAction::Set)]
    pub seed_demo: bool,

    /// Take the client address from `X-Forwarded-For`. Only behind a proxy you trust.
    #[arg(long, env = "GONGZHI_TRUST_FORWARDED_FOR", default_value_t = false, action = clap::ArgAction::Set)]
    pub trust_forwarded_for: bool,

    /// How many days a sign-in lasts.
    #[arg(long, env = "GONGZHI_SESSION_DAYS", default_value_t = 30)]
    pub session_days: i64,

    /// Failed sign-ins allowed per account in 15 minutes.
    #[arg(long, env = "GONGZHI_LOGIN_LIMIT_PER_ACCOUNT", default_value_t = 5)]
    pub login_limit_per_account: u32,

    /// Failed sign-ins allowed per client address in 15 minutes.
    #[arg(long, env = "GONGZHI_LOGIN_LIMIT_PER_IP", default_value_t = 30)]
    pub login_limit_per_ip: u32,

    /// Sign-ups allowed per client address per hour.
    #[arg(long, env = "GONGZHI_SIGNUP_LIMIT_PER_IP", default_value_t = 10)]
    pub signup_limit_per_ip: u32,

    /// The case system that receives reports.
    #[arg(long, env = "GONGZHI_CASE_CONNECTOR", value_enum, default_value_t = CaseConnector::Builtin)]
    pub case_connector: CaseConnector,
}

impl Config {
    /// The defaults, with the given database; for tests and tools.
    pub fn with_database(database_url: &str) -> Config {
        Config {
            database_url: database_url.to_string(),
            db_max_connections: 10,
            public_url: "http://127.0.0.1:3000".into(),
            smtp_url: None,
            mail_from: "Gongzhi <noreply@gongzhi.invalid>".into(),
            seed_demo: false,
            trust_forwarded_for: false,
            session_days: 30,
            login_limit_per_account: 5,
            login_limit_per_ip: 30,
            signup_limit_per_ip: 10,
            case_connector: CaseConnector::Builtin,
        }
    }

    /// True when served over https.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The public URL without a trailing slash.
    pub fn public_base(&self) -> String {
        self.public_url.trim_end_matches('/').to_string()
    }
}

/// Secrets (the SMTP URL, a database password) never reach the logs.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field(
                "database_url",
                &gongzhi_domain::db::redact_url(&self.database_url),
            )
            .field("db_max_connections", &self.db_max_connections)
            .field("public_url", &self.public_url)
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "<redacted>"))
            .field("mail_from", &self.mail_from)
            .field("seed_demo", &self.seed_demo)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("session_days", &self.session_days)
            .field("login_limit_per_account", &self.login_limit_per_account)
            .field("login_limit_per_ip", &self.login_limit_per_ip)
            .field("signup_limit_per_ip", &self.signup_limit_per_ip)
            .field("case_connector", &self.case_connector)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let mut c = Config::with_database("postgres://gz:hunter2@db/gongzhi");
        c.smtp_url = Some("smtps://u:mailpass@mail".into());
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("mailpass"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }
}
