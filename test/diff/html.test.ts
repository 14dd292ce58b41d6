/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// `structgen diff --format html` in a real headless Chromium (Debian's `chromium`, driven by playwright-core; nothing
// downloads a browser): in every picture no label overlaps another (their boxes read back from the page, no
// exception), each changed member's box is outlined in its class's colour on the side(s) it exists on and members
// that did not change are not, and the changed bytes are shaded in their class's colour (the padding a new member
// took on the old side, what a member moved from and to, what a record grew by). Header text cannot inject markup.
// Also takes the screenshot the README shows (test/diff/golden/diff.png, written by `npm run golden:diff`).

import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARK_COLOR, renderDiffHtml } from '../../generator/diff/html.js';
import type { DiffReport } from '../../generator/diff/diff.js';
import type { ChangeClass } from '../../generator/diff/types.js';
import { diffTexts, PRELUDE } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE = existsSync(CHROMIUM);
const ROOT = path.resolve(__dirname, '../..');
const UPDATE = !!process.env.STRUCTGEN_UPDATE_GOLDEN;
if (!HAVE) {
  const msg = `${CHROMIUM} not found: the browser test of the diff pictures needs Debian's chromium (apt-get install -y chromium)`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`SKIP: ${msg}`);
}
const SHOT_W = 1400;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const V1 = `${PRELUDE}
/* one reading of a sensor */
struct sensor_event {
  uint32_t size;
  uint16_t kind;
  uint8_t channel;
  uint64_t timestamp;
  int32_t value;
  uint16_t flags;
};
struct sensor_batch { uint16_t count; struct sensor_event first; };
`;
// 'kind' renamed; 'quality' in the padding after 'channel'; 'value' widened, which moves 'flags' and grows both records
const V2 = V1.replace('uint16_t kind;', 'uint16_t type;').replace('uint8_t channel;', 'uint8_t channel;\n  uint8_t quality;').replace('int32_t value;', 'int64_t value;');
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

interface Box { path: string; kind: string; bit: number; marked: boolean; outlines: string[] }
interface Shade { from: number; to: number; strokes: string[] }
interface Label { text: string; x: number; y: number; w: number; h: number }
interface Side { side: string; size: number; boxes: Box[]; shades: Shade[]; labels: Label[] }
interface Figure { target: string; sides: Side[] }

/** What the page shows, read in the browser: each figure's two pictures, their boxes and the colour of their
 * outlines, the shaded bit ranges and their colours, and the labels' boxes. */
function readFigures(): Figure[] {
  return [...document.querySelectorAll('figure.pair')].map((f) => ({
    target: f.getAttribute('data-target')!,
    sides: [...f.querySelectorAll('.side')].map((s) => ({
      side: s.getAttribute('data-side')!,
      size: Number(s.querySelector('g.record')?.getAttribute('data-size')),
      boxes: [...s.querySelectorAll('g.box[data-path]')].map((g) => ({
        path: g.getAttribute('data-path')!, kind: g.getAttribute('data-kind')!, bit: Number(g.getAttribute('data-bit-offset')),
        marked: g.classList.contains('marked'),
        outlines: [...g.querySelectorAll('rect.mark-outline')].map((r) => getComputedStyle(r).stroke),
      })),
      shades: [...s.querySelectorAll('g.mark')].map((g) => {
        const from = Number(g.getAttribute('data-bit-offset'));
        return { from, to: from + Number(g.getAttribute('data-bit-size')), strokes: [...g.querySelectorAll('rect.seg')].map((r) => getComputedStyle(r).stroke) };
      }),
      labels: [...s.querySelectorAll('svg text')].map((t) => {
        const r = t.getBoundingClientRect();
        return { text: t.textContent ?? '', x: r.x, y: r.y, w: r.width, h: r.height };
      }).filter((l) => l.w > 0 && l.h > 0),
    })),
  }));
}

/** Pairs of labels whose boxes overlap (by more than half a pixel each way). */
function overlaps(labels: readonly Label[]): string[] {
  const bad: string[] = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i]!;
      const b = labels[j]!;
      const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      if (w > 0.5 && h > 0.5) bad.push(`'${a.text}' and '${b.text}'`);
    }
  }
  return bad;
}

const WORSE = { breaking: 3, compatible: 2, 'source-only': 1 } as const;

/** The members each side of a target's figure must outline, and in which class's colour (the worst of the member's
 * changes). */
function expectedMarks(r: DiffReport, target: string, record: string): { old: Map<string, string>; new: Map<string, string> } {
  const marks = { old: new Map<string, ChangeClass>(), new: new Map<string, ChangeClass>() };
  const set = (m: Map<string, ChangeClass>, p: string, c: ChangeClass) => { if (!m.has(p) || WORSE[c] > WORSE[m.get(p)!]) m.set(p, c); };
  for (const c of r.changes) {
    if (c.record !== record || c.member === undefined || !c.targets.includes(target)) continue;
    if (c.kind === 'member-renamed') { set(marks.old, String(c.old), c.class); set(marks.new, String(c.new), c.class); continue; }
    if (c.kind !== 'member-removed') set(marks.new, c.member, c.class);
    if (c.kind !== 'member-added' && c.kind !== 'padding-filled') {
      const renamed = r.changes.find((x) => x.kind === 'member-renamed' && x.record === record && x.new === c.member && x.targets.includes(target));
      set(marks.old, renamed ? String(renamed.old) : c.member, c.class);
    }
  }
  const colors = (m: Map<string, ChangeClass>) => new Map([...m].map(([p, c]) => [p, rgb(MARK_COLOR[c])]));
  return { old: colors(marks.old), new: colors(marks.new) };
}

describe.skipIf(!HAVE)('the HTML diff in headless Chromium', () => {
  type Ctx = import('playwright-core').BrowserContext;
  let ctx: Ctx;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-diff-html-'));
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    ctx = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'structgen-chromium-profile-')), {
      executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1100, height: 900 },
    });
  });
  afterAll(async () => { await ctx?.close(); });

  const report = diffTexts(V1, V2, ['x86_64-linux-gnu', 'i386-linux-gnu'], { header: 'include/sensor.h' });
  const html = renderDiffHtml(report, { oldLabel: 'v1', newLabel: 'v2' });

  it('every changed member is outlined in its class colour, on each side it exists on; nothing else is', async () => {
    const page = await ctx.newPage();
    const f = path.join(dir, 'diff.html');
    writeFileSync(f, html);
    await page.goto(`file://${f}`);
    const figures = await page.evaluate(readFigures);
    // sensor_event and sensor_batch differ between the targets (i386 aligns uint64_t to 4): a figure for each
    expect(figures.map((x) => x.target)).toEqual(['x86_64-linux-gnu', 'i386-linux-gnu', 'x86_64-linux-gnu', 'i386-linux-gnu']);
    const records = ['sensor_event', 'sensor_event', 'sensor_batch', 'sensor_batch'];
    let marked = 0;
    figures.forEach((fig, k) => {
      const want = expectedMarks(report, fig.target, records[k]!);
      for (const side of fig.sides) {
        const expected = want[side.side as 'old' | 'new'];
        for (const b of side.boxes) {
          const where = `${records[k]} ${fig.target} ${side.side} '${b.path}'`;
          const color = expected.get(b.path);
          expect(b.marked, where).toBe(!!color);
          if (color) {
            expect(b.outlines.length, where).toBeGreaterThan(0);
            expect(b.outlines.every((s) => s === color), `${where}: ${b.outlines.join()}`).toBe(true);
            marked++;
          } else {
            expect(b.outlines, `${where} is outlined but did not change`).toEqual([]);
          }
        }
        for (const p of expected.keys()) expect(side.boxes.some((b) => b.path === p), `${records[k]} ${side.side}: a box for '${p}'`).toBe(true);
      }
    });
    expect(marked).toBeGreaterThan(10);
    await page.close();
  });

  it('the changed bytes are shaded in their class colour', async () => {
    const page = await ctx.newPage();
    await page.setContent(html);
    const figures = await page.evaluate(readFigures);
    const shades = (fig: Figure, side: string) => {
      const s = fig.sides.find((x) => x.side === side)!;
      // one colour per range, drawn in at least one piece; ranges disjoint, within the record
      for (const m of s.shades) {
        expect(m.strokes.length).toBeGreaterThan(0);
        expect(new Set(m.strokes).size).toBe(1);
        expect(m.from).toBeGreaterThanOrEqual(0);
        expect(m.to).toBeLessThanOrEqual(s.size * 8);
      }
      return s.shades.map((m) => [m.from / 8, m.to / 8, m.strokes[0]]);
    };
    const B = rgb(MARK_COLOR.breaking);
    const C = rgb(MARK_COLOR.compatible);
    // sensor_event on x86_64, 24 bytes before and 32 after: 'quality' took the padding byte 7 (compatible); 'value'
    // (bytes 16-19, now 16-23) grew over 'flags' (bytes 20-21, now 24-25), and the record grew by bytes 24-31; the
    // rename of 'kind' changes no byte
    expect(shades(figures[0]!, 'old')).toEqual([[7, 8, C], [16, 22, B]]);
    expect(shades(figures[0]!, 'new')).toEqual([[7, 8, C], [16, 32, B]]);
    // on i386 (uint64_t aligned to 4) the record grows to 28 bytes only
    expect(shades(figures[1]!, 'new')).toEqual([[7, 8, C], [16, 28, B]]);
    // sensor_batch: 'first' (at 8 on x86_64, at 4 on i386) grew, and with it the record
    expect(shades(figures[2]!, 'old')).toEqual([[8, 32, B]]);
    expect(shades(figures[2]!, 'new')).toEqual([[8, 40, B]]);
    expect(shades(figures[3]!, 'old')).toEqual([[4, 28, B]]);
    expect(shades(figures[3]!, 'new')).toEqual([[4, 32, B]]);
    await page.close();
  });

  it('no label overlaps another in any picture', async () => {
    const page = await ctx.newPage();
    await page.setContent(html);
    const figures = await page.evaluate(readFigures);
    let labels = 0;
    for (const fig of figures) {
      for (const side of fig.sides) {
        labels += side.labels.length;
        expect(overlaps(side.labels), `${fig.target} ${side.side}`).toEqual([]);
      }
    }
    expect(labels).toBeGreaterThan(50);
    await page.close();
  });

  it('the test of overlaps finds one', () => {
    const l = (text: string, x: number, y: number, w: number, h: number) => ({ text, x, y, w, h });
    expect(overlaps([l('a', 0, 0, 10, 10), l('b', 5, 5, 10, 10), l('c', 10, 0, 5, 5)])).toEqual(["'a' and 'b'"]);
    expect(overlaps([l('f: struct x', 0, 0, 10, 10), l('f.a', 9.6, 0, 10, 10), l('g', 0, 9.6, 1, 1)])).toEqual([]);
  });

  it('header text cannot break out of the page', async () => {
    const evil = '#define S "</style><script>window.pwned=1</script>"\nstruct s { int a; };\n';
    const r = diffTexts(evil, evil.replace('int a;', 'int a; int b;'), ['x86_64-linux-gnu']);
    const page = await ctx.newPage();
    await page.setContent(renderDiffHtml(r, { oldLabel: '<img src=x onerror="window.pwned=2">', newLabel: '"><script>window.pwned=3</script>' }));
    const got = await page.evaluate(() => ({ pwned: (window as unknown as { pwned?: number }).pwned ?? null, scripts: document.querySelectorAll('script, img').length }));
    expect(got).toEqual({ pwned: null, scripts: 0 });
    await page.close();
  });

  it('screenshot for the README', async () => {
    const page = await ctx.newPage();
    // wide enough for two pictures in rows of 8 bytes side by side at their own size
    await page.setViewportSize({ width: SHOT_W, height: 900 });
    const f = path.join(dir, 'shot.html');
    writeFileSync(f, html);
    await page.goto(`file://${f}`);
    // the table and the first record's two figures
    const h = await page.evaluate(() => Math.ceil(document.querySelectorAll('figure.pair')[1]!.getBoundingClientRect().bottom + 16));
    const cdp = await ctx.newCDPSession(page);
    const shot = await cdp.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width: SHOT_W, height: h, scale: 1 } });
    const png = Buffer.from(shot.data, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const out = UPDATE ? path.join(ROOT, 'test/diff/golden/diff.png') : path.join(dir, 'diff.png');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, png);
    await page.close();
  });
});

describe('the marks of the HTML diff, in its markup', () => {
  /** Per side ('o' or 'n') of the first figure: the outlined paths and the shaded byte ranges, with their colours. */
  function marksOf(html: string): { [side: string]: { paths: string[]; bytes: Array<[number, number, string]> } } {
    const out: { [side: string]: { paths: string[]; bytes: Array<[number, number, string]> } } = {};
    for (const m of html.matchAll(/<div class="side (old|new)[^"]*" id="d0[on]"[^>]*>([\s\S]*?)<\/svg>/g)) {
      const svg = m[2]!;
      const paths = [...svg.matchAll(/<g class="box [a-z]+ marked"[^>]*data-path="([^"]*)"[^>]*>[\s\S]*?class="mark-outline"[^>]*stroke="(#[0-9a-f]{6})"/g)].map((x) => `${x[1]} ${x[2]}`);
      const bytes = [...svg.matchAll(/<g class="mark" data-bit-offset="(\d+)" data-bit-size="(\d+)">\s*<rect class="seg"[^>]*stroke="(#[0-9a-f]{6})"/g)]
        .map((x) => [Number(x[1]) / 8, (Number(x[1]) + Number(x[2])) / 8, x[3]!] as [number, number, string]);
      out[m[1]!] = { paths, bytes };
    }
    return out;
  }
  const B = MARK_COLOR.breaking;
  const S = MARK_COLOR['source-only'];

  it('a removed member: its bytes on the old side, and what it left on the new side', () => {
    const r = diffTexts(`${PRELUDE}struct s { uint32_t a; uint32_t b; uint32_t c; };\n`, `${PRELUDE}struct s { uint32_t a; uint32_t c; };\n`);
    const m = marksOf(renderDiffHtml(r));
    // 'b' (bytes 4-7) removed and 'c' moved from 8 to 4; the record shrank by bytes 8-11
    expect(m.old).toEqual({ paths: [`b ${B}`, `c ${B}`], bytes: [[4, 12, B]] });
    expect(m.new).toEqual({ paths: [`c ${B}`], bytes: [[4, 8, B]] });
  });

  it('a rename or a retyping with the same representation is outlined, no byte shaded', () => {
    const r = diffTexts(`${PRELUDE}struct s { int a; uint16_t b; };\n`, `${PRELUDE}struct s { int32_t a; uint16_t bee; };\n`);
    expect(r.changes.map((c) => `${c.kind} ${c.class}`).sort()).toEqual(['member-renamed source-only', 'member-retyped source-only']);
    const m = marksOf(renderDiffHtml(r));
    expect(m.old).toEqual({ paths: [`a ${S}`, `b ${S}`], bytes: [] });
    expect(m.new).toEqual({ paths: [`a ${S}`, `bee ${S}`], bytes: [] });
  });

  it('a union drawn as panels: the changed member in its panel, the changed bytes in every panel', () => {
    const u = `${PRELUDE}union u { int32_t a; int16_t b; char c; int64_t d; struct { int32_t x; int32_t y; } e; };\n`;
    const html = renderDiffHtml(diffTexts(u, u.replace('int32_t y;', 'int64_t y;')));
    const side = (w: string) => html.slice(html.indexOf(`id="d0${w}"`)).split('</svg>')[0]!;
    const panels = (svg: string) => svg.split(/<g class="area"/).slice(1).filter((a) => /^[^>]*data-alternatives="5"/.test(a));
    // 'e.y' grew from 4 to 8 bytes and moved from byte 4 to 8; 'e' (and the union) grew because of it: the bytes 'e.y'
    // left (4-7) before, the bytes it holds (8-15) after, not all of 'e'
    for (const [w, bytes] of [['o', [4, 8]], ['n', [8, 16]]] as const) {
      const ps = panels(side(w));
      expect(ps.length, w).toBe(5);
      for (const p of ps) expect([...p.matchAll(/<g class="mark" data-bit-offset="(\d+)" data-bit-size="(\d+)"/g)].map((m) => [Number(m[1]) / 8, (Number(m[1]) + Number(m[2])) / 8]), w).toEqual([bytes]);
      const marked = ps.map((p) => [...p.matchAll(/<g class="box [a-z]+ marked"[^>]*data-path="([^"]*)"/g)].map((m) => m[1]));
      expect(marked, w).toEqual([[], [], [], [], ['e.y', 'e']]);
    }
  });
});
