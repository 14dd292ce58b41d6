// `generate --emit-c-asserts`: `<module>.asserts.c` for each header, the layout asserts of verify/asserts.ts for the C
// side's build, made from the same analyses as the modules (the headers are not read again).

import * as paths from '../../core/paths.js';
import { diag } from '../../diagnostics.js';
import { cAssertSource } from '../../verify/asserts.js';
import { oversizedListings } from '../../layout/walk.js';
import type { FileOutput } from '../output.js';

export interface CAssertsOptions {
  /** How the asserts file at `folder` (relative to the output folder, '' or `<triple>/`) names the header in its
   * `#include`; default: the header's path as given. */
  readonly includePath?: (header: string, folder: string) => string;
}

export const cAsserts: FileOutput<CAssertsOptions> = {
  title: 'C layout asserts',
  owns: (rel) => rel.endsWith('.asserts.c'),
  run(ctx, opts) {
    const used = new Set<string>();
    return ctx.analyses.flatMap((a) => {
      let module = paths.stem(a.header).replace(/[^A-Za-z0-9_.-]/g, '_');
      for (let i = 2; used.has(module); i++) module = `${module}_${i}`;
      used.add(module);
      const include = opts.includePath ? opts.includePath(a.header, ctx.folder) : a.header;
      // an #include "..." has no escapes: a path with a quote, a line break or another control character cannot be named
      if (/["\x00-\x1f\x7f]/.test(include)) {
        ctx.report(diag('error', null, 'c-asserts-path', `cannot write ${module}.asserts.c: the path of '${a.header}' (${JSON.stringify(include)}) has a character an #include cannot hold (a tab, a line break, another control character or '"'); rename the header or its folder`));
        return [];
      }
      // the asserts name every member at every depth: a record too deep to list is an error, not an endless run
      const over = a.facts ? oversizedListings(a.facts, a.facts.records) : [];
      if (over.length) { ctx.report(...over); return []; }
      return [{ path: `${module}.asserts.c`, contents: cAssertSource(a, include, module).source }];
    });
  },
};
