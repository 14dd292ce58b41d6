// POSIX path arithmetic for the core (include search, module names), so that it runs without `node:path`.
// Only what the core needs; the Node host converts its own paths to this form.

export function isAbsolute(p: string): boolean {
  return p.startsWith('/');
}

/** `a/./b/../c` -> `a/c`; keeps a leading `/` and leading `..` segments of relative paths. */
export function normalize(p: string): string {
  if (p === '') return '.';
  const abs = isAbsolute(p);
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const s = out.join('/');
  return abs ? `/${s}` : s || '.';
}

export function join(...parts: readonly string[]): string {
  return normalize(parts.filter((x) => x !== '').join('/'));
}

export function dirname(p: string): string {
  const s = p.replace(/\/+$/, '');
  const i = s.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return s.slice(0, i);
}

export function basename(p: string): string {
  const s = p.replace(/\/+$/, '');
  return s.slice(s.lastIndexOf('/') + 1);
}

/** The file name without its last extension: `linux/input.h` -> `input`. */
export function stem(p: string): string {
  const b = basename(p);
  const i = b.lastIndexOf('.');
  return i > 0 ? b.slice(0, i) : b;
}

/** `to` relative to the directory `from` (both absolute, or both relative to the same folder). */
export function relative(from: string, to: string): string {
  const a = normalize(from).split('/').filter(Boolean);
  const b = normalize(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.slice(i).map(() => '..');
  return [...up, ...b.slice(i)].join('/') || '.';
}
