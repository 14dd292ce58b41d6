// `structgen layout` (every format) and `--packable`: the views of generator/render/ over the layout facts of the
// named headers, asked of the project (project/outputs/layout.ts): the records each header defines, as `layout
// --json` lists them, or those `--record` picks wherever they are defined. main.ts registers the options and
// resolves the shared ones; this file does the rest.

import type { Project } from '../project/project.js';
import type { HeaderAnalysis } from '../project/analyze.js';
import { layoutItems, type ViewFormat } from '../render/views.js';
import { packingAdvice, formatAdvice } from './packable.js';
import { printDiagnostics, type Io } from './decode-cmd.js';
import { pickLayoutItems } from './record-select.js';

export { layoutItems, renderView, type ViewFormat } from '../render/views.js';

/** `records`: `--record` patterns (the records they name, wherever defined), or none (the headers' own records). */
export function runLayoutView(project: Project, target: string, format: ViewFormat | 'json', packable: boolean, io: Io, records: readonly string[] = []): number {
  const analyses = project.analyses(target);
  const code = printDiagnostics(project.diagnostics, io);
  if (code) return code;
  const select = (as: readonly HeaderAnalysis[]) => (records.length ? pickLayoutItems(as.map((a) => a.facts!), records, project.options.headers.join(', ')) : layoutItems(as));
  // what an output reports (a record too deep to list) comes after the analyses' diagnostics, printed above
  const shown = project.diagnostics.length;
  const outputCode = () => printDiagnostics(project.diagnostics.slice(shown), io);
  if (format === 'json') {
    const json = project.output('layoutReport', target, { select });
    const failed = outputCode();
    if (failed || !json) return failed || 1;
    io.out(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  if (packable) {
    const items = select(analyses);
    const advice = packingAdvice(items, { ...project.options, target }, project.cache);
    io.out(formatAdvice(advice, items[0]?.program.target.triple ?? ''));
    return 0;
  }
  const view = project.output('layoutView', target, { format, color: format === 'text' && io.color, select });
  const failed = outputCode();
  if (failed || view === null) return failed || 1;
  io.out(view);
  return 0;
}
