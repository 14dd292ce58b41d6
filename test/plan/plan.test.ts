// The member plan, table-driven: what each C member becomes (its representation, `Rep`) for every kind — integers
// of each width and byte order, 64- and 128-bit, booleans, floats of each format, complex, text and bytes, arrays of
// any dimensions, nested and anonymous records, enums, bit-fields, flexible arrays (counted or not), tagged unions —
// with the overrides that change them, and the member flags encode uses (optional, counts, tags).

import { describe, expect, it } from 'vitest';
import { hasErrors, formatDiagnostic } from '../../generator/diagnostics.js';
import { analyzeHeader } from '../../generator/pipeline.js';
import { planModules, type MemberPlan, type PlanOptions, type Rep } from '../../generator/plan/plan.js';
import { tempFile } from '../helpers/compiler.js';

/** A representation as a short string: what the tables below expect. */
function show(rep: Rep): string {
  const order = (le: boolean) => (le ? 'le' : 'be');
  switch (rep.k) {
    case 'int': return `int${rep.bytes * 8}${rep.signed ? 's' : 'u'}${rep.bytes > 1 ? ` ${order(rep.le)}` : ''}${rep.enum ? ` enum ${rep.enum.name}` : ''}`;
    case 'bigint': return `bigint${rep.bytes * 8}${rep.signed ? 's' : 'u'} ${order(rep.le)}${rep.enum ? ` enum ${rep.enum.name}` : ''}`;
    case 'safe': return `number64${rep.signed ? 's' : 'u'} ${order(rep.le)}${rep.enum ? ` enum ${rep.enum.name}` : ''}`;
    case 'bool': return `bool${rep.bytes * 8}`;
    case 'float': return `${rep.format} ${order(rep.le)}`;
    case 'complex': return `complex ${show(rep.part)}`;
    case 'string': return `string[${rep.bytes}] ${rep.encoding}`;
    case 'bytes': return `bytes[${rep.bytes}] ${rep.signed ? 's' : 'u'}`;
    case 'array': return `array[${rep.length}] of ${show(rep.of)}`;
    case 'record': return `record ${rep.ref.name}`;
    case 'bits': return `bits ${rep.bits.width}${rep.bits.signed ? 's' : 'u'} as ${rep.as}${rep.enum ? ` enum ${rep.enum.name}` : ''}`;
    case 'flex': return `flex of ${show(rep.of)}${rep.count ? ` counted by ${rep.count.name}` : ''}`;
    case 'tagged': return `tagged by ${rep.tag.name}: ${rep.cases.map((c) => `${c.value}->${c.prop}`).join(', ')}`;
  }
}

/** The plan of record `rec`'s members for a header. */
function plan(header: string, rec: string, opts: PlanOptions & { target?: string } = {}): readonly MemberPlan[] {
  const a = analyzeHeader(tempFile('p.h', `#include <stdint.h>\n#include <stdbool.h>\n${header}`), { evaluateDefines: true, ...(opts.target ? { target: opts.target } : {}) });
  if (hasErrors(a.diagnostics)) throw new Error(a.diagnostics.map(formatDiagnostic).join('\n'));
  const p = planModules([a.facts!], opts);
  if (hasErrors(p.diagnostics)) throw new Error(p.diagnostics.map(formatDiagnostic).join('\n'));
  const r = p.modules.flatMap((m) => m.records).find((x) => x.name === rec);
  if (!r) throw new Error(`no record ${rec}`);
  return r.members;
}

const ENUM = 'enum color { RED = 1, GREEN = 2 };\n';

// [what, C declaration of member `m` (in struct s), overrides of s.m, expected]
const MEMBERS: ReadonlyArray<readonly [string, string, PlanOptions['fields'] extends infer F ? (F extends { readonly [k: string]: infer O } ? O | null : null) : null, string]> = [
  ['uint8_t', 'uint8_t m;', null, 'int8u'],
  ['int16_t', 'int16_t m;', null, 'int16s le'],
  ['uint32_t, big-endian by override', 'uint32_t m;', { endian: 'big' }, 'int32u be'],
  ['a __be16 typedef', 'm_be16 m;', null, 'int16u be'],
  ['int64_t', 'int64_t m;', null, 'bigint64s le'],
  ['__int128', '__int128 m;', null, 'bigint128s le'],
  ['uint64_t as a number', 'uint64_t m;', { as: 'number' }, 'number64u le'],
  ['_Bool', 'bool m;', null, 'bool8'],
  ['an int as a bool', 'int m;', { as: 'bool' }, 'bool32'],
  ['float', 'float m;', null, 'binary32 le'],
  ['double', 'double m;', null, 'binary64 le'],
  ['long double (x86_64)', 'long double m;', null, 'x87-80 le'],
  ['float _Complex', 'float _Complex m;', null, 'complex binary32 le'],
  ['char[8]', 'char m[8];', null, 'string[8] utf-8'],
  ['char[8] in Latin-1', 'char m[8];', { encoding: 'latin1' }, 'string[8] latin1'],
  ['char[4] as bytes', 'char m[4];', { as: 'bytes' }, 'bytes[4] u'],
  ['uint8_t[4]', 'uint8_t m[4];', null, 'bytes[4] u'],
  ['int8_t[4]', 'int8_t m[4];', null, 'bytes[4] s'],
  ['uint8_t[16] as a string', 'uint8_t m[16];', { as: 'string' }, 'string[16] utf-8'],
  ['int[3]', 'int m[3];', null, 'array[3] of int32s le'],
  ['int[2][3]', 'int m[2][3];', null, 'array[2] of array[3] of int32s le'],
  ['char[2][8]', 'char m[2][8];', null, 'array[2] of string[8] utf-8'],
  ['a typedef chain of arrays', 'chain2 m;', null, 'array[1] of array[1] of array[1] of int32s le'],
  ['uint16_t[2] big-endian', 'uint16_t m[2];', { endian: 'big' }, 'array[2] of int16u be'],
  ['a nested struct', 'struct point m;', null, 'record point'],
  ['an anonymous struct member type', 'struct { int a; } m;', null, 'record s_m'],
  ['an enum', 'enum color m;', null, 'int32u le enum color'],
  ['uint16_t typed with an enum', 'uint16_t m;', { enum: 'color' }, 'int16u le enum color'],
  ['uint16_t[2] typed with an enum', 'uint16_t m[2];', { enum: 'color' }, 'array[2] of int16u le enum color'],
  ['a pointer (x86_64)', 'void *m;', null, 'bigint64u le'],
  ['unsigned : 3', 'unsigned m : 3;', null, 'bits 3u as number'],
  ['int : 5', 'int m : 5;', null, 'bits 5s as number'],
  ['uint64_t : 40', 'uint64_t m : 40;', null, 'bits 40u as bigint'],
  ['_Bool : 1', 'bool m : 1;', null, 'bits 1u as bool'],
  ['unsigned : 2 as a bool', 'unsigned m : 2;', { as: 'bool' }, 'bits 2u as bool'],
  ['enum color : 4', 'enum color m : 4;', null, 'bits 4u as number enum color'],
];

describe('the member plan: what each member becomes', () => {
  for (const [what, decl, override, want] of MEMBERS) {
    it(what, () => {
      const header = `${ENUM}typedef uint16_t m_be16 __attribute__((unused));\ntypedef int chain0[1]; typedef chain0 chain1[1]; typedef chain1 chain2[1];\nstruct point { int x, y; };\nstruct s { ${decl} };\n`;
      const members = plan(header.replace('typedef uint16_t m_be16 __attribute__((unused));', 'typedef uint16_t __be16;\ntypedef __be16 m_be16;'), 's', override ? { fields: { 's.m': override } } : {});
      expect(show(members.find((x) => x.facts.name === 'm')!.rep)).toBe(want);
    });
  }

  it('a pointer on a 32-bit target is a 32-bit number', () => {
    expect(show(plan('struct s { void *m; };', 's', { target: 'i386-linux-gnu' })[0]!.rep)).toBe('int32u le');
  });

  it('a big-endian target reads every integer big-endian', () => {
    expect(plan('struct s { uint32_t a; uint64_t b; double c; };', 's', { target: 'powerpc-linux-gnu' }).map((m) => show(m.rep)))
      .toEqual(['int32u be', 'bigint64u be', 'binary64 be']);
  });
});

describe('flexible array members, counts and tagged unions', () => {
  const cases: ReadonlyArray<readonly [string, string, string, PlanOptions, ReadonlyArray<readonly [string, string, string | null, string | null, boolean]>]> = [
    ['an uncounted flexible array', 'struct s { uint16_t n; uint32_t v[]; };', 's', {},
      [['n', 'int16u le', null, null, false], ['v', 'flex of int32u le', null, null, false]]],
    ['counted by an override', 'struct s { uint16_t n; uint32_t v[]; };', 's', { fields: { 's.v': { countedBy: 'n' } } },
      [['n', 'int16u le', 'v', null, false], ['v', 'flex of int32u le counted by n', null, null, false]]],
    ['counted by the header (counted_by)', 'struct s { uint32_t n; uint8_t v[] __attribute__((counted_by(n))); };', 's', {},
      [['n', 'int32u le', 'v', null, false], ['v', 'flex of int8u counted by n', null, null, false]]],
    ['a flexible array of arrays', 'struct s { uint16_t n; int16_t v[][2]; };', 's', {},
      [['n', 'int16u le', null, null, false], ['v', 'flex of array[2] of int16s le', null, null, false]]],
    ['a tagged union', `${ENUM}struct ping { uint32_t seq; };\nstruct s { uint16_t type; union { struct ping ping; uint32_t code; } body; };`, 's',
      { unions: { 's.body': { tag: 's.type', cases: { RED: 'ping', GREEN: 'code' } } } },
      [['type', 'int16u le', null, 'body', false], ['body', 'tagged by type: 1->ping, 2->code', null, null, false]]],
    ['members of an anonymous union are optional', 'struct s { int a; union { int b; float c; }; };', 's', {},
      [['a', 'int32s le', null, null, false], ['b', 'int32s le', null, null, true], ['c', 'binary32 le', null, null, true]]],
  ];
  for (const [what, header, rec, opts, want] of cases) {
    it(what, () => {
      expect(plan(header, rec, opts).map((m) => [m.facts.name, show(m.rep), m.counts, m.tags, m.optional])).toEqual(want);
    });
  }
});

describe('names', () => {
  it('a record\'s companions never take another record\'s name: struct s beside struct sView is s_', () => {
    const a = analyzeHeader(tempFile('n.h', 'struct s { int a; };\nstruct sView { int b; };\nstruct t { int c; };\n'), { evaluateDefines: true });
    const names = planModules([a.facts!]).modules[0]!.records.map((r) => [r.name, r.viewName, r.inputName]);
    expect(names).toEqual([['s_', 's_View', 's_Input'], ['sView', 'sViewView', 'sViewInput'], ['t', 'tView', 'tInput']]);
  });

  it('members that would replace what objects or views have are renamed, keeping the C name in the facts', () => {
    const m = plan('struct s { int constructor; int toJSON; int $x; };', 's');
    expect(m.map((x) => [x.facts.name, x.prop])).toEqual([['constructor', 'constructor_'], ['toJSON', 'toJSON_'], ['$x', '$x_']]);
  });
});
