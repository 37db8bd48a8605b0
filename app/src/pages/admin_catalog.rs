//! Administration of what residents can report: categories (Open311 services) and the
//! city's management grids.

use gongzhi_domain::model::catalog::Category;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::admin::{admin_catalog, places_count, ImportGrids, ImportPlaces, SaveCategory};
use crate::api::reports::Catalog;
use crate::components::form::{action_error, ErrorSignal, Field, FormAlert, Submit};
use crate::error::problem_text;
use crate::i18n::{msg, t, use_lang, Msg};
use crate::pages::LoadError;

/// The administration's sections.
#[component]
pub(crate) fn AdminTabs() -> impl IntoView {
    // The deadlines page is plain HTML (no wasm): a full page load, marked by hand.
    let location = leptos_router::hooks::use_location();
    let on_deadlines = move || (location.pathname.get() == "/admin/deadlines").then_some("page");
    view! {
        <nav class="tabs" aria-label=t(msg::NAV_ADMIN)>
            <A href="/admin/users">{t(msg::ADMIN_USERS_TITLE)}</A>
            <A href="/admin/departments">{t(msg::ADMIN_DEPTS_TITLE)}</A>
            <A href="/admin/categories">{t(msg::ADMIN_CATEGORIES_TITLE)}</A>
            <A href="/admin/grids">{t(msg::ADMIN_GRIDS_TITLE)}</A>
            <A href="/admin/outbox">{t(msg::ADMIN_OUTBOX_TITLE)}</A>
            <A href="/admin/jobs">{t(msg::ADMIN_JOBS_TITLE)}</A>
            <A href="/admin/api-keys">{t(msg::ADMIN_KEYS_TITLE)}</A>
            <a href="/admin/deadlines" rel="external" aria-current=on_deadlines>{t(msg::ADMIN_DEADLINES)}</a>
        </nav>
    }
    .into_any()
}

#[component]
pub fn AdminCategoriesPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| admin_catalog());
    view! {
        <Title text=t(msg::ADMIN_CATEGORIES_TITLE)/>
        <AdminTabs/>
        <div class="page-head">
            <h1>{t(msg::ADMIN_CATEGORIES_TITLE)}</h1>
            <A href="/admin/categories/new" attr:class="btn btn-accent">{t(msg::NEW_CATEGORY)}</A>
        </div>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(cat) => view! {
                    {cat.groups.clone().into_iter().map(|g| view! {
                        <h2>{g.name(lang).to_string()}</h2>
                        <ul class="admin-list">
                            {cat.categories.clone().into_iter().filter(|c| c.group_id == g.id).map(|c| {
                                let dept = cat.department(c.department_id).map(|d| d.name(lang).to_string()).unwrap_or_default();
                                view! {
                                    <li class="admin-row">
                                        <div>
                                            <strong>{c.name(lang).to_string()}</strong>" "
                                            <code>{c.code.clone()}</code>
                                            {(!c.active).then(|| view! { " "<span class="badge">{t(msg::INACTIVE)}</span> })}
                                        </div>
                                        <div class="muted">{dept}" · "{c.time_limit_hours}" "{t(msg::HOURS)}
                                            " · "{c.attributes.len()}" "{t(msg::ATTRIBUTES)}</div>
                                        <A href=format!("/admin/categories/{}", c.id)>{t(msg::EDIT)}<span class="visually-hidden">" "{c.name(lang).to_string()}</span></A>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }).collect_view()}
                }.into_any(),
            })}
        </Transition>
    }
    .into_any()
}

#[component]
pub fn AdminCategoryEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let data = Resource::new(|| (), |_| admin_catalog());
    view! {
        <Title text=t(msg::ADMIN_CATEGORIES_TITLE)/>
        <AdminTabs/>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(cat) => {
                    let existing = id().and_then(|i| cat.categories.iter().find(|c| c.id == i).cloned());
                    view! { <CategoryForm catalog=cat existing/> }.into_any()
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn CategoryForm(catalog: Catalog, existing: Option<Category>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SaveCategory>::new();
    let error = action_error(action);
    let pending = action.pending().into();
    let c = existing.clone();
    let v = move |f: fn(&Category) -> String| c.as_ref().map(f).unwrap_or_default();
    let attributes = existing
        .as_ref()
        .map(|c| serde_json::to_string_pretty(&c.attributes).unwrap_or_default())
        .unwrap_or_else(|| "[]".into());
    let title = existing
        .as_ref()
        .map(|c| c.name(lang).to_string())
        .unwrap_or_else(|| msg::NEW_CATEGORY.get(lang).to_string());
    let group = existing.as_ref().map(|c| c.group_id);
    let dept = existing.as_ref().map(|c| c.department_id);
    let active = existing.as_ref().is_none_or(|c| c.active);
    view! {
        <h1>{title}</h1>
        <ActionForm action attr:class="stack narrow-wide" attr:novalidate=true>
            <FormAlert error/>
            <input type="hidden" name="id" value=existing.as_ref().map(|c| c.id.to_string()).unwrap_or_default()/>
            <Field name="code" label=msg::CODE required=true maxlength=40 value=v(|c| c.code.clone()) error/>
            <Field name="name_zh" label=msg::NAME_ZH required=true maxlength=60 value=v(|c| c.name_zh.clone()) error/>
            <Field name="name_en" label=msg::NAME_EN required=true maxlength=60 value=v(|c| c.name_en.clone()) error/>
            <Select name="group_id" label=msg::GROUP error
                options=catalog.groups.iter().map(|g| (g.id.to_string(), g.name(lang).to_string(), Some(g.id) == group)).collect()/>
            <Select name="department_id" label=msg::DEPARTMENT error
                options=catalog.departments.iter().map(|d| (d.id.to_string(), d.name(lang).to_string(), Some(d.id) == dept)).collect()/>
            <Field name="time_limit_hours" label=msg::TIME_LIMIT_HOURS required=true value=v(|c| c.time_limit_hours.to_string()) error/>
            <Field name="keywords" label=msg::KEYWORDS maxlength=500 value=v(|c| c.keywords.join(", ")) error/>
            <TextArea name="description_zh" label=msg::DESCRIPTION_ZH value=v(|c| c.description_zh.clone()) rows=2 error/>
            <TextArea name="description_en" label=msg::DESCRIPTION_EN value=v(|c| c.description_en.clone()) rows=2 error/>
            <TextArea name="attributes" label=msg::ATTRIBUTES hint=msg::ATTRIBUTES_HINT value=attributes rows=10 error/>
            <Field name="position" label=msg::POSITION value=v(|c| c.position.to_string()) error/>
            <label class="check"><input type="checkbox" name="active" value="on" checked=active/>" "{t(msg::ACTIVE_CATEGORY)}</label>
            <Submit label=msg::SAVE pending/>
        </ActionForm>
    }
    .into_any()
}

/// A labelled select with its error.
#[component]
fn Select(
    name: &'static str,
    label: Msg,
    options: Vec<(String, String, bool)>,
    error: ErrorSignal,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("f-{name}");
    let err_id = format!("{id}-error");
    let problem = Memo::new(move |_| error.get().and_then(|e| e.field(name).cloned()));
    view! {
        <div class="field" class:field-invalid=move || problem.get().is_some()>
            <label for=id.clone()>{label.get(lang)}</label>
            <select id=id name=name aria-invalid=move || problem.get().is_some().then_some("true") aria-describedby=err_id.clone()>
                {options.into_iter().map(|(v, text, selected)| view! { <option value=v selected=selected>{text}</option> }).collect_view()}
            </select>
            <p class="field-error" id=err_id hidden=move || problem.get().is_none()>{move || problem.get().map(|p| problem_text(&p, lang))}</p>
        </div>
    }
    .into_any()
}

/// A labelled textarea with its hint and error.
#[component]
fn TextArea(
    name: &'static str,
    label: Msg,
    #[prop(optional)] hint: Option<Msg>,
    value: String,
    rows: u32,
    error: ErrorSignal,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let problem = Memo::new(move |_| error.get().and_then(|e| e.field(name).cloned()));
    let described = if hint.is_some() {
        format!("{hint_id} {err_id}")
    } else {
        err_id.clone()
    };
    view! {
        <div class="field" class:field-invalid=move || problem.get().is_some()>
            <label for=id.clone()>{label.get(lang)}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h.get(lang)}</p> })}
            <textarea id=id name=name rows=rows.to_string() aria-invalid=move || problem.get().is_some().then_some("true") aria-describedby=described>{value}</textarea>
            <p class="field-error" id=err_id hidden=move || problem.get().is_none()>{move || problem.get().map(|p| problem_text(&p, lang))}</p>
        </div>
    }
    .into_any()
}

#[component]
pub fn AdminGridsPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ImportGrids>::new();
    let error = action_error(action);
    let pending = action.pending().into();
    let data = Resource::new(move || action.version().get(), |_| admin_catalog());
    let done = move || action.value().get().and_then(|r| r.ok());
    view! {
        <Title text=t(msg::ADMIN_GRIDS_TITLE)/>
        <AdminTabs/>
        <h1>{t(msg::ADMIN_GRIDS_TITLE)}</h1>
        <p><a href="/grids.geojson" download="grids.geojson">{t(msg::DOWNLOAD_GEOJSON)}</a></p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(cat) => view! {
                    <ul class="admin-list">
                        {cat.grids.iter().map(|g| {
                            let dept = g.department_id.and_then(|d| cat.department(d)).map(|d| d.name(lang).to_string()).unwrap_or_default();
                            view! { <li class="admin-row"><strong>{g.name(lang).to_string()}</strong>" "<code>{g.code.clone()}</code><span class="muted">" "{dept}</span></li> }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Transition>
        <section aria-labelledby="grids-upload">
            <h2 id="grids-upload">{t(msg::GRIDS_UPLOAD)}</h2>
            <div class="alert alert-success" role="status" hidden=move || done().is_none()>
                {move || done().map(|s| format!("{}: {} {}, {} {}", msg::GRIDS_IMPORTED.get(lang), s.created, msg::CREATED.get(lang), s.updated, msg::UPDATED.get(lang)))}
            </div>
            <ActionForm action attr:class="stack" attr:novalidate=true>
                <FormAlert error/>
                <TextArea name="geojson" label=msg::GRIDS_UPLOAD hint=msg::GRIDS_HINT value=String::new() rows=10 error/>
                <Submit label=msg::SAVE pending/>
            </ActionForm>
        </section>
        <PlacesForm/>
    }
    .into_any()
}

/// The gazetteer: place names that locate reports by a typed address.
#[component]
fn PlacesForm() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ImportPlaces>::new();
    let error = action_error(action);
    let pending = action.pending().into();
    let count = Resource::new(move || action.version().get(), |_| places_count());
    let done = move || action.value().get().and_then(|r| r.ok());
    view! {
        <section aria-labelledby="places-upload">
            <h2 id="places-upload">{t(msg::PLACES_UPLOAD)}</h2>
            <Transition fallback=|| ()>
                {move || count.get().and_then(|r| r.ok()).map(|n| view! { <p>{t(msg::PLACES_COUNT)}": "{n}</p> })}
            </Transition>
            <div class="alert alert-success" role="status" hidden=move || done().is_none()>
                {move || done().map(|n| format!("{}: {n}", msg::PLACES_IMPORTED.get(lang)))}
            </div>
            <ActionForm action attr:class="stack" attr:novalidate=true>
                <FormAlert error/>
                <TextArea name="places" label=msg::PLACES_UPLOAD hint=msg::PLACES_HINT value=String::new() rows=6 error/>
                <Submit label=msg::SAVE pending/>
            </ActionForm>
        </section>
    }
    .into_any()
}
