// The engine of `npm run fuzz:runtime` and its seeded lane in `npm test`: seeded random calls against every entry
// point of generated record codecs (decode, view and every getter and setter of views and their arrays, $decode,
// encode with and without a destination, sizeOf, decodeMany, viewMany, and whatever else a codec has) with hostile
// arguments, counting three kinds of failure, each of which must stay at 0:
//   - wrong error types: decode-side calls may throw only the module's DecodeError, encode-side ones (encode, sizeOf,
//     setters) only its EncodeError; a user's error thrown during a call must arrive wrapped, as `cause`;
//   - bytes written outside the checked range: every buffer the harness made is compared after every call; a call
//     may change only the record it was given ([byteOffset, byteOffset + the size encode checked) of `dst`, the
//     record's bytes under a view) and `encode(v)` / `encode(v, null)` nothing the caller owns;
//   - the round trip the lead decided for issue 23 item 4: for any bytes b, encode(decode(b)) equals b in every bit
//     a member holds (layout facts say which), with padding zeroed; a string with a lone surrogate is refused.
// Every failure comes with a reproducer: seed, case, module, record and the calls of the case.

import type { ProgramFacts, RecordFacts } from '../../generator/layout/facts.js';
import { rng } from '../differential/gen.js';
import { loadModule, recordMasks, specLabel, type AnyCodec, type LoadedModule, type ModuleSpec } from './runtime-corpus.js';

export type Category = 'wrongError' | 'outOfRange' | 'roundTrip' | 'harness';
export const CATEGORIES: readonly Category[] = ['wrongError', 'outOfRange', 'roundTrip', 'harness'];
const TITLES: { readonly [c in Category]: string } = {
  wrongError: 'wrong error types',
  outOfRange: 'bytes written outside the checked range',
  roundTrip: 'round trips that change bits a member holds (or keep padding, or take a lone surrogate)',
  harness: 'errors of the harness itself',
};

export interface Failure {
  readonly category: Category;
  /** What went wrong, without the particulars: failures are grouped by it. */
  readonly what: string;
  readonly seed: number;
  readonly caseIndex: number;
  readonly moduleIndex: number;
  readonly module: string;
  readonly record: string;
  /** The calls of the case up to the failing one. */
  readonly calls: readonly string[];
  readonly detail: string;
  /** For random records: the C source of the record (after the shared prelude). */
  readonly source: string | null;
}

export interface Tally {
  calls: number;
  cases: number;
  modules: number;
  skippedModules: number;
  readonly counts: { [c in Category]: number };
  /** Informational (not failures): calls that accepted an argument the README says is refused, user errors a call
   * caught and went on from. */
  readonly notes: Map<string, number>;
  /** How often each property was put to the test (a lane whose checks stopped running must not pass). */
  readonly checked: { roundTrips: number; loneSurrogates: number; setterSurrogates: number; guardedEncodes: number; setters: number; flexibleLengthChanges: number };
  readonly byWhat: Map<string, { category: Category; count: number; first: Failure[] }>;
}

export function newTally(): Tally {
  return { calls: 0, cases: 0, modules: 0, skippedModules: 0, counts: { wrongError: 0, outOfRange: 0, roundTrip: 0, harness: 0 }, notes: new Map(), byWhat: new Map(),
    checked: { roundTrips: 0, loneSurrogates: 0, setterSurrogates: 0, guardedEncodes: 0, setters: 0, flexibleLengthChanges: 0 } };
}

/** Failures kept per kind (the rest are counted). */
const KEEP = 3;

// ---- randomness -------------------------------------------------------------------------------------------------

/** A case's own seed from the run's seed, the module's index and the case's index. */
export function mix(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
  }
  return h >>> 0;
}

class Rand {
  constructor(readonly next: () => number) {}
  int(n: number): number { return Math.floor(this.next() * n); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
  /** Random bytes, sometimes from values that matter: 0, 0xff, 0x80, NaN patterns, bytes of invalid UTF-8. */
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    const style = this.int(7);
    if (style === 6) {
      // NaNs with payloads, signalling ones too (float32 and float64, either byte order), at aligned offsets
      for (let i = 0; i < n; i++) b[i] = this.int(256);
      for (let i = 0; i + 4 <= n; i += 4) {
        if (!this.chance(0.35)) continue;
        const f64 = i + 8 <= n && i % 8 === 0 && this.chance(0.5);
        const pat = f64 ? [0x7f, 0xf0 | this.int(8), 0, 0, 0, 0, 0, 1 + this.int(255)] : [0x7f | (this.int(2) << 7), 0x80 | this.int(0x40), this.int(256), 1 + this.int(255)];
        if (this.chance(0.5)) pat.reverse();
        b.set(pat, i);
      }
      return b;
    }
    for (let i = 0; i < n; i++) {
      if (style === 0) b[i] = this.int(256);
      else if (style === 1) b[i] = this.pick([0, 0, 0xff, 0x80, 0x7f, 0x01, 0x02, 0xc0, 0xed, 0xa0, 0xf8, 0xfe, 0x41, 0x7c]);
      else if (style === 2) b[i] = this.chance(0.5) ? 0 : this.int(256);
      else if (style === 3) b[i] = this.chance(0.7) ? 0xff : this.int(256);
      else if (style === 4) b[i] = this.chance(0.8) ? 0x41 + this.int(26) : this.pick([0, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xed, 0xb0, 0x80]);
      else b[i] = this.int(256);
    }
    return b;
  }
}

/** An error a user's getter, Proxy trap or options object throws: it must come back as the `cause` of the module's
 * own error, never raw. */
export class UserError extends Error {
  constructor(where: string) {
    super(`user error from ${where}`);
    this.name = 'UserError';
  }
}

// ---- buffers the harness watches ----------------------------------------------------------------------------------

type Buf = ArrayBuffer | SharedArrayBuffer;
interface Watched { readonly buf: Buf; readonly role: string }
interface Allowed { readonly buf: Buf; readonly from: number; readonly to: number }

function bufLength(b: Buf): number {
  try { return b.byteLength; } catch { return 0; }
}

function isResizable(b: Buf): boolean {
  return (b as { resizable?: boolean }).resizable === true || (b as { growable?: boolean }).growable === true;
}

const ResizableArrayBuffer = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer;
const GrowableSharedArrayBuffer = SharedArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => SharedArrayBuffer;

function detach(b: Buf): boolean {
  if (b instanceof ArrayBuffer && bufLength(b) > 0) {
    try { structuredClone(b, { transfer: [b] }); return true; } catch { return false; }
  }
  return false;
}

/** A source or destination the harness made: its buffer, where the bytes handed over start in it, and how many. */
interface Region {
  readonly arg: unknown;
  readonly buf: Buf | null;
  readonly start: number;
  readonly length: number;
  readonly desc: string;
}

const SIDE_OF: { readonly [name: string]: 'decode' | 'encode' | 'either' } = {
  decode: 'decode', view: 'decode', decodeMany: 'decode', viewMany: 'decode', getter: 'decode', $decode: 'decode',
  'view.toJSON': 'decode', 'ArrayView.get': 'decode', 'ArrayView.length': 'decode', 'ArrayView iteration': 'decode',
  'ArrayView.toArray': 'decode', 'ArrayView.toJSON': 'decode', 'ArrayView.get (viewMany)': 'decode',
  encode: 'encode', sizeOf: 'encode', setter: 'encode', 'ArrayView.set': 'encode',
};

type Obj = { [k: string | symbol]: unknown };

// Values of the wrong type or out of range, for any member.
const WRONG: readonly (() => unknown)[] = [
  () => undefined, () => null, () => '1', () => 1.5, () => NaN, () => Infinity, () => -Infinity, () => -1, () => 2 ** 32,
  () => 2 ** 53, () => -(2 ** 31) - 1, () => 2n ** 64n, () => -1n, () => 1n, () => 2n ** 200n, () => true, () => ({}), () => [],
  () => Symbol('fuzz'), () => Object(1), () => Object(1n), () => '\uD800', () => 'x'.repeat(300), () => '', () => 'é'.repeat(5),
  () => new Uint8Array(3), () => () => 0, () => 0x7fffffff, () => -0, () => 255, () => 256, () => 65536, () => -129,
  () => Number.MAX_VALUE, () => Number.MIN_VALUE, () => '\0', () => 'abc\0def', () => new Date(0),
];

const BAD_OFFSETS: readonly unknown[] = [-1, -0, NaN, Infinity, -Infinity, 0.5, 1.5, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 - 1, Number.MAX_VALUE,
  -1n, 2n ** 64n, 2n ** 53n, '0', '1', null, true, [], [1], {}, Symbol('off')];

/** A valid offset as a number, or null (what the README says is refused). */
function validOffset(o: unknown): number | null {
  if (o === undefined) return 0;
  if (typeof o === 'number') return Number.isSafeInteger(o) && o >= 0 ? o : null;
  if (typeof o === 'bigint') return o >= 0n && o <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(o) : null;
  return null;
}

function show(v: unknown): string {
  try {
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'string') return JSON.stringify(v.length > 24 ? `${v.slice(0, 24)}...` : v);
    if (typeof v === 'symbol') return v.toString();
    if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
    if (typeof v === 'function') return 'a function';
    if (v === null || typeof v !== 'object') return String(v);
    if (Array.isArray(v)) return `[${v.slice(0, 4).map(show).join(', ')}${v.length > 4 ? ', ...' : ''}]`;
    if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as Uint8Array).length})`;
    return `an object (${Object.prototype.toString.call(v)})`;
  } catch {
    return 'a value that cannot be printed';
  }
}

function errorText(e: unknown): string {
  try {
    if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 240);
    return `a thrown ${typeof e}: ${show(e)}`;
  } catch {
    return 'an unprintable error';
  }
}

/** The error's constructor and message with numbers blanked: the grouping key for wrong errors. */
function errorKind(e: unknown): string {
  let name = 'a non-Error value';
  let msg = '';
  try {
    if (e instanceof UserError) return 'the user\'s own error, unwrapped';
    if (e instanceof Error) { name = e.constructor?.name ?? e.name; msg = e.message; }
    else return `a thrown ${typeof e}`;
  } catch { /* fall through */ }
  msg = msg.replace(/^[\w$.[\]]+: /, '').replace(/index \S+ out of range/, 'index ... out of range');
  return `${name} (${msg.replace(/DataView\.prototype\.\w+/g, 'DataView.prototype.*').replace(/\d+/g, 'N').replace(/"[^"]*"/g, '"..."').slice(0, 90)})`;
}

function causeChainHas(e: unknown, cls: new (...a: never[]) => Error): boolean {
  let x: unknown = e;
  for (let i = 0; i < 8 && x; i++) {
    if (x instanceof cls) return true;
    x = (x as { cause?: unknown }).cause;
  }
  return false;
}

// ---- one module's run ---------------------------------------------------------------------------------------------

export interface ModuleRunOptions {
  readonly seed: number;
  readonly moduleIndex: number;
  readonly cases: number;
  /** Run cases up to this one and keep only its failures (with every call of it). */
  readonly only?: number;
}

interface CaseState {
  readonly index: number;
  record: string;
  readonly calls: string[];
}

type CodecEntry = LoadedModule['codecs'][number];

export class ModuleFuzz {
  readonly #m: LoadedModule;
  readonly #t: Tally;
  readonly #o: ModuleRunOptions;
  #r: Rand = new Rand(Math.random);
  #pool: Watched[] = [];
  #case: CaseState = { index: -1, record: '', calls: [] };
  /** The buffer an encode/view is working on, for getters that resize or detach it mid-call. */
  #current: Buf | null = null;
  /** Lengths a buffer had during the current call, lowest (bytes past it were dropped and regrown by us). */
  #shrunk = new Map<Buf, number>();
  #userThrown = false;
  /** The last value decoded for each codec (in any case), for setters given a value of the right type. */
  #samples = new Map<AnyCodec, Obj>();

  constructor(m: LoadedModule, t: Tally, o: ModuleRunOptions) {
    this.#m = m;
    this.#t = t;
    this.#o = o;
  }

  run(): void {
    const codecs = this.#m.codecs;
    if (!codecs.length) return;
    const last = this.#o.only ?? this.#o.cases - 1;
    for (let k = 0; k <= last && k < this.#o.cases; k++) {
      this.#r = new Rand(rng(mix(this.#o.seed, this.#o.moduleIndex, k)));
      const entry = codecs[this.#r.int(codecs.length)]!;
      this.#case = { index: k, record: entry.codec.name, calls: [] };
      this.#t.cases++;
      try {
        this.#oneCase(entry);
      } catch (e) {
        this.#fail('harness', 'the harness threw', `${errorText(e)}\n${e instanceof Error ? e.stack?.split('\n').slice(1, 6).join('\n') : ''}`);
      }
    }
  }

  #oneCase(e: CodecEntry): void {
    const ops: Array<[number, () => void]> = [
      [3, () => this.#opRoundTrip(e)],
      [3, () => this.#opDecode(e)],
      [4, () => this.#opView(e)],
      [6, () => this.#opEncode(e)],
      [1, () => this.#opSizeOf(e)],
      [2, () => this.#opMany(e)],
      [1, () => this.#opNullDst(e)],
      [1, () => this.#opOthers(e)],
    ];
    let w = this.#r.int(ops.reduce((s, [n]) => s + n, 0));
    for (const [n, f] of ops) {
      if (w < n) { f(); return; }
      w -= n;
    }
  }

  // ---- calls and their checks ---------------------------------------------------------------------------------------

  #watch(buf: Buf | null, role: string): void {
    if (!buf || this.#pool.some((w) => w.buf === buf)) return;
    this.#pool.push({ buf, role });
    if (this.#pool.length > 8) this.#pool.shift();
  }

  /** Calls `fn` (one entry point of the module), then checks what it threw and what it wrote. */
  #call<T>(name: string, desc: string, fn: () => T, allow: () => readonly Allowed[] = () => [], current: Buf | null = null, user = false): { ok: true; value: T } | { ok: false; error: unknown } {
    if (!user) this.#t.calls++;
    this.#case.calls.push(desc);
    const snaps = this.#pool.map((w) => ({ w, bytes: bufLength(w.buf) ? new Uint8Array(w.buf).slice() : new Uint8Array(0) }));
    this.#shrunk = new Map();
    this.#userThrown = false;
    const prevCurrent = this.#current;
    this.#current = current;
    let result: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      result = { ok: true, value: fn() };
    } catch (error) {
      result = { ok: false, error };
    } finally {
      this.#current = prevCurrent;
    }
    const side = SIDE_OF[name] ?? 'either';
    if (user) { /* the user's own write: what it throws is the engine's business */ } else if (!result.ok) {
      const err = result.error;
      const { DecodeError: DE, EncodeError: EE } = this.#m;
      const ok = side === 'decode' ? err instanceof DE : side === 'encode' ? err instanceof EE : err instanceof DE || err instanceof EE;
      if (!ok) {
        const expected = side === 'decode' ? 'DecodeError' : side === 'encode' ? 'EncodeError' : 'DecodeError or EncodeError';
        this.#fail('wrongError', `${name} threw ${errorKind(err)}, not ${expected}`, errorText(err));
      } else if (this.#userThrown && !causeChainHas(err, UserError)) {
        this.#fail('wrongError', `${name}: a user's error was thrown during the call but is not the cause of the ${(err as Error).name}`, errorText(err));
      }
    } else if (result.ok && this.#userThrown) this.#note(`${name} returned although a user's getter or trap threw during it (the error was caught and dropped)`);
    this.#checkWrites(name, snaps, allow);
    return result;
  }

  #checkWrites(name: string, snaps: ReadonlyArray<{ w: Watched; bytes: Uint8Array }>, allow: () => readonly Allowed[]): void {
    const allowed = allow();
    for (const { w, bytes: before } of snaps) {
      const n = bufLength(w.buf);
      if (!n || !before.length) continue;
      const now = new Uint8Array(w.buf);
      const limit = Math.min(before.length, now.length, this.#shrunk.get(w.buf) ?? Infinity);
      const mine = allowed.filter((a) => a.buf === w.buf);
      let first = -1;
      let last = -1;
      let changed = 0;
      for (let i = 0; i < limit; i++) {
        if (now[i] === before[i]) continue;
        if (mine.some((a) => i >= a.from && i < a.to)) continue;
        if (first < 0) first = i;
        last = i;
        changed++;
      }
      if (!changed) continue;
      let where: string;
      let what: string;
      const a = mine[0];
      if (!a) {
        what = `${name} wrote into a buffer it was not given`;
        where = `${changed} bytes changed in ${w.role} between byte ${first} and ${last}`;
      } else if (first >= a.to) {
        what = `${name} wrote past the end of the range it checked`;
        where = `${changed} bytes changed after the checked range [${a.from}, ${a.to}) of ${w.role}: ${first - a.to} to ${last - a.to} bytes past its end`;
      } else {
        what = `${name} wrote before the start of the range it checked`;
        where = `${changed} bytes changed outside the checked range [${a.from}, ${a.to}) of ${w.role}, from byte ${first} to ${last}`;
      }
      this.#fail('outOfRange', what, where);
    }
  }

  #fail(category: Category, what: string, detail: string): void {
    if (this.#o.only !== undefined && this.#case.index !== this.#o.only) return;
    this.#t.counts[category]++;
    const e = this.#m.codecs.find((c) => c.codec.name === this.#case.record);
    const f: Failure = {
      category, what, detail, seed: this.#o.seed, caseIndex: this.#case.index, moduleIndex: this.#o.moduleIndex, module: specLabel(this.#m.spec),
      record: this.#case.record, calls: [...this.#case.calls], source: e?.source ?? null,
    };
    let g = this.#t.byWhat.get(what);
    if (!g) this.#t.byWhat.set(what, g = { category, count: 0, first: [] });
    g.count++;
    if (g.first.length < KEEP) g.first.push(f);
  }

  #note(what: string): void {
    if (this.#o.only !== undefined && this.#case.index !== this.#o.only) return;
    this.#t.notes.set(what, (this.#t.notes.get(what) ?? 0) + 1);
  }

  /** Shrinks, regrows, grows or detaches a buffer the way a user's code might in the middle of a call. */
  #disturb(buf: Buf | null): string {
    if (!buf) return 'nothing to disturb';
    const n = bufLength(buf);
    const r = this.#r;
    if ((buf as { growable?: boolean }).growable) {
      const sab = buf as unknown as { maxByteLength: number; grow(n: number): void };
      const to = Math.min(sab.maxByteLength, n + 1 + r.int(64));
      try { sab.grow(to); } catch { /* at its maximum */ }
      return `grew the shared buffer to ${bufLength(buf)}`;
    }
    if ((buf as { resizable?: boolean }).resizable) {
      const ab = buf as ArrayBuffer & { resize(n: number): void; maxByteLength: number };
      const to = r.pick([0, Math.floor(n / 2), Math.max(0, n - 1), n - r.int(Math.max(1, n)), Math.min(ab.maxByteLength, n + 8)]);
      ab.resize(to);
      this.#noteLength(buf, to);
      if (r.chance(0.4)) { ab.resize(Math.min(ab.maxByteLength, n)); return `resized the buffer to ${to} and back to ${n}`; }
      return `resized the buffer from ${n} to ${to}`;
    }
    if (r.chance(0.5) && detach(buf)) return 'detached the buffer (structuredClone transfer)';
    return 'left the buffer alone';
  }

  #noteLength(buf: Buf, n: number): void {
    const was = this.#shrunk.get(buf);
    this.#shrunk.set(buf, was === undefined ? n : Math.min(was, n));
  }

  // ---- sources and destinations ---------------------------------------------------------------------------------------

  /** Bytes to decode or view: `need` bytes (sometimes fewer or more) in one of the shapes users pass, inside a larger
   * buffer with guard bytes around, or something that is not bytes at all. */
  #source(need: number, role: string): Region {
    const r = this.#r;
    const len = r.chance(0.15) ? r.int(need + 1) : need + (r.chance(0.5) ? 0 : r.int(24));
    const pre = r.pick([0, 1, 3, 7, 8, 16]);
    const post = r.pick([0, 5, 16]);
    const fill = (u: Uint8Array) => { u.set(r.bytes(u.length)); };
    const plain = (): [ArrayBuffer, Uint8Array] => { const ab = new ArrayBuffer(pre + len + post); const u = new Uint8Array(ab); fill(u); return [ab, u]; };
    const kind = r.int(24);
    let reg: Region;
    switch (kind) {
      case 0: case 1: case 2: case 3: { const [ab] = plain(); reg = { arg: new Uint8Array(ab, pre, len), buf: ab, start: pre, length: len, desc: `Uint8Array(${len}) at byte ${pre} of ArrayBuffer(${ab.byteLength})` }; break; }
      case 4: { const ab = new ArrayBuffer(len); fill(new Uint8Array(ab)); reg = { arg: ab, buf: ab, start: 0, length: len, desc: `ArrayBuffer(${len})` }; break; }
      case 5: { const [ab] = plain(); reg = { arg: new DataView(ab, pre, len), buf: ab, start: pre, length: len, desc: `DataView(${len}) at byte ${pre} of ArrayBuffer(${ab.byteLength})` }; break; }
      case 6: { const [ab] = plain(); reg = { arg: Buffer.from(ab, pre, len), buf: ab, start: pre, length: len, desc: `Buffer(${len}) at byte ${pre}` }; break; }
      case 7: {
        const el = r.pick([2, 4, 8]);
        const n = Math.ceil(len / el);
        const ab = new ArrayBuffer(el * (2 + n));
        fill(new Uint8Array(ab));
        const T = el === 2 ? Int16Array : el === 4 ? Float32Array : Float64Array;
        reg = { arg: new T(ab, el, n), buf: ab, start: el, length: n * el, desc: `${T.name}(${n}) at byte ${el} of ArrayBuffer(${ab.byteLength})` };
        break;
      }
      case 8: { const sab = new SharedArrayBuffer(pre + len + post); fill(new Uint8Array(sab)); reg = { arg: new Uint8Array(sab, pre, len), buf: sab, start: pre, length: len, desc: `Uint8Array(${len}) at byte ${pre} of SharedArrayBuffer(${sab.byteLength})` }; break; }
      case 9: { const sab = new GrowableSharedArrayBuffer(pre + len, { maxByteLength: pre + len + 256 }); fill(new Uint8Array(sab)); reg = { arg: new Uint8Array(sab, pre), buf: sab, start: pre, length: len, desc: `length-tracking Uint8Array at byte ${pre} of growable SharedArrayBuffer(${sab.byteLength})` }; break; }
      case 10: case 11: {
        const ab = new ResizableArrayBuffer(pre + len + post, { maxByteLength: pre + len + post + 256 });
        fill(new Uint8Array(ab));
        const tracking = kind === 11;
        reg = { arg: tracking ? new Uint8Array(ab, pre) : new Uint8Array(ab, pre, len), buf: ab, start: pre, length: tracking ? len + post : len, desc: `${tracking ? 'length-tracking ' : ''}Uint8Array at byte ${pre} of resizable ArrayBuffer(${ab.byteLength})` };
        break;
      }
      case 12: { const ab = new ResizableArrayBuffer(len, { maxByteLength: len + 256 }); fill(new Uint8Array(ab)); reg = { arg: ab, buf: ab, start: 0, length: len, desc: `resizable ArrayBuffer(${len})` }; break; }
      case 13: { const [ab] = plain(); const u = new Uint8Array(ab, pre, len); detach(ab); reg = { arg: u, buf: null, start: 0, length: 0, desc: 'Uint8Array over a detached buffer' }; break; }
      case 14: {
        const ab = new ResizableArrayBuffer(pre + len + post, { maxByteLength: pre + len + post + 16 });
        fill(new Uint8Array(ab));
        const u = new Uint8Array(ab, pre, len);
        const to = r.int(pre + len);
        (ab as unknown as { resize(n: number): void }).resize(to);
        reg = { arg: u, buf: ab, start: pre, length: 0, desc: `Uint8Array(${len}) at byte ${pre} of a resizable buffer shrunk to ${to} (out of bounds)` };
        break;
      }
      case 15: { const [ab] = plain(); reg = { arg: new Uint8ClampedArray(ab, pre, len), buf: ab, start: pre, length: len, desc: `Uint8ClampedArray(${len}) at byte ${pre}` }; break; }
      case 16: { const [ab] = plain(); reg = { arg: this.#lyingTypedArray(ab, pre, len), buf: ab, start: pre, length: len, desc: `a Uint8Array subclass whose byteOffset getter throws or whose byteLength grows after the first read, over bytes ${pre}..${pre + len}` }; break; }
      case 17: { const [ab] = plain(); reg = { arg: new Proxy(new Uint8Array(ab, pre, len), {}), buf: ab, start: pre, length: len, desc: 'a Proxy of a Uint8Array' }; break; }
      case 18: {
        let mem: WebAssembly.Memory | null = null;
        try { mem = new WebAssembly.Memory({ initial: 1, maximum: 4 }); } catch { /* no WebAssembly */ }
        if (mem) { fill(new Uint8Array(mem.buffer, 0, Math.min(len + 64, 65536))); reg = { arg: mem, buf: mem.buffer, start: 0, length: 65536, desc: 'a WebAssembly.Memory of one page' }; break; }
        reg = this.#junkSource(len);
        break;
      }
      default: reg = this.#junkSource(len);
    }
    this.#watch(reg.buf, `the ${role} (${reg.desc})`);
    return reg;
  }

  /** Something that is not bytes, passed where bytes go. */
  #junkSource(len: number): Region {
    const junk: ReadonlyArray<[unknown, string]> = [
      [null, 'null'], [undefined, 'undefined'], [42, '42'], ['bytes', '"bytes"'], [{}, '{}'], [[1, 2, 3], '[1, 2, 3]'],
      [{ buffer: new ArrayBuffer(len), byteOffset: 0, byteLength: len }, 'an object shaped like a typed array'],
      [new Proxy(new ArrayBuffer(len), {}), 'a Proxy of an ArrayBuffer'],
      [new Proxy({}, { get: () => { this.#userThrown = true; throw new UserError('a Proxy source'); }, getPrototypeOf: () => { this.#userThrown = true; throw new UserError('a Proxy source'); } }), 'a Proxy whose traps throw'],
      [new BigInt64Array(2), 'BigInt64Array(2)'], [new Float64Array(0), 'Float64Array(0)'],
    ];
    const [arg, d] = this.#r.pick(junk);
    return { arg, buf: null, start: 0, length: 0, desc: d };
  }

  /** A Uint8Array subclass whose `byteOffset` getter throws, or whose `byteLength`/`length` getters answer right the
   * first time and 64 more after. (One that lies from the start is not counted against the module: it writes where
   * it was told, which is the range it checked.) */
  #lyingTypedArray(ab: ArrayBuffer, pre: number, len: number): Uint8Array {
    const throws = this.#r.chance(0.5);
    const reads = new Map<string, number>();
    class Changing extends Uint8Array {}
    const intrinsic = (k: string) => Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), k)!.get!;
    for (const k of ['byteOffset', 'byteLength', 'length']) {
      Object.defineProperty(Changing.prototype, k, {
        get: (function (this: Uint8Array) {
          if (throws && k === 'byteOffset') { mark(); throw new UserError('a byteOffset getter'); }
          const n = (reads.get(k) ?? 0) + 1;
          reads.set(k, n);
          const real = intrinsic(k).call(this) as number;
          return !throws && k !== 'byteOffset' && n > 1 ? real + 64 : real;
        }),
        configurable: true,
      });
    }
    const mark = (): void => { this.#userThrown = true; };
    return new Changing(ab, pre, len);
  }

  /** An offset for `size` bytes in a source of `length` bytes: mostly valid (number or bigint), sometimes hostile. */
  #offset(length: number, size: number): unknown {
    const r = this.#r;
    const room = Math.max(0, length - size);
    if (r.chance(0.7)) {
      const o = r.chance(0.3) ? 0 : r.chance(0.5) ? room : r.int(room + 1);
      return r.chance(0.2) ? BigInt(o) : o;
    }
    if (r.chance(0.3)) return r.pick([room + 1, length, length + 1, 2 ** 32 + r.int(4)]);
    if (r.chance(0.1)) return { valueOf: () => { this.#userThrown = true; throw new UserError('an offset\'s valueOf'); } };
    return r.pick(BAD_OFFSETS);
  }

  #options(src: Buf | null): { value: unknown; desc: string } {
    const r = this.#r;
    const mark = (): void => { this.#userThrown = true; };
    const disturb = (): void => { this.#case.calls.push(`(the strict getter ${this.#disturb(src)})`); };
    switch (r.int(12)) {
      case 0: return { value: { strict: true }, desc: '{ strict: true }' };
      case 1: return { value: {}, desc: '{}' };
      case 2: return { value: null, desc: 'null' };
      case 3: return { value: 'strict', desc: '"strict"' };
      case 4: return { value: { get strict(): boolean { mark(); throw new UserError('a strict getter'); } }, desc: '{ get strict() { throw } }' };
      case 5: return { value: new Proxy({}, { get: () => { mark(); throw new UserError('an options Proxy'); }, has: () => { mark(); throw new UserError('an options Proxy'); } }), desc: 'a Proxy of options whose traps throw' };
      case 6: return { value: { get strict(): boolean { disturb(); return true; } }, desc: '{ get strict() { resize or detach the source; return true } }' };
      case 7: return { value: Object.create(null), desc: 'Object.create(null)' };
      case 8: return { value: { strict: 'yes' }, desc: '{ strict: "yes" }' };
      default: return { value: undefined, desc: 'undefined' };
    }
  }

  // ---- values -----------------------------------------------------------------------------------------------------

  /** A value of the codec that encode takes, decoded (by the module's own decode) from random bytes, else from
   * bytes of ASCII text, else from zeros; null when not even that decodes. */
  #sample(c: AnyCodec, facts: RecordFacts | null): { value: Obj; bytes: Uint8Array } | null {
    const len = this.#lengthFor(c, facts, this.#r.int(4));
    let found: { value: Obj; bytes: Uint8Array } | null = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      const b = attempt === 2 ? new Uint8Array(len) : attempt === 1 ? this.#r.bytes(len).map((x) => (x & 0x7f) < 0x20 ? 0 : x & 0x7f) : this.#r.bytes(len);
      if (attempt < 2) this.#setCount(c, facts, b, this.#flexCountOf(c, facts, len));
      const res = this.#call('decode', `${c.name}.decode(<${len} bytes: ${hex(b)}>)`, () => (c.decode as (s: unknown) => Obj)(b));
      if (!res.ok || typeof res.value !== 'object' || res.value === null) continue;
      found = { value: res.value, bytes: b };
      const again = this.#call('encode', `${c.name}.encode(that value)`, () => (c.encode as (v: unknown) => unknown)(res.value));
      if (again.ok) break;
    }
    if (found) this.#samples.set(c, found.value);
    return found;
  }

  /** Bytes for the record with `k` flexible-array elements. */
  #lengthFor(c: AnyCodec, facts: RecordFacts | null, k: number): number {
    const fl = facts?.flexible;
    return fl ? Math.max(c.size, fl.byteOffset + k * fl.stride) : c.size;
  }

  #flexCountOf(c: AnyCodec, facts: RecordFacts | null, len: number): number {
    const fl = facts?.flexible;
    return fl && fl.stride > 0 ? Math.max(0, Math.floor((len - fl.byteOffset) / fl.stride)) : 0;
  }

  /** Writes `k` into the count member of a counted flexible array, so that random bytes decode. */
  #setCount(c: AnyCodec, facts: RecordFacts | null, b: Uint8Array, k: number): void {
    const by = this.#m.countedBy.get(c.name);
    const m = by && facts?.members.find((x) => x.name === by && !x.bitfield);
    if (!m || m.type.k !== 'int') return;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const at = m.bitOffset / 8;
    const le = m.type.order === 'little';
    for (let i = 0; i < m.type.bytes; i++) dv.setUint8(at + i, 0);
    if (m.type.bytes === 1) dv.setUint8(at, k);
    else dv.setUint8(le ? at : at + m.type.bytes - 1, k);
  }

  // ---- operations ---------------------------------------------------------------------------------------------------

  /** encode(decode(b)) keeps every bit a member holds and zeroes padding, without and with a destination; strings
   * with a lone surrogate are refused by encode and by setters. */
  #opRoundTrip(e: CodecEntry): void {
    const { codec: c, facts } = e;
    if (!facts || this.#m.noRoundTrip.has(c.name)) { this.#opDecode(e); return; }
    const r = this.#r;
    const k = facts.flexible ? r.int(4) : 0;
    const len = this.#lengthFor(c, facts, k);
    const b = r.bytes(len);
    this.#setCount(c, facts, b, k);
    const dec = this.#call('decode', `${c.name}.decode(b) with b = <${len} bytes: ${hex(b)}>`, () => (c.decode as (s: unknown) => Obj)(b));
    if (!dec.ok) return; // a counted tail longer than the bytes, a 64-bit integer read "as": "number": refused, fine
    const v = dec.value;
    const count = this.#flexCountOf(c, facts, len);
    const masks = recordMasks(this.#m.facts, facts, count, len);
    const encode = c.encode as (v: unknown, d?: unknown, o?: unknown) => Uint8Array;
    // without a destination
    const e1 = this.#call('encode', `${c.name}.encode(decode(b))`, () => encode(v));
    if (!e1.ok) this.#fail('roundTrip', `encode refused a value decode made${errorCause(e1.error)}`, errorText(e1.error));
    else this.#compareRoundTrip(c, b, e1.value, masks, 'encode(decode(b))');
    // into a reused destination full of other bytes
    const off = r.int(8);
    const ab = new ArrayBuffer(off + len + 8);
    const dst = new Uint8Array(ab);
    dst.set(r.bytes(dst.length));
    this.#watch(ab, `the destination (Uint8Array(${dst.length}) of other bytes)`);
    const e2 = this.#call('encode', `${c.name}.encode(decode(b), dst, ${off}) with dst = Uint8Array(${dst.length}) of other bytes`, () => encode(v, dst, off),
      () => [{ buf: ab, from: off, to: off + len }]);
    if (e2.ok) this.#compareRoundTrip(c, b, dst.subarray(off, off + len), masks, `encode(decode(b), dst, ${off})`);
    // lone surrogates
    const strings = stringPaths(v);
    if (strings.length) {
      const p = r.pick(strings);
      const bad = r.pick(['\uD800', '\uDFFF', 'a\uDBFF', '\uDC00b']);
      const w = cloneWith(v, p, bad);
      this.#t.checked.loneSurrogates++;
      const e3 = this.#call('encode', `${c.name}.encode(decode(b) with .${p.join('.')} = ${JSON.stringify(bad)})`, () => encode(w));
      if (e3.ok) this.#fail('roundTrip', 'encode took a string with a lone surrogate', `.${p.join('.')} = ${JSON.stringify(bad)} encoded as ${hex(e3.value)}`);
      const vb = new Uint8Array(b);
      this.#watch(vb.buffer, 'the bytes under a view');
      const view = this.#call('view', `${c.name}.view(copy of b)`, () => (c.view as (s: unknown) => Obj)(vb));
      if (view.ok) {
        this.#t.checked.setterSurrogates++;
        const set = this.#call('setter', `view.${p.join('.')} = ${JSON.stringify(bad)}`, () => setAt(view.value, p, bad), () => [{ buf: vb.buffer, from: 0, to: vb.length }]);
        if (set.ok) this.#fail('roundTrip', 'a view setter took a string with a lone surrogate', `view.${p.join('.')} = ${JSON.stringify(bad)}`);
      }
    }
  }

  #compareRoundTrip(c: AnyCodec, b: Uint8Array, out: Uint8Array, m: ReturnType<typeof recordMasks>, how: string): void {
    this.#t.checked.roundTrips++;
    if (out.length !== b.length) {
      this.#fail('roundTrip', `${how.split('(')[0]} gave ${out.length < b.length ? 'fewer' : 'more'} bytes than decode read`, `${how}: ${out.length} bytes, b has ${b.length}`);
      return;
    }
    const lost = new Map<string, string[]>();
    for (let i = 0; i < b.length; i++) {
      const diff = (out[i]! ^ b[i]!) & m.held[i]!;
      if (diff) {
        const kind = m.kind[i] ?? '?';
        const l = lost.get(kind) ?? [];
        if (l.length < 4) l.push(`byte ${i} (${m.path[i]}): ${hex2(b[i]!)} -> ${hex2(out[i]!)}`);
        lost.set(kind, l);
      }
      const pad = out[i]! & ~m.cover[i]! & 0xff;
      if (pad) {
        const l = lost.get('padding') ?? [];
        if (l.length < 4) l.push(`padding byte ${i}: ${hex2(out[i]!)}`);
        lost.set('padding', l);
      }
    }
    for (const [kind, l] of lost) {
      if (kind === 'padding') this.#fail('roundTrip', `${how.replace(/\d+\)$/, 'off)')} left padding bits set`, l.join('; '));
      else if (kind.startsWith('union of ')) this.#fail('roundTrip', 'encode(decode(b)) changed bits that members of a union share', `${how}: ${kind}: ${l.join('; ')}`);
      else this.#fail('roundTrip', `encode(decode(b)) changed bits of ${kind}`, `${how}: ${l.join('; ')}`);
    }
  }

  #opDecode(e: CodecEntry): void {
    const c = e.codec;
    const r = this.#r;
    const k = 1 + r.int(3);
    const src = this.#source(this.#lengthFor(c, e.facts, r.int(3)) * k, 'source');
    const off = this.#offset(src.length, c.size);
    const opt = this.#options(src.buf);
    const arity = r.int(3);
    const args = [src.arg, off, opt.value].slice(0, arity + 1);
    const res = this.#call('decode', `${c.name}.decode(${[src.desc, show(off), opt.desc].slice(0, arity + 1).join(', ')})`, () => (c.decode as (...a: unknown[]) => unknown)(...args), () => [], src.buf);
    if (res.ok && arity >= 1 && validOffset(off) === null) this.#note(`decode accepted the byte offset ${show(off)}`);
  }

  #opView(e: CodecEntry): void {
    const c = e.codec;
    const r = this.#r;
    const src = this.#source(this.#lengthFor(c, e.facts, r.int(3)) + r.int(2) * c.size, 'source of a view');
    const off = this.#offset(src.length, c.size);
    const res = this.#call('view', `${c.name}.view(${src.desc}, ${show(off)})`, () => (c.view as (...a: unknown[]) => unknown)(src.arg, off), () => [], src.buf);
    if (!res.ok) return;
    const o = validOffset(off);
    if (o === null) { this.#note(`view accepted the byte offset ${show(off)}`); return; }
    this.#walkView(res.value as Obj, this.#viewRange(e, src, o), src, 0);
  }

  /** What a view of the record at `o` of `src` may write: the record's bytes; with a flexible array (at any depth),
   * to the end of the source (its elements are as many as fit, or as its count says). A WebAssembly memory: all of it (views over
   * memory follow pointers). */
  #viewRange(e: CodecEntry, src: Region, o: number): Allowed[] {
    if (!src.buf) return [];
    if (typeof WebAssembly !== 'undefined' && src.arg instanceof WebAssembly.Memory) return [{ buf: src.buf, from: 0, to: Infinity }];
    const from = src.start + o;
    // a codec of an anonymous record has no facts by name: any anonymous record of its size with a flexible array
    const flexible = e.facts ? hasFlexible(this.#m.facts, e.facts)
      : this.#m.facts.records.some((x) => x && !x.name && x.size === e.codec.size && hasFlexible(this.#m.facts, x));
    return [{ buf: src.buf, from, to: flexible ? src.start + Math.max(src.length, o + e.codec.size) : from + e.codec.size }];
  }

  #walkView(v: Obj, range: readonly Allowed[], src: Region, depth: number): void {
    if (typeof v !== 'object' || v === null) return;
    const r = this.#r;
    const accessors = accessorsOf(v);
    const chosen = accessors.filter(() => r.chance(depth ? 0.5 : 0.8));
    for (const [name, d] of chosen) {
      if (r.chance(0.08)) this.#case.calls.push(`(the harness ${this.#disturb(src.buf)})`);
      if (d.get) {
        const got = this.#call('getter', `view.${name}`, () => d.get!.call(v), () => [], src.buf);
        if (got.ok) this.#visitViewValue(got.value, name, range, src, depth);
      }
      if (d.set && r.chance(0.6)) {
        const val = this.#setterValue(v, name);
        this.#t.checked.setters++;
        this.#call('setter', `view.${name} = ${val.desc}`, () => d.set!.call(v, val.value), () => range, src.buf);
      }
    }
    if (typeof v.$decode === 'function' && r.chance(0.5)) {
      const opt = this.#options(src.buf);
      this.#call('$decode', `view.$decode(${opt.desc})`, () => (v.$decode as (o: unknown) => unknown).call(v, opt.value), () => [], src.buf);
    }
    if (typeof v.toJSON === 'function' && r.chance(0.2)) this.#call('view.toJSON', 'view.toJSON()', () => (v.toJSON as () => unknown).call(v), () => [], src.buf);
    // any other method a view has (later versions may add some): either error kind, writes only in the record
    for (const name of methodsOf(v)) {
      if (!r.chance(0.3)) continue;
      const arg = this.#leaf(undefined);
      this.#call(`view.${name}`, `view.${name}(${arg.desc})`, () => (v[name] as (a: unknown) => unknown).call(v, arg.value), () => range, src.buf);
    }
  }

  #visitViewValue(x: unknown, name: string, range: readonly Allowed[], src: Region, depth: number): void {
    if (typeof x !== 'object' || x === null) return;
    if (x instanceof Uint8Array || x instanceof Int8Array) {
      // the view's bytes of an 8-bit array: a user writes through them; they must cover the member only
      if (this.#r.chance(0.4)) this.#call('a write through a view\'s typed array', `view.${name}.fill(0x5a) (a user's write through the view's bytes)`, () => x.fill(0x5a), () => range, src.buf, true);
      return;
    }
    const o = x as Obj;
    if (typeof o.get === 'function' && typeof o.length === 'number') { if (depth < 3) this.#walkArrayView(o, name, range, src, depth + 1); return; }
    if (typeof o.$decode === 'function' && depth < 3) this.#walkView(o, range, src, depth + 1);
  }

  #walkArrayView(a: Obj, name: string, range: readonly Allowed[], src: Region, depth: number, many = false): void {
    const r = this.#r;
    const lenRes = this.#call('ArrayView.length', `${name}.length`, () => a.length, () => [], src.buf);
    const n = lenRes.ok && typeof lenRes.value === 'number' ? lenRes.value : 0;
    const indexes: unknown[] = [0, n - 1, n, -1, 0.5, NaN, '0', 2 ** 32, 1n, r.int(Math.max(1, n))];
    const get = a.get as (i: unknown) => unknown;
    for (let k = 0; k < 3; k++) {
      const i = r.chance(0.7) && n > 0 ? r.int(n) : r.pick(indexes);
      const got = this.#call(many ? 'ArrayView.get (viewMany)' : 'ArrayView.get', `${name}.get(${show(i)})`, () => get.call(a, i), () => [], src.buf);
      if (got.ok) this.#visitViewValue(got.value, `${name}.get(${show(i)})`, range, src, depth);
      if (typeof a.set === 'function' && r.chance(0.4)) {
        const j = r.chance(0.7) && n > 0 ? r.int(n) : r.pick(indexes);
        const val = r.chance(0.5) && got.ok ? { value: got.value, desc: 'the element read back' } : this.#leaf(got.ok ? got.value : 0);
        this.#call('ArrayView.set', `${name}.set(${show(j)}, ${val.desc})`, () => (a.set as (i: unknown, v: unknown) => unknown).call(a, j, val.value), () => range, src.buf);
      }
    }
    if (r.chance(0.3)) {
      this.#call('ArrayView iteration', `[...${name}].slice(0, 4)`, () => {
        const it = (a as unknown as Iterable<unknown>)[Symbol.iterator]();
        for (let k = 0; k < 4 && !it.next().done; k++) { /* the first elements */ }
      }, () => [], src.buf);
    }
    if (r.chance(0.2) && n <= 256 && typeof a.toArray === 'function') this.#call('ArrayView.toArray', `${name}.toArray()`, () => (a.toArray as () => unknown).call(a), () => [], src.buf);
    if (r.chance(0.1) && n <= 256 && typeof a.toJSON === 'function') this.#call('ArrayView.toJSON', `${name}.toJSON()`, () => (a.toJSON as () => unknown).call(a), () => [], src.buf);
  }

  /** A value for a view's setter: the member's value from another record (right type), or a hostile one. */
  #setterValue(v: Obj, name: string): { value: unknown; desc: string } {
    const r = this.#r;
    const sample = [...this.#samples.values()].find((s) => Object.prototype.hasOwnProperty.call(s, name));
    if (sample && r.chance(0.5)) {
      const x = sample[name];
      return { value: x, desc: `${show(x)} (from a decoded record)` };
    }
    let cur: unknown;
    try { cur = v[name]; } catch { cur = 0; }
    return this.#leaf(cur);
  }

  /** A value in place of `cur`: near it (valid or just out of range) or of the wrong type; sometimes an object
   * whose valueOf/toString throws. */
  #leaf(cur: unknown): { value: unknown; desc: string } {
    const r = this.#r;
    if (r.chance(0.3) && typeof cur === 'number') { const x = r.pick([cur, cur + 1, cur - 1, -cur, cur * 2 ** 16]); return { value: x, desc: show(x) }; }
    if (r.chance(0.3) && typeof cur === 'bigint') { const x = r.pick([cur, cur + 1n, -cur - 1n, cur << 64n]); return { value: x, desc: show(x) }; }
    if (r.chance(0.3) && typeof cur === 'string') { const x = r.pick([cur, `${cur}${cur}x`, 'é', '\uD800', '']); return { value: x, desc: show(x) }; }
    if (r.chance(0.1)) {
      const value = { valueOf: () => { this.#userThrown = true; throw new UserError('valueOf'); }, toString: () => { this.#userThrown = true; throw new UserError('toString'); } };
      return { value, desc: 'an object whose valueOf and toString throw' };
    }
    const x = r.pick(WRONG)();
    return { value: x, desc: show(x) };
  }

  // ---- encode with hostile values ---------------------------------------------------------------------------------

  #opEncode(e: CodecEntry): void {
    const c = e.codec;
    const r = this.#r;
    const s = this.#sample(c, e.facts);
    if (!s) return;
    const hv = this.#hostile(c, e.facts, s.value);
    const extent = this.#extent(c, e.facts, hv.flexLength);
    const encode = c.encode as (...a: unknown[]) => Uint8Array;
    const form = r.int(10);
    if (form === 0) {
      const res = this.#call('encode', `${c.name}.encode(${hv.desc})`, () => encode(hv.value));
      this.#checkFresh(res);
      return;
    }
    if (form === 1) {
      const res = this.#call('encode', `${c.name}.encode(${hv.desc}, null)`, () => encode(hv.value, null));
      this.#checkFresh(res);
      return;
    }
    // a flexible array whose length changes gets a destination with room past the record, where an overrun shows
    const careful = hv.flexLengthChanged && r.chance(0.8);
    const dst = this.#destination(extent, careful);
    const off = careful ? r.int(Math.max(1, dst.length - extent - 32)) : dst.buf ? this.#offset(dst.length, extent) : r.chance(0.5) ? 0 : this.#offset(64, extent);
    const o = validOffset(off);
    const arity = !careful && r.chance(0.15) ? 2 : 3;
    if (dst.buf) this.#t.checked.guardedEncodes++;
    if (hv.flexLengthChanged) this.#t.checked.flexibleLengthChanges++;
    const args = [hv.value, dst.arg, off].slice(0, arity);
    const res = this.#call('encode', `${c.name}.encode(${hv.desc}, ${dst.desc}${arity === 3 ? `, ${show(off)}` : ''})`, () => encode(...args),
      () => (dst.buf && (o !== null || arity === 2) ? [{ buf: dst.buf, from: dst.start + (arity === 3 ? o! : 0), to: dst.start + (arity === 3 ? o! : 0) + extent }] : []), dst.buf);
    if (res.ok && arity === 3 && o === null) this.#note(`encode accepted the byte offset ${show(off)}`);
    if (res.ok && !(res.value instanceof Uint8Array)) this.#note('encode returned something that is not a Uint8Array');
  }

  /** encode without a destination must return bytes no earlier caller owns. */
  #checkFresh(res: { ok: true; value: unknown } | { ok: false; error: unknown }): void {
    if (!res.ok) return;
    const out = res.value;
    if (!(out instanceof Uint8Array)) { this.#note('encode returned something that is not a Uint8Array'); return; }
    const w = this.#pool.find((p) => p.buf === out.buffer);
    if (w) this.#fail('outOfRange', 'encode without a destination returned bytes of a buffer the caller owns', `it returned a Uint8Array over ${w.role}`);
  }

  /** The bytes encode may write: the record, and the flexible array's elements as the value first said. */
  #extent(c: AnyCodec, facts: RecordFacts | null, flexLength: number | null): number {
    const fl = facts?.flexible;
    if (!fl || flexLength === null || !Number.isSafeInteger(flexLength) || flexLength < 0 || flexLength > 1e6) return c.size;
    return Math.max(c.size, fl.byteOffset + flexLength * fl.stride);
  }

  /** A destination for `need` bytes; `usable`: one encode can write (a Uint8Array with room, of some kind). */
  #destination(need: number, usable = false): Region {
    const r = this.#r;
    const len = !usable && r.chance(0.15) ? r.int(need + 1) : need + r.pick(usable ? [r.int(16), 64, 256] : [0, 0, r.int(16), 64, 256]);
    const pre = r.pick([0, 1, 3, 8]);
    const post = r.pick([0, 4, 16]);
    const garbage = (u: Uint8Array) => u.set(r.bytes(u.length));
    const kind = usable ? r.pick([0, 5, 6, 7, 8, 11]) : r.int(16);
    let reg: Region;
    switch (kind) {
      case 0: case 1: case 2: case 3: case 4: { const ab = new ArrayBuffer(pre + len + post); garbage(new Uint8Array(ab)); reg = { arg: new Uint8Array(ab, pre, len), buf: ab, start: pre, length: len, desc: `dst = Uint8Array(${len}) at byte ${pre} of ArrayBuffer(${ab.byteLength})` }; break; }
      case 5: { const sab = new SharedArrayBuffer(pre + len + post); garbage(new Uint8Array(sab)); reg = { arg: new Uint8Array(sab, pre, len), buf: sab, start: pre, length: len, desc: `dst = Uint8Array(${len}) at byte ${pre} of SharedArrayBuffer(${sab.byteLength})` }; break; }
      case 6: case 7: {
        const ab = new ResizableArrayBuffer(pre + len + post, { maxByteLength: pre + len + post + 64 });
        garbage(new Uint8Array(ab));
        const tracking = kind === 7;
        reg = { arg: tracking ? new Uint8Array(ab, pre) : new Uint8Array(ab, pre, len), buf: ab, start: pre, length: tracking ? len + post : len, desc: `dst = ${tracking ? 'length-tracking ' : ''}Uint8Array at byte ${pre} of resizable ArrayBuffer(${ab.byteLength})` };
        break;
      }
      case 8: { const sab = new GrowableSharedArrayBuffer(pre + len, { maxByteLength: pre + len + 64 }); garbage(new Uint8Array(sab)); reg = { arg: new Uint8Array(sab, pre), buf: sab, start: pre, length: len, desc: `dst = length-tracking Uint8Array at byte ${pre} of growable SharedArrayBuffer(${sab.byteLength})` }; break; }
      case 9: { const ab = new ArrayBuffer(pre + len + post); const u = new Uint8Array(ab, pre, len); detach(ab); reg = { arg: u, buf: null, start: 0, length: 0, desc: 'dst = Uint8Array over a detached buffer' }; break; }
      case 10: { const ab = new ArrayBuffer(pre + len + post); garbage(new Uint8Array(ab)); reg = { arg: this.#lyingTypedArray(ab, pre, len), buf: ab, start: pre, length: len, desc: `dst = a Uint8Array subclass whose byteOffset getter throws or whose byteLength grows after the first read, over bytes ${pre}..${pre + len}` }; break; }
      case 11: { const ab = new ArrayBuffer(pre + len + post); garbage(new Uint8Array(ab)); reg = { arg: Buffer.from(ab, pre, len), buf: ab, start: pre, length: len, desc: `dst = Buffer(${len}) at byte ${pre}` }; break; }
      default: {
        const ab = new ArrayBuffer(pre + len + post);
        garbage(new Uint8Array(ab));
        const junk: ReadonlyArray<[unknown, string, number]> = [
          [new DataView(ab, pre, len), 'a DataView', pre], [new Int8Array(ab, pre, len), 'an Int8Array', pre], [new Uint8ClampedArray(ab, pre, len), 'a Uint8ClampedArray', pre],
          [new Proxy(new Uint8Array(ab, pre, len), {}), 'a Proxy of a Uint8Array', pre], [ab, 'an ArrayBuffer', 0], [[0, 0, 0], 'an array', pre], [{}, '{}', pre], ['dst', '"dst"', pre], [0, '0', pre],
        ];
        const [arg, d, start] = r.pick(junk);
        reg = { arg, buf: ab, start, length: start === 0 ? ab.byteLength : len, desc: `dst = ${d} (${len} bytes at byte ${pre})` };
      }
    }
    this.#watch(reg.buf, `the destination (${reg.desc.replace(/^dst = /, '')})`);
    return reg;
  }

  /** A copy of `base` with one to three hostile changes; `flexLength`: the length of the flexible array as the first
   * read of it says (what encode may size its write by). */
  #hostile(c: AnyCodec, facts: RecordFacts | null, base: Obj): { value: unknown; desc: string; flexLength: number | null; flexLengthChanged: boolean } {
    const r = this.#r;
    const box: Obj = { value: cloneValue(base) };
    const flexKey = facts?.flexible?.member ?? null;
    const flexOf = (x: unknown): number | null => (Array.isArray(x) || ArrayBuffer.isView(x) || typeof x === 'string' ? (x as { length: number }).length : null);
    let flexLength = flexKey ? flexOf((box.value as Obj)[flexKey]) : null;
    let flexLengthChanged = false;
    const descs: string[] = [];
    const nodes = nodesOf(box);
    // half the time one array (the flexible one when there is one) gets a change to its length or elements, mostly
    // alone: another bad member would stop encode before it writes the array
    const arrays = nodes.filter((x) => Array.isArray(x.value) && (x.value as unknown[]).length > 0);
    const forced = arrays.length && r.chance(0.5) ? arrays.find((x) => x.holder === box.value && x.key === flexKey) ?? r.pick(arrays) : null;
    const n = r.chance(forced ? 0.7 : 0.15) ? 0 : 1 + r.int(3);
    // arrays, and the flexible array most, are where a length that changes does harm
    const weighted = nodes.flatMap((x) => (x.holder === box.value && x.key === flexKey ? [x, x, x, x, x, x] : Array.isArray(x.value) ? [x, x, x] : [x]));
    const picked = [...new Set(Array.from({ length: n }, () => r.pick(weighted)))].sort((a, b) => b.path.length - a.path.length);
    if (forced && !picked.includes(forced)) picked.unshift(forced);
    // deepest first: a member replaced by a Proxy or a copy carries the changes made inside it
    for (const node of picked) {
      const isFlex = node.holder === box.value && node.key === flexKey;
      try {
        const d = this.#mutate(c, node, isFlex ? (len) => { flexLength = len; flexLengthChanged = true; } : () => {}, node.holder === box, node === forced);
        if (d) descs.push(`${node.path || 'the value'}: ${d}`);
      } catch {
        descs.push(`${node.path || 'the value'}: (a change the harness could not make)`);
      }
    }
    return { value: box.value, desc: descs.length ? `value with ${descs.join('; ')}` : 'a valid value', flexLength, flexLengthChanged };
  }

  /** One hostile change at `node`; `first(len)` is told the length the flexible array's first read gives. */
  #mutate(c: AnyCodec, node: Node, first: (len: number | null) => void, isRoot: boolean, forceArray = false): string | null {
    const r = this.#r;
    const { holder, key, value: cur } = node;
    const self = this;
    const thrown = (where: string) => { self.#userThrown = true; return new UserError(where); };
    const define = (get: () => unknown) => Object.defineProperty(holder, key, { get, set: () => {}, enumerable: true, configurable: true });
    const lengthOf = (x: unknown): number | null => (Array.isArray(x) || ArrayBuffer.isView(x) ? (x as { length: number }).length : null);
    // arrays
    if (Array.isArray(cur) && (forceArray || r.chance(0.7))) {
      const arr = cur as unknown[];
      const len = arr.length;
      const proto = len ? arr[0] : 0;
      switch (forceArray ? r.int(4) : r.int(10)) {
        case 0: case 1: {
          const seq = forceArray && r.chance(0.5) ? [len, len + 1 + r.int(8)] : r.pick([[len, len + 6], [len, 0], [len, Math.max(0, len - 1)], [len, 2 ** 32 + 1], [len, -1], [len, NaN], [len, len, len + 2], [len + 6, len]]);
          let i = 0;
          holder[key] = new Proxy(arr, {
            get(t, p, rcv) {
              if (p === 'length') return seq[Math.min(i++, seq.length - 1)];
              if (typeof p === 'string' && /^\d+$/.test(p) && Number(p) >= t.length) return cloneValue(proto);
              return Reflect.get(t, p, rcv);
            },
          });
          first(seq[0]!);
          return `a Proxy array whose length reads ${seq.join(', then ')}`;
        }
        case 2: {
          let done = false;
          if (len) Object.defineProperty(arr, 0, { get() { if (!done) { done = true; for (let k = 0; k < 6; k++) arr.push(cloneValue(proto)); } return proto; }, enumerable: true, configurable: true });
          first(len);
          return 'an array whose element 0 getter pushes six rows';
        }
        case 3: {
          let done = false;
          if (len) Object.defineProperty(arr, 0, { get() { if (!done) { done = true; arr.length = 1; } return proto; }, enumerable: true, configurable: true });
          first(len);
          return 'an array whose element 0 getter truncates it to one';
        }
        case 4: {
          const at = r.chance(0.5) ? 'length' : String(r.int(Math.max(1, len)));
          holder[key] = new Proxy(arr, { get(t, p, rcv) { if (p === at) throw thrown(`a Proxy array's ${at}`); return Reflect.get(t, p, rcv); } });
          first(at === 'length' ? null : len);
          return `a Proxy array whose "${at}" throws`;
        }
        case 5: if (len) { delete arr[r.int(len)]; first(len); return 'an array with a hole'; } break;
        case 6: {
          if (r.chance(0.5)) arr.push(cloneValue(proto)); else arr.pop();
          first(arr.length);
          return `an array of ${arr.length} elements (was ${len})`;
        }
        case 7: {
          const like: Obj = { length: len };
          arr.forEach((x, k) => { like[k] = x; });
          holder[key] = like;
          first(null);
          return `an object with length ${len} and indexed elements`;
        }
        case 8: {
          if (arr.every((x) => typeof x === 'number')) {
            holder[key] = r.pick([Float64Array, Int32Array, Uint8Array]).from(arr as number[]);
            first(null);
            return 'a typed array in place of an array';
          }
          holder[key] = Object.freeze(arr);
          return 'a frozen array';
        }
        default: {
          holder[key] = new Proxy(arr, { ownKeys() { throw thrown('an ownKeys trap'); }, has() { throw thrown('a has trap'); }, getOwnPropertyDescriptor() { throw thrown('a getOwnPropertyDescriptor trap'); } });
          first(len);
          return 'a Proxy array whose ownKeys/has/getOwnPropertyDescriptor traps throw';
        }
      }
    }
    // 8-bit arrays
    if ((cur instanceof Uint8Array || cur instanceof Int8Array) && r.chance(0.7)) {
      const ta = cur;
      const len = ta.length;
      const T = ta instanceof Uint8Array ? Uint8Array : Int8Array;
      switch (r.int(8)) {
        case 0: holder[key] = new Proxy(ta, {}); first(null); return 'a Proxy of the typed array';
        case 1: { const x = new T(Math.max(0, len + r.pick([-1, 1, 100]))); holder[key] = x; first(x.length); return `a ${T.name}(${x.length}) (was ${len})`; }
        case 2: { const x = r.pick([Int16Array, Uint8ClampedArray, Float32Array]).from(ta); holder[key] = x; first(null); return `a ${x.constructor.name} in place of a ${T.name}`; }
        case 3: { const sab = new SharedArrayBuffer(len); const x = T === Uint8Array ? new Uint8Array(sab) : new Int8Array(sab); x.set(ta); holder[key] = x; first(len); return 'a typed array over a SharedArrayBuffer'; }
        case 4: {
          const ab = new ResizableArrayBuffer(len, { maxByteLength: len + 64 });
          const x = new T(ab);
          x.set(ta);
          holder[key] = x;
          first(len);
          // the value's other members read after it shrink it: encode must write what it checked, no more
          const others = Object.keys(holder).filter((k2) => k2 !== key);
          if (others.length) {
            const k2 = r.pick(others);
            const v2 = holder[k2];
            Object.defineProperty(holder, k2, { get() { (ab as ArrayBuffer & { resize(n: number): void }).resize(0); return v2; }, enumerable: true, configurable: true });
            return `a length-tracking ${T.name} over a resizable buffer that the getter of .${k2} shrinks to 0`;
          }
          return `a length-tracking ${T.name} over a resizable buffer`;
        }
        case 5: { const x = new T(len); x.set(ta); detach(x.buffer as ArrayBuffer); holder[key] = x; first(0); return 'a typed array over a detached buffer'; }
        case 6: { const ab = new ArrayBuffer(len + 8); const x = this.#lyingTypedArray(ab, 4, len); holder[key] = T === Uint8Array ? x : x; first(len); return 'a Uint8Array subclass whose byteOffset getter throws or whose byteLength grows after the first read'; }
        default: holder[key] = new DataView(ta.buffer, ta.byteOffset, ta.byteLength); first(null); return 'a DataView in place of a typed array';
      }
    }
    // records
    if (typeof cur === 'object' && cur !== null && !ArrayBuffer.isView(cur) && !Array.isArray(cur) && r.chance(0.5)) {
      const obj = cur as Obj;
      switch (r.int(6)) {
        case 0: {
          const reads = new Map<string | symbol, number>();
          const keys = Object.keys(obj);
          const victim = keys.length ? r.pick(keys) : 'x';
          const later = r.pick(WRONG)();
          holder[key] = new Proxy(obj, {
            get(t, p, rcv) {
              const n = (reads.get(p) ?? 0) + 1;
              reads.set(p, n);
              if (p === victim && n > 1) return later;
              return Reflect.get(t, p, rcv);
            },
          });
          return `a Proxy whose .${victim} reads as its value first, then ${show(later)}`;
        }
        case 1: {
          const keys = Object.keys(obj);
          const victim = keys.length ? r.pick(keys) : 'x';
          holder[key] = new Proxy(obj, { get(t, p, rcv) { if (p === victim) throw thrown(`a Proxy's .${victim}`); return Reflect.get(t, p, rcv); } });
          return `a Proxy whose .${victim} throws`;
        }
        case 2: holder[key] = Object.create(null, Object.getOwnPropertyDescriptors(obj)); return 'a copy with no prototype';
        case 3: {
          class Rec { }
          const x = new Rec() as Obj;
          for (const k of Object.keys(obj)) Object.defineProperty(Rec.prototype, k, { get: () => obj[k], enumerable: true, configurable: true });
          holder[key] = x;
          return 'an object whose members are getters on its prototype';
        }
        case 4: holder[key] = new Proxy(obj, { ownKeys() { throw thrown('an ownKeys trap'); }, getOwnPropertyDescriptor() { throw thrown('a getOwnPropertyDescriptor trap'); }, has() { throw thrown('a has trap'); }, getPrototypeOf() { throw thrown('a getPrototypeOf trap'); } }); return 'a Proxy whose ownKeys/has/getPrototypeOf traps throw';
        default: { const x = r.pick(WRONG)(); holder[key] = x; if (isRoot) first(null); return `${show(x)} in place of a record`; }
      }
    }
    if (isRoot) return null; // getters on the value itself: the harness reads it to pass it
    // any member: getters and wrong values
    switch (r.int(8)) {
      case 0: define(() => { throw thrown(`a getter of .${key}`); }); first(null); return 'a getter that throws';
      case 1: {
        let reads = 0;
        const later = r.pick(WRONG)();
        define(() => (reads++ === 0 ? cur : later));
        first(lengthOf(cur));
        return `a getter that gives its value, then ${show(later)}`;
      }
      case 2: {
        define(() => { self.#case.calls.push(`(a getter ${self.#disturb(self.#current)})`); return cur; });
        first(lengthOf(cur));
        return 'a getter that resizes, grows or detaches the buffer being written';
      }
      case 3: {
        define(() => {
          // re-entrant calls into the module from a getter: they must not disturb the outer call
          try { (c.encode as (v: unknown) => unknown)(cloneValue(self.#samples.get(c) ?? {})); } catch { /* its own business */ }
          try { (c.decode as (s: unknown) => unknown)(new Uint8Array(c.size + 8)); } catch { /* its own business */ }
          return cur;
        });
        first(lengthOf(cur));
        return 'a getter that calls encode and decode of the record again';
      }
      case 4: delete holder[key]; first(null); return 'removed';
      default: {
        const x = this.#leaf(cur);
        holder[key] = x.value;
        first(lengthOf(x.value));
        return x.desc;
      }
    }
  }

  #opSizeOf(e: CodecEntry): void {
    const c = e.codec;
    if (typeof c.sizeOf !== 'function') return;
    const s = this.#sample(c, e.facts);
    const hv = s ? this.#hostile(c, e.facts, s.value) : { value: this.#r.pick(WRONG)(), desc: 'a wrong value', flexLength: null, flexLengthChanged: false };
    this.#call('sizeOf', `${c.name}.sizeOf(${hv.desc})`, () => (c.sizeOf as (v: unknown) => unknown)(hv.value));
  }

  #opMany(e: CodecEntry): void {
    const c = e.codec;
    const r = this.#r;
    const useView = r.chance(0.5);
    const fn = (useView ? c.viewMany : c.decodeMany) as ((...a: unknown[]) => unknown) | undefined;
    const name = useView ? 'viewMany' : 'decodeMany';
    if (typeof fn !== 'function') { this.#opDecode(e); return; }
    const k = r.int(5);
    const src = this.#source(c.size * k + r.int(Math.max(1, c.size)), `source of ${name}`);
    const off = r.chance(0.7) ? (r.chance(0.5) ? 0 : r.int(Math.max(1, c.size))) : this.#offset(src.length, c.size);
    const count = r.chance(0.3) ? undefined : r.chance(0.6) ? r.int(k + 2) : r.chance(0.5) ? BigInt(r.int(k + 1)) : r.pick(BAD_OFFSETS);
    const opt = this.#options(src.buf);
    const args = useView ? [src.arg, off, count] : [src.arg, off, count, opt.value];
    const res = this.#call(name, `${c.name}.${name}(${src.desc}, ${show(off)}, ${show(count)}${useView ? '' : `, ${opt.desc}`})`, () => fn.apply(c, args), () => [], src.buf);
    if (!res.ok) return;
    const o = validOffset(off);
    if (count !== undefined && validOffset(count) === null) this.#note(`${name} accepted the count ${show(count)}`);
    if (useView && o !== null && typeof res.value === 'object' && res.value !== null && src.buf) {
      const range = [{ buf: src.buf, from: src.start + o, to: src.start + src.length }];
      this.#walkArrayView(res.value as Obj, `${c.name}.viewMany(...)`, range, src, 0, true);
    }
  }

  /** encode into a resizable or growable destination, then `encode(v, null)` and `encode(v)`: the later calls must
   * write nowhere the caller owns (issue 23 item 3). */
  #opNullDst(e: CodecEntry): void {
    const c = e.codec;
    const r = this.#r;
    const s = this.#sample(c, e.facts);
    if (!s) return;
    const encode = c.encode as (...a: unknown[]) => Uint8Array;
    const len = this.#extent(c, e.facts, flexLen(s.value, e.facts)) + r.int(8);
    const buf: Buf = r.chance(0.5) ? new ResizableArrayBuffer(len, { maxByteLength: len + 64 }) : new GrowableSharedArrayBuffer(len, { maxByteLength: len + 64 });
    const dst = new Uint8Array(buf);
    dst.set(r.bytes(len));
    const kind = buf instanceof ArrayBuffer ? 'resizable ArrayBuffer' : 'growable SharedArrayBuffer';
    this.#watch(buf, `an earlier destination (length-tracking Uint8Array over a ${kind})`);
    const extent = this.#extent(c, e.facts, flexLen(s.value, e.facts));
    this.#call('encode', `${c.name}.encode(value, dst) with dst over a ${kind}(${len})`, () => encode(s.value, dst), () => [{ buf, from: 0, to: extent }], buf);
    if (r.chance(0.3)) this.#case.calls.push(`(the harness ${this.#disturb(buf)})`);
    for (const form of r.chance(0.5) ? [0, 1] : [1, 0]) {
      const res = this.#call('encode', form ? `${c.name}.encode(value, null)` : `${c.name}.encode(value)`, () => (form ? encode(s.value, null) : encode(s.value)));
      this.#checkFresh(res);
    }
  }

  /** Every other function a codec has (toJSON, and whatever later versions add), with decoded, hostile and junk
   * arguments. */
  #opOthers(e: CodecEntry): void {
    const c = e.codec;
    const r = this.#r;
    const known = new Set(['decode', 'view', 'encode', 'sizeOf', 'decodeMany', 'viewMany']);
    const fns = Object.keys(c).filter((k) => typeof c[k] === 'function' && !known.has(k));
    if (!fns.length) { this.#opView(e); return; }
    const name = r.pick(fns);
    const s = this.#sample(c, e.facts);
    const args: Array<[unknown, string]> = [];
    // toJSON is JSON.stringify's kind of helper: a user's throwing getter may surface from it as it would from that
    if (s) args.push([s.value, 'a decoded value'], ...(name === 'toJSON' ? [] : [[this.#hostile(c, e.facts, s.value).value, 'a hostile value'] as [unknown, string]]));
    args.push([r.pick(WRONG)(), 'a wrong value'], [new Uint8Array(c.size), `Uint8Array(${c.size})`]);
    const [arg, d] = r.pick(args);
    this.#call(name, `${c.name}.${name}(${d})`, () => (c[name] as (a: unknown) => unknown).call(c, arg));
  }
}

// ---- values: walking, cloning ---------------------------------------------------------------------------------------

interface Node { readonly holder: Obj; readonly key: string; readonly value: unknown; readonly path: string }

/** Every member of a decoded value at any depth (records, arrays, leaves), with the object that holds it. */
function nodesOf(box: Obj): Node[] {
  const out: Node[] = [];
  const walk = (holder: Obj, key: string, path: string, depth: number) => {
    const v = holder[key];
    out.push({ holder, key, value: v, path });
    if (depth > 6 || typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return;
    if (Array.isArray(v)) { v.forEach((_, i) => { if (i < 8) walk(v as unknown as Obj, String(i), `${path}[${i}]`, depth + 1); }); return; }
    for (const k of Object.keys(v)) walk(v as Obj, k, `${path}.${k}`, depth + 1);
  };
  walk(box, 'value', '', 0);
  return out;
}

function cloneValue<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof Uint8Array || v instanceof Int8Array) return v.slice() as T;
  if (Array.isArray(v)) return v.map(cloneValue) as T;
  const o: Obj = {};
  for (const k of Object.keys(v)) o[k] = cloneValue((v as Obj)[k]);
  return o as T;
}

/** Paths of the string members of a decoded value. */
function stringPaths(v: unknown, path: string[] = [], out: string[][] = []): string[][] {
  if (typeof v === 'string') out.push(path);
  else if (Array.isArray(v)) v.forEach((x, i) => stringPaths(x, [...path, String(i)], out));
  else if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) for (const k of Object.keys(v)) stringPaths((v as Obj)[k], [...path, k], out);
  return out;
}

function cloneWith(v: Obj, path: readonly string[], x: unknown): Obj {
  const c = cloneValue(v);
  let o: Obj = c;
  for (const k of path.slice(0, -1)) o = o[k] as Obj;
  o[path[path.length - 1]!] = x;
  return c;
}

/** `view.a.b[2] = x` through getters and ArrayView.get/set. */
function setAt(view: Obj, path: readonly string[], x: unknown): void {
  let o: Obj = view;
  for (let i = 0; i < path.length; i++) {
    const k = path[i]!;
    const last = i === path.length - 1;
    const isIndex = /^\d+$/.test(k);
    if (isIndex && typeof o.get === 'function') {
      if (last) { (o.set as (i: number, v: unknown) => void).call(o, Number(k), x); return; }
      o = (o.get as (i: number) => Obj).call(o, Number(k));
    } else if (last) o[k] = x;
    else o = o[k] as Obj;
  }
}

function accessorsOf(v: object): Array<[string, PropertyDescriptor]> {
  const out: Array<[string, PropertyDescriptor]> = [];
  const seen = new Set<string>();
  for (let p: object | null = v; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) {
      if (seen.has(k) || k === 'constructor' || (!d.get && !d.set)) continue;
      seen.add(k);
      out.push([k, d]);
    }
  }
  return out;
}

/** Whether a record has a flexible array member, at any depth. */
function hasFlexible(p: ProgramFacts, r: RecordFacts, seen = new Set<number>()): boolean {
  if (seen.has(r.id)) return false;
  seen.add(r.id);
  return r.members.some((m) => {
    let t = m.type;
    while (t.k === 'array') { if (t.length === null) return true; t = t.of; }
    const inner = t.k === 'record' ? p.records[t.id] : null;
    return !!inner && hasFlexible(p, inner, seen);
  });
}

/** Methods of a view beyond `$decode` and `toJSON`. */
function methodsOf(v: object): string[] {
  const out = new Set<string>();
  for (let p = Object.getPrototypeOf(v) as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) {
      if (typeof d.value === 'function' && !['constructor', '$decode', 'toJSON'].includes(k)) out.add(k);
    }
  }
  return [...out];
}

function flexLen(v: Obj, facts: RecordFacts | null): number | null {
  const k = facts?.flexible?.member;
  const x = k ? v[k] : undefined;
  return Array.isArray(x) || ArrayBuffer.isView(x) || typeof x === 'string' ? (x as { length: number }).length : null;
}

function errorCause(e: unknown): string {
  if (!(e instanceof Error)) return '';
  const m = /^[^:]*\.([\w$]+)[^:]*: (.*)$/.exec(e.message);
  return m ? `: ${m[2]!.replace(/\d+/g, 'N').replace(/"[^"]*"/g, '"..."').slice(0, 80)}` : '';
}

function hex(b: Uint8Array): string {
  const n = Math.min(b.length, 96);
  let s = '';
  for (let i = 0; i < n; i++) s += hex2(b[i]!);
  return b.length > n ? `${s}... (${b.length} bytes)` : s;
}

function hex2(x: number): string {
  return x.toString(16).padStart(2, '0');
}

// ---- running and reporting ----------------------------------------------------------------------------------------

export function fuzzModule(m: LoadedModule, t: Tally, o: ModuleRunOptions): void {
  t.modules++;
  new ModuleFuzz(m, t, o).run();
}

export function failures(t: Tally): number {
  return t.counts.wrongError + t.counts.outOfRange + t.counts.roundTrip + t.counts.harness;
}

/** The report: counts per category, then each kind of failure with its first reproducers. */
/** A random record's source with only the prelude lines it needs (typedefs, enums and inner records it names,
 * and what those name). */
function referencedSource(source: string): string[] {
  const lines = source.split('\n');
  const defines = (l: string): string | null => /^typedef .* (\w+)(?: __attribute__.*)?;$/.exec(l)?.[1] ?? /^(?:enum|struct|union)(?: __attribute__\(\([^)]*\)*\))? (\w+) \{/.exec(l)?.[1] ?? null;
  const prelude = lines.filter((l) => defines(l) !== null && /^(typedef|enum|struct|union)/.test(l) && !/^(struct|union)[^{]* R\d+ \{/.test(l));
  const rest = lines.filter((l) => !prelude.includes(l));
  const need = new Set<string>();
  const scan = (l: string) => { for (const w of l.match(/\w+/g) ?? []) need.add(w); };
  rest.forEach(scan);
  for (let changed = true; changed;) {
    changed = false;
    for (const l of prelude) {
      const d = defines(l)!;
      if (need.has(d) && !need.has(`#${d}`)) { need.add(`#${d}`); scan(l); changed = true; }
    }
  }
  return [...prelude.filter((l) => need.has(`#${defines(l)!}`)), ...rest];
}

export function formatTally(t: Tally, opts: { readonly seed: number; readonly rerun: string; readonly perKind?: number } = { seed: 0, rerun: '' }): string {
  const lines: string[] = [];
  lines.push(`fuzz:runtime seed ${opts.seed}: ${t.calls} calls in ${t.cases} cases over ${t.modules} modules${t.skippedModules ? ` (${t.skippedModules} headers gave no module)` : ''}`);
  for (const c of CATEGORIES) lines.push(`  ${String(t.counts[c]).padStart(6)}  ${TITLES[c]}`);
  const kinds = [...t.byWhat.entries()].sort((a, b) => CATEGORIES.indexOf(a[1].category) - CATEGORIES.indexOf(b[1].category) || b[1].count - a[1].count);
  for (const [what, g] of kinds) {
    lines.push('', `[${g.category}] ${what}: ${g.count}`);
    for (const f of g.first.slice(0, opts.perKind ?? KEEP)) {
      lines.push(`  reproducer: ${opts.rerun}--seed ${f.seed} --module ${f.moduleIndex} --only ${f.caseIndex}: ${f.module}, record ${f.record}`);
      if (f.source) lines.push(...referencedSource(f.source).map((l) => `    C: ${l}`));
      // the case's first call (what made the value or view) and its last ones (what failed)
      const calls = f.calls.length > 8 ? [f.calls[0]!, `... ${f.calls.length - 7} more calls ...`, ...f.calls.slice(-6)] : f.calls;
      for (const call of calls) lines.push(`    call: ${call.length > 400 ? `${call.slice(0, 400)}...` : call}`);
      lines.push(`    ${f.detail.split('\n').join('\n    ')}`);
    }
  }
  const k = t.checked;
  lines.push('', `checked: ${k.roundTrips} round trips, ${k.loneSurrogates} lone surrogates given to encode and ${k.setterSurrogates} to setters, ${k.guardedEncodes} encodes into guarded destinations (${k.flexibleLengthChanges} with a flexible array whose length changes), ${k.setters} view setters`);
  if (t.notes.size) {
    lines.push('', 'notes (not failures):');
    for (const [n, k] of [...t.notes.entries()].sort((a, b) => b[1] - a[1])) lines.push(`  ${String(k).padStart(6)}  ${n}`);
  }
  return lines.join('\n');
}


export interface RunOptions {
  readonly seed: number;
  readonly modules: readonly ModuleSpec[];
  readonly casesPerModule: number;
  /** Replay one module (its index in `modules`) ... */
  readonly onlyModule?: number;
  /** ... up to this case, keeping that case's failures only. */
  readonly only?: number;
  readonly progress?: (line: string) => void;
}

/** Generates, loads and fuzzes each module in turn. */
export async function runFuzz(o: RunOptions, t: Tally = newTally()): Promise<Tally> {
  for (let i = 0; i < o.modules.length; i++) {
    if (o.onlyModule !== undefined && i !== o.onlyModule) continue;
    const spec = o.modules[i]!;
    const t0 = performance.now();
    const m = await loadModule(spec);
    const t1 = performance.now();
    if ('skipped' in m) {
      t.skippedModules++;
      o.progress?.(`module ${i}: ${specLabel(spec)}: no module (${m.skipped.split('\n')[0]})`);
      continue;
    }
    const before = failures(t);
    const calls = t.calls;
    fuzzModule(m, t, { seed: o.seed, moduleIndex: i, cases: o.casesPerModule, ...(o.only !== undefined ? { only: o.only } : {}) });
    o.progress?.(`module ${i}: ${specLabel(spec)}: ${m.codecs.length} records, ${t.calls - calls} calls, ${failures(t) - before} failures (${((t1 - t0) / 1000).toFixed(1)} s to generate and load, ${((performance.now() - t1) / 1000).toFixed(1)} s of calls)`);
  }
  return t;
}
