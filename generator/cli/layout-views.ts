// `structgen layout --format text|svg|html|rfc` and `--packable`: the views of generator/render/ over the layout
// facts of the named headers (the records each header defines, as `layout --json` lists them), asked of the project
// (project/outputs/layout.ts). main.ts registers the options and resolves the shared ones; this file does the rest.
// (`--format json` stays in commands.ts.)

import type { Project } from '../project/project.js';
import { layoutItems, type ViewFormat } from '../render/views.js';
import { packingAdvice, formatAdvice } from './packable.js';
import { printDiagnostics, type Io } from './decode-cmd.js';

export { layoutItems, renderView, type ViewFormat } from '../render/views.js';

export function runLayoutView(project: Project, target: string, format: ViewFormat, packable: boolean, io: Io): number {
  const analyses = project.analyses(target);
  const code = printDiagnostics(project.diagnostics, io);
  if (code) return code;
  if (packable) {
    const items = layoutItems(analyses);
    const advice = packingAdvice(items, { ...project.options, target }, project.cache);
    io.out(formatAdvice(advice, items[0]?.program.target.triple ?? ''));
    return 0;
  }
  io.out(project.output('layoutView', target, { format, color: format === 'text' && io.color }) ?? '');
  return 0;
}
