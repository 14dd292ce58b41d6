// vitest's global setup: one folder for the test run, named to every test file through STRUCTGEN_TEST_RUN_DIR, where
// test/packaging/install.ts keeps the packed tarball and the installed projects that several test files share;
// removed when the run ends.

import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-run-'));
  process.env.STRUCTGEN_TEST_RUN_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
