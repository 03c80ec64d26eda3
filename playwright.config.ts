import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './tests/support/chromium';

// One output folder per run: Playwright empties its output folder when a run starts, so two runs on
// one machine (two engineers, or CI beside a bench) would delete each other's traces mid-test. The
// runner loads this file first and its workers inherit the folder through the environment.
process.env.BACKSTOP_PW_RUN ??= `run-${process.pid}`;
const run = process.env.BACKSTOP_PW_RUN;

export default defineConfig({
  testDir: 'e2e',
  outputDir: `test-results/${run}`,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: `playwright-report/${run}` }]],
  use: {
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'chromium', testIgnore: /electron\.spec\.ts/ },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
});
