// `structgen diff` as data: the layout facts of two versions of some headers on each target in, every change out,
// joined across targets and classified. How the facts were made (files, folders, git revisions) is the caller's;
// the report formats are in format.ts and html.ts. Pure: no Node built-ins.

import type { ProgramFacts } from '../layout/facts.js';
import { compareSnapshots, entityOrder } from './compare.js';
import { joinTargets } from './join.js';
import { snapshot, type Snapshot } from './snapshot.js';
import { CLASS_RANK, type ChangeClass, type DiffChange } from './types.js';

export type { ChangeClass, ChangeKind, DiffChange, Value, Where } from './types.js';

/** The analysed headers of both versions on one target. */
export interface TargetSides {
  readonly triple: string;
  readonly old: readonly ProgramFacts[];
  readonly new: readonly ProgramFacts[];
}

export interface DiffReport {
  /** The targets compared, in the order given. */
  readonly targets: readonly string[];
  readonly changes: readonly DiffChange[];
  /** Each target's two sides as compared (for pictures). */
  readonly sides: ReadonlyArray<{ readonly triple: string; readonly old: Snapshot; readonly new: Snapshot }>;
}

export function diffLayouts(input: readonly TargetSides[]): DiffReport {
  const sides = input.map((t) => ({ triple: t.triple, old: snapshot(t.triple, t.old), new: snapshot(t.triple, t.new) }));
  const order = entityOrder(sides);
  const changes = joinTargets(sides.map((s) => ({ triple: s.triple, changes: compareSnapshots(s.old, s.new) })), order);
  return { targets: sides.map((s) => s.triple), changes, sides };
}

/** `--fail-on`: whether a change at or above the level was found (`compatible` counts every change). */
export function failsAt(changes: readonly DiffChange[], level: ChangeClass | 'none'): boolean {
  if (level === 'none') return false;
  return changes.some((c) => CLASS_RANK[c.class] >= CLASS_RANK[level]);
}
