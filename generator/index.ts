// structgen's programmatic API: the same project layer the CLI runs, returning data and diagnostics.
// Nothing here prints or writes; headers are read through the (replaceable) preprocessor host, and `check`
// reads the output folder through the host it is given.

export {
  analyzeHeader, buildProject, checkProject, checkProject as check, generateModules, generateModules as generate, headerRecords,
  layoutHeaders, layoutHeaders as layout, nodeEnv, Project, projectFacts, verifyHeaders, verifyHeaders as verify, VERSION,
} from './pipeline.js';
export type {
  EmitTarget, FieldReport, FileRequest, GenerateOptions, GenerateRun, HeaderAnalysis, LayoutReport, LayoutRun, OutputFile,
  PaddingReport, PipelineOptions, ProjectFacts, ProjectOptions, ProjectOutput, RecordReport, VerifyResult,
} from './pipeline.js';
export type { CheckResult, OutputHost, StaleFile } from './check/check.js';
export { diffTarget, formatLock, lockTarget, parseLock } from './check/lock.js';
export type { LayoutChange, LockFile, LockRecord, LockTarget } from './check/lock.js';
export { cAssertSource } from './verify/asserts.js';
export { diffLayouts, failsAt } from './diff/diff.js';
export type { ChangeClass, ChangeKind, DiffChange, DiffReport, TargetSides } from './diff/diff.js';
export { formatJson as formatDiffJson, formatMarkdown as formatDiffMarkdown, formatText as formatDiffText } from './diff/format.js';
export type { FormatOptions as DiffFormatOptions } from './diff/format.js';
export { renderDiffHtml } from './diff/html.js';
export { OUTPUTS, type OutputName } from './project/outputs.js';
export type { EmittedFile } from './emit/emit.js';
export { formatDiagnostic, DiagnosticError } from './diagnostics.js';
export type { Diagnostic, SourcePos, Severity } from './diagnostics.js';
export { findTarget, knownTriples, TARGETS } from './target/index.js';
export type { TargetDesc } from './target/index.js';
export { LexCache } from './preprocess/preprocess.js';
export type { PreprocessHost } from './preprocess/preprocess.js';
