// The diff through the package's API: two versions' facts from the project layer (projectFacts), compared by
// diffLayouts and formatted by the exported formatters, as a build script would use it without the CLI.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffLayouts, failsAt, formatDiffJson, projectFacts, type TargetSides } from '../../generator/index.js';

function version(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sg-diff-api-'));
  writeFileSync(path.join(dir, 'msg.h'), text);
  return path.join(dir, 'msg.h');
}

describe('diff API', () => {
  it('compares the project facts of two versions on two targets', () => {
    const targets = ['x86_64-linux-gnu', 'i386-linux-gnu'];
    const old = projectFacts({ headers: [version('struct msg { int a; long b; };\n')], targets });
    const now = projectFacts({ headers: [version('struct msg { char pad; int a; long b; };\n')], targets });
    expect(old.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const sides: TargetSides[] = old.targets.map((t, i) => ({
      triple: t.triple, old: t.headers.map((h) => h.facts!), new: now.targets[i]!.headers.map((h) => h.facts!),
    }));
    const report = diffLayouts(sides);
    expect(failsAt(report.changes, 'breaking')).toBe(true);
    const json = JSON.parse(formatDiffJson(report)) as { changes: Array<{ class: string; record?: string; member?: string; targets: string[] }> };
    // a moves from byte 0 to byte 4 on both targets: one breaking change naming both
    const moved = json.changes.find((c) => c.member === 'a');
    expect(moved).toMatchObject({ class: 'breaking', record: 'msg' });
    expect([...moved!.targets].sort()).toEqual([...targets].sort());
    expect(json.changes.some((c) => c.member === 'pad')).toBe(true);
  });
});
