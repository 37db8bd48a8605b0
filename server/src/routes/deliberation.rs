//! A process's cover image and a proposal's image: a plain `multipart/form-data` POST each,
//! so the picture travels with the form without wasm or JavaScript. A refused form goes
//! back to its page with the description typed and each problem next to its field.

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use gongzhi_app::api::deliberation::ImageFormFlash;
use gongzhi_app::error::AppError;
use gongzhi_app::state::AppState;
use gongzhi_domain::deliberation::images::{self, Owner};
use gongzhi_domain::{reports, Error, FieldError};

use super::reports::{keep_and_redirect, session_user};

#[derive(Default)]
struct Posted {
    token: String,
    alt: String,
    remove: bool,
    file: Vec<u8>,
    read_problem: Option<FieldError>,
}

async fn read_form(multipart: Multipart, max_photo_mb: usize) -> Posted {
    let body = super::form::read(multipart, "image", "image", max_photo_mb).await;
    let mut p = Posted {
        file: body.files.into_iter().next().unwrap_or_default(),
        read_problem: body.too_big,
        ..Posted::default()
    };
    for (name, value) in body.fields {
        match name.as_str() {
            "form_token" => p.token = value,
            "alt" => p.alt = value,
            "remove" => p.remove = !value.is_empty(),
            _ => {}
        }
    }
    p
}

/// `POST /deliberation/{id}/image`: sets or removes a process's cover.
pub async fn process_image(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    image(
        state,
        Owner::Process(id),
        format!("/deliberation/{id}"),
        headers,
        multipart,
    )
    .await
}

/// `POST /proposals/{id}/image`: sets or removes a proposal's image (its author, while the
/// proposal can be edited).
pub async fn proposal_image(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    image(
        state,
        Owner::Proposal(id),
        format!("/proposals/{id}"),
        headers,
        multipart,
    )
    .await
}

async fn image(
    state: AppState,
    owner: Owner,
    page: String,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let max_mb = state.svc.reports.max_photo_bytes / (1024 * 1024);
    let posted = read_form(multipart, max_mb).await;
    if !reports::valid_token(&posted.token) {
        return (
            StatusCode::BAD_REQUEST,
            "form_token: the form has expired; open the page again / 表单已过期，请重新打开页面",
        )
            .into_response();
    }
    let Some(me) = session_user(&state, &headers).await else {
        return Redirect::to(&format!("/login?next={page}")).into_response();
    };
    let result = match (&posted.read_problem, posted.remove) {
        (Some(problem), _) => Err(Error::Invalid(vec![problem.clone()])),
        (None, true) => images::remove(&state.svc, Some(&me), owner).await,
        (None, false) => images::set(
            &state.svc,
            Some(&me),
            owner,
            posted.file.clone(),
            &posted.alt,
        )
        .await
        .map(|_| ()),
    };
    let (errors, general) = match result {
        Ok(()) => {
            let _ = gongzhi_domain::flash::clear(&state.svc.db, &posted.token).await;
            return Redirect::to(&page).into_response();
        }
        Err(Error::Invalid(list)) => (list, None),
        Err(e @ (Error::Forbidden | Error::NotFound)) => return super::refusal(e),
        Err(e) => (vec![], Some(AppError::from(e))),
    };
    let flash = ImageFormFlash {
        alt: posted.alt.clone(),
        errors,
        general,
    };
    keep_and_redirect(
        &state,
        &posted.token,
        &flash,
        &format!("{page}?draft={}#image", posted.token),
    )
    .await
}
