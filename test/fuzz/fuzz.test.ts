// A seeded few hundred mutants of real headers, in process through the API: no internal error, every error
// placed at a file:line:col, each case within a generous budget. `npm run fuzz:headers` runs the CLI at length.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkInProcess, readSeed, seedHeaders } from './check.js';
import { mutate, rng } from './mutate.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CASES = Number(process.env.STRUCTGEN_FUZZ_CASES ?? 300);
const SEED = Number(process.env.STRUCTGEN_FUZZ_SEED ?? 20261130);

describe('mutated headers', () => {
  it(`${CASES} mutants (seed ${SEED}): a layout or placed errors, never an internal error`, () => {
    const seeds = seedHeaders(ROOT, 120);
    const r = rng(SEED);
    const failures: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const file = seeds[Math.floor(r() * seeds.length)]!;
      const m = mutate(readSeed(file), r, { light: true });
      const v = checkInProcess(file, m.text, 30_000);
      if (!v.ok) failures.push(`case ${i} ${v.kind} (${path.basename(file)}; ${m.applied.join(', ')}): ${v.detail}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
