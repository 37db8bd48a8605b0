use gongzhi_domain::validate::{DISPLAY_NAME_MAX, EMAIL_MAX, PASSWORD_MAX};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::auth::SignUp;
use crate::components::form::{action_error, Field, FormAlert, Submit};
use crate::i18n::{msg, t};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let error = action_error(action);
    let pending = action.pending().into();
    let done = move || action.value().get().and_then(|r| r.ok());
    view! {
        <Title text=t(msg::SIGNUP_TITLE)/>
        <div class="narrow">
            <Show
                when=move || done().is_none()
                fallback=move || view! {
                    <h1>{t(msg::SIGNUP_DONE_TITLE)}</h1>
                    <div class="alert alert-success" role="status">
                        <p>{t(msg::SIGNUP_DONE_TEXT)}</p>
                        {move || done().is_some_and(|d| !d.mail_sent).then(|| view! { <p>{t(msg::OUTBOX_NOTE)}</p> })}
                    </div>
                }
            >
                <h1>{t(msg::SIGNUP_TITLE)}</h1>
                <ActionForm action attr:class="stack" attr:novalidate=true>
                    <FormAlert error/>
                    <Field name="email" label=msg::EMAIL input_type="email" autocomplete="email" required=true maxlength=EMAIL_MAX error/>
                    <Field name="display_name" label=msg::DISPLAY_NAME hint=msg::DISPLAY_NAME_HINT autocomplete="nickname" required=true maxlength=DISPLAY_NAME_MAX error/>
                    <Field name="password" label=msg::PASSWORD hint=msg::PASSWORD_HINT input_type="password" autocomplete="new-password" required=true maxlength=PASSWORD_MAX error/>
                    <Field name="password_confirm" label=msg::PASSWORD_CONFIRM input_type="password" autocomplete="new-password" required=true maxlength=PASSWORD_MAX error/>
                    <Submit label=msg::SIGN_UP pending/>
                </ActionForm>
                <p>{t(msg::SIGNUP_HAVE_ACCOUNT)}" "<A href="/login">{t(msg::LOG_IN)}</A></p>
            </Show>
        </div>
    }
}
