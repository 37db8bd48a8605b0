//! `/healthz` (the process answers) and `/readyz` (it can reach its database).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use gongzhi_app::state::AppState;
use serde_json::{json, Value};

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let db = &state.svc.db;
    match db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({ "status": "ready", "database": db.backend() })),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "database": db.backend() })),
            )
        }
    }
}
