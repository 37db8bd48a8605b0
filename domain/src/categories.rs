//! The category catalogue (Open311 services) and its groups: reading it, and admins
//! managing it.

use std::collections::HashSet;

use serde::Deserialize;

use crate::accounts::require_admin;
use crate::db::Db;
use crate::error::{Error, Problems};
use crate::model::catalog::{Attribute, Category, CategoryGroup};
use crate::model::Me;
use crate::time::now;
use crate::{departments, with_db, Problem};

pub const CODE_MAX: usize = 40;
pub const NAME_MAX: usize = 60;
pub const DESCRIPTION_MAX: usize = 1000;
pub const KEYWORDS_MAX: usize = 500;
/// A year: longer limits are a mistake in the hours field.
pub const TIME_LIMIT_MAX_HOURS: i64 = 24 * 366;
pub const ATTRIBUTES_MAX: usize = 20;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    code: String,
    group_id: i64,
    name_zh: String,
    name_en: String,
    description_zh: String,
    description_en: String,
    keywords: String,
    department_id: i64,
    time_limit_hours: i64,
    attributes: String,
    active: bool,
    position: i64,
}

const COLUMNS: &str =
    "id, code, group_id, name_zh, name_en, description_zh, description_en, keywords, \
                       department_id, time_limit_hours, attributes, active, position";

impl Row {
    fn into_category(self) -> Category {
        let attributes: Vec<Attribute> = serde_json::from_str(&self.attributes).unwrap_or_else(|e| {
            tracing::error!(code = %self.code, error = %e, "stored category attributes are not valid JSON");
            Vec::new()
        });
        Category {
            id: self.id,
            code: self.code,
            group_id: self.group_id,
            name_zh: self.name_zh,
            name_en: self.name_en,
            description_zh: self.description_zh,
            description_en: self.description_en,
            keywords: split_keywords(&self.keywords),
            department_id: self.department_id,
            time_limit_hours: self.time_limit_hours,
            attributes,
            active: self.active,
            position: self.position,
        }
    }
}

fn split_keywords(s: &str) -> Vec<String> {
    s.split([',', '，', '、'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect()
}

pub async fn groups(db: &Db) -> Result<Vec<CategoryGroup>, Error> {
    Ok(with_db!(db, p => {
        sqlx::query_as("SELECT id, code, name_zh, name_en, position FROM category_groups ORDER BY position, id")
            .fetch_all(p)
            .await
    })?)
}

/// All categories in catalogue order; inactive ones only when asked (admins).
pub async fn list(db: &Db, include_inactive: bool) -> Result<Vec<Category>, Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM categories {} ORDER BY position, id",
        if include_inactive { "" } else { "WHERE active" }
    );
    let rows: Vec<Row> = with_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await)?;
    Ok(rows.into_iter().map(Row::into_category).collect())
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Category>, Error> {
    let sql = format!("SELECT {COLUMNS} FROM categories WHERE id = $1");
    let row: Option<Row> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
    Ok(row.map(Row::into_category))
}

pub async fn by_code(db: &Db, code: &str) -> Result<Option<Category>, Error> {
    let sql = format!("SELECT {COLUMNS} FROM categories WHERE code = $1");
    let row: Option<Row> =
        with_db!(db, p => sqlx::query_as(&sql).bind(code.trim()).fetch_optional(p).await)?;
    Ok(row.map(Row::into_category))
}

/// Adds a group or renames it when the code exists. Returns its id.
pub async fn upsert_group(
    db: &Db,
    code: &str,
    name_zh: &str,
    name_en: &str,
    position: i64,
) -> Result<i64, Error> {
    Ok(with_db!(db, p => {
        sqlx::query_scalar(
            "INSERT INTO category_groups (code, name_zh, name_en, position) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, \
             position = excluded.position RETURNING id",
        )
        .bind(code)
        .bind(name_zh)
        .bind(name_en)
        .bind(position)
        .fetch_one(p)
        .await
    })?)
}

/// A category as the admin form submits it. `attributes` is the Open311 attribute list as
/// JSON (see [`Attribute`]).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct CategoryInput {
    /// `None` creates a category; `Some(id)` edits that one.
    pub id: Option<i64>,
    pub code: String,
    pub group_id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub keywords: String,
    pub department_id: i64,
    pub time_limit_hours: i64,
    pub attributes: String,
    pub active: bool,
    pub position: i64,
}

/// True for codes made of ASCII letters, digits, `_`, `-` and `.`.
pub fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= CODE_MAX
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn check_text(problems: &mut Problems, field: &str, value: &str, required: bool, max: usize) {
    let v = value.trim();
    if required && v.is_empty() {
        problems.add(field, Problem::Required);
    } else if v.chars().count() > max {
        problems.add(field, Problem::TooLong { max });
    }
}

/// Parses and checks an attribute list: valid codes, unique, list types with choices.
pub fn parse_attributes(json: &str) -> Result<Vec<Attribute>, Problem> {
    let json = json.trim();
    if json.is_empty() {
        return Ok(Vec::new());
    }
    let mut attrs: Vec<Attribute> =
        serde_json::from_str(json).map_err(|e| Problem::InvalidJson {
            detail: e.to_string(),
        })?;
    if attrs.len() > ATTRIBUTES_MAX {
        return Err(Problem::InvalidJson {
            detail: format!("at most {ATTRIBUTES_MAX} attributes"),
        });
    }
    let mut seen = HashSet::new();
    for (i, a) in attrs.iter().enumerate() {
        let bad = |why: &str| Problem::InvalidJson {
            detail: format!("attribute {} ({}): {why}", i + 1, a.code),
        };
        if !valid_code(&a.code) {
            return Err(bad("the code must be 1–40 letters, digits, _ - or ."));
        }
        if !seen.insert(a.code.clone()) {
            return Err(bad("the code is used twice"));
        }
        if a.description_zh.trim().is_empty() || a.description_en.trim().is_empty() {
            return Err(bad("needs description_zh and description_en"));
        }
        if a.datatype.has_values() && a.values.is_empty() {
            return Err(bad("a list needs values"));
        }
        let mut keys = HashSet::new();
        for v in &a.values {
            if v.key.trim().is_empty() || !keys.insert(v.key.clone()) {
                return Err(bad("each value needs a unique key"));
            }
        }
    }
    attrs.sort_by_key(|a| a.order);
    Ok(attrs)
}

/// Creates or edits a category. Admins only; each problem names its field.
pub async fn save(db: &Db, actor: Option<&Me>, input: CategoryInput) -> Result<i64, Error> {
    require_admin(actor)?;
    let mut problems = Problems::default();
    let code = input.code.trim().to_string();
    if code.is_empty() {
        problems.add("code", Problem::Required);
    } else if !valid_code(&code) {
        problems.add("code", Problem::InvalidChoice);
    }
    check_text(&mut problems, "name_zh", &input.name_zh, true, NAME_MAX);
    check_text(&mut problems, "name_en", &input.name_en, true, NAME_MAX);
    check_text(
        &mut problems,
        "description_zh",
        &input.description_zh,
        false,
        DESCRIPTION_MAX,
    );
    check_text(
        &mut problems,
        "description_en",
        &input.description_en,
        false,
        DESCRIPTION_MAX,
    );
    check_text(
        &mut problems,
        "keywords",
        &input.keywords,
        false,
        KEYWORDS_MAX,
    );
    if !(1..=TIME_LIMIT_MAX_HOURS).contains(&input.time_limit_hours) {
        problems.add("time_limit_hours", Problem::InvalidChoice);
    }
    if departments::get(db, input.department_id).await?.is_none() {
        problems.add("department_id", Problem::UnknownDepartment);
    }
    if !groups(db).await?.iter().any(|g| g.id == input.group_id) {
        problems.add("group_id", Problem::InvalidChoice);
    }
    let attributes = match parse_attributes(&input.attributes) {
        Ok(a) => Some(a),
        Err(p) => {
            problems.add("attributes", p);
            None
        }
    };
    if let Some(existing) = by_code(db, &code).await? {
        if Some(existing.id) != input.id {
            problems.add("code", Problem::AlreadyTaken);
        }
    }
    problems.into_result()?;
    let attributes = serde_json::to_string(&attributes.unwrap_or_default())
        .map_err(|e| Error::Internal(e.to_string()))?;
    let keywords = split_keywords(&input.keywords).join(",");
    let t = now();
    let result = with_db!(db, p => {
        match input.id {
            Some(id) => sqlx::query_scalar(
                "UPDATE categories SET code = $1, group_id = $2, name_zh = $3, name_en = $4, description_zh = $5, \
                 description_en = $6, keywords = $7, department_id = $8, time_limit_hours = $9, attributes = $10, \
                 active = $11, position = $12, updated_at = $13 WHERE id = $14 RETURNING id",
            )
            .bind(&code).bind(input.group_id).bind(input.name_zh.trim()).bind(input.name_en.trim())
            .bind(input.description_zh.trim()).bind(input.description_en.trim()).bind(&keywords)
            .bind(input.department_id).bind(input.time_limit_hours).bind(&attributes)
            .bind(input.active).bind(input.position).bind(t).bind(id)
            .fetch_optional(p).await,
            None => sqlx::query_scalar(
                "INSERT INTO categories (code, group_id, name_zh, name_en, description_zh, description_en, keywords, \
                 department_id, time_limit_hours, attributes, active, position, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
            )
            .bind(&code).bind(input.group_id).bind(input.name_zh.trim()).bind(input.name_en.trim())
            .bind(input.description_zh.trim()).bind(input.description_en.trim()).bind(&keywords)
            .bind(input.department_id).bind(input.time_limit_hours).bind(&attributes)
            .bind(input.active).bind(input.position).bind(t)
            .fetch_optional(p).await,
        }
    });
    match result {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err(Error::NotFound),
        // Two admins saving the same new code at once.
        Err(e) if crate::db::is_unique_violation(&e) => {
            Err(Error::field("code", Problem::AlreadyTaken))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_checked_with_named_problems() {
        assert_eq!(parse_attributes("").unwrap(), vec![]);
        let ok = r#"[{"code":"pos","datatype":"singlevaluelist","required":true,"description_zh":"位置","description_en":"Where","order":1,
                     "values":[{"key":"road","name_zh":"车行道","name_en":"Road"}]}]"#;
        assert_eq!(parse_attributes(ok).unwrap().len(), 1);
        let no_values = r#"[{"code":"pos","datatype":"multivaluelist","required":false,"description_zh":"位置","description_en":"Where","order":1}]"#;
        assert!(
            matches!(parse_attributes(no_values), Err(Problem::InvalidJson { detail }) if detail.contains("a list needs values"))
        );
        assert!(matches!(
            parse_attributes("{"),
            Err(Problem::InvalidJson { .. })
        ));
        let bad_type = r#"[{"code":"x","datatype":"colour","required":false,"description_zh":"a","description_en":"a","order":1}]"#;
        assert!(parse_attributes(bad_type).is_err());
    }

    #[test]
    fn keywords_split_on_chinese_and_latin_commas() {
        assert_eq!(
            split_keywords("垃圾，废物, rubbish、litter"),
            vec!["垃圾", "废物", "rubbish", "litter"]
        );
        assert!(valid_code("street_light-01"));
        assert!(!valid_code("路灯"));
    }
}
