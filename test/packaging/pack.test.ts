// The published package as a user gets it: `npm pack`, install the tarball into an empty project (where this
// project's own settings and any `overrides` do not apply), and run `npx structgen`. This proves the
// tree-sitter / tree-sitter-c pairing installs and loads outside this repository.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

describe('npm pack and install into an empty project', () => {
  it('installs cleanly; npx structgen generate, check and verify work with no build step', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-pack-'));
    const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const tgz = path.join(dir, out.trim().split('\n').pop()!);
    const listing = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).split('\n');
    expect(listing).toContain('package/dist/generator/cli/main.js');
    expect(listing.some((f) => f.startsWith('package/test/') || f.startsWith('package/dist/test/'))).toBe(false);
    const proj = path.join(dir, 'user-project');
    execFileSync('mkdir', ['-p', proj]);
    writeFileSync(path.join(proj, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true, type: 'module' }));
    const inst = spawnSync('npm', ['install', '--no-audit', '--no-fund', tgz], { cwd: proj, encoding: 'utf8' });
    expect(inst.status, inst.stderr).toBe(0);
    expect(inst.stderr).not.toMatch(/ERESOLVE|peer dep|invalid/i);
    const installed = JSON.parse(readFileSync(path.join(proj, 'node_modules/tree-sitter/package.json'), 'utf8')).version;
    const installedC = JSON.parse(readFileSync(path.join(proj, 'node_modules/tree-sitter-c/package.json'), 'utf8')).version;
    expect([installed, installedC]).toEqual(['0.22.4', '0.23.6']);
    writeFileSync(path.join(proj, 'h.h'), '#include <stdint.h>\nstruct s { uint8_t a; uint32_t b : 5; };\n');
    const r = spawnSync('npx', ['--no-install', 'structgen', 'layout', '--json', 'h.h'], { cwd: proj, encoding: 'utf8' });
    // npm itself may warn about this machine's own npm config; structgen must print nothing on stderr
    expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'))).toEqual([]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).records[0]).toMatchObject({ name: 's', size: 4, align: 4 });
    // the programmatic API loads as ESM from the installed package
    writeFileSync(path.join(proj, 'use.mjs'), "import { layoutHeaders } from 'structgen';\nconst r = layoutHeaders(['h.h']);\nconsole.log(r.report.records[0].fields[1].bitOffset);\n");
    expect(execFileSync(process.execPath, ['use.mjs'], { cwd: proj, encoding: 'utf8' }).trim()).toBe('8');

    // the user's workflow: generate from a config, gate with check, prove with verify
    expect(listing).toEqual(expect.arrayContaining(['package/structgen.schema.json', 'package/.pre-commit-hooks.yaml', 'package/dist/generator/emit/assets.generated.js']));
    expect(listing.some((f) => f.startsWith('package/bench/') || f.startsWith('package/dist/bench/'))).toBe(false);
    execFileSync('mkdir', ['-p', path.join(proj, 'include')]);
    writeFileSync(path.join(proj, 'include/proto.h'), '#include <stdint.h>\nstruct msg { uint8_t kind; uint32_t len; uint16_t flags : 3; };\n');
    writeFileSync(path.join(proj, 'structgen.config.json'), JSON.stringify({ $schema: './node_modules/structgen/structgen.schema.json', headers: ['include/*.h'], outDir: 'src/gen' }));
    const sg = (...args: string[]) => spawnSync('npx', ['--no-install', 'structgen', ...args], { cwd: proj, encoding: 'utf8' });
    expect(sg('generate').status).toBe(0);
    expect(readFileSync(path.join(proj, 'src/gen/proto.ts'), 'utf8')).toContain('export const msg = {');
    expect(sg('check', '--update').status).toBe(0);
    const clean = sg('check');
    expect(clean.stderr).toContain('generated files fresh, layouts match the lock file');
    expect(clean.status).toBe(0);
    // a hand edit of a generated file is reported stale, and regenerating clears it
    const gen = path.join(proj, 'src/gen/proto.ts');
    const before = readFileSync(gen, 'utf8');
    expect(before).toContain('size: 12,');
    writeFileSync(gen, before.replace('size: 12,', 'size: 16,'));
    const edited = sg('check');
    expect(edited.status).toBe(1);
    expect(edited.stderr).toContain('proto.ts: error: generated file is stale (changed)');
    expect(sg('generate').status).toBe(0);
    expect(sg('check').status).toBe(0);
    const cc = spawnSync('cc', ['--version']).status === 0;
    if (cc) expect(sg('verify', 'include/proto.h').status).toBe(0);
    else console.warn('SKIP: no cc: verify in the installed package not tried');
    writeFileSync(path.join(proj, 'include/proto.h'), '#include <stdint.h>\nstruct msg { uint8_t kind; uint16_t len; uint16_t flags : 3; };\n');
    const changed = sg('check');
    expect(changed.status).toBe(1);
    expect(changed.stderr).toContain("include/proto.h:2:37: error: struct msg: member 'len' changed type from 'uint32_t' to 'uint16_t' [breaking, x86_64-linux-gnu]");
    expect(changed.stderr).toContain('proto.ts: error: generated file is stale (changed)');
    // the programmatic API returns data
    writeFileSync(path.join(proj, 'api.mjs'), [
      "import { generate, check, layout } from 'structgen';",
      "const g = generate(['include/proto.h']);",
      "const l = layout(['include/proto.h']);",
      "const c = check({ headers: ['include/proto.h'], targets: ['x86_64-linux-gnu'] }, { readFile: () => null, listFiles: () => [] }, null);",
      "console.log(JSON.stringify([g.files.map((f) => f.path), l.report.records[0].size, c.stale.length, c.lockMissing]));",
    ].join('\n'));
    expect(JSON.parse(execFileSync(process.execPath, ['api.mjs'], { cwd: proj, encoding: 'utf8' }))).toEqual([['proto.ts', 'structgen-runtime.ts'], 6, 2, true]);
  });
});
