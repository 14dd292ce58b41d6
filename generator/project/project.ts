// A project: headers, targets and options in; each header analysed once per target (one lexing cache for the whole
// project: a file included by several headers, or read for several targets, is lexed once), each target planned
// once, and the outputs of outputs.ts run over those facts and plans on request. The commands, the API,
// `generate --watch`, the bundler plugin and the browser entry all go through here. Portable: what it reads comes
// through the environment (analyze.ts `PipelineEnv`); it never prints or writes.

import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { planModules, type ProjectPlan } from '../plan/plan.js';
import { LexCache } from '../preprocess/preprocess.js';
import { DEFAULT_TARGET, findTarget } from '../target/index.js';
import { analyzeHeader, type HeaderAnalysis, type PipelineEnv } from './analyze.js';
import { analysisKey, type ProjectOptions } from './options.js';
import type { OutputFile, TargetContext } from './output.js';
import { OUTPUTS, type FileOutputName, type OptionsOf, type OutputName, type ResultOf } from './outputs.js';

interface TargetState {
  readonly triple: string;
  readonly analyses: readonly HeaderAnalysis[];
  readonly ok: boolean;
  plan?: ProjectPlan | null;
}

/** A request for a file output and its options (`{ output: 'modules', options: { emit: 'js+dts' } }`). */
export type FileRequest = { [K in FileOutputName]: { readonly output: K; readonly options?: OptionsOf<K> } }[FileOutputName];

export class Project {
  readonly options: ProjectOptions;
  /** The targets as configured (any known spelling), in order; the default target when none is. */
  readonly targets: readonly string[];
  readonly cache: LexCache;
  private readonly states = new Map<string, TargetState>();
  private readonly log: Diagnostic[] = [];

  constructor(options: ProjectOptions, private readonly env: PipelineEnv) {
    this.options = options;
    this.targets = options.targets?.length ? [...options.targets] : [DEFAULT_TARGET];
    this.cache = options.cache ?? new LexCache();
  }

  /** Everything reported so far, each once and in order: the analyses' diagnostics, then the plans' and the
   * outputs'. */
  get diagnostics(): readonly Diagnostic[] {
    return this.log;
  }

  /** Every header's analysis on a target (made once, or kept from `options.analyses`). */
  analyses(target: string): readonly HeaderAnalysis[] {
    return this.state(target).analyses;
  }

  /** The facts of every header on every target: what two versions of a project are compared by. */
  facts(): ProjectFacts {
    return {
      targets: this.targets.map((t) => {
        const s = this.state(t);
        return { triple: s.triple, headers: s.analyses.map((a) => ({ header: a.header, facts: hasErrors(a.diagnostics) ? null : a.facts, diagnostics: a.diagnostics })) };
      }),
      diagnostics: this.log,
    };
  }

  /** The plan of a target's headers (made once); null when an analysis or planning found errors. */
  plan(target: string): ProjectPlan | null {
    const s = this.state(target);
    if (!s.ok) return null;
    if (s.plan === undefined) {
      const o = this.options;
      const plan = planModules(s.analyses.map((a) => a.facts!), {
        endian: o.endian, records: o.records, constants: o.constants,
        ...(o.fields ? { fields: o.fields } : {}), ...(o.unions ? { unions: o.unions } : {}),
        ...(o.displayPath ? { displayPath: o.displayPath } : {}),
        ...(o.selfContained ? { selfContained: true } : {}),
      });
      this.log.push(...plan.diagnostics);
      s.plan = hasErrors(plan.diagnostics) ? null : plan;
    }
    return s.plan;
  }

  /** One output on one target: its result, or null when the analyses, the plan or the output had errors (they are
   * in `diagnostics`). */
  output<K extends OutputName>(name: K, target: string, ...opts: {} extends OptionsOf<K> ? [OptionsOf<K>?] : [OptionsOf<K>]): ResultOf<K> | null {
    const s = this.state(target);
    if (!s.ok) return null;
    const own: Diagnostic[] = [];
    let planFailed = false;
    const ctx: TargetContext = {
      triple: s.triple,
      folder: this.targets.length > 1 ? `${s.triple}/` : '',
      analyses: s.analyses,
      options: this.options,
      plan: () => {
        const p = this.plan(target);
        if (!p) planFailed = true;
        return p;
      },
      report: (...ds) => { own.push(...ds); },
    };
    const run = OUTPUTS[name].run as (c: TargetContext, o: unknown) => ResultOf<K>;
    const value = run(ctx, opts[0] ?? {});
    this.log.push(...own);
    return planFailed || hasErrors(own) ? null : value;
  }

  /** The files of file outputs for every target, relative to the output folder: at its top for one target, under
   * `<triple>/` for several. Null when anything had errors (then nothing is to be written). */
  files(requests: readonly FileRequest[]): OutputFile[] | null {
    const files: OutputFile[] = [];
    let failed = false;
    for (const t of this.targets) {
      for (const r of requests) {
        const got = (this.output as (n: OutputName, t: string, o?: unknown) => readonly OutputFile[] | null)(r.output, t, r.options);
        if (!got) { failed = true; continue; }
        const folder = this.targets.length > 1 ? `${this.state(t).triple}/` : '';
        for (const f of got) files.push({ ...f, path: folder + f.path });
      }
    }
    return failed ? null : files;
  }

  /** Whether a file in the output folder is of a kind these file outputs write. */
  static owns(outputs: readonly FileOutputName[], relPath: string): boolean {
    const base = relPath.slice(relPath.lastIndexOf('/') + 1);
    return outputs.some((o) => OUTPUTS[o].owns(base));
  }

  private state(target: string): TargetState {
    let s = this.states.get(target);
    if (s) return s;
    const o = this.options;
    const kept = o.analyses;
    const opts = { ...o, target, cache: this.cache, evaluateDefines: o.evaluateDefines ?? true };
    // kept analyses (watch) need their intermediate stages; a header host (memory, browser) is not for other threads.
    // Otherwise only the facts are kept (leanAnalysis, as from the threads): the preprocessed text, the syntax and the
    // resolved program of a big header are several times its facts, and no output reads them
    const many = !kept && !o.host && o.workers !== 0 && this.env.analyzeMany ? this.env.analyzeMany(o.headers, opts, o.workers) : null;
    const analyses = many ?? o.headers.map((h) => {
      const k = analysisKey(target, h);
      const had = kept?.get(k);
      if (had) return had;
      if (!kept) return analyzeHeader(h, opts, this.env, true);
      const a = analyzeHeader(h, opts, this.env);
      kept.set(k, a);
      return a;
    });
    const diags = analyses.flatMap((a) => a.diagnostics);
    this.log.push(...diags);
    s = { triple: findTarget(target)?.triple ?? target, analyses, ok: !hasErrors(diags) };
    this.states.set(target, s);
    return s;
  }
}

/** The facts of every header on every target of a project (Project.facts()). */
export interface ProjectFacts {
  readonly targets: ReadonlyArray<{
    /** Canonical triple. */
    readonly triple: string;
    /** In the order of the project's headers; `facts` null when the header had errors. */
    readonly headers: ReadonlyArray<{ readonly header: string; readonly facts: import('../layout/facts.js').ProgramFacts | null; readonly diagnostics: readonly Diagnostic[] }>;
  }>;
  /** Every diagnostic of the analyses, in order. */
  readonly diagnostics: readonly Diagnostic[];
}

/** The facts of `headers` on each target, read through `opts.host` (or the environment's): one analysis per header
 * and target. For comparing versions of a project (`structgen diff`: one call with the old files' host, one with
 * the new). */
export function projectFacts(opts: ProjectOptions, env: PipelineEnv): ProjectFacts {
  return new Project(opts, env).facts();
}
