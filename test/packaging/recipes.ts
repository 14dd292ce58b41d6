// The README's copy-paste recipes (each fenced block after a `<!-- recipe: NAME -->` line), so the tests run exactly
// what users copy; and the commit flow every pre-commit integration must pass in a throw-away git repository.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';

export const ROOT = path.resolve(__dirname, '../..');

export function recipe(name: string): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = new RegExp(`<!-- recipe: ${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`README.md has no recipe '${name}'`);
  return m[1]!;
}

/** Runs a command without blocking the test worker (its RPC with vitest must stay answered during long installs):
 * the exit code and stdout and stderr together. Without colours (NO_COLOR): tools colour their output under CI=true
 * even when it is not a terminal, and the tests match the text. */
export interface ShResult { code: number | null; out: string; stdout: string; stderr: string }
export function sh(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<ShResult> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { out += d.toString(); stderr += d.toString(); });
    p.on('error', (e) => resolve({ code: -1, out: `${out}${String(e)}`, stdout, stderr }));
    p.on('close', (code) => resolve({ code, out, stdout, stderr }));
  });
}

export const HEADER = '#include <stdint.h>\nstruct msg { uint8_t kind; uint32_t len; uint16_t flags : 3; };\n';

export function git(dir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return sh('git', ['-c', 'user.name=structgen test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], dir, env);
}

/**
 * A repository whose commits are gated by structgen check (however it was installed): a clean commit passes; a
 * commit that changes a header's layout, hand-edits a generated module, or edits the lock file alone fails.
 * `prepare` has generated the decoders and the lock; everything is staged but not committed.
 */
export async function expectGatedCommits(dir: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const commit = (msg: string) => git(dir, ['commit', '-qm', msg], env);
  const clean = await commit('clean tree');
  expect(clean.code, clean.out).toBe(0);
  const edits: Array<[string, (t: string) => string, RegExp]> = [
    ['include/proto.h', (t) => t.replace('uint32_t len;', 'uint16_t len;'), /include\/proto\.h:2:37: error: struct msg: member 'len' changed type from 'uint32_t' to 'uint16_t'/],
    ['src/gen/proto.ts', (t) => `${t}// a hand edit\n`, /src\/gen\/proto\.ts: error: generated file is stale \(changed\)/],
    ['structgen.lock.json', (t) => t.replace('"size": 12', '"size": 16'), /struct msg: size changed from 16 to 12 bytes/],
  ];
  for (const [file, change, want] of edits) {
    const f = path.join(dir, file);
    const before = readFileSync(f, 'utf8');
    writeFileSync(f, change(before));
    expect(readFileSync(f, 'utf8'), `${file} edited`).not.toBe(before);
    await git(dir, ['add', file]);
    const r = await commit(`edit ${file}`);
    expect(r.code, `commit of an edited ${file} must fail:\n${r.out}`).not.toBe(0);
    expect(r.out).toMatch(want);
    writeFileSync(f, before);
    await git(dir, ['add', file]);
  }
}
