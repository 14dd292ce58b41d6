// The plugin's work without a bundler: one header planned on its own, the files it read, the config it runs with,
// the declarations it writes.

import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateModules } from '../../generator/pipeline.js';
import {
  dtsPath, HEADER_RE, headerModule, LexCache, parseHeaderId, pluginConfig, writeDeclaration,
} from '../../generator/plugin/core.js';

function project(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-plugin-core-'));
  mkdirSync(path.join(dir, 'include/sub'), { recursive: true });
  writeFileSync(path.join(dir, 'include/sub/common.h'), '#include <stdint.h>\nenum kind { K_A = 1, K_B = 2 };\nstruct common_hdr { uint16_t kind; uint16_t len; };\n');
  writeFileSync(path.join(dir, 'include/msg.h'), '#include "sub/common.h"\nstruct msg { struct common_hdr hdr; enum kind k; uint32_t seq; };\n');
  return dir;
}

describe('one header on its own', () => {
  it('emits the records of included headers it uses in its own module, importing only the runtime', async () => {
    const dir = project();
    const c = await pluginConfig({ root: dir, configFile: false });
    const m = headerModule(path.join(dir, 'include/msg.h'), c, null, new LexCache());
    expect(m.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // JavaScript and its declarations, each importing nothing but the runtime
    for (const text of [m.js, m.dts]) {
      const imports = [...text.matchAll(/^(?:import|export) .* from '([^']+)';$/gm)].map((x) => x[1]);
      expect(new Set(imports)).toEqual(new Set(['structgen/runtime']));
    }
    expect(m.dts).toMatch(/^export type common_hdrView\b/m);
    expect(m.dts).toMatch(/^export type msgView\b/m);
    expect(m.js).toMatch(/^export const kind = /m);
    expect(m.js).toMatch(/^export const msg = /m);
    // no TypeScript syntax left in the JavaScript
    expect(m.js).not.toMatch(/^export (?:type|interface) /m);
    expect(m.inputHash).toMatch(/^[0-9a-f]{16}$/);
    // generate, planning the project at once, puts them into included-<hash of its content>.ts instead
    const all = generateModules([path.join(dir, 'include/msg.h')]);
    expect(all.files.map((f) => f.path).sort()).toEqual([
      expect.stringMatching(/^included-[0-9a-f]{8}\.asserts\.ts$/), expect.stringMatching(/^included-[0-9a-f]{8}\.ts$/), 'msg.asserts.ts', 'msg.ts', 'structgen-runtime.ts']);
    expect(all.files.find((f) => f.path === 'msg.ts')!.contents).toMatch(/from '\.\/included-[0-9a-f]{8}\.js'/);
  });

  it('names every file the header read, to be watched: itself and what it includes, not built-in headers', async () => {
    const dir = project();
    const m = headerModule(path.join(dir, 'include/msg.h'), await pluginConfig({ root: dir, configFile: false }), null, new LexCache());
    expect(m.watchFiles).toContain(path.join(dir, 'include/msg.h'));
    expect(m.watchFiles).toContain(path.join(dir, 'include/sub/common.h'));
    expect(m.watchFiles.every((f) => path.isAbsolute(f) && !f.includes('<structgen>'))).toBe(true);
  });

  it('a changed included file is read again once the cache forgets it', async () => {
    const dir = project();
    const c = await pluginConfig({ root: dir, configFile: false });
    const cache = new LexCache();
    const h = path.join(dir, 'include/msg.h');
    expect(headerModule(h, c, null, cache).dts).toMatch(/uint16_t, bytes 2-3/);
    const common = path.join(dir, 'include/sub/common.h');
    writeFileSync(common, readFileSync(common, 'utf8').replace('uint16_t len', 'uint32_t len'));
    // still cached: the old text
    expect(headerModule(h, c, null, cache).dts).toMatch(/uint16_t, bytes 2-3/);
    cache.invalidate([...cache.files.keys()].filter((k) => path.resolve(k) === common));
    expect(headerModule(h, c, null, cache).dts).toMatch(/uint32_t, bytes 4-7/);
  });

  it('the config file, then the options over it; the query picks the target', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'structgen.config.json'), JSON.stringify({ headers: ['include/*.h'], targets: ['i386-linux-gnu'], defines: { A: 1 } }));
    mkdirSync(path.join(dir, 'deep/er'), { recursive: true });
    const fromFile = await pluginConfig({ root: path.join(dir, 'deep/er') });
    expect(fromFile.file).toBe(path.join(dir, 'structgen.config.json'));
    expect(fromFile.targets).toEqual(['i386-linux-gnu']);
    const over = await pluginConfig({ root: dir, targets: ['aarch64-linux-gnu'], include: ['include'] });
    expect(over.targets).toEqual(['aarch64-linux-gnu']);
    expect(over.include).toEqual([path.join(dir, 'include')]);
    expect(over.defines).toEqual({ A: '1' });
    await expect(pluginConfig({ root: dir, targts: ['x'] } as never)).rejects.toThrow(/unknown key 'targts'.*did you mean 'targets'/);
    expect(parseHeaderId('/a/b.h?target=aarch64-linux-gnu')).toEqual({ file: '/a/b.h', target: 'aarch64-linux-gnu' });
    // other queries stay the bundler's (`?raw`: the text)
    expect(['/a/b.h', '/a/b.h?target=i386-linux-gnu', '/a/b.h?raw', '/a/b.hpp', '/a/b.h?target=x&raw'].map((id) => HEADER_RE.test(id)))
      .toEqual([true, true, false, false, false]);
    // int64_t: 4-byte aligned on i386, 8 on aarch64
    writeFileSync(path.join(dir, 'include/w.h'), '#include <stdint.h>\nstruct w { uint32_t a; int64_t b; };\n');
    const i386 = headerModule(path.join(dir, 'include/w.h'), fromFile, null, new LexCache());
    const a64 = headerModule(path.join(dir, 'include/w.h'), fromFile, 'aarch64-linux-gnu', new LexCache());
    expect([i386.target, a64.target]).toEqual(['i386-linux-gnu', 'aarch64-linux-gnu']);
    expect(i386.dts).toMatch(/int64_t, bytes 4-11/);
    expect(a64.dts).toMatch(/int64_t, bytes 8-15/);
  });
});

describe('declarations', () => {
  it('are exact types (no any) stating the input hash, written once per input', async () => {
    const dir = project();
    const h = path.join(dir, 'include/msg.h');
    const c = await pluginConfig({ root: dir, configFile: false });
    const m = headerModule(h, c, null, new LexCache());
    expect(m.dts).not.toMatch(/\bany\b/);
    expect(m.dts).toMatch(/export interface msg \{[\s\S]*hdr: common_hdr;[\s\S]*seq: number;/);
    expect(writeDeclaration(h, m)).toBe(true);
    const text = readFileSync(dtsPath(h), 'utf8');
    expect(text.split('\n').slice(0, 2)).toEqual(["// @generated by structgen: the types of `import ... from './msg.h'`. Do not edit.", `// Input hash: ${m.inputHash}`]);
    expect(text.endsWith(m.dts)).toBe(true);
    const t = statSync(dtsPath(h)).mtimeMs;
    expect(writeDeclaration(h, headerModule(h, c, null, new LexCache()))).toBe(false);
    expect(statSync(dtsPath(h)).mtimeMs).toBe(t);
    // a changed header: a new hash, written again; a hand edit is undone
    writeFileSync(h, readFileSync(h, 'utf8').replace('uint32_t seq;', 'uint16_t seq;'));
    const changed = headerModule(h, c, null, new LexCache());
    expect(changed.inputHash).not.toBe(m.inputHash);
    expect(writeDeclaration(h, changed)).toBe(true);
    expect(readFileSync(dtsPath(h), 'utf8')).toContain(`// Input hash: ${changed.inputHash}\n`);
    writeFileSync(dtsPath(h), `${readFileSync(dtsPath(h), 'utf8')}// a hand edit\n`);
    expect(writeDeclaration(h, changed)).toBe(true);
    expect(readFileSync(dtsPath(h), 'utf8')).not.toContain('a hand edit');
  });
});
