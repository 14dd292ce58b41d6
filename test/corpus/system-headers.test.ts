// Real system headers against clang-16, records laid out and records counted (no record clang lays out may be missing):
// the project's own headers/, a sample of the Linux UAPI headers, SDL2 (Debian libsdl2-dev; SDL_events.h needs sizeof
// of expressions) and mingw-w64's Windows headers (Debian mingw-w64-x86-64-dev and -i686-dev: winsock2.h, ws2tcpip.h,
// shlobj.h, dxgi.h, winusb.h, winternl.h) for x86_64- and i686-w64-mingw32. The whole UAPI corpus is `npm run corpus`.
// A missing header set skips loudly (CI installs them: .ci/run).

import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import type { PipelineOptions } from '../../generator/pipeline.js';
import { checkAgainstClang, HAVE_CLANG, tempFile } from '../helpers/compiler.js';
import { countRecords } from './records.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HAVE_SDL = existsSync('/usr/include/SDL2/SDL.h');
const MINGW = ['x86_64-w64-mingw32', 'i686-w64-mingw32'].filter((t) => existsSync(`/usr/${t}/include/windows.h`));
const UAPI = existsSync('/usr/include/linux') ? readdirSync('/usr/include/linux').filter((f) => f.endsWith('.h')).sort() : [];
if (!HAVE_SDL) console.warn('SKIP: SDL2 headers not found (Debian: apt-get install -y libsdl2-dev)');
if (MINGW.length < 2) console.warn('SKIP: mingw-w64 headers not found (Debian: apt-get install -y mingw-w64-x86-64-dev mingw-w64-i686-dev)');
if (UAPI.length === 0) console.warn('SKIP: Linux UAPI headers not found (Debian: linux-libc-dev)');
if (process.env.CI && (!HAVE_SDL || MINGW.length < 2)) throw new Error('CI must have the SDL2 and mingw-w64 headers (.ci/run installs them)');

/** Records equal to clang's and none of clang's missing, for one translation unit. */
function provenAndCounted(file: string, target: string, opts: PipelineOptions = {}, clangFlags: readonly string[] = []): { compared: number; counted: number } {
  const r = checkAgainstClang(file, target, opts, undefined, clangFlags);
  expect(r.clangOk, r.clangStderr.slice(0, 2000)).toBe(true);
  expect(r.analysis.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
  expect(r.comparison.mismatches.map((m) => `${m.record} (${m.file}:${m.line}): ${m.what}`)).toEqual([]);
  expect(r.comparison.missing).toEqual([]);
  const c = countRecords(file, target, opts, clangFlags);
  expect(c.clangOk, c.clangStderr.slice(0, 2000)).toBe(true);
  expect(c.lost).toEqual([]);
  return { compared: r.comparison.compared, counted: c.clang };
}

describe.skipIf(!HAVE_CLANG)('no record lost, every record equal to clang-16', () => {
  it('headers/, on four targets', () => {
    const all = tempFile('all.h', readdirSync(path.join(ROOT, 'headers')).filter((f) => f.endsWith('.h')).sort()
      .map((f) => `#include "${path.join(ROOT, 'headers', f)}"`).join('\n') + '\n');
    for (const t of ['x86_64-linux-gnu', 'i386-linux-gnu', 'aarch64-linux-gnu', 'x86_64-pc-windows-msvc']) {
      const { counted } = provenAndCounted(all, t);
      expect(counted).toBeGreaterThan(20);
    }
  });
  it.skipIf(UAPI.length === 0)('a sample of the Linux UAPI headers (every eighth), in one translation unit each', () => {
    let counted = 0;
    for (const f of UAPI.filter((_, i) => i % 8 === 0)) {
      const file = `/usr/include/linux/${f}`;
      // only what clang accepts on its own (some UAPI headers need others first)
      const c = countRecords(file, 'x86_64-linux-gnu');
      if (!c.clangOk) continue;
      expect(c.errors, f).toEqual([]);
      expect(c.lost, f).toEqual([]);
      counted += c.clang;
    }
    expect(counted).toBeGreaterThan(200);
  });
  it.skipIf(!HAVE_SDL)('SDL2 (SDL.h and every header it includes)', () => {
    const { compared } = provenAndCounted('/usr/include/SDL2/SDL.h', 'x86_64-linux-gnu');
    expect(compared).toBeGreaterThan(100);
    // the header on its own (glibc's headers are the host's only: no other target here)
    expect(provenAndCounted('/usr/include/SDL2/SDL_events.h', 'x86_64-linux-gnu').compared).toBeGreaterThan(30);
  });
  for (const target of MINGW) {
    it(`mingw-w64's Windows headers for ${target}`, () => {
      const inc = `/usr/${target}/include`;
      const file = tempFile('win.h', ['winsock2.h', 'ws2tcpip.h', 'shlobj.h', 'dxgi.h', 'winusb.h', 'winternl.h']
        .map((h) => `#include <${h}>`).join('\n') + '\n');
      const { compared, counted } = provenAndCounted(file, target, { systemIncludeDirs: [inc] }, ['-isystem', inc]);
      expect(compared).toBeGreaterThan(4000);
      expect(counted).toBeGreaterThan(4000);
    }, 300_000);
  }
});
