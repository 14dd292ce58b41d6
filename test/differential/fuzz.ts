// `npm run fuzz -- --records N --targets a,b --seed S`: long differential runs of the random record generator
// against clang-16 on any targets (default: all). Prints per-target counts; exits 1 on any mismatch.

import { TARGETS } from '../../generator/target/index.js';
import { checkAgainstClang, tempFile } from '../helpers/compiler.js';
import { generateRecords } from './gen.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const records = Number(arg('records') ?? 2000);
const seed0 = Number(arg('seed') ?? Date.now() % 1_000_000);
const batches = Number(arg('batches') ?? 1);
const targets = (arg('targets')?.split(',') ?? TARGETS.map((t) => t.triple)).map((s) => s.trim()).filter(Boolean);
let total = 0;
let compared = 0;
let failures = 0;
for (const triple of targets) {
  const target = TARGETS.find((t) => t.triple === triple || t.aliases.includes(triple));
  if (!target) { console.error(`unknown target ${triple}`); process.exit(2); }
  for (let b = 0; b < batches; b++) {
    const seed = seed0 + b;
    const g = generateRecords(seed, records, target);
    const c = checkAgainstClang(tempFile('fuzz.h', g.source), target.triple, {}, g.records.map((r) => r.name));
    total += records;
    compared += c.comparison.compared;
    const errs = c.analysis.diagnostics.filter((d) => d.severity === 'error');
    const bad = !c.clangOk || errs.length > 0 || c.comparison.mismatches.length > 0;
    if (bad) failures++;
    console.log(`${target.triple.padEnd(28)} seed ${seed}: ${records} records, ${c.comparison.compared} compared, ` +
      `${c.comparison.mismatches.length} mismatches${c.clangOk ? '' : ', clang rejected the source'}${errs.length ? `, ${errs.length} structgen errors` : ''}`);
    for (const m of c.comparison.mismatches.slice(0, 5)) {
      console.log(`  ${m.record}: ${m.what}\n    ${g.records.find((r) => r.name === m.record)?.source ?? ''}`);
    }
  }
}
console.log(`\ntotal: ${total} generated records, ${compared} record layouts compared, ${failures} failing batches`);
process.exitCode = failures ? 1 : 0;
