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

use crate::i18n::Lang;
use crate::pages::*;

/// The HTML document around the app (server side).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = page_lang();
    let hydrate = !served_without_wasm();
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag() data-utc-offset=util::offset_minutes().to_string()>
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
/// report pages and the report form, the paths residents use most, deliberation, questions
/// to departments and the case back office, so they are fast on cheap phones and slow networks (their forms
/// are plain forms that need no wasm). Links
/// to them from hydrated pages are `rel="external"` so the client-side router does a full
/// page load.
pub const PAGES_WITHOUT_WASM: &[&str] = &[
    "/reports",
    "/track",
    "/cases",
    "/deliberation",
    "/proposals",
    "/moderation",
    "/ask",
    "/questions",
    "/departments",
    "/admin/deadlines",
    "/live",
    "/services",
    "/results",
    "/open-data",
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

/// The nonce the server minted for one request's Content-Security-Policy. The security
/// middleware (`server/src/security.rs`) puts it in the request's extensions and writes
/// every HTML response's policy from it, so the header and the page never disagree.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct PageNonce(pub String);

/// Makes the page's inline scripts carry the request's [`PageNonce`]. The server calls this
/// when it sets up each page's context (routes and the 404 page), after Leptos has provided
/// the request and its own random nonce, which this one replaces.
#[cfg(feature = "ssr")]
pub fn use_request_nonce() {
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
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
                    <Route path=path!("/moderation") view=ModerationQueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/moderation/log") view=ModerationLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/moderation/settings") view=ModerationSettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/ask") view=QuestionListPage ssr=SsrMode::Async/>
                    <Route path=path!("/ask/new") view=AskPage ssr=SsrMode::Async/>
                    <Route path=path!("/questions/:id") view=QuestionPage ssr=SsrMode::Async/>
                    <Route path=path!("/departments") view=DepartmentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/departments/:code") view=DepartmentPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/deadlines") view=AdminDeadlinesPage ssr=SsrMode::Async/>
                    <Route path=path!("/live") view=LiveListPage ssr=SsrMode::Async/>
                    <Route path=path!("/live/:id") view=LivePage ssr=SsrMode::Async/>
                    <Route path=path!("/services") view=ServicesPage ssr=SsrMode::Async/>
                    <Route path=path!("/services/:code") view=ServicePage ssr=SsrMode::Async/>
                    <Route path=path!("/results") view=ResultsPage ssr=SsrMode::Async/>
                    <Route path=path!("/results/ratings") view=RatingsListPage ssr=SsrMode::Async/>
                    <Route path=path!("/results/rectifications") view=RectificationsListPage ssr=SsrMode::Async/>
                    <Route path=path!("/open-data") view=OpenDataPage ssr=SsrMode::Async/>
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
}
