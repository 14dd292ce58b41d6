// Layout asserts in the emitted TypeScript: every module states each record's layout as literal constants and
// checks them at the type level, so tsc rejects a hand-edited or corrupted generated file, naming the record and
// the member, while the untouched file compiles. (Zero run-time cost: the check is a type.)

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { typecheck } from '../helpers/generated.js';

const GEN = path.resolve(__dirname, '../../generated');
const files = () => readdirSync(GEN).map((f) => ({ path: f, contents: readFileSync(path.join(GEN, f), 'utf8') }));

function corrupt(file: string, from: string, to: string) {
  return files().map((f) => {
    if (f.path !== file) return f;
    if (!f.contents.includes(from)) throw new Error(`${file} has no '${from}'`);
    return { ...f, contents: f.contents.replace(from, to) };
  });
}

describe('type-level layout asserts in generated modules', () => {
  it('the generated files state every layout and compile as they are', async () => {
    const net = files().find((f) => f.path === 'netproto.ts')!.contents;
    expect(net).toContain('export const ipv4_header$layout = { name: "ipv4_header", c: "struct ipv4_header", size: 20, align: 4, fields: [["ihl", 0, 4], ["version", 4, 8], ["tos", 8, 16], ["tot_len", 16, 32, 2, 1]');
    expect(net).toContain('true satisfies $rt.LayoutChecks<[typeof ipv4_header$layout, typeof tcp_header$layout, typeof udp_header$layout, typeof ipv4_pseudo_header$layout]>;');
    expect(await typecheck(files())).toEqual([]);
  });

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
  for (const [what, file, from, to, msg] of cases) {
    it(`tsc rejects ${what}, naming the record and member`, async () => {
      const errors = await typecheck(corrupt(file, from, to));
      expect(errors.length).toBe(1);
      expect(errors[0]).toMatch(msg);
    });
  }
});
