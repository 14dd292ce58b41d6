// Escaping for the markup the renderers write: any text from a header (names, types, doc comments, file paths) goes
// through these, so none can end an attribute or an element, open a comment or a CDATA section, or start a script.

const XML: { [c: string]: string } = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element's content or a double- or single-quoted attribute value (XML and HTML alike). Control
 * characters XML does not allow become U+FFFD. */
export function esc(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[&<>"']/g, (c) => XML[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
}

/** A number for coordinates: at most two decimals, no trailing zeros, never `-0`. */
export function num(x: number): string {
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}
