//! Open data: the datasets anyone may download, their formats and their fields. One list
//! of fields per dataset makes the CSV header, the JSON keys and the schema page, so they
//! cannot disagree. Nothing here names a person: no reporter, asker, rater or official,
//! no email, phone, tracking code, private note or case-system id.

use serde::{Deserialize, Serialize};

/// A file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Csv,
    Json,
    GeoJson,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::GeoJson => "geojson",
        }
    }

    pub fn from_extension(s: &str) -> Option<Format> {
        [Format::Csv, Format::Json, Format::GeoJson]
            .into_iter()
            .find(|f| f.extension() == s)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json",
            Format::GeoJson => "application/geo+json",
        }
    }
}

/// A dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dataset {
    Reports,
    Questions,
    Answers,
    Ratings,
    Results,
}

/// What a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Integer,
    Number,
    Text,
    /// ISO 8601 with the city's UTC offset, e.g. `2026-11-27T09:30:00+08:00`.
    Time,
    /// `YYYY-MM`, the city's local month.
    Month,
    Boolean,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Text => "string",
            Kind::Time => "date-time",
            Kind::Month => "YYYY-MM",
            Kind::Boolean => "boolean",
        }
    }
}

/// One field of a dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    /// May be empty (null in JSON).
    pub optional: bool,
    pub zh: &'static str,
    pub en: &'static str,
}

const fn f(
    name: &'static str,
    kind: Kind,
    optional: bool,
    zh: &'static str,
    en: &'static str,
) -> Field {
    Field {
        name,
        kind,
        optional,
        zh,
        en,
    }
}

use Kind::*;

pub const REPORT_FIELDS: &[Field] = &[
    f(
        "id",
        Integer,
        false,
        "问题编号，与 /reports/{id} 相同",
        "The report's number, as in /reports/{id}",
    ),
    f(
        "category",
        Text,
        false,
        "类别代码（Open311 service_code）",
        "Category code (Open311 service_code)",
    ),
    f(
        "category_name_zh",
        Text,
        false,
        "类别名称（中文）",
        "Category name in Chinese",
    ),
    f(
        "category_name_en",
        Text,
        false,
        "类别名称（英文）",
        "Category name in English",
    ),
    f(
        "department",
        Text,
        false,
        "负责部门代码",
        "Code of the responsible department",
    ),
    f(
        "grid",
        Text,
        true,
        "网格代码；不在任何网格内时为空",
        "Grid code; empty outside every grid",
    ),
    f(
        "status",
        Text,
        false,
        "状态：submitted, accepted, in_progress, resolved, closed, rejected, reopened",
        "Status: submitted, accepted, in_progress, resolved, closed, rejected, reopened",
    ),
    f(
        "description",
        Text,
        false,
        "问题描述；被版主隐藏的为空",
        "The description; empty where moderators hid it",
    ),
    f("address", Text, false, "地址", "Address"),
    f("lat", Number, false, "纬度（WGS84）", "Latitude (WGS84)"),
    f("lon", Number, false, "经度（WGS84）", "Longitude (WGS84)"),
    f(
        "supports",
        Integer,
        false,
        "“我也遇到”人数",
        "\"Me too\" count",
    ),
    f(
        "created_at",
        Time,
        false,
        "提交时间",
        "When it was reported",
    ),
    f("due_at", Time, false, "办理时限", "Its deadline"),
    f(
        "closed_at",
        Time,
        true,
        "结案（或不予立案）时间",
        "When it was closed (or rejected)",
    ),
    f(
        "closed_on_time",
        Boolean,
        true,
        "是否按期结案；未结案为空",
        "Closed by the deadline; empty while not closed",
    ),
];

pub const QUESTION_FIELDS: &[Field] = &[
    f(
        "id",
        Integer,
        false,
        "问题编号，与 /questions/{id} 相同",
        "The question's number, as in /questions/{id}",
    ),
    f(
        "department",
        Text,
        true,
        "答复部门代码；待分派时为空",
        "Code of the answering department; empty while waiting for routing",
    ),
    f("title", Text, false, "标题", "Title"),
    f("body", Text, false, "内容", "Details"),
    f(
        "status",
        Text,
        false,
        "状态：routing, open, looking_into, answered",
        "Status: routing, open, looking_into, answered",
    ),
    f(
        "wanted",
        Integer,
        false,
        "“我也想知道”人数",
        "\"I want to know too\" count",
    ),
    f("created_at", Time, false, "提问时间", "When it was asked"),
    f(
        "received_at",
        Time,
        true,
        "送达部门时间",
        "When it reached the department",
    ),
    f("due_at", Time, true, "答复期限", "Its deadline"),
    f(
        "first_answered_at",
        Time,
        true,
        "首次答复时间",
        "When it was first answered",
    ),
];

pub const ANSWER_FIELDS: &[Field] = &[
    f("id", Integer, false, "答复编号", "The answer's number"),
    f(
        "question_id",
        Integer,
        false,
        "所答问题编号",
        "The question it answers",
    ),
    f(
        "department",
        Text,
        false,
        "答复部门代码",
        "Code of the answering department",
    ),
    f(
        "body",
        Text,
        false,
        "答复内容（Markdown）",
        "The answer (Markdown)",
    ),
    f(
        "received_at",
        Time,
        false,
        "问题送达部门时间",
        "When the question reached the department",
    ),
    f("due_at", Time, false, "答复期限", "The deadline"),
    f(
        "created_at",
        Time,
        false,
        "答复时间",
        "When it was answered",
    ),
    f(
        "edited_at",
        Time,
        true,
        "最后修改时间",
        "When it was last edited",
    ),
    f(
        "on_time",
        Boolean,
        false,
        "是否按期答复",
        "Answered by the deadline",
    ),
];

pub const RATING_FIELDS: &[Field] = &[
    f(
        "month",
        Month,
        false,
        "评价月份（本市当地时间）",
        "Month the ratings were given (city time)",
    ),
    f(
        "department",
        Text,
        true,
        "被评价部门代码",
        "Code of the rated department",
    ),
    f(
        "subject",
        Text,
        false,
        "评价对象：report（问题办理）, answer（问政答复）, service（政务服务）",
        "What was rated: report, answer, service",
    ),
    f(
        "very_satisfied",
        Integer,
        false,
        "非常满意",
        "Very satisfied",
    ),
    f("satisfied", Integer, false, "满意", "Satisfied"),
    f("basic", Integer, false, "基本满意", "Fairly satisfied"),
    f("dissatisfied", Integer, false, "不满意", "Dissatisfied"),
    f(
        "very_dissatisfied",
        Integer,
        false,
        "非常不满意",
        "Very dissatisfied",
    ),
    f("total", Integer, false, "评价总数", "Ratings"),
    f(
        "satisfaction_rate",
        Number,
        true,
        "满意率（基本满意及以上的比例，0–1）",
        "Share of 基本满意 or better (0–1)",
    ),
];

pub const RESULT_FIELDS: &[Field] = &[
    f(
        "month",
        Month,
        false,
        "月份（本市当地时间）",
        "Month (city time)",
    ),
    f(
        "department",
        Text,
        true,
        "部门代码（为空：尚未分派到部门的问政）",
        "Department code (empty: questions not yet routed to a department)",
    ),
    f("received", Integer, false, "受理的问题", "Reports received"),
    f("closed", Integer, false, "结案的问题", "Reports closed"),
    f(
        "closed_on_time",
        Integer,
        false,
        "按期结案的问题",
        "Reports closed on time",
    ),
    f(
        "close_median_secs",
        Integer,
        true,
        "办结时长中位数（秒，所在档上限）",
        "Median time to close (seconds, class upper bound)",
    ),
    f(
        "close_p90_secs",
        Integer,
        true,
        "办结时长90%分位（秒，所在档上限）",
        "90th percentile time to close (seconds, class upper bound)",
    ),
    f(
        "rectifications_opened",
        Integer,
        false,
        "新发整改",
        "Rectifications sent back",
    ),
    f(
        "rectifications_done",
        Integer,
        false,
        "完成整改",
        "Rectifications done",
    ),
    f(
        "rectifications_done_on_time",
        Integer,
        false,
        "按期完成整改",
        "Rectifications done on time",
    ),
    f(
        "questions_asked",
        Integer,
        false,
        "公开问政",
        "Public questions asked",
    ),
    f(
        "questions_answered",
        Integer,
        false,
        "已答复问政（首次答复）",
        "Questions answered (first answer)",
    ),
    f(
        "questions_answered_on_time",
        Integer,
        false,
        "按期答复",
        "Answered on time",
    ),
    f(
        "answer_median_secs",
        Integer,
        true,
        "答复时长中位数（秒，所在档上限）",
        "Median time to answer (seconds, class upper bound)",
    ),
];

impl Dataset {
    pub const ALL: [Dataset; 5] = [
        Dataset::Reports,
        Dataset::Questions,
        Dataset::Answers,
        Dataset::Ratings,
        Dataset::Results,
    ];

    /// The file name without extension.
    pub fn name(self) -> &'static str {
        match self {
            Dataset::Reports => "reports",
            Dataset::Questions => "questions",
            Dataset::Answers => "answers",
            Dataset::Ratings => "ratings",
            Dataset::Results => "results",
        }
    }

    pub fn from_name(s: &str) -> Option<Dataset> {
        Dataset::ALL.into_iter().find(|d| d.name() == s)
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Dataset::Reports => REPORT_FIELDS,
            Dataset::Questions => QUESTION_FIELDS,
            Dataset::Answers => ANSWER_FIELDS,
            Dataset::Ratings => RATING_FIELDS,
            Dataset::Results => RESULT_FIELDS,
        }
    }

    /// The formats it comes in (GeoJSON for what has a place).
    pub fn formats(self) -> &'static [Format] {
        match self {
            Dataset::Reports => &[Format::Csv, Format::Json, Format::GeoJson],
            _ => &[Format::Csv, Format::Json],
        }
    }
}

/// The names of fields that would identify or reach a person; no dataset may have one.
pub const PERSONAL: &[&str] = &[
    "reporter",
    "reporter_id",
    "name",
    "display_name",
    "email",
    "phone",
    "tracking",
    "tracking_code",
    "tracking_hash",
    "asker",
    "asker_id",
    "author",
    "author_id",
    "rater",
    "rater_key",
    "rater_id",
    "note",
    "private_note",
    "hidden_note",
    "password",
    "ip",
    "submit_token",
    "external_id",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_dataset_has_a_personal_field() {
        for d in Dataset::ALL {
            for field in d.fields() {
                assert!(!PERSONAL.contains(&field.name), "{:?}.{}", d, field.name);
                assert!(!field.zh.is_empty() && !field.en.is_empty());
            }
            assert_eq!(Dataset::from_name(d.name()), Some(d));
        }
    }
}
