//! What server functions get from the server (server side only).

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use gongzhi_domain::model::Me;
use gongzhi_domain::Services;
use http::header::{HeaderValue, COOKIE, SET_COOKIE, USER_AGENT};
use http::request::Parts;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use crate::error::AppError;

/// The server's shared state: built once in `gongzhi serve`, cloned into axum handlers and
/// provided as context to every server function and page render.
#[derive(Clone, Debug)]
pub struct AppState {
    pub svc: Services,
    /// Mark cookies `Secure` (the public URL is https).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Whether outgoing mail really leaves (SMTP configured) or stays in the outbox.
    pub smtp_configured: bool,
    /// Map tiles for Leaflet.
    pub map: MapConfig,
    /// The licence of open data.
    pub data_licence: String,
}

/// Map tiles, from config; an empty URL means no tiles.
#[derive(Clone, Debug, Default)]
pub struct MapConfig {
    pub tile_url: String,
    pub attribution: String,
}

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "gz_session";

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

fn parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or(AppError::Internal)
}

/// A cookie's value from a request's `Cookie` headers.
pub fn cookie_from(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The session token the browser sent, if any.
pub fn session_token() -> Option<String> {
    parts()
        .ok()
        .and_then(|p| cookie_from(&p.headers, SESSION_COOKIE))
}

/// The signed-in user, if any. An unknown or expired session counts as signed out.
pub async fn current_user() -> Result<Option<Me>, AppError> {
    let Some(token) = session_token() else {
        return Ok(None);
    };
    let st = state()?;
    Ok(gongzhi_domain::accounts::sessions::user(&st.svc.db, &token).await?)
}

/// The signed-in user, or [`AppError::Unauthenticated`].
pub async fn require_user() -> Result<Me, AppError> {
    current_user().await?.ok_or(AppError::Unauthenticated)
}

/// The client's IP address, for rate limits.
pub fn client_ip() -> String {
    let Ok(p) = parts() else {
        return "unknown".into();
    };
    let trust = use_context::<AppState>().is_some_and(|s| s.trust_forwarded_for);
    if trust {
        if let Some(ip) = p
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return ip.trim().to_string();
        }
    }
    p.extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub fn user_agent() -> Option<String> {
    parts()
        .ok()?
        .headers
        .get(USER_AGENT)?
        .to_str()
        .ok()
        .map(str::to_string)
}

fn set_cookie(value: String) {
    if let (Some(res), Ok(v)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&value),
    ) {
        res.append_header(SET_COOKIE, v);
    }
}

/// Sets the session cookie: HttpOnly, SameSite=Lax, Secure over https.
pub fn set_session_cookie(token: &str, max_age_secs: i64) {
    let secure = use_context::<AppState>().is_some_and(|s| s.secure_cookies);
    set_cookie(format!(
        "{SESSION_COOKIE}={token}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    ));
}

pub fn clear_session_cookie() {
    let secure = use_context::<AppState>().is_some_and(|s| s.secure_cookies);
    set_cookie(format!(
        "{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    ));
}

/// Starts the session in the browser after a sign-in.
pub fn start_session(token: &str) -> Result<(), AppError> {
    let ttl = state()?.svc.session_ttl.num_seconds();
    set_session_cookie(token, ttl);
    Ok(())
}

/// The cookie that carries what was typed into a form posted without wasm.
pub const TYPED_COOKIE: &str = "gz_typed";

/// True for a plain HTML form post (no wasm): the browser wants a page back.
fn is_plain_form_post() -> bool {
    parts().ok().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// For a form posted without wasm: keeps what was typed (never a password) in a
/// one-minute HttpOnly cookie, so that when the form comes back with problems its fields
/// are filled in again. Forms handled by wasm keep their values in the page already.
/// Field names are written as they are (`attributes[0][code]` too); values are escaped.
pub fn keep_typed(fields: &[(&str, &str)]) {
    if !is_plain_form_post() {
        return;
    }
    // Browsers drop a cookie over 4 KB whole: keep the fields that fit, in order.
    const BUDGET: usize = 3800;
    let mut value = String::new();
    for (k, v) in fields {
        let pair = format!("{k}={}", crate::util::query_escape(v));
        if value.len() + pair.len() + 1 > BUDGET {
            continue;
        }
        if !value.is_empty() {
            value.push('&');
        }
        value.push_str(&pair);
    }
    set_cookie(format!(
        "{TYPED_COOKIE}={value}; Path=/; Max-Age=60; HttpOnly; SameSite=Lax"
    ));
}

/// What was typed into field `name` of the form posted last, if it came back.
pub fn typed_value(name: &str) -> Option<String> {
    let p = parts().ok()?;
    let cookie = cookie_from(&p.headers, TYPED_COOKIE)?;
    cookie
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| crate::util::query_unescape(v))
}

/// A request a server function could not read is the caller's mistake, not the server's:
/// missing or malformed arguments answer 400, a body over the limit 413 (instead of the
/// blanket 500). A plain HTML form post keeps the redirect back to its page.
pub fn unreadable_request_status(e: &leptos::server_fn::error::ServerFnErrorErr) {
    use leptos::server_fn::error::ServerFnErrorErr as E;
    let status = match e {
        E::Deserialization(m) | E::Args(m) if m.contains("length limit exceeded") => {
            http::StatusCode::PAYLOAD_TOO_LARGE
        }
        E::Deserialization(_) | E::Args(_) | E::MissingArg(_) => http::StatusCode::BAD_REQUEST,
        _ => return,
    };
    if is_plain_form_post() {
        return;
    }
    if let Some(res) = use_context::<ResponseOptions>() {
        res.set_status(status);
    }
}

/// Gives a failed server function the HTTP status of its error (422, 401, 403, 429, …)
/// instead of a blanket 500, so API clients and logs see what happened. A plain HTML form
/// post (no wasm) keeps the redirect back to its page, which carries the error.
pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    let plain_form = is_plain_form_post();
    if let (Err(e), false) = (&result, plain_form) {
        if let Some(res) = use_context::<ResponseOptions>() {
            res.set_status(e.status());
        }
    }
    // Done with a form posted without wasm: forget what was typed.
    if result.is_ok() && plain_form {
        set_cookie(format!(
            "{TYPED_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
        ));
    }
    result
}
