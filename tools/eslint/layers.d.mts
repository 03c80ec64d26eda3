/** Types of what tools/eslint/layers.mjs exports (the rule itself is plain JavaScript for ESLint). */
import type { ESLint } from 'eslint';

export const PACKAGE_LAYERS: Record<string, string[]>;
export const TEST_PACKAGES: Set<string>;
export const TOOLING_PACKAGES: Set<string>;
declare const plugin: ESLint.Plugin;
export default plugin;
