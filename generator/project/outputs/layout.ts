// `structgen layout`: the records the headers define on one target, as `--json` data (LayoutReport) or as one of the
// views of generator/render/ (text, svg, html, rfc). Reads the facts only.

import { VERSION } from '../../core/version.js';
import type { LayoutReport, RecordReport } from '../../layout/report.js';
import { layoutItems, renderView, type ViewFormat } from '../../render/views.js';
import { headerRecords } from '../analyze.js';
import type { Output } from '../output.js';

/** Every record of every header, each once (a header included by an earlier one does not list it again). */
export const layoutReport: Output<Record<string, never>, LayoutReport> = {
  title: 'layout report',
  run(ctx) {
    const records: RecordReport[] = [];
    const seen = new Set<string>();
    for (const a of ctx.analyses) {
      for (const r of headerRecords(a)) {
        const key = `${r.file}:${r.line}:${r.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        records.push(r);
      }
    }
    return { tool: 'structgen', version: VERSION, target: ctx.triple, records };
  },
};

export interface ViewOptions {
  readonly format: ViewFormat;
  /** ANSI colours (the text view on a terminal). */
  readonly color?: boolean;
}

export const layoutView: Output<ViewOptions, string> = {
  title: 'layout view',
  run(ctx, opts) {
    return renderView(layoutItems(ctx.analyses), opts.format, { color: opts.color === true, target: ctx.triple, version: VERSION });
  },
};
