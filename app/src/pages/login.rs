use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::auth::use_auth;
use crate::components::form::{action_error, Field, FormAlert, Submit};
use crate::i18n::{msg, t};

#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = use_auth();
    let error = action_error(auth.log_in);
    let pending = auth.log_in.pending().into();
    let query = use_query_map();
    let next = move || {
        query
            .read()
            .get("next")
            .unwrap_or_else(|| "/me".to_string())
    };
    view! {
        <Title text=t(msg::LOGIN_TITLE)/>
        <div class="narrow">
            <h1>{t(msg::LOGIN_TITLE)}</h1>
            <ActionForm action=auth.log_in attr:class="stack" attr:novalidate=true>
                <FormAlert error/>
                <input type="hidden" name="next" value=next/>
                <Field name="email" label=msg::EMAIL input_type="email" autocomplete="username" required=true error/>
                <Field name="password" label=msg::PASSWORD input_type="password" autocomplete="current-password" required=true error/>
                <Submit label=msg::LOG_IN pending/>
            </ActionForm>
            <p><A href="/reset">{t(msg::LOGIN_FORGOT)}</A></p>
            <p>{t(msg::LOGIN_NO_ACCOUNT)}" "<A href="/signup">{t(msg::SIGN_UP)}</A></p>
        </div>
    }
}
