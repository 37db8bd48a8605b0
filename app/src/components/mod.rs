//! Components shared by pages.

pub mod form;
pub mod image;
pub mod layout;
pub mod moderation;
pub mod rating;
pub mod reports;

use leptos::prelude::*;

use crate::i18n::{msg, t};

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
