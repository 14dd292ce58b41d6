// What an output of a project is (the outputs themselves are in outputs/, registered in outputs.ts): a pure function of
// one target's facts (every header analysed once) and, through `plan()`, of the plan made from them once per target.
// It returns data (files, a report, a lock) and never prints or writes.

import type { Diagnostic } from '../diagnostics.js';
import type { ProjectPlan } from '../plan/plan.js';
import type { HeaderAnalysis } from './analyze.js';
import type { ProjectOptions } from './options.js';

/** A file an output produces, relative to the output folder (for one target; the project puts several targets'
 * files under `<triple>/`). */
export interface OutputFile {
  readonly path: string;
  readonly contents: string;
  /** The input hash the file states, when it states one (generated modules): what it was made from. */
  readonly inputHash?: string;
}

/** One target of a project, as an output sees it. Only targets whose headers all analysed without errors get here. */
export interface TargetContext {
  /** The canonical triple (`x86_64-linux-gnu`). */
  readonly triple: string;
  /** The folder of this target's files under the output folder: '' for one target, `<triple>/` for several. */
  readonly folder: string;
  /** Every header's analysis on this target, in the order of the headers. */
  readonly analyses: readonly HeaderAnalysis[];
  readonly options: ProjectOptions;
  /** The plan of the headers (made once per target and shared by the outputs that read one); null when planning
   * found errors, which are then reported. */
  plan(): ProjectPlan | null;
  /** Reports the output's own diagnostics (an error makes its result count as failed). */
  report(...ds: readonly Diagnostic[]): void;
}

export interface Output<O, R> {
  /** What it is, for messages and the README's list. */
  readonly title: string;
  run(ctx: TargetContext, opts: O): R;
}

/** An output that writes files into the output folder. `owns` says which files there are its kind (what `check`
 * and `--clean` may call no longer generated when they carry structgen's mark). */
export interface FileOutput<O> extends Output<O, readonly OutputFile[]> {
  owns(relPath: string): boolean;
}
