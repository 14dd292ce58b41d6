// Every output of a project, in one table. An output is a pure function of one target's facts and plan
// (project/output.ts); adding one is a file in outputs/ and a line here, and every command, the API and the bundler
// plugin can then ask the project for it by name.

import { bundlerModule } from './outputs/bundler.js';
import { cAsserts } from './outputs/c-asserts.js';
import { layoutReport, layoutView } from './outputs/layout.js';
import { lock } from './outputs/lock.js';
import { modules } from './outputs/modules.js';
import type { FileOutput, Output } from './output.js';

export const OUTPUTS = {
  /** `X.ts` and its layout asserts `X.asserts.ts`, or `X.js` and `X.d.ts`, the shared modules and the runtime
   * (`generate`). */
  modules,
  /** `X.asserts.c` (`generate --emit-c-asserts`). */
  cAsserts,
  /** The lock file's entry of the target (`check`). */
  lock,
  /** `layout --json`. */
  layoutReport,
  /** `layout --format text|svg|html|rfc`. */
  layoutView,
  /** The module of `import ... from './x.h'` (the bundler plugin). */
  bundlerModule,
} satisfies { readonly [name: string]: Output<never, unknown> };

export type OutputName = keyof typeof OUTPUTS;
export type OptionsOf<K extends OutputName> = Parameters<(typeof OUTPUTS)[K]['run']>[1];
export type ResultOf<K extends OutputName> = ReturnType<(typeof OUTPUTS)[K]['run']>;
/** The outputs that write files into the output folder. */
export type FileOutputName = { [K in OutputName]: (typeof OUTPUTS)[K] extends FileOutput<never> ? K : never }[OutputName];
