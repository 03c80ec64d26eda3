/**
 * Bundles the station relay that runs inside the Electron app (relay/utility-entry.ts) into one
 * CommonJS file, out/relay/index.cjs, beside what electron-vite builds: the backend's code, Fastify and
 * zod included, no node_modules needed at run time, no native module (it runs on node:sqlite).
 * CommonJS because Electron's utility process loads it as a plain script. `npm run build` runs it;
 * main/relay-host.test.ts builds it the same way into a temp dir.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const RELAY_BUNDLE = path.join(root, 'out/relay/index.cjs');

export async function buildRelayBundle(outfile = RELAY_BUNDLE): Promise<{ outfile: string; bytes: number }> {
  const result = await build({
    entryPoints: [path.join(root, 'relay/utility-entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // Electron 45's Node; node:sqlite's API as of Node 22.16.
    target: 'node22',
    sourcemap: false,
    legalComments: 'eof',
    // Never loaded in the app: the relay there runs on node:sqlite (better-sqlite3 is required only by its
    // own driver, at run time), and pg's optional native binding is never asked for.
    external: ['better-sqlite3', 'pg-native'],
    // The better-sqlite3 driver resolves modules from import.meta.url, which CommonJS spells differently.
    define: { 'import.meta.url': '__relayModuleUrl' },
    banner: { js: 'const __relayModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: 'warning',
    metafile: true,
  });
  return { outfile, bytes: Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outfile, bytes } = await buildRelayBundle();
  console.log(`relay bundle: ${path.relative(root, outfile)} (${Math.round(bytes / 1024)} KiB)`);
}
