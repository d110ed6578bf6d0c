import * as os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/lsp/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30000,
    // Most test files spend their time waiting for the CLI or the server they spawned: with vitest's
    // default (cores - 1, so one file at a time on a 2-core machine) one core sat idle. Two files at a
    // time keep both cores busy there; more cores get one file each.
    maxWorkers: Math.max(2, os.availableParallelism()),
  },
});
