// The version structgen writes into its outputs (generated modules, layout reports, lock files): a module of its own
// so that what reads it (the renderers, in a browser too) does not load the pipeline.

export const VERSION = '0.1.0';
