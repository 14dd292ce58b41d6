// A value interpreter: reads a record from bytes by walking the plan's representations (`Rep`) and the layout facts,
// with no generated code and no eval. It yields what the generated module's `decode` yields (the differential test
// in test/decode/ holds it to that): the same property names, numbers, bigints, booleans, strings, typed-array copies,
// nested objects and arrays, unions as objects of every member (a tagged union: the member its tag selects),
// bit-fields at the target's bit positions, a flexible array's elements that fit (or its counted elements). Every
// read is bounds-checked; errors name the record, the field and the byte offset.
// Pure: no Node built-ins (it also runs in a browser).

import type { EnumPlan, EnumRef, MemberPlan, ProjectPlan, RecordPlan, RecordRef, Rep } from '../plan/plan.js';
import type { FloatFormat } from '../target/types.js';
// the generated modules' own DecodeError (the runtime is portable source): one class to catch whichever way bytes
// were decoded
import { DecodeError } from '../runtime/structgen-runtime.js';

export { DecodeError };

export interface InterpretOptions {
  /** Reject enum values that are not enumerators and `_Bool` values other than 0 and 1. */
  readonly strict?: boolean;
}

export type Decoded = { [prop: string]: unknown };

interface Ctx {
  readonly dv: DataView;
  readonly strict: boolean;
  /** The outermost record, for error messages. */
  readonly root: string;
}

const utf8 = new TextDecoder('utf-8');

/** Decoding over one project plan (one target): records and enums found by their references. */
export class Interpreter {
  private readonly records = new Map<string, RecordPlan>();
  private readonly enums = new Map<string, EnumPlan>();
  private readonly enumSets = new Map<EnumPlan, { nums: Set<number>; bigs: Set<bigint>; names: Map<string, string> }>();

  constructor(readonly plan: ProjectPlan) {
    for (const m of plan.modules) {
      for (const r of m.records) this.records.set(`${m.name}\0${r.name}`, r);
      for (const e of m.enums) this.enums.set(`${m.name}\0${e.name}`, e);
    }
  }

  /** The plan of a referenced record. */
  record(ref: RecordRef): RecordPlan {
    const r = this.records.get(`${ref.module}\0${ref.name}`);
    if (!r) throw new Error(`structgen: no plan for record ${ref.name} in module ${ref.module}`);
    return r;
  }

  enumPlan(ref: EnumRef): EnumPlan | null {
    return this.enums.get(`${ref.module}\0${ref.name}`) ?? null;
  }

  /** Every planned record, each once, in module order. */
  allRecords(): RecordPlan[] {
    return [...this.records.values()];
  }

  /** Records named `name`: by C name (the tag or typedef, as `layout --json` names them) or export name. */
  find(name: string): RecordPlan[] {
    const all = this.allRecords();
    const byC = all.filter((r) => r.facts.name === name);
    return byC.length ? byC : all.filter((r) => r.name === name);
  }

  /** The enumerator named for a value (the first that has it), or null. */
  enumName(ref: EnumRef, v: number | bigint): string | null {
    const e = this.enumPlan(ref);
    if (!e) return null;
    return this.sets(e).names.get(String(v)) ?? null;
  }

  private sets(e: EnumPlan) {
    let s = this.enumSets.get(e);
    if (!s) {
      const names = new Map<string, string>();
      for (const v of e.facts.values) if (!names.has(v.value)) names.set(v.value, v.name);
      s = { nums: new Set(e.facts.values.map((v) => Number(v.value))), bigs: new Set(e.facts.values.map((v) => BigInt(v.value))), names };
      this.enumSets.set(e, s);
    }
    return s;
  }

  /** The record at `offset` of `bytes`, as the generated `R.decode(bytes, offset, { strict })` returns it. */
  decode(rp: RecordPlan, bytes: Uint8Array, offset = 0, opts: InterpretOptions = {}): Decoded {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    checkFits(rp, dv.byteLength, offset);
    return this.readRecord({ dv, strict: opts.strict === true, root: rp.name }, rp, offset, '');
  }

  /** `count` consecutive records from `offset` (each `size` bytes apart). */
  decodeMany(rp: RecordPlan, bytes: Uint8Array, offset: number, count: number, opts: InterpretOptions = {}): Decoded[] {
    const size = rp.facts.size;
    if (!Number.isSafeInteger(count) || count < 0) throw new DecodeError(rp.name, null, offset, 0, 0, `${rp.name}: invalid count ${count}`);
    checkOffset(rp, offset);
    const available = Math.max(0, bytes.byteLength - offset);
    if (count * size > available) {
      throw new DecodeError(rp.name, null, offset, count * size, available, `${rp.name} at byte offset ${offset}: ${count} records need ${count * size} bytes, only ${available} available`);
    }
    const out: Decoded[] = [];
    for (let i = 0; i < count; i++) out.push(this.decode(rp, bytes, offset + i * size, opts));
    return out;
  }

  private readRecord(c: Ctx, rp: RecordPlan, o: number, prefix: string): Decoded {
    const out: Decoded = {};
    for (const m of rp.members) {
      const at = m.facts.bitfield ? o : o + m.facts.bitOffset / 8;
      defineProp(out, m.prop, this.read(c, m.rep, at, prefix + m.facts.name, m, o));
    }
    return out;
  }

  /** One value of representation `rep` at byte `o` (for bit-fields: the record's start); `base` is the start of the
   * record holding the member (a counted array's count and a tagged union's tag are members beside it). */
  private read(c: Ctx, rep: Rep, o: number, path: string, m: MemberPlan, base: number): unknown {
    const dv = c.dv;
    switch (rep.k) {
      case 'int': {
        need(c, o, rep.bytes, path);
        const v = rep.bytes === 1 ? (rep.signed ? dv.getInt8(o) : dv.getUint8(o))
          : rep.bytes === 2 ? (rep.signed ? dv.getInt16(o, rep.le) : dv.getUint16(o, rep.le))
          : rep.signed ? dv.getInt32(o, rep.le) : dv.getUint32(o, rep.le);
        if (rep.enum && c.strict) this.checkEnum(c, rep.enum, v, path, o);
        return v;
      }
      case 'bigint': {
        need(c, o, rep.bytes, path);
        let v = 0n;
        for (let i = 0; i < rep.bytes; i++) v = (v << 8n) | BigInt(dv.getUint8(o + (rep.le ? rep.bytes - 1 - i : i)));
        if (rep.signed) v = BigInt.asIntN(rep.bytes * 8, v);
        if (rep.enum && c.strict) this.checkEnum(c, rep.enum, v, path, o);
        return v;
      }
      case 'bool': {
        need(c, o, rep.bytes, path);
        let v = 0;
        for (let i = 0; i < rep.bytes; i++) v = v * 256 + dv.getUint8(o + i); // any byte order: zero is zero
        if (c.strict && rep.bytes === 1 && v !== 0 && v !== 1) throw invalid(c, path, o, String(v), 'a _Bool (0 or 1)');
        if (c.strict && rep.bytes > 1 && v !== 0 && (v !== 1 && v !== 256 ** (rep.bytes - 1))) throw invalid(c, path, o, String(v), 'a _Bool (0 or 1)');
        return v !== 0;
      }
      case 'float':
        need(c, o, rep.bytes, path);
        return readFloat(dv, o, rep.format, rep.le);
      case 'complex': {
        const n = rep.part.bytes;
        need(c, o, 2 * n, path);
        return { re: readFloat(dv, o, rep.part.format, rep.part.le), im: readFloat(dv, o + n, rep.part.format, rep.part.le) };
      }
      case 'string': {
        need(c, o, rep.bytes, path);
        const b = new Uint8Array(dv.buffer, dv.byteOffset + o, rep.bytes);
        const end = b.indexOf(0);
        const s = end < 0 ? b : b.subarray(0, end);
        if (rep.encoding === 'latin1') { let t = ''; for (const x of s) t += String.fromCharCode(x); return t; }
        return utf8.decode(s);
      }
      case 'bytes': {
        need(c, o, rep.bytes, path);
        const copy = dv.buffer.slice(dv.byteOffset + o, dv.byteOffset + o + rep.bytes) as ArrayBuffer;
        return rep.signed ? new Int8Array(copy) : new Uint8Array(copy);
      }
      case 'record':
        return this.readRecord(c, this.record(rep.ref), o, `${path}.`);
      case 'array': {
        const a: unknown[] = [];
        for (let i = 0; i < rep.length; i++) a.push(this.read(c, rep.of, o + i * rep.stride, `${path}[${i}]`, m, base));
        return a;
      }
      case 'safe': {
        need(c, o, 8, path);
        const x = rep.signed ? dv.getBigInt64(o, rep.le) : dv.getBigUint64(o, rep.le);
        if (x < -9007199254740991n || x > 9007199254740991n) throw invalid(c, path, o, String(x), 'a safe integer (beyond 2^53, read it as a bigint)');
        const v = Number(x);
        if (rep.enum && c.strict) this.checkEnum(c, rep.enum, v, path, o);
        return v;
      }
      case 'tagged': {
        const tag = rep.tag;
        const t = this.read(c, tag.rep, tag.facts.bitfield ? base : base + tag.facts.bitOffset / 8, tag.name, m, base) as number | bigint | boolean;
        const tv = typeof t === 'boolean' ? BigInt(t ? 1 : 0) : BigInt(t);
        const hit = rep.cases.find((k) => k.value === tv);
        if (hit) {
          const out: Decoded = {};
          defineProp(out, hit.prop, this.read(c, hit.rep, hit.facts.bitfield ? base : base + hit.facts.bitOffset / 8, `${path}.${hit.name}`, m, base));
          return out;
        }
        if (c.strict) {
          const cases = rep.cases.map((k) => (k.label === String(k.value) ? k.label : `${k.label} (${k.value})`)).join(', ');
          throw invalid(c, path, o, String(t), `one of the cases of '${path}' (its tag '${tag.name}' must be ${cases})`);
        }
        return this.readRecord(c, this.record(rep.ref), o, `${path}.`);
      }
      case 'flex': {
        let n: number;
        if (rep.count) {
          const k = rep.count;
          const v = this.read(c, k.rep, k.facts.bitfield ? base : base + k.facts.bitOffset / 8, k.name, m, base) as number | bigint | boolean;
          if (typeof v === 'boolean' || (typeof v === 'bigint' ? v < 0n || v > 9007199254740991n : v < 0)) {
            throw new DecodeError(c.root, path, o, 0, 0, `${c.root}.${path} at byte offset ${o}: its count '${k.name}' is ${String(v)}, not a count`);
          }
          n = Number(v);
          need(c, o, n * rep.stride, path);
        } else {
          n = rep.stride > 0 ? Math.max(0, Math.floor((dv.byteLength - o) / rep.stride)) : 0;
        }
        if (rep.of.k === 'int' && rep.of.bytes === 1 && !rep.of.enum) {
          const copy = dv.buffer.slice(dv.byteOffset + o, dv.byteOffset + o + n) as ArrayBuffer;
          return rep.of.signed ? new Int8Array(copy) : new Uint8Array(copy);
        }
        const a: unknown[] = [];
        for (let i = 0; i < n; i++) a.push(this.read(c, rep.of, o + i * rep.stride, `${path}[${i}]`, m, base));
        return a;
      }
      case 'bits': {
        // the bytes the field touches (its span), read as one integer in the target's byte order
        const s = rep.bits.span;
        const at = o + s.byteOffset;
        need(c, at, s.bytes, path);
        let x = 0n;
        for (let i = 0; i < s.bytes; i++) x = (x << 8n) | BigInt(dv.getUint8(at + (rep.le ? s.bytes - 1 - i : i)));
        const w = rep.bits.width;
        let v = (x >> BigInt(s.shift)) & ((1n << BigInt(w)) - 1n);
        if (rep.bits.signed) v = BigInt.asIntN(w, v);
        if (rep.as === 'bool') return v !== 0n;
        if (rep.enum && c.strict) this.checkEnum(c, rep.enum, rep.as === 'bigint' ? v : Number(v), path, at);
        return rep.as === 'bigint' ? v : Number(v);
      }
    }
  }

  private checkEnum(c: Ctx, ref: EnumRef, v: number | bigint, path: string, o: number): void {
    const e = this.enumPlan(ref);
    if (!e) return;
    const s = this.sets(e);
    const ok = typeof v === 'bigint' ? s.bigs.has(v) : s.nums.has(v);
    if (!ok) throw invalid(c, path, o, typeof v === 'bigint' ? String(v) : String(v), `a value of enum ${e.facts.name ?? e.name}`);
  }
}

/** A property on a plain object, even one named `__proto__`. */
function defineProp(o: { [k: string]: unknown }, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

function invalid(c: Ctx, path: string, o: number, value: string, what: string): DecodeError {
  return new DecodeError(c.root, path, o, 0, 0, `${c.root}.${path} at byte offset ${o}: ${value} is not ${what}`);
}

function need(c: Ctx, o: number, n: number, path: string): void {
  if (o >= 0 && o + n <= c.dv.byteLength) return;
  const available = Math.max(0, c.dv.byteLength - o);
  throw new DecodeError(c.root, path, o, n, available, `${c.root}.${path} at byte offset ${o} needs ${n} bytes, only ${available} available`);
}

function checkOffset(rp: RecordPlan, offset: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new DecodeError(rp.name, null, offset, 0, 0, `${rp.name}: invalid byte offset ${offset} (expected a whole number from 0 to 2^53 - 1)`);
  }
}

/** The record must fit: else the error names the first declared member that does not. */
function checkFits(rp: RecordPlan, length: number, offset: number): void {
  checkOffset(rp, offset);
  const size = rp.facts.size;
  if (offset + size <= length) return;
  const available = Math.max(0, length - offset);
  const first = rp.facts.slots.find((s) => offset + Math.ceil((s.bitOffset + s.bitSize) / 8) > length);
  const field = first ? first.name ?? '(anonymous)' : null;
  throw new DecodeError(rp.name, field, offset, size, available,
    `${rp.name} at byte offset ${offset} needs ${size} bytes, only ${available} available${field ? ` (field '${field}' is the first that does not fit)` : ''}`);
}

// ---- floating formats ------------------------------------------------------------------------------------------

/** An unsigned integer of `n` bytes at `o`, in the given order. */
function uint(dv: DataView, o: number, n: number, le: boolean): bigint {
  let x = 0n;
  for (let i = 0; i < n; i++) x = (x << 8n) | BigInt(dv.getUint8(o + (le ? n - 1 - i : i)));
  return x;
}

/** m * 2^e for a bigint m, to the nearest double, without underflowing halfway (scaling in two steps). */
function scale(m: bigint, e: number): number {
  const x = Number(m);
  if (e < -1000) return x * 2 ** -1000 * 2 ** (e + 1000);
  if (e > 1000) return x * 2 ** 1000 * 2 ** (e - 1000);
  return x * 2 ** e;
}

/** A binary floating format of `exp` exponent bits and `frac` fraction bits (IEEE, or x87 with its explicit integer
 * bit when `explicit`), from its bits. */
function ieee(bits: bigint, exp: number, frac: number, explicit: boolean): number {
  const fbits = explicit ? frac + 1 : frac;
  const sign = (bits >> BigInt(exp + fbits)) & 1n ? -1 : 1;
  const e = Number((bits >> BigInt(fbits)) & ((1n << BigInt(exp)) - 1n));
  const f = bits & ((1n << BigInt(fbits)) - 1n);
  const bias = 2 ** (exp - 1) - 1;
  const fracOnly = explicit ? f & ((1n << BigInt(frac)) - 1n) : f;
  if (e === 2 ** exp - 1) return fracOnly === 0n ? sign * Infinity : NaN;
  if (explicit) return f === 0n ? sign * 0 : sign * scale(f, (e === 0 ? 1 : e) - bias - frac);
  if (e === 0) return f === 0n ? sign * 0 : sign * scale(f, 1 - bias - frac);
  return sign * scale(f | (1n << BigInt(frac)), e - bias - frac);
}

function readFloat(dv: DataView, o: number, format: FloatFormat, le: boolean): number {
  switch (format) {
    case 'binary32': return dv.getFloat32(o, le);
    case 'binary64': return dv.getFloat64(o, le);
    case 'binary16': return ieee(uint(dv, o, 2, le), 5, 10, false);
    case 'binary128': return ieee(uint(dv, o, 16, le), 15, 112, false);
    case 'x87-80': {
      // little-endian: 64-bit mantissa then sign and exponent; big-endian: sign and exponent first
      const bits = le ? uint(dv, o, 10, true) : (uint(dv, o, 2, false) << 64n) | uint(dv, o + 2, 8, false);
      return ieee(bits, 15, 63, true);
    }
    case 'm68k-96': {
      // sign and exponent, two unused bytes, then the 64-bit mantissa (big-endian)
      const bits = (uint(dv, o, 2, false) << 64n) | uint(dv, o + 4, 8, false);
      return ieee(bits, 15, 63, true);
    }
    case 'ibm-double-double': return dv.getFloat64(o, le) + dv.getFloat64(o + 8, le);
  }
}
