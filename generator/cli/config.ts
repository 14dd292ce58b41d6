// `structgen.config.json` (or `-c FILE`): read, validated against the documented keys, globs expanded.
// Unknown keys are an error that names them (CONTRACTS.md "Config file").

import { readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import { diag, type Diagnostic } from '../diagnostics.js';
import type { FieldOverride, UnionOverride } from '../plan/overrides.js';

export interface Config {
  readonly headers: readonly string[];
  readonly outDir: string;
  readonly include: readonly string[];
  readonly defines: Readonly<Record<string, string>>;
  readonly targets: readonly string[];
  readonly lockFile: string;
  /** Extension: byte order of fields whose declared type does not say it, `"record.field": "big"`. */
  readonly endian: Readonly<{ [recordDotField: string]: 'big' | 'little' }>;
  /** Per-member overrides by `RECORD.PATH` (`as`, `encoding`, `enum`, `endian`, `countedBy`). */
  readonly fields: Readonly<{ [recordDotPath: string]: FieldOverride }>;
  /** Tagged unions by the union member's `RECORD.PATH`. */
  readonly unions: Readonly<{ [recordDotPath: string]: UnionOverride }>;
  /** Extension: whose layout rules where gcc and clang differ (`--compiler`). */
  readonly compiler: 'clang' | 'gcc' | undefined;
  /** Directory the config file is in; relative paths in it are relative to this. */
  readonly dir: string;
}

const KEYS = new Set(['$schema', 'headers', 'outDir', 'include', 'defines', 'targets', 'lockFile', 'endian', 'compiler', 'fields', 'unions']);

export const DEFAULT_CONFIG_FILE = 'structgen.config.json';

/** Loads the config named by `-c`, or `structgen.config.json` in `cwd` when present; null when there is none. */
export function loadConfig(file: string | undefined, cwd: string): Config | Diagnostic[] | null {
  const f = file ?? path.join(cwd, DEFAULT_CONFIG_FILE);
  if (!existsSync(f)) {
    return file ? [diag('error', null, 'config', `config file '${file}' not found`)] : null;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(f, 'utf8'));
  } catch (e) {
    return [diag('error', { file: f, line: 1, col: 1 }, 'config', `invalid JSON: ${(e as Error).message}`)];
  }
  const errs: Diagnostic[] = [];
  const at = { file: f, line: 1, col: 1 };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [diag('error', at, 'config', 'the config must be a JSON object')];
  const o = raw as { [k: string]: unknown };
  const unknown = Object.keys(o).filter((k) => !KEYS.has(k));
  if (unknown.length) errs.push(diag('error', at, 'config', `unknown key${unknown.length > 1 ? 's' : ''} in config: ${unknown.join(', ')}`));
  const strArr = (k: string, required: boolean): string[] => {
    const v = o[k];
    if (v === undefined) { if (required) errs.push(diag('error', at, 'config', `'${k}' is required`)); return []; }
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) { errs.push(diag('error', at, 'config', `'${k}' must be an array of strings`)); return []; }
    return v as string[];
  };
  const str = (k: string, dflt: string): string => {
    const v = o[k];
    if (v === undefined) return dflt;
    if (typeof v !== 'string') { errs.push(diag('error', at, 'config', `'${k}' must be a string`)); return dflt; }
    return v;
  };
  const headers = strArr('headers', true);
  const include = strArr('include', false);
  const targets = strArr('targets', false);
  const defines: Record<string, string> = {};
  if (o.defines !== undefined) {
    if (typeof o.defines !== 'object' || o.defines === null || Array.isArray(o.defines)) errs.push(diag('error', at, 'config', `'defines' must be an object`));
    else for (const [k, v] of Object.entries(o.defines)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') defines[k] = String(v === true ? 1 : v);
      else errs.push(diag('error', at, 'config', `define '${k}' must be a string or number`));
    }
  }
  const endian: { [k: string]: 'big' | 'little' } = {};
  if (o.endian !== undefined) {
    if (typeof o.endian !== 'object' || o.endian === null || Array.isArray(o.endian)) errs.push(diag('error', at, 'config', `'endian' must be an object`));
    else for (const [k, v] of Object.entries(o.endian)) {
      if (v === 'big' || v === 'little') endian[k] = v; else errs.push(diag('error', at, 'config', `endian of '${k}' must be "big" or "little"`));
    }
  }
  const { fields, unions } = overrideKeys(o, (m) => errs.push(diag('error', at, 'config', m)));
  let compiler: 'clang' | 'gcc' | undefined;
  if (o.compiler !== undefined) {
    if (o.compiler === 'clang' || o.compiler === 'gcc') compiler = o.compiler;
    else errs.push(diag('error', at, 'config', `'compiler' must be "clang" or "gcc"`));
  }
  const outDir = str('outDir', 'generated');
  const lockFile = str('lockFile', 'structgen.lock.json');
  if (errs.length) return errs;
  const dir = path.dirname(path.resolve(f));
  return { headers, include, defines, targets: targets.length ? targets : ['x86_64-linux-gnu'], outDir, lockFile, endian, fields, unions, compiler, dir };
}

const FIELD_KEYS: { readonly [k: string]: readonly string[] | 'string' } = {
  as: ['string', 'bytes', 'bool', 'number'], encoding: ['utf-8', 'latin1'], enum: 'string', endian: ['big', 'little'], countedBy: 'string',
};

/** `"fields"` and `"unions"`, checked for shape (what they name is checked against the headers when planning). */
export function overrideKeys(o: { readonly [k: string]: unknown }, error: (message: string) => void): {
  fields: { [k: string]: FieldOverride }; unions: { [k: string]: UnionOverride };
} {
  const isObj = (v: unknown): v is { [k: string]: unknown } => typeof v === 'object' && v !== null && !Array.isArray(v);
  const fields: { [k: string]: FieldOverride } = {};
  const unions: { [k: string]: UnionOverride } = {};
  if (o.fields !== undefined) {
    if (!isObj(o.fields)) error(`'fields' must be an object: { "RECORD.PATH": { "as": "string" } }`);
    else for (const [k, v] of Object.entries(o.fields)) {
      if (!isObj(v)) { error(`fields['${k}'] must be an object`); continue; }
      let ok = true;
      for (const [p, x] of Object.entries(v)) {
        const allowed = FIELD_KEYS[p];
        if (!allowed) { error(`fields['${k}']: unknown key '${p}' (known: ${Object.keys(FIELD_KEYS).join(', ')})`); ok = false; }
        else if (allowed === 'string' ? typeof x !== 'string' || x === '' : !allowed.includes(x as string)) {
          error(`fields['${k}'].${p} must be ${allowed === 'string' ? 'a name' : allowed.map((a) => `"${a}"`).join(' or ')}`);
          ok = false;
        }
      }
      if (ok) fields[k] = v as FieldOverride;
    }
  }
  if (o.unions !== undefined) {
    if (!isObj(o.unions)) error(`'unions' must be an object: { "RECORD.PATH": { "tag": "RECORD.PATH", "cases": { "VALUE": "member" } } }`);
    else for (const [k, v] of Object.entries(o.unions)) {
      if (!isObj(v) || typeof v.tag !== 'string' || !isObj(v.cases) || Object.values(v.cases).some((c) => typeof c !== 'string')) {
        error(`unions['${k}'] must be { "tag": "RECORD.PATH", "cases": { "VALUE": "member", ... } }`);
        continue;
      }
      const extra = Object.keys(v).filter((x) => x !== 'tag' && x !== 'cases');
      if (extra.length) { error(`unions['${k}']: unknown key${extra.length > 1 ? 's' : ''} ${extra.join(', ')}`); continue; }
      unions[k] = { tag: v.tag, cases: v.cases as { [k: string]: string } };
    }
  }
  return { fields, unions };
}

/** Expands the config's header globs, relative to the config's directory, sorted for determinism. */
export function expandHeaders(c: Config): string[] {
  const out = new Set<string>();
  for (const pattern of c.headers) {
    const hits = globSync(pattern, { cwd: c.dir, onlyFiles: true, expandDirectories: false });
    for (const h of hits.sort()) out.add(path.relative(process.cwd(), path.join(c.dir, h)) || h);
  }
  return [...out];
}
