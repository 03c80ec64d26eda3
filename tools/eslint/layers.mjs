/**
 * ESLint rule `backstop/layers`: the layer rules of docs/architecture.md, in the spirit of VS Code's
 * code-layering check and Signal Desktop's closed-world dependency lint. Each top-level folder is a
 * layer; an import (static, dynamic, re-export, type-only or require) is an error when it
 *   - crosses into a layer this one may not use,
 *   - names an npm package not assigned to this layer (an unlisted package is an error everywhere),
 *   - or, from product code, reaches test support.
 *
 *   shared/   pure TypeScript: other shared files and a few pure packages only
 *   renderer/ shared + browser packages; never main/, server/, Electron or Node built-ins
 *   main/     shared + Node + Electron; never renderer/ or server/
 *   server/   shared + Node + server packages; never main/, renderer/ or Electron
 *   relay/    the station relay: server + shared + Node; never main/, renderer/ or Electron
 */
import { builtinModules } from 'node:module';
import path from 'node:path';

const LAYERS = ['shared', 'main', 'renderer', 'server', 'relay'];
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** What each layer may import from the others. */
const ALLOWED_LAYERS = {
  shared: ['shared'],
  renderer: ['renderer', 'shared'],
  main: ['main', 'shared'],
  server: ['server', 'shared'],
  relay: ['relay', 'server', 'shared'],
};

/** Layers that run on Node and may use its built-in modules. */
const NODE_LAYERS = new Set(['main', 'server', 'relay']);

/**
 * Every npm package product code may import, and the layers that may import it. Closed world: a
 * package missing here is an error until someone decides where it belongs.
 */
export const PACKAGE_LAYERS = {
  zod: ['shared', 'renderer', 'main', 'server', 'relay'],
  bcbp: ['shared'],
  'bwip-js': ['shared'],
  /** ICAO 9303 machine-readable zones (passports, identity cards): pure parsing and check digits. */
  mrz: ['shared'],
  react: ['renderer'],
  'react-dom': ['renderer'],
  dexie: ['renderer'],
  'dexie-react-hooks': ['renderer'],
  zustand: ['renderer'],
  '@tanstack/react-virtual': ['renderer'],
  'workbox-window': ['renderer'],
  /** Synchronous AES-GCM and HMAC for the data at rest (renderer/db/at-rest.ts, audit.ts): no transaction may wait on WebCrypto. */
  '@noble/ciphers': ['renderer'],
  '@noble/hashes': ['renderer'],
  electron: ['main'],
  'electron-log': ['main'],
  'electron-updater': ['main'],
  fastify: ['server'],
  '@fastify/cors': ['server'],
  '@fastify/rate-limit': ['server'],
  '@fastify/compress': ['server'],
  'better-sqlite3': ['server', 'relay'],
  // Built into Node ≥ 22 and Electron, not into the Node 20 that lint runs on: the relay inside the app (server/db/driver.ts).
  'node:sqlite': ['server'],
  'prom-client': ['server'],
  pg: ['server'],
};

/** Packages only tests and test support may import (in any layer), besides Node built-ins. */
export const TEST_PACKAGES = new Set([
  'vitest',
  'fake-indexeddb',
  'playwright-core',
  '@playwright/test',
  'zxing-wasm',
  '@electron/asar',
  'eslint',
]);

/**
 * Build, lint, type and asset packages: used by the tool chain (configs, tools/, the build), never
 * imported by product code. With PACKAGE_LAYERS and TEST_PACKAGES this covers every dependency in
 * package.json (tools/eslint/layers.test.ts checks it).
 */
export const TOOLING_PACKAGES = new Set([
  '@eslint/js',
  'eslint-plugin-react-hooks',
  'typescript-eslint',
  'globals',
  'typescript',
  'prettier',
  'tsx',
  'esbuild',
  'vite',
  '@vitejs/plugin-react',
  'vite-plugin-pwa',
  'electron-vite',
  'electron-builder',
  '@fontsource/atkinson-hyperlegible-next',
  '@fontsource/atkinson-hyperlegible-mono',
  /** Static Electron security check, run by tools/security/electronegativity.test.ts on the build. */
  '@doyensec/electronegativity',
]);

/** Folders that hold test support, tooling and tests: product code never imports from them. */
const TEST_SUPPORT_FOLDERS = ['tests', 'e2e', 'bench', 'tools', 'scripts', 'sim'];

function packageName(spec) {
  if (spec.startsWith('node:')) return spec;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function topFolder(root, file) {
  const rel = path.relative(root, file);
  return rel.startsWith('..') ? null : rel.split(path.sep)[0];
}

function layerOf(root, file) {
  const top = topFolder(root, file);
  return LAYERS.includes(top) ? top : null;
}

/** Tests and test helpers (a `testing` folder or module) run in Node under vitest, whatever layer they sit next to. */
function isTestFile(file) {
  return /\.test\.tsx?$/.test(file) || /[\\/]testing([\\/]|\.tsx?$|$)/.test(file);
}

function isTestSupport(root, file) {
  return TEST_SUPPORT_FOLDERS.includes(topFolder(root, file)) || isTestFile(file);
}

function packageProblem(layer, pkg, inTest) {
  if (NODE_BUILTINS.has(pkg)) {
    if (inTest || NODE_LAYERS.has(layer)) return null;
    return 'Node built-ins';
  }
  const layers = PACKAGE_LAYERS[pkg];
  if (layers?.includes(layer)) return null;
  if (inTest && (layers || TEST_PACKAGES.has(pkg))) return null;
  if (pkg === 'electron' || pkg === 'electron-log') return 'Electron (use the Host interface)';
  if (layers) return `the package "${pkg}" (it belongs to ${layers.map((l) => `${l}/`).join(', ')})`;
  if (TEST_PACKAGES.has(pkg)) return `the test package "${pkg}" outside tests`;
  return `the package "${pkg}", which no layer may use yet (assign it in tools/eslint/layers.mjs)`;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer rules of docs/architecture.md between shared/, main/, renderer/ and server/' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      layer: '{{from}}/ must not import from {{to}}/ (layer rules, docs/architecture.md).',
      pkg: '{{from}}/ must not import {{what}} (layer rules, docs/architecture.md).',
      support: 'Product code must not import test support ({{what}}); only tests may.',
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    const from = layerOf(root, file);
    if (!from) return {};
    const inTest = isTestFile(file);

    function check(node, source) {
      if (!source || typeof source.value !== 'string') return;
      const spec = source.value;
      if (spec.startsWith('.') || path.isAbsolute(spec)) {
        const resolved = path.resolve(path.dirname(file), spec);
        if (!inTest && isTestSupport(root, resolved)) {
          context.report({ node: source, messageId: 'support', data: { what: path.relative(root, resolved) } });
          return;
        }
        const target = layerOf(root, resolved);
        if (target && !ALLOWED_LAYERS[from].includes(target)) {
          context.report({ node: source, messageId: 'layer', data: { from, to: target } });
        }
        return;
      }
      const what = packageProblem(from, packageName(spec), inTest);
      if (what) context.report({ node: source, messageId: 'pkg', data: { from, what } });
    }

    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportType: (node) => check(node, node.argument?.literal ?? node.argument),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0]);
        }
      },
    };
  },
};

export default { meta: { name: 'backstop' }, rules: { layers: rule } };
