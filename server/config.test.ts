import { describe, expect, it } from 'vitest';
import { parseCli, toServerOptions } from './config';

describe('npm run server settings', () => {
  it('listens on 127.0.0.1:8787 with 40 demo flights at LHR by default', () => {
    const cli = parseCli([], {});
    expect(cli.ok && cli.settings).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      'data-dir': '.data/server',
      station: 'LHR',
      flights: 40,
      reset: false,
      'dcs-sim': false,
    });
  });

  it('reads environment variables, and flags win over them', () => {
    const env = {
      BACKSTOP_PORT: '9000',
      BACKSTOP_FLIGHTS: '1000',
      BACKSTOP_PAX_PER_FLIGHT: '300',
      BACKSTOP_DCS_SIM: '1',
      BACKSTOP_DATA_DIR: '/tmp/x',
    };
    const cli = parseCli(['--port', '9100', '--reset', '--station', 'MAN'], env);
    expect(cli.ok && cli.settings).toMatchObject({
      port: 9100,
      flights: 1000,
      'pax-per-flight': 300,
      'dcs-sim': true,
      reset: true,
      station: 'MAN',
      'data-dir': '/tmp/x',
    });
  });

  it('explains a bad value by flag and variable', () => {
    const cli = parseCli(['--port', 'eighty'], {});
    expect(cli.ok).toBe(false);
    if (!cli.ok) expect(cli.message).toContain('--port (BACKSTOP_PORT)');
    expect(parseCli(['--flights', '-3'], {}).ok).toBe(false);
    expect(parseCli(['--what'], {}).ok).toBe(false);
  });

  it('reads the metrics token, the staleness threshold of the fleet view and the proxy to trust', () => {
    const cli = parseCli(['--metrics-token', 'prometheus-scrape-token', '--stale-after', '45'], { BACKSTOP_TRUST_PROXY: 'loopback' });
    if (!cli.ok) throw new Error(cli.message);
    expect(toServerOptions(cli.settings, 'a-long-token', undefined)).toMatchObject({
      metricsToken: 'prometheus-scrape-token',
      staleAfterMinutes: 45,
      processMetrics: true,
      trustProxy: 'loopback',
    });
    const plain = parseCli(['--trust-proxy', 'true'], {});
    expect(plain.ok && toServerOptions(plain.settings, 'a-long-token', undefined)).toMatchObject({
      trustProxy: true,
      metricsToken: null,
      staleAfterMinutes: 30,
    });
    expect(parseCli(['--metrics-token', 'short'], {}).ok).toBe(false);
    expect(parseCli(['--stale-after', '0'], {}).ok).toBe(false);
  });

  it('turns settings into server options', () => {
    const cli = parseCli(['--seed', 'demo-7', '--admin-token', 'a-long-token-0123456789abcdefghij'], {});
    if (!cli.ok) throw new Error(cli.message);
    expect(toServerOptions(cli.settings, 'a-long-token', undefined)).toMatchObject({
      seed: 'demo-7',
      adminToken: 'a-long-token',
      paxPerFlight: null,
      dataDir: '.data/server',
    });
  });

  it('runs the clock from a pinned instant when asked, and refuses one that is not an instant', () => {
    const cli = parseCli(['--now', '2027-12-31T23:40:00Z'], {});
    if (!cli.ok) throw new Error(cli.message);
    const clock = toServerOptions(cli.settings, 'a-long-token', undefined).now;
    expect(clock?.().toISOString().slice(0, 16)).toBe('2027-12-31T23:40');
    const plain = parseCli([], {});
    if (!plain.ok) throw new Error(plain.message);
    expect(toServerOptions(plain.settings, 'a-long-token', undefined).now).toBeUndefined();
    expect(parseCli(['--now', 'tomorrow'], {}).ok).toBe(false);
  });

  it('serves from PostgreSQL when given a database URL (flag or BACKSTOP_DATABASE_URL), and refuses another kind of URL', () => {
    const url = 'postgres://backstop:secret@db.example.net:5432/backstop';
    const fromEnv = parseCli([], { BACKSTOP_DATABASE_URL: url, BACKSTOP_DATABASE_POOL: '20' });
    if (!fromEnv.ok) throw new Error(fromEnv.message);
    expect(toServerOptions(fromEnv.settings, 'a-long-token', undefined)).toMatchObject({ databaseUrl: url, databasePoolSize: 20 });
    const sqlite = parseCli([], {});
    if (!sqlite.ok) throw new Error(sqlite.message);
    expect(toServerOptions(sqlite.settings, 'a-long-token', undefined).databaseUrl).toBeUndefined();
    const bad = parseCli(['--database', 'mysql://db/backstop'], {});
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toContain('--database (BACKSTOP_DATABASE_URL)');
  });
});
