// `npm run fuzz:headers [-- --cases N --seed S --timeout MS --heap MIB]`: mutants of real headers through the
// built CLI (`layout --json` and `generate -o`). Every run must exit 0 with JSON, or 1 with a file:line:col
// error and nothing on stdout; never 70, within the time and memory limits. Prints cases, crashes and hangs.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCli, readSeed, seedHeaders } from './check.js';
import { mutate, rng } from './mutate.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../..');
const CLI = path.join(ROOT, 'dist/generator/cli/main.js');

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const cases = arg('cases', 300);
const seed = arg('seed', 1);
const timeout = arg('timeout', 30_000);
const heap = arg('heap', 2048);
const seeds = seedHeaders(ROOT);
const r = rng(seed);
const counts = { cases: 0, crashes: 0, hangs: 0, format: 0 };
for (let i = 0; i < cases; i++) {
  const file = seeds[Math.floor(r() * seeds.length)]!;
  const m = mutate(readSeed(file), r);
  const v = checkCli(CLI, file, m.text, timeout, heap);
  counts.cases++;
  if (!v.ok) {
    if (v.kind === 'crash') counts.crashes++; else if (v.kind === 'hang') counts.hangs++; else counts.format++;
    process.stdout.write(`FAIL ${v.kind} seed ${seed} case ${i} (${path.basename(file)}; ${m.applied.join(', ')}): ${v.detail}\n`);
  }
}
process.stdout.write(`fuzz:headers seed ${seed}: ${counts.cases} cases, ${counts.crashes} crashes, ${counts.hangs} hangs, ${counts.format} badly reported\n`);
process.exitCode = counts.crashes + counts.hangs + counts.format ? 1 : 0;
