// Real data: decoders generated from the system's own <elf.h> read real executables (/bin/ls and the running
// node binary) and must agree with `readelf -h -l`: the file header, and every program header through
// decodeMany and through views, with segment types and flags named by the header's own #define constants.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateAndLoad, type Loaded } from '../helpers/generated.js';

const ELF_H = '/usr/include/elf.h';
const HAVE_READELF = (() => { try { execFileSync('readelf', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const BINARIES = ['/bin/ls', process.execPath].filter((f) => existsSync(f));
const ready = existsSync(ELF_H) && HAVE_READELF && BINARIES.length > 0;
if (!ready) console.warn('SKIP: the ELF test needs /usr/include/elf.h, readelf (binutils) and an ELF binary');

interface Phdr { p_type: number; p_flags: number; p_offset: bigint; p_vaddr: bigint; p_paddr: bigint; p_filesz: bigint; p_memsz: bigint; p_align: bigint }
interface Codec<T> {
  size: number;
  decode(b: Uint8Array, off?: number): T;
  decodeMany(b: Uint8Array, off: number | bigint, n: number | bigint): T[];
  viewMany(b: Uint8Array, off: number | bigint, n: number | bigint): { length: number; get(i: number): T };
}

function readelf(file: string) {
  const out = execFileSync('readelf', ['-h', '-l', '-W', file], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  const field = (label: string) => new RegExp(`^\\s*${label}:\\s+(.*)$`, 'm').exec(out)![1]!.trim();
  const rows = out.split('\n').filter((l) => /^\s+[A-Z_]+\s+0x[0-9a-f]+\s+0x/.test(l)).map((l) => {
    const m = /^\s+(\S+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+([RWE ]+?)\s+(0x[0-9a-f]+)\s*$/.exec(l)!;
    return { type: m[1]!, offset: BigInt(m[2]!), vaddr: BigInt(m[3]!), paddr: BigInt(m[4]!), filesz: BigInt(m[5]!), memsz: BigInt(m[6]!), flags: m[7]!.replace(/\s+/g, ''), align: BigInt(m[8]!) };
  });
  return {
    entry: BigInt(field('Entry point address')),
    phoff: BigInt(/^(\d+)/.exec(field('Start of program headers'))![1]!),
    shoff: BigInt(/^(\d+)/.exec(field('Start of section headers'))![1]!),
    ehsize: Number(/^(\d+)/.exec(field('Size of this header'))![1]!),
    phentsize: Number(/^(\d+)/.exec(field('Size of program headers'))![1]!),
    phnum: Number(field('Number of program headers')),
    shentsize: Number(/^(\d+)/.exec(field('Size of section headers'))![1]!),
    shnum: Number(field('Number of section headers')),
    shstrndx: Number(field('Section header string table index')),
    flags: Number(field('Flags').split(',')[0]),
    magic: field('Magic').split(/\s+/).map((h) => parseInt(h, 16)),
    rows,
  };
}

describe.skipIf(!ready)('decoders from <elf.h> read real ELF files as readelf does', () => {
  let elf: Loaded;
  beforeAll(async () => {
    elf = await (await generateAndLoad([ELF_H])).load('elf');
  });

  for (const bin of BINARIES) {
    it(`${bin}: file header and program headers`, () => {
      const want = readelf(bin);
      const bytes = new Uint8Array(readFileSync(bin));
      const Ehdr = elf.Elf64_Ehdr as Codec<{ [k: string]: unknown }>;
      const h = Ehdr.decode(bytes);
      expect([...(h.e_ident as Uint8Array)]).toEqual(want.magic);
      expect(h.e_entry).toBe(want.entry);
      expect(h.e_phoff).toBe(want.phoff);
      expect(h.e_shoff).toBe(want.shoff);
      expect([h.e_ehsize, h.e_phentsize, h.e_phnum, h.e_shentsize, h.e_shnum, h.e_shstrndx, h.e_flags])
        .toEqual([want.ehsize, want.phentsize, want.phnum, want.shentsize, want.shnum, want.shstrndx, want.flags]);
      expect(h.e_machine).toBe(process.arch === 'x64' ? elf.EM_X86_64 : h.e_machine);
      expect(Ehdr.size).toBe(want.ehsize);

      const Phdr = elf.Elf64_Phdr as Codec<Phdr>;
      expect(Phdr.size).toBe(want.phentsize);
      // segment type names from the header's own PT_* constants, as readelf spells them
      const typeName = new Map<number, string>();
      for (const [k, v] of Object.entries(elf)) if (/^PT_[A-Z_]+$/.test(k) && typeof v === 'number' && !typeName.has(v)) typeName.set(v, k.slice(3));
      const flags = (f: number) => `${f & (elf.PF_R as number) ? 'R' : ''}${f & (elf.PF_W as number) ? 'W' : ''}${f & (elf.PF_X as number) ? 'E' : ''}`;
      // offsets and counts straight from the header: e_phoff is a 64-bit bigint, as C gives it
      const phdrs = Phdr.decodeMany(bytes, h.e_phoff as bigint, h.e_phnum as number);
      const views = Phdr.viewMany(bytes, h.e_phoff as bigint, BigInt(h.e_phnum as number));
      expect(() => Phdr.decodeMany(bytes, 2n ** 53n, 1)).toThrow(/Elf64_Phdr: invalid byte offset 9007199254740992n \(expected a whole number from 0 to 2\^53 - 1/);
      expect(phdrs.length).toBe(want.rows.length);
      phdrs.forEach((p, i) => {
        const w = want.rows[i]!;
        const v = views.get(i);
        for (const x of [p, v]) {
          expect(typeName.get(x.p_type), `row ${i}`).toBe(w.type);
          expect([x.p_offset, x.p_vaddr, x.p_paddr, x.p_filesz, x.p_memsz, x.p_align]).toEqual([w.offset, w.vaddr, w.paddr, w.filesz, w.memsz, w.align]);
          expect(flags(x.p_flags)).toBe(w.flags);
        }
      });
    });
  }
});
