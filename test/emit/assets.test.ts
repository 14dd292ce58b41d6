// The precompiled templates and the embedded runtime source (generator/emit/assets.generated.ts) must match
// templates/ and generator/runtime/: emitting never reads or compiles templates at run time, so a stale file would
// silently emit old code.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

it('generator/emit/assets.generated.ts is fresh (templates/compile.mjs --check)', () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'templates/compile.mjs'), '--check'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});
