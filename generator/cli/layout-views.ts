// `structgen layout --format text|svg|html|rfc` and `--packable`: the views of generator/render/ over the layout
// facts of the named headers (the records each header defines, as `layout --json` lists them). main.ts registers the
// options and resolves the shared ones; this file does the rest. (`--format json` stays in main.ts.)

import { analyzeHeader, VERSION, type HeaderAnalysis, type PipelineOptions } from '../pipeline.js';
import { LexCache } from '../preprocess/preprocess.js';
import { layoutItems, renderView, type ViewFormat } from '../render/views.js';
import { packingAdvice, formatAdvice } from './packable.js';
import { printDiagnostics, type Io } from './decode-cmd.js';

export { layoutItems, renderView, type ViewFormat } from '../render/views.js';

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
  io.out(renderView(items, format, { color: format === 'text' && io.color, target: analyses[0]?.target.triple ?? '', version: VERSION }));
  return 0;
}
