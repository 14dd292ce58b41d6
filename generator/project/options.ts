// The options of a project: what the headers are analysed with (PipelineOptions, analyze.ts), what the plan and the
// modules are made with (GenerateOptions), and which headers on which targets (ProjectOptions). The config file's keys
// (config/config.ts), the command line's options (cli/options.ts) and the plugin's options all end up here.

import type { FieldOverride, UnionOverride } from '../plan/plan.js';
import type { HeaderAnalysis, PipelineOptions } from './analyze.js';

export type { FieldOverride, UnionOverride } from '../plan/plan.js';

/** What `generate` writes for each header: TypeScript (`X.ts`), or JavaScript with declarations (`X.js` and
 * `X.d.ts`), both printed by structgen from the plan (`--emit`, config key `emit`). */
export type EmitTarget = 'ts' | 'js+dts';
export const EMIT_TARGETS: readonly EmitTarget[] = ['ts', 'js+dts'];

export interface GenerateOptions extends PipelineOptions {
  /** The records to emit: names or `/regex/`s, wherever defined (CONTRACTS.md "Choosing records and constants"). */
  readonly records?: readonly string[];
  /** The `#define`s and enums to emit, selected the same way. */
  readonly constants?: readonly string[];
  /** `record.field` -> byte order for fields whose declared type does not say it (the same as
   * `fields: { "record.field": { endian } }`). */
  readonly endian?: Readonly<{ [recordDotField: string]: 'big' | 'little' }>;
  /** Per-member overrides keyed by `RECORD.PATH` (as in `layout --json`): `as` (`string`, `bytes`, `bool`,
   * `number`), `encoding`, `enum`, `endian`, `countedBy`. A key naming nothing, or an override that does not fit its
   * member, is an error. */
  readonly fields?: Readonly<{ [recordDotPath: string]: FieldOverride }>;
  /** Tagged unions keyed by the union member's `RECORD.PATH`: its tag member and which union member each tag value
   * selects. */
  readonly unions?: Readonly<{ [recordDotPath: string]: UnionOverride }>;
  /** How generated files name their headers (default: the path as given). */
  readonly displayPath?: (header: string) => string;
  /** Records of included headers go into the module of the header that uses them, not `included.ts` (the
   * bundler plugin's one module per imported header; plan/plan.ts `selfContained`). */
  readonly selfContained?: boolean;
  /** `ts` (default) or `js+dts`. */
  readonly emit?: EmitTarget;
  /** `ts`: modules and runtime say `// @ts-nocheck`, each module's layout asserts in `<module>.asserts.ts` (default
   * true); false: neither, the asserts in the module (the user's tsc checks every body). */
  readonly tsNocheck?: boolean;
}

export interface ProjectOptions extends Omit<GenerateOptions, 'target'> {
  readonly headers: readonly string[];
  /** Target triples (any known spelling); absent or empty: x86_64-linux-gnu, as in the config. */
  readonly targets?: readonly string[];
  /** Analyses kept from an earlier run with the same options, by `target + '\0' + header` (`generate --watch`
   * drops those of headers whose files changed): a header found here is not read again, and new ones are added. */
  readonly analyses?: Map<string, HeaderAnalysis>;
  /** Threads analysing headers beside the calling one (Node): 0 for none; absent: one per further core when there
   * are many headers. The output is the same either way; analyses made so keep no intermediate stages (`pp`,
   * `program` and `resolved` are null, `includedFiles` says what was read). */
  readonly workers?: number;
}

/** The key of a kept analysis (ProjectOptions.analyses). */
export const analysisKey = (target: string, header: string): string => `${target}\0${header}`;
