//! Administration of what residents can report: categories (Open311 services) and the
//! city's management grids.

use gongzhi_domain::model::catalog::{AttributeRow, AttributeType, Category};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::admin::{admin_catalog, places_count, ImportGrids, ImportPlaces, SaveCategory};
use crate::api::reports::Catalog;
use crate::components::form::{action_error, ErrorSignal, Field, FormAlert, Submit, TextArea};
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
    // The saved extra fields and one spare row for a new one.
    let rows: Vec<AttributeRow> = existing
        .iter()
        .flat_map(|c| c.attributes.iter().map(AttributeRow::from))
        .chain([AttributeRow::default()])
        .collect();
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
                options=catalog.departments.iter().filter(|d| !d.retired).map(|d| (d.id.to_string(), d.name(lang).to_string(), Some(d.id) == dept)).collect()/>
            <Field name="time_limit_hours" label=msg::TIME_LIMIT_HOURS required=true value=v(|c| c.time_limit_hours.to_string()) error/>
            <Field name="keywords" label=msg::KEYWORDS maxlength=500 value=v(|c| c.keywords.join(", ")) error/>
            <TextArea name="description_zh" label=msg::DESCRIPTION_ZH value=v(|c| c.description_zh.clone()) rows=2 error/>
            <TextArea name="description_en" label=msg::DESCRIPTION_EN value=v(|c| c.description_en.clone()) rows=2 error/>
            <AttributeRows rows error/>
            <Field name="position" label=msg::POSITION value=v(|c| c.position.to_string()) error/>
            <label class="check"><input type="checkbox" name="active" value="on" checked=active/>" "{t(msg::ACTIVE_CATEGORY)}</label>
            <Submit label=msg::SAVE pending/>
        </ActionForm>
    }
    .into_any()
}

/// The category's extra fields (Open311 attributes), one group of inputs each, ending
/// with a spare row for a new one. Without wasm the spare row is the way to add a field
/// (save, and the form comes back with a new spare row); with wasm "add another field"
/// adds rows in place. Rows are never taken out of the page, only marked for removal, so
/// the row numbers in input names and in the server's problems stay the same.
#[component]
fn AttributeRows(rows: Vec<AttributeRow>, error: ErrorSignal) -> impl IntoView {
    let lang = use_lang();
    let count = RwSignal::new(rows.len());
    let rows = StoredValue::new(rows);
    // Effects run only in the browser: the add button shows once wasm can handle it.
    let hydrated = RwSignal::new(false);
    Effect::new(move || hydrated.set(true));
    let problem = Memo::new(move |_| error.get().and_then(|e| e.field("attributes").cloned()));
    view! {
        <fieldset class="attr-rows" aria-describedby="attributes-hint attributes-error">
            <legend>{t(msg::ATTRIBUTES)}</legend>
            <p class="hint" id="attributes-hint">{t(msg::ATTRIBUTES_HINT)}</p>
            <p class="field-error" id="attributes-error" hidden=move || problem.get().is_none()>
                {move || problem.get().map(|p| problem_text(&p, lang))}
            </p>
            <For each=move || 0..count.get() key=|i| *i let:i>
                <AttributeRowFields i row=rows.with_value(|r| r.get(i).cloned()).unwrap_or_default() error/>
            </For>
            <button type="button" class="btn" hidden=move || !hydrated.get()
                on:click=move |_| count.update(|n| *n += 1)>{t(msg::ADD_ATTRIBUTE)}</button>
        </fieldset>
    }
    .into_any()
}

/// One extra field's inputs, named `attributes[<i>][<field>]`.
#[component]
fn AttributeRowFields(i: usize, row: AttributeRow, error: ErrorSignal) -> impl IntoView {
    let lang = use_lang();
    let name = move |f: &str| format!("attributes[{i}][{f}]");
    let datatype = name("datatype");
    let type_id = format!("f-{datatype}");
    let type_problem = {
        let datatype = datatype.clone();
        Memo::new(move |_| error.get().and_then(|e| e.field(&datatype).cloned()))
    };
    let type_err = format!("{type_id}-error");
    let chosen = AttributeType::parse(&row.datatype).unwrap_or(AttributeType::String);
    view! {
        <fieldset class="attr-row">
            <legend>{format!("{} {}", msg::ATTRIBUTE_N.get(lang), i + 1)}</legend>
            <Field name=name("code") label=msg::CODE hint=msg::ATTRIBUTE_CODE_HINT required=true maxlength=40 value=row.code error/>
            <div class="field" class:field-invalid=move || type_problem.get().is_some()>
                <label for=type_id.clone()>{t(msg::ATTRIBUTE_TYPE)}</label>
                <select id=type_id name=datatype aria-describedby=type_err.clone()
                    aria-invalid=move || type_problem.get().is_some().then_some("true")>
                    {AttributeType::ALL.into_iter().map(|ty| view! {
                        <option value=ty.as_str() selected=ty == chosen>{type_label(ty).get(lang)}</option>
                    }).collect_view()}
                </select>
                <p class="field-error" id=type_err hidden=move || type_problem.get().is_none()>
                    {move || type_problem.get().map(|p| problem_text(&p, lang))}
                </p>
            </div>
            <label class="check"><input type="checkbox" name=name("required") value="on" checked=row.required.is_some()/>
                " "{t(msg::ATTRIBUTE_REQUIRED)}</label>
            <Field name=name("description_zh") label=msg::QUESTION_ZH required=true maxlength=200 value=row.description_zh error/>
            <Field name=name("description_en") label=msg::QUESTION_EN required=true maxlength=200 value=row.description_en error/>
            <div class="attr-choices">
                <TextArea name=name("choices") label=msg::CHOICES hint=msg::CHOICES_HINT rows=3 value=row.choices error/>
            </div>
            <Field name=name("order") label=msg::POSITION value=row.order error/>
            <label class="check"><input type="checkbox" name=name("remove") value="on"/>" "{t(msg::REMOVE_ATTRIBUTE)}</label>
        </fieldset>
    }
    .into_any()
}

/// What an admin reads for an Open311 datatype.
fn type_label(ty: AttributeType) -> Msg {
    match ty {
        AttributeType::String => msg::TYPE_STRING,
        AttributeType::Text => msg::TYPE_TEXT,
        AttributeType::Number => msg::TYPE_NUMBER,
        AttributeType::Datetime => msg::TYPE_DATE,
        AttributeType::Singlevaluelist => msg::TYPE_SINGLE,
        AttributeType::Multivaluelist => msg::TYPE_MULTI,
    }
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
