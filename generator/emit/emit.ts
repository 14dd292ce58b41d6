// Emits TypeScript decoder modules: one per header, the records the headers use from included headers once in
// `included.ts`, and the shared runtime. A pure function from analyses to file contents; the CLI writes them.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { diag, type Diagnostic } from '../diagnostics.js';
import type { HeaderAnalysis } from '../pipeline.js';
import type { Enum, Record } from '../resolve/types.js';
import { commentText, exportName, stringLiteral } from './names.js';
import { RecordEmitter, type EmitContext, type EnumRef, type RecordModel, type RecordRef } from './records.js';
import { macroConstants } from './constants.js';

export interface EmittedFile {
  /** Relative to the output directory. */
  readonly path: string;
  readonly contents: string;
}

export interface EmitOptions {
  readonly version: string;
  /** `record.field` -> byte order, for fields whose declared type does not say it. */
  readonly endian?: Readonly<{ [recordDotField: string]: 'big' | 'little' }>;
  /** How the modules name their source headers (default: the path as given). */
  readonly displayPath?: (header: string) => string;
}

export interface EmitResult {
  readonly files: readonly EmittedFile[];
  readonly diagnostics: readonly Diagnostic[];
}

export const RUNTIME = 'structgen-runtime';
export const INCLUDED = 'included';

// ---------------------------------------------------------------------------------------------------------------
// templates

let compiled: { module: HandlebarsTemplateDelegate; runtime: HandlebarsTemplateDelegate } | null = null;

export function templatesDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const d = path.resolve(here, up, 'templates');
    if (existsSync(path.join(d, 'module.ts.hbs'))) return d;
  }
  throw new Error('structgen: templates/ not found next to the package');
}

function templates() {
  if (compiled) return compiled;
  const dir = templatesDir();
  const hb = Handlebars.create();
  for (const p of ['record', 'enum']) hb.registerPartial(p, readFileSync(path.join(dir, 'partials', `${p}.hbs`), 'utf8'));
  const opts = { noEscape: true, strict: true };
  compiled = {
    module: hb.compile(readFileSync(path.join(dir, 'module.ts.hbs'), 'utf8'), opts),
    runtime: hb.compile(readFileSync(path.join(dir, 'runtime.ts.hbs'), 'utf8'), opts),
  };
  return compiled;
}

// ---------------------------------------------------------------------------------------------------------------
// planning: which module owns which record

interface Owned {
  readonly module: string; // module base name, without extension
  readonly name: string;
}

/** Records are identified across translation units by where they are defined. Records a macro expands to share
 * the macro's position (`__struct_group` makes two), so the ordinal among those sharing one position is part of
 * the key: the same header text gives the same ordinals in every translation unit. */
const keys = new WeakMap<Record, string>();
function recordKey(r: Record): string {
  return keys.get(r) ?? `${r.pos.file}:${r.pos.line}:${r.pos.col}:${r.kind}:${r.name ?? ''}`;
}
function assignRecordKeys(records: readonly (Record | null)[]): void {
  const count = new Map<string, number>();
  for (const r of records) {
    if (!r || keys.has(r)) continue;
    const base = `${r.pos.file}:${r.pos.line}:${r.pos.col}:${r.kind}:${r.name ?? ''}`;
    const n = count.get(base) ?? 0;
    count.set(base, n + 1);
    keys.set(r, `${base}#${n}`);
  }
}
function enumKey(e: Enum): string {
  return `${e.pos.file}:${e.pos.line}:${e.pos.col}:${e.name ?? ''}`;
}

function moduleName(header: string, used: Set<string>): string {
  let base = path.basename(header).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_.-]/g, '_') || 'header';
  if (base === RUNTIME || base === INCLUDED) base = `${base}_h`;
  let n = base;
  for (let i = 2; used.has(n); i++) n = `${base}_${i}`;
  used.add(n);
  return n;
}

class Names {
  private readonly used = new Map<string, Set<string>>();
  claim(module: string, want: string): string {
    let set = this.used.get(module);
    if (!set) { set = new Set(['$rt', 'DecodeError', 'EncodeError', 'DecodeOptions', 'Source']); this.used.set(module, set); }
    let n = exportName(want);
    while (set.has(n) || set.has(`${n}View`) || set.has(`${n}Input`) || set.has(`${n}$values`) || set.has(`${n}$layout`)) n = `${n}_`;
    set.add(n);
    return n;
  }
  has(module: string, name: string): boolean {
    return this.used.get(module)?.has(name) ?? false;
  }
}

export function emitModules(analyses: readonly HeaderAnalysis[], opts: EmitOptions): EmitResult {
  const diags: Diagnostic[] = [];
  const usedModules = new Set<string>();
  const modules = analyses.map((a) => ({ a, module: moduleName(a.header, usedModules) }));
  const headerModule = new Map(modules.map((m) => [m.a.header, m.module]));
  const names = new Names();
  for (const { a } of modules) if (a.resolved) assignRecordKeys(a.resolved.records);
  const owner = new Map<string, Owned>(); // recordKey -> owner
  const enumOwner = new Map<string, Owned & { values: string }>();
  const included: Array<{ a: HeaderAnalysis; rec: Record }> = [];
  const includedEnums: Array<{ a: HeaderAnalysis; en: Enum }> = [];

  const ownerOf = (a: HeaderAnalysis, r: Record): string => headerModule.get(r.pos.file) ?? INCLUDED;

  // 1. named records and enums of each header, in definition order, then what they reach
  for (const { a } of modules) {
    if (!a.resolved) continue;
    for (const r of a.resolved.records) {
      if (!r || !r.name || r.pos.file !== a.header) continue;
      const k = recordKey(r);
      if (owner.has(k)) continue;
      const mod = headerModule.get(a.header)!;
      owner.set(k, { module: mod, name: names.claim(mod, r.name) });
    }
    for (const e of a.resolved.enums) {
      if (!e || !e.name || e.pos.file !== a.header) continue;
      const k = enumKey(e);
      if (enumOwner.has(k)) continue;
      const mod = headerModule.get(a.header)!;
      const n = names.claim(mod, e.name);
      enumOwner.set(k, { module: mod, name: n, values: `${n}$values` });
    }
  }
  // 2. records and enums used by those: untagged member types get `parent_member` names in their parent's
  //    module; named ones from included headers go to included.ts once
  const reach = (a: HeaderAnalysis, r: Record, parentName: string, seen: Set<number>) => {
    if (seen.has(r.id)) return;
    seen.add(r.id);
    for (const f of r.fields) {
      let t = a.layout!.desugar(f.type);
      while (t.k === 'array') t = a.layout!.desugar(t.of);
      if (t.k === 'enum') {
        const e = a.resolved!.enums[t.id]!;
        if (e.name && !enumOwner.has(enumKey(e))) {
          const mod = headerModule.get(e.pos.file) ?? INCLUDED;
          const n = names.claim(mod, e.name);
          enumOwner.set(enumKey(e), { module: mod, name: n, values: `${n}$values` });
          if (mod === INCLUDED) includedEnums.push({ a, en: e });
        }
        continue;
      }
      if (t.k !== 'record') continue;
      const inner = a.resolved!.records[t.id]!;
      const k = recordKey(inner);
      if (!owner.has(k)) {
        if (inner.name) {
          const mod = ownerOf(a, inner);
          owner.set(k, { module: mod, name: names.claim(mod, inner.name) });
          if (mod === INCLUDED) included.push({ a, rec: inner });
        } else if (f.name !== null) {
          const mod = owner.get(recordKey(r))!.module;
          owner.set(k, { module: mod, name: names.claim(mod, `${parentName}_${f.name}`) });
        } else {
          // anonymous members are promoted into their parent: they still need their own owner for nesting
          owner.set(k, { module: owner.get(recordKey(r))!.module, name: parentName });
        }
      }
      reach(a, inner, owner.get(k)!.name, seen);
    }
  };
  for (const { a } of modules) {
    if (!a.resolved) continue;
    const seen = new Set<number>();
    for (const r of a.resolved.records) {
      if (r && r.name && r.pos.file === a.header) reach(a, r, owner.get(recordKey(r))!.name, seen);
    }
  }
  for (let i = 0; i < included.length; i++) {
    const { a, rec } = included[i]!;
    reach(a, rec, owner.get(recordKey(rec))!.name, new Set());
  }

  // 3. render each module
  const files: EmittedFile[] = [];
  const display = opts.displayPath ?? ((h: string) => h);
  const target = analyses[0]?.target.triple ?? '';
  /** One module from records of one or more translation units (included.ts gathers several): each part gets
   * an emitter over its own analysis; helpers and imports are shared, so each is declared once. */
  interface Part { readonly a: HeaderAnalysis; readonly recs: readonly Record[]; readonly enums: readonly Enum[] }
  const renderModule = (module: string, parts: readonly Part[], source: string, constants: ReturnType<typeof macroConstants>, hashText: string) => {
    const helpers = new Map<string, string>();
    const imports = new Map<string, Set<string>>();
    const need = (mod: string, ...ns: string[]) => {
      if (mod === module) return;
      let s = imports.get(mod);
      if (!s) { s = new Set(); imports.set(mod, s); }
      for (const n of ns) s.add(n);
    };
    const recordModels: Array<RecordModel & { nameLiteral: string; isUnion: boolean }> = [];
    const enumModels: Array<{ name: string; valuesName: string; cName: string; where: string; values: Array<{ key: string; value: string }> }> = [];
    for (const { a, recs, enums } of parts) {
      const ctx: EmitContext = {
        target: a.target,
        layout: a.layout!,
        records: a.resolved!.records,
        enums: a.resolved!.enums,
        recordRef(id: number): RecordRef {
          const r = a.resolved!.records[id]!;
          const o = owner.get(recordKey(r));
          if (!o) throw new Error(`no owner for ${r.name}`);
          need(o.module, `${o.name}$read`, `${o.name}$write`, `${o.name}View`, `type ${o.name}`, `type ${o.name}Input`);
          return { name: o.name, viewName: `${o.name}View`, inputName: `${o.name}Input`, module: o.module === module ? null : `./${o.module}.js` };
        },
        enumRef(id: number): EnumRef | null {
          const e = a.resolved!.enums[id]!;
          const o = enumOwner.get(enumKey(e));
          if (!o) return null;
          need(o.module, `type ${o.name}`, o.values);
          return { typeName: o.name, valuesName: o.values, module: o.module === module ? null : `./${o.module}.js` };
        },
        endianOverride: (rec, field) => opts.endian?.[`${rec}.${field}`],
        helper(name: string, code: string): string {
          if (!helpers.has(name)) helpers.set(name, code);
          return name;
        },
      };
      const emitter = new RecordEmitter(ctx);
      for (const r of recs) {
        const o = owner.get(recordKey(r))!;
        try {
          const m = emitter.model(r, { name: o.name, viewName: `${o.name}View`, inputName: `${o.name}Input`, module: null }, true);
          recordModels.push({ ...m, cName: commentText(m.cName), where: commentText(display(r.pos.file) + `:${r.pos.line}`), nameLiteral: stringLiteral(o.name), isUnion: r.kind === 'union',
            members: m.members.map((x) => ({ ...x, comment: commentText(x.comment) })) });
        } catch (e) {
          diags.push(diag('error', r.pos, 'emit', `cannot emit ${r.kind} '${r.name}': ${(e as Error).message}`));
        }
      }
      for (const e of enums) {
        const o = enumOwner.get(enumKey(e))!;
        const big = a.layout!.sizeAlign({ k: 'int', name: e.underlying }).size > 4;
        enumModels.push({
          name: o.name, valuesName: o.values, cName: commentText(`enum ${e.name}`), where: commentText(`${display(e.pos.file)}:${e.pos.line}`),
          values: e.values.map((v) => ({ key: /^[A-Za-z_$][\w$]*$/.test(v.name) ? v.name : stringLiteral(v.name), value: big ? `${v.value}n` : String(v.value) })),
        });
      }
    }
    const importList = [...imports.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([mod, ns]) => ({
      module: `./${mod}.js`,
      names: [...ns].sort((x, y) => x.replace(/^type /, '').localeCompare(y.replace(/^type /, ''))).join(', '),
    }));
    const hash = createHash('sha256').update(`${opts.version}\0${target}\0${hashText}\0${JSON.stringify(opts.endian ?? {})}`).digest('hex').slice(0, 16);
    const contents = templates().module({
      version: opts.version, source: commentText(source), target, hash, runtime: RUNTIME,
      summary: commentText(`${recordModels.length} record${recordModels.length === 1 ? '' : 's'}, ${enumModels.length} enum${enumModels.length === 1 ? '' : 's'}, ${constants.length} constant${constants.length === 1 ? '' : 's'}`),
      imports: importList, helpers: [...helpers.values()], enums: enumModels, constants, records: recordModels,
    });
    files.push({ path: `${module}.ts`, contents });
  };

  for (const { a, module } of modules) {
    if (!a.resolved) continue;
    const recs = a.resolved.records.filter((r): r is Record => !!r && owner.get(recordKey(r))?.module === module
      && (r.pos.file === a.header || !r.name) && !(r.anonymousMember && !r.name));
    const enums = a.resolved.enums.filter((e): e is Enum => !!e && enumOwner.get(enumKey(e))?.module === module);
    const constants = macroConstants(a, (n) => names.has(module, n) ? null : names.claim(module, n));
    renderModule(module, [{ a, recs, enums }], display(a.header), constants, a.pp?.text ?? '');
  }
  if (included.length || includedEnums.length) {
    // included.ts holds records of included headers, each emitted once, from the first header that used it
    const byTu = new Map<HeaderAnalysis, { recs: Record[]; enums: Enum[] }>();
    const part = (a: HeaderAnalysis) => {
      let e = byTu.get(a);
      if (!e) { e = { recs: [], enums: [] }; byTu.set(a, e); }
      return e;
    };
    const placed = new Set<string>();
    for (const { a, rec } of included) { placed.add(recordKey(rec)); part(a).recs.push(rec); }
    for (const { a, en } of includedEnums) part(a).enums.push(en);
    // untagged member types of included records live in included.ts too (once, though every TU has them)
    for (const [a, e] of [...byTu]) {
      for (const r of a.resolved!.records) {
        if (r && !r.name && !r.anonymousMember && owner.get(recordKey(r))?.module === INCLUDED && !placed.has(recordKey(r))) {
          placed.add(recordKey(r));
          e.recs.push(r);
        }
      }
    }
    const parts = [...byTu.entries()].map(([a, e]) => ({ a, recs: e.recs, enums: e.enums }));
    renderModule(INCLUDED, parts, 'records used from included headers', [], parts.map((p) => p.a.pp?.text ?? '').join('\0'));
  }
  files.push({ path: `${RUNTIME}.ts`, contents: templates().runtime({ version: opts.version }) });
  files.sort((x, y) => x.path.localeCompare(y.path));
  return { files, diagnostics: diags };
}
