//! The demo city's deliberation: a market renovation open for proposals (with proposals
//! and supports), a park's opening hours coming next week, and a cycle lane scheme that
//! closed last month. Only on a database without processes.

use crate::accounts::find_by_email;
use crate::deliberation::processes::{self, ProcessInput};
use crate::deliberation::proposals::{self, ProposalInput};
use crate::error::Error;
use crate::model::Me;
use crate::{departments, with_db, Services};

/// A local date `days` from today in the city.
fn day(svc: &Services, days: i64) -> String {
    (crate::time::now()
        + chrono::Duration::minutes(i64::from(svc.reports.utc_offset_minutes))
        + chrono::Duration::days(days))
    .format("%Y-%m-%d")
    .to_string()
}

pub(super) async fn me(svc: &Services, email: &str) -> Result<Option<Me>, Error> {
    Ok(find_by_email(&svc.db, email).await?.map(|u| u.into_me()))
}

/// A short discussion on the wide-aisle proposal, with what moderators meet on a live
/// site: an advert flagged by two people and hidden (its tombstone and the public log show
/// it), and an insult one resident flagged, waiting in the review queue.
async fn discussion(svc: &Services, wide: i64, resident: &Me, official: &Me) -> Result<(), Error> {
    use crate::deliberation::comments::{self, NewComment, Subject};
    use crate::model::moderation::{Action, ItemKind};
    use crate::moderation::{flags, queue};
    let Some(moderator) = me(svc, "moderator@demo.gongzhi.org").await? else {
        return Ok(());
    };
    let on = Subject::Proposal(wide);
    let say = |stance: &str, body: &str, parent: Option<i64>| NewComment {
        stance: stance.into(),
        body: body.into(),
        parent,
        ..Default::default()
    };
    let first = comments::post(
        svc,
        Some(resident),
        on,
        say("for", "支持！早上推婴儿车经常被堵在东门台阶前。", None),
    )
    .await?;
    comments::post(
        svc,
        Some(official),
        on,
        say(
            "neutral",
            "东门坡道已纳入改造方案，具体宽度还在测算，欢迎继续提意见。",
            Some(first),
        ),
    )
    .await?;
    // An account nobody can sign in to (its password is random and never kept).
    let hash = crate::accounts::password::hash(&crate::accounts::tokens::new_token()).await?;
    crate::accounts::admin::insert_user(
        svc,
        "leaflets@demo.gongzhi.org",
        "低价代办",
        &hash,
        crate::model::Role::Resident,
        None,
    )
    .await?;
    let Some(poster) = me(svc, "leaflets@demo.gongzhi.org").await? else {
        return Ok(());
    };
    let advert = comments::post(
        svc,
        Some(&poster),
        on,
        say(
            "neutral",
            "加微信 dbz2026，低价代办营业执照、居住证，当天出证。",
            None,
        ),
    )
    .await?;
    for who in [resident, official] {
        flags::flag(svc, Some(who), ItemKind::Comment, advert, "spam", "").await?;
    }
    queue::act(
        svc,
        Some(&moderator),
        ItemKind::Comment,
        advert,
        queue::Decision {
            action: Action::Hide.as_str().into(),
            reason: "spam".into(),
            note: "商业广告".into(),
        },
    )
    .await?;
    let rant = comments::post(
        svc,
        Some(&poster),
        on,
        say(
            "against",
            "改来改去都是浪费钱，管菜市场的都是一群蠢货。",
            None,
        ),
    )
    .await?;
    flags::flag(
        svc,
        Some(resident),
        ItemKind::Comment,
        rant,
        "abuse",
        "骂人",
    )
    .await?;
    // Made-up history: it told nobody, and counts against nobody's posting limits.
    with_db!(&svc.db, p => {
        sqlx::query("DELETE FROM notifications WHERE comment_id IS NOT NULL").execute(p).await.map(|r| r.rows_affected())
    })?;
    use crate::ratelimit::{clear, Scope};
    for who in [resident, official, &poster] {
        clear(&svc.db, Scope::CommentAccount, &who.id.to_string()).await?;
        clear(&svc.db, Scope::FlagAccount, &who.id.to_string()).await?;
    }
    Ok(())
}

pub async fn seed_deliberation(svc: &Services) -> Result<(), Error> {
    let n: i64 = with_db!(&svc.db, p => sqlx::query_scalar("SELECT count(*) FROM processes").fetch_one(p).await)?;
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
    let dept = |code: &str| {
        depts
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.id.to_string())
            .unwrap_or_default()
    };
    let input =
        |title: &str, summary: &str, body: &str, code: &str, starts: [i64; 5], threshold: &str| {
            ProcessInput {
                title: title.into(),
                summary: summary.into(),
                body: body.into(),
                department: dept(code),
                information: day(svc, starts[0]),
                proposals: day(svc, starts[1]),
                discussion: day(svc, starts[2]),
                decision: day(svc, starts[3]),
                closes: day(svc, starts[4]),
                support_threshold: threshold.into(),
            }
        };

    let market = processes::save(
        svc,
        Some(&admin),
        None,
        input(
            "朝阳菜市场改造方案征求意见",
            "菜市场将于明年改造，请您就摊位布局、通道、停车和营业时间提出建议。",
            "## 背景\n\n朝阳菜市场建于 1998 年，摊位 320 个，日均客流约 8000 人次。\
             现有通道狭窄、排水不畅，周边早高峰非机动车乱停。\n\n\
             ## 这次征求什么\n\n- 摊位布局和通道宽度\n- 无障碍设施\n- 非机动车停放\n- 营业时间\n\n\
             改造初步方案见[市城管局公告](https://www.nanning.gov.cn/)。",
            "cgj",
            [-7, -2, 12, 20, 30],
            "3",
        ),
    )
    .await?;
    let proposal = |title: &str, body: &str, address: &str| ProposalInput {
        title: title.into(),
        body: body.into(),
        address: address.into(),
        ..Default::default()
    };
    let wide = proposals::create(
        svc,
        Some(&resident),
        market,
        proposal(
            "主通道拓宽到 3 米，方便轮椅和婴儿车",
            "现在主通道不到 2 米，早上人多时**推婴儿车根本过不去**。建议：\n\n- 主通道拓宽到 3 米\n- 入口改为无台阶坡道",
            "朝阳菜市场东门",
        ),
    )
    .await?;
    let bikes = proposals::create(
        svc,
        Some(&official),
        market,
        proposal(
            "在北侧空地划非机动车停放区",
            "北侧空地约 400 平方米，可以划出 200 个非机动车位，早高峰就不会堵住人行道。",
            "朝阳菜市场北侧空地",
        ),
    )
    .await?;
    for (who, id) in [(&admin, wide), (&official, wide), (&resident, bikes)] {
        proposals::support(svc, Some(who), id, true).await?;
    }

    processes::save(
        svc,
        Some(&admin),
        None,
        input(
            "南湖公园夜间开放时间调整",
            "夏季是否将南湖公园闭园时间从 22:00 延至 23:00？下周开始公开信息。",
            "南湖公园目前 6:00 开园、22:00 闭园。部分市民建议夏季延长开放，也有周边居民担心噪声。",
            "cgj",
            [7, 14, 21, 28, 35],
            "",
        ),
    )
    .await?;

    let lane = processes::save(
        svc,
        Some(&admin),
        None,
        input(
            "民族大道非机动车道改造",
            "民族大道（古城路至竹溪立交段）非机动车道拓宽与隔离方案。",
            "方案将非机动车道由 2.5 米拓宽至 3.5 米，并加装隔离护栏。",
            "jtj",
            [-7, -2, 12, 20, 30],
            "",
        ),
    )
    .await?;
    proposals::create(
        svc,
        Some(&resident),
        lane,
        proposal(
            "公交站台处不要切断非机动车道",
            "站台处的非机动车道经常被切断，骑车人只能进入机动车道，很危险。",
            "民族大道古城路口",
        ),
    )
    .await?;
    // It ran last month: move its phases back, as an admin editing it would.
    processes::save(
        svc,
        Some(&admin),
        Some(lane),
        input(
            "民族大道非机动车道改造",
            "民族大道（古城路至竹溪立交段）非机动车道拓宽与隔离方案。",
            "方案将非机动车道由 2.5 米拓宽至 3.5 米，并加装隔离护栏。",
            "jtj",
            [-60, -55, -45, -35, -25],
            "",
        ),
    )
    .await?;
    discussion(svc, wide, &resident, &official).await?;
    // The demo's made-up history is no news to anyone: each process's phase is recorded,
    // untold, the first time the server looks (NULL).
    with_db!(&svc.db, p => {
        sqlx::query("UPDATE processes SET announced_phase = NULL").execute(p).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}
