// The published package as a user gets it: `npm pack`, install the tarball into an empty project (where this
// project's own settings and any `overrides` do not apply), and run `npx structgen`, the API, and the README's
// recipes (config as code, npm scripts, husky, pre-commit through additional_dependencies) against it.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tarball } from './install.js';
import { expectGatedCommits, git, HEADER, recipe, ROOT, sh } from './recipes.js';

const HAVE_PRE_COMMIT = spawnSync('pre-commit', ['--version']).status === 0;
if (!HAVE_PRE_COMMIT) {
  const msg = "pre-commit not found: the pre-commit hook tests are skipped (Debian: apt-get install -y pre-commit)";
  if (process.env.CI) throw new Error(`${msg}; CI must have it`);
  console.warn(`SKIP: ${msg}`);
}

let tmp = '';
let tgz = '';
let listing: string[] = [];
/** One project with the tarball installed; tests that need no other dependency work in folders of their own in it. */
let user = '';

/** A project with the tarball installed, the way `npm install` leaves it. */
async function installed(name: string): Promise<string> {
  const proj = path.join(tmp, name);
  mkdirSync(proj, { recursive: true });
  writeFileSync(path.join(proj, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, type: 'module' }, null, 2));
  const inst = await sh('npm', ['install', '--no-audit', '--no-fund', tgz], proj);
  expect(inst.code, inst.out).toBe(0);
  expect(inst.out).not.toMatch(/ERESOLVE|peer dep|invalid/i);
  return proj;
}

/** `npx structgen ...` in an installed project: exit code as `status`, and stderr apart. */
async function sg(proj: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = await sh('npx', ['--no-install', 'structgen', ...args], proj);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'structgen-pack-'));
  // packed once per run for every test file that installs it (dist/ is built by `npm test`; packing must not
  // rebuild it under the other tests' feet)
  tgz = await tarball();
  listing = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).split('\n').filter(Boolean);
  user = await installed('user-project');
}, 600_000);

describe('npm pack', () => {
  it('ships the compiled command and API, no sources, tests, benchmarks or source maps', () => {
    expect(listing).toContain('package/dist/generator/cli/main.js');
    expect(listing).toEqual(expect.arrayContaining(['package/structgen.schema.json', 'package/.pre-commit-hooks.yaml', 'package/dist/generator/emit/assets.generated.js',
      'package/dist/generator/config/index.js', 'package/dist/generator/config/index.d.ts',
      'package/dist/generator/browser.js', 'package/dist/generator/tree-sitter-c.wasm']));
    expect(listing.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(listing.filter((f) => /^package\/(test|bench|generator|dist\/test|dist\/bench)\//.test(f))).toEqual([]);
    // every file package.json points at is in the tarball
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const targets = [pkg.main, pkg.types, ...Object.values(pkg.bin as object), ...Object.values(pkg.exports as object)
      .flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e as object)))];
    for (const t of targets) expect(listing, String(t)).toContain(`package/${String(t).replace(/^\.\//, '')}`);
    // nothing structgen runs needs the TypeScript compiler: not a dependency, not even an optional peer
    for (const k of ['dependencies', 'peerDependencies', 'optionalDependencies']) expect(Object.keys(pkg[k] ?? {}), k).not.toContain('typescript');
  }, 600_000);
});

describe('npm pack, installed into an empty project', () => {
  it('installs cleanly; npx structgen generate, check and verify work with no build step', async () => {
    const proj = user;
    const installedTs = JSON.parse(readFileSync(path.join(proj, 'node_modules/tree-sitter/package.json'), 'utf8')).version;
    const installedC = JSON.parse(readFileSync(path.join(proj, 'node_modules/tree-sitter-c/package.json'), 'utf8')).version;
    expect([installedTs, installedC]).toEqual(['0.22.4', '0.23.6']);
    writeFileSync(path.join(proj, 'h.h'), '#include <stdint.h>\nstruct s { uint8_t a; uint32_t b : 5; };\n');
    const r = await sg(proj, 'layout', '--json', 'h.h');
    // npm itself may warn about this machine's own npm config; structgen must print nothing on stderr
    expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'))).toEqual([]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).records[0]).toMatchObject({ name: 's', size: 4, align: 4 });
    // the programmatic API loads as ESM from the installed package
    writeFileSync(path.join(proj, 'use.mjs'), "import { layoutHeaders } from 'structgen';\nconst r = layoutHeaders(['h.h']);\nconsole.log(r.report.records[0].fields[1].bitOffset);\n");
    expect(execFileSync(process.execPath, ['use.mjs'], { cwd: proj, encoding: 'utf8' }).trim()).toBe('8');
    // structgen/browser from the installed package: init() finds the shipped tree-sitter-c.wasm by itself
    writeFileSync(path.join(proj, 'browser.mjs'), "import { readFileSync } from 'node:fs';\nimport { init, layoutHeaders } from 'structgen/browser';\n"
      + "await init();\nconst r = layoutHeaders(['m.h'], { files: { 'm.h': readFileSync('h.h', 'utf8') } });\nconsole.log(r.report.records[0].fields[1].bitOffset);\n");
    expect(execFileSync(process.execPath, ['browser.mjs'], { cwd: proj, encoding: 'utf8' }).trim()).toBe('8');

    // the user's workflow: generate from a config, gate with check, prove with verify
    mkdirSync(path.join(proj, 'include'));
    writeFileSync(path.join(proj, 'include/proto.h'), HEADER);
    writeFileSync(path.join(proj, 'structgen.config.json'), JSON.stringify({ $schema: './node_modules/structgen/structgen.schema.json', headers: ['include/*.h'], outDir: 'src/gen' }));
    expect((await sg(proj, 'generate')).status).toBe(0);
    expect(readFileSync(path.join(proj, 'src/gen/proto.ts'), 'utf8')).toMatch(/^export const msg\b/m);
    expect((await sg(proj, 'check', '--update')).status).toBe(0);
    const clean = await sg(proj, 'check');
    expect(clean.stderr).toContain('generated files fresh, layouts match the lock file');
    expect(clean.status).toBe(0);
    // a hand edit of a generated file is reported stale, and regenerating clears it
    const gen = path.join(proj, 'src/gen/proto.ts');
    const before = readFileSync(gen, 'utf8');
    expect(before).toContain('size: 12,');
    writeFileSync(gen, before.replace('size: 12,', 'size: 16,'));
    const edited = await sg(proj, 'check');
    expect(edited.status).toBe(1);
    expect(edited.stderr).toContain('proto.ts: error: generated file is stale (changed)');
    expect((await sg(proj, 'generate')).status).toBe(0);
    expect((await sg(proj, 'check')).status).toBe(0);
    const cc = spawnSync('cc', ['--version']).status === 0;
    if (cc) expect((await sg(proj, 'verify', 'include/proto.h')).status).toBe(0);
    else console.warn('SKIP: no cc: verify in the installed package not tried');
    writeFileSync(path.join(proj, 'include/proto.h'), HEADER.replace('uint32_t len;', 'uint16_t len;'));
    const changed = await sg(proj, 'check');
    expect(changed.status).toBe(1);
    expect(changed.stderr).toContain("include/proto.h:2:37: error: struct msg: member 'len' changed type from 'uint32_t' to 'uint16_t'");
    expect(changed.stderr).toContain('proto.ts: error: generated file is stale (changed)');
    // the programmatic API returns data
    writeFileSync(path.join(proj, 'api.mjs'), [
      "import { generate, check, layout } from 'structgen';",
      "const g = generate(['include/proto.h']);",
      "const l = layout(['include/proto.h']);",
      "const c = check({ headers: ['include/proto.h'], targets: ['x86_64-linux-gnu'] }, { readFile: () => null, listFiles: () => [] }, null);",
      "console.log(JSON.stringify([g.files.map((f) => f.path), l.report.records[0].size, c.stale.length, c.lockMissing]));",
    ].join('\n'));
    expect(JSON.parse(execFileSync(process.execPath, ['api.mjs'], { cwd: proj, encoding: 'utf8' }))).toEqual([['proto.asserts.ts', 'proto.ts', 'structgen-runtime.ts'], 6, 3, true]);
  }, 600_000);

  it("README recipes 'config-ts' and 'config-api': a TypeScript config and the config API of the installed package", async () => {
    const proj = path.join(user, 'config-as-code');
    mkdirSync(proj);
    mkdirSync(path.join(proj, 'include'));
    writeFileSync(path.join(proj, 'include/frame.h'), '#include <stdint.h>\nstruct frame { uint8_t kind; uint8_t data[PROTOCOL_VERSION]; uint32_t crc; };\n');
    writeFileSync(path.join(proj, 'structgen.config.ts'), recipe('config-ts'));
    // the config type-checks against the installed package's types
    const tsc = await sh(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', 'structgen.config.ts'], proj);
    expect(tsc.out).toBe('');
    expect(tsc.code).toBe(0);
    const gen = await sg(proj, 'generate');
    expect(gen.stderr).toBe('structgen: 6 files written, 0 unchanged in src/gen\n');
    const ts = readFileSync(path.join(proj, 'src/gen/aarch64-linux-gnu/frame.ts'), 'utf8');
    expect(ts).toContain('size: 8,');
    expect(ts).toMatch(/getUint32\([^)]*, false\)/);
    expect((await sg(proj, 'check', '--update')).status).toBe(0);
    writeFileSync(path.join(proj, 'check-layouts.mjs'), recipe('config-api'));
    const api = await sh(process.execPath, ['check-layouts.mjs'], proj);
    expect(api.out).toBe('layouts match the lock file 0\n');
    writeFileSync(path.join(proj, 'include/frame.h'), '#include <stdint.h>\nstruct frame { uint8_t kind; uint16_t data[PROTOCOL_VERSION]; uint32_t crc; };\n');
    expect((await sh(process.execPath, ['check-layouts.mjs'], proj)).out).toMatch(/^[1-9]\d* layout changes 0\n$/);
  }, 600_000);

  it("README recipe 'npm-scripts': the build regenerates, and fails on a layout change until it is recorded", async () => {
    const proj = path.join(user, 'npm-scripts');
    mkdirSync(proj);
    const pkgFile = path.join(proj, 'package.json');
    const pkg: { [k: string]: unknown } = { name: 'npm-scripts', version: '1.0.0', private: true };
    pkg.scripts = { ...JSON.parse(recipe('npm-scripts')).scripts, build: 'node -e "console.log(\'built\')"' };
    writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
    mkdirSync(path.join(proj, 'include'));
    writeFileSync(path.join(proj, 'include/proto.h'), HEADER);
    writeFileSync(path.join(proj, 'structgen.config.json'), JSON.stringify({ headers: ['include/*.h'], outDir: 'src/gen' }));
    expect((await sg(proj, 'generate')).status).toBe(0);
    expect((await sg(proj, 'check', '--update')).status).toBe(0);
    const first = await sh('npm', ['run', 'build'], proj);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain('built');
    writeFileSync(path.join(proj, 'include/proto.h'), HEADER.replace('uint32_t len;', 'uint16_t len;'));
    const changed = await sh('npm', ['run', 'build'], proj);
    expect(changed.code).not.toBe(0);
    expect(changed.out).toContain("member 'len' changed type from 'uint32_t' to 'uint16_t'");
    expect(changed.out).not.toContain('built');
    expect((await sg(proj, 'check', '--update')).status).toBe(0);
    expect((await sh('npm', ['run', 'build'], proj)).code).toBe(0);
  }, 600_000);

  it("README recipe 'husky': commits are gated by structgen check", async () => {
    const proj = path.join(tmp, 'husky');
    mkdirSync(proj);
    writeFileSync(path.join(proj, 'package.json'), JSON.stringify({ name: 'husky-project', version: '1.0.0', private: true }, null, 2));
    expect((await git(proj, ['init', '-q'])).code).toBe(0);
    for (const line of recipe('husky').trim().split('\n')) {
      // the package is the tarball under test instead of the registry's
      const cmd = line.replace(/ structgen$/, ` ${tgz}`);
      const r = await sh('sh', ['-c', cmd], proj);
      expect(r.code, `${cmd}\n${r.out}`).toBe(0);
    }
    mkdirSync(path.join(proj, 'include'));
    writeFileSync(path.join(proj, 'include/proto.h'), HEADER);
    writeFileSync(path.join(proj, 'structgen.config.json'), JSON.stringify({ headers: ['include/*.h'], outDir: 'src/gen' }));
    writeFileSync(path.join(proj, '.gitignore'), 'node_modules/\n');
    expect((await sg(proj, 'generate')).status).toBe(0);
    expect((await sg(proj, 'check', '--update')).status).toBe(0);
    await git(proj, ['add', '-A']);
    await expectGatedCommits(proj);
  }, 600_000);

  it.skipIf(!HAVE_PRE_COMMIT)("README recipe 'pre-commit-npm': pre-commit installs the package through additional_dependencies", async () => {
    const proj = path.join(tmp, 'pre-commit-npm');
    mkdirSync(path.join(proj, 'include'), { recursive: true });
    const env = { PRE_COMMIT_HOME: path.join(tmp, 'pre-commit-home') };
    expect((await git(proj, ['init', '-q'])).code).toBe(0);
    writeFileSync(path.join(proj, '.pre-commit-config.yaml'), recipe('pre-commit-npm').replace("'structgen@0.1.0'", `'${tgz}'`));
    writeFileSync(path.join(proj, 'include/proto.h'), HEADER);
    writeFileSync(path.join(proj, 'structgen.config.json'), JSON.stringify({ headers: ['include/*.h'], outDir: 'src/gen' }));
    // the decoders and the lock, made by the package under test
    for (const args of [['generate'], ['check', '--update']]) {
      const r = spawnSync(process.execPath, [path.join(user, 'node_modules/structgen/dist/generator/cli/main.js'), ...args], { cwd: proj, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    const inst = await sh('pre-commit', ['install'], proj, env);
    expect(inst.code, inst.out).toBe(0);
    await git(proj, ['add', '-A']);
    await expectGatedCommits(proj, env);
  }, 600_000);
});
