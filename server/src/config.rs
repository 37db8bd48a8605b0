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

    /// New reports allowed per client address per hour (anonymous reports count here).
    #[arg(long, env = "GONGZHI_REPORT_LIMIT_PER_IP", default_value_t = 30)]
    pub report_limit_per_ip: u32,

    /// New reports allowed per account per hour.
    #[arg(long, env = "GONGZHI_REPORT_LIMIT_PER_ACCOUNT", default_value_t = 20)]
    pub report_limit_per_account: u32,

    /// The case system that receives reports.
    #[arg(long, env = "GONGZHI_CASE_CONNECTOR", value_enum, default_value_t = CaseConnector::Builtin)]
    pub case_connector: CaseConnector,

    /// The Open311 connector: the case system's GeoReport v2 base URL, e.g.
    /// `https://cases.example.gov.cn/open311/v2`.
    #[arg(long, env = "GONGZHI_OPEN311_URL", default_value = "")]
    pub open311_url: String,

    /// The Open311 connector's api_key.
    #[arg(long, env = "GONGZHI_OPEN311_API_KEY", default_value = "")]
    pub open311_api_key: String,

    /// The Open311 connector's jurisdiction_id (sent when set).
    #[arg(long, env = "GONGZHI_OPEN311_JURISDICTION", default_value = "")]
    pub open311_jurisdiction: String,

    /// Our category codes mapped to the case system's service codes: `ours=theirs,...`.
    /// Codes not listed are sent as they are.
    #[arg(long, env = "GONGZHI_OPEN311_SERVICE_MAP", default_value = "")]
    pub open311_service_map: String,

    /// Seconds to wait for the case system before trying again later.
    #[arg(long, env = "GONGZHI_OPEN311_TIMEOUT_SECONDS", default_value_t = 15)]
    pub open311_timeout_seconds: u64,

    /// How often the case system is asked for status updates, in seconds.
    #[arg(long, env = "GONGZHI_OPEN311_POLL_SECONDS", default_value_t = 60)]
    pub open311_poll_seconds: u64,

    /// How long a rendered Open311 request list may be reused while no report changed, in
    /// seconds (0: never). Changes to reports show at once whatever this is; it bounds how
    /// long a renamed category or a deleted report may still show in a list.
    #[arg(long, env = "GONGZHI_OPEN311_LIST_CACHE_SECONDS", default_value_t = 5)]
    pub open311_list_cache_seconds: u64,

    /// This instance's name in the reference sent with each report (`NAME:report id`), so
    /// the case system can tell a retry from a new report.
    #[arg(long, env = "GONGZHI_OPEN311_REF_PREFIX", default_value = "gongzhi")]
    pub open311_ref_prefix: String,

    /// The shared secret a case system signs its pushes to `/hooks/case-updates` with
    /// (HMAC-SHA256). Unset, the webhook is off.
    #[arg(long, env = "GONGZHI_WEBHOOK_SECRET", default_value = "")]
    pub webhook_secret: String,

    /// Run the job runner in this instance (forwarding, mail). Several instances may run
    /// it; they never take the same job.
    #[arg(long, env = "GONGZHI_JOB_RUNNER", default_value_t = true, action = clap::ArgAction::Set)]
    pub job_runner: bool,

    /// Tries before a failing job is dead-lettered for an admin.
    #[arg(long, env = "GONGZHI_JOB_MAX_ATTEMPTS", default_value_t = 10)]
    pub job_max_attempts: i64,

    /// The wait after a job's first failure, in milliseconds; it doubles with each failure
    /// (with jitter) up to an hour.
    #[arg(long, env = "GONGZHI_JOB_BACKOFF_MS", default_value_t = 5000)]
    pub job_backoff_ms: i64,

    /// How long a runner's claim on a job lasts, in seconds. A live runner renews its
    /// claims every third of it; the jobs of one that died are taken up again after it.
    #[arg(long, env = "GONGZHI_JOB_LEASE_SECONDS", default_value_t = 30)]
    pub job_lease_seconds: i64,

    /// Where photos are stored: a directory (default `data/blobs`), or an S3-compatible
    /// bucket as `s3://ACCESS_KEY:SECRET@host[:port]/bucket?region=..&path_style=true`.
    #[arg(long, env = "GONGZHI_BLOB_STORE", default_value = "data/blobs")]
    pub blob_store: String,

    /// Residents may report without an account (they get a tracking code).
    #[arg(long, env = "GONGZHI_ALLOW_ANONYMOUS", default_value_t = true, action = clap::ArgAction::Set)]
    pub allow_anonymous: bool,

    /// Open reports of the same category within this many metres are offered as duplicates.
    #[arg(long, env = "GONGZHI_DUPLICATE_RADIUS_M", default_value_t = 50.0)]
    pub duplicate_radius_m: f64,

    /// The largest photo accepted, in megabytes.
    #[arg(long, env = "GONGZHI_MAX_PHOTO_MB", default_value_t = 10)]
    pub max_photo_mb: usize,

    /// A report outside every grid goes to this grid (by code); unset, it is refused.
    #[arg(long, env = "GONGZHI_DEFAULT_GRID")]
    pub default_grid: Option<String>,

    /// The city's offset from UTC in minutes (480 for China), for dates in filters.
    #[arg(long, env = "GONGZHI_UTC_OFFSET_MINUTES", default_value_t = 480)]
    pub utc_offset_minutes: i32,

    /// Working days a department has to rectify (整改) what a poor rating sent back.
    #[arg(long, env = "GONGZHI_RECTIFY_DAYS", default_value_t = 15)]
    pub rectify_days: i64,

    /// Map tiles, e.g. `https://tile.openstreetmap.org/{z}/{x}/{y}.png`. Unset, maps show the
    /// grids and pins on a plain background (the form works either way).
    #[arg(long, env = "GONGZHI_MAP_TILE_URL", default_value = "")]
    pub map_tile_url: String,

    /// The attribution the tile provider requires, shown on every map.
    #[arg(long, env = "GONGZHI_MAP_ATTRIBUTION", default_value = "")]
    pub map_attribution: String,

    /// The licence open data is published under, shown on /open-data and written into
    /// every JSON and GeoJSON download.
    #[arg(
        long,
        env = "GONGZHI_DATA_LICENCE",
        default_value = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
    )]
    pub data_licence: String,

    /// Residents' flags at which content is held for review automatically.
    #[arg(long, env = "GONGZHI_FLAGS_TO_HOLD", default_value_t = 3)]
    pub flags_to_hold: i64,

    /// Hold the first posts (comments, proposals) of every new account for review.
    #[arg(long, env = "GONGZHI_HOLD_NEW_ACCOUNTS", default_value_t = false, action = clap::ArgAction::Set)]
    pub hold_new_accounts: bool,

    /// How many first posts of a new account are held, when that is on.
    #[arg(long, env = "GONGZHI_NEW_ACCOUNT_POSTS", default_value_t = 3)]
    pub new_account_posts: i64,
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
            report_limit_per_ip: 30,
            report_limit_per_account: 20,
            case_connector: CaseConnector::Builtin,
            open311_url: String::new(),
            open311_api_key: String::new(),
            open311_jurisdiction: String::new(),
            open311_service_map: String::new(),
            open311_timeout_seconds: 15,
            open311_poll_seconds: 60,
            open311_list_cache_seconds: 5,
            open311_ref_prefix: "gongzhi".into(),
            webhook_secret: String::new(),
            job_runner: true,
            job_max_attempts: 10,
            job_backoff_ms: 5000,
            job_lease_seconds: 30,
            blob_store: "data/blobs".into(),
            allow_anonymous: true,
            duplicate_radius_m: 50.0,
            max_photo_mb: 10,
            default_grid: None,
            utc_offset_minutes: 480,
            rectify_days: 15,
            map_tile_url: String::new(),
            map_attribution: String::new(),
            data_licence: "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)".into(),
            flags_to_hold: 3,
            hold_new_accounts: false,
            new_account_posts: 3,
        }
    }

    /// True when served over https.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The case system, as configured; a missing or bad setting is named.
    pub fn case_system(&self) -> Result<gongzhi_domain::cases::CaseSystem, String> {
        use gongzhi_domain::cases::{open311, CaseSystem};
        match self.case_connector {
            CaseConnector::Builtin => Ok(CaseSystem::Builtin),
            CaseConnector::Open311 => {
                if self.open311_url.trim().is_empty() {
                    return Err("GONGZHI_CASE_CONNECTOR=open311 needs GONGZHI_OPEN311_URL".into());
                }
                if self.open311_api_key.trim().is_empty() {
                    return Err(
                        "GONGZHI_CASE_CONNECTOR=open311 needs GONGZHI_OPEN311_API_KEY".into(),
                    );
                }
                let map = open311::parse_service_map(&self.open311_service_map)
                    .map_err(|e| format!("GONGZHI_OPEN311_SERVICE_MAP: {e}"))?;
                let mut target = open311::Target::new(
                    &self.open311_url,
                    self.open311_api_key.trim(),
                    &self.open311_jurisdiction,
                    map,
                    std::time::Duration::from_secs(self.open311_timeout_seconds.clamp(1, 300)),
                )
                .map_err(|e| format!("GONGZHI_OPEN311_URL: {e}"))?;
                target.ref_prefix = self.open311_ref_prefix.trim().to_string();
                target.poll_interval =
                    std::time::Duration::from_secs(self.open311_poll_seconds.clamp(1, 86_400));
                Ok(CaseSystem::Open311(target))
            }
        }
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
            .field("report_limit_per_ip", &self.report_limit_per_ip)
            .field("report_limit_per_account", &self.report_limit_per_account)
            .field("case_connector", &self.case_connector)
            .field("open311_url", &self.open311_url)
            .field(
                "open311_api_key",
                &(!self.open311_api_key.is_empty()).then_some("<redacted>"),
            )
            .field("open311_jurisdiction", &self.open311_jurisdiction)
            .field("open311_service_map", &self.open311_service_map)
            .field("open311_timeout_seconds", &self.open311_timeout_seconds)
            .field("open311_poll_seconds", &self.open311_poll_seconds)
            .field(
                "open311_list_cache_seconds",
                &self.open311_list_cache_seconds,
            )
            .field("open311_ref_prefix", &self.open311_ref_prefix)
            .field(
                "webhook_secret",
                &(!self.webhook_secret.is_empty()).then_some("<redacted>"),
            )
            .field("job_runner", &self.job_runner)
            .field("job_max_attempts", &self.job_max_attempts)
            .field("job_backoff_ms", &self.job_backoff_ms)
            .field("job_lease_seconds", &self.job_lease_seconds)
            .field("blob_store", &redact_blob_store(&self.blob_store))
            .field("allow_anonymous", &self.allow_anonymous)
            .field("duplicate_radius_m", &self.duplicate_radius_m)
            .field("max_photo_mb", &self.max_photo_mb)
            .field("default_grid", &self.default_grid)
            .field("utc_offset_minutes", &self.utc_offset_minutes)
            .field("rectify_days", &self.rectify_days)
            .field("map_tile_url", &self.map_tile_url)
            .field("map_attribution", &self.map_attribution)
            .field("data_licence", &self.data_licence)
            .field("flags_to_hold", &self.flags_to_hold)
            .field("hold_new_accounts", &self.hold_new_accounts)
            .field("new_account_posts", &self.new_account_posts)
            .finish()
    }
}

/// An S3 URL without its secret key.
fn redact_blob_store(s: &str) -> String {
    if s.starts_with("s3://") {
        gongzhi_domain::db::redact_url(s)
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let mut c = Config::with_database("postgres://gz:hunter2@db/gongzhi");
        c.smtp_url = Some("smtps://u:mailpass@mail".into());
        c.blob_store = "s3://AKID:blobsecret@minio:9000/photos".into();
        c.open311_api_key = "casekey".into();
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("mailpass"), "{shown}");
        assert!(!shown.contains("blobsecret"), "{shown}");
        assert!(!shown.contains("casekey"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }
}
