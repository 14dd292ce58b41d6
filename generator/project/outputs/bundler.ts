// The bundler plugin's module (`import { R } from './x.h'`): the one header of the project planned on its own (the
// records of included headers it uses are in its module), importing the runtime as `structgen/runtime`, the
// package entry the plugin resolves to its own copy. JavaScript and its declarations (`x.h.d.ts`), both printed by
// the emitter: nothing here runs the TypeScript compiler.

import { emitFiles, fingerprintOf } from './modules.js';
import type { Output, OutputFile } from '../output.js';

export const RUNTIME_IMPORT = 'structgen/runtime';

export interface BundlerModule {
  /** The module the bundler gets: JavaScript. */
  readonly module: OutputFile;
  /** Its declarations, for editors and `tsc`; the same input hash as the module. */
  readonly declarations: OutputFile;
}

export const bundlerModule: Output<Record<string, never>, BundlerModule | null> = {
  title: 'bundler module',
  run(ctx) {
    if (ctx.analyses.length !== 1 || !ctx.options.selfContained) throw new Error('structgen: the bundler module is made for one header planned on its own (selfContained)');
    const plan = ctx.plan();
    if (!plan) return null;
    const files = emitFiles(plan, { fingerprint: fingerprintOf(ctx.options), emit: 'js+dts', runtimeImport: RUNTIME_IMPORT });
    // one module (nothing shared: the plan is self-contained) and no runtime file (imported by its specifier)
    const module = files.filter((f) => f.path.endsWith('.js'));
    const declarations = files.filter((f) => f.path.endsWith('.d.ts'));
    if (module.length !== 1 || declarations.length !== 1 || files.length !== 2) {
      throw new Error(`structgen: the bundler module is one .js and one .d.ts, not ${files.map((f) => f.path).join(', ')}`);
    }
    return { module: module[0]!, declarations: declarations[0]! };
  },
};
