// `npm run corpus`: every Linux UAPI header (and <elf.h> and other system headers) that clang-16 accepts on its
// own, laid out by structgen and by clang for x86_64 and i386; every record compared, and every record clang lays out
// counted (none may be missing from structgen's facts). Then SDL2's headers (x86_64) and mingw-w64's Windows headers
// (x86_64- and i686-w64-mingw32), where installed. Prints counts and times. Slower than the unit tests, so it is a
// separate script; its figures go into the closing notes.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatDiagnostic, hasErrors } from '../../generator/diagnostics.js';
import { analyzeHeader, type PipelineOptions } from '../../generator/pipeline.js';
import { LexCache } from '../../generator/preprocess/preprocess.js';
import { CLANG, clangLayouts } from '../../generator/verify/clang.js';
import { compareWithClang, probeNames } from '../../generator/verify/compare.js';
import { checkAgainstClang } from '../helpers/compiler.js';
import { countRecords } from './records.js';

const MULTIARCH = '/usr/include/x86_64-linux-gnu';
const OTHER = ['elf.h', 'stdio.h', 'stdlib.h', 'signal.h', 'time.h', 'termios.h', 'fcntl.h', 'dirent.h', 'link.h',
  'sys/socket.h', 'sys/stat.h', 'sys/time.h', 'sys/resource.h', 'sys/uio.h', 'sys/epoll.h', 'sys/inotify.h', 'sys/ipc.h',
  'sys/msg.h', 'sys/sem.h', 'sys/shm.h', 'sys/statfs.h', 'sys/sysinfo.h', 'sys/utsname.h', 'sys/wait.h',
  'netinet/in.h', 'netinet/ip.h', 'netinet/tcp.h', 'netinet/udp.h', 'netinet/ip_icmp.h', 'net/if.h', 'net/ethernet.h',
  'arpa/inet.h', 'utmp.h', 'tar.h', 'glob.h', 'regex.h', 'pthread.h', 'sched.h', 'ucontext.h', 'setjmp.h'];

const DEV_HEADERS = ['X11/Xlib.h', 'X11/Xutil.h', 'alsa/asoundlib.h', 'GL/gl.h', 'EGL/egl.h', 'GLES3/gl3.h', 'expat.h', 'bzlib.h',
  'zlib.h', 'gcrypt.h', 'curses.h', 'libpng16/png.h', 'gbm.h', 'xkbcommon/xkbcommon.h', 'wayland-client.h', 'libudev.h',
  'pulse/pulseaudio.h', 'fontconfig/fontconfig.h', 'libdrm/drm.h', 'gnutls/gnutls.h', 'lzma.h', 'pcap/pcap.h', 'nspr/prtypes.h',
  'python3.11/Python.h', 'libusb-1.0/libusb.h', 'ext2fs/ext2_fs.h', 'zstd.h', 'sndfile.h'];

interface Totals {
  headers: number; clangAccepted: number; structgenOk: number; structgenErrors: string[];
  recordsCompared: number; mismatches: string[]; missing: number; unresolved: string[]; probeFailures: string[];
  structgenMs: number; clangMs: number;
  /** Records clang lays out (every complete one), and those structgen has no facts for. */
  recordsCounted: number; lost: string[];
}

function corpus(): string[] {
  const linux = existsSync('/usr/include/linux') ? readdirSync('/usr/include/linux').filter((f) => f.endsWith('.h')).sort().map((f) => `/usr/include/linux/${f}`) : [];
  return [...linux, ...OTHER.map((f) => path.join('/usr/include', f)).filter((f) => existsSync(f) || existsSync(path.join(MULTIARCH, path.relative('/usr/include', f))))];
}

function run(target: string, headers: string[], limit: number): Totals {
  const t: Totals = { headers: 0, clangAccepted: 0, structgenOk: 0, structgenErrors: [], recordsCompared: 0, mismatches: [], missing: 0, unresolved: [], probeFailures: [], structgenMs: 0, clangMs: 0, recordsCounted: 0, lost: [] };
  const i386 = target === 'i386-linux-gnu';
  const opts: PipelineOptions = i386 ? { target, sysroot: '/', systemIncludeDirs: [MULTIARCH] } : { target };
  const clangExtra = i386 ? [`-isystem${MULTIARCH}`] : [];
  const cache = new LexCache();
  for (const h0 of headers.slice(0, limit)) {
    const h = existsSync(h0) ? h0 : path.join(MULTIARCH, path.relative('/usr/include', h0));
    t.headers++;
    let c0 = performance.now();
    const accept = spawnSync(CLANG, [`--target=${target}`, '-fsyntax-only', '-w', ...clangExtra, '-x', 'c', '-'], { input: `#include "${h}"\n`, encoding: 'utf8' });
    t.clangMs += performance.now() - c0;
    if (accept.status !== 0) continue;
    t.clangAccepted++;
    const s0 = performance.now();
    const a = analyzeHeader(h, { ...opts, cache });
    t.structgenMs += performance.now() - s0;
    if (hasErrors(a.diagnostics)) {
      t.structgenErrors.push(`${h}: ${a.diagnostics.filter((d) => d.severity === 'error').slice(0, 2).map(formatDiagnostic).join(' | ')}`);
      continue;
    }
    t.structgenOk++;
    a.resolved!.records.forEach((r, i) => { if (!r) t.unresolved.push(`${h}: ${a.program!.records[i]!.kind} ${a.program!.records[i]!.tag ?? a.program!.records[i]!.typedefName ?? '(anonymous)'} at ${a.program!.records[i]!.pos.file}:${a.program!.records[i]!.pos.line}`); });
    c0 = performance.now();
    const cl = clangLayouts(`#include "${h}"`, h, target, probeNames(a), clangExtra);
    t.clangMs += performance.now() - c0;
    if (!cl.ok) { t.probeFailures.push(`${h}: ${cl.stderr.split('\n').find((l) => l.includes('error')) ?? cl.stderr.slice(0, 200)}`); continue; }
    const c = compareWithClang(a, cl);
    t.recordsCompared += c.compared;
    t.missing += c.missing.length;
    for (const m of c.mismatches) t.mismatches.push(`${h}: ${m.record} (${m.file}:${m.line}): ${m.what}`);
    const n = countRecords(h, target, opts, clangExtra);
    t.recordsCounted += n.clang;
    for (const l of n.lost) t.lost.push(`${h}: ${l}`);
  }
  return t;
}

/** Other system headers, where installed: SDL2 (x86_64) and mingw-w64's Windows headers, each one translation unit. */
function others(): Array<{ name: string; compared: number; mismatches: number; counted: number; lost: readonly string[]; errors: string[]; ms: number }> {
  const out: ReturnType<typeof others> = [];
  const sets: Array<[string, string, string[], PipelineOptions, string[]]> = [];
  if (existsSync('/usr/include/SDL2/SDL.h')) sets.push(['SDL2 (SDL.h)', 'x86_64-linux-gnu', ['/usr/include/SDL2/SDL.h'], {}, []]);
  // other libraries' -dev headers on the machine (SDL2's dependencies bring many), each that clang accepts on its own
  for (const h of DEV_HEADERS) {
    const f = `/usr/include/${h}`;
    if (!existsSync(f)) continue;
    const ok = spawnSync(CLANG, ['-fsyntax-only', '-w', '-x', 'c', '-'], { input: `#include <${h}>\n`, encoding: 'utf8' });
    if (ok.status === 0) sets.push([h, 'x86_64-linux-gnu', [f], {}, []]);
  }
  for (const t of ['x86_64-w64-mingw32', 'i686-w64-mingw32']) {
    const inc = `/usr/${t}/include`;
    if (!existsSync(`${inc}/windows.h`)) continue;
    const hs = ['windows.h', 'winsock2.h', 'ws2tcpip.h', 'shlobj.h', 'dxgi.h', 'winusb.h', 'winternl.h', 'iphlpapi.h', 'setupapi.h', 'hidsdi.h', 'd3d11.h', 'dbghelp.h']
      .filter((h) => existsSync(`${inc}/${h}`));
    sets.push([`mingw-w64 ${t} (${hs.join(', ')})`, t, hs.map((h) => `<${h}>`), { systemIncludeDirs: [inc] }, ['-isystem', inc]]);
  }
  for (const [name, target, headers, opts, flags] of sets) {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'structgen-corpus-')), 'tu.h');
    writeFileSync(file, headers.map((h) => (h.startsWith('<') ? `#include ${h}` : `#include "${h}"`)).join('\n') + '\n');
    const t0 = performance.now();
    const r = checkAgainstClang(file, target, opts, undefined, flags);
    const n = countRecords(file, target, opts, flags);
    out.push({
      name, compared: r.comparison.compared, mismatches: r.comparison.mismatches.length, counted: n.clang, lost: n.lost,
      errors: [...r.analysis.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), ...(r.clangOk ? [] : [r.clangStderr.slice(0, 300)])],
      ms: performance.now() - t0,
    });
  }
  return out;
}

function main() {
  const args = process.argv.slice(2);
  const targets = args.filter((a) => !a.startsWith('--'));
  const limit = Number(args.find((a) => a.startsWith('--limit='))?.slice(8) ?? Infinity);
  const json = args.find((a) => a.startsWith('--json='))?.slice(7);
  const headers = corpus();
  const results: Record<string, Totals> = {};
  for (const target of targets.length ? targets : ['x86_64-linux-gnu', 'i386-linux-gnu']) {
    const t = run(target, headers, limit);
    results[target] = t;
    console.log(`\n== ${target}`);
    console.log(`headers: ${t.headers}, accepted by clang on their own: ${t.clangAccepted}, structgen ok: ${t.structgenOk}`);
    console.log(`records compared: ${t.recordsCompared}, mismatches: ${t.mismatches.length}, not in clang's dump: ${t.missing}, unresolved by structgen: ${t.unresolved.length}`);
    console.log(`records clang lays out: ${t.recordsCounted}, missing from structgen's facts: ${t.lost.length}`);
    for (const l of t.lost.slice(0, 20)) console.log(`  LOST ${l}`);
    console.log(`time: structgen ${(t.structgenMs / 1000).toFixed(2)} s in one process; clang ${(t.clangMs / 1000).toFixed(2)} s (${t.clangAccepted * 2} runs)`);
    for (const e of t.structgenErrors.slice(0, 20)) console.log(`  structgen error: ${e}`);
    for (const m of t.mismatches.slice(0, 20)) console.log(`  MISMATCH ${m}`);
    for (const u of t.unresolved.slice(0, 20)) console.log(`  unresolved ${u}`);
    for (const p of t.probeFailures.slice(0, 10)) console.log(`  probe failure ${p}`);
  }
  const extra = others();
  for (const o of extra) {
    console.log(`\n== ${o.name}`);
    console.log(`records compared: ${o.compared}, mismatches: ${o.mismatches}; records clang lays out: ${o.counted}, missing: ${o.lost.length}; ${(o.ms / 1000).toFixed(1)} s`);
    for (const e of o.errors.slice(0, 5)) console.log(`  error: ${e}`);
    for (const l of o.lost.slice(0, 10)) console.log(`  LOST ${l}`);
  }
  if (json) writeFileSync(json, JSON.stringify({ ...results, others: extra }, null, 2));
  const bad = Object.values(results).some((t) => t.mismatches.length || t.structgenErrors.length || t.probeFailures.length || t.lost.length)
    || extra.some((o) => o.mismatches || o.lost.length || o.errors.length);
  process.exitCode = bad ? 1 : 0;
}

main();
