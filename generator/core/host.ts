// What the core reads through: the Node host (`generator/node/`) fills it from the file system, the browser entry
// from an in-memory file map. Nothing under preprocess/, parse/, resolve/, layout/, plan/ or emit/ imports `node:`.

/** Read access to header files. Paths are POSIX-style strings, as the caller spelled them. */
export interface FileHost {
  /** The text of a regular file, or null when it cannot be read (missing, a directory, no permission). */
  readFile(path: string): string | null;
  /** Why `path` cannot be read, in the operating system's words (`no such file or directory`, `is a directory`),
   * for diagnostics; null or absent when the host cannot say. */
  whyUnreadable?(path: string): string | null;
  /** Whether `path` is an existing directory (to reject `-I missing/` up front); absent: not checked. */
  isDirectory?(path: string): boolean;
}

/** A host over an in-memory map of file paths to contents (the browser entry, tests). */
export function memoryHost(files: ReadonlyMap<string, string> | { readonly [path: string]: string }): FileHost {
  const m = files instanceof Map ? files : new Map(Object.entries(files));
  const dirs = new Set<string>();
  for (const f of m.keys()) {
    for (let i = f.lastIndexOf('/'); i > 0; i = f.lastIndexOf('/', i - 1)) dirs.add(f.slice(0, i));
  }
  return {
    readFile: (p) => m.get(p) ?? null,
    whyUnreadable: (p) => (m.has(p) ? null : dirs.has(p) ? 'is a directory' : 'no such file or directory'),
    isDirectory: (p) => dirs.has(p) || p === '.' || p === '/',
  };
}

/** The output folder as `check` reads it (generated files compared, files no longer generated found). */
export interface OutputHost {
  /** Contents of a file under the output directory, or null when it does not exist. */
  readFile(relPath: string): string | null;
  /** Every file under the output directory (relative paths), to find generated files no longer produced. */
  listFiles(): readonly string[];
}
