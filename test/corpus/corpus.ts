// `npm run corpus`: every Linux UAPI header (and <elf.h> and other system headers) that clang-16 accepts on its
// own, laid out by structgen and by clang for x86_64 and i386; every record compared. Prints counts and times.
// Slower than the unit tests, so it is a separate script; its figures go into the closing notes.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatDiagnostic, hasErrors } from '../../generator/diagnostics.js';
import { analyzeHeader, type PipelineOptions } from '../../generator/pipeline.js';
import { LexCache } from '../../generator/preprocess/preprocess.js';
import { CLANG, clangLayouts } from '../../generator/verify/clang.js';
import { compareWithClang, probeNames } from '../../generator/verify/compare.js';

const MULTIARCH = '/usr/include/x86_64-linux-gnu';
const OTHER = ['elf.h', 'stdio.h', 'stdlib.h', 'signal.h', 'time.h', 'termios.h', 'fcntl.h', 'dirent.h', 'link.h',
  'sys/socket.h', 'sys/stat.h', 'sys/time.h', 'sys/resource.h', 'sys/uio.h', 'sys/epoll.h', 'sys/inotify.h', 'sys/ipc.h',
  'sys/msg.h', 'sys/sem.h', 'sys/shm.h', 'sys/statfs.h', 'sys/sysinfo.h', 'sys/utsname.h', 'sys/wait.h',
  'netinet/in.h', 'netinet/ip.h', 'netinet/tcp.h', 'netinet/udp.h', 'netinet/ip_icmp.h', 'net/if.h', 'net/ethernet.h',
  'arpa/inet.h', 'utmp.h', 'tar.h', 'glob.h', 'regex.h', 'pthread.h', 'sched.h', 'ucontext.h', 'setjmp.h'];

interface Totals {
  headers: number; clangAccepted: number; structgenOk: number; structgenErrors: string[];
  recordsCompared: number; mismatches: string[]; missing: number; unresolved: string[]; probeFailures: string[];
  structgenMs: number; clangMs: number;
}

function corpus(): string[] {
  const linux = existsSync('/usr/include/linux') ? readdirSync('/usr/include/linux').filter((f) => f.endsWith('.h')).sort().map((f) => `/usr/include/linux/${f}`) : [];
  return [...linux, ...OTHER.map((f) => path.join('/usr/include', f)).filter((f) => existsSync(f) || existsSync(path.join(MULTIARCH, path.relative('/usr/include', f))))];
}

function run(target: string, headers: string[], limit: number): Totals {
  const t: Totals = { headers: 0, clangAccepted: 0, structgenOk: 0, structgenErrors: [], recordsCompared: 0, mismatches: [], missing: 0, unresolved: [], probeFailures: [], structgenMs: 0, clangMs: 0 };
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
  }
  return t;
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
    console.log(`time: structgen ${(t.structgenMs / 1000).toFixed(2)} s in one process; clang ${(t.clangMs / 1000).toFixed(2)} s (${t.clangAccepted * 2} runs)`);
    for (const e of t.structgenErrors.slice(0, 20)) console.log(`  structgen error: ${e}`);
    for (const m of t.mismatches.slice(0, 20)) console.log(`  MISMATCH ${m}`);
    for (const u of t.unresolved.slice(0, 20)) console.log(`  unresolved ${u}`);
    for (const p of t.probeFailures.slice(0, 10)) console.log(`  probe failure ${p}`);
  }
  if (json) writeFileSync(json, JSON.stringify(results, null, 2));
  const bad = Object.values(results).some((t) => t.mismatches.length || t.structgenErrors.length || t.probeFailures.length);
  process.exitCode = bad ? 1 : 0;
}

main();
