//! Steps of the built-in case workflow: a plain `multipart/form-data` POST per step, so the
//! back office works without wasm or JavaScript and after-photos travel with the 处置 form.
//! A step with problems goes back to the case page with what was typed and each problem
//! next to its field; photos already accepted are kept under the form's token.

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use gongzhi_app::api::cases::CaseFormFlash;
use gongzhi_app::error::AppError;
use gongzhi_app::state::AppState;
use gongzhi_domain::cases::builtin::{take_step, StepInput};
use gongzhi_domain::{reports, Error, FieldError};

use super::reports::{keep_and_redirect, session_user};

#[derive(Default)]
struct Posted {
    token: String,
    step: String,
    stage: String,
    note: String,
    department: String,
    public: bool,
    files: Vec<Vec<u8>>,
    read_problem: Option<FieldError>,
}

async fn read_form(multipart: Multipart, max_photo_mb: usize) -> Posted {
    let body = super::form::read(multipart, "photo", "photos", max_photo_mb).await;
    let mut p = Posted {
        files: body.files,
        read_problem: body.too_big,
        ..Posted::default()
    };
    for (name, value) in body.fields {
        match name.as_str() {
            "form_token" => p.token = value,
            "step" => p.step = value,
            "stage" => p.stage = value,
            "note" => p.note = value,
            "department" => p.department = value,
            "public" => p.public = !value.is_empty(),
            _ => {}
        }
    }
    p
}

/// `POST /cases/{id}`: takes one step of the workflow, then shows the case again.
pub async fn take(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let max_mb = state.svc.reports.max_photo_bytes / (1024 * 1024);
    let posted = read_form(multipart, max_mb).await;
    let token = posted.token.clone();
    if !reports::valid_token(&token) {
        return (
            StatusCode::BAD_REQUEST,
            "form_token: the form has expired; open the case again / 表单已过期，请重新打开案件",
        )
            .into_response();
    }
    let Some(me) = session_user(&state, &headers).await else {
        return Redirect::to(&format!("/login?next=/cases/{id}")).into_response();
    };
    let mut errors: Vec<FieldError> = posted.read_problem.clone().into_iter().collect();
    // Only the 处置 step takes photos.
    let files: &[Vec<u8>] = if posted.step == "handle" {
        &posted.files
    } else {
        &[]
    };
    for bytes in files {
        match reports::upload_photo(&state.svc, &token, bytes.clone()).await {
            Ok(_) => {}
            Err(Error::Invalid(list)) => errors.extend(list),
            Err(e) => return back(&state, id, &posted, vec![], Some(e.into())).await,
        }
    }
    if !errors.is_empty() {
        return back(&state, id, &posted, errors, None).await;
    }
    let input = StepInput {
        step: posted.step.clone(),
        stage: posted.stage.clone(),
        note: posted.note.clone(),
        department: posted.department.clone(),
        public: posted.public,
        photo_token: Some(token.clone()),
    };
    match take_step(&state.svc, Some(&me), id, input).await {
        Ok(_) => {
            let _ = gongzhi_domain::flash::clear(&state.svc.db, &token).await;
            Redirect::to(&format!("/cases/{id}?done={}", urlencode(&posted.step))).into_response()
        }
        Err(Error::Invalid(list)) => back(&state, id, &posted, list, None).await,
        Err(e @ (Error::Forbidden | Error::NotFound)) => super::refusal(e),
        Err(e) => back(&state, id, &posted, vec![], Some(e.into())).await,
    }
}

fn urlencode(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

async fn back(
    state: &AppState,
    id: i64,
    posted: &Posted,
    errors: Vec<FieldError>,
    general: Option<AppError>,
) -> Response {
    let general = general.or_else(|| (!errors.is_empty()).then(|| AppError::Invalid(vec![])));
    let flash = CaseFormFlash {
        step: posted.step.clone(),
        note: posted.note.clone(),
        department: posted.department.clone(),
        public: posted.public,
        errors,
        general,
    };
    let step = urlencode(&posted.step);
    keep_and_redirect(
        state,
        &posted.token,
        &flash,
        &format!("/cases/{id}?draft={}&step={step}#step-{step}", posted.token),
    )
    .await
}
