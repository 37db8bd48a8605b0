//! Server functions: thin wrappers that check the session and call one domain service.

pub mod admin;
pub mod auth;
pub mod cases;
pub mod deliberation;
pub mod live;
pub mod moderation;
pub mod opendata;
pub mod questions;
pub mod reports;
pub mod results;
pub mod services;

/// A domain refusal with one field renamed: where a form's field is called differently
/// from the domain's (two forms on one page must not share a field name).
#[cfg(feature = "ssr")]
pub(crate) fn rename_field(
    e: gongzhi_domain::Error,
    from: &str,
    to: &str,
) -> crate::error::AppError {
    match e {
        gongzhi_domain::Error::Invalid(mut list) => {
            for f in &mut list {
                if f.field == from {
                    f.field = to.to_string();
                }
            }
            crate::error::AppError::Invalid(list)
        }
        e => e.into(),
    }
}
