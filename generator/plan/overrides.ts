// Field overrides, counted flexible arrays and tagged unions, as the config (`"fields"`, `"unions"`, `"endian"`) and
// the programmatic API give them: keys are `RECORD.PATH` (the C access path of `layout --json`, anonymous members
// promoted). This module finds what each key names in the layout facts, or says what does not exist and which
// existing name is nearest; whether a representation fits its member is decided where members are planned.

import { closest, distance } from 'fastest-levenshtein';
import { diag, type Diagnostic } from '../diagnostics.js';
import type { EnumFacts, MemberFacts, ProgramFacts, RecordFacts } from '../layout/facts.js';

/** How one member is represented (CONTRACTS.md "Field overrides, counted tails, tagged unions"). */
export interface FieldOverride {
  /** `string`: an 8-bit array as text; `bytes`: a `char[N]` as bytes; `bool`: an integer as a boolean; `number`: a
   * 64-bit integer as a number (decode throws beyond 2^53). */
  readonly as?: 'string' | 'bytes' | 'bool' | 'number';
  /** Of a string: `utf-8` (default) or `latin1`. */
  readonly encoding?: 'utf-8' | 'latin1';
  /** An integer member typed with a C enum of the headers (its tag or typedef name); strict decode validates it. */
  readonly enum?: string;
  readonly endian?: 'big' | 'little';
  /** A flexible array member's element count: a member of the same record. */
  readonly countedBy?: string;
}

/** A union member decoded as the one member its tag selects. */
export interface UnionOverride {
  /** `RECORD.PATH` of an integer member beside the union member. */
  readonly tag: string;
  /** Tag value -> the union's member. Keys: an enumerator, a `#define` name or an integer. */
  readonly cases: Readonly<{ [tagValue: string]: string }>;
}

export interface OverrideOptions {
  readonly fields?: Readonly<{ [recordDotPath: string]: FieldOverride }>;
  readonly unions?: Readonly<{ [recordDotPath: string]: UnionOverride }>;
  /** The older spelling of `fields[key].endian` (`--endian RECORD.FIELD=big`). */
  readonly endian?: Readonly<{ [recordDotPath: string]: 'big' | 'little' }>;
}

export interface FieldRule extends FieldOverride {
  /** The key as written, for messages. */
  readonly key: string;
}

export interface UnionRule {
  readonly key: string;
  /** The tag member, beside the union member in the same record. */
  readonly tag: string;
  readonly cases: ReadonlyArray<{ readonly value: bigint; readonly label: string; readonly member: string }>;
}

/** The overrides of a project, by the record (its key) that holds the member, then the member's name. */
export interface ResolvedOverrides {
  readonly fields: ReadonlyMap<string, ReadonlyMap<string, FieldRule>>;
  readonly unions: ReadonlyMap<string, ReadonlyMap<string, UnionRule>>;
  /** Enums that overrides name: their modules must export them. */
  readonly enums: ReadonlyArray<{ readonly p: ProgramFacts; readonly e: EnumFacts }>;
  readonly diagnostics: readonly Diagnostic[];
}

interface Hit { readonly p: ProgramFacts; readonly holder: RecordFacts; readonly member: MemberFacts }

/** The nearest of `names` to `name`, when it is near enough to be a likely typo. */
export function nearest(name: string, names: Iterable<string>): string | null {
  const list = [...new Set(names)];
  if (!list.length) return null;
  const best = closest(name, list);
  const d = distance(name.toLowerCase(), best.toLowerCase());
  return d <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

const didYouMean = (s: string | null) => (s ? `; did you mean '${s}'?` : '');

/** Every member path of a record as `layout --json` lists them (`a`, `a.b`, ...). */
function memberPaths(p: ProgramFacts, r: RecordFacts, prefix: string, out: string[], depth = 0): string[] {
  for (const m of r.members) {
    const path = prefix ? `${prefix}.${m.name}` : m.name;
    out.push(path);
    const inner = m.type.k === 'record' ? p.records[m.type.id] : null;
    if (inner && depth < 8) memberPaths(p, inner, path, out, depth + 1);
  }
  return out;
}

class Resolver {
  readonly diagnostics: Diagnostic[] = [];
  private readonly byName = new Map<string, Array<{ p: ProgramFacts; r: RecordFacts }>>();

  constructor(private readonly programs: readonly ProgramFacts[]) {
    const seen = new Set<string>();
    for (const p of programs) {
      for (const r of p.records) {
        if (!r || !r.name || seen.has(r.key)) continue;
        seen.add(r.key);
        let list = this.byName.get(r.name);
        if (!list) { list = []; this.byName.set(r.name, list); }
        list.push({ p, r });
      }
    }
  }

  error(message: string, pos: MemberFacts['pos'] | null = null) {
    this.diagnostics.push(diag('error', pos, 'override', message));
  }

  /** What `RECORD.PATH` names, in each record of that name; null (with an error) when nothing. */
  resolve(key: string, what: string): Hit[] | null {
    const parts = key.split('.');
    if (parts.length < 2 || parts.some((x) => x === '')) {
      this.error(`${what} '${key}': expected RECORD.PATH (a record's name, then a member's C access path, as in layout --json)`);
      return null;
    }
    const [head, ...rest] = parts as [string, ...string[]];
    const recs = this.byName.get(head);
    if (!recs) {
      this.error(`${what} '${key}': no record named '${head}' in the headers${didYouMean(nearest(head, this.byName.keys()))}`);
      return null;
    }
    const hits: Hit[] = [];
    for (const { p, r } of recs) {
      let holder: RecordFacts = r;
      let member: MemberFacts | undefined;
      for (let i = 0; i < rest.length; i++) {
        member = holder.members.find((m) => m.name === rest[i]);
        if (!member) {
          const near = nearest(rest.join('.'), memberPaths(p, r, '', []));
          this.error(`${what} '${key}': ${r.cName} has no member '${rest.slice(0, i + 1).join('.')}'${didYouMean(near ? `${head}.${near}` : null)}`, r.pos);
          return null;
        }
        if (i < rest.length - 1) {
          const inner = member.type.k === 'record' ? p.records[member.type.id] : null;
          if (!inner) {
            this.error(`${what} '${key}': member '${rest.slice(0, i + 1).join('.')}' of ${r.cName} is not a struct or union (its type is ${member.cType})`, member.pos);
            return null;
          }
          holder = inner;
        }
      }
      hits.push({ p, holder, member: member! });
    }
    return hits;
  }

  findEnum(name: string, key: string): Array<{ p: ProgramFacts; e: EnumFacts }> | null {
    const out: Array<{ p: ProgramFacts; e: EnumFacts }> = [];
    const seen = new Set<string>();
    const all: string[] = [];
    for (const p of this.programs) {
      for (const e of p.enums) {
        if (!e) continue;
        if (e.name) all.push(e.name);
        if (e.tag) all.push(e.tag);
        if ((e.name === name || e.tag === name) && !seen.has(e.key)) { seen.add(e.key); out.push({ p, e }); }
      }
    }
    if (!out.length) {
      this.error(`field '${key}': no enum named '${name}' in the headers${didYouMean(nearest(name, all))}`);
      return null;
    }
    return out;
  }

  /** A case key's value: an integer literal, an enumerator or an integer `#define`. */
  caseValue(p: ProgramFacts, k: string, key: string): bigint | null {
    const t = k.trim();
    if (/^[-+]?(0x[0-9a-f]+|0b[01]+|0o?[0-7]+|\d+)$/i.test(t)) {
      const neg = t.startsWith('-');
      const body = t.replace(/^[-+]/, '');
      const v = BigInt(/^0[0-7]+$/.test(body) ? `0o${body.slice(1)}` : body);
      return neg ? -v : v;
    }
    const names: string[] = [];
    for (const e of p.enums) {
      if (!e) continue;
      for (const v of e.values) {
        if (v.name === t) return BigInt(v.value);
        names.push(v.name);
      }
    }
    for (const c of p.constants) {
      if (c.name === t && c.value.k === 'int') return BigInt(c.value.value);
      if (c.value.k === 'int') names.push(c.name);
    }
    this.error(`union '${key}': case '${k}' is not an integer, an enumerator or an integer #define of the headers${didYouMean(nearest(t, names))}`);
    return null;
  }
}

/** Finds what every override names; unknown records, members, enums and case values are errors naming the nearest
 * existing name. */
export function resolveOverrides(programs: readonly ProgramFacts[], opts: OverrideOptions): ResolvedOverrides {
  const R = new Resolver(programs);
  const fields = new Map<string, Map<string, FieldRule>>();
  const unions = new Map<string, Map<string, UnionRule>>();
  const enums: Array<{ p: ProgramFacts; e: EnumFacts }> = [];
  const put = <T>(m: Map<string, Map<string, T>>, rec: string, member: string, v: T) => {
    let inner = m.get(rec);
    if (!inner) { inner = new Map(); m.set(rec, inner); }
    inner.set(member, v);
  };

  const all = new Map<string, FieldOverride>();
  for (const [k, v] of Object.entries(opts.endian ?? {})) all.set(k, { endian: v });
  for (const [k, v] of Object.entries(opts.fields ?? {})) all.set(k, { ...all.get(k), ...v });
  for (const [key, o] of all) {
    const hits = R.resolve(key, 'field');
    if (!hits) continue;
    if (o.enum !== undefined) {
      const es = R.findEnum(o.enum, key);
      if (!es) continue;
      enums.push(...es);
    }
    for (const h of hits) put(fields, h.holder.key, h.member.name, { ...o, key });
  }

  for (const [key, u] of Object.entries(opts.unions ?? {})) {
    const hits = R.resolve(key, 'union');
    if (!hits) continue;
    const tags = R.resolve(u.tag, `union '${key}': tag`);
    if (!tags) continue;
    for (const h of hits) {
      const inner = h.member.type.k === 'record' ? h.p.records[h.member.type.id] : null;
      if (!inner || inner.kind !== 'union') {
        R.error(`union '${key}': member '${h.member.name}' of ${h.holder.cName} is not a union (its type is ${h.member.cType})`, h.member.pos);
        continue;
      }
      const tag = tags.find((t) => t.holder.key === h.holder.key);
      if (!tag) {
        R.error(`union '${key}': its tag '${u.tag}' must be a member beside it, in ${h.holder.cName}${didYouMean(nearest(u.tag, h.holder.members.map((m) => `${key.slice(0, key.lastIndexOf('.'))}.${m.name}`)))}`, h.member.pos);
        continue;
      }
      const t = tag.member.type;
      if (tag.member.overlaid || !(t.k === 'int' || t.k === 'enum' || t.k === 'bool')) {
        R.error(`union '${key}': its tag '${u.tag}' must be an integer or enum member outside any union (it is ${tag.member.cType})`, tag.member.pos);
        continue;
      }
      const cases: Array<{ value: bigint; label: string; member: string }> = [];
      let ok = true;
      for (const [ck, member] of Object.entries(u.cases)) {
        const value = R.caseValue(h.p, ck, key);
        if (value === null) { ok = false; continue; }
        if (!inner.members.some((m) => m.name === member)) {
          R.error(`union '${key}': case '${ck}' names '${member}', which is not a member of ${inner.cName}${didYouMean(nearest(member, inner.members.map((m) => m.name)))}`, inner.pos);
          ok = false;
          continue;
        }
        if (cases.some((c) => c.value === value)) {
          R.error(`union '${key}': case '${ck}' repeats the tag value ${value}`);
          ok = false;
          continue;
        }
        cases.push({ value, label: ck, member });
      }
      if (!cases.length && ok) { R.error(`union '${key}': no cases`); ok = false; }
      cases.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
      if (ok) put(unions, h.holder.key, h.member.name, { key, tag: tag.member.name, cases });
    }
  }
  return { fields, unions, enums, diagnostics: R.diagnostics };
}
