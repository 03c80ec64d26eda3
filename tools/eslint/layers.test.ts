import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
// The project's own config; type information is switched off because these files exist only in memory.
const eslint = new ESLint({ cwd: root, overrideConfig: [tseslint.configs.disableTypeChecked] });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  const messages = result?.messages ?? [];
  const fatal = messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`lint could not parse ${file}: ${fatal[0]!.message}`);
  return messages.filter((m) => m.ruleId === 'backstop/layers').map((m) => m.message);
}

describe('lint enforces the layer rules of docs/architecture.md', () => {
  it.each([
    ['shared/domain/x.ts', "import { app } from 'electron';\nexport const a = app;", /Electron|package "electron"/],
    ['shared/domain/x.ts', "import fs from 'node:fs';\nexport const a = fs;", /Node built-ins/],
    ['shared/domain/x.ts', "import { useState } from 'react';\nexport const a = useState;", /package "react"/],
    [
      'shared/domain/x.ts',
      "import { openDatabase } from '../../renderer/db/schema';\nexport const a = openDatabase;",
      /shared\/ must not import from renderer\//,
    ],
    [
      'renderer/features/x.ts',
      "import { readConfig } from '../../main/config';\nexport const a = readConfig;",
      /renderer\/ must not import from main\//,
    ],
    ['renderer/features/x.ts', "export { x } from '../../server/app';", /renderer\/ must not import from server\//],
    ['renderer/features/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;", /Electron/],
    ['main/x.ts', "export const load = () => import('../renderer/App');", /main\/ must not import from renderer\//],
    ['server/x.ts', "import { app } from 'electron';\nexport const a = app;", /server\/ must not import Electron/],
    ['server/x.ts', "import { readConfig } from '../main/config';\nexport const a = readConfig;", /server\/ must not import from main\//],
    ['renderer/features/x.ts', "import left from 'left-pad';\nexport const a = left;", /no layer may use yet/],
    ['main/x.ts', "import { describe } from 'vitest';\nexport const a = describe;", /test package "vitest" outside tests/],
    ['server/x.ts', "import { useState } from 'react';\nexport const a = useState;", /belongs to renderer/],
    [
      'main/print/x.ts',
      "import { pdfText } from '../../tests/support/print/pdf-tools';\nexport const a = pdfText;",
      /must not import test support/,
    ],
    ['shared/documents/x.ts', "import { flight } from '../testing/fixtures';\nexport const a = flight;", /must not import test support/],
    [
      'renderer/sync/x.ts',
      "import { memoryDatabase } from '../db/testing';\nexport const a = memoryDatabase;",
      /must not import test support/,
    ],
  ])('refuses a forbidden import in %s', async (file, code, message) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['shared/domain/x.ts', "import { z } from 'zod';\nexport const a = z;"],
    ['renderer/features/x.ts', "import { canBoard } from '../../shared/domain/rules';\nexport const a = canBoard;"],
    ['main/x.ts', "import { app } from 'electron';\nimport path from 'node:path';\nexport const a = [app, path];"],
    [
      'server/x.ts',
      "import Database from 'better-sqlite3';\nimport { Flight } from '../shared/domain/schemas';\nexport const a = [Database, Flight];",
    ],
    ['main/print/x.test.ts', "import { pdfText } from '../../tests/support/print/pdf-tools';\nexport const a = pdfText;"],
    [
      'renderer/sync/x.test.ts',
      "import { memoryDatabase } from '../db/testing';\nimport { IDBFactory } from 'fake-indexeddb';\nexport const a = [memoryDatabase, IDBFactory];",
    ],
  ])('allows what the layer may use in %s', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});

describe('the package list is a closed world', () => {
  it('assigns every dependency in package.json to layers, to tests, or to the tool chain', async () => {
    const { PACKAGE_LAYERS, TEST_PACKAGES, TOOLING_PACKAGES } = await import('./layers.mjs');
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: object; devDependencies?: object };
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) => !d.startsWith('@types/'));
    const unassigned = deps.filter((d) => !(d in PACKAGE_LAYERS) && !TEST_PACKAGES.has(d) && !TOOLING_PACKAGES.has(d));
    expect(unassigned).toEqual([]);
  });
});
