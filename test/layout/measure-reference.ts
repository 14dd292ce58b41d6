// Measures every case of reference-cases.ts with the compilers and writes reference-measured.json, the committed
// data reference.test.ts checks structgen against. Run by `npm run measure:reference` after changing a case.
//
// clang-16 (every configuration): `-fdump-record-layouts-simple` gives size, alignment and the bit offset of every
// field. gcc and Debian's cross compilers (each configuration whose compiler is installed): the case is compiled to
// an object file holding sizeof, _Alignof and offsetof as bytes, and per bit-field a copy of the record with only
// that bit-field set to all ones; llvm-objdump-16 reads the sections back. A configuration whose compiler is absent
// is left out of the file, and the test says so.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REFERENCE_CASES, type ReferenceCase } from './reference-cases.js';

export interface MeasureConfig {
  /** Key in the JSON file. */
  readonly label: string;
  readonly compiler: 'clang' | 'gcc';
  /** The command and its flags. */
  readonly command: readonly string[];
  /** The structgen options that describe the same configuration. */
  readonly target: string;
  readonly msBitfields?: boolean;
  /** Debian package that provides the compiler (for the message when it is missing). */
  readonly package: string;
}

const CLANG = process.env.STRUCTGEN_CLANG ?? 'clang-16';
const clang = (target: string, flags: string[] = [], msBitfields?: boolean): MeasureConfig => ({
  label: [target, ...flags].join(' '), compiler: 'clang', command: [CLANG, `--target=${target}`, ...flags], target,
  ...(msBitfields === undefined ? {} : { msBitfields }), package: 'clang-16',
});
const gcc = (label: string, command: string[], target: string, pkg: string, msBitfields?: boolean): MeasureConfig => ({
  label, compiler: 'gcc', command, target, ...(msBitfields === undefined ? {} : { msBitfields }), package: pkg,
});

export const CONFIGS: readonly MeasureConfig[] = [
  ...['x86_64-linux-gnu', 'i386-linux-gnu', 'aarch64-linux-gnu', 'armv7-linux-gnueabihf', 'arm-none-eabi', 'riscv64-linux-gnu',
    'riscv32-unknown-elf', 'wasm32-unknown-unknown', 'wasm32-unknown-emscripten', 'x86_64-pc-windows-msvc', 'i686-pc-windows-msvc',
    'x86_64-w64-mingw32', 'powerpc-linux-gnu', 'powerpc64-linux-gnu', 'powerpc64le-linux-gnu', 's390x-linux-gnu', 'mips-linux-gnu',
    'avr', 'm68k-linux-gnu', 'msp430', 'x86_64-apple-macosx', 'aarch64-apple-macosx'].map((t) => clang(t)),
  clang('x86_64-w64-mingw32', ['-mno-ms-bitfields'], false),
  clang('x86_64-linux-gnu', ['-mms-bitfields'], true),
  clang('i386-linux-gnu', ['-mms-bitfields'], true),
  gcc('gcc x86_64-linux-gnu', ['gcc'], 'x86_64-linux-gnu', 'gcc'),
  gcc('gcc -m32', ['gcc', '-m32'], 'i386-linux-gnu', 'gcc'),
  gcc('gcc aarch64-linux-gnu', ['aarch64-linux-gnu-gcc'], 'aarch64-linux-gnu', 'gcc-aarch64-linux-gnu'),
  gcc('gcc arm-linux-gnueabihf', ['arm-linux-gnueabihf-gcc'], 'armv7-linux-gnueabihf', 'gcc-arm-linux-gnueabihf'),
  gcc('gcc arm-none-eabi', ['arm-none-eabi-gcc'], 'arm-none-eabi', 'gcc-arm-none-eabi'),
  gcc('gcc riscv64-linux-gnu', ['riscv64-linux-gnu-gcc'], 'riscv64-linux-gnu', 'gcc-riscv64-linux-gnu'),
  gcc('gcc x86_64-w64-mingw32 -mno-ms-bitfields', ['x86_64-w64-mingw32-gcc', '-mno-ms-bitfields'], 'x86_64-w64-mingw32', 'gcc-mingw-w64-x86-64', false),
  gcc('gcc powerpc-linux-gnu', ['powerpc-linux-gnu-gcc'], 'powerpc-linux-gnu', 'gcc-powerpc-linux-gnu'),
  gcc('gcc powerpc64-linux-gnu', ['powerpc64-linux-gnu-gcc'], 'powerpc64-linux-gnu', 'gcc-powerpc64-linux-gnu'),
  gcc('gcc s390x-linux-gnu', ['s390x-linux-gnu-gcc'], 's390x-linux-gnu', 'gcc-s390x-linux-gnu'),
  gcc('gcc mips-linux-gnu', ['mips-linux-gnu-gcc'], 'mips-linux-gnu', 'gcc-mips-linux-gnu'),
  gcc('gcc m68k-linux-gnu', ['m68k-linux-gnu-gcc'], 'm68k-linux-gnu', 'gcc-m68k-linux-gnu'),
  gcc('gcc avr', ['avr-gcc'], 'avr', 'gcc-avr'),
];

/** clang: sizes in bytes and every field's bit offset (unnamed bit-fields included), or the first error. */
export type ClangMeasured = { size: number; align: number; bitOffsets: number[] } | { error: string };
/** gcc: byte offsets of members and, per bit-field, the record's bytes (hex) with only that bit-field all ones. */
export type GccMeasured = { size: number; align: number; offsets: { [member: string]: number }; masks: { [member: string]: string } } | { error: string };

export interface MeasuredFile {
  readonly about: string;
  readonly cases: readonly ReferenceCase[];
  readonly configs: ReadonlyArray<MeasureConfig & { version: string; bigEndian?: boolean }>;
  readonly missing: ReadonlyArray<{ label: string; package: string }>;
  readonly clang: { [label: string]: { [kase: string]: ClangMeasured } };
  readonly gcc: { [label: string]: { [kase: string]: GccMeasured } };
}

const OBJDUMP = process.env.STRUCTGEN_OBJDUMP ?? 'llvm-objdump-16';
let tmp = '';

function run(cmd: readonly string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd[0]!, cmd.slice(1), { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('error', (e) => resolve({ code: -1, stdout, stderr: String(e) }));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    if (input !== undefined) { p.stdin!.on('error', () => { /* the compiler exited early; its status says why */ }); p.stdin!.end(input); }
  });
}

const firstError = (stderr: string) => /error: (.*)/.exec(stderr)?.[1]?.trim() ?? stderr.trim().split('\n')[0] ?? 'failed';
const recordOf = (k: ReferenceCase) => (/\bunion\s+(?:__attribute__\(\([^)]*\)\)\s+)?S\b/.test(k.code) ? 'union S' : 'struct S');

async function measureClang(cfg: MeasureConfig, k: ReferenceCase): Promise<ClangMeasured> {
  const src = `${k.code}\nchar structgen_probe[sizeof(${recordOf(k)})];\n`;
  const r = await run([...cfg.command, '-fsyntax-only', '-std=gnu17', '-w', '-Wno-incompatible-ms-struct', '-Xclang', '-fdump-record-layouts-simple', '-x', 'c', '-'], src);
  if (r.code !== 0) return { error: firstError(r.stderr) };
  const re = new RegExp(`Type: ${recordOf(k)}\\n\\nLayout: <ASTRecordLayout\\n\\s+Size:(\\d+)\\n(?:\\s+DataSize:\\d+\\n)?\\s+Alignment:(\\d+)\\n(?:\\s+PreferredAlignment:\\d+\\n)?\\s+FieldOffsets: \\[([^\\]]*)\\]>`);
  const m = re.exec(r.stdout);
  if (!m) throw new Error(`${cfg.label} ${k.name}: no layout of ${recordOf(k)} in clang's output`);
  return { size: Number(m[1]) / 8, align: Number(m[2]) / 8, bitOffsets: m[3]!.trim() ? m[3]!.split(',').map((s) => Number(s.trim())) : [] };
}

/** Section name -> bytes, from `llvm-objdump -s`. */
function sections(dump: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let cur: number[] | null = null;
  for (const line of dump.split('\n')) {
    const h = /^Contents of section (\S+):/.exec(line);
    if (h) { cur = []; out.set(h[1]!, cur); continue; }
    const d = /^ [0-9a-f]+ ((?:[0-9a-f]{2,8} ?)+)/.exec(line);
    if (d && cur) for (const word of d[1]!.trim().split(/\s+/)) for (let i = 0; i < word.length; i += 2) cur.push(parseInt(word.slice(i, i + 2), 16));
  }
  return out;
}

async function measureGcc(cfg: MeasureConfig, k: ReferenceCase, n: number): Promise<GccMeasured & { bigEndian?: boolean }> {
  const rec = recordOf(k);
  const plain = k.members.filter((m) => !m.endsWith(':'));
  const bfs = k.members.filter((m) => m.endsWith(':')).map((m) => m.slice(0, -1));
  const b4 = (x: string) => `SG_B4(${x})`;
  const src = [
    k.code,
    '#define SG_B4(x) (unsigned char)((x) & 255), (unsigned char)(((x) >> 8) & 255), (unsigned char)(((x) >> 16) & 255), (unsigned char)(((x) >> 24) & 255)',
    `__attribute__((section(".sg_v"), used)) const unsigned char sg_v[] = { ${[b4(`sizeof(${rec})`), b4(`_Alignof(${rec})`),
      ...plain.map((m) => b4(`__builtin_offsetof(${rec}, ${m})`))].join(', ')} };`,
    '__attribute__((section(".sg_e"), used)) const unsigned short sg_e = 1;',
    ...bfs.map((m, i) => `__attribute__((section(".sg_m${i}"), used)) const union { ${rec} s; unsigned char b[sizeof(${rec})]; } sg_m${i} = { .s = { .${m} = -1 } };`),
    '',
  ].join('\n');
  const c = path.join(tmp, `${n}.c`);
  const o = path.join(tmp, `${n}.o`);
  writeFileSync(c, src);
  // gnu11: avr-gcc 5.4 knows no gnu17, and the cases need nothing newer
  const r = await run([...cfg.command, '-std=gnu11', '-w', '-O0', '-c', c, '-o', o]);
  if (r.code !== 0) return { error: firstError(r.stderr) };
  const d = await run([OBJDUMP, '-s', o]);
  if (d.code !== 0) throw new Error(`${OBJDUMP} failed on ${cfg.label} ${k.name}: ${d.stderr}`);
  const s = sections(d.stdout);
  const v = s.get('.sg_v');
  const e = s.get('.sg_e');
  if (!v || !e) throw new Error(`${cfg.label} ${k.name}: sections missing in the object file`);
  const u32 = (i: number) => v[i * 4]! | (v[i * 4 + 1]! << 8) | (v[i * 4 + 2]! << 16) | (v[i * 4 + 3]! << 24);
  const offsets: { [m: string]: number } = {};
  plain.forEach((m, i) => { offsets[m] = u32(i + 2); });
  const masks: { [m: string]: string } = {};
  bfs.forEach((m, i) => { masks[m] = (s.get(`.sg_m${i}`) ?? []).map((b) => b.toString(16).padStart(2, '0')).join(''); });
  return { size: u32(0), align: u32(1), offsets, masks, bigEndian: e[0] === 0 };
}

/** Runs `jobs` with at most `width` at a time, keeping their order. */
async function pool<T>(jobs: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) { const i = next++; out[i] = await jobs[i]!(); }
  }));
  return out;
}

function version(cfg: MeasureConfig): string | null {
  const r = spawnSync(cfg.command[0]!, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0]!.trim() : null;
}

async function main() {
  if (spawnSync(OBJDUMP, ['--version']).status !== 0) throw new Error(`${OBJDUMP} is needed to read gcc's object files (apt-get install llvm-16)`);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'structgen-measure-'));
  const out: MeasuredFile = { about: 'Measured by `npm run measure:reference` (test/layout/measure-reference.ts) from test/layout/reference-cases.ts; do not edit by hand.',
    cases: REFERENCE_CASES, configs: [], missing: [], clang: {}, gcc: {} };
  const width = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  let n = 0;
  for (const cfg of CONFIGS) {
    const v = version(cfg);
    if (!v) {
      (out.missing as Array<{ label: string; package: string }>).push({ label: cfg.label, package: cfg.package });
      process.stderr.write(`measure: ${cfg.label}: '${cfg.command[0]}' not found (apt-get install ${cfg.package}); left out\n`);
      continue;
    }
    const t0 = Date.now();
    if (cfg.compiler === 'clang') {
      const res = await pool(REFERENCE_CASES.map((k) => () => measureClang(cfg, k)), width);
      out.clang[cfg.label] = Object.fromEntries(REFERENCE_CASES.map((k, i) => [k.name, res[i]!]));
      (out.configs as unknown[]).push({ ...cfg, version: v });
    } else {
      const res = await pool(REFERENCE_CASES.map((k) => { const id = n++; return () => measureGcc(cfg, k, id); }), width);
      const bigEndian = res.find((r) => 'bigEndian' in r)?.bigEndian;
      out.gcc[cfg.label] = Object.fromEntries(REFERENCE_CASES.map((k, i) => { const { bigEndian: _b, ...r } = res[i]! as GccMeasured & { bigEndian?: boolean }; return [k.name, r]; }));
      (out.configs as unknown[]).push({ ...cfg, version: v, ...(bigEndian === undefined ? {} : { bigEndian }) });
    }
    process.stderr.write(`measure: ${cfg.label}: ${REFERENCE_CASES.length} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  rmSync(tmp, { recursive: true, force: true });
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../test/layout/reference-measured.json');
  writeFileSync(file, formatMeasured(out));
  process.stderr.write(`measure: wrote ${path.relative(process.cwd(), file)}\n`);
}

/** JSON with one line per case and per case and configuration, so a re-measurement's diff is readable. */
export function formatMeasured(m: MeasuredFile): string {
  const one = (v: unknown) => JSON.stringify(v);
  const block = (o: { [k: string]: unknown }, indent: string, inner: (v: unknown, i: string) => string) =>
    `{\n${Object.entries(o).map(([k, v]) => `${indent}  ${one(k)}: ${inner(v, `${indent}  `)}`).join(',\n')}\n${indent}}`;
  const perConfig = (o: unknown, i: string) => block(o as { [k: string]: unknown }, i, (v, j) => block(v as { [k: string]: unknown }, j, (x) => one(x)));
  return `{\n  "about": ${one(m.about)},\n  "cases": [\n${m.cases.map((k) => `    ${one(k)}`).join(',\n')}\n  ],\n` +
    `  "configs": [\n${m.configs.map((k) => `    ${one(k)}`).join(',\n')}\n  ],\n  "missing": ${one(m.missing)},\n` +
    `  "clang": ${perConfig(m.clang, '  ')},\n  "gcc": ${perConfig(m.gcc, '  ')}\n}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => { process.stderr.write(`measure: ${(e as Error).stack ?? String(e)}\n`); process.exitCode = 1; });
}
