// `structgen/rollup`: the structgen plugin for rollup (see unplugin.ts). `import { R } from './x.h'` yields the module.
import { unplugin } from './unplugin.js';
export type { StructgenPluginOptions } from './core.js';

export const structgen = unplugin.rollup;
export default structgen;
