// `#define` constants of a header, for export: object-like macros defined in the header itself whose
// expansion is an integer constant expression or a string literal. Evaluated like any constant.

import type { HeaderAnalysis } from '../pipeline.js';
import { stringLiteral, commentText } from './names.js';

export interface ConstantModel {
  readonly name: string;
  readonly value: string;
  readonly comment: string;
}

/** `claim(cName)` returns the exported name, or null to skip a name already taken in the module. */
export function macroConstants(a: HeaderAnalysis, claim: (name: string) => string | null): ConstantModel[] {
  const out: ConstantModel[] = [];
  for (const c of a.constants ?? []) {
    if (c.pos.file !== a.header) continue;
    const name = claim(c.name);
    if (!name) continue;
    // integers are numbers while exact; beyond 2^53 they are bigints
    const value = typeof c.value === 'string' ? stringLiteral(c.value)
      : c.value >= BigInt(Number.MIN_SAFE_INTEGER) && c.value <= BigInt(Number.MAX_SAFE_INTEGER) ? String(c.value) : `${c.value}n`;
    out.push({ name, value, comment: commentText(`#define ${c.name} ${c.body}`) });
  }
  return out;
}
