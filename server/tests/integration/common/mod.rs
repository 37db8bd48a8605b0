//! The test harness: each test gets a fresh database (SQLite file or a new PostgreSQL
//! database) and a real server on a free port, and talks to it over HTTP.

#![allow(dead_code)]

pub mod process;

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use gongzhi_domain::db::Db;
use gongzhi_server::Config;
use reqwest::header::HeaderMap;
use serde_json::Value;
use tokio::sync::oneshot;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server with a fresh database.
pub struct TestApp {
    pub base: String,
    /// A browser-like client that keeps cookies.
    pub client: reqwest::Client,
    /// Direct access to the same database, for checks the UI does not expose.
    pub db: Db,
    pub backend: Backend,
    stop: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<()>>,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
    /// Where this server keeps photos.
    pub blobs: tempfile::TempDir,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// `TEST_DATABASE_URL` names a PostgreSQL server database that may create databases.
fn pg_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!("TEST_DATABASE_URL is not set: PostgreSQL tests need a postgres:// URL (make test sets it)")
    })
}

fn with_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let prefix = match base.rfind('/') {
        Some(i) if i > base.find("://").map(|j| j + 2).unwrap_or(0) => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        // A request the server never answers fails the test instead of hanging the run.
        .timeout(std::time::Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

impl TestApp {
    /// Starts a server with the default test configuration.
    pub async fn start(backend: Backend) -> TestApp {
        Self::start_with(backend, |_| {}).await
    }

    pub async fn start_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let (url, dir, pg) = fresh_database(backend).await;
        let blobs = tempfile::tempdir().expect("blob dir");
        let mut config = Config::with_database(&url);
        config.blob_store = blobs.path().display().to_string();
        tweak(&mut config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        config.public_url = format!("http://{addr}");
        let (tx, rx) = oneshot::channel::<()>();
        let server_config = config.clone();
        let handle = tokio::spawn(async move {
            gongzhi_server::serve(server_config, listener, async {
                let _ = rx.await;
            })
            .await
            .expect("server failed");
        });
        let base = format!("http://{addr}");
        // Ready when /readyz answers: the server migrated the database before binding routes.
        let client = new_client();
        let mut ready = false;
        for _ in 0..200 {
            if let Ok(r) = client.get(format!("{base}/readyz")).send().await {
                if r.status().is_success() {
                    ready = true;
                    break;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        assert!(ready, "server did not become ready");
        let db = Db::connect(&url, 2).await.expect("test db connection");
        TestApp {
            base,
            client,
            db,
            backend,
            stop: Some(tx),
            handle: Some(handle),
            _dir: dir,
            pg,
            blobs,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Calls a server function with a form body, as the browser's wasm does.
    pub async fn call(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> (u16, Value, HeaderMap) {
        let res = client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value, headers)
    }

    /// Tries to sign in on `client`; returns status, body and headers.
    pub async fn try_log_in(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> (u16, Value, HeaderMap) {
        self.call(
            client,
            "log_in",
            &[("email", email), ("password", password), ("next", "/")],
        )
        .await
    }

    /// The HTML of a page, asked for in `accept_language` (empty: no header).
    pub async fn page(
        &self,
        client: &reqwest::Client,
        path: &str,
        accept_language: &str,
    ) -> String {
        let mut req = client.get(self.url(path));
        if !accept_language.is_empty() {
            req = req.header("accept-language", accept_language);
        }
        req.send()
            .await
            .expect("request")
            .text()
            .await
            .expect("body")
    }

    /// The newest mail sent to `to`, with its body.
    pub async fn last_mail_to(&self, to: &str) -> Option<String> {
        gongzhi_domain::mail::recent(&self.db, 100)
            .await
            .expect("outbox")
            .into_iter()
            .find(|m| m.to_address == to)
            .map(|m| m.body_text)
    }

    /// The token from the newest link of the form `/{kind}/TOKEN` mailed to `to`.
    pub async fn link_token(&self, to: &str, kind: &str) -> String {
        let to = to.trim().to_lowercase();
        let body = self
            .last_mail_to(&to)
            .await
            .unwrap_or_else(|| panic!("no mail to {to}"));
        let marker = format!("/{kind}/");
        let start = body
            .find(&marker)
            .unwrap_or_else(|| panic!("no {kind} link in: {body}"))
            + marker.len();
        body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }

    /// Signs up and activates an account; returns a client signed in as it.
    pub async fn resident(&self, email: &str, name: &str, password: &str) -> reqwest::Client {
        let client = new_client();
        let (status, body, _) = self
            .call(
                &client,
                "sign_up",
                &[
                    ("email", email),
                    ("display_name", name),
                    ("password", password),
                    ("password_confirm", password),
                ],
            )
            .await;
        assert_eq!(status, 200, "sign up failed: {body}");
        let token = self.link_token(email, "activate").await;
        let (status, body, _) = self.call(&client, "activate", &[("token", &token)]).await;
        assert_eq!(status, 200, "activation failed: {body}");
        client
    }

    /// A signed-in admin client (the admin is created as the CLI does).
    pub async fn admin(&self) -> reqwest::Client {
        let svc = self.services();
        gongzhi_domain::accounts::create_admin(
            &svc,
            "root@city.example",
            "Root",
            "correct horse battery",
        )
        .await
        .expect("admin");
        self.logged_in("root@city.example", "correct horse battery")
            .await
    }

    pub async fn logged_in(&self, email: &str, password: &str) -> reqwest::Client {
        let client = new_client();
        let (status, body, _) = self
            .call(
                &client,
                "log_in",
                &[("email", email), ("password", password), ("next", "/me")],
            )
            .await;
        assert_eq!(status, 200, "log in failed: {body}");
        client
    }

    /// Domain services on the test database (mail to the outbox).
    pub fn services(&self) -> gongzhi_domain::Services {
        gongzhi_domain::Services {
            db: self.db.clone(),
            mailer: gongzhi_domain::mail::Mailer::OutboxOnly,
            limits: Default::default(),
            public_url: self.base.clone(),
            session_ttl: chrono::Duration::days(30),
            blobs: gongzhi_domain::blobs::from_config(&self.blobs.path().display().to_string())
                .expect("blob store"),
            reports: Default::default(),
            jobs: Default::default(),
            cases: Default::default(),
            moderation: Default::default(),
            live: Default::default(),
            filing: Default::default(),
            kept: Default::default(),
            catalogue: Default::default(),
        }
    }

    pub async fn me(&self, client: &reqwest::Client) -> Value {
        let (status, body, _) = self.call(client, "me", &[]).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// Stops the server and removes the database.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            let _ = h.await;
        }
        self.db.close().await;
        if let Some((admin_url, name)) = self.pg.take() {
            if let Ok(Db::Postgres(p)) = Db::connect(&admin_url, 1).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .execute(&p)
                    .await;
            }
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// A new, empty database for one test.
pub async fn fresh_database(
    backend: Backend,
) -> (String, Option<tempfile::TempDir>, Option<(String, String)>) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("tempdir");
            let url = format!("sqlite://{}/test.db", dir.path().display());
            (url, Some(dir), None)
        }
        Backend::Postgres => {
            let admin = pg_admin_url();
            let name = format!(
                "gz_t_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst)
            );
            let Db::Postgres(p) = Db::connect(&admin, 1)
                .await
                .expect("PostgreSQL at TEST_DATABASE_URL")
            else {
                panic!("TEST_DATABASE_URL must be a postgres:// URL");
            };
            if !SWEPT.swap(true, Ordering::SeqCst) {
                sweep_leftovers(&p).await;
            }
            sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                .execute(&p)
                .await
                .expect("create test database");
            p.close().await;
            (with_db_name(&admin, &name), None, Some((admin, name)))
        }
    }
}

/// Whether this process has swept up what earlier test runs left behind.
static SWEPT: AtomicBool = AtomicBool::new(false);

/// Drops the test databases of test processes that are gone. A test that fails leaves its
/// database behind (dropping it is the test's last step, and a panic skips it); the
/// process that made it is named in it (`gz_t_<pid>_<n>`), so once that process has
/// ended nothing uses it. Databases of processes still running (another test binary, a
/// second run beside this one) are left alone. Needs `/proc` to tell; without it, nothing
/// is dropped.
async fn sweep_leftovers(admin: &sqlx::PgPool) {
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let names: Vec<String> =
        match sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'gz\\_t\\_%'")
            .fetch_all(admin)
            .await
        {
            Ok(names) => names,
            Err(_) => return,
        };
    for name in names {
        let pid = name
            .strip_prefix("gz_t_")
            .and_then(|rest| rest.split('_').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        let Some(pid) = pid else { continue };
        if std::path::Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .execute(admin)
            .await;
    }
}

/// Removes a PostgreSQL database [`fresh_database`] made (nothing for SQLite).
pub async fn drop_database(pg: Option<(String, String)>) {
    if let Some((admin, name)) = pg {
        if let Ok(Db::Postgres(p)) = Db::connect(&admin, 1).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&p)
                .await;
        }
    }
}

/// Runs a test body with a time limit, so a hang fails with a message instead of
/// blocking the whole run.
pub async fn bounded<F: std::future::Future<Output = ()>>(body: F) {
    if tokio::time::timeout(std::time::Duration::from_secs(120), body)
        .await
        .is_err()
    {
        panic!("the test did not finish within 120 s");
    }
}

/// Another writer that holds up new reports: takes SQLite's write lock now (as another
/// process would), or on PostgreSQL a lock on the reports table that stops inserts, holds
/// it for `hold`, then runs `last` (if any) in its transaction and commits. Await the
/// handle to know the lock is given back.
pub async fn hold_report_writes(
    db: &Db,
    hold: std::time::Duration,
    last: Option<&'static str>,
) -> tokio::task::JoinHandle<()> {
    macro_rules! hold {
        ($pool:expr, $begin:expr) => {{
            let mut c = $pool.acquire().await.expect("connection");
            for sql in $begin {
                sqlx::query(sql).execute(&mut *c).await.expect("lock");
            }
            tokio::spawn(async move {
                tokio::time::sleep(hold).await;
                if let Some(sql) = last {
                    sqlx::query(sql).execute(&mut *c).await.expect(sql);
                }
                sqlx::query("COMMIT")
                    .execute(&mut *c)
                    .await
                    .expect("unlock");
            })
        }};
    }
    match db {
        Db::Sqlite(pool) => hold!(pool, ["BEGIN IMMEDIATE"]),
        Db::Postgres(pool) => hold!(
            pool,
            ["BEGIN", "LOCK TABLE reports IN SHARE ROW EXCLUSIVE MODE"]
        ),
    }
}

/// Declares each test function once and runs it on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::common::TestApp::start($crate::common::Backend::Sqlite).await;
                    $crate::common::bounded(super::$name(&app)).await;
                    app.stop().await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let app = $crate::common::TestApp::start($crate::common::Backend::Postgres).await;
                    $crate::common::bounded(super::$name(&app)).await;
                    app.stop().await;
                }
            }
        )*
    };
}

/// Like [`on_both_backends!`], for tests that start their own servers (with their own
/// configuration): each function takes the backend.
#[macro_export]
macro_rules! on_both_backends_with {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::common::Backend::Sqlite).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::common::Backend::Postgres).await;
                }
            }
        )*
    };
}

/// A demo account, as the domain sees the signed-in user.
pub async fn account(svc: &gongzhi_domain::Services, email: &str) -> gongzhi_domain::model::Me {
    let (id, display_name, role, department_id): (i64, String, String, Option<i64>) = gongzhi_domain::with_db!(&svc.db, p => sqlx::query_as(
        "SELECT id, display_name, role, department_id FROM users WHERE email = $1").bind(email).fetch_one(p).await)
    .unwrap_or_else(|e| panic!("{email}: {e}"));
    gongzhi_domain::model::Me {
        id,
        email: email.into(),
        display_name,
        role: gongzhi_domain::model::Role::parse(&role).expect("role"),
        department_id,
    }
}

impl TestApp {
    /// The services, with the demo city seeded: departments, accounts, catalogue.
    pub async fn demo(&self) -> gongzhi_domain::Services {
        let svc = self.services();
        gongzhi_domain::seed::seed_demo(&svc)
            .await
            .expect("demo data");
        svc
    }
}

/// The local (UTC+8) date `days` from today, as a date input sends it.
pub fn local_day(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8) + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// A `w`×`h` PNG with a gradient: a real picture to decode and re-encode.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

static USERS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// A new activated account with `role` (officials: in `department`), written directly.
pub async fn user(
    svc: &gongzhi_domain::Services,
    name: &str,
    role: gongzhi_domain::model::Role,
    department: Option<i64>,
) -> gongzhi_domain::model::Me {
    let n = USERS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let email = format!("user-{}-{n}@example.org", std::process::id());
    let t = chrono::Utc::now();
    gongzhi_domain::with_db!(&svc.db, p => sqlx::query(
        "INSERT INTO users (email, display_name, password_hash, role, department_id, activated_at, created_at, updated_at) \
         VALUES ($1, $2, 'x', $3, $4, $5, $5, $5)")
        .bind(&email).bind(name).bind(role.as_str()).bind(department).bind(t)
        .execute(p).await.map(|r| r.rows_affected()))
    .expect("user");
    account(svc, &email).await
}

/// A demo department's id, by code.
pub async fn department(svc: &gongzhi_domain::Services, code: &str) -> i64 {
    gongzhi_domain::departments::list(&svc.db)
        .await
        .expect("departments")
        .into_iter()
        .find(|d| d.code == code)
        .expect("department")
        .id
}

/// The field problems of a refusal (panics on any other error).
pub fn problems(e: gongzhi_domain::Error) -> Vec<(String, gongzhi_domain::Problem)> {
    match e {
        gongzhi_domain::Error::Invalid(list) => {
            list.into_iter().map(|f| (f.field, f.problem)).collect()
        }
        other => panic!("expected field problems, got {other:?}"),
    }
}
