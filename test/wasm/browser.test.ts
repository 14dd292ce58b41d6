/// <reference lib="dom" />
// Views over WebAssembly memory in headless Chromium (Debian's, through playwright-core): shapes.c built for wasm32-wasi
// and wasm64, structgen's modules for shapes.h generated in Node and bundled with page.ts (esbuild) into a page that
// instantiates the module, walks its structures through `R.view(memory, address)` and compares every value with
// what C printed, before and after memory.grow.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrThrow } from '../helpers/generated.js';
import { buildShapes, SHAPES_H, toolsOrSkip, WASM_DIR, type Arch } from './build.js';
import { serve } from '../helpers/serve.js';
import type { PageResult } from './page.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  const msg = `${CHROMIUM} not found: the WebAssembly memory browser test needs Debian's chromium (apt-get install -y chromium)`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`SKIP: ${msg}`);
}
const ARCHS: readonly Arch[] = (['wasm32', 'wasm64'] as const).filter((a) => HAVE_CHROMIUM && toolsOrSkip(a));
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const TARGET: { readonly [a in Arch]: string } = { wasm32: 'wasm32-wasi', wasm64: 'wasm64' };

/** The page: page.ts and both generated modules bundled, the built modules beside it. */
async function page(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-wasm-page-'));
  for (const arch of ARCHS) {
    const files = generateOrThrow([SHAPES_H], { target: TARGET[arch], fields: { 'inventory.scores': { countedBy: 'nscores' } } });
    mkdirSync(path.join(dir, arch));
    for (const f of files) writeFileSync(path.join(dir, arch, f.path), f.contents);
    copyFileSync(buildShapes(arch), path.join(dir, `${arch}.wasm`));
  }
  const entry = [
    `import { runShapes } from ${JSON.stringify(path.join(WASM_DIR, 'page.ts'))};`,
    ...ARCHS.map((a) => `import { roots as ${a} } from './${a}/shapes.js';`),
    `const codecs = { ${ARCHS.join(', ')} };`,
    'window.run = async (arch) => runShapes(arch, await (await fetch(`./${arch}.wasm`)).arrayBuffer(), codecs[arch]);',
  ].join('\n');
  writeFileSync(path.join(dir, 'entry.ts'), entry);
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: [path.join(dir, 'entry.ts')], bundle: true, platform: 'browser', format: 'esm', outfile: path.join(dir, 'page.js'), logLevel: 'silent' });
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>wasm</title><script type="module" src="./page.js"></script>');
  return dir;
}

describe.skipIf(ARCHS.length === 0)('views over WebAssembly memory in Chromium', () => {
  let server: Server | undefined;
  let ctx: import('playwright-core').BrowserContext | undefined;
  let pg: import('playwright-core').Page;
  beforeAll(async () => {
    const s = await serve(await page());
    server = s.server;
    const { chromium } = await import('playwright-core');
    ctx = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'structgen-chromium-profile-')), {
      executablePath: CHROMIUM, headless: true, args: FLAGS,
    });
    pg = await ctx.newPage();
    await pg.goto(s.url);
    await pg.waitForFunction(() => typeof (window as unknown as { run?: unknown }).run === 'function');
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
  });

  for (const arch of ARCHS) {
    it(`${arch}: every value C printed, through the views, before and after memory.grow`, async () => {
      const r = await pg.evaluate((a) => (window as unknown as { run(a: string): Promise<PageResult> }).run(a), arch);
      expect(r.before).toEqual([]);
      expect(r.after).toEqual([]);
      expect(r.compared).toBeGreaterThan(400);
      expect(r.detached).toBe(true);
      expect(r.grownAbove).toBe(true);
    });
  }
});
