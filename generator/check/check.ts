// `structgen check` as a comparison: the files a project's outputs make now against the output folder (read
// through a host, so nothing here touches a file system), and its layouts now against the lock file. The project
// layer (project/run.ts) computes both sides' "now"; this only compares.

import type { OutputHost } from '../core/host.js';
import type { Diagnostic, SourcePos } from '../diagnostics.js';
import { GENERATED_MARK } from './generated-mark.js';
import { diffTarget, orderByPlace, type LayoutChange, type LockFile, type LockTarget } from './lock.js';

export type { OutputHost };

export interface StaleFile {
  readonly path: string;
  readonly reason: 'missing' | 'changed' | 'no longer generated';
}

export interface CheckResult {
  readonly stale: readonly StaleFile[];
  readonly changes: readonly LayoutChange[];
  /** The lock as it should be now (what `check --update` writes). */
  readonly lock: LockFile;
  readonly lockMissing: boolean;
  readonly diagnostics: readonly Diagnostic[];
  /** No errors, nothing stale, no layout change. */
  readonly ok: boolean;
}

/**
 * The files of `files` missing from or different in the output folder, and the files there that structgen wrote
 * (GENERATED_MARK) and `files` no longer holds, among those `owned` selects.
 */
export function staleFiles(files: readonly { readonly path: string; readonly contents: string }[], out: OutputHost, owned: (relPath: string) => boolean): StaleFile[] {
  const stale: StaleFile[] = [];
  const produced = new Set(files.map((f) => f.path));
  for (const f of files) {
    const disk = out.readFile(f.path);
    if (disk === null) stale.push({ path: f.path, reason: 'missing' });
    else if (disk !== f.contents) stale.push({ path: f.path, reason: 'changed' });
  }
  for (const rel of out.listFiles()) {
    if (produced.has(rel) || !owned(rel)) continue;
    const text = out.readFile(rel);
    if (text !== null && GENERATED_MARK.test(text)) stale.push({ path: rel, reason: 'no longer generated' });
  }
  return stale;
}

/** The layout changes of every target against the lock: per target the causes first (lock.ts `diffTarget`), and a
 * target that is new or no longer configured. */
export function lockChanges(now: { readonly lock: LockFile; readonly positions: ReadonlyMap<string, ReadonlyMap<string, SourcePos>> }, lock: LockFile): LayoutChange[] {
  const changes: LayoutChange[] = [];
  for (const [triple, lt] of Object.entries(now.lock.targets) as Array<[string, LockTarget]>) {
    const old = lock.targets[triple];
    if (!old) {
      changes.push({ target: triple, record: '', member: null, severity: 'review', message: `target ${triple} is not in the lock file`, pos: null });
      continue;
    }
    changes.push(...orderByPlace(diffTarget(triple, old, { lock: lt, positions: now.positions.get(triple) ?? new Map() })));
  }
  for (const triple of Object.keys(lock.targets)) {
    if (!now.lock.targets[triple]) changes.push({ target: triple, record: '', member: null, severity: 'review', message: `target ${triple} is no longer configured`, pos: null });
  }
  return changes;
}
