// structgen's programmatic API: the same pipeline the CLI runs, returning data and diagnostics.
// Nothing here prints or writes; headers are read through the (replaceable) preprocessor host, and `check`
// reads the output folder through the host it is given.

export { analyzeHeader, headerRecords, layoutHeaders, layoutHeaders as layout, generateModules, generateModules as generate, VERSION } from './pipeline.js';
export type { GenerateOptions, GenerateRun, HeaderAnalysis, LayoutReport, LayoutRun, PipelineOptions, RecordReport, FieldReport, PaddingReport } from './pipeline.js';
export { buildProject, checkProject, checkProject as check } from './check/check.js';
export type { CheckResult, OutputHost, ProjectOptions, ProjectOutput, StaleFile } from './check/check.js';
export { diffTarget, formatLock, lockTarget, parseLock } from './check/lock.js';
export type { LayoutChange, LockFile, LockRecord, LockTarget } from './check/lock.js';
export { cAssertSource, verifyHeaders, verifyHeaders as verify } from './verify/verify.js';
export type { VerifyResult } from './verify/verify.js';
export type { EmittedFile } from './emit/emit.js';
export { formatDiagnostic, DiagnosticError } from './diagnostics.js';
export type { Diagnostic, SourcePos, Severity } from './diagnostics.js';
export { findTarget, knownTriples, TARGETS } from './target/index.js';
export type { TargetDesc } from './target/index.js';
export { LexCache } from './preprocess/preprocess.js';
export type { PreprocessHost } from './preprocess/preprocess.js';
