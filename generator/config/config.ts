// The project config: `structgen.config.{ts,mts,js,mjs,json}` in the working folder or the nearest parent (or
// `-c FILE`), validated against one table of keys, with every relative path resolved against the config's folder.
// A TypeScript config is loaded through jiti, imported only then (start-up time of every other run matters).

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { diag, type Diagnostic } from '../diagnostics.js';
import { osReason } from '../node/fs-host.js';
import type { FieldOverride, UnionOverride } from '../plan/overrides.js';
import { EMIT_TARGETS, type EmitTarget } from '../project/options.js';
import { nearestWord } from './suggest.js';

/** What a config file holds (`defineConfig` checks it at the type level). Only `headers` is required. */
export interface StructgenConfig {
  readonly $schema?: string;
  /** Header files or globs, relative to the config's folder. */
  readonly headers: readonly string[];
  /** Where `generate` writes (`-o`); default `generated`. */
  readonly outDir?: string;
  /** Include directories, searched first, in order (`-I`). */
  readonly include?: readonly string[];
  /** System include directories, searched after `include` (`--isystem`). */
  readonly isystem?: readonly string[];
  /** Root of the target's system headers (`--sysroot`). */
  readonly sysroot?: string;
  /** Macros (`-D NAME=VALUE`); `true` is `1`. */
  readonly defines?: Readonly<Record<string, string | number | boolean>>;
  /** Predefined macros to undefine (`-U`). */
  readonly undefines?: readonly string[];
  /** Target triples (`-t`); default `["x86_64-linux-gnu"]`. Several: `generate` writes `outDir/<triple>/`. */
  readonly targets?: readonly string[];
  /** Whose layout rules where gcc and clang differ (`--compiler`); default clang. */
  readonly compiler?: 'clang' | 'gcc';
  /** `-mms-bitfields` (true) / `-mno-ms-bitfields` (false) (`--ms-bitfields`). */
  readonly msBitfields?: boolean;
  /** `-fshort-enums` (`--short-enums`). */
  readonly shortEnums?: boolean;
  /** An external preprocessor command instead of the built-in one (`--cpp`). */
  readonly cpp?: string;
  /** Byte order of fields whose declared type does not say it: `"RECORD.FIELD": "big"` (`--endian`). */
  readonly endian?: Readonly<Record<string, 'big' | 'little'>>;
  /** Per-member overrides by `RECORD.PATH` (`as`, `encoding`, `enum`, `endian`, `countedBy`). */
  readonly fields?: Readonly<Record<string, FieldOverride>>;
  /** Tagged unions by the union member's `RECORD.PATH`: `{ tag: "RECORD.PATH", cases: { VALUE: "member" } }`. */
  readonly unions?: Readonly<Record<string, UnionOverride>>;
  /** The records to emit, wherever defined: names or `/regex/`s (`--records`). Default: those the headers define. */
  readonly records?: readonly string[];
  /** The `#define`s and enums to emit, selected the same way (`--constants`). */
  readonly constants?: readonly string[];
  /** What `generate` writes for each header: `"ts"` (`X.ts`, the default) or `"js+dts"` (`X.js` and `X.d.ts`), both
   * printed by structgen (`--emit`). */
  readonly emit?: EmitTarget;
  /** Also write `<module>.asserts.c` (`generate --emit-c-asserts`). */
  readonly emitCAsserts?: boolean;
  /** With `emit: "ts"`: the modules and the runtime say `// @ts-nocheck` and each module's layout asserts are in
   * `<module>.asserts.ts`, which your tsc checks (default true; `--ts-nocheck`). False: your tsc checks every body. */
  readonly tsNocheck?: boolean;
  /** Remove generated files no longer produced (`generate --clean`). */
  readonly clean?: boolean;
  /** Write `X.h.d.ts` beside each header, the types of `import ... from './X.h'` with the bundler plugin
   * (`generate --dts`; the plugin writes them unless this is false). */
  readonly dts?: boolean;
  /** Compiler command of `verify` (`--cc`). */
  readonly cc?: string;
  /** The lock file of `check`; default `structgen.lock.json`. */
  readonly lockFile?: string;
}

/** A validated config with defaults filled in and the folder its relative paths are relative to. */
export interface LoadedConfig {
  /** The config file, or null for a config object given to the API. */
  readonly file: string | null;
  /** Absolute folder relative paths are relative to. */
  readonly dir: string;
  readonly headers: readonly string[];
  readonly outDir: string;
  readonly include: readonly string[];
  readonly isystem: readonly string[];
  readonly sysroot: string | undefined;
  readonly defines: Readonly<Record<string, string>>;
  readonly undefines: readonly string[];
  readonly targets: readonly string[];
  readonly compiler: 'clang' | 'gcc' | undefined;
  readonly msBitfields: boolean | undefined;
  readonly shortEnums: boolean | undefined;
  readonly cpp: string | undefined;
  readonly endian: Readonly<Record<string, 'big' | 'little'>>;
  readonly fields: Readonly<Record<string, FieldOverride>>;
  readonly unions: Readonly<Record<string, UnionOverride>>;
  readonly records: readonly string[] | undefined;
  readonly constants: readonly string[] | undefined;
  readonly emit: EmitTarget;
  readonly emitCAsserts: boolean;
  readonly tsNocheck: boolean;
  readonly clean: boolean;
  readonly dts: boolean | undefined;
  readonly cc: string | undefined;
  readonly lockFile: string;
}

type KeyType = 'string' | 'strings' | 'boolean' | 'defines' | 'endian' | 'fields' | 'unions' | readonly string[];

/** Every config key and its type; the JSON Schema lists the same keys, and cli/options.ts maps each option to one. */
export const CONFIG_KEYS: { readonly [key: string]: { readonly type: KeyType } } = {
  $schema: { type: 'string' },
  headers: { type: 'strings' },
  outDir: { type: 'string' },
  include: { type: 'strings' },
  isystem: { type: 'strings' },
  sysroot: { type: 'string' },
  defines: { type: 'defines' },
  undefines: { type: 'strings' },
  targets: { type: 'strings' },
  compiler: { type: ['clang', 'gcc'] },
  msBitfields: { type: 'boolean' },
  shortEnums: { type: 'boolean' },
  cpp: { type: 'string' },
  endian: { type: 'endian' },
  fields: { type: 'fields' },
  unions: { type: 'unions' },
  records: { type: 'strings' },
  constants: { type: 'strings' },
  emit: { type: EMIT_TARGETS },
  emitCAsserts: { type: 'boolean' },
  tsNocheck: { type: 'boolean' },
  clean: { type: 'boolean' },
  dts: { type: 'boolean' },
  cc: { type: 'string' },
  lockFile: { type: 'string' },
};

export const CONFIG_NAMES = ['structgen.config.ts', 'structgen.config.mts', 'structgen.config.js', 'structgen.config.mjs', 'structgen.config.json'] as const;

/** A config that cannot be found, loaded or validated; `diagnostics` say why (one per problem). */
export class ConfigError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('; '));
    this.name = 'ConfigError';
  }
}

/** The config file in `dir` or its nearest parent that has one; null when there is none. */
export function findConfig(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const here = CONFIG_NAMES.filter((n) => existsSync(path.join(d, n)));
    if (here.length > 1) {
      throw new ConfigError([diag('error', null, 'config', `several config files in ${path.relative(dir, d) || '.'}: ${here.join(', ')}; keep one, or name one with -c`)]);
    }
    if (here.length === 1) return path.join(d, here[0]!);
    if (path.dirname(d) === d) return null;
  }
}

/** Reads a config file of any of the supported kinds and returns what it holds (not yet validated). */
export async function readConfigFile(file: string): Promise<{ value: unknown; text: string | null }> {
  const at = { file: shown(file), line: 1, col: 1 };
  if (!existsSync(file)) throw new ConfigError([diag('error', null, 'config', `config file '${shown(file)}' not found`)]);
  if (file.endsWith('.json')) {
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch (e) { throw new ConfigError([diag('error', null, 'config', `cannot read the config file '${shown(file)}': ${osReason(e)}`)]); }
    try {
      return { value: JSON.parse(text), text };
    } catch (e) {
      const msg = (e as Error).message;
      const pos = /position (\d+)/.exec(msg);
      const lc = /line (\d+) column (\d+)/.exec(msg);
      const where = lc ? { ...at, line: Number(lc[1]), col: Number(lc[2]) } : pos ? { ...at, ...lineCol(text, Number(pos[1])) } : at;
      throw new ConfigError([diag('error', where, 'config', `invalid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '')}`)]);
    }
  }
  let mod: unknown;
  try {
    // native import where Node reads the file as a module as it is; jiti for TypeScript, and for a `.js` file of a
    // package that is not "type": "module" (ESM or CommonJS syntax alike, without Node's warning about it)
    const native = file.endsWith('.mjs') || (file.endsWith('.js') && packageType(path.dirname(file)) === 'module');
    mod = native ? await import(pathToFileURL(file).href) : await importWithJiti(file);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError([diag('error', at, 'config', `cannot load the config: ${firstLine(e)}`)]);
  }
  const m = mod as { default?: unknown };
  let value = m && typeof m === 'object' && 'default' in m ? m.default : undefined;
  if (typeof value === 'function') value = await (value as () => unknown)();
  if (value === undefined) throw new ConfigError([diag('error', at, 'config', 'the config module has no default export (export default defineConfig({ ... }))')]);
  return { value: await value, text: null };
}

/** The "type" of the package.json nearest to `dir` (Node's rule for `.js` files). */
function packageType(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const pj = path.join(d, 'package.json');
    if (existsSync(pj)) {
      try { return (JSON.parse(readFileSync(pj, 'utf8')) as { type?: string }).type; } catch { return undefined; }
    }
    if (path.dirname(d) === d) return undefined;
  }
}

async function importWithJiti(file: string): Promise<unknown> {
  const { createJiti } = await import('jiti');
  // no cache on disk: `check` never writes
  const jiti = createJiti(import.meta.url, { fsCache: false, moduleCache: false, interopDefault: false });
  return jiti.import(file);
}

const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0];
const shown = (f: string) => path.relative(process.cwd(), f) || f;

function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

/**
 * Checks a config value against CONFIG_KEYS and fills in the defaults. `file` names it in messages (and its JSON
 * `text`, when known, gives each message the line of the key); `dir` is what its relative paths are relative to.
 */
export function validateConfig(value: unknown, dir: string, file: string | null = null, text: string | null = null): LoadedConfig {
  const name = file ? shown(file) : 'config';
  const errs: Diagnostic[] = [];
  const where = (key: string | null) => {
    if (!file) return null;
    if (!text || key === null) return { file: name, line: 1, col: 1 };
    const i = text.indexOf(JSON.stringify(key));
    return i < 0 ? { file: name, line: 1, col: 1 } : { file: name, ...lineCol(text, i) };
  };
  const err = (key: string | null, msg: string) => errs.push(diag('error', where(key), 'config', file ? msg : `config: ${msg}`));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError([diag('error', where(null), 'config', 'the config must be an object')]);
  }
  const o = value as { [k: string]: unknown };
  for (const k of Object.keys(o)) {
    if (CONFIG_KEYS[k]) continue;
    const near = nearestWord(k, Object.keys(CONFIG_KEYS));
    err(k, `unknown key '${k}' in the config${near ? ` (did you mean '${near}'?)` : ''}`);
  }
  const check = (k: string, t: KeyType): unknown => {
    const v = o[k];
    if (v === undefined) return undefined;
    if (t === 'string') {
      if (typeof v !== 'string' || v === '') { err(k, `'${k}' must be a non-empty string`); return undefined; }
      return v;
    }
    if (t === 'boolean') {
      if (typeof v !== 'boolean') { err(k, `'${k}' must be true or false`); return undefined; }
      return v;
    }
    if (t === 'strings') {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) { err(k, `'${k}' must be an array of non-empty strings`); return undefined; }
      if (k === 'headers' && !v.length) { err(k, `'headers' must list at least one header or glob`); return undefined; }
      return v;
    }
    if (Array.isArray(t)) {
      if (!t.includes(v as string)) { err(k, `'${k}' must be ${t.map((x) => JSON.stringify(x)).join(' or ')}`); return undefined; }
      return v;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) { err(k, `'${k}' must be an object`); return undefined; }
    if (t === 'fields') return fieldOverrides(v as { [k: string]: unknown }, (m) => err(k, m));
    if (t === 'unions') return unionOverrides(v as { [k: string]: unknown }, (m) => err(k, m));
    const out: { [n: string]: string } = {};
    for (const [n, x] of Object.entries(v)) {
      if (t === 'defines') {
        if (!/^[A-Za-z_]\w*$/.test(n)) err(k, `define '${n}' is not a macro name`);
        else if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[n] = x === true ? '1' : x === false ? '0' : String(x);
        else err(k, `define '${n}' must be a string, number or boolean`);
      } else {
        if (!/^[A-Za-z_$][\w$]*\.[A-Za-z_$][\w$.]*$/.test(n)) err(k, `endian key '${n}' must be RECORD.FIELD`);
        else if (x === 'big' || x === 'little') out[n] = x;
        else err(k, `endian of '${n}' must be "big" or "little"`);
      }
    }
    return out;
  };
  const got: { [k: string]: unknown } = {};
  for (const [k, { type }] of Object.entries(CONFIG_KEYS)) got[k] = check(k, type);
  if (o.headers === undefined) err(null, `'headers' is required (the headers to read, as globs relative to the config)`);
  if (errs.length) throw new ConfigError(errs);
  const targets = (got.targets as string[] | undefined) ?? [];
  return {
    file, dir: path.resolve(dir),
    headers: got.headers as string[],
    outDir: (got.outDir as string | undefined) ?? 'generated',
    include: (got.include as string[] | undefined) ?? [],
    isystem: (got.isystem as string[] | undefined) ?? [],
    sysroot: got.sysroot as string | undefined,
    defines: (got.defines as Record<string, string> | undefined) ?? {},
    undefines: (got.undefines as string[] | undefined) ?? [],
    targets: targets.length ? targets : ['x86_64-linux-gnu'],
    compiler: got.compiler as 'clang' | 'gcc' | undefined,
    msBitfields: got.msBitfields as boolean | undefined,
    shortEnums: got.shortEnums as boolean | undefined,
    cpp: got.cpp as string | undefined,
    endian: (got.endian as Record<string, 'big' | 'little'> | undefined) ?? {},
    fields: (got.fields as Record<string, FieldOverride> | undefined) ?? {},
    unions: (got.unions as Record<string, UnionOverride> | undefined) ?? {},
    records: got.records as string[] | undefined,
    constants: got.constants as string[] | undefined,
    emit: (got.emit as EmitTarget | undefined) ?? 'ts',
    emitCAsserts: (got.emitCAsserts as boolean | undefined) ?? false,
    tsNocheck: (got.tsNocheck as boolean | undefined) ?? true,
    clean: (got.clean as boolean | undefined) ?? false,
    dts: got.dts as boolean | undefined,
    cc: got.cc as string | undefined,
    lockFile: (got.lockFile as string | undefined) ?? 'structgen.lock.json',
  };
}

const FIELD_KEYS: { readonly [k: string]: readonly string[] | 'name' } = {
  as: ['string', 'bytes', 'bool', 'number'], encoding: ['utf-8', 'latin1'], enum: 'name', endian: ['big', 'little'], countedBy: 'name',
};
const isObject = (v: unknown): v is { [k: string]: unknown } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `"fields"`, checked for shape (what the keys name is checked against the headers when planning). */
function fieldOverrides(o: { readonly [k: string]: unknown }, error: (message: string) => void): Record<string, FieldOverride> {
  const out: Record<string, FieldOverride> = {};
  for (const [k, v] of Object.entries(o)) {
    if (!/^[^.]+(\.[^.]+)+$/.test(k)) { error(`fields key '${k}' must be RECORD.PATH`); continue; }
    if (!isObject(v)) { error(`fields['${k}'] must be an object`); continue; }
    let ok = true;
    for (const [p, x] of Object.entries(v)) {
      const allowed = FIELD_KEYS[p];
      if (!allowed) {
        const near = nearestWord(p, Object.keys(FIELD_KEYS));
        error(`fields['${k}']: unknown key '${p}'${near ? ` (did you mean '${near}'?)` : ` (known: ${Object.keys(FIELD_KEYS).join(', ')})`}`);
        ok = false;
      } else if (allowed === 'name' ? typeof x !== 'string' || x === '' : !allowed.includes(x as string)) {
        error(`fields['${k}'].${p} must be ${allowed === 'name' ? 'a name' : allowed.map((a) => `"${a}"`).join(' or ')}`);
        ok = false;
      }
    }
    if (ok && !Object.keys(v).length) { error(`fields['${k}'] is empty`); ok = false; }
    if (ok) out[k] = v as FieldOverride;
  }
  return out;
}

/** `"unions"`, checked for shape. */
function unionOverrides(o: { readonly [k: string]: unknown }, error: (message: string) => void): Record<string, UnionOverride> {
  const out: Record<string, UnionOverride> = {};
  for (const [k, v] of Object.entries(o)) {
    if (!isObject(v) || typeof v.tag !== 'string' || !isObject(v.cases) || Object.values(v.cases).some((c) => typeof c !== 'string')) {
      error(`unions['${k}'] must be { "tag": "RECORD.PATH", "cases": { "VALUE": "member", ... } }`);
      continue;
    }
    const extra = Object.keys(v).filter((x) => x !== 'tag' && x !== 'cases');
    if (extra.length) { error(`unions['${k}']: unknown key${extra.length > 1 ? 's' : ''} ${extra.join(', ')}`); continue; }
    out[k] = { tag: v.tag, cases: v.cases as { [k: string]: string } };
  }
  return out;
}

/** The settings without a config file: every default, paths relative to `dir`. */
export function defaultConfig(dir: string): LoadedConfig {
  return {
    file: null, dir: path.resolve(dir), headers: [], outDir: 'generated', include: [], isystem: [], sysroot: undefined, defines: {},
    undefines: [], targets: ['x86_64-linux-gnu'], compiler: undefined, msBitfields: undefined, shortEnums: undefined, cpp: undefined,
    endian: {}, fields: {}, unions: {}, records: undefined, constants: undefined, emit: 'ts', emitCAsserts: false, tsNocheck: true, clean: false, dts: undefined, cc: undefined, lockFile: 'structgen.lock.json',
  };
}

export interface LoadConfigOptions {
  /** Where the search starts (default: the working folder). */
  readonly cwd?: string;
  /** A config file to load instead of searching (`-c FILE`), relative to `cwd`. */
  readonly configFile?: string;
}

/**
 * Finds (or takes `configFile`), loads and validates the config. Null when there is none; throws ConfigError
 * (every problem, as diagnostics) when it cannot be loaded or is not valid.
 */
export async function loadConfig(opts: LoadConfigOptions = {}): Promise<LoadedConfig | null> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const file = opts.configFile !== undefined ? path.resolve(cwd, opts.configFile) : findConfig(cwd);
  if (!file) return null;
  if (!/\.(ts|mts|js|mjs|json)$/.test(file)) {
    throw new ConfigError([diag('error', null, 'config', `config file '${shown(file)}': expected a .ts, .mts, .js, .mjs or .json file`)]);
  }
  const { value, text } = await readConfigFile(file);
  return validateConfig(value, path.dirname(file), file, text);
}

/** Identity, for type checking and editor completion in `structgen.config.ts`. */
export function defineConfig<const C extends StructgenConfig>(config: C): C {
  return config;
}
