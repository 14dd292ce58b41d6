// What shapes.c prints, read back: `PATH KIND:VALUE` lines (see shapes.c) as a map from path to value. No Node
// built-ins: the browser test bundles this file into its page.

/** One printed value: an integer, a float (exact), a string's bytes, or an address. */
export type Printed =
  | { readonly k: 'i'; readonly v: bigint }
  | { readonly k: 'f'; readonly v: number }
  | { readonly k: 's'; readonly v: Uint8Array }
  | { readonly k: 'p'; readonly v: bigint };

/** shapes.c's output as path -> value, in order; a malformed line throws. */
export function parseOutput(text: string): Map<string, Printed> {
  const out = new Map<string, Printed>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = /^(\S+) ([ifsp]):(\S*)$/.exec(line);
    if (!m) throw new Error(`shapes.c printed a line the test cannot read: ${JSON.stringify(line)}`);
    const [, key, kind, v] = m as unknown as [string, string, 'i' | 'f' | 's' | 'p', string];
    out.set(key, kind === 'i' ? { k: 'i', v: BigInt(v) } : kind === 'p' ? { k: 'p', v: BigInt(v) }
      : kind === 'f' ? { k: 'f', v: hexFloat(v) } : { k: 's', v: Uint8Array.from(v.match(/../g) ?? [], (h) => parseInt(h, 16)) });
  }
  return out;
}

/** C's `%a` form as shapes.c prints it: `[-]0x1.<13 hex digits>p<exp>` or `[-]0x0p+0`. */
export function hexFloat(s: string): number {
  const m = /^(-?)0x([01])\.?([0-9a-f]*)p([+-]?\d+)$/.exec(s);
  if (!m) throw new Error(`not a %a float: ${s}`);
  const [, sign, lead, frac, exp] = m as unknown as [string, string, string, string, string];
  let mant = Number(lead);
  for (let i = 0; i < frac.length; i++) mant += parseInt(frac[i]!, 16) / 16 ** (i + 1);
  const v = mant * 2 ** Number(exp);
  return sign ? -v : v;
}
