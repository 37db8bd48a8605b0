//! Real `gongzhi serve` processes for tests that start, stop, kill and restart servers
//! (chained instances, crash safety): the binary cargo built for these tests, each with the
//! demo city and its own settings.

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::process::{Child, Command};

use super::new_client;

/// A free port on loopback (bound, then released for the server to take).
pub async fn free_port() -> u16 {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    l.local_addr().expect("addr").port()
}

/// A `gongzhi serve` process with the demo city and extra settings.
pub struct Instance {
    pub base: String,
    pub port: u16,
    pub child: Child,
    _dir: tempfile::TempDir,
}

impl Instance {
    pub async fn start(database_url: &str, env: &[(&str, String)]) -> Instance {
        Self::start_on(free_port().await, database_url, env).await
    }

    /// Starts on a given port (a restart where others expect it).
    pub async fn start_on(port: u16, database_url: &str, env: &[(&str, String)]) -> Instance {
        let dir = tempfile::tempdir().expect("dir");
        let base = format!("http://127.0.0.1:{port}");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongzhi"));
        cmd.arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_OUTPUT_NAME", "gongzhi")
            .env("GONGZHI_PUBLIC_URL", &base)
            .env("GONGZHI_SEED_DEMO", "true")
            .env("GONGZHI_BLOB_STORE", dir.path().join("blobs"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .kill_on_drop(true);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start gongzhi");
        let client = new_client();
        let mut ready = false;
        for _ in 0..400 {
            if let Ok(r) = client.get(format!("{base}/readyz")).send().await {
                if r.status().is_success() {
                    ready = true;
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(ready, "{base} did not become ready");
        Instance {
            base,
            port,
            child,
            _dir: dir,
        }
    }

    /// Calls a server function as the signed-in `client`.
    pub async fn call(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> (u16, Value) {
        let res = client
            .post(format!("{}/api/{endpoint}", self.base))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("server function");
        let status = res.status().as_u16();
        let text = res.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn log_in(&self, email: &str, password: &str) -> reqwest::Client {
        let c = new_client();
        let (status, body) = self
            .call(
                &c,
                "log_in",
                &[("email", email), ("password", password), ("next", "/")],
            )
            .await;
        assert_eq!(status, 200, "log in to {}: {body}", self.base);
        c
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// Issues an Open311 API key named `name` on `b`, as its (demo) admin does for a
/// resident-facing instance that forwards to it.
pub async fn issue_key(b: &Instance, name: &str) -> String {
    let admin = b.log_in("admin@demo.gongzhi.org", "admin-demo-2026").await;
    let (status, issued) = b
        .call(&admin, "admin_issue_api_key", &[("name", name)])
        .await;
    assert_eq!(status, 200, "{issued}");
    issued["key"].as_str().expect("the new key").to_string()
}

/// The report form as a resident's browser posts it: graffiti at a point inside the demo
/// city's grids, with its one-time `token`.
pub fn graffiti_form(token: String, description: String) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("submit_token", token)
        .text("category", "graffiti")
        .text("lat", "22.8172")
        .text("lon", "108.3661")
        .text("description", description)
}

/// Waits until every report in `db` has reached the case system (60 s at most).
pub async fn until_all_sent(db: &gongzhi_domain::db::Db) {
    waiting_for(
        "every report to be sent",
        Duration::from_secs(60),
        || async {
            let waiting: i64 = gongzhi_domain::with_db!(db, p => sqlx::query_scalar(
            "SELECT count(*) FROM reports WHERE forward_state <> 'sent'").fetch_one(p).await)
            .expect("count");
            (waiting == 0).then_some(())
        },
    )
    .await;
}

/// Polls `probe` every 25 ms until it gives a value; fails the test after `limit`.
pub async fn waiting_for<T, F, Fut>(what: &str, limit: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(
            start.elapsed() < limit,
            "gave up waiting for {what} after {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
