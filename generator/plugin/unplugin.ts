// structgen as a bundler plugin, on unplugin (one implementation for Vite, Rollup, esbuild, webpack and Rspack):
// `import { input_event } from './input.h'` (or `./input.h?target=aarch64-linux-gnu`) yields the generated module
// of that header. The module imports the runtime as `structgen/runtime`, resolved here to structgen's own copy.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { createUnplugin, type UnpluginInstance } from 'unplugin';
import type { LoadedConfig } from '../config/config.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import {
  HEADER_RE, headerModule, LexCache, parseHeaderId, pluginConfig, RUNTIME_IMPORT, runtimePath, writeDeclaration, type StructgenPluginOptions,
} from './core.js';

export type { StructgenPluginOptions } from './core.js';

/** Diagnostics as one message: `file:line:col: error: ...` lines, the first error's position as `loc`. */
function asError(diags: readonly Diagnostic[], id: string): { message: string; id: string; loc?: { file: string; line: number; column: number } } {
  const errors = diags.filter((d) => d.severity === 'error');
  const first = errors.find((d) => d.pos) ?? null;
  const message = errors.map((d) => formatDiagnostic(d.pos ? { ...d, pos: { ...d.pos, file: path.resolve(d.pos.file) } } : d)).join('\n');
  return first?.pos
    // rollup's and esbuild's columns are 0-based
    ? { message, id, loc: { file: path.resolve(first.pos.file), line: first.pos.line, column: first.pos.col - 1 } }
    : { message, id };
}

export const unplugin: UnpluginInstance<StructgenPluginOptions | undefined, false> = createUnplugin((options: StructgenPluginOptions | undefined, meta) => {
  options ??= {};
  let config: Promise<LoadedConfig> | null = null;
  let configFile: string | null = null;
  /** Vite's project root, where the config search starts when `root` is not given. */
  let bundlerRoot: string | undefined;
  const getConfig = () => (config ??= pluginConfig({ ...(bundlerRoot ? { root: bundlerRoot } : {}), ...options })
    .then((c) => { configFile = c.file; return c; }));
  // lexed files shared by every header of the build (and across rebuilds: a changed file is forgotten)
  const cache = new LexCache();
  const runtime = runtimePath();
  const headerOf = (importer: string | undefined) => !!importer && HEADER_RE.test(importer);
  /** Each file a header read -> the header files reading it (Vite's dev server learns this from us). */
  const readers = new Map<string, Set<string>>();
  const forget = (file: string) => {
    const f = path.resolve(file);
    cache.invalidate([...cache.files.keys()].filter((k) => path.resolve(k) === f));
    if (configFile && f === configFile) config = null;
  };
  return {
    name: 'structgen',
    enforce: 'pre',
    resolveId(id, importer) {
      // the runtime, for generated modules only: every header shares structgen's copy
      // (esbuild: in setup below, as a file of its own namespace rather than one of the plugin's)
      if (id === RUNTIME_IMPORT && headerOf(importer) && meta.framework !== 'esbuild') return runtime;
      // Rollup itself resolves no query (`./x.h?target=...`); Vite, esbuild and webpack do
      if (meta.framework === 'rollup' && importer && HEADER_RE.test(id) && id.includes('?') && /^\.{0,2}\//.test(id)) {
        const { file } = parseHeaderId(id);
        const full = path.resolve(path.dirname(importer), file);
        return existsSync(full) ? full + id.slice(id.indexOf('?')) : null;
      }
      return null;
    },
    load: {
      filter: { id: HEADER_RE },
      async handler(id) {
        if (!HEADER_RE.test(id)) return null;
        const { file, target } = parseHeaderId(id);
        const c = await getConfig();
        const m = headerModule(file, c, target, cache);
        for (const f of m.watchFiles) {
          this.addWatchFile(f);
          let r = readers.get(f);
          if (!r) readers.set(f, (r = new Set()));
          r.add(file);
        }
        if (c.file) this.addWatchFile(c.file);
        for (const d of m.diagnostics) if (d.severity === 'warning') this.warn(formatDiagnostic(d));
        if (!m.js) {
          this.error(asError(m.diagnostics, file));
          // rollup-like bundlers threw above; esbuild reports the errors of a load that returns code
          return { code: '' };
        }
        if ((options!.dts ?? c.dts ?? true) && target === null) writeDeclaration(file, m);
        return { code: m.js };
      },
    },
    watchChange(id) {
      forget(id);
    },
    vite: {
      configResolved(c) {
        bundlerRoot = c.root;
      },
      // the dev server does not count files added with addWatchFile in `load` as the module's dependencies:
      // a change of one updates the headers that read it (watchChange above has already forgotten it)
      handleHotUpdate({ file, server, modules }) {
        const f = path.resolve(file);
        // the config: every header it was read for
        const headers = configFile && f === configFile ? new Set([...readers.values()].flatMap((r) => [...r])) : readers.get(f);
        if (!headers) return undefined;
        forget(file);
        const more = [...headers].flatMap((h) => [...(server.moduleGraph.getModulesByFile(h) ?? [])]);
        for (const m of more) server.moduleGraph.invalidateModule(m);
        return [...modules, ...more];
      },
    },
    esbuild: {
      // the module is JavaScript, whatever the file's name says
      loader: 'js',
      setup(build) {
        build.onResolve({ filter: /^structgen\/runtime$/ }, (args) => (headerOf(args.importer) ? { path: runtime } : undefined));
      },
    },
  };
});

export default unplugin;
