// `npm run bench` (generator): `structgen generate` over every Linux UAPI header that clang accepts on its own,
// in one process, against `clang-16 -fsyntax-only` and Debian's `bindgen` over the same headers (one process
// per header, as a build runs them), measured in the same run. Prints a table with ratios, and the UAPI ratio of
// issue 20: one run of the built `structgen generate` command (start-up, worker threads and writing the files
// included) against the sum of the per-header clang runs, in wall time and in CPU time (the CPU times are what a
// machine shared with other work still measures fairly).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLANG = process.env.STRUCTGEN_CLANG ?? 'clang-16';
const UAPI = '/usr/include/linux';

function has(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { encoding: 'utf8' }).status === 0;
}

/** CPU seconds (user + system) of finished child processes so far. */
function childCpu(): number {
  // process.resourceUsage() counts this process only; the waited-for children's times are in /proc
  try {
    const f = readFileSync('/proc/self/stat', 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime (fields 16 and 17), in ticks of 1/100 s
  } catch {
    return NaN;
  }
}

function timed(cmd: string, args: string[], env?: NodeJS.ProcessEnv): { ok: boolean; ms: number; cpu: number; stderr: string } {
  const c0 = childCpu();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...(env ? { env } : {}) });
  return { ok: r.status === 0, ms: Number(process.hrtime.bigint() - t0) / 1e6, cpu: childCpu() - c0, stderr: r.stderr };
}

function main() {
  if (!existsSync(UAPI)) { process.stdout.write(`Generator: ${UAPI} not present; skipped.\n`); return; }
  if (!has(CLANG)) { process.stdout.write(`Generator: ${CLANG} not found; it picks the headers (apt-get install -y clang-16). Skipped.\n`); return; }
  const all = readdirSync(UAPI).filter((f) => f.endsWith('.h')).sort().map((f) => path.join(UAPI, f));
  let clangMs = 0;
  let clangCpu = 0;
  const accepted: string[] = [];
  for (const h of all) {
    const r = timed(CLANG, ['-fsyntax-only', '-w', '-x', 'c', h]);
    if (r.ok) { accepted.push(h); clangMs += r.ms; clangCpu += r.cpu; }
  }
  const list = path.join(mkdtempSync(path.join(os.tmpdir(), 'structgen-bench-')), 'headers.txt');
  writeFileSync(list, accepted.join('\n'));
  const worker = spawnSync(process.execPath, [path.join(HERE, 'generate-worker.js'), list], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (worker.status !== 0) throw new Error(`generate failed:\n${worker.stderr}`);
  const sg = JSON.parse(worker.stdout) as { ms: number; headers: number; files: number; records: number; errors: boolean; bytes: number; maxRssMiB: number };
  const rows: string[][] = [];
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  rows.push(['structgen generate (one process)', `${sg.headers}`, s(sg.ms), (sg.headers / (sg.ms / 1000)).toFixed(0), (sg.records / (sg.ms / 1000)).toFixed(0), `${sg.maxRssMiB.toFixed(0)} MiB`, '1.0']);
  rows.push([`${CLANG} -fsyntax-only (a process per header)`, `${accepted.length}`, s(clangMs), (accepted.length / (clangMs / 1000)).toFixed(0), '', '', (clangMs / sg.ms).toFixed(1)]);
  if (has('bindgen')) {
    let bgMs = 0;
    let ok = 0;
    for (const h of accepted) {
      const r = timed('bindgen', [h, '-o', '/dev/null', '--', '-w']);
      bgMs += r.ms;
      if (r.ok) ok++;
    }
    rows.push([`bindgen (a process per header; ${accepted.length - ok} failed)`, `${accepted.length}`, s(bgMs), (accepted.length / (bgMs / 1000)).toFixed(0), '', '', (bgMs / sg.ms).toFixed(1)]);
  } else {
    rows.push(['bindgen', 'not installed (Debian: apt-get install -y bindgen)', '', '', '', '', '']);
  }
  const head = ['run', 'headers', 'time', 'headers/s', 'records/s', 'peak memory', 'time / structgen'];
  const table = [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  // issue 20's measure: the command as users run it, with and without worker threads
  const bin = path.join(HERE, '../generator/cli/main.js');
  const cli = (workers: string | undefined) => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'structgen-bench-cli-'));
    const env = { ...process.env };
    if (workers === undefined) delete env.STRUCTGEN_WORKERS; else env.STRUCTGEN_WORKERS = workers;
    const r = timed(process.execPath, [bin, 'generate', ...accepted, '-o', out], env);
    rmSync(out, { recursive: true, force: true });
    if (!r.ok) throw new Error(`structgen generate failed:\n${r.stderr.slice(-2000)}`);
    return r;
  };
  const auto = cli(undefined);
  const single = cli('0');
  const ratio = (a: number, b: number) => (a / b).toFixed(1);
  process.stdout.write(`\nUAPI ratio (issue 20): ${accepted.length} headers; ${CLANG} -fsyntax-only summed over a process per header ` +
    `${s(clangMs)} wall, ${clangCpu.toFixed(2)} s CPU; one \`structgen generate\` over them ${s(auto.ms)} wall, ${auto.cpu.toFixed(2)} s CPU ` +
    `(worker threads as the machine's cores allow), ${s(single.ms)} wall, ${single.cpu.toFixed(2)} s CPU (STRUCTGEN_WORKERS=0).\n` +
    `  ratio clang / structgen: ${ratio(clangMs, auto.ms)} wall (${ratio(clangMs, single.ms)} on one thread), ${ratio(clangCpu, auto.cpu)} CPU (${ratio(clangCpu, single.cpu)} on one thread); aim: 5\n`);
  process.stdout.write(`\nGenerator: every ${UAPI}/*.h that ${CLANG} accepts on its own (${accepted.length} of ${all.length}); ` +
    `structgen wrote ${sg.files} modules, ${sg.records} records, ${(sg.bytes / 1e6).toFixed(1)} MB${sg.errors ? ' (with errors)' : ''}\n\n${table}\n`);
}

main();
