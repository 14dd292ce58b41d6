// Minimal typings for the comparison libraries: restructure ships none, and binary-parser's are not reachable
// through its package.json "exports" under nodenext resolution.

declare module 'binary-parser' {
  type Opts = { [k: string]: unknown };
  export class Parser {
    endianness(e: 'little' | 'big'): Parser;
    uint8(n: string): Parser; uint16(n: string): Parser; uint16le(n: string): Parser; uint32(n: string): Parser;
    int16(n: string): Parser; int32(n: string): Parser; int64(n: string): Parser; floatle(n: string): Parser; doublele(n: string): Parser;
    bit4(n: string): Parser;
    string(n: string, o: Opts): Parser; nest(n: string, o: Opts): Parser; array(n: string, o: Opts): Parser;
    parse(b: Uint8Array): unknown;
  }
}

declare module 'restructure' {
  export interface Type { decode(s: DecodeStream): unknown }
  export class Struct<T = unknown> implements Type { constructor(fields: { [k: string]: Type }); decode(s: DecodeStream): T }
  export class Array implements Type { constructor(t: Type, n: number); decode(s: DecodeStream): unknown }
  export class String implements Type { constructor(n: number, enc: string); decode(s: DecodeStream): unknown }
  export class DecodeStream { constructor(b: Uint8Array) }
  export const uint8: Type, uint16le: Type, uint32le: Type, int16le: Type, int32le: Type, floatle: Type, doublele: Type;
}
