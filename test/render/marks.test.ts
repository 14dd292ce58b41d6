// Marking members and byte ranges in a picture (`SvgOptions.mark`, what the ABI diff's HTML uses): the boxes of the
// named paths get the class `marked` and an outline, each bit range a `<g class="mark">` over exactly its bits in
// every grid (record or panel) it crosses, and the rows where a range starts and ends are drawn even inside a long
// array.

import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeHeader } from '../../generator/pipeline.js';
import { svgElement } from '../../generator/render/svg.js';
import { layoutItems } from '../../generator/render/views.js';

function items(c: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-marks-'));
  const f = path.join(dir, 'm.h');
  writeFileSync(f, c);
  return layoutItems([analyzeHeader(f)]);
}

describe('marks', () => {
  it('members by path and bit ranges, in the record and in panels', () => {
    const it = items('struct in { short x, y; };\nstruct m { int a; struct in p; char big[4096]; union { long l; char c[9]; struct { int u, v; } s; } w; };\n');
    const svg = svgElement(it, { mark: (r) => (r.name === 'm' ? { paths: ['a', 'p.y', 'w.s.v'], bits: [[32, 48], [8 * 1000, 8 * 1004]] } : null) });
    const marked = [...svg.matchAll(/<g class="box [a-z]+ marked" data-kind="\w+" data-path="([^"]*)"/g)].map((m) => m[1]);
    expect(marked.sort()).toEqual(['a', 'p.y', 'w.s.v']);
    const marks = [...svg.matchAll(/<g class="mark" data-bit-offset="(\d+)" data-bit-size="(\d+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(marks).toEqual([[32, 16], [8000, 32]]);
    // byte 1000 lies inside big[]: its row (8 bytes a row: row 125) is drawn, not left in a band
    expect(svg).toContain('<rect class="row" data-row="125"');
    // the other record is not marked
    expect(svgElement(it.filter((i) => i.record.name === 'in'), { mark: () => ({ paths: ['x'] }) })).toContain('marked');
    expect(svgElement(it.filter((i) => i.record.name === 'in'))).not.toContain('marked');
  });

  it('a colour per path and per bit range (the diff colours by class of change), red otherwise', () => {
    const it = items('struct c { int a; int b; char d[8]; };\n');
    const svg = svgElement(it, { mark: () => ({ paths: new Map([['a', '#1a7f37'], ['d', '#0969da']]), bits: [[0, 32, '#1a7f37'], [64, 72]] }) });
    const outlines = [...svg.matchAll(/<g class="box [a-z]+ marked"[^>]*data-path="([^"]*)"[^>]*>[\s\S]*?class="mark-outline"[^>]*stroke="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(outlines).toEqual(['a #1a7f37', 'd #0969da']);
    const marks = [...svg.matchAll(/<g class="mark" data-bit-offset="(\d+)"[^>]*>\s*<rect class="seg"[^>]*fill="([^"]+)"[^>]*stroke="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    expect(marks).toEqual(['0 #1a7f37 #1a7f37', '64 #d7261e #d7261e']);
    expect(svgElement(it, { mark: () => ({ paths: ['b'] }) })).toMatch(/data-path="b"[^>]*>[\s\S]*?class="mark-outline"[^>]*stroke="#d7261e"/);
  });
});
