// The reports of `structgen diff` as text: compiler-style lines for a terminal, the JSON document tools read
// (CONTRACTS.md: `{ "changes": [...] }`, with a few added keys), and Markdown for a pull-request comment. Header
// text cannot escape its place in either: JSON is JSON.stringify's, Markdown escapes every character that means
// something there and puts names in code spans. Pure: no Node built-ins.

import { countByClass, summarize } from './join.js';
import type { DiffReport } from './diff.js';
import { CLASS_RANK, type ChangeClass, type DiffChange, type Where } from './types.js';

export interface FormatOptions {
  /** How a place is shown (`include/a.h:3:5`, `v1.2:include/a.h:3:5`); default `file:line:col`. */
  readonly place?: (w: Where) => string;
  /** What was compared, for the summary: `v1.2`, `the working tree`. */
  readonly oldLabel?: string;
  readonly newLabel?: string;
  /** Colours for a terminal (picocolors' functions); none by default. */
  readonly color?: Paint | null;
  readonly version?: string;
}

export interface Paint {
  readonly bold: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly cyan: (s: string) => string;
  readonly dim: (s: string) => string;
}

const defaultPlace = (w: Where) => `${w.pos.file}:${w.pos.line}:${w.pos.col}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `3 breaking, 1 compatible, 1 source-only change(s)`, or `no changes`. */
export function summaryLine(changes: readonly DiffChange[]): string {
  const n = countByClass(changes);
  const total = changes.length;
  if (!total) return 'no changes';
  const parts = (['breaking', 'compatible', 'source-only'] as const).filter((k) => n[k]).map((k) => `${n[k]} ${k}`);
  return `${parts.join(', ')} change${total === 1 ? '' : 's'}`;
}

function comparing(r: DiffReport, o: FormatOptions): string {
  const what = o.oldLabel && o.newLabel ? `${o.oldLabel} -> ${o.newLabel}; ` : '';
  return `${what}${plural(r.targets.length, 'target')}${r.targets.length <= 4 ? `: ${r.targets.join(', ')}` : ''}`;
}

/** Compiler-style lines, the causes first, then a summary line. */
export function formatText(r: DiffReport, o: FormatOptions = {}): string {
  const place = o.place ?? defaultPlace;
  const p = o.color;
  const paint = (k: ChangeClass) => (!p ? `${k}:` : k === 'breaking' ? p.bold(p.red(`${k}:`)) : k === 'compatible' ? p.bold(p.green(`${k}:`)) : p.bold(p.cyan(`${k}:`)));
  const lines = summarize(r.changes).map(({ change: c, message }) => {
    const where = c.where ? `${place(c.where)}:` : 'structgen:';
    return `${p ? p.bold(where) : where} ${paint(c.class)} ${message}${c.scope ? ` [${c.scope}]` : ''}`;
  });
  lines.push(`structgen diff: ${summaryLine(r.changes)} (${comparing(r, o)})`);
  return `${lines.join('\n')}\n`;
}

/** The JSON document: CONTRACTS.md's `{ "changes": [...] }`, each change with its targets, plus what was compared. */
export function formatJson(r: DiffReport, o: FormatOptions = {}): string {
  const place = o.place;
  const doc = {
    tool: 'structgen',
    ...(o.version ? { version: o.version } : {}),
    ...(o.oldLabel ? { old: o.oldLabel } : {}),
    ...(o.newLabel ? { new: o.newLabel } : {}),
    targets: r.targets,
    changes: r.changes.map((c) => ({
      kind: c.kind, class: c.class,
      ...(c.record !== undefined ? { record: c.record } : {}),
      ...(c.member !== undefined ? { member: c.member } : {}),
      ...(c.enum !== undefined ? { enum: c.enum } : {}),
      ...(c.constant !== undefined ? { constant: c.constant } : {}),
      targets: c.targets, old: c.old, new: c.new, message: c.message, scope: c.scope,
      where: c.where ? { side: c.where.side, file: c.where.pos.file, line: c.where.pos.line, col: c.where.pos.col, ...(place ? { shown: place(c.where) } : {}) } : null,
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Markdown text: every character Markdown or HTML gives a meaning escaped. */
export function mdText(s: string): string {
  return s.replace(/[\\`*_[\]<>|~&]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

/** A code span that holds any text (a longer fence than any run of backticks inside; pipes escaped for tables). */
export function mdCode(s: string): string {
  const longest = Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s.replace(/\|/g, '\\|').replace(/\n/g, ' ')}${pad}${fence}`;
}

/** A message with its quoted names and types as code spans. */
export function mdMessage(m: string): string {
  const out: string[] = [];
  let last = 0;
  for (const x of m.matchAll(/'([^'\n]*)'/g)) {
    out.push(mdText(m.slice(last, x.index)), mdCode(x[1]!));
    last = x.index! + x[0].length;
  }
  out.push(mdText(m.slice(last)));
  return out.join('');
}

/** Rows of the Markdown table at most (a row is rarely over 250 characters). */
const MD_ROWS = 200;

const MD_CLASS: { readonly [c in ChangeClass]: string } = { breaking: '**breaking**', compatible: 'compatible', 'source-only': 'source-only' };

/** A pull-request comment: a heading with the counts, what was compared, one table row per change. */
export function formatMarkdown(r: DiffReport, o: FormatOptions = {}): string {
  const place = o.place ?? ((w: Where) => `${w.pos.file}:${w.pos.line}`);
  const lines: string[] = [];
  lines.push(`### structgen diff: ${summaryLine(r.changes)}`, '');
  const what = o.oldLabel && o.newLabel ? `${mdCode(o.oldLabel)} → ${mdCode(o.newLabel)}, ` : '';
  lines.push(`${what}${plural(r.targets.length, 'target')}: ${r.targets.map(mdCode).join(', ')}`, '');
  const shown = summarize(r.changes);
  if (shown.length) {
    lines.push('| Class | Change | Targets | Where |', '|:--|:--|:--|:--|');
    // a pull-request comment holds 65,536 characters: the first rows, the worst first, and how many more there are
    const rows = shown.length > MD_ROWS ? [...shown].sort((x, y) => CLASS_RANK[y.change.class] - CLASS_RANK[x.change.class]).slice(0, MD_ROWS) : shown;
    for (const { change: c, message } of rows) {
      lines.push(`| ${MD_CLASS[c.class]} | ${mdMessage(message)} | ${c.scope ? mdText(c.scope.replace(/^on /, '')) : 'all'} | ${c.where ? mdCode(place(c.where)) : ''} |`);
    }
    lines.push('');
    if (rows.length < shown.length) lines.push(`${shown.length - rows.length} more lines not shown; \`structgen diff\` prints them all.`, '');
    lines.push('<sub>breaking: bytes an existing reader relies on moved or changed meaning, or a record changed size or alignment; ' +
      'compatible: only added (in former padding, past the end of a record sized by its users, a new enumerator, record or constant); ' +
      'source-only: renamed or respelled, the same bytes.</sub>');
  }
  return `${lines.join('\n')}\n`;
}
