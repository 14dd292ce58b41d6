// The text and Markdown reports on their own: header text cannot break a Markdown table or inject markup, a long
// report fits a pull-request comment (the breaking rows first, the rest counted), and an empty one says so.

import { describe, expect, it } from 'vitest';
import { formatMarkdown, formatText, mdCode, mdMessage, mdText } from '../../generator/diff/format.js';
import { diffTexts } from './helpers.js';

/** The cells of a Markdown table row: split at pipes not escaped by a backslash. */
const cells = (row: string) => row.replace(/\\\\/g, '').split(/(?<!\\)\|/).slice(1, -1);

describe('Markdown', () => {
  it('escapes what Markdown and HTML give a meaning to; code spans hold backticks and pipes', () => {
    expect(mdText('a|b <x> *y* _z_ [l](u) `c` & ~')).toBe('a\\|b &lt;x&gt; \\*y\\* \\_z\\_ \\[l\\](u) \\`c\\` &amp; \\~');
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('a|b')).toBe('`a\\|b`');
    expect(mdMessage("member 'a_b' moved")).toBe('member `a_b` moved');
  });

  it('a string constant full of Markdown keeps the table four cells wide', () => {
    const r = diffTexts('#define S "a|b`c<d>|e\'f"\n', '#define S "x"\n');
    const rows = formatMarkdown(r).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Class'));
    expect(rows.length).toBe(1);
    expect(cells(rows[0]!).length).toBe(4);
    expect(rows[0]).not.toMatch(/<d>/);
  });

  it('at most 200 rows, the breaking ones first, and how many more', () => {
    const enumerators = (n: number, start: number) => Array.from({ length: n }, (_x, i) => `E${i} = ${start + i}`).join(', ');
    // 250 enumerators change value (breaking), 30 appear (compatible)
    const r = diffTexts(`enum e { ${enumerators(250, 0)} };`, `enum e { N0, ${enumerators(250, 1000)}, ${Array.from({ length: 30 }, (_x, i) => `X${i}`).join(', ')} };`);
    const md = formatMarkdown(r);
    const rows = md.split('\n').filter((l) => /^\| (\*\*breaking\*\*|compatible|source-only) \|/.test(l));
    expect(rows.length).toBe(200);
    expect(rows.every((l) => l.startsWith('| **breaking**'))).toBe(true);
    expect(md).toContain('81 more lines not shown; `structgen diff` prints them all.');
    expect(md.length).toBeLessThan(65_536);
  });
});

describe('text', () => {
  it('no change: one line saying so', () => {
    const r = diffTexts('struct s { int a; };', 'struct s { int a; };', ['x86_64-linux-gnu', 'i386-linux-gnu']);
    expect(formatText(r, { oldLabel: 'a', newLabel: 'b' })).toBe('structgen diff: no changes (a -> b; 2 targets: x86_64-linux-gnu, i386-linux-gnu)\n');
  });
});
