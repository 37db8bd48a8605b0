//! Components shared by pages.

pub mod form;
pub mod image;
pub mod layout;
pub mod moderation;
pub mod rating;
pub mod reports;

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::i18n::{msg, t};

/// The `page` in the address's query (from 0; anything else is the first page), for a
/// list shown with a [`Pager`].
pub fn page_in(query: Memo<ParamsMap>) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(0)
            .max(0)
    }
}

/// Previous and next page links: `base` is the page's address up to `page=` (ending in `?`
/// or `&`), `page` counts from 0.
#[component]
pub fn Pager(base: String, page: i64, has_more: bool) -> impl IntoView {
    view! {
        <nav class="pager" aria-label=t(msg::PAGES)>
            {(page > 0).then(|| view! { <a href=format!("{base}page={}", page - 1)>{t(msg::PREVIOUS_PAGE)}</a> })}
            {has_more.then(|| view! { <a href=format!("{base}page={}", page + 1) rel="next">{t(msg::NEXT_PAGE)}</a> })}
        </nav>
    }
}
