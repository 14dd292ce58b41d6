// The commands' work, imported only once a command line has passed its checks (the pipeline and tree-sitter
// load here, not for `--help` or `--version`). Every input is checked before any work: the config, targets,
// folders named by options, and that every header can be read.

import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { ConfigError, CONFIG_NAMES, defaultConfig, loadConfig, type LoadedConfig } from '../config/config.js';
import { nearestWord } from '../config/suggest.js';
import { checkConfigProject, filesOf, openProject, projectFromConfig, writeOutputs, type ConfigProject } from '../config/run.js';
import { nodeFileHost, notADirectory, unreadable } from '../node/fs-host.js';
import { shown, WriteError } from '../node/write-files.js';
import { hostTriple } from '../node/env.js';
import { verifyAnalyses } from '../node/verify.js';
import { findTarget, TARGETS } from '../target/index.js';
import { UsageError } from './args.js';
import { formatCheckReport } from './check-report.js';
import { colorFor, runDecode, runDump, type Io } from './decode-cmd.js';
import { runLayoutView, type ViewFormat } from './layout-views.js';
import { recordPatterns } from './record-select.js';
import type { Output } from './output.js';

/** Inputs that cannot be read (a header): printed as diagnostics, exit 1. */
export class InputError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('; '));
  }
}

export interface Args {
  readonly headers?: readonly string[];
  readonly target?: string;
  readonly I?: string | string[];
  readonly D?: string | string[];
  readonly U?: string | string[];
  readonly isystem?: string | string[];
  readonly sysroot?: string;
  readonly cpp?: string;
  readonly compiler?: 'clang' | 'gcc';
  readonly msBitfields?: boolean;
  readonly shortEnums?: boolean;
  readonly config?: string;
  readonly out?: string;
  readonly endian?: string | string[];
  readonly records?: string | string[];
  readonly constants?: string | string[];
  readonly emit?: 'ts' | 'js+dts';
  readonly emitCAsserts?: boolean;
  readonly tsNocheck?: boolean;
  readonly clean?: boolean;
  readonly dts?: boolean;
  readonly watch?: boolean;
  readonly json?: boolean;
  readonly update?: boolean;
  readonly format?: 'text' | 'json' | 'svg' | 'html' | 'rfc' | 'ndjson' | 'table';
  readonly packable?: boolean;
  readonly cc?: string;
  /** decode and dump: headers, then the file (the last). */
  readonly inputs?: readonly string[];
  readonly record?: string | string[];
  readonly offset?: string;
  readonly count?: string;
  readonly all?: boolean;
  readonly strict?: boolean;
}

const list = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);
const rel = (p: string) => path.relative(process.cwd(), p) || '.';

/** Errors that come from the command line (a switch the target cannot take), not from the headers: exit 2. */
const USAGE_CODES = new Set(['gcc-flavour', 'unknown-target']);
const exitFor = (ds: readonly Diagnostic[]) => (ds.some((d) => d.severity === 'error' && USAGE_CODES.has(d.code)) ? 2 : 1);

export interface Inputs {
  readonly config: LoadedConfig;
  readonly p: ConfigProject;
  /** Erases the progress line. */
  readonly done: () => void;
}

/** Unknown target: a usage error naming a near spelling, or the known ones. */
export function checkTarget(t: string, from: string): void {
  if (findTarget(t)) return;
  const near = nearestWord(t, TARGETS.flatMap((x) => [x.triple, ...x.aliases]));
  throw new UsageError(`unknown target '${t}'${from}${near ? `; did you mean '${near}'?` : `; known targets: ${TARGETS.map((x) => x.triple).join(', ')}`}`);
}

/** The config (found, named or none), the command line over it, every input checked; then the project. */
export async function inputs(command: string, a: Args, out: Output, needHeaders: boolean): Promise<Inputs> {
  const found = await loadConfig(a.config !== undefined ? { configFile: a.config } : {});
  if (!found && command === 'check') {
    throw new UsageError(`no config file (${CONFIG_NAMES.join(', ')}) here or in a parent folder; create one, or name one with -c`);
  }
  const base = found ?? defaultConfig(process.cwd());
  const abs = (p: string) => path.resolve(p);
  const defines: { [k: string]: string } = { ...base.defines };
  for (const d of list(a.D)) {
    const eq = d.indexOf('=');
    const name = eq < 0 ? d : d.slice(0, eq);
    if (!/^[A-Za-z_]\w*$/.test(name)) throw new UsageError(`-D ${d}: '${name}' is not a macro name`);
    defines[name] = eq < 0 ? '1' : d.slice(eq + 1);
  }
  const endian: { [k: string]: 'big' | 'little' } = { ...base.endian };
  for (const e of list(a.endian)) {
    const m = /^([A-Za-z_$][\w$]*\.[A-Za-z_$][\w$.]*)=(big|little)$/.exec(e);
    if (!m) throw new UsageError(`--endian expects RECORD.FIELD=big|little, got '${e}'`);
    endian[m[1]!] = m[2] as 'big' | 'little';
  }
  const fromArgs = (a.headers?.length ?? 0) > 0;
  const config: LoadedConfig = {
    ...base,
    headers: fromArgs ? a.headers!.map(abs) : base.headers,
    outDir: a.out !== undefined ? abs(a.out) : base.outDir,
    include: [...list(a.I).map(abs), ...base.include],
    isystem: [...list(a.isystem).map(abs), ...base.isystem],
    sysroot: a.sysroot !== undefined ? abs(a.sysroot) : base.sysroot,
    defines,
    undefines: [...base.undefines, ...list(a.U)],
    targets: a.target !== undefined ? [a.target] : base.targets,
    compiler: a.compiler ?? base.compiler,
    msBitfields: a.msBitfields ?? base.msBitfields,
    shortEnums: a.shortEnums ?? base.shortEnums,
    cpp: a.cpp ?? base.cpp,
    endian,
    records: a.records !== undefined ? list(a.records) : base.records,
    constants: a.constants !== undefined ? list(a.constants) : base.constants,
    emit: a.emit ?? base.emit,
    emitCAsserts: a.emitCAsserts ?? base.emitCAsserts,
    tsNocheck: a.tsNocheck ?? base.tsNocheck,
    clean: a.clean ?? base.clean,
    dts: a.dts ?? base.dts,
    cc: a.cc ?? base.cc,
  };
  const cfgName = found?.file ? rel(found.file) : null;
  for (const t of config.targets) checkTarget(t, a.target === undefined && cfgName ? ` in ${cfgName}` : '');
  // folders named by options or the config must exist
  const inConfig = (key: string) => `'${key}' in ${cfgName}`;
  const folders: Array<{ what: string; shown: string; full: string; from: string }> = [
    ...list(a.I).map((d) => ({ what: 'include folder', shown: d, full: d, from: '-I' })),
    ...base.include.map((d) => ({ what: 'include folder', shown: d, full: path.resolve(base.dir, d), from: inConfig('include') })),
    ...list(a.isystem).map((d) => ({ what: 'system include folder', shown: d, full: d, from: '--isystem' })),
    ...base.isystem.map((d) => ({ what: 'system include folder', shown: d, full: path.resolve(base.dir, d), from: inConfig('isystem') })),
    ...(a.sysroot !== undefined ? [{ what: 'sysroot', shown: a.sysroot, full: a.sysroot, from: '--sysroot' }]
      : base.sysroot !== undefined ? [{ what: 'sysroot', shown: base.sysroot, full: path.resolve(base.dir, base.sysroot), from: inConfig('sysroot') }] : []),
  ];
  for (const f of folders) {
    const why = notADirectory(f.full);
    if (why) throw new UsageError(`${f.what} '${f.shown}' (${f.from}): ${why}`);
  }
  let p = projectFromConfig(config);
  if (fromArgs) {
    // headers named on the command line keep their spelling, in diagnostics and generated files
    const { displayPath: _d, ...rest } = p.project;
    p = { ...p, project: { ...rest, headers: [...a.headers!] }, diagnostics: [] };
  }
  if (needHeaders && !p.project.headers.length) {
    throw new UsageError(found ? `no headers: the patterns of 'headers' in ${cfgName} match no file` : 'no headers given (name them, or list them in a config file)');
  }
  const unreadableHeaders = p.project.headers.map((h) => [h, unreadable(h)] as const).filter(([, why]) => why !== null);
  if (unreadableHeaders.length) {
    throw new InputError(unreadableHeaders.map(([h, why]) => ({ severity: 'error', pos: null, code: 'cannot-read', message: `cannot read '${h}': ${why}` })));
  }
  await bigInputParser(p.project.headers);
  // the host reads headers; its reads of the named headers drive the progress line
  const total = p.project.headers.length * (p.project.targets?.length ?? 1);
  const prog = out.progress(total, command === 'layout' || command === 'verify' ? 'reading' : 'processing');
  const named = new Set(p.project.headers.map((h) => path.resolve(h)));
  const host = {
    ...nodeFileHost,
    readFile: (f: string) => {
      if (named.has(path.resolve(f))) prog.step(path.basename(f));
      return nodeFileHost.readFile(f);
    },
  };
  return { config, p: { ...p, project: { ...p.project, host } }, done: prog.done };
}

/** Named headers of more bytes than this together are parsed with the wasm parser (see `bigInputParser`). */
const BIG_INPUT = 4 << 20;

/** For big inputs, web-tree-sitter instead of the native binding: the native binding frees a tree only when the
 * event loop runs its finalizers, which a run (synchronous) never lets it do, so every tree of a big header stayed
 * in memory to the end (about 100 bytes a node: 300 MB of 100,000 records), while wasm trees are freed as soon as
 * they are walked (parse/parse.ts parses a big header a piece at a time). Loading the wasm parser costs a few
 * hundred milliseconds, nothing beside a big input's time, and too much for a small one. */
async function bigInputParser(headers: readonly string[]): Promise<void> {
  let bytes = 0;
  for (const h of headers) {
    try { bytes += statSync(h).size; } catch { /* reported where it is read */ }
  }
  if (bytes > BIG_INPUT) await (await import('../node/wasm-node.js')).initNodeWasmParser();
}

/** Whether the include a diagnostic points at is spelled `<...>` (a system header), read from the source line. */
function angleInclude(d: Diagnostic): boolean {
  if (!d.pos) return false;
  try {
    return readFileSync(d.pos.file, 'utf8').split('\n')[d.pos.line - 1]?.[d.pos.col - 1] === '<';
  } catch {
    return false;
  }
}

/** Diagnostics of a run, with a hint where the host's headers were not used for a foreign target. */
function report(out: Output, ds: readonly Diagnostic[], { config, done }: Inputs, triple: string): void {
  done();
  const host = hostTriple();
  const t = findTarget(triple)?.triple ?? triple;
  const hint = (d: Diagnostic): Diagnostic => {
    if (d.code !== 'pp-include-not-found' || t === host || config.sysroot !== undefined || !angleInclude(d)) return d;
    return {
      ...d,
      notes: [...(d.notes ?? []), {
        severity: 'note', pos: null, code: 'foreign-target-headers',
        message: `the host's system headers are not used for ${t}; give the target's own with --sysroot DIR (or -I / --isystem DIR)`,
      }],
    };
  };
  out.diagnostics(ds.map(hint));
}

/** stdout for the commands of decode-cmd.ts and layout-views.ts; their diagnostics through `report`. */
function io(out: Output, inp: Inputs, target: string): Io {
  let full: Promise<void> | null = null;
  return {
    // a promise while stdout's buffer is full (decode and dump wait on it: a slow reader holds them back)
    out: (s) => (process.stdout.write(s) ? undefined : full ??= new Promise<void>((r) => { process.stdout.once('drain', () => { full = null; r(); }); })),
    err: (s) => out.err(s.replace(/\n$/, '')),
    color: colorFor(process.stdout),
    diagnostics: (ds) => report(out, ds, inp, target),
  };
}

export async function layout(a: Args, out: Output): Promise<number> {
  const format = a.json ? 'json' : a.format ?? 'text';
  if (a.json && a.format !== undefined && a.format !== 'json') throw new UsageError(`--json and --format ${a.format} cannot be combined`);
  if (a.packable && format !== 'text') throw new UsageError('--packable prints C declarations; it takes no --format or --json');
  const inp = await inputs('layout', a, out, true);
  const { config, p } = inp;
  const target = config.targets[0]!;
  if (config.targets.length > 1) out.say('note', `the layouts of ${target}, the first of the config's ${config.targets.length} targets; name another with -t`);
  // the layouts need no #define constants: the headers are analysed without their probes
  const project = openProject({ ...p, project: { ...p.project, targets: [target], evaluateDefines: false } });
  if (format !== 'json' || a.record !== undefined) {
    const code = runLayoutView(project, target, format as ViewFormat | 'json', a.packable === true, io(out, inp, target), recordPatterns(a.record));
    inp.done();
    return code;
  }
  const json = project.output('layoutReport', target);
  report(out, project.diagnostics, inp, target);
  if (!json || hasErrors(project.diagnostics)) return exitFor(project.diagnostics);
  process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  return 0;
}

/** decode and dump: the last argument is the file (or - for stdin), the others the headers (or the config's). */
async function readInputs(command: string, a: Args, out: Output) {
  const all = a.inputs ?? [];
  if (!all.length) throw new UsageError('name the file to read (or - for stdin) after the headers');
  if (a.record === undefined) throw new UsageError(`'${command}' needs --record NAME`);
  const inp = await inputs(command, { ...a, headers: all.slice(0, -1) }, out, true);
  const target = inp.config.targets[0]!;
  return {
    inp, target,
    args: {
      headers: inp.p.project.headers, opts: { ...inp.p.project, target },
      endian: Object.entries(inp.config.endian).map(([k, v]) => `${k}=${v}`),
      fields: inp.config.fields, unions: inp.config.unions,
      record: a.record, file: all[all.length - 1]!, offset: a.offset, count: a.count,
    },
  };
}

export async function decode(a: Args, out: Output): Promise<number> {
  const { inp, target, args } = await readInputs('decode', a, out);
  const format = a.format === 'ndjson' || a.format === 'table' ? a.format : 'json';
  const code = await runDecode({ ...args, all: a.all === true, strict: a.strict === true, format }, io(out, inp, target));
  inp.done();
  return code;
}

export async function dump(a: Args, out: Output): Promise<number> {
  const { inp, target, args } = await readInputs('dump', a, out);
  const code = await runDump(args, io(out, inp, target));
  inp.done();
  return code;
}

export async function generate(a: Args, out: Output): Promise<number> {
  if (a.watch) return (await import('./watch.js')).watchGenerate(out, () => inputs('generate', a, out, true));
  const inp = await inputs('generate', a, out, true);
  const { config, p } = inp;
  const { files, diagnostics } = filesOf(p);
  report(out, diagnostics, inp, config.targets[0]!);
  if (hasErrors(diagnostics)) return exitFor(diagnostics);
  let w;
  try {
    w = writeOutputs(p.outDir, files, config.clean);
  } catch (e) {
    if (!(e instanceof WriteError)) throw e;
    out.say('error', `${e.what} '${shown(e.file)}': ${e.reason}; nothing was written`);
    return 1;
  }
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  let dts = '';
  if (config.dts) {
    const d = (await import('./watch.js')).writeDeclarations(p.project.headers, config, p.project.cache);
    out.diagnostics(d.diagnostics);
    if (hasErrors(d.diagnostics)) return exitFor(d.diagnostics);
    dts = `; ${n(d.written.length, 'declaration file')} written beside the headers`;
  }
  out.err(`structgen: ${n(w.written.length, 'file')} written, ${w.unchanged.length} unchanged${w.removed.length ? `, ${w.removed.length} removed` : ''} in ${rel(p.outDir)}${dts}`);
  return 0;
}

export async function check(a: Args, out: Output): Promise<number> {
  const inp = await inputs('check', a, out, false);
  const { config, p } = inp;
  const r = checkConfigProject(p, { update: a.update === true });
  report(out, r.diagnostics, inp, config.targets[0]!);
  if (hasErrors(r.diagnostics)) return exitFor(r.diagnostics);
  const relOut = (f: string) => rel(path.join(r.outDir, f));
  if (a.format === 'json') {
    process.stdout.write(`${JSON.stringify({
      ok: r.ok,
      stale: r.stale.map((f) => ({ ...f, path: relOut(f.path) })),
      lockFile: rel(r.lockFile),
      lockMissing: r.lockMissing,
      changes: r.changes.map((c) => ({ ...c, pos: c.pos && { ...c.pos, file: rel(path.resolve(c.pos.file)) } })),
    }, null, 2)}\n`);
  } else {
    for (const line of formatCheckReport(r, { c: out.c, update: a.update === true })) out.err(line);
  }
  return r.ok ? 0 : 1;
}

export async function verify(a: Args, out: Output): Promise<number> {
  const inp = await inputs('verify', a, out, true);
  const { config, p } = inp;
  // every configured target, each against its own compiler
  const project = openProject({ ...p, project: { ...p.project, evaluateDefines: false } });
  let code = 0;
  for (const target of config.targets) {
    const res = verifyAnalyses(project.analyses(target), { ...p.project, target }, { cc: config.cc });
    report(out, res.diagnostics, inp, target);
    if (res.noCompiler) return 2;
    if (hasErrors(res.diagnostics)) { code = Math.max(code, exitFor(res.diagnostics)); continue; }
    out.err(`structgen: ${res.records} record${res.records === 1 ? '' : 's'}, ${res.checks} checks: the compiler (${res.compiler}) agrees${config.targets.length > 1 ? ` [${target}]` : ''}`);
  }
  return code;
}

export function targets(): number {
  for (const t of TARGETS) process.stdout.write(`${t.triple}${t.aliases.length ? `  (also: ${t.aliases.join(', ')})` : ''}\n`);
  return 0;
}

export { ConfigError, WriteError };
