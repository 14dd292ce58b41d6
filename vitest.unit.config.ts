// `npm run test:unit`: the fast lane, under a minute on the 2-core test machine when it is otherwise idle (about 65
// CPU-seconds): the unit tests of each stage and of the project layer, none of which installs packages, drives a
// browser, builds a bundle or runs the built command (it needs no build either). Files are listed, not globbed, so
// that the lane stays fast as tests are added: a new test file joins it here when it costs a few seconds. The files
// share each worker's loaded modules (`isolate: false`: a quarter of the time goes to loading them otherwise), so a
// file here must not depend on a fresh module state (the browser entry's init test does; it is not here). `npm test`
// runs every file, each isolated.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export const UNIT = [
  'test/architecture.test.ts',
  'test/preprocess/preprocess.test.ts', 'test/preprocess/predefined.test.ts', 'test/preprocess/host-cache.test.ts',
  'test/parse/parse.test.ts',
  'test/resolve/resolve.test.ts',
  'test/layout/stage.test.ts', 'test/layout/options.test.ts', 'test/layout/docs.test.ts',
  'test/plan/*.test.ts',
  'test/emit/api.test.ts', 'test/emit/assets.test.ts', 'test/emit/counted-by.test.ts', 'test/emit/elf.test.ts', 'test/emit/formats-c.test.ts',
  'test/render/pure.test.ts', 'test/render/rfc.test.ts', 'test/render/golden.test.ts',
  'test/plugin/core.test.ts',
  'test/cli/write.test.ts', 'test/cli/shared.test.ts', 'test/cli/project.test.ts',
  'test/playground/share.test.ts',
];

// the full run's settings with the lane's files (mergeConfig would append them to the full run's pattern)
export default defineConfig({ ...base, test: { ...base.test, include: UNIT, isolate: false } });
