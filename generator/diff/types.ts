// The vocabulary of `structgen diff`: the kinds of change it reports, the three classes (README "Comparing
// versions" says what each means and where the rule comes from), and a change as the report carries it.

import type { SourcePos } from '../diagnostics.js';

export type ChangeClass = 'breaking' | 'compatible' | 'source-only';

/** Every kind of change, in the README's order. */
export const CHANGE_KINDS = [
  'member-added', 'member-removed', 'member-renamed', 'padding-filled', 'member-moved', 'bit-position', 'member-resized',
  'member-retyped', 'record-size', 'record-align', 'record-kind', 'record-added', 'record-removed',
  'enumerator-added', 'enumerator-removed', 'enumerator-changed', 'enumerator-renamed', 'enum-added', 'enum-removed',
  'enum-size', 'constant-added', 'constant-removed', 'constant-changed',
] as const;

export type ChangeKind = typeof CHANGE_KINDS[number];

/** JSON values of `old` and `new` (see the README for what each kind puts there). */
export type Value = string | number | null | { readonly [k: string]: string | number | boolean };

/** Where a change is in the headers: the new side's declaration, or the old side's for what was removed. */
export interface Where {
  readonly side: 'old' | 'new';
  readonly pos: SourcePos;
}

/** What a change is, wherever it happens. */
export interface Change {
  readonly kind: ChangeKind;
  readonly class: ChangeClass;
  readonly record?: string;
  readonly member?: string;
  readonly enum?: string;
  readonly constant?: string;
  readonly old: Value;
  readonly new: Value;
  readonly message: string;
  readonly where: Where | null;
}

/** One change on one target. */
export interface TargetChange extends Change {
  /** Place in the report: causes before their effects (see join.ts). */
  readonly tier: number;
  /** The member's (or enumerator's) place in its record (or enum). */
  readonly index: number;
}

/** One change joined across the targets it happens on (the JSON `changes` entries, CONTRACTS.md). */
export interface DiffChange extends Change {
  /** In the order the targets were given. */
  readonly targets: readonly string[];
  /** "on 32-bit targets only", "on x86_64-pc-windows-msvc only"; '' when on every target compared. */
  readonly scope: string;
}

export const CLASS_RANK: { readonly [c in ChangeClass]: number } = { breaking: 2, compatible: 1, 'source-only': 1 };
