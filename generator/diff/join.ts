// The changes of every target joined into one list: the same change on several targets is one entry naming them
// ("on 32-bit targets only", "on x86_64-pc-windows-msvc only"), in the order a reader wants: records before the
// records that hold them, within a record the causes in declaration order, then the members that only moved, then
// the record's size and alignment. For terminals and pull requests, members that moved by the same amount one after
// another collapse into one line, and what only echoes a change of an enclosing member is left out. Pure.

import { findTarget, type TargetDesc } from '../target/index.js';
import type { DiffChange, TargetChange } from './types.js';

export interface TargetChanges {
  readonly triple: string;
  readonly changes: readonly TargetChange[];
}

const entityKey = (c: { record?: string; enum?: string; constant?: string }) =>
  c.record !== undefined ? `r:${c.record}` : c.enum !== undefined ? `e:${c.enum}` : `c:${c.constant}`;

/** Joins the targets' changes: one entry per distinct change, with the targets it happens on. */
export function joinTargets(perTarget: readonly TargetChanges[], order: ReadonlyMap<string, number>): DiffChange[] {
  const universe = perTarget.map((t) => t.triple);
  const groups = new Map<string, { c: TargetChange; targets: string[]; first: number }>();
  perTarget.forEach((t, ti) => {
    for (const c of t.changes) {
      const key = JSON.stringify([c.kind, c.class, c.record, c.member, c.enum, c.constant, c.old, c.new, c.message]);
      const g = groups.get(key);
      if (g) g.targets.push(t.triple); else groups.set(key, { c, targets: [t.triple], first: ti });
    }
  });
  const rank = (c: TargetChange) => order.get(entityKey(c)) ?? Number.MAX_SAFE_INTEGER;
  const sorted = [...groups.values()].sort((a, b) =>
    rank(a.c) - rank(b.c) || a.c.tier - b.c.tier || a.c.index - b.c.index || b.targets.length - a.targets.length || a.first - b.first);
  return sorted.map(({ c, targets }) => {
    const { tier: _t, index: _i, ...rest } = c;
    return { ...rest, targets, scope: describeTargets(targets, universe) };
  });
}

/** Groups of targets a reader knows by name, most telling first. */
const FAMILIES: ReadonlyArray<readonly [string, (t: TargetDesc) => boolean]> = [
  ['32-bit targets', (t) => t.pointer.size === 4],
  ['64-bit targets', (t) => t.pointer.size === 8],
  ['16-bit targets', (t) => t.pointer.size === 2],
  ['MSVC targets', (t) => t.algorithm === 'msvc'],
  ['Windows targets', (t) => /windows|mingw/.test(t.triple)],
  ['Apple targets', (t) => /apple/.test(t.triple)],
  ['big-endian targets', (t) => t.endian === 'big'],
  ['little-endian targets', (t) => t.endian === 'little'],
  ['targets with a 4-byte long', (t) => t.ints.long?.size === 4],
  ['targets with an 8-byte long', (t) => t.ints.long?.size === 8],
  ['targets that align 64-bit integers to 4 bytes or less', (t) => (t.ints['long long']?.align ?? 8) < 8],
  ['targets that align 64-bit integers to 8 bytes', (t) => t.ints['long long']?.align === 8],
];

/** Where a change happens, said briefly: '' on every target compared, else "on 32-bit targets only", "on T only",
 * "on all targets but T", or the list. */
export function describeTargets(subset: readonly string[], universe: readonly string[]): string {
  if (subset.length >= universe.length) return '';
  if (subset.length === 1) return `on ${subset[0]} only`;
  const set = new Set(subset);
  const rest = universe.filter((t) => !set.has(t));
  const descs = universe.map((t) => findTarget(t));
  const families = FAMILIES.map(([name, p]) => [name, universe.filter((_t, i) => descs[i] && p(descs[i]!))] as const)
    .filter(([, members]) => members.length > 0 && members.length < universe.length);
  for (const [name, members] of families) {
    if (members.length === subset.length && members.every((t) => set.has(t))) return `on ${name} only`;
  }
  for (const [name, members] of families) {
    if (members.length === rest.length && members.every((t) => !set.has(t)) && rest.length > 1) return `on all but ${name}`;
  }
  if (rest.length === 1) return `on all targets but ${rest[0]}`;
  return `on ${subset.join(', ')} only`;
}

/** A line of a report for people: a change, or a run of members that moved by the same amount. */
export interface ShownChange {
  readonly change: DiffChange;
  readonly message: string;
  /** The changes the line stands for (one, or the run). */
  readonly covers: readonly DiffChange[];
}

const sameTargets = (a: DiffChange, b: DiffChange) => a.targets.length === b.targets.length && a.targets.every((t, i) => b.targets[i] === t);
const delta = (c: DiffChange) => (c.new as number) - (c.old as number);
const signed = (bits: number) => {
  const a = Math.abs(bits);
  const s = bits < 0 ? '-' : '+';
  return a % 8 ? `${s}${a} bit${a === 1 ? '' : 's'}` : `${s}${a / 8} byte${a === 8 ? '' : 's'}`;
};

/**
 * The changes as a reader wants them: a member inside one that was added, removed or renamed is not repeated;
 * members that moved by the same amount on the same targets one after another are one line ("3 later members
 * moved by +4 bytes ('b' to 'd')"), those inside a member that moved with them left out.
 */
export function summarize(all: readonly DiffChange[]): ShownChange[] {
  const whole = new Set(all.filter((c) => c.kind === 'member-added' || c.kind === 'member-removed' || c.kind === 'member-renamed' || c.kind === 'padding-filled')
    .map((c) => `${c.record}\u0000${c.member}\u0000${c.targets.join(',')}`));
  const echo = (c: DiffChange) => c.member !== undefined && c.record !== undefined &&
    c.member.split('.').slice(0, -1).some((_x, i, parts) => whole.has(`${c.record}\u0000${parts.slice(0, i + 1).join('.')}\u0000${c.targets.join(',')}`));
  const changes = all.filter((c) => !echo(c));
  const out: ShownChange[] = [];
  const causes = new Set<string>();
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    if (c.kind !== 'member-moved' && c.kind !== 'bit-position') {
      if (c.member !== undefined && c.record !== undefined) causes.add(c.record);
      out.push({ change: c, message: c.message, covers: [c] });
      continue;
    }
    const run: DiffChange[] = [c];
    while (i + 1 < changes.length) {
      const n = changes[i + 1]!;
      if (n.kind !== c.kind || n.record !== c.record || n.class !== c.class || !sameTargets(n, c) || delta(n) !== delta(c)) break;
      run.push(n);
      i++;
    }
    const inRun = new Set(run.map((m) => m.member!));
    const shown = run.filter((m) => !m.member!.split('.').slice(0, -1).some((_x, k, parts) => inRun.has(parts.slice(0, k + 1).join('.'))));
    if (shown.length === 1) {
      const extra = run.length - 1;
      out.push({ change: c, message: extra ? `${shown[0]!.message} (with its ${extra} member${extra === 1 ? '' : 's'})` : shown[0]!.message, covers: run });
      continue;
    }
    const caused = causes.has(`${c.record}`);
    const head = c.message.slice(0, c.message.indexOf(': '));
    const what = c.kind === 'bit-position' ? 'bit-fields' : 'members';
    out.push({
      change: c, covers: run,
      message: `${head}: ${shown.length} ${caused ? 'later ' : ''}${what} moved by ${signed(delta(c))} ('${shown[0]!.member}' to '${shown[shown.length - 1]!.member}')`,
    });
  }
  return out;
}

export interface Counts { readonly breaking: number; readonly compatible: number; readonly 'source-only': number }

export function countByClass(changes: readonly DiffChange[]): Counts {
  const n = (k: DiffChange['class']) => changes.filter((c) => c.class === k).length;
  return { breaking: n('breaking'), compatible: n('compatible'), 'source-only': n('source-only') };
}
