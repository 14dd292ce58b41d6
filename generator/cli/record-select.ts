// `--record NAME` of `layout`, `decode` and `dump` (repeatable; `/regex/flags` allowed): which records a command
// reads or shows, by C name (the tag, or the typedef naming an untagged record), wherever the headers or the files
// they include define them. Every pattern must match a record; a name that matches none is a usage error that
// suggests the nearest name.

import { nearestWord } from '../config/suggest.js';
import type { ProgramFacts, RecordFacts } from '../layout/facts.js';
import { selector } from '../plan/plan.js';
import type { RecordItem } from '../render/model.js';
import { UsageError } from './args.js';

/** The `--record` values as given: one string or several. */
export function recordPatterns(v: string | readonly string[] | undefined): string[] {
  return v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
}

/** A `/regex/flags` pattern's regular expression, or a usage error saying why it is not one. */
function checkRegex(p: string): void {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(p);
  if (!m) return;
  try { new RegExp(m[1]!, m[2]!); } catch (e) {
    throw new UsageError(`--record ${p}: not a regular expression (${(e as Error).message})`);
  }
}

/** The test of a name against the patterns; a usage error for a pattern that is not a valid regular expression. */
export function recordMatcher(patterns: readonly string[]): (name: string) => boolean {
  patterns.forEach(checkRegex);
  return selector(patterns)!;
}

/** Named records of the analyses, each once (a header included by several is read once per analysis). */
export function namedRecords(programs: readonly ProgramFacts[]): Array<{ program: ProgramFacts; record: RecordFacts }> {
  const seen = new Set<string>();
  const out: Array<{ program: ProgramFacts; record: RecordFacts }> = [];
  for (const p of programs) {
    for (const r of p.records) {
      if (!r || !r.name || r.file.startsWith('<structgen>') || seen.has(r.key)) continue;
      seen.add(r.key);
      out.push({ program: p, record: r });
    }
  }
  return out;
}

/** Every pattern must match a record of `found` (by C name): else a usage error naming the headers and a near name,
 * or the records the headers themselves define. */
export function requireMatches(patterns: readonly string[], found: ReturnType<typeof namedRecords>, where: string): void {
  const names = [...new Set(found.map((x) => x.record.name!))];
  const own = [...new Set(found.filter((x) => x.record.file === x.program.header).map((x) => x.record.name!))];
  for (const p of patterns) {
    const test = selector([p])!;
    if (names.some(test)) continue;
    const regex = /^\/.*\/[a-z]*$/s.test(p);
    const near = regex ? null : nearestWord(p, names);
    const list = own.length ? `; records: ${own.slice(0, 40).join(', ')}${own.length > 40 ? ', ...' : ''}` : '; they define no record';
    throw new UsageError(regex ? `no record in ${where} matches ${p}${list}` : `no record '${p}' in ${where}${near ? ` (did you mean '${near}'?)` : list}`);
  }
}

/** `layout --record`: the records the patterns name, wherever defined, in the order the headers reach them. */
export function pickLayoutItems(programs: readonly ProgramFacts[], patterns: readonly string[], where: string): RecordItem[] {
  const all = namedRecords(programs);
  const match = recordMatcher(patterns);
  requireMatches(patterns, all, where);
  return all.filter((x) => match(x.record.name!));
}
