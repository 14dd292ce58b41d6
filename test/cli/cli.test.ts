// The built `structgen` binary as users run it: the layout JSON of CONTRACTS.md, the text view, exit codes,
// and bad input, which must give compiler-style diagnostics, exit 1 and print nothing on stdout.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFile } from '../helpers/compiler.js';
import { run as runIn } from './run.js';

const run = (args: string[], cwd?: string) => runIn(args, cwd ?? process.cwd());

describe('structgen layout --json', () => {
  it('prints the CONTRACTS.md example exactly', async () => {
    const dir = path.dirname(tempFile('x', ''));
    const inc = path.join(dir, 'include');
    require('node:fs').mkdirSync(inc);
    require('node:fs').writeFileSync(path.join(inc, 'time.h'), 'struct timeval { long tv_sec; long tv_usec; };\n');
    require('node:fs').writeFileSync(path.join(inc, 'sample.h'),
      '#include <stdint.h>\n#include "time.h"\nstruct sample { struct timeval time; uint16_t kind; unsigned flags : 3; };\n');
    const r = await run(['layout', '--json', 'include/sample.h'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.tool).toBe('structgen');
    expect(j.target).toBe('x86_64-linux-gnu');
    expect(j.records).toHaveLength(1);
    const rec = j.records[0];
    expect({ name: rec.name, kind: rec.kind, size: rec.size, align: rec.align, file: rec.file, line: rec.line, fields: rec.fields }).toEqual({
      name: 'sample', kind: 'struct', size: 24, align: 8, file: 'include/sample.h', line: 3,
      fields: [
        { path: 'time', type: 'struct timeval', bitOffset: 0, bitSize: 128 },
        { path: 'time.tv_sec', type: 'long', bitOffset: 0, bitSize: 64 },
        { path: 'time.tv_usec', type: 'long', bitOffset: 64, bitSize: 64 },
        { path: 'kind', type: 'uint16_t', bitOffset: 128, bitSize: 16 },
        { path: 'flags', type: 'unsigned int', bitOffset: 144, bitSize: 3, bitfield: true },
      ],
    });
  });
  it('promotes anonymous members, keeps arrays whole, names untagged records by typedef', async () => {
    const f = tempFile('a.h', 'typedef struct { char c; union { int i; struct { short lo, hi; }; }; struct { int a; } named[2]; int :3; } anon_t;\n');
    const j = JSON.parse((await run(['layout', '--json', f])).stdout);
    expect(j.records.map((r: { name: string }) => r.name)).toEqual(['anon_t']);
    expect(j.records[0].fields.map((x: { path: string; bitOffset: number }) => `${x.path}@${x.bitOffset}`))
      .toEqual(['c@0', 'i@32', 'lo@32', 'hi@48', 'named@64']);
  });
  it('honours -t, -I and -D', async () => {
    const dir = path.dirname(tempFile('x', ''));
    require('node:fs').mkdirSync(path.join(dir, 'inc'));
    require('node:fs').writeFileSync(path.join(dir, 'inc', 'n.h'), '#define N 3\n');
    const f = path.join(dir, 'm.h');
    require('node:fs').writeFileSync(f, '#include <n.h>\nstruct s { long l; char c[N + EXTRA]; };\n');
    const j = JSON.parse((await run(['layout', '--json', '-t', 'i686-pc-linux-gnu', '-I', path.join(dir, 'inc'), '-D', 'EXTRA=2', f])).stdout);
    expect(j.target).toBe('i386-linux-gnu');
    expect(j.records[0]).toMatchObject({ size: 12, align: 4 });
    expect(j.records[0].fields[1]).toMatchObject({ path: 'c', type: 'char[5]', bitOffset: 32, bitSize: 40 });
  });
});

describe('structgen layout (text)', () => {
  it('shows offsets, bit-fields, holes and padding', async () => {
    const f = tempFile('t.h', 'struct t { char c; int i; unsigned f : 3; };\n');
    const r = await run(['layout', f]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/struct t \{/);
    expect(r.stdout).toMatch(/XXX 3 bytes hole at 1/);
    expect(r.stdout).toMatch(/f:3;\s+\/\*\s+8: 0\s+3 bits \*\//);
    expect(r.stdout).toMatch(/XXX 3 bytes 5 bits padding at 8:3/);
    expect(r.stdout).toMatch(/size: 12, align: 4/);
  });
});

describe('exit codes and usage', () => {
  it('usage errors exit 2', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
    // no headers and no structgen.config.json in the working directory
    expect((await run(['layout'], path.dirname(tempFile('empty', '')))).code).toBe(2);
    const r = await run(['layout', '-t', 'vax-dec-ultrix', tempFile('a.h', 'struct a { int x; };')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown target 'vax-dec-ultrix'; known targets: x86_64-linux-gnu, i386-linux-gnu/);
  });
  it('--help works on each command', async () => {
    expect((await run(['layout', '--help'])).stdout).toMatch(/--json/);
    expect((await run(['--help'])).code).toBe(0);
  });
  it('lists targets', async () => {
    expect((await run(['targets'])).stdout).toMatch(/^x86_64-linux-gnu .*x86_64-unknown-linux-gnu/m);
  });
});

describe('bad input: one compiler-style error, exit 1, nothing on stdout', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    // (a last member without ';' is accepted with a warning, as clang does: test/parse/accepted.test.ts)
    ['syntax error', { 'm.h': 'struct a {\n  int x y;\n};\n' }, /m\.h:2:9: error: syntax error near 'y'/],
    ['unknown type name', { 'm.h': 'struct a {\n  int ok;\n  foo_t x;\n};\n' }, /m\.h:3:3: error: unknown type name 'foo_t'/],
    ['missing include, with the chain', { 'm.h': '#include "mid.h"\n', 'mid.h': '\n#include <nowhere/x.h>\n' },
      /mid\.h:2:10: error: 'nowhere\/x\.h' file not found\n.*m\.h:1:1: note: in file included from here/],
    ['include cycle', { 'm.h': '#include "a.h"\n', 'a.h': '#include "m.h"\n' }, /a\.h:1:10: error: #include nested too deeply/],
    ['recursive macro', { 'm.h': '#define N (N + 1)\nstruct a { int x[N]; };\n' }, /m\.h:2:18: error: use of undeclared identifier 'N'/],
    ['negative array size', { 'm.h': 'struct a { int x[2 - 3]; };\n' }, /m\.h:1:18: error: array has negative size \(-1\)/],
    ['absurd array size', { 'm.h': 'struct a { char x[1ULL << 62]; };\n' }, /m\.h:1:19: error: array is too large/],
    ['bit-field wider than its type', { 'm.h': 'struct a {\n  unsigned char c : 9;\n};\n' }, /m\.h:2:21: error: width of bit-field 'c' \(9 bits\) exceeds the width of its type \(8 bits\)/],
    ['struct containing itself', { 'm.h': 'struct a {\n  int n;\n  struct a inner;\n};\n' }, /m\.h:3:\d+: error: field 'inner' has incomplete type/],
    ['#error', { 'm.h': '#ifndef CONFIGURED\n#error "define CONFIGURED first"\n#endif\n' }, /m\.h:2:1: error: #error "define CONFIGURED first"/],
    ['incomplete member type', { 'm.h': 'struct b;\nstruct a { struct b inner; };\n' }, /m\.h:2:21: error: incomplete type 'struct b'/],
    ['unterminated comment', { 'm.h': 'struct a { int x; };\n/* never closed\n' }, /m\.h:2:1: error: unterminated \/\* comment/],
    ['zero-width named bit-field', { 'm.h': 'struct a { int x : 0; };\n' }, /m\.h:1:20: error: named bit-field 'x' has zero width/],
  ];
  for (const [name, files, want] of cases) {
    it(name, async () => {
      const dir = path.dirname(tempFile('x', ''));
      for (const [f, t] of Object.entries(files)) require('node:fs').writeFileSync(path.join(dir, f), t);
      const r = await run(['layout', '--json', 'm.h'], dir);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(want);
      expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    });
  }
});
