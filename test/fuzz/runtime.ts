// `npm run fuzz:runtime [-- --cases N --seed S --per-module P --module I --only K --show N]`: seeded random calls
// with hostile arguments against every entry point of generated decoder modules (runtime-harness.ts says what is
// checked). Prints the calls made and the failures per category, each kind with reproducers; exit 1 on any failure.
// `--module I --only K` replays module I up to case K and reports that case alone (the runtime's state carried
// from earlier cases of the module is replayed too).

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, schedule } from './runtime-corpus.js';
import { failures, formatTally, runFuzz } from './runtime-harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(v) || v < 0) {
    process.stderr.write(`fuzz:runtime: --${name} needs a whole number, got ${process.argv[i + 1] ?? 'nothing'}\n`);
    process.exit(2);
  }
  return v;
}

const seed = arg('seed') ?? 1;
const cases = arg('cases') ?? 20_000;
const perModule = arg('per-module') ?? 250;
const onlyModule = arg('module');
const only = arg('only');
const show = arg('show') ?? 2;
const modules = schedule(ROOT, seed, onlyModule !== undefined ? onlyModule + 1 : Math.max(1, Math.ceil(cases / perModule)));
const t0 = performance.now();
const tally = await runFuzz({
  seed, modules, casesPerModule: perModule,
  ...(onlyModule !== undefined ? { onlyModule } : {}), ...(only !== undefined ? { only } : {}),
  progress: (l) => process.stderr.write(`${l}\n`),
});
cleanup();
process.stdout.write(`${formatTally(tally, { seed, rerun: 'npm run fuzz:runtime -- ', perKind: show })}\n`);
process.stdout.write(`(${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
process.exitCode = failures(tally) ? 1 : 0;
