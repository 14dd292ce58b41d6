// Seeded random records laid out by structgen and by clang-16, compared field by field (every bit offset,
// unnamed bit-fields and anonymous members included). A failing record is printed with its C source.

import { describe, expect, it } from 'vitest';
import { findTarget, TARGETS } from '../../generator/target/index.js';
import { checkAgainstClang, HAVE_CLANG, tempFile } from '../helpers/compiler.js';
import { generateRecords } from './gen.js';

const SEED = Number(process.env.STRUCTGEN_SEED ?? 20261121);
/** Records per run: the two hosts' targets get more, every other target at least 300. */
const PRIMARY = new Set(['x86_64-linux-gnu', 'i386-linux-gnu']);
const countFor = (triple: string) => Number(process.env.STRUCTGEN_RECORDS ?? (PRIMARY.has(triple) ? 1200 : 400));

describe.skipIf(!HAVE_CLANG)('random records against clang-16', () => {
  for (const triple of TARGETS.map((t) => t.triple)) {
    const COUNT = countFor(triple);
    it(`${COUNT} records on ${triple} (seed ${SEED})`, () => {
      const target = findTarget(triple)!;
      const g = generateRecords(SEED, COUNT, target);
      const file = tempFile('random.h', g.source);
      const { analysis, comparison, clangOk, clangStderr } = checkAgainstClang(file, triple, {}, g.records.map((r) => r.name));
      expect(clangOk, `clang rejected the generated source:\n${clangStderr.slice(0, 3000)}`).toBe(true);
      expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const report = comparison.mismatches.map((m) => {
        const src = g.records.find((r) => r.name === m.record)?.source ?? '(nested record; see the file)';
        return `${m.record}: ${m.what}\n  ${src}`;
      });
      expect(report, `prelude:\n${g.prelude}`).toEqual([]);
      expect(comparison.missing).toEqual([]);
      // nested and anonymous records are compared too, so there are more comparisons than generated records
      expect(comparison.compared).toBeGreaterThanOrEqual(COUNT);
    });
  }
});
