// A main header that cannot be read says why. One LexCache shared by several targets (as `buildProject` and `check` share it) must not hand one target's
// built-in headers to another: every record is compared with clang-16 for each target.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../generator/core/host.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { buildProject, LexCache } from '../../generator/index.js';
import { clangLayouts } from '../../generator/verify/clang.js';
import { clangArgsFor, HAVE_CLANG, tempFile } from '../helpers/compiler.js';

const TARGETS = ['aarch64-linux-gnu', 'i386-linux-gnu', 'avr', 'x86_64-pc-windows-msvc'];

describe('a cache shared by targets', () => {
  it.skipIf(!HAVE_CLANG)('gives each target its own <stdint.h> (records as clang lays them out)', () => {
    const h = tempFile('cached.h', '#include <stdint.h>\n#include <stddef.h>\nstruct s { char c; int64_t x; };\nstruct t { char c; intptr_t p; size_t n; };\n');
    const cache = new LexCache();
    const both = buildProject({ targets: TARGETS, cache, headers: [h] });
    expect(both.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const target of TARGETS) {
      const clang = clangLayouts(`#include "${h}"`, h, target, ['struct s', 'struct t'], clangArgsFor(target));
      expect(clang.ok, clang.stderr).toBe(true);
      const lock = both.lock.targets[target]!;
      for (const name of ['s', 't']) {
        const c = clang.layouts.get(`struct ${name}`)!;
        expect({ target, name, size: lock.records[name]!.size * 8 }).toEqual({ target, name, size: c.size });
        expect({ target, name, align: lock.records[name]!.align * 8 }).toEqual({ target, name, align: c.align });
      }
    }
  });

  it('gives the same layouts as runs with no shared cache, in either order', () => {
    const h = tempFile('cached2.h', '#include <stdint.h>\nstruct s { char c; int64_t x; long l; };\n');
    const alone = TARGETS.map((t) => buildProject({ targets: [t], headers: [h] }).lock.targets[t]);
    for (const order of [TARGETS, [...TARGETS].reverse()]) {
      const cache = new LexCache();
      const shared = buildProject({ targets: order, cache, headers: [h] });
      expect(TARGETS.map((t) => shared.lock.targets[t])).toEqual(alone);
    }
  });
});

describe('a main header that cannot be read', () => {
  it('says why, in the operating system\'s words (file-system host)', async () => {
    const { layoutHeaders } = await import('../../generator/pipeline.js');
    const dir = path.dirname(tempFile('x.h', ''));
    const missing = layoutHeaders([path.join(dir, 'nope.h')]).diagnostics.map(formatDiagnostic);
    expect(missing).toEqual([`structgen: error: cannot read '${path.join(dir, 'nope.h')}': no such file or directory`]);
    const isDir = layoutHeaders([dir]).diagnostics.map(formatDiagnostic);
    expect(isDir).toEqual([`structgen: error: cannot read '${dir}': is a directory`]);
  });
  it('says why through an in-memory host too', async () => {
    const { layoutHeaders } = await import('../../generator/pipeline.js');
    const host = memoryHost({ 'inc/a.h': 'struct a { int x; };' });
    expect(layoutHeaders(['inc/b.h'], { host }).diagnostics.map(formatDiagnostic)).toEqual([`structgen: error: cannot read 'inc/b.h': no such file or directory`]);
    expect(layoutHeaders(['inc'], { host }).diagnostics.map(formatDiagnostic)).toEqual([`structgen: error: cannot read 'inc': is a directory`]);
  });
});
