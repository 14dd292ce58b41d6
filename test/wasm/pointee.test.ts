// What the layout facts say a pointer points to (PointerFacts.to, .text) and counted_by on pointers: what a memory
// binding needs to follow a pointer. Case by case over the spellings a header uses: records (defined, forward,
// self-referential, never defined), the character types as text, byte-sized integer typedefs as data, void and
// function pointers, pointers to pointers (and chains longer than the described depth), pointers to arrays, arrays
// of pointers; counted_by on a pointer is kept without a warning, and warned about where nothing can be counted.

import { describe, expect, it } from 'vitest';
import type { MemberFacts, PointeeFacts, RecordFacts, TypeFacts } from '../../generator/layout/facts.js';
import { analyzeHeader } from '../../generator/pipeline.js';
import { MAX_POINTEE_LEVELS } from '../../generator/layout/facts.js';
import { tempFile } from '../helpers/compiler.js';

const H = `
#include <stdint.h>
typedef char gchar;
typedef unsigned char __u8;
struct later;
struct never;
typedef int (*cb_t)(int);
struct holder {
  char *a;
  const char *b;
  signed char *c;
  const unsigned char *d;
  gchar *e;
  uint8_t *f;
  __u8 *g;
  int8_t *h;
  void *v;
  const void *cv;
  int (*fn)(void);
  cb_t cb;
  struct holder *self;
  struct later *fwd;
  struct never *opaque;
  char **argv;
  const char *const *names;
  int (*row)[4];
  char *words[3];
  uint32_t *u32s;
  double *doubles;
  _Bool *flags;
  union u { int i; float f; } *un;
};
struct later { int x; };
`;

function holder(target = 'wasm32-wasi'): { r: RecordFacts; records: readonly (RecordFacts | null)[] } {
  const a = analyzeHeader(tempFile('pointee.h', H), { target });
  expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const records = a.facts!.records;
  return { r: records.find((r) => r?.name === 'holder')!, records };
}

function member(r: RecordFacts, name: string): MemberFacts {
  const m = r.members.find((x) => x.name === name);
  if (!m) throw new Error(`no member ${name}`);
  return m;
}

function pointer(t: TypeFacts) {
  if (t.k !== 'pointer') throw new Error(`not a pointer: ${t.k}`);
  return t;
}

/** A short description of a pointee, to compare cases in one table. */
function kind(to: PointeeFacts, records: readonly (RecordFacts | null)[]): string {
  switch (to.k) {
    case 'void': case 'function': return to.k;
    case 'record': return `record ${records[to.id]?.cName}`;
    case 'int': return `${to.signed ? 'i' : 'u'}${to.bytes * 8}${to.char ? ' char' : ''}`;
    case 'float': return `f${to.bytes * 8}`;
    case 'bool': return 'bool';
    case 'pointer': return `pointer to ${kind(to.to, records)}${to.text ? ' (text)' : ''}`;
    case 'array': return `${to.length}x ${kind(to.of, records)}`;
    default: return to.k;
  }
}

describe('what a pointer points to (layout facts)', () => {
  const cases: Array<[string, string, boolean]> = [
    ['a', 'i8 char', true],
    ['b', 'i8 char', true],
    ['c', 'i8', true],
    ['d', 'u8', true],
    ['e', 'i8 char', true],
    ['f', 'u8', false],
    ['g', 'u8', false],
    ['h', 'i8', false],
    ['v', 'void', false],
    ['cv', 'void', false],
    ['fn', 'function', false],
    ['cb', 'function', false],
    ['self', 'record struct holder', false],
    ['fwd', 'record struct later', false],
    ['opaque', 'void', false],
    ['argv', 'pointer to i8 char (text)', false],
    ['names', 'pointer to i8 char (text)', false],
    ['row', '4x i32', false],
    ['u32s', 'u32', false],
    ['doubles', 'f64', false],
    ['flags', 'bool', false],
    ['un', 'record union u', false],
  ];
  it.each(cases)('%s: %s, text %s', (name, want, text) => {
    const { r, records } = holder();
    const p = pointer(member(r, name).type);
    expect(kind(p.to, records)).toBe(want);
    expect(p.text).toBe(text);
    expect(p.function).toBe(p.to.k === 'function');
    expect(p.bytes).toBe(4);
  });

  it('an array of pointers: each element says its pointee', () => {
    const { r, records } = holder();
    const t = member(r, 'words').type;
    expect(t.k).toBe('array');
    if (t.k !== 'array') return;
    expect(t.length).toBe(3);
    const p = pointer(t.of);
    expect([kind(p.to, records), p.text]).toEqual(['i8 char', true]);
  });

  it('the pointee follows the target (wasm32 vs. x86_64: pointer and long sizes)', () => {
    const { r } = holder('x86_64-linux-gnu');
    const p = pointer(member(r, 'argv').type);
    expect(p.bytes).toBe(8);
    expect(pointer(p.to as TypeFacts).bytes).toBe(8);
  });

  it(`a chain of pointers is described ${MAX_POINTEE_LEVELS} pointers deep (the member's own counted), then void; a long chain costs no recursion`, () => {
    const stars = 20_000;
    const a = analyzeHeader(tempFile('chain.h', `struct c { int ${'*'.repeat(stars)}p; int **q; };`), { target: 'wasm32-wasi' });
    expect(a.diagnostics).toEqual([]);
    const r = a.facts!.records[0]!;
    let t: PointeeFacts = member(r, 'p').type;
    let depth = 0;
    while (t.k === 'pointer') { depth++; t = t.to; }
    expect(depth).toBe(MAX_POINTEE_LEVELS);
    expect(t.k).toBe('void');
    const q = pointer(member(r, 'q').type);
    expect(kind(q.to, a.facts!.records)).toBe('pointer to i32');
  });
});

describe('counted_by on pointers', () => {
  const C = `
#include <stdint.h>
struct item { int v; };
struct s {
  uint32_t n;
  struct item *items __attribute__((counted_by(n)));
  uint16_t k;
  char **names __counted_by(k);
  void *raw __counted_by(n);
  int (*fn)(void) __counted_by(n);
  int plain __counted_by(n);
};
`;
  it('is kept on a pointer to a type with storage, without a warning; warned about on void *, a function pointer and a non-pointer', () => {
    const a = analyzeHeader(tempFile('counted.h', C), { target: 'wasm32-wasi' });
    const r = a.facts!.records.find((x) => x?.name === 's')!;
    expect(member(r, 'items').countedBy).toBe('n');
    expect(member(r, 'names').countedBy).toBe('k');
    const warned = a.diagnostics.filter((d) => d.code === 'counted-by-not-flexible').map((d) => /on '(\w+)'/.exec(d.message)?.[1]).sort();
    expect(warned).toEqual(['fn', 'plain', 'raw']);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
