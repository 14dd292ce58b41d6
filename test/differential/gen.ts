// Seeded random C record generator for differential tests against the compiler. Every record is valid C
// for the target (bit-field widths fit, `_Alignas` never lowers, every type exists there), and each keeps its own
// source text so a failing record can be printed on its own. Besides plain scalars, bit-fields, arrays, nested and
// anonymous records, packing and `#pragma pack`, it draws GNU vectors of every size (`vector_size`, vector modes,
// non-power-of-two lengths where the compiler has them), `_Complex` of every base type, `mode` attributes (integer
// and floating), 64-bit enums, and layout attributes in every position a declaration may hold one: before the
// specifiers, after the type specifier (`int`, a typedef name, `enum E`, `struct S`), after `*`, after the name,
// after a bit-field's width, in a declarator list, on typedefs and on enum definitions.

import type { TargetDesc } from '../../generator/target/index.js';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedRecord {
  readonly name: string; // `struct R12` / `union R12`
  readonly source: string;
}

export interface Generated {
  /** Shared prelude (typedefs, enums, inner records) followed by every record. */
  readonly source: string;
  readonly prelude: string;
  readonly records: readonly GeneratedRecord[];
}

export interface GenerateOptions {
  /** Only what gcc accepts too (no vectors whose length is not a power of two, no vector modes, no attribute at the
   * start of a member declarator after a comma). */
  readonly compiler?: 'clang' | 'gcc';
}

interface ScalarT { readonly spell: string; readonly bits: number; readonly align: number; readonly int: boolean }

const pow2 = (n: number) => { let p = 1; while (p < n) p *= 2; return p; };

export function generateRecords(seed: number, count: number, target: TargetDesc, opts: GenerateOptions = {}): Generated {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number) => r() < p;
  const ints = target.ints;
  const gcc = opts.compiler === 'gcc' || target.compiler === 'gcc';
  const sizeOf = (rank: 'short' | 'int' | 'long' | 'long long') => ints[rank]!.size;
  const intTypes: ScalarT[] = [
    { spell: 'char', bits: 8, align: 1, int: true },
    { spell: 'signed char', bits: 8, align: 1, int: true },
    { spell: 'unsigned char', bits: 8, align: 1, int: true },
    { spell: 'short', bits: ints.short!.size * 8, align: ints.short!.align, int: true },
    { spell: 'unsigned short', bits: ints.short!.size * 8, align: ints.short!.align, int: true },
    { spell: 'int', bits: ints.int!.size * 8, align: ints.int!.align, int: true },
    { spell: 'unsigned', bits: ints.int!.size * 8, align: ints.int!.align, int: true },
    { spell: 'long', bits: ints.long!.size * 8, align: ints.long!.align, int: true },
    { spell: 'unsigned long', bits: ints.long!.size * 8, align: ints.long!.align, int: true },
    { spell: 'long long', bits: ints['long long']!.size * 8, align: ints['long long']!.align, int: true },
    { spell: 'unsigned long long', bits: ints['long long']!.size * 8, align: ints['long long']!.align, int: true },
    { spell: '_Bool', bits: 1, align: 1, int: true },
    // with -fshort-enums both enums below fit in one byte
    target.shortEnums ? { spell: 'enum E8', bits: 8, align: 1, int: true } : { spell: 'enum E8', bits: ints.int!.size * 8, align: ints.int!.align, int: true },
    target.shortEnums ? { spell: 'enum Eneg', bits: 8, align: 1, int: true } : { spell: 'enum Eneg', bits: ints.int!.size * 8, align: ints.int!.align, int: true },
    target.enumsAlwaysInt ? { spell: 'enum Epk2', bits: ints.int!.size * 8, align: ints.int!.align, int: true } : { spell: 'enum Epk2', bits: 16, align: ints.short!.align, int: true },
    target.enumsAlwaysInt ? { spell: 'Et', bits: ints.int!.size * 8, align: ints.int!.align, int: true } : { spell: 'Et', bits: 8, align: 1, int: true },
    { spell: 'int_a2', bits: ints.int!.size * 8, align: 2, int: true },
    // integer modes: the target's exact-width types
    { spell: 'm_qi', bits: 8, align: 1, int: true },
    { spell: 'm_hi', bits: 16, align: exactAlign(target, 16), int: true },
    { spell: 'm_usi', bits: 32, align: exactAlign(target, 32), int: true },
    { spell: 'm_di', bits: 64, align: exactAlign(target, 64), int: true },
  ];
  // a 64-bit enum (MSVC: always int)
  const e64 = target.enumsAlwaysInt ? ints.int! : sizeOf('long') === 8 ? ints.long! : ints['long long']!;
  const others: ScalarT[] = [
    { spell: 'float', bits: 32, align: target.floats.float.align, int: false },
    { spell: 'double', bits: target.floats.double.size * 8, align: target.floats.double.align, int: false },
    { spell: 'long double', bits: target.floats['long double'].size * 8, align: target.floats['long double'].align, int: false },
    { spell: 'void *', bits: target.pointer.size * 8, align: target.pointer.align, int: false },
    { spell: 'short_a8', bits: 16, align: 8, int: false },
    { spell: 'll_a4', bits: 64, align: 4, int: false },
    target.enumsAlwaysInt ? { spell: 'enum Epk', bits: ints.int!.size * 8, align: ints.int!.align, int: false } : { spell: 'enum Epk', bits: 8, align: 1, int: false },
    { spell: 'enum E64', bits: e64.size * 8, align: e64.align, int: false },
    ...(gcc ? [] : [
      { spell: 'Ea8', bits: ints.int!.size * 8, align: 8, int: false },
      { spell: 'enum Epa2', bits: target.enumsAlwaysInt ? ints.int!.size * 8 : 8, align: 2, int: false },
      { spell: 'enum Ea1', bits: ints.int!.size * 8, align: 1, int: false },
    ]),
    ...(ints.__int128 ? [{ spell: '__int128', bits: 128, align: ints.__int128.align, int: false }, { spell: 'm_ti', bits: 128, align: ints.__int128.align, int: false }] : []),
  ];
  const prelude = [
    'typedef int int_a2 __attribute__((aligned(2)));',
    'typedef short short_a8 __attribute__((aligned(8)));',
    'typedef long long ll_a4 __attribute__((aligned(4)));',
    'enum E8 { E8a = 0, E8b = 200 };',
    'enum Eneg { Ena = -5, Enb = 5 };',
    'enum __attribute__((packed)) Epk { Epa = 1, Epb = 2 };',
    // attributes on enum definitions, before and after the body (clang aligns an aligned enum exactly so, gcc ignores it)
    'enum Epk2 { P2a = 1, P2b = 300 } __attribute__((packed));',
    'typedef enum { Et1 = 1 } __attribute__((packed)) Et;',
    'typedef enum __attribute__((aligned(8))) { Ea1 = 1 } Ea8;',
    'enum __attribute__((packed, aligned(2))) Epa2 { Epq = 1 };',
    'enum Ea1 { Eaa = 1 } __attribute__((aligned(1)));',
    `enum E64 { E64a = 0x1FFFFFFFFLL, E64b = -3 };`,
    'typedef int __attribute__((mode(QI))) m_qi;',
    'typedef short m_hi __attribute__((mode(HI)));',
    'typedef unsigned __attribute__((mode(SI))) m_usi;',
    'typedef __attribute__((mode(DI))) long m_di;',
    ...(ints.__int128 ? ['typedef int __attribute__((mode(TI))) m_ti;'] : []),
  ];
  // floating modes the target has (clang's mapping: DF needs a 64-bit double, XF the x87 format, TF a 128-bit one)
  const ld = target.floatFormats['long double'];
  const fmodes: Array<[string, number, number]> = [['SF', 4, target.floats.float.align]];
  if (target.floats.double.size === 8) fmodes.push(['DF', 8, target.floats.double.align]);
  if (ld === 'x87-80') fmodes.push(['XF', target.floats['long double'].size, target.floats['long double'].align]);
  if (ld === 'binary128' || ld === 'ibm-double-double') fmodes.push(['TF', 16, target.floats['long double'].align]);
  else if (target.float128) fmodes.push(['TF', 16, 16]);
  for (const [m, size, align] of fmodes) {
    prelude.push(`typedef ${pick(['float', 'double'])} __attribute__((mode(${m}))) m_${m.toLowerCase()};`);
    others.push({ spell: `m_${m.toLowerCase()}`, bits: size * 8, align, int: false });
  }
  // complex types of every base type
  const complexBases = ['float', 'double', 'long double', 'char', 'signed char', 'unsigned char', 'short', 'unsigned short',
    'int', 'unsigned', 'long', 'unsigned long', 'long long', 'unsigned long long'];
  complexBases.forEach((b, i) => {
    const part = [...intTypes, ...others].find((t) => t.spell === b) ?? intTypes.find((t) => t.spell === b.replace(/^signed /, ''))!;
    prelude.push(chance(0.5) ? `typedef _Complex ${b} cx${i};` : `typedef ${b} _Complex cx${i};`);
    others.push({ spell: `cx${i}`, bits: part.bits * 2, align: part.align, int: false });
  });
  // GNU vectors of every size, by vector_size and by vector modes
  const vecAlign = (bytes: number) => {
    let a = pow2(bytes);
    if (target.maxVectorAlign && a > target.maxVectorAlign) a = target.maxVectorAlign;
    return a;
  };
  const elems: Array<[string, number]> = [['char', 1], ['short', ints.short!.size], ['int', ints.int!.size],
    ['long long', ints['long long']!.size], ['float', 4], ['double', target.floats.double.size]];
  let vi = 0;
  // (gcc's _Alignof of a record says at most 16 where a vector aligns it more, so its verification takes vectors up to
  // 16 bytes; the larger ones' offsets are proven against gcc in test/layout/vectors.test.ts)
  const maxVector = gcc ? 16 : 64;
  for (const [elem, esize] of elems) {
    for (let n = 1; n * esize <= maxVector; n *= 2) {
      const bytes = n * esize;
      const name = `vec${vi++}`;
      prelude.push(chance(0.5) ? `typedef ${elem} ${name} __attribute__((vector_size(${bytes})));` : `typedef ${elem} __attribute__((vector_size(${bytes}))) ${name};`);
      others.push({ spell: name, bits: bytes * 8, align: vecAlign(bytes), int: false });
    }
    if (!gcc) {
      // clang's vectors of 3, 5, 6 or 7 elements: sized and aligned as the next power of two
      const n = pick([3, 5, 6, 7]);
      const name = `vec${vi++}`;
      prelude.push(`typedef ${elem} ${name} __attribute__((vector_size(${n * esize})));`);
      others.push({ spell: name, bits: pow2(n * esize) * 8, align: vecAlign(n * esize), int: false });
    }
  }
  // vector modes (clang only: gcc on x86 without SSE cannot emulate them)
  for (const [mode, elem, bytes] of gcc ? [] : [['V4SI', 'int', 16], ['V2DI', 'long', 16], ['V8QI', 'char', 8], ['V4SF', 'float', 16], ['V2SF', 'float', 8]] as const) {
    if (elem === 'long' && !(ints.long!.size === 8 || ints['long long']!.size === 8)) continue;
    const name = `vm_${mode.toLowerCase()}`;
    prelude.push(`typedef ${elem} __attribute__((mode(${mode}))) ${name};`);
    others.push({ spell: name, bits: bytes * 8, align: vecAlign(bytes), int: false });
  }
  const scalars = [...intTypes.filter((t) => t.spell !== '_Bool'), ...others, intTypes.find((t) => t.spell === '_Bool')!];
  const inner: string[] = [];
  let uid = 0;
  const alignN = () => pick([1, 2, 4, 8, 16]);
  const attrList = (isBf: boolean): string => {
    const parts: string[] = [];
    if (chance(0.5)) parts.push(`aligned(${alignN()})`);
    if (parts.length === 0 || chance(0.3)) parts.push('packed');
    if (!isBf && chance(0.05)) parts.push('aligned');
    return `__attribute__((${parts.join(', ')}))`;
  };
  const fieldAttr = (isBf: boolean): string => {
    const parts: string[] = [];
    if (chance(0.08)) parts.push(`aligned(${alignN()})`);
    if (chance(0.08)) parts.push('packed');
    if (!isBf && chance(0.02)) parts.push('aligned');
    return parts.length ? ` __attribute__((${parts.join(', ')}))` : '';
  };
  // typedefs with attributes in every position a typedef may hold one
  for (let k = 0; k < 8; k++) {
    const base = pick(['int', 'short', 'long long', 'char', 'enum Eneg', 'enum E8', 'double']);
    const a = `__attribute__((aligned(${alignN()})))`;
    const name = `ta${k}`;
    const form = pick(['lead', 'spec', 'name', 'star', 'second']);
    if (form === 'lead') prelude.push(`typedef ${a} ${base} ${name};`);
    else if (form === 'spec') prelude.push(`typedef ${base} ${a} ${name};`);
    else if (form === 'name') prelude.push(`typedef ${base} ${name} ${a};`);
    else if (form === 'star') prelude.push(`typedef ${base} * ${a} ${name};`);
    else prelude.push(`typedef ${base} ${name}x ${a}, ${name};`);
  }
  // the typedefs' sizes and alignments are the compiler's business: they are used alone, not in arrays
  const attrTypedefs = Array.from({ length: 8 }, (_, k) => `ta${k}`);
  const bitfield = (name: () => string): string => {
    const t = pick(intTypes);
    const maxW = t.bits;
    const roll = r();
    if (roll < 0.1) return `${t.spell} :0;`;
    const w = t.spell === '_Bool' ? 1 : 1 + Math.floor(r() * maxW);
    if (roll < 0.22) return `${t.spell} :${w};`;
    const pos = r();
    // an attribute after the type specifier, after the width, or after the name
    if (pos < 0.1) return `${t.spell} ${attrList(true)} ${name()}:${w};`;
    if (pos < 0.2) return `${t.spell} ${name()}:${w} ${attrList(true)};`;
    return `${t.spell} ${name()}:${w}${fieldAttr(true)};`;
  };
  const scalarField = (name: () => string): string => {
    const t = pick(scalars);
    let pre = '';
    if (chance(0.05)) {
      const n = Math.max(t.align, alignN());
      pre = `_Alignas(${n}) `;
    }
    let dims = '';
    const arrayOk = t.bits / 8 % t.align === 0 || t.bits < 8;
    if (arrayOk && chance(0.2)) dims = `[${1 + Math.floor(r() * 4)}]`;
    if (dims && chance(0.25)) dims += `[${1 + Math.floor(r() * 3)}]`;
    // (a declarator list repeats only the specifiers: never of `void *`)
    const pos = t.spell.includes('*') ? 0.3 + r() * 0.7 : r();
    if (pos < 0.06) return `${pre}${attrList(false)} ${t.spell} ${name()}${dims};`;
    if (pos < 0.14) return `${pre}${t.spell} ${attrList(false)} ${name()}${dims};`;
    // (gcc takes no attribute at the start of a member declarator after a comma)
    if (pos < 0.18 && !gcc) return `${pre}${t.spell} ${name()}${dims}, ${attrList(false)} ${name()};`;
    if (pos < 0.22) return `${pre}${t.spell} ${name()} ${attrList(false)}, ${name()}${dims};`;
    return `${pre}${t.spell} ${name()}${dims}${fieldAttr(false)};`;
  };
  const pointerField = (name: () => string): string => {
    const t = pick(['int', 'char', innerNames[0]!, 'double', 'void', 'enum E8']);
    const a = attrList(false);
    return pick([`${t} * ${a} ${name()};`, `${t} * ${a} * ${name()};`, `${t} * const ${a} ${name()};`, `${t === 'void' ? 'char' : t} (* ${a} ${name()})[3];`,
      `${t} * ${name()}, * ${a} ${name()};`]);
  };
  const specField = (name: () => string): string => {
    // an attribute after `enum E` / `struct S` used by name, or on a member of an attributed typedef
    const roll = r();
    if (roll < 0.35) return `${pick(['enum E8', 'enum Eneg', 'enum E64', 'enum Epk'])} ${attrList(false)} ${name()};`;
    if (roll < 0.5) return `${pick(['enum E8', 'enum Eneg'])} ${attrList(true)} ${name()}:${1 + Math.floor(r() * 7)};`;
    if (roll < 0.75) return `${pick(innerNames)} ${attrList(false)} ${name()};`;
    return `${pick(attrTypedefs)} ${name()};`;
  };
  const simpleFields = (n: number, name: () => string, allowBf: boolean): string[] => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(allowBf && chance(0.4) ? bitfield(name) : scalarField(name));
    return out;
  };
  // a few inner records to nest
  const innerNames: string[] = [];
  for (let k = 0; k < 6; k++) {
    let fi = 0;
    const nm = () => `m${fi++}`;
    const kind = chance(0.25) ? 'union' : 'struct';
    const attrs = chance(0.2) ? ' __attribute__((packed))' : chance(0.15) ? ` __attribute__((aligned(${alignN()})))` : '';
    const body = simpleFields(1 + Math.floor(r() * 4), nm, true);
    inner.push(`${kind}${attrs} In${k} { ${body.join(' ')} };`);
    innerNames.push(`${kind} In${k}`);
  }
  const records: GeneratedRecord[] = [];
  for (let i = 0; i < count; i++) {
    let fi = 0;
    const nm = () => `f${fi++}`;
    const kind = chance(0.2) ? 'union' : 'struct';
    const fields: string[] = [];
    const n = Math.floor(r() * 8) + (chance(0.03) ? 0 : 1);
    for (let j = 0; j < n; j++) {
      const roll = r();
      if (roll < 0.32) fields.push(bitfield(nm));
      else if (roll < 0.62) fields.push(scalarField(nm));
      else if (roll < 0.67) fields.push(pointerField(nm));
      else if (roll < 0.72) fields.push(specField(nm));
      else if (roll < 0.8) {
        const t = pick(innerNames);
        fields.push(`${t} ${nm()}${chance(0.3) ? `[${1 + Math.floor(r() * 3)}]` : ''}${fieldAttr(false)};`);
      } else if (roll < 0.9) {
        const k = chance(0.5) ? 'struct' : 'union';
        const attr = chance(0.15) ? ' __attribute__((packed))' : '';
        fields.push(`${k}${attr} { ${simpleFields(1 + Math.floor(r() * 3), nm, true).join(' ')} };`);
      } else {
        const k = chance(0.7) ? 'struct' : 'union';
        fields.push(`${k} { ${simpleFields(1 + Math.floor(r() * 3), () => `g${uid++}`, true).join(' ')} } ${nm()}${chance(0.2) ? '[2]' : ''};`);
      }
    }
    if (kind === 'struct' && fields.some((f) => !/^[^{]*:\s*\d+;$/.test(f) || /\w:\d/.test(f)) && chance(0.1)) {
      const t = pick(scalars.filter((s) => s.spell !== '_Bool' && s.bits / 8 % s.align === 0));
      fields.push(`${t.spell} ${nm()}[];`);
    }
    let rattr = '';
    if (chance(0.15)) rattr += ' __attribute__((packed))';
    if (chance(0.1)) rattr += ` __attribute__((aligned(${alignN()})))`;
    const name = `${kind} R${i}`;
    // record attributes after the keyword or after the body
    let src = chance(0.5) ? `${kind}${rattr} R${i} { ${fields.join(' ')} };` : `${kind} R${i} { ${fields.join(' ')} }${rattr};`;
    const packRoll = r();
    if (packRoll < 0.08) src = `#pragma pack(${alignN()})\n${src}\n#pragma pack()`;
    else if (packRoll < 0.14) src = `#pragma pack(push, ${alignN()})\n${src}\n#pragma pack(pop)`;
    else if (packRoll < 0.17) src = `#pragma pack(push, 1)\n#pragma pack(push, ${alignN()})\n#pragma pack(pop)\n${src}\n#pragma pack(pop)`;
    records.push({ name, source: src });
  }
  const preludeText = [...prelude, ...inner].join('\n');
  return { prelude: preludeText, records, source: `${preludeText}\n${records.map((x) => x.source).join('\n')}\n` };
}

/** Alignment of the target's exact-width integer type of `bits` bits (what an integer `mode` gives). */
function exactAlign(t: TargetDesc, bits: 16 | 32 | 64): number {
  const name = t.exactTypes[bits].replace(/^(un)?signed /, '');
  const rank = name === 'char' ? 'char' : name as 'short' | 'int' | 'long' | 'long long';
  return t.ints[rank]!.align;
}
