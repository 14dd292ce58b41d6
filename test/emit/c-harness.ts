// A C program per header, compiled with the real compiler: `fill` writes random bytes into every record (then
// valid values into _Bool, char[N] strings and long doubles), prints the bytes and every value as C reads them;
// `read` takes bytes on stdin and prints the values. The decoders under test must agree with both.

import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { HeaderAnalysis } from '../../generator/pipeline.js';
import type { CType, Record } from '../../generator/resolve/types.js';
import { isSigned } from '../../generator/target/ints.js';
import { sizerOf } from '../helpers/sizer.js';

export interface Leaf {
  /** C access path, also the path into the decoded JS object (`a.b[2].c`). */
  readonly path: string;
  readonly kind: 'int' | 'uint' | 'bool' | 'float' | 'ldouble' | 'string' | 'i128' | 'u128';
  /** C type of the value, for the printf cast. */
  readonly cast: string;
  /** Inside a union: C assigns nothing there (a later member would overwrite an earlier one's bytes). */
  readonly inUnion: boolean;
  readonly length?: number; // strings: char[N]
  readonly bitfield: boolean;
  /** Size in bytes of a scalar whose declared type says the other byte order (`__be16` on x86): C reads it
   * in the target's order, the decoder in the declared one, so the harness swaps before comparing. */
  readonly swap?: number;
}

/** Byte order a `__be16`/`__le32`-style typedef declares, or null. */
function declaredOrder(a: HeaderAnalysis, t: CType): 'big' | 'little' | null {
  let cur = t;
  while (cur.k === 'typedef') {
    const td = sizerOf(a).tables.typedef(cur.id);
    const m = /^__(be|le)(16|32|64)$/.exec(td.name);
    if (m) return m[1] === 'be' ? 'big' : 'little';
    cur = td.type;
  }
  return null;
}

export function leaves(a: HeaderAnalysis, rec: Record): Leaf[] {
  const out: Leaf[] = [];
  const L = sizerOf(a);
  const T = a.target;
  const walk = (t: CType, p: string, inUnion: boolean, bitfield: boolean) => {
    const d = L.desugar(t);
    switch (d.k) {
      case 'int': case 'enum': {
        const name = d.k === 'enum' ? a.resolved!.enums[d.id]!.underlying : d.name;
        if (name === '_Bool') { out.push({ path: p, kind: 'bool', cast: 'int', inUnion, bitfield }); return; }
        if (name === '__int128' || name === 'unsigned __int128') { out.push({ path: p, kind: name === '__int128' ? 'i128' : 'u128', cast: '', inUnion, bitfield }); return; }
        const signed = d.k === 'enum' && bitfield ? T.enumBitfieldSigned || isSigned(T, name) : isSigned(T, name);
        const order = bitfield ? null : declaredOrder(a, t);
        const swap = order && order !== T.endian ? L.sizeAlign(d).size : undefined;
        out.push({ path: p, kind: signed ? 'int' : 'uint', cast: signed ? 'long long' : 'unsigned long long', inUnion, bitfield, ...(swap ? { swap } : {}) });
        return;
      }
      case 'pointer':
        out.push({ path: p, kind: 'uint', cast: 'unsigned long long', inUnion, bitfield });
        return;
      case 'float':
        out.push({ path: p, kind: d.name === 'long double' ? 'ldouble' : 'float', cast: d.name === 'long double' ? 'long double' : 'double', inUnion, bitfield });
        return;
      case 'array': {
        if (d.length === null) return; // flexible arrays have no storage in the C object
        const el = L.desugar(d.of);
        if (el.k === 'int' && el.name === 'char') { out.push({ path: p, kind: 'string', cast: '', inUnion, bitfield, length: d.length }); return; }
        for (let i = 0; i < d.length; i++) walk(d.of, `${p}[${i}]`, inUnion, false);
        return;
      }
      case 'record': recordLeaves(d.id, p, inUnion); return;
      default: return;
    }
  };
  const recordLeaves = (id: number, prefix: string, inUnion: boolean) => {
    const r = a.resolved!.records[id]!;
    for (const f of r.fields) {
      const u = inUnion || r.kind === 'union';
      if (f.name === null) {
        if (f.bitWidth === null) {
          const d = L.desugar(f.type);
          if (d.k === 'record') recordLeaves(d.id, prefix, u);
        }
        continue;
      }
      walk(f.type, `${prefix}${prefix ? '.' : ''}${f.name}`, u, f.bitWidth !== null);
    }
  };
  recordLeaves(rec.id, '', false);
  return out;
}

function typeName(r: Record): string {
  return r.tag ? `${r.kind} ${r.tag}` : r.name!;
}

/** C source of the harness for `records` of the analysed header. */
export function harnessSource(a: HeaderAnalysis, records: readonly Record[]): string {
  const lines: string[] = [
    `#include "${path.resolve(a.header)}"`,
    '#include <stdio.h>', '#include <stdlib.h>', '#include <string.h>', '#include <stdint.h>',
    'static unsigned long long state = 88172645463325252ULL;',
    'static unsigned rnd(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return (unsigned)state; }',
    'static int hexval(int c) { return c <= \'9\' ? c - \'0\' : (c | 32) - \'a\' + 10; }',
    'static void put_u128(const char *p, unsigned __int128 v) { printf("%s=%llu:%llu\\n", p, (unsigned long long)(v >> 64), (unsigned long long)v); }',
    'int main(int argc, char **argv) {',
    '  int fill = argc > 1 && strcmp(argv[1], "fill") == 0;',
    '  const char *which = argc > 2 ? argv[2] : "";',
    '  if (argc > 3) state = strtoull(argv[3], 0, 10);',
  ];
  for (const r of records) {
    const T = typeName(r);
    const ls = leaves(a, r);
    lines.push(`  if (strcmp(which, ${JSON.stringify(r.name)}) == 0) {`);
    lines.push(`    static ${T} v; unsigned char *b = (unsigned char *)&v;`);
    lines.push('    if (fill) {');
    lines.push(`      for (size_t i = 0; i < sizeof v; i++) b[i] = (unsigned char)rnd();`);
    for (const l of ls) {
      // strings in unions get text too (random bytes are not UTF-8, so they could not round-trip as strings)
      if (l.inUnion && l.kind !== 'string') continue;
      if (l.kind === 'bool') lines.push(`      v.${l.path} = rnd() & 1;`);
      if (l.kind === 'ldouble') lines.push(`      v.${l.path} = (long double)(int)rnd() / 7.0L;`);
      if (l.kind === 'string') {
        lines.push(`      { size_t n = rnd() % ${l.length}; for (size_t i = 0; i < ${l.length}; i++) v.${l.path}[i] = i < n ? "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[rnd() % 62] : 0; }`);
      }
    }
    lines.push('    } else {');
    lines.push('      int c, h = -1; size_t i = 0;');
    lines.push('      while ((c = getchar()) != EOF) { if (c == \'\\n\' || c == \' \') continue; if (h < 0) h = hexval(c); else { if (i < sizeof v) b[i++] = (unsigned char)(h * 16 + hexval(c)); h = -1; } }');
    lines.push('    }');
    lines.push('    printf("@bytes=");'); // '@' keeps it apart from a member named bytes
    lines.push('    for (size_t i = 0; i < sizeof v; i++) printf("%02x", b[i]);');
    lines.push('    printf("\\n");');
    for (const l of ls) {
      // values inside unions are printed except those C may not read from arbitrary bytes
      if (l.inUnion && (l.kind === 'bool' || l.kind === 'ldouble')) continue;
      const P = JSON.stringify(l.path);
      switch (l.kind) {
        case 'int': lines.push(`    printf("%s=%lld\\n", ${P}, (long long)v.${l.path});`); break;
        case 'uint': lines.push(`    printf("%s=%llu\\n", ${P}, (unsigned long long)${l.bitfield ? '' : '(uintptr_t)'}v.${l.path});`); break;
        case 'bool': lines.push(`    printf("%s=%d\\n", ${P}, (int)v.${l.path});`); break;
        case 'float': lines.push(`    printf("%s=%.17g\\n", ${P}, (double)v.${l.path});`); break;
        case 'ldouble': lines.push(`    printf("%s=%.17g\\n", ${P}, (double)v.${l.path});`); break;
        case 'string': lines.push(`    printf("%s=%.${l.length}s|\\n", ${P}, v.${l.path});`); break;
        case 'i128': case 'u128': lines.push(`    put_u128(${P}, (unsigned __int128)v.${l.path});`); break;
      }
    }
    lines.push('    return 0;', '  }');
  }
  lines.push('  fprintf(stderr, "unknown record %s\\n", which);', '  return 2;', '}');
  // pointers print through uintptr_t; bit-fields cannot be cast that way, hence the split above
  return lines.join('\n').replace(/\(unsigned long long\)\(uintptr_t\)v\.([\w.[\]]+)/g, (m, p: string) => m.replace(`v.${p}`, `v.${p}`));
}

export function compileHarness(a: HeaderAnalysis, records: readonly Record[], dir: string, cc = 'gcc', extra: string[] = []): string {
  const src = path.join(dir, 'harness.c');
  const exe = path.join(dir, 'harness');
  writeFileSync(src, harnessSource(a, records));
  execFileSync(cc, ['-std=gnu17', '-w', '-O1', '-o', exe, src, ...extra], { stdio: 'pipe' });
  return exe;
}

export interface CValues {
  readonly bytes: Uint8Array;
  readonly values: Map<string, string>;
}

export function parseOutput(out: string): CValues {
  const values = new Map<string, string>();
  let bytes = new Uint8Array();
  for (const line of out.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const k = line.slice(0, eq);
    const v = line.slice(eq + 1);
    if (k === '@bytes') bytes = Uint8Array.from(v.match(/../g) ?? [], (h) => parseInt(h, 16));
    else values.set(k, v);
  }
  return { bytes, values };
}

export function runFill(exe: string, record: string, seed: number): CValues {
  return parseOutput(execFileSync(exe, ['fill', record, String(seed)], { encoding: 'utf8' }));
}

export function runRead(exe: string, record: string, bytes: Uint8Array): CValues {
  const r = spawnSync(exe, ['read', record], { input: Buffer.from(bytes).toString('hex'), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return parseOutput(r.stdout);
}

/** The value at a C access path of a decoded object, printed as the harness prints it. */
export function jsValue(obj: unknown, l: Leaf): string {
  let cur: unknown = obj;
  for (const part of l.path.match(/[^.[\]]+/g) ?? []) {
    if (cur instanceof Uint8Array || cur instanceof Int8Array) cur = cur[Number(part)];
    else if (/^\d+$/.test(part) && typeof (cur as { get?: unknown }).get === 'function') cur = (cur as { get(i: number): unknown }).get(Number(part)); // an ArrayView
    else cur = (cur as { [k: string]: unknown })[/^\d+$/.test(part) ? Number(part) : part];
  }
  switch (l.kind) {
    case 'bool': return cur ? '1' : '0';
    case 'float': case 'ldouble': return formatDouble(cur as number);
    case 'string': return `${cur as string}|`;
    case 'i128': case 'u128': {
      const u = BigInt.asUintN(128, cur as bigint);
      return `${u >> 64n}:${u & 0xffffffffffffffffn}`;
    }
    default: return l.swap ? String(swapBytes(BigInt(cur as number | bigint), l.swap)) : String(cur);
  }
}

function swapBytes(v: bigint, size: number): bigint {
  let u = BigInt.asUintN(size * 8, v);
  let out = 0n;
  for (let i = 0; i < size; i++) { out = (out << 8n) | (u & 0xffn); u >>= 8n; }
  return out;
}

/** glibc prints a NaN's sign (`-nan`); a NaN's sign and payload are not values a decoder promises to keep. */
export function sameValue(c: string, js: string): boolean {
  return c === js || (/^-?nan$/.test(c) && /^-?nan$/.test(js));
}

/** `%.17g` of a double, as glibc prints it. */
export function formatDouble(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant, expS] = x.toExponential(16).split('e') as [string, string];
  const exp = Number(expS);
  if (exp < -4 || exp >= 17) {
    const m = mant.replace(/\.?0+$/, '');
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return x.toFixed(Math.max(0, 16 - exp)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}
