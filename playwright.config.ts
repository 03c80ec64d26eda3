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
  // Two workers: most of a spec's time is waiting (on the app's own timers, a backend, Chromium), so
  // on a 2-core machine two specs at once take about 60% of the time one at a time does. Each spec
  // starts its own stack on free ports and temp dirs, so they cannot see each other. Specs that time
  // keystrokes (scanner.spec.ts) take Playwright's exclusive lock and run with nothing beside them.
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: `playwright-report/${run}` }]],
  use: {
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // Printing first, as a project of its own: its tests turn tracing off, which needs a worker of its
    // own, and Playwright queues such tests after all the others of their project, where the spec
    // would run alone at the end while the other worker sits idle.
    { name: 'printing', testMatch: /printing\.spec\.ts/ },
    { name: 'chromium', testIgnore: /(electron|printing)\.spec\.ts/ },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
});
