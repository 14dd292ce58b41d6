// The bundler plugin's module (`import { R } from './x.h'`): the one header of the project planned on its own (the
// records of included headers it uses are in its module), importing the runtime as `structgen/runtime`, the
// package entry the plugin resolves to its own copy. Returns the module and its declarations (`x.h.d.ts`).

import { emitFiles, fingerprintOf } from './modules.js';
import type { Output, OutputFile } from '../output.js';

export const RUNTIME_IMPORT = 'structgen/runtime';

export interface BundlerModule {
  /** The module the bundler gets. */
  readonly module: OutputFile;
  /** Its declarations, for editors and `tsc`; null where the module is TypeScript itself. */
  readonly declarations: OutputFile | null;
}

export const bundlerModule: Output<Record<string, never>, BundlerModule | null> = {
  title: 'bundler module',
  run(ctx) {
    if (ctx.analyses.length !== 1 || !ctx.options.selfContained) throw new Error('structgen: the bundler module is made for one header planned on its own (selfContained)');
    const plan = ctx.plan();
    if (!plan) return null;
    const files = emitFiles(plan, { fingerprint: fingerprintOf(ctx.options), emit: 'ts', runtimeImport: RUNTIME_IMPORT });
    const module = files.find((f) => f.path.endsWith('.ts') || f.path.endsWith('.js'))!;
    return { module, declarations: null };
  },
};
