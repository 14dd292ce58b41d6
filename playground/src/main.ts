// The playground page: a header in the editor, laid out as you type for the chosen target and options, shown as the
// layout table (holes marked), the picture, the generated TypeScript module and the diagnostics; a binary file decoded
// in the page. Everything runs here, through `structgen/browser`; nothing is sent anywhere. The state lives in the URL
// fragment (share.ts).

import {
  analyzeHeader, DEFAULT_TARGET, DecodeError, dumpRecord, formatRecord, generateFromAnalyses, hasErrors, headerRecords,
  init, interpreterFor, knownTriples, layoutItems, recordJson, svgElement,
  type BrowserGenerateOptions, type Diagnostic, type EmittedFile, type HeaderAnalysis, type Interpreter,
} from 'structgen/browser';
import runtimeWasm from 'web-tree-sitter/web-tree-sitter.wasm?url';
import languageWasm from 'tree-sitter-c/tree-sitter-c.wasm?url';
import { createEditor } from './editor.js';
import { decodeFragment, encodeFragment, type PlaygroundState } from './share.js';

const FILE = 'input.h';
const DEBOUNCE_MS = 120;

const examples: { [name: string]: string } = {};
for (const [p, text] of Object.entries(import.meta.glob('../../headers/*.h', { query: '?raw', import: 'default', eager: true }) as { [p: string]: string })) {
  examples[p.slice(p.lastIndexOf('/') + 1)] = text;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const targetSel = $<HTMLSelectElement>('target');
const compilerSel = $<HTMLSelectElement>('compiler');
const shortEnums = $<HTMLInputElement>('shortEnums');
const msBitfields = $<HTMLInputElement>('msBitfields');
const exampleSel = $<HTMLSelectElement>('example');
const status = $('status');
const editor = createEditor($('editor'), () => { exampleSel.value = ''; schedule(); });

type Tab = 'layout' | 'picture' | 'ts' | 'diagnostics' | 'decode';
let tab: Tab = 'layout';

interface Run {
  readonly analysis: HeaderAnalysis;
  readonly opts: BrowserGenerateOptions;
  /** Which tabs are drawn from this run already. */
  readonly drawn: Set<Tab>;
  files?: readonly EmittedFile[];
  interpreter?: Interpreter | null;
}
let current: Run | null = null;
let bytes: Uint8Array | null = null;
/** When the edit that the pending run answers was made (performance.now()). */
let editedAt = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

/** What the tests and the status line read: how long the last run took, and how many runs there were. */
const stats = { runs: 0, pipelineMs: 0, renderMs: 0, editToRenderMs: 0, readyMs: 0 };
(window as unknown as { playground: typeof stats }).playground = stats;
/** The editor, for the tests (its text, its caret). */
(window as unknown as { playgroundEditor: typeof editor }).playgroundEditor = editor;

function state(): PlaygroundState {
  return {
    target: targetSel.value, header: editor.text(),
    ...(compilerSel.value === 'gcc' ? { compiler: 'gcc' as const } : {}),
    ...(shortEnums.checked ? { shortEnums: true } : {}),
    ...(msBitfields.checked ? { msBitfields: true } : {}),
  };
}

function apply(s: PlaygroundState): void {
  if (![...targetSel.options].some((o) => o.value === s.target)) targetSel.add(new Option(s.target, s.target));
  targetSel.value = s.target;
  compilerSel.value = s.compiler ?? 'clang';
  shortEnums.checked = s.shortEnums === true;
  msBitfields.checked = s.msBitfields === true;
  editor.setText(s.header);
  exampleSel.value = Object.keys(examples).find((k) => examples[k] === s.header) ?? '';
}

function optionsOf(s: PlaygroundState): BrowserGenerateOptions {
  return {
    target: s.target, files: { [FILE]: s.header }, evaluateDefines: true,
    ...(s.compiler ? { compiler: s.compiler } : {}),
    ...(s.shortEnums !== undefined ? { shortEnums: s.shortEnums } : {}),
    ...(s.msBitfields !== undefined ? { msBitfields: s.msBitfields } : {}),
  };
}

function schedule(): void {
  editedAt = performance.now();
  clearTimeout(timer);
  timer = setTimeout(run, DEBOUNCE_MS);
}

function run(): void {
  clearTimeout(timer);
  const s = state();
  const t0 = performance.now();
  const opts = optionsOf(s);
  let analysis: HeaderAnalysis;
  try {
    analysis = analyzeHeader(FILE, opts);
  } catch (e) {
    status.textContent = `internal error: ${(e as Error).message}`;
    status.className = 'status error';
    return;
  }
  const t1 = performance.now();
  current = { analysis, opts, drawn: new Set() };
  drawLayout(current);
  drawDiagnostics(current.analysis.diagnostics);
  drawTab();
  const t2 = performance.now();
  stats.runs++;
  stats.pipelineMs = t1 - t0;
  stats.renderMs = t2 - t1;
  stats.editToRenderMs = editedAt ? t2 - editedAt : t2 - t0;
  editedAt = 0;
  const n = headerRecords(analysis).length;
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error').length;
  status.textContent = `${n} record${n === 1 ? '' : 's'} for ${analysis.target.triple}${errors ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''}`
    + ` - laid out in ${stats.pipelineMs.toFixed(1)} ms, shown in ${stats.renderMs.toFixed(1)} ms`;
  status.className = errors ? 'status error' : 'status';
  document.body.dataset.runs = String(stats.runs);
  void encodeFragment(s).then((f) => { if (location.hash.slice(1) !== f) history.replaceState(null, '', `#${f}`); });
}

function text(tag: string, content: string, cls?: string): HTMLElement {
  const e = document.createElement(tag);
  e.textContent = content;
  if (cls) e.className = cls;
  return e;
}

function drawLayout(r: Run): void {
  const out = $('layout');
  out.replaceChildren();
  const records = headerRecords(r.analysis);
  if (!records.length) {
    out.append(text('p', hasErrors(r.analysis.diagnostics) ? 'The header has errors: see Diagnostics.' : 'The header defines no struct or union.', 'dim'));
  }
  for (const rec of records) {
    const pre = document.createElement('pre');
    pre.className = 'record';
    pre.dataset.name = rec.name;
    pre.dataset.kind = rec.kind;
    pre.dataset.size = String(rec.size);
    pre.dataset.align = String(rec.align);
    for (const line of formatRecord(rec).split('\n')) {
      // holes and tail padding (`/* XXX 3 bytes hole at 5 */`) are marked
      pre.append(/\/\* XXX /.test(line) ? text('mark', line, 'hole') : document.createTextNode(line), '\n');
    }
    out.append(pre);
  }
  r.drawn.add('layout');
}

function drawDiagnostics(ds: readonly Diagnostic[]): void {
  const list = $('diagnostics');
  list.replaceChildren();
  const all = ds.flatMap((d) => [d, ...(d.notes ?? [])]);
  for (const d of all) {
    const where = d.pos ? `${d.pos.file}:${d.pos.line}:${d.pos.col}: ` : '';
    const li = text('li', `${where}${d.severity}: ${d.message}`, d.severity);
    if (d.pos) {
      li.dataset.line = String(d.pos.line);
      li.dataset.col = String(d.pos.col);
      if (d.pos.file === FILE) li.addEventListener('click', () => editor.moveCaret(d.pos!.line, d.pos!.col));
    }
    list.append(li);
  }
  if (!all.length) list.append(text('li', 'No diagnostics.', 'note'));
  editor.mark(all.flatMap((d) => (d.pos && d.pos.file === FILE ? [{ line: d.pos.line, col: d.pos.col, severity: d.severity, message: d.message }] : [])));
  const count = $('diag-count');
  count.textContent = String(ds.length);
  count.className = hasErrors(ds) ? 'count errors' : 'count';
}

function drawTab(): void {
  const r = current;
  if (!r || r.drawn.has(tab)) return;
  if (tab === 'picture') {
    $('picture').innerHTML = r.analysis.facts ? svgElement(layoutItems([r.analysis])) : '';
  } else if (tab === 'ts') {
    drawTs(r);
  } else if (tab === 'decode') {
    drawDecode(r);
  }
  r.drawn.add(tab);
}

function drawTs(r: Run): void {
  const gen = generateFromAnalyses([r.analysis], r.opts);
  r.files = gen.files;
  const sel = $<HTMLSelectElement>('ts-file');
  const was = sel.value;
  sel.replaceChildren(...gen.files.map((f) => new Option(f.path, f.path)));
  // the file shown before, else the first that is not layout asserts (sorted, `X.asserts.ts` comes before `X.ts`)
  const shown = gen.files.find((f) => f.path === was) ?? gen.files.find((f) => !f.path.endsWith('.asserts.ts'));
  if (shown) sel.value = shown.path;
  showTsFile();
  if (!gen.files.length) $('ts').textContent = `// nothing generated:\n${gen.diagnostics.map((d) => `// ${d.severity}: ${d.message}`).join('\n')}`;
}

function showTsFile(): void {
  const f = current?.files?.find((x) => x.path === $<HTMLSelectElement>('ts-file').value);
  $('ts').textContent = f?.contents ?? '';
}

function parseOffset(s: string): number | null {
  const t = s.trim();
  const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t.slice(2), 16) : /^\d+$/.test(t) ? Number(t) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

function drawDecode(r: Run): void {
  const sel = $<HTMLSelectElement>('record');
  const was = sel.value;
  if (r.interpreter === undefined) {
    r.interpreter = r.analysis.facts && !hasErrors(r.analysis.diagnostics) ? interpreterFor([r.analysis]).interpreter : null;
  }
  const ip = r.interpreter;
  const names = ip ? [...new Set(headerRecords(r.analysis).map((x) => x.name))] : [];
  sel.replaceChildren(...names.map((n) => new Option(n, n)));
  if (names.includes(was)) sel.value = was;
  const json = $('decoded-json');
  const dump = $('dump');
  dump.textContent = '';
  if (!ip) { json.textContent = 'The header has errors: see Diagnostics.'; return; }
  if (!bytes) { json.textContent = 'Pick or drop a file to decode its bytes as the record.'; return; }
  const offset = parseOffset($<HTMLInputElement>('offset').value);
  if (offset === null) { json.textContent = 'The offset must be a whole number (decimal or 0x hex).'; return; }
  const rp = ip.find(sel.value)[0];
  if (!rp) { json.textContent = 'No record to decode.'; return; }
  try {
    const v = ip.decode(rp, bytes, offset);
    json.textContent = JSON.stringify(recordJson(ip, rp, v), null, 2);
    dump.textContent = dumpRecord(ip, rp, v, bytes, offset);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    json.textContent = e.message;
  }
}

function redrawDecode(): void {
  if (!current) return;
  current.drawn.delete('decode');
  drawTab();
}

async function loadFile(f: File): Promise<void> {
  bytes = new Uint8Array(await f.arrayBuffer());
  $('file-info').textContent = `${f.name}: ${bytes.length} bytes.`;
  redrawDecode();
}

function selectTab(t: Tab): void {
  tab = t;
  for (const b of document.querySelectorAll<HTMLButtonElement>('.tabs button')) b.setAttribute('aria-selected', String(b.dataset.tab === t));
  for (const p of document.querySelectorAll<HTMLElement>('.panel')) p.hidden = p.id !== `panel-${t}`;
  drawTab();
}

function wire(): void {
  for (const el of [targetSel, compilerSel, shortEnums, msBitfields]) el.addEventListener('change', () => { editedAt = performance.now(); run(); });
  exampleSel.addEventListener('change', () => {
    if (!exampleSel.value) return;
    editor.setText(examples[exampleSel.value]!);
    editedAt = performance.now();
    run();
  });
  for (const b of document.querySelectorAll<HTMLButtonElement>('.tabs button')) b.addEventListener('click', () => selectTab(b.dataset.tab as Tab));
  $('ts-file').addEventListener('change', showTsFile);
  $('copy-ts').addEventListener('click', () => void navigator.clipboard.writeText($('ts').textContent ?? ''));
  $('share').addEventListener('click', async () => {
    const url = `${location.href.split('#')[0]}#${await encodeFragment(state())}`;
    history.replaceState(null, '', url);
    await navigator.clipboard.writeText(url).catch(() => undefined);
    status.textContent = 'link copied';
  });
  $('record').addEventListener('change', redrawDecode);
  $('offset').addEventListener('input', redrawDecode);
  $<HTMLInputElement>('file').addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) void loadFile(f);
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f) void loadFile(f);
  });
  window.addEventListener('hashchange', async () => {
    const s = await decodeFragment(location.hash);
    if (s && (s.header !== editor.text() || s.target !== targetSel.value)) { apply(s); run(); }
  });
}

async function main(): Promise<void> {
  const triples = knownTriples();
  targetSel.replaceChildren(...triples.map((t) => new Option(t, t)));
  exampleSel.append(...Object.keys(examples).sort().map((k) => new Option(k, k)));
  const fromLink = await decodeFragment(location.hash);
  const first = examples['telemetry.h'] ?? Object.values(examples)[0] ?? 'struct s { char c; int i; };\n';
  apply(fromLink ?? { target: DEFAULT_TARGET, header: first });
  wire();
  try {
    await init({ runtimeWasm, languageWasm });
  } catch (e) {
    status.textContent = `the C parser did not load: ${(e as Error).message}`;
    status.className = 'status error';
    return;
  }
  run();
  stats.readyMs = performance.now();
  document.body.dataset.ready = 'true';
}

void main();
