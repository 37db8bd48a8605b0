import { test, expect, Page } from "@playwright/test";
import { open, openPlain, logIn, expectAccessible } from "./helpers";

const RESIDENT = { email: "resident@demo.gongzhi.org", password: "resident-demo-2026" };
const MODERATOR = { email: "moderator@demo.gongzhi.org", password: "moderator-demo-2026" };
// A 1×1 PNG: a real image, checked and re-encoded by the server.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

/** The report form is served without wasm; its small script marks the form when ready. */
async function openForm(page: Page) {
  await page.goto("/reports/new");
  await expect(page.locator("form[data-report-form][data-ready]")).toHaveCount(1);
}

async function chooseCategory(page: Page, name: string) {
  await page.locator(".category-option label", { hasText: name }).click();
}

test("a resident reports with a photo and a map pin", async ({ page }) => {
  await logIn(page, RESIDENT.email, RESIDENT.password);
  await openForm(page);
  await page.getByLabel("搜索类别（名称或关键词）").fill("lamp");
  await expect(page.locator(".category-option:visible")).toHaveCount(1);
  await chooseCategory(page, "路灯不亮");
  // The chosen category's extra field appears.
  await expect(page.getByLabel("灯杆编号（如有）")).toBeVisible();
  const map = page.locator(".map-picker");
  await expect(map).toBeVisible();
  await expect(map.locator(".leaflet-map-pane")).toHaveCount(1);
  // The map opens centred on the city's grids.
  await map.click();
  await expect(page.locator("#f-lat")).not.toHaveValue("");
  await expect(page.locator("#f-lon")).not.toHaveValue("");
  await page.locator("#f-description").fill("小区门口的路灯连续三晚不亮。");
  await expect(page.locator("#f-description-count span")).toHaveText(String(2000 - 14));
  await page.locator("#f-photo").setInputFiles({ name: "light.png", mimeType: "image/png", buffer: PNG });
  await expect(page.locator('[data-enhance="photo-previews"] img')).toHaveCount(1);
  await page.getByRole("button", { name: "提交" }).click();
  await expect(page).toHaveURL(/\/reports\/\d+\?new=1$/);
  await expect(page.getByText("感谢您的反映")).toBeVisible();
  await expect(page.locator(".photos img")).toHaveCount(1);
  await expect(page.getByText("小区门口的路灯连续三晚不亮。")).toBeVisible();
});

test("an admin adds extra fields field by field and residents are asked them", async ({ page }, info) => {
  // Each browser project adds its own category to the one server.
  const name = `护栏损坏 ${info.project.name}`;
  await logIn(page, "admin@demo.gongzhi.org", "admin-demo-2026");
  await open(page, "/admin/categories/new");
  await page.locator("#f-code").fill(`guardrail_${info.project.name}`);
  await page.getByLabel("中文名称").fill(name);
  await page.getByLabel("英文名称").fill(`Damaged guardrail ${info.project.name}`);
  await page.getByLabel("处理时限（小时）").fill("24");
  // The spare row becomes field 1: a choose-one question, first without its choices.
  const first = page.getByRole("group", { name: "字段 1", exact: true });
  await first.getByLabel("编码").fill("where");
  await first.getByLabel("类型").selectOption({ label: "单选" });
  await first.getByLabel("居民必须填写").check();
  await first.getByLabel("中文问题").fill("护栏在哪里");
  await first.getByLabel("英文问题").fill("Where is the guardrail");
  await page.getByRole("button", { name: "保存" }).click();
  // Refused at the choices box; what was typed stays.
  await expect(first.locator(".field-invalid textarea")).toHaveCount(1);
  await expect(first.getByText("请填写此项。")).toBeVisible();
  await expect(first.getByLabel("编码")).toHaveValue("where");
  await first.getByLabel("选项").fill("road | 车行道 | Road\nwalk | 人行道 | Pavement");
  // With wasm, another field is added in place; a number field shows no choices box.
  await page.getByRole("button", { name: "再加一个字段" }).click();
  const second = page.getByRole("group", { name: "字段 2", exact: true });
  await second.getByLabel("编码").fill("length_m");
  await second.getByLabel("类型").selectOption({ label: "数字" });
  await expect(second.getByLabel("选项")).toBeHidden();
  await second.getByLabel("中文问题").fill("损坏长度（米）");
  await second.getByLabel("英文问题").fill("Damaged length (m)");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(/\/admin\/categories$/);
  await expect(page.locator(".admin-row", { hasText: name })).toContainText("2 附加字段");
  // Residents are asked both questions, in order, with the choices.
  await openForm(page);
  await chooseCategory(page, name);
  const asked = page.getByRole("group", { name, exact: true });
  const where = asked.getByLabel("护栏在哪里");
  await expect(where).toBeVisible();
  await expect(where.locator("option", { hasText: "人行道" })).toHaveCount(1);
  await expect(asked.getByLabel("损坏长度（米）")).toBeVisible();
});

test("an anonymous resident reports and follows by tracking code", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await openForm(page);
  await expect(page.getByText("您未登录，将以匿名方式提交")).toBeVisible();
  await chooseCategory(page, "排水不畅");
  await page.locator("#f-lat").fill("22.8101");
  await page.locator("#f-lon").fill("108.3701");
  await page.locator("#f-address").fill("青秀路 8 号");
  await page.locator("#f-description").fill("下雨后路口积水没过脚踝。");
  await page.getByRole("button", { name: "提交" }).click();
  await expect(page).toHaveURL(/\/track\/[0-9A-Z-]{19}\?new=1$/);
  const code = await page.locator(".tracking-code").innerText();
  await context.close();

  const later = await browser.newContext();
  const p2 = await later.newPage();
  await openPlain(p2, "/track");
  await p2.getByLabel("输入跟踪码").fill(code.toLowerCase());
  await p2.getByRole("button", { name: "查看进展" }).click();
  await expect(p2.getByText("下雨后路口积水没过脚踝。")).toBeVisible();
  await expect(p2.getByRole("heading", { name: "处理进展", exact: true })).toBeVisible();
  await later.close();
});

test("the duplicate suggestion leads to me too", async ({ page }) => {
  await logIn(page, MODERATOR.email, MODERATOR.password);
  await openForm(page);
  await chooseCategory(page, "路灯不亮");
  // Next to the demo city's open street-light report on 新竹路.
  await page.locator("#f-lat").fill("22.81905");
  await page.locator("#f-lon").fill("108.37025");
  await page.locator("#f-lon").dispatchEvent("change");
  const dup = page.locator(".duplicate").first();
  await expect(dup).toBeVisible();
  await expect(page.getByRole("heading", { name: "附近已有类似问题" })).toBeVisible();
  await dup.getByRole("button", { name: "我也遇到了" }).click();
  await expect(page).toHaveURL(/\/reports\/\d+$/);
  await expect(page.getByRole("button", { name: "已表示遇到同样问题（点击撤回）" })).toBeVisible();
  await expect(page.getByText("有新进展时会通知您。")).toBeVisible();
  // The report page needs no wasm: its buttons are plain forms that come back to it.
  await expect(page.locator("body[data-hydrated]")).toHaveCount(0);
  await page.getByRole("button", { name: "取消关注" }).click();
  await expect(page.getByRole("button", { name: "关注进展" })).toBeVisible();
  await page.getByRole("button", { name: "关注进展" }).click();
  await expect(page.getByRole("button", { name: "取消关注" })).toBeVisible();
});

test("filters on the public list", async ({ page }) => {
  await openPlain(page, "/reports");
  await page.locator("summary", { hasText: "筛选" }).click();
  await page.getByLabel("问题类别").selectOption("noise");
  await page.getByRole("button", { name: "筛选", exact: true }).click();
  await expect(page).toHaveURL(/category=noise/);
  const items = page.locator(".report-item");
  await expect(items.first()).toBeVisible();
  const titles = await items.locator(".report-item-title").allInnerTexts();
  expect(titles.length).toBeGreaterThan(0);
  for (const t of titles) expect(t).toContain("噪声扰民");
  // A bad date is named, not ignored.
  await page.goto("/reports?from=yesterday");
  await expect(page.locator("#flt-from-error")).toHaveText("请输入日期，格式为 年-月-日。");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the report form shows problems, keeps what was typed, and submits", async ({ page }) => {
    await page.goto("/reports/new");
    await page.locator("#f-address").fill("朝阳广场东侧");
    await page.getByRole("button", { name: "提交" }).click();
    await expect(page).toHaveURL(/\/reports\/new\?draft=/);
    await expect(page.locator("#form-errors")).toContainText("问题类别: 请填写此项。");
    await expect(page.locator("#f-address")).toHaveValue("朝阳广场东侧");
    await page.locator('label[for="cat-graffiti"]').click();
    // No map and no coordinates: the address names a known place.
    await page.locator("#f-address").fill("东葛路公交站");
    await page.locator("#f-description").fill("公交站亭贴满小广告。");
    await page.getByRole("button", { name: "提交" }).click();
    await expect(page).toHaveURL(/\/track\/[0-9A-Z-]{19}\?new=1$/);
    await expect(page.getByText("公交站亭贴满小广告。")).toBeVisible();
  });
});

test("report pages are accessible", async ({ page }) => {
  await openForm(page);
  await expectAccessible(page);
  for (const path of ["/reports", "/reports/1", "/reports/map", "/track"]) {
    await openPlain(page, path);
    await expectAccessible(page);
  }
  await logIn(page, "admin@demo.gongzhi.org", "admin-demo-2026");
  for (const path of ["/me/reports", "/me/notifications", "/admin/categories", "/admin/categories/1", "/admin/grids", "/admin/departments"]) {
    await open(page, path);
    await expect(page.locator("h1")).toBeVisible();
    await expectAccessible(page);
  }
  await openForm(page);
  await expectAccessible(page);
});

test("the report pages fit a phone without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ["/reports", "/reports/1", "/reports/map"]) {
    await openPlain(page, path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }
  await openForm(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
