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

// ---- gcc's flavour (`--compiler gcc`) against gcc 12 and Debian's cross compilers (results/gcc_cross_records.json)

interface GccMeasured { size?: number; align?: number; off?: { [m: string]: number }; masks?: { [m: string]: number[] }; error?: string }

const GCC_CONFIGS: Array<[string, { target: string; msBitfields?: boolean }]> = [
  ['gcc x86_64 (object method)', { target: 'x86_64-linux-gnu' }],
  ['gcc -m32 (object method)', { target: 'i386-linux-gnu' }],
  ['gcc aarch64-linux-gnu', { target: 'aarch64-linux-gnu' }],
  ['gcc arm-linux-gnueabihf', { target: 'armv7-linux-gnueabihf' }],
  ['gcc arm-none-eabi', { target: 'arm-none-eabi' }],
  ['gcc riscv64-linux-gnu', { target: 'riscv64-linux-gnu' }],
  ['gcc x86_64-w64-mingw32 -mno-ms-bitfields', { target: 'x86_64-w64-mingw32', msBitfields: false }],
  ['gcc powerpc-linux-gnu', { target: 'powerpc-linux-gnu' }],
  ['gcc powerpc64-linux-gnu', { target: 'powerpc64-linux-gnu' }],
  ['gcc s390x-linux-gnu', { target: 's390x-linux-gnu' }],
  ['gcc mips-linux-gnu', { target: 'mips-linux-gnu' }],
  ['gcc m68k-linux-gnu', { target: 'm68k-linux-gnu' }],
  ['gcc avr', { target: 'avr' }],
];

/** The first set bit of a measured mask, numbered as the target numbers bits (REFERENCE.md §7). */
function firstBit(mask: readonly number[], big: boolean): number | null {
  const bits = mask.flatMap((b, i) => [0, 1, 2, 3, 4, 5, 6, 7].filter((k) => (b >> k) & 1).map((k) => i * 8 + (big ? 7 - k : k)));
  return bits.length ? Math.min(...bits) : null;
}

describe.skipIf(!HAVE || !existsSync(path.join(ABI, 'results/gcc_cross_records.json')))('measured reference cases, gcc flavour', () => {
  const { cases } = HAVE ? load() : { cases: [] };
  const gcc = JSON.parse(readFileSync(path.join(ABI, 'results/gcc_cross_records.json'), 'utf8')) as Record<string, Record<string, GccMeasured>>;
  for (const [label, opts] of GCC_CONFIGS) {
    it(`every case on ${label}`, () => {
      const failures: string[] = [];
      let checked = 0;
      for (const c of cases) {
        const m = gcc[label]?.[c.name];
        if (!m || m.error) continue;
        const a = analyzeHeader(tempFile(`${c.name}.h`, c.code + '\n'), { ...opts, compiler: 'gcc' });
        const errors = a.diagnostics.filter((d) => d.severity === 'error');
        if (errors.length) { failures.push(`${c.name}: ${errors.map((e) => e.message).join('; ')}`); continue; }
        const rec = a.resolved!.records.find((r) => r && r.tag === 'T')!;
        const l = a.layout!.recordLayout(rec.id);
        // a C access path (`n.c`, `a[2].d`, promoted anonymous members) to its bit offset
        const L = a.layout!;
        const find = (id: number, name: string): { bit: number; type: import('../../generator/resolve/types.js').CType } | null => {
          const r = a.resolved!.records[id]!;
          const rl = L.recordLayout(id);
          for (let i = 0; i < r.fields.length; i++) {
            const f = r.fields[i]!;
            if (f.name === name) return { bit: rl.fields[i]!.bitOffset, type: f.type };
            const d = L.desugar(f.type);
            if (f.name === null && f.bitWidth === null && d.k === 'record') {
              const inner = find(d.id, name);
              if (inner) return { bit: rl.fields[i]!.bitOffset + inner.bit, type: inner.type };
            }
          }
          return null;
        };
        const byName = (p: string): number | null => {
          let bit = 0;
          let t: import('../../generator/resolve/types.js').CType = { k: 'record', id: rec.id };
          for (const part of p.match(/[^.[\]]+/g) ?? []) {
            const d = L.desugar(t);
            if (/^\d+$/.test(part) && d.k === 'array') { bit += Number(part) * L.sizeAlign(d.of).size * 8; t = d.of; continue; }
            if (d.k !== 'record') return null;
            const hit = find(d.id, part);
            if (!hit) return null;
            bit += hit.bit;
            t = hit.type;
          }
          return bit;
        };
        const got: { [k: string]: unknown } = { size: l.size, align: l.align };
        const want: { [k: string]: unknown } = { size: m.size, align: m.align };
        for (const [n, off] of Object.entries(m.off ?? {})) { got[`off.${n}`] = (byName(n) ?? NaN) / 8; want[`off.${n}`] = off; }
        for (const [n, mask] of Object.entries(m.masks ?? {})) { got[`bit.${n}`] = byName(n); want[`bit.${n}`] = firstBit(mask, a.target.endian === 'big'); }
        checked++;
        if (JSON.stringify(got) !== JSON.stringify(want)) failures.push(`${c.name}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}\n    ${c.code.replace(/\n/g, '\n    ')}`);
      }
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThan(100);
    });
  }

  it("refuses what it does not model: gcc's -mms-bitfields (mingw's default) and MSVC targets", () => {
    for (const target of ['x86_64-w64-mingw32', 'x86_64-pc-windows-msvc']) {
      const a = analyzeHeader(tempFile('x.h', 'struct T { int a : 3; };\n'), { target, compiler: 'gcc' });
      expect(a.diagnostics.map((d) => d.severity)).toEqual(['error']);
    }
  });
});
