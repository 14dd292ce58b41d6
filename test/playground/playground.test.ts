/// <reference lib="dom" />
// The playground, built with Vite into a temporary folder, served by a tiny static server and driven in headless
// Chromium (Debian's, through playwright-core). A link made here with zlib.deflateSync + base64url (the CONTRACTS.md
// format) restores the page, whose record sizes must be what `layoutHeaders` gives in Node; typing changes the layout;
// a diagnostic moves the caret; a file picked in the page is decoded as the Node interpreter decodes it; the generated
// module is Node's. Also measures edit-to-rendered-layout times and the built site's size, and takes the README's
// screenshot (written to playground/screenshot.png only under STRUCTGEN_UPDATE_GOLDEN=1).

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { deflateSync, gzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryHost } from '../../generator/core/host.js';
import { Interpreter } from '../../generator/decode/interpret.js';
import { dumpRecord } from '../../generator/decode/dump.js';
import { recordJson } from '../../generator/decode/present.js';
import { analyzeHeader, generateModules, layoutHeaders, type PipelineOptions } from '../../generator/pipeline.js';
import { planModules } from '../../generator/plan/plan.js';
import { decodeFragment } from '../../playground/src/share.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE = existsSync(CHROMIUM);
const ROOT = path.resolve(__dirname, '../..');
const UPDATE = !!process.env.STRUCTGEN_UPDATE_GOLDEN;
if (!HAVE) {
  const msg = `${CHROMIUM} not found: the playground test needs Debian's chromium (apt-get install -y chromium)`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`SKIP: ${msg}`);
}
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const run = promisify(execFile);

/** A playground link's fragment, made the way CONTRACTS.md says: zlib deflate, base64url, no padding. */
function fragment(header: string, target: string, extra = ''): string {
  return `#t=${target}&h=${deflateSync(Buffer.from(header, 'utf8')).toString('base64url')}${extra}`;
}

function serve(dir: string): Promise<{ server: Server; url: string }> {
  const types: { [ext: string]: string } = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };
  const server = createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const f = path.join(dir, path.normalize(rel));
    if (!f.startsWith(dir) || !existsSync(f) || !statSync(f).isFile()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': types[path.extname(f)] ?? 'application/octet-stream' }).end(readFileSync(f));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/` });
  }));
}

const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));

/** A header of about `lines` lines: many records of mixed members, bit-fields and nesting. */
function bigHeader(lines: number): string {
  const out = ['#include <stdint.h>', ''];
  for (let i = 0; out.length < lines; i++) {
    out.push(`struct rec${i} {`, '  uint8_t tag;', '  uint32_t id;', '  unsigned a : 3, b : 9;', '  int16_t pt[3];',
      `  struct { char c; double d; } inner;`, '  uint64_t when;', '  char name[7];', '};', '');
  }
  return out.join('\n');
}

type Stats = { runs: number; pipelineMs: number; renderMs: number; editToRenderMs: number; readyMs: number };
/** What the page exposes of its editor (playground/src/editor.ts). */
type Editor = import('../../playground/src/editor.js').HeaderEditor;
type EditorWindow = { playgroundEditor: Editor };

describe.skipIf(!HAVE)('the playground in headless Chromium', () => {
  type Ctx = import('playwright-core').BrowserContext;
  type Page = import('playwright-core').Page;
  let ctx: Ctx;
  let server: Server;
  let url = '';
  let dist = '';

  beforeAll(async () => {
    dist = mkdtempSync(path.join(os.tmpdir(), 'structgen-playground-'));
    const t0 = Date.now();
    await run(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'playground', '--outDir', dist, '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT });
    console.log(`playground: vite build in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const s = await serve(dist);
    server = s.server;
    url = s.url;
    const { chromium } = await import('playwright-core');
    ctx = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'structgen-chromium-profile-')), {
      executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 760 },
    });
  });
  afterAll(async () => {
    await ctx?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
  });

  async function open(frag: string): Promise<Page> {
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url + frag);
    await page.waitForFunction(() => document.body.dataset.ready === 'true' || document.querySelector('.status.error'), undefined, { timeout: 30_000 });
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => document.body.dataset.ready)).toBe('true');
    return page;
  }

  const shown = (page: Page) => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('pre.record')]
    .map((e) => ({ name: e.dataset.name!, size: Number(e.dataset.size), align: Number(e.dataset.align) })));
  const runs = (page: Page) => page.evaluate(() => Number(document.body.dataset.runs));
  const stats = (page: Page) => page.evaluate(() => ({ ...(window as unknown as { playground: Stats }).playground }));
  /** Replaces the editor's text as a paste does (playwright's fill types large texts slowly), and waits for the run. */
  async function edit(page: Page, text: string): Promise<void> {
    const before = await runs(page);
    await page.evaluate((t) => (window as unknown as EditorWindow).playgroundEditor.setText(t, 'input.paste'), text);
    await page.waitForFunction((n) => Number(document.body.dataset.runs) > n, before);
  }
  function nodeLayout(header: string, opts: PipelineOptions) {
    const r = layoutHeaders(['input.h'], { ...opts, host: memoryHost({ 'input.h': header }) });
    return r.report!.records.map((x) => ({ name: x.name, size: x.size, align: x.align }));
  }

  it('is a static site: relative asset paths, no remote URL, the wasm files bundled', () => {
    const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const all = files(dist).map((f) => path.relative(dist, f));
    expect(all.filter((f) => f.endsWith('.wasm')).length).toBe(2);
    const size = (re: RegExp) => files(dist).filter((f) => re.test(f)).reduce((n, f) => {
      const b = readFileSync(f);
      return { raw: n.raw + b.length, gz: n.gz + gzipSync(b, { level: 9 }).length };
    }, { raw: 0, gz: 0 });
    const js = size(/\.js$/);
    const wasm = size(/\.wasm$/);
    console.log(`playground: site JS ${(js.raw / 1024).toFixed(0)} KiB (${(js.gz / 1024).toFixed(0)} KiB gzipped), wasm ${(wasm.raw / 1024).toFixed(0)} KiB (${(wasm.gz / 1024).toFixed(0)} KiB gzipped)`);
    expect(js.gz).toBeGreaterThan(0);
  });

  it('a link made in Node restores the page, which shows the sizes layoutHeaders gives', async () => {
    const header = readFileSync(path.join(ROOT, 'headers/wave.h'), 'utf8')
      + '\nenum small { S_A, S_B };\nstruct tagged { char c; enum small e; unsigned bits : 5; };\n';
    const target = 'powerpc-linux-gnu';
    const page = await open(fragment(header, target, '&shortEnums=1'));
    expect(await page.evaluate(() => [(document.getElementById('target') as HTMLSelectElement).value,
      (document.getElementById('shortEnums') as HTMLInputElement).checked, (window as unknown as EditorWindow).playgroundEditor.text()]))
      .toEqual([target, true, header]);
    const got = await shown(page);
    expect(got.length).toBeGreaterThan(2);
    expect(got).toEqual(nodeLayout(header, { target, shortEnums: true }));
    // -fshort-enums matters here, so the option really was read from the link
    expect(nodeLayout(header, { target })).not.toEqual(got);
    // the page writes its state back in the same format: zlib reads it, and so does share.ts
    await page.waitForFunction(() => location.hash.includes('h='));
    const hash = await page.evaluate(() => location.hash);
    const h = new URLSearchParams(hash.slice(1)).get('h')!;
    expect(h).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(inflateSync(Buffer.from(h, 'base64url')).toString('utf8')).toBe(header);
    expect(await decodeFragment(hash)).toEqual({ target, header, shortEnums: true });
    await page.close();
  });

  it('typing changes the layout, diagnostics move the caret, the TypeScript is Node\'s', async () => {
    const page = await open(fragment('struct a { char c; };\n', 'x86_64-linux-gnu'));
    expect(await shown(page)).toEqual([{ name: 'a', size: 1, align: 1 }]);
    // type at the end, key by key, as a person does
    await page.locator('#editor .cm-content').click();
    await page.keyboard.press('Control+End');
    const before = await runs(page);
    await page.keyboard.type('struct b { char c; double d; int i; };\n');
    await page.waitForFunction((n) => Number(document.body.dataset.runs) > n && !!document.querySelector('pre.record[data-name="b"]'), before);
    // (the editor closes brackets as they are typed and skips the typed closing one: the text is what was typed)
    const typed = await page.evaluate(() => (window as unknown as EditorWindow).playgroundEditor.text());
    expect(typed.replace(/[ \t]+$/gm, '')).toBe('struct a { char c; };\nstruct b { char c; double d; int i; };\n');
    expect(await shown(page)).toEqual(nodeLayout(typed, {}));
    expect(await page.locator('pre.record[data-name="b"] mark.hole').count()).toBeGreaterThan(0);
    // an error: the diagnostic names its line and column, and clicking it puts the caret there
    const bad = 'struct ok { int x; };\nstruct bad {\n  int a;\n  mystery_t b;\n};\n';
    await edit(page, bad);
    await page.locator('button[data-tab="diagnostics"]').click();
    const li = page.locator('#diagnostics li.error').first();
    const [line, col] = (await li.evaluate((e) => [Number((e as HTMLElement).dataset.line), Number((e as HTMLElement).dataset.col)]));
    expect(line).toBe(4);
    await li.click();
    const caret = await page.evaluate(() => (window as unknown as EditorWindow).playgroundEditor.caret());
    // and the editor marks it in the text
    expect(await page.locator('#editor .cm-lintRange-error').count()).toBeGreaterThan(0);
    const lines = bad.split('\n');
    expect(caret).toBe(lines.slice(0, line - 1).join('\n').length + 1 + col - 1);
    // the generated module
    const header = readFileSync(path.join(ROOT, 'headers/telemetry.h'), 'utf8');
    await edit(page, header);
    await page.locator('button[data-tab="ts"]').click();
    const ts = await page.locator('#ts').textContent();
    const node = generateModules(['input.h'], { host: memoryHost({ 'input.h': header }) });
    expect(ts).toBe(node.files.find((f) => f.path === 'input.ts')!.contents);
    await page.close();
  });

  it('decodes a file picked in the page as the Node interpreter does, offline and with no request', async () => {
    const header = '#include <stdint.h>\nstruct hdr { uint32_t magic; uint16_t version; uint8_t flags : 3; char name[6]; int64_t stamp; };\n';
    const target = 'powerpc-linux-gnu'; // big-endian
    const page = await open(fragment(header, target));
    // nothing leaves the page once it is loaded: no request at all, and it works offline
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await ctx.setOffline(true);
    try {
      await page.locator('button[data-tab="decode"]').click();
      const bytes = Buffer.alloc(64);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 0xff;
      bytes.write('wave\0', 8 + 7, 'latin1');
      await page.locator('#file').setInputFiles({ name: 'sample.bin', mimeType: 'application/octet-stream', buffer: bytes });
      await page.locator('#offset').fill('8');
      await page.waitForFunction(() => (document.getElementById('decoded-json')!.textContent ?? '').startsWith('{'));
      const json = JSON.parse((await page.locator('#decoded-json').textContent())!);
      const dump = await page.locator('#dump').textContent();
      const a = analyzeHeader('input.h', { target, host: memoryHost({ 'input.h': header }) });
      const ip = new Interpreter(planModules([a.facts!]));
      const rp = ip.find('hdr')[0]!;
      const v = ip.decode(rp, new Uint8Array(bytes), 8);
      expect(json).toEqual(recordJson(ip, rp, v));
      expect(json.name).toBe('wave'); // name[] follows the bit-field's byte: record byte 7, file byte 15
      expect(dump).toBe(dumpRecord(ip, rp, v, new Uint8Array(bytes), 8));
      // past the end: the interpreter's bounds error, not a crash
      await page.locator('#offset').fill('60');
      await page.waitForFunction(() => !(document.getElementById('decoded-json')!.textContent ?? '').startsWith('{'));
      expect(await page.locator('#decoded-json').textContent()).toMatch(/hdr/);
      // and the layout still follows edits, offline
      await edit(page, `${header}struct more { char c; double d; };\n`);
      expect((await shown(page)).map((r) => r.name)).toEqual(['hdr', 'more']);
      expect(requests).toEqual([]);
    } finally {
      await ctx.setOffline(false);
    }
    await page.close();
  });

  it('the Picture tab draws huge arrays at once, in a picture of a few rows', async () => {
    for (const n of ['1 << 20', '1 << 24', '1ULL << 36']) {
      const page = await open(fragment(`struct s { char a[${n}]; int after; };\n`, 'x86_64-linux-gnu'));
      await page.locator('button[data-tab="picture"]').click();
      await page.waitForFunction(() => !!document.querySelector('#picture svg g.record'));
      const got = await page.evaluate(() => ({
        bytes: document.getElementById('picture')!.innerHTML.length,
        elided: [...document.querySelectorAll('#picture rect.elided')].map((r) => Number(r.getAttribute('data-rows'))),
        labels: [...document.querySelectorAll('#picture text.label')].map((t) => t.textContent),
      }));
      expect(got.bytes, n).toBeLessThan(20_000);
      expect(got.elided.length, n).toBe(1);
      expect(got.elided[0]!, n).toBeGreaterThan(200_000);
      expect(got.labels, n).toEqual(['a', 'after']);
      await page.close();
    }
  });

  it('lays out as you type: edit-to-rendered-layout times; the README screenshot', async () => {
    const page = await open('');
    const times: string[] = [`first layout on screen ${(await stats(page)).readyMs.toFixed(0)} ms after navigation (served from this machine, wasm compiled)`];
    const examples = readdirSync(path.join(ROOT, 'headers')).filter((f) => f.endsWith('.h')).sort();
    for (const h of [...examples.map((f) => `headers/${f}`), 'a 2,000-line header']) {
      const text = h.startsWith('headers/') ? readFileSync(path.join(ROOT, h), 'utf8') : bigHeader(2000);
      // paste it, then the measured edit: one key pressed at the end
      await edit(page, text);
      await page.evaluate(() => { const e = (window as unknown as EditorWindow).playgroundEditor; e.view.focus(); e.view.dispatch({ selection: { anchor: e.view.state.doc.length } }); });
      const before = await runs(page);
      await page.keyboard.press('Enter');
      await page.waitForFunction((n) => Number(document.body.dataset.runs) > n, before);
      const s = await stats(page);
      times.push(`${h} (${text.split('\n').length} lines): pipeline ${s.pipelineMs.toFixed(1)} ms + drawing ${s.renderMs.toFixed(1)} ms; edit to rendered layout ${s.editToRenderMs.toFixed(0)} ms (with the 120 ms debounce)`);
      expect((await shown(page)).length).toBeGreaterThan(0);
      expect(s.editToRenderMs).toBeGreaterThanOrEqual(s.pipelineMs);
    }
    console.log(`playground:\n  ${times.join('\n  ')}`);
    expect((await shown(page)).length).toBeGreaterThan(150);
    await page.close();
    // the README's screenshot: telemetry.h, picture tab
    const shotPage = await open(fragment(readFileSync(path.join(ROOT, 'headers/telemetry.h'), 'utf8'), 'x86_64-linux-gnu'));
    await shotPage.locator('button[data-tab="picture"]').click();
    await shotPage.waitForFunction(() => !!document.querySelector('#picture svg'));
    // Chromium's own capture (CDP): playwright's page.screenshot waits on frames Debian's headless build does not give
    const cdp = await ctx.newCDPSession(shotPage);
    const shot = await cdp.send('Page.captureScreenshot', { format: 'png', clip: { x: 0, y: 0, width: 1280, height: 760, scale: 1 } });
    const png = Buffer.from(shot.data, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    writeFileSync(UPDATE ? path.join(ROOT, 'playground/screenshot.png') : path.join(dist, 'screenshot.png'), png);
    await shotPage.close();
  });
});
