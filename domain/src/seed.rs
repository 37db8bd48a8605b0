//! Demo data: a city government in Nanning (南宁) with one account per role.
//! Loaded on the first start of an empty database, or with `gongzhi seed-demo`.

use crate::accounts::{admin::insert_user, find_by_email, password};
use crate::error::Error;
use crate::model::Role;
use crate::with_db;
use crate::{departments, Services};

/// The demo city's departments: code, Chinese name, English name.
pub const DEPARTMENTS: &[(&str, &str, &str)] = &[
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

/// One account per role; the README lists the same.
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

/// Loads the demo data. Safe to run again: existing departments are updated and existing
/// accounts are left as they are.
pub async fn seed_demo(svc: &Services) -> Result<(), Error> {
    let mut dept_ids = Vec::new();
    for (code, zh, en) in DEPARTMENTS {
        dept_ids.push((*code, departments::upsert(&svc.db, code, zh, en).await?));
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
    Ok(())
}
