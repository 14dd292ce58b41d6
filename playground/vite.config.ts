// The playground: a static site from the same core as `structgen/browser` (aliased to the sources) and
// web-tree-sitter. `npm run playground` serves it; `npm run playground:build` writes playground/dist/, relative paths
// (`base: './'`) so any static host or a sub-folder serves it, the wasm files bundled as assets (no CDN).

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: './',
  resolve: { alias: { 'structgen/browser': here('../generator/browser.ts') } },
  // the example headers come from the repository's headers/
  server: { fs: { allow: [here('..')] } },
  optimizeDeps: { exclude: ['web-tree-sitter'] },
  build: { outDir: here('dist'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000, assetsInlineLimit: 0 },
});
