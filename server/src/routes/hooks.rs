//! `POST /hooks/case-updates`: a case system pushes status updates, signed with the shared
//! secret (see `gongzhi_domain::cases::webhook` for the signature and replay rules).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use gongzhi_domain::cases::webhook::{self, Refused};
use gongzhi_domain::Services;
use serde_json::json;

#[derive(Clone)]
pub struct HookState {
    pub svc: Services,
    /// Empty: the webhook is off.
    pub secret: String,
}

pub async fn case_updates(
    State(st): State<HookState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let refuse =
        |status: StatusCode, why: &str| (status, Json(json!({"error": why}))).into_response();
    let now = chrono::Utc::now().timestamp();
    match webhook::verify(
        &st.secret,
        header("x-gongzhi-timestamp"),
        header("x-gongzhi-signature"),
        &body,
        now,
    ) {
        Ok(()) => {}
        Err(Refused::Off) => {
            return refuse(
                StatusCode::NOT_FOUND,
                "the case-update webhook is off (no GONGZHI_WEBHOOK_SECRET)",
            )
        }
        Err(Refused::Unsigned(why)) => {
            tracing::warn!(why, "unsigned case update refused");
            return refuse(StatusCode::UNAUTHORIZED, why);
        }
        Err(Refused::Unreadable(why)) => return refuse(StatusCode::BAD_REQUEST, &why),
    }
    let updates = match webhook::parse(&body) {
        Ok(u) => u,
        Err(Refused::Unreadable(why)) => return refuse(StatusCode::BAD_REQUEST, &why),
        Err(_) => return refuse(StatusCode::BAD_REQUEST, "unreadable body"),
    };
    match webhook::receive(&st.svc, &updates).await {
        Ok((applied, ignored)) => {
            Json(json!({"applied": applied, "ignored": ignored})).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "case updates could not be recorded");
            refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the updates could not be recorded; send them again",
            )
        }
    }
}
