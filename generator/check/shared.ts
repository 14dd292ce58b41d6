// Shared modules named by their content (`included-<hash>.ts` and its layout asserts `included-<hash>.asserts.ts`,
// emit/): separate `generate` runs into one folder each write their own, so none overwrites another's; but when a
// project's included records change, the module of the old content stays behind. It is garbage once no module in
// the folder refers to it any more: `generate` removes those (and only those, without `--clean`), so `check` never
// finds one stale after a `generate`.

import type { OutputHost } from '../core/host.js';
import { INCLUDED_MODULE } from '../plan/plan.js';
import { GENERATED_MARK } from './generated-mark.js';

const CONTENT_NAMED = new RegExp(`(?:^|/)(${INCLUDED_MODULE}-[0-9a-f]+)\\.(?:ts|js|d\\.ts|asserts\\.ts)$`);

/** The module name a content-named shared module's file has (`included-1a2b3c4d`), or null for other files. */
export function contentNamed(relPath: string): string | null {
  return CONTENT_NAMED.exec(relPath)?.[1] ?? null;
}

/**
 * The files in the output folder that are content-named shared modules structgen wrote, not among `files` (what is
 * being written now), and named by no other file there that stays: neither those nor the files of earlier runs of
 * other headers (nor a file of the user's). A module refers to one by its name, which holds its hash, so the name in a
 * file's text is a reference; it is looked for in the files of the module's own folder (each target has one).
 */
export function unreferencedShared(files: readonly { readonly path: string; readonly contents: string }[], out: OutputHost): Set<string> {
  const folderOf = (rel: string) => rel.slice(0, rel.lastIndexOf('/') + 1);
  const texts = new Map<string, string[]>();
  const refer = (rel: string, text: string) => {
    const f = folderOf(rel);
    (texts.get(f) ?? texts.set(f, []).get(f)!).push(text);
  };
  const produced = new Set<string>();
  for (const f of files) { produced.add(f.path); refer(f.path, f.contents); }
  const candidates: Array<{ readonly rel: string; readonly name: string }> = [];
  for (const rel of out.listFiles()) {
    if (produced.has(rel)) continue;
    const text = out.readFile(rel);
    if (text === null) continue;
    const name = contentNamed(rel);
    if (name && GENERATED_MARK.test(text)) candidates.push({ rel, name });
    else refer(rel, text);
  }
  return new Set(candidates.filter((c) => !(texts.get(folderOf(c.rel)) ?? []).some((t) => t.includes(c.name))).map((c) => c.rel));
}
