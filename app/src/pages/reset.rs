use gongzhi_domain::validate::PASSWORD_MAX;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::auth::{RequestReset, ResetPassword};
use crate::components::form::{action_error, Field, FormAlert, Submit};
use crate::error::problem_text;
use crate::i18n::{msg, t, use_lang};

/// Asks for a reset link. Says the same whether or not the address has an account.
#[component]
pub fn ResetRequestPage() -> impl IntoView {
    let action = ServerAction::<RequestReset>::new();
    let error = action_error(action);
    let pending = action.pending().into();
    let done = move || action.value().get().and_then(|r| r.ok());
    view! {
        <Title text=t(msg::RESET_TITLE)/>
        <div class="narrow">
            <h1>{t(msg::RESET_TITLE)}</h1>
            <Show
                when=move || done().is_none()
                fallback=move || view! {
                    <div class="alert alert-success" role="status">
                        <p>{t(msg::RESET_SENT)}</p>
                        {move || done().is_some_and(|d| !d.mail_sent).then(|| view! { <p>{t(msg::OUTBOX_NOTE)}</p> })}
                    </div>
                }
            >
                <p>{t(msg::RESET_TEXT)}</p>
                <ActionForm action attr:class="stack" attr:novalidate=true>
                    <FormAlert error/>
                    <Field name="email" label=msg::EMAIL input_type="email" autocomplete="email" required=true error/>
                    <Submit label=msg::RESET_SEND pending/>
                </ActionForm>
            </Show>
        </div>
    }
}

/// The page a reset link opens: choose a new password.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let error = action_error(action);
    let pending = action.pending().into();
    let lang = use_lang();
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text=t(msg::RESET_NEW_TITLE)/>
        <div class="narrow">
            <h1>{t(msg::RESET_NEW_TITLE)}</h1>
            <Show
                when=move || !done()
                fallback=move || view! {
                    <div class="alert alert-success" role="status">
                        <p>{t(msg::RESET_DONE)}</p>
                        <p><A href="/login">{t(msg::LOG_IN)}</A></p>
                    </div>
                }
            >
                <ActionForm action attr:class="stack" attr:novalidate=true>
                    <FormAlert error/>
                    {move || error.get().and_then(|e| e.field("token").cloned()).map(|p| view! {
                        <p class="field-error">{problem_text(&p, lang)}" "<A href="/reset">{t(msg::RESET_SEND)}</A></p>
                    })}
                    <input type="hidden" name="token" value=token/>
                    <Field name="new_password" label=msg::NEW_PASSWORD hint=msg::PASSWORD_HINT input_type="password" autocomplete="new-password" required=true maxlength=PASSWORD_MAX error/>
                    <Field name="new_password_confirm" label=msg::NEW_PASSWORD_CONFIRM input_type="password" autocomplete="new-password" required=true maxlength=PASSWORD_MAX error/>
                    <Submit label=msg::RESET_SAVE pending/>
                </ActionForm>
            </Show>
        </div>
    }
}
