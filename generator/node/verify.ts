// `structgen verify`: the layouts proven by a real C compiler. The asserts of each header (verify/asserts.ts) are
// compiled for the target; on the host's own target they also run as a probe that prints what the compiler
// computed, and with clang for a foreign target clang's layout dump is read (verify/clang.ts, verify/compare.ts), so
// a mismatch names structgen's value and the compiler's. The analyses come from the project (each header once).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diag, hasErrors, type Diagnostic } from '../diagnostics.js';
import type { RecordFacts } from '../layout/facts.js';
import { headerRecords, type HeaderAnalysis, type PipelineOptions } from '../project/analyze.js';
import { cAssertSource, label, type Check } from '../verify/asserts.js';
import { clangLayouts } from '../verify/clang.js';
import { compareWithClang, probeNames } from '../verify/compare.js';
import { Project } from '../project/project.js';
import { DEFAULT_TARGET } from '../target/index.js';
import { hostTriple, nodeEnv, systemDirs } from './env.js';

export interface VerifyResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly records: number;
  readonly checks: number;
  readonly compiler: string;
  /** No suitable compiler: the CLI exits 2. */
  readonly noCompiler: boolean;
}

function runs(cmd: readonly string[]): boolean {
  const r = spawnSync(cmd[0]!, [...cmd.slice(1), '--version'], { encoding: 'utf8' });
  return r.status === 0;
}

function isClang(cmd: readonly string[]): boolean {
  const r = spawnSync(cmd[0]!, [...cmd.slice(1), '--version'], { encoding: 'utf8' });
  return /clang/i.test(r.stdout ?? '');
}

/** The compiler for a target: `--cc` as given, else cc for the host's own target, else clang. */
function pickCompiler(triple: string, cc: string | undefined): { cmd: string[]; native: boolean; clang: boolean } | null {
  const native = hostTriple() === triple;
  const candidates = cc ? [cc.split(/\s+/).filter(Boolean)] : native ? [['cc'], ['gcc'], ['clang-16'], ['clang']] : [['clang-16'], ['clang']];
  for (const cmd of candidates) {
    if (!runs(cmd)) continue;
    const clang = isClang(cmd);
    if (!native && !clang && !cc) continue;
    return { cmd, native, clang };
  }
  return null;
}

/** Proves every record the headers define against a real compiler for the target (`opts.target`). */
export function verifyHeaders(headers: readonly string[], opts: PipelineOptions, v: { cc?: string | undefined }): VerifyResult {
  const project = new Project({ ...opts, headers, targets: [opts.target ?? DEFAULT_TARGET], evaluateDefines: false }, nodeEnv);
  return verifyAnalyses(project.analyses(opts.target ?? DEFAULT_TARGET), opts, v);
}

/** Proves the records of analysed headers (of one target) against a real compiler for that target. */
export function verifyAnalyses(analyses: readonly HeaderAnalysis[], opts: PipelineOptions, v: { cc?: string | undefined }): VerifyResult {
  const diags: Diagnostic[] = [];
  for (const a of analyses) diags.push(...a.diagnostics);
  if (hasErrors(diags) || !analyses.length) return { diagnostics: diags, records: 0, checks: 0, compiler: '', noCompiler: false };
  const target = analyses[0]!.target;
  const comp = pickCompiler(target.triple, v.cc);
  if (!comp) {
    diags.push(diag('error', null, 'verify-no-compiler', v.cc
      ? `the compiler '${v.cc}' does not run`
      : `no C compiler for ${target.triple}: install clang (Debian: apt-get install -y clang-16) or name one with --cc`));
    return { diagnostics: diags, records: 0, checks: 0, compiler: '', noCompiler: true };
  }
  const name = comp.cmd.join(' ');
  // the user's own flags in --cc come after structgen's, so that they win
  const flags = [
    ...(comp.clang ? [`--target=${target.triple}`] : []),
    ...(comp.native ? [] : ['-ffreestanding', ...(comp.clang ? ['-nostdlibinc'] : [])]),
    ...(opts.sysroot ? [`--sysroot=${opts.sysroot}`] : []),
    ...(opts.includeDirs ?? []).map((d) => `-I${path.resolve(d)}`),
    ...(opts.systemIncludeDirs ?? []).map((d) => `-isystem${path.resolve(d)}`),
    ...(!comp.native && !opts.sysroot ? [] : systemDirs(target, opts.sysroot).map((d) => `-isystem${d}`)),
    ...Object.entries(opts.defines ?? {}).map(([k, val]) => `-D${k}=${val}`),
    ...(opts.undefines ?? []).map((u) => `-U${u}`),
    ...(opts.msBitfields === true ? ['-mms-bitfields'] : opts.msBitfields === false ? ['-mno-ms-bitfields'] : []),
    ...(opts.shortEnums ? ['-fshort-enums'] : []),
  ];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-verify-'));
  let records = 0;
  let nchecks = 0;
  try {
    analyses.forEach((a, k) => {
      const { source, checks } = cAssertSource(a, path.resolve(a.header), `h${k}`);
      records += headerRecords(a).length;
      nchecks += checks.length;
      const src = path.join(dir, `h${k}.c`);
      writeFileSync(src, source);
      const mismatch = (c: Check, theirs: string) => diags.push(diag('error', c.pos, 'verify-mismatch',
        `${label(c).replace(' is ', ' is ')} in structgen, ${theirs} for the compiler (${name})`));
      if (comp.native) {
        // a probe program prints what the compiler computed for every check
        const exe = path.join(dir, `h${k}`);
        const cc = spawnSync(comp.cmd[0]!, [...flags, ...comp.cmd.slice(1), '-std=gnu17', '-w', '-DSTRUCTGEN_PROBE', '-o', exe, src], { encoding: 'utf8' });
        if (cc.status !== 0) { diags.push(diag('error', { file: a.header, line: 1, col: 1 }, 'verify-compile', `the compiler (${name}) rejected the header:\n${cc.stderr.trim()}`)); return; }
        const run = spawnSync(exe, [], { encoding: 'utf8' });
        const got = new Map<number, number[]>();
        for (const line of (run.stdout ?? '').split('\n')) {
          const parts = line.trim().split(/\s+/).map(Number);
          if (parts.length >= 2) got.set(parts[0]!, parts.slice(1));
        }
        checks.forEach((c, i) => {
          const g = got.get(i);
          if (!g) { mismatch(c, 'nothing'); return; }
          if (c.kind === 'bits') {
            const [first, width] = c.want as [number, number];
            if (g[0] !== first || g[1] !== width) mismatch(c, g[0]! < 0 ? 'no bits' : `bits ${g[0]}..${g[0]! + g[1]! - 1}`);
          } else if (g[0] !== c.want) mismatch(c, String(g[0]));
        });
        // and the static asserts compile, as they will in the C side's build
        const sa = spawnSync(comp.cmd[0]!, [...flags, ...comp.cmd.slice(1), '-std=gnu17', '-w', '-fsyntax-only', src], { encoding: 'utf8' });
        if (sa.status !== 0 && !hasErrors(diags)) diags.push(diag('error', { file: a.header, line: 1, col: 1 }, 'verify-compile', `the asserts do not compile:\n${sa.stderr.trim()}`));
        return;
      }
      // a foreign target: the static asserts, and with clang its layout dump for bit-fields and values
      const sa = spawnSync(comp.cmd[0]!, [...flags, ...comp.cmd.slice(1), '-std=gnu17', '-w', '-fsyntax-only', src], { encoding: 'utf8' });
      const failed = new Set([...(sa.stderr ?? '').matchAll(/"structgen: ([^"]*)"/g)].map((m) => m[1]!));
      for (const c of checks) if (failed.has(label(c))) mismatch(c, 'another value');
      if (sa.status !== 0 && failed.size === 0) {
        diags.push(diag('error', { file: a.header, line: 1, col: 1 }, 'verify-compile', `the compiler (${name}) rejected the header:\n${sa.stderr.trim()}`));
        return;
      }
      if (comp.clang) {
        const only = (r: RecordFacts) => r.file === a.header && !!r.name;
        const dump = clangLayouts(`#include "${path.resolve(a.header)}"`, path.resolve(a.header), target.triple, probeNames(a, only), flags.filter((f) => !f.startsWith('--target=')));
        const cmp = compareWithClang(a, dump, only);
        for (const m of cmp.mismatches) diags.push(diag('error', { file: m.file, line: m.line, col: 1 }, 'verify-mismatch', `${m.record}: ${m.what.replace(/clang/g, name)}`));
      } else if (checks.some((c) => c.kind === 'bits')) {
        diags.push(diag('warning', { file: a.header, line: 1, col: 1 }, 'verify-bitfields', `bit-field positions were not checked: ${name} cannot run programs for ${target.triple}; use clang for a layout dump`));
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { diagnostics: diags, records, checks: nchecks, compiler: name, noCompiler: false };
}
