// `--compiler gcc` against gcc itself: seeded random records laid out with gcc's flavour and proven by
// `structgen verify` with the system gcc — on x86_64 a probe program prints every size, alignment, offset and
// bit-field position gcc computed; for i386, `gcc -m32` compiles the static asserts (sizes, alignments,
// offsets). The same records in clang's flavour must disagree with gcc somewhere, or the test proves nothing.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { findTarget } from '../../generator/target/index.js';
import { verifyHeaders } from '../../generator/pipeline.js';
import { tempFile } from '../helpers/compiler.js';
import { generateRecords } from './gen.js';

const SEED = Number(process.env.STRUCTGEN_SEED ?? 20261121);
const COUNT = Number(process.env.STRUCTGEN_RECORDS ?? 600);
const HAVE_GCC = spawnSync('gcc', ['--version']).status === 0 && process.platform === 'linux' && process.arch === 'x64';
if (!HAVE_GCC) console.warn('SKIP: no gcc on an x86_64 Linux host: the gcc-flavour differential tests are skipped');

describe.skipIf(!HAVE_GCC)('random records against gcc (--compiler gcc)', () => {
  for (const [triple, cc] of [['x86_64-linux-gnu', 'gcc'], ['i386-linux-gnu', 'gcc -m32']] as const) {
    it(`${COUNT} records on ${triple}, checked by ${cc} (seed ${SEED})`, () => {
      const g = generateRecords(SEED, COUNT, findTarget(triple)!, { compiler: 'gcc' });
      // two records where gcc and clang are known to differ (REFERENCE.md §4.1 A'1, A'3), so that the clang
      // flavour below must fail
      const file = tempFile('random.h', `${g.source}
struct GccAlignedCross { char a:2; int b:20 __attribute__((aligned(2))); };
typedef int int_lowered __attribute__((aligned(2)));
struct GccModePromotion { int_lowered f:32; char c; };
`);
      const withGcc = verifyHeaders([file], { target: triple, compiler: 'gcc' }, { cc });
      const errors = withGcc.diagnostics.filter((d) => d.severity === 'error').map((d) => {
        const src = g.records.find((r) => d.message.includes(`struct ${r.name}`) || d.message.includes(`union ${r.name}`))?.source ?? '';
        return `${formatDiagnostic(d)}\n  ${src}`;
      });
      expect(errors, `prelude:\n${g.prelude}`).toEqual([]);
      expect(withGcc.records).toBeGreaterThanOrEqual(COUNT);
      // clang's flavour of the same records: gcc disagrees at least on the two added above
      const withClang = verifyHeaders([file], { target: triple }, { cc });
      expect(withClang.diagnostics.filter((d) => d.severity === 'error').length).toBeGreaterThan(0);
    });
  }
});
