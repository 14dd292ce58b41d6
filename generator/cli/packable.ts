// `structgen layout --packable`: for each record with holes, a member order without them (or with fewer), the bytes
// saved and the reordered C declaration. Candidate orders come from generator/render/packing.ts; every candidate is
// laid out again by structgen itself (the header included, the reordered declaration after it, through the same
// pipeline and options), and a suggestion is printed only when that layout is smaller than the original.

import type { PipelineOptions } from '../pipeline.js';
import { analyzeHeader } from '../pipeline.js';
import { hasErrors } from '../diagnostics.js';
import type { RecordFacts } from '../layout/facts.js';
import { LexCache, type PreprocessHost } from '../preprocess/preprocess.js';
import type { RecordItem } from '../render/model.js';
import { fmtBits, recordTitle } from '../render/model.js';
import { baselineOrder, modelSize, packableItems, reorderedDeclaration, searchOrder, tightItems, type PackItem } from '../render/packing.js';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';

export interface Advice {
  readonly record: RecordFacts;
  readonly holes: number;
  readonly holeBytes: number;
  /** null: reordering cannot help (reason) or no smaller order exists. */
  readonly suggestion: { readonly size: number; readonly declaration: string; readonly order: readonly string[] } | null;
  readonly reason: string | null;
  /** What the baseline order (alignment, size descending) measured, laid out by structgen; null when not tried. */
  readonly baselineSize: number | null;
}

let unitSeq = 0;

interface Candidate { readonly item: RecordItem; readonly items: readonly PackItem[]; readonly order: number[]; readonly kind: 'baseline' | 'search'; readonly tag: string }

/** Lays out candidate declarations: per header, one translation unit that includes it and declares every candidate
 * after it (fresh tags). Returns each candidate's size and members' alignments, or null when it did not lay out. */
function measure(cands: readonly Candidate[], opts: PipelineOptions, cache: LexCache, extra: Map<string, Map<string, number>>): Map<string, RecordFacts | null> {
  const out = new Map<string, RecordFacts | null>();
  const byHeader = new Map<string, Candidate[]>();
  for (const c of cands) {
    const h = c.item.program.header;
    const list = byHeader.get(h) ?? [];
    list.push(c);
    byHeader.set(h, list);
  }
  for (const [header, list] of byHeader) {
    const dir = path.dirname(path.resolve(header));
    const unit = path.join(dir, `.structgen-packable-${process.pid}-${unitSeq++}.h`);
    const text = `#include "${path.basename(header)}"\n` + list.map((c) => reorderedDeclaration(c.item.program, c.item.record, c.items, c.order, { tag: c.tag, memberAlign: extra.get(c.tag), recordAlign: recordAlignAttr(c) })).join('\n') + '\n';
    const host: PreprocessHost = {
      readFile: (p: string) => {
        if (path.resolve(p) === unit) return text;
        try { return readFileSync(p, 'utf8'); } catch { return null; }
      },
    } as PreprocessHost;
    const a = analyzeHeader(unit, { ...opts, host, cache });
    if (!a.facts || hasErrors(a.diagnostics)) {
      // one bad candidate must not sink the others: lay them out one by one
      if (list.length > 1) { for (const c of list) for (const [k, v] of measure([c], opts, cache, extra)) out.set(k, v); continue; }
      for (const c of list) out.set(c.tag, null);
      continue;
    }
    for (const c of list) out.set(c.tag, a.facts.records.find((r) => r && r.tag === c.tag) ?? null);
  }
  return out;
}

/** `aligned(N)` the reordered record needs to keep the original's alignment. */
function recordAlignAttr(c: Candidate): number | undefined {
  const natural = Math.max(1, ...c.items.map((i) => i.align));
  return c.item.record.align > natural ? c.item.record.align : undefined;
}

export function packingAdvice(items: readonly RecordItem[], opts: PipelineOptions, cache = new LexCache()): Advice[] {
  const advice: Advice[] = [];
  const cands: Candidate[] = [];
  const work: Array<{ item: RecordItem; items: readonly PackItem[]; holes: number; holeBytes: number; tags: string[] }> = [];
  let n = 0;
  for (const item of items) {
    const r = item.record;
    const holes = r.padding.filter((g) => g.kind === 'hole');
    if (!holes.length) continue;
    const holeBits = holes.reduce((s, g) => s + g.bitSize, 0);
    const pk = packableItems(item.program, r);
    if (!pk.ok) { advice.push({ record: r, holes: holes.length, holeBytes: holeBits / 8, suggestion: null, reason: pk.reason, baselineSize: null }); continue; }
    const orders: Array<{ kind: 'baseline' | 'search'; order: number[] }> = [{ kind: 'baseline', order: baselineOrder(pk.items) }];
    const s = searchOrder(pk.items, pk.align);
    if (s && modelSize(pk.items, s, pk.align) <= modelSize(pk.items, orders[0]!.order, pk.align)) orders.push({ kind: 'search', order: s });
    if (pk.items.some((i) => i.members[0]!.bitfield)) {
      const t = searchOrder(tightItems(pk.items), pk.align);
      if (t && !orders.some((o) => o.order.join() === t.join())) orders.push({ kind: 'search', order: t });
    }
    const tags: string[] = [];
    for (const o of orders) {
      const tag = `structgen_reordered_${n++}`;
      tags.push(tag);
      cands.push({ item, items: pk.items, order: o.order, kind: o.kind, tag });
    }
    work.push({ item, items: pk.items, holes: holes.length, holeBytes: holeBits / 8, tags });
  }
  // lay out; where a member lost alignment it had (an aligned attribute), give it back and lay out again
  const extra = new Map<string, Map<string, number>>();
  let laid = measure(cands, opts, cache, extra);
  const again: Candidate[] = [];
  for (const c of cands) {
    const got = laid.get(c.tag);
    if (!got) continue;
    const need = new Map<string, number>();
    c.item.record.slots.forEach((s) => {
      const mine = got.slots.find((x) => x.name === s.name);
      if (mine && !s.bitfield && mine.align < s.align) need.set(s.name!, s.align);
    });
    if (need.size) { extra.set(c.tag, need); again.push(c); }
  }
  if (again.length) for (const [k, v] of measure(again, opts, cache, extra)) laid.set(k, v);
  for (const w of work) {
    const r = w.item.record;
    let best: { c: Candidate; size: number } | null = null;
    let baselineSize: number | null = null;
    for (const tag of w.tags) {
      const c = cands.find((x) => x.tag === tag)!;
      const got = laid.get(tag);
      if (!got || got.align !== r.align || !sameMembers(r, got)) continue;
      if (c.kind === 'baseline') baselineSize = got.size;
      // ties go to the search's order (closest to the declaration order)
      if (!best || got.size < best.size || (got.size === best.size && c.kind === 'search')) best = { c, size: got.size };
    }
    if (!best || best.size >= r.size) {
      advice.push({ record: r, holes: w.holes, holeBytes: w.holeBytes, suggestion: null, baselineSize,
        reason: best ? `no order is smaller: the holes ${best.size === r.size ? 'only move' : 'cannot be filled'} (${r.size} bytes either way)` : 'no reordered declaration could be laid out' });
      continue;
    }
    const c = best.c;
    advice.push({
      record: r, holes: w.holes, holeBytes: w.holeBytes, reason: null, baselineSize,
      suggestion: {
        size: best.size, order: c.order.flatMap((k) => c.items[k]!.members.map((m) => m.name)),
        declaration: reorderedDeclaration(w.item.program, r, c.items, c.order, { memberAlign: extra.get(c.tag), recordAlign: recordAlignAttr(c) }),
      },
    });
  }
  // in the order the records were given
  const order = new Map(items.map((it, i) => [it.record, i]));
  return advice.sort((a, b) => order.get(a.record)! - order.get(b.record)!);
}

/** The reordered record holds the same members with the same sizes (a spelling that changed a type would not). */
function sameMembers(a: RecordFacts, b: RecordFacts): boolean {
  if (a.members.length !== b.members.length) return false;
  return a.members.every((m) => {
    const o = b.members.find((x) => x.name === m.name);
    return !!o && o.bitSize === m.bitSize && o.cType === m.cType;
  });
}

export function formatAdvice(advice: readonly Advice[], target: string): string {
  const out: string[] = [];
  const saved = advice.reduce((s, a) => s + (a.suggestion ? a.record.size - a.suggestion.size : 0), 0);
  const n = advice.filter((a) => a.suggestion).length;
  out.push(`/* structgen --packable for ${target}: ${advice.length} record${advice.length === 1 ? '' : 's'} with holes; ` +
    `${n} can be reordered smaller, saving ${saved} byte${saved === 1 ? '' : 's'} in all */`);
  for (const a of advice) {
    const r = a.record;
    const where = `${r.pos.file}:${r.pos.line}`;
    const holes = `${a.holes} hole${a.holes === 1 ? '' : 's'}, ${fmtBits(Math.round(a.holeBytes * 8))}`;
    out.push('');
    if (!a.suggestion) {
      out.push(`/* ${recordTitle(r)} (${where}): ${r.size} bytes, ${holes}: ${a.reason} */`);
      continue;
    }
    const s = a.suggestion;
    out.push(`/* ${recordTitle(r)} (${where}): ${r.size} -> ${s.size} bytes, saves ${r.size - s.size} (${holes}); laid out again by structgen */`);
    out.push(s.declaration);
  }
  return out.join('\n') + '\n';
}
