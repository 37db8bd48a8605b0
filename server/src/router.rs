//! The axum router: the Leptos app and its server functions, plain routes, static files,
//! and the security layers around all of them.

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use gongzhi_app::state::AppState;
use gongzhi_app::{shell, App};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;

use crate::config::Config;
use crate::routes;
use crate::security;

/// The Leptos options: from the `LEPTOS_*` variables cargo-leptos sets, with our defaults.
pub fn leptos_options() -> LeptosOptions {
    let mut options = get_configuration(None)
        .map(|c| c.leptos_options)
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "LEPTOS_* configuration unreadable; using defaults");
            LeptosOptions::builder().output_name("gongzhi").build()
        });
    if options.output_name.is_empty() {
        options.output_name = "gongzhi".into();
    }
    // cargo-leptos writes hash.txt next to the binary when asset names carry hashes.
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        let beside_exe = std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(|d| d.join(&*options.hash_file)));
        options.hash_files = beside_exe.is_some_and(|p| p.exists());
    }
    options
}

/// The app's routes, listed once per process. Listing runs the app with resource loading
/// suppressed by a process-wide flag (leptos_server's `SuppressResourceLoad`): a resource
/// first polled while that flag is up never resolves, so a second listing while another
/// router already serves (tests start many servers in one process) could hang a page
/// forever. Listing once, before any router exists, keeps that window closed.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn build(config: &Config, state: AppState) -> Router {
    let options = leptos_options();
    let routes = routes();

    let leptos_state = state.clone();
    let fallback_state = state.clone();
    // Static files (precompressed .br/.gz copies are preferred) or, for anything else,
    // the app's own 404 page.
    let fallback = leptos_axum::file_and_error_handler_with_context::<LeptosOptions, _>(
        move || {
            provide_context(fallback_state.clone());
            gongzhi_app::use_request_nonce();
        },
        shell,
    );
    let app = Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            move || {
                provide_context(leptos_state.clone());
                gongzhi_app::use_request_nonce();
            },
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(fallback)
        .with_state(options);

    // Multipart bodies: every photo at its largest, plus the text fields.
    let photo_limit = state.svc.reports.max_photo_bytes;
    let form_limit = photo_limit * gongzhi_domain::model::report::PHOTOS_MAX + 1024 * 1024;
    let uploads = Router::new()
        .route("/reports/new", post(routes::reports::submit_form))
        .route("/cases/{id}", post(routes::cases::take))
        .route("/answers/{id}/files", post(routes::questions::answer_files))
        .layer(DefaultBodyLimit::max(form_limit))
        .merge(
            Router::new()
                .route("/api/photos", post(routes::reports::upload_photo))
                .route(
                    "/deliberation/{id}/image",
                    post(routes::deliberation::process_image),
                )
                .route(
                    "/proposals/{id}/image",
                    post(routes::deliberation::proposal_image),
                )
                .layer(DefaultBodyLimit::max(photo_limit + 64 * 1024)),
        );
    let plain = Router::new()
        .merge(uploads)
        .route("/photos/{file}", get(routes::reports::photo))
        .route("/answer-files/{uid}", get(routes::questions::answer_file))
        .route("/feeds/reports.atom", get(routes::feeds::reports))
        .route("/feeds/answers.atom", get(routes::feeds::answers))
        .route("/open-data/{file}", get(routes::opendata::download))
        .route("/api/reports/nearby", get(routes::reports::nearby))
        .route("/grids.geojson", get(routes::reports::grids_geojson))
        .route("/reports.geojson", get(routes::reports::reports_geojson))
        .route("/healthz", get(routes::health::healthz))
        .route("/readyz", get(routes::health::readyz))
        .route("/lang", post(routes::lang::set_lang))
        .route("/live/{id}/events", get(routes::live::events))
        .with_state(state.clone());

    // Open311: other software, authenticated by api_key (no cookies), so cross-site posts
    // are allowed here.
    let open311 = Router::new()
        .route("/open311/v2/openapi.json", get(routes::open311::openapi))
        .route(
            "/open311/v2/{file}",
            get(routes::open311::get_top).post(routes::open311::post_top),
        )
        .route(
            "/open311/v2/services/{file}",
            get(routes::open311::get_service),
        )
        .route(
            "/open311/v2/requests/{file}",
            get(routes::open311::get_request),
        )
        .route("/open311/v2/tokens/{file}", get(routes::open311::get_token))
        .layer(axum::Extension(routes::open311_cache::ListCache::new(
            std::time::Duration::from_secs(config.open311_list_cache_seconds),
        )))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .with_state(state.clone());
    // The case system's signed pushes (no cookies; the signature authenticates).
    let hooks = Router::new()
        .route("/hooks/case-updates", post(routes::hooks::case_updates))
        .layer(DefaultBodyLimit::max(1024 * 1024))
        .with_state(routes::hooks::HookState {
            svc: state.svc.clone(),
            secret: config.webhook_secret.clone(),
        });

    let origin = public_origin(&config.public_url);
    app.merge(plain)
        .layer(axum::middleware::from_fn_with_state(
            origin,
            security::refuse_cross_site,
        ))
        .merge(open311)
        .merge(hooks)
        .layer(axum::middleware::from_fn(security::refuse_nul))
        .layer(axum::middleware::from_fn_with_state(
            security::HeaderConfig::new(config.is_https(), &state.map.tile_url),
            security::security_headers,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
}

/// `scheme://host[:port]` of the public URL, as browsers send it in `Origin`.
fn public_origin(url: &str) -> String {
    let url = url.trim_end_matches('/');
    match url.find("://") {
        Some(i) => match url[i + 3..].find('/') {
            Some(j) => url[..i + 3 + j].to_string(),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}
