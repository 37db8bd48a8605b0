//! Accessible form parts: every input has a label, its hint and error are tied to it with
//! `aria-describedby`, and the error says what to do, in the page's language.

use leptos::prelude::*;

use crate::error::{problem_text, AppError};
use crate::i18n::{msg, t, use_lang, Msg};

/// The current error of an action, as a signal the fields can read.
pub type ErrorSignal = Signal<Option<AppError>>;

/// Turns a server action's value into the error signal for its form's fields.
pub fn action_error<I, O>(action: ServerAction<I>) -> ErrorSignal
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || match action.value().get() {
        Some(Err(e)) => Some(e),
        _ => None,
    })
}

/// A field's `aria-describedby`: its hint, if it has one, and its error while there is one.
fn described_by(
    hint_id: Option<String>,
    err_id: String,
    problem: Memo<Option<gongzhi_domain::Problem>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let ids: Vec<&str> = hint_id
            .iter()
            .map(String::as_str)
            .chain(problem.get().is_some().then_some(err_id.as_str()))
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// A labelled input with its hint and error text.
#[component]
pub fn Field(
    /// The form field name, also used for the element id.
    #[prop(into)]
    name: String,
    label: Msg,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] hint: Option<Msg>,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional, into)] value: Option<String>,
    /// For a page that empties the input itself (e.g. after a success).
    #[prop(optional)]
    node_ref: Option<NodeRef<leptos::html::Input>>,
    error: ErrorSignal,
) -> impl IntoView {
    let lang = use_lang();
    let node_ref = node_ref.unwrap_or_default();
    // A form posted without wasm that came back: what was typed (never a password) wins
    // over what was saved.
    #[cfg(feature = "ssr")]
    let value = (input_type != "password")
        .then(|| crate::state::typed_value(&name))
        .flatten()
        .or(value);
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let problem = {
        let name = name.clone();
        Memo::new(move |_| error.get().and_then(|e| e.field(&name).cloned()))
    };
    let described = described_by(
        hint.is_some().then(|| hint_id.clone()),
        err_id.clone(),
        problem,
    );
    view! {
        <div class="field" class:field-invalid=move || problem.get().is_some()>
            <label for=id.clone()>
                {label.get(lang)}
                {required.then(|| view! { <span class="req">{msg::REQUIRED_MARK.get(lang)}</span> })}
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h.get(lang)}</p> })}
            <input
                id=id.clone()
                name=name
                type=input_type
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                required=required
                maxlength=maxlength.map(|m| m.to_string())
                value=value
                aria-invalid=move || problem.get().is_some().then_some("true")
                aria-describedby=described
                node_ref=node_ref
            />
            <p class="field-error" id=err_id.clone() hidden=move || problem.get().is_none()>
                {move || problem.get().map(|p| problem_text(&p, lang))}
            </p>
        </div>
    }
}

/// A labelled text area with its hint and error text (like [`Field`]).
#[component]
pub fn TextArea(
    #[prop(into)] name: String,
    label: Msg,
    #[prop(optional)] hint: Option<Msg>,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(default = 4)] rows: u32,
    #[prop(optional, into)] value: Option<String>,
    error: ErrorSignal,
) -> impl IntoView {
    let lang = use_lang();
    // A form posted without wasm that came back: what was typed wins over what was saved.
    #[cfg(feature = "ssr")]
    let value = crate::state::typed_value(&name).or(value);
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let problem = {
        let name = name.clone();
        Memo::new(move |_| error.get().and_then(|e| e.field(&name).cloned()))
    };
    let described = described_by(
        hint.is_some().then(|| hint_id.clone()),
        err_id.clone(),
        problem,
    );
    view! {
        <div class="field" class:field-invalid=move || problem.get().is_some()>
            <label for=id.clone()>
                {label.get(lang)}
                {required.then(|| view! { <span class="req">{msg::REQUIRED_MARK.get(lang)}</span> })}
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h.get(lang)}</p> })}
            <textarea
                id=id.clone()
                name=name
                rows=rows.to_string()
                required=required
                maxlength=maxlength.map(|m| m.to_string())
                aria-invalid=move || problem.get().is_some().then_some("true")
                aria-describedby=described
            >{value.unwrap_or_default()}</textarea>
            <p class="field-error" id=err_id.clone() hidden=move || problem.get().is_none()>
                {move || problem.get().map(|p| problem_text(&p, lang))}
            </p>
        </div>
    }
}

/// The message above a form: what went wrong as a whole, announced to screen readers.
#[component]
pub fn FormAlert(error: ErrorSignal) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="alert alert-error" role="alert" hidden=move || error.get().is_none()>
            {move || error.get().map(|e| e.message(lang))}
        </div>
    }
}

/// A submit button that shows it is busy while the request runs.
#[component]
pub fn Submit(label: Msg, pending: Signal<bool>) -> impl IntoView {
    view! {
        <button type="submit" class="btn btn-primary" aria-disabled=move || pending.get().then_some("true")>
            {move || if pending.get() { t(msg::LOADING) } else { t(label) }}
        </button>
    }
}

/// The required choice of a department, posted as `name` (`department` unless given): its
/// label, the departments (`selected` chosen, `exclude` and retired ones left out, as when
/// handing over to another one) and the problem the server found with it.
#[component]
pub fn DepartmentField(
    /// The select's element id.
    id: &'static str,
    label: Msg,
    #[prop(default = "department")] name: &'static str,
    departments: Vec<gongzhi_domain::model::Department>,
    #[prop(default = None)] selected: Option<i64>,
    #[prop(default = None)] exclude: Option<i64>,
    error: ErrorSignal,
) -> impl IntoView {
    let lang = use_lang();
    let problem = move || {
        error
            .get()
            .and_then(|e| e.field(name).cloned())
            .map(|p| problem_text(&p, lang))
    };
    let err_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label.get(lang)}<span class="req">{msg::REQUIRED_MARK.get(lang)}</span></label>
            <select id=id name=name required=true aria-describedby=err_id.clone()
                aria-invalid=move || problem().is_some().then_some("true")>
                <option value="">{msg::CHOOSE.get(lang)}</option>
                {departments.into_iter().filter(|d| Some(d.id) != exclude && !d.retired).map(|d| view! {
                    <option value=d.id.to_string() selected=Some(d.id) == selected>{d.name(lang).to_string()}</option>
                }).collect_view()}
            </select>
            <p class="field-error" id=err_id hidden=move || problem().is_none()>{problem}</p>
        </div>
    }
}
