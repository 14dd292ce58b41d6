// `structgen/esbuild`: the structgen plugin for esbuild (see unplugin.ts). `import { R } from './x.h'` yields the module.
import { unplugin } from './unplugin.js';
export type { StructgenPluginOptions } from './core.js';

export const structgen = unplugin.esbuild;
export default structgen;
