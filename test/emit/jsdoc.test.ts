// The JSDoc of generated modules as an editor shows it (tsc's language service, getQuickInfoAtPosition): each member
// states its C type, byte offset and size; doc comments carried by the layout facts (the front end fills `doc` from
// C comments) appear on the type, the interface member, the view accessor, the enum, its members and constants, and
// hostile header text (`*/`, U+2028, backticks) cannot end a comment or break the module - with docs set on the
// facts by hand and with docs from the header's own C comments.

import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../generator/diagnostics.js';
import type { ProgramFacts } from '../../generator/layout/facts.js';
import { analyzeHeader } from '../../generator/pipeline.js';
import { planModules } from '../../generator/plan/plan.js';
import { emitModules, type EmittedFile } from '../../generator/emit/emit.js';
import { tempFile } from '../helpers/compiler.js';
import { typecheck } from '../helpers/generated.js';

const H = `
#include <stdint.h>
enum zone_kind { ZONE_UTC = 0, ZONE_LOCAL = 1 };
#define ZONE_MAX 8
struct zone {
  char name[6];
  uint16_t kind;
  int32_t gmtoff;
  uint8_t dst : 1;
};
`;

const HOSTILE = 'ends here */ export const pwned = 1; /* and `tick` and \u2028 line';

function withDocs(f: ProgramFacts): ProgramFacts {
  return {
    ...f,
    records: f.records.map((r) => r && r.name === 'zone' ? {
      ...r, doc: `A time zone.\n${HOSTILE}`,
      members: r.members.map((m) => ({ ...m, doc: m.name === 'gmtoff' ? 'GMT offset, seconds.' : m.name === 'name' ? HOSTILE : null })),
    } : r),
    enums: f.enums.map((e) => e && e.name === 'zone_kind' ? {
      ...e, doc: 'Kinds of zone.', values: e.values.map((v) => ({ ...v, doc: v.name === 'ZONE_LOCAL' ? `Local time ${HOSTILE}` : null })),
    } : e),
    constants: f.constants.map((c) => (c.name === 'ZONE_MAX' ? { ...c, doc: 'At most this many zones.' } : c)),
  };
}

function emitWithDocs(): EmittedFile[] {
  const a = analyzeHeader(tempFile('zone.h', H), { evaluateDefines: true });
  expect(hasErrors(a.diagnostics)).toBe(false);
  const plan = planModules([withDocs(a.facts!)]);
  return emitModules(plan, { version: 'test' });
}

/** Quick info (what an editor shows on hover) at the first `marker` in the file `use.ts`. */
function quickInfo(files: readonly EmittedFile[], use: string, marker: string): string {
  const dir = '/virtual';
  const all = new Map(files.map((f) => [path.join(dir, f.path), f.contents]));
  all.set(path.join(dir, 'use.ts'), use);
  const options: ts.CompilerOptions = { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], types: [] };
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [...all.keys()],
    getScriptVersion: () => '1',
    getScriptSnapshot: (f) => {
      const t = all.get(f) ?? (ts.sys.fileExists(f) ? ts.sys.readFile(f) : undefined);
      return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t);
    },
    getCurrentDirectory: () => dir,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => all.has(f) || ts.sys.fileExists(f),
    readFile: (f) => all.get(f) ?? ts.sys.readFile(f),
  };
  const ls = ts.createLanguageService(host);
  const at = use.indexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  const info = ls.getQuickInfoAtPosition(path.join(dir, 'use.ts'), at);
  return [ts.displayPartsToString(info?.displayParts), ts.displayPartsToString(info?.documentation)].join('\n');
}

/** The same kind of header with its docs as C comments: the front end fills the facts' doc slots. */
const COMMENTED = `
#include <stdint.h>
/** Kinds of zone. */
enum zone_kind { ZONE_UTC = 0, ZONE_LOCAL = 1 /**< Local time ${HOSTILE.replace('*/', '* /')} */ };
/** At most this many zones. */
#define ZONE_MAX 8
/**
 * A time zone.
 * ${HOSTILE.replace('*/', '* /')}
 */
struct zone {
  char name[6]; // ${HOSTILE}
  uint16_t kind;
  int32_t gmtoff; /* GMT offset, seconds. */
  uint8_t dst : 1;
};
`;

function emitFromComments(): EmittedFile[] {
  const a = analyzeHeader(tempFile('zone.h', COMMENTED), { evaluateDefines: true });
  expect(hasErrors(a.diagnostics)).toBe(false);
  return emitModules(planModules([a.facts!]), { version: 'test' });
}

/** A user's file that touches the module's type, members, view accessors, enum and constant. */
const USE = [
  "import { zone, zone_kind, ZONE_MAX, type zoneView } from './zone.js';",
  'declare const z: zone; declare const v: zoneView;',
  'export const a = z.gmtoff + v.gmtoff + z.kind + ZONE_MAX + zone_kind.ZONE_LOCAL;',
  'export const b = z.name + v.dst;',
  'export type T = zone;',
].join('\n');

describe('JSDoc of generated modules', () => {
  it('C comments of the header reach the generated module', async () => {
    const files = emitFromComments();
    expect(await typecheck(files)).toEqual([]);
    const use = USE;
    expect(quickInfo(files, use, 'gmtoff + v')).toContain('GMT offset, seconds.\nint32_t, bytes 8-11.');
    expect(quickInfo(files, use, 'gmtoff + z.kind')).toContain('GMT offset, seconds.');
    expect(quickInfo(files, use, 'kind + ZONE')).not.toContain('GMT');
    expect(quickInfo(files, use, 'ZONE_MAX +')).toContain('At most this many zones.');
    expect(quickInfo(files, use, 'ZONE_LOCAL;')).toContain('Local time ends here * / export const pwned = 1;');
    expect(quickInfo(files, use, 'zone_kind.')).toContain('Kinds of zone.');
    expect(quickInfo(files, use, 'name +')).toContain('ends here *\\/ export const pwned = 1;');
    const type = quickInfo(files, use, 'zone;');
    expect(type).toContain('A time zone.');
    expect(type).toContain('struct zone, decoded: 16 bytes, align 4.');
  });

  it('hostile text in a header comment stays inside the generated comment', () => {
    const mod = emitFromComments().find((f) => f.path === 'zone.ts')!.contents;
    expect(mod).not.toMatch(/^\s*export const pwned/m);
    expect(mod).not.toContain('\u2028');
    const code = mod.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    expect(code).not.toContain('pwned');
  });

  it('members state C type, offset and size; docs from facts reach the type, members, view accessors, enums and constants', async () => {
    const files = emitWithDocs();
    expect(await typecheck(files)).toEqual([]);
    const use = USE;
    const member = quickInfo(files, use, 'gmtoff + v');
    expect(member).toMatch(/\(property\) zone\.gmtoff: number/);
    expect(member).toContain('GMT offset, seconds.\nint32_t, bytes 8-11.');
    expect(quickInfo(files, use, 'gmtoff + z.kind')).toContain('GMT offset, seconds.\nint32_t, bytes 8-11.'); // the view getter
    expect(quickInfo(files, use, 'kind + ZONE')).toContain('uint16_t, bytes 6-7.');
    expect(quickInfo(files, use, 'dst;')).toContain('uint8_t : 1 at byte 12, bit 0.');
    expect(quickInfo(files, use, 'ZONE_MAX +')).toContain('At most this many zones.');
    expect(quickInfo(files, use, 'ZONE_LOCAL;')).toContain('Local time ends here *\\/ export const pwned = 1;');
    const type = quickInfo(files, use, 'zone;');
    expect(type).toContain('A time zone.');
    expect(type).toContain('struct zone, decoded: 16 bytes, align 4.');
  });

  it('hostile header text stays inside its comment', () => {
    const files = emitWithDocs();
    const mod = files.find((f) => f.path === 'zone.ts')!.contents;
    expect(mod).not.toMatch(/^\s*export const pwned/m);
    expect(mod).not.toContain('\u2028');
    expect(mod).toContain('and \\`tick\\` and');
    const code = mod.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    expect(code).not.toContain('pwned');
  });
});
