//! Reading a plain `multipart/form-data` form: what the no-wasm forms with files post.

use axum::extract::Multipart;
use gongzhi_domain::{FieldError, Problem};

/// A form's body: its text fields in order, the non-empty files of its file field, and the
/// problem, on that field, when the body could not be read to its end (larger than allowed).
#[derive(Default)]
pub(crate) struct FormBody {
    pub fields: Vec<(String, String)>,
    pub files: Vec<Vec<u8>>,
    /// The names the browser gave the files, in the same order.
    pub file_names: Vec<String>,
    pub too_big: Option<FieldError>,
}

/// Reads the whole body; files come from the field named `file_field`, and a body cut off
/// is told as `PhotoTooBig { max_mb }` on `problem_field`.
pub(crate) async fn read(
    mut multipart: Multipart,
    file_field: &str,
    problem_field: &str,
    max_mb: usize,
) -> FormBody {
    let mut body = FormBody::default();
    let mut cut_off = false;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                tracing::info!(error = %e, "form body could not be read completely");
                cut_off = true;
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == file_field {
            let file_name = field.file_name().unwrap_or_default().replace('\0', "");
            match field.bytes().await {
                Ok(b) if !b.is_empty() => {
                    body.files.push(b.to_vec());
                    body.file_names.push(file_name);
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::info!(error = %e, "form file could not be read completely");
                    cut_off = true;
                    break;
                }
            }
            continue;
        }
        // No form has a use for a NUL character, and PostgreSQL cannot store one.
        if let Ok(value) = field.text().await {
            body.fields.push((name, value.replace('\0', "")));
        }
    }
    if cut_off {
        body.too_big = Some(FieldError::new(
            problem_field,
            Problem::PhotoTooBig { max_mb },
        ));
    }
    body
}
