// Seeded random C record generator for differential tests against the compiler. Every record is valid C
// for the target (bit-field widths fit, `_Alignas` never lowers), and each keeps its own source text so a
// failing record can be printed on its own.

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

interface ScalarT { readonly spell: string; readonly bits: number; readonly align: number; readonly int: boolean }

export function generateRecords(seed: number, count: number, target: TargetDesc): Generated {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number) => r() < p;
  const ints = target.ints;
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
    { spell: 'int_a2', bits: ints.int!.size * 8, align: 2, int: true },
  ];
  const others: ScalarT[] = [
    { spell: 'float', bits: 32, align: target.floats.float.align, int: false },
    { spell: 'double', bits: 64, align: target.floats.double.align, int: false },
    { spell: 'long double', bits: target.floats['long double'].size * 8, align: target.floats['long double'].align, int: false },
    { spell: 'void *', bits: target.pointer.size * 8, align: target.pointer.align, int: false },
    { spell: 'short_a8', bits: 16, align: 8, int: false },
    { spell: 'll_a4', bits: 64, align: 4, int: false },
    target.enumsAlwaysInt ? { spell: 'enum Epk', bits: ints.int!.size * 8, align: ints.int!.align, int: false } : { spell: 'enum Epk', bits: 8, align: 1, int: false },
    ...(ints.__int128 ? [{ spell: '__int128', bits: 128, align: ints.__int128.align, int: false }] : []),
  ];
  const scalars = [...intTypes.filter((t) => t.spell !== '_Bool'), ...others, intTypes.find((t) => t.spell === '_Bool')!];
  const prelude = [
    'typedef int int_a2 __attribute__((aligned(2)));',
    'typedef short short_a8 __attribute__((aligned(8)));',
    'typedef long long ll_a4 __attribute__((aligned(4)));',
    'enum E8 { E8a = 0, E8b = 200 };',
    'enum Eneg { Ena = -5, Enb = 5 };',
    'enum __attribute__((packed)) Epk { Epa = 1, Epb = 2 };',
  ];
  const inner: string[] = [];
  let uid = 0;
  const alignN = () => pick([1, 2, 4, 8, 16]);
  const fieldAttr = (isBf: boolean): string => {
    const parts: string[] = [];
    if (chance(0.08)) parts.push(`aligned(${alignN()})`);
    if (chance(0.08)) parts.push('packed');
    if (!isBf && chance(0.02)) parts.push('aligned');
    return parts.length ? ` __attribute__((${parts.join(', ')}))` : '';
  };
  const bitfield = (name: () => string): string => {
    const t = pick(intTypes);
    const maxW = t.bits;
    const roll = r();
    if (roll < 0.1) return `${t.spell} :0;`;
    const w = t.spell === '_Bool' ? 1 : 1 + Math.floor(r() * maxW);
    if (roll < 0.22) return `${t.spell} :${w};`;
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
    return `${pre}${t.spell} ${name()}${dims}${fieldAttr(false)};`;
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
      if (roll < 0.35) fields.push(bitfield(nm));
      else if (roll < 0.7) fields.push(scalarField(nm));
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
    let src = `${kind}${rattr} R${i} { ${fields.join(' ')} };`;
    const packRoll = r();
    if (packRoll < 0.08) src = `#pragma pack(${alignN()})\n${src}\n#pragma pack()`;
    else if (packRoll < 0.14) src = `#pragma pack(push, ${alignN()})\n${src}\n#pragma pack(pop)`;
    else if (packRoll < 0.17) src = `#pragma pack(push, 1)\n#pragma pack(push, ${alignN()})\n#pragma pack(pop)\n${src}\n#pragma pack(pop)`;
    records.push({ name, source: src });
  }
  const preludeText = [...prelude, ...inner].join('\n');
  return { prelude: preludeText, records, source: `${preludeText}\n${records.map((x) => x.source).join('\n')}\n` };
}
