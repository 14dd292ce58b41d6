// A real header: a copy of the machine's Linux UAPI <linux/gpio.h> changed three ways, compared with the original by
// the built `structgen diff`, each change classified as the kernel's own rules for its interfaces would: a member
// inserted in the middle of `struct gpio_v2_line_event` moves the members after it (breaking); a member appended in
// the tail padding of `struct gpioevent_data` (8-byte `__u64` then a `__u32`: 4 bytes of padding on x86_64) takes
// bytes no reader used (compatible); an enumerator added to `enum gpio_v2_line_changed_type` (compatible). And an
// ioctl number whose type changed size (`_IOWR(0xB4, 0x0C, __u32)`): the constant's change breaks.
// Skipped, loudly, where /usr/include/linux is absent.

import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostTriple } from '../../generator/pipeline.js';
import { folder, run } from '../cli/run.js';

const GPIO = '/usr/include/linux/gpio.h';
const HOST = hostTriple();
const HAVE = existsSync(GPIO) && HOST !== null;
if (!HAVE) {
  const msg = `${GPIO} (Linux UAPI headers) or a Linux host not found: the real-header tests of structgen diff need linux-libc-dev`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`SKIP: ${msg}`);
}

interface Change { kind: string; class: string; record?: string; member?: string; enum?: string; constant?: string; old: unknown; new: unknown }

/** Compares the original header with a copy edited by `edit`; the JSON report and the exit code. */
async function compare(edit: (text: string) => string): Promise<{ changes: Change[]; code: number | null; brief: string[] }> {
  const dir = folder({});
  copyFileSync(GPIO, path.join(dir, 'old.h'));
  const text = readFileSync(GPIO, 'utf8');
  const edited = edit(text);
  expect(edited).not.toBe(text);
  writeFileSync(path.join(dir, 'new.h'), edited);
  const r = await run(['diff', 'old.h', 'new.h', '-t', HOST!, '--format', 'json'], dir);
  expect(r.stderr).toBe('');
  const changes = (JSON.parse(r.stdout) as { changes: Change[] }).changes;
  return { changes, code: r.code, brief: changes.map((c) => `${c.kind} ${c.class} ${[c.record ?? c.enum, c.member ?? c.constant].filter(Boolean).join('.')}`) };
}

describe.skipIf(!HAVE)(`a copy of ${GPIO}`, () => {
  it('a member inserted: it and every member after it, and the size, break', async () => {
    const r = await compare((t) => t.replace(/(struct gpio_v2_line_event \{[^}]*?__u32 id;)/, '$1\n\t__u32 flags;'));
    expect(r.brief).toEqual([
      'member-added breaking gpio_v2_line_event.flags',
      'member-moved breaking gpio_v2_line_event.offset',
      'member-moved breaking gpio_v2_line_event.seqno',
      'member-moved breaking gpio_v2_line_event.line_seqno',
      'member-moved breaking gpio_v2_line_event.padding',
      'record-size breaking gpio_v2_line_event',
    ]);
    // 8 + 4 bytes, then the new member; 48 bytes of which 4 more round up to the 8-byte alignment of __aligned_u64
    expect(r.changes[0]!.new).toMatchObject({ bitOffset: 12 * 8, bitSize: 32 });
    expect([r.changes[5]!.old, r.changes[5]!.new]).toEqual([48, 56]);
    expect(r.code).toBe(1);
  });

  it('a member appended in tail padding: compatible, and nothing else', async () => {
    const r = await compare((t) => t.replace(/(struct gpioevent_data \{[^}]*?__u32 id;)/, '$1\n\t__u32 flags;'));
    expect(r.brief).toEqual(['padding-filled compatible gpioevent_data.flags']);
    expect(r.changes[0]!.new).toMatchObject({ bitOffset: 12 * 8, bitSize: 32 });
    expect(r.code).toBe(0);
  });

  it('an enumerator added: compatible', async () => {
    const r = await compare((t) => t.replace(/(GPIO_V2_LINE_CHANGED_CONFIG\s*= 3,)/, '$1\n\tGPIO_V2_LINE_CHANGED_OTHER = 4,'));
    expect(r.brief).toEqual(['enumerator-added compatible gpio_v2_line_changed_type.GPIO_V2_LINE_CHANGED_OTHER']);
    expect(r.changes[0]!.new).toBe('4');
    expect(r.code).toBe(0);
  });

  it('an ioctl number that encodes a size: the constant changes with the type', async () => {
    const r = await compare((t) => t.replace('_IOWR(0xB4, 0x0C, __u32)', '_IOWR(0xB4, 0x0C, __u64)'));
    expect(r.brief).toEqual(['constant-changed breaking GPIO_GET_LINEINFO_UNWATCH_IOCTL']);
    // _IOWR(type, nr, T): direction 3 in bits 30-31, sizeof(T) in bits 16-29, type in bits 8-15, nr in bits 0-7
    const ioc = (size: number) => String(((3 << 30) >>> 0) + (size << 16) + (0xb4 << 8) + 0x0c);
    expect([r.changes[0]!.old, r.changes[0]!.new]).toEqual([ioc(4), ioc(8)]);
    expect(r.code).toBe(1);
  });
});
