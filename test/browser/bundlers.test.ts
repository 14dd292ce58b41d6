/// <reference lib="dom" />
// `import 'structgen/browser'` bundled for the browser by each bundler as a user runs it, with no configuration for
// structgen (no plugin, no external, no alias): plain `esbuild --bundle --platform=browser`, Rollup with only the two
// plugins any Rollup build of npm packages has (@rollup/plugin-node-resolve with `browser: true`, and
// @rollup/plugin-commonjs: Rollup alone resolves no package and reads no CommonJS, and handlebars' runtime is
// CommonJS), webpack's defaults for the web, and `vite build`. Each bundle is served with its assets and loaded in headless Chromium, where it lays out a header
// given as text; the layout must be the one Node computes for the same text. The package is the packed tarball,
// installed with the bundlers in the project test/packaging/install.ts shares.

import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryHost } from '../../generator/core/host.js';
import { layoutHeaders } from '../../generator/pipeline.js';
import { bundlerProject } from '../packaging/install.js';
import { sh } from '../packaging/recipes.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE = existsSync(CHROMIUM);
if (!HAVE) {
  const msg = `${CHROMIUM} not found: the browser bundles are built but not loaded (Debian: apt-get install -y chromium)`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`SKIP: ${msg}`);
}
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const FILES = {
  'inc/hdr.h': '#include <stdint.h>\nstruct hdr { uint16_t kind; uint16_t len; };\n',
  'msg.h': '#include "inc/hdr.h"\nstruct msg { struct hdr h; uint8_t flags : 3; int64_t stamp; char name[6]; };\n',
};
const TARGET = 'i386-linux-gnu';

/** The page's code: lays out msg.h and leaves the records (or the error) in `window.result`. */
const ENTRY = `import { init, layoutHeaders } from 'structgen/browser';
const files = ${JSON.stringify(FILES)};
window.result = init().then(() => {
  const run = layoutHeaders(['msg.h'], { files, target: ${JSON.stringify(TARGET)} });
  return { records: run.report ? run.report.records : null, diagnostics: run.diagnostics.map((d) => d.message) };
}, (e) => ({ error: String(e && e.stack || e) }));
`;

let app = '';
let server: Server;
let base = '';

function serve(dir: string): Promise<{ server: Server; url: string }> {
  const types: { [ext: string]: string } = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
  const s = createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    const f = path.join(dir, path.normalize(rel));
    if (!f.startsWith(dir) || !existsSync(f)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': types[path.extname(f)] ?? 'application/octet-stream' }).end(readFileSync(f));
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => {
    const a = s.address();
    resolve({ server: s, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/` });
  }));
}

/** A page loading `script` (a module or a classic script) from the bundle's folder. */
function page(dir: string, script: string, module: boolean): void {
  writeFileSync(path.join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><title>t</title><script ${module ? 'type="module" ' : ''}src="./${script}"></script>`);
}

/** Where a bundler leaves `new URL('x.wasm', import.meta.url)` as it is (esbuild, Rollup), the two .wasm files are
 * served beside the bundle (the README says so); webpack and Vite emit them as assets themselves. */
function copyWasm(dir: string): void {
  cpSync(path.join(app, '../node_modules/structgen/dist/generator/tree-sitter-c.wasm'), path.join(dir, 'tree-sitter-c.wasm'));
  cpSync(path.join(app, '../node_modules/web-tree-sitter/web-tree-sitter.wasm'), path.join(dir, 'web-tree-sitter.wasm'));
}

beforeAll(async () => {
  const proj = await bundlerProject();
  app = path.join(proj, 'browser-entry');
  mkdirSync(app, { recursive: true });
  writeFileSync(path.join(app, 'entry.js'), ENTRY);
  const s = await serve(app);
  server = s.server;
  base = s.url;
}, 900_000);

afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
});

async function loadInChromium(url: string): Promise<unknown> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    const p = await browser.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(url);
    await p.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, null, { timeout: 30_000 })
      .catch((e: unknown) => { throw new Error(`${String(e)}\npage errors: ${errors.join('\n')}`); });
    return await p.evaluate(() => (window as unknown as { result: Promise<unknown> }).result);
  } finally {
    await browser.close();
  }
}

const expected = () => {
  const run = layoutHeaders(['msg.h'], { target: TARGET, host: memoryHost(FILES) });
  expect(run.diagnostics).toEqual([]);
  return { records: run.report!.records, diagnostics: [] };
};

describe('structgen/browser bundled with no configuration, in headless Chromium', () => {
  it('esbuild --bundle --platform=browser', async () => {
    const out = path.join(app, 'out-esbuild');
    const b = await sh('npx', ['--no-install', 'esbuild', '--bundle', '--platform=browser', '--format=esm', 'entry.js', '--outfile=out-esbuild/main.js', '--log-level=warning'], app);
    expect(b.code, b.out).toBe(0);
    copyWasm(out);
    page(out, 'main.js', true);
    if (!HAVE) return;
    expect(await loadInChromium(`${base}out-esbuild/index.html`)).toEqual(expected());
  }, 120_000);

  it('Rollup with @rollup/plugin-node-resolve and @rollup/plugin-commonjs', async () => {
    const out = path.join(app, 'out-rollup');
    writeFileSync(path.join(app, 'rollup.config.mjs'), "import { nodeResolve } from '@rollup/plugin-node-resolve';\nimport commonjs from '@rollup/plugin-commonjs';\n"
      + "export default { input: 'entry.js', output: { dir: 'out-rollup', format: 'es' }, plugins: [nodeResolve({ browser: true }), commonjs()] };\n");
    const b = await sh('npx', ['--no-install', 'rollup', '-c', 'rollup.config.mjs', '--silent'], app);
    expect(b.code, b.out).toBe(0);
    copyWasm(out);
    page(out, 'entry.js', true);
    if (!HAVE) return;
    expect(await loadInChromium(`${base}out-rollup/index.html`)).toEqual(expected());
  }, 120_000);

  it("webpack's defaults for the web", async () => {
    writeFileSync(path.join(app, 'webpack-build.mjs'), "import webpack from 'webpack';\n"
      + "webpack({ mode: 'production', target: 'web', entry: './entry.js', output: { path: new URL('./out-webpack', import.meta.url).pathname, filename: 'main.js' } }, (err, stats) => {\n"
      + "  if (err) throw err;\n  if (stats.hasErrors()) { console.error(stats.toString('errors-only')); process.exit(1); }\n});\n");
    const b = await sh(process.execPath, ['webpack-build.mjs'], app);
    expect(b.code, b.out).toBe(0);
    const out = path.join(app, 'out-webpack');
    page(out, 'main.js', false);
    if (!HAVE) return;
    expect(await loadInChromium(`${base}out-webpack/index.html`)).toEqual(expected());
  }, 120_000);

  it('vite build', async () => {
    const src = path.join(app, 'vite-src');
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(src, 'entry.js'), ENTRY);
    writeFileSync(path.join(src, 'index.html'), '<!doctype html><meta charset="utf-8"><title>t</title><script type="module" src="./entry.js"></script>');
    const b = await sh('npx', ['--no-install', 'vite', 'build', 'vite-src', '--outDir', '../out-vite', '--emptyOutDir', '--base', './', '--logLevel', 'warn'], app);
    expect(b.code, b.out).toBe(0);
    if (!HAVE) return;
    expect(await loadInChromium(`${base}out-vite/index.html`)).toEqual(expected());
  }, 120_000);
});
