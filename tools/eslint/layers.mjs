/**
 * ESLint rule `backstop/layers`: the layer rules of DESIGN.md, in the spirit of VS Code's
 * code-layering check. Each top-level folder is a layer; an import (static, dynamic, re-export or
 * require) that crosses into a forbidden layer or pulls in a forbidden package is an error.
 *
 *   shared/   pure TypeScript: other shared files and a few pure packages only
 *   renderer/ shared + browser packages; never main/, server/, Electron or Node built-ins
 *   main/     shared + Node + Electron; never renderer/ or server/
 *   server/   shared + Node + server packages; never main/, renderer/ or Electron
 */
import { builtinModules } from 'node:module';
import path from 'node:path';

const LAYERS = ['shared', 'main', 'renderer', 'server'];
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** What each layer may import from the others. */
const ALLOWED_LAYERS = {
  shared: ['shared'],
  renderer: ['renderer', 'shared'],
  main: ['main', 'shared'],
  server: ['server', 'shared'],
};

/** shared/ is an allow-list: nothing that needs a DOM, Node or Electron. */
const SHARED_PACKAGES = new Set(['zod', 'bcbp', 'bwip-js']);
const ELECTRON = ['electron', 'electron-log'];
const SERVER_ONLY = ['fastify', '@fastify/cors', 'better-sqlite3'];
const BROWSER_ONLY = ['react', 'react-dom', 'dexie', 'dexie-react-hooks', 'zustand', '@tanstack/react-virtual'];

function packageName(spec) {
  if (spec.startsWith('node:')) return spec;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function layerOf(root, file) {
  const rel = path.relative(root, file);
  if (rel.startsWith('..')) return null;
  const top = rel.split(path.sep)[0];
  return LAYERS.includes(top) ? top : null;
}

/** Tests and test helpers run in Node under vitest, whatever layer they sit next to. */
function isTestFile(file) {
  return /\.test\.tsx?$/.test(file) || /[\\/]testing[\\/]|[\\/]testing\.ts$/.test(file);
}

function packageProblem(layer, pkg, inTest) {
  if (inTest && (pkg === 'vitest' || NODE_BUILTINS.has(pkg) || pkg === 'fake-indexeddb' || pkg === 'playwright-core')) return null;
  const isBuiltin = NODE_BUILTINS.has(pkg);
  switch (layer) {
    case 'shared':
      if (isBuiltin) return 'Node built-ins';
      return SHARED_PACKAGES.has(pkg) ? null : `the package "${pkg}" (shared/ allows only ${[...SHARED_PACKAGES].join(', ')})`;
    case 'renderer':
      if (isBuiltin) return 'Node built-ins';
      if (ELECTRON.includes(pkg)) return 'Electron (use the Host interface)';
      return SERVER_ONLY.includes(pkg) ? `the server package "${pkg}"` : null;
    case 'main':
      if (BROWSER_ONLY.includes(pkg)) return `the browser package "${pkg}"`;
      return SERVER_ONLY.includes(pkg) ? `the server package "${pkg}"` : null;
    case 'server':
      if (ELECTRON.includes(pkg)) return 'Electron';
      return BROWSER_ONLY.includes(pkg) ? `the browser package "${pkg}"` : null;
    default:
      return null;
  }
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer rules of DESIGN.md between shared/, main/, renderer/ and server/' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      layer: '{{from}}/ must not import from {{to}}/ (DESIGN.md layer rules).',
      pkg: '{{from}}/ must not import {{what}} (DESIGN.md layer rules).',
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    const from = layerOf(root, file);
    if (!from) return {};

    function check(node, source) {
      if (!source || typeof source.value !== 'string') return;
      const spec = source.value;
      if (spec.startsWith('.') || path.isAbsolute(spec)) {
        const target = layerOf(root, path.resolve(path.dirname(file), spec));
        if (target && !ALLOWED_LAYERS[from].includes(target)) {
          context.report({ node: source, messageId: 'layer', data: { from, to: target } });
        }
        return;
      }
      const what = packageProblem(from, packageName(spec), isTestFile(file));
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
