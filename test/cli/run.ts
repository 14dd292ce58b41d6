// Running the built `structgen` binary as users do: plainly (pipes), or on a terminal through util-linux `script`
// (a real pseudo-terminal, for colours, source snippets, help wrapping and the progress line).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const BIN = path.join(ROOT, 'dist/generator/cli/main.js');
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run 'npm run build' first (npm test does)`);

export interface Run { code: number | null; stdout: string; stderr: string }

/** The environment of a run: no colour settings inherited from the machine running the tests. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return { ...env, ...extra };
}

/** Runs a command without blocking the test worker (vitest's RPC with it times out when its event loop is held). */
export function spawnAsync(cmd: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeout?: number }): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // the timeout only guards the test run against a hang (a spinning mkdir was one); it asserts nothing about speed
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeout ?? 120_000);
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('error', (e) => { clearTimeout(timer); resolve({ code: -1, stdout, stderr: `${stderr}${String(e)}` }); });
    p.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

export function run(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return spawnAsync(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(env) });
}

export const HAVE_SCRIPT = spawnSync('script', ['--version']).status === 0;
if (!HAVE_SCRIPT) console.warn("SKIP: util-linux 'script' not found: the terminal tests (colours, snippets, help width, progress) are skipped");

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs on a pseudo-terminal of `cols` columns; returns what the terminal showed (stdout and stderr together). */
export async function runTty(args: readonly string[], cwd: string, opts: { cols?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const cmd = `stty cols ${opts.cols ?? 120} rows 50; ${q(process.execPath)} ${q(BIN)} ${args.map(q).join(' ')}`;
  const r = await spawnAsync('script', ['-qec', cmd, '/dev/null'], { cwd, env: cleanEnv({ TERM: 'xterm-256color', ...opts.env }) });
  return { code: r.code, stdout: r.stdout.replace(/\r\n/g, '\n'), stderr: r.stderr };
}

/** A fresh folder with the given files (paths relative to it). */
export function folder(files: { [rel: string]: string } = {}, prefix = 'structgen-cli-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

export const OK_H = '#include <stdint.h>\nstruct ok { uint8_t a; uint32_t b; };\n';
