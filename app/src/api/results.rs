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
                    errors.push(FieldError::new(field, Problem::InvalidChoice));
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
                    errors.push(FieldError::new("to", Problem::InvalidChoice));
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
