import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import backstop from './tools/eslint/layers.mjs';

const root = import.meta.dirname;

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/results/**', 'test-results/**', 'playwright-report/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: [
          './tsconfig.shared.json',
          './tsconfig.main.json',
          './tsconfig.renderer.json',
          './tsconfig.server.json',
          './tsconfig.relay.json',
          './tsconfig.tools.json',
        ],
        tsconfigRootDir: root,
      },
    },
    plugins: { backstop },
    rules: {
      'backstop/layers': ['error', { root }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'off',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Time and randomness are inputs (see shared/clock.ts): product code reads them from what it is
    // given, so the same code runs in the app, in a test at a pinned date and in a simulation.
    files: ['{shared,renderer,main,server,relay}/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}', '**/testing/**', '**/testing.ts', 'shared/clock.ts', 'renderer/sync/worker.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Take "now" from an injected Clock (shared/clock.ts), not the machine.',
        },
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: 'Take "now" from an injected Clock (shared/clock.ts), not the machine.',
        },
        {
          selector: "MemberExpression[object.name='Math'][property.name='random']",
          message: 'Take randomness as an input (seeded in simulations), not from Math.random.',
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['scripts/**', 'bench/**', 'sim/**', 'e2e/**', 'server/cli.ts', 'relay/cli.ts', 'tools/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
);
