import { test, expect } from "@playwright/test";
import { open, openPlain, expectAccessible, logIn, newResident, OFFICIAL, RESIDENT } from "./helpers";

/** An 8×8 PNG (a picture the server decodes and re-encodes). */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAbElEQVR4nBXNQRUAUQhCUZOYhCQmeUlIQhISzR+XXA7ODDtouIHBQ4YOM8suWm5h8ZKl+0CskDiBsIioHhx76LiDw0eO3oN/4FVf+J8h0PduzBqZ8x/bxNQPwgaFy192SGgelC0q13/CJaXlA+odUoHdRJQGAAAAAElFTkSuQmCC",
  "base64",
);

/** A local date `days` from today, as a date input takes it. */
function day(days: number) {
  const d = new Date(Date.now() + 8 * 3600_000 + days * 86400_000);
  return d.toISOString().slice(0, 10);
}

test("an official opens a process, residents propose, support and argue, the official answers and supporters are told", async ({ browser }, info) => {
  test.setTimeout(180_000);
  const tag = `${info.project.name}-${Date.now()}`;
  const title = `社区停车议题 ${tag}`;

  // The official opens a process for their department, in its proposal phase.
  const officialCtx = await browser.newContext();
  const official = await officialCtx.newPage();
  await logIn(official, OFFICIAL.email, OFFICIAL.password);
  await openPlain(official, "/deliberation/new");
  await expectAccessible(official);
  await official.locator("#f-title").fill(title);
  await official.locator("#f-summary").fill("小区周边停车难，请提出建议。");
  await official.locator("#f-body").fill("## 现状\n\n晚上**车位不足**，消防通道被占。");
  await official.locator("#f-information").fill(day(-3));
  await official.locator("#f-proposals").fill(day(-1));
  await official.locator("#f-discussion").fill(day(7));
  await official.locator("#f-decision").fill(day(14));
  await official.locator("#f-closes").fill(day(21));
  await official.locator("#f-support_threshold").fill("1");
  await official.getByRole("button", { name: "保存" }).click();
  await expect(official).toHaveURL(/\/deliberation\/\d+$/);
  const processUrl = official.url();
  await expect(official.locator("h1")).toHaveText(title);
  await expect(official.locator(".phase-current")).toContainText("征集建议");
  await expect(official.locator(".markdown strong")).toHaveText("车位不足");
  await expectAccessible(official);

  // The cover image: a file that is not a picture is refused at its field, the
  // description typed stays; a real picture then shows with that description.
  await official.locator("summary", { hasText: "封面图片" }).click();
  await official.locator("#f-image").setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not a picture") });
  await official.locator("#f-alt").fill("小区入口夜间停满车辆");
  await official.getByRole("button", { name: "上传图片" }).click();
  await expect(official.locator("#f-image-error")).toBeVisible();
  await expect(official.locator("#f-alt")).toHaveValue("小区入口夜间停满车辆");
  await expectAccessible(official);
  await official.locator("#f-image").setInputFiles({ name: "cover.png", mimeType: "image/png", buffer: PNG });
  await official.getByRole("button", { name: "上传图片" }).click();
  await expect(official.locator(".picture.cover img")).toHaveAttribute("alt", "小区入口夜间停满车辆");
  await expect(official.locator(".picture.cover img")).toHaveJSProperty("naturalWidth", 8);

  // A resident finds it in the list and makes a proposal.
  const residentCtx = await browser.newContext();
  const resident = await residentCtx.newPage();
  await logIn(resident, RESIDENT.email, RESIDENT.password);
  await openPlain(resident, `/deliberation?q=${encodeURIComponent(tag)}`);
  await resident.getByRole("link", { name: title }).click();
  await expect(resident.locator("h1")).toHaveText(title);
  await resident.locator("#f-title").fill("夜间开放学校操场停车");
  await resident.locator("#f-body").fill("晚上 7 点到早上 7 点开放**学校操场**停车。");
  await resident.getByRole("button", { name: "提交建议" }).click();
  await expect(resident).toHaveURL(/\/proposals\/\d+$/);
  const proposalUrl = resident.url();
  await expect(resident.locator(".markdown strong")).toHaveText("学校操场");
  await expect(resident.getByText("修改建议")).toBeVisible();
  await expectAccessible(resident);

  // The official supports it: one support reaches the threshold of this process.
  await official.goto(proposalUrl, { waitUntil: "load" });
  await official.getByRole("button", { name: "支持这条建议" }).click();
  await expect(official.getByRole("button", { name: "撤回支持" })).toBeVisible();
  await expect(official.locator(".supports")).toHaveText("1");
  await expect(official.getByText("已达到答复门槛")).toBeVisible();
  // The author can no longer change what was supported.
  await resident.goto(proposalUrl, { waitUntil: "load" });
  await expect(resident.getByText("修改建议")).toHaveCount(0);
  // The discussion: the resident argues for it, with a stance; the official replies.
  await resident.locator("#new-stance-for").check();
  await resident.locator("#comment-body").fill("操场晚上空着，**正好用上**。");
  await resident.getByRole("button", { name: "发表评论" }).click();
  await expect(resident.locator(".comment").first()).toContainText("正好用上");
  await expect(resident.locator(".balance")).toContainText("支持 1");
  await expectAccessible(resident);
  await official.goto(proposalUrl, { waitUntil: "load" });
  const first = official.locator(".comment").first();
  await first.locator("summary", { hasText: "回复" }).click();
  await first.locator("input[value=against]").check();
  await first.locator("textarea[id$=\"-reply\"]").fill("要先和学校签安全协议");
  await first.getByRole("button", { name: "发表回复" }).click();
  await expect(official.locator(".comment.depth-2")).toContainText("要先和学校签安全协议");
  await expect(official.locator(".balance")).toContainText("反对 1");

  // The process page lists it with its support.
  await openPlain(resident, processUrl.replace(/^https?:\/\/[^/]+/, ""));
  await expect(resident.locator(".proposal-row", { hasText: "夜间开放学校操场停车" }).locator(".supports")).toContainText("1");

  // A neighbour signs up and supports it too, and follows the process.
  const neighbour = await newResident(browser, info, "neighbour", "邻居小韦");
  await neighbour.page.goto(proposalUrl, { waitUntil: "load" });
  await neighbour.page.getByRole("button", { name: "支持这条建议" }).click();
  await expect(neighbour.page.locator(".supports").first()).toHaveText("2");
  await neighbour.page.goto(processUrl, { waitUntil: "load" });
  await neighbour.page.getByRole("button", { name: "关注", exact: true }).click();
  await expect(neighbour.page.getByRole("button", { name: "取消关注" })).toBeVisible();

  // The official answers: a refused answer names its field and keeps what was typed.
  await official.goto(proposalUrl, { waitUntil: "load" });
  await official.locator("summary", { hasText: "发布部门答复" }).click();
  await official.locator("#outcome-implemented").check();
  await official.locator("#f-answer").fill("已与学校签订协议，夜间开放。");
  await official.locator("#f-progress").fill("150");
  await official.getByRole("button", { name: "发布答复" }).click();
  await expect(official.locator("#f-progress-error")).toContainText("0 到 100");
  await expect(official.locator("#f-answer")).toHaveValue("已与学校签订协议，夜间开放。");
  await official.locator("#f-progress").fill("60");
  await official.getByRole("button", { name: "发布答复" }).click();
  const outcome = official.locator("section.outcome");
  await expect(outcome.locator(".badge-outcome-implemented")).toHaveText("已实施");
  await expect(outcome.locator("progress")).toHaveAttribute("value", "60");
  await expect(outcome).toContainText("已与学校签订协议");
  await expectAccessible(official);

  // The supporter finds it in their notifications and follows it to the answer.
  await open(neighbour.page, "/me/notifications");
  const notice = neighbour.page.locator("li.notification", { hasText: "部门答复了建议" }).first();
  await expect(notice).toContainText("已实施");
  await expect(notice).toContainText("夜间开放学校操场停车");
  await expectAccessible(neighbour.page);
  await notice.getByRole("link", { name: "部门答复了建议" }).click();
  await expect(neighbour.page.locator("section.outcome")).toContainText("已与学校签订协议");
  // The author is told of the answer, and of the official's reply to their argument.
  await open(resident, "/me/notifications");
  await expect(resident.locator("li.notification", { hasText: "部门答复了建议" }).first()).toContainText("已实施");
  await expect(resident.locator("li.notification", { hasText: "有人回复了您" }).first()).toBeVisible();
  await neighbour.context.close();

  await officialCtx.close();
  await residentCtx.close();
});

test("the deliberation list is accessible and fits a phone", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ["/deliberation", "/deliberation?view=upcoming", "/deliberation?view=closed"]) {
    await openPlain(page, path);
    await expectAccessible(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }
  // The demo city's market renovation is open for proposals.
  await openPlain(page, "/deliberation");
  await page.getByRole("link", { name: "朝阳菜市场改造方案征求意见" }).click();
  await expect(page.locator(".proposal-row")).toHaveCount(2);
  await expectAccessible(page);
});
