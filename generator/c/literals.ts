// C lexical facts shared by the stages: the values of integer, character and string literals. The preprocessor
// (`#if`), the constant evaluator (resolve/) and the emitter all read literals the same way, from here.

export interface IntLiteral {
  readonly value: bigint;
  readonly unsigned: boolean;
  /** Number of `l` suffixes: 0, 1 (`l`) or 2 (`ll`). */
  readonly longs: number;
}

/** An integer literal's value and suffix (decimal, octal, hex, binary; C23 digit separators), or null. */
export function parseIntLiteral(text: string): IntLiteral | null {
  const m = /^(0[xX][0-9a-fA-F']+|0[bB][01']+|0[0-7']*|[1-9][0-9']*)([uUlL]*)$/.exec(text);
  if (!m) return null;
  const digits = m[1]!.replace(/'/g, '');
  const sfx = m[2]!.toLowerCase();
  if (!/^(u?(l|ll)?|(l|ll)u)$/.test(sfx)) return null;
  let value: bigint;
  if (/^0[xX]/.test(digits)) value = BigInt(digits);
  else if (/^0[bB]/.test(digits)) value = BigInt(digits);
  else if (digits.length > 1 && digits[0] === '0') value = BigInt('0o' + digits.slice(1));
  else value = BigInt(digits);
  return { value, unsigned: sfx.includes('u'), longs: (sfx.match(/l/g) ?? []).length };
}

const SIMPLE_ESCAPES: { readonly [c: string]: number } = {
  n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63,
};

/** The value of a character constant as the target's `int` (plain `char` signed or not), or null. */
export function charLiteralValue(text: string, charSigned: boolean): bigint | null {
  const m = /^(L|u8|u|U)?'(.*)'$/s.exec(text);
  if (!m) return null;
  const body = m[2]!;
  const vals: number[] = [];
  for (let i = 0; i < body.length;) {
    if (body[i] === '\\') {
      const c = body[i + 1];
      if (c !== undefined && Object.hasOwn(SIMPLE_ESCAPES, c)) { vals.push(SIMPLE_ESCAPES[c]!); i += 2; continue; }
      if (c === 'x') {
        const hm = /^[0-9a-fA-F]+/.exec(body.slice(i + 2));
        if (!hm) return null;
        vals.push(parseInt(hm[0], 16));
        i += 2 + hm[0].length;
        continue;
      }
      if (c === 'u' || c === 'U') {
        const n = c === 'u' ? 4 : 8;
        const hex = body.slice(i + 2, i + 2 + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) return null;
        const cp = parseInt(hex, 16);
        if (m[1]) vals.push(cp);
        else for (const b of new TextEncoder().encode(String.fromCodePoint(cp))) vals.push(b);
        i += 2 + n;
        continue;
      }
      const om = /^[0-7]{1,3}/.exec(body.slice(i + 1));
      if (om) { vals.push(parseInt(om[0], 8)); i += 1 + om[0].length; continue; }
      return null;
    }
    const cp = body.codePointAt(i)!;
    if (m[1] || cp < 128) vals.push(cp);
    else for (const b of new TextEncoder().encode(String.fromCodePoint(cp))) vals.push(b);
    i += cp > 0xffff ? 2 : 1;
  }
  if (vals.length === 0) return null;
  if (m[1]) return BigInt(vals[vals.length - 1]!);
  if (vals.length === 1) {
    const v = vals[0]! & 0xff;
    return BigInt(charSigned && v > 127 ? v - 256 : v);
  }
  let acc = 0n;
  for (const v of vals) acc = (acc << 8n) | BigInt(v & 0xff);
  return BigInt.asIntN(32, acc);
}

/** The text of one or more adjacent C string literals (`"a\x41" "b"`), escapes applied, bytes read as UTF-8. */
export function cStringValue(src: string): string | null {
  const bytes: number[] = [];
  const re = /(?:u8|u|U|L)?"((?:[^"\\]|\\.)*)"/gs;
  const enc = new TextEncoder();
  let m: RegExpExecArray | null;
  let any = false;
  while ((m = re.exec(src)) !== null) {
    any = true;
    const body = m[1]!;
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c !== '\\') {
        const cp = body.codePointAt(i)!;
        if (cp < 128) bytes.push(cp);
        else {
          for (const b of enc.encode(String.fromCodePoint(cp))) bytes.push(b);
          if (cp > 0xffff) i++;
        }
        continue;
      }
      const n = body[++i] ?? '';
      if (Object.hasOwn(SIMPLE_ESCAPES, n)) { bytes.push(SIMPLE_ESCAPES[n]!); continue; }
      if (n === 'x') {
        const h = /^[0-9a-fA-F]+/.exec(body.slice(i + 1))?.[0] ?? '';
        bytes.push(parseInt(h || '0', 16) & 0xff);
        i += h.length;
        continue;
      }
      if (n === 'u' || n === 'U') {
        const len = n === 'u' ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) return null;
        for (const b of enc.encode(String.fromCodePoint(parseInt(hex, 16)))) bytes.push(b);
        i += len;
        continue;
      }
      const oct = /^[0-7]{1,3}/.exec(body.slice(i))?.[0];
      if (oct) { bytes.push(parseInt(oct, 8) & 0xff); i += oct.length - 1; continue; }
      return null;
    }
  }
  return any ? new TextDecoder().decode(new Uint8Array(bytes)) : null;
}

/** Names the preprocessor gives to declarations it appends for the parser (probes of `#define` constants). */
export const CONSTANT_PROBE_PREFIX = '__structgen_constant_';
