// Random records, randomly edited (a member inserted, removed, renamed, retyped, appended; lines moved), compared on
// four targets, and the report held to the layouts themselves (`layout --json`'s fields of both versions): a member
// whose offset differs has its move reported with both offsets, a record whose size differs its size change, a
// member only one version has its addition or removal (or the rename that pairs it), a member "filling padding"
// overlaps no old member's bits, nothing is reported for what did not change, and the exit decision is breaking
// whenever an existing member moved. Seeded: a failure names its seed and both headers.

import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../generator/core/host.js';
import { hasErrors } from '../../generator/diagnostics.js';
import { diffLayouts, failsAt } from '../../generator/diff/diff.js';
import { headerRecords, analyzeHeader } from '../../generator/pipeline.js';
import type { FieldReport, RecordReport } from '../../generator/layout/report.js';

const TARGETS = ['x86_64-linux-gnu', 'i386-linux-gnu', 'x86_64-pc-windows-msvc', 'powerpc-linux-gnu'];
const TYPES = ['uint8_t', 'uint16_t', 'uint32_t', 'uint64_t', 'int32_t', 'long', 'char[3]', 'uint16_t[2]', 'double', 'void *'];
const BITS = ['unsigned', 'uint8_t', 'uint16_t'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

interface Member { name: string; type: string; width?: number }

const decl = (m: Member) => {
  const arr = /^(.*)\[(\d+)\]$/.exec(m.type);
  if (m.width !== undefined) return `${m.type} ${m.name} : ${m.width};`;
  return arr ? `${arr[1]} ${m.name}[${arr[2]}];` : `${m.type} ${m.name};`;
};
const header = (ms: readonly Member[], lead = '') => `#include <stdint.h>\n${lead}struct r {\n${ms.map((m) => `  ${decl(m)}`).join('\n')}\n};\n`;

function member(r: () => number, name: string): Member {
  if (r() < 0.2) return { name, type: BITS[Math.floor(r() * BITS.length)]!, width: 1 + Math.floor(r() * 7) };
  return { name, type: TYPES[Math.floor(r() * TYPES.length)]! };
}

function record(text: string, target: string): RecordReport {
  const a = analyzeHeader('/r.h', { target, host: memoryHost({ '/r.h': text }), evaluateDefines: true });
  if (hasErrors(a.diagnostics)) throw new Error(a.diagnostics.map((d) => d.message).join('\n'));
  return headerRecords(a).find((x) => x.name === 'r')!;
}

const overlap = (a: FieldReport, b: FieldReport) => a.bitOffset < b.bitOffset + b.bitSize && b.bitOffset < a.bitOffset + a.bitSize;

describe('random records, randomly edited', () => {
  it('the report agrees with the layouts of both versions on every target', () => {
    let checked = 0;
    let reported = 0;
    const ops = new Set<string>();
    for (let seed = 1; seed <= 80; seed++) {
      const r = rng(seed);
      const n = 3 + Math.floor(r() * 5);
      const old: Member[] = Array.from({ length: n }, (_x, i) => member(r, `m${i}`));
      const now = old.map((m) => ({ ...m }));
      const op = ['insert', 'remove', 'rename', 'retype', 'append', 'lines'][Math.floor(r() * 6)]!;
      const k = Math.floor(r() * n);
      if (op === 'insert') now.splice(k, 0, member(r, 'fresh'));
      else if (op === 'remove') now.splice(k, 1);
      else if (op === 'rename') now[k] = { ...now[k]!, name: 'renamed' };
      else if (op === 'retype') now[k] = { ...member(r, now[k]!.name) };
      else if (op === 'append') now.push(member(r, 'fresh'));
      const oldText = header(old);
      const newText = header(now, op === 'lines' ? '/* moved\n   down */\n\n' : '');
      ops.add(op);
      const label = `seed ${seed} (${op}):\n${oldText}->\n${newText}`;
      const report = diffLayouts(TARGETS.map((t) => ({ triple: t, old: [analyze(oldText, t)], new: [analyze(newText, t)] })));
      reported += report.changes.length;
      for (const t of TARGETS) {
        const o = record(oldText, t);
        const w = record(newText, t);
        const here = report.changes.filter((c) => c.targets.includes(t));
        const renamed = here.filter((c) => c.kind === 'member-renamed');
        const oldName = (p: string) => (renamed.find((c) => c.new === p)?.old as string | undefined) ?? p;
        const at = `${label}\n[${t}]`;
        let expected = 0;
        for (const g of w.fields) {
          const f = o.fields.find((x) => x.path === oldName(g.path));
          if (!f) {
            const add = here.find((c) => (c.kind === 'member-added' || c.kind === 'padding-filled') && c.member === g.path);
            expect(add, `${at}: addition of ${g.path}`).toBeDefined();
            if (add!.kind === 'padding-filled') expect(o.fields.some((x) => overlap(x, g)), `${at}: ${g.path} fills padding`).toBe(false);
            expected++;
            continue;
          }
          if (f.bitOffset !== g.bitOffset) {
            const mv = here.find((c) => (c.kind === 'member-moved' || c.kind === 'bit-position') && c.member === g.path);
            expect([mv?.old, mv?.new], `${at}: move of ${g.path}`).toEqual([f.bitOffset, g.bitOffset]);
            expected++;
          } else {
            expect(here.some((c) => (c.kind === 'member-moved' || c.kind === 'bit-position') && c.member === g.path), `${at}: ${g.path} did not move`).toBe(false);
          }
          const typed = here.filter((c) => (c.kind === 'member-retyped' || c.kind === 'member-resized') && c.member === g.path);
          expect(typed.length, `${at}: type of ${g.path}`).toBe(f.type !== g.type || f.bitSize !== g.bitSize ? 1 : 0);
          expected += typed.length;
        }
        for (const f of o.fields) {
          if (w.fields.some((g) => oldName(g.path) === f.path)) continue;
          expect(here.some((c) => c.kind === 'member-removed' && c.member === f.path), `${at}: removal of ${f.path}`).toBe(true);
          expected++;
        }
        expected += renamed.length;
        const size = here.find((c) => c.kind === 'record-size');
        expect(size ? [size.old, size.new] : null, `${at}: size`).toEqual(o.size !== w.size ? [o.size, w.size] : null);
        const align = here.find((c) => c.kind === 'record-align');
        expect(align ? [align.old, align.new] : null, `${at}: alignment`).toEqual(o.align !== w.align ? [o.align, w.align] : null);
        expected += (size ? 1 : 0) + (align ? 1 : 0);
        // nothing else is reported
        expect(here.length, `${at}: ${here.map((c) => c.message).join('\n')}`).toBe(expected);
        const moved = o.fields.some((f) => w.fields.some((g) => g.path === f.path && g.bitOffset !== f.bitOffset));
        if (moved) expect(failsAt(here, 'breaking'), `${at}: a member moved`).toBe(true);
        if (op === 'lines') expect(here, at).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBe(80 * TARGETS.length);
    expect([...ops].sort()).toEqual(['append', 'insert', 'lines', 'remove', 'rename', 'retype']);
    expect(reported).toBeGreaterThan(150);
  });
});

function analyze(text: string, target: string) {
  const a = analyzeHeader('/r.h', { target, host: memoryHost({ '/r.h': text }), evaluateDefines: true });
  return a.facts!;
}
