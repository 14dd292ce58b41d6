// The modules `fuzz:runtime` attacks: seeded random records (test/differential/gen.ts) on several targets, the
// project's example headers, a sample of Linux UAPI headers, and a fixture of ours with what random records lack
// (counted tails, strings, byte arrays, field overrides, a tagged union). Each is generated through the public API,
// written to a temporary folder and imported as a user would (test/helpers/generated.ts: the TypeScript transpiled by
// the test's `typescript` devDependency); its layout facts (analyzeHeader) say which bits each record's members hold.

import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeHeader, findTarget, formatDiagnostic, generateModules, type GenerateOptions } from '../../generator/index.js';
import type { ProgramFacts, RecordFacts, TypeFacts } from '../../generator/layout/facts.js';
import { generateRecords } from '../differential/gen.js';
import { materialize } from '../helpers/generated.js';

/** Where a module came from, enough to make it again: printed with every failure. */
export type ModuleSpec =
  | { readonly kind: 'random'; readonly seed: number; readonly target: string; readonly records: number }
  | { readonly kind: 'file'; readonly header: string }
  | { readonly kind: 'fixture' };

export function specLabel(s: ModuleSpec): string {
  return s.kind === 'random' ? `random records (test/differential/gen.ts seed ${s.seed}, ${s.records} records, ${s.target})`
    : s.kind === 'file' ? s.header : 'fixture (test/fuzz/runtime-corpus.ts FIXTURE)';
}

/** A record codec as CONTRACTS.md "Emitted modules" and the README describe it; anything else on it is called too. */
export interface AnyCodec {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly [k: string]: unknown;
}

export interface LoadedModule {
  readonly spec: ModuleSpec;
  readonly codecs: ReadonlyArray<{ readonly exportName: string; readonly codec: AnyCodec; readonly facts: RecordFacts | null; readonly source: string | null }>;
  readonly DecodeError: new (...a: never[]) => Error;
  readonly EncodeError: new (...a: never[]) => Error;
  readonly facts: ProgramFacts;
  /** Records whose flexible array is counted by a member (attribute or override): record -> count member. */
  readonly countedBy: ReadonlyMap<string, string>;
  /** Records left out of the round trip, with why. */
  readonly noRoundTrip: ReadonlyMap<string, string>;
}

// Our own header: what random records do not have. Overrides below; `fz_tagged` is a tagged union (the decoded value
// holds the case its tag selects, so it is fuzzed but not round-tripped bit for bit).
export const FIXTURE = `/* fuzz:runtime fixture */
#include <stdint.h>
#include <stdbool.h>
#define FZ_PING 1
#define FZ_DATA 2
enum fz_mode { FZ_A = 1, FZ_B = 2, FZ_C = 200 };
struct fz_counted { uint16_t n; uint16_t kind; int32_t v[] __attribute__((counted_by(n))); };
struct fz_bytes_tail { uint32_t len; uint8_t data[]; };
struct fz_row { uint16_t a; uint8_t b; bool c; };
struct fz_rows { uint32_t id; struct fz_row rows[]; };
struct fz_text { char name[8]; bool ok; char one[1]; union { char s[6]; uint32_t x; uint16_t h[3]; } u; float f; double d; long double ld; char tail[3]; };
struct fz_matrix { int16_t m[2][3]; uint8_t raw[5]; int8_t sraw[3]; uint64_t big; int64_t sbig : 40; uint32_t bits : 7; bool flag : 1; char names[2][4]; };
struct fz_tagged { uint8_t type; union { uint32_t ping; struct { uint16_t len; uint8_t bytes[4]; } data; } body; };
struct fz_over { uint32_t mode; uint8_t label[6]; uint32_t be; uint8_t flag; char latin[4]; };
struct fz_num { uint64_t asnum; int64_t snum; uint32_t x; };
struct fz_strtail { uint8_t n; char text[]; };
struct fz_empty { char none[0]; };
`;
const FIXTURE_OPTIONS: GenerateOptions = {
  fields: {
    'fz_over.mode': { enum: 'fz_mode' },
    'fz_over.label': { as: 'string' },
    'fz_over.be': { endian: 'big' },
    'fz_over.flag': { as: 'bool' },
    'fz_over.latin': { encoding: 'latin1' },
    'fz_num.asnum': { as: 'number' },
    'fz_num.snum': { as: 'number' },
    'fz_bytes_tail.data': { countedBy: 'len' },
  },
  unions: { 'fz_tagged.body': { tag: 'fz_tagged.type', cases: { FZ_PING: 'ping', FZ_DATA: 'data' } } },
};
const FIXTURE_COUNTED = new Map([['fz_bytes_tail', 'len']]);
const FIXTURE_NO_ROUND_TRIP = new Map([['fz_tagged', 'a tagged union: its decoded value holds only the case the tag selects']]);

/** Random records on these targets, in turn: both byte orders, every long double format, MSVC bit-fields. */
export const RANDOM_TARGETS = [
  'x86_64-linux-gnu', 'powerpc-linux-gnu', 'aarch64-linux-gnu', 'i386-linux-gnu', 's390x-linux-gnu',
  'x86_64-pc-windows-msvc', 'm68k-linux-gnu', 'avr',
];

export const UAPI_DIR = '/usr/include/linux';
export function uapiHeaders(): string[] {
  return existsSync(UAPI_DIR) ? readdirSync(UAPI_DIR).filter((f) => f.endsWith('.h')).sort().map((f) => path.join(UAPI_DIR, f)) : [];
}

let tmpRoot: string | null = null;
function tmp(): string {
  tmpRoot ??= mkdtempSync(path.join(os.tmpdir(), 'structgen-fuzzrt-'));
  return tmpRoot;
}
/** Removes what the loader wrote (modules already imported stay loaded). */
export function cleanup(): void {
  if (tmpRoot) rmSync(tmpRoot, { recursive: true, force: true });
  tmpRoot = null;
}

let serial = 0;

/** Generates, writes and imports the module(s) of `spec`; null when the header yields no module (errors). */
export async function loadModule(spec: ModuleSpec): Promise<LoadedModule | { readonly skipped: string }> {
  const dir = path.join(tmp(), `m${serial++}`);
  mkdirSync(dir, { recursive: true });
  let header: string;
  let opts: GenerateOptions = {};
  let sources = new Map<string, string>();
  if (spec.kind === 'random') {
    const t = findTarget(spec.target);
    if (!t) throw new Error(`unknown target ${spec.target}`);
    const g = generateRecords(spec.seed, spec.records, t);
    header = path.join(dir, `fzr${spec.seed}.h`);
    writeFileSync(header, g.source);
    sources = new Map(g.records.map((r) => [r.name.split(' ')[1]!, `${g.prelude}\n${r.source}`]));
    opts = { target: spec.target };
  } else if (spec.kind === 'fixture') {
    header = path.join(dir, 'fz_fixture.h');
    writeFileSync(header, FIXTURE);
    opts = FIXTURE_OPTIONS;
  } else header = spec.header;
  const run = generateModules([header], opts);
  const errors = run.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !run.files.length) return { skipped: errors.map(formatDiagnostic).join('\n').slice(0, 300) || 'no module' };
  const analysis = analyzeHeader(header, opts);
  if (!analysis.facts) return { skipped: 'no layout facts' };
  const set = materialize(run.files, 'structgen-fuzzrt-modules-');
  const modules = run.files.map((f) => f.path).filter((p) => /\.(ts|js)$/.test(p) && !p.endsWith('.d.ts') && !/structgen-runtime\.(ts|js)$/.test(p));
  const seen = new Set<string>();
  const jsOf = (p: string) => p.replace(/\.ts$/, '.js');
  const codecs: Array<LoadedModule['codecs'][number]> = [];
  let DecodeError: LoadedModule['DecodeError'] | undefined;
  let EncodeError: LoadedModule['EncodeError'] | undefined;
  const byName = new Map<string, RecordFacts>();
  for (const r of analysis.facts.records) if (r?.name && !byName.has(r.name)) byName.set(r.name, r);
  for (const m of modules) {
    if (seen.has(jsOf(m))) continue;
    seen.add(jsOf(m));
    const mod = await set.load(jsOf(m).replace(/\.js$/, ''));
    DecodeError ??= mod.DecodeError as LoadedModule['DecodeError'] | undefined;
    EncodeError ??= mod.EncodeError as LoadedModule['EncodeError'] | undefined;
    for (const [exportName, v] of Object.entries(mod)) {
      if (!isCodec(v)) continue;
      const f = byName.get(v.name);
      codecs.push({ exportName, codec: v, facts: f && f.size === v.size ? f : null, source: sources.get(v.name) ?? null });
    }
  }
  rmSync(set.dir, { recursive: true, force: true }); // imported: the files are no longer needed
  // in export-name order, as a module namespace lists them (a loader that hands back a plain object, as vitest's does,
  // lists them in declaration order): the same seed picks the same record under either
  codecs.sort((a, b) => (a.exportName < b.exportName ? -1 : a.exportName > b.exportName ? 1 : 0));
  if (!DecodeError || !EncodeError) throw new Error(`${specLabel(spec)}: the module exports no DecodeError/EncodeError`);
  const countedBy = new Map<string, string>(spec.kind === 'fixture' ? FIXTURE_COUNTED : []);
  for (const c of codecs) {
    const fl = c.facts?.flexible;
    const m = fl && c.facts!.members.find((x) => x.name === fl.member);
    if (m?.countedBy) countedBy.set(c.codec.name, m.countedBy);
  }
  return { spec, codecs, DecodeError, EncodeError, facts: analysis.facts, countedBy, noRoundTrip: spec.kind === 'fixture' ? FIXTURE_NO_ROUND_TRIP : new Map() };
}

function isCodec(v: unknown): v is AnyCodec {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as { [k: string]: unknown };
  return typeof c.decode === 'function' && typeof c.encode === 'function' && typeof c.size === 'number' && typeof c.name === 'string';
}

// ---- which bits members hold ------------------------------------------------------------------------------------

/** Per byte of a record's encoding: the bits a member's value holds (`held`), the bits some member's storage covers
 * (`cover`: the rest is padding, which encode zeroes), and who holds each byte: the member's kind (for the report's
 * categories: `bool`, `char[]`, `binary64`, `union of bool | char[]`, ...) and path. */
export interface BitMasks {
  readonly held: Uint8Array;
  readonly cover: Uint8Array;
  readonly kind: ReadonlyArray<string | undefined>;
  readonly path: ReadonlyArray<string | undefined>;
}

/** The masks of record `rec` encoded in `length` bytes with `flexCount` elements in its flexible array. */
export function recordMasks(p: ProgramFacts, rec: RecordFacts, flexCount: number, length: number): BitMasks {
  const held = new Uint8Array(length);
  const cover = new Uint8Array(length);
  const kinds: Array<string | undefined> = new Array(length);
  const paths: Array<string | undefined> = new Array(length);
  const le = p.target.endian === 'little';
  const mark = (byte: number, bits: number, value: boolean, kind: string, where: string) => {
    if (byte < 0 || byte >= length) return;
    cover[byte]! |= bits;
    if (!value) return;
    const prev = kinds[byte];
    if (prev === undefined) { kinds[byte] = kind; paths[byte] = where; }
    else if (held[byte]! & bits) { kinds[byte] = overlay(prev, kind); paths[byte] = `${paths[byte]} | ${where}`; }
    else if (!paths[byte]!.split(', ').includes(where)) { paths[byte] = `${paths[byte]}, ${where}`; if (prev !== kind) kinds[byte] = `${prev}, ${kind}`; }
    held[byte]! |= bits;
  };
  const bytes = (at: number, n: number, kind: string, where: string, value = true) => { for (let i = 0; i < n; i++) mark(at + i, 0xff, value, kind, where); };
  const floatBytes = (format: string, n: number, at: number, where: string) => {
    // the bytes that hold a float's value: x87's 80 bits in a 12- or 16-byte slot; m68k's 96-bit format has two
    // unused bytes after its sign and exponent
    const kind = format === 'binary32' || format === 'binary64' || format === 'binary16' ? format : `long double (${format})`;
    if (format === 'x87-80') { bytes(at, 10, kind, where); bytes(at + 10, n - 10, kind, where, false); }
    else if (format === 'm68k-96') { bytes(at, 2, kind, where); bytes(at + 2, 2, kind, where, false); bytes(at + 4, n - 4, kind, where); }
    else bytes(at, n, kind, where);
  };
  const walkType = (t: TypeFacts, at: number, where: string, inArray: boolean, flexible: boolean): void => {
    switch (t.k) {
      case 'record': { const r = p.records[t.id]; if (r) walkRecord(r, at, `${where}.`); return; }
      case 'array': {
        // a flexible array inside a nested record (a GNU extension UAPI headers use) holds what fits to the end
        const n = t.length ?? (flexible ? flexCount : t.stride > 0 ? Math.max(0, Math.floor((length - at) / t.stride)) : 0);
        if (t.of.k !== 'record' && t.of.k !== 'array' && t.of.k !== 'float' && t.of.k !== 'complex') {
          bytes(at, n * t.stride, `${t.of.k === 'int' && t.of.char ? 'char' : t.of.k}[]`, where);
          return;
        }
        for (let i = 0; i < n; i++) walkType(t.of, at + i * t.stride, `${where}[${i}]`, true, false);
        return;
      }
      case 'float': floatBytes(t.format, t.bytes, at, where); return;
      case 'complex': floatBytes(t.part.format, t.part.bytes, at, where); floatBytes(t.part.format, t.part.bytes, at + t.bytes / 2, where); return;
      case 'int': bytes(at, t.bytes, inArray && t.char ? 'char[]' : 'int', where); return;
      default: bytes(at, t.bytes, t.k, where);
    }
  };
  const walkRecord = (r: RecordFacts, base: number, prefix: string) => {
    for (const m of r.members) {
      const where = `${prefix}${m.name}`;
      if (m.bitfield) {
        const s = m.bitfield.span;
        const kind = m.type.k === 'bool' ? 'bool bit-field' : 'bit-field';
        for (let j = s.shift; j < s.shift + m.bitfield.width; j++) {
          const k = Math.floor(j / 8);
          mark(base + (le ? s.byteOffset + k : s.byteOffset + s.bytes - 1 - k), 1 << (j % 8), true, kind, where);
        }
        continue;
      }
      walkType(m.type, base + m.bitOffset / 8, where, false, r === rec && m.type.k === 'array' && m.type.length === null);
    }
  };
  walkRecord(rec, 0, '');
  return { held, cover, kind: kinds, path: paths };
}

function overlay(a: string, b: string): string {
  const parts = new Set([...(a.startsWith('union of ') ? a.slice(9).split(' | ') : [a]), b]);
  return `union of ${[...parts].sort().join(' | ')}`;
}

/** The modules of a run, in order: the fixture, the example headers, then random records (each target in turn)
 * alternating with UAPI headers (a seeded walk through all of them). */
export function schedule(root: string, seed: number, count: number, randomRecords = 12): ModuleSpec[] {
  const out: ModuleSpec[] = [{ kind: 'fixture' }];
  const examples = readdirSync(path.join(root, 'headers')).filter((f) => f.endsWith('.h')).sort();
  for (const f of examples) out.push({ kind: 'file', header: path.join(root, 'headers', f) });
  const uapi = uapiHeaders();
  const stride = 7919; // a prime: the walk visits every UAPI header before any twice
  let u = seed % Math.max(1, uapi.length);
  for (let i = 0; out.length < count; i++) {
    if (i % 2 === 1 && uapi.length) {
      out.push({ kind: 'file', header: uapi[u]! });
      u = (u + stride) % uapi.length;
    } else out.push({ kind: 'random', seed: (seed * 1000 + i) >>> 0, target: RANDOM_TARGETS[(i >> 1) % RANDOM_TARGETS.length]!, records: randomRecords });
  }
  return out.slice(0, count);
}
