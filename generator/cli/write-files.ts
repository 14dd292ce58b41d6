// Writes generated files all or nothing: every file goes to a temporary name first and is renamed into place
// only when all were written; files whose contents did not change are left untouched.

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EmittedFile } from '../emit/emit.js';

export interface WriteReport {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
}

export function writeFilesAtomically(outDir: string, files: readonly EmittedFile[]): WriteReport {
  mkdirSync(outDir, { recursive: true });
  const changed: Array<{ final: string; temp: string }> = [];
  const unchanged: string[] = [];
  try {
    for (const f of files) {
      const final = path.join(outDir, f.path);
      let old: string | null = null;
      try { old = readFileSync(final, 'utf8'); } catch { /* new file */ }
      if (old === f.contents) { unchanged.push(final); continue; }
      const temp = path.join(path.dirname(final), `.${path.basename(f.path)}.${process.pid}.tmp`);
      mkdirSync(path.dirname(final), { recursive: true });
      writeFileSync(temp, f.contents);
      changed.push({ final, temp });
    }
    for (const c of changed) renameSync(c.temp, c.final);
  } catch (e) {
    for (const c of changed) rmSync(c.temp, { force: true });
    throw e;
  }
  return { written: changed.map((c) => c.final), unchanged };
}
