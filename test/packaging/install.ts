// The packed tarball and the projects it is installed into, made once per test run and shared by the test files that
// need them (npm pack and npm install are the slowest steps of those tests): the first file to ask makes one under a
// lock (mkdir is atomic), the others wait for it. The run's folder comes from vitest's global setup (run-dir.ts);
// a file run on its own without it gets a folder of its own, removed when its process exits.
//
// Needs dist/ built (`npm run build`, as `npm test` does): the tarball packs it.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { ROOT, sh } from './recipes.js';

const run = promisify(execFile);

function runDir(): string {
  let dir = process.env.STRUCTGEN_TEST_RUN_DIR;
  if (!dir) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-run-'));
    process.env.STRUCTGEN_TEST_RUN_DIR = dir;
    const made = dir;
    process.on('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return dir;
}

/** The folder `name` of the run's folder, made by `make` once: by the first caller, under a lock; the others wait
 * until it is ready. */
async function once(name: string, make: (dir: string) => Promise<void>): Promise<string> {
  const dir = path.join(runDir(), name);
  const ready = `${dir}.ready`;
  const lock = `${dir}.lock`;
  let mine = false;
  try { mkdirSync(lock); mine = true; } catch { /* another test file makes it */ }
  if (mine) {
    try {
      mkdirSync(dir, { recursive: true });
      await make(dir);
      writeFileSync(ready, '');
    } catch (e) {
      writeFileSync(`${dir}.failed`, String((e as Error)?.stack ?? e));
      throw e;
    }
    return dir;
  }
  for (const t0 = Date.now(); !existsSync(ready); await new Promise((r) => setTimeout(r, 250))) {
    if (existsSync(`${dir}.failed`)) throw new Error(`making ${name} failed in another test file:\n${readFileSync(`${dir}.failed`, 'utf8')}`);
    if (Date.now() - t0 > 900_000) throw new Error(`timed out waiting for ${name}`);
  }
  return dir;
}

/** The package as `npm pack` makes it (without running scripts: dist/ is built already). */
export async function tarball(): Promise<string> {
  const dir = await once('tarball', async (d) => {
    await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', d], { cwd: ROOT });
  });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error('npm pack made no tarball');
  return path.join(dir, tgz);
}

const version = (p: string) => (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', p, 'package.json'), 'utf8')) as { version: string }).version;

/** A project (`"type": "module"`) with `deps` installed (from npm's cache where it has them). */
async function install(dir: string, deps: readonly string[]): Promise<void> {
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), version: '1.0.0', private: true, type: 'module' }, null, 2));
  const inst = await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...deps], dir);
  expect(inst.code, inst.out).toBe(0);
}

/**
 * The tarball with the bundlers its README recipes use, and no `typescript` at all: Vite, esbuild and webpack at the
 * versions this repository tests with, and Rollup (Vite's) with @rollup/plugin-node-resolve and
 * @rollup/plugin-commonjs, without which Rollup resolves no package and reads no CommonJS one. Test files work in
 * folders of their own inside it.
 */
export async function bundlerProject(): Promise<string> {
  const tgz = await tarball();
  return once('bundlers', async (dir) => {
    await install(dir, [tgz, `vite@${version('vite')}`, `esbuild@${version('esbuild')}`, 'webpack@^5.100.0', '@rollup/plugin-node-resolve@^16.0.0', '@rollup/plugin-commonjs@^29.0.0']);
    expect(existsSync(path.join(dir, 'node_modules/typescript'))).toBe(false);
  });
}

/** A folder inside the bundler project with its own `typescript@latest` (7.x, the registry's latest: no classic
 * compiler API); the project's packages are found above it, TypeScript here first. */
export async function typescriptLatest(): Promise<string> {
  await bundlerProject();
  return once('bundlers/ts-latest', (dir) => install(dir, ['typescript@latest']));
}
