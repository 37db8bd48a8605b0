//! Plain axum routes outside the Leptos app.

pub mod cases;
pub mod deliberation;
pub mod feeds;
mod form;
pub mod health;
pub mod hooks;
pub mod lang;
pub mod live;
pub mod open311;
pub mod open311_cache;
pub mod open311_spec;
pub mod opendata;
pub mod questions;
pub mod reports;

use axum::response::{IntoResponse, Response};
use gongzhi_app::error::AppError;
use gongzhi_app::i18n::Lang;

/// A form posted by someone without the right to it (or about something that is gone): the
/// status and the reason in both languages. Nobody without the right sees such a form, so
/// there is no form to go back to.
pub(crate) fn refusal(e: gongzhi_domain::Error) -> Response {
    let e = AppError::from(e);
    let text = format!("{} / {}", e.message(Lang::Zh), e.message(Lang::En));
    (e.status(), text).into_response()
}
