// A fast, dependency-free 64-bit hash (FNV-1a over UTF-16 code units, two 32-bit lanes) for the input hash that
// generated files carry. Not cryptographic: it only tells a reader whether two generations saw the same input.

export function hash64(text: string): string {
  return new Hash64().update(text).digest();
}

/** hash64 of text given in pieces: the hash of their concatenation, without making it. */
export class Hash64 {
  private a = 0x811c9dc5;
  private b = 0xcbf29ce4;

  update(text: string): this {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c ^ (a >>> 16), 0x01000193);
    }
    this.a = a;
    this.b = b;
    return this;
  }

  /** Adds `JSON.stringify(text)` (a big text's literal is not made whole: it is escaped a piece at a time). */
  updateJsonString(text: string): this {
    return this.update('"').updateJsonBody(text).update('"');
  }

  /** Adds `JSON.stringify(text)` without its quotes, escaped as it is hashed (the literal is never made: a big
   * fingerprint is 150 MB). The escapes are JSON.stringify's: `\"`, `\\`, `\b \t \n \f \r`, other controls and
   * lone surrogates as `\u` and four lower-case hex digits. The bodies of texts given one after another are the
   * body of their concatenation when no text ends inside a surrogate pair. */
  updateJsonBody(text: string): this {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && (c < 0xd800 || c > 0xdfff)) {
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c ^ (a >>> 16), 0x01000193);
        continue;
      }
      let esc: string;
      if (c === 0x22) esc = '\\"';
      else if (c === 0x5c) esc = '\\\\';
      else if (c < 0x20) esc = SHORT_ESCAPES[c] ?? `\\u00${c < 0x10 ? '0' : ''}${c.toString(16)}`;
      else if (c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) esc = text.slice(i, ++i + 1);
      else esc = `\\u${c.toString(16)}`;
      // escapes are rare: hashed by update, the lanes handed over and taken back
      this.a = a;
      this.b = b;
      this.update(esc);
      a = this.a;
      b = this.b;
    }
    this.a = a;
    this.b = b;
    return this;
  }

  /** Adds the body of `JSON.stringify(JSON.stringify(s))`: `s`'s JSON literal, itself escaped as part of a JSON
   * string (a fingerprint's strings are hashed so, without making their text). */
  updateJsonStringBody(s: string): this {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return this.updateJsonBody(JSON.stringify(s));
    }
    return this.update('\\"').update(s).update('\\"');
  }

  digest(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}

/** JSON.stringify's short escapes of control characters. */
const SHORT_ESCAPES: { readonly [c: number]: string } = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
