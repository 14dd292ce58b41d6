// `structgen/config`: write a config as code (`defineConfig`), load the project's config (`loadConfig`), and run
// `generate` / `check` from a config object as the CLI does. Loading this entry is cheap: the pipeline is imported
// only when a run function is called, so a `structgen.config.ts` importing `defineConfig` stays fast to load.

import type { ConfigCheckResult, ConfigProject, GenerateResult, RunOptions } from './run.js';
import type { LoadedConfig, StructgenConfig } from './config.js';

export { CONFIG_KEYS, CONFIG_NAMES, ConfigError, defineConfig, findConfig, loadConfig, validateConfig } from './config.js';
export type { LoadConfigOptions, LoadedConfig, StructgenConfig } from './config.js';
export type { ConfigCheckResult, ConfigProject, GenerateResult, RunOptions } from './run.js';
export { WriteError, type WriteReport } from '../node/write-files.js';

/** The options `buildProject` / `checkProject` take for this config (header globs expanded), its output folder
 * and lock file. */
export async function projectFromConfig(config: StructgenConfig | LoadedConfig, opts: RunOptions = {}): Promise<ConfigProject> {
  return (await import('./run.js')).projectFromConfig(config, opts);
}

/** `structgen generate` for a config: the files (relative to `outDir`); with `write: true` they are written all or
 * nothing (a `WriteError` says why not), and with `clean: true` generated files no longer produced are removed. */
export async function generateFromConfig(config: StructgenConfig | LoadedConfig, opts: RunOptions & { write?: boolean; clean?: boolean } = {}): Promise<GenerateResult> {
  return (await import('./run.js')).generateFromConfig(config, opts);
}

/** `structgen check` for a config: stale generated files and layout changes against the lock file; with
 * `update: true` the lock file is rewritten. */
export async function checkFromConfig(config: StructgenConfig | LoadedConfig, opts: RunOptions & { update?: boolean } = {}): Promise<ConfigCheckResult> {
  return (await import('./run.js')).checkFromConfig(config, opts);
}
