// `structgen diff OLD [NEW] [HEADER...]`: what two versions of some headers are (two files, two folders, or git
// revisions of the repository the command runs in, NEW defaulting to the working tree), each analysed on every
// target, compared by generator/diff/, and reported as text, JSON, Markdown or HTML on stdout. Exit 1 when a change
// at or above --fail-on was found (or the headers had errors), 0 otherwise, 2 on usage errors.

import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { createColors } from 'picocolors';
import { VERSION } from '../core/version.js';
import type { FileHost } from '../core/host.js';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { diffLayouts, failsAt, type TargetSides } from '../diff/diff.js';
import { formatJson, formatMarkdown, formatText, type FormatOptions } from '../diff/format.js';
import { renderDiffHtml } from '../diff/html.js';
import type { ProgramFacts } from '../layout/facts.js';
import { nodeFileHost } from '../node/fs-host.js';
import { nodeEnv } from '../node/env.js';
import type { PipelineOptions } from '../pipeline.js';
import { Project } from '../project/project.js';
import { LexCache } from '../preprocess/preprocess.js';
import { findTarget, TARGETS } from '../target/index.js';
import { UsageError } from './args.js';
import { checkTarget, inputs, InputError, type Args } from './commands.js';
import { colorFor } from './decode-cmd.js';
import { gitRepo, resolveRevision, revisionHost, type GitRepo, type RevisionHost } from './git-host.js';
import type { Output } from './output.js';

export interface DiffArgs extends Omit<Args, 'format'> {
  readonly versions?: readonly string[];
  readonly format?: 'text' | 'json' | 'markdown' | 'html';
  readonly targets?: 'all';
  readonly failOn?: 'breaking' | 'compatible' | 'none';
}

/** One version of the headers: where it is read from, and the headers to analyse there. */
interface Side {
  /** How reports name it: `v1.2`, `the working tree`, `old/`. */
  readonly label: string;
  /** For positions on this side, in text reports: `v1.2:` for a revision, '' otherwise. */
  readonly prefix: string;
  readonly host: FileHost;
  readonly headers: readonly string[];
  readonly includeDirs: readonly string[];
  readonly systemIncludeDirs: readonly string[];
}

const list = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);
const WORKING_TREE = 'the working tree';

/**
 * The facts of one side on every target, from the project layer (one analysis per header and target, every file lexed
 * once for all targets), read through the side's host.
 */
function analyzeSide(side: Side, triples: readonly string[], base: PipelineOptions, step: (name: string) => void): { facts: Map<string, ProgramFacts[]>; diagnostics: Diagnostic[] } {
  const project = new Project({
    ...base, headers: side.headers, targets: triples, host: side.host, cache: new LexCache(), evaluateDefines: true,
    includeDirs: side.includeDirs, systemIncludeDirs: side.systemIncludeDirs,
  }, nodeEnv);
  const facts = new Map<string, ProgramFacts[]>();
  for (const t of triples) {
    const analyses = project.analyses(t);
    for (const h of side.headers) step(path.basename(h));
    facts.set(t, analyses.flatMap((a) => (a.facts ? [a.facts] : [])));
  }
  return { facts, diagnostics: project.diagnostics.map((d) => onSide(d, side.prefix)) };
}

/** A diagnostic of a revision's file names the revision (`v1.2:include/a.h:3:5`). */
function onSide(d: Diagnostic, prefix: string): Diagnostic {
  if (!prefix) return d;
  return { ...d, pos: d.pos && { ...d.pos, file: `${prefix}${d.pos.file}` }, ...(d.notes ? { notes: d.notes.map((n) => onSide(n, prefix)) } : {}) };
}

/** `include/*.h`, `src/**\/*.h`, `{a,b}.h`, `[ab].h` as a regular expression over '/'-separated paths. */
export function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/';
        re += slash ? '(?:[^/]*/)*' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) { re += '\\['; continue; }
      const body = pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
      re += `[${body}]`;
      i = end;
    } else if (ch === '{') {
      const end = pattern.indexOf('}', i + 1);
      if (end < 0) { re += '\\{'; continue; }
      re += `(?:${pattern.slice(i + 1, end).split(',').map((alt) => globRegExp(alt).source.slice(1, -1)).join('|')})`;
      i = end;
    } else re += ch.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Every header file under a folder, relative to it ('/'-separated), sorted; dependency and VCS folders skipped. */
function headersUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    let names: string[];
    try { names = readdirSync(d).sort(); } catch { return; }
    for (const n of names) {
      if (n === 'node_modules' || n.startsWith('.')) continue;
      const full = path.join(d, n);
      let st;
      try { st = statSync(full); } catch { continue; }
      if (st.isDirectory()) walk(full, `${rel}${n}/`);
      else if (/\.(h|hh|hpp|hxx)$/i.test(n)) out.push(`${rel}${n}`);
    }
  };
  walk(dir, '');
  return out;
}

type Kind = { kind: 'file' | 'dir'; path: string } | { kind: 'rev'; name: string; commit: string };

export async function diff(a: DiffArgs, out: Output): Promise<number> {
  const args = list(a.versions);
  if (!args.length) throw new UsageError('name what to compare: OLD [NEW] [HEADER...], where OLD and NEW are files, folders or git revisions');
  const ts = list(a.target);
  if (ts.length && a.targets === 'all') throw new UsageError("-t and --targets all cannot be combined");
  for (const t of ts) checkTarget(t, '');
  const inp = await inputs('diff', { ...a, format: undefined, headers: [], target: undefined }, out, false);
  const { config, p } = inp;
  const triples = [...new Set((a.targets === 'all' ? TARGETS.map((t) => t.triple) : ts.length ? ts : config.targets).map((t) => findTarget(t)?.triple ?? t))];

  let repo: GitRepo | null | undefined;
  const git = () => (repo === undefined ? (repo = gitRepo(process.cwd())) : repo);
  const exists = (s: string): 'file' | 'dir' | null => {
    try { const st = statSync(s); return st.isDirectory() ? 'dir' : 'file'; } catch { return null; }
  };
  const classify = (s: string): Kind | null => {
    const onDisk = exists(s);
    const r = git();
    const commit = r ? resolveRevision(r, s) : null;
    if (onDisk && commit) throw new UsageError(`'${s}' is both a ${onDisk === 'dir' ? 'folder' : 'file'} and a git revision; write './${s}' for the ${onDisk === 'dir' ? 'folder' : 'file'} or '${s}^{commit}' for the revision`);
    if (onDisk) return { kind: onDisk, path: s };
    if (commit) return { kind: 'rev', name: s, commit };
    return null;
  };
  const neither = (s: string) => new UsageError(`'${s}' is neither a file, a folder nor a git revision${git() ? '' : ' (and this is not inside a git repository)'}`);

  const first = classify(args[0]!);
  if (!first) throw neither(args[0]!);
  const common = { includeDirs: p.project.includeDirs ?? [], systemIncludeDirs: p.project.systemIncludeDirs ?? [] };
  let oldSide: Side;
  let newSide: Side;
  if (first.kind === 'file' || first.kind === 'dir') {
    const second = args[1] === undefined ? null : classify(args[1]);
    if (!second || second.kind !== first.kind) {
      throw new UsageError(`'${args[0]}' is a ${first.kind === 'dir' ? 'folder' : 'file'}: name the ${first.kind === 'dir' ? 'folder' : 'file'} to compare it with after it`);
    }
    if (first.kind === 'file') {
      if (args.length > 2) throw new UsageError(`comparing two files takes no further headers (got '${args[2]}')`);
      oldSide = { label: first.path, prefix: '', host: nodeFileHost, headers: [first.path], ...common };
      newSide = { label: (second as { path: string }).path, prefix: '', host: nodeFileHost, headers: [(second as { path: string }).path], ...common };
    } else {
      // each folder stands for the project's top: headers and relative include folders are found inside it
      const named = args.slice(2);
      const dirs = [first.path, (second as { path: string }).path];
      const rels = named.length ? named : [...new Set(dirs.flatMap(headersUnder))].sort();
      const within = (dir: string, ds: readonly string[]) => ds.map((d) => (path.isAbsolute(d) || d.startsWith('..') ? d : path.join(dir, d)));
      const side = (dir: string): Side => ({
        label: dir, prefix: '', host: nodeFileHost,
        headers: rels.map((h) => path.join(dir, h)).filter((h) => exists(h) === 'file'),
        includeDirs: within(dir, common.includeDirs), systemIncludeDirs: within(dir, common.systemIncludeDirs),
      });
      oldSide = side(dirs[0]!);
      newSide = side(dirs[1]!);
      const missing = rels.filter((h) => !oldSide.headers.includes(path.join(dirs[0]!, h)) && !newSide.headers.includes(path.join(dirs[1]!, h)));
      if (missing.length) throw new InputError(missing.map((h) => ({ severity: 'error', pos: null, code: 'cannot-read', message: `cannot read '${h}' in '${dirs[0]}' nor in '${dirs[1]}'` })));
    }
  } else {
    const r = git()!;
    let rest = args.slice(1);
    let second: Kind | null = null;
    if (rest.length) {
      second = classify(rest[0]!);
      if (!second) throw neither(rest[0]!);
      if (second.kind === 'rev') rest = rest.slice(1);
      else second = null;
    }
    const named = rest;
    const revSide = (k: { name: string; commit: string }): Side & { rh: RevisionHost } => {
      const rh = revisionHost(r, k.commit, k.name);
      return { label: k.name, prefix: `${k.name}:`, host: rh, rh, headers: [], ...common };
    };
    // headers: those named, else the config's (its patterns matched against each revision's files)
    const configHeaders = (rh: RevisionHost): string[] => {
      const res = config.headers.map((h) => globRegExp(path.relative(r.root, path.resolve(config.dir, h)).split(path.sep).join('/')));
      return rh.files.filter((f) => res.some((re) => re.test(f))).sort().map((f) => path.relative(process.cwd(), path.join(r.root, f)) || f);
    };
    const pick = (s: Side, all: () => string[]): Side => {
      const headers = named.length ? named.filter((h) => s.host.readFile(h) !== null) : all();
      return { ...s, headers };
    };
    const o = revSide(first as { name: string; commit: string });
    const oldWithHeaders = pick(o, () => configHeaders(o.rh));
    if (second?.kind === 'rev') {
      const n = revSide(second);
      newSide = pick(n, () => configHeaders(n.rh));
    } else {
      newSide = pick({ label: WORKING_TREE, prefix: '', host: nodeFileHost, headers: [], ...common }, () => [...p.project.headers]);
    }
    oldSide = oldWithHeaders;
    o.rh.prefetch(oldSide.headers);
    const missing = named.filter((h) => !oldSide.headers.includes(h) && !newSide.headers.includes(h));
    if (missing.length) {
      throw new InputError(missing.map((h) => ({ severity: 'error', pos: null, code: 'cannot-read', message: `cannot read '${h}' at ${oldSide.label} nor in ${newSide.label === WORKING_TREE ? WORKING_TREE : `at ${newSide.label}`}` })));
    }
  }
  if (!oldSide.headers.length && !newSide.headers.length) {
    throw new UsageError(config.file ? `no headers to compare: the patterns of 'headers' in ${path.relative(process.cwd(), config.file)} match no file in either version` : 'no headers to compare: name them after the versions, or list them in a config file');
  }

  const base: PipelineOptions = {
    defines: p.project.defines, undefines: p.project.undefines, sysroot: p.project.sysroot, compiler: p.project.compiler,
    msBitfields: p.project.msBitfields, shortEnums: p.project.shortEnums, cpp: p.project.cpp,
  };
  const prog = out.progress((oldSide.headers.length + newSide.headers.length) * triples.length, 'analysing');
  const before = analyzeSide(oldSide, triples, base, prog.step);
  const after = analyzeSide(newSide, triples, base, prog.step);
  prog.done();
  const diagnostics = [...before.diagnostics, ...after.diagnostics];
  out.diagnostics(dedupe(diagnostics));
  if (hasErrors(diagnostics)) return 1;

  const report = diffLayouts(triples.map((t): TargetSides => ({ triple: t, old: before.facts.get(t)!, new: after.facts.get(t)! })));
  const fmt: FormatOptions = {
    oldLabel: oldSide.label, newLabel: newSide.label, version: VERSION,
    place: (w) => `${w.side === 'old' ? oldSide.prefix : newSide.prefix}${w.pos.file}:${w.pos.line}:${w.pos.col}`,
  };
  switch (a.format ?? 'text') {
    case 'json': process.stdout.write(formatJson(report, fmt)); break;
    case 'markdown': process.stdout.write(formatMarkdown(report, { ...fmt, place: (w) => `${w.side === 'old' ? oldSide.prefix : newSide.prefix}${w.pos.file}:${w.pos.line}` })); break;
    case 'html': process.stdout.write(renderDiffHtml(report, fmt)); break;
    default: process.stdout.write(formatText(report, { ...fmt, color: colorFor(process.stdout) ? createColors(true) : null }));
  }
  return failsAt(report.changes, a.failOn ?? 'breaking') ? 1 : 0;
}

/** The same diagnostic from several targets once. */
function dedupe(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = JSON.stringify([d.severity, d.pos, d.message]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
