//! `/open-data`: what can be downloaded, in which formats, under which licence, and the
//! schema of every file (made from the same field lists as the files themselves).

use gongzhi_domain::model::opendata::Dataset;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::opendata::open_data_info;
use crate::i18n::{msg, t, use_lang, Lang, Msg};
use crate::pages::LoadError;

fn title(d: Dataset) -> Msg {
    match d {
        Dataset::Reports => msg::OD_REPORTS,
        Dataset::Questions => msg::OD_QUESTIONS,
        Dataset::Answers => msg::OD_ANSWERS,
        Dataset::Ratings => msg::OD_RATINGS,
        Dataset::Results => msg::OD_RESULTS,
    }
}

fn about(d: Dataset) -> Msg {
    match d {
        Dataset::Reports => msg::OD_REPORTS_ABOUT,
        Dataset::Questions => msg::OD_QUESTIONS_ABOUT,
        Dataset::Answers => msg::OD_ANSWERS_ABOUT,
        Dataset::Ratings => msg::OD_RATINGS_ABOUT,
        Dataset::Results => msg::OD_RESULTS_ABOUT,
    }
}

#[component]
fn DatasetSchema(dataset: Dataset) -> impl IntoView {
    let lang = use_lang();
    let id = format!("od-{}", dataset.name());
    let labelled = id.clone();
    view! {
        <section class="card" aria-labelledby=labelled id=format!("{}-schema", dataset.name())>
            <h2 id=id>{title(dataset).get(lang)}</h2>
            <p>{about(dataset).get(lang)}</p>
            <p class="presets">
                {dataset.formats().iter().map(|f| {
                    let href = format!("/open-data/{}.{}", dataset.name(), f.extension());
                    view! { <a class="chip" href=href.clone()>{href.trim_start_matches("/open-data/").to_string()}</a>" " }
                }).collect_view()}
            </p>
            <div class="table-wrap" tabindex="0" role="region" aria-label=format!("{} · {}", title(dataset).get(lang), msg::OD_FIELDS.get(lang))>
                <table class="figures">
                    <caption>{t(msg::OD_FIELDS)}</caption>
                    <thead><tr>
                        <th scope="col">{t(msg::OD_FIELD)}</th>
                        <th scope="col">{t(msg::OD_TYPE)}</th>
                        <th scope="col">{t(msg::OD_MEANING)}</th>
                    </tr></thead>
                    <tbody>
                        {dataset.fields().iter().map(|f| view! {
                            <tr>
                                <th scope="row"><code>{f.name}</code></th>
                                <td>{f.kind.name()}{f.optional.then(|| format!(" ({})", msg::OD_OPTIONAL.get(lang)))}</td>
                                <td class="wrap">{if lang == Lang::Zh { f.zh } else { f.en }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

#[component]
pub fn OpenDataPage() -> impl IntoView {
    let lang = use_lang();
    let info = Resource::new(|| (), |_| open_data_info());
    view! {
        <Title text=t(msg::NAV_OPEN_DATA)/>
        <h1>{t(msg::NAV_OPEN_DATA)}</h1>
        <p>{t(msg::OD_INTRO)}</p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || info.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(i) => view! {
                    <p id="licence"><strong>{t(msg::OD_LICENCE)}": "</strong>{i.licence.clone()}</p>
                    <ul class="definitions">
                        <li>{t(msg::OD_NO_PERSONAL)}</li>
                        <li>{t(msg::OD_PARAMS)}</li>
                        <li>{t(msg::OD_FORMATS)}</li>
                        <li>{t(msg::OD_CONSISTENT)}</li>
                        <li>{t(msg::OD_FEEDS)}" "<a href="/feeds/reports.atom">"reports.atom"</a>" · "<a href="/feeds/answers.atom">"answers.atom"</a></li>
                    </ul>
                    <details class="data-table">
                        <summary>{t(msg::OD_DEPARTMENT_CODES)}</summary>
                        <table class="figures">
                            <caption>{t(msg::OD_DEPARTMENT_CODES)}</caption>
                            <thead><tr><th scope="col">{t(msg::OD_CODE)}</th><th scope="col">{t(msg::DEPARTMENT)}</th></tr></thead>
                            <tbody>
                                {i.departments.iter().map(|d| view! {
                                    <tr><th scope="row"><code>{d.code.clone()}</code></th><td>{crate::i18n::marked_department_name(d, lang)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </details>
                }.into_any(),
            })}
        </Transition>
        {Dataset::ALL.into_iter().map(|d| view! { <DatasetSchema dataset=d/> }).collect_view()}
    }
}
