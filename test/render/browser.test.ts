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
import { renderSvg } from '../../generator/render/svg.js';

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
interface DomRecord { name: string; rowBytes: number; grid: Seg; rows: Seg[]; boxes: DomBox[] }

/** What the page shows, read from the DOM in the browser. */
function readDom(): DomRecord[] {
  const rect = (e: Element) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; };
  return [...document.querySelectorAll('g.record')].map((g) => ({
    name: g.getAttribute('data-name')!,
    rowBytes: Number(g.getAttribute('data-row-bytes')),
    grid: rect(g.querySelector('rect.grid')!),
    rows: [...g.querySelectorAll('rect.row')].map(rect),
    boxes: [...g.querySelectorAll('g.box')].map((b) => ({
      path: b.getAttribute('data-path')!, kind: b.getAttribute('data-kind')!,
      bitOffset: Number(b.getAttribute('data-bit-offset')), bitSize: Number(b.getAttribute('data-bit-size')),
      segs: [...b.querySelectorAll('rect.seg')].map(rect),
    })),
  }));
}

/** Checks each record drawn against the layout report of the same record. */
function checkGeometry(dom: DomRecord[], items: readonly RecordItem[], label: string): number {
  expect(dom.map((d) => d.name), label).toEqual(items.map((i) => i.record.name));
  let checked = 0;
  dom.forEach((d, k) => {
    const { program, record } = items[k]!;
    const rep = reportRecord(program, record);
    const rowBits = d.rowBytes * 8;
    expect(d.rowBytes, `${label} ${d.name}`).toBe(record.align >= 8 ? 8 : 4);
    expect(d.rows.length).toBe(Math.max(1, Math.ceil(record.size / d.rowBytes)));
    const bitW = d.grid.w / rowBits;
    const rowOf = (y: number) => d.rows.findIndex((r) => y >= r.y - 0.5 && y <= r.y + r.h + 0.5);
    for (const f of rep.fields) {
      const boxes = d.boxes.filter((b) => b.path === f.path && b.kind !== 'padding');
      const where = `${label} ${d.name}.${f.path}`;
      expect(boxes.length, `${where}: one box`).toBe(1);
      const b = boxes[0]!;
      expect([b.bitOffset, b.bitSize], where).toEqual([f.bitOffset, f.bitSize]);
      expect(b.segs.length, where).toBeGreaterThan(0);
      if (f.bitSize === 0) {
        // a flexible array: a marker at its offset (the end of the last row when it starts a row past the record)
        const s = b.segs[0]!;
        const row = rowOf(s.y + s.h / 2);
        const col = Math.round((s.x + s.w / 2 - d.grid.x) / bitW);
        expect(row * rowBits + col, where).toBe(f.bitOffset);
        checked++;
        continue;
      }
      // the pieces, in reading order, cover exactly the member's bits, each inside its row's band
      const bits = b.segs.map((s): [number, number] => {
        const row = rowOf(s.y + s.h / 2);
        expect(row, `${where}: piece inside a row`).toBeGreaterThanOrEqual(0);
        const band = d.rows[row]!;
        expect(s.y, where).toBeGreaterThanOrEqual(band.y - 0.5);
        expect(s.y + s.h, where).toBeLessThanOrEqual(band.y + band.h + 0.5);
        return [row * rowBits + Math.round((s.x - d.grid.x) / bitW), row * rowBits + Math.round((s.x + s.w - d.grid.x) / bitW)];
      }).sort((x, y) => x[0] - y[0]);
      expect(bits[0]![0], where).toBe(f.bitOffset);
      for (let i = 1; i < bits.length; i++) expect(bits[i]![0], where).toBe(bits[i - 1]![1]);
      expect(bits[bits.length - 1]![1], where).toBe(f.bitOffset + f.bitSize);
      checked++;
    }
    // padding boxes are where the record has unused bits, and no member box of the top level overlaps one
    for (const p of d.boxes.filter((x) => x.kind === 'padding')) {
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
      const n = checkGeometry(await page.evaluate(readDom), items, `svg ${target}`);
      const htmlFile = path.join(dir, `all-${target}.html`);
      writeFileSync(htmlFile, renderHtml(items));
      await page.goto(`file://${htmlFile}`);
      const m = checkGeometry(await page.evaluate(readDom), items, `html ${target}`);
      expect(m).toBe(n);
      expect(n).toBeGreaterThan(150);
      await page.close();
    });
  }

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
});
