// The views of a layout as strings (`layout --format text|svg|html|rfc`), over the layout facts of analysed headers.
// Portable: the CLI (cli/layout-views.ts) and the browser entry (browser.ts) both call these.

import { headerRecordFacts, reportRecord } from '../layout/report.js';
import type { ProgramFacts } from '../layout/facts.js';
import { VERSION } from '../core/version.js';
import type { RecordItem } from './model.js';
import { renderHtml } from './html.js';
import { renderRfc } from './rfc.js';
import { renderSvg } from './svg.js';
import { formatReport } from './text.js';

export type ViewFormat = 'text' | 'svg' | 'html' | 'rfc';

/** The records the headers define, each once (a header included by another is listed by the first that defines it). */
export function layoutItems(analyses: readonly { readonly facts: ProgramFacts | null }[]): RecordItem[] {
  const seen = new Set<string>();
  const out: RecordItem[] = [];
  for (const a of analyses) {
    if (!a.facts) continue;
    for (const r of headerRecordFacts(a.facts)) {
      const key = `${r.pos.file}:${r.pos.line}:${r.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ program: a.facts, record: r });
    }
  }
  return out;
}

/** A view as a string, for the API, the browser entry and the golden tests. */
export function renderView(items: readonly RecordItem[], format: ViewFormat, opts: { color?: boolean; target?: string; version?: string } = {}): string {
  switch (format) {
    case 'svg': return renderSvg(items);
    case 'html': return renderHtml(items);
    case 'rfc': return renderRfc(items);
    case 'text': return formatReport({
      tool: 'structgen', version: opts.version ?? VERSION, target: items[0]?.program.target.triple ?? opts.target ?? '',
      records: items.map((i) => reportRecord(i.program, i.record)),
    }, { color: opts.color === true });
  }
}
