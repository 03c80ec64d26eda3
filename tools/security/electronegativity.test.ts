/**
 * The static Electron security check over the built app (npm run build first, as npm test does):
 * Electronegativity, offline (its one online check, of Electron release notes, is left out). Every
 * finding must be explained in electronegativity-explained.ts; an unexplained one fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPLAINED } from './electronegativity-explained';

const root = path.resolve(import.meta.dirname, '../..');
const out = path.join(root, 'out');
const ELECTRON_VERSION = (JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string })
  .version;

interface Finding {
  check: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
}

/** The CSV electronegativity writes: quoted fields, first line a header. */
function parse(csv: string): Finding[] {
  return csv
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const fields = [...line.matchAll(/"((?:[^"]|"")*)"|([^,]+)|(?<=,)(?=,)/g)].map((m) => (m[1] ?? m[2] ?? '').replace(/""/g, '"'));
      const [check = '', severity = '', confidence = '', file = '', location = ''] = fields;
      return { check, severity, confidence, file, location };
    });
}

describe('Electronegativity over the built app', () => {
  it('finds nothing that is not explained, and no HIGH finding without a test behind it', () => {
    expect(existsSync(path.join(out, 'main/index.js')), 'run `npm run build` first').toBe(true);
    const report = path.join(mkdtempSync(path.join(os.tmpdir(), 'eneg-')), 'report.csv');
    const run = spawnSync(
      path.join(root, 'node_modules/.bin/electronegativity'),
      ['-i', out, '-e', ELECTRON_VERSION, '-r', '-x', 'AvailableSecurityFixesGlobalCheck', '-o', report, '-v', 'false'],
      { cwd: root, encoding: 'utf8', timeout: 180_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const findings = parse(readFileSync(report, 'utf8'));
    const unexplained = findings.filter((f) => !EXPLAINED.some((e) => e.check === f.check && f.file.endsWith(e.file)));
    expect(unexplained).toEqual([]);
    for (const e of EXPLAINED) expect(e.provenBy.length).toBeGreaterThan(10);
  }, 240_000);
});
