// The compiler as an oracle: runs clang with `-fdump-record-layouts-simple` on a translation unit (with sizeof
// probes so every record is laid out) and parses sizes, alignments and every field's bit offset.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export interface ClangRecordLayout {
  /** As clang prints it: `struct foo`, `foo_t`, `struct foo::(anonymous at f.h:3:5)`. */
  readonly type: string;
  /** `@file:line:col` for anonymous/unnamed records, otherwise the type name. */
  readonly key: string;
  readonly size: number; // bits
  readonly align: number; // bits
  readonly fieldOffsets: readonly number[];
}

export interface ClangRun {
  readonly ok: boolean;
  readonly stderr: string;
  readonly layouts: ReadonlyMap<string, ClangRecordLayout>;
}

export const CLANG = process.env.STRUCTGEN_CLANG ?? 'clang-16';

export function clangAvailable(): boolean {
  const r = spawnSync(CLANG, ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

/** `probes` are type names (`struct foo`, `foo_t`) whose layout must be forced. */
export function clangLayouts(source: string, file: string, target: string, probes: readonly string[],
  extraArgs: readonly string[] = []): ClangRun {
  const probeText = probes.map((p, i) => `char __structgen_probe_${i}[sizeof(${p})];`).join('\n');
  const tu = `${source}\n${probeText}\n`;
  const args = [`--target=${target}`, '-fsyntax-only', '-std=gnu17', '-w', '-Xclang', '-fdump-record-layouts-simple',
    ...extraArgs, '-x', 'c', '-'];
  const r = spawnSync(CLANG, args, { input: tu, encoding: 'utf8', maxBuffer: 1 << 30, cwd: path.dirname(file) });
  return { ok: r.status === 0, stderr: r.stderr ?? '', layouts: parseDump(r.stdout ?? '') };
}

export function parseDump(out: string): Map<string, ClangRecordLayout> {
  const m = new Map<string, ClangRecordLayout>();
  const re = /\*\*\* Dumping AST Record Layout\nType: (.*)\n\nLayout: <ASTRecordLayout\n\s+Size:(\d+)\n(?:\s+DataSize:\d+\n)?\s+Alignment:(\d+)\n(?:\s+PreferredAlignment:\d+\n)?\s+FieldOffsets: \[([^\]]*)\]>/g;
  let x: RegExpExecArray | null;
  while ((x = re.exec(out)) !== null) {
    const type = x[1]!;
    // untagged records: make the path in `(anonymous at PATH:L:C)` absolute so both sides agree
    const key = type.replace(/\((anonymous|unnamed) at (.*):(\d+):(\d+)\)$/, (_m, w: string, f: string, l: string, c: string) => `(${w} at ${path.resolve(f)}:${l}:${c})`);
    m.set(key, {
      type, key, size: Number(x[2]), align: Number(x[3]),
      fieldOffsets: x[4]!.trim() ? x[4]!.split(',').map((s) => Number(s.trim())) : [],
    });
  }
  return m;
}
