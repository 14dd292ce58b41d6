// Listings of every member at every depth (layout text and --json, the lock of check, C asserts) grow with the
// product of the nesting: a record of two records of two records ... doubles at each level, so 25 lines of header
// would list 67 million members. deepFieldCount counts them without walking (checked here against the walk on
// random nestings), and a record past MAX_DEEP_FIELDS is an error with its position, at once, instead of a run that
// never ends; the module of the same header is unaffected.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deepFieldCount, deepFields, MAX_DEEP_FIELDS } from '../../generator/layout/walk.js';
import { analyzeHeader } from '../../generator/pipeline.js';
import { run } from '../cli/run.js';

function header(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sg-deep-'));
  writeFileSync(path.join(dir, 'deep.h'), text);
  return { dir, file: path.join(dir, 'deep.h') };
}

/** `struct s0 { int a; int b; }; struct sN { struct sN-1 a; struct sN-1 b; };` up to `levels`. */
const doubling = (levels: number) => ['struct s0 { int a; int b; };', ...Array.from({ length: levels }, (_, i) => `struct s${i + 1} { struct s${i} a; struct s${i} b; };`)].join('\n') + '\n';

describe('deep field listings', () => {
  it('counts the deep fields as the walk lists them, on random nestings with arrays, bit-fields and anonymous members', () => {
    let seed = 20261207;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    for (let round = 0; round < 20; round++) {
      const lines: string[] = [];
      for (let r = 0; r < 8; r++) {
        const members: string[] = [];
        const n = 1 + rnd(4);
        for (let m = 0; m < n; m++) {
          const inner = r > 0 && rnd(2) ? `struct r${rnd(r)}` : 'int';
          switch (rnd(4)) {
            case 0: members.push(`${inner} m${m};`); break;
            case 1: members.push(`${inner} m${m}[${1 + rnd(3)}];`); break;
            case 2: members.push(inner === 'int' ? `int m${m} : ${1 + rnd(8)};` : `${inner} m${m};`); break;
            default: members.push(`union { ${inner} u${m}; long v${m}; };`);
          }
        }
        lines.push(`struct r${r} { ${members.join(' ')} };`);
      }
      const a = analyzeHeader(header(lines.join('\n') + '\n').file, {});
      expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      for (const rec of a.facts!.records) {
        if (!rec || rec.name === null) continue;
        expect(deepFieldCount(a.facts!, rec), `${lines.join('\n')}\n${rec.name}`).toBe([...deepFields(a.facts!, rec)].length);
      }
    }
  });

  it('reports a record too deep to list with its position, at once, from layout, layout --json, check and the C asserts', async () => {
    const { dir } = header(doubling(24));
    expect(2 ** 19 - 2).toBeLessThan(MAX_DEEP_FIELDS); // s18 (2^20 - 2 members) is the first one over
    for (const args of [['layout', 'deep.h'], ['layout', '--json', 'deep.h'], ['generate', 'deep.h', '-o', 'out', '--emit-c-asserts']]) {
      const r = await run(args, dir);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain('deep.h:19:1: error: struct s18 has 1,048,574 members when its nested records are expanded');
      expect(r.stderr).toContain('deep.h:25:1: error: struct s24 has 67,108,862 members');
      expect(r.stderr).not.toContain('s17 has');
    }
    writeFileSync(path.join(dir, 'structgen.config.json'), JSON.stringify({ headers: ['deep.h'], outDir: 'gen' }));
    const gen = await run(['generate'], dir);
    expect(gen.code, gen.stderr).toBe(0); // the modules hold one codec per record: linear
    const check = await run(['check'], dir);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('struct s24 has 67,108,862 members');
    // a record under the bound is still listed in full
    const one = await run(['layout', '--json', '--record', 's10', 'deep.h'], dir);
    expect(one.code, one.stderr).toBe(0);
    expect((JSON.parse(one.stdout) as { records: Array<{ fields: unknown[] }> }).records[0]!.fields).toHaveLength(2 ** 12 - 2);
  });
});
