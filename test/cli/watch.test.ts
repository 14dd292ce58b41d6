// `structgen generate --watch` on the built binary: one line per rebuild, only the modules a change affects are
// written (the others keep their modification time), a change to an included file or to the config is picked up,
// an error is reported and watching goes on, and SIGINT (Ctrl-C) exits 0. `--dts` writes X.h.d.ts beside headers.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recipe } from '../packaging/recipes.js';
import { BIN, cleanEnv } from './run.js';

const COMMON = '#include <stdint.h>\nstruct common_hdr { uint16_t kind; uint16_t len; };\n';
const MSG = '#include "common.h"\nstruct msg { struct common_hdr hdr; uint32_t seq; };\n';
const OTHER = '#include <stdint.h>\nstruct other { uint8_t a; };\n';

function project(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-watch-'));
  mkdirSync(path.join(dir, 'include'));
  writeFileSync(path.join(dir, 'include/common.h'), COMMON);
  writeFileSync(path.join(dir, 'include/msg.h'), MSG);
  writeFileSync(path.join(dir, 'include/other.h'), OTHER);
  writeFileSync(path.join(dir, 'structgen.config.json'), JSON.stringify({ headers: ['include/msg.h', 'include/other.h'], include: ['include'], outDir: 'gen' }));
  return dir;
}

/** The watching process, its stderr lines as they come, and a way to wait for the next one matching. */
function start(dir: string, args: readonly string[]) {
  const p = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((r) => p.on('close', (code) => r(code)));
  const lines = () => err.split('\n').filter(Boolean);
  const waitFor = async (n: number, re: RegExp): Promise<string> => {
    for (const t0 = Date.now(); ; await new Promise((r) => setTimeout(r, 50))) {
      const hits = lines().filter((l) => re.test(l));
      if (hits.length >= n) return hits[n - 1]!;
      if (Date.now() - t0 > 30_000) throw new Error(`timed out waiting for ${re} (#${n}):\n${err}`);
    }
  };
  return { p, lines, waitFor, exited, stdout: () => out };
}

const mtime = (f: string) => statSync(f).mtimeMs;

describe('generate --watch', () => {
  it('rewrites only what a change affects, one line per rebuild; SIGINT exits 0', async () => {
    const dir = project();
    const w = start(dir, ['generate', '--watch']);
    try {
      await w.waitFor(1, /^structgen: watching for changes/);
      expect(w.lines()[0]).toMatch(/^structgen: built in \d+ ms: 7 files written \(/);
      // the records of included headers are in included-<hash of its content>.ts: the one msg.ts imports now
      const gen = (f: string): string => path.join(dir, 'gen', f !== 'included.ts' ? f
        : `${/from '\.\/(included-[0-9a-f]{8})\.js'/.exec(readFileSync(gen('msg.ts'), 'utf8'))![1]}.ts`);
      const before = { msg: mtime(gen('msg.ts')), other: mtime(gen('other.ts')), included: mtime(gen('included.ts')), rt: mtime(gen('structgen-runtime.ts')) };
      const otherText = readFileSync(gen('other.ts'), 'utf8');

      // an edit to one header: its module changes, nothing else is rewritten
      await new Promise((r) => setTimeout(r, 20));
      writeFileSync(path.join(dir, 'include/other.h'), OTHER.replace('uint8_t a;', 'uint8_t a; uint32_t b;'));
      const l1 = await w.waitFor(1, /rebuilt in/);
      expect(l1).toMatch(/^structgen: include\/other\.h changed: rebuilt in \d+ ms: 1 file written \(other\.ts\), 6 unchanged$/);
      expect(readFileSync(gen('other.ts'), 'utf8')).not.toBe(otherText);
      expect(readFileSync(gen('other.ts'), 'utf8')).toMatch(/uint32_t, bytes 4-7/);
      expect(mtime(gen('msg.ts'))).toBe(before.msg);
      expect(mtime(gen('included.ts'))).toBe(before.included);
      expect(mtime(gen('structgen-runtime.ts'))).toBe(before.rt);

      // an edit to a file a header includes (not named in the config): the record it defines (in included.ts) and
      // the module whose record holds it (msg.ts: seq moves) change; other.ts does not
      const otherNow = mtime(gen('other.ts'));
      writeFileSync(path.join(dir, 'include/common.h'), COMMON.replace('uint16_t len;', 'uint32_t len;'));
      const l2 = await w.waitFor(2, /rebuilt in/);
      expect(l2).toMatch(/^structgen: include\/common\.h changed: rebuilt in \d+ ms: 3 files written \(included-[0-9a-f]{8}\.asserts\.ts, included-[0-9a-f]{8}\.ts, msg\.ts\), 4 unchanged, 2 removed$/);
      // the included module is named by its content: the new one (and its asserts) replaces the old, which no module
      // imports any more
      expect(readdirSync(path.join(dir, 'gen')).filter((f) => f.startsWith('included-'))).toHaveLength(2);
      expect(readFileSync(gen('included.ts'), 'utf8')).toMatch(/uint32_t, bytes 4-7/);
      expect(readFileSync(gen('msg.ts'), 'utf8')).toMatch(/uint32_t, bytes 8-11/);
      expect(mtime(gen('other.ts'))).toBe(otherNow);

      // a header error: reported, nothing written, still watching; fixing it rebuilds
      writeFileSync(path.join(dir, 'include/msg.h'), MSG.replace('uint32_t seq;', 'u32 seq;'));
      const l3 = await w.waitFor(1, /nothing written, watching/);
      expect(l3).toMatch(/^structgen: include\/msg\.h changed: 1 error in \d+ ms; nothing written, watching for changes$/);
      const col = MSG.split('\n')[1]!.replace('uint32_t seq;', 'u32 seq;').indexOf('u32') + 1;
      expect(w.lines()).toContain(`include/msg.h:2:${col}: error: unknown type name 'u32'`);
      writeFileSync(path.join(dir, 'include/msg.h'), MSG.replace('uint32_t seq;', 'uint64_t seq;'));
      await w.waitFor(3, /rebuilt in/);
      expect(readFileSync(gen('msg.ts'), 'utf8')).toMatch(/seq: bigint/);

      // the config: a change of its settings is a rebuild with them (every module's input hash covers the options)
      writeFileSync(path.join(dir, 'structgen.config.json'), JSON.stringify({ headers: ['include/msg.h', 'include/other.h'], include: ['include'], outDir: 'gen', endian: { 'msg.seq': 'big' } }));
      const l4 = await w.waitFor(4, /rebuilt in/);
      expect(l4).toMatch(/^structgen: structgen\.config\.json changed: rebuilt in \d+ ms: 4 files written \(included-[0-9a-f]{8}\.asserts\.ts, included-[0-9a-f]{8}\.ts, msg\.ts, other\.ts\), 3 unchanged, 2 removed$/);
      expect(readFileSync(gen('msg.ts'), 'utf8')).toMatch(/big-endian/);
      // one line per rebuild, no other output
      expect(w.lines().filter((l) => !/^include\/msg\.h:/.test(l))).toHaveLength(1 + 1 + 4 + 1);
      expect(w.stdout()).toBe('');
    } finally {
      w.p.kill('SIGINT');
    }
    expect(await w.exited).toBe(0);
  }, 90_000);

  it('--dts writes X.h.d.ts beside each header, and again when it changes (the README recipe)', async () => {
    const dir = project();
    const args = recipe('generate-watch').trim().split(/\s+/);
    expect(args.slice(0, 2)).toEqual(['npx', 'structgen']);
    const w = start(dir, args.slice(2));
    try {
      await w.waitFor(1, /^structgen: watching for changes/);
      expect(w.lines()[0]).toMatch(/2 declarations \(msg\.h\.d\.ts, other\.h\.d\.ts\)$/);
      const dts = readFileSync(path.join(dir, 'include/msg.h.d.ts'), 'utf8');
      expect(dts).toMatch(/export interface msg \{[\s\S]*seq: number;/);
      expect(dts).toMatch(/from 'structgen\/runtime'/);
      const otherBefore = mtime(path.join(dir, 'include/other.h.d.ts'));
      writeFileSync(path.join(dir, 'include/msg.h'), MSG.replace('uint32_t seq;', 'uint64_t seq;'));
      const l = await w.waitFor(1, /rebuilt in/);
      expect(l).toMatch(/1 declaration \(msg\.h\.d\.ts\)$/);
      expect(readFileSync(path.join(dir, 'include/msg.h.d.ts'), 'utf8')).toMatch(/seq: bigint;/);
      expect(mtime(path.join(dir, 'include/other.h.d.ts'))).toBe(otherBefore);
    } finally {
      w.p.kill('SIGINT');
    }
    expect(await w.exited).toBe(0);
  }, 90_000);
});
