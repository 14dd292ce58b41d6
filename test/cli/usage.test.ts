// Usage errors stop before any work (exit 2, one error line, nothing written, nothing on stdout) and suggest a
// near spelling; unreadable inputs give the operating system's reason; a foreign target's missing system header
// points at --sysroot; on a terminal: source snippets with a caret, colours (NO_COLOR, FORCE_COLOR), help wrapped
// to the terminal's width, a progress line for long runs.

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../generator/cli/options.js';
import { VERSION } from '../../generator/pipeline.js';
import { folder, HAVE_SCRIPT, OK_H, ROOT, run, runTty } from './run.js';

const errorLines = (s: string) => s.split('\n').filter((l) => /\berror:/.test(l));
const listing = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).sort();

describe('usage errors: exit 2, one error, nothing written', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['a mistyped option of generate', ['generate', '--outdir', 'foo', 'ok.h'], /unknown option '--outdir' for 'generate' \(did you mean '--out'\?\)/],
    ['a mistyped option of layout', ['layout', '--targt', 'x', 'ok.h'], /unknown option '--targt' for 'layout' \(did you mean '--target'\?\)/],
    ['-o without its value', ['generate', 'ok.h', '-o'], /option '-o' needs a value/],
    ['-o with an empty value', ['generate', 'ok.h', '-o', ''], /option '-o' needs a non-empty value/],
    ['--out= with an empty value', ['generate', 'ok.h', '--out='], /option '--out' needs a non-empty value/],
    ['a mistyped command', ['generat', 'ok.h'], /^structgen: error: unknown command 'generat' \(did you mean 'generate'\?\)$/m],
    ['an unknown command with no near spelling', ['frobnicate'], /unknown command 'frobnicate'; the commands are generate, layout, check, verify, decode, dump, diff, targets/],
    ['no command', [], /name a command: generate, layout, check, verify, decode, dump, diff, targets/],
    ['a mistyped target', ['layout', '-t', 'x86-64-linux-gnu', 'ok.h'], /unknown target 'x86-64-linux-gnu'; did you mean 'x86_64-linux-gnu'\?/],
    ['an unknown target', ['layout', '-t', 'vax-dec-ultrix', 'ok.h'], /unknown target 'vax-dec-ultrix'; known targets: x86_64-linux-gnu, i386-linux-gnu/],
    ['a mistyped choice', ['layout', '--compiler', 'clnag', 'ok.h'], /option '--compiler' must be clang or gcc, not 'clnag' \(did you mean 'clang'\?\)/],
    ['an include folder that does not exist', ['layout', '-I', 'nonexistent_dir', 'ok.h'], /include folder 'nonexistent_dir' \(-I\): no such file or directory/],
    ['an include folder that is a file', ['layout', '-Iok.h', 'ok.h'], /include folder 'ok\.h' \(-I\): not a directory/],
    ['a sysroot that does not exist', ['layout', '--sysroot', 'nowhere', 'ok.h'], /sysroot 'nowhere' \(--sysroot\): no such file or directory/],
    ['an option given twice', ['generate', '-o', 'a', '-o', 'b', 'ok.h'], /option '--out' given more than once/],
    ['a value for a switch', ['layout', '--json=yes', 'ok.h'], /option '--json' takes no value/],
    ['a negated switch misspelt', ['layout', '--noMsBitfields', 'ok.h'], /unknown option '--noMsBitfields' for 'layout' \(did you mean '--no-ms-bitfields'\?\)/],
    ['a config file that does not exist', ['layout', '-c', 'nope.json', 'ok.h'], /config file 'nope\.json' not found/],
    ['arguments to check', ['check', 'ok.h'], /'check' takes no arguments, got 'ok\.h'/],
    ['no headers', ['layout'], /no headers given/],
  ];
  for (const [name, args, want] of cases) {
    it(name, async () => {
      const dir = folder({ 'ok.h': OK_H });
      const before = listing(dir);
      const r = await run(args, dir);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(want);
      expect(errorLines(r.stderr)).toHaveLength(1);
      expect(r.stderr).not.toMatch(/Did you mean|Unknown argument|internal error|\bat .*\.js:\d+/);
      expect(r.stdout).toBe('');
      expect(listing(dir)).toEqual(before);
    });
  }

  it('options may come before the command, and camelCase spellings work', async () => {
    const dir = folder({ 'ok.h': OK_H });
    const r = await run(['-t', 'i386-linux-gnu', 'layout', '--json', '--shortEnums', 'ok.h'], dir);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).target).toBe('i386-linux-gnu');
  });

  it('every option that takes a value rejects an empty one', async () => {
    const dir = folder({ 'ok.h': OK_H });
    const seen: string[] = [];
    for (const c of COMMANDS) {
      for (const o of c.options.filter((x) => x.type === 'string')) {
        const flag = o.name.length === 1 ? `-${o.name}` : `--${o.name}`;
        const r = await run([c.name, flag, '', ...(c.positional ? ['ok.h'] : [])], dir);
        expect(r.code, `${c.name} ${flag} ''`).toBe(2);
        expect(r.stderr).toContain(`option '${flag}' needs a non-empty value`);
        seen.push(`${c.name} ${flag}`);
      }
    }
    expect(seen).toContain('generate --out');
    expect(seen).toContain('verify --cc');
    expect(listing(dir)).toEqual(['ok.h']);
  });
});

describe('inputs that cannot be read: the reason, exit 1', () => {
  it('a missing header, a folder named as a header, with and without --json', async () => {
    const dir = folder({ 'ok.h': OK_H, 'sub/x.h': '' });
    const missing = await run(['layout', '--json', '/nonexistent.h'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("structgen: error: cannot read '/nonexistent.h': no such file or directory\n");
    expect(missing.stdout).toBe('');
    const folderAsHeader = await run(['generate', 'ok.h', 'sub'], dir);
    expect(folderAsHeader.code).toBe(1);
    expect(folderAsHeader.stderr).toContain("cannot read 'sub': is a directory");
    expect(listing(dir)).toEqual(['ok.h', 'sub', 'sub/x.h']);
  });

  it("a foreign target's missing system header notes that host headers are not used and names --sysroot", async () => {
    const dir = folder({ 'k.h': '#include <linux/types.h>\nstruct k { __u32 a; };\n' });
    const foreign = await run(['layout', '-t', 'aarch64-linux-gnu', 'k.h'], dir);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/k\.h:1:10: error: 'linux\/types\.h' file not found\nstructgen: note: the host's system headers are not used for aarch64-linux-gnu; give the target's own with --sysroot DIR/);
    // a quoted include is the project's own file: no such note
    const quoted = await run(['layout', '-t', 'aarch64-linux-gnu', folder({ 'q.h': '#include "mine/missing.h"\n' }) + '/q.h'], dir);
    expect(quoted.stderr).toContain("'mine/missing.h' file not found");
    expect(quoted.stderr).not.toContain('--sysroot');
    // the host's own target has no such note
    const host = await run(['layout', folder({ 'n.h': '#include <nowhere/x.h>\n' }) + '/n.h'], dir);
    expect(host.code).toBe(1);
    expect(host.stderr).toContain("'nowhere/x.h' file not found");
    expect(host.stderr).not.toContain('--sysroot');
  });
});

describe('help and version', () => {
  it('--version is the package version', async () => {
    const r = await run(['--version'], ROOT);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    expect(r.stdout.trim()).toBe(VERSION);
  });
  it("--help of every command exits 0 and cites nothing the package does not ship", async () => {
    for (const c of COMMANDS) {
      const r = await run([c.name, '--help'], ROOT);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`structgen ${c.name}`);
      expect(r.stdout).not.toMatch(/CONTRACTS|shared\//);
    }
    expect((await run(['layout', '--help'], ROOT)).stdout).toMatch(/--json\s+machine-readable JSON \(its shape is in the README/);
  });
  it.skipIf(!HAVE_SCRIPT)('help is wrapped to the terminal, never inside a word', async () => {
    const words = (s: string) => s.split(/\s+/).filter(Boolean).sort();
    for (const args of [['--help'], ['generate', '--help'], ['check', '--help']]) {
      const wide = (await runTty(args, ROOT, { cols: 400 })).stdout;
      for (const cols of [120, 80]) {
        const shown = (await runTty(args, ROOT, { cols })).stdout;
        const lines = shown.split('\n');
        expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(cols);
        expect(words(shown)).toEqual(words(wide));
      }
      // at 120 columns the descriptions use the width: some line is longer than 80
      expect((await runTty(args, ROOT, { cols: 120 })).stdout.split('\n').some((l) => l.length > 80)).toBe(true);
    }
  });
});

describe.skipIf(!HAVE_SCRIPT)('on a terminal', () => {
  const bad = { 'bad.h': 'struct a {\n  int ok;\n  foo_t x;\n};\n' };
  const ESC = '\u001b[';
  it('a header error shows the source line and a caret under the column', async () => {
    const r = await runTty(['layout', 'bad.h'], folder(bad), { env: { NO_COLOR: '1' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("bad.h:3:3: error: unknown type name 'foo_t'\n    3 |   foo_t x;\n      |   ^\n");
    expect(r.stdout).not.toContain(ESC);
  });
  it('colours on a terminal; NO_COLOR turns them off, FORCE_COLOR on without a terminal', async () => {
    expect((await runTty(['layout', 'bad.h'], folder(bad))).stdout).toContain(`${ESC}31merror:`);
    const plain = await run(['layout', 'bad.h'], folder(bad));
    expect(plain.stderr).toBe("bad.h:3:3: error: unknown type name 'foo_t'\n");
    const forced = await run(['layout', 'bad.h'], folder(bad), { FORCE_COLOR: '1' });
    expect(forced.stderr).toContain(`${ESC}31merror:`);
    expect(forced.stderr).not.toContain(' | ');
  });
  it('a progress line while many headers are processed, erased at the end', async () => {
    const files: { [k: string]: string } = {};
    for (let i = 0; i < 25; i++) files[`h${String(i).padStart(2, '0')}.h`] = `struct s${i} { int a; char b[${i + 1}]; };\n`;
    const dir = folder(files);
    const names = Object.keys(files);
    const tty = await runTty(['generate', ...names], dir);
    expect(tty.code).toBe(0);
    expect(tty.stdout).toContain('structgen: processing 1/25 h00.h');
    expect(tty.stdout).toMatch(/\r\u001b\[Kstructgen: 51 files written, 0 unchanged in generated\n$/);
    const piped = await run(['generate', '-o', 'again', ...names], dir);
    expect(piped.stderr).toBe('structgen: 51 files written, 0 unchanged in again\n');
  });
});
