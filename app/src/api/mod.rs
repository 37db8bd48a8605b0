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

/// A day filter of a list (`YYYY-MM-DD`, empty for none); a bad one is left out and noted
/// at its field, so the list still shows.
#[cfg(feature = "ssr")]
pub(crate) fn day_filter(
    field: &str,
    value: &str,
    problems: &mut Vec<gongzhi_domain::FieldError>,
) -> Option<chrono::NaiveDate> {
    match value.trim() {
        "" => None,
        s => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| {
                problems.push(gongzhi_domain::FieldError::new(
                    field,
                    gongzhi_domain::Problem::NotADate,
                ))
            })
            .ok(),
    }
}

/// The end of a day range, left out and noted at its field when it is before the start.
#[cfg(feature = "ssr")]
pub(crate) fn range_end(
    field: &str,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    problems: &mut Vec<gongzhi_domain::FieldError>,
) -> Option<chrono::NaiveDate> {
    match (from, to) {
        (Some(f), Some(t)) if t < f => {
            problems.push(gongzhi_domain::FieldError::new(
                field,
                gongzhi_domain::Problem::BeforeStart,
            ));
            None
        }
        _ => to,
    }
}
