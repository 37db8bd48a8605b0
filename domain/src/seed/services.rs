//! The demo city's government services to rate (办事服务好差评), a few per department, with
//! some ratings: one rated poorly and rectified (what the department did is public), and
//! one rated poorly and waiting for the department. Only on a database without services.

use super::deliberation::me;
use crate::error::Error;
use crate::ratings::services::{self, ServiceInput};
use crate::ratings::RatingInput;
use crate::{departments, with_db, Services};

const SERVICES: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "stall-permit",
        "cgj",
        "临时占道经营许可",
        "Temporary street stall permit",
        "在指定路段临时摆摊经营的许可申请。",
        "Permission to run a stall on a designated street for a limited time.",
    ),
    (
        "sign-permit",
        "cgj",
        "户外广告设置审批",
        "Outdoor advertising approval",
        "店招、广告牌等户外设施的设置审批。",
        "Approval of shop signs, billboards and other outdoor advertising.",
    ),
    (
        "housing-fund",
        "zjj",
        "住房公积金提取",
        "Housing provident fund withdrawal",
        "购房、租房等情形下提取住房公积金。",
        "Withdrawing housing provident fund savings to buy or rent a home.",
    ),
    (
        "bus-card",
        "jtj",
        "老年人公交卡办理",
        "Senior citizens' bus pass",
        "65 周岁以上老人免费乘坐公交的乘车卡办理。",
        "The free bus pass for residents aged 65 and over.",
    ),
    (
        "tree-felling",
        "ylj",
        "树木砍伐迁移审批",
        "Tree felling and relocation approval",
        "因建设等需要砍伐、迁移城市树木的审批。",
        "Approval to fell or move city trees for construction and similar needs.",
    ),
];

pub async fn seed_services(svc: &Services) -> Result<(), Error> {
    let n: i64 = with_db!(&svc.db, p => sqlx::query_scalar("SELECT count(*) FROM services").fetch_one(p).await)?;
    if n > 0 {
        return Ok(());
    }
    let (Some(admin), Some(resident), Some(official)) = (
        me(svc, "admin@demo.gongzhi.org").await?,
        me(svc, "resident@demo.gongzhi.org").await?,
        me(svc, "official@demo.gongzhi.org").await?,
    ) else {
        return Ok(());
    };
    let depts = departments::list(&svc.db).await?;
    let mut ids = Vec::new();
    for (code, dept, name_zh, name_en, desc_zh, desc_en) in SERVICES {
        let Some(d) = depts.iter().find(|d| d.code == *dept) else {
            continue;
        };
        let id = services::save(
            svc,
            Some(&admin),
            ServiceInput {
                code: (*code).into(),
                name_zh: (*name_zh).into(),
                name_en: (*name_en).into(),
                description_zh: (*desc_zh).into(),
                description_en: (*desc_en).into(),
                department: d.id.to_string(),
                active: true,
            },
        )
        .await?;
        ids.push((*code, id));
    }
    let id = |code: &str| ids.iter().find(|(c, _)| *c == code).map(|(_, id)| *id);
    let rate = |level: &str, comment: &str| RatingInput {
        level: level.into(),
        comment: comment.into(),
        ..Default::default()
    };
    if let Some(stall) = id("stall-permit") {
        services::rate(
            svc,
            Some(&resident),
            stall,
            "LS2026-1102",
            rate("satisfied", "窗口办理很快"),
        )
        .await?;
        services::rate(
            svc,
            Some(&resident),
            stall,
            "LS2026-1187",
            rate("dissatisfied", "网上申请提交后两周没有回音"),
        )
        .await?;
        // The department answers that one in public.
        let open = services::for_department(svc, Some(&official)).await?;
        if let Some(r) = open.iter().find(|r| r.done_at.is_none()) {
            services::record(
                svc,
                Some(&official),
                r.id,
                "已排查网上申请流程，增设专人每日审核，审批时限压缩至 3 个工作日。",
            )
            .await?;
        }
    }
    if let Some(signs) = id("sign-permit") {
        services::rate(
            svc,
            Some(&resident),
            signs,
            "",
            rate("very_dissatisfied", "材料要求前后说法不一"),
        )
        .await?;
    }
    if let Some(bus) = id("bus-card") {
        services::rate(svc, Some(&resident), bus, "", rate("very_satisfied", "")).await?;
    }
    Ok(())
}
