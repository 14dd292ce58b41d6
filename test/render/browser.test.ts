/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The SVG and HTML pictures in a real headless Chromium (Debian's `chromium`, driven by playwright-core; nothing
// downloads a browser). For every record of headers/*.h (x86_64 and big-endian powerpc) and of a hostile header, the
// boxes are read back from the DOM (`data-path`, `data-bit-offset`, `data-bit-size`, and the on-screen geometry of
// each box's row pieces against the byte grid) and must be where `layout --json` puts each member: every member at
// every depth has its box, and its pieces cover exactly its bits, in its row. Header text cannot inject markup.
// Also takes the screenshot the README shows (written to test/render/golden/ by `npm run golden:pictures`).

import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasErrors } from '../../generator/diagnostics.js';
import { layoutItems } from '../../generator/cli/layout-views.js';
import { reportRecord } from '../../generator/layout/report.js';
import { analyzeHeader } from '../../generator/pipeline.js';
import type { RecordItem } from '../../generator/render/model.js';
import { renderHtml } from '../../generator/render/html.js';
import { MIN_FONT, renderSvg } from '../../generator/render/svg.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE = existsSync(CHROMIUM);
const ROOT = path.resolve(__dirname, '../..');
const UPDATE = !!process.env.STRUCTGEN_UPDATE_GOLDEN;
if (!HAVE) {
  const msg = `${CHROMIUM} not found: the browser test of the SVG/HTML pictures needs Debian's chromium (apt-get install -y chromium)`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`SKIP: ${msg}`);
}
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Seg { x: number; y: number; w: number; h: number }
interface DomBox { path: string; kind: string; bitOffset: number; bitSize: number; segs: Seg[] }
interface DomItem extends Seg { row: number; rows: number }
interface DomArea { grid: Seg; items: DomItem[]; boxes: DomBox[]; title: string | null }
interface DomText extends Seg { cls: string; text: string; size: number; box: Seg[] | null; grid: Seg | null }
interface DomRecord { name: string; rowBytes: number; areas: DomArea[]; texts: DomText[]; svg: Seg }

/** What the page shows, read from the DOM in the browser. */
function readDom(): DomRecord[] {
  const rect = (e: Element) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; };
  return [...document.querySelectorAll('g.record')].map((g) => ({
    name: g.getAttribute('data-name')!,
    rowBytes: Number(g.getAttribute('data-row-bytes')),
    svg: rect(g.closest('svg')!),
    areas: [...g.querySelectorAll('g.area')].map((a) => ({
      grid: rect(a.querySelector('rect.grid')!),
      title: a.querySelector('text.panel-title')?.textContent ?? null,
      // rows drawn, and bands standing for rows not drawn, top to bottom
      items: [...a.querySelectorAll('rect.row, rect.elided')].map((r) => ({
        ...rect(r), row: Number(r.getAttribute('data-row')), rows: Number(r.getAttribute('data-rows') ?? 1),
      })).sort((x, y) => x.y - y.y),
      boxes: [...a.querySelectorAll('g.box')].map((b) => ({
        path: b.getAttribute('data-path')!, kind: b.getAttribute('data-kind')!,
        bitOffset: Number(b.getAttribute('data-bit-offset')), bitSize: Number(b.getAttribute('data-bit-size')),
        segs: [...b.querySelectorAll('rect.seg')].map(rect),
      })),
    })),
    texts: [...g.querySelectorAll('text')].map((t) => {
      const box = t.closest('g.box');
      const grid = t.closest('g.area')?.querySelector('rect.grid');
      return {
        ...rect(t), cls: t.getAttribute('class') ?? '', text: t.textContent ?? '', size: parseFloat(getComputedStyle(t).fontSize),
        box: box ? [...box.querySelectorAll('rect.seg')].map(rect) : null, grid: grid ? rect(grid) : null,
      };
    }),
  }));
}

/** The bits [from, to) a piece covers: one row's columns, or whole rows from the row (or band of rows) at its top
 * to the one at its bottom. */
function pieceBits(a: DomArea, s: Seg, rowBits: number, where: string): [number, number] {
  const at = (y: number) => a.items.findIndex((it) => y >= it.y - 0.01 && y <= it.y + it.h + 0.01);
  const bitW = a.grid.w / rowBits;
  const i0 = at(s.y + Math.min(0.5, s.h / 2));
  const i1 = at(s.y + s.h - Math.min(0.5, s.h / 2));
  expect(i0, `${where}: piece inside the grid's rows`).toBeGreaterThanOrEqual(0);
  expect(i1, `${where}: piece inside the grid's rows`).toBeGreaterThanOrEqual(0);
  const top = a.items[i0]!;
  const bot = a.items[i1]!;
  const c0 = Math.round((s.x - a.grid.x) / bitW);
  const c1 = Math.round((s.x + s.w - a.grid.x) / bitW);
  if (i0 === i1 && top.rows === 1) return [top.row * rowBits + c0, top.row * rowBits + c1];
  // over several rows: whole rows only
  expect([c0, c1], `${where}: a piece over several rows spans them whole`).toEqual([0, rowBits]);
  return [top.row * rowBits, (bot.row + bot.rows) * rowBits];
}

/** Checks each record drawn against the layout report of the same record: every member at every depth has one box
 * (in the record's grid or in one of its panels) whose pieces cover exactly its bits. */
function checkGeometry(dom: DomRecord[], items: readonly RecordItem[], label: string): number {
  expect(dom.map((d) => d.name), label).toEqual(items.map((i) => i.record.name));
  let checked = 0;
  dom.forEach((d, k) => {
    const { program, record } = items[k]!;
    const rep = reportRecord(program, record);
    const rowBits = d.rowBytes * 8;
    expect(d.rowBytes, `${label} ${d.name}`).toBe(record.align >= 8 ? 8 : 4);
    for (const a of d.areas) {
      // rows (and bands of rows) follow one another without a gap or an overlap
      for (let i = 1; i < a.items.length; i++) {
        expect(a.items[i]!.row, `${label} ${d.name}: rows in order`).toBe(a.items[i - 1]!.row + a.items[i - 1]!.rows);
        expect(a.items[i]!.y).toBeCloseTo(a.items[i - 1]!.y + a.items[i - 1]!.h, 1);
      }
    }
    if (record.kind === 'struct') expect(d.areas[0]!.items.reduce((n, it) => n + it.rows, 0), `${label} ${d.name}`).toBe(Math.max(1, Math.ceil(record.size / d.rowBytes)));
    const boxes = d.areas.flatMap((a) => a.boxes.map((b) => ({ a, b })));
    for (const f of rep.fields) {
      const found = boxes.filter(({ b }) => b.path === f.path && b.kind !== 'padding');
      const where = `${label} ${d.name}.${f.path}`;
      expect(found.length, `${where}: one box`).toBe(1);
      const { a, b } = found[0]!;
      expect([b.bitOffset, b.bitSize], where).toEqual([f.bitOffset, f.bitSize]);
      expect(b.segs.length, where).toBeGreaterThan(0);
      if (f.bitSize === 0) {
        // a flexible array: a marker at its offset (the end of the last row when it starts a row past the record)
        const s = b.segs[0]!;
        const it = a.items.find((x) => s.y + s.h / 2 >= x.y && s.y + s.h / 2 <= x.y + x.h)!;
        const col = Math.round((s.x + s.w / 2 - a.grid.x) / (a.grid.w / rowBits));
        expect(it.row * rowBits + col, where).toBe(f.bitOffset);
        checked++;
        continue;
      }
      // the pieces, in reading order, cover exactly the member's bits
      const bits = b.segs.map((s) => pieceBits(a, s, rowBits, where)).sort((x, y) => x[0] - y[0]);
      expect(bits[0]![0], where).toBe(f.bitOffset);
      for (let i = 1; i < bits.length; i++) expect(bits[i]![0], where).toBe(bits[i - 1]![1]);
      expect(bits[bits.length - 1]![1], where).toBe(f.bitOffset + f.bitSize);
      // a lane is never less than a row high (no 7-pixel lanes)
      for (const s of b.segs) expect(s.h, `${where}: piece height`).toBeGreaterThanOrEqual(40);
      checked++;
    }
    // padding boxes are where the record has unused bits, and no member box of the top level overlaps one
    for (const p of d.areas[0]?.boxes.filter((x) => x.kind === 'padding') ?? []) {
      for (const f of rep.fields.filter((x) => !x.path.includes('.'))) {
        const overlap = Math.min(p.bitOffset + p.bitSize, f.bitOffset + f.bitSize) - Math.max(p.bitOffset, f.bitOffset);
        if (record.kind === 'struct' && !record.members.find((m) => m.name === f.path)?.overlaid && f.bitSize > 0 && !/struct|union/.test(f.type)) {
          expect(overlap, `${label} ${d.name}: padding at ${p.bitOffset} overlaps ${f.path}`).toBeLessThanOrEqual(0);
        }
      }
    }
  });
  return checked;
}

/** Every text of every record is at least MIN_FONT px, inside the picture, touches no other text, and a box's label
 * lies inside one of that box's pieces. Returns how many texts were checked. */
function checkLabels(dom: DomRecord[], label: string): number {
  let n = 0;
  for (const d of dom) {
    const where = `${label} ${d.name}`;
    const ts = d.texts.filter((t) => t.text.trim() !== '' && t.w > 0);
    for (const t of ts) {
      expect(t.size, `${where}: '${t.text}' font size`).toBeGreaterThanOrEqual(MIN_FONT);
      expect(t.x + t.w, `${where}: '${t.text}' cut at the right`).toBeLessThanOrEqual(d.svg.x + d.svg.w + 0.5);
      expect(t.y + t.h, `${where}: '${t.text}' cut at the bottom`).toBeLessThanOrEqual(d.svg.y + d.svg.h + 0.5);
      expect(t.x, `${where}: '${t.text}' cut at the left`).toBeGreaterThanOrEqual(d.svg.x - 0.5);
      if (t.box && /\b(label|type|flabel)\b/.test(t.cls) && !t.cls.includes('flex')) {
        const inside = t.box.some((s) => t.x >= s.x - 1 && t.x + t.w <= s.x + s.w + 1 && t.y >= s.y - 1 && t.y + t.h <= s.y + s.h + 1);
        expect(inside, `${where}: '${t.text}' inside its box`).toBe(true);
      }
      // a flexible array's label is beside its marker, inside the grid
      if (t.cls.includes('flex')) expect(t.x >= t.grid!.x - 1 && t.x + t.w <= t.grid!.x + t.grid!.w + 1, `${where}: '${t.text}' inside the grid`).toBe(true);
    }
    // no two texts overlap (sweep over x)
    const byX = [...ts].sort((a, b) => a.x - b.x);
    for (let i = 0; i < byX.length; i++) {
      const a = byX[i]!;
      for (let j = i + 1; j < byX.length && byX[j]!.x < a.x + a.w - 0.5; j++) {
        const b = byX[j]!;
        const dy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
        expect(dy > 0.5, `${where}: '${a.text}' (${a.cls}) overlaps '${b.text}' (${b.cls})`).toBe(false);
      }
    }
    n += ts.length;
  }
  return n;
}

function itemsOf(header: string, target?: string): RecordItem[] {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const a = analyzeHeader(header, target ? { target } : {});
    if (hasErrors(a.diagnostics)) throw new Error(a.diagnostics.map((x) => x.message).join('\n'));
    return layoutItems([a]);
  } finally {
    process.chdir(cwd);
  }
}

describe.skipIf(!HAVE)('pictures in headless Chromium', () => {
  type Ctx = import('playwright-core').BrowserContext;
  let ctx: Ctx;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-browser-'));
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    ctx = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'structgen-chromium-profile-')), {
      executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1100, height: 900 },
    });
  });
  afterAll(async () => { await ctx?.close(); });

  const headers = readdirSync(path.join(ROOT, 'headers')).filter((f) => f.endsWith('.h')).sort();
  for (const target of ['x86_64-linux-gnu', 'powerpc-linux-gnu']) {
    it(`every member's box is where the layout puts it (SVG and HTML, ${target})`, async () => {
      const items = headers.flatMap((h) => itemsOf(`headers/${h}`, target));
      const page = await ctx.newPage();
      const svgFile = path.join(dir, `all-${target}.svg`);
      writeFileSync(svgFile, renderSvg(items));
      await page.goto(`file://${svgFile}`);
      // well-formed XML: Chromium shows a <parsererror> for anything else
      expect(await page.evaluate(() => [document.documentElement.localName, document.getElementsByTagName('parsererror').length])).toEqual(['svg', 0]);
      const svgDom = await page.evaluate(readDom);
      const n = checkGeometry(svgDom, items, `svg ${target}`);
      expect(checkLabels(svgDom, `svg ${target}`)).toBeGreaterThan(300);
      const htmlFile = path.join(dir, `all-${target}.html`);
      writeFileSync(htmlFile, renderHtml(items));
      await page.goto(`file://${htmlFile}`);
      const htmlDom = await page.evaluate(readDom);
      const m = checkGeometry(htmlDom, items, `html ${target}`);
      checkLabels(htmlDom, `html ${target}`);
      expect(m).toBe(n);
      expect(n).toBeGreaterThan(150);
      await page.close();
    });
  }

  const BPF = '/usr/include/linux/bpf.h';
  if (!existsSync(BPF)) console.warn(`SKIP: ${BPF} not found (Debian's linux-libc-dev): the pictures of its records are not checked`);
  it.skipIf(!existsSync(BPF))('the records of linux/bpf.h: every box in place, every label legible, union bpf_attr in panels', async () => {
    const items = itemsOf(BPF);
    const page = await ctx.newPage();
    for (const [ext, text] of [['svg', renderSvg(items)], ['html', renderHtml(items)]] as const) {
      const f = path.join(dir, `bpf.${ext}`);
      writeFileSync(f, text);
      await page.goto(`file://${f}`);
      const dom = await page.evaluate(readDom);
      expect(checkGeometry(dom, items, `bpf.h ${ext}`)).toBeGreaterThan(500);
      expect(checkLabels(dom, `bpf.h ${ext}`)).toBeGreaterThan(1000);
      // union bpf_attr: one labelled panel per alternative (its anonymous structs and named members)
      const attr = dom.find((d) => d.name === 'bpf_attr')!;
      const rec = items.find((i) => i.record.name === 'bpf_attr')!.record;
      const alternatives = rec.slots.filter((x) => !(x.name === null && x.bitfield)).length;
      expect(alternatives).toBeGreaterThan(10);
      const own = attr.areas.filter((a) => a.title?.endsWith(' of union bpf_attr'));
      expect(own.map((a) => a.title)).toEqual(Array.from({ length: alternatives }, (_, k) => `alternative ${k + 1} of ${alternatives} of union bpf_attr`));
      // the others are the alternatives of unions inside those, each titled
      for (const a of attr.areas) expect(a.title).toMatch(/^alternative \d+ of \d+ of /);
    }
    await page.close();
  });

  it('the summary of a record drawn four bytes a row is never cut', async () => {
    const h = path.join(dir, 'h.h');
    writeFileSync(h, '#include <stdint.h>\nstruct h { uint16_t a, b, c, d; };\n');
    const items = layoutItems([analyzeHeader(h)]);
    const f = path.join(dir, 'h.svg');
    writeFileSync(f, renderSvg(items));
    const page = await ctx.newPage();
    await page.goto(`file://${f}`);
    const dom = await page.evaluate(readDom);
    checkGeometry(dom, items, 'h');
    checkLabels(dom, 'h');
    const legend = dom[0]!.texts.filter((t) => t.cls === 'legend').map((t) => t.text).join(' · ');
    expect(legend).toBe('8 bytes, align 2 · 4 members · 0 holes (0 bytes) · tail padding 0 bytes · 8 bytes used');
    await page.close();
  });

  it('header text cannot break out of attributes or elements', async () => {
    // a file path is header text the markup shows (doc comments too, once the front end reads them)
    const name = `evil "<b>' &amp <script>window.pwned=4<!--`;
    const evil = path.join(dir, name);
    mkdirSync(evil, { recursive: true });
    const h = path.join(evil, 'x.h');
    writeFileSync(h, '/** </title><script>window.pwned = 1</script><!-- "\' & ]]> */\nstruct x {\n  /** a" onload="window.pwned=2 </text></g><script>window.pwned=3</script> */\n  int a;\n  char b;\n};\n');
    const a = analyzeHeader(h);
    expect(hasErrors(a.diagnostics)).toBe(false);
    const items = layoutItems([a]);
    const page = await ctx.newPage();
    for (const [ext, text] of [['svg', renderSvg(items)], ['html', renderHtml(items)]] as const) {
      const f = path.join(dir, `evil.${ext}`);
      writeFileSync(f, text);
      await page.goto(`file://${f}`);
      expect(await page.evaluate(() => document.getElementsByTagName('parsererror').length)).toBe(0);
      const got = await page.evaluate(() => ({
        pwned: (window as unknown as { pwned?: number }).pwned ?? null,
        scripts: document.querySelectorAll('script').length,
        titles: [...document.querySelectorAll('g.box title')].map((t) => t.textContent),
        where: document.querySelector('text.where')?.textContent ?? '',
      }));
      expect(got.pwned).toBeNull();
      expect(got.scripts).toBe(0);
      expect(got.titles.length).toBe(3); // a, b and the tail padding
      expect(got.where).toContain(name);
      checkGeometry(await page.evaluate(readDom), items, ext);
    }
    await page.close();
  });

  it('screenshot of struct telemetry_record for the README', async () => {
    const items = itemsOf('headers/telemetry.h').filter((i) => i.record.name === 'telemetry_record');
    const f = path.join(dir, 'telemetry_record.svg');
    writeFileSync(f, renderSvg(items));
    const page = await ctx.newPage();
    await page.goto(`file://${f}`);
    const size = await page.evaluate(() => { const r = document.documentElement.getBoundingClientRect(); return { w: Math.ceil(r.width), h: Math.ceil(r.height) }; });
    // Chromium's own capture (CDP): playwright's page.screenshot waits on frames Debian's headless build does not give
    const cdp = await ctx.newCDPSession(page);
    const shot = await cdp.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width: size.w, height: size.h, scale: 1 } });
    const png = Buffer.from(shot.data, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(size.w);
    const out = UPDATE ? path.join(ROOT, 'test/render/golden/telemetry_record.png') : path.join(dir, 'telemetry_record.png');
    writeFileSync(out, png);
    if (UPDATE) writeFileSync(path.join(ROOT, 'test/render/golden/telemetry_record.svg'), renderSvg(items));
    await page.close();
  });

  it.skipIf(!existsSync(BPF))('screenshot of union bpf_attr (its first panels) for the README', async () => {
    const items = itemsOf(BPF).filter((i) => i.record.name === 'bpf_attr');
    const f = path.join(dir, 'bpf_attr.svg');
    writeFileSync(f, renderSvg(items));
    const page = await ctx.newPage();
    await page.goto(`file://${f}`);
    // the title and the first three alternatives
    const size = await page.evaluate(() => {
      const areas = [...document.querySelectorAll('g.area')];
      const r = document.documentElement.getBoundingClientRect();
      return { w: Math.ceil(r.width), h: Math.ceil(areas[2]!.getBoundingClientRect().bottom + 12) };
    });
    const cdp = await ctx.newCDPSession(page);
    const shot = await cdp.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width: size.w, height: size.h, scale: 1 } });
    const png = Buffer.from(shot.data, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size.w, size.h]);
    writeFileSync(UPDATE ? path.join(ROOT, 'test/render/golden/bpf_attr.png') : path.join(dir, 'bpf_attr.png'), png);
    await page.close();
  });
});
