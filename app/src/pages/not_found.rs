use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::i18n::{msg, t};

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t(msg::NOT_FOUND_TITLE)/>
        <h1>{t(msg::NOT_FOUND_TITLE)}</h1>
        <p>{t(msg::NOT_FOUND_TEXT)}</p>
        <p><A href="/">{t(msg::BACK_HOME)}</A></p>
    }
}
