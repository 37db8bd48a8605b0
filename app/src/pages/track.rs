//! An anonymous reporter follows their report by its tracking code: `/track/{code}` shows
//! the report (and, right after filing, the code to keep); `/track` asks for a code.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::reports::{
    get_report, track_report, AddReportUpdate, FollowReport, RateReport, ReportFollowUp,
    SupportReport,
};
use crate::i18n::{msg, t};
use crate::pages::report::ReportBody;

#[component]
pub fn TrackPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let is_new = move || query.read().get("new").is_some();
    let support = ServerAction::<SupportReport>::new();
    let follow = ServerAction::<FollowReport>::new();
    let update = ServerAction::<AddReportUpdate>::new();
    let follow_up = ServerAction::<ReportFollowUp>::new();
    let rate = ServerAction::<RateReport>::new();
    // One resource for the code and the report: a resource created inside another's
    // Suspense made the server-side render hang now and then.
    let found = Resource::new(
        move || {
            (
                code(),
                support.version().get(),
                follow.version().get(),
                update.version().get(),
                follow_up.version().get(),
                rate.version().get(),
            )
        },
        |(c, ..)| async move {
            if c.trim().is_empty() {
                return None;
            }
            Some(match track_report(c).await {
                Ok(id) => get_report(id).await,
                Err(e) => Err(e),
            })
        },
    );
    view! {
        <Title text=t(msg::TRACK_TITLE)/>
        <h1>{t(msg::TRACK_TITLE)}</h1>
        {move || is_new().then(|| view! {
            <div class="alert alert-success" role="status">
                <p>{t(msg::REPORT_THANKS)}</p>
                <p>{t(msg::TRACK_CODE)}": "<strong class="tracking-code">{code()}</strong></p>
                <p>{t(msg::TRACK_SAVE)}</p>
            </div>
        })}
        <form method="get" action="/track" class="search-form narrow">
            <label for="track-code">{t(msg::TRACK_ENTER)}</label>
            <div class="row">
                <input id="track-code" name="code" autocomplete="off" value=code/>
                <button type="submit" class="btn">{t(msg::TRACK_GO)}</button>
            </div>
        </form>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || found.get().map(|r| match r {
                None => ().into_any(),
                Some(Err(_)) => view! { <p class="alert alert-error" role="alert">{t(msg::TRACK_NOT_FOUND)}</p> }.into_any(),
                Some(Ok(view)) => view! { <ReportBody view is_new=false support follow update follow_up rate code=code()/> }.into_any(),
            })}
        </Transition>
    }
    .into_any()
}

/// `/track?code=…` (the form above without wasm) goes to `/track/{code}`.
#[component]
pub fn TrackFormPage() -> impl IntoView {
    let query = use_query_map();
    let code = move || query.read().get("code").unwrap_or_default();
    view! {
        {move || {
            let c = code();
            if c.trim().is_empty() {
                view! { <TrackPage/> }.into_any()
            } else {
                view! { <leptos_router::components::Redirect path=format!("/track/{}", crate::util::query_escape(c.trim()))/> }.into_any()
            }
        }}
    }
    .into_any()
}
