// structgen's programmatic API: the same pipeline the CLI runs, returning data and diagnostics.
// Nothing here prints; files are read through the (replaceable) preprocessor host.

export { analyzeHeader, headerRecords, layoutHeaders, VERSION } from './pipeline.js';
export type { HeaderAnalysis, LayoutReport, LayoutRun, PipelineOptions, RecordReport, FieldReport, PaddingReport } from './pipeline.js';
export { formatDiagnostic, DiagnosticError } from './diagnostics.js';
export type { Diagnostic, SourcePos, Severity } from './diagnostics.js';
export { findTarget, knownTriples, TARGETS } from './target/index.js';
export type { TargetDesc } from './target/index.js';
export { LexCache } from './preprocess/preprocess.js';
export type { PreprocessHost } from './preprocess/preprocess.js';
