// No record lost: every record clang-16 lays out in a translation unit (`-fdump-record-layouts-complete`: every
// complete struct and union, system headers' included) must be among structgen's layout facts, or structgen must
// have said why (an error). Records are matched by tag, by typedef name, or by position for untagged ones (clang
// names an untagged record by where it is written). Two kinds are not the header's: records of the compiler's own
// headers (the helper structs of clang's intrinsics; structgen has its own headers there), and records defined in a
// function body (local to it: no user of the header can name one, and structgen does not read function bodies).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Parser from 'tree-sitter';
import C from 'tree-sitter-c';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { analyzeHeader, type PipelineOptions } from '../../generator/pipeline.js';
import { CLANG } from '../../generator/verify/clang.js';
import { clangArgsFor } from '../helpers/compiler.js';

/** Records clang creates itself in every translation unit. */
const CLANG_OWN = new Set(['struct __NSConstantString_tag', 'struct __va_list_tag', 'struct __va_list', 'struct __builtin_ms_va_list']);

export interface RecordCount {
  /** Records clang laid out (its own builtins aside). */
  readonly clang: number;
  /** Records structgen laid out (facts that are not null). */
  readonly structgen: number;
  /** Clang's records structgen has no facts for. */
  readonly lost: readonly string[];
  readonly clangOk: boolean;
  readonly clangStderr: string;
  /** structgen's errors (a record may be missing for a reason it gave). */
  readonly errors: readonly string[];
}

const bodies = new Map<string, Array<[number, number]>>();

/** Whether a position of a file lies in a function body (the file parsed as written). */
function inFunctionBody(file: string, line: number, col: number): boolean {
  let spans = bodies.get(file);
  if (!spans) {
    spans = [];
    const parser = new Parser();
    parser.setLanguage(C as unknown as Parser.Language);
    const text = readFileSync(file, 'utf8');
    const stack = [parser.parse(text).rootNode];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'compound_statement') { spans.push([n.startIndex, n.endIndex]); continue; }
      for (const c of n.children) stack.push(c);
    }
    bodies.set(file, spans);
    const lines = text.split('\n');
    const starts = [0];
    for (const l of lines) starts.push(starts[starts.length - 1]! + l.length + 1);
    lineStarts.set(file, starts);
  }
  const off = lineStarts.get(file)![line - 1]! + col - 1;
  return spans.some(([a, b]) => off >= a && off < b);
}
const lineStarts = new Map<string, number[]>();

const compilerRecords = new Map<string, Set<string>>();

/** Records clang's own x86 intrinsic headers define for a target (none elsewhere). */
function compilerHeaderRecords(target: string, clangFlags: readonly string[]): Set<string> {
  const key = `${target}\0${clangFlags.join(' ')}`;
  let names = compilerRecords.get(key);
  if (names) return names;
  names = new Set();
  if (/^(x86_64|i[3-6]86)/.test(target)) {
    const r = spawnSync(CLANG, [`--target=${target}`, '-fsyntax-only', '-w', '-Xclang', '-fdump-record-layouts-complete',
      '-Xclang', '-fdump-record-layouts-simple', ...clangArgsFor(target), ...clangFlags, '-x', 'c', '-'],
    { input: '#include <x86intrin.h>\n#include <mm_malloc.h>\n', encoding: 'utf8', maxBuffer: 1 << 28 });
    for (const m of (r.stdout ?? '').matchAll(/^Type: (.*)$/gm)) names.add(m[1]!);
  }
  compilerRecords.set(key, names);
  return names;
}

/** Every record clang lays out for `file`, against structgen's facts. */
export function countRecords(file: string, target: string, opts: PipelineOptions = {}, clangFlags: readonly string[] = []): RecordCount {
  const abs = path.resolve(file);
  const a = analyzeHeader(abs, { ...opts, target });
  const ours = new Set<string>();
  let structgen = 0;
  for (const r of a.facts?.records ?? []) {
    if (!r) continue;
    structgen++;
    if (r.tag) ours.add(`${r.kind} ${r.tag}`);
    else if (r.name) ours.add(r.name);
    ours.add(`${r.kind} @${path.resolve(r.pos.file)}:${r.pos.line}:${r.pos.col}`);
  }
  const args = [`--target=${target}`, '-fsyntax-only', '-std=gnu17', '-w', '-Xclang', '-fdump-record-layouts-complete',
    '-Xclang', '-fdump-record-layouts-simple', ...clangArgsFor(target), ...clangFlags,
    ...(opts.includeDirs ?? []).map((d) => `-I${path.resolve(d)}`),
    ...(opts.systemIncludeDirs ?? []).flatMap((d) => ['-isystem', path.resolve(d)]),
    ...Object.entries(opts.defines ?? {}).map(([k, v]) => `-D${k}=${v}`), '-x', 'c', '-'];
  const run = spawnSync(CLANG, args, { input: `#include "${abs}"\n`, encoding: 'utf8', maxBuffer: 1 << 30, cwd: path.dirname(abs) });
  let clang = 0;
  const lost: string[] = [];
  const seen = new Set<string>();
  const isystem = (opts.systemIncludeDirs ?? []).flatMap((d) => ['-isystem', path.resolve(d)]);
  const own = compilerHeaderRecords(target, [...clangFlags, ...isystem]);
  for (const m of (run.stdout ?? '').matchAll(/^Type: (.*)$/gm)) {
    const type = m[1]!;
    // records of clang's own headers (its intrinsics' helper structs): structgen has its own headers there
    if (CLANG_OWN.has(type) || seen.has(type) || own.has(type) || /\/lib\/clang\/\d+\/include\//.test(type)) continue;
    seen.add(type);
    const at = /^(struct|union) .*\((?:anonymous|unnamed) at (.*):(\d+):(\d+)\)$/.exec(type);
    if (at && inFunctionBody(path.resolve(path.dirname(abs), at[2]!), Number(at[3]), Number(at[4]))) continue;
    clang++;
    const key = at ? `${at[1]} @${path.resolve(path.dirname(abs), at[2]!)}:${at[3]}:${at[4]}` : type;
    if (!ours.has(key)) lost.push(type);
  }
  return {
    clang, structgen, lost, clangOk: run.status === 0, clangStderr: run.stderr ?? '',
    errors: a.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic),
  };
}
