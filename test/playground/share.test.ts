// The playground link format (CONTRACTS.md "Playground link") in Node: what share.ts writes, zlib reads (zlib format,
// base64url without padding), and what zlib writes, share.ts reads; options by their config names.

import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { base64url, decodeFragment, encodeFragment, fromBase64url } from '../../playground/src/share.js';

const HEADERS = [
  'struct s { char c; int i; };\n',
  '/* ünïcødé ✓ in a comment */\nstruct t { unsigned a : 3; };\n',
  '',
  // long enough that the deflate stream spans many base64 chunks, and bytes 0xfb-0xff appear (+ and / in base64)
  Array.from({ length: 400 }, (_, i) => `struct r${i} { unsigned char x[${(i * 7919) % 251}]; long y; };`).join('\n'),
];

describe('playground links', () => {
  it('share.ts writes what zlib and base64url read', async () => {
    for (const header of HEADERS) {
      const frag = await encodeFragment({ target: 'aarch64-linux-gnu', header, compiler: 'gcc', shortEnums: true, msBitfields: true });
      const q = new URLSearchParams(frag);
      expect([...q.keys()]).toEqual(['t', 'h', 'compiler', 'shortEnums', 'msBitfields']);
      expect(q.get('t')).toBe('aarch64-linux-gnu');
      expect([q.get('compiler'), q.get('shortEnums'), q.get('msBitfields')]).toEqual(['gcc', '1', '1']);
      const h = q.get('h')!;
      expect(h).toMatch(/^[A-Za-z0-9_-]*$/); // base64url, no padding
      const bytes = Buffer.from(h, 'base64url');
      expect(bytes[0]! & 0x0f).toBe(8); // a zlib header: deflate method
      expect(((bytes[0]! << 8) | bytes[1]!) % 31).toBe(0); // its check bits
      expect(inflateSync(bytes).toString('utf8')).toBe(header);
    }
  });

  it('share.ts reads what zlib writes; defaults are left out and read back as absent', async () => {
    for (const header of HEADERS) {
      const h = deflateSync(Buffer.from(header, 'utf8'), { level: 9 }).toString('base64url');
      expect(await decodeFragment(`#t=riscv64-linux-gnu&h=${h}&shortEnums=1`)).toEqual({ target: 'riscv64-linux-gnu', header, shortEnums: true });
    }
    const plain = await encodeFragment({ target: 'x86_64-linux-gnu', header: 'struct a { int x; };' });
    expect(plain).not.toMatch(/compiler|shortEnums|msBitfields/);
    expect(await decodeFragment(plain)).toEqual({ target: 'x86_64-linux-gnu', header: 'struct a { int x; };' });
  });

  it('a fragment without a header, or one that is not a zlib stream, restores nothing', async () => {
    expect(await decodeFragment('')).toBeNull();
    expect(await decodeFragment('#t=x86_64-linux-gnu')).toBeNull();
    expect(await decodeFragment('#h=not*base64')).toBeNull();
    expect(await decodeFragment(`#h=${Buffer.from('plain text, not deflated').toString('base64url')}`)).toBeNull();
  });

  it('base64url round-trips every byte value without padding', () => {
    for (let n = 0; n < 70; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 0xff);
      const s = base64url(b);
      expect(s).toBe(Buffer.from(b).toString('base64url'));
      expect(fromBase64url(s)).toEqual(b);
    }
  });
});
