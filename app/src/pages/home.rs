use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::i18n::{msg, t, Msg};

#[component]
pub fn HomePage() -> impl IntoView {
    let cards: [(&str, Msg, Msg); 4] = [
        ("/reports", msg::HOME_REPORT_TITLE, msg::HOME_REPORT_TEXT),
        ("/deliberation", msg::HOME_DELIB_TITLE, msg::HOME_DELIB_TEXT),
        ("/ask", msg::HOME_ASK_TITLE, msg::HOME_ASK_TEXT),
        ("/results", msg::HOME_RESULTS_TITLE, msg::HOME_RESULTS_TEXT),
    ];
    view! {
        <Title text=""/>
        <section class="hero">
            <h1>{t(msg::HOME_TITLE)}</h1>
            <p class="lead">{t(msg::TAGLINE)}</p>
            // A full page load: the report form is served without wasm, light on cheap phones.
            <p><a href="/reports/new" rel="external" class="btn btn-accent">{t(msg::REPORT_NEW)}</a></p>
        </section>
        <ul class="cards">
            {cards.into_iter().map(|(href, title, text)| view! {
                <li class="card">
                    <h2><A href=href attr:rel=crate::is_plain_page(href).then_some("external")>{t(title)}</A></h2>
                    <p>{t(text)}</p>
                </li>
            }).collect_view()}
        </ul>
    }
}
