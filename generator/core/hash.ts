// A fast, dependency-free 64-bit hash (FNV-1a over UTF-16 code units, two 32-bit lanes) for the input hash that
// generated files carry. Not cryptographic: it only tells a reader whether two generations saw the same input.

export function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c ^ (a >>> 16), 0x01000193);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
