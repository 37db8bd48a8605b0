import { test, expect, Page } from "@playwright/test";
import { ADMIN, expectAccessible, logIn, newResident, openPlain } from "./helpers";

const MODERATOR = { email: "moderator@demo.gongzhi.org", password: "moderator-demo-2026" };

/** The demo proposal on the market process (in its proposal phase). */
async function openDemoProposal(page: Page) {
  await openPlain(page, "/deliberation");
  await page.getByRole("link", { name: "朝阳菜市场改造方案征求意见" }).first().click();
  await page.getByRole("link", { name: /主通道拓宽到 3 米/ }).first().click();
  await expect(page).toHaveURL(/\/proposals\/\d+$/);
  return page.url();
}

test("a flagged comment is hidden with a reason, appealed, restored by an admin, all in the public log; a suspended author cannot post", async ({ browser }, info) => {
  test.setTimeout(240_000);
  const tag = `${info.project.name}-${Date.now()}`;
  const text = `说这种话的人脑子有问题 ${tag}`;
  const note = `请就事论事（${tag}）`;
  const restored = `申诉成立（${tag}）`;

  // The author posts a comment; a neighbour flags it as abuse.
  const author = await newResident(browser, info, "author", "发言的居民");
  const url = await openDemoProposal(author.page);
  await author.page.locator("#new-stance-against").check();
  await author.page.locator("#comment-body").fill(text);
  await author.page.getByRole("button", { name: "发表评论" }).click();
  const mine = author.page.locator(".comment", { hasText: text });
  await expect(mine).toBeVisible();

  const neighbour = await newResident(browser, info, "flagger", "举报的邻居");
  await neighbour.page.goto(url, { waitUntil: "load" });
  const theirs = neighbour.page.locator(".comment", { hasText: text });
  await theirs.locator("summary", { hasText: "举报" }).click();
  // "Other" without a word is refused, naming what is missing.
  await theirs.getByRole("radio", { name: "其他" }).check();
  await theirs.getByRole("button", { name: "提交举报" }).click();
  await expect(neighbour.page.locator(".comment", { hasText: text }).locator(".flag .alert-error")).toContainText("请填写");
  await neighbour.page.locator(".comment", { hasText: text }).getByRole("radio", { name: "辱骂、骚扰或威胁" }).check();
  await neighbour.page.locator(".comment", { hasText: text }).getByRole("button", { name: "提交举报" }).click();
  await expect(neighbour.page.locator(".comment", { hasText: text }).locator(".flagged")).toHaveText("已举报，版主会处理");

  // The moderator finds it in the queue, claims it, suspends the author and hides it.
  const modCtx = await browser.newContext();
  const mod = await modCtx.newPage();
  await logIn(mod, MODERATOR.email, MODERATOR.password);
  await openPlain(mod, "/moderation");
  await expect(mod.locator("h1")).toHaveText("审核队列");
  let item = mod.locator("li.queue-item", { hasText: text });
  await expect(item).toContainText("辱骂、骚扰或威胁 × 1");
  await expect(item).toContainText("发言的居民");
  await expectAccessible(mod);
  await item.getByRole("button", { name: "认领" }).click();
  item = mod.locator("li.queue-item", { hasText: text });
  await expect(item.locator(".badge")).toContainText("您已认领");
  await item.locator("summary", { hasText: "暂停作者发言" }).click();
  await item.getByLabel("天数").fill("3");
  await item.getByLabel("说明（告诉用户原因）").fill("请遵守讨论规则");
  await item.getByRole("button", { name: "暂停发言", exact: true }).click();
  item = mod.locator("li.queue-item", { hasText: text });
  await expect(item).toContainText("正在暂停发言");
  await item.getByRole("radio", { name: "隐藏", exact: true }).check();
  await item.getByLabel("原因（隐藏时必填）").selectOption("abuse");
  await item.getByLabel("公开说明").fill(note);
  await item.getByRole("button", { name: "执行" }).click();
  await expect(mod.locator("li.queue-item", { hasText: text })).toHaveCount(0);

  // Readers see the tombstone and its reason, not the text.
  const readerCtx = await browser.newContext();
  const reader = await readerCtx.newPage();
  await reader.goto(url, { waitUntil: "load" });
  await expect(reader.locator(".tombstone", { hasText: note })).toContainText("已被版主隐藏。原因：辱骂、骚扰或威胁");
  await expect(reader.getByText(text)).toHaveCount(0);
  await expectAccessible(reader);

  // The author still reads it, is told why, and cannot post while suspended.
  await author.page.goto(url, { waitUntil: "load" });
  const own = author.page.locator(".comment", { hasText: text });
  await expect(own.locator(".tombstone")).toContainText(note);
  await author.page.locator("#new-stance-for").check();
  await author.page.locator("#comment-body").fill("我还有话要说");
  await author.page.getByRole("button", { name: "发表评论" }).click();
  await expect(author.page.locator(".comment-form .alert-error")).toContainText("您已被暂停发言");
  await expect(author.page.locator(".comment-form .alert-error")).toContainText("请遵守讨论规则");

  // The author appeals (once).
  const again = author.page.locator(".comment", { hasText: text });
  await again.locator("summary", { hasText: "申诉" }).click();
  await again.getByLabel("为什么应该恢复这条内容？").fill("我批评的是行为，不是针对个人。");
  await again.getByRole("button", { name: "提交申诉" }).click();
  await expect(author.page.locator(".comment", { hasText: text })).toContainText("已申诉，等待复核。");

  // The moderator who hid it cannot decide the appeal; an admin restores it.
  await openPlain(mod, "/moderation");
  item = mod.locator("li.queue-item", { hasText: text });
  await expect(item).toContainText("我批评的是行为");
  await item.locator("summary", { hasText: "处理" }).click();
  await item.getByRole("radio", { name: "恢复显示", exact: true }).check();
  await item.getByRole("button", { name: "执行" }).click();
  await expect(mod.locator("li.queue-item", { hasText: text }).locator(".moderate .alert-error")).toContainText("另一位版主或管理员");

  const adminCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  await logIn(admin, ADMIN.email, ADMIN.password);
  await openPlain(admin, "/moderation");
  item = admin.locator("li.queue-item", { hasText: text });
  await expect(item).toContainText("作者申诉");
  await item.locator("summary", { hasText: "处理" }).click();
  await item.getByRole("radio", { name: "恢复显示", exact: true }).check();
  await item.getByLabel("公开说明").fill(restored);
  await item.getByRole("button", { name: "执行" }).click();
  await expect(admin.locator("li.queue-item", { hasText: text })).toHaveCount(0);
  await reader.goto(url, { waitUntil: "load" });
  await expect(reader.locator(".comment", { hasText: text })).toBeVisible();

  // The public log shows both actions (and the suspension) with who did them, never the text.
  await openPlain(reader, "/moderation/log");
  await expect(reader.locator("h1")).toHaveText("公开审核记录");
  const rows = reader.locator("table.log tbody tr");
  await expect(rows.filter({ hasText: restored }).first()).toContainText("恢复显示");
  await expect(rows.filter({ hasText: note }).first()).toContainText("隐藏");
  await expect(rows.filter({ hasText: note }).first()).toContainText("志愿者");
  await expect(rows.filter({ hasText: "暂停发言" }).first()).toContainText("3 天");
  await expect(reader.getByText(text)).toHaveCount(0);
  await expectAccessible(reader);

  // The admins' settings page.
  await openPlain(admin, "/moderation/settings");
  await expect(admin.locator("h1")).toHaveText("审核设置");
  await expectAccessible(admin);

  for (const c of [author.context, neighbour.context, modCtx, readerCtx, adminCtx]) await c.close();
});
