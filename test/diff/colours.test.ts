// Pictures in the diff's HTML colour a member by its name, not its position: after a member is inserted, the members
// that did not change keep the fill they had before, so the eye finds them on both sides (a position-based palette
// gave every member after the insertion another colour and read as if all of them had changed).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffLayouts, projectFacts, renderDiffHtml, type TargetSides } from '../../generator/index.js';

function version(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sg-diff-colours-'));
  writeFileSync(path.join(dir, 'msg.h'), text);
  return path.join(dir, 'msg.h');
}

/** The fill of each top-level member's box in one side's picture, by access path. */
function fills(side: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of side.matchAll(/<g class="box member[^"]*" data-kind="[^"]*" data-path="([^"]+)"[^>]*>[\s\S]*?fill="([^"]+)"/g)) {
    if (!out.has(m[1]!)) out.set(m[1]!, m[2]!);
  }
  return out;
}

describe('diff pictures', () => {
  it('give a member the same colour on both sides after an insertion before it', () => {
    const targets = ['x86_64-linux-gnu'];
    const old = projectFacts({ headers: [version('struct msg { int a; short b; char c; long d; };\n')], targets });
    const now = projectFacts({ headers: [version('struct msg { int a; int extra; short b; char c; long d; };\n')], targets });
    const sides: TargetSides[] = old.targets.map((t, i) => ({
      triple: t.triple, old: t.headers.map((h) => h.facts!), new: now.targets[i]!.headers.map((h) => h.facts!),
    }));
    const html = renderDiffHtml(diffLayouts(sides));
    const before = fills(/data-side="old"[\s\S]*?<\/svg>/.exec(html)![0]);
    const after = fills(/data-side="new"[\s\S]*?<\/svg>/.exec(html)![0]);
    expect([...before.keys()]).toEqual(['a', 'b', 'c', 'd']);
    expect([...after.keys()]).toEqual(['a', 'extra', 'b', 'c', 'd']);
    for (const m of ['a', 'b', 'c', 'd']) expect(after.get(m), m).toBe(before.get(m));
    // the new member is told apart from its neighbours
    expect(after.get('extra')).not.toBe(after.get('a'));
    expect(after.get('extra')).not.toBe(after.get('b'));
  });
});
