// Overridden members, counted tails and tagged unions against C: a gcc-compiled program writes records (the
// header's own types, filled by C assignments) and prints every value as C reads it; the generated decoders must
// read the same values, and bytes they encode must read back in C as the values given.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempFile } from '../helpers/compiler.js';
import { generateAndLoad, type Loaded } from '../helpers/generated.js';
import { FORMATS_H, FORMATS_OPTIONS } from '../helpers/formats-fixture.js';

const HAVE_GCC = (() => { try { execFileSync('gcc', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; } })();
if (!HAVE_GCC) console.warn('SKIP: gcc not found: the C tests of overrides, counted tails and tagged unions are skipped');

type Obj = { [k: string]: unknown };
interface C { decode(b: Uint8Array, off?: number, o?: { strict?: boolean }): Obj; encode(v: unknown): Uint8Array; decodeMany(b: Uint8Array): Obj[] }

/** C that fills records by assignment (`write NAME` prints their bytes) and prints what it reads (`read NAME`). */
const PROGRAM = (header: string) => `
#include "${header}"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
static unsigned char buf[4096]; static size_t len;
static void hex(const void *p, size_t n) { for (size_t i = 0; i < n; i++) printf("%02x", ((const unsigned char *)p)[i]); }
static void str(const char *k, const void *p, size_t n) { size_t m = strnlen(p, n); printf("%s=", k); hex(p, m); printf("\\n"); }
static void print_ovr(const struct ovr *o) {
  str("label", o->label, sizeof o->label); printf("raw="); hex(o->raw, 4); printf("\\n"); str("name", o->name, sizeof o->name);
  printf("enabled=%u\\ncolor=%u\\ncolors=%u,%u\\nsize=%llu\\ndelta=%lld\\nport=%u\\nflags=%u\\non=%u\\n", o->enabled, o->color, o->colors[0], o->colors[1],
    (unsigned long long)o->size, (long long)o->delta, ntohl(o->port), o->flags, o->on);
}
static size_t print_samples(const struct samples *s) {
  printf("kind=%u\\nn=%u\\nv=", s->kind, s->n);
  for (unsigned i = 0; i < s->n; i++) printf("%s%d", i ? "," : "", s->v[i]);
  printf("\\n"); return sizeof *s + s->n * sizeof s->v[0];
}
static size_t print_blob(const struct blob *b) { printf("len=%u data=", b->len); hex(b->data, b->len); printf("\\n"); return sizeof *b + b->len; }
static void print_msg(const struct msg *m) {
  printf("type=%u\\nflags=%u\\ncrc=%u\\n", m->type, m->flags, m->crc);
  if (m->type == MSG_PING) printf("ping.seq=%u\\n", m->body.ping.seq);
  else if (m->type == MSG_DATA) { printf("data.len=%u\\ndata.bytes=", m->body.data.len); hex(m->body.data.bytes, 6); printf("\\n"); }
  else printf("code=%u\\n", m->body.code);
}
int main(int argc, char **argv) {
  const char *which = argv[2];
  if (strcmp(argv[1], "write") == 0) {
    if (!strcmp(which, "ovr")) {
      static struct ovr o; memcpy(o.label, "h\\xc3\\xa9llo", 6); memcpy(o.raw, "\\x01\\x02\\x03\\xff", 4); memcpy(o.name, "caf\\xe9", 4);
      o.enabled = 1; o.color = BLUE; o.colors[0] = RED; o.colors[1] = GREEN; o.size = (1ULL << 40) + 3; o.delta = -(1LL << 50);
      o.port = htonl(0x01020304); o.flags = 5; o.on = 1; hex(&o, sizeof o);
    } else if (!strcmp(which, "samples")) {
      struct samples *s = calloc(1, sizeof *s + 3 * sizeof(int32_t)); s->kind = 3; s->n = 3; s->v[0] = 10; s->v[1] = -20; s->v[2] = 30000000;
      hex(s, sizeof *s + 3 * sizeof(int32_t));
    } else if (!strcmp(which, "blobs")) {
      for (unsigned k = 0; k < 3; k++) { struct blob *b = calloc(1, sizeof *b + k); b->len = k; for (unsigned i = 0; i < k; i++) b->data[i] = 0xa0 + i; hex(b, sizeof *b + k); }
    } else {
      static struct msg m[3]; m[0].type = MSG_PING; m[0].body.ping.seq = 77; m[0].crc = 1;
      m[1].type = MSG_DATA; m[1].flags = 3; m[1].body.data.len = 2; memcpy(m[1].body.data.bytes, "\\x01\\x02\\x03\\x04\\x05\\x06", 6); m[1].crc = 2;
      m[2].type = MSG_CLOSE; m[2].body.code = 0xdeadbeef; hex(m, sizeof m);
    }
    printf("\\n"); return 0;
  }
  int c, h = -1; while ((c = getchar()) != EOF) { if (c <= ' ') continue; int d = c <= '9' ? c - '0' : (c | 32) - 'a' + 10; if (h < 0) h = d; else { buf[len++] = h * 16 + d; h = -1; } }
  if (!strcmp(which, "ovr")) print_ovr((struct ovr *)buf);
  else if (!strcmp(which, "samples")) print_samples((struct samples *)buf);
  else if (!strcmp(which, "blobs")) { for (size_t o = 0; o < len; ) o += print_blob((struct blob *)(buf + o)); }
  else for (size_t o = 0; o < len; o += sizeof(struct msg)) print_msg((struct msg *)(buf + o));
  return 0;
}
`;

const hex = (b: ArrayLike<number>) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (s: string) => Uint8Array.from(s.trim().match(/../g) ?? [], (x) => parseInt(x, 16));

/** What C prints for a value, computed from the decoded JavaScript value. */
function lines(which: string, v: Obj | Obj[]): string {
  switch (which) {
    case 'ovr': {
      const o = v as Obj;
      return [`label=${hex(new TextEncoder().encode(o.label as string))}`, `raw=${hex(o.raw as Uint8Array)}`,
        `name=${hex(Array.from(o.name as string, (ch) => ch.charCodeAt(0)))}`, `enabled=${o.enabled ? 1 : 0}`, `color=${o.color}`,
        `colors=${(o.colors as number[]).join(',')}`, `size=${o.size}`, `delta=${o.delta}`, `port=${o.port}`, `flags=${o.flags}`, `on=${o.on ? 1 : 0}`, ''].join('\n');
    }
    case 'samples': {
      const s = v as Obj;
      return `kind=${s.kind}\nn=${(s.v as number[]).length}\nv=${(s.v as number[]).join(',')}\n`;
    }
    case 'blobs': return (v as Obj[]).map((b) => `len=${(b.data as Uint8Array).length} data=${hex(b.data as Uint8Array)}\n`).join('');
    default: return (v as Obj[]).map((m) => {
      const body = m.body as Obj;
      const head = `type=${m.type}\nflags=${m.flags}\ncrc=${m.crc}\n`;
      if ('ping' in body) return `${head}ping.seq=${(body.ping as Obj).seq}\n`;
      if ('data' in body) return `${head}data.len=${(body.data as Obj).len}\ndata.bytes=${hex((body.data as Obj).bytes as Uint8Array)}\n`;
      return `${head}code=${body.code}\n`;
    }).join('');
  }
}

describe.skipIf(!HAVE_GCC)('overrides, counted tails and tagged unions agree with C (gcc)', () => {
  let exe = '';
  let mod: Loaded;
  beforeAll(async () => {
    const header = tempFile('formats.h', FORMATS_H);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-formats-c-'));
    writeFileSync(path.join(dir, 'p.c'), PROGRAM(header));
    exe = path.join(dir, 'p');
    execFileSync('gcc', ['-std=gnu17', '-w', '-O1', '-o', exe, path.join(dir, 'p.c')]);
    mod = await (await generateAndLoad([header], FORMATS_OPTIONS)).load('formats');
  });
  const c = (mode: 'write' | 'read', which: string, input?: string) => {
    const r = spawnSync(exe, [mode, which], { input: input ?? '', encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout;
  };
  const codec = (n: string) => mod[n] as C;
  const decodeAll = (which: string, b: Uint8Array): Obj | Obj[] => which === 'ovr' ? codec('ovr').decode(b, 0, { strict: true })
    : which === 'samples' ? codec('samples').decode(b, 0, { strict: true }) : which === 'blobs' ? codec('blob').decodeMany(b) : (codec('msg').decodeMany(b));
  const encodeAll = (which: string, v: Obj | Obj[]): Uint8Array => {
    if (which === 'ovr') return codec('ovr').encode(v);
    if (which === 'samples') return codec('samples').encode({ ...(v as Obj), n: undefined });
    const parts = (v as Obj[]).map((x) => codec(which === 'blobs' ? 'blob' : 'msg').encode(which === 'blobs' ? { data: x.data } : x));
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  };

  for (const which of ['ovr', 'samples', 'blobs', 'msgs']) {
    it(`${which}: decoders read what C wrote; C reads what they encode`, () => {
      const bytes = fromHex(c('write', which));
      const cSays = c('read', which, hex(bytes));
      const decoded = decodeAll(which, bytes);
      expect(lines(which, decoded)).toBe(cSays);
      const again = encodeAll(which, decoded);
      expect(c('read', which, hex(again))).toBe(cSays);
      if (which !== 'ovr') expect(hex(again)).toBe(hex(bytes)); // counted tails and tagged unions: byte for byte (C zeroed the rest)
    });
  }
});
