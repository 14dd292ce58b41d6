// `structgen layout --format text|svg|html|rfc` and `--packable`: the views of generator/render/ over the layout
// facts of the named headers (the records each header defines, as `layout --json` lists them). main.ts registers the
// options and resolves the shared ones; this file does the rest. (`--format json` stays in main.ts.)

import { headerRecordFacts, reportRecord } from '../layout/report.js';
import { analyzeHeader, VERSION, type HeaderAnalysis, type PipelineOptions } from '../pipeline.js';
import { LexCache } from '../preprocess/preprocess.js';
import type { RecordItem } from '../render/model.js';
import { renderHtml } from '../render/html.js';
import { renderRfc } from '../render/rfc.js';
import { renderSvg } from '../render/svg.js';
import { formatReport } from '../render/text.js';
import { packingAdvice, formatAdvice } from './packable.js';
import { printDiagnostics, type Io } from './decode-cmd.js';

export type ViewFormat = 'text' | 'svg' | 'html' | 'rfc';

/** The records the headers define, each once (a header included by another is listed by the first that defines it). */
export function layoutItems(analyses: readonly HeaderAnalysis[]): RecordItem[] {
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

/** A view as a string, for the API and the golden tests. */
export function renderView(items: readonly RecordItem[], format: ViewFormat, opts: { color?: boolean; target?: string } = {}): string {
  switch (format) {
    case 'svg': return renderSvg(items);
    case 'html': return renderHtml(items);
    case 'rfc': return renderRfc(items);
    case 'text': return formatReport({
      tool: 'structgen', version: VERSION, target: items[0]?.program.target.triple ?? opts.target ?? '',
      records: items.map((i) => reportRecord(i.program, i.record)),
    }, { color: opts.color === true });
  }
}

export function runLayoutView(headers: readonly string[], opts: PipelineOptions, format: ViewFormat, packable: boolean, io: Io): number {
  const cache = new LexCache();
  const analyses = headers.map((h) => analyzeHeader(h, { ...opts, cache }));
  const code = printDiagnostics(analyses.flatMap((a) => a.diagnostics), io);
  if (code) return code;
  const items = layoutItems(analyses);
  if (packable) {
    const advice = packingAdvice(items, opts, cache);
    io.out(formatAdvice(advice, items[0]?.program.target.triple ?? ''));
    return 0;
  }
  io.out(renderView(items, format, { color: format === 'text' && io.color, target: analyses[0]?.target.triple ?? '' }));
  return 0;
}
