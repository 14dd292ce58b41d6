// `structgen layout`: the records of one target, as `--json` data (LayoutReport) or as one of the views of
// generator/render/ (text, svg, html, rfc). By default the records the headers define, each once; `select` picks
// others (`--record`). Reads the facts only.

import { VERSION } from '../../core/version.js';
import { reportRecord, type LayoutReport } from '../../layout/report.js';
import { oversizedListings } from '../../layout/walk.js';
import type { RecordItem } from '../../render/model.js';
import { layoutItems, renderView, type ViewFormat } from '../../render/views.js';
import type { HeaderAnalysis } from '../analyze.js';
import type { Output } from '../output.js';

export interface LayoutSelection {
  /** The records shown; default: those the headers define (a header included by an earlier one does not list them
   * again). */
  readonly select?: (analyses: readonly HeaderAnalysis[]) => readonly RecordItem[];
}

export const layoutReport: Output<LayoutSelection, LayoutReport> = {
  title: 'layout report',
  run(ctx, opts) {
    const items = (opts.select ?? layoutItems)(ctx.analyses);
    // a record too deep to list is an error (the output is then null), not an endless run
    const over = items.flatMap((i) => oversizedListings(i.program, [i.record]));
    ctx.report(...over);
    return { tool: 'structgen', version: VERSION, target: ctx.triple, records: over.length ? [] : items.map((i) => reportRecord(i.program, i.record)) };
  },
};

export interface ViewOptions extends LayoutSelection {
  readonly format: ViewFormat;
  /** ANSI colours (the text view on a terminal). */
  readonly color?: boolean;
}

export const layoutView: Output<ViewOptions, string> = {
  title: 'layout view',
  run(ctx, opts) {
    const items = (opts.select ?? layoutItems)(ctx.analyses);
    // the text view lists every member at every depth; the pictures draw a nested record's members within its box
    const over = opts.format === 'text' ? items.flatMap((i) => oversizedListings(i.program, [i.record])) : [];
    ctx.report(...over);
    if (over.length) return '';
    return renderView(items, opts.format, { color: opts.color === true, target: ctx.triple, version: VERSION });
  },
};
