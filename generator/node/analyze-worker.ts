// A worker thread of node/analyze-workers.ts: takes headers from the shared counter until none is left, analyses
// each as `analyzeHeader` does on the calling thread (Node's environment, its own lexing cache), and posts each
// lean analysis back, marking the header answered.

import { workerData } from 'node:worker_threads';
import { analyzeHeader, leanAnalysis } from '../project/analyze.js';
import { LexCache } from '../preprocess/preprocess.js';
import type { WorkerJob, WorkerResult } from './analyze-workers.js';
import { nodeEnv } from './env.js';

const job = workerData as WorkerJob;
const ctl = new Int32Array(job.control);
const cache = new LexCache();
const post = (r: WorkerResult) => job.port.postMessage(r);
for (;;) {
  const i = Atomics.add(ctl, 0, 1);
  if (i >= job.headers.length) break;
  Atomics.store(ctl, 1 + i, 1);
  try {
    post({ i, a: leanAnalysis(analyzeHeader(job.headers[i]!, { ...job.opts, cache }, nodeEnv)) });
  } catch (e) {
    post({ i, error: e instanceof Error ? e.message : String(e) });
  }
  Atomics.store(ctl, 1 + i, 2);
  Atomics.notify(ctl, 1 + i);
}
job.port.close();
