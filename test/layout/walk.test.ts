// The one walk over the layout facts (generator/layout/walk.ts): paths and absolute offsets at every depth, anonymous
// members with the members they promote, padding of every record entered, array elements only when asked, and a
// walk that stays iterative and linear (deep nesting, huge arrays). Expected offsets are the C rules worked out by
// hand for x86_64 (the stage's own tests prove the facts against clang); here the walk over them is checked.

import { readdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../generator/diagnostics.js';
import type { ProgramFacts, RecordFacts } from '../../generator/layout/facts.js';
import { deepFields, memberAt, slotContents, walk, type WalkEntry, type WalkOptions } from '../../generator/layout/walk.js';
import { analyzeHeader } from '../../generator/pipeline.js';

const ROOT = path.resolve(__dirname, '../..');

function facts(c: string, name = 'T'): { p: ProgramFacts; r: RecordFacts } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-walk-'));
  const f = path.join(dir, 'w.h');
  writeFileSync(f, c);
  const a = analyzeHeader(f);
  expect(hasErrors(a.diagnostics), a.diagnostics.map((d) => d.message).join('\n')).toBe(false);
  const p = a.facts!;
  const r = p.records.find((x) => x?.name === name);
  expect(r, name).toBeTruthy();
  return { p, r: r! };
}

/** Entries as short strings: `m path @bit/size`, `a @bit/size [from,to)`, `p prefix @bit/size`, `e path @bit`. */
function show(p: ProgramFacts, r: RecordFacts, o: WalkOptions = {}): string[] {
  return [...walk(p, r, o)].map((e) => {
    switch (e.k) {
      case 'member': return `m ${e.path} @${e.bitOffset}/${e.bitSize}`;
      case 'element': return `e ${e.path} @${e.bitOffset}/${e.bitSize}`;
      case 'anonymous': return `a ${e.record.kind} @${e.bitOffset}/${e.bitSize} [${e.from},${e.to})`;
      case 'padding': return `p ${e.prefix || '-'} @${e.bitOffset}/${e.bitSize}`;
    }
  });
}

describe('walk', () => {
  const NESTED = `
    struct in { char c; int i; };          /* hole 8..32 */
    struct T { short s; struct in n; char t; }; /* s@0, n@32 (n.c@32, n.i@64), t@96, tail 104..128 */`;

  it('members at every depth, with paths, absolute offsets and the top-level member they belong to', () => {
    const { p, r } = facts(NESTED);
    expect(show(p, r)).toEqual(['m s @0/16', 'm n @32/64', 'm n.c @32/8', 'm n.i @64/32', 'm t @96/8']);
    const tops = [...walk(p, r)].map((e) => (e.k === 'member' ? [e.path, e.top, e.depth] : null));
    expect(tops).toEqual([['s', 0, 0], ['n', 1, 0], ['n.c', 1, 1], ['n.i', 1, 1], ['t', 2, 0]]);
    // deepFields is the walk's member entries
    expect([...deepFields(p, r)].map((f) => `${f.path}@${f.bitOffset}`)).toEqual(['s@0', 'n@32', 'n.c@32', 'n.i@64', 't@96']);
  });

  it('padding of every record entered, before its members', () => {
    const { p, r } = facts(NESTED);
    expect(show(p, r, { padding: true })).toEqual([
      'p - @16/16', 'p - @104/24',
      'm s @0/16', 'm n @32/64', 'p n @40/24', 'm n.c @32/8', 'm n.i @64/32', 'm t @96/8',
    ]);
    // not entered, not listed
    expect(show(p, r, { padding: true, enter: () => false })).toEqual(['p - @16/16', 'p - @104/24', 'm s @0/16', 'm n @32/64', 'm t @96/8']);
  });

  it('anonymous members, with the members they promote and their own padding', () => {
    const { p, r } = facts(`struct T { int a; union { int b; struct { short c; char d; }; }; char e; };`);
    // flat: as C accesses them
    expect(show(p, r)).toEqual(['m a @0/32', 'm b @32/32', 'm c @32/16', 'm d @48/8', 'm e @64/8']);
    expect(show(p, r, { anonymous: true })).toEqual([
      'm a @0/32', 'a union @32/32 [1,4)', 'm b @32/32', 'a struct @32/32 [2,4)', 'm c @32/16', 'm d @48/8', 'm e @64/8',
    ]);
    const es = [...walk(p, r, { anonymous: true, padding: true })];
    // the anonymous struct's tail (bits 56..64) is its own gap; the union covers it with b, so T has none there
    expect(es.filter((e) => e.k === 'padding').map((e) => [e.holder.kind, e.bitOffset, e.bitSize])).toEqual([['struct', 72, 24], ['struct', 56, 8]]);
    // parents: c and d are in the anonymous struct, which is in the anonymous union
    const c = es.find((e): e is WalkEntry & { k: 'member' } => e.k === 'member' && e.path === 'c')!;
    expect(c.parent?.k).toBe('anonymous');
    expect(c.parent?.parent?.k).toBe('anonymous');
    expect(c.parent?.parent?.parent).toBeNull();
    expect(c.holder).toBe(r);
    expect(c.top).toBe(2);
    // the slots of T: a, the anonymous union (promoting b, c, d), e
    expect(slotContents(p, r)!.map((s) => (s.k === 'anonymous' ? `anon[${s.from},${s.to})` : s.k === 'member' ? r.members[s.index]!.name : '-'))).toEqual(['a', 'anon[1,4)', 'e']);
  });

  it('anonymous members inside a named nested record keep the nested path', () => {
    const { p, r } = facts(`struct in { char k; struct { char x; int y; }; }; struct T { int a; struct in n; };`);
    expect(show(p, r, { anonymous: true })).toEqual([
      'm a @0/32', 'm n @32/96', 'm n.k @32/8', 'a struct @64/64 [1,3)', 'm n.x @64/8', 'm n.y @96/32',
    ]);
  });

  it('array elements only when asked, as many as asked, through every layer', () => {
    const { p, r } = facts(`struct pt { short x, y; }; struct T { struct pt a[3]; char m[2][2]; };`);
    expect(show(p, r)).toEqual(['m a @0/96', 'm m @96/32']);
    expect(show(p, r, { elements: (e) => e.path === 'a' })).toEqual([
      'm a @0/96', 'e a[0] @0/32', 'm a[0].x @0/16', 'm a[0].y @16/16', 'e a[1] @32/32', 'm a[1].x @32/16', 'm a[1].y @48/16',
      'e a[2] @64/32', 'm a[2].x @64/16', 'm a[2].y @80/16', 'm m @96/32',
    ]);
    expect(show(p, r, { elements: () => 1, enter: () => false })).toEqual(['m a @0/96', 'e a[0] @0/32', 'm m @96/32', 'e m[0] @96/16', 'e m[0][0] @96/8']);
    expect(show(p, r, { elements: () => true }).filter((s) => s.startsWith('e m'))).toEqual(['e m[0] @96/16', 'e m[0][0] @96/8', 'e m[0][1] @104/8', 'e m[1] @112/16', 'e m[1][0] @112/8', 'e m[1][1] @120/8']);
  });

  it('an array of a million records is one entry unless elements are asked for', () => {
    const { p, r } = facts(`struct pt { short x, y; }; struct T { struct pt a[1000000]; char t; };`);
    expect(show(p, r, { padding: true })).toEqual(['p - @32000008/8', 'm a @0/32000000', 'm t @32000000/8']);
    let n = 0;
    for (const e of walk(p, r, { elements: () => true })) if (e.k === 'element') n++;
    expect(n).toBe(1000000);
  });

  it('deep nesting is walked without recursion', () => {
    const N = 3000;
    let c = 'struct s0 { int x; char c; };\n';
    for (let i = 1; i < N; i++) c += `struct s${i} { char h; struct s${i - 1} in; };\n`;
    const { p, r } = facts(c, `s${N - 1}`);
    const es = [...walk(p, r, { padding: true })];
    const deepest = es.filter((e) => e.k === 'member').reduce((a, e) => Math.max(a, e.depth), 0);
    expect(deepest).toBe(N - 1);
    expect(es.filter((e) => e.k === 'member').length).toBe(2 * (N - 1) + 2);
    expect(walk(p, r, { maxDepth: 2 }).next().done).toBe(false);
    expect([...walk(p, r, { maxDepth: 2 })].filter((e) => e.k === 'member').length).toBe(6);
  });

  it('memberAt follows a C access path, anonymous members promoted', () => {
    const { p, r } = facts(`struct in { char k; union { short u; int v; }; }; struct T { int a; struct in n; };`);
    expect(memberAt(p, r, 'n.v')).toMatchObject({ bitOffset: 64, member: { name: 'v' } });
    expect(memberAt(p, r, 'n.k')?.bitOffset).toBe(32);
    expect(memberAt(p, r, 'n.w')).toBeNull();
    expect(memberAt(p, r, 'a.b')).toBeNull();
  });

  it('on headers/*.h: the anonymous view lists the flat members, each once, in the same order, inside their ranges', () => {
    let n = 0;
    for (const h of readdirSync(path.join(ROOT, 'headers')).filter((f) => f.endsWith('.h'))) {
      const a = analyzeHeader(path.join(ROOT, 'headers', h));
      const p = a.facts!;
      for (const r of p.records) {
        if (!r || !r.name) continue;
        const flat = [...walk(p, r)].filter((e) => e.k === 'member').map((e) => `${e.path}@${e.bitOffset}`);
        const es = [...walk(p, r, { anonymous: true, padding: true })];
        expect(es.filter((e) => e.k === 'member').map((e) => `${e.path}@${e.bitOffset}`), `${h} ${r.name}`).toEqual(flat);
        for (const e of es) {
          if (e.k !== 'member') continue;
          n++;
          for (let q = e.parent; q && q.k === 'anonymous'; q = q.parent) {
            if (q.holder === e.holder) expect(e.index >= q.from && e.index < q.to, `${r.name}.${e.path}`).toBe(true);
            expect(e.bitOffset >= q.bitOffset && e.bitOffset + e.bitSize <= q.bitOffset + q.bitSize).toBe(true);
          }
        }
        // padding of a struct holds no member's bits
        for (const pad of es) {
          if (pad.k !== 'padding' || pad.holder.kind !== 'struct') continue;
          for (const e of es) {
            if (e.k !== 'member' || e.parent !== pad.parent) continue;
            expect(Math.min(e.bitOffset + e.bitSize, pad.bitOffset + pad.bitSize) <= Math.max(e.bitOffset, pad.bitOffset), `${r.name}: ${e.path}`).toBe(true);
          }
        }
      }
    }
    expect(n).toBeGreaterThan(150);
  });

  it('facts whose anonymous records cannot be matched fall back to the flat members', () => {
    const { p, r } = facts(`struct T { int a; union { int b; char c; }; };`);
    // the same record with its anonymous union no longer known (as facts from elsewhere might be)
    const lost: RecordFacts = { ...r, id: 999 };
    expect(slotContents(p, lost)).toBeNull();
    expect(show(p, lost, { anonymous: true })).toEqual(['m a @0/32', 'm b @32/32', 'm c @32/8']);
  });
});
