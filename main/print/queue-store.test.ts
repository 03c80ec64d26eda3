import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PrintJobRecord } from './job-record';
import { fixtureClock } from '../../tests/support/fixtures';
import { PrintQueueStore } from './queue-store';

vi.mock('electron', () => ({}));

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'backstop-queue-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

const job: PrintJobRecord = {
  id: '5c1f0e3a-0000-4000-8000-000000000001',
  kind: 'boarding-pass',
  title: 'Boarding pass SMITH/ANNA MS BQ123 26NOV',
  pageSize: { paper: 'roll-80', widthMm: 80, heightMm: 180 },
  target: { kind: 'cups', queue: 'PDF' },
  copies: 1,
  context: { flightId: 'F1', passengerId: 'P1', staffId: 'AG1001' },
  createdAt: '2026-11-26T13:10:00.000Z',
  status: 'queued',
  attempts: 1,
  nextAttemptAt: '2026-11-26T13:10:05.000Z',
  lastError: { code: 'PRINTER_OFFLINE', message: 'The printer is offline.' },
  finishedAt: null,
  archiveRef: '/u/prints/2026-11-26/x-boarding-pass.pdf',
  reprintOf: null,
  pdfFile: '2026-11-26/x-boarding-pass.pdf',
  htmlFile: '2026-11-26/x-boarding-pass.html',
  cupsRequestId: null,
  expiresAt: '2026-11-26T15:10:00.000Z',
};

describe('print queue file', () => {
  it('starts empty when there is no file yet', async () => {
    await expect(new PrintQueueStore(path.join(dir, 'q.json'), () => {}, fixtureClock).load()).resolves.toEqual([]);
  });

  it('keeps jobs across a restart', async () => {
    const file = path.join(dir, 'q.json');
    await new PrintQueueStore(file, () => {}, fixtureClock).save([job]);
    await expect(new PrintQueueStore(file, () => {}, fixtureClock).load()).resolves.toEqual([job]);
    expect(await readdir(dir)).toEqual(['q.json']);
  });

  it.each([
    ['truncated JSON', '{"version":1,"jobs":[{"id":'],
    ['an empty file', ''],
    ['a different version', JSON.stringify({ version: 2, jobs: [] })],
    ['a job that breaks the schema', JSON.stringify({ version: 1, jobs: [{ ...job, status: 'exploded' }] })],
    ['a job with a bad printer name', JSON.stringify({ version: 1, jobs: [{ ...job, target: { kind: 'cups', queue: '-o evil' } }] })],
  ])('sets aside %s, says so, and starts with an empty queue', async (_what, content) => {
    const file = path.join(dir, 'q.json');
    await writeFile(file, content);
    const log = vi.fn();
    const store = new PrintQueueStore(file, log, () => new Date('2026-11-26T13:00:00.000Z'));
    await expect(store.load()).resolves.toEqual([]);
    expect(await readdir(dir)).toEqual(['q.json.corrupt-2026-11-26T13-00-00-000Z']);
    expect(await readFile(path.join(dir, 'q.json.corrupt-2026-11-26T13-00-00-000Z'), 'utf8')).toBe(content);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/set aside/));
    await store.save([job]);
    await expect(store.load()).resolves.toEqual([job]);
  });

  it('writes in order: the last list saved is the one on disk', async () => {
    const file = path.join(dir, 'q.json');
    const store = new PrintQueueStore(file, () => {}, fixtureClock);
    await Promise.all([store.save([job]), store.save([]), store.save([{ ...job, status: 'printed' }])]);
    await expect(store.load()).resolves.toEqual([{ ...job, status: 'printed' }]);
  });
});
