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

/** Cases per test: a long synchronous test keeps vitest's worker from answering its runner in time. */
const CHUNK = 25;

describe('mutated headers', () => {
  const seeds = seedHeaders(ROOT, 120);
  const r = rng(SEED);
  for (let start = 0; start < CASES; start += CHUNK) {
    // mutants are drawn here, in order, so each chunk sees the same cases whichever chunks run
    const batch = Array.from({ length: Math.min(CHUNK, CASES - start) }, () => {
      const file = seeds[Math.floor(r() * seeds.length)]!;
      return { file, ...mutate(readSeed(file), r, { light: true }) };
    });
    it(`mutants ${start} to ${start + batch.length - 1} of ${CASES} (seed ${SEED}): a layout or placed errors, never an internal error`, () => {
      const failures: string[] = [];
      batch.forEach((m, k) => {
        const v = checkInProcess(m.file, m.text, 30_000);
        if (!v.ok) failures.push(`case ${start + k} ${v.kind} (${path.basename(m.file)}; ${m.applied.join(', ')}): ${v.detail}`);
      });
      expect(failures).toEqual([]);
    }, 300_000);
  }
});
