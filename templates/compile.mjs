// Compiles the templates ahead of time into generator/emit/assets.generated.ts: handlebars' precompiled template
// specs (so that structgen renders with handlebars' runtime alone: no template compiler, no `new Function`, in
// Node and in browsers) and the runtime as users get it: its source (`--emit ts`), and its JavaScript and
// declarations (`--emit js+dts`), which the TypeScript compiler makes here, when structgen itself is built, never
// when it generates. Run by `npm run build`; `node templates/compile.mjs --check` exits 1 when the committed file is
// stale (a test runs it too).

import Handlebars from 'handlebars';
import ts from 'typescript';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(root, 'generator/emit/assets.generated.ts');
// knownHelpersOnly: the helpers templates.ts registers (and handlebars' `if` and `each`) are the only ones, so a
// plain `{{name}}` compiles to a property read instead of a helper-or-property test that builds an options object
// (with source locations) at every use: most of handlebars' time on a big module. A template that calls another
// helper no longer compiles, which is the point.
const OPTIONS = { noEscape: true, strict: true, preventIndent: true, knownHelpers: { node: true, arg: true, cast: true, eq: true }, knownHelpersOnly: true };

/** Handlebars whose compiler writes lean code for the runtime, through subclass methods of its JavaScriptCompiler
 * (the documented `nameLookup`, and four more of the same kind, each writing what the base class would write less
 * what only templates and helpers from users need). The runtime is handlebars' own, unchanged; it just has less to
 * do per call, and a module of 100,000 records makes millions of calls:
 * - properties are read directly (`parent.name`), not through `lookupProperty`, which tests at every read that the
 *   property is the object's own and not a prototype's: a guard for templates and contexts from users. These are
 *   ours, over plain objects the emitter makes, and a template that reads a name every object has is refused here.
 * - `strict`: a value is read directly when it is there, the missing-value error (with its source location) made
 *   only when it is not, instead of an object of source locations made at every read;
 * - helper calls: no source locations either (only `helperMissing`'s message reads them, and every helper is
 *   known), and one shared empty object (the runtime's sealed `nullContext`) as the hash;
 * - a block's program: the wrapper the runtime keeps for it (`container.programs[i]`), not a new one (a closure
 *   holding `data`) at every call; the block helpers (templates.ts: `if`, `unless`, `each`, `eq`, no others) pass
 *   the data on.
 *   A template that reads its parent's context (`../x`) still gets a wrapper per call, with the depths. */
function leanHandlebars() {
  const hb = Handlebars.create();
  const Base = hb.JavaScriptCompiler;
  function Lean() { Base.call(this); }
  Lean.prototype = Object.create(Base.prototype);
  Lean.prototype.compiler = Lean;
  Lean.prototype.nameLookup = function (parent, name) {
    if (name in Object.prototype || name === '__proto__') throw new Error(`templates: a template reads '${name}', which every object has`);
    return /^[A-Za-z_$][\w$]*$/.test(name) ? [parent, '.', name] : [parent, '[', JSON.stringify(name), ']'];
  };
  Lean.prototype.resolvePath = function (type, parts, start, falsy, strict) {
    if (!this.options.strict) throw new Error('templates: compiled strict only');
    // the object read from is a context or data path (depth0, data, depths[1], ...), never a call: read twice
    let stack = this.popStack();
    const last = strict ? parts.length - 1 : parts.length;
    for (let i = start; i < last; i++) stack = this.nameLookup(stack, parts[i], type);
    if (strict) {
      const read = this.nameLookup(stack, parts[last], type);
      const loc = this.source.currentLocation ? JSON.stringify(this.source.currentLocation) : 'undefined';
      stack = ['(', read, ' !== undefined ? ', read, ' : container.strict(', stack, ', ', this.quotedString(parts[last]), ', ', loc, '))'];
    }
    this.push(stack);
  };
  Lean.prototype.setupHelperArgs = function (helper, paramSize, params, useRegister) {
    const options = this.objectLiteral(this.setupParams(helper, paramSize, params));
    if (useRegister) {
      this.useRegister('options');
      params.push('options');
      return ['options=', options];
    }
    if (params) {
      params.push(options);
      return '';
    }
    return options;
  };
  Lean.prototype.emptyHash = function (omitEmpty) {
    if (this.trackIds || this.stringParams) return Base.prototype.emptyHash.call(this, omitEmpty);
    this.pushStackLiteral(omitEmpty ? 'undefined' : 'container.nullContext');
  };
  Lean.prototype.programExpression = function (guid) {
    if (this.useDepths || this.useBlockParams) return Base.prototype.programExpression.call(this, guid);
    const i = this.environment.children[guid].index;
    return `(container.programs[${i}] || container.program(${i}))`;
  };
  hb.JavaScriptCompiler = Lean;
  return hb;
}

/** The helpers templates may call (templates.ts has its own of each block helper): a block helper of the runtime's
 * that passes no data (`with`) would leave a cached block program without it. */
const HELPERS = new Set(['if', 'unless', 'each', 'eq', 'node', 'arg', 'cast']);

/** The runtime as users get it beside their modules: the source less its implementation notes (line comments and
 * non-JSDoc block comments), which the repository's copy keeps; JSDoc, which editors show, stays. */
export function shippedRuntime(source) {
  const sf = ts.createSourceFile('structgen-runtime.ts', source, ts.ScriptTarget.Latest, true);
  const comments = new Map();
  const starts = new Map(); // a node's first token position -> the outermost node starting there
  const visit = (node) => {
    for (const at of [node.pos, node.end]) {
      for (const c of [...(ts.getLeadingCommentRanges(source, at) ?? []), ...(ts.getTrailingCommentRanges(source, at) ?? [])]) comments.set(c.pos, c.end);
    }
    if (node.kind !== ts.SyntaxKind.SyntaxList && node.kind !== ts.SyntaxKind.SourceFile && !starts.has(node.getStart(sf))) starts.set(node.getStart(sf), node);
    for (const child of node.getChildren(sf)) visit(child);
  };
  visit(sf);
  // JSDoc stays on what users see: exported classes, interfaces and types, and their members (exported functions and
  // constants are what the modules call)
  const exported = (n) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    && (ts.isClassDeclaration(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n));
  const shown = (n) => {
    for (let x = n; x && x.kind !== ts.SyntaxKind.SourceFile; x = x.parent) {
      if (x.parent?.kind === ts.SyntaxKind.SourceFile) return exported(x);
      if (!(ts.isClassLike(x.parent) || ts.isInterfaceDeclaration(x.parent) || ts.isTypeLiteralNode(x.parent) || ts.isTypeAliasDeclaration(x.parent)
        || ts.isIntersectionTypeNode(x.parent) || ts.isMappedTypeNode(x.parent))) return false;
    }
    return false;
  };
  const drop = new Map();
  for (const [pos, end] of comments) {
    // `@internal` members (what modules call on each other's codecs) are no documentation for users either
    if (!source.startsWith('/**', pos) || source.startsWith('/** @internal', pos)) { drop.set(pos, end); continue; }
    let next = end;
    while (/\s/.test(source[next] ?? '')) next++;
    const owner = starts.get(next);
    if (!owner || !shown(owner)) drop.set(pos, end);
  }
  let out = '';
  let at = 0;
  for (const [pos, end] of [...drop].sort((x, y) => x[0] - y[0])) {
    if (pos < at) continue;
    out += source.slice(at, pos);
    at = end;
  }
  out += source.slice(at);
  // no blank lines (the declarations' own lines separate them well enough in a file nobody edits), and a tab for each
  // level of indentation (two spaces): both safe while no string or template literal spans lines, which would change
  // its value (checked)
  const multiline = (n) => ((ts.isStringLiteralLike(n) || ts.isTemplateExpression(n)) && n.getText(sf).includes('\n')) || ts.forEachChild(n, multiline);
  if (multiline(sf)) throw new Error('structgen-runtime.ts: a literal spans lines; shippedRuntime would change it');
  return out.replace(/[ \t]+$/gm, '').replace(/\n{2,}/g, '\n').replace(/^\n+/, '').replace(/^(?:  )+/gm, (w) => '\t'.repeat(w.length / 2));
}

/** A runtime's source as users get it, its JavaScript and its declarations (checked: strict, lib ES2020). */
function runtimeAssets(runtime) {
  const fileName = 'structgen-runtime.ts';
  const shipped = shippedRuntime(runtime);
  const js = ts.transpileModule(shipped, {
    fileName, compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, removeComments: false, useDefineForClassFields: true },
  }).outputText;
  // declarations by the compiler's own declaration emit (transpileDeclaration prints a `[Symbol.iterator]` member twice)
  const options = { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, declaration: true, emitDeclarationOnly: true, strict: true,
    lib: ['lib.es2020.d.ts'], types: [], skipLibCheck: true, removeComments: false };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  const virtual = path.join(root, '.structgen-runtime-shipped.ts');
  let dts = '';
  host.readFile = (f) => (f === virtual ? shipped : readFile(f));
  host.getSourceFile = (f, v) => (f === virtual ? ts.createSourceFile(f, shipped, v, true) : getSourceFile(f, v));
  host.writeFile = (_f, text) => { dts = text; };
  const program = ts.createProgram([virtual], options, host);
  const problems = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (problems.length) throw new Error(`structgen-runtime.ts: ${ts.flattenDiagnosticMessageText(problems[0].messageText, '\n')}`);
  program.emit();
  return { shipped, js, dts };
}

export function assetsSource() {
  const partials = [];
  const walk = (dir, prefix) => {
    for (const f of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (f.isDirectory()) walk(path.join(dir, f.name), `${prefix}${f.name}/`);
      else if (f.name.endsWith('.hbs')) partials.push([`${prefix}${f.name.slice(0, -4)}`, readFileSync(path.join(dir, f.name), 'utf8')]);
    }
  };
  walk(path.join(root, 'templates/partials'), '');
  const lean = leanHandlebars();
  const spec = (text) => {
    const code = lean.precompile(text, OPTIONS);
    for (const [, h] of code.matchAll(/(?<![.\w])helpers\.(\w+)/g)) if (!HELPERS.has(h)) throw new Error(`templates: helper '${h}' is not one of ${[...HELPERS].join(', ')}`);
    if (/lookupProperty|"loc":/.test(code)) throw new Error('templates: compiled with property guards or locations (leanHandlebars no longer applies)');
    return code;
  };
  const runtime = readFileSync(path.join(root, 'generator/runtime/structgen-runtime.ts'), 'utf8');
  // two runtimes: for WebAssembly targets the whole file; for the others the file up to its section of memory views'
  // code (a fifth of the runtime, which views over a WebAssembly.Memory need, and only modules laid out as the
  // memory is: those generated for wasm32 or wasm64)
  const MEMORY_CODE = '\n// ==== WebAssembly memory: the views\' code';
  if (runtime.split(MEMORY_CODE).length !== 2) throw new Error(`structgen-runtime.ts: expected one line starting ${JSON.stringify(MEMORY_CODE.trim())}`);
  const core = runtimeAssets(runtime.slice(0, runtime.indexOf(MEMORY_CODE) + 1));
  const wasm = runtimeAssets(runtime);
  return [
    '// @generated by templates/compile.mjs from templates/ and generator/runtime/structgen-runtime.ts. Do not edit:',
    '// run `npm run build`. Precompiled handlebars templates and the runtime source, so nothing is read or compiled at',
    '// run time.',
    '/* eslint-disable */',
    '// @ts-nocheck',
    '',
    `export const RUNTIME_SOURCE: string = ${JSON.stringify(core.shipped)};`,
    '',
    `export const RUNTIME_JS: string = ${JSON.stringify(core.js)};`,
    '',
    `export const RUNTIME_DTS: string = ${JSON.stringify(core.dts)};`,
    '',
    `export const WASM_RUNTIME_SOURCE: string = ${JSON.stringify(wasm.shipped)};`,
    '',
    `export const WASM_RUNTIME_JS: string = ${JSON.stringify(wasm.js)};`,
    '',
    `export const WASM_RUNTIME_DTS: string = ${JSON.stringify(wasm.dts)};`,
    '',
    `export const MODULE_TEMPLATE = ${spec(readFileSync(path.join(root, 'templates/module.hbs'), 'utf8'))};`,
    '',
    `export const DECLARATIONS_TEMPLATE = ${spec(readFileSync(path.join(root, 'templates/module.d.ts.hbs'), 'utf8'))};`,
    '',
    'export const PARTIALS = {',
    ...partials.map(([name, text]) => `  ${JSON.stringify(name)}: ${spec(text)},`),
    '};',
    '',
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = assetsSource();
  if (process.argv.includes('--check')) {
    let old = '';
    try { old = readFileSync(OUT, 'utf8'); } catch { /* missing */ }
    if (old !== text) { process.stderr.write(`${path.relative(root, OUT)} is stale: run npm run build\n`); process.exit(1); }
  } else {
    let old = '';
    try { old = readFileSync(OUT, 'utf8'); } catch { /* missing */ }
    if (old !== text) writeFileSync(OUT, text); // unchanged: keep the file's time, so tsc --incremental skips it
  }
}
