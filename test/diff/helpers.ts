// Two versions of a header analysed on some targets through an in-memory host, compared by generator/diff/.

import { memoryHost } from '../../generator/core/host.js';
import { hasErrors } from '../../generator/diagnostics.js';
import { diffLayouts, type DiffReport } from '../../generator/diff/diff.js';
import type { DiffChange } from '../../generator/diff/types.js';
import { analyzeHeader } from '../../generator/pipeline.js';

export const PRELUDE = '#include <stdint.h>\n';

/** Every kind of change a report of this test run held (a test checks that each kind was seen). */
export const seenKinds = new Set<string>();

/** The report for `old` -> `now` (header texts; more files by path), on the targets. */
export function diffTexts(old: string, now: string, targets: readonly string[] = ['x86_64-linux-gnu'],
  files: { old?: { [p: string]: string }; now?: { [p: string]: string }; header?: string } = {}): DiffReport {
  const header = files.header ?? '/v/x.h';
  const side = (text: string, extra: { [p: string]: string } | undefined, t: string) => {
    const a = analyzeHeader(header, { target: t, host: memoryHost({ [header]: text, ...extra }), evaluateDefines: true });
    if (hasErrors(a.diagnostics)) throw new Error(a.diagnostics.map((d) => d.message).join('\n'));
    return [a.facts!];
  };
  const r = diffLayouts(targets.map((t) => ({ triple: t, old: side(old, files.old, t), new: side(now, files.now, t) })));
  for (const c of r.changes) seenKinds.add(c.kind);
  return r;
}

/** The changes as `kind class record.member [scope]` lines, for compact assertions. */
export function brief(changes: readonly DiffChange[]): string[] {
  return changes.map((c) => `${c.kind} ${c.class} ${[c.record ?? c.enum, c.member ?? c.constant].filter((x) => x !== undefined).join('.')}${c.scope ? ` [${c.scope}]` : ''}`);
}
