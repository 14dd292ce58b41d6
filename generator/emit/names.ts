// Identifiers in emitted modules: C names that are not valid or are reserved in TypeScript are renamed
// predictably (a trailing `_`), and header text that reaches a comment cannot end that comment.

const RESERVED = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete',
  'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof',
  'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with',
  'as', 'implements', 'interface', 'let', 'package', 'private', 'protected', 'public', 'static', 'yield', 'any',
  'boolean', 'constructor', 'declare', 'get', 'module', 'require', 'number', 'set', 'string', 'symbol', 'type', 'from',
  'of', 'undefined', 'NaN', 'Infinity', 'eval', 'arguments', 'await', 'async', 'never', 'unknown', 'object', 'bigint',
  'keyof', 'readonly', 'unique', 'infer', 'is', 'asserts', 'namespace', 'abstract', 'global', 'satisfies', 'accessor',
  'Object', 'Array', 'Uint8Array', 'Int8Array', 'DataView', 'ArrayBuffer', 'Symbol', 'Math', 'Number', 'String',
  'Boolean', 'BigInt', 'Error', 'RangeError', 'TypeError', 'Map', 'Set', 'Promise', 'JSON', 'globalThis']);

/** A name for an exported binding (record type and codec, enum, constant). */
export function exportName(c: string): string {
  let n = c.replace(/[^A-Za-z0-9_$]/g, '_');
  if (/^[0-9]/.test(n)) n = `_${n}`;
  return RESERVED.has(n) ? `${n}_` : n;
}

/** A name for a member of decoded objects and views: only what a class or object literal cannot hold changes. */
export function memberName(c: string): string {
  if (c === 'constructor' || c === '__proto__' || c === 'prototype' || c.startsWith('$')) return `${c}_`;
  return c;
}

/** Text from a header placed in a `/* ... *\/` or `//` comment: no comment terminator, no line break. */
export function commentText(s: string): string {
  return s.replace(/\*\//g, '* /').replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** A JavaScript string literal for any text. */
export function stringLiteral(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
