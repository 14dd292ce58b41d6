// The RFC 791-style diagram read back: every labelled cell of every record of headers/*.h (x86_64 and big-endian
// powerpc) is parsed out of the text, and its columns must be the bits `layout --json` gives that member; rules,
// bit numbers and row widths follow the RFC conventions. Bit 0 is the most significant bit of the first byte on a
// big-endian target (as RFC 791 numbers them) and the least significant on a little-endian one.

import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../generator/diagnostics.js';
import { layoutItems } from '../../generator/cli/layout-views.js';
import { reportRecord } from '../../generator/layout/report.js';
import { analyzeHeader } from '../../generator/pipeline.js';
import { rfcDiagram } from '../../generator/render/rfc.js';

const ROOT = path.resolve(__dirname, '../..');
const HEADERS = readdirSync(path.join(ROOT, 'headers')).filter((f) => f.endsWith('.h')).sort().map((f) => path.join(ROOT, 'headers', f));

interface Cell { row: number; from: number; to: number; text: string }

/** Labelled cells: content rows (`|...|`) and labels on open rules (`+  name  +`), with their bit columns. */
function cells(diagram: string): { cells: Cell[]; rows: number; widths: number[] } {
  const lines = diagram.split('\n');
  const start = lines.findIndex((l) => l.startsWith('   +-'));
  const out: Cell[] = [];
  const widths: number[] = [];
  let row = 0;
  for (let i = start + 1; i < lines.length && /^ {3}[|+]/.test(lines[i]!); i++) {
    const l = lines[i]!.slice(3);
    if (l.startsWith('|')) {
      widths.push((l.length - 1) / 2);
      let p = 0;
      while (p < l.length - 1) {
        const q = l.indexOf('|', p + 1);
        const text = l.slice(p + 1, q).trim();
        if (text) out.push({ row, from: p / 2, to: q / 2, text });
        p = q;
      }
      row++;
    } else {
      const m = /^\+( +)(\S.*?\S|\S) +\+/.exec(l);
      if (m && !l.includes('-')) out.push({ row: row - 1, from: 0, to: 32, text: `${m[2]}@rule` });
    }
  }
  return { cells: out, rows: row, widths };
}

function check(target: string): number {
  let n = 0;
  for (const h of HEADERS) {
    const a = analyzeHeader(h, { target });
    expect(hasErrors(a.diagnostics)).toBe(false);
    for (const { program, record } of layoutItems([a])) {
      const d = rfcDiagram(program, record);
      const rep = reportRecord(program, record);
      const { cells: cs, rows, widths } = cells(d);
      // shortened labels are listed under the diagram: `   f: fin (uint16_t : 1)`
      const key = new Map<string, string>();
      for (const m of d.matchAll(/^ {3}(\S+): ([A-Za-z_][\w.]*) \(/gm)) key.set(m[1]!, m[2]!);
      expect(rows, record.name!).toBe(Math.ceil(record.size / 4));
      widths.forEach((w, r) => expect(w).toBe(Math.min(32, record.size * 8 - r * 32)));
      for (const c of cs) {
        const rule = c.text.endsWith('@rule');
        const shown = rule ? c.text.slice(0, -5) : c.text;
        if (shown === 'pad' || (shown.includes('/') && !key.has(shown))) continue;
        const name = key.get(shown) ?? shown;
        const f = rep.fields.find((x) => x.path === name);
        expect(f, `${record.name}: a cell names '${name}'`).toBeDefined();
        const a0 = c.row * 32 + c.from;
        if (rule) {
          // a label on an open rule sits between two full rows of the same member
          expect(f!.bitOffset, `${record.name}.${name}`).toBeLessThanOrEqual(a0);
          expect(f!.bitOffset + f!.bitSize, `${record.name}.${name}`).toBeGreaterThanOrEqual(a0 + 64);
        } else if (f!.bitSize <= 32 && Math.floor(f!.bitOffset / 32) === Math.floor((f!.bitOffset + f!.bitSize - 1) / 32)) {
          expect([a0, c.row * 32 + c.to], `${record.name}.${name}`).toEqual([f!.bitOffset, f!.bitOffset + f!.bitSize]);
        } else {
          expect(a0, `${record.name}.${name}`).toBeGreaterThanOrEqual(f!.bitOffset);
          expect(c.row * 32 + c.to, `${record.name}.${name}`).toBeLessThanOrEqual(f!.bitOffset + f!.bitSize);
        }
        n++;
      }
    }
  }
  return n;
}

describe('layout --format rfc', () => {
  it('every labelled cell is at its member\'s bits (x86_64, powerpc)', () => {
    expect(check('x86_64-linux-gnu')).toBeGreaterThan(100);
    expect(check('powerpc-linux-gnu')).toBeGreaterThan(100);
  });

  it('the header, the rules and the bit order of each byte order', () => {
    const net = path.join(ROOT, 'headers/netproto.h');
    const le = analyzeHeader(net);
    const be = analyzeHeader(net, { target: 'powerpc-linux-gnu' });
    const ip = (a: typeof le) => { const i = layoutItems([a]).find((x) => x.record.name === 'ipv4_header')!; return rfcDiagram(i.program, i.record); };
    const l = ip(le).split('\n');
    expect(l[2]).toBe('    0                   1                   2                   3');
    expect(l[3]).toBe('    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1');
    expect(l[4]).toBe(`   ${'+-'.repeat(32)}+`);
    // the header declares the nibbles in the target's bit order: RFC 791's picture on big-endian, mirrored per byte on x86
    expect(ip(be)).toContain('|version|  ihl  |      tos      |            tot_len            |');
    expect(ip(le)).toContain('|  ihl  |version|      tos      |            tot_len            |');
    expect(ip(be)).toMatch(/bit 0 = most significant bit/);
    expect(ip(le)).toMatch(/bit 0 = least significant bit/);
  });
});
