// Choosing records (CONTRACTS.md "Choosing records and constants"): a header that defines nothing itself says where
// its records are; `records` selects by name or /regex/ wherever a record is defined, and the match lands in the
// module of the header it was selected through.

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { generateModules } from '../../generator/pipeline.js';
import { tempFile } from '../helpers/compiler.js';

const UTMP = '/usr/include/utmp.h';

describe('choosing records', () => {
  it.skipIf(!existsSync(UTMP))('utmp.h defines no record itself: a warning names what its includes define', () => {
    const run = generateModules([UTMP]);
    const w = run.diagnostics.filter((d) => d.severity === 'warning' && d.code === 'plan-empty-module');
    expect(w.map(formatDiagnostic)).toEqual([expect.stringMatching(/utmp\.h defines no record itself; the headers it includes define .*\butmp\b.*--records/)]);
    expect(run.files.find((f) => f.path === 'utmp.ts')!.contents).not.toContain('export const utmp: ');
  });

  it.skipIf(!existsSync(UTMP))('records: ["utmp", "/^exit_/"] emits them in utmp.ts, with what they use', () => {
    const run = generateModules([UTMP], { records: ['utmp', '/^exit_/'] });
    expect(run.diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
    const mod = run.files.find((f) => f.path === 'utmp.ts')!.contents;
    expect(mod).toContain('export const utmp: ');
    expect(mod).toContain('export const exit_status: ');
    expect(mod).not.toContain('export const lastlog: ');
  });

  it('a selection that matches nothing says so; one that matches a record of the header itself keeps only it', () => {
    const h = tempFile('sel.h', 'struct a { int x; };\nstruct b { struct a in; char c; };\nstruct c { int y; };\n');
    const none = generateModules([h], { records: ['/^zz/'] });
    expect(none.diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/sel\.h: no record matches the selection; records here include: a, b, c$/)]);
    const some = generateModules([h], { records: ['b'] });
    const mod = some.files.find((f) => f.path === 'sel.ts')!.contents;
    expect(mod).toContain('export const b: ');
    expect(mod).toContain('export const a: '); // b uses it
    expect(mod).not.toContain('export const c: ');
  });
});
