// The lock file's entry of one target (`structgen check`): the layouts of the records and the enums the headers
// define, with where each is declared (for check's diagnostics). Reads the facts only.

import { lockTarget, type TargetLayouts } from '../../check/lock.js';
import { oversizedListings } from '../../layout/walk.js';
import type { Output } from '../output.js';

export const lock: Output<Record<string, never>, TargetLayouts> = {
  title: 'lock file entry',
  run(ctx) {
    // the lock lists every member at every depth: a record too deep to list is an error, not an endless run
    const over = ctx.analyses.flatMap((a) => (a.facts ? oversizedListings(a.facts, a.facts.records) : []));
    if (over.length) { ctx.report(...over); return lockTarget([], ctx.options.displayPath ?? ((h) => h)); }
    return lockTarget(ctx.analyses.map((a) => a.facts), ctx.options.displayPath ?? ((h) => h));
  },
};
