// `npm run bench` (CLI latency): wall time of `structgen --version`, `--help`, a usage error and `structgen check` on
// this project's own example (generated/ and structgen.lock.json, six headers), beside a bare `node -e 0`, each run
// as a fresh process, rounds interleaved; prints the median and best of BENCH_CLI_ROUNDS (default 15) and the
// difference from Node's own start-up. With GNU time (/usr/bin/time) the processes' CPU time (user + system) is
// shown too: it is what start-up costs, and it moves less than wall time on a machine others are using.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'dist/generator/cli/main.js');
const ROUNDS = Number(process.env.BENCH_CLI_ROUNDS ?? 15);

interface Case { name: string; args: string[]; code: number }
const CASES: Case[] = [
  { name: 'node -e 0', args: ['-e', '0'], code: 0 },
  { name: 'structgen --version', args: [BIN, '--version'], code: 0 },
  { name: 'structgen --help', args: [BIN, '--help'], code: 0 },
  { name: 'structgen generat (a usage error)', args: [BIN, 'generat'], code: 2 },
  { name: 'structgen check (example project)', args: [BIN, 'check'], code: 0 },
];

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const cpuFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'structgen-bench-cli-')), 'cpu');

/** Wall time, and CPU time when GNU time can report it (it adds its own fork to the wall time of every case alike). */
function once(c: Case): { wall: number; cpu: number | null } {
  const [cmd, args] = TIME ? [TIME, ['-f', '%U %S', '-o', cpuFile, process.execPath, ...c.args]] : [process.execPath, c.args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== c.code) throw new Error(`${c.name}: exit ${r.status}, expected ${c.code}\n${r.stderr}`);
  const cpu = TIME ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).reduce((a, x) => a + Number(x) * 1000, 0) : null;
  return { wall, cpu };
}

function main() {
  const times = new Map<Case, Array<{ wall: number; cpu: number | null }>>(CASES.map((c) => [c, []]));
  for (const c of CASES) once(c); // warm the file cache
  for (let i = 0; i < ROUNDS; i++) for (const c of CASES) times.get(c)!.push(once(c));
  const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
  const wall = (c: Case) => times.get(c)!.map((t) => t.wall);
  const cpu = (c: Case) => times.get(c)!.map((t) => t.cpu ?? NaN);
  const base = median(wall(CASES[0]!));
  const baseCpu = median(cpu(CASES[0]!));
  const rows = CASES.map((c) => {
    const m = median(wall(c));
    const mc = median(cpu(c));
    return [c.name, `${m.toFixed(0)} ms`, `${Math.min(...wall(c)).toFixed(0)} ms`, c === CASES[0] ? '' : `+${(m - base).toFixed(0)} ms`,
      ...(TIME ? [`${mc.toFixed(0)} ms`, c === CASES[0] ? '' : `+${(mc - baseCpu).toFixed(0)} ms`] : [])];
  });
  const head = ['run', 'wall, median', 'wall, best', 'over node -e 0', ...(TIME ? ['CPU, median', 'CPU over node -e 0'] : [])];
  const table = [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  process.stdout.write(`\nCLI latency: a fresh process per run, ${ROUNDS} rounds interleaved, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}; node ${process.version}\n\n${table}\n`);
}

main();
