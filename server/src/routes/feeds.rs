//! Atom feeds of new reports and new answers, for the city (`/feeds/reports.atom`,
//! `/feeds/answers.atom`) or one department (`?department=<code>`).

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use gongzhi_app::state::AppState;
use gongzhi_domain::{departments, feeds, Error};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct FeedQuery {
    #[serde(default)]
    department: String,
}

/// `GET /feeds/reports.atom`
pub async fn reports(State(state): State<AppState>, Query(q): Query<FeedQuery>) -> Response {
    feed(&state, &q, Which::Reports).await
}

/// `GET /feeds/answers.atom`
pub async fn answers(State(state): State<AppState>, Query(q): Query<FeedQuery>) -> Response {
    feed(&state, &q, Which::Answers).await
}

enum Which {
    Reports,
    Answers,
}

async fn feed(state: &AppState, q: &FeedQuery, which: Which) -> Response {
    let svc = &state.svc;
    let department = match q.department.trim() {
        "" => None,
        code => match departments::list(&svc.db).await {
            Ok(list) => match list.into_iter().find(|d| d.code == code) {
                Some(d) => Some(d),
                None => {
                    return (
                        StatusCode::NOT_FOUND,
                        "department: no department has this code / 没有此代码的部门",
                    )
                        .into_response()
                }
            },
            Err(e) => return failed(e),
        },
    };
    let xml = match which {
        Which::Reports => feeds::reports(svc, department.as_ref()).await,
        Which::Answers => feeds::answers(svc, department.as_ref()).await,
    };
    match xml {
        Ok(xml) => {
            let mut res = xml.into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/atom+xml; charset=utf-8"),
            );
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=60"),
            );
            res
        }
        Err(e) => failed(e),
    }
}

fn failed(e: Error) -> Response {
    tracing::error!(error = %e, "feed could not be made");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}
