// `structgen diff --format html`: one self-contained page (no scripts, fonts or links). The table of changes, then
// for each record that changed its two layouts side by side, before and after, drawn by render/'s SVG on the targets
// that tell the changes apart. render/ marks them (`svgElement`'s `mark` option), in the colour of the change's class:
// the boxes of the changed members are outlined on each side they exist on, and the bytes whose meaning changed are
// shaded: a member's bytes on each side, the bytes a new member took (padding or others') on the old side and those
// a removed member left on the new side, the bytes a record grew or shrank by. A rename or a retyping with the same
// representation (source-only) changes no byte, so it is outlined only; nor are the bytes of a member shaded that
// changed only through members inside it. Where changes overlap, the byte takes the worse class. Everything from a header is escaped. Pure.

import type { RecordFacts } from '../layout/facts.js';
import { esc } from '../render/escape.js';
import { svgElement, type Marks } from '../render/svg.js';
import type { DiffReport } from './diff.js';
import { summarize } from './join.js';
import { summaryLine, type FormatOptions } from './format.js';
import type { Field, RecordEntry } from './snapshot.js';
import type { ChangeClass, DiffChange, Where } from './types.js';

export const MARK_COLOR: { readonly [c in ChangeClass]: string } = { breaking: '#d1242f', compatible: '#1a7f37', 'source-only': '#0969da' };

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px; color: #1f2328; background: #fff; }
h1 { font-size: 20px; margin: 0 0 6px; }
h2 { font-size: 16px; margin: 0 0 8px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
h3 { font-size: 13px; margin: 0 0 6px; font-weight: 600; color: #57606a; }
p.meta { color: #57606a; margin: 0 0 16px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; background: #f6f8fa; padding: 0 3px; border-radius: 3px; }
table.changes { border-collapse: collapse; font-size: 13px; margin: 0 0 28px; }
table.changes th, table.changes td { border-bottom: 1px solid #d0d7de; padding: 4px 12px 4px 0; text-align: left; vertical-align: top; }
.cls { font-weight: 600; white-space: nowrap; }
.cls.breaking { color: ${MARK_COLOR.breaking}; } .cls.compatible { color: ${MARK_COLOR.compatible}; } .cls.source-only { color: ${MARK_COLOR['source-only']}; }
section.record { margin: 0 0 40px; }
section.record ul { margin: 0 0 12px; padding-left: 20px; font-size: 13px; }
figure.pair { margin: 0 0 24px; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px; }
figure.pair figcaption { font-size: 13px; margin: 0 0 10px; color: #57606a; }
.sides { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 24px; }
.side { min-width: 0; border-top: 3px solid transparent; padding-top: 6px; }
.side.whole-breaking { border-top-color: ${MARK_COLOR.breaking}; } .side.whole-compatible { border-top-color: ${MARK_COLOR.compatible}; }
.side svg { display: block; max-width: 100%; height: auto; }
.side p.none { color: #57606a; font-style: italic; font-size: 13px; }
.legend span { display: inline-block; margin-right: 16px; font-size: 12px; }
.legend span.how { color: #57606a; }
.legend i { display: inline-block; width: 14px; height: 10px; border: 3px solid; margin-right: 5px; vertical-align: -2px; }
`;

/** A message with its quoted names and types as code. */
function htmlMessage(m: string): string {
  const out: string[] = [];
  let last = 0;
  for (const x of m.matchAll(/'([^'\n]*)'/g)) {
    out.push(esc(m.slice(last, x.index)), `<code>${esc(x[1]!)}</code>`);
    last = x.index! + x[0].length;
  }
  out.push(esc(m.slice(last)));
  return out.join('');
}

/** Breaking over compatible over source-only, where a member or a byte has changes of several classes. */
const RANK: { readonly [c in ChangeClass]: number } = { breaking: 3, compatible: 2, 'source-only': 1 };
const CLASSES: readonly ChangeClass[] = ['source-only', 'compatible', 'breaking'];

type Range = readonly [number, number, ChangeClass];

/** Disjoint ranges, each bit in the worst class of the ranges over it (a sweep: linear after the sort). */
function flatten(xs: readonly Range[]): Range[] {
  const ev: Array<[number, number, number]> = [];
  for (const [a, b, c] of xs) if (b > a) { ev.push([a, RANK[c], 1], [b, RANK[c], -1]); }
  ev.sort((x, y) => x[0] - y[0]);
  const open = [0, 0, 0, 0];
  const out: Array<[number, number, ChangeClass]> = [];
  let at = 0;
  let cur = 0;
  for (let i = 0; i < ev.length;) {
    const x = ev[i]![0];
    if (cur > 0 && x > at) {
      const last = out[out.length - 1];
      if (last && last[1] === at && last[2] === CLASSES[cur - 1]) last[1] = x; else out.push([at, x, CLASSES[cur - 1]!]);
    }
    for (; i < ev.length && ev[i]![0] === x; i++) open[ev[i]![1]] = open[ev[i]![1]]! + ev[i]![2];
    at = x;
    cur = open[3]! > 0 ? 3 : open[2]! > 0 ? 2 : open[1]! > 0 ? 1 : 0;
  }
  return out;
}

/**
 * What a record's picture on one side marks for the changes `here` (those of the record on the picture's target):
 * the changed members by path, and the changed bytes. `entry` is this side's record, `other` the other side's.
 */
function sideMarks(here: readonly DiffChange[], which: 'old' | 'new', entry: RecordEntry, other: RecordEntry | undefined): Marks {
  const paths = new Map<string, ChangeClass>();
  const bits: Range[] = [];
  const fieldsOf = (e: RecordEntry | undefined) => new Map<string, Field>((e?.fields ?? []).map((f) => [f.path, f]));
  const mine = fieldsOf(entry);
  const theirs = fieldsOf(other);
  const size = entry.record.size * 8;
  // a member's old path: renamed itself, or inside a member that was renamed
  const renames = here.filter((c) => c.kind === 'member-renamed').map((c) => [String(c.old), String(c.new)] as const);
  const oldPath = (p: string) => {
    for (const [o, n] of renames) {
      if (p === n) return o;
      if (p.startsWith(`${n}.`)) return o + p.slice(n.length);
    }
    return p;
  };
  const inner = new Set<string>();
  for (const c of here) {
    if (c.member === undefined || c.class === 'source-only') continue;
    for (let p = c.member, k = p.lastIndexOf('.'); k > 0; p = p.slice(0, k), k = p.lastIndexOf('.')) inner.add(p.slice(0, k));
  }
  const mark = (p: string, cls: ChangeClass) => { const was = paths.get(p); if (!was || RANK[cls] > RANK[was]) paths.set(p, cls); };
  const span = (f: Field | undefined, cls: ChangeClass) => { if (f) bits.push([Math.min(f.bitOffset, size), Math.min(f.bitOffset + f.member.bitSize, size), cls]); };
  for (const c of here) {
    if (c.kind === 'record-size' && typeof c.old === 'number' && typeof c.new === 'number') {
      // the bytes the record grew by (on the new side) or shrank by (on the old side)
      const [from, to] = [Math.min(c.old, c.new) * 8, Math.max(c.old, c.new) * 8];
      if ((which === 'new') === (c.new > c.old)) bits.push([from, to, c.class]);
      continue;
    }
    if (c.member === undefined) continue;
    if (c.kind === 'member-renamed') { mark(String(which === 'old' ? c.old : c.new), c.class); continue; }
    const [mp, tp] = which === 'old' ? [oldPath(c.member), c.member] : [c.member, oldPath(c.member)];
    const exists = c.kind === 'member-added' || c.kind === 'padding-filled' ? which === 'new' : c.kind === 'member-removed' ? which === 'old' : true;
    if (exists) mark(mp, c.class);
    // a member that changed only because members inside it did leaves the shading to them (all of an untagged
    // struct's bytes are not new because its last member grew)
    if (c.class === 'source-only' || inner.has(c.member)) continue;
    // the member's bytes on this side, or where it is on the other side (what it took, or what it left)
    span(exists ? mine.get(mp) : theirs.get(tp), c.class);
  }
  return {
    paths: new Map([...paths].map(([p, cls]) => [p, MARK_COLOR[cls]])),
    bits: flatten(bits).map(([a, b, cls]) => [a, b, MARK_COLOR[cls]] as const),
  };
}

const worst = (cs: readonly DiffChange[]): ChangeClass | null =>
  cs.some((c) => c.class === 'breaking') ? 'breaking' : cs.length ? (cs.some((c) => c.class === 'compatible') ? 'compatible' : 'source-only') : null;

export function renderDiffHtml(r: DiffReport, o: FormatOptions = {}): string {
  const place = o.place ?? ((w: Where) => `${w.pos.file}:${w.pos.line}`);
  const out: string[] = [];
  const oldLabel = o.oldLabel ?? 'old';
  const newLabel = o.newLabel ?? 'new';
  out.push('<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">');
  out.push(`<title>${esc(`structgen diff: ${summaryLine(r.changes)}`)}</title>`);
  const body: string[] = [];
  body.push(`<h1>structgen diff: ${esc(summaryLine(r.changes))}</h1>`);
  body.push(`<p class="meta">${esc(oldLabel)} → ${esc(newLabel)} · ${r.targets.length} target${r.targets.length === 1 ? '' : 's'}: ${r.targets.map((t) => `<code>${esc(t)}</code>`).join(', ')}</p>`);
  body.push(`<p class="legend">${(['breaking', 'compatible', 'source-only'] as const).map((k) => `<span><i style="border-color:${MARK_COLOR[k]};background:${MARK_COLOR[k]}38"></i>${k}</span>`).join('')}` +
    '<span class="how">changed members outlined, changed bytes shaded</span></p>');
  const shown = summarize(r.changes);
  if (shown.length) {
    body.push('<table class="changes"><thead><tr><th>class</th><th>change</th><th>targets</th><th>where</th></tr></thead><tbody>');
    for (const { change: c, message } of shown) {
      body.push(`<tr><td class="cls ${c.class}">${c.class}</td><td>${htmlMessage(message)}</td><td>${esc(c.scope ? c.scope.replace(/^on /, '') : 'all')}</td><td>${c.where ? `<code>${esc(place(c.where))}</code>` : ''}</td></tr>`);
    }
    body.push('</tbody></table>');
  }
  // one section per record that changed, in the report's order
  const byRecord = new Map<string, DiffChange[]>();
  for (const c of r.changes) if (c.record !== undefined) (byRecord.get(c.record) ?? byRecord.set(c.record, []).get(c.record)!).push(c);
  let k = 0;
  for (const [name, changes] of byRecord) {
    const lines = shown.filter((s) => s.change.record === name);
    body.push(`<section class="record" data-record="${esc(name)}">`);
    const any = r.sides.map((s) => s.new.records.get(name) ?? s.old.records.get(name)).find((e) => e);
    body.push(`<h2>${esc(any ? `${any.record.kind} ${name}` : name)}</h2>`);
    body.push(`<ul>${lines.map((s) => `<li><span class="cls ${s.change.class}">${s.change.class}</span> ${htmlMessage(s.message.slice(s.message.indexOf(': ') + 2))}${s.change.scope ? ` <em>(${esc(s.change.scope)})</em>` : ''}</li>`).join('')}</ul>`);
    // the targets that tell the changes apart: the first of each change's targets, at most four pictures
    const reps: string[] = [];
    for (const c of changes) if (!reps.includes(c.targets[0]!)) reps.push(c.targets[0]!);
    const drawn = r.targets.filter((t) => reps.includes(t)).slice(0, 4);
    // a member keeps its colour on both sides, wherever it moved: palette entries by name, the old order first
    const order = new Map<string, number>();
    for (const which of ['old', 'new'] as const) {
      for (const s of r.sides) for (const m of s[which].records.get(name)?.record.members ?? []) if (!order.has(m.name)) order.set(m.name, order.size);
    }
    const colours = (rec: RecordFacts) => rec.members.map((m, i) => order.get(m.name) ?? i);
    for (const t of drawn) {
      const side = r.sides.find((s) => s.triple === t)!;
      const here = changes.filter((c) => c.targets.includes(t));
      const same = r.targets.filter((u) => u !== t && here.every((c) => c.targets.includes(u)) && changes.every((c) => c.targets.includes(u) === c.targets.includes(t)));
      body.push(`<figure class="pair" data-target="${esc(t)}">`);
      body.push(`<figcaption>${esc(t)}${same.length ? ` (the same on ${same.length} other target${same.length === 1 ? '' : 's'}: ${same.join(', ')})` : ''}</figcaption><div class="sides">`);
      for (const which of ['old', 'new'] as const) {
        const id = `d${k}${which === 'old' ? 'o' : 'n'}`;
        const entry: RecordEntry | undefined = side[which].records.get(name);
        const recordLevel = here.filter((c) => c.kind.startsWith('record-'));
        const whole = worst(recordLevel);
        body.push(`<div class="side ${which}${whole ? ` whole-${whole}` : ''}" id="${id}" data-side="${which}"><h3>${which === 'old' ? 'before' : 'after'}: ${esc(which === 'old' ? oldLabel : newLabel)}</h3>`);
        if (!entry) { body.push(`<p class="none">not defined</p></div>`); continue; }
        const other = side[which === 'old' ? 'new' : 'old'].records.get(name);
        const marks = sideMarks(here, which, entry, other);
        body.push(svgElement([{ program: entry.program, record: entry.record }], { idPrefix: `sg${id}`, mark: () => marks, colours }), '</div>');
      }
      body.push('</div></figure>');
      k++;
    }
    if (reps.length > drawn.length) body.push(`<p class="meta">${reps.length - drawn.length} more target${reps.length - drawn.length === 1 ? '' : 's'} with other changes not drawn.</p>`);
    body.push('</section>');
  }
  out.push(`<style>${STYLE}</style></head><body>`);
  out.push(...body, '</body></html>');
  return `${out.join('\n')}\n`;
}
