// `structgen decode` and `structgen dump`: the records at an offset of a file (or stdin), read by the value
// interpreter (generator/decode/) from the layout facts and the plan's representations; no code generation, no eval.
// The input is read as it is needed and records are written as they are decoded (decode-input.ts), so memory is
// bounded by the largest record whatever the input (a 1 GB file, /dev/zero, a pipe), and `| head` ends the run.
// main.ts registers the commands and resolves the shared options; this file does the rest.

import { formatDiagnostic, hasErrors, printable, type Diagnostic } from '../diagnostics.js';
import { DecodeError, Interpreter, type Decoded } from '../decode/interpret.js';
import { recordJson } from '../decode/present.js';
import { dumpRecord, tableRecord } from '../decode/dump.js';
import { analyzeHeader, type PipelineOptions } from '../pipeline.js';
import { planModules } from '../plan/plan.js';
import { LexCache } from '../preprocess/preprocess.js';
import type { FieldOverride, RecordPlan, UnionOverride } from '../plan/plan.js';
import { STDIN_ARG, UsageError } from './args.js';
import { ByteInput, type Window } from './decode-input.js';
import { namedRecords, recordMatcher, recordPatterns, requireMatches } from './record-select.js';

export interface DecodeArgs {
  readonly headers: readonly string[];
  readonly opts: PipelineOptions;
  /** `RECORD.FIELD=big|little`, from `--endian` and the config. */
  readonly endian: readonly string[];
  /** The config's `fields` and `unions`: decode reads what the generated modules read. */
  readonly fields?: Readonly<{ [recordDotPath: string]: FieldOverride }>;
  readonly unions?: Readonly<{ [recordDotPath: string]: UnionOverride }>;
  /** `--record`: names or `/regex/`s, each matching at least one record. */
  readonly record: string | readonly string[];
  readonly file: string;
  readonly offset: string | undefined;
  readonly count: string | undefined;
  readonly all: boolean;
  readonly strict: boolean;
  readonly format: 'json' | 'ndjson' | 'table';
}

export interface Io {
  /** Writes to stdout; a promise when the caller should wait before writing more (backpressure). */
  out(s: string): void | Promise<void>;
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

/** The most bytes one record may span (its fixed part and its flexible arrays): what decode and dump hold in memory
 * at once, and a bound on what one record prints. */
export const RECORD_LIMIT = 16 * 1024 * 1024;
/** Zero-size records take no bytes, so nothing else bounds how many `--count` asks for (the runtime's cap). */
const ZERO_SIZE_LIMIT = 65536;
/** How much input is read at a time for records of a fixed size, and output gathered before it is written. */
const CHUNK = 1 << 20;

interface Loaded { ip: Interpreter; rps: RecordPlan[]; offset: number }

function load(a: Pick<DecodeArgs, 'headers' | 'opts' | 'endian' | 'fields' | 'unions' | 'record' | 'offset'>, io: Io): Loaded | number {
  const offset = parseCount(a.offset, '--offset');
  if (typeof offset === 'string') throw new Usage(offset);
  const endian: { [k: string]: 'big' | 'little' } = {};
  for (const e of a.endian) {
    const m = /^([A-Za-z_$][\w$]*\.[A-Za-z_$][\w$.]*)=(big|little)$/.exec(e);
    if (!m) throw new Usage(`--endian expects RECORD.FIELD=big|little, got '${e}'`);
    endian[m[1]!] = m[2] as 'big' | 'little';
  }
  const patterns = recordPatterns(a.record);
  if (!patterns.length) throw new Usage('name the record to read with --record NAME');
  const match = recordMatcher(patterns);
  const cache = new LexCache();
  const analyses = a.headers.map((h) => analyzeHeader(h, { ...a.opts, cache }));
  const code = printDiagnostics(analyses.flatMap((x) => x.diagnostics), io);
  if (code) return code;
  const facts = analyses.map((x) => x.facts!);
  requireMatches(patterns, namedRecords(facts), a.headers.join(', '));
  // only the records asked for (and what they use), wherever defined
  const plan = planModules(facts, { endian, records: patterns, ...(a.fields ? { fields: a.fields } : {}), ...(a.unions ? { unions: a.unions } : {}) });
  // a header none of whose records is asked for is no news here (it is, for generate)
  const planCode = printDiagnostics(plan.diagnostics.filter((d) => d.code !== 'plan-empty-module'), io);
  if (planCode) return planCode;
  const ip = new Interpreter(plan, facts);
  // in the order of the patterns (a regular expression's matches in the order of the headers)
  const first = (r: RecordPlan) => patterns.findIndex((p) => recordMatcher([p])(r.facts.name!));
  const rps = ip.allRecords().filter((r) => r.facts.name !== null && match(r.facts.name))
    .map((r, i) => ({ r, i, k: first(r) })).sort((x, y) => x.k - y.k || x.i - y.i).map((x) => x.r);
  return { ip, rps, offset: offset ?? 0 };
}

function fail(e: unknown, io: Io): number {
  if (e instanceof Usage || e instanceof UsageError) { io.err(`structgen: error: ${printable(e.message)}\n`); return 2; }
  if (e instanceof Input || e instanceof DecodeError) { io.err(`structgen: error: ${printable(e.message)}\n`); return 1; }
  throw e;
}

/** One record at the offset, `--count N` of them, or `--all` (as many as the input holds). */
type Mode = { readonly kind: 'one' } | { readonly kind: 'count'; readonly n: number } | { readonly kind: 'all' };

function modeOf(a: { count: string | undefined; all: boolean }): Mode {
  if (a.all && a.count !== undefined) throw new Usage('--count and --all cannot be combined');
  if (a.all) return { kind: 'all' };
  const n = parseCount(a.count, '--count');
  if (typeof n === 'string') throw new Usage(n);
  return n === undefined ? { kind: 'one' } : { kind: 'count', n };
}

const mib = (n: number) => `${n / (1024 * 1024)} MiB`;

/** What the engine hands on for each record: its value and the bytes it was read from (`bytes[rel]` is its first
 * byte, `origin` the position of `bytes[0]` in the input). */
type Emit = (v: Decoded, bytes: Uint8Array, rel: number, origin: number) => void;

/**
 * Decodes the records `mode` asks for from `offset`, handing each to `emit` as it is decoded; `drain` is awaited
 * whenever input is read (the output's backpressure). Records of a fixed size follow each other `size` bytes apart;
 * records whose flexible array is counted (`countedBy`) are each as long as their count says, as the generated
 * `decodeMany` steps over them. A flexible array that takes every element that fits: in a single record, the rest of
 * the input; in a run of records, up to where the next record begins.
 */
async function decodeRecords(input: ByteInput, ip: Interpreter, rp: RecordPlan, offset: number, mode: Mode, strict: boolean, emit: Emit, drain: () => Promise<void>): Promise<void> {
  const size = rp.facts.size;
  const tail = ip.tail(rp);
  const name = rp.name;
  if (size > RECORD_LIMIT) throw new Input(`${name} is ${size} bytes: decode and dump read records of at most ${mib(RECORD_LIMIT)} (${RECORD_LIMIT} bytes)`);
  if (mode.kind === 'all' && size === 0) return; // as many as fit: none, as the runtime's decodeMany
  if (mode.kind === 'count' && size === 0 && mode.n > ZERO_SIZE_LIMIT) throw new Usage(`${name}: a count of ${mode.n} zero-size records is too many (at most ${ZERO_SIZE_LIMIT})`);
  const total = mode.kind === 'one' ? 1 : mode.kind === 'count' ? mode.n : Infinity;
  if (mode.kind === 'count' && tail !== 'counted' && input.size !== null && input.size > 0 && offset + mode.n * size > input.size) {
    // a file's size is known: say so before printing anything
    throw new DecodeError(name, null, offset, mode.n * size, Math.max(0, input.size - offset), `${name} at byte offset ${offset}: ${mode.n} records need ${mode.n * size} bytes, only ${Math.max(0, input.size - offset)} available`);
  }
  const one = mode.kind === 'one';
  // a single record whose flexible array takes the rest of the input: all of it, up to the limit
  const want = one ? (tail === 'open' ? RECORD_LIMIT + 1 : size) : Math.max(size, CHUNK);
  let w: Window = await input.window(offset, want);
  let at = offset;
  for (let i = 0; i < total; i++) {
    let rel = at - w.start;
    if (w.bytes.length - rel < size && !one) {
      await drain();
      w = await input.window(at, want);
      rel = 0;
    }
    let avail = w.bytes.length - rel;
    if (avail < size && !one) {
      if (mode.kind === 'all') return;
      throw tail === 'counted'
        ? new DecodeError(name, null, at, size, avail, `${name} at byte offset ${at} (record ${i} of ${total}) needs ${size} bytes, only ${avail} available`)
        : new DecodeError(name, null, offset, total * size, at - offset + avail, `${name} at byte offset ${offset}: ${total} records need ${total * size} bytes, only ${at - offset + avail} available`);
    }
    let end = rel + size;
    let step = size;
    if (tail === 'counted' && avail >= size) {
      const ext = ip.extent(rp, w.bytes, rel, { origin: w.start });
      if (ext > RECORD_LIMIT) throw new Input(`${name} at byte offset ${at}: its counted flexible array would make the record ${ext} bytes long; decode and dump read records of at most ${mib(RECORD_LIMIT)} (${RECORD_LIMIT} bytes)`);
      if (ext > avail) {
        await drain();
        w = await input.window(at, Math.max(ext, one ? ext : want));
        rel = 0;
        avail = w.bytes.length;
      }
      if (ext > avail && mode.kind === 'all') return;
      if (ext > avail && mode.kind === 'count') {
        throw new DecodeError(name, null, at, ext, avail, `${name} at byte offset ${at} (record ${i} of ${total}) needs ${ext} bytes, only ${avail} available`);
      }
      end = rel + Math.min(ext, avail); // a single record that does not fit: decode says which count
      step = ext;
    } else if (one) {
      if (tail === 'open' && avail > RECORD_LIMIT) {
        throw new Input(`${name} at byte offset ${at}: its flexible array takes the rest of the input, which is more than ${mib(RECORD_LIMIT)}; decode and dump read records of at most ${RECORD_LIMIT} bytes (decode a part: 'head -c N', or --count/--all for records of a fixed size)`);
      }
      end = rel + avail;
    }
    const bytes = end === w.bytes.length ? w.bytes : w.bytes.subarray(0, end);
    emit(ip.decode(rp, bytes, rel, { strict, origin: w.start }), bytes, rel, w.start);
    at += step;
  }
}

/** Output gathered into chunks: written when a chunk is full, and when the input is read (`drain`). */
class Sink {
  private parts: string[] = [];
  private size = 0;
  private pending: void | Promise<void> = undefined;
  constructor(private readonly io: Io) {}
  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= CHUNK) this.flush();
  }
  private flush(): void {
    if (!this.parts.length) return;
    const s = this.parts.join('');
    this.parts = [];
    this.size = 0;
    const p = this.io.out(s);
    if (p) this.pending = this.pending ? this.pending.then(() => p) : p;
  }
  async drain(): Promise<void> {
    this.flush();
    const p = this.pending;
    this.pending = undefined;
    await p;
    // a turn of the event loop: a closed pipe (`| head`) reports its error here and ends the run
    await new Promise<void>((r) => setImmediate(r));
  }
}

const pad = (depth: number) => '  '.repeat(depth);
/** `JSON.stringify(v, null, 2)` for a value `depth` levels into a document printed the same way. */
const jsonAt = (v: unknown, depth: number) => (depth ? JSON.stringify(v, null, 2).replace(/\n/g, `\n${pad(depth)}`) : JSON.stringify(v, null, 2));

/** The name a record's values are keyed by when several records are read: its C name (or export name, when two
 * records share one). */
function keysOf(rps: readonly RecordPlan[]): string[] {
  const used = new Set<string>();
  return rps.map((r) => {
    const k = used.has(r.facts.name ?? r.name) ? r.name : r.facts.name ?? r.name;
    used.add(k);
    return k;
  });
}

async function openInput(file: string, io: Io): Promise<ByteInput> {
  const name = file === '-' || file === STDIN_ARG ? null : file;
  try {
    return await ByteInput.open(name, (what) => io.err(`structgen: note: ${printable(what)}\n`));
  } catch (e) {
    throw new Input(`cannot read '${name ?? '-'}': ${(e as Error).message}`);
  }
}

/** Reads one record after another from the input, each from the offset; a stream can be read again only where it
 * has not been read past (`--count`/`--all` of several records need a file). */
async function eachRecord(a: { file: string }, l: Loaded, mode: Mode, io: Io, sink: Sink, run: (input: ByteInput, rp: RecordPlan, index: number) => Promise<void>): Promise<void> {
  const input = await openInput(a.file, io);
  try {
    for (let i = 0; i < l.rps.length; i++) {
      if (i > 0 && !input.canRead(l.offset)) {
        throw new Usage(`--record matches ${l.rps.length} records: reading each with ${mode.kind === 'all' ? '--all' : '--count'} reads the input once per record, which needs a file, not ${a.file === '-' || a.file === STDIN_ARG ? 'stdin' : `'${a.file}'`} (a pipe or device)`);
      }
      await run(input, l.rps[i]!, i);
    }
  } catch (e) {
    if (e instanceof Error && 'code' in e && typeof (e as NodeJS.ErrnoException).code === 'string' && !(e instanceof DecodeError)) {
      throw new Input(`cannot read '${a.file === STDIN_ARG ? '-' : a.file}': ${e.message}`);
    }
    throw e;
  } finally {
    await input.close().catch(() => { /* closing a read-only input loses nothing */ });
  }
}

export async function runDecode(a: DecodeArgs, io: Io): Promise<number> {
  const sink = new Sink(io);
  try {
    const mode = modeOf(a);
    const l = load(a, io);
    if (typeof l === 'number') return l;
    const { ip } = l;
    // keyed by record when the command line may name several (the shape does not depend on how many match)
    const patterns = recordPatterns(a.record);
    const keyed = patterns.length > 1 || patterns.some((p) => /^\/.*\/[a-z]*$/s.test(p));
    const keys = keysOf(l.rps);
    const strict = a.strict;
    const drain = () => sink.drain();
    if (mode.kind === 'one') {
      // a record each: all decoded before anything is printed, so that an error prints no half document
      const out: string[] = [];
      await eachRecord(a, l, mode, io, sink, (input, rp, i) => decodeRecords(input, ip, rp, l.offset, mode, strict, (v, bytes, rel, origin) => {
        if (a.format === 'table') out.push(tableRecord(ip, rp, v, origin + rel));
        else if (a.format === 'ndjson') out.push(JSON.stringify(keyed ? { [keys[i]!]: recordJson(ip, rp, v) } : recordJson(ip, rp, v)));
        else out.push(keyed ? `${pad(1)}${JSON.stringify(keys[i])}: ${jsonAt(recordJson(ip, rp, v), 1)}` : jsonAt(recordJson(ip, rp, v), 0));
      }, drain));
      if (a.format === 'table') sink.push(`${out.join('\n\n')}\n`);
      else if (a.format === 'ndjson') sink.push(`${out.join('\n')}\n`);
      else sink.push(keyed ? `{\n${out.join(',\n')}\n}\n` : `${out[0]}\n`);
      await sink.drain();
      return 0;
    }
    let blocks = 0;
    await eachRecord(a, l, mode, io, sink, async (input, rp, i) => {
      const depth = keyed ? 1 : 0;
      let n = 0;
      // the array opens with its first record (or once all are read), so that an error before it prints nothing
      let opened = false;
      const open = () => {
        if (opened || a.format !== 'json') return;
        opened = true;
        sink.push(`${keyed ? `${i ? ',\n' : '{\n'}${pad(1)}${JSON.stringify(keys[i])}: ` : ''}[`);
      };
      await decodeRecords(input, ip, rp, l.offset, mode, strict, (v, _bytes, rel, origin) => {
        open();
        if (a.format === 'table') sink.push(`${blocks++ ? '\n\n' : ''}${tableRecord(ip, rp, v, origin + rel)}`);
        else if (a.format === 'ndjson') sink.push(`${JSON.stringify(keyed ? { [keys[i]!]: recordJson(ip, rp, v) } : recordJson(ip, rp, v))}\n`);
        else sink.push(`${n ? ',' : ''}\n${pad(depth + 1)}${jsonAt(recordJson(ip, rp, v), depth + 1)}`);
        n++;
      }, drain);
      open();
      if (a.format === 'json') sink.push(n ? `\n${pad(depth)}]` : ']');
    });
    if (a.format === 'json') sink.push(keyed ? '\n}\n' : '\n');
    else if (a.format === 'table' && blocks) sink.push('\n');
    await sink.drain();
    return 0;
  } catch (e) {
    // what was decoded before the error is written (records are printed as they are decoded)
    await sink.drain();
    return fail(e, io);
  }
}

export interface DumpArgs extends Omit<DecodeArgs, 'format' | 'strict' | 'all'> {}

export async function runDump(a: DumpArgs, io: Io): Promise<number> {
  const sink = new Sink(io);
  try {
    const mode = modeOf({ count: a.count, all: false });
    const l = load(a, io);
    if (typeof l === 'number') return l;
    const { ip } = l;
    let blocks = 0;
    await eachRecord(a, l, mode, io, sink, (input, rp) => decodeRecords(input, ip, rp, l.offset, mode, false, (v, bytes, rel, origin) => {
      sink.push(`${blocks++ ? '\n\n' : ''}${dumpRecord(ip, rp, v, bytes, rel, { color: io.color, origin })}`);
    }, () => sink.drain()));
    if (blocks) sink.push('\n');
    await sink.drain();
    return 0;
  } catch (e) {
    await sink.drain();
    return fail(e, io);
  }
}
