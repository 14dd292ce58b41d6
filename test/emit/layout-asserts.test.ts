// Layout asserts in the emitted TypeScript: every module states each record's layout as literal constants, and its
// asserts file (`X.asserts.ts`, which the module imports type-only) checks them at the type level, so the user's tsc
// rejects a hand-edited or corrupted generated file, naming the record and the member, while the untouched file
// compiles; the module itself says `// @ts-nocheck`, and the asserts still reach every program that has the module.
// (Zero run-time cost: the check is a type.)

import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { typecheck } from '../helpers/generated.js';

const ROOT = path.resolve(__dirname, '../..');
const GEN = path.join(ROOT, 'generated');
const files = () => readdirSync(GEN).map((f) => ({ path: f, contents: readFileSync(path.join(GEN, f), 'utf8') }));

function corrupt(file: string, from: string, to: string) {
  return files().map((f) => {
    if (f.path !== file) return f;
    if (!f.contents.includes(from)) throw new Error(`${file} has no '${from}'`);
    return { ...f, contents: f.contents.replace(from, to) };
  });
}

const cases: Array<[string, string, string, string, RegExp]> = [
  ['an offset moved onto the member before', 'netproto.ts', '["tot_len", 16, 32, 2, 1]', '["tot_len", 8, 24, 2, 1]',
    /struct ipv4_header: member 'tot_len' at bit 8 overlaps the member before it/],
  ['a record size too small for its members', 'netproto.ts', 'c: "struct tcp_header", size: 20,', 'c: "struct tcp_header", size: 18,',
    /struct tcp_header: member 'urg_ptr' \(bits 144 to 160\) ends past the record's 144 bits/],
  ['a misaligned offset in a non-packed record', 'telemetry.ts', '["offset_ms", 0, 32, 4, 0]', '["offset_ms", 16, 48, 4, 0]',
    /struct reading: member 'offset_ms' at bit 16 is not aligned to 4 bytes/],
  ['a union member larger than the union', 'telemetry.ts', '["counter", 0, 64, 8, 0]', '["counter", 0, 256, 8, 0]',
    /union \(anonymous\): member 'counter' \(bits 0 to 256\) ends past the record's 192 bits/],
];

describe('type-level layout asserts in generated modules', () => {
  it('the generated files state every layout, the asserts files check them, and both compile as they are', async () => {
    const net = files().find((f) => f.path === 'netproto.ts')!.contents;
    expect(net).toContain('export const ipv4_header$layout = { name: "ipv4_header", c: "struct ipv4_header", size: 20, align: 4, fields: [["ihl", 0, 4], ["version", 4, 8], ["tos", 8, 16], ["tot_len", 16, 32, 2, 1]');
    expect(net).toContain("\n// @ts-nocheck\nimport type {} from './netproto.asserts.js';\n");
    expect(files().find((f) => f.path === 'netproto.asserts.ts')!.contents)
      .toContain('true satisfies $rt.LayoutChecksOf<typeof m, ["ipv4_header", "tcp_header", "udp_header", "ipv4_pseudo_header"]>;');
    expect(await typecheck(files(), {}, { asGenerated: true })).toEqual([]);
  });

  for (const [what, file, from, to, msg] of cases) {
    it(`tsc rejects ${what} in the module as users get it (with @ts-nocheck), naming the record and member`, async () => {
      const errors = await typecheck(corrupt(file, from, to), {}, { asGenerated: true });
      expect(errors.length).toBe(1);
      expect(errors[0]).toMatch(new RegExp(`^${file.replace(/\.ts$/, '')}\\.asserts\\.ts:\\d+: `));
      expect(errors[0]).toMatch(msg);
    });
  }

  it('a layout that is no longer one, or a record the module lost, fails too', async () => {
    const notLayout = await typecheck(corrupt('netproto.ts', 'fields: [["ihl", 0, 4]', 'fields: [["ihl", "0", 4]'), {}, { asGenerated: true });
    expect(notLayout.join('\n')).toMatch(/ipv4_header\$layout is not a layout/);
    const lost = await typecheck(corrupt('netproto.ts', 'export const udp_header$layout = ', 'const udp_header$layout = '), {}, { asGenerated: true });
    expect(lost.join('\n')).toMatch(/udp_header\$layout is not a layout/);
  });
});

// The asserts are in every program that has the module, not only in projects whose `include` globs the generated
// folder: a project of one file that imports a corrupted module fails, under TypeScript 5.0, 5.9 and 7.
const run = promisify(execFile);
const WORK = path.join(ROOT, 'node_modules/.cache/structgen-layout-asserts');
const COMPILERS = ['typescript-5.0', 'typescript', 'typescript-7'];

describe('the asserts reach a program through the module\'s type-only import', () => {
  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  it('tsc -p over one consumer file, with a corrupted module in another folder, names the record and member (5.0, 5.9, 7)', async () => {
    const [, file, from, to, msg] = cases[0]!;
    rmSync(WORK, { recursive: true, force: true });
    for (const f of corrupt(file, from, to)) {
      mkdirSync(path.join(WORK, 'gen'), { recursive: true });
      writeFileSync(path.join(WORK, 'gen', f.path), f.contents);
    }
    mkdirSync(path.join(WORK, 'src'), { recursive: true });
    writeFileSync(path.join(WORK, 'src/use.ts'), "import { ipv4_header } from '../gen/netproto.js';\nexport const size: number = ipv4_header.size;\n");
    writeFileSync(path.join(WORK, 'package.json'), '{"type":"module","private":true}\n');
    writeFileSync(path.join(WORK, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', noEmit: true, types: [], verbatimModuleSyntax: true, noUnusedLocals: true },
      files: ['src/use.ts'],
    }));
    for (const c of COMPILERS) {
      const out = await run(process.execPath, [path.join(ROOT, 'node_modules', c, 'bin/tsc'), '-p', WORK], { cwd: WORK })
        .then((r) => `${r.stdout}${r.stderr}`, (e: { stdout?: string; stderr?: string }) => `${e.stdout ?? ''}${e.stderr ?? ''}`);
      const errors = out.split('\n').filter((l) => /error TS\d+/.test(l));
      expect({ c, errors: errors.length }).toEqual({ c, errors: 1 });
      expect(errors[0]).toMatch(/gen[\\/]netproto\.asserts\.ts\(\d+,\d+\): error TS1360/);
      expect(errors[0]).toMatch(msg);
    }
  }, 300_000);
});
