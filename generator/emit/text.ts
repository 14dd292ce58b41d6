// Header text placed into emitted TypeScript: string literals for any text, and comment text that cannot end the
// comment it is in (JSDoc included), with the code points that would show the code other than it is (bidirectional
// controls, invisible characters, other control characters: "Trojan Source") written out as `<U+202E>`.

/** Code points a reader of the module must see, not have applied: controls (tab and line breaks aside, which are
 * handled as such), bidirectional formatting, zero-width and other invisible formatting characters, lone surrogates. */
const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const shown = (c: string) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`;

/** Text from a header placed in a `/* ... *\/` or `//` comment: no comment terminator, no line break, nothing hidden. */
export function commentText(s: string): string {
  return s.replace(/\*\//g, '* /').replace(/[\r\n\u2028\u2029]+/g, ' ').replace(HIDDEN, shown);
}

/** Text docText leaves as it is, but for trailing spaces. */
const QUIET = /^[\x20-\x29\x2b-\x5f\x61-\x7e]*$/;

/** Header text (a C comment, a layout line) as the body of a JSDoc comment written at `indent`: one line stays on
 * the comment's line; more lines continue as ` * ` lines. Nothing in it can end the comment (`*\/` is escaped),
 * line separators that would end a line comment become spaces, backticks are escaped so that they cannot open a
 * code span that swallows what follows, and hidden code points are written out. */
export function docText(s: string, indent = ''): string {
  // one line of printable ASCII without `*` or a backtick (most member and constant notes): nothing to change but the
  // spaces it ends with
  if (QUIET.test(s)) return s.trimEnd();
  const lines = s.replace(/\r\n?/g, '\n').split('\n')
    .map((l) => l.replace(/\*\//g, '*\\/').replace(/[\u2028\u2029]/g, ' ').replace(/`/g, '\\`').replace(HIDDEN, shown).trimEnd());
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  while (lines.length > 1 && lines[0] === '') lines.shift();
  return lines.join(`\n${indent} * `);
}

/** Text a JavaScript string literal holds as it is: no quote, backslash, control or other escaped code point. */
const PLAIN = /^[\w$ .,:;#()[\]{}<>+*/=!?&|^~@%'-]*$/;

/** A JavaScript string literal for any text: hidden code points as `\u` escapes (the value is the same). */
export function stringLiteral(s: string): string {
  // names and most texts need no escape at all (a module of 100,000 records makes a million of these)
  if (PLAIN.test(s)) return `"${s}"`;
  return JSON.stringify(s).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
    .replace(HIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
