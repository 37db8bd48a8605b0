//! Cross-site request refusal and security headers for every response.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

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

/// Adds the security headers. Pages set their own Content-Security-Policy (with the
/// nonce of their inline hydration script); everything else gets a strict default.
pub async fn security_headers(State(https): State<bool>, req: Request, next: Next) -> Response {
    let is_pkg = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
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
    if https {
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
}
