#!/usr/bin/env node
// Measures what `structgen generate` emits, using only the CLI of a checkout, so the same script gives the
// BEFORE figures (old code) and the AFTER figures (redesigned code).
//
//   node bench/emitted.mjs <structgen checkout> <out.json>        (npm run bench:emitted: this checkout)
//
// The checkout must be built (`npm run build`): the CLI is <checkout>/dist/generator/cli/main.js.
// Environment (all optional):
//   TSC=<path to tsc>            default this project's node_modules/typescript (the same tsc for every checkout)
//   CLANG=<clang>                default clang-16 (only for building the UAPI list when uapi-ok.txt is missing)
//   UAPI_OK=<file>               cache of the UAPI headers clang accepts alone; default <tmpdir>/structgen-uapi-ok.txt
//   THREE_TSC_RUNS, UAPI_TSC_RUNS, EXAMPLE_TSC_RUNS   runs of tsc --noEmit (defaults 3, 2, 3)
//   SKIP_UAPI=1                  skip the all-UAPI set
//   KEEP_WORK=1                  keep the temporary folder with the emitted modules
//
// Everything is generated in a fresh temporary folder with that folder as the working directory, so no
// structgen.config.json is picked up: the only inputs are the headers named on the command line.

import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const checkout = process.argv[2] && resolve(process.argv[2]);
const outJson = process.argv[3] && resolve(process.argv[3]);
if (!checkout || !outJson) {
  console.error('usage: node emitted-metrics.mjs <structgen checkout> <out.json>');
  process.exit(2);
}
const CLI = join(checkout, 'dist/generator/cli/main.js');
if (!existsSync(CLI)) {
  console.error(`no CLI at ${CLI}: run \`npm run build\` in the checkout first`);
  process.exit(2);
}
const TSC = process.env.TSC ??
  [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), join(checkout, 'node_modules/typescript/bin/tsc')].find(existsSync);
const CLANG = process.env.CLANG ?? 'clang-16';
const UAPI_OK = process.env.UAPI_OK ?? join(tmpdir(), 'structgen-uapi-ok.txt');
const TIME = '/usr/bin/time';
const runsOf = (name, dflt) => Number(process.env[name] ?? dflt);

const work = mkdtempSync(join(tmpdir(), 'structgen-metrics-'));

// ---------------------------------------------------------------------------------------------- helpers

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
  if (r.error) throw r.error;
  return r;
}

/** CPU seconds the whole machine has spent busy (all cores), from /proc/stat; null where there is none. */
function machineBusyS() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return (total - idle) / 100; // USER_HZ = 100 on Linux
  } catch {
    return null;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Fraction of the machine's CPUs busy over `ms` (0..1). */
async function busyFraction(ms = 2000) {
  const a = machineBusyS();
  await sleep(ms);
  const b = machineBusyS();
  return a == null || b == null ? null : (b - a) / (ms / 1000) / cpus().length;
}

/**
 * Timings are only worth something on a quiet machine: wait (up to QUIET_MAX_WAIT s, default 900) until
 * three 2-second samples in a row show under QUIET_BUSY (default 0.15) of the CPUs busy. QUIET_MAX_WAIT=0 skips.
 */
async function waitQuiet(label) {
  const maxWait = Number(process.env.QUIET_MAX_WAIT ?? 900);
  const limit = Number(process.env.QUIET_BUSY ?? 0.15);
  const t0 = Date.now();
  let quiet = 0;
  let last = null;
  while (maxWait > 0 && (Date.now() - t0) / 1000 < maxWait) {
    last = await busyFraction(2000);
    if (last == null) return { waitedS: 0, busy: null };
    quiet = last < limit ? quiet + 1 : 0;
    if (quiet >= 3) break;
  }
  const waitedS = round((Date.now() - t0) / 1000, 0);
  if (waitedS > 10) console.error(`  (${label}: waited ${waitedS} s for a quiet machine; last sample ${round(last, 2)} busy)`);
  return { waitedS, busy: round(last, 2), quiet: quiet >= 3 };
}

/**
 * Runs a command under /usr/bin/time -v: wall seconds (own clock), max RSS MiB, exit code, output, and
 * otherCpuS: CPU seconds the rest of the machine spent meanwhile (0 on a quiet machine; large = contended).
 */
function timed(cmd, args, opts = {}) {
  const b0 = machineBusyS();
  const t0 = process.hrtime.bigint();
  const r = sh(TIME, ['-v', cmd, ...args], opts);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const b1 = machineBusyS();
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const rssMiB = m ? Number(m[1]) / 1024 : null;
  const user = Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN);
  const sys = Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN);
  const otherCpuS = b0 == null || b1 == null || Number.isNaN(user + sys) ? null : Math.max(0, b1 - b0 - user - sys);
  // time -v's report is the tail of stderr: strip it to keep the command's own stderr
  const cut = r.stderr.lastIndexOf('\tCommand being timed:');
  const stderr = cut >= 0 ? r.stderr.slice(0, cut) : r.stderr;
  return { wall, rssMiB, cpuS: user + sys, otherCpuS, status: r.status, stdout: r.stdout, stderr };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? null : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const round = (x, d = 2) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);

function countLines(text) {
  if (text.length === 0) return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}

function listFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

const isRuntime = (f) => basename(f).startsWith('structgen-runtime');
// included.ts before the shared module was named by its content, included-<hash>.ts (and its .asserts.ts) since
const isIncluded = (f) => /^included(-[0-9a-f]+)?$/.test(basename(f).replace(/(\.asserts)?\.(d\.)?[cm]?[tj]s$/, ''));
// a module's layout asserts, written beside it since the modules say @ts-nocheck
const isAsserts = (f) => /\.asserts\.[cm]?ts$/.test(f);

/** Sizes of everything emitted into `dir`, split into runtime / included / per-header modules. */
function measureDir(dir) {
  const files = listFiles(dir).map((p) => {
    const text = readFileSync(p, 'utf8');
    return { file: relative(dir, p), bytes: statSync(p).size, lines: countLines(text), text };
  });
  const ts = files.filter((f) => f.file.endsWith('.ts'));
  const sum = (fs) => ({
    files: fs.length,
    bytes: fs.reduce((a, f) => a + f.bytes, 0),
    lines: fs.reduce((a, f) => a + f.lines, 0),
  });
  // "// N records, M enums, K constants" in the header comment of each module (old code's format; null if absent)
  let commentRecords = 0;
  let commentRecordsSeen = false;
  let includedCommentRecords = null;
  for (const f of ts) {
    const m = /^\/\/ (\d+) records?\b/m.exec(f.text.slice(0, 2000));
    if (m) {
      commentRecordsSeen = true;
      commentRecords += Number(m[1]);
      if (isIncluded(f.file)) includedCommentRecords = Number(m[1]);
    }
  }
  return {
    allFiles: sum(files),
    ts: sum(ts),
    runtime: sum(ts.filter((f) => isRuntime(f.file))),
    included: sum(ts.filter((f) => isIncluded(f.file))),
    asserts: sum(ts.filter((f) => isAsserts(f.file))),
    modules: sum(ts.filter((f) => !isRuntime(f.file) && !isIncluded(f.file) && !isAsserts(f.file))),
    recordsFromModuleComments: commentRecordsSeen ? commentRecords : null,
    includedRecordsFromComment: includedCommentRecords,
    files: files.map(({ file, bytes, lines }) => ({ file, bytes, lines })),
  };
}

/** `structgen layout --json` over the headers: record count, or an error. */
function layoutRecords(headers, cwd) {
  const r = sh(process.execPath, [CLI, 'layout', '--json', ...headers], { cwd });
  if (r.status !== 0) return { ok: false, status: r.status, stderr: r.stderr.slice(0, 4000) };
  const j = JSON.parse(r.stdout);
  const byFile = {};
  for (const rec of j.records) byFile[rec.file] = (byFile[rec.file] ?? 0) + 1;
  return { ok: true, records: j.records.length, byFile };
}

async function generate(headers, outDir, cwd) {
  rmSync(outDir, { recursive: true, force: true });
  const q = await waitQuiet('generate');
  return { ...timed(process.execPath, [CLI, 'generate', ...headers, '-o', outDir], { cwd }), quietBefore: q };
}

/** Runs `fn(item)` over items with `n` at a time (fn returns a promise). */
async function pool(items, n, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  }));
  return results;
}

const runAsync = (cmd, args, opts = {}) => new Promise((res) => {
  const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...opts });
  let err = '';
  p.stderr.on('data', (d) => { if (err.length < 4000) err += d; });
  p.on('close', (code) => res({ code, err }));
});

/**
 * One `generate` call over all the headers; when it fails, drop the failing headers and try again.
 * Failing headers: those named in the error output, else found by generating each header on its own.
 */
async function generateDroppingFailures(headers, outDir, cwd) {
  let current = [...headers];
  const failed = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const g = await generate(current, outDir, cwd);
    if (g.status === 0) return { gen: g, used: current, failed };
    console.error(`  generate over ${current.length} headers failed (exit ${g.status}); looking for the failing headers`);
    let bad = current.filter((h) => g.stderr.includes(h));
    if (bad.length === 0 || bad.length === current.length) {
      const scratch = join(work, 'single');
      const res = await pool(current, Math.max(1, Math.min(2, cpus().length)), async (h) => {
        const d = join(scratch, basename(h) + '-' + Math.random().toString(36).slice(2));
        const r = await runAsync(process.execPath, [CLI, 'generate', h, '-o', d], { cwd });
        rmSync(d, { recursive: true, force: true });
        return { h, ...r };
      });
      bad = res.filter((r) => r.code !== 0).map((r) => r.h);
      for (const r of res.filter((r) => r.code !== 0)) failed.push({ header: r.h, exit: r.code, stderr: r.err.trim().slice(0, 600) });
    } else {
      for (const h of bad) failed.push({ header: h, exit: g.status, stderr: g.stderr.trim().slice(0, 600) });
    }
    if (bad.length === 0) return { gen: g, used: current, failed, error: 'generate fails but no single header does' };
    current = current.filter((h) => !bad.includes(h));
  }
  return { gen: null, used: current, failed, error: 'gave up after 5 attempts' };
}

/** tsc --noEmit over an emitted folder as a new user would: a tsconfig + package.json beside the folder. */
async function tscRuns(setDir, outName, runs) {
  writeFileSync(join(setDir, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }, null, 2));
  writeFileSync(join(setDir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'ES2022',
      lib: ['es2022', 'dom'],
      skipLibCheck: true,
      noEmit: true,
      types: [],
    },
    include: [`${outName}/**/*.ts`],
  }, null, 2));
  const all = [];
  for (let i = 0; i < runs; i++) {
    const q = await waitQuiet('tsc');
    const r = timed(process.execPath, [TSC, '-p', join(setDir, 'tsconfig.json')], { cwd: setDir });
    const errors = (r.stdout.match(/error TS\d+/g) ?? []).length;
    all.push({ wall: round(r.wall, 3), rssMiB: round(r.rssMiB, 1), cpuS: round(r.cpuS, 2), otherCpuS: round(r.otherCpuS, 1), quietBefore: q, exit: r.status, errors });
    console.error(`  tsc run ${i + 1}/${runs}: ${r.wall.toFixed(2)} s, ${r.rssMiB?.toFixed(0)} MiB, exit ${r.status}, ${errors} errors, other processes used ${r.otherCpuS?.toFixed(1)} CPU s meanwhile`);
    if (r.status !== 0 && i === 0) all[0].firstErrors = r.stdout.split('\n').slice(0, 20).join('\n');
  }
  return {
    runs: all,
    medianWallS: round(median(all.map((r) => r.wall)), 2),
    maxRssMiB: round(Math.max(...all.map((r) => r.rssMiB ?? 0)), 1),
    medianCpuS: round(median(all.map((r) => r.cpuS)), 2),
    maxOtherCpuS: round(Math.max(...all.map((r) => r.otherCpuS ?? 0)), 1),
    ok: all.every((r) => r.exit === 0),
  };
}

function perRecord(m, records) {
  return {
    bytesPerRecord: records ? round(m.ts.bytes / records, 1) : null,
    linesPerRecord: records ? round(m.ts.lines / records, 1) : null,
    moduleBytesPerRecord: records ? round(m.modules.bytes / records, 1) : null,
    moduleLinesPerRecord: records ? round(m.modules.lines / records, 1) : null,
  };
}

const genSummary = (g) => g && { wallS: round(g.wall, 2), maxRssMiB: round(g.rssMiB, 1), cpuS: round(g.cpuS, 2), otherCpuS: round(g.otherCpuS, 1), quietBefore: g.quietBefore, exit: g.status };

// ---------------------------------------------------------------------------------------------- sets

const result = {
  measuredAt: new Date().toISOString(),
  checkout,
  commit: sh('git', ['-C', checkout, 'rev-parse', 'HEAD']).stdout.trim() || null,
  dirty: sh('git', ['-C', checkout, 'status', '--porcelain', '--untracked-files=no']).stdout.trim() !== '',
  structgenVersion: sh(process.execPath, [CLI, '--version']).stdout.trim(),
  node: process.version,
  tsc: sh(process.execPath, [TSC, '--version']).stdout.trim(),
  tscPath: TSC,
  notes: [
    'bytes/lines: all emitted .ts files (runtime + included-<hash>.ts + per-header modules + their .asserts.ts; asserts counts those, included the included module with its asserts); lines counted like wc -l (+1 for a last line without newline)',
    'records: `structgen layout --json` record count over the named headers (records of included headers are not in it; named anonymous nested records are not in it)',
    'recordsFromModuleComments: sum of the "// N records" header comments of the emitted modules (includes included.ts and anonymous nested records); null when the modules carry no such comment',
    'timings: before each timed run the script waits (QUIET_MAX_WAIT s, default 900) for <QUIET_BUSY (0.15) of the CPUs busy; otherCpuS = CPU seconds other processes used during the run (contention indicator)',
    'tsc: tsc -p tsconfig.json (strict, module/moduleResolution nodenext, target ES2022, lib es2022+dom, skipLibCheck, noEmit, types []) with a package.json {type: module} beside the emitted folder; wall = own clock, RSS = /usr/bin/time -v max resident set',
  ],
};

// a. example set ---------------------------------------------------------------------------------
{
  console.error('== example set');
  const headers = readdirSync(join(checkout, 'headers')).filter((f) => f.endsWith('.h')).sort().map((f) => join(checkout, 'headers', f));
  const setDir = join(work, 'example');
  mkdirSync(setDir, { recursive: true });
  const g = await generate(headers, join(setDir, 'out'), setDir);
  if (g.status !== 0) throw new Error(`generate failed on the example set:\n${g.stderr}`);
  const m = measureDir(join(setDir, 'out'));
  const perHeader = {};
  let records = 0;
  for (const h of headers) {
    const l = layoutRecords([h], setDir);
    perHeader[basename(h)] = l.ok ? l.records : null;
    records += l.ok ? l.records : 0;
  }
  const tsc = await tscRuns(setDir, 'out', runsOf('EXAMPLE_TSC_RUNS', 3));
  result.example = {
    headers: headers.map((h) => relative(checkout, h)),
    records,
    recordsPerHeader: perHeader,
    ...perRecord(m, records),
    generate: genSummary(g),
    emitted: m,
    tsc,
  };
}

// b. three real headers ----------------------------------------------------------------------------
{
  console.error('== three real headers');
  const wanted = ['/usr/include/elf.h', '/usr/include/linux/input.h', '/usr/include/pcap/pcap.h'];
  const headers = wanted.filter(existsSync);
  const missing = wanted.filter((h) => !existsSync(h));
  const setDir = join(work, 'three');
  mkdirSync(setDir, { recursive: true });
  const g = await generate(headers, join(setDir, 'out'), setDir);
  if (g.status !== 0) throw new Error(`generate failed on the three headers:\n${g.stderr}`);
  const m = measureDir(join(setDir, 'out'));
  const perHeader = {};
  let records = 0;
  for (const h of headers) {
    const l = layoutRecords([h], setDir);
    perHeader[h] = l.ok ? l.records : null;
    records += l.ok ? l.records : 0;
  }
  const elf = m.files.find((f) => /^elf\.[cm]?ts$/.test(basename(f.file)));
  const tsc = await tscRuns(setDir, 'out', runsOf('THREE_TSC_RUNS', 3));
  result.three = {
    headers,
    missing,
    pcapAvailable: existsSync('/usr/include/pcap/pcap.h'),
    records,
    recordsPerHeader: perHeader,
    ...perRecord(m, records),
    elfModule: elf ? { file: elf.file, bytes: elf.bytes, lines: elf.lines } : null,
    generate: genSummary(g),
    emitted: m,
    tsc,
  };
}

// c. all UAPI headers -------------------------------------------------------------------------------
if (process.env.SKIP_UAPI !== '1') {
  console.error('== all UAPI headers');
  let list;
  if (existsSync(UAPI_OK)) {
    list = readFileSync(UAPI_OK, 'utf8').split('\n').filter(Boolean);
    console.error(`  ${list.length} headers from ${UAPI_OK}`);
  } else {
    const all = readdirSync('/usr/include/linux').filter((f) => f.endsWith('.h')).sort().map((f) => join('/usr/include/linux', f));
    console.error(`  checking ${all.length} headers with ${CLANG} -fsyntax-only -x c ...`);
    const res = await pool(all, Math.max(1, Math.min(2, cpus().length)), async (h) => ({ h, ...(await runAsync(CLANG, ['-fsyntax-only', '-x', 'c', h])) }));
    list = res.filter((r) => r.code === 0).map((r) => r.h);
    mkdirSync(dirname(UAPI_OK), { recursive: true });
    writeFileSync(UAPI_OK, list.join('\n') + '\n');
    console.error(`  ${list.length} of ${all.length} accepted; cached in ${UAPI_OK}`);
  }
  const setDir = join(work, 'uapi');
  mkdirSync(setDir, { recursive: true });
  const { gen: g, used, failed, error } = await generateDroppingFailures(list, join(setDir, 'out'), setDir);
  if (!g || g.status !== 0) throw new Error(`generate over the UAPI headers failed: ${error}`);
  const m = measureDir(join(setDir, 'out'));
  const l = layoutRecords(used, setDir);
  const tsc = await tscRuns(setDir, 'out', runsOf('UAPI_TSC_RUNS', 2));
  result.uapi = {
    listFile: UAPI_OK,
    accepted: list.length,
    generated: used.length,
    failedHeaders: failed,
    records: l.ok ? l.records : null,
    layoutError: l.ok ? undefined : l.stderr,
    ...perRecord(m, l.ok ? l.records : 0),
    generate: genSummary(g),
    emitted: { ...m, files: undefined, fileCount: m.files.length, largest: [...m.files].sort((a, b) => b.bytes - a.bytes).slice(0, 10) },
    tsc,
  };
}

// ---------------------------------------------------------------------------------------------- report

mkdirSync(dirname(outJson), { recursive: true });
writeFileSync(outJson, JSON.stringify(result, null, 2) + '\n');

const kb = (b) => (b / 1024).toFixed(1) + ' KiB';
const rows = [];
const row = (...cells) => rows.push(cells.map(String));
function section(title, s, extra = []) {
  rows.push([]);
  row(`${title}`, '');
  row('  emitted .ts files', s.emitted.ts.files);
  row('  total .ts bytes / lines', `${s.emitted.ts.bytes} (${kb(s.emitted.ts.bytes)}) / ${s.emitted.ts.lines}`);
  row('  runtime bytes / lines', `${s.emitted.runtime.bytes} / ${s.emitted.runtime.lines}`);
  row('  included.ts bytes / lines', `${s.emitted.included.bytes} / ${s.emitted.included.lines}`);
  row('  per-header modules bytes / lines', `${s.emitted.modules.bytes} / ${s.emitted.modules.lines} (${s.emitted.modules.files} files)`);
  row('  records (layout --json)', s.records);
  row('  records (module comments, incl. included/anon)', s.emitted.recordsFromModuleComments ?? 'n/a');
  row('  bytes / record (all .ts)', s.bytesPerRecord);
  row('  lines / record (all .ts)', s.linesPerRecord);
  row('  bytes / record (modules only)', s.moduleBytesPerRecord);
  row('  lines / record (modules only)', s.moduleLinesPerRecord);
  row('  generate wall s / max RSS MiB (1 run)', `${s.generate.wallS} / ${s.generate.maxRssMiB}  (other procs: ${s.generate.otherCpuS} CPU s)`);
  for (const [k, v] of extra) row('  ' + k, v);
  row(`  tsc --noEmit median wall s (${s.tsc.runs.length} runs)`, `${s.tsc.medianWallS}${s.tsc.ok ? '' : '  (ERRORS: ' + s.tsc.runs[0].errors + ')'}`);
  row('  tsc --noEmit max RSS MiB', s.tsc.maxRssMiB);
  row('  tsc --noEmit median CPU s (user+sys)', `${s.tsc.medianCpuS}  (other procs, max: ${s.tsc.maxOtherCpuS} CPU s)`);
}
row('structgen emitted-code metrics', '');
row('  checkout', `${result.checkout} @ ${result.commit?.slice(0, 12)}${result.dirty ? ' (dirty)' : ''}`);
row('  structgen / node / tsc', `${result.structgenVersion} / ${result.node} / ${result.tsc}`);
section('a. example set (headers/*.h)', result.example);
section('b. three real headers', result.three, [
  ['headers', result.three.headers.map((h) => basename(h)).join(', ') + (result.three.missing.length ? `  (missing: ${result.three.missing.join(', ')})` : '')],
  ['elf module bytes / lines', result.three.elfModule ? `${result.three.elfModule.bytes} / ${result.three.elfModule.lines}` : 'n/a'],
]);
if (result.uapi) {
  section('c. all UAPI headers', result.uapi, [
    ['headers accepted by clang / generated', `${result.uapi.accepted} / ${result.uapi.generated}`],
    ['failed headers', result.uapi.failedHeaders.length ? result.uapi.failedHeaders.map((f) => f.header).join(', ') : 'none'],
  ]);
}
const w = Math.max(...rows.map((r) => (r[0] ?? '').length));
console.log(rows.map((r) => (r.length ? r[0].padEnd(w) + '  ' + (r[1] ?? '') : '')).join('\n'));
console.log(`\nwritten ${outJson}`);

if (process.env.KEEP_WORK === '1') console.log(`emitted modules kept in ${work}`);
else rmSync(work, { recursive: true, force: true });
