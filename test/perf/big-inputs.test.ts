// What keeps big inputs (issue 23 item 9: 100,000 records, 2.5 million #defines) linear in time and bounded in
// memory, asserted on what is kept, never on time: a module is rendered a record at a time (no record's view model
// outlives its text) and gives the same text as rendered whole; the input hash is taken over the fingerprint's
// literal piece by piece and equals the hash of the literal made whole; the preprocessor's source map (typed arrays)
// answers as the map of one array per row did, rows without tokens included; a project keeps only the facts of the
// analyses it made.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Hash64, hash64 } from '../../generator/core/hash.js';
import { emitModules, renderModule } from '../../generator/emit/emit.js';
import { templates } from '../../generator/emit/templates.js';
import { stringLiteral } from '../../generator/emit/text.js';
import { memoryViewRecords, type RecordVM } from '../../generator/emit/view-model.js';
import { fingerprintText } from '../../generator/plan/plan.js';
import { Project } from '../../generator/project/project.js';
import { nodeEnv } from '../../generator/node/env.js';
import { writeFilesAtomically } from '../../generator/node/write-files.js';
import { MAP_STRIDE, SourceMapBuilder, lookup, physicalFile, type SourceMapData } from '../../generator/preprocess/source-map.js';
import type { SourcePos } from '../../generator/diagnostics.js';
import { rng } from '../differential/gen.js';

const ROOT = path.resolve(__dirname, '../..');

/** A header of `n` records of the kinds bench/big-inputs.mjs generates (nested records, bit-fields, unions, arrays,
 * typedefs), in memory. */
function recordsHeader(n: number): string {
  let s = '#include <stdint.h>\n';
  for (let i = 0; i < n; i++) {
    switch (i % 4) {
      case 0: s += `struct r${i} { uint8_t tag; uint32_t len; int16_t v[${1 + (i % 7)}]; uint64_t when; };\n`; break;
      case 1: s += `/** record ${i} */\nstruct r${i} { struct r${i - 1} head; unsigned flags : 3, kind : 5; char name[${8 + (i % 9)}]; };\n`; break;
      case 2: s += `union r${i} { uint32_t word; uint8_t bytes[4]; struct { uint16_t lo, hi; } half; };\n`; break;
      default: s += `typedef struct r${i} { double x, y; union r${i - 1} u; _Bool ok; } r${i}_t;\n#define K${i} (${i} << 1)\n`;
    }
  }
  return s;
}

function planOf(headers: string[], files?: Map<string, string>) {
  const host = files ? { readFile: (f: string) => files.get(f) ?? nodeEnv.host.readFile(f) } : undefined;
  const p = new Project({ headers, targets: ['x86_64-linux-gnu'], workers: 0, ...(host ? { host } : {}) }, nodeEnv);
  const plan = p.plan('x86_64-linux-gnu');
  expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { p, plan: plan! };
}

describe('a module rendered a record at a time', () => {
  const big = '/virtual/big.h';
  const { p, plan } = planOf([big], new Map([[big, recordsHeader(2000)]]));

  it.each(['ts', 'js+dts'] as const)('gives the text of the module rendered whole (%s), and no record view model is kept', (emit) => {
    const streamed = emitModules(plan, { version: '0.0.0-test', emit });
    const whole = emitModules(plan, { version: '0.0.0-test', emit, streamed: false });
    expect(streamed.map((f) => f.path)).toEqual(whole.map((f) => f.path));
    for (let i = 0; i < whole.length; i++) expect(streamed[i]!.contents === whole[i]!.contents, whole[i]!.path).toBe(true);
    expect(whole.find((f) => f.path === 'big.ts' || f.path === 'big.js')!.contents).toMatch(/export const r1999\b/);

    // the records' view models: each is rendered as it is made, and what the module's view model keeps of it is
    // its name alone
    const m = plan.modules.find((x) => x.name === 'big')!;
    const t = templates();
    const made: RecordVM[] = [];
    const ctx = { fileOf: (x: string) => x, le: true, memory: memoryViewRecords(plan) };
    const out = renderModule(m, ctx, true, [{ render: t.module, ts: emit === 'ts', context: (vm) => {
      made.push(...vm.records);
      return { ...vm, version: 'v', source: 's', target: 't', hash: 'h', summary: 'x', runtime: './rt.js', usesRuntime: true };
    } }]);
    expect(out.streamed).toBe(true);
    expect(made.length).toBe(m.records.length);
    expect(made.every((r) => Object.keys(r).join() === 'name')).toBe(true);
  }, 120_000);

  it('the project keeps the facts of its analyses, not their preprocessed text, syntax or resolved program', () => {
    const a = p.analyses('x86_64-linux-gnu')[0]!;
    expect(a.facts?.records.length).toBeGreaterThan(2000);
    expect([a.pp, a.program, a.resolved]).toEqual([null, null, null]);
    expect(a.includedFiles).toContain(big);
  });

  it('the example headers: the same text rendered a record at a time and whole', () => {
    const headers = ['capture.h', 'elf_like.h', 'netproto.h', 'telemetry.h', 'usb_desc.h', 'wave.h'].map((h) => path.join(ROOT, 'headers', h));
    const { plan: ex } = planOf(headers);
    for (const emit of ['ts', 'js+dts'] as const) {
      expect(emitModules(ex, { version: 'v', emit })).toEqual(emitModules(ex, { version: 'v', emit, streamed: false }));
    }
  }, 60_000);
});

describe('string literals without escapes (the fast path)', () => {
  it('are what the escaping path writes, for random texts of every printable ASCII character and some others', () => {
    const next = rng(5);
    const chars = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), '\n', '\u0000', '\u2028', '\u202e', 'é', '\ud800'];
    for (let n = 0; n < 3000; n++) {
      let t = '';
      const len = Math.floor(next() * 12);
      for (let i = 0; i < len; i++) t += chars[Math.floor(next() * (n % 2 ? 95 : chars.length))];
      const slow = JSON.stringify(t).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
        .replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u202a-\u202e\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      expect(stringLiteral(t), JSON.stringify(t)).toBe(slow);
    }
  });
});

describe('big files written a slice at a time', () => {
  it('are the text given, surrogate pairs across slice ends included', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-slices-'));
    try {
      // pairs straddling every slice end (1 MiB) in one file, a lone surrogate in another
      const slice = 1 << 20;
      let text = '';
      for (let k = 1; k <= 3; k++) text += 'a'.repeat(k * slice - 1 - text.length) + '\ud83d\ude00é';
      const lone = `${'b'.repeat(slice - 1)}\ud800${'c'.repeat(10)}`;
      writeFilesAtomically(dir, [{ path: 'big.ts', contents: text }, { path: 'lone.ts', contents: lone }]);
      expect(readFileSync(path.join(dir, 'big.ts'), 'utf8') === text).toBe(true);
      expect(readFileSync(path.join(dir, 'big.ts')).equals(Buffer.from(text, 'utf8'))).toBe(true);
      expect(readFileSync(path.join(dir, 'lone.ts')).equals(Buffer.from(lone, 'utf8'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the input hash of a big fingerprint', () => {
  it('made a record at a time equals the hash of the fingerprint made whole, which is JSON of the facts', () => {
    const big = '/virtual/fp.h';
    const { plan } = planOf([big], new Map([[big, recordsHeader(300)]]));
    const m = plan.modules.find((x) => x.name === 'fp')!;
    const text = fingerprintText(m);
    // what the fingerprint was before it was made in pieces: the facts, without keys, file names as displayed
    const whole = JSON.stringify([m.records.map((r) => r.facts), m.enums.map((e) => e.facts), m.constants.map((c) => c.facts)], (k, v: unknown) => (k === 'key' ? undefined : v));
    expect(text).toBe(whole);
    expect(m.records.length).toBeGreaterThan(300);
    const h = new Hash64().update('["v",');
    h.update('"');
    m.hashFingerprint(h);
    expect(h.update('"]').digest()).toBe(hash64(JSON.stringify(['v', whole])));
  });

  it('hashed piece by piece equals the hash of its JSON literal made whole', () => {
    const next = rng(23);
    const alphabet = ['a', 'Z', '"', '\\', '\n', '\u0001', '\u007f', '\u00e9', '\u2028', '\ud83d\ude00', '\ud800', '\udc00', '{"k":1}'];
    for (let n = 0; n < 60; n++) {
      // lengths about the size of a piece (64 K) and past it, so that pieces end beside surrogates
      const want = n < 20 ? Math.floor(next() * 300) : (1 << 16) - 3 + Math.floor(next() * (n < 40 ? 8 : 200_000));
      let s = '';
      while (s.length < want) s += alphabet[Math.floor(next() * alphabet.length)];
      const whole = hash64(JSON.stringify(['v', 'x86_64', s]));
      const pieces = new Hash64().update('["v","x86_64",').updateJsonString(s).update(']').digest();
      expect(pieces).toBe(whole);
    }
  });
});

describe('the source map in typed arrays', () => {
  /** The map of one array per row as the preprocessor kept it before (the reference). */
  function reference(rows: number[][], files: string[], row: number, col: number): { pos: SourcePos | null; file: string | null } {
    let found: [number, number] | null = null;
    for (let r = Math.min(row, rows.length - 1); r >= 0 && !found; r--) {
      const e = rows[r]!;
      const n = e.length / MAP_STRIDE;
      if (n === 0) continue;
      if (r < row) { found = [r, (n - 1) * MAP_STRIDE]; break; }
      let lo = 0;
      let hi = n;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (e[mid * MAP_STRIDE]! <= col) lo = mid + 1; else hi = mid; }
      if (lo > 0) found = [r, (lo - 1) * MAP_STRIDE];
    }
    if (!found) return { pos: null, file: null };
    const [r, best] = found;
    const e = rows[r]!;
    let delta = r === row ? col - e[best]! : 0;
    const next = best + MAP_STRIDE < e.length ? best + MAP_STRIDE : -1;
    if (next >= 0) delta = Math.min(delta, e[next]! - e[best]! - 1);
    const same = (k: number) => k >= 0 && k < e.length && e[k + 1] === e[best + 1] && e[k + 2] === e[best + 2] && e[k + 3] === e[best + 3];
    if (same(next) || same(best - MAP_STRIDE)) delta = 0;
    return { pos: { file: files[e[best + 1]!] ?? '<unknown>', line: e[best + 2]!, col: e[best + 3]! + Math.max(0, delta) }, file: files[e[best + 4]!] ?? null };
  }

  it('answers every lookup as the map of one array per row did (random maps, many rows without tokens)', () => {
    const next = rng(9);
    const files = ['a.h', 'b.h', 'c.h'];
    for (let m = 0; m < 40; m++) {
      const rows: number[][] = [];
      const b = new SourceMapBuilder();
      const nrows = Math.floor(next() * 60);
      for (let r = 0; r < nrows; r++) {
        const row: number[] = [];
        const toks = next() < 0.5 ? 0 : Math.floor(next() * 6);
        let col = 0;
        for (let k = 0; k < toks; k++) {
          col += Math.floor(next() * 4);
          // neighbours from one macro expansion share a position
          const same = k > 0 && next() < 0.3;
          const entry = same ? [col, row[row.length - 4]!, row[row.length - 3]!, row[row.length - 2]!, row[row.length - 1]!]
            : [col, Math.floor(next() * 3), 1 + Math.floor(next() * 100), 1 + Math.floor(next() * 40), Math.floor(next() * 3)];
          row.push(...entry);
          b.add(entry[0]!, entry[1]!, entry[2]!, entry[3]!, entry[4]!);
          col += 1 + Math.floor(next() * 5);
        }
        rows.push(row);
        b.endRow();
      }
      // rows dropped as a failed constant probe drops them
      if (nrows > 4 && next() < 0.5) {
        const keep = nrows - 2;
        rows.length = keep;
        b.truncate(keep);
      }
      const map: SourceMapData = b.finish(files);
      expect(map.starts.length).toBe(rows.length + 1);
      for (let q = 0; q < 200; q++) {
        const row = Math.floor(next() * (rows.length + 3));
        const col = Math.floor(next() * 40);
        const want = reference(rows, files, row, col);
        expect(lookup(map, row, col)).toEqual(want.pos);
        expect(physicalFile(map, row, col)).toBe(want.file);
      }
    }
  });

  it('holds a row without tokens in one number, not an array: a million of them', () => {
    const b = new SourceMapBuilder();
    b.add(0, 0, 1, 1, 0);
    b.endRow();
    for (let r = 0; r < 1_000_000; r++) b.endRow();
    b.add(4, 0, 7, 9, 0);
    b.endRow();
    const map = b.finish(['x.h']);
    expect(map.entries.length).toBe(2 * MAP_STRIDE);
    expect(map.starts.length).toBe(1_000_003);
    expect(lookup(map, 500_000, 3)).toEqual({ file: 'x.h', line: 1, col: 1 });
    expect(lookup(map, 1_000_001, 6)).toEqual({ file: 'x.h', line: 7, col: 11 });
  });
});
