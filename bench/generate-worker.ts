// Child process of bench/generator.ts: `structgen generate` over the headers named in a file, in one process,
// written to a temporary folder; prints its own time, counts and peak memory as JSON.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFilesAtomically } from '../generator/node/write-files.js';
import { hasErrors } from '../generator/diagnostics.js';
import { generateModules } from '../generator/pipeline.js';

const headers = readFileSync(process.argv[2]!, 'utf8').split('\n').filter(Boolean);
const t0 = process.hrtime.bigint();
const run = generateModules(headers);
const out = mkdtempSync(path.join(os.tmpdir(), 'structgen-bench-gen-'));
writeFilesAtomically(out, run.files);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
rmSync(out, { recursive: true, force: true });
// each module's third line counts its records: `// 15 records, 0 enums, 66 constants. ...`
const records = run.files.reduce((n, f) => n + Number(/^\/\/ (\d+) records?, /m.exec(f.contents)?.[1] ?? 0), 0);
process.stdout.write(JSON.stringify({
  ms, headers: headers.length, files: run.files.length, records, errors: hasErrors(run.diagnostics),
  bytes: run.files.reduce((n, f) => n + f.contents.length, 0), maxRssMiB: process.resourceUsage().maxRSS / 1024,
}));
