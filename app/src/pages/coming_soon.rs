use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{msg, t, Msg};

/// An area of the platform that is on its way: says so plainly.
#[component]
pub fn ComingSoon(title: Msg) -> impl IntoView {
    view! {
        <Title text=t(title)/>
        <h1>{t(title)}</h1>
        <div class="notice">
            <p><strong>{t(msg::COMING_SOON)}</strong></p>
            <p>{t(msg::COMING_SOON_DETAIL)}</p>
        </div>
    }
}
