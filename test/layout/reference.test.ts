// The targeted layout cases (reference-cases.ts): each C snippet laid out by structgen must give the sizes,
// alignments and bit offsets the compilers were measured to give (reference-measured.json, written by
// `npm run measure:reference`): clang 16 on 25 configurations, gcc 12 and Debian's cross compilers on 13.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeHeader } from '../../generator/pipeline.js';
import type { CType } from '../../generator/resolve/types.js';
import { tempFile } from '../helpers/compiler.js';
import type { MeasuredFile } from './measure-reference.js';
import { REFERENCE_CASES } from './reference-cases.js';
import { sizerOf } from '../helpers/sizer.js';

const measured = JSON.parse(readFileSync(path.join(__dirname, 'reference-measured.json'), 'utf8')) as MeasuredFile;
for (const m of measured.missing) console.warn(`SKIP: ${m.label}: its compiler was not installed when the cases were measured (apt-get install ${m.package}, then npm run measure:reference)`);

const optionsOf = (label: string) => {
  const c = measured.configs.find((x) => x.label === label)!;
  return { target: c.target, ...(c.msBitfields === undefined ? {} : { msBitfields: c.msBitfields }) };
};

/** The case's own record `S`, laid out by structgen. */
function layOut(code: string, name: string, opts: { target: string; msBitfields?: boolean; compiler?: 'gcc' }) {
  const a = analyzeHeader(tempFile(`${name}.h`, code + '\n'), opts);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) return { errors: errors.map((e) => e.message), a, rec: null };
  return { errors: [], a, rec: a.resolved!.records.find((r) => r && r.tag === 'S') ?? null };
}

describe('measured reference cases', () => {
  it('the measurements are of the cases as they are now (else: npm run measure:reference)', () => {
    expect(measured.cases).toEqual(REFERENCE_CASES);
    expect(REFERENCE_CASES.length).toBeGreaterThan(140);
  });
});

describe('measured reference cases, clang 16', () => {
  for (const [label, results] of Object.entries(measured.clang)) {
    it(`every case on ${label}`, () => {
      const failures: string[] = [];
      let checked = 0;
      for (const c of measured.cases) {
        const m = results[c.name];
        if (!m) continue;
        const { errors, a, rec } = layOut(c.code, c.name, optionsOf(label));
        if ('error' in m) {
          if (!errors.length) failures.push(`${c.name}: clang errors (${m.error}) but structgen accepted it`);
          continue;
        }
        if (errors.length || !rec) { failures.push(`${c.name}: ${errors.join('; ') || 'no record S'}`); continue; }
        const l = sizerOf(a).recordLayout(rec.id);
        const got = { size: l.size, align: l.align, bitOffsets: l.fields.map((f) => f.bitOffset) };
        checked++;
        if (JSON.stringify(got) !== JSON.stringify(m)) failures.push(`${c.name}: got ${JSON.stringify(got)} want ${JSON.stringify(m)}\n    ${c.code.replace(/\n/g, '\n    ')}`);
      }
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThan(120);
    });
  }
});

/** The first set bit of a measured mask (hex bytes), numbered as the target numbers bits: on a big-endian target
 * bit 0 is the most significant bit of byte 0. */
function firstBit(hex: string, bigEndian: boolean): number | null {
  const bytes = hex.match(/../g)?.map((b) => parseInt(b, 16)) ?? [];
  const bits = bytes.flatMap((b, i) => [0, 1, 2, 3, 4, 5, 6, 7].filter((k) => (b >> k) & 1).map((k) => i * 8 + (bigEndian ? 7 - k : k)));
  return bits.length ? Math.min(...bits) : null;
}

describe('measured reference cases, gcc flavour (--compiler gcc)', () => {
  for (const [label, results] of Object.entries(measured.gcc)) {
    const cfg = measured.configs.find((x) => x.label === label)!;
    it(`every case on ${label}`, () => {
      const failures: string[] = [];
      let checked = 0;
      for (const c of measured.cases) {
        const m = results[c.name];
        if (!m || 'error' in m) continue;
        const { errors, a, rec } = layOut(c.code, c.name, { ...optionsOf(label), compiler: 'gcc' });
        if (errors.length || !rec) { failures.push(`${c.name}: ${errors.join('; ') || 'no record S'}`); continue; }
        const L = sizerOf(a);
        // a C access path (`in.c`, `arr[3].c`, promoted anonymous members) to its bit offset
        const find = (id: number, name: string): { bit: number; type: CType } | null => {
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
        const bitOf = (p: string): number | null => {
          let bit = 0;
          let t: CType = { k: 'record', id: rec.id };
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
        const l = L.recordLayout(rec.id);
        const got: { [k: string]: unknown } = { size: l.size, align: l.align };
        const want: { [k: string]: unknown } = { size: m.size, align: m.align };
        for (const [n, off] of Object.entries(m.offsets)) { got[`offsetof ${n}`] = (bitOf(n) ?? NaN) / 8; want[`offsetof ${n}`] = off; }
        for (const [n, mask] of Object.entries(m.masks)) { got[`first bit of ${n}`] = bitOf(n); want[`first bit of ${n}`] = firstBit(mask, cfg.bigEndian === true); }
        checked++;
        if (JSON.stringify(got) !== JSON.stringify(want)) failures.push(`${c.name}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}\n    ${c.code.replace(/\n/g, '\n    ')}`);
      }
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThan(120);
    });
  }

  it("refuses what it does not model: gcc's -mms-bitfields (mingw's default) and MSVC targets", () => {
    for (const target of ['x86_64-w64-mingw32', 'x86_64-pc-windows-msvc']) {
      const a = analyzeHeader(tempFile('x.h', 'struct S { int a : 3; };\n'), { target, compiler: 'gcc' });
      expect(a.diagnostics.map((d) => d.severity)).toEqual(['error']);
    }
  });
});
