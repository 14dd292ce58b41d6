// A value interpreter: reads a record from bytes by walking the plan's representations (`Rep`) and the layout facts,
// with no generated code and no eval. It yields what the generated module's `decode` yields (the differential test
// in test/decode/ holds it to that): the same property names, numbers, bigints, booleans, strings, typed-array copies,
// nested objects and arrays, unions as objects of every member (a tagged union: the member its tag selects),
// bit-fields at the target's bit positions, a flexible array's elements that fit (or its counted elements). Every
// read is bounds-checked; errors name the record, the field and the byte offset. Floats DataView lacks, bit-fields
// and 128-bit integers are read by the runtime's own readers, so both ways read the same bits the same way.
// Pure: no Node built-ins (it also runs in a browser).

import type { ProgramFacts, RecordFacts } from '../layout/facts.js';
import type { EnumPlan, EnumRef, MemberPlan, ProjectPlan, RecordPlan, RecordRef, Rep } from '../plan/plan.js';
import type { FloatFormat } from '../target/types.js';
// the generated modules' own DecodeError (the runtime is portable source): one class to catch whichever way bytes
// were decoded; and the readers the generated decoders call
import { bitsAccess, DecodeError, readDD, readF128, readF16, readF80, readI128 } from '../runtime/structgen-runtime.js';

export { DecodeError };

export interface InterpretOptions {
  /** Reject enum values that are not enumerators and `_Bool` values other than 0 and 1. */
  readonly strict?: boolean;
  /** Where `bytes` starts in the whole input (a window of a file or stream): added to the offsets errors name. */
  readonly origin?: number;
}

/** What follows a record's fixed `size` bytes: nothing, flexible arrays whose elements are counted by a member
 * (`countedBy`; `extent` says how far they reach), or a flexible array that takes every element that fits. */
export type Tail = 'none' | 'counted' | 'open';

export type Decoded = { [prop: string]: unknown };

interface Ctx {
  readonly dv: DataView;
  readonly strict: boolean;
  /** The outermost record, for error messages. */
  readonly root: string;
  /** Added to offsets in error messages. */
  readonly origin: number;
}

const utf8 = new TextDecoder('utf-8');

/** Decoding over one project plan (one target): records and enums found by their references. */
export class Interpreter {
  private readonly records = new Map<string, RecordPlan>();
  private readonly enums = new Map<string, EnumPlan>();
  private readonly enumSets = new Map<EnumPlan, { nums: Set<number>; bigs: Set<bigint>; names: Map<string, string> }>();
  private readonly tails = new Map<RecordPlan, Tail>();
  private readonly byKey = new Map<string, RecordPlan>();
  private readonly programs = new Map<RecordFacts, ProgramFacts>();
  private readonly standIns = new Map<RecordPlan, ProgramFacts>();

  /** `programs`: the facts the plan was made from, which the views of a decoded record (`leaves`, `dumpRecord`)
   * walk; without them, the plan's own records stand in (see `program`). */
  constructor(readonly plan: ProjectPlan, programs: readonly ProgramFacts[] = []) {
    for (const m of plan.modules) {
      for (const r of m.records) {
        this.records.set(`${m.name}\0${r.name}`, r);
        if (!this.byKey.has(r.facts.key)) this.byKey.set(r.facts.key, r);
      }
      for (const e of m.enums) this.enums.set(`${m.name}\0${e.name}`, e);
    }
    for (const p of programs) for (const r of p.records) if (r && !this.programs.has(r)) this.programs.set(r, p);
  }

  /** The plan of a record, from its facts in any translation unit (the same record has the same key in each). */
  planOf(r: RecordFacts): RecordPlan | null {
    return this.byKey.get(r.key) ?? null;
  }

  /** The facts of the translation unit a record was laid out in, to walk it (layout/walk.ts). */
  program(rp: RecordPlan): ProgramFacts {
    const p = this.programs.get(rp.facts) ?? this.standIns.get(rp);
    if (p) return p;
    // no programs given: the records a walk from `rp` enters, by the ids its members' types name (what a walk
    // reads); a plan of several headers may have taken a nested record's facts from another translation unit, whose
    // ids can collide: that is refused, never guessed
    const records: Array<RecordFacts | null> = [];
    const seen = new Set<RecordPlan>();
    const visit = (h: RecordPlan) => {
      if (seen.has(h)) return;
      seen.add(h);
      for (const m of h.members) {
        let t = m.facts.type;
        while (t.k === 'array') t = t.of;
        const ref = refOf(m.rep);
        if (t.k !== 'record' || !ref) continue;
        const inner = this.record(ref);
        const had = records[t.id];
        if (had && had.key !== inner.facts.key) {
          throw new Error(`structgen: ${rp.facts.cName} uses records of different headers: give the Interpreter the programs its plan was made from (new Interpreter(plan, programs))`);
        }
        records[t.id] = inner.facts;
        visit(inner);
      }
    };
    visit(rp);
    // (a walk reads `records` only)
    const made: ProgramFacts = { target: { triple: this.plan.target, endian: 'little', pointerBytes: 0, compiler: 'clang' }, header: rp.facts.file, records, enums: [], constants: [] };
    this.standIns.set(rp, made);
    return made;
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
    return this.readRecord(fitting(rp, bytes, offset, opts), rp, offset, '');
  }

  /** What follows the record's fixed bytes (its flexible array members, at any depth). */
  tail(rp: RecordPlan): Tail {
    let t = this.tails.get(rp);
    if (t === undefined) {
      this.tails.set(rp, 'none'); // a record cannot contain itself; this only ends a walk over a broken plan
      t = 'none';
      for (const m of rp.members) {
        const r = m.rep;
        const inner: Tail = r.k === 'flex' ? (r.count ? 'counted' : 'open') : r.k === 'record' ? this.tail(this.record(r.ref)) : hasFlex(this, r) ? 'open' : 'none';
        if (inner === 'open' || (inner === 'counted' && t === 'none')) t = inner;
      }
      this.tails.set(rp, t);
    }
    return t;
  }

  /** The bytes the record at `offset` spans: its size, or, with counted flexible arrays, up to where their elements
   * end (their counts read from `bytes`, which must hold the record's fixed part). A count that is not a count is a
   * DecodeError, as in `decode`. */
  extent(rp: RecordPlan, bytes: Uint8Array, offset = 0, opts: InterpretOptions = {}): number {
    return this.reach(fitting(rp, bytes, offset, opts), rp, offset, '') - offset;
  }

  private reach(c: Ctx, rp: RecordPlan, o: number, prefix: string): number {
    let end = o + rp.facts.size;
    for (const m of rp.members) {
      const r = m.rep;
      const at = o + m.facts.bitOffset / 8;
      if (r.k === 'flex' && r.count) end = Math.max(end, at + this.countOf(c, r.count, o, prefix + m.facts.name, at, m) * r.stride);
      else if (r.k === 'record') end = Math.max(end, this.reach(c, this.record(r.ref), at, `${prefix}${m.facts.name}.`));
    }
    return end;
  }

  /** A counted flexible array's element count, read from the member beside it. */
  private countOf(c: Ctx, k: NonNullable<Extract<Rep, { k: 'flex' }>['count']>, base: number, path: string, o: number, m: MemberPlan): number {
    const v = this.read(c, k.rep, k.facts.bitfield ? base : base + k.facts.bitOffset / 8, k.name, m, base) as number | bigint | boolean;
    if (typeof v === 'boolean' || (typeof v === 'bigint' ? v < 0n || v > 9007199254740991n : v < 0)) {
      throw new DecodeError(c.root, path, c.origin + o, 0, 0, `${c.root}.${path} at byte offset ${c.origin + o}: its count '${k.name}' is ${String(v)}, not a count`);
    }
    return Number(v);
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
        const v = rep.bytes === 8 ? (rep.signed ? dv.getBigInt64(o, rep.le) : dv.getBigUint64(o, rep.le)) : readI128(dv, o, rep.le, rep.signed);
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
          n = this.countOf(c, rep.count, base, path, o, m);
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
        // read as the views read it (one integer for spans of 1, 2 or 4 bytes): a bigint over 32 bits, else a number
        const x = bitReader(rep.bits, rep.le)(dv, at) as number | bigint;
        if (rep.as === 'bool') return x !== 0 && x !== 0n;
        const v = rep.as === 'bigint' ? BigInt(x) : Number(x);
        if (rep.enum && c.strict) this.checkEnum(c, rep.enum, v, path, at);
        return v;
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

/** The record a member's values are read as (through arrays), if any. */
function refOf(rep: Rep): RecordRef | null {
  return rep.k === 'record' || rep.k === 'tagged' ? rep.ref : rep.k === 'array' || rep.k === 'flex' ? refOf(rep.of) : null;
}

/** A property on a plain object, even one named `__proto__`. */
function defineProp(o: { [k: string]: unknown }, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

function invalid(c: Ctx, path: string, o: number, value: string, what: string): DecodeError {
  return new DecodeError(c.root, path, c.origin + o, 0, 0, `${c.root}.${path} at byte offset ${c.origin + o}: ${value} is not ${what}`);
}

function need(c: Ctx, o: number, n: number, path: string): void {
  if (o >= 0 && o + n <= c.dv.byteLength) return;
  const available = Math.max(0, c.dv.byteLength - o);
  throw new DecodeError(c.root, path, c.origin + o, n, available, `${c.root}.${path} at byte offset ${c.origin + o} needs ${n} bytes, only ${available} available`);
}

/** Whether a flexible array member is reachable through `rep` (in an array or a union: read as taking what fits). */
function hasFlex(ip: Interpreter, rep: Rep, seen = new Set<RecordPlan>()): boolean {
  switch (rep.k) {
    case 'flex': return true;
    case 'array': return hasFlex(ip, rep.of, seen);
    case 'record': case 'tagged': {
      const r = ip.record(rep.ref);
      if (seen.has(r)) return false;
      seen.add(r);
      return r.members.some((m) => hasFlex(ip, m.rep, seen)) || (rep.k === 'tagged' && rep.cases.some((k) => hasFlex(ip, k.rep, seen)));
    }
    default: return false;
  }
}

function checkOffset(rp: RecordPlan, offset: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new DecodeError(rp.name, null, offset, 0, 0, `${rp.name}: invalid byte offset ${offset} (expected a whole number from 0 to 2^53 - 1)`);
  }
}

/** The context of reading `rp` at `offset` of `bytes`, once its fixed part is known to fit. */
function fitting(rp: RecordPlan, bytes: Uint8Array, offset: number, opts: InterpretOptions): Ctx {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const origin = opts.origin ?? 0;
  checkFits(rp, dv.byteLength, offset, origin);
  return { dv, strict: opts.strict === true, root: rp.name, origin };
}

/** The record must fit: else the error names the first declared member that does not. */
function checkFits(rp: RecordPlan, length: number, offset: number, origin = 0): void {
  checkOffset(rp, offset);
  const size = rp.facts.size;
  if (offset + size <= length) return;
  const available = Math.max(0, length - offset);
  const first = rp.facts.slots.find((s) => offset + Math.ceil((s.bitOffset + s.bitSize) / 8) > length);
  const field = first ? first.name ?? '(anonymous)' : null;
  throw new DecodeError(rp.name, field, origin + offset, size, available,
    `${rp.name} at byte offset ${origin + offset} needs ${size} bytes, only ${available} available${field ? ` (field '${field}' is the first that does not fit)` : ''}`);
}

// ---- floating formats ------------------------------------------------------------------------------------------

function readFloat(dv: DataView, o: number, format: FloatFormat, le: boolean): number {
  switch (format) {
    case 'binary32': return dv.getFloat32(o, le);
    case 'binary64': return dv.getFloat64(o, le);
    case 'binary16': return readF16(dv, o, le);
    case 'binary128': return readF128(dv, o, le);
    case 'x87-80': return readF80(dv, o, le);
    case 'm68k-96': return readF80(dv, o, false, 2); // sign and exponent, two unused bytes, then the mantissa
    case 'ibm-double-double': return readDD(dv, o, le);
  }
}

/** The runtime's reader of a bit-field, made once per member representation. */
const bitReaders = new WeakMap<object, (dv: DataView, o: number) => unknown>();
function bitReader(bits: { readonly span: { readonly bytes: number; readonly shift: number }; readonly width: number; readonly signed: boolean }, le: boolean): (dv: DataView, o: number) => unknown {
  let get = bitReaders.get(bits);
  if (!get) {
    get = bitsAccess([bits.span.bytes, bits.span.shift, bits.width, (bits.signed ? 1 : 0) | (bits.width > 32 ? 4 : 0)], le, '').get;
    bitReaders.set(bits, get);
  }
  return get;
}
