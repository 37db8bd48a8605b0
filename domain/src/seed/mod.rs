//! Demo data: a city government in Nanning (南宁) with one account per role, its report
//! catalogue and grids, and a few reports in several states.
//! Loaded on the first start of an empty database, or with `gongzhi seed-demo`.

pub mod catalog;
pub mod deliberation;
pub mod load;
mod questions;
mod services;

use crate::accounts::{admin::insert_user, find_by_email, password};
use crate::error::Error;
use crate::model::case::Step;
use crate::model::catalog::{Attribute, AttributeRow};
use crate::model::{Me, Role};
use crate::with_db;
use crate::{categories, departments, grids, Services};

/// The dispatch centre (指挥中心) of the built-in case workflow.
pub const DISPATCH_DEPARTMENT: &str = "zhzx";

/// The demo city's departments: code, Chinese name, English name.
pub const DEPARTMENTS: &[(&str, &str, &str)] = &[
    (
        "zhzx",
        "南宁市数字化城市管理指挥中心",
        "Nanning Digital Urban Management Command Centre",
    ),
    ("cgj", "南宁市城市管理局", "Nanning Urban Management Bureau"),
    (
        "zjj",
        "南宁市住房和城乡建设局",
        "Nanning Housing and Urban-Rural Development Bureau",
    ),
    ("jtj", "南宁市交通运输局", "Nanning Transport Bureau"),
    (
        "sthjj",
        "南宁市生态环境局",
        "Nanning Ecology and Environment Bureau",
    ),
    (
        "scjgj",
        "南宁市市场监督管理局",
        "Nanning Market Regulation Administration",
    ),
    (
        "ylj",
        "南宁市园林局",
        "Nanning Landscaping and Gardens Bureau",
    ),
    (
        "zwfw",
        "南宁市政务服务中心",
        "Nanning Government Services Centre",
    ),
];

/// A demo account: role, email, display name, password, department code.
pub struct DemoAccount {
    pub role: Role,
    pub email: &'static str,
    pub display_name: &'static str,
    pub password: &'static str,
    pub department: Option<&'static str>,
}

/// One account per role (two officials: a department's and the dispatch centre's); the
/// README lists the same.
pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        role: Role::Admin,
        email: "admin@demo.gongzhi.org",
        display_name: "王芳（管理员）",
        password: "admin-demo-2026",
        department: None,
    },
    DemoAccount {
        role: Role::Official,
        email: "official@demo.gongzhi.org",
        display_name: "陈刚（城管局）",
        password: "official-demo-2026",
        department: Some("cgj"),
    },
    DemoAccount {
        role: Role::Official,
        email: "dispatcher@demo.gongzhi.org",
        display_name: "李静（指挥中心）",
        password: "dispatcher-demo-2026",
        department: Some(DISPATCH_DEPARTMENT),
    },
    DemoAccount {
        role: Role::Moderator,
        email: "moderator@demo.gongzhi.org",
        display_name: "林小雨（志愿者）",
        password: "moderator-demo-2026",
        department: None,
    },
    DemoAccount {
        role: Role::Resident,
        email: "resident@demo.gongzhi.org",
        display_name: "黄伟",
        password: "resident-demo-2026",
        department: None,
    },
];

/// True when the database has no users yet: a first start.
pub async fn is_empty(svc: &Services) -> Result<bool, Error> {
    let n: i64 = with_db!(&svc.db, p => sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(p).await)?;
    Ok(n == 0)
}

/// True when no category exists yet.
pub async fn has_no_catalog(svc: &Services) -> Result<bool, Error> {
    let n: i64 = with_db!(&svc.db, p => sqlx::query_scalar("SELECT count(*) FROM categories").fetch_one(p).await)?;
    Ok(n == 0)
}

/// Loads the demo data. Safe to run again: existing departments are updated and existing
/// accounts are left as they are.
pub async fn seed_demo(svc: &Services) -> Result<(), Error> {
    let mut dept_ids = Vec::new();
    for (code, zh, en) in DEPARTMENTS {
        let id = departments::upsert(&svc.db, code, zh, en).await?;
        if *code == DISPATCH_DEPARTMENT {
            departments::set_dispatch(&svc.db, id, true).await?;
        }
        dept_ids.push((*code, id));
    }
    for a in DEMO_ACCOUNTS {
        if find_by_email(&svc.db, a.email).await?.is_some() {
            continue;
        }
        let dept = a.department.and_then(|c| {
            dept_ids
                .iter()
                .find(|(code, _)| *code == c)
                .map(|(_, id)| *id)
        });
        let hash = password::hash(a.password).await?;
        insert_user(svc, a.email, a.display_name, &hash, a.role, dept).await?;
    }
    seed_catalog(svc).await?;
    seed_reports(svc).await?;
    deliberation::seed_deliberation(svc).await?;
    questions::seed_questions(svc).await?;
    services::seed_services(svc).await?;
    Ok(())
}

/// Loads the demo catalogue (groups, categories) and grids. Safe to run again.
pub async fn seed_catalog(svc: &Services) -> Result<(), Error> {
    for (code, zh, en) in DEPARTMENTS {
        departments::upsert(&svc.db, code, zh, en).await?;
    }
    let depts = departments::list(&svc.db).await?;
    let dept = |code: &str| depts.iter().find(|d| d.code == code).map(|d| d.id);
    let mut group_ids = Vec::new();
    for (i, (code, zh, en)) in catalog::GROUPS.iter().enumerate() {
        group_ids.push((
            *code,
            categories::upsert_group(&svc.db, code, zh, en, i as i64).await?,
        ));
    }
    let admin = Me {
        id: 0,
        email: String::new(),
        display_name: "seed".into(),
        role: Role::Admin,
        department_id: None,
    };
    for (i, c) in catalog::CATEGORIES.iter().enumerate() {
        let existing = categories::by_code(&svc.db, c.code).await?;
        let group_id = group_ids
            .iter()
            .find(|(g, _)| *g == c.group)
            .map(|(_, id)| *id);
        let (Some(group_id), Some(department_id)) = (group_id, dept(c.department)) else {
            return Err(Error::Internal(format!(
                "demo category {} has an unknown group or department",
                c.code
            )));
        };
        categories::save(
            &svc.db,
            Some(&admin),
            categories::CategoryInput {
                id: existing.map(|e| e.id),
                code: c.code.into(),
                group_id,
                name_zh: c.name_zh.into(),
                name_en: c.name_en.into(),
                description_zh: c.description_zh.into(),
                description_en: c.description_en.into(),
                keywords: c.keywords.into(),
                department_id,
                time_limit_hours: c.time_limit_hours,
                attributes: demo_attributes(c.code, c.attributes)?,
                active: true,
                position: i as i64,
            },
        )
        .await?;
    }
    grids::load(&svc.db, &catalog::grids_geojson()).await?;
    crate::places::load(&svc.db, catalog::PLACES).await?;
    Ok(())
}

/// A demo category's extra fields, written as Open311 attribute JSON in the catalogue, as
/// the rows the admin form sends.
fn demo_attributes(code: &str, json: &str) -> Result<Vec<AttributeRow>, Error> {
    if json.trim().is_empty() {
        return Ok(Vec::new());
    }
    let attrs: Vec<Attribute> = serde_json::from_str(json)
        .map_err(|e| Error::Internal(format!("demo category {code} has bad attributes: {e}")))?;
    Ok(attrs.iter().map(AttributeRow::from).collect())
}

/// Demo reports filed this many days ago (by category).
const FILED_DAYS_AGO: &[(&str, i64)] = &[("road_damage", 7)];

/// Moves a report's times back by `by`, as if it had been filed that long ago.
async fn backdate(svc: &Services, id: i64, by: chrono::Duration) -> Result<(), Error> {
    type Times = (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>);
    let (created, due): Times = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT created_at, due_at FROM reports WHERE id = $1")
            .bind(id)
            .fetch_one(p)
            .await
    })?;
    with_db!(&svc.db, p => async {
        sqlx::query("UPDATE reports SET created_at = $1, updated_at = $1, due_at = $2 WHERE id = $3")
            .bind(created - by)
            .bind(due - by)
            .bind(id)
            .execute(p)
            .await?;
        sqlx::query("UPDATE report_events SET at = $1 WHERE report_id = $2")
            .bind(created - by)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    }.await)?;
    Ok(())
}

/// Demo reports: what residents of the demo city have reported, in several states.
/// Only loaded into a database without reports.
pub async fn seed_reports(svc: &Services) -> Result<(), Error> {
    let n: i64 = with_db!(&svc.db, p => sqlx::query_scalar("SELECT count(*) FROM reports").fetch_one(p).await)?;
    if n > 0 {
        return Ok(());
    }
    let resident = find_by_email(&svc.db, "resident@demo.gongzhi.org")
        .await?
        .map(|u| u.into_me());
    let official = find_by_email(&svc.db, "official@demo.gongzhi.org")
        .await?
        .map(|u| u.into_me());
    let admin = find_by_email(&svc.db, "admin@demo.gongzhi.org")
        .await?
        .map(|u| u.into_me());
    let dispatcher = find_by_email(&svc.db, "dispatcher@demo.gongzhi.org")
        .await?
        .map(|u| u.into_me());
    // category, lat, lon, address, description, answers, by the demo resident, updates
    type Demo<'a> = (
        &'a str,
        f64,
        f64,
        &'a str,
        &'a str,
        &'a [(&'a str, &'a str)],
        bool,
        &'a [(Step, &'a str)],
    );
    let demo: &[Demo] = &[
        (
            "manhole",
            22.8172,
            108.3661,
            "民族大道与新竹路交叉口东北角",
            "人行道上的井盖缺失，晚上很危险，已经有人差点踩空。",
            &[("state", "missing")],
            true,
            &[
                (Step::Accept, "已受理，已通知市政养护单位到场设置警示。"),
                (Step::Register, ""),
                (Step::Dispatch, "派遣市住房和城乡建设局处置。"),
                (Step::Handle, "已更换新井盖并恢复通行。"),
                (Step::Verify, "现场核查：井盖已更换，通行正常。"),
                (Step::Close, "经核查已处置完毕，结案。"),
            ],
        ),
        (
            "street_light",
            22.8190,
            108.3702,
            "新竹路 120 号门前",
            "连续三个晚上路灯都不亮，这一段路很黑。",
            &[("pole", "XZ-0457")],
            true,
            &[
                (Step::Accept, "已受理，转路灯所处理。"),
                (Step::Register, ""),
                (Step::Dispatch, ""),
                (Step::Note, "已安排维修班组，预计明晚前修复。"),
            ],
        ),
        (
            "rubbish",
            22.8215,
            108.3597,
            "古城路菜市场北门",
            "菜市场门口堆了很多垃圾，气味很大，已经两天没人清运。",
            &[("amount", "pile")],
            false,
            &[(Step::Accept, "已受理。")],
        ),
        (
            "road_damage",
            22.8401,
            108.3655,
            "朝阳路与人民东路交叉口",
            "车行道上有一个很深的坑，下雨后看不清，电动车容易摔倒。",
            &[("where", "carriageway"), ("area", "1.5")],
            true,
            &[],
        ),
        (
            "illegal_parking",
            22.8105,
            108.3902,
            "南湖公园北门消防通道",
            "每天晚上都有汽车停在消防通道上。",
            &[("vehicle", "car")],
            false,
            &[
                (Step::Accept, ""),
                (
                    Step::Decline,
                    "经核实该处为临时停车泊位，不属于违章停车，不予立案。",
                ),
            ],
        ),
        (
            "noise",
            22.8453,
            108.3951,
            "民生路 35 号工地",
            "工地晚上十一点后还在施工，噪声很大，影响休息。",
            &[("source", "construction")],
            true,
            &[
                (Step::Accept, "已受理，已转生态环境局执法支队。"),
                (Step::Register, ""),
            ],
        ),
        (
            "greenery_damage",
            22.8160,
            108.3925,
            "南湖公园环湖步道",
            "台风后有一棵大树倒在步道上，行人无法通过。",
            &[("kind", "tree_down")],
            false,
            &[
                (Step::Accept, "已受理。"),
                (Step::Register, ""),
                (Step::Dispatch, ""),
                (Step::Handle, "园林养护队已到场，倒伏树木已清理。"),
                (Step::Verify, ""),
                (Step::Close, "步道恢复通行，结案。"),
            ],
        ),
        (
            "drain_blocked",
            22.8052,
            108.3383,
            "江南区福建园路 18 号",
            "下雨后路口积水很深，雨水口被树叶堵住了。",
            &[],
            true,
            &[],
        ),
        (
            "street_vending",
            22.8331,
            108.3578,
            "朝阳广场东侧人行道",
            "晚上有很多摊贩占用人行道，行人只能走到车行道上。",
            &[("when", "evening"), ("when", "night")],
            true,
            &[],
        ),
        (
            "graffiti",
            22.8244,
            108.3853,
            "东葛路公交站亭",
            "公交站亭上贴满了小广告。",
            &[],
            false,
            &[],
        ),
    ];
    for (i, (category, lat, lon, address, description, answers, by_resident, updates)) in
        demo.iter().enumerate()
    {
        let mut map: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for (k, v) in answers.iter() {
            map.entry(k.to_string()).or_default().push(v.to_string());
        }
        let user = if *by_resident {
            resident.as_ref()
        } else {
            None
        };
        let done = crate::reports::submit(
            svc,
            crate::reports::Reporter {
                user,
                ip: "seed",
                api_key: None,
            },
            crate::reports::NewReport {
                category: category.to_string(),
                lat: lat.to_string(),
                lon: lon.to_string(),
                address: address.to_string(),
                description: description.to_string(),
                answers: map,
                photos: vec![],
                hide_name: false,
                submit_token: format!("demo-report-token-{i:04}-0000000000000000000000"),
            },
        )
        .await?;
        // Some demo reports were filed days ago and are past their deadline now (a city
        // always has a few): their times move back.
        if let Some((_, days)) = FILED_DAYS_AGO.iter().find(|(c, _)| c == category) {
            backdate(svc, done.id, chrono::Duration::days(*days)).await?;
        }
        // Only Gongzhi's own case system is worked here; an external one moves by itself.
        if !matches!(svc.cases, crate::cases::CaseSystem::Builtin) || updates.is_empty() {
            continue;
        }
        crate::cases::forward(svc, done.id)
            .await
            .map_err(|e| Error::Internal(e.message().to_string()))?;
        for (step, note) in updates.iter() {
            let case = crate::cases::builtin::detail(svc, admin.as_ref(), done.id).await?;
            let dept = case.report.department_id;
            // Department steps by the department's official where the demo has one.
            let actor = match (&official, &dispatcher) {
                (Some(o), _) if step.by_department() && o.department_id == Some(dept) => Some(o),
                (_, Some(d)) if !step.by_department() => Some(d),
                _ => admin.as_ref(),
            };
            crate::cases::builtin::take_step(
                svc,
                actor,
                done.id,
                crate::cases::builtin::StepInput {
                    step: step.as_str().into(),
                    stage: case.stage.as_str().into(),
                    note: note.to_string(),
                    department: dept.to_string(),
                    public: true,
                    photo_token: None,
                },
            )
            .await?;
        }
    }
    crate::ratelimit::clear(&svc.db, crate::ratelimit::Scope::ReportIp, "seed").await?;
    if let Some(r) = &resident {
        crate::ratelimit::clear(
            &svc.db,
            crate::ratelimit::Scope::ReportAccount,
            &r.id.to_string(),
        )
        .await?;
    }
    Ok(())
}
