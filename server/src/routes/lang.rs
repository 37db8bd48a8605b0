//! The language switch: a plain form POST, so it works without wasm.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use gongzhi_app::api::auth::safe_next;
use gongzhi_app::i18n::{Lang, LANG_COOKIE};
use gongzhi_app::state::AppState;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LangForm {
    lang: String,
    #[serde(default)]
    next: String,
}

/// Remembers the chosen language for a year and sends the browser back where it was.
pub async fn set_lang(State(state): State<AppState>, Form(form): Form<LangForm>) -> Response {
    let Some(lang) = Lang::from_tag(&form.lang) else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "lang: must be zh-CN or en",
        )
            .into_response();
    };
    let next = if form.next.is_empty() {
        "/".to_string()
    } else {
        safe_next(&form.next)
    };
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        lang.tag(),
        if state.secure_cookies { "; Secure" } else { "" }
    );
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, next)]).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}
