// `--cpp "CMD"`: use an external preprocessor instead of the built-in one. Its output's linemarkers become the
// source map and its `#pragma pack` lines become pack events, so later stages see the same data either way.

import { spawnSync } from 'node:child_process';
import { diag } from '../diagnostics.js';
import { rewriteForParser } from '../parse/rewrite.js';
import { lex } from '../preprocess/lexer.js';
import { SourceMapBuilder } from '../preprocess/source-map.js';
import type { PackEvent, PreprocessOptions, PreprocessResult } from '../preprocess/preprocess.js';

export function externalPreprocess(header: string, cmd: string, opts: PreprocessOptions): PreprocessResult {
  const args = cmd.split(/\s+/).filter(Boolean);
  for (const d of opts.includeDirs ?? []) args.push(`-I${d}`);
  for (const [k, v] of Object.entries(opts.defines ?? {})) args.push(`-D${k}=${v}`);
  for (const u of opts.undefines ?? []) args.push(`-U${u}`);
  args.push(header);
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error || r.status !== 0) {
    const msg = r.error ? String(r.error.message) : (r.stderr || '').trim().split('\n').slice(0, 5).join('; ');
    return {
      text: '', map: new SourceMapBuilder().finish([]), packEvents: [], systemFiles: new Set(), macros: [],
      diagnostics: [diag('error', null, 'cpp-failed', `external preprocessor '${cmd}' failed: ${msg}`)], probeRow: 0,
      includedFiles: [header],
    };
  }
  const files: string[] = [];
  const fileIdx = new Map<string, number>();
  const fid = (f: string) => {
    let i = fileIdx.get(f);
    if (i === undefined) { i = files.length; files.push(f); fileIdx.set(f, i); }
    return i;
  };
  const systemFiles = new Set<string>();
  const outRows: string[] = [];
  const map = new SourceMapBuilder();
  const packEvents: PackEvent[] = [];
  let pack = 0;
  const stack: number[] = [];
  let curFile = fid(header);
  let curLine = 1;
  for (const raw of r.stdout.split('\n')) {
    const lm = /^#\s*(?:line\s+)?(\d+)\s+"((?:[^"\\]|\\.)*)"(.*)$/.exec(raw);
    if (lm) {
      curLine = Number(lm[1]);
      const f = lm[2]!.replace(/\\(.)/g, '$1');
      curFile = fid(f);
      if (/\b3\b/.test(lm[3]!)) systemFiles.add(f);
      continue;
    }
    const pm = /^\s*#\s*pragma\s+pack\s*\(([^)]*)\)/.exec(raw);
    if (pm) {
      const args = pm[1]!.split(',').map((s) => s.trim()).filter(Boolean);
      if (args.length === 0) pack = 0;
      else if (args[0] === 'push') { stack.push(pack); const n = args.find((a) => /^\d+$/.test(a)); if (n) pack = Number(n); }
      else if (args[0] === 'pop') pack = stack.pop() ?? 0;
      else if (/^\d+$/.test(args[0]!)) pack = Number(args[0]);
      packEvents.push({ row: outRows.length, col: 0, pack, msStruct: false });
      curLine++;
      continue;
    }
    if (/^\s*#/.test(raw)) { curLine++; continue; }
    const toks = rewriteForParser(lex(raw, curFile).lines.flat());
    let text = '';
    for (const t of toks) {
      if (text.length) text += ' ';
      map.add(text.length, curFile, curLine, t.col, curFile);
      text += t.text;
    }
    outRows.push(text);
    map.endRow();
    curLine++;
  }
  return { text: outRows.join('\n'), map: map.finish(files), packEvents, systemFiles, macros: [], diagnostics: [], probeRow: outRows.length,
    // the linemarkers' files, but not `<built-in>` and `<command-line>`
    includedFiles: files.filter((f) => !/^<.*>$/.test(f)) };
}
