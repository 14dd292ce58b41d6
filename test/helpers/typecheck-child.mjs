// Type-checks files in a child process for test/helpers/generated.ts `typecheck` (a large program takes tsc tens of
// seconds: in the test's own process that would block vitest's worker, whose RPC then times out on a loaded
// machine). argv[2]: JSON { roots, options }; prints the diagnostics as a JSON array of strings.
import * as path from 'node:path';
import ts from 'typescript';

const { roots, options } = JSON.parse(process.argv[2]);
const program = ts.createProgram(roots, options);
const out = ts.getPreEmitDiagnostics(program).map((d) => {
  const where = d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
  return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
});
process.stdout.write(JSON.stringify(out));
