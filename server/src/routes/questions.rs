//! Files attached to a department's answer: a plain `multipart/form-data` POST adds them
//! (or removes one), so officials attach a PDF or a picture without wasm or JavaScript; a
//! refused form goes back to the question with each problem at the file field. And the
//! files themselves, served by their random uid.

use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use gongzhi_app::api::questions::AnswerFilesFlash;
use gongzhi_app::error::AppError;
use gongzhi_app::state::AppState;
use gongzhi_domain::questions::files;
use gongzhi_domain::{reports, Error, FieldError, Problem};

use super::refusal;
use super::reports::{keep_and_redirect, session_user};

#[derive(Default)]
struct Posted {
    token: String,
    remove: Option<i64>,
    files: Vec<(String, Vec<u8>)>,
    read_problem: Option<FieldError>,
}

async fn read_form(multipart: Multipart, max_mb: usize) -> Posted {
    let body = super::form::read(multipart, files::FIELD, files::FIELD, max_mb).await;
    let mut p = Posted {
        files: body.file_names.into_iter().zip(body.files).collect(),
        // The reader names photos; here it is a file.
        read_problem: body
            .too_big
            .map(|_| FieldError::new(files::FIELD, Problem::FileTooBig { max_mb })),
        ..Posted::default()
    };
    for (name, value) in body.fields {
        match name.as_str() {
            "form_token" => p.token = value,
            "remove" => p.remove = value.trim().parse().ok(),
            _ => {}
        }
    }
    p
}

/// `POST /answers/{id}/files`: attaches the chosen files to an answer, or removes the one
/// named by `remove`; then shows the question again.
pub async fn answer_files(
    State(state): State<AppState>,
    Path(answer_id): Path<i64>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let max_mb = state.svc.reports.max_photo_bytes / (1024 * 1024);
    let posted = read_form(multipart, max_mb).await;
    if !reports::valid_token(&posted.token) {
        return (
            StatusCode::BAD_REQUEST,
            "form_token: the form has expired; open the question again / 表单已过期，请重新打开提问",
        )
            .into_response();
    }
    let question = files::question_of(&state.svc, answer_id).await;
    let page = match question {
        Ok(Some(q)) => format!("/questions/{q}"),
        Ok(None) => return refusal(Error::NotFound),
        Err(e) => return refusal(e),
    };
    let Some(me) = session_user(&state, &headers).await else {
        return Redirect::to(&format!("/login?next={page}")).into_response();
    };
    let mut errors: Vec<FieldError> = posted.read_problem.clone().into_iter().collect();
    let mut general = None;
    if errors.is_empty() {
        let result = match posted.remove {
            Some(file) => files::remove(&state.svc, Some(&me), file).await,
            None if posted.files.is_empty() => Err(Error::field(files::FIELD, Problem::Required)),
            None => {
                let mut result = Ok(());
                // Each file on its own: a refused one does not lose the others.
                for (name, bytes) in &posted.files {
                    if let Err(e) =
                        files::attach(&state.svc, Some(&me), answer_id, name, bytes.clone()).await
                    {
                        result = Err(e);
                        break;
                    }
                }
                result
            }
        };
        match result {
            Ok(()) => {
                let _ = gongzhi_domain::flash::clear(&state.svc.db, &posted.token).await;
                return Redirect::to(&format!("{page}#answer-{answer_id}")).into_response();
            }
            Err(Error::Invalid(list)) => errors = list,
            // Nobody without the right sees the form, so there is no form to go back to.
            Err(e @ (Error::Forbidden | Error::NotFound | Error::Unauthenticated)) => {
                return refusal(e)
            }
            Err(e) => general = Some(AppError::from(e)),
        }
    }
    let flash = AnswerFilesFlash {
        answer_id,
        errors,
        general,
    };
    keep_and_redirect(
        &state,
        &posted.token,
        &flash,
        &format!("{page}?draft={}#files-{answer_id}", posted.token),
    )
    .await
}

/// `GET /answer-files/{uid}`: an attached file. Pictures show in the browser; PDFs are
/// downloads under their name (never rendered as a page of this site).
pub async fn answer_file(State(state): State<AppState>, Path(uid): Path<String>) -> Response {
    if uid.is_empty()
        || uid.len() > 64
        || !uid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    match files::file(&state.svc, &uid).await {
        Ok(Some((blob, name))) => {
            let pdf = blob.content_type == "application/pdf";
            let mut res = blob.bytes.into_response();
            let h = res.headers_mut();
            if let Ok(ct) = HeaderValue::from_str(&blob.content_type) {
                h.insert(header::CONTENT_TYPE, ct);
            }
            let disposition = format!(
                "{}; filename=\"{}\"; filename*=UTF-8''{}",
                if pdf { "attachment" } else { "inline" },
                ascii_fallback(&name),
                percent_encode(&name)
            );
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            // A removed file must stop being served: no long-lived caching.
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            );
            res
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "answer file could not be read");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The name for clients that do not read `filename*`: ASCII only.
fn ascii_fallback(name: &str) -> String {
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("bin");
    let stem: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ' '))
        .collect();
    let stem = stem.trim().trim_end_matches(&format!(".{ext}")).trim();
    if stem.is_empty() {
        format!("file.{ext}")
    } else {
        format!("{stem}.{ext}")
    }
}

/// RFC 5987 encoding of a UTF-8 file name.
fn percent_encode(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_are_safe_in_a_header() {
        assert_eq!(ascii_fallback("答复函.pdf"), "file.pdf");
        assert_eq!(ascii_fallback("reply 2026.pdf"), "reply 2026.pdf");
        assert_eq!(percent_encode("答复 a.pdf"), "%E7%AD%94%E5%A4%8D%20a.pdf");
    }
}
