#!/usr/bin/env node
// The `structgen` command: a thin yargs layer over the library. It parses flags, reads config, calls the
// pipeline, prints diagnostics to stderr and results to stdout, and picks the exit code (0 ok, 1 errors, 2 usage).

import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../diagnostics.js';
import { layoutHeaders, VERSION, type PipelineOptions } from '../pipeline.js';
import { writeFilesAtomically } from './write-files.js';
import { DEFAULT_TARGET, findTarget, TARGETS } from '../target/index.js';
import { expandHeaders, loadConfig, type Config } from './config.js';
import { formatReport } from './format-layout.js';
import { buildProject, checkProject, relativeTo, type OutputHost, type ProjectOptions } from '../check/check.js';
import { formatLock, parseLock, type LockFile } from '../check/lock.js';
import { cAssertFiles, verifyHeaders } from '../verify/verify.js';

interface Common {
  target?: string;
  I?: string | string[];
  D?: string | string[];
  U?: string | string[];
  config?: string;
  isystem?: string | string[];
  sysroot?: string;
  cpp?: string;
  msBitfields?: boolean;
  shortEnums?: boolean;
  compiler?: 'clang' | 'gcc';
}

function common<T>(y: Argv<T>) {
  return y
    .option('target', { alias: 't', type: 'string', describe: `target triple (default ${DEFAULT_TARGET}); see 'structgen targets'` })
    .option('I', { type: 'string', describe: 'add an include directory (repeatable)', requiresArg: true })
    .option('D', { type: 'string', describe: 'define a macro: NAME or NAME=VALUE (repeatable)', requiresArg: true })
    .option('U', { type: 'string', describe: 'undefine a predefined macro (repeatable)', requiresArg: true })
    .option('config', { alias: 'c', type: 'string', describe: 'config file (default: ./structgen.config.json when present)' })
    .option('isystem', { type: 'string', describe: 'add a system include directory (repeatable)', requiresArg: true })
    .option('sysroot', { type: 'string', describe: "root of the target's system headers" })
    .option('ms-bitfields', { type: 'boolean', describe: 'ms_struct bit-field layout for every record (-mms-bitfields); --no-ms-bitfields (-mno-ms-bitfields) turns mingw\'s default off' })
    .option('short-enums', { type: 'boolean', describe: 'enums as small as their values allow (-fshort-enums)' })
    .option('compiler', { choices: ['clang', 'gcc'] as const, describe: "whose layout rules where gcc and clang differ (default clang)" })
    .option('cpp', { type: 'string', describe: 'use an external preprocessor command instead of the built-in one, e.g. "cpp -P"' });
}

function printDiags(ds: readonly Diagnostic[]) {
  for (const d of ds) process.stderr.write(formatDiagnostic(d) + '\n');
}

/** Errors that come from the command line (a switch the target cannot take), not from the headers: exit 2. */
const USAGE_CODES = new Set(['gcc-flavour', 'unknown-target']);
function errorExit(ds: readonly Diagnostic[]): number {
  return ds.some((d) => d.severity === 'error' && USAGE_CODES.has(d.code)) ? 2 : 1;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Compiler spellings of flags yargs would read as clusters of short options. */
const COMPILER_FLAGS: { [k: string]: string } = {
  '-mms-bitfields': '--ms-bitfields', '-mno-ms-bitfields': '--no-ms-bitfields',
  '-fshort-enums': '--short-enums', '-fno-short-enums': '--no-short-enums',
};

/** Compiler-style attached forms (`-Iinclude`, `-DNAME=1`, `-UNAME`) split into two arguments for yargs. */
export function splitAttached(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const a0 of args) {
    const a = COMPILER_FLAGS[a0] ?? a0;
    const m = /^-([IDU])(.+)$/.exec(a);
    if (m) out.push(`-${m[1]}`, m[2]!); else out.push(a);
  }
  return out;
}

function parseDefines(ds: string | string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of list(ds)) {
    const eq = d.indexOf('=');
    if (eq < 0) out[d] = '1'; else out[d.slice(0, eq)] = d.slice(eq + 1);
  }
  return out;
}

interface Resolved { headers: string[]; opts: PipelineOptions; config: Config | null }

function resolveInputs(argv: Common & { headers?: string[] }, needConfig = false): Resolved | null {
  const cfg = loadConfig(argv.config, process.cwd());
  if (Array.isArray(cfg)) { printDiags(cfg); process.exitCode = 2; return null; }
  if (needConfig && !cfg) {
    process.stderr.write('structgen: error: no structgen.config.json here (or name one with -c)\n');
    process.exitCode = 2;
    return null;
  }
  const headers = argv.headers?.length ? argv.headers : cfg ? expandHeaders(cfg) : [];
  if (!headers.length) {
    process.stderr.write('structgen: error: no headers given (name them, or list them in structgen.config.json)\n');
    process.exitCode = 2;
    return null;
  }
  const target = argv.target ?? cfg?.targets[0] ?? DEFAULT_TARGET;
  if (!findTarget(target)) {
    process.stderr.write(`structgen: error: unknown target '${target}'; known targets: ${TARGETS.map((t) => t.triple).join(', ')}\n`);
    process.exitCode = 2;
    return null;
  }
  const cfgIncludes = cfg ? cfg.include.map((d) => path.relative(process.cwd(), path.resolve(cfg.dir, d)) || '.') : [];
  return {
    headers,
    config: cfg,
    opts: {
      target,
      includeDirs: [...list(argv.I), ...cfgIncludes],
      defines: { ...(cfg?.defines ?? {}), ...parseDefines(argv.D) },
      undefines: list(argv.U),
      systemIncludeDirs: list(argv.isystem),
      msBitfields: argv.msBitfields,
      shortEnums: argv.shortEnums,
      ...(argv.compiler ?? cfg?.compiler ? { compiler: argv.compiler ?? cfg?.compiler } : {}),
      sysroot: argv.sysroot,
      cpp: argv.cpp,
    },
  };
}

export async function main(args: string[]): Promise<number> {
  process.exitCode = 0;
  await yargs(splitAttached(args))
    .scriptName('structgen')
    .version(VERSION)
    .strict()
    .recommendCommands()
    .command('layout [headers..]', 'print the layout of every struct and union in the headers',
      (y) => common(y).positional('headers', { type: 'string', array: true, describe: 'C headers' })
        .option('json', { type: 'boolean', default: false, describe: 'machine-readable JSON (CONTRACTS.md shape)' }),
      (argv) => {
        const r = resolveInputs(argv as Common & { headers?: string[] });
        if (!r) return;
        const run = layoutHeaders(r.headers, r.opts);
        printDiags(run.diagnostics);
        if (!run.report || hasErrors(run.diagnostics)) { process.exitCode = errorExit(run.diagnostics); return; }
        process.stdout.write(argv.json ? JSON.stringify(run.report, null, 2) + '\n' : formatReport(run.report));
      })
    .command('generate [headers..]', 'write TypeScript decoder modules for the headers',
      (y) => common(y).positional('headers', { type: 'string', array: true, describe: 'C headers' })
        .option('out', { alias: 'o', type: 'string', describe: 'output directory (default: outDir of the config, or generated)' })
        .option('endian', { type: 'string', describe: 'byte order of a field its type does not declare: RECORD.FIELD=big|little (repeatable)', requiresArg: true })
        .option('emit-c-asserts', { type: 'boolean', default: false, describe: 'also write <module>.asserts.c: static asserts of every layout, for the C side\'s build' }),
      (argv) => {
        const p = projectFromArgs(argv as Common & ProjectArgs);
        if (!p) return;
        const built = buildProject(p.project);
        printDiags(built.diagnostics);
        if (hasErrors(built.diagnostics)) { process.exitCode = errorExit(built.diagnostics); return; }
        let files = built.files;
        if (argv.emitCAsserts) {
          const asserts = cAssertFiles(p.project, p.outDir);
          printDiags(asserts.diagnostics);
          if (hasErrors(asserts.diagnostics)) { process.exitCode = 1; return; }
          files = [...files, ...asserts.files];
        }
        const w = writeFilesAtomically(p.outDir, files);
        process.stderr.write(`structgen: ${w.written.length} file${w.written.length === 1 ? '' : 's'} written, ${w.unchanged.length} unchanged in ${p.outDir}\n`);
      })
    .command('check', 'pre-commit gate: fail when generated files are stale or a layout differs from the lock file; never writes (but --update)',
      (y) => common(y)
        .option('update', { type: 'boolean', default: false, describe: 'rewrite the lock file with the current layouts' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output format' }),
      (argv) => {
        const p = projectFromArgs({ ...(argv as Common & ProjectArgs), headers: [] }, true);
        if (!p) return;
        const lockPath = p.config ? path.resolve(p.config.dir, p.config.lockFile) : 'structgen.lock.json';
        let lock: LockFile | null = null;
        if (existsSync(lockPath)) {
          const parsed = parseLock(readFileSync(lockPath, 'utf8'));
          if (typeof parsed === 'string') {
            process.stderr.write(`${lockPath}:1:1: error: ${parsed}\n`);
            process.exitCode = 2;
            return;
          }
          lock = parsed;
        }
        const r = checkProject(p.project, diskOutput(p.outDir), lock);
        printDiags(r.diagnostics);
        if (hasErrors(r.diagnostics)) { process.exitCode = errorExit(r.diagnostics); return; }
        if (argv.update) writeFilesAtomically(path.dirname(lockPath), [{ path: path.basename(lockPath), contents: formatLock(r.lock) }]);
        const changes = argv.update ? [] : r.changes;
        if (argv.format === 'json') {
          process.stdout.write(JSON.stringify({ ok: r.stale.length === 0 && changes.length === 0 && (argv.update || !r.lockMissing),
            stale: r.stale.map((f) => ({ ...f, path: path.join(p.outDir, f.path) })), lockFile: lockPath, lockMissing: r.lockMissing && !argv.update,
            changes: changes.map((c) => ({ ...c, pos: c.pos && { ...c.pos, file: displayFile(c.pos.file) } })) }, null, 2) + '\n');
        } else {
          for (const f of r.stale) {
            process.stderr.write(`${path.join(p.outDir, f.path)}: error: generated file is stale (${f.reason}); run 'structgen generate'\n`);
          }
          if (r.lockMissing && !argv.update) process.stderr.write(`structgen: error: no lock file ${lockPath}; run 'structgen check --update' to record the current layouts\n`);
          for (const c of changes) {
            const sev = c.severity === 'breaking' ? 'error' : c.severity === 'review' ? 'warning' : 'note';
            const where = c.pos ? `${displayFile(c.pos.file)}:${c.pos.line}:${c.pos.col}: ` : 'structgen: ';
            process.stderr.write(`${where}${sev}: ${c.message} [${c.severity}, ${c.target}]\n`);
          }
          if (argv.update) process.stderr.write(`structgen: lock file ${lockPath} updated\n`);
          else if (r.stale.length === 0 && changes.length === 0 && !r.lockMissing) process.stderr.write('structgen: generated files fresh, layouts match the lock file\n');
        }
        if (r.stale.length || changes.length || (r.lockMissing && !argv.update)) process.exitCode = 1;
      })
    .command('verify [headers..]', 'prove the layouts with a real C compiler for the target',
      (y) => common(y).positional('headers', { type: 'string', array: true, describe: 'C headers' })
        .option('cc', { type: 'string', describe: 'compiler command (default: cc for the host\'s target, clang for others)' }),
      (argv) => {
        const r = resolveInputs(argv as Common & { headers?: string[] });
        if (!r) return;
        const res = verifyHeaders(r.headers, r.opts, { cc: argv.cc as string | undefined });
        printDiags(res.diagnostics);
        if (res.noCompiler) { process.exitCode = 2; return; }
        if (hasErrors(res.diagnostics)) { process.exitCode = errorExit(res.diagnostics); return; }
        process.stderr.write(`structgen: ${res.records} record${res.records === 1 ? '' : 's'}, ${res.checks} checks: the compiler (${res.compiler}) agrees\n`);
      })
    .command('targets', 'list the known target triples and their aliases', (y) => y, () => {
      for (const t of TARGETS) {
        process.stdout.write(`${t.triple}${t.aliases.length ? `  (also: ${t.aliases.join(', ')})` : ''}\n`);
      }
    })
    .demandCommand(1, 'name a command: generate, layout, check, verify, targets')
    .fail((msg, err, y) => {
      if (err) throw err;
      process.stderr.write(`${y.help() && ''}structgen: error: ${msg}\nRun 'structgen --help' for usage.\n`);
      process.exitCode = 2;
    })
    .help()
    .parseAsync();
  return Number(process.exitCode ?? 0);
}

interface ProjectArgs { headers?: string[]; out?: string; endian?: string | string[] }

/** Headers, targets and options for generate/check: the command line over the config file. Paths written into
 * generated files are relative to the config's folder (or as given without a config). */
function projectFromArgs(argv: Common & ProjectArgs, needConfig = false): { project: ProjectOptions; outDir: string; config: Config | null } | null {
  const r = resolveInputs(argv, needConfig);
  if (!r) return null;
  const endian: { [k: string]: 'big' | 'little' } = {};
  for (const e of [...list(argv.endian), ...Object.entries(r.config?.endian ?? {}).map(([k, v]) => `${k}=${v}`)]) {
    const m = /^([A-Za-z_$][\w$]*\.[A-Za-z_$][\w$.]*)=(big|little)$/.exec(e);
    if (!m) { process.stderr.write(`structgen: error: --endian expects RECORD.FIELD=big|little, got '${e}'\n`); process.exitCode = 2; return null; }
    endian[m[1]!] = m[2] as 'big' | 'little';
  }
  const fromArgs = !!argv.headers?.length;
  const targets = argv.target || fromArgs || !r.config ? [r.opts.target!] : r.config.targets;
  for (const t of targets) {
    if (!findTarget(t)) {
      process.stderr.write(`structgen: error: unknown target '${t}'; known targets: ${TARGETS.map((x) => x.triple).join(', ')}\n`);
      process.exitCode = 2;
      return null;
    }
  }
  const outDir = argv.out ?? (r.config ? path.resolve(r.config.dir, r.config.outDir) : 'generated');
  const display = r.config && !fromArgs ? relativeTo(r.config.dir) : undefined;
  const overrides = { ...(r.config && Object.keys(r.config.fields).length ? { fields: r.config.fields } : {}), ...(r.config && Object.keys(r.config.unions).length ? { unions: r.config.unions } : {}) };
  return { project: { ...r.opts, headers: r.headers, targets, endian, ...overrides, ...(display ? { displayPath: display } : {}) }, outDir, config: r.config };
}

function displayFile(f: string): string {
  return path.isAbsolute(f) ? path.relative(process.cwd(), f) || f : f;
}

/** The output directory as check reads it. */
function diskOutput(dir: string): OutputHost {
  const walk = (d: string, rel: string): string[] => {
    let names: string[];
    try { names = readdirSync(d); } catch { return []; }
    return names.flatMap((n) => {
      const full = path.join(d, n);
      return statSync(full).isDirectory() ? walk(full, `${rel}${n}/`) : [`${rel}${n}`];
    });
  };
  return {
    readFile: (rel) => { try { return readFileSync(path.join(dir, rel), 'utf8'); } catch { return null; } },
    listFiles: () => walk(dir, ''),
  };
}

function isMainModule(): boolean {
  // npx and npm link run the command through a symlink in node_modules/.bin
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}
const isMain = isMainModule();
if (isMain) {
  main(hideBin(process.argv)).then((code) => { process.exitCode = code; }, (e: unknown) => {
    process.stderr.write(`structgen: internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  });
}
