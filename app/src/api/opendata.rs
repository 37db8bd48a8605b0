//! The open data page: the licence, and the department codes downloads can be limited to.

use gongzhi_domain::model::Department;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::*;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenDataData {
    pub licence: String,
    pub departments: Vec<Department>,
}

#[server(prefix = "/api", endpoint = "open_data")]
pub async fn open_data_info() -> Result<OpenDataData, AppError> {
    with_status(
        async move {
            let st = state()?;
            Ok(OpenDataData {
                licence: st.data_licence.clone(),
                departments: gongzhi_domain::departments::list(&st.svc.db).await?,
            })
        }
        .await,
    )
}
