// The command line checked against the option table before yargs runs and before any work: an unknown command or
// option, an option without its value, or an empty value is one usage error (exit 2) that suggests a near
// spelling. Compiler spellings (`-Iinclude`, `-DNAME=1`, `-mms-bitfields`) are rewritten to the table's forms.

import { BUILTIN_OPTIONS, camel, COMMANDS, type OptionSpec } from './options.js';
import { nearestWord } from '../config/suggest.js';

/** A mistake on the command line: printed as `structgen: error: MESSAGE`, exit 2, nothing done. */
export class UsageError extends Error {
  constructor(message: string, readonly command: string | null = null) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What a lone `-` (stdin, for decode and dump) becomes for yargs, which would drop it. */
export const STDIN_ARG = '\u0000stdin';

/** Compiler spellings of switches yargs would read as clusters of short options. */
const COMPILER_FLAGS: { readonly [k: string]: string } = {
  '-mms-bitfields': '--ms-bitfields', '-mno-ms-bitfields': '--no-ms-bitfields',
  '-fshort-enums': '--short-enums', '-fno-short-enums': '--no-short-enums',
  '-isystem': '--isystem', '--include-dir': '-I',
};

/** `-Iinclude`, `-DNAME=1`, `-UNAME` split into two arguments, compiler switches renamed. */
export function splitAttached(args: readonly string[]): string[] {
  const out: string[] = [];
  let rest = false;
  for (const a0 of args) {
    if (rest) { out.push(a0); continue; }
    if (a0 === '--') { rest = true; out.push(a0); continue; }
    const a = COMPILER_FLAGS[a0] ?? a0;
    const m = /^-([IDU])(.+)$/.exec(a);
    if (m) out.push(`-${m[1]}`, m[2]!); else out.push(a);
  }
  return out;
}

/** The option a token (`--name`, `--no-name`, `-x`, without `=value`) names among `options`, or null. */
function lookup(options: readonly OptionSpec[], token: string): OptionSpec | null {
  const all = [...options, ...BUILTIN_OPTIONS];
  if (token.startsWith('--')) {
    const name = token.slice(2);
    return all.find((s) => s.name === name || camel(s.name) === name || (s.type === 'boolean' && name === `no-${s.name}`)) ?? null;
  }
  const short = token.slice(1);
  return all.find((o) => o.alias === short || (o.name.length === 1 && o.name === short)) ?? null;
}

const isOption = (a: string) => a.length > 1 && a.startsWith('-') && !/^-\d/.test(a);
const display = (s: OptionSpec) => (s.name.length === 1 ? `-${s.name}` : `--${s.name}`);
const ANY_OPTION = COMMANDS.flatMap((c) => c.options);

/** The command the arguments name (the first word that is not an option or an option's value), or null. */
export function commandOf(args: readonly string[]): { name: string | null; index: number } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return { name: args[i + 1] ?? null, index: i + 1 };
    if (isOption(a)) {
      if (lookup(ANY_OPTION, a)?.type === 'string' && !a.includes('=')) i++;
      continue;
    }
    return { name: a, index: i };
  }
  return { name: null, index: -1 };
}

/**
 * Checks the arguments (after splitAttached) against the table and returns the command's name (null when only
 * `--help` or `--version` is asked). Throws UsageError for the first mistake found.
 */
export function checkArgs(args: readonly string[]): string | null {
  const { name, index } = commandOf(args);
  const cmd = name === null ? null : COMMANDS.find((c) => c.name === name) ?? null;
  if (name !== null && !cmd) {
    const near = nearestWord(name, COMMANDS.map((c) => c.name));
    throw new UsageError(`unknown command '${name}'${near ? ` (did you mean '${near}'?)` : `; the commands are ${COMMANDS.map((c) => c.name).join(', ')}`}`);
  }
  const seen = new Map<string, number>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (i === index) continue;
    const a = args[i]!;
    if (a === '--') { positionals.push(...args.slice(i + 1).filter((_x, k) => i + 1 + k !== index)); break; }
    if (!isOption(a)) { positionals.push(a); continue; }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const key = eq > 0 ? a.slice(0, eq) : a;
    const spec = lookup(cmd?.options ?? [], key);
    if (!spec) {
      const known = [...(cmd?.options ?? []), ...BUILTIN_OPTIONS]
        .flatMap((o) => [display(o), ...(o.alias ? [`-${o.alias}`] : []), ...(o.type === 'boolean' ? [`--no-${o.name}`] : [])]);
      const near = nearestWord(key, known.filter((k) => k.startsWith('--') === key.startsWith('--')));
      throw new UsageError(`unknown option '${key}'${cmd ? ` for '${cmd.name}'` : ''}${near ? ` (did you mean '${near}'?)` : ''}`, cmd?.name ?? null);
    }
    if (spec.type === 'boolean') {
      if (eq > 0 && !/^(true|false)$/.test(a.slice(eq + 1))) throw new UsageError(`option '${display(spec)}' takes no value (or true/false), not '${a.slice(eq + 1)}'`, cmd?.name ?? null);
      continue;
    }
    let value: string;
    if (eq > 0) value = a.slice(eq + 1);
    else if (i + 1 < args.length && args[i + 1] !== '--' && (!isOption(args[i + 1]!) || spec.name === 'D' || spec.name === 'U')) value = args[++i]!;
    else throw new UsageError(`option '${key}' needs a value${spec.value ? ` (${spec.value})` : ''}`, cmd?.name ?? null);
    if (value === '') throw new UsageError(`option '${key}' needs a non-empty value${spec.value ? ` (${spec.value})` : ''}`, cmd?.name ?? null);
    const n = (seen.get(spec.name) ?? 0) + 1;
    seen.set(spec.name, n);
    if (n > 1 && !spec.repeatable) throw new UsageError(`option '${display(spec)}' given more than once`, cmd?.name ?? null);
    if (spec.choices && !spec.choices.includes(value)) {
      const near = nearestWord(value, spec.choices);
      throw new UsageError(`option '${display(spec)}' must be ${spec.choices.join(' or ')}, not '${value}'${near ? ` (did you mean '${near}'?)` : ''}`, cmd?.name ?? null);
    }
  }
  if (cmd && !cmd.positional && positionals.length) {
    throw new UsageError(`'${cmd.name}' takes no arguments, got '${positionals[0]}'${cmd.name === 'check' ? ' (check reads the headers listed in the config)' : ''}`, cmd.name);
  }
  if (cmd && positionals.includes('')) throw new UsageError('an empty header name was given', cmd.name);
  return cmd?.name ?? null;
}
