/// <reference lib="dom" />
// `structgen/browser` in a real headless Chromium: generator/browser.ts is bundled for the browser with esbuild (the
// bundle fails this test if any Node built-in is imported from structgen's own code; web-tree-sitter's are inside its
// `ENVIRONMENT_IS_NODE` branches and stay external), served with both .wasm files beside it (so `init()` runs with its
// defaults), and driven with playwright-core. Layouts of headers given as text, for the host's target and a foreign
// one, must be what `layoutHeaders` gives in Node for the same text; a module generated in the page must be the one
// Node generates.

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { builtinModules, createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryHost } from '../../generator/core/host.js';
import { analyzeHeader, generateModules, layoutHeaders, type LayoutReport } from '../../generator/pipeline.js';
import { layoutItems, renderView } from '../../generator/render/views.js';
import { serve } from '../helpers/serve.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE = existsSync(CHROMIUM);
const ROOT = path.resolve(__dirname, '../..');
const require = createRequire(import.meta.url);
if (!HAVE) {
  const msg = `${CHROMIUM} not found: the browser-entry test needs Debian's chromium (apt-get install -y chromium)`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`SKIP: ${msg}`);
}
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Bundled { dir: string; nodeImports: string[]; bytes: number }

/** generator/browser.ts bundled for the browser; Node built-ins imported on the way are listed with their importer. */
async function bundle(): Promise<Bundled> {
  const esbuild = await import('esbuild');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-browser-entry-'));
  const nodeImports: string[] = [];
  const builtins = new Set(builtinModules);
  const r = await esbuild.build({
    entryPoints: { browser: path.join(ROOT, 'generator/browser.ts') }, bundle: true, platform: 'browser', format: 'esm',
    outdir: dir, write: true, logLevel: 'silent', metafile: true,
    plugins: [{
      name: 'node-builtins',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (a) => {
          const bare = a.path.replace(/^node:/, '');
          if (!a.path.startsWith('node:') && !builtins.has(bare) && !builtins.has(bare.split('/')[0]!)) return undefined;
          nodeImports.push(`${a.path} from ${path.relative(ROOT, a.importer)}`);
          return { path: a.path, external: true };
        });
      },
    }],
  });
  copyFileSync(require.resolve('tree-sitter-c/tree-sitter-c.wasm'), path.join(dir, 'tree-sitter-c.wasm'));
  copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(dir, 'web-tree-sitter.wasm'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>entry</title>'
    + '<script type="module">import * as sg from "./browser.js"; window.sg = sg; window.loaded = sg.init().then(() => "ok", (e) => String(e));</script>');
  const bytes = Object.values(r.metafile!.outputs).reduce((n, o) => n + o.bytes, 0);
  return { dir, nodeImports, bytes };
}

/** A header that exercises includes through the map, bit-fields, unions, anonymous members, flexible arrays, enums
 * and `#define` constants. */
const FILES: { [p: string]: string } = {
  'inc/common.h': '#include <stdint.h>\nenum kind { K_A = 1, K_B = 300 };\nstruct pt { int16_t x, y; };\n',
  'msg.h': [
    '#include "inc/common.h"',
    '#include <stdbool.h>',
    '#define MAGIC 0x5347u',
    'struct msg {',
    '  uint8_t tag;',
    '  enum kind kind;',
    '  unsigned a : 3, b : 7;',
    '  long long when;',
    '  union { uint32_t word; uint8_t bytes[4]; };',
    '  struct pt at[2];',
    '  bool ok;',
    '  char name[5];',
    '  double ratio;',
    '  uint16_t n;',
    '  uint8_t tail[];',
    '};',
    'typedef struct { char c; short s; } small_t;',
    '',
  ].join('\n'),
};

/** Every header of headers/ too, by the same paths, read from disk in Node and from the map in the page. */
const EXAMPLES = readdirSync(path.join(ROOT, 'headers')).filter((f) => f.endsWith('.h')).sort().map((f) => `headers/${f}`);
for (const h of EXAMPLES) FILES[h] = readFileSync(path.join(ROOT, h), 'utf8');

const shape = (rep: LayoutReport) => rep.records.map((r) => ({
  name: r.name, size: r.size, align: r.align, fields: r.fields.map((f) => [f.path, f.bitOffset, f.bitSize]),
}));

describe.skipIf(!HAVE)('structgen/browser in headless Chromium', () => {
  type Page = import('playwright-core').Page;
  type Ctx = import('playwright-core').BrowserContext;
  let ctx: Ctx;
  let page: Page;
  let server: Server;
  let built: Bundled;

  beforeAll(async () => {
    built = await bundle();
    const s = await serve(built.dir);
    server = s.server;
    const { chromium } = await import('playwright-core');
    ctx = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'structgen-chromium-profile-')), {
      executablePath: CHROMIUM, headless: true, args: FLAGS,
    });
    page = await ctx.newPage();
    await page.goto(s.url);
    expect(await page.evaluate(() => (window as unknown as { loaded: Promise<string> }).loaded)).toBe('ok');
  });
  afterAll(async () => {
    await ctx?.close();
    await new Promise((r) => server ? server.close(r) : r(undefined));
  });

  it('imports no Node built-in from structgen itself', () => {
    const ours = built.nodeImports.filter((s) => !s.includes('node_modules/web-tree-sitter/'));
    expect(ours).toEqual([]);
    // and the guard sees them: web-tree-sitter's Node-only branch does import some
    expect(built.nodeImports.length).toBeGreaterThan(0);
    expect(built.bytes).toBeGreaterThan(100_000);
  });

  for (const target of ['x86_64-linux-gnu', 'powerpc-linux-gnu']) {
    it(`lays out headers given as text as Node does (${target})`, async () => {
      const headers = ['msg.h', ...EXAMPLES];
      const got = await page.evaluate(([files, hs, t]) => {
        const sg = (window as unknown as { sg: typeof import('../../generator/browser.js') }).sg;
        const run = sg.layoutHeaders(hs, { files, target: t });
        return { report: run.report, diagnostics: run.diagnostics.map(sg.formatDiagnostic) };
      }, [FILES, headers, target] as const);
      expect(got.diagnostics).toEqual([]);
      // Node: the same text from a memory host, and the example headers from disk (system <stdint.h> for the host's own
      // target, so there only sizes and offsets are compared)
      const fromMap = layoutHeaders(headers, { target, host: memoryHost(FILES) });
      const fromDisk = layoutHeaders(EXAMPLES, { target });
      expect(fromMap.diagnostics).toEqual([]);
      expect(got.report).toEqual(fromMap.report);
      expect(got.report!.records.length).toBeGreaterThan(12);
      const exampleNames = new Set(fromDisk.report!.records.map((r) => r.name));
      expect(shape(got.report!).filter((r) => exampleNames.has(r.name))).toEqual(shape(fromDisk.report!));
    });
  }

  it('generates the module Node generates, and the views and the interpreter run in the page', async () => {
    const target = 'aarch64-linux-gnu';
    const got = await page.evaluate(([files, t]) => {
      const sg = (window as unknown as { sg: typeof import('../../generator/browser.js') }).sg;
      const run = sg.generateModules(['msg.h'], { files, target: t });
      const a = sg.analyzeHeader('msg.h', { files, target: t });
      const items = sg.layoutItems([a]);
      const { interpreter: ip } = sg.interpreterFor([a]);
      const rp = ip.find('small_t')[0]!;
      const bytes = new Uint8Array([0x41, 0, 0x34, 0x12]);
      return {
        files: run.files.map((f) => ({ path: f.path, contents: f.contents })),
        diagnostics: run.diagnostics.map(sg.formatDiagnostic),
        text: sg.renderView(items, 'text'),
        svg: sg.renderView(items, 'svg'),
        value: sg.recordJson(ip, rp, ip.decode(rp, bytes, 0)),
      };
    }, [FILES, target] as const);
    const node = generateModules(['msg.h'], { target, host: memoryHost(FILES) });
    expect(got.diagnostics).toEqual([]);
    expect(got.files.map((f) => f.path).sort()).toEqual(node.files.map((f) => f.path).sort());
    for (const f of node.files) expect(got.files.find((g) => g.path === f.path)?.contents, f.path).toBe(f.contents);
    expect(got.files.find((f) => f.path === 'msg.ts')?.contents).toMatch(/^(?:export const )?MAGIC = /m);
    const items = layoutItems([analyzeHeader('msg.h', { target, host: memoryHost(FILES) })]);
    expect(got.text).toMatch(/struct msg/);
    expect(got.text).toBe(renderView(items, 'text'));
    expect(got.svg).toBe(renderView(items, 'svg'));
    expect(got.value).toEqual({ c: 0x41, s: 0x1234 }); // aarch64 is little-endian; `short` at offset 2
  });

  it('reports errors with their positions', async () => {
    const got = await page.evaluate(() => {
      const sg = (window as unknown as { sg: typeof import('../../generator/browser.js') }).sg;
      return sg.layoutHeaders(['bad.h'], { files: { 'bad.h': 'struct s {\n  int a\n  missing_t b;\n};\n' } }).diagnostics
        .map((d) => ({ sev: d.severity, line: d.pos?.line ?? null }));
    });
    expect(got.some((d) => d.sev === 'error' && d.line !== null && d.line >= 2)).toBe(true);
  });
});
