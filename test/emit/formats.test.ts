// Field overrides, counted flexible arrays and tagged unions (config "fields" / "unions", the programmatic API):
// what each representation decodes, encodes and rejects; errors for overrides that name nothing or do not fit,
// with the nearest existing name; records of varying length stepped over by decodeMany/viewMany.

import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { ConfigError, validateConfig } from '../../generator/config/config.js';
import { generateModules, type GenerateOptions } from '../../generator/pipeline.js';
import { tempFile } from '../helpers/compiler.js';
import { generateAndLoad, generateOrThrow, typecheck, type Loaded } from '../helpers/generated.js';
import { FORMATS_H, FORMATS_OPTIONS } from '../helpers/formats-fixture.js';

type Obj = { [k: string]: unknown };
interface C {
  size: number;
  decode(b: ArrayBuffer | ArrayBufferView, off?: number | bigint, o?: { strict?: boolean }): Obj;
  view(b: ArrayBuffer | ArrayBufferView, off?: number | bigint): Obj;
  encode(v: unknown, dst?: Uint8Array, off?: number | bigint): Uint8Array;
  sizeOf(v: unknown): number;
  decodeMany(b: ArrayBuffer | ArrayBufferView, off?: number | bigint, n?: number | bigint, o?: { strict?: boolean }): Obj[];
  viewMany(b: ArrayBuffer | ArrayBufferView, off?: number | bigint, n?: number | bigint): { length: number; get(i: number): Obj; toArray(): Obj[] };
}

let m: Loaded;
let ovr: C;
let samples: C;
let blob: C;
let msg: C;
let header: string;
beforeAll(async () => {
  header = tempFile('formats.h', FORMATS_H);
  m = await (await generateAndLoad([header], FORMATS_OPTIONS)).load('formats');
  [ovr, samples, blob, msg] = [m.ovr as C, m.samples as C, m.blob as C, m.msg as C];
});

const errorOf = (f: () => unknown): Error & Obj => {
  try { f(); } catch (e) { return e as Error & Obj; }
  throw new Error('expected an exception');
};

const ovrValue = () => ({
  label: 'héllo', raw: new Uint8Array([1, 2, 3, 0xff]), name: 'café', enabled: true, color: 4, colors: [1, 2], size: 2 ** 40 + 3,
  delta: -(2 ** 50), port: 0x01020304, flags: 5, on: true,
});

describe('field overrides', () => {
  it('as string / bytes / bool / number, latin1, enum and endian read and write what they say', () => {
    const b = ovr.encode(ovrValue());
    expect(ovr.decode(b)).toEqual(ovrValue());
    expect(ovr.decode(b, 0, { strict: true })).toEqual(ovrValue());
    expect([...b.subarray(0, 7)]).toEqual([...new TextEncoder().encode('héllo'), 0]); // UTF-8 in a uint8_t[8]
    expect([...b.subarray(12, 17)]).toEqual([0x63, 0x61, 0x66, 0xe9, 0]); // Latin-1: one byte per character
    const dv = new DataView(b.buffer);
    expect(dv.getUint32(20, true)).toBe(1); // a bool written as 1 in all 4 bytes' worth
    expect(dv.getBigUint64(32, true)).toBe(2n ** 40n + 3n);
    expect(dv.getBigInt64(40, true)).toBe(-(2n ** 50n));
    expect(dv.getUint32(48, false)).toBe(0x01020304); // big-endian
    // views read the same
    const v = ovr.view(b);
    for (const [k, x] of Object.entries(ovrValue())) {
      if (k === 'colors') expect([...(v.colors as Iterable<number>)]).toEqual(x);
      else expect(v[k], k).toEqual(x);
    }
    v.enabled = false;
    v.size = 7;
    expect(ovr.decode(b)).toMatchObject({ enabled: false, size: 7 });
  });

  it('a bool reads any nonzero integer as true; strict decode accepts only 0 and 1', () => {
    const b = ovr.encode(ovrValue());
    new DataView(b.buffer).setUint32(20, 0x100, true);
    expect(ovr.decode(b).enabled).toBe(true);
    expect(errorOf(() => ovr.decode(b, 0, { strict: true }))).toMatchObject({ name: 'DecodeError', field: 'enabled', offset: 20 });
  });

  it('an enum override validates in strict decode and names values', () => {
    const b = ovr.encode(ovrValue());
    new DataView(b.buffer).setUint16(24, 3, true);
    expect(ovr.decode(b).color).toBe(3);
    expect(errorOf(() => ovr.decode(b, 0, { strict: true })).message).toMatch(/ovr\.color at byte offset 24: 3 is not a value of the enum/);
    expect((m.color$name as (v: number) => string)(4)).toBe('BLUE');
  });

  it('"as": "number" refuses values beyond 2^53 (decode: DecodeError; encode: EncodeError)', () => {
    const b = ovr.encode(ovrValue());
    new DataView(b.buffer).setBigUint64(32, 2n ** 53n, true);
    expect(errorOf(() => ovr.decode(b))).toMatchObject({ name: 'DecodeError', field: 'size', offset: 32 });
    expect(errorOf(() => ovr.view(b).size).name).toBe('DecodeError');
    expect(errorOf(() => ovr.encode({ ...ovrValue(), size: 2 ** 53 })).message).toMatch(/ovr\.size: 9007199254740992 is not a safe integer/);
    expect(errorOf(() => ovr.encode({ ...ovrValue(), size: -1 })).name).toBe('EncodeError');
    expect(errorOf(() => ovr.encode({ ...ovrValue(), size: 1n })).name).toBe('EncodeError');
  });

  it('strings and bytes are checked on encode: too long, not Latin-1, wrong length', () => {
    expect(errorOf(() => ovr.encode({ ...ovrValue(), label: 'x'.repeat(9) })).message).toMatch(/ovr\.label: string of 9 UTF-8 bytes does not fit/);
    expect(errorOf(() => ovr.encode({ ...ovrValue(), name: '\u0100' })).message).toMatch(/ovr\.name: character "\u0100" is not Latin-1/);
    expect(errorOf(() => ovr.encode({ ...ovrValue(), raw: new Uint8Array(3) })).message).toMatch(/ovr\.raw: expected 4 bytes, got 3/);
  });

  it('overrides that name nothing are errors naming the nearest existing name', () => {
    const errs = (o: GenerateOptions) => generateModules([header], o).diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    expect(errs({ endian: { 'ovr.prot': 'big' } }).join('\n')).toMatch(/field 'ovr\.prot': struct ovr has no member 'prot'; did you mean 'ovr\.port'\?/);
    expect(errs({ fields: { 'ovrr.port': { endian: 'big' } } }).join('\n')).toMatch(/no record named 'ovrr' in the headers; did you mean 'ovr'\?/);
    expect(errs({ fields: { 'msg.body.pong.seq': { endian: 'big' } } }).join('\n')).toMatch(/has no member 'body\.pong'; did you mean 'msg\.body\.ping(\.seq)?'\?/);
    expect(errs({ fields: { 'ovr.color': { enum: 'colour' } } }).join('\n')).toMatch(/no enum named 'colour' in the headers; did you mean 'color'\?/);
    expect(errs({ fields: { 'samples.v': { countedBy: 'm' } } }).join('\n')).toMatch(/"countedBy" names 'm', which is not a member of struct samples; did you mean 'n'\?/);
    expect(errs({ unions: { 'msg.body': { tag: 'msg.type', cases: { MSG_PONG: 'ping' } } } }).join('\n')).toMatch(/case 'MSG_PONG' is not an integer, an enumerator or an integer #define of the headers; did you mean 'MSG_PING'\?/);
    expect(errs({ unions: { 'msg.body': { tag: 'msg.type', cases: { 1: 'pong' } } } }).join('\n')).toMatch(/case '1' names 'pong', which is not a member of union .*; did you mean 'ping'\?/);
    expect(errs({ fields: { ovr: { as: 'string' } } }).join('\n')).toMatch(/expected RECORD\.PATH/);
  });

  it('an override that does not fit its member is an error at the member, naming both', () => {
    const errs = (o: GenerateOptions) => generateModules([header], o).diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic).join('\n');
    expect(errs({ fields: { 'ovr.port': { as: 'string' } } })).toMatch(/formats\.h:\d+:\d+: error: field 'ovr\.port': "as": "string" needs an array of 8-bit integers \(char\[N\], uint8_t\[N\]\); 'port' is uint32_t/);
    expect(errs({ fields: { 'ovr.port': { as: 'number' } } })).toMatch(/"as": "number" needs a 64-bit integer.*'port' is uint32_t/);
    expect(errs({ fields: { 'ovr.flags': { endian: 'big' } } })).toMatch(/"endian" does not apply to bit-fields/);
    expect(errs({ fields: { 'ovr.port': { countedBy: 'enabled' } } })).toMatch(/"countedBy" applies to a flexible array member/);
    expect(errs({ fields: { 'ovr.port': { encoding: 'latin1' } } })).toMatch(/"encoding" applies to text/);
    expect(errs({ fields: { 'ovr.raw': { as: 'bool', enum: 'color' } } })).toMatch(/"enum" and "as": "bool" do not go together/);
    expect(errs({ unions: { 'msg.crc': { tag: 'msg.type', cases: { 1: 'x' } } } })).toMatch(/member 'crc' of struct msg is not a union/);
    expect(errs({ unions: { 'msg.body': { tag: 'ovr.color', cases: { 1: 'ping' } } } })).toMatch(/its tag 'ovr\.color' must be a member beside it, in struct msg/);
  });
});

describe('config keys "fields" and "unions"', () => {
  it('their shape is checked when the config is read; what they name is checked against the headers', () => {
    const ok = validateConfig({ headers: ['a.h'], fields: { 'a.b': { as: 'string', encoding: 'latin1' }, 'a.c': { countedBy: 'n' } }, unions: { 'a.u': { tag: 'a.t', cases: { 1: 'x' } } } }, '/');
    expect(ok.fields['a.b']).toEqual({ as: 'string', encoding: 'latin1' });
    expect(ok.unions['a.u']).toEqual({ tag: 'a.t', cases: { 1: 'x' } });
    let errors: string[] = [];
    try {
      validateConfig({ headers: ['a.h'], fields: { 'a.b': { as: 'text' }, 'a.c': { count: 'n' }, 'a.d': 3, ab: { as: 'bool' } }, unions: { 'a.u': { tag: 'a.t' }, 'a.v': { tag: 'a.t', cases: {}, x: 1 } } }, '/');
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors = e.diagnostics.map((d) => d.message);
    }
    expect(errors).toEqual([
      `config: fields['a.b'].as must be "string" or "bytes" or "bool" or "number"`,
      `config: fields['a.c']: unknown key 'count' (did you mean 'countedBy'?)`,
      `config: fields['a.d'] must be an object`,
      `config: fields key 'ab' must be RECORD.PATH`,
      `config: unions['a.u'] must be { "tag": "RECORD.PATH", "cases": { "VALUE": "member", ... } }`,
      `config: unions['a.v']: unknown key x`,
    ]);
  });
});

describe('counted flexible arrays ("countedBy")', () => {
  it('decode returns exactly the counted elements; encode sets the count; sizeOf is the full length', () => {
    const b = samples.encode({ kind: 3, v: [10, -20, 30] });
    expect(b.length).toBe(4 + 12);
    expect(samples.sizeOf({ kind: 3, v: [10, -20, 30] })).toBe(16);
    expect(new DataView(b.buffer).getUint16(2, true)).toBe(3); // the count, set by encode
    const longer = new Uint8Array(32);
    longer.set(b);
    longer.fill(0x7f, 16);
    expect(samples.decode(longer)).toEqual({ kind: 3, n: 3, v: [10, -20, 30] }); // not the elements that would fit
    const view = samples.view(longer);
    expect((view.v as { length: number }).length).toBe(3);
    expect([...(view.v as Iterable<number>)]).toEqual([10, -20, 30]);
    expect(samples.encode(samples.decode(longer))).toEqual(b);
  });

  it('a count given must equal the array\'s length; short bytes are a DecodeError naming the field', () => {
    expect(errorOf(() => samples.encode({ kind: 1, n: 2, v: [1] })).message).toMatch(/samples\.n: 2 is not the length of 'v' \(1 elements\)/);
    expect(samples.encode({ kind: 1, n: 1, v: [1] }).length).toBe(8);
    const b = samples.encode({ kind: 1, v: [1, 2, 3] });
    const e = errorOf(() => samples.decode(b.subarray(0, 15)));
    expect(e).toMatchObject({ name: 'DecodeError', record: 'samples', field: 'v', offset: 4, needed: 12, available: 11 });
    expect(e.message).toMatch(/samples\.v at byte offset 4: 3 elements \(its count 'n'\) need 12 bytes, only 11 available/);
    expect(errorOf(() => (samples.view(b.subarray(0, 15)).v as { length: number }).length).name).toBe('DecodeError');
  });

  it('byte arrays counted by a 32-bit member; decodeMany and viewMany step over records of varying length', () => {
    const parts = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array([9])];
    const enc = parts.map((data) => blob.encode({ data }));
    expect(enc.map((x) => x.length)).toEqual([7, 4, 5]);
    const all = new Uint8Array(7 + 4 + 5 + 2);
    let o = 0;
    for (const x of enc) { all.set(x, o); o += x.length; }
    expect(blob.decodeMany(all).map((x) => [...(x.data as Uint8Array)])).toEqual([[1, 2, 3], [], [9]]); // the 2 bytes left over do not fit
    expect(blob.decodeMany(all, 7, 2).map((x) => x.len)).toEqual([0, 1]);
    expect(blob.viewMany(all).toArray().map((x) => x.len)).toEqual([3, 0, 1]);
    expect(blob.viewMany(all, 0n, 3n).get(2).len).toBe(1);
    const short = errorOf(() => blob.decodeMany(all.subarray(0, 15), 0, 3));
    expect(short).toMatchObject({ name: 'DecodeError', offset: 11 });
    expect(short.message).toMatch(/record 2 of 3/);
  });

  it('a count beyond 2^32 elements, or negative, is refused without allocating', () => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, 0xffffffff, true);
    expect(errorOf(() => blob.decode(b))).toMatchObject({ name: 'DecodeError', field: 'data', needed: 0xffffffff });
    expect(blob.decodeMany(b)).toEqual([]);
  });
});

describe('tagged unions', () => {
  it('decode returns only the member the tag selects; encode writes it and zeroes the rest of the union', () => {
    const ping = { type: 1, flags: 0, body: { ping: { seq: 77 } }, crc: 5 };
    const data = { type: 2, flags: 1, body: { data: { len: 2, bytes: new Uint8Array([1, 2, 3, 4, 5, 6]) } }, crc: 6 };
    const close = { type: 7, flags: 0, body: { code: 0xdead }, crc: 0 };
    for (const v of [ping, data, close]) expect(msg.decode(msg.encode(v), 0, { strict: true })).toEqual(v);
    const dst = new Uint8Array(msg.size).fill(0xee);
    msg.encode(ping, dst);
    expect([...dst.subarray(4, 12)]).toEqual([77, 0, 0, 0, 0, 0, 0, 0]); // the rest of the union zeroed
    expect(msg.decode(msg.encode({ ...close, type: 9 })).body).toEqual({ code: 0xdead }); // two tags, one member
    // a view gives the whole union
    const v = msg.view(msg.encode(data));
    expect((v.body as Obj).code).toBe(0x02010002);
  });

  it('an unknown tag: strict decode rejects it; otherwise the union decodes every member', () => {
    const b = msg.encode({ type: 1, flags: 0, body: { ping: { seq: 3 } }, crc: 0 });
    new DataView(b.buffer).setUint16(0, 5, true);
    const e = errorOf(() => msg.decode(b, 0, { strict: true }));
    expect(e).toMatchObject({ name: 'DecodeError', record: 'msg', field: 'body', offset: 4 });
    expect(e.message).toMatch(/5 is not one of the cases of 'body' \(its tag 'type' must be MSG_PING \(1\), MSG_DATA \(2\), MSG_CLOSE \(7\), 9\)/);
    expect(msg.decode(b).body).toMatchObject({ ping: { seq: 3 }, code: 3 });
  });

  it('encode rejects a tag that is no case and a body without the selected member', () => {
    expect(errorOf(() => msg.encode({ type: 3, flags: 0, body: { ping: { seq: 1 } }, crc: 0 })).message).toMatch(/msg\.type: 3 is none of the cases of 'body'/);
    expect(errorOf(() => msg.encode({ type: 2, flags: 0, body: { ping: { seq: 1 } }, crc: 0 })).message).toMatch(/msg\.body\.data: .*the tag selects 'data'/);
    expect(errorOf(() => msg.encode({ type: 2, flags: 0, body: null, crc: 0 })).name).toBe('EncodeError');
  });

  it('TypeScript narrows on the tag; reading another case without narrowing does not compile', async () => {
    const files = generateOrThrow([header], FORMATS_OPTIONS);
    const use = (body: string) => [...files, { path: 'use.ts', contents: `import { msg, msg_type, MSG_CLOSE, type msgInput } from './formats.js';\nconst MSG_PING = msg_type.MSG_PING;\n${body}\n` }];
    const ok = `
export function f(b: Uint8Array): number {
  const m = msg.decode(b);
  if (m.crc === 0) return 0;
  if (m.type === MSG_PING) return m.body.ping.seq;
  switch (m.type) {
    case 2: return m.body.data.len;
    case MSG_CLOSE: case 9: return m.body.code;
  }
}
const input: msgInput = { type: 2, flags: 0, body: { data: { len: 1, bytes: new Uint8Array(6) } }, crc: 0 };
export const bytes = msg.encode(input);
`;
    expect(await typecheck(use(ok))).toEqual([]);
    const bad = `
export function f(b: Uint8Array): number {
  const m = msg.decode(b);
  if (m.type === MSG_PING) return m.body.data.len;
  return m.body.ping.seq;
}
export const wrong = msg.encode({ type: 1, flags: 0, body: { data: { len: 1, bytes: new Uint8Array(6) } }, crc: 0 });
`;
    const errs = await typecheck(use(bad));
    expect(errs.filter((e) => e.startsWith('use.ts:6:')).join('\n')).toMatch(/Property 'data' does not exist on type '\{ ping: ping; \}'/);
    expect(errs.filter((e) => e.startsWith('use.ts:7:')).join('\n')).toMatch(/Property 'ping' does not exist/);
    expect(errs.some((e) => e.startsWith('use.ts:9:'))).toBe(true);
    expect(errs.every((e) => e.startsWith('use.ts:'))).toBe(true);
  });
});
