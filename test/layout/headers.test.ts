// Every example header in headers/ laid out by structgen equals clang-16's layout, on every target this
// project claims exact so far.

import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TARGETS } from '../../generator/target/index.js';
import { checkAgainstClang, HAVE_CLANG } from '../helpers/compiler.js';

const HEADERS = path.resolve(__dirname, '../../headers');
const headers = readdirSync(HEADERS).filter((f) => f.endsWith('.h')).sort();

describe.skipIf(!HAVE_CLANG)('example headers against clang-16', () => {
  it('there are example headers', () => expect(headers.length).toBeGreaterThanOrEqual(6));
  for (const triple of TARGETS.map((t) => t.triple)) {
    for (const h of headers) {
      it(`${h} on ${triple}`, () => {
        const { analysis, comparison, clangOk, clangStderr } = checkAgainstClang(path.join(HEADERS, h), triple);
        expect(clangOk, clangStderr).toBe(true);
        expect(analysis.diagnostics).toEqual([]);
        expect(comparison.mismatches).toEqual([]);
        expect(comparison.missing).toEqual([]);
        expect(comparison.compared).toBeGreaterThan(0);
      });
    }
  }
});
