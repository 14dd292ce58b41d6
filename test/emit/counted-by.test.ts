// `counted_by` read from the headers: `__attribute__((counted_by(m)))` and the Linux `__counted_by(m)` spelling make a
// flexible array counted exactly as the config's `countedBy` does (decode returns n elements, encode sets n); a config
// override wins; a count that names nothing or is not an integer is an error at the member; the attribute does not
// change the layout (clang-16 ignores the attribute: compared with it macro'd away there).

import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { analyzeHeader, generateModules } from '../../generator/pipeline.js';
import { checkAgainstClang, HAVE_CLANG, HOST_TARGET, tempFile } from '../helpers/compiler.js';
import { generateAndLoad, type Loaded } from '../helpers/generated.js';

const H = `
#include <stdint.h>
/* what Linux UAPI headers do (linux/stddef.h): an empty fallback unless the compiler's headers defined it */
#ifndef __counted_by
#define __counted_by(m)
#endif
struct s {
  int n;
  int data[] __attribute__((counted_by(n)));
};
struct b {
  uint16_t kind;
  uint32_t len;
  uint8_t bytes[] __counted_by(len);
};
struct two {
  uint8_t m;
  uint8_t n;
  uint16_t v[] __counted_by(n);
};
`;

type Obj = { [k: string]: unknown };
interface C {
  decode(b: ArrayBufferView, off?: number): Obj;
  view(b: ArrayBufferView, off?: number): Obj;
  encode(v: unknown): Uint8Array;
}

let header: string;
let m: Loaded;
beforeAll(async () => {
  header = tempFile('counted.h', H);
  m = await (await generateAndLoad([header])).load('counted');
});

const errs = (text: string, fields?: Record<string, { countedBy: string }>) =>
  generateModules([tempFile('bad.h', text)], fields ? { fields } : {}).diagnostics.map(formatDiagnostic).join('\n');

describe('counted_by from headers', () => {
  it('the attribute: decode returns exactly n elements, encode sets n', () => {
    const s = m.s as C;
    const enc = s.encode({ data: [7, -8, 9] });
    expect(enc.length).toBe(4 + 12);
    expect(new DataView(enc.buffer).getInt32(0, true)).toBe(3);
    const longer = new Uint8Array(40);
    longer.set(enc);
    longer.fill(0x11, enc.length);
    expect(s.decode(longer)).toEqual({ n: 3, data: [7, -8, 9] });
    expect([...(s.view(longer).data as Iterable<number>)]).toEqual([7, -8, 9]);
  });

  it('the __counted_by(m) macro spelling, whatever an UAPI-style fallback defines', () => {
    const b = m.b as C;
    const enc = b.encode({ kind: 1, bytes: new Uint8Array([1, 2, 3, 4, 5]) });
    expect(enc.length).toBe(8 + 5);
    expect(new DataView(enc.buffer).getUint32(4, true)).toBe(5);
    const longer = new Uint8Array(32);
    longer.set(enc);
    expect([...(b.decode(longer).bytes as Uint8Array)]).toEqual([1, 2, 3, 4, 5]);
  });

  it('the facts carry it; a config override wins', async () => {
    const a = analyzeHeader(header);
    const flex = (name: string) => a.facts!.records.find((r) => r?.name === name)!.members.at(-1)!;
    expect([flex('s').countedBy, flex('b').countedBy, flex('two').countedBy]).toEqual(['n', 'len', 'n']);
    const o = await (await generateAndLoad([header], { fields: { 'two.v': { countedBy: 'm' } } })).load('counted');
    const enc = (o.two as C).encode({ n: 9, v: [1, 2] });
    expect([enc[0], enc[1]]).toEqual([2, 9]); // m set from the length; n is an ordinary member
  });

  it('a count that names no member, or one that is not an integer, is an error at the member', () => {
    expect(errs('struct e { int n; int d[] __attribute__((counted_by(nn))); };'))
      .toMatch(/bad\.h:1:23: error: member 'd' \(counted_by\): "countedBy" names 'nn', which is not a member of struct e; did you mean 'n'\?/);
    expect(errs('struct e {\n  float f;\n  int d[] __counted_by(f);\n};'))
      .toMatch(/bad\.h:2:9: error: member 'd' \(counted_by\): its count 'f' must be an integer member outside any union \(it is float\)/);
  });

  it('on a member that is not a flexible array it is ignored with a warning', () => {
    expect(errs('struct w { int n; int d[4] __counted_by(n); };')).toMatch(/bad\.h:1:23: warning: 'counted_by\(n\)' on 'd' is ignored/);
  });

  it.skipIf(!HAVE_CLANG)('does not change the layout (clang-16 with the attribute ignored and the macro defined away)', () => {
    const c = checkAgainstClang(header, HOST_TARGET, {}, undefined, ['-Wno-unknown-attributes']);
    expect(c.clangOk, c.clangStderr).toBe(true);
    expect(c.comparison.compared).toBeGreaterThanOrEqual(3);
    expect(c.comparison.mismatches).toEqual([]);
    expect(c.comparison.missing).toEqual([]);
  });
});
