// `--packable` over every Linux UAPI header: records with holes, and the bytes saved by the baseline order
// (alignment, then size, descending) and by structgen's suggestion, both laid out by structgen. Not a timing
// benchmark: it measures how much the search gains over the baseline. `npm run bench:packable`.

import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { hasErrors } from '../generator/diagnostics.js';
import { analyzeHeader } from '../generator/pipeline.js';
import { LexCache } from '../generator/preprocess/preprocess.js';
import { layoutItems } from '../generator/cli/layout-views.js';
import { packingAdvice } from '../generator/cli/packable.js';

const DIR = process.argv[2] ?? '/usr/include/linux';
if (!existsSync(DIR)) { console.error(`${DIR} not found`); process.exit(2); }
const headers = readdirSync(DIR).filter((f) => f.endsWith('.h')).sort().map((f) => path.join(DIR, f));
const cache = new LexCache();
let withHoles = 0;
let refused = 0;
let suggested = 0;
let baseSaved = 0;
let mineSaved = 0;
let beats = 0;
let worse = 0;
let headersOk = 0;
let unlaid = 0;
const seen = new Set<string>();
const reasons = new Map<string, number>();
for (const h of headers) {
  const a = analyzeHeader(h, { cache });
  if (hasErrors(a.diagnostics) || !a.facts) continue;
  headersOk++;
  const items = layoutItems([a]).filter((i) => {
    const k = `${i.record.pos.file}:${i.record.pos.line}:${i.record.name}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  for (const adv of packingAdvice(items, {}, cache)) {
    withHoles++;
    const r = adv.record;
    if (adv.reason === 'no reordered declaration could be laid out') unlaid++;
    if (adv.baselineSize === null && !adv.suggestion) {
      refused++;
      const key = (adv.reason ?? '').replace(/\(.*?\)/g, '').replace(/'[^']*'/g, "'...'").split(':')[0]!;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
      continue;
    }
    const b = adv.baselineSize !== null ? Math.max(0, r.size - adv.baselineSize) : 0;
    const m = adv.suggestion ? r.size - adv.suggestion.size : 0;
    baseSaved += b;
    mineSaved += m;
    if (adv.suggestion) suggested++;
    if (m > b) beats++;
    if (m < b) worse++;
  }
}
console.log(`${DIR}: ${headersOk} headers, ${seen.size} records; ${withHoles} with holes (${refused} that reordering cannot help)`);
if (unlaid) console.log(`${unlaid} records whose reordered declarations did not lay out (not counted as refused)`);
console.log(`baseline (alignment, size descending): ${baseSaved} bytes saved`);
console.log(`structgen --packable: ${suggested} suggestions, ${mineSaved} bytes saved; better than the baseline on ${beats} records, worse on ${worse}`);
for (const [k, n] of [...reasons].sort((x, y) => y[1] - x[1])) console.log(`  not reordered, ${n}: ${k}`);
