// `structgen check` and config-driven generation as data: for every configured target, the files `generate`
// would write and the layouts the lock file should hold; compared with what is on disk (read through a host,
// so the library itself touches no file system) to find stale files and layout changes.

import * as path from 'node:path';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import type { EmittedFile } from '../emit/emit.js';
import { analyzeHeader, generateFromAnalyses, VERSION, type GenerateOptions, type HeaderAnalysis } from '../pipeline.js';
import { LexCache } from '../preprocess/preprocess.js';
import { DEFAULT_TARGET, findTarget } from '../target/index.js';
import { GENERATED_MARK } from './generated-mark.js';
import { diffTarget, lockTarget, orderByPlace, type LayoutChange, type LockFile, type LockTarget } from './lock.js';

export interface ProjectOptions extends Omit<GenerateOptions, 'target'> {
  readonly headers: readonly string[];
  /** Target triples; absent or empty: x86_64-linux-gnu, as in the config. */
  readonly targets?: readonly string[];
  /** Analyses kept from an earlier run with the same options, by `target + '\0' + header` (`generate --watch`
   * drops those of headers whose files changed): a header found here is not read again. */
  readonly analyses?: Map<string, HeaderAnalysis>;
}

export interface ProjectOutput {
  /** Paths relative to the output directory: at its top for one target, under `<triple>/` for several. */
  readonly files: readonly EmittedFile[];
  readonly lock: LockFile;
  readonly positions: ReadonlyMap<string, ReadonlyMap<string, import('../diagnostics.js').SourcePos>>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Everything `generate` writes for a project, and its lock file, computed once per target. */
export function buildProject(p: ProjectOptions): ProjectOutput {
  const files: EmittedFile[] = [];
  const targets: { [triple: string]: LockTarget } = {};
  const positions = new Map<string, ReadonlyMap<string, import('../diagnostics.js').SourcePos>>();
  const diagnostics: Diagnostic[] = [];
  const display = p.displayPath ?? ((h: string) => h);
  const triples = p.targets?.length ? p.targets : [DEFAULT_TARGET];
  for (const t of triples) {
    const triple = findTarget(t)?.triple ?? t;
    const cache = p.cache ?? new LexCache();
    const analyses = p.headers.map((h) => {
      const kept = p.analyses?.get(`${t}\0${h}`);
      if (kept) return kept;
      const a = analyzeHeader(h, { ...p, target: t, cache, evaluateDefines: true });
      p.analyses?.set(`${t}\0${h}`, a);
      return a;
    });
    const run = generateFromAnalyses(analyses, { ...p, target: t });
    diagnostics.push(...run.diagnostics);
    if (hasErrors(run.diagnostics)) continue;
    const prefix = triples.length > 1 ? `${triple}/` : '';
    for (const f of run.files) files.push({ path: prefix + f.path, contents: f.contents });
    const l = lockTarget(analyses.map((a) => a.facts), display);
    targets[triple] = l.lock;
    positions.set(triple, l.positions);
  }
  return { files, lock: { tool: 'structgen', lockVersion: 1, targets }, positions, diagnostics };
}

import type { OutputHost } from '../core/host.js';
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
export function staleFiles(files: readonly EmittedFile[], out: OutputHost, owned: (relPath: string) => boolean): StaleFile[] {
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

/** Compares a project's generated files and lock file with what structgen computes now. Never writes. */
export function checkProject(p: ProjectOptions, out: OutputHost, lock: LockFile | null): CheckResult {
  const now = buildProject(p);
  if (hasErrors(now.diagnostics)) {
    return { stale: [], changes: [], lock: now.lock, lockMissing: lock === null, diagnostics: now.diagnostics, ok: false };
  }
  const stale = staleFiles(now.files, out, (rel) => rel.endsWith('.ts'));
  const changes: LayoutChange[] = [];
  if (lock) {
    for (const [triple, lt] of Object.entries(now.lock.targets)) {
      const old = lock.targets[triple];
      if (!old) {
        changes.push({ target: triple, record: '', member: null, severity: 'review', message: `target ${triple} is not in the lock file`, pos: null });
        continue;
      }
      changes.push(...orderByPlace(diffTarget(triple, old, { lock: lt, positions: now.positions.get(triple)! })));
    }
    for (const triple of Object.keys(lock.targets)) {
      if (!now.lock.targets[triple]) changes.push({ target: triple, record: '', member: null, severity: 'review', message: `target ${triple} is no longer configured`, pos: null });
    }
  }
  const ok = stale.length === 0 && changes.length === 0 && lock !== null;
  return { stale, changes, lock: now.lock, lockMissing: lock === null, diagnostics: now.diagnostics, ok };
}

/** Paths of generated files name headers relative to the config file's folder, wherever structgen runs from. */
export function relativeTo(dir: string): (header: string) => string {
  return (h) => path.relative(dir, path.resolve(h)).split(path.sep).join('/');
}

export { VERSION };
