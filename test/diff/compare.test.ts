// Pairs of headers, one per kind of change `structgen diff` reports, each classified as README "Comparing
// versions" says, on several targets: offsets below follow from the C layout rules of each target (x86_64 aligns
// 64-bit integers to 8, i386 to 4; MSVC starts a new bit-field unit when the declared type's size changes), and the
// layouts themselves are proven against clang elsewhere (test/differential/).

import { describe, expect, it } from 'vitest';
import { failsAt } from '../../generator/diff/diff.js';
import { describeTargets } from '../../generator/diff/join.js';
import { CHANGE_KINDS } from '../../generator/diff/types.js';
import { brief, diffTexts, PRELUDE, seenKinds } from './helpers.js';

const X64 = ['x86_64-linux-gnu'];

describe('members', () => {
  it('a member inserted before others: the insertion, the members it pushed, the size (all breaking)', () => {
    const r = diffTexts(`${PRELUDE}struct s { uint8_t a; uint32_t b; uint32_t c; };`, `${PRELUDE}struct s { uint8_t a; uint32_t x; uint32_t b; uint32_t c; };`, X64);
    expect(brief(r.changes)).toEqual([
      'member-added breaking s.x', 'member-moved breaking s.b', 'member-moved breaking s.c', 'record-size breaking s',
    ]);
    expect(r.changes[0]!.new).toEqual({ path: 'x', type: 'uint32_t', bitOffset: 32, bitSize: 32 });
    expect([r.changes[1]!.old, r.changes[1]!.new]).toEqual([32, 64]);
    expect([r.changes[3]!.old, r.changes[3]!.new]).toEqual([12, 16]);
    expect(failsAt(r.changes, 'breaking')).toBe(true);
  });

  it('a member placed in former padding is compatible and nothing else changes', () => {
    const r = diffTexts(`${PRELUDE}struct s { uint8_t a; uint32_t b; };`, `${PRELUDE}struct s { uint8_t a; uint8_t c; uint16_t d; uint32_t b; };`, X64);
    expect(brief(r.changes)).toEqual(['padding-filled compatible s.c', 'padding-filled compatible s.d']);
    expect(r.changes[1]!.message).toBe("struct s: member 'd' (uint16_t) fills former padding at byte 2");
    expect(failsAt(r.changes, 'breaking')).toBe(false);
    expect(failsAt(r.changes, 'compatible')).toBe(true);
  });

  it("a member taking a reserved member's bytes is compatible, and so is the reserved member shrinking in place", () => {
    const r = diffTexts(`${PRELUDE}struct s { uint32_t a; uint32_t __reserved[2]; };`, `${PRELUDE}struct s { uint32_t a; uint32_t flags; uint32_t __reserved[1]; };`, X64);
    expect(brief(r.changes)).toEqual(['padding-filled compatible s.flags', 'member-resized compatible s.__reserved', 'member-moved compatible s.__reserved']);
    expect(r.changes[0]!.message).toContain("fills former reserved member '__reserved'");
  });

  it('a member appended to a record with a size member is compatible, and so is its growth', () => {
    const r = diffTexts(`${PRELUDE}struct args { uint32_t size; uint32_t flags; uint64_t a; };`, `${PRELUDE}struct args { uint32_t size; uint32_t flags; uint64_t a; uint64_t b; };`, X64);
    expect(brief(r.changes)).toEqual(['member-added compatible args.b', 'record-size compatible args']);
    expect(r.changes[0]!.message).toContain("a record its users size through 'size'");
  });

  it('appended without a size member, or to a record another holds by value: breaking', () => {
    const plain = diffTexts(`${PRELUDE}struct p { uint32_t a; };`, `${PRELUDE}struct p { uint32_t a; uint32_t b; };`, X64);
    expect(brief(plain.changes)).toEqual(['member-added breaking p.b', 'record-size breaking p']);
    const held = diffTexts(`${PRELUDE}struct args { uint32_t size; uint32_t a; }; struct outer { struct args x; uint32_t tail; };`,
      `${PRELUDE}struct args { uint32_t size; uint32_t a; uint32_t b; }; struct outer { struct args x; uint32_t tail; };`, X64);
    expect(brief(held.changes)).toEqual([
      'member-added breaking args.b', 'record-size breaking args',
      'member-resized breaking outer.x', 'member-moved breaking outer.tail', 'record-size breaking outer',
    ]);
  });

  it('removed members: breaking; a reserved one: compatible', () => {
    const r = diffTexts(`${PRELUDE}struct s { uint32_t a; uint32_t b; uint32_t pad1; };`, `${PRELUDE}struct s { uint32_t a; };`, X64);
    expect(brief(r.changes)).toEqual(['member-removed breaking s.b', 'member-removed compatible s.pad1', 'record-size breaking s']);
    expect(r.changes[0]!.where?.side).toBe('old');
  });

  it('a rename at the same place with the same type is source-only, and the only change', () => {
    const r = diffTexts(`${PRELUDE}struct s { uint32_t a; uint16_t flags; uint16_t c; };`, `${PRELUDE}struct s { uint32_t a; uint16_t mode; uint16_t c; };`, X64);
    expect(brief(r.changes)).toEqual(['member-renamed source-only s.mode']);
    expect([r.changes[0]!.old, r.changes[0]!.new]).toEqual(['flags', 'mode']);
    expect(failsAt(r.changes, 'breaking')).toBe(false);
  });

  it('a renamed untagged member keeps its members matched under the new name', () => {
    const r = diffTexts(`${PRELUDE}struct s { struct { uint16_t x, y; } pos; uint32_t z; };`, `${PRELUDE}struct s { struct { uint16_t x, y; } at; uint32_t z; };`, X64);
    expect(brief(r.changes)).toEqual(['member-renamed source-only s.at']);
  });

  it('retyped: the same representation is source-only; a different signedness, kind or size breaks', () => {
    const r = diffTexts(`${PRELUDE}struct s { uint32_t a; uint32_t b; float c; const char *p; char *q; };`,
      `${PRELUDE}struct s { unsigned int a; int32_t b; uint32_t c; char *p; int *q; };`, X64);
    expect(brief(r.changes)).toEqual([
      'member-retyped source-only s.a', 'member-retyped breaking s.b', 'member-retyped breaking s.c',
      'member-retyped source-only s.p', 'member-retyped breaking s.q',
    ]);
    expect(r.changes[0]!.message).toBe("struct s: member 'a' changed type from 'uint32_t' to 'unsigned int' (same representation)");
  });

  it('an enum member typed as the integer it is stored as is source-only', () => {
    const r = diffTexts(`${PRELUDE}enum e { A, B }; struct s { enum e kind; };`, `${PRELUDE}enum e { A, B }; struct s { unsigned int kind; };`, X64);
    expect(brief(r.changes)).toEqual(['member-retyped source-only s.kind']);
  });

  it('resized: an array length, a nested record, a bit-field width', () => {
    const r = diffTexts(`${PRELUDE}struct in { uint16_t v; }; struct s { char name[8]; struct in i; unsigned f : 3; };`,
      `${PRELUDE}struct in { uint32_t v; }; struct s { char name[16]; struct in i; unsigned f : 5; };`, X64);
    expect(brief(r.changes)).toEqual([
      'member-retyped breaking in.v', 'record-size breaking in', 'record-align breaking in',
      'member-resized breaking s.name', 'member-resized breaking s.i', 'member-resized breaking s.f',
      'member-moved breaking s.i', 'bit-position breaking s.f', 'record-size breaking s',
    ]);
    expect(r.changes[3]!.message).toBe("struct s: member 'name' changed from 'char[8]' to 'char[16]' (8 bytes to 16 bytes)");
  });

  it('a bit-field whose bits moved inside the same bytes', () => {
    const r = diffTexts('struct s { unsigned a : 3; unsigned b : 4; };', 'struct s { unsigned a : 4; unsigned b : 4; };', X64);
    expect(brief(r.changes)).toEqual(['member-resized breaking s.a', 'bit-position breaking s.b']);
    expect([r.changes[1]!.old, r.changes[1]!.new]).toEqual([3, 4]);
    expect(r.changes[1]!.message).toBe("struct s: bit-field 'b' moved from bit 3 (byte 0:3) to bit 4 (byte 0:4)");
  });

  it('a bit-field in the unused bits of its unit fills padding', () => {
    const r = diffTexts('struct s { unsigned a : 3; };', 'struct s { unsigned a : 3; unsigned b : 2; };', X64);
    expect(brief(r.changes)).toEqual(['padding-filled compatible s.b']);
  });
});

describe('records', () => {
  it('alignment alone', () => {
    const r = diffTexts(`${PRELUDE}struct s { uint32_t a, b; };`, `${PRELUDE}struct s { uint32_t a, b; } __attribute__((aligned(8)));`, X64);
    expect(brief(r.changes)).toEqual(['record-align breaking s']);
    expect([r.changes[0]!.old, r.changes[0]!.new]).toEqual([4, 8]);
  });

  it('struct to union', () => {
    const r = diffTexts(`${PRELUDE}struct u { uint32_t a; uint32_t b; };`, `${PRELUDE}union u { uint32_t a; uint32_t b; };`, X64);
    expect(brief(r.changes)).toEqual(['member-moved breaking u.b', 'record-kind breaking u', 'record-size breaking u']);
  });

  it("a union's new member within its old size is compatible; one that grows it breaks", () => {
    const within = diffTexts(`${PRELUDE}union u { uint64_t a; uint32_t b; };`, `${PRELUDE}union u { uint64_t a; uint32_t b; uint16_t c; };`, X64);
    expect(brief(within.changes)).toEqual(['member-added compatible u.c']);
    const grows = diffTexts(`${PRELUDE}union u { uint32_t a; };`, `${PRELUDE}union u { uint32_t a; uint64_t b; };`, X64);
    expect(brief(grows.changes)).toEqual(['member-added breaking u.b', 'record-size breaking u', 'record-align breaking u']);
  });

  it("a member inserted inside a union's struct alternative moves that alternative's members: breaking", () => {
    const r = diffTexts(`${PRELUDE}union attr { struct { uint32_t type; uint32_t size; }; uint64_t all[4]; };`,
      `${PRELUDE}union attr { struct { uint32_t flags; uint32_t type; uint32_t size; }; uint64_t all[4]; };`, X64);
    expect(brief(r.changes)).toEqual(['member-added breaking attr.flags', 'member-moved breaking attr.type', 'member-moved breaking attr.size']);
    // at the end of the alternative, nothing moves: compatible
    const end = diffTexts(`${PRELUDE}union attr { struct { uint32_t type; uint32_t size; }; uint64_t all[4]; };`,
      `${PRELUDE}union attr { struct { uint32_t type; uint32_t size; uint32_t flags; }; uint64_t all[4]; };`, X64);
    expect(brief(end.changes)).toEqual(['member-added compatible attr.flags']);
  });

  it('untagged nested records are the same records wherever the lines around them moved', () => {
    const h = `${PRELUDE}struct s { struct { uint16_t x, y; } pos; union { uint32_t i; float f; } v; };`;
    expect(diffTexts(h, h.replace('struct s {', '/* a\n   comment */\nstruct s {\n'), X64).changes).toEqual([]);
  });

  it('records added and removed; a typedef names an untagged one', () => {
    const r = diffTexts(`${PRELUDE}struct gone { int a; }; typedef struct { int x; } kept_t;`, `${PRELUDE}typedef struct { int x; } kept_t; struct fresh { char c; };`, X64);
    expect(brief(r.changes)).toEqual(['record-removed breaking gone', 'record-added compatible fresh']);
  });

  it('a record defined inside another is reported before the record holding it', () => {
    const r = diffTexts('struct outer { struct inner { short a; } i; int z; };', 'struct outer { struct inner { int a; } i; int z; };', X64);
    // the int is aligned to 4 either way: 'z' stays at byte 4, and 'outer' keeps its 8 bytes
    expect(brief(r.changes)).toEqual(['member-retyped breaking inner.a', 'record-size breaking inner', 'record-align breaking inner', 'member-resized breaking outer.i']);
  });
});

describe('enums and constants', () => {
  it('enumerators added (compatible), removed or changed (breaking), renamed (source-only); enums added, removed', () => {
    const r = diffTexts('enum c { RED, GREEN, BLUE, MAGENTA = 9 }; enum d { X }; enum r { OLD_NAME = 7, KEEP = 8 };\n#define V 3\n#define GONE 1\n',
      'enum c { RED, BLUE, GREEN, CYAN }; enum e { Y }; enum r { NEW_NAME = 7, KEEP = 8 };\n#define V (1 + 3)\n#define NEW 2\n', X64);
    expect(brief(r.changes)).toEqual([
      // enumerators in the new order; enums and constants in the new order, what is gone where it was
      'enumerator-changed breaking c.BLUE', 'enumerator-changed breaking c.GREEN', 'enumerator-removed breaking c.MAGENTA', 'enumerator-added compatible c.CYAN',
      'enum-removed breaking d', 'enum-added compatible e', 'enumerator-renamed source-only r.NEW_NAME',
      'constant-changed breaking V', 'constant-removed breaking GONE', 'constant-added compatible NEW',
    ]);
    expect(r.changes.find((c) => c.constant === 'V')!.message).toBe('constant V changed from 3 to (1 + 3) (= 4)');
  });

  it("an enum whose values no longer fit an int changes size", () => {
    const r = diffTexts('enum big { A = 1 };', 'enum big { A = 1, B = 0x100000000 };', X64);
    expect(brief(r.changes)).toEqual(['enum-size breaking big', 'enumerator-added compatible big.B']);
    expect([r.changes[0]!.old, r.changes[0]!.new]).toEqual([4, 8]);
  });

  it("an untagged enum's enumerators are constants", () => {
    const r = diffTexts('enum { LIMIT = 4 };', 'enum { LIMIT = 5 };', X64);
    expect(brief(r.changes)).toEqual(['constant-changed breaking LIMIT']);
  });

  it('no change, no report', () => {
    const h = `${PRELUDE}#define N 4\nenum k { A, B };\nstruct s { uint8_t a; uint32_t b[N]; enum k kind; };`;
    expect(diffTexts(h, h.replace('uint8_t a;', 'uint8_t a; /* a comment */'), ['x86_64-linux-gnu', 'i386-linux-gnu']).changes).toEqual([]);
  });
});

describe('joined across targets', () => {
  const FOUR = ['x86_64-linux-gnu', 'aarch64-linux-gnu', 'i386-linux-gnu', 'armv7-linux-gnueabihf'];

  it("'long' to 'int64_t' breaks 32-bit targets only, and is a respelling on 64-bit ones", () => {
    const r = diffTexts(`${PRELUDE}struct rec { uint32_t id; long stamp; };`, `${PRELUDE}struct rec { uint32_t id; int64_t stamp; };`, FOUR);
    expect(brief(r.changes)).toEqual([
      'member-retyped source-only rec.stamp [on 64-bit targets only]',
      'member-retyped breaking rec.stamp [on 32-bit targets only]',
      // i386 aligns int64_t to 4, armv7 to 8: the member moves on armv7 only, the size differs in two ways
      'member-moved breaking rec.stamp [on armv7-linux-gnueabihf only]',
      'record-size breaking rec [on i386-linux-gnu only]',
      'record-size breaking rec [on armv7-linux-gnueabihf only]',
      'record-align breaking rec [on armv7-linux-gnueabihf only]',
    ]);
    const bySize = r.changes.filter((c) => c.kind === 'record-size').map((c) => [c.targets, c.old, c.new]);
    expect(bySize).toEqual([[['i386-linux-gnu'], 8, 12], [['armv7-linux-gnueabihf'], 8, 16]]);
    expect(failsAt(r.changes.filter((c) => c.targets.includes('x86_64-linux-gnu')), 'breaking')).toBe(false);
  });

  it("a bit-field's declared type narrowed: the same bits on GNU targets, a new storage unit on MSVC targets only", () => {
    const targets = ['x86_64-linux-gnu', 'aarch64-linux-gnu', 'x86_64-pc-windows-msvc', 'i686-pc-windows-msvc'];
    const r = diffTexts('struct flags { unsigned a : 4; unsigned b : 4; unsigned char c; };',
      'struct flags { unsigned a : 4; unsigned char b : 4; unsigned char c; };', targets);
    expect(brief(r.changes)).toEqual([
      'member-retyped source-only flags.b',
      'bit-position breaking flags.b [on MSVC targets only]',
      'member-moved breaking flags.c [on MSVC targets only]',
    ]);
    const bit = r.changes[1]!;
    expect([bit.old, bit.new]).toEqual([4, 32]);
    expect(bit.targets).toEqual(['x86_64-pc-windows-msvc', 'i686-pc-windows-msvc']);
    expect([r.changes[2]!.old, r.changes[2]!.new]).toEqual([32, 40]);
  });

  it('describes target sets by family, by exception, or by name', () => {
    const all = ['x86_64-linux-gnu', 'i386-linux-gnu', 'powerpc-linux-gnu', 'x86_64-pc-windows-msvc'];
    expect(describeTargets(all, all)).toBe('');
    expect(describeTargets(['x86_64-pc-windows-msvc'], all)).toBe('on x86_64-pc-windows-msvc only');
    expect(describeTargets(['i386-linux-gnu', 'powerpc-linux-gnu'], all)).toBe('on 32-bit targets only');
    expect(describeTargets(['x86_64-linux-gnu', 'x86_64-pc-windows-msvc'], all)).toBe('on 64-bit targets only');
    expect(describeTargets(['x86_64-linux-gnu', 'i386-linux-gnu', 'x86_64-pc-windows-msvc'], all)).toBe('on little-endian targets only');
    expect(describeTargets(['x86_64-linux-gnu', 'i386-linux-gnu', 'powerpc-linux-gnu'], all)).toBe('on all targets but x86_64-pc-windows-msvc');
  });
});

describe('coverage', () => {
  // runs last in this file: the pairs above show every kind of change at least once
  it('every kind of change was reported by some pair above', () => {
    expect(CHANGE_KINDS.filter((k) => !seenKinds.has(k))).toEqual([]);
  });
});
