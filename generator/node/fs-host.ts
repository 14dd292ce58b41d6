// The file system as a `FileHost`: what the Node entry points (CLI, API) read headers through.

import { readFileSync, statSync } from 'node:fs';
import type { FileHost } from '../core/host.js';

const REASONS: { readonly [code: string]: string } = {
  ENOENT: 'no such file or directory', ENOTDIR: 'not a directory', EACCES: 'permission denied',
  EISDIR: 'is a directory', ELOOP: 'too many levels of symbolic links', ENAMETOOLONG: 'file name too long',
};

function reason(e: unknown): string {
  const code = (e as { code?: string }).code;
  return (code && REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
}

export const nodeFileHost: FileHost = {
  readFile(file: string): string | null {
    try {
      if (!statSync(file).isFile()) return null;
      return readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  },
  whyUnreadable(file: string): string | null {
    try {
      if (statSync(file).isDirectory()) return 'is a directory';
      readFileSync(file);
      return null;
    } catch (e) {
      return reason(e);
    }
  },
  isDirectory(file: string): boolean {
    try {
      return statSync(file).isDirectory();
    } catch {
      return false;
    }
  },
};
