// `structgen decode` and `structgen dump` as users run them (the built binary): real ELF files against readelf, a
// classic pcap file written here, enums and bools with --strict, a big-endian target, --endian, the config file,
// stdin, colours only when asked for, and every kind of bad input with its exit code. Also `layout --format` from the
// command line and the text view's colours.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'dist/generator/cli/main.js');
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run 'npm run build' first (npm test does)`);
const CAPTURE = path.join(ROOT, 'headers/capture.h');

function run(args: string[], opts: { cwd?: string; input?: Buffer; env?: { [k: string]: string } } = {}) {
  const env: { [k: string]: string | undefined } = { ...process.env, ...opts.env };
  if (!opts.env?.FORCE_COLOR) delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: opts.cwd ?? ROOT, input: opts.input, env, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'structgen-decode-'));
const ESC = '\x1b[';

const HAVE_ELF = existsSync('/usr/include/elf.h') && existsSync('/bin/ls') && (() => { try { execFileSync('readelf', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; } })();
if (!HAVE_ELF) console.warn('SKIP: the ELF decode test needs /usr/include/elf.h, /bin/ls and readelf (binutils)');

function readelf(file: string) {
  const out = execFileSync('readelf', ['-h', '-l', '-W', file], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  const field = (label: string) => new RegExp(`^\\s*${label}:\\s+(.*)$`, 'm').exec(out)![1]!.trim();
  const num = (label: string) => /^(\d+)/.exec(field(label))![1]!;
  const rows = out.split('\n').filter((l) => /^\s+[A-Z_]+\s+0x[0-9a-f]+\s+0x/.test(l)).map((l) => {
    const m = /^\s+(\S+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+([RWE ]+?)\s+(0x[0-9a-f]+)\s*$/.exec(l)!;
    const dec = (h: string) => BigInt(h).toString();
    return { type: m[1]!, offset: dec(m[2]!), vaddr: dec(m[3]!), paddr: dec(m[4]!), filesz: dec(m[5]!), memsz: dec(m[6]!), flags: m[7]!.replace(/\s+/g, ''), align: dec(m[8]!) };
  });
  return {
    magic: field('Magic').split(/\s+/).join(''), entry: BigInt(field('Entry point address')).toString(),
    phoff: num('Start of program headers'), shoff: num('Start of section headers'), ehsize: Number(num('Size of this header')),
    phentsize: Number(num('Size of program headers')), phnum: Number(field('Number of program headers')),
    shnum: Number(field('Number of section headers')), shstrndx: Number(field('Section header string table index')), rows,
  };
}

describe.skipIf(!HAVE_ELF)('structgen decode <elf.h> agrees with readelf', () => {
  it('Elf64_Ehdr of /bin/ls, then every Elf64_Phdr at e_phoff', () => {
    const want = readelf('/bin/ls');
    const h = run(['decode', '/usr/include/elf.h', '--record', 'Elf64_Ehdr', '/bin/ls']);
    expect(h.stderr).toBe('');
    expect(h.code).toBe(0);
    const e = JSON.parse(h.stdout);
    expect(e.e_ident).toBe(want.magic); // bytes as lowercase hex
    expect([e.e_entry, e.e_phoff, e.e_shoff]).toEqual([want.entry, want.phoff, want.shoff]); // 64-bit as decimal strings
    expect([e.e_ehsize, e.e_phentsize, e.e_phnum, e.e_shnum, e.e_shstrndx]).toEqual([want.ehsize, want.phentsize, want.phnum, want.shnum, want.shstrndx]);
    const p = run(['decode', '/usr/include/elf.h', '--record', 'Elf64_Phdr', '--offset', e.e_phoff, '--count', String(e.e_phnum), '/bin/ls']);
    expect(p.code).toBe(0);
    const phdrs = JSON.parse(p.stdout) as Array<{ [k: string]: string | number }>;
    expect(phdrs.length).toBe(want.rows.length);
    // segment type names from <elf.h>'s PT_* constants as readelf spells them (GNU_STACK is PT_GNU_STACK)
    const types = new Map<string, number>(Object.entries({ PHDR: 6, INTERP: 3, LOAD: 1, DYNAMIC: 2, NOTE: 4, GNU_EH_FRAME: 0x6474e550, GNU_STACK: 0x6474e551, GNU_RELRO: 0x6474e552, GNU_PROPERTY: 0x6474e553, TLS: 7 }));
    phdrs.forEach((x, i) => {
      const w = want.rows[i]!;
      if (types.has(w.type)) expect(x.p_type, `row ${i}`).toBe(types.get(w.type));
      expect([x.p_offset, x.p_vaddr, x.p_paddr, x.p_filesz, x.p_memsz, x.p_align], `row ${i}`).toEqual([w.offset, w.vaddr, w.paddr, w.filesz, w.memsz, w.align]);
      const f = Number(x.p_flags);
      expect(`${f & 4 ? 'R' : ''}${f & 2 ? 'W' : ''}${f & 1 ? 'E' : ''}`, `row ${i}`).toBe(w.flags);
    });
    // the same records, one JSON object a line, and as a table
    const nd = run(['decode', '/usr/include/elf.h', '--record', 'Elf64_Phdr', '--offset', `0x${Number(e.e_phoff).toString(16)}`, '--count', String(e.e_phnum), '--format', 'ndjson', '/bin/ls']);
    expect(nd.stdout.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual(phdrs);
    const t = run(['decode', '/usr/include/elf.h', '--record', 'Elf64_Phdr', '--offset', e.e_phoff, '--format', 'table', '/bin/ls']);
    expect(t.stdout).toMatch(new RegExp(`^p_filesz\\s+32\\s+Elf64_Xword\\s+${want.rows[0]!.filesz}\\b`, 'm'));
  });
});

/** A classic pcap file: the global header, then per packet a 16-byte record header and the packet's bytes. */
function pcap(packets: ReadonlyArray<{ sec: number; usec: number; data: Uint8Array; orig?: number }>): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeInt32LE(-3600, 8);
  head.writeUInt32LE(0, 12);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(1, 20);
  const parts: Buffer[] = [head];
  for (const p of packets) {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(p.sec, 0);
    rec.writeUInt32LE(p.usec, 4);
    rec.writeUInt32LE(p.data.length, 8);
    rec.writeUInt32LE(p.orig ?? p.data.length, 12);
    parts.push(rec, Buffer.from(p.data));
  }
  return Buffer.concat(parts);
}

describe('structgen decode headers/capture.h over a pcap file', () => {
  const packets = [
    { sec: 1700000000, usec: 123456, data: new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]) },
    { sec: 1700000001, usec: 999999, data: new Uint8Array(60).map((_, i) => (i * 7) & 0xff), orig: 1514 },
    { sec: 1700000002, usec: 0, data: new Uint8Array([0x45]) },
  ];
  const dir = tmp();
  const file = path.join(dir, 'trace.pcap');
  const bytes = pcap(packets);
  writeFileSync(file, bytes);

  it('the global header and each packet record, walking incl_len', () => {
    const g = run(['decode', CAPTURE, '--record', 'capture_file_header', file]);
    expect(g.code).toBe(0);
    expect(JSON.parse(g.stdout)).toEqual({ magic: 0xa1b2c3d4, version_major: 2, version_minor: 4, thiszone: -3600, sigfigs: 0, snaplen: 65535, network: 1 });
    let at = 24;
    for (const p of packets) {
      const r = run(['decode', CAPTURE, '--record', 'capture_record', '--offset', String(at), file]);
      expect(r.code).toBe(0);
      const v = JSON.parse(r.stdout);
      expect(v.ts).toEqual({ sec: p.sec, usec: p.usec });
      expect([v.incl_len, v.orig_len]).toEqual([p.data.length, p.orig ?? p.data.length]);
      // the flexible array holds every byte after the record header: this packet's first
      expect(v.data.slice(0, 2 * p.data.length)).toBe(Buffer.from(p.data).toString('hex'));
      expect(v.data.length).toBe(2 * (bytes.length - at - 16));
      at += 16 + v.incl_len;
    }
    expect(at).toBe(bytes.length);
  });

  it('reads stdin for -, and --endian changes a field\'s byte order', () => {
    const s = run(['decode', CAPTURE, '--record', 'capture_file_header', '-'], { input: bytes });
    expect(JSON.parse(s.stdout).magic).toBe(0xa1b2c3d4);
    const be = run(['decode', CAPTURE, '--record', 'capture_file_header', '--endian', 'capture_file_header.magic=big', file]);
    expect(JSON.parse(be.stdout).magic).toBe(0xd4c3b2a1);
  });

  it('dump: offsets, bytes, names and values, a record at a time', () => {
    const d = run(['dump', CAPTURE, '--record', 'capture_record', '--offset', '24', file]);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/^struct capture_record at byte offset 24 \(0x18\), 16 bytes$/m);
    expect(d.stdout).toMatch(/^00000018  00 f1 53 65 +ts\.sec +1700000000 \(0x6553f100\)$/m);
    expect(d.stdout).toMatch(/^00000020  06 00 00 00 +incl_len +6$/m);
    expect(d.stdout).toMatch(/^00000028  de ad be ef 00 01 01 f1 +data +de ad be ef 00 01 01 f1 53 65/m);
    expect(d.stdout).not.toContain(ESC);
    const two = run(['dump', CAPTURE, '--record', 'capture_timestamp', '--offset', '24', '--count', '2', file]);
    expect(two.stdout.match(/^struct capture_timestamp at/gm)?.length).toBe(2);
  });
});

describe('enums, bools, --strict, targets, the config file', () => {
  const dir = tmp();
  const h = path.join(dir, 'm.h');
  writeFileSync(h, 'enum color { RED = 1, GREEN = 2, BLUE = 4 };\nstruct px { enum color c; _Bool on; unsigned char pad[2]; unsigned long long id; };\n');
  const file = (b: number[]) => { const f = path.join(dir, `b${b.join('_')}.bin`); writeFileSync(f, Buffer.from(b)); return f; };
  const le = [2, 0, 0, 0, 1, 0xaa, 0xbb, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

  it('enums by name, 64-bit as strings, bytes as hex', () => {
    const r = run(['decode', h, '--record', 'px', file(le)]);
    expect(JSON.parse(r.stdout)).toEqual({ c: 'GREEN', on: true, pad: 'aabb', id: '18446744073709551615' });
  });
  it('--strict rejects a value no enumerator has, and a _Bool of 2, naming record, field and offset', () => {
    const bad = [...le];
    bad[0] = 3;
    const loose = run(['decode', h, '--record', 'px', file(bad)]);
    expect(JSON.parse(loose.stdout).c).toBe(3); // not an enumerator: the number
    const e = run(['decode', h, '--strict', '--record', 'px', file(bad)]);
    expect([e.code, e.stdout]).toEqual([1, '']);
    expect(e.stderr).toBe('structgen: error: px.c at byte offset 0: 3 is not a value of enum color\n');
    const b2 = [...le];
    b2[4] = 2;
    const e2 = run(['decode', h, '--strict', '--record', 'px', '--offset', '0', file(b2)]);
    expect(e2.stderr).toBe('structgen: error: px.on at byte offset 4: 2 is not a _Bool (0 or 1)\n');
  });
  it('a big-endian target reads the same bytes the other way', () => {
    const be = [0, 0, 0, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0];
    const r = run(['decode', '-t', 'powerpc64-linux-gnu', h, '--record', 'px', file(be)]);
    expect(JSON.parse(r.stdout)).toEqual({ c: 'BLUE', on: true, pad: '0000', id: '256' });
  });
  it('headers from the config file, -D and -I', () => {
    const proj = tmp();
    writeFileSync(path.join(proj, 'inc.h'), '#define W 2\n');
    writeFileSync(path.join(proj, 'c.h'), '#include "sub/inc.h"\nstruct v { short a[W]; int b[N]; };\n');
    execFileSync('mkdir', ['-p', path.join(proj, 'sub')]);
    writeFileSync(path.join(proj, 'sub/inc.h'), '#define W 2\n');
    writeFileSync(path.join(proj, 'structgen.config.json'), JSON.stringify({ headers: ['c.h'], defines: { N: '1' } }));
    writeFileSync(path.join(proj, 'v.bin'), Buffer.from([1, 0, 2, 0, 3, 0, 0, 0, 4, 0, 0, 0]));
    const r = run(['decode', '--record', 'v', 'v.bin'], { cwd: proj });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ a: [1, 2], b: [3] });
    const r2 = run(['decode', '-D', 'N=2', '--record', 'v', '--format', 'table', 'v.bin'], { cwd: proj });
    expect(r2.stdout).toMatch(/^b\[1\]\s+8\s+int\s+4$/m);
  });

  it("the config's fields and unions: a tagged union decodes as the member its tag selects, a counted tail as its count", () => {
    const proj = tmp();
    writeFileSync(path.join(proj, 'm.h'), [
      'struct m { unsigned char type; unsigned char n; union { unsigned short word; unsigned char pair[2]; } body; char name[4]; unsigned char tail[]; };',
    ].join('\n'));
    writeFileSync(path.join(proj, 'structgen.config.json'), JSON.stringify({
      headers: ['m.h'],
      fields: { 'm.name': { as: 'string' }, 'm.tail': { countedBy: 'n' } },
      unions: { 'm.body': { tag: 'm.type', cases: { 1: 'word', 2: 'pair' } } },
    }));
    writeFileSync(path.join(proj, 'm.bin'), Buffer.from([2, 2, 7, 8, 0x61, 0x62, 0, 0, 9, 10, 11]));
    const r = run(['decode', '--record', 'm', 'm.bin'], { cwd: proj });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ type: 2, n: 2, body: { pair: '0708' }, name: 'ab', tail: '090a' });
    writeFileSync(path.join(proj, 'bad.bin'), Buffer.from([5, 0, 7, 8, 0, 0, 0, 0]));
    const bad = run(['decode', '--strict', '--record', 'm', 'bad.bin'], { cwd: proj });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/m\.body at byte offset 2: 5 is not one of the cases of 'body'/);
  });
});

describe('bad input: a message and the exit code', () => {
  const dir = tmp();
  const f = path.join(dir, 'short.bin');
  writeFileSync(f, Buffer.alloc(10));
  const cases: Array<[string, string[], number, RegExp]> = [
    ['too few bytes', ['decode', CAPTURE, '--record', 'capture_file_header', f], 1, /^structgen: error: capture_file_header at byte offset 0 needs 24 bytes, only 10 available \(field 'thiszone' is the first that does not fit\)$/m],
    ['offset past the end', ['decode', CAPTURE, '--record', 'capture_timestamp', '--offset', '100', f], 1, /needs 8 bytes, only 0 available/],
    ['count too large', ['dump', CAPTURE, '--record', 'capture_timestamp', '--count', '2', f], 1, /2 records need 16 bytes, only 10 available/],
    ['unknown record', ['decode', CAPTURE, '--record', 'nope', f], 2, /^structgen: error: no record 'nope' in .*capture\.h; records: capture_file_header, capture_timestamp, capture_record$/m],
    ['bad offset', ['decode', CAPTURE, '--record', 'capture_record', '--offset', '-4', f], 2, /--offset must be a whole number/],
    ['--all with --count', ['decode', CAPTURE, '--record', 'capture_record', '--all', '--count', '1', f], 2, /cannot be combined/],
    ['no file', ['decode', '--record', 'capture_record'], 2, /name the file to read/],
    ['missing file', ['decode', CAPTURE, '--record', 'capture_record', path.join(dir, 'none.bin')], 1, /^structgen: error: cannot read '.*none\.bin': ENOENT/m],
    ['header error', ['decode', path.join(dir, 'x.h'), '--record', 'a', f], 1, /x\.h.*error/],
    ['--json with --format svg', ['layout', '--json', '--format', 'svg', CAPTURE], 2, /--json and --format svg cannot be combined/],
  ];
  writeFileSync(path.join(dir, 'x.h'), 'struct a { int x }\n');
  for (const [name, args, code, want] of cases) {
    it(name, () => {
      const r = run(args);
      expect(r.code).toBe(code);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(want);
      expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    });
  }
  it('--all decodes as many as fit', () => {
    const r = run(['decode', CAPTURE, '--record', 'capture_timestamp', '--all', f]);
    expect(JSON.parse(r.stdout)).toEqual([{ sec: 0, usec: 0 }]);
  });
});

describe('layout --format from the command line; colours only on request', () => {
  it('svg, html, rfc, text', () => {
    expect(run(['layout', '--format', 'svg', CAPTURE]).stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(run(['layout', '--format', 'html', CAPTURE]).stdout).toMatch(/^<!DOCTYPE html>/);
    expect(run(['layout', '--format', 'rfc', CAPTURE]).stdout).toContain('\n   |         version_major         |         version_minor         |\n');
    const text = run(['layout', CAPTURE]);
    expect(text.stdout).toBe(run(['layout', '--format', 'text', CAPTURE]).stdout);
    expect(text.stdout).not.toContain(ESC);
  });
  it('FORCE_COLOR colours the text view and the dump; NO_COLOR does not', () => {
    const c = run(['layout', CAPTURE], { env: { FORCE_COLOR: '1' } });
    expect(c.stdout).toContain(`${ESC}1m`);
    expect(c.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toBe(run(['layout', CAPTURE]).stdout);
    expect(run(['layout', CAPTURE], { env: { FORCE_COLOR: '0' } }).stdout).not.toContain(ESC);
    expect(run(['layout', CAPTURE], { env: { NO_COLOR: '1' } }).stdout).not.toContain(ESC);
    const f = path.join(tmp(), 'z.bin');
    writeFileSync(f, Buffer.alloc(24));
    expect(run(['dump', CAPTURE, '--record', 'capture_file_header', f], { env: { FORCE_COLOR: '1' } }).stdout).toContain(ESC);
  });
});
