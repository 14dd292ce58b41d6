// Decoded values as `structgen decode` and `dump` show them. JSON-safe (CONTRACTS.md): keys are the C member names,
// 64-bit (and 128-bit) integers decimal strings, bytes (8-bit arrays that are not text) lowercase hex strings, an
// enum's value the enumerator's name (the first enumerator with that value) or, when no enumerator has it, the
// number itself, floats numbers or the strings "NaN", "Infinity", "-Infinity", `char[N]` strings, `_Bool` booleans,
// complex numbers `{ "re": x, "im": y }`, arrays arrays, nested records and unions objects (a union's every member).
// And the leaves of a decoded record (every scalar at every depth, array elements one by one) with where they are,
// for the table and the hex dump. Pure: no Node built-ins.

import type { RecordFacts } from '../layout/facts.js';
import { walk, type ElementEntry, type MemberEntry, type WalkEntry } from '../layout/walk.js';
import type { EnumRef, RecordPlan, Rep } from '../plan/plan.js';
import type { Decoded, Interpreter } from './interpret.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const HEX = Array.from({ length: 256 }, (_, k) => k.toString(16).padStart(2, '0'));

export function hex(b: Uint8Array | Int8Array): string {
  let s = '';
  for (let k = 0; k < b.length; k++) s += HEX[b[k]! & 0xff];
  return s;
}

function jsonFloat(x: number): Json {
  return Number.isFinite(x) ? x : Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

function enumJson(ip: Interpreter, ref: EnumRef | null, v: number | bigint): Json {
  const name = ref ? ip.enumName(ref, v) : null;
  if (name !== null) return name;
  return typeof v === 'bigint' ? v.toString() : v;
}

/** The JSON-safe form of a value of representation `rep`. */
export function valueJson(ip: Interpreter, rep: Rep, v: unknown): Json {
  switch (rep.k) {
    case 'int': case 'bigint': return enumJson(ip, rep.enum, v as number | bigint);
    case 'bits':
      if (rep.as === 'bool') return v as boolean;
      return enumJson(ip, rep.enum, v as number | bigint);
    case 'bool': return v as boolean;
    case 'float': return jsonFloat(v as number);
    case 'complex': { const c = v as { re: number; im: number }; return { re: jsonFloat(c.re), im: jsonFloat(c.im) }; }
    case 'string': return v as string;
    case 'bytes': return hex(v as Uint8Array);
    case 'record': return recordJson(ip, ip.record(rep.ref), v as Decoded);
    case 'array': return (v as unknown[]).map((x) => valueJson(ip, rep.of, x));
    case 'flex':
      if (v instanceof Uint8Array || v instanceof Int8Array) return hex(v);
      return (v as unknown[]).map((x) => valueJson(ip, rep.of, x));
    case 'safe': return enumJson(ip, rep.enum, v as number);
    case 'tagged': {
      // the member the tag selects, or every member (an unknown tag, decoded without strict)
      const d = v as Decoded;
      const out: { [k: string]: Json } = {};
      for (const um of ip.record(rep.ref).members) if (Object.hasOwn(d, um.prop)) setKey(out, um.facts.name, valueJson(ip, um.rep, d[um.prop]));
      return out;
    }
  }
}

/** A decoded record, JSON-safe, keyed by C member names. */
export function recordJson(ip: Interpreter, rp: RecordPlan, v: Decoded): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const m of rp.members) setKey(out, m.facts.name, valueJson(ip, m.rep, v[m.prop]));
  return out;
}

/** A key of a plain object (whose fast layout JSON.stringify prints fastest), even a member named `__proto__`. */
function setKey(o: { [k: string]: Json }, k: string, v: Json): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

export interface Leaf {
  /** C access path from the outermost record, array elements indexed: `readings[2].trend`. */
  readonly path: string;
  /** From the start of the outermost record (absolute bits within the decoded bytes minus the record's offset). */
  readonly bitOffset: number;
  /** Bits the value occupies; for a flexible array's bytes, all of them. */
  readonly bitSize: number;
  /** The C type as written, for an element its element type. */
  readonly cType: string;
  readonly bitfield: boolean;
  /** The value as text: `2`, `0x1f (31)`, `EV_KEY (1)`, `"name"`, `de ad be ef`, `true`. */
  readonly text: string;
  /** Index of the top-level member it belongs to. */
  readonly group: number;
}

/** `uint32_t[4][2]` -> `uint32_t[2]`: the type of one element. */
function elementType(cType: string): string {
  return cType.replace(/\[[^\]]*\]/, '');
}

function intText(v: number | bigint, bytes: number): string {
  if (bytes >= 2 && (typeof v === 'bigint' ? v >= 10n : v >= 10)) return `${v} (0x${v.toString(16)})`;
  return String(v);
}

function scalarText(ip: Interpreter, rep: Rep, v: unknown): string {
  switch (rep.k) {
    case 'int': case 'bigint': {
      const n = ip.enumName(rep.enum ?? { name: '', valuesName: '', module: '' }, v as number | bigint);
      if (rep.enum) return n !== null ? `${n} (${String(v)})` : `${String(v)} (not an enumerator)`;
      return intText(v as number | bigint, rep.bytes);
    }
    case 'safe': {
      if (!rep.enum) return intText(v as number, 8);
      const n = ip.enumName(rep.enum, v as number);
      return n !== null ? `${n} (${String(v)})` : `${String(v)} (not an enumerator)`;
    }
    case 'bits': {
      if (rep.as === 'bool') return String(v);
      if (rep.enum) { const n = ip.enumName(rep.enum, v as number | bigint); return n !== null ? `${n} (${String(v)})` : `${String(v)} (not an enumerator)`; }
      return String(v);
    }
    case 'bool': return String(v);
    case 'float': return String(v);
    case 'complex': { const c = v as { re: number; im: number }; return `${c.re} ${c.im < 0 || Object.is(c.im, -0) ? '-' : '+'} ${Math.abs(c.im)}i`; }
    case 'string': return JSON.stringify(v);
    case 'bytes': return hex(v as Uint8Array).replace(/(..)(?!$)/g, '$1 ');
    default: return '';
  }
}

/** Unused bits of a record entered, from the start of the outermost record. */
export interface Pad { readonly bitOffset: number; readonly bitSize: number; readonly kind: 'hole' | 'tail' }

/** What a member or element entry of the walk holds: its representation, its decoded value and its C type. */
interface Held { readonly rep: Rep; readonly val: unknown; readonly cType: string }

const isScalar = (rep: Rep): boolean => rep.k !== 'record' && rep.k !== 'tagged' && rep.k !== 'array' && rep.k !== 'flex';

/**
 * The decoded record as the walk over its layout facts (layout/walk.ts) meets it: every scalar at every depth in
 * declaration order (a union's members all, a tagged union's the one its tag selects), array elements one by one,
 * with where each is; with `pads`, the unused bits of every record entered too. A flexible array's elements (which
 * the facts do not count: the decoded value does) are walked here, each record element by a walk of its own.
 */
function walkDecoded(ip: Interpreter, rp: RecordPlan, v: Decoded, out: Leaf[], pads: Pad[] | null): void {
  const p = ip.program(rp);
  const visit = (rec: RecordFacts, value: Decoded, base: number, prefix: string, group: number | null) => {
    const held = new Map<WalkEntry, Held>();
    const holderValue = (e: MemberEntry): Decoded | null => (e.parent === null ? value : (held.get(e.parent)?.val as Decoded | undefined) ?? null);
    const entries = walk(p, rec, {
      padding: pads !== null,
      // a record is entered when it was decoded (not a union member the tag did not select)
      enter: (e) => held.has(e),
      // an array's elements one by one, unless it reads as one value (text, bytes)
      elements: (e) => held.get(e)?.rep.k === 'array',
    });
    for (const e of entries) {
      if (e.k === 'padding') {
        pads!.push({ bitOffset: base + e.bitOffset, bitSize: e.bitSize, kind: e.gap.kind });
        continue;
      }
      if (e.k === 'anonymous') continue;
      let h: Held;
      if (e.k === 'member') {
        const obj = holderValue(e);
        const mp = ip.planOf(e.holder)?.members[e.index];
        if (!obj || !mp || !Object.hasOwn(obj, mp.prop)) continue; // a union member its tag did not select
        h = { rep: mp.rep, val: obj[mp.prop], cType: e.member.cType };
      } else {
        const up = held.get(e.parent as MemberEntry | ElementEntry);
        if (!up || (up.rep.k !== 'array' && up.rep.k !== 'flex')) continue;
        h = { rep: up.rep.of, val: (up.val as unknown[])[e.index], cType: elementType(up.cType) };
      }
      held.set(e, h);
      const g = group ?? e.top;
      const path = prefix + e.path;
      const bit = base + e.bitOffset;
      if (h.rep.k === 'flex') {
        const val = h.val;
        if (val instanceof Uint8Array || val instanceof Int8Array) {
          out.push({ path, bitOffset: bit, bitSize: val.length * 8, cType: h.cType, bitfield: false, text: val.length ? hex(val).replace(/(..)(?!$)/g, '$1 ') : '(none)', group: g });
          continue;
        }
        if ((val as unknown[]).length === 0) { out.push({ path, bitOffset: bit, bitSize: 0, cType: h.cType, bitfield: false, text: '(none)', group: g }); continue; }
        elements(h.rep, val as unknown[], path, bit, h.cType, g);
        continue;
      }
      if (isScalar(h.rep)) {
        out.push({ path, bitOffset: bit, bitSize: e.bitSize, cType: h.cType, bitfield: h.rep.k === 'bits', text: scalarText(ip, h.rep, h.val), group: g });
      }
    }
  };
  // the elements of a flexible array (or of an array in one), which the walk cannot list: the facts do not count them
  const elements = (rep: Extract<Rep, { k: 'array' | 'flex' }>, a: readonly unknown[], path: string, bit: number, cType: string, g: number) => {
    const of = rep.of;
    const stride = rep.stride * 8;
    const et = elementType(cType);
    a.forEach((x, i) => {
      const at = bit + i * stride;
      if (of.k === 'record' || of.k === 'tagged') visit(ip.record(of.ref).facts, x as Decoded, at, `${path}[${i}].`, g);
      else if (of.k === 'array') elements(of, x as unknown[], `${path}[${i}]`, at, et, g);
      else out.push({ path: `${path}[${i}]`, bitOffset: at, bitSize: stride, cType: et, bitfield: false, text: scalarText(ip, of, x), group: g });
    });
  };
  visit(rp.facts, v, 0, '', null);
}

/** Every scalar of a decoded record at every depth, in declaration order (a union's members all), with where it is. */
export function leaves(ip: Interpreter, rp: RecordPlan, v: Decoded): Leaf[] {
  const out: Leaf[] = [];
  walkDecoded(ip, rp, v, out, null);
  return out;
}

/** The leaves, and the unused bits at every depth (nested records and the records of arrays too), in one walk. */
export function leavesAndPadding(ip: Interpreter, rp: RecordPlan, v: Decoded): { leaves: Leaf[]; pads: Pad[] } {
  const out: Leaf[] = [];
  const pads: Pad[] = [];
  walkDecoded(ip, rp, v, out, pads);
  return { leaves: out, pads: pads.sort((a, b) => a.bitOffset - b.bitOffset) };
}
