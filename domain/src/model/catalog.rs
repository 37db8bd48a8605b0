//! The category catalogue: what residents can report, as Open311 services.
//!
//! A category is an Open311 GeoReport v2 *service*; its extra fields are the service
//! definition's *attributes*. The answer rules live here, without storage, so the browser
//! checks a form with exactly the rules the server will apply.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Problem};
use crate::model::Lang;

/// A heading that groups categories in the picker, e.g. 市容环境.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct CategoryGroup {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub position: i64,
}

impl CategoryGroup {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }
}

/// A kind of problem a resident can report (an Open311 service).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub id: i64,
    /// The Open311 `service_code`.
    pub code: String,
    pub group_id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    /// Words residents may search by, in both languages.
    pub keywords: Vec<String>,
    /// The department responsible for handling reports of this kind.
    pub department_id: i64,
    /// How long the department has to close a report, in hours.
    pub time_limit_hours: i64,
    pub attributes: Vec<Attribute>,
    /// Inactive categories stay on old reports but cannot be chosen for new ones.
    pub active: bool,
    pub position: i64,
}

impl Category {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }

    pub fn description(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.description_zh,
            Lang::En => &self.description_en,
        }
    }

    /// True when `query` (any case) is in a name, the code or a keyword.
    pub fn matches(&self, query: &str) -> bool {
        let q = query.trim().to_lowercase();
        q.is_empty()
            || self.name_zh.to_lowercase().contains(&q)
            || self.name_en.to_lowercase().contains(&q)
            || self.code.to_lowercase().contains(&q)
            || self.keywords.iter().any(|k| k.to_lowercase().contains(&q))
    }
}

/// A management grid (网格): an area of the city with a responsible department.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct Grid {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub department_id: Option<i64>,
}

impl Grid {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }
}

/// How many grids an import created and updated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
}

/// The Open311 attribute datatypes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttributeType {
    /// One line of text.
    String,
    /// Several lines of text.
    Text,
    Number,
    /// Open311 calls it `datetime`; the form asks for a date.
    Datetime,
    /// Choose one of `values`.
    Singlevaluelist,
    /// Choose any of `values`.
    Multivaluelist,
}

impl AttributeType {
    pub const ALL: [AttributeType; 6] = [
        AttributeType::String,
        AttributeType::Text,
        AttributeType::Number,
        AttributeType::Datetime,
        AttributeType::Singlevaluelist,
        AttributeType::Multivaluelist,
    ];

    /// The Open311 name.
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeType::String => "string",
            AttributeType::Text => "text",
            AttributeType::Number => "number",
            AttributeType::Datetime => "datetime",
            AttributeType::Singlevaluelist => "singlevaluelist",
            AttributeType::Multivaluelist => "multivaluelist",
        }
    }

    pub fn parse(s: &str) -> Option<AttributeType> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn has_values(self) -> bool {
        matches!(
            self,
            AttributeType::Singlevaluelist | AttributeType::Multivaluelist
        )
    }
}

/// One choice of a list attribute.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeValue {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
}

impl AttributeValue {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }
}

/// An extra field of a category (an Open311 service definition attribute).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    /// The Open311 attribute `code`; the form field is `attribute[<code>]`.
    pub code: String,
    pub datatype: AttributeType,
    pub required: bool,
    /// The question, e.g. 井盖位置.
    pub description_zh: String,
    pub description_en: String,
    pub order: i64,
    #[serde(default)]
    pub values: Vec<AttributeValue>,
}

impl Attribute {
    pub fn description(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.description_zh,
            Lang::En => &self.description_en,
        }
    }

    /// The form field name, as Open311 spells it.
    pub fn field_name(&self) -> String {
        format!("attribute[{}]", self.code)
    }
}

/// One extra field as the admin's category form sends it: raw text, checked by the server
/// (`categories::parse_attribute_rows`). The form names its inputs
/// `attributes[<row>][<field>]`; a row left empty, or with `remove` ticked, is dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AttributeRow {
    pub code: String,
    /// An Open311 datatype name ([`AttributeType::as_str`]).
    pub datatype: String,
    /// A ticked checkbox: present (any value) when required.
    pub required: Option<String>,
    pub description_zh: String,
    pub description_en: String,
    /// Where it appears in the form; empty puts it in row order.
    pub order: String,
    /// For list types, one choice per line: `key | 中文名称 | English name`.
    pub choices: String,
    /// A ticked "remove this field" checkbox.
    pub remove: Option<String>,
}

impl AttributeRow {
    /// True when nothing was typed: the spare row at the end of the form.
    pub fn is_blank(&self) -> bool {
        self.code.trim().is_empty()
            && self.description_zh.trim().is_empty()
            && self.description_en.trim().is_empty()
            && self.choices.trim().is_empty()
    }
}

impl From<&Attribute> for AttributeRow {
    fn from(a: &Attribute) -> Self {
        AttributeRow {
            code: a.code.clone(),
            datatype: a.datatype.as_str().into(),
            required: a.required.then(|| "on".into()),
            description_zh: a.description_zh.clone(),
            description_en: a.description_en.clone(),
            order: a.order.to_string(),
            choices: a
                .values
                .iter()
                .map(|v| format!("{} | {} | {}", v.key, v.name_zh, v.name_en))
                .collect::<Vec<_>>()
                .join("\n"),
            remove: None,
        }
    }
}

/// The longest answer to a text attribute.
pub const ATTRIBUTE_TEXT_MAX: usize = 500;

/// A checked answer, as stored with the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Number(f64),
    Text(String),
    Many(Vec<String>),
}

/// Checks the answers (`code` → submitted values) against a category's attributes. Every
/// problem names its field (`attribute[code]`). Unknown codes are ignored; empty optional
/// answers are left out.
pub fn check_answers(
    attributes: &[Attribute],
    submitted: &BTreeMap<String, Vec<String>>,
) -> Result<BTreeMap<String, Answer>, Vec<FieldError>> {
    let mut answers = BTreeMap::new();
    let mut problems = Vec::new();
    for a in attributes {
        let values: Vec<&str> = submitted
            .get(&a.code)
            .map(|v| {
                v.iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let field = a.field_name();
        if values.is_empty() {
            if a.required {
                problems.push(FieldError::new(&field, Problem::Required));
            }
            continue;
        }
        let result = match a.datatype {
            AttributeType::String | AttributeType::Text => {
                let text = values.join("\n");
                if text.chars().count() > ATTRIBUTE_TEXT_MAX {
                    Err(Problem::TooLong {
                        max: ATTRIBUTE_TEXT_MAX,
                    })
                } else {
                    Ok(Answer::Text(text))
                }
            }
            AttributeType::Number => match values[0].parse::<f64>() {
                Ok(n) if n.is_finite() && values.len() == 1 => Ok(Answer::Number(n)),
                _ => Err(Problem::NotANumber),
            },
            AttributeType::Datetime => {
                if values.len() == 1
                    && chrono::NaiveDate::parse_from_str(values[0], "%Y-%m-%d").is_ok()
                {
                    Ok(Answer::Text(values[0].to_string()))
                } else {
                    Err(Problem::NotADate)
                }
            }
            AttributeType::Singlevaluelist => {
                if values.len() == 1 && a.values.iter().any(|v| v.key == values[0]) {
                    Ok(Answer::Text(values[0].to_string()))
                } else {
                    Err(Problem::InvalidChoice)
                }
            }
            AttributeType::Multivaluelist => {
                if values.iter().all(|k| a.values.iter().any(|v| v.key == *k)) {
                    let mut keys: Vec<String> = values.iter().map(|s| s.to_string()).collect();
                    keys.dedup();
                    Ok(Answer::Many(keys))
                } else {
                    Err(Problem::InvalidChoice)
                }
            }
        };
        match result {
            Ok(answer) => {
                answers.insert(a.code.clone(), answer);
            }
            Err(p) => problems.push(FieldError::new(&field, p)),
        }
    }
    if problems.is_empty() {
        Ok(answers)
    } else {
        Err(problems)
    }
}

/// Answer text for showing on a report page: list keys become their names.
pub fn answer_text(attribute: &Attribute, answer: &Answer, lang: Lang) -> String {
    let name = |key: &str| {
        attribute
            .values
            .iter()
            .find(|v| v.key == key)
            .map(|v| v.name(lang).to_string())
            .unwrap_or_else(|| key.to_string())
    };
    match answer {
        Answer::Number(n) => format!("{n}"),
        Answer::Text(t) if attribute.datatype == AttributeType::Singlevaluelist => name(t),
        Answer::Text(t) => t.clone(),
        Answer::Many(keys) => keys.iter().map(|k| name(k)).collect::<Vec<_>>().join("、"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(code: &str, datatype: AttributeType, required: bool) -> Attribute {
        Attribute {
            code: code.into(),
            datatype,
            required,
            description_zh: code.into(),
            description_en: code.into(),
            order: 0,
            values: ["a", "b"]
                .iter()
                .map(|k| AttributeValue {
                    key: k.to_string(),
                    name_zh: format!("选项{k}"),
                    name_en: format!("Option {k}"),
                })
                .collect(),
        }
    }

    fn submit(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
        let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in pairs {
            m.entry(k.to_string()).or_default().push(v.to_string());
        }
        m
    }

    #[test]
    fn each_datatype_is_checked_and_errors_name_the_field() {
        let attrs = vec![
            attr("size", AttributeType::Number, true),
            attr("when", AttributeType::Datetime, false),
            attr("kind", AttributeType::Singlevaluelist, true),
            attr("tags", AttributeType::Multivaluelist, false),
            attr("note", AttributeType::Text, false),
        ];
        let ok = check_answers(
            &attrs,
            &submit(&[
                ("size", "2.5"),
                ("when", "2026-11-20"),
                ("kind", "b"),
                ("tags", "a"),
                ("tags", "b"),
            ]),
        )
        .expect("valid");
        assert_eq!(ok["size"], Answer::Number(2.5));
        assert_eq!(ok["tags"], Answer::Many(vec!["a".into(), "b".into()]));
        assert!(!ok.contains_key("note"));

        let err = check_answers(
            &attrs,
            &submit(&[("size", "big"), ("when", "20/11/2026"), ("tags", "z")]),
        )
        .unwrap_err();
        let named: Vec<(&str, &Problem)> =
            err.iter().map(|e| (e.field.as_str(), &e.problem)).collect();
        assert_eq!(
            named,
            vec![
                ("attribute[size]", &Problem::NotANumber),
                ("attribute[when]", &Problem::NotADate),
                ("attribute[kind]", &Problem::Required),
                ("attribute[tags]", &Problem::InvalidChoice),
            ]
        );
    }

    #[test]
    fn long_text_is_refused() {
        let attrs = vec![attr("note", AttributeType::String, false)];
        let long = "长".repeat(ATTRIBUTE_TEXT_MAX + 1);
        let err = check_answers(&attrs, &submit(&[("note", &long)])).unwrap_err();
        assert_eq!(
            err[0].problem,
            Problem::TooLong {
                max: ATTRIBUTE_TEXT_MAX
            }
        );
    }

    #[test]
    fn list_answers_show_their_names() {
        let a = attr("kind", AttributeType::Singlevaluelist, true);
        assert_eq!(
            answer_text(&a, &Answer::Text("a".into()), Lang::Zh),
            "选项a"
        );
        let m = attr("tags", AttributeType::Multivaluelist, true);
        assert_eq!(
            answer_text(&m, &Answer::Many(vec!["a".into(), "b".into()]), Lang::En),
            "Option a、Option b"
        );
    }
}
