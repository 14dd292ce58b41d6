// The playground link (CONTRACTS.md "Playground link"): `#t=<triple>&h=<header>` where <header> is the header text
// compressed with CompressionStream('deflate') (zlib format) and base64url-encoded without padding; options follow as
// `&key=value` named like the config keys (`compiler=gcc`, `shortEnums=1`, `msBitfields=1`). Portable: runs in the
// page and in Node (tests build links with zlib.deflateSync and read them back with this).

export interface PlaygroundState {
  readonly target: string;
  readonly header: string;
  readonly compiler?: 'clang' | 'gcc';
  readonly shortEnums?: boolean;
  readonly msBitfields?: boolean;
}

export function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('not base64url');
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export async function deflate(text: string): Promise<Uint8Array> {
  return pipe(new TextEncoder().encode(text), new CompressionStream('deflate'));
}

export async function inflate(bytes: Uint8Array): Promise<string> {
  return new TextDecoder('utf-8', { fatal: true }).decode(await pipe(bytes, new DecompressionStream('deflate')));
}

/** The fragment (without `#`) for a state. */
export async function encodeFragment(s: PlaygroundState): Promise<string> {
  const parts = [`t=${encodeURIComponent(s.target)}`, `h=${base64url(await deflate(s.header))}`];
  if (s.compiler === 'gcc') parts.push('compiler=gcc');
  if (s.shortEnums) parts.push('shortEnums=1');
  if (s.msBitfields) parts.push('msBitfields=1');
  return parts.join('&');
}

const flag = (v: string | null): boolean | undefined => (v === null ? undefined : v === '1' || v === 'true');

/** The state a fragment holds (with or without `#`), or null when it holds none (no `h`) or cannot be read. */
export async function decodeFragment(fragment: string): Promise<PlaygroundState | null> {
  const q = new URLSearchParams(fragment.replace(/^#/, ''));
  const h = q.get('h');
  if (h === null) return null;
  let header: string;
  try { header = await inflate(fromBase64url(h)); } catch { return null; }
  const compiler = q.get('compiler');
  const shortEnums = flag(q.get('shortEnums'));
  const msBitfields = flag(q.get('msBitfields'));
  return {
    target: q.get('t') ?? 'x86_64-linux-gnu', header,
    ...(compiler === 'gcc' || compiler === 'clang' ? { compiler } : {}),
    ...(shortEnums !== undefined ? { shortEnums } : {}),
    ...(msBitfields !== undefined ? { msBitfields } : {}),
  };
}
