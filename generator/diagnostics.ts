// One Diagnostic type for every stage: a severity, a position in an original source file, a message.
// Stages return or throw these; only the CLI prints them (compiler style: `path:line:col: error: msg`).

export type Severity = 'error' | 'warning' | 'note';

export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface Diagnostic {
  readonly severity: Severity;
  readonly pos: SourcePos | null;
  readonly message: string;
  /** Short stable identifier, e.g. `pp-include-not-found`, for tools that filter diagnostics. */
  readonly code: string;
  /** Follow-up notes (include chain, where a macro was defined, ...), printed as `note:` lines. */
  readonly notes?: readonly Diagnostic[];
}

export function diag(severity: Severity, pos: SourcePos | null, code: string, message: string,
  notes?: readonly Diagnostic[]): Diagnostic {
  return notes && notes.length ? { severity, pos, code, message, notes } : { severity, pos, code, message };
}

/** Text from headers (`#error` text, file names) made safe for a terminal, as clang prints it: control characters
 * (escape sequences, carriage returns), C1 controls and bidirectional overrides as `<U+001B>`. Newlines and tabs stay
 * unless `oneLine` (a file name). */
export function printable(s: string, oneLine = false): string {
  return s.replace(oneLine ? /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g : /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.pos ? `${printable(d.pos.file, true)}:${d.pos.line}:${d.pos.col}: ` : 'structgen: ';
  const lines = [`${where}${d.severity}: ${printable(d.message)}`];
  for (const n of d.notes ?? []) lines.push(formatDiagnostic(n));
  return lines.join('\n');
}

/** Thrown by a stage that cannot go on; carries every diagnostic gathered so far. */
export class DiagnosticError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'DiagnosticError';
    this.diagnostics = diagnostics;
  }
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
