// The shared runtime of structgen's decoder modules: errors, bounds-checked access to sources and destinations,
// the checks encode applies, strings, bit-field and wide-float readers, arrays and array views, the view classes
// and codecs made from each record's member table, what keeps round trips lossless, and the type-level layout
// check. Generated modules are mostly types and data plus one straight-line reader and writer per record; the rest
// is here, ordinary tested source. It imports nothing, needs no lib but ES2020, and runs in any JavaScript engine.

/** Bytes to read from or write to: an ArrayBuffer or any view of one (Uint8Array, Buffer, DataView, ...). */
export type Source = ArrayBuffer | ArrayBufferView;

/** A byte offset or element count: a number, or a bigint as C gives 64-bit offsets (`e_phoff`), up to 2^53. */
export type Offset = number | bigint;

/** `cause` as ES2022 sets it (own, non-enumerable), without needing lib ES2022's `ErrorOptions`. */
function setCause(e: Error, options: { cause?: unknown } | undefined): void {
  if (options !== undefined && 'cause' in options) Object.defineProperty(e, 'cause', { value: options.cause, writable: true, configurable: true });
}

/** Reading past the end of the source, a bad offset or count, or (strict decoding) a value the field cannot hold. */
export class DecodeError extends RangeError {
  declare readonly record: string;
  declare readonly field: string | null;
  declare readonly offset: number;
  declare readonly needed: number;
  declare readonly available: number;
  constructor(record: string, field: string | null, offset: number, needed: number, available: number, message: string, options?: { cause?: unknown }) {
    super(message);
    setCause(this, options);
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
  declare readonly record: string;
  declare readonly field: string;
  constructor(record: string, field: string, message: string, options?: { cause?: unknown }) {
    super(`${record}.${field}: ${message}`);
    setCause(this, options);
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
  /** As C spells the type (`struct ipv4_header`), when that is not `name`. */
  readonly c?: string;
  readonly size: number;
  readonly align: number;
  /** A union (absent for a struct). */
  readonly union?: true;
  readonly fields: readonly LayoutField[];
}

/** A member: [C name, first bit, bit after it, and when aligned to 2 bytes or more: that alignment, offset / it]. */
export type LayoutField = readonly [string, number, number] | readonly [string, number, number, number, number];

const describe = (v: unknown): string => {
  try {
    return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' ? `${v}n` : typeof v === 'symbol' ? v.toString()
      : v === null || typeof v !== 'object' ? String(v) : Array.isArray(v) ? `an array of ${v.length}` : `an object (${Object.prototype.toString.call(v)})`;
  } catch {
    return 'a value that cannot be printed';
  }
};

const fault = (e: unknown): string => {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return 'an error that cannot be printed';
  }
};

// ---- sources ----------------------------------------------------------------------------------------------------
// The DataView for the last source: decoding record after record from one source allocates no DataView. Sources over
// resizable or growable buffers are never cached. Every decode reads the DataView's byteLength once (cheap in
// optimised code), which throws when the buffer was detached (transferred) or resized below the view: `lengthOf`
// turns that into a DecodeError before anything is read.

const NONE: unique symbol = Symbol('none');
let lastSrc: unknown = NONE;
let lastDv: DataView = new DataView(new ArrayBuffer(0));
/** The cached view's length, and a Uint8Array over its buffer: a buffer detached since gives it length 0, without
 * throwing. (Asking the buffer, `byteLength`, is a call in V8's optimised code; a typed array's length is a field.) */
let lastLen = 0;
let lastU8: { readonly length: number } = new Uint8Array(0);

// The engine's own getters of DataView and typed arrays (%TypedArray%.prototype): a source or destination may carry
// own or inherited `buffer`, `byteOffset`, `byteLength` properties, which must not point reads and writes at another
// buffer or range, nor decide what the cache believes about its bytes
const getter = (o: object, k: string) => Object.getOwnPropertyDescriptor(o, k)!.get! as (this: unknown) => never;
const dvBuffer: (this: DataView) => ArrayBufferLike = getter(DataView.prototype, 'buffer');
const dvLength: (this: DataView) => number = getter(DataView.prototype, 'byteLength');
const TA = Object.getPrototypeOf(Uint8Array.prototype) as object;
const taBuffer: (this: ArrayBufferView) => ArrayBufferLike = getter(TA, 'buffer');
const taOffset: (this: ArrayBufferView) => number = getter(TA, 'byteOffset');
const taLength: (this: ArrayBufferView) => number = getter(TA, 'byteLength');
const dvOffset: (this: DataView) => number = getter(DataView.prototype, 'byteOffset');
/** A DataView over exactly the bytes of `v` (a DataView or typed array), as the engine knows them. */
function realView(v: ArrayBufferView): DataView {
  return v instanceof DataView ? new DataView(dvBuffer.call(v), dvOffset.call(v), dvLength.call(v)) : new DataView(taBuffer.call(v), taOffset.call(v), taLength.call(v));
}

function viewOf(s: Source, record: string): DataView {
  let dv: DataView;
  let len: number;
  let buf: ArrayBufferLike & { readonly resizable?: boolean; readonly growable?: boolean };
  try {
    // a DataView of our own even for a DataView: what the readers ask of it (`buffer`, `byteOffset`) is then the
    // engine's, whatever properties the caller's object has or is given later
    if (ArrayBuffer.isView(s)) dv = realView(s);
    else if (s instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && (s as unknown) instanceof SharedArrayBuffer)) dv = new DataView(s);
    else throw new DecodeError(record, null, 0, 0, 0, `${record}: expected an ArrayBuffer or an ArrayBufferView, got ${describe(s)}`);
    len = dvLength.call(dv); // throws when the buffer was detached or shrunk below the view, or `dv` is no DataView
    buf = dvBuffer.call(dv);
  } catch (e) {
    throw e instanceof DecodeError ? e : unreadable(record, e);
  }
  if (buf.resizable !== true && buf.growable !== true) {
    lastSrc = s;
    lastDv = dv;
    lastLen = len;
    lastU8 = new Uint8Array(buf);
  }
  return dv;
}

function unreadable(record: string, e: unknown): DecodeError {
  return new DecodeError(record, null, 0, 0, 0, `${record}: the source cannot be read: its buffer was detached (transferred) or resized below the view (${fault(e)})`, { cause: e });
}

/** `dv.byteLength`, or a DecodeError naming the cause when the buffer was detached or shrunk below the view. */
export function lengthOf(dv: DataView, record: string): number {
  try {
    return dvLength.call(dv);
  } catch (e) {
    throw unreadable(record, e);
  }
}

/** An offset or count as a number: a whole number from 0 to 2^53 - 1, or a bigint in that range. */
export function count(n: Offset, record: string, what: string): number {
  if (typeof n === 'number' ? Number.isSafeInteger(n) && n >= 0 : typeof n === 'bigint' && n >= 0n && n <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(n);
  throw new DecodeError(record, null, typeof n === 'number' ? n : -1, 0, 0, `${record}: invalid ${what} ${describe(n)} (expected a whole number from 0 to 2^53 - 1${typeof n === 'bigint' || typeof n === 'number' ? '' : ', or a bigint in that range'})`);
}

/** The DataView of `s` after checking that `size` bytes at `off` are inside it. The common case (the source of the
 * last call, a number offset) reads no property of `s`, and nothing that could throw: a cached source's buffer is
 * never resizable, and a detached one reports length 0. */
export function src(s: Source, off: Offset, size: number, L: RecordLayoutFacts): DataView {
  if (s === lastSrc && typeof off === 'number' && (off >>> 0) === off && off + size <= lastLen && lastU8.length !== 0) return lastDv;
  return srcSlow(s, off, size, L);
}

// apart from `src`, so that `src` stays small enough for V8 to inline it into every decode
function srcSlow(s: Source, off: Offset, size: number, L: RecordLayoutFacts): DataView {
  const dv = viewOf(s, L.name);
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
  for (const f of L.fields) {
    if (o + Math.ceil(f[2] / 8) > len) { field = f[0]; break; }
  }
  const where = field === null ? '' : ` (field '${field}' is the first that does not fit)`;
  return new DecodeError(L.name, field, o, size, available, `${L.name} at byte offset ${o} needs ${size} bytes, only ${available} available${where}`);
}

/** `options.strict`, read once; an options object whose getter throws is a DecodeError with the cause. */
export function strictOf(options: DecodeOptions | undefined, record: string): boolean {
  if (options === undefined || options === null) return false;
  try {
    return options.strict === true;
  } catch (e) {
    throw new DecodeError(record, null, 0, 0, 0, `${record}: the options cannot be read (${fault(e)})`, { cause: e });
  }
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
export function countOf(given: unknown, length: number, big: boolean, r: string, f: string, flex: string): number | bigint {
  const n = big ? BigInt(length) : length;
  if (given === undefined || given === n) return n;
  throw new EncodeError(r, f, `${describe(given)} is not the length of '${flex}' (${length} elements): give ${length}, or leave '${f}' out and encode sets it`);
}

// ---- destinations ---------------------------------------------------------------------------------------------
// The DataView for the last destination, as for sources. `NONE` marks "no cached destination", so that no value a
// caller passes (`null` included) can ever match a destination an earlier caller gave.

let lastDst: unknown = NONE;
let lastDstLen = 0;
let lastDstDv: DataView = lastDv;

/** The DataView to encode into: over `d` after checking that `size` bytes at `off` fit, or over new bytes. */
export function dst(value: unknown, d: Uint8Array | undefined, off: Offset, size: number, L: RecordLayoutFacts): DataView {
  // the value is not looked at here: a writer reading members of a non-object fails, and `encodeFault` says why
  if (d === lastDst && typeof off === 'number' && (off >>> 0) === off && off + size <= lastDstLen) return lastDstDv;
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
      dv = realView(d);
    } catch (e) {
      throw new EncodeError(L.name, '(destination)', `cannot be written: its buffer was detached (transferred) or resized (${fault(e)})`, { cause: e });
    }
    const buf = dvBuffer.call(dv) as { resizable?: boolean; growable?: boolean };
    lastDst = buf.resizable !== true && buf.growable !== true ? d : NONE;
    lastDstLen = dvLength.call(dv);
    lastDstDv = dv;
  }
  let len: number;
  try {
    len = dv.byteLength;
  } catch (e) {
    throw new EncodeError(L.name, '(destination)', `cannot be written: its buffer was detached (transferred) or resized (${fault(e)})`, { cause: e });
  }
  const o = typeof off === 'number' || (typeof off === 'bigint' && off >= 0n && off <= 9007199254740991n) ? Number(off) : NaN;
  if (Number.isSafeInteger(o) && o >= 0 && o + size <= len) return dv;
  throw new EncodeError(L.name, '(destination)', Number.isSafeInteger(o) && o >= 0
    ? `${size} bytes at byte offset ${o} do not fit in a destination of ${len} bytes`
    : `invalid byte offset ${describe(off)} (expected a whole number from 0 to 2^53 - 1, or a bigint in that range)`);
}

/** What encode returns: `d` when given, else the new bytes. */
export function out(dv: DataView, d: Uint8Array | undefined): Uint8Array {
  return d ?? new Uint8Array(dv.buffer);
}

/** Any error but structgen's own, raised while encoding, as an EncodeError: a value a writer's test choked on (a
 * bigint or a symbol where a number goes) is named as `badFields` names it; anything else (a getter or Proxy trap
 * that throws, a detached buffer) has the error as its cause. */
export function encodeFault(e: unknown, name: string, v: unknown, m: Members, x: MemberNotes | undefined): Error {
  if (e instanceof EncodeError || e instanceof DecodeError) return e;
  if (typeof v !== 'object' || v === null) return new EncodeError(name, '(value)', `${describe(v)} is not an object`);
  try {
    checkMembers(m, name, v, x, '');
  } catch (found) {
    // the member that does not fit; what was thrown first (a user's getter or Proxy trap, the engine's TypeError
    // for a bigint in arithmetic) stays reachable as its cause
    if (found instanceof EncodeError) {
      if (!('cause' in found)) setCause(found, { cause: e });
      return found;
    }
    // a getter or Proxy trap threw when the value was read again: the user's error is the cause, what failed first
    // is named
    if (found !== e) return new EncodeError(name, '(value)', `cannot be written (${fault(e)}; reading it again: ${fault(found)})`, { cause: found });
  }
  return new EncodeError(name, '(value)', `cannot be written (${fault(e)})`, { cause: e });
}

/** Zeroes `n` bytes at `off` of `dv` (padding, a union's storage). */
export function zero(dv: DataView, off: number, n: number): void {
  new Uint8Array(dv.buffer, dv.byteOffset + off, n).fill(0);
}

// ---- the checks encode applies ------------------------------------------------------------------------------------
// Generated writers read each scalar once into a local and test them all at once (`typeof x === 'number' && (x &
// 0xff) === x && ...`): the passing path costs what the hand-written store costs. These are the failing paths.

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

/** An unsigned integer of up to 32 bits. */
export function u(v: unknown, bits: number, r: string, f: string): number {
  return typeof v === 'number' && (bits === 32 ? (v >>> 0) === v : (v & ((1 << bits) - 1)) === v) ? v : badInt(v, bits, false, r, f);
}

/** A signed integer of up to 32 bits. */
export function i(v: unknown, bits: number, r: string, f: string): number {
  return typeof v === 'number' && ((v << (32 - bits)) >> (32 - bits)) === v ? v : badInt(v, bits, true, r, f);
}

/** An integer of 64 (or 128) bits as a bigint. */
export function big(v: unknown, bits: number, signed: boolean, r: string, f: string): bigint {
  return typeof v === 'bigint' && (signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v)) === v ? v : badBig(v, bits, signed, r, f);
}

export function bool(v: unknown, r: string, f: string): number {
  return v === true ? 1 : v === false ? 0 : badBool(v, r, f);
}

export function num(v: unknown, r: string, f: string): number {
  return typeof v === 'number' ? v : badNum(v, r, f);
}

/** A 64-bit integer given as a number (`"as": "number"`): a safe integer in [min, max]. */
export function safe(v: unknown, signed: boolean, r: string, f: string): bigint {
  const min = signed ? -9007199254740991 : 0;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min) return BigInt(v);
  throw new EncodeError(r, f, `${describe(v)} is not a safe integer in [${min}, 9007199254740991]`);
}

/** An object (a nested record's value). */
export function obj<T>(v: T, r: string, f: string): T {
  return typeof v === 'object' && v !== null ? v : badObject(v, r, f);
}

/** What encode was given: an object (its members are read once each, as they are written). */
export function value<T>(v: T, r: string): T {
  if (typeof v === 'object' && v !== null) return v;
  throw new EncodeError(r, '(value)', `${describe(v)} is not an object`);
}

/** An array of exactly `n` elements: its length is read once, here; writers then write exactly `n` elements, each
 * read once, whatever the array does meanwhile. */
export function arr(v: unknown, n: number, r: string, f: string): ArrayLike<unknown> {
  if (Array.isArray(v) && v.length === n) return v;
  throw new EncodeError(r, f, Array.isArray(v) ? `expected ${n} elements, got ${v.length}` : `expected an array of ${n} elements, got ${describe(v)}`);
}

/** A flexible array member's elements (or bytes) and their count, read once: exactly `n` are written. */
export interface Flex {
  readonly a: ArrayLike<unknown>;
  readonly n: number;
}

/** No flexible array elements (a record with a flexible array member nested in another: its elements are not its to write). */
export const noFlex: Flex = { a: [], n: 0 };
const NO_FLEX = noFlex;

/** A flexible array member's elements (any length, or absent), snapshotted: `bytes`, a Uint8Array or Int8Array
 * (copied, so that a resizable buffer cannot change it under the writer). */
export function flex(v: unknown, bytes: boolean, r: string, f: string): Flex {
  if (v === undefined) return NO_FLEX;
  if (bytes) {
    // ArrayBuffer.isView is false for a Proxy, whose typed-array getters would throw
    if (ArrayBuffer.isView(v) && (v instanceof Uint8Array || v instanceof Int8Array)) {
      const c = new Uint8Array(v.length);
      c.set(new Uint8Array(v.buffer, v.byteOffset, c.length));
      return { a: c, n: c.length };
    }
    throw new EncodeError(r, f, `expected a Uint8Array or Int8Array, got ${describe(v)}`);
  }
  if (Array.isArray(v)) return { a: v, n: v.length };
  throw new EncodeError(r, f, `expected an array, got ${describe(v)}`);
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

/** A 64-bit integer read as a number (`"as": "number"`), refused beyond 2^53. */
export function safeNumber(v: bigint, r: string, f: string, off: number): number {
  if (v >= -9007199254740991n && v <= 9007199254740991n) return Number(v);
  throw invalidValue(r, f, off, v, 'a safe integer (beyond 2^53, read it as a bigint)');
}

// ---- integers wider than DataView reads ------------------------------------------------------------------------

// 64-bit integers are written as two 32-bit halves through a BigInt64Array: DataView's setBigInt64 is a call into
// the engine in V8's optimised code (about 7 ns a write on Node 20), a BigInt64Array's element is written inline
// (about 3 ns for the whole). No user code runs between storing the value and writing its halves.
const W64 = new BigInt64Array(1);
const W32 = new Int32Array(W64.buffer);

/** `dv.setBigInt64(o, v, le)`, and `setBigUint64` (the same 64 bits): `v` is a bigint the writer checked. */
export const set64: (dv: DataView, o: number, v: bigint, le: boolean) => void = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
  ? (dv, o, v, le) => {
    W64[0] = v;
    if (le) { dv.setInt32(o, W32[0]!, true); dv.setInt32(o + 4, W32[1]!, true); } else { dv.setInt32(o, W32[1]!); dv.setInt32(o + 4, W32[0]!); }
  }
  : (dv, o, v, le) => {
    W64[0] = v;
    if (le) { dv.setInt32(o, W32[1]!, true); dv.setInt32(o + 4, W32[0]!, true); } else { dv.setInt32(o, W32[0]!); dv.setInt32(o + 4, W32[1]!); }
  };

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

// ---- strings ----------------------------------------------------------------------------------------------------
// `char[N]` holds the bytes of a string up to the first NUL. Short ASCII strings with a zeroed tail (the common case:
// tags, names) are read a byte at a time, as the fastest hand-written code does; anything else goes through
// TextDecoder, so UTF-8 stays exact, and counts as bytes the string cannot carry when it is (malformed UTF-8, bytes
// after the NUL): `odd` tells the record's reader to keep them (see "lossless round trips" below).

// declared here, not taken from lib.dom or @types/node, so that the module compiles in any project's lib setting
interface Utf8Decoder { decode(b: Uint8Array): string }
interface Utf8Encoder { encodeInto(s: string, b: Uint8Array): { read: number; written: number }; encode(s: string): Uint8Array }
const G = globalThis as unknown as {
  TextDecoder: new (label: string, options: { fatal?: boolean; ignoreBOM?: boolean }) => Utf8Decoder;
  TextEncoder: new () => Utf8Encoder;
};
// ignoreBOM: a leading U+FEFF is text like any other (it would otherwise vanish, and encode could not restore it)
const utf8 = new G.TextDecoder('utf-8', { ignoreBOM: true });
const utf8Strict = new G.TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8e = new G.TextEncoder();

/** Counts readers that met bytes their value cannot carry: a record reader with such members compares it before
 * and after, and on a change keeps the original bytes (`keep`). */
export const odd = { n: 0 };

function bytesAt(dv: DataView, off: number, n: number): Uint8Array {
  return new Uint8Array(dv.buffer, dv.byteOffset + off, n);
}

/** UTF-8 text of the bytes at `off` up to the first NUL (or all `n`). ASCII text is made with String.fromCharCode,
 * up to eight characters a call; anything else goes through TextDecoder (malformed bytes become U+FFFD). */
export function str(dv: DataView, off: number, n: number): string {
  let len = 0;
  let hi = 0;
  while (len < n) {
    const c = dv.getUint8(off + len);
    if (c === 0) break;
    hi |= c;
    len++;
  }
  // bytes after the NUL land above bit 7: zero unless the text cannot carry them
  for (let k = len + 1; k < n; k++) hi |= dv.getUint8(off + k) << 8;
  // shaped so that V8 inlines the common path (ASCII, zeroed tail) whole
  if (hi > 0x7f || len > 64) return strSlow(dv, off, len, hi >> 8);
  return chars(dv, off, len);
}

function strSlow(dv: DataView, off: number, len: number, tail: number): string {
  if (tail !== 0) odd.n++;
  // a copy: TextDecoder refuses views of shared memory (SharedArrayBuffer)
  const b = bytesAt(dv, off, len).slice();
  try {
    return utf8Strict.decode(b);
  } catch {
    odd.n++;
    return utf8.decode(b);
  }
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
  for (let k = len + 1; k < n; k++) {
    if (dv.getUint8(off + k) !== 0) { odd.n++; break; }
  }
  return chars(dv, off, len);
}

/** A lone surrogate (text that is not well-formed, which UTF-8 cannot hold). */
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Writes `s` as UTF-8 and zero-fills the rest of the `n` bytes; a string of exactly `n` bytes gets no NUL. */
export function writeStr(dv: DataView, off: number, n: number, s: unknown, r: string, f: string): void {
  if (typeof s === 'string' && s.length <= n) {
    // ASCII four characters at a time, as one little-endian 32-bit write (zeros past the end of the string): a
    // quarter of the DataView writes of a byte loop. A word with a character past ASCII is not written: UTF-8 below
    const len = s.length;
    let k = 0;
    for (; k + 4 <= n; k += 4) {
      const c0 = k < len ? s.charCodeAt(k) : 0, c1 = k + 1 < len ? s.charCodeAt(k + 1) : 0;
      const c2 = k + 2 < len ? s.charCodeAt(k + 2) : 0, c3 = k + 3 < len ? s.charCodeAt(k + 3) : 0;
      if ((c0 | c1 | c2 | c3) > 0x7f) break;
      dv.setUint32(off + k, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24), true);
    }
    for (; k < n; k++) {
      const c = k < len ? s.charCodeAt(k) : 0;
      if (c > 0x7f) break;
      dv.setUint8(off + k, c);
    }
    if (k === n) return;
  }
  writeUtf8(dv, off, n, s, r, f);
}

// apart from `writeStr`, so that `writeStr` stays small enough for V8 to inline it into every writer
function writeUtf8(dv: DataView, off: number, n: number, s: unknown, r: string, f: string): void {
  if (typeof s !== 'string') throw new EncodeError(r, f, `${describe(s)} is not a string`);
  const lone = LONE.exec(s);
  const b = bytesAt(dv, off, n);
  const { read, written } = lone ? { read: -1, written: 0 } : utf8e.encodeInto(s, b);
  if (read === s.length) {
    b.fill(0, written);
    return;
  }
  const e = new EncodeError(r, f, lone ? `the string is not well-formed (a lone surrogate U+${lone[0].charCodeAt(0).toString(16).toUpperCase()} at index ${lone.index}), which UTF-8 cannot hold`
    : `string of ${utf8e.encode(s).length} UTF-8 bytes does not fit in char[${n}]`);
  // text decode made of bytes it could not carry (malformed UTF-8 as U+FFFD) may not fit: it stands if the bytes it was
  // made of are written back (`encodeKept`)
  if (deferring) pending.push({ dv, at: off, e });
  else throw e;
}

/** Writes `s` as Latin-1 (each character below 256) and zero-fills the rest. */
export function writeLatin1(dv: DataView, off: number, n: number, s: unknown, r: string, f: string): void {
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
  return bytesAt(dv, off, n).slice();
}

export function copySignedBytes(dv: DataView, off: number, n: number): Int8Array {
  return new Int8Array(bytesAt(dv, off, n).slice().buffer);
}

export function bytesView(dv: DataView, off: number, n: number): Uint8Array {
  return new Uint8Array(dv.buffer, dv.byteOffset + off, n);
}

export function signedBytesView(dv: DataView, off: number, n: number): Int8Array {
  return new Int8Array(dv.buffer, dv.byteOffset + off, n);
}

/** Writes exactly `n` bytes from a Uint8Array or Int8Array. */
export function writeBytes(dv: DataView, off: number, n: number, v: unknown, r: string, f: string): void {
  // ArrayBuffer.isView is false for a Proxy, whose typed-array getters would throw
  if (!ArrayBuffer.isView(v) || !(v instanceof Uint8Array || v instanceof Int8Array)) throw new EncodeError(r, f, `expected a Uint8Array or Int8Array, got ${describe(v)}`);
  if (v.length !== n) throw new EncodeError(r, f, `expected ${n} bytes, got ${v.length}`);
  // `n` bytes of its buffer, whatever its length does meanwhile (a resizable buffer): a shrunk one throws here
  bytesAt(dv, off, n).set(new Uint8Array(v.buffer, v.byteOffset, n));
}

/** Writes the `n` bytes a flexible array member's snapshot holds (`flex`). */
export function writeFlexBytes(dv: DataView, off: number, fl: Flex): void {
  bytesAt(dv, off, fl.n).set(fl.a as Uint8Array);
}

/** Whether a flexible array member ([stride, element kind row, count, numbers?], its member table row from the
 * stride on) holds bytes (a Uint8Array or Int8Array), not an array. */
function flexBytes(args: readonly unknown[]): boolean {
  const elem = args[1] as readonly unknown[];
  return (elem[0] === 'u8' || elem[0] === 'i8') && args[3] !== 1;
}

/** Writes the `n` elements a flexible array member's snapshot holds (`flex`), each read once; into given bytes (`z`),
 * their storage is zeroed first: an element may not fill its stride (a vector of 3 chars in 4 bytes). */
export function writeFlex(dv: DataView, off: number, fl: Flex, stride: number, write: ElementWriter, r: string, f: string, z: boolean): void {
  if (z && fl.n > 0) zero(dv, off, fl.n * stride);
  const a = fl.a;
  for (let k = 0; k < fl.n; k++) write(dv, off + k * stride, a[k], r, `${f}[${k}]`, z);
}

// ---- bit-fields -----------------------------------------------------------------------------------------------
// A bit-field lives in `span` bytes from `byte`. Little-endian targets number bits from the least significant
// bit of the first byte; big-endian ones from the most significant (REFERENCE.md section 7). `shift` is the
// field's distance from the least significant bit of the span read as one integer in the target's byte order.

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
export type ElementReader<T = unknown> = (dv: DataView, off: number, strict: boolean) => T;
/** Writes one element, checked (`r`, `f` name it in errors); `z`: zero its padding. */
export type ElementWriter = (dv: DataView, off: number, v: unknown, r: string, f: string, z: boolean) => void;

export function readArray<T>(dv: DataView, off: number, n: number, stride: number, read: ElementReader<T>, strict: boolean): T[] {
  const a = new Array<T>(n);
  for (let k = 0; k < n; k++) a[k] = read(dv, off + k * stride, strict);
  return a;
}

/** An array of several dimensions (`dims`, row-major, elements `stride` bytes apart) as nested arrays, built a level
 * at a time: no recursion, so any number of dimensions. */
export function readNd(dv: DataView, off: number, dims: readonly number[], stride: number, read: ElementReader, strict: boolean): unknown[] {
  const counts: number[] = [];
  let total = 1;
  for (const d of dims) counts.push(total *= d);
  let level: unknown[] = new Array<unknown>(total);
  for (let k = 0; k < total; k++) level[k] = read(dv, off + k * stride, strict);
  for (let d = dims.length - 1; d > 0; d--) {
    const n = dims[d]!;
    const up = new Array<unknown>(counts[d - 1]!);
    for (let j = 0; j < up.length; j++) up[j] = level.slice(j * n, j * n + n);
    level = up;
  }
  return level;
}

/** Writes exactly `n` elements of `v` (checked by `arr`: its length is read once), each read once. */
export function writeArray(dv: DataView, off: number, v: unknown, n: number, stride: number, write: ElementWriter, r: string, f: string, z: boolean): void {
  const a = arr(v, n, r, f);
  for (let k = 0; k < n; k++) write(dv, off + k * stride, a[k], r, `${f}[${k}]`, z);
}

/** Writes an array of several dimensions from nested arrays, each level's length checked once and exactly that many
 * elements written: a walk with its own stack, so any number of dimensions. */
export function writeNd(dv: DataView, off: number, v: unknown, dims: readonly number[], stride: number, write: ElementWriter, r: string, f: string, z: boolean): void {
  const last = dims.length - 1;
  const stack: Array<ArrayLike<unknown>> = [arr(v, dims[0]!, r, f)];
  const idx: number[] = [0];
  let k = 0;
  while (stack.length > 0) {
    const level = stack.length - 1;
    const i = idx[level]!;
    if (i === dims[level]) { stack.pop(); idx.pop(); if (idx.length) idx[idx.length - 1]!++; continue; }
    const el = stack[level]![i];
    const label = () => `${f}${idx.map((x) => `[${x}]`).join('')}`;
    if (level === last) {
      write(dv, off + k * stride, el, r, label(), z);
      k++;
      idx[level] = i + 1;
    } else {
      stack.push(arr(el, dims[level + 1]!, r, label()));
      idx.push(0);
    }
  }
}

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
type Inspect = (v: unknown, opts: unknown) => string;

/** Reads an element of a view (no validation). */
export type Get<T = unknown> = (dv: DataView, o: number) => T;
/** Writes an element or member through a view, checked; `f` names it in errors. */
export type Put = (dv: DataView, o: number, v: unknown, f: string) => void;

/** A zero-copy view of a C array: `get(i)`, `set(i, v)`, `length`, iteration. Elements are read when touched. */
export class ArrayView<T, I = T> implements Iterable<T> {
  declare readonly length: number;
  declare private readonly $dv: DataView;
  declare private readonly $off: number;
  declare private readonly $stride: number;
  declare private readonly $get: Get<T>;
  declare private readonly $put: Put | null;
  declare private readonly $r: string;
  declare private readonly $f: string;
  declare private readonly $at0: readonly number[] | null;
  /** `offsets`: where each element starts, for records of varying length (`viewMany` of counted records). */
  constructor(dv: DataView, off: number, length: number, stride: number, get: Get<T>, put: Put | null, r: string, f: string, offsets: readonly number[] | null = null) {
    this.$dv = dv;
    this.$off = off;
    this.length = length;
    this.$stride = stride;
    this.$get = get;
    this.$put = put;
    this.$r = r;
    this.$f = f;
    this.$at0 = offsets;
  }
  /** Where element `k` starts; a bad index is the error of the side that asked (`write`: EncodeError). */
  private $at(k: number, write = false): number {
    if (!Number.isInteger(k) || k < 0 || k >= this.length) {
      const msg = `index ${describe(k)} out of range [0, ${this.length})`;
      throw write ? new EncodeError(this.$r, this.$f, msg) : new DecodeError(this.$r, this.$f, this.$off, 0, 0, `${this.$r}.${this.$f}: ${msg}`);
    }
    return this.$at0 ? this.$at0[k]! : this.$off + k * this.$stride;
  }
  // the engine's errors for a buffer detached or shrunk under the view become DecodeError (reads) and EncodeError
  // (writes), as from a record view's accessors
  get(k: number): T {
    const at = this.$at(k);
    try {
      return this.$get(this.$dv, at);
    } catch (e) {
      throw readFault(e, this.$r, `${this.$f}[${k}]`, at);
    }
  }
  set(k: number, v: I): void {
    if (!this.$put) throw new EncodeError(this.$r, this.$f, 'elements are records or arrays: set their members instead');
    const at = this.$at(k, true);
    try {
      this.$put(this.$dv, at, v, `${this.$f}[${k}]`);
    } catch (e) {
      throw writeFault(e, this.$r, `${this.$f}[${k}]`, at);
    }
  }
  *[Symbol.iterator](): Iterator<T> {
    for (let k = 0; k < this.length; k++) yield this.get(k);
  }
  toArray(): T[] {
    const out = new Array<T>(this.length);
    for (let k = 0; k < this.length; k++) out[k] = this.get(k);
    return out;
  }
  toJSON(): unknown {
    return toJSON(this.toArray());
  }
}
Object.defineProperty(ArrayView.prototype, inspectCustom, {
  value(this: ArrayView<unknown>, _depth: number, opts: unknown, inspect: Inspect): string { return `ArrayView(${this.length}) ${inspect(this.toArray(), opts)}`; },
  writable: true, configurable: true,
});

// ---- lossless round trips -----------------------------------------------------------------------------------------
// For any bytes b, encode(decode(b)) equals b in every byte a member holds (padding is zeroed). Where a decoded value
// cannot carry its bytes (a char[] with malformed UTF-8 or bytes after its NUL, a _Bool other than 0 or 1, a NaN, a
// long double a double rounds), the decoded object keeps the original bytes under a non-enumerable symbol (JSON and
// printing are unchanged), and encode writes them back while the member still holds the value decode gave it. The
// common case pays a counter compared once per decode and one flag read per encode.

const RAW = Symbol.for('structgen.raw');
/** Whether any decoded object kept bytes yet: until one has, encode does not look for them. */
let anyKept = false;

/** One kept member: its path from the record, the value decode gave it, and how to write its bytes back. */
interface Kept {
  readonly path: ReadonlyArray<string | number>;
  readonly value: unknown;
  /** Where the member starts in the record. */
  readonly off: number;
  readonly put: (dv: DataView, o: number) => void;
}

/** While encode writes a value that holds kept bytes: writers' failures that kept bytes may make good, to be settled
 * once they are written back. */
let deferring = false;
const pending: Array<{ readonly dv: DataView; readonly at: number; readonly e: EncodeError }> = [];

/** The kept members of one decoded record (a class of its own, so that nothing a caller builds can pass as one). */
class KeptList {
  declare readonly L: RecordLayoutFacts;
  declare readonly items: Kept[];
  constructor(L: RecordLayoutFacts) { this.L = L; this.items = []; }
}

function attach(r: object, L: RecordLayoutFacts): KeptList {
  const own = (r as { [RAW]?: unknown })[RAW];
  if (own instanceof KeptList) return own;
  const k = new KeptList(L);
  anyKept = true;
  Object.defineProperty(r, RAW, { value: k, enumerable: false, configurable: true, writable: true });
  return k;
}

/** The bytes a member of a kind that can be odd holds (0 for the others). */
function oddSize(kind: string, args: readonly unknown[], le: boolean): number {
  const k = parseKind(kind, le);
  switch (k.base) {
    case 's': case 'l1': return args[0] as number;
    case 'b': return k.bits / 8;
    case 'f': return FLOAT_BYTES[k.fmt]!;
    case 'cf': return 2 * (args[0] as number);
    case 'bits': return ((args[3] as number) & 2) !== 0 ? args[0] as number : 0;
    case 'a': case 'flex': {
      const e = (k.base === 'a' ? args[2] : args[1]) as readonly unknown[];
      return oddSize(e[0] as string, e.slice(1), le);
    }
    default: return 0;
  }
}

/** Whether the value read at `o` writes back the same bytes (a NaN never counts as doing so: not every engine keeps
 * its payload). */
function canonical(kind: string, args: readonly unknown[], le: boolean, dv: DataView, o: number): boolean {
  const n = oddSize(kind, args, le);
  if (n === 0) return true;
  const a = access(kind, args, le, '');
  const v = a.get(dv, o) as number | Complex;
  if (typeof v === 'number' ? v !== v : typeof v === 'object' && (v.re !== v.re || v.im !== v.im)) return false;
  const scratch = new DataView(bytesAt(dv, o, n).slice().buffer);
  try {
    a.put!(scratch, 0, v, '');
  } catch {
    return false;
  }
  for (let i = 0; i < n; i++) if (scratch.getUint8(i) !== dv.getUint8(o + i)) return false;
  return true;
}

/** A boolean read from an integer: nonzero is true; a value other than 0 and 1 is counted in `odd`. */
export function truth(x: number): boolean {
  if (x === 0) return false;
  if (x !== 1) odd.n++;
  return true;
}

export function truthBig(x: bigint): boolean {
  if (x === 0n) return false;
  if (x !== 1n) odd.n++;
  return true;
}

/** A float as read; a NaN (whose payload not every engine keeps) is counted in `odd`. */
export function fl(x: number): number {
  if (x !== x) odd.n++;
  return x;
}

/** A float DataView cannot read (`f16`, `f80`, `f96`, `f128`, `fdd`), to the nearest double: counted in `odd` when
 * writing it back would not give the same bytes. */
export function readWide(kind: string, dv: DataView, o: number, le: boolean): number {
  if (!canonical(kind, [], le, dv, o)) odd.n++;
  return readFloat(kind, dv, o, le);
}

export function writeWide(kind: string, dv: DataView, o: number, v: number, le: boolean): void {
  writeFloat(kind, dv, o, v, le);
}

/** A tagged union decoded as the one member its tag selects: the union's other bytes (which encode zeroes) are kept
 * when any is not zero, and written back while the union still holds that member's decoded value. `cases`: each
 * case member's property, byte offset in the union and size. */
export function keepTagged(r: object, L: RecordLayoutFacts, prop: string, dv: DataView, o: number, off: number, size: number,
  cases: ReadonlyArray<readonly [string, number, number]>): void {
  const u = (r as { readonly [k: string]: unknown })[prop] as { readonly [k: string]: unknown };
  const keys = Object.keys(u);
  const c = keys.length === 1 ? cases.find((x) => x[0] === keys[0]) : undefined;
  if (!c) return; // a tag that is none of the cases (not strict): every member was decoded
  let other = false;
  for (let k = 0; k < size && !other; k++) if ((k < c[1] || k >= c[1] + c[2]) && dv.getUint8(o + off + k) !== 0) other = true;
  if (!other) return;
  const b = bytesAt(dv, o + off, size).slice();
  const [, at, n] = c;
  attach(r, L).items.push({
    path: [prop, c[0]], value: u[c[0]], off: off + at,
    put: (d, base) => {
      bytesAt(d, base + off, at).set(b.subarray(0, at));
      bytesAt(d, base + off + at + n, size - at - n).set(b.subarray(at + n));
    },
  });
}

/** Called by a record's reader when a member reader met bytes its value cannot carry: finds those members (and
 * array elements) and keeps their original bytes on the decoded object. */
export function keep(r: object, codec: object, dv: DataView, o: number): void {
  const c = codec as Nested & { readonly $le: boolean };
  const L = c.$L;
  const le = c.$le;
  for (const row of c.$m) {
    const prop = row[0] as string;
    const kind = row[1] as string;
    const off = row[2] as number;
    const args = row.slice(3);
    const n = oddSize(kind, args, le);
    if (n === 0) continue;
    if (kind !== 'a' && kind !== 'flex') {
      if (!canonical(kind, args, le, dv, o + off)) keepOne(r, L, [prop], kind, args, le, dv, o + off, off, n);
      continue;
    }
    const elem = (kind === 'a' ? args[2] : args[1]) as readonly unknown[];
    const stride = (kind === 'a' ? args[1] : args[0]) as number;
    const x = (r as { readonly [k: string]: unknown })[prop];
    const dims = kind === 'a' ? args[0] as readonly number[] : [Array.isArray(x) ? x.length : 0];
    eachElement(dims, stride, elem, off, [prop], (ek, ea, at, path) => {
      if (!canonical(ek, ea, le, dv, o + at)) keepOne(r, L, path, ek, ea, le, dv, o + at, at, oddSize(ek, ea, le));
    });
  }
}

/** Each element of an array (`dims`, row-major, `stride` bytes apart from `off`) with its index path; an element that
 * is itself an array (a vector padded past its elements, which the member table keeps apart) is walked in turn. */
function eachElement(dims: readonly number[], stride: number, elem: readonly unknown[], off: number, path: ReadonlyArray<string | number>,
  f: (kind: string, args: readonly unknown[], at: number, path: ReadonlyArray<string | number>) => void): void {
  let total = 1;
  for (const d of dims) total *= d;
  for (let k = 0; k < total; k++) {
    // the element's index in each dimension (row-major)
    const idx: number[] = [];
    for (let d = dims.length - 1, rest = k; d >= 0; d--) { idx.unshift(rest % dims[d]!); rest = Math.floor(rest / dims[d]!); }
    const at = off + k * stride;
    if (elem[0] === 'a') eachElement(elem[1] as readonly number[], elem[2] as number, elem[3] as readonly unknown[], at, [...path, ...idx], f);
    else f(elem[0] as string, elem.slice(1), at, [...path, ...idx]);
  }
}

/** Keeps one member's bytes (at `at` in `dv`, `off` in the record); a bit-field keeps only its own bits, since it
 * shares its bytes with others. */
function keepOne(r: object, L: RecordLayoutFacts, path: ReadonlyArray<string | number>, kind: string, args: readonly unknown[], le: boolean,
  dv: DataView, at: number, off: number, n: number): void {
  let value: unknown = r;
  for (const p of path) value = (value as { readonly [k: string]: unknown })[p];
  let put: (d: DataView, o: number) => void;
  if (kind === 'bits') {
    const [bytes, shift, width] = args as [number, number, number];
    const raw = readBitsBig(dv, at, bytes, shift, width, false, le);
    put = (d, o) => writeBitsBig(d, o + off, bytes, shift, width, raw, le);
  } else {
    const b = bytesAt(dv, at, n).slice();
    put = (d, o) => { bytesAt(d, o + off, n).set(b); };
  }
  attach(r, L).items.push({ path, value, off, put });
}

/** After encode wrote a record (or after a union's writer wrote one member, `restoreMember`): writes back the
 * original bytes of members that still hold the value decode gave them, in this record and the records it nests
 * (from their member tables). Nothing is looked up until some decode kept bytes. A union's own members are restored
 * by its writer, each right after it is written, so that a later member written over it wins, as without kept
 * bytes. `fl`: the flexible array member's elements as encode counted them (nothing past them is touched). */
export function restoreTree(dv: DataView, o: number, v: unknown, m: Members, L: RecordLayoutFacts, fl: Flex): void {
  if (!anyKept || typeof v !== 'object' || v === null || L.union) return;
  restoreOwn(dv, o, v, L, null);
  for (const row of m) restoreRow(dv, o, v, row, fl);
}

/** Encode once some decode kept bytes: writers' failures a kept member makes good are deferred until kept bytes are
 * written back (`restoreTree`). */
function encodeKept<I>(v: I, d: Uint8Array | undefined, off: Offset, size: number, fl: Flex, L: RecordLayoutFacts, m: Members,
  write: (dv: DataView, o: number, v: I, z: boolean, fl: Flex) => void): Uint8Array {
  deferring = true;
  pending.length = 0;
  try {
    const dv = dst(v, d, off, size, L);
    const o = d === undefined ? 0 : Number(off);
    write(dv, o, v, d !== undefined, fl);
    restoreTree(dv, o, v, m, L, fl);
    if (pending.length) throw pending[0]!.e;
    return out(dv, d);
  } finally {
    deferring = false;
    pending.length = 0;
  }
}

/** A union's writer, after member `i`: that member's kept bytes, and those of the records it holds. */
export function restoreMember(dv: DataView, o: number, v: unknown, codec: object, i: number): void {
  if (!anyKept || typeof v !== 'object' || v === null) return;
  const c = codec as Nested;
  const row = c.$m[i]!;
  restoreOwn(dv, o, v, c.$L, row[0] as string);
  restoreRow(dv, o, v, row, noFlex);
}

interface Nested { readonly $m: Members; readonly $L: RecordLayoutFacts }

function restoreRow(dv: DataView, o: number, v: object, row: readonly unknown[], fl: Flex): void {
  const x = (v as { readonly [k: string]: unknown })[row[0] as string];
  const off = row[2] as number;
  if (row[1] === 'r') {
    const c = row[3] as Nested;
    restoreTree(dv, o + off, x, c.$m, c.$L, noFlex);
  } else if (row[1] === 'a' || row[1] === 'flex') {
    const elem = (row[1] === 'a' ? row[5] : row[4]) as readonly unknown[];
    if (elem[0] !== 'r') return;
    const c = elem[1] as Nested;
    const stride = (row[1] === 'a' ? row[4] : row[3]) as number;
    if (row[1] === 'flex') {
      for (let k = 0; k < fl.n; k++) restoreTree(dv, o + off + k * stride, fl.a[k], c.$m, c.$L, noFlex);
      return;
    }
    // nested arrays, row-major; an array whose shape changed since it was written is left alone
    const dims = row[3] as readonly number[];
    let total = 1;
    for (const d of dims) total *= d;
    for (let k = 0; k < total; k++) {
      let el: unknown = x;
      let rest = k;
      for (let d = 0; d < dims.length && el !== NONE; d++) {
        let span = 1;
        for (let e = d + 1; e < dims.length; e++) span *= dims[e]!;
        const i = Math.floor(rest / span);
        rest %= span;
        el = Array.isArray(el) && el.length === dims[d] ? el[i] : NONE;
      }
      if (el !== NONE) restoreTree(dv, o + off + k * stride, el, c.$m, c.$L, noFlex);
    }
  }
}

function restoreOwn(dv: DataView, o: number, v: object, L: RecordLayoutFacts, prop: string | null): void {
  const k = (v as { [RAW]?: unknown })[RAW];
  // only what a decode of this very record kept: nothing else may choose bytes to write
  if (!(k instanceof KeptList) || k.L !== L) return;
  for (const e of k.items) {
    if (prop !== null && e.path[0] !== prop) continue;
    let cur: unknown = v;
    for (const p of e.path) {
      if (typeof cur !== 'object' || cur === null) { cur = NONE; break; }
      cur = (cur as { [k: string]: unknown })[p];
    }
    if (!Object.is(cur, e.value)) continue;
    e.put(dv, o);
    for (let i = pending.length - 1; i >= 0; i--) if (pending[i]!.dv === dv && pending[i]!.at === o + e.off) pending.splice(i, 1);
  }
}

// ---- member tables ----------------------------------------------------------------------------------------------
// Each record's module states its members as a table, one row per member: [property, kind, byte offset, ...], the
// kind saying how the bytes are read and written. Views, the failure path of encode's checks, `keep` and the
// record-stepping of `decodeMany` are made from it here, so the module itself holds only its straight-line reader
// and writer. Kinds: integers `u8`..`u128`, `i8`..`i128` (bigints from 64 bits), `nu64`/`ni64` (a 64-bit integer
// read as a number), `b8`..`b64` (booleans), floats `f16` `f32` `f64` `f80` `f96` (m68k) `f128` `dd` (IBM
// double-double), each with an optional `be`/`le` when its byte order is not the record's; `cf32`.. (complex:
// [part bytes]); `s` (UTF-8 text: [bytes]), `l1` (Latin-1 text: [bytes]); `u8a`/`i8a` (bytes: [count]); `r` (a
// record: [its codec]); `bits` ([bytes, shift, width, flags: 1 signed, 2 boolean, 4 bigint], at the first byte of
// its span); `a` (an array: [dimensions, element stride, element kind row]); `flex` (a flexible array member:
// [stride, element kind row, counting member or null, and 1 when 8-bit elements are numbers (an enum), not bytes]).

/** A record's member table (see above). */
export type Members = ReadonlyArray<readonly unknown[]>;

interface Kind {
  readonly base: string;
  readonly bits: number;
  readonly fmt: string;
  readonly le: boolean;
}

const KINDS = new Map<string, Kind>();

function parseKind(kind: string, le: boolean): Kind {
  const key = `${kind}/${le}`;
  let k = KINDS.get(key);
  if (k) return k;
  const m = /^(u|i|nu|ni|b|cf|f|s|l1|u8a|i8a|r|bits|a|flex)(\d+|dd)?(be|le)?$/.exec(kind);
  if (!m) throw new Error(`structgen runtime: unknown member kind '${kind}'`);
  const base = m[1]!;
  const order = m[3] === 'be' ? false : m[3] === 'le' ? true : le;
  k = { base, bits: m[2] && m[2] !== 'dd' ? Number(m[2]) : 0, fmt: base === 'f' || base === 'cf' ? `f${m[2]}` : '', le: order };
  KINDS.set(key, k);
  return k;
}

const FLOAT_BYTES: { readonly [fmt: string]: number } = { f16: 2, f32: 4, f64: 8, f80: 10, f96: 12, f128: 16, fdd: 16 };

function readFloat(fmt: string, dv: DataView, o: number, le: boolean): number {
  switch (fmt) {
    case 'f32': return dv.getFloat32(o, le);
    case 'f64': return dv.getFloat64(o, le);
    case 'f16': return readF16(dv, o, le);
    case 'f80': return readF80(dv, o, le);
    case 'f96': return readF80(dv, o, false, 2);
    case 'f128': return readF128(dv, o, le);
    default: return readDD(dv, o, le);
  }
}

function writeFloat(fmt: string, dv: DataView, o: number, v: number, le: boolean): void {
  switch (fmt) {
    case 'f32': dv.setFloat32(o, v, le); return;
    case 'f64': dv.setFloat64(o, v, le); return;
    case 'f16': writeF16(dv, o, v, le); return;
    case 'f80': writeF80(dv, o, v, le); return;
    case 'f96': writeF80(dv, o, v, false, 2); return;
    case 'f128': writeF128(dv, o, v, le); return;
    default: writeDD(dv, o, v, le);
  }
}

/** How a member or element of a kind is read and (when it can be) written through a view. */
interface Access {
  readonly get: Get;
  readonly put: Put | null;
}

/** The reader and checked writer of a kind; `r` names the record in errors, `f` the member (array views). */
function access(kind: string, args: readonly unknown[], le: boolean, r: string, f0 = '[]'): Access {
  const k = parseKind(kind, le);
  const L = k.le;
  switch (k.base) {
    case 'u': case 'i': {
      const s = k.base === 'i';
      switch (k.bits) {
        case 8: return s ? { get: (dv, o) => dv.getInt8(o), put: (dv, o, v, f) => dv.setInt8(o, i(v, 8, r, f)) }
          : { get: (dv, o) => dv.getUint8(o), put: (dv, o, v, f) => dv.setUint8(o, u(v, 8, r, f)) };
        case 16: return s ? { get: (dv, o) => dv.getInt16(o, L), put: (dv, o, v, f) => dv.setInt16(o, i(v, 16, r, f), L) }
          : { get: (dv, o) => dv.getUint16(o, L), put: (dv, o, v, f) => dv.setUint16(o, u(v, 16, r, f), L) };
        case 32: return s ? { get: (dv, o) => dv.getInt32(o, L), put: (dv, o, v, f) => dv.setInt32(o, i(v, 32, r, f), L) }
          : { get: (dv, o) => dv.getUint32(o, L), put: (dv, o, v, f) => dv.setUint32(o, u(v, 32, r, f), L) };
        case 64: return s ? { get: (dv, o) => dv.getBigInt64(o, L), put: (dv, o, v, f) => set64(dv, o, big(v, 64, true, r, f), L) }
          : { get: (dv, o) => dv.getBigUint64(o, L), put: (dv, o, v, f) => set64(dv, o, big(v, 64, false, r, f), L) };
        default: return { get: (dv, o) => readI128(dv, o, L, s), put: (dv, o, v, f) => writeI128(dv, o, big(v, 128, s, r, f), L) };
      }
    }
    case 'nu': case 'ni': {
      const s = k.base === 'ni';
      return {
        get: (dv, o) => safeNumber(s ? dv.getBigInt64(o, L) : dv.getBigUint64(o, L), r, '(view)', o),
        put: (dv, o, v, f) => { if (s) dv.setBigInt64(o, safe(v, true, r, f), L); else dv.setBigUint64(o, safe(v, false, r, f), L); },
      };
    }
    case 'b': switch (k.bits) {
      case 8: return { get: (dv, o) => dv.getUint8(o) !== 0, put: (dv, o, v, f) => dv.setUint8(o, bool(v, r, f)) };
      case 16: return { get: (dv, o) => dv.getUint16(o, L) !== 0, put: (dv, o, v, f) => dv.setUint16(o, bool(v, r, f), L) };
      case 32: return { get: (dv, o) => dv.getUint32(o, L) !== 0, put: (dv, o, v, f) => dv.setUint32(o, bool(v, r, f), L) };
      default: return { get: (dv, o) => dv.getBigUint64(o, L) !== 0n, put: (dv, o, v, f) => dv.setBigUint64(o, BigInt(bool(v, r, f)), L) };
    }
    case 'f': {
      if (k.fmt === 'f32') return { get: (dv, o) => dv.getFloat32(o, L), put: (dv, o, v, f) => dv.setFloat32(o, num(v, r, f), L) };
      if (k.fmt === 'f64') return { get: (dv, o) => dv.getFloat64(o, L), put: (dv, o, v, f) => dv.setFloat64(o, num(v, r, f), L) };
      const fmt = k.fmt;
      return { get: (dv, o) => readFloat(fmt, dv, o, L), put: (dv, o, v, f) => writeFloat(fmt, dv, o, num(v, r, f), L) };
    }
    case 'cf': {
      const fmt = k.fmt;
      const n = args[0] as number;
      return {
        get: (dv, o): Complex => ({ re: readFloat(fmt, dv, o, L), im: readFloat(fmt, dv, o + n, L) }),
        put: (dv, o, v, f) => {
          const c = obj(v, r, f) as { re?: unknown; im?: unknown };
          const re = num(c.re, r, `${f}.re`);
          const im = num(c.im, r, `${f}.im`);
          writeFloat(fmt, dv, o, re, L);
          writeFloat(fmt, dv, o + n, im, L);
        },
      };
    }
    case 's': {
      const n = args[0] as number;
      return { get: (dv, o) => str(dv, o, n), put: (dv, o, v, f) => writeStr(dv, o, n, v, r, f) };
    }
    case 'l1': {
      const n = args[0] as number;
      return { get: (dv, o) => latin1(dv, o, n), put: (dv, o, v, f) => writeLatin1(dv, o, n, v, r, f) };
    }
    case 'u8a': case 'i8a': {
      const n = args[0] as number;
      return { get: k.base === 'u8a' ? (dv, o) => bytesView(dv, o, n) : (dv, o) => signedBytesView(dv, o, n), put: null };
    }
    case 'r': {
      const C = (args[0] as { readonly $View: new (dv: DataView, o: number) => unknown }).$View;
      return { get: (dv, o) => new C(dv, o), put: null };
    }
    case 'bits': return bitsAccess(args as [number, number, number, number], le, r);
    case 'a': {
      const dims = args[0] as readonly number[];
      const stride = args[1] as number;
      const elem = args[2] as readonly unknown[];
      const e = access(elem[0] as string, elem.slice(1), le, r);
      // from the innermost dimension out: an element of an outer dimension is a view of the next
      let get: Get = e.get;
      let put: Put | null = e.put;
      let size = stride;
      for (let d = dims.length - 1; d >= 1; d--) {
        const n = dims[d]!;
        const inner = get;
        const innerPut = put;
        const s = size;
        const label = `${f0}${'[]'.repeat(d)}`;
        get = (dv, o) => new ArrayView(dv, o, n, s, inner, innerPut, r, label);
        put = null;
        size *= n;
      }
      const n0 = dims[0]!;
      const outer = get;
      const outerPut = put;
      const s0 = size;
      return { get: (dv, o) => new ArrayView(dv, o, n0, s0, outer, outerPut, r, f0), put: null };
    }
    default: throw new Error(`structgen runtime: kind '${kind}' has no accessor`);
  }
}

/** A bit-field: [bytes of its span, shift, width, flags] at the span's first byte; spans of 1, 2, 4 or 8 bytes are
 * read as one integer. Flags: 1 signed, 2 a boolean, 4 a bigint. (Exported for structgen's value interpreter, which
 * reads bit-fields as the views do.) */
export function bitsAccess([bytes, shift, width, flags]: readonly [number, number, number, number], le: boolean, r: string): Access {
  const signed = (flags & 1) !== 0;
  const asBool = (flags & 2) !== 0;
  const asBig = (flags & 4) !== 0;
  if (!asBig && width <= 32 && (bytes === 1 || bytes === 2 || bytes === 4)) {
    const get32 = bytes === 1 ? (dv: DataView, o: number) => dv.getUint8(o) : bytes === 2 ? (dv: DataView, o: number) => dv.getUint16(o, le) : (dv: DataView, o: number) => dv.getUint32(o, le);
    const set32 = bytes === 1 ? (dv: DataView, o: number, x: number) => dv.setUint8(o, x) : bytes === 2 ? (dv: DataView, o: number, x: number) => dv.setUint16(o, x, le) : (dv: DataView, o: number, x: number) => dv.setUint32(o, x, le);
    const mask = width === 32 ? 0xffffffff : 2 ** width - 1;
    const left = 32 - shift - width;
    const right = 32 - width;
    const get: Get = asBool ? (dv, o) => ((get32(dv, o) >>> shift) & mask) !== 0
      : signed ? (dv, o) => (get32(dv, o) << left) >> right
      : width === 32 ? (dv, o) => get32(dv, o) >>> 0 : (dv, o) => (get32(dv, o) >>> shift) & mask;
    const put: Put = (dv, o, v, f) => {
      const x = asBool ? bool(v, r, f) : signed ? i(v, width, r, f) : u(v, width, r, f);
      const w = get32(dv, o);
      set32(dv, o, ((w & ~(mask * 2 ** shift)) | ((x & mask) * 2 ** shift)) >>> 0);
    };
    return { get, put };
  }
  const get: Get = (dv, o) => {
    const x = readBitsBig(dv, o, bytes, shift, width, signed, le);
    return asBool ? x !== 0n : asBig ? x : Number(x);
  };
  const put: Put = (dv, o, v, f) => {
    const x = asBool ? BigInt(bool(v, r, f)) : asBig ? big(v, width, signed, r, f) : BigInt(signed ? i(v, width, r, f) : u(v, width, r, f));
    writeBitsBig(dv, o, bytes, shift, width, x, le);
  };
  return { get, put };
}

/** A member table's notes: C names of renamed members (`n`), members encode may go without (`o`). */
export interface MemberNotes {
  readonly n?: { readonly [prop: string]: string };
  readonly o?: readonly string[];
  /** Pointers a view over a WebAssembly memory follows (section "WebAssembly memory"). */
  readonly p?: PointerNotes;
}

/** The failure path of a writer's checks: the first member of `v` (at any depth) that does not fit, as an
 * EncodeError, found from the member tables. Writers test scalars without `typeof` where arithmetic already rejects
 * what is not a number, so a bigint or a symbol makes the test itself throw: encode then asks here what was wrong. */
export function badFields(codec: object, v: unknown): never {
  const c = codec as { readonly name: string; readonly $m: Members; readonly $x?: MemberNotes };
  const r = c.name;
  checkMembers(c.$m, r, value(v, r), c.$x, '');
  throw new EncodeError(r, '(value)', 'a member changed while it was encoded');
}

function checkMembers(m: Members, r: string, v: unknown, x: MemberNotes | undefined, path: string): void {
  for (const row of m) {
    const prop = row[0] as string;
    const f = `${path}${x?.n?.[prop] ?? prop}`;
    const val = (v as { readonly [k: string]: unknown })[prop];
    if (val === undefined && x?.o?.includes(prop)) continue;
    checkValue(row[1] as string, row.slice(3), val, r, f);
  }
}

function checkValue(kind: string, args: readonly unknown[], v: unknown, r: string, f: string): void {
  switch (kind) {
    case 'r': {
      const c = args[0] as { readonly $m: Members; readonly $x?: MemberNotes };
      checkMembers(c.$m, r, obj(v, r, f), c.$x, `${f}.`);
      return;
    }
    case 'a': {
      const dims = args[0] as readonly number[];
      const elem = args[2] as readonly unknown[];
      const walk = (a: unknown, d: number, label: string): void => {
        const xs = arr(a, dims[d]!, r, label);
        for (let j = 0; j < dims[d]!; j++) {
          if (d + 1 < dims.length) walk(xs[j], d + 1, `${label}[${j}]`);
          else checkValue(elem[0] as string, elem.slice(1), xs[j], r, `${label}[${j}]`);
        }
      };
      walk(v, 0, f);
      return;
    }
    case 'flex': {
      const elem = args[1] as readonly unknown[];
      const bytes = flexBytes(args);
      const fl = flex(v, bytes, r, f);
      if (!bytes) for (let j = 0; j < fl.n; j++) checkValue(elem[0] as string, elem.slice(1), fl.a[j], r, `${f}[${j}]`);
      return;
    }
    default: {
      // a scalar: written into scratch bytes by the view's checked writer, which throws what a writer would
      const scratch = new DataView(new ArrayBuffer(Math.max(32, typeof args[0] === 'number' ? args[0] : 0)));
      if (kind === 'u8a' || kind === 'i8a') writeBytes(scratch, 0, args[0] as number, v, r, f);
      else access(kind, args, true, r).put?.(scratch, 0, v, f);
    }
  }
}

// ---- views and printing -------------------------------------------------------------------------------------------

/** What every view has beside its member accessors. */
export interface ViewMethods<T> {
  readonly $dv: DataView;
  readonly $offset: number;
  /** A plain-object copy of the bytes. */
  $decode(options?: DecodeOptions): T;
  /** JSON-safe: 64-bit integers as decimal strings, bytes as lowercase hex. */
  toJSON(): unknown;
}

/** A view of a record decoded as `T`: its members (and their docs) as settable accessors, but those `O` names,
 * read-only and typed by `O` (views of records and arrays, bytes). */
export type View<T, O = {}> = { -readonly [K in keyof T as K extends keyof O ? never : K]: T[K] }
  & { readonly [K in keyof T as K extends keyof O ? K : never]: O[K & keyof O] } & ViewMethods<T>;

type ViewCtor = new (dv: DataView, o: number) => unknown;

interface ViewBase { readonly $dv: DataView; readonly $offset: number }

/** A record's view class, made from its member table: one accessor per member on the prototype, each a closure over
 * its offset and reader, which V8 inlines as it does hand-written getters. View classes are not subclasses of a
 * shared base: constructing a derived class costs about three times as much in V8, and views are made per record.
 * A view's bytes can go away under it (a buffer detached or resized below the view): every accessor turns what the
 * engine then throws into a DecodeError (getters, `$decode`, `toJSON`) or an EncodeError (setters) naming the record,
 * the member and its offset, with the engine's error as `cause`. The try blocks cost nothing while nothing throws (`lost` says why the getters catch as they do). */
function viewClass<T>(name: string, m: Members, le: boolean, read: (dv: DataView, o: number, s: boolean) => T, x: MemberNotes | undefined): ViewCtor {
  const V = class {
    declare readonly $dv: DataView;
    declare readonly $offset: number;
    constructor(dv: DataView, o: number) {
      this.$dv = dv;
      this.$offset = o;
    }
  };
  Object.defineProperty(V, 'name', { value: `${name}View` });
  const p = V.prototype;
  const byProp = new Map(m.map((spec) => [spec[0] as string, spec]));
  for (const spec of m) {
    const prop = spec[0] as string;
    const f = x?.n?.[prop] ?? prop;
    const off = spec[2] as number;
    let a: Access;
    if (spec[1] === 'flex') a = flexAccess(spec, byProp, le, name, f);
    else a = access(spec[1] as string, spec.slice(3), le, name, f);
    const get = a.get;
    const put = a.put;
    const q: Lost = { get, r: name, f, off };
    Object.defineProperty(p, prop, {
      get: fieldGetter(spec[1] as string, spec.slice(3), le, q) ?? function (this: ViewBase) {
        try {
          return get(this.$dv, this.$offset + off);
        } catch {
          return lost(this, q);
        }
      },
      ...(put ? {
        set(this: ViewBase, v: unknown) {
          try {
            put(this.$dv, this.$offset + off, v, f);
          } catch (e) {
            throw writeFault(e, name, f, this.$offset + off);
          }
        },
      } : {}),
      enumerable: false, configurable: true,
    });
  }
  Object.defineProperty(p, '$decode', {
    value(this: ViewBase, options?: DecodeOptions): T {
      // the options first: a `strict` getter that detaches the buffer cannot pull it from under the read
      const strict = strictOf(options, name);
      try {
        return read(this.$dv, this.$offset, strict);
      } catch (e) {
        throw readFault(e, name, null, this.$offset);
      }
    },
    writable: true, configurable: true,
  });
  Object.defineProperty(p, 'toJSON', {
    value(this: { $decode(): T }): unknown { return toJSON(this.$decode()); }, writable: true, configurable: true,
  });
  Object.defineProperty(p, inspectCustom, {
    value(this: { $decode(): T }, _depth: number, opts: unknown, inspect: Inspect): string { return `${name}View ${inspect(this.$decode(), opts)}`; },
    writable: true, configurable: true,
  });
  return V;
}

/** What a view's read threw, as a DecodeError: structgen's own errors as they are; anything else (the engine's
 * TypeError or RangeError for a buffer detached or resized below the view) with the error as its `cause`. */
function readFault(e: unknown, r: string, f: string | null, o: number): DecodeError {
  if (e instanceof DecodeError) return e;
  return new DecodeError(r, f, o, 0, 0, `${r}${f === null ? '' : `.${f}`} at byte offset ${o}: the view's bytes cannot be read: its buffer was detached (transferred) or resized below the view (${fault(e)})`, { cause: e });
}

/** What a view's write threw, as an EncodeError: structgen's own as it is; anything else (a detached or shrunk buffer,
 * a user's getter that throws) with the error as its `cause`. */
function writeFault(e: unknown, r: string, f: string, o: number): EncodeError {
  if (e instanceof EncodeError) return e;
  return new EncodeError(r, f, `cannot be written through the view at byte offset ${o} (${fault(e)})`, { cause: e });
}

/** A member a view reads, for `lost`. */
interface Lost {
  readonly get: Get;
  readonly r: string;
  readonly f: string;
  readonly off: number;
}

/** A view's read threw (its buffer was detached or resized below it): read again, to catch what the engine throws
 * and throw it as the cause of a DecodeError. Getters catch without binding the error and call this, which keeps them
 * small: V8 inlines only so much code into the function that reads a view, and a catch that binds its error costs as
 * much again as the read. */
function lost(v: ViewBase, q: Lost): unknown {
  const o = v.$offset + q.off;
  try {
    return q.get(v.$dv, o);
  } catch (e) {
    throw readFault(e, q.r, q.f, o);
  }
}

/** A getter of one level for the common kinds: a view reading many members inlines them all (V8 inlines only so
 * much code into one function, and a getter calling a reader counts twice). Each getter is made by a factory of its
 * kind and byte order, so that its offset and the function it calls on a fault are parameters (a `const` of an
 * enclosing scope costs a hole check at each use) and its byte order a literal: about 38 bytes of bytecode, against
 * about 52 with the byte order and `lost` looked up. */
function fieldGetter(kind: string, args: readonly unknown[], le: boolean, q: Lost): ((this: ViewBase) => unknown) | null {
  const k = parseKind(kind, le);
  const key = k.base === 'u' || k.base === 'i' || k.base === 'f' ? `${k.base}${k.bits}${k.bits > 8 ? (k.le ? 'le' : 'be') : ''}` : k.base;
  const again = (v: ViewBase): unknown => lost(v, q);
  if (key === 's') return strGetter(q.off, args[0] as number, again, str);
  const make = GETTERS[key];
  return make === undefined ? null : make(q.off, again);
}

type Again = (v: ViewBase) => unknown;
type GetterOf = (off: number, again: Again) => (this: ViewBase) => unknown;

function strGetter(off: number, n: number, again: Again, s: typeof str): (this: ViewBase) => unknown {
  return function () { try { return s(this.$dv, this.$offset + off, n); } catch { return again(this); } };
}

const GETTERS: { readonly [k: string]: GetterOf | undefined } = {
  u8: (off, again) => function () { try { return this.$dv.getUint8(this.$offset + off); } catch { return again(this); } },
  i8: (off, again) => function () { try { return this.$dv.getInt8(this.$offset + off); } catch { return again(this); } },
  u16le: (off, again) => function () { try { return this.$dv.getUint16(this.$offset + off, true); } catch { return again(this); } },
  u16be: (off, again) => function () { try { return this.$dv.getUint16(this.$offset + off); } catch { return again(this); } },
  i16le: (off, again) => function () { try { return this.$dv.getInt16(this.$offset + off, true); } catch { return again(this); } },
  i16be: (off, again) => function () { try { return this.$dv.getInt16(this.$offset + off); } catch { return again(this); } },
  u32le: (off, again) => function () { try { return this.$dv.getUint32(this.$offset + off, true); } catch { return again(this); } },
  u32be: (off, again) => function () { try { return this.$dv.getUint32(this.$offset + off); } catch { return again(this); } },
  i32le: (off, again) => function () { try { return this.$dv.getInt32(this.$offset + off, true); } catch { return again(this); } },
  i32be: (off, again) => function () { try { return this.$dv.getInt32(this.$offset + off); } catch { return again(this); } },
  u64le: (off, again) => function () { try { return this.$dv.getBigUint64(this.$offset + off, true); } catch { return again(this); } },
  u64be: (off, again) => function () { try { return this.$dv.getBigUint64(this.$offset + off); } catch { return again(this); } },
  i64le: (off, again) => function () { try { return this.$dv.getBigInt64(this.$offset + off, true); } catch { return again(this); } },
  i64be: (off, again) => function () { try { return this.$dv.getBigInt64(this.$offset + off); } catch { return again(this); } },
  f32le: (off, again) => function () { try { return this.$dv.getFloat32(this.$offset + off, true); } catch { return again(this); } },
  f32be: (off, again) => function () { try { return this.$dv.getFloat32(this.$offset + off); } catch { return again(this); } },
  f64le: (off, again) => function () { try { return this.$dv.getFloat64(this.$offset + off, true); } catch { return again(this); } },
  f64be: (off, again) => function () { try { return this.$dv.getFloat64(this.$offset + off); } catch { return again(this); } },
};

/** A flexible array member through a view: the elements that fit, or as many as its count member says. */
function flexAccess(spec: readonly unknown[], byProp: ReadonlyMap<string, readonly unknown[]>, le: boolean, r: string, f: string): Access {
  const off = spec[2] as number;
  const stride = spec[3] as number;
  const elem = spec[4] as readonly unknown[];
  const by = spec[5] as string | null;
  const e = access(elem[0] as string, elem.slice(1), le, r);
  const bytes = flexBytes(spec.slice(3));
  let n: (dv: DataView, o: number) => number;
  if (by === null) n = (dv, o) => fitting(dv, o, stride);
  else {
    const c = byProp.get(by)!;
    const cg = access(c[1] as string, c.slice(3), le, r).get as Get<number | bigint>;
    const delta = (c[2] as number) - off;
    n = (dv, o) => counted(dv, o, cg(dv, o + delta), stride, r, f, by);
  }
  if (bytes) return { get: elem[0] === 'u8' ? (dv, o) => bytesView(dv, o, n(dv, o)) : (dv, o) => signedBytesView(dv, o, n(dv, o)), put: null };
  return { get: (dv, o) => new ArrayView(dv, o, n(dv, o), stride, e.get, e.put, r, f), put: null };
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

/** An enum's name lookup: the enumerator's name for a value (the first that has it), or undefined. */
export type EnumName<E> = (v: number | bigint) => keyof E | undefined;

export function enumNames<E extends { readonly [k: string]: number | bigint }>(e: E): EnumName<E> {
  const m = new Map<number | bigint, keyof E>();
  for (const k of Object.keys(e)) if (!m.has(e[k]!)) m.set(e[k]!, k);
  return (v) => m.get(v);
}

/** The values of an enum, for strict decoding (`R$values`). */
export function enumValues(e: { readonly [k: string]: number | bigint }): ReadonlySet<number | bigint> {
  return new Set<number | bigint>(Object.keys(e).map((k) => e[k]!));
}

// ---- codecs -------------------------------------------------------------------------------------------------------

/** The API of a generated record: `R.decode`, `R.view`, `R.encode`, ... (`T` decoded, `L` the layout, `I` what
 * encode accepts, `V` the view, `M` the view over a WebAssembly memory). */
export interface Codec<T, L extends RecordLayoutFacts, I = T, V = View<T>, M = MemoryViewOf<V, T>> extends TailCodec<T, L, I, V, M> {
  /** Consecutive records from `byteOffset`: `count` of them, or as many as fit. */
  decodeMany(src: Source, byteOffset?: Offset, count?: Offset, options?: DecodeOptions): T[];
  /** Zero-copy views of consecutive records from `byteOffset`: `count` of them, or as many as fit. */
  viewMany(src: Source, byteOffset?: Offset, count?: Offset): ArrayView<V, I>;
}

/** A record ending in an uncounted flexible array: consecutive ones cannot be told apart (no `decodeMany`). */
export interface TailCodec<T, L extends RecordLayoutFacts, I = T, V = View<T>, M = MemoryViewOf<V, T>> {
  readonly name: L['name'];
  readonly size: L['size'];
  readonly align: L['align'];
  /** An eager, plain-object copy of the record at `byteOffset`. */
  decode(src: Source, byteOffset?: Offset, options?: DecodeOptions): T;
  /** A zero-copy view of the record at `byteOffset` (pointers are addresses). */
  view(src: Source, byteOffset?: Offset): V;
  /** A view of the record at `address` of a WebAssembly.Memory, that follows pointers (see "WebAssembly memory"). */
  view(src: WasmMemory, address?: Offset): M;
  /** Writes the record (and its flexible array's elements) into `dst`, padding zeroed, or into new bytes. */
  encode(value: I, dst?: Uint8Array, byteOffset?: Offset): Uint8Array;
  /** The bytes `encode` writes for `value`: the record's size, or up to the end of its flexible array's elements. */
  sizeOf(value: I): number;
  /** A JSON-safe copy of a decoded value (64-bit integers as decimal strings, bytes as lowercase hex). */
  toJSON(value: T): unknown;
  /** @internal The straight-line reader and writer, for records that nest this one in other modules. */
  readonly $read: (dv: DataView, o: number, s: boolean) => T;
  /** @internal */
  readonly $write: (dv: DataView, o: number, v: I, z: boolean) => void;
  /** @internal The view class. */
  readonly $View: new (dv: DataView, o: number) => V;
  /** @internal The member table. */
  readonly $m: Members;
}

/** A record's codec, from its layout, its reader and writer and its member table; `le`: the target's byte order;
 * `x`: what the member table leaves out. */
export function codec<T, L extends RecordLayoutFacts, I, V, M>(L: L, read: (dv: DataView, o: number, s: boolean) => T,
  write: (dv: DataView, o: number, v: I, z: boolean, fl: Flex) => void, m: Members, le: boolean, x?: MemberNotes): Codec<T, L, I, V, M> {
  const name = L.name;
  const size = L.size;
  const View = viewClass(name, m, le, read, x) as new (dv: DataView, o: number) => V;
  const fs = m.find((row) => row[1] === 'flex');
  const c: { [k: string]: unknown } = {
    name, size, align: L.align,
    // no try/catch in decode and view: it makes V8's optimised readers and views measurably slower, and nothing in
    // them throws but DecodeErrors (`src` reads nothing that could)
    decode(s: Source, byteOffset: Offset = 0, options?: DecodeOptions): T {
      // the options before the source: a `strict` getter that detaches or shrinks the buffer cannot pull it from
      // under the read `src` checked
      const strict = options === undefined ? false : strictOf(options, name);
      return read(src(s, byteOffset, size, L), Number(byteOffset), strict);
    },
    view(s: Source | WasmMemory, byteOffset: Offset = 0): V | M {
      // a WebAssembly memory: the view follows pointers (section "WebAssembly memory" at the end)
      // (the source of the last call is never one: that test first keeps the common case as fast as before)
      if (s !== lastSrc && memorySource(s, name)) return memoryView(c, s as WasmMemory, byteOffset) as M;
      return new View(src(s as Source, byteOffset, size, L), Number(byteOffset));
    },
    // apart from the flexible array's case, and small: more code here and V8 stops inlining the writer into it
    encode(v: I, d?: Uint8Array, byteOffset: Offset = 0): Uint8Array {
      try {
        if (anyKept) return encodeKept(v, d, byteOffset, size, NO_FLEX, L, m, write);
        const dv = dst(v, d, byteOffset, size, L);
        write(dv, d === undefined ? 0 : Number(byteOffset), v, d !== undefined, NO_FLEX);
        return out(dv, d);
      } catch (e) {
        throw encodeFault(e, name, v, m, x);
      }
    },
    sizeOf(v: I): number {
      try {
        return Math.max(size, fs ? (fs[2] as number) + snapshot(v).n * (fs[3] as number) : (value(v, name), 0));
      } catch (e) {
        throw encodeFault(e, name, v, m, x);
      }
    },
    toJSON,
  };
  /** The members that start with `$`: what generated modules call on each other's codecs, not public API. They are
   * non-enumerable, so that `Object.keys`, printing and spreading a codec show its public API alone. */
  const internals = (c: { [k: string]: unknown }): Codec<T, L, I, V, M> => {
    const own = { $read: read, $write: write, $View: View, $m: m, $L: L, $x: x, $le: le };
    for (const k of Object.keys(own) as Array<keyof typeof own>) Object.defineProperty(c, k, { value: own[k], enumerable: false, writable: true, configurable: true });
    return c as unknown as Codec<T, L, I, V, M>;
  };
  /** A flexible array member's elements, read once (`flex`). */
  const snapshot = (v: I): Flex => {
    const prop = fs![0] as string;
    return flex((value(v, name) as { readonly [k: string]: unknown })[prop], flexBytes(fs!.slice(3)), name, x?.n?.[prop] ?? prop);
  };
  /** Where `n` consecutive records start from `o` (as many as fit when `n` is undefined): every `size` bytes, or,
   * when a member counts the flexible array, each as long as its count says. */
  let starts = (dv: DataView, o: number, n: Offset | undefined): number[] | number => many(dv, o, n, size, L);
  if (fs) {
    const foff = fs[2] as number;
    const stride = fs[3] as number;
    c['encode'] = (v: I, d?: Uint8Array, byteOffset: Offset = 0): Uint8Array => {
      try {
        const fl = snapshot(v);
        if (anyKept) return encodeKept(v, d, byteOffset, Math.max(size, foff + fl.n * stride), fl, L, m, write);
        const dv = dst(v, d, byteOffset, Math.max(size, foff + fl.n * stride), L);
        write(dv, d === undefined ? 0 : Number(byteOffset), v, d !== undefined, fl);
        return out(dv, d);
      } catch (e) {
        throw encodeFault(e, name, v, m, x);
      }
    };
    const by = fs[5] as string | null;
    // records of an uncounted flexible array cannot be told apart: no decodeMany, no viewMany
    if (by === null) return internals(c);
    const fname = x?.n?.[fs[0] as string] ?? fs[0] as string;
    const cs = m.find((row) => row[0] === by)!;
    const cg = access(cs[1] as string, cs.slice(3), le, name).get as Get<number | bigint>;
    const coff = cs[2] as number;
    starts = (dv, o, n) => {
      const len = lengthOf(dv, name);
      const k = n === undefined ? Infinity : count(n, name, 'count');
      const at: number[] = [];
      for (let p = o; at.length < k;) {
        if (n === undefined && p + size > len) break;
        const e = p + size <= len ? Math.max(size, foff + countValue(cg(dv, p + coff), name, fname, by, p + foff) * stride) : size;
        if (p + e > len) {
          if (n === undefined) break;
          throw new DecodeError(name, null, p, e, Math.max(0, len - p), `${name} at byte offset ${p} (record ${at.length} of ${k}) needs ${e} bytes, only ${Math.max(0, len - p)} available`);
        }
        at.push(p);
        p += e;
      }
      return at;
    };
  }
  c['decodeMany'] = (s: Source, byteOffset: Offset = 0, n?: Offset, options?: DecodeOptions): T[] => {
    const strict = strictOf(options, name);
    const dv = src(s, byteOffset, 0, L);
    const o = Number(byteOffset);
    const at = starts(dv, o, n);
    return typeof at === 'number' ? readArray(dv, o, at, size, read, strict) : at.map((p) => read(dv, p, strict));
  };
  c['viewMany'] = (s: Source, byteOffset: Offset = 0, n?: Offset): ArrayView<V, never> => {
    const dv = src(s, byteOffset, 0, L);
    const o = Number(byteOffset);
    const at = starts(dv, o, n);
    return new ArrayView<V, never>(dv, o, typeof at === 'number' ? at : at.length, size, (d, p) => new View(d, p), null, name, '[]', typeof at === 'number' ? null : at);
  };
  return internals(c);
}

// ---- layout assertions (types only, no run-time cost) ------------------------------------------------------------
// Each module states every record's layout as literal constants and checks them with `true satisfies
// LayoutChecks<[typeof R$layout, ...]>`: tsc rejects a hand-edited or corrupted file in which a member ends past the
// record, overlaps the member before it, or sits at an offset that is not the multiple of its alignment the file
// itself states, and names the record and member. Numbers are decimal strings compared from the most significant
// digit in one pass; only the alignment multiplies (doubling: a table look-up per digit). Members are checked by
// mapped types over the fields (each member with the end of the one before), not by recursion over the tuple: half
// of tsc's time on these asserts went to slicing tuples and checking each slice against `LayoutField[]`.

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
/** The digits from each digit up. */
type Up = { '0': Digit; '1': Exclude<Up['0'], '0'>; '2': Exclude<Up['1'], '1'>; '3': Exclude<Up['2'], '2'>; '4': Exclude<Up['3'], '3'>;
  '5': Exclude<Up['4'], '4'>; '6': Exclude<Up['5'], '5'>; '7': Exclude<Up['6'], '6'>; '8': '8' | '9'; '9': '9' };
/** A <= B, one pass from the most significant digit: the shorter number is the smaller; between equal lengths the
 * first differing digit (`D`) decides. */
type LE<A extends string, B extends string, D extends boolean | 0 = 0> =
  A extends `${infer X extends Digit}${infer AR}`
    ? (B extends `${infer Y extends Digit}${infer BR}` ? LE<AR, BR, D extends 0 ? (X extends Y ? 0 : Y extends Up[X] ? true : false) : D> : false)
    : B extends '' ? (D extends 0 ? true : D) : true;
/** 8 * an alignment, as a power of two: its exponent's digits '0'. */
type Log2 = { 1: '000'; 2: '0000'; 4: '00000'; 8: '000000'; 16: '0000000'; 32: '00000000'; 64: '000000000'; 128: '0000000000'; 256: '00000000000'; 512: '000000000000'; 1024: '0000000000000'; 2048: '00000000000000'; 4096: '000000000000000'; 8192: '0000000000000000' };
/** 2d mod 10 and 2d + 1 mod 10, by digit. */
type Twice = { '0': ['0', '1']; '1': ['2', '3']; '2': ['4', '5']; '3': ['6', '7']; '4': ['8', '9']; '5': ['0', '1']; '6': ['2', '3']; '7': ['4', '5']; '8': ['6', '7']; '9': ['8', '9'] };
type Big = `${Up['5']}${string}`;
/** X * 2, from the most significant digit: a digit's carry comes from the next digit alone (from 5 up). */
type Dbl<X extends string> = X extends Big ? `1${DblD<X>}` : DblD<X>;
type DblD<X extends string> = X extends `${infer D extends Digit}${infer R}` ? `${Twice[D][R extends Big ? 1 : 0]}${DblD<R>}` : '';
/** X * 2^N (N as many characters). */
type Shl<X extends string, N extends string> = N extends `${string}${infer R}` ? Shl<Dbl<X>, R> : X;

// In a struct, members must not overlap the one before and the last must end inside the record; in a union
// every member must end inside it. `C` is how messages name the record; `Bits` its size in bits; `U` whether it is
// a union; `Prev` where the member before ends ('0' for the first, and for every member of a union).
type FieldError<C extends string, Bits extends string, U extends boolean, F extends LayoutField, Prev extends string | number, Last extends boolean> =
  (U extends true ? true : Last) extends true
    ? (LE<`${F[2]}`, Bits> extends false ? `${C}: member '${F[0]}' (bits ${F[1]} to ${F[2]}) ends past the record's ${Bits} bits` : StructError<C, U, F, Prev>)
    : StructError<C, U, F, Prev>;
type StructError<C extends string, U extends boolean, F extends LayoutField, Prev extends string | number> =
  U extends false ? (LE<`${Prev}`, `${F[1]}`> extends false ? `${C}: member '${F[0]}' at bit ${F[1]} overlaps the member before it` : AlignError<C, F>)
  : AlignError<C, F>;
type AlignError<C extends string, F extends LayoutField> =
  F extends readonly [string, infer S extends number, number, infer A extends number, infer Q extends number]
    ? A extends keyof Log2 ? (Shl<`${Q}`, Log2[A]> extends `${S}` ? never : `${C}: member '${F[0]}' at bit ${F[1]} is not aligned to ${A} bytes`)
      : `${C}: member '${F[0]}' has an alignment that is not a power of two`
    : never;
/** Where each member ends, shifted by one: at index i, where member i - 1 ends. */
type Ends<Fs extends readonly LayoutField[]> = [0, ...{ [I in keyof Fs]: Fs[I][2] }];
type Last<Fs extends readonly unknown[]> = Fs extends readonly [...unknown[], infer L] ? L : never;
/** The messages of a record's members (never: none). */
type FieldErrors<C extends string, Bits extends string, U extends boolean, Fs extends readonly LayoutField[], E extends readonly unknown[] = Ends<Fs>, L = Last<Fs>> =
  { [I in keyof Fs]: FieldError<C, Bits, U, Fs[I], U extends true ? 0 : E[I & keyof E] & (string | number), Fs[I] extends L ? true : false> }[number];
/** `true` when every layout is consistent; otherwise the messages. */
export type LayoutChecks<Ls extends readonly RecordLayoutFacts[]> = Errors<{ [I in keyof Ls]: LayoutCheck<Ls[I]> }[number]>;
type Errors<M> = [Exclude<M, true>] extends [never] ? true : Exclude<M, true>;

/** `true` for a consistent layout; otherwise a message naming the record and the member. */
export type LayoutCheck<R extends RecordLayoutFacts> =
  Errors<FieldErrors<R extends { readonly c: infer C extends string } ? C : R['name'], Shl<`${R['size']}`, '000'>, R extends { readonly union: true } ? true : false, R['fields']>>;
// `<module>.asserts.ts` names a module's records: `LayoutChecksOf<typeof m, ["a", "b"]>`, a fifth of the text of
// `LayoutChecks<[typeof m.a$layout, ...]>` and as fast for tsc: each layout is found as the property it is, never
// through `keyof M` (a union of every export's name: thousands in a module of many constants).
/** LayoutChecks of the layouts module `M` exports as `<name>$layout`, by name. */
export type LayoutChecksOf<M, Ns extends readonly string[]> = Errors<{ [I in keyof Ns]: LayoutOf<M, `${Ns[I] & string}$layout`> }[number]>;
type LayoutOf<M, K extends string> = M extends { readonly [P in K]: infer L extends RecordLayoutFacts } ? LayoutCheck<L> : `${K} is not a layout`;

// ==== WebAssembly memory (issue 22) =================================================================================
// `R.view(memory, address)` over a WebAssembly.Memory: a view that follows pointers. Everything of it is in this
// section; the codec's `view` only hands a memory here. A view over a memory holds the memory's state (one per
// memory: its buffer of the moment and a DataView of it), its byte offset and its address (a number, or a bigint
// when it was given one or reached through a 64-bit pointer). `memory.grow` detaches the buffer: every read first
// asks the buffer for its length (0 once detached) and re-derives the DataView then, so views made before a growth
// keep working. Memories never shrink, so an address checked once stays inside. A pointer member's getter returns a
// view of its pointee (`null` for 0), a `char *` a string up to its NUL (bounded by the end of the memory), a
// counted pointer (`__counted_by`, config `countedBy`) a MemoryArray; `void *`, function pointers and pointers to
// records no module holds stay addresses. Arrays and bytes inside a record read through a memory view are views of
// the buffer of that moment: read the member again after the memory grows. `$decodeGraph` copies the records a view
// reaches, visiting each address once (cycles become shared objects), with no recursion, up to a record limit.

/** A WebAssembly.Memory, as far as views need it (declared here: the runtime needs no lib but ES2020). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(delta: number): number;
}

const WASM = (globalThis as { WebAssembly?: { Memory?: new (...a: never[]) => WasmMemory } }).WebAssembly;
/** The WebAssembly.Memory class (a class nothing is an instance of where there is no WebAssembly). */
const MemoryClass: new (...a: never[]) => WasmMemory = WASM?.Memory ?? (class {} as unknown as new (...a: never[]) => WasmMemory);

/** Whether `view`'s source is a WebAssembly memory; a Proxy whose getPrototypeOf trap throws is a DecodeError with
 * the user's error as cause (apart from `view`, which stays small and has no try block). */
function memorySource(s: unknown, record: string): boolean {
  try {
    return s instanceof MemoryClass;
  } catch (e) {
    throw new DecodeError(record, null, 0, 0, 0, `${record}: the source cannot be read (${fault(e)})`, { cause: e });
  }
}

/** Whether a view's source is a WebAssembly memory. */
export function isMemory(s: unknown): s is WasmMemory {
  return s instanceof MemoryClass;
}

/** An address in a WebAssembly memory: a number, or a bigint (wasm64's 64-bit pointers, or given as one). */
export type Address = number | bigint;

/** The pointers a memory view follows: `[pointee, stride, counting member]`. */
// a pointee is a thunk returning the record's codec, `"text"`, a scalar's kind, or `["p", pointee]` (a pointer to a
// pointer; `["p", null]`: to an address)
export interface PointerNotes {
  readonly [prop: string]: readonly [Pointee, number] | readonly [Pointee, number, string];
}
type Pointee = (() => object) | string | readonly ['p', Pointee | null];

/** Options of `$decodeGraph`. */
export interface GraphOptions extends DecodeOptions {
  /** The most records one decode copies (default 100000): a DecodeError beyond it, naming the pointer reached. */
  readonly maxRecords?: number;
}

/** What a view over a WebAssembly memory has beside its members; `G`: what `$decodeGraph` returns. */
export interface MemoryViewMethods<G> {
  /** Where the record is in the memory. */
  readonly $address: Address;
  readonly $memory: WasmMemory;
  /** A plain-object copy of everything the record reaches through its pointers (cycles kept as cycles). */
  $decodeGraph(options?: GraphOptions): G;
}

/** The memory view of a record whose view follows no pointer: its plain view `V` and the memory members. */
export type MemoryViewOf<V, T> = V & MemoryViewMethods<T>;

/** The views' code below, where the runtime has it: `structgen generate` writes it into the runtime of modules made
 * for a WebAssembly target (wasm32, wasm64), the only targets whose layouts are those of a WebAssembly memory. */
let memoryViews: ((codec: object, memory: WasmMemory, address: Offset) => unknown) | null = null;

/** `R.view(memory, address)`. */
export function memoryView(codec: object, memory: WasmMemory, address: Offset): unknown {
  if (memoryViews !== null) return memoryViews(codec, memory, address);
  const r = (codec as { readonly name: string }).name;
  throw new DecodeError(r, null, 0, 0, 0, `${r}: views over a WebAssembly.Memory come with modules generated for a WebAssembly target (--target wasm32 or wasm64), whose layouts are the memory's; these were generated for another target`);
}

// ==== WebAssembly memory: the views' code (only in runtimes for WebAssembly targets, from here to the end) =========

/** One memory's buffer of the moment. */
class MemState {
  readonly memory: WasmMemory;
  b: ArrayBuffer | SharedArrayBuffer;
  dv: DataView;
  /** Bytes of `b`, made when a string is first read from it. */
  private bytes: Uint8Array | null = null;
  constructor(memory: WasmMemory) {
    this.memory = memory;
    this.b = memory.buffer;
    this.dv = new DataView(this.b);
  }
  /** The DataView of the memory's current buffer (after a growth: a new one). */
  refresh(): DataView {
    const b = this.memory.buffer;
    if (b !== this.b) {
      this.b = b;
      this.dv = new DataView(b);
      this.bytes = null;
    }
    return this.dv;
  }
  get u8(): Uint8Array {
    return this.bytes ?? (this.bytes = new Uint8Array(this.b));
  }
  /** The memory's length in bytes now. */
  length(): number {
    return this.b.byteLength !== 0 ? this.b.byteLength : this.refresh().byteLength;
  }
}

const STATES = new WeakMap<WasmMemory, MemState>();
function stateOf(memory: WasmMemory): MemState {
  let m = STATES.get(memory);
  if (!m) { m = new MemState(memory); STATES.set(memory, m); }
  return m;
}

/** The current DataView of a memory: a detached buffer reports length 0 (also a memory of 0 pages, then re-derived
 * each time, which is still right). */
function dvOf(m: MemState): DataView {
  return m.b.byteLength !== 0 ? m.dv : m.refresh();
}

const hexAddress = (a: Address): string => `0x${a.toString(16)}`;

/** An address as a byte offset: a DecodeError naming `r.f` for one beyond 2^53. */
const MAX_ADDRESS = BigInt(Number.MAX_SAFE_INTEGER);
function addressOffset(a: Address, r: string, f: string | null): number {
  if (typeof a === 'number' ? Number.isSafeInteger(a) && a >= 0 : typeof a === 'bigint' && a >= 0n && a <= MAX_ADDRESS) return Number(a);
  throw new DecodeError(r, f, -1, 0, 0, `${f === null ? r : `${r}.${f}`}: invalid address ${describe(a)} (expected a whole number from 0 to 2^53 - 1, or a bigint in that range)`);
}

/** Checks that `size` bytes at `o` are inside the memory (re-deriving the buffer first when they are not). */
function inMemory(m: MemState, o: number, size: number, a: Address, r: string, f: string | null, what: string): void {
  if (o + size <= m.b.byteLength) return;
  const len = m.refresh().byteLength;
  if (o + size <= len) return;
  const who = f === null ? r : `${r}.${f}`;
  throw new DecodeError(r, f, o, size, Math.max(0, len - o), `${who}: ${what} at address ${hexAddress(a)} needs ${size} bytes, the memory has ${len} (${Math.max(0, len - o)} from there)`);
}

interface MemCodec {
  readonly name: string;
  readonly size: number;
  readonly $View: new (dv: DataView, o: number) => unknown;
  readonly $m: Members;
  readonly $x?: MemberNotes & { readonly p?: PointerNotes };
  readonly $le: boolean;
  readonly $L: RecordLayoutFacts;
  readonly $read: (dv: DataView, o: number, s: boolean) => unknown;
  $MV?: MemViewCtor;
}

type MemViewCtor = new (m: MemState, o: number, a: Address) => MemViewBase;
interface MemViewBase { readonly $m: MemState; readonly $offset: number; readonly $address: Address; readonly $dv: DataView }

/** A view of `c`'s record at address `a` of memory `m`, the record checked to be inside it. */
function memView(c: MemCodec, m: MemState, a: Address, r: string, f: string | null): unknown {
  const o = addressOffset(a, r, f);
  inMemory(m, o, c.size, a, r, f, `${c.name}`);
  return new (c.$MV ?? memClass(c))(m, o, a);
}

memoryViews = (codec, memory, address) => {
  const c = codec as MemCodec;
  return memView(c, stateOf(memory), address, c.name, null);
};


const addressPlus = (a: Address, k: number): Address => (typeof a === 'bigint' ? a + BigInt(k) : a + k);

/** A record's view class over a memory: the plain view's accessors (they read `this.$dv`, here the memory's current
 * DataView), nested records as memory views, and pointers followed. Made once per record, when first used. */
function memClass(c: MemCodec): MemViewCtor {
  const name = c.name;
  const V = class {
    declare readonly $m: MemState;
    declare readonly $offset: number;
    declare readonly $address: Address;
    constructor(m: MemState, o: number, a: Address) {
      this.$m = m;
      this.$offset = o;
      this.$address = a;
    }
  };
  Object.defineProperty(V, 'name', { value: `${name}MemoryView` });
  const p = V.prototype;
  const P = c.$View.prototype as object;
  for (const key of Reflect.ownKeys(P)) if (key !== 'constructor') Object.defineProperty(p, key, Object.getOwnPropertyDescriptor(P, key)!);
  Object.defineProperty(p, '$dv', { get(this: MemViewBase): DataView { return dvOf(this.$m); }, configurable: true });
  Object.defineProperty(p, '$memory', { get(this: MemViewBase): WasmMemory { return this.$m.memory; }, configurable: true });
  const x = c.$x;
  const le = c.$le;
  const byProp = new Map(c.$m.map((row) => [row[0] as string, row]));
  for (const row of c.$m) {
    const prop = row[0] as string;
    const f = x?.n?.[prop] ?? prop;
    const off = row[2] as number;
    const note = x?.p?.[prop];
    if (row[1] === 'r') {
      const inner = row[3] as MemCodec;
      Object.defineProperty(p, prop, {
        get(this: MemViewBase) { return new (inner.$MV ?? memClass(inner))(this.$m, this.$offset + off, addressPlus(this.$address, off)); },
        enumerable: false, configurable: true,
      });
    } else if (note) {
      const a = access(row[1] as string, row.slice(3), le, name);
      const getAddr = a.get as Get<Address>;
      const putAddr = a.put!;
      const wide = row[1] === 'u64' || row[1] === 'i64';
      let get: (this: MemViewBase) => unknown;
      if (note.length === 3) {
        const countRow = byProp.get(note[2])!;
        const cget = access(countRow[1] as string, countRow.slice(3), le, name).get as Get<number | bigint>;
        const coff = countRow[2] as number;
        const cname = x?.n?.[note[2]] ?? note[2];
        const e = elementOf(note[0], note[1], le, name, f);
        get = function () {
          const dv = dvOf(this.$m);
          const at = getAddr(dv, this.$offset + off);
          const n = cget(dv, this.$offset + coff);
          return at == 0 ? null : counted$(this.$m, at, n, e, name, f, cname);
        };
      } else if (typeof note[0] === 'function' && (row[1] === 'u32' || row[1] === 'u64')) {
        get = recordPointer(note[0] as () => object, off, row[1] === 'u64', le, name, f);
      } else {
        const follow = followOf(note[0], note[1], le, name, f);
        get = function () {
          const at = getAddr(dvOf(this.$m), this.$offset + off);
          return at == 0 ? null : follow(this.$m, at);
        };
      }
      Object.defineProperty(p, prop, {
        get,
        set(this: MemViewBase, v: unknown) { putAddr(dvOf(this.$m), this.$offset + off, addressOf(v, this.$m, wide, name, f), f); },
        enumerable: false, configurable: true,
      });
    }
  }
  Object.defineProperty(p, '$decodeGraph', {
    value(this: MemViewBase, options?: GraphOptions): unknown { return decodeGraph(c, this.$m, this.$address, options); },
    writable: true, configurable: true,
  });
  // internal, as every codec member starting with `$`: not enumerable (see `internals` in `codec`)
  Object.defineProperty(c, '$MV', { value: V as unknown as MemViewCtor, enumerable: false, writable: true, configurable: true });
  return c.$MV!;
}

/** The getter of a pointer to a record (the common case: lists, trees), in one piece, so that V8 inlines a walk
 * `n = n.next` into the caller as it does hand-written DataView code. */
function recordPointer(to: () => object, off: number, wide: boolean, le: boolean, r: string, f: string): (this: MemViewBase) => unknown {
  let C: MemViewCtor | null = null;
  let size = 0;
  const slow = (m: MemState, at: Address): unknown => {
    const c = to() as MemCodec;
    size = c.size;
    C = c.$MV ?? memClass(c);
    return memView(c, m, at, r, f);
  };
  if (wide) {
    return function (this: MemViewBase) {
      const m = this.$m;
      const dv = m.b.byteLength !== 0 ? m.dv : m.refresh();
      const at = dv.getBigUint64(this.$offset + off, le);
      if (at === 0n) return null;
      const o = Number(at);
      return C !== null && o + size <= dv.byteLength && o <= Number.MAX_SAFE_INTEGER ? new C(m, o, at) : slow(m, at);
    };
  }
  return function (this: MemViewBase) {
    const m = this.$m;
    const dv = m.b.byteLength !== 0 ? m.dv : m.refresh();
    const at = dv.getUint32(this.$offset + off, le);
    if (at === 0) return null;
    return C !== null && at + size <= dv.byteLength ? new C(m, at, at) : slow(m, at);
  };
}

/** What assigning `v` to a pointer member stores: a view's or array's address (of the same memory), 0 for null, or
 * the address given. */
function addressOf(v: unknown, m: MemState, wide: boolean, r: string, f: string): unknown {
  let a: unknown = v;
  if (v === null) a = 0;
  else if (typeof v === 'object' && v !== null && '$address' in v) {
    const w = v as { readonly $m?: MemState; readonly $address: Address };
    if (w.$m === undefined || w.$m.memory !== m.memory) throw new EncodeError(r, f, 'a pointer can be set to a view of the same WebAssembly memory (or an address, or null)');
    a = w.$address;
  } else if (typeof v === 'string') {
    throw new EncodeError(r, f, 'a string must be in the module\'s memory: allocate it there and assign its address');
  }
  if (wide && typeof a === 'number' && Number.isSafeInteger(a)) return BigInt(a);
  if (!wide && typeof a === 'bigint' && a >= 0n && a <= 0xffffffffn) return Number(a);
  return a;
}

/** The bytes a scalar pointee's kind reads (`i32`, `u64be`, `b8`, `f64`, `cf32`). */
function scalarBytes(kind: string, le: boolean): number {
  const k = parseKind(kind, le);
  return k.base === 'f' ? FLOAT_BYTES[k.fmt]! : k.base === 'cf' ? 2 * FLOAT_BYTES[k.fmt]! : k.bits / 8;
}

/** How an uncounted pointer's pointee is read, given its nonzero address: a record's view, a string, or an array
 * view of one element (a scalar, or a pointer). */
function followOf(to: Pointee, stride: number, le: boolean, r: string, f: string): (m: MemState, a: Address) => unknown {
  if (typeof to === 'function') return (m, a) => memView(to() as MemCodec, m, a, r, f);
  if (to === 'text') return (m, a) => cString(m, a, r, f);
  const e = elementOf(to, stride, le, r, f);
  return (m, a) => counted$(m, a, 1, e, r, f, null);
}

/** An element of a counted pointer's array. */
interface Elem {
  readonly stride: number;
  readonly get: (m: MemState, o: number, a: Address) => unknown;
  readonly put: ((m: MemState, o: number, v: unknown, f: string) => void) | null;
  /** Text: the array is one string of up to `count` bytes. */
  readonly text: boolean;
}

function elementOf(to: Pointee, stride: number, le: boolean, r: string, f: string): Elem {
  if (typeof to === 'function') return { stride, get: (m, _o, a) => new ((to() as MemCodec).$MV ?? memClass(to() as MemCodec))(m, _o, a), put: null, text: false };
  if (to === 'text') return { stride: 1, get: () => null, put: null, text: true };
  if (typeof to === 'string') {
    const a = access(to, [], le, r);
    const put = a.put;
    return { stride, get: (m, o) => a.get(dvOf(m), o), put: put && ((m, o, v, ff) => put(dvOf(m), o, v, ff)), text: false };
  }
  // a pointer: `stride` is its size
  const inner = to[1];
  const wide = stride === 8;
  const kind = wide ? 'u64' : 'u32';
  const a = access(kind, [], le, r);
  // what the inner pointer points to, one element of it: a pointer of this same size (wasm64: 8, not 4), or a scalar
  // of the bytes its kind reads (so that one past the end of the memory is a DecodeError)
  const follow = inner === null ? null
    : followOf(inner, Array.isArray(inner) ? stride : typeof inner === 'string' && inner !== 'text' ? scalarBytes(inner, le) : 0, le, r, f);
  return {
    stride,
    get: (m, o) => { const at = a.get(dvOf(m), o) as Address; return inner === null ? at : at == 0 ? null : follow!(m, at); },
    put: (m, o, v, ff) => a.put!(dvOf(m), o, addressOf(v, m, wide, r, ff), ff),
    text: false,
  };
}

/** `n` elements at address `a`: checked to be inside the memory; text is one string. */
function counted$(m: MemState, a: Address, n: number | bigint, e: Elem, r: string, f: string, by: string | null): unknown {
  const o = addressOffset(a, r, f);
  if (typeof n === 'bigint' ? n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER) : !(Number.isSafeInteger(n) && n >= 0)) {
    throw new DecodeError(r, f, o, 0, 0, `${r}.${f}: its count ${by ?? ''} is ${describe(n)}, not a whole number from 0 to 2^53 - 1`);
  }
  const k = Number(n);
  inMemory(m, o, k * e.stride, a, r, f, `${k} element${k === 1 ? '' : 's'}${by === null ? '' : ` (${by})`}`);
  if (e.text) return str(dvOf(m), o, k);
  return new MemoryArray(m, o, a, k, e, r, f);
}

/** A NUL-terminated string at address `a`, read up to its NUL: a DecodeError when there is none before the end of
 * the memory. UTF-8, malformed sequences read as U+FFFD. */
function cString(m: MemState, a: Address, r: string, f: string): string {
  const o = addressOffset(a, r, f);
  inMemory(m, o, 1, a, r, f, 'a string');
  const end = m.u8.indexOf(0, o);
  if (end < 0) {
    const len = m.b.byteLength;
    throw new DecodeError(r, f, o, len - o + 1, len - o, `${r}.${f}: the string at address ${hexAddress(a)} has no NUL before the end of the memory (${len} bytes)`);
  }
  return str(m.dv, o, end - o);
}

/** A counted pointer's elements in a WebAssembly memory: `get(i)`, `set(i, v)` (scalars and pointers), `length`,
 * iteration, `$address`. It reads the memory's current buffer, so it keeps working after the memory grows. */
export class MemoryArray<T = unknown> implements Iterable<T> {
  declare readonly length: number;
  declare readonly $address: Address;
  declare readonly $m: MemState;
  declare private readonly $offset: number;
  declare private readonly $e: Elem;
  declare private readonly $r: string;
  declare private readonly $f: string;
  constructor(m: MemState, o: number, a: Address, n: number, e: Elem, r: string, f: string) {
    this.$m = m;
    this.$offset = o;
    this.$address = a;
    this.length = n;
    this.$e = e;
    this.$r = r;
    this.$f = f;
  }
  private $at(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k >= this.length) {
      throw new DecodeError(this.$r, this.$f, this.$offset, 0, 0, `${this.$r}.${this.$f}: index ${describe(k)} out of range [0, ${this.length})`);
    }
    return k * this.$e.stride;
  }
  get(k: number): T {
    const d = this.$at(k);
    return this.$e.get(this.$m, this.$offset + d, addressPlus(this.$address, d)) as T;
  }
  set(k: number, v: unknown): void {
    const put = this.$e.put;
    if (!put) throw new EncodeError(this.$r, this.$f, 'elements are records: set their members instead');
    put(this.$m, this.$offset + this.$at(k), v, `${this.$f}[${k}]`);
  }
  *[Symbol.iterator](): Iterator<T> {
    for (let k = 0; k < this.length; k++) yield this.get(k);
  }
  toArray(): T[] {
    const out = new Array<T>(this.length);
    for (let k = 0; k < this.length; k++) out[k] = this.get(k);
    return out;
  }
  toJSON(): unknown {
    return toJSON(this.toArray());
  }
}

/** The records reachable from `c`'s record at `a`, as plain objects whose pointers are what they point to (a
 * record's object, a string, an array, null; `void *` and functions stay addresses, as do pointers in unions, since
 * only one member of a union is live). Each address is copied once: a cycle is a cycle of objects. A work list, no
 * recursion, at most `maxRecords` records. */
function decodeGraph(root: MemCodec, m: MemState, a: Address, options: GraphOptions | undefined): unknown {
  const strict = strictOf(options, root.name);
  const max = options?.maxRecords ?? 100_000;
  const seen = new Map<MemCodec, Map<number, object>>();
  const work: Array<readonly [MemCodec, number, Address, object]> = [];
  let copied = 0;
  const visit = (c: MemCodec, at: Address, r: string, f: string | null): object => {
    const o = addressOffset(at, r, f);
    let byAddr = seen.get(c);
    if (!byAddr) { byAddr = new Map(); seen.set(c, byAddr); }
    const had = byAddr.get(o);
    if (had) return had;
    if (copied >= max) {
      throw new DecodeError(r, f, o, 0, 0, `${f === null ? r : `${r}.${f}`}: the graph reaches more than ${max} records (maxRecords) at ${c.name} ${hexAddress(at)}`);
    }
    inMemory(m, o, c.size, at, r, f, c.name);
    copied++;
    const v = c.$read(dvOf(m), o, strict) as object;
    byAddr.set(o, v);
    work.push([c, o, at, v]);
    return v;
  };
  const out = visit(root, a, root.name, null);
  const value = (to: Pointee, stride: number, at: Address, n: number | bigint | null, r: string, f: string, by: string | null): unknown => {
    if (at == 0) return null;
    if (n === null) {
      if (typeof to === 'function') return visit(to() as MemCodec, at, r, f);
      if (to === 'text') return cString(m, at, r, f);
      n = 1;
    }
    const e = elementOf(to, stride, root.$le, r, f);
    const arr = counted$(m, at, n, e, r, f, by);
    if (typeof arr === 'string') return arr;
    const list = arr as MemoryArray;
    const res = new Array<unknown>(list.length);
    for (let k = 0; k < list.length; k++) {
      if (typeof to === 'function') res[k] = visit(to() as MemCodec, addressPlus(at, k * stride), r, f);
      else if (Array.isArray(to) && to[1] !== null) {
        // a pointer to a pointer: the inner pointer's pointee, as a copy (not a view)
        const slot = addressOffset(at, r, f) + k * stride;
        const inner = stride === 8 ? dvOf(m).getBigUint64(slot, root.$le) : dvOf(m).getUint32(slot, root.$le);
        res[k] = value(to[1] as Pointee, 0, inner, null, r, `${f}[${k}]`, null);
      } else res[k] = list.get(k);
    }
    return res;
  };
  const fill = (c: MemCodec, o: number, v: object): void => {
    if (c.$L.union) return;
    const x = c.$x;
    for (const row of c.$m) {
      const prop = row[0] as string;
      const obj = v as { [k: string]: unknown };
      if (row[1] === 'r') { if (obj[prop] !== null && typeof obj[prop] === 'object') fill(row[3] as MemCodec, o + (row[2] as number), obj[prop] as object); continue; }
      const note = x?.p?.[prop];
      if (!note) continue;
      const f = x?.n?.[prop] ?? prop;
      const n = note.length === 3 ? obj[note[2]] as number | bigint : null;
      obj[prop] = value(note[0], note[1], obj[prop] as Address, n, c.name, f, note.length === 3 ? note[2] : null);
    }
  };
  while (work.length > 0) {
    const [c, o, , v] = work.pop()!;
    fill(c, o, v);
  }
  return out;
}

/** Allocation in a module's memory through its exported allocator (`wasmAllocator`). */
export interface WasmAllocator {
  readonly memory: WasmMemory;
  /** A NUL-terminated UTF-8 copy of `s` in the memory; its address (a bigint on wasm64), for a `char *` member. */
  string(s: string): Address;
  /** A record in the memory, written from `value` by the codec's encode (checked, padding zeroed), else zeroed; its
   * view over the memory. */
  record<V>(codec: { readonly name: string; readonly size: number; view(src: WasmMemory, address: Offset): V; encode(v: never, d?: Uint8Array, o?: Offset): Uint8Array }, value?: unknown): V;
  /** Gives back what `string` or `record` allocated (a view, an address; null does nothing). */
  free(p: Address | { readonly $address: Address } | null): void;
}

/** An allocator over a module's exports: `malloc` and `free` (or the names given) and its `memory`. Sizes and
 * addresses are numbers on wasm32 and bigints on wasm64 (found from the first call). malloc returning NULL is an
 * EncodeError. */
export function wasmAllocator(exports: { readonly [name: string]: unknown }, names: { readonly malloc?: string; readonly free?: string; readonly memory?: string } = {}): WasmAllocator {
  const mallocName = names.malloc ?? 'malloc';
  const freeName = names.free ?? 'free';
  const memory = exports[names.memory ?? 'memory'];
  const malloc = exports[mallocName];
  const free = exports[freeName];
  if (!isMemory(memory)) throw new TypeError(`wasmAllocator: the exports have no WebAssembly.Memory named '${names.memory ?? 'memory'}'`);
  if (typeof malloc !== 'function') throw new TypeError(`wasmAllocator: the exports have no function '${mallocName}' (name another with { malloc })`);
  if (typeof free !== 'function') throw new TypeError(`wasmAllocator: the exports have no function '${freeName}' (name another with { free })`);
  let wide: boolean | null = null;
  const alloc = (n: number, what: string): Address => {
    let a: unknown;
    if (wide === null) {
      try { a = malloc(n); wide = typeof a === 'bigint'; } catch (e) {
        if (!(e instanceof TypeError)) throw e;
        a = malloc(BigInt(n)); wide = true; // an i64 parameter takes no number
      }
    } else a = malloc(wide ? BigInt(n) : n);
    if (typeof a !== 'number' && typeof a !== 'bigint') throw new EncodeError(what, '(allocation)', `${mallocName} returned ${describe(a)}, not an address`);
    if (a == 0) throw new EncodeError(what, '(allocation)', `${mallocName}(${n}) returned NULL: the module is out of memory`);
    return a;
  };
  const utf8 = new G.TextEncoder();
  return {
    memory,
    string(s: string): Address {
      if (typeof s !== 'string') throw new EncodeError('(string)', '(value)', `expected a string, got ${describe(s)}`);
      const bytes = utf8.encode(s);
      if (bytes.includes(0)) throw new EncodeError('(string)', '(value)', 'the string holds a NUL: C would read it only up to there');
      const a = alloc(bytes.length + 1, '(string)');
      const o = addressOffset(a, '(string)', null);
      const m = stateOf(memory);
      inMemory(m, o, bytes.length + 1, a, '(string)', null, 'the string');
      m.u8.set(bytes, o);
      m.u8[o + bytes.length] = 0;
      return a;
    },
    record(codec, value) {
      const a = alloc(Math.max(codec.size, 1), codec.name);
      const o = addressOffset(a, codec.name, null);
      const m = stateOf(memory);
      inMemory(m, o, codec.size, a, codec.name, null, codec.name);
      try {
        if (value === undefined) m.u8.fill(0, o, o + codec.size);
        else codec.encode(value as never, m.u8, o);
      } catch (e) {
        (free as (p: Address) => void)(a);
        throw e;
      }
      return codec.view(memory, a);
    },
    free(p) {
      if (p === null) return;
      const a = typeof p === 'object' ? p.$address : p;
      (free as (p: Address) => void)(wide === true && typeof a === 'number' ? BigInt(a) : a);
    },
  };
}

// ---- memory view types ---------------------------------------------------------------------------------------------
// What `R.view(memory, address)` returns, as types. A module exports `RMemoryView` for each record whose memory view
// differs from its plain one (a pointer the view follows, or a nested record with one): `$rt.MemoryView<R, O, P>`,
// with `O` the nested records' and arrays' views and `P` the followed pointers as accessor pairs (the getter's type
// is what the pointer reads as; the setter takes a view, an array or an address). Other records' memory views are
// their plain view with the members below (`MemoryViewOf`), the codec's default.

/** What a followed pointer member can be set to: a view or a `MemoryArray` of the same memory (its address), an
 * address, or null (NULL). (A string cannot: allocate it in the module's memory and assign its address.) */
export type PointerInput = { readonly $address: Address } | Address | null;

/** A view over a WebAssembly memory of a record decoded as `T`: the members of `View<T, O>`, but those `P` declares
 * (followed pointers, as accessor pairs), and the memory members; `G` is what `$decodeGraph` returns: by default
 * `T` with each pointer replaced by what it points to. */
export type MemoryView<T, O = {}, P = {}, G = Graph<T, O, P>> = { -readonly [K in keyof T as K extends keyof O | keyof P ? never : K]: T[K] }
  & { readonly [K in keyof T as K extends keyof O ? K : never]: O[K & keyof O] } & P & ViewMethods<T> & MemoryViewMethods<G>;

/** A record's `$decodeGraph` copy: the decoded record, its followed pointers (`P`) replaced by copies of what they
 * reach, its nested records (`O`) by their own graphs. */
export type Graph<T, O, P> = {
  -readonly [K in keyof T]: K extends keyof P ? GraphOf<P[K]> : K extends keyof O ? (O[K] extends MemoryViewMethods<infer G> ? G : T[K]) : T[K];
};
/** What `$decodeGraph` makes of a value a memory view reads: a view's graph, an array of copies, else the value. */
type GraphOf<X> = X extends MemoryViewMethods<infer G> ? G : X extends MemoryArray<infer E> ? Array<GraphOf<E>> : X;
