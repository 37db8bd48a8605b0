//! A process's cover or a proposal's image, and the form that sets or removes it.

use gongzhi_domain::model::deliberation::{Image, IMAGE_ALT_MAX};
use leptos::prelude::*;

use crate::api::deliberation::ImageForm;
use crate::components::form::Field;
use crate::error::{problem_text, AppError};
use crate::i18n::{msg, t, use_lang, Msg};

/// The image at display size, its box reserved by width and height so nothing jumps.
#[component]
pub fn Picture(image: Image, #[prop(optional)] class: &'static str) -> impl IntoView {
    let p = image.photo;
    view! {
        <figure class=format!("picture {class}")>
            <img src=p.display_url() alt=image.alt width=p.display_width.to_string()
                height=p.display_height.to_string() decoding="async"/>
        </figure>
    }
}

/// The image's thumbnail in a list, where the title next to it names the item (so the
/// picture is decorative there).
#[component]
pub fn Thumb(image: Image) -> impl IntoView {
    let p = image.photo;
    view! {
        <img class="thumb" src=p.thumb_url() alt="" width=p.thumb_width.to_string()
            height=p.thumb_height.to_string() loading="lazy" decoding="async"/>
    }
}

/// Sets or removes the image with a plain `multipart/form-data` POST to `action`; a
/// refused form comes back open, with the description typed and each problem at its field.
#[component]
pub fn ImageUpload(
    action: String,
    form: ImageForm,
    current: Option<Image>,
    title: Msg,
) -> impl IntoView {
    let lang = use_lang();
    let flash = form.flash.clone();
    let error: Option<AppError> = flash.as_ref().and_then(|f| {
        if f.errors.is_empty() {
            f.general.clone()
        } else {
            Some(AppError::Invalid(f.errors.clone()))
        }
    });
    let file_problem = error
        .as_ref()
        .and_then(|e| e.field("image").cloned())
        .map(|p| problem_text(&p, lang));
    let general = error
        .as_ref()
        .filter(|e| !matches!(e, AppError::Invalid(_)))
        .map(|e| e.message(lang));
    let alt = flash
        .as_ref()
        .map(|f| f.alt.clone())
        .or_else(|| current.as_ref().map(|c| c.alt.clone()))
        .unwrap_or_default();
    let has_image = current.is_some();
    let error_signal = Signal::derive(move || error.clone());
    view! {
        <details class="card" id="image" open=flash.is_some()>
            <summary>{title.get(lang)}</summary>
            <form method="post" action=action enctype="multipart/form-data" class="stack" novalidate=true>
                <div class="alert alert-error" role="alert" hidden=general.is_none()>{general.clone()}</div>
                <input type="hidden" name="form_token" value=form.token/>
                <p class="muted">{if has_image { t(msg::IMAGE_CURRENT) } else { t(msg::IMAGE_NONE) }}
                    {current.as_ref().map(|c| view! {
                        <img class="thumb" src=c.photo.thumb_url() alt=c.alt.clone() width=c.photo.thumb_width.to_string()
                            height=c.photo.thumb_height.to_string()/>
                    })}
                </p>
                <div class="field" class:field-invalid=file_problem.is_some()>
                    <label for="f-image">{t(msg::F_IMAGE)}</label>
                    <p class="hint" id="f-image-hint">{t(msg::F_IMAGE_HINT)}" (≤ "{form.max_photo_mb}" MB)"</p>
                    <input type="file" id="f-image" name="image" accept="image/jpeg,image/png,image/webp"
                        aria-invalid=file_problem.is_some().then_some("true")
                        aria-describedby="f-image-hint f-image-error"/>
                    <p class="field-error" id="f-image-error" hidden=file_problem.is_none()>{file_problem.clone()}</p>
                </div>
                <Field name="alt" label=msg::F_ALT hint=msg::F_ALT_HINT maxlength=IMAGE_ALT_MAX value=alt error=error_signal/>
                <p class="row">
                    <button type="submit" class="btn btn-primary">{t(msg::IMAGE_UPLOAD)}</button>
                    {has_image.then(|| view! {
                        " "<button type="submit" class="btn" name="remove" value="1">{t(msg::IMAGE_REMOVE)}</button>
                    })}
                </p>
            </form>
        </details>
    }
    // Type-erased: the pages it sits in are deep enough already.
    .into_any()
}
