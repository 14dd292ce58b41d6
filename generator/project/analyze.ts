// One header on one target through the stages: preprocess -> parse -> resolve -> lay out, giving the facts every
// output reads. Portable: what it reads and runs comes through an environment (`PipelineEnv`) that
// generator/pipeline.ts fills for Node and generator/browser.ts for an in-memory file map. The project
// (project.ts) calls this once per header and target; nothing here prints or writes files.

import { VERSION } from '../core/version.js';
import type { FileHost } from '../core/host.js';
import * as paths from '../core/paths.js';
import { diag, hasErrors, type Diagnostic, type SourcePos } from '../diagnostics.js';
import { headerRecordFacts, reportRecord, type RecordReport } from '../layout/report.js';
export type { FieldReport, LayoutReport, PaddingReport, RecordReport } from '../layout/report.js';
import type { ProgramFacts } from '../layout/facts.js';
import { layoutProgram } from '../layout/stage.js';
import { CommentCache } from '../layout/docs.js';
import { parseHeader, type ParseResult } from '../parse/parse.js';
import type { Program } from '../parse/ast.js';
import { rewriteForParser } from '../parse/rewrite.js';
import { LexCache, preprocess, type PreprocessHost, type PreprocessOptions, type PreprocessResult } from '../preprocess/preprocess.js';
import { Resolver } from '../resolve/resolve.js';
import type { ResolvedProgram } from '../resolve/types.js';
import { DEFAULT_TARGET, findTarget, knownTriples, type TargetDesc } from '../target/index.js';
import { gccFlavour, GCC_UNMEASURED } from '../target/gcc.js';

/** What the pipeline reads and runs through: filled for Node by generator/pipeline.ts, for an in-memory file map by
 * generator/browser.ts. */
export interface PipelineEnv {
  /** How headers are read when the options name no host. */
  readonly host: FileHost;
  /** The target's system header directories that exist (CONTRACTS.md "Include search"). */
  systemDirs(t: TargetDesc, sysroot: string | undefined): string[];
  /** `--cpp`: an external preprocessor (Node only). */
  externalPreprocess?(header: string, cmd: string, opts: PreprocessOptions): PreprocessResult;
  /** Many headers at once, on several threads (Node: node/analyze-workers.ts): each header's `leanAnalysis`, in the
   * order given, equal to what `analyzeHeader` gives one by one; or null to have the caller analyse them one by one
   * (too few headers or cores to pay for the threads). `workers`: threads besides the caller's; absent: one per
   * further core. */
  analyzeMany?(headers: readonly string[], opts: PipelineOptions, workers: number | undefined): HeaderAnalysis[] | null;
}

export interface PipelineOptions {
  /** Target triple (any known spelling); default x86_64-linux-gnu. */
  readonly target?: string;
  readonly includeDirs?: readonly string[];
  /** Like `-isystem`: searched after `-I`, before the target's system directories; treated as system headers. */
  readonly systemIncludeDirs?: readonly string[];
  readonly defines?: Readonly<Record<string, string>>;
  readonly undefines?: readonly string[];
  /** Root of the target's system headers; without it only the host's own target uses /usr/include. */
  readonly sysroot?: string;
  /** `-mms-bitfields` (true) / `-mno-ms-bitfields` (false): override the target's bit-field layout algorithm. */
  readonly msBitfields?: boolean;
  /** `-fshort-enums`: enums take the smallest integer type that holds their values. */
  readonly shortEnums?: boolean;
  /** Whose layout rules: clang 16's (default) or gcc's (`--compiler gcc`, REFERENCE.md §2.2 and §4.1). */
  readonly compiler?: 'clang' | 'gcc';
  /** Evaluate the header's `#define` constants too (for `generate`). */
  readonly evaluateDefines?: boolean;
  /** External preprocessor command (e.g. `cpp -P`); the header path is appended. */
  readonly cpp?: string;
  /** How headers are read (default: the environment's: the file system in Node). */
  readonly host?: PreprocessHost;
  readonly cache?: LexCache;
}

export interface HeaderAnalysis {
  readonly header: string;
  readonly target: TargetDesc;
  readonly pp: PreprocessResult | null;
  readonly program: Program | null;
  readonly resolved: ResolvedProgram | null;
  /** The layout stage's output: what every consumer reads. */
  readonly facts: ProgramFacts | null;
  readonly diagnostics: readonly Diagnostic[];
  /** `#define` constants of the header (with `evaluateDefines: true`). */
  readonly constants?: readonly MacroConstant[];
  /** The host files the analysis read (`pp.includedFiles`), kept when `pp` is not (`leanAnalysis`). */
  readonly includedFiles?: readonly string[];
}

/** An analysis without its intermediate stages (the preprocessed text, the syntax and the resolved program): the
 * facts, constants and diagnostics every output reads, and the files it read. What crosses between threads (plain
 * data, structured-clonable) and what a project keeps of analyses made on several threads. */
export function leanAnalysis(a: HeaderAnalysis): HeaderAnalysis {
  return {
    header: a.header, target: a.target, pp: null, program: null, resolved: null, facts: a.facts, diagnostics: a.diagnostics,
    ...(a.constants ? { constants: a.constants } : {}), includedFiles: a.includedFiles ?? a.pp?.includedFiles ?? [a.header],
  };
}

export interface MacroConstant {
  readonly name: string;
  /** The file it was read from (positions follow `#line`; this does not). */
  readonly file: string;
  readonly value: bigint | string;
  readonly body: string;
  readonly pos: SourcePos;
}

export function targetOrError(triple: string | undefined): TargetDesc | Diagnostic {
  const t = findTarget(triple ?? DEFAULT_TARGET);
  if (t) return t;
  return diag('error', null, 'unknown-target', `unknown target '${triple}'; known targets: ${knownTriples().join(', ')}`);
}

/** The target description with the command-line switches that change it applied. */
export function withOptions(t: TargetDesc, opts: PipelineOptions): TargetDesc {
  let out = t;
  if (opts.msBitfields !== undefined && t.algorithm !== 'msvc') out = { ...out, algorithm: opts.msBitfields ? 'ms_struct' : 'gnu' };
  if (opts.shortEnums !== undefined && !t.enumsAlwaysInt) {
    out = { ...out, shortEnums: opts.shortEnums, macros: { ...out.macros, ...(out.macros.__ARM_SIZEOF_MINIMAL_ENUM ? { __ARM_SIZEOF_MINIMAL_ENUM: opts.shortEnums ? '1' : '4' } : {}) } };
  }
  return out;
}

/** The system header directories under `root` for a target (`usr/local/include`, `usr/include/<multiarch>`,
 * `usr/include`), existing or not. */
export function systemDirsUnder(t: TargetDesc, root: string): string[] {
  return [paths.join(root, 'usr/local/include'), ...(t.multiarch ? [paths.join(root, 'usr/include', t.multiarch)] : []), paths.join(root, 'usr/include')];
}

/** `lean`: return what `leanAnalysis` keeps, and let each stage's input go as soon as the next stage has read it (the
 * preprocessed text once parsed, the syntax once resolved): a big header's syntax and facts need not exist at once. */
export function analyzeHeader(header: string, opts: PipelineOptions, env: PipelineEnv, lean = false): HeaderAnalysis {
  const tt = targetOrError(opts.target);
  if ('severity' in tt) {
    return { header, target: findTarget(DEFAULT_TARGET)!, pp: null, program: null, resolved: null, facts: null, diagnostics: [tt] };
  }
  let target = withOptions(tt, opts);
  const flavourDiags: Diagnostic[] = [];
  if (opts.compiler === 'gcc') {
    const g = gccFlavour(target);
    if (typeof g === 'string') {
      return { header, target, pp: null, program: null, resolved: null, facts: null, diagnostics: [diag('error', null, 'gcc-flavour', g)] };
    }
    target = g;
    if (GCC_UNMEASURED.has(tt.triple)) {
      flavourDiags.push(diag('warning', null, 'gcc-unmeasured', `gcc's layout for ${tt.triple} was not measured: structgen applies the rules every measured GNU gcc follows (aligned(N) on bit-fields first)`));
    }
  }
  const ppOpts: PreprocessOptions = {
    target,
    includeDirs: opts.includeDirs ?? [],
    systemDirs: [...(opts.systemIncludeDirs ?? []), ...env.systemDirs(target, opts.sysroot)],
    defines: opts.defines ?? {},
    undefines: opts.undefines ?? [],
    host: opts.host ?? env.host,
    outputFilter: rewriteForParser,
    cache: opts.cache,
    constantProbes: opts.evaluateDefines === true,
  };
  if (opts.cpp && !env.externalPreprocess) {
    return { header, target, pp: null, program: null, resolved: null, facts: null, diagnostics: [diag('error', null, 'cpp-unavailable', 'an external preprocessor (--cpp) is not available here')] };
  }
  let pp: PreprocessResult | null = opts.cpp ? env.externalPreprocess!(header, opts.cpp, ppOpts) : preprocess(header, ppOpts);
  const diags: Diagnostic[] = [...flavourDiags, ...pp.diagnostics];
  const includedFiles = pp.includedFiles;
  const out = (a: HeaderAnalysis): HeaderAnalysis => (lean ? leanAnalysis({ ...a, includedFiles }) : a);
  if (hasErrors(diags)) return out({ header, target, pp, program: null, resolved: null, facts: null, diagnostics: diags });
  let parsed: ParseResult | null = parseHeader(pp);
  diags.push(...parsed.diagnostics);
  if (hasErrors(diags)) return out({ header, target, pp, program: parsed.program, resolved: null, facts: null, diagnostics: diags });
  const sources = pp.sources;
  const macros = opts.evaluateDefines ? pp.macros : [];
  const kept = lean ? null : { pp, program: parsed.program };
  pp = null;
  const resolver = new Resolver(parsed.program, target);
  const resolved = resolver.run();
  diags.push(...resolved.diagnostics);
  const constants: MacroConstant[] = [];
  if (opts.evaluateDefines) {
    const bodies = new Map(macros.map((m) => [m.name, m.body]));
    for (const c of parsed.program.constants) {
      const v = resolver.constantValue(c.expr);
      if (v !== null) constants.push({ name: c.name, value: v, body: bodies.get(c.name) ?? '', pos: c.pos, file: c.definedIn });
    }
  }
  // every declaration is resolved: the syntax is read no more
  parsed = null;
  resolver.releaseSyntax();
  // the layout stage fills the doc comments from the text the preprocessor read (an external one's: read here)
  const host = opts.host ?? env.host;
  const laid = layoutProgram({
    header, program: resolved.program, target, constants, sizer: resolver.sizer, comments: commentCacheFor(opts.cache),
    sources: (f) => sources?.get(f) ?? (opts.cpp ? host.readFile(f) : null),
  });
  diags.push(...laid.diagnostics);
  const facts = laid.facts;
  if (!kept) return out({ header, target, pp: null, program: null, resolved: null, facts, diagnostics: diags, constants });
  return { header, target, pp: kept.pp, program: kept.program, resolved: resolved.program, facts, diagnostics: diags, constants };
}

const commentCaches = new WeakMap<LexCache, CommentCache>();
/** One comment cache per lex cache (runs sharing a cache share scanned files); a fresh one without. */
function commentCacheFor(cache: LexCache | undefined): CommentCache {
  if (!cache) return new CommentCache();
  let c = commentCaches.get(cache);
  if (!c) commentCaches.set(cache, c = new CommentCache());
  return c;
}

/** Records a header defines, as CONTRACTS.md lists them: named, complete, defined in that header's own file. */
export function headerRecords(a: HeaderAnalysis): RecordReport[] {
  const f = a.facts;
  return f ? headerRecordFacts(f).map((r) => reportRecord(f, r)) : [];
}

