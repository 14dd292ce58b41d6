// Every command and option of the CLI in one table: yargs is built from it, the arguments are checked against it
// before any work, and each option names the config key of the same meaning (a test holds the JSON Schema to it).

import { EMIT_TARGETS } from '../project/options.js';

export interface OptionSpec {
  /** Long name, kebab-case as typed (`emit-c-asserts`); yargs also accepts the camelCase spelling. */
  readonly name: string;
  readonly alias?: string;
  readonly type: 'string' | 'boolean';
  /** May be given more than once (`-I a -I b`). */
  readonly repeatable?: boolean;
  readonly choices?: readonly string[];
  /** How help shows the value (`DIR`, `TRIPLE`). */
  readonly value?: string;
  readonly describe: string;
  /** The config key of the same meaning; null for options that only steer one run (`--update`, `--json`). */
  readonly configKey: string | null;
}

export const COMMON_OPTIONS: readonly OptionSpec[] = [
  { name: 'target', alias: 't', type: 'string', value: 'TRIPLE', configKey: 'targets', describe: "target ABI (default x86_64-linux-gnu; see 'structgen targets')" },
  { name: 'I', type: 'string', repeatable: true, value: 'DIR', configKey: 'include', describe: 'add an include directory, searched first (repeatable; -Idir works too)' },
  { name: 'D', type: 'string', repeatable: true, value: 'NAME[=VALUE]', configKey: 'defines', describe: 'define a macro (repeatable)' },
  { name: 'U', type: 'string', repeatable: true, value: 'NAME', configKey: 'undefines', describe: 'undefine a predefined macro (repeatable)' },
  { name: 'isystem', type: 'string', repeatable: true, value: 'DIR', configKey: 'isystem', describe: 'add a system include directory, searched after -I (repeatable)' },
  { name: 'sysroot', type: 'string', value: 'DIR', configKey: 'sysroot', describe: "root of the target's system headers (DIR/usr/include, ...)" },
  { name: 'cpp', type: 'string', value: 'CMD', configKey: 'cpp', describe: 'an external preprocessor instead of the built-in one, e.g. "cpp -P"' },
  { name: 'compiler', type: 'string', choices: ['clang', 'gcc'], value: 'clang|gcc', configKey: 'compiler', describe: 'whose layout rules where gcc and clang differ (default clang)' },
  { name: 'ms-bitfields', type: 'boolean', configKey: 'msBitfields', describe: "ms_struct bit-field layout for every record (-mms-bitfields); --no-ms-bitfields (-mno-ms-bitfields) turns mingw's default off" },
  { name: 'short-enums', type: 'boolean', configKey: 'shortEnums', describe: 'enums as small as their values allow (-fshort-enums)' },
  { name: 'config', alias: 'c', type: 'string', value: 'FILE', configKey: null, describe: 'config file (default: structgen.config.{ts,mts,js,mjs,json} here or in the nearest parent folder)' },
];

/** `--record` of `layout`, `decode` and `dump`. */
const RECORD_OPTION = (what: string): OptionSpec => ({ name: 'record', type: 'string', repeatable: true, value: 'NAME|/REGEX/', configKey: null, describe: `${what} (its tag or typedef name, wherever defined; repeatable)` });

/** What `decode` and `dump` take besides the common options. */
const READ_OPTIONS: readonly OptionSpec[] = [
  RECORD_OPTION('the record to read (required; several are each read at the offset)'),
  { name: 'offset', type: 'string', value: 'BYTES', configKey: null, describe: 'byte offset of the first record (decimal or 0x hex; default 0)' },
  { name: 'endian', type: 'string', repeatable: true, value: 'RECORD.FIELD=big|little', configKey: 'endian', describe: 'byte order of a field its type does not declare (repeatable)' },
];

export interface CommandSpec {
  readonly name: string;
  /** The positional part of the yargs command (`[headers..]`), or '' for none. */
  readonly positional: string;
  readonly describe: string;
  readonly options: readonly OptionSpec[];
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'generate', positional: '[headers..]', describe: 'write TypeScript decoder modules for the headers',
    options: [...COMMON_OPTIONS,
      { name: 'out', alias: 'o', type: 'string', value: 'DIR', configKey: 'outDir', describe: 'output folder (default: outDir of the config, or generated)' },
      { name: 'endian', type: 'string', repeatable: true, value: 'RECORD.FIELD=big|little', configKey: 'endian', describe: 'byte order of a field its type does not declare (repeatable)' },
      { name: 'records', type: 'string', repeatable: true, value: 'NAME|/REGEX/', configKey: 'records', describe: 'emit these records, wherever they are defined (repeatable; default: those the headers define)' },
      { name: 'constants', type: 'string', repeatable: true, value: 'NAME|/REGEX/', configKey: 'constants', describe: "emit these #defines and enums, wherever they are defined (repeatable; default: the headers' own)" },
      { name: 'emit', type: 'string', choices: EMIT_TARGETS, value: 'ts|js+dts', configKey: 'emit', describe: 'what to write for each header: X.ts (ts, the default), or X.js and X.d.ts (js+dts); no TypeScript compiler is needed for either' },
      { name: 'emit-c-asserts', type: 'boolean', configKey: 'emitCAsserts', describe: "also write <module>.asserts.c: static asserts of every layout, for the C side's build" },
      { name: 'ts-nocheck', type: 'boolean', configKey: 'tsNocheck', describe: "with --emit ts (default on): modules and runtime say // @ts-nocheck, each module's layout asserts in <module>.asserts.ts for your tsc; --no-ts-nocheck: your tsc checks every body" },
      { name: 'clean', type: 'boolean', configKey: 'clean', describe: 'remove generated files in the output folder that are no longer generated' },
      { name: 'dts', type: 'boolean', configKey: 'dts', describe: "also write X.h.d.ts beside each header: the types of import './X.h' with the bundler plugin" },
      { name: 'watch', alias: 'w', type: 'boolean', configKey: null, describe: 'regenerate when a header, a file it includes or the config changes (Ctrl-C stops)' },
    ],
  },
  {
    name: 'layout', positional: '[headers..]', describe: 'print the layout of every struct and union in the headers',
    options: [...COMMON_OPTIONS,
      { name: 'json', type: 'boolean', configKey: null, describe: "machine-readable JSON (its shape is in the README, under 'layout --json'); the same as --format json" },
      { name: 'format', type: 'string', choices: ['text', 'json', 'svg', 'html', 'rfc'], value: 'text|json|svg|html|rfc', configKey: null, describe: 'text (pahole style, the default), json, svg or html (byte maps), rfc (RFC 791 bit diagram)' },
      { name: 'packable', type: 'boolean', configKey: null, describe: 'for each record with holes, a member order without them, checked by laying it out again' },
      RECORD_OPTION("only this record (default: the headers' own)"),
    ],
  },
  {
    name: 'check', positional: '', describe: 'pre-commit gate: fail when generated files are stale or a layout differs from the lock file; never writes (but --update)',
    options: [...COMMON_OPTIONS,
      { name: 'update', type: 'boolean', configKey: null, describe: 'rewrite the lock file with the current layouts' },
      { name: 'format', type: 'string', choices: ['text', 'json'], value: 'text|json', configKey: null, describe: 'report format (default text)' },
    ],
  },
  {
    name: 'verify', positional: '[headers..]', describe: 'prove the layouts with a real C compiler for the target',
    options: [...COMMON_OPTIONS,
      { name: 'cc', type: 'string', value: 'CMD', configKey: 'cc', describe: "compiler command (default: cc for the host's target, clang for others)" },
    ],
  },
  {
    name: 'decode', positional: '[inputs..]', describe: 'print the decoded values of a record in a file: HEADER... --record NAME FILE|-',
    options: [...COMMON_OPTIONS, ...READ_OPTIONS,
      { name: 'count', type: 'string', value: 'N', configKey: null, describe: 'decode N consecutive records (prints an array)' },
      { name: 'all', type: 'boolean', configKey: null, describe: 'decode as many consecutive records as fit (prints an array)' },
      { name: 'format', type: 'string', choices: ['json', 'ndjson', 'table'], value: 'json|ndjson|table', configKey: null, describe: 'json (one document, the default), ndjson (a record a line), table' },
      { name: 'strict', type: 'boolean', configKey: null, describe: 'reject enum values that are not enumerators and _Bool values other than 0 and 1' },
    ],
  },
  {
    name: 'dump', positional: '[inputs..]', describe: 'an annotated hex dump of a record in a file: HEADER... --record NAME FILE|-',
    options: [...COMMON_OPTIONS, ...READ_OPTIONS,
      { name: 'count', type: 'string', value: 'N', configKey: null, describe: 'dump N consecutive records' },
    ],
  },
  {
    name: 'diff', positional: '[versions..]', describe: 'what a header change does to the binary layout on every target: OLD [NEW] [HEADER...], each a file, a folder or a git revision (NEW: the working tree)',
    options: [...COMMON_OPTIONS.map((o) => (o.name === 'target' ? { ...o, repeatable: true, describe: "target ABI (repeatable; default: the config's targets, or x86_64-linux-gnu; see 'structgen targets')" } : o)),
      { name: 'targets', type: 'string', choices: ['all'], value: 'all', configKey: 'targets', describe: 'compare on every known target' },
      { name: 'format', type: 'string', choices: ['text', 'json', 'markdown', 'html'], value: 'text|json|markdown|html', configKey: null, describe: 'text (compiler style, the default), json (its shape is in the README), markdown (a pull-request comment), html (both layouts side by side)' },
      { name: 'fail-on', type: 'string', choices: ['breaking', 'compatible', 'none'], value: 'breaking|compatible|none', configKey: null, describe: 'exit 1 when a change of this class or worse is found (default breaking; compatible: any change)' },
    ],
  },
  { name: 'targets', positional: '', describe: 'list the known target triples and their aliases', options: [] },
];

/** Options every command takes from yargs itself. */
export const BUILTIN_OPTIONS: readonly OptionSpec[] = [
  { name: 'help', alias: 'h', type: 'boolean', configKey: null, describe: 'show help' },
  { name: 'version', type: 'boolean', configKey: null, describe: 'show the version' },
];

export const camel = (s: string) => s.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
