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
import { z } from 'zod';
import { EXPLAINED } from './electronegativity-explained';

const root = path.resolve(import.meta.dirname, '../..');
const out = path.join(root, 'out');
const ELECTRON_VERSION = (JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string })
  .version;

interface Finding {
  check: string;
  level: string;
  /** The built file, relative to out/; 'N/A' for a check of the whole app. */
  file: string;
}

/**
 * The report as SARIF (JSON), read with a schema: the CSV form quotes some fields and not others and
 * was misread now and then (a description split into a row of its own).
 */
const Sarif = z.object({
  runs: z
    .array(
      z.object({
        results: z.array(
          z.object({
            ruleId: z.string(),
            level: z.string(),
            locations: z.array(z.object({ physicalLocation: z.object({ artifactLocation: z.object({ uri: z.string() }) }) })).optional(),
          }),
        ),
      }),
    )
    .length(1),
});

function parse(sarif: string): Finding[] {
  return Sarif.parse(JSON.parse(sarif)).runs[0]!.results.map((r) => {
    const uri = r.locations?.[0]?.physicalLocation.artifactLocation.uri ?? '';
    return { check: r.ruleId, level: r.level, file: uri === '' || uri === 'file:///' ? 'N/A' : uri };
  });
}

describe('Electronegativity over the built app', () => {
  it('finds nothing that is not explained, and no HIGH finding without a test behind it', () => {
    expect(existsSync(path.join(out, 'main/index.js')), 'run `npm run build` first').toBe(true);
    const report = path.join(mkdtempSync(path.join(os.tmpdir(), 'eneg-')), 'report.sarif');
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
