#!/usr/bin/env node
// The `structgen` command: checks the command line against the option table, builds the yargs commands from it,
// and imports a command's work (the pipeline, tree-sitter) only when that command runs, so `--help`, `--version`
// and every usage error answer at once (the last two without loading yargs either). Exit codes: 0 ok, 1 the input had errors or a check failed, 2 usage.

import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Argv } from 'yargs';
import { checkArgs, splitAttached, STDIN_ARG, UsageError } from './args.js';
import { COMMANDS, type OptionSpec } from './options.js';
import { Output } from './output.js';

/** The package's version (package.json sits three folders above dist/generator/cli/). */
export const CLI_VERSION: string = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function addOptions<T>(y: Argv<T>, options: readonly OptionSpec[]): Argv<T> {
  for (const o of options) {
    y = y.option(o.name, {
      ...(o.alias ? { alias: o.alias } : {}),
      type: o.type,
      describe: o.value && !o.choices ? `${o.describe} [${o.value}]` : o.describe,
      ...(o.type === 'string' ? { requiresArg: true } : {}),
      ...(o.choices ? { choices: o.choices as string[] } : {}),
    }) as Argv<T>;
  }
  return y;
}

function usage(out: Output, e: UsageError): number {
  out.say('error', e.message);
  out.err(`Run 'structgen${e.command ? ` ${e.command}` : ''} --help' for usage.`);
  return 2;
}

async function runCommand(name: string, a: Record<string, unknown>, out: Output): Promise<number> {
  const cmds = await import('./commands.js');
  try {
    switch (name) {
      case 'layout': return await cmds.layout(a, out);
      case 'generate': return await cmds.generate(a, out);
      case 'check': return await cmds.check(a, out);
      case 'verify': return await cmds.verify(a, out);
      case 'decode': return await cmds.decode(a, out);
      case 'dump': return await cmds.dump(a, out);
      case 'diff': return await (await import('./diff-cmd.js')).diff(a, out);
      default: return cmds.targets();
    }
  } catch (e) {
    if (e instanceof UsageError) return usage(out, new UsageError(e.message, name));
    if (e instanceof cmds.ConfigError) { out.diagnostics(e.diagnostics); return 2; }
    if (e instanceof cmds.InputError) { out.diagnostics(e.diagnostics); return 1; }
    if (e instanceof cmds.WriteError) { out.say('error', `${e.message}; nothing was written`); return 1; }
    throw e;
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  const out = new Output();
  const args = splitAttached(argv);
  try {
    checkArgs(args);
  } catch (e) {
    if (e instanceof UsageError) return usage(out, e);
    throw e;
  }
  // `--version` alone, and every usage error above, answer without loading yargs
  if (args.length === 1 && args[0] === '--version') {
    process.stdout.write(`${CLI_VERSION}\n`);
    return 0;
  }
  // yargs' CommonJS build: its help layout (cliui) wraps at word boundaries; the ESM build's breaks words apart
  // 'yargs/yargs', not 'yargs': the package's main module makes a second instance (the singleton) on load, and each
  // instance guesses its version by walking up from the working directory, reading every folder on the way
  const yargs = createRequire(import.meta.url)('yargs/yargs') as (args: readonly string[]) => Argv;
  let code = 0;
  let y = yargs(args.map((x) => (x === '-' ? STDIN_ARG : x))) // yargs drops a lone '-' (stdin)
    .scriptName('structgen')
    .version(CLI_VERSION)
    .help()
    .alias('help', 'h')
    .strict()
    .exitProcess(false)
    .parserConfiguration({ 'duplicate-arguments-array': true })
    .usage('structgen <command> [options]\n\nExact C struct/union layouts for any target ABI, as TypeScript decoders.');
  y = y.wrap(y.terminalWidth());
  for (const c of COMMANDS) {
    y = y.command(`${c.name}${c.positional ? ` ${c.positional}` : ''}`, c.describe,
      (b) => {
        const withPos = !c.positional ? b
          : c.positional.startsWith('[inputs') ? b.positional('inputs', { type: 'string', array: true, describe: 'C headers (or none, with a config), then the file to read (- for stdin)' })
          : c.positional.startsWith('[versions') ? b.positional('versions', { type: 'string', array: true, describe: 'OLD and NEW (files, folders or git revisions; NEW defaults to the working tree), then the headers (default: the config\'s)' })
          : b.positional('headers', { type: 'string', array: true, describe: 'C headers (default: the headers of the config)' });
        return addOptions(withPos, c.options);
      },
      async (a) => { code = await runCommand(c.name, a as Record<string, unknown>, out); });
  }
  y = y.demandCommand(1, `name a command: ${COMMANDS.map((c) => c.name).join(', ')}`)
    .fail((msg, err) => { throw err ?? new UsageError(msg); });
  try {
    await y.parseAsync();
  } catch (e) {
    if (e instanceof UsageError) return usage(out, e);
    throw e;
  }
  return code;
}

function isMainModule(): boolean {
  // npx and npm link run the command through a symlink in node_modules/.bin
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) {
  // a closed pipe (`structgen layout x.h | head`) ends the run quietly
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); throw e; });
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
    const debug = process.env.STRUCTGEN_DEBUG;
    process.stderr.write(`structgen: internal error: ${(e as Error)?.message ?? String(e)}\n` +
      (debug ? `${(e as Error)?.stack ?? ''}\n` : '') +
      `This is a bug in structgen; please report it with the command line${debug ? '' : ' (STRUCTGEN_DEBUG=1 shows where it happened)'}.\n`);
    process.exitCode = 70;
  });
}
