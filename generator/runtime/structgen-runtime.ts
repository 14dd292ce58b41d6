// The shared runtime of structgen's decoder modules: errors, bounds-checked access to sources and destinations,
// the checks encode applies, strings, bit-field and wide-float helpers, array views, the view base class, and the
// type-level layout check. Ordinary, tested source: `structgen generate` copies it beside the modules, stamped with
// the version. It imports nothing and runs in any JavaScript engine.

/** Bytes to read from or write to: an ArrayBuffer or any view of one (Uint8Array, Buffer, DataView, ...). */
export type Source = ArrayBuffer | ArrayBufferView;

/** A byte offset or element count: a number, or a bigint as C gives 64-bit offsets (`e_phoff`), up to 2^53. */
export type Offset = number | bigint;

/** Reading past the end of the source, a bad offset or count, or (strict decoding) a value the field cannot hold. */
export class DecodeError extends RangeError {
  readonly record: string;
  readonly field: string | null;
  readonly offset: number;
  readonly needed: number;
  readonly available: number;
  constructor(record: string, field: string | null, offset: number, needed: number, available: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecodeError';
    this.record = record;
    this.field = field;
    this.offset = offset;
    this.needed = needed;
    this.available = available;
  }
}

/** A value that does not fit its field (range, type, string length, array length), or a bad destination. */
export class EncodeError extends RangeError {
  readonly record: string;
  readonly field: string;
  constructor(record: string, field: string, message: string, options?: { cause?: unknown }) {
    super(`${record}.${field}: ${message}`, options);
    this.name = 'EncodeError';
    this.record = record;
    this.field = field;
  }
}

export interface DecodeOptions {
  /** Reject enum values that are not enumerators and _Bool bytes other than 0 and 1. */
  readonly strict?: boolean;
}

/** What every record's `R$layout` holds; errors name the record (`name`) and the first slot that does not fit. */
export interface RecordLayoutFacts {
  /** The record's name in the module. */
  readonly name: string;
  /** As C spells the type (`struct ipv4_header`). */
  readonly c: string;
  readonly bits: number;
  readonly union: boolean;
  readonly fields: readonly LayoutField[];
}

/** One declared member: [C name, bit offset, bit size, alignment in bytes (0: not checked: bit-fields, alignment
 * 1), bit offset / (8 * alignment)]. */
export type LayoutField = readonly [string, number, number, number, number];

const describe = (v: unknown): string => {
  try {
    return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' ? `${v}n` : typeof v === 'symbol' ? v.toString()
      : v === null || typeof v !== 'object' ? String(v) : Array.isArray(v) ? `an array of ${v.length}` : `an object (${Object.prototype.toString.call(v)})`;
  } catch {
    return 'a value that cannot be printed';
  }
};

// ---- sources ----------------------------------------------------------------------------------------------------
// The DataView for the last source: decoding record after record from one source allocates no DataView. Sources over
// resizable or growable buffers are never cached. Every decode reads the DataView's byteLength once (cheap in
// optimised code), which throws when the buffer was detached (transferred) or resized below the view: `lengthOf`
// turns that into a DecodeError before anything is read, so decode needs no try/catch (which makes V8's optimised
// reads slower).

let lastSrc: Source | null = null;
let lastDv: DataView = new DataView(new ArrayBuffer(0));

function viewOf(s: Source, record: string): DataView {
  if (s === lastSrc) return lastDv;
  let dv: DataView;
  try {
    if (s instanceof DataView) dv = s;
    else if (ArrayBuffer.isView(s)) dv = new DataView(s.buffer, s.byteOffset, s.byteLength);
    else if (s instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && (s as unknown) instanceof SharedArrayBuffer)) dv = new DataView(s);
    else throw new DecodeError(record, null, 0, 0, 0, `${record}: expected an ArrayBuffer or an ArrayBufferView, got ${describe(s)}`);
  } catch (e) {
    throw e instanceof DecodeError ? e : unreadable(record, e);
  }
  const buf = dv.buffer as { resizable?: boolean; growable?: boolean };
  if (buf.resizable !== true && buf.growable !== true) {
    lastSrc = s;
    lastDv = dv;
  }
  return dv;
}

function unreadable(record: string, e: unknown): DecodeError {
  const why = e instanceof Error ? e.message : String(e);
  return new DecodeError(record, null, 0, 0, 0, `${record}: the source cannot be read: its buffer was detached (transferred) or resized below the view (${why})`, { cause: e });
}

/** `dv.byteLength`, or a DecodeError naming the cause when the buffer was detached or shrunk below the view. */
export function lengthOf(dv: DataView, record: string): number {
  try {
    return dv.byteLength;
  } catch (e) {
    throw unreadable(record, e);
  }
}

/** An offset or count as a number: a whole number from 0 to 2^53 - 1, or a bigint in that range. */
export function count(n: Offset, record: string, what: string): number {
  if (typeof n === 'number' ? Number.isSafeInteger(n) && n >= 0 : typeof n === 'bigint' && n >= 0n && n <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(n);
  throw new DecodeError(record, null, typeof n === 'number' ? n : -1, 0, 0, `${record}: invalid ${what} ${describe(n)} (expected a whole number from 0 to 2^53 - 1${typeof n === 'bigint' || typeof n === 'number' ? '' : ', or a bigint in that range'})`);
}

/** The DataView of `s` after checking that `size` bytes at `off` are inside it. */
export function src(s: Source, off: Offset, size: number, L: RecordLayoutFacts): DataView {
  const dv = viewOf(s, L.name);
  if (typeof off === 'number' && (off >>> 0) === off && off + size <= lengthOf(dv, L.name)) return dv;
  return srcSlow(dv, off, size, L);
}

// apart from `src`, so that `src` stays small enough for V8 to inline it into every decode
function srcSlow(dv: DataView, off: Offset, size: number, L: RecordLayoutFacts): DataView {
  // offsets beyond 2^32, and bigint offsets as C gives them (`e_phoff`), up to 2^53
  if (count(off, L.name, 'byte offset') + size <= lengthOf(dv, L.name)) return dv;
  throw outOfBounds(dv, off, size, L);
}

export function outOfBounds(dv: DataView, off: Offset, size: number, L: RecordLayoutFacts): DecodeError {
  const o = count(off, L.name, 'byte offset');
  const len = lengthOf(dv, L.name);
  if (o + size <= len) return new DecodeError(L.name, null, o, size, len - o, `${L.name}: byte offset ${o} is too large`);
  const available = Math.max(0, len - o);
  let field: string | null = null;
  for (const [name, bit, bits] of L.fields) {
    if (o + Math.ceil((bit + bits) / 8) > len) { field = name; break; }
  }
  const where = field === null ? '' : ` (field '${field}' is the first that does not fit)`;
  return new DecodeError(L.name, field, o, size, available, `${L.name} at byte offset ${o} needs ${size} bytes, only ${available} available${where}`);
}

/** How many records a `decodeMany`/`viewMany` reads: `n` when given (checked), else as many as fit. Zero-size
 * records: at most the source's length plus 65,536 of them, so that a bad count cannot exhaust memory. */
export function many(dv: DataView, off: number, n: Offset | undefined, size: number, L: RecordLayoutFacts): number {
  const len = lengthOf(dv, L.name);
  if (n === undefined) return size > 0 ? Math.max(0, Math.floor((len - off) / size)) : 0;
  const k = count(n, L.name, 'count');
  if (k * size > len - off || (size === 0 && k > len + 65536)) {
    throw new DecodeError(L.name, null, off, k * size, Math.max(0, len - off),
      size === 0 ? `${L.name}: a count of ${k} zero-size records is too many` : `${L.name} at byte offset ${off}: ${k} records need ${k * size} bytes, only ${Math.max(0, len - off)} available`);
  }
  return k;
}

/** How many whole elements of `stride` bytes fit from `off` to the end of `dv` (flexible array members). */
export function fitting(dv: DataView, off: number, stride: number): number {
  return stride > 0 ? Math.max(0, Math.floor((dv.byteLength - off) / stride)) : 0;
}

/** A counted flexible array's element count (`countedBy`) as a number: a DecodeError when it is negative or beyond
 * 2^53. */
export function countValue(n: number | bigint, r: string, f: string, by: string, off: number): number {
  if (typeof n === 'number' ? n >= 0 : n >= 0n && n <= 9007199254740991n) return Number(n);
  throw new DecodeError(r, f, off, 0, 0, `${r}.${f} at byte offset ${off}: its count '${by}' is ${describe(n)}, not a count`);
}

/** A counted flexible array's element count, checked: its elements must be inside `dv`. */
export function counted(dv: DataView, off: number, n: number | bigint, stride: number, r: string, f: string, by: string): number {
  const k = countValue(n, r, f, by, off);
  const len = dv.byteLength;
  if (off + k * stride > len) {
    const available = Math.max(0, len - off);
    throw new DecodeError(r, f, off, k * stride, available, `${r}.${f} at byte offset ${off}: ${k} elements (its count '${by}') need ${k * stride} bytes, only ${available} available`);
  }
  return k;
}

/** The count member's value encode writes: the array's length, or the value given when it is that length. */
export function countOf<T extends number | bigint>(given: T | undefined, length: number, big: boolean, r: string, f: string, flex: string): T {
  const n = (big ? BigInt(length) : length) as T;
  if (given === undefined || given === n) return n;
  throw new EncodeError(r, f, `${describe(given)} is not the length of '${flex}' (${length} elements): give ${length}, or leave '${f}' out and encode sets it`);
}

/** The byte length of a record with a flexible array member: its fixed size, or where its elements end. */
export function flexSize(elements: { readonly length: number } | undefined, size: number, off: number, stride: number, r: string, f: string): number {
  if (elements === undefined) return size;
  if (typeof elements !== 'object' || elements === null || typeof elements.length !== 'number') throw new EncodeError(r, f, `expected an array, got ${describe(elements)}`);
  return Math.max(size, off + elements.length * stride);
}

// ---- destinations ---------------------------------------------------------------------------------------------

let lastDst: Uint8Array | null = null;
let lastDstLen = 0;
let lastDstDv: DataView = lastDv;

/** The DataView to encode into: over `dst` after checking that `size` bytes at `off` fit, or over new bytes. */
export function dst(value: unknown, d: Uint8Array | undefined, off: Offset, size: number, L: RecordLayoutFacts): DataView {
  if (d === lastDst && typeof value === 'object' && value !== null && typeof off === 'number' && (off >>> 0) === off && off + size <= lastDstLen) return lastDstDv;
  return dstSlow(value, d, off, size, L);
}

// apart from `dst`, so that `dst` stays small enough for V8 to inline it into every encode
function dstSlow(value: unknown, d: Uint8Array | undefined, off: Offset, size: number, L: RecordLayoutFacts): DataView {
  if (typeof value !== 'object' || value === null) throw new EncodeError(L.name, '(value)', `${describe(value)} is not an object`);
  if (d === undefined) return new DataView(new ArrayBuffer(size));
  let dv: DataView;
  if (d === lastDst) dv = lastDstDv;
  else {
    // ArrayBuffer.isView is false for a Proxy (whose typed-array getters would throw)
    if (!ArrayBuffer.isView(d) || !(d instanceof Uint8Array)) throw new EncodeError(L.name, '(destination)', `expected a Uint8Array, got ${describe(d)}`);
    try {
      dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
    } catch (e) {
      throw new EncodeError(L.name, '(destination)', `cannot be written: its buffer was detached (transferred) or resized (${e instanceof Error ? e.message : String(e)})`, { cause: e });
    }
    const buf = d.buffer as { resizable?: boolean; growable?: boolean };
    lastDst = buf.resizable !== true && buf.growable !== true ? d : null;
    lastDstLen = d.byteLength;
    lastDstDv = dv;
  }
  if (typeof off === 'number' && (off >>> 0) === off && off + size <= (dv === lastDstDv ? lastDstLen : dv.byteLength)) return dv;
  const o = typeof off === 'number' || (typeof off === 'bigint' && off >= 0n && off <= 9007199254740991n) ? Number(off) : NaN;
  if (Number.isSafeInteger(o) && o >= 0 && o + size <= dv.byteLength) return dv; // bigint offsets, as C gives them
  throw new EncodeError(L.name, '(destination)', Number.isSafeInteger(o) && o >= 0
    ? `${size} bytes at byte offset ${o} do not fit in a destination of ${d.byteLength} bytes`
    : `invalid byte offset ${describe(off)} (expected a whole number from 0 to 2^53 - 1, or a bigint in that range)`);
}

/** What encode returns: `d` when given, else the new bytes. */
export function out(dv: DataView, d: Uint8Array | undefined): Uint8Array {
  return d ?? new Uint8Array(dv.buffer);
}

/** Any error but structgen's own, raised while writing (a getter that throws, a detached buffer), as an EncodeError. */
export function encodeFault(e: unknown, L: RecordLayoutFacts): Error {
  if (e instanceof EncodeError || e instanceof DecodeError) return e;
  const why = e instanceof Error ? e.message : String(e);
  return new EncodeError(L.name, '(value)', `cannot be written (${why})`, { cause: e });
}

/** Zeroes `n` bytes at `off` of `dv` (padding, a union's storage, a flexible array's tail). */
export function zero(dv: DataView, off: number, n: number): void {
  new Uint8Array(dv.buffer, dv.byteOffset + off, n).fill(0);
}

// ---- the checks encode applies ------------------------------------------------------------------------------------
// Generated writers check each value inline (`typeof x === 'number' && (x & 0xff) === x ? x : $rt.badInt(...)`), with
// the value read once into a local: the passing path costs what the hand-written store costs, and nothing bigger
// than a call on the failing path eats into the JIT's inlining budget. These are the failing paths.

/** The range of an integer of `bits` bits, as the messages name it. */
function rangeOf(bits: number, signed: boolean): string {
  const b = BigInt(bits);
  return signed ? `[${-(1n << (b - 1n))}, ${(1n << (b - 1n)) - 1n}]` : `[0, ${(1n << b) - 1n}]`;
}

export function badInt(v: unknown, bits: number, signed: boolean, r: string, f: string): never {
  throw new EncodeError(r, f, `${describe(v)} is not an integer in ${rangeOf(bits, signed)}`);
}

export function badBig(v: unknown, bits: number, signed: boolean, r: string, f: string): never {
  throw new EncodeError(r, f, `${describe(v)} is not a bigint in ${rangeOf(bits, signed)}`);
}

export function badBool(v: unknown, r: string, f: string): never {
  throw new EncodeError(r, f, `${describe(v)} is not a boolean`);
}

export function badNum(v: unknown, r: string, f: string): never {
  throw new EncodeError(r, f, `${describe(v)} is not a number`);
}

export function badObject(v: unknown, r: string, f: string): never {
  throw new EncodeError(r, f, `${describe(v)} is not an object`);
}

/** A tagged union's tag that is none of its cases. */
export function badTag(t: unknown, r: string, f: string, tag: string, cases: string): never {
  throw new EncodeError(r, tag, `${describe(t)} is none of the cases of '${f}' (${cases})`);
}

/** A tagged union's value without the member its tag selects. */
export function badCase(v: unknown, r: string, f: string, member: string): never {
  throw new EncodeError(r, `${f}.${member}`, `${describe(v)}: the tag selects '${member}', which the value does not hold`);
}

/** What a record's `$write` checks before writing: [member, property, kind, bits, signed]. */
export type FieldCheck = readonly [string, string, 'int' | 'big', number, boolean] | readonly [string, string, 'num' | 'bool'];

/** The failure path of the checks `$write` makes up front: the first member of `v` that fails its check, as an
 * EncodeError. (The members are read again here: passing the values would make every `$write` larger.) */
export function badFields(r: string, checks: readonly FieldCheck[], v: unknown): never {
  for (const c of checks) {
    const x = (v as { readonly [k: string]: unknown })[c[1]];
    switch (c[2]) {
      case 'int': c[4] ? i(x as number, c[3], r, c[0]) : u(x as number, c[3], r, c[0]); break;
      case 'big': big(x as bigint, c[3], c[4], r, c[0]); break;
      case 'num': num(x as number, r, c[0]); break;
      case 'bool': if (typeof x !== 'boolean') badBool(x, r, c[0]); break;
    }
  }
  throw new EncodeError(r, '(value)', 'a member changed while it was encoded');
}

/** What encode was given: an object (its members are read once each, as they are written). */
export function value<T>(v: T, r: string): T {
  if (typeof v === 'object' && v !== null) return v;
  throw new EncodeError(r, '(value)', `${describe(v)} is not an object`);
}

// View setters check one value each, through these small functions (a setter has the JIT's inlining budget to itself).

/** An unsigned integer of up to 32 bits. */
export function u(v: number, bits: number, r: string, f: string): number {
  return typeof v === 'number' && (bits === 32 ? (v >>> 0) === v : (v & ((1 << bits) - 1)) === v) ? v : badInt(v, bits, false, r, f);
}

/** A signed integer of up to 32 bits. */
export function i(v: number, bits: number, r: string, f: string): number {
  return typeof v === 'number' && ((v << (32 - bits)) >> (32 - bits)) === v ? v : badInt(v, bits, true, r, f);
}

/** An integer of 64 (or 128) bits as a bigint. */
export function big(v: bigint, bits: number, signed: boolean, r: string, f: string): bigint {
  return typeof v === 'bigint' && (signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v)) === v ? v : badBig(v, bits, signed, r, f);
}

export function bool(v: boolean, r: string, f: string): number {
  return v === true ? 1 : v === false ? 0 : badBool(v, r, f);
}

export function num(v: number, r: string, f: string): number {
  return typeof v === 'number' ? v : badNum(v, r, f);
}

/** A 64-bit integer given as a number (`"as": "number"`): a safe integer in [min, max]. */
export function safe(v: number, min: number, max: number, r: string, f: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max) return BigInt(v);
  throw new EncodeError(r, f, `${describe(v)} is not a safe integer in [${min}, ${max}]`);
}

/** An array of exactly `n` elements (one check per array: the elements are checked as they are written). */
export function arr<T>(v: readonly T[], n: number, r: string, f: string): readonly T[] {
  if (Array.isArray(v) && v.length === n) return v;
  throw new EncodeError(r, f, Array.isArray(v) ? `expected ${n} elements, got ${v.length}` : `expected an array of ${n} elements, got ${describe(v)}`);
}

/** A flexible array member's elements (any length, or absent). */
export function flex<T>(v: readonly T[] | undefined, r: string, f: string): readonly T[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  throw new EncodeError(r, f, `expected an array, got ${describe(v)}`);
}

/** A flexible array member's bytes (a Uint8Array or Int8Array of any length, or absent). */
export function flexBytes(v: Uint8Array | Int8Array | undefined, r: string, f: string): Uint8Array | Int8Array {
  if (v === undefined) return new Uint8Array(0);
  if (ArrayBuffer.isView(v) && (v instanceof Uint8Array || v instanceof Int8Array)) return v;
  throw new EncodeError(r, f, `expected a Uint8Array or Int8Array, got ${describe(v)}`);
}

/** A complex number (`double _Complex`): real and imaginary parts. */
export interface Complex {
  re: number;
  im: number;
}

// ---- decoding checks (strict) --------------------------------------------------------------------------------------

export function invalidValue(record: string, field: string, off: number, value: unknown, what: string): DecodeError {
  return new DecodeError(record, field, off, 0, 0, `${record}.${field} at byte offset ${off}: ${describe(value)} is not ${what}`);
}

export function enumValue<T extends number | bigint>(v: T, values: ReadonlySet<number | bigint>, r: string, f: string, off: number): T {
  if (!values.has(v)) throw invalidValue(r, f, off, v, 'a value of the enum');
  return v;
}

export function strictBool(v: number | bigint, r: string, f: string, off: number): boolean {
  if (v != 0 && v != 1) throw invalidValue(r, f, off, v, 'a boolean (0 or 1)'); // eslint-disable-line eqeqeq
  return v != 0; // eslint-disable-line eqeqeq
}

/** A tag that is none of a tagged union's cases (strict decoding). */
export function unknownTag(t: number | bigint, r: string, f: string, tag: string, cases: string, off: number): never {
  throw invalidValue(r, f, off, t, `one of the cases of '${f}' (its tag '${tag}' must be ${cases})`);
}

// ---- integers wider than DataView reads ------------------------------------------------------------------------

export function readI128(dv: DataView, off: number, le: boolean, signed: boolean): bigint {
  const lo = dv.getBigUint64(off + (le ? 0 : 8), le);
  const hi = dv.getBigUint64(off + (le ? 8 : 0), le);
  const v = (hi << 64n) | lo;
  return signed ? BigInt.asIntN(128, v) : v;
}

export function writeI128(dv: DataView, off: number, v: bigint, le: boolean): void {
  const x = BigInt.asUintN(128, v);
  dv.setBigUint64(off + (le ? 0 : 8), x & 0xffffffffffffffffn, le);
  dv.setBigUint64(off + (le ? 8 : 0), x >> 64n, le);
}

/** A 64-bit integer read as a number (`"as": "number"`), refused beyond 2^53. */
export function safeNumber(v: bigint, r: string, f: string, off: number): number {
  if (v >= -9007199254740991n && v <= 9007199254740991n) return Number(v);
  throw invalidValue(r, f, off, v, 'a safe integer (beyond 2^53, read it as a bigint)');
}

// ---- strings ----------------------------------------------------------------------------------------------------
// `char[N]` holds the bytes of a string up to the first NUL. Short ASCII strings (the common case: tags, names) are
// read and written a byte at a time, as the fastest hand-written code does; anything else goes through
// TextDecoder/TextEncoder, so UTF-8 stays exact.

// declared here, not taken from lib.dom or @types/node, so that the module compiles in any project's lib setting
interface Utf8Decoder { decode(b: Uint8Array): string }
interface Utf8Encoder { encodeInto(s: string, b: Uint8Array): { read: number; written: number }; encode(s: string): Uint8Array }
const G = globalThis as unknown as { TextDecoder: new (label: string) => Utf8Decoder; TextEncoder: new () => Utf8Encoder };
const utf8 = new G.TextDecoder('utf-8');
const utf8e = new G.TextEncoder();

function bytesAt(dv: DataView, off: number, n: number): Uint8Array {
  return new Uint8Array(dv.buffer, dv.byteOffset + off, n);
}

/** UTF-8 text of the bytes at `off` up to the first NUL (or all `n`). ASCII text (the common case: tags, names) is
 * made with String.fromCharCode, up to eight characters a call, which beats a character-at-a-time loop; anything else
 * (and long text) goes through TextDecoder, so UTF-8 stays exact (malformed bytes become U+FFFD). */
export function str(dv: DataView, off: number, n: number): string {
  let len = 0;
  let hi = 0;
  for (; len < n; len++) {
    const c = dv.getUint8(off + len);
    if (c === 0) break;
    hi |= c;
  }
  return hi < 0x80 && len <= 64 ? chars(dv, off, len) : utf8Slow(dv, off, len);
}

function utf8Slow(dv: DataView, off: number, len: number): string {
  return utf8.decode(bytesAt(dv, off, len));
}

const fcc = String.fromCharCode;

/** One character per byte, `len` bytes: up to eight a call. */
function chars(dv: DataView, off: number, len: number): string {
  switch (len) {
    case 0: return '';
    case 1: return fcc(dv.getUint8(off));
    case 2: return fcc(dv.getUint8(off), dv.getUint8(off + 1));
    case 3: return fcc(dv.getUint8(off), dv.getUint8(off + 1), dv.getUint8(off + 2));
    case 4: return fcc(dv.getUint8(off), dv.getUint8(off + 1), dv.getUint8(off + 2), dv.getUint8(off + 3));
    case 5: return fcc(dv.getUint8(off), dv.getUint8(off + 1), dv.getUint8(off + 2), dv.getUint8(off + 3), dv.getUint8(off + 4));
    case 6: return fcc(dv.getUint8(off), dv.getUint8(off + 1), dv.getUint8(off + 2), dv.getUint8(off + 3), dv.getUint8(off + 4), dv.getUint8(off + 5));
    case 7: return fcc(dv.getUint8(off), dv.getUint8(off + 1), dv.getUint8(off + 2), dv.getUint8(off + 3), dv.getUint8(off + 4), dv.getUint8(off + 5), dv.getUint8(off + 6));
    default: return fcc(dv.getUint8(off), dv.getUint8(off + 1), dv.getUint8(off + 2), dv.getUint8(off + 3), dv.getUint8(off + 4), dv.getUint8(off + 5), dv.getUint8(off + 6), dv.getUint8(off + 7))
      + (len > 8 ? chars(dv, off + 8, len - 8) : '');
  }
}

/** Latin-1 text (`"encoding": "latin1"`): one character per byte, up to the first NUL. */
export function latin1(dv: DataView, off: number, n: number): string {
  let len = 0;
  while (len < n && dv.getUint8(off + len) !== 0) len++;
  return chars(dv, off, len);
}

/** Writes `s` as UTF-8 and zero-fills the rest of the `n` bytes; a string of exactly `n` bytes gets no NUL. */
export function writeStr(dv: DataView, off: number, n: number, s: string, r: string, f: string): void {
  if (typeof s === 'string' && s.length <= n) {
    let k = 0;
    for (; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c > 0x7f) break;
      dv.setUint8(off + k, c);
    }
    if (k === s.length) {
      for (; k < n; k++) dv.setUint8(off + k, 0);
      return;
    }
  }
  writeUtf8(dv, off, n, s, r, f);
}

// apart from `writeStr`, so that `writeStr` stays small enough for V8 to inline it into every `$write`
function writeUtf8(dv: DataView, off: number, n: number, s: string, r: string, f: string): void {
  if (typeof s !== 'string') throw new EncodeError(r, f, `${describe(s)} is not a string`);
  const b = bytesAt(dv, off, n);
  const { read, written } = utf8e.encodeInto(s, b);
  if (read !== s.length) throw new EncodeError(r, f, `string of ${utf8e.encode(s).length} UTF-8 bytes does not fit in char[${n}]`);
  b.fill(0, written);
}

/** Writes `s` as Latin-1 (each character below 256) and zero-fills the rest. */
export function writeLatin1(dv: DataView, off: number, n: number, s: string, r: string, f: string): void {
  if (typeof s !== 'string') throw new EncodeError(r, f, `${describe(s)} is not a string`);
  if (s.length > n) throw new EncodeError(r, f, `string of ${s.length} characters does not fit in ${n} bytes`);
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c > 0xff) throw new EncodeError(r, f, `character ${JSON.stringify(s[k])} is not Latin-1`);
    dv.setUint8(off + k, c);
  }
  for (let k = s.length; k < n; k++) dv.setUint8(off + k, 0);
}

// ---- bytes ------------------------------------------------------------------------------------------------------

/** A copy of `n` bytes (decode); views use `bytesView`, which shares memory. */
export function copyBytes(dv: DataView, off: number, n: number): Uint8Array {
  return new Uint8Array(dv.buffer.slice(dv.byteOffset + off, dv.byteOffset + off + n));
}

export function copySignedBytes(dv: DataView, off: number, n: number): Int8Array {
  return new Int8Array(dv.buffer.slice(dv.byteOffset + off, dv.byteOffset + off + n));
}

export function bytesView(dv: DataView, off: number, n: number): Uint8Array {
  return new Uint8Array(dv.buffer, dv.byteOffset + off, n);
}

export function signedBytesView(dv: DataView, off: number, n: number): Int8Array {
  return new Int8Array(dv.buffer, dv.byteOffset + off, n);
}

/** Writes exactly `n` bytes from a Uint8Array or Int8Array (`n` < 0: any length, for flexible arrays). */
export function writeBytes(dv: DataView, off: number, n: number, v: Uint8Array | Int8Array, r: string, f: string): void {
  // ArrayBuffer.isView is false for a Proxy, whose typed-array getters would throw
  if (!ArrayBuffer.isView(v) || !(v instanceof Uint8Array || v instanceof Int8Array)) throw new EncodeError(r, f, `expected a Uint8Array or Int8Array, got ${describe(v)}`);
  const len = v.length;
  if (n >= 0 && len !== n) throw new EncodeError(r, f, `expected ${n} bytes, got ${len}`);
  bytesAt(dv, off, len).set(new Uint8Array(v.buffer, v.byteOffset, len));
}

// ---- bit-fields -----------------------------------------------------------------------------------------------
// A bit-field lives in `span` bytes from `byte`. Little-endian targets number bits from the least significant
// bit of the first byte; big-endian ones from the most significant (REFERENCE.md section 7). `shift` is the
// field's distance from the least significant bit of the span read as one integer in the target's byte order.

function spanNumber(dv: DataView, byte: number, span: number, le: boolean): number {
  let x = 0;
  if (le) for (let i = span - 1; i >= 0; i--) x = x * 256 + dv.getUint8(byte + i);
  else for (let i = 0; i < span; i++) x = x * 256 + dv.getUint8(byte + i);
  return x;
}

/** Fields up to 32 bits whose span is at most 6 bytes (exact in a double). */
export function readBits(dv: DataView, byte: number, span: number, shift: number, width: number, signed: boolean, le: boolean): number {
  const x = spanNumber(dv, byte, span, le);
  const v = Math.floor(x / 2 ** shift) % 2 ** width;
  return signed && v >= 2 ** (width - 1) ? v - 2 ** width : v;
}

export function writeBits(dv: DataView, byte: number, span: number, shift: number, width: number, value: number, le: boolean): void {
  const x = spanNumber(dv, byte, span, le);
  const unit = 2 ** shift;
  const field = ((value % 2 ** width) + 2 ** width) % 2 ** width;
  const old = Math.floor(x / unit) % 2 ** width;
  let y = x - old * unit + field * unit;
  if (le) for (let i = 0; i < span; i++) { dv.setUint8(byte + i, y % 256); y = Math.floor(y / 256); }
  else for (let i = span - 1; i >= 0; i--) { dv.setUint8(byte + i, y % 256); y = Math.floor(y / 256); }
}

function spanBig(dv: DataView, byte: number, span: number, le: boolean): bigint {
  let x = 0n;
  if (le) for (let i = span - 1; i >= 0; i--) x = (x << 8n) | BigInt(dv.getUint8(byte + i));
  else for (let i = 0; i < span; i++) x = (x << 8n) | BigInt(dv.getUint8(byte + i));
  return x;
}

/** Any bit-field as a bigint (widths over 32 bits, or spans over 6 bytes). */
export function readBitsBig(dv: DataView, byte: number, span: number, shift: number, width: number, signed: boolean, le: boolean): bigint {
  const v = (spanBig(dv, byte, span, le) >> BigInt(shift)) & ((1n << BigInt(width)) - 1n);
  return signed ? BigInt.asIntN(width, v) : v;
}

export function writeBitsBig(dv: DataView, byte: number, span: number, shift: number, width: number, value: bigint, le: boolean): void {
  const mask = ((1n << BigInt(width)) - 1n) << BigInt(shift);
  let y = (spanBig(dv, byte, span, le) & ~mask) | ((BigInt.asUintN(width, value) << BigInt(shift)) & mask);
  if (le) for (let i = 0; i < span; i++) { dv.setUint8(byte + i, Number(y & 0xffn)); y >>= 8n; }
  else for (let i = span - 1; i >= 0; i--) { dv.setUint8(byte + i, Number(y & 0xffn)); y >>= 8n; }
}

// ---- floating formats DataView lacks ----------------------------------------------------------------------------

export function readF16(dv: DataView, off: number, le: boolean): number {
  const h = dv.getUint16(off, le);
  const s = h >> 15 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

export function writeF16(dv: DataView, off: number, v: number, le: boolean): void {
  const f = new DataView(new ArrayBuffer(4));
  f.setFloat32(0, v);
  const x = f.getUint32(0);
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  let mant = x & 0x7fffff;
  let h: number;
  if (Number.isNaN(v)) h = 0x7e00;
  else if (exp >= 31) h = sign | 0x7c00;
  else if (exp <= 0) { mant |= 0x800000; h = exp < -10 ? sign : sign | Math.round(mant / 2 ** (14 - exp)); }
  else h = sign | (exp << 10) | Math.round(mant / 8192);
  dv.setUint16(off, h, le);
}

/** x * 2^k for x >= 1: scaled in two steps below 2^-1000, since 2 ** k alone underflows to 0 (k < -1074) where
 * the product is still a double (x87 and binary128 values from about 2^-1010 down). */
function scale2(x: number, k: number): number {
  return k < -1000 ? x * 2 ** -1000 * 2 ** (k + 1000) : x * 2 ** k;
}

/** x87 80-bit extended (in a 10-, 12- or 16-byte slot) to the nearest double. Big-endian: sign and exponent
 * first, then `gap` unused bytes (2 in m68k's 12-byte format), then the 64-bit mantissa. */
export function readF80(dv: DataView, off: number, le: boolean, gap = 0): number {
  const mant = le ? dv.getBigUint64(off, true) : dv.getBigUint64(off + 2 + gap, false);
  const se = le ? dv.getUint16(off + 8, true) : dv.getUint16(off, false);
  const sign = se >> 15 ? -1 : 1;
  const e = se & 0x7fff;
  if (e === 0x7fff) return (mant & 0x7fffffffffffffffn) === 0n ? sign * Infinity : NaN;
  if (mant === 0n) return sign * 0;
  return sign * scale2(Number(mant), (e === 0 ? 1 : e) - 16383 - 63);
}

export function writeF80(dv: DataView, off: number, v: number, le: boolean, gap = 0): void {
  let se = 0;
  let mant = 0n;
  if (Number.isNaN(v)) { se = 0x7fff; mant = 0xc000000000000000n; }
  else if (!Number.isFinite(v)) { se = (v < 0 ? 0x8000 : 0) | 0x7fff; mant = 0x8000000000000000n; }
  else if (v !== 0) {
    const f = new DataView(new ArrayBuffer(8));
    f.setFloat64(0, v);
    const bits = f.getBigUint64(0);
    const sign = bits >> 63n ? 0x8000 : 0;
    let e = Number((bits >> 52n) & 0x7ffn);
    let m = bits & 0xfffffffffffffn;
    if (e === 0) { // subnormal double: normalise
      let shift = 0;
      while (((m << BigInt(shift)) & 0x10000000000000n) === 0n) shift++;
      m <<= BigInt(shift);
      e = 1 - shift;
    } else m |= 0x10000000000000n;
    se = sign | (e - 1023 + 16383);
    mant = m << 11n;
  } else if (Object.is(v, -0)) se = 0x8000;
  if (le) { dv.setBigUint64(off, mant, true); dv.setUint16(off + 8, se, true); }
  else { dv.setUint16(off, se, false); dv.setBigUint64(off + 2 + gap, mant, false); }
}

/** IEEE binary128 to the nearest double. */
export function readF128(dv: DataView, off: number, le: boolean): number {
  const hi = dv.getBigUint64(off + (le ? 8 : 0), le);
  const lo = dv.getBigUint64(off + (le ? 0 : 8), le);
  const sign = hi >> 63n ? -1 : 1;
  const e = Number((hi >> 48n) & 0x7fffn);
  const m = ((hi & 0xffffffffffffn) << 64n) | lo;
  if (e === 0x7fff) return m === 0n ? sign * Infinity : NaN;
  if (e === 0 && m === 0n) return sign * 0;
  const full = e === 0 ? m : m | (1n << 112n);
  return sign * scale2(Number(full), (e === 0 ? 1 : e) - 16383 - 112);
}

export function writeF128(dv: DataView, off: number, v: number, le: boolean): void {
  let hi = 0n;
  let lo = 0n;
  if (Number.isNaN(v)) hi = 0x7fff800000000000n;
  else if (!Number.isFinite(v)) hi = (v < 0 ? 1n << 63n : 0n) | (0x7fffn << 48n);
  else if (v !== 0 || Object.is(v, -0)) {
    const f = new DataView(new ArrayBuffer(8));
    f.setFloat64(0, v);
    const bits = f.getBigUint64(0);
    const sign = bits >> 63n;
    let e = Number((bits >> 52n) & 0x7ffn);
    let m = bits & 0xfffffffffffffn;
    if (v !== 0) {
      if (e === 0) {
        let shift = 0;
        while (((m << BigInt(shift)) & 0x10000000000000n) === 0n) shift++;
        m = (m << BigInt(shift)) & 0xfffffffffffffn;
        e = 1 - shift;
      }
      const m112 = m << 60n;
      hi = (sign << 63n) | (BigInt(e - 1023 + 16383) << 48n) | (m112 >> 64n);
      lo = m112 & 0xffffffffffffffffn;
    } else hi = sign << 63n;
  }
  dv.setBigUint64(off + (le ? 8 : 0), hi, le);
  dv.setBigUint64(off + (le ? 0 : 8), lo, le);
}

/** IBM double-double (PowerPC long double): the sum of two doubles. */
export function readDD(dv: DataView, off: number, le: boolean): number {
  return dv.getFloat64(off, le) + dv.getFloat64(off + 8, le);
}

export function writeDD(dv: DataView, off: number, v: number, le: boolean): void {
  dv.setFloat64(off, v, le);
  dv.setFloat64(off + 8, 0, le);
}

// ---- arrays -----------------------------------------------------------------------------------------------------

/** Reads one element at a byte offset (`strict`: validate enums and bools). */
export type ElementReader<T> = (dv: DataView, off: number, strict: boolean) => T;
/** Writes one element, naming the record and field in errors; `z`: the bytes were not new (zero padding). */
export type ElementWriter<T> = (dv: DataView, off: number, v: T, r: string, f: string, z: boolean) => void;

export function readArray<T>(dv: DataView, off: number, n: number, stride: number, read: ElementReader<T>, strict: boolean): T[] {
  const a = new Array<T>(n);
  for (let k = 0; k < n; k++) a[k] = read(dv, off + k * stride, strict);
  return a;
}

/** Writes `n` elements (`n` < 0: as many as given, for flexible arrays); the array was checked by `arr`/`flex`. */
export function writeArray<I>(dv: DataView, off: number, v: readonly I[], stride: number, write: ElementWriter<I>, r: string, f: string, z: boolean): void {
  for (let k = 0; k < v.length; k++) write(dv, off + k * stride, v[k] as I, r, `${f}[${k}]`, z);
}

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
type Inspect = (v: unknown, opts: unknown) => string;

/** A zero-copy view of a C array: `get(i)`, `set(i, v)`, `length`, iteration. Elements are read when touched. */
export class ArrayView<T, I = T> implements Iterable<T> {
  readonly length: number;
  readonly #dv: DataView;
  readonly #off: number;
  readonly #stride: number;
  readonly #read: ElementReader<T>;
  readonly #write: ElementWriter<I> | null;
  readonly #r: string;
  readonly #f: string;
  readonly #at0: readonly number[] | null;
  /** `offsets`: where each element starts, for records of varying length (`viewMany` of counted records). */
  constructor(dv: DataView, off: number, length: number, stride: number, read: ElementReader<T>, write: ElementWriter<I> | null, r: string, f: string,
    offsets: readonly number[] | null = null) {
    this.#at0 = offsets;
    this.#dv = dv;
    this.#off = off;
    this.length = length;
    this.#stride = stride;
    this.#read = read;
    this.#write = write;
    this.#r = r;
    this.#f = f;
  }
  #at(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k >= this.length) {
      throw new DecodeError(this.#r, this.#f, this.#off, 0, 0, `${this.#r}.${this.#f}: index ${describe(k)} out of range [0, ${this.length})`);
    }
    return this.#at0 ? this.#at0[k]! : this.#off + k * this.#stride;
  }
  get(k: number): T {
    return this.#read(this.#dv, this.#at(k), false);
  }
  set(k: number, v: I): void {
    if (!this.#write) throw new EncodeError(this.#r, this.#f, 'elements are records or arrays: set their members instead');
    this.#write(this.#dv, this.#at(k), v, this.#r, `${this.#f}[${k}]`, true);
  }
  *[Symbol.iterator](): Iterator<T> {
    for (let k = 0; k < this.length; k++) yield this.#read(this.#dv, this.#at(k), false);
  }
  toArray(): T[] {
    if (this.#at0) return this.#at0.map((o) => this.#read(this.#dv, o, false));
    return readArray(this.#dv, this.#off, this.length, this.#stride, this.#read, false);
  }
  toJSON(): unknown {
    return toJSON(this.toArray());
  }
  [inspectCustom](_depth: number, opts: unknown, inspect: Inspect): string {
    return `ArrayView(${this.length}) ${inspect(this.toArray(), opts)}`;
  }
}

// ---- views and printing -------------------------------------------------------------------------------------------

/** What every view has beside its member accessors. */
export interface ViewMethods<T> {
  /** A plain-object copy of the bytes. */
  $decode(options?: DecodeOptions): T;
  /** JSON-safe: 64-bit integers as decimal strings, bytes as lowercase hex. */
  toJSON(): unknown;
}

/** Gives a record's view class its printing: `toJSON()` and Node's `util.inspect` show the members and their values
 * (not `$dv` and `$offset`). View classes are not subclasses of a shared base: constructing a derived class costs
 * about three times as much in V8, and views are made per record read. */
export function viewClass<T>(cls: { readonly name: string; readonly prototype: { $decode(options?: DecodeOptions): T } }): void {
  const p = cls.prototype;
  Object.defineProperty(p, 'toJSON', {
    value(this: { $decode(): T }): unknown { return toJSON(this.$decode()); }, writable: true, configurable: true,
  });
  Object.defineProperty(p, inspectCustom, {
    value(this: { $decode(): T }, _depth: number, opts: unknown, inspect: Inspect): string { return `${cls.name} ${inspect(this.$decode(), opts)}`; },
    writable: true, configurable: true,
  });
}

const HEX = Array.from({ length: 256 }, (_, k) => k.toString(16).padStart(2, '0'));

/** A JSON-safe copy of a decoded value: bigint as a decimal string, Uint8Array/Int8Array as lowercase hex. */
export function toJSON(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array || v instanceof Int8Array) {
    let s = '';
    for (let k = 0; k < v.length; k++) s += HEX[v[k]! & 0xff];
    return s;
  }
  if (Array.isArray(v)) return v.map(toJSON);
  if (typeof v === 'object' && v !== null) {
    if (v instanceof ArrayView) return v.toJSON();
    if (typeof (v as { $decode?: unknown }).$decode === 'function') return toJSON((v as { $decode(): unknown }).$decode());
    const o: { [k: string]: unknown } = {};
    for (const k of Object.keys(v)) o[k] = toJSON((v as { [k: string]: unknown })[k]);
    return o;
  }
  return v;
}

/** An enum's name lookup: the enumerator's name for a value, or undefined. */
export function enumNames<E extends { readonly [k: string]: number | bigint }>(e: E): (v: number | bigint) => keyof E | undefined {
  const m = new Map<number | bigint, keyof E>();
  for (const k of Object.keys(e)) if (!m.has(e[k]!)) m.set(e[k]!, k);
  return (v) => m.get(v);
}

/** The API every generated record codec has. */
export interface Codec<T, V, I> {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  /** An eager, plain-object copy of the record at `byteOffset`. */
  decode(src: Source, byteOffset?: Offset, options?: DecodeOptions): T;
  /** A zero-copy view of the record at `byteOffset`. */
  view(src: Source, byteOffset?: Offset): V;
  /** Writes the record (padding zeroed) into `dst`, or into new bytes. */
  encode(value: I, dst?: Uint8Array, byteOffset?: Offset): Uint8Array;
  /** Consecutive records from `byteOffset`: `count` of them, or as many as fit (records of a fixed size). */
  decodeMany?(src: Source, byteOffset?: Offset, count?: Offset, options?: DecodeOptions): T[];
  /** Zero-copy views of consecutive records (records of a fixed size). */
  viewMany?(src: Source, byteOffset?: Offset, count?: Offset): ArrayView<V, I>;
  /** A JSON-safe copy of a decoded value (64-bit integers as decimal strings, bytes as hex). */
  toJSON(value: T): unknown;
}

/** `decodeMany`, `viewMany`, `sizeOf` and `toJSON` of a codec, from its reader and view class. `extent`, for records
 * with a counted flexible array (`countedBy`): the byte length of the record at `o` (its count read and checked), so
 * that consecutive records of varying length are stepped over. */
export function records<T, V>(read: (dv: DataView, o: number, s: boolean) => T, View: new (dv: DataView, o: number) => V, size: number, L: RecordLayoutFacts,
  extent?: (dv: DataView, o: number) => number) {
  const viewAt = (dv: DataView, o: number): V => new View(dv, o);
  /** Offsets of `n` consecutive records of varying length (as many as fit when `n` is undefined). */
  const offsets = (dv: DataView, o: number, n: Offset | undefined, ext: (dv: DataView, o: number) => number): number[] => {
    const len = lengthOf(dv, L.name);
    const k = n === undefined ? Infinity : count(n, L.name, 'count');
    const out: number[] = [];
    let at = o;
    while (out.length < k) {
      if (n === undefined && at + size > len) break;
      const e = at + size <= len ? ext(dv, at) : size;
      if (at + e > len) {
        if (n === undefined) break;
        throw new DecodeError(L.name, null, at, e, Math.max(0, len - at), `${L.name} at byte offset ${at} (record ${out.length} of ${k}) needs ${e} bytes, only ${Math.max(0, len - at)} available`);
      }
      out.push(at);
      at += e;
    }
    return out;
  };
  return {
    /** Consecutive records from `byteOffset`: `count` of them, or as many as fit. */
    decodeMany(s: Source, byteOffset: Offset = 0, n?: Offset, options?: DecodeOptions): T[] {
      const dv = src(s, byteOffset, 0, L);
      const o = Number(byteOffset);
      const strict = options?.strict === true;
      if (extent) return offsets(dv, o, n, extent).map((at) => read(dv, at, strict));
      return readArray(dv, o, many(dv, o, n, size, L), size, read, strict);
    },
    /** Zero-copy views of consecutive records from `byteOffset`: `count` of them, or as many as fit. */
    viewMany(s: Source, byteOffset: Offset = 0, n?: Offset): ArrayView<V, never> {
      const dv = src(s, byteOffset, 0, L);
      const o = Number(byteOffset);
      if (extent) {
        const at = offsets(dv, o, n, extent);
        return new ArrayView<V, never>(dv, o, at.length, size, viewAt, null, L.name, '[]', at);
      }
      return new ArrayView<V, never>(dv, o, many(dv, o, n, size, L), size, viewAt, null, L.name, '[]');
    },
    /** A JSON-safe copy of a decoded value: 64-bit integers as decimal strings, bytes as lowercase hex. */
    toJSON(value: T): unknown {
      return toJSON(value);
    },
  };
}

// ---- layout assertions (types only, no run-time cost) ------------------------------------------------------------
// Each module states every record's layout as literal constants and checks them with `true satisfies
// LayoutCheck<typeof R$layout>`: tsc rejects a hand-edited or corrupted file in which a member ends past the
// record, overlaps the member before it, or sits at an offset that is not the multiple of its alignment the
// file itself states, and names the record and member. Arithmetic is on decimal strings, digit by digit.

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
type Units = { '0': []; '1': [0]; '2': [0, 0]; '3': [0, 0, 0]; '4': [0, 0, 0, 0]; '5': [0, 0, 0, 0, 0]; '6': [0, 0, 0, 0, 0, 0]; '7': [0, 0, 0, 0, 0, 0, 0]; '8': [0, 0, 0, 0, 0, 0, 0, 0]; '9': [0, 0, 0, 0, 0, 0, 0, 0, 0] };
type Rev<S extends string, A extends string = ''> = S extends `${infer H}${infer T}` ? Rev<T, `${H}${A}`> : A;
type DigitSum<A extends Digit, B extends Digit, C extends 0 | 1> = [...Units[A], ...Units[B], ...(C extends 1 ? [0] : [])]['length'] & number;
type AddStep<S extends number, AR extends string, BR extends string, Acc extends string> =
  `${S}` extends `1${infer D extends Digit}` ? AddRev<AR, BR, 1, `${Acc}${D}`> : AddRev<AR, BR, 0, `${Acc}${S}`>;
type AddRev<A extends string, B extends string, C extends 0 | 1 = 0, Acc extends string = ''> =
  A extends `${infer X extends Digit}${infer AR}`
    ? B extends `${infer Y extends Digit}${infer BR}` ? AddStep<DigitSum<X, Y, C>, AR, BR, Acc> : AddStep<DigitSum<X, '0', C>, AR, '', Acc>
    : B extends `${infer Y extends Digit}${infer BR}` ? AddStep<DigitSum<'0', Y, C>, '', BR, Acc>
    : C extends 1 ? `${Acc}1` : Acc;
// Numbers travel least significant digit first ('61' is 16), so that neither addition nor comparison reverses.
type LenCmp<A extends string, B extends string> =
  A extends `${string}${infer AR}` ? (B extends `${string}${infer BR}` ? LenCmp<AR, BR> : 1) : B extends '' ? 0 : -1;
type DigitLE<A extends Digit, B extends Digit> = Units[B] extends [...Units[A], ...unknown[]] ? true : false;
/** Equal lengths: the most significant differing digit (the last one met) decides. */
type RevLexLE<A extends string, B extends string, R extends boolean = true> =
  A extends `${infer X extends Digit}${infer AR}` ? (B extends `${infer Y extends Digit}${infer BR}` ? RevLexLE<AR, BR, X extends Y ? R : DigitLE<X, Y>> : R) : R;
/** A <= B, both reversed. */
type RevLE<A extends string, B extends string> = LenCmp<A, B> extends -1 ? true : LenCmp<A, B> extends 1 ? false : RevLexLE<A, B>;
type Log2 = { 1: []; 2: [0]; 4: [0, 0]; 8: [0, 0, 0]; 16: [0, 0, 0, 0]; 32: [0, 0, 0, 0, 0]; 64: [0, 0, 0, 0, 0, 0]; 128: [0, 0, 0, 0, 0, 0, 0]; 256: [0, 0, 0, 0, 0, 0, 0, 0]; 512: [0, 0, 0, 0, 0, 0, 0, 0, 0]; 1024: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]; 2048: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]; 4096: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]; 8192: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] };
/** X * 2^N (N a tuple's length), reversed. */
type RevShl<X extends string, N extends readonly unknown[]> = N extends readonly [unknown, ...infer R] ? RevShl<AddRev<X, X>, R> : X;

// In a struct, members must not overlap the one before and the last must end inside the record; in a union
// every member must end inside it. (Checking each end only where needed keeps tsc's work small.)
type FieldError<R extends RecordLayoutFacts, F extends LayoutField, Off extends string, End extends string, Prev extends string, Last extends boolean> =
  (R['union'] extends true ? true : Last) extends true
    ? (RevLE<End, Rev<`${R['bits']}`>> extends false ? `${R['c']}: member '${F[0]}' (bits ${F[1]}+${F[2]}) ends past the record's ${R['bits']} bits` : StructError<R, F, Off, Prev>)
    : StructError<R, F, Off, Prev>;
type StructError<R extends RecordLayoutFacts, F extends LayoutField, Off extends string, Prev extends string> =
  R['union'] extends false ? (RevLE<Prev, Off> extends false ? `${R['c']}: member '${F[0]}' at bit ${F[1]} overlaps the member before it` : AlignError<R, F, Off>)
  : AlignError<R, F, Off>;
type AlignError<R extends RecordLayoutFacts, F extends LayoutField, Off extends string> =
  F[3] extends 0 ? never
  : F[3] extends keyof Log2 ? (RevShl<Rev<`${F[4]}`>, [...Log2[F[3]], 0, 0, 0]> extends Off ? never : `${R['c']}: member '${F[0]}' at bit ${F[1]} is not aligned to ${F[3]} bytes`)
  : `${R['c']}: member '${F[0]}' has an alignment that is not a power of two`;
type CheckField<R extends RecordLayoutFacts, F extends LayoutField, Rest extends readonly LayoutField[], Prev extends string, Off extends string, End extends string> =
  FieldError<R, F, Off, End, Prev, Rest extends readonly [] ? true : false> extends infer E
    ? [E] extends [never] ? CheckFields<R, Rest, R['union'] extends true ? '0' : End> : E
    : never;
type CheckFields<R extends RecordLayoutFacts, Fs extends readonly LayoutField[], Prev extends string> =
  Fs extends readonly [infer F extends LayoutField, ...infer Rest extends readonly LayoutField[]]
    ? CheckField<R, F, Rest, Prev, Rev<`${F[1]}`>, AddRev<Rev<`${F[1]}`>, Rev<`${F[2]}`>>>
    : true;
/** `true` for a consistent layout; otherwise a message naming the record and the member. */
export type LayoutCheck<R extends RecordLayoutFacts> = CheckFields<R, R['fields'], '0'>;
