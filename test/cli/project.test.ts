// The project layer through the Node API: each header analysed once per target (one lexing cache: every file read
// once), outputs asked by name from one set of analyses, the facts of two versions of a project read through two
// hosts (what `structgen diff` compares), and every name the API exported before it still exported.

import { describe, expect, it } from 'vitest';
import * as api from '../../generator/index.js';
import { memoryHost } from '../../generator/core/host.js';

const V1 = {
  'inc/common.h': '#include <stdint.h>\nstruct hdr { uint16_t kind; uint16_t len; };\n',
  'a.h': '#include "inc/common.h"\nstruct a { struct hdr h; int64_t when; };\n',
  'b.h': '#include "inc/common.h"\nstruct b { struct hdr h; char c; };\n',
};
const TARGETS = ['x86_64-linux-gnu', 'i386-linux-gnu', 'powerpc-linux-gnu'];

function counting(files: { [p: string]: string }) {
  const reads = new Map<string, number>();
  const m = memoryHost(files);
  return { reads, host: { ...m, readFile: (p: string) => { reads.set(p, (reads.get(p) ?? 0) + 1); return m.readFile(p); } } };
}

describe('the project layer', () => {
  it('reads every file once, whatever the number of headers, targets and outputs asked', () => {
    const { reads, host } = counting(V1);
    const p = new api.Project({ headers: ['a.h', 'b.h'], targets: TARGETS, host }, api.nodeEnv);
    const files = p.files([{ output: 'modules' }, { output: 'cAsserts' }])!;
    // several targets: a folder each; the records both headers use (struct hdr) in the shared module
    expect(files.map((f) => f.path).filter((f) => f.startsWith('i386-linux-gnu/')).sort().map((f) => f.replace(/included-[0-9a-f]+/, 'included')))
      .toEqual(['i386-linux-gnu/a.asserts.c', 'i386-linux-gnu/a.asserts.ts', 'i386-linux-gnu/a.ts', 'i386-linux-gnu/b.asserts.c', 'i386-linux-gnu/b.asserts.ts', 'i386-linux-gnu/b.ts',
        'i386-linux-gnu/included.asserts.ts', 'i386-linux-gnu/included.ts', 'i386-linux-gnu/structgen-runtime.ts']);
    const sizes = TARGETS.map((t) => p.output('layoutReport', t)!.records.find((r) => r.name === 'a')!.size);
    // int64_t is 4-byte aligned on i386, 8 on x86_64 and powerpc
    expect(sizes).toEqual([16, 12, 16]);
    for (const t of TARGETS) expect(p.output('lock', t)!.lock.records.b!.size).toBe(6);
    expect([...reads.values()].every((n) => n === 1), JSON.stringify([...reads])).toBe(true);
    // (the host's system folders are searched for <stdint.h> too, which the map does not have: structgen's own is used)
    expect([...reads.keys()].filter((f) => f in V1).sort()).toEqual(['a.h', 'b.h', 'inc/common.h']);
    expect(p.diagnostics).toEqual([]);
  });

  it('an output on a target whose headers have errors is null, and the errors are reported once', () => {
    const p = new api.Project({ headers: ['bad.h'], targets: ['x86_64-linux-gnu'], host: memoryHost({ 'bad.h': 'struct s { u32 x; };\n' }) }, api.nodeEnv);
    expect(p.output('layoutReport', 'x86_64-linux-gnu')).toBeNull();
    expect(p.files([{ output: 'modules' }])).toBeNull();
    expect(p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual(["unknown type name 'u32'"]);
  });

  it('projectFacts: two versions of the files through two hosts, each header on each target once', () => {
    const v2 = { ...V1, 'inc/common.h': V1['inc/common.h'].replace('uint16_t len', 'uint32_t len') };
    const facts = (files: { [p: string]: string }) => api.projectFacts({ headers: ['a.h', 'b.h'], targets: ['x86_64-linux-gnu', 'i386-linux-gnu'], host: memoryHost(files) });
    const sizeOf = (f: api.ProjectFacts, target: number, header: number, name: string) => f.targets[target]!.headers[header]!.facts!.records.find((r) => r?.name === name)!.size;
    const [old, now] = [facts(V1), facts(v2)];
    expect(old.targets.map((t) => t.triple)).toEqual(['x86_64-linux-gnu', 'i386-linux-gnu']);
    expect(old.targets[0]!.headers.map((h) => h.header)).toEqual(['a.h', 'b.h']);
    // hdr grows from 4 to 8 bytes: b from 6 to 12 (uint32_t-aligned), a from 16 to 16 on x86_64 and 12 to 16 on i386
    expect([sizeOf(old, 0, 1, 'b'), sizeOf(now, 0, 1, 'b'), sizeOf(old, 1, 0, 'a'), sizeOf(now, 1, 0, 'a')]).toEqual([6, 12, 12, 16]);
  });

  it('the API still exports every name it did', () => {
    const names = ['analyzeHeader', 'headerRecords', 'layoutHeaders', 'layout', 'generateModules', 'generate', 'VERSION', 'buildProject', 'checkProject',
      'check', 'diffTarget', 'formatLock', 'lockTarget', 'parseLock', 'cAssertSource', 'verifyHeaders', 'verify', 'formatDiagnostic', 'DiagnosticError',
      'findTarget', 'knownTriples', 'TARGETS', 'LexCache'];
    expect(names.filter((n) => (api as { [k: string]: unknown })[n] === undefined)).toEqual([]);
    const built = api.buildProject({ headers: ['a.h'], targets: ['i386-linux-gnu'], host: memoryHost(V1) });
    expect(Object.keys(built.lock.targets)).toEqual(['i386-linux-gnu']);
    expect(built.files.map((f) => f.path)).toContain('a.ts');
  });
});
