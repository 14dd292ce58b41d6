// `structgen diff --format html`: one self-contained page (no scripts, fonts or links). The table of changes, then
// for each record that changed its two layouts side by side, before and after, drawn by render/'s SVG on the targets
// that tell the changes apart, with the boxes of the changed members (and the padding a new member took) outlined in
// the colour of the change's class. The marks are CSS over the pictures' `data-path` / `data-kind` / `data-bit*`
// attributes, so the pictures themselves are render/'s, untouched. Everything from a header is escaped. Pure.

import { esc } from '../render/escape.js';
import { svgElement } from '../render/svg.js';
import type { DiffReport } from './diff.js';
import { summarize } from './join.js';
import { summaryLine, type FormatOptions } from './format.js';
import type { RecordEntry } from './snapshot.js';
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
.side svg { display: block; width: 100%; height: auto; }
.side p.none { color: #57606a; font-style: italic; font-size: 13px; }
.legend span { display: inline-block; margin-right: 16px; font-size: 12px; }
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

/** A CSS string literal's contents: quotes, backslashes and line ends escaped (the page's `<style>` text is
 * escaped once more for the closing tag). */
const cssString = (s: string) => s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\n\r\f]/g, ' ').replace(/</g, '\\3c ');

/** The padding boxes of a picture, read from its markup: the attribute that holds the bit offset and its value. */
function paddingBoxes(svg: string): Array<{ attr: string; offset: number; size: number }> {
  const out: Array<{ attr: string; offset: number; size: number }> = [];
  for (const m of svg.matchAll(/<g\b[^>]*\bdata-kind="padding"[^>]*>/g)) {
    const off = /\b(data-bit(?:-offset)?)="(\d+)"/.exec(m[0]);
    const size = /\bdata-bit-size="(\d+)"/.exec(m[0]);
    if (off) out.push({ attr: off[1]!, offset: Number(off[2]), size: size ? Number(size[1]) : 1 });
  }
  return out;
}

interface Mark { readonly path: string; readonly cls: ChangeClass }

function markRules(id: string, svg: string, marks: readonly Mark[], padding: ReadonlyArray<{ from: number; to: number; cls: ChangeClass }>): string[] {
  const rules: string[] = [];
  const rule = (sel: string, cls: ChangeClass) =>
    rules.push(`#${id} ${sel} rect { stroke: ${MARK_COLOR[cls]} !important; stroke-width: 3px !important; stroke-dasharray: none !important; }`);
  for (const m of marks) rule(`[data-path="${cssString(m.path)}"]`, m.cls);
  if (padding.length) {
    for (const b of paddingBoxes(svg)) {
      const hit = padding.find((p) => b.offset < p.to && b.offset + Math.max(1, b.size) > p.from);
      if (hit) rule(`[data-kind="padding"][${b.attr}="${b.offset}"]`, hit.cls);
    }
  }
  return rules;
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
  const styles: string[] = [];
  const body: string[] = [];
  body.push(`<h1>structgen diff: ${esc(summaryLine(r.changes))}</h1>`);
  body.push(`<p class="meta">${esc(oldLabel)} → ${esc(newLabel)} · ${r.targets.length} target${r.targets.length === 1 ? '' : 's'}: ${r.targets.map((t) => `<code>${esc(t)}</code>`).join(', ')}</p>`);
  body.push(`<p class="legend">${(['breaking', 'compatible', 'source-only'] as const).map((k) => `<span><i style="border-color:${MARK_COLOR[k]}"></i>${k}</span>`).join('')}</p>`);
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
        const svg = svgElement([{ program: entry.program, record: entry.record }], { idPrefix: `sg${id}` });
        body.push(svg, '</div>');
        const marks: Mark[] = [];
        const pads: Array<{ from: number; to: number; cls: ChangeClass }> = [];
        for (const c of here) {
          if (c.member === undefined) continue;
          const state = (which === 'old' ? c.old : c.new) as { path?: string; bitOffset?: number; bitSize?: number } | null;
          if (c.kind === 'member-renamed') { marks.push({ path: String(which === 'old' ? c.old : c.new), cls: c.class }); continue; }
          if (c.kind === 'member-added' || c.kind === 'padding-filled') {
            if (which === 'new') marks.push({ path: c.member, cls: c.class });
            else if (state === null && c.new && typeof c.new === 'object') {
              const n = c.new as { bitOffset: number; bitSize: number };
              pads.push({ from: n.bitOffset, to: n.bitOffset + Math.max(1, n.bitSize), cls: c.class });
            }
            continue;
          }
          if (c.kind === 'member-removed') { if (which === 'old') marks.push({ path: c.member, cls: c.class }); continue; }
          // moved, resized, retyped, bit position: the member on both sides (under its old name on the old side)
          const renamed = here.find((x) => x.kind === 'member-renamed' && x.new === c.member);
          marks.push({ path: which === 'old' && renamed ? String(renamed.old) : c.member, cls: c.class });
        }
        styles.push(...markRules(id, svg, marks, pads));
      }
      body.push('</div></figure>');
      k++;
    }
    if (reps.length > drawn.length) body.push(`<p class="meta">${reps.length - drawn.length} more target${reps.length - drawn.length === 1 ? '' : 's'} with other changes not drawn.</p>`);
    body.push('</section>');
  }
  out.push(`<style>${STYLE}${styles.join('\n').replace(/<\//g, '<\\/')}</style></head><body>`);
  out.push(...body, '</body></html>');
  return `${out.join('\n')}\n`;
}
