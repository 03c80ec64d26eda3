import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,main,renderer,server,relay,tools,scripts,bench,tests,sim}/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core machine, idle while
    // a test waits on a server, a child process or a timer. Two keep both cores busy there.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
  },
});
