// The templates, ready to render: handlebars' runtime over the specs `templates/compile.mjs` precompiled (no
// template compiler and no `new Function` at run time, in Node or a browser), with one helper, `{{node x}}`,
// which renders a view-model node with the partial it names (`read/get`, `write/set`, ...).

import handlebarsRuntime from 'handlebars/runtime.js';
import type HandlebarsApi from 'handlebars';
import { MODULE_TEMPLATE, PARTIALS, RUNTIME_SOURCE } from './assets.generated.js';

export interface Templates {
  readonly module: (context: unknown) => string;
  readonly runtimeSource: string;
}

// the runtime build of handlebars has the full API's types less the compiler
const Handlebars = handlebarsRuntime as unknown as typeof HandlebarsApi;

let ready: Templates | null = null;

export function templates(): Templates {
  if (ready) return ready;
  const hb = Handlebars.create();
  const nodes = new Map<string, (context: unknown) => string>();
  for (const [name, spec] of Object.entries(PARTIALS as { [name: string]: TemplateSpecification })) {
    const t = hb.template(spec);
    hb.registerPartial(name, t);
    nodes.set(name, t);
  }
  hb.registerHelper('node', (n: { partial?: unknown } | undefined) => {
    const t = typeof n?.partial === 'string' ? nodes.get(n.partial) : undefined;
    if (!t) throw new Error(`structgen: no template for node ${JSON.stringify(n?.partial)}`);
    return t(n);
  });
  ready = { module: hb.template(MODULE_TEMPLATE as TemplateSpecification), runtimeSource: RUNTIME_SOURCE };
  return ready;
}
