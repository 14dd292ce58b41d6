// `structgen generate --watch`: generate, then again whenever a header, a file one of them includes, or the config
// changes. One LexCache lives across rebuilds (a file included by several headers is lexed once; a changed file
// is forgotten and read again); only the headers that read a changed file are analysed again (the others' analyses
// are kept), the plan and emit run over all of them (module ownership is the project's), and files whose contents
// did not change are not rewritten (write-files.ts), so only the modules a change affects are written. One line per rebuild; Ctrl-C (SIGINT) or SIGTERM exits 0.
//
// Node's fs.watch on the folders holding the watched files, not on the files: editors that save by writing a new
// file and renaming it over the old one replace the inode a file watch would follow, and a folder watch sees that
// as a change of the name. No package needed (chokidar adds polling and globbing this does not need).

import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import type { LoadedConfig } from '../config/config.js';
import { filesOf, writeOutputs } from '../config/run.js';
import { diag, hasErrors, type Diagnostic } from '../diagnostics.js';
import { nodeFileHost } from '../node/fs-host.js';
import { WriteError } from '../node/write-files.js';
import { LexCache } from '../preprocess/preprocess.js';
import type { HeaderAnalysis } from '../project/analyze.js';
import { headerModule, writeDeclaration, type HeaderModule } from '../plugin/core.js';
import type { ConfigProject } from '../config/run.js';
import type { Output } from './output.js';

/** What `generate` runs with (commands.ts `inputs`): loaded again when the config changes. */
export interface WatchInputs {
  readonly config: LoadedConfig;
  readonly p: ConfigProject;
  readonly done: () => void;
}

/** Writes `X.h.d.ts` beside each header (what the bundler plugin writes for `import './X.h'`), first target: the
 * declarations the emitter prints with the module, so no TypeScript compiler. Nothing is written when a header has
 * errors. */
export function writeDeclarations(headers: readonly string[], config: LoadedConfig, cache: LexCache = new LexCache()): { written: string[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const modules: Array<[string, HeaderModule]> = [];
  for (const h of headers) {
    const m = headerModule(h, config, null, cache);
    diagnostics.push(...m.diagnostics.filter((d) => d.severity === 'error'));
    modules.push([h, m]);
  }
  if (hasErrors(diagnostics)) return { written: [], diagnostics };
  const written = modules.filter(([h, m]) => writeDeclaration(h, m)).map(([h]) => `${h}.d.ts`);
  return { written, diagnostics };
}

const plural = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;

export async function watchGenerate(out: Output, load: () => Promise<WatchInputs>): Promise<number> {
  const cache = new LexCache();
  /** Every host file a run read (headers, what they include): what the watch covers. */
  const read = new Set<string>();
  let inp: WatchInputs | null = null;
  /** Analyses of headers none of whose files changed since (cleared with the config). */
  const analyses = new Map<string, HeaderAnalysis>();
  let configFile: string | null = null;

  const build = async (why: string | null): Promise<void> => {
    const t0 = performance.now();
    try {
      if (!inp) {
        inp = await load();
        configFile = inp.config.file;
      }
    } catch (e) {
      // a config that does not load (yet): say why and keep watching it
      const ds = (e as { diagnostics?: Diagnostic[] }).diagnostics;
      if (ds) out.diagnostics(ds); else out.say('error', e instanceof Error ? e.message : String(e));
      inp = null;
      out.err(`structgen: ${why ? `${why}: ` : ''}failed; watching for changes`);
      return;
    }
    const { config, p } = inp;
    const host = { ...nodeFileHost, readFile: (f: string) => { const t = nodeFileHost.readFile(f); if (t !== null) read.add(path.resolve(f)); return t; } };
    const project = { ...p, project: { ...p.project, cache, host, analyses } };
    for (const h of project.project.headers) read.add(path.resolve(h));
    const { files, diagnostics } = filesOf(project);
    inp.done();
    out.diagnostics(diagnostics);
    const ms = () => Math.round(performance.now() - t0);
    if (hasErrors(diagnostics)) {
      out.err(`structgen: ${why ? `${why}: ` : ''}${plural(diagnostics.filter((d) => d.severity === 'error').length, 'error')} in ${ms()} ms; nothing written, watching for changes`);
      return;
    }
    try {
      const w = writeOutputs(p.outDir, files, config.clean);
      let dts = '';
      if (config.dts) {
        const d = writeDeclarations(project.project.headers, config, cache);
        out.diagnostics(d.diagnostics);
        if (d.written.length) dts = `, ${plural(d.written.length, 'declaration')} (${d.written.map((f) => path.basename(f)).join(', ')})`;
      }
      const names = w.written.map((f) => path.relative(p.outDir, f));
      const shown = names.length ? ` (${names.slice(0, 6).join(', ')}${names.length > 6 ? ', ...' : ''})` : '';
      out.err(`structgen: ${why ? `${why}: rebuilt` : 'built'} in ${ms()} ms: ${plural(w.written.length, 'file')} written${shown}, ${w.unchanged.length} unchanged${w.removed.length ? `, ${w.removed.length} removed` : ''}${dts}`);
    } catch (e) {
      if (!(e instanceof WriteError)) throw e;
      out.say('error', `${e.what} '${e.file}': ${e.reason}; nothing was written`);
    }
  };

  await build(null);

  const watchers = new Map<string, FSWatcher>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const watched = () => new Set([...read, ...(configFile ? [configFile] : [])]);
  const rewatch = () => {
    const files = watched();
    const dirs = new Set([...files].map((f) => path.dirname(f)));
    for (const [d, w] of watchers) if (!dirs.has(d)) { w.close(); watchers.delete(d); }
    for (const d of dirs) {
      if (watchers.has(d)) continue;
      try {
        const w = watch(d, (_event, name) => {
          if (name === null) return;
          const f = path.join(d, name.toString());
          if (!watched().has(f)) return;
          pending.add(f);
          if (timer) clearTimeout(timer);
          // editors write a file in more than one step: one rebuild per burst
          timer = setTimeout(flush, 40);
        });
        watchers.set(d, w);
      } catch (e) {
        out.diagnostics([diag('warning', null, 'watch', `cannot watch '${d}': ${e instanceof Error ? e.message : String(e)}`)]);
      }
    }
  };
  const flush = () => {
    timer = null;
    const changed = [...pending];
    pending.clear();
    running = running.then(async () => {
      // the cache knows files by the paths they were read under (relative to the working folder, or absolute)
      const set = new Set(changed);
      cache.invalidate([...cache.files.keys()].filter((k) => set.has(path.resolve(k))));
      if (configFile && changed.includes(configFile)) { inp = null; analyses.clear(); }
      // a header is read again when it or a file it included changed
      for (const [k, a] of analyses) {
        if ((a.pp?.includedFiles ?? [a.header]).some((f) => set.has(path.resolve(f)))) analyses.delete(k);
      }
      const why = changed.map((f) => path.relative(process.cwd(), f) || f).join(', ');
      await build(`${why} changed`);
      rewatch();
    });
  };
  rewatch();
  out.err('structgen: watching for changes (Ctrl-C to stop)');

  return new Promise<number>((resolve) => {
    const stop = () => {
      for (const w of watchers.values()) w.close();
      if (timer) clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.then(() => resolve(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
