// The text report of `structgen check`: the causes first, a cascade of moved members as one line per record,
// stale files, then a summary line and the command to run next. Paths are relative to the working folder.

import * as path from 'node:path';
import type { createColors } from 'picocolors';
import { summarizeChanges, type LayoutChange } from '../check/lock.js';
import type { ConfigCheckResult } from '../config/run.js';

const rel = (p: string) => path.relative(process.cwd(), path.resolve(p)) || p;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function formatCheckReport(r: ConfigCheckResult, o: { c: ReturnType<typeof createColors>; update: boolean }): string[] {
  const { c } = o;
  const lines: string[] = [];
  const sev = (s: LayoutChange['severity']) => (s === 'breaking' ? c.bold(c.red('error:')) : s === 'review' ? c.bold(c.magenta('warning:')) : c.bold(c.cyan('note:')));
  const shown = summarizeChanges(r.changes);
  for (const ch of shown) {
    const where = ch.pos ? `${rel(ch.pos.file)}:${ch.pos.line}:${ch.pos.col}:` : 'structgen:';
    lines.push(`${c.bold(where)} ${sev(ch.severity)} ${ch.message} [${ch.severity}, ${ch.target}]`);
  }
  for (const f of r.stale) lines.push(`${c.bold(`${rel(path.join(r.outDir, f.path))}:`)} ${c.bold(c.red('error:'))} generated file is stale (${f.reason})`);
  const lockName = rel(r.lockFile);
  if (o.update) {
    lines.push(`structgen: lock file ${lockName} updated`);
    if (r.stale.length) lines.push(`structgen: ${plural(r.stale.length, 'generated file')} stale; run 'structgen generate'`);
    return lines;
  }
  if (r.lockMissing) lines.push(`${c.bold('structgen:')} ${c.bold(c.red('error:'))} no lock file ${lockName}; run 'structgen check --update' to record the current layouts, and commit it`);
  if (r.ok) {
    lines.push('structgen: generated files fresh, layouts match the lock file');
    return lines;
  }
  // records (and enums) by the worst change each has
  const worst = new Map<string, LayoutChange['severity']>();
  const rank = { breaking: 0, review: 1, compatible: 2 } as const;
  for (const x of r.changes) {
    const k = `${x.target}\u0000${x.record}`;
    const w = worst.get(k);
    if (w === undefined || rank[x.severity] < rank[w]) worst.set(k, x.severity);
  }
  const parts: string[] = [];
  for (const [what, isEnum] of [['record', false], ['enum', true]] as const) {
    const ws = [...worst.entries()].filter(([k]) => k.split('\u0000')[1]!.startsWith('enum ') === isEnum).map(([, w]) => w);
    if (!ws.length) continue;
    const n = (s: LayoutChange['severity']) => ws.filter((x) => x === s).length;
    const detail = [n('breaking') ? `${n('breaking')} breaking` : '', n('review') ? `${n('review')} to review` : '', n('compatible') ? `${n('compatible')} compatible` : '']
      .filter(Boolean).join(', ');
    parts.push(`${plural(ws.length, what)} changed (${detail})`);
  }
  if (r.stale.length) parts.push(`${plural(r.stale.length, 'generated file')} stale`);
  const targets = [...new Set(r.changes.map((x) => x.target))];
  if (parts.length) lines.push(`structgen: ${parts.join(', ')}${targets.length ? ` [${targets.join(', ')}]` : ''}`);
  const next: string[] = [];
  if (r.stale.length) next.push("'structgen generate' to regenerate the decoders");
  if (r.changes.length) next.push(`if the layout change is intended, 'structgen check --update' to record it in ${lockName}`);
  else if (r.lockMissing) next.push(`'structgen check --update' to create ${lockName}`);
  if (next.length) lines.push(`structgen: next: ${next.join('; then, ')}`);
  return lines;
}
