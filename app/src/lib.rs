//! Gongzhi's user interface, rendered on the server and hydrated in the browser.
#![recursion_limit = "256"]

pub mod api;
pub mod auth;
pub mod components;
pub mod error;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod state;
pub mod util;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::i18n::{msg, Lang};
use crate::pages::*;

/// The HTML document around the app (server side).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = page_lang();
    let hydrate = !served_without_wasm();
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0f5f4f"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                {hydrate.then(|| view! { <HydrationScripts options/> })}
                // Small progressive enhancements that need no wasm (maps, the report form).
                <script type="module" src="/js/gongzhi.js"></script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Areas served as plain HTML plus a small script, without the wasm bundle: the public
/// report pages and the report form, the paths residents use most, and deliberation and
/// the case back office, so they are fast on cheap phones and slow networks (their forms
/// are plain forms that need no wasm). Links
/// to them from hydrated pages are `rel="external"` so the client-side router does a full
/// page load.
pub const PAGES_WITHOUT_WASM: &[&str] = &[
    "/reports",
    "/track",
    "/cases",
    "/deliberation",
    "/proposals",
];

/// True for a path in [`PAGES_WITHOUT_WASM`].
pub fn is_plain_page(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    PAGES_WITHOUT_WASM.iter().any(|p| {
        path == *p
            || path
                .strip_prefix(p)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

fn served_without_wasm() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().is_some_and(|p| is_plain_page(p.uri.path()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// The page's language: on the server from the `lang` cookie, else `Accept-Language`, else
/// Chinese; in the browser from `<html lang>`, which the server wrote.
fn page_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|p| request_lang(&p.headers))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"))
                .and_then(|l| Lang::from_tag(&l))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Lang::default()
        }
    }
}

/// The language a request asks for.
#[cfg(feature = "ssr")]
pub fn request_lang(headers: &http::HeaderMap) -> Lang {
    state::cookie_from(headers, i18n::LANG_COOKIE)
        .and_then(|c| Lang::from_tag(&c))
        .or_else(|| {
            headers
                .get(http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// The Content-Security-Policy of an HTML page allows only our own scripts and the
/// per-response nonce that Leptos puts on its inline hydration scripts.
///
/// The server calls this when it sets up each page's context (routes and the 404 page),
/// before anything renders: set from the shell instead, the header now and then missed the
/// response (the security middleware's plain `default-src 'self'` then blocked the
/// hydration scripts, and the page never hydrated).
#[cfg(feature = "ssr")]
pub fn set_page_security_headers() {
    use http::header::{HeaderName, HeaderValue};
    let Some(res) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let nonce = leptos::nonce::use_nonce()
        .map(|n| n.to_string())
        .unwrap_or_default();
    // Map tiles come from the configured tile server, if any.
    let tiles = use_context::<state::AppState>()
        .map(|s| tile_origin(&s.map.tile_url))
        .unwrap_or_default();
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: blob:{tiles}; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        res.insert_header(HeaderName::from_static("content-security-policy"), v);
    }
}

/// ` origin` of a tile URL template for the CSP (a `{s}.` subdomain becomes `*.`), or empty.
#[cfg(feature = "ssr")]
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

/// The app: routes and the context every page uses.
///
/// Pages render with `SsrMode::Async`: the server waits for the page's data and sends
/// it complete, so it reads and works without wasm (cheap phones, bad networks).
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(page_lang());
    auth::provide_auth();
    // Tells end-to-end tests (and curious people) that the page is interactive now.
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Title formatter=|text: String| {
            if text.is_empty() { "共治 Gongzhi".to_string() } else { format!("{text} · 共治 Gongzhi") }
        }/>
        <Router>
            <components::layout::Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/signup") view=SignUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/activate/:token") view=ActivatePage ssr=SsrMode::Async/>
                    <Route path=path!("/reset") view=ResetRequestPage ssr=SsrMode::Async/>
                    <Route path=path!("/reset/:token") view=ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/me") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view=AdminUsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/outbox") view=AdminOutboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/reports") view=ReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/reports/new") view=NewReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/reports/map") view=ReportsMapPage ssr=SsrMode::Async/>
                    <Route path=path!("/reports/:id") view=ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/track") view=TrackFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/track/:code") view=TrackPage ssr=SsrMode::Async/>
                    <Route path=path!("/me/reports") view=MyReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/me/notifications") view=NotificationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/categories") view=AdminCategoriesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/categories/new") view=AdminCategoryEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/categories/:id") view=AdminCategoryEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/grids") view=AdminGridsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/departments") view=AdminDepartmentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/jobs") view=AdminJobsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/api-keys") view=AdminApiKeysPage ssr=SsrMode::Async/>
                    <Route path=path!("/cases") view=CaseInboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:id") view=CaseWorkPage ssr=SsrMode::Async/>
                    <Route path=path!("/deliberation") view=ProcessListPage ssr=SsrMode::Async/>
                    <Route path=path!("/deliberation/new") view=ProcessFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/deliberation/:id") view=ProcessPage ssr=SsrMode::Async/>
                    <Route path=path!("/deliberation/:id/edit") view=ProcessFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/proposals/:id") view=ProposalPage ssr=SsrMode::Async/>
                    <Route path=path!("/ask") view=|| view! { <ComingSoon title=msg::NAV_ASK/> } ssr=SsrMode::Async/>
                    <Route path=path!("/results") view=|| view! { <ComingSoon title=msg::NAV_RESULTS/> } ssr=SsrMode::Async/>
                </Routes>
            </components::layout::Layout>
        </Router>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn report_areas_are_plain_pages() {
        for p in [
            "/reports",
            "/reports/new",
            "/reports/12",
            "/reports/map?category=noise",
            "/track",
            "/track/ABCD",
            "/cases",
            "/cases/7?draft=x",
        ] {
            assert!(super::is_plain_page(p), "{p}");
        }
        for p in ["/", "/me/reports", "/reportsx", "/me", "/admin/categories"] {
            assert!(!super::is_plain_page(p), "{p}");
        }
    }

    #[test]
    fn tile_hosts_are_allowed_as_image_sources() {
        assert_eq!(
            super::tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            " https://tile.openstreetmap.org"
        );
        assert_eq!(
            super::tile_origin("https://{s}.tiles.example.cn/{z}/{x}/{y}.png"),
            " https://*.tiles.example.cn"
        );
        assert_eq!(super::tile_origin(""), "");
        assert_eq!(
            super::tile_origin("https://a.example/'unsafe-inline'/x"),
            " https://a.example"
        );
        assert_eq!(super::tile_origin("https://a b;c/x"), "");
    }
}
