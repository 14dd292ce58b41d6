// `structgen/vite`: the structgen plugin for vite (see unplugin.ts). `import { R } from './x.h'` yields the module.
import { unplugin } from './unplugin.js';
export type { StructgenPluginOptions } from './core.js';

export const structgen = unplugin.vite;
export default structgen;
