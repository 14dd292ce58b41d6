// The renderers (generator/render/) and the value interpreter (generator/decode/) run in a browser too (the
// playground): nothing they import, directly or through other modules, may be a Node built-in or a package. Type-only
// imports are erased and do not count.

import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

/** Specifiers a module imports at run time (not `import type`, not `export type`). */
function runtimeImports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/^\s*(import|export)\s+(type\s+)?([^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
    if (m[2]) continue;
    if (m[1] === 'export' && !m[3]) continue;
    out.push(m[4]!);
  }
  return out;
}

describe('render/ and decode/ are pure', () => {
  for (const dir of ['generator/render', 'generator/decode']) {
    it(`${dir}: no Node built-ins or packages, transitively`, () => {
      const seen = new Set<string>();
      const stack = readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.ts')).map((f) => path.join(ROOT, dir, f));
      const bad: string[] = [];
      while (stack.length) {
        const f = stack.pop()!;
        if (seen.has(f)) continue;
        seen.add(f);
        for (const spec of runtimeImports(f)) {
          if (spec.startsWith('.')) { stack.push(path.resolve(path.dirname(f), spec.replace(/\.js$/, '.ts'))); continue; }
          bad.push(`${path.relative(ROOT, f)} imports '${spec}'${spec.startsWith('node:') || builtinModules.includes(spec) ? ' (a Node built-in)' : ''}`);
        }
      }
      expect(bad).toEqual([]);
      expect(seen.size).toBeGreaterThanOrEqual(3);
    });
  }
});
