// The templates, ready to render: handlebars' runtime over the specs `templates/compile.mjs` precompiled (no
// template compiler and no `new Function` at run time, in Node or a browser). Helpers: `{{node x}}` prints a code
// node with the partial its kind names (`code/<k>`), `{{arg x}}` prints an operand (code or text), `{{cast T}}`
// prints ` as T` when printing TypeScript (`@ts`), `{{#eq a b}}`
// compares.

import handlebarsRuntime from 'handlebars/runtime.js';
import type HandlebarsApi from 'handlebars';
import {
  DECLARATIONS_TEMPLATE, MODULE_TEMPLATE, PARTIALS, RUNTIME_DTS, RUNTIME_JS, RUNTIME_SOURCE, WASM_RUNTIME_DTS, WASM_RUNTIME_JS, WASM_RUNTIME_SOURCE,
} from './assets.generated.js';

type Render = (context: unknown, options?: { data?: { ts: boolean } }) => string;

export interface Templates {
  /** A module as TypeScript (`data.ts`) or JavaScript. */
  readonly module: Render;
  /** A module's declarations. */
  readonly declarations: Render;
  /** The runtime without the code of views over a WebAssembly memory (modules for other targets). */
  readonly runtime: RuntimeText;
  /** The whole runtime (modules for WebAssembly targets). */
  readonly wasmRuntime: RuntimeText;
}

export interface RuntimeText {
  readonly source: string;
  readonly js: string;
  readonly dts: string;
}

// the runtime build of handlebars has the full API's types less the compiler
const Handlebars = handlebarsRuntime as unknown as typeof HandlebarsApi;

let ready: Templates | null = null;

interface HelperOptions { readonly data: { readonly ts?: boolean }; fn(context: unknown): string; inverse(context: unknown): string }

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
  hb.registerHelper('eq', function (this: unknown, a: unknown, b: unknown, options: HelperOptions) { return a === b ? options.fn(this) : options.inverse(this); });
  ready = {
    module: hb.template(MODULE_TEMPLATE as TemplateSpecification) as Render,
    declarations: hb.template(DECLARATIONS_TEMPLATE as TemplateSpecification) as Render,
    runtime: { source: RUNTIME_SOURCE, js: RUNTIME_JS, dts: RUNTIME_DTS },
    wasmRuntime: { source: WASM_RUNTIME_SOURCE, js: WASM_RUNTIME_JS, dts: WASM_RUNTIME_DTS },
  };
  return ready;
}
