// The lock file's entry of one target (`structgen check`): the layouts of the records and the enums the headers
// define, with where each is declared (for check's diagnostics). Reads the facts only.

import { lockTarget, type TargetLayouts } from '../../check/lock.js';
import type { Output } from '../output.js';

export const lock: Output<Record<string, never>, TargetLayouts> = {
  title: 'lock file entry',
  run(ctx) {
    return lockTarget(ctx.analyses.map((a) => a.facts), ctx.options.displayPath ?? ((h) => h));
  },
};
