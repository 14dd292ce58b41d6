// The file system as the core reads it (FileHost of core/host.ts), with the operating system's reason when a path
// cannot be read, and the output folder as `check` reads it. Only the CLI and the config API use this.

import { accessSync, constants, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { FileHost, OutputHost } from '../core/host.js';

/** `no such file or directory` for ENOENT and the like: the OS's words, lower case, from a Node error. */
export function osReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EISDIR') return 'is a directory';
  const m = /^[A-Z0-9_]+: ([^,]+)/.exec(err?.message ?? '');
  return (m ? m[1]! : err?.code ?? String(e)).toLowerCase();
}

/** Why `file` cannot be read as a regular file, or null when it can. */
export function unreadable(file: string): string | null {
  try {
    const st = statSync(file);
    if (st.isDirectory()) return 'is a directory';
    if (!st.isFile()) return 'not a regular file';
    accessSync(file, constants.R_OK);
    return null;
  } catch (e) {
    return osReason(e);
  }
}

/** Why `dir` cannot be used as a directory, or null when it can. */
export function notADirectory(dir: string): string | null {
  try {
    return statSync(dir).isDirectory() ? null : 'not a directory';
  } catch (e) {
    return osReason(e);
  }
}

export const nodeFileHost: Required<FileHost> = {
  readFile(file) {
    try {
      return statSync(file).isFile() ? readFileSync(file, 'utf8') : null;
    } catch {
      return null;
    }
  },
  whyUnreadable: unreadable,
  isDirectory: (dir) => notADirectory(dir) === null,
};

/** The output folder as `check` reads it: every file below it, and their contents. Symbolic links below it are not
 * followed (nor listed), as `generate --clean` does not: they may loop, or lead to another project's files. */
export function diskOutput(dir: string): OutputHost {
  const walk = (d: string, rel: string): string[] => {
    let names: string[];
    try { names = readdirSync(d); } catch { return []; }
    return names.sort().flatMap((n) => {
      const full = path.join(d, n);
      let st;
      try { st = lstatSync(full); } catch { return []; }
      return st.isDirectory() ? walk(full, `${rel}${n}/`) : st.isFile() ? [`${rel}${n}`] : [];
    });
  };
  return {
    readFile: (rel) => { try { return readFileSync(path.join(dir, rel), 'utf8'); } catch { return null; } },
    listFiles: () => walk(dir, ''),
  };
}
