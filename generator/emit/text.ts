// Header text placed into emitted TypeScript: string literals for any text, and comment text that cannot end the
// comment it is in (JSDoc included).

/** Text from a header placed in a `/* ... *\/` or `//` comment: no comment terminator, no line break. */
export function commentText(s: string): string {
  return s.replace(/\*\//g, '* /').replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** A JavaScript string literal for any text. */
export function stringLiteral(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
