//! Cross-site request refusal, refusal of NUL characters, and security headers for every
//! response.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use gongzhi_app::PageNonce;

/// Refuses state-changing requests that a browser says come from another site.
///
/// Browsers send `Sec-Fetch-Site` (and `Origin`) on every POST; a request from another
/// site is refused, so a third-party page cannot act with the user's cookie. Requests with
/// neither header come from non-browser clients, which carry no ambient cookie risk.
pub async fn refuse_cross_site(
    State(public_origin): State<String>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if is_cross_site(req.headers(), &public_origin) {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            "Cross-site request refused / 拒绝跨站请求",
        )
            .into_response();
    }
    next.run(req).await
}

/// The largest URL-encoded body any route takes is 2 MB; this is the most the check below
/// reads (a body over it is refused as too large, as the route would refuse it).
const FORM_SCAN_MAX: usize = 4 * 1024 * 1024;

/// Refuses a request carrying a NUL character in its address or its URL-encoded body,
/// with 400 naming the reason. No form has a use for one, and PostgreSQL cannot store
/// text holding one (it would fail the request with a server error). Open311 paths answer
/// in the Open311 error format of their suffix. Multipart forms lose NULs from their text
/// fields as they are read (`routes::form`).
pub async fn refuse_nul(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let refuse = |path: &str| {
        tracing::info!(%path, "request with a NUL character refused");
        if path.starts_with("/open311/") {
            crate::routes::open311::nul_refused(path)
        } else {
            (
                StatusCode::BAD_REQUEST,
                "A NUL character is not allowed / 请求中含有不允许的空字符",
            )
                .into_response()
        }
    };
    let in_uri = req
        .uri()
        .path_and_query()
        .is_some_and(|pq| has_encoded_nul(pq.as_str().as_bytes()));
    if in_uri {
        return refuse(&path);
    }
    let form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, FORM_SCAN_MAX).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "Request body too large").into_response(),
    };
    if has_encoded_nul(&bytes) || bytes.contains(&0) {
        return refuse(&path);
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

/// True when `raw` holds `%00`, a percent-encoded NUL.
fn has_encoded_nul(raw: &[u8]) -> bool {
    raw.windows(3).any(|w| w == b"%00")
}

fn is_cross_site(headers: &HeaderMap, public_origin: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    if origin == public_origin {
        return false;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
    origin_host.is_empty() || origin_host != host
}

/// What the security headers depend on.
#[derive(Clone, Debug)]
pub struct HeaderConfig {
    /// Served over HTTPS: send `Strict-Transport-Security`.
    pub https: bool,
    /// ` origin` of the map tile server (an allowed image source), or empty.
    pub tiles: String,
}

impl HeaderConfig {
    pub fn new(https: bool, tile_url: &str) -> HeaderConfig {
        HeaderConfig {
            https,
            tiles: tile_origin(tile_url),
        }
    }
}

/// The Content-Security-Policy of an HTML page: only our own scripts and the inline
/// hydration scripts carrying this response's nonce; images also from the tile server.
fn page_csp(nonce: &str, tiles: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: blob:{tiles}; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Adds the security headers to every response.
///
/// Each request gets a fresh nonce in its extensions ([`PageNonce`]); the app puts it on
/// its inline scripts, and here every HTML response gets the page policy naming it. This
/// middleware is the one place the policy is written: a header set from inside the render
/// now and then missed a response, and the page, held to the plain `default-src 'self'`,
/// never hydrated. Everything that is not HTML gets that strict default.
pub async fn security_headers(
    State(config): State<HeaderConfig>,
    mut req: Request,
    next: Next,
) -> Response {
    let is_pkg = req.uri().path().starts_with("/pkg/");
    let nonce = gongzhi_domain::accounts::tokens::new_token()[..22].to_string();
    req.extensions_mut().insert(PageNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let is_html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        if let Ok(v) = HeaderValue::from_str(&page_csp(&nonce, &config.tiles)) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    let set = |h: &mut HeaderMap, name: &'static str, value: &'static str| {
        if !h.contains_key(name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set(
        h,
        "content-security-policy",
        "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "strict-origin-when-cross-origin");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(
        h,
        "permissions-policy",
        "geolocation=(self), camera=(self), microphone=(), payment=()",
    );
    if config.https {
        set(
            h,
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        );
    }
    // Built assets have content hashes in their names, so they never change.
    if is_pkg && res.status() == StatusCode::OK {
        set(
            res.headers_mut(),
            "cache-control",
            "public, max-age=31536000, immutable",
        );
    }
    res
}

/// ` origin` of a tile URL template for the CSP (a `{s}.` subdomain becomes `*.`), or empty.
fn tile_origin(url: &str) -> String {
    let Some(i) = url.find("://") else {
        return String::new();
    };
    let end = url[i + 3..]
        .find('/')
        .map(|j| i + 3 + j)
        .unwrap_or(url.len());
    let origin = url[..end].replace("{s}.", "*.");
    if origin
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ":/.-*".contains(c))
    {
        format!(" {origin}")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_detection() {
        let o = "http://127.0.0.1:3000";
        assert!(!is_cross_site(
            &headers(&[("sec-fetch-site", "same-origin")]),
            o
        ));
        assert!(is_cross_site(
            &headers(&[("sec-fetch-site", "cross-site")]),
            o
        ));
        assert!(is_cross_site(
            &headers(&[("sec-fetch-site", "same-site")]),
            o
        ));
        assert!(!is_cross_site(
            &headers(&[("origin", "http://127.0.0.1:3000")]),
            o
        ));
        assert!(!is_cross_site(
            &headers(&[
                ("origin", "http://localhost:4000"),
                ("host", "localhost:4000")
            ]),
            o
        ));
        assert!(is_cross_site(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ]),
            o
        ));
        assert!(is_cross_site(
            &headers(&[("origin", "null"), ("host", "127.0.0.1:3000")]),
            o
        ));
        assert!(!is_cross_site(&headers(&[]), o));
    }

    #[test]
    fn tile_hosts_are_allowed_as_image_sources() {
        assert_eq!(
            tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            " https://tile.openstreetmap.org"
        );
        assert_eq!(
            tile_origin("https://{s}.tiles.example.cn/{z}/{x}/{y}.png"),
            " https://*.tiles.example.cn"
        );
        assert_eq!(tile_origin(""), "");
        assert_eq!(
            tile_origin("https://a.example/'unsafe-inline'/x"),
            " https://a.example"
        );
        assert_eq!(tile_origin("https://a b;c/x"), "");
    }

    #[test]
    fn the_page_policy_names_the_nonce_and_the_tiles() {
        let csp = page_csp("abc123", " https://tile.example");
        assert!(csp.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(csp.contains("img-src 'self' data: blob: https://tile.example;"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
