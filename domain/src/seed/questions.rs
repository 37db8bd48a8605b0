//! The demo city's questions to departments (网络问政): one answered and rated, one many
//! residents want answered, one overdue, one being looked into, one handed over to the
//! department that should answer, one waiting for an admin to route it, and one waiting for
//! review. Only on a database without questions.

use chrono::Duration;

use super::deliberation::me;
use crate::error::Error;
use crate::model::moderation::{Action, ItemKind};
use crate::moderation::queue::{self, Decision};
use crate::questions::{self, answers, engage, QuestionInput};
use crate::time::now;
use crate::{departments, with_db, Services};

pub async fn seed_questions(svc: &Services) -> Result<(), Error> {
    let n: i64 = with_db!(&svc.db, p => sqlx::query_scalar("SELECT count(*) FROM questions").fetch_one(p).await)?;
    if n > 0 {
        return Ok(());
    }
    let (Some(resident), Some(official), Some(moderator)) = (
        me(svc, "resident@demo.gongzhi.org").await?,
        me(svc, "official@demo.gongzhi.org").await?,
        me(svc, "moderator@demo.gongzhi.org").await?,
    ) else {
        return Ok(());
    };
    let depts = departments::list(&svc.db).await?;
    let dept = |code: &str| {
        depts
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.id.to_string())
            .unwrap_or_default()
    };
    let ask = |title: &str, body: &str, department: String| QuestionInput {
        title: title.into(),
        body: body.into(),
        department,
        ip: String::new(),
    };
    let approve = || Decision {
        action: Action::Approve.as_str().into(),
        ..Default::default()
    };
    // Asked and published after review, as the city's default rules have it.
    let publish = |input: QuestionInput| {
        let resident = resident.clone();
        let moderator = moderator.clone();
        async move {
            let id = questions::ask(svc, Some(&resident), input).await?;
            queue::act(svc, Some(&moderator), ItemKind::Question, id, approve()).await?;
            Ok::<_, Error>(id)
        }
    };

    let answered = publish(ask(
        "民主路夜市油烟扰民，什么时候整治？",
        "民主路夜市烧烤摊每晚排烟到凌晨，临街住户无法开窗。希望城管部门规范夜市经营，加装油烟净化设施。",
        dept("cgj"),
    ))
    .await?;
    let answer = answers::answer(
        svc,
        Some(&official),
        answered,
        "感谢您的反映。经现场核查，民主路夜市共有 **23** 家烧烤摊位。我局已：\n\n\
         1. 责令全部摊位于本月底前加装油烟净化设备；\n\
         2. 将经营时间调整为 18:00–24:00；\n\
         3. 安排执法队员每晚巡查。\n\n\
         如仍有问题，欢迎继续反映。",
    )
    .await?;
    engage::rate(
        svc,
        Some(&resident),
        answer,
        engage::RatingInput {
            level: "satisfied".into(),
            speed: "very_satisfied".into(),
            comment: "答复具体，希望落实到位。".into(),
            ..Default::default()
        },
    )
    .await?;

    let wanted = publish(ask(
        "小区周边共享单车乱停放，能否划定停放区？",
        "青秀区金湖路沿线地铁站口每天早晚高峰共享单车堆满人行道，轮椅和婴儿车无法通过。",
        dept("cgj"),
    ))
    .await?;
    engage::want(svc, Some(&moderator), wanted, true).await?;

    let overdue = publish(ask(
        "城管执法车辆长期占用人行道停车",
        "朝阳路与人民路交叉口东北角，执法车辆每天停在盲道上，已持续两个月。",
        dept("cgj"),
    ))
    .await?;
    // It reached the department two weeks ago and is past its deadline.
    let asked = now() - Duration::days(14);
    let due = crate::questions::deadlines::due(svc, depts_id(&depts, "cgj"), asked).await?;
    with_db!(&svc.db, p => async {
        sqlx::query("UPDATE questions SET created_at = $1, received_at = $1, due_at = $2 WHERE id = $3")
            .bind(asked).bind(due).bind(overdue)
            .execute(p).await?;
        sqlx::query("UPDATE question_events SET created_at = $1 WHERE question_id = $2")
            .bind(asked).bind(overdue)
            .execute(p).await.map(|r| r.rows_affected())
    }.await)?;

    let looking = publish(ask(
        "公交 6 路能否延长到五象新区？",
        "五象新区新建小区入住率已过半，最近的公交站步行要 20 分钟。",
        dept("jtj"),
    ))
    .await?;
    let handed = publish(ask(
        "中山公园的古树有没有保护措施？",
        "公园东门两棵老榕树树干开裂，周末游人很多，担心断枝伤人。",
        dept("zjj"),
    ))
    .await?;
    // The transport and housing bureaus have no demo accounts: their officials act as
    // accounts made for the demo.
    for (code, email, name, id, step) in [
        (
            "jtj",
            "transport@demo.gongzhi.org",
            "交通运输局答复员",
            looking,
            "looking",
        ),
        (
            "zjj",
            "housing@demo.gongzhi.org",
            "住建局答复员",
            handed,
            "hand_over",
        ),
    ] {
        let hash = crate::accounts::password::hash(&crate::accounts::tokens::new_token()).await?;
        crate::accounts::admin::insert_user(
            svc,
            email,
            name,
            &hash,
            crate::model::Role::Official,
            Some(depts_id(&depts, code)),
        )
        .await?;
        let Some(o) = me(svc, email).await? else {
            continue;
        };
        if step == "looking" {
            let expected = (now() + Duration::days(20)).format("%Y-%m-%d").to_string();
            answers::looking_into(
                svc,
                Some(&o),
                id,
                &expected,
                "已列入年度线网优化方案，正在做客流调查。",
            )
            .await?;
        } else {
            answers::hand_over(
                svc,
                Some(&o),
                id,
                &dept("ylj"),
                "公园古树由园林局负责养护管理。",
            )
            .await?;
        }
    }

    publish(ask(
        "楼下空地堆放建筑垃圾应该找哪个部门？",
        "江南区亭洪路一块空地被倒满建筑垃圾，不知道归哪个部门管。",
        "unsure".into(),
    ))
    .await?;
    // Waiting for review: moderators see it in their queue.
    questions::ask(
        svc,
        Some(&resident),
        ask(
            "邕江沿岸步道夜间照明不足",
            "南湖大桥至青秀山段步道有多处路灯不亮，晚上散步很不安全。",
            dept("cgj"),
        ),
    )
    .await?;
    Ok(())
}

fn depts_id(depts: &[crate::model::Department], code: &str) -> i64 {
    depts
        .iter()
        .find(|d| d.code == code)
        .map(|d| d.id)
        .unwrap_or_default()
}
