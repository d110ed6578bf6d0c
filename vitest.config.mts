import * as os from 'node:os';
import { defineConfig } from 'vitest/config';

/** Test files that replace a module with vi.mock: they need a module cache of their own. */
const MOCKING = ['test/unit/lsp/session.test.ts', 'test/unit/report/streamed-output.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30000,
    // Most test files spend their time waiting for the CLI or the server they spawned: with vitest's
    // default (cores - 1, so one file at a time on a 2-core machine) one core sat idle. Two files at a
    // time keep both cores busy there; more cores get one file each.
    maxWorkers: Math.max(2, os.availableParallelism()),
    projects: [
      // The other files share a worker's module cache (isolate: false): loading the analysis core, the
      // knowledge base and the grammar once per worker instead of once per file saved ~25 s of ~210 s
      // on 2 cores. None of them mocks a module; the one that changes PATH puts it back.
      {
        extends: true,
        test: { name: 'shared', include: ['test/unit/**/*.test.ts', 'test/lsp/**/*.test.ts'], exclude: MOCKING, isolate: false },
      },
      { extends: true, test: { name: 'isolated', include: MOCKING } },
    ],
  },
});
