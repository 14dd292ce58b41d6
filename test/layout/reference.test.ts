// The targeted cases of shared/abi (REFERENCE.md Appendix A): each C snippet laid out by structgen must give the
// sizes, alignments and field bit offsets clang 16 was measured to give on that configuration.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeHeader } from '../../generator/pipeline.js';
import { tempFile } from '../helpers/compiler.js';

const ABI = path.resolve(__dirname, '../../../shared/abi');
const HAVE = existsSync(path.join(ABI, 'tests.py')) && existsSync(path.join(ABI, 'results/records.json'));
if (!HAVE) console.warn(`SKIP: measured reference data not found at ${ABI} (the shared/ folder beside the project)`);

interface Case { name: string; code: string }
interface Measured { size?: number; align?: number; error?: string; ast?: { offsets: number[] } }

function load(): { cases: Case[]; records: Record<string, Record<string, Measured>> } {
  const py = spawnSync('python3', ['-c', 'import json,sys; sys.path.insert(0, sys.argv[1]); import tests; print(json.dumps(tests.TESTS))', ABI], { encoding: 'utf8' });
  if (py.status !== 0) throw new Error(`python3 could not read tests.py: ${py.stderr}`);
  return {
    cases: JSON.parse(py.stdout) as Case[],
    records: JSON.parse(readFileSync(path.join(ABI, 'results/records.json'), 'utf8')) as Record<string, Record<string, Measured>>,
  };
}

/** Every clang configuration of records.json (REFERENCE.md §1) -> structgen options. */
const CLANG_TRIPLES = ['x86_64-linux-gnu', 'i386-linux-gnu', 'aarch64-linux-gnu', 'armv7-linux-gnueabihf', 'arm-none-eabi',
  'riscv64-linux-gnu', 'riscv32-unknown-elf', 'wasm32-unknown-unknown', 'wasm32-unknown-emscripten', 'x86_64-pc-windows-msvc',
  'i686-pc-windows-msvc', 'x86_64-w64-mingw32', 'powerpc-linux-gnu', 'powerpc64-linux-gnu', 's390x-linux-gnu', 'mips-linux-gnu',
  'avr', 'm68k-linux-gnu', 'msp430'];
const CONFIGS: Array<[string, { target: string; msBitfields?: boolean }]> = [
  ...CLANG_TRIPLES.map((t): [string, { target: string }] => [t, { target: t }]),
  ['x86_64-w64-mingw32 -mno-ms-bitfields', { target: 'x86_64-w64-mingw32', msBitfields: false }],
  ['x86_64-linux-gnu -mms-bitfields', { target: 'x86_64-linux-gnu', msBitfields: true }],
  ['i386-linux-gnu -mms-bitfields', { target: 'i386-linux-gnu', msBitfields: true }],
];

describe.skipIf(!HAVE)('measured reference cases', () => {
  const { cases, records } = HAVE ? load() : { cases: [], records: {} };
  it('loads the measured cases', () => expect(cases.length).toBeGreaterThan(100));
  for (const [label, opts] of CONFIGS) {
    it(`every case on ${label}`, () => {
      const failures: string[] = [];
      let checked = 0;
      for (const c of cases) {
        const m = records[c.name]?.[label];
        if (!m) continue;
        const file = tempFile(`${c.name}.h`, c.code + '\n');
        const a = analyzeHeader(file, opts);
        const errors = a.diagnostics.filter((d) => d.severity === 'error');
        if (m.error) {
          if (!errors.length) failures.push(`${c.name}: clang errors (${m.error}) but structgen accepted it`);
          continue;
        }
        if (errors.length) { failures.push(`${c.name}: ${errors.map((e) => e.message).join('; ')}`); continue; }
        const rec = a.resolved!.records.find((r) => r && r.tag === 'T');
        if (!rec) { failures.push(`${c.name}: no record T`); continue; }
        const l = a.layout!.recordLayout(rec.id);
        const got = { size: l.size, align: l.align, offsets: l.fields.map((f) => f.bitOffset) };
        const want = { size: m.size, align: m.align, offsets: m.ast?.offsets };
        checked++;
        if (JSON.stringify(got) !== JSON.stringify(want)) failures.push(`${c.name}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}\n    ${c.code.replace(/\n/g, '\n    ')}`);
      }
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThan(100);
    });
  }
});
