// Views that stay linear and bounded (issue 23.8, 21.4): huge arrays are a few rows (svg, html) or a `~` line (rfc)
// whatever their size, records of tens of thousands of members give output proportional to their members, nesting
// that multiplies (a struct of two structs of two structs ...) stays bounded, and a union of thousands of members
// is drawn. Each reproducer checks sizes and that it finishes; never the time it takes.

import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../generator/diagnostics.js';
import type { MemberFacts, ProgramFacts, RecordFacts } from '../../generator/layout/facts.js';
import { analyzeHeader } from '../../generator/pipeline.js';
import { pictureOf, type RecordItem } from '../../generator/render/model.js';
import { renderRfc } from '../../generator/render/rfc.js';
import { renderSvg } from '../../generator/render/svg.js';
import { renderHtml } from '../../generator/render/html.js';
import { layoutItems, renderView } from '../../generator/render/views.js';

function itemsOf(c: string): RecordItem[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-scale-'));
  const f = path.join(dir, 's.h');
  writeFileSync(f, c);
  const a = analyzeHeader(f);
  expect(hasErrors(a.diagnostics), a.diagnostics.map((d) => d.message).join('\n')).toBe(false);
  return layoutItems([a]);
}

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

/** A struct (or union) of `n` int members, as facts (the front end would take seconds to read such a header;
 * the views only read facts). */
function manyInts(n: number, kind: 'struct' | 'union' = 'struct'): RecordItem {
  const pos = { file: 'many.h', line: 1, col: 1 };
  const members: MemberFacts[] = [];
  for (let i = 0; i < n; i++) {
    members.push({
      name: `m${i}`, bitOffset: kind === 'struct' ? 32 * i : 0, bitSize: 32, type: { k: 'int', bytes: 4, signed: true, order: 'little', char: false },
      cType: 'int', bitfield: null, overlaid: kind === 'union', pos, doc: null, countedBy: null,
    });
  }
  const record: RecordFacts = {
    id: 0, key: 'many.h:1:1', kind, tag: 'many', name: 'many', cName: `${kind} many`, size: kind === 'struct' ? 4 * n : 4, align: 4,
    packed: false, pack: 0, algorithm: 'gnu', pos, file: 'many.h', parent: null, anonymousMember: false, system: false, doc: null,
    slots: members.map((m) => ({ name: m.name, bitOffset: m.bitOffset, bitSize: 32, bitfield: false, align: 4 })),
    members, padding: [], gaps: [], flexible: null,
  };
  const program: ProgramFacts = {
    target: { triple: 'x86_64-linux-gnu', endian: 'little', pointerBytes: 8, compiler: 'clang' }, header: 'many.h',
    records: [record], enums: [], constants: [],
  };
  return { program, record };
}

describe('huge arrays', () => {
  // bytes of the array, and the bytes the one band (svg) or `~` line (rfc) stands for, worked out by hand
  const CASES: ReadonlyArray<[string, number]> = [['1 << 20', 2 ** 20], ['1 << 24', 2 ** 24], ['1ULL << 36', 2 ** 36]];
  for (const [n, bytes] of CASES) {
    it(`struct s { char a[${n}]; }: every view a few rows`, () => {
      const items = itemsOf(`struct s { char a[${n}]; };\n`);
      const svg = renderView(items, 'svg');
      expect(svg.length).toBeLessThan(12_000);
      // rows 0 and the last drawn, the rest one band
      expect(count(svg, /<rect class="row"/g)).toBe(2);
      expect(svg).toContain(`<rect class="elided" data-row="1" data-rows="${bytes / 4 - 2}"`);
      expect(count(svg, /class="box member"/g)).toBe(1);
      const html = renderView(items, 'html');
      expect(html.length).toBeLessThan(16_000);
      const rfc = renderView(items, 'rfc');
      expect(rfc.length).toBeLessThan(2_000);
      expect(rfc).toContain(`a (bytes 4-${bytes - 5})`);
      expect(count(rfc, /^ {3}\|/gm)).toBe(2);
      const text = renderView(items, 'text');
      expect(text).toContain(`char[${bytes}]`);
    });
  }

  it('an array among members: the rows where members start and end are drawn, the array\'s inside is one band', () => {
    const items = itemsOf('struct s { int head; char a[1 << 22]; short mid; double tail[100000]; char end; };\n');
    const svg = renderSvg(items);
    expect(svg.length).toBeLessThan(20_000);
    // one band inside each array
    expect(count(svg, /<rect class="elided"/g)).toBe(2);
    for (const p of ['head', 'a', 'mid', 'tail', 'end']) expect(svg).toContain(`data-path="${p}"`);
    // element dividers only in the rows drawn: at most 7 a row (8 bytes a row)
    expect(count(svg, /class="elem"/g)).toBeLessThanOrEqual(7 * count(svg, /<rect class="row"/g));
  });
});

describe('many members', () => {
  for (const n of [20_000, 40_000, 100_000]) {
    it(`RFC diagram of ${n.toLocaleString('en')} members: one row each, output linear`, () => {
      const rfc = renderRfc([manyInts(n)]);
      expect(count(rfc, /^ {3}\|/gm)).toBe(n);
      expect(rfc.length / n).toBeLessThan(150);
      expect(rfc).toContain(`m${n - 1}`);
    });
  }

  it('SVG and HTML of 20,000 members: one box each, output linear', () => {
    const item = manyInts(20_000);
    const svg = renderSvg([item]);
    expect(count(svg, /class="box member"/g)).toBe(20_000);
    expect(svg.length / 20_000).toBeLessThan(1_000);
    const html = renderHtml([item]);
    expect(html.length / 20_000).toBeLessThan(1_100);
  });

  it('a union of 3,000 members: a panel each', () => {
    const item = manyInts(3_000, 'union');
    const pic = pictureOf(item.program, item.record);
    expect(pic.areas.length).toBe(3_000);
    expect(pic.areas[2_999]!.title).toBe('alternative 3000 of 3000 of union many: m2999: int (4 bytes)');
    const svg = renderSvg([item]);
    expect(svg.length / 3_000).toBeLessThan(2_500);
    expect(renderRfc([item])).toContain('m0/m1/m2');
  });
});

describe('nesting that multiplies', () => {
  // struct s24 holds 2^24 ints through 24 levels of pairs: 128 MB, 33 million members at every depth
  let c = 'struct s0 { int a, b; };\n';
  for (let i = 1; i <= 24; i++) c += `struct s${i} { struct s${i - 1} a, b; };\n`;
  it('struct s24 { struct s23 a, b; }: nested records are entered within a budget', () => {
    const item = itemsOf(c).find((i) => i.record.name === 's24')!;
    const pic = pictureOf(item.program, item.record);
    const boxes = pic.areas.reduce((k, a) => k + a.boxes.length, 0);
    expect(boxes).toBeGreaterThan(10_000);
    expect(boxes).toBeLessThan(60_000);
    const rfc = renderRfc([item]);
    expect(rfc.length).toBeLessThan(8_000_000);
    // the path to the first int is drawn in full
    expect(rfc).toContain('a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a');
  });
});
