// Mutations of real headers for the robustness fuzzer: tokens and lines deleted, duplicated or swapped, random
// bytes, truncation, unbalanced brackets and conditionals, deep nesting and long macro chains. Seeded, so a
// failing case can be reproduced from its seed and index.

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKEN = /[A-Za-z_]\w*|\d+|\S/g;

/** `light`: sizes for the run inside `npm test` (a minute on two cores); the CLI fuzzer uses the full ones. */
export interface MutateOptions { readonly light?: boolean }

export const MUTATORS: ReadonlyArray<[string, (src: string, r: () => number, o: MutateOptions) => string]> = [
  ['delete token', (s, r) => editToken(s, r, () => '')],
  ['duplicate token', (s, r) => editToken(s, r, (t) => `${t} ${t}`)],
  ['swap tokens', (s, r) => {
    const toks = [...s.matchAll(TOKEN)];
    if (toks.length < 2) return s;
    const i = Math.floor(r() * (toks.length - 1));
    const a = toks[i]!;
    const b = toks[i + 1]!;
    return s.slice(0, a.index) + b[0] + s.slice(a.index! + a[0].length, b.index) + a[0] + s.slice(b.index! + b[0].length);
  }],
  ['delete line', (s, r) => editLine(s, r, () => [])],
  ['duplicate line', (s, r) => editLine(s, r, (l) => [l, l])],
  ['swap lines', (s, r) => {
    const lines = s.split('\n');
    const i = Math.floor(r() * Math.max(1, lines.length - 1));
    [lines[i], lines[i + 1]] = [lines[i + 1] ?? '', lines[i] ?? ''];
    return lines.join('\n');
  }],
  ['random bytes', (s, r) => {
    const at = Math.floor(r() * s.length);
    let junk = '';
    for (let k = 0, n = 1 + Math.floor(r() * 8); k < n; k++) junk += String.fromCharCode(Math.floor(r() * 256));
    return s.slice(0, at) + junk + s.slice(at);
  }],
  ['truncate', (s, r) => s.slice(0, Math.floor(r() * s.length))],
  ['unbalanced bracket', (s, r) => {
    const at = Math.floor(r() * s.length);
    return s.slice(0, at) + '({[)}]'[Math.floor(r() * 6)] + s.slice(at);
  }],
  ['unbalanced conditional', (s, r) => editLine(s, r, (l) => [['#if 1', '#ifdef X', '#endif', '#else', '#elif 0'][Math.floor(r() * 5)]!, l])],
  ['deep nesting', (s, r, o) => {
    const sizes = o.light ? [100, 256, 257, 1000] : [100, 255, 256, 257, 1000, 5000];
    const n = sizes[Math.floor(r() * sizes.length)]!;
    const kinds = [
      `struct deep_${n} { char a[${'('.repeat(n)}1${')'.repeat(n)}]; };`,
      `struct deepr_${n} { ${'struct { '.repeat(Math.min(n, 300))}int x; ${'}; '.repeat(Math.min(n, 300))}};`,
      `#if ${'('.repeat(n)}1${')'.repeat(n)}\n#endif`,
      `struct deepp_${n} { int ${'*'.repeat(n)}p; char b[${Array(n).fill('1').join('+')}]; };`,
    ];
    return editLine(s, r, (l) => [kinds[Math.floor(r() * kinds.length)]!, l]);
  }],
  ['long macro chain', (s, r, o) => {
    const form = ['M{i}', '(M{i}+1)', 'M{i}+M{i}', 'F(M{i})'][Math.floor(r() * 4)]!;
    // a doubling chain past 20 links reaches the expansion limit (1,000,000 tokens): the full run tries that
    const sizes = form === 'M{i}+M{i}' ? (o.light ? [8, 12] : [16, 30, 1000]) : o.light ? [100, 1000] : [100, 1000, 5000];
    const n = sizes[Math.floor(r() * sizes.length)]!;
    let chain = '#define F(x) x\n#define M0 1\n';
    for (let i = 0; i < n; i++) chain += `#define M${i + 1} ${form.replaceAll('{i}', String(i))}\n`;
    return chain + s + (r() < 0.5 ? `\nstruct chain_use { char a[M${n} > 0 ? 1 : 2]; };\n` : '');
  }],
];

function editToken(s: string, r: () => number, f: (t: string) => string): string {
  const toks = [...s.matchAll(TOKEN)];
  if (!toks.length) return s;
  const t = toks[Math.floor(r() * toks.length)]!;
  return s.slice(0, t.index) + f(t[0]) + s.slice(t.index! + t[0].length);
}

function editLine(s: string, r: () => number, f: (l: string) => string[]): string {
  const lines = s.split('\n');
  const i = Math.floor(r() * lines.length);
  lines.splice(i, 1, ...f(lines[i] ?? ''));
  return lines.join('\n');
}

/** One mutant: 1 to 3 mutations of `src`. */
export function mutate(src: string, r: () => number, o: MutateOptions = {}): { text: string; applied: string[] } {
  let text = src;
  const applied: string[] = [];
  for (let k = 0, n = 1 + Math.floor(r() * 3); k < n; k++) {
    const [name, f] = MUTATORS[Math.floor(r() * MUTATORS.length)]!;
    text = f(text, r, o);
    applied.push(name);
  }
  return { text, applied };
}
