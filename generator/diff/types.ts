// The vocabulary of `structgen diff`: the kinds of change it reports, the three classes (README "Comparing
// versions" says what each means and where the rule comes from), and a change as the report carries it.

import type { SourcePos } from '../diagnostics.js';

export type ChangeClass = 'breaking' | 'compatible' | 'source-only';

export type ChangeKind =
  | 'record-added' | 'record-removed' | 'record-kind' | 'record-size' | 'record-align'
  | 'member-added' | 'member-removed' | 'member-renamed' | 'member-moved' | 'member-resized' | 'member-retyped'
  | 'bit-position' | 'padding-filled'
  | 'enum-added' | 'enum-removed' | 'enum-size'
  | 'enumerator-added' | 'enumerator-removed' | 'enumerator-changed' | 'enumerator-renamed'
  | 'constant-added' | 'constant-removed' | 'constant-changed';

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
