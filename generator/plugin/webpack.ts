// `structgen/webpack`: the structgen plugin for webpack (see unplugin.ts). `import { R } from './x.h'` yields the module.
import { unplugin } from './unplugin.js';
export type { StructgenPluginOptions } from './core.js';

export const structgen = unplugin.webpack;
export default structgen;
