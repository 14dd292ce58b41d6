// `structgen diff` through the built binary, as users run it: in a throw-away git repository with two commits and
// uncommitted changes (revisions against the working tree and against each other, a header whose change comes
// through a header it includes, a subfolder as the working folder), on folders and files, every output format, and
// the exit codes (0, 1 at or above --fail-on, 2 on usage errors).

import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TARGETS } from '../../generator/target/index.js';
import { folder, run } from '../cli/run.js';

const HAVE_GIT = spawnSync('git', ['--version']).status === 0;
if (!HAVE_GIT) {
  if (process.env.CI) throw new Error('git not found: the diff tests need it');
  console.warn('SKIP: git not found: the git-revision tests of structgen diff are skipped');
}

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function write(dir: string, files: { [rel: string]: string }): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
}

const COMMON_1 = '#include <stdint.h>\nstruct hdr { uint16_t kind; uint16_t len; };\n';
const COMMON_2 = '#include <stdint.h>\nstruct hdr { uint16_t kind; uint8_t flags; uint16_t len; };\n';
const PROTO_1 = '#include <stdint.h>\n#include "common.h"\nenum color { RED, GREEN };\nstruct msg { struct hdr h; uint32_t value; };\n';
const PROTO_3 = PROTO_1.replace('GREEN', 'GREEN, BLUE');
const CONFIG = JSON.stringify({ headers: ['include/*.h'], targets: ['x86_64-linux-gnu', 'i386-linux-gnu'] });

/** A repository: commit 1, commit 2 (common.h changed), and an uncommitted change to proto.h. */
function repository(): string {
  const dir = folder({}, 'structgen-diff-');
  git(dir, 'init', '-q');
  write(dir, { 'structgen.config.json': CONFIG, 'include/common.h': COMMON_1, 'include/proto.h': PROTO_1 });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'one');
  write(dir, { 'include/common.h': COMMON_2 });
  git(dir, 'commit', '-q', '-am', 'two');
  write(dir, { 'include/proto.h': PROTO_3 });
  return dir;
}

describe.skipIf(!HAVE_GIT)('git revisions', () => {
  const dir = repository();

  it('diff HEAD~1: the committed change of an included header and the uncommitted one, exit 1', async () => {
    const r = await run(['diff', 'HEAD~1'], dir);
    expect(r.stderr).toBe('');
    // positions are the declared names' (`flags` is the 37th column of `struct hdr { uint16_t kind; uint8_t flags; ...`)
    expect(r.stdout).toBe([
      "include/common.h:2:37: breaking: struct hdr: member 'flags' (uint8_t) inserted at byte 2, where existing members were",
      "include/common.h:2:53: breaking: struct hdr: member 'len' moved from byte 2 to byte 4",
      'include/common.h:2:1: breaking: struct hdr: size changed from 4 to 6 bytes',
      "include/proto.h:4:25: breaking: struct msg: member 'h' (struct hdr) changed size from 4 bytes to 6 bytes",
      "include/proto.h:4:37: breaking: struct msg: member 'value' moved from byte 4 to byte 8",
      'include/proto.h:4:1: breaking: struct msg: size changed from 8 to 12 bytes',
      'include/proto.h:3:26: compatible: enum color: enumerator BLUE = 2 added',
      'structgen diff: 6 breaking, 1 compatible changes (HEAD~1 -> the working tree; 2 targets: x86_64-linux-gnu, i386-linux-gnu)',
      '',
    ].join('\n'));
    expect(r.code).toBe(1);
  });

  it('diff HEAD~1 HEAD: between two commits, the working tree left out', async () => {
    const r = await run(['diff', 'HEAD~1', 'HEAD', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { changes: Array<{ kind: string; record?: string; targets: string[] }> };
    expect(doc.changes.map((c) => `${c.kind} ${c.record}`)).toEqual([
      'member-added hdr', 'member-moved hdr', 'record-size hdr', 'member-resized msg', 'member-moved msg', 'record-size msg',
    ]);
    expect(doc.changes.every((c) => c.targets.join() === 'x86_64-linux-gnu,i386-linux-gnu')).toBe(true);
  });

  it('diff HEAD: only the uncommitted, compatible change; --fail-on decides the exit code', async () => {
    const r = await run(['diff', 'HEAD'], dir);
    expect(r.stdout).toBe('include/proto.h:3:26: compatible: enum color: enumerator BLUE = 2 added\n' +
      'structgen diff: 1 compatible change (HEAD -> the working tree; 2 targets: x86_64-linux-gnu, i386-linux-gnu)\n');
    expect(r.code).toBe(0);
    expect((await run(['diff', 'HEAD', '--fail-on', 'compatible'], dir)).code).toBe(1);
    expect((await run(['diff', 'HEAD~1', '--fail-on', 'none'], dir)).code).toBe(0);
    expect((await run(['diff', 'HEAD~1', 'HEAD', '--fail-on=breaking'], dir)).code).toBe(1);
  });

  it('headers named after the revisions, relative to a subfolder; -t picks the targets', async () => {
    const r = await run(['diff', 'HEAD~1', 'HEAD', 'common.h', '-t', 'i386-linux-gnu', '--format', 'json'], path.join(dir, 'include'));
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { targets: string[]; changes: Array<{ kind: string; where: { file: string } }> };
    expect(doc.targets).toEqual(['i386-linux-gnu']);
    expect(doc.changes.map((c) => c.kind)).toEqual(['member-added', 'member-moved', 'record-size']);
    expect(doc.changes[0]!.where.file).toBe('common.h');
  });

  it("a header removed since: its records are removed; errors at a revision name it", async () => {
    const d = repository();
    git(d, 'rm', '-q', 'include/common.h');
    write(d, { 'include/proto.h': '#include <stdint.h>\nstruct msg { uint32_t value; };\n' });
    const r = await run(['diff', 'HEAD', '--format', 'json'], d);
    const doc = JSON.parse(r.stdout) as { changes: Array<{ kind: string; record?: string; where: { side: string; shown: string } }> };
    const removed = doc.changes.find((c) => c.kind === 'record-removed' && c.record === 'hdr')!;
    expect(removed.where).toMatchObject({ side: 'old', shown: 'HEAD:include/common.h:2:1' });
    git(d, 'add', '-A');
    git(d, 'commit', '-q', '-m', 'three');
    write(d, { 'include/proto.h': '#error this version does not build\n' });
    git(d, 'commit', '-q', '-am', 'broken');
    const bad = await run(['diff', 'HEAD', 'HEAD~1'], d);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^HEAD:include\/proto\.h:1:1: error: #error this version does not build$/m);
    expect(bad.stdout).toBe('');
  });

  it('usage errors: exit 2 and nothing on stdout', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['diff'], /name what to compare: OLD \[NEW\]/],
      [['diff', 'no-such-rev'], /'no-such-rev' is neither a file, a folder nor a git revision/],
      [['diff', 'HEAD', '-t', 'x86_64-linux-gnu', '--targets', 'all'], /-t and --targets all cannot be combined/],
      [['diff', 'HEAD', '--format', 'pdf'], /option '--format' must be text or json or markdown or html/],
      [['diff', 'HEAD', '--fail-on', 'warning'], /option '--fail-on' must be breaking or compatible or none/],
      [['diff', 'HEAD', '-t', 'x86-64-linux'], /unknown target 'x86-64-linux'/],
      [['diff', 'include', 'HEAD'], /'include' is a folder: name the folder to compare it with after it/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.stdout).toBe('');
    }
    write(dir, { HEAD: '' });
    const both = await run(['diff', 'HEAD'], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("'HEAD' is both a file and a git revision; write './HEAD' for the file or 'HEAD^{commit}' for the revision");
    rmSync(path.join(dir, 'HEAD'));
    const outside = await run(['diff', 'v1.0'], folder({}));
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('(and this is not inside a git repository)');
  });
});

describe('files and folders', () => {
  it('two files; --targets all names the family a change is confined to', async () => {
    const dir = folder({
      'a/rec.h': '#include <stdint.h>\nstruct rec { uint32_t id; long stamp; };\n',
      'b/rec.h': '#include <stdint.h>\nstruct rec { uint32_t id; int64_t stamp; };\n',
    });
    const r = await run(['diff', 'a/rec.h', 'b/rec.h', '--targets', 'all', '--format', 'json'], dir);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { targets: string[]; changes: Array<{ kind: string; class: string; scope: string }> };
    expect(doc.targets.length).toBe(TARGETS.length);
    const retyped = doc.changes.filter((c) => c.kind === 'member-retyped').map((c) => `${c.class} ${c.scope}`);
    // `long` is 4 bytes on every 32-bit and 16-bit target and on 64-bit Windows; 8 elsewhere
    // (the change of more targets first)
    expect(retyped).toEqual(['breaking on targets with a 4-byte long only', 'source-only on targets with an 8-byte long only']);
    expect(r.code).toBe(1);
  });

  it('two folders: every header in either, matched by its path inside them', async () => {
    const dir = folder({
      'v1/include/a.h': 'struct a { int x; };\n', 'v1/include/gone.h': 'struct g { int y; };\n',
      'v2/include/a.h': 'struct a { int x; int y; };\n', 'v2/include/new.h': 'struct n { char c; };\n',
    });
    const r = await run(['diff', 'v1', 'v2'], dir);
    expect(r.stdout.split('\n')).toEqual([
      "v2/include/a.h:1:23: breaking: struct a: member 'y' (int) appended at byte 4, past the old end (4 bytes): the record grows, which breaks it where it is used by value or in arrays (no size member marks it extensible)",
      'v2/include/a.h:1:1: breaking: struct a: size changed from 4 to 8 bytes',
      'v1/include/gone.h:1:1: breaking: struct g removed (it was 4 bytes, in v1/include/gone.h)',
      'v2/include/new.h:1:1: compatible: struct n added (1 byte, align 1)',
      'structgen diff: 3 breaking, 1 compatible changes (v1 -> v2; 1 target: x86_64-linux-gnu)',
      '',
    ]);
    expect(r.code).toBe(1);
    const one = await run(['diff', 'v1', 'v2', 'include/a.h', '--fail-on', 'none'], dir);
    expect(one.stdout).toContain('2 breaking changes');
    expect(one.code).toBe(0);
    expect((await run(['diff', 'v1', 'v2', 'include/nowhere.h'], dir)).stderr).toContain("cannot read 'include/nowhere.h' in 'v1' nor in 'v2'");
  });
});

describe('formats', () => {
  const dir = folder({
    'old.h': '#include <stdint.h>\n#define LIMIT 4\nstruct s { uint32_t size; uint16_t a; uint8_t flags; };\n',
    'new.h': '#include <stdint.h>\n#define LIMIT 8\nstruct s { uint32_t size; uint16_t a; uint8_t mode; uint8_t more; uint32_t tail; };\n',
  });

  it('json: the CONTRACTS shape, every key in its place', async () => {
    const r = await run(['diff', 'old.h', 'new.h', '--format', 'json'], dir);
    const doc = JSON.parse(r.stdout) as { changes: Array<{ [k: string]: unknown }> };
    expect(Object.keys(doc)).toEqual(['tool', 'version', 'old', 'new', 'targets', 'changes']);
    for (const c of doc.changes) {
      const keys = Object.keys(c).filter((k) => !['scope', 'where'].includes(k));
      const optional = ['record', 'member', 'enum', 'constant'].filter((k) => k in c);
      expect(keys).toEqual(['kind', 'class', ...optional, 'targets', 'old', 'new', 'message']);
      expect(['breaking', 'compatible', 'source-only']).toContain(c.class);
    }
    expect(doc.changes.map((c) => [c.kind, c.class, c.record ?? c.constant, c.member ?? null])).toEqual([
      ['member-renamed', 'source-only', 's', 'mode'],
      ['padding-filled', 'compatible', 's', 'more'],
      ['member-added', 'compatible', 's', 'tail'],
      ['record-size', 'compatible', 's', null],
      ['constant-changed', 'breaking', 'LIMIT', null],
    ]);
    expect(doc.changes[4]).toMatchObject({ old: '4', new: '8', message: 'constant LIMIT changed from 4 to 8' });
    expect(r.code).toBe(1);
  });

  it('markdown: a table for a pull request, names as code', async () => {
    const r = await run(['diff', 'old.h', 'new.h', '--format', 'markdown', '--fail-on', 'none'], dir);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('### structgen diff: 1 breaking, 3 compatible, 1 source-only changes');
    expect(lines[2]).toBe('`old.h` → `new.h`, 1 target: `x86_64-linux-gnu`');
    expect(lines).toContain('| source-only | struct s: member `flags` renamed to `mode` \\(same place and type\\) | all | `new.h:3` |'.replace(/\\\(|\\\)/g, (m) => m.slice(1)));
    expect(lines).toContain('| **breaking** | constant LIMIT changed from 4 to 8 | all | `new.h:2` |');
    expect(r.code).toBe(0);
  });

  it('html: the pictures of both versions, self-contained', async () => {
    const r = await run(['diff', 'old.h', 'new.h', '--format', 'html'], dir);
    expect(r.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(r.stdout.match(/<svg /g)?.length).toBe(2);
    expect(r.stdout).not.toMatch(/<script|<link|@import|url\(http/);
    expect(r.code).toBe(1);
  });

  it('text on a terminal is coloured when asked (FORCE_COLOR), plain in a pipe', async () => {
    const plain = await run(['diff', 'old.h', 'new.h'], dir);
    expect(plain.stdout).not.toContain('\u001b[');
    const coloured = await run(['diff', 'old.h', 'new.h'], dir, { FORCE_COLOR: '1' });
    expect(coloured.stdout).toContain('\u001b[31m');
  });
});
