import { test, expect } from "@playwright/test";
import { open, openPlain, expectAccessible, logIn, ADMIN } from "./helpers";

const publicPages = ["/", "/login", "/signup", "/reset", "/reset/some-token", "/activate/some-token", "/no-such-page"];
// Served as plain HTML without the wasm bundle.
const plainPages = ["/ask", "/ask/new", "/departments", "/departments/cgj", "/live", "/services", "/services/stall-permit", "/results", "/results?period=all&department=cgj", "/results/ratings", "/results/rectifications?by=done", "/open-data"];

for (const path of publicPages) {
  test(`accessible: ${path}`, async ({ page }) => {
    await open(page, path);
    await expectAccessible(page);
  });
}

for (const path of plainPages) {
  test(`accessible: ${path}`, async ({ page }) => {
    await openPlain(page, path);
    await expect(page.locator("h1")).toBeVisible();
    await expectAccessible(page);
  });
}

test("accessible: signed-in and admin pages, in both languages", async ({ page }) => {
  await logIn(page, ADMIN.email, ADMIN.password);
  for (const path of ["/me", "/admin/users", "/admin/outbox"]) {
    await open(page, path);
    await expect(page.locator("h1")).toBeVisible();
    await expectAccessible(page);
  }
  // The services catalogue as an admin: rectifications with their forms, the catalogue form.
  await openPlain(page, "/services");
  await expect(page.locator("#rectifications")).toBeVisible();
  await expectAccessible(page);
  await open(page, "/me");
  await page.getByRole("button", { name: "切换语言" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expectAccessible(page);
});

test("the layout fits a phone without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ["/", "/signup", "/login"]) {
    await open(page, path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }
});
