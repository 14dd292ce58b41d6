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

  /** Adds `JSON.stringify(text)` without its quotes: escaped a piece at a time, pieces ending between the halves of
   * no surrogate pair (JSON.stringify escapes a surrogate only when it stands alone). The bodies of texts given one
   * after another are the body of their concatenation when no text ends inside a surrogate pair. */
  updateJsonBody(text: string): this {
    const PIECE = 1 << 16;
    for (let i = 0; i < text.length;) {
      let end = Math.min(text.length, i + PIECE);
      const last = text.charCodeAt(end - 1);
      const next = end < text.length ? text.charCodeAt(end) : 0;
      if (last >= 0xd800 && last <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) end++;
      const lit = JSON.stringify(text.slice(i, end));
      this.update(lit.slice(1, -1));
      i = end;
    }
    return this;
  }

  digest(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}
