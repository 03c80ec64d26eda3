/** Enrolment by main, against a real backend: the code never reaches the page, and works once. */
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_TOKEN, request, startTestServer, type TestServer } from '../tests/support/server-harness';
import { createEnroller, ENROLMENT_CODE_FILE } from './enrolment';

vi.mock('electron', () => ({}));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.cleanup());

async function code(): Promise<string> {
  const res = await request(
    `${server.url}/v1/admin/enrolment-codes`,
    'POST',
    { station: 'LHR' },
    { authorization: `Bearer ${ADMIN_TOKEN}` },
  );
  return (JSON.parse(res.text) as { code: string }).code;
}

describe('enrolment by main', () => {
  it('uses a code IT left in userData once, then deletes it', async () => {
    const userData = mkdtempSync(path.join(os.tmpdir(), 'backstop-enrol-'));
    writeFileSync(path.join(userData, ENROLMENT_CODE_FILE), `${await code()}\n`);
    const enrol = createEnroller({ backendUrl: server.url, enrolmentKey: null, enrolmentCode: null, userData, log: () => {} });
    const first = await enrol({ name: 'GATE-B12', station: 'LHR' });
    expect(first.ok).toBe(true);
    expect(existsSync(path.join(userData, ENROLMENT_CODE_FILE))).toBe(false);
    expect(await enrol({ name: 'GATE-B12', station: 'LHR' })).toMatchObject({ ok: false, code: 'NO_ENROLMENT_CODE' });
  });

  it('says so when a code is refused, and does not try it again', async () => {
    const enrol = createEnroller({
      backendUrl: server.url,
      enrolmentKey: null,
      enrolmentCode: 'ENR-NOPE-NOPE-NOPE-NOPE-NOPE',
      userData: null,
      log: () => {},
    });
    expect(await enrol({ name: 'X', station: 'LHR' })).toMatchObject({ ok: false, code: 'ENROLMENT_REFUSED' });
    expect(await enrol({ name: 'X', station: 'LHR' })).toMatchObject({ ok: false, code: 'NO_ENROLMENT_CODE' });
  });

  it('refuses a plain-HTTP backend on another machine before sending anything', async () => {
    const fetchSpy = vi.fn();
    const enrol = createEnroller({
      backendUrl: 'http://10.9.8.7:8787',
      enrolmentKey: null,
      enrolmentCode: 'x'.repeat(20),
      userData: null,
      log: () => {},
      fetch: fetchSpy,
    });
    expect(await enrol({ name: 'X', station: 'LHR' })).toMatchObject({ ok: false, code: 'BACKEND_ERROR' });
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
