// The bundler plugin as users get it: the packed tarball installed into a throw-away project with Vite, esbuild,
// Rollup and webpack (test/packaging/install.ts, shared with the other test files that need it), the README's
// recipes as the build configs, a header imported by the source. Every recipe builds twice: with no `typescript`
// package installed at all, and beside `typescript@latest` (7.x, which has no classic compiler API): nothing the
// plugin runs may need it. The bundles decode bytes that gcc wrote from the same header (a C program fills the struct
// and writes it out), in Node and, for Vite, in headless Chromium, and import the header again as
// `./msg.h?target=i386-linux-gnu` (its size as clang has it); a header error fails the build at its place; the user's
// own tsc (TypeScript 7) type-checks `import './msg.h'` with the declarations the plugin wrote, also in a fresh
// checkout that follows the README (generation in `prepare`, then `tsc && vite build`); `vite build --watch` rebuilds
// when an included header changes.
//
// Needs dist/ built (`npm run build`, as `npm test` does): the tarball packs it.

import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundlerProject, typescriptLatest } from '../packaging/install.js';
import { recipe, sh } from '../packaging/recipes.js';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  const msg = `${CHROMIUM} not found: the Vite bundle is run in Node only (Debian: apt-get install -y chromium)`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`SKIP: ${msg}`);
}
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const COMMON = '#include <stdint.h>\nstruct common_hdr { uint16_t kind; uint16_t len; };\n';
const MSG = `#include "common.h"
#define MSG_MAGIC 0x4d53
enum msg_kind { MSG_PING = 1, MSG_DATA = 2 };
struct msg { struct common_hdr hdr; uint8_t flags : 3; uint8_t prio : 5; uint32_t seq; int64_t stamp; char name[6]; };
`;
/** Fills a struct msg as C lays it out and writes its bytes to argv[1]. */
const FILL = `#include <stdio.h>
#include <string.h>
#include "msg.h"
int main(int argc, char **argv) {
  struct msg m; memset(&m, 0, sizeof m);
  m.hdr.kind = MSG_DATA; m.hdr.len = sizeof m; m.flags = 5; m.prio = 19; m.seq = 3000000000u; m.stamp = -1234567890123LL;
  memcpy(m.name, "abc", 3);
  FILE *f = fopen(argv[1], "wb"); fwrite(&m, sizeof m, 1, f); fclose(f);
  printf("%zu\\n", sizeof m);
  return 0;
}
`;
/** What the bundles print for those bytes. */
const EXPECTED = { hdr: { kind: 2, len: 32 }, flags: 5, prio: 19, seq: 3000000000, stamp: '-1234567890123', magic: 0x4d53, size: 32, sizeI386: 28 };

/** The source the bundles are built from: `run(bytes)` decodes them and returns plain JSON data. */
const MAIN = `import { msg, msg_kind, MSG_MAGIC } from '../include/msg.h';
import { msg as msgI386 } from '../include/msg.h?target=i386-linux-gnu';
export function run(bytes) {
  const m = msg.decode(bytes);
  if (m.hdr.kind !== msg_kind.MSG_DATA) throw new Error('kind');
  return { hdr: m.hdr, flags: m.flags, prio: m.prio, seq: m.seq, stamp: String(m.stamp), magic: MSG_MAGIC, size: msg.size, sizeI386: msgI386.size };
}
`;

/** The app without TypeScript (in the shared project) and the same app beside typescript@latest. */
let proj = '';
let withTs = '';
let bytes: Buffer;

async function node(file: string, code: string, cwd = proj): Promise<string> {
  writeFileSync(path.join(cwd, file), code);
  return (await run(process.execPath, [file], { cwd })).stdout.trim();
}

/** Runs a built ES module bundle's `run` in Node on the gcc-written bytes. */
const runBundle = (bundle: string, cwd = proj) => node(`run-${path.basename(path.dirname(bundle))}-${path.basename(bundle)}.mjs`,
  `import { readFileSync } from 'node:fs';\nimport { run } from ${JSON.stringify(bundle)};\nconsole.log(JSON.stringify(run(readFileSync('msg.bin'))));\n`, cwd);

/** The app's sources in `dir`: the headers, the source importing them, the bytes gcc wrote. */
async function makeApp(dir: string): Promise<void> {
  mkdirSync(path.join(dir, 'include'), { recursive: true });
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(path.join(dir, 'include/common.h'), COMMON);
  writeFileSync(path.join(dir, 'include/msg.h'), MSG);
  writeFileSync(path.join(dir, 'src/main.js'), MAIN);
  writeFileSync(path.join(dir, 'fill.c'), FILL);
  await run('gcc', ['-Iinclude', '-o', 'fill', 'fill.c'], { cwd: dir });
  const size = (await run('./fill', ['msg.bin'], { cwd: dir })).stdout.trim();
  expect(Number(size)).toBe(EXPECTED.size);
}

beforeAll(async () => {
  proj = path.join(await bundlerProject(), 'plugin-app');
  await makeApp(proj);
  // the size the query's target gives (int64_t is 4-byte aligned on i386), as clang has it
  writeFileSync(path.join(proj, 'i386.c'), `#include "msg.h"\n_Static_assert(sizeof(struct msg) == ${EXPECTED.sizeI386}, "i386 size");\n`);
  await run('clang-16', ['--target=i386-linux-gnu', '-ffreestanding', '-fsyntax-only', '-Iinclude', 'i386.c'], { cwd: proj });
  bytes = readFileSync(path.join(proj, 'msg.bin'));
  // the point of the variant: from where structgen's plugin and CLI run, no `typescript` resolves at all
  const plugin = path.join(proj, '../node_modules/structgen/dist/generator/plugin/core.js');
  expect(existsSync(plugin)).toBe(true);
  for (const from of [plugin, path.join(proj, 'x.js')]) expect(() => createRequire(from).resolve('typescript'), from).toThrow(/Cannot find module 'typescript'/);
  withTs = path.join(await typescriptLatest(), 'plugin-app');
  await makeApp(withTs);
  expect(JSON.parse(readFileSync(path.join(withTs, '../node_modules/typescript/package.json'), 'utf8')).version).toMatch(/^[7-9]\./);
}, 900_000);

/** The Vite recipe built as a library (one ES module exporting `run`). */
function viteConfig(outDir: string): string {
  return recipe('vite-config').replace('plugins: [', `build: { outDir: ${JSON.stringify(outDir)}, minify: false, lib: { entry: 'src/main.js', formats: ['es'], fileName: 'main' } },\n  plugins: [`);
}

const VARIANTS: ReadonlyArray<[string, () => string]> = [['no typescript installed', () => proj], ['typescript@latest installed', () => withTs]];

describe.each(VARIANTS)('the README recipes build, %s', (_what, app) => {
  it('vite builds the README recipe; the bundle decodes what gcc wrote, in Node and in Chromium; writes msg.h.d.ts', async () => {
    const dir = app();
    writeFileSync(path.join(dir, 'vite.config.mjs'), viteConfig('dist-vite'));
    const b = await sh('npx', ['--no-install', 'vite', 'build'], dir);
    expect(b.code, b.out).toBe(0);
    const bundle = path.join(dir, 'dist-vite/main.js');
    const text = readFileSync(bundle, 'utf8');
    // one runtime, no TypeScript left, no import left to resolve at run time
    expect(text.match(/class DecodeError/g)?.length).toBe(1);
    expect(text).not.toMatch(/^import /m);
    expect(JSON.parse(await runBundle('./dist-vite/main.js', dir))).toEqual(EXPECTED);
    expect(readFileSync(path.join(dir, 'include/msg.h.d.ts'), 'utf8')).toMatch(/export interface msg \{/);

    if (!HAVE_CHROMIUM) return;
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    try {
      const page = await browser.newPage();
      await page.setContent('<!doctype html><title>t</title>');
      await page.addScriptTag({ type: 'module', content: `${text}\nwindow.__out = run(new Uint8Array(${JSON.stringify([...bytes])}));\n` });
      await page.waitForFunction(() => (window as unknown as { __out?: unknown }).__out !== undefined, null, { timeout: 20_000 });
      expect(await page.evaluate(() => (window as unknown as { __out: unknown }).__out)).toEqual(EXPECTED);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('rollup builds the README recipe; the bundle decodes what gcc wrote', async () => {
    const dir = app();
    writeFileSync(path.join(dir, 'rollup.config.mjs'), recipe('rollup-config').replace("'dist/main.js'", "'dist-rollup/main.js'"));
    const b = await sh('npx', ['--no-install', 'rollup', '-c', 'rollup.config.mjs'], dir);
    expect(b.code, b.out).toBe(0);
    expect(JSON.parse(await runBundle('./dist-rollup/main.js', dir))).toEqual(EXPECTED);
  }, 60_000);

  it('webpack builds the README recipe; the bundle decodes what gcc wrote', async () => {
    const dir = app();
    // the recipe's config, exporting the entry's exports (a library) so that the test can call run()
    writeFileSync(path.join(dir, 'webpack.config.mjs'), recipe('webpack-config')
      .replace("output: { filename: 'main.js', module: true }", "output: { path: new URL('./dist-webpack', import.meta.url).pathname, filename: 'main.js', module: true, library: { type: 'module' } }"));
    const script = "import webpack from 'webpack';\nimport config from './webpack.config.mjs';\n" +
      "webpack(config, (err, stats) => { if (err) throw err; if (stats.hasErrors()) { console.error(stats.toString('errors-only')); process.exit(1); } });\n";
    writeFileSync(path.join(dir, 'webpack-build.mjs'), script);
    const b = await sh(process.execPath, ['webpack-build.mjs'], dir);
    expect(b.code, b.out).toBe(0);
    expect(JSON.parse(await runBundle('./dist-webpack/main.js', dir))).toEqual(EXPECTED);
  }, 60_000);

  it('esbuild builds the README recipe; the bundle decodes what gcc wrote', async () => {
    const dir = app();
    const script = recipe('esbuild-build').replace("format: 'esm',", "format: 'esm', logLevel: 'silent',");
    const b = await sh(process.execPath, ['--input-type=module', '-e', script], dir);
    expect(b.code, b.out).toBe(0);
    expect(JSON.parse(await runBundle('./dist/main.js', dir))).toEqual(EXPECTED);
  }, 60_000);
});

describe('structgen generate --dts, no typescript installed', () => {
  it('writes the declarations the plugin writes, byte for byte', async () => {
    // the Vite build above (no typescript variant) wrote include/msg.h.d.ts through the plugin
    const dts = path.join(proj, 'include/msg.h.d.ts');
    const fromPlugin = readFileSync(dts, 'utf8');
    rmSync(dts);
    // from the project's folder, as Vite ran: the modules name their header relative to the working folder
    const args = ['--no-install', 'structgen', 'generate', 'include/msg.h', '-I', 'include', '-o', 'gen-dts', '--dts'];
    const r = await sh('npx', args, proj);
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toMatch(/; 1 declaration file written beside the headers\n$/);
    expect(readFileSync(dts, 'utf8')).toBe(fromPlugin);
    // unchanged input: not written again
    const again = await sh('npx', args, proj);
    expect(again.code, again.out).toBe(0);
    expect(again.stderr).toMatch(/; 0 declaration files written beside the headers\n$/);
  }, 60_000);
});

describe('structgen/vite', () => {
  it('fails the build at the place of an error in the header', async () => {
    mkdirSync(path.join(proj, 'bad'), { recursive: true });
    writeFileSync(path.join(proj, 'bad/bad.h'), '#include <stdint.h>\nstruct bad {\n  uint32_t a;\n  u32 b;\n};\n');
    writeFileSync(path.join(proj, 'bad/main.js'), "import { bad } from './bad.h';\nexport const run = () => bad.size;\n");
    writeFileSync(path.join(proj, 'vite-bad.config.mjs'), viteConfig('dist-bad').replace("'src/main.js'", "'bad/main.js'"));
    const b = await sh('npx', ['--no-install', 'vite', 'build', '-c', 'vite-bad.config.mjs'], proj);
    expect(b.code).not.toBe(0);
    expect(b.out).toContain(`${path.join(proj, 'bad/bad.h')}:4:3: error: unknown type name 'u32'`);
    // the bundler's own location too (rollup's columns are 0-based)
    expect(b.out).toContain(`file: ${path.join(proj, 'bad/bad.h')}:4:2`);
  }, 60_000);

  it('vite build --watch rebuilds when an included header changes, with the new layout', async () => {
    writeFileSync(path.join(proj, 'vite-watch.config.mjs'), viteConfig('dist-watch'));
    const bundle = path.join(proj, 'dist-watch/main.js');
    const child = spawn('npx', ['--no-install', 'vite', 'build', '--watch', '-c', 'vite-watch.config.mjs'], { cwd: proj, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const until = async (ok: () => boolean, what: string) => {
      for (const t0 = Date.now(); !ok(); await new Promise((r) => setTimeout(r, 100))) {
        if (Date.now() - t0 > 40_000) throw new Error(`timed out waiting for ${what}:\n${out}`);
      }
    };
    const builds = () => out.split(/built in \d+/).length - 1;
    try {
      await until(() => builds() >= 1, 'the first build');
      const first = statSync(bundle).mtimeMs;
      expect(JSON.parse(await runBundle('./dist-watch/main.js')).size).toBe(32);
      // common_hdr grows from 4 to 8 bytes (kind becomes uint32_t, len moves to offset 4): seq moves from 8 to 12
      writeFileSync(path.join(proj, 'include/common.h'), COMMON.replace('uint16_t kind;', 'uint32_t kind;'));
      await until(() => builds() >= 2, 'the rebuild');
      expect(statSync(bundle).mtimeMs).toBeGreaterThan(first);
      writeFileSync(path.join(proj, 'run-watch.mjs'), "import { run } from './dist-watch/main.js';\nconst b = new Uint8Array(32); const dv = new DataView(b.buffer);\ndv.setUint32(0, 2, true); dv.setUint16(4, 40, true); dv.setUint32(12, 77, true);\ntry { console.log(JSON.stringify(run(b))); } catch (e) { console.log(String(e)); }\n");
      const after = JSON.parse((await run(process.execPath, ['run-watch.mjs'], { cwd: proj })).stdout);
      expect(after).toMatchObject({ hdr: { kind: 2, len: 40 }, seq: 77, size: 32 });
    } finally {
      writeFileSync(path.join(proj, 'include/common.h'), COMMON);
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ }
    }
  }, 90_000);
});

describe('structgen/vite dev server', () => {
  it('serves the module of a header, and the new one after an included header changes', async () => {
    // the dev server through Vite's API: the module as served, an edit of common.h, the module as served then
    const script = `import { createServer } from 'vite';
import structgen from 'structgen/vite';
import { readFileSync, writeFileSync } from 'node:fs';
const server = await createServer({ configFile: false, root: process.cwd(), plugins: [structgen({ include: ['include'] })], server: { port: 0 }, logLevel: 'silent' });
await server.listen();
try {
  const before = (await server.transformRequest('/include/msg.h')).code;
  const orig = readFileSync('include/common.h', 'utf8');
  let after = before;
  for (let i = 0; i < 150 && after === before; i++) {
    // the edit again each second: Vite's file watcher misses edits made while it is still setting up
    if (i % 10 === 0) writeFileSync('include/common.h', orig.replace('uint16_t len;', 'uint32_t len;'));
    await new Promise((r) => setTimeout(r, 100));
    after = (await server.transformRequest('/include/msg.h')).code;
  }
  writeFileSync('include/common.h', orig);
  // the served module is JavaScript: len's bit range in common_hdr's layout table
  const len = (code) => /\\["len", (\\d+), (\\d+)/.exec(code)?.slice(1);
  console.log(JSON.stringify({ before: len(before), after: len(after) }));
} finally {
  await server.close();
}
`;
    writeFileSync(path.join(proj, 'dev.mjs'), script);
    const r = await sh(process.execPath, ['dev.mjs'], proj);
    expect(r.code, r.out).toBe(0);
    // uint16_t at bytes 2-3, then uint32_t at bytes 4-7
    expect(JSON.parse(r.stdout)).toEqual({ before: ['16', '32'], after: ['32', '64'] });
  }, 60_000);
});

describe('structgen/esbuild', () => {
  it('fails the build at the place of an error in the header', async () => {
    writeFileSync(path.join(proj, 'bad/bad.h'), '#include <stdint.h>\nstruct bad {\n  uint32_t a;\n  u32 b;\n};\n');
    const script = recipe('esbuild-build').replace("'src/main.js'", "'bad/main.js'").replace("'dist/main.js'", "'dist-bad/esb.js'");
    const b = await sh(process.execPath, ['--input-type=module', '-e', script], proj);
    expect(b.code).not.toBe(0);
    expect(b.out).toContain(`${path.join(proj, 'bad/bad.h')}:4:3: error: unknown type name 'u32'`);
    // esbuild's own location (0-based column)
    expect(b.out).toMatch(/bad\/bad\.h:4:2: ERROR: \[plugin: structgen\]/);
  }, 60_000);
});

describe('declarations for tsc (typescript@latest: the user\'s own compiler; structgen runs none)', () => {
  it('tsc resolves import "./msg.h" to the declarations the plugin wrote, and finds misuse', async () => {
    const proj = withTs;
    // the declarations the plugin wrote in the Vite build of this app (the recipes above)
    expect(existsSync(path.join(proj, 'include/msg.h.d.ts'))).toBe(true);
    writeFileSync(path.join(proj, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, noEmit: true, skipLibCheck: false, lib: ['ES2022'], types: [] }, include: ['ts/*.ts'] }));
    mkdirSync(path.join(proj, 'ts'), { recursive: true });
    writeFileSync(path.join(proj, 'ts/good.ts'), "import { msg, msg_kind, type msgInput } from '../include/msg.h';\nconst m = msg.decode(new Uint8Array(32));\nconst seq: number = m.seq;\nconst stamp: bigint = m.stamp;\nconst k: 1 | 2 = msg_kind.MSG_PING;\nexport const x: [number, bigint, number, msgInput | null] = [seq, stamp, k, null];\n");
    const good = await sh('npx', ['--no-install', 'tsc', '-p', '.', '--pretty', 'false'], proj);
    expect(good.out).toBe('');
    expect(good.code).toBe(0);
    writeFileSync(path.join(proj, 'ts/bad.ts'), "import { msg, nosuch } from '../include/msg.h';\nimport { x } from '../include/common.h';\nexport const s: string = msg.decode(new Uint8Array(32)).seq;\nexport { nosuch, x };\n");
    const bad = await sh('npx', ['--no-install', 'tsc', '-p', '.', '--pretty', 'false'], proj);
    rmSync(path.join(proj, 'ts/bad.ts'));
    expect(bad.code).not.toBe(0);
    expect(bad.out).toMatch(/ts\/bad\.ts\(1,15\): error TS2305: Module '"\.\.\/include\/msg\.h"' has no exported member 'nosuch'/);
    // common.h was never imported: no declarations, so no module (a wildcard `declare module '*.h'` would hide this)
    expect(bad.out).toMatch(/ts\/bad\.ts\(2,19\): error TS2307: Cannot find module '\.\.\/include\/common\.h'/);
    expect(bad.out).toMatch(/ts\/bad\.ts\(3,14\): error TS2322: Type 'number' is not assignable to type 'string'/);
  }, 60_000);


  it("README recipe 'fresh-checkout': a clone type-checks before its first bundler build", async () => {
    // a Vite app in TypeScript as create-vite's vanilla-ts template sets it up, as a fresh clone has it: no .d.ts yet
    const dir = path.join(withTs, '../fresh-app');
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    cpSync(path.join(withTs, 'include'), path.join(dir, 'include'), { recursive: true, filter: (f) => !f.endsWith('.d.ts') });
    const pkg = { name: 'fresh-app', version: '1.0.0', private: true, type: 'module', ...JSON.parse(recipe('fresh-checkout')) };
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    writeFileSync(path.join(dir, 'structgen.config.json'), JSON.stringify({ headers: ['include/*.h'] }));
    writeFileSync(path.join(dir, 'vite.config.mjs'), recipe('vite-config'));
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2020', useDefineForClassFields: true, module: 'ESNext', lib: ['ES2020', 'DOM', 'DOM.Iterable'], skipLibCheck: true,
        moduleResolution: 'bundler', allowImportingTsExtensions: true, verbatimModuleSyntax: true, moduleDetection: 'force', noEmit: true,
        strict: true, noUnusedLocals: true, noUnusedParameters: true, erasableSyntaxOnly: true, noFallthroughCasesInSwitch: true, noUncheckedSideEffectImports: true,
      },
      include: ['src'],
    }, null, 2));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title><script type="module" src="/src/main.ts"></script>\n');
    writeFileSync(path.join(dir, 'src/main.ts'), "import { msg, type msgInput } from '../include/msg.h';\n"
      + "const input: msgInput = { hdr: { kind: 2, len: 32 }, flags: 5, prio: 19, seq: 1, stamp: 2n, name: 'abc' };\n"
      + "document.title = String(msg.decode(msg.encode(input)).seq);\n");
    // what the README warns of: without the declarations, tsc cannot type the import
    const before = await sh('npm', ['run', 'build'], dir);
    expect(before.code).not.toBe(0);
    expect(before.out).toMatch(/TS2307: Cannot find module '\.\.\/include\/msg\.h'/);
    // npm install runs `prepare`: the declarations are there before the first build
    const inst = await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], dir);
    expect(inst.code, inst.out).toBe(0);
    expect(readFileSync(path.join(dir, 'include/msg.h.d.ts'), 'utf8')).toMatch(/export interface msg \{/);
    const build = await sh('npm', ['run', 'build'], dir);
    expect(build.code, build.out).toBe(0);
    expect(existsSync(path.join(dir, 'dist/index.html'))).toBe(true);
  }, 180_000);
});
