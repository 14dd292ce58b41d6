// Header text placed into emitted TypeScript: string literals for any text, and comment text that cannot end the
// comment it is in (JSDoc included).

/** Text from a header placed in a `/* ... *\/` or `//` comment: no comment terminator, no line break. */
export function commentText(s: string): string {
  return s.replace(/\*\//g, '* /').replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** Header text (a C comment, a layout line) as the body of a JSDoc comment written at `indent`: one line stays on
 * the comment's line; more lines continue as ` * ` lines. Nothing in it can end the comment (`*\/` is escaped),
 * line separators that would end a line comment become spaces, and backticks are escaped so that they cannot open
 * a code span that swallows what follows. */
export function docText(s: string, indent = ''): string {
  const lines = s.replace(/\r\n?/g, '\n').split('\n')
    .map((l) => l.replace(/\*\//g, '*\\/').replace(/[\u2028\u2029]/g, ' ').replace(/`/g, '\\`').trimEnd());
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  while (lines.length > 1 && lines[0] === '') lines.shift();
  return lines.join(`\n${indent} * `);
}

/** A JavaScript string literal for any text. */
export function stringLiteral(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
