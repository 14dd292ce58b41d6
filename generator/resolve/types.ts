// Resolved C types for one target: every name looked up, every constant evaluated.
// Records, enums and typedefs live in tables and are referenced by index, so the data has no cycles.

import type { SourcePos } from '../diagnostics.js';

import type { FloatName, IntName } from '../target/types.js';

export type { FloatName, IntName };

export type CType =
  | { readonly k: 'void' }
  | { readonly k: 'int'; readonly name: IntName }
  | { readonly k: 'float'; readonly name: FloatName }
  | { readonly k: 'complex'; readonly of: FloatName }
  /** GNU `_Complex short` & co: two integers. */
  | { readonly k: 'complexInt'; readonly of: IntName }
  /** `to`: the pointee as written (outermost pointer only); `pointee`: its type, where the resolver knows it (void for
   * an incomplete one). */
  | { readonly k: 'pointer'; readonly to: string; readonly fn: boolean; readonly pointee?: CType }
  | { readonly k: 'array'; readonly of: CType; readonly length: number | null /* null: flexible `[]` */; readonly vector?: true }
  | { readonly k: 'record'; readonly id: number }
  | { readonly k: 'enum'; readonly id: number }
  | { readonly k: 'typedef'; readonly id: number }
  | { readonly k: 'valist' }
  | { readonly k: 'function' };

export interface Field {
  /** null: unnamed bit-field, or anonymous struct/union member. */
  readonly name: string | null;
  readonly type: CType;
  /** The member's declared type as written (`uint16_t`, `struct timeval`, `char[8]`). */
  readonly spelling: string;
  readonly bitWidth: number | null;
  /** Largest `aligned(N)` / `_Alignas(N)` written on the member, bytes (0 = none). */
  readonly alignAttr: number;
  /** gcc: `aligned(N)` written after the member's own `*` makes its pointer type N-aligned (lower or higher than a
   * pointer's alignment), bytes; 0 = none. */
  readonly typeAlign?: number;
  readonly packed: boolean;
  readonly pos: SourcePos;
  /** `counted_by(m)` on the member: the member holding a flexible array's element count. */
  readonly countedBy?: string;
}

export interface Record {
  readonly id: number;
  readonly kind: 'struct' | 'union';
  readonly tag: string | null;
  /** The name users see: the tag, or the typedef that names an untagged record, or null. */
  readonly name: string | null;
  readonly pos: SourcePos;
  /** The file the declaration was read from (`pos` follows `#line`, this does not): select by this. */
  readonly definedIn: string;
  readonly fields: readonly Field[];
  readonly packed: boolean;
  readonly alignAttr: number;
  readonly pack: number;
  readonly msStruct: boolean;
  readonly gccStruct: boolean;
  readonly parent: number | null;
  readonly system: boolean;
  /** True when some record uses it as an anonymous member. */
  readonly anonymousMember: boolean;
}

export interface Enumerator {
  readonly name: string;
  readonly value: bigint;
  readonly pos: SourcePos;
}

export interface Enum {
  readonly id: number;
  readonly tag: string | null;
  readonly name: string | null;
  readonly pos: SourcePos;
  /** The file the declaration was read from (`pos` follows `#line`, this does not): select by this. */
  readonly definedIn: string;
  readonly values: readonly Enumerator[];
  /** The integer type the target uses to store it. */
  readonly underlying: IntName;
  /** `aligned(N)` on the enum's definition, bytes: the type's alignment, lower or higher than its integer type's
   * (clang's rule); 0 = none. */
  readonly alignAttr?: number;
  readonly system: boolean;
}

export interface Typedef {
  readonly id: number;
  readonly name: string;
  readonly type: CType;
  /** `aligned(N)` on the typedef (may lower alignment), bytes; 0 = none. */
  readonly alignAttr: number;
  readonly pos: SourcePos;
  /** The file the declaration was read from (`pos` follows `#line`, this does not): select by this. */
  readonly definedIn: string;
  readonly system: boolean;
}

/** Tables indexed like the parser's; an entry is null where it could not be resolved (its error was reported
 * when the entry came from a user header, or is reported when a user record needs it). */
export interface ResolvedProgram {
  readonly records: readonly (Record | null)[];
  readonly enums: readonly (Enum | null)[];
  readonly typedefs: readonly (Typedef | null)[];
}
