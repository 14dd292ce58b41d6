// The decoder modules (`structgen generate`): the plan of one target printed by generator/emit/, one module per
// header (with `ts`, and the layout asserts of each module with records, `X.asserts.ts`), the shared modules and the
// runtime. This file holds the project's only call of the emitter.

import { VERSION } from '../../core/version.js';
import { emitModules } from '../../emit/emit.js';
import type { ProjectPlan } from '../../plan/plan.js';
import type { EmitTarget, GenerateOptions } from '../options.js';
import type { FileOutput, OutputFile } from '../output.js';

export interface ModulesOptions {
  /** Default: the project's `emit`, else `ts`. */
  readonly emit?: EmitTarget;
  /** How the modules import the runtime (the bundler plugin: `structgen/runtime`); default the runtime module
   * written beside them. */
  readonly runtimeImport?: string;
}

/** Everything besides the plan that changes a module's text: folded into its input hash. */
export function fingerprintOf(o: GenerateOptions): string {
  return JSON.stringify([o.endian ?? {}, o.records ?? null, o.constants ?? null, ...(o.fields || o.unions ? [o.fields ?? {}, o.unions ?? {}] : [])]);
}

/** The emitter over a plan: every file of the modules (`ts`, or `js+dts`), each with the input hash it states. */
export function emitFiles(plan: ProjectPlan, o: { readonly fingerprint: string; readonly emit: EmitTarget; readonly runtimeImport?: string | undefined; readonly tsNocheck?: boolean | undefined }): OutputFile[] {
  const files = emitModules(plan, { version: VERSION, fingerprint: o.fingerprint, emit: o.emit, ...(o.runtimeImport !== undefined ? { runtimeImport: o.runtimeImport } : {}), ...(o.tsNocheck !== undefined ? { tsNocheck: o.tsNocheck } : {}) });
  return files.map((f): OutputFile => (f.hash === undefined ? { path: f.path, contents: f.contents } : { path: f.path, contents: f.contents, inputHash: f.hash }));
}

export const modules: FileOutput<ModulesOptions> = {
  title: 'decoder modules',
  owns: (rel) => /\.(?:ts|js|d\.ts)$/.test(rel),
  run(ctx, opts) {
    const plan = ctx.plan();
    if (!plan) return [];
    return emitFiles(plan, { fingerprint: fingerprintOf(ctx.options), emit: opts.emit ?? ctx.options.emit ?? 'ts', runtimeImport: opts.runtimeImport, tsNocheck: ctx.options.tsNocheck });
  },
};
