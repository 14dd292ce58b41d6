// The seeded lane of `npm run fuzz:runtime` (issue 23, "How it is shown"): a few thousand calls with hostile
// arguments against every entry point of modules generated for our fixture, the example headers, two UAPI headers
// and random records on three targets. Wrong error types, bytes written outside the checked range and round trips
// that change what a member holds must all be 0. A failure prints each kind with a reproducer for
// `npm run fuzz:runtime -- --seed S --module I --only K`.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, schedule, uapiHeaders, UAPI_DIR } from './runtime-corpus.js';
import { CATEGORIES, formatTally, newTally, runFuzz } from './runtime-harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SEED = Number(process.env.STRUCTGEN_FUZZRT_SEED ?? 20260123);
const CASES = Number(process.env.STRUCTGEN_FUZZRT_CASES ?? 250);
if (!uapiHeaders().length) console.warn(`SKIP: ${UAPI_DIR} not present: the lane fuzzes no UAPI header`);

// fixture, 6 example headers, then random records and UAPI headers in turn (2 of each)
const MODULES = schedule(ROOT, SEED, 11);
const tally = newTally();

afterAll(() => cleanup());

describe('fuzz:runtime lane', () => {
  // one test per module: a long synchronous run keeps vitest's worker from answering its runner
  MODULES.forEach((spec, i) => {
    it(`module ${i} (${spec.kind === 'file' ? path.basename(spec.header) : spec.kind}): ${CASES} cases of hostile calls`, async () => {
      await runFuzz({ seed: SEED, modules: MODULES, casesPerModule: CASES, onlyModule: i }, tally);
    }, 120_000);
  });

  it('no wrong error type, no byte written outside the checked range, no round trip that loses bits', () => {
    const report = formatTally(tally, { seed: SEED, rerun: 'npm run fuzz:runtime -- ', perKind: 1 });
    console.log(report.split('\n').slice(0, 6).join('\n'));
    expect(tally.calls).toBeGreaterThan(2000);
    // every property was actually tried (a change of the modules' shape must not quietly turn a check off)
    for (const [what, n] of Object.entries(tally.checked)) expect(n, what).toBeGreaterThan(0);
    expect(Object.fromEntries(CATEGORIES.map((c) => [c, tally.counts[c]])), report).toEqual({ wrongError: 0, outOfRange: 0, roundTrip: 0, harness: 0 });
  });
});
