// `npm run fuzz:gcc -- --records N --targets a,b --seed S --batches B`: random records laid out with
// `--compiler gcc`, against gcc itself for every target whose gcc is installed (the system gcc, `gcc -m32`,
// Debian's cross compilers: gcc-aarch64-linux-gnu, gcc-m68k-linux-gnu, gcc-avr, ...). gcc compiles one object per
// batch: `_Static_assert`s on every size, alignment and member offset, and for every bit-field a variable of the
// record initialized with that bit-field all ones; its data section (read with llvm-objdump) gives each
// bit-field's position as gcc placed it. Cross compilers cannot run programs; objects need no running.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeHeader, headerRecords } from '../../generator/pipeline.js';
import { findTarget } from '../../generator/target/index.js';
import { generateRecords } from './gen.js';

const GCC_OF: { readonly [triple: string]: string } = {
  'x86_64-linux-gnu': 'gcc', 'i386-linux-gnu': 'gcc -m32', 'aarch64-linux-gnu': 'aarch64-linux-gnu-gcc',
  'armv7-linux-gnueabihf': 'arm-linux-gnueabihf-gcc', 'arm-none-eabi': 'arm-none-eabi-gcc', 'riscv64-linux-gnu': 'riscv64-linux-gnu-gcc',
  'powerpc-linux-gnu': 'powerpc-linux-gnu-gcc', 'powerpc64-linux-gnu': 'powerpc64-linux-gnu-gcc', 's390x-linux-gnu': 's390x-linux-gnu-gcc',
  'mips-linux-gnu': 'mips-linux-gnu-gcc', 'm68k-linux-gnu': 'm68k-linux-gnu-gcc', avr: 'avr-gcc',
  'x86_64-w64-mingw32': 'x86_64-w64-mingw32-gcc -mno-ms-bitfields',
};
const OBJDUMP = ['llvm-objdump-16', 'llvm-objdump'].find((c) => spawnSync(c, ['--version']).status === 0);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const records = Number(arg('records') ?? 1000);
const seed0 = Number(arg('seed') ?? Date.now() % 1_000_000);
const batches = Number(arg('batches') ?? 1);
const targets = (arg('targets')?.split(',') ?? Object.keys(GCC_OF)).map((s) => s.trim()).filter(Boolean);

function runs(cmd: string[]): boolean {
  return spawnSync(cmd[0]!, [...cmd.slice(1), '--version']).status === 0;
}

/** Each probe variable's bytes, from llvm-objdump's symbol table and section dumps (small variables go to
 * `.sdata` on powerpc and mips, the rest to `.data`). */
function readObject(obj: string): Map<string, Uint8Array> {
  const syms: Array<{ name: string; section: string; at: number; size: number }> = [];
  for (const l of execFileSync(OBJDUMP!, ['-t', obj], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n')) {
    const m = /^([0-9a-f]+)\s.*\s(\S+)\s+([0-9a-f]+)\s+(__sg_\d+)$/.exec(l);
    if (m) syms.push({ at: parseInt(m[1]!, 16), section: m[2]!, size: parseInt(m[3]!, 16), name: m[4]! });
  }
  const sections = new Map<string, Uint8Array>();
  for (const sec of new Set(syms.map((s) => s.section))) {
    const dump = execFileSync(OBJDUMP!, ['-s', '-j', sec, obj], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const hex = dump.split('\n').filter((l) => /^ [0-9a-f]{4,} /.test(l)).map((l) => l.slice(1).split(/\s+/).slice(1, 5).join('')).join('');
    sections.set(sec, Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16)));
  }
  return new Map(syms.map((s) => [s.name, sections.get(s.section)!.subarray(s.at, s.at + s.size)]));
}

let total = 0;
let checks = 0;
let failures = 0;
let skipped: string[] = [];
if (!OBJDUMP) { console.error('llvm-objdump not found (apt-get install -y llvm-16)'); process.exit(2); }
for (const triple of targets) {
  const target = findTarget(triple);
  const cc = GCC_OF[target?.triple ?? ''];
  if (!target || !cc) { console.error(`no gcc known for target ${triple}`); process.exit(2); }
  const cmd = cc.split(' ');
  if (!runs(cmd)) { skipped.push(`${triple} (${cmd[0]} not installed)`); continue; }
  const big = target.endian === 'big';
  const msOff = triple === 'x86_64-w64-mingw32' ? { msBitfields: false } : {};
  for (let b = 0; b < batches; b++) {
    const seed = seed0 + b;
    const g = generateRecords(seed, records, target, { compiler: 'gcc' });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-fuzzgcc-'));
    const header = path.join(dir, 'r.h');
    writeFileSync(header, g.source);
    const a = analyzeHeader(header, { target: triple, compiler: 'gcc', ...msOff });
    const errs = a.diagnostics.filter((d) => d.severity === 'error');
    if (errs.length) { console.log(`${triple} seed ${seed}: structgen errors: ${errs[0]!.message}`); failures++; continue; }
    const lines = [`#include "${header}"`, '#include <stddef.h>'];
    const bits: Array<{ v: string; rec: string; path: string; first: number; width: number; size: number }> = [];
    let n = 0;
    for (const rep of headerRecords(a)) {
      const r = a.resolved!.records.find((x) => x && x.name === rep.name && x.pos.line === rep.line)!;
      const T = r.tag ? `${r.kind} ${r.tag}` : r.name!;
      lines.push(`_Static_assert(sizeof(${T}) == ${rep.size}, "sg: ${T} size ${rep.size}");`);
      lines.push(`_Static_assert(_Alignof(${T}) == ${rep.align}, "sg: ${T} align ${rep.align}");`);
      checks += 2;
      for (const f of rep.fields) {
        if (!f.bitfield) {
          lines.push(`_Static_assert(offsetof(${T}, ${f.path}) == ${f.bitOffset / 8}, "sg: ${T} ${f.path} at ${f.bitOffset / 8}");`);
          checks++;
          continue;
        }
        const v = `__sg_${n++}`;
        const isBool = /\b(_Bool|bool)\b/.test(f.type);
        lines.push(`${T} ${v} = { .${f.path} = ${isBool ? 1 : -1} };`);
        bits.push({ v, rec: T, path: f.path, first: f.bitOffset, width: f.bitSize, size: rep.size });
        checks++;
      }
    }
    const src = path.join(dir, 'probe.c');
    writeFileSync(src, lines.join('\n') + '\n');
    const obj = path.join(dir, 'probe.o');
    const r = spawnSync(cmd[0]!, [...cmd.slice(1), '-std=gnu11', '-ffreestanding', '-w', '-fno-common', '-c', '-o', obj, src], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const bad: string[] = [...(r.stderr ?? '').matchAll(/"sg: ([^"]*)"/g)].map((m) => `gcc disagrees: ${m[1]}`);
    if (r.status !== 0 && bad.length === 0) { console.log(`${triple} seed ${seed}: gcc rejected the source:\n${r.stderr.slice(0, 2000)}`); failures++; continue; }
    if (r.status === 0) {
      const vars = readObject(obj);
      for (const x of bits) {
        const bytes = vars.get(x.v);
        if (!bytes) { bad.push(`${x.rec}.${x.path}: no symbol ${x.v}`); continue; }
        const set: number[] = [];
        for (let i = 0; i < x.size * 8; i++) if ((bytes[i >> 3]! >> (big ? 7 - (i & 7) : i & 7)) & 1) set.push(i);
        if (set[0] !== x.first || set.length !== x.width) bad.push(`${x.rec}.${x.path}: structgen bits ${x.first}+${x.width}, gcc ${set[0]}+${set.length}`);
      }
    }
    total += records;
    if (bad.length) failures++;
    console.log(`${triple.padEnd(24)} ${cc.padEnd(40)} seed ${seed}: ${records} records, ${bad.length} mismatches`);
    for (const m of bad.slice(0, 6)) {
      const name = /(struct|union) (R\d+)/.exec(m)?.[0];
      console.log(`  ${m}\n    ${g.records.find((x) => x.name === name)?.source ?? ''}`);
    }
  }
}
if (skipped.length) console.log(`\nnot installed, skipped: ${skipped.join(', ')}`);
console.log(`\ntotal: ${total} records, ${checks} checks against gcc, ${failures} failing batches`);
process.exitCode = failures ? 1 : 0;
