// The templates, ready to render: handlebars' runtime over the specs `templates/compile.mjs` precompiled (no
// template compiler and no `new Function` at run time, in Node or a browser). Helpers: `{{node x}}` prints a code
// node with the partial its kind names (`code/<k>`), `{{arg x}}` prints an operand (code or text), `{{cast T}}`
// prints ` as T` when printing TypeScript (`@ts`), `{{#eq a b}}`
// compares.

import handlebarsRuntime from 'handlebars/runtime.js';
import type HandlebarsApi from 'handlebars';
import { flatString } from '../core/strings.js';
import {
  DECLARATIONS_TEMPLATE, MODULE_TEMPLATE, PARTIALS, RUNTIME_DTS, RUNTIME_JS, RUNTIME_SOURCE, WASM_RUNTIME_DTS, WASM_RUNTIME_JS, WASM_RUNTIME_SOURCE,
} from './assets.generated.js';

type Render = (context: unknown, options?: { data?: { ts: boolean } }) => string;
type PartialCall = (context: unknown, options: { [k: string]: unknown }) => string;

export interface Templates {
  /** A module as TypeScript (`data.ts`) or JavaScript. */
  readonly module: Render;
  /** A module's declarations. */
  readonly declarations: Render;
  /** A module's layout asserts, a file of their own (`<module>.asserts.ts`; the partial `asserts`). */
  readonly asserts: Render;
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

interface HelperOptions {
  readonly data: { readonly ts?: boolean };
  readonly ids?: unknown;
  readonly hash?: { readonly [k: string]: unknown };
  /** A block's program; `options` carries the data (templates/compile.mjs: the runtime's cached program wrapper
   * holds none). */
  fn(context: unknown, options?: { readonly data: unknown }): string;
  inverse(context: unknown, options?: { readonly data: unknown }): string;
}

/** Text this long or longer is made flat (one string, not a tree of concatenations) as it is made. */
const FLAT_AT = 1024;

/** The same text, flat when long (core/strings.ts). */
function flat(s: string): string {
  return s.length >= FLAT_AT ? flatString(s) : s;
}

// Rendering one `{{#each}}` list an item at a time (the records of a module: the emitter renders each record as soon
// as its view model is made and keeps only its text). eachBlock renders the template over the context with a
// placeholder list to find the block that iterates it; the block then renders an item as `each` would at that
// place (the same data frame: @index, @first, @last, @key); renderedList hands the texts back for the real render.

const placeholders = new WeakMap<object, HelperOptions[]>();
const renderedLists = new WeakMap<object, readonly string[]>();
/** A data frame as handlebars' createFrame makes one (the data's own properties, and `_parent`: @index, @first,
 * @last and @key of an `each`, above them @ts and @root), of one shape: made from a frame, the copy is six
 * assignments, not handlebars' loop over every key (a frame per `each`, nested ones copying their parents'). The
 * first frame of a render is made from the render's data by a copy of its keys, as handlebars does. */
class Frame {
  [k: string]: unknown;
  root: unknown;
  ts: unknown;
  _parent: unknown;
  key: unknown;
  index: unknown;
  first: unknown;
  last: unknown;
  constructor(p: Frame) {
    this.root = p.root;
    this.ts = p.ts;
    this._parent = p;
    this.key = p.key;
    this.index = p.index;
    this.first = p.first;
    this.last = p.last;
  }
}

const FRAME_KEYS = new Set(['root', 'ts', '_parent', 'key', 'index', 'first', 'last']);

function createFrame(data: unknown): { [k: string]: unknown } {
  if (data instanceof Frame) return new Frame(data);
  if (typeof data === 'object' && data !== null && Object.keys(data).every((k) => FRAME_KEYS.has(k))) return new Frame(data as Frame);
  const frame: { [k: string]: unknown } = { ...(data as object) };
  frame._parent = data;
  return frame;
}

/** An item's text in a template's `{{#each}}` block, for item `index` of `count`. */
export type ItemRenderer = (item: unknown, index: number, count: number) => string;

/** The block of `render` that iterates `context[key]` (which this sets to a placeholder of `count` items: the
 * context must be the object the template is rendered over later, with the same key), or null when the template
 * iterates it other than in exactly one plain `{{#each}}` (then render the whole list as usual). */
export function eachBlock(render: Render, context: { [key: string]: unknown }, key: string, count: number, data: { ts: boolean }): ItemRenderer | null {
  const list: unknown[] = new Array(count);
  const seen: HelperOptions[] = [];
  placeholders.set(list, seen);
  context[key] = list;
  try {
    render(context, { data });
  } catch {
    return null; // the placeholder context lacks what the template reads: render it whole
  } finally {
    placeholders.delete(list);
  }
  const block = seen.length === 1 ? seen[0]! : null;
  if (!block || block.ids || (block.hash && Object.keys(block.hash).length)) return null;
  const fn = block.fn;
  const frame = createFrame(block.data);
  const options = { data: frame };
  return (item, index, n) => {
    frame.key = index;
    frame.index = index;
    frame.first = index === 0;
    frame.last = index === n - 1;
    return flat(fn(item, options));
  };
}

/** A list whose `{{#each}}` renders these texts (the items' texts from eachBlock's renderer), one after another. */
export function renderedList(texts: readonly string[]): readonly unknown[] {
  const list: unknown[] = new Array(texts.length);
  renderedLists.set(list, texts);
  return list;
}

export function templates(): Templates {
  if (ready) return ready;
  const hb = Handlebars.create();
  // the partials by name, and the code node templates by kind (`code/<k>`)
  const partials = new Map<string, PartialCall>();
  const nodes = new Map<unknown, PartialCall>();
  for (const [name, spec] of Object.entries(PARTIALS as { [name: string]: TemplateSpecification })) {
    const t = hb.template(spec);
    hb.registerPartial(name, t);
    partials.set(name, t);
    if (name.startsWith('code/')) nodes.set(name.slice('code/'.length), t);
  }
  // A code node's template is called as handlebars calls a partial (`partial: true`, with the helpers, partials,
  // decorators, hooks and prototype-access rules of a render), not as a template of its own: called on its own, a
  // template merges and wraps every helper and makes new access rules first, which was most of handlebars' time
  // on a module of many members (a call per code node). The objects are those a render hands its partials, caught
  // once from a render of a partial call (below). One options object serves every call: a template reads its
  // options when called, before it renders anything (so a nested call may set `data` again).
  let partialOptions: { [k: string]: unknown } | null = null;
  const callAsPartial = (t: PartialCall, context: unknown, data: unknown): string => {
    const o = partialOptions!;
    o.data = data;
    return t(context, o);
  };
  const node = (n: { k?: unknown } | undefined, options: HelperOptions): string => {
    const t = n == null ? undefined : nodes.get(n.k);
    if (!t) throw new Error(`structgen: no template for code node ${JSON.stringify(n?.k)}`);
    return callAsPartial(t, n, options.data);
  };
  hb.registerHelper('node', node);
  hb.registerHelper('arg', (x: unknown, options: HelperOptions) => (typeof x === 'string' ? x : node(x as { k?: unknown }, options)));
  hb.registerHelper('cast', (t: unknown, options: HelperOptions) => (options.data.ts && typeof t === 'string' && t ? ` as ${t}` : ''));
  // The block helpers, as handlebars has them (`if`, `unless`: a falsy value and an empty list are false; `each`:
  // @index, @key, @first, @last) but passing the data to the block's program (the templates are compiled so that a
  // block program is the runtime's one wrapper of it, which holds no data: templates/compile.mjs)
  hb.registerHelper('if', function (this: unknown, c: unknown, options: HelperOptions) {
    return (Array.isArray(c) ? c.length > 0 : c) ? options.fn(this, options) : options.inverse(this, options);
  });
  hb.registerHelper('unless', function (this: unknown, c: unknown, options: HelperOptions) {
    return (Array.isArray(c) ? c.length > 0 : c) ? options.inverse(this, options) : options.fn(this, options);
  });
  hb.registerHelper('eq', function (this: unknown, a: unknown, b: unknown, options: HelperOptions) {
    return a === b ? options.fn(this, options) : options.inverse(this, options);
  });
  // `each` also makes the text of an iteration flat when it is long: a rendered record is otherwise a rope of
  // thousands of small strings, about ten times its length in memory, and a module of 100,000 records holds 100,000
  // of them until it is written
  const each = hb.helpers.each as (this: unknown, context: unknown, options: HelperOptions) => string;
  hb.registerHelper('each', function (this: unknown, context: unknown, options: HelperOptions) {
    if (!Array.isArray(context)) return each.call(this, context, options); // no list: handlebars' own (objects, nothing)
    // a placeholder list (eachBlock): keep the block, render nothing
    const seen = placeholders.get(context);
    if (seen) { seen.push(options); return ''; }
    // items rendered already (renderedList): their texts, as the block gave them
    const texts = renderedLists.get(context);
    const n = texts ? texts.length : context.length;
    if (n === 0) return options.inverse(this, options);
    if (texts) {
      let out = '';
      for (const t of texts) out += t;
      return out;
    }
    // one frame for all iterations, as handlebars' `each` has it
    const frame = createFrame(options.data);
    const o = { data: frame };
    const fn = options.fn;
    let out = '';
    for (let i = 0; i < n; i++) {
      if (!(i in context)) continue;
      frame.key = i;
      frame.index = i;
      frame.first = i === 0;
      frame.last = i === n - 1;
      out += flat(fn(context[i], o));
    }
    return out;
  });
  // after every helper is registered: the render copies them
  // a template (written as handlebars' compiler writes one: no code is compiled) whose only content is a call of a
  // partial that keeps the options it is called with
  const CATCH = '$structgen-catch';
  hb.registerPartial(CATCH, ((_c: unknown, o: { [k: string]: unknown }) => { partialOptions = o; return ''; }) as unknown as HandlebarsApi.Template);
  const catcher = hb.template({
    compiler: [8, '>= 4.3.0'], usePartial: true, useData: true,
    main: (container: { invokePartial: Function; decorators: unknown }, depth0: unknown, helpers: unknown, partials: { [k: string]: unknown }, data: unknown) =>
      container.invokePartial(partials[CATCH], depth0, { name: CATCH, data, helpers, partials, decorators: container.decorators }),
  } as unknown as TemplateSpecification);
  catcher({});
  hb.unregisterPartial(CATCH);
  const caught = partialOptions as unknown as { helpers: { [k: string]: unknown }; partials: unknown; decorators: unknown; hooks: unknown; protoAccessControl: unknown };
  // The helpers as registered, not as a render wraps them: each call through the wrapper copies its arguments to give
  // the options `lookupProperty`, which only the built-in `lookup` reads (it keeps its wrapper). The missing-helper
  // hooks are in `hooks`, where a render moves them.
  const helpers: { [k: string]: unknown } = {};
  for (const [k, h] of Object.entries(hb.helpers)) if (k !== 'helperMissing' && k !== 'blockHelperMissing') helpers[k] = k === 'lookup' ? caught.helpers[k] : h;
  partialOptions = { partial: true, helpers, partials: caught.partials, decorators: caught.decorators, hooks: caught.hooks, protoAccessControl: caught.protoAccessControl, data: undefined };
  // The module templates are rendered the same way (so their blocks call the helpers unwrapped too), from the data a
  // render starts from: a frame of the given data with `root`
  const asPartial = (t: PartialCall): Render => (context, options) => {
    const data = createFrame(options?.data ?? {});
    data.root = context;
    return callAsPartial(t, context, data);
  };
  ready = {
    module: asPartial(hb.template(MODULE_TEMPLATE as TemplateSpecification) as unknown as PartialCall),
    declarations: asPartial(hb.template(DECLARATIONS_TEMPLATE as TemplateSpecification) as unknown as PartialCall),
    asserts: asPartial(partials.get('asserts')!),
    runtime: { source: RUNTIME_SOURCE, js: RUNTIME_JS, dts: RUNTIME_DTS },
    wasmRuntime: { source: WASM_RUNTIME_SOURCE, js: WASM_RUNTIME_JS, dts: WASM_RUNTIME_DTS },
  };
  return ready;
}
