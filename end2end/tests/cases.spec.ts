import { test, expect } from "@playwright/test";
import { open, openPlain, expectAccessible, logIn, ADMIN } from "./helpers";

test("an admin issues an API key, other software files a report with it, and a revoked key stops", async ({ page, request }, info) => {
  await logIn(page, ADMIN.email, ADMIN.password);
  await open(page, "/admin/api-keys");
  await expect(page.locator("h1")).toHaveText("API 密钥");
  await expectAccessible(page);
  // A key without a name is refused at the field.
  await page.getByRole("button", { name: "签发密钥" }).click();
  await expect(page.locator("#f-name-error")).toBeVisible();
  const name = `12345 热线 ${info.project.name} ${Date.now()}`;
  await page.locator("#f-name").fill(name);
  await page.getByRole("button", { name: "签发密钥" }).click();
  // The key is shown once the server answers (the box is in the page, hidden, before).
  const shown = page.getByTestId("new-key");
  await expect(shown).toBeVisible();
  await expect(shown).toHaveText(/^\s*gz_[A-Za-z0-9_-]{43}\s*$/);
  // The form is empty again for the next key.
  await expect(page.locator("#f-name")).toHaveValue("");
  const key = (await shown.innerText()).trim();
  const row = page.locator("li.admin-row", { hasText: name });
  await expect(row).toContainText("从未使用");

  // Other software posts through Open311 with the key.
  const description = `API 提交：路灯不亮 ${info.project.name} ${Date.now()}`;
  const res = await request.post("/open311/v2/requests.json", {
    form: { api_key: key, service_code: "street_light", lat: "22.8172", long: "108.3661", description },
  });
  expect(res.status()).toBe(200);
  const [created] = await res.json();
  expect(created.service_request_id).toMatch(/^\d+$/);
  await openPlain(page, `/reports/${created.service_request_id}`);
  await expect(page.getByText(description)).toBeVisible();
  // The built-in case system takes it within moments (the job runner works in the background).
  await expect(async () => {
    await openPlain(page, `/reports/${created.service_request_id}`);
    await expect(page.locator("dd.forwarding")).toContainText("已转交", { timeout: 500 });
  }).toPass({ timeout: 10_000 });

  // The key's last use shows; after revoking, the same post is refused.
  await open(page, "/admin/api-keys");
  await expect(row).not.toContainText("从未使用");
  await row.getByRole("button", { name: "撤销" }).click();
  await expect(row).toContainText("已撤销");
  const refused = await request.post("/open311/v2/requests.json", {
    form: { api_key: key, service_code: "street_light", lat: "22.8172", long: "108.3661", description },
  });
  expect(refused.status()).toBe(403);
});

test("the job queue page shows each view and is accessible in both languages", async ({ page }) => {
  await logIn(page, ADMIN.email, ADMIN.password);
  await open(page, "/admin/jobs");
  await expect(page.locator("h1")).toHaveText("任务队列");
  await expect(page.getByText("builtin")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: /已搁置/ }).click();
  await expect(page).toHaveURL(/view=dead$/);
  await expect(page.getByText("这里没有任务。")).toBeVisible();
  await page.getByRole("button", { name: "切换语言" }).click();
  await expect(page.locator("h1")).toHaveText("Job queue");
  await expectAccessible(page);
});

test("an admin retires a department into a new one, confirming first, and the list marks it", async ({ page }, info) => {
  await logIn(page, ADMIN.email, ADMIN.password);
  await open(page, "/admin/departments");
  const tag = `${info.project.name.replace(/[^a-z0-9]/gi, "")}${Date.now()}`;
  // Two new departments: the old bureau and the one formed to take over its work.
  for (const [code, zh, en] of [
    [`old-${tag}`, `旧局 ${tag}`, `Old bureau ${tag}`],
    [`new-${tag}`, `新局 ${tag}`, `New bureau ${tag}`],
  ]) {
    await page.locator("#f-code").fill(code);
    await page.locator("#f-name_zh").fill(zh);
    await page.locator("#f-name_en").fill(en);
    await page.getByRole("button", { name: "保存" }).click();
    await expect(page.locator("li.admin-row", { hasText: code })).toBeVisible();
  }
  const retireForm = page.locator("section[aria-labelledby=dept-retire]");
  await retireForm.locator("#f-retire").selectOption({ label: `旧局 ${tag}` });
  await retireForm.locator("#f-successor").selectOption({ label: `新局 ${tag}` });
  await retireForm.locator("#f-note").fill("机构改革：两局合并");
  // Not confirmed: refused at the checkbox, and what was chosen and typed stays.
  await retireForm.getByRole("button", { name: "撤销并移交" }).click();
  await expect(retireForm.locator("#f-confirm-error")).toBeVisible();
  await expect(retireForm.locator("#f-note")).toHaveValue("机构改革：两局合并");
  await expect(retireForm.locator("#f-retire option:checked")).toHaveText(`旧局 ${tag}`);
  await expectAccessible(page);
  await retireForm.locator("#f-confirm").check();
  await retireForm.getByRole("button", { name: "撤销并移交" }).click();
  await expect(page.getByRole("status").filter({ hasText: "部门已撤销" })).toBeVisible();
  const row = page.locator("li.admin-row", { hasText: `old-${tag}` });
  await expect(row).toContainText(`工作由此部门接手：新局 ${tag}`);
  // No longer offered as a choice: not to retire again, nor to take over.
  await expect(retireForm.locator("#f-retire option", { hasText: `旧局 ${tag}` })).toHaveCount(0);
  await expect(retireForm.locator("#f-successor option", { hasText: `新局 ${tag}` })).toHaveCount(1);
  // The form is empty again: nothing chosen, not confirmed.
  await expect(retireForm.locator("#f-confirm")).not.toBeChecked();
  await expect(retireForm.locator("#f-note")).toHaveValue("");
  // The retired bureau's public page keeps its history and points to the one working now.
  await openPlain(page, `/departments/old-${tag}`);
  const note = page.getByRole("note");
  await expect(note).toContainText("已撤销");
  await note.getByRole("link", { name: `新局 ${tag}` }).click();
  await expect(page).toHaveURL(new RegExp(`/departments/new-${tag}$`));
  await expect(page.locator("h1")).toHaveText(`新局 ${tag}`);
});
