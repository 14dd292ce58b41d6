// Identifiers in emitted modules: C names that are not valid or are reserved in TypeScript are renamed
// predictably (a trailing `_`, again until unique).

const RESERVED = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete',
  'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof',
  'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with',
  'as', 'implements', 'interface', 'let', 'package', 'private', 'protected', 'public', 'static', 'yield', 'any',
  'boolean', 'constructor', 'declare', 'get', 'module', 'require', 'number', 'set', 'string', 'symbol', 'type', 'from',
  'of', 'undefined', 'NaN', 'Infinity', 'eval', 'arguments', 'await', 'async', 'never', 'unknown', 'object', 'bigint',
  'keyof', 'readonly', 'unique', 'infer', 'is', 'asserts', 'namespace', 'abstract', 'global', 'satisfies', 'accessor',
  'Object', 'Array', 'Uint8Array', 'Int8Array', 'DataView', 'ArrayBuffer', 'Symbol', 'Math', 'Number', 'String',
  'Boolean', 'BigInt', 'Error', 'RangeError', 'TypeError', 'Map', 'Set', 'Promise', 'JSON', 'globalThis']);

/** Members a decoded object or a view cannot hold under their own name: they would replace what every object
 * has (`constructor`, `__proto__`, `toString`, ...) or what views have (`toJSON`, `$`-prefixed names). */
const RESERVED_MEMBERS = new Set(['constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'toLocaleString',
  'toJSON', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', '__defineGetter__', '__defineSetter__',
  '__lookupGetter__', '__lookupSetter__']);

/** A name for an exported binding (record type and codec, enum, constant). */
export function exportName(c: string): string {
  let n = c.replace(/[^A-Za-z0-9_$]/g, '_');
  if (/^[0-9]/.test(n)) n = `_${n}`;
  return RESERVED.has(n) ? `${n}_` : n;
}

/** Property names for a record's members, in order: a C name keeps its spelling unless objects or views reserve
 * it; a renamed one gets `_` appended until it collides with no other member (kept names win). */
export function memberNames(cNames: readonly string[]): string[] {
  const bad = (c: string) => RESERVED_MEMBERS.has(c) || c.startsWith('$');
  const taken = new Set(cNames.filter((c) => !bad(c)));
  return cNames.map((c) => {
    if (!bad(c)) return c;
    let n = `${c}_`;
    while (taken.has(n) || RESERVED_MEMBERS.has(n)) n = `${n}_`;
    taken.add(n);
    return n;
  });
}
