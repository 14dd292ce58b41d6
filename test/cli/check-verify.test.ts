// The pre-commit gate and the compiler proof as users run them, in a throw-away project: `generate` from a
// config, `check` clean, then each kind of layout change and a hand-edited generated file; `verify` against the
// system compiler, including a deliberately wrong target; `generate --emit-c-asserts` compiled by gcc.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_CLANG } from '../helpers/compiler.js';
import { run } from './run.js';

const HAVE_CC = spawnSync('cc', ['--version']).status === 0;
if (!HAVE_CC) console.warn('SKIP: no cc: the verify tests against the system compiler are skipped');


const HEADER = `#include <stdint.h>
enum mode { MODE_A = 1, MODE_B = 2 };
struct packet {
  uint8_t kind;
  uint32_t length;
  uint16_t flags : 3, prio : 4;
  char name[8];
};
struct other { uint64_t id; };
`;

function project(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-proj-'));
  mkdirSync(path.join(dir, 'include'));
  writeFileSync(path.join(dir, 'include/proto.h'), HEADER);
  writeFileSync(path.join(dir, 'structgen.config.json'), JSON.stringify({ headers: ['include/*.h'], outDir: 'src/gen' }));
  return dir;
}

const edit = (dir: string, from: string, to: string) => {
  const f = path.join(dir, 'include/proto.h');
  const t = readFileSync(f, 'utf8');
  if (!t.includes(from)) throw new Error(`no '${from}' in the header`);
  writeFileSync(f, t.replace(from, to));
};

describe('structgen check', () => {
  it('is clean after generate and check --update, and never writes', async () => {
    const dir = project();
    expect((await run(['generate'], dir)).code).toBe(0);
    const first = await run(['check'], dir);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/no lock file .*structgen\.lock\.json; run 'structgen check --update'/);
    expect(existsSync(path.join(dir, 'structgen.lock.json'))).toBe(false);
    expect((await run(['check', '--update'], dir)).code).toBe(0);
    const clean = await run(['check'], dir);
    expect(clean.stderr).toContain('generated files fresh, layouts match the lock file');
    expect(clean.code).toBe(0);
    const before = readdirSync(path.join(dir, 'src/gen')).map((f) => readFileSync(path.join(dir, 'src/gen', f), 'utf8'));
    edit(dir, 'uint32_t length;', 'uint64_t length;');
    expect((await run(['check'], dir)).code).toBe(1);
    expect(readdirSync(path.join(dir, 'src/gen')).map((f) => readFileSync(path.join(dir, 'src/gen', f), 'utf8'))).toEqual(before);
  });

  it('a changed type: the cause first, the members it moved as one line, a summary and the next command', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'include/proto.h'), `${HEADER}struct outer { struct packet p; uint32_t tail; };\n`);
    await run(['generate'], dir);
    await run(['check', '--update'], dir);
    edit(dir, 'uint32_t length;', 'uint16_t length;');
    const r = await run(['check'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe([
      "include/proto.h:5:12: error: struct packet: member 'length' changed type from 'uint32_t' to 'uint16_t' (4 to 2 bytes) and moved from byte 4 to byte 2 [breaking, x86_64-linux-gnu]",
      "include/proto.h:6:12: error: struct packet: 3 later members moved by -4 bytes ('flags' to 'name') [breaking, x86_64-linux-gnu]",
      'include/proto.h:3:1: error: struct packet: size changed from 20 to 14 bytes, alignment changed from 4 to 2 [breaking, x86_64-linux-gnu]',
      "include/proto.h:10:30: error: struct outer: member 'p' (struct packet) changed size from 20 to 14 bytes [breaking, x86_64-linux-gnu]",
      "include/proto.h:10:42: error: struct outer: member 'tail' moved from byte 20 to byte 16 [breaking, x86_64-linux-gnu]",
      'include/proto.h:10:1: error: struct outer: size changed from 24 to 20 bytes [breaking, x86_64-linux-gnu]',
      'src/gen/proto.ts: error: generated file is stale (changed)',
      'structgen: 2 records changed (2 breaking), 1 generated file stale [x86_64-linux-gnu]',
      "structgen: next: 'structgen generate' to regenerate the decoders; then, if the layout change is intended, 'structgen check --update' to record it in structgen.lock.json",
      ''].join('\n'));
    // from a subfolder: the config is found above, every path is relative to where structgen runs
    mkdirSync(path.join(dir, 'src/app'), { recursive: true });
    const sub = await run(['check'], path.join(dir, 'src/app'));
    expect(sub.code).toBe(1);
    expect(sub.stderr.split('\n').filter(Boolean).map((l) => l.split(':')[0])).toEqual([
      '../../include/proto.h', '../../include/proto.h', '../../include/proto.h', '../../include/proto.h', '../../include/proto.h', '../../include/proto.h',
      '../gen/proto.ts', 'structgen', 'structgen']);
    expect(sub.stderr).toContain("record it in ../../structgen.lock.json");
    // --format json keeps every change (the cause first), with relative paths
    const j = JSON.parse((await run(['check', '--format', 'json'], path.join(dir, 'src/app'))).stdout);
    expect(j.ok).toBe(false);
    expect(j.changes.filter((c: { record: string }) => c.record === 'packet').map((c: { member: string | null; kind: string }) => `${c.member}:${c.kind}`))
      .toEqual(['length:type', 'flags:moved', 'prio:moved', 'name:moved', 'null:record']);
    expect(j.changes[0]).toMatchObject({ member: 'length', fromBit: 32, toBit: 16, pos: { file: '../../include/proto.h', line: 5, col: 12 } });
    expect(j.stale).toEqual([{ path: '../gen/proto.ts', reason: 'changed' }]);
    expect(j.lockFile).toBe('../../structgen.lock.json');
  });

  it('only stale files: the summary names generate; no lock: it names check --update', async () => {
    const dir = project();
    await run(['generate'], dir);
    const noLock = await run(['check'], dir);
    expect(noLock.stderr).toContain("structgen: next: 'structgen check --update' to create structgen.lock.json");
    await run(['check', '--update'], dir);
    writeFileSync(path.join(dir, 'src/gen/proto.ts'), '// edited by hand\n');
    const r = await run(['check'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(["src/gen/proto.ts: error: generated file is stale (changed)", 'structgen: 1 generated file stale',
      "structgen: next: 'structgen generate' to regenerate the decoders", ''].join('\n'));
  });

  it('appended members are review, filled holes are review, new enumerators compatible', async () => {
    const dir = project();
    await run(['generate'], dir);
    await run(['check', '--update'], dir);
    edit(dir, '  char name[8];\n};', '  char name[8];\n  uint32_t extra;\n};');
    edit(dir, 'uint8_t kind;', 'uint8_t kind;\n  uint8_t spare;');
    edit(dir, 'MODE_B = 2', 'MODE_B = 2, MODE_C = 3');
    await run(['generate'], dir);
    const j = JSON.parse((await run(['check', '--format', 'json'], dir)).stdout);
    const bySev = (s: string) => j.changes.filter((c: { severity: string }) => c.severity === s).map((c: { message: string }) => c.message);
    expect(bySev('breaking')).toEqual(['struct packet: size changed from 20 to 24 bytes']);
    expect(bySev('review')).toEqual(["struct packet: member 'spare' added where there was padding at byte 1", "struct packet: member 'extra' appended at byte 20"]);
    expect(bySev('compatible')).toEqual(['enum mode: enumerator MODE_C = 3 added']);
    expect(j.stale).toEqual([]);
  });

  it('reports a hand-edited generated file and one no longer generated', async () => {
    const dir = project();
    await run(['generate'], dir);
    await run(['check', '--update'], dir);
    const f = path.join(dir, 'src/gen/proto.ts');
    writeFileSync(f, readFileSync(f, 'utf8').replace('size: 20,', 'size: 24,'));
    writeFileSync(path.join(dir, 'src/gen/old.ts'), '// @generated by structgen 0.0.1 from include/old.h\n');
    writeFileSync(path.join(dir, 'src/gen/mine.ts'), '// my own file\n');
    const r = await run(['check'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('proto.ts: error: generated file is stale (changed)');
    expect(r.stderr).toContain('old.ts: error: generated file is stale (no longer generated)');
    expect(r.stderr).not.toContain('mine.ts');
  });

  it('usage errors exit 2: no config, a bad lock file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-noconf-'));
    expect((await run(['check'], dir)).code).toBe(2);
    const p = project();
    writeFileSync(path.join(p, 'structgen.lock.json'), '{"tool":"x"}');
    const r = await run(['check'], p);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/structgen\.lock\.json:1:1: error: not a structgen lock file/);
  });

  it('"compiler": "gcc" in the config selects gcc\'s layout rules (the command line can override it)', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'include/p.h'), 'typedef int int_a2 __attribute__((aligned(2)));\nstruct P { int_a2 f : 32; char c; };\n');
    writeFileSync(path.join(dir, 'structgen.config.json'), JSON.stringify({ headers: ['include/p.h'], compiler: 'gcc' }));
    expect(JSON.parse((await run(['layout', '--json'], dir)).stdout).records[0]).toMatchObject({ name: 'P', size: 8, align: 4 });
    expect(JSON.parse((await run(['layout', '--json', '--compiler', 'clang'], dir)).stdout).records[0]).toMatchObject({ name: 'P', size: 6, align: 2 });
    writeFileSync(path.join(dir, 'structgen.config.json'), JSON.stringify({ headers: ['include/p.h'], compiler: 'icc' }));
    expect((await run(['layout'], dir)).code).toBe(2);
    // a switch the target cannot take is a usage error too
    writeFileSync(path.join(dir, 'structgen.config.json'), JSON.stringify({ headers: ['include/p.h'] }));
    const msvc = await run(['layout', '-t', 'x86_64-pc-windows-msvc', '--compiler', 'gcc', 'include/p.h'], dir);
    expect(msvc.code).toBe(2);
    expect(msvc.stderr).toContain('gcc does not target the Microsoft ABI of x86_64-pc-windows-msvc');
  });

  it('several targets generate into a folder each and lock each', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'structgen.config.json'), JSON.stringify({ headers: ['include/*.h'], outDir: 'gen', targets: ['x86_64-linux-gnu', 'i386-linux-gnu'] }));
    expect((await run(['generate'], dir)).code).toBe(0);
    expect(readdirSync(path.join(dir, 'gen')).sort()).toEqual(['i386-linux-gnu', 'x86_64-linux-gnu']);
    expect(readFileSync(path.join(dir, 'gen/i386-linux-gnu/proto.ts'), 'utf8')).toContain('/** struct other, decoded: 8 bytes, align 4. */');
    await run(['check', '--update'], dir);
    const lock = JSON.parse(readFileSync(path.join(dir, 'structgen.lock.json'), 'utf8'));
    expect(lock.targets['i386-linux-gnu'].records.other.align).toBe(4);
    expect(lock.targets['x86_64-linux-gnu'].records.other.align).toBe(8);
    expect((await run(['check'], dir)).code).toBe(0);
    // layout shows the first target and says so
    const lay = await run(['layout'], dir);
    expect(lay.stdout).toContain('for x86_64-linux-gnu');
    expect(lay.stderr).toBe("structgen: note: the layouts of x86_64-linux-gnu, the first of the config's 2 targets; name another with -t\n");
  });
});

describe.skipIf(!HAVE_CC)('structgen verify', () => {
  it('agrees with the system compiler on the example headers (every record, member and bit-field)', async () => {
    const r = await run(['verify', 'headers/capture.h', 'headers/elf_like.h', 'headers/netproto.h', 'headers/telemetry.h', 'headers/usb_desc.h', 'headers/wave.h'], path.resolve(__dirname, '../..'));
    expect(r.stderr).toMatch(/structgen: 2\d records, \d+ checks: the compiler \(cc\) agrees/);
    expect(r.code).toBe(0);
  });

  it('catches a wrong layout: i386 layouts checked by the x86_64 compiler', async () => {
    const dir = project();
    const r = await run(['verify', '-t', 'i386-linux-gnu', '--cc', 'cc', 'include/proto.h'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('include/proto.h:9:1: error: _Alignof(struct other) is 4 in structgen, another value for the compiler (cc)');
  });

  it.skipIf(!HAVE_CLANG)('with clang for a foreign target, a mismatch names both values', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'include/w.h'), 'struct w { char c; long l; unsigned f : 3; };\n');
    expect((await run(['verify', '-t', 'aarch64-linux-gnu', 'include/w.h'], dir)).code).toBe(0);
    // a wrong oracle: the clang of another target, through --cc
    const r = await run(['verify', '-t', 'i386-linux-gnu', '--cc', 'clang-16 --target=x86_64-linux-gnu', 'include/w.h'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('offsetof(struct w, l) is 4 in structgen, another value');
  });

  it.skipIf(!HAVE_CLANG)('with a config of several targets, each is proved against its own compiler', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'structgen.config.json'), JSON.stringify({ headers: ['include/*.h'], targets: ['x86_64-linux-gnu', 'aarch64-linux-gnu'] }));
    const r = await run(['verify'], dir);
    expect(r.stderr).toMatch(/^structgen: 2 records, \d+ checks: the compiler \(cc\) agrees \[x86_64-linux-gnu\]\nstructgen: 2 records, \d+ checks: the compiler \(clang-16\) agrees \[aarch64-linux-gnu\]\n$/);
    expect(r.code).toBe(0);
  });

  it('no compiler: exit 2 with a message', async () => {
    const dir = project();
    const r = await run(['verify', '--cc', 'no-such-compiler-here', 'include/proto.h'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the compiler 'no-such-compiler-here' does not run");
  });

  it('generate --emit-c-asserts: the C build compiles the asserts and the bit-field check returns 0', async () => {
    const dir = project();
    expect((await run(['generate', '--emit-c-asserts'], dir)).code).toBe(0);
    const c = path.join(dir, 'src/gen/proto.asserts.c');
    writeFileSync(path.join(dir, 'main.c'), 'int structgen_check_proto(void);\nint main(void) { return structgen_check_proto(); }\n');
    execFileSync('cc', ['-std=c11', '-o', path.join(dir, 'a.out'), c, path.join(dir, 'main.c')], { cwd: dir });
    expect(spawnSync(path.join(dir, 'a.out')).status).toBe(0);
    // the C side drifts: its build fails on the assert
    edit(dir, 'uint32_t length;', 'uint64_t length;');
    const r = spawnSync('cc', ['-std=c11', '-fsyntax-only', c], { cwd: dir, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('structgen: sizeof(struct packet) is 20');
  });
});
