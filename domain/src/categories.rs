//! The category catalogue (Open311 services) and its groups: reading it, and admins
//! managing it.

use std::collections::HashSet;

use serde::Deserialize;

use crate::accounts::require_admin;
use crate::db::Db;
use crate::error::{Error, Problems};
use crate::model::catalog::{
    Attribute, AttributeRow, AttributeType, AttributeValue, Category, CategoryGroup,
};
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

/// Every category, active or not, keyed by code (for the in-memory catalogue).
pub(crate) async fn by_codes(
    db: &Db,
) -> Result<std::collections::HashMap<String, Category>, Error> {
    let sql = format!("SELECT {COLUMNS} FROM categories");
    let rows: Vec<Row> = with_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.code.clone(), r.into_category()))
        .collect())
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

/// A category as the admin form submits it; `attributes` are the extra-field rows.
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
    pub attributes: Vec<AttributeRow>,
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

/// The longest question of an extra field.
pub const ATTRIBUTE_QUESTION_MAX: usize = 200;

/// Checks the extra fields as the form sent them and turns them into Open311 attributes,
/// in form order. Each problem names its input (`attributes[<row>][<field>]`); rows left
/// blank or marked for removal are dropped. Codes must be unique, list types need choices
/// written `key | 中文名称 | English name`, one per line.
pub fn parse_attribute_rows(rows: &[AttributeRow], problems: &mut Problems) -> Vec<Attribute> {
    let mut attrs = Vec::new();
    let mut codes = HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        if row.remove.is_some() || row.is_blank() {
            continue;
        }
        let field = |f: &str| format!("attributes[{i}][{f}]");
        let before = problems.0.len();
        let code = row.code.trim();
        if code.is_empty() {
            problems.add(&field("code"), Problem::Required);
        } else if !valid_code(code) {
            problems.add(&field("code"), Problem::BadCode);
        } else if !codes.insert(code.to_string()) {
            problems.add(&field("code"), Problem::AlreadyTaken);
        }
        let datatype = AttributeType::parse(row.datatype.trim());
        if datatype.is_none() {
            problems.add(&field("datatype"), Problem::InvalidChoice);
        }
        for (f, v) in [
            ("description_zh", &row.description_zh),
            ("description_en", &row.description_en),
        ] {
            check_text(problems, &field(f), v, true, ATTRIBUTE_QUESTION_MAX);
        }
        let order = match row.order.trim() {
            "" => i as i64 + 1,
            v => v.parse().unwrap_or_else(|_| {
                problems.add(&field("order"), Problem::NotANumber);
                0
            }),
        };
        let values = match datatype {
            Some(t) if t.has_values() => match parse_choices(&row.choices) {
                Ok(v) if v.is_empty() => {
                    problems.add(&field("choices"), Problem::Required);
                    v
                }
                Ok(v) => v,
                Err(p) => {
                    problems.add(&field("choices"), p);
                    Vec::new()
                }
            },
            _ => Vec::new(),
        };
        if let (Some(datatype), true) = (datatype, problems.0.len() == before) {
            attrs.push(Attribute {
                code: code.to_string(),
                datatype,
                required: row.required.is_some(),
                description_zh: row.description_zh.trim().to_string(),
                description_en: row.description_en.trim().to_string(),
                order,
                values,
            });
        }
    }
    if attrs.len() > ATTRIBUTES_MAX {
        problems.add(
            "attributes",
            Problem::TooMany {
                max: ATTRIBUTES_MAX,
            },
        );
    }
    // A stable sort: equal orders keep the form's order.
    attrs.sort_by_key(|a| a.order);
    attrs
}

/// A list field's choices, one per line: `key | 中文名称 | English name` (a full-width ｜
/// works too). Blank lines are skipped.
fn parse_choices(text: &str) -> Result<Vec<AttributeValue>, Problem> {
    let mut values: Vec<AttributeValue> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split(['|', '｜']).map(str::trim).collect();
        let [key, zh, en] = parts[..] else {
            return Err(Problem::BadChoiceLine { line: line_no });
        };
        if !valid_code(key)
            || zh.is_empty()
            || en.is_empty()
            || zh.chars().count() > NAME_MAX
            || en.chars().count() > NAME_MAX
        {
            return Err(Problem::BadChoiceLine { line: line_no });
        }
        if values.iter().any(|v| v.key == key) {
            return Err(Problem::DuplicateChoice { line: line_no });
        }
        values.push(AttributeValue {
            key: key.into(),
            name_zh: zh.into(),
            name_en: en.into(),
        });
    }
    Ok(values)
}

/// Creates or edits a category. Admins only; each problem names its field.
pub async fn save(db: &Db, actor: Option<&Me>, input: CategoryInput) -> Result<i64, Error> {
    require_admin(actor)?;
    let mut problems = Problems::default();
    let code = input.code.trim().to_string();
    if code.is_empty() {
        problems.add("code", Problem::Required);
    } else if !valid_code(&code) {
        problems.add("code", Problem::BadCode);
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
    if let Some(problem) = departments::unchoosable(db, input.department_id).await? {
        problems.add("department_id", problem);
    }
    if !groups(db).await?.iter().any(|g| g.id == input.group_id) {
        problems.add("group_id", Problem::InvalidChoice);
    }
    let attributes = parse_attribute_rows(&input.attributes, &mut problems);
    if let Some(existing) = by_code(db, &code).await? {
        if Some(existing.id) != input.id {
            problems.add("code", Problem::AlreadyTaken);
        }
    }
    problems.into_result()?;
    let attributes =
        serde_json::to_string(&attributes).map_err(|e| Error::Internal(e.to_string()))?;
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

    fn row(code: &str, datatype: &str, choices: &str) -> AttributeRow {
        AttributeRow {
            code: code.into(),
            datatype: datatype.into(),
            description_zh: "位置".into(),
            description_en: "Where".into(),
            choices: choices.into(),
            ..Default::default()
        }
    }

    fn fields(problems: &Problems) -> Vec<(&str, &Problem)> {
        problems
            .0
            .iter()
            .map(|f| (f.field.as_str(), &f.problem))
            .collect()
    }

    #[test]
    fn attribute_rows_become_open311_attributes() {
        let mut problems = Problems::default();
        let rows = [
            AttributeRow {
                order: "2".into(),
                required: Some("on".into()),
                ..row(
                    "pos",
                    "singlevaluelist",
                    "road | 车行道 | Road\n\nwalk ｜ 人行道 ｜ Pavement\n",
                )
            },
            // The spare row, untouched, and a removed one with nonsense in it.
            AttributeRow::default(),
            AttributeRow {
                remove: Some("on".into()),
                ..row("坏", "colour", "")
            },
            AttributeRow {
                order: "1".into(),
                ..row("size", "number", "ignored | for | numbers")
            },
        ];
        let attrs = parse_attribute_rows(&rows, &mut problems);
        assert!(problems.0.is_empty(), "{:?}", problems.0);
        assert_eq!(
            attrs.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(),
            ["size", "pos"]
        );
        assert!(attrs[1].required && !attrs[0].required);
        assert_eq!(attrs[1].values[1].key, "walk");
        assert_eq!(attrs[1].values[1].name_en, "Pavement");
        assert!(attrs[0].values.is_empty());
        // Back to rows and again: the same attributes.
        let again: Vec<AttributeRow> = attrs.iter().map(AttributeRow::from).collect();
        assert_eq!(parse_attribute_rows(&again, &mut problems), attrs);
    }

    #[test]
    fn bad_attribute_rows_are_named_by_row_and_field() {
        let mut problems = Problems::default();
        let rows = [
            row("pos", "multivaluelist", ""),
            row("pos", "string", ""),
            row("a b", "colour", ""),
            AttributeRow {
                description_en: String::new(),
                order: "first".into(),
                ..row("kind", "singlevaluelist", "a | 甲 | A\nb | 乙\n")
            },
            row("dup", "singlevaluelist", "a | 甲 | A\na | 乙 | B"),
        ];
        let attrs = parse_attribute_rows(&rows, &mut problems);
        assert_eq!(
            fields(&problems),
            [
                ("attributes[0][choices]", &Problem::Required),
                ("attributes[1][code]", &Problem::AlreadyTaken),
                ("attributes[2][code]", &Problem::BadCode),
                ("attributes[2][datatype]", &Problem::InvalidChoice),
                ("attributes[3][description_en]", &Problem::Required),
                ("attributes[3][order]", &Problem::NotANumber),
                (
                    "attributes[3][choices]",
                    &Problem::BadChoiceLine { line: 2 }
                ),
                (
                    "attributes[4][choices]",
                    &Problem::DuplicateChoice { line: 2 }
                ),
            ]
        );
        assert!(attrs.is_empty());
        let many: Vec<AttributeRow> = (0..=ATTRIBUTES_MAX)
            .map(|i| row(&format!("f{i}"), "string", ""))
            .collect();
        let mut problems = Problems::default();
        parse_attribute_rows(&many, &mut problems);
        assert_eq!(
            fields(&problems),
            [(
                "attributes",
                &Problem::TooMany {
                    max: ATTRIBUTES_MAX
                }
            )]
        );
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
