//! The public results page: the figures for a period (whole months of the city's
//! calendar) for the city or one department, with what is needed to name and draw them.

use gongzhi_domain::model::stats::{GridShape, Results};
use gongzhi_domain::FieldError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::reports::Catalog;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::*;

/// The width the grid map is drawn in (SVG units; it scales to the screen).
pub const MAP_WIDTH: f64 = 600.0;

/// The page's data. A bad period or department is reported at its field and the default
/// (the last twelve months, the whole city) is shown instead.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultsData {
    pub results: Results,
    /// The period shown, `YYYY-MM` (empty for all time).
    pub from: String,
    pub to: String,
    /// The city's current month, `YYYY-MM`.
    pub this_month: String,
    /// The department's code, when one is chosen.
    pub department: String,
    pub catalog: Catalog,
    pub shapes: Vec<GridShape>,
    pub map_height: f64,
    pub errors: Vec<FieldError>,
}

#[server(prefix = "/api", endpoint = "results")]
pub async fn results_page(
    #[server(default)] period: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] department: String,
) -> Result<ResultsData, AppError> {
    with_status(
        async move {
            use gongzhi_domain::model::stats::{Month, Period};
            use gongzhi_domain::Problem;
            let st = state()?;
            let svc = &st.svc;
            let catalog = crate::api::reports::load_catalog(true).await?;
            let offset = svc.reports.utc_offset_minutes;
            let today = (gongzhi_domain::time::now()
                + chrono::Duration::minutes(i64::from(offset)))
            .date_naive();
            let this = Month::of(today);
            let mut errors = Vec::new();
            let mut month = |field: &str, s: &str| match s.trim() {
                "" => None,
                s => Month::parse(s).or_else(|| {
                    errors.push(FieldError::new(field, Problem::NotAMonth));
                    None
                }),
            };
            let (f, t) = (month("from", &from), month("to", &to));
            let year = |y: i32| Period {
                from: Month { year: y, month: 1 },
                to: Month { year: y, month: 12 },
            };
            let mut period = match (f, t, period.trim()) {
                (Some(f), Some(t), _) => Some(Period { from: f, to: t }),
                (Some(f), None, _) => Some(Period { from: f, to: this }),
                (None, Some(t), _) => Some(Period { from: t, to: t }),
                (None, None, "all") => None,
                (None, None, "this_month") => Some(Period {
                    from: this,
                    to: this,
                }),
                (None, None, "last_month") => Some(Period {
                    from: this.back(1),
                    to: this.back(1),
                }),
                (None, None, "this_year") => Some(year(this.year)),
                (None, None, "last_year") => Some(year(this.year - 1)),
                (None, None, "" | "last_12") => Some(Period::last_twelve(this)),
                (None, None, _) => {
                    errors.push(FieldError::new("period", Problem::InvalidChoice));
                    Some(Period::last_twelve(this))
                }
            };
            if let Some(p) = period {
                if p.from > p.to {
                    errors.push(FieldError::new("to", Problem::BeforeStart));
                    period = Some(Period::last_twelve(this));
                }
            }
            let dept = match department.trim() {
                "" => None,
                code => match catalog.departments.iter().find(|d| d.code == code) {
                    Some(d) => Some(d.clone()),
                    None => {
                        errors.push(FieldError::new("department", Problem::UnknownDepartment));
                        None
                    }
                },
            };
            let results =
                gongzhi_domain::stats::results(svc, period, dept.as_ref().map(|d| d.id)).await?;
            let (shapes, map_height) =
                gongzhi_domain::stats::map::shapes(&svc.db, MAP_WIDTH).await?;
            Ok(ResultsData {
                results,
                from: period.map(|p| p.from.key()).unwrap_or_default(),
                to: period.map(|p| p.to.key()).unwrap_or_default(),
                this_month: this.key(),
                department: dept.map(|d| d.code).unwrap_or_default(),
                catalog,
                shapes,
                map_height,
                errors,
            })
        }
        .await,
    )
}

/// A list behind a figure: its page of items, the departments to name them by, and what was
/// wrong with the filters (a bad filter is left out and reported at its field).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemList<P> {
    pub page: P,
    pub departments: Vec<gongzhi_domain::model::Department>,
    pub errors: Vec<FieldError>,
}

/// The days and department of a list behind a figure, from the query's text.
#[cfg(feature = "ssr")]
fn item_range(
    from: &str,
    to: &str,
    department: &str,
    page: &str,
    departments: &[gongzhi_domain::model::Department],
    errors: &mut Vec<FieldError>,
) -> gongzhi_domain::model::stats::ItemRange {
    use gongzhi_domain::Problem;
    let from = crate::api::day_filter("from", from, errors);
    let to = crate::api::day_filter("to", to, errors);
    let to = crate::api::range_end("to", from, to, errors);
    let department = match department.trim() {
        "" => None,
        code => match departments.iter().find(|d| d.code == code) {
            Some(d) => Some(d.id),
            None => {
                errors.push(FieldError::new("department", Problem::UnknownDepartment));
                None
            }
        },
    };
    gongzhi_domain::model::stats::ItemRange {
        from,
        to,
        department,
        page: page.trim().parse().unwrap_or(0),
    }
}

/// `/results/ratings`: the ratings the satisfaction figures count. `level` is a level's
/// name, `satisfied` (基本满意 or better) or `poor`.
#[server(prefix = "/api", endpoint = "results_ratings")]
pub async fn rated_list(
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] department: String,
    #[server(default)] subject: String,
    #[server(default)] level: String,
    #[server(default)] page: String,
) -> Result<ItemList<gongzhi_domain::model::stats::RatedPage>, AppError> {
    with_status(
        async move {
            use gongzhi_domain::model::rating::{Level, Subject};
            use gongzhi_domain::model::stats::RatingFilter;
            use gongzhi_domain::Problem;
            let st = state()?;
            let departments = gongzhi_domain::departments::list(&st.svc.db).await?;
            let mut errors = Vec::new();
            let range = item_range(&from, &to, &department, &page, &departments, &mut errors);
            let subject = match subject.trim() {
                "" => None,
                s => Subject::parse(s).or_else(|| {
                    errors.push(FieldError::new("subject", Problem::InvalidChoice));
                    None
                }),
            };
            let levels = match level.trim() {
                "" => Vec::new(),
                "satisfied" => Level::ALL.into_iter().filter(|l| l.satisfied()).collect(),
                "poor" => Level::ALL.into_iter().filter(|l| l.poor()).collect(),
                s => match Level::parse(s) {
                    Some(l) => vec![l],
                    None => {
                        errors.push(FieldError::new("level", Problem::InvalidChoice));
                        Vec::new()
                    }
                },
            };
            let filter = RatingFilter {
                range,
                subject,
                levels,
            };
            Ok(ItemList {
                page: gongzhi_domain::stats::items::ratings(&st.svc, &filter).await?,
                departments,
                errors,
            })
        }
        .await,
    )
}

/// `/results/rectifications`: rectifications opened (or, `by=done`, done) in the days.
#[server(prefix = "/api", endpoint = "results_rectifications")]
pub async fn rectification_list(
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] department: String,
    #[server(default)] by: String,
    #[server(default)] state: String,
    #[server(default)] page: String,
) -> Result<ItemList<gongzhi_domain::model::stats::RectPage>, AppError> {
    with_status(
        async move {
            use gongzhi_domain::model::stats::{RectFilter, RectState};
            use gongzhi_domain::Problem;
            let st = crate::state::state()?;
            let departments = gongzhi_domain::departments::list(&st.svc.db).await?;
            let mut errors = Vec::new();
            let range = item_range(&from, &to, &department, &page, &departments, &mut errors);
            let by_done = match by.trim() {
                "" | "opened" => false,
                "done" => true,
                _ => {
                    errors.push(FieldError::new("by", Problem::InvalidChoice));
                    false
                }
            };
            let state = RectState::parse(state.trim()).unwrap_or_else(|| {
                errors.push(FieldError::new("state", Problem::InvalidChoice));
                RectState::Any
            });
            let filter = RectFilter {
                range,
                by_done,
                state,
            };
            Ok(ItemList {
                page: gongzhi_domain::stats::items::rectifications(&st.svc, &filter).await?,
                departments,
                errors,
            })
        }
        .await,
    )
}
