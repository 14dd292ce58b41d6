// The templates, ready to render: handlebars' runtime over the specs `templates/compile.mjs` precompiled (no
// template compiler and no `new Function` at run time, in Node or a browser). Helpers: `{{node x}}` prints a code
// node with the partial its kind names (`code/<k>`), `{{arg x}}` prints an operand (code or text), `{{cast T}}`
// prints ` as T` when printing TypeScript (`@ts`), `{{#eq a b}}`
// compares.

import handlebarsRuntime from 'handlebars/runtime.js';
import type HandlebarsApi from 'handlebars';
import { DECLARATIONS_TEMPLATE, MODULE_TEMPLATE, PARTIALS, RUNTIME_DTS, RUNTIME_JS, RUNTIME_SOURCE } from './assets.generated.js';

type Render = (context: unknown, options?: { data?: { ts: boolean } }) => string;

export interface Templates {
  /** A module as TypeScript (`data.ts`) or JavaScript. */
  readonly module: Render;
  /** A module's declarations. */
  readonly declarations: Render;
  readonly runtimeSource: string;
  readonly runtimeJs: string;
  readonly runtimeDts: string;
}

// the runtime build of handlebars has the full API's types less the compiler
const Handlebars = handlebarsRuntime as unknown as typeof HandlebarsApi;

let ready: Templates | null = null;

interface HelperOptions { readonly data: { readonly ts?: boolean }; fn(context: unknown): string; inverse(context: unknown): string }

/** Text this long or longer is made flat (one string, not a tree of concatenations) as it is made. */
const FLAT_AT = 1024;

/** The same text, flat: V8 flattens a concatenation in place when a character of it is read, and the pieces are
 * then garbage. */
function flat(s: string): string {
  if (s.length >= FLAT_AT) s.charCodeAt(0);
  return s;
}

export function templates(): Templates {
  if (ready) return ready;
  const hb = Handlebars.create();
  const nodes = new Map<string, (context: unknown, options: { data: unknown }) => string>();
  for (const [name, spec] of Object.entries(PARTIALS as { [name: string]: TemplateSpecification })) {
    const t = hb.template(spec);
    hb.registerPartial(name, t);
    nodes.set(name, t);
  }
  const node = (n: { k?: unknown } | undefined, options: HelperOptions): string => {
    const t = typeof n?.k === 'string' ? nodes.get(`code/${n.k}`) : undefined;
    if (!t) throw new Error(`structgen: no template for code node ${JSON.stringify(n?.k)}`);
    return t(n, { data: options.data });
  };
  hb.registerHelper('node', node);
  hb.registerHelper('arg', (x: unknown, options: HelperOptions) => (typeof x === 'string' ? x : node(x as { k?: unknown }, options)));
  hb.registerHelper('cast', (t: unknown, options: HelperOptions) => (options.data.ts && typeof t === 'string' && t ? ` as ${t}` : ''));
  // `each` as handlebars has it, but the text of an iteration is made flat when it is long: a rendered record is
  // otherwise a rope of thousands of small strings, about ten times its length in memory, and a module of 100,000
  // records holds 100,000 of them until it is written
  const each = hb.helpers.each as (this: unknown, context: unknown, options: HelperOptions) => string;
  hb.registerHelper('each', function (this: unknown, context: unknown, options: HelperOptions) {
    const fn = options.fn;
    return each.call(this, context, { ...options, fn: (c: unknown, o?: unknown) => flat((fn as (c: unknown, o?: unknown) => string)(c, o)) });
  });
  hb.registerHelper('eq', function (this: unknown, a: unknown, b: unknown, options: HelperOptions) { return a === b ? options.fn(this) : options.inverse(this); });
  ready = {
    module: hb.template(MODULE_TEMPLATE as TemplateSpecification) as Render,
    declarations: hb.template(DECLARATIONS_TEMPLATE as TemplateSpecification) as Render,
    runtimeSource: RUNTIME_SOURCE, runtimeJs: RUNTIME_JS, runtimeDts: RUNTIME_DTS,
  };
  return ready;
}
