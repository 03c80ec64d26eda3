import { expect, test } from '@playwright/test';
import { startBrowserHostServer } from '../scripts/serve-browser';
import { watchConsole } from '../tests/support/e2e-stack';

test.describe('Backstop in the browser host', () => {
  let ui: Awaited<ReturnType<typeof startBrowserHostServer>>;

  test.beforeAll(async () => {
    // No backend on purpose: the first view must come up from the local database alone.
    ui = await startBrowserHostServer({
      port: 0,
      backendUrl: 'http://127.0.0.1:9',
      station: 'LHR',
      workstation: 'E2E-1',
      enrolmentKey: 'x',
    });
  });
  test.afterAll(async () => ui.close());

  test('boots to sign-in with a strict CSP, says it has no data and no backend, and logs no errors', async ({ page }) => {
    const problems = watchConsole(page);
    const response = await page.goto(ui.url);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByTestId('data-age')).toHaveText('Never synced');
    await expect(page.getByText('No staff sign-in data on this workstation yet.')).toBeVisible();
    // Two failed health probes make it offline, and the outage banner says so in words.
    await expect(page.getByTestId('connectivity')).toContainText('OFFLINE', { timeout: 30_000 });
    await expect(page.getByTestId('outage-banner')).toContainText('The backend cannot be reached.');
    await page.screenshot({ path: 'test-results/screens/first-view.png', fullPage: true });
    expect(problems).toEqual([]);
  });
});
