//! The report form: the resident's most used path, built for cheap phones.
//!
//! It is a plain `multipart/form-data` form that works with no JavaScript at all: category
//! radios, coordinate and address fields, file inputs. The page is served without the wasm
//! bundle (see `shell`); a small script (`/js/gongzhi.js`) adds the map, "use my location",
//! category search, live character counts, photo previews, duplicates nearby and a draft
//! kept on the device. A rejected form comes back filled in, with each problem at its field
//! and the photos already accepted kept.

#[cfg(feature = "ssr")]
use {
    crate::api::reports::{report_form, ReportFormData, ReportFormValues},
    crate::components::form::{ErrorSignal, Field},
    crate::error::{problem_text, AppError},
    crate::i18n::{msg, t},
    crate::i18n::{use_lang, Lang, Msg},
    crate::pages::LoadError,
    gongzhi_domain::model::catalog::{Attribute, AttributeType, Category},
    gongzhi_domain::model::report::{ADDRESS_MAX, DESCRIPTION_MAX, PHOTOS_MAX},
    leptos::prelude::*,
    leptos_meta::Title,
    leptos_router::hooks::use_query_map,
};

#[cfg(not(feature = "ssr"))]
pub use crate::pages::FullPageLoad as NewReportPage;

#[cfg(feature = "ssr")]
#[component]
pub fn NewReportPage() -> impl IntoView {
    let query = use_query_map();
    let draft = move || query.read().get("draft");
    let data = Resource::new(draft, report_form);
    view! {
        <Title text=t(msg::REPORT_NEW)/>
        <h1>{t(msg::REPORT_NEW)}</h1>
        <Suspense fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(form) => view! { <TheForm form/> }.into_any(),
            })}
        </Suspense>
    }
}

/// Texts the script needs, in the page's language.
#[cfg(feature = "ssr")]
fn script_texts(lang: Lang, max_photo_mb: usize) -> String {
    use gongzhi_domain::Problem;
    let pairs: [(&str, Msg); 6] = [
        ("duplicates_title", msg::DUPLICATES_TITLE),
        ("duplicates_text", msg::DUPLICATES_TEXT),
        ("me_too", msg::ME_TOO),
        ("me_too_done", msg::ME_TOO_DONE),
        ("metres_away", msg::METRES_AWAY),
        ("draft_restored", msg::DRAFT_RESTORED),
    ];
    let mut map: serde_json::Map<String, serde_json::Value> = pairs
        .iter()
        .map(|(k, m)| {
            (
                k.to_string(),
                serde_json::Value::String(m.get(lang).to_string()),
            )
        })
        .collect();
    let problems = [
        ("p_not_an_image", Problem::NotAnImage),
        (
            "p_photo_too_big",
            Problem::PhotoTooBig {
                max_mb: max_photo_mb,
            },
        ),
        ("p_photo_unreadable", Problem::PhotoUnreadable),
        (
            "p_too_many_photos",
            Problem::TooManyPhotos { max: PHOTOS_MAX },
        ),
        ("p_required", Problem::Required),
    ];
    for (k, p) in problems {
        map.insert(k.into(), serde_json::Value::String(problem_text(&p, lang)));
    }
    map.insert(
        "upload_failed".into(),
        serde_json::Value::String(msg::ERR_TRANSPORT.get(lang).into()),
    );
    serde_json::Value::Object(map).to_string()
}

#[cfg(feature = "ssr")]
#[component]
fn TheForm(form: ReportFormData) -> impl IntoView {
    let lang = use_lang();
    let flash = form.flash.clone().unwrap_or_default();
    let values = flash.values.clone();
    let errors = flash.errors.clone();
    let has_errors = !errors.is_empty() || flash.general.is_some();
    let error: ErrorSignal =
        Signal::stored(Some(AppError::Invalid(errors.clone())).filter(|_| !errors.is_empty()));
    let problem = move |field: &str| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| problem_text(&e.problem, lang))
    };
    let general = flash.general.clone();
    let can_submit = form.signed_in || form.allow_anonymous;
    let groups = form.catalog.groups.clone();
    let categories = form.catalog.categories.clone();
    let (lat0, lon0) = form.center;
    let kept = form.photos.clone();
    let summary: Vec<(String, String)> = flash
        .errors
        .iter()
        .map(|e| (e.field.clone(), problem_text(&e.problem, lang)))
        .collect();
    let category_error = problem("category");
    let location_error = problem("location");
    let photos_error = problem("photos");
    let description_error = problem("description");
    view! {
        {has_errors.then(|| view! {
            <div class="alert alert-error" role="alert" id="form-errors" tabindex="-1">
                <p>{general.as_ref().map(|g| g.message(lang)).unwrap_or_else(|| msg::ERR_INVALID.get(lang).to_string())}</p>
                <ul>
                    {summary.into_iter().map(|(field, text)| view! {
                        <li><a href=format!("#{}", anchor_for(&field, &values.category))>{format!("{}: {text}", field_label(&field, &form.catalog.categories, lang))}</a></li>
                    }).collect_view()}
                </ul>
            </div>
        })}
        {(!can_submit).then(|| view! {
            <div class="alert alert-error" role="alert">
                <p>{t(msg::ANON_DISABLED)}</p>
                <p><a href="/login?next=/reports/new">{t(msg::LOG_IN)}</a></p>
            </div>
        })}
        <form method="post" action="/reports/new" enctype="multipart/form-data" class="report-form stack" novalidate=true
            data-report-form="true" data-token=form.token.clone() data-has-flash=has_errors.to_string()
            data-texts=script_texts(lang, form.max_photo_mb)>
            <input type="hidden" name="submit_token" value=form.token.clone()/>

            <fieldset class="step" id="step-category" aria-describedby=category_error.is_some().then_some("category-error")>
                <legend>{t(msg::FORM_STEP_WHAT)}</legend>
                <div class="field category-search" hidden=true data-enhance="category-search">
                    <label for="category-search">{t(msg::CATEGORY_SEARCH)}</label>
                    <input id="category-search" type="search" autocomplete="off"/>
                </div>
                {category_error.clone().map(|e| view! { <p class="field-error" id="category-error">{e}</p> })}
                {groups.into_iter().map(|g| {
                    let in_group: Vec<Category> = categories.iter().filter(|c| c.group_id == g.id).cloned().collect();
                    (!in_group.is_empty()).then(|| view! {
                        <div class="category-group" role="group" aria-label=g.name(lang).to_string()>
                            <p class="group-name" aria-hidden="true">{g.name(lang).to_string()}</p>
                            <ul class="category-list">
                                {in_group.into_iter().map(|c| {
                                    let id = format!("cat-{}", c.code);
                                    let checked = values.category == c.code;
                                    let keywords = format!("{} {} {} {}", c.name_zh, c.name_en, c.code, c.keywords.join(" "));
                                    view! {
                                        <li class="category-option" data-keywords=keywords>
                                            <input type="radio" name="category" id=id.clone() value=c.code.clone() checked=checked/>
                                            <label for=id>
                                                <strong>{c.name(lang).to_string()}</strong>
                                                <span class="muted">{c.description(lang).to_string()}</span>
                                            </label>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </div>
                    })
                }).collect_view()}
            </fieldset>

            <fieldset class="step" id="step-where">
                <legend>{t(msg::FORM_STEP_WHERE)}</legend>
                <div class="map map-picker" data-map="picker" data-lat=lat0.to_string() data-lon=lon0.to_string()
                    data-tiles=form.tile_url.clone() data-attribution=form.attribution.clone()
                    hidden=true></div>
                <button type="button" class="btn" data-enhance="locate" hidden=true>{t(msg::USE_MY_LOCATION)}</button>
                <p class="hint" id="coords-hint">{t(msg::COORDS_HINT)}</p>
                {location_error.clone().map(|e| view! { <p class="field-error" id="location-error">{e}</p> })}
                <div class="row-2" id="location">
                    <div class="field">
                        <label for="f-lat">{t(msg::LAT)}</label>
                        <input id="f-lat" name="lat" inputmode="decimal" value=values.lat.clone() autocomplete="off"
                            aria-invalid=location_error.is_some().then_some("true")
                            aria-describedby=if location_error.is_some() { "coords-hint location-error" } else { "coords-hint" }/>
                    </div>
                    <div class="field">
                        <label for="f-lon">{t(msg::LON)}</label>
                        <input id="f-lon" name="lon" inputmode="decimal" value=values.lon.clone() autocomplete="off"
                            aria-invalid=location_error.is_some().then_some("true")
                            aria-describedby=if location_error.is_some() { "coords-hint location-error" } else { "coords-hint" }/>
                    </div>
                </div>
                <Field name="address" label=msg::ADDRESS hint=msg::ADDRESS_HINT maxlength=ADDRESS_MAX value=values.address.clone() error/>
                <div class="duplicates" aria-live="polite" data-enhance="duplicates"></div>
            </fieldset>

            <fieldset class="step" id="step-details">
                <legend>{t(msg::FORM_STEP_DETAILS)}</legend>
                <div class="field" class:field-invalid=description_error.is_some()>
                    <label for="f-description">{t(msg::DESCRIPTION)}<span class="req">{t(msg::REQUIRED_MARK)}</span></label>
                    <p class="hint" id="f-description-hint">{t(msg::DESCRIPTION_HINT)}</p>
                    <textarea id="f-description" name="description" rows="5" maxlength=DESCRIPTION_MAX.to_string() required=true
                        aria-invalid=description_error.is_some().then_some("true")
                        aria-describedby=if description_error.is_some() { "f-description-hint f-description-count f-description-error" } else { "f-description-hint f-description-count" }
                    >{values.description.clone()}</textarea>
                    <p class="hint counter" id="f-description-count" data-counter-for="f-description" data-max=DESCRIPTION_MAX.to_string()>
                        {t(msg::CHARS_LEFT)}": "<span>{DESCRIPTION_MAX - values.description.chars().count().min(DESCRIPTION_MAX)}</span>
                    </p>
                    {description_error.clone().map(|e| view! { <p class="field-error" id="f-description-error">{e}</p> })}
                </div>
                {categories.iter().filter(|c| !c.attributes.is_empty()).map(|c| view! {
                    <CategoryFields category=c.clone() values=values.clone() errors=flash.errors.clone()/>
                }).collect_view()}
                <div class="field" id="photos" class:field-invalid=photos_error.is_some()>
                    <label for="f-photo">{t(msg::PHOTOS)}</label>
                    <p class="hint" id="f-photo-hint">{t(msg::PHOTOS_HINT)}" ("{form.max_photo_mb}" MB)"</p>
                    {(!kept.is_empty()).then(|| view! {
                        <fieldset class="kept-photos">
                            <legend>{t(msg::PHOTOS_KEPT)}</legend>
                            <ul class="photos">
                                {kept.iter().map(|p| view! {
                                    <li><label><input type="checkbox" name="photos" value=p.uid.clone() checked=true/>
                                        <img src=p.thumb_url() alt=msg::PHOTOS.get(lang) width=p.thumb_width.to_string() height=p.thumb_height.to_string()/></label></li>
                                }).collect_view()}
                            </ul>
                        </fieldset>
                    })}
                    <ul class="photos" data-enhance="photo-previews"></ul>
                    <input id="f-photo" name="photo" type="file" multiple=true accept="image/jpeg,image/png,image/webp"
                        data-max-photos=PHOTOS_MAX.to_string() data-max-bytes=(form.max_photo_mb * 1024 * 1024).to_string()
                        aria-invalid=photos_error.is_some().then_some("true")
                        aria-describedby=if photos_error.is_some() { "f-photo-hint f-photo-error" } else { "f-photo-hint" }/>
                    <p class="field-error" id="f-photo-error" hidden=photos_error.is_none()>{photos_error.clone()}</p>
                </div>
                {if form.signed_in {
                    view! {
                        <label class="check"><input type="checkbox" name="hide_name" value="on" checked=values.hide_name/>" "{t(msg::HIDE_NAME)}</label>
                    }.into_any()
                } else {
                    view! { <p class="notice">{t(msg::ANON_NOTE)}</p> }.into_any()
                }}
            </fieldset>
            <button type="submit" class="btn btn-primary" disabled=!can_submit>{t(msg::SUBMIT_REPORT)}</button>
        </form>
    }
}

/// The extra fields of one category. All are in the page (so the form works without
/// JavaScript); the script shows only the chosen category's.
#[cfg(feature = "ssr")]
#[component]
fn CategoryFields(
    category: Category,
    values: ReportFormValues,
    errors: Vec<gongzhi_domain::FieldError>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <fieldset class="category-fields" data-for-category=category.code.clone()>
            <legend>{category.name(lang).to_string()}</legend>
            {category.attributes.iter().map(|a| {
                let problem = errors.iter().find(|e| e.field == a.field_name()).map(|e| problem_text(&e.problem, lang));
                let given = values.answers.get(&a.code).cloned().unwrap_or_default();
                view! { <AttributeField attr=a.clone() category=category.code.clone() given problem/> }
            }).collect_view()}
        </fieldset>
    }
}

#[cfg(feature = "ssr")]
#[component]
fn AttributeField(
    attr: Attribute,
    category: String,
    given: Vec<String>,
    problem: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("attr-{}-{}", category, attr.code);
    let err_id = format!("{id}-error");
    let name = attr.field_name();
    let first = given.first().cloned().unwrap_or_default();
    let invalid = problem.is_some().then_some("true");
    let described = problem.is_some().then(|| err_id.clone());
    let label = view! {
        {attr.description(lang).to_string()}
        {attr.required.then(|| view! { <span class="req">{t(msg::REQUIRED_MARK)}</span> })}
    };
    let control = match attr.datatype {
        AttributeType::String => view! {
            <label for=id.clone()>{label}</label>
            <input id=id.clone() name=name value=first maxlength="500" aria-invalid=invalid aria-describedby=described/>
        }.into_any(),
        AttributeType::Text => view! {
            <label for=id.clone()>{label}</label>
            <textarea id=id.clone() name=name rows="3" maxlength="500" aria-invalid=invalid aria-describedby=described>{first}</textarea>
        }.into_any(),
        AttributeType::Number => view! {
            <label for=id.clone()>{label}</label>
            <input id=id.clone() name=name inputmode="decimal" value=first aria-invalid=invalid aria-describedby=described/>
        }.into_any(),
        AttributeType::Datetime => view! {
            <label for=id.clone()>{label}</label>
            <input id=id.clone() name=name type="date" value=first aria-invalid=invalid aria-describedby=described/>
        }.into_any(),
        AttributeType::Singlevaluelist => view! {
            <label for=id.clone()>{label}</label>
            <select id=id.clone() name=name aria-invalid=invalid aria-describedby=described>
                <option value="">{t(msg::CATEGORY_CHOOSE)}</option>
                {attr.values.iter().map(|v| view! {
                    <option value=v.key.clone() selected=given.contains(&v.key)>{v.name(lang).to_string()}</option>
                }).collect_view()}
            </select>
        }.into_any(),
        AttributeType::Multivaluelist => view! {
            <fieldset class="choices" aria-describedby=described>
                <legend>{label}</legend>
                {attr.values.iter().map(|v| {
                    let vid = format!("{id}-{}", v.key);
                    view! {
                        <label class="check" for=vid.clone()>
                            <input type="checkbox" id=vid.clone() name=format!("{name}[]") value=v.key.clone() checked=given.contains(&v.key)/>
                            " "{v.name(lang).to_string()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        }.into_any(),
    };
    view! {
        <div class="field" class:field-invalid=problem.is_some() id=format!("field-{id}")>
            {control}
            {problem.clone().map(|p| view! { <p class="field-error" id=err_id.clone()>{p}</p> })}
        </div>
    }
}

/// Where the error summary's link for a field points.
#[cfg(feature = "ssr")]
fn anchor_for(field: &str, category: &str) -> String {
    match field {
        "category" => "step-category".into(),
        "location" => "location".into(),
        "description" => "f-description".into(),
        "address" => "f-address".into(),
        "photos" => "photos".into(),
        other => other
            .strip_prefix("attribute[")
            .and_then(|s| s.strip_suffix(']'))
            .map(|code| format!("field-attr-{category}-{code}"))
            .unwrap_or_else(|| "step-details".into()),
    }
}

/// The label of a field in the error summary.
#[cfg(feature = "ssr")]
fn field_label(field: &str, categories: &[Category], lang: Lang) -> String {
    let m = match field {
        "category" => Some(msg::CATEGORY),
        "location" => Some(msg::LOCATION),
        "description" => Some(msg::DESCRIPTION),
        "address" => Some(msg::ADDRESS),
        "photos" => Some(msg::PHOTOS),
        _ => None,
    };
    if let Some(m) = m {
        return m.get(lang).to_string();
    }
    let code = field
        .strip_prefix("attribute[")
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(field);
    categories
        .iter()
        .flat_map(|c| c.attributes.iter())
        .find(|a| a.code == code)
        .map(|a| a.description(lang).to_string())
        .unwrap_or_else(|| field.to_string())
}
