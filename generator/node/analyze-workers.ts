// Analysing many headers on several threads (node:worker_threads), for the project layer (`PipelineEnv.analyzeMany`):
// the calling thread and the workers take headers from one shared counter, each analyses its header exactly as
// `analyzeHeader` does, and the calling thread collects the lean analyses in the headers' order, so the result is the
// same as one thread's, whoever analysed what. The project's API is synchronous, so the calling thread waits with
// Atomics.wait and reads the workers' messages with receiveMessageOnPort: no event loop turn is needed.

import { existsSync } from 'node:fs';
import * as os from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { analyzeHeader, leanAnalysis, type HeaderAnalysis, type PipelineEnv, type PipelineOptions } from '../project/analyze.js';

/** Below this many headers per thread, starting a worker (loading the generator and the parser again: about a
 * tenth of a second) costs more than it saves. */
const HEADERS_PER_WORKER = 24;

/** The last `analyzeMany` run that started workers: how many, and how many headers they analysed (for tests and
 * benchmarks). */
export const workerStats = { workers: 0, byWorkers: 0 };

/** What a worker is started with (workerData). */
export interface WorkerJob {
  readonly headers: readonly string[];
  readonly opts: PipelineOptions;
  /** [0]: the next header to take; [1 + i]: 1 when header i is taken by a worker, 2 when its result is posted. */
  readonly control: SharedArrayBuffer;
  readonly port: MessagePort;
}

/** A worker's answer for header i: its lean analysis, or the error it threw (the calling thread then analyses it
 * again itself, so that the error surfaces as it would on one thread). */
export type WorkerResult = { readonly i: number; readonly a: HeaderAnalysis } | { readonly i: number; readonly error: string };

/** The options that shape an analysis and can cross to another thread (no host, cache or callbacks). */
function portableOptions(o: PipelineOptions): PipelineOptions {
  const keys = ['target', 'includeDirs', 'systemIncludeDirs', 'defines', 'undefines', 'sysroot', 'msBitfields', 'shortEnums', 'compiler', 'evaluateDefines', 'cpp'] as const;
  const out: { [k: string]: unknown } = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out as PipelineOptions;
}

const WORKER_FILE = fileURLToPath(new URL('./analyze-worker.js', import.meta.url));

/** How many workers to start for `n` headers: `requested` when given (else the environment variable
 * STRUCTGEN_WORKERS, a count), else one per further core, while each has enough headers to pay for starting it. */
export function workerCount(n: number, requested: number | undefined): number {
  const fromEnv = process.env.STRUCTGEN_WORKERS;
  if (requested === undefined && fromEnv !== undefined && /^\d+$/.test(fromEnv.trim())) requested = Number(fromEnv);
  if (requested !== undefined) return Math.max(0, Math.min(Math.floor(requested), n - 1));
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(0, Math.min(cores - 1, Math.floor(n / HEADERS_PER_WORKER) - 1));
}

/** `PipelineEnv.analyzeMany` for Node: null when no worker is worth starting, or when the worker's module is not
 * there (running from the TypeScript sources). */
export function analyzeMany(env: PipelineEnv, headers: readonly string[], opts: PipelineOptions, requested: number | undefined): HeaderAnalysis[] | null {
  const count = workerCount(headers.length, requested);
  if (count === 0 || !existsSync(WORKER_FILE)) return null;
  const n = headers.length;
  const control = new SharedArrayBuffer(4 * (n + 1));
  const ctl = new Int32Array(control);
  const job = portableOptions(opts);
  const ports: MessagePort[] = [];
  const workers: Worker[] = [];
  for (let w = 0; w < count; w++) {
    const { port1, port2 } = new MessageChannel();
    const data: WorkerJob = { headers, opts: job, control, port: port2 };
    const worker = new Worker(WORKER_FILE, { workerData: data, transferList: [port2] });
    worker.unref();
    workers.push(worker);
    ports.push(port1);
  }
  const results: Array<HeaderAnalysis | undefined> = new Array(n);
  workerStats.workers = count;
  workerStats.byWorkers = 0;
  const own = (i: number) => { results[i] = leanAnalysis(analyzeHeader(headers[i]!, opts, env)); };
  let longest = 0;
  for (;;) {
    const i = Atomics.add(ctl, 0, 1);
    if (i >= n) break;
    const t0 = performance.now();
    own(i);
    longest = Math.max(longest, performance.now() - t0);
  }
  const drain = () => {
    for (const p of ports) {
      for (let m = receiveMessageOnPort(p); m; m = receiveMessageOnPort(p)) {
        const r = m.message as WorkerResult;
        if (results[r.i] === undefined) {
          if ('a' in r) { results[r.i] = r.a; workerStats.byWorkers++; }
          else own(r.i);
        }
      }
    }
  };
  // Wait for the headers the workers took. A worker that dies without answering (out of memory) would leave its
  // header unanswered: after waiting several times the longest header this thread took, this thread analyses it.
  const patience = Math.max(10_000, 8 * longest);
  let since = performance.now();
  for (;;) {
    drain();
    let next = -1;
    for (let i = 0; i < n; i++) if (results[i] === undefined) { next = i; break; }
    if (next < 0) break;
    if (Atomics.load(ctl, 1 + next) === 2) continue; // posted: the message is on its port
    const before = Atomics.load(ctl, 1 + next);
    if (Atomics.wait(ctl, 1 + next, before, 100) === 'timed-out' && performance.now() - since > patience) {
      own(next);
      since = performance.now();
    } else if (Atomics.load(ctl, 1 + next) === 2) {
      since = performance.now();
    }
  }
  for (const p of ports) p.close();
  for (const w of workers) void w.terminate();
  return results as HeaderAnalysis[];
}
