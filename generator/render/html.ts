// `structgen layout --format html`: one self-contained page (no scripts, fonts or links): for each record its byte
// map (the SVG of svg.ts, inlined) and a table of every member at every depth with offset, size and type, and of the
// padding. Escaped: no text from a header can leave the element or attribute it is in. Pure: no Node built-ins.

import { walk } from '../layout/walk.js';
import { esc } from './escape.js';
import { fmtBits, freeEntries, nestingBudget, recordTitle, type RecordItem } from './model.js';
import { svgElement } from './svg.js';

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px; color: #222; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
p.meta { color: #555; margin: 0 0 18px; }
nav ol { columns: 3; font-size: 13px; }
section { margin: 28px 0 40px; }
h2 { font-size: 16px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
table { border-collapse: collapse; font-size: 12px; margin-top: 10px; }
th, td { border-bottom: 1px solid #e5e5e5; padding: 2px 10px 2px 0; text-align: left; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
td.n { text-align: right; }
tr.pad td { color: #888; font-style: italic; }
div.picture { overflow-x: auto; }
svg { display: block; }
`;

export function renderHtml(records: readonly RecordItem[]): string {
  const target = records[0]?.program.target.triple ?? '';
  const out: string[] = [];
  out.push('<!DOCTYPE html>');
  out.push('<html lang="en"><head><meta charset="utf-8">');
  out.push(`<title>${esc(`structgen layout: ${records.length} record${records.length === 1 ? '' : 's'} for ${target}`)}</title>`);
  out.push(`<style>${STYLE}</style></head><body>`);
  out.push(`<h1>Layouts for ${esc(target)}</h1>`);
  out.push(`<p class="meta">${records.length} record${records.length === 1 ? '' : 's'}; offsets in bytes (<code>byte:bit</code> for bit-fields).</p>`);
  if (records.length > 1) {
    out.push('<nav><ol>');
    records.forEach(({ record }, i) => out.push(`<li><a href="#r${i}">${esc(recordTitle(record))}</a></li>`));
    out.push('</ol></nav>');
  }
  const free = freeEntries(records.length);
  records.forEach((item, i) => {
    const { program, record } = item;
    out.push(`<section id="r${i}" class="record" data-name="${esc(record.name ?? record.cName)}">`);
    out.push(`<h2>${esc(recordTitle(record))}</h2>`);
    // drawn at its own size (never scaled down below the legible size of its labels), scrolled when wider
    out.push(`<div class="picture">${svgElement([item], { idPrefix: `sg${i}`, freeEntries: free })}</div>`);
    out.push('<table><thead><tr><th>member</th><th>type</th><th>offset</th><th>size</th></tr></thead><tbody>');
    // every member at every depth, as `layout --json` lists them (nested records within the same budget as the
    // picture: nesting that multiplies stays bounded)
    const budget = nestingBudget(free);
    let open: unknown = null;
    for (const e of walk(program, record, { enter: (x) => x === open })) {
      budget.tick();
      if (e.k !== 'member') continue;
      if (budget.enter(e.record)) open = e;
      const m = e.member;
      const where = m.bitfield ? `${Math.floor(e.bitOffset / 8)}:${e.bitOffset % 8}` : String(e.bitOffset / 8);
      const size = m.bitfield ? `${m.bitSize} bit${m.bitSize === 1 ? '' : 's'}` : m.bitSize === 0 ? 'flexible' : fmtBits(m.bitSize);
      out.push(`<tr><td>${'\u00a0\u00a0'.repeat(Math.min(e.depth, 40))}${esc(e.path)}</td><td>${esc(m.cType)}${m.bitfield ? ` : ${m.bitSize}` : ''}</td><td class="n">${where}</td><td class="n">${size}</td></tr>`);
    }
    for (const p of record.padding) {
      out.push(`<tr class="pad"><td>(${p.kind === 'tail' ? 'tail padding' : 'hole'})</td><td></td><td class="n">${Math.floor(p.bitOffset / 8)}${p.bitOffset % 8 ? `:${p.bitOffset % 8}` : ''}</td><td class="n">${fmtBits(p.bitSize)}</td></tr>`);
    }
    out.push('</tbody></table></section>');
  });
  out.push('</body></html>');
  return out.join('\n') + '\n';
}
