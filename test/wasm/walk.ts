// Walks the structures shapes.c built through structgen's memory views and lists every value under the path shapes.c
// prints it at (`list[3].label`, `tree.left.right.key`, ...), and compares such a listing with what C printed. No Node
// built-ins: the browser test bundles this file into its page.

import type { Printed } from './printed.js';

/** A memory view as the walk uses it: members by name, `$address`. */
export interface AnyView {
  readonly $address: number | bigint;
  readonly [member: string]: unknown;
}

interface ArrayLikeView<T> {
  readonly length: number;
  get(i: number): T;
}

/** What a walk reads, by the paths shapes.c prints. */
export type Walked = Map<string, number | bigint | string | null>;

const address = (v: unknown): number | bigint => (v === null ? 0 : (v as AnyView).$address);

/** Every value shapes.c's `dump` prints, read through views from `roots` (a view of `struct roots`). */
export function walkShapes(roots: AnyView): Walked {
  const out: Walked = new Map();
  out.set('roots', roots.$address);
  list(out, 'list', roots.list as AnyView | null, Infinity);
  out.set('list_length', roots.list_length as number);
  tree(out, 'tree', roots.tree as AnyView | null);
  out.set('tree_size', roots.tree_size as number);
  const inv = roots.inventory as AnyView;
  out.set('inventory.count', inv.count as number);
  const items = inv.items as ArrayLikeView<AnyView>;
  for (let i = 0; i < items.length; i++) {
    const it = items.get(i);
    const p = `inventory.items[${i}]`;
    out.set(`${p}.id`, it.id as number);
    out.set(`${p}.shade`, it.shade as number);
    out.set(`${p}.stamp`, it.stamp as bigint);
    out.set(`${p}.score`, it.score as number);
    out.set(`${p}.tag`, it.tag as string);
    out.set(`${p}.note`, it.note as string | null);
  }
  out.set('inventory.nscores', inv.nscores as number);
  const scores = inv.scores as ArrayLikeView<number>;
  for (let i = 0; i < scores.length; i++) out.set(`inventory.scores[${i}]`, scores.get(i));
  out.set('inventory.title', inv.title as string);
  out.set('name_count', roots.name_count as number);
  const names = roots.names as ArrayLikeView<string>;
  for (let i = 0; i < names.length; i++) out.set(`names[${i}]`, names.get(i));
  out.set('opaque', roots.opaque as number | bigint);
  out.set('visit', roots.visit as number | bigint);
  out.set('either.as_address', (roots.either as AnyView).as_address as number | bigint);
  list(out, 'ring', roots.ring as AnyView | null, 4);
  list(out, 'grown', roots.grown as AnyView | null, Infinity);
  out.set('empty', address(roots.empty));
  return out;
}

function list(out: Walked, name: string, head: AnyView | null, limit: number): void {
  let i = 0;
  for (let n = head; n !== null && i < limit; n = n.next as AnyView | null, i++) {
    out.set(`${name}[${i}]`, n.$address);
    out.set(`${name}[${i}].value`, n.value as number);
    out.set(`${name}[${i}].weight`, n.weight as number);
    out.set(`${name}[${i}].label`, n.label as string | null);
    out.set(`${name}[${i}].next`, address(n.next));
  }
}

/** The tree in the order shapes.c prints it (node, then its left subtree, then its right), with an explicit stack. */
function tree(out: Walked, root: string, t: AnyView | null): void {
  const stack: Array<[AnyView | null, string]> = [[t, root]];
  while (stack.length > 0) {
    const [n, p] = stack.pop()!;
    if (n === null) continue;
    out.set(p, n.$address);
    out.set(`${p}.key`, n.key as number);
    out.set(`${p}.depth`, n.depth as number);
    out.set(`${p}.name`, n.name as string | null);
    out.set(`${p}.parent`, address(n.parent));
    out.set(`${p}.left`, address(n.left));
    out.set(`${p}.right`, address(n.right));
    stack.push([n.right as AnyView | null, `${p}.right`], [n.left as AnyView | null, `${p}.left`]);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The differences between a walk and what C printed, as lines (empty: they agree on every path, both ways). An
 * integer compares with a number or bigint of the same value; a float with the same number (a C float printed as a
 * double is the float's exact value); a string's bytes with the UTF-8 of the text; an address with `$address` (0 for
 * null); a NULL string (`p:0`) with null. */
export function differences(walked: Walked, printed: ReadonlyMap<string, Printed>): string[] {
  const out: string[] = [];
  for (const [k, want] of printed) {
    if (!walked.has(k)) { out.push(`${k}: printed by C, not read through the views`); continue; }
    const got = walked.get(k)!;
    let same: boolean;
    switch (want.k) {
      case 'i': case 'p':
        same = (typeof got === 'number' || typeof got === 'bigint') && BigInt(got) === want.v || (got === null && want.v === 0n);
        break;
      case 'f': same = typeof got === 'number' && Object.is(got, want.v); break;
      case 's': same = typeof got === 'string' && got === utf8.decode(want.v); break;
    }
    if (!same) out.push(`${k}: views read ${show(got)}, C printed ${want.k}:${show(want.v)}`);
  }
  for (const k of walked.keys()) if (!printed.has(k)) out.push(`${k}: read through the views, not printed by C`);
  return out;
}

function show(v: unknown): string {
  return typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? JSON.stringify(utf8.decode(v)) : JSON.stringify(v);
}
