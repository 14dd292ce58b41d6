// Hand-written DataView code for the benchmark's records (bench/bench.h on x86_64), as a careful developer
// would write it for speed without a generator: a bounds check, then direct getters and setters at known offsets,
// short ASCII strings read with a String.fromCharCode loop and written with a charCodeAt loop (no TextDecoder or
// TextEncoder, no allocation per record beyond the decoded object). It checks nothing it writes and assumes ASCII.

function check(dv: DataView, off: number, size: number) {
  if (off < 0 || off + size > dv.byteLength) throw new RangeError(`need ${size} bytes at ${off}`);
}
/** ASCII bytes up to the first NUL. */
function ascii(dv: DataView, off: number, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) {
    const c = dv.getUint8(off + k);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}
/** ASCII characters, zero-filled to `n` bytes. */
function putAscii(dv: DataView, off: number, n: number, s: string): void {
  const len = s.length < n ? s.length : n;
  let k = 0;
  for (; k < len; k++) dv.setUint8(off + k, s.charCodeAt(k));
  for (; k < n; k++) dv.setUint8(off + k, 0);
}

export interface Plain { id: number; port: number; kind: number; flags: number; stamp: bigint; value: number; tag: string }
export const plain = {
  decode(dv: DataView, o: number): Plain {
    check(dv, o, 32);
    return {
      id: dv.getUint32(o, true), port: dv.getUint16(o + 4, true), kind: dv.getUint8(o + 6), flags: dv.getUint8(o + 7),
      stamp: dv.getBigInt64(o + 8, true), value: dv.getFloat64(o + 16, true), tag: ascii(dv, o + 24, 8),
    };
  },
  view(dv: DataView, o: number): PlainView { check(dv, o, 32); return new PlainView(dv, o); },
  encode(v: Plain, dv: DataView, o: number): void {
    check(dv, o, 32);
    dv.setUint32(o, v.id, true); dv.setUint16(o + 4, v.port, true); dv.setUint8(o + 6, v.kind); dv.setUint8(o + 7, v.flags);
    dv.setBigInt64(o + 8, v.stamp, true); dv.setFloat64(o + 16, v.value, true);
    putAscii(dv, o + 24, 8, v.tag);
  },
};
export class PlainView {
  private readonly dv: DataView;
  private readonly o: number;
  constructor(dv: DataView, o: number) { this.dv = dv; this.o = o; }
  get id() { return this.dv.getUint32(this.o, true); }
  get port() { return this.dv.getUint16(this.o + 4, true); }
  get kind() { return this.dv.getUint8(this.o + 6); }
  get flags() { return this.dv.getUint8(this.o + 7); }
  get stamp() { return this.dv.getBigInt64(this.o + 8, true); }
  get value() { return this.dv.getFloat64(this.o + 16, true); }
  get tag() { return ascii(this.dv, this.o + 24, 8); }
}

export interface Flat { id: number; temp: number; kind: number; flags: number; stamp: bigint; value: number; scale: number; count: number; tag: string }
export const flat = {
  decode(dv: DataView, o: number): Flat {
    check(dv, o, 40);
    return {
      id: dv.getUint32(o, true), temp: dv.getInt16(o + 4, true), kind: dv.getUint8(o + 6), flags: dv.getUint8(o + 7),
      stamp: dv.getBigInt64(o + 8, true), value: dv.getFloat64(o + 16, true), scale: dv.getFloat32(o + 24, true),
      count: dv.getUint32(o + 28, true), tag: ascii(dv, o + 32, 8),
    };
  },
  view(dv: DataView, o: number): FlatView { check(dv, o, 40); return new FlatView(dv, o); },
  encode(v: Flat, dv: DataView, o: number): void {
    check(dv, o, 40);
    dv.setUint32(o, v.id, true); dv.setInt16(o + 4, v.temp, true); dv.setUint8(o + 6, v.kind); dv.setUint8(o + 7, v.flags);
    dv.setBigInt64(o + 8, v.stamp, true); dv.setFloat64(o + 16, v.value, true); dv.setFloat32(o + 24, v.scale, true);
    dv.setUint32(o + 28, v.count, true);
    putAscii(dv, o + 32, 8, v.tag);
  },
};
export class FlatView {
  constructor(private readonly dv: DataView, private readonly o: number) {}
  get id() { return this.dv.getUint32(this.o, true); }
  get temp() { return this.dv.getInt16(this.o + 4, true); }
  get kind() { return this.dv.getUint8(this.o + 6); }
  get flags() { return this.dv.getUint8(this.o + 7); }
  get stamp() { return this.dv.getBigInt64(this.o + 8, true); }
  get value() { return this.dv.getFloat64(this.o + 16, true); }
  get scale() { return this.dv.getFloat32(this.o + 24, true); }
  get count() { return this.dv.getUint32(this.o + 28, true); }
  get tag() { return ascii(this.dv, this.o + 32, 8); }
}

export interface Wire { ihl: number; version: number; tos: number; len: number; id: number; frag: number; df: number; mf: number; rsv: number; ttl: number; proto: number; csum: number; src: number; dst: number }
export const wire = {
  decode(dv: DataView, o: number): Wire {
    check(dv, o, 20);
    const b0 = dv.getUint8(o);
    const w = dv.getUint16(o + 6, true);
    return {
      ihl: b0 & 15, version: b0 >>> 4, tos: dv.getUint8(o + 1), len: dv.getUint16(o + 2), id: dv.getUint16(o + 4),
      frag: w & 0x1fff, df: (w >>> 13) & 1, mf: (w >>> 14) & 1, rsv: w >>> 15, ttl: dv.getUint8(o + 8), proto: dv.getUint8(o + 9),
      csum: dv.getUint16(o + 10), src: dv.getUint32(o + 12), dst: dv.getUint32(o + 16),
    };
  },
  view(dv: DataView, o: number): WireView { check(dv, o, 20); return new WireView(dv, o); },
  encode(v: Wire, dv: DataView, o: number): void {
    check(dv, o, 20);
    dv.setUint8(o, (v.ihl & 15) | (v.version << 4)); dv.setUint8(o + 1, v.tos); dv.setUint16(o + 2, v.len); dv.setUint16(o + 4, v.id);
    dv.setUint16(o + 6, (v.frag & 0x1fff) | (v.df << 13) | (v.mf << 14) | (v.rsv << 15), true);
    dv.setUint8(o + 8, v.ttl); dv.setUint8(o + 9, v.proto); dv.setUint16(o + 10, v.csum); dv.setUint32(o + 12, v.src); dv.setUint32(o + 16, v.dst);
  },
};
export class WireView {
  constructor(private readonly dv: DataView, private readonly o: number) {}
  get ihl() { return this.dv.getUint8(this.o) & 15; }
  get version() { return this.dv.getUint8(this.o) >>> 4; }
  get tos() { return this.dv.getUint8(this.o + 1); }
  get len() { return this.dv.getUint16(this.o + 2); }
  get id() { return this.dv.getUint16(this.o + 4); }
  get frag() { return this.dv.getUint16(this.o + 6, true) & 0x1fff; }
  get df() { return (this.dv.getUint16(this.o + 6, true) >>> 13) & 1; }
  get mf() { return (this.dv.getUint16(this.o + 6, true) >>> 14) & 1; }
  get rsv() { return this.dv.getUint16(this.o + 6, true) >>> 15; }
  get ttl() { return this.dv.getUint8(this.o + 8); }
  get proto() { return this.dv.getUint8(this.o + 9); }
  get csum() { return this.dv.getUint16(this.o + 10); }
  get src() { return this.dv.getUint32(this.o + 12); }
  get dst() { return this.dv.getUint32(this.o + 16); }
}

export interface Point { x: number; y: number }
export interface Shape { id: number; n: number; layer: number; origin: Point; pts: Point[]; weights: number[] }
const point = (dv: DataView, o: number): Point => ({ x: dv.getInt32(o, true), y: dv.getInt32(o + 4, true) });
export const shape = {
  decode(dv: DataView, o: number): Shape {
    check(dv, o, 52);
    const pts: Point[] = new Array(4);
    for (let i = 0; i < 4; i++) pts[i] = point(dv, o + 12 + i * 8);
    const weights: number[] = new Array(4);
    for (let i = 0; i < 4; i++) weights[i] = dv.getUint16(o + 44 + i * 2, true);
    return { id: dv.getUint16(o, true), n: dv.getUint8(o + 2), layer: dv.getUint8(o + 3), origin: point(dv, o + 4), pts, weights };
  },
  view(dv: DataView, o: number): ShapeView { check(dv, o, 52); return new ShapeView(dv, o); },
  encode(v: Shape, dv: DataView, o: number): void {
    check(dv, o, 52);
    dv.setUint16(o, v.id, true); dv.setUint8(o + 2, v.n); dv.setUint8(o + 3, v.layer);
    dv.setInt32(o + 4, v.origin.x, true); dv.setInt32(o + 8, v.origin.y, true);
    for (let i = 0; i < 4; i++) { dv.setInt32(o + 12 + i * 8, v.pts[i]!.x, true); dv.setInt32(o + 16 + i * 8, v.pts[i]!.y, true); }
    for (let i = 0; i < 4; i++) dv.setUint16(o + 44 + i * 2, v.weights[i]!, true);
  },
};
class PointView {
  constructor(private readonly dv: DataView, private readonly o: number) {}
  get x() { return this.dv.getInt32(this.o, true); }
  get y() { return this.dv.getInt32(this.o + 4, true); }
}
export class ShapeView {
  constructor(private readonly dv: DataView, private readonly o: number) {}
  get id() { return this.dv.getUint16(this.o, true); }
  get n() { return this.dv.getUint8(this.o + 2); }
  get layer() { return this.dv.getUint8(this.o + 3); }
  get origin() { return new PointView(this.dv, this.o + 4); }
  pt(i: number) { return new PointView(this.dv, this.o + 12 + i * 8); }
  get pts() { return [0, 1, 2, 3].map((i) => this.pt(i)); }
  get weights() { return [0, 1, 2, 3].map((i) => this.dv.getUint16(this.o + 44 + i * 2, true)); }
}
