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
