// String helpers for every stage.

/** `s` made flat: V8 keeps a string built by concatenation as a tree of its parts until a character of it is read,
 * then flattens it in place and the parts become garbage. For strings that are kept long (facts, plans, rendered
 * text): the tree takes several times the string's length. */
export function flatString(s: string): string {
  s.charCodeAt(0);
  return s;
}
