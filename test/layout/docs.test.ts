// Doc comments from the header text into the facts (generator/layout/docs.ts), through the real pipeline over an
// in-memory host: each comment style reaches the entity it belongs to, and no comment reaches a wrong one.

import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../generator/core/host.js';
import { hasErrors } from '../../generator/diagnostics.js';
import { commentText, scanComments } from '../../generator/layout/docs.js';
import type { ProgramFacts, RecordFacts } from '../../generator/layout/facts.js';
import { analyzeHeader, headerRecords } from '../../generator/pipeline.js';

function facts(text: string, files: Record<string, string> = {}): ProgramFacts {
  const a = analyzeHeader('/h/main.h', { host: memoryHost({ '/h/main.h': text, ...files }), evaluateDefines: true, includeDirs: ['/h'] });
  expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(hasErrors(a.diagnostics)).toBe(false);
  return a.facts!;
}
const rec = (f: ProgramFacts, name: string): RecordFacts => f.records.find((r) => r?.name === name)!;
const docs = (r: RecordFacts): Record<string, string | null> => Object.fromEntries(r.members.map((m) => [m.name, m.doc]));

describe('doc comments from headers', () => {
  it('attaches each comment style to its entity', () => {
    const f = facts(`
/** A point.
 *
 * Second paragraph. */
struct point {
  /** Leading block. */
  int x;
  int y; /* trailing block */
  int z; // trailing line
  // leading line one
  // leading line two
  int w;
  /** loses to the trailing one */
  int t; ///< Doxygen trailing
};

// A colour.
enum colour {
  RED,   /**< the first */
  /** the second */
  GREEN,
  BLUE = 7 // the third
};

/** Most points. */
#define MAX_POINTS 16
#define MIN_POINTS 2 /* fewest points */
`);
    const p = rec(f, 'point');
    expect(p.doc).toBe('A point.\n\nSecond paragraph.');
    expect(docs(p)).toEqual({
      x: 'Leading block.', y: 'trailing block', z: 'trailing line', w: 'leading line one\nleading line two', t: 'Doxygen trailing',
    });
    const e = f.enums.find((x) => x?.name === 'colour')!;
    expect(e.doc).toBe('A colour.');
    expect(e.values.map((v) => v.doc)).toEqual(['the first', 'the second', 'the third']);
    const c = Object.fromEntries(f.constants.map((k) => [k.name, k.doc]));
    expect(c).toEqual({ MAX_POINTS: 'Most points.', MIN_POINTS: 'fewest points' });
  });

  it("the README's example documents what the README says", () => {
    const f = facts(`#include <stdint.h>
/** A time zone.
 *
 * Paragraphs are kept. */
struct zone {
  int32_t gmtoff;  /* GMT offset, seconds. */
  // One leading line,
  // and the next one joins it.
  uint16_t kind;   ///< the trailing comment wins over the leading one
  uint8_t dst : 1; // a trailing comment
                   // continues on lines below in the same column
};
#define ZONE_MAX 8 /* trails the #define */
`);
    const z = rec(f, 'zone');
    expect(z.doc).toBe('A time zone.\n\nParagraphs are kept.');
    expect(docs(z)).toEqual({
      gmtoff: 'GMT offset, seconds.', kind: 'the trailing comment wins over the leading one',
      dst: 'a trailing comment\ncontinues on lines below in the same column',
    });
    expect(f.constants.find((c) => c.name === 'ZONE_MAX')!.doc).toBe('trails the #define');
  });

  it("kernel-doc: members and enumerators without their own comment take their '@name:' paragraph", () => {
    const f = facts(`
/**
 * struct ff_like - a force-feedback envelope
 * @attack: duration of the attack (ms),
 *	over two lines
 * @level: level at the beginning
 *
 * The rest is about the record.
 */
struct ff_like {
  unsigned short attack;
  unsigned short level; /* its own comment wins */
  unsigned short fade;
};
/**
 * enum mode - modes
 * @MODE_A: the first
 */
enum mode { MODE_A, MODE_B };
`);
    const r = rec(f, 'ff_like');
    expect(r.doc).toMatch(/^struct ff_like - a force-feedback envelope\n@attack:/);
    expect(docs(r)).toEqual({ attack: 'duration of the attack (ms),\nover two lines', level: 'its own comment wins', fade: null });
    expect(f.enums.find((e) => e?.name === 'mode')!.values.map((v) => v.doc)).toEqual(['the first', null]);
  });

  it('a blank line ends a leading comment: a licence block does not document the first record', () => {
    const f = facts(`/*
 * Copyright: not a doc.
 */

struct first { int a; };
/* adjacent: a doc */
struct second { int b; };
`);
    expect(rec(f, 'first').doc).toBeNull();
    expect(rec(f, 'second').doc).toBe('adjacent: a doc');
  });

  it('comments inside macros, between unrelated declarations or after a body attach to nothing', () => {
    const f = facts(`
#define DECLARE(n) /* inside the macro */ int n;
#define BODY(n) \\
  /* spliced inside the macro */ \\
  int n;
struct m {
  int a;
  /* about the members' end */
};
struct n { int b; }; /* after the record: not b's */
/* separated */

struct o { DECLARE(c) BODY(d) };
`);
    expect(docs(rec(f, 'm'))).toEqual({ a: null });
    expect(docs(rec(f, 'n'))).toEqual({ b: null });
    expect(rec(f, 'o').doc).toBeNull();
    expect(docs(rec(f, 'o'))).toEqual({ c: null, d: null });
  });

  it('one leading comment documents one declarator; a macro argument takes the comments around the invocation', () => {
    const f = facts(`
#define FIELD(t, n) t n
struct q {
  /** only a */
  int a, b;
  /** the expanded one */
  FIELD(int, x);
  FIELD(long, y); // trailing after the invocation
};
`);
    expect(docs(rec(f, 'q'))).toEqual({ a: 'only a', b: null, x: 'the expanded one', y: 'trailing after the invocation' });
  });

  it('promoted members of anonymous members, nested records and included headers get their docs', () => {
    const f = facts(`#include "inc.h"
struct outer {
  /** The inner one. */
  struct inner { int deep; /**< deep doc */ } in;
  union {
    int i; // as an integer
    float fl; // as a float
  };
};
`, { '/h/inc.h': '/** From the include. */\nstruct inc { char c; /* a char */ };\n' });
    const o = rec(f, 'outer');
    expect(docs(o)).toEqual({ in: null, i: 'as an integer', fl: 'as a float' });
    expect(rec(f, 'inner').doc).toBe('The inner one.');
    expect(docs(rec(f, 'inner'))).toEqual({ deep: 'deep doc' });
    const anon = f.records.find((r) => r && r.anonymousMember)!;
    expect(docs(anon)).toEqual({ i: 'as an integer', fl: 'as a float' });
    expect(rec(f, 'inc').doc).toBe('From the include.');
    expect(docs(rec(f, 'inc'))).toEqual({ c: 'a char' });
  });

  it('comment markers inside strings are not comments', () => {
    const f = facts(`
#define PATH "/* not a comment"
struct s {
  int a; // real
};
#define GLOB "*/" /* the glob */
`);
    expect(docs(rec(f, 's'))).toEqual({ a: 'real' });
    expect(f.constants.find((c) => c.name === 'GLOB')!.doc).toBe('the glob');
    expect(f.constants.find((c) => c.name === 'PATH')!.doc).toBeNull();
  });

  it('layout --json is the same with and without comments', () => {
    const withC = `/** R */\nstruct r {\n  int a; /* c */\n  char b[3]; // d\n};\n`;
    const without = withC.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, (m) => ' '.repeat(m.length));
    const report = (t: string) => headerRecords(analyzeHeader('/h/r.h', { host: memoryHost({ '/h/r.h': t }) }));
    expect(JSON.stringify(report(withC))).toBe(JSON.stringify(report(without)));
    expect(JSON.stringify(report(withC))).not.toContain('"doc"');
  });
});

describe('comment text', () => {
  it('strips markers, leading stars, @brief and banners; keeps paragraphs', () => {
    expect(commentText('/**\n * @brief One.\n *\n *\n * Two.\n */')).toBe('One.\n\nTwo.');
    expect(commentText('/*****************\n * \\brief Banner\n *****************/')).toBe('Banner');
    expect(commentText('//! bang')).toBe('bang');
    expect(commentText('/**/')).toBeNull();
    expect(commentText('//')).toBeNull();
  });

  it('scans in one pass: trailing or leading by what shares the line', () => {
    const s = scanComments('int a; /* t */\n/* l */ int b;\n  // own\nint c; /* x */ int d;\n');
    expect(s.comments.map((c) => [s.text.slice(c.start, c.end), c.line, c.trailing])).toEqual([
      ['/* t */', 1, true], ['/* l */', 2, false], ['// own', 3, false], ['/* x */', 4, false],
    ]);
  });
});
