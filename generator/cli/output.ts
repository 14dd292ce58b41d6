// What the CLI prints on stderr: diagnostics compiler style, with the source line and a caret under the column
// when stderr is a terminal; colours only on a terminal (NO_COLOR turns them off, FORCE_COLOR on); a progress
// line for long runs on a terminal. Text from headers and file names is printed as clang prints it (`<U+001B>`).

import { readFileSync } from 'node:fs';
import { createColors } from 'picocolors';
import { printable, type Diagnostic } from '../diagnostics.js';

type Colors = ReturnType<typeof createColors>;

/** Colours on stderr: NO_COLOR (set, not empty) wins, then FORCE_COLOR (anything but 0/false), then a terminal. */
export function colorEnabled(env: NodeJS.ProcessEnv = process.env, tty = !!process.stderr.isTTY): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return tty && env.TERM !== 'dumb';
}

export class Output {
  readonly c: Colors;
  /** Source snippets and the progress line: stderr is a terminal. */
  readonly tty: boolean;
  private readonly lines = new Map<string, string[] | null>();
  private progressShown = false;

  constructor(env: NodeJS.ProcessEnv = process.env, tty = !!process.stderr.isTTY && env.TERM !== 'dumb') {
    this.tty = tty;
    this.c = createColors(colorEnabled(env, !!process.stderr.isTTY));
  }

  /** One line on stderr. */
  err(line: string): void {
    this.clearProgress();
    process.stderr.write(`${line}\n`);
  }

  /** `structgen: error: MESSAGE` (or warning, note). */
  say(severity: 'error' | 'warning' | 'note', message: string): void {
    this.err(`${this.c.bold('structgen:')} ${this.sev(severity)} ${printable(message)}`);
  }

  private sev(s: 'error' | 'warning' | 'note'): string {
    const c = this.c;
    return s === 'error' ? c.bold(c.red('error:')) : s === 'warning' ? c.bold(c.magenta('warning:')) : c.bold(c.cyan('note:'));
  }

  /** A diagnostic and its notes, `path:line:col: error: message`, each with its source line on a terminal. */
  diagnostic(d: Diagnostic): void {
    const where = d.pos ? `${printable(d.pos.file, true)}:${d.pos.line}:${d.pos.col}:` : 'structgen:';
    this.err(`${this.c.bold(where)} ${this.sev(d.severity)} ${printable(d.message)}`);
    if (this.tty && d.pos && d.severity !== 'note') {
      const text = this.sourceLine(d.pos.file, d.pos.line);
      if (text !== null) {
        const num = String(d.pos.line);
        const lead = printable(text.slice(0, Math.max(0, d.pos.col - 1))).replace(/[^\t]/g, ' ');
        this.err(`${' '.repeat(Math.max(0, 5 - num.length))}${num} | ${printable(text)}`);
        this.err(`${' '.repeat(Math.max(5, num.length))} | ${lead}${this.c.bold(this.c.green('^'))}`);
      }
    }
    for (const n of d.notes ?? []) this.diagnostic(n);
  }

  diagnostics(ds: readonly Diagnostic[]): void {
    for (const d of ds) this.diagnostic(d);
  }

  private sourceLine(file: string, line: number): string | null {
    let lines = this.lines.get(file);
    if (lines === undefined) {
      try { lines = readFileSync(file, 'utf8').split(/\r?\n/); } catch { lines = null; }
      this.lines.set(file, lines);
    }
    const t = lines?.[line - 1];
    return t === undefined ? null : t.length > 200 ? `${t.slice(0, 200)}...` : t;
  }

  /** A progress reporter for `total` steps; draws on a terminal only, at most every 80 ms, and erases itself. */
  progress(total: number, what: string): { step(name: string): void; done(): void } {
    if (!this.tty || total < 20) return { step() { /* not a terminal, or too short to matter */ }, done() { /* nothing drawn */ } };
    let n = 0;
    let last = 0;
    return {
      step: (name: string) => {
        n = Math.min(total, n + 1);
        const now = Date.now();
        if (n > 1 && n < total && now - last < 80) return;
        last = now;
        const cols = process.stderr.columns || 80;
        const text = `structgen: ${what} ${n}/${total} ${name}`;
        process.stderr.write(`\r\x1b[K${text.length >= cols ? `${text.slice(0, cols - 4)}...` : text}`);
        this.progressShown = true;
      },
      done: () => this.clearProgress(),
    };
  }

  private clearProgress(): void {
    if (!this.progressShown) return;
    process.stderr.write('\r\x1b[K');
    this.progressShown = false;
  }
}
