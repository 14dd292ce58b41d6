// `structgen decode` and `structgen dump`: the records at an offset of a file (or stdin), read by the value
// interpreter (generator/decode/) from the layout facts and the plan's representations; no code generation, no eval.
// main.ts registers the commands and resolves the shared options; this file does the rest.

import { readFileSync } from 'node:fs';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../diagnostics.js';
import { DecodeError, Interpreter } from '../decode/interpret.js';
import { recordJson } from '../decode/present.js';
import { dumpRecord, tableRecord } from '../decode/dump.js';
import { analyzeHeader, type PipelineOptions } from '../pipeline.js';
import { planModules } from '../plan/plan.js';
import { LexCache } from '../preprocess/preprocess.js';
import type { FieldOverride, RecordPlan, UnionOverride } from '../plan/plan.js';
import { STDIN_ARG } from './args.js';

export interface DecodeArgs {
  readonly headers: readonly string[];
  readonly opts: PipelineOptions;
  /** `RECORD.FIELD=big|little`, from `--endian` and the config. */
  readonly endian: readonly string[];
  /** The config's `fields` and `unions`: decode reads what the generated modules read. */
  readonly fields?: Readonly<{ [recordDotPath: string]: FieldOverride }>;
  readonly unions?: Readonly<{ [recordDotPath: string]: UnionOverride }>;
  readonly record: string;
  readonly file: string;
  readonly offset: string | undefined;
  readonly count: string | undefined;
  readonly all: boolean;
  readonly strict: boolean;
  readonly format: 'json' | 'ndjson' | 'table';
}

export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** ANSI colours on stdout (a terminal; NO_COLOR / FORCE_COLOR honoured). */
  readonly color: boolean;
  /** Diagnostics, when the caller prints them its own way (else one line each through err). */
  diagnostics?(ds: readonly Diagnostic[]): void;
}

/** Prints diagnostics through io; the exit code they call for, or 0 when none is an error. */
export function printDiagnostics(ds: readonly Diagnostic[], io: Io): number {
  if (io.diagnostics) io.diagnostics(ds); else for (const d of ds) io.err(formatDiagnostic(d) + '\n');
  if (!hasErrors(ds)) return 0;
  return ds.some((d) => d.severity === 'error' && (d.code === 'gcc-flavour' || d.code === 'unknown-target')) ? 2 : 1;
}

/** Colours for a stream: FORCE_COLOR (not 0/false) forces them, NO_COLOR (set, not empty) or FORCE_COLOR=0 turns them
 * off, else a terminal that is not `dumb` has them. */
export function colorFor(stream: { isTTY?: boolean }, env: { [k: string]: string | undefined } = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** A byte offset or count from the command line: decimal or 0x hexadecimal, a whole number. */
export function parseCount(s: string | undefined, what: string): number | string | undefined {
  if (s === undefined) return undefined;
  const t = String(s).trim();
  const n = /^0x[0-9a-f]+$/i.test(t) ? Number.parseInt(t.slice(2), 16) : /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) return `${what} must be a whole number (decimal or 0x hex), got '${s}'`;
  return n;
}


class Usage extends Error {}
class Input extends Error {}

interface Loaded { ip: Interpreter; rp: RecordPlan; bytes: Uint8Array; offset: number }

function load(a: Pick<DecodeArgs, 'headers' | 'opts' | 'endian' | 'fields' | 'unions' | 'record' | 'file' | 'offset'>, io: Io): Loaded | number {
  const offset = parseCount(a.offset, '--offset');
  if (typeof offset === 'string') throw new Usage(offset);
  const endian: { [k: string]: 'big' | 'little' } = {};
  for (const e of a.endian) {
    const m = /^([A-Za-z_$][\w$]*\.[A-Za-z_$][\w$.]*)=(big|little)$/.exec(e);
    if (!m) throw new Usage(`--endian expects RECORD.FIELD=big|little, got '${e}'`);
    endian[m[1]!] = m[2] as 'big' | 'little';
  }
  const cache = new LexCache();
  const analyses = a.headers.map((h) => analyzeHeader(h, { ...a.opts, cache }));
  const code = printDiagnostics(analyses.flatMap((x) => x.diagnostics), io);
  if (code) return code;
  const plan = planModules(analyses.map((x) => x.facts!), { endian, ...(a.fields ? { fields: a.fields } : {}), ...(a.unions ? { unions: a.unions } : {}) });
  const planCode = printDiagnostics(plan.diagnostics, io);
  if (planCode) return planCode;
  const ip = new Interpreter(plan);
  const found = ip.find(a.record);
  if (!found.length) {
    const names = [...new Set(ip.allRecords().map((r) => r.facts.name ?? r.name))];
    throw new Usage(`no record '${a.record}' in ${a.headers.join(', ')}${names.length ? `; records: ${names.slice(0, 40).join(', ')}${names.length > 40 ? ', ...' : ''}` : ''}`);
  }
  let bytes: Uint8Array;
  try {
    const b = readFileSync(a.file === '-' || a.file === STDIN_ARG ? 0 : a.file);
    bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new Input(`cannot read '${a.file === STDIN_ARG ? '-' : a.file}': ${(e as Error).message}`);
  }
  return { ip, rp: found[0]!, bytes, offset: offset ?? 0 };
}

function fail(e: unknown, io: Io): number {
  if (e instanceof Usage) { io.err(`structgen: error: ${e.message}\n`); return 2; }
  if (e instanceof Input || e instanceof DecodeError) { io.err(`structgen: error: ${e.message}\n`); return 1; }
  throw e;
}

/** How many records: `--count N`, `--all` (as many as fit), or one. */
function howMany(a: { count: string | undefined; all: boolean }, size: number, available: number): number {
  if (a.all && a.count !== undefined) throw new Usage('--count and --all cannot be combined');
  if (a.all) return size > 0 ? Math.floor(available / size) : 0;
  const n = parseCount(a.count, '--count');
  if (typeof n === 'string') throw new Usage(n);
  return n ?? 1;
}

export function runDecode(a: DecodeArgs, io: Io): number {
  try {
    const l = load(a, io);
    if (typeof l === 'number') return l;
    const { ip, rp, bytes, offset } = l;
    const size = rp.facts.size;
    const n = howMany(a, size, Math.max(0, bytes.length - offset));
    const values = a.count === undefined && !a.all ? [ip.decode(rp, bytes, offset, { strict: a.strict })] : ip.decodeMany(rp, bytes, offset, n, { strict: a.strict });
    if (a.format === 'table') {
      io.out(values.map((v, i) => tableRecord(ip, rp, v, offset + i * size)).join('\n\n') + '\n');
    } else if (a.format === 'ndjson') {
      io.out(values.map((v) => JSON.stringify(recordJson(ip, rp, v)) + '\n').join(''));
    } else {
      const j = values.map((v) => recordJson(ip, rp, v));
      io.out(JSON.stringify(a.count === undefined && !a.all ? j[0] : j, null, 2) + '\n');
    }
    return 0;
  } catch (e) {
    return fail(e, io);
  }
}

export interface DumpArgs extends Omit<DecodeArgs, 'format' | 'strict' | 'all'> {}

export function runDump(a: DumpArgs, io: Io): number {
  try {
    const l = load(a, io);
    if (typeof l === 'number') return l;
    const { ip, rp, bytes, offset } = l;
    const n = howMany({ count: a.count, all: false }, rp.facts.size, 0);
    const values = ip.decodeMany(rp, bytes, offset, n);
    io.out(values.map((v, i) => dumpRecord(ip, rp, v, bytes, offset + i * rp.facts.size, { color: io.color })).join('\n\n') + '\n');
    return 0;
  } catch (e) {
    return fail(e, io);
  }
}
