// `npm run bench` (generator): `structgen generate` over every Linux UAPI header that clang accepts on its own,
// in one process, against `clang-16 -fsyntax-only` and Debian's `bindgen` over the same headers (one process
// per header, as a build runs them), measured in the same run. Prints a table with ratios.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLANG = process.env.STRUCTGEN_CLANG ?? 'clang-16';
const UAPI = '/usr/include/linux';

function has(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { encoding: 'utf8' }).status === 0;
}

function timed(cmd: string, args: string[]): { ok: boolean; ms: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { ok: r.status === 0, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

function main() {
  if (!existsSync(UAPI)) { process.stdout.write(`Generator: ${UAPI} not present; skipped.\n`); return; }
  if (!has(CLANG)) { process.stdout.write(`Generator: ${CLANG} not found; it picks the headers (apt-get install -y clang-16). Skipped.\n`); return; }
  const all = readdirSync(UAPI).filter((f) => f.endsWith('.h')).sort().map((f) => path.join(UAPI, f));
  let clangMs = 0;
  const accepted: string[] = [];
  for (const h of all) {
    const r = timed(CLANG, ['-fsyntax-only', '-w', '-x', 'c', h]);
    if (r.ok) { accepted.push(h); clangMs += r.ms; }
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
  process.stdout.write(`\nGenerator: every ${UAPI}/*.h that ${CLANG} accepts on its own (${accepted.length} of ${all.length}); ` +
    `structgen wrote ${sg.files} modules, ${sg.records} records, ${(sg.bytes / 1e6).toFixed(1)} MB${sg.errors ? ' (with errors)' : ''}\n\n${table}\n`);
}

main();
