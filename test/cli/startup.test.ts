// What the command loads: `--version`, `--help` and usage errors load none of the pipeline (tree-sitter,
// handlebars, the stages), and jiti loads only for a TypeScript config. (bench/cli.ts measures the time.)

import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv, folder, OK_H, ROOT, spawnAsync } from './run.js';

/** The ES modules a run loads (URLs), recorded by a module hook. */
async function modulesLoaded(args: string[], cwd: string): Promise<{ code: number | null; urls: string[] }> {
  const hooks = folder({
    'hooks.mjs': "import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  appendFileSync(process.env.STRUCTGEN_TRACE, url + '\\n');\n  return next(url, context);\n}\n",
    'register.mjs': "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n",
    'trace.txt': '',
  });
  const trace = path.join(hooks, 'trace.txt');
  const r = await spawnAsync(process.execPath, ['--import', path.join(hooks, 'register.mjs'), BIN, ...args], { cwd, env: cleanEnv({ STRUCTGEN_TRACE: trace }) });
  return { code: r.code, urls: readFileSync(trace, 'utf8').split('\n').filter(Boolean) };
}

// the option table reads the emit targets from project/options.js, which imports nothing at run time
const HEAVY = /dist\/generator\/(pipeline|preprocess|parse|resolve|layout|emit|check|verify|config\/run|project\/(?!options\.js))|node_modules\/(tree-sitter|handlebars|jiti)\//;

describe('start-up', () => {
  it('--version, --help and usage errors load none of the pipeline', async () => {
    const dir = folder({ 'ok.h': OK_H });
    for (const args of [['--version'], ['--help'], ['generate', '--help'], ['layout', '--targt', 'x', 'ok.h'], ['generat']]) {
      const r = await modulesLoaded(args, dir);
      expect(r.urls.some((u) => u.endsWith('/dist/generator/cli/main.js')), args.join(' ')).toBe(true);
      expect(r.urls.filter((u) => HEAVY.test(u)), args.join(' ')).toEqual([]);
    }
  });

  it('a JSON config does not load the TypeScript loader; a TypeScript config does', async () => {
    const dir = folder({ 'include/ok.h': OK_H, 'structgen.config.json': JSON.stringify({ headers: ['include/*.h'] }) });
    const json = await modulesLoaded(['layout'], dir);
    expect(json.code).toBe(0);
    expect(json.urls.some((u) => u.includes('/dist/generator/project/project.js'))).toBe(true);
    expect(json.urls.filter((u) => u.includes('node_modules/jiti/'))).toEqual([]);
    const ts = folder({ 'include/ok.h': OK_H, 'structgen.config.ts': "const h: string[] = ['include/*.h'];\nexport default { headers: h };\n" });
    mkdirSync(path.join(ts, 'node_modules'));
    symlinkSync(ROOT, path.join(ts, 'node_modules/structgen'), 'dir');
    writeFileSync(path.join(ts, 'package.json'), '{}');
    const viaTs = await modulesLoaded(['layout'], ts);
    expect(viaTs.code).toBe(0);
    expect(viaTs.urls.some((u) => u.includes('node_modules/jiti/'))).toBe(true);
  });
});
