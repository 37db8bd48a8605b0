import { defineConfig, devices } from "@playwright/test";

// Runs against the release build (`make test-e2e` builds it), with fresh SQLite databases
// and the demo data, in Debian's Chromium. Never downloads a browser. Two servers run (see
// start-server.sh): B, the back office, at baseURL; A, resident-facing and chained to B,
// at A_URL.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
export const A_URL = `http://127.0.0.1:${port + 1}`;

const chromium = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-sandbox",
    "--disable-gpu",
  ],
};

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: "list",
  use: { baseURL, launchOptions: chromium, trace: "off" },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], locale: "zh-CN", launchOptions: chromium } },
    {
      name: "phone",
      use: { locale: "zh-CN", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, launchOptions: chromium },
    },
  ],
  webServer: {
    command: "bash ./start-server.sh",
    // A starts after B and its key; A ready means both are.
    url: `${A_URL}/readyz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
