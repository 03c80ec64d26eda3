/** `npm run server` keeps its secrets off stdout: a generated admin token goes to a private file. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../tests/support/server-harness';

describe('npm run server', () => {
  it('writes a generated admin token to a file only its user can read, and prints neither it nor PINs', async () => {
    const dataDir = tempDir('backstop-cli-');
    const child = spawn(
      path.resolve('node_modules/.bin/tsx'),
      ['server/cli.ts', '--port=0', `--data-dir=${dataDir}`, '--flights=1', '--log-level=warn'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, BACKSTOP_ADMIN_TOKEN: '' },
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start line: ${out}`)), 60_000);
        child.stdout.on('data', () => {
          if (out.includes('listening on')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const file = path.join(dataDir, 'admin-token');
      const token = fs.readFileSync(file, 'utf8').trim();
      expect(token.length).toBeGreaterThanOrEqual(32);
      expect(fs.statSync(file).mode & 0o077).toBe(0);
      expect(out).not.toContain(token);
      expect(out).toContain(file);
      expect(out).not.toMatch(/AG1001\/\d{4}|backstop-demo/);
    } finally {
      child.kill('SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
