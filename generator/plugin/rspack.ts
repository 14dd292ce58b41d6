// `structgen/rspack`: the structgen plugin for rspack (see unplugin.ts). `import { R } from './x.h'` yields the module.
import { unplugin } from './unplugin.js';
export type { StructgenPluginOptions } from './core.js';

export const structgen = unplugin.rspack;
export default structgen;
