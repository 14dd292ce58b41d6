// `structgen decode` and `structgen dump` on real and endless inputs (issue 23.5, 23.6) and `--record` (issue 21.4),
// as users run them: /dev/zero and /dev/urandom with `| head`, `yes |` on stdin, a sparse 1.9 GB file read at an
// offset (peak memory measured in the process), zero-size records with an absurd count, a 40 KB file of records ending
// in a flexible array, a FIFO with no writer yet, counted records stepped over one by one, and several records
// chosen by name or /regex/ for layout, decode and dump.

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'dist/generator/cli/main.js');
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run 'npm run build' first (npm test does)`);
const CAPTURE = path.join(ROOT, 'headers/capture.h');
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'structgen-stream-'));

/** Preloaded into the CLI's process: its peak resident memory, printed on stderr at exit. */
const HOOK = path.join(tmp(), 'maxrss.cjs');
writeFileSync(HOOK, "process.on('exit', () => require('fs').writeSync(2, `maxrss=${process.resourceUsage().maxRSS}\\n`));\n");

interface Run { code: number | null; stdout: string; stderr: string; maxRssKb: number | null }

function env(): NodeJS.ProcessEnv {
  const e = { ...process.env };
  delete e.FORCE_COLOR;
  delete e.NO_COLOR;
  return e;
}

function split(r: { status: number | null; stdout: string; stderr: string }): Run {
  const m = /maxrss=(\d+)\n/.exec(r.stderr);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/maxrss=\d+\n/, ''), maxRssKb: m ? Number(m[1]) : null };
}

/** The CLI, with `input` on stdin; the timeout only guards the run against a hang (it asserts nothing on speed). */
function cli(args: string[], opts: { input?: string | Buffer; cwd?: string } = {}): Run {
  const r = spawnSync(process.execPath, ['-r', HOOK, BIN, ...args], { encoding: 'utf8', cwd: opts.cwd ?? ROOT, input: opts.input, env: env(), timeout: 120_000, maxBuffer: 256 << 20 });
  return split({ status: r.status, stdout: r.stdout, stderr: r.stderr });
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** A shell pipeline around the CLI (`structgen` stands for it); its exit status is the last command's. */
function shell(pipeline: string): Run {
  const cmd = `${q(process.execPath)} -r ${q(HOOK)} ${q(BIN)}`;
  const script = pipeline.replace(/\bstructgen\b/g, cmd);
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: ROOT, env: env(), timeout: 120_000, maxBuffer: 256 << 20 });
  return split({ status: r.status, stdout: r.stdout, stderr: r.stderr });
}

const HAVE_DEV = existsSync('/dev/zero') && existsSync('/dev/urandom');
const MB = 1024;

describe.skipIf(!HAVE_DEV)('endless inputs end with the reader, in bounded memory', () => {
  it('decode --all --format ndjson /dev/zero | head -n 1000', () => {
    const r = shell(`structgen decode ${q(CAPTURE)} --record capture_timestamp --all --format ndjson /dev/zero | head -n 1000`);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(1000);
    expect(new Set(lines)).toEqual(new Set(['{"sec":0,"usec":0}']));
    expect(r.maxRssKb).toBeLessThan(300 * MB);
  });

  it('the json document streams too: decode --all /dev/urandom | head -c 200000 is a well-formed beginning', () => {
    const r = shell(`structgen decode ${q(CAPTURE)} --record capture_timestamp --all /dev/urandom | head -c 200000`);
    expect(r.stdout.length).toBe(200000);
    expect(r.stdout).toMatch(/^\[\n  \{\n    "sec": \d+,\n    "usec": \d+\n  \},\n  \{/);
    expect(r.maxRssKb).toBeLessThan(300 * MB);
  });

  it('yes | structgen decode ... - reads one record and ends; --all of it ends with head', () => {
    const one = shell(`yes | structgen decode ${q(CAPTURE)} --record capture_timestamp -`);
    expect(one.code).toBe(0);
    const y = 0x0a79_0a79; // "y\ny\n", little-endian
    expect(JSON.parse(one.stdout)).toEqual({ sec: y, usec: y });
    const all = shell(`yes | structgen decode ${q(CAPTURE)} --record capture_timestamp --all --format table - | head -n 7`);
    expect(all.stdout).toBe(`struct capture_timestamp at byte offset 0\nmember  offset  type      value\nsec          0  uint32_t  ${y} (0x${y.toString(16)})\nusec         4  uint32_t  ${y} (0x${y.toString(16)})\n\nstruct capture_timestamp at byte offset 8\nmember  offset  type      value\n`);
  });

  it('dump /dev/zero: one record, and --count of many through head', () => {
    const one = cli(['dump', CAPTURE, '--record', 'capture_file_header', '/dev/zero']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^struct capture_file_header at byte offset 0 \(0x0\), 24 bytes\n00000000  00 00 00 00 +magic +0\n/);
    const many = shell(`structgen dump ${q(CAPTURE)} --record capture_timestamp --count 9007199254740991 /dev/zero | head -n 4000`);
    expect(many.stdout.split('\n').filter((l) => l.startsWith('struct capture_timestamp')).length).toBe(1000);
    expect(many.maxRssKb).toBeLessThan(300 * MB);
  });

  it('a single record whose flexible array takes the rest of an endless input: an error at 16 MiB, not a hang', () => {
    const r = cli(['decode', CAPTURE, '--record', 'capture_record', '/dev/zero']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^structgen: error: capture_record at byte offset 0: its flexible array takes the rest of the input, which is more than 16 MiB;/);
    expect(r.maxRssKb).toBeLessThan(400 * MB);
  });
});

describe('big, odd and slow inputs', () => {
  it('a 1.9 GB file read at --offset 1000: seeks, so memory stays small', () => {
    const f = path.join(tmp(), 'big.bin');
    const fd = openSync(f, 'w');
    writeSync(fd, Buffer.from([1, 0, 0, 0, 2, 0, 0, 0]), 0, 8, 1000);
    writeSync(fd, Buffer.from([7]), 0, 1, 1900 * 1024 * 1024 - 1); // sparse: nothing between is stored
    closeSync(fd);
    const r = cli(['decode', CAPTURE, '--record', 'capture_timestamp', '--offset', '1000', f]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ sec: 1, usec: 2 });
    expect(r.maxRssKb).toBeLessThan(300 * MB);
    const d = cli(['dump', CAPTURE, '--record', 'capture_timestamp', '--offset', String(1900 * 1024 * 1024 - 8), f]);
    expect(d.stdout).toMatch(/^76bffff8  00 00 00 00 +sec +0\n76bffffc  00 00 00 07 +usec +117440512 \(0x7000000\)$/m);
    expect(d.maxRssKb).toBeLessThan(300 * MB);
  });

  it('zero-size records: --count 9007199254740991 is refused at once (the runtime caps it too), --all reads none', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'z.h'), 'struct empty {};\nstruct none { int a[0]; };\n');
    for (const rec of ['empty', 'none']) {
      const r = cli(['decode', 'z.h', '--record', rec, '--count', '9007199254740991', '/dev/zero'], { cwd: dir });
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toBe(`structgen: error: ${rec}: a count of 9007199254740991 zero-size records is too many (at most 65536)\n`);
    }
    expect(cli(['decode', 'z.h', '--record', 'empty', '--count', '3', '--format', 'ndjson', '/dev/zero'], { cwd: dir }).stdout).toBe('{}\n{}\n{}\n');
    expect(cli(['decode', 'z.h', '--record', 'empty', '--all', '/dev/zero'], { cwd: dir }).stdout).toBe('[]\n');
  });

  it('--all over 40 KB of records ending in a flexible uint8_t[]: each tail ends where the next record begins (linear)', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'f.h'), '#include <stdint.h>\nstruct f { uint32_t n; uint8_t k; uint8_t tail[]; };\n'); // size 8, tail at 5
    const bytes = Buffer.alloc(40 * 1024, 0);
    for (let i = 0; i < bytes.length; i += 8) { bytes.writeUInt32LE(i / 8, i); bytes[i + 4] = 0xee; bytes[i + 5] = i & 0xff; bytes[i + 7] = 0xff; }
    writeFileSync(path.join(dir, 'f.bin'), bytes);
    const r = cli(['decode', 'f.h', '--record', 'f', '--all', '--format', 'ndjson', 'f.bin'], { cwd: dir });
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { n: number; k: number; tail: string });
    expect(rows.length).toBe(5120);
    rows.forEach((x, i) => expect(x).toEqual({ n: i, k: 0xee, tail: `${((i * 8) & 0xff).toString(16).padStart(2, '0')}00ff` }));
    // one record alone still takes every byte after it
    const one = cli(['decode', 'f.h', '--record', 'f', '--offset', String(40 * 1024 - 16), 'f.bin'], { cwd: dir });
    expect(JSON.parse(one.stdout).tail).toBe(`${bytes.subarray(40 * 1024 - 11).toString('hex')}`);
  });

  it('records whose flexible array is counted are stepped over one by one (as decodeMany does), --all to the end', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'structgen.config.json'), JSON.stringify({ headers: [CAPTURE], fields: { 'capture_record.data': { countedBy: 'incl_len' } } }));
    const rec = (sec: number, data: number[]) => { const b = Buffer.alloc(16 + data.length); b.writeUInt32LE(sec, 0); b.writeUInt32LE(data.length, 8); b.writeUInt32LE(data.length, 12); Buffer.from(data).copy(b, 16); return b; };
    const file = Buffer.concat([Buffer.alloc(24), rec(1, [0xde, 0xad]), rec(2, []), rec(3, [1, 2, 3, 4, 5]), Buffer.from([9, 9, 9])]);
    writeFileSync(path.join(dir, 'p.pcap'), file);
    const all = cli(['decode', '--record', 'capture_record', '--offset', '24', '--all', '--format', 'ndjson', 'p.pcap'], { cwd: dir });
    expect(all.stderr).toBe('');
    expect(all.stdout.trimEnd().split('\n').map((l) => { const v = JSON.parse(l); return [v.ts.sec, v.data]; })).toEqual([[1, 'dead'], [2, ''], [3, '0102030405']]);
    const piped = cli(['decode', '--record', 'capture_record', '--offset', '24', '--count', '3', '--format', 'ndjson', '-'], { cwd: dir, input: file });
    expect(piped.stdout).toBe(all.stdout);
    const four = cli(['decode', '--record', 'capture_record', '--offset', '24', '--count', '4', '--format', 'ndjson', 'p.pcap'], { cwd: dir });
    expect(four.code).toBe(1);
    expect(four.stderr).toBe('structgen: error: capture_record at byte offset 79 (record 3 of 4) needs 16 bytes, only 3 available\n');
    expect(four.stdout).toBe(all.stdout); // the records before the error are written
  });

  it('a FIFO with no writer waits for one, and says so after a second', async (ctx) => {
    const dir = tmp();
    const fifo = path.join(dir, 'fifo');
    if (spawnSync('mkfifo', [fifo]).status !== 0) { console.warn('SKIP: mkfifo (coreutils) cannot make a FIFO here'); ctx.skip(); return; }
    const p = spawn(process.execPath, [BIN, 'decode', CAPTURE, '--record', 'capture_timestamp', '--count', '2', '--format', 'ndjson', fifo], { env: env() });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    const noted = new Promise<void>((res) => p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); if (stderr.includes('\n')) res(); }));
    const guard = setTimeout(() => p.kill('SIGKILL'), 60_000);
    await noted;
    expect(stderr).toBe(`structgen: note: waiting for a program to write to the FIFO '${fifo}' (Ctrl-C stops)\n`);
    const w = spawn('sh', ['-c', `printf '\\001\\000\\000\\000\\002\\000\\000\\000\\003\\000\\000\\000\\004\\000\\000\\000' > ${q(fifo)}`]);
    const code = await new Promise<number | null>((res) => p.on('close', res));
    clearTimeout(guard);
    w.kill();
    expect(code).toBe(0);
    expect(stdout).toBe('{"sec":1,"usec":2}\n{"sec":3,"usec":4}\n');
  });
});

describe('--record NAME|/REGEX/, repeatable, on layout, decode and dump', () => {
  const dir = tmp();
  const file = path.join(dir, 'h.bin');
  writeFileSync(file, Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0xf0, 0xf1, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0]));

  it('layout: only the records named, wherever defined (an included header\'s too), in text and JSON', () => {
    const t = cli(['layout', CAPTURE, '--record', 'capture_timestamp']);
    expect(t.code).toBe(0);
    expect(t.stdout.match(/^struct \w+ \{/gm)).toEqual(['struct capture_timestamp {']);
    writeFileSync(path.join(dir, 'inner.h'), 'struct inner { short s; };\n');
    writeFileSync(path.join(dir, 'outer.h'), '#include "inner.h"\n#include "../../' + path.relative(path.join(dir, '../..'), CAPTURE) + '"\nstruct outer { struct inner i; };\n');
    const j = JSON.parse(cli(['layout', '--json', 'outer.h', '--record', '/^capture_(file|time)/', '--record', 'inner'], { cwd: dir }).stdout) as { records: Array<{ name: string; file: string }> };
    expect(j.records.map((r) => r.name)).toEqual(['inner', 'capture_file_header', 'capture_timestamp']);
    expect(cli(['layout', '--json', 'outer.h'], { cwd: dir }).stdout).toMatch(/"name": "outer"/);
    const all = JSON.parse(cli(['layout', '--json', CAPTURE]).stdout) as { records: Array<{ name: string; file: string }> };
    const noFile = (r: { file?: string } | undefined) => ({ ...r, file: path.basename(r!.file!) });
    expect(noFile(j.records.find((r) => r.name === 'capture_timestamp'))).toEqual(noFile(all.records.find((r) => r.name === 'capture_timestamp')));
    const svg = cli(['layout', '--format', 'svg', CAPTURE, '--record', 'capture_record']);
    expect(svg.stdout).toContain('capture_record');
    expect(svg.stdout).not.toContain('capture_file_header');
  });

  it('decode of several records: each at the offset, keyed by record in json and ndjson, one after another in table', () => {
    const r = cli(['decode', CAPTURE, '--record', 'capture_file_header', '--record', 'capture_timestamp', file]);
    expect(r.stderr).toBe('');
    const v = JSON.parse(r.stdout);
    expect(Object.keys(v)).toEqual(['capture_file_header', 'capture_timestamp']);
    expect(v.capture_timestamp).toEqual({ sec: 0xa1b2c3d4, usec: 0x40002 });
    expect(v.capture_file_header).toEqual(JSON.parse(cli(['decode', CAPTURE, '--record', 'capture_file_header', file]).stdout));
    expect(r.stdout).toBe(`${JSON.stringify(v, null, 2)}\n`);
    const nd = cli(['decode', CAPTURE, '--record', 'capture_timestamp', '--record', 'capture_file_header', '--count', '1', '--format', 'ndjson', file]);
    expect(nd.stdout).toBe(`${JSON.stringify({ capture_timestamp: v.capture_timestamp })}\n${JSON.stringify({ capture_file_header: v.capture_file_header })}\n`);
    const two = cli(['decode', CAPTURE, '--record', '/^capture_time/', '--count', '3', '--format', 'ndjson', file]);
    // keyed whenever more than one --record or a /regex/ is given (the shape follows the command line, not the
    // number of matches); a single name is not keyed
    expect(two.stdout.trimEnd().split('\n').map((l) => Object.keys(JSON.parse(l)))).toEqual([['capture_timestamp'], ['capture_timestamp'], ['capture_timestamp']]);
    const many = cli(['decode', CAPTURE, '--record', 'capture_timestamp', '--record', 'capture_record', '--count', '1', file]);
    const m = JSON.parse(many.stdout);
    expect(m.capture_timestamp).toEqual([{ sec: 0xa1b2c3d4, usec: 0x40002 }]);
    expect(m.capture_record[0].incl_len).toBe(0xfffff1f0);
    expect(many.stdout).toBe(`${JSON.stringify(m, null, 2)}\n`);
    const table = cli(['decode', CAPTURE, '--record', 'capture_timestamp', '--record', 'capture_file_header', '--format', 'table', file]);
    // in the order of the --record options; a /regex/'s matches in the order of the headers
    expect(table.stdout.match(/^struct \w+ at byte offset 0$/gm)).toEqual(['struct capture_timestamp at byte offset 0', 'struct capture_file_header at byte offset 0']);
  });

  it('dump of several records, one after another', () => {
    const d = cli(['dump', CAPTURE, '--record', '/^capture_(file|time)/', file]);
    expect(d.stdout.match(/^struct \w+ at byte offset 0 \(0x0\), \d+ bytes$/gm)).toEqual(['struct capture_file_header at byte offset 0 (0x0), 24 bytes', 'struct capture_timestamp at byte offset 0 (0x0), 8 bytes']);
  });

  it('a name that matches nothing suggests the nearest; a bad /regex/ and several records --all from a pipe are usage errors', () => {
    for (const cmd of ['decode', 'dump']) {
      const r = cli([cmd, CAPTURE, '--record', 'capture_recrod', file]);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `structgen: error: no record 'capture_recrod' in ${CAPTURE} (did you mean 'capture_record'?)\n`]);
    }
    const lay = cli(['layout', CAPTURE, '--record', 'capture_timestmp']);
    expect(lay.code).toBe(2);
    expect(lay.stderr).toMatch(/^structgen: error: no record 'capture_timestmp' in .*capture\.h \(did you mean 'capture_timestamp'\?\)$/m);
    const re = cli(['decode', CAPTURE, '--record', '/^zzz/', file]);
    expect([re.code, re.stderr]).toEqual([2, `structgen: error: no record in ${CAPTURE} matches /^zzz/; records: capture_file_header, capture_timestamp, capture_record\n`]);
    const bad = cli(['decode', CAPTURE, '--record', '/(/', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^structgen: error: --record \/\(\/: not a regular expression/);
    const pipe = cli(['decode', CAPTURE, '--record', '/^capture_(file|time)/', '--all', '-'], { input: Buffer.alloc(64) });
    expect(pipe.code).toBe(2);
    expect(pipe.stderr).toMatch(/--record matches 2 records: reading each with --all reads the input once per record, which needs a file, not stdin/);
  });
});
