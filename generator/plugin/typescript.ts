// What the plugin and `generate --dts` need from the TypeScript compiler: generated modules are TypeScript, so a
// bundler gets them as JavaScript (type annotations removed) and editors get exact declarations (`X.h.d.ts`).
// TypeScript is an optional peer dependency: loaded on first use, so the CLI without `--dts` never needs it.

import { createRequire } from 'node:module';
import * as path from 'node:path';
import { RUNTIME_MODULE } from '../plan/plan.js';

type TS = typeof import('typescript');
let loaded: TS | null = null;

/** The TypeScript compiler of the project (resolved from the working folder first, then from structgen's own). */
export function typescript(from: string = process.cwd()): TS {
  if (loaded) return loaded;
  const tries = [path.join(path.resolve(from), 'noop.js'), import.meta.url];
  for (const t of tries) {
    try {
      loaded = createRequire(t)('typescript') as TS;
      return loaded;
    } catch { /* the next */ }
  }
  throw new Error("structgen: the bundler plugin and 'generate --dts' need the 'typescript' package (npm install -D typescript)");
}

const compilerOptions = (ts: TS) => ({
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, strict: true, noUncheckedIndexedAccess: true,
  declaration: true, emitDeclarationOnly: true, skipLibCheck: true, lib: ['lib.es2022.d.ts'], types: [],
  moduleResolution: ts.ModuleResolutionKind.Bundler,
});

/** A generated module (TypeScript) as JavaScript. */
export function toJavaScript(code: string, fileName: string): string {
  const ts = typescript();
  return ts.transpileModule(code, {
    fileName,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false, sourceMap: false },
  }).outputText;
}

/** Parsed library files, kept: parsing lib.es2022 costs more than checking a generated module. */
const libFiles = new Map<string, import('typescript').SourceFile>();

/** The runtime's declarations, made once: generated modules are checked against them, not its 50 KB of source. */
let runtimeDts: { source: string; dts: string } | null = null;

/**
 * Declarations of generated modules (`name` -> TypeScript source, importing `./structgen-runtime.js` and each
 * other as `generate` writes them) with the compiler's full checker: `ts.transpileDeclaration` alone would leave
 * `any` where a type is inferred. Returns `name` -> declaration text.
 */
export function declarations(modules: ReadonlyMap<string, string>, runtimeSource: string): Map<string, string> {
  if (runtimeDts?.source !== runtimeSource) {
    const rt = emitDeclarations(new Map([[RUNTIME_MODULE, runtimeSource]]), null);
    runtimeDts = { source: runtimeSource, dts: rt.get(RUNTIME_MODULE)! };
  }
  return emitDeclarations(modules, runtimeDts.dts);
}

function emitDeclarations(modules: ReadonlyMap<string, string>, runtimeDeclarations: string | null): Map<string, string> {
  const ts = typescript();
  const root = '/__structgen__/';
  const files = new Map<string, string>();
  if (runtimeDeclarations !== null) files.set(`${root}${RUNTIME_MODULE}.d.ts`, runtimeDeclarations);
  for (const [name, code] of modules) files.set(`${root}${name}.ts`, code);
  const opts = compilerOptions(ts);
  const libDir = path.dirname(ts.getDefaultLibFilePath(opts));
  const out = new Map<string, string>();
  const host: import('typescript').CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      const own = files.get(fileName);
      if (own !== undefined) return ts.createSourceFile(fileName, own, languageVersion, true);
      let sf = libFiles.get(fileName);
      if (!sf) {
        const text = ts.sys.readFile(fileName);
        if (text === undefined) return undefined;
        sf = ts.createSourceFile(fileName, text, languageVersion, true);
        libFiles.set(fileName, sf);
      }
      return sf;
    },
    getDefaultLibFileName: () => path.join(libDir, 'lib.es2022.d.ts'),
    getDefaultLibLocation: () => libDir,
    writeFile(fileName, text) {
      const base = fileName.slice(root.length).replace(/\.d\.ts$/, '');
      if (modules.has(base)) out.set(base, text);
    },
    getCurrentDirectory: () => root,
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (f) => files.has(f) || ts.sys.fileExists(f),
    readFile: (f) => files.get(f) ?? ts.sys.readFile(f),
    directoryExists: (d) => d === root.slice(0, -1) || d.startsWith(root) || ts.sys.directoryExists(d),
    getDirectories: () => [],
  };
  const roots = [...modules.keys()].map((n) => `${root}${n}.ts`);
  const program = ts.createProgram(roots, opts, host);
  const r = program.emit(undefined, undefined, undefined, true);
  const problems = [...r.diagnostics, ...roots.flatMap((f) => {
    const sf = program.getSourceFile(f)!;
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
  })].filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (problems.length) {
    // a generated module that does not type-check is structgen's bug: say so rather than write wrong types
    const first = problems[0]!;
    throw new Error(`structgen: generated declarations do not type-check: ${ts.flattenDiagnosticMessageText(first.messageText, '\n')}`);
  }
  return out;
}
