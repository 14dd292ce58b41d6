// `structgen layout --format text|svg|html|rfc` and `--packable`: the views of generator/render/ over the layout
// facts of the named headers (the records each header defines, as `layout --json` lists them). main.ts registers the
// options and resolves the shared ones; this file does the rest. (`--format json` stays in commands.ts, but for
// the records `--record` picks.)

import { analyzeHeader, VERSION, type HeaderAnalysis, type PipelineOptions } from '../pipeline.js';
import { LexCache } from '../preprocess/preprocess.js';
import { layoutItems, renderView, type ViewFormat } from '../render/views.js';
import { packingAdvice, formatAdvice } from './packable.js';
import { printDiagnostics, type Io } from './decode-cmd.js';
import { pickLayoutItems } from './record-select.js';
import { reportRecord } from '../layout/report.js';

export { layoutItems, renderView, type ViewFormat } from '../render/views.js';

/** `records`: `--record` patterns (the records they name, wherever defined), or none (the headers' own records). */
export function runLayoutView(headers: readonly string[], opts: PipelineOptions, format: ViewFormat | 'json', packable: boolean, io: Io, records: readonly string[] = []): number {
  const cache = new LexCache();
  const analyses = headers.map((h) => analyzeHeader(h, { ...opts, cache }));
  const code = printDiagnostics(analyses.flatMap((a) => a.diagnostics), io);
  if (code) return code;
  const items = records.length ? pickLayoutItems(analyses.map((a) => a.facts!), records, headers.join(', ')) : layoutItems(analyses);
  if (format === 'json') {
    const report = { tool: 'structgen', version: VERSION, target: analyses[0]?.target.triple ?? '', records: items.map((i) => reportRecord(i.program, i.record)) };
    io.out(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  if (packable) {
    const advice = packingAdvice(items, opts, cache);
    io.out(formatAdvice(advice, items[0]?.program.target.triple ?? ''));
    return 0;
  }
  io.out(renderView(items, format, { color: format === 'text' && io.color, target: analyses[0]?.target.triple ?? '', version: VERSION }));
  return 0;
}
