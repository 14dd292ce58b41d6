// Golden files of every view (svg, html, rfc, text) over the project's headers/*.h, kept fresh like generated/: the
// views are rendered again and compared byte for byte with test/render/golden/. `npm run golden:pictures` (or
// STRUCTGEN_UPDATE_GOLDEN=1) rewrites them. Rendering twice gives the same bytes (no timestamps, no random ids).

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../generator/diagnostics.js';
import { layoutItems, renderView, type ViewFormat } from '../../generator/cli/layout-views.js';
import { analyzeHeader } from '../../generator/pipeline.js';
import { renderSvg } from '../../generator/render/svg.js';

const ROOT = path.resolve(__dirname, '../..');
const GOLDEN = path.join(ROOT, 'test/render/golden');
const UPDATE = !!process.env.STRUCTGEN_UPDATE_GOLDEN;
const HEADERS = readdirSync(path.join(ROOT, 'headers')).filter((f) => f.endsWith('.h')).sort();
const EXT: { [k in ViewFormat]: string } = { svg: 'svg', html: 'html', rfc: 'rfc.txt', text: 'txt' };

/** Header paths as the repository names them (relative to its root), so the files do not depend on the checkout. */
function items(h: string) {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const a = analyzeHeader(`headers/${h}`);
    if (hasErrors(a.diagnostics)) throw new Error(a.diagnostics.map((d) => d.message).join('\n'));
    return layoutItems([a]);
  } finally {
    process.chdir(cwd);
  }
}

describe('golden views of headers/*.h', () => {
  if (UPDATE) mkdirSync(GOLDEN, { recursive: true });
  for (const h of HEADERS) {
    for (const format of ['svg', 'html', 'rfc', 'text'] as const) {
      it(`${h} as ${format}`, () => {
        const got = renderView(items(h), format);
        expect(renderView(items(h), format)).toBe(got);
        const file = path.join(GOLDEN, `${path.basename(h, '.h')}.${EXT[format]}`);
        if (UPDATE) { writeFileSync(file, got); return; }
        expect(existsSync(file), `${file} is missing: run 'npm run golden:pictures'`).toBe(true);
        expect(got, `${path.relative(ROOT, file)} is stale: run 'npm run golden:pictures' and review the diff`).toBe(readFileSync(file, 'utf8'));
      });
    }
  }
});

it('the README picture (test/render/golden/telemetry_record.svg) is fresh', () => {
  const file = path.join(GOLDEN, 'telemetry_record.svg');
  const got = renderSvg(items('telemetry.h').filter((i) => i.record.name === 'telemetry_record'));
  if (UPDATE) { writeFileSync(file, got); return; }
  expect(got, `${path.relative(ROOT, file)} is stale: run 'npm run golden:pictures'`).toBe(readFileSync(file, 'utf8'));
});
