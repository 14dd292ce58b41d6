// `npm test` runs every test file; `npm run test:unit` (vitest.unit.config.ts) the fast ones. The global setup names
// a folder for the run where the packed tarball and installed projects shared by several test files are kept.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/packaging/run-dir.ts'],
  },
});
