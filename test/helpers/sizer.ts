// The type sizer over an analysed header's resolved program, for tests that check the sizer's own numbers
// (HeaderAnalysis no longer carries one: every output reads the facts).

import type { HeaderAnalysis } from '../../generator/pipeline.js';
import { tablesOf, TypeSizer } from '../../generator/layout/sizer.js';

export function sizerOf(a: HeaderAnalysis): TypeSizer {
  return new TypeSizer(tablesOf(a.resolved!), a.target);
}
